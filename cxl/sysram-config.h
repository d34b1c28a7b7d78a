/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SYSRAM_CONFIG_H
#define CXL_SYSRAM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxl/lib/region.h"

/*
 * Boot-time policy rules (SPEC §6): *.conf files of a directory, read in
 * sorted name order, each with sections
 *
 *	[region NAME]
 *	match.serial = 0x100, 0x101	# exactly this set of memdev serials
 *	match.decoder = decoder0.0	# the root decoder
 *	match.host = 0000:0d:00.0	# every memdev's host is listed
 *	mode = sysram			# or devdax
 *	online = movable		# implies mode = sysram
 *	method = auto			# optional
 *
 * A rule needs a match key and mode and/or online; every match key given
 * must hold. The first rule that matches a region wins.
 */
#define SYSRAM_RULE_NAME_LEN 64
#define SYSRAM_HOST_LEN 64
#define SYSRAM_MAX_IDS REGION_MAX_WAYS

enum sysram_match {
	SYSRAM_MATCH_SERIAL = 1 << 0,
	SYSRAM_MATCH_DECODER = 1 << 1,
	SYSRAM_MATCH_HOST = 1 << 2,
};

struct sysram_rule {
	char name[SYSRAM_RULE_NAME_LEN];
	char *file; /* where it was defined, for messages */
	int line;
	unsigned int match; /* enum sysram_match bits */
	int nr_serials;
	uint64_t serials[SYSRAM_MAX_IDS];
	char decoder[NAME_LEN];
	int nr_hosts;
	char hosts[SYSRAM_MAX_IDS][SYSRAM_HOST_LEN];
	/* validated spellings, "" when not given */
	char mode[16];
	char online[24];
	char method[24];
};

struct sysram_config {
	struct sysram_rule *rules;
	int nr, alloc;
};

/* what a rule is matched against: a region and its memdevs */
struct sysram_region {
	char decoder[NAME_LEN];
	int nr;
	uint64_t serials[SYSRAM_MAX_IDS];
	char hosts[SYSRAM_MAX_IDS][SYSRAM_HOST_LEN];
};

/*
 * Add the rules of one file (@file names it in messages). A syntax error,
 * an unknown key or value, or an incomplete rule returns -EINVAL with one
 * line "file:line: what (valid: ...)" in @err; rules added before the
 * error stay in @cfg, so callers drop @cfg on any error.
 */
int sysram_config_parse(struct sysram_config *cfg, const char *file, FILE *f,
			char *err, size_t len);
/*
 * Add the rules of every "*.conf" in @dir, in strcmp order of the names.
 * A missing directory is not an error when @optional. Returns 0 or a
 * negative errno with one line in @err.
 */
int sysram_config_load(struct sysram_config *cfg, const char *dir,
		       bool optional, char *err, size_t len);
void sysram_config_free(struct sysram_config *cfg);

/* the first rule that matches @r, or NULL */
const struct sysram_rule *sysram_config_match(const struct sysram_config *cfg,
					      const struct sysram_region *r);

#endif /* CXL_SYSRAM_CONFIG_H */
