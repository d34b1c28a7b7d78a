// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/topology.h"
#include "cxl/region-filter.h"
#include "util/name.h"

#define MAX_ROOTS 64

int region_selector_valid(const char *arg)
{
	char buf[NAME_LEN];

	if (!strcmp(arg, "all") || name_parse(OBJ_REGION, arg, NULL))
		return 1;
	if (strlen(arg) > 16)
		return 0;
	snprintf(buf, sizeof(buf), "region%s", arg);
	return name_parse(OBJ_REGION, buf, NULL);
}

static int matches(const char *region, int argc, const char **argv)
{
	char buf[NAME_LEN];
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "all") || !strcmp(argv[i], region))
			return 1;
		snprintf(buf, sizeof(buf), "region%s", argv[i]);
		if (!strcmp(buf, region))
			return 1;
	}
	return 0;
}

static int decoder_matches(const char *want, const char *dec)
{
	char buf[NAME_LEN];

	if (!want)
		return 1;
	if (!strcmp(want, dec))
		return 1;
	snprintf(buf, sizeof(buf), "decoder%s", want);
	return !strcmp(buf, dec);
}

int select_regions(struct cxl_ctx *ctx, const char *bus, const char *decoder,
		   int argc, const char **argv, char (*out)[NAME_LEN], int max)
{
	static char names[256][NAME_LEN];
	struct topo_root roots[MAX_ROOTS];
	int nr_roots, n, i, j, k = 0;

	nr_roots = topo_roots(ctx, bus, roots, MAX_ROOTS);
	if (nr_roots < 0)
		return nr_roots;
	n = region_list(names, 256);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct region_info ri;

		if (!matches(names[i], argc, argv))
			continue;
		if (region_read_info(names[i], &ri))
			continue;
		if (!decoder_matches(decoder, ri.decoder))
			continue;
		for (j = 0; j < nr_roots; j++)
			if (!strcmp(roots[j].name, ri.decoder))
				break;
		if (j == nr_roots)
			continue;
		if (k >= max)
			return -E2BIG;
		memcpy(out[k++], names[i], NAME_LEN);
	}
	return k;
}
