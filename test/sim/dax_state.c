// SPDX-License-Identifier: GPL-2.0
/*
 * daxX.Y/state (dax/kmem atomic whole-device hotplug, v7), or with
 * --dax-attr=hotplug the older daxX.Y/hotplug spelling (writes "unplug",
 * no online_kernel). The attribute exists only while kmem is bound.
 */
#include <string.h>

#include "dax.h"

#define STATE_UNPLUG (-2)

const char *dax_state_attr_name(void)
{
	return sim_opts.dax_attr_hotplug ? "hotplug" : "state";
}

const char *dax_state_string(struct dax_dev *dd)
{
	if (!dd->plugged)
		return "unplugged";
	if (sim_opts.dax_attr_hotplug && dd->state != MMOP_ONLINE &&
	    dd->state != MMOP_ONLINE_MOVABLE)
		return "unknown";
	switch (dd->state) {
	case MMOP_OFFLINE:
	case MMOP_ONLINE:
	case MMOP_ONLINE_KERNEL:
	case MMOP_ONLINE_MOVABLE:
		return mmop_name(dd->state);
	default:
		return "unknown";
	}
}

static int state_show(struct node *n, struct sbuf *sb)
{
	return sb_printf(sb, "%s\n", dax_state_string(n->obj));
}

static int parse_request(const char *buf)
{
	enum mmop type;

	if (sim_opts.dax_attr_hotplug) {
		if (strcmp(buf, "unplug") == 0)
			return STATE_UNPLUG;
		type = mmop_parse(buf);
		if (type == MMOP_ONLINE || type == MMOP_ONLINE_MOVABLE)
			return type;
		return -EINVAL;
	}
	if (strcmp(buf, "unplugged") == 0)
		return STATE_UNPLUG;
	type = mmop_parse(buf);
	/* "offline" is refused: it is not useful and races */
	if (type == MMOP_INVALID || type == MMOP_OFFLINE)
		return -EINVAL;
	return type;
}

static int state_store(struct node *n, const char *buf)
{
	struct dax_dev *dd = n->obj;
	int req = parse_request(buf);

	if (req == -EINVAL)
		return -EINVAL;
	if (req == STATE_UNPLUG)
		return dd->plugged ? kmem_unplug(dd) : 0;
	if (dd->plugged)
		return (enum mmop)req == dd->state ? 0 : -EBUSY;
	return kmem_plug(dd, (enum mmop)req);
}

static const struct attr_ops state_ops = {
	.show = state_show,
	.store = state_store,
};

void dax_state_attr_add(struct dax_dev *dd)
{
	dd->state_attr = tree_attr(dd->dev.dir, dax_state_attr_name(),
				   &state_ops, dd, 0);
}

void dax_state_attr_del(struct dax_dev *dd)
{
	if (!dd->state_attr)
		return;
	tree_remove(dd->state_attr);
	dd->state_attr = NULL;
}
