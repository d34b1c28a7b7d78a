/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXCTL_LIB_MEMBLOCK_H
#define DAXCTL_LIB_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "util/online.h"
#include "util/txn.h"

/*
 * The memory blocks of a physical range: /sys/devices/system/memory/memoryN
 * for every N whose block lies wholly inside the range (the kernel only
 * hot-adds whole blocks). Found by arithmetic, never by scanning a node.
 */
struct block_range {
	uint64_t block_size;
	unsigned long first; /* memory block id */
	unsigned long count;
};

int memblock_range(uint64_t start, uint64_t size, struct block_range *r);

enum block_zone {
	ZONE_UNKNOWN = 0,
	ZONE_MOVABLE,
	ZONE_NORMAL,
	ZONE_OTHER,
};

/* what the blocks of a range are now */
struct block_summary {
	unsigned long total; /* blocks in the range */
	unsigned long present; /* hot-added (memoryN exists) */
	unsigned long online;
	unsigned long movable, normal, other; /* online blocks per zone */
	unsigned long wrong_node; /* present blocks not on @node */
	int node;
};

/* how many blocks of the range are hot-added (one directory listing) */
unsigned long memblock_count_present(const struct block_range *r);
/*
 * @node < 0: do not check the node. Reads each present block's state
 * (and an online one's zone) once; a range this process has summarised
 * or onlined since its last sysfs write is not read again.
 */
int memblock_summarize(const struct block_range *r, int node,
		       struct block_summary *s);
/*
 * For a command that only reads (a listing): let memblock_summarize take
 * the counts of a node that holds the range's blocks and nothing else
 * from /proc/zoneinfo.
 */
void memblock_count_by_zone(bool on);
/* the online blocks of the range as "memory114-memory116, memory120" */
void memblock_list_online(const struct block_range *r, char *buf, size_t len);
/* true when every block of the summary is in the state @type asks for */
bool memblock_matches(const struct block_summary *s, enum online_type type);
/* the online type the blocks show: "online_movable", "mixed", ... */
const char *memblock_derived_type(const struct block_summary *s);

/*
 * Online every offline block of the range with @type, pushing "offline"
 * as each block's undo. Blocks already in the asked-for state are left.
 * What it sees and does is the summary memblock_summarize gives next.
 */
int memblock_online(struct txn *t, const struct block_range *r,
		    enum online_type type, const char *owner);
/*
 * Offline every online block. A block that refuses (EBUSY: unmovable
 * pages) stops the walk; the caller rolls back, which re-onlines the
 * blocks this call offlined with their previous type.
 */
int memblock_offline(struct txn *t, const struct block_range *r,
		     const char *owner);

/*
 * Offline the online blocks that are not in the zone @keep asks for
 * (ONLINE_MOVABLE or ONLINE_KERNEL), as memblock_offline does; the ones
 * already there stay online.
 */
int memblock_offline_other(struct txn *t, const struct block_range *r,
			   enum online_type keep, const char *owner);

/*
 * For a step that hot-added the range online (a bind): an undo that takes
 * every online block of it offline first, a barrier, so that the bind's
 * own undo (an unbind) never runs above online memory.
 */
int memblock_push_offline_undo(struct txn *t, const struct block_range *r,
			       const char *owner);

/*
 * Offline every online block of the range, in the walk's order, outside
 * any transaction (for undos); stops at the first refusal.
 */
int memblock_offline_online(const struct block_range *r);

/* whether auto_online_blocks reads @value now */
bool memblock_auto_online_is(const char *value);

/*
 * The auto-online policy for hot-added memory
 * (/sys/devices/system/memory/auto_online_blocks), held at @value for a
 * span of the transaction (see txn_guard_begin for @flags).
 */
int memblock_hold_auto_online(struct txn *t, struct txn_guard *g,
			      const char *value, unsigned int flags);

#endif /* DAXCTL_LIB_MEMBLOCK_H */
