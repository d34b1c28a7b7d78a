// SPDX-License-Identifier: GPL-2.0
/*
 * Driver core model: /sys/bus/{cxl,dax}, device registration, and the
 * bind/unbind/new_id/remove_id/drivers_probe/drivers_autoprobe files,
 * with the errnos the kernel's driver core returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

struct bus_state {
	const char *name;
	struct node *dir;
	struct node *devices;
	struct node *drivers;
	bool autoprobe;
	struct sim_device *devs;
	struct sim_driver *drvs;
};

static struct bus_state buses[NR_BUSES] = {
	[BUS_CXL] = { .name = "cxl", .autoprobe = true },
	[BUS_DAX] = { .name = "dax", .autoprobe = true },
};

static struct node *devchar_dir;

const char *bus_name(enum sim_bus bus)
{
	return buses[bus].name;
}

struct node *bus_dir(enum sim_bus bus)
{
	return buses[bus].dir;
}

bool bus_autoprobe(enum sim_bus bus)
{
	return buses[bus].autoprobe;
}

struct sim_device *device_first(enum sim_bus bus)
{
	return buses[bus].devs;
}

struct sim_driver *driver_first(enum sim_bus bus)
{
	return buses[bus].drvs;
}

struct sim_device *device_find(enum sim_bus bus, const char *name)
{
	struct sim_device *dev;

	for (dev = buses[bus].devs; dev; dev = dev->next)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}

struct sim_driver *driver_find(enum sim_bus bus, const char *name)
{
	struct sim_driver *drv;

	for (drv = buses[bus].drvs; drv; drv = drv->next)
		if (strcmp(drv->name, name) == 0)
			return drv;
	return NULL;
}

bool driver_has_id(struct sim_driver *drv, const char *name)
{
	struct dax_id *id;

	for (id = drv->ids; id; id = id->next)
		if (strcmp(id->name, name) == 0)
			return true;
	return false;
}

static bool driver_match(struct sim_driver *drv, struct sim_device *dev)
{
	if (drv->bus != dev->bus)
		return false;
	if (drv->match)
		return drv->match(drv, dev);
	return drv->type == dev->type;
}

/* uevent of a device, as the kernel prints it */
static int uevent_show(struct node *n, struct sbuf *sb)
{
	struct sim_device *dev = n->obj;

	if (dev->major > 0)
		sb_printf(sb, "MAJOR=%d\nMINOR=%d\nDEVNAME=%s\n", dev->major,
			  dev->minor, dev->devname ? dev->devname : dev->name);
	if (dev->devtype)
		sb_printf(sb, "DEVTYPE=%s\n", dev->devtype);
	if (dev->driver)
		sb_printf(sb, "DRIVER=%s\n", dev->driver->name);
	if (dev->modalias)
		sb_printf(sb, "MODALIAS=%s\n", dev->modalias);
	return 0;
}

