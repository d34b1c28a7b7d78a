/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXCTL_LIB_HOLDERS_H
#define DAXCTL_LIB_HOLDERS_H

#include <sys/types.h>

/*
 * Processes that have the device /dev/<dax> names open or mapped (from
 * /proc/<pid>/fd and /proc/<pid>/maps): the device itself, not another
 * mount namespace's file of that name. Returns the number found (up to
 * @max stored) or -errno; 0 when there is no /dev/<dax>.
 */
int dax_holders(const char *dax, pid_t *pids, int max);

#endif /* DAXCTL_LIB_HOLDERS_H */
