// SPDX-License-Identifier: GPL-2.0
/* The simulated sysfs tree and its path index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>

#include "tree.h"

static struct node *root;
static struct node **table;
static unsigned long nr_buckets;
static unsigned long nr_nodes;

static unsigned long hash_path(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return (unsigned long)(h ^ (h >> 29));
}

static int table_resize(unsigned long size)
{
	struct node **nt = calloc(size, sizeof(*nt));
	unsigned long i;

	if (!nt)
		return -1;
	for (i = 0; i < nr_buckets; i++) {
		struct node *n = table[i], *next;

		for (; n; n = next) {
			unsigned long b = hash_path(n->path) & (size - 1);

			next = n->hnext;
			n->hnext = nt[b];
			nt[b] = n;
		}
	}
	free(table);
	table = nt;
	nr_buckets = size;
	return 0;
}

static void table_add(struct node *n)
{
	unsigned long b;

	if (nr_nodes + 1 > nr_buckets)
		table_resize(nr_buckets * 2);
	b = hash_path(n->path) & (nr_buckets - 1);
	n->hnext = table[b];
	table[b] = n;
	nr_nodes++;
}

static void table_del(struct node *n)
{
	unsigned long b = hash_path(n->path) & (nr_buckets - 1);
	struct node **pp;

	for (pp = &table[b]; *pp; pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			nr_nodes--;
			return;
		}
	}
}

struct node *tree_lookup(const char *path)
{
	unsigned long b = hash_path(path) & (nr_buckets - 1);
	struct node *n;

	for (n = table[b]; n; n = n->hnext)
		if (strcmp(n->path, path) == 0)
			return n;
	return NULL;
}

static char *join(const struct node *parent, const char *name)
{
	size_t plen = strlen(parent->path), nlen = strlen(name);
	char *p = malloc(plen + nlen + 2);

	if (!p)
		abort();
	if (parent == root) {
		p[0] = '/';
		memcpy(p + 1, name, nlen + 1);
	} else {
		memcpy(p, parent->path, plen);
		p[plen] = '/';
		memcpy(p + plen + 1, name, nlen + 1);
	}
	return p;
}

struct node *tree_child(struct node *dir, const char *name)
{
	char *path;
	struct node *n;

	if (!dir || dir->kind != NODE_DIR)
		return NULL;
	path = join(dir, name);
	n = tree_lookup(path);
	free(path);
	return n;
}

/*
 * kernfs keeps a directory's entries ordered by a hash of the name, and
 * readdir returns them in that order; so do we, so that tools see the
 * same (unsorted) order as on a real kernel.
 */
static unsigned int kernfs_order(const char *name)
{
	uint64_t h = 0;

	for (; *name; name++) {
		uint64_t c = (unsigned char)*name;

		h = (h + (c << 4) + (c >> 4)) * 11;
	}
	h = (h * 0x61c8864680b583ebULL) >> 32;
	h &= 0x7fffffffU;
	if (h < 2)
		h += 2;
	if (h >= 0x7fffffffU)
		h = 0x7fffffffU - 1;
	return (unsigned int)h;
}

static bool order_before(const struct node *a, const struct node *b)
{
	if (a->order != b->order)
		return a->order < b->order;
	return strcmp(a->name, b->name) < 0;
}

/* append; the directory is put in kernfs order when it is listed */
static void link_child(struct node *parent, struct node *n)
{
	n->prev = parent->last;
	n->next = NULL;
	if (parent->last) {
		if (!order_before(parent->last, n))
			parent->unsorted = true;
		parent->last->next = n;
	} else {
		parent->first = n;
	}
	parent->last = n;
}

static struct node *merge(struct node *a, struct node *b)
{
	struct node head, *t = &head;

