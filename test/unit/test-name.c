// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/name.h"

static void valid_names(void **state)
{
	struct obj_id id;

	assert_true(name_parse(OBJ_REGION, "region0", &id));
	assert_int_equal(id.a, 0);
	assert_int_equal(id.b, -1);
	assert_true(name_parse(OBJ_REGION, "region2147483647", &id));
	assert_int_equal(id.a, 2147483647);
	assert_true(name_parse(OBJ_DECODER, "decoder12.3", &id));
	assert_int_equal(id.a, 12);
	assert_int_equal(id.b, 3);
	assert_true(name_parse(OBJ_MEMDEV, "mem7", &id));
	assert_true(name_parse(OBJ_DAX, "dax0.0", &id));
	assert_true(name_parse(OBJ_SYSRAM_REGION, "sysram_region3", &id));
	assert_int_equal(id.a, 3);
	assert_true(name_parse(OBJ_DAX_REGION, "dax_region1", NULL));
	assert_true(name_parse(OBJ_MEMORY_BLOCK, "memory114", &id));
	assert_int_equal(id.a, 114);
}

static void invalid_names(void **state)
{
	static const char *const bad_regions[] = {
		"",
		"region",
		"region-1",
		"region01",
		"region1 ",
		" region1",
		"region1/",
		"region1/..",
		"../region1",
		"region1\n",
		"Region1",
		"region+1",
		"region0x1",
		"region1.0",
		"region2147483648",
		"region99999999999999999999",
		"regio1",
		"sysram_region1",
	};
	static const char *const bad_decoders[] = {
		"decoder0",    "decoder0.",   "decoder.0",   "decoder0.0.0",
		"decoder0..0", "decoder00.1", "decoder0.01", "decoder0.0/",
		"decoder-1.0", "decoder0,0",  "decoder0.0x",
	};
	size_t i;

	for (i = 0; i < sizeof(bad_regions) / sizeof(bad_regions[0]); i++)
		assert_false(name_parse(OBJ_REGION, bad_regions[i], NULL));
	for (i = 0; i < sizeof(bad_decoders) / sizeof(bad_decoders[0]); i++)
		assert_false(name_parse(OBJ_DECODER, bad_decoders[i], NULL));
	assert_false(name_parse(OBJ_MEMDEV, "memory1", NULL));
	assert_false(name_parse(OBJ_MEMDEV, "mem", NULL));
	assert_false(name_parse(OBJ_DAX, "dax0", NULL));
	assert_false(name_parse(OBJ_DAX, "dax_region0", NULL));
	assert_false(name_parse(OBJ_MEMORY_BLOCK, "memory_failure", NULL));
	assert_false(name_parse(OBJ_REGION, NULL, NULL));
	assert_false(name_parse((enum obj_kind)99, "region0", NULL));
}

static void patterns(void **state)
{
	assert_string_equal(name_kind_pattern(OBJ_DECODER), "decoderX.Y");
	assert_string_equal(name_kind_pattern(OBJ_REGION), "regionN");
	assert_string_equal(name_kind_pattern((enum obj_kind)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_names),
		cmocka_unit_test(invalid_names),
		cmocka_unit_test(patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
