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

/* dax-state: the whole device through daxX.Y/state */
int ds_online(struct stack_ctx *c, const struct dax_dev *dev,
	      enum online_type type);
bool ds_holds(const struct stack_state *st);
int ds_unplug(struct stack_ctx *c, const struct stack_state *st);

/* legacy: the default driver, auto-onlining held off, block by block */
int lg_hot_add_offline(struct stack_ctx *c);
int lg_hot_add_default(struct stack_ctx *c);
int lg_online(struct stack_ctx *c, enum online_type type);
int lg_offline(struct stack_ctx *c, const struct stack_state *st);
int lg_devdax(struct stack_ctx *c);

#endif /* CXL_LIB_STACK_IFACE_H */
