// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/sysfs.h"
#include "util/txn.h"

struct undo {
	char *what;
	char *path; /* inverse write, or NULL */
	char *value;
	txn_undo_fn fn; /* or an inverse function */
	void *arg;
	bool done;
};

struct txn {
	struct log_ctx *log;
	const char *fn;
	bool dry_run;
	bool failed;
	struct undo *undo;
	int nr_undo, alloc_undo;
	struct json_object *plan;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

void txn_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void txn_block_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

struct txn *txn_new(struct log_ctx *log, const char *fn, bool dry_run)
{
	struct txn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->log = log;
	t->fn = fn;
	t->dry_run = dry_run;
	t->plan = json_object_new_array();
	if (!t->plan) {
		free(t);
		return NULL;
	}
	return t;
}

static void free_undo(struct undo *u)
{
	free(u->arg);
	free(u->what);
	free(u->path);
	free(u->value);
}

void txn_free(struct txn *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < t->nr_undo; i++)
		free_undo(&t->undo[i]);
	free(t->undo);
	json_object_put(t->plan);
	free(t);
}

bool txn_dry_run(const struct txn *t)
{
	return t->dry_run;
}

struct log_ctx *txn_log(struct txn *t)
{
	return t->log;
}

const char *txn_fn(const struct txn *t)
{
	return t->fn;
}

struct json_object *txn_plan(struct txn *t)
{
	return t->plan;
}

static int push(struct txn *t, const char *what, const char *path,
		const char *value, txn_undo_fn fn, void *arg)
{
	struct undo *u;

	if (t->nr_undo == t->alloc_undo) {
		int n = t->alloc_undo ? t->alloc_undo * 2 : 32;
		struct undo *nu = realloc(t->undo, n * sizeof(*nu));

		if (!nu)
			return -ENOMEM;
		t->undo = nu;
		t->alloc_undo = n;
	}
	u = &t->undo[t->nr_undo];
	memset(u, 0, sizeof(*u));
	u->what = strdup(what);
	u->path = path ? strdup(path) : NULL;
	u->value = value ? strdup(value) : NULL;
	u->fn = fn;
	u->arg = arg;
	if (!u->what || (path && !u->path) || (value && !u->value)) {
		u->arg = NULL; /* the caller frees it on failure */
		free_undo(u);
		return -ENOMEM;
	}
	return t->nr_undo++;
}

static void plan_add(struct txn *t, const char *key, const char *val,
		     const char *value, const char *note)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, key, json_object_new_string(val));
	if (value)
		json_object_object_add(o, "value",
				       json_object_new_string(value));
	if (note)
		json_object_object_add(o, "for", json_object_new_string(note));
	json_object_array_add(t->plan, o);
}

void txn_plan_note(struct txn *t, const char *path, const char *value,
		   const char *note)
{
	if (t->dry_run)
		plan_add(t, "write", path, value, note);
}

int txn_fail(struct txn *t, const char *what, int rc)
{
	if (!t->failed)
		log_msg(t->log, LOG_ERR, t->fn, "%s failed: %s", what,
			strerror(-rc));
	t->failed = true;
	return rc;
}

int txn_check_interrupt(struct txn *t, const char *what)
{
	if (!interrupted)
		return 0;
	return txn_fail(t, what, -EINTR);
}

static int do_write(struct txn *t, const char *what, const char *path,
		    const char *value, bool quiet)
{
	int rc = txn_check_interrupt(t, what);

	if (rc)
		return rc;
	if (t->dry_run) {
		plan_add(t, "write", path, value, NULL);
		return 0;
	}
	log_msg(t->log, LOG_DEBUG, t->fn, "write %s %s", path, value);
	rc = sysfs_write(path, value);
	if (rc && quiet)
		log_msg(t->log, LOG_DEBUG, t->fn, "%s: %s", what,
			strerror(-rc));
	else if (rc)
		return txn_fail(t, what, rc);
	return rc;
}

