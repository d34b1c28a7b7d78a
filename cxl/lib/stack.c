// SPDX-License-Identifier: GPL-2.0
/*
 * The stack above a committed RAM region: bring it up the way
 * stack_choose() decided, read back what it is, take it down. The kernel
 * interfaces themselves are in stack-region-driver.c, stack-dax-state.c
 * and stack-legacy.c; this file only sequences them.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/modules.h"
#include "cxl/lib/stack-iface.h"
#include "util/name.h"
#include "util/progress.h"
#include "util/sysfs.h"

void stack_sysram_name(const struct region_info *ri, char *buf, size_t len)
{
	snprintf(buf, len, "sysram_region%d", ri->id);
}

bool stack_record_holds(const char *rec, const struct block_summary *s)
{
	if (!strcmp(rec, "unplugged") || !strcmp(rec, "unplug"))
		return s->present == 0;
	return memblock_matches(s, online_type_parse(rec));
}

/* ---- waiting for the kernel (and udev) to finish a probe chain ---- */

struct dax_wait {
	struct stack_ctx *c;
	const char *driver; /* dax driver wanted, NULL: any or none */
};

static bool dax_ready(void *arg)
{
	struct dax_wait *w = arg;
	struct dax_dev devs[STACK_MAX_DAX];
	int i, n = dax_devs_of_region(w->c->ri->id, devs, STACK_MAX_DAX);

	for (i = 0; i < n; i++) {
		if (w->driver && strcmp(devs[i].driver, w->driver))
			continue;
		/* decide nothing, read nothing, before the probe completes */
		if (!dax_dev_probed(devs[i].name))
			continue;
		memcpy(w->c->dax, devs[i].name, sizeof(w->c->dax));
		return true;
	}
	return false;
}

int stack_wait_dax(struct stack_ctx *c, const char *driver)
{
	struct dax_wait w = { .c = c, .driver = driver };
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: wait for dax device%s%s", c->ri->name,
		 driver ? " bound to " : "", driver ? driver : "");
	/* the name the kernel gives the region's first dax device */
	if (txn_dry_run(c->t))
		snprintf(c->dax, sizeof(c->dax), "dax%d.0", c->ri->id);
	return txn_wait(c->t, what, dax_ready, &w, c->timeout_ms);
}

/*
 * For undos, outside the transaction: until the region has a dax device
 * bound to kmem whose probe has ended (on 7.3 it runs asynchronously,
 * and resolves the online type from auto_online_blocks as it starts), or
 * @timeout_ms has passed.
 */
