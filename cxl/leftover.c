// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cxl/leftover.h"
#include "cxl/lib/stack.h"
#include "cxl/lib/topology.h"
#include "util/size.h"

/* why a block would not go offline, in words an administrator can act on */
static const char *busy_reason(int rc)
{
	if (rc == -EBUSY)
		return "busy: the kernel could not move what is in the memory, typically unmovable allocations in ZONE_NORMAL";
	return strerror(-rc);
}

static void region_left(struct log_ctx *log, const char *fn, const char *region,
			const char *stop_at, int stop_rc)
{
	struct region_info ri;
	struct stack_state st;
	char blocks[256];

	if (region_read_info(region, &ri) || stack_describe(&ri, &st)) {
		log_msg(log, LOG_ERR, fn,
			"%s is left behind; remove it with: cxl destroy-region -f %s",
			region, region);
		return;
	}
	if (!st.blocks.online) {
		log_msg(log, LOG_ERR, fn,
			"%s is left behind (%s, %s); remove it with: cxl destroy-region -f %s",
			region, ri.committed ? "committed" : "not committed",
			ri.driver[0] ? "enabled" : "disabled", region);
		return;
	}
	memblock_list_online(&st.range, blocks, sizeof(blocks));
	log_msg(log, LOG_ERR, fn,
		"%s: %lu memory block%s (%s) stay%s online: undoing '%s' failed (%s); %s stays enabled above %s",
		region, st.blocks.online, st.blocks.online == 1 ? "" : "s",
		blocks, st.blocks.online == 1 ? "s" : "",
		stop_at ? stop_at : "offline",
		busy_reason(stop_rc ? stop_rc : -EBUSY), region,
		st.blocks.online == 1 ? "it" : "them");
	log_msg(log, LOG_ERR, fn,
		"%s: remove it with: cxl destroy-region -f %s, once the memory can go offline; until then it stays, at the latest until reboot",
		region, region);
}

void leftover_report(struct log_ctx *log, const char *fn, const char *region,
		     const char (*ep)[NAME_LEN], int nr_ep, const char *stop_at,
		     int stop_rc)
{
	char memdev[NAME_LEN], sz[32];
	uint64_t dpa;
	int i;

	struct region_info ri = { .ways = 0 };
	unsigned int k;

	if (region && region[0] && region_exists(region)) {
		region_left(log, fn, region, stop_at, stop_rc);
		if (region_read_info(region, &ri))
			ri.ways = 0;
	}
	/* DPA the region no longer uses (or, gone, never gave back) */
	for (i = 0; i < nr_ep; i++) {
		bool attached = false;

		for (k = 0; k < ri.ways && k < REGION_MAX_WAYS; k++)
			attached |= !strcmp(ri.targets[k], ep[i]);
		if (attached || decoder_read_dpa_size(ep[i], &dpa) || !dpa)
			continue;
		if (topo_decoder_memdev(ep[i], memdev, sizeof(memdev)))
			snprintf(memdev, sizeof(memdev), "its memdev");
		size_format_like("1m", dpa, sz, sizeof(sz));
		log_msg(log, LOG_ERR, fn,
			"%s (%s) still holds %s of device memory; free it with: cxl free-dpa -t ram %s",
			ep[i], memdev, sz, memdev);
	}
}
