/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_STACK_OPTIONS_H
#define CXL_STACK_OPTIONS_H

#include <stdbool.h>

#include "cxl/lib/stack.h"
#include "util/options.h"

/* --mode, --online, --method and --timeout, shared by the region commands */
struct stack_args {
	const char *mode, *online, *method;
	int timeout;
};

// clang-format off
#define STACK_ARGS_INIT { .timeout = -1 }

#define STACK_OPTIONS(a)                                                     \
	{ OPT_STRING, 0, "mode", &(a).mode, "mode",                          \
	  "sysram, devdax or default" },                                     \
	{ OPT_STRING, 0, "online", &(a).online, "type",                      \
	  "offline, online, kernel (online_kernel), movable (online_movable)" }, \
	{ OPT_STRING, 0, "method", &(a).method, "method",                    \
	  "auto, region-driver, dax-state or legacy (default: auto)" },     \
	{ OPT_INT, 0, "timeout", &(a).timeout, "seconds",                    \
	  "wait this long for devices and memory blocks (default 30)" }
// clang-format on

/*
 * Turn the strings into a request; unknown values are a usage error (one
 * line, exit 129). @default_mode applies when neither --mode nor --online
 * is given. Returns true when any of the options was given.
 */
bool stack_args_parse(const struct stack_args *a, enum region_mode default_mode,
		      struct stack_request *req, const char *const *usage,
		      const struct option_def *opts);
bool stack_args_given(const struct stack_args *a);
/* was any of --mode, --online and --method given? */
bool stack_args_given_mode(const struct stack_args *a);

#endif /* CXL_STACK_OPTIONS_H */
