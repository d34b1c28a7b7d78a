// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "cxl/devdax-users.h"
#include "daxctl/lib/holders.h"

#define MAX_PIDS 16

int devdax_in_use(struct log_ctx *log, const char *fn, const char *region,
		  const struct stack_state *st, bool force, const char *option)
{
	pid_t pids[MAX_PIDS];
	char list[MAX_PIDS * 12];
	int i, j, n;

	for (i = 0; i < st->nr_dax; i++) {
		size_t used = 0;

		if (strcmp(st->dax[i].driver, "device_dax"))
			continue;
		n = dax_holders(st->dax[i].name, pids, MAX_PIDS);
		if (n <= 0)
			continue;
		list[0] = '\0';
		for (j = 0; j < n && j < MAX_PIDS; j++)
			used += (size_t)snprintf(list + used,
						 sizeof(list) - used, "%s%d",
						 j ? " " : "", (int)pids[j]);
		if (force) {
			log_msg(log, LOG_WARNING, fn,
				"%s: /dev/%s is in use by pid %s; continuing (%s)",
				region, st->dax[i].name, list, option);
			continue;
		}
		log_msg(log, LOG_ERR, fn,
			"%s: /dev/%s is in use by pid %s; stop them or use %s",
			region, st->dax[i].name, list, option);
		return -EBUSY;
	}
	return 0;
}
