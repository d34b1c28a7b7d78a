// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy interface, today's mainline: regionZ bound to cxl_region
 * hot-adds its memory through dax_cxl and kmem under the global
 * auto_online_blocks policy. To decide the online type ourselves, the
 * policy is held at "offline" for the bind and every memoryN/state is
 * written afterwards; a device-dax region keeps kmem off the new device
 * by holding the dax bus's drivers_autoprobe at 0 and hands it to
 * device_dax through new_id.
 */
#include <errno.h>
#include <stdio.h>

#include "cxl/lib/stack-iface.h"

int lg_hot_add_offline(struct stack_ctx *c)
{
	struct txn_guard g;
	int rc, r;

	rc = memblock_hold_auto_online(c->t, &g, "offline", 0);
	if (rc)
		return rc;
	rc = cxlbus_bind(c->t, c->ri->name, DEFAULT_REGION_DRIVER);
	if (!rc)
		rc = stack_wait_dax(c, "kmem");
	if (!rc)
		rc = stack_wait_blocks(c);
	/* the global policy goes back at once, also after a failure */
	r = txn_guard_end(c->t, &g);
	return rc ? rc : r;
}

int lg_hot_add_default(struct stack_ctx *c)
{
	int rc = cxlbus_bind(c->t, c->ri->name, DEFAULT_REGION_DRIVER);

	return rc ? rc : stack_wait_dax(c, NULL);
}

int lg_online(struct stack_ctx *c, enum online_type type)
{
	return memblock_online(c->t, &c->range, type, c->ri->name);
}

int lg_offline(struct stack_ctx *c, const struct stack_state *st)
{
	if (!st->blocks.online)
		return 0;
	return memblock_offline(c->t, &c->range, c->ri->name);
}

int lg_devdax(struct stack_ctx *c)
{
	struct txn_guard g;
	int rc, r;

	rc = dax_hold_autoprobe_off(c->t, &g, 0);
	if (rc)
		return rc;
	rc = cxlbus_bind(c->t, c->ri->name, DEFAULT_REGION_DRIVER);
	if (!rc)
		rc = stack_wait_dax(c, NULL);
	if (!rc)
		rc = dax_bind(c->t, c->dax, "device_dax");
	r = txn_guard_end(c->t, &g);
	return rc ? rc : r;
}
