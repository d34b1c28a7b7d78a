// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/lock.h"

#define LOCK_PATH "/run/cxl-sysram.lock"

int sysram_lock(void)
{
	static int fd = -1;

	if (fd >= 0)
		return 0;
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* held until the process exits: the kernel drops it then */
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			int rc = -errno;

			close(fd);
			fd = -1;
			return rc;
		}
	return 0;
}
