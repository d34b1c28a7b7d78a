// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: create_{ram,pmem}_region/delete_region on root decoders and
 * the region attributes (interleave, size/HPA, uuid, targetN, commit),
 * with the errnos of a 6.12 kernel.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "cxl.h"

#define MAX_REGION_IDS 4096

static unsigned char ida[MAX_REGION_IDS];

int region_ida_alloc(void)
{
	int i;

	for (i = 0; i < MAX_REGION_IDS; i++) {
		if (!ida[i]) {
			ida[i] = 1;
			return i;
		}
	}
	return -ENOSPC;
}

void region_ida_free(int id)
{
	if (id >= 0 && id < MAX_REGION_IDS)
		ida[id] = 0;
}

struct cxl_region *region_find(const char *name)
{
	struct sim_device *dev = device_find(BUS_CXL, name);

	if (!dev || dev->type != DEV_REGION)
		return NULL;
	return dev->obj;
}

static int commit_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "%d\n", r->committed ? 1 : 0);
}

static int commit_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj;
	bool val;

	if (parse_bool(buf, &val))
		return -EINVAL;
	if (val)
		return region_commit(r);
	if (!r->committed)
		return 0;
	/* a locked region's decoders cannot be reset */
	if (r->locked)
		return -EPERM;
	/* a decommit first releases the driver, like the kernel */
	sim_teardown_reason = "region-decommit";
	device_release_driver(&r->dev);
	region_decommit(r);
	return 0;
}

static int locked_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "%d\n", r->locked ? 1 : 0);
}

/* kernel 7.1: read-only, 1 while the region's decoders are locked */
static const struct attr_ops locked_ops = { .show = locked_show };

static const struct attr_ops commit_ops = {
	.show = commit_show,
	.store = commit_store,
};

static int ways_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "%d\n", r->iw);
}

static int ways_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj;
	u64 val;

	if (parse_u64(buf, &val) || val > 16)
		return -EINVAL;
	return region_set_ways(r, (int)val);
}

static const struct attr_ops ways_ops = {
	.show = ways_show,
	.store = ways_store,
};

static int gran_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "%d\n", r->ig);
}

static int gran_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj;
	int val;

	if (parse_int(buf, &val))
		return -EINVAL;
	return region_set_granularity(r, val);
}

static const struct attr_ops gran_ops = {
	.show = gran_show,
	.store = gran_store,
};

static int size_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "0x%llx\n",
			 (unsigned long long)(r->has_res ? r->size : 0));
}

static int size_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj;
	u64 val;

	if (parse_u64(buf, &val))
		return -EINVAL;
	return region_set_size(r, val);
}

static const struct attr_ops size_ops = {
	.show = size_show,
	.store = size_store,
};

static int resource_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "0x%llx\n",
			 (unsigned long long)(r->has_res ? r->start : ~0ULL));
}

static const struct attr_ops resource_ops = { .show = resource_show };

static int mode_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;

	return sb_printf(sb, "%s\n", cxl_mode_name(r->mode));
}

static const struct attr_ops mode_ops = { .show = mode_show };

static void uuid_fmt(const unsigned char *u, char *out)
{
	static const int dash[] = { 4, 6, 8, 10 };
	int i, j = 0, k = 0;

	for (i = 0; i < 16; i++) {
		if (k < 4 && i == dash[k]) {
			out[j++] = '-';
			k++;
		}
		sprintf(out + j, "%02x", u[i]);
		j += 2;
	}
	out[j] = '\0';
}

static int uuid_parse_str(const char *s, unsigned char *u)
{
	int i, j = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -EINVAL;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]))
			return -EINVAL;
		sscanf(s + i, "%2hhx", &u[j++]);
		i += 2;
	}
	return 0;
}

static int uuid_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;
	char buf[40];

	if (r->mode != CXL_MODE_PMEM)
		return sb_puts(sb, "\n");
	uuid_fmt(r->uuid, buf);
	return sb_printf(sb, "%s\n", buf);
}

static int uuid_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj, *o;
	unsigned char u[16];

	if (uuid_parse_str(buf, u))
		return -EINVAL;
	if (memcmp(u, r->uuid, 16) == 0)
		return 0;
	for (o = cxl.regions; o; o = o->next)
		if (o != r && memcmp(o->uuid, u, 16) == 0)
			return -EBUSY;
	if (r->has_res)
		return -EBUSY;
	memcpy(r->uuid, u, 16);
	return 0;
}

