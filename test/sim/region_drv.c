// SPDX-License-Identifier: GPL-2.0
/*
 * Region drivers on the cxl bus: the default cxl_region, and in the
 * region-driver profiles the v1 series' cxl_sysram_region (creates
 * sysram_regionZ with online_type), cxl_dax_kmem_region (binds a
 * configured sysram_regionZ and hot-adds through dax/kmem) and
 * cxl_devdax_region (device-dax). Unbinding tears down everything below,
 * as devm would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "dax.h"
#include "memory.h"

bool region_hpa_has_system_ram(struct cxl_region *r)
{
	unsigned long id, first, last;

	if (!r->has_res)
		return false;
	first = r->start / mem_block_size();
	last = (r->start + r->size - 1) / mem_block_size();
	for (id = first; id <= last; id++) {
		/* any block still present there is a System RAM resource */
		if (mem_block_get(id))
			return true;
	}
	return false;
}

static void pmem_region_release(struct sim_device *dev)
{
	free(dev);
}

static struct sim_device *pmem_region_create(struct cxl_region *r)
{
	struct sim_device *dev = calloc(1, sizeof(*dev));
	struct node *dir;
	char name[48];

	if (!dev)
		return NULL;
	snprintf(name, sizeof(name), "pmem_region%d", r->id);
	device_init(dev, BUS_CXL, DEV_PMEM_REGION, name, r);
	dev->devtype = "cxl_pmem_region";
	dev->modalias = "cxl:t7";
	dev->release = pmem_region_release;
	dir = device_add(dev, r->dev.dir);
	tree_attr(dir, "devtype", &dev_devtype_ops, dev, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, dev, 0);
	device_probe(dev);
	return dev;
}

static int cxl_region_probe(struct sim_device *dev)
{
	struct cxl_region *r = dev->obj;

	if (!r->committed)
		return -ENXIO;
	if (r->mode == CXL_MODE_PMEM) {
		r->pmem = pmem_region_create(r);
		return r->pmem ? 0 : -ENOMEM;
	}
	/* a range that is (still) System RAM is not managed by CXL */
	if (region_hpa_has_system_ram(r))
		return 0;
	r->dax = dax_region_create(r, r->dev.dir, true, MMOP_INVALID);
	return r->dax ? 0 : -ENOMEM;
}

static void cxl_region_remove(struct sim_device *dev)
{
	struct cxl_region *r = dev->obj;

	if (r->dax) {
		dax_region_destroy(r->dax);
		r->dax = NULL;
	}
	if (r->pmem) {
		device_del(r->pmem);
		r->pmem = NULL;
	}
}

struct sim_driver cxl_region_driver = {
	.name = "cxl_region",
	.bus = BUS_CXL,
	.module = "cxl_core",
	.type = DEV_REGION,
	.probe = cxl_region_probe,
	.remove = cxl_region_remove,
};

static int online_type_show(struct node *n, struct sbuf *sb)
{
	struct sysram_region *s = n->obj;

	switch (s->online_type) {
	case MMOP_OFFLINE:
	case MMOP_ONLINE:
	case MMOP_ONLINE_MOVABLE:
		return sb_printf(sb, "%s\n", mmop_name(s->online_type));
	default:
		return sb_puts(sb, "invalid\n");
	}
}

/* v1 accepts exactly offline, online and online_movable */
static int online_type_store(struct node *n, const char *buf)
{
	struct sysram_region *s = n->obj;
	enum mmop type = mmop_parse(buf);

	switch (type) {
	case MMOP_OFFLINE:
	case MMOP_ONLINE:
	case MMOP_ONLINE_MOVABLE:
		s->online_type = type;
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct attr_ops online_type_ops = {
	.show = online_type_show,
	.store = online_type_store,
};

static void sysram_release(struct sim_device *dev)
{
	free(dev->obj);
}

static int sysram_probe(struct sim_device *dev)
{
	struct cxl_region *r = dev->obj;
	struct sysram_region *s;
	struct node *dir;
	char name[48];

	if (r->mode != CXL_MODE_RAM)
		return -ENODEV;
	if (!r->committed)
		return -ENXIO;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->region = r;
	s->online_type = MMOP_INVALID;
	snprintf(name, sizeof(name), "sysram_region%d", r->id);
	device_init(&s->dev, BUS_CXL, DEV_SYSRAM_REGION, name, s);
	s->dev.devtype = "cxl_sysram_region";
	s->dev.modalias = "cxl:t10";
	s->dev.release = sysram_release;
	dir = device_add(&s->dev, r->dev.dir);
	tree_attr(dir, "devtype", &dev_devtype_ops, &s->dev, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &s->dev, 0);
	tree_attr(dir, "online_type", &online_type_ops, s, 0);
	r->sysram = s;
	/* cxl_dax_kmem_region refuses it until online_type is set */
	device_probe(&s->dev);
	return 0;
}

static void sysram_remove(struct sim_device *dev)
{
	struct cxl_region *r = dev->obj;

	if (r->sysram) {
		device_del(&r->sysram->dev);
		r->sysram = NULL;
	}
}

struct sim_driver sysram_region_driver = {
	.name = "cxl_sysram_region",
	.bus = BUS_CXL,
	.module = "cxl_core",
	.type = DEV_REGION,
	.probe = sysram_probe,
	.remove = sysram_remove,
};

static int devdax_probe(struct sim_device *dev)
{
	struct cxl_region *r = dev->obj;

	if (r->mode != CXL_MODE_RAM)
		return -ENODEV;
	if (!r->committed)
		return -ENXIO;
	r->dax = dax_region_create(r, r->dev.dir, false, MMOP_INVALID);
	return r->dax ? 0 : -ENOMEM;
}

struct sim_driver devdax_region_driver = {
	.name = "cxl_devdax_region",
	.bus = BUS_CXL,
	.module = "cxl_core",
	.type = DEV_REGION,
	.probe = devdax_probe,
	.remove = cxl_region_remove,
};

static int dax_kmem_probe(struct sim_device *dev)
{
	struct sysram_region *s = dev->obj;

	if (s->online_type == MMOP_INVALID)
		return -ENODEV;
	s->dax = dax_region_create(s->region, s->dev.dir, true, s->online_type);
	return s->dax ? 0 : -ENOMEM;
}

static void dax_kmem_remove(struct sim_device *dev)
{
	struct sysram_region *s = dev->obj;

	if (s->dax) {
		dax_region_destroy(s->dax);
		s->dax = NULL;
	}
}

struct sim_driver dax_kmem_region_driver = {
	.name = "cxl_dax_kmem_region",
	.bus = BUS_CXL,
	.module = "cxl_core",
	.type = DEV_SYSRAM_REGION,
	.probe = dax_kmem_probe,
	.remove = dax_kmem_remove,
};

int region_drivers_init(void)
{
	if (sim_opts.driver_names_region) {
		sysram_region_driver.name = "region_sysram";
		devdax_region_driver.name = "region_daxdev";
		dax_kmem_region_driver.name = "region_dax_kmem";
	}
	return 0;
}
