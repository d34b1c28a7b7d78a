// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/options.h"

static bool flag, human;
static int verbose, ways;
static const char *size, *mode;

static const char *const usage[] = { "test [<options>] <args>", NULL };
static const struct option_def opts[] = {
	{ OPT_BOOL, 'm', "memdevs", &flag, NULL, "positionals are memdevs" },
	{ OPT_BOOL, 'u', "human", &human, NULL, "human numbers" },
	{ OPT_INCR, 'v', "verbose", &verbose, NULL, "more" },
	{ OPT_INT, 'w', "ways", &ways, "n", "interleave ways" },
	{ OPT_STRING, 's', "size", &size, "size", "region size" },
	{ OPT_STRING, 0, "mode", &mode, "mode", "sysram or devdax" },
	{ OPT_STRING, 0, "method", &mode, "method", "kernel interface" },
	{ OPT_END },
};

static void reset(void)
{
	flag = human = false;
	verbose = ways = 0;
	size = mode = NULL;
}

static int parse(int argc, const char **argv)
{
	reset();
	return options_parse(argc, argv, opts, usage);
}

static void mixed(void **state)
{
	const char *argv[] = { "cmd", "mem0", "-m",   "--size=1g", "mem1",
			       "-w",  "2",    "mem2", NULL };
	int n = parse(8, argv);

	assert_int_equal(n, 3);
	assert_string_equal(argv[0], "mem0");
	assert_string_equal(argv[1], "mem1");
	assert_string_equal(argv[2], "mem2");
	assert_true(flag);
	assert_string_equal(size, "1g");
	assert_int_equal(ways, 2);
}

static void forms(void **state)
{
	const char *a1[] = { "cmd", "--size", "2g", "-w4", "-muvv", NULL };
	const char *a2[] = { "cmd", "--si=3g", "--mode", "sysram", NULL };
	const char *a3[] = { "cmd", "-m", "--", "-w", "--size", NULL };
	const char *a4[] = { "cmd", "-m", "--no-memdevs", NULL };
	int n;

	n = parse(5, a1);
	assert_int_equal(n, 0);
	assert_string_equal(size, "2g");
	assert_int_equal(ways, 4);
	assert_true(flag && human);
	assert_int_equal(verbose, 2);

	n = parse(4, a2);
	assert_string_equal(size, "3g");
	assert_string_equal(mode, "sysram");

	n = parse(5, a3);
	assert_int_equal(n, 2);
	assert_string_equal(a3[0], "-w");
	assert_string_equal(a3[1], "--size");

	n = parse(3, a4);
	assert_false(flag);
}

/* run a parse in a child; returns its exit status and stderr's first line */
static int child_status(int argc, const char **argv, char *err, size_t len)
{
	int pipefd[2], status;
	size_t total;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 2);
		dup2(pipefd[1], 1);
		parse(argc, argv);
		_exit(0);
	}
	close(pipefd[1]);
	total = 0;
	while ((n = read(pipefd[0], err + total, len - 1 - total)) > 0)
		total += (size_t)n;
	err[total] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static void errors(void **state)
{
	const char *unknown[] = { "cmd", "--bogus", NULL };
	const char *ambiguous[] = { "cmd", "--m=x", NULL };
	const char *noval[] = { "cmd", "--size", NULL };
	const char *badint[] = { "cmd", "-w", "2x", NULL };
	const char *boolval[] = { "cmd", "--human=yes", NULL };
	const char *badshort[] = { "cmd", "-q", NULL };
	const char *help[] = { "cmd", "-h", NULL };
	const char *list[] = { "cmd", "x", "--list-opts", NULL };
	char out[4096];

	assert_int_equal(child_status(2, unknown, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "unknown option `bogus'"));
	assert_int_equal(child_status(2, ambiguous, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "ambiguous"));
	assert_int_equal(child_status(2, noval, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "requires a value"));
	assert_int_equal(child_status(3, badint, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "numerical value"));
	assert_int_equal(child_status(2, boolval, out, sizeof(out)), 129);
	assert_int_equal(child_status(2, badshort, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "unknown switch `q'"));
	assert_int_equal(child_status(2, help, out, sizeof(out)), 129);
	assert_non_null(strstr(out, "usage: test"));
	assert_int_equal(child_status(3, list, out, sizeof(out)), 130);
	assert_string_equal(out, "--memdevs --human --verbose --ways --size "
				 "--mode --method\n");
}

/*
 * Found by the fuzzer (test/fuzz/corpus/options/crash-newline): a word
 * with a newline or a control byte was echoed raw, making two lines or
 * writing escapes to the terminal. One line, escaped.
 */
static void errors_escaped(void **state)
{
	const char *newline[] = { "cmd", "--\n", NULL };
	const char *control[] = { "cmd", "-w", "2\x1b[2J", NULL };
	const char *high[] = { "cmd", "--\xff\\", NULL };
	char out[4096], err[256];

	assert_int_equal(child_status(2, newline, out, sizeof(out)), 129);
	assert_string_equal(out, "  Error: unknown option `\\x0a'\n");
	assert_int_equal(child_status(2, high, out, sizeof(out)), 129);
	assert_string_equal(out, "  Error: unknown option `\\xff\\\\'\n");
	/* the checked parse leaves the message to the caller, unescaped */
	reset();
	assert_int_equal(
		options_parse_checked(3, control, opts, err, sizeof(err)),
		OPT_ERR_USAGE);
	assert_string_equal(err, "switch `w' expects a numerical value");
}

/* the checked parse: the same results, returned instead of exiting */
static void checked(void **state)
{
	const char *ok[] = { "cmd", "a", "--size=1g", "b", "--", "-w", NULL };
	const char *help[] = { "cmd", "--help-all", NULL };
	const char *list[] = { "cmd", "--bogus", "--list-opts", NULL };
	const char *unknown[] = { "cmd", "--bogus", NULL };
	char err[256];

	reset();
	assert_int_equal(options_parse_checked(6, ok, opts, err, sizeof(err)),
			 3);
	assert_string_equal(ok[2], "-w");
	assert_string_equal(size, "1g");
	assert_int_equal(options_parse_checked(2, help, opts, err, sizeof(err)),
			 OPT_ERR_HELP);
	assert_int_equal(options_parse_checked(3, list, opts, err, sizeof(err)),
			 OPT_ERR_LIST);
	assert_int_equal(
		options_parse_checked(2, unknown, opts, err, sizeof(err)),
		OPT_ERR_USAGE);
	assert_string_equal(err, "unknown option `bogus'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mixed),   cmocka_unit_test(forms),
		cmocka_unit_test(errors),  cmocka_unit_test(errors_escaped),
		cmocka_unit_test(checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
