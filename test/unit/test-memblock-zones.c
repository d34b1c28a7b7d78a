// SPDX-License-Identifier: GPL-2.0
/*
 * When a listing may take a range's counts from /proc/zoneinfo, and when
 * it must read the blocks: a scratch tree (sysfs_set_root) with a memory
 * folder, a node folder and a zoneinfo, changed case by case. Which way
 * was taken shows in the read count: one for the zones, two per online
 * block for the blocks; the blocks always say the truth here, so every
 * case also checks the counts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "daxctl/lib/memblock.h"
#include "daxctl/lib/zoneinfo.h"
#include "util/sysfs.h"

#define MEM "/sys/devices/system/memory"
#define NODE1 "/sys/devices/system/node/node1"
#define BLOCK (128UL << 20)
#define FIRST 100
#define COUNT 80

static char root[] = "/tmp/cxl-zones-test.XXXXXX";

static void path(char *p, size_t len, const char *rel)
{
	snprintf(p, len, "%s%s", root, rel);
}

static void mkdir_p(const char *rel)
{
	char p[512], cmd[600];

	path(p, sizeof(p), rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *rel, const char *content)
{
	char p[512];
	FILE *f;

	path(p, sizeof(p), rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* block @id, on node @nid (-1: none), "online" in @zone or "offline" */
static void block(unsigned long id, int nid, const char *zone)
{
	char rel[256], link[512], target[512];

	snprintf(rel, sizeof(rel), MEM "/memory%lu", id);
	mkdir_p(rel);
	snprintf(rel, sizeof(rel), MEM "/memory%lu/state", id);
	put(rel, zone ? "online\n" : "offline\n");
	snprintf(rel, sizeof(rel), MEM "/memory%lu/valid_zones", id);
	put(rel, zone ? zone : "Movable Normal\n");
	if (nid < 0)
		return;
	snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%d", nid);
	mkdir_p(rel);
	snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%d/memory%lu",
		 nid, id);
	path(link, sizeof(link), rel);
	snprintf(target, sizeof(target), "../../memory/memory%lu", id);
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
}

/* a zoneinfo with node 0 (boot memory) and node 1's zones, in pages */
static void zoneinfo(unsigned long normal, unsigned long movable)
{
	char buf[2048];
	const unsigned long n0 = 524288;

	snprintf(buf, sizeof(buf),
		 "Node 0, zone      DMA\n  pages free     3840\n"
		 "        spanned  4095\n        present  3998\n"
		 "Node 0, zone   Normal\n  pages free     1\n"
		 "  per-node stats\n      nr_inactive_anon 381\n"
		 "        present  %lu\n        managed  1\n"
		 "  pagesets\n    cpu: 0\n              count:    6964\n"
		 "Node 1, zone      DMA\n  pages free     0\n"
		 "        present  0\n"
		 "Node 1, zone   Normal\n  pages free     0\n"
		 "        spanned  %lu\n        present  %lu\n"
		 "        managed  %lu\n"
		 "Node 1, zone  Movable\n  pages free     0\n"
		 "        present  %lu\n"
		 "Node 1, zone   Device\n        present  0\n",
		 n0, normal, normal, normal, movable);
	put("/proc/zoneinfo", buf);
}

static const unsigned long per_block = BLOCK / 4096;

/*
 * node 1's zones as Linux 6.12 and 7.3 print them: a zone with pages says
 * where its span starts (start_pfn), and its spanned pages run from there
 */
static void zoneinfo_spans(unsigned long normal, unsigned long normal_start,
			   unsigned long normal_span, unsigned long movable,
			   unsigned long movable_start,
			   unsigned long movable_span)
{
	static const char start[] = "  node_unreclaimable:  0\n"
				    "  start_pfn:           %lu\n";
	char buf[2048], n_start[64] = "", m_start[64] = "";

	if (normal)
		snprintf(n_start, sizeof(n_start), start, normal_start);
	if (movable)
		snprintf(m_start, sizeof(m_start), start, movable_start);
	snprintf(buf, sizeof(buf),
		 "Node 0, zone   Normal\n        spanned  524288\n"
		 "        present  524288\n  start_pfn:           4096\n"
		 "Node 1, zone   Normal\n  pages free     0\n"
		 "        spanned  %lu\n        present  %lu\n%s"
		 "Node 1, zone  Movable\n  pages free     0\n"
		 "        spanned  %lu\n        present  %lu\n"
		 "        protection: (0, 0, 0, 0, 0)\n%s"
		 "Node 1, zone   Device\n        spanned  0\n"
		 "        present  0\n",
		 normal_span, normal, n_start, movable_span, movable, m_start);
	put("/proc/zoneinfo", buf);
}

