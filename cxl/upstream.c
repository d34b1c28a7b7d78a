// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/*
 * Start upstream with its stdout on @pipefd[1] and, when @err_fd >= 0, its
 * stderr on @err_fd (posix_spawn: no copy of this process's page tables,
 * which a fork under an emulator pays for), with the loop guard set in
 * its environment only.
 */
static int spawn_to(const char *path, const char *const *args,
		    const int pipefd[2], int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int rc;

	rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		return -rc;
	rc = posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	if (!rc && err_fd >= 0)
		rc = posix_spawn_file_actions_adddup2(&fa, err_fd,
						      STDERR_FILENO);
	if (!rc)
		rc = posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	if (!rc)
		rc = posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	if (!rc) {
		fflush(NULL);
		setenv(PASSTHROUGH_ENV, "1", 1);
		rc = posix_spawn(pid, path, &fa, NULL, (char *const *)args,
				 environ);
		unsetenv(PASSTHROUGH_ENV);
	}
	posix_spawn_file_actions_destroy(&fa);
	return -rc;
}

/* everything @fd gives until its end, NUL-terminated (malloc'd) */
static int read_all(int fd, char **out)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc = 0;

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
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				rc = -errno;
			break;
		}
		len += (size_t)n;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int upstream_capture(const char *const *args, char **out, int *status)
{
	return upstream_capture_err(args, out, NULL, status);
}

int upstream_capture_err(const char *const *args, char **out, char **err,
			 int *status)
{
	const char *path = upstream_path();
	int pipefd[2], err_fd = -1, rc, wrc = 0, wstatus;
	char *buf = NULL;
	pid_t pid;

	rc = upstream_check(path);
	if (rc)
		return rc;
	if (err) {
		*err = NULL;
		err_fd = memfd_create("cxl-upstream-stderr", MFD_CLOEXEC);
		if (err_fd < 0)
			return -errno;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out_err;
	}
	rc = spawn_to(path, args, pipefd, err_fd, &pid);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		goto out_err;
	}
	rc = read_all(pipefd[0], &buf);
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			wrc = -errno;
			break;
		}
	if (!rc)
		rc = wrc;
	if (!rc && err)
		rc = lseek(err_fd, 0, SEEK_SET) < 0 ? -errno
						    : read_all(err_fd, err);
	if (rc) {
		free(buf);
		goto out_err;
	}
	*out = buf;
	*status = WIFEXITED(wstatus)	 ? WEXITSTATUS(wstatus)
		  : WIFSIGNALED(wstatus) ? -WTERMSIG(wstatus)
					 : 128;
out_err:
	if (err_fd >= 0)
		close(err_fd);
	return rc;
}
