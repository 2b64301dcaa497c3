/*
 * counter.h: the site visit counter and per-article view counters.
 * Counts live in a shared anonymous mapping that workers increment
 * atomically; the master owns the counter file and flushes to it.
 */
#ifndef COUNTER_H
#define COUNTER_H

#include <stddef.h>

struct counter;
struct site;

/* Read the counter file (a missing file is zero counts, unless
 * "<file>.1" is there). A damaged file, an empty one and one cut short
 * (no "end N" line counting its article lines) are refused: NULL with
 * err "file:line: reason; <how to restore the last good file>". */
struct counter	*counter_open(const char *file, char *err, size_t errlen);
void		 counter_free(struct counter *);

/* Master, before forking workers for site: a new shared mapping with a
 * slot per article (sets each article's counter_slot). The previous
 * mapping stays valid for the old workers until counter_retire(). */
int		 counter_bind(struct counter *, struct site *);
/* Master, once the workers of the previous generation have exited:
 * fold their counts in and unmap it. */
void		 counter_retire(struct counter *);
/* The number of the current generation (1 after the first bind), and a
 * finer retire for overlapping reloads: only generations <= gen. */
unsigned	 counter_generation(const struct counter *);
void		 counter_retire_upto(struct counter *, unsigned gen);

/* Any process. slot -1 counts only the site visit. */
void		 counter_hit(struct counter *, int slot);
unsigned long long counter_site(const struct counter *);
unsigned long long counter_views(const struct counter *, int slot);
/* Master: the count of path as of the last bind, retire or flush
 * (0 if unknown); also paths no longer in the site. */
unsigned long long counter_path_views(const struct counter *,
		    const char *path);

/* Master: write the file atomically (temp, fsync, rename, fsync dir),
 * keeping the file it replaces as "<file>.1" when that is the one read
 * or last written. On failure log once, keep the counts, return -1. */
int		 counter_flush(struct counter *);

/* Format n with the language's group separator: "31.717.415" (vi),
 * "31,717,415" (en). Returns buf. */
char		*counter_format(unsigned long long n, const char *lang,
		    char *buf, size_t len);

#endif
