/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_PROGRESS_H
#define UTIL_PROGRESS_H

/*
 * One line of progress on stderr for a step over many memory blocks:
 * "<label>: <done>/<total> blocks, <rate> blocks/s", redrawn in place at
 * most PROGRESS_REDRAW_MS apart and erased when the step ends. Only when
 * stderr is a terminal, and only for a step of at least PROGRESS_MANY
 * blocks or one that has run PROGRESS_AFTER_MS: nothing otherwise, and
 * nothing at all when stderr is a pipe or a file. One step at a time; a
 * call without a step begun does nothing.
 */
#define PROGRESS_MANY 256
#define PROGRESS_AFTER_MS 500
#define PROGRESS_REDRAW_MS 100

void progress_begin(const char *label, unsigned long total);
/* the same, counting @unit ("steps") instead of blocks */
void progress_begin_as(const char *label, unsigned long total,
		       const char *unit);
void progress_update(unsigned long done);
void progress_end(void);
/* erase the line before other output on stderr (the next update redraws) */
void progress_hide(void);

#endif /* UTIL_PROGRESS_H */
