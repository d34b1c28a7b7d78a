// SPDX-License-Identifier: GPL-2.0
/*
 * A canonical JSON dump of the simulated kernel state (no counters, no
 * timestamps, fixed key order) so a test can assert that a sequence left
 * everything exactly as it was. The schema is in README.md.
 */
#include <json-c/json.h>
#include <string.h>

#include "ctl.h"
#include "dax.h"
#include "memory.h"

static struct json_object *u64_obj(u64 v)
{
	return json_object_new_uint64(v);
}

static struct json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static const char *driver_name(struct sim_device *dev)
{
	return dev->driver ? dev->driver->name : NULL;
}

static struct json_object *targets_json(struct cxl_decoder *d)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < d->nr_targets; i++)
		json_object_array_add(a, json_object_new_int(d->targets[i]));
	return a;
}

static struct json_object *decoder_json(struct cxl_decoder *d)
{
	static const char *const kinds[] = { "root", "switch", "endpoint" };
	struct json_object *o = json_object_new_object();

	add(o, "name", json_object_new_string(d->dev.name));
	add(o, "kind", json_object_new_string(kinds[d->kind]));
	/*
	 * A decoder keeps its last interleave programming (and an endpoint
	 * its last mode, a switch decoder possibly its HPA range) after a
	 * reset; nothing can clear them, so they are only part of the state
	 * while they mean something.
	 */
	if (d->kind == DEC_SWITCH && !d->region && !d->committed) {
		add(o, "start", u64_obj(0));
		add(o, "size", u64_obj(0));
	} else {
		add(o, "start", u64_obj(d->start));
		add(o, "size", u64_obj(d->size));
	}
	if (d->kind == DEC_ROOT || d->region) {
		add(o, "interleave_ways", json_object_new_int(d->iw));
		add(o, "interleave_granularity", json_object_new_int(d->ig));
	} else {
		add(o, "interleave_ways", NULL);
		add(o, "interleave_granularity", NULL);
	}
	if (d->kind == DEC_ROOT) {
		add(o, "target_list", targets_json(d));
		add(o, "cap_ram", json_object_new_boolean(d->cap_ram));
		add(o, "cap_pmem", json_object_new_boolean(d->cap_pmem));
		add(o, "numa_node", json_object_new_int(d->nid));
		return o;
	}
	if (d->kind == DEC_SWITCH)
		add(o, "target_list", d->region ? targets_json(d) : NULL);
	if (d->kind == DEC_ENDPOINT) {
		add(o, "mode",
		    d->dpa_alloc
			    ? json_object_new_string(cxl_mode_name(d->mode))
			    : NULL);
		add(o, "dpa_resource",
		    d->dpa_alloc ? u64_obj(d->dpa_start) : NULL);
		add(o, "dpa_size", u64_obj(d->dpa_size));
	}
	add(o, "region", str_or_null(d->region ? d->region->dev.name : NULL));
	add(o, "committed", json_object_new_boolean(d->committed));
	return o;
}

static struct json_object *decoders_json(void)
{
	struct json_object *a = json_object_new_array();
	int i, j;

	for (i = 0; i < cxl.nr_ports; i++) {
		struct cxl_port *port = cxl.ports[i];

		for (j = 0; j < port->nr_decoders; j++)
			json_object_array_add(a,
					      decoder_json(port->decoders[j]));
	}
	return a;
}

static struct json_object *dax_region_json(struct dax_region *dr,
					   const char *parent)
{
	struct json_object *o;

	if (!dr)
		return NULL;
	o = json_object_new_object();
	add(o, "name", json_object_new_string(dr->dev.name));
	add(o, "parent", json_object_new_string(parent));
	add(o, "driver", str_or_null(driver_name(&dr->dev)));
	add(o, "kmem", json_object_new_boolean(dr->kmem));
	add(o, "online_type",
	    json_object_new_string(dr->online_type == MMOP_INVALID
					   ? "default"
					   : mmop_name(dr->online_type)));
	add(o, "device", str_or_null(dr->ddev ? dr->ddev->dev.name : NULL));
	return o;
}

static struct json_object *region_json(struct cxl_region *r)
{
	struct json_object *o = json_object_new_object(), *t, *s = NULL;
	struct dax_region *dr = r->dax;
	const char *parent = r->dev.name;
	int i;

	add(o, "name", json_object_new_string(r->dev.name));
	add(o, "decoder", json_object_new_string(r->root->dev.name));
	add(o, "mode", json_object_new_string(cxl_mode_name(r->mode)));
	add(o, "size", u64_obj(r->has_res ? r->size : 0));
	add(o, "resource", r->has_res ? u64_obj(r->start) : NULL);
	add(o, "interleave_ways", json_object_new_int(r->iw));
	add(o, "interleave_granularity", json_object_new_int(r->ig));
	t = json_object_new_array();
	for (i = 0; i < r->iw; i++)
		json_object_array_add(
			t, str_or_null(r->targets[i] ? r->targets[i]->dev.name
						     : NULL));
	add(o, "targets", t);
	add(o, "commit", json_object_new_int(r->committed));
	add(o, "driver", str_or_null(driver_name(&r->dev)));
	add(o, "auto", json_object_new_boolean(r->auto_region));
	if (r->sysram) {
		s = json_object_new_object();
		add(s, "name", json_object_new_string(r->sysram->dev.name));
		add(s, "online_type",
		    json_object_new_string(
			    r->sysram->online_type == MMOP_INVALID ||
					    r->sysram->online_type ==
						    MMOP_ONLINE_KERNEL
				    ? "invalid"
				    : mmop_name(r->sysram->online_type)));
		add(s, "driver", str_or_null(driver_name(&r->sysram->dev)));
		if (r->sysram->dax) {
			dr = r->sysram->dax;
			parent = r->sysram->dev.name;
		}
	}
	add(o, "sysram_region", s);
	add(o, "dax_region", dax_region_json(dr, parent));
	add(o, "pmem_region", str_or_null(r->pmem ? r->pmem->name : NULL));
	return o;
}

