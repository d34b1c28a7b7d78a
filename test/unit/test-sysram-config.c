// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxl/sysram-config.h"

static char err[512];

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* parse @text as the file "t.conf" into @cfg */
static int parse(struct sysram_config *cfg, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	rc = sysram_config_parse(cfg, "t.conf", f, err, sizeof(err));
	fclose(f);
	return rc;
}

static void valid(void **state)
{
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *r;

	assert_int_equal(parse(&cfg, "# policy for the CXL expanders\n"
				     "; another comment\n"
				     "\n"
				     "[region pool]\n"
				     "match.serial = 0x100, 257  # both cards\n"
				     "  online=movable\r\n"
				     "\n"
				     "[ region\tnear-dax ]\n"
				     "\tmatch.decoder\t=\tdecoder0.1 ; root\n"
				     "match.host = 0000:0d:00.0,cxl_mem.1\n"
				     "mode = devdax\n"
				     "method = legacy\n"
				     "[region k.2_x]\n"
				     "match.host=cxl_mem.0\n"
				     "mode=sysram\n"
				     "online = online_kernel\n"
				     "method=dax-state\n"),
			 0);
	assert_int_equal(cfg.nr, 3);

	r = &cfg.rules[0];
	assert_string_equal(r->name, "pool");
	assert_string_equal(r->file, "t.conf");
	assert_int_equal(r->line, 4);
	assert_int_equal(r->match, SYSRAM_MATCH_SERIAL);
	assert_int_equal(r->nr_serials, 2);
	assert_true(r->serials[0] == 0x100);
	assert_true(r->serials[1] == 257);
	assert_int_equal(r->mode, RMODE_SYSRAM); /* online implies it */
	assert_true(r->has_online);
	assert_int_equal(r->online, ONLINE_MOVABLE);
	assert_int_equal(r->method, METHOD_AUTO);

	r = &cfg.rules[1];
	assert_string_equal(r->name, "near-dax");
	assert_int_equal(r->match, SYSRAM_MATCH_DECODER | SYSRAM_MATCH_HOST);
	assert_string_equal(r->decoder, "decoder0.1");
	assert_int_equal(r->nr_hosts, 2);
	assert_string_equal(r->hosts[0], "0000:0d:00.0");
	assert_string_equal(r->hosts[1], "cxl_mem.1");
	assert_int_equal(r->mode, RMODE_DEVDAX);
	assert_false(r->has_online);
	assert_int_equal(r->method, METHOD_LEGACY);

	r = &cfg.rules[2];
	assert_string_equal(r->name, "k.2_x");
	assert_int_equal(r->line, 13);
	assert_int_equal(r->online, ONLINE_KERNEL);
	assert_int_equal(r->method, METHOD_DAX_STATE);
	sysram_config_free(&cfg);
	assert_int_equal(cfg.nr, 0);
	assert_null(cfg.rules);
}

