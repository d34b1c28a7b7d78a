// SPDX-License-Identifier: GPL-2.0
/*
 * Topologies:
 *  qemu1/qemu2 - QEMU pxb-cxl host bridge, cxl-rp root ports, volatile
 *                cxl-type3 devices; one 4G CFMW at 0x390000000 (the
 *                layout of the captured 6.12 kernel).
 *  cxl_test    - modelled on tools/testing/cxl: two host bridges with two
 *                root ports and a switch (two dports) each, eight memdevs,
 *                plus a single-port host bridge with a switch and two
 *                memdevs; RAM and PMEM windows x1 and x2 across bridges.
 *  large       - N memdevs of size S, eight root ports per host bridge,
 *                one x1 RAM window per bridge and one across all bridges.
 */
#include <stdio.h>
#include <string.h>

#include "dax.h"
#include "memory.h"

static struct cxl_port *root_add(const char *platform)
{
	char path[128];

	snprintf(path, sizeof(path), "/devices/platform/%s", platform);
	tree_mkdir_p(path);
	return cxl_port_add(NULL, NULL, path, PORT_ROOT, 0);
}

/* a PCI host bridge with its ACPI0016 companion */
static struct cxl_dport *pci_host_bridge(struct cxl_port *root, int bus,
					 int uid)
{
	char path[128], fw[128];
	struct node *dir;

	snprintf(fw, sizeof(fw),
		 "/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0016:%02x", uid - 12);
	snprintf(path, sizeof(path), "/devices/pci0000:%02x", bus);
	dir = tree_mkdir_p(path);
	tree_link(dir, "firmware_node", fw);
	tree_link(tree_mkdir_p(fw), "physical_node", path);
	return cxl_dport_add(root, uid, path);
}

static void qemu(int nr)
{
	static const u64 sizes[] = { 512ULL << 20 };
	u64 size = sim_opts.memdev_size ? sim_opts.memdev_size : sizes[0];
	struct cxl_port *root, *hb;
	struct cxl_dport *hbd, *rp[2];
	struct cxl_memdev *md;
	int target = 12;
	struct cxl_decoder *rd;

	root = root_add("ACPI0017:00");
	hbd = pci_host_bridge(root, 0x0c, 12);
	rd = cxl_root_decoder_add(root, 0x390000000ULL, 4ULL << 30, 256,
				  &target, 1, true, true, 1, 0);
	rd->cap_type2 = true;
	cxl_nvdimm_bridge_add(root);
	/* a host bridge with one root port gets one passthrough decoder */
	hb = cxl_port_add(root, hbd, hbd->path, PORT_SWITCH, nr == 1 ? 1 : 4);
	rp[0] = cxl_dport_add(hb, 0, "/devices/pci0000:0c/0000:0c:00.0");
	if (nr == 1) {
		md = cxl_memdev_add(
			"/devices/pci0000:0c/0000:0c:00.0/0000:0d:00.0", size,
			0, 0x100, 0, "BWFW VERSION 00", 0);
		cxl_endpoint_add(hb, rp[0], md, 4);
		return;
	}
	rp[1] = cxl_dport_add(hb, 1, "/devices/pci0000:0c/0000:0c:01.0");
	md = cxl_memdev_add("/devices/pci0000:0c/0000:0c:01.0/0000:0e:00.0",
			    size, 0, 0x101, 0, "BWFW VERSION 00", 0);
	cxl_endpoint_add(hb, rp[1], md, 4);
	md = cxl_memdev_add("/devices/pci0000:0c/0000:0c:00.0/0000:0d:00.0",
			    size, 0, 0x100, 0, "BWFW VERSION 00", 0);
	cxl_endpoint_add(hb, rp[0], md, 4);
}

#define CXL_TEST_QOS 42
/* where 6.12's mock puts its first window with 37 physical address bits */
#define CXL_TEST_BASE 0x1010000000ULL
#define CXL_TEST_HB 2 /* host bridges with two root ports each */
#define CXL_TEST_RP (CXL_TEST_HB * 2)

/*
 * The kernel mock's numbering: root port i sits under host bridge
 * i % 2, switch uport i under root port i, switch dport j under uport
 * j % 4 and memdev cxl_mem.j (serial j, node j % 2) under dport j; the
 * single-port bridge 2 has root port 4, uport 4 and dports/memdevs 8, 9.
 * Memdevs are created switch by switch, so mem0 and mem1 share a switch.
 */
