// SPDX-License-Identifier: GPL-2.0
/*
 * cxl create-region: create, commit and bring up a RAM region as System RAM
 * with an explicit online type, or as device-dax, on whatever interface the
 * kernel offers. pmem regions are handed to the upstream tool.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxl/builtin.h"
#include "cxl/lib/stack.h"
#include "cxl/lib/topology.h"
#include "cxl/region-json.h"
#include "cxl/stack-options.h"
#include "cxl/upstream.h"
#include "util/json.h"
#include "util/log.h"
#include "util/name.h"
#include "util/options.h"
#include "util/size.h"

#define MAX_TARGETS 16
#define MAX_ROOTS 64
#define FN "cmd_create_region"

static struct {
	const char *bus, *decoder, *size, *type, *uuid;
	int ways, granularity;
	bool memdevs, human, qos, dry_run, debug;
	struct stack_args stack;
} param = { .ways = -1, .granularity = -1, .stack = STACK_ARGS_INIT };

static const char *const usage[] = {
	"cxl create-region <target0> ... [<options>]",
	NULL,
};

static const struct option_def options[] = {
	{ OPT_STRING, 'b', "bus", &param.bus, "bus name",
	  "limit to the CXL bus (root0, ACPI.CXL, cxl_test)" },
	{ OPT_STRING, 'd', "decoder", &param.decoder, "root decoder",
	  "root decoder to create the region under (default: pick one)" },
	{ OPT_BOOL, 0, "debug", &param.debug, NULL, "turn on debug output" },
	{ OPT_STRING, 's', "size", &param.size, "size",
	  "region size, k/m/g/t suffixes (default: all free capacity)" },
	{ OPT_INT, 'w', "ways", &param.ways, "number",
	  "interleave ways (default: the number of memdevs)" },
	{ OPT_INT, 'g', "granularity", &param.granularity, "bytes",
	  "interleave granularity (default: the root decoder's)" },
	{ OPT_STRING, 't', "type", &param.type, "type",
	  "region type: ram or pmem (pmem goes to upstream cxl)" },
	{ OPT_STRING, 'U', "uuid", &param.uuid, "uuid",
	  "region uuid (pmem only)" },
	{ OPT_BOOL, 'm', "memdevs", &param.memdevs, NULL,
	  "non-option arguments are memdevs" },
	{ OPT_BOOL, 'u', "human", &param.human, NULL,
	  "use human friendly number formats" },
	{ OPT_BOOL, 'Q', "enforce-qos", &param.qos, NULL,
	  "fail if a memdev's qos_class differs from the root decoder's" },
	STACK_OPTIONS(param.stack),
	{ OPT_BOOL, 'n', "dry-run", &param.dry_run, NULL,
	  "print the plan, change nothing" },
	{ OPT_END },
};

struct request {
	struct stack_request stack;
	const char *names[MAX_TARGETS];
	int nr_names;
	char decoder[NAME_LEN];
	uint64_t size;
};

static struct log_ctx rl;

#define bad(...) usage_error(usage, options, __VA_ARGS__)

static bool valid_ways(int w)
{
	return w == 1 || w == 2 || w == 3 || w == 4 || w == 6 || w == 8 ||
	       w == 12 || w == 16;
}

/* memdev lists may be given as "mem0 mem1", "mem0,mem1" or separately */
static void collect_memdevs(int argc, const char **argv, char *buf,
			    size_t buflen, struct request *req)
{
	size_t used = 0;
	int i, j;

	for (i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]);
		char *tok, *save;

		if (used + len + 1 > buflen)
			bad("too many memdevs");
		memcpy(buf + used, argv[i], len + 1);
		for (tok = strtok_r(buf + used, ", ", &save); tok;
		     tok = strtok_r(NULL, ", ", &save)) {
			if (!name_parse(OBJ_MEMDEV, tok, NULL))
				bad("'%s' is not a memdev name (memN)", tok);
			for (j = 0; j < req->nr_names; j++)
				if (!strcmp(req->names[j], tok))
					bad("memdev %s given twice", tok);
			if (req->nr_names == MAX_TARGETS)
				bad("at most %d memdevs", MAX_TARGETS);
			req->names[req->nr_names++] = tok;
		}
		used += len + 1;
	}
}

