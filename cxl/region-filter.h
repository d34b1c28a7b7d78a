/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_REGION_FILTER_H
#define CXL_REGION_FILTER_H

#include "cxl/lib/region.h"

struct cxl_ctx;

/*
 * The regions a command acts on: positionals "all", "N" or "regionN",
 * narrowed by -b <bus> and -d <root decoder>. Invalid positionals are a
 * usage error (exit 129). Returns the count or a negative errno.
 */
int select_regions(struct cxl_ctx *ctx, const char *bus, const char *decoder,
		   int argc, const char **argv, char (*out)[NAME_LEN], int max);
/*
 * Does root decoder @dec match -d as upstream reads it: a space or comma
 * separated list of names, "X.Y", "all" or "root" (NULL matches all)?
 */
int decoder_filter_matches(const char *want, const char *dec);
/* is @want such a filter, every item of it valid? */
int decoder_filter_valid(const char *want);
/* is @arg a valid region selector (all, N, regionN)? */
int region_selector_valid(const char *arg);

#endif /* CXL_REGION_FILTER_H */