static void cxl_test_switch(struct cxl_port *hbp, const char *hb_path,
			    int rp_id, const int *mems)
{
	char rp[128], up[192], path[384];
	struct cxl_dport *rpd, *swd;
	struct cxl_port *sw;
	struct cxl_memdev *md;
	int s;

	snprintf(rp, sizeof(rp), "%s/cxl_root_port.%d", hb_path, rp_id);
	rpd = cxl_dport_add(hbp, rp_id, rp);
	snprintf(up, sizeof(up), "%s/cxl_switch_uport.%d", rp, rp_id);
	tree_mkdir_p(up);
	sw = cxl_port_add(hbp, rpd, up, PORT_SWITCH, 8);
	for (s = 0; s < 2; s++) {
		int m = mems[s];

		snprintf(path, sizeof(path), "%s/cxl_switch_dport.%d", up, m);
		swd = cxl_dport_add(sw, m, path);
		snprintf(path, sizeof(path),
			 "%s/cxl_switch_dport.%d/cxl_mem.%d", up, m, m);
		md = cxl_memdev_add(path, SZ_1G, SZ_1G, m, CXL_TEST_QOS,
				    "mock fw v1", 128 << 10);
		md->numa_node = m % 2;
		cxl_endpoint_add(sw, swd, md, 8);
	}
}

/*
 * The mock's host bridges are their own firmware node: upstream cxl list
 * shows each with "alias" = its own name
 */
static void cxl_test_hb_alias(const char *path)
{
	tree_link(tree_mkdir_p(path), "firmware_node", path);
}

static struct cxl_port *cxl_test_hb(struct cxl_port *root, int hb, char *path,
				    size_t len)
{
	struct cxl_dport *hbd;

	snprintf(path, len, "/devices/platform/cxl_host_bridge.%d", hb);
	hbd = cxl_dport_add(root, hb, path);
	cxl_test_hb_alias(path);
	return cxl_port_add(root, hbd, path, PORT_SWITCH, 8);
}

static void cxl_test(void)
{
	static const int hb0[] = { 0 }, hb01[] = { 0, 1 }, hb2[] = { 2 },
			 hb3[] = { 3 };
	static const struct {
		const int *targets;
		int ways;
		bool ram;
		u64 size;
	} windows[] = {
		{ hb0, 1, true, SZ_1G },  { hb01, 2, true, 2 * SZ_1G },
		{ hb0, 1, false, SZ_1G }, { hb01, 2, false, 2 * SZ_1G },
		{ hb2, 1, false, SZ_1G }, { hb3, 1, true, SZ_256M },
	};
	struct cxl_port *root = root_add("cxl_acpi.0");
	struct cxl_port *hbp[CXL_TEST_HB], *single;
	struct cxl_dport *rch;
	struct cxl_memdev *md;
	char hb_path[CXL_TEST_HB][64], path[128];
	u64 base = CXL_TEST_BASE;
	size_t i;
	int h, r;

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		/* 6.12 shows 256 for a window that does not interleave */
		cxl_root_decoder_add(root, base, windows[i].size,
				     windows[i].ways > 1 ? 4096 : 256,
				     windows[i].targets, windows[i].ways,
				     windows[i].ram, !windows[i].ram,
				     (int)i + 1, CXL_TEST_QOS);
		base += windows[i].size;
	}
	cxl_nvdimm_bridge_add(root);
	for (h = 0; h < CXL_TEST_HB; h++)
		hbp[h] = cxl_test_hb(root, h, hb_path[h], sizeof(hb_path[h]));
	for (h = 0; h < CXL_TEST_HB; h++) {
		for (r = h; r < CXL_TEST_RP; r += CXL_TEST_HB) {
			int mems[2] = { r, r + CXL_TEST_RP };

			cxl_test_switch(hbp[h], hb_path[h], r, mems);
		}
	}
	single = cxl_test_hb(root, 2, path, sizeof(path));
	cxl_test_switch(single, path, 4, (const int[]){ 8, 9 });
	/* a restricted CXL host (RCH) with its RCD, an endpoint of the root */
	snprintf(path, sizeof(path), "/devices/platform/cxl_host_bridge.3");
	rch = cxl_dport_add(root, 3, path);
	cxl_test_hb_alias(path);
	snprintf(path, sizeof(path),
		 "/devices/platform/cxl_host_bridge.3/cxl_rcd.10");
	md = cxl_memdev_add(path, 2 * SZ_1G, 0, 10, CXL_TEST_QOS, "mock fw v1",
			    128 << 10);
	md->numa_node = 0;
	cxl_endpoint_add(root, rch, md, 8);
}

