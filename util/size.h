/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_SIZE_H
#define UTIL_SIZE_H

#include <stddef.h>
#include <stdint.h>

#define SZ_1K (1ULL << 10)
#define SZ_1M (1ULL << 20)
#define SZ_256M (256ULL << 20)
#define SZ_1G (1ULL << 30)
#define SZ_1T (1ULL << 40)

/*
 * Parse "4096", "0x1000", "256m", "2G", "1t": an unsigned integer (decimal
 * or 0x-hex) with an optional k/m/g/t suffix (binary multiples, either
 * case). Returns 0 or -EINVAL (malformed) / -ERANGE (overflows 64 bits).
 */
int parse_size(const char *s, uint64_t *out);

/*
 * Write @v in the units the user wrote @like in, so that a message never
 * mixes the user's "768m" with hex: hexadecimal when @like is, else with
 * @like's suffix when @v is a whole number of it, else with the largest
 * suffix that divides @v (plain bytes when none does). The suffix keeps
 * @like's case. parse_size() reads the result back as @v.
 */
void size_format_like(const char *like, uint64_t v, char *buf, size_t len);

#endif /* UTIL_SIZE_H */
