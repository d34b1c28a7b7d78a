// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the command-line option parser. The input is an argv,
 * its words separated by NUL bytes, parsed against a table with every kind
 * of option; a usage error must print as one line of printable text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/options.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool b1, b2;
static int incr, num;
static const char *s1, *s2;

static const struct option_def opts[] = {
	{ OPT_BOOL, 'f', "force", &b1, NULL, "" },
	{ OPT_BOOL, 'n', "dry-run", &b2, NULL, "" },
	{ OPT_INCR, 'v', "verbose", &incr, NULL, "" },
	{ OPT_INT, 'w', "ways", &num, "n", "" },
	{ OPT_STRING, 's', "size", &s1, "size", "" },
	{ OPT_STRING, 0, "mode", &s2, "mode", "" },
	{ OPT_STRING, 0, "method", &s2, "method", "" },
	{ OPT_BOOL, 0, "check-config", &b1, NULL, "" },
	{ OPT_END },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_ARGS + 1];
	char err[256], shown[1024], *buf, *p, *end;
	int argc = 1, n, i;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "fuzz";
	for (p = buf, end = buf + size; p < end && argc < MAX_ARGS;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	b1 = b2 = false;
	incr = num = 0;
	s1 = s2 = NULL;
	n = options_parse_checked(argc, argv, opts, err, sizeof(err));
	if (n == OPT_ERR_USAGE) {
		/* what usage_error() prints: one line of printable bytes */
		escape_line(err, shown, sizeof(shown));
		if (!shown[0])
			abort();
		for (i = 0; shown[i]; i++)
			if ((unsigned char)shown[i] < 0x20 ||
			    (unsigned char)shown[i] > 0x7e)
				abort();
	} else if (n >= 0) {
		/* the positionals are words of the input, in order */
		if (n >= argc)
			abort();
		for (i = 0; i < n; i++)
			if (argv[i] < buf || argv[i] >= buf + size + 1)
				abort();
		/* string values point into the input */
		if ((s1 && (s1 < buf || s1 > buf + size)) ||
		    (s2 && (s2 < buf || s2 > buf + size)))
			abort();
	} else if (n != OPT_ERR_HELP && n != OPT_ERR_LIST) {
		abort();
	}
	free(buf);
	return 0;
}
