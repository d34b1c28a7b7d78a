// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "util/progress.h"

static struct {
	bool active; /* a step is under way */
	bool visible; /* its line is on the terminal now */
	bool drawn; /* it has been drawn at least once */
	char label[160];
	const char *unit;
	unsigned long total, done;
	long start_ms, drawn_ms;
} p;

static int tty = -1; /* stderr is a terminal: -1 not yet known */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void draw(long now)
{
	long ms = now - p.start_ms;

	fprintf(stderr, "\r%s: %lu/%lu %s", p.label, p.done, p.total, p.unit);
	if (ms > 0 && p.done)
		fprintf(stderr, ", %lu %s/s",
			(unsigned long)((double)p.done * 1000.0 / (double)ms),
			p.unit);
	/* erase what a longer line before left to the right */
	fputs("\033[K", stderr);
	fflush(stderr);
	p.visible = true;
	p.drawn = true;
	p.drawn_ms = now;
}

void progress_begin(const char *label, unsigned long total)
{
	progress_begin_as(label, total, "blocks");
}

void progress_begin_as(const char *label, unsigned long total, const char *unit)
{
	if (p.active)
		progress_end();
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty || !total)
		return;
	snprintf(p.label, sizeof(p.label), "%s", label);
	p.unit = unit;
	p.active = true;
	p.visible = false;
	p.drawn = false;
	p.total = total;
	p.done = 0;
	p.start_ms = now_ms();
	if (total >= PROGRESS_MANY)
		draw(p.start_ms);
}

void progress_update(unsigned long done)
{
	long now;

	if (!p.active)
		return;
	p.done = done;
	now = now_ms();
	if (!p.drawn && p.total < PROGRESS_MANY &&
	    now - p.start_ms < PROGRESS_AFTER_MS)
		return;
	if (p.drawn && now - p.drawn_ms < PROGRESS_REDRAW_MS)
		return;
	draw(now);
}

void progress_hide(void)
{
	if (!p.visible)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p.visible = false;
}

void progress_end(void)
{
	progress_hide();
	p.active = false;
}
