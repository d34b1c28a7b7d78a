// SPDX-License-Identifier: GPL-2.0
/*
 * cxl list: upstream's listing, with every region object enriched by what
 * this project knows (type, daxregion, mode, region_driver, sysram,
 * decoder). Upstream's keys and values are kept as they are, so the output
 * is a strict superset of upstream's for the same flags.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/builtin.h"
#include "cxl/lib/stack.h"
#include "cxl/region-json.h"
#include "cxl/upstream.h"
#include "util/json.h"
#include "util/name.h"

static unsigned int enrich_region(struct json_object *obj, unsigned int flags)
{
	struct json_object *name;
	struct region_info ri;
	struct stack_state st;

	if (!json_object_object_get_ex(obj, "region", &name) ||
	    !json_object_object_get_ex(obj, "decode_state", NULL))
		return 0;
	if (region_read_info(json_object_get_string(name), &ri) ||
	    stack_describe(&ri, &st))
		return 0;
	if (!json_object_object_get_ex(obj, "type", NULL) && ri.mode[0] &&
	    strcmp(ri.mode, "none"))
		json_object_object_add(obj, "type",
				       json_object_new_string(ri.mode));
	if ((flags & RJ_DAX) &&
	    !json_object_object_get_ex(obj, "daxregion", NULL) && st.nr_dax)
		json_object_object_add(obj, "daxregion",
				       region_json_daxregion(&ri, &st, flags));
	region_json_add_stack(obj, &ri, &st, flags);
	return 1;
}

static unsigned int walk(struct json_object *o, unsigned int flags)
{
	unsigned int n = 0;
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			n += walk(json_object_array_get_idx(o, i), flags);
		return n;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	n += enrich_region(o, flags);
	{
		json_object_object_foreach (o, key, val) {
			(void)key;
			n += walk(val, flags);
		}
	}
	return n;
}

/* short options of upstream's list that take a value */
#define LIST_VALUE_OPTS "msbpedr"

/*
 * -X/--dax (daxregion on regions) is newer than the installed upstream:
 * take it out of the arguments and add daxregion ourselves. Returns true
 * when it was given; @args keeps everything else in order.
 */
static bool strip_dax(int argc, const char **argv, const char **args,
		      int *nargs, char *bundles, size_t blen)
{
	bool dax = false, rest = false;
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
		if (!strcmp(a, "--dax")) {
			dax = true;
			continue;
		}
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
			if (a[j] == 'X')
				dax = true;
			else
				out[k++] = a[j];
		}
		out[k] = '\0';
		if (k > 1)
			args[(*nargs)++] = out;
		used += k + 1;
	}
	return dax;
}

static bool wants_human(int argc, const char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "--human"))
			return true;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'u'))
			return true;
	}
	return false;
}

int cmd_list(int argc, const char **argv)
{
	const char **args = calloc((size_t)argc + 2, sizeof(*args));
	struct json_object *root;
	unsigned int flags = 0;
	char *out = NULL, bundles[1024];
	int i, status, rc, n;

	if (!args)
		return 1;
	args[0] = upstream_path();
	args[1] = "list";
	if (strip_dax(argc, argv, args + 2, &n, bundles, sizeof(bundles)))
		flags |= RJ_DAX;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-vvv"))
			flags |= RJ_DAX;
	/* --list-opts and -h are upstream's business entirely */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-opts") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "--help-all")) {
			args[0] = "cxl";
			rc = upstream_exec(n + 2, args);
			free(args);
			return rc;
		}
	args[n + 2] = NULL;
	rc = upstream_capture(args, &out, &status);
	free(args);
	if (rc)
		return upstream_report(upstream_path(), rc);
	if (wants_human(argc, argv))
		flags |= RJ_HUMAN;
	root = status == 0 ? json_tokener_parse(out) : NULL;
	if (root && walk(root, flags)) {
		json_print(stdout, root);
	} else {
		fputs(out, stdout);
	}
	json_object_put(root);
	free(out);
	return status;
}
