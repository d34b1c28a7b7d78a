/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_LIBCXL_DL_H
#define CXL_LIB_LIBCXL_DL_H

/*
 * libcxl, loaded when a command first needs the topology (libcxl_load()),
 * not when the program starts: libcxl brings libkmod and libcrypto along,
 * whose relocations were most of a listing's start on a real kernel
 * (bench/README.md), and cxl list never needs them. Include this instead
 * of <cxl/libcxl.h>: each function below is called through the table
 * libcxl_load() fills, under its own name (the iterator macros too).
 */
#include <cxl/libcxl.h>

#define LIBCXL_SONAME "libcxl.so.1"

#define LIBCXL_SYMS(X)                            \
	X(cxl_bus_get_devname)                    \
	X(cxl_bus_get_first)                      \
	X(cxl_bus_get_id)                         \
	X(cxl_bus_get_next)                       \
	X(cxl_bus_get_port)                       \
	X(cxl_bus_get_provider)                   \
	X(cxl_decoder_get_devname)                \
	X(cxl_decoder_get_dpa_resource)           \
	X(cxl_decoder_get_dpa_size)               \
	X(cxl_decoder_get_first)                  \
	X(cxl_decoder_get_id)                     \
	X(cxl_decoder_get_interleave_granularity) \
	X(cxl_decoder_get_interleave_ways)        \
	X(cxl_decoder_get_max_available_extent)   \
	X(cxl_decoder_get_mode)                   \
	X(cxl_decoder_get_next)                   \
	X(cxl_decoder_get_region)                 \
	X(cxl_decoder_get_target_by_memdev)       \
	X(cxl_decoder_is_pmem_capable)            \
	X(cxl_decoder_is_volatile_capable)        \
	X(cxl_dport_get_id)                       \
	X(cxl_endpoint_get_parent)                \
	X(cxl_endpoint_get_port)                  \
	X(cxl_memdev_get_devname)                 \
	X(cxl_memdev_get_endpoint)                \
	X(cxl_memdev_get_first)                   \
	X(cxl_memdev_get_next)                    \
	X(cxl_memdev_get_ram_size)                \
	X(cxl_memdev_is_enabled)                  \
	X(cxl_new)                                \
	X(cxl_port_get_dport_by_memdev)           \
	X(cxl_port_get_parent)                    \
	X(cxl_port_is_root)                       \
	X(cxl_target_get_position)                \
	X(cxl_unref)

struct libcxl_syms {
#define LIBCXL_PTR(f) __typeof__(&f) f;
	LIBCXL_SYMS(LIBCXL_PTR)
#undef LIBCXL_PTR
};

extern struct libcxl_syms libcxl_syms;

/* 0 once every function is there, else -ELIBACC and libcxl_why() says why */
int libcxl_load(void);
const char *libcxl_why(void);

#define cxl_bus_get_devname(...) libcxl_syms.cxl_bus_get_devname(__VA_ARGS__)
#define cxl_bus_get_first(...) libcxl_syms.cxl_bus_get_first(__VA_ARGS__)
#define cxl_bus_get_id(...) libcxl_syms.cxl_bus_get_id(__VA_ARGS__)
#define cxl_bus_get_next(...) libcxl_syms.cxl_bus_get_next(__VA_ARGS__)
#define cxl_bus_get_port(...) libcxl_syms.cxl_bus_get_port(__VA_ARGS__)
#define cxl_bus_get_provider(...) libcxl_syms.cxl_bus_get_provider(__VA_ARGS__)
#define cxl_decoder_get_devname(...) \
	libcxl_syms.cxl_decoder_get_devname(__VA_ARGS__)
#define cxl_decoder_get_dpa_resource(...) \
	libcxl_syms.cxl_decoder_get_dpa_resource(__VA_ARGS__)
#define cxl_decoder_get_dpa_size(...) \
	libcxl_syms.cxl_decoder_get_dpa_size(__VA_ARGS__)
#define cxl_decoder_get_first(...) \
	libcxl_syms.cxl_decoder_get_first(__VA_ARGS__)
#define cxl_decoder_get_id(...) libcxl_syms.cxl_decoder_get_id(__VA_ARGS__)
#define cxl_decoder_get_interleave_granularity(...) \
	libcxl_syms.cxl_decoder_get_interleave_granularity(__VA_ARGS__)
#define cxl_decoder_get_interleave_ways(...) \
	libcxl_syms.cxl_decoder_get_interleave_ways(__VA_ARGS__)
#define cxl_decoder_get_max_available_extent(...) \
	libcxl_syms.cxl_decoder_get_max_available_extent(__VA_ARGS__)
#define cxl_decoder_get_mode(...) libcxl_syms.cxl_decoder_get_mode(__VA_ARGS__)
#define cxl_decoder_get_next(...) libcxl_syms.cxl_decoder_get_next(__VA_ARGS__)
#define cxl_decoder_get_region(...) \
	libcxl_syms.cxl_decoder_get_region(__VA_ARGS__)
#define cxl_decoder_get_target_by_memdev(...) \
	libcxl_syms.cxl_decoder_get_target_by_memdev(__VA_ARGS__)
#define cxl_decoder_is_pmem_capable(...) \
	libcxl_syms.cxl_decoder_is_pmem_capable(__VA_ARGS__)
#define cxl_decoder_is_volatile_capable(...) \
	libcxl_syms.cxl_decoder_is_volatile_capable(__VA_ARGS__)
#define cxl_dport_get_id(...) libcxl_syms.cxl_dport_get_id(__VA_ARGS__)
#define cxl_endpoint_get_parent(...) \
	libcxl_syms.cxl_endpoint_get_parent(__VA_ARGS__)
#define cxl_endpoint_get_port(...) \
	libcxl_syms.cxl_endpoint_get_port(__VA_ARGS__)
#define cxl_memdev_get_devname(...) \
	libcxl_syms.cxl_memdev_get_devname(__VA_ARGS__)
#define cxl_memdev_get_endpoint(...) \
	libcxl_syms.cxl_memdev_get_endpoint(__VA_ARGS__)
#define cxl_memdev_get_first(...) libcxl_syms.cxl_memdev_get_first(__VA_ARGS__)
#define cxl_memdev_get_next(...) libcxl_syms.cxl_memdev_get_next(__VA_ARGS__)
#define cxl_memdev_get_ram_size(...) \
	libcxl_syms.cxl_memdev_get_ram_size(__VA_ARGS__)
#define cxl_memdev_is_enabled(...) \
	libcxl_syms.cxl_memdev_is_enabled(__VA_ARGS__)
#define cxl_new(...) libcxl_syms.cxl_new(__VA_ARGS__)
#define cxl_port_get_dport_by_memdev(...) \
	libcxl_syms.cxl_port_get_dport_by_memdev(__VA_ARGS__)
#define cxl_port_get_parent(...) libcxl_syms.cxl_port_get_parent(__VA_ARGS__)
#define cxl_port_is_root(...) libcxl_syms.cxl_port_is_root(__VA_ARGS__)
#define cxl_target_get_position(...) \
	libcxl_syms.cxl_target_get_position(__VA_ARGS__)
#define cxl_unref(...) libcxl_syms.cxl_unref(__VA_ARGS__)

#endif /* CXL_LIB_LIBCXL_DL_H */
