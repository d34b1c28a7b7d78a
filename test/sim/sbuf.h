/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_SBUF_H
#define CXL_SIM_SBUF_H

#include <stddef.h>

/* A growable string buffer that attribute show() callbacks print into. */
struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct sbuf *sb);
void sb_reset(struct sbuf *sb);
void sb_free(struct sbuf *sb);
int sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sb_puts(struct sbuf *sb, const char *s);

#endif
