// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/modules.h"
#include "util/sysfs.h"

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
			kctx = kmod_new(NULL, NULL);
			if (!kctx)
				return -ENOMEM;
		}
		r = kmod_module_new_from_name(kctx, *names, &mod);
		if (r) {
			log_dbg(log, "%s: module lookup failed: %s", *names,
				strerror(-r));
			continue;
		}
		r = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						    NULL);
		kmod_module_unref(mod);
		/* a built-in module has no entry to insert: not an error */
		if (r && r != -ENOENT) {
			log_dbg(log, "%s: load failed: %s", *names,
				strerror(-r));
			if (!rc)
				rc = r;
		}
	}
	kmod_unref(kctx);
	return rc;
}