static void parse_decoder(struct request *req)
{
	const char *d = param.decoder;
	char buf[NAME_LEN];

	if (!d)
		return;
	/* upstream also accepts the "X.Y" short form */
	if (strncmp(d, "decoder", 7)) {
		snprintf(buf, sizeof(buf), "decoder%s", d);
		d = buf;
	}
	if (!name_parse(OBJ_DECODER, d, NULL))
		bad("'%s' is not a root decoder name (decoderX.Y)",
		    param.decoder);
	snprintf(req->decoder, sizeof(req->decoder), "%s", d);
}

/* everything that can be checked without the topology: usage errors */
static void validate(struct request *req)
{
	parse_decoder(req);
	if (param.ways != -1 && !valid_ways(param.ways))
		bad("invalid --ways %d (valid: 1, 2, 3, 4, 6, 8, 12, 16)",
		    param.ways);
	if (param.granularity != -1 &&
	    (param.granularity < 256 || param.granularity > 16384 ||
	     (param.granularity & (param.granularity - 1))))
		bad("invalid --granularity %d (valid: 256, 512, ... 16384)",
		    param.granularity);
	if (param.ways != -1 && req->nr_names && param.ways != req->nr_names)
		bad("--ways %d does not match the %d memdev%s given",
		    param.ways, req->nr_names, req->nr_names == 1 ? "" : "s");
	if (param.size) {
		int rc = parse_size(param.size, &req->size);

		if (rc == -ERANGE)
			bad("--size %s is too large", param.size);
		if (rc || !req->size)
			bad("invalid --size '%s' (valid: a number of bytes above 0, decimal or 0x-hex, or decimal with a k, m, g or t suffix)",
			    param.size);
	}
	if (param.uuid)
		bad("--uuid applies to pmem regions only");
	stack_args_parse(&param.stack, RMODE_SYSRAM, &req->stack, usage,
			 options);
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(&rl, LOG_ERR, FN, "%s", msg);
	return -1;
}

/* targets for the request: named memdevs, or all the root can reach */
static int gather_targets(struct cxl_ctx *ctx, const struct request *req,
			  const struct topo_root *root, struct topo_target *t,
			  int *nr)
{
	struct topo_target all[MAX_TARGETS * 4];
	int i, n, want;

	if (req->nr_names) {
		for (i = 0; i < req->nr_names; i++) {
			int rc = topo_get_target(ctx, req->names[i], &t[i]);

			if (rc == -ENOENT)
				return fail("%s: no such memdev",
					    req->names[i]);
			if (rc)
				return fail("%s: memdev is not enabled",
					    req->names[i]);
		}
		*nr = req->nr_names;
		return 0;
	}
	n = topo_targets_of_root(ctx, root, all, MAX_TARGETS * 4);
	if (n < 0)
		return fail("%s: too many memdevs", root->name);
	want = param.ways > 0 ? param.ways : n;
	*nr = 0;
	/* spread over the host bridges: the first free memdevs of each */
	for (i = 0; i < n && *nr < MAX_TARGETS; i++) {
		if (topo_target_capacity(&all[i]) || !all[i].free_ram ||
		    !all[i].ep_decoder[0])
			continue;
		t[(*nr)++] = all[i];
	}
	if (!*nr)
		return fail("%s: no memdev with free RAM capacity", root->name);
	if (want > *nr)
		return fail(
			"%s: --ways %d but only %d memdev%s with free RAM capacity",
			root->name, want, *nr, *nr == 1 ? "" : "s");
	if (want < *nr) {
		struct topo_target pick[MAX_TARGETS];
		unsigned int hb, per = root->ways ? want / root->ways : 0;
		int k = 0;

		if (!per || want % (int)root->ways)
			return fail(
				"%s: --ways %d is not a multiple of its %u host bridges",
				root->name, want, root->ways);
		if (topo_route(root, t, *nr))
			return fail("%s: cannot route to its memdevs",
				    root->name);
		for (hb = 0; hb < root->ways; hb++) {
			unsigned int got = 0;

			for (i = 0; i < *nr && got < per; i++)
				if (t[i].root_pos == (int)hb) {
					pick[k++] = t[i];
					got++;
				}
		}
		if (k != want)
			return fail(
				"%s: cannot pick %d memdevs spread over %u host bridges",
				root->name, want, root->ways);
		memcpy(t, pick, k * sizeof(*t));
		*nr = k;
	}
	return 0;
}

