/*
 * site_int.h: what the parts of the site module share, private to
 * site.c, site_walk.c and site_entry.c.
 *
 * site_load() (site.c) fills a struct scan and has site_walk.c walk the
 * tree with it; the walk hands each file it keeps to site_entry.c. The
 * snapshot's memory (the arena), its path index and its warnings stay
 * in site.c, behind the functions below.
 */
#ifndef SITE_INT_H
#define SITE_INT_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "site.h"

struct catalog;
struct site_priv;			/* site.c: arena and index */

struct dent {				/* one directory entry while scanning */
	char		*name;
	char		*src;		/* physical path below root */
	mode_t		 mode;		/* of the link target for links */
	off_t		 size;
	struct timespec	 mtime;
	dev_t		 dev;
	ino_t		 ino;
};

struct scan {				/* also walks for site_stamp() */
	struct site	*s;		/* NULL: site_stamp, no warnings */
	struct site_priv *p;
	struct catalog	*catalog;
	int		 partial;	/* catalog_begin_partial() */
	const struct site *prev;	/* its unchanged articles are kept */
	size_t		 nsame;		/* articles of prev found at their
					   path with their source */
	int		 rootfd;
	const char	*rootreal;
	size_t		 rootlen;
	unsigned long long stamp;	/* site_stamp's sum */
	dev_t		 devs[SITE_DEPTH_MAX + 2];	/* folders being */
	ino_t		 inos[SITE_DEPTH_MAX + 2];	/* walked: loops */
	size_t		 artcap, filecap, pagecap;
	struct buf	 src;		/* a source file, reused */
	struct buf	 body;		/* its gemtext, for the catalog */
};

/* site.c: the arena, freed by site_free() */
void	*site_arena_alloc(struct site_priv *, size_t);
char	*site_arena_strdup(struct site_priv *, const char *);
char	*site_arena_cat(struct site_priv *, const char *a, const char *b,
	    size_t blen);
/* site.c: the path index. put returns 0, 1 if the key is taken
 * (nothing stored), -1 on ENOMEM; owner names what holds a key. */
int	 site_index_put(struct site_priv *, const char *key, int type,
	    void *);
const char *site_index_owner(const struct site_priv *, const char *key);
/* room for n keys without a resize; -1 on ENOMEM */
int	 site_index_reserve(struct site_priv *, size_t n);
/* site.c: "path:line: reason" into site->warnings (none for stamps) */
void	 site_warn(struct scan *, const char *dirurl, const char *name,
	    int line, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* site.c: room for element n of arr: arr, moved, or NULL (ENOMEM) */
void	*site_grow(void *arr, size_t n, size_t *cap, size_t size);

/* site_walk.c: the whole tree into sc->s; -1 if the root fails */
int	 site_walk(struct scan *);

/* site_entry.c: what the walk keeps. -1 only on ENOMEM; a file that
 * cannot be used is a warning and 0. */
int	 site_read_ini(struct scan *, struct category *, const char *inisrc);
int	 site_add_file(struct scan *, const char *url, struct dent *,
	    int page, struct site_file **);
int	 site_add_article(struct scan *, struct category *, struct dent *);
/* site_entry.c: a listed file, whole, below rootfd; size and mtime as
 * read (either may be NULL). */
int	 site_read_source(int rootfd, const char *src, struct buf *,
	    off_t *size, struct timespec *mtime);

#endif
