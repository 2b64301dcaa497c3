/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * catalog.c: the persistent catalog in state_dir, an SQLite database
 * with one row of metadata per article source (keyed by its path, with
 * size and mtime) and an FTS5 index over title, body and tags. A scan
 * asks the catalog first, so a restart reads only the files that
 * changed. The catalog is a cache: a damaged or foreign file is moved
 * aside and rebuilt, never a reason to refuse to serve. This file also
 * holds the "bantin" tokenizer that folds case and diacritics for
 * search.c; it knows nothing of the site model, sockets or rendering.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "gemtext.h"
#include "log.h"
#include "utf8.h"

/* Bump when the schema, the tokenizer, the meaning of a column or the
 * conversion of articles (their metadata and text are cached here)
 * changes: an old catalog is then rebuilt instead of misread.
 * 3: mtime in nanoseconds; plain-text titles and sub-headings.
 * 4: the FTS rowid is article.fkey, in date order.
 * 5: the body is indexed without its leading "# title" line.
 * 6: an HTML page's header and footer <div>s are left out.
 * 7: sources an author did not mean to publish are refused (an empty
 *    file, an unclosed "---" header, HTML nested too deep); a byline
 *    is the author of a source that names none; a first paragraph
 *    that repeats the date and author is left out.
 * 8: the offset a date was given with (zone); keys in the site's zone.
 * 9: an article's tags are indexed (the FTS column tags). */
#define CATALOG_VERSION		9
#define CATALOG_APPID		0x62746e63	/* "btnc" */
#define CATALOG_CHECK_ALL	(64LL << 20)	/* bytes; see catalog_try_open */
#define KEY_MINUTE_MAX		(1LL << 50)	/* 2^50 * 4096 < 2^63 */
#define KEY_MINUTES_LENT	1024		/* see catalog_key */

struct catalog {
	sqlite3		*db;
	char		*path;
	long long	 gen;		/* the current scan generation */
	int		 in_scan;	/* between begin and end */
	int		 rebuilding;	/* no recursion from catalog_fail */
	int		 partial;	/* this scan keeps what it does
					   not see (catalog_begin_partial) */
	int		 lost;		/* rebuilt since the last full
					   scan began: entries are missing */
	int		 untidy;	/* the index may have segments to
					   merge (catalog_tidy) */
	sqlite3_stmt	*st_get;	/* metadata if unchanged */
	sqlite3_stmt	*st_seen;	/* mark an id seen in this scan */
	sqlite3_stmt	*st_unseen;	/* forget the last scan's marks */
	sqlite3_stmt	*st_upsert;	/* insert or replace, return id */
	sqlite3_stmt	*st_key_old;	/* an entry's FTS rowid */
	sqlite3_stmt	*st_key_max;	/* the last key used in a minute */
	sqlite3_stmt	*st_fts_del;
	sqlite3_stmt	*st_fts_ins;
	sqlite3_stmt	*st_gc_fts;	/* FTS rows of unseen sources */
	sqlite3_stmt	*st_gc;		/* unseen sources */
	sqlite3_stmt	*st_gen_get;
	sqlite3_stmt	*st_gen_set;
	sqlite3_stmt	*st_forget_fts;	/* a removed source's FTS row */
	sqlite3_stmt	*st_forget;	/* and its entry */
	sqlite3_stmt	*st_merge;	/* a step of catalog_tidy */
};

static const char *catalog_schema =
	"CREATE TABLE article ("
	" id INTEGER PRIMARY KEY,"
	" src TEXT NOT NULL UNIQUE,"		/* the index on src */
	" urlpath TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" mtime INTEGER NOT NULL,"
	" title TEXT, author TEXT, summary TEXT, lang TEXT, tags TEXT,"
	" date INTEGER NOT NULL DEFAULT 0,"
	" has_date INTEGER NOT NULL DEFAULT 0,"
	" has_time INTEGER NOT NULL DEFAULT 0,"
	" zone INTEGER,"			/* seconds east; NULL: none */
	" gen INTEGER NOT NULL DEFAULT 0,"	/* the scan that stored it */
	" fkey INTEGER NOT NULL);"		/* FTS rowid, catalog.h */
	"CREATE UNIQUE INDEX article_fkey ON article (fkey);"
	"CREATE TABLE info (key TEXT PRIMARY KEY, value INTEGER);"
	"INSERT INTO info VALUES ('generation', 0);"
	/* a regular FTS5 table, not a contentless one: it keeps the text
	 * (catalog_plain), which search.c reads back by rowid to cut each
	 * hit's excerpt */
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, tags,"
	" tokenize = 'bantin', prefix = '2 3');"
	/* catalog_tidy merges a level once it holds two segments (FTS5
	 * waits for four); the setting is kept in the file */
	"INSERT INTO fts (fts, rank) VALUES ('usermerge', 2);";

