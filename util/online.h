/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_ONLINE_H
#define UTIL_ONLINE_H

/*
 * Memory online types, the MMOP_* values of the kernel. The user may spell
 * them "kernel"/"movable" or as the kernel does ("online_kernel",
 * "online_movable"); the kernel spelling is what gets written.
 */
enum online_type {
	ONLINE_TYPE_INVALID = -1,
	ONLINE_OFFLINE = 0,
	ONLINE_ONLINE,
	ONLINE_KERNEL,
	ONLINE_MOVABLE,
};

enum online_type online_type_parse(const char *s);
/* the kernel's string for a type ("offline", "online_movable", ...) */
const char *online_type_name(enum online_type t);
/* the zone a type lands in: "Movable", "Normal", or NULL (kernel picks) */
const char *online_type_zone(enum online_type t);
#define ONLINE_TYPE_CHOICES \
	"offline, online, kernel, movable, online_kernel, online_movable"

#endif /* UTIL_ONLINE_H */
