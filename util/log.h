/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdbool.h>
#include <syslog.h>

/*
 * Messages go to stderr as "<owner>: <function>: <message>", the format the
 * cxl-cli family uses, so scripts that grep upstream messages keep working.
 */
struct log_ctx {
	const char *owner;
	int priority;
	bool verbose; /* -v: narrate each step in one line */
};

void log_init(struct log_ctx *ctx, const char *owner, const char *env);
void log_set_priority(struct log_ctx *ctx, int priority);
void log_set_verbose(struct log_ctx *ctx, bool verbose);
void log_msg(struct log_ctx *ctx, int priority, const char *fn, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));

/* with -v or --debug: one line per step, what it does to the system */
bool log_narrates(const struct log_ctx *ctx);
void log_narrate(struct log_ctx *ctx, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The log the command's steps go to, and the function name they carry:
 * set by txn_new(), used where no transaction is at hand (the sysfs layer
 * logs every write there, the range narration says its lines there).
 * NULL until set.
 */
void log_set_steps(struct log_ctx *ctx, const char *fn);
struct log_ctx *log_steps(const char **fn);

#define log_err(ctx, ...) log_msg(ctx, LOG_ERR, __func__, __VA_ARGS__)
#define log_warn(ctx, ...) log_msg(ctx, LOG_WARNING, __func__, __VA_ARGS__)
#define log_notice(ctx, ...) log_msg(ctx, LOG_NOTICE, __func__, __VA_ARGS__)
#define log_info(ctx, ...) log_msg(ctx, LOG_INFO, __func__, __VA_ARGS__)
#define log_dbg(ctx, ...) log_msg(ctx, LOG_DEBUG, __func__, __VA_ARGS__)

#endif /* UTIL_LOG_H */