static int check_capacity(struct topo_target *t, int n, bool quiet)
{
	int i;

	for (i = 0; i < n; i++) {
		if (topo_target_capacity(&t[i]))
			return quiet ? -1
				     : fail("%s: cannot read its endpoint",
					    t[i].name);
		if (!t[i].ram_size)
			return quiet ? -1
				     : fail("%s: has no RAM capacity",
					    t[i].name);
		if (!t[i].ep_decoder[0])
			return quiet ? -1
				     : fail("%s: no free endpoint decoder",
					    t[i].name);
		if (t[i].free_ram < SZ_256M)
			return quiet ? -1
				     : fail("%s: no free RAM capacity (%" PRIu64
					    " bytes left)",
					    t[i].name, t[i].free_ram);
	}
	return 0;
}

static uint64_t min_free(const struct topo_target *t, int n)
{
	uint64_t m = UINT64_MAX;
	int i;

	for (i = 0; i < n; i++)
		if (t[i].free_ram < m)
			m = t[i].free_ram;
	return m;
}

/* the size the region gets: asked for, or all that every target has */
static int region_size(const struct request *req, const struct topo_root *r,
		       const struct topo_target *t, int n, uint64_t *size,
		       bool quiet)
{
	uint64_t unit = SZ_256M * (uint64_t)n;
	uint64_t cap = (min_free(t, n) / SZ_256M) * unit;
	uint64_t max = r->max_extent;

	if (max == UINT64_MAX)
		return quiet ? -1
			     : fail("%s: unable to determine max extent",
				    r->name);
	if (req->size) {
		char want[32], have[32];

		/* too large first: a huge size is that, whatever its remainder */
		if (req->size > cap) {
			size_format_like(param.size, cap, have, sizeof(have));
			return quiet ? -1
				     : fail("--size %s is too large: the memdevs have %s free",
					    param.size, have);
		}
		if (req->size > max) {
			size_format_like(param.size, max, have, sizeof(have));
			return quiet ? -1
				     : fail("--size %s is too large: %s has %s of address space free",
					    param.size, r->name, have);
		}
		if (req->size % unit) {
			size_format_like(param.size, unit, want, sizeof(want));
			return quiet ? -1
				     : fail("--size %s is not a multiple of %s (%d way%s x 256 MiB)",
					    param.size, want, n,
					    n == 1 ? "" : "s");
		}
		*size = req->size;
		return 0;
	}
	*size = cap < max ? cap : (max / unit) * unit;
	if (!*size)
		return quiet ? -1
			     : fail("%s: no room for a %d-way region", r->name,
				    n);
	return 0;
}

/* with no -d: a RAM-capable root that reaches all, widest interleave */
static int pick_root(struct cxl_ctx *ctx, const struct request *req,
		     struct topo_target *t, int n, struct topo_root *out)
{
	struct topo_root roots[MAX_ROOTS];
	int i, nr, best = -1;
	uint64_t size;
	char why[256];

