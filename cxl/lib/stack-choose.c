// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel offers, and the one decision of how a request
 * is carried out on it. Nothing else decides: the check, the plan, the
 * bring-up and the read-back all use stack_choose().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cxl/lib/stack.h"
#include "util/sysfs.h"

/* the v1 names, then the spellings proposed in review */
static const char *const drv_spellings[][3] = {
	{ "cxl_sysram_region", "cxl_devdax_region", "cxl_dax_kmem_region" },
	{ "region_sysram", "region_daxdev", "region_dax_kmem" },
};

#define NR_SPELLINGS (sizeof(drv_spellings) / sizeof(drv_spellings[0]))

void kernel_caps_learn(struct kernel_caps *caps, const struct dax_dev *dev)
{
	if (strcmp(dev->driver, "kmem"))
		return;
	if (dev->state_attr[0]) {
		caps->dax_state = CAP_YES;
		snprintf(caps->dax_state_attr, sizeof(caps->dax_state_attr),
			 "%s", dev->state_attr);
	} else if (caps->dax_state == CAP_UNKNOWN) {
		caps->dax_state = CAP_NO;
	}
}

/* the dax state went into mainline in 7.3: the kernel release says so */
#define KERNEL_RELEASE_ATTR "/proc/sys/kernel/osrelease"

