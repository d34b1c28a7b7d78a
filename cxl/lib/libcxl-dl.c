// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "cxl/lib/libcxl-dl.h"
#include "util/dlsyms.h"

struct libcxl_syms libcxl_syms;
static char why[256];

const char *libcxl_why(void)
{
	return why;
}

int libcxl_load(void)
{
	static const struct dl_sym syms[] = {
#define LIBCXL_SYM(f) { #f, &libcxl_syms.f },
		LIBCXL_SYMS(LIBCXL_SYM)
#undef LIBCXL_SYM
	};
	static int rc = 1;

	if (rc > 0)
		rc = dl_load_syms(LIBCXL_SONAME, syms,
				  sizeof(syms) / sizeof(syms[0]), why,
				  sizeof(why));
	return rc;
}
