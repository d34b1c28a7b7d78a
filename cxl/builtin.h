/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_BUILTIN_H
#define CXL_BUILTIN_H

#include <stdbool.h>

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
	bool own_page; /* documented by this project's cxl-NAME(1) */
};

/* the commands this project implements; everything else goes upstream */
extern const struct cmd_struct builtin_cmds[];
extern const unsigned int nr_builtin_cmds;

int cmd_create_region(int argc, const char **argv);
int cmd_enable_region(int argc, const char **argv);
int cmd_disable_region(int argc, const char **argv);
int cmd_destroy_region(int argc, const char **argv);
int cmd_reconfigure_region(int argc, const char **argv);
int cmd_list(int argc, const char **argv);

/*
 * For a writing command, before its first write: one line and -EPERM when
 * not run as root; else take the host-wide cxl-sysram lock (util/lock.h).
 */
int writer_begin(const char *cmd);

#endif /* CXL_BUILTIN_H */
