/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * search.c: a reader's query -> ranked articles with excerpts, over the
 * catalog's FTS5 index (catalog.c). Each worker opens the database read
 * only after the fork. The reader's text is never handed to FTS5 as
 * syntax: it is split into words, phrases and prefixes here and
 * rebuilt as a query of quoted strings, so no input can reach an FTS5
 * or SQL error. Hits are mapped back to the worker's site snapshot;
 * rows the snapshot does not know are skipped.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "log.h"
#include "search.h"
#include "site.h"
#include "utf8.h"

#define SEARCH_CACHE_KB		"512"	/* SQLite page cache per worker */
#define SEARCH_EXCERPT_BEFORE	60	/* bytes of context before a match */
#define SEARCH_EXCERPT_LEN	200	/* bytes of excerpt in all */

struct search {
	char		*path;		/* the catalog */
	sqlite3		*db;		/* NULL until the first query */
	sqlite3_stmt	*st_page;	/* a page of one tier, newest first */
	sqlite3_stmt	*st_all;	/* every hit and its tier */
	sqlite3_stmt	*st_art;	/* the article of a hit */
	sqlite3_stmt	*st_snip;	/* the excerpt of one hit */
	sqlite3_stmt	*st_count;	/* how many in a tier, up to a bound */
	sqlite3_stmt	*st_tall;	/* the titles that match */
	sqlite3_stmt	*st_tany;	/* does any title match */
	sqlite3_stmt	*st_begin;	/* one read transaction a query */
	sqlite3_stmt	*st_end;
	struct search_row *rows;	/* SEARCH_TOTAL_MAX + 1 of them, for
					   search_all; kept between queries */
	sqlite3_int64	*trows;		/* the same, for titles_all */
	struct catalog_text *text;	/* to unpack the bodies */
	struct buf	 body;		/* a hit's body */
	struct buf	 urlpath;	/* a hit's path */
	struct timespec	 deadline;	/* of the query running */
	int		 timed_out;
};

/*
 * The order of hits: articles with every word of the query in their
 * title, then those with some of them there, then the rest; newest
 * first within each tier (this is a news site, and the reader who
 * wants older news adds a word). Each tier is its own MATCH, and the
 * FTS rowid is a key in date order, negated (catalog.h), so FTS5 walks
 * each doclist newest first and stops when the page is full: a common
 * word at 100,000 articles costs a millisecond. (A tier with fewer
 * rows than the page still walks the query's doclists to their end, as
 * a count would.) Ranking every match by bm25() instead cost a tenth
 * of a second.
 */
static const char search_page_sql[] =
	"SELECT -r, a.urlpath, a.src, t FROM (SELECT rowid AS r,"
	" bantin_tier(fts) AS t FROM fts"
	" WHERE fts MATCH ?1 ORDER BY rowid LIMIT ?2 OFFSET ?3)"
	" JOIN article AS a ON a.key = -r ORDER BY r";
/*
 * The first walk over the hits, the newest SEARCH_TOTAL_MAX + 1 of
 * them: their keys and tiers (bantin_tier(), search_tier). That many
 * are sorted in a moment, so a query with fewer hits is ranked from
 * this walk alone and never opens another FTS5 cursor (those are most
 * of a search over a small site); a query with more has its total
 * "more than", and its page is made of these rows as far as they hold
 * it (tiers_page), else asked tier by tier with search_page_sql.
 */
static const char search_all_sql[] =
	"SELECT -rowid, bantin_tier(fts) FROM fts WHERE fts MATCH ?1"
	" ORDER BY rowid LIMIT ?2";
/*
 * The first tier (every word in the title) from the titles' index
 * (catalog.c), read once, newest first, up to SEARCH_TOTAL_MAX + 1
 * rows, from the key ?3 down (older than the hits of the first walk,
 * which said the tier of each). The same on fts, a column filter,
 * reads the positions of every article that matches to find the few
 * whose title does (15 ms for a common query at 100,000 articles, 0.1
 * ms here). This index knows nothing of the body: where the first
 * match there is, the excerpt finds (phrase_at).
 */
static const char search_tall_sql[] =
	"SELECT -rowid FROM titles WHERE titles MATCH ?1 AND rowid > -?3"
	" ORDER BY rowid LIMIT ?2";
/*
 * The second tier (some words in the title) holds only articles with
 * a title that matches some word and not all: when none does, the
 * tier is empty, and its query would walk every match to say so.
 */
static const char search_tany_sql[] =
	"SELECT 1 FROM titles WHERE titles MATCH ?1 LIMIT 1";
static const char search_art_sql[] =
	"SELECT urlpath, src FROM article WHERE key = ?1";
/*
 * The size of a tier a page lies beyond, counted up to ?2 only. (The
 * total is counted so too: an exact count walks every doclist of the
 * query, 3 to 15 ms for a common word at 100,000 articles, to print a
 * number nobody pages through; "more than 1000" says as much.)
 */
static const char search_count_sql[] =
	"SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ?1 LIMIT ?2)";
/*
 * The excerpt is cut from the body by excerpt_make(), not by FTS5's
 * snippet(): snippet() runs the MATCH again for every hit and
 * tokenizes the whole body to score windows, which made a search cost
 * milliseconds (and the index keeps no text to give it). Reading the
 * body by key is a plain lookup and an unpacking (catalog.h); where the
 * first match in the body is, bantin_tier() already said (as a token
 * number), so the tokenizer counts up to it, and a hit whose words are
 * only in its title is not tokenized at all.
 */
static const char search_snip_sql[] =
	"SELECT text FROM text WHERE key = ?1";

