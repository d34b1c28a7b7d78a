// SPDX-License-Identifier: GPL-2.0
/*
 * `cxl COMMAND --help` and `cxl help COMMAND`: show this project's man page
 * for the command, never the distribution's page of the same name, which
 * describes upstream's options (create-region without --mode, say).
 *
 * The page is looked up by file: in the build tree first when this binary
 * runs from it (a developer sees the pages of the same build), else where
 * this build installs it (<prefix>/share/man/man1: `meson install` leaves it
 * as is, the Debian package gzips it), then the other place. The Debian
 * package diverts ndctl's pages of the same names to cxl-NAME.ndctl.1.gz,
 * which no exact lookup here can pick up. Commands whose page is upstream's
 * (list, which only adds keys) use man's own search.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/help.h"

static bool running_from_build_tree(void)
{
	char exe[PATH_MAX];
	size_t n = strlen(BUILD_ROOT);

	if (!realpath("/proc/self/exe", exe))
		return false;
	return strncmp(exe, BUILD_ROOT, n) == 0 && exe[n] == '/';
}

static bool find_page(const char *dir, const char *page, char *path, size_t len)
{
	static const char *const suffixes[] = { ".1", ".1.gz" };
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		n = snprintf(path, len, "%s/%s%s", dir, page, suffixes[i]);
		if (n > 0 && (size_t)n < len && access(path, R_OK) == 0)
			return true;
	}
	return false;
}

static int exec_man(const char *arg1, const char *arg2)
{
	fflush(NULL);
	if (arg2)
		execlp("man", "man", arg1, arg2, (char *)NULL);
	else
		execlp("man", "man", arg1, (char *)NULL);
	fprintf(stderr, "cxl: failed to run man: %s\n", strerror(errno));
	return 1;
}

int show_help(const struct cmd_struct *cmd)
{
	const char *dirs[2] = { MAN1_DIR, BUILD_MAN_DIR };
	char page[96], path[PATH_MAX];
	const char *argv[] = { cmd->name, "-h", NULL };
	unsigned int i;

	snprintf(page, sizeof(page), "cxl-%s", cmd->name);
	if (!cmd->own_page)
		return exec_man(page, NULL);

	if (running_from_build_tree()) {
		dirs[0] = BUILD_MAN_DIR;
		dirs[1] = MAN1_DIR;
	}
	for (i = 0; i < 2; i++)
		if (find_page(dirs[i], page, path, sizeof(path)))
			return exec_man("-l", path);

	fprintf(stderr,
		"cxl: %s(1) of cxl-sysram is not installed (meson install); its options:\n",
		page);
	return cmd->fn(2, argv);
}
