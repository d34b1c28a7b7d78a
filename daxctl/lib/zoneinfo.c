// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own count of the memory each zone of a node holds:
 * /proc/zoneinfo, whose "Node N, zone NAME" sections each carry a
 * "present" line (pages). Onlining a memory block adds its pages to the
 * zone it goes to, offlining takes them away: on Linux 6.12 and 7.3 the
 * present pages of a CXL node were exactly its online blocks, per zone
 * (test/vm/README.md, "The kernel's zone accounting"). A zone with pages
 * also has a "start_pfn:" line, and its "spanned" pages run from there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxctl/lib/zoneinfo.h"
#include "util/sysfs.h"

#define ZONEINFO "/proc/zoneinfo"

/*
 * Every node's zones from one read, kept while this process writes
 * nothing (a listing reads the file once, however many regions it has).
 * Only the entries up to the highest node seen are ever touched (cleared
 * for the next read): the table is 50 KB of pages that each cost a fault.
 */
#define ZI_NODES 1024 /* the kernel's MAX_NUMNODES at NODES_SHIFT 10 */

static struct {
	bool valid;
	int rc;
	unsigned long writes;
	const char *root;
	int top; /* one past the highest node seen */
	bool seen[ZI_NODES];
	struct node_zones z[ZI_NODES];
} zi;

struct zi_parse {
	int node; /* of the section being read, -1 before the first */
	char zone[16];
	/* of that section */
	uint64_t present, spanned, start_pfn;
	bool has_start;
};

/* the section just read, into its node's totals */
static void zi_section_end(struct zi_parse *p)
{
	struct node_zones *z;

	if (p->node < 0)
		return;
	z = &zi.z[p->node];
	if (!strcmp(p->zone, "Movable"))
		z->movable += p->present;
	else if (!strcmp(p->zone, "Normal"))
		z->normal += p->present;
	else
		z->other += p->present;
	if (!p->present)
		return;
	if (!p->has_start || p->start_pfn + p->spanned < p->start_pfn) {
		z->spans = false;
		return;
	}
	if (z->span_start == z->span_end) {
		z->span_start = p->start_pfn;
		z->span_end = p->start_pfn + p->spanned;
		return;
	}
	if (p->start_pfn < z->span_start)
		z->span_start = p->start_pfn;
	if (p->start_pfn + p->spanned > z->span_end)
		z->span_end = p->start_pfn + p->spanned;
}

/* the number after @key (and its blanks) at the start of @s */
static int zi_value(const char *s, const char *key, uint64_t *v, bool *found)
{
	size_t len = strlen(key);
	char *end;

	if (strncmp(s, key, len) || (s[len] != ' ' && s[len] != '\t'))
		return 0;
	s += len + strspn(s + len, " \t");
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		return -EINVAL;
	if (found)
		*found = true;
	return 0;
}

/*
 * "Node N, zone NAME": the node and the zone, 1; any other line, 0; a
 * header that does not parse, -EINVAL. By hand, not sscanf: the file is
 * some 250 lines, and a scanf per line cost a listing 0.3 ms under QEMU.
 */
static int zi_header(const char *line, int *node, char *zone, size_t len)
{
	unsigned long v;
	const char *s;
	char *end;
	size_t n;

	if (strncmp(line, "Node ", 5))
		return 0;
	errno = 0;
	v = strtoul(line + 5, &end, 10);
	if (errno || end == line + 5 || strncmp(end, ", zone", 6))
		return -EINVAL;
	if (v >= ZI_NODES)
		return -ERANGE;
	s = end + 6 + strspn(end + 6, " \t");
	n = strcspn(s, " \t\n");
	if (!n || n >= len)
		return -EINVAL;
	memcpy(zone, s, n);
	zone[n] = '\0';
	*node = (int)v;
	return 1;
}

static int zi_line(char *line, void *arg)
{
	struct zi_parse *p = arg;
	char zone[sizeof(p->zone)], *s;
	int node, rc;

	rc = zi_header(line, &node, zone, sizeof(zone));
	if (rc < 0)
		return rc;
	if (rc) {
		zi_section_end(p);
		p->node = node;
		memcpy(p->zone, zone, sizeof(zone));
		p->present = p->spanned = p->start_pfn = 0;
		p->has_start = false;
		if (!zi.seen[node])
			zi.z[node].spans = true;
		zi.seen[node] = true;
		if (node >= zi.top)
			zi.top = node + 1;
		return 0;
	}
	if (p->node < 0)
		return 0;
	s = line + strspn(line, " \t");
	switch (*s) {
	case 'p':
		return zi_value(s, "present", &p->present, NULL);
	case 's':
		rc = zi_value(s, "spanned", &p->spanned, NULL);
		if (!rc)
			rc = zi_value(s, "start_pfn:", &p->start_pfn,
				      &p->has_start);
		return rc;
	default:
		return 0;
	}
}

static int zi_load(void)
{
	unsigned long writes = sysfs_get_stats()->writes;
	struct zi_parse p = { .node = -1 };

	if (zi.valid && zi.writes == writes && zi.root == sysfs_root())
		return zi.rc;
	memset(zi.seen, 0, (size_t)zi.top * sizeof(zi.seen[0]));
	memset(zi.z, 0, (size_t)zi.top * sizeof(zi.z[0]));
	zi.top = 0;
	zi.rc = sysfs_read_lines(ZONEINFO, zi_line, &p);
	if (!zi.rc)
		zi_section_end(&p);
	zi.valid = true;
	zi.writes = writes;
	zi.root = sysfs_root();
	return zi.rc;
}

int zoneinfo_read_node(int node, struct node_zones *z)
{
	int rc;

	memset(z, 0, sizeof(*z));
	if (node < 0 || node >= ZI_NODES)
		return -EINVAL;
	rc = zi_load();
	if (rc)
		return rc;
	if (!zi.seen[node])
		return -ENOENT;
	*z = zi.z[node];
	return 0;
}
