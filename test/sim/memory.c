// SPDX-License-Identifier: GPL-2.0
/*
 * Memory blocks: /sys/devices/system/memory/{block_size_bytes,
 * auto_online_blocks,memoryN/...}, hot-add/remove of ranges and
 * per-block online/offline with the errnos of drivers/base/memory.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"

static struct mem_block **slots;
static unsigned long nr_slots;
static struct node *memory_dir;
static struct node *bus_memory_devices;
static unsigned long present_cxl;
static struct leak *leaks;

struct busy_range {
	unsigned long first, last;
	struct busy_range *next;
};

static struct busy_range *busy;

u64 mem_block_size(void)
{
	return sim_opts.block_size;
}

unsigned long mem_nr_slots(void)
{
	return nr_slots;
}

struct mem_block *mem_block_get(unsigned long id)
{
	return id < nr_slots ? slots[id] : NULL;
}

unsigned long mem_present_cxl(void)
{
	return present_cxl;
}

const struct leak *mem_leaks(void)
{
	return leaks;
}

/* the system default online type for hot-added memory */
enum mmop mem_default_online_type(void)
{
	return sim_opts.auto_online;
}

static int ensure_slots(unsigned long n)
{
	struct mem_block **s;
	unsigned long size = nr_slots ? nr_slots : 1024;

	if (n <= nr_slots)
		return 0;
	while (size < n)
		size *= 2;
	s = realloc(slots, size * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + nr_slots, 0, (size - nr_slots) * sizeof(*s));
	slots = s;
	nr_slots = size;
	return 0;
}

static int state_show(struct node *n, struct sbuf *sb)
{
	struct mem_block *b = n->obj;

	return sb_printf(sb, "%s\n", b->online ? "online" : "offline");
}

static int state_store(struct node *n, const char *buf)
{
	struct mem_block *b = n->obj;
	enum mmop type = mmop_parse(buf);

	switch (type) {
	case MMOP_ONLINE:
	case MMOP_ONLINE_KERNEL:
	case MMOP_ONLINE_MOVABLE:
		return mem_online(b, type);
	case MMOP_OFFLINE:
		return mem_offline(b);
	default:
		return -EINVAL;
	}
}

static const struct attr_ops state_ops = {
	.show = state_show,
	.store = state_store,
};

static int online_show(struct node *n, struct sbuf *sb)
{
	struct mem_block *b = n->obj;

	return sb_printf(sb, "%d\n", b->online ? 1 : 0);
}

/* device_online()/device_offline(): "already there" is success */
static int online_store(struct node *n, const char *buf)
{
	struct mem_block *b = n->obj;
	bool val;

	if (parse_bool(buf, &val))
		return -EINVAL;
	if (val == b->online)
		return 0;
	return val ? mem_online(b, MMOP_ONLINE) : mem_offline(b);
}

static const struct attr_ops online_ops = {
	.show = online_show,
	.store = online_store,
};

static int phys_index_show(struct node *n, struct sbuf *sb)
{
	struct mem_block *b = n->obj;

	return sb_printf(sb, "%08lx\n", b->id);
}

static const struct attr_ops phys_index_ops = { .show = phys_index_show };

static int const_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", (const char *)n->obj);
}

static const struct attr_ops const_ops = { .show = const_show };

static int valid_zones_show(struct node *n, struct sbuf *sb)
{
	struct mem_block *b = n->obj;
	enum zone def;

	if (b->online)
		return sb_printf(sb, "%s\n", zone_name(b->zone));
	def = zone_for_online(b->nid, b->id, MMOP_ONLINE);
	return sb_printf(
		sb, "%s %s\n", zone_name(def),
		zone_name(def == ZONE_NORMAL ? ZONE_MOVABLE : ZONE_NORMAL));
}

static const struct attr_ops valid_zones_ops = { .show = valid_zones_show };

static int uevent_show(struct node *n, struct sbuf *sb)
{
	return 0;
}

static int uevent_store(struct node *n, const char *buf)
{
	return 0;
}

static const struct attr_ops uevent_ops = {
	.show = uevent_show,
	.store = uevent_store,
};

