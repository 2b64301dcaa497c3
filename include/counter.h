/*
 * counter.h: the site visit counter and per-article view counters.
 * Counts live in a file mapped shared (counter_map.h) that workers
 * increment atomically; the master owns the counter file and flushes
 * to it, and a start after a kill takes in what the mapping holds and
 * the counter file lacks.
 */
#ifndef COUNTER_H
#define COUNTER_H

#include <stddef.h>
#include <stdio.h>

struct counter;
struct site;

#define COUNTER_INST_MAX	128	/* an instance's name, bytes */

/* Read the counter file (a missing file is zero counts, unless
 * "<file>.1" is there). A damaged file, an empty one and one cut short
 * (no "end N" line counting its article lines) are refused: NULL with
 * err "file:line: reason; <how to restore the last good file>". The
 * counts files beside it ("<file>.counts.<N>", left by a kill) add
 * what they counted and the file lacks; one that cannot be read is
 * refused too. */
struct counter	*counter_open(const char *file, char *err, size_t errlen);
/* Whether counts files were found: the next flush writes their counts
 * into the file and removes them. */
int		 counter_recovered(const struct counter *);
void		 counter_free(struct counter *);

/* Master, before forking workers for site: a new counts file, mapped
 * shared, with a slot per article (sets each article's counter_slot);
 * in memory alone if no file can be made (logged). The previous
 * mapping stays valid for the old workers until counter_retire(). */
int		 counter_bind(struct counter *, struct site *);
/* Master, once the workers of the previous generation have exited:
 * fold their counts in; the next flush removes its file. */
void		 counter_retire(struct counter *);
/* Master, at stop, once every worker has exited: the current
 * generation is retired too. */
void		 counter_unbind(struct counter *);
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
 * or last written; before the rename, what it holds of each
 * generation's counts goes into their counts files (msync), and after
 * it the retired generations' files are removed. On failure log once,
 * keep the counts, return -1. */
int		 counter_flush(struct counter *);

/*
 * The Redis backend's journal, in the counter file (counter_redis.c
 * talks to Redis; the master only). A batch is the counts one instance
 * adds to Redis at once, under its name and a number one more than its
 * last batch Redis applied.
 */
struct counter_item {
	size_t			 ent;	/* counter_path's index */
	unsigned long long	 n;	/* views */
};
struct counter_batch {
	char			*inst;	/* the instance that sends it */
	unsigned long long	 seq;	/* its number; 0: no batch */
	unsigned long long	 site;	/* visits */
	struct counter_item	*items;
	size_t			 nitems, cap;
};
/* What Redis's last applied batch of the instance says of the journal
 * (counter_acked) */
#define COUNTER_ACK_OK		0
#define COUNTER_ACK_AHEAD	1	/* batches this one did not send */
#define COUNTER_ACK_BEHIND	2	/* Redis forgot some of its batches */

/* Count what Redis has not acknowledged, as instance (a printable
 * ASCII word, not starting with "/"); NULL: no more (the journal is
 * kept as it is). -1 with errno. */
int		 counter_journal(struct counter *, const char *instance);
const char	*counter_instance(const struct counter *);
/* Take the workers' counts in (counter_flush does it too). */
void		 counter_fold(struct counter *);
/* The batch sent and not yet answered, or NULL. */
const struct counter_batch *counter_pending(const struct counter *);
/* Any count in no batch? */
int		 counter_unsent(const struct counter *);
/* With none pending, a batch of the unsent counts, at most max paths:
 * 1 when one was formed, 0 nothing to send, -1 out of memory. */
int		 counter_form(struct counter *, size_t max);
/* Redis answered, last being the instance's last applied batch there:
 * the pending batch (if any) is done. COUNTER_ACK_*. */
int		 counter_acked(struct counter *, unsigned long long last);
/* Redis's totals, with no batch pending: what is shown becomes them
 * plus the unsent counts; counter_rebase shows it to the workers. */
void		 counter_set_site(struct counter *, unsigned long long);
void		 counter_set_views(struct counter *, size_t ent,
		    unsigned long long);
void		 counter_rebase(struct counter *);
/* The paths the master knows, 0 to counter_npaths() - 1: NULL for one
 * the file cannot hold; its total. */
size_t		 counter_npaths(const struct counter *);
const char	*counter_path(const struct counter *, size_t ent);
unsigned long long counter_total(const struct counter *, size_t ent);

/* An empty set of counts with no file (bantin -C export), its counts
 * (path NULL: the site's visits), and its text in the file's format. */
struct counter	*counter_new(void);
int		 counter_put(struct counter *, const char *path,
		    unsigned long long);
int		 counter_write(struct counter *, FILE *);

/* Format n with the language's group separator: "31.717.415" (vi),
 * "31,717,415" (en). Returns buf. */
char		*counter_format(unsigned long long n, const char *lang,
		    char *buf, size_t len);

#endif
