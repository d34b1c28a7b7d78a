/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_BUILTIN_H
#define CXL_BUILTIN_H

#include <stdbool.h>

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
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

/* exit early with one line when a writing command is not run as root */
int require_root(const char *cmd);

#endif /* CXL_BUILTIN_H */
