/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SYSRAM_CONFIG_H
#define CXL_SYSRAM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxl/lib/stack.h"

/*
 * Boot-time policy rules (cxl-sysram(7)): *.conf files of a directory, read in
 * sorted name order, each with sections
 *
 *	[region NAME]
 *	match.serial = 0x100, 0x101	# exactly this set of memdev serials
 *	match.decoder = decoder0.0	# the root decoder
 *	match.host = 0000:0d:00.0	# every memdev's host is listed
 *	mode = sysram			# or devdax, default
 *	online = movable		# implies mode = sysram
 *	method = auto			# optional
 *
 * A rule needs a match key and mode and/or online; every match key given
 * must hold. The first rule that matches a region wins.
 *
 *	[new-regions]			# opt-in: what cxl create-region
 *	mode = sysram			# makes of a RAM region when the
 *	online = movable		# command line gives no --mode,
 *					# --online or --method
 *
 * takes no match key and may be given once over all the files.
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
	char decoder[NAME_LEN]; /* the full name, decoderX.Y */
	int nr_hosts;
	char hosts[SYSRAM_MAX_IDS][SYSRAM_HOST_LEN];
	/* parsed once, with the command line's parsers */
	enum region_mode mode; /* sysram, devdax or default */
	bool has_online;
	enum online_type online; /* movable when not given */
	enum method method; /* auto when not given */
	bool new_regions; /* the [new-regions] section, not a [region] rule */
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
 * an unknown key or value, an incomplete rule or one that can never work
 * returns -EINVAL with one line "file:line: what (valid: ...)" in @err,
 * any byte of the file it quotes escaped; rules added before the error
 * stay in @cfg, so callers drop @cfg on any error.
 */
int sysram_config_parse(struct sysram_config *cfg, const char *file, FILE *f,
			char *err, size_t len);

/* one line about a policy file; @fatal: nothing at all is applied */
typedef void sysram_report_fn(void *arg, bool fatal, const char *line);

/*
 * Add the rules of every "*.conf" in @dir, in strcmp order of the names,
 * trusting them as sshd and sudo trust theirs: @dir and every directory
 * above it owned by root (or the caller), writable by no one else (a
 * sticky directory above may be), and each file a regular file owned the
 * same way and writable by no one else, or a symlink to one in @dir.
 * Every problem is one line to @report. A file refused (untrusted, too
 * big, a symlink out of @dir) or with an error is never echoed, and
 * refuses the whole set: rules are ordered across the files, and a later
 * one must not take the regions of a skipped one. Then @cfg is left empty
 * and a negative errno returned. Non-regular entries and dangling
 * symlinks are reported and skipped. A missing @dir is no rule when
 * @optional.
 */
int sysram_config_load(struct sysram_config *cfg, const char *dir,
		       bool optional, sysram_report_fn *report, void *arg);
/* the request a rule makes; @timeout_ms from the command line */
void sysram_rule_request(const struct sysram_rule *rule, int timeout_ms,
			 struct stack_request *req);
void sysram_config_free(struct sysram_config *cfg);

/* the [new-regions] default, or NULL when no file sets one */
const struct sysram_rule *
sysram_config_new_regions(const struct sysram_config *cfg);

/* the first [region] rule that matches @r, or NULL */
const struct sysram_rule *sysram_config_match(const struct sysram_config *cfg,
					      const struct sysram_region *r);

#endif /* CXL_SYSRAM_CONFIG_H */
