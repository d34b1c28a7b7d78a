// SPDX-License-Identifier: GPL-2.0
/*
 * cxl reconfigure-region --check-config: the mode, online type and method
 * come from the first rule of the boot-time policy files that matches the
 * region (cxl/sysram-config.c); each region is then changed exactly as if
 * they had been given on the command line. With --dry-run and no region,
 * the files are only checked.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/builtin.h"
#include "cxl/check-config.h"
#include "cxl/lib/topology.h"
#include "cxl/sysram-config.h"
#include "util/name.h"

#define FN "cmd_reconfigure_region"
#define MAX_REGIONS 256

#define fail(c, ...) log_msg((c)->rl, LOG_ERR, FN, __VA_ARGS__)
#define warn(c, ...) log_msg((c)->rl, LOG_WARNING, FN, __VA_ARGS__)
#define info(c, ...) log_msg((c)->rl, LOG_INFO, FN, __VA_ARGS__)
#define dbg(c, ...) log_msg((c)->rl, LOG_DEBUG, FN, __VA_ARGS__)

/* the serial numbers and hosts of the memdevs a region is built from */
static int read_identity(const struct check_config_ctx *c,
			 const struct region_info *ri, struct sysram_region *id)
{
	char memdev[NAME_LEN];
	unsigned int i;
	int rc;

	memset(id, 0, sizeof(*id));
	snprintf(id->decoder, sizeof(id->decoder), "%s", ri->decoder);
	for (i = 0; i < ri->ways && i < SYSRAM_MAX_IDS; i++) {
		if (!ri->targets[i][0])
			return -ENXIO;
		rc = topo_decoder_memdev(ri->targets[i], memdev,
					 sizeof(memdev));
		if (!rc)
			rc = topo_memdev_serial(memdev, &id->serials[i]);
		if (!rc)
			rc = topo_memdev_host(memdev, id->hosts[i],
					      sizeof(id->hosts[i]));
		if (rc)
			return rc;
		dbg(c, "%s: target%u %s: %s serial %#llx host %s", ri->name, i,
		    ri->targets[i], memdev, (unsigned long long)id->serials[i],
		    id->hosts[i]);
	}
	id->nr = (int)i;
	return 0;
}

enum checked { CHECK_FAILED = -1, CHECK_LEFT_ALONE, CHECK_APPLIED };

/* apply the rule that matches @region, if any */
static enum checked check_one(const struct check_config_ctx *c,
			      const char *region,
			      const struct sysram_config *cfg, int timeout_ms,
			      struct json_object **out, bool *changed)
{
	const struct sysram_rule *rule;
	struct stack_request req;
	struct sysram_region id;
	struct region_info ri;
	int rc;

	rc = region_read_info(region, &ri);
	if (rc) {
		fail(c, "%s: %s", region, strerror(-rc));
		return CHECK_FAILED;
	}
	if (strcmp(ri.mode, "ram")) {
		info(c, "%s: not a ram region; left alone", region);
		return CHECK_LEFT_ALONE;
	}
	/* still being assembled, or disabled on purpose */
	if (!ri.committed || !ri.driver[0]) {
		info(c, "%s: not enabled; left alone", region);
		return CHECK_LEFT_ALONE;
	}
	rc = read_identity(c, &ri, &id);
	if (rc) {
		fail(c, "%s: cannot read its memdevs: %s", region,
		     strerror(-rc));
		return CHECK_FAILED;
	}
	rule = sysram_config_match(cfg, &id);
	if (!rule) {
		info(c, "no rule for %s", region);
		return CHECK_LEFT_ALONE;
	}
	info(c, "%s: rule '%s' (%s:%d) applies", region, rule->name, rule->file,
	     rule->line);
	sysram_rule_request(rule, timeout_ms, &req);
	if (c->reconfigure(&ri, &req, out, changed))
		return CHECK_FAILED;
	return CHECK_APPLIED;
}

static void report(void *arg, bool fatal, const char *line)
{
	const struct check_config_ctx *c = arg;

	if (fatal)
		fail(c, "%s", line);
	else
		warn(c, "%s", line);
}

static int apply(const struct check_config_ctx *c, const char *target,
		 const struct sysram_config *cfg, int timeout_ms)
{
	static char names[MAX_REGIONS][NAME_LEN];
	struct json_object *arr = NULL, *o;
	int i, n, rc = 1, done = 0, failed = 0;
	bool changed;

	if (!c->dry_run && writer_begin("reconfigure-region"))
		return 1;
	if (!strcmp(target, "all")) {
		n = region_list(names, MAX_REGIONS);
		if (n < 0) {
			fail(c, "cannot list regions: %s", strerror(-n));
			return 1;
		}
		arr = json_object_new_array();
	} else {
		if (!region_exists(target)) {
			fail(c, "%s: no such region", target);
			return 1;
		}
		snprintf(names[0], NAME_LEN, "%s", target);
		n = 1;
	}
	for (i = 0; i < n; i++) {
		switch (check_one(c, names[i], cfg, timeout_ms, &o, &changed)) {
		case CHECK_FAILED:
			failed++;
			continue;
		case CHECK_LEFT_ALONE:
			continue;
		case CHECK_APPLIED:
			break;
		}
		done += changed;
		if (arr) {
			json_object_array_add(arr, o);
		} else {
			if (json_print(stdout, o))
				failed++;
			json_object_put(o);
		}
	}
	if (arr && json_print(stdout, arr))
		failed++;
	if (!c->dry_run && (done || arr))
		info(c, "reconfigured %d region%s", done, done == 1 ? "" : "s");
	rc = failed ? 1 : 0;
	json_object_put(arr);
	return rc;
}

int check_config(const struct check_config_ctx *c, int nargs, const char **argv)
{
	const char *dir = c->config_dir ? c->config_dir : SYSRAM_CONF_DIR;
	struct sysram_config cfg = { 0 };
	struct stack_request req = { 0 };
	char region[NAME_LEN];
	const char *target = NULL;
	int rc;

	if (c->stack->mode || c->stack->online || c->stack->method)
		usage_error(
			c->usage, c->options,
			"--check-config takes the mode, online type and method from the rules: drop --mode, --online and --method");
	if (nargs > 1)
		usage_error(c->usage, c->options,
			    "--check-config takes one region or all (got %d)",
			    nargs);
	if (!nargs && !c->dry_run)
		usage_error(
			c->usage, c->options,
			"--check-config needs a region (regionN, N) or all; with --dry-run and none, it checks the policy files");
	if (nargs) {
		/* the same forms as the other region commands take */
		if (!strcmp(argv[0], "all"))
			target = "all";
		else if (name_parse_short(OBJ_REGION, argv[0], region,
					  sizeof(region)))
			target = region;
		else
			usage_error(c->usage, c->options,
				    "'%s' is not a region (regionN, N or all)",
				    argv[0]);
	}
	/* only --timeout can be given: check it */
	stack_args_parse(c->stack, RMODE_SYSRAM, &req, c->usage, c->options);

	/* the default directory need not exist: then there is no rule */
	if (sysram_config_load(&cfg, dir, !c->config_dir, report, (void *)c))
		return 1;
	dbg(c, "%d rule%s in %s", cfg.nr, cfg.nr == 1 ? "" : "s", dir);
	if (target) {
		rc = apply(c, target, &cfg, req.timeout_ms);
	} else {
		info(c, "%d rule%s in %s: no error", cfg.nr,
		     cfg.nr == 1 ? "" : "s", dir);
		rc = 0;
	}
	sysram_config_free(&cfg);
	return rc;
}
