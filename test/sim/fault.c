// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: "<glob> <nth> <ERRNO>" makes the nth write matching
 * <glob> fail once with ERRNO. A write is matched by its canonical path
 * (/sys/devices/...), by /sys/bus/<bus>/devices/<dev>/... and, for
 * memory blocks, by /sys/devices/system/node/nodeN/memoryM/...
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "ctl.h"

struct fault {
	char *glob;
	unsigned long nth;
	unsigned long left;
	int err;
	struct fault *next;
};

static struct fault *faults;

static bool match_one(const char *glob, const char *path)
{
	char full[4200];

	snprintf(full, sizeof(full), "/sys%s", path);
	return fnmatch(glob, full, 0) == 0;
}

static bool fault_matches(const struct fault *f, struct node *n)
{
	struct node *dev;
	char alias[4096];

	if (match_one(f->glob, n->path))
		return true;
	for (dev = n->parent; dev; dev = dev->parent) {
		const char *rest;

		if (!dev->bus)
			continue;
		rest = n->path + strlen(dev->path);
		snprintf(alias, sizeof(alias), "/bus/%s/devices/%s%s", dev->bus,
			 dev->name, rest);
		if (match_one(f->glob, alias))
			return true;
		if (dev->alias) {
			snprintf(alias, sizeof(alias), "%s%s", dev->alias,
				 rest);
			if (match_one(f->glob, alias))
				return true;
		}
		break;
	}
	return false;
}

/* called for every write; returns the errno to fail with, or 0 */
int fault_check(struct node *n)
{
	struct fault **pp = &faults, *f;
	int err = 0;

	while ((f = *pp)) {
		if (!fault_matches(f, n) || --f->left) {
			pp = &f->next;
			continue;
		}
		if (!err)
			err = f->err;
		*pp = f->next;
		free(f->glob);
		free(f);
	}
	return err;
}

void fault_exit(void)
{
	while (faults) {
		struct fault *f = faults;

		faults = f->next;
		free(f->glob);
		free(f);
	}
}

int fault_store(const char *buf)
{
	char glob[1024], name[32], extra[2];
	struct fault *f, **pp;
	unsigned long nth;
	int err;

	if (strcmp(buf, "clear") == 0) {
		fault_exit();
		return 0;
	}
	if (sscanf(buf, "%1023s %lu %31s %1s", glob, &nth, name, extra) != 3)
		return -EINVAL;
	err = errno_from_name(name);
	if (!err || !nth)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->glob = strdup(glob);
	if (!f->glob) {
		free(f);
		return -ENOMEM;
	}
	f->nth = nth;
	f->left = nth;
	f->err = err;
	for (pp = &faults; *pp; pp = &(*pp)->next)
		;
	*pp = f;
	return 0;
}

void fault_show(struct sbuf *sb)
{
	struct fault *f;

	for (f = faults; f; f = f->next)
		sb_printf(sb, "%s %lu %s (%lu to go)\n", f->glob, f->nth,
			  errno_name(f->err), f->left);
}
