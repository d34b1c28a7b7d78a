/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_NAME_H
#define UTIL_NAME_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Kernel object names. Only strings that pass these checks are ever used to
 * build a sysfs path: no '/', no "..", no leading zeros, no trailing junk,
 * ids within int range.
 */
enum obj_kind {
	OBJ_REGION, /* regionN */
	OBJ_DECODER, /* decoderX.Y */
	OBJ_MEMDEV, /* memN */
	OBJ_DAX, /* daxX.Y */
	OBJ_SYSRAM_REGION, /* sysram_regionN */
	OBJ_DAX_REGION, /* dax_regionN */
	OBJ_MEMORY_BLOCK, /* memoryN */
};

struct obj_id {
	int a; /* N, or X of X.Y */
	int b; /* Y of X.Y, -1 otherwise */
};

/* returns true and fills @id (may be NULL) when @name is a valid @kind */
bool name_parse(enum obj_kind kind, const char *name, struct obj_id *id);
const char *name_kind_pattern(enum obj_kind kind);
/*
 * Also accept the short form without the prefix ("0" for region0, "0.0"
 * for decoder0.0), as upstream cxl does on its command line: returns true
 * and the full name in @out (of @len bytes) when @name is either form.
 */
bool name_parse_short(enum obj_kind kind, const char *name, char *out,
		      size_t len);

#endif /* UTIL_NAME_H */
