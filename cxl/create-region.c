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
#include "cxl/create-default.h"
#include "cxl/leftover.h"
#include "cxl/repair.h"
#include "cxl/lib/stack.h"
#include "cxl/lib/stack-explain.h"
#include "cxl/lib/topology.h"
#include "cxl/region-filter.h"
#include "cxl/region-json.h"
#include "cxl/stack-options.h"
#include "cxl/upstream.h"
#include "util/journal.h"
#include "util/json.h"
#include "util/log.h"
#include "util/name.h"
#include "util/options.h"
#include "util/size.h"

#define MAX_TARGETS 16
#define MAX_ROOTS 64
#define FN "cmd_create_region"

static struct {
	const char *bus, *decoder, *size, *type, *uuid, *config_dir;
	int ways, granularity;
	bool memdevs, human, qos, dry_run, debug, verbose;
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
	  "root decoder to create the region under, or a filter such as root (default: pick one)" },
	{ OPT_BOOL, 0, "debug", &param.debug, NULL, "turn on debug output" },
	{ OPT_BOOL, 'v', "verbose", &param.verbose, NULL,
	  "say each step in one line (memory blocks in ranges)" },
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
	{ OPT_STRING, 0, "config-dir", &param.config_dir, "dir",
	  "read the [new-regions] default from here (default " SYSRAM_CONF_DIR
	  ")" },
	{ OPT_END },
};

struct request {
	struct stack_request stack;
	const char *names[MAX_TARGETS];
	int nr_names;
	char decoder[NAME_LEN];
	const char *decoder_filter; /* -d as a filter: the first match */
	bool policy_default; /* the [new-regions] default applies */
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
	if (name_parse(OBJ_DECODER, d, NULL)) {
		snprintf(req->decoder, sizeof(req->decoder), "%s", d);
		return;
	}
	/* and a filter: the first root decoder that matches */
	if (!decoder_filter_valid(param.decoder))
		bad("'%s' is not a root decoder (valid: decoderX.Y, X.Y, root, all, or a list of them)",
		    param.decoder);
	req->decoder_filter = param.decoder;
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
	/*
	 * Nothing said: upstream's behaviour, the kernel's own policy.
	 * --method asks for a way of bringing up sysram, so it means sysram.
	 */
	stack_args_parse(&param.stack,
			 param.stack.method ? RMODE_SYSRAM : RMODE_DEFAULT,
			 &req->stack, usage, options);
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

/* memdevs a root may get when none are named: topology order */
#define MAX_CANDIDATES 256

/* the widest valid interleave the root's host bridges can each carry */
static int default_ways(const struct topo_root *root, const int *per_hb,
			int nr_free)
{
	static const int ways[] = { 16, 12, 8, 6, 4, 3, 2, 1 };
	unsigned int hb, fewest = UINT32_MAX;
	size_t i;

	for (hb = 0; hb < root->ways; hb++)
		if ((unsigned int)per_hb[hb] < fewest)
			fewest = (unsigned int)per_hb[hb];
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++)
		if (ways[i] <= nr_free && ways[i] % (int)root->ways == 0 &&
		    (unsigned int)ways[i] / root->ways <= fewest)
			return ways[i];
	return 0;
}

/*
 * @per targets from host bridge @hb, taken in turn from the ports below
 * it so that they spread as the bridge's own interleave needs.
 */
static int take_from_bridge(struct topo_target *cand, int n, int hb, int per,
			    struct topo_target *out, int *nr)
{
	bool used[MAX_CANDIDATES] = { false };
	int got = 0;

	while (got < per) {
		int ports[MAX_CANDIDATES], nr_ports = 0, i, j, before = got;

		for (i = 0; i < n && got < per; i++) {
			bool seen = false;

			if (used[i] || cand[i].root_pos != hb)
				continue;
			for (j = 0; j < nr_ports; j++)
				seen |= ports[j] == cand[i].route[0];
			if (seen)
				continue;
			ports[nr_ports++] = cand[i].route[0];
			used[i] = true;
			out[(*nr)++] = cand[i];
			got++;
		}
		if (got == before)
			return -1;
	}
	return 0;
}

