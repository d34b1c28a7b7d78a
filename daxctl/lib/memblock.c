// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daxctl/lib/memblock.h"
#include "daxctl/lib/zoneinfo.h"
#include "util/narrate.h"
#include "util/progress.h"
#include "util/sysfs.h"

#define MEMORY_DIR "/sys/devices/system/memory"
#define BLOCK_SIZE_ATTR MEMORY_DIR "/block_size_bytes"
#define AUTO_ONLINE_ATTR MEMORY_DIR "/auto_online_blocks"
#define NODE_DIR "/sys/devices/system/node"

static void block_path(char *buf, size_t len, unsigned long id,
		       const char *attr)
{
	snprintf(buf, len, MEMORY_DIR "/memory%lu/%s", id, attr);
}

int memblock_range(uint64_t start, uint64_t size, struct block_range *r)
{
	uint64_t bs, first, end;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = sysfs_read_hex(BLOCK_SIZE_ATTR, &bs);
	if (rc)
		return rc;
	if (!bs || (bs & (bs - 1)) || start + size < start)
		return -EINVAL;
	first = (start + bs - 1) / bs;
	end = (start + size) / bs;
	r->block_size = bs;
	r->first = (unsigned long)first;
	r->count = end > first ? (unsigned long)(end - first) : 0;
	return 0;
}

static enum block_zone parse_zone(const char *zones)
{
	size_t n = strcspn(zones, " ");

	if (n == 7 && !strncmp(zones, "Movable", 7))
		return ZONE_MOVABLE;
	if (n == 6 && !strncmp(zones, "Normal", 6))
		return ZONE_NORMAL;
	return ZONE_OTHER;
}

/* the zone of an online block (ZONE_UNKNOWN if it cannot be read) */
static enum block_zone block_zone(unsigned long id)
{
	char p[PATH_MAX], buf[64];

	block_path(p, sizeof(p), id, "valid_zones");
	return sysfs_read(p, buf, sizeof(buf)) ? ZONE_UNKNOWN : parse_zone(buf);
}

/* 1 online, 0 offline, -ENOENT not present, other -errno */
static int block_state(unsigned long id, enum block_zone *zone)
{
	char p[PATH_MAX], buf[64];
	int rc;

	*zone = ZONE_UNKNOWN;
	block_path(p, sizeof(p), id, "state");
	rc = sysfs_read(p, buf, sizeof(buf));
	if (rc)
		return rc;
	if (strncmp(buf, "online", 6))
		return 0;
	*zone = block_zone(id);
	return 1;
}

/*
 * Which blocks of a range a directory lists as "memoryN" (the memory
 * folder: hot-added; a node's folder: on that node). One listing instead
 * of one lookup per block: a terabyte is 8192 blocks.
 */
struct block_scan {
	const struct block_range *r;
	unsigned char *map; /* bit per block of the range, or NULL */
	unsigned long n;
};

/* the id of a "memoryN" entry, false for any other name */
static bool block_id(const char *name, unsigned long *id)
{
	char *end;

	if (strncmp(name, "memory", 6) || name[6] < '0' || name[6] > '9')
		return false;
	*id = strtoul(name + 6, &end, 10);
	return !*end;
}

static bool in_range(const struct block_range *r, unsigned long id)
{
	return id >= r->first && id - r->first < r->count;
}

static int scan_block(const char *name, void *arg)
{
	struct block_scan *b = arg;
	unsigned long id, off;

	if (!block_id(name, &id) || !in_range(b->r, id))
		return 0;
	off = id - b->r->first;
	if (b->map) {
		if (b->map[off / 8] & (1u << (off % 8)))
			return 0;
		b->map[off / 8] |= (unsigned char)(1u << (off % 8));
	}
	b->n++;
	return 0;
}

static bool in_map(const unsigned char *map, const struct block_range *r,
		   unsigned long id)
{
	unsigned long off = id - r->first;

	return map[off / 8] & (1u << (off % 8));
}

