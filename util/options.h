/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_OPTIONS_H
#define UTIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Command-line options in the cxl-cli style: options and positionals may be
 * mixed, "--opt=v" and "--opt v" both work, unique long prefixes are
 * accepted, booleans take "--no-<opt>", "--" ends option parsing.
 * Usage errors print one line naming the problem and exit 129; "--list-opts"
 * prints the long names and exits 130; "-h" prints the usage, exit 129.
 */
enum opt_type {
	OPT_END = 0,
	OPT_BOOL, /* bool *, no argument */
	OPT_INCR, /* int *, counts repetitions */
	OPT_STRING, /* const char **, argument required */
	OPT_INT, /* int *, argument required, strictly parsed */
};

struct option_def {
	enum opt_type type;
	char short_name;
	const char *long_name;
	void *value;
	const char *argh;
	const char *help;
};

#define OPT_EXIT_USAGE 129
#define OPT_EXIT_LIST 130

/*
 * Parses argv[1..]; returns the number of positionals, stored in order at
 * the start of argv (argv[0] is left alone, positionals start at argv[0]
 * of the returned shift: the caller uses argv[i] for i < return value).
 */
int options_parse(int argc, const char **argv, const struct option_def *opts,
		  const char *const *usage);

/*
 * The same parse without exiting, for tests and the fuzzer: returns the
 * number of positionals, or OPT_ERR_USAGE with the one-line message in
 * @err, OPT_ERR_HELP for -h or --help-all, OPT_ERR_LIST for --list-opts.
 */
#define OPT_ERR_USAGE (-1)
#define OPT_ERR_HELP (-2)
#define OPT_ERR_LIST (-3)
int options_parse_checked(int argc, const char **argv,
			  const struct option_def *opts, char *err, size_t len);
void __attribute__((noreturn))
usage_with_options(const char *const *usage, const struct option_def *opts);
/* print one line "Error: <msg>" and exit 129 */
void __attribute__((noreturn, format(printf, 3, 4)))
usage_error(const char *const *usage, const struct option_def *opts,
	    const char *fmt, ...);

#endif /* UTIL_OPTIONS_H */
