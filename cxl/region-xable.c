// SPDX-License-Identifier: GPL-2.0
/*
 * enable-region, disable-region, destroy-region: stack-aware. Memory is
 * offlined before any driver lets go of it, and a region is never deleted
 * while its memory is online.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/leftover.h"
#include "cxl/repair.h"
#include "cxl/lib/region-checks.h"
#include "cxl/lib/stack.h"
#include "cxl/lib/stack-explain.h"
#include "cxl/lib/topology.h"
#include "cxl/region-filter.h"
#include "cxl/region-json.h"
#include "cxl/stack-options.h"
#include "cxl/devdax-users.h"
#include "util/journal.h"
#include "util/json.h"
#include "util/log.h"
#include "util/options.h"

#define MAX_REGIONS 256

enum action { ACT_ENABLE, ACT_DISABLE, ACT_DESTROY };

static struct {
	const char *bus, *decoder;
	bool force, force_open, debug, dry_run, verbose;
	struct stack_args stack;
} param = { .stack = STACK_ARGS_INIT };

static struct log_ctx rl;
static const char *fn_name;
/* dry run: the plan of each region the run would act on, in its order */
static struct json_object *plans;

// clang-format off
#define BASE_OPTIONS                                                         \
	{ OPT_STRING, 'b', "bus", &param.bus, "bus name",                    \
	  "limit to regions on this CXL bus" },                              \
	{ OPT_STRING, 'd', "decoder", &param.decoder, "root decoder",        \
	  "limit to regions under this root decoder" },                      \
	{ OPT_BOOL, 0, "debug", &param.debug, NULL, "turn on debug output" }, \
	{ OPT_BOOL, 'n', "dry-run", &param.dry_run, NULL,                    \
	  "print the plan, change nothing" },                                \
	{ OPT_BOOL, 'v', "verbose", &param.verbose, NULL,                    \
	  "say each step in one line (memory blocks in ranges)" }
// clang-format on

static const struct option_def enable_options[] = {
	BASE_OPTIONS,
	STACK_OPTIONS(param.stack),
	{ OPT_END },
};

static const struct option_def disable_options[] = {
	BASE_OPTIONS,
	{ OPT_BOOL, 'f', "force", &param.force, NULL,
	  "disable even if memory cannot be offlined (leaks the range until reboot) or the dax device is in use" },
	{ OPT_END },
};

static const struct option_def destroy_options[] = {
	BASE_OPTIONS,
	{ OPT_BOOL, 'f', "force", &param.force, NULL,
	  "disable an active region first (memory must go offline)" },
	{ OPT_BOOL, 0, "force-open", &param.force_open, NULL,
	  "destroy a devdax region even while its /dev/daxZ.Y is open or mapped" },
	{ OPT_END },
};

static const char *const enable_usage[] = {
	"cxl enable-region <region> [<region>...] [<options>]", NULL
};
static const char *const disable_usage[] = {
	"cxl disable-region <region> [<region>...] [<options>]", NULL
};
static const char *const destroy_usage[] = {
	"cxl destroy-region <region> [<region>...] [<options>]", NULL
};

#define fail(...) log_msg(&rl, LOG_ERR, fn_name, __VA_ARGS__)

/* the command said why already: no second "failed" line */
#define EREPORTED (-EALREADY)

/* undo what a failed step left; say what could not be undone */
static void rollback(struct txn *t, const struct region_info *ri)
{
	if (txn_rollback(t))
		leftover_report(&rl, fn_name, ri->name, ri->targets, ri->ways,
				txn_stopped_at(t), txn_stopped_rc(t));
}

/*
 * Dry run: the region as it is now, the interface that will hold it
 * (@choice, enable only) and @t's plan (NULL: nothing to write). Regions
 * the run would refuse have no object: their refusal is said as in the
 * run.
 */
static int plan_add(const struct region_info *ri, struct txn *t,
		    const struct stack_choice *choice)
{
	struct json_object *o;

	o = region_json_now(&rl, fn_name, ri->name, isatty(STDOUT_FILENO));
	if (!o)
		return EREPORTED;
	if (choice)
		stack_choice_add_json(o, choice);
	json_object_object_add(o, "plan",
			       t ? json_object_get(txn_plan(t))
				 : json_object_new_array());
	json_object_array_add(plans, o);
	return 0;
}