static int setup(void **state)
{
	char buf[64];
	unsigned long i;

	if (!mkdtemp(root) || sysconf(_SC_PAGESIZE) != 4096)
		return -1;
	mkdir_p(MEM);
	mkdir_p("/proc");
	snprintf(buf, sizeof(buf), "%lx\n", BLOCK);
	put(MEM "/block_size_bytes", buf);
	for (i = 0; i < 4; i++)
		block(i, 0, "Normal\n");
	for (i = FIRST; i < FIRST + COUNT; i++)
		block(i, 1, "Movable\n");
	zoneinfo(0, COUNT * per_block);
	sysfs_set_root(root);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	sysfs_set_root(NULL);
	memblock_count_by_zone(false);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static unsigned long summarize(struct block_summary *s)
{
	struct block_range r = { .block_size = BLOCK,
				 .first = FIRST,
				 .count = COUNT };
	unsigned long before = sysfs_get_stats()->reads;

	/* a write in between: no summary is taken from the last one */
	sysfs_write("/sys/devices/system/memory/none", "x");
	assert_int_equal(memblock_summarize(&r, 1, s), 0);
	return sysfs_get_stats()->reads - before;
}

static void expect(const struct block_summary *s, unsigned long online,
		   unsigned long movable, unsigned long normal)
{
	assert_int_equal(s->total, COUNT);
	assert_int_equal(s->present, COUNT);
	assert_int_equal(s->online, online);
	assert_int_equal(s->movable, movable);
	assert_int_equal(s->normal, normal);
	assert_int_equal(s->other, 0);
	assert_int_equal(s->wrong_node, 0);
}

static void by_zone_when_node_is_the_range(void **state)
{
	struct block_summary s;

	memblock_count_by_zone(false);
	assert_int_equal(summarize(&s), 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);
	memblock_count_by_zone(true);
	assert_int_equal(summarize(&s), 1);
	expect(&s, COUNT, COUNT, 0);
}

static void by_zone_partial_and_mixed(void **state)
{
	struct block_summary s;
	char cmd[700];

	/* a block of the range not hot-added: the folder listing says so */
	memblock_count_by_zone(true);
	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s" MEM "/memory%d' '%s" NODE1 "/memory%d'", root,
		 FIRST + 9, root, FIRST + 9);
	assert_int_equal(system(cmd), 0);
	zoneinfo(0, (COUNT - 1) * per_block);
	assert_int_equal(summarize(&s), 1);
	assert_int_equal(s.present, COUNT - 1);
	assert_int_equal(s.online, COUNT - 1);
	block(FIRST + 9, 1, "Movable\n");
	zoneinfo(0, COUNT * per_block);

	memblock_count_by_zone(true);
	block(FIRST + 3, 1, NULL);
	block(FIRST + 4, 1, NULL);
	block(FIRST + 7, 1, "Normal\n");
	zoneinfo(per_block, (COUNT - 3) * per_block);
	assert_int_equal(summarize(&s), 1);
	expect(&s, COUNT - 2, COUNT - 3, 1);
	memblock_count_by_zone(false);
	assert_int_equal(summarize(&s), 2 * (COUNT - 2) + 2);
	expect(&s, COUNT - 2, COUNT - 3, 1);
	block(FIRST + 3, 1, "Movable\n");
	block(FIRST + 4, 1, "Movable\n");
	block(FIRST + 7, 1, "Movable\n");
	zoneinfo(0, COUNT * per_block);
}

/*
 * Each case leaves the blocks right and the zones wrong: read the blocks
 * (after the zoneinfo, when the folders let it be tried: one read more).
 */
