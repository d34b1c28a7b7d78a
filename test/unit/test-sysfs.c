// SPDX-License-Identifier: GPL-2.0
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

#include "util/sysfs.h"

static char root[] = "/tmp/cxl-sysfs-test.XXXXXX";

static void put(const char *rel, const char *content, mode_t mode)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	chmod(p, mode);
}

static int setup(void **state)
{
	char p[512];

	if (!mkdtemp(root))
		return -1;
	snprintf(p, sizeof(p), "%s/sys", root);
	mkdir(p, 0755);
	put("/sys/size", "0x40000000\n", 0644);
	put("/sys/block_size_bytes", "8000000\n", 0444);
	put("/sys/ways", "2\n", 0644);
	put("/sys/neg", "-1\n", 0644);
	put("/sys/junk", "12abc\n", 0644);
	put("/sys/empty", "", 0644);
	snprintf(p, sizeof(p), "%s/sys/drivers/kmem", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/drivers", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/drivers/kmem", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/driver", root);
	if (symlink("../../bus/dax/drivers/kmem", p))
		return -1;
	sysfs_set_root(root);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	sysfs_set_root(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void reads(void **state)
{
	char buf[64];
	uint64_t v;
	int i;

	assert_int_equal(sysfs_read("/sys/size", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0x40000000");
	assert_int_equal(sysfs_read_u64("/sys/size", &v), 0);
	assert_true(v == 0x40000000);
	assert_int_equal(sysfs_read_hex("/sys/block_size_bytes", &v), 0);
	assert_true(v == 0x8000000);
	assert_int_equal(sysfs_read_int("/sys/ways", &i), 0);
	assert_int_equal(i, 2);
	assert_int_equal(sysfs_read_int("/sys/neg", &i), 0);
	assert_int_equal(i, -1);
	assert_int_equal(sysfs_read_u64("/sys/neg", &v), -EINVAL);
	assert_int_equal(sysfs_read_u64("/sys/junk", &v), -EINVAL);
	assert_int_equal(sysfs_read_u64("/sys/empty", &v), -EINVAL);
	assert_int_equal(sysfs_read("/sys/missing", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sysfs_read("/sys/size", buf, 0), -EINVAL);
	/* a short buffer truncates rather than overflowing */
	assert_int_equal(sysfs_read("/sys/size", buf, 4), 0);
	assert_string_equal(buf, "0x4");
}

static void writes(void **state)
{
	const struct sysfs_stats *st = sysfs_get_stats();
	unsigned long before = st->writes;
	char buf[64];

	assert_int_equal(sysfs_write("/sys/ways", "4"), 0);
	assert_int_equal(sysfs_read("/sys/ways", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4");
	assert_int_equal(sysfs_write("/sys/nodir/x", "1"), -ENOENT);
	assert_int_equal(st->writes, before + 2);
	/* the errno of a failing store reaches the caller unchanged */
	assert_int_equal(sysfs_write("/sys/drivers", "1"), -EISDIR);
}

/* sysfs_read_lines: every line once, whole, in order */
struct lines {
	int n;
	size_t longest;
	char first[64], last[64];
};

static int one_line(char *line, void *arg)
{
	struct lines *l = arg;

	if (!l->n++)
		snprintf(l->first, sizeof(l->first), "%s", line);
	snprintf(l->last, sizeof(l->last), "%s", line);
	if (strlen(line) > l->longest)
		l->longest = strlen(line);
	return strcmp(line, "stop") ? 0 : -EINTR;
}

static void read_lines(void **state)
{
	struct lines l = { 0 };
	char *big;
	size_t i;
	int n;

	put("/sys/lines", "a\nbb\n\nlast", 0644);
	assert_int_equal(sysfs_read_lines("/sys/lines", one_line, &l), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.first, "a");
	assert_string_equal(l.last, "last");

	memset(&l, 0, sizeof(l));
	assert_int_equal(sysfs_read_lines("/sys/empty", one_line, &l), 0);
	assert_int_equal(l.n, 0);

	memset(&l, 0, sizeof(l));
	put("/sys/lines", "x\nstop\ny\n", 0644);
	assert_int_equal(sysfs_read_lines("/sys/lines", one_line, &l), -EINTR);
	assert_int_equal(l.n, 2);

	/* 3000 lines across many reads, and a line of 9000 bytes */
	big = malloc(3000 * 8 + 10000);
	assert_non_null(big);
	for (i = 0, n = 0; i < 3000; i++)
		n += sprintf(big + n, "l%05zu\n", i);
	memset(big + n, 'z', 9000);
	n += 9000;
	strcpy(big + n, "\nend\n");
	put("/sys/lines", big, 0644);
	free(big);
	memset(&l, 0, sizeof(l));
	assert_int_equal(sysfs_read_lines("/sys/lines", one_line, &l), 0);
	assert_string_equal(l.first, "l00000");
	assert_string_equal(l.last, "end");
	assert_int_equal(l.longest, 9000);
	assert_int_equal(l.n, 3000 + 1 + 1);

	assert_int_equal(sysfs_read_lines("/sys/none", one_line, &l), -ENOENT);
}

static void links(void **state)
{
	char buf[64];

	assert_true(sysfs_exists("/sys/driver"));
	assert_false(sysfs_exists("/sys/nothing"));
	assert_int_equal(sysfs_link_name("/sys/driver", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "kmem");
	assert_int_equal(sysfs_link_name("/sys/driver", buf, 3), -ENAMETOOLONG);
	assert_int_equal(sysfs_link_name("/sys/size", buf, sizeof(buf)),
			 -EINVAL);
}

static void mkdirs(const char *base, const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s%s", base, rel);
	for (s = strchr(p + strlen(base) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

/*
 * Paths below the memory block folder are reached from a descriptor of
 * the folder kept open: blocks that come and go are seen as they are,
 * and another root is another folder.
 */
static void memory_folder(void **state)
{
	char other[] = "/tmp/cxl-sysfs-test2.XXXXXX", buf[64], cmd[600];

	mkdirs(root, "/sys/devices/system/memory/memory5");
	put("/sys/devices/system/memory/memory5/state", "online\n", 0644);
	assert_int_equal(sysfs_read("/sys/devices/system/memory/memory5/state",
				    buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "online");
	assert_int_equal(sysfs_write("/sys/devices/system/memory/memory5/state",
				     "offline"),
			 0);
	assert_int_equal(sysfs_read("/sys/devices/system/memory/memory5/state",
				    buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "offline");
	assert_true(sysfs_exists("/sys/devices/system/memory/memory5"));
	/* a block that appears after the first lookup, and one that goes */
	assert_false(sysfs_exists("/sys/devices/system/memory/memory6/state"));
	mkdirs(root, "/sys/devices/system/memory/memory6");
	put("/sys/devices/system/memory/memory6/state", "online\n", 0644);
	assert_true(sysfs_exists("/sys/devices/system/memory/memory6/state"));
	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s/sys/devices/system/memory/memory5'", root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sysfs_read("/sys/devices/system/memory/memory5/state",
				    buf, sizeof(buf)),
			 -ENOENT);

	/* another root: its own memory folder */
	assert_non_null(mkdtemp(other));
	mkdirs(other, "/sys/devices/system/memory/memory5");
	snprintf(cmd, sizeof(cmd),
		 "echo going >'%s/sys/devices/system/memory/memory5/state'",
		 other);
	assert_int_equal(system(cmd), 0);
	sysfs_set_root(other);
	assert_int_equal(sysfs_read("/sys/devices/system/memory/memory5/state",
				    buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "going");
	assert_false(sysfs_exists("/sys/devices/system/memory/memory6"));
	sysfs_set_root(root);
	assert_true(sysfs_exists("/sys/devices/system/memory/memory6"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", other);
	assert_int_equal(system(cmd), 0);
}

static void link_target(void **state)
{
	char buf[64];

	assert_int_equal(sysfs_link_target("/sys/driver", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "../../bus/dax/drivers/kmem");
	assert_int_equal(sysfs_link_target("/sys/size", buf, sizeof(buf)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads),       cmocka_unit_test(writes),
		cmocka_unit_test(links),       cmocka_unit_test(memory_folder),
		cmocka_unit_test(link_target), cmocka_unit_test(read_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
