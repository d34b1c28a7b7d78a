// SPDX-License-Identifier: GPL-2.0
/*
 * cxl-sim: a userspace cxl_test. Serves a synthetic /sys (cxl and dax
 * buses, memory blocks, NUMA nodes, modules) through FUSE so that the
 * unmodified libcxl/libdaxctl and cxl/daxctl binaries run against it.
 * Single-threaded: every request is handled in order, which keeps the
 * operation counters deterministic.
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "sim.h"
#include "ctl.h"
#include "dax.h"
#include "fs.h"
#include "memory.h"

struct sim_stats sim_stats;
const char *sim_teardown_reason;

static int sim_build(void)
{
	int rc;

	rc = tree_init();
	if (!rc)
		rc = bus_init();
	if (!rc)
		rc = toplevel_init();
	if (!rc)
		rc = modules_init();
	if (!rc)
		rc = mem_init();
	if (!rc)
		rc = cxl_drivers_init();
	if (!rc)
		rc = dax_init();
	if (!rc)
		rc = topo_build();
	if (!rc && sim_opts.auto_region)
		rc = topo_auto_region();
	if (!rc)
		rc = ctl_init();
	/* start counting from a clean slate */
	memset(&sim_stats, 0, sizeof(sim_stats));
	sim_stats.peak_present = mem_present_cxl();
	return rc;
}

static void sim_teardown(void)
{
	topo_exit();
	devnode_exit();
	fault_exit();
	bus_exit();
	mem_exit();
	cxl_memdev_exit();
	cxl_port_exit();
	tree_exit();
}

static int sim_serve(void)
{
	char *argv[] = { "cxl-sim", "-o", "fsname=cxl-sim,subtype=cxl-sim",
			 NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse *fuse;
	int rc = 1;

	fuse = fuse_new(&args, sim_fuse_ops(), sizeof(struct fuse_operations),
			NULL);
	if (!fuse)
		goto out_args;
	if (fuse_mount(fuse, sim_opts.mountpoint))
		goto out_destroy;
	if (fuse_set_signal_handlers(fuse_get_session(fuse)))
		goto out_unmount;
	rc = fuse_loop(fuse) ? 1 : 0;
	fuse_remove_signal_handlers(fuse_get_session(fuse));
out_unmount:
	fuse_unmount(fuse);
out_destroy:
	fuse_destroy(fuse);
out_args:
	fuse_opt_free_args(&args);
	return rc;
}

int main(int argc, char **argv)
{
	int rc;

	rc = options_parse(argc, argv);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (sim_opts.validate_only)
		return 0;
	/* never outlive the runner that started us */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	rc = sim_build();
	if (rc) {
		fprintf(stderr, "cxl-sim: failed to build the topology: %s\n",
			errno_name(-rc));
		sim_teardown();
		return 1;
	}
	rc = sim_serve();
	sim_teardown();
	return rc;
}