#define LARGE_BASE 0x10000000000ULL
#define LARGE_PER_HB 8

static void large(void)
{
	int nr = sim_opts.memdevs ? sim_opts.memdevs : 8;
	u64 size = sim_opts.memdev_size ? sim_opts.memdev_size : 128ULL << 30;
	int nr_hb = (nr + LARGE_PER_HB - 1) / LARGE_PER_HB;
	struct cxl_port *root = root_add("ACPI0017:00");
	struct cxl_dport *hbd[32];
	int targets[32], h, m = 0, nid = 1;
	u64 base = LARGE_BASE;

	for (h = 0; h < nr_hb; h++) {
		int count = nr - h * LARGE_PER_HB;

		if (count > LARGE_PER_HB)
			count = LARGE_PER_HB;
		hbd[h] = pci_host_bridge(root, 0x0c + h * 0x10, 12 + h);
		targets[h] = 12 + h;
		cxl_root_decoder_add(root, base, size * count, 256, &targets[h],
				     1, true, true, nid++, 0);
		base += ALIGN_UP(size * count, SZ_1G);
	}
	if (nr_hb > 1 && is_valid_ways(nr_hb) && is_pow2(nr_hb))
		cxl_root_decoder_add(root, base, size * nr, 256, targets, nr_hb,
				     true, true, nid++, 0);
	cxl_nvdimm_bridge_add(root);
	for (h = 0; h < nr_hb; h++) {
		struct cxl_port *hbp;
		int bus = 0x0c + h * 0x10, r;

		hbp = cxl_port_add(root, hbd[h], hbd[h]->path, PORT_SWITCH, 16);
		for (r = 0; r < LARGE_PER_HB && m < nr; r++, m++) {
			char rp[128], dev[192];
			struct cxl_dport *d;
			struct cxl_memdev *md;

			snprintf(rp, sizeof(rp), "%s/0000:%02x:%02x.0",
				 hbd[h]->path, bus, r);
			d = cxl_dport_add(hbp, r, rp);
			snprintf(dev, sizeof(dev), "%s/0000:%02x:00.0", rp,
				 bus + 1 + r);
			md = cxl_memdev_add(dev, size, 0, 0x1000 + m, 0,
					    "BWFW VERSION 00", 0);
			cxl_endpoint_add(hbp, d, md, 8);
		}
	}
}

int topo_build(void)
{
	switch (sim_opts.topology) {
	case TOPO_QEMU1:
		qemu(1);
		break;
	case TOPO_QEMU2:
		qemu(2);
		break;
	case TOPO_LARGE:
		large();
		break;
	default:
		cxl_test();
		break;
	}
	cxl_ports_finish();
	return 0;
}

/*
 * A firmware-assembled region: x2 over mem0/mem1 (one switch) in the x1
 * RAM window, bound to cxl_region as the kernel does at boot.
 */
int topo_auto_region(void)
{
	struct cxl_decoder *root = cxl.root->decoders[0];
	struct cxl_region *r;
	int i, id = root->region_id, rc;

	if (sim_opts.topology != TOPO_CXL_TEST)
		return 0;
	root->region_id = region_ida_alloc();
	r = region_create(root, CXL_MODE_RAM, id);
	if (!r)
		return -ENOMEM;
	r->auto_region = true;
	rc = region_set_ways(r, 2);
	if (!rc)
		rc = region_set_granularity(r, 4096);
	if (!rc)
		rc = region_set_size(r, 2 * SZ_256M);
	for (i = 0; !rc && i < 2; i++) {
		struct cxl_decoder *ed = cxl.memdevs[i]->endpoint->decoders[0];

		rc = cxl_dpa_set_mode(ed, CXL_MODE_RAM);
		if (!rc)
			rc = cxl_dpa_alloc(ed, SZ_256M);
		if (!rc)
			rc = region_attach(r, i, ed);
	}
	if (!rc)
		rc = region_commit(r);
	if (!rc)
		rc = device_attach(&r->dev);
	return rc;
}

/* release every dynamic object (regions and what hangs below them) */
void topo_exit(void)
{
	while (cxl.regions)
		region_delete(cxl.regions);
	if (cxl.nvb) {
		device_del(cxl.nvb);
		cxl.nvb = NULL;
	}
}
