// SPDX-License-Identifier: GPL-2.0
/*
 * The transaction: undo order, scoped guards (forward, on rollback, and
 * rollback-only), failed undos and barriers, quiet steps, and the dry-run
 * plan. Files under a temporary root stand in for sysfs attributes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/journal.h"
#include "util/sysfs.h"
#include "util/txn.h"

static char root[] = "/tmp/cxl-txn-test.XXXXXX";
static char journal[600];
static struct log_ctx lc;

/* what the undo functions saw, in the order they ran */
static char trail[256];

static void put(const char *rel, const char *content)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static const char *get(const char *rel)
{
	static char buf[64];

	assert_int_equal(sysfs_read(rel, buf, sizeof(buf)), 0);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	sysfs_set_root(root);
	snprintf(journal, sizeof(journal), "%s/journal", root);
	journal_set_path(journal);
	log_init(&lc, "test", "CXL_TXN_TEST_LOG");
	log_set_priority(&lc, LOG_CRIT); /* quiet: errors are expected */
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static int reset(void **state)
{
	(void)state;
	put("/a", "0\n");
	put("/b", "0\n");
	put("/policy", "keep\n");
	trail[0] = '\0';
	return 0;
}

/* an undo that notes its tag and the guarded setting at that moment */
struct note {
	char tag[8];
	int rc;
};

static int undo_note(void *arg)
{
	struct note *n = arg;
	size_t len = strlen(trail);

	snprintf(trail + len, sizeof(trail) - len, "%s%s(%s)", len ? " " : "",
		 n->tag, get("/policy"));
	return n->rc;
}

static struct txn_undo note(const char *tag, int rc, bool barrier)
{
	struct note *n = calloc(1, sizeof(*n));
	struct txn_undo u = { .fn = undo_note, .arg = n, .barrier = barrier };

	assert_non_null(n);
	snprintf(n->tag, sizeof(n->tag), "%s", tag);
	n->rc = rc;
	return u;
}

static void test_undo_order(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);

	(void)state;
	assert_int_equal(txn_write(t, "a", "/a", "1", "/a", "0"), 0);
	assert_int_equal(txn_write(t, "b", "/b", "2", "/b", "0"), 0);
	assert_string_equal(get("/a"), "1");
	assert_string_equal(get("/b"), "2");
	/* the inverse of b runs before the inverse of a */
	put("/a", "9\n");
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(get("/a"), "0");
	assert_string_equal(get("/b"), "0");
	txn_free(t);

	t = txn_new(&lc, "test", false);
	txn_push_undo(t, "first", &(struct txn_undo){ 0 });
	{
		struct txn_undo u1 = note("one", 0, false);
		struct txn_undo u2 = note("two", 0, false);

		assert_int_equal(txn_step(t, "one", "/a", "1", &u1, 0), 0);
		assert_int_equal(txn_step(t, "two", "/b", "1", &u2, 0), 0);
	}
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "two(keep) one(keep)");
	txn_free(t);
}

static void test_commit_keeps(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);

	(void)state;
	assert_int_equal(txn_write(t, "a", "/a", "1", "/a", "0"), 0);
	txn_commit(t);
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(get("/a"), "1");
	txn_free(t);
}

static void test_guard(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_guard g;
	struct txn_undo u = note("bind", 0, false);

	(void)state;
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_string_equal(get("/policy"), "hold");
	assert_int_equal(txn_step(t, "bind", "/a", "1", &u, 0), 0);
	assert_int_equal(txn_guard_end(t, &g), 0);
	/* restored at once at the end of the span */
	assert_string_equal(get("/policy"), "keep");
	/* applied again around the undos of the span, restored after */
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "bind(hold)");
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

/* a held setting is written down first, and dropped once put back */
static void test_guard_journal(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct journal_entry e[4];
	struct txn_guard g;
	char p[512];

	(void)state;
	snprintf(p, sizeof(p), "%s/policy", root);
	assert_int_equal(journal_read(e, 4), 0);
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_int_equal(journal_read(e, 4), 1);
	assert_string_equal(e[0].kind, "setting");
	assert_string_equal(e[0].key, "/policy");
	assert_string_equal(e[0].args, "keep");
	assert_int_equal(txn_guard_end(t, &g), 0);
	assert_int_equal(journal_read(e, 4), 0);
	txn_free(t);
	/* other entries come and go by kind and key */
	assert_int_equal(journal_add("create", "region3", "decoder2.0 x"), 0);
	assert_int_equal(journal_add("destroy", "region1", NULL), 0);
	assert_int_equal(journal_add("create", "region3", "decoder2.1"), 0);
	assert_int_equal(journal_read(e, 4), 2);
	assert_string_equal(e[0].args, "decoder2.1");
	assert_int_equal(journal_drop("create", "region3"), 0);
	assert_int_equal(journal_read(e, 4), 1);
	assert_string_equal(e[0].key, "region1");
	assert_int_equal(journal_drop("destroy", "region1"), 0);
	assert_int_equal(journal_read(e, 4), 0);
}

