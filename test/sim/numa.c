// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA nodes: /sys/devices/system/node/nodeN with memoryM links and
 * meminfo. Node 0 holds the CPUs and boot memory; a CXL node appears
 * when its first block is hot-added and goes away with its last one.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "memory.h"

struct numa_node {
	struct node *dir;
	unsigned long present;
};

static struct numa_node nodes[MAX_NUMNODES];
static struct node *node_root;
static struct node *bus_node_devices;
static int nr_cpus = 1;

bool numa_node_present(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && nodes[nid].dir;
}

static void print_mask(struct sbuf *sb, bool (*pred)(int nid))
{
	int nid, start = -1, first = 1;

	for (nid = 0; nid <= MAX_NUMNODES; nid++) {
		bool in = nid < MAX_NUMNODES && pred(nid);

		if (in && start < 0)
			start = nid;
		if (!in && start >= 0) {
			sb_printf(sb, "%s%d", first ? "" : ",", start);
			if (nid - 1 > start)
				sb_printf(sb, "-%d", nid - 1);
			first = 0;
			start = -1;
		}
	}
	sb_puts(sb, "\n");
}

static bool node_online(int nid)
{
	return numa_node_present(nid);
}

static bool node_has_cpu(int nid)
{
	return nid == 0;
}

static bool node_possible(int nid)
{
	return nid < 16 || numa_node_present(nid);
}

static bool (*const masks[])(int nid) = {
	node_online,
	node_possible,
	node_has_cpu,
};

static int mask_show(struct node *n, struct sbuf *sb)
{
	print_mask(sb, masks[n->arg]);
	return 0;
}

static const struct attr_ops mask_ops = { .show = mask_show };

static unsigned long node_online_kb(int nid, enum zone z)
{
	unsigned long id, n = mem_nr_slots(), count = 0;

	for (id = 0; id < n; id++) {
		struct mem_block *b = mem_block_get(id);

		if (b && b->nid == nid && b->online &&
		    (z == ZONE_NONE || b->zone == z))
			count++;
	}
	return count * (mem_block_size() >> 10);
}

static int meminfo_show(struct node *n, struct sbuf *sb)
{
	int nid = (int)n->arg;
	unsigned long total = node_online_kb(nid, ZONE_NONE);

	sb_printf(sb, "Node %d MemTotal:       %8lu kB\n", nid, total);
	sb_printf(sb, "Node %d MemFree:        %8lu kB\n", nid, total);
	sb_printf(sb, "Node %d MemUsed:        %8lu kB\n", nid, 0UL);
	sb_printf(sb, "Node %d Movable:        %8lu kB\n", nid,
		  node_online_kb(nid, ZONE_MOVABLE));
	return 0;
}

static const struct attr_ops meminfo_ops = { .show = meminfo_show };

/*
 * /proc/zoneinfo as the kernel prints it, reduced to what a reader of
 * zone sizes uses: for every node with memory, a "Node N, zone NAME"
 * section for each zone (x86's DMA, DMA32, Normal, Movable, Device),
 * whose "present" is the pages of the node's online blocks in that zone
 * (the kernel adds a block's pages when it goes online and takes them
 * away when it goes offline; Linux 6.12 and 7.3 print every zone of a
 * node, also the empty ones) and whose "spanned" runs from its lowest
 * online block to the end of its highest (a zone shrinks when a block at
 * either end goes offline, not for one between). A zone with pages also
 * says where its span starts, "start_pfn:", near the end of its section.
 * The simulator's boot memory is Normal.
 */
static const char *const zi_zones[] = { "DMA", "DMA32", "Normal", "Movable",
					"Device" };

struct zi_zone {
	unsigned long blocks, lo, hi; /* online blocks, lowest and highest */
};

static int zi_index(const char *zone)
{
	if (!strcmp(zone, "Normal"))
		return ZONE_NORMAL;
	if (!strcmp(zone, "Movable"))
		return ZONE_MOVABLE;
	return -1;
}

