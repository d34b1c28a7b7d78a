// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-time policy files. Line based: blank lines, comments ('#' or
 * ';' to the end of the line), "[region NAME]" and "[new-regions]"
 * headers and "key = value" lines. Anything else, an unknown key or value, a rule that is not
 * complete or that can never work is an error that names the file and the
 * line. The values are those of the command line, parsed by the same
 * functions. Whatever of the file a message quotes is escaped: the file
 * may hold anything, and the message goes to the journal.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cxl/lib/stack.h"
#include "cxl/sysram-config.h"
#include "util/escape.h"
#include "util/name.h"
#include "util/online.h"

#define KEY_CHOICES \
	"match.serial, match.decoder, match.host, mode, online, method"
/* a quoted piece of a file in a message: escaped, at most this long */
#define QUOTE_LEN 96
#define SECTION_CHOICES "[region NAME], [new-regions]"
/* the rule name of the one [new-regions] section: no rule can be called so */
#define NEW_REGIONS_NAME "[new-regions]"
#define NR_QUOTES 3

enum key { K_SERIAL, K_DECODER, K_HOST, K_MODE, K_ONLINE, K_METHOD, NR_KEYS };

static const char *const key_names[NR_KEYS] = {
	[K_SERIAL] = "match.serial", [K_DECODER] = "match.decoder",
	[K_HOST] = "match.host",     [K_MODE] = "mode",
	[K_ONLINE] = "online",	     [K_METHOD] = "method",
};

struct parser {
	struct sysram_config *cfg;
	const char *file;
	int line;
	int cur; /* index of the open rule, -1 before the first section */
	int key_line[NR_KEYS]; /* where each key of the open rule was given */
	char *err;
	size_t len;
	char quotes[NR_QUOTES][QUOTE_LEN];
	int next_quote;
};

/* @s escaped, in one of a few buffers: up to NR_QUOTES in one message */
static const char *q(struct parser *p, const char *s)
{
	char *buf = p->quotes[p->next_quote];

	p->next_quote = (p->next_quote + 1) % NR_QUOTES;
	return escape_line(s, buf, QUOTE_LEN);
}

static int __attribute__((format(printf, 3, 4)))
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->len, "%s:%d: ", q(p, p->file), line);
	if (n < 0 || (size_t)n >= p->len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* letters, digits and @extra, 1 to @max characters */
static bool valid_word(const char *s, const char *extra, size_t max)
{
	size_t n = strlen(s), i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
			return false;
	return true;
}

/* decimal, or hexadecimal with 0x; nothing else, no overflow */
static bool parse_serial(const char *s, uint64_t *v)
{
	int base = 10;
	const char *d = s;
	char *end;
	size_t i;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
	}
	if (!*d)
		return false;
	for (i = 0; d[i]; i++)
		if (base == 16 ? !isxdigit((unsigned char)d[i])
			       : !isdigit((unsigned char)d[i]))
			return false;
	errno = 0;
	*v = strtoull(d, &end, base);
	return !errno && !*end;
}

static struct sysram_rule *cur_rule(struct parser *p)
{
	return &p->cfg->rules[p->cur];
}

/* the next comma-separated item of *@s, trimmed; NULL at the end */
static char *next_item(char **s)
{
	char *item, *comma;

	if (!*s)
		return NULL;
	item = *s;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*s = comma + 1;
	} else {
		*s = NULL;
	}
	return trim(item);
}

static int set_serials(struct parser *p, char *v)
{
	struct sysram_rule *r = cur_rule(p);
	char *item;
	uint64_t s;
	int i;

	while ((item = next_item(&v))) {
		if (!*item)
			return perr(
				p, p->line,
				"match.serial: empty item (valid: decimal or 0x-hex, comma-separated)");
		if (!parse_serial(item, &s))
			return perr(
				p, p->line,
				"match.serial: '%s' is not a serial number (valid: decimal or 0x-hex, comma-separated)",
				q(p, item));
		for (i = 0; i < r->nr_serials; i++)
			if (r->serials[i] == s)
				return perr(p, p->line,
					    "match.serial: '%s' listed twice",
					    q(p, item));
		if (r->nr_serials == SYSRAM_MAX_IDS)
			return perr(p, p->line,
				    "match.serial: more than %d serials",
				    SYSRAM_MAX_IDS);
		r->serials[r->nr_serials++] = s;
	}
	return 0;
}