int stack_wait_kmem_probed(int region_id, int timeout_ms)
{
	struct dax_dev devs[STACK_MAX_DAX];
	int i, n, waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		n = dax_devs_of_region(region_id, devs, STACK_MAX_DAX);
		for (i = 0; i < n; i++)
			if (!strcmp(devs[i].driver, "kmem") &&
			    dax_dev_probed(devs[i].name))
				return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static bool blocks_present(void *arg)
{
	const struct block_range *r = arg;
	unsigned long n = memblock_count_present(r);

	progress_update(n);
	return n == r->count;
}

int stack_wait_blocks(struct stack_ctx *c)
{
	char what[WHAT_LEN];
	int rc;

	snprintf(what, sizeof(what), "%s: wait for memory blocks", c->ri->name);
	if (!txn_dry_run(c->t))
		progress_begin(what, c->range.count);
	rc = txn_wait(c->t, what, blocks_present, &c->range, c->timeout_ms);
	progress_end();
	return rc;
}

/* ---- bringing a region up ---- */

static int verify_sysram(struct stack_ctx *c, enum online_type type)
{
	struct block_summary s;
	struct dax_dev dev;
	char what[WHAT_LEN];
	int rc;

	if (txn_dry_run(c->t))
		return 0;
	snprintf(what, sizeof(what), "%s: verify %s memory", c->ri->name,
		 online_type_name(type));
	rc = dax_dev_read(c->dax, &dev);
	if (rc)
		return txn_fail(c->t, what, rc);
	progress_begin(what, c->range.count);
	rc = memblock_summarize(&c->range, dev.target_node, &s);
	progress_end();
	if (rc)
		return txn_fail(c->t, what, rc);
	if (memblock_matches(&s, type))
		return 0;
	snprintf(
		what, sizeof(what),
		"%s: verify %s memory (%lu blocks: %lu present, %lu online, %lu Movable, %lu Normal, %lu off node %d)",
		c->ri->name, online_type_name(type), s.total, s.present,
		s.online, s.movable, s.normal, s.wrong_node, dev.target_node);
	return txn_fail(c->t, what, -EIO);
}

/* the device as the dry run assumes it after an offline hot-add */
static void planned_dev(const struct stack_ctx *c, struct dax_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", c->dax);
	snprintf(dev->driver, sizeof(dev->driver), "kmem");
	snprintf(dev->state_attr, sizeof(dev->state_attr), "%s",
		 c->caps->dax_state_attr[0] ? c->caps->dax_state_attr
					    : "state");
	snprintf(dev->state, sizeof(dev->state), "offline");
}

static int no_dax_state(struct stack_ctx *c, const struct dax_dev *dev)
{
	char what[WHAT_LEN];

	snprintf(
		what, sizeof(what),
		"%s: no usable dax state attribute (this kernel's kmem lacks atomic hotplug; use --method=auto or legacy)",
		dev->name);
	return txn_fail(c->t, what, -EOPNOTSUPP);
}

static int online_via(struct stack_ctx *c, enum method m,
		      const struct dax_dev *dev, enum online_type type)
{
	if (m == METHOD_LEGACY)
		return lg_online(c, type);
	if (dev->state_attr[0] &&
	    (type != ONLINE_KERNEL || strcmp(dev->state_attr, "hotplug")))
		return ds_online(c, dev, type);
	return no_dax_state(c, dev);
}

/*
 * --method=dax-state: the state onlines the whole device in one go, but
 * after an offline hot-add only by unplugging it and hot-adding it again,
 * so where it is there (or expected from the release) the memory is
 * hot-added with the requested type at once. Every other bring-up stays
 * offline and onlines by the walk (see choose_sysram()).
 */
bool stack_online_at_probe(const struct kernel_caps *caps,
			   const struct stack_choice *ch,
			   const struct stack_request *req)
{
	if (ch->hot_add == METHOD_REGION_DRIVER ||
	    ch->online != METHOD_DAX_STATE || req->online == ONLINE_OFFLINE)
		return false;
	/* the first spelling ("hotplug") had no online_kernel */
	if (req->online == ONLINE_KERNEL &&
	    !strcmp(caps->dax_state_attr, "hotplug"))
		return false;
	return caps->dax_state == CAP_YES ||
	       (caps->dax_state == CAP_UNKNOWN && caps->dax_state_expected);
}

/* after a hot-add with the type: done when the state records it */
static bool onlined_at_probe(struct stack_ctx *c, const struct dax_dev *dev,
			     enum online_type type)
{
	if (!dev->state_attr[0] || strcmp(dev->state, online_type_name(type)))
		return false;
	log_msg(txn_log(c->t), LOG_DEBUG, txn_fn(c->t),
		"%s: hot-added %s as kmem probed (the dax state records it)",
		dev->name, online_type_name(type));
	return true;
}

static int bring_up_sysram(struct stack_ctx *c, const struct stack_request *req,
			   const struct stack_choice *ch, enum method *used)
{
	bool at_probe = stack_online_at_probe(c->caps, ch, req);
	struct dax_dev dev;
	int rc;

	if (ch->hot_add == METHOD_REGION_DRIVER)
		rc = rd_hot_add(c, ch->hot_add_type);
	else if (at_probe)
		rc = ds_hot_add_online(c, req->online);
	else
		rc = lg_hot_add_offline(c);
	if (rc)
		return rc;
	*used = ch->method;
	if (ch->online == METHOD_REGION_DRIVER)
		return verify_sysram(c, req->online);
	if (req->online == ONLINE_OFFLINE)
		return verify_sysram(c, req->online);

	if (txn_dry_run(c->t)) {
		/* at the probe: the kernel onlines as it hot-adds */
		if (at_probe)
			return 0;
		planned_dev(c, &dev);
		return online_via(c, ch->online, &dev, req->online);
	}
	rc = dax_dev_read(c->dax, &dev);
	if (rc)
		return txn_fail(c->t, c->dax, rc);
	if (!at_probe || !onlined_at_probe(c, &dev, req->online)) {
		/* at the probe but not recorded: a backport, or no state */
		rc = online_via(c, ch->online, &dev, req->online);
		if (rc)
			return rc;
	}
	return verify_sysram(c, req->online);
}

static const char *const sysram_mods[] = { "dax_cxl", "kmem", NULL };
static const char *const devdax_mods[] = { "dax_cxl", "device_dax", NULL };

/* no memory block of the range left, and the device's character device */
static int verify_devdax(struct stack_ctx *c)
{
	struct block_summary s;
	char what[WHAT_LEN];
	int rc;

	if (txn_dry_run(c->t))
		return 0;
	snprintf(what, sizeof(what), "%s: verify devdax %s", c->ri->name,
		 c->dax);
	rc = memblock_summarize(&c->range, -1, &s);
	if (rc)
		return txn_fail(c->t, what, rc);
	if (s.present || !dax_dev_has_chardev(c->dax))
		return txn_fail(c->t, what, -EIO);
	return 0;
}

static int bring_up_devdax(struct stack_ctx *c, const struct stack_choice *ch)
{
	int rc;

	if (ch->hot_add == METHOD_REGION_DRIVER)
		rc = rd_devdax(c);
	else
		rc = lg_devdax(c);
	return rc ? rc : verify_devdax(c);
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

int stack_check_range(struct txn *t, const struct region_info *ri,
		      struct block_range *range)
{
	char what[WHAT_LEN];
	int rc;

	rc = memblock_range(ri->resource, ri->size, range);
	if (rc)
		return txn_fail(t, "read memory block size", rc);
	/*
	 * Blocks in the range before anything is bound: memory that an
	 * earlier region left online (disable-region --force). A bind would
	 * wait for a hot-add that cannot happen.
	 */
	if (!memblock_count_present(range))
		return 0;
	snprintf(
		what, sizeof(what),
		"%s: its address range %#" PRIx64 "-%#" PRIx64
		" is still System RAM (memory an earlier region left online, until it goes offline or the host reboots); bring-up",
		ri->name, ri->resource, ri->resource + ri->size - 1);
	return txn_fail(t, what, -EEXIST);
}

int stack_bring_up(struct txn *t, const struct region_info *ri,
		   const struct kernel_caps *caps,
		   const struct stack_request *req,
		   const struct stack_choice *ch, enum method *used)
{
	struct stack_ctx c = {
		.t = t, .ri = ri, .caps = caps, .timeout_ms = req->timeout_ms
	};
	int rc;

	warn_kernel_zone(t, req);
	*used = ch->method;
	if (!txn_dry_run(t)) {
		rc = stack_check_range(t, ri, &c.range);
		if (rc)
			return rc;
		modules_ensure(txn_log(t), req->mode == RMODE_DEVDAX
						   ? devdax_mods
						   : sysram_mods);
	}
	switch (req->mode) {
	case RMODE_SYSRAM:
		return bring_up_sysram(&c, req, ch, used);
	case RMODE_DEVDAX:
		return bring_up_devdax(&c, ch);
	case RMODE_DEFAULT:
		return lg_hot_add_default(&c);
	default:
		return txn_fail(t, ri->name, -EINVAL);
	}
}

/* ---- reading back what a region is ---- */

static void read_sysram_dev(const struct region_info *ri,
			    struct stack_state *st)
{
	char p[PATH_MAX], sysram[NAME_LEN];

	stack_sysram_name(ri, sysram, sizeof(sysram));
	if (cxlbus_dev_path(p, sizeof(p), sysram, NULL) || !sysfs_exists(p))
		return;
	snprintf(st->sysram_dev, sizeof(st->sysram_dev), "%s", sysram);
	cxlbus_dev_driver(st->sysram_dev, st->sysram_driver,
			  sizeof(st->sysram_driver));
	cxlbus_dev_path(p, sizeof(p), st->sysram_dev, "online_type");
	if (sysfs_read(p, st->sysram_online_type,
		       sizeof(st->sysram_online_type)))
		st->sysram_online_type[0] = '\0';
}

int stack_describe(const struct region_info *ri, struct stack_state *st)
{
	int i, node = -1, rc;

	memset(st, 0, sizeof(*st));
	st->kmem = -1;
	snprintf(st->region_driver, sizeof(st->region_driver), "%s",
		 ri->driver);
	read_sysram_dev(ri, st);
	rc = dax_devs_of_region(ri->id, st->dax, STACK_MAX_DAX);
	if (rc < 0)
		return rc;
	st->nr_dax = rc;
	for (i = 0; i < st->nr_dax; i++) {
		if (!strcmp(st->dax[i].driver, "kmem") && st->kmem < 0)
			st->kmem = i;
		else if (!strcmp(st->dax[i].driver, "device_dax") &&
			 st->mode == RMODE_NONE)
			st->mode = RMODE_DEVDAX;
	}
	if (st->kmem >= 0) {
		const struct dax_dev *k = &st->dax[st->kmem];

		st->mode = RMODE_SYSRAM;
		node = k->target_node;
		if (k->state_attr[0])
			snprintf(st->dax_state, sizeof(st->dax_state), "%s",
				 strcmp(k->state, "unplug") ? k->state
							    : "unplugged");
	} else if (!strcmp(ri->mode, "pmem") && ri->driver[0]) {
		st->mode = RMODE_PMEM;
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
	snprintf(st->online_type, sizeof(st->online_type), "%s",
		 memblock_derived_type(&st->blocks));
	if (rd_holds(st))
		st->method = METHOD_REGION_DRIVER;
	else if (ds_holds(st))
		st->method = METHOD_DAX_STATE;
	else
		st->method = METHOD_LEGACY;
	return 0;
}

/* ---- taking a stack down ---- */

struct rebind_undo {
	char region[NAME_LEN];
	int region_id;
	bool kmem; /* its memory comes back through kmem's probe */
	int timeout_ms;
	char driver[NAME_LEN];
	char sysram[NAME_LEN]; /* region driver: restore its online_type */
	char online_type[24];
	/* legacy devdax: hand these to device_dax again */
	int nr_devdax;
	char devdax[STACK_MAX_DAX][DAX_NAME_LEN];
};

/* runs inside the guards the teardown set up for it (see below) */
static int undo_rebind(void *arg)
{
	struct rebind_undo *u = arg;
	char p[PATH_MAX];
	int i, rc;

	rc = cxlbus_drv_path(p, sizeof(p), u->driver, "bind");
	if (!rc)
		rc = sysfs_write(p, u->region);
	/*
	 * The guards around this undo must hold until kmem's probe has
	 * read them: it may still run when the bind returns (7.3). A probe
	 * that does not end in time is said by the verification after.
	 */
	if (!rc && u->kmem)
		stack_wait_kmem_probed(u->region_id, u->timeout_ms);
	for (i = 0; !rc && i < u->nr_devdax; i++)
		rc = dax_new_id(u->devdax[i], "device_dax");
	/* a new sysram_regionZ starts "invalid": give it its type back */
	if (!rc && u->sysram[0] && u->online_type[0] &&
	    strcmp(u->online_type, "invalid")) {
		rc = cxlbus_dev_path(p, sizeof(p), u->sysram, "online_type");
		if (!rc)
			rc = sysfs_write(p, u->online_type);
	}
	return rc;
}

static struct rebind_undo *rebind_undo_new(const struct region_info *ri,
					   const struct stack_state *st,
					   bool legacy_devdax)
{
	struct rebind_undo *u = calloc(1, sizeof(*u));
	int i;

	if (!u)
		return NULL;
	snprintf(u->region, sizeof(u->region), "%s", ri->name);
	u->region_id = ri->id;
	u->kmem = !strcmp(ri->driver, DEFAULT_REGION_DRIVER) &&
		  st->mode == RMODE_SYSRAM;
	u->timeout_ms = STACK_UNDO_WAIT_MS;
	snprintf(u->driver, sizeof(u->driver), "%s", ri->driver);
	for (i = 0; legacy_devdax && i < st->nr_dax; i++)
		if (!strcmp(st->dax[i].driver, "device_dax"))
			snprintf(u->devdax[u->nr_devdax++], DAX_NAME_LEN, "%s",
				 st->dax[i].name);
	if (st->sysram_dev[0]) {
		snprintf(u->sysram, sizeof(u->sysram), "%s", st->sysram_dev);
		snprintf(u->online_type, sizeof(u->online_type), "%s",
			 st->sysram_online_type);
	}
	return u;
}

/*
 * Unbind the region's driver. Its undo binds it again, which hot-adds
 * again: under the same guards the bring-up used (auto-onlining off for
 * the default driver's kmem, autoprobe off for a legacy devdax), applied
 * only if the rollback runs.
 */
/*
 * The policy a rebind in the rollback hot-adds under: offline, and the
 * blocks' own undos online them again; but where the dax state records
 * the memory's type, that type, so that the state records it again.
 */
static const char *rebind_policy(const struct stack_state *st)
{
	const char *t = st->kmem >= 0 ? ds_restore(st) : NULL;

	if (t && (!strcmp(t, "online") || !strcmp(t, "online_kernel") ||
		  !strcmp(t, "online_movable")))
		return t;
	return "offline";
}

static int unbind_region(struct stack_ctx *c, const struct stack_state *st,
			 bool legacy_devdax)
{
	const struct region_info *ri = c->ri;
	struct txn_guard online = { -1 }, probe = { -1 };
	char p[PATH_MAX], what[WHAT_LEN];
	struct rebind_undo *u;
	int rc, r;

	snprintf(what, sizeof(what), "%s: unbind %s", ri->name, ri->driver);
	rc = cxlbus_drv_path(p, sizeof(p), ri->driver, "unbind");
	if (rc)
		return txn_fail(c->t, what, rc);
	if (!strcmp(ri->driver, DEFAULT_REGION_DRIVER) &&
	    st->mode == RMODE_SYSRAM) {
		rc = memblock_hold_auto_online(c->t, &online, rebind_policy(st),
					       TXN_GUARD_ROLLBACK);
		if (rc)
			return rc;
	}
	if (legacy_devdax) {
		rc = dax_hold_autoprobe_off(c->t, &probe, TXN_GUARD_ROLLBACK);
		if (rc)
			goto out;
	}
	u = rebind_undo_new(ri, st, legacy_devdax);
	if (!u) {
		rc = txn_fail(c->t, what, -ENOMEM);
		goto out;
	}
	/* a region that does not come back: nothing below it is undone */
	rc = txn_step(c->t, what, p, ri->name,
		      &(struct txn_undo){
			      .fn = undo_rebind, .arg = u, .barrier = true },
		      0);
out:
	r = txn_guard_end(c->t, &probe);
	if (!rc)
		rc = r;
	r = txn_guard_end(c->t, &online);
	return rc ? rc : r;
}

int stack_tear_down(struct txn *t, const struct region_info *ri,
		    const struct stack_state *st)
{
	struct stack_ctx c = { .t = t, .ri = ri, .range = st->range };
	bool legacy_devdax;
	int i, rc;

	if (st->kmem >= 0 && st->blocks.present) {
		/*
		 * The memory goes first; never unbind kmem with blocks online.
		 * Block by block in the walk's order, whichever interface
		 * holds them: the dax state's unplug would do it in one write,
		 * but the kernel then offlines the blocks upwards, which costs
		 * it more the larger the region (Linux 7.3, 256 blocks: a
		 * destroy took 1.25 s so, 0.90 s by the walk). Unbinding kmem
		 * then removes the offline memory, whatever the state says.
		 */
		log_msg(txn_log(t), LOG_DEBUG, txn_fn(t),
			"%s: %lu of %lu blocks present, %lu online, held by %s: offline the online blocks one by one",
			ri->name, st->blocks.present, st->blocks.total,
			st->blocks.online, method_name(st->method));
		rc = lg_offline(&c, st);
		if (rc)
			return rc;
	}
	/*
	 * A device_dax binding made through new_id (legacy devdax) leaves
	 * the id in the driver's table, where it would claim the next daxZ.Y
	 * of that name: drop it. Unbinding the region removes the device.
	 */
	legacy_devdax = !strcmp(ri->driver, DEFAULT_REGION_DRIVER) &&
			st->mode == RMODE_DEVDAX;
	for (i = 0; legacy_devdax && i < st->nr_dax; i++) {
		if (strcmp(st->dax[i].driver, "device_dax"))
			continue;
		rc = dax_drop_id(t, st->dax[i].name, "device_dax");
		if (rc)
			return rc;
	}
	rc = rd_release(&c, st);
	if (rc || !ri->driver[0])
		return rc;
	return unbind_region(&c, st, legacy_devdax);
}

int stack_remove_region(struct txn *t, const struct region_info *ri,
			const struct stack_state *st)
{
	int rc;

	/* memory offline first; a refusal stops here and puts it all back */
	rc = stack_tear_down(t, ri, st);
	if (!rc && ri->committed)
		rc = region_decommit(t, ri->name);
	if (!rc)
		rc = region_detach_all(t, ri);
	if (!rc)
		rc = region_delete(t, ri);
	return rc;
}

/* ---- sysram to devdax on the same dax device ---- */

/* a change of the sysram region @ri, whose dax device kmem holds */
static void ctx_on_kmem(struct stack_ctx *c, struct txn *t,
			const struct region_info *ri,
			const struct stack_state *st,
			const struct kernel_caps *caps,
			const struct stack_request *req)
{
	*c = (struct stack_ctx){ .t = t,
				 .ri = ri,
				 .caps = caps,
				 .range = st->range,
				 .timeout_ms = req->timeout_ms };
	snprintf(c->dax, sizeof(c->dax), "%s", st->dax[st->kmem].name);
}

struct kmem_undo {
	char dev[DAX_NAME_LEN];
	int region_id;
	int timeout_ms;
};

/* runs inside the guard its step set up (see unbind_kmem) */
static int undo_kmem_unbind(void *arg)
{
	struct kmem_undo *u = arg;
	char p[PATH_MAX];
	int rc = dax_drv_path(p, sizeof(p), "kmem", "bind");

	if (!rc)
		rc = sysfs_write(p, u->dev);
	/* the probe hot-adds under the guard: it must end inside it (7.3) */
	if (!rc)
		rc = stack_wait_kmem_probed(u->region_id, u->timeout_ms);
	return rc;
}

/*
 * Let kmem go of the region's dax device, which removes its memory (every
 * block of it offline by now). The undo binds kmem again, hot-adding
 * under the policy a region rebind would (rebind_policy), applied only if
 * the rollback runs; the blocks' own undos then online them as they were.
 */
static int unbind_kmem(struct stack_ctx *c, const struct stack_state *st)
{
	const struct dax_dev *k = &st->dax[st->kmem];
	struct txn_guard online = { -1 };
	char p[PATH_MAX], what[WHAT_LEN];
	struct kmem_undo *u;
	int rc, r;

	snprintf(what, sizeof(what), "%s: unbind kmem", k->name);
	rc = dax_drv_path(p, sizeof(p), "kmem", "unbind");
	if (rc)
		return txn_fail(c->t, what, rc);
	rc = memblock_hold_auto_online(c->t, &online, rebind_policy(st),
				       TXN_GUARD_ROLLBACK);
	if (rc)
		return rc;
	u = calloc(1, sizeof(*u));
	if (!u) {
		rc = txn_fail(c->t, what, -ENOMEM);
		goto out;
	}
	snprintf(u->dev, sizeof(u->dev), "%s", k->name);
	u->region_id = c->ri->id;
	u->timeout_ms = STACK_UNDO_WAIT_MS;
	/* memory that does not come back: the blocks' undos cannot run */
	rc = txn_step(c->t, what, p, k->name,
		      &(struct txn_undo){ .fn = undo_kmem_unbind,
					  .arg = u,
					  .barrier = true },
		      0);
out:
	r = txn_guard_end(c->t, &online);
	return rc ? rc : r;
}

/*
 * Whether a sysram region goes to devdax without leaving its driver: the
 * default region driver holds it, with one dax device, on kmem, and the
 * bring-up would hand that device to device_dax anyway (legacy's devdax).
 */
static bool retarget_applies(const struct region_info *ri,
			     const struct stack_state *st,
			     const struct stack_request *req,
			     const struct stack_choice *ch)
{
	return req->mode == RMODE_DEVDAX && st->mode == RMODE_SYSRAM &&
	       st->kmem >= 0 && st->nr_dax == 1 && !st->sysram_dev[0] &&
	       !strcmp(ri->driver, DEFAULT_REGION_DRIVER) &&
	       ch->hot_add != METHOD_REGION_DRIVER;
}

/*
 * The dax device moves from kmem to device_dax, the region stays bound:
 * the online blocks go offline (one write each), kmem lets the device go
 * and removes its memory (1), device_dax takes it through its id table
 * (1). N + 2 writes, where taking the region down and up again is N + 5
 * (unbind, drivers_autoprobe held at 0 and back, bind, new_id). What it
 * leaves is what a legacy devdax create does.
 */
static int retarget_to_devdax(struct txn *t, const struct region_info *ri,
			      const struct stack_state *st,
			      const struct kernel_caps *caps,
			      const struct stack_request *req)
{
	struct stack_ctx c;
	int rc;

	ctx_on_kmem(&c, t, ri, st, caps, req);
	log_msg(txn_log(t), LOG_DEBUG, txn_fn(t),
		"%s: %s from kmem to device_dax in place: %lu blocks online to take offline first",
		ri->name, c.dax, st->blocks.online);
	if (!txn_dry_run(t))
		modules_ensure(txn_log(t), devdax_mods);
	rc = lg_offline(&c, st);
	if (!rc)
		rc = unbind_kmem(&c, st);
	if (!rc)
		rc = dax_bind(t, c.dax, "device_dax");
	if (!rc)
		rc = stack_wait_dax(&c, "device_dax");
	return rc ? rc : verify_devdax(&c);
}

bool stack_is(const struct stack_state *st, const struct stack_request *req)
{
	if (req->mode == RMODE_DEFAULT)
		return false;
	if (st->mode != req->mode)
		return false;
	if (st->mode != RMODE_SYSRAM)
		return true;
	return memblock_matches(&st->blocks, req->online);
}

/* a sysram region to another online type, without taking it down */
static int reconfigure_in_place(struct txn *t, const struct region_info *ri,
				const struct stack_state *st,
				const struct kernel_caps *caps,
				const struct stack_request *req,
				const struct stack_transition *tr)
{
	struct stack_ctx c;
	int rc;

	warn_kernel_zone(t, req);
	ctx_on_kmem(&c, t, ri, st, caps, req);
	rc = stack_transition_run(&c, st, req, tr);
	return rc ? rc : verify_sysram(&c, req->online);
}

int stack_reconfigure(struct txn *t, const struct region_info *ri,
		      const struct stack_state *st,
		      const struct kernel_caps *caps,
		      const struct stack_request *req, struct stack_choice *ch,
		      enum method *used)
{
	struct region_info down = *ri;
	struct stack_transition tr;
	int rc;

	stack_transition_choose(ri, st, caps, req, ch, &tr);
	if (tr.lever != STACK_REBUILD) {
		rc = reconfigure_in_place(t, ri, st, caps, req, &tr);
		if (rc)
			return rc;
		/* the plan names the interface this way leaves holding it */
		ch->method = tr.method;
		*used = tr.method;
		return 0;
	}
	if (retarget_applies(ri, st, req, ch)) {
		*used = ch->method;
		return retarget_to_devdax(t, ri, st, caps, req);
	}
	rc = stack_tear_down(t, ri, st);
	if (rc)
		return rc;
	/* the region as the bring-up will find it: unbound */
	down.driver[0] = '\0';
	return stack_bring_up(t, &down, caps, req, ch, used);
}
