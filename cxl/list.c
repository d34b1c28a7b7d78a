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
	if (!json_object_object_get_ex(obj, "daxregion", NULL) && st.nr_dax)
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
		json_object_object_foreach(o, key, val)
		{
			(void)key;
			n += walk(val, flags);
		}
	}
	return n;
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
	char *out = NULL;
	int i, status, rc;

	if (!args)
		return 1;
	args[0] = upstream_path();
	args[1] = "list";
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	/* --list-opts and -h are upstream's business entirely */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-opts") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "--help-all")) {
			args[0] = "cxl";
			rc = upstream_exec(argc + 1, args);
			free(args);
			return rc;
		}
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