/* every value, parsed into what the command line's parsers make of it */
static void every_value(void **state)
{
	static const struct {
		const char *name;
		enum online_type type;
	} online[] = {
		{ "offline", ONLINE_OFFLINE },
		{ "online", ONLINE_ONLINE },
		{ "kernel", ONLINE_KERNEL },
		{ "online_kernel", ONLINE_KERNEL },
		{ "movable", ONLINE_MOVABLE },
		{ "online_movable", ONLINE_MOVABLE },
	};
	static const struct {
		const char *name;
		enum method m;
	} method[] = {
		{ "auto", METHOD_AUTO },
		{ "region-driver", METHOD_REGION_DRIVER },
		{ "dax-state", METHOD_DAX_STATE },
		{ "legacy", METHOD_LEGACY },
	};
	static const struct {
		const char *name;
		enum region_mode m;
	} mode[] = {
		{ "sysram", RMODE_SYSRAM },
		{ "devdax", RMODE_DEVDAX },
		{ "default", RMODE_DEFAULT },
	};
	static const struct {
		const char *text, *name;
	} decoder[] = {
		{ "decoder0.0", "decoder0.0" },
		{ "0.0", "decoder0.0" },
		{ "12.3", "decoder12.3" },
	};
	struct stack_request req;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(online) / sizeof(online[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.serial=1\nonline=%s\n",
			 online[i].name);
		assert_int_equal(parse(&cfg, text), 0);
		assert_int_equal(cfg.rules[0].online, online[i].type);
		sysram_rule_request(&cfg.rules[0], 5000, &req);
		assert_int_equal(req.mode, RMODE_SYSRAM);
		assert_int_equal(req.online, online[i].type);
		assert_int_equal(req.method, METHOD_AUTO);
		assert_int_equal(req.timeout_ms, 5000);
		sysram_config_free(&cfg);
	}
	for (i = 0; i < sizeof(method) / sizeof(method[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.serial=1\nmode=devdax\nmethod=%s\n",
			 method[i].name);
		assert_int_equal(parse(&cfg, text), 0);
		assert_int_equal(cfg.rules[0].method, method[i].m);
		sysram_config_free(&cfg);
	}
	for (i = 0; i < sizeof(mode) / sizeof(mode[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.serial=1\nmode=%s\n", mode[i].name);
		assert_int_equal(parse(&cfg, text), 0);
		assert_int_equal(cfg.rules[0].mode, mode[i].m);
		sysram_rule_request(&cfg.rules[0], 1000, &req);
		assert_int_equal(req.mode, mode[i].m);
		/* mode = sysram alone means movable, as --mode=sysram does */
		assert_int_equal(req.online, ONLINE_MOVABLE);
		sysram_config_free(&cfg);
	}
	for (i = 0; i < sizeof(decoder) / sizeof(decoder[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.decoder=%s\nmode=devdax\n",
			 decoder[i].text);
		assert_int_equal(parse(&cfg, text), 0);
		assert_string_equal(cfg.rules[0].decoder, decoder[i].name);
		sysram_config_free(&cfg);
	}
}

static void empty_input(void **state)
{
	struct sysram_config cfg = { 0 };

	assert_int_equal(parse(&cfg, ""), 0);
	assert_int_equal(parse(&cfg, "\n\n# nothing\n  ; at all\n"), 0);
	assert_int_equal(cfg.nr, 0);
	/* no newline at the end of the last line */
	assert_int_equal(parse(&cfg, "[region a]\nmatch.serial=7\nmode=devdax"),
			 0);
	assert_int_equal(cfg.nr, 1);
	sysram_config_free(&cfg);
}

static void boundaries(void **state)
{
	struct sysram_config cfg = { 0 };
	char text[2048], name[80];
	int i, n;

	/* 16 serials (the most ways of a region), the widest values */
	n = snprintf(text, sizeof(text),
		     "[region a]\nonline=offline\n"
		     "match.serial=18446744073709551615,"
		     "0xFFFFFFFFFFFFFFFE,0");
	for (i = 3; i < 16; i++)
		n += snprintf(text + n, sizeof(text) - n, ",%d", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	assert_int_equal(parse(&cfg, text), 0);
	assert_int_equal(cfg.rules[0].nr_serials, 16);
	assert_true(cfg.rules[0].serials[0] == UINT64_MAX);
	assert_true(cfg.rules[0].serials[1] == UINT64_MAX - 1);
	assert_true(cfg.rules[0].serials[2] == 0);
	sysram_config_free(&cfg);

	/* a 17th is one too many */
	text[strlen(text) - 1] = '\0';
	strcat(text, ",99\n");
	assert_int_equal(parse(&cfg, text), -EINVAL);
	assert_non_null(strstr(err, "t.conf:3: match.serial: more than 16"));
	sysram_config_free(&cfg);

	/* a rule name of 63 characters, and one of 64 */
	memset(name, 'n', 63);
	name[63] = '\0';
	snprintf(text, sizeof(text),
		 "[region %s]\nmatch.serial=1\nmode=devdax\n", name);
	assert_int_equal(parse(&cfg, text), 0);
	assert_string_equal(cfg.rules[0].name, name);
	sysram_config_free(&cfg);
	snprintf(text, sizeof(text),
		 "[region %sn]\nmatch.serial=1\nmode=devdax\n", name);
	assert_int_equal(parse(&cfg, text), -EINVAL);
	assert_non_null(strstr(err, "t.conf:1: rule name"));
	sysram_config_free(&cfg);

	/* a host of 63 characters, and one of 64 */
	snprintf(text, sizeof(text), "[region a]\nmatch.host=%s\nmode=devdax\n",
		 name);
	assert_int_equal(parse(&cfg, text), 0);
	assert_string_equal(cfg.rules[0].hosts[0], name);
	sysram_config_free(&cfg);
	snprintf(text, sizeof(text),
		 "[region a]\nmatch.host=%sn\nmode=devdax\n", name);
	assert_int_equal(parse(&cfg, text), -EINVAL);
	assert_non_null(strstr(err, "t.conf:2: match.host:"));
	sysram_config_free(&cfg);
}

/* [new-regions] is the create default, never a rule a region matches */
static void new_regions(void **state)
{
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *r;
	struct sysram_region any = { .decoder = "decoder0.0", .nr = 1 };

	(void)state;
	assert_int_equal(parse(&cfg, "[new-regions]\nonline=kernel\n"), 0);
	r = sysram_config_new_regions(&cfg);
	assert_non_null(r);
	assert_int_equal(r->mode, RMODE_SYSRAM);
	assert_int_equal(r->online, ONLINE_KERNEL);
	assert_int_equal(r->method, METHOD_AUTO);
	assert_null(sysram_config_match(&cfg, &any));
	sysram_config_free(&cfg);

	assert_int_equal(parse(&cfg, "[region a]\nmatch.decoder=0.0\n"
				     "mode=devdax\n[new-regions]\n"
				     "mode=default\n"),
			 0);
	r = sysram_config_new_regions(&cfg);
	assert_non_null(r);
	assert_int_equal(r->mode, RMODE_DEFAULT);
	r = sysram_config_match(&cfg, &any);
	assert_non_null(r);
	assert_string_equal(r->name, "a");
	sysram_config_free(&cfg);

	assert_int_equal(parse(&cfg, "[region a]\nmatch.decoder=0.0\n"
				     "mode=devdax\n"),
			 0);
	assert_null(sysram_config_new_regions(&cfg));
	sysram_config_free(&cfg);
}

static void invalid(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[region a]\nmatch.serial=1\nonline=movabel\n",
		  "t.conf:3: unknown online type 'movabel' (valid: offline, online, kernel, movable, online_kernel, online_movable)" },
		{ "[region a]\nmatch.serial=1\nmode=dflt\n",
		  "t.conf:3: unknown mode 'dflt' (valid: sysram, devdax, default)" },
		{ "[region a]\nmatch.serial=1\nmode=devdax\nmethod=fast\n",
		  "t.conf:4: unknown method 'fast' (valid: auto, region-driver, dax-state, legacy)" },
		{ "[region a]\nmatch.serial=1\nonlin=movable\n",
		  "t.conf:3: unknown key 'onlin' (valid: match.serial, match.decoder, match.host, mode, online, method)" },
		{ "[region a]\nmatch.serial=1\nonline movable\n",
		  "t.conf:3: expected 'key = value' or a section header (valid: [region NAME], [new-regions]), got 'online movable'" },
		{ "mode=devdax\n[region a]\nmatch.serial=1\n",
		  "t.conf:1: 'mode' outside a section" },
		{ "[global]\n", "t.conf:1: unknown section '[global]'" },
		{ "[reconfigure-device a]\n",
		  "t.conf:1: unknown section '[reconfigure-device a]'" },
		{ "[region a\n", "t.conf:1: unterminated section header" },
		{ "[region]\n", "t.conf:1: rule name '' is not valid" },
		{ "[region a b]\n", "t.conf:1: rule name 'a b' is not valid" },
		{ "[region a/b]\n", "t.conf:1: rule name 'a/b' is not valid" },
		{ "\n[region a]\nmode=devdax\n",
		  "t.conf:2: rule 'a' has no match key" },
		{ "[region a]\nmode=devdax\n[region b]\nmatch.serial=1\nmode=devdax\n",
		  "t.conf:1: rule 'a' has no match key" },
		{ "[region a]\nmatch.serial=1\nmethod=auto\n",
		  "t.conf:1: rule 'a' gives neither mode nor online" },
		{ "[region a]\nmatch.serial=1\nonline=movable\nmode=devdax\n",
		  "t.conf:3: online applies to mode = sysram, not mode = devdax" },
		{ "[region a]\nmatch.serial=1\nmode=sysram\nmode=devdax\n",
		  "t.conf:4: 'mode' given twice in rule 'a' (first at line 3)" },
		{ "[region a]\nmatch.serial=1\nmode=devdax\n[region a]\n",
		  "t.conf:4: rule 'a' defined twice (first at t.conf:1)" },
		{ "[region a]\nmatch.serial=\n",
		  "t.conf:2: 'match.serial' needs a value" },
		{ "[region a]\nmatch.serial=-1\n",
		  "t.conf:2: match.serial: '-1' is not a serial number" },
		{ "[region a]\nmatch.serial=+1\n",
		  "t.conf:2: match.serial: '+1' is not a serial number" },
		{ "[region a]\nmatch.serial=1.5\n",
		  "t.conf:2: match.serial: '1.5' is not a serial number" },
		{ "[region a]\nmatch.serial=0x1g\n",
		  "t.conf:2: match.serial: '0x1g' is not a serial number" },
		{ "[region a]\nmatch.serial=0x\n",
		  "t.conf:2: match.serial: '0x' is not a serial number" },
		{ "[region a]\nmatch.serial=1 2\n",
		  "t.conf:2: match.serial: '1 2' is not a serial number" },
		{ "[region a]\nmatch.serial=18446744073709551616\n",
		  "t.conf:2: match.serial: '18446744073709551616' is not a serial number" },
		{ "[region a]\nmatch.serial=0x10000000000000000\n",
		  "t.conf:2: match.serial: '0x10000000000000000' is not" },
		{ "[region a]\nmatch.serial=1,,2\n",
		  "t.conf:2: match.serial: empty item" },
		{ "[region a]\nmatch.serial=1,\n",
		  "t.conf:2: match.serial: empty item" },
		{ "[region a]\nmatch.serial=1, 0x1\n",
		  "t.conf:2: match.serial: '0x1' listed twice" },
		{ "[region a]\nmatch.decoder=decoder0\n",
		  "t.conf:2: match.decoder: 'decoder0' is not a decoder (valid: decoderX.Y or X.Y)" },
		{ "[region a]\nmatch.decoder=0\n",
		  "t.conf:2: match.decoder: '0' is not a decoder" },
		{ "[region a]\nmatch.decoder=0.01\n",
		  "t.conf:2: match.decoder: '0.01' is not a decoder" },
		/* combinations that can never work, refused when read */
		{ "[region a]\nmatch.serial=1\nonline=offline\nmethod=dax-state\n",
		  "t.conf:4: method = dax-state with online = offline can never work: the dax state attribute cannot hold memory offline (valid methods for it: auto or legacy)" },
		{ "[region a]\nmatch.serial=1\nmethod=region-driver\nonline=kernel\n",
		  "t.conf:3: method = region-driver with online = online_kernel can never work" },
		{ "[region a]\nmatch.serial=1\nmode=default\nmethod=legacy\n",
		  "t.conf:4: method does not apply to mode = default" },
		{ "[region a]\nmatch.serial=1\nmode=default\nonline=movable\n",
		  "t.conf:4: online applies to mode = sysram, not mode = default" },
		/* what a message quotes from the file is escaped */
		{ "[region a]\nmatch.serial=1\n\x1b[2J\x07 root:x:0:0\n",
		  "t.conf:3: expected 'key = value' or a section header (valid: [region NAME], [new-regions]), got '\\x1b[2J\\x07 root:x:0:0'" },
		{ "[region a]\nmatch.serial=1\nonline=\xff\xfe\\\n",
		  "t.conf:3: unknown online type '\\xff\\xfe\\\\'" },
		{ "[region a]\nmatch.host=a\rb\n",
		  "t.conf:2: match.host: 'a\\x0db' is not a host name" },
		{ "[region \x01]\n",
		  "t.conf:1: rule name '\\x01' is not valid" },
		{ "[region a]\nmatch.decoder=../decoder0.0\n",
		  "t.conf:2: match.decoder: '../decoder0.0' is not a decoder" },
		{ "[region a]\nmatch.host=pci/0000\n",
		  "t.conf:2: match.host: 'pci/0000' is not a host name" },
		{ "[region a]\nmatch.host=a,,b\n",
		  "t.conf:2: match.host: empty item" },
		{ "[region a]\nmatch.host=a,b,a\n",
		  "t.conf:2: match.host: 'a' listed twice" },
		{ "[region a]\nMATCH.SERIAL=1\n",
		  "t.conf:2: unknown key 'MATCH.SERIAL'" },
		{ "[region a]\nmatch.serial=1\nonline=Movable\n",
		  "t.conf:3: unknown online type 'Movable'" },
		{ "[region a]\n=1\n", "t.conf:2: unknown key ''" },
		/* the default for new regions: no name, no match key, once */
		{ "[new-regions x]\nmode=devdax\n",
		  "t.conf:1: [new-regions] takes no name, got 'x' (valid: [new-regions])" },
		{ "[new-regions]\nmatch.decoder=0.0\nmode=devdax\n",
		  "t.conf:2: 'match.decoder' in [new-regions]: it applies to every region cxl create-region makes without --mode, --online or --method (valid keys there: mode, online, method)" },
		{ "[new-regions]\nmethod=legacy\n",
		  "t.conf:1: rule '[new-regions]' gives neither mode nor online" },
		{ "[new-regions]\nmode=devdax\n[new-regions]\nmode=sysram\n",
		  "t.conf:3: rule '[new-regions]' defined twice (first at t.conf:1)" },
		{ "[new-regions]\nonline=offline\nmethod=dax-state\n",
		  "t.conf:3: method = dax-state with online = offline can never work" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sysram_config cfg = { 0 };
		int rc = parse(&cfg, cases[i].text);

		if (rc != -EINVAL ||
		    strncmp(err, cases[i].want, strlen(cases[i].want)))
			fail_msg("case %zu: rc %d, '%s', want '%s'", i, rc, err,
				 cases[i].want);
		/* one line, of printable bytes only */
		assert_null(strchr(err, '\n'));
		assert_true(printable(err));
		sysram_config_free(&cfg);
	}
}

/* a NUL byte, and a line too long to quote whole */
static void binary(void **state)
{
	static const char nul[] =
		"[region a]\nmatch.serial=1\0x\nmode=devdax\n";
	struct sysram_config cfg = { 0 };
	char text[4096];
	FILE *f;

	f = fmemopen((void *)nul, sizeof(nul) - 1, "r");
	assert_non_null(f);
	assert_int_equal(
		sysram_config_parse(&cfg, "t.conf", f, err, sizeof(err)),
		-EINVAL);
	fclose(f);
	assert_string_equal(err, "t.conf:2: a NUL byte (valid: text lines)");
	sysram_config_free(&cfg);

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(parse(&cfg, text), -EINVAL);
	assert_true(strlen(err) < 200);
	assert_non_null(strstr(err, "xxx...'"));
	sysram_config_free(&cfg);
}

static struct sysram_region region(const char *decoder, int nr,
				   const uint64_t *serials,
				   const char *const *hosts)
{
	struct sysram_region r = { .nr = nr };
	int i;

	snprintf(r.decoder, sizeof(r.decoder), "%s", decoder);
	for (i = 0; i < nr; i++) {
		r.serials[i] = serials[i];
		snprintf(r.hosts[i], sizeof(r.hosts[i]), "%s", hosts[i]);
	}
	return r;
}

static void matching(void **state)
{
	static const char *const hosts[] = { "0000:0e:00.0", "0000:0d:00.0",
					     "0000:0f:00.0" };
	static const uint64_t s2[] = { 0x101, 0x100 },
			      s3[] = { 0x101, 0x100, 0x102 };
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *m;
	struct sysram_region r;

	assert_int_equal(parse(&cfg,
			       "[region by-serial]\n"
			       "match.serial = 256, 0x101\n"
			       "online = movable\n"
			       "[region by-decoder]\n"
			       "match.decoder = decoder0.0\n"
			       "online = kernel\n"
			       "[region by-host]\n"
			       "match.host = 0000:0e:00.0, 0000:0d:00.0, x\n"
			       "mode = devdax\n"
			       "[region both]\n"
			       "match.serial = 0x101\n"
			       "match.decoder = decoder0.9\n"
			       "online = offline\n"),
			 0);

	/* the set of serials, in any order; the first rule wins */
	r = region("decoder0.0", 2, s2, hosts);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "by-serial");

	/* a subset or a superset of the serials is not the set */
	r = region("decoder0.5", 1, s2, hosts + 2);
	assert_null(sysram_config_match(&cfg, &r));
	r = region("decoder0.0", 3, s3, hosts);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "by-decoder");

	/* every host listed: the third is not */
	r = region("decoder0.7", 3, s3, hosts);
	assert_null(sysram_config_match(&cfg, &r));
	r = region("decoder0.7", 2, s3 + 1, hosts);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "by-host");

	/* all the keys of a rule must hold */
	r = region("decoder0.9", 1, s2, hosts + 2);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "both");
	r = region("decoder0.8", 1, s2, hosts + 2);
	assert_null(sysram_config_match(&cfg, &r));

	/* no targets: nothing to match, not even "every host" */
	r = region("decoder0.0", 0, s2, hosts);
	assert_null(sysram_config_match(&cfg, &r));
	sysram_config_free(&cfg);
}

