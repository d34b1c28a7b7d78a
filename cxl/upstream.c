// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxl/upstream.h"

/* set in the environment of the exec'd upstream to catch indirect loops */
#define PASSTHROUGH_ENV "CXL_SYSRAM_PASSTHROUGH"

const char *upstream_path(void)
{
	const char *env = getenv("CXL_UPSTREAM");

	return env && *env ? env : UPSTREAM_CXL;
}

int upstream_check(const char *path)
{
	struct stat self, up;

	if (stat(path, &up) < 0)
		return -errno;
	if (!S_ISREG(up.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	if (stat("/proc/self/exe", &self) == 0 && self.st_dev == up.st_dev &&
	    self.st_ino == up.st_ino)
		return -ELOOP;
	/* a wrapper script that leads back here, or another copy of us */
	if (upstream_reentered())
		return -ELOOP;
	return 0;
}

bool upstream_reentered(void)
{
	return getenv(PASSTHROUGH_ENV) != NULL;
}

int upstream_report(const char *path, int rc)
{
	if (rc == -ELOOP)
		fprintf(stderr,
			"cxl: upstream cxl '%s' is this program itself; set CXL_UPSTREAM or -Dupstream_cxl to the distribution's cxl\n",
			path);
	else
		fprintf(stderr, "cxl: cannot run upstream cxl '%s': %s\n", path,
			strerror(-rc));
	return 1;
}

int upstream_exec(int argc, const char **argv)
{
	const char *path = upstream_path();
	int rc = upstream_check(path);

	if (rc)
		return upstream_report(path, rc);
	fflush(NULL);
	setenv(PASSTHROUGH_ENV, "1", 1);
	execv(path, (char *const *)argv);
	return upstream_report(path, -errno);
}

int upstream_capture(const char *const *args, char **out, int *status)
{
	const char *path = upstream_path();
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int pipefd[2], rc, wstatus;
	pid_t pid;

	rc = upstream_check(path);
	if (rc)
		return rc;
	if (pipe(pipefd) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return rc;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv(PASSTHROUGH_ENV, "1", 1);
		execv(path, (char *const *)args);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n;

		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		n = read(pipefd[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				rc = -errno;
			break;
		}
		len += (size_t)n;
	}
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			rc = rc ? rc : -errno;
			break;
		}
	if (rc) {
		free(buf);
		return rc;
	}
	if (!buf)
		buf = calloc(1, 1);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	*out = buf;
	*status = WIFEXITED(wstatus)	 ? WEXITSTATUS(wstatus)
		  : WIFSIGNALED(wstatus) ? -WTERMSIG(wstatus)
					 : 128;
	return 0;
}
