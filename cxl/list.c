// SPDX-License-Identifier: GPL-2.0
/*
 * cxl list: upstream's listing, with every region object enriched by what
 * this project knows. Upstream's keys, values and order are kept as they
 * are; what an older upstream cannot print yet (type, locked, daxregion)
 * is filled in where the newest upstream prints it, and this project's
 * own keys (mode, region_driver, sysram, decoder) come after all of them.
 */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/builtin.h"
#include "cxl/lib/region-checks.h"
#include "cxl/lib/stack.h"
#include "cxl/region-json.h"
#include "cxl/upstream.h"
#include "daxctl/lib/memblock.h"
#include "util/json.h"
#include "util/name.h"
#include "util/sysfs.h"

/* short options of upstream's list that take a value */
#define LIST_VALUE_OPTS "msbpedr"

/* what the arguments ask for, as upstream's list parses them */
struct list_args {
	bool dax; /* -X/--dax */
	bool human; /* -u/--human */
	int verbose; /* -v/--verbose, counted */
	bool upstream_only; /* --list-opts, -h, --help-all */
};

/*
 * The region keys of the newest upstream, in the order it prints them.
 * A key this project fills in goes right before the first key upstream
 * printed that comes after it here.
 */
static const char *const upstream_order[] = {
	"region",
	"resource",
	"size",
	"extended_linear_cache_size",
	"type",
	"interleave_ways",
	"interleave_granularity",
	"decode_state",
	"state",
	"locked",
	"media_errors",
	"mappings",
	"daxregion",
	"qos_class_mismatch",
};

#define NR_ORDER (sizeof(upstream_order) / sizeof(upstream_order[0]))

static int rank(const char *key)
{
	size_t i;

	for (i = 0; i < NR_ORDER; i++)
		if (!strcmp(upstream_order[i], key))
			return (int)i;
	return -1;
}

/* -1 unknown, 0 no, 1 yes: does the installed upstream have -X (v77+)? */
static int upstream_dax = -1;

static bool upstream_has_dax(void)
{
	const char *const args[] = { upstream_path(), "list", "--list-opts",
				     NULL };
	char *out = NULL;
	int status;

	if (upstream_dax < 0) {
		upstream_dax = 0;
		if (!upstream_capture(args, &out, &status))
			upstream_dax = strstr(out, "--dax") != NULL;
		free(out);
	}
	return upstream_dax;
}

#define MAX_KEYS 64
#define KEY_LEN 48

struct kv {
	char key[KEY_LEN];
	struct json_object *val;
	int rank;
};

/*
 * Put @key/@val into @kv (holding @n entries in upstream's order) before
 * the first entry upstream prints after it; unranked keys go last.
 */
static int insert(struct kv *kv, int n, const char *key,
		  struct json_object *val)
{
	int r = rank(key), i, at = n;

	if (n >= MAX_KEYS) {
		json_object_put(val);
		return n;
	}
	if (r >= 0)
		for (i = 0; i < n; i++)
			if (kv[i].rank > r) {
				at = i;
				break;
			}
	memmove(&kv[at + 1], &kv[at], (size_t)(n - at) * sizeof(*kv));
	snprintf(kv[at].key, KEY_LEN, "%s", key);
	kv[at].val = val;
	kv[at].rank = r;
	return n + 1;
}

/* append every key of @from to @kv, unranked; false if one does not fit */
static bool append_all(struct kv *kv, int *n, struct json_object *from,
		       bool ranked)
{
	json_object_object_foreach (from, key, val) {
		if (*n >= MAX_KEYS || strlen(key) >= KEY_LEN)
			return false;
		snprintf(kv[*n].key, KEY_LEN, "%s", key);
		kv[*n].val = json_object_get(val);
		kv[*n].rank = ranked ? rank(key) : -1;
		(*n)++;
	}
	return true;
}

static unsigned int enrich_region(struct json_object *obj, unsigned int flags,
				  bool want_dax)
{
	static struct kv kv[MAX_KEYS];
	struct json_object *name, *extra;
	struct region_info ri;
	struct stack_state st;
	int n = 0, i, locked;
	bool fits;

	if (!json_object_object_get_ex(obj, "region", &name) ||
	    !json_object_object_get_ex(obj, "decode_state", NULL))
		return 0;
	if (region_read_stack_info(json_object_get_string(name), &ri) ||
	    stack_describe(&ri, &st))
		return 0;

	/* upstream's keys, in its order, each value kept (a reference) */
	if (!append_all(kv, &n, obj, true))
		goto out_put;
	if (!json_object_object_get_ex(obj, "type", NULL) && ri.mode[0] &&
	    strcmp(ri.mode, "none"))
		n = insert(kv, n, "type", json_object_new_string(ri.mode));
	locked = region_read_locked(ri.name);
	if (!json_object_object_get_ex(obj, "locked", NULL) && locked >= 0)
		n = insert(kv, n, "locked", json_object_new_boolean(locked));
	if (want_dax && !json_object_object_get_ex(obj, "daxregion", NULL) &&
	    st.nr_dax && !upstream_has_dax())
		n = insert(kv, n, "daxregion",
			   region_json_daxregion(&ri, &st, flags));

	/* this project's keys, after every key upstream has */
	extra = json_object_new_object();
	region_json_add_stack(extra, &ri, &st, flags);
	fits = append_all(kv, &n, extra, false);
	json_object_put(extra);
	if (!fits)
		goto out_put;

	/* rebuild the object in place, in the final order */
	for (i = 0; i < n; i++)
		json_object_object_del(obj, kv[i].key);
	for (i = 0; i < n; i++)
		json_object_object_add(obj, kv[i].key, kv[i].val);
	return 1;

out_put:
	for (i = 0; i < n; i++)
		json_object_put(kv[i].val);
	return 0;
}