static int scan_blocks(const char *dir, const struct block_range *r,
		       unsigned char *map, unsigned long *n)
{
	struct block_scan b = { .r = r, .map = map };
	int rc = sysfs_scan(dir, scan_block, &b);

	*n = b.n;
	return rc;
}

static unsigned char *block_map(const struct block_range *r)
{
	return calloc(r->count / 8 + 1, 1);
}

unsigned long memblock_count_present(const struct block_range *r)
{
	unsigned long n;

	if (!r->count || scan_blocks(MEMORY_DIR, r, NULL, &n))
		return 0;
	return n;
}

/*
 * The last summary of a range this process read or made, while nothing
 * has been written since: the report after a verification shows what
 * the verification saw, without reading every block again. Any sysfs
 * write (this process's only way to change the blocks) ends it.
 */
static struct {
	bool valid;
	struct block_range r;
	unsigned long writes;
	struct block_summary s; /* without the node check */
} last;

static unsigned long writes_so_far(void)
{
	return sysfs_get_stats()->writes;
}

static void last_put(const struct block_range *r, const struct block_summary *s)
{
	last.valid = true;
	last.r = *r;
	last.writes = writes_so_far();
	last.s = *s;
}

static bool last_get(const struct block_range *r, struct block_summary *s)
{
	if (!last.valid || last.writes != writes_so_far() ||
	    last.r.first != r->first || last.r.count != r->count ||
	    last.r.block_size != r->block_size)
		return false;
	*s = last.s;
	return true;
}

/* the present blocks of the range not on @node, from the node's listing */
static int count_wrong_node(const struct block_range *r, int node,
			    struct block_summary *s)
{
	char dir[64];
	unsigned long on_node;
	int rc;

	s->node = node;
	s->wrong_node = 0;
	if (node < 0 || !s->present)
		return 0;
	snprintf(dir, sizeof(dir), NODE_DIR "/node%d", node);
	rc = scan_blocks(dir, r, NULL, &on_node);
	if (rc == -ENOENT)
		on_node = 0;
	else if (rc)
		return rc;
	/* a node lists only present blocks */
	s->wrong_node = on_node < s->present ? s->present - on_node : 0;
	return 0;
}

static void count_online(struct block_summary *s, enum block_zone zone)
{
	s->online++;
	if (zone == ZONE_MOVABLE)
		s->movable++;
	else if (zone == ZONE_NORMAL)
		s->normal++;
	else
		s->other++;
}

/* each present block's state, and the zone of an online one */
static int summarize_blocks(const struct block_range *r,
			    struct block_summary *s)
{
	unsigned char *map = block_map(r);
	enum block_zone zone;
	unsigned long i, n;
	int rc;

