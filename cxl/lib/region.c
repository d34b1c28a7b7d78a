// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/region.h"
#include "util/name.h"
#include "util/sysfs.h"

#define CLAIM_RETRIES 16

static int read_attr(const char *dev, const char *attr, char *buf, size_t len)
{
	char p[PATH_MAX];
	int rc = cxlbus_dev_path(p, sizeof(p), dev, attr);

	return rc ? rc : sysfs_read(p, buf, len);
}

static int read_u64(const char *dev, const char *attr, uint64_t *v)
{
	char p[PATH_MAX];
	int rc = cxlbus_dev_path(p, sizeof(p), dev, attr);

	return rc ? rc : sysfs_read_u64(p, v);
}

bool region_exists(const char *region)
{
	char p[PATH_MAX];

	if (!name_parse(OBJ_REGION, region, NULL))
		return false;
	if (cxlbus_dev_path(p, sizeof(p), region, NULL))
		return false;
	return sysfs_exists(p);
}

int cxlbus_dev_driver(const char *dev, char *buf, size_t len)
{
	char p[PATH_MAX];
	int rc = cxlbus_dev_path(p, sizeof(p), dev, "driver");

	if (rc)
		return rc;
	rc = sysfs_link_name(p, buf, len);
	if (rc == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return rc;
}

bool cxlbus_driver_exists(const char *driver)
{
	char p[PATH_MAX];

	if (cxlbus_drv_path(p, sizeof(p), driver, NULL))
		return false;
	return sysfs_exists(p);
}

int region_read_stack_info(const char *region, struct region_info *ri)
{
	struct obj_id id;
	char p[PATH_MAX];
	int rc;

	memset(ri, 0, sizeof(*ri));
	if (!name_parse(OBJ_REGION, region, &id))
		return -EINVAL;
	snprintf(ri->name, sizeof(ri->name), "%s", region);
	ri->id = id.a;
	rc = cxlbus_dev_path(p, sizeof(p), region, NULL);
	if (rc)
		return rc;
	rc = sysfs_link_parent_name(p, ri->decoder, sizeof(ri->decoder));
	if (rc)
		return rc;
	rc = read_u64(region, "size", &ri->size);
	if (rc)
		return rc;
	if (read_u64(region, "resource", &ri->resource))
		ri->resource = UINT64_MAX;
	if (read_attr(region, "mode", ri->mode, sizeof(ri->mode)))
		ri->mode[0] = '\0';
	return cxlbus_dev_driver(region, ri->driver, sizeof(ri->driver));
}

int region_read_info(const char *region, struct region_info *ri)
{
	char buf[64];
	uint64_t v;
	unsigned int i;
	int rc;

	rc = region_read_stack_info(region, ri);
	if (rc)
		return rc;
	rc = read_u64(region, "interleave_ways", &v);
	if (rc)
		return rc;
	ri->ways = v > REGION_MAX_WAYS ? 0 : (unsigned int)v;
	rc = read_u64(region, "interleave_granularity", &v);
	if (rc)
		return rc;
	ri->granularity = (unsigned int)v;
	rc = read_u64(region, "commit", &v);
	if (rc)
		return rc;
	ri->committed = v != 0;
	for (i = 0; i < ri->ways; i++) {
		snprintf(buf, sizeof(buf), "target%u", i);
		rc = read_attr(region, buf, ri->targets[i],
			       sizeof(ri->targets[i]));
		if (rc)
			return rc;
	}
	return 0;
}

struct list_ctx {
	char (*names)[NAME_LEN];
	int max, n;
};

static int add_region(const char *name, void *arg)
{
	struct list_ctx *c = arg;

	if (!name_parse(OBJ_REGION, name, NULL))
		return 0;
	if (c->n >= c->max)
		return -E2BIG;
	snprintf(c->names[c->n++], NAME_LEN, "%s", name);
	return 0;
}

static int cmp_region(const void *a, const void *b)
{
	struct obj_id x, y;

	name_parse(OBJ_REGION, a, &x);
	name_parse(OBJ_REGION, b, &y);
	return x.a - y.a;
}

int region_list(char (*names)[NAME_LEN], int max)
{
	struct list_ctx c = { .names = names, .max = max };
	int rc = sysfs_scan(CXL_BUS_DEVICES, add_region, &c);

	if (rc)
		return rc;
	qsort(names, c.n, NAME_LEN, cmp_region);
	return c.n;
}

int decoder_read_mode(const char *decoder, char *buf, size_t len)
{
	return read_attr(decoder, "mode", buf, len);
}

int decoder_read_dpa_size(const char *decoder, uint64_t *size)
{
	return read_u64(decoder, "dpa_size", size);
}

int region_claim_ram(struct txn *t, const char *root, char *name, size_t len)
{
	char create[PATH_MAX], del[PATH_MAX], what[WHAT_LEN];
	int tries, rc;

	rc = cxlbus_dev_path(create, sizeof(create), root, "create_ram_region");
	if (rc)
		return rc;
	rc = cxlbus_dev_path(del, sizeof(del), root, "delete_region");
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s: create ram region", root);
	for (tries = 0; tries < CLAIM_RETRIES; tries++) {
		rc = sysfs_read(create, name, len);
		if (rc)
			return txn_fail(t, what, rc);
		if (!name_parse(OBJ_REGION, name, NULL))
			return txn_fail(t, what, -EPROTO);
		/* the kernel refuses a stale name with EBUSY: someone raced */
		rc = txn_try_write(t, what, create, name, del, name);
		if (rc != -EBUSY)
			break;
	}
	if (rc < 0)
		return txn_fail(t, what, rc);
	return 0;
}

static int write_attr(struct txn *t, const char *dev, const char *attr,
		      const char *value, const char *undo_value,
		      const char *what)
{
	char p[PATH_MAX];
	int rc = cxlbus_dev_path(p, sizeof(p), dev, attr);

	if (rc)
		return txn_fail(t, what, rc);
	rc = txn_write(t, what, p, value, undo_value ? p : NULL, undo_value);
	return rc;
}

int region_set_geometry(struct txn *t, const char *region,
			unsigned int granularity, unsigned int ways,
			uint64_t size)
{
	char val[32], what[WHAT_LEN];
	int rc;

	snprintf(val, sizeof(val), "%u", granularity);
	snprintf(what, sizeof(what), "%s: set interleave_granularity", region);
	rc = write_attr(t, region, "interleave_granularity", val, NULL, what);
	if (rc)
		return rc;
	snprintf(val, sizeof(val), "%u", ways);
	snprintf(what, sizeof(what), "%s: set interleave_ways", region);
	rc = write_attr(t, region, "interleave_ways", val, NULL, what);
	if (rc)
		return rc;
	snprintf(val, sizeof(val), "%#" PRIx64, size);
	snprintf(what, sizeof(what), "%s: set size", region);
	/* no undo: delete_region, the first step pushed, frees the HPA */
	return write_attr(t, region, "size", val, NULL, what);
}

int region_attach(struct txn *t, const char *region, const char *root,
		  int position, const char *ep, uint64_t dpa_size)
{
	char mode[16], val[32], attr[32], what[WHAT_LEN];
	int rc;

	rc = decoder_read_mode(ep, mode, sizeof(mode));
	if (rc) {
		snprintf(what, sizeof(what), "%s: read mode", ep);
		return txn_fail(t, what, rc);
	}
	if (strcmp(mode, "ram")) {
		/*
		 * The kernel accepts only "ram" and "pmem" here, so a
		 * decoder that started as "none" stays "ram" after a
		 * rollback; with no DPA it means nothing.
		 */
		snprintf(what, sizeof(what), "%s: set mode ram", ep);
		rc = write_attr(t, ep, "mode", "ram",
				strcmp(mode, "pmem") ? NULL : "pmem", what);
		if (rc)
			return rc;
	}
	snprintf(val, sizeof(val), "%#" PRIx64, dpa_size);
	snprintf(what, sizeof(what), "%s: set dpa_size", ep);
	rc = write_attr(t, ep, "dpa_size", val, "0", what);
	if (rc)
		return rc;
	snprintf(attr, sizeof(attr), "target%d", position);
	snprintf(what, sizeof(what), "%s: set %s to %s", region, attr, ep);
	/* an empty store ("\n") clears a position */
	return write_attr(t, region, attr, ep, "\n", what);
}

int region_commit(struct txn *t, const char *region)
{
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: commit", region);
	return write_attr(t, region, "commit", "1", "0", what);
}

int region_decommit(struct txn *t, const char *region)
{
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: decommit", region);
	return write_attr(t, region, "commit", "0", "1", what);
}

int region_detach_all(struct txn *t, const struct region_info *ri)
{
	char attr[32], what[WHAT_LEN];
	unsigned int i;
	uint64_t dpa;
	int rc;

	for (i = 0; i < ri->ways; i++) {
		const char *ep = ri->targets[i];

		if (!*ep)
			continue;
		snprintf(attr, sizeof(attr), "target%u", i);
		snprintf(what, sizeof(what), "%s: clear %s", ri->name, attr);
		rc = write_attr(t, ri->name, attr, "\n", ep, what);
		if (rc)
			return rc;
		rc = decoder_read_dpa_size(ep, &dpa);
		if (rc) {
			snprintf(what, sizeof(what), "%s: read dpa_size", ep);
			return txn_fail(t, what, rc);
		}
		if (!dpa)
			continue;
		rc = decoder_free_dpa(t, ep, dpa);
		if (rc)
			return rc;
	}
	return 0;
}

int decoder_free_dpa(struct txn *t, const char *ep, uint64_t dpa)
{
	char what[WHAT_LEN], old[32];

	snprintf(old, sizeof(old), "%#" PRIx64, dpa);
	snprintf(what, sizeof(what), "%s: free dpa", ep);
	return write_attr(t, ep, "dpa_size", "0", old, what);
}

int region_delete(struct txn *t, const struct region_info *ri)
{
	char what[WHAT_LEN];

	snprintf(what, sizeof(what), "%s: delete", ri->name);
	return write_attr(t, ri->decoder, "delete_region", ri->name, NULL,
			  what);
}

int cxlbus_bind(struct txn *t, const char *dev, const char *driver)
{
	char bind[PATH_MAX], unbind[PATH_MAX], what[WHAT_LEN];
	int rc;

	snprintf(what, sizeof(what), "%s: bind %s", dev, driver);
	rc = cxlbus_drv_path(bind, sizeof(bind), driver, "bind");
	if (!rc)
		rc = cxlbus_drv_path(unbind, sizeof(unbind), driver, "unbind");
	if (rc)
		return txn_fail(t, what, rc);
	rc = txn_write(t, what, bind, dev, unbind, dev);
	return rc;
}

int cxlbus_unbind(struct txn *t, const char *dev)
{
	char drv[NAME_LEN], bind[PATH_MAX], unbind[PATH_MAX], what[WHAT_LEN];
	int rc;

	rc = cxlbus_dev_driver(dev, drv, sizeof(drv));
	if (rc || !*drv)
		return rc;
	snprintf(what, sizeof(what), "%s: unbind %s", dev, drv);
	rc = cxlbus_drv_path(bind, sizeof(bind), drv, "bind");
	if (!rc)
		rc = cxlbus_drv_path(unbind, sizeof(unbind), drv, "unbind");
	if (rc)
		return txn_fail(t, what, rc);
	rc = txn_write(t, what, unbind, dev, bind, dev);
	return rc;
}