static int uevent_store(struct node *n, const char *buf)
{
	static const char *const actions[] = { "add",  "remove", "change",
					       "move", "online", "offline",
					       "bind", "unbind" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (strncmp(buf, actions[i], strlen(actions[i])) == 0)
			return 0;
	return -EINVAL;
}

static const struct attr_ops uevent_ops = {
	.show = uevent_show,
	.store = uevent_store,
};

void device_init(struct sim_device *dev, enum sim_bus bus, enum dev_type type,
		 const char *name, void *obj)
{
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->bus = bus;
	dev->type = type;
	dev->obj = obj;
}

/*
 * Create the device directory under @parent with the attributes every
 * device has, link it into /sys/bus/<bus>/devices, and return the dir.
 * The caller adds its own attributes, then calls device_attach().
 */
struct node *device_add(struct sim_device *dev, struct node *parent)
{
	struct bus_state *b = &buses[dev->bus];
	struct sim_device **pp;
	char target[64];

	dev->dir = tree_dir(parent, dev->name);
	dev->dir->bus = b->name;
	snprintf(target, sizeof(target), "/bus/%s", b->name);
	tree_link(dev->dir, "subsystem", target);
	tree_attr(dev->dir, "uevent", &uevent_ops, dev, 0);
	tree_link(b->devices, dev->name, dev->dir->path);

	/* keep the bus list in registration order */
	for (pp = &b->devs; *pp; pp = &(*pp)->next)
		;
	dev->next = NULL;
	*pp = dev;
	return dev->dir;
}

static void driver_links_del(struct sim_device *dev)
{
	tree_remove_child(dev->dir, "driver");
	tree_remove_child(dev->driver->dir, dev->name);
}

void device_release_driver(struct sim_device *dev)
{
	struct sim_driver *drv = dev->driver;

	if (!drv)
		return;
	if (drv->remove)
		drv->remove(dev);
	driver_links_del(dev);
	dev->driver = NULL;
}

void device_del(struct sim_device *dev)
{
	struct bus_state *b = &buses[dev->bus];
	struct sim_device **pp;

	device_release_driver(dev);
	for (pp = &b->devs; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	tree_remove_child(b->devices, dev->name);
	tree_remove(dev->dir);
	dev->dir = NULL;
	if (dev->release)
		dev->release(dev);
}

/* probe @dev with @drv; on success the driver links appear */
/*
 * Probes the kernel defers (EPROBE_DEFER): Linux 7.3 was seen to defer
 * device_dax's probe of a new dax device right after a region over the
 * same range went away, under load. The next @count probes by @name.
 */
static struct {
	char name[32];
	unsigned int count;
} deferred;

void driver_defer_probes(const char *name, unsigned int count)
{
	snprintf(deferred.name, sizeof(deferred.name), "%s", name);
	deferred.count = count;
}

void driver_deferred_show(struct sbuf *sb)
{
	if (deferred.count)
		sb_printf(sb, "%s %u\n", deferred.name, deferred.count);
}

int driver_bind(struct sim_driver *drv, struct sim_device *dev)
{
	int rc;

	if (dev->driver)
		return -EBUSY;
	if (deferred.count && !strcmp(deferred.name, drv->name)) {
		deferred.count--;
		return -EPROBE_DEFER;
	}
	dev->driver = drv;
	rc = drv->probe ? drv->probe(dev) : 0;
	if (rc) {
		dev->driver = NULL;
		return rc;
	}
	/* probe may have deleted nothing but could have failed silently */
	tree_link(dev->dir, "driver", drv->dir->path);
	tree_link(drv->dir, dev->name, dev->dir->path);
	return 0;
}

/* autoprobe: the first matching driver whose probe succeeds wins */
int device_attach(struct sim_device *dev)
{
	struct sim_driver *drv;
	int rc = -ENODEV;

	if (dev->driver)
		return 0;
	for (drv = buses[dev->bus].drvs; drv; drv = drv->next) {
		if (!driver_match(drv, dev))
			continue;
		rc = driver_bind(drv, dev);
		if (!rc)
			return 0;
	}
	return rc;
}

/* a new device: autoprobe unless the bus's drivers_autoprobe is 0 */
int device_probe(struct sim_device *dev)
{
	if (!buses[dev->bus].autoprobe)
		return 0;
	return device_attach(dev);
}

static int bind_store(struct node *n, const char *buf)
{
	struct sim_driver *drv = n->obj;
	struct sim_device *dev = device_find(drv->bus, buf);
	int rc;

	if (!dev || !driver_match(drv, dev))
		return -ENODEV;
	/* the kernel takes the device lock first: a probe finishes */
	if (dev->driver && dev->driver->settle)
		dev->driver->settle(dev);
	rc = driver_bind(drv, dev);
	/* device_driver_attach() says a deferred probe so */
	return rc == -EPROBE_DEFER ? -EAGAIN : rc;
}

static int unbind_store(struct node *n, const char *buf)
{
	struct sim_driver *drv = n->obj;
	struct sim_device *dev = device_find(drv->bus, buf);
	static char reason[64];

	if (!dev || dev->driver != drv)
		return -ENODEV;
	if (drv->settle)
		drv->settle(dev);
	snprintf(reason, sizeof(reason), "%s-unbind", drv->name);
	sim_teardown_reason = reason;
	device_release_driver(dev);
	return 0;
}

static const struct attr_ops bind_ops = { .store = bind_store };
static const struct attr_ops unbind_ops = { .store = unbind_store };

/* dax bus: new_id/remove_id take a device name "daxX.Y" */
static int dax_id_parse(const char *buf, char *name, size_t len)
{
	unsigned int region, id;
	char check[48];

	if (sscanf(buf, "dax%u.%u", &region, &id) != 2)
		return -EINVAL;
	snprintf(check, sizeof(check), "dax%u.%u", region, id);
	if (strcmp(check, buf) != 0)
		return -EINVAL;
	snprintf(name, len, "%s", check);
	return 0;
}

static int new_id_store(struct node *n, const char *buf)
{
	struct sim_driver *drv = n->obj;
	struct sim_device *dev;
	struct dax_id *id;
	char name[48];
	int rc;

	rc = dax_id_parse(buf, name, sizeof(name));
	if (rc)
		return rc;
	if (!driver_has_id(drv, name)) {
		id = calloc(1, sizeof(*id));
		if (!id)
			return -ENOMEM;
		snprintf(id->name, sizeof(id->name), "%s", name);
		id->next = drv->ids;
		drv->ids = id;
	}
	/* like driver_attach(): bind every unbound device that matches */
	for (dev = buses[drv->bus].devs; dev; dev = dev->next)
		if (!dev->driver && driver_match(drv, dev))
			driver_bind(drv, dev);
	return 0;
}

static int remove_id_store(struct node *n, const char *buf)
{
	struct sim_driver *drv = n->obj;
	struct dax_id **pp, *id;
	char name[48];
	int rc;

	rc = dax_id_parse(buf, name, sizeof(name));
	if (rc)
		return rc;
	for (pp = &drv->ids; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			id = *pp;
			*pp = id->next;
			free(id);
			break;
		}
	}
	return 0;
}

static const struct attr_ops new_id_ops = { .store = new_id_store };
static const struct attr_ops remove_id_ops = { .store = remove_id_store };

static int drv_uevent_show(struct node *n, struct sbuf *sb)
{
	return 0;
}

static const struct attr_ops drv_uevent_ops = {
	.show = drv_uevent_show,
	.store = uevent_store,
};

int driver_register(struct sim_driver *drv)
{
	struct bus_state *b = &buses[drv->bus];
	struct sim_driver **pp;
	char target[128];

	drv->dir = tree_dir(b->drivers, drv->name);
	tree_attr(drv->dir, "bind", &bind_ops, drv, 0);
	tree_attr(drv->dir, "unbind", &unbind_ops, drv, 0);
	tree_attr(drv->dir, "uevent", &drv_uevent_ops, drv, 0);
	if (drv->bus == BUS_DAX) {
		tree_attr(drv->dir, "new_id", &new_id_ops, drv, 0);
		tree_attr(drv->dir, "remove_id", &remove_id_ops, drv, 0);
	}
	if (drv->module) {
		struct node *mdrv;

		snprintf(target, sizeof(target), "/module/%s", drv->module);
		tree_link(drv->dir, "module", target);
		snprintf(target, sizeof(target), "/module/%s/drivers",
			 drv->module);
		mdrv = tree_mkdir_p(target);
		snprintf(target, sizeof(target), "%s:%s", b->name, drv->name);
		tree_link(mdrv, target, drv->dir->path);
	}
	for (pp = &b->drvs; *pp; pp = &(*pp)->next)
		;
	drv->next = NULL;
	*pp = drv;
	return 0;
}

static int autoprobe_show(struct node *n, struct sbuf *sb)
{
	struct bus_state *b = n->obj;

	return sb_printf(sb, "%d\n", b->autoprobe ? 1 : 0);
}

static int autoprobe_store(struct node *n, const char *buf)
{
	struct bus_state *b = n->obj;

	/* the kernel only looks at the first character */
	b->autoprobe = buf[0] != '0';
	return 0;
}

static const struct attr_ops autoprobe_ops = {
	.show = autoprobe_show,
	.store = autoprobe_store,
};

static int drivers_probe_store(struct node *n, const char *buf)
{
	struct bus_state *b = n->obj;
	struct sim_device *dev = device_find(b - buses, buf);

	if (!dev)
		return -ENODEV;
	device_attach(dev);
	return 0;
}

static const struct attr_ops drivers_probe_ops = {
	.store = drivers_probe_store,
};

static int flush_store(struct node *n, const char *buf)
{
	return strcmp(buf, "1") == 0 ? 0 : -EINVAL;
}

static const struct attr_ops flush_ops = { .store = flush_store };

static const struct attr_ops bus_uevent_ops = { .store = uevent_store };

int bus_init(void)
{
	int i;

	for (i = 0; i < NR_BUSES; i++) {
		struct bus_state *b = &buses[i];
		char path[64];

		snprintf(path, sizeof(path), "/bus/%s", b->name);
		b->dir = tree_mkdir_p(path);
		b->devices = tree_dir(b->dir, "devices");
		b->drivers = tree_dir(b->dir, "drivers");
		tree_attr(b->dir, "drivers_autoprobe", &autoprobe_ops, b, 0);
		tree_attr(b->dir, "drivers_probe", &drivers_probe_ops, b, 0);
		tree_attr(b->dir, "uevent", &bus_uevent_ops, b, 0);
	}
	tree_attr(buses[BUS_CXL].dir, "flush", &flush_ops, NULL, 0);
	devchar_dir = tree_mkdir_p("/dev/char");
	tree_mkdir_p("/dev/block");
	return 0;
}

void bus_exit(void)
{
	int i;

	for (i = 0; i < NR_BUSES; i++) {
		struct sim_driver *drv;

		for (drv = buses[i].drvs; drv; drv = drv->next) {
			while (drv->ids) {
				struct dax_id *id = drv->ids;

				drv->ids = id->next;
				free(id);
			}
		}
	}
}

void devchar_add(int major, int minor, const char *target)
{
	char name[32];

	snprintf(name, sizeof(name), "%d:%d", major, minor);
	tree_link(devchar_dir, name, target);
}

void devchar_del(int major, int minor)
{
	char name[32];

	snprintf(name, sizeof(name), "%d:%d", major, minor);
	tree_remove_child(devchar_dir, name);
}

static int str_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", (const char *)n->obj);
}

const struct attr_ops str_ops = { .show = str_show };

static int devtype_show(struct node *n, struct sbuf *sb)
{
	struct sim_device *dev = n->obj;

	return sb_printf(sb, "%s\n", dev->devtype);
}

const struct attr_ops dev_devtype_ops = { .show = devtype_show };

static int modalias_show(struct node *n, struct sbuf *sb)
{
	struct sim_device *dev = n->obj;

	return sb_printf(sb, "%s\n", dev->modalias);
}

const struct attr_ops dev_modalias_ops = { .show = modalias_show };
