/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_DEVDAX_USERS_H
#define CXL_DEVDAX_USERS_H

#include <stdbool.h>

#include "cxl/lib/stack.h"
#include "util/log.h"

/*
 * Before a devdax region's char device goes away: -EBUSY after one line
 * naming the device and the PIDs that have it open or mapped and the
 * @option that overrides it, unless @force, which only warns. 0 when
 * nobody uses it.
 */
int devdax_in_use(struct log_ctx *log, const char *fn, const char *region,
		  const struct stack_state *st, bool force, const char *option);

#endif /* CXL_DEVDAX_USERS_H */
