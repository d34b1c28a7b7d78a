// SPDX-License-Identifier: GPL-2.0
/* CXL memory devices (memN) and their endpoint ports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "cxl.h"
#include "dax.h"

static int u64_hex_show(struct node *n, struct sbuf *sb)
{
	const u64 *v = n->obj;

	return sb_printf(sb, "0x%llx\n", (unsigned long long)*v);
}

static const struct attr_ops u64_hex_ops = { .show = u64_hex_show };

static int int_show(struct node *n, struct sbuf *sb)
{
	const int *v = n->obj;

	return sb_printf(sb, "%d\n", *v);
}

static const struct attr_ops int_ops = { .show = int_show };

static int dev_show(struct node *n, struct sbuf *sb)
{
	struct sim_device *dev = n->obj;

	return sb_printf(sb, "%d:%d\n", dev->major, dev->minor);
}

static const struct attr_ops dev_ops = { .show = dev_show };

static int u64_dec_show(struct node *n, struct sbuf *sb)
{
	const u64 *v = n->obj;

	return sb_printf(sb, "%llu\n", (unsigned long long)*v);
}

static const struct attr_ops u64_dec_ops = { .show = u64_dec_show };

static int poison_store(struct node *n, const char *buf)
{
	bool v;

	return parse_bool(buf, &v);
}

static const struct attr_ops poison_ops = { .store = poison_store };

static void memdev_release(struct sim_device *dev)
{
}

struct cxl_memdev *cxl_memdev_add(const char *parent_path, u64 ram, u64 pmem,
				  u64 serial, int qos, const char *fw,
				  u64 lsa_size)
{
	struct cxl_memdev *md = calloc(1, sizeof(*md));
	struct node *dir, *part;
	char name[32];

	if (!md)
		abort();
	md->id = cxl.nr_memdevs;
	md->ram_size = ram;
	md->pmem_size = pmem;
	md->serial = serial;
	md->qos_class = qos;
	md->fw_version = fw;
	md->lsa_size = lsa_size;
	md->payload_max = 2048;
	md->numa_node = -1;
	snprintf(name, sizeof(name), "mem%d", md->id);
	device_init(&md->dev, BUS_CXL, DEV_MEMDEV, name, md);
	md->dev.devtype = "cxl_memdev";
	md->dev.modalias = "cxl:t5";
	md->dev.major = CXL_MEM_MAJOR;
	md->dev.minor = md->id;
	md->dev.release = memdev_release;
	snprintf(name, sizeof(name), "cxl/mem%d", md->id);
	md->dev.devname = strdup(name);
	dir = device_add(&md->dev, tree_mkdir_p(parent_path));
	tree_attr(dir, "dev", &dev_ops, &md->dev, 0);
	tree_attr(dir, "firmware_version", &str_ops, (void *)fw, 0);
	tree_attr(dir, "label_storage_size", &u64_dec_ops, &md->lsa_size, 0);
	tree_attr(dir, "numa_node", &int_ops, &md->numa_node, 0);
	tree_attr(dir, "payload_max", &int_ops, &md->payload_max, 0);
	tree_attr(dir, "serial", &u64_hex_ops, &md->serial, 0);
	tree_attr(dir, "trigger_poison_list", &poison_ops, md, 0);
	part = tree_dir(dir, "ram");
	tree_attr(part, "size", &u64_hex_ops, &md->ram_size, 0);
	tree_attr(part, "qos_class", &int_ops, &md->qos_class, 0);
	part = tree_dir(dir, "pmem");
	tree_attr(part, "size", &u64_hex_ops, &md->pmem_size, 0);
	tree_attr(part, "qos_class", &int_ops, &md->qos_class, 0);
	part = tree_dir(dir, "security");
	tree_attr(part, "state", &str_ops, "disabled", 0);
	devchar_add(CXL_MEM_MAJOR, md->id, dir->path);
	snprintf(name, sizeof(name), "cxl/mem%d", md->id);
	devnode_set(name, CXL_MEM_MAJOR, md->id, DEVNODE_CHAR);
	device_probe(&md->dev);
	cxl.memdevs[cxl.nr_memdevs++] = md;
	return md;
}

struct cxl_port *cxl_endpoint_add(struct cxl_port *parent,
				  struct cxl_dport *dport,
				  struct cxl_memdev *md, int nr_decoders)
{
	struct cxl_port *ep;

	ep = cxl_port_add(parent, dport, md->dev.dir->path, PORT_ENDPOINT,
			  nr_decoders);
	ep->memdev = md;
	md->endpoint = ep;
	return ep;
}

void cxl_memdev_exit(void)
{
	int i;

	for (i = 0; i < cxl.nr_memdevs; i++) {
		free((char *)cxl.memdevs[i]->dev.devname);
		free(cxl.memdevs[i]);
	}
	cxl.nr_memdevs = 0;
}
