// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/escape.h"

/* @c as it is shown, in @out (5 bytes); returns its length */
static size_t shown(unsigned char c, char *out, bool all)
{
	if (c == '\\' && all)
		return (size_t)snprintf(out, 5, "\\\\");
	if ((c >= 0x20 && c < 0x7f) || (c >= 0x80 && !all))
		return (size_t)snprintf(out, 5, "%c", c);
	return (size_t)snprintf(out, 5, "\\x%02x", c);
}

static const char *escape(const char *s, char *buf, size_t len, bool all)
{
	static const char more[] = "...";
	size_t o = 0, total = 0, n, room;
	const char *p;
	char tmp[5];

	if (!len)
		return buf;
	for (p = s; *p; p++)
		total += shown((unsigned char)*p, tmp, all);
	/* all of it, or as much as leaves room for "..." */
	room = total < len || len <= sizeof(more) ? len - 1
						  : len - sizeof(more);
	for (p = s; *p; p++) {
		n = shown((unsigned char)*p, tmp, all);
		if (o + n > room)
			break;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	if (total >= len && o + sizeof(more) <= len) {
		memcpy(buf + o, more, sizeof(more) - 1);
		o += sizeof(more) - 1;
	}
	buf[o] = '\0';
	return buf;
}

const char *escape_line(const char *s, char *buf, size_t len)
{
	return escape(s, buf, len, true);
}

const char *escape_controls(const char *s, char *buf, size_t len)
{
	return escape(s, buf, len, false);
}
