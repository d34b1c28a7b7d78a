/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_CTL_H
#define CXL_SIM_CTL_H

#include "tree.h"

/* /sys/kernel/debug/cxl-sim: stats, fail, busy, state */
int ctl_init(void);
int fault_check(struct node *n);
void fault_exit(void);
int fault_store(const char *buf);
void fault_show(struct sbuf *sb);
int state_dump(struct sbuf *sb);

#endif
