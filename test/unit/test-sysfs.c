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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads),
		cmocka_unit_test(writes),
		cmocka_unit_test(links),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
