/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_UPSTREAM_H
#define CXL_UPSTREAM_H

#include <stdbool.h>

/*
 * The distribution's cxl-cli binary: commands this project does not
 * implement are exec'd there unchanged.
 */
const char *upstream_path(void);
/* 0 when @path can be exec'd as upstream, else -errno (-ELOOP: ourselves) */
int upstream_check(const char *path);
/* one line saying why upstream cannot run; returns 1 (the exit code) */
int upstream_report(const char *path, int rc);
/*
 * true when this process was started as some cxl-sysram's upstream (a copy
 * of ourselves or a wrapper leading back here): it must not act as upstream
 */
bool upstream_reentered(void);
/* replace this process with upstream; returns only on failure (exit code) */
int upstream_exec(int argc, const char **argv);
/*
 * run upstream with @args, capture stdout (malloc'd) and its exit status
 * (-N when signal N killed it)
 */
int upstream_capture(const char *const *args, char **out, int *status);
/* the same, with its stderr captured too (*@err, malloc'd) */
int upstream_capture_err(const char *const *args, char **out, char **err,
			 int *status);

#endif /* CXL_UPSTREAM_H */