static void by_blocks_when_zones_cannot_stand(void **state)
{
	struct block_summary s;

	memblock_count_by_zone(true);

	/* a page short of whole blocks (a partly accounted block) */
	zoneinfo(0, COUNT * per_block - 1);
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);

	/* more online than present */
	zoneinfo(0, (COUNT + 1) * per_block);
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);

	/* no section of the node */
	put("/proc/zoneinfo", "Node 0, zone   Normal\n        present  8\n");
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);

	/* a present that is not a number */
	put("/proc/zoneinfo", "Node 1, zone  Movable\n        present  x\n");
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);

	/* no zoneinfo at all */
	{
		char p[512];

		path(p, sizeof(p), "/proc/zoneinfo");
		assert_int_equal(unlink(p), 0);
	}
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);
	zoneinfo(0, COUNT * per_block);

	/*
	 * another block on the node (another region): its pages are in
	 * the zones too. All online in one zone, they stand for each block;
	 * with one of them offline, or in two zones, they cannot.
	 */
	block(FIRST + COUNT, 1, "Movable\n");
	zoneinfo(0, (COUNT + 1) * per_block);
	assert_int_equal(summarize(&s), 1);
	expect(&s, COUNT, COUNT, 0);
	block(FIRST + COUNT, 1, NULL);
	zoneinfo(0, COUNT * per_block);
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);
	block(FIRST + COUNT, 1, "Normal\n");
	zoneinfo(per_block, COUNT * per_block);
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	expect(&s, COUNT, COUNT, 0);
	/* every block of the node offline: none of the range online */
	{
		unsigned long i;

		for (i = FIRST; i <= FIRST + COUNT; i++)
			block(i, 1, NULL);
		zoneinfo(0, 0);
		assert_int_equal(summarize(&s), 1);
		expect(&s, 0, 0, 0);
		for (i = FIRST; i < FIRST + COUNT; i++)
			block(i, 1, "Movable\n");
	}
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd),
			 "rm -rf '%s" MEM "/memory%d' '%s" NODE1 "/memory%d'",
			 root, FIRST + COUNT, root, FIRST + COUNT);
		assert_int_equal(system(cmd), 0);
	}
	zoneinfo(0, COUNT * per_block);

	/* a block of the range on another node */
	block(FIRST + 5, 2, "Movable\n");
	{
		char p[512];

		path(p, sizeof(p), NODE1 "/memory105");
		assert_int_equal(unlink(p), 0);
	}
	/* the zones first (their span), then each block */
	zoneinfo(0, (COUNT - 1) * per_block);
	assert_int_equal(summarize(&s), 1 + 2 * COUNT);
	assert_int_equal(s.online, COUNT);
	assert_int_equal(s.wrong_node, 1);
	{
		char p[512];

		path(p, sizeof(p), "/sys/devices/system/node/node2/memory105");
		assert_int_equal(unlink(p), 0);
	}
	block(FIRST + 5, 1, "Movable\n");
	zoneinfo(0, COUNT * per_block);
	assert_int_equal(summarize(&s), 1);
	expect(&s, COUNT, COUNT, 0);
}

/* a range of 63 of the node's 80 blocks: the others are in its zones */
static void part_of_the_node(void **state)
{
	struct block_range r = { .block_size = BLOCK,
				 .first = FIRST,
				 .count = 63 };
	struct block_summary s;
	unsigned long before;

	memblock_count_by_zone(true);
	/* all 80 online in Movable: so are the 63 */
	sysfs_write("/sys/devices/system/memory/none", "x");
	before = sysfs_get_stats()->reads;
	assert_int_equal(memblock_summarize(&r, 1, &s), 0);
	assert_int_equal(sysfs_get_stats()->reads - before, 1);
	assert_int_equal(s.online, 63);
	assert_int_equal(s.movable, 63);

	/* one of the other 17 offline: which one, the zones cannot say */
	block(FIRST + 70, 1, NULL);
	zoneinfo(0, (COUNT - 1) * per_block);
	sysfs_write("/sys/devices/system/memory/none", "x");
	before = sysfs_get_stats()->reads;
	assert_int_equal(memblock_summarize(&r, 1, &s), 0);
	assert_int_equal(sysfs_get_stats()->reads - before, 1 + 2 * 63);
	assert_int_equal(s.online, 63);
	assert_int_equal(s.movable, 63);
	block(FIRST + 70, 1, "Movable\n");
	zoneinfo(0, COUNT * per_block);
}

/* the node's listing, in folder scans, of one summary */
static unsigned long scans_of(struct block_summary *s)
{
	unsigned long before = sysfs_get_stats()->scans;

	summarize(s);
	return sysfs_get_stats()->scans - before;
}

