// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/escape.h"

static void escapes(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "plain text, 0-9 ~!", "plain text, 0-9 ~!" },
		{ "a\nb", "a\\x0ab" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "tab\there\r", "tab\\x09here\\x0d" },
		{ "back\\slash", "back\\\\slash" },
		{ "\x7f\x80\xff", "\\x7f\\x80\\xff" },
		{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(escape_line(cases[i].in, buf, sizeof(buf)),
				    cases[i].want);
}

static void cut(void **state)
{
	char buf[16];

	/* exactly fits: not cut */
	assert_string_equal(escape_line("123456789012345", buf, sizeof(buf)),
			    "123456789012345");
	assert_string_equal(escape_line("1234567890123456", buf, sizeof(buf)),
			    "123456789012...");
	/* an escape is never cut in half */
	assert_string_equal(escape_line("123456789012\n", buf, sizeof(buf)),
			    "123456789012...");
	assert_string_equal(escape_line("12345678901\n", buf, sizeof(buf)),
			    "12345678901\\x0a");
	assert_string_equal(escape_line("1234567890\n", buf, sizeof(buf)),
			    "1234567890\\x0a");
	assert_string_equal(escape_line("\n\n\n\n", buf, 5), "...");
	assert_string_equal(escape_line("abcdef", buf, 3), "ab");
	assert_string_equal(escape_line("abc", buf, 1), "");
	buf[0] = 'x';
	escape_line("abc", buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* what every log line gets: controls only, escaped text passes as it is */
static void controls(void **state)
{
	char buf[64];

	assert_string_equal(
		escape_controls("a\nb\x1b[0m\x7f", buf, sizeof(buf)),
		"a\\x0ab\\x1b[0m\\x7f");
	assert_string_equal(
		escape_controls("x\\x0a caf\xc3\xa9", buf, sizeof(buf)),
		"x\\x0a caf\xc3\xa9");
	assert_string_equal(escape_controls("1234567\n", buf, 8), "1234...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(cut),
		cmocka_unit_test(controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
