// SPDX-License-Identifier: GPL-2.0
/*
 * cxl reconfigure-region: change what an existing RAM region is (online
 * type, sysram or devdax) in place. The old stack is taken down and the
 * new one built in one transaction: memory that refuses to go offline
 * stops the change and everything is put back as it was.
 *
 * With --check-config the mode and online type come from the boot-time
 * policy files instead (cxl/check-config.c), and the change is this one.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/leftover.h"
#include "cxl/repair.h"
#include "cxl/check-config.h"
#include "cxl/lib/stack.h"
#include "cxl/lib/stack-explain.h"
#include "cxl/region-json.h"
#include "cxl/stack-options.h"
#include "cxl/devdax-users.h"
#include "util/journal.h"
#include "util/json.h"
#include "util/log.h"
#include "util/name.h"
#include "util/options.h"

#define FN "cmd_reconfigure_region"

static struct {
	bool force, dry_run, human, debug, verbose, check_config;
	const char *config_dir;
	struct stack_args stack;
} param = { .stack = STACK_ARGS_INIT };

static const char *const usage[] = {
	"cxl reconfigure-region <region> [<options>]",
	"cxl reconfigure-region <region|all> --check-config [<options>]",
	"cxl reconfigure-region --check-config --dry-run [<options>]",
	NULL,
};

static const struct option_def options[] = {
	STACK_OPTIONS(param.stack),
	{ OPT_BOOL, 'f', "force", &param.force, NULL,
	  "go on even if the dax device is open (never forces memory offline)" },
	{ OPT_BOOL, 'n', "dry-run", &param.dry_run, NULL,
	  "print the plan, change nothing" },
	{ OPT_BOOL, 'u', "human", &param.human, NULL,
	  "use human friendly number formats" },
	{ OPT_BOOL, 0, "debug", &param.debug, NULL, "turn on debug output" },
	{ OPT_BOOL, 'v', "verbose", &param.verbose, NULL,
	  "say each step in one line (memory blocks in ranges)" },
	{ OPT_BOOL, 0, "check-config", &param.check_config, NULL,
	  "apply the first matching rule of the policy files" },
	{ OPT_STRING, 0, "config-dir", &param.config_dir, "dir",
	  "read the policy files from here (default " SYSRAM_CONF_DIR ")" },
	{ OPT_END },
};

static struct log_ctx rl;

#define fail(...) log_msg(&rl, LOG_ERR, FN, __VA_ARGS__)
#define info(...) log_msg(&rl, LOG_INFO, FN, __VA_ARGS__)
#define dbg(...) log_msg(&rl, LOG_DEBUG, FN, __VA_ARGS__)

static struct json_object *previous_json(const struct stack_state *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(
		o, "mode", json_object_new_string(region_mode_name(st->mode)));
	if (st->mode == RMODE_SYSRAM) {
		json_object_object_add(o, "online_type",
				       json_object_new_string(st->online_type));
		json_object_object_add(
			o, "method",
			json_object_new_string(method_name(st->method)));
	}
	json_object_object_add(
		o, "region_driver",
		st->region_driver[0] ? json_object_new_string(st->region_driver)
				     : NULL);
	return o;
}

/* the region as it is now, with "changed" and "previous"; NULL on error */
static struct json_object *result_json(const char *region, bool changed,
				       const struct stack_state *prev,
				       struct txn *plan,
				       const struct stack_choice *choice)
{
	struct json_object *o;

	o = region_json_now(&rl, FN, region,
			    param.human || isatty(STDOUT_FILENO));
	if (!o)
		return NULL;
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	json_object_object_add(o, "previous", previous_json(prev));
	if (plan) {
		stack_choice_add_json(o, choice);
		json_object_object_add(o, "plan",
				       json_object_get(txn_plan(plan)));
	}
	return o;
}

/* a committed RAM region that can be reconfigured, or 1 after a message */
static int load_region(const char *region, struct region_info *ri)
{
	int rc;

	if (!region_exists(region)) {
		fail("%s: no such region", region);
		return 1;
	}
	rc = region_read_info(region, ri);
	if (rc) {
		fail("%s: %s", region, strerror(-rc));
		return 1;
	}
	if (strcmp(ri->mode, "ram")) {
		fail("%s: is a %s region; only ram regions can be reconfigured",
		     ri->name, ri->mode[0] ? ri->mode : "unknown");
		return 1;
	}
	if (!ri->committed) {
		fail("%s: not committed", ri->name);
		return 1;
	}
	return 0;
}

/*
 * A disabled region is left disabled: it may be so on purpose (the boot
 * policy leaves it alone too), and bringing memory into use is
 * enable-region's job. Say so, and the command that does what was asked.
 */
