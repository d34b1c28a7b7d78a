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

/*
 * -d as upstream reads it for the region commands: a space or comma
 * separated list of root decoder names, "X.Y", or the classes "all" and
 * "root" (every region sits under a root decoder; "switch" and
 * "endpoint" select nothing).
 */
static int decoder_token_matches(const char *tok, const char *dec)
{
	char buf[NAME_LEN];
	int port, id;

	if (!strcmp(tok, "all") || !strcmp(tok, "root"))
		return 1;
	if (!strcmp(tok, "switch") || !strcmp(tok, "endpoint"))
		return 0;
	if (!strcmp(tok, dec))
		return 1;
	if (sscanf(tok, "%d.%d", &port, &id) == 2 ||
	    sscanf(tok, "decoder%d.%d", &port, &id) == 2) {
		snprintf(buf, sizeof(buf), "decoder%d.%d", port, id);
		return !strcmp(buf, dec);
	}
	return 0;
}

/* the names every command and the policy files take, and the classes */
static int decoder_token_valid(const char *tok)
{
	char name[NAME_LEN];

	if (!strcmp(tok, "all") || !strcmp(tok, "root") ||
	    !strcmp(tok, "switch") || !strcmp(tok, "endpoint"))
		return 1;
	return name_parse_short(OBJ_DECODER, tok, name, sizeof(name));
}

int decoder_filter_valid(const char *want)
{
	char tok[NAME_LEN];
	const char *p = want;
	size_t n;
	int nr = 0;

	while (*p) {
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (!n)
			break;
		if (n >= sizeof(tok))
			return 0;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (!decoder_token_valid(tok))
			return 0;
		nr++;
		p += n;
	}
	return nr > 0;
}

int decoder_filter_matches(const char *want, const char *dec)
{
	char tok[NAME_LEN];
	const char *p = want;
	size_t n;

	if (!want)
		return 1;
	while (*p) {
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (!n)
			break;
		if (n < sizeof(tok)) {
			memcpy(tok, p, n);
			tok[n] = '\0';
			if (decoder_token_matches(tok, dec))
				return 1;
		}
		p += n;
	}
	return 0;
}

int root_by_filter(struct cxl_ctx *ctx, const char *bus, const char *filter,
		   struct topo_root *out)
{
	static struct topo_root roots[MAX_ROOTS];
	int i, n = topo_roots(ctx, bus, roots, MAX_ROOTS);

	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (decoder_filter_matches(filter, roots[i].name)) {
			*out = roots[i];
			return 0;
		}
	return -ENOENT;
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
		if (!decoder_filter_matches(decoder, ri.decoder))
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