static void test_guard_rollback_only(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo before = note("before", 0, false);
	struct txn_undo in = note("rebind", 0, false);
	struct txn_guard g;

	(void)state;
	assert_int_equal(txn_step(t, "before", "/b", "1", &before, 0), 0);
	assert_int_equal(txn_guard_begin(t, &g, "hold policy", "/policy",
					 "hold", TXN_GUARD_ROLLBACK),
			 0);
	/* nothing written going forward */
	assert_string_equal(get("/policy"), "keep");
	assert_int_equal(txn_step(t, "unbind", "/a", "1", &in, 0), 0);
	assert_int_equal(txn_guard_end(t, &g), 0);
	assert_string_equal(get("/policy"), "keep");
	assert_int_equal(txn_rollback(t), 0);
	/* only the undo inside the span ran under the guard */
	assert_string_equal(trail, "rebind(hold) before(keep)");
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

/*
 * A forward-only guard inside a rollback-only one (a bind under an online
 * policy): forward the inner value, its undos under the outer one
 */
static void test_guard_forward_only(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo in = note("unbind", 0, false);
	struct txn_guard outer, inner;

	(void)state;
	assert_int_equal(txn_guard_begin(t, &outer, "hold zero", "/policy",
					 "zero", TXN_GUARD_ROLLBACK),
			 0);
	assert_int_equal(txn_guard_begin(t, &inner, "hold full", "/policy",
					 "full", TXN_GUARD_FORWARD),
			 0);
	assert_string_equal(get("/policy"), "full");
	assert_int_equal(txn_step(t, "bind", "/a", "1", &in, 0), 0);
	assert_int_equal(txn_guard_end(t, &inner), 0);
	assert_int_equal(txn_guard_end(t, &outer), 0);
	assert_string_equal(get("/policy"), "keep");
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "unbind(zero)");
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

static void test_guard_noop(void **state)
{
	struct txn *t = txn_new(&lc, "test", true);
	struct txn_guard g;

	(void)state;
	put("/policy", "hold\n");
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_int_equal(txn_guard_end(t, &g), 0);
	/* a value already in place: neither held nor restored */
	assert_int_equal(json_object_array_length(txn_plan(t)), 0);
	txn_free(t);
}

static void test_guard_span_fails(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo u = note("bind", 0, false);
	struct txn_guard g;

	(void)state;
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_int_equal(txn_step(t, "bind", "/a", "1", &u, 0), 0);
	/* a failing step inside the span, then the span ends as usual */
	assert_int_equal(txn_write(t, "x", "/no/such/dir/x", "1", NULL, NULL),
			 -ENOENT);
	assert_int_equal(txn_guard_end(t, &g), 0);
	assert_string_equal(get("/policy"), "keep");
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "bind(hold)");
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

static void test_failed_undo_goes_on(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo u1 = note("one", 0, false);
	struct txn_undo u2 = note("two", -EIO, false);

	(void)state;
	assert_int_equal(txn_step(t, "one", "/a", "1", &u1, 0), 0);
	assert_int_equal(txn_step(t, "two", "/b", "1", &u2, 0), 0);
	assert_int_equal(txn_rollback(t), -EIO);
	assert_string_equal(trail, "two(keep) one(keep)");
	assert_null(txn_stopped_at(t));
	txn_free(t);
}

static void test_barrier_stops(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo below = note("below", 0, false);
	struct txn_undo mem = note("mem", -EBUSY, true);
	struct txn_undo above = note("above", 0, false);
	struct txn_guard g;

	(void)state;
	assert_int_equal(txn_step(t, "below", "/a", "1", &below, 0), 0);
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_int_equal(txn_step(t, "keep", "/b", "1", &mem, 0), 0);
	assert_int_equal(txn_step(t, "above", "/b", "2", &above, 0), 0);
	/* a rollback that stops with the guard still held */
	assert_int_equal(txn_rollback(t), -EBUSY);
	assert_string_equal(trail, "above(hold) mem(hold)");
	assert_non_null(txn_stopped_at(t));
	assert_string_equal(txn_stopped_at(t), "keep");
	/* nothing below the memory was undone; the guard was let go */
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

static void test_guard_cannot_apply(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo below = note("below", 0, false);
	struct txn_undo in = note("rebind", 0, false);
	struct txn_guard g;
	char p[512];

	(void)state;
	assert_int_equal(txn_step(t, "below", "/b", "1", &below, 0), 0);
	assert_int_equal(txn_guard_begin(t, &g, "hold policy", "/policy",
					 "hold", TXN_GUARD_ROLLBACK),
			 0);
	assert_int_equal(txn_step(t, "unbind", "/a", "1", &in, 0), 0);
	assert_int_equal(txn_guard_end(t, &g), 0);
	/* the setting cannot be written any more */
	snprintf(p, sizeof(p), "%s/policy", root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	/* the undos that need it do not run without it, nor those below */
	assert_int_not_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "");
	assert_non_null(txn_stopped_at(t));
	assert_string_equal(txn_stopped_at(t), "hold policy");
	assert_int_equal(rmdir(p), 0);
	txn_free(t);
}

static void test_quiet_step(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);
	struct txn_undo u = note("q", 0, false);

	(void)state;
	/* a quiet failure is the caller's: the undo is dropped, not run */
	assert_int_equal(txn_step(t, "q", "/no/such/q", "1", &u, TXN_QUIET),
			 -ENOENT);
	assert_int_equal(txn_write(t, "a", "/a", "1", "/a", "0"), 0);
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "");
	assert_string_equal(get("/a"), "0");
	txn_free(t);
}

