/*
 * site_entry.h: what the walk keeps of each file, for site_walk.c, and
 * the reading of a source, for site.c too.
 */
#ifndef SITE_ENTRY_H
#define SITE_ENTRY_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

struct buf;
struct category;
struct dent;
struct scan;
struct site_file;

/* what the walk keeps. -1 only on ENOMEM; a file that
 * cannot be used is a warning and 0. */
int	 site_read_ini(struct scan *, struct category *, const char *inisrc);
int	 site_add_file(struct scan *, const char *url, struct dent *,
	    int page, struct site_file **);
int	 site_add_article(struct scan *, struct category *, struct dent *);
/* once the walk is done: one warning per HTML article with links to
 * nothing on the site (sc->links), which it empties */
void	 site_check_links(struct scan *);
/* a listed file, whole, below rootfd; size and mtime as
 * read (either may be NULL). */
int	 site_read_source(int rootfd, const char *src, struct buf *,
	    off_t *size, struct timespec *mtime);

#endif
