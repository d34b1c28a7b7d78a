// SPDX-License-Identifier: GPL-2.0
/* CXL ports, dports and root/switch decoders, laid out as the kernel does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "cxl.h"

struct cxl_state cxl;

static int committed_show(struct node *n, struct sbuf *sb)
{
	struct cxl_port *port = n->obj;
	int i, count = 0;

	for (i = 0; i < port->nr_decoders; i++)
		if (port->decoders[i]->committed)
			count++;
	return sb_printf(sb, "%d\n", count);
}

static const struct attr_ops committed_ops = { .show = committed_show };

static void port_release(struct sim_device *dev)
{
}

struct cxl_port *cxl_port_add(struct cxl_port *parent,
			      struct cxl_dport *parent_dport, const char *uport,
			      enum port_kind kind, int nr_decoders)
{
	struct cxl_port *port = calloc(1, sizeof(*port));
	struct node *parent_dir, *dir;
	char name[32];
	int i;

	if (!port)
		abort();
	port->id = cxl.next_port_id++;
	port->kind = kind;
	port->parent = parent;
	port->parent_dport = parent_dport;
	port->uport = strdup(uport);
	port->hdm_end = -1;
	port->depth = parent ? parent->depth + 1 : 0;
	switch (kind) {
	case PORT_ROOT:
		snprintf(name, sizeof(name), "root%d", port->id);
		parent_dir = tree_mkdir_p(uport);
		cxl.root = port;
		break;
	case PORT_SWITCH:
		snprintf(name, sizeof(name), "port%d", port->id);
		parent_dir = parent->dev.dir;
		break;
	default:
		snprintf(name, sizeof(name), "endpoint%d", port->id);
		parent_dir = parent->dev.dir;
		break;
	}
	device_init(&port->dev, BUS_CXL,
		    kind == PORT_ROOT ? DEV_ROOT : DEV_PORT, name, port);
	port->dev.devtype = "cxl_port";
	port->dev.modalias = kind == PORT_ROOT ? "cxl:t4" : "cxl:t3";
	port->dev.release = port_release;
	dir = device_add(&port->dev, parent_dir);
	tree_attr(dir, "decoders_committed", &committed_ops, port, 0);
	tree_attr(dir, "devtype", &dev_devtype_ops, &port->dev, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &port->dev, 0);
	tree_link(dir, "uport", uport);
	if (parent_dport)
		tree_link(dir, "parent_dport", parent_dport->path);

	if (nr_decoders) {
		port->decoders = calloc(nr_decoders, sizeof(*port->decoders));
		if (!port->decoders)
			abort();
	}
	for (i = 0; i < nr_decoders; i++) {
		struct cxl_decoder *d = calloc(1, sizeof(*d));

		if (!d)
			abort();
		snprintf(name, sizeof(name), "decoder%d.%d", port->id, i);
		device_init(&d->dev, BUS_CXL, DEV_DECODER, name, d);
		d->idx = i;
		d->port = port;
		d->kind = kind == PORT_ENDPOINT ? DEC_ENDPOINT : DEC_SWITCH;
		d->iw = 1;
		d->ig = 256;
		port->decoders[i] = d;
		port->nr_decoders++;
	}
	cxl.ports[cxl.nr_ports++] = port;
	return port;
}

/* switch decoders are created once the dports are known */
static int target_list_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;
	int i;

	for (i = 0; i < d->nr_targets; i++)
		sb_printf(sb, "%s%d", i ? "," : "", d->targets[i]);
	return sb_puts(sb, "\n");
}

static const struct attr_ops target_list_ops = { .show = target_list_show };

static int hex_show(struct node *n, struct sbuf *sb)
{
	const u64 *v = n->obj;

	return sb_printf(sb, "0x%llx\n", (unsigned long long)*v);
}

static const struct attr_ops hex_ops = { .show = hex_show };

static int int_show(struct node *n, struct sbuf *sb)
{
	const int *v = n->obj;

	return sb_printf(sb, "%d\n", *v);
}

static const struct attr_ops int_ops = { .show = int_show };

static int bool_show(struct node *n, struct sbuf *sb)
{
	const bool *v = n->obj;

	return sb_printf(sb, "%d\n", *v ? 1 : 0);
}

static const struct attr_ops bool_ops = { .show = bool_show };

static int region_name_show(struct node *n, struct sbuf *sb)
{
	struct cxl_decoder *d = n->obj;

	return sb_printf(sb, "%s\n", d->region ? d->region->dev.name : "");
}

static const struct attr_ops region_name_ops = { .show = region_name_show };

static void decoder_release(struct sim_device *dev)
{
}

static struct node *decoder_add_common(struct cxl_decoder *d)
{
	static const char *const devtypes[] = {
		[DEC_ROOT] = "cxl_decoder_root",
		[DEC_SWITCH] = "cxl_decoder_switch",
		[DEC_ENDPOINT] = "cxl_decoder_endpoint",
	};
	struct node *dir;

	d->dev.devtype = devtypes[d->kind];
	d->dev.modalias = "cxl:t0";
	d->dev.release = decoder_release;
	dir = device_add(&d->dev, d->port->dev.dir);
	tree_attr(dir, "devtype", &dev_devtype_ops, &d->dev, 0);
	tree_attr(dir, "interleave_granularity", &int_ops, &d->ig, 0);
	tree_attr(dir, "interleave_ways", &int_ops, &d->iw, 0);
	tree_attr(dir, "locked", &str_ops, "0", 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, &d->dev, 0);
	tree_attr(dir, "size", &hex_ops, &d->size, 0);
	tree_attr(dir, "start", &hex_ops, &d->start, 0);
	return dir;
}