/* every statement a connection prepares, and where it goes */
static const struct {
	size_t		 off;
	const char	*sql;
} search_stmts[] = {
	{ offsetof(struct search, st_page), search_page_sql },
	{ offsetof(struct search, st_all), search_all_sql },
	{ offsetof(struct search, st_art), search_art_sql },
	{ offsetof(struct search, st_snip), search_snip_sql },
	{ offsetof(struct search, st_count), search_count_sql },
	{ offsetof(struct search, st_tall), search_tall_sql },
	{ offsetof(struct search, st_tany), search_tany_sql },
	{ offsetof(struct search, st_begin), "BEGIN" },
	{ offsetof(struct search, st_end), "COMMIT" },
};

static sqlite3_stmt **
stmt_at(struct search *s, size_t i)
{
	return (sqlite3_stmt **)((char *)s + search_stmts[i].off);
}

struct search_row {
	sqlite3_int64	 key;		/* the FTS rowid, article.fkey */
	int		 tier;		/* 0 to 2, search_tier */
	int		 at;		/* the first match in the body, as a
					   token number; -1: none there;
					   AT_FIND: not known yet */
};
#define AT_FIND		-2

/* A tier of the ranking: its FTS5 expression (the first one's is
 * asked of the titles' index, the others' of fts). */
struct tier {
	const char	*e;
	const char	*unless;	/* empty unless a title matches this */
};
#define TIERS_MAX	3

/* The query's phrases as the index has their words: folded tokens,
 * NUL-ended, one after the other in toks. */
struct phrases {
	struct buf	 toks;
	struct {
		size_t	 off;		/* the first token in toks */
		size_t	 ntok;
		int	 prefix;	/* the last one is a prefix */
		size_t	 eoff, elen;	/* the term in the expression */
	}		 p[SEARCH_WORDS_MAX];
	size_t		 n;
};

/* bantin_tier()'s value: the tier in its low two bits, at + 1 above */
#define TIER_OF(v)	((int)((v) & 3))
#define AT_OF(v)	((int)((v) >> 2) - 1)

struct expr {
	struct buf	*out;
	const char	*sep;		/* between terms: " AND " or " OR " */
	const char	*seg;		/* the segment being tokenized */
	size_t		 nwords;	/* in the whole query */
	size_t		 termwords;	/* in this term */
	size_t		 last_end;	/* end of the last word in seg */
	size_t		 last_chars;	/* its length folded, in characters */
	struct {
		size_t	 off, len;	/* a term in out */
	}		 terms[SEARCH_WORDS_MAX];
	size_t		 nterms;
	struct phrases	*ph;		/* the terms' tokens, or NULL */
	int		 oom;
};

static int	 search_progress(void *);
static int	 is_space(int);
static int	 is_quote(int);
static int	 expr_word(void *, const char *, size_t, size_t, size_t);
static int	 expr_term(struct expr *, const char *, size_t, int);
static void	 expr_undo(struct expr *, size_t);
static int	 expr_build(struct buf *, const char *, const char *,
		    size_t *, struct phrases *, const char **);
static int	 tiers_make(struct buf *, const char *, const char *,
		    size_t, struct tier *, size_t *);
static int	 tiers_page(struct search *, search_resolve_fn *, void *,
		    const struct tier *, size_t, const char *,
		    const struct search_row *, size_t, size_t, size_t,
		    struct search_hit *, struct search_row *, size_t *);
static int	 pairs_make(struct buf *, const char *,
		    const struct phrases *);
static int	 titles_all(struct search *, const char *, sqlite3_int64,
		    sqlite3_int64 *, size_t *);
static int	 search_all(struct search *, const char *, size_t,
		    struct search_row *, size_t *);
static int	 row_cmp(const void *, const void *);
static int	 rows_page(struct search *, search_resolve_fn *, void *,
		    const struct search_row *, size_t, struct search_hit *,
		    struct search_row *, size_t *);
static int	 tier_page(struct search *, search_resolve_fn *, void *,
		    const struct tier *, size_t, size_t, struct search_hit *,
		    struct search_row *, size_t *, size_t *);
static int	 tier_none(struct search *, const struct tier *);
static int	 search_tier_register(sqlite3 *);
static const struct article *row_resolve(struct search *,
		    search_resolve_fn *, void *, sqlite3_stmt *, int);
static void	 search_tier(const Fts5ExtensionApi *, Fts5Context *,
		    sqlite3_context *, int, sqlite3_value **);
static void	 search_end(struct search *);
static int	 tier_count(struct search *, const struct tier *, size_t,
		    size_t *);
static int	 phrase_at(const char *, const struct phrases *);
static int	 phrase_token(void *, const char *, size_t, size_t, size_t);
static char	*excerpt_clean(const char *);
static int	 search_connect(struct search *, char *, size_t);
static void	 search_disconnect(struct search *);
static sqlite3_stmt **stmt_at(struct search *, size_t);
static char	*excerpt_make(const char *, int);
static int	 excerpt_token(void *, const char *, size_t, size_t, size_t);
static const struct article *site_resolve(void *, const char *,
		    const char *);

