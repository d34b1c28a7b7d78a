// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/name.h"

static const struct {
	const char *prefix;
	bool dotted;
	const char *pattern;
} kinds[] = {
	[OBJ_REGION] = { "region", false, "regionN" },
	[OBJ_DECODER] = { "decoder", true, "decoderX.Y" },
	[OBJ_MEMDEV] = { "mem", false, "memN" },
	[OBJ_DAX] = { "dax", true, "daxX.Y" },
	[OBJ_SYSRAM_REGION] = { "sysram_region", false, "sysram_regionN" },
	[OBJ_DAX_REGION] = { "dax_region", false, "dax_regionN" },
	[OBJ_MEMORY_BLOCK] = { "memory", false, "memoryN" },
};

/* parse a decimal id without sign, leading zeros or overflow */
static const char *parse_id(const char *s, int *out)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	if (*s == '0' && s[1] >= '0' && s[1] <= '9')
		return NULL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return NULL;
		s++;
	}
	*out = (int)v;
	return s;
}

bool name_parse(enum obj_kind kind, const char *name, struct obj_id *id)
{
	struct obj_id tmp = { .a = -1, .b = -1 };
	const char *p;
	size_t plen;

	if (!name || (unsigned int)kind >= sizeof(kinds) / sizeof(kinds[0]))
		return false;
	plen = strlen(kinds[kind].prefix);
	if (strncmp(name, kinds[kind].prefix, plen))
		return false;
	p = parse_id(name + plen, &tmp.a);
	if (!p)
		return false;
	if (kinds[kind].dotted) {
		if (*p != '.')
			return false;
		p = parse_id(p + 1, &tmp.b);
		if (!p)
			return false;
	}
	if (*p)
		return false;
	if (id)
		*id = tmp;
	return true;
}

const char *name_kind_pattern(enum obj_kind kind)
{
	if ((unsigned int)kind >= sizeof(kinds) / sizeof(kinds[0]))
		return "?";
	return kinds[kind].pattern;
}

bool name_parse_short(enum obj_kind kind, const char *name, char *out,
		      size_t len)
{
	int n;

	if (!name || (unsigned int)kind >= sizeof(kinds) / sizeof(kinds[0]))
		return false;
	if (!strncmp(name, kinds[kind].prefix, strlen(kinds[kind].prefix)))
		n = snprintf(out, len, "%s", name);
	else
		n = snprintf(out, len, "%s%s", kinds[kind].prefix, name);
	return n > 0 && (size_t)n < len && name_parse(kind, out, NULL);
}
