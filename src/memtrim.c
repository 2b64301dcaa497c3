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
 */

#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memtrim.h"

struct region {
	unsigned long	 start, end;
	int		 candidate;	/* private, read-only, a file */
	long		 rss, anon;
};

static long
release(const struct region *r)
{
	if (!r->candidate || r->rss == 0 || r->anon != 0)
		return 0;
	if (madvise((void *)r->start, r->end - r->start, MADV_DONTNEED) == -1)
		return 0;
	return r->rss;
}

long
memtrim_code(void)
{
	FILE		*f;
	struct region	 r;
	char		 line[512], perms[8], path[256];
	unsigned long	 a, b;
	long		 kb, total = 0;
	int		 n, have = 0;

	if ((f = fopen("/proc/self/smaps", "re")) == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	while (fgets(line, sizeof(line), f) != NULL) {
		path[0] = '\0';
		n = sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &a, &b,
		    perms, path);
		if (n >= 3 && strlen(perms) == 4) {
			if (have)
				total += release(&r);
			memset(&r, 0, sizeof(r));
			have = 1;
			r.start = a;
			r.end = b;
			/* a file by its path: not [heap], [vdso], deleted */
			r.candidate = perms[1] == '-' && perms[3] == 'p' &&
			    n == 4 && path[0] == '/';
			continue;
		}
		if (sscanf(line, "Rss: %ld kB", &kb) == 1)
			r.rss = kb;
		else if (sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			r.anon = kb;
	}
	if (have)
		total += release(&r);
	fclose(f);
	return total;
}
