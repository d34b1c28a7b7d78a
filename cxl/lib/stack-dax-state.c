// SPDX-License-Identifier: GPL-2.0
/*
 * The dax-state interface (dax/kmem atomic hotplug, mainline since Linux
 * 7.3): daxX.Y/state, present while the device is bound to kmem, takes
 * "unplugged", "online", "online_kernel" or "online_movable" for the whole
 * device at once. Onlining is only allowed from "unplugged" (else EBUSY);
 * writing the current value is a no-op; an unplug is all or nothing. The
 * first spelling of the series called the attribute "hotplug", wrote
 * "unplug" and had no online_kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/stack-iface.h"
#include "util/narrate.h"

/* the bind's undo: let a probe still running end, then the memory out */
struct hot_add_undo {
	int region_id;
	struct block_range range;
};

static int undo_hot_add(void *arg)
{
	struct hot_add_undo *u = arg;

	stack_wait_kmem_probed(u->region_id, STACK_UNDO_WAIT_MS);
	return memblock_offline_online(&u->range);
}

static int push_hot_add_undo(struct stack_ctx *c)
{
	struct hot_add_undo *u;
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: offline memory%lu-memory%lu",
		 c->ri->name, c->range.first,
		 c->range.first + c->range.count - 1);
	if (txn_dry_run(c->t))
		return 0;
	u = malloc(sizeof(*u));
	if (!u)
		return txn_fail(c->t, what, -ENOMEM);
	u->region_id = c->ri->id;
	u->range = c->range;
	/* memory that cannot go offline: nothing below it is undone */
	return txn_push_undo(c->t, what,
			     &(struct txn_undo){ .fn = undo_hot_add,
						 .arg = u,
						 .barrier = true });
}

int ds_hot_add_online(struct stack_ctx *c, enum online_type type)
{
	struct txn_guard off, held;
	int rc, r;

	/* the undos run under "offline": a late probe onlines nothing */
	rc = memblock_hold_auto_online(c->t, &off, "offline",
				       TXN_GUARD_ROLLBACK);
	if (rc)
		return rc;
	/* kmem resolves the online type as it probes: hold it until then */
	rc = memblock_hold_auto_online(c->t, &held, online_type_name(type),
				       TXN_GUARD_FORWARD);
	if (rc)
		goto out;
	rc = cxlbus_bind(c->t, c->ri->name, DEFAULT_REGION_DRIVER);
	/* the memory comes online with the bind: out first in a rollback */
	if (!rc)
		rc = push_hot_add_undo(c);
	if (!rc)
		rc = stack_wait_dax(c, "kmem");
	if (!rc)
		rc = stack_wait_blocks(c);
	r = txn_guard_end(c->t, &held);
	if (!rc)
		rc = r;
out:
	r = txn_guard_end(c->t, &off);
	if (!rc)
		rc = r;
	if (!rc && !txn_dry_run(c->t))
		narrate_range(c->ri->name, online_type_name(type),
			      c->range.first, c->range.count,
			      c->range.block_size);
	return rc;
}

int ds_online(struct stack_ctx *c, const struct dax_dev *dev,
	      enum online_type type)
{
	int rc;

	/* hot-added offline: the state reads "offline"; unplug it first */
	if (strcmp(dev->state, "unplugged") && strcmp(dev->state, "unplug")) {
		rc = dax_write_state(c->t, dev, "unplugged", NULL);
		if (rc)
			return rc;
	}
	return ds_online_unplugged(c, dev, type);
}

int ds_online_unplugged(struct stack_ctx *c, const struct dax_dev *dev,
			enum online_type type)
{
	int rc;

	/* the inverse is "unplugged", which makes unbinding kmem safe */
	rc = dax_write_state(c->t, dev, online_type_name(type), "unplugged");
	if (!rc && !txn_dry_run(c->t))
		narrate_range(c->ri->name, online_type_name(type),
			      c->range.first, c->range.count,
			      c->range.block_size);
	return rc;
}

/*
 * The state holds the memory when it records what the blocks are. An
 * "offline" record is what kmem's probe writes after any offline hot-add,
 * not something this interface set (it cannot set offline): memory held
 * offline belongs to the interface that hot-added it.
 */
bool ds_holds(const struct stack_state *st)
{
	return st->kmem >= 0 && st->dax[st->kmem].state_attr[0] &&
	       strcmp(st->dax_state, "offline") &&
	       stack_record_holds(st->dax_state, &st->blocks);
}

const char *ds_restore(const struct stack_state *st)
{
	const struct dax_dev *k = &st->dax[st->kmem];

	if (!k->state_attr[0])
		return NULL;
	if (!st->blocks.present)
		return "unplugged";
	/*
	 * A record the blocks do not match (they were onlined block by
	 * block, which the kernel does not track): setting it again would
	 * put the blocks back but change the record.
	 */
	if (!ds_holds(st))
		return NULL;
	if (memblock_matches(&st->blocks, ONLINE_MOVABLE))
		return "online_movable";
	if (memblock_matches(&st->blocks, ONLINE_KERNEL) &&
	    strcmp(k->state_attr, "hotplug"))
		return "online_kernel";
	/* zones the kernel chose, as it will choose them again */
	if (!strcmp(st->dax_state, "online") &&
	    memblock_matches(&st->blocks, ONLINE_ONLINE))
		return "online";
	return NULL;
}

int ds_unplug(struct stack_ctx *c, const struct stack_state *st,
	      const char *restore)
{
	const struct dax_dev *kmem = &st->dax[st->kmem];
	char what[WHAT_LEN];
	int rc;

	rc = dax_try_state(c->t, kmem, "unplugged", restore);
	if (!rc) {
		narrate_range(c->ri->name, "unplugged", c->range.first,
			      c->range.count, c->range.block_size);
		return 0;
	}
	/*
	 * On EBUSY the kernel put every block back online. Name the blocks
	 * that refuse by offlining block by block (the rollback onlines them
	 * again); the unplug has failed either way.
	 */
	if (rc == -EBUSY && !lg_offline(c, st))
		rc = -EBUSY;
	else if (rc == -EBUSY)
		return rc;
	snprintf(what, sizeof(what), "%s: set %s unplugged", kmem->name,
		 kmem->state_attr);
	return txn_fail(c->t, what, rc);
}
