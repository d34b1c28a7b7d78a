/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_REPAIR_H
#define CXL_REPAIR_H

#include "cxl/lib/region.h"
#include "cxl/lib/stack.h"

/*
 * Put right what a killed writing command left (util/journal.h): global
 * settings back to their values, a half-built region removed, a destroy
 * finished, a region a killed reconfigure left halfway put back as it was.
 * Each repair is said in one line on stderr, as "cxl @cmd: ...".
 * Called by every writing command once it holds the writers' lock.
 */
void journal_repair(const char *cmd);

/*
 * Write down that @kind ("create" or "destroy") of @region is under way,
 * with the endpoint decoders whose DPA it holds or will hold.
 */
int journal_add_region(const char *kind, const char *region,
		       const char (*ep)[NAME_LEN], unsigned int n);

/* write down what @region is before a reconfigure changes it */
int journal_add_previous(const char *region, const struct stack_state *st);

#endif /* CXL_REPAIR_H */
