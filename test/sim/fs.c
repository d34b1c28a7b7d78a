// SPDX-License-Identifier: GPL-2.0
/*
 * FUSE operations: serve the tree with sysfs semantics. Every write()
 * is one store (one trailing newline and any trailing NULs stripped);
 * reads are generated at offset 0 and served from that snapshot; open
 * of a write-only attribute for reading (or read-only for writing) is
 * EACCES, as kernfs does; truncate is a no-op. Operation counters skip
 * the simulator's own control files. Work the kernel does after a store
 * returns (the last stage of a kmem probe) happens before the first
 * request that arrives once it is due.
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>

#include "sim.h"
#include "tree.h"
#include "ctl.h"
#include "fs.h"

struct open_file {
	struct sbuf cache;
	bool cached;
};

/* each request first lets the staged work that is due happen */
static struct node *lookup(const char *path)
{
	kmem_probes_run();
	return tree_lookup(path);
}

static bool counted(struct node *n)
{
	return !n || !(n->flags & NODE_CTL);
}

static int sim_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	struct node *n = lookup(path);
	char *target;

	if (counted(n))
		sim_stats.getattrs++;
	if (!n)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_uid = 0;
	st->st_gid = 0;
	switch (n->kind) {
	case NODE_DIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case NODE_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		target = tree_readlink(n);
		st->st_size = target ? (off_t)strlen(target) : 0;
		free(target);
		break;
	default:
		st->st_mode = S_IFREG;
		if (n->ops->show)
			st->st_mode |= 0444;
		if (n->ops->store)
			st->st_mode |= 0200;
		st->st_nlink = 1;
		st->st_size = 4096;
		break;
	}
	return 0;
}

static int sim_readlink(const char *path, char *buf, size_t size)
{
	struct node *n = lookup(path);
	char *target;

	if (counted(n))
		sim_stats.readlinks++;
	if (!n)
		return -ENOENT;
	if (n->kind != NODE_LINK)
		return -EINVAL;
	target = tree_readlink(n);
	if (!target)
		return -ENOMEM;
	snprintf(buf, size, "%s", target);
	free(target);
	return 0;
}

static int sim_opendir(const char *path, struct fuse_file_info *fi)
{
	struct node *n = lookup(path);

	if (counted(n))
		sim_stats.readdirs++;
	if (!n)
		return -ENOENT;
	if (n->kind != NODE_DIR)
		return -ENOTDIR;
	return 0;
}

static int sim_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct node *n = lookup(path), *c;

	if (!n)
		return -ENOENT;
	if (n->kind != NODE_DIR)
		return -ENOTDIR;
	tree_sort(n);
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (c = n->first; c; c = c->next)
		if (filler(buf, c->name, NULL, 0, 0))
			break;
	return 0;
}

static int sim_open(const char *path, struct fuse_file_info *fi)
{
	struct node *n = lookup(path);
	int acc = fi->flags & O_ACCMODE;
	struct open_file *of;

	if (counted(n))
		sim_stats.opens++;
	if (!n)
		return -ENOENT;
	if (n->kind == NODE_DIR)
		return -EISDIR;
	if (n->kind != NODE_ATTR)
		return -ENOENT;
	if ((acc == O_RDONLY || acc == O_RDWR) && !n->ops->show)
		return -EACCES;
	if ((acc == O_WRONLY || acc == O_RDWR) && !n->ops->store)
		return -EACCES;
	of = calloc(1, sizeof(*of));
	if (!of)
		return -ENOMEM;
	sb_init(&of->cache);
	fi->fh = (uintptr_t)of;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int sim_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	struct node *n = lookup(path);
	size_t len;
	int rc;

	if (counted(n))
		sim_stats.reads++;
	if (!of->cached || off == 0) {
		if (!n || n->kind != NODE_ATTR)
			return -ENODEV;
		sb_reset(&of->cache);
		rc = n->ops->show(n, &of->cache);
		if (rc < 0)
			return rc;
		of->cached = true;
	}
	if ((size_t)off >= of->cache.len)
		return 0;
	len = of->cache.len - off;
	if (len > size)
		len = size;
	memcpy(buf, of->cache.buf + off, len);
	return (int)len;
}

static int sim_write(const char *path, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct node *n = lookup(path);
	char *val;
	size_t len;
	int rc;

	if (counted(n))
		sim_stats.writes++;
	if (!n || n->kind != NODE_ATTR)
		return -ENODEV;
	if (counted(n)) {
		rc = fault_check(n);
		if (rc) {
			if (sim_opts.trace)
				fprintf(stderr, "cxl-sim: write /sys%s: %s\n",
					path, errno_name(rc));
			return -rc;
		}
	}
	val = malloc(size + 1);
	if (!val)
		return -ENOMEM;
	memcpy(val, buf, size);
	val[size] = '\0';
	len = strlen(val);
	if (len && val[len - 1] == '\n')
		val[--len] = '\0';
	sim_teardown_reason = NULL;
	rc = n->ops->store(n, val);
	if (sim_opts.trace)
		fprintf(stderr, "cxl-sim: write /sys%s '%s': %s\n", path, val,
			rc ? errno_name(-rc) : "ok");
	free(val);
	return rc < 0 ? rc : (int)size;
}

static int sim_release(const char *path, struct fuse_file_info *fi)
{
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;

	if (of) {
		sb_free(&of->cache);
		free(of);
	}
	return 0;
}

static int sim_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct node *n = lookup(path);

	if (!n)
		return -ENOENT;
	if (n->kind == NODE_DIR)
		return -EISDIR;
	return 0;
}

static int sim_access(const char *path, int mask)
{
	return lookup(path) ? 0 : -ENOENT;
}

static int sim_statfs(const char *path, struct statvfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_bsize = 4096;
	st->f_namemax = 255;
	return 0;
}

static int sim_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EACCES;
}

static int sim_mkdir(const char *path, mode_t mode)
{
	return -EPERM;
}

static int sim_unlink(const char *path)
{
	return -EPERM;
}

static int sim_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return 0;
}

static int sim_chown(const char *path, uid_t uid, gid_t gid,
		     struct fuse_file_info *fi)
{
	return 0;
}

static int sim_utimens(const char *path, const struct timespec tv[2],
		       struct fuse_file_info *fi)
{
	return 0;
}

static void *sim_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* nothing may be cached: sysfs changes under the kernel's feet */
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->ac_attr_timeout_set = 1;
	cfg->ac_attr_timeout = 0;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->auto_cache = 0;
	cfg->use_ino = 0;
	cfg->hard_remove = 1;
	/* deterministic request streams: no readdirplus heuristics */
	conn->want &= ~FUSE_CAP_READDIRPLUS;
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	conn->want &= ~FUSE_CAP_ASYNC_READ;
	return NULL;
}

static const struct fuse_operations sim_ops = {
	.init = sim_init,
	.getattr = sim_getattr,
	.readlink = sim_readlink,
	.opendir = sim_opendir,
	.readdir = sim_readdir,
	.open = sim_open,
	.read = sim_read,
	.write = sim_write,
	.release = sim_release,
	.truncate = sim_truncate,
	.access = sim_access,
	.statfs = sim_statfs,
	.create = sim_create,
	.mkdir = sim_mkdir,
	.unlink = sim_unlink,
	.rmdir = sim_unlink,
	.chmod = sim_chmod,
	.chown = sim_chown,
	.utimens = sim_utimens,
};

const struct fuse_operations *sim_fuse_ops(void)
{
	return &sim_ops;
}