/* the end of one region's transaction: a dry run keeps the plan */
static int finish(struct txn *t, const struct region_info *ri, int rc,
		  const struct stack_choice *choice)
{
	if (rc)
		rollback(t, ri);
	else
		txn_commit(t);
	if (!rc && txn_dry_run(t))
		rc = plan_add(ri, t, choice);
	txn_free(t);
	return rc;
}

/* a region the run leaves as it is: counted, and an empty plan */
static int no_op(const struct region_info *ri)
{
	return param.dry_run ? plan_add(ri, NULL, NULL) : 0;
}

/* upstream's -f: let go of the region even with memory still online */
static int disable_leaking(const struct region_info *ri,
			   const struct stack_state *st)
{
	struct txn *t = txn_new(&rl, fn_name, false);
	int rc;

	if (!t)
		return -ENOMEM;
	rc = st->sysram_dev[0] && st->sysram_driver[0]
		     ? cxlbus_unbind(t, st->sysram_dev)
		     : 0;
	if (!rc)
		rc = cxlbus_unbind(t, ri->name);
	if (rc)
		txn_rollback(t);
	txn_free(t);
	if (rc)
		return rc;
	fail("%s: disabled with memory still online (--force)", ri->name);
	fail("%s: its physical address space is leaked until reboot", ri->name);
	fail("%s: reboot to recover the memory range", ri->name);
	return 0;
}

static int disable_one(const struct region_info *ri)
{
	struct stack_state st;
	struct txn *t;
	int rc;

	if (!ri->driver[0])
		return no_op(ri);
	rc = stack_describe(ri, &st);
	if (rc)
		return rc;
	rc = devdax_in_use(&rl, fn_name, ri->name, &st, param.force, "--force");
	if (rc)
		return rc;
	t = txn_new(&rl, fn_name, param.dry_run);
	if (!t)
		return -ENOMEM;
	rc = stack_tear_down(t, ri, &st);
	if (rc != -EBUSY || !param.force || st.mode != RMODE_SYSRAM)
		return finish(t, ri, rc, NULL);
	rollback(t, ri);
	txn_free(t);
	return disable_leaking(ri, &st);
}

/*
 * An enabled region is left as it is; but when --mode/--online asked for
 * something its memory is not, "enabled" would be a lie: say what it is
 * and the command that changes it.
 */
static int enabled_as_asked(const struct region_info *ri,
			    const struct stack_request *req)
{
	const struct stack_args *a = &param.stack;
	const char *is, *want;
	struct stack_state st;
	bool holds;
	int rc;

	if ((!a->mode && !a->online) || req->mode == RMODE_DEFAULT)
		return no_op(ri);
	rc = stack_describe(ri, &st);
	if (rc)
		return rc;
	if (req->mode == RMODE_DEVDAX)
		holds = st.mode == RMODE_DEVDAX;
	else
		holds = st.mode == RMODE_SYSRAM &&
			memblock_matches(&st.blocks, req->online);
	if (holds)
		return no_op(ri);
	is = st.mode == RMODE_SYSRAM   ? st.online_type
	     : st.mode == RMODE_DEVDAX ? "devdax"
				       : "without a dax device";
	want = req->mode == RMODE_DEVDAX ? "devdax"
					 : online_type_name(req->online);
	fail("%s: enabled already, %s%s, not %s: to change it run: cxl reconfigure-region %s%s%s%s%s",
	     ri->name, st.mode == RMODE_SYSRAM ? "its memory " : "", is, want,
	     ri->name, a->mode ? " --mode=" : "", a->mode ? a->mode : "",
	     a->online ? " --online=" : "", a->online ? a->online : "");
	return EREPORTED;
}

/*
 * A pmem region, as upstream enables it: bound to the cxl driver, and no
 * memory to bring up or wait for (its nvdimm bridge is the kernel's
 * business).
 */
static int enable_pmem(const struct region_info *ri)
{
	struct txn *t;
	int rc;

	t = txn_new(&rl, fn_name, param.dry_run);
	if (!t)
		return -ENOMEM;
	rc = cxlbus_bind(t, ri->name, "cxl_region");
	return finish(t, ri, rc, NULL);
}

