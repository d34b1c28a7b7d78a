// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"
#include "cxl/lib/libcxl-dl.h"
#include "cxl/lib/topology.h"
#include "util/name.h"
#include "util/sysfs.h"

int topo_open(struct cxl_ctx **ctx)
{
	int rc = libcxl_load();

	return rc ? rc : cxl_new(ctx);
}

const char *topo_open_error(int rc)
{
	static char buf[64];

	if (rc == -ELIBACC)
		return libcxl_why();
	snprintf(buf, sizeof(buf), "libcxl: %s", strerror(-rc));
	return buf;
}

void topo_close(struct cxl_ctx *ctx)
{
	if (ctx)
		cxl_unref(ctx);
}

int topo_get_target(struct cxl_ctx *ctx, const char *name,
		    struct topo_target *t)
{
	struct cxl_memdev *memdev;

	memset(t, 0, sizeof(*t));
	t->position = -1;
	t->root_pos = -1;
	cxl_memdev_foreach (ctx, memdev)
		if (!strcmp(cxl_memdev_get_devname(memdev), name))
			break;
	if (!memdev)
		return -ENOENT;
	t->memdev = memdev;
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (!cxl_memdev_is_enabled(memdev) || !cxl_memdev_get_endpoint(memdev))
		return -ENXIO;
	return 0;
}

int topo_target_capacity(struct topo_target *t)
{
	struct cxl_endpoint *ep = cxl_memdev_get_endpoint(t->memdev);
	unsigned long long ram = cxl_memdev_get_ram_size(t->memdev);
	uint64_t used_end = 0;
	struct cxl_decoder *d;
	struct cxl_port *port;
	int hdm_end = -1;
	bool pmem_used = false;

	t->ram_size = ram == ULLONG_MAX ? 0 : ram;
	t->free_ram = 0;
	t->ep_decoder[0] = '\0';
	if (!ep)
		return -ENXIO;
	port = cxl_endpoint_get_port(ep);
	/*
	 * DPA is handed out in decoder order, each allocation above the
	 * previous one: what is left for a new decoder is the tail of the
	 * RAM partition above the highest allocation.
	 */
	cxl_decoder_foreach (port, d) {
		unsigned long long sz = cxl_decoder_get_dpa_size(d);
		unsigned long long base = cxl_decoder_get_dpa_resource(d);

		if (!sz || sz == ULLONG_MAX)
			continue;
		if (cxl_decoder_get_id(d) > hdm_end)
			hdm_end = cxl_decoder_get_id(d);
		if (base != ULLONG_MAX && base + sz > used_end)
			used_end = base + sz;
		if (cxl_decoder_get_mode(d) == CXL_DECODER_MODE_PMEM)
			pmem_used = true;
	}
	if (!pmem_used && t->ram_size > used_end)
		t->free_ram = t->ram_size - used_end;
	cxl_decoder_foreach (port, d) {
		unsigned long long sz = cxl_decoder_get_dpa_size(d);

		if (cxl_decoder_get_id(d) <= hdm_end)
			continue;
		if (sz && sz != ULLONG_MAX)
			continue;
		if (cxl_decoder_get_region(d))
			continue;
		snprintf(t->ep_decoder, sizeof(t->ep_decoder), "%s",
			 cxl_decoder_get_devname(d));
		break;
	}
	return 0;
}

static void fill_root(struct cxl_bus *bus, struct cxl_decoder *d,
		      struct topo_root *r)
{
	memset(r, 0, sizeof(*r));
	r->decoder = d;
	snprintf(r->name, sizeof(r->name), "%s", cxl_decoder_get_devname(d));
	snprintf(r->bus, sizeof(r->bus), "%s", cxl_bus_get_devname(bus));
	snprintf(r->provider, sizeof(r->provider), "%s",
		 cxl_bus_get_provider(bus));
	r->bus_id = cxl_bus_get_id(bus);
	r->ram = cxl_decoder_is_volatile_capable(d);
	r->pmem = cxl_decoder_is_pmem_capable(d);
	r->ways = cxl_decoder_get_interleave_ways(d);
	r->granularity = cxl_decoder_get_interleave_granularity(d);
	r->max_extent = cxl_decoder_get_max_available_extent(d);
}

