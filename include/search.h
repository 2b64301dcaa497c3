/*
 * search.h: diacritic-insensitive full-text search over the catalog.
 * One handle per worker, opened after fork (read only).
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stddef.h>

struct site;
struct article;
struct search;

#define SEARCH_QUERY_MAX	200	/* characters */
#define SEARCH_PER_PAGE		20
#define SEARCH_WORDS_MAX	12	/* words used; the rest are ignored */
#define SEARCH_TIME_MAX		1000	/* ms: a query longer than this stops */
#define SEARCH_TOTAL_MAX	1000	/* hits counted and served */

struct search_hit {
	const struct article	*art;		/* borrowed from the site */
	char			*excerpt;	/* original diacritics; owned */
};

struct search	*search_open(const char *dbpath, char *err, size_t errlen);
/* The same, but the database is opened at the first query. */
struct search	*search_lazy(const char *dbpath);
void		 search_close(struct search *);

/*
 * Run query (UTF-8, as the reader typed it): words AND-ed, "a phrase",
 * prefix*. Hits ranked by relevance: those with every word in the
 * title, then those with some words there, then the rest, newest
 * first within each. page is 1-based, SEARCH_PER_PAGE per page; only
 * articles present in site are returned. total is the number of
 * hits, or SEARCH_TOTAL_MAX + 1 for "more than SEARCH_TOTAL_MAX": then
 * only the first SEARCH_TOTAL_MAX are served, and later pages are
 * empty. Any text is a query: FTS5 operators and punctuation are not
 * syntax, and a query without a word ("*", a lone quote) has no hits.
 * Returns 0 (possibly with no hits) or -1 with errstr set (too long,
 * database error, too slow, out of memory).
 */
int	search_query(struct search *, const struct site *, const char *query,
	    int page, struct search_hit **hits, size_t *nhits, size_t *total,
	    const char **errstr);
void	search_hits_free(struct search_hit *, size_t);

/*
 * The same search with the catalog rows mapped to articles by resolve
 * (NULL = not in the site, skipped) instead of site_find: for tests and
 * for callers with their own article index.
 */
typedef const struct article *search_resolve_fn(void *arg,
	    const char *urlpath, const char *src);
int	search_query_with(struct search *, search_resolve_fn *, void *,
	    const char *query, int page, struct search_hit **hits,
	    size_t *nhits, size_t *total, const char **errstr);

/* The FTS5 MATCH expression for a reader's query, with no FTS5 syntax
 * of the reader's left in it; 0, or -1 with errstr set. */
struct buf;
int	search_match_expr(struct buf *, const char *query,
	    const char **errstr);

#endif
