// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxl/upstream.h"
#include "util/txn.h"

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

/* @fd on @to in the child, without close-on-exec (dup2 of an fd onto itself
 * keeps the flag: the case of a pipe made while stdout was closed) */
static int dup_to(int fd, int to)
{
	if (fd == to)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, to) < 0 ? -1 : 0;
}

/*
 * The child of spawn_to(), between vfork and exec: it shares this
 * process's memory, so it only makes system calls. A handler of ours
 * would run in it if one of our signals came before the exec: each is
 * put back to the default first (an ignored one stays ignored), then the
 * mask is restored. posix_spawn does the same for every signal, two calls
 * each: 128 system calls, a tenth of a listing's under an emulator.
 */
static __attribute__((noreturn)) void
spawn_child(const char *path, const char *const *args, const int pipefd[2],
	    int err_fd, const sigset_t *mask, volatile int *child_errno)
{
	struct sigaction sa, old;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < TXN_NR_SIGNALS; i++)
		if (sigaction(txn_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN)
			sigaction(txn_signals[i], &sa, NULL);
	if (dup_to(pipefd[1], STDOUT_FILENO) < 0 ||
	    (err_fd >= 0 && dup_to(err_fd, STDERR_FILENO) < 0))
		goto out;
	sigprocmask(SIG_SETMASK, mask, NULL);
	execve(path, (char *const *)args, environ);
out:
	*child_errno = errno ? errno : EIO;
	_exit(127);
}

/*
 * The vfork alone, in a function of its own: nothing of the caller's is
 * live across it, which a compiler would otherwise warn may be clobbered.
 */
static __attribute__((noinline)) pid_t
vfork_child(const char *path, const char *const *args, const int pipefd[2],
	    int err_fd, const sigset_t *mask, volatile int *child_errno)
{
	pid_t p = vfork();

	if (p == 0)
		spawn_child(path, args, pipefd, err_fd, mask, child_errno);
	return p;
}

/*
 * Start upstream with its stdout on @pipefd[1] and, when @err_fd >= 0, its
 * stderr on @err_fd, with the loop guard set in its environment only. A
 * vfork: no copy of this process's page tables, which a fork under an
 * emulator pays for. Both pipe ends are close-on-exec, and so is @err_fd;
 * dup2 gives the child's copies on 1 and 2 without that flag.
 */
static int spawn_to(const char *path, const char *const *args,
		    const int pipefd[2], int err_fd, pid_t *pid)
{
	volatile int child_errno = 0;
	sigset_t all, mask;
	pid_t p;
	int rc = 0;

	fflush(NULL);
	if (setenv(PASSTHROUGH_ENV, "1", 1) < 0)
		return -errno;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &mask);
	p = vfork_child(path, args, pipefd, err_fd, &mask, &child_errno);
	if (p < 0)
		rc = -errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	unsetenv(PASSTHROUGH_ENV);
	if (p > 0 && child_errno) {
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
		rc = -child_errno;
	}
	if (!rc)
		*pid = p;
	return rc;
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
