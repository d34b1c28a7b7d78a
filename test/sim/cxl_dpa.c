// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoint decoders: mode and DPA allocation. Allocation is in decoder
 * order (the kernel's hdm_end), from the partition of the mode, after the
 * highest allocation in it; frees go in reverse order.
 */
#include <stdio.h>
#include <string.h>

#include "cxl.h"

const char *cxl_mode_name(enum cxl_mode mode)
{
	switch (mode) {
	case CXL_MODE_RAM:
		return "ram";
	case CXL_MODE_PMEM:
		return "pmem";
	default:
		return "none";
	}
}

static void partition(struct cxl_decoder *d, enum cxl_mode mode, u64 *start,
		      u64 *end)
{
	struct cxl_memdev *md = d->port->memdev;

	if (mode == CXL_MODE_RAM) {
		*start = 0;
		*end = md->ram_size;
	} else {
		*start = md->ram_size;
		*end = md->ram_size + md->pmem_size;
	}
}

int cxl_dpa_set_mode(struct cxl_decoder *d, enum cxl_mode mode)
{
	u64 start, end;

	if (mode == CXL_MODE_NONE)
		return -EINVAL;
	if (d->committed || d->region || d->dpa_alloc)
		return -EBUSY;
	partition(d, mode, &start, &end);
	if (end == start)
		return -ENXIO;
	d->mode = mode;
	return 0;
}

int cxl_dpa_alloc(struct cxl_decoder *d, u64 size)
{
	struct cxl_port *ep = d->port;
	u64 start, end, next;
	int i;

	if (d->committed || d->region || d->dpa_alloc)
		return -EBUSY;
	if (d->mode == CXL_MODE_NONE)
		return -EINVAL;
	if (ep->hdm_end + 1 != d->idx)
		return -EBUSY;
	partition(d, d->mode, &start, &end);
	next = start;
	for (i = 0; i < ep->nr_decoders; i++) {
		struct cxl_decoder *o = ep->decoders[i];
		u64 o_end = o->dpa_start + o->dpa_size;

		if (!o->dpa_alloc || o->dpa_start < start ||
		    o->dpa_start >= end)
			continue;
		if (o_end > next)
			next = o_end;
	}
	if (next + size > end)
		return -ENOSPC;
	d->dpa_start = next;
	d->dpa_size = size;
	d->dpa_alloc = true;
	ep->hdm_end = d->idx;
	return 0;
}

int cxl_dpa_free(struct cxl_decoder *d)
{
	if (!d->dpa_alloc)
		return 0;
	if (d->committed || d->region)
		return -EBUSY;
	if (d->idx != d->port->hdm_end)
		return -EBUSY;
	d->dpa_alloc = false;
	d->dpa_start = 0;
	d->dpa_size = 0;
	d->port->hdm_end = d->idx - 1;
	return 0;
}

static int mode_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;

	return sb_printf(sb, "%s\n", cxl_mode_name(d->mode));
}

static int mode_store(struct node *n, const char *buf)
{
	struct cxl_decoder *d = n->obj;

	if (strcmp(buf, "ram") == 0)
		return cxl_dpa_set_mode(d, CXL_MODE_RAM);
	if (strcmp(buf, "pmem") == 0)
		return cxl_dpa_set_mode(d, CXL_MODE_PMEM);
	return -EINVAL;
}

static const struct attr_ops mode_ops = {
	.show = mode_show,
	.store = mode_store,
};

static int dpa_size_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;

	return sb_printf(sb, "0x%016llx\n", (unsigned long long)d->dpa_size);
}

static int dpa_size_store(struct node *n, const char *buf)
{
	struct cxl_decoder *d = n->obj;
	u64 size;

	if (parse_u64(buf, &size))
		return -EINVAL;
	if (size % SZ_256M)
		return -EINVAL;
	if (!size)
		return cxl_dpa_free(d);
	return cxl_dpa_alloc(d, size);
}

static const struct attr_ops dpa_size_ops = {
	.show = dpa_size_show,
	.store = dpa_size_store,
};

static int dpa_resource_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;
	u64 res = d->dpa_alloc ? d->dpa_start : ~0ULL;

	return sb_printf(sb, "0x%llx\n", (unsigned long long)res);
}

static const struct attr_ops dpa_resource_ops = { .show = dpa_resource_show };

static int region_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;

	return sb_printf(sb, "%s\n", d->region ? d->region->dev.name : "");
}

static const struct attr_ops region_ops = { .show = region_show };

static int target_type_show(struct node *n, struct sbuf *sb)
{
	return sb_puts(sb, "expander\n");
}

static const struct attr_ops target_type_ops = { .show = target_type_show };

void cxl_endpoint_decoder_attrs(struct cxl_decoder *d)
{
	struct node *dir = d->dev.dir;

	tree_attr(dir, "dpa_resource", &dpa_resource_ops, d, 0);
	tree_attr(dir, "dpa_size", &dpa_size_ops, d, 0);
	tree_attr(dir, "mode", &mode_ops, d, 0);
	tree_attr(dir, "region", &region_ops, d, 0);
	tree_attr(dir, "target_type", &target_type_ops, d, 0);
}
