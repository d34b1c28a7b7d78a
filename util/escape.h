/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_ESCAPE_H
#define UTIL_ESCAPE_H

#include <stddef.h>

/*
 * @s made safe to quote in a one-line message: printable ASCII stays,
 * a backslash becomes "\\", every other byte (control characters, newline,
 * bytes above 0x7e) "\xNN". What does not fit in @len is cut, ending in
 * "...". Returns @buf.
 */
const char *escape_line(const char *s, char *buf, size_t len);

#endif /* UTIL_ESCAPE_H */
