// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/log.h"
#include "util/narrate.h"
#include "util/progress.h"

static struct log_ctx *steps_log;
static const char *steps_fn;

void log_set_steps(struct log_ctx *ctx, const char *fn)
{
	steps_log = ctx;
	steps_fn = fn;
}

struct log_ctx *log_steps(const char **fn)
{
	*fn = steps_fn;
	return steps_log;
}

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
	ctx->verbose = false;
}

void log_set_verbose(struct log_ctx *ctx, bool verbose)
{
	ctx->verbose = verbose;
}

bool log_narrates(const struct log_ctx *ctx)
{
	return ctx->verbose || ctx->priority >= LOG_DEBUG;
}

void log_set_priority(struct log_ctx *ctx, int priority)
{
	ctx->priority = priority;
}

static void emit(struct log_ctx *ctx, const char *fn, bool flush,
		 const char *fmt, va_list ap)
{
	char msg[2048], shown[2048];
	size_t len;

	/*
	 * A block range said so far comes first, except before the debug
	 * lines of its own blocks (their writes); the progress line goes.
	 */
	if (flush)
		narrate_flush();
	progress_hide();
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	/* one line, whatever a message quotes (a name, a kernel string) */
	fprintf(stderr, "%s: %s: %s\n", ctx->owner, fn,
		escape_controls(msg, shown, sizeof(shown)));
}

void log_msg(struct log_ctx *ctx, int priority, const char *fn, const char *fmt,
	     ...)
{
	va_list ap;

	if (priority > ctx->priority)
		return;
	va_start(ap, fmt);
	emit(ctx, fn, priority < LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void log_narrate(struct log_ctx *ctx, const char *fn, const char *fmt, ...)
{
	va_list ap;

	if (!log_narrates(ctx))
		return;
	va_start(ap, fmt);
	emit(ctx, fn, true, fmt, ap);
	va_end(ap);
}
