// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/modules.h"
#include "util/dlsyms.h"
#include "util/sysfs.h"

/*
 * libkmod, loaded by the one command step that may insert a module (as
 * libcxl is, cxl/lib/libcxl-dl.h: a listing never needs either).
 */
#define LIBKMOD_SONAME "libkmod.so.2"

#define LIBKMOD_SYMS(X)                    \
	X(kmod_new)                        \
	X(kmod_unref)                      \
	X(kmod_module_new_from_name)       \
	X(kmod_module_probe_insert_module) \
	X(kmod_module_unref)

static struct {
#define LIBKMOD_PTR(f) __typeof__(&f) f;
	LIBKMOD_SYMS(LIBKMOD_PTR)
#undef LIBKMOD_PTR
} kmod;

static int kmod_load(struct log_ctx *log)
{
	static const struct dl_sym syms[] = {
#define LIBKMOD_SYM(f) { #f, &kmod.f },
		LIBKMOD_SYMS(LIBKMOD_SYM)
#undef LIBKMOD_SYM
	};
	static int rc = 1;
	char why[256];

	if (rc > 0) {
		rc = dl_load_syms(LIBKMOD_SONAME, syms,
				  sizeof(syms) / sizeof(syms[0]), why,
				  sizeof(why));
		if (rc)
			log_dbg(log, "%s", why);
	}
	return rc;
}

static int module_present(const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "/sys/module/%s", name);
	return sysfs_exists(p);
}

int modules_ensure(struct log_ctx *log, const char *const *names)
{
	struct kmod_ctx *kctx = NULL;
	int rc = 0;

	for (; *names; names++) {
		struct kmod_module *mod;
		int r;

		if (module_present(*names))
			continue;
		if (!kctx) {
			r = kmod_load(log);
			if (r)
				return r;
			kctx = kmod.kmod_new(NULL, NULL);
			if (!kctx)
				return -ENOMEM;
		}
		r = kmod.kmod_module_new_from_name(kctx, *names, &mod);
		if (r) {
			log_dbg(log, "%s: module lookup failed: %s", *names,
				strerror(-r));
			continue;
		}
		r = kmod.kmod_module_probe_insert_module(mod, 0, NULL, NULL,
							 NULL, NULL);
		kmod.kmod_module_unref(mod);
		if (!r)
			log_dbg(log, "%s: module loaded", *names);
		/* a built-in module has no entry to insert: not an error */
		if (r && r != -ENOENT) {
			log_dbg(log, "%s: load failed: %s", *names,
				strerror(-r));
			if (!rc)
				rc = r;
		}
	}
	if (kctx)
		kmod.kmod_unref(kctx);
	return rc;
}
