/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_SYSFS_H
#define UTIL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The only code in the project that touches sysfs files. Every function
 * returns 0 or a negative errno exactly as the kernel reported it, so a
 * caller can tell EBUSY from ENXIO and name the errno to the user.
 *
 * Paths are absolute ("/sys/..."); sysfs_set_root() lets unit tests point
 * the layer at a scratch directory. Callers build paths only from names
 * that util/name.h has validated.
 */
#define SYSFS_ATTR_MAX 4096

void sysfs_set_root(const char *root);
const char *sysfs_root(void);

int sysfs_read(const char *path, char *buf, size_t len);
int sysfs_read_u64(const char *path, uint64_t *val);
int sysfs_read_hex(const char *path, uint64_t *val);
int sysfs_read_int(const char *path, int *val);
int sysfs_write(const char *path, const char *val);
/* call @fn for each line of @path (no newline); stops on non-zero */
int sysfs_read_lines(const char *path, int (*fn)(char *line, void *arg),
		     void *arg);
bool sysfs_exists(const char *path);
/*
 * Keep the folders of recent paths open (on) or close them (off): only
 * for a command that writes nothing, e.g. a listing.
 */
void sysfs_cache_dirs(bool on);
/* a symlink's target as it is written (relative, not resolved) */
int sysfs_link_target(const char *path, char *buf, size_t len);
/* basename of a symlink target, e.g. the driver a device is bound to */
int sysfs_link_name(const char *path, char *buf, size_t len);

/* name of the directory that holds the link target: a device's parent */
int sysfs_link_parent_name(const char *path, char *buf, size_t len);
/* full target path of a link, resolved (realpath) */
int sysfs_realpath(const char *path, char *buf, size_t len);
/* call @fn for every entry of @dir (no "." or ".."); stops on non-zero */
int sysfs_scan(const char *dir, int (*fn)(const char *name, void *arg),
	       void *arg);

/* counted for benchmarks and for "dry-run writes nothing" assertions */
struct sysfs_stats {
	unsigned long reads, writes, links, stats, scans;
};
const struct sysfs_stats *sysfs_get_stats(void);

#endif /* UTIL_SYSFS_H */
