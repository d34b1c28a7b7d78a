/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_TREE_H
#define CXL_SIM_TREE_H

#include <stdbool.h>
#include "sbuf.h"

/*
 * The simulated /sys is a tree of directories, attribute files and
 * symlinks. Paths are relative to the mount point ("/bus/cxl"); every
 * node is also indexed by its full path in a hash table so that a FUSE
 * request is resolved in O(1) whatever the size of the tree.
 */
enum node_kind {
	NODE_DIR,
	NODE_ATTR,
	NODE_LINK,
};

struct node;

struct attr_ops {
	/* print the value; return 0 or -errno */
	int (*show)(struct node *n, struct sbuf *sb);
	/* parse one write (trailing newline/NULs stripped); 0 or -errno */
	int (*store)(struct node *n, const char *buf);
};

/* control file of the simulator itself: not counted, never faulted */
#define NODE_CTL 0x1

struct node {
	char *name;
	char *path;
	enum node_kind kind;
	unsigned int flags;
	unsigned int order;
	bool unsorted;
	struct node *parent;
	struct node *first, *last, *next, *prev;
	struct node *hnext;
	/* NODE_ATTR */
	const struct attr_ops *ops;
	void *obj;
	long arg;
	/* NODE_LINK: absolute target path (relative to the mount) */
	char *target;
	/* device directories: the short forms fault rules also match */
	const char *bus;
	char *alias;
};

int tree_init(void);
void tree_exit(void);
struct node *tree_root(void);
struct node *tree_lookup(const char *path);
struct node *tree_child(struct node *dir, const char *name);
struct node *tree_dir(struct node *parent, const char *name);
struct node *tree_mkdir_p(const char *path);
struct node *tree_attr(struct node *parent, const char *name,
		       const struct attr_ops *ops, void *obj, long arg);
struct node *tree_link(struct node *parent, const char *name,
		       const char *target);
void tree_remove(struct node *n);
void tree_sort(struct node *dir);
void tree_remove_child(struct node *dir, const char *name);
char *tree_readlink(const struct node *link);
bool tree_under(const struct node *n, const struct node *dir);
unsigned long tree_count(void);

#endif
