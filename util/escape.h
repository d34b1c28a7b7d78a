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
/*
 * Only the control characters (below 0x20, and 0x7f) as "\xNN": what any
 * message gets before it is printed, so that it stays one line whatever
 * it quotes; text already escaped passes unchanged.
 */
const char *escape_controls(const char *s, char *buf, size_t len);

#endif /* UTIL_ESCAPE_H */
