// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/size.h"

static int suffix_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	case 't':
	case 'T':
		return 40;
	default:
		return -1;
	}
}

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == s)
		return -EINVAL;
	if (*end) {
		shift = suffix_shift(*end);
		if (shift < 0 || end[1])
			return -EINVAL;
		/* "0x10k" is ambiguous with hex digits: refuse suffixes on hex */
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

void size_format_like(const char *like, uint64_t v, char *buf, size_t len)
{
	static const char suffixes[] = "kmgt";
	bool upper = false;
	int shift = 0, i;
	size_t n;

	if (!len)
		return;
	n = like ? strlen(like) : 0;
	if (n > 1 && like[0] == '0' && (like[1] == 'x' || like[1] == 'X')) {
		snprintf(buf, len, "%#" PRIx64, v);
		return;
	}
	if (n && suffix_shift(like[n - 1]) > 0) {
		shift = suffix_shift(like[n - 1]);
		upper = isupper((unsigned char)like[n - 1]);
	}
	/* the user's suffix, or the largest smaller one that is exact */
	while (shift && v & ((1ULL << shift) - 1))
		shift -= 10;
	if (!shift) {
		snprintf(buf, len, "%" PRIu64, v);
		return;
	}
	i = shift / 10 - 1;
	snprintf(buf, len, "%" PRIu64 "%c", v >> shift,
		 upper ? toupper((unsigned char)suffixes[i]) : suffixes[i]);
}
