// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"
#include "util/narrate.h"

/*
 * The runs said so far and not yet on the log: one owner, action and
 * block size at a time, several disjoint ranges of it (a walk that goes
 * down, or starts at the second block and ends at the first, still makes
 * one range), said lowest first when they end.
 */
#define NR_RUNS 8

static struct {
	unsigned int n;
	char owner[64], action[32];
	uint64_t block_size;
	struct {
		unsigned long lo, hi;
	} r[NR_RUNS];
} runs;

static void say(struct log_ctx *log, const char *fn, unsigned long lo,
		unsigned long hi)
{
	uint64_t start = (uint64_t)lo * runs.block_size;
	uint64_t end = ((uint64_t)hi + 1) * runs.block_size - 1;

	if (lo == hi)
		log_narrate(log, fn,
			    "%s: memory block %lu (%#" PRIx64 "-%#" PRIx64
			    "): %s",
			    runs.owner, lo, start, end, runs.action);
	else
		log_narrate(log, fn,
			    "%s: memory blocks %lu-%lu (%#" PRIx64 "-%#" PRIx64
			    "): %s",
			    runs.owner, lo, hi, start, end, runs.action);
}

void narrate_flush(void)
{
	struct log_ctx *log;
	const char *fn;
	unsigned int n = runs.n, i, j, low;
	unsigned long lo[NR_RUNS], hi[NR_RUNS];

	if (!n)
		return;
	/* first: the lines below go through the log, which flushes again */
	runs.n = 0;
	for (i = 0; i < n; i++) {
		lo[i] = runs.r[i].lo;
		hi[i] = runs.r[i].hi;
	}
	log = log_steps(&fn);
	if (!log)
		return;
	for (i = 0; i < n; i++) {
		low = i;
		for (j = i + 1; j < n; j++)
			if (lo[j] < lo[low])
				low = j;
		say(log, fn, lo[low], hi[low]);
		lo[low] = lo[i];
		hi[low] = hi[i];
	}
}

static bool same_kind(const char *owner, const char *action,
		      uint64_t block_size)
{
	return runs.n && runs.block_size == block_size &&
	       !strcmp(runs.owner, owner) && !strcmp(runs.action, action);
}

/* extend the run @id continues, joining it with the next one it meets */
static bool extend(unsigned long id)
{
	unsigned int i, j;

	for (i = 0; i < runs.n; i++) {
		if (id == runs.r[i].hi + 1)
			runs.r[i].hi = id;
		else if (runs.r[i].lo && id == runs.r[i].lo - 1)
			runs.r[i].lo = id;
		else
			continue;
		for (j = 0; j < runs.n; j++) {
			if (j == i || (runs.r[j].lo != runs.r[i].hi + 1 &&
				       runs.r[j].hi + 1 != runs.r[i].lo))
				continue;
			if (runs.r[j].lo < runs.r[i].lo)
				runs.r[i].lo = runs.r[j].lo;
			if (runs.r[j].hi > runs.r[i].hi)
				runs.r[i].hi = runs.r[j].hi;
			runs.r[j] = runs.r[--runs.n];
			break;
		}
		return true;
	}
	return false;
}

void narrate_block(const char *owner, const char *action, unsigned long id,
		   uint64_t block_size)
{
	struct log_ctx *log;
	const char *fn;
	char said[32], *c;
	bool same;

	log = log_steps(&fn);
	if (!log || !log_narrates(log))
		return;
	snprintf(said, sizeof(said), "%s", action);
	for (c = said; *c; c++)
		if (*c == '_')
			*c = ' ';
	same = same_kind(owner, said, block_size);
	if (same && extend(id))
		return;
	if (!same || runs.n == NR_RUNS)
		narrate_flush();
	if (!runs.n) {
		snprintf(runs.owner, sizeof(runs.owner), "%s", owner);
		snprintf(runs.action, sizeof(runs.action), "%s", said);
		runs.block_size = block_size;
	}
	runs.r[runs.n].lo = runs.r[runs.n].hi = id;
	runs.n++;
}

void narrate_range(const char *owner, const char *action, unsigned long first,
		   unsigned long count, uint64_t block_size)
{
	if (!count)
		return;
	narrate_flush();
	narrate_block(owner, action, first, block_size);
	if (runs.n)
		runs.r[0].hi = first + count - 1;
	narrate_flush();
}
