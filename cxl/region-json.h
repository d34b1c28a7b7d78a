/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_REGION_JSON_H
#define CXL_REGION_JSON_H

#include <json-c/json.h>
#include <stdbool.h>

#include "cxl/lib/region.h"
#include "cxl/lib/stack.h"
#include "util/log.h"

enum {
	RJ_HUMAN = 1 << 0,
	RJ_MAPPINGS = 1 << 1,
	RJ_DAX = 1 << 2,
	RJ_STACK = 1 << 3, /* mode, region_driver, sysram, decoder */
};

/* the region object: keys in upstream's order, then ours */
struct json_object *region_to_json(const struct region_info *ri,
				   const struct stack_state *st,
				   unsigned int flags);
/* only the keys this project adds, for enriching upstream's objects */
void region_json_add_stack(struct json_object *obj,
			   const struct region_info *ri,
			   const struct stack_state *st, unsigned int flags);
struct json_object *region_json_daxregion(const struct region_info *ri,
					  const struct stack_state *st,
					  unsigned int flags);

/*
 * @region as sysfs shows it now, with mappings, daxregion and our keys;
 * NULL after logging "<region>: read back failed" through @log.
 */
struct json_object *region_json_now(struct log_ctx *log, const char *fn,
				    const char *region, bool human);

#endif /* CXL_REGION_JSON_H */
