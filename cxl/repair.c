// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/leftover.h"
#include "cxl/lib/stack.h"
#include "cxl/repair.h"
#include "util/journal.h"
#include "util/name.h"
#include "util/sysfs.h"

#define FN "repair"

static struct log_ctx rl;

static void repair_setting(const char *cmd, const struct journal_entry *e)
{
	char cur[64];
	int rc;

	if (sysfs_read(e->key, cur, sizeof(cur)) == 0 &&
	    !strcmp(cur, e->args)) {
		journal_drop(e->kind, e->key);
		return;
	}
	rc = sysfs_write(e->key, e->args);
	if (rc) {
		fprintf(stderr,
			"cxl %s: cannot put %s back to '%s', as a killed cxl command left it: %s; do it with: echo %s > %s\n",
			cmd, e->key, e->args, strerror(-rc), e->args, e->key);
		return;
	}
	fprintf(stderr,
		"cxl %s: put %s back to '%s' (a killed cxl command had left it at '%s')\n",
		cmd, e->key, e->args, cur);
	journal_drop(e->kind, e->key);
}

/* take the region apart for good, as destroy-region does */
static int remove_region(const struct region_info *ri)
{
	struct stack_state st;
	struct txn *t;
	int rc;

	rc = stack_describe(ri, &st);
	if (rc)
		return rc;
	t = txn_new(&rl, FN, false);
	if (!t)
		return -ENOMEM;
	rc = stack_remove_region(t, ri, &st);
	if (rc) {
		if (txn_rollback(t))
			leftover_report(&rl, FN, ri->name, ri->targets,
					ri->ways, txn_stopped_at(t),
					txn_stopped_rc(t));
	} else {
		txn_commit(t);
	}
	txn_free(t);
	return rc;
}

/* DPA that a killed create gave a decoder and no region took back */
static void free_orphan_dpa(const char *cmd, const char *args)
{
	char buf[JOURNAL_LINE], *dec, *save;
	uint64_t dpa;

	snprintf(buf, sizeof(buf), "%s", args);
	for (dec = strtok_r(buf, " ", &save); dec;
	     dec = strtok_r(NULL, " ", &save)) {
		struct txn *t;

		if (!name_parse(OBJ_DECODER, dec, NULL) ||
		    decoder_read_dpa_size(dec, &dpa) || !dpa)
			continue;
		t = txn_new(&rl, FN, false);
		if (!t)
			return;
		if (decoder_free_dpa(t, dec, dpa))
			txn_rollback(t);
		else
			fprintf(stderr,
				"cxl %s: gave back the device memory of %s that a killed cxl command had left it\n",
				cmd, dec);
		txn_free(t);
	}
}

static void repair_region(const char *cmd, const struct journal_entry *e)
{
	bool create = !strcmp(e->kind, "create");
	struct region_info ri;

	if (name_parse(OBJ_REGION, e->key, NULL) && region_exists(e->key) &&
	    !region_read_info(e->key, &ri)) {
		if (!remove_region(&ri))
			fprintf(stderr,
				"cxl %s: %s %s, which a killed %s had left %s\n",
				cmd, create ? "removed" : "finished destroying",
				e->key,
				create ? "create-region" : "destroy-region",
				create ? "half-built" : "half-destroyed");
	}
	free_orphan_dpa(cmd, e->args);
	journal_drop(e->kind, e->key);
}

int journal_add_region(const char *kind, const char *region,
		       const char (*ep)[NAME_LEN], unsigned int n)
{
	char decs[REGION_MAX_WAYS * NAME_LEN] = "";
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < n && i < REGION_MAX_WAYS && off < sizeof(decs); i++) {
		int k;

		if (!ep[i][0])
			continue;
		k = snprintf(decs + off, sizeof(decs) - off, "%s%s",
			     off ? " " : "", ep[i]);
		if (k > 0)
			off += (size_t)k;
	}
	return journal_add(kind, region, decs);
}

int journal_add_previous(const char *region, const struct stack_state *st)
{
	char prev[64];

	snprintf(prev, sizeof(prev), "%s %s", region_mode_name(st->mode),
		 st->mode == RMODE_SYSRAM ? st->online_type : "-");
	return journal_add("reconfigure", region, prev);
}

/* bring @ri back to what it was before a killed reconfigure */
static void repair_reconfigure(const char *cmd, const struct journal_entry *e)
{
	struct stack_request req = { .method = METHOD_AUTO,
				     .timeout_ms = 30000 };
	char mode[16] = "", online[24] = "";
	struct stack_choice choice;
	struct kernel_caps caps;
	struct region_info ri;
	struct stack_state st;
	enum method used;
	struct txn *t;
	char why[256];
	int rc;

	if (sscanf(e->args, "%15s %23s", mode, online) != 2 ||
	    !name_parse(OBJ_REGION, e->key, NULL) || !region_exists(e->key) ||
	    region_read_info(e->key, &ri) || stack_describe(&ri, &st))
		goto out;
	req.mode = region_mode_parse(mode);
	req.online = req.mode == RMODE_SYSRAM ? online_type_parse(online)
					      : ONLINE_MOVABLE;
	if (req.mode == RMODE_INVALID || req.online == ONLINE_TYPE_INVALID)
		goto out;
	if (stack_is(&st, &req)) {
		/*
		 * Killed between dropping a legacy devdax's id from
		 * device_dax and the unbind: the device is still bound; its
		 * id goes back, as the bring-up would have added it.
		 */
		if (req.mode == RMODE_DEVDAX && st.nr_dax &&
		    !strcmp(ri.driver, "cxl_region"))
			dax_new_id(st.dax[0].name, "device_dax");
		goto out;
	}
	kernel_caps_detect(&caps);
	if (stack_choose(&caps, &req, &choice, why, sizeof(why)))
		goto out;
	t = txn_new(&rl, FN, false);
	if (!t)
		goto out;
	rc = stack_reconfigure(t, &ri, &st, &caps, &req, &choice, &used);
	if (rc) {
		if (txn_rollback(t))
			leftover_report(&rl, FN, ri.name, NULL, 0,
					txn_stopped_at(t), txn_stopped_rc(t));
	} else {
		txn_commit(t);
		fprintf(stderr,
			"cxl %s: put %s back to %s%s%s, as it was before a killed reconfigure-region\n",
			cmd, ri.name, mode, req.mode == RMODE_SYSRAM ? " " : "",
			req.mode == RMODE_SYSRAM ? online : "");
	}
	txn_free(t);
out:
	journal_drop(e->kind, e->key);
}

void journal_repair(const char *cmd)
{
	struct journal_entry *e = calloc(JOURNAL_MAX, sizeof(*e));
	int i, n;

	if (!e)
		return;
	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	n = journal_read(e, JOURNAL_MAX);
	/* settings first: a region taken apart below must see them right */
	for (i = 0; i < n; i++)
		if (!strcmp(e[i].kind, "setting"))
			repair_setting(cmd, &e[i]);
	for (i = 0; i < n; i++)
		if (!strcmp(e[i].kind, "create") ||
		    !strcmp(e[i].kind, "destroy"))
			repair_region(cmd, &e[i]);
		else if (!strcmp(e[i].kind, "reconfigure"))
			repair_reconfigure(cmd, &e[i]);
	free(e);
}
