// SPDX-License-Identifier: GPL-2.0
/*
 * The cxl front end: commands this project implements run here, every other
 * command is handed to the distribution's cxl-cli unchanged.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/help.h"
#include "cxl/repair.h"
#include "cxl/upstream.h"
#include "util/lock.h"
#include "util/txn.h"

const struct cmd_struct builtin_cmds[] = {
	{ "list", cmd_list, false },
	{ "create-region", cmd_create_region, true },
	{ "enable-region", cmd_enable_region, true },
	{ "disable-region", cmd_disable_region, true },
	{ "destroy-region", cmd_destroy_region, true },
	{ "reconfigure-region", cmd_reconfigure_region, true },
};
const unsigned int nr_builtin_cmds =
	sizeof(builtin_cmds) / sizeof(builtin_cmds[0]);

static const char main_usage[] = "cxl [--version] [--help] COMMAND [ARGS]";

static const struct cmd_struct *find_builtin(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_builtin_cmds; i++)
		if (!strcmp(builtin_cmds[i].name, name))
			return &builtin_cmds[i];
	return NULL;
}

static const char *sigabbrev(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return "a signal";
}

int writer_begin(const char *cmd)
{
	int rc;

	if (geteuid() != 0) {
		fprintf(stderr, "cxl %s: must be run as root\n", cmd);
		return -EPERM;
	}
	/* from here on, Ctrl-C ends in a rollback, not in a half state */
	txn_catch_signals();
	/* every caller is about to write: one writer at a time */
	rc = sysram_lock(cmd, txn_interrupted);
	if (rc == -EINTR) {
		fprintf(stderr,
			"cxl %s: interrupted by %s while waiting for the lock; nothing changed\n",
			cmd, sigabbrev(txn_interrupted()));
		exit(128 + txn_interrupted());
	}
	if (rc) {
		fprintf(stderr, "cxl %s: cannot take the cxl-sysram lock: %s\n",
			cmd, strerror(-rc));
		return rc;
	}
	/* what a killed predecessor left, before anything else is read */
	journal_repair(cmd);
	return 0;
}

/* why upstream's --version gave no version, for the one line that says so */
static void version_unavailable(int rc, int status, const char *out)
{
	const char *path = upstream_path();

	if (rc == -ELOOP)
		printf("upstream cxl: unavailable (%s is cxl-sysram itself)\n",
		       path);
	else if (rc)
		printf("upstream cxl: unavailable (%s: %s)\n", path,
		       strerror(-rc));
	else if (status)
		printf("upstream cxl: unavailable (%s --version: exit status %d)\n",
		       path, status);
	else
		printf("upstream cxl: unavailable (%s --version printed %s)\n",
		       path, *out ? "more than a version" : "nothing");
}

/*
 * Ours, then upstream's: one line each, whatever upstream prints. A version
 * is one line without spaces ("76.1"); anything else is not upstream cxl.
 */
static int print_version(void)
{
	const char *args[] = { upstream_path(), "--version", NULL };
	char *out = NULL;
	int status = 0, rc;
	size_t len;

	printf("cxl-sysram %s\n", VERSION);
	rc = upstream_capture(args, &out, &status);
	if (!rc && !status) {
		len = strcspn(out, "\n");
		if (len && !out[len + strspn(out + len, "\n")] &&
		    !memchr(out, ' ', len)) {
			out[len] = '\0';
			printf("upstream cxl %s (%s)\n", out, upstream_path());
			free(out);
			return 0;
		}
	}
	version_unavailable(rc, status, out ? out : "");
	free(out);
	return 0;
}

static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') &&
		    (p[len] == '\n' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* upstream's command list, then ours that it lacks: one per line */
static int list_cmds(void)
{
	const char *args[] = { upstream_path(), "--list-cmds", NULL };
	char *out = NULL;
	unsigned int i;
	int status, rc;

	rc = upstream_capture(args, &out, &status);
	if (rc || status) {
		fprintf(stderr, "cxl: could not list upstream commands (%s)\n",
			upstream_path());
		free(out);
		out = NULL;
	}
	if (out)
		fputs(out, stdout);
	for (i = 0; i < nr_builtin_cmds; i++)
		if (!out || !has_line(out, builtin_cmds[i].name))
			printf("%s\n", builtin_cmds[i].name);
	free(out);
	return 0;
}

static int usage(int rc)
{
	fprintf(stderr,
		"\n usage: %s\n\n See 'cxl help COMMAND' for more information on a specific command.\n cxl --list-cmds to see all available commands\n\n",
		main_usage);
	return rc;
}

/*
 * A command that failed because a signal interrupted it exits 128 + the
 * signal, as a shell reports it, after one line saying so: rolled back,
 * or (the command said what) left as it stood where memory stayed online.
 */
static int interrupted_exit(const struct cmd_struct *cmd, int rc)
{
	int sig = txn_interrupted();

	if (!rc || !sig)
		return rc;
	fprintf(stderr, "cxl %s: interrupted by %s; %s\n", cmd->name,
		sigabbrev(sig),
		txn_rollback_incomplete() ? "rolled back as far as it could"
					  : "rolled back");
	return 128 + sig;
}

static int finish(int rc)
{
	if (rc == 0 && (fflush(stdout) || ferror(stdout) || fclose(stdout))) {
		fprintf(stderr, "cxl: write failure on standard output: %s\n",
			strerror(errno));
		return 1;
	}
	return rc & 0xff;
}

int main(int argc, const char **argv)
{
	const struct cmd_struct *cmd;
	const char *name;

	/*
	 * started as the upstream of a cxl-sysram (another copy of this
	 * program, or a wrapper leading back here): answering as upstream
	 * would pass our output off as the distribution's, passing on could
	 * loop
	 */
	if (upstream_reentered()) {
		fprintf(stderr,
			"cxl: cxl-sysram was run as the upstream cxl of another cxl-sysram; set CXL_UPSTREAM or -Dupstream_cxl to the distribution's cxl\n");
		return 1;
	}
	if (argc < 2)
		return usage(1);
	name = argv[1];

	if (!strcmp(name, "--version") || !strcmp(name, "-v"))
		return finish(print_version());
	if (!strcmp(name, "--list-cmds"))
		return finish(list_cmds());
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return usage(0);
	if (!strcmp(name, "help") && argc > 2 && find_builtin(argv[2]))
		return show_help(find_builtin(argv[2]));

	cmd = find_builtin(name[0] == '-' && name[1] == '-' ? name + 2 : name);
	if (!cmd)
		return upstream_exec(argc, argv);
	if (argc > 2 && !strcmp(argv[2], "--help"))
		return show_help(cmd);
	return finish(interrupted_exit(cmd, cmd->fn(argc - 1, argv + 1)));
}
