// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the policy directory as a root service must: the files decide
 * what memory becomes at boot, so only files that no one but root could
 * have written are read at all, the way sshd and sudo trust theirs. A
 * refused file is never opened for reading, so nothing of it can reach a
 * message; every problem is one line naming the entry and why.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxl/sysram-config.h"
#include "util/escape.h"

/* far more than any set of rules needs, and a bound on what is read */
#define MAX_FILE_SIZE (1 << 20)
#define MSG_LEN (PATH_MAX + 512)

struct loader {
	struct sysram_config *cfg;
	sysram_report_fn *report;
	void *arg;
	const char *dir; /* as given, for messages */
	char real[PATH_MAX]; /* the directory, resolved */
	int fatal;
};

static void __attribute__((format(printf, 3, 4)))
say(struct loader *l, bool fatal, const char *fmt, ...)
{
	char line[MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (fatal && !l->fatal)
		l->fatal = -EPERM;
	l->report(l->arg, fatal, line);
}

/* root, or whoever runs the command: a user can lint their own files */
static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

static const char *kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISLNK(m))
		return "a symlink";
	return "not a regular file";
}

/*
 * Why @st may not be trusted, or NULL. A directory above the policy
 * directory may be writable by others when it is sticky (/tmp): they can
 * then neither rename nor remove what root owns in it.
 */
static const char *untrusted(const struct stat *st, bool above, char *buf,
			     size_t len)
{
	mode_t w = st->st_mode & (S_IWGRP | S_IWOTH);

	if (!trusted_owner(st->st_uid)) {
		snprintf(buf, len, "owned by uid %u, not root",
			 (unsigned int)st->st_uid);
		return buf;
	}
	if (!w || (above && S_ISDIR(st->st_mode) && st->st_mode & S_ISVTX))
		return NULL;
	snprintf(buf, len, "writable by %s",
		 w == (S_IWGRP | S_IWOTH) ? "group and others"
		 : w == S_IWGRP		  ? "group"
					  : "others");
	return buf;
}

/* the directory and every one above it */
static int check_dirs(struct loader *l, int dfd)
{
	char path[PATH_MAX], why[64], e[PATH_MAX * 4], e2[PATH_MAX * 4];
	const char *bad;
	struct stat st;
	char *slash;

	if (fstat(dfd, &st))
		return -errno;
	bad = untrusted(&st, false, why, sizeof(why));
	if (bad) {
		say(l, true, "%s: refused: %s",
		    escape_line(l->dir, e, sizeof(e)), bad);
		return -EPERM;
	}
	snprintf(path, sizeof(path), "%s", l->real);
	while ((slash = strrchr(path, '/'))) {
		slash[slash == path] = '\0';
		if (stat(path, &st))
			return -errno;
		bad = untrusted(&st, true, why, sizeof(why));
		if (bad) {
			say(l, true, "%s: refused: %s is %s",
			    escape_line(l->dir, e, sizeof(e)),
			    escape_line(path, e2, sizeof(e2)), bad);
			return -EPERM;
		}
		if (slash == path)
			break;
	}
	return 0;
}

static int conf_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	       !strcmp(d->d_name + n - 5, ".conf");
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * Where the symlink @name leads, as a name in the directory: 1 with it in
 * @target, 0 when the link is skipped, -1 when refused (reported).
 */
static int follow(struct loader *l, const char *shown, const char *name,
		  char *target, size_t len)
{
	char path[PATH_MAX * 2], e[PATH_MAX * 4], *real, *slash;
	size_t dlen;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", l->real, name);
	real = realpath(path, NULL);
	if (!real) {
		if (errno == ENOENT) {
			say(l, false, "%s: skipped: a dangling symlink", shown);
			return 0;
		}
		say(l, true, "%s: refused: %s", shown, strerror(errno));
		return -1;
	}
	slash = strrchr(real, '/');
	dlen = slash == real ? 1 : (size_t)(slash - real);
	if (dlen != strlen(l->real) || strncmp(real, l->real, dlen)) {
		say(l, true, "%s: refused: a symlink leaving %s", shown,
		    escape_line(l->real, e, sizeof(e)));
		goto out;
	}
	snprintf(target, len, "%s", slash + 1);
	rc = 1;
out:
	free(real);
	return rc;
}

