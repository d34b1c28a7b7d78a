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

/* "N" for regionN and "X.Y" for decoderX.Y, as upstream takes them */
static void short_forms(void **state)
{
	static const struct {
		enum obj_kind kind;
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
		{ OBJ_REGION, "0", "region0" },
		{ OBJ_REGION, "region7", "region7" },
		{ OBJ_REGION, "2147483647", "region2147483647" },
		{ OBJ_REGION, "2147483648", NULL },
		{ OBJ_REGION, "01", NULL },
		{ OBJ_REGION, "", NULL },
		{ OBJ_REGION, "region", NULL },
		{ OBJ_REGION, "regionregion0", NULL },
		{ OBJ_REGION, "x0", NULL },
		{ OBJ_REGION, "0.0", NULL },
		{ OBJ_REGION, "-1", NULL },
		{ OBJ_REGION, "../region0", NULL },
		{ OBJ_DECODER, "0.0", "decoder0.0" },
		{ OBJ_DECODER, "decoder12.3", "decoder12.3" },
		{ OBJ_DECODER, "0", NULL },
		{ OBJ_DECODER, "decoder0", NULL },
		{ OBJ_DECODER, "0.01", NULL },
		{ OBJ_DECODER, "Decoder0.0", NULL },
		{ OBJ_MEMDEV, "3", "mem3" },
		{ OBJ_MEMDEV, "memory3", NULL },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = name_parse_short(cases[i].kind, cases[i].in, out,
					   sizeof(out));

		if (ok != !!cases[i].out)
			fail_msg("'%s': %s", cases[i].in,
				 ok ? "accepted" : "refused");
		if (ok)
			assert_string_equal(out, cases[i].out);
	}
	/* a name that does not fit is refused, not cut */
	assert_false(name_parse_short(OBJ_REGION, "12345", out, 10));
	assert_true(name_parse_short(OBJ_REGION, "1234", out, 11));
	assert_false(name_parse_short(OBJ_REGION, NULL, out, sizeof(out)));
	assert_false(
		name_parse_short((enum obj_kind)99, "0", out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_names),
		cmocka_unit_test(invalid_names),
		cmocka_unit_test(patterns),
		cmocka_unit_test(short_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