/* what the loader reported */
static char lines[8][1024];
static int nr_lines, nr_fatal;

static void collect(void *arg, bool fatal, const char *line)
{
	if (nr_lines < 8)
		snprintf(lines[nr_lines], sizeof(lines[0]), "%s", line);
	nr_lines++;
	nr_fatal += fatal;
}

static int load(struct sysram_config *cfg, const char *dir, bool optional)
{
	nr_lines = nr_fatal = 0;
	memset(lines, 0, sizeof(lines));
	return sysram_config_load(cfg, dir, optional, collect, NULL);
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	/* whatever the umask: the mode the tests below start from */
	assert_int_equal(chmod(path, 0644), 0);
}

/* two at a time, for rename() */
static char *path_of(const char *dir, const char *name)
{
	static char path[2][512];
	static int i;

	i = !i;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static void directory(void **state)
{
	static const uint64_t s[] = { 5 };
	static const char *const h[] = { "x" };
	static const char *const left[] = { "10-a.conf", "20-b.conf", "README",
					    ".hidden.conf", "x.conf.bak" };
	char dir[] = "/tmp/test-sysram-config.XXXXXX", *want;
	struct sysram_config cfg = { 0 };
	const struct sysram_rule *m;
	struct sysram_region r;
	size_t i;

	assert_non_null(mkdtemp(dir));
	put_file(dir, "20-b.conf", "[region b]\nmatch.serial=5\nmode=devdax\n");
	put_file(dir, "10-a.conf",
		 "[region a]\nmatch.serial=5\nonline=kernel\n");
	put_file(dir, "README", "not a config file\n");
	put_file(dir, ".hidden.conf", "garbage\n");
	put_file(dir, "x.conf.bak", "garbage\n");

	assert_int_equal(load(&cfg, dir, false), 0);
	assert_int_equal(nr_lines, 0);
	assert_int_equal(cfg.nr, 2);
	assert_string_equal(cfg.rules[0].name, "a");
	assert_non_null(strstr(cfg.rules[0].file, "/10-a.conf"));
	r = region("decoder0.0", 1, s, h);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "a");
	sysram_config_free(&cfg);

	/* an error names the file and the line; nothing is applied */
	put_file(dir, "30-c.conf",
		 "\n\n[region c]\nmode = sysram\nbogus = 1\n");
	assert_int_equal(load(&cfg, dir, false), -EPERM);
	assert_int_equal(cfg.nr, 0);
	assert_int_equal(nr_lines, 1);
	assert_int_equal(
		asprintf(&want, "%s/30-c.conf:5: unknown key 'bogus'", dir) > 0,
		1);
	assert_non_null(strstr(lines[0], want));
	free(want);

	/* a rule name is unique across the files */
	put_file(dir, "30-c.conf", "[region a]\nmatch.serial=6\nmode=devdax\n");
	assert_int_equal(load(&cfg, dir, false), -EPERM);
	assert_non_null(
		strstr(lines[0], "30-c.conf:1: rule 'a' defined twice"));
	assert_int_equal(cfg.nr, 0);

	/* every file with an error is named, each on its line */
	put_file(dir, "10-a.conf", "[region a]\nmatch.serial=5\nonline=up\n");
	assert_int_equal(load(&cfg, dir, false), -EPERM);
	assert_int_equal(nr_lines, 1);
	assert_non_null(strstr(lines[0], "10-a.conf:3: unknown online type"));
	put_file(dir, "30-c.conf", "[region c]\n");
	assert_int_equal(load(&cfg, dir, false), -EPERM);
	assert_int_equal(nr_lines, 2);
	assert_int_equal(nr_fatal, 2);
	assert_non_null(strstr(lines[1], "30-c.conf:1: rule 'c' has no match"));

	unlink(path_of(dir, "30-c.conf"));
	put_file(dir, "10-a.conf", "");
	put_file(dir, "20-b.conf", "");
	assert_int_equal(load(&cfg, dir, false), 0);
	assert_int_equal(cfg.nr, 0);

	/* no directory: nothing to do when optional, an error otherwise */
	assert_int_equal(load(&cfg, path_of(dir, "none"), true), 0);
	assert_int_equal(nr_lines, 0);
	assert_int_equal(load(&cfg, path_of(dir, "none"), false), -ENOENT);
	assert_int_equal(nr_lines, 1);
	assert_non_null(strstr(lines[0], "No such file or directory"));

	for (i = 0; i < sizeof(left) / sizeof(left[0]); i++)
		assert_int_equal(unlink(path_of(dir, left[i])), 0);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * The trust refusals. The file refused holds a line that a parse error
 * would quote: it must never appear, and nothing of the good file either.
 */
#define SECRET "root:$6$secret:19000:0:99999:7:::"

struct trust_dir {
	char dir[64];
	char other[64]; /* outside the policy directory */
};

static void trust_setup(struct trust_dir *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/test-sysram-trust.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	assert_int_equal(chmod(t->dir, 0755), 0);
	snprintf(t->other, sizeof(t->other), "/tmp/test-sysram-other.XXXXXX");
	assert_non_null(mkdtemp(t->other));
	put_file(t->dir, "10-good.conf",
		 "[region good]\nmatch.serial=5\nonline=movable\n");
	put_file(t->other, "secret", SECRET "\n");
}

static void trust_teardown(struct trust_dir *t)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", t->dir, t->other);
	assert_int_equal(system(cmd), 0);
}

