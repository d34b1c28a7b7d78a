// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_sizes),
		cmocka_unit_test(invalid_sizes),
		cmocka_unit_test(overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