static int enable_one(const struct region_info *ri,
		      const struct stack_request *req)
{
	struct kernel_caps caps;
	struct block_range range;
	struct txn *t;
	struct stack_choice choice;
	enum method used;
	char why[256];
	int rc;

	if (!strcmp(ri->mode, "pmem") && req->mode != RMODE_DEFAULT) {
		fail("%s: a pmem region has no memory to online; --mode and --online are for ram regions",
		     ri->name);
		return -EINVAL;
	}
	if (ri->driver[0])
		return enabled_as_asked(ri, req);
	if (!ri->committed) {
		fail("%s: not committed; nothing to enable", ri->name);
		return -ENXIO;
	}
	if (!strcmp(ri->mode, "pmem"))
		return enable_pmem(ri);
	kernel_caps_detect(&caps);
	if (stack_choose(&caps, req, &choice, why, sizeof(why))) {
		fail("%s: %s", ri->name, why);
		return -EOPNOTSUPP;
	}
	stack_choice_log(&rl, fn_name, &caps, req, &choice);
	t = txn_new(&rl, fn_name, param.dry_run);
	if (!t)
		return -ENOMEM;
	/* what the bring-up checks before its first write, the dry run too */
	rc = param.dry_run ? stack_check_range(t, ri, &range) : 0;
	if (!rc)
		rc = stack_bring_up(t, ri, &caps, req, &choice, &used);
	return finish(t, ri, rc, &choice);
}

/* dry run: the endpoint decoders whose DPA the planned destroys free */
static char freed[MAX_REGIONS * REGION_MAX_WAYS][NAME_LEN];
static unsigned int nfreed;

static void planned_free(const struct region_info *ri)
{
	unsigned int i;

	for (i = 0; i < ri->ways && i < REGION_MAX_WAYS; i++)
		if (ri->targets[i][0] && nfreed < MAX_REGIONS * REGION_MAX_WAYS)
			snprintf(freed[nfreed++], NAME_LEN, "%s",
				 ri->targets[i]);
}

/*
 * What upstream (v85) refuses before anything is disabled, on every
 * kernel: a locked region, and a region whose DPA cannot be freed yet
 * because a later decoder on one of its memdevs still holds some.
 */
static int destroy_allowed(const struct region_info *ri)
{
	char memdev[NAME_LEN], decoder[NAME_LEN];
	int rc;

	if (region_read_locked(ri->name) == 1) {
		fail("%s: cannot destroy a locked region", ri->name);
		return -EPERM;
	}
	rc = region_destroy_blocker(ri, freed, nfreed, memdev, sizeof(memdev),
				    decoder, sizeof(decoder));
	if (rc < 0)
		return rc;
	if (rc) {
		fail("%s: destroy blocked, %s still has later active decoder %s",
		     ri->name, memdev, decoder);
		return -EBUSY;
	}
	return 0;
}

/*
 * A disabled region whose memory is still online (what disable-region
 * --force leaves when the memory would not go offline): deleting it would
 * hand an address range that is System RAM to the next region.
 */
static int memory_left_online(const struct region_info *ri)
{
	struct stack_state st;
	char blocks[256];
	int rc;

	if (ri->driver[0])
		return 0;
	rc = stack_describe(ri, &st);
	if (rc || !st.blocks.online)
		return rc;
	memblock_list_online(&st.range, blocks, sizeof(blocks));
	fail("%s: its memory (%s) is still online with no driver holding it (left by disable-region --force); it cannot be destroyed until that memory goes offline, at the latest at reboot",
	     ri->name, blocks);
	return EREPORTED;
}

static int destroy_one(const struct region_info *ri)
{
	struct stack_state st;
	struct txn *t;
	int rc;

	rc = destroy_allowed(ri);
	if (rc)
		return rc;
	rc = memory_left_online(ri);
	if (rc)
		return rc;
	if (ri->driver[0] && !param.force) {
		fail("%s active. Disable it or use --force", ri->name);
		return -EBUSY;
	}
	rc = stack_describe(ri, &st);
	if (rc)
		return rc;
	/* -f is what every destroy of an enabled region needs: not enough */
	if (ri->driver[0]) {
		if (devdax_in_use(&rl, fn_name, ri->name, &st, param.force_open,
				  "--force-open"))
			return EREPORTED;
	}
	t = txn_new(&rl, fn_name, param.dry_run);
	if (!t)
		return -ENOMEM;
	/* a kill from here on leaves the next writer a destroy to finish */
	if (!param.dry_run)
		journal_add_region("destroy", ri->name, ri->targets, ri->ways);
	rc = stack_remove_region(t, ri, &st);
	if (rc)
		rollback(t, ri);
	else
		txn_commit(t);
	if (!param.dry_run)
		journal_drop("destroy", ri->name);
	if (!rc && param.dry_run) {
		rc = plan_add(ri, t, NULL);
		if (!rc)
			planned_free(ri);
	}
	txn_free(t);
	return rc;
}

