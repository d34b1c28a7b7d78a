// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxl/sysram-config.h"

static char err[512];

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
				     "method=region-driver\n"),
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
	assert_string_equal(r->mode, "sysram"); /* online implies it */
	assert_string_equal(r->online, "movable");
	assert_string_equal(r->method, "");

	r = &cfg.rules[1];
	assert_string_equal(r->name, "near-dax");
	assert_int_equal(r->match, SYSRAM_MATCH_DECODER | SYSRAM_MATCH_HOST);
	assert_string_equal(r->decoder, "decoder0.1");
	assert_int_equal(r->nr_hosts, 2);
	assert_string_equal(r->hosts[0], "0000:0d:00.0");
	assert_string_equal(r->hosts[1], "cxl_mem.1");
	assert_string_equal(r->mode, "devdax");
	assert_string_equal(r->online, "");
	assert_string_equal(r->method, "legacy");

	r = &cfg.rules[2];
	assert_string_equal(r->name, "k.2_x");
	assert_int_equal(r->line, 13);
	assert_string_equal(r->online, "online_kernel");
	assert_string_equal(r->method, "region-driver");
	sysram_config_free(&cfg);
	assert_int_equal(cfg.nr, 0);
	assert_null(cfg.rules);
}

static void every_value(void **state)
{
	static const char *const online[] = {
		"offline", "online",	    "kernel",
		"movable", "online_kernel", "online_movable",
	};
	static const char *const method[] = { "auto", "region-driver",
					      "dax-state", "legacy" };
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(online) / sizeof(online[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.serial=1\nonline=%s\n", online[i]);
		assert_int_equal(parse(&cfg, text), 0);
		assert_string_equal(cfg.rules[0].online, online[i]);
		sysram_config_free(&cfg);
	}
	for (i = 0; i < sizeof(method) / sizeof(method[0]); i++) {
		struct sysram_config cfg = { 0 };

		snprintf(text, sizeof(text),
			 "[region a]\nmatch.serial=1\nmode=devdax\nmethod=%s\n",
			 method[i]);
		assert_int_equal(parse(&cfg, text), 0);
		assert_string_equal(cfg.rules[0].method, method[i]);
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

static void invalid(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[region a]\nmatch.serial=1\nonline=movabel\n",
		  "t.conf:3: unknown online type 'movabel' (valid: offline, online, kernel, movable, online_kernel, online_movable)" },
		{ "[region a]\nmatch.serial=1\nmode=default\n",
		  "t.conf:3: unknown mode 'default' (valid: sysram, devdax)" },
		{ "[region a]\nmatch.serial=1\nmode=devdax\nmethod=fast\n",
		  "t.conf:4: unknown method 'fast' (valid: auto, region-driver, dax-state, legacy)" },
		{ "[region a]\nmatch.serial=1\nonlin=movable\n",
		  "t.conf:3: unknown key 'onlin' (valid: match.serial, match.decoder, match.host, mode, online, method)" },
		{ "[region a]\nmatch.serial=1\nonline movable\n",
		  "t.conf:3: expected 'key = value' or '[region NAME]', got 'online movable'" },
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
		  "t.conf:2: match.decoder: 'decoder0' is not a decoder (valid: decoderX.Y)" },
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
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sysram_config cfg = { 0 };
		int rc = parse(&cfg, cases[i].text);

		if (rc != -EINVAL ||
		    strncmp(err, cases[i].want, strlen(cases[i].want)))
			fail_msg("case %zu: rc %d, '%s', want '%s'", i, rc, err,
				 cases[i].want);
		/* one line */
		assert_null(strchr(err, '\n'));
		sysram_config_free(&cfg);
	}
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

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void directory(void **state)
{
	static const uint64_t s[] = { 5 };
	static const char *const h[] = { "x" };
	static const char *const left[] = { "10-a.conf", "20-b.conf", "README",
					    ".hidden.conf", "x.conf.bak" };
	char dir[] = "/tmp/test-sysram-config.XXXXXX", path[512], *want;
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
	snprintf(path, sizeof(path), "%s/sub.conf", dir);
	assert_int_equal(mkdir(path, 0755), 0);

	assert_int_equal(sysram_config_load(&cfg, dir, false, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.nr, 2);
	assert_string_equal(cfg.rules[0].name, "a");
	assert_non_null(strstr(cfg.rules[0].file, "/10-a.conf"));
	r = region("decoder0.0", 1, s, h);
	m = sysram_config_match(&cfg, &r);
	assert_non_null(m);
	assert_string_equal(m->name, "a");
	sysram_config_free(&cfg);

	/* an error names the file and the line */
	put_file(dir, "30-c.conf",
		 "\n\n[region c]\nmode = sysram\nbogus = 1\n");
	assert_int_equal(sysram_config_load(&cfg, dir, false, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(
		asprintf(&want, "%s/30-c.conf:5: unknown key 'bogus'", dir) > 0,
		1);
	assert_non_null(strstr(err, want));
	free(want);
	sysram_config_free(&cfg);

	/* a rule name is unique across the files */
	put_file(dir, "30-c.conf", "[region a]\nmatch.serial=6\nmode=devdax\n");
	assert_int_equal(sysram_config_load(&cfg, dir, false, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "30-c.conf:1: rule 'a' defined twice"));
	sysram_config_free(&cfg);

	snprintf(path, sizeof(path), "%s/30-c.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub.conf", dir);
	rmdir(path);
	put_file(dir, "10-a.conf", "");
	put_file(dir, "20-b.conf", "");
	assert_int_equal(sysram_config_load(&cfg, dir, false, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.nr, 0);

	/* no directory: nothing to do when optional, an error otherwise */
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(sysram_config_load(&cfg, path, true, err, sizeof(err)),
			 0);
	assert_int_equal(
		sysram_config_load(&cfg, path, false, err, sizeof(err)),
		-ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));

	for (i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, left[i]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid),       cmocka_unit_test(every_value),
		cmocka_unit_test(empty_input), cmocka_unit_test(boundaries),
		cmocka_unit_test(invalid),     cmocka_unit_test(matching),
		cmocka_unit_test(directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
