// SPDX-License-Identifier: GPL-2.0
/*
 * dax_regionZ (cxl bus, driver cxl_dax_region) and daxZ.0 (dax bus) with
 * the kmem and device_dax drivers. A region created for kmem carries the
 * IORESOURCE_DAX_KMEM flag, so its device matches kmem by type; anything
 * else needs a new_id entry, as on the kernel's dax bus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "dax.h"
#include "memory.h"

#define DAX_MAX_MINORS 4096

static unsigned char minors[DAX_MAX_MINORS];

static int minor_alloc(void)
{
	int i;

	for (i = 0; i < DAX_MAX_MINORS; i++) {
		if (!minors[i]) {
			minors[i] = 1;
			return i;
		}
	}
	return -1;
}

static int u64_dec_show(struct node *n, struct sbuf *sb)
{
	const u64 *v = n->obj;

	return sb_printf(sb, "%llu\n", (unsigned long long)*v);
}

static const struct attr_ops u64_dec_ops = { .show = u64_dec_show };

static int u64_hex_show(struct node *n, struct sbuf *sb)
{
	const u64 *v = n->obj;

	return sb_printf(sb, "0x%llx\n", (unsigned long long)*v);
}

static const struct attr_ops u64_hex_ops = { .show = u64_hex_show };

static int int_show(struct node *n, struct sbuf *sb)
{
	const int *v = n->obj;

	return sb_printf(sb, "%d\n", *v);
}

static const struct attr_ops int_ops = { .show = int_show };

static int dev_show(struct node *n, struct sbuf *sb)
{
	struct sim_device *dev = n->obj;

	return sb_printf(sb, "%d:%d\n", dev->major, dev->minor);
}

static const struct attr_ops dev_ops = { .show = dev_show };

static int end_show(struct node *n, struct sbuf *sb)
{
	struct dax_dev *dd = n->obj;

	return sb_printf(sb, "0x%llx\n",
			 (unsigned long long)(dd->start + dd->size - 1));
}

static const struct attr_ops end_ops = { .show = end_show };

static int mapping_store(struct node *n, const char *buf)
{
	/* static (CXL) regions do not take new mappings */
	return -EINVAL;
}

static const struct attr_ops mapping_ops = { .store = mapping_store };

static int available_show(struct node *n, struct sbuf *sb)
{
	struct dax_region *dr = n->obj;

	return sb_printf(sb, "%llu\n",
			 (unsigned long long)(dr->ddev ? 0 : dr->size));
}

static const struct attr_ops available_ops = { .show = available_show };

static void dax_dev_release(struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj;

	devchar_del(DAX_MAJOR, dev->minor);
	devnode_set(dev->name, DAX_MAJOR, dev->minor, DEVNODE_NONE);
	if (dev->minor >= 0 && dev->minor < DAX_MAX_MINORS)
		minors[dev->minor] = 0;
	free(dd);
}

int dax_dev_create(struct dax_region *dr)
{
	struct dax_dev *dd = calloc(1, sizeof(*dd));
	struct node *dir, *map;
	char name[48];

	if (!dd)
		return -ENOMEM;
	dd->region = dr;
	dd->start = dr->start;
	dd->size = dr->size;
	dd->nid = dr->nid;
	dd->state = MMOP_INVALID;
	snprintf(name, sizeof(name), "dax%d.0", dr->id);
	device_init(&dd->dev, BUS_DAX, DEV_DAX, name, dd);
	dd->dev.modalias = "dax:t0";
	dd->dev.major = DAX_MAJOR;
	dd->dev.minor = minor_alloc();
	dd->dev.release = dax_dev_release;
	dir = device_add(&dd->dev, dr->dev.dir);
	tree_attr(dir, "align", &str_ops, "2097152", 0);
	tree_attr(dir, "dev", &dev_ops, &dd->dev, 0);
	tree_attr(dir, "mapping", &mapping_ops, dd, 0);
	map = tree_dir(dir, "mapping0");
	tree_attr(map, "start", &u64_hex_ops, &dd->start, 0);
	tree_attr(map, "end", &end_ops, dd, 0);
	tree_attr(map, "page_offset", &str_ops, "0x0", 0);
	tree_attr(dir, "memmap_on_memory", &str_ops, "1", 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &dd->dev, 0);
	tree_attr(dir, "numa_node", &str_ops, "-1", 0);
	tree_attr(dir, "resource", &u64_hex_ops, &dd->start, 0);
	tree_attr(dir, "size", &u64_dec_ops, &dd->size, 0);
	tree_attr(dir, "target_node", &int_ops, &dd->nid, 0);
	devchar_add(DAX_MAJOR, dd->dev.minor, dir->path);
	devnode_set(name, DAX_MAJOR, dd->dev.minor, DEVNODE_CHAR);
	dr->ddev = dd;
	dax_dev_probe(dd);
	return 0;
}