static bool release_has_dax_state(void)
{
	char rel[64];
	unsigned int major, minor;

	if (sysfs_read(KERNEL_RELEASE_ATTR, rel, sizeof(rel)) ||
	    sscanf(rel, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 7 || (major == 7 && minor >= 3);
}

int kernel_caps_detect(struct kernel_caps *caps)
{
	struct dax_dev devs[16];
	size_t i;
	int n;

	memset(caps, 0, sizeof(*caps));
	for (i = 0; i < NR_SPELLINGS; i++) {
		if (!cxlbus_driver_exists(drv_spellings[i][0]))
			continue;
		caps->region_driver = true;
		snprintf(caps->sysram_drv, NAME_LEN, "%s", drv_spellings[i][0]);
		snprintf(caps->devdax_drv, NAME_LEN, "%s", drv_spellings[i][1]);
		snprintf(caps->kmem_drv, NAME_LEN, "%s", drv_spellings[i][2]);
		break;
	}
	/* any device that kmem has probed tells whether it has the state */
	n = dax_devs_all(devs, 16);
	for (i = 0; n > 0 && i < (size_t)n; i++)
		kernel_caps_learn(caps, &devs[i]);
	if (caps->dax_state == CAP_UNKNOWN)
		caps->dax_state_expected = release_has_dax_state();
	return 0;
}

static int refuse(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EOPNOTSUPP;
}

static int choose_sysram(const struct kernel_caps *caps,
			 const struct stack_request *r, struct stack_choice *c,
			 char *why, size_t len)
{
	/* the first spelling of the state ("hotplug") had no online_kernel */
	bool state_can_kernel = strcmp(caps->dax_state_attr, "hotplug");
	enum online_type type = r->online;
	enum method m = r->method;
	const struct stack_conflict *conflict = stack_conflict(m, type);

	/* what the interface can never do, on any kernel */
	if (conflict) {
		snprintf(why, len, "%s; use --method=%s", conflict->why,
			 conflict->methods);
		return -EOPNOTSUPP;
	}
	if (m == METHOD_DAX_STATE && caps->dax_state == CAP_NO)
		return refuse(
			why, len,
			"this kernel's kmem has no dax state attribute (Linux 7.3 and later have it); use --method=auto or legacy");
	if (m == METHOD_DAX_STATE && caps->dax_state == CAP_YES &&
	    type == ONLINE_KERNEL && !state_can_kernel)
		return refuse(
			why, len,
			"this kernel's dax hotplug attribute has no online_kernel; use --method=auto or legacy");

	/* the region driver applies the type itself (v1: not kernel) */
	if ((m == METHOD_AUTO && caps->region_driver &&
	     type != ONLINE_KERNEL) ||
	    m == METHOD_REGION_DRIVER) {
		c->hot_add = METHOD_REGION_DRIVER;
		c->hot_add_type = type;
		c->online = METHOD_REGION_DRIVER;
		c->method = METHOD_REGION_DRIVER;
		return 0;
	}
	/* everything else hot-adds offline, then onlines */
	c->hot_add = caps->region_driver && m != METHOD_LEGACY
			     ? METHOD_REGION_DRIVER
			     : METHOD_LEGACY;
	c->hot_add_type = ONLINE_OFFLINE;
	if (m == METHOD_LEGACY) {
		c->online = METHOD_LEGACY;
		c->method = METHOD_LEGACY;
		return 0;
	}
	if (type == ONLINE_OFFLINE) {
		/*
		 * Nothing to online: the hot-add's interface holds it. (kmem's
		 * state reads "offline" after any offline hot-add; that is no
		 * choice of the dax-state interface, see ds_holds().)
		 */
		c->online = METHOD_LEGACY;
		c->method = c->hot_add;
		return 0;
	}
	/*
	 * auto onlines block by block also where the dax state could do the
	 * whole device: the kernel walks the device's blocks upwards, and
	 * its cost per block grows with the blocks already online next to
	 * it, a term quadratic in the region's size that the walk's order
	 * avoids (Linux 7.3, a create of 256 blocks: 1.58 s through the
	 * state, 1.25 s by the walk; onlining upwards costs 0.02 s more
	 * than the walk at 64 blocks, 0.35 s at 256). The state, which then
	 * reads "offline", still changes the online type later: it unplugs
	 * from any state.
	 */
	if (m == METHOD_DAX_STATE)
		c->online = METHOD_DAX_STATE;
	else
		c->online = METHOD_LEGACY;
	c->method = c->online;
	return 0;
}

int stack_choose(const struct kernel_caps *caps, const struct stack_request *r,
		 struct stack_choice *c, char *why, size_t len)
{
	memset(c, 0, sizeof(*c));
	if (r->method == METHOD_REGION_DRIVER && !caps->region_driver)
		return refuse(
			why, len,
			"this kernel has no cxl_sysram_region driver (the region-driver interface); use --method=auto");
	switch (r->mode) {
	case RMODE_SYSRAM:
		return choose_sysram(caps, r, c, why, len);
	case RMODE_DEVDAX:
		if (r->method == METHOD_DAX_STATE)
			return refuse(
				why, len,
				"--method=dax-state onlines memory; a devdax region goes through region-driver or legacy");
		c->hot_add = caps->region_driver && r->method != METHOD_LEGACY
				     ? METHOD_REGION_DRIVER
				     : METHOD_LEGACY;
		c->method = c->hot_add;
		return 0;
	default:
		/*
		 * The kernel's default driver under the kernel's own policy:
		 * kmem records the type it onlined with where it has the state
		 * attribute, else only the blocks say it.
		 */
		c->hot_add = METHOD_LEGACY;
		c->hot_add_type = ONLINE_TYPE_INVALID;
		c->online = caps->dax_state == CAP_YES	     ? METHOD_DAX_STATE
			    : caps->dax_state == CAP_UNKNOWN ? METHOD_AUTO
							     : METHOD_LEGACY;
		c->method = c->online;
		return 0;
	}
}

int stack_check(const struct kernel_caps *caps, const struct stack_request *r,
		char *why, size_t len)
{
	struct stack_choice c;

	return stack_choose(caps, r, &c, why, len);
}

void stack_choice_add_json(struct json_object *obj,
			   const struct stack_choice *c)
{
	struct json_object *cand;

	if (c->method != METHOD_AUTO) {
		json_object_object_add(
			obj, "method",
			json_object_new_string(method_name(c->method)));
		return;
	}
	json_object_object_add(obj, "method", NULL);
	cand = json_object_new_array();
	json_object_array_add(
		cand, json_object_new_string(method_name(METHOD_DAX_STATE)));
	json_object_array_add(
		cand, json_object_new_string(method_name(METHOD_LEGACY)));
	json_object_object_add(obj, "method_candidates", cand);
}
