// SPDX-License-Identifier: GPL-2.0
/*
 * A sysram region changing its online type in place: the way with the
 * fewest writes from what the region is to what is asked, among the ones
 * its kernel interfaces offer, with ties going to the one that moves the
 * fewest blocks:
 *
 *   blocks        memoryN/state of only the blocks that differ: one write
 *                 per block to online or offline, two to change zones
 *   dax-state     daxX.Y/state: "unplugged", then the new type (2 writes,
 *                 1 when it is unplugged already); not offline
 *   region driver offline the online blocks (one unplug where the dax
 *                 state can), unbind sysram_regionZ from the kmem region
 *                 driver, set its online_type (if it differs), bind it
 *                 again (online blocks + 2 or 3 writes, or 3 or 4 with the
 *                 dax state); not online_kernel (v1)
 *   rebuild       the whole stack down and up again (stack.c), when that
 *                 is cheaper (dax-state to offline on a large region) or
 *                 nothing else applies (a mode change)
 *
 * The plan and the run decide alike: on the same region state, the same
 * way, so the plan's writes are the run's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/stack-iface.h"

/* blocks that differ from @t, counted in writes; false: cannot */
static bool blocks_cost(const struct block_summary *b, enum online_type t,
			unsigned long *n)
{
	if (!b->total || b->present != b->total || b->wrong_node)
		return false;
	switch (t) {
	case ONLINE_OFFLINE:
		*n = b->online;
		return true;
	case ONLINE_ONLINE:
		*n = b->total - b->online;
		return true;
	case ONLINE_MOVABLE:
		*n = 2 * (b->online - b->movable) + (b->total - b->online);
		return true;
	case ONLINE_KERNEL:
		*n = 2 * (b->online - b->normal) + (b->total - b->online);
		return true;
	default:
		return false;
	}
}

static bool state_unplugged(const char *s)
{
	return !strcmp(s, "unplugged") || !strcmp(s, "unplug");
}

static bool ds_cost(const struct stack_state *st, enum online_type t,
		    unsigned long *n)
{
	const struct dax_dev *k = &st->dax[st->kmem];

	if (!k->state_attr[0] || t == ONLINE_OFFLINE ||
	    (t == ONLINE_KERNEL && !strcmp(k->state_attr, "hotplug")) ||
	    !ds_restore(st))
		return false;
	*n = (state_unplugged(k->state) ? 0 : 1) + 1;
	return true;
}

/*
 * The rollback binds the kmem region driver again with the old
 * online_type, then puts each block this offlined back online: exact when
 * the old type is what the blocks are, or "offline".
 */
static bool rd_cost(const struct stack_state *st, enum online_type t,
		    unsigned long *n)
{
	if (!st->sysram_dev[0] || !st->sysram_driver[0] || t == ONLINE_KERNEL ||
	    !st->blocks.total || st->blocks.present != st->blocks.total ||
	    st->blocks.wrong_node ||
	    (!rd_holds(st) && strcmp(st->sysram_online_type, "offline")))
		return false;
	/* the memory out first: one unplug where the dax state can */
	*n = (st->blocks.online && ds_restore(st) ? 1 : st->blocks.online) + 2 +
	     (strcmp(st->sysram_online_type, online_type_name(t)) ? 1 : 0);
	return true;
}

/* the writes of stack.c's teardown and bring-up, as they would run */
static unsigned long rebuild_cost(const struct region_info *ri,
				  const struct stack_state *st,
				  const struct kernel_caps *caps,
				  const struct stack_request *req,
				  const struct stack_choice *ch)
{
	bool at_probe = stack_online_at_probe(caps, ch, req);
	const char *held = at_probe ? online_type_name(req->online) : "offline";
	const struct block_summary *b = &st->blocks;
	unsigned long n = 0;

	if (st->kmem >= 0 && b->online)
		n += b->online;
	n += st->sysram_dev[0] && st->sysram_driver[0];
	n += ri->driver[0] != '\0';
	if (ch->hot_add == METHOD_REGION_DRIVER)
		n += 3; /* bind, online_type, bind the kmem region driver */
	else /* the auto_online_blocks guard, set and put back; the bind */
		n += (memblock_auto_online_is(held) ? 0 : 2) + 1;
	if (ch->online == METHOD_REGION_DRIVER ||
	    req->online == ONLINE_OFFLINE || at_probe)
		return n;
	if (ch->online == METHOD_LEGACY)
		return n + b->total;
	return n + 2; /* dax state: unplugged, then the type */
}

/* the blocks once they are all @t (for "online": zones the kernel's) */
static void blocks_after(const struct stack_state *st, enum online_type t,
			 struct block_summary *after)
{
	*after = st->blocks;
	after->present = after->total;
	after->online = t == ONLINE_OFFLINE ? 0 : after->total;
	after->movable = t == ONLINE_MOVABLE ? after->total : 0;
	after->normal = t == ONLINE_KERNEL ? after->total : 0;
	after->other = t == ONLINE_ONLINE ? after->total : 0;
}