struct search *
search_open(const char *dbpath, char *err, size_t errlen)
{
	struct search	*s;

	if ((s = search_lazy(dbpath)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (search_connect(s, err, errlen) == -1) {
		search_close(s);
		return NULL;
	}
	return s;
}

/*
 * A handle that opens the database at its first query: a worker that
 * is never asked to search never pays for SQLite's schema and page
 * cache (a few hundred KB each).
 */
struct search *
search_lazy(const char *dbpath)
{
	struct search	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->path = strdup(dbpath)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

static int
search_connect(struct search *s, char *err, size_t errlen)
{
	const char	*dbpath = s->path;
	size_t		 i;
	int		 rc;

	catalog_library();
	if ((s->text = catalog_text_new()) == NULL ||
	    (s->rows = malloc((SEARCH_TOTAL_MAX + 1) * sizeof(*s->rows))) ==
	    NULL || (s->trows = malloc((SEARCH_TOTAL_MAX + 1) *
	    sizeof(*s->trows))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = sqlite3_open_v2(dbpath, &s->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dbpath, s->db ?
		    sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	/* a checkpoint by the master can hold readers back briefly */
	sqlite3_busy_timeout(s->db, 1000);
	/* bounded page cache per worker (KiB): memory is the scarce part */
	sqlite3_exec(s->db, "PRAGMA cache_size = -" SEARCH_CACHE_KB, NULL,
	    NULL, NULL);
	sqlite3_progress_handler(s->db, 10000, search_progress, s);
	if (catalog_tokenizer_register(s->db) == -1) {
		snprintf(err, errlen, "%s: no FTS5 tokenizer", dbpath);
		goto fail;
	}
	if (search_tier_register(s->db) == -1) {
		snprintf(err, errlen, "%s: no FTS5 functions", dbpath);
		goto fail;
	}
	for (i = 0; i < sizeof(search_stmts) / sizeof(search_stmts[0]);
	    i++)
		if (sqlite3_prepare_v3(s->db, search_stmts[i].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, stmt_at(s, i), NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", dbpath,
			    sqlite3_errmsg(s->db));
			goto fail;
		}
	return 0;
fail:
	search_disconnect(s);
	return -1;
}

/* Finalize the statements and close the database; s stays usable. */
static void
search_disconnect(struct search *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(search_stmts) / sizeof(search_stmts[0]);
	    i++) {
		sqlite3_finalize(*stmt_at(s, i));
		*stmt_at(s, i) = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
	free(s->rows);
	s->rows = NULL;
	free(s->trows);
	s->trows = NULL;
	catalog_text_free(s->text);
	s->text = NULL;
	buf_free(&s->body);
	buf_free(&s->urlpath);
}

/*
 * A worker serves its other clients only between queries: a query
 * that runs too long (common words on a very large site) is stopped.
 */
static int
search_progress(void *arg)
{
	struct search	*s = arg;
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > s->deadline.tv_sec || (now.tv_sec ==
	    s->deadline.tv_sec && now.tv_nsec > s->deadline.tv_nsec)) {
		s->timed_out = 1;
		return 1;
	}
	return 0;
}

void
search_close(struct search *s)
{
	if (s == NULL)
		return;
	search_disconnect(s);
	free(s->path);
	free(s);
}

/*
 * The query language.
 */

static int
is_space(int cp)
{
	/* invalid bytes and control characters separate like spaces */
	if (cp < 0x21 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 1;
	if (cp == 0x2028 || cp == 0x2029)
		return 1;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static int
is_quote(int cp)
{
	/* phone keyboards type curly quotes: “chi bộ” is a phrase too */
	return cp == '"' || cp == 0x201c || cp == 0x201d || cp == 0x201e;
}

static int
expr_word(void *arg, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct expr	*x = arg;
	size_t		 i;

	if (x->nwords >= SEARCH_WORDS_MAX)
		return 1;			/* the rest is ignored */
	if (buf_puts(x->out, x->termwords == 0 ? "\"" : " ") == -1)
		goto oom;
	/*
	 * Write the reader's word, not the folded token: the tokenizer
	 * splits it again exactly as it split the documents. A word holds
	 * no quote, but double any to keep the string closed regardless.
	 */
	for (i = start; i < end; i++) {
		if (x->seg[i] == '"' && buf_putc(x->out, '"') == -1)
			goto oom;
		if (buf_putc(x->out, x->seg[i]) == -1)
			goto oom;
	}
	if (x->ph != NULL) {
		if (buf_append(&x->ph->toks, tok, toklen) == -1 ||
		    buf_putc(&x->ph->toks, '\0') == -1)
			goto oom;
		x->ph->p[x->nterms].ntok++;
	}
	x->nwords++;
	x->termwords++;
	x->last_end = end;
	x->last_chars = 0;
	for (i = 0; i < toklen; i++)
		if (((unsigned char)tok[i] & 0xc0) != 0x80)
			x->last_chars++;
	return 0;
oom:
	x->oom = 1;
	return 1;
}

/* Forget what was written since mark. */
static void
expr_undo(struct expr *x, size_t mark)
{
	x->out->len = mark;
	if (x->out->data != NULL)
		x->out->data[mark] = '\0';
	if (x->ph != NULL) {
		x->ph->toks.len = x->ph->p[x->nterms].off;
		x->ph->p[x->nterms].ntok = 0;
	}
}

/*
 * One term: the words of seg[0..len) as an FTS5 string, which FTS5
 * reads as a phrase when it holds several ("covid-19", "a:b", or
 * a quoted "chi bộ"), then " *" for a prefix. Terms are AND-ed.
 * Segments without words vanish, and so do repeated terms.
 */
static int
expr_term(struct expr *x, const char *seg, size_t len, int star_after)
{
	size_t	 mark = x->out->len, start, i;
	int	 prefix, rc;

	if (x->nterms > 0 && buf_puts(x->out, x->sep) == -1)
		return -1;
	start = x->out->len;
	if (x->ph != NULL) {
		x->ph->p[x->nterms].off = x->ph->toks.len;
		x->ph->p[x->nterms].ntok = 0;
	}
	x->seg = seg;
	x->termwords = 0;
	x->last_end = 0;
	x->last_chars = 0;
	rc = catalog_tokenize(seg, len, expr_word, x);
	if (x->oom || rc == -1)
		return -1;
	if (x->termwords == 0) {
		expr_undo(x, mark);
		return 0;
	}
	/*
	 * A prefix of one letter matches a good part of the dictionary
	 * and is slow to merge: it is the letter alone. Longer ones are
	 * merged from the dictionary's words (catalog.c keeps no prefix
	 * index in fts).
	 */
	prefix = (star_after || (x->last_end < len &&
	    seg[x->last_end] == '*')) && x->last_chars >= 2 && rc == 0;
	if (buf_puts(x->out, prefix ? "\" *" : "\"") == -1)
		return -1;
	for (i = 0; i < x->nterms; i++) {
		if (x->terms[i].len == x->out->len - start &&
		    memcmp(x->out->data + x->terms[i].off, x->out->data + start,
		    x->terms[i].len) == 0) {
			expr_undo(x, mark);
			return 0;
		}
	}
	x->terms[x->nterms].off = start;
	x->terms[x->nterms].len = x->out->len - start;
	if (x->ph != NULL) {
		x->ph->p[x->nterms].prefix = prefix;
		x->ph->p[x->nterms].eoff = start;
		x->ph->p[x->nterms].elen = x->out->len - start;
		x->ph->n = x->nterms + 1;
	}
	x->nterms++;
	return 0;
}

int
search_match_expr(struct buf *out, const char *q, const char **errstr)
{
	size_t	 nterms;

	if (expr_build(out, q, " AND ", &nterms, NULL, errstr) == -1)
		return -1;
	if (nterms == 0) {
		*errstr = "empty query";
		return -1;
	}
	return 0;
}

/*
 * The terms of q joined by sep into out; their number in *nterms, and
 * their tokens in ph unless it is NULL. A query without a word ("*", a
 * lone quote, punctuation) has none: 0 terms and nothing written,
 * which is no error but a query that matches nothing. -1 only for a
 * query too long or out of memory.
 */
static int
expr_build(struct buf *out, const char *q, const char *sep, size_t *nterms,
    struct phrases *ph, const char **errstr)
{
	struct expr	 x;
	size_t		 len, i, n, start, ncp = 0;
	int		 cp, star;

	len = strlen(q);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(q + i, len - i, &cp);
		if (++ncp > SEARCH_QUERY_MAX) {
			*errstr = "query too long";
			return -1;
		}
	}
	memset(&x, 0, sizeof(x));
	x.out = out;
	x.sep = sep;
	x.ph = ph;
	for (i = 0; i < len && x.nwords < SEARCH_WORDS_MAX; ) {
		n = utf8_decode(q + i, len - i, &cp);
		if (is_quote(cp)) {
			/* a phrase, to the next quote or to the end */
			start = i += n;
			while (i < len) {
				n = utf8_decode(q + i, len - i, &cp);
				if (is_quote(cp))
					break;
				i += n;
			}
			star = 0;
			if (i < len && i + n < len && q[i + n] == '*')
				star = 1;
			if (expr_term(&x, q + start, i - start, star) == -1)
				goto oom;
			if (i < len)
				i += n;
		} else if (is_space(cp))
			i += n;
		else {
			/* a word, or words joined by punctuation */
			start = i;
			while (i < len) {
				n = utf8_decode(q + i, len - i, &cp);
				if (is_space(cp) || is_quote(cp))
					break;
				i += n;
			}
			if (expr_term(&x, q + start, i - start, 0) == -1)
				goto oom;
		}
	}
	*nterms = x.nterms;
	return 0;
oom:
	*errstr = "out of memory";
	return -1;
}

/*
 * Queries.
 */

struct site_arg {
	const struct site	*site;
};

static const struct article *
site_resolve(void *arg, const char *urlpath, const char *src)
{
	struct site_arg		*sa = arg;
	struct site_node	 node;

	(void)src;
	if (site_find(sa->site, urlpath, &node) != SITE_ARTICLE)
		return NULL;
	return node.art;
}

int
search_query(struct search *s, const struct site *site, const char *query,
    int page, struct search_hit **hits, size_t *nhits, size_t *total,
    const char **errstr)
{
	struct site_arg	 sa;

	sa.site = site;
	return search_query_with(s, site_resolve, &sa, query, page, hits,
	    nhits, total, errstr);
}

int
search_query_with(struct search *s, search_resolve_fn *resolve, void *arg,
    const char *query, int page, struct search_hit **hits, size_t *nhits,
    size_t *total, const char **errstr)
{
	struct buf		 expr = BUF_INIT, any = BUF_INIT, tiers = BUF_INIT;
	struct buf		 pairs = BUF_INIT;
	struct phrases		 ph;
	struct tier		 tier[TIERS_MAX];
	struct search_hit	*h = NULL;
	struct search_row	*all = NULL, rows_out[SEARCH_PER_PAGE];
	const char		*snip;
	const void		*blob;
	size_t			 skip, count = 0, n = 0, i;
	size_t			 nterms, ntiers, served, want, gone = 0;
	int			 rc, at;

	*hits = NULL;
	*nhits = 0;
	*total = 0;
	*errstr = NULL;
	memset(&ph, 0, sizeof(ph));
	if (expr_build(&expr, query, " AND ", &nterms, &ph, errstr) == -1)
		goto fail;
	if (nterms == 0) {
		/* nothing to look for: no hits, not an error */
		buf_free(&expr);
		buf_free(&ph.toks);
		return 0;
	}
	if (s == NULL) {
		*errstr = "search unavailable";
		goto fail;
	}
	if (s->db == NULL) {
		char	 err[512];

		if (search_connect(s, err, sizeof(err)) == -1) {
			log_warnx("search: %s", err);
			*errstr = "search unavailable";
			goto fail;
		}
	}
	if (page < 1)
		page = 1;
	skip = (size_t)(page - 1) * SEARCH_PER_PAGE;
	all = s->rows;		/* search_connect made them */
	if ((h = calloc(SEARCH_PER_PAGE, sizeof(*h))) == NULL ||
	    expr_build(&any, query, " OR ", &nterms, NULL, errstr) == -1 ||
	    tiers_make(&tiers, expr.data, any.data, nterms, tier,
	    &ntiers) == -1) {
		*errstr = "out of memory";
		goto fail;
	}
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	s->deadline.tv_sec += SEARCH_TIME_MAX / 1000;
	s->deadline.tv_nsec += (SEARCH_TIME_MAX % 1000) * 1000000L;
	if (s->deadline.tv_nsec >= 1000000000L) {
		s->deadline.tv_sec++;
		s->deadline.tv_nsec -= 1000000000L;
	}
	s->timed_out = 0;

	/*
	 * One read transaction for the whole query: each statement on
	 * its own would take and drop the file's read lock and look at
	 * the WAL again (a third of a search over a small site), and all
	 * of them see the same catalog.
	 */
	rc = sqlite3_step(s->st_begin);
	sqlite3_reset(s->st_begin);
	if (rc != SQLITE_DONE)
		goto dberr;
	if (search_all(s, expr.data, expr.len, all, &count) == -1)
		goto dberr;
	served = count < SEARCH_TOTAL_MAX ? count : SEARCH_TOTAL_MAX;
	want = skip < served ? served - skip : 0;
	if (want > SEARCH_PER_PAGE)
		want = SEARCH_PER_PAGE;
	if (want > 0 && count <= SEARCH_TOTAL_MAX) {
		/* few enough hits to sort them all at once */
		qsort(all, count, sizeof(*all), row_cmp);
		if (rows_page(s, resolve, arg, all + skip, want, h, rows_out,
		    &n) == -1)
			goto dberr;
		gone = want;
	} else if (want > 0) {
		if (pairs_make(&pairs, expr.data, &ph) == -1) {
			*errstr = "out of memory";
			goto fail;
		}
		if (tiers_page(s, resolve, arg, tier, ntiers, pairs.data, all,
		    count, skip, want, h, rows_out, &n) == -1)
			goto dberr;
	}
	/* rows in the catalog, not (or no longer) in the site */
	if (count <= SEARCH_TOTAL_MAX)
		count -= gone - n < count ? gone - n : count;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s->st_snip, 1, rows_out[i].key);
		rc = sqlite3_step(s->st_snip);
		snip = "";
		if (rc == SQLITE_ROW && (blob = sqlite3_column_blob(s->st_snip,
		    0)) != NULL && catalog_text_get(s->text, &s->body, blob,
		    (size_t)sqlite3_column_bytes(s->st_snip, 0),
		    sqlite3_column_type(s->st_snip, 0) == SQLITE_BLOB) == 0)
			snip = s->body.data;
		at = rows_out[i].at;
		if (at == AT_FIND)
			at = phrase_at(snip, &ph);
		h[i].excerpt = excerpt_make(snip, at);
		sqlite3_reset(s->st_snip);
		sqlite3_clear_bindings(s->st_snip);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto dberr;
		if (h[i].excerpt == NULL) {
			*errstr = "out of memory";
			goto fail;
		}
	}
	search_end(s);
	buf_free(&expr);
	buf_free(&any);
	buf_free(&tiers);
	buf_free(&pairs);
	buf_free(&ph.toks);
	if (n == 0) {
		free(h);
		h = NULL;
	}
	*hits = h;
	*nhits = n;
	*total = count;
	return 0;
dberr:
	if (s->timed_out) {
		log_info("search: [%s] stopped after %d ms", expr.data,
		    SEARCH_TIME_MAX);
		*errstr = "query too slow";
	} else {
		log_warnx("search: [%s]: %s", expr.data,
		    sqlite3_errmsg(s->db));
		*errstr = "database error";
	}
fail:
	search_end(s);
	search_hits_free(h, SEARCH_PER_PAGE);
	buf_free(&expr);
	buf_free(&any);
	buf_free(&tiers);
	buf_free(&pairs);
	buf_free(&ph.toks);
	return -1;
}

/*
 * bantin_tier(fts): the tier, 0 if every phrase of the query is in the
 * title, 1 if some are, 2 if none is (the tiers of search_page_sql's
 * order); and where the first phrase in the body starts, as a token
 * number, for the excerpt. TIER_OF and AT_OF take them apart.
 */
static void
search_tier(const Fts5ExtensionApi *api, Fts5Context *fc,
    sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	Fts5PhraseIter	 it;
	int		 i, np, col, off, in_title = 0, at = -1;

	(void)argc;
	(void)argv;
	np = api->xPhraseCount(fc);
	for (i = 0; i < np; i++) {
		/* instances come in column order: the title's first */
		if (api->xPhraseFirst(fc, i, &it, &col, &off) != SQLITE_OK) {
			sqlite3_result_error_code(ctx, SQLITE_ERROR);
			return;
		}
		if (col == 0 && off >= 0)
			in_title++;
		while (col == 0)
			api->xPhraseNext(fc, &it, &col, &off);
		if (col == 1 && off >= 0 && (at == -1 || off < at))
			at = off;
	}
	sqlite3_result_int64(ctx, (sqlite3_int64)(at + 1) * 4 +
	    (in_title == np ? 0 : in_title > 0 ? 1 : 2));
}

static int
search_tier_register(sqlite3 *db)
{
	fts5_api	*api;

	if ((api = catalog_fts5(db)) == NULL ||
	    api->xCreateFunction(api, "bantin_tier", NULL,
	    search_tier, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

/* End the query's read transaction, if one is open. */
static void
search_end(struct search *s)
{
	int	 rc;

	if (s == NULL || s->db == NULL || sqlite3_get_autocommit(s->db))
		return;
	rc = sqlite3_step(s->st_end);
	sqlite3_reset(s->st_end);
	if (rc != SQLITE_DONE)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * The tiers of the ranking, their expressions written to t: every
 * term in the title (asked of the titles' index); some of them there
 * (only for several terms; empty unless a title has some and not
 * all); none there. all is the query's terms AND-ed, any OR-ed.
 */
static int
tiers_make(struct buf *t, const char *all, const char *any, size_t nterms,
    struct tier *tier, size_t *ntiers)
{
	size_t	 off[TIERS_MAX + 1], i, n = 0;

	buf_reset(t);
	off[n++] = t->len;
	if (buf_printf(t, "%s", all) == -1 || buf_putc(t, '\0') == -1)
		return -1;
	if (nterms > 1) {
		off[n++] = t->len;
		if (buf_printf(t, "((%s) AND ({title} : (%s)))"
		    " NOT ({title} : (%s))", all, any, all) == -1 ||
		    buf_putc(t, '\0') == -1)
			return -1;
		off[TIERS_MAX] = t->len;
		if (buf_printf(t, "(%s) NOT (%s)", any, all) == -1 ||
		    buf_putc(t, '\0') == -1)
			return -1;
	}
	off[n++] = t->len;
	if (buf_printf(t, "(%s) NOT ({title} : (%s))", all, any) == -1 ||
	    buf_putc(t, '\0') == -1)
		return -1;
	for (i = 0; i < n; i++) {
		tier[i].e = t->data + off[i];
		tier[i].unless = i == 1 && n == 3 ? t->data + off[TIERS_MAX] :
		    NULL;
	}
	*ntiers = n;
	return 0;
}

/*
 * For a query of three terms or more, the pairs of its terms furthest
 * apart (the first and the last, the second and the last but one),
 * NUL-ended one after the other in p, the last followed by an empty
 * one, as FTS5 expressions. "Every word in the title" of a long query
 * is rare, and an AND of many words costs FTS5 each word's advance at
 * each candidate: a pair of them that no title holds together says
 * there is none for a fraction of it (a query of twelve words at
 * 1,000,000 articles: 27 ms for the twelve, 3 ms for a pair). Words
 * far apart in a query are the least likely to come together.
 */
static int
pairs_make(struct buf *p, const char *e, const struct phrases *ph)
{
	size_t	 i, j;

	buf_reset(p);
	for (i = 0, j = ph->n; ph->n >= 3 && i < 2 && i + 1 < j - 1; i++, j--)
		if (buf_append(p, e + ph->p[i].eoff, ph->p[i].elen) == -1 ||
		    buf_puts(p, " AND ") == -1 || buf_append(p,
		    e + ph->p[j - 1].eoff, ph->p[j - 1].elen) == -1 ||
		    buf_putc(p, '\0') == -1)
			return -1;
	return buf_putc(p, '\0');
}

/* 1 if the tier is empty as its titles say, 0 if it may not be, -1 on a
 * database error. */
static int
tier_none(struct search *s, const struct tier *t)
{
	int	 rc;

	if (t->unless == NULL)
		return 0;
	sqlite3_bind_text(s->st_tany, 1, t->unless, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->st_tany);
	sqlite3_reset(s->st_tany);
	sqlite3_clear_bindings(s->st_tany);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

/*
 * The hits of e, up to SEARCH_TOTAL_MAX + 1, into all; *count of
 * them. 0, or -1 on a database error.
 */
static int
search_all(struct search *s, const char *e, size_t len,
    struct search_row *all, size_t *count)
{
	sqlite3_stmt	*st = s->st_all;
	int		 rc;

	*count = 0;
	sqlite3_bind_text(st, 1, e, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, SEARCH_TOTAL_MAX + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    *count <= SEARCH_TOTAL_MAX) {
		all[*count].key = sqlite3_column_int64(st, 0);
		all[*count].tier = TIER_OF(sqlite3_column_int64(st, 1));
		all[*count].at = AT_OF(sqlite3_column_int64(st, 1));
		(*count)++;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The ranking: tier, then newest (the greatest key) first. */
static int
row_cmp(const void *a, const void *b)
{
	const struct search_row	*x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	return x->key > y->key ? -1 : x->key < y->key;
}

/*
 * The article of the row st is on, its urlpath and src in columns col
 * and col + 1: resolved by the caller's resolve. The catalog keeps no
 * urlpath that is the source's path without its extension.
 */
static const struct article *
row_resolve(struct search *s, search_resolve_fn *resolve, void *arg,
    sqlite3_stmt *st, int col)
{
	const char	*urlpath, *src, *dot;

	urlpath = (const char *)sqlite3_column_text(st, col);
	src = (const char *)sqlite3_column_text(st, col + 1);
	if (src == NULL)
		return NULL;
	if (urlpath == NULL) {
		buf_reset(&s->urlpath);
		dot = strrchr(src, '.');
		if (buf_putc(&s->urlpath, '/') == -1 || buf_append(&s->urlpath,
		    src, dot != NULL ? (size_t)(dot - src) : strlen(src)) == -1)
			return NULL;
		urlpath = s->urlpath.data;
	}
	return resolve(arg, urlpath, src);
}

/* The articles of nrows ranked rows, as tier_page() gives them. */
static int
rows_page(struct search *s, search_resolve_fn *resolve, void *arg,
    const struct search_row *r, size_t nrows, struct search_hit *h,
    struct search_row *out, size_t *n)
{
	sqlite3_stmt		*st = s->st_art;
	const struct article	*art;
	size_t			 i;
	int			 rc = SQLITE_DONE;

	for (i = 0; i < nrows && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(st, 1, r[i].key);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if ((art = row_resolve(s, resolve, arg, st, 0)) !=
			    NULL && *n < SEARCH_PER_PAGE) {
				h[*n].art = art;
				out[(*n)++] = r[i];
			}
			rc = SQLITE_DONE;
		}
		sqlite3_reset(st);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * A page of a query with more than SEARCH_TOTAL_MAX hits, skip rows
 * into the ranking: want rows, tier after tier. The first tier is read
 * whole from the titles' index (titles_all; past SEARCH_TOTAL_MAX rows
 * no page is served). all holds the newest count hits with their
 * tiers: a tier's rows among them are its newest, so when they hold
 * the page's rows of a tier, the page takes them; else that tier and
 * the next are asked of the index (tier_page), and their sizes
 * (tier_count) where the page is past them. Before, each tier was
 * asked of the index in turn: the titles were walked up to three
 * times (the page, its size, whether the second tier could have any),
 * and each tier's MATCH again. 0, or -1 on a database error.
 */
static int
tiers_page(struct search *s, search_resolve_fn *resolve, void *arg,
    const struct tier *tier, size_t ntiers, const char *pairs,
    const struct search_row *all, size_t count, size_t skip, size_t want,
    struct search_hit *h, struct search_row *out, size_t *n)
{
	struct search_row	 pg[SEARCH_PER_PAGE];
	size_t			 got = 0, before, nt, i, j, k, rows, size;
	int			 rc, t, seen = 0, none = 0;

	if (want > SEARCH_PER_PAGE)
		want = SEARCH_PER_PAGE;
	/* the first tier: its rows among the newest hits, then the older
	 * ones, unless a pair of words says there are none */
	for (j = nt = 0; j < count; j++)
		if (all[j].tier == 0)
			s->trows[nt++] = all[j].key;
	for (; pairs != NULL && *pairs != '\0' && !none;
	    pairs += strlen(pairs) + 1) {
		j = 0;
		if (titles_all(s, pairs, all[count - 1].key, NULL, &j) == -1)
			return -1;
		none = j == 0;
	}
	if (!none && titles_all(s, tier[0].e, all[count - 1].key, s->trows,
	    &nt) == -1)
		return -1;
	for (j = skip; j < nt && got < want; j++) {
		pg[got].key = s->trows[j];
		pg[got].tier = 0;
		pg[got].at = AT_FIND;
		got++;
	}
	skip = skip > nt ? skip - nt : 0;
	for (i = 1; i < ntiers && got < want; i++) {
		/* the tiers after the first: 1 and 2, or 2 alone */
		t = ntiers == 3 ? (int)i : 2;
		before = got;
		for (j = k = 0; j < count && got < want; j++)
			if (all[j].tier == t && k++ >= skip)
				pg[got++] = all[j];
		if (got == want)
			break;
		/* not in the newest hits: from the index, from here on */
		got = before;
		seen = k > 0;
		break;
	}
	if (rows_page(s, resolve, arg, pg, got, h, out, n) == -1)
		return -1;
	for (; i < ntiers && got < want; i++, seen = 0) {
		if (!seen && (rc = tier_none(s, &tier[i])) == -1)
			return -1;
		if (!seen && rc == 1)
			continue;
		if (tier_page(s, resolve, arg, &tier[i], want - got, skip, h,
		    out, n, &rows) == -1)
			return -1;
		got += rows;
		if (rows > 0)
			skip = 0;
		else if (skip > 0) {
			/* the page is past this tier: how far past? */
			if (tier_count(s, &tier[i], skip, &size) == -1)
				return -1;
			skip -= size;
		}
	}
	return 0;
}

/* The keys of the titles that match e and are older than key, newest
 * first, after the *count in keys, up to SEARCH_TOTAL_MAX + 1 in all;
 * *count is the new number. With keys NULL: whether there is one
 * (*count 0 or 1). 0, or -1 on a database error. */
static int
titles_all(struct search *s, const char *e, sqlite3_int64 key,
    sqlite3_int64 *keys, size_t *count)
{
	sqlite3_stmt	*st = s->st_tall;
	int		 rc;

	sqlite3_bind_text(st, 1, e, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, keys == NULL ? 1 :
	    SEARCH_TOTAL_MAX + 1 - (sqlite3_int64)*count);
	sqlite3_bind_int64(st, 3, key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    *count <= SEARCH_TOTAL_MAX) {
		if (keys != NULL)
			keys[*count] = sqlite3_column_int64(st, 0);
		(*count)++;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* How many articles are in tier t (not the first), up to max; 0 or -1
 * (a database error). */
static int
tier_count(struct search *s, const struct tier *t, size_t max,
    size_t *count)
{
	sqlite3_stmt	*st = s->st_count;
	int		 rc;

	*count = 0;
	sqlite3_bind_text(st, 1, t->e, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*count = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Up to limit rows of tier t, newest first, from its row offset on:
 * those the site knows go to h and ids from *n on. *rows is how many
 * rows there were, known or not. 0, or -1 on a database error.
 */
static int
tier_page(struct search *s, search_resolve_fn *resolve, void *arg,
    const struct tier *t, size_t limit, size_t offset,
    struct search_hit *h, struct search_row *out, size_t *n, size_t *rows)
{
	sqlite3_stmt		*st = s->st_page;
	const struct article	*art;
	int			 rc;

	*rows = 0;
	sqlite3_bind_text(st, 1, t->e, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*rows)++;
		if ((art = row_resolve(s, resolve, arg, st, 1)) == NULL)
			continue;
		if (*n < SEARCH_PER_PAGE) {
			h[*n].art = art;
			out[*n].key = sqlite3_column_int64(st, 0);
			out[*n].at = AT_OF(sqlite3_column_int64(st, 3));
			(*n)++;
		}
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* the tokens of a body, for phrase_at */
struct body_toks {
	struct buf	 toks;		/* NUL-ended, one after the other */
	size_t		*off;		/* where each one starts */
	size_t		 n, cap;
	int		 oom;
};

static int
phrase_token(void *arg, const char *tok, size_t len, size_t start,
    size_t end)
{
	struct body_toks	*b = arg;
	size_t			*v;

	(void)start;
	(void)end;
	if (b->n == b->cap) {
		if ((v = reallocarray(b->off, b->cap ? b->cap * 2 : 256,
		    sizeof(*v))) == NULL)
			goto oom;
		b->off = v;
		b->cap = b->cap ? b->cap * 2 : 256;
	}
	b->off[b->n++] = b->toks.len;
	if (buf_append(&b->toks, tok, len) == -1 ||
	    buf_putc(&b->toks, '\0') == -1)
		goto oom;
	return 0;
oom:
	b->oom = 1;
	return 1;
}

#define SEARCH_PHRASE_SCAN	(64 * 1024)	/* bytes of a body phrase_at
						   reads */

/*
 * Where the first of the query's phrases starts in body, as a token
 * number, as bantin_tier() says it for a hit from fts: the same
 * tokens, and a prefix matches the start of a token. -1: none there.
 */
static int
phrase_at(const char *body, const struct phrases *ph)
{
	struct body_toks	 b;
	const char		*want, *got;
	size_t			 i, j, p, len, best = (size_t)-1;

	memset(&b, 0, sizeof(b));
	/* the excerpt is near the start: a long body's tail is not read
	 * (cut where a character starts) */
	if ((len = strlen(body)) > SEARCH_PHRASE_SCAN) {
		len = SEARCH_PHRASE_SCAN;
		while (len > 0 && ((unsigned char)body[len] & 0xc0) == 0x80)
			len--;
	}
	if (catalog_tokenize(body, len, phrase_token, &b) == -1 ||
	    b.oom)
		goto done;
	for (i = 0; i < ph->n; i++) {
		for (p = 0; p + ph->p[i].ntok <= b.n && p < best; p++) {
			want = ph->toks.data + ph->p[i].off;
			for (j = 0; j < ph->p[i].ntok; j++) {
				got = b.toks.data + b.off[p + j];
				if (j + 1 == ph->p[i].ntok && ph->p[i].prefix ?
				    strncmp(got, want, strlen(want)) != 0 :
				    strcmp(got, want) != 0)
					break;
				want += strlen(want) + 1;
			}
			if (j == ph->p[i].ntok)
				best = p;
		}
	}
done:
	free(b.off);
	buf_free(&b.toks);
	return best == (size_t)-1 ? -1 : (int)best;
}

/* counts tokens up to the one bantin_tier() named */
struct excerpt_find {
	int	 at;		/* the token wanted */
	int	 seen;		/* tokens before this one */
	size_t	 start;		/* its first byte */
};

static int
excerpt_token(void *arg, const char *tok, size_t len, size_t start,
    size_t end)
{
	struct excerpt_find	*f = arg;

	(void)tok;
	(void)len;
	(void)end;
	if (f->seen++ < f->at)
		return 0;
	f->start = start;
	return 1;			/* stop the tokenizer */
}

/*
 * About SEARCH_EXCERPT_BEFORE bytes before token number at (the first
 * match in the body; -1: none, the body's start, past a dateline) and
 * SEARCH_EXCERPT_LEN in all, cut at spaces, on one line: the reader
 * sees the words in their original spelling, diacritics and all.
 */
static char *
excerpt_make(const char *body, int at)
{
	struct excerpt_find	 f;
	struct buf		 b = BUF_INIT;
	size_t			 len = strlen(body), from, to, skip;
	char			*r;

	memset(&f, 0, sizeof(f));
	f.at = at;
	from = 0;
	/* the same tokenizer as the index's, so the same numbers */
	if (at >= 0 && catalog_tokenize(body, len, excerpt_token, &f) == 1 &&
	    f.start > SEARCH_EXCERPT_BEFORE) {
		from = f.start - SEARCH_EXCERPT_BEFORE;
		while (from < f.start && body[from] != ' ' &&
		    body[from] != '\n')
			from++;
		if (from < f.start)
			from++;
	}
	/* a dateline ("21/05/2020 11:15") is no excerpt, unless the
	 * match is in it */
	skip = article_dateline_len(body, len);
	if (from < skip && (at < 0 || f.start >= skip))
		from = skip;
	to = from + SEARCH_EXCERPT_LEN;
	if (to >= len)
		to = len;
	else {
		while (to > from && body[to] != ' ' && body[to] != '\n')
			to--;
		if (to == from)		/* one long word: cut at a character */
			for (to = from + SEARCH_EXCERPT_LEN;
			    to > from && ((unsigned char)body[to] & 0xc0) == 0x80;
			    to--)
				;
	}
	if ((from > 0 && from != skip &&
	    buf_puts(&b, "\xe2\x80\xa6") == -1) ||
	    buf_append(&b, body + from, to - from) == -1 ||
	    (to < len && buf_puts(&b, "\xe2\x80\xa6") == -1)) {
		buf_free(&b);
		return NULL;
	}
	r = excerpt_clean(b.data != NULL ? b.data : "");
	buf_free(&b);
	return r;
}

/* One line for a menu: no control characters, single spaces. */
static char *
excerpt_clean(const char *snip)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	size_t		 i;

	if (utf8_sanitize_line(&a, snip, strlen(snip)) == -1)
		goto fail;
	for (i = 0; i < a.len; i++) {
		if (a.data[i] == ' ' && (b.len == 0 || b.data[b.len - 1] == ' '))
			continue;
		if (buf_putc(&b, a.data[i]) == -1)
			goto fail;
	}
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	buf_free(&a);
	if (b.len == 0) {
		buf_free(&b);
		return strdup("");
	}
	return buf_steal(&b, NULL);
fail:
	buf_free(&a);
	buf_free(&b);
	return NULL;
}

void
search_hits_free(struct search_hit *h, size_t n)
{
	size_t	 i;

	if (h == NULL)
		return;
	for (i = 0; i < n; i++)
		free(h[i].excerpt);
	free(h);
}
