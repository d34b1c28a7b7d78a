/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_NARRATE_H
#define UTIL_NARRATE_H

#include <stdint.h>

/*
 * The narration (-v, --debug) of steps over memory blocks, in ranges as
 * util-linux chmem says them: consecutive blocks that get the same action
 * from the same owner make one line on the steps' log (log_steps()),
 * "<owner>: memory blocks 114-121 (0x390000000-0x3cfffffff): online movable",
 * whatever order the blocks come in. Said when the runs end, lowest first:
 * at a block of another owner or action, before any other line on stderr,
 * or at narrate_flush(). @action is what the block's state gets
 * ("online_movable", "offline"; '_' is said as a space).
 */
void narrate_block(const char *owner, const char *action, unsigned long id,
		   uint64_t block_size);
/* a whole range at once (one write did it: a dax state, a region driver) */
void narrate_range(const char *owner, const char *action, unsigned long first,
		   unsigned long count, uint64_t block_size);
void narrate_flush(void);

#endif /* UTIL_NARRATE_H */