	if (!map)
		return -ENOMEM;
	rc = scan_blocks(MEMORY_DIR, r, map, &n);
	for (i = r->first; !rc && n && i < r->first + r->count; i++) {
		if (!in_map(map, r, i))
			continue;
		progress_update(i - r->first);
		rc = block_state(i, &zone);
		if (rc == -ENOENT) {
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		s->present++;
		if (rc)
			count_online(s, zone);
		rc = 0;
	}
	free(map);
	return rc;
}

/*
 * For a listing: the counts of a node that holds nothing but this range's
 * blocks come from the kernel's per-zone accounting, one read of
 * /proc/zoneinfo for the whole listing instead of two per block (on
 * Linux 6.12 under QEMU, 1 ms against 60-90 ms for 256 blocks).
 */
static bool zone_counts;

void memblock_count_by_zone(bool on)
{
	zone_counts = on;
}

struct node_scan {
	const struct block_range *r;
	unsigned long in, out; /* the node's blocks in and outside the range */
};

static int scan_node_block(const char *name, void *arg)
{
	struct node_scan *ns = arg;
	unsigned long id;

	if (block_id(name, &id)) {
		if (in_range(ns->r, id))
			ns->in++;
		else
			ns->out++;
	}
	return 0;
}

/* pages of a zone as whole blocks, or false when they are not */
static bool zone_blocks(uint64_t pages, uint64_t per_block, unsigned long *n)
{
	if (pages % per_block)
		return false;
	*n = (unsigned long)(pages / per_block);
	return true;
}

/* what the zones say, every present block of the range on @node */
static void zone_summary(struct block_summary *s, int node,
			 unsigned long present, unsigned long online,
			 unsigned long mov, unsigned long nor,
			 unsigned long oth)
{
	s->present = present;
	s->online = online;
	s->movable = mov;
	s->normal = nor;
	s->other = oth;
	s->node = node;
	s->wrong_node = 0;
}

/*
 * The common case without the node's listing: every online page of the
 * node lies in the range (its zones' span) and there are as many as the
 * range's blocks hold. Each block adds at most its own pages, so each one
 * is online, on this node, in the zone that counts it.
 */
static bool summarize_by_span(const struct block_range *r, int node,
			      uint64_t per_block, struct block_summary *s)
{
	unsigned long mov, nor, oth;
	uint64_t first = r->first * per_block;
	struct node_zones z;

	if (!r->count || zoneinfo_read_node(node, &z) || !z.spans ||
	    z.span_start < first ||
	    z.span_end > first + (uint64_t)r->count * per_block ||
	    !zone_blocks(z.movable, per_block, &mov) ||
	    !zone_blocks(z.normal, per_block, &nor) ||
	    !zone_blocks(z.other, per_block, &oth) ||
	    mov + nor + oth != r->count)
		return false;
	zone_summary(s, node, r->count, r->count, mov, nor, oth);
	return true;
}

/*
 * true with @s filled (node check included) when the node's accounting
 * stands for the blocks. It needs every present block of the range on
 * @node and every zone's pages a whole number of blocks. Then, on a node
 * with no other block, the zones count the range's own blocks; on a node
 * shared with other blocks (another region of the same window), they do
 * only when all of the node's blocks are online in one zone, or none is
 * online (each block adds at most a block's pages, so a total of all of
 * them means each one did). Anything else (a mix on a shared node, a
 * partly accounted block) leaves it to the blocks.
 */
static bool summarize_by_zone(const struct block_range *r, int node,
			      struct block_summary *s)
{
	struct node_scan ns = { .r = r };
	unsigned long present, mov, nor, oth, online;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), per_block;
	struct node_zones z;
	char dir[64];

	if (!zone_counts || node < 0 || !page || r->block_size % page)
		return false;
	per_block = r->block_size / page;
	if (summarize_by_span(r, node, per_block, s))
		return true;
	snprintf(dir, sizeof(dir), NODE_DIR "/node%d", node);
	if (sysfs_scan(dir, scan_node_block, &ns) || !ns.in)
		return false;
	/* all of the range on the node: none can be anywhere else */
	present = ns.in;
	if (ns.in < r->count &&
	    (scan_blocks(MEMORY_DIR, r, NULL, &present) || ns.in != present))
		return false;
	if (zoneinfo_read_node(node, &z) ||
	    !zone_blocks(z.movable, per_block, &mov) ||
	    !zone_blocks(z.normal, per_block, &nor) ||
	    !zone_blocks(z.other, per_block, &oth))
		return false;
	online = mov + nor + oth;
	if (online > ns.in + ns.out)
		return false;
	if (ns.out && online) {
		/* shared: all online, all in one zone, or nothing to say */
		if (online != ns.in + ns.out ||
		    (mov != online && nor != online && oth != online))
			return false;
		mov = mov ? present : 0;
		nor = nor ? present : 0;
		oth = oth ? present : 0;
		online = present;
	}
	zone_summary(s, node, present, online, mov, nor, oth);
	return true;
}

int memblock_summarize(const struct block_range *r, int node,
		       struct block_summary *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->total = r->count;
	/* fills @s only when it answers */
	if (summarize_by_zone(r, node, s))
		return 0;
	if (!last_get(r, s)) {
		rc = r->count ? summarize_blocks(r, s) : 0;
		if (rc)
			return rc;
		last_put(r, s);
	}
	return count_wrong_node(r, node, s);
}

