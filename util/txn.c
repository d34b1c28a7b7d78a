// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/journal.h"
#include "util/narrate.h"
#include "util/progress.h"
#include "util/sysfs.h"
#include "util/txn.h"

enum entry_kind {
	E_UNDO, /* an inverse write or function */
	E_GUARD_BEGIN, /* restores the guarded setting on the way back */
	E_GUARD_END, /* applies it again on the way back */
};

struct entry {
	enum entry_kind kind;
	char *what;
	char *path; /* inverse write, or the guarded setting */
	char *value; /* inverse value, or the guard's value */
	char *orig; /* guard: the value found at the begin */
	txn_undo_fn fn; /* or an inverse function */
	void *arg;
	bool barrier;
	bool range; /* undo: one block of a walk, narrated in ranges */
	bool done; /* undo: run (or committed) */
	bool applied; /* guard begin: the guard's value is in place */
	bool noop; /* guard begin: the value was already in place */
	bool forward; /* guard begin: not applied again for the undos */
	int begin; /* guard end: index of its begin */
};

struct txn {
	struct log_ctx *log;
	const char *fn;
	bool dry_run;
	bool failed;
	struct entry *e;
	int nr, alloc;
	struct json_object *plan;
	const char *stopped_at;
	int stopped_rc;
};

static volatile sig_atomic_t interrupted;
static bool incomplete; /* a rollback of this process failed somewhere */

bool txn_rollback_incomplete(void)
{
	return incomplete;
}

static void on_signal(int sig)
{
	interrupted = sig;
}

const int txn_signals[TXN_NR_SIGNALS] = { SIGINT, SIGTERM, SIGHUP };

void txn_catch_signals(void)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < TXN_NR_SIGNALS; i++)
		sigaction(txn_signals[i], &sa, NULL);
}

int txn_interrupted(void)
{
	return interrupted;
}

void txn_block_signals(bool block)
{
	sigset_t set;

	int i;

	sigemptyset(&set);
	for (i = 0; i < TXN_NR_SIGNALS; i++)
		sigaddset(&set, txn_signals[i]);
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
	/* the sysfs layer and the range narration log the steps here */
	log_set_steps(log, fn);
	t->plan = json_object_new_array();
	if (!t->plan) {
		free(t);
		return NULL;
	}
	return t;
}

static void free_entry(struct entry *e)
{
	free(e->arg);
	free(e->what);
	free(e->path);
	free(e->value);
	free(e->orig);
}