static const struct attr_ops uuid_ro_ops = { .show = uuid_show };
static const struct attr_ops uuid_rw_ops = {
	.show = uuid_show,
	.store = uuid_store,
};

static int target_show(struct node *n, struct sbuf *sb)
{
	struct cxl_region *r = n->obj;
	struct cxl_decoder *d = r->targets[n->arg];

	return sb_printf(sb, "%s\n", d ? d->dev.name : "");
}

static int target_store(struct node *n, const char *buf)
{
	struct cxl_region *r = n->obj;
	int pos = (int)n->arg;
	struct sim_device *dev;

	if (!*buf)
		return region_detach(r, pos);
	dev = device_find(BUS_CXL, buf);
	if (!dev)
		return -ENODEV;
	if (dev->type != DEV_DECODER ||
	    ((struct cxl_decoder *)dev->obj)->kind != DEC_ENDPOINT)
		return -EINVAL;
	return region_attach(r, pos, dev->obj);
}

static const struct attr_ops target_ops = {
	.show = target_show,
	.store = target_store,
};

static void region_target_attrs(struct cxl_region *r)
{
	char name[32];
	int i;

	for (i = 0; i < CXL_MAX_WAYS; i++) {
		snprintf(name, sizeof(name), "target%d", i);
		tree_remove_child(r->dev.dir, name);
	}
	for (i = 0; i < r->iw; i++) {
		snprintf(name, sizeof(name), "target%d", i);
		tree_attr(r->dev.dir, name, &target_ops, r, i);
	}
}

static int region_state_idle(struct cxl_region *r)
{
	return !r->has_res && !region_nr_targets(r) && !r->committed;
}

int region_set_ways(struct cxl_region *r, int ways)
{
	int root_iw = r->root->iw;

	if (!is_valid_ways(ways))
		return -EINVAL;
	if (ways % root_iw || !is_pow2(ways / root_iw))
		return -EINVAL;
	if (r->iw == ways)
		return 0;
	if (!region_state_idle(r))
		return -EBUSY;
	r->iw = ways;
	region_target_attrs(r);
	return 0;
}

int region_set_granularity(struct cxl_region *r, int ig)
{
	if (ig < 256 || ig > 16384 || !is_pow2(ig))
		return -EINVAL;
	if (r->root->iw > 1 && ig != r->root->ig)
		return -EINVAL;
	if (r->ig == ig)
		return 0;
	if (!region_state_idle(r))
		return -EBUSY;
	r->ig = ig;
	return 0;
}

/* lowest free, 256M aligned range of the root decoder's window */
static int hpa_alloc(struct cxl_region *r, u64 size, u64 *start)
{
	struct cxl_decoder *root = r->root;
	u64 base = root->start, end = root->start + root->size;
	struct cxl_region *o;
	bool moved = true;

	while (moved) {
		moved = false;
		base = ALIGN_UP(base, SZ_256M);
		for (o = cxl.regions; o; o = o->next) {
			if (o == r || o->root != root || !o->has_res)
				continue;
			if (base < o->start + o->size &&
			    o->start < base + size) {
				base = o->start + o->size;
				moved = true;
			}
		}
	}
	if (base + size > end || base + size < base)
		return -ENOSPC;
	*start = base;
	return 0;
}

int region_set_size(struct cxl_region *r, u64 size)
{
	u64 start;
	int rc;

	if (r->has_res && r->size == size)
		return 0;
	if (!size) {
		if (!r->has_res)
			return 0;
		if (region_nr_targets(r) || r->committed)
			return -EBUSY;
		r->has_res = false;
		r->start = 0;
		r->size = 0;
		return 0;
	}
	if (r->has_res || region_nr_targets(r) || r->committed)
		return -EBUSY;
	if (!r->iw || !r->ig)
		return -ENXIO;
	if (size % (SZ_256M * r->iw))
		return -EINVAL;
	rc = hpa_alloc(r, size, &start);
	if (rc)
		return rc;
	r->start = start;
	r->size = size;
	r->has_res = true;
	return 0;
}