void memblock_list_online(const struct block_range *r, char *buf, size_t len)
{
	unsigned long i, start = 0;
	enum block_zone zone;
	size_t used = 0;
	bool in = false;

	buf[0] = '\0';
	for (i = r->first; i <= r->first + r->count; i++) {
		bool on = i < r->first + r->count && block_state(i, &zone) == 1;
		int n = 0;

		if (on && !in)
			start = i;
		if (!on && in && used < len) {
			if (start == i - 1)
				n = snprintf(buf + used, len - used,
					     "%smemory%lu", used ? ", " : "",
					     start);
			else
				n = snprintf(buf + used, len - used,
					     "%smemory%lu-memory%lu",
					     used ? ", " : "", start, i - 1);
		}
		if (n > 0)
			used += (size_t)n;
		in = on;
	}
}

bool memblock_matches(const struct block_summary *s, enum online_type type)
{
	if (!s->total || s->present != s->total || s->wrong_node)
		return false;
	switch (type) {
	case ONLINE_OFFLINE:
		return s->online == 0;
	case ONLINE_ONLINE:
		return s->online == s->total;
	case ONLINE_KERNEL:
		return s->normal == s->total;
	case ONLINE_MOVABLE:
		return s->movable == s->total;
	default:
		return false;
	}
}

const char *memblock_derived_type(const struct block_summary *s)
{
	if (!s->present)
		return "unplugged";
	if (s->present != s->total)
		return "mixed";
	if (!s->online)
		return "offline";
	if (s->movable == s->total)
		return "online_movable";
	if (s->normal == s->total)
		return "online_kernel";
	return "mixed";
}

/*
 * The order the per-block walks visit a range in. What the kernel pays
 * to online or offline one block depends on the blocks around it:
 * measured on Linux 6.12 and 7.3 over 256 blocks (bench/README.md),
 * onlining from the top block down took 30% less time than upwards, and
 * offlining the second block first (the hole it leaves stops the kernel's
 * check of whether the zone is contiguous at once), then upwards, the
 * first block last, 24-29% less. Either order is still one range of
 * blocks to the narration.
 */
static unsigned long online_nth(const struct block_range *r, unsigned long k)
{
	return r->first + r->count - 1 - k;
}

static unsigned long offline_nth(const struct block_range *r, unsigned long k)
{
	return r->first + (r->count > 1 ? (k + 1) % r->count : 0);
}

static bool zone_fits(enum block_zone zone, enum online_type type);

/* undo of one block's state change: skip it when already as wanted */
struct block_undo {
	unsigned long id;
	enum online_type type; /* ONLINE_OFFLINE: take it offline */
	uint64_t block_size; /* for the narration */
};

static int undo_block(void *arg)
{
	struct block_undo *u = arg;
	char p[PATH_MAX];
	enum block_zone zone;
	int rc = block_state(u->id, &zone);

	if (rc == -ENOENT)
		return 0; /* removed with its device: nothing to put back */
	if (rc < 0)
		return rc;
	if (u->type == ONLINE_OFFLINE ? rc == 0 : rc == 1)
		return 0;
	block_path(p, sizeof(p), u->id, "state");
	rc = sysfs_write(p, online_type_name(u->type));
	if (!rc)
		narrate_block("undo", online_type_name(u->type), u->id,
			      u->block_size);
	return rc;
}

/* a walk's progress line and its narration in ranges */
static void walk_begin(const char *owner, const char *action,
		       const struct block_range *r)
{
	char label[160];

	snprintf(label, sizeof(label), "%s: %s", owner, action);
	progress_begin(label, r->count);
}

static int walk_end(int rc)
{
	progress_end();
	narrate_flush();
	return rc;
}

