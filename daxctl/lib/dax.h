/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXCTL_LIB_DAX_H
#define DAXCTL_LIB_DAX_H

#include <stdbool.h>
#include <stdint.h>

#include "util/txn.h"

#define DAX_NAME_LEN 48

/* a dax device (daxZ.Y on the dax bus) as sysfs shows it now */
struct dax_dev {
	char name[DAX_NAME_LEN];
	char driver[DAX_NAME_LEN]; /* "kmem", "device_dax" or "" */
	uint64_t resource, size, align;
	int target_node;
	char state_attr[16]; /* "state", "hotplug" or "" */
	char state[24]; /* its value when present */
};

/* the dax devices the kernel created for CXL region @region_id */
int dax_devs_of_region(int region_id, struct dax_dev *devs, int max);
int dax_dev_read(const char *name, struct dax_dev *dev);
/* any dax devices, up to @max (no order); the count or -errno */
int dax_devs_all(struct dax_dev *devs, int max);
bool dax_dev_exists(const char *name);
bool dax_dev_has_chardev(const char *name);

/*
 * Whether the driver core is done with @name: bound and its driver's
 * probe complete (its dev_groups, such as kmem's "state", exist), or
 * unbound with no driver about to claim it. Never changes anything.
 */
bool dax_dev_probed(const char *name);

/* a file of dax driver @drv ("kmem" or "device_dax") */
int dax_drv_path(char *buf, size_t len, const char *drv, const char *attr);

/* bind to a dax driver (through new_id), with its undo */
int dax_bind(struct txn *t, const char *dev, const char *driver);
/*
 * Write the whole-device hotplug state ("unplugged", "online_movable", ...)
 * through daxZ.Y/state (or the older "hotplug", where "unplug" is written
 * for "unplugged"). @undo_state (or NULL) is written back on rollback.
 */
int dax_write_state(struct txn *t, const struct dax_dev *dev, const char *state,
		    const char *undo_state);
/* the same, but a failure is only returned, not logged (caller retries) */
int dax_try_state(struct txn *t, const struct dax_dev *dev, const char *state,
		  const char *undo_state);

/*
 * Keep every driver off new dax devices for a span of the transaction (the
 * dax bus's drivers_autoprobe held at 0), so a device can go to device_dax
 * without kmem hot-adding its memory first (see txn_guard_begin).
 */
int dax_hold_autoprobe_off(struct txn *t, struct txn_guard *g,
			   unsigned int flags);

/*
 * Drop @dev from @driver's dynamic id table (remove_id) so the id does not
 * claim the next device of that name; the undo adds it back.
 */
int dax_drop_id(struct txn *t, const char *dev, const char *driver);

/* add a dynamic id (which also attaches the driver), outside a txn */
int dax_new_id(const char *dev, const char *driver);

#endif /* DAXCTL_LIB_DAX_H */