/*
 * What a killed command left is put right by the next writing command
 * before it does anything else: those writes are not in a dry run's
 * plan, so say that they will come first.
 */
static void warn_pending(const char *cmd)
{
	static struct journal_entry e[JOURNAL_MAX];

	if (journal_read(e, JOURNAL_MAX) > 0)
		log_msg(&rl, LOG_WARNING, fn_name,
			"a killed command left work to finish (%s %s...): the real %s does that first, and that is not in this plan",
			e[0].kind, e[0].key, cmd);
}

static int region_action(int argc, const char **argv, enum action act)
{
	static const char *const verbs[] = { "enabled", "disabled",
					     "destroyed" };
	static const char *const names[] = { "enable-region", "disable-region",
					     "destroy-region" };
	static const char *const fns[] = { "cmd_enable_region",
					   "cmd_disable_region",
					   "cmd_destroy_region" };
	const struct option_def *opts = act == ACT_ENABLE    ? enable_options
					: act == ACT_DISABLE ? disable_options
							     : destroy_options;
	const char *const *usage = act == ACT_ENABLE	? enable_usage
				   : act == ACT_DISABLE ? disable_usage
							: destroy_usage;
	static char regions[MAX_REGIONS][NAME_LEN];
	struct stack_request req = { 0 };
	struct cxl_ctx *ctx = NULL;
	int i, n, nargs, done = 0, failed = 0, reported = 0;

	fn_name = fns[act];
	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	nargs = options_parse(argc, argv, opts, usage);
	log_set_priority(&rl, param.debug ? LOG_DEBUG : LOG_INFO);
	log_set_verbose(&rl, param.verbose);
	for (i = 0; i < nargs; i++)
		if (!region_selector_valid(argv[i]))
			usage_error(usage, opts,
				    "'%s' is not a region (regionN, N or all)",
				    argv[i]);
	if (act == ACT_ENABLE)
		stack_args_parse(&param.stack, RMODE_DEFAULT, &req, usage,
				 opts);
	/* a dry run writes nothing: no lock, no repair (see warn_pending) */
	if (param.dry_run) {
		plans = json_object_new_array();
		if (!plans)
			return 1;
		warn_pending(names[act]);
	} else if (writer_begin(names[act])) {
		return 1;
	}
	n = topo_open(&ctx);
	if (n) {
		fail("cannot open the CXL topology: %s", topo_open_error(n));
		return 1;
	}
	n = select_regions(ctx, param.bus, param.decoder, nargs, argv, regions,
			   MAX_REGIONS);
	topo_close(ctx);
	if (n < 0) {
		fail("cannot list regions: %s", strerror(-n));
		return 1;
	}
	txn_catch_signals();
	for (i = 0; i < n; i++) {
		/*
		 * DPA is freed in the reverse order it was allocated: destroy
		 * the newest region first, so "all" can free every decoder.
		 */
		const char *name =
			act == ACT_DESTROY ? regions[n - 1 - i] : regions[i];
		struct region_info ri;
		int rc = region_read_info(name, &ri);

		if (!rc && act == ACT_ENABLE)
			rc = enable_one(&ri, &req);
		else if (!rc && act == ACT_DISABLE)
			rc = disable_one(&ri);
		else if (!rc)
			rc = destroy_one(&ri);
		if (rc) {
			if (rc != EREPORTED)
				fail("%s: failed: %s", name, strerror(-rc));
			else
				reported++;
			failed++;
		} else {
			done++;
		}
	}
	if (param.dry_run) {
		if (json_print(stdout, plans))
			failed++;
		json_object_put(plans);
		plans = NULL;
	}
	/*
	 * A refusal that said it all in one line needs no summary; selecting
	 * nothing is logged as upstream logs it ("... 0 regions").
	 */
	if (done || !failed || reported != failed)
		log_msg(&rl, LOG_INFO, fn_name, "%s%s %d region%s",
			param.dry_run ? "dry run, nothing changed: would have "
				      : "",
			verbs[act], done, done == 1 ? "" : "s");
	return failed ? 1 : 0;
}

int cmd_enable_region(int argc, const char **argv)
{
	return region_action(argc, argv, ACT_ENABLE);
}

int cmd_disable_region(int argc, const char **argv)
{
	return region_action(argc, argv, ACT_DISABLE);
}

int cmd_destroy_region(int argc, const char **argv)
{
	return region_action(argc, argv, ACT_DESTROY);
}
