/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_CREATE_DEFAULT_H
#define CXL_CREATE_DEFAULT_H

#include <stdbool.h>

#include "cxl/lib/stack.h"
#include "util/log.h"

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
 * line, as --check-config reports them, then a line with the remedy).
 */
int create_default_from_policy(struct log_ctx *log, const char *fn,
			       const char *dir, struct stack_request *req);

#endif /* CXL_CREATE_DEFAULT_H */
