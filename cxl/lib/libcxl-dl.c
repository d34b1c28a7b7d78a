// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/libcxl-dl.h"

struct libcxl_syms libcxl_syms;
static char why[256];

const char *libcxl_why(void)
{
	return why;
}

/* the library stays loaded until the program ends, as if linked */
int libcxl_load(void)
{
	static int rc = 1;
	void *h, *p;

	if (rc <= 0)
		return rc;
	rc = -ELIBACC;
	h = dlopen(LIBCXL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		/* the package depends on it: say what the loader said */
		snprintf(why, sizeof(why), "%s", dlerror());
		return rc;
	}
#define LIBCXL_SYM(f)                                                      \
	p = dlsym(h, #f);                                                  \
	if (!p) {                                                          \
		snprintf(why, sizeof(why), "%s has no %s", LIBCXL_SONAME, #f); \
		return rc;                                                 \
	}                                                                  \
	memcpy(&libcxl_syms.f, &p, sizeof(p));
	LIBCXL_SYMS(LIBCXL_SYM)
#undef LIBCXL_SYM
	rc = 0;
	return rc;
}