static struct mem_block *block_create(unsigned long id, int nid, bool boot,
				      const char *owner)
{
	struct mem_block *b;
	char name[32], target[128];

	if (ensure_slots(id + 1))
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->id = id;
	b->nid = nid;
	b->boot = boot;
	b->owner = owner;
	snprintf(name, sizeof(name), "memory%lu", id);
	b->dir = tree_dir(memory_dir, name);
	b->dir->bus = "memory";
	snprintf(target, sizeof(target), "/devices/system/node/node%d/%s", nid,
		 name);
	b->dir->alias = strdup(target);
	tree_attr(b->dir, "online", &online_ops, b, 0);
	tree_attr(b->dir, "phys_device", &const_ops, "0", 0);
	tree_attr(b->dir, "phys_index", &phys_index_ops, b, 0);
	tree_attr(b->dir, "removable", &const_ops, "1", 0);
	tree_attr(b->dir, "state", &state_ops, b, 0);
	tree_link(b->dir, "subsystem", "/bus/memory");
	tree_attr(b->dir, "uevent", &uevent_ops, b, 0);
	tree_attr(b->dir, "valid_zones", &valid_zones_ops, b, 0);
	snprintf(target, sizeof(target), "/devices/system/node/node%d", nid);
	snprintf(name, sizeof(name), "node%d", nid);
	tree_link(b->dir, name, target);
	tree_link(bus_memory_devices, b->dir->name, b->dir->path);
	slots[id] = b;
	numa_block_added(b);
	return b;
}

static void block_destroy(struct mem_block *b)
{
	numa_block_removed(b);
	tree_remove_child(bus_memory_devices, b->dir->name);
	tree_remove(b->dir);
	slots[b->id] = NULL;
	free(b);
}

int mem_online(struct mem_block *b, enum mmop type)
{
	if (b->online)
		return -EINVAL;
	b->zone = zone_for_online(b->nid, b->id, type);
	b->online = true;
	zone_span_online(b);
	return 0;
}

int mem_offline(struct mem_block *b)
{
	if (!b->online)
		return -EINVAL;
	if (b->boot || mem_busy(b->id))
		return -EBUSY;
	zone_span_offline(b);
	b->online = false;
	b->zone = ZONE_NONE;
	return 0;
}

bool mem_range_present(u64 start, u64 size)
{
	unsigned long id, first = start / mem_block_size();
	unsigned long last = (start + size - 1) / mem_block_size();

	for (id = first; id <= last && id < nr_slots; id++)
		if (slots[id])
			return true;
	return false;
}

/* hot-add: blocks appear offline; the caller onlines them */
int mem_add_range(u64 start, u64 size, int nid, const char *owner)
{
	unsigned long id, first = start / mem_block_size();
	unsigned long last = (start + size) / mem_block_size();

	if (mem_range_present(start, size))
		return -EEXIST;
	for (id = first; id < last; id++) {
		if (!block_create(id, nid, false, owner))
			goto err;
		present_cxl++;
		sim_stats.blocks_added++;
		if (present_cxl > sim_stats.peak_present)
			sim_stats.peak_present = present_cxl;
	}
	return 0;
err:
	mem_remove_range(start, (id - first) * mem_block_size());
	return -ENOMEM;
}

void mem_remove_range(u64 start, u64 size)
{
	unsigned long id, first = start / mem_block_size();
	unsigned long last = (start + size) / mem_block_size();

	for (id = first; id < last && id < nr_slots; id++) {
		if (!slots[id] || slots[id]->boot)
			continue;
		block_destroy(slots[id]);
		present_cxl--;
		sim_stats.blocks_removed++;
	}
}

unsigned long mem_range_online(u64 start, u64 size)
{
	unsigned long id, first = start / mem_block_size(), count = 0;
	unsigned long last = (start + size) / mem_block_size();

	for (id = first; id < last && id < nr_slots; id++)
		if (slots[id] && slots[id]->online)
			count++;
	return count;
}

/*
 * Removal failed because blocks are online: the kernel keeps the range
 * (and the blocks) until reboot. Record it.
 */