	nr = topo_roots(ctx, param.bus, roots, MAX_ROOTS);
	if (nr < 0)
		return fail("too many root decoders");
	for (i = 0; i < nr; i++) {
		if (!roots[i].ram || topo_route(&roots[i], t, n)) {
			log_dbg(&rl, "%s: not volatile or does not reach all",
				roots[i].name);
			continue;
		}
		if (topo_place(&roots[i], t, n, why, sizeof(why))) {
			log_dbg(&rl, "%s: %s", roots[i].name, why);
			continue;
		}
		if (check_capacity(t, n, true) ||
		    region_size(req, &roots[i], t, n, &size, true)) {
			log_dbg(&rl, "%s: no room", roots[i].name);
			continue;
		}
		if (best < 0 || roots[i].ways > roots[best].ways)
			best = i;
	}
	if (best < 0)
		return fail(
			"no volatile-capable root decoder reaches %s%s with room for the region",
			n > 1 ? "all of " : "", t[0].name);
	*out = roots[best];
	log_msg(&rl, LOG_INFO, FN,
		"%s: picked as root decoder (x%u interleave)", out->name,
		out->ways);
	return 0;
}

static int check_qos(const struct topo_root *r, const struct topo_target *t,
		     int n)
{
	int i, mc, rc;

	for (i = 0; i < n; i++)
		if (topo_qos_mismatch(r, t[i].name, &mc, &rc))
			return fail(
				"%s: qos_class %d mismatches %s qos_class %d",
				t[i].name, mc, r->name, rc);
	return 0;
}

/* @argv starts at "create-region": upstream gets "cxl create-region ..." */
static int pmem_passthrough(int argc, const char **argv)
{
	const char **full;
	int rc;

	if (stack_args_given(&param.stack) || param.dry_run)
		bad("--mode, --online, --method, --dry-run and --timeout apply to ram regions only");
	full = calloc((size_t)argc + 2, sizeof(*full));
	if (!full)
		return 1;
	full[0] = "cxl";
	memcpy(full + 1, argv, (size_t)argc * sizeof(*full));
	rc = upstream_exec(argc + 1, full);
	free(full);
	return rc;
}

static void region_from_plan(struct region_info *ri, const char *name,
			     const struct topo_root *root,
			     const struct topo_target *t, int n, uint64_t size,
			     unsigned int gran)
{
	struct obj_id id;
	int i;

	memset(ri, 0, sizeof(*ri));
	snprintf(ri->name, sizeof(ri->name), "%s", name);
	name_parse(OBJ_REGION, name, &id);
	ri->id = id.a;
	snprintf(ri->decoder, sizeof(ri->decoder), "%s", root->name);
	ri->size = size;
	ri->resource = UINT64_MAX;
	ri->ways = (unsigned int)n;
	ri->granularity = gran;
	ri->committed = true;
	snprintf(ri->mode, sizeof(ri->mode), "ram");
	for (i = 0; i < n; i++)
		snprintf(ri->targets[t[i].position], NAME_LEN, "%s",
			 t[i].ep_decoder);
}

static enum method predicted_method(const struct kernel_caps *caps,
				    const struct stack_request *r)
{
	if (r->method != METHOD_AUTO)
		return r->method;
	if (caps->region_driver && r->online != ONLINE_KERNEL)
		return METHOD_REGION_DRIVER;
	return r->online == ONLINE_OFFLINE ? METHOD_LEGACY : METHOD_DAX_STATE;
}

static struct json_object *plan_mappings(const struct region_info *ri,
					 const struct topo_target *t, int n)
{
	struct json_object *arr = json_object_new_array();
	unsigned int pos;
	int i;

	for (pos = 0; pos < ri->ways; pos++)
		for (i = 0; i < n; i++) {
			struct json_object *m;

			if (t[i].position != (int)pos)
				continue;
			m = json_object_new_object();
			json_object_object_add(m, "position",
					       json_object_new_int((int)pos));
			json_object_object_add(
				m, "memdev", json_object_new_string(t[i].name));
			json_object_object_add(
				m, "decoder",
				json_object_new_string(t[i].ep_decoder));
			json_object_array_add(arr, m);
		}
	return arr;
}

