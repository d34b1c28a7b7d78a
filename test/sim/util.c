// SPDX-License-Identifier: GPL-2.0
/* Parsing helpers shared by attribute stores and option parsing. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include "sim.h"

/* like kstrtoull(s, 0): the whole string must be a number */
int parse_u64(const char *s, u64 *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*val = v;
	return 0;
}

int parse_int(const char *s, int *val)
{
	long v;
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

/* like kstrtobool */
int parse_bool(const char *s, bool *val)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*val = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*val = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*val = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*val = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* "512M", "2g", "0x8000000", "1t" */
int parse_size(const char *s, u64 *val)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (shift) {
		end++;
		if ((*end == 'i' || *end == 'I') &&
		    (end[1] == 'b' || end[1] == 'B'))
			end += 2;
		else if (*end == 'b' || *end == 'B')
			end++;
	}
	if (*end || (shift && v > (~0ULL >> shift)))
		return -EINVAL;
	*val = v << shift;
	return 0;
}

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EBUSY", EBUSY },
	{ "ENXIO", ENXIO },
	{ "ENOMEM", ENOMEM },
	{ "EINVAL", EINVAL },
	{ "ENODEV", ENODEV },
	{ "ENOSPC", ENOSPC },
	{ "EIO", EIO },
	{ "EAGAIN", EAGAIN },
	{ "EPERM", EPERM },
	{ "EACCES", EACCES },
	{ "EEXIST", EEXIST },
	{ "ENOENT", ENOENT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "ETIMEDOUT", ETIMEDOUT },
};

int errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (strcmp(errnos[i].name, name) == 0)
			return errnos[i].err;
	return 0;
}

const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return "E?";
}

static const char *const mmop_names[] = {
	[MMOP_OFFLINE] = "offline",
	[MMOP_ONLINE] = "online",
	[MMOP_ONLINE_KERNEL] = "online_kernel",
	[MMOP_ONLINE_MOVABLE] = "online_movable",
};

const char *mmop_name(enum mmop type)
{
	if (type < MMOP_OFFLINE || type > MMOP_ONLINE_MOVABLE)
		return "invalid";
	return mmop_names[type];
}

enum mmop mmop_parse(const char *s)
{
	int i;

	for (i = MMOP_OFFLINE; i <= MMOP_ONLINE_MOVABLE; i++)
		if (strcmp(s, mmop_names[i]) == 0)
			return i;
	return MMOP_INVALID;
}

bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

/* the interleave ways the CXL HDM decoders can encode */
bool is_valid_ways(int ways)
{
	switch (ways) {
	case 1:
	case 2:
	case 3:
	case 4:
	case 6:
	case 8:
	case 12:
	case 16:
		return true;
	}
	return false;
}
