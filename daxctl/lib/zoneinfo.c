// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own count of the memory each zone of a node holds:
 * /proc/zoneinfo, whose "Node N, zone NAME" sections each carry a
 * "present" line (pages). Onlining a memory block adds its pages to the
 * zone it goes to, offlining takes them away: on Linux 6.12 and 7.3 the
 * present pages of a CXL node were exactly its online blocks, per zone
 * (test/vm/README.md, "The kernel's zone accounting").
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
 */
#define ZI_NODES 1024 /* the kernel's MAX_NUMNODES at NODES_SHIFT 10 */

static struct {
	bool valid;
	int rc;
	unsigned long writes;
	const char *root;
	bool seen[ZI_NODES];
	struct node_zones z[ZI_NODES];
} zi;

struct zi_parse {
	int node; /* of the section being read, -1 before the first */
	char zone[16];
};

static int zi_line(char *line, void *arg)
{
	struct zi_parse *p = arg;
	unsigned long long pages;
	struct node_zones *z;
	char *s, *end;
	int node;

	if (sscanf(line, "Node %d, zone %15s", &node, p->zone) == 2) {
		if (node < 0 || node >= ZI_NODES)
			return -ERANGE;
		p->node = node;
		zi.seen[node] = true;
		return 0;
	}
	if (p->node < 0)
		return 0;
	s = line + strspn(line, " \t");
	if (strncmp(s, "present", 7) || (s[7] != ' ' && s[7] != '\t'))
		return 0;
	s += 7 + strspn(s + 7, " \t");
	errno = 0;
	pages = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		return -EINVAL;
	z = &zi.z[p->node];
	if (!strcmp(p->zone, "Movable"))
		z->movable += pages;
	else if (!strcmp(p->zone, "Normal"))
		z->normal += pages;
	else
		z->other += pages;
	return 0;
}

static int zi_load(void)
{
	unsigned long writes = sysfs_get_stats()->writes;
	struct zi_parse p = { .node = -1 };

	if (zi.valid && zi.writes == writes && zi.root == sysfs_root())
		return zi.rc;
	memset(&zi, 0, sizeof(zi));
	zi.rc = sysfs_read_lines(ZONEINFO, zi_line, &p);
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
