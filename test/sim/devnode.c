// SPDX-License-Identifier: GPL-2.0
/*
 * Entries in --devdir (the runner's private /dev): /dev/cxl/memN and
 * /dev/daxZ.Y are character device nodes with the numbers of their "dev"
 * attribute (stat() works, open() fails with ENXIO, as for a device no
 * driver serves); while daxZ.Y is bound to device_dax it is a regular
 * file (0600) instead, so it can be opened and its holders show in
 * /proc/<pid>/fd. libdaxctl resolves /sys/dev/char/<maj:min> of the
 * node to tell the dax-bus model: for the regular file (0:0) that link
 * points at a device_dax-bound device.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "dax.h"

struct devnode {
	char name[64];
	struct devnode *next;
};

static struct devnode *nodes;

static void path_of(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", sim_opts.devdir, name);
}

static void track(const char *name, bool add)
{
	struct devnode **pp, *d;

	for (pp = &nodes; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			if (!add) {
				d = *pp;
				*pp = d->next;
				free(d);
			}
			return;
		}
	}
	if (!add)
		return;
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->next = nodes;
	nodes = d;
}

void devnode_set(const char *name, int major, int minor, enum devnode_kind kind)
{
	char path[512];
	int fd;

	if (!sim_opts.devdir)
		return;
	path_of(name, path, sizeof(path));
	if (strchr(name, '/')) {
		char dir[512], *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		*slash = '\0';
		mkdir(dir, 0755);
	}
	unlink(path);
	switch (kind) {
	case DEVNODE_CHAR:
		if (mknod(path, S_IFCHR | 0600, makedev(major, minor)))
			fprintf(stderr, "cxl-sim: mknod %s: %m\n", path);
		break;
	case DEVNODE_FILE:
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			fprintf(stderr, "cxl-sim: create %s: %m\n", path);
		else
			close(fd);
		break;
	default:
		break;
	}
	track(name, kind != DEVNODE_NONE);
}

void devnode_devdax_changed(struct sim_device *leaving)
{
	struct sim_device *dev;

	for (dev = device_first(BUS_DAX); dev; dev = dev->next) {
		if (dev == leaving || !dev->driver ||
		    strcmp(dev->driver->name, "device_dax") != 0)
			continue;
		devchar_add(0, 0, dev->dir->path);
		return;
	}
	devchar_del(0, 0);
}

void devnode_exit(void)
{
	char path[512];

	while (nodes) {
		struct devnode *d = nodes;

		nodes = d->next;
		path_of(d->name, path, sizeof(path));
		unlink(path);
		free(d);
	}
	if (sim_opts.devdir) {
		path_of("cxl", path, sizeof(path));
		rmdir(path);
	}
}
