/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_CXL_H
#define CXL_SIM_CXL_H

#include "bus.h"

/* The CXL bus: ports, dports, decoders, memdevs and regions. */
#define CXL_MAX_WAYS 16
#define CXL_MEM_MAJOR 250

enum cxl_mode {
	CXL_MODE_NONE,
	CXL_MODE_RAM,
	CXL_MODE_PMEM,
};

enum port_kind {
	PORT_ROOT,
	PORT_SWITCH,
	PORT_ENDPOINT,
};

enum decoder_kind {
	DEC_ROOT,
	DEC_SWITCH,
	DEC_ENDPOINT,
};

struct cxl_port;
struct cxl_region;

struct cxl_dport {
	int id;
	char *path;
	struct cxl_port *port;
};

struct cxl_decoder {
	struct sim_device dev;
	int idx;
	enum decoder_kind kind;
	struct cxl_port *port;
	u64 start, size;
	int iw, ig;
	int targets[CXL_MAX_WAYS];
	int nr_targets;
	bool committed;
	struct cxl_region *region;
	/* root decoders */
	bool cap_ram, cap_pmem, cap_type2;
	int qos_class;
	int nid;
	int region_id;
	/* endpoint decoders */
	enum cxl_mode mode;
	bool dpa_alloc;
	u64 dpa_start, dpa_size;
};

struct cxl_memdev {
	struct sim_device dev;
	int id;
	u64 ram_size, pmem_size;
	u64 serial;
	int qos_class;
	const char *fw_version;
	u64 lsa_size;
	int payload_max;
	int numa_node; /* -1: none */
	struct cxl_port *endpoint;
};

struct cxl_port {
	struct sim_device dev;
	int id;
	enum port_kind kind;
	struct cxl_port *parent;
	struct cxl_dport *parent_dport;
	char *uport;
	struct cxl_dport *dports[CXL_MAX_WAYS];
	int nr_dports;
	struct cxl_decoder **decoders;
	int nr_decoders;
	struct cxl_memdev *memdev;
	int hdm_end;
	int depth;
};

struct sysram_region;
struct dax_region;

struct cxl_region {
	struct sim_device dev;
	int id;
	struct cxl_decoder *root;
	enum cxl_mode mode;
	unsigned char uuid[16];
	int iw, ig;
	bool has_res;
	u64 start, size;
	struct cxl_decoder *targets[CXL_MAX_WAYS];
	bool setup;
	struct cxl_decoder *port_decoders[64];
	int nr_port_decoders;
	bool committed;
	bool auto_region;
	bool locked; /* set through the control file "locked" */
	struct sysram_region *sysram;
	struct dax_region *dax;
	struct sim_device *pmem;
	struct cxl_region *next;
};

struct sysram_region {
	struct sim_device dev;
	struct cxl_region *region;
	enum mmop online_type;
	struct dax_region *dax;
};

struct cxl_state {
	struct cxl_port *ports[512];
	int nr_ports;
	struct cxl_memdev *memdevs[256];
	int nr_memdevs;
	struct cxl_region *regions;
	struct cxl_port *root;
	struct sim_device *nvb;
	int next_port_id;
};

extern struct cxl_state cxl;

/* cxl_port.c */
struct cxl_port *cxl_port_add(struct cxl_port *parent,
			      struct cxl_dport *parent_dport, const char *uport,
			      enum port_kind kind, int nr_decoders);
struct cxl_dport *cxl_dport_add(struct cxl_port *port, int id,
				const char *path);
struct cxl_decoder *cxl_root_decoder_add(struct cxl_port *root, u64 start,
					 u64 size, int ig, const int *targets,
					 int nr_targets, bool ram, bool pmem,
					 int nid, int qos);
struct cxl_dport *cxl_port_dport(struct cxl_port *port, int id);
void cxl_nvdimm_bridge_add(struct cxl_port *root);
struct cxl_decoder *cxl_decoder_find(const char *name);
void cxl_ports_finish(void);
void cxl_memdev_exit(void);
void cxl_port_exit(void);

/* cxl_memdev.c */
struct cxl_memdev *cxl_memdev_add(const char *parent_path, u64 ram, u64 pmem,
				  u64 serial, int qos, const char *fw,
				  u64 lsa_size);
struct cxl_port *cxl_endpoint_add(struct cxl_port *parent,
				  struct cxl_dport *dport,
				  struct cxl_memdev *md, int nr_decoders);

/* cxl_dpa.c */
void cxl_endpoint_decoder_attrs(struct cxl_decoder *d);
int cxl_dpa_set_mode(struct cxl_decoder *d, enum cxl_mode mode);
int cxl_dpa_alloc(struct cxl_decoder *d, u64 size);
int cxl_dpa_free(struct cxl_decoder *d);
const char *cxl_mode_name(enum cxl_mode mode);

/* region.c */
int region_ida_alloc(void);
void region_ida_free(int id);
struct cxl_region *region_create(struct cxl_decoder *root, enum cxl_mode mode,
				 int id);
int region_delete(struct cxl_region *r);
int region_set_ways(struct cxl_region *r, int ways);
int region_set_granularity(struct cxl_region *r, int ig);
int region_set_size(struct cxl_region *r, u64 size);
void cxl_root_decoder_region_attrs(struct cxl_decoder *d);
struct cxl_region *region_find(const char *name);

/* region_target.c */
int region_attach(struct cxl_region *r, int pos, struct cxl_decoder *ed);
int region_detach(struct cxl_region *r, int pos);
void region_detach_all(struct cxl_region *r);
int region_commit(struct cxl_region *r);
void region_decommit(struct cxl_region *r);
int region_nr_targets(struct cxl_region *r);

/* region_drv.c */
extern struct sim_driver cxl_region_driver;
extern struct sim_driver sysram_region_driver;
extern struct sim_driver devdax_region_driver;
extern struct sim_driver dax_kmem_region_driver;
int region_drivers_init(void);
bool region_hpa_has_system_ram(struct cxl_region *r);

/* topo.c */
int topo_build(void);
void topo_exit(void);
int topo_auto_region(void);

/* cxl_drivers.c */
int cxl_drivers_init(void);

#endif
