// SPDX-License-Identifier: GPL-2.0
/*
 * What cxl create-region makes of a region the command line says nothing
 * about: the type from the root decoder, as upstream decides it, and the
 * memory under the kernel's own policy, unless the policy files hold a
 * [new-regions] default that an administrator opted into.
 */
#include <stdio.h>
#include <string.h>

#include "cxl/create-default.h"
#include "cxl/lib/topology.h"
#include "cxl/region-filter.h"
#include "cxl/sysram-config.h"

#define MAX_ROOTS 64

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
			"the policy files are not usable, so the default for new regions is unknown: fix them (cxl reconfigure-region --check-config --dry-run), or give --mode or --online");
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

bool create_type_is_pmem(struct cxl_ctx *ctx, const char *bus,
			 const char *decoder, char *name, size_t len)
{
	static struct topo_root roots[MAX_ROOTS];
	int i, n = topo_roots(ctx, bus, roots, MAX_ROOTS);

	for (i = 0; i < n; i++) {
		if (!decoder_filter_matches(decoder, roots[i].name))
			continue;
		snprintf(name, len, "%s", roots[i].name);
		return roots[i].pmem || !roots[i].ram;
	}
	return false;
}
