/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_CXLFS_H
#define CXL_LIB_CXLFS_H

#include <stddef.h>

/*
 * Paths of the cxl bus. Only names produced by the kernel, libcxl or
 * validated with util/name.h are passed in; a name containing '/' is
 * refused here as a last line of defence.
 */
#define CXL_BUS_DEVICES "/sys/bus/cxl/devices"
#define CXL_BUS_DRIVERS "/sys/bus/cxl/drivers"

int cxlbus_dev_path(char *buf, size_t len, const char *dev, const char *attr);
int cxlbus_drv_path(char *buf, size_t len, const char *drv, const char *attr);

#endif /* CXL_LIB_CXLFS_H */