/* read one entry of the directory if it can be trusted */
static void load_entry(struct loader *l, int dfd, const char *name)
{
	char shown[PATH_MAX * 4], path[PATH_MAX * 2], target[NAME_MAX + 1],
		why[64], err[MSG_LEN];
	struct stat lst, st;
	const char *bad;
	int fd, rc, nr;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", l->dir, name);
	escape_line(path, shown, sizeof(shown));
	if (fstatat(dfd, name, &lst, AT_SYMLINK_NOFOLLOW)) {
		say(l, true, "%s: refused: %s", shown, strerror(errno));
		return;
	}
	snprintf(target, sizeof(target), "%s", name);
	if (S_ISLNK(lst.st_mode)) {
		rc = follow(l, shown, name, target, sizeof(target));
		if (rc <= 0)
			return;
		if (fstatat(dfd, target, &lst, AT_SYMLINK_NOFOLLOW)) {
			say(l, false, "%s: skipped: a dangling symlink", shown);
			return;
		}
	}
	if (!S_ISREG(lst.st_mode)) {
		say(l, false, "%s: skipped: %s, not a regular file", shown,
		    kind(lst.st_mode));
		return;
	}
	/* not following links, not blocking: what was checked is opened */
	fd = openat(dfd, target,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		say(l, true, "%s: refused: %s", shown, strerror(errno));
		return;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_ino != lst.st_ino ||
	    st.st_dev != lst.st_dev) {
		say(l, true, "%s: refused: changed while being read", shown);
		goto out;
	}
	bad = untrusted(&st, false, why, sizeof(why));
	if (bad) {
		say(l, true, "%s: refused: %s", shown, bad);
		goto out;
	}
	if (st.st_size > MAX_FILE_SIZE) {
		say(l, true, "%s: refused: larger than %d KiB", shown,
		    MAX_FILE_SIZE >> 10);
		goto out;
	}
	f = fdopen(fd, "r");
	if (!f) {
		say(l, true, "%s: %s", shown, strerror(errno));
		goto out;
	}
	fd = -1;
	nr = l->cfg->nr;
	rc = sysram_config_parse(l->cfg, path, f, err, sizeof(err));
	fclose(f);
	if (rc) {
		say(l, true, "%s", err);
		/* its rules are not applied, nor compared with the next */
		while (l->cfg->nr > nr)
			free(l->cfg->rules[--l->cfg->nr].file);
	}
out:
	if (fd >= 0)
		close(fd);
}

int sysram_config_load(struct sysram_config *cfg, const char *dir,
		       bool optional, sysram_report_fn *report, void *arg)
{
	struct loader l = {
		.cfg = cfg, .report = report, .arg = arg, .dir = dir
	};
	char e[PATH_MAX * 4];
	struct dirent **names;
	int dfd, i, n, rc;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = -errno;
		if (rc == -ENOENT && optional)
			return 0;
		say(&l, true, "%s: %s", escape_line(dir, e, sizeof(e)),
		    strerror(-rc));
		return rc;
	}
	if (!realpath(dir, l.real)) {
		rc = -errno;
		say(&l, true, "%s: %s", escape_line(dir, e, sizeof(e)),
		    strerror(-rc));
		goto out;
	}
	rc = check_dirs(&l, dfd);
	if (rc == -EPERM)
		goto out;
	if (rc) {
		say(&l, true, "%s: %s", escape_line(dir, e, sizeof(e)),
		    strerror(-rc));
		goto out;
	}
	n = scandir(l.real, &names, conf_name, by_name);
	if (n < 0) {
		rc = -errno;
		say(&l, true, "%s: %s", escape_line(dir, e, sizeof(e)),
		    strerror(-rc));
		goto out;
	}
	for (i = 0; i < n; i++) {
		load_entry(&l, dfd, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	rc = l.fatal;
out:
	close(dfd);
	if (rc)
		sysram_config_free(cfg);
	return rc;
}