bool topo_kernel_creates_ram(struct cxl_ctx *ctx)
{
	struct cxl_bus *b;
	char p[PATH_MAX];
	int ram_roots = 0;

	cxl_bus_foreach (ctx, b) {
		struct cxl_port *port = cxl_bus_get_port(b);
		struct cxl_decoder *d;

		cxl_decoder_foreach (port, d) {
			if (!cxl_decoder_is_volatile_capable(d))
				continue;
			ram_roots++;
			if (!cxlbus_dev_path(p, sizeof(p),
					     cxl_decoder_get_devname(d),
					     "create_ram_region") &&
			    sysfs_exists(p))
				return true;
		}
	}
	return ram_roots == 0;
}

bool topo_bus_matches(const struct topo_root *r, const char *bus)
{
	char *end;
	long id;

	if (!bus || !strcmp(bus, "all"))
		return true;
	if (!strcmp(bus, r->bus) || !strcmp(bus, r->provider))
		return true;
	id = strtol(bus, &end, 10);
	return end != bus && !*end && id == r->bus_id;
}

int topo_roots(struct cxl_ctx *ctx, const char *bus, struct topo_root *roots,
	       int max)
{
	struct cxl_bus *b;
	int n = 0;

	cxl_bus_foreach (ctx, b) {
		struct cxl_port *port = cxl_bus_get_port(b);
		struct cxl_decoder *d;

		cxl_decoder_foreach (port, d) {
			if (n >= max)
				return -E2BIG;
			fill_root(b, d, &roots[n]);
			if (!topo_bus_matches(&roots[n], bus))
				continue;
			n++;
		}
	}
	return n;
}

int topo_get_root(struct cxl_ctx *ctx, const char *name, struct topo_root *r)
{
	struct topo_root roots[64];
	int i, n = topo_roots(ctx, NULL, roots, 64);

	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp(roots[i].name, name)) {
			*r = roots[i];
			return 0;
		}
	return -ENOENT;
}

/* fill @t's route below root @r: host bridge position, then dport ids */
static int route_of(const struct topo_root *r, struct topo_target *t)
{
	struct cxl_endpoint *ep = cxl_memdev_get_endpoint(t->memdev);
	struct cxl_target *target;
	struct cxl_port *p;
	int ids[TOPO_MAX_DEPTH], n = 0, i;

	target = cxl_decoder_get_target_by_memdev(r->decoder, t->memdev);
	if (!target || !ep)
		return -ENXIO;
	t->root_pos = cxl_target_get_position(target);
	for (p = cxl_endpoint_get_parent(ep); p && !cxl_port_is_root(p);
	     p = cxl_port_get_parent(p)) {
		struct cxl_dport *dp =
			cxl_port_get_dport_by_memdev(p, t->memdev);

		if (!dp || n >= TOPO_MAX_DEPTH)
			return -ENXIO;
		ids[n++] = cxl_dport_get_id(dp);
	}
	t->depth = n;
	for (i = 0; i < n; i++)
		t->route[i] = ids[n - 1 - i];
	return 0;
}

