// SPDX-License-Identifier: GPL-2.0
#include "cxl/stack-options.h"

bool stack_args_given(const struct stack_args *a)
{
	return a->mode || a->online || a->method || a->timeout != -1;
}

bool stack_args_given_mode(const struct stack_args *a)
{
	return a->mode || a->online || a->method;
}

bool stack_args_parse(const struct stack_args *a, enum region_mode default_mode,
		      struct stack_request *req, const char *const *usage,
		      const struct option_def *opts)
{
	int v;

	if (a->timeout != -1 && (a->timeout < 1 || a->timeout > 3600))
		usage_error(usage, opts,
			    "invalid --timeout %d (valid: 1 to 3600 seconds)",
			    a->timeout);
	req->timeout_ms = (a->timeout == -1 ? 30 : a->timeout) * 1000;

	req->mode = a->online ? RMODE_SYSRAM : default_mode;
	if (a->mode) {
		v = region_mode_parse(a->mode);
		if (v < 0)
			usage_error(usage, opts,
				    "unknown --mode '%s' (valid: %s)", a->mode,
				    REGION_MODE_CHOICES);
		req->mode = (enum region_mode)v;
	}
	req->online = ONLINE_MOVABLE;
	if (a->online) {
		v = online_type_parse(a->online);
		if (v == ONLINE_TYPE_INVALID)
			usage_error(usage, opts,
				    "unknown --online '%s' (valid: %s)",
				    a->online, ONLINE_TYPE_CHOICES);
		if (req->mode != RMODE_SYSRAM)
			usage_error(
				usage, opts,
				"--online applies to --mode=sysram, not --mode=%s",
				a->mode);
		req->online = (enum online_type)v;
	}
	req->method = METHOD_AUTO;
	if (a->method) {
		v = method_parse(a->method);
		if (v < 0)
			usage_error(usage, opts,
				    "unknown --method '%s' (valid: %s)",
				    a->method, METHOD_CHOICES);
		if (req->mode == RMODE_DEFAULT && v != METHOD_AUTO)
			usage_error(
				usage, opts,
				"--method does not apply to --mode=default");
		req->method = (enum method)v;
	}
	return stack_args_given(a);
}
