/*
 * counter_map.h: the counts of one generation of workers, in a file
 * beside the counter file mapped shared by the master and every
 * worker it forks: the slots the workers add to, two columns of what
 * the master has taken of them, each tagged with the number of the
 * counter file it was written for, and the path of each slot. A kill
 * of any process loses none of it: the pages are the file's. Only
 * counter.c uses it.
 */
#ifndef COUNTER_MAP_H
#define COUNTER_MAP_H

#include <stddef.h>

#define CMAP_CACHELINE	64	/* keeps the hot site slot apart */
#define CMAP_NAME_MAX	128	/* the journal's instance, bytes */

struct cslot {				/* one counter */
	unsigned long long	 base;	/* the total less the delta folded;
					   the master's alone to move */
	unsigned long long	 delta;	/* hits since, atomic adds */
};

struct cshm {				/* the slots */
	struct cslot		 site;
	/* every hit bumps site; keep article slots off its cache line */
	char			 pad[CMAP_CACHELINE - sizeof(struct cslot)];
	struct cslot		 art[];	/* by article index in the site */
};

struct cmap_head;

struct cmap {
	struct cshm		*shm;
	size_t			 nslots;	/* articles */
	struct cmap_head	*head;		/* NULL: no file (memory) */
	unsigned long long	*col[2];	/* [0] the site, [1 + i] slot i */
	const char		*strs;		/* slot paths, NUL after each;
						   NULL in a file made here
						   (not mapped: never read) */
	uint64_t		*dirty[2];	/* per column, a bit a slot:
						   seen moved since the column
						   was written */
	int			 unsynced;	/* paths written, not synced */
	uint64_t		*hot;		/* a bit a slot, shared with the
						   workers: a hit since the
						   master last looked; NULL:
						   look at every slot */
	char			*path;		/* the file */
	void			*base;
	size_t			 len;
};

/* Make the file at path (whole before it has that name, its blocks
 * allocated, mode 0600) for n slots named paths[0..n), both columns
 * zero and tagged tag, the journal's instance inst ("": none). -1 with
 * errno, and nothing left behind. */
int	 cmap_make(struct cmap *, const char *path, size_t n,
	    const char *const *paths, unsigned long long tag,
	    const char *inst);
/* Slots in memory only, for when no file can be made. */
int	 cmap_anon(struct cmap *, size_t n);
/* Map a file cmap_make made: 0; -1 with errno when it cannot be read;
 * -2 with why when it is not whole (a file cut by a power cut before
 * its first flush) or not one of ours. Read-only files are mapped
 * privately: what is written to them stays in memory. */
int	 cmap_open(struct cmap *, const char *path, char *why, size_t);

/* What was taken of the slots as of counter file number f: */
#define CMAP_SEEN_EXACT	0	/* *col, the column written for f */
#define CMAP_SEEN_AFTER	1	/* f is older than both columns: *col,
				   the first written after it */
#define CMAP_SEEN_ALL	2	/* f is newer than both: everything */
int	 cmap_seen(const struct cmap *, unsigned long long f,
	    const unsigned long long **col);
/* A hit on slot i (a worker), after its delta's add. */
static inline void
cmap_hot(struct cmap *m, size_t i)
{
	if (m->hot != NULL)
		__atomic_fetch_or(&m->hot[i / 64], 1ULL << (i % 64),
		    __ATOMIC_RELEASE);
}
/* The slots hit in the 64 from 64 * j on since the last call (the
 * master, before it reads their deltas); all of them without hot. */
static inline uint64_t
cmap_hot_take(struct cmap *m, size_t j)
{
	if (m->hot == NULL)
		return ~0ULL;
	if (__atomic_load_n(&m->hot[j], __ATOMIC_RELAXED) == 0)
		return 0;
	return __atomic_exchange_n(&m->hot[j], 0, __ATOMIC_ACQUIRE);
}
/* Slot i's seen value moved: both columns must take it again. */
static inline void
cmap_touch(struct cmap *m, size_t i)
{
	if (m->dirty[0] != NULL) {
		m->dirty[0][i / 64] |= 1ULL << (i % 64);
		m->dirty[1][i / 64] |= 1ULL << (i % 64);
	}
}
/* Before counter file number next is written (last: the one on disk):
 * what has been taken, site_seen and seen[0..nslots), into the column
 * not written for last, tagged next: of the slots, those touched since
 * that column was written (its other pages are neither read nor
 * written, so they stay out of the master's memory). */
void	 cmap_write(struct cmap *, unsigned long long last,
	    unsigned long long next, unsigned long long site_seen,
	    const unsigned long long *seen);
/* The file on disk as it stands (msync): -1 with errno. */
int	 cmap_sync(struct cmap *);
/* The instance whose journal the counts join ("" none), and set it. */
const char *cmap_journal(const struct cmap *);
void	 cmap_set_journal(struct cmap *, const char *inst);
/* Unmap; the file stays. */
void	 cmap_close(struct cmap *);

#endif
