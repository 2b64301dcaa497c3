/*
 * catalog_bulk.h: a first build of the catalog, in a process of its own
 * (catalog_bulk.c), for catalog_scan.c.
 */
#ifndef CATALOG_BULK_H
#define CATALOG_BULK_H

#include "article.h"
#include "buf.h"

struct catalog;

/* Start one: 0, or -1 (the catalog is open again, for a scan in
 * place, unless it cannot be: db NULL). */
int	 catalog_bulk_begin(struct catalog *);
/* One put: the converted text (gemtext; the build makes the plain
 * text search sees, and packs it for the table); 0, or -1 when the
 * build is gone. */
int	 catalog_bulk_feed(struct catalog *, const char *src,
	    const char *urlpath, long long size, long long mtime,
	    const struct article_meta *, const char *text, size_t textlen);
/* The scan is over: wait for the build and put its file in place; 0,
 * or -1 (the catalog is what it was: empty). */
int	 catalog_bulk_end(struct catalog *);
/* The scan failed: the build goes. */
void	 catalog_bulk_abort(struct catalog *);

#endif