/*
 * Every online page of the node inside the range (its zones' spans), as
 * many as the range holds: the zones stand for the blocks without the
 * node's folder. A span out of the range, or pages short of the range,
 * need the folder (and then, perhaps, the blocks).
 */
static void by_span_without_the_node_folder(void **state)
{
	const unsigned long first = FIRST * per_block, all = COUNT * per_block;
	struct block_summary s;

	memblock_count_by_zone(true);
	zoneinfo_spans(0, 0, 0, all, first, all);
	assert_int_equal(scans_of(&s), 0);
	expect(&s, COUNT, COUNT, 0);

	/* in two zones, each span inside the range */
	block(FIRST + 7, 1, "Normal\n");
	zoneinfo_spans(per_block, first + 7 * per_block, per_block,
		       all - per_block, first, all);
	assert_int_equal(scans_of(&s), 0);
	expect(&s, COUNT, COUNT - 1, 1);
	block(FIRST + 7, 1, "Movable\n");

	/* a zone reaching past the range: an online block of another range */
	block(FIRST + COUNT, 1, "Movable\n");
	zoneinfo_spans(0, 0, 0, all, first, all + per_block);
	assert_true(scans_of(&s) > 0);
	expect(&s, COUNT, COUNT, 0);
	/* ... or before it */
	zoneinfo_spans(0, 0, 0, all, first - per_block, all + per_block);
	assert_true(scans_of(&s) > 0);
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd),
			 "rm -rf '%s" MEM "/memory%d' '%s" NODE1 "/memory%d'",
			 root, FIRST + COUNT, root, FIRST + COUNT);
		assert_int_equal(system(cmd), 0);
	}

	/* a block offline: the span alone cannot say which */
	block(FIRST + 3, 1, NULL);
	zoneinfo_spans(0, 0, 0, all - per_block, first, all);
	assert_true(scans_of(&s) > 0);
	expect(&s, COUNT - 1, COUNT - 1, 0);
	block(FIRST + 3, 1, "Movable\n");

	/* a zone with pages and no start_pfn: no span to go by */
	zoneinfo(0, all);
	assert_true(scans_of(&s) > 0);
	expect(&s, COUNT, COUNT, 0);
}

static void zoneinfo_parse(void **state)
{
	struct node_zones z;

	zoneinfo(3 * per_block, 5 * per_block);
	/* read again only after a write */
	sysfs_write("/sys/devices/system/memory/none", "x");
	assert_int_equal(zoneinfo_read_node(1, &z), 0);
	assert_true(z.normal == 3 * per_block);
	assert_true(z.movable == 5 * per_block);
	assert_true(z.other == 0);
	assert_int_equal(zoneinfo_read_node(0, &z), 0);
	assert_true(z.normal == 524288);
	assert_true(z.other == 3998);
	assert_int_equal(zoneinfo_read_node(7, &z), -ENOENT);
	assert_int_equal(zoneinfo_read_node(-1, &z), -EINVAL);
	zoneinfo(0, 0);
	assert_int_equal(zoneinfo_read_node(1, &z), 0);
	assert_true(z.movable == 5 * per_block);
	sysfs_write("/sys/devices/system/memory/none", "x");
	assert_int_equal(zoneinfo_read_node(1, &z), 0);
	assert_true(z.movable == 0);
	zoneinfo(0, COUNT * per_block);

	/* spans: from the lowest start to the highest end of zones with pages */
	zoneinfo_spans(2, 500, 10, 7, 100, 50);
	sysfs_write("/sys/devices/system/memory/none", "x");
	assert_int_equal(zoneinfo_read_node(1, &z), 0);
	assert_true(z.spans);
	assert_true(z.span_start == 100 && z.span_end == 510);
	assert_int_equal(zoneinfo_read_node(0, &z), 0);
	assert_true(z.spans && z.span_start == 4096);
	zoneinfo(0, COUNT * per_block);
	sysfs_write("/sys/devices/system/memory/none", "x");
	assert_int_equal(zoneinfo_read_node(1, &z), 0);
	assert_false(z.spans);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_zone_when_node_is_the_range),
		cmocka_unit_test(by_zone_partial_and_mixed),
		cmocka_unit_test(by_blocks_when_zones_cannot_stand),
		cmocka_unit_test(part_of_the_node),
		cmocka_unit_test(by_span_without_the_node_folder),
		cmocka_unit_test(zoneinfo_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