void txn_free(struct txn *t)
{
	int i;

	if (!t)
		return;
	narrate_flush();
	if (!t->dry_run) {
		const struct sysfs_stats *st = sysfs_get_stats();

		log_msg(t->log, LOG_DEBUG, t->fn,
			"sysfs so far: %lu reads, %lu writes, %lu links, %lu stats, %lu directory scans",
			st->reads, st->writes, st->links, st->stats, st->scans);
	}
	for (i = 0; i < t->nr; i++)
		free_entry(&t->e[i]);
	free(t->e);
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

const char *txn_stopped_at(const struct txn *t)
{
	return t->stopped_at;
}

int txn_stopped_rc(const struct txn *t)
{
	return t->stopped_rc;
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

/* a new entry at the top of the stack; its index, or -ENOMEM */
static int push(struct txn *t, enum entry_kind kind, const char *what,
		const char *path, const char *value, const char *orig)
{
	bool oom = false;
	struct entry *e;

	if (t->nr == t->alloc) {
		int n = t->alloc ? t->alloc * 2 : 32;
		struct entry *ne = realloc(t->e, n * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		t->e = ne;
		t->alloc = n;
	}
	e = &t->e[t->nr];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->begin = -1;
	e->what = dup_or_null(what, &oom);
	e->path = dup_or_null(path, &oom);
	e->value = dup_or_null(value, &oom);
	e->orig = dup_or_null(orig, &oom);
	if (oom || !e->what) {
		free_entry(e);
		return -ENOMEM;
	}
	return t->nr++;
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

/* "<what>", with the value when the step sets one it does not name */
static void narrate_step(struct txn *t, const char *what, const char *value)
{
	if (strstr(what, ": set ") && !strstr(what, value) &&
	    strcspn(value, "\n") == strlen(value))
		log_narrate(t->log, t->fn, "%s %s", what, value);
	else
		log_narrate(t->log, t->fn, "%s", what);
}

static int do_write(struct txn *t, const char *what, const char *path,
		    const char *value, unsigned int flags)
{
	int rc = txn_check_interrupt(t, what);

	if (rc)
		return rc;
	if (t->dry_run) {
		plan_add(t, "write", path, value, NULL);
		return 0;
	}
	if (!(flags & TXN_RANGE))
		narrate_flush();
	/* the sysfs layer logs the write itself, at debug level */
	rc = sysfs_write(path, value);
	if (rc && (flags & TXN_QUIET))
		log_msg(t->log, LOG_DEBUG, t->fn, "%s: %s", what,
			strerror(-rc));
	else if (rc)
		return txn_fail(t, what, rc);
	else if (!(flags & TXN_RANGE))
		narrate_step(t, what, value);
	return rc;
}

int txn_push_undo(struct txn *t, const char *what, const struct txn_undo *u)
{
	int i;

	/* nothing to put back */
	if (!u || (!u->fn && !u->path)) {
		if (u)
			free(u->arg);
		return 0;
	}
	i = push(t, E_UNDO, u->what ? u->what : what, u->path, u->value, NULL);
	if (i < 0) {
		free(u->arg);
		return txn_fail(t, what, i);
	}
	t->e[i].fn = u->fn;
	t->e[i].arg = u->arg;
	t->e[i].barrier = u->barrier;
	return 0;
}

/* the same, for one block of a walk */
static int push_undo(struct txn *t, const char *what, const struct txn_undo *u,
		     unsigned int flags)
{
	int nr = t->nr, rc = txn_push_undo(t, what, u);

	if (!rc && t->nr > nr)
		t->e[nr].range = flags & TXN_RANGE;
	return rc;
}

int txn_step(struct txn *t, const char *what, const char *path,
	     const char *value, const struct txn_undo *undo, unsigned int flags)
{
	int rc = do_write(t, what, path, value, flags);

	if (rc) {
		if (undo)
			free(undo->arg);
		return rc;
	}
	return push_undo(t, what, undo, flags);
}

int txn_write(struct txn *t, const char *what, const char *path,
	      const char *value, const char *undo_path, const char *undo_value)
{
	struct txn_undo u = { .path = undo_path, .value = undo_value };

	return txn_step(t, what, path, value, undo_path ? &u : NULL, 0);
}

int txn_try_write(struct txn *t, const char *what, const char *path,
		  const char *value, const char *undo_path,
		  const char *undo_value)
{
	struct txn_undo u = { .path = undo_path, .value = undo_value };

	return txn_step(t, what, path, value, undo_path ? &u : NULL, TXN_QUIET);
}

int txn_write_fn(struct txn *t, const char *what, const char *path,
		 const char *value, txn_undo_fn undo, void *arg)
{
	struct txn_undo u = { .fn = undo, .arg = arg };

	return txn_step(t, what, path, value, undo ? &u : NULL, 0);
}

/* ---- scoped guards ---- */

/* a write outside the forward steps: planned in dry-run, logged always */
static int guard_write(struct txn *t, const char *what, const char *path,
		       const char *value)
{
	int rc;

	if (t->dry_run) {
		plan_add(t, "write", path, value, NULL);
		return 0;
	}
	narrate_flush();
	rc = sysfs_write(path, value);
	if (!rc)
		log_narrate(t->log, t->fn, "%s", what);
	if (rc)
		log_msg(t->log, LOG_ERR, t->fn, "%s: write %s %s failed: %s",
			what, path, value, strerror(-rc));
	return rc;
}

/*
 * Hold a guard's setting: written down first, so that a command killed
 * while it holds it leaves the next one what to put back
 */
static int guard_apply(struct txn *t, struct entry *b, bool forward)
{
	int rc;

	if (!t->dry_run) {
		rc = journal_add("setting", b->path, b->orig);
		if (rc) {
			log_msg(t->log, LOG_ERR, t->fn,
				"%s: cannot write down what to put back: %s",
				b->what, strerror(-rc));
			return rc;
		}
	}
	if (forward)
		rc = do_write(t, b->what, b->path, b->value, 0);
	else
		rc = guard_write(t, b->what, b->path, b->value);
	if (!rc)
		b->applied = true;
	else if (!t->dry_run)
		journal_drop("setting", b->path);
	return rc;
}

int txn_guard_begin(struct txn *t, struct txn_guard *g, const char *what,
		    const char *path, const char *value, unsigned int flags)
{
	char cur[64];
	int i, rc;

	g->begin = -1;
	g->active = false;
	rc = txn_check_interrupt(t, what);
	if (rc)
		return rc;
	rc = sysfs_read(path, cur, sizeof(cur));
	if (rc)
		return txn_fail(t, what, rc);
	i = push(t, E_GUARD_BEGIN, what, path, value, cur);
	if (i < 0)
		return txn_fail(t, what, i);
	g->begin = i;
	g->active = true;
	t->e[i].forward = flags & TXN_GUARD_FORWARD;
	if (!strcmp(cur, value)) {
		t->e[i].noop = true;
		return 0;
	}
	if (flags & TXN_GUARD_ROLLBACK)
		return 0;
	rc = guard_apply(t, &t->e[i], true);
	return rc ? txn_fail(t, what, rc) : 0;
}

static int guard_restore(struct txn *t, struct entry *b)
{
	char what[WHAT_LEN];
	int rc;

	if (!b->applied)
		return 0;
	snprintf(what, sizeof(what), "end %s: back to %s", b->what, b->orig);
	rc = guard_write(t, what, b->path, b->orig);
	if (!rc) {
		b->applied = false;
		if (!t->dry_run)
			journal_drop("setting", b->path);
	}
	return rc;
}

/* the last try: a setting that stays held is said, with the fix */
static int guard_restore_or_say(struct txn *t, struct entry *b)
{
	int rc = guard_restore(t, b);

	if (rc)
		log_msg(t->log, LOG_ERR, t->fn,
			"%s is left at '%s' (it was '%s'); put it back with: echo %s > %s",
			b->path, b->value, b->orig, b->orig, b->path);
	return rc;
}

int txn_guard_end(struct txn *t, struct txn_guard *g)
{
	struct entry *b;
	char what[WHAT_LEN];
	int i, rc;

	if (!g->active)
		return 0;
	g->active = false;
	b = &t->e[g->begin];
	/* restore even after an interrupt: never leave the setting held */
	rc = guard_restore(t, b);
	if (rc) {
		snprintf(what, sizeof(what), "restore %s", b->what);
		return txn_fail(t, what, rc);
	}
	/* nothing inside the span to undo: nothing to hold it for */
	if (b->noop || b->forward || g->begin == t->nr - 1)
		return 0;
	i = push(t, E_GUARD_END, b->what, NULL, NULL, NULL);
	if (i < 0)
		return txn_fail(t, b->what, i);
	t->e[i].begin = g->begin;
	return 0;
}

/* ---- rollback ---- */

static int run_undo(struct txn *t, struct entry *e)
{
	int rc;

	if (e->done)
		return 0;
	e->done = true;
	/* a block's undo narrates itself in a range; its writes: debug */
	if (e->range)
		log_msg(t->log, LOG_DEBUG, t->fn, "undo %s", e->what);
	else
		log_narrate(t->log, t->fn, "undo %s", e->what);
	rc = e->fn ? e->fn(e->arg) : sysfs_write(e->path, e->value);
	if (rc)
		log_msg(t->log, LOG_ERR, t->fn, "undo %s failed: %s", e->what,
			strerror(-rc));
	return rc;
}

static int run_entry(struct txn *t, struct entry *e)
{
	struct entry *b;

	switch (e->kind) {
	case E_UNDO:
		return run_undo(t, e);
	case E_GUARD_END:
		b = &t->e[e->begin];
		if (b->noop || b->applied)
			return 0;
		/*
		 * The undos of the span need the setting (a rebind would
		 * online memory by the kernel's policy without it): without
		 * it, they must not run. The caller stops here.
		 */
		return guard_apply(t, b, false);
	case E_GUARD_BEGIN:
		/* the undos below would run with the setting still held */
		return guard_restore_or_say(t, e);
	}
	return 0;
}

/* after a stop: the undos stay, but no guard may stay applied */
static void restore_guards(struct txn *t, int from)
{
	int i;

	for (i = from; i >= 0; i--)
		if (t->e[i].kind == E_GUARD_BEGIN)
			guard_restore_or_say(t, &t->e[i]);
}

int txn_rollback(struct txn *t)
{
	int i, rc = 0;

	if (t->dry_run)
		return 0;
	txn_block_signals(true);
	narrate_flush();
	log_narrate(t->log, t->fn, "rolling back: %d step%s to undo", t->nr,
		    t->nr == 1 ? "" : "s");
	/* a teardown of many blocks undoes one step per block */
	progress_begin_as("rolling back", (unsigned long)t->nr, "steps");
	for (i = t->nr - 1; i >= 0; i--) {
		struct entry *e = &t->e[i];
		int r;

		progress_update((unsigned long)(t->nr - 1 - i));
		r = run_entry(t, e);
		if (r && !rc)
			rc = r;
		if (r &&
		    ((e->kind == E_UNDO && e->barrier) || e->kind != E_UNDO)) {
			t->stopped_at = e->what;
			t->stopped_rc = r;
			restore_guards(t, i - 1);
			break;
		}
	}
	progress_end();
	narrate_flush();
	txn_block_signals(false);
	if (rc)
		incomplete = true;
	return rc;
}

void txn_commit(struct txn *t)
{
	int i;

	narrate_flush();
	for (i = 0; i < t->nr; i++) {
		if (t->e[i].kind == E_GUARD_BEGIN)
			guard_restore_or_say(t, &t->e[i]);
		t->e[i].done = true;
	}
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
	long start = now_ms(), deadline = start + timeout_ms;
	int delay_us = 1000;
	int rc;

	if (t->dry_run) {
		plan_add(t, "wait", what, NULL, NULL);
		return 0;
	}
	narrate_flush();
	log_msg(t->log, LOG_DEBUG, t->fn, "%s (up to %d ms)", what, timeout_ms);
	for (;;) {
		/* a signal is seen at the next step, also a wait already over */
		rc = txn_check_interrupt(t, what);
		if (rc)
			return rc;
		if (ready(arg)) {
			log_narrate(t->log, t->fn, "%s: ready after %ld ms",
				    what, now_ms() - start);
			return 0;
		}
		if (now_ms() >= deadline) {
			log_msg(t->log, LOG_DEBUG, t->fn,
				"%s: not ready after %ld ms, giving up", what,
				now_ms() - start);
			return txn_fail(t, what, -ETIMEDOUT);
		}
		usleep(delay_us);
		if (delay_us < 50000)
			delay_us *= 2;
	}
}