static void switch_decoder_attrs(struct cxl_decoder *d)
{
	struct node *dir = decoder_add_common(d);

	tree_attr(dir, "region", &region_name_ops, d, 0);
	tree_attr(dir, "target_list", &target_list_ops, d, 0);
	tree_attr(dir, "target_type", &str_ops, "expander", 0);
}

static void port_decoders_add(struct cxl_port *port)
{
	int i;

	for (i = 0; i < port->nr_decoders; i++) {
		struct cxl_decoder *d = port->decoders[i];

		if (d->kind == DEC_ROOT)
			continue;
		if (d->kind == DEC_ENDPOINT) {
			decoder_add_common(d);
			cxl_endpoint_decoder_attrs(d);
		} else {
			if (!d->nr_targets && port->nr_dports) {
				d->targets[0] = port->dports[0]->id;
				d->nr_targets = 1;
			}
			switch_decoder_attrs(d);
		}
	}
}

struct cxl_dport *cxl_dport_add(struct cxl_port *port, int id, const char *path)
{
	struct cxl_dport *dp = calloc(1, sizeof(*dp));
	char name[32];

	if (!dp)
		abort();
	dp->id = id;
	dp->path = strdup(path);
	dp->port = port;
	tree_mkdir_p(path);
	snprintf(name, sizeof(name), "dport%d", id);
	tree_link(port->dev.dir, name, path);
	port->dports[port->nr_dports++] = dp;
	return dp;
}

struct cxl_dport *cxl_port_dport(struct cxl_port *port, int id)
{
	int i;

	for (i = 0; i < port->nr_dports; i++)
		if (port->dports[i]->id == id)
			return port->dports[i];
	return NULL;
}

struct cxl_decoder *cxl_root_decoder_add(struct cxl_port *root, u64 start,
					 u64 size, int ig, const int *targets,
					 int nr_targets, bool ram, bool pmem,
					 int nid, int qos)
{
	struct cxl_decoder *d = calloc(1, sizeof(*d));
	struct cxl_decoder **decs;
	struct node *dir;
	char name[32];
	int i;

	if (!d)
		abort();
	decs = realloc(root->decoders, (root->nr_decoders + 1) * sizeof(*decs));
	if (!decs)
		abort();
	root->decoders = decs;
	d->idx = root->nr_decoders;
	d->kind = DEC_ROOT;
	d->port = root;
	d->start = start;
	d->size = size;
	d->iw = nr_targets;
	d->ig = ig;
	for (i = 0; i < nr_targets; i++)
		d->targets[i] = targets[i];
	d->nr_targets = nr_targets;
	d->cap_ram = ram;
	d->cap_pmem = pmem;
	d->nid = nid;
	d->qos_class = qos;
	d->region_id = region_ida_alloc();
	root->decoders[root->nr_decoders++] = d;

	snprintf(name, sizeof(name), "decoder%d.%d", root->id, d->idx);
	device_init(&d->dev, BUS_CXL, DEV_DECODER, name, d);
	dir = decoder_add_common(d);
	tree_attr(dir, "cap_pmem", &bool_ops, &d->cap_pmem, 0);
	tree_attr(dir, "cap_ram", &bool_ops, &d->cap_ram, 0);
	tree_attr(dir, "cap_type2", &bool_ops, &d->cap_type2, 0);
	tree_attr(dir, "cap_type3", &str_ops, "1", 0);
	tree_attr(dir, "qos_class", &int_ops, &d->qos_class, 0);
	tree_attr(dir, "target_list", &target_list_ops, d, 0);
	cxl_root_decoder_region_attrs(d);
	return d;
}

/* register the decoders of a port and bind cxl_port (not for root) */
static void port_finish(struct cxl_port *port)
{
	port_decoders_add(port);
	if (port->kind != PORT_ROOT)
		device_probe(&port->dev);
}

struct cxl_decoder *cxl_decoder_find(const char *name)
{
	struct sim_device *dev = device_find(BUS_CXL, name);

	if (!dev || dev->type != DEV_DECODER)
		return NULL;
	return dev->obj;
}

static void nvb_release(struct sim_device *dev)
{
	free(dev);
}

void cxl_nvdimm_bridge_add(struct cxl_port *root)
{
	struct sim_device *nvb = calloc(1, sizeof(*nvb));
	struct node *dir;

	if (!nvb)
		abort();
	device_init(nvb, BUS_CXL, DEV_NVDIMM_BRIDGE, "nvdimm-bridge0", nvb);
	nvb->devtype = "cxl_nvdimm_bridge";
	nvb->modalias = "cxl:t1";
	nvb->release = nvb_release;
	dir = device_add(nvb, root->dev.dir);
	tree_attr(dir, "devtype", &dev_devtype_ops, nvb, 0);
	tree_attr(dir, "modalias", &dev_modalias_ops, nvb, 0);
	tree_dir(dir, "ndbus0");
	device_probe(nvb);
	cxl.nvb = nvb;
}

/* finish every port once the topology is complete */
void cxl_ports_finish(void)
{
	int i;

	for (i = 0; i < cxl.nr_ports; i++)
		port_finish(cxl.ports[i]);
}

void cxl_port_exit(void)
{
	int i, j;

	for (i = 0; i < cxl.nr_ports; i++) {
		struct cxl_port *port = cxl.ports[i];

		for (j = 0; j < port->nr_decoders; j++)
			free(port->decoders[j]);
		for (j = 0; j < port->nr_dports; j++) {
			free(port->dports[j]->path);
			free(port->dports[j]);
		}
		free(port->decoders);
		free(port->uport);
		free(port);
	}
	cxl.nr_ports = 0;
}
