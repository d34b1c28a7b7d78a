/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_BUS_H
#define CXL_SIM_BUS_H

#include "sim.h"
#include "tree.h"

/* The driver core: devices on the cxl and dax buses, drivers, binding. */
enum sim_bus {
	BUS_CXL,
	BUS_DAX,
	NR_BUSES,
};

enum dev_type {
	DEV_ROOT,
	DEV_PORT,
	DEV_DECODER,
	DEV_MEMDEV,
	DEV_NVDIMM_BRIDGE,
	DEV_REGION,
	DEV_PMEM_REGION,
	DEV_DAX_REGION,
	DEV_SYSRAM_REGION,
	DEV_DAX,
};

struct sim_driver;

struct sim_device {
	char name[48];
	enum sim_bus bus;
	enum dev_type type;
	struct node *dir;
	struct sim_driver *driver;
	void *obj;
	const char *devtype;
	const char *modalias;
	/* char device: major > 0 adds MAJOR/MINOR/DEVNAME to uevent */
	int major, minor;
	const char *devname;
	/* called by device_del() last, to free the containing object */
	void (*release)(struct sim_device *dev);
	struct sim_device *next;
};

struct dax_id;

struct sim_driver {
	const char *name;
	enum sim_bus bus;
	const char *module;
	enum dev_type type;
	/* extra match rule (dax bus); NULL: match on type */
	bool (*match)(struct sim_driver *drv, struct sim_device *dev);
	int (*probe)(struct sim_device *dev);
	void (*remove)(struct sim_device *dev);
	/* finish a probe still in progress (what the device lock waits for) */
	void (*settle)(struct sim_device *dev);
	struct node *dir;
	struct dax_id *ids;
	struct sim_driver *next;
};

struct dax_id {
	char name[48];
	struct dax_id *next;
};

int bus_init(void);
void bus_exit(void);
struct node *bus_dir(enum sim_bus bus);
const char *bus_name(enum sim_bus bus);
bool bus_autoprobe(enum sim_bus bus);

void device_init(struct sim_device *dev, enum sim_bus bus, enum dev_type type,
		 const char *name, void *obj);
struct node *device_add(struct sim_device *dev, struct node *parent);
void device_del(struct sim_device *dev);
struct sim_device *device_find(enum sim_bus bus, const char *name);
struct sim_device *device_first(enum sim_bus bus);
int device_attach(struct sim_device *dev);
int device_probe(struct sim_device *dev);
void device_release_driver(struct sim_device *dev);

int driver_register(struct sim_driver *drv);
struct sim_driver *driver_find(enum sim_bus bus, const char *name);
struct sim_driver *driver_first(enum sim_bus bus);
int driver_bind(struct sim_driver *drv, struct sim_device *dev);
#ifndef EPROBE_DEFER
#define EPROBE_DEFER 517 /* the kernel's, never seen by user space */
#endif
/* the next @count probes by driver @name are deferred (ctl "defer") */
void driver_defer_probes(const char *name, unsigned int count);
void driver_deferred_show(struct sbuf *sb);
bool driver_has_id(struct sim_driver *drv, const char *name);

/* /sys/dev/char/<maj:min> */
void devchar_add(int major, int minor, const char *target);
void devchar_del(int major, int minor);

/*
 * Read-only attributes every device has: "devtype" and "modalias" of a
 * struct sim_device node, and a plain string ("%s\n" of the node's obj).
 */
extern const struct attr_ops dev_devtype_ops;
extern const struct attr_ops dev_modalias_ops;
extern const struct attr_ops str_ops;

#endif
