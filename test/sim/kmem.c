// SPDX-License-Identifier: GPL-2.0
/*
 * dax/kmem: hot-add a dax device's range as System RAM with an online
 * type, and the removal path. Removing a range with online blocks fails
 * in the kernel and leaves the range (and its blocks) until reboot; the
 * driver is unbound anyway. That leak is recorded.
 *
 * The probe comes in stages, as the driver core runs it: the driver link
 * and the memory blocks first, the "state" attribute (a dev_groups
 * attribute, added after the probe returned) --kmem-probe-gap ms later.
 * A bind or unbind of the device waits for the rest (the device lock).
 * With a gap, a new dax device is also probed asynchronously, as the
 * kernel may: it exists unbound for that long before a driver claims it.
 */
#include <stdlib.h>
#include <time.h>

#include "dax.h"
#include "memory.h"

u64 kmem_start(struct dax_dev *dd)
{
	return ALIGN_UP(dd->start, mem_block_size());
}

u64 kmem_size(struct dax_dev *dd)
{
	u64 start = kmem_start(dd);
	u64 end = ALIGN_DOWN(dd->start + dd->size, mem_block_size());

	return end > start ? end - start : 0;
}

int kmem_plug(struct dax_dev *dd, enum mmop type)
{
	u64 start = kmem_start(dd), size = kmem_size(dd), addr;
	int rc;

	if (!size)
		return -EINVAL;
	if (mem_range_present(start, size))
		return -EBUSY;
	rc = mem_add_range(start, size, dd->nid, dd->dev.name);
	if (rc)
		return rc;
	if (type != MMOP_OFFLINE)
		for (addr = start; addr < start + size;
		     addr += mem_block_size())
			mem_online(mem_block_get(addr / mem_block_size()),
				   type);
	dd->plugged = true;
	dd->state = type;
	return 0;
}

/* offline and remove every block, or put them all back online */
int kmem_unplug(struct dax_dev *dd)
{
	u64 start = kmem_start(dd), size = kmem_size(dd);
	unsigned long first = start / mem_block_size();
	unsigned long n = size / mem_block_size(), i, j;
	enum zone *zones;
	int rc = 0;

	if (!dd->plugged)
		return 0;
	zones = calloc(n ? n : 1, sizeof(*zones));
	if (!zones)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct mem_block *b = mem_block_get(first + i);

		zones[i] = b->online ? b->zone : ZONE_NONE;
		if (!b->online)
			continue;
		rc = mem_offline(b);
		if (rc)
			break;
	}
	if (rc) {
		for (j = 0; j < i; j++) {
			struct mem_block *b = mem_block_get(first + j);

			if (zones[j] == ZONE_NONE)
				continue;
			mem_online(b, zones[j] == ZONE_MOVABLE
					      ? MMOP_ONLINE_MOVABLE
					      : MMOP_ONLINE_KERNEL);
		}
		free(zones);
		return rc;
	}
	free(zones);
	mem_remove_range(start, size);
	dd->plugged = false;
	dd->state = MMOP_INVALID;
	return 0;
}

static struct dax_dev *probing, *attaching;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void probe_forget(struct dax_dev *dd)
{
	struct dax_dev **pp;

	for (pp = &probing; *pp; pp = &(*pp)->probe_next) {
		if (*pp == dd) {
			*pp = dd->probe_next;
			dd->probe_next = NULL;
			return;
		}
	}
}

static void probe_finish(struct dax_dev *dd)
{
	probe_forget(dd);
	dax_state_attr_add(dd);
}

void dax_dev_probe(struct dax_dev *dd)
{
	if (!sim_opts.kmem_probe_gap_ms || !bus_autoprobe(BUS_DAX)) {
		device_probe(&dd->dev);
		return;
	}
	dd->attach_due = now_ms() + sim_opts.kmem_probe_gap_ms;
	dd->attach_next = attaching;
	attaching = dd;
}

void dax_dev_probe_forget(struct dax_dev *dd)
{
	struct dax_dev **pp;

	for (pp = &attaching; *pp; pp = &(*pp)->attach_next) {
		if (*pp == dd) {
			*pp = dd->attach_next;
			dd->attach_next = NULL;
			return;
		}
	}
}

void kmem_probes_run(void)
{
	long long now = now_ms();
	struct dax_dev *dd, *next;

	for (dd = probing; dd; dd = next) {
		next = dd->probe_next;
		if (dd->state_due <= now)
			probe_finish(dd);
	}
	for (dd = attaching; dd; dd = next) {
		next = dd->attach_next;
		if (dd->attach_due > now)
			continue;
		dax_dev_probe_forget(dd);
		device_attach(&dd->dev);
	}
}

/* the device lock: wait until the probe's last stage is done */
static void kmem_settle(struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj, *p;
	long long left;

	for (p = probing; p && p != dd; p = p->probe_next)
		;
	if (!p)
		return;
	left = dd->state_due - now_ms();
	if (left > 0) {
		struct timespec ts = { .tv_sec = left / 1000,
				       .tv_nsec = (left % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	probe_finish(dd);
}

static bool kmem_match(struct sim_driver *drv, struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj;

	return driver_has_id(drv, dev->name) || dd->region->kmem;
}

/* the online type comes from the creator (region driver) or the default */
static int kmem_probe(struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj;
	enum mmop type = dd->region->online_type;
	int rc;

	if (type == MMOP_INVALID)
		type = mem_default_online_type();
	rc = kmem_plug(dd, type);
	if (rc)
		return rc;
	if (!sim_opts.dax_state)
		return 0;
	if (!sim_opts.kmem_probe_gap_ms) {
		dax_state_attr_add(dd);
		return 0;
	}
	dd->state_due = now_ms() + sim_opts.kmem_probe_gap_ms;
	dd->probe_next = probing;
	probing = dd;
	return 0;
}

static void kmem_remove(struct sim_device *dev)
{
	struct dax_dev *dd = dev->obj;
	u64 start = kmem_start(dd), size = kmem_size(dd);

	probe_forget(dd);
	dax_state_attr_del(dd);
	if (!dd->plugged)
		return;
	if (mem_range_online(start, size))
		mem_leak_range(start, size);
	else
		mem_remove_range(start, size);
	dd->plugged = false;
	dd->state = MMOP_INVALID;
}

static struct sim_driver kmem_driver = {
	.name = "kmem",
	.bus = BUS_DAX,
	.module = "kmem",
	.match = kmem_match,
	.probe = kmem_probe,
	.remove = kmem_remove,
	.settle = kmem_settle,
};

int kmem_driver_init(void)
{
	return driver_register(&kmem_driver);
}
