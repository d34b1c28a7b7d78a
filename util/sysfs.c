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

/*
 * The memory block folder: a command may read two attributes of each of
 * thousands of blocks. Opened once (O_PATH), a path below it is opened
 * relative to it, so the kernel looks up two components (memoryN, the
 * attribute) instead of six. The folder exists as long as the system runs;
 * the blocks in it come and go, and are looked up every time.
 */
#define HOT_DIR "/sys/devices/system/memory/"

static int hot_fd = -1;
static const char *hot_root;
static bool hot_atexit;

static void hot_close(void)
{
	if (hot_fd >= 0)
		close(hot_fd);
	hot_fd = -1;
}

/*
 * For a command that only reads (a listing): the folders of the last few
 * paths, kept open, so that the next attribute of the same device is
 * looked up from its folder instead of from /sys down through the bus's
 * link (a dozen components). A folder that goes away while it is cached
 * would hide its successor of the same name: never on while writing.
 */
#define DIR_CACHE 8
#define DIR_KEY 200

static struct {
	char key[DIR_KEY];
	int fd;
	unsigned long used;
} dcache[DIR_CACHE];
static bool dcache_on;
static unsigned long dcache_tick;
static const char *dcache_root;

static void dcache_flush(void)
{
	int i;

	for (i = 0; i < DIR_CACHE; i++) {
		if (dcache[i].used && dcache[i].fd >= 0)
			close(dcache[i].fd);
		dcache[i].used = 0;
		dcache[i].fd = -1;
	}
}

void sysfs_cache_dirs(bool on)
{
	dcache_flush();
	dcache_on = on;
}

/* the cached descriptor of @dir (@dlen bytes of a path), or -1 */
static int dcache_fd(const char *dir, size_t dlen)
{
	char p[PATH_MAX];
	int i, lru = 0;

	if (dlen >= DIR_KEY)
		return -1;
	if (dcache_root != root) {
		dcache_flush();
		dcache_root = root;
	}
	for (i = 0; i < DIR_CACHE; i++) {
		if (dcache[i].used && !strncmp(dcache[i].key, dir, dlen) &&
		    !dcache[i].key[dlen]) {
			dcache[i].used = ++dcache_tick;
			return dcache[i].fd;
		}
		if (dcache[i].used < dcache[lru].used)
			lru = i;
	}
	if (snprintf(p, sizeof(p), "%s%.*s", root, (int)dlen, dir) >=
	    (int)sizeof(p))
		return -1;
	if (dcache[lru].used && dcache[lru].fd >= 0)
		close(dcache[lru].fd);
	dcache[lru].used = 0;
	dcache[lru].fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dcache[lru].fd < 0)
		return -1;
	memcpy(dcache[lru].key, dir, dlen);
	dcache[lru].key[dlen] = '\0';
	dcache[lru].used = ++dcache_tick;
	return dcache[lru].fd;
}

/*
 * Where to reach @path from: *@dir and *@name for the *at() calls, the
 * folder's descriptor when @path is below it, else AT_FDCWD and the full
 * path (in @buf).
 */
static int at_path(const char *path, char *buf, size_t len, int *dir,
		   const char **name)
{
	size_t n = sizeof(HOT_DIR) - 1;

	if (!strncmp(path, HOT_DIR, n) && path[n]) {
		if (hot_fd >= 0 && hot_root != root)
			hot_close();
		if (hot_fd < 0 && !full_path(HOT_DIR, buf, len)) {
			hot_fd = open(buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
			hot_root = root;
			if (hot_fd >= 0 && !hot_atexit)
				hot_atexit = !atexit(hot_close);
		}
		if (hot_fd >= 0) {
			*dir = hot_fd;
			*name = path + n;
			return 0;
		}
	}
	if (dcache_on) {
		const char *slash = strrchr(path, '/');
		int fd;

		if (slash && slash != path && slash[1]) {
			fd = dcache_fd(path, (size_t)(slash - path));
			if (fd >= 0) {
				*dir = fd;
				*name = slash + 1;
				return 0;
			}
		}
	}
	*dir = AT_FDCWD;
	*name = buf;
	return full_path(path, buf, len);
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX];
	const char *name;
	int fd, rc, dir;
	ssize_t n;

	if (!len)
		return -EINVAL;
	rc = at_path(path, p, sizeof(p), &dir, &name);
	if (rc)
		return rc;
	stats.reads++;
	fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
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

/*
 * A file of any length (/proc/zoneinfo grows with CPUs and zones), one
 * line at a time, without its newline. Counted as one read.
 */
int sysfs_read_lines(const char *path, int (*fn)(char *line, void *arg),
		     void *arg)
{
	char p[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc;

	rc = full_path(path, p, sizeof(p));
	if (rc)
		return rc;
	stats.reads++;
	f = fopen(p, "re");
	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		rc = fn(line, arg);
		if (rc)
			break;
	}
	if (!rc && ferror(f))
		rc = errno ? -errno : -EIO;
	free(line);
	fclose(f);
	return rc;
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
	int fd, rc;
	ssize_t n;

	/*
	 * By the whole path, never relative to a folder kept open: writes
	 * are few (one per block at most), and a tracer, or the fault and
	 * kill matrices that count them, must see each one as the path it is.
	 */
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
	const char *name;
	struct stat st;
	int dir;

	if (at_path(path, p, sizeof(p), &dir, &name))
		return false;
	stats.stats++;
	return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* the target of the link at @path, NUL-terminated */
static int read_link(const char *path, char *target, size_t len)
{
	char p[PATH_MAX];
	const char *name;
	int rc, dir;
	ssize_t n;

	rc = at_path(path, p, sizeof(p), &dir, &name);
	if (rc)
		return rc;
	stats.links++;
	n = readlinkat(dir, name, target, len - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return 0;
}

int sysfs_link_target(const char *path, char *buf, size_t len)
{
	return read_link(path, buf, len);
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
