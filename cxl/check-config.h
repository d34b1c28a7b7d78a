/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_CHECK_CONFIG_H
#define CXL_CHECK_CONFIG_H

#include <stdbool.h>

#include "cxl/lib/stack.h"
#include "cxl/stack-options.h"
#include "util/json.h"
#include "util/log.h"

/*
 * reconfigure-region --check-config: the boot-time policy applied to one
 * region or all. The change itself is the command's own, passed in.
 */
typedef int reconfigure_fn(const struct region_info *ri,
			   const struct stack_request *req,
			   struct json_object **out, bool *changed);

struct check_config_ctx {
	struct log_ctx *rl;
	const char *const *usage;
	const struct option_def *options;
	const struct stack_args *stack; /* only --timeout may be given */
	const char *config_dir; /* --config-dir, NULL for the default */
	bool dry_run;
	reconfigure_fn *reconfigure;
};

/*
 * Usage errors exit 129. With --dry-run and no region, only the policy
 * files are checked. Returns the exit status.
 */
int check_config(const struct check_config_ctx *c, int nargs,
		 const char **argv);

#endif /* CXL_CHECK_CONFIG_H */