/*
 * The interface stack_describe() will find holding the memory once the
 * blocks are all @t, with sysram_regionZ recording @rd and the dax state
 * @ds: the same order of questions it asks.
 */
static enum method holder_after(const struct stack_state *st,
				enum online_type t, const char *rd,
				const char *ds)
{
	const struct dax_dev *k = &st->dax[st->kmem];
	struct block_summary after;

	blocks_after(st, t, &after);
	if (st->sysram_driver[0] && rd[0] && stack_record_holds(rd, &after))
		return METHOD_REGION_DRIVER;
	if (k->state_attr[0] && strcmp(ds, "offline") &&
	    stack_record_holds(ds, &after))
		return METHOD_DAX_STATE;
	return METHOD_LEGACY;
}

/* is the region bound the way the choice hot-adds? */
static bool same_hot_add(const struct region_info *ri,
			 const struct kernel_caps *caps,
			 const struct stack_choice *ch)
{
	if (ch->hot_add == METHOD_REGION_DRIVER)
		return caps->region_driver &&
		       !strcmp(ri->driver, caps->sysram_drv);
	return !strcmp(ri->driver, DEFAULT_REGION_DRIVER);
}

static void consider(struct stack_transition *tr, enum stack_lever lever,
		     unsigned long n, enum method m, enum method wanted)
{
	if (wanted != METHOD_AUTO && m != wanted)
		return;
	/* ties: the earlier lever moves fewer blocks */
	if (tr->lever != STACK_REBUILD && n >= tr->writes)
		return;
	if (tr->lever == STACK_REBUILD && n > tr->writes)
		return;
	tr->lever = lever;
	tr->writes = n;
	tr->method = m;
}

void stack_transition_choose(const struct region_info *ri,
			     const struct stack_state *st,
			     const struct kernel_caps *caps,
			     const struct stack_request *req,
			     const struct stack_choice *ch,
			     struct stack_transition *tr)
{
	enum online_type t = req->online;
	unsigned long n;

	memset(tr, 0, sizeof(*tr));
	tr->lever = STACK_REBUILD;
	tr->method = ch->method;
	if (req->mode != RMODE_SYSRAM || st->mode != RMODE_SYSRAM ||
	    st->kmem < 0 || !ri->driver[0] || !same_hot_add(ri, caps, ch))
		return;
	tr->writes = rebuild_cost(ri, st, caps, req, ch);
	if (blocks_cost(&st->blocks, t, &n))
		consider(tr, STACK_BLOCKS, n,
			 holder_after(st, t, st->sysram_online_type,
				      st->dax[st->kmem].state),
			 req->method);
	if (ds_cost(st, t, &n))
		consider(tr, STACK_DAX_STATE, n,
			 holder_after(st, t, st->sysram_online_type,
				      online_type_name(t)),
			 req->method);
	if (rd_cost(st, t, &n))
		consider(tr, STACK_REGION_DRIVER, n, METHOD_REGION_DRIVER,
			 req->method);
}

static int run_blocks(struct stack_ctx *c, const struct stack_state *st,
		      enum online_type t)
{
	const struct block_summary *b = &st->blocks;
	unsigned long fit;
	int rc;

	switch (t) {
	case ONLINE_OFFLINE:
		return memblock_offline(c->t, &c->range, c->ri->name);
	case ONLINE_ONLINE:
		return memblock_online(c->t, &c->range, t, c->ri->name);
	default:
		fit = t == ONLINE_MOVABLE ? b->movable : b->normal;
		/* out of the other zone first, then every offline block in */
		if (b->online > fit) {
			rc = memblock_offline_other(c->t, &c->range, t,
						    c->ri->name);
			if (rc)
				return rc;
		}
		return memblock_online(c->t, &c->range, t, c->ri->name);
	}
}

static int run_dax_state(struct stack_ctx *c, const struct stack_state *st,
			 enum online_type t)
{
	const struct dax_dev *k = &st->dax[st->kmem];
	int rc;

	if (!state_unplugged(k->state)) {
		rc = ds_unplug(c, st, ds_restore(st));
		if (rc)
			return rc;
	}
	return ds_online_unplugged(c, k, t);
}

int stack_transition_run(struct stack_ctx *c, const struct stack_state *st,
			 const struct stack_request *req,
			 const struct stack_transition *tr)
{
	switch (tr->lever) {
	case STACK_BLOCKS:
		return run_blocks(c, st, req->online);
	case STACK_DAX_STATE:
		return run_dax_state(c, st, req->online);
	case STACK_REGION_DRIVER:
		return rd_retype(c, st, req->online);
	default:
		return txn_fail(c->t, c->ri->name, -EINVAL);
	}
}
