/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_SIZE_H
#define UTIL_SIZE_H

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

#endif /* UTIL_SIZE_H */
