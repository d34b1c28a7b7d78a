// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/log.h"

static int priority_from_string(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "err"))
		return LOG_ERR;
	if (!strcmp(s, "info"))
		return LOG_INFO;
	if (!strcmp(s, "debug"))
		return LOG_DEBUG;
	if (!strcmp(s, "notice"))
		return LOG_NOTICE;
	v = strtol(s, &end, 10);
	if (end == s || *end || v < LOG_EMERG || v > LOG_DEBUG)
		return -1;
	return (int)v;
}

void log_init(struct log_ctx *ctx, const char *owner, const char *env)
{
	const char *s = env ? getenv(env) : NULL;
	int prio = s ? priority_from_string(s) : -1;

	ctx->owner = owner;
	ctx->priority = prio >= 0 ? prio : LOG_ERR;
}

void log_set_priority(struct log_ctx *ctx, int priority)
{
	ctx->priority = priority;
}

void log_msg(struct log_ctx *ctx, int priority, const char *fn, const char *fmt,
	     ...)
{
	char msg[2048], shown[2048];
	size_t len;
	va_list ap;

	if (priority > ctx->priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	/* one line, whatever a message quotes (a name, a kernel string) */
	fprintf(stderr, "%s: %s: %s\n", ctx->owner, fn,
		escape_controls(msg, shown, sizeof(shown)));
}
