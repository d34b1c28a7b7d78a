// SPDX-License-Identifier: GPL-2.0
/*
 * The names of region modes and kernel-interface methods, as the options,
 * the policy files and the JSON spell them. No sysfs here: the policy
 * parser and its unit test use these without the rest of the stack.
 */
#include <string.h>

#include "cxl/lib/stack.h"

static const char *const mode_names[] = {
	[RMODE_NONE] = "none",	   [RMODE_SYSRAM] = "sysram",
	[RMODE_DEVDAX] = "devdax", [RMODE_DEFAULT] = "default",
	[RMODE_PMEM] = "pmem",
};

static const char *const method_names[] = {
	[METHOD_AUTO] = "auto",
	[METHOD_REGION_DRIVER] = "region-driver",
	[METHOD_DAX_STATE] = "dax-state",
	[METHOD_LEGACY] = "legacy",
};

const char *region_mode_name(enum region_mode m)
{
	return (unsigned int)m <= RMODE_PMEM ? mode_names[m] : "none";
}

enum region_mode region_mode_parse(const char *s)
{
	int i;

	for (i = RMODE_SYSRAM; i <= RMODE_DEFAULT; i++)
		if (!strcmp(s, mode_names[i]))
			return (enum region_mode)i;
	return RMODE_INVALID;
}

const char *method_name(enum method m)
{
	return (unsigned int)m < 4 ? method_names[m] : "auto";
}

int method_parse(const char *s)
{
	int i;

	for (i = METHOD_AUTO; i <= METHOD_LEGACY; i++)
		if (!strcmp(s, method_names[i]))
			return i;
	return -1;
}

static const struct stack_conflict conflicts[] = {
	{ METHOD_REGION_DRIVER, ONLINE_KERNEL,
	  "sysram_region online_type does not accept online_kernel (v1 region driver)",
	  "auto" },
	{ METHOD_DAX_STATE, ONLINE_OFFLINE,
	  "the dax state attribute cannot hold memory offline",
	  "auto or legacy" },
};

const struct stack_conflict *stack_conflict(enum method m, enum online_type t)
{
	size_t i;

	for (i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++)
		if (conflicts[i].method == m && conflicts[i].online == t)
			return &conflicts[i];
	return NULL;
}
