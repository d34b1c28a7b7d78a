// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/sysfs.h"

static const char *root = "";
static struct sysfs_stats stats;

void sysfs_set_root(const char *r)
{
	root = r ? r : "";
}

const char *sysfs_root(void)
{
	return root;
}

const struct sysfs_stats *sysfs_get_stats(void)
{
	return &stats;
}

static int full_path(const char *path, char *out, size_t len)
{
	int n = snprintf(out, len, "%s%s", root, path);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX];
	ssize_t n;
	int fd, rc;

	if (!len)
		return -EINVAL;
	rc = full_path(path, p, sizeof(p));
	if (rc)
		return rc;
	stats.reads++;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int parse_u64(const char *s, int base, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || end == s || *end)
		return -EINVAL;
	*val = v;
	return 0;
}

int sysfs_read_u64(const char *path, uint64_t *val)
{
	char buf[64];
	int rc = sysfs_read(path, buf, sizeof(buf));

	return rc ? rc : parse_u64(buf, 0, val);
}

int sysfs_read_hex(const char *path, uint64_t *val)
{
	char buf[64];
	int rc = sysfs_read(path, buf, sizeof(buf));

	return rc ? rc : parse_u64(buf, 16, val);
}

int sysfs_read_int(const char *path, int *val)
{
	char buf[64], *end;
	long v;
	int rc = sysfs_read(path, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	v = strtol(buf, &end, 0);
	if (errno || end == buf || *end || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* a write the kernel spends this long in (a bind that hot-adds) is timed */
#define SLOW_WRITE_MS 100

/*
 * Every write, said on the command's steps log at debug level: forward
 * steps, undos (also those a callback makes), guards, probe barriers.
 * "write PATH VALUE" once done; "failed write PATH VALUE: <strerror>".
 */
static void log_write(const char *path, const char *val, int rc, long ms)
{
	struct log_ctx *log;
	const char *fn;

	log = log_steps(&fn);
	if (!log || log->priority < LOG_DEBUG)
		return;
	if (rc)
		log_msg(log, LOG_DEBUG, fn, "failed write %s %s: %s", path, val,
			strerror(-rc));
	else
		log_msg(log, LOG_DEBUG, fn, "write %s %s", path, val);
	if (ms >= SLOW_WRITE_MS)
		log_msg(log, LOG_DEBUG, fn, "(the kernel took %ld ms for it)",
			ms);
}

static int write_attr(const char *path, const char *val)
{
	char p[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc;

	rc = full_path(path, p, sizeof(p));
	if (rc)
		return rc;
	stats.writes++;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* one write() is one store: the kernel sees the whole value at once */
	n = write(fd, val, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

int sysfs_write(const char *path, const char *val)
{
	long start = now_ms();
	int rc = write_attr(path, val);

	log_write(path, val, rc, now_ms() - start);
	return rc;
}

bool sysfs_exists(const char *path)
{
	char p[PATH_MAX];
	struct stat st;

	if (full_path(path, p, sizeof(p)))
		return false;
	stats.stats++;
	return lstat(p, &st) == 0;
}

/* the target of the link at @path, NUL-terminated */
static int read_link(const char *path, char *target, size_t len)
{
	char p[PATH_MAX];
	ssize_t n;
	int rc;

	rc = full_path(path, p, sizeof(p));
	if (rc)
		return rc;
	stats.links++;
	n = readlink(p, target, len - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return 0;
}

int sysfs_link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	int rc;

	rc = read_link(path, target, sizeof(target));
	if (rc)
		return rc;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

int sysfs_link_parent_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	char *last, *prev;
	int rc;

	rc = read_link(path, target, sizeof(target));
	if (rc)
		return rc;
	last = strrchr(target, '/');
	if (!last)
		return -ENOENT;
	*last = '\0';
	prev = strrchr(target, '/');
	prev = prev ? prev + 1 : target;
	if (strlen(prev) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, prev);
	return 0;
}

int sysfs_realpath(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX], r[PATH_MAX];
	size_t rlen = strlen(root);
	int rc;

	rc = full_path(path, p, sizeof(p));
	if (rc)
		return rc;
	stats.links++;
	if (!realpath(p, r))
		return -errno;
	/* report the path as seen below the sysfs root */
	if (rlen && !strncmp(r, root, rlen))
		memmove(r, r + rlen, strlen(r + rlen) + 1);
	if (strlen(r) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, r);
	return 0;
}

int sysfs_scan(const char *dir, int (*fn)(const char *name, void *arg),
	       void *arg)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc;

	rc = full_path(dir, p, sizeof(p));
	if (rc)
		return rc;
	stats.scans++;
	d = opendir(p);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = fn(de->d_name, arg);
		if (rc)
			break;
	}
	closedir(d);
	return rc;
}
