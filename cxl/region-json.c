// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "cxl/lib/topology.h"
#include "cxl/region-json.h"
#include "util/json.h"

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *mappings(const struct region_info *ri)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < ri->ways; i++) {
		struct json_object *m;
		char memdev[NAME_LEN];

		if (!ri->targets[i][0])
			continue;
		m = json_object_new_object();
		add(m, "position", json_object_new_int((int)i));
		if (!topo_decoder_memdev(ri->targets[i], memdev,
					 sizeof(memdev)))
			add(m, "memdev", json_object_new_string(memdev));
		add(m, "decoder", json_object_new_string(ri->targets[i]));
		json_object_array_add(arr, m);
	}
	return arr;
}

static struct json_object *
dax_dev_json(const struct dax_dev *d, const struct stack_state *st, bool human)
{
	struct json_object *o = json_object_new_object();
	bool kmem = !strcmp(d->driver, "kmem");
	/* a famfs file system's dax device (kernel 7.3, upstream v85) */
	bool famfs = !strcmp(d->driver, "fsdev_dax");

	add(o, "chardev", json_object_new_string(d->name));
	add(o, "size", json_size(d->size, human));
	if (d->target_node >= 0)
		add(o, "target_node", json_object_new_int(d->target_node));
	if (d->align)
		add(o, "align", json_size(d->align, human));
	add(o, "mode",
	    json_object_new_string(kmem	   ? "system-ram"
				   : famfs ? "famfs"
					   : "devdax"));
	if (kmem) {
		add(o, "online_memblocks",
		    json_object_new_int((int)st->blocks.online));
		add(o, "total_memblocks",
		    json_object_new_int((int)st->blocks.present));
		if (st->blocks.present &&
		    st->blocks.online == st->blocks.present)
			add(o, "movable",
			    json_object_new_boolean(st->blocks.movable ==
						    st->blocks.online));
	}
	if (!d->driver[0])
		add(o, "state", json_object_new_string("disabled"));
	return o;
}

struct json_object *region_json_daxregion(const struct region_info *ri,
					  const struct stack_state *st,
					  unsigned int flags)
{
	bool human = flags & RJ_HUMAN;
	struct json_object *o, *devs;
	int i;

	if (!st->nr_dax)
		return NULL;
	o = json_object_new_object();
	add(o, "id", json_object_new_int(ri->id));
	add(o, "size", json_size(ri->size, human));
	add(o, "align", json_object_new_uint64(st->dax[0].align));
	devs = json_object_new_array();
	for (i = 0; i < st->nr_dax; i++)
		json_object_array_add(devs,
				      dax_dev_json(&st->dax[i], st, human));
	add(o, "devices", devs);
	return o;
}

static struct json_object *sysram_json(const struct stack_state *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *mem = json_object_new_object();
	struct json_object *zones = json_object_new_object();
	int node = -1, i;

	if (st->sysram_dev[0] && st->sysram_driver[0])
		add(o, "device", json_object_new_string(st->sysram_dev));
	add(o, "online_type", json_object_new_string(st->online_type));
	add(o, "method", json_object_new_string(method_name(st->method)));
	if (st->sysram_dev[0] && st->sysram_online_type[0])
		add(o, "region_online_type",
		    json_object_new_string(st->sysram_online_type));
	if (st->dax_state[0])
		add(o, "dax_state", json_object_new_string(st->dax_state));
	add(mem, "blocks", json_object_new_int((int)st->blocks.total));
	add(mem, "online", json_object_new_int((int)st->blocks.online));
	if (st->blocks.movable)
		add(zones, "Movable",
		    json_object_new_int((int)st->blocks.movable));
	if (st->blocks.normal)
		add(zones, "Normal",
		    json_object_new_int((int)st->blocks.normal));
	if (st->blocks.other)
		add(zones, "other", json_object_new_int((int)st->blocks.other));
	add(mem, "zones", zones);
	for (i = 0; i < st->nr_dax; i++)
		if (!strcmp(st->dax[i].driver, "kmem"))
			node = st->dax[i].target_node;
	if (node >= 0)
		add(mem, "node", json_object_new_int(node));
	add(o, "memory", mem);
	return o;
}

void region_json_add_stack(struct json_object *obj,
			   const struct region_info *ri,
			   const struct stack_state *st, unsigned int flags)
{
	add(obj, "mode", json_object_new_string(region_mode_name(st->mode)));
	add(obj, "region_driver",
	    st->region_driver[0] ? json_object_new_string(st->region_driver)
				 : NULL);
	if (st->mode == RMODE_SYSRAM)
		add(obj, "sysram", sysram_json(st));
	add(obj, "decoder", json_object_new_string(ri->decoder));
}

struct json_object *region_to_json(const struct region_info *ri,
				   const struct stack_state *st,
				   unsigned int flags)
{
	bool human = flags & RJ_HUMAN;
	struct json_object *o = json_object_new_object();

	add(o, "region", json_object_new_string(ri->name));
	add(o, "resource",
	    json_hex(ri->resource == UINT64_MAX ? 0 : ri->resource, human));
	add(o, "size", json_size(ri->size, human));
	if (ri->mode[0] && strcmp(ri->mode, "none"))
		add(o, "type", json_object_new_string(ri->mode));
	add(o, "interleave_ways", json_object_new_int((int)ri->ways));
	add(o, "interleave_granularity",
	    json_object_new_int((int)ri->granularity));
	add(o, "decode_state",
	    json_object_new_string(ri->committed ? "commit" : "reset"));
	if (!ri->driver[0])
		add(o, "state", json_object_new_string("disabled"));
	if (flags & RJ_MAPPINGS)
		add(o, "mappings", mappings(ri));
	if ((flags & RJ_DAX) && st->nr_dax)
		add(o, "daxregion", region_json_daxregion(ri, st, flags));
	if (flags & RJ_STACK)
		region_json_add_stack(o, ri, st, flags);
	return o;
}

struct json_object *region_json_now(struct log_ctx *log, const char *fn,
				    const char *region, bool human)
{
	unsigned int flags = RJ_MAPPINGS | RJ_DAX | RJ_STACK;
	struct region_info ri;
	struct stack_state st;
	int rc;

	rc = region_read_info(region, &ri);
	if (!rc)
		rc = stack_describe(&ri, &st);
	if (rc) {
		log_msg(log, LOG_ERR, fn, "%s: read back failed: %s", region,
			strerror(-rc));
		return NULL;
	}
	return region_to_json(&ri, &st, flags | (human ? RJ_HUMAN : 0));
}
