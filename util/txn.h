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
 * same calls only record the plan: every write that the real run would make
 * in its forward direction, and nothing else. SIGINT/SIGTERM/SIGHUP mark
 * the transaction as interrupted; the next step fails with EINTR and the
 * caller rolls back.
 *
 * Every step returns 0 or the kernel's -errno; a step that fails is logged
 * once ("<what> failed: <strerror>") and fails the transaction, except the
 * TXN_QUIET ones, which the caller retries or judges itself.
 *
 * With -v (log_narrates()) each step that changed the system is said in
 * one line ("<what>"), each undo as "undo <what>" and each wait with how
 * long it took; with --debug also every write the sysfs layer makes, the
 * undos' own writes included, and when each wait begins.
 */
struct txn;

/* room for a step description: object names, values and a reason */
#define WHAT_LEN 768

typedef int (*txn_undo_fn)(void *arg);

/* what puts a step back: an inverse write, or an inverse function */
struct txn_undo {
	const char *what; /* how the undo is logged (default: the step's) */
	const char *path; /* an inverse write of @value to @path, or */
	const char *value;
	txn_undo_fn fn; /* a function; the transaction owns @arg (heap) */
	void *arg;
	/*
	 * If this undo fails, the rollback stops here: nothing done before
	 * the step is undone. For undos that take memory offline: the layers
	 * below must stay in place under memory that stays online.
	 */
	bool barrier;
};

#define TXN_QUIET (1u << 0) /* a failure is returned, not logged or fatal */
/*
 * One block of a walk over memory blocks: the caller narrates the walk in
 * ranges (util/narrate.h), so neither the step nor its undo is narrated
 * one by one (their writes are still logged at debug level).
 */
#define TXN_RANGE (1u << 2)

struct txn *txn_new(struct log_ctx *log, const char *fn, bool dry_run);
void txn_free(struct txn *t);
bool txn_dry_run(const struct txn *t);
struct log_ctx *txn_log(struct txn *t);
/* the function name the transaction's messages carry */
const char *txn_fn(const struct txn *t);

/*
 * The one primitive: write @value to @path as the step @what ("region3:
 * set size"), then push @undo (NULL: nothing to undo). The undo's @arg
 * belongs to the transaction from this call on, whatever happens.
 */
int txn_step(struct txn *t, const char *what, const char *path,
	     const char *value, const struct txn_undo *undo,
	     unsigned int flags);

/* shorthands: a plain inverse write; a quiet one; a function undo */
int txn_write(struct txn *t, const char *what, const char *path,
	      const char *value, const char *undo_path, const char *undo_value);
int txn_try_write(struct txn *t, const char *what, const char *path,
		  const char *value, const char *undo_path,
		  const char *undo_value);
int txn_write_fn(struct txn *t, const char *what, const char *path,
		 const char *value, txn_undo_fn undo, void *arg);

/* push an undo for something done outside txn_step (owning undo->arg) */
int txn_push_undo(struct txn *t, const char *what, const struct txn_undo *undo);

/* record a plan entry for writes summarised as one (dry-run), or nothing */
void txn_plan_note(struct txn *t, const char *path, const char *value,
		   const char *note);

/*
 * A scoped guard: a global setting held at @value for a span of steps
 * (txn_guard_begin .. txn_guard_end), e.g. auto_online_blocks=offline
 * while a bind hot-adds memory. The end restores the value found at the
 * begin, at once, on success and after a failure alike. On rollback the
 * setting is applied again around the undos of the steps inside the span,
 * and restored after them, so an undo that hot-adds again (a rebind) sees
 * the same setting the forward step did.
 *
 * TXN_GUARD_ROLLBACK: the span needs the setting only for its undos (a
 * teardown whose undo rebinds): nothing is written going forward.
 * TXN_GUARD_FORWARD: the span needs it only going forward; its undos
 * must not run under it (a bind under an online policy, whose undo takes
 * the memory out): a rollback does not apply it again.
 *
 * A value already in place makes the guard a no-op both ways.
 */
#define TXN_GUARD_ROLLBACK (1u << 1)
#define TXN_GUARD_FORWARD (1u << 3)

struct txn_guard {
	int begin; /* undo-stack index of the begin marker, -1: none */
	bool active;
};

int txn_guard_begin(struct txn *t, struct txn_guard *g, const char *what,
		    const char *path, const char *value, unsigned int flags);
int txn_guard_end(struct txn *t, struct txn_guard *g);

/*
 * Wait up to @timeout_ms for @ready to return true, polling. In dry-run it
 * records {"wait": what} and returns 0. -ETIMEDOUT on timeout.
 */
int txn_wait(struct txn *t, const char *what, bool (*ready)(void *arg),
	     void *arg, int timeout_ms);

/* fail the transaction at step @what with -errno @rc (logs once) */
int txn_fail(struct txn *t, const char *what, int rc);
/* check for SIGINT/SIGTERM/SIGHUP: -EINTR after logging, else 0 */
int txn_check_interrupt(struct txn *t, const char *what);
/* the signal that interrupted the command, or 0 */
int txn_interrupted(void);

/*
 * Undo everything in reverse. Every undo is logged at debug level and
 * every failed one at error level. Returns 0 when every undo succeeded,
 * else the first failure's -errno; a failed barrier undo stops the walk
 * (txn_stopped_at names it), and so does a guard that cannot be applied
 * again around the undos of its span, or put back before those below it.
 */
int txn_rollback(struct txn *t);
/* whether any rollback of this process left something undone */
bool txn_rollback_incomplete(void);
/* the undo at which the rollback stopped (a failed barrier), or NULL */
const char *txn_stopped_at(const struct txn *t);
/* the -errno of that undo */
int txn_stopped_rc(const struct txn *t);
/* forget the undo stack: the changes stay */
void txn_commit(struct txn *t);
/* the recorded plan, an array (owned by the txn) */
struct json_object *txn_plan(struct txn *t);

/*
 * The signals a command catches (SIGINT, SIGTERM, SIGHUP): the only ones
 * this program gives a handler, which a child must drop before its exec.
 */
#define TXN_NR_SIGNALS 3
extern const int txn_signals[TXN_NR_SIGNALS];
/* install handlers for those signals that mark transactions interrupted */
void txn_catch_signals(void);
/* block/unblock those signals around critical sections (rollback) */
void txn_block_signals(bool block);

#endif /* UTIL_TXN_H */