static int print_plan(struct txn *t, const struct region_info *ri,
		      const struct topo_target *tg, int n,
		      const struct kernel_caps *caps, const struct request *req)
{
	struct json_object *o = json_object_new_object();
	struct json_object *targets = json_object_new_array();
	unsigned int i;
	int rc;

	json_object_object_add(o, "region", json_object_new_string(ri->name));
	json_object_object_add(o, "decoder",
			       json_object_new_string(ri->decoder));
	json_object_object_add(o, "size", json_size(ri->size, param.human));
	json_object_object_add(o, "interleave_ways",
			       json_object_new_int((int)ri->ways));
	json_object_object_add(o, "interleave_granularity",
			       json_object_new_int((int)ri->granularity));
	for (i = 0; i < ri->ways; i++)
		json_object_array_add(targets,
				      json_object_new_string(ri->targets[i]));
	json_object_object_add(o, "targets", targets);
	json_object_object_add(o, "mappings", plan_mappings(ri, tg, n));
	json_object_object_add(
		o, "mode",
		json_object_new_string(region_mode_name(req->stack.mode)));
	if (req->stack.mode == RMODE_SYSRAM) {
		json_object_object_add(o, "online",
				       json_object_new_string(online_type_name(
					       req->stack.online)));
		json_object_object_add(
			o, "method",
			json_object_new_string(method_name(
				predicted_method(caps, &req->stack))));
	}
	json_object_object_add(o, "plan", json_object_get(txn_plan(t)));
	rc = json_print(stdout, o);
	json_object_put(o);
	return rc;
}

static int print_region(const char *name)
{
	struct json_object *o;
	int rc;

	o = region_json_now(&rl, FN, name,
			    param.human || isatty(STDOUT_FILENO));
	if (!o)
		return -1;
	rc = json_print(stdout, o);
	json_object_put(o);
	return rc;
}

static unsigned int granularity(const struct topo_root *root)
{
	return param.granularity > 0 ? (unsigned int)param.granularity
				     : root->granularity;
}

/* every step through the transaction; any failure unwinds all of it */
static int create(struct txn *t, const struct request *req,
		  const struct topo_root *root, struct topo_target *tg, int n,
		  const struct kernel_caps *caps, char *name, size_t len)
{
	struct region_info ri;
	int i, rc;

	rc = region_claim_ram(t, root->name, name, len);
	if (rc)
		return rc;
	rc = region_set_geometry(t, name, granularity(root), (unsigned int)n,
				 req->size);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		const struct topo_target *tp = NULL;
		int j;

		for (j = 0; j < n; j++)
			if (tg[j].position == i)
				tp = &tg[j];
		/* placement gives a permutation; never attach a hole */
		if (!tp)
			return txn_fail(t, name, -EINVAL);
		rc = region_attach(t, name, root->name, i, tp->ep_decoder,
				   req->size / (uint64_t)n);
		if (rc)
			return rc;
	}
	rc = region_commit(t, name);
	if (rc)
		return rc;
	if (txn_dry_run(t)) {
		region_from_plan(&ri, name, root, tg, n, req->size,
				 granularity(root));
	} else {
		rc = region_read_info(name, &ri);
		if (rc)
			return txn_fail(t, name, rc);
	}
	return stack_bring_up(t, &ri, caps, &req->stack);
}