static int refuse_disabled(const struct region_info *ri)
{
	const struct stack_args *a = &param.stack;

	if (ri->driver[0])
		return 0;
	fail("%s: disabled; reconfigure-region changes an enabled region and enables none: to enable it so, run: cxl enable-region %s%s%s%s%s%s%s",
	     ri->name, ri->name, a->mode ? " --mode=" : "",
	     a->mode ? a->mode : "", a->online ? " --online=" : "",
	     a->online ? a->online : "", a->method ? " --method=" : "",
	     a->method ? a->method : "");
	return 1;
}

/*
 * Make region @ri what @req asks, in one transaction. Returns 0 with the
 * region's JSON in *@out (and whether it changed), or 1 after saying why
 * and putting the region back as it was.
 */
static int reconfigure_one(const struct region_info *ri,
			   const struct stack_request *req,
			   struct json_object **out, bool *changed)
{
	struct stack_choice choice;
	struct kernel_caps caps;
	struct stack_state st;
	enum method used;
	struct txn *t;
	char why[256];
	int rc;

	*out = NULL;
	*changed = false;
	rc = stack_describe(ri, &st);
	if (rc) {
		fail("%s: %s", ri->name, strerror(-rc));
		return 1;
	}
	if (stack_is(&st, req)) {
		info("%s: already %s%s%s", ri->name, region_mode_name(st.mode),
		     st.mode == RMODE_SYSRAM ? " " : "",
		     st.mode == RMODE_SYSRAM ? st.online_type : "");
		*out = result_json(ri->name, false, &st, NULL, NULL);
		return *out ? 0 : 1;
	}
	kernel_caps_detect(&caps);
	if (stack_choose(&caps, req, &choice, why, sizeof(why))) {
		fail("%s: %s", ri->name, why);
		return 1;
	}
	stack_choice_log(&rl, FN, &caps, req, &choice);
	if (devdax_in_use(&rl, FN, ri->name, &st, param.force, "--force"))
		return 1;

	t = txn_new(&rl, FN, param.dry_run);
	if (!t) {
		fail("out of memory");
		return 1;
	}
	txn_catch_signals();
	/* a kill from here on leaves the next writer the region to put back */
	if (!param.dry_run)
		journal_add_previous(ri->name, &st);
	rc = stack_reconfigure(t, ri, &st, &caps, req, &choice, &used);
	if (!param.dry_run)
		journal_drop("reconfigure", ri->name);
	if (rc) {
		if (txn_rollback(t))
			leftover_report(&rl, FN, ri->name, NULL, 0,
					txn_stopped_at(t), txn_stopped_rc(t));
		else
			fail("%s: unchanged", ri->name);
		txn_free(t);
		return 1;
	}
	txn_commit(t);
	*changed = !param.dry_run;
	*out = result_json(ri->name, *changed, &st, param.dry_run ? t : NULL,
			   &choice);
	txn_free(t);
	return *out ? 0 : 1;
}

int cmd_reconfigure_region(int argc, const char **argv)
{
	struct check_config_ctx cc = {
		.rl = &rl,
		.usage = usage,
		.options = options,
		.stack = &param.stack,
		.reconfigure = reconfigure_one,
	};
	struct stack_request req = { 0 };
	char region[NAME_LEN];
	struct json_object *o;
	struct region_info ri;
	bool changed;
	int nargs, rc;

	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	nargs = options_parse(argc, argv, options, usage);
	log_set_priority(&rl, param.debug ? LOG_DEBUG : LOG_INFO);
	log_set_verbose(&rl, param.verbose);
	if (param.check_config) {
		cc.config_dir = param.config_dir;
		cc.dry_run = param.dry_run;
		return check_config(&cc, nargs, argv);
	}
	if (param.config_dir)
		usage_error(usage, options,
			    "--config-dir applies to --check-config");
	if (nargs != 1)
		usage_error(usage, options,
			    nargs ? "one region at a time (got %d)"
				  : "specify a region (regionN or N)",
			    nargs);
	/* "0" for region0, as enable-, disable- and destroy-region take it */
	if (!name_parse_short(OBJ_REGION, argv[0], region, sizeof(region)))
		usage_error(usage, options,
			    "'%s' is not a region (regionN or N)", argv[0]);
	if (!param.stack.mode && !param.stack.online)
		usage_error(usage, options,
			    "nothing to change: give --mode and/or --online");
	stack_args_parse(&param.stack, RMODE_SYSRAM, &req, usage, options);
	if (!param.dry_run && writer_begin("reconfigure-region"))
		return 1;

	if (load_region(region, &ri) || refuse_disabled(&ri))
		return 1;
	rc = reconfigure_one(&ri, &req, &o, &changed);
	if (rc)
		return 1;
	rc = json_print(stdout, o);
	json_object_put(o);
	if (!rc && changed)
		log_info(&rl, "reconfigured 1 region");
	return rc ? 1 : 0;
}