int numa_zoneinfo_show(struct sbuf *sb)
{
	static struct zi_zone zz[MAX_NUMNODES][NR_ZONES];
	unsigned long id, n = mem_nr_slots();
	unsigned long per_block = mem_block_size() / 4096;
	size_t z;
	int nid;

	memset(zz, 0, sizeof(zz));
	for (id = 0; id < n; id++) {
		struct mem_block *b = mem_block_get(id);
		struct zi_zone *c;

		if (!b || !b->online || b->nid < 0 || b->nid >= MAX_NUMNODES ||
		    b->zone >= NR_ZONES)
			continue;
		c = &zz[b->nid][b->zone];
		if (!c->blocks++)
			c->lo = id;
		c->hi = id;
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!numa_node_present(nid))
			continue;
		for (z = 0; z < sizeof(zi_zones) / sizeof(zi_zones[0]); z++) {
			int i = zi_index(zi_zones[z]);
			const struct zi_zone *c = i < 0 ? NULL : &zz[nid][i];
			unsigned long pages = c ? c->blocks * per_block : 0;
			unsigned long span =
				pages ? (c->hi - c->lo + 1) * per_block : 0;

			sb_printf(sb, "Node %d, zone %8s\n", nid, zi_zones[z]);
			sb_printf(sb, "  pages free     %lu\n", pages);
			sb_printf(sb, "        min      0\n");
			sb_printf(sb, "        spanned  %lu\n", span);
			sb_printf(sb, "        present  %lu\n", pages);
			sb_printf(sb, "        managed  %lu\n", pages);
			sb_printf(sb, "        protection: (0, 0, 0, 0, 0)\n");
			if (!pages)
				continue;
			sb_printf(sb, "  node_unreclaimable:  0\n");
			sb_printf(sb, "  start_pfn:           %lu\n",
				  c->lo * per_block);
		}
	}
	return 0;
}

static int cpulist_show(struct node *n, struct sbuf *sb)
{
	if (n->arg != 0)
		return sb_puts(sb, "\n");
	if (nr_cpus > 1)
		return sb_printf(sb, "0-%d\n", nr_cpus - 1);
	return sb_puts(sb, "0\n");
}

static const struct attr_ops cpulist_ops = { .show = cpulist_show };

static int cpumap_show(struct node *n, struct sbuf *sb)
{
	unsigned long mask = 0;

	if (n->arg == 0)
		mask = nr_cpus >= 32 ? 0xffffffffUL : (1UL << nr_cpus) - 1;
	return sb_printf(sb, "%08lx\n", mask);
}

static const struct attr_ops cpumap_ops = { .show = cpumap_show };

static int distance_show(struct node *n, struct sbuf *sb)
{
	int nid, me = (int)n->arg, first = 1;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_possible(nid))
			continue;
		sb_printf(sb, "%s%d", first ? "" : " ", nid == me ? 10 : 20);
		first = 0;
	}
	return sb_puts(sb, "\n");
}

static const struct attr_ops distance_ops = { .show = distance_show };

static int empty_show(struct node *n, struct sbuf *sb)
{
	return 0;
}

static const struct attr_ops empty_ops = { .show = empty_show };

static void node_create(int nid)
{
	struct node *d;
	char name[32];

	snprintf(name, sizeof(name), "node%d", nid);
	d = tree_dir(node_root, name);
	d->bus = "node";
	nodes[nid].dir = d;
	tree_attr(d, "cpulist", &cpulist_ops, NULL, nid);
	tree_attr(d, "cpumap", &cpumap_ops, NULL, nid);
	tree_attr(d, "distance", &distance_ops, NULL, nid);
	tree_attr(d, "meminfo", &meminfo_ops, NULL, nid);
	tree_attr(d, "numastat", &empty_ops, NULL, nid);
	tree_attr(d, "vmstat", &empty_ops, NULL, nid);
	tree_attr(d, "uevent", &empty_ops, NULL, nid);
	tree_link(d, "subsystem", "/bus/node");
	tree_link(bus_node_devices, name, d->path);
}

static void node_destroy(int nid)
{
	tree_remove_child(bus_node_devices, nodes[nid].dir->name);
	tree_remove(nodes[nid].dir);
	nodes[nid].dir = NULL;
}

void numa_block_added(struct mem_block *b)
{
	struct numa_node *nn = &nodes[b->nid];

	if (!nn->dir)
		node_create(b->nid);
	nn->present++;
	tree_link(nn->dir, b->dir->name, b->dir->path);
}

void numa_block_removed(struct mem_block *b)
{
	struct numa_node *nn = &nodes[b->nid];

	tree_remove_child(nn->dir, b->dir->name);
	if (--nn->present == 0 && b->nid != 0)
		node_destroy(b->nid);
}

int numa_init(void)
{
	struct node *bus;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus > 0)
		nr_cpus = (int)cpus;
	node_root = tree_mkdir_p("/devices/system/node");
	tree_attr(node_root, "online", &mask_ops, NULL, 0);
	tree_attr(node_root, "possible", &mask_ops, NULL, 1);
	tree_attr(node_root, "has_memory", &mask_ops, NULL, 0);
	tree_attr(node_root, "has_normal_memory", &mask_ops, NULL, 2);
	tree_attr(node_root, "has_cpu", &mask_ops, NULL, 2);
	tree_attr(node_root, "uevent", &empty_ops, NULL, 0);
	bus = tree_mkdir_p("/bus/node");
	bus_node_devices = tree_dir(bus, "devices");
	node_create(0);
	return 0;
}