static int set_hosts(struct parser *p, char *v)
{
	struct sysram_rule *r = cur_rule(p);
	char *item;
	int i;

	while ((item = next_item(&v))) {
		if (!*item)
			return perr(
				p, p->line,
				"match.host: empty item (valid: host names, comma-separated)");
		if (!valid_word(item, ":._-", SYSRAM_HOST_LEN - 1))
			return perr(
				p, p->line,
				"match.host: '%s' is not a host name (valid: letters, digits, ':', '.', '_', '-', comma-separated)",
				q(p, item));
		for (i = 0; i < r->nr_hosts; i++)
			if (!strcmp(r->hosts[i], item))
				return perr(p, p->line,
					    "match.host: '%s' listed twice",
					    q(p, item));
		if (r->nr_hosts == SYSRAM_MAX_IDS)
			return perr(p, p->line,
				    "match.host: more than %d hosts",
				    SYSRAM_MAX_IDS);
		snprintf(r->hosts[r->nr_hosts++], SYSRAM_HOST_LEN, "%s", item);
	}
	return 0;
}

static int set_key(struct parser *p, enum key k, char *v)
{
	struct sysram_rule *r = cur_rule(p);
	int m;

	switch (k) {
	case K_SERIAL:
		r->match |= SYSRAM_MATCH_SERIAL;
		return set_serials(p, v);
	case K_HOST:
		r->match |= SYSRAM_MATCH_HOST;
		return set_hosts(p, v);
	case K_DECODER:
		/* as -d takes it: decoderX.Y or X.Y */
		if (!name_parse_short(OBJ_DECODER, v, r->decoder,
				      sizeof(r->decoder)))
			return perr(
				p, p->line,
				"match.decoder: '%s' is not a decoder (valid: decoderX.Y or X.Y)",
				q(p, v));
		r->match |= SYSRAM_MATCH_DECODER;
		return 0;
	case K_MODE:
		m = region_mode_parse(v);
		if (m == RMODE_INVALID)
			return perr(p, p->line, "unknown mode '%s' (valid: %s)",
				    q(p, v), REGION_MODE_CHOICES);
		r->mode = (enum region_mode)m;
		return 0;
	case K_ONLINE:
		m = online_type_parse(v);
		if (m == ONLINE_TYPE_INVALID)
			return perr(p, p->line,
				    "unknown online type '%s' (valid: %s)",
				    q(p, v), ONLINE_TYPE_CHOICES);
		r->has_online = true;
		r->online = (enum online_type)m;
		return 0;
	case K_METHOD:
		m = method_parse(v);
		if (m < 0)
			return perr(p, p->line,
				    "unknown method '%s' (valid: %s)", q(p, v),
				    METHOD_CHOICES);
		r->method = (enum method)m;
		return 0;
	default:
		return -EINVAL;
	}
}

static int key_line(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *k, *v;
	int i;

	if (!eq)
		return perr(
			p, p->line,
			"expected 'key = value' or a section header (valid: " SECTION_CHOICES
			"), got '%s'",
			q(p, s));
	*eq = '\0';
	k = trim(s);
	v = trim(eq + 1);
	for (i = 0; i < NR_KEYS; i++)
		if (!strcmp(k, key_names[i]))
			break;
	if (i == NR_KEYS)
		return perr(p, p->line, "unknown key '%s' (valid: %s)", q(p, k),
			    KEY_CHOICES);
	if (p->cur < 0)
		return perr(
			p, p->line,
			"'%s' outside a section (valid: after " SECTION_CHOICES
			")",
			k);
	if (p->key_line[i])
		return perr(p, p->line,
			    "'%s' given twice in rule '%s' (first at line %d)",
			    k, cur_rule(p)->name, p->key_line[i]);
	if (cur_rule(p)->new_regions && i <= K_HOST)
		return perr(
			p, p->line,
			"'%s' in [new-regions]: it applies to every region cxl create-region makes without --mode, --online or --method (valid keys there: mode, online, method)",
			k);
	if (!*v)
		return perr(p, p->line, "'%s' needs a value", k);
	p->key_line[i] = p->line;
	return set_key(p, (enum key)i, v);
}

