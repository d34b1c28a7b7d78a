// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/region-checks.h"
#include "cxl/lib/topology.h"
#include "util/name.h"
#include "util/sysfs.h"

/* endpoint ports have at most this many decoders */
#define MAX_PORT_DECODERS 64

int region_read_locked(const char *region)
{
	char p[PATH_MAX];
	int rc, v;

	if (!name_parse(OBJ_REGION, region, NULL))
		return -EINVAL;
	rc = cxlbus_dev_path(p, sizeof(p), region, "locked");
	if (rc)
		return rc;
	/* -ENOENT before Linux 7.1 */
	rc = sysfs_read_int(p, &v);
	if (rc)
		return rc;
	return v != 0;
}

static bool listed(const char *name, const char (*list)[NAME_LEN],
		   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

int region_destroy_blocker(const struct region_info *ri,
			   const char (*freed)[NAME_LEN], unsigned int nfreed,
			   char *memdev, size_t mlen, char *decoder,
			   size_t dlen)
{
	unsigned int i;

	for (i = 0; i < ri->ways && i < REGION_MAX_WAYS; i++) {
		char later[NAME_LEN], md[NAME_LEN], p[PATH_MAX];
		int port, id, k;

		if (!ri->targets[i][0] ||
		    sscanf(ri->targets[i], "decoder%d.%d", &port, &id) != 2)
			continue;
		if (topo_decoder_memdev(ri->targets[i], md, sizeof(md)))
			continue;
		for (k = id + 1; k < MAX_PORT_DECODERS; k++) {
			uint64_t dpa = 0;

			snprintf(later, sizeof(later), "decoder%d.%d", port, k);
			if (cxlbus_dev_path(p, sizeof(p), later, NULL) ||
			    !sysfs_exists(p))
				break;
			if (listed(later, freed, nfreed) ||
			    decoder_read_dpa_size(later, &dpa) || !dpa)
				continue;
			snprintf(memdev, mlen, "%s", md);
			snprintf(decoder, dlen, "%s", later);
			return 1;
		}
	}
	return 0;
}
