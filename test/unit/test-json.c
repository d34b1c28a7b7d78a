// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/json.h"

static void human(uint64_t v, const char *want)
{
	struct json_object *o = json_size(v, true);

	assert_string_equal(
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		want);
	json_object_put(o);
}

static void human_sizes(void **state)
{
	/* below 5000 KiB a size stays a number */
	human(0, "0");
	human(5000 * 1024 - 1, "5119999");
	human(5000 * 1024, "\"4.88 MiB (5.12 MB)\"");
	human(256ULL << 20, "\"256.00 MiB (268.44 MB)\"");
	human((2ULL << 30) - 1, "\"2048.00 MiB (2147.48 MB)\"");
	human(2ULL << 30, "\"2.00 GiB (2.15 GB)\"");
	human(1ULL << 39, "\"512.00 GiB (549.76 GB)\"");
	human(2ULL << 40, "\"2.00 TiB (2.20 TB)\"");
	human(UINT64_MAX, "\"16777216.00 TiB (18446744.07 TB)\"");
}

static void raw_sizes(void **state)
{
	struct json_object *o = json_size(UINT64_MAX, false);

	assert_string_equal(json_object_to_json_string(o),
			    "18446744073709551615");
	json_object_put(o);
}

static void hex(void **state)
{
	struct json_object *o = json_hex(0x390000000ULL, true);

	assert_string_equal(json_object_get_string(o), "0x390000000");
	json_object_put(o);
	o = json_hex(0, true);
	assert_string_equal(json_object_get_string(o), "0x0");
	json_object_put(o);
	o = json_hex(0x390000000ULL, false);
	assert_string_equal(json_object_to_json_string(o), "15300820992");
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(human_sizes),
		cmocka_unit_test(raw_sizes),
		cmocka_unit_test(hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
