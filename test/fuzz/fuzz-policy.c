// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the policy-file parser. Any input either parses into
 * rules that can be matched and turned into requests, or is refused with
 * one line of printable text; anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/sysram-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sysram_region r = {
		.decoder = "decoder0.0",
		.nr = 2,
		.serials = { 0, 0x101 },
		.hosts = { "0000:0d:00.0", "cxl_mem.1" },
	};
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *rule;
	struct stack_request req;
	char err[512];
	FILE *f;
	int i, rc;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rc = sysram_config_parse(&cfg, "fuzz.conf", f, err, sizeof(err));
	fclose(f);
	if (rc) {
		if (!err[0])
			abort();
		check_line(err);
	} else {
		for (i = 0; i < cfg.nr; i++) {
			/* what the parser lets through is always complete */
			if (!cfg.rules[i].match || !cfg.rules[i].name[0])
				abort();
			sysram_rule_request(&cfg.rules[i], 1000, &req);
			if (req.mode != RMODE_SYSRAM && cfg.rules[i].has_online)
				abort();
			if (req.mode == RMODE_SYSRAM &&
			    stack_conflict(req.method, req.online))
				abort();
		}
		rule = sysram_config_match(&cfg, &r);
		if (rule && (rule < cfg.rules || rule >= cfg.rules + cfg.nr))
			abort();
	}
	sysram_config_free(&cfg);
	return 0;
}