/* one fatal line naming @name and containing @why, nothing applied */
static void refused(struct trust_dir *t, const char *name, const char *why)
{
	struct sysram_config cfg = { 0 };
	char *want;

	assert_int_not_equal(load(&cfg, t->dir, false), 0);
	if (nr_lines != 1 || nr_fatal != 1)
		fail_msg("%s: %d lines (%d fatal), first '%s'", name, nr_lines,
			 nr_fatal, lines[0]);
	assert_null(strchr(lines[0], '\n'));
	assert_int_equal(
		asprintf(&want, "%s/%s: refused: %s", t->dir, name, why) > 0,
		1);
	if (!strstr(lines[0], want))
		fail_msg("got '%s', want '%s'", lines[0], want);
	free(want);
	assert_null(strstr(lines[0], "secret"));
	assert_null(strstr(lines[0], "root:"));
	assert_int_equal(cfg.nr, 0);
	assert_null(cfg.rules);
}

/* one warning naming @name; the good file still applies */
static void skipped(struct trust_dir *t, const char *name, const char *why)
{
	struct sysram_config cfg = { 0 };
	char *want;

	assert_int_equal(load(&cfg, t->dir, false), 0);
	if (nr_lines != 1 || nr_fatal != 0)
		fail_msg("%s: %d lines (%d fatal), first '%s'", name, nr_lines,
			 nr_fatal, lines[0]);
	assert_int_equal(
		asprintf(&want, "%s/%s: skipped: %s", t->dir, name, why) > 0,
		1);
	if (!strstr(lines[0], want))
		fail_msg("got '%s', want '%s'", lines[0], want);
	free(want);
	assert_int_equal(cfg.nr, 1);
	assert_string_equal(cfg.rules[0].name, "good");
	sysram_config_free(&cfg);
}

