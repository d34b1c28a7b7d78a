// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/modules.h"
#include "cxl/lib/stack.h"
#include "util/name.h"
#include "util/sysfs.h"

#define DEFAULT_REGION_DRIVER "cxl_region"

/* the v1 names, then the spellings proposed in review */
static const char *const drv_spellings[][3] = {
	{ "cxl_sysram_region", "cxl_devdax_region", "cxl_dax_kmem_region" },
	{ "region_sysram", "region_daxdev", "region_dax_kmem" },
};

int kernel_caps_detect(struct kernel_caps *caps)
{
	size_t i;

	memset(caps, 0, sizeof(*caps));
	for (i = 0; i < sizeof(drv_spellings) / sizeof(drv_spellings[0]); i++) {
		if (!cxl_driver_exists(drv_spellings[i][0]))
			continue;
		caps->region_driver = true;
		snprintf(caps->sysram_drv, NAME_LEN, "%s", drv_spellings[i][0]);
		snprintf(caps->devdax_drv, NAME_LEN, "%s", drv_spellings[i][1]);
		snprintf(caps->kmem_drv, NAME_LEN, "%s", drv_spellings[i][2]);
		break;
	}
	return 0;
}

int stack_check(const struct kernel_caps *caps, const struct stack_request *r,
		char *why, size_t len)
{
	const struct stack_conflict *c;

	if (r->method == METHOD_REGION_DRIVER && !caps->region_driver) {
		snprintf(
			why, len,
			"this kernel has no cxl_sysram_region driver (the region-driver interface); use --method=auto");
		return -EOPNOTSUPP;
	}
	if (r->mode != RMODE_SYSRAM)
		return 0;
	c = stack_conflict(r->method, r->online);
	if (c) {
		snprintf(why, len, "%s; use --method=%s", c->why, c->methods);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* ---- waiting for the kernel (and udev) to finish a probe chain ---- */

struct wait_ctx {
	const struct region_info *ri;
	const char *driver; /* dax driver wanted, NULL: any or none */
	const struct block_range *range;
	char dev[NAME_LEN];
};

static bool dax_ready(void *arg)
{
	struct wait_ctx *w = arg;
	struct dax_dev devs[STACK_MAX_DAX];
	int i, n = dax_devs_of_region(w->ri->id, devs, STACK_MAX_DAX);

	for (i = 0; i < n; i++) {
		if (w->driver && strcmp(devs[i].driver, w->driver))
			continue;
		/* decide nothing, read nothing, before the probe completes */
		if (!dax_dev_probed(devs[i].name))
			continue;
		memcpy(w->dev, devs[i].name, sizeof(devs[i].name));
		return true;
	}
	return false;
}

static bool blocks_present(void *arg)
{
	struct wait_ctx *w = arg;

	return memblock_count_present(w->range) == w->range->count;
}

static bool sysram_dev_ready(void *arg)
{
	struct wait_ctx *w = arg;
	char p[PATH_MAX];

	return !cxl_dev_path(p, sizeof(p), w->dev, NULL) && sysfs_exists(p);
}

static int wait_dax(struct txn *t, struct wait_ctx *w, const char *driver,
		    int timeout_ms)
{
	char what[WHAT_LEN];

	w->driver = driver;
	snprintf(what, sizeof(what), "%s: wait for dax device%s%s", w->ri->name,
		 driver ? " bound to " : "", driver ? driver : "");
	if (txn_dry_run(t)) {
		snprintf(w->dev, sizeof(w->dev), "dax%d.0", w->ri->id);
		return txn_wait(t, what, dax_ready, w, timeout_ms);
	}
	return txn_wait(t, what, dax_ready, w, timeout_ms);
}

static int wait_blocks(struct txn *t, struct wait_ctx *w, int timeout_ms)
{
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: wait for memory blocks", w->ri->name);
	return txn_wait(t, what, blocks_present, w, timeout_ms);
}

/* ---- the pieces of the three interfaces ---- */

/* region driver: region -> sysram_regionZ(online_type) -> dax -> kmem */
static int via_region_driver(struct txn *t, const struct region_info *ri,
			     const struct kernel_caps *caps,
			     const char *online_type, struct wait_ctx *w,
			     int timeout_ms)
{
	char sysram[NAME_LEN], p[PATH_MAX], what[WHAT_LEN];
	int rc;

	snprintf(sysram, sizeof(sysram), "sysram_region%d", ri->id);
	rc = cxl_bind(t, ri->name, caps->sysram_drv);
	if (rc)
		return rc;
	snprintf(w->dev, sizeof(w->dev), "%s", sysram);
	snprintf(what, sizeof(what), "%s: wait for %s", ri->name, sysram);
	rc = txn_wait(t, what, sysram_dev_ready, w, timeout_ms);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s: set online_type %s", sysram,
		 online_type);
	rc = cxl_dev_path(p, sizeof(p), sysram, "online_type");
	if (rc)
		return txn_fail(t, what, rc);
	/* no undo: the attribute goes away with sysram_regionZ */
	rc = txn_write(t, what, p, online_type, NULL, NULL);
	if (rc < 0)
		return rc;
	rc = cxl_bind(t, sysram, caps->kmem_drv);
	if (rc)
		return rc;
	rc = wait_dax(t, w, "kmem", timeout_ms);
	if (rc)
		return rc;
	return wait_blocks(t, w, timeout_ms);
}

/*
 * Legacy hot-add: bind the default driver with auto-onlining switched off
 * just for the bind, so the blocks arrive offline, whatever the policy.
 */
static int legacy_hot_add_offline(struct txn *t, const struct region_info *ri,
				  struct wait_ctx *w, int timeout_ms)
{
	int guard, rc;

	rc = memblock_auto_online_set(t, "offline", &guard);
	if (rc)
		return rc;
	rc = cxl_bind(t, ri->name, DEFAULT_REGION_DRIVER);
	if (!rc)
		rc = wait_dax(t, w, "kmem", timeout_ms);
	if (!rc)
		rc = wait_blocks(t, w, timeout_ms);
	/* put the global policy back at once, also after a failure */
	if (guard >= 0) {
		int r = txn_undo_now(t, guard);

		if (r && !rc)
			rc = txn_fail(t, "restore auto_online_blocks", r);
	}
	return rc;
}

static int dax_state_online(struct txn *t, const char *dax,
			    enum online_type type)
{
	struct dax_dev dev;
	char what[WHAT_LEN];
	int rc;

	rc = dax_dev_read(dax, &dev);
	if (rc) {
		snprintf(what, sizeof(what), "%s: read", dax);
		return txn_fail(t, what, rc);
	}
	/* onlining is only allowed from "unplugged" */
	if (strcmp(dev.state, "unplugged") && strcmp(dev.state, "unplug")) {
		rc = dax_write_state(t, &dev, "unplugged", NULL);
		if (rc)
			return rc;
	}
	/* the inverse is "unplugged", which makes unbinding kmem safe */
	return dax_write_state(t, &dev, online_type_name(type), "unplugged");
}

static int verify_sysram(struct txn *t, const struct region_info *ri,
			 const struct block_range *r, const char *dax,
			 enum online_type type)
{
	struct block_summary s;
	struct dax_dev dev;
	char what[WHAT_LEN];
	int rc;

	if (txn_dry_run(t))
		return 0;
	snprintf(what, sizeof(what), "%s: verify %s memory", ri->name,
		 online_type_name(type));
	rc = dax_dev_read(dax, &dev);
	if (rc)
		return txn_fail(t, what, rc);
	rc = memblock_summarize(r, dev.target_node, &s);
	if (rc)
		return txn_fail(t, what, rc);
	if (memblock_matches(&s, type))
		return 0;
	snprintf(
		what, sizeof(what),
		"%s: verify %s memory (%lu blocks: %lu present, %lu online, %lu Movable, %lu Normal, %lu off node %d)",
		ri->name, online_type_name(type), s.total, s.present, s.online,
		s.movable, s.normal, s.wrong_node, dev.target_node);
	return txn_fail(t, what, -EIO);
}

static int bring_up_sysram(struct txn *t, const struct region_info *ri,
			   const struct kernel_caps *caps,
			   const struct stack_request *req,
			   struct block_range *range)
{
	struct wait_ctx w = { .ri = ri, .range = range };
	enum method m = req->method;
	struct dax_dev dev;
	bool use_state;
	int rc;

	if (m == METHOD_AUTO && caps->region_driver &&
	    req->online != ONLINE_KERNEL)
		m = METHOD_REGION_DRIVER;

	if (m == METHOD_REGION_DRIVER) {
		rc = via_region_driver(t, ri, caps,
				       online_type_name(req->online), &w,
				       req->timeout_ms);
		if (rc)
			return rc;
		return verify_sysram(t, ri, range, w.dev, req->online);
	}

	/* dax-state and legacy: hot-add with every block offline first */
	if (caps->region_driver && m != METHOD_LEGACY)
		rc = via_region_driver(t, ri, caps, "offline", &w,
				       req->timeout_ms);
	else
		rc = legacy_hot_add_offline(t, ri, &w, req->timeout_ms);
	if (rc)
		return rc;
	if (req->online == ONLINE_OFFLINE)
		return verify_sysram(t, ri, range, w.dev, req->online);

	if (txn_dry_run(t)) {
		/* which of the two follows is only known on the live kernel */
		if (m == METHOD_LEGACY)
			return memblock_online(t, range, req->online, ri->name);
		txn_plan_note(t, "/sys/bus/dax/devices/dax*/state",
			      online_type_name(req->online),
			      "dax-state if present, else each memory block");
		return 0;
	}
	rc = dax_dev_read(w.dev, &dev);
	if (rc)
		return txn_fail(t, w.dev, rc);
	/* the first spelling ("hotplug") had no online_kernel */
	use_state = m != METHOD_LEGACY && dev.state_attr[0] &&
		    !(req->online == ONLINE_KERNEL &&
		      !strcmp(dev.state_attr, "hotplug"));
	if (m == METHOD_DAX_STATE && !use_state) {
		char what[WHAT_LEN];

		snprintf(
			what, sizeof(what),
			"%s: no usable dax state attribute (kernel lacks dax/kmem atomic hotplug)",
			dev.name);
		return txn_fail(t, what, -EOPNOTSUPP);
	}
	if (use_state)
		rc = dax_state_online(t, dev.name, req->online);
	else
		rc = memblock_online(t, range, req->online, ri->name);
	if (rc)
		return rc;
	return verify_sysram(t, ri, range, dev.name, req->online);
}

static int bring_up_devdax(struct txn *t, const struct region_info *ri,
			   const struct kernel_caps *caps,
			   const struct stack_request *req,
			   struct block_range *range)
{
	struct wait_ctx w = { .ri = ri, .range = range };
	struct block_summary s;
	char what[WHAT_LEN];
	int guard, rc;

	if (caps->region_driver && req->method != METHOD_LEGACY) {
		rc = cxl_bind(t, ri->name, caps->devdax_drv);
		if (!rc)
			rc = wait_dax(t, &w, "device_dax", req->timeout_ms);
	} else {
		/* keep kmem from claiming (and hot-adding) the new device */
		rc = dax_autoprobe_off(t, &guard);
		if (rc)
			return rc;
		rc = cxl_bind(t, ri->name, DEFAULT_REGION_DRIVER);
		if (!rc)
			rc = wait_dax(t, &w, NULL, req->timeout_ms);
		if (!rc)
			rc = dax_bind(t, w.dev, "device_dax");
		if (guard >= 0) {
			int r = txn_undo_now(t, guard);

			if (r && !rc)
				rc = txn_fail(t, "restore drivers_autoprobe",
					      r);
		}
	}
	if (rc || txn_dry_run(t))
		return rc;
	snprintf(what, sizeof(what), "%s: verify devdax %s", ri->name, w.dev);
	rc = memblock_summarize(range, -1, &s);
	if (rc)
		return txn_fail(t, what, rc);
	if (s.present || !dax_dev_has_chardev(w.dev))
		return txn_fail(t, what, -EIO);
	return 0;
}

/*
 * ZONE_NORMAL takes unmovable kernel allocations (slab, page tables): once
 * one lands in a block, that block cannot go offline again until reboot.
 * Say so once per command, before the memory goes there.
 */
static void warn_kernel_zone(struct txn *t, const struct stack_request *req)
{
	static bool warned;

	if (warned || req->mode != RMODE_SYSRAM ||
	    (req->online != ONLINE_KERNEL && req->online != ONLINE_ONLINE))
		return;
	warned = true;
	log_msg(txn_log(t), LOG_WARNING, txn_fn(t),
		"warning: --online=%s puts the memory in ZONE_NORMAL%s, where unmovable kernel allocations may keep it from ever going offline again (until reboot); --online=movable keeps it removable",
		req->online == ONLINE_KERNEL ? "kernel" : "online",
		req->online == ONLINE_KERNEL ? "" : " on most kernels");
}

int stack_bring_up(struct txn *t, const struct region_info *ri,
		   const struct kernel_caps *caps,
		   const struct stack_request *req)
{
	static const char *const sysram_mods[] = { "dax_cxl", "kmem", NULL };
	static const char *const devdax_mods[] = { "dax_cxl", "device_dax",
						   NULL };
	struct wait_ctx w = { .ri = ri };
	struct block_range range = { 0 };
	int rc;

	warn_kernel_zone(t, req);
	if (!txn_dry_run(t)) {
		rc = memblock_range(ri->resource, ri->size, &range);
		if (rc)
			return txn_fail(t, "read memory block size", rc);
		modules_ensure(txn_log(t), req->mode == RMODE_DEVDAX
						   ? devdax_mods
						   : sysram_mods);
	}
	switch (req->mode) {
	case RMODE_SYSRAM:
		return bring_up_sysram(t, ri, caps, req, &range);
	case RMODE_DEVDAX:
		return bring_up_devdax(t, ri, caps, req, &range);
	case RMODE_DEFAULT:
		rc = cxl_bind(t, ri->name, DEFAULT_REGION_DRIVER);
		if (rc)
			return rc;
		return wait_dax(t, &w, NULL, req->timeout_ms);
	default:
		return txn_fail(t, ri->name, -EINVAL);
	}
}

/* ---- reading back what a region is ---- */

static bool recorded_holds(const char *rec, const struct block_summary *s)
{
	if (!strcmp(rec, "unplugged") || !strcmp(rec, "unplug"))
		return s->present == 0;
	return memblock_matches(s, online_type_parse(rec));
}

int stack_describe(const struct region_info *ri, struct stack_state *st)
{
	char p[PATH_MAX], sysram[NAME_LEN];
	int i, node = -1, rc;
	const struct dax_dev *kmem = NULL;

	memset(st, 0, sizeof(*st));
	snprintf(st->region_driver, sizeof(st->region_driver), "%s",
		 ri->driver);
	snprintf(sysram, sizeof(sysram), "sysram_region%d", ri->id);
	if (!cxl_dev_path(p, sizeof(p), sysram, NULL) && sysfs_exists(p)) {
		snprintf(st->sysram_dev, sizeof(st->sysram_dev), "%s", sysram);
		cxl_dev_driver(st->sysram_dev, st->sysram_driver,
			       sizeof(st->sysram_driver));
		cxl_dev_path(p, sizeof(p), st->sysram_dev, "online_type");
		if (sysfs_read(p, st->sysram_online_type,
			       sizeof(st->sysram_online_type)))
			st->sysram_online_type[0] = '\0';
	}
	rc = dax_devs_of_region(ri->id, st->dax, STACK_MAX_DAX);
	if (rc < 0)
		return rc;
	st->nr_dax = rc;
	for (i = 0; i < st->nr_dax; i++) {
		if (!strcmp(st->dax[i].driver, "kmem") && !kmem)
			kmem = &st->dax[i];
		else if (!strcmp(st->dax[i].driver, "device_dax") &&
			 st->mode == RMODE_NONE)
			st->mode = RMODE_DEVDAX;
	}
	if (kmem) {
		st->mode = RMODE_SYSRAM;
		node = kmem->target_node;
	}
	if (ri->resource != UINT64_MAX && ri->size) {
		rc = memblock_range(ri->resource, ri->size, &st->range);
		if (rc)
			return rc;
		rc = memblock_summarize(&st->range, node, &st->blocks);
		if (rc)
			return rc;
	}
	if (st->mode != RMODE_SYSRAM)
		return 0;
	if (st->sysram_driver[0] && st->sysram_online_type[0] &&
	    recorded_holds(st->sysram_online_type, &st->blocks)) {
		st->method = METHOD_REGION_DRIVER;
		snprintf(st->online_type, sizeof(st->online_type), "%s",
			 st->sysram_online_type);
	} else if (kmem->state_attr[0] &&
		   recorded_holds(kmem->state, &st->blocks)) {
		st->method = METHOD_DAX_STATE;
		snprintf(st->online_type, sizeof(st->online_type), "%s",
			 strcmp(kmem->state, "unplug") ? kmem->state
						       : "unplugged");
	} else {
		st->method = METHOD_LEGACY;
		snprintf(st->online_type, sizeof(st->online_type), "%s",
			 memblock_derived_type(&st->blocks));
	}
	return 0;
}

/* ---- taking a stack down ---- */

struct rebind_undo {
	char region[NAME_LEN];
	char driver[NAME_LEN];
	bool guard; /* hot-add offline: legacy kmem would online by policy */
	char sysram[NAME_LEN]; /* region driver: restore its online_type */
	char online_type[24];
	/* legacy devdax: keep kmem off and hand these to device_dax again */
	int nr_devdax;
	char devdax[STACK_MAX_DAX][DAX_NAME_LEN];
};

static int undo_rebind(void *arg)
{
	struct rebind_undo *u = arg;
	char p[PATH_MAX], cur[32] = "", probe[8] = "";
	int i, rc, r;

	/* rebinding hot-adds again: keep the blocks offline for the undo */
	if (u->guard && memblock_auto_online_get(cur, sizeof(cur)) == 0 &&
	    strcmp(cur, "offline"))
		memblock_auto_online_put("offline");
	else
		cur[0] = '\0';
	if (u->nr_devdax && dax_autoprobe_put("0", probe, sizeof(probe)) < 0)
		probe[0] = '\0';
	rc = cxl_drv_path(p, sizeof(p), u->driver, "bind");
	if (!rc)
		rc = sysfs_write(p, u->region);
	for (i = 0; !rc && i < u->nr_devdax; i++)
		rc = dax_new_id(u->devdax[i], "device_dax");
	if (probe[0]) {
		char scratch[8];

		r = dax_autoprobe_put(probe, scratch, sizeof(scratch));
		if (r && !rc)
			rc = r;
	}
	/* a new sysram_regionZ starts "invalid": give it its type back */
	if (!rc && u->sysram[0] && u->online_type[0] &&
	    strcmp(u->online_type, "invalid")) {
		rc = cxl_dev_path(p, sizeof(p), u->sysram, "online_type");
		if (!rc)
			rc = sysfs_write(p, u->online_type);
	}
	if (cur[0]) {
		r = memblock_auto_online_put(cur);
		if (r && !rc)
			rc = r;
	}
	return rc;
}

int stack_tear_down(struct txn *t, const struct region_info *ri,
		    const struct stack_state *st)
{
	const struct dax_dev *kmem = NULL;
	struct rebind_undo *u;
	char p[PATH_MAX], what[WHAT_LEN];
	bool legacy_devdax;
	int i, rc;

	for (i = 0; i < st->nr_dax; i++)
		if (!strcmp(st->dax[i].driver, "kmem"))
			kmem = &st->dax[i];

	if (kmem && st->blocks.present) {
		/* the memory goes first; never unbind kmem with blocks online */
		if (kmem->state_attr[0] && st->method == METHOD_DAX_STATE) {
			rc = dax_try_state(t, kmem, "unplugged", kmem->state);
			/*
			 * On EBUSY the kernel put every block back online.
			 * Name the blocks that refuse by offlining block by
			 * block (the rollback onlines them again); the unplug
			 * has failed either way.
			 */
			if (rc == -EBUSY &&
			    !memblock_offline(t, &st->range, ri->name))
				rc = -EBUSY;
			else if (rc == -EBUSY)
				return rc;
			if (rc) {
				snprintf(what, sizeof(what),
					 "%s: set %s unplugged", kmem->name,
					 kmem->state_attr);
				return txn_fail(t, what, rc);
			}
		} else if (st->blocks.online) {
			rc = memblock_offline(t, &st->range, ri->name);
			if (rc)
				return rc;
		}
	}
	/*
	 * A device_dax binding made through new_id (legacy devdax) leaves
	 * the id in the driver's table, where it would claim the next daxZ.Y
	 * of that name: drop it. Unbinding the region removes the device.
	 */
	legacy_devdax = !strcmp(ri->driver, DEFAULT_REGION_DRIVER);
	for (i = 0; legacy_devdax && i < st->nr_dax; i++) {
		if (strcmp(st->dax[i].driver, "device_dax"))
			continue;
		rc = dax_drop_id(t, st->dax[i].name, "device_dax");
		if (rc)
			return rc;
	}
	if (st->sysram_dev[0] && st->sysram_driver[0]) {
		rc = cxl_unbind(t, st->sysram_dev);
		if (rc)
			return rc;
	}
	if (!ri->driver[0])
		return 0;
	snprintf(what, sizeof(what), "%s: unbind %s", ri->name, ri->driver);
	rc = cxl_drv_path(p, sizeof(p), ri->driver, "unbind");
	if (rc)
		return txn_fail(t, what, rc);
	u = calloc(1, sizeof(*u));
	if (!u)
		return txn_fail(t, what, -ENOMEM);
	snprintf(u->region, sizeof(u->region), "%s", ri->name);
	snprintf(u->driver, sizeof(u->driver), "%s", ri->driver);
	u->guard = !strcmp(ri->driver, DEFAULT_REGION_DRIVER) &&
		   st->mode == RMODE_SYSRAM;
	for (i = 0; legacy_devdax && i < st->nr_dax; i++)
		if (!strcmp(st->dax[i].driver, "device_dax"))
			snprintf(u->devdax[u->nr_devdax++], DAX_NAME_LEN, "%s",
				 st->dax[i].name);
	if (st->sysram_dev[0]) {
		snprintf(u->sysram, sizeof(u->sysram), "%s", st->sysram_dev);
		snprintf(u->online_type, sizeof(u->online_type), "%s",
			 st->sysram_online_type);
	}
	rc = txn_write_fn(t, what, p, ri->name, undo_rebind, u, what);
	return rc < 0 ? rc : 0;
}
