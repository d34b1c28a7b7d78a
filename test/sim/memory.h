/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_MEMORY_H
#define CXL_SIM_MEMORY_H

#include "sim.h"
#include "tree.h"

/* Memory blocks (/sys/devices/system/memory), zones and NUMA nodes. */
enum zone {
	ZONE_NONE,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	NR_ZONES,
};

#define MAX_NUMNODES 64

struct mem_block {
	unsigned long id;
	int nid;
	bool online;
	enum zone zone;
	bool boot;
	bool leaked;
	const char *owner;
	struct node *dir;
};

struct leak {
	u64 start;
	u64 size;
	char reason[48];
	struct leak *next;
};

int mem_init(void);
void mem_exit(void);
u64 mem_block_size(void);
unsigned long mem_nr_slots(void);
struct mem_block *mem_block_get(unsigned long id);
enum mmop mem_default_online_type(void);

bool mem_range_present(u64 start, u64 size);
int mem_add_range(u64 start, u64 size, int nid, const char *owner);
void mem_remove_range(u64 start, u64 size);
unsigned long mem_range_online(u64 start, u64 size);
void mem_leak_range(u64 start, u64 size);
const struct leak *mem_leaks(void);
unsigned long mem_present_cxl(void);

int mem_online(struct mem_block *b, enum mmop type);
int mem_offline(struct mem_block *b);

int mem_busy_add(const char *spec);
void mem_busy_clear(void);
bool mem_busy(unsigned long id);
void mem_busy_show(struct sbuf *sb);

const char *zone_name(enum zone z);
enum zone zone_for_online(int nid, unsigned long id, enum mmop type);
void zone_span_online(struct mem_block *b);
void zone_span_offline(struct mem_block *b);

/* numa.c */
int numa_init(void);
void numa_block_added(struct mem_block *b);
void numa_block_removed(struct mem_block *b);
bool numa_node_present(int nid);
/* what /proc/zoneinfo says (ctl.c serves it, the runner binds it) */
int numa_zoneinfo_show(struct sbuf *sb);

#endif
