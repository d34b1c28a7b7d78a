// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the size parser and the size formatter. A size that
 * parses is written back in the units of any other input and must read
 * back as the same number.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *like, buf[32];
	uint64_t v, back;
	size_t cut;
	int rc;

	/* the first line is the size, the rest the units to write it in */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cut = strcspn(s, "\n");
	like = s + cut + (cut < size);
	s[cut] = '\0';

	rc = parse_size(s, &v);
	if (rc && rc != -EINVAL && rc != -ERANGE)
		abort();
	if (!rc) {
		size_format_like(s, v, buf, sizeof(buf));
		if (parse_size(buf, &back) || back != v)
			abort();
		size_format_like(like, v, buf, sizeof(buf));
		if (parse_size(buf, &back) || back != v)
			abort();
	}
	free(s);
	return 0;
}
