/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_STACK_H
#define CXL_LIB_STACK_H

#include <json-c/json.h>
#include <stdbool.h>

#include "cxl/lib/region.h"
#include "daxctl/lib/dax.h"
#include "daxctl/lib/memblock.h"
#include "util/online.h"
#include "util/txn.h"

/*
 * The stack above a committed RAM region, and the kernel interfaces that
 * build it. Commands say what a region should become; stack_choose()
 * decides how on the running kernel (cxl/lib/stack-choose.c), one file
 * per interface carries it out (stack-region-driver.c, stack-dax-state.c,
 * stack-legacy.c), and stack_describe() reads back what it is.
 */
enum region_mode {
	RMODE_INVALID = -1,
	RMODE_NONE = 0, /* not committed or nothing bound */
	RMODE_SYSRAM, /* memory hot-added through kmem */
	RMODE_DEVDAX, /* a dax char device */
	RMODE_DEFAULT, /* request only: bind the kernel's default driver */
	RMODE_PMEM, /* state only: a pmem region bound to its driver */
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

/* what the kernel offers for bringing a region's memory up */
enum cap { CAP_UNKNOWN = 0, CAP_NO, CAP_YES };

struct kernel_caps {
	/* the proposed region drivers, under either spelling */
	bool region_driver;
	char sysram_drv[NAME_LEN];
	char devdax_drv[NAME_LEN];
	char kmem_drv[NAME_LEN];
	/*
	 * dax/kmem's whole-device daxX.Y/state (mainline since 7.3), known
	 * from a device bound to kmem: yes (and the attribute's spelling),
	 * no, or unknown while no device is bound to kmem.
	 */
	enum cap dax_state;
	char dax_state_attr[16]; /* "state" or the older "hotplug" */
	/*
	 * While dax_state is unknown: whether the kernel's release (7.3 or
	 * later) makes the attribute likely. It only picks the faster of
	 * two bring-ups that both end as asked, never what is verified.
	 */
	bool dax_state_expected;
};

/* the region drivers, and the dax state as any kmem device shows it */
int kernel_caps_detect(struct kernel_caps *caps);
/* learn the dax state capability from @dev, bound to kmem and probed */
void kernel_caps_learn(struct kernel_caps *caps, const struct dax_dev *dev);

struct stack_request {
	enum region_mode mode;
	enum online_type online;
	enum method method;
	int timeout_ms;
};

/*
 * How a request is carried out on this kernel: the one decision, made
 * here and used by the check, the plan, the bring-up and the read-back.
 * The hot-add path puts the memory in (region driver, or the default
 * driver with auto-onlining held off), the onlining path brings it up;
 * @method is the interface that then holds the memory. METHOD_AUTO only
 * for --mode=default, where kmem records the kernel's own type in the
 * dax state if it has the attribute: unknown before the hot-add.
 */
struct stack_choice {
	enum method hot_add; /* METHOD_REGION_DRIVER or METHOD_LEGACY */
	enum online_type hot_add_type; /* what the hot-add itself applies */
	enum method online; /* METHOD_AUTO: --mode=default, see above */
	enum method method;
};

/*
 * Choose for @r on @caps. Returns 0, or -EOPNOTSUPP with a one-line
 * reason in @why when this kernel cannot do what was asked.
 */
int stack_choose(const struct kernel_caps *caps, const struct stack_request *r,
		 struct stack_choice *c, char *why, size_t len);
/* the same check, without the choice */
int stack_check(const struct kernel_caps *caps, const struct stack_request *r,
		char *why, size_t len);
/*
 * The plan's view of a choice, added to @obj: "method", the interface that
 * will hold the region, or null and "method_candidates" when it is not
 * known before the hot-add.
 */
void stack_choice_add_json(struct json_object *obj,
			   const struct stack_choice *c);

/*
 * What stack_bring_up checks before its first write: @ri's memory blocks
 * (into *@range) hold no memory yet, none that an earlier region left
 * online. 0, or the transaction failed with -EEXIST after saying why. For
 * a dry run of a region that is unbound now (a reconfigure's bring-up
 * follows a teardown, which the dry run does not do).
 */
int stack_check_range(struct txn *t, const struct region_info *ri,
		      struct block_range *range);

/*
 * Bring a committed, unbound region up as @req asks, the way @c says
 * (from stack_choose on the same @caps); verified. *@used is the method
 * that holds the memory afterwards (resolved where @c left it open).
 */
int stack_bring_up(struct txn *t, const struct region_info *ri,
		   const struct kernel_caps *caps,
		   const struct stack_request *req,
		   const struct stack_choice *c, enum method *used);

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
	int kmem; /* index of the device bound to kmem, -1: none */
	struct block_range range;
	struct block_summary blocks;
	/*
	 * The interface that holds the memory now: the region driver when
	 * its sysram_regionZ records what the blocks are, dax-state when the
	 * device's state does, else legacy (only the blocks say it).
	 */
	enum method method;
	char online_type[24]; /* what the blocks are, on every kernel */
	char dax_state[24]; /* the kmem device's state attribute, or "" */
};

int stack_describe(const struct region_info *ri, struct stack_state *st);

/*
 * Take the stack down to a committed, unbound region. Memory is offlined
 * first and never forced: a refusing block fails the call (EBUSY) and the
 * caller's rollback puts everything back.
 */
int stack_tear_down(struct txn *t, const struct region_info *ri,
		    const struct stack_state *st);

/* is the region already what @req asks for? (mode default: never) */
bool stack_is(const struct stack_state *st, const struct stack_request *req);

/*
 * Make the region what @req asks, one transaction, with the fewest writes
 * its kernel interfaces allow: a sysram region changing its online type
 * in place (only the blocks that differ, the dax state, or the region
 * driver's online_type), anything else by taking the stack down and
 * bringing it up again. @ch (from stack_choose) is updated to the
 * interface that holds the memory afterwards, in a dry run too.
 */
int stack_reconfigure(struct txn *t, const struct region_info *ri,
		      const struct stack_state *st,
		      const struct kernel_caps *caps,
		      const struct stack_request *req, struct stack_choice *ch,
		      enum method *used);

/* the whole region: its stack, its commit, its targets, the region itself */
int stack_remove_region(struct txn *t, const struct region_info *ri,
			const struct stack_state *st);

#endif /* CXL_LIB_STACK_H */