	while (a && b) {
		if (order_before(b, a)) {
			t->next = b;
			b = b->next;
		} else {
			t->next = a;
			a = a->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

/* bottom-up merge sort of the singly linked view, O(n log n) */
static struct node *sort_list(struct node *list)
{
	struct node *bins[64] = { NULL }, *n;
	int i;

	while (list) {
		n = list;
		list = list->next;
		n->next = NULL;
		for (i = 0; i < 64 && bins[i]; i++) {
			n = merge(bins[i], n);
			bins[i] = NULL;
		}
		if (i == 64)
			i = 63;
		bins[i] = n;
	}
	for (i = 0, n = NULL; i < 64; i++)
		if (bins[i])
			n = n ? merge(bins[i], n) : bins[i];
	return n;
}

void tree_sort(struct node *dir)
{
	struct node *n, *prev = NULL;

	if (!dir->unsorted)
		return;
	dir->first = sort_list(dir->first);
	for (n = dir->first; n; prev = n, n = n->next)
		n->prev = prev;
	dir->last = prev;
	dir->unsorted = false;
}

static struct node *node_new(struct node *parent, const char *name,
			     enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->kind = kind;
	n->name = strdup(name);
	if (!n->name)
		abort();
	n->order = kernfs_order(name);
	if (parent) {
		n->path = join(parent, name);
		n->parent = parent;
		link_child(parent, n);
		n->flags = parent->flags & NODE_CTL;
	} else {
		n->path = strdup("/");
	}
	table_add(n);
	return n;
}

int tree_init(void)
{
	nr_buckets = 1024;
	table = calloc(nr_buckets, sizeof(*table));
	if (!table)
		return -1;
	root = node_new(NULL, "", NODE_DIR);
	return 0;
}

struct node *tree_root(void)
{
	return root;
}

unsigned long tree_count(void)
{
	return nr_nodes;
}

/* get or create a directory */
struct node *tree_dir(struct node *parent, const char *name)
{
	struct node *n = tree_child(parent, name);

	if (n)
		return n->kind == NODE_DIR ? n : NULL;
	return node_new(parent, name, NODE_DIR);
}

struct node *tree_mkdir_p(const char *path)
{
	char *copy = strdup(path), *save = NULL, *tok;
	struct node *n = root;

	if (!copy)
		abort();
	for (tok = strtok_r(copy, "/", &save); tok && n;
	     tok = strtok_r(NULL, "/", &save))
		n = tree_dir(n, tok);
	free(copy);
	return n;
}

struct node *tree_attr(struct node *parent, const char *name,
		       const struct attr_ops *ops, void *obj, long arg)
{
	struct node *n;

	tree_remove_child(parent, name);
	n = node_new(parent, name, NODE_ATTR);
	n->ops = ops;
	n->obj = obj;
	n->arg = arg;
	return n;
}

struct node *tree_link(struct node *parent, const char *name,
		       const char *target)
{
	struct node *n;

	tree_remove_child(parent, name);
	n = node_new(parent, name, NODE_LINK);
	n->target = strdup(target);
	if (!n->target)
		abort();
	return n;
}

static void node_free(struct node *n)
{
	struct node *c, *next;

	for (c = n->first; c; c = next) {
		next = c->next;
		node_free(c);
	}
	table_del(n);
	free(n->name);
	free(n->path);
	free(n->target);
	free(n->alias);
	free(n);
}

void tree_remove(struct node *n)
{
	struct node *p;

	if (!n || n == root)
		return;
	p = n->parent;
	if (n->prev)
		n->prev->next = n->next;
	else
		p->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		p->last = n->prev;
	node_free(n);
}

void tree_remove_child(struct node *dir, const char *name)
{
	tree_remove(tree_child(dir, name));
}

void tree_exit(void)
{
	struct node *c, *next;

	if (!root)
		return;
	for (c = root->first; c; c = next) {
		next = c->next;
		node_free(c);
	}
	table_del(root);
	free(root->name);
	free(root->path);
	free(root);
	root = NULL;
	free(table);
	table = NULL;
	nr_buckets = 0;
}

bool tree_under(const struct node *n, const struct node *dir)
{
	for (; n; n = n->parent)
		if (n == dir)
			return true;
	return false;
}

/* the symlink's target, relative to the directory holding the link */
char *tree_readlink(const struct node *link)
{
	const char *from = link->parent->path, *to = link->target;
	size_t common = 0, i, ups = 0, len;
	char *out, *p;

	/* longest common prefix ending at a component boundary */
	for (i = 0; from[i] && to[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	if (strcmp(from, "/") == 0)
		common = 0;
	for (i = common; from[i]; i++)
		if (from[i] == '/')
			ups++;
	if (strcmp(from, "/") == 0)
		ups = 0;
	/* room for "." when the target is the link's own directory */
	len = ups * 3 + strlen(to + common) + 2;
	out = malloc(len);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < ups; i++) {
		memcpy(p, "../", 3);
		p += 3;
	}
	strcpy(p, to[common] == '/' ? to + common + 1 : to + common);
	if (!*out)
		strcpy(out, ".");
	else if (out[strlen(out) - 1] == '/')
		out[strlen(out) - 1] = '\0';
	return out;
}
