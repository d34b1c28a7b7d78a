// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>

#include "util/json.h"

struct json_object *json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* hundredths of @v in @unit, rounded half up */
static uint64_t hundredths(uint64_t v, uint64_t unit)
{
	unsigned __int128 x = (unsigned __int128)v * 200 / unit;

	return (uint64_t)((x + 1) / 2);
}

bool json_human_size(uint64_t v, char *buf, size_t len)
{
	static const struct {
		uint64_t below, iec, si;
		const char *iec_name, *si_name;
	} scale[] = {
		{ 2ULL << 30, 1ULL << 20, 1000000ULL, "MiB", "MB" },
		{ 2ULL << 40, 1ULL << 30, 1000000000ULL, "GiB", "GB" },
		{ UINT64_MAX, 1ULL << 40, 1000000000000ULL, "TiB", "TB" },
	};
	uint64_t i, s;
	size_t k;

	if (v < 5000ULL * 1024)
		return false;
	for (k = 0; k < 2 && v >= scale[k].below; k++)
		;
	i = hundredths(v, scale[k].iec);
	s = hundredths(v, scale[k].si);
	snprintf(buf, len,
		 "%" PRIu64 ".%02" PRIu64 " %s (%" PRIu64 ".%02" PRIu64 " %s)",
		 i / 100, i % 100, scale[k].iec_name, s / 100, s % 100,
		 scale[k].si_name);
	return true;
}

struct json_object *json_size(uint64_t v, bool human)
{
	char buf[64];

	if (human && json_human_size(v, buf, sizeof(buf)))
		return json_object_new_string(buf);
	return json_u64(v);
}

struct json_object *json_hex(uint64_t v, bool human)
{
	char buf[32];

	if (!human)
		return json_u64(v);
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

int json_print(FILE *f, struct json_object *obj)
{
	const char *s =
		json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY);

	if (fprintf(f, "%s\n", s) < 0)
		return -1;
	return 0;
}
