/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_REGION_FILTER_H
#define CXL_REGION_FILTER_H

#include "cxl/lib/region.h"

struct cxl_ctx;
struct topo_root;

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
/*
 * The first root decoder on buses matching @bus, in topology order, that
 * -d @filter selects (upstream's create-region takes that one).
 * -ENOENT when none does.
 */
int root_by_filter(struct cxl_ctx *ctx, const char *bus, const char *filter,
		   struct topo_root *out);
/* is @arg a valid region selector (all, N, regionN)? */
int region_selector_valid(const char *arg);

#endif /* CXL_REGION_FILTER_H */
