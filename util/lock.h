/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_LOCK_H
#define UTIL_LOCK_H

/*
 * One writing cxl-sysram command at a time on a host: create, reconfigure
 * (including the boot-time policy service), enable, disable and destroy
 * take this lock before their first write and hold it until they exit, so
 * two of them never interleave their steps on the same region or on a
 * global setting like auto_online_blocks. Waits for the holder, saying so
 * once on stderr ("cxl @cmd: waiting for another cxl command (pid N)...");
 * the wait ends with -EINTR when @interrupted (may be NULL) says a signal
 * came. Returns 0 or -errno.
 */
int sysram_lock(const char *cmd, int (*interrupted)(void));

#endif /* UTIL_LOCK_H */