int cmd_create_region(int argc, const char **argv)
{
	struct topo_target targets[MAX_TARGETS];
	const char **orig = calloc((size_t)argc + 1, sizeof(*orig));
	char names[4096], name[NAME_LEN] = "", why[256];
	struct request req = { 0 };
	struct cxl_ctx *ctx = NULL;
	struct kernel_caps caps;
	struct topo_root root;
	struct txn *t = NULL;
	int n = 0, rc = -1, nargs;

	if (!orig)
		return 1;
	memcpy(orig, argv, (size_t)argc * sizeof(*orig));
	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	nargs = options_parse(argc, argv, options, usage);
	log_set_priority(&rl, param.debug ? LOG_DEBUG : LOG_INFO);

	if (param.type && strcmp(param.type, "ram") &&
	    strcmp(param.type, "volatile")) {
		if (strcmp(param.type, "pmem"))
			bad("unsupported --type '%s' (valid: ram, pmem)",
			    param.type);
		rc = pmem_passthrough(argc, orig);
		free(orig);
		return rc;
	}
	if (nargs && !param.memdevs)
		bad("memdevs given without -m/--memdevs: %s ...", argv[0]);
	collect_memdevs(nargs, argv, names, sizeof(names), &req);
	validate(&req);
	free(orig);
	if (!req.nr_names && !req.decoder[0])
		bad("specify memdevs (-m mem0 ...) or a root decoder (-d)");
	if (!param.dry_run && writer_begin("create-region"))
		return 1;

	if (topo_open(&ctx)) {
		fail("cannot open the CXL topology (libcxl)");
		return 1;
	}
	if (!topo_kernel_creates_ram(ctx)) {
		fail("this kernel cannot create CXL RAM regions (Linux 6.3 or later can)");
		goto out;
	}
	if (req.nr_names && gather_targets(ctx, &req, NULL, targets, &n))
		goto out;
	if (req.decoder[0]) {
		rc = topo_get_root(ctx, req.decoder, &root);
		if (rc || !topo_bus_matches(&root, param.bus)) {
			rc = fail("%s not found in CXL topology%s%s",
				  req.decoder, param.bus ? " on bus " : "",
				  param.bus ? param.bus : "");
			goto out;
		}
		rc = -1;
		if (!root.ram) {
			fail("%s is not volatile-capable (cannot hold a ram region)",
			     root.name);
			goto out;
		}
		if (!req.nr_names &&
		    gather_targets(ctx, &req, &root, targets, &n))
			goto out;
	} else if (pick_root(ctx, &req, targets, n, &root)) {
		goto out;
	}
	if (check_capacity(targets, n, false))
		goto out;
	if (topo_place(&root, targets, n, why, sizeof(why))) {
		fail("%s: cannot interleave: %s", root.name, why);
		goto out;
	}
	if (param.granularity > 0 && root.ways > 1 &&
	    (unsigned int)param.granularity != root.granularity) {
		fail("For an x%u root, only root decoder granularity (%u) permitted",
		     root.ways, root.granularity);
		goto out;
	}
	if (param.qos && check_qos(&root, targets, n))
		goto out;
	if (region_size(&req, &root, targets, n, &req.size, false))
		goto out;
	kernel_caps_detect(&caps);
	if (stack_check(&caps, &req.stack, why, sizeof(why))) {
		fail("%s", why);
		goto out;
	}

	t = txn_new(&rl, FN, param.dry_run);
	if (!t) {
		fail("out of memory");
		goto out;
	}
	txn_catch_signals();
	rc = create(t, &req, &root, targets, n, &caps, name, sizeof(name));
	if (rc) {
		if (txn_rollback(t) && name[0])
			fail("%s is left behind; remove it with: cxl destroy-region -f %s",
			     name, name);
		rc = -1;
		goto out;
	}
	txn_commit(t);
	if (param.dry_run) {
		struct region_info ri;

		region_from_plan(&ri, name, &root, targets, n, req.size,
				 granularity(&root));
		rc = print_plan(t, &ri, targets, n, &caps, &req);
		goto out;
	}
	rc = print_region(name);
	if (!rc)
		log_info(&rl, "created 1 region");
out:
	txn_free(t);
	topo_close(ctx);
	return rc ? 1 : 0;
}
