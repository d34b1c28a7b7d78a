/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_STACK_EXPLAIN_H
#define CXL_LIB_STACK_EXPLAIN_H

#include "cxl/lib/stack.h"
#include "util/log.h"

/*
 * The decision of stack_choose() said with its reason, at debug level:
 * what the kernel offers, then how the request is carried out and why.
 */
void stack_choice_log(struct log_ctx *log, const char *fn,
		      const struct kernel_caps *caps,
		      const struct stack_request *r,
		      const struct stack_choice *c);

#endif /* CXL_LIB_STACK_EXPLAIN_H */
