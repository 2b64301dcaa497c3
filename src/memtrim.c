/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * memtrim.c: after a scan the master has touched most of libxml2, ICU,
 * lowdown, SQLite and libcrypto, and keeps those pages mapped while it
 * idles until the next change: megabytes of resident set for code it
 * will not run for hours. The pages are clean copies of the files, so
 * the master lets go of its mappings of them (madvise MADV_DONTNEED on
 * a private, read-only, never-written file mapping only drops the page
 * table entries; the next use faults the same bytes back in from the
 * page cache). Unmapped, they are ordinary page cache the kernel can
 * reclaim first when a small board runs short, instead of executable
 * pages it protects.
 *
 * Only mappings with no written page are touched: a private mapping's
 * written pages are anonymous copies (RELRO, .data), and dropping them
 * would lose the writes; smaps counts them as Anonymous.
 *
 * All of that holds only if /proc/self/smaps describes this process.
 * Under an emulator (qemu-user) it describes the emulator: the guest's
 * code shows as read-only data, its written pages may not show as
 * Anonymous, and on a 32-bit guest every address is off by the
 * emulator's base, so that a release lands on the pages beside the
 * ones meant (the relocated GOT among them: the next library call
 * jumps to nowhere). So each trim first checks two things it knows:
 * the page of its own code must be in an executable file mapping, and
 * a page of its own data it has just written must be in a writable
 * private mapping that counts Anonymous pages. Otherwise it does
 * nothing: the pages stay mapped, which costs resident set and nothing
 * else.
 */

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memtrim.h"

struct region {
	unsigned long	 start, end;
	char		 perms[8];	/* "r-xp" */
	int		 file;		/* a path: not [heap], [vdso], anon */
	long		 rss, anon;
};

/* what a walk over smaps does with each region */
typedef void	(*region_fn)(const struct region *, void *);

struct trust {
	unsigned long	 code, data;
	int		 code_ok, data_ok;
};

/* written before each check: its page must show as an anonymous copy */
static volatile int	 witness = 1;

/*
 * Call fn for each region smaps lists. A region starts with its header
 * line ("start-end perms offset dev inode [path]"); the lines after it
 * ("Rss:   12 kB") describe it. Lines of any length (long paths).
 */
static void
walk(FILE *f, region_fn fn, void *arg)
{
	struct region	 r;
	char		*line = NULL, perms[8], path[2];
	size_t		 cap = 0;
	unsigned long	 a, b;
	long		 kb;
	int		 n, have = 0;

	while (getline(&line, &cap, f) != -1) {
		path[0] = '\0';
		n = sscanf(line, "%lx-%lx %7s %*s %*s %*s %1s", &a, &b,
		    perms, path);
		if (n >= 3 && strlen(perms) == 4) {
			if (have)
				fn(&r, arg);
			memset(&r, 0, sizeof(r));
			have = 1;
			r.start = a;
			r.end = b;
			memcpy(r.perms, perms, sizeof(r.perms));
			r.file = n == 4 && path[0] == '/';
			continue;
		}
		if (sscanf(line, "Rss: %ld kB", &kb) == 1)
			r.rss = kb;
		else if (sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			r.anon = kb;
	}
	if (have)
		fn(&r, arg);
	free(line);
}

static void
check(const struct region *r, void *arg)
{
	struct trust	*t = arg;

	if (t->code >= r->start && t->code < r->end)
		t->code_ok = r->perms[2] == 'x' && r->file;
	if (t->data >= r->start && t->data < r->end)
		t->data_ok = r->perms[1] == 'w' && r->perms[3] == 'p' &&
		    r->anon > 0;
}

int
memtrim_trusted(FILE *smaps, unsigned long code, unsigned long data)
{
	struct trust	 t;

	memset(&t, 0, sizeof(t));
	t.code = code;
	t.data = data;
	walk(smaps, check, &t);
	return t.code_ok && t.data_ok;
}

/* a private, read-only file mapping with no written page */
static void
release(const struct region *r, void *arg)
{
	long	*total = arg;

	if (r->perms[1] != '-' || r->perms[3] != 'p' || !r->file ||
	    r->rss == 0 || r->anon != 0)
		return;
	if (madvise((void *)r->start, r->end - r->start, MADV_DONTNEED) == 0)
		*total += r->rss;
}

long
memtrim_code(void)
{
	FILE	*f;
	long	 total = 0;

	if ((f = fopen("/proc/self/smaps", "re")) == NULL)
		return -1;
	witness++;
	if (!memtrim_trusted(f, (unsigned long)(uintptr_t)memtrim_code,
	    (unsigned long)(uintptr_t)&witness)) {
		fclose(f);
		return -1;
	}
	rewind(f);
	walk(f, release, &total);
	fclose(f);
	return total;
}