static struct json_object *regions_json(void)
{
	struct json_object *a = json_object_new_array();
	struct cxl_region *r;

	for (r = cxl.regions; r; r = r->next)
		json_object_array_add(a, region_json(r));
	return a;
}

static struct json_object *dax_devices_json(void)
{
	struct json_object *a = json_object_new_array();
	struct sim_device *dev;

	for (dev = device_first(BUS_DAX); dev; dev = dev->next) {
		struct json_object *o = json_object_new_object();
		struct dax_dev *dd = dev->obj;

		add(o, "name", json_object_new_string(dev->name));
		add(o, "region", json_object_new_string(dd->region->dev.name));
		add(o, "driver", str_or_null(driver_name(dev)));
		add(o, "size", u64_obj(dd->size));
		add(o, "resource", u64_obj(dd->start));
		add(o, "target_node", json_object_new_int(dd->nid));
		add(o, "plugged", json_object_new_boolean(dd->plugged));
		if (dd->state_attr)
			add(o, dax_state_attr_name(),
			    json_object_new_string(dax_state_string(dd)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *driver_ids_json(void)
{
	struct json_object *o = json_object_new_object();
	struct sim_driver *drv;

	for (drv = driver_first(BUS_DAX); drv; drv = drv->next) {
		struct json_object *a = json_object_new_array();
		struct dax_id *id;

		for (id = drv->ids; id; id = id->next)
			json_object_array_add(a,
					      json_object_new_string(id->name));
		add(o, drv->name, a);
	}
	return o;
}

static struct json_object *memory_json(void)
{
	struct json_object *o = json_object_new_object(), *boot, *blocks;
	unsigned long id, n = mem_nr_slots(), nr_boot = 0, boot_online = 0;

	blocks = json_object_new_array();
	for (id = 0; id < n; id++) {
		struct mem_block *b = mem_block_get(id);
		struct json_object *bo;

		if (!b)
			continue;
		if (b->boot) {
			nr_boot++;
			boot_online += b->online;
			continue;
		}
		bo = json_object_new_object();
		add(bo, "id", u64_obj(b->id));
		add(bo, "state",
		    json_object_new_string(b->online ? "online" : "offline"));
		add(bo, "zone",
		    b->online ? json_object_new_string(zone_name(b->zone))
			      : NULL);
		add(bo, "node", json_object_new_int(b->nid));
		add(bo, "present", json_object_new_boolean(1));
		add(bo, "owner", str_or_null(b->owner));
		add(bo, "leaked", json_object_new_boolean(b->leaked));
		json_object_array_add(blocks, bo);
	}
	boot = json_object_new_object();
	add(boot, "node", json_object_new_int(0));
	add(boot, "blocks", u64_obj(nr_boot));
	add(boot, "online", u64_obj(boot_online));
	add(o, "boot", boot);
	add(o, "blocks", blocks);
	return o;
}

static struct json_object *leaks_json(void)
{
	struct json_object *a = json_object_new_array();
	const struct leak *l;

	for (l = mem_leaks(); l; l = l->next) {
		struct json_object *o = json_object_new_object();

		add(o, "start", u64_obj(l->start));
		add(o, "size", u64_obj(l->size));
		add(o, "reason", json_object_new_string(l->reason));
		json_object_array_add(a, o);
	}
	return a;
}

int state_dump(struct sbuf *sb)
{
	struct json_object *o = json_object_new_object();
	int rc;

	add(o, "profile", json_object_new_string(sim_opts.profile));
	add(o, "topology", json_object_new_string(sim_opts.topology_name));
	add(o, "block_size", u64_obj(mem_block_size()));
	add(o, "auto_online_blocks",
	    json_object_new_string(mmop_name(sim_opts.auto_online)));
	add(o, "online_policy",
	    json_object_new_string(sim_opts.policy == POLICY_AUTO_MOVABLE
					   ? "auto-movable"
					   : "contig-zones"));
	add(o, "dax_drivers_autoprobe",
	    json_object_new_int(bus_autoprobe(BUS_DAX)));
	add(o, "cxl_drivers_autoprobe",
	    json_object_new_int(bus_autoprobe(BUS_CXL)));
	add(o, "decoders", decoders_json());
	add(o, "regions", regions_json());
	add(o, "dax_devices", dax_devices_json());
	add(o, "dax_driver_ids", driver_ids_json());
	add(o, "memory", memory_json());
	add(o, "leaked", leaks_json());
	rc = sb_printf(sb, "%s\n",
		       json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return rc;
}