/*
 * The open rule is complete: a match key, and something to apply that can
 * work. The same combinations the command line refuses, in its words.
 */
static int close_rule(struct parser *p)
{
	const struct stack_conflict *c;
	struct sysram_rule *r;

	if (p->cur < 0)
		return 0;
	r = cur_rule(p);
	if (!r->match && !r->new_regions)
		return perr(
			p, r->line,
			"rule '%s' has no match key (valid: match.serial, match.decoder, match.host)",
			r->name);
	if (!p->key_line[K_MODE] && !r->has_online)
		return perr(
			p, r->line,
			"rule '%s' gives neither mode nor online (valid: mode = %s; online = %s)",
			r->name, REGION_MODE_CHOICES, ONLINE_TYPE_CHOICES);
	if (!p->key_line[K_MODE])
		r->mode = RMODE_SYSRAM; /* online implies it */
	if (r->has_online && r->mode != RMODE_SYSRAM)
		return perr(p, p->key_line[K_ONLINE],
			    "online applies to mode = sysram, not mode = %s",
			    region_mode_name(r->mode));
	if (r->mode == RMODE_DEFAULT && r->method != METHOD_AUTO)
		return perr(p, p->key_line[K_METHOD],
			    "method does not apply to mode = default");
	c = r->mode == RMODE_SYSRAM ? stack_conflict(r->method, r->online)
				    : NULL;
	if (c)
		return perr(
			p, p->key_line[K_METHOD],
			"method = %s with online = %s can never work: %s (valid methods for it: %s)",
			method_name(r->method), online_type_name(r->online),
			c->why, c->methods);
	return 0;
}

static int open_rule(struct parser *p, const char *name, bool new_regions)
{
	struct sysram_config *cfg = p->cfg;
	struct sysram_rule *r;
	int i;

	for (i = 0; i < cfg->nr; i++)
		if (!strcmp(cfg->rules[i].name, name))
			return perr(p, p->line,
				    "rule '%s' defined twice (first at %s:%d)",
				    name, q(p, cfg->rules[i].file),
				    cfg->rules[i].line);
	if (cfg->nr == cfg->alloc) {
		int n = cfg->alloc ? cfg->alloc * 2 : 8;

		r = realloc(cfg->rules, (size_t)n * sizeof(*r));
		if (!r)
			return -ENOMEM;
		cfg->rules = r;
		cfg->alloc = n;
	}
	r = &cfg->rules[cfg->nr];
	memset(r, 0, sizeof(*r));
	r->file = strdup(p->file);
	if (!r->file)
		return -ENOMEM;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->new_regions = new_regions;
	r->line = p->line;
	r->mode = RMODE_SYSRAM;
	r->online = ONLINE_MOVABLE;
	r->method = METHOD_AUTO;
	p->cur = cfg->nr++;
	memset(p->key_line, 0, sizeof(p->key_line));
	return 0;
}

static int section_line(struct parser *p, char *s)
{
	size_t n = strlen(s);
	char *inner, *name;
	int rc;

	if (s[n - 1] != ']')
		return perr(
			p, p->line,
			"unterminated section header (valid: " SECTION_CHOICES
			")");
	s[n - 1] = '\0';
	inner = trim(s + 1);
	name = inner + strcspn(inner, " \t");
	if (*name)
		*name++ = '\0';
	name = trim(name);
	if (!strcmp(inner, "new-regions")) {
		if (*name)
			return perr(
				p, p->line,
				"[new-regions] takes no name, got '%s' (valid: [new-regions])",
				q(p, name));
		rc = close_rule(p);
		return rc ? rc : open_rule(p, NEW_REGIONS_NAME, true);
	}
	if (strcmp(inner, "region"))
		return perr(
			p, p->line,
			"unknown section '[%s%s%s]' (valid: " SECTION_CHOICES
			")",
			q(p, inner), *name ? " " : "", q(p, name));
	if (!valid_word(name, "._-", SYSRAM_RULE_NAME_LEN - 1))
		return perr(
			p, p->line,
			"rule name '%s' is not valid (valid: 1 to %d letters, digits, '.', '_', '-')",
			q(p, name), SYSRAM_RULE_NAME_LEN - 1);
	rc = close_rule(p);
	return rc ? rc : open_rule(p, name, false);
}