void dax_dev_destroy(struct dax_dev *dd)
{
	dd->region->ddev = NULL;
	dax_dev_probe_forget(dd);
	device_del(&dd->dev);
}

static int cxl_dax_region_probe(struct sim_device *dev)
{
	struct dax_region *dr = dev->obj;
	struct node *a;

	a = tree_dir(dr->dev.dir, "dax_region");
	tree_attr(a, "id", &int_ops, &dr->id, 0);
	tree_attr(a, "size", &u64_dec_ops, &dr->size, 0);
	tree_attr(a, "align", &str_ops, "2097152", 0);
	tree_attr(a, "available_size", &available_ops, dr, 0);
	dr->attrs = a;
	return dax_dev_create(dr);
}

static void cxl_dax_region_remove(struct sim_device *dev)
{
	struct dax_region *dr = dev->obj;

	if (dr->ddev)
		dax_dev_destroy(dr->ddev);
	tree_remove(dr->attrs);
	dr->attrs = NULL;
}

struct sim_driver cxl_dax_region_driver = {
	.name = "cxl_dax_region",
	.bus = BUS_CXL,
	.module = "dax_cxl",
	.type = DEV_DAX_REGION,
	.probe = cxl_dax_region_probe,
	.remove = cxl_dax_region_remove,
};

static void dax_region_release(struct sim_device *dev)
{
	free(dev->obj);
}

struct dax_region *dax_region_create(struct cxl_region *r, struct node *parent,
				     bool kmem, enum mmop online_type)
{
	struct dax_region *dr = calloc(1, sizeof(*dr));
	struct node *dir;
	char name[48];

	if (!dr)
		return NULL;
	dr->id = r->id;
	dr->region = r;
	dr->kmem = kmem;
	dr->online_type = online_type;
	dr->start = r->start;
	dr->size = r->size;
	dr->nid = r->root->nid;
	snprintf(name, sizeof(name), "dax_region%d", r->id);
	device_init(&dr->dev, BUS_CXL, DEV_DAX_REGION, name, dr);
	dr->dev.devtype = "cxl_dax_region";
	dr->dev.modalias = "cxl:t8";
	dr->dev.release = dax_region_release;
	dir = device_add(&dr->dev, parent);
	tree_attr(dir, "devtype", &dev_devtype_ops, &dr->dev, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &dr->dev, 0);
	device_probe(&dr->dev);
	return dr;
}

void dax_region_destroy(struct dax_region *dr)
{
	device_del(&dr->dev);
}

/* device_dax: a char device for mmap; here a regular /dev file */
static bool device_dax_match(struct sim_driver *drv, struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj;

	return driver_has_id(drv, dev->name) || !dd->region->kmem;
}

static int device_dax_probe(struct sim_device *dev)
{
	devnode_set(dev->name, DAX_MAJOR, dev->minor, DEVNODE_FILE);
	devnode_devdax_changed(NULL);
	return 0;
}

static void device_dax_remove(struct sim_device *dev)
{
	devnode_set(dev->name, DAX_MAJOR, dev->minor, DEVNODE_CHAR);
	devnode_devdax_changed(dev);
}

static struct sim_driver device_dax_driver = {
	.name = "device_dax",
	.bus = BUS_DAX,
	.module = "device_dax",
	.match = device_dax_match,
	.probe = device_dax_probe,
	.remove = device_dax_remove,
};

int dax_init(void)
{
	driver_register(&device_dax_driver);
	return kmem_driver_init();
}