/* nothing to say, and the good file applies */
static void trusted(struct trust_dir *t, int nr)
{
	struct sysram_config cfg = { 0 };

	assert_int_equal(load(&cfg, t->dir, false), 0);
	if (nr_lines)
		fail_msg("unexpected '%s'", lines[0]);
	assert_int_equal(cfg.nr, nr);
	sysram_config_free(&cfg);
}

static void trust_mode(void **state)
{
	static const struct {
		mode_t mode;
		const char *why;
	} modes[] = {
		{ 0666, "writable by group and others" },
		{ 0664, "writable by group" },
		{ 0646, "writable by others" },
		{ 0622, "writable by group and others" },
	};
	struct trust_dir t;
	size_t i;

	trust_setup(&t);
	put_file(t.dir, "20-bad.conf", SECRET "\n");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(
			chmod(path_of(t.dir, "20-bad.conf"), modes[i].mode), 0);
		refused(&t, "20-bad.conf", modes[i].why);
	}
	/* readable by all, writable by the owner only: trusted */
	put_file(t.dir, "20-bad.conf", "");
	assert_int_equal(chmod(path_of(t.dir, "20-bad.conf"), 0600), 0);
	trusted(&t, 1);
	trust_teardown(&t);
}

/* the policy directory, and the directories above it */
static void trust_dirs(void **state)
{
	struct sysram_config cfg = { 0 };
	struct trust_dir t;
	char sub[128];

	trust_setup(&t);
	assert_int_equal(chmod(t.dir, 0775), 0);
	assert_int_not_equal(load(&cfg, t.dir, false), 0);
	assert_int_equal(nr_lines, 1);
	assert_int_equal(nr_fatal, 1);
	assert_non_null(strstr(lines[0], ": refused: writable by group"));
	assert_int_equal(cfg.nr, 0);

	/* a policy directory below one anyone may write */
	assert_int_equal(chmod(t.dir, 0777), 0);
	snprintf(sub, sizeof(sub), "%s/conf.d", t.dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chmod(sub, 0755), 0);
	put_file(sub, "10-good.conf",
		 "[region good]\nmatch.serial=5\nonline=movable\n");
	assert_int_not_equal(load(&cfg, sub, false), 0);
	assert_int_equal(nr_lines, 1);
	assert_non_null(strstr(lines[0], "conf.d: refused: "));
	assert_non_null(strstr(lines[0], " is writable by group and others"));
	assert_int_equal(cfg.nr, 0);

	/* unless it is sticky, as /tmp is: no one can replace conf.d then */
	assert_int_equal(chmod(t.dir, 01777), 0);
	assert_int_equal(load(&cfg, sub, false), 0);
	assert_int_equal(nr_lines, 0);
	assert_int_equal(cfg.nr, 1);
	sysram_config_free(&cfg);
	assert_int_equal(chmod(t.dir, 0755), 0);
	trust_teardown(&t);
}

