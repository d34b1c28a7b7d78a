/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_TXN_H
#define UTIL_TXN_H

#include <json-c/json.h>
#include <stdbool.h>
#include <signal.h>

#include "util/log.h"

/*
 * A transaction over sysfs: every state-changing step runs through here and
 * pushes its inverse on an undo stack. On failure the stack is unwound in
 * reverse so the system ends exactly where it started. In dry-run mode the
 * same calls only record the plan. SIGINT/SIGTERM mark the transaction as
 * interrupted; the next step fails with EINTR and the caller rolls back.
 */
struct txn;

/* room for a step description: object names, values and a reason */
#define WHAT_LEN 768

typedef int (*txn_undo_fn)(void *arg);

struct txn *txn_new(struct log_ctx *log, const char *fn, bool dry_run);
void txn_free(struct txn *t);
bool txn_dry_run(const struct txn *t);
struct log_ctx *txn_log(struct txn *t);
/* the function name the transaction's messages carry */
const char *txn_fn(const struct txn *t);

/*
 * Write @value to @path as the step @what ("region3: set size"). On success
 * push the inverse write (@undo_path may be NULL: nothing to undo). Returns
 * 0, or the kernel's -errno after logging "<what> failed: <strerror>".
 * The returned undo handle (>= 0) can be given to txn_undo_now().
 */
int txn_write(struct txn *t, const char *what, const char *path,
	      const char *value, const char *undo_path, const char *undo_value);
/*
 * Like txn_write, but a failure is returned without being logged or
 * failing the transaction: for steps the caller retries (name races).
 */
int txn_try_write(struct txn *t, const char *what, const char *path,
		  const char *value, const char *undo_path,
		  const char *undo_value);
/* like txn_write, but the undo is a function (owning @arg as above) */
int txn_write_fn(struct txn *t, const char *what, const char *path,
		 const char *value, txn_undo_fn undo, void *arg,
		 const char *undo_what);
/*
 * Push an undo action for something done outside txn_write. The
 * transaction owns @arg (heap memory, freed with free()); in dry-run the
 * action is dropped at once.
 */
int txn_push_undo(struct txn *t, const char *what, txn_undo_fn fn, void *arg);
/* push a plain inverse write for something already done */
int txn_push_undo_write(struct txn *t, const char *what, const char *path,
			const char *value);
/* run one undo entry now (e.g. restore a global setting) and drop it */
int txn_undo_now(struct txn *t, int handle);
/* record a plan entry of an aggregated write (dry-run), or nothing */
void txn_plan_note(struct txn *t, const char *path, const char *value,
		   const char *note);

/*
 * Wait up to @timeout_ms for @ready to return true, polling. In dry-run it
 * records {"wait": what} and returns 0. -ETIMEDOUT on timeout.
 */
int txn_wait(struct txn *t, const char *what, bool (*ready)(void *arg),
	     void *arg, int timeout_ms);

/* fail the transaction at step @what with -errno @rc (logs once) */
int txn_fail(struct txn *t, const char *what, int rc);
/* check for SIGINT/SIGTERM: -EINTR after logging, else 0 */
int txn_check_interrupt(struct txn *t, const char *what);

/* undo everything in reverse; returns 0 when every undo step succeeded */
int txn_rollback(struct txn *t);
/* forget the undo stack: the changes stay */
void txn_commit(struct txn *t);
/* the recorded plan, an array (owned by the txn) */
struct json_object *txn_plan(struct txn *t);

/* install SIGINT/SIGTERM handlers that mark transactions interrupted */
void txn_catch_signals(void);
/* block/unblock SIGINT and SIGTERM around critical sections (rollback) */
void txn_block_signals(bool block);

#endif /* UTIL_TXN_H */
