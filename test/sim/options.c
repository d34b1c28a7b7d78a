// SPDX-License-Identifier: GPL-2.0
/* Command line of cxl-sim. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct sim_opts sim_opts = {
	.profile = "legacy",
	.topology_name = "cxl_test",
	.topology = TOPO_CXL_TEST,
	.memdevs = 0,
	.memdev_size = 0,
	.block_size = 128ULL << 20,
	.auto_online = MMOP_ONLINE,
	.policy = POLICY_CONTIG_ZONES,
	.boot_memory = 2ULL << 30,
};

enum {
	OPT_PROFILE = 256,
	OPT_TOPOLOGY,
	OPT_MEMDEVS,
	OPT_MEMDEV_SIZE,
	OPT_BLOCK_SIZE,
	OPT_AUTO_ONLINE,
	OPT_ONLINE_POLICY,
	OPT_AUTO_REGION,
	OPT_REGION_LOCKED,
	OPT_DAX_ATTR,
	OPT_DRIVER_NAMES,
	OPT_BOOT_MEMORY,
	OPT_DEVDIR,
	OPT_TRACE,
	OPT_VALIDATE,
	OPT_KMEM_PROBE_GAP,
};

static const struct option long_opts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "topology", required_argument, NULL, OPT_TOPOLOGY },
	{ "memdevs", required_argument, NULL, OPT_MEMDEVS },
	{ "memdev-size", required_argument, NULL, OPT_MEMDEV_SIZE },
	{ "block-size", required_argument, NULL, OPT_BLOCK_SIZE },
	{ "auto-online", required_argument, NULL, OPT_AUTO_ONLINE },
	{ "online-policy", required_argument, NULL, OPT_ONLINE_POLICY },
	{ "auto-region", no_argument, NULL, OPT_AUTO_REGION },
	{ "region-locked", no_argument, NULL, OPT_REGION_LOCKED },
	{ "dax-attr", required_argument, NULL, OPT_DAX_ATTR },
	{ "driver-names", required_argument, NULL, OPT_DRIVER_NAMES },
	{ "boot-memory", required_argument, NULL, OPT_BOOT_MEMORY },
	{ "devdir", required_argument, NULL, OPT_DEVDIR },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "validate", no_argument, NULL, OPT_VALIDATE },
	{ "kmem-probe-gap", required_argument, NULL, OPT_KMEM_PROBE_GAP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fprintf(f,
		"usage: cxl-sim [options] <mountpoint>\n"
		"\n"
		"Serve a simulated CXL/DAX/memory-hotplug sysfs over "
		"<mountpoint> (FUSE).\n"
		"\n"
		"  "
		"--profile=legacy|dax-state|region-driver|region-driver+dax-"
		"state\n"
		"  --topology=cxl_test|qemu1|qemu2|large\n"
		"  --memdevs=N              large: number of memdevs (default "
		"8)\n"
		"  --memdev-size=S          large/qemu: capacity per memdev\n"
		"  --block-size=S           memory block size (default 128M)\n"
		"  --auto-online=offline|online|online_kernel|online_movable\n"
		"  --online-policy=contig-zones|auto-movable\n"
		"  --auto-region            cxl_test: one firmware-assembled "
		"RAM region\n"
		"  --region-locked          regions have kernel 7.1's "
		"read-only locked attribute\n"
		"  --dax-attr=state|hotplug spelling of the dax-state "
		"attribute\n"
		"  --driver-names=cxl|region spelling of the region drivers\n"
		"  --boot-memory=S          boot DRAM on node0 (default 2G)\n"
		"  --devdir=DIR             create /dev entries (memdevs, dax) "
		"in DIR\n"
		"  --kmem-probe-gap=MS      kmem probe: the state attribute "
		"appears MS ms\n"
		"                           after the driver link and the "
		"blocks (default 0)\n"
		"  --trace                  log every store and its result to "
		"stderr\n"
		"  --validate               check the options and exit\n");
}

static int set_profile(const char *v)
{
	if (strcmp(v, "legacy") == 0) {
		sim_opts.dax_state = false;
		sim_opts.region_drivers = false;
	} else if (strcmp(v, "dax-state") == 0) {
		sim_opts.dax_state = true;
		sim_opts.region_drivers = false;
	} else if (strcmp(v, "region-driver") == 0) {
		sim_opts.dax_state = false;
		sim_opts.region_drivers = true;
	} else if (strcmp(v, "region-driver+dax-state") == 0) {
		sim_opts.dax_state = true;
		sim_opts.region_drivers = true;
	} else {
		return -EINVAL;
	}
	sim_opts.profile = v;
	return 0;
}

static int set_topology(const char *v)
{
	static const struct {
		const char *name;
		enum sim_topology topo;
	} topos[] = {
		{ "cxl_test", TOPO_CXL_TEST },
		{ "qemu1", TOPO_QEMU1 },
		{ "qemu2", TOPO_QEMU2 },
		{ "large", TOPO_LARGE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(topos); i++) {
		if (strcmp(v, topos[i].name) == 0) {
			sim_opts.topology = topos[i].topo;
			sim_opts.topology_name = topos[i].name;
			return 0;
		}
	}
	return -EINVAL;
}

static int bad(const char *opt, const char *v)
{
	fprintf(stderr, "cxl-sim: invalid value for --%s: '%s'\n", opt, v);
	return -EINVAL;
}

static int parse_one(int c, const char *v)
{
	u64 size;
	int n;

	switch (c) {
	case OPT_PROFILE:
		return set_profile(v) ? bad("profile", v) : 0;
	case OPT_TOPOLOGY:
		return set_topology(v) ? bad("topology", v) : 0;
	case OPT_MEMDEVS:
		if (parse_int(v, &n) || n < 1 || n > 256)
			return bad("memdevs", v);
		sim_opts.memdevs = n;
		return 0;
	case OPT_MEMDEV_SIZE:
		if (parse_size(v, &size) || !size || size % SZ_256M)
			return bad("memdev-size", v);
		sim_opts.memdev_size = size;
		return 0;
	case OPT_BLOCK_SIZE:
		if (parse_size(v, &size) || !is_pow2(size) || size < 16 * SZ_1M)
			return bad("block-size", v);
		sim_opts.block_size = size;
		return 0;
	case OPT_AUTO_ONLINE:
		sim_opts.auto_online = mmop_parse(v);
		return sim_opts.auto_online == MMOP_INVALID
			       ? bad("auto-online", v)
			       : 0;
	case OPT_ONLINE_POLICY:
		if (strcmp(v, "contig-zones") == 0)
			sim_opts.policy = POLICY_CONTIG_ZONES;
		else if (strcmp(v, "auto-movable") == 0)
			sim_opts.policy = POLICY_AUTO_MOVABLE;
		else
			return bad("online-policy", v);
		return 0;
	case OPT_AUTO_REGION:
		sim_opts.auto_region = true;
		return 0;
	case OPT_REGION_LOCKED:
		sim_opts.region_locked_attr = true;
		return 0;
	case OPT_DAX_ATTR:
		if (strcmp(v, "state") == 0)
			sim_opts.dax_attr_hotplug = false;
		else if (strcmp(v, "hotplug") == 0)
			sim_opts.dax_attr_hotplug = true;
		else
			return bad("dax-attr", v);
		return 0;
	case OPT_DRIVER_NAMES:
		if (strcmp(v, "cxl") == 0)
			sim_opts.driver_names_region = false;
		else if (strcmp(v, "region") == 0)
			sim_opts.driver_names_region = true;
		else
			return bad("driver-names", v);
		return 0;
	case OPT_BOOT_MEMORY:
		if (parse_size(v, &size) || !size)
			return bad("boot-memory", v);
		sim_opts.boot_memory = size;
		return 0;
	case OPT_DEVDIR:
		sim_opts.devdir = v;
		return 0;
	case OPT_TRACE:
		sim_opts.trace = true;
		return 0;
	case OPT_VALIDATE:
		sim_opts.validate_only = true;
		return 0;
	case OPT_KMEM_PROBE_GAP:
		if (parse_int(v, &n) || n < 0 || n > 60000)
			return bad("kmem-probe-gap", v);
		sim_opts.kmem_probe_gap_ms = n;
		return 0;
	}
	return -EINVAL;
}

/* returns 0, 1 for --help, or -EINVAL */
int options_parse(int argc, char **argv)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			options_usage(stdout);
			return 1;
		}
		if (c == '?' || parse_one(c, optarg)) {
			options_usage(stderr);
			return -EINVAL;
		}
	}
	if (sim_opts.boot_memory % sim_opts.block_size) {
		fprintf(stderr, "cxl-sim: --boot-memory must be a multiple of "
				"the block size\n");
		return -EINVAL;
	}
	if (sim_opts.validate_only)
		return 0;
	if (optind != argc - 1) {
		fprintf(stderr, "cxl-sim: expected exactly one mountpoint\n");
		options_usage(stderr);
		return -EINVAL;
	}
	sim_opts.mountpoint = argv[optind];
	return 0;
}
