/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_DAX_H
#define CXL_SIM_DAX_H

#include "cxl.h"

/* dax regions (cxl bus) and dax devices (dax bus), kmem and device_dax. */
#define DAX_MAJOR 252

struct dax_dev;

struct dax_region {
	struct sim_device dev;
	int id;
	struct cxl_region *region;
	bool kmem;
	enum mmop online_type;
	u64 start, size;
	int nid;
	struct node *attrs;
	struct dax_dev *ddev;
};

struct dax_dev {
	struct sim_device dev;
	struct dax_region *region;
	u64 start, size;
	int nid;
	bool plugged;
	enum mmop state;
	struct node *state_attr;
	/* kmem probe in progress: "state" is added at state_due (ms) */
	long long state_due;
	struct dax_dev *probe_next;
	/* asynchronous probe: drivers are tried at attach_due (ms) */
	long long attach_due;
	struct dax_dev *attach_next;
};

extern struct sim_driver cxl_dax_region_driver;
int dax_init(void);
struct dax_region *dax_region_create(struct cxl_region *r, struct node *parent,
				     bool kmem, enum mmop online_type);
void dax_region_destroy(struct dax_region *dr);
int dax_dev_create(struct dax_region *dr);
void dax_dev_destroy(struct dax_dev *dd);

/* kmem.c */
int kmem_plug(struct dax_dev *dd, enum mmop type);
int kmem_unplug(struct dax_dev *dd);
int kmem_driver_init(void);
u64 kmem_start(struct dax_dev *dd);
u64 kmem_size(struct dax_dev *dd);
/* probe a new dax device now, or --kmem-probe-gap ms later */
void dax_dev_probe(struct dax_dev *dd);
void dax_dev_probe_forget(struct dax_dev *dd);

/* dax_state.c */
void dax_state_attr_add(struct dax_dev *dd);
void dax_state_attr_del(struct dax_dev *dd);
const char *dax_state_attr_name(void);
const char *dax_state_string(struct dax_dev *dd);

/* devnode.c */
enum devnode_kind {
	DEVNODE_NONE,
	DEVNODE_CHAR,
	DEVNODE_FILE,
};

void devnode_set(const char *name, int major, int minor,
		 enum devnode_kind kind);
void devnode_exit(void);
void devnode_devdax_changed(struct sim_device *leaving);

#endif
