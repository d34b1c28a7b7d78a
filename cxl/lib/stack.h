/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_STACK_H
#define CXL_LIB_STACK_H

#include <stdbool.h>

#include "cxl/lib/region.h"
#include "daxctl/lib/dax.h"
#include "daxctl/lib/memblock.h"
#include "util/online.h"
#include "util/txn.h"

/*
 * The stack above a committed RAM region, and the kernel interfaces that
 * build it (SPEC §7). Commands say what a region should become; this file
 * decides how on the running kernel, and reads back what it is.
 */
enum region_mode {
	RMODE_INVALID = -1,
	RMODE_NONE = 0, /* not committed or nothing bound */
	RMODE_SYSRAM, /* memory hot-added through kmem */
	RMODE_DEVDAX, /* a dax char device */
	RMODE_DEFAULT, /* request only: bind the kernel's default driver */
};

enum method {
	METHOD_AUTO = 0,
	METHOD_REGION_DRIVER,
	METHOD_DAX_STATE,
	METHOD_LEGACY,
};

const char *region_mode_name(enum region_mode m);
enum region_mode region_mode_parse(const char *s); /* RMODE_INVALID */
const char *method_name(enum method m);
int method_parse(const char *s); /* -1 if unknown */
#define REGION_MODE_CHOICES "sysram, devdax, default"
#define METHOD_CHOICES "auto, region-driver, dax-state, legacy"

/*
 * An online type an interface can never deliver, whatever the kernel:
 * the command line refuses it before the first write, the policy files
 * when they are read.
 */
struct stack_conflict {
	enum method method;
	enum online_type online;
	const char *why; /* names the values, not the options */
	const char *methods; /* the --method values that can */
};

/* the conflict of a sysram request's method and online type, or NULL */
const struct stack_conflict *stack_conflict(enum method m, enum online_type t);

/* the kernel's region drivers, under either proposed spelling */
struct kernel_caps {
	bool region_driver;
	char sysram_drv[NAME_LEN];
	char devdax_drv[NAME_LEN];
	char kmem_drv[NAME_LEN];
};

int kernel_caps_detect(struct kernel_caps *caps);

struct stack_request {
	enum region_mode mode;
	enum online_type online;
	enum method method;
	int timeout_ms;
};

/*
 * Refuse early (no writes) what this kernel cannot do: returns 0 or
 * -EOPNOTSUPP with a one-line reason in @why.
 */
int stack_check(const struct kernel_caps *caps, const struct stack_request *r,
		char *why, size_t len);

/* bring a committed, unbound region up as @req asks; verified */
int stack_bring_up(struct txn *t, const struct region_info *ri,
		   const struct kernel_caps *caps,
		   const struct stack_request *req);

#define STACK_MAX_DAX 4

/* what a region is now */
struct stack_state {
	enum region_mode mode;
	char region_driver[NAME_LEN];
	char sysram_dev[NAME_LEN]; /* "" without the region driver */
	char sysram_driver[NAME_LEN];
	char sysram_online_type[24]; /* sysram_regionZ/online_type */
	int nr_dax;
	struct dax_dev dax[STACK_MAX_DAX];
	struct block_range range;
	struct block_summary blocks;
	enum method method; /* the interface whose record holds */
	char online_type[24]; /* recorded, else derived */
};

int stack_describe(const struct region_info *ri, struct stack_state *st);

/*
 * Take the stack down to a committed, unbound region. Memory is offlined
 * first and never forced: a refusing block fails the call (EBUSY) and the
 * caller's rollback puts everything back.
 */
int stack_tear_down(struct txn *t, const struct region_info *ri,
		    const struct stack_state *st);

#endif /* CXL_LIB_STACK_H */
