// SPDX-License-Identifier: GPL-2.0
/*
 * Zone choice for onlining, per node: explicit types pick their zone;
 * "online" follows memory_hotplug.online_policy. With contig-zones a
 * block inside or next to the node's Movable span (and not the Normal
 * one) goes Movable, anything else Normal, so zones stay contiguous;
 * auto-movable always picks Movable (the ratio is not modelled).
 */
#include <limits.h>

#include "memory.h"

struct span {
	unsigned long min, max;
	unsigned long count;
};

static struct span spans[MAX_NUMNODES][NR_ZONES];

const char *zone_name(enum zone z)
{
	switch (z) {
	case ZONE_NORMAL:
		return "Normal";
	case ZONE_MOVABLE:
		return "Movable";
	default:
		return "none";
	}
}

static bool span_touches(int nid, enum zone z, unsigned long id)
{
	struct span *s = &spans[nid][z];

	if (!s->count)
		return false;
	return id + 1 >= s->min && id <= s->max + 1;
}

enum zone zone_for_online(int nid, unsigned long id, enum mmop type)
{
	bool in_normal, in_movable;

	switch (type) {
	case MMOP_ONLINE_KERNEL:
		return ZONE_NORMAL;
	case MMOP_ONLINE_MOVABLE:
		return ZONE_MOVABLE;
	default:
		break;
	}
	if (sim_opts.policy == POLICY_AUTO_MOVABLE)
		return ZONE_MOVABLE;
	in_normal = span_touches(nid, ZONE_NORMAL, id);
	in_movable = span_touches(nid, ZONE_MOVABLE, id);
	if (in_movable && !in_normal)
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

void zone_span_online(struct mem_block *b)
{
	struct span *s = &spans[b->nid][b->zone];

	if (!s->count) {
		s->min = b->id;
		s->max = b->id;
	} else {
		if (b->id < s->min)
			s->min = b->id;
		if (b->id > s->max)
			s->max = b->id;
	}
	s->count++;
}

/* shrink the span like shrink_zone_span(): rescan only at the edges */
void zone_span_offline(struct mem_block *b)
{
	struct span *s = &spans[b->nid][b->zone];
	unsigned long id, n = mem_nr_slots();

	if (!s->count)
		return;
	s->count--;
	if (!s->count)
		return;
	if (b->id == s->min) {
		for (id = b->id + 1; id <= s->max && id < n; id++) {
			struct mem_block *o = mem_block_get(id);

			if (o && o->online && o->nid == b->nid &&
			    o->zone == b->zone)
				break;
		}
		s->min = id;
	} else if (b->id == s->max) {
		for (id = b->id - 1; id > s->min; id--) {
			struct mem_block *o = mem_block_get(id);

			if (o && o->online && o->nid == b->nid &&
			    o->zone == b->zone)
				break;
		}
		s->max = id;
	}
}
