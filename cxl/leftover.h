/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LEFTOVER_H
#define CXL_LEFTOVER_H

#include "cxl/lib/region.h"
#include "util/log.h"

/*
 * After a rollback that could not undo everything: say what is left, read
 * from sysfs now rather than from what the command meant to do, and the
 * command that finishes the job (or that the memory stays until reboot).
 * @region is the region the command worked on ("" if it never got one),
 * @ep the endpoint decoders it gave DPA to (@nr_ep of them, may be 0),
 * @stop_at and @stop_rc the undo the rollback stopped at and its -errno
 * (NULL and 0: it did not stop, an undo failed on the way).
 */
void leftover_report(struct log_ctx *log, const char *fn, const char *region,
		     const char (*ep)[NAME_LEN], int nr_ep, const char *stop_at,
		     int stop_rc);

#endif /* CXL_LEFTOVER_H */
