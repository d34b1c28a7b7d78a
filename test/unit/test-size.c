// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/size.h"

static void check(const char *s, uint64_t want)
{
	uint64_t v = 0xdead;

	assert_int_equal(parse_size(s, &v), 0);
	assert_true(v == want);
}

static void valid_sizes(void **state)
{
	check("0", 0);
	check("4096", 4096);
	check("0x1000", 0x1000);
	check("256m", 256ULL << 20);
	check("256M", 256ULL << 20);
	check("1k", 1024);
	check("2G", 2ULL << 30);
	check("2g", 2ULL << 30);
	check("1t", 1ULL << 40);
	check("16777215T", 16777215ULL << 40);
	check("18446744073709551615", UINT64_MAX);
	check("0xffffffffffffffff", UINT64_MAX);
}

static void invalid_sizes(void **state)
{
	static const char *const bad[] = {
		"",   "m",  "-1",  "+1", " 1",	  "1 ",	   "1mb",  "1.5g", "1p",
		"1e", "0x", "1gg", "g1", "0x10k", "1,024", "1/..", "1\n",
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_size(bad[i], &v), -EINVAL);
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
}

static void overflow(void **state)
{
	uint64_t v;

	assert_int_equal(parse_size("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_size("16777216T", &v), -ERANGE);
	assert_int_equal(parse_size("17179869184G", &v), -ERANGE);
	assert_int_equal(parse_size("99999999999999999999999", &v), -ERANGE);
}

/* a size in the units the user wrote another one in */
static void format_like(void **state)
{
	static const struct {
		const char *like;
		uint64_t v;
		const char *want;
	} cases[] = {
		{ "768m", 512ULL << 20, "512m" },
		{ "768M", 512ULL << 20, "512M" },
		{ "2g", 512ULL << 20, "512m" }, /* not whole gigabytes */
		{ "2G", 3ULL << 30, "3G" },
		{ "1t", 1ULL << 40, "1t" },
		{ "1t", (1ULL << 40) + 4096, "1073741828k" },
		{ "1k", 1000, "1000" },
		{ "805306368", 512ULL << 20, "536870912" },
		{ "0x30000000", 512ULL << 20, "0x20000000" },
		{ "0X1", 0, "0" },
		{ "768m", 0, "0m" },
		{ "18446744073709551615", UINT64_MAX, "18446744073709551615" },
		{ "1t", UINT64_MAX, "18446744073709551615" },
		{ "16777215t", 16777215ULL << 40, "16777215t" },
		{ "", 4096, "4096" },
		{ NULL, 4096, "4096" },
	};
	char buf[32];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_format_like(cases[i].like, cases[i].v, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want))
			fail_msg("'%s', %llu: got '%s', want '%s'",
				 cases[i].like ? cases[i].like : "(null)",
				 (unsigned long long)cases[i].v, buf,
				 cases[i].want);
		/* and it reads back as the same number */
		assert_int_equal(parse_size(buf, &v), 0);
		assert_true(v == cases[i].v);
	}
	/* a buffer too small is cut, never overrun */
	size_format_like("1m", 1ULL << 40, buf, 4);
	assert_int_equal(strlen(buf), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_sizes),
		cmocka_unit_test(invalid_sizes),
		cmocka_unit_test(overflow),
		cmocka_unit_test(format_like),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
