// SPDX-License-Identifier: GPL-2.0
/*
 * Region targets: attaching endpoint decoders at interleave positions,
 * programming the switch/host-bridge decoders once every position is
 * filled, and committing the decode in port order.
 *
 * Position rule (as the kernel's): the endpoint at position p must sit
 * below root target p % root_ways; below that, at a port whose ancestors
 * interleave S ways in total, it must go through the port's dport at
 * slot (p / S) % ways, where ways is the number of dports of the port
 * the region uses. A position that breaks this is refused with ENXIO.
 */
#include <stdio.h>
#include <string.h>

#include "cxl.h"

int region_nr_targets(struct cxl_region *r)
{
	int i, n = 0;

	for (i = 0; i < r->iw; i++)
		if (r->targets[i])
			n++;
	return n;
}

/* the dport of @port on the way down to endpoint port @ep */
static struct cxl_dport *dport_toward(struct cxl_port *port,
				      struct cxl_port *ep)
{
	struct cxl_port *c;

	for (c = ep; c && c->parent != port; c = c->parent)
		;
	return c ? c->parent_dport : NULL;
}

static bool port_below(struct cxl_port *ep, struct cxl_port *port)
{
	struct cxl_port *c;

	for (c = ep; c; c = c->parent)
		if (c == port)
			return true;
	return false;
}

static int check_root_position(struct cxl_region *r, int pos,
			       struct cxl_decoder *ed)
{
	struct cxl_decoder *root = r->root;
	struct cxl_dport *dp = dport_toward(root->port, ed->port);

	if (!dp)
		return -ENXIO;
	if (root->targets[pos % root->iw] != dp->id)
		return -ENXIO;
	return 0;
}

struct port_plan {
	struct cxl_port *port;
	int stride;
	int iw;
	int slots[CXL_MAX_WAYS];
	struct cxl_decoder *dec;
};

static struct port_plan *plan_find(struct port_plan *plans, int n,
				   struct cxl_port *port)
{
	int i;

	for (i = 0; i < n; i++)
		if (plans[i].port == port)
			return &plans[i];
	return NULL;
}

static int plan_ports(struct cxl_region *r, struct port_plan *plans)
{
	int i, n = 0, depth, max_depth = 0;

	/* every switch port on the way from the root to each endpoint */
	for (i = 0; i < r->iw; i++) {
		struct cxl_port *p;

		for (p = r->targets[i]->port->parent; p && p->kind != PORT_ROOT;
		     p = p->parent) {
			if (plan_find(plans, n, p))
				continue;
			if (n == 64)
				return -ENXIO;
			memset(&plans[n], 0, sizeof(plans[n]));
			plans[n++].port = p;
			if (p->depth > max_depth)
				max_depth = p->depth;
		}
	}

	/* top-down, so every ancestor's ways are known */
	for (depth = 1; depth <= max_depth; depth++) {
		for (i = 0; i < n; i++) {
			struct port_plan *pp = &plans[i];
			struct cxl_port *a;
			int ids[CXL_MAX_WAYS], nids = 0, j, k;

			if (pp->port->depth != depth)
				continue;
			pp->stride = r->root->iw;
			for (a = pp->port->parent; a->kind != PORT_ROOT;
			     a = a->parent)
				pp->stride *= plan_find(plans, n, a)->iw;

			for (j = 0; j < r->iw; j++) {
				struct cxl_port *ep = r->targets[j]->port;
				struct cxl_dport *dp;

				if (!port_below(ep, pp->port))
					continue;
				dp = dport_toward(pp->port, ep);
				for (k = 0; k < nids; k++)
					if (ids[k] == dp->id)
						break;
				if (k == nids)
					ids[nids++] = dp->id;
			}
			pp->iw = nids;
			if (!is_valid_ways(nids))
				return -ENXIO;
			for (k = 0; k < nids; k++)
				pp->slots[k] = -1;
			for (j = 0; j < r->iw; j++) {
				struct cxl_port *ep = r->targets[j]->port;
				struct cxl_dport *dp;
				int slot;

				if (!port_below(ep, pp->port))
					continue;
				dp = dport_toward(pp->port, ep);
				slot = (j / pp->stride) % pp->iw;
				if (pp->slots[slot] == -1)
					pp->slots[slot] = dp->id;
				else if (pp->slots[slot] != dp->id)
					return -ENXIO;
			}
			for (k = 0; k < nids; k++)
				for (j = k + 1; j < nids; j++)
					if (pp->slots[k] == pp->slots[j])
						return -ENXIO;
		}
	}

	/* the ways along each path multiply up to the region's */
	for (i = 0; i < r->iw; i++) {
		struct cxl_port *p;
		int ways = r->root->iw;

		for (p = r->targets[i]->port->parent; p->kind != PORT_ROOT;
		     p = p->parent)
			ways *= plan_find(plans, n, p)->iw;
		if (ways != r->iw)
			return -ENXIO;
	}
	return n;
}

