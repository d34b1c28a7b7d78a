/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_DLSYMS_H
#define UTIL_DLSYMS_H

#include <stddef.h>

/* one function of a library, and the function pointer to fill with it */
struct dl_sym {
	const char *name;
	void *slot; /* address of the pointer, of the function's own type */
};

/*
 * Open @soname (once: it stays loaded until the program ends, as if
 * linked) and fill every slot of @syms. 0, or -ELIBACC with what the
 * loader said (no library, a missing function) in @why.
 */
int dl_load_syms(const char *soname, const struct dl_sym *syms, size_t n,
		 char *why, size_t why_len);

#endif /* UTIL_DLSYMS_H */