static void region_release(struct sim_device *dev)
{
	free(dev->obj);
}

struct cxl_region *region_create(struct cxl_decoder *root, enum cxl_mode mode,
				 int id)
{
	struct cxl_region *r = calloc(1, sizeof(*r)), **pp;
	struct node *dir;
	char name[32];

	if (!r)
		return NULL;
	r->id = id;
	r->root = root;
	r->mode = mode;
	snprintf(name, sizeof(name), "region%d", id);
	device_init(&r->dev, BUS_CXL, DEV_REGION, name, r);
	r->dev.devtype = "cxl_region";
	r->dev.modalias = "cxl:t6";
	r->dev.release = region_release;
	dir = device_add(&r->dev, root->dev.dir);
	tree_dir(dir, "access0");
	tree_dir(dir, "access1");
	tree_attr(dir, "commit", &commit_ops, r, 0);
	tree_attr(dir, "devtype", &dev_devtype_ops, &r->dev, 0);
	tree_attr(dir, "interleave_granularity", &gran_ops, r, 0);
	tree_attr(dir, "interleave_ways", &ways_ops, r, 0);
	if (sim_opts.region_locked_attr)
		tree_attr(dir, "locked", &locked_ops, r, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &r->dev, 0);
	tree_attr(dir, "mode", &mode_ops, r, 0);
	tree_attr(dir, "resource", &resource_ops, r, 0);
	tree_attr(dir, "size", &size_ops, r, 0);
	tree_attr(dir, "uuid",
		  mode == CXL_MODE_PMEM ? &uuid_rw_ops : &uuid_ro_ops, r, 0);

	for (pp = &cxl.regions; *pp && (*pp)->id < id; pp = &(*pp)->next)
		;
	r->next = *pp;
	*pp = r;
	/* probe fails until the region is committed, as in the kernel */
	device_probe(&r->dev);
	return r;
}

int region_delete(struct cxl_region *r)
{
	struct cxl_region **pp;

	sim_teardown_reason = "region-delete";
	device_release_driver(&r->dev);
	if (r->committed)
		region_decommit(r);
	region_detach_all(r);
	for (pp = &cxl.regions; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	/*
	 * Like the kernel's region release: a root decoder whose cached
	 * next id is above the freed one offers the freed id again and
	 * gives its cached one back, so ids do not creep up.
	 */
	if (r->id < r->root->region_id) {
		region_ida_free(r->root->region_id);
		r->root->region_id = r->id;
	} else {
		region_ida_free(r->id);
	}
	device_del(&r->dev);
	return 0;
}

static int create_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;

	return sb_printf(sb, "region%d\n", d->region_id);
}

static int create_store(struct node *n, const char *buf)
{
	struct cxl_decoder *d = n->obj;
	enum cxl_mode mode = (enum cxl_mode)n->arg;
	int id, next;
	char check[32];

	if (sscanf(buf, "region%d", &id) != 1)
		return -EINVAL;
	snprintf(check, sizeof(check), "region%d", id);
	if (strcmp(check, buf) != 0)
		return -EINVAL;
	if (id != d->region_id)
		return -EBUSY;
	next = region_ida_alloc();
	if (next < 0)
		return next;
	if (!region_create(d, mode, id)) {
		region_ida_free(next);
		return -ENOMEM;
	}
	d->region_id = next;
	return 0;
}

static const struct attr_ops create_ops = {
	.show = create_show,
	.store = create_store,
};

static int delete_store(struct node *n, const char *buf)
{
	struct cxl_decoder *d = n->obj;
	struct cxl_region *r = region_find(buf);

	if (!r || r->root != d)
		return -ENODEV;
	return region_delete(r);
}

static const struct attr_ops delete_ops = { .store = delete_store };

void cxl_root_decoder_region_attrs(struct cxl_decoder *d)
{
	struct node *dir = d->dev.dir;

	if (d->cap_pmem)
		tree_attr(dir, "create_pmem_region", &create_ops, d,
			  CXL_MODE_PMEM);
	if (d->cap_ram)
		tree_attr(dir, "create_ram_region", &create_ops, d,
			  CXL_MODE_RAM);
	tree_attr(dir, "delete_region", &delete_ops, d, 0);
}
