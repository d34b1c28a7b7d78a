// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/module: every module the CXL/DAX stack needs reads as loaded
 * ("live"), so libkmod never tries to insert a real module into the host
 * kernel; memory_hotplug is built in and only has parameters.
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"
#include "tree.h"

static const char *const live_modules[] = {
	"cxl_core", "cxl_acpi", "cxl_port",  "cxl_mem",
	"cxl_pci",  "cxl_pmem", "dax_cxl",   "device_dax",
	"kmem",	    "dax",	"libnvdimm", "nd_pmem",
};

static const char *const cxl_test_modules[] = {
	"cxl_test",
	"cxl_mock",
	"cxl_mock_mem",
};

static int const_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", (const char *)n->obj);
}

static const struct attr_ops const_ops = { .show = const_show };

static int empty_show(struct node *n, struct sbuf *sb)
{
	return 0;
}

static const struct attr_ops empty_ops = { .show = empty_show };

static void add_live(const char *name)
{
	char path[128];
	struct node *m;

	snprintf(path, sizeof(path), "/module/%s", name);
	m = tree_mkdir_p(path);
	tree_attr(m, "initstate", &const_ops, "live", 0);
	tree_attr(m, "refcnt", &const_ops, "0", 0);
	tree_attr(m, "coresize", &const_ops, "65536", 0);
	tree_attr(m, "initsize", &const_ops, "0", 0);
	tree_attr(m, "taint", &empty_ops, NULL, 0);
	tree_dir(m, "holders");
	tree_dir(m, "parameters");
	tree_dir(m, "drivers");
}

static int policy_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n",
			 sim_opts.policy == POLICY_AUTO_MOVABLE
				 ? "auto-movable"
				 : "contig-zones");
}

static int policy_store(struct node *n, const char *buf)
{
	if (strcmp(buf, "contig-zones") == 0)
		sim_opts.policy = POLICY_CONTIG_ZONES;
	else if (strcmp(buf, "auto-movable") == 0)
		sim_opts.policy = POLICY_AUTO_MOVABLE;
	else
		return -EINVAL;
	return 0;
}

static const struct attr_ops policy_ops = {
	.show = policy_show,
	.store = policy_store,
};

static unsigned int movable_ratio = 301;
static bool movable_numa_aware = true;

static int ratio_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%u\n", movable_ratio);
}

static int ratio_store(struct node *n, const char *buf)
{
	u64 v;

	if (parse_u64(buf, &v) || v > 0xffffffffULL)
		return -EINVAL;
	movable_ratio = (unsigned int)v;
	return 0;
}

static const struct attr_ops ratio_ops = {
	.show = ratio_show,
	.store = ratio_store,
};

static int numa_aware_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%c\n", movable_numa_aware ? 'Y' : 'N');
}

static int numa_aware_store(struct node *n, const char *buf)
{
	return parse_bool(buf, &movable_numa_aware);
}

static const struct attr_ops numa_aware_ops = {
	.show = numa_aware_show,
	.store = numa_aware_store,
};

int modules_init(void)
{
	struct node *p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(live_modules); i++)
		add_live(live_modules[i]);
	if (sim_opts.topology == TOPO_CXL_TEST)
		for (i = 0; i < ARRAY_SIZE(cxl_test_modules); i++)
			add_live(cxl_test_modules[i]);

	p = tree_mkdir_p("/module/memory_hotplug/parameters");
	tree_attr(p, "online_policy", &policy_ops, NULL, 0);
	tree_attr(p, "auto_movable_ratio", &ratio_ops, NULL, 0);
	tree_attr(p, "auto_movable_numa_aware", &numa_aware_ops, NULL, 0);
	tree_attr(p, "memmap_on_memory", &const_ops, "N", 0);
	return 0;
}
