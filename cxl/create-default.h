/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_CREATE_DEFAULT_H
#define CXL_CREATE_DEFAULT_H

#include <stdbool.h>

#include "cxl/lib/stack.h"
#include "util/log.h"

struct cxl_ctx;

/*
 * What cxl create-region makes when the command line does not say: no
 * --mode, --online or --method. Upstream's behaviour, unless the
 * administrator set a default for new regions in the policy files.
 */

/*
 * The [new-regions] section of the policy files in @dir (the default
 * directory, which need not exist, when NULL). Returns 1 and fills
 * @req's mode, online type and method when a file sets one, 0 when none
 * does, -1 when the files cannot be used (each problem logged on its own
 * line, as --check-config reports them).
 */
int create_default_from_policy(struct log_ctx *log, const char *fn,
			       const char *dir, struct stack_request *req);

/*
 * Without -t, upstream (v77 and later) takes the region type from the root
 * decoder -d selects: ram when it is volatile-capable, then pmem when it
 * is pmem-capable, so pmem wins on a decoder that can hold both. @decoder
 * is -d as upstream reads it (a name, X.Y, or a filter such as "root"),
 * the first root decoder that matches on bus @bus counting. Returns true
 * when that makes the region pmem (or a type this command does not
 * create, which upstream then refuses in its own words), with the
 * decoder's name in @name; false for ram or when nothing matches (the
 * RAM path then says so).
 */
bool create_type_is_pmem(struct cxl_ctx *ctx, const char *bus,
			 const char *decoder, char *name, size_t len);

#endif /* CXL_CREATE_DEFAULT_H */
