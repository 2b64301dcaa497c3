/*
 * catalog.h: the persistent catalog and search index (SQLite, FTS5),
 * kept in state_dir so that a restart reads only changed files.
 * Used by the master while scanning; workers search through search.h.
 * An empty catalog's first scan is a first build: written to a file of
 * its own without a journal, its index made at catalog_end in date
 * order, and put in place whole (a crash leaves the catalog empty, and
 * the next start builds it again).
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

#include "article.h"
#include "buf.h"

struct catalog;

/*
 * An article's key (article.fkey) is in date order: the minute of its
 * date times CATALOG_KEY_SLOTS, plus a slot unique within that minute.
 * Its FTS5 rowid is the key negated, newest first: FTS5 walks a match
 * in rowid order, so "ORDER BY rowid LIMIT n" gives the newest n
 * matches without reading the others. (FTS5 walks a doclist backwards
 * too, but an AND of several words, each advanced to the next rowid of
 * the others, is 5 to 30 times slower that way: 30 against 6 ms for
 * 1,001 hits of nine common words at 100,000 articles. Minutes and
 * slots, not seconds and ids: doclists store the gaps between rowids,
 * and small gaps keep the index small.)
 */
#define CATALOG_KEY_SLOTS	4096

/* Open or create; a damaged database is moved aside and rebuilt (with a
 * log line). NULL only if it cannot be created at all (err set). */
struct catalog	*catalog_open(const char *dbpath, char *err, size_t errlen);
/* SQLite set up for a process without threads; catalog_open and
 * search.c call it before their first use of SQLite. */
/* The same without its check (quick_check), for a start that serves
 * before it reads the catalog; catalog_check_now() makes it: 0 if it
 * passes or was made, 1 if the catalog was damaged and is rebuilt (a
 * full scan is due), -1 on an error. */
struct catalog	*catalog_open_unchecked(const char *dbpath, char *err,
		    size_t errlen);
int		 catalog_check_now(struct catalog *);
void		 catalog_library(void);
void		 catalog_close(struct catalog *);

/* One scan = begin, get/put for every article source seen, end. end
 * removes the entries not seen in this scan and commits; it returns 0,
 * -1 on error, 1 as said below. */
int	catalog_begin(struct catalog *);
int	catalog_end(struct catalog *);
/* A scan that failed half-way: forget its changes, remove nothing. */
void	catalog_abort(struct catalog *);

/* A partial scan (a reload that kept the last snapshot's unchanged
 * articles): get/put only for changed sources, catalog_forget for each
 * source that went; end then removes nothing else. When the catalog
 * was rebuilt (damage) since the last full scan its entries are
 * incomplete: begin returns 1 (make a full scan: catalog_begin, which
 * may find the scan begun) or end returns 1 (make another, full). */
int	catalog_begin_partial(struct catalog *);
int	catalog_forget(struct catalog *, const char *src);
/* 1 if a partial scan would be made now, else 0 */
int	catalog_partial_ok(struct catalog *);
/* Between scans: merge up to `pages` pages of the search index's
 * segments. 1 while there is more to merge, 0 when there is none (after
 * a scan there is again), -1 on error. */
int	catalog_tidy(struct catalog *, int pages);

/* 1: an entry with this size and mtime exists; meta is filled with its
 * title, tags and date (the catalog keeps no author, summary or lang;
 * caller frees with article_meta_free) and the entry marked seen. 0: no
 * such entry (or it changed). -1: error. */
int	catalog_get(struct catalog *, const char *src, long long size,
	    long long mtime, struct article_meta *meta);

/* Store or replace an entry: its metadata, and for search its title
 * and its body as plain text (the gemtext without its markup and its
 * "# title" line), diacritics kept in the stored text. */
int	catalog_put(struct catalog *, const char *src, const char *urlpath,
	    long long size, long long mtime, const struct article_meta *,
	    const char *text, size_t textlen);

/*
 * The plain text of an entry, as the table text keeps it (by key): a
 * BLOB is packed (zstd), a TEXT is as it was. catalog_text_get puts it in
 * out, NUL-terminated: 0, or -1 (damaged, or out of memory). One
 * catalog_text per reader, reused from text to text.
 */
struct catalog_text;
struct catalog_text *catalog_text_new(void);
void	catalog_text_free(struct catalog_text *);
int	catalog_text_get(struct catalog_text *, struct buf *out,
	    const void *data, size_t len, int packed);

/*
 * The "bantin" FTS5 tokenizer, shared by the catalog and search.h:
 * words are runs of letters, digits and marks; each is folded with
 * utf8_fold() and reported with its byte offsets in the original text.
 */
struct sqlite3;
typedef int catalog_token_cb(void *arg, const char *tok, size_t toklen,
	    size_t start, size_t end);

int	catalog_tokenizer_register(struct sqlite3 *);
/* The connection's FTS5 API (to add tokenizers and functions), or NULL. */
struct fts5_api;
struct fts5_api	*catalog_fts5(struct sqlite3 *);
/* Calls cb for every token; stops at cb's first non-zero return and
 * returns it; -1 if out of memory. */
int	catalog_tokenize(const char *, size_t, catalog_token_cb *, void *);
int	catalog_word_cp(int cp);	/* 1 if cp is part of words */

#endif