int sysram_config_parse(struct sysram_config *cfg, const char *file, FILE *f,
			char *err, size_t len)
{
	struct parser p = {
		.cfg = cfg, .file = file, .cur = -1, .err = err, .len = len
	};
	char *buf = NULL, *s;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	err[0] = '\0';
	while ((n = getline(&buf, &cap, f)) >= 0) {
		p.line++;
		/* a NUL would hide the rest of the line from the checks */
		if (strlen(buf) != (size_t)n) {
			rc = perr(&p, p.line, "a NUL byte (valid: text lines)");
			goto out;
		}
		buf[strcspn(buf, "#;")] = '\0';
		s = trim(buf);
		if (!*s)
			continue;
		rc = s[0] == '[' ? section_line(&p, s) : key_line(&p, s);
		if (rc)
			goto out;
	}
	if (ferror(f)) {
		rc = -EIO;
		snprintf(err, len, "%s: read error", q(&p, file));
		goto out;
	}
	rc = close_rule(&p);
out:
	if (rc == -ENOMEM)
		snprintf(err, len, "%s: out of memory", q(&p, file));
	free(buf);
	return rc;
}

void sysram_config_free(struct sysram_config *cfg)
{
	int i;

	for (i = 0; i < cfg->nr; i++)
		free(cfg->rules[i].file);
	free(cfg->rules);
	memset(cfg, 0, sizeof(*cfg));
}

static bool has_serial(const uint64_t *s, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] == v)
			return true;
	return false;
}

static bool has_host(const char (*h)[SYSRAM_HOST_LEN], int n, const char *v)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i], v))
			return true;
	return false;
}

static bool rule_matches(const struct sysram_rule *rule,
			 const struct sysram_region *r)
{
	int i;

	if (rule->match & SYSRAM_MATCH_DECODER &&
	    strcmp(rule->decoder, r->decoder))
		return false;
	if (rule->match & SYSRAM_MATCH_SERIAL) {
		/* the same set, in any order */
		if (r->nr != rule->nr_serials)
			return false;
		for (i = 0; i < r->nr; i++)
			if (!has_serial(rule->serials, rule->nr_serials,
					r->serials[i]) ||
			    !has_serial(r->serials, r->nr, rule->serials[i]))
				return false;
	}
	if (rule->match & SYSRAM_MATCH_HOST)
		for (i = 0; i < r->nr; i++)
			if (!has_host(rule->hosts, rule->nr_hosts, r->hosts[i]))
				return false;
	return true;
}

const struct sysram_rule *sysram_config_match(const struct sysram_config *cfg,
					      const struct sysram_region *r)
{
	int i;

	/* a region without targets is not one a rule can describe */
	if (r->nr <= 0)
		return NULL;
	for (i = 0; i < cfg->nr; i++)
		if (!cfg->rules[i].new_regions &&
		    rule_matches(&cfg->rules[i], r))
			return &cfg->rules[i];
	return NULL;
}

const struct sysram_rule *
sysram_config_new_regions(const struct sysram_config *cfg)
{
	int i;

	for (i = 0; i < cfg->nr; i++)
		if (cfg->rules[i].new_regions)
			return &cfg->rules[i];
	return NULL;
}

void sysram_rule_request(const struct sysram_rule *rule, int timeout_ms,
			 struct stack_request *req)
{
	req->mode = rule->mode;
	req->online = rule->online;
	req->method = rule->method;
	req->timeout_ms = timeout_ms;
}
