/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * catalog_scan.c: a scan of the catalog (catalog.h: begin, put for
 * every changed source, end or abort), made in place by catalog.c, or,
 * when the catalog is empty, as a first build by catalog_bulk.c in a
 * process of its own. The top of the catalog module:
 *
 *   catalog_scan.c -> catalog_bulk.c -> catalog.c
 */

#include <stddef.h>

#include <sqlite3.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "catalog_bulk.h"
#include "catalog_int.h"
#include "log.h"

int
catalog_begin(struct catalog *cat)
{
	/* nothing to keep: build a new file, fast, and put it in place */
	if (cat->db != NULL && !cat->in_scan && catalog_empty(cat) == 1) {
		cat->partial = 0;
		cat->lost = 0;
		if (catalog_bulk_begin(cat) == 0)
			return 0;
		if (cat->db == NULL)
			return -1;
	}
	return catalog_scan_begin(cat, 0);
}

int
catalog_end(struct catalog *cat)
{
	if (cat->bulk == BULK_FEED)
		return catalog_bulk_end(cat);
	return catalog_scan_end(cat);
}

void
catalog_abort(struct catalog *cat)
{
	if (cat == NULL)
		return;
	if (cat->bulk == BULK_FEED)
		catalog_bulk_abort(cat);
	else
		catalog_scan_abort(cat);
}

void
catalog_close(struct catalog *cat)
{
	if (cat == NULL)
		return;
	if (cat->bulk == BULK_FEED)
		catalog_bulk_abort(cat);
	catalog_release(cat);
}

int
catalog_put(struct catalog *cat, const char *src, const char *urlpath,
    long long size, long long mtime, const struct article_meta *meta,
    const char *text, size_t textlen)
{
	struct buf	 plain = BUF_INIT;
	const struct buf *stored;
	struct put_key	 pk;
	int		 rc, packed;

	if (cat->db == NULL && cat->bulk != BULK_FEED)
		return -1;
	/* a first build: the process that makes it stores it */
	if (cat->bulk == BULK_FEED)
		return catalog_bulk_feed(cat, src, urlpath, size, mtime, meta,
		    text, textlen);
	if (catalog_text_make(cat, meta, text, textlen, &plain, &packed) !=
	    SQLITE_DONE) {
		log_warnx("catalog: out of memory");
		buf_free(&plain);
		return -1;
	}
	stored = packed ? &cat->z : &plain;
	rc = catalog_put1(cat, src, urlpath, size, mtime, meta, &plain,
	    stored, packed, &pk);
	if (rc != SQLITE_DONE && catalog_damage(rc)) {
		catalog_fail(cat, "put", rc);
		/* rebuilt: store it in the new file */
		if (cat->db != NULL && cat->in_scan)
			rc = catalog_put1(cat, src, urlpath, size, mtime, meta,
			    &plain, stored, packed, &pk);
	}
	buf_free(&plain);
	if (rc != SQLITE_DONE) {
		if (cat->db != NULL)
			log_warnx("catalog %s: put %s: %s", cat->path, src,
			    sqlite3_errmsg(cat->db));
		return -1;
	}
	return 0;
}