static int highest_committed(struct cxl_port *port);

/*
 * The kernel's choice of a switch/host-bridge decoder for a region: only
 * the one right above the highest committed decoder of the port, if no
 * region has reserved it yet, and only while every decoder below it is
 * still committed (after an out-of-order decommit nothing more can be
 * allocated on the port until the decoders above are reset as well).
 */
static struct cxl_decoder *free_decoder(struct cxl_port *port)
{
	int i, next = highest_committed(port) + 1;

	if (next >= port->nr_decoders || port->decoders[next]->region)
		return NULL;
	for (i = 0; i < next; i++)
		if (!port->decoders[i]->committed)
			return NULL;
	return port->decoders[next];
}

/* all positions are filled: program the decoders on every path */
static int region_setup(struct cxl_region *r)
{
	struct port_plan plans[64];
	int n, i, j;

	n = plan_ports(r, plans);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		plans[i].dec = free_decoder(plans[i].port);
		if (!plans[i].dec) {
			while (i--)
				plans[i].dec->region = NULL;
			return -EBUSY;
		}
		/* reserve it so the next plan on this port gets another */
		plans[i].dec->region = r;
	}
	for (i = 0; i < n; i++) {
		struct cxl_decoder *d = plans[i].dec;

		d->start = r->start;
		d->size = r->size;
		d->iw = plans[i].iw;
		d->ig = r->ig * plans[i].stride;
		for (j = 0; j < plans[i].iw; j++)
			d->targets[j] = plans[i].slots[j];
		d->nr_targets = plans[i].iw;
		r->port_decoders[i] = d;
	}
	r->nr_port_decoders = n;
	for (i = 0; i < r->iw; i++) {
		struct cxl_decoder *ed = r->targets[i];

		ed->start = r->start;
		ed->size = r->size;
		ed->iw = r->iw;
		ed->ig = r->ig;
	}
	r->setup = true;
	return 0;
}

/*
 * The first endpoint leaves a set-up region (@pos: its position). Like
 * the kernel, the switch/host-bridge decoders keep their interleave ways,
 * granularity and target list; a port decoder's HPA range is reset only
 * while other endpoints of the region still sit below that port. The
 * port that loses its last endpoint of the region here drops its region
 * reference first, so its decoder keeps the range too (qemu1's
 * passthrough decoder1.0 stays listed by cxl list -D after a delete).
 */
static void region_reset_setup(struct cxl_region *r, int pos)
{
	int i, j;

	if (!r->setup)
		return;
	for (i = 0; i < r->nr_port_decoders; i++) {
		struct cxl_decoder *d = r->port_decoders[i];
		bool shared = false;

		for (j = 0; j < r->iw; j++)
			if (j != pos && r->targets[j] &&
			    port_below(r->targets[j]->port, d->port))
				shared = true;
		d->region = NULL;
		if (shared) {
			d->start = 0;
			d->size = 0;
		}
	}
	r->nr_port_decoders = 0;
	for (i = 0; i < r->iw; i++) {
		if (r->targets[i]) {
			r->targets[i]->start = 0;
			r->targets[i]->size = 0;
		}
	}
	r->setup = false;
}

