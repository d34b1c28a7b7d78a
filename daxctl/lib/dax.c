// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxctl/lib/dax.h"
#include "util/log.h"
#include "util/name.h"
#include "util/sysfs.h"

#define DAX_DEVICES "/sys/bus/dax/devices"
#define DAX_DRIVERS "/sys/bus/dax/drivers"
#define DAX_AUTOPROBE "/sys/bus/dax/drivers_autoprobe"

static int dev_path(char *buf, size_t len, const char *dev, const char *attr)
{
	int n;

	if (!name_parse(OBJ_DAX, dev, NULL))
		return -EINVAL;
	n = attr ? snprintf(buf, len, "%s/%s/%s", DAX_DEVICES, dev, attr)
		 : snprintf(buf, len, "%s/%s", DAX_DEVICES, dev);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int dax_drv_path(char *buf, size_t len, const char *drv, const char *attr)
{
	int n;

	if (strcmp(drv, "kmem") && strcmp(drv, "device_dax"))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s/%s", DAX_DRIVERS, drv, attr);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

bool dax_dev_exists(const char *name)
{
	char p[PATH_MAX];

	return !dev_path(p, sizeof(p), name, NULL) && sysfs_exists(p);
}

bool dax_dev_has_chardev(const char *name)
{
	char p[PATH_MAX], dev[32];
	int n;

	if (dev_path(p, sizeof(p), name, "dev") ||
	    sysfs_read(p, dev, sizeof(dev)))
		return false;
	n = snprintf(p, sizeof(p), "/sys/dev/char/%s", dev);
	if (n < 0 || (size_t)n >= sizeof(p) || strchr(dev, '/'))
		return false;
	return sysfs_exists(p);
}

/*
 * The driver core runs a driver's probe under the device lock: it makes the
 * "driver" link, calls the probe (kmem hot-adds the memory blocks there),
 * adds the driver's dev_groups attributes (kmem's "state", from Linux 7.3)
 * and only then lets go of the lock and sends the BIND uevent. A bind
 * request takes the same lock before it looks at the device, so it returns
 * once that probe is complete, and then fails with EBUSY: the device is
 * bound. That makes it a barrier that cannot race and changes nothing.
 */
static void kmem_probe_barrier(const char *name)
{
	char p[PATH_MAX];

	if (!dax_drv_path(p, sizeof(p), "kmem", "bind"))
		sysfs_write(p, name);
}

bool dax_dev_probed(const char *name)
{
	char p[PATH_MAX], drv[DAX_NAME_LEN], probe[8];
	int rc;

	rc = dev_path(p, sizeof(p), name, "driver");
	if (rc)
		return true;
	rc = sysfs_link_name(p, drv, sizeof(drv));
	if (!rc) {
		/* "state" is added last: once it is there, the probe is done */
		if (!strcmp(drv, "kmem") &&
		    (dev_path(p, sizeof(p), name, "state") || !sysfs_exists(p)))
			kmem_probe_barrier(name);
		return true;
	}
	if (rc != -ENOENT || !dax_dev_exists(name))
		return true;
	/* unbound: done if no driver can come (autoprobe off, none loaded) */
	if (sysfs_read(DAX_AUTOPROBE, probe, sizeof(probe)) ||
	    !strcmp(probe, "0"))
		return true;
	return !sysfs_exists(DAX_DRIVERS "/kmem") &&
	       !sysfs_exists(DAX_DRIVERS "/device_dax");
}

int dax_dev_read(const char *name, struct dax_dev *dev)
{
	char p[PATH_MAX];
	int rc;

	memset(dev, 0, sizeof(*dev));
	dev->target_node = -1;
	if (!name_parse(OBJ_DAX, name, NULL))
		return -EINVAL;
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	rc = dev_path(p, sizeof(p), name, "driver");
	if (rc)
		return rc;
	rc = sysfs_link_name(p, dev->driver, sizeof(dev->driver));
	if (rc == -ENOENT)
		dev->driver[0] = '\0';
	else if (rc)
		return rc;
	dev_path(p, sizeof(p), name, "size");
	rc = sysfs_read_u64(p, &dev->size);
	if (rc)
		return rc;
	dev_path(p, sizeof(p), name, "resource");
	if (sysfs_read_u64(p, &dev->resource))
		dev->resource = UINT64_MAX;
	dev_path(p, sizeof(p), name, "align");
	if (sysfs_read_u64(p, &dev->align))
		dev->align = 0;
	dev_path(p, sizeof(p), name, "target_node");
	if (sysfs_read_int(p, &dev->target_node))
		dev->target_node = -1;
	dev_path(p, sizeof(p), name, "state");
	if (sysfs_read(p, dev->state, sizeof(dev->state)) == 0) {
		strcpy(dev->state_attr, "state");
		return 0;
	}
	dev_path(p, sizeof(p), name, "hotplug");
	if (sysfs_read(p, dev->state, sizeof(dev->state)) == 0)
		strcpy(dev->state_attr, "hotplug");
	return 0;
}

struct scan_ctx {
	int region_id;
	struct dax_dev *devs;
	int max, n;
	int rc;
};

static int match_dax(const char *name, void *arg)
{
	struct scan_ctx *c = arg;
	char p[PATH_MAX], real[PATH_MAX], needle[64];
	struct obj_id id;

	if (!name_parse(OBJ_DAX, name, &id) || id.a != c->region_id)
		return 0;
	/*
	 * A dax device of this CXL region sits below regionZ/: the bus's
	 * link to it names the whole path (one readlink, where resolving it
	 * would read a link per folder on the way).
	 */
	if (dev_path(p, sizeof(p), name, NULL) ||
	    sysfs_link_target(p, real, sizeof(real)))
		return 0;
	snprintf(needle, sizeof(needle), "/region%d/", c->region_id);
	if (!strstr(real, needle))
		return 0;
	if (c->n >= c->max)
		return -E2BIG;
	c->rc = dax_dev_read(name, &c->devs[c->n]);
	if (c->rc)
		return c->rc;
	c->n++;
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct dax_dev *x = a, *y = b;
	struct obj_id ix, iy;

	name_parse(OBJ_DAX, x->name, &ix);
	name_parse(OBJ_DAX, y->name, &iy);
	return ix.b - iy.b;
}

int dax_devs_of_region(int region_id, struct dax_dev *devs, int max)
{
	struct scan_ctx c = { .region_id = region_id,
			      .devs = devs,
			      .max = max };
	int rc = sysfs_scan(DAX_DEVICES, match_dax, &c);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	qsort(devs, c.n, sizeof(*devs), cmp_dev);
	return c.n;
}

struct any_ctx {
	struct dax_dev *devs;
	int max, n;
};

static int match_any(const char *name, void *arg)
{
	struct any_ctx *c = arg;

	if (!name_parse(OBJ_DAX, name, NULL) || c->n >= c->max)
		return 0;
	if (!dax_dev_read(name, &c->devs[c->n]))
		c->n++;
	return 0;
}

int dax_devs_all(struct dax_dev *devs, int max)
{
	struct any_ctx c = { .devs = devs, .max = max };
	int rc = sysfs_scan(DAX_DEVICES, match_any, &c);

	if (rc == -ENOENT)
		return 0;
	return rc ? rc : c.n;
}

struct id_undo {
	char dev[DAX_NAME_LEN];
	char driver[DAX_NAME_LEN];
};

static struct id_undo *id_undo_new(const char *dev, const char *driver)
{
	struct id_undo *u = calloc(1, sizeof(*u));

	if (u) {
		snprintf(u->dev, sizeof(u->dev), "%s", dev);
		snprintf(u->driver, sizeof(u->driver), "%s", driver);
	}
	return u;
}

/* undo of new_id: let go of the device if the id bound it, drop the id */
static int undo_new_id(void *arg)
{
	struct id_undo *u = arg;
	char p[PATH_MAX], cur[DAX_NAME_LEN];
	int rc;

	rc = dev_path(p, sizeof(p), u->dev, "driver");
	if (!rc && !sysfs_link_name(p, cur, sizeof(cur)) &&
	    !strcmp(cur, u->driver)) {
		rc = dax_drv_path(p, sizeof(p), u->driver, "unbind");
		if (!rc)
			rc = sysfs_write(p, u->dev);
		if (rc)
			return rc;
	}
	rc = dax_drv_path(p, sizeof(p), u->driver, "remove_id");
	if (rc)
		return rc;
	rc = sysfs_write(p, u->dev);
	return rc == -ENODEV || rc == -EINVAL ? 0 : rc;
}

static bool bound_to(const char *dev, const char *driver)
{
	char p[PATH_MAX], cur[DAX_NAME_LEN];

	return !dev_path(p, sizeof(p), dev, "driver") &&
	       !sysfs_link_name(p, cur, sizeof(cur)) && !strcmp(cur, driver);
}

/*
 * The explicit bind, again while the kernel says its probe was deferred
 * (EAGAIN, the driver core's word for EPROBE_DEFER): Linux 7.3 deferred
 * device_dax's probe of a new dax device right after a region over the
 * same range had gone, under load. A deferred probe the kernel retries
 * on its own may bind the device meanwhile: that is the bind, whose undo
 * the id's undo already is (unbind, then remove_id).
 */
#define DAX_BIND_DEFER_MS 5000

static int bind_deferred(struct txn *t, const char *what, const char *dev,
			 const char *driver, const char *bind,
			 const char *unbind)
{
	int rc, waited;

	for (waited = 0;; waited += 10) {
		rc = txn_try_write(t, what, bind, dev, unbind, dev);
		if (rc != -EAGAIN || waited >= DAX_BIND_DEFER_MS)
			break;
		if (!waited)
			log_msg(txn_log(t), LOG_DEBUG, txn_fn(t),
				"%s: probe deferred by the kernel (EAGAIN): trying again for up to %d ms",
				dev, DAX_BIND_DEFER_MS);
		usleep(10000);
		if (bound_to(dev, driver))
			return 0;
	}
	return rc ? txn_fail(t, what, rc) : 0;
}

int dax_bind(struct txn *t, const char *dev, const char *driver)
{
	char newid[PATH_MAX], bind[PATH_MAX], unbind[PATH_MAX], what[WHAT_LEN];
	struct id_undo *u;
	int rc;

	snprintf(what, sizeof(what), "%s: bind %s", dev, driver);
	rc = dax_drv_path(newid, sizeof(newid), driver, "new_id");
	if (!rc)
		rc = dax_drv_path(bind, sizeof(bind), driver, "bind");
	if (!rc)
		rc = dax_drv_path(unbind, sizeof(unbind), driver, "unbind");
	if (rc || !name_parse(OBJ_DAX, dev, NULL))
		return txn_fail(t, what, rc ? rc : -EINVAL);
	/*
	 * A driver only matches a device of the type it claims, or one in
	 * its id table: adding the id (as daxctl does) also attaches the
	 * driver to the device right away. Bind explicitly only if not.
	 */
	u = id_undo_new(dev, driver);
	if (!u)
		return txn_fail(t, what, -ENOMEM);
	snprintf(what, sizeof(what), "%s: add id to %s", dev, driver);
	rc = txn_write_fn(t, what, newid, dev, undo_new_id, u);
	if (rc)
		return rc;
	if (txn_dry_run(t) || bound_to(dev, driver))
		return 0;
	snprintf(what, sizeof(what), "%s: bind %s", dev, driver);
	return bind_deferred(t, what, dev, driver, bind, unbind);
}

static const char *state_spelling(const struct dax_dev *dev, const char *state)
{
	/* the first spelling of the knob called the unplugged state "unplug" */
	if (state && !strcmp(dev->state_attr, "hotplug") &&
	    !strcmp(state, "unplugged"))
		return "unplug";
	return state;
}

struct state_undo {
	char name[DAX_NAME_LEN];
	char attr[16];
	char value[24];
};

/*
 * Put the state back whatever happened in between: nothing to do when it
 * already holds, and onlining goes through "unplugged" as the kernel asks.
 */
static int undo_state(void *arg)
{
	struct state_undo *u = arg;
	const char *unplugged =
		strcmp(u->attr, "hotplug") ? "unplugged" : "unplug";
	char p[PATH_MAX], cur[24];
	int rc;

	rc = dev_path(p, sizeof(p), u->name, u->attr);
	if (rc)
		return rc;
	rc = sysfs_read(p, cur, sizeof(cur));
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	if (!strcmp(cur, u->value) ||
	    (!strcmp(u->value, unplugged) && !strcmp(cur, "unplugged")))
		return 0;
	if (strcmp(u->value, unplugged) && strcmp(cur, "unplugged")) {
		rc = sysfs_write(p, unplugged);
		if (rc)
			return rc;
	}
	return sysfs_write(p, u->value);
}

static int write_state(struct txn *t, const struct dax_dev *dev,
		       const char *state, const char *undo_value, bool quiet)
{
	struct state_undo *u = NULL;
	struct txn_undo undo = { 0 };
	const char *val = state_spelling(dev, state);
	char p[PATH_MAX], what[WHAT_LEN];
	int rc;

	snprintf(what, sizeof(what), "%s: set %s %s", dev->name,
		 dev->state_attr[0] ? dev->state_attr : "state", state);
	if (!dev->state_attr[0])
		return txn_fail(t, what, -EOPNOTSUPP);
	rc = dev_path(p, sizeof(p), dev->name, dev->state_attr);
	if (rc)
		return txn_fail(t, what, rc);
	if (undo_value) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return txn_fail(t, what, -ENOMEM);
		snprintf(u->name, sizeof(u->name), "%s", dev->name);
		snprintf(u->attr, sizeof(u->attr), "%s", dev->state_attr);
		snprintf(u->value, sizeof(u->value), "%s",
			 state_spelling(dev, undo_value));
	}
	undo.fn = u ? undo_state : NULL;
	undo.arg = u;
	/* unplugging again is what can be refused: a barrier for the rest */
	undo.barrier = u && !strcmp(undo_value, "unplugged");
	return txn_step(t, what, p, val, u ? &undo : NULL,
			quiet ? TXN_QUIET : 0);
}

int dax_write_state(struct txn *t, const struct dax_dev *dev, const char *state,
		    const char *undo_value)
{
	return write_state(t, dev, state, undo_value, false);
}

int dax_try_state(struct txn *t, const struct dax_dev *dev, const char *state,
		  const char *undo_value)
{
	return write_state(t, dev, state, undo_value, true);
}

int dax_hold_autoprobe_off(struct txn *t, struct txn_guard *g,
			   unsigned int flags)
{
	return txn_guard_begin(t, g, "hold dax bus drivers_autoprobe 0",
			       DAX_AUTOPROBE, "0", flags);
}

int dax_new_id(const char *dev, const char *driver)
{
	char p[PATH_MAX];
	int rc;

	if (!name_parse(OBJ_DAX, dev, NULL))
		return -EINVAL;
	rc = dax_drv_path(p, sizeof(p), driver, "new_id");
	return rc ? rc : sysfs_write(p, dev);
}

static int undo_drop_id(void *arg)
{
	struct id_undo *u = arg;

	return dax_new_id(u->dev, u->driver);
}

int dax_drop_id(struct txn *t, const char *dev, const char *driver)
{
	char p[PATH_MAX], what[WHAT_LEN];
	struct id_undo *u;
	int rc;

	snprintf(what, sizeof(what), "%s: remove id from %s", dev, driver);
	rc = dax_drv_path(p, sizeof(p), driver, "remove_id");
	if (rc || !name_parse(OBJ_DAX, dev, NULL))
		return txn_fail(t, what, rc ? rc : -EINVAL);
	u = id_undo_new(dev, driver);
	if (!u)
		return txn_fail(t, what, -ENOMEM);
	return txn_write_fn(t, what, p, dev, undo_drop_id, u);
}
