// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/dlsyms.h"

int dl_load_syms(const char *soname, const struct dl_sym *syms, size_t n,
		 char *why, size_t why_len)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL), *p;
	size_t i;

	if (!h) {
		snprintf(why, why_len, "%s", dlerror());
		return -ELIBACC;
	}
	for (i = 0; i < n; i++) {
		p = dlsym(h, syms[i].name);
		if (!p) {
			snprintf(why, why_len, "%s has no %s", soname,
				 syms[i].name);
			return -ELIBACC;
		}
		/* a data pointer into a function pointer, as POSIX allows */
		memcpy(syms[i].slot, &p, sizeof(p));
	}
	return 0;
}
