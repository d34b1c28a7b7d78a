// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/cxlfs.h"

static int build(char *buf, size_t len, const char *base, const char *name,
		 const char *attr)
{
	int n;

	if (!name || !*name || strchr(name, '/') || !strcmp(name, "..") ||
	    (attr && strstr(attr, "..")))
		return -EINVAL;
	if (attr)
		n = snprintf(buf, len, "%s/%s/%s", base, name, attr);
	else
		n = snprintf(buf, len, "%s/%s", base, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int cxlbus_dev_path(char *buf, size_t len, const char *dev, const char *attr)
{
	return build(buf, len, CXL_BUS_DEVICES, dev, attr);
}

int cxlbus_drv_path(char *buf, size_t len, const char *drv, const char *attr)
{
	return build(buf, len, CXL_BUS_DRIVERS, drv, attr);
}