/* targets for the request: named memdevs, or spread over all the root reaches */
static int gather_targets(struct cxl_ctx *ctx, const struct request *req,
			  const struct topo_root *root, struct topo_target *t,
			  int *nr)
{
	static struct topo_target all[MAX_CANDIDATES];
	int per_hb[REGION_MAX_WAYS] = { 0 };
	int i, n, nr_free = 0, want, per;
	unsigned int hb;

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
	n = topo_targets_of_root(ctx, root, all, MAX_CANDIDATES);
	if (n < 0)
		return fail("%s: more than %d memdevs", root->name,
			    MAX_CANDIDATES);
	/* every memdev with free RAM and a free endpoint decoder */
	for (i = 0; i < n; i++) {
		if (topo_target_capacity(&all[i]) || !all[i].free_ram ||
		    !all[i].ep_decoder[0])
			continue;
		all[nr_free++] = all[i];
	}
	if (!nr_free)
		return fail("%s: no memdev with free RAM capacity", root->name);
	if (topo_route(root, all, nr_free))
		return fail("%s: cannot route to its memdevs", root->name);
	for (i = 0; i < nr_free; i++)
		if (all[i].root_pos >= 0 &&
		    all[i].root_pos < (int)REGION_MAX_WAYS)
			per_hb[all[i].root_pos]++;
	want = param.ways > 0 ? param.ways
			      : default_ways(root, per_hb, nr_free);
	if (!want || want > nr_free)
		return fail(
			"%s: %s%d memdev%s with free RAM capacity below its %u host bridge%s, not enough for %s",
			root->name, want ? "only " : "", nr_free,
			nr_free == 1 ? "" : "s", root->ways,
			root->ways == 1 ? "" : "s",
			want ? "--ways" : "one on each");
	if (want % (int)root->ways)
		return fail(
			"%s: --ways %d is not a multiple of its %u host bridges",
			root->name, want, root->ways);
	per = want / (int)root->ways;
	*nr = 0;
	for (hb = 0; hb < root->ways; hb++) {
		if (per_hb[hb] < per)
			return fail(
				"%s: --ways %d needs %d memdev%s with free RAM below each host bridge; position %u has %d",
				root->name, want, per, per == 1 ? "" : "s", hb,
				per_hb[hb]);
		if (take_from_bridge(all, nr_free, (int)hb, per, t, nr))
			return fail(
				"%s: cannot spread %d memdevs below host bridge position %u",
				root->name, per, hb);
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

/*
 * The size the region gets: asked for, or all that every target has.
 * Returns 0, or -1 with the reason in @why.
 */
static int region_size(const struct request *req, const struct topo_root *r,
		       const struct topo_target *t, int n, uint64_t *size,
		       char *why, size_t len)
{
	uint64_t unit = SZ_256M * (uint64_t)n;
	uint64_t cap = (min_free(t, n) / SZ_256M) * unit;
	uint64_t max = r->max_extent;

	if (max == UINT64_MAX) {
		snprintf(why, len, "unable to determine max extent");
		return -1;
	}
	if (req->size) {
		char want[32], have[32];

		/* too large first: a huge size is that, whatever its remainder */
		if (req->size > cap) {
			size_format_like(param.size, cap, have, sizeof(have));
			snprintf(
				why, len,
				"--size %s is too large: the memdevs have %s free",
				param.size, have);
			return -1;
		}
		if (req->size > max) {
			size_format_like(param.size, max, have, sizeof(have));
			snprintf(
				why, len,
				"--size %s is too large: %s has %s of address space free",
				param.size, r->name, have);
			return -1;
		}
		if (req->size % unit) {
			size_format_like(param.size, unit, want, sizeof(want));
			snprintf(
				why, len,
				"--size %s is not a multiple of %s (%d way%s x 256 MiB)",
				param.size, want, n, n == 1 ? "" : "s");
			return -1;
		}
		*size = req->size;
		return 0;
	}
	*size = cap < max ? cap : (max / unit) * unit;
	if (!*size) {
		snprintf(why, len, "no room for a %d-way region", n);
		return -1;
	}
	return 0;
}

/* "mem0, mem1 and mem2" */
static void memdev_list(const struct topo_target *t, int n, char *buf,
			size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%s",
				 i == 0	      ? ""
				 : i == n - 1 ? " and "
					      : ", ",
				 t[i].name);

		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/*
 * With no -d: a RAM-capable root that reaches all, widest interleave. A
 * failure names every memdev and the reason of the root that came
 * closest (reaches them all, then fits them, then has room).
 */
static int pick_root(struct cxl_ctx *ctx, const struct request *req,
		     struct topo_target *t, int n, struct topo_root *out)
{
	static struct topo_root roots[MAX_ROOTS];
	char why[256], closest[320] = "", names[512];
	int i, nr, best = -1, closest_level = 0;
	uint64_t size;

	nr = topo_roots(ctx, param.bus, roots, MAX_ROOTS);
	if (nr < 0)
		return fail("too many root decoders");
	for (i = 0; i < nr; i++) {
		int level;

		if (!roots[i].ram || topo_route(&roots[i], t, n)) {
			log_dbg(&rl, "%s: not volatile or does not reach all",
				roots[i].name);
			continue;
		}
		if (topo_place(&roots[i], t, n, why, sizeof(why))) {
			level = 1;
		} else if (check_capacity(t, n, true)) {
			level = 2;
			snprintf(why, sizeof(why), "a memdev has no free RAM");
		} else if (region_size(req, &roots[i], t, n, &size, why,
				       sizeof(why))) {
			level = 3;
		} else {
			if (best < 0 || roots[i].ways > roots[best].ways)
				best = i;
			continue;
		}
		log_dbg(&rl, "%s: %s", roots[i].name, why);
		if (level > closest_level) {
			closest_level = level;
			snprintf(closest, sizeof(closest), " (%s: %s)",
				 roots[i].name, why);
		}
	}
	if (best < 0) {
		memdev_list(t, n, names, sizeof(names));
		return fail(
			"no volatile-capable root decoder reaches %s%s with room for the region%s",
			n > 1 ? "all of " : "", names, closest);
	}
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

/*
 * No -t and nothing said of the memory: does the root decoder -d selects
 * make it a pmem region, as upstream decides (pmem wins when the decoder
 * can hold both)? Then the whole command is upstream's.
 */
static bool type_from_decoder_is_pmem(void)
{
	struct request req = { 0 };
	struct topo_root root;
	struct cxl_ctx *ctx;
	int rc;

	parse_decoder(&req); /* a -d that is no decoder is a usage error */
	if (topo_open(&ctx))
		return false; /* the RAM path reports it */
	rc = root_by_filter(ctx, param.bus, param.decoder, &root);
	topo_close(ctx);
	/* nothing found, or ram: the RAM path goes on (and reports) */
	if (rc || (root.ram && !root.pmem))
		return false;
	log_dbg(&rl, "%s can hold pmem: without -t the region is pmem",
		root.name);
	if (param.dry_run || param.stack.timeout != -1)
		bad("%s can hold pmem, so without -t the region is pmem (as upstream decides); --dry-run and --timeout apply to ram regions only (valid: add -t ram or --mode)",
		    root.name);
	return true;
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
		      const struct stack_choice *choice,
		      const struct request *req)
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
	if (req->stack.mode == RMODE_SYSRAM)
		json_object_object_add(o, "online",
				       json_object_new_string(online_type_name(
					       req->stack.online)));
	stack_choice_add_json(o, choice);
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
		  const struct topo_root *root, const struct topo_target *tg,
		  int n, const struct kernel_caps *caps,
		  const struct stack_choice *choice, char *name, size_t len)
{
	enum method used;
	struct region_info ri;
	int i, rc;

	rc = region_claim_ram(t, root->name, name, len);
	if (rc)
		return rc;
	/* a kill from here on leaves the next writer a region to remove */
	if (!txn_dry_run(t)) {
		char ep[MAX_TARGETS][NAME_LEN];

		for (i = 0; i < n; i++)
			memcpy(ep[i], tg[i].ep_decoder, NAME_LEN);
		journal_add_region("create", name, ep, (unsigned int)n);
	}
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
	return stack_bring_up(t, &ri, caps, &req->stack, choice, &used);
}

/* what the run will do, decided before any write; shared by dry run */
struct plan {
	struct request req;
	struct kernel_caps caps;
	struct stack_choice choice;
	struct topo_root root;
	struct topo_target targets[MAX_TARGETS];
	int n;
};

/* parse: every usage error exits here (129), before anything is read */
static void parse_request(int nargs, const char **argv, char *names, size_t len,
			  struct request *req)
{
	if (nargs && !param.memdevs)
		bad("memdevs given without -m/--memdevs: %s ...", argv[0]);
	collect_memdevs(nargs, argv, names, len, req);
	validate(req);
	if (!req->nr_names && !req->decoder[0] && !req->decoder_filter)
		bad("specify memdevs (-m mem0 ...) or a root decoder (-d)");
}

/* the decision, for --debug: which memdev at which position, what size */
static void log_targets(const struct plan *p)
{
	char buf[1024];
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < p->n && used < sizeof(buf); i++) {
		n = snprintf(buf + used, sizeof(buf) - used, "%s%s (%s) at %d",
			     i ? ", " : "", p->targets[i].name,
			     p->targets[i].ep_decoder, p->targets[i].position);
		if (n > 0)
			used += (size_t)n;
	}
	log_dbg(&rl, "%s: targets %s; size %#" PRIx64 " (%s)", p->root.name,
		buf, p->req.size,
		param.size ? "as asked" : "all that every target has free");
}

/* -d as a filter, as upstream reads it: the first root decoder it matches */
static int resolve_decoder(struct cxl_ctx *ctx, struct request *req)
{
	struct topo_root root;

	if (!req->decoder_filter)
		return 0;
	if (root_by_filter(ctx, param.bus, req->decoder_filter, &root))
		return fail("%s not found in CXL topology%s%s",
			    req->decoder_filter, param.bus ? " on bus " : "",
			    param.bus ? param.bus : "");
	snprintf(req->decoder, sizeof(req->decoder), "%s", root.name);
	log_dbg(&rl, "-d %s: %s is the first root decoder", req->decoder_filter,
		req->decoder);
	return 0;
}

/* the root decoder, the targets and their positions, the size */
static int plan_topology(struct cxl_ctx *ctx, struct plan *p)
{
	struct request *req = &p->req;
	struct topo_root *root = &p->root;
	char why[256];

	if (resolve_decoder(ctx, req))
		return -1;
	if (req->nr_names && gather_targets(ctx, req, NULL, p->targets, &p->n))
		return -1;
	if (req->decoder[0]) {
		if (topo_get_root(ctx, req->decoder, root) ||
		    !topo_bus_matches(root, param.bus))
			return fail("%s not found in CXL topology%s%s",
				    req->decoder, param.bus ? " on bus " : "",
				    param.bus ? param.bus : "");
		if (!root->ram)
			return fail(
				"%s is not volatile-capable (cannot hold a ram region)",
				root->name);
		if (!req->nr_names &&
		    gather_targets(ctx, req, root, p->targets, &p->n))
			return -1;
	} else if (pick_root(ctx, req, p->targets, p->n, root)) {
		return -1;
	}
	if (check_capacity(p->targets, p->n, false))
		return -1;
	if (topo_place(root, p->targets, p->n, why, sizeof(why)))
		return fail("%s: cannot interleave: %s", root->name, why);
	if (param.granularity > 0 && root->ways > 1 &&
	    (unsigned int)param.granularity != root->granularity)
		return fail(
			"For an x%u root, only root decoder granularity (%u) permitted",
			root->ways, root->granularity);
	if (param.qos && check_qos(root, p->targets, p->n))
		return -1;
	if (region_size(req, root, p->targets, p->n, &req->size, why,
			sizeof(why)))
		return fail("%s", why);
	log_targets(p);
	return 0;
}

/* execute: every write through @t; any failure rolls all of it back */
static int execute(struct txn *t, const struct plan *p, char *name, size_t len)
{
	int rc;

	txn_catch_signals();
	rc = create(t, &p->req, &p->root, p->targets, p->n, &p->caps,
		    &p->choice, name, len);
	if (!rc) {
		txn_commit(t);
		if (name[0] && !param.dry_run)
			journal_drop("create", name);
		return 0;
	}
	if (txn_rollback(t)) {
		char ep[MAX_TARGETS][NAME_LEN];
		int i;

		for (i = 0; i < p->n; i++)
			memcpy(ep[i], p->targets[i].ep_decoder, NAME_LEN);
		leftover_report(&rl, FN, name, ep, p->n, txn_stopped_at(t),
				txn_stopped_rc(t));
	}
	if (name[0] && !param.dry_run)
		journal_drop("create", name);
	return -1;
}

/* report: the plan of a dry run, else the region as sysfs shows it */
static int report(struct txn *t, const struct plan *p, const char *name)
{
	struct region_info ri;

	if (param.dry_run) {
		region_from_plan(&ri, name, &p->root, p->targets, p->n,
				 p->req.size, granularity(&p->root));
		return print_plan(t, &ri, p->targets, p->n, &p->choice,
				  &p->req);
	}
	if (print_region(name))
		return -1;
	log_msg(&rl, LOG_INFO, FN, "created 1 region");
	return 0;
}

int cmd_create_region(int argc, const char **argv)
{
	const char **orig = calloc((size_t)argc + 1, sizeof(*orig));
	char names[4096], name[NAME_LEN] = "", why[256];
	struct stack_request policy = { 0 };
	static struct plan p;
	struct cxl_ctx *ctx = NULL;
	struct txn *t = NULL;
	int rc = -1, nargs;

	if (!orig)
		return 1;
	memcpy(orig, argv, (size_t)argc * sizeof(*orig));
	log_init(&rl, "cxl region", "CXL_REGION_LOG");
	nargs = options_parse(argc, argv, options, usage);
	log_set_priority(&rl, param.debug ? LOG_DEBUG : LOG_INFO);
	log_set_verbose(&rl, param.verbose);

	if (param.type && strcmp(param.type, "ram") &&
	    strcmp(param.type, "volatile")) {
		if (strcmp(param.type, "pmem"))
			bad("unsupported --type '%s' (valid: ram, pmem)",
			    param.type);
		rc = pmem_passthrough(argc, orig);
		free(orig);
		return rc;
	}
	/* nothing said of the memory: the administrator's default, if any */
	if (!stack_args_given_mode(&param.stack)) {
		int found = create_default_from_policy(
			&rl, FN, param.config_dir, &policy);

		if (found < 0) {
			free(orig);
			return 1;
		}
		p.req.policy_default = found;
	}
	/* nor of the type: upstream's, from the root decoder */
	if (!param.type && !stack_args_given_mode(&param.stack) &&
	    !p.req.policy_default && param.decoder &&
	    type_from_decoder_is_pmem()) {
		rc = pmem_passthrough(argc, orig);
		free(orig);
		return rc;
	}
	free(orig);
	parse_request(nargs, argv, names, sizeof(names), &p.req);
	if (p.req.policy_default) {
		p.req.stack.mode = policy.mode;
		p.req.stack.online = policy.online;
		p.req.stack.method = policy.method;
	}
	if (!param.dry_run && writer_begin("create-region"))
		return 1;

	/* what this kernel cannot do is refused before anything else */
	kernel_caps_detect(&p.caps);
	if (stack_choose(&p.caps, &p.req.stack, &p.choice, why, sizeof(why))) {
		fail("%s", why);
		return 1;
	}
	stack_choice_log(&rl, FN, &p.caps, &p.req.stack, &p.choice);
	rc = topo_open(&ctx);
	if (rc) {
		fail("cannot open the CXL topology: %s", topo_open_error(rc));
		return 1;
	}
	rc = 1; /* until execute() says otherwise */
	if (!topo_kernel_creates_ram(ctx)) {
		fail("this kernel cannot create CXL RAM regions (Linux 6.3 or later can)");
		goto out;
	}
	if (plan_topology(ctx, &p))
		goto out;
	t = txn_new(&rl, FN, param.dry_run);
	if (!t) {
		fail("out of memory");
		goto out;
	}
	rc = execute(t, &p, name, sizeof(name));
	if (!rc)
		rc = report(t, &p, name);
out:
	txn_free(t);
	topo_close(ctx);
	return rc ? 1 : 0;
}