static void trust_owner(void **state)
{
	struct trust_dir t;
	char *why;

	if (geteuid() != 0) {
		/* CI runs the unit tests as root, so this does run there */
		print_message("not root: cannot give a file away; skipped\n");
		skip();
	}
	trust_setup(&t);
	put_file(t.dir, "20-bad.conf", SECRET "\n");
	assert_int_equal(chown(path_of(t.dir, "20-bad.conf"), 65534, 0), 0);
	refused(&t, "20-bad.conf", "owned by uid 65534, not root");

	/* a symlink to a file of the directory that someone else owns */
	assert_int_equal(
		rename(path_of(t.dir, "20-bad.conf"), path_of(t.dir, "data")),
		0);
	assert_int_equal(symlink("data", path_of(t.dir, "30-l.conf")), 0);
	refused(&t, "30-l.conf", "owned by uid 65534, not root");
	assert_int_equal(unlink(path_of(t.dir, "30-l.conf")), 0);

	/* the directory */
	assert_int_equal(chown(t.dir, 65534, 65534), 0);
	assert_int_not_equal(load(&(struct sysram_config){ 0 }, t.dir, false),
			     0);
	assert_int_equal(nr_lines, 1);
	assert_int_equal(
		asprintf(&why, "%s: refused: owned by uid 65534", t.dir) > 0,
		1);
	assert_non_null(strstr(lines[0], why));
	free(why);
	assert_int_equal(chown(t.dir, 0, 0), 0);
	trust_teardown(&t);
}