static int write_block(struct txn *t, const char *what, const char *owner,
		       const struct block_range *r, unsigned long id,
		       enum online_type type, enum online_type undo_type,
		       bool quiet)
{
	struct block_undo *u = malloc(sizeof(*u));
	struct txn_undo undo = { .fn = undo_block, .arg = u };
	char p[PATH_MAX];
	int rc;

	if (!u)
		return txn_fail(t, what, -ENOMEM);
	u->id = id;
	u->type = undo_type;
	u->block_size = r->block_size;
	/*
	 * Putting a block back offline is the step that can be refused
	 * (EBUSY): if it is, nothing below this memory may be undone.
	 */
	undo.barrier = undo_type == ONLINE_OFFLINE;
	block_path(p, sizeof(p), id, "state");
	rc = txn_step(t, what, p, online_type_name(type), &undo,
		      TXN_RANGE | (quiet ? TXN_QUIET : 0));
	if (!rc)
		narrate_block(owner, online_type_name(type), id, r->block_size);
	return rc;
}

static bool zone_fits(enum block_zone zone, enum online_type type)
{
	if (type == ONLINE_MOVABLE)
		return zone == ZONE_MOVABLE;
	if (type == ONLINE_KERNEL)
		return zone == ZONE_NORMAL;
	return true;
}

int memblock_online(struct txn *t, const struct block_range *r,
		    enum online_type type, const char *owner)
{
	const char *val = online_type_name(type);
	struct block_summary s;
	char what[WHAT_LEN];
	enum block_zone zone;
	unsigned long i, k;
	int rc;

	if (type == ONLINE_OFFLINE)
		return 0;
	if (txn_dry_run(t)) {
		txn_plan_note(t, MEMORY_DIR "/memory*/state", val, owner);
		return 0;
	}
	/*
	 * What the blocks are afterwards, as the walk sees them: a block
	 * found online is read (state, zone), one this walk onlines is
	 * written and then its zone read. The verification that follows
	 * uses it instead of reading every block again.
	 */
	memset(&s, 0, sizeof(s));
	s.total = r->count;
	walk_begin(owner, val, r);
	for (k = 0; k < r->count; k++) {
		i = online_nth(r, k);
		progress_update(k);
		snprintf(what, sizeof(what), "%s: online memory%lu %s", owner,
			 i, val);
		rc = block_state(i, &zone);
		if (rc < 0)
			return walk_end(txn_fail(t, what, rc));
		if (rc == 1) {
			if (!zone_fits(zone, type))
				return walk_end(txn_fail(t, what, -EBUSY));
		} else {
			rc = write_block(t, what, owner, r, i, type,
					 ONLINE_OFFLINE, false);
			if (rc < 0)
				return walk_end(rc);
			zone = block_zone(i);
		}
		s.present++;
		count_online(&s, zone);
	}
	last_put(r, &s);
	return walk_end(0);
}

static enum online_type zone_online_type(enum block_zone zone)
{
	if (zone == ZONE_MOVABLE)
		return ONLINE_MOVABLE;
	if (zone == ZONE_NORMAL)
		return ONLINE_KERNEL;
	return ONLINE_ONLINE;
}

/* offline the online blocks, but those in the zone @keep asks for */
static int offline_blocks(struct txn *t, const struct block_range *r,
			  enum online_type keep, const char *owner)
{
	char what[WHAT_LEN], refused[512] = "";
	size_t used = 0;
	enum block_zone zone;
	unsigned long i, k, nr_refused = 0;
	int rc, first_err = 0;
	bool busy_normal = true;

