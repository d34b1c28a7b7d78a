// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the object-name parsers and the message escaper. A
 * name accepted is exactly the canonical spelling of the ids it parsed to
 * (so it is safe in a sysfs path); an escaped line is printable and fits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const prefixes[] = {
	[OBJ_REGION] = "region",
	[OBJ_DECODER] = "decoder",
	[OBJ_MEMDEV] = "mem",
	[OBJ_DAX] = "dax",
	[OBJ_SYSRAM_REGION] = "sysram_region",
	[OBJ_DAX_REGION] = "dax_region",
	[OBJ_MEMORY_BLOCK] = "memory",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, canon[64], full[64], esc[80];
	struct obj_id id;
	unsigned int k;
	size_t i, n;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		if (name_parse((enum obj_kind)k, s, &id)) {
			if (id.a < 0 || (id.b >= 0 ? 0 : id.b != -1))
				abort();
			if (id.b >= 0)
				snprintf(canon, sizeof(canon), "%s%d.%d",
					 prefixes[k], id.a, id.b);
			else
				snprintf(canon, sizeof(canon), "%s%d",
					 prefixes[k], id.a);
			if (strcmp(canon, s) || strchr(s, '/'))
				abort();
		}
		if (name_parse_short((enum obj_kind)k, s, full, sizeof(full))) {
			if (!name_parse((enum obj_kind)k, full, NULL) ||
			    !strstr(full, s))
				abort();
		}
	}
	escape_line(s, esc, sizeof(esc));
	n = strlen(esc);
	if (n >= sizeof(esc))
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)esc[i] < 0x20 ||
		    (unsigned char)esc[i] > 0x7e)
			abort();
	free(s);
	return 0;
}