static unsigned int walk(struct json_object *o, unsigned int flags,
			 bool want_dax)
{
	unsigned int n = 0;
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			n += walk(json_object_array_get_idx(o, i), flags,
				  want_dax);
		return n;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	n += enrich_region(o, flags, want_dax);
	{
		json_object_object_foreach (o, key, val) {
			(void)key;
			n += walk(val, flags, want_dax);
		}
	}
	return n;
}

/* upstream's reading of the arguments, as far as this file cares */
static void scan_args(int argc, const char **argv, struct list_args *la)
{
	int i;
	size_t j;

	memset(la, 0, sizeof(*la));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1])
			continue;
		if (!strcmp(a, "--dax"))
			la->dax = true;
		else if (!strcmp(a, "--human"))
			la->human = true;
		else if (!strcmp(a, "--verbose"))
			la->verbose++;
		else if (!strcmp(a, "--list-opts") || !strcmp(a, "-h") ||
			 !strcmp(a, "--help-all"))
			la->upstream_only = true;
		if (a[1] == '-')
			continue;
		for (j = 1; a[j] && !strchr(LIST_VALUE_OPTS, a[j]); j++) {
			if (a[j] == 'X')
				la->dax = true;
			else if (a[j] == 'u')
				la->human = true;
			else if (a[j] == 'v')
				la->verbose++;
		}
		/* a value option without its value here takes the next one */
		if (a[j] && !a[j + 1])
			i++;
	}
}

/*
 * -X/--dax is newer than an upstream older than v77: take it out of the
 * arguments (daxregion is added here then). @args keeps everything else
 * in order.
 */
static void strip_dax(int argc, const char **argv, const char **args,
		      int *nargs, char *bundles, size_t blen)
{
	bool rest = false;
	size_t used = 0;
	int i;

	*nargs = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t j, k;
		char *out;

		if (rest || a[0] != '-' || !a[1]) {
			args[(*nargs)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			rest = true;
			args[(*nargs)++] = a;
			continue;
		}
		if (!strcmp(a, "--dax"))
			continue;
		if (a[1] == '-' || !strchr(a, 'X') ||
		    used + strlen(a) + 1 > blen) {
			args[(*nargs)++] = a;
			continue;
		}
		/* a bundle like -RXu: drop the X up to the first value option */
		out = bundles + used;
		k = 0;
		out[k++] = '-';
		for (j = 1; a[j]; j++) {
			if (strchr(LIST_VALUE_OPTS, a[j])) {
				strcpy(out + k, a + j);
				k += strlen(a + j);
				break;
			}
			if (a[j] != 'X')
				out[k++] = a[j];
		}
		out[k] = '\0';
		if (k > 1)
			args[(*nargs)++] = out;
		used += k + 1;
	}
}

/* upstream's refusal of an option it does not know, in its own words */
static bool refused_dax(int status, const char *err)
{
	return status == 129 && (strstr(err, "unknown switch `X'") ||
				 strstr(err, "unknown option `dax'"));
}

/*
 * -X/--dax: upstream 77 and later know it, older ones refuse it. Tried
 * first as given (one run of upstream where it knows -X, instead of a
 * run of `list --list-opts` to ask and then the listing); refused, the
 * listing runs again without it, and daxregion is filled in here.
 * @args holds argv as given, room for argc + 2.
 */
static int capture_dax(int argc, const char **argv, const char **args,
		       char **out, int *status, char *bundles, size_t blen)
{
	char *err = NULL;
	int rc, n;

	if (upstream_dax != 0) {
		rc = upstream_capture_err(args, out, &err, status);
		if (rc)
			return rc;
		if (!refused_dax(*status, err)) {
			upstream_dax = 1;
			fputs(err, stderr);
			free(err);
			return 0;
		}
		free(err);
		free(*out);
		*out = NULL;
	}
	upstream_dax = 0;
	strip_dax(argc, argv, args + 2, &n, bundles, blen);
	args[n + 2] = NULL;
	return upstream_capture(args, out, status);
}

int cmd_list(int argc, const char **argv)
{
	const char **args = calloc((size_t)argc + 2, sizeof(*args));
	struct json_object *root;
	struct list_args la;
	unsigned int flags = 0;
	char *out = NULL, bundles[1024];
	int i, status, rc, n;

	if (!args)
		return 1;
	scan_args(argc, argv, &la);
	args[0] = upstream_path();
	args[1] = "list";
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	n = argc - 1;
	/* --list-opts and -h are upstream's business entirely */
	if (la.upstream_only) {
		args[0] = "cxl";
		rc = upstream_exec(n + 2, args);
		free(args);
		return rc;
	}
	args[n + 2] = NULL;
	if (la.dax)
		rc = capture_dax(argc, argv, args, &out, &status, bundles,
				 sizeof(bundles));
	else
		rc = upstream_capture(args, &out, &status);
	free(args);
	if (rc)
		return upstream_report(upstream_path(), rc);
	if (la.human)
		flags |= RJ_HUMAN;
	root = status == 0 ? json_tokener_parse(out) : NULL;
	/*
	 * A listing writes nothing: each region's folder is looked up once,
	 * and a node's zone counts can stand for its blocks.
	 */
	sysfs_cache_dirs(true);
	memblock_count_by_zone(true);
	if (root && walk(root, flags, la.dax || la.verbose >= 3))
		json_print(stdout, root);
	else
		fputs(out, stdout);
	memblock_count_by_zone(false);
	sysfs_cache_dirs(false);
	json_object_put(root);
	free(out);
	if (status < 0) {
		/* upstream crashed: so do we, with the same signal */
		fflush(NULL);
		signal(-status, SIG_DFL);
		raise(-status);
		return 128 - status;
	}
	return status;
}
