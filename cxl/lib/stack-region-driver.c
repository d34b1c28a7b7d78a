// SPDX-License-Identifier: GPL-2.0
/*
 * The region-driver interface (the proposed cxl_sysram_region series):
 * regionZ bound to cxl_sysram_region creates sysram_regionZ, whose
 * online_type is set before cxl_dax_kmem_region hot-adds the memory with
 * it; cxl_devdax_region makes a device-dax region instead. The review
 * spellings region_sysram / region_daxdev / region_dax_kmem work alike.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/stack-iface.h"
#include "util/narrate.h"
#include "util/sysfs.h"

static bool sysram_dev_ready(void *arg)
{
	const char *dev = arg;
	char p[PATH_MAX];

	return !cxlbus_dev_path(p, sizeof(p), dev, NULL) && sysfs_exists(p);
}

int rd_hot_add(struct stack_ctx *c, enum online_type type)
{
	char sysram[NAME_LEN], p[PATH_MAX], what[WHAT_LEN];
	const char *val = online_type_name(type);
	int rc;

	stack_sysram_name(c->ri, sysram, sizeof(sysram));
	rc = cxlbus_bind(c->t, c->ri->name, c->caps->sysram_drv);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s: wait for %s", c->ri->name, sysram);
	rc = txn_wait(c->t, what, sysram_dev_ready, sysram, c->timeout_ms);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s: set online_type %s", sysram, val);
	rc = cxlbus_dev_path(p, sizeof(p), sysram, "online_type");
	if (rc)
		return txn_fail(c->t, what, rc);
	/* no undo: the attribute goes away with sysram_regionZ */
	rc = txn_write(c->t, what, p, val, NULL, NULL);
	if (rc)
		return rc;
	rc = cxlbus_bind(c->t, sysram, c->caps->kmem_drv);
	if (rc)
		return rc;
	rc = stack_wait_dax(c, "kmem");
	if (rc)
		return rc;
	rc = stack_wait_blocks(c);
	/* the kernel applied the type as it hot-added them */
	if (!rc && !txn_dry_run(c->t))
		narrate_range(c->ri->name, val, c->range.first, c->range.count,
			      c->range.block_size);
	return rc;
}

int rd_devdax(struct stack_ctx *c)
{
	int rc = cxlbus_bind(c->t, c->ri->name, c->caps->devdax_drv);

	return rc ? rc : stack_wait_dax(c, "device_dax");
}

bool rd_holds(const struct stack_state *st)
{
	return st->sysram_driver[0] && st->sysram_online_type[0] &&
	       stack_record_holds(st->sysram_online_type, &st->blocks);
}

int rd_release(struct stack_ctx *c, const struct stack_state *st)
{
	if (!st->sysram_dev[0] || !st->sysram_driver[0])
		return 0;
	return cxlbus_unbind(c->t, st->sysram_dev);
}

int rd_retype(struct stack_ctx *c, const struct stack_state *st,
	      enum online_type type)
{
	char p[PATH_MAX], what[WHAT_LEN];
	const char *val = online_type_name(type);
	int rc;

	/*
	 * Never unbind the kmem region driver above online memory: unplug
	 * it where the dax state can put it back as it is, else offline it
	 * block by block.
	 */
	if (st->blocks.online) {
		if (ds_restore(st))
			rc = ds_unplug(c, st, ds_restore(st));
		else
			rc = memblock_offline(c->t, &c->range, c->ri->name);
		if (rc)
			return rc;
	}
	rc = cxlbus_unbind(c->t, st->sysram_dev);
	if (rc)
		return rc;
	if (strcmp(st->sysram_online_type, val)) {
		snprintf(what, sizeof(what), "%s: set online_type %s",
			 st->sysram_dev, val);
		rc = cxlbus_dev_path(p, sizeof(p), st->sysram_dev,
				     "online_type");
		if (rc)
			return txn_fail(c->t, what, rc);
		/* the rebind in the rollback hot-adds with the old type */
		rc = txn_write(c->t, what, p, val, p, st->sysram_online_type);
		if (rc)
			return rc;
	}
	rc = cxlbus_bind(c->t, st->sysram_dev, c->caps->kmem_drv);
	if (!rc && type != ONLINE_OFFLINE)
		rc = memblock_push_offline_undo(c->t, &c->range, c->ri->name);
	if (!rc)
		rc = stack_wait_dax(c, "kmem");
	return rc ? rc : stack_wait_blocks(c);
}
