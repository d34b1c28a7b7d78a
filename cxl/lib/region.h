/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_LIB_REGION_H
#define CXL_LIB_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "util/txn.h"

#define REGION_MAX_WAYS 16
#define NAME_LEN 48

/* what sysfs says about a region, read fresh (no library cache) */
struct region_info {
	char name[NAME_LEN];
	int id;
	char decoder[NAME_LEN]; /* the root decoder that holds it */
	uint64_t size, resource;
	unsigned int ways, granularity;
	bool committed;
	char mode[16]; /* "ram", "pmem" */
	char driver[NAME_LEN]; /* "" when unbound */
	char targets[REGION_MAX_WAYS][NAME_LEN];
};

int region_read_info(const char *region, struct region_info *ri);
/*
 * Only what describing the region's stack needs (name, id, root decoder,
 * size, resource, mode, driver): a listing, whose geometry, commit state
 * and targets come from upstream's JSON; the rest is left zero.
 */
int region_read_stack_info(const char *region, struct region_info *ri);
/* names of all regions, sorted by id; returns the count or -errno */
int region_list(char (*names)[NAME_LEN], int max);
bool region_exists(const char *region);
/* endpoint decoder attributes */
int decoder_read_mode(const char *decoder, char *buf, size_t len);
int decoder_read_dpa_size(const char *decoder, uint64_t *size);

/*
 * Creation steps, each through the transaction so that a failure anywhere
 * undoes what came before: the region name is claimed from the root
 * decoder (EBUSY on a concurrent claim is retried), geometry set, one
 * endpoint decoder per position given DPA and attached, then committed.
 */
int region_claim_ram(struct txn *t, const char *root, char *name, size_t len);
int region_set_geometry(struct txn *t, const char *region,
			unsigned int granularity, unsigned int ways,
			uint64_t size);
int region_attach(struct txn *t, const char *region, const char *root,
		  int position, const char *ep_decoder, uint64_t dpa_size);
int region_commit(struct txn *t, const char *region);

/* drivers on the cxl bus */
int cxlbus_bind(struct txn *t, const char *dev, const char *driver);
/* unbind @dev from whatever it is bound to; undo rebinds that driver */
int cxlbus_unbind(struct txn *t, const char *dev);
int cxlbus_dev_driver(const char *dev, char *buf, size_t len);
bool cxlbus_driver_exists(const char *driver);

/* teardown steps (destroy-region), each undoable until the delete */
int region_decommit(struct txn *t, const char *region);
int region_detach_all(struct txn *t, const struct region_info *ri);
int region_delete(struct txn *t, const struct region_info *ri);
/* give an endpoint decoder's @dpa bytes back (its undo takes them again) */
int decoder_free_dpa(struct txn *t, const char *ep, uint64_t dpa);

#endif /* CXL_LIB_REGION_H */
