// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "util/online.h"

static const struct {
	const char *name;
	enum online_type type;
} spellings[] = {
	{ "offline", ONLINE_OFFLINE }, { "online", ONLINE_ONLINE },
	{ "kernel", ONLINE_KERNEL },   { "online_kernel", ONLINE_KERNEL },
	{ "movable", ONLINE_MOVABLE }, { "online_movable", ONLINE_MOVABLE },
};

enum online_type online_type_parse(const char *s)
{
	size_t i;

	if (!s)
		return ONLINE_TYPE_INVALID;
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (!strcmp(s, spellings[i].name))
			return spellings[i].type;
	return ONLINE_TYPE_INVALID;
}

const char *online_type_name(enum online_type t)
{
	switch (t) {
	case ONLINE_OFFLINE:
		return "offline";
	case ONLINE_ONLINE:
		return "online";
	case ONLINE_KERNEL:
		return "online_kernel";
	case ONLINE_MOVABLE:
		return "online_movable";
	default:
		return "invalid";
	}
}

const char *online_type_zone(enum online_type t)
{
	switch (t) {
	case ONLINE_KERNEL:
		return "Normal";
	case ONLINE_MOVABLE:
		return "Movable";
	default:
		return NULL;
	}
}