void mem_leak_range(u64 start, u64 size)
{
	unsigned long id, first = start / mem_block_size();
	unsigned long last = (start + size) / mem_block_size();
	struct leak *l, **pp;

	for (id = first; id < last && id < nr_slots; id++) {
		if (!slots[id])
			continue;
		slots[id]->leaked = true;
		slots[id]->owner = NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return;
	l->start = start;
	l->size = size;
	snprintf(l->reason, sizeof(l->reason), "%s",
		 sim_teardown_reason ? sim_teardown_reason : "unbind");
	for (pp = &leaks; *pp; pp = &(*pp)->next)
		;
	*pp = l;
}

int mem_busy_add(const char *spec)
{
	unsigned long first, last;
	struct busy_range *r;
	int n = 0;

	if (sscanf(spec, "memory%lu%n", &first, &n) != 1)
		return -EINVAL;
	last = first;
	if (spec[n] == '-') {
		int m = 0;

		if (sscanf(spec + n + 1, "%lu%n", &last, &m) != 1)
			if (sscanf(spec + n + 1, "memory%lu%n", &last, &m) != 1)
				return -EINVAL;
		n += m + 1;
	}
	if (spec[n] || last < first)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->first = first;
	r->last = last;
	r->next = busy;
	busy = r;
	return 0;
}

void mem_busy_clear(void)
{
	while (busy) {
		struct busy_range *r = busy;

		busy = r->next;
		free(r);
	}
}

bool mem_busy(unsigned long id)
{
	struct busy_range *r;

	for (r = busy; r; r = r->next)
		if (id >= r->first && id <= r->last)
			return true;
	return false;
}

static void busy_show_rev(struct busy_range *r, struct sbuf *sb)
{
	if (!r)
		return;
	busy_show_rev(r->next, sb);
	if (r->first == r->last)
		sb_printf(sb, "memory%lu\n", r->first);
	else
		sb_printf(sb, "memory%lu-%lu\n", r->first, r->last);
}

void mem_busy_show(struct sbuf *sb)
{
	busy_show_rev(busy, sb);
}

static int block_size_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%llx\n", (unsigned long long)mem_block_size());
}

static const struct attr_ops block_size_ops = { .show = block_size_show };

static int auto_online_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", mmop_name(sim_opts.auto_online));
}

static int auto_online_store(struct node *n, const char *buf)
{
	enum mmop type = mmop_parse(buf);

	if (type == MMOP_INVALID)
		return -EINVAL;
	sim_opts.auto_online = type;
	return 0;
}

static const struct attr_ops auto_online_ops = {
	.show = auto_online_show,
	.store = auto_online_store,
};

int mem_init(void)
{
	unsigned long id, nr_boot = sim_opts.boot_memory / mem_block_size();
	struct node *bus;

	memory_dir = tree_mkdir_p("/devices/system/memory");
	tree_attr(memory_dir, "block_size_bytes", &block_size_ops, NULL, 0);
	tree_attr(memory_dir, "auto_online_blocks", &auto_online_ops, NULL, 0);
	tree_attr(memory_dir, "uevent", &uevent_ops, NULL, 0);
	tree_dir(memory_dir, "power");
	bus = tree_mkdir_p("/bus/memory");
	bus_memory_devices = tree_dir(bus, "devices");
	tree_dir(bus, "drivers");
	tree_attr(bus, "uevent", &uevent_ops, NULL, 0);

	if (numa_init())
		return -ENOMEM;
	for (id = 0; id < nr_boot; id++) {
		struct mem_block *b = block_create(id, 0, true, NULL);

		if (!b)
			return -ENOMEM;
		b->online = true;
		b->zone = ZONE_NORMAL;
		zone_span_online(b);
	}
	return 0;
}

void mem_exit(void)
{
	unsigned long id;

	for (id = 0; id < nr_slots; id++)
		free(slots[id]);
	free(slots);
	slots = NULL;
	nr_slots = 0;
	while (leaks) {
		struct leak *l = leaks;

		leaks = l->next;
		free(l);
	}
	mem_busy_clear();
}
