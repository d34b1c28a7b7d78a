/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_H
#define CXL_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>

typedef uint64_t u64;

#define SZ_1M (1ULL << 20)
#define SZ_256M (256ULL << 20)
#define SZ_1G (1ULL << 30)

#define ALIGN_UP(x, a) (((x) + (a)-1) / (a) * (a))
#define ALIGN_DOWN(x, a) ((x) / (a) * (a))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum sim_topology {
	TOPO_CXL_TEST,
	TOPO_QEMU1,
	TOPO_QEMU2,
	TOPO_LARGE,
};

/* memory online types, as the kernel's MMOP_* */
enum mmop {
	MMOP_INVALID = -1,
	MMOP_OFFLINE = 0,
	MMOP_ONLINE,
	MMOP_ONLINE_KERNEL,
	MMOP_ONLINE_MOVABLE,
};

enum online_policy {
	POLICY_CONTIG_ZONES,
	POLICY_AUTO_MOVABLE,
};

struct sim_opts {
	const char *profile;
	bool dax_state;
	bool region_drivers;
	const char *topology_name;
	enum sim_topology topology;
	int memdevs;
	u64 memdev_size;
	u64 block_size;
	enum mmop auto_online;
	enum online_policy policy;
	bool auto_region;
	bool region_locked_attr; /* regionZ/locked, kernel 7.1 */
	bool dax_attr_hotplug;
	bool driver_names_region;
	u64 boot_memory;
	const char *devdir;
	const char *mountpoint;
	bool trace;
	bool validate_only;
	/* kmem probe: ms from driver link and blocks to the "state" attr */
	int kmem_probe_gap_ms;
};

struct sim_stats {
	unsigned long opens;
	unsigned long reads;
	unsigned long writes;
	unsigned long readdirs;
	unsigned long readlinks;
	unsigned long getattrs;
	unsigned long blocks_added;
	unsigned long blocks_removed;
	unsigned long peak_present;
};

extern struct sim_opts sim_opts;
extern struct sim_stats sim_stats;

/* the operation in progress, recorded with any range it leaks */
extern const char *sim_teardown_reason;

/* util.c */
int parse_u64(const char *s, u64 *val);
int parse_int(const char *s, int *val);
int parse_bool(const char *s, bool *val);
int parse_size(const char *s, u64 *val);
int errno_from_name(const char *name);
const char *errno_name(int err);
const char *mmop_name(enum mmop type);
enum mmop mmop_parse(const char *s);
bool is_valid_ways(int ways);
bool is_pow2(u64 v);

/* module.c, toplevel.c */
int modules_init(void);
int toplevel_init(void);

/* kmem.c: finish the kmem probes whose last stage is due */
void kmem_probes_run(void);

/* options.c */
int options_parse(int argc, char **argv);
void options_usage(FILE *f);

#endif
