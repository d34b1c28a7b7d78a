/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_JOURNAL_H
#define UTIL_JOURNAL_H

#include <stddef.h>

/*
 * What a writing command must put back if it is killed (SIGKILL, the OOM
 * killer, a crash) before it can: /run/cxl-sysram.journal, next to the
 * writers' lock and only written under it. An entry is written down
 * (fsync'd) before the change it covers and dropped once that change is
 * undone or finished; the next writing command repairs what is left.
 *
 * Entries are one line each, "KIND KEY [ARG...]":
 *   setting PATH VALUE     a global setting held; VALUE is what it was
 *   create REGION [DEC...] a region being built (with its DPA decoders)
 *   destroy REGION         a region being taken apart
 *   reconfigure REGION MODE ONLINE   what a region was before a change
 */
#define JOURNAL_LINE 1024
#define JOURNAL_MAX 64

struct journal_entry {
	char kind[16];
	char key[256];
	char args[JOURNAL_LINE]; /* the rest of the line, may be "" */
};

/* for tests: where the journal lives (default /run/cxl-sysram.journal) */
void journal_set_path(const char *path);

/* add an entry, replacing one of the same kind and key; 0 or -errno */
int journal_add(const char *kind, const char *key, const char *args);
/* drop the entry of that kind and key, if any; 0 or -errno */
int journal_drop(const char *kind, const char *key);
/* the entries, oldest first: their number, or -errno */
int journal_read(struct journal_entry *e, int max);

#endif /* UTIL_JOURNAL_H */
