/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <syslog.h>

/*
 * Messages go to stderr as "<owner>: <function>: <message>", the format the
 * cxl-cli family uses, so scripts that grep upstream messages keep working.
 */
struct log_ctx {
	const char *owner;
	int priority;
};

void log_init(struct log_ctx *ctx, const char *owner, const char *env);
void log_set_priority(struct log_ctx *ctx, int priority);
void log_msg(struct log_ctx *ctx, int priority, const char *fn, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));

#define log_err(ctx, ...) log_msg(ctx, LOG_ERR, __func__, __VA_ARGS__)
#define log_warn(ctx, ...) log_msg(ctx, LOG_WARNING, __func__, __VA_ARGS__)
#define log_notice(ctx, ...) log_msg(ctx, LOG_NOTICE, __func__, __VA_ARGS__)
#define log_info(ctx, ...) log_msg(ctx, LOG_INFO, __func__, __VA_ARGS__)
#define log_dbg(ctx, ...) log_msg(ctx, LOG_DEBUG, __func__, __VA_ARGS__)

#endif /* UTIL_LOG_H */