static struct {
	size_t		 off;
	const char	*sql;
} catalog_stmts[] = {
	{ offsetof(struct catalog, st_get),
	    "SELECT id, title, author, summary, lang, tags, date, has_date,"
	    " has_time, zone FROM article"
	    " WHERE src = ?1 AND size = ?2 AND mtime = ?3" },
	{ offsetof(struct catalog, st_seen),
	    "INSERT OR IGNORE INTO temp.seen (id) VALUES (?1)" },
	{ offsetof(struct catalog, st_unseen),
	    "DELETE FROM temp.seen" },
	{ offsetof(struct catalog, st_key_old),
	    "SELECT fkey FROM article WHERE src = ?1" },
	{ offsetof(struct catalog, st_key_max),
	    "SELECT max(fkey) FROM article WHERE fkey BETWEEN ?1 AND ?2" },
	{ offsetof(struct catalog, st_fts_del),
	    "DELETE FROM fts WHERE rowid = ?1" },
	{ offsetof(struct catalog, st_upsert),
	    "INSERT INTO article (src, urlpath, size, mtime, title, author,"
	    " summary, lang, tags, date, has_date, has_time, gen, fkey, zone)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15)"
	    " ON CONFLICT (src) DO UPDATE SET urlpath = excluded.urlpath,"
	    " size = excluded.size, mtime = excluded.mtime,"
	    " title = excluded.title, author = excluded.author,"
	    " summary = excluded.summary, lang = excluded.lang,"
	    " tags = excluded.tags, date = excluded.date,"
	    " has_date = excluded.has_date, has_time = excluded.has_time,"
	    " gen = excluded.gen, fkey = excluded.fkey, zone = excluded.zone"
	    " RETURNING id" },
	{ offsetof(struct catalog, st_fts_ins),
	    "INSERT INTO fts (rowid, title, body, tags)"
	    " VALUES (?1, ?2, ?3, ?4)" },
	{ offsetof(struct catalog, st_gc_fts),
	    "DELETE FROM fts WHERE rowid IN (SELECT fkey FROM article"
	    " WHERE id NOT IN (SELECT id FROM temp.seen))" },
	{ offsetof(struct catalog, st_gc),
	    "DELETE FROM article WHERE id NOT IN (SELECT id FROM temp.seen)" },
	{ offsetof(struct catalog, st_gen_get),
	    "SELECT value FROM info WHERE key = 'generation'" },
	{ offsetof(struct catalog, st_gen_set),
	    "UPDATE info SET value = ?1 WHERE key = 'generation'" },
	{ offsetof(struct catalog, st_forget_fts),
	    "DELETE FROM fts WHERE rowid IN"
	    " (SELECT fkey FROM article WHERE src = ?1)" },
	{ offsetof(struct catalog, st_forget),
	    "DELETE FROM article WHERE src = ?1" },
	{ offsetof(struct catalog, st_merge),
	    "INSERT INTO fts (fts, rank) VALUES ('merge', ?1)" },
};
#define NSTMTS	(sizeof(catalog_stmts) / sizeof(catalog_stmts[0]))

static int	 catalog_try_open(struct catalog *, char *, size_t, int *);
static int	 catalog_setup(struct catalog *, char *, size_t);
static int	 catalog_int(sqlite3 *, const char *, long long *);
static void	 catalog_shut(struct catalog *);
static int	 catalog_move_aside(const char *, char *, size_t);
static int	 catalog_rebuild(struct catalog *, const char *);
static int	 catalog_fail(struct catalog *, const char *, int);
static int	 catalog_damage(int);
static int	 catalog_mark(struct catalog *, long long);
static int	 catalog_plain(struct buf *, const char *, size_t);
static long long catalog_key_base(const struct article_meta *, long long);
static int	 catalog_key(struct catalog *, long long, int, long long,
		    long long *);
static int	 catalog_put1(struct catalog *, const char *, const char *,
		    long long, long long, const struct article_meta *,
		    const struct buf *);
static char	*col_strdup(sqlite3_stmt *, int, int *);
static int	 bind_text(sqlite3_stmt *, int, const char *);
static sqlite3_stmt **stmt_at(struct catalog *, size_t);

/*
 * The tokenizer.
 */

static int	 word_cp_slow(int);

#define WORD_TABLE	0x2000		/* code points with a cached answer */

int
catalog_word_cp(int cp)
{
	static unsigned char	 table[WORD_TABLE / 8];
	static int		 ready;
	int			 i;

	if (cp < 0)
		return 0;
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z');
	if (cp >= WORD_TABLE)
		return word_cp_slow(cp);
	/* the tokenizer asks for every character: answer from a bitmap */
	if (!ready) {
		for (i = 0; i < WORD_TABLE; i++)
			if (word_cp_slow(i))
				table[i / 8] |= (unsigned char)(1 << (i % 8));
		ready = 1;
	}
	return (table[cp / 8] >> (cp % 8)) & 1;
}