static const char *plan_str(struct txn *t, size_t i, const char *key)
{
	struct json_object *e = json_object_array_get_idx(txn_plan(t), i);
	struct json_object *v;

	if (!e || !json_object_object_get_ex(e, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static void test_dry_run_plan(void **state)
{
	struct txn *t = txn_new(&lc, "test", true);
	struct txn_undo u = note("x", 0, false);
	struct txn_guard g;

	(void)state;
	assert_true(txn_dry_run(t));
	assert_int_equal(
		txn_guard_begin(t, &g, "hold policy", "/policy", "hold", 0), 0);
	assert_int_equal(txn_write(t, "a", "/a", "1", "/a", "0"), 0);
	assert_int_equal(txn_guard_end(t, &g), 0);
	assert_int_equal(txn_step(t, "b", "/b", "2", &u, 0), 0);
	txn_plan_note(t, "/m*", "3", "region0");
	/* the forward writes in order, guard and restore included */
	assert_int_equal(json_object_array_length(txn_plan(t)), 5);
	assert_string_equal(plan_str(t, 0, "write"), "/policy");
	assert_string_equal(plan_str(t, 0, "value"), "hold");
	assert_string_equal(plan_str(t, 1, "write"), "/a");
	assert_string_equal(plan_str(t, 2, "write"), "/policy");
	assert_string_equal(plan_str(t, 2, "value"), "keep");
	assert_string_equal(plan_str(t, 3, "write"), "/b");
	assert_string_equal(plan_str(t, 4, "for"), "region0");
	/* nothing written, nothing undone */
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(trail, "");
	assert_string_equal(get("/a"), "0");
	assert_string_equal(get("/policy"), "keep");
	txn_free(t);
}

static void test_interrupt(void **state)
{
	struct txn *t = txn_new(&lc, "test", false);

	(void)state;
	txn_catch_signals();
	assert_int_equal(txn_write(t, "a", "/a", "1", "/a", "0"), 0);
	raise(SIGTERM);
	assert_int_equal(txn_interrupted(), SIGTERM);
	assert_int_equal(txn_write(t, "b", "/b", "1", "/b", "0"), -EINTR);
	assert_string_equal(get("/b"), "0");
	assert_int_equal(txn_rollback(t), 0);
	assert_string_equal(get("/a"), "0");
	txn_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_undo_order, reset),
		cmocka_unit_test_setup(test_commit_keeps, reset),
		cmocka_unit_test_setup(test_guard, reset),
		cmocka_unit_test_setup(test_guard_journal, reset),
		cmocka_unit_test_setup(test_guard_rollback_only, reset),
		cmocka_unit_test_setup(test_guard_forward_only, reset),
		cmocka_unit_test_setup(test_guard_noop, reset),
		cmocka_unit_test_setup(test_guard_span_fails, reset),
		cmocka_unit_test_setup(test_failed_undo_goes_on, reset),
		cmocka_unit_test_setup(test_barrier_stops, reset),
		cmocka_unit_test_setup(test_guard_cannot_apply, reset),
		cmocka_unit_test_setup(test_quiet_step, reset),
		cmocka_unit_test_setup(test_dry_run_plan, reset),
		/* last: the interrupt flag stays set for the process */
		cmocka_unit_test_setup(test_interrupt, reset),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
