// SPDX-License-Identifier: GPL-2.0
/*
 * cxl reconfigure-region: change what an existing RAM region is (online
 * type, sysram or devdax) in place. The old stack is taken down and the
 * new one built in one transaction: memory that refuses to go offline
 * stops the change and everything is put back as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/lib/stack.h"
#include "cxl/region-json.h"
#include "cxl/stack-options.h"
#include "daxctl/lib/holders.h"
#include "util/json.h"
#include "util/log.h"
#include "util/name.h"
#include "util/options.h"

#define FN "cmd_reconfigure_region"

static struct {
	bool force, dry_run, human, debug;
	struct stack_args stack;
} param = { .stack = STACK_ARGS_INIT };

static const char *const usage[] = {
	"cxl reconfigure-region <region> [<options>]",
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
	{ OPT_END },
};

static struct log_ctx rl;

#define fail(...) log_msg(&rl, LOG_ERR, FN, __VA_ARGS__)

/* is the region already what was asked for? */
static bool already(const struct stack_state *st,
		    const struct stack_request *req)
{
	if (req->mode == RMODE_DEFAULT)
		return false;
	if (st->mode != req->mode)
		return false;
	if (st->mode != RMODE_SYSRAM)
		return true;
	return memblock_matches(&st->blocks, req->online);
}

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

static int print_result(const char *region, bool changed,
			const struct stack_state *prev, struct txn *plan)
{
	unsigned int flags = RJ_MAPPINGS | RJ_DAX | RJ_STACK;
	struct region_info ri;
	struct stack_state st;
	struct json_object *o;
	int rc;

	if (param.human || isatty(STDOUT_FILENO))
		flags |= RJ_HUMAN;
	rc = region_read_info(region, &ri);
	if (!rc)
		rc = stack_describe(&ri, &st);
	if (rc) {
		fail("%s: read back failed: %s", region, strerror(-rc));
		return rc;
	}
	o = region_to_json(&ri, &st, flags);
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	json_object_object_add(o, "previous", previous_json(prev));
	if (plan)
		json_object_object_add(o, "plan",
				       json_object_get(txn_plan(plan)));
	rc = json_print(stdout, o);
	json_object_put(o);
	return rc;
}

static int check_holders(const char *region, const struct stack_state *st)
{
	pid_t pids[16];
	char list[256];
	size_t used = 0;
	int i, j, n;

	for (i = 0; i < st->nr_dax; i++) {
		if (strcmp(st->dax[i].driver, "device_dax"))
			continue;
		n = dax_holders(st->dax[i].name, pids, 16);
		if (n <= 0)
			continue;
		for (j = 0; j < n && j < 16; j++)
			used += (size_t)snprintf(list + used,
						 sizeof(list) - used, "%s%d",
						 j ? " " : "", (int)pids[j]);
		if (param.force) {
			log_msg(&rl, LOG_WARNING, FN,
				"%s: /dev/%s is in use by pid %s; continuing (--force)",
				region, st->dax[i].name, list);
			continue;
		}
		fail("%s: /dev/%s is in use by pid %s; stop them or use --force",
		     region, st->dax[i].name, list);
		return -EBUSY;
	}
	return 0;
}

int cmd_reconfigure_region(int argc, const char **argv)
{
	struct stack_request req = { 0 };
	struct kernel_caps caps;
	struct region_info ri;
	struct stack_state st;
	struct txn *t;
	char why[256];
	int nargs, rc;

	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	nargs = options_parse(argc, argv, options, usage);
	log_set_priority(&rl, param.debug ? LOG_DEBUG : LOG_INFO);
	if (nargs != 1)
		usage_error(usage, options,
			    nargs ? "one region at a time (got %d)"
				  : "specify a region (regionN)",
			    nargs);
	if (!name_parse(OBJ_REGION, argv[0], NULL))
		usage_error(usage, options, "'%s' is not a region (regionN)",
			    argv[0]);
	if (!param.stack.mode && !param.stack.online)
		usage_error(usage, options,
			    "nothing to change: give --mode and/or --online");
	stack_args_parse(&param.stack, RMODE_SYSRAM, &req, usage, options);
	if (!param.dry_run && require_root("reconfigure-region"))
		return 1;

	if (!region_exists(argv[0])) {
		fail("%s: no such region", argv[0]);
		return 1;
	}
	rc = region_read_info(argv[0], &ri);
	if (rc) {
		fail("%s: %s", argv[0], strerror(-rc));
		return 1;
	}
	if (strcmp(ri.mode, "ram")) {
		fail("%s: is a %s region; only ram regions can be reconfigured",
		     ri.name, ri.mode[0] ? ri.mode : "unknown");
		return 1;
	}
	if (!ri.committed) {
		fail("%s: not committed", ri.name);
		return 1;
	}
	rc = stack_describe(&ri, &st);
	if (rc) {
		fail("%s: %s", ri.name, strerror(-rc));
		return 1;
	}
	if (already(&st, &req)) {
		log_info(&rl, "%s: already %s%s%s", ri.name,
			 region_mode_name(st.mode),
			 st.mode == RMODE_SYSRAM ? " " : "",
			 st.mode == RMODE_SYSRAM ? st.online_type : "");
		return print_result(ri.name, false, &st, NULL) ? 1 : 0;
	}
	kernel_caps_detect(&caps);
	if (stack_check(&caps, &req, why, sizeof(why))) {
		fail("%s: %s", ri.name, why);
		return 1;
	}
	if (check_holders(ri.name, &st))
		return 1;

	t = txn_new(&rl, FN, param.dry_run);
	if (!t) {
		fail("out of memory");
		return 1;
	}
	txn_catch_signals();
	rc = stack_tear_down(t, &ri, &st);
	if (!rc) {
		struct region_info down = ri;

		/* the region as the bring-up will find it: unbound */
		down.driver[0] = '\0';
		rc = stack_bring_up(t, &down, &caps, &req);
	}
	if (rc) {
		if (txn_rollback(t))
			fail("%s: could not put the region back as it was; see the messages above",
			     ri.name);
		else
			fail("%s: unchanged", ri.name);
		txn_free(t);
		return 1;
	}
	txn_commit(t);
	rc = print_result(ri.name, !param.dry_run, &st,
			  param.dry_run ? t : NULL);
	txn_free(t);
	if (!rc && !param.dry_run)
		log_info(&rl, "reconfigured 1 region");
	return rc ? 1 : 0;
}
