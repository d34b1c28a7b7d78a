// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/narrate.h"
#include "util/progress.h"

#define BS 0x8000000ULL /* 128 MiB blocks */

static char out[8192];

/* stderr into a file for the duration of a test; its text into out[] */
static FILE *capture_begin(void)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	return f;
}

static const char *capture_end(FILE *f, int saved)
{
	size_t n;

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static struct log_ctx ctx;

static void setup_log(bool verbose, int prio)
{
	log_init(&ctx, "cxl region", NULL);
	log_set_priority(&ctx, prio);
	log_set_verbose(&ctx, verbose);
	log_set_steps(&ctx, "fn");
}

static void ranges(void **state)
{
	int saved = dup(STDERR_FILENO);
	FILE *f = capture_begin();
	unsigned long i;

	setup_log(true, LOG_INFO);
	for (i = 114; i <= 121; i++)
		narrate_block("region0", "online_movable", i, BS);
	/* a gap ends the run; a single block is said as one */
	narrate_block("region0", "online_movable", 123, BS);
	/* another action ends it too; a rollback walks down */
	for (i = 119; i >= 116; i--)
		narrate_block("undo", "offline", i, BS);
	/* any other line says the pending range first */
	log_msg(&ctx, LOG_ERR, "fn", "after");
	narrate_block("region0", "offline", 7, BS);
	narrate_flush();
	narrate_flush();
	assert_string_equal(
		capture_end(f, saved),
		"cxl region: fn: region0: memory blocks 114-121 (0x390000000-0x3cfffffff): online movable\n"
		"cxl region: fn: region0: memory block 123 (0x3d8000000-0x3dfffffff): online movable\n"
		"cxl region: fn: undo: memory blocks 116-119 (0x3a0000000-0x3bfffffff): offline\n"
		"cxl region: fn: after\n"
		"cxl region: fn: region0: memory block 7 (0x38000000-0x3fffffff): offline\n");
	(void)state;
}

/* the walks' orders: top down, second block up with the first last */
static void any_order_one_range(void **state)
{
	int saved = dup(STDERR_FILENO);
	FILE *f = capture_begin();
	unsigned long i;

	setup_log(true, LOG_INFO);
	for (i = 121; i >= 114; i--)
		narrate_block("region0", "online_movable", i, BS);
	narrate_flush();
	for (i = 115; i <= 121; i++)
		if (i != 118 && i != 119)
			narrate_block("region0", "offline", i, BS);
	narrate_block("region0", "offline", 114, BS);
	/* two blocks skipped: two ranges, the lower one first */
	narrate_flush();
	/* a block between two runs joins them */
	narrate_block("r", "online", 10, BS);
	narrate_block("r", "online", 12, BS);
	narrate_block("r", "online", 11, BS);
	narrate_flush();
	assert_string_equal(
		capture_end(f, saved),
		"cxl region: fn: region0: memory blocks 114-121 (0x390000000-0x3cfffffff): online movable\n"
		"cxl region: fn: region0: memory blocks 114-117 (0x390000000-0x3afffffff): offline\n"
		"cxl region: fn: region0: memory blocks 120-121 (0x3c0000000-0x3cfffffff): offline\n"
		"cxl region: fn: r: memory blocks 10-12 (0x50000000-0x67ffffff): online\n");
	(void)state;
}

static void debug_lines_keep_the_range(void **state)
{
	int saved = dup(STDERR_FILENO);
	FILE *f = capture_begin();

	setup_log(false, LOG_DEBUG);
	log_msg(&ctx, LOG_DEBUG, "fn", "write memory114");
	narrate_block("r", "offline", 114, BS);
	log_msg(&ctx, LOG_DEBUG, "fn", "write memory115");
	narrate_block("r", "offline", 115, BS);
	narrate_range("r", "online", 200, 3, BS);
	assert_string_equal(
		capture_end(f, saved),
		"cxl region: fn: write memory114\n"
		"cxl region: fn: write memory115\n"
		"cxl region: fn: r: memory blocks 114-115 (0x390000000-0x39fffffff): offline\n"
		"cxl region: fn: r: memory blocks 200-202 (0x640000000-0x657ffffff): online\n");
	(void)state;
}

static void quiet_without_v(void **state)
{
	int saved = dup(STDERR_FILENO);
	FILE *f = capture_begin();

	setup_log(false, LOG_INFO);
	narrate_block("r", "offline", 114, BS);
	narrate_flush();
	log_narrate(&ctx, "fn", "a step");
	assert_string_equal(capture_end(f, saved), "");
	(void)state;
}

/* stderr is a file here: progress writes nothing, whatever the step */
static void no_progress_off_a_terminal(void **state)
{
	int saved = dup(STDERR_FILENO);
	FILE *f = capture_begin();
	unsigned long i;

	progress_begin("region0: online", 8192);
	for (i = 0; i < 8192; i++)
		progress_update(i);
	progress_hide();
	progress_end();
	progress_update(3);
	assert_string_equal(capture_end(f, saved), "");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges),
		cmocka_unit_test(any_order_one_range),
		cmocka_unit_test(debug_lines_keep_the_range),
		cmocka_unit_test(quiet_without_v),
		cmocka_unit_test(no_progress_off_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
