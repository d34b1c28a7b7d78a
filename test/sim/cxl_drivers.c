// SPDX-License-Identifier: GPL-2.0
/* The cxl bus drivers, registered in the order the kernel loads them. */
#include "dax.h"

static int nop_probe(struct sim_device *dev)
{
	return 0;
}

static struct sim_driver cxl_port_driver = {
	.name = "cxl_port",
	.bus = BUS_CXL,
	.module = "cxl_port",
	.type = DEV_PORT,
	.probe = nop_probe,
};

static struct sim_driver cxl_mem_driver = {
	.name = "cxl_mem",
	.bus = BUS_CXL,
	.module = "cxl_mem",
	.type = DEV_MEMDEV,
	.probe = nop_probe,
};

static struct sim_driver cxl_nvb_driver = {
	.name = "cxl_nvdimm_bridge",
	.bus = BUS_CXL,
	.module = "cxl_pmem",
	.type = DEV_NVDIMM_BRIDGE,
	.probe = nop_probe,
};

static bool match_none(struct sim_driver *drv, struct sim_device *dev)
{
	return false;
}

static struct sim_driver cxl_nvdimm_driver = {
	.name = "cxl_nvdimm",
	.bus = BUS_CXL,
	.module = "cxl_pmem",
	.match = match_none,
};

static struct sim_driver cxl_pmem_region_driver = {
	.name = "cxl_pmem_region",
	.bus = BUS_CXL,
	.module = "cxl_pmem",
	.type = DEV_PMEM_REGION,
	.probe = nop_probe,
};

int cxl_drivers_init(void)
{
	region_drivers_init();
	driver_register(&cxl_port_driver);
	driver_register(&cxl_mem_driver);
	driver_register(&cxl_nvb_driver);
	driver_register(&cxl_nvdimm_driver);
	driver_register(&cxl_pmem_region_driver);
	driver_register(&cxl_region_driver);
	driver_register(&cxl_dax_region_driver);
	if (sim_opts.region_drivers) {
		driver_register(&sysram_region_driver);
		driver_register(&devdax_region_driver);
		driver_register(&dax_kmem_region_driver);
	}
	return 0;
}
