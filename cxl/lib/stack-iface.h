/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_STACK_IFACE_H
#define CXL_LIB_STACK_IFACE_H

/*
 * Inside the stack: the three kernel interfaces, each in its own file and
 * each with the same few operations. Only cxl/lib/stack.c calls these;
 * commands go through cxl/lib/stack.h.
 */
#include "cxl/lib/stack.h"

#define DEFAULT_REGION_DRIVER "cxl_region"

/* one region's stack while a command works on it */
struct stack_ctx {
	struct txn *t;
	const struct region_info *ri;
	const struct kernel_caps *caps;
	struct block_range range;
	int timeout_ms;
	char dax[DAX_NAME_LEN]; /* the region's dax device, once it exists */
};

/* waits shared by the interfaces (stack.c) */
int stack_wait_dax(struct stack_ctx *c, const char *driver);
int stack_wait_blocks(struct stack_ctx *c);
/* how long an undo waits for a probe the kernel may still run */
#define STACK_UNDO_WAIT_MS 30000
/* for undos: until kmem's probe of the region's dax device has ended */
int stack_wait_kmem_probed(int region_id, int timeout_ms);
/* "sysram_regionZ" for region Z */
void stack_sysram_name(const struct region_info *ri, char *buf, size_t len);
/* does a kernel record ("online_movable", "unplugged", ...) hold? */
bool stack_record_holds(const char *rec, const struct block_summary *s);

/* region driver: region -> sysram_regionZ(online_type) -> dax -> kmem */
int rd_hot_add(struct stack_ctx *c, enum online_type type);
int rd_devdax(struct stack_ctx *c);
bool rd_holds(const struct stack_state *st);
/* let go of sysram_regionZ (its memory already offline) */
int rd_release(struct stack_ctx *c, const struct stack_state *st);
/* hot-add again with @type: blocks offline, kmem region driver rebound */
int rd_retype(struct stack_ctx *c, const struct stack_state *st,
	      enum online_type type);

/*
 * Whether a sysram bring-up hot-adds with the requested online type at
 * once (auto_online_blocks held at the type while kmem probes) instead of
 * offline: where the dax state is there or expected (ds_hot_add_online).
 */
bool stack_online_at_probe(const struct kernel_caps *caps,
			   const struct stack_choice *ch,
			   const struct stack_request *req);

/* dax-state: the whole device through daxX.Y/state */
/*
 * kmem bound under auto_online_blocks held at @type: the kernel hot-adds
 * and onlines the memory in one go, and the state records @type. Its
 * undo takes the blocks offline before the region is unbound, and stops
 * the rollback there if they cannot go.
 */
int ds_hot_add_online(struct stack_ctx *c, enum online_type type);
int ds_online(struct stack_ctx *c, const struct dax_dev *dev,
	      enum online_type type);
bool ds_holds(const struct stack_state *st);
/*
 * What the state must be set back to for the blocks to be as they are:
 * the one type they all show, "unplugged" when there are none; NULL when
 * the state cannot say it (no attribute, offline or mixed blocks, or a
 * record the blocks do not match).
 */
const char *ds_restore(const struct stack_state *st);
/* unplug; a rollback sets the state to @restore again */
int ds_unplug(struct stack_ctx *c, const struct stack_state *st,
	      const char *restore);
/* online an unplugged device with @type */
int ds_online_unplugged(struct stack_ctx *c, const struct dax_dev *dev,
			enum online_type type);

/* legacy: the default driver, auto-onlining held off, block by block */
int lg_hot_add_offline(struct stack_ctx *c);
int lg_hot_add_default(struct stack_ctx *c);
int lg_online(struct stack_ctx *c, enum online_type type);
int lg_offline(struct stack_ctx *c, const struct stack_state *st);
int lg_devdax(struct stack_ctx *c);

/* a sysram region changing its online type in place (stack-transition.c) */
enum stack_lever {
	STACK_REBUILD = 0, /* down and up again: stack.c */
	STACK_BLOCKS, /* memoryN/state of the blocks that differ */
	STACK_DAX_STATE, /* daxX.Y/state */
	STACK_REGION_DRIVER, /* sysram_regionZ rebound with its online_type */
};

struct stack_transition {
	enum stack_lever lever;
	unsigned long writes; /* what it costs */
	enum method method; /* the interface that holds the memory after */
};

void stack_transition_choose(const struct region_info *ri,
			     const struct stack_state *st,
			     const struct kernel_caps *caps,
			     const struct stack_request *req,
			     const struct stack_choice *ch,
			     struct stack_transition *tr);
/* carry out an in-place transition (not STACK_REBUILD); unverified */
int stack_transition_run(struct stack_ctx *c, const struct stack_state *st,
			 const struct stack_request *req,
			 const struct stack_transition *tr);

#endif /* CXL_LIB_STACK_IFACE_H */