static int
word_cp_slow(int cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	/* marks belong to their letter: decomposed "a\u0301" is one word */
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

int
catalog_tokenize(const char *s, size_t len, catalog_token_cb *cb, void *arg)
{
	struct buf	 f = BUF_INIT;
	size_t		 i = 0, start, n, k;
	int		 cp, ascii, rc = 0;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!catalog_word_cp(cp)) {
			i += n;
			continue;
		}
		start = i;
		ascii = 1;
		while (i < len) {
			n = utf8_decode(s + i, len - i, &cp);
			if (!catalog_word_cp(cp))
				break;
			if (cp >= 0x80)
				ascii = 0;
			i += n;
		}
		buf_reset(&f);
		if (ascii) {
			/* what utf8_fold gives for ASCII, without its cost */
			if (buf_reserve(&f, i - start + 1) == -1) {
				rc = -1;
				break;
			}
			for (k = start; k < i; k++) {
				cp = (unsigned char)s[k];
				f.data[f.len++] = (char)(cp >= 'A' && cp <= 'Z' ?
				    cp + 'a' - 'A' : cp);
			}
			f.data[f.len] = '\0';
		} else if (utf8_fold(&f, s + start, i - start) == -1) {
			rc = -1;
			break;
		}
		if (f.len == 0)		/* a lone mark folds to nothing */
			continue;
		if ((rc = cb(arg, f.data, f.len, start, i)) != 0)
			break;
	}
	buf_free(&f);
	return rc;
}

struct fts_ctx {
	void	*pctx;
	int	(*xtoken)(void *, int, const char *, int, int, int);
};

static int
fts_token(void *arg, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct fts_ctx	*c = arg;

	return c->xtoken(c->pctx, 0, tok, (int)toklen, (int)start, (int)end);
}

static int
fts_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv;
	(void)argc;
	/* stateless: any non-NULL handle will do */
	*out = ctx;
	return SQLITE_OK;
}

static void
fts_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/*
 * Documents, queries and prefix queries all tokenize the same way,
 * which is what makes the folding symmetric: "Thạnh*" and "thanh*"
 * both become the prefix "thanh". So the FTS5_TOKENIZE_* flags change
 * nothing here; the prefix flag only tells FTS5 how to use the last
 * token, which we report folded like any other. search.c's excerpts
 * count tokens with catalog_tokenize() too, so the token number FTS5
 * reports for a match is the word the excerpt is cut around.
 */
static int
fts_tokenize(Fts5Tokenizer *t, void *pctx, int flags, const char *text,
    int ntext, int (*xtoken)(void *, int, const char *, int, int, int))
{
	struct fts_ctx	 c;
	int		 rc;

	(void)t;
	(void)flags;
	if (text == NULL || ntext <= 0)
		return SQLITE_OK;
	c.pctx = pctx;
	c.xtoken = xtoken;
	rc = catalog_tokenize(text, (size_t)ntext, fts_token, &c);
	if (rc == -1)
		return SQLITE_NOMEM;
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	return rc;
}

static fts5_tokenizer	fts_tokenizer = {
	fts_create, fts_delete, fts_tokenize
};
static int		fts_handle;	/* the stateless handle */

