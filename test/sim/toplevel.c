// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of a sysfs root that tools look at in passing: the top-level
 * directories and /sys/devices/system/cpu/{online,possible,present}
 * (glibc reads them for get_nprocs()), with the host's CPU count.
 */
#include <stdio.h>
#include <unistd.h>

#include "sim.h"
#include "tree.h"

static char cpus[32];

static int cpus_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", cpus);
}

static const struct attr_ops cpus_ops = { .show = cpus_show };

int toplevel_init(void)
{
	static const char *const dirs[] = { "block", "class",	   "firmware",
					    "fs",    "hypervisor", "power" };
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	struct node *cpu;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		tree_dir(tree_root(), dirs[i]);
	if (n > 1)
		snprintf(cpus, sizeof(cpus), "0-%ld", n - 1);
	else
		snprintf(cpus, sizeof(cpus), "0");
	cpu = tree_mkdir_p("/devices/system/cpu");
	tree_attr(cpu, "online", &cpus_ops, NULL, 0);
	tree_attr(cpu, "possible", &cpus_ops, NULL, 0);
	tree_attr(cpu, "present", &cpus_ops, NULL, 0);
	return 0;
}
