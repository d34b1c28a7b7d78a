// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's control files, /sys/kernel/debug/cxl-sim/:
 *  stats - JSON operation counters; write "reset"
 *  fail  - fault rules (see fault.c); write a rule or "clear"
 *  busy  - memory blocks that refuse to go offline (EBUSY); write
 *          "memoryN", "memoryN-M" (several, space separated) or "clear"
 *  state - canonical JSON dump of the simulated kernel state
 *  locked - regions locked as firmware locks them (their regionZ/locked
 *          reads 1 with --region-locked, and they cannot be decommitted);
 *          write "regionN" (several, space separated) or "clear"
 *  defer - "DRIVER N": that driver's next N probes are deferred, as the
 *          kernel defers one (a bind then fails with EAGAIN, a new_id
 *          leaves the device unbound); "clear"
 *  zoneinfo - what /proc/zoneinfo says of the simulated memory; the
 *          runner binds it over /proc/zoneinfo. Not a control file: its
 *          reads are counted like any sysfs read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "cxl.h"
#include "memory.h"

static int stats_show(struct node *n, struct sbuf *sb)
{
	const struct sim_stats *s = &sim_stats;

	return sb_printf(sb,
			 "{\"opens\":%lu,\"reads\":%lu,\"writes\":%lu,"
			 "\"readdirs\":%lu,\"readlinks\":%lu,\"getattrs\":%lu,"
			 "\"hotplug\":{\"blocks_added\":%lu,"
			 "\"blocks_removed\":%lu,\"peak_present\":%lu}}\n",
			 s->opens, s->reads, s->writes, s->readdirs,
			 s->readlinks, s->getattrs, s->blocks_added,
			 s->blocks_removed, s->peak_present);
}

static int stats_store(struct node *n, const char *buf)
{
	if (strcmp(buf, "reset") != 0)
		return -EINVAL;
	memset(&sim_stats, 0, sizeof(sim_stats));
	sim_stats.peak_present = mem_present_cxl();
	return 0;
}

static const struct attr_ops stats_ops = {
	.show = stats_show,
	.store = stats_store,
};

static int fail_show(struct node *n, struct sbuf *sb)
{
	fault_show(sb);
	return 0;
}

static int fail_store(struct node *n, const char *buf)
{
	return fault_store(buf);
}

static const struct attr_ops fail_ops = {
	.show = fail_show,
	.store = fail_store,
};

static int busy_show(struct node *n, struct sbuf *sb)
{
	mem_busy_show(sb);
	return 0;
}

static int busy_store(struct node *n, const char *buf)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (strcmp(buf, "clear") == 0) {
		mem_busy_clear();
		return 0;
	}
	copy = strdup(buf);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " ,\t\n", &save); tok && !rc;
	     tok = strtok_r(NULL, " ,\t\n", &save))
		rc = mem_busy_add(tok);
	free(copy);
	return rc;
}

static int defer_show(struct node *n, struct sbuf *sb)
{
	driver_deferred_show(sb);
	return 0;
}

static int defer_store(struct node *n, const char *buf)
{
	char name[32];
	unsigned int count;

	if (strcmp(buf, "clear") == 0) {
		driver_defer_probes("", 0);
		return 0;
	}
	if (sscanf(buf, "%31s %u", name, &count) != 2)
		return -EINVAL;
	driver_defer_probes(name, count);
	return 0;
}

static const struct attr_ops defer_ops = {
	.show = defer_show,
	.store = defer_store,
};

static const struct attr_ops busy_ops = {
	.show = busy_show,
	.store = busy_store,
};

static int locked_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r;
	int rc = 0;

	for (r = cxl.regions; r && !rc; r = r->next)
		if (r->locked)
			rc = sb_printf(sb, "region%d\n", r->id);
	return rc;
}

static int locked_store(struct node *n, const char *buf)
{
	char *copy, *tok, *save = NULL;
	struct cxl_region *r;
	int rc = 0;

	if (strcmp(buf, "clear") == 0) {
		for (r = cxl.regions; r; r = r->next)
			r->locked = false;
		return 0;
	}
	copy = strdup(buf);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " ,\t\n", &save); tok && !rc;
	     tok = strtok_r(NULL, " ,\t\n", &save)) {
		r = region_find(tok);
		if (r)
			r->locked = true;
		else
			rc = -ENOENT;
	}
	free(copy);
	return rc;
}

static const struct attr_ops locked_ops = {
	.show = locked_show,
	.store = locked_store,
};

static int state_show(struct node *n, struct sbuf *sb)
{
	return state_dump(sb);
}

static const struct attr_ops state_ops = { .show = state_show };

static int zoneinfo_show(struct node *n, struct sbuf *sb)
{
	return numa_zoneinfo_show(sb);
}

static const struct attr_ops zoneinfo_ops = { .show = zoneinfo_show };

int ctl_init(void)
{
	struct node *kernel = tree_mkdir_p("/kernel");
	struct node *debug = tree_dir(kernel, "debug");
	struct node *dir;

	kernel->flags |= NODE_CTL;
	debug->flags |= NODE_CTL;
	dir = tree_dir(debug, "cxl-sim");
	dir->flags |= NODE_CTL;
	tree_attr(dir, "stats", &stats_ops, NULL, 0);
	tree_attr(dir, "fail", &fail_ops, NULL, 0);
	tree_attr(dir, "busy", &busy_ops, NULL, 0);
	tree_attr(dir, "defer", &defer_ops, NULL, 0);
	tree_attr(dir, "state", &state_ops, NULL, 0);
	tree_attr(dir, "locked", &locked_ops, NULL, 0);
	tree_attr(dir, "zoneinfo", &zoneinfo_ops, NULL, 0)->flags &= ~NODE_CTL;
	return 0;
}
