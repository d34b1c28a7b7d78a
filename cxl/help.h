/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_HELP_H
#define CXL_HELP_H

struct cmd_struct;

/*
 * Show the man page of a built-in command (exec's man); without an
 * installed or built page, the command's usage (exit 129, as for -h).
 */
int show_help(const struct cmd_struct *cmd);

#endif /* CXL_HELP_H */