int region_attach(struct cxl_region *r, int pos, struct cxl_decoder *ed)
{
	int rc;

	if (ed->mode != r->mode)
		return -EINVAL;
	if (r->committed || r->setup)
		return -EBUSY;
	if (!r->has_res)
		return -ENXIO;
	if (pos < 0 || pos >= r->iw)
		return -ENXIO;
	if (r->targets[pos] == ed)
		return 0;
	if (r->targets[pos] || ed->region)
		return -EBUSY;
	/* mode none fails the mode check above; right mode, no DPA: ENXIO */
	if (!ed->dpa_alloc)
		return -ENXIO;
	if (ed->dpa_size * r->iw != r->size)
		return -EINVAL;
	rc = check_root_position(r, pos, ed);
	if (rc)
		return rc;

	r->targets[pos] = ed;
	ed->region = r;
	if (region_nr_targets(r) == r->iw) {
		rc = region_setup(r);
		if (rc) {
			r->targets[pos] = NULL;
			ed->region = NULL;
			return rc;
		}
	}
	return 0;
}

int region_detach(struct cxl_region *r, int pos)
{
	struct cxl_decoder *ed;

	if (r->committed)
		return -EBUSY;
	ed = r->targets[pos];
	if (!ed)
		return 0;
	region_reset_setup(r, pos);
	r->targets[pos] = NULL;
	ed->region = NULL;
	ed->start = 0;
	ed->size = 0;
	return 0;
}

void region_detach_all(struct cxl_region *r)
{
	int i;

	/* the kernel detaches the positions in order */
	for (i = 0; i < r->iw && !r->targets[i]; i++)
		;
	region_reset_setup(r, i);
	for (i = 0; i < CXL_MAX_WAYS; i++) {
		struct cxl_decoder *ed = r->targets[i];

		if (!ed)
			continue;
		r->targets[i] = NULL;
		ed->region = NULL;
		ed->start = 0;
		ed->size = 0;
	}
}

static int highest_committed(struct cxl_port *port)
{
	int i;

	for (i = port->nr_decoders - 1; i >= 0; i--)
		if (port->decoders[i]->committed)
			return i;
	return -1;
}

/*
 * HDM decoders commit in order (the kernel's commit_end): a decoder
 * commits only right above the highest committed one of its port. They
 * reset in any order (6.12 only logs an out-of-order reset); what an
 * out-of-order reset blocks is the next allocation (free_decoder) and,
 * for an endpoint decoder, the release of its DPA, which only the top
 * allocation may give back.
 */
int region_commit(struct cxl_region *r)
{
	int i;

	if (r->committed)
		return 0;
	if (!r->has_res || !r->setup)
		return -ENXIO;
	for (i = 0; i < r->nr_port_decoders; i++) {
		struct cxl_decoder *d = r->port_decoders[i];

		if (d->idx != highest_committed(d->port) + 1)
			return -EBUSY;
	}
	for (i = 0; i < r->iw; i++) {
		struct cxl_decoder *d = r->targets[i];

		if (d->idx != highest_committed(d->port) + 1)
			return -EBUSY;
	}
	for (i = 0; i < r->nr_port_decoders; i++)
		r->port_decoders[i]->committed = true;
	for (i = 0; i < r->iw; i++)
		r->targets[i]->committed = true;
	r->committed = true;
	return 0;
}

void region_decommit(struct cxl_region *r)
{
	int i;

	if (!r->committed)
		return;
	for (i = 0; i < r->nr_port_decoders; i++)
		r->port_decoders[i]->committed = false;
	for (i = 0; i < r->iw; i++)
		if (r->targets[i])
			r->targets[i]->committed = false;
	r->committed = false;
}
