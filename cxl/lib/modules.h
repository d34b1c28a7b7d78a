/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_MODULES_H
#define CXL_LIB_MODULES_H

#include "util/log.h"

/*
 * Make sure the kernel modules a region stack needs are loaded before a
 * bind, so the probe chain completes while the bind write runs. A module
 * that is already present (or built in) is left alone.
 */
int modules_ensure(struct log_ctx *log, const char *const *names);

#endif /* CXL_LIB_MODULES_H */