fts5_api *
catalog_fts5(struct sqlite3 *db)
{
	sqlite3_stmt	*st = NULL;
	fts5_api	*api = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
catalog_tokenizer_register(struct sqlite3 *db)
{
	fts5_api	*api;

	if ((api = catalog_fts5(db)) == NULL || api->iVersion < 2)
		return -1;
	if (api->xCreateTokenizer(api, "bantin", &fts_handle, &fts_tokenizer,
	    NULL) != SQLITE_OK)
		return -1;
	return 0;
}

/*
 * Opening, checking and rebuilding.
 */

/*
 * bantin's processes run no threads, so SQLite's mutexes are off, and
 * so is its count of memory in use (a mutex on every allocation): a
 * new search costs 7 % less (26 against 28 us a query on the capsule).
 * Only before SQLite's first use in the process, which is the master's
 * catalog_open: workers inherit it.
 */
void
catalog_library(void)
{
	static int	 done;

	if (done++ || sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK)
		return;
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct catalog *
catalog_open(const char *dbpath, char *err, size_t errlen)
{
	struct catalog	*cat;
	int		 attempt, damaged;

	catalog_library();
	if ((cat = calloc(1, sizeof(*cat))) == NULL ||
	    (cat->path = strdup(dbpath)) == NULL) {
		snprintf(err, errlen, "%s: %s", dbpath, strerror(errno));
		free(cat);
		return NULL;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		damaged = 0;
		if (catalog_try_open(cat, err, errlen, &damaged) == 0)
			return cat;
		catalog_shut(cat);
		if (!damaged || attempt > 0)
			break;
		/* an older version is not damage, but is rebuilt alike */
		log_warnx("catalog %s: %s (%s), rebuilding", dbpath,
		    strncmp(err, "schema version", 14) == 0 ? "out of date" :
		    "damaged", err);
		if (catalog_move_aside(dbpath, err, errlen) == -1)
			break;
	}
	free(cat->path);
	free(cat);
	return NULL;
}

/*
 * Open and check the file. On failure err says why and *damaged says
 * whether moving the file aside could help.
 */
static int
catalog_try_open(struct catalog *cat, char *err, size_t errlen, int *damaged)
{
	long long	 appid, version, ntables, pages, pagesz;
	sqlite3_stmt	*st = NULL;
	const char	*res;
	char		 pragma[128], *p;
	int		 rc;

	rc = sqlite3_open_v2(cat->path, &cat->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", cat->db ? sqlite3_errmsg(cat->db) :
		    sqlite3_errstr(rc));
		/* a missing directory or no permission: not the file's fault */
		*damaged = rc != SQLITE_CANTOPEN && rc != SQLITE_PERM &&
		    rc != SQLITE_NOMEM;
		return -1;
	}
	sqlite3_busy_timeout(cat->db, 5000);
	if (catalog_tokenizer_register(cat->db) == -1) {
		snprintf(err, errlen, "FTS5 tokenizer: %s",
		    sqlite3_errmsg(cat->db));
		return -1;
	}
	*damaged = 1;
	/* the first read of the header: "file is not a database" here */
	if (catalog_int(cat->db, "PRAGMA application_id", &appid) == -1 ||
	    catalog_int(cat->db, "PRAGMA user_version", &version) == -1 ||
	    catalog_int(cat->db, "SELECT count(*) FROM sqlite_master",
	    &ntables) == -1)
		goto sqlerr;
	if (appid == 0 && version == 0 && ntables == 0) {
		/* a new file */
		if (sqlite3_exec(cat->db, "PRAGMA journal_mode = WAL",
		    NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(cat->db, "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK ||
		    sqlite3_exec(cat->db, catalog_schema, NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto sqlerr;
		rc = snprintf(pragma, sizeof(pragma),
		    "PRAGMA application_id = %d; PRAGMA user_version = %d;"
		    " COMMIT", CATALOG_APPID, CATALOG_VERSION);
		if (rc < 0 || (size_t)rc >= sizeof(pragma) ||
		    sqlite3_exec(cat->db, pragma, NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto sqlerr;
	} else if (appid != CATALOG_APPID) {
		snprintf(err, errlen, "not a bantin catalog");
		return -1;
	} else if (version != CATALOG_VERSION) {
		snprintf(err, errlen, "schema version %lld, want %d", version,
		    CATALOG_VERSION);
		return -1;
	} else {
		if (sqlite3_exec(cat->db, "PRAGMA journal_mode = WAL",
		    NULL, NULL, NULL) != SQLITE_OK)
			goto sqlerr;
		/*
		 * quick_check reads every page (0.25 s for 350 MB with a
		 * warm cache, far longer from an SD card cold). Past
		 * CATALOG_CHECK_ALL only the article table is checked at
		 * start; damage in the index shows as SQLITE_CORRUPT at the
		 * first put, which rebuilds (catalog_fail).
		 */
		if (catalog_int(cat->db, "PRAGMA page_count", &pages) == -1 ||
		    catalog_int(cat->db, "PRAGMA page_size", &pagesz) == -1)
			goto sqlerr;
		if (sqlite3_prepare_v2(cat->db, pages * pagesz <=
		    CATALOG_CHECK_ALL ? "PRAGMA quick_check(1)" :
		    "PRAGMA quick_check(article)", -1, &st, NULL) != SQLITE_OK)
			goto sqlerr;
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			goto sqlerr;
		}
		res = (const char *)sqlite3_column_text(st, 0);
		if (res == NULL || strcmp(res, "ok") != 0) {
			/* its report has newlines: keep the log on one line */
			snprintf(err, errlen, "quick_check: %s",
			    res ? res : "no result");
			for (p = err; *p != '\0'; p++)
				if (*p == '\n' || *p == '\r' || *p == '\t')
					*p = ' ';
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	/*
	 * NORMAL is safe with WAL (a crash may lose the last scan, never
	 * the file). A first scan of a big site writes all of it in one
	 * transaction: cut the WAL back after the checkpoint.
	 */
	if (sqlite3_exec(cat->db, "PRAGMA synchronous = NORMAL;"
	    " PRAGMA journal_size_limit = 67108864", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto sqlerr;
	cat->untidy = 1;	/* a merge may have been cut short */
	return catalog_setup(cat, err, errlen);
sqlerr:
	snprintf(err, errlen, "%s", sqlite3_errmsg(cat->db));
	/* someone else's lock or a full disk is no reason to discard it */
	switch (sqlite3_errcode(cat->db) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_NOMEM:
	case SQLITE_READONLY:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_INTERRUPT:
		*damaged = 0;
		break;
	}
	return -1;
}

/* Prepare the statements; a missing table or column means damage. */
static int
catalog_setup(struct catalog *cat, char *err, size_t errlen)
{
	size_t	 i;

	/*
	 * The ids seen by a scan go to a table in memory, not to a column
	 * of article: marking them there would rewrite every row, and all
	 * of a 100,000-article catalog, at each start (8 times slower).
	 */
	if (sqlite3_exec(cat->db, "PRAGMA temp_store = MEMORY;"
	    " CREATE TEMP TABLE IF NOT EXISTS seen"
	    " (id INTEGER PRIMARY KEY)", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(cat->db));
		return -1;
	}
	for (i = 0; i < NSTMTS; i++) {
		if (sqlite3_prepare_v3(cat->db, catalog_stmts[i].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, stmt_at(cat, i), NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(cat->db));
			return -1;
		}
	}
	return 0;
}

static sqlite3_stmt **
stmt_at(struct catalog *cat, size_t i)
{
	return (sqlite3_stmt **)(void *)((char *)cat + catalog_stmts[i].off);
}

static int
catalog_int(sqlite3 *db, const char *sql, long long *v)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Close the connection and forget the statements; cat stays usable. */
static void
catalog_shut(struct catalog *cat)
{
	size_t	 i;

	for (i = 0; i < NSTMTS; i++) {
		sqlite3_finalize(*stmt_at(cat, i));
		*stmt_at(cat, i) = NULL;
	}
	if (cat->db != NULL)
		sqlite3_close(cat->db);
	cat->db = NULL;
	cat->in_scan = 0;
}

/*
 * Keep the damaged file as path.damaged for a post-mortem, together
 * with its WAL: a stale WAL left beside a new file would be replayed
 * into it. The -shm index is rebuilt from the WAL, so it just goes.
 */
static int
catalog_move_aside(const char *path, char *err, size_t errlen)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char	 from[4096], to[4096];
	size_t	 i;
	int	 r1, r2;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		r1 = snprintf(from, sizeof(from), "%s%s", path, sfx[i]);
		r2 = snprintf(to, sizeof(to), "%s.damaged%s", path, sfx[i]);
		if (r1 < 0 || (size_t)r1 >= sizeof(from) || r2 < 0 ||
		    (size_t)r2 >= sizeof(to)) {
			snprintf(err, errlen, "%s: path too long", path);
			return -1;
		}
		if (unlink(to) == -1 && errno != ENOENT)
			log_warn("catalog: unlink %s", to);
		if (i == 2 || rename(from, to) == -1) {
			if (unlink(from) == -1 && errno != ENOENT) {
				snprintf(err, errlen, "%s: %s", from,
				    strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

/*
 * Damage found in the middle of a scan: start over with an empty
 * catalog in a new transaction. The entries already reported as
 * unchanged are lost, so the next start reads those files again.
 */
static int
catalog_rebuild(struct catalog *cat, const char *why)
{
	char	 err[256];
	int	 damaged = 0, in_scan = cat->in_scan, rc;

	if (cat->rebuilding)	/* the fresh file failed too: give up */
		return -1;
	log_warnx("catalog %s: damaged (%s), rebuilding", cat->path, why);
	catalog_shut(cat);
	if (catalog_move_aside(cat->path, err, sizeof(err)) == -1 ||
	    catalog_try_open(cat, err, sizeof(err), &damaged) == -1) {
		log_warnx("catalog %s: %s", cat->path, err);
		catalog_shut(cat);
		return -1;
	}
	rc = 0;
	if (in_scan) {
		cat->rebuilding = 1;
		rc = catalog_begin(cat);
		cat->rebuilding = 0;
	}
	/* a partial scan cannot fill the new file: the next scan is full */
	cat->lost = 1;
	return rc;
}

/* Run a statement that returns no rows, made ready for its next use;
 * returns the SQLite code (SQLITE_DONE on success). */
static int
stmt_run(sqlite3_stmt *st)
{
	int	 rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Mark an entry seen by this scan; returns the SQLite code. */
static int
catalog_mark(struct catalog *cat, long long id)
{
	sqlite3_bind_int64(cat->st_seen, 1, id);
	return stmt_run(cat->st_seen);
}

static int
catalog_damage(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Report an SQLite error; rebuild if it says the file is damaged. */
static int
catalog_fail(struct catalog *cat, const char *what, int rc)
{
	char	 why[256];

	snprintf(why, sizeof(why), "%s: %s", what, cat->db ?
	    sqlite3_errmsg(cat->db) : sqlite3_errstr(rc));
	if (catalog_damage(rc)) {
		catalog_rebuild(cat, why);
		return -1;
	}
	log_warnx("catalog %s: %s", cat->path, why);
	return -1;
}

void
catalog_close(struct catalog *cat)
{
	if (cat == NULL)
		return;
	if (cat->in_scan && cat->db != NULL)
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	catalog_shut(cat);
	free(cat->path);
	free(cat);
}

/*
 * The scan.
 */

int
catalog_begin(struct catalog *cat)
{
	int	 rc;

	if (cat->db == NULL && catalog_rebuild(cat, "not open") == -1)
		return -1;
	if (cat->in_scan)
		return 0;
	/* a full scan reports every source: it fills a new file */
	if (!cat->rebuilding) {
		cat->partial = 0;
		cat->lost = 0;
	}
	/* IMMEDIATE: take the write lock now, not at the first put */
	rc = sqlite3_exec(cat->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		catalog_fail(cat, "begin", rc);
		return -1;
	}
	cat->in_scan = 1;
	rc = sqlite3_step(cat->st_gen_get);
	cat->gen = rc == SQLITE_ROW ?
	    sqlite3_column_int64(cat->st_gen_get, 0) + 1 : 1;
	sqlite3_reset(cat->st_gen_get);
	if (rc != SQLITE_ROW)
		goto fail;
	sqlite3_bind_int64(cat->st_gen_set, 1, cat->gen);
	if ((rc = stmt_run(cat->st_gen_set)) != SQLITE_DONE ||
	    (rc = stmt_run(cat->st_unseen)) != SQLITE_DONE)
		goto fail;
	return 0;
fail:
	catalog_fail(cat, "generation", rc);
	/* a rebuild (damage) starts the scan over on the new file */
	if (cat->db != NULL && cat->in_scan &&
	    !sqlite3_get_autocommit(cat->db))
		return 0;
	if (cat->db != NULL && !sqlite3_get_autocommit(cat->db))
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	cat->in_scan = 0;
	return -1;
}

int
catalog_end(struct catalog *cat)
{
	int	 rc, partial = cat->partial;

	cat->partial = 0;
	if (cat->db == NULL || !cat->in_scan)
		return -1;
	if (!partial && ((rc = stmt_run(cat->st_gc_fts)) != SQLITE_DONE ||
	    (rc = stmt_run(cat->st_gc)) != SQLITE_DONE))
		goto fail;
	rc = sqlite3_exec(cat->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	cat->in_scan = 0;
	cat->untidy = 1;
	/* the master idles between scans, and its pages are what the
	 * workers inherit: give the page cache back */
	sqlite3_db_release_memory(cat->db);
	return partial && cat->lost ? 1 : 0;
fail:
	/* the scan is over either way; a rebuild must not start another */
	if (!sqlite3_get_autocommit(cat->db))
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	cat->in_scan = 0;
	catalog_fail(cat, "end", rc);
	return partial && cat->lost ? 1 : -1;
}

/*
 * FTS5 writes a new segment of the index at each commit, and also
 * whenever a row's key is lower than the last one written, so a scan
 * that meets articles out of date order (the tree's categories, one
 * after the other) leaves many small ones. A search looks up each word
 * in every segment: the capsule's 30 articles scanned into 15 segments
 * made a search 3.6 times slower than one segment (113 us against
 * 31). FTS5 merges on its own only once a level holds four. Each call
 * merges up to `pages` pages (of about 4 KB) into the next level, so
 * the master can do it between its other work: a level is merged as
 * soon as it holds two segments, leaving one segment a level, the
 * levels growing in size. An article added later makes a small
 * segment that merges with the small ones, not with the whole index.
 */
int
catalog_tidy(struct catalog *cat, int pages)
{
	int	 before, rc;

	if (cat == NULL || cat->db == NULL || !cat->untidy)
		return 0;
	if (cat->in_scan)
		return 1;
	before = sqlite3_total_changes(cat->db);
	sqlite3_bind_int(cat->st_merge, 1, pages);
	if ((rc = stmt_run(cat->st_merge)) != SQLITE_DONE) {
		cat->untidy = 0;	/* no retry loop on a failing file */
		catalog_fail(cat, "merge", rc);
		return -1;
	}
	/* a step with nothing to merge writes nothing */
	if (sqlite3_total_changes(cat->db) - before < 2) {
		cat->untidy = 0;
		sqlite3_db_release_memory(cat->db);
		return 0;
	}
	return 1;
}

/*
 * A scan of what changed since the last one (a reload that kept the
 * rest): catalog_end removes nothing; the caller names each source
 * that went with catalog_forget. 1 if the catalog lost entries (it was
 * rebuilt) since the last full scan: make a full one instead.
 */
int
catalog_begin_partial(struct catalog *cat)
{
	if (cat->lost || cat->db == NULL)
		return 1;
	if (catalog_begin(cat) == -1)
		return -1;
	if (cat->lost) {
		/* rebuilt as the scan began: it is a full one now, and
		 * fills the new file */
		cat->lost = 0;
		return 1;
	}
	cat->partial = 1;
	return 0;
}

int
catalog_forget(struct catalog *cat, const char *src)
{
	int	 rc;

	if (cat->db == NULL || !cat->in_scan)
		return -1;
	sqlite3_bind_text(cat->st_forget_fts, 1, src, -1, SQLITE_STATIC);
	if ((rc = stmt_run(cat->st_forget_fts)) == SQLITE_DONE) {
		sqlite3_bind_text(cat->st_forget, 1, src, -1, SQLITE_STATIC);
		rc = stmt_run(cat->st_forget);
	}
	if (rc != SQLITE_DONE)
		return catalog_fail(cat, "forget", rc);
	return 0;
}

void
catalog_abort(struct catalog *cat)
{
	if (cat == NULL)
		return;
	if (cat->db != NULL && cat->in_scan &&
	    !sqlite3_get_autocommit(cat->db))
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	cat->in_scan = 0;
}

int
catalog_get(struct catalog *cat, const char *src, long long size,
    long long mtime, struct article_meta *meta)
{
	sqlite3_stmt	*st = cat->st_get;
	long long	 id = 0;
	int		 rc, found = 0, oom = 0;

	memset(meta, 0, sizeof(*meta));
	if (cat->db == NULL)
		return -1;
	sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, mtime);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = 1;
		id = sqlite3_column_int64(st, 0);
		meta->title = col_strdup(st, 1, &oom);
		meta->author = col_strdup(st, 2, &oom);
		meta->summary = col_strdup(st, 3, &oom);
		meta->lang = col_strdup(st, 4, &oom);
		meta->tags = col_strdup(st, 5, &oom);
		meta->date = (time_t)sqlite3_column_int64(st, 6);
		meta->has_date = sqlite3_column_int(st, 7);
		meta->has_time = sqlite3_column_int(st, 8);
		if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
			meta->has_zone = 1;
			meta->zone = (long)sqlite3_column_int64(st, 9);
		}
		rc = sqlite3_step(st);		/* src is unique */
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE && found && !oom)
		rc = catalog_mark(cat, id);
	if (oom) {
		article_meta_free(meta);
		memset(meta, 0, sizeof(*meta));
		log_warnx("catalog: out of memory");
		return -1;
	}
	if (rc != SQLITE_DONE) {
		article_meta_free(meta);
		memset(meta, 0, sizeof(*meta));
		catalog_fail(cat, "get", rc);
		/* a rebuilt catalog is empty: the caller reads the file */
		return cat->db != NULL ? 0 : -1;
	}
	return found;
}

static char *
col_strdup(sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char	*s;
	char			*d;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	if ((s = sqlite3_column_text(st, col)) == NULL ||
	    (d = strdup((const char *)s)) == NULL) {
		*oom = 1;
		return NULL;
	}
	return d;
}

static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
catalog_put(struct catalog *cat, const char *src, const char *urlpath,
    long long size, long long mtime, const struct article_meta *meta,
    const char *text, size_t textlen)
{
	struct buf	 plain = BUF_INIT;
	size_t		 skip;
	int		 rc;

	if (cat->db == NULL)
		return -1;
	/* the title is its own column: the body starts after it */
	skip = text != NULL && meta->title != NULL ?
	    gemtext_title_end(text, textlen, meta->title) : 0;
	if (catalog_plain(&plain, text != NULL ? text + skip : NULL,
	    textlen - skip) == -1) {
		log_warnx("catalog: out of memory");
		buf_free(&plain);
		return -1;
	}
	rc = catalog_put1(cat, src, urlpath, size, mtime, meta, &plain);
	if (rc != SQLITE_DONE && catalog_damage(rc)) {
		catalog_fail(cat, "put", rc);
		/* rebuilt: store it in the new file */
		if (cat->db != NULL && cat->in_scan)
			rc = catalog_put1(cat, src, urlpath, size, mtime, meta,
			    &plain);
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

/*
 * The minute of an article's date as the site shows it (in the zone
 * of the scan, article_localize; of the file's mtime when it has none)
 * times CATALOG_KEY_SLOTS. Clamped so that any key fits in 63 bits.
 * A key is made when its entry is stored: after a change of
 * [site] timezone, the keys of unchanged entries dated with an offset
 * or by their mtime stay where the old zone put them.
 */
static long long
catalog_key_base(const struct article_meta *meta, long long mtime)
{
	struct article_meta	 local = *meta;
	long long		 secs, min;

	article_localize(&local, (time_t)(mtime / 1000000000));
	secs = (long long)local.date;
	min = secs >= 0 ? secs / 60 : -((59 - secs) / 60);
	if (min > KEY_MINUTE_MAX)
		min = KEY_MINUTE_MAX;
	if (min < -KEY_MINUTE_MAX)
		min = -KEY_MINUTE_MAX;
	return min * CATALOG_KEY_SLOTS;
}

/*
 * A free key for an entry dated in the minute at base: its old key if
 * that is in the same minute, else the slot after the last one used
 * in that minute. A minute with every slot used (a bulk copy of
 * thousands of undated files) takes the slot after the last key used
 * in the next KEY_MINUTES_LENT minutes: out of order by a few minutes,
 * and still two lookups, not a walk over slots.
 */
static int
catalog_key(struct catalog *cat, long long base, int has_old, long long old,
    long long *key)
{
	sqlite3_stmt	*st = cat->st_key_max;
	long long	 span;
	int		 rc;

	if (has_old && old >= base && old - base < CATALOG_KEY_SLOTS) {
		*key = old;
		return SQLITE_DONE;
	}
	for (span = CATALOG_KEY_SLOTS;; span *= KEY_MINUTES_LENT) {
		sqlite3_bind_int64(st, 1, base);
		sqlite3_bind_int64(st, 2, base + span - 1);
		rc = sqlite3_step(st);
		*key = base;
		if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) !=
		    SQLITE_NULL)
			*key = sqlite3_column_int64(st, 0) + 1;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return rc;
		if (*key - base < span)
			return SQLITE_DONE;
		if (span > CATALOG_KEY_SLOTS)
			return SQLITE_FULL;
	}
}

/* One attempt at a put; returns the SQLite code (SQLITE_DONE is good). */
static int
catalog_put1(struct catalog *cat, const char *src, const char *urlpath,
    long long size, long long mtime, const struct article_meta *meta,
    const struct buf *plain)
{
	sqlite3_stmt	*st;
	long long	 id, key, old = 0;
	int		 rc, has_old = 0;

	/* an FTS5 row cannot be updated in place: delete, then insert */
	st = cat->st_key_old;
	bind_text(st, 1, src);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		has_old = 1;
		old = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);		/* src is unique */
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (has_old) {
		st = cat->st_fts_del;
		sqlite3_bind_int64(st, 1, old);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return rc;
	}
	rc = catalog_key(cat, catalog_key_base(meta, mtime), has_old, old,
	    &key);
	if (rc != SQLITE_DONE)
		return rc;

	st = cat->st_upsert;
	bind_text(st, 1, src);
	bind_text(st, 2, urlpath);
	sqlite3_bind_int64(st, 3, size);
	sqlite3_bind_int64(st, 4, mtime);
	bind_text(st, 5, meta->title);
	bind_text(st, 6, meta->author);
	bind_text(st, 7, meta->summary);
	bind_text(st, 8, meta->lang);
	bind_text(st, 9, meta->tags);
	sqlite3_bind_int64(st, 10, (long long)meta->date);
	sqlite3_bind_int(st, 11, meta->has_date);
	sqlite3_bind_int(st, 12, meta->has_time);
	sqlite3_bind_int64(st, 13, cat->gen);
	sqlite3_bind_int64(st, 14, key);
	if (meta->has_zone)
		sqlite3_bind_int64(st, 15, meta->zone);
	else
		sqlite3_bind_null(st, 15);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE || (rc = catalog_mark(cat, id)) != SQLITE_DONE)
		return rc;

	st = cat->st_fts_ins;
	sqlite3_bind_int64(st, 1, key);
	bind_text(st, 2, meta->title != NULL ? meta->title : "");
	sqlite3_bind_text64(st, 3, plain->data, plain->len, SQLITE_STATIC,
	    SQLITE_UTF8);
	bind_text(st, 4, meta->tags != NULL ? meta->tags : "");
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/*
 * The text that search sees and excerpts come from: gemtext without
 * its markup (link targets, heading marks, fences), one line each.
 */
static int
catalog_plain(struct buf *b, const char *text, size_t len)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;

	if (buf_reserve(b, len + 1) == -1)
		return -1;
	b->data[0] = '\0';
	if (text == NULL)
		return 0;
	gemtext_iter_init(&it, text, len);
	while (gemtext_next(&it, &l)) {
		if (l.type == GEMTEXT_PRE_END || l.textlen == 0)
			continue;
		if (b->len > 0 && buf_putc(b, '\n') == -1)
			return -1;
		if (buf_append(b, l.text, l.textlen) == -1)
			return -1;
	}
	return 0;
}
