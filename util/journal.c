// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/journal.h"

static const char *journal_path = "/run/cxl-sysram.journal";

void journal_set_path(const char *path)
{
	journal_path = path;
}

static int parse_line(char *line, struct journal_entry *e)
{
	char *kind, *key, *rest, *save;

	line[strcspn(line, "\n")] = '\0';
	kind = strtok_r(line, " ", &save);
	key = kind ? strtok_r(NULL, " ", &save) : NULL;
	if (!key)
		return -EINVAL;
	rest = strtok_r(NULL, "", &save);
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	snprintf(e->key, sizeof(e->key), "%s", key);
	snprintf(e->args, sizeof(e->args), "%s", rest ? rest : "");
	return 0;
}

int journal_read(struct journal_entry *e, int max)
{
	char line[JOURNAL_LINE + 300];
	FILE *f = fopen(journal_path, "re");
	int n = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (n < max && fgets(line, sizeof(line), f))
		if (!parse_line(line, &e[n]))
			n++;
	fclose(f);
	return n;
}

/* replace the journal with @e[0..n), durably: a new file, renamed over */
static int journal_write(const struct journal_entry *e, int n)
{
	char tmp[512];
	int fd, i, rc = 0;
	FILE *f;

	if (!n)
		return unlink(journal_path) && errno != ENOENT ? -errno : 0;
	snprintf(tmp, sizeof(tmp), "%s.new", journal_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		return rc;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s%s%s\n", e[i].kind, e[i].key,
			e[i].args[0] ? " " : "", e[i].args);
	if (fflush(f) || fsync(fd))
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, journal_path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

static int find(const struct journal_entry *e, int n, const char *kind,
		const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(e[i].kind, kind) && !strcmp(e[i].key, key))
			return i;
	return -1;
}

int journal_add(const char *kind, const char *key, const char *args)
{
	struct journal_entry *e = calloc(JOURNAL_MAX, sizeof(*e));
	int n, i, rc;

	if (!e)
		return -ENOMEM;
	n = journal_read(e, JOURNAL_MAX);
	rc = n < 0 ? n : 0;
	if (!rc) {
		i = find(e, n, kind, key);
		if (i < 0 && n == JOURNAL_MAX)
			rc = -ENOSPC;
		if (i < 0)
			i = n++;
	}
	if (!rc) {
		snprintf(e[i].kind, sizeof(e[i].kind), "%s", kind);
		snprintf(e[i].key, sizeof(e[i].key), "%s", key);
		snprintf(e[i].args, sizeof(e[i].args), "%s", args ? args : "");
		rc = journal_write(e, n);
	}
	free(e);
	return rc;
}

int journal_drop(const char *kind, const char *key)
{
	struct journal_entry *e = calloc(JOURNAL_MAX, sizeof(*e));
	int n, i, rc = 0;

	if (!e)
		return -ENOMEM;
	n = journal_read(e, JOURNAL_MAX);
	if (n < 0)
		rc = n;
	i = rc ? -1 : find(e, n, kind, key);
	if (i >= 0) {
		memmove(&e[i], &e[i + 1], (size_t)(n - i - 1) * sizeof(*e));
		rc = journal_write(e, n - 1);
	}
	free(e);
	return rc;
}