int topo_route(const struct topo_root *r, struct topo_target *t, int n)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = route_of(r, &t[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int topo_targets_of_root(struct cxl_ctx *ctx, const struct topo_root *r,
			 struct topo_target *t, int max)
{
	struct cxl_memdev *memdev;
	int n = 0;

	cxl_memdev_foreach (ctx, memdev) {
		if (!cxl_memdev_is_enabled(memdev) ||
		    !cxl_memdev_get_endpoint(memdev))
			continue;
		if (!cxl_decoder_get_target_by_memdev(r->decoder, memdev))
			continue;
		if (n >= max)
			return -E2BIG;
		memset(&t[n], 0, sizeof(t[n]));
		t[n].memdev = memdev;
		t[n].position = -1;
		snprintf(t[n].name, sizeof(t[n].name), "%s",
			 cxl_memdev_get_devname(memdev));
		n++;
	}
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int place_level(struct topo_target **set, int n, int level, int base,
		       int stride, char *why, size_t len)
{
	struct topo_target *sub[64];
	int keys[64], nkeys = 0, i, j, k, rc;

	if (n == 1) {
		set[0]->position = base;
		return 0;
	}
	if (level >= set[0]->depth) {
		snprintf(why, len,
			 "%s and %s are reached through the same port",
			 set[0]->name, set[1]->name);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < nkeys; k++)
			if (keys[k] == set[i]->route[level])
				break;
		if (k == nkeys)
			keys[nkeys++] = set[i]->route[level];
	}
	qsort(keys, nkeys, sizeof(int), cmp_int);
	if (n % nkeys) {
		snprintf(why, len,
			 "%d memdevs cannot be spread evenly over %d ports", n,
			 nkeys);
		return -EINVAL;
	}
	for (k = 0; k < nkeys; k++) {
		for (i = 0, j = 0; i < n; i++)
			if (set[i]->route[level] == keys[k])
				sub[j++] = set[i];
		if (j != n / nkeys) {
			snprintf(
				why, len,
				"memdevs are not spread evenly below %s's ports (%d of %d under one)",
				set[0]->name, j, n);
			return -EINVAL;
		}
		rc = place_level(sub, j, level + 1, base + k * stride,
				 stride * nkeys, why, len);
		if (rc)
			return rc;
	}
	return 0;
}

int topo_place(const struct topo_root *r, struct topo_target *t, int n,
	       char *why, size_t len)
{
	struct topo_target *sub[64];
	unsigned int hb;
	int i, j, rc;

	if (n <= 0 || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		rc = route_of(r, &t[i]);
		if (rc) {
			snprintf(why, len, "%s is not reachable through %s",
				 t[i].name, r->name);
			return rc;
		}
	}
	if (!r->ways || n % r->ways) {
		snprintf(
			why, len,
			"%s interleaves %u host bridges: the number of memdevs must be a multiple of %u",
			r->name, r->ways, r->ways);
		return -EINVAL;
	}
	for (hb = 0; hb < r->ways; hb++) {
		for (i = 0, j = 0; i < n; i++)
			if (t[i].root_pos == (int)hb)
				sub[j++] = &t[i];
		if (j != n / (int)r->ways) {
			snprintf(
				why, len,
				"%s needs %d memdev%s below host bridge position %u, found %d",
				r->name, n / (int)r->ways,
				n / (int)r->ways == 1 ? "" : "s", hb, j);
			return -EINVAL;
		}
		rc = place_level(sub, j, 0, (int)hb, (int)r->ways, why, len);
		if (rc)
			return rc;
	}
	return 0;
}

int topo_decoder_memdev(const char *decoder, char *buf, size_t len)
{
	char p[PATH_MAX], ep[NAME_LEN];
	int rc;

	rc = cxlbus_dev_path(p, sizeof(p), decoder, NULL);
	if (rc)
		return rc;
	rc = sysfs_link_parent_name(p, ep, sizeof(ep));
	if (rc)
		return rc;
	rc = cxlbus_dev_path(p, sizeof(p), ep, "uport");
	if (rc)
		return rc;
	return sysfs_link_name(p, buf, len);
}

int topo_memdev_serial(const char *memdev, uint64_t *serial)
{
	char p[PATH_MAX];
	int rc;

	if (!name_parse(OBJ_MEMDEV, memdev, NULL))
		return -EINVAL;
	rc = cxlbus_dev_path(p, sizeof(p), memdev, "serial");
	return rc ? rc : sysfs_read_hex(p, serial);
}

int topo_memdev_host(const char *memdev, char *buf, size_t len)
{
	char p[PATH_MAX];
	int rc;

	if (!name_parse(OBJ_MEMDEV, memdev, NULL))
		return -EINVAL;
	rc = cxlbus_dev_path(p, sizeof(p), memdev, NULL);
	return rc ? rc : sysfs_link_parent_name(p, buf, len);
}

int topo_qos_mismatch(const struct topo_root *r, const char *memdev,
		      int *mem_class, int *root_class)
{
	char p[PATH_MAX];

	if (cxlbus_dev_path(p, sizeof(p), r->name, "qos_class") ||
	    sysfs_read_int(p, root_class))
		return 0;
	if (cxlbus_dev_path(p, sizeof(p), memdev, "ram/qos_class") ||
	    sysfs_read_int(p, mem_class))
		return 0;
	if (*mem_class < 0 || *root_class < 0)
		return 0;
	return *mem_class != *root_class;
}
