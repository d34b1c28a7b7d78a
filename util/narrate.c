// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"
#include "util/narrate.h"

static struct {
	bool pending;
	char owner[64], action[32];
	unsigned long lo, hi;
	uint64_t block_size;
} run;

void narrate_flush(void)
{
	struct log_ctx *log;
	const char *fn;
	uint64_t start, end;

	if (!run.pending)
		return;
	/* first: the line below goes through the log, which flushes again */
	run.pending = false;
	log = log_steps(&fn);
	if (!log)
		return;
	start = (uint64_t)run.lo * run.block_size;
	end = ((uint64_t)run.hi + 1) * run.block_size - 1;
	if (run.lo == run.hi)
		log_narrate(log, fn,
			    "%s: memory block %lu (%#" PRIx64 "-%#" PRIx64
			    "): %s",
			    run.owner, run.lo, start, end, run.action);
	else
		log_narrate(log, fn,
			    "%s: memory blocks %lu-%lu (%#" PRIx64 "-%#" PRIx64
			    "): %s",
			    run.owner, run.lo, run.hi, start, end, run.action);
}

static bool continues(const char *owner, const char *action, unsigned long id,
		      uint64_t block_size)
{
	return run.pending && run.block_size == block_size &&
	       !strcmp(run.owner, owner) && !strcmp(run.action, action) &&
	       (id == run.hi + 1 || (run.lo && id == run.lo - 1));
}

void narrate_block(const char *owner, const char *action, unsigned long id,
		   uint64_t block_size)
{
	struct log_ctx *log;
	const char *fn;
	char said[32], *c;

	log = log_steps(&fn);
	if (!log || !log_narrates(log))
		return;
	snprintf(said, sizeof(said), "%s", action);
	for (c = said; *c; c++)
		if (*c == '_')
			*c = ' ';
	if (continues(owner, said, id, block_size)) {
		if (id > run.hi)
			run.hi = id;
		else
			run.lo = id;
		return;
	}
	narrate_flush();
	snprintf(run.owner, sizeof(run.owner), "%s", owner);
	snprintf(run.action, sizeof(run.action), "%s", said);
	run.lo = run.hi = id;
	run.block_size = block_size;
	run.pending = true;
}

void narrate_range(const char *owner, const char *action, unsigned long first,
		   unsigned long count, uint64_t block_size)
{
	if (!count)
		return;
	narrate_flush();
	narrate_block(owner, action, first, block_size);
	if (run.pending)
		run.hi = first + count - 1;
	narrate_flush();
}
