// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daxctl/lib/holders.h"
#include "util/name.h"

/*
 * A process holds the device when one of its open files or mappings is
 * the device itself, not a file of the same name: a process in another
 * mount namespace (a container, another simulator) may have its own
 * /dev/daxX.Y. They are compared by what they are: the device number of
 * a character device, else the inode. Only files and mappings whose name
 * is under /dev/ are looked at; the others are not stat()ed, so a hung
 * network file system cannot stop the scan.
 */
static bool same_file(const struct stat *a, const struct stat *want)
{
	if (S_ISCHR(want->st_mode))
		return S_ISCHR(a->st_mode) && a->st_rdev == want->st_rdev;
	return a->st_dev == want->st_dev && a->st_ino == want->st_ino;
}

static bool is_dev_name(const char *name)
{
	return !strncmp(name, "/dev/", 5);
}

static bool has_fd(const char *pid, const struct stat *want)
{
	char dir[64], link[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	bool found = false;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		/* stat() follows the link to the open file itself */
		found = is_dev_name(target) && !stat(link, &st) &&
			same_file(&st, want);
	}
	closedir(d);
	return found;
}

static bool has_map(const char *pid, const struct stat *want)
{
	char path[64], line[PATH_MAX + 128], file[PATH_MAX];
	unsigned int maj, min;
	unsigned long ino;
	bool found = false;
	struct stat st;
	int name;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	/* start-end perms offset major:minor inode   path */
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x:%x %lu %n", &maj, &min, &ino,
			   &name) != 3 ||
		    !ino || !is_dev_name(line + name))
			continue;
		if (ino == (unsigned long)want->st_ino &&
		    maj == major(want->st_dev) && min == minor(want->st_dev)) {
			found = true;
			continue;
		}
		/* mapped through another node: what the mapping is */
		snprintf(file, sizeof(file), "/proc/%s/map_files/%.*s", pid,
			 (int)strcspn(line, " "), line);
		found = !stat(file, &st) && same_file(&st, want);
	}
	fclose(f);
	return found;
}

int dax_holders(const char *dax, pid_t *pids, int max)
{
	char devpath[64];
	struct dirent *de;
	pid_t self = getpid();
	struct stat want;
	int n = 0;
	DIR *d;

	if (!name_parse(OBJ_DAX, dax, NULL))
		return -EINVAL;
	snprintf(devpath, sizeof(devpath), "/dev/%s", dax);
	/* no node: nothing can have it open by it */
	if (stat(devpath, &want))
		return errno == ENOENT ? 0 : -errno;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)atoi(de->d_name);
		if (pid == self)
			continue;
		if (!has_fd(de->d_name, &want) && !has_map(de->d_name, &want))
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	closedir(d);
	return n;
}
