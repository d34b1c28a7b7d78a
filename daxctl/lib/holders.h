/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXCTL_LIB_HOLDERS_H
#define DAXCTL_LIB_HOLDERS_H

#include <sys/types.h>

/*
 * Processes that have /dev/<dax> open or mapped (from /proc/<pid>/fd and
 * /proc/<pid>/maps). Returns the number found (up to @max stored) or -errno.
 */
int dax_holders(const char *dax, pid_t *pids, int max);

#endif /* DAXCTL_LIB_HOLDERS_H */
