// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/online.h"

static void spellings(void **state)
{
	assert_int_equal(online_type_parse("offline"), ONLINE_OFFLINE);
	assert_int_equal(online_type_parse("online"), ONLINE_ONLINE);
	assert_int_equal(online_type_parse("kernel"), ONLINE_KERNEL);
	assert_int_equal(online_type_parse("online_kernel"), ONLINE_KERNEL);
	assert_int_equal(online_type_parse("movable"), ONLINE_MOVABLE);
	assert_int_equal(online_type_parse("online_movable"), ONLINE_MOVABLE);
}

static void rejects(void **state)
{
	static const char *const bad[] = {
		"",	     "Online",	  "movable ", "online-movable",
		"normal",    "unplugged", "invalid",  "onlinemovable",
		"offline\n", "ONLINE",	  "move",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(online_type_parse(bad[i]),
				 ONLINE_TYPE_INVALID);
	assert_int_equal(online_type_parse(NULL), ONLINE_TYPE_INVALID);
}

static void names_and_zones(void **state)
{
	assert_string_equal(online_type_name(ONLINE_OFFLINE), "offline");
	assert_string_equal(online_type_name(ONLINE_ONLINE), "online");
	assert_string_equal(online_type_name(ONLINE_KERNEL), "online_kernel");
	assert_string_equal(online_type_name(ONLINE_MOVABLE), "online_movable");
	assert_string_equal(online_type_name(ONLINE_TYPE_INVALID), "invalid");
	assert_string_equal(online_type_zone(ONLINE_MOVABLE), "Movable");
	assert_string_equal(online_type_zone(ONLINE_KERNEL), "Normal");
	assert_null(online_type_zone(ONLINE_ONLINE));
	assert_null(online_type_zone(ONLINE_OFFLINE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spellings),
		cmocka_unit_test(rejects),
		cmocka_unit_test(names_and_zones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
