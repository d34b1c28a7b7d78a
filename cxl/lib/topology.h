/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_TOPOLOGY_H
#define CXL_LIB_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include "cxl/lib/region.h"
#include "util/log.h"

struct cxl_ctx;
struct cxl_decoder;
struct cxl_memdev;

#define TOPO_MAX_DEPTH 8

/* a memdev as a RAM region target */
struct topo_target {
	struct cxl_memdev *memdev;
	char name[NAME_LEN];
	uint64_t ram_size;
	uint64_t free_ram; /* contiguous free DPA for a new decoder */
	char ep_decoder[NAME_LEN]; /* the endpoint decoder to use, or "" */
	int route[TOPO_MAX_DEPTH]; /* dport ids from the host bridge down */
	int depth;
	int root_pos; /* host bridge position in the root */
	int position; /* interleave position assigned */
};

/* a root decoder that may hold the region */
struct topo_root {
	struct cxl_decoder *decoder;
	char name[NAME_LEN];
	char bus[NAME_LEN];
	char provider[NAME_LEN];
	int bus_id;
	bool ram, pmem;
	unsigned int ways, granularity;
	uint64_t max_extent;
};

/* 0 or -errno; libcxl is loaded on the first call (-ELIBACC: it cannot be) */
int topo_open(struct cxl_ctx **ctx);
/* what a failed topo_open() returning @rc means, for the one-line error */
const char *topo_open_error(int rc);
/*
 * Whether this kernel can create CXL RAM regions: Linux 6.3 added
 * create_ram_region to RAM-capable root decoders (6.1 has none). Also
 * true when no root decoder is RAM-capable: other checks say why.
 */
bool topo_kernel_creates_ram(struct cxl_ctx *ctx);
void topo_close(struct cxl_ctx *ctx);

/* look up named memdevs (validated names) */
int topo_get_target(struct cxl_ctx *ctx, const char *name,
		    struct topo_target *t);
/* fill free DPA and the endpoint decoder of @t */
int topo_target_capacity(struct topo_target *t);

int topo_get_root(struct cxl_ctx *ctx, const char *name, struct topo_root *r);
/* root decoders on buses matching @bus (NULL: all), in topology order */
int topo_roots(struct cxl_ctx *ctx, const char *bus, struct topo_root *roots,
	       int max);
bool topo_bus_matches(const struct topo_root *r, const char *bus);

/* memdevs the root decoder can route to, enabled ones, topology order */
int topo_targets_of_root(struct cxl_ctx *ctx, const struct topo_root *r,
			 struct topo_target *t, int max);

/* fill each target's route below @r (host bridge position, dports) */
int topo_route(const struct topo_root *r, struct topo_target *t, int n);

/*
 * Give each target the interleave position the topology requires under
 * root @r: positions alternate across host bridges in the root's target
 * order, then across the ports below each bridge, level by level. Returns
 * 0, -ENXIO (a memdev the root does not reach) or -EINVAL (the targets do
 * not spread evenly); @why says which in words.
 */
int topo_place(const struct topo_root *r, struct topo_target *t, int n,
	       char *why, size_t why_len);

/*
 * -Q: 1 when @memdev's RAM qos_class differs from root @r's, 0 when equal
 * or either is not reported (as upstream, an absent class ends the check).
 */
int topo_qos_mismatch(const struct topo_root *r, const char *memdev,
		      int *mem_class, int *root_class);

/* the memdev behind an endpoint decoder ("mem3"), for mappings */
int topo_decoder_memdev(const char *decoder, char *buf, size_t len);
/* a memdev's serial number (the "serial" attribute, hex) */
int topo_memdev_serial(const char *memdev, uint64_t *serial);
/* the device a memdev hangs off: its PCI address, or "cxl_mem.N" */
int topo_memdev_host(const char *memdev, char *buf, size_t len);

#endif /* CXL_LIB_TOPOLOGY_H */
