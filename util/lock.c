// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/lock.h"

#define LOCK_PATH "/run/cxl-sysram.lock"

/* the holder's pid, which it writes into the file, or 0 */
static long holder(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int sysram_lock(const char *cmd, int (*interrupted)(void))
{
	static int fd = -1;
	char pid[24];
	int rc, n;

	if (fd >= 0)
		return 0;
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			goto fail;
		/* one line, so that a wait does not look like a hang */
		fprintf(stderr,
			"cxl %s: waiting for another cxl command (pid %ld)...\n",
			cmd, holder(fd));
		/*
		 * Poll rather than block: a signal that lands between a check
		 * and a blocking flock() would otherwise wait out the holder
		 */
		while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno != EWOULDBLOCK && errno != EINTR)
				goto fail;
			if (interrupted && interrupted()) {
				errno = EINTR;
				goto fail;
			}
			usleep(20000);
		}
	}
	/* held until the process exits: the kernel drops it then */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) != n)
		return 0; /* only the waiters' message lacks the pid */
	return 0;
fail:
	rc = -errno;
	close(fd);
	fd = -1;
	return rc;
}
