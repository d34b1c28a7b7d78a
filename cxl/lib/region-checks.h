/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_REGION_CHECKS_H
#define CXL_LIB_REGION_CHECKS_H

#include <stddef.h>

#include "cxl/lib/region.h"

/*
 * What makes a region impossible to destroy, checked before anything is
 * written (upstream v85's destroy-region preconditions).
 */

/*
 * regionZ/locked (kernel 7.1+, read-only): 1 locked, 0 not, -ENOENT on
 * kernels without the attribute, other -errno when it cannot be read.
 */
int region_read_locked(const char *region);

/*
 * DPA is released in decoder order: a region cannot be torn down while a
 * later decoder (higher id) on the same endpoint port as one of its
 * targets still holds DPA. Returns 1 and names the first such memdev and
 * decoder, 0 when nothing blocks, or -errno. The @nfreed decoders of
 * @freed count as holding none: a dry run's earlier destroys free them.
 */
int region_destroy_blocker(const struct region_info *ri,
			   const char (*freed)[NAME_LEN], unsigned int nfreed,
			   char *memdev, size_t mlen, char *decoder,
			   size_t dlen);

#endif /* CXL_LIB_REGION_CHECKS_H */
