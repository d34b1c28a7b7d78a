// SPDX-License-Identifier: GPL-2.0
/*
 * The default for new regions an administrator opted into: the
 * [new-regions] section of the policy files. Without it, cxl create-region
 * leaves the memory to the kernel's own policy, as upstream does.
 */
#include <stdio.h>
#include <string.h>

#include "cxl/create-default.h"
#include "cxl/sysram-config.h"

struct reporter {
	struct log_ctx *log;
	const char *fn;
};

static void report(void *arg, bool fatal, const char *line)
{
	struct reporter *r = arg;

	log_msg(r->log, fatal ? LOG_ERR : LOG_WARNING, r->fn, "%s", line);
}

int create_default_from_policy(struct log_ctx *log, const char *fn,
			       const char *dir, struct stack_request *req)
{
	struct reporter r = { .log = log, .fn = fn };
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *rule;
	int found = 0;

	if (sysram_config_load(&cfg, dir ? dir : SYSRAM_CONF_DIR, !dir, report,
			       &r)) {
		log_msg(log, LOG_ERR, fn,
			"the policy files are not usable, so the default for new regions is unknown: fix them (cxl reconfigure-region --check-config --dry-run%s%s), or give --mode or --online",
			dir ? " --config-dir=" : "", dir ? dir : "");
		return -1;
	}
	rule = sysram_config_new_regions(&cfg);
	if (rule) {
		req->mode = rule->mode;
		req->online = rule->online;
		req->method = rule->method;
		log_msg(log, LOG_DEBUG, fn,
			"%s:%d: [new-regions] mode %s%s%s, method %s",
			rule->file, rule->line, region_mode_name(rule->mode),
			rule->mode == RMODE_SYSRAM ? " online " : "",
			rule->mode == RMODE_SYSRAM
				? online_type_name(rule->online)
				: "",
			method_name(rule->method));
		found = 1;
	}
	sysram_config_free(&cfg);
	return found;
}
