// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/options.h"

static void print_usage(FILE *f, const char *const *usage,
			const struct option_def *opts)
{
	const struct option_def *o;

	fprintf(f, "\n usage: %s\n", *usage);
	while (*++usage)
		fprintf(f, "    or: %s\n", *usage);
	fputc('\n', f);
	for (o = opts; o->type != OPT_END; o++) {
		char lhs[64];
		int n;

		if (o->short_name && o->long_name)
			n = snprintf(lhs, sizeof(lhs), "    -%c, --%s",
				     o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(lhs, sizeof(lhs), "    -%c",
				     o->short_name);
		else
			n = snprintf(lhs, sizeof(lhs), "        --%s",
				     o->long_name);
		if (o->argh && n > 0 && (size_t)n < sizeof(lhs))
			n += snprintf(lhs + n, sizeof(lhs) - n, " <%s>",
				      o->argh);
		if (n > 24)
			fprintf(f, "%s\n%26s%s\n", lhs, "", o->help);
		else
			fprintf(f, "%-26s%s\n", lhs, o->help);
	}
	fputc('\n', f);
}

void usage_with_options(const char *const *usage, const struct option_def *opts)
{
	print_usage(stderr, usage, opts);
	exit(OPT_EXIT_USAGE);
}

void usage_error(const char *const *usage, const struct option_def *opts,
		 const char *fmt, ...)
{
	char msg[1024], shown[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the words quoted are the user's: they may hold any byte */
	fprintf(stderr, "  Error: %s\n",
		escape_line(msg, shown, sizeof(shown)));
	/* one line says what is wrong; -h shows the whole usage */
	exit(OPT_EXIT_USAGE);
}

static void __attribute__((noreturn)) list_opts(const struct option_def *opts)
{
	const struct option_def *o;
	const char *sep = "";

	for (o = opts; o->type != OPT_END; o++) {
		if (!o->long_name)
			continue;
		printf("%s--%s", sep, o->long_name);
		sep = " ";
	}
	putchar('\n');
	exit(OPT_EXIT_LIST);
}

/* where a parse is: the table, and where an error goes */
struct parse {
	const struct option_def *opts;
	char *err;
	size_t len;
};

static int __attribute__((format(printf, 2, 3)))
bad(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->err, ps->len, fmt, ap);
	va_end(ap);
	return OPT_ERR_USAGE;
}

static bool takes_arg(const struct option_def *o)
{
	return o->type == OPT_STRING || o->type == OPT_INT;
}

static void opt_name(const struct option_def *o, char *buf, size_t len,
		     bool was_long)
{
	if (was_long || !o->short_name)
		snprintf(buf, len, "option `%s'", o->long_name);
	else
		snprintf(buf, len, "switch `%c'", o->short_name);
}

static int set_value(struct parse *ps, const struct option_def *o,
		     const char *arg, bool neg, bool was_long)
{
	char name[80];
	char *end;
	long v;

	switch (o->type) {
	case OPT_BOOL:
		*(bool *)o->value = !neg;
		return 0;
	case OPT_INCR:
		*(int *)o->value = neg ? 0 : *(int *)o->value + 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_INT:
		errno = 0;
		v = strtol(arg, &end, 0);
		if (errno || end == arg || *end || v < INT_MIN || v > INT_MAX) {
			opt_name(o, name, sizeof(name), was_long);
			return bad(ps, "%s expects a numerical value", name);
		}
		*(int *)o->value = (int)v;
		return 0;
	default:
		return 0;
	}
}

/* find a long option by exact name or unique prefix; sets @neg for no-X */
static const struct option_def *find_long(const struct option_def *opts,
					  const char *name, size_t len,
					  bool *neg, bool *ambiguous)
{
	const struct option_def *o, *hit = NULL;
	int pass;

	*ambiguous = false;
	for (pass = 0; pass < 2; pass++) {
		for (o = opts; o->type != OPT_END; o++) {
			const char *n = o->long_name;
			bool is_neg = false;
			const char *want = name;
			size_t wlen = len;

			if (!n)
				continue;
			if (pass == 1) {
				if (o->type != OPT_BOOL && o->type != OPT_INCR)
					continue;
				if (len < 3 || strncmp(name, "no-", 3))
					continue;
				want = name + 3;
				wlen = len - 3;
				is_neg = true;
			}
			if (strncmp(n, want, wlen))
				continue;
			if (strlen(n) == wlen) {
				*neg = is_neg;
				*ambiguous = false;
				return o;
			}
			if (hit && hit != o)
				*ambiguous = true;
			hit = o;
			*neg = is_neg;
		}
		if (hit)
			break;
	}
	return *ambiguous ? NULL : hit;
}

/* returns the index of the last argument used, or an OPT_ERR_* */
static int parse_long(struct parse *ps, int argc, const char **argv, int i)
{
	const char *arg = argv[i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct option_def *o;
	bool neg = false, ambiguous;
	int rc;

	o = find_long(ps->opts, arg, len, &neg, &ambiguous);
	if (!o) {
		if (ambiguous)
			return bad(ps, "ambiguous option: %.*s", (int)len, arg);
		return bad(ps, "unknown option `%.*s'", (int)len, arg);
	}
	if (!takes_arg(o)) {
		if (eq)
			return bad(ps, "option `%s' takes no value",
				   o->long_name);
		rc = set_value(ps, o, NULL, neg, true);
		return rc ? rc : i;
	}
	if (eq) {
		rc = set_value(ps, o, eq + 1, false, true);
		return rc ? rc : i;
	}
	if (i + 1 >= argc)
		return bad(ps, "option `%s' requires a value", o->long_name);
	rc = set_value(ps, o, argv[i + 1], false, true);
	return rc ? rc : i + 1;
}

static int parse_short(struct parse *ps, int argc, const char **argv, int i)
{
	const char *p = argv[i] + 1;
	int rc;

	for (; *p; p++) {
		const struct option_def *o;

		for (o = ps->opts; o->type != OPT_END; o++)
			if (o->short_name && o->short_name == *p)
				break;
		if (o->type == OPT_END) {
			if (*p == 'h')
				return OPT_ERR_HELP;
			return bad(ps, "unknown switch `%c'", *p);
		}
		if (!takes_arg(o)) {
			rc = set_value(ps, o, NULL, false, false);
			if (rc)
				return rc;
			continue;
		}
		if (p[1]) {
			rc = set_value(ps, o, p + 1, false, false);
			return rc ? rc : i;
		}
		if (i + 1 >= argc)
			return bad(ps, "switch `%c' requires a value", *p);
		rc = set_value(ps, o, argv[i + 1], false, false);
		return rc ? rc : i + 1;
	}
	return i;
}

int options_parse_checked(int argc, const char **argv,
			  const struct option_def *opts, char *err, size_t len)
{
	struct parse ps = { .opts = opts, .err = err, .len = len };
	int i, npos = 0;

	if (len)
		err[0] = '\0';
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-opts"))
			return OPT_ERR_LIST;
		else if (!strcmp(argv[i], "--"))
			break;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				argv[npos++] = argv[i];
			break;
		}
		if (!strcmp(a, "--help-all"))
			return OPT_ERR_HELP;
		if (a[0] == '-' && a[1] == '-' && a[2])
			i = parse_long(&ps, argc, argv, i);
		else if (a[0] == '-' && a[1])
			i = parse_short(&ps, argc, argv, i);
		else
			argv[npos++] = a;
		if (i < 0)
			return i;
	}
	return npos;
}

int options_parse(int argc, const char **argv, const struct option_def *opts,
		  const char *const *usage)
{
	char err[256];
	int n = options_parse_checked(argc, argv, opts, err, sizeof(err));

	switch (n) {
	case OPT_ERR_LIST:
		list_opts(opts);
	case OPT_ERR_HELP:
		usage_with_options(usage, opts);
	case OPT_ERR_USAGE:
		usage_error(usage, opts, "%s", err);
	default:
		return n;
	}
}
