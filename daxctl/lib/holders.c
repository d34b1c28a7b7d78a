// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxctl/lib/holders.h"
#include "util/name.h"

static bool has_fd(const char *pid, const char *devpath)
{
	char dir[64], link[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	bool found = false;
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
		found = !strcmp(target, devpath);
	}
	closedir(d);
	return found;
}

static bool has_map(const char *pid, const char *devpath)
{
	char path[64], line[PATH_MAX + 128];
	size_t dlen = strlen(devpath);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, devpath);

		found = p &&
			(p[dlen] == '\n' || p[dlen] == '\0' || p[dlen] == ' ');
	}
	fclose(f);
	return found;
}

int dax_holders(const char *dax, pid_t *pids, int max)
{
	char devpath[64];
	struct dirent *de;
	pid_t self = getpid();
	int n = 0;
	DIR *d;

	if (!name_parse(OBJ_DAX, dax, NULL))
		return -EINVAL;
	snprintf(devpath, sizeof(devpath), "/dev/%s", dax);
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
		if (!has_fd(de->d_name, devpath) &&
		    !has_map(de->d_name, devpath))
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	closedir(d);
	return n;
}