static void trust_symlink(void **state)
{
	struct trust_dir t;
	char target[128];

	trust_setup(&t);
	/* to a file outside, absolute or relative: never read */
	snprintf(target, sizeof(target), "%s/secret", t.other);
	assert_int_equal(symlink(target, path_of(t.dir, "20-out.conf")), 0);
	refused(&t, "20-out.conf", "a symlink leaving ");
	assert_int_equal(unlink(path_of(t.dir, "20-out.conf")), 0);
	snprintf(target, sizeof(target), "../%s/secret", t.other + 5);
	assert_int_equal(symlink(target, path_of(t.dir, "20-out.conf")), 0);
	refused(&t, "20-out.conf", "a symlink leaving ");
	assert_int_equal(unlink(path_of(t.dir, "20-out.conf")), 0);
	assert_int_equal(symlink("/etc/passwd", path_of(t.dir, "20-out.conf")),
			 0);
	refused(&t, "20-out.conf", "a symlink leaving ");
	assert_int_equal(unlink(path_of(t.dir, "20-out.conf")), 0);

	/* within the directory: read, once for each name */
	put_file(t.dir, "shared", "[region s]\nmatch.serial=6\nmode=devdax\n");
	assert_int_equal(symlink("shared", path_of(t.dir, "20-in.conf")), 0);
	trusted(&t, 2);
	assert_int_equal(symlink("./shared", path_of(t.dir, "30-in.conf")), 0);
	{
		struct sysram_config cfg = { 0 };

		/* the same rule twice is the error it would be when copied */
		assert_int_not_equal(load(&cfg, t.dir, false), 0);
		assert_int_equal(nr_lines, 1);
		assert_non_null(strstr(lines[0],
				       "30-in.conf:1: rule 's' defined twice"));
	}
	trust_teardown(&t);
}