	if (txn_dry_run(t)) {
		txn_plan_note(t, MEMORY_DIR "/memory*/state", "offline", owner);
		return 0;
	}
	walk_begin(owner, "offline", r);
	for (k = 0; k < r->count; k++) {
		i = offline_nth(r, k);
		progress_update(k);
		rc = block_state(i, &zone);
		if (rc == -ENOENT || rc == 0)
			continue;
		if (rc > 0 && keep != ONLINE_OFFLINE && zone_fits(zone, keep))
			continue;
		snprintf(what, sizeof(what), "%s: offline memory%lu", owner, i);
		if (rc < 0)
			return walk_end(txn_fail(t, what, rc));
		rc = write_block(t, what, owner, r, i, ONLINE_OFFLINE,
				 zone_online_type(zone), true);
		if (rc >= 0)
			continue;
		/* keep going so every refusing block can be named */
		if (!first_err)
			first_err = rc;
		nr_refused++;
		if (zone != ZONE_NORMAL)
			busy_normal = false;
		if (used < sizeof(refused) - 16) {
			int n = snprintf(refused + used, sizeof(refused) - used,
					 "%smemory%lu", used ? " " : "", i);

			if (n > 0)
				used += (size_t)n;
		}
		if (rc != -EBUSY)
			break;
	}
	walk_end(0);
	if (!first_err)
		return 0;
	/*
	 * EBUSY: the kernel could not migrate what is in the block. In
	 * ZONE_NORMAL that is typically an unmovable kernel allocation
	 * (slab, page tables), which nothing can move: the block stays
	 * online until reboot, or until the kernel frees it.
	 */
	if (first_err == -EBUSY)
		snprintf(
			what, sizeof(what),
			"%s: %lu memory block%s (%s), held by %s, stay%s online until reboot or until those are freed; offline",
			owner, nr_refused, nr_refused == 1 ? "" : "s", refused,
			busy_normal
				? "unmovable kernel allocations (ZONE_NORMAL)"
				: "pages the kernel cannot migrate",
			nr_refused == 1 ? "s" : "");
	else
		snprintf(what, sizeof(what),
			 "%s: offline %lu memory block%s (%s)", owner,
			 nr_refused, nr_refused == 1 ? "" : "s", refused);
	return txn_fail(t, what, first_err);
}

int memblock_offline(struct txn *t, const struct block_range *r,
		     const char *owner)
{
	return offline_blocks(t, r, ONLINE_OFFLINE, owner);
}

int memblock_offline_other(struct txn *t, const struct block_range *r,
			   enum online_type keep, const char *owner)
{
	if (keep != ONLINE_MOVABLE && keep != ONLINE_KERNEL)
		return -EINVAL;
	return offline_blocks(t, r, keep, owner);
}

struct offline_undo {
	struct block_range r;
};

int memblock_offline_online(const struct block_range *r)
{
	enum block_zone zone;
	char p[PATH_MAX];
	unsigned long i, k;
	int rc;

	for (k = 0; k < r->count; k++) {
		i = offline_nth(r, k);
		rc = block_state(i, &zone);
		if (rc == -ENOENT || rc == 0)
			continue;
		if (rc < 0)
			return rc;
		block_path(p, sizeof(p), i, "state");
		rc = sysfs_write(p, "offline");
		if (rc)
			return rc;
	}
	return 0;
}

static int undo_online(void *arg)
{
	struct offline_undo *u = arg;

	return memblock_offline_online(&u->r);
}

int memblock_push_offline_undo(struct txn *t, const struct block_range *r,
			       const char *owner)
{
	struct offline_undo *u;
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: offline memory%lu-memory%lu", owner,
		 r->first, r->first + r->count - 1);
	if (txn_dry_run(t))
		return 0;
	u = malloc(sizeof(*u));
	if (!u)
		return txn_fail(t, what, -ENOMEM);
	u->r = *r;
	return txn_push_undo(t, what,
			     &(struct txn_undo){ .fn = undo_online,
						 .arg = u,
						 .barrier = true });
}

bool memblock_auto_online_is(const char *value)
{
	char cur[32];

	return !sysfs_read(AUTO_ONLINE_ATTR, cur, sizeof(cur)) &&
	       !strcmp(cur, value);
}

int memblock_hold_auto_online(struct txn *t, struct txn_guard *g,
			      const char *value, unsigned int flags)
{
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "hold auto_online_blocks %s", value);
	return txn_guard_begin(t, g, what, AUTO_ONLINE_ATTR, value, flags);
}