static int write_and_push(struct txn *t, const char *what, const char *path,
			  const char *value, const char *undo_path,
			  const char *undo_value, bool quiet)
{
	int rc = do_write(t, what, path, value, quiet);

	/* dry-run keeps plain undos too, so txn_undo_now can plan them */
	if (rc || !undo_path)
		return rc;
	rc = push(t, what, undo_path, undo_value, NULL, NULL);
	return rc < 0 ? txn_fail(t, what, rc) : rc;
}

int txn_write(struct txn *t, const char *what, const char *path,
	      const char *value, const char *undo_path, const char *undo_value)
{
	return write_and_push(t, what, path, value, undo_path, undo_value,
			      false);
}

int txn_try_write(struct txn *t, const char *what, const char *path,
		  const char *value, const char *undo_path,
		  const char *undo_value)
{
	return write_and_push(t, what, path, value, undo_path, undo_value,
			      true);
}

int txn_write_fn(struct txn *t, const char *what, const char *path,
		 const char *value, txn_undo_fn undo, void *arg,
		 const char *undo_what)
{
	int rc = do_write(t, what, path, value, false);

	if (rc || t->dry_run || !undo) {
		free(arg);
		return rc;
	}
	rc = push(t, undo_what ? undo_what : what, NULL, NULL, undo, arg);
	if (rc < 0) {
		free(arg);
		return txn_fail(t, what, rc);
	}
	return rc;
}

int txn_push_undo(struct txn *t, const char *what, txn_undo_fn fn, void *arg)
{
	int rc;

	if (t->dry_run) {
		free(arg);
		return 0;
	}
	rc = push(t, what, NULL, NULL, fn, arg);
	if (rc < 0) {
		free(arg);
		return txn_fail(t, what, rc);
	}
	return rc;
}

int txn_push_undo_write(struct txn *t, const char *what, const char *path,
			const char *value)
{
	int rc;

	if (t->dry_run)
		return 0;
	rc = push(t, what, path, value, NULL, NULL);
	return rc < 0 ? txn_fail(t, what, rc) : rc;
}

static int run_undo(struct txn *t, struct undo *u)
{
	int rc;

	if (u->done)
		return 0;
	u->done = true;
	if (u->fn)
		return u->fn(u->arg);
	log_msg(t->log, LOG_DEBUG, t->fn, "write %s %s", u->path, u->value);
	rc = sysfs_write(u->path, u->value);
	if (rc)
		log_msg(t->log, LOG_ERR, t->fn, "undo %s: write %s failed: %s",
			u->what, u->path, strerror(-rc));
	return rc;
}

int txn_undo_now(struct txn *t, int handle)
{
	struct undo *u;
	int rc;

	if (handle < 0 || handle >= t->nr_undo)
		return 0;
	u = &t->undo[handle];
	if (t->dry_run) {
		if (!u->done && u->path)
			plan_add(t, "write", u->path, u->value, NULL);
		u->done = true;
		return 0;
	}
	rc = run_undo(t, u);
	/* a failed restore stays on the stack: the rollback tries again */
	if (rc)
		u->done = false;
	return rc;
}

int txn_rollback(struct txn *t)
{
	int i, rc = 0;

	if (t->dry_run)
		return 0;
	txn_block_signals(true);
	for (i = t->nr_undo - 1; i >= 0; i--) {
		int r = run_undo(t, &t->undo[i]);

		if (r && !rc)
			rc = r;
	}
	txn_block_signals(false);
	return rc;
}

void txn_commit(struct txn *t)
{
	int i;

	for (i = 0; i < t->nr_undo; i++)
		t->undo[i].done = true;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int txn_wait(struct txn *t, const char *what, bool (*ready)(void *arg),
	     void *arg, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int delay_us = 1000;
	int rc;

	if (t->dry_run) {
		plan_add(t, "wait", what, NULL, NULL);
		return 0;
	}
	for (;;) {
		if (ready(arg))
			return 0;
		rc = txn_check_interrupt(t, what);
		if (rc)
			return rc;
		if (now_ms() >= deadline)
			return txn_fail(t, what, -ETIMEDOUT);
		usleep(delay_us);
		if (delay_us < 50000)
			delay_us *= 2;
	}
}
