// SPDX-License-Identifier: GPL-2.0
/*
 * Why stack_choose() decided what it did, in words, for --debug. Only
 * reads the request, the kernel's capabilities and the choice: the
 * decision itself stays in stack-choose.c.
 */
#include <stdio.h>
#include <string.h>

#include "cxl/lib/stack-explain.h"

static const char *dax_state_said(const struct kernel_caps *caps)
{
	switch (caps->dax_state) {
	case CAP_YES:
		return strcmp(caps->dax_state_attr, "hotplug")
			       ? "kmem has the dax state attribute"
			       : "kmem has the dax state attribute in its first spelling (hotplug: no online_kernel)";
	case CAP_NO:
		return "kmem has no dax state attribute";
	default:
		return "whether kmem has the dax state attribute is not known until it probes a device";
	}
}

static const char *sysram_reason(const struct kernel_caps *caps,
				 const struct stack_request *r,
				 const struct stack_choice *c)
{
	if (r->online == ONLINE_OFFLINE)
		return "nothing to online: the hot-add's interface holds the memory offline";
	if (c->online == METHOD_REGION_DRIVER)
		return "the region driver applies the online type at the hot-add, in the kernel";
	if (c->hot_add == METHOD_REGION_DRIVER)
		return "the region driver cannot apply online_kernel at the hot-add: hot-add offline, then online";
	if (caps->dax_state != CAP_NO)
		return "block by block in the kernel's cheaper order, which costs the kernel less than the dax state's whole-device online (its upward walk grows with the square of the blocks)";
	return "no region driver and no dax state: block by block";
}

void stack_choice_log(struct log_ctx *log, const char *fn,
		      const struct kernel_caps *caps,
		      const struct stack_request *r,
		      const struct stack_choice *c)
{
	const char *why;

	log_msg(log, LOG_DEBUG, fn, "kernel: %s%s; %s",
		caps->region_driver ? "region driver " : "no region driver",
		caps->region_driver ? caps->sysram_drv : "",
		dax_state_said(caps));
	if (r->method != METHOD_AUTO)
		why = "asked for with --method";
	else if (r->mode == RMODE_SYSRAM)
		why = sysram_reason(caps, r, c);
	else if (r->mode == RMODE_DEVDAX)
		why = c->hot_add == METHOD_REGION_DRIVER
			      ? "the kernel has the region driver's devdax driver"
			      : "no region driver: the default driver, kmem kept off the device";
	else
		why = "the kernel's default driver, under the kernel's own online policy";
	log_msg(log, LOG_DEBUG, fn,
		"method %s (hot-add: %s, then online: %s): %s",
		c->method == METHOD_AUTO ? "decided after the hot-add"
					 : method_name(c->method),
		method_name(c->hot_add),
		r->mode != RMODE_SYSRAM		    ? "none"
		: c->online == METHOD_AUTO	    ? "dax-state or legacy"
		: c->online == METHOD_REGION_DRIVER ? "at the hot-add"
						    : method_name(c->online),
		why);
}
