/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXCTL_LIB_ZONEINFO_H
#define DAXCTL_LIB_ZONEINFO_H

#include <stdbool.h>
#include <stdint.h>

/* the pages present in a node's zones, as /proc/zoneinfo counts them */
struct node_zones {
	uint64_t movable, normal;
	uint64_t other; /* DMA, DMA32, Device, ... together */
	/*
	 * The page frames [span_start, span_end) that hold every zone of the
	 * node with pages present (a zone's "start_pfn" and "spanned"),
	 * when @spans: a zone shrinks to its online blocks when one at
	 * either end goes offline, so no online page of the node is outside.
	 */
	bool spans;
	uint64_t span_start, span_end;
};

/*
 * 0, -ENOENT when no section is of @node, or the errno of the read. The
 * file is read once for every node, and again only after a sysfs write.
 */
int zoneinfo_read_node(int node, struct node_zones *z);

#endif /* DAXCTL_LIB_ZONEINFO_H */