static void trust_nonregular(void **state)
{
	struct trust_dir t;

	trust_setup(&t);
	assert_int_equal(mkfifo(path_of(t.dir, "20-fifo.conf"), 0600), 0);
	skipped(&t, "20-fifo.conf", "a FIFO, not a regular file");
	assert_int_equal(unlink(path_of(t.dir, "20-fifo.conf")), 0);

	assert_int_equal(mkdir(path_of(t.dir, "20-dir.conf"), 0755), 0);
	skipped(&t, "20-dir.conf", "a directory, not a regular file");
	assert_int_equal(rmdir(path_of(t.dir, "20-dir.conf")), 0);

	/* through a symlink too */
	assert_int_equal(mkfifo(path_of(t.dir, "fifo"), 0600), 0);
	assert_int_equal(symlink("fifo", path_of(t.dir, "20-l.conf")), 0);
	skipped(&t, "20-l.conf", "a FIFO, not a regular file");
	trust_teardown(&t);
}

static void trust_dangling(void **state)
{
	struct trust_dir t;

	trust_setup(&t);
	assert_int_equal(symlink("gone", path_of(t.dir, "05-gone.conf")), 0);
	skipped(&t, "05-gone.conf", "a dangling symlink");
	/* one that would lead out if it led anywhere: still just dangling */
	assert_int_equal(unlink(path_of(t.dir, "05-gone.conf")), 0);
	assert_int_equal(
		symlink("/nonexistent/x", path_of(t.dir, "05-gone.conf")), 0);
	skipped(&t, "05-gone.conf", "a dangling symlink");
	trust_teardown(&t);
}

/* an escape in a file name does not break the one line */
static void trust_names(void **state)
{
	struct trust_dir t;

	trust_setup(&t);
	assert_int_equal(mkdir(path_of(t.dir, "a\nb\x1b.conf"), 0755), 0);
	skipped(&t, "a\\x0ab\\x1b.conf", "a directory");
	trust_teardown(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid),
		cmocka_unit_test(every_value),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(boundaries),
		cmocka_unit_test(new_regions),
		cmocka_unit_test(invalid),
		cmocka_unit_test(binary),
		cmocka_unit_test(matching),
		cmocka_unit_test(directory),
		cmocka_unit_test(trust_mode),
		cmocka_unit_test(trust_dirs),
		cmocka_unit_test(trust_owner),
		cmocka_unit_test(trust_symlink),
		cmocka_unit_test(trust_nonregular),
		cmocka_unit_test(trust_dangling),
		cmocka_unit_test(trust_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
