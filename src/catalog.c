/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * catalog.c: the persistent catalog in state_dir, an SQLite database
 * with one row of metadata per article source (keyed by its path, with
 * size and mtime), the text search sees (compressed), and FTS5 indexes
 * that keep no copy of the text: over title, body and tags, and over
 * the titles alone. A scan
 * asks the catalog first, so a restart reads only the files that
 * changed. The catalog is a cache: a damaged or foreign file is moved
 * aside and rebuilt, never a reason to refuse to serve; a first build
 * is written to a file of its own and put in place whole. This file
 * also holds the "bantin" tokenizer that folds case and diacritics for
 * search.c; it knows nothing of the site model, sockets or rendering.
 * The bottom of the catalog module: catalog_scan.c starts a scan here,
 * in place, or as a first build by catalog_bulk.c (catalog_int.h).
 *
 *   catalog_scan.c -> catalog_bulk.c -> catalog.c
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <utf8proc.h>
#include <zstd.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "catalog_int.h"
#include "gemtext.h"
#include "log.h"
#include "utf8.h"

/* Bump when the schema, the tokenizer, the meaning of a column or the
 * conversion of articles (their metadata and text are cached here)
 * changes: an old catalog is then rebuilt instead of misread.
 * 3: mtime in nanoseconds; plain-text titles and sub-headings.
 * 4: the FTS rowid is article.fkey, in date order (13: negated).
 * 5: the body is indexed without its leading "# title" line.
 * 6: an HTML page's header and footer <div>s are left out.
 * 7: sources an author did not mean to publish are refused (an empty
 *    file, an unclosed "---" header, HTML nested too deep); a byline
 *    is the author of a source that names none; a first paragraph
 *    that repeats the date and author is left out.
 * 8: the offset a date was given with (zone); keys in the site's zone.
 * 9: an article's tags are indexed (the FTS column tags).
 * 10: the index keeps no text (contentless, prefixes of 3 only); the
 *    text is kept compressed (zstd) in the table text, by key.
 * 11: no author, summary or lang: a snapshot keeps none of them (an
 *    article's page reads them again from its source).
 * 12: the titles have an index of their own (titles).
 * 13: the FTS rowid is the key negated: newest first is FTS5's
 *    ascending order (catalog.h).
 * 14: no prefix index. */
#define CATALOG_VERSION		14
#define CATALOG_APPID		0x62746e63	/* "btnc" */
#define CATALOG_CHECK_ALL	(64LL << 20)	/* bytes; see catalog_try_open */
#define CATALOG_PAGE		"16384"		/* bytes; see the schema */
#define CATALOG_FTS_PAGE	"16000"		/* FTS5's pgsz, to fit one */
#define CATALOG_ZSTD_LEVEL	(-1)		/* see catalog_pack */
#define KEY_MINUTE_MAX		(1LL << 50)	/* 2^50 * 4096 < 2^63 */
#define KEY_MINUTES_LENT	1024		/* see catalog_key */
/*
 * article: one row per source, clustered by its path: a restart looks
 * up each source once, one b-tree descent, in about the order of the
 * rows, and a first build writes them in that order, into full pages.
 * Its key, negated, is the FTS rowid (catalog.h); urlpath is NULL
 * when it is the source's path without its extension, as it is unless
 * a symbolic link made the article.
 * text: by key, the plain text search sees (catalog_plain), packed:
 * the excerpts of search.c, and the old values FTS5's 'delete' needs.
 * (In article's rows it would spill into an overflow page apiece.)
 * fts: contentless, so the text is stored once. It keeps no prefix
 * index (nor does titles): a prefix query walks the dictionary's words
 * that start so and merges their lists, whatever its length. An index
 * of 3-character prefixes served "vac*" in 3 ms instead of 7-37 ms at
 * 100,000 articles, and no other length; it was a third of fts, a
 * quarter of the first build's CPU and 2 s of its 11 (docs/design.md).
 * titles: the titles again, in an index of their own, for search's
 * first tier (every word in the title): a column filter on fts reads
 * the positions of every article that matches to find the few whose
 * title does (15 ms for a common query at 100,000 articles), the
 * titles' index reads only titles (the catalog grows by 5 %).
 * Pages freed by merging the index go back at the end of a first build
 * (incremental_vacuum), and are used again after.
 * Pages of 16 KB, not SQLite's 4 KB, and FTS5 leaves to fill one: the
 * index is mostly long lists, read and merged whole, and a quarter as
 * many pages is a quarter as many b-tree cells to write, look up and
 * copy. At 100,000 articles the first build's index process worked 9 %
 * less (its final merge 1.6 -> 1.25 s) and search's p50 / p99 fell
 * from 2.26 / 6.4 to 2.0 / 5.3 ms. A catalog made before keeps its own
 * size (it is the file's), and works as well.
 */
static const char *catalog_schema =
	"CREATE TABLE article ("
	" src TEXT PRIMARY KEY,"
	" key INTEGER NOT NULL UNIQUE,"
	" urlpath TEXT,"
	" size INTEGER NOT NULL,"
	" mtime INTEGER NOT NULL,"
	" title TEXT, tags TEXT,"
	" date INTEGER NOT NULL DEFAULT 0,"
	" has_date INTEGER NOT NULL DEFAULT 0,"
	" has_time INTEGER NOT NULL DEFAULT 0,"
	" zone INTEGER"				/* seconds east; NULL: none */
	") WITHOUT ROWID;"
	"CREATE TABLE text (key INTEGER PRIMARY KEY,"
	" text BLOB);"				/* or TEXT: text_pack */
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, tags,"
	" content = '', columnsize = 0, tokenize = 'bantin');"
	"CREATE VIRTUAL TABLE titles USING fts5(title,"
	" content = '', columnsize = 0, tokenize = 'bantin');"
	/* catalog_tidy merges a level once it holds two segments (FTS5
	 * waits for four); the setting is kept in the file */
	"INSERT INTO fts (fts, rank) VALUES ('usermerge', 2);"
	"INSERT INTO titles (titles, rank) VALUES ('usermerge', 2);"
	"INSERT INTO fts (fts, rank) VALUES ('pgsz', " CATALOG_FTS_PAGE ");"
	"INSERT INTO titles (titles, rank) VALUES ('pgsz', "
	CATALOG_FTS_PAGE ");";

static struct {
	size_t		 off;
	const char	*sql;
} catalog_stmts[] = {
	{ offsetof(struct catalog, st_get),
	    "SELECT key, title, tags, date, has_date, has_time, zone"
	    " FROM article WHERE src = ?1 AND size = ?2 AND mtime = ?3" },
	{ offsetof(struct catalog, st_old),
	    "SELECT a.key, title, tags, text FROM article AS a"
	    " LEFT JOIN text AS t ON t.key = a.key WHERE src = ?1" },
	{ offsetof(struct catalog, st_old_key),
	    "SELECT a.key, title, tags, text FROM article AS a"
	    " LEFT JOIN text AS t ON t.key = a.key WHERE a.key = ?1" },
	{ offsetof(struct catalog, st_upsert),
	    "INSERT INTO article (src, key, urlpath, size, mtime, title,"
	    " tags, date, has_date, has_time, zone)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (src) DO UPDATE SET key = excluded.key,"
	    " urlpath = excluded.urlpath,"
	    " size = excluded.size, mtime = excluded.mtime,"
	    " title = excluded.title, tags = excluded.tags,"
	    " date = excluded.date,"
	    " has_date = excluded.has_date, has_time = excluded.has_time,"
	    " zone = excluded.zone" },
	{ offsetof(struct catalog, st_text_put),
	    "INSERT OR REPLACE INTO text (key, text) VALUES (?1, ?2)" },
	{ offsetof(struct catalog, st_text_del),
	    "DELETE FROM text WHERE key = ?1" },
	{ offsetof(struct catalog, st_del),
	    "DELETE FROM article WHERE key = ?1" },
	{ offsetof(struct catalog, st_key_max),
	    "SELECT max(key) FROM article WHERE key BETWEEN ?1 AND ?2" },
	{ offsetof(struct catalog, st_fts_ins),
	    "INSERT INTO fts (rowid, title, body, tags)"
	    " VALUES (-?1, ?2, ?3, ?4)" },
	{ offsetof(struct catalog, st_fts_del),
	    "INSERT INTO fts (fts, rowid, title, body, tags)"
	    " VALUES ('delete', -?1, ?2, ?3, ?4)" },
	{ offsetof(struct catalog, st_title_ins),
	    "INSERT INTO titles (rowid, title) VALUES (-?1, ?2)" },
	{ offsetof(struct catalog, st_title_del),
	    "INSERT INTO titles (titles, rowid, title)"
	    " VALUES ('delete', -?1, ?2)" },
	{ offsetof(struct catalog, st_count),
	    "SELECT count(*) FROM article" },
	{ offsetof(struct catalog, st_keys),
	    "SELECT key FROM article" },
	{ offsetof(struct catalog, st_merge),
	    "INSERT INTO fts (fts, rank) VALUES ('merge', ?1)" },
	{ offsetof(struct catalog, st_title_merge),
	    "INSERT INTO titles (titles, rank) VALUES ('merge', ?1)" },
};
#define NSTMTS	(sizeof(catalog_stmts) / sizeof(catalog_stmts[0]))

static int	 catalog_create(struct catalog *);
static int	 catalog_check(struct catalog *, char *, size_t);
static int	 catalog_later_check;	/* catalog_open_unchecked */
static int	 catalog_setup(struct catalog *, char *, size_t);
static int	 catalog_move_aside(const char *, char *, size_t);
static int	 catalog_rebuild(struct catalog *, const char *);

static long long catalog_key_base(const struct article_meta *, long long);
static int	 catalog_key(struct catalog *, long long, int, long long,
		    long long *);
static int	 catalog_plain(struct buf *, const char *, size_t);
static int	 catalog_pack(struct catalog *, const struct buf *);
static int	 catalog_unindex(struct catalog *, sqlite3_stmt *);
static int	 catalog_gc(struct catalog *);

static void	 text_bind_stored(sqlite3_stmt *, int, const struct buf *,
		    int);

static void	 text_end(struct catalog_text *);
static char	*col_strdup(sqlite3_stmt *, int, int *);
static int	 bind_text(sqlite3_stmt *, int, const char *);
static int	 catalog_title_put(sqlite3_stmt *, long long, const char *);
static sqlite3_stmt **stmt_at(struct catalog *, size_t);

/*
 * The tokenizer.
 */

static int	 word_cp_slow(int);

#define WORD_TABLE	0x2000		/* code points with a cached answer */

/* catalog_word_cp for ASCII, inline: the tokenizer asks at every byte */
static inline int
word_ascii(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

int
catalog_word_cp(int cp)
{
	static unsigned char	 table[WORD_TABLE / 8];
	static int		 ready;
	int			 i;

	if (cp < 0)
		return 0;
	if (cp < 0x80)
		return word_ascii(cp);
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
		return word_ascii(cp);
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

/*
 * Words are found and folded in one pass, into a buffer on the stack:
 * the tokenizer is a fifth of a first build. A word with a character
 * whose fold is not one code point of the table (utf8_fold_cp), or a
 * word too long for the buffer, is folded whole by utf8_fold, as every
 * word was before.
 */
#define TOKEN_FAST	128

int
catalog_tokenize(const char *s, size_t len, catalog_token_cb *cb, void *arg)
{
	struct buf	 f = BUF_INIT;
	char		 tok[TOKEN_FAST];
	const char	*t;
	size_t		 i = 0, start, n, tn;
	int		 c, cp, slow, rc = 0;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c < 0x80 ? !word_ascii(c) : !catalog_word_cp((n =
		    utf8_decode(s + i, len - i, &cp), cp))) {
			i += c < 0x80 ? 1 : n;
			continue;
		}
		start = i;
		tn = 0;
		slow = 0;
		while (i < len) {
			c = (unsigned char)s[i];
			if (c < 0x80) {
				if (!word_ascii(c))
					break;
				if (tn < TOKEN_FAST)
					tok[tn++] = (char)(c >= 'A' && c <= 'Z' ?
					    c + 'a' - 'A' : c);
				else
					slow = 1;
				i++;
				continue;
			}
			n = utf8_decode(s + i, len - i, &cp);
			if (!catalog_word_cp(cp))
				break;
			i += n;
			if (slow || (c = utf8_fold_cp(cp)) == UTF8_FOLD_NONE)
				continue;
			if (c == UTF8_FOLD_SLOW || tn + 4 > TOKEN_FAST)
				slow = 1;
			else
				tn += utf8_encode(c, tok + tn);
		}
		t = tok;
		if (slow) {
			buf_reset(&f);
			if (utf8_fold(&f, s + start, i - start) == -1) {
				rc = -1;
				break;
			}
			t = f.data;
			tn = f.len;
		}
		if (tn == 0)		/* a lone mark folds to nothing */
			continue;
		if ((rc = cb(arg, t, tn, start, i)) != 0)
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
 * One thread of a process uses SQLite (the stat walk's threads and a
 * first build's reader and writeback threads never call it), so its
 * mutexes are off, and so is its count of memory in use (a mutex on
 * every allocation): a new search costs 7 % less (26 against 28 us a
 * query on the capsule).
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

/*
 * Opening, checking and rebuilding.
 */

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
	cat->bk.fd = -1;
	cat->bk.stage.fd = -1;
	cat->later_check = catalog_later_check;
	for (attempt = 0; attempt < 2; attempt++) {
		damaged = 0;
		if (catalog_try_open(cat, dbpath, err, errlen, &damaged) == 0)
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

/* The same, with the check left for catalog_check_now(): a start that
 * does not read the catalog (site_load_image) serves before it. */
struct catalog *
catalog_open_unchecked(const char *dbpath, char *err, size_t errlen)
{
	struct catalog	*cat;

	catalog_later_check = 1;
	cat = catalog_open(dbpath, err, errlen);
	catalog_later_check = 0;
	if (cat != NULL)
		cat->later_check = 0;	/* a file made again is checked */
	return cat;
}

int
catalog_check_now(struct catalog *cat)
{
	char	 err[512];
	int	 rc;

	if (cat == NULL || cat->db == NULL || !cat->unchecked)
		return 0;
	cat->unchecked = 0;
	if ((rc = catalog_check(cat, err, sizeof(err))) == 0)
		return 0;
	if (rc == -1) {
		log_warnx("catalog %s: quick_check: %s", cat->path,
		    sqlite3_errmsg(cat->db));
		return -1;
	}
	return catalog_rebuild(cat, err) == -1 ? -1 : 1;
}

/*
 * Open and check file (the catalog, or a first build's new file). On
 * failure err says why and *damaged says whether moving the file aside
 * could help.
 */
int
catalog_try_open(struct catalog *cat, const char *file, char *err,
    size_t errlen, int *damaged)
{
	long long	 appid, version, ntables;
	int		 rc;

	rc = sqlite3_open_v2(file, &cat->db, SQLITE_OPEN_READWRITE |
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
		/* a new file; a first build's is written without a journal
		 * (catalog_bulk.c) and becomes WAL when it is put in place */
		if ((!cat->bulk && sqlite3_exec(cat->db, "PRAGMA journal_mode"
		    " = WAL", NULL, NULL, NULL) != SQLITE_OK) ||
		    catalog_create(cat) == -1)
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
		if (cat->later_check)
			cat->unchecked = 1;
		else if ((rc = catalog_check(cat, err, errlen)) != 0) {
			if (rc == -1)
				goto sqlerr;
			return -1;
		}
	}
	/*
	 * NORMAL is safe with WAL (a crash may lose the last scan, never
	 * the file). A scan that changes much of a big site writes it in
	 * one transaction: cut the WAL back after the checkpoint.
	 */
	if (!cat->bulk && sqlite3_exec(cat->db, "PRAGMA synchronous = NORMAL;"
	    " PRAGMA journal_size_limit = 67108864", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto sqlerr;
	cat->untidy = TIDY_FTS;	/* a merge may have been cut short */
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

/* The tables of a new file, and its marks; -1 with the error in db. */
static int
catalog_create(struct catalog *cat)
{
	char	 pragma[128];
	int	 rc;

	if (sqlite3_exec(cat->db, "PRAGMA page_size = " CATALOG_PAGE ";"
	    " PRAGMA auto_vacuum = INCREMENTAL", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_exec(cat->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(cat->db, catalog_schema, NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = snprintf(pragma, sizeof(pragma),
	    "PRAGMA application_id = %d; PRAGMA user_version = %d;"
	    " COMMIT", CATALOG_APPID, CATALOG_VERSION);
	if (rc < 0 || (size_t)rc >= sizeof(pragma) ||
	    sqlite3_exec(cat->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

/*
 * quick_check reads every page (0.25 s for 350 MB with a warm cache,
 * far longer from an SD card cold). Past CATALOG_CHECK_ALL only the
 * article table is checked at start; damage in the index or the text
 * shows as SQLITE_CORRUPT at the first put, which rebuilds
 * (catalog_fail). 0 when it passes, 1 when it fails (err says how),
 * -1 on an SQLite error.
 */
static int
catalog_check(struct catalog *cat, char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	long long	 pages, pagesz;
	const char	*res;
	char		*p;

	if (catalog_int(cat->db, "PRAGMA page_count", &pages) == -1 ||
	    catalog_int(cat->db, "PRAGMA page_size", &pagesz) == -1)
		return -1;
	if (sqlite3_prepare_v2(cat->db, pages * pagesz <= CATALOG_CHECK_ALL ?
	    "PRAGMA quick_check(1)" : "PRAGMA quick_check(article)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -1;
	}
	res = (const char *)sqlite3_column_text(st, 0);
	if (res == NULL || strcmp(res, "ok") != 0) {
		/* its report has newlines: keep the log on one line */
		snprintf(err, errlen, "quick_check: %s", res ? res : "no result");
		for (p = err; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Prepare the statements; a missing table or column means damage. */
static int
catalog_setup(struct catalog *cat, char *err, size_t errlen)
{
	size_t	 i;

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

int
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
void
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

/* path followed by suffix, in out; -1 if it does not fit */
int
catalog_path_with(char *out, size_t len, const char *path, const char *suffix)
{
	int	 r;

	r = snprintf(out, len, "%s%s", path, suffix);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

/* path followed by suffix goes, if it is there */
int
catalog_unlink_with(const char *path, const char *suffix)
{
	char	 file[4096];

	if (catalog_path_with(file, sizeof(file), path, suffix) == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return unlink(file) == -1 && errno != ENOENT ? -1 : 0;
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

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (catalog_path_with(from, sizeof(from), path, sfx[i]) == -1 ||
		    snprintf(to, sizeof(to), "%s.damaged%s", path,
		    sfx[i]) >= (int)sizeof(to)) {
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
	catalog_keyset_clear(&cat->seen);
	if (catalog_move_aside(cat->path, err, sizeof(err)) == -1 ||
	    catalog_try_open(cat, cat->path, err, sizeof(err),
	    &damaged) == -1) {
		log_warnx("catalog %s: %s", cat->path, err);
		catalog_shut(cat);
		return -1;
	}
	rc = 0;
	if (in_scan) {
		cat->rebuilding = 1;
		rc = catalog_scan_begin(cat, 0);
		cat->rebuilding = 0;
	}
	/* a partial scan cannot fill the new file: the next scan is full */
	cat->lost = 1;
	return rc;
}

/* Run a statement that returns no rows, made ready for its next use;
 * returns the SQLite code (SQLITE_DONE on success). */
int
catalog_stmt_run(sqlite3_stmt *st)
{
	int	 rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int
catalog_damage(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Report an SQLite error; rebuild if it says the file is damaged (a
 * first build's new file is not: its scan fails, and starts over). */
int
catalog_fail(struct catalog *cat, const char *what, int rc)
{
	char	 why[256];

	snprintf(why, sizeof(why), "%s: %s", what, cat->db ?
	    sqlite3_errmsg(cat->db) : sqlite3_errstr(rc));
	if (catalog_damage(rc) && !cat->bulk) {
		catalog_rebuild(cat, why);
		return -1;
	}
	log_warnx("catalog %s: %s", cat->path, why);
	return -1;
}

/* The handle goes, and what it holds; a scan not ended is dropped. */
void
catalog_release(struct catalog *cat)
{
	if (cat->in_scan && cat->db != NULL)
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	catalog_shut(cat);
	catalog_keyset_clear(&cat->seen);
	ZSTD_freeCCtx(cat->zc);
	text_end(&cat->text);
	buf_free(&cat->z);
	buf_free(&cat->old);
	free(cat->path);
	free(cat);
}

/*
 * The scan.
 */

/* 1 if the catalog has no entry, 0 if it has, -1 on an error */
int
catalog_empty(struct catalog *cat)
{
	int	 rc, n = -1;

	if ((rc = sqlite3_step(cat->st_count)) == SQLITE_ROW)
		n = sqlite3_column_int64(cat->st_count, 0) == 0;
	sqlite3_reset(cat->st_count);
	return n;
}

/* A scan in place (a first build is catalog_bulk.c's): one transaction,
 * its write lock taken now. */
int
catalog_scan_begin(struct catalog *cat, int partial)
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
	catalog_keyset_clear(&cat->seen);
	cat->partial = partial;
	/* IMMEDIATE: take the write lock now, not at the first put */
	rc = sqlite3_exec(cat->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		catalog_fail(cat, "begin", rc);
		return -1;
	}
	cat->in_scan = 1;
	return 0;
}

/* The end of a scan in place: see catalog_end. */
int
catalog_scan_end(struct catalog *cat)
{
	int	 rc, partial = cat->partial;

	cat->partial = 0;
	if (cat->db == NULL || !cat->in_scan)
		return -1;
	if (!partial && (rc = catalog_gc(cat)) != SQLITE_DONE)
		goto fail;
	rc = sqlite3_exec(cat->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	cat->in_scan = 0;
	cat->untidy = TIDY_FTS;
	catalog_keyset_clear(&cat->seen);
	/* the master idles between scans, and its pages are what the
	 * workers inherit: give the page cache back */
	sqlite3_db_release_memory(cat->db);
	return partial && cat->lost ? 1 : 0;
fail:
	/* the scan is over either way; a rebuild must not start another */
	if (!sqlite3_get_autocommit(cat->db))
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	cat->in_scan = 0;
	catalog_keyset_clear(&cat->seen);
	catalog_fail(cat, "end", rc);
	return partial && cat->lost ? 1 : -1;
}

/*
 * The end of a full scan: the entries it did not see go. Most scans
 * saw them all, which the count says without a walk over the keys.
 */
static int
catalog_gc(struct catalog *cat)
{
	sqlite3_stmt	*st = cat->st_keys;
	long long	*gone = NULL, *v, n = 0, cap = 0, i;
	int		 rc;

	if ((rc = sqlite3_step(cat->st_count)) == SQLITE_ROW)
		n = sqlite3_column_int64(cat->st_count, 0);
	sqlite3_reset(cat->st_count);
	if (rc != SQLITE_ROW)
		return rc;
	if ((size_t)n == cat->seen.n)
		return SQLITE_DONE;
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (catalog_keyset_has(&cat->seen, sqlite3_column_int64(st, 0)))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((v = reallocarray(gone, cap, sizeof(*v))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			gone = v;
		}
		gone[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; rc == SQLITE_DONE && i < n; i++) {
		sqlite3_bind_int64(cat->st_old_key, 1, gone[i]);
		rc = catalog_unindex(cat, cat->st_old_key);
	}
	free(gone);
	return rc;
}

/*
 * The entry st found (st_old or st_old_key, bound, not stepped) goes:
 * from the index, with the values FTS5 indexed (a contentless table
 * needs them to find the entry's terms), its text and its row. A
 * missing entry is no error. Returns the SQLite code (SQLITE_DONE).
 */
static int
catalog_unindex(struct catalog *cat, sqlite3_stmt *st)
{
	long long	 key;
	int		 rc;

	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return rc == SQLITE_DONE ? SQLITE_DONE : rc;
	}
	key = sqlite3_column_int64(st, 0);
	rc = SQLITE_DONE;
	if (!cat->bulk) {
		sqlite3_bind_int64(cat->st_fts_del, 1, key);
		rc = catalog_text_bind(cat, st, 1, cat->st_fts_del, 2);
		if (rc == SQLITE_DONE)
			rc = catalog_stmt_run(cat->st_fts_del);
		else
			sqlite3_clear_bindings(cat->st_fts_del);
		if (rc == SQLITE_DONE)
			rc = catalog_title_put(cat->st_title_del, key,
			    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return rc;
	sqlite3_bind_int64(cat->st_text_del, 1, key);
	if ((rc = catalog_stmt_run(cat->st_text_del)) != SQLITE_DONE)
		return rc;
	sqlite3_bind_int64(cat->st_del, 1, key);
	return catalog_stmt_run(cat->st_del);
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
 * The titles' index is merged the same way, once fts is. A first
 * build makes few segments, in date order (catalog_bulk.c).
 */
int
catalog_tidy(struct catalog *cat, int pages)
{
	sqlite3_stmt	*st;
	int		 before, rc;

	if (cat == NULL || cat->db == NULL || !cat->untidy)
		return 0;
	if (cat->in_scan)
		return 1;
	/* the body's index, then the titles' */
	st = cat->untidy == TIDY_TITLES ? cat->st_title_merge : cat->st_merge;
	before = sqlite3_total_changes(cat->db);
	sqlite3_bind_int(st, 1, pages);
	if ((rc = catalog_stmt_run(st)) != SQLITE_DONE) {
		cat->untidy = 0;	/* no retry loop on a failing file */
		catalog_fail(cat, "merge", rc);
		return -1;
	}
	/* a step with nothing to merge writes nothing */
	if (sqlite3_total_changes(cat->db) - before < 2 &&
	    ++cat->untidy > TIDY_TITLES) {
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
 * rebuilt) since the last full scan, or has none: make a full one
 * instead.
 */
int
catalog_begin_partial(struct catalog *cat)
{
	if (cat->lost || cat->db == NULL || catalog_empty(cat) != 0)
		return 1;
	if (catalog_scan_begin(cat, 1) == -1)
		return -1;
	if (cat->lost) {
		/* rebuilt as the scan began: it is a full one now, and
		 * fills the new file */
		cat->lost = 0;
		cat->partial = 0;
		return 1;
	}
	return 0;
}

/* Would a partial scan be made now (catalog_begin_partial)? A
 * snapshot kept from an earlier run is of use only then. */
int
catalog_partial_ok(struct catalog *cat)
{
	return cat != NULL && !cat->lost && cat->db != NULL &&
	    catalog_empty(cat) == 0;
}

int
catalog_forget(struct catalog *cat, const char *src)
{
	int	 rc;

	if (cat->db == NULL || !cat->in_scan)
		return -1;
	sqlite3_bind_text(cat->st_old, 1, src, -1, SQLITE_STATIC);
	if ((rc = catalog_unindex(cat, cat->st_old)) != SQLITE_DONE)
		return catalog_fail(cat, "forget", rc);
	return 0;
}

/* A scan in place that failed half-way: nothing of it is kept. */
void
catalog_scan_abort(struct catalog *cat)
{
	cat->partial = 0;
	if (cat->db != NULL && cat->in_scan &&
	    !sqlite3_get_autocommit(cat->db))
		sqlite3_exec(cat->db, "ROLLBACK", NULL, NULL, NULL);
	cat->in_scan = 0;
	catalog_keyset_clear(&cat->seen);
}

int
catalog_get(struct catalog *cat, const char *src, long long size,
    long long mtime, struct article_meta *meta)
{
	sqlite3_stmt	*st = cat->st_get;
	long long	 key = 0;
	int		 rc, found = 0, oom = 0;

	memset(meta, 0, sizeof(*meta));
	/* a first build starts from nothing */
	if (cat->bulk == BULK_FEED)
		return 0;
	if (cat->db == NULL)
		return -1;
	sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, mtime);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = 1;
		key = sqlite3_column_int64(st, 0);
		meta->title = col_strdup(st, 1, &oom);
		meta->tags = col_strdup(st, 2, &oom);
		meta->date = (time_t)sqlite3_column_int64(st, 3);
		meta->has_date = sqlite3_column_int(st, 4);
		meta->has_time = sqlite3_column_int(st, 5);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			meta->has_zone = 1;
			meta->zone = (long)sqlite3_column_int64(st, 6);
		}
		rc = sqlite3_step(st);		/* src is unique */
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE && found && !oom &&
	    catalog_keyset_add(&cat->seen, key) == -1)
		oom = 1;
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

/* the article's URL path when it is not src without its extension */
static const char *
urlpath_kept(const char *src, const char *urlpath)
{
	const char	*dot = strrchr(src, '.');
	size_t		 n = dot != NULL ? (size_t)(dot - src) : strlen(src);

	if (urlpath != NULL && urlpath[0] == '/' &&
	    strncmp(urlpath + 1, src, n) == 0 && urlpath[n + 1] == '\0')
		return NULL;
	return urlpath;
}

/* One attempt at a put; returns the SQLite code (SQLITE_DONE is good). */
int
catalog_put1(struct catalog *cat, const char *src, const char *urlpath,
    long long size, long long mtime, const struct article_meta *meta,
    const struct buf *plain, const struct buf *stored, int packed,
    struct put_key *pk)
{
	sqlite3_stmt	*st;
	long long	 key, old = 0;
	int		 rc, has_old = 0;

	/* a contentless FTS5 row goes with the values it was made of:
	 * the old one first, then the rest of the entry */
	st = cat->st_old;
	bind_text(st, 1, src);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		has_old = 1;
		old = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_clear_bindings(st);
		return rc;
	}
	if (has_old && (rc = catalog_unindex(cat, st)) != SQLITE_DONE)
		return rc;
	sqlite3_clear_bindings(st);
	rc = catalog_key(cat, catalog_key_base(meta, mtime), has_old, old,
	    &key);
	if (rc != SQLITE_DONE)
		return rc;

	st = cat->st_upsert;
	bind_text(st, 1, src);
	sqlite3_bind_int64(st, 2, key);
	bind_text(st, 3, urlpath_kept(src, urlpath));
	sqlite3_bind_int64(st, 4, size);
	sqlite3_bind_int64(st, 5, mtime);
	bind_text(st, 6, meta->title);
	bind_text(st, 7, meta->tags);
	sqlite3_bind_int64(st, 8, (long long)meta->date);
	sqlite3_bind_int(st, 9, meta->has_date);
	sqlite3_bind_int(st, 10, meta->has_time);
	if (meta->has_zone)
		sqlite3_bind_int64(st, 11, meta->zone);
	else
		sqlite3_bind_null(st, 11);
	if ((rc = catalog_stmt_run(st)) != SQLITE_DONE)
		return rc;
	if (has_old && old != key)
		catalog_keyset_del(&cat->seen, old);
	if (catalog_keyset_add(&cat->seen, key) == -1)
		return SQLITE_NOMEM;
	/* a first build indexes it in date order (catalog_bulk.c) */
	if (cat->bulk == BULK_BUILD) {
		pk->key = key;
		pk->has_old = has_old;
		pk->old = old;
		return SQLITE_DONE;
	}

	st = cat->st_text_put;
	sqlite3_bind_int64(st, 1, key);
	text_bind_stored(st, 2, stored, packed);
	if ((rc = catalog_stmt_run(st)) != SQLITE_DONE)
		return rc;
	st = cat->st_fts_ins;
	sqlite3_bind_int64(st, 1, key);
	bind_text(st, 2, meta->title != NULL ? meta->title : "");
	sqlite3_bind_text64(st, 3, plain->data, plain->len, SQLITE_STATIC,
	    SQLITE_UTF8);
	bind_text(st, 4, meta->tags != NULL ? meta->tags : "");
	if ((rc = catalog_stmt_run(st)) != SQLITE_DONE)
		return rc;
	return catalog_title_put(cat->st_title_ins, key, meta->title);
}

/*
 * A title into the titles' index, or out of it (st is st_title_ins or
 * st_title_del; a deletion names the title it went in with). NULL is
 * "", as in fts. An SQLite code.
 */
static int
catalog_title_put(sqlite3_stmt *st, long long key, const char *title)
{
	sqlite3_bind_int64(st, 1, key);
	if (sqlite3_bind_text(st, 2, title != NULL ? title : "", -1,
	    SQLITE_TRANSIENT) != SQLITE_OK) {
		sqlite3_clear_bindings(st);
		return SQLITE_NOMEM;
	}
	return catalog_stmt_run(st);
}

/* The text as the table keeps it: a BLOB packed, or a TEXT. */
static void
text_bind_stored(sqlite3_stmt *st, int col, const struct buf *b,
    int packed)
{
	if (packed)
		sqlite3_bind_blob(st, col, b->data, (int)b->len, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, col, b->data != NULL ? b->data : "",
		    (int)b->len, SQLITE_STATIC);
}

int
catalog_text_make(struct catalog *cat, const struct article_meta *meta,
    const char *text, size_t textlen, struct buf *plain, int *packed)
{
	int	 rc;

	if ((rc = catalog_text_plain(meta, text, textlen, plain)) !=
	    SQLITE_DONE)
		return rc;
	return catalog_text_pack(cat, plain, packed);
}

int
catalog_text_plain(const struct article_meta *meta, const char *text,
    size_t textlen, struct buf *plain)
{
	size_t	 skip;

	/* the title is its own column: the body starts after it */
	skip = text != NULL && meta->title != NULL ?
	    gemtext_title_end(text, textlen, meta->title) : 0;
	if (catalog_plain(plain, text != NULL ? text + skip : NULL,
	    textlen - skip) == -1)
		return SQLITE_NOMEM;
	return SQLITE_DONE;
}

int
catalog_text_pack(struct catalog *cat, const struct buf *plain, int *packed)
{
	int	 rc;

	if ((rc = catalog_pack(cat, plain)) != SQLITE_DONE)
		return rc;
	*packed = cat->z.len < plain->len;
	return SQLITE_DONE;
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

/*
 * The text: packed by zstd (level -1, its fast mode: 1.8 times smaller,
 * at a tenth of what zlib's fastest level costs here, and unpacked at
 * twice its speed) when that makes it smaller, a BLOB; as it is
 * otherwise, TEXT. Level 1 packs 2.25 times, at 1.8 times the cost: on
 * 20,000 articles of the sample tree 0.17 s against 0.094 s, and the
 * first build packs on the busier of its two processes (0.4 s of its
 * CPU at 100,000 articles, for 18 MB more on disk).
 */
static int
catalog_pack(struct catalog *cat, const struct buf *plain)
{
	size_t	 bound, n;

	buf_reset(&cat->z);
	if (plain->len == 0)
		return SQLITE_DONE;
	if (cat->zc == NULL && (cat->zc = ZSTD_createCCtx()) == NULL)
		return SQLITE_NOMEM;
	bound = ZSTD_compressBound(plain->len);
	if (buf_reserve(&cat->z, bound) == -1)
		return SQLITE_NOMEM;
	n = ZSTD_compressCCtx(cat->zc, cat->z.data, bound, plain->data,
	    plain->len, CATALOG_ZSTD_LEVEL);
	if (ZSTD_isError(n))
		return SQLITE_NOMEM;
	cat->z.len = n;
	return SQLITE_DONE;
}

/* a text is made from one source (at most SITE_SOURCE_MAX, 8 MB): a
 * damaged row that claims much more must not cost a huge allocation */
#define CATALOG_TEXT_MAX	(32ULL << 20)

int
catalog_text_get(struct catalog_text *t, struct buf *out, const void *data,
    size_t len, int packed)
{
	unsigned long long	 n;
	size_t			 r;

	buf_reset(out);
	if (!packed)
		return buf_append(out, data, len);
	n = ZSTD_getFrameContentSize(data, len);
	if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ||
	    n > CATALOG_TEXT_MAX || buf_reserve(out, (size_t)n) == -1)
		return -1;
	if (t->z == NULL && (t->z = ZSTD_createDCtx()) == NULL)
		return -1;
	r = ZSTD_decompressDCtx(t->z, out->data, (size_t)n, data, len);
	if (ZSTD_isError(r) || r != n)
		return -1;
	out->len = r;
	out->data[r] = '\0';
	return 0;
}

struct catalog_text *
catalog_text_new(void)
{
	return calloc(1, sizeof(struct catalog_text));
}

static void
text_end(struct catalog_text *t)
{
	ZSTD_freeDCtx(t->z);
	t->z = NULL;
}

void
catalog_text_free(struct catalog_text *t)
{
	if (t == NULL)
		return;
	text_end(t);
	free(t);
}

/*
 * The values FTS5 indexed for an entry (its 'delete' needs them), or a
 * first build's insert: title, tags and text from the row st is on
 * (columns col to col + 2, NULL as ""), bound to dst from dcol on. An
 * SQLite code, SQLITE_DONE when bound.
 */
int
catalog_text_bind(struct catalog *cat, sqlite3_stmt *st, int col, sqlite3_stmt *dst,
    int dcol)
{
	const void	*body;
	const char	*s;
	int		 i;

	for (i = 0; i < 2; i++) {
		s = (const char *)sqlite3_column_text(st, col + i);
		if (sqlite3_bind_text(dst, dcol + 2 * i, s != NULL ? s : "", -1,
		    SQLITE_TRANSIENT) != SQLITE_OK)
			return SQLITE_NOMEM;
	}
	body = sqlite3_column_blob(st, col + 2);
	if (catalog_text_get(&cat->text, &cat->old, body != NULL ? body : "",
	    (size_t)sqlite3_column_bytes(st, col + 2),
	    sqlite3_column_type(st, col + 2) == SQLITE_BLOB) == -1)
		return SQLITE_CORRUPT;
	if (sqlite3_bind_text64(dst, dcol + 1, cat->old.data, cat->old.len,
	    SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
		return SQLITE_NOMEM;
	return SQLITE_DONE;
}

/* The keys a scan saw: open addressing, linear probing, kept under
 * half full. */

static size_t
key_slot(long long key, size_t cap)
{
	uint64_t	 h = (uint64_t)key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

int
catalog_keyset_add(struct keyset *ks, long long key)
{
	long long	*old = ks->slot, *v;
	size_t		 i, j, cap;

	if ((ks->n + 1) * 2 > ks->cap) {
		cap = ks->cap ? ks->cap * 2 : 1024;
		if ((v = malloc(cap * sizeof(*v))) == NULL)
			return -1;
		for (i = 0; i < cap; i++)
			v[i] = KEY_NONE;
		for (i = 0; i < ks->cap; i++) {
			if (old[i] == KEY_NONE)
				continue;
			for (j = key_slot(old[i], cap); v[j] != KEY_NONE;
			    j = (j + 1) & (cap - 1))
				;
			v[j] = old[i];
		}
		free(old);
		ks->slot = v;
		ks->cap = cap;
	}
	for (i = key_slot(key, ks->cap); ks->slot[i] != KEY_NONE;
	    i = (i + 1) & (ks->cap - 1))
		if (ks->slot[i] == key)
			return 0;
	ks->slot[i] = key;
	ks->n++;
	return 0;
}

int
catalog_keyset_has(const struct keyset *ks, long long key)
{
	size_t	 i;

	if (ks->cap == 0)
		return 0;
	for (i = key_slot(key, ks->cap); ks->slot[i] != KEY_NONE;
	    i = (i + 1) & (ks->cap - 1))
		if (ks->slot[i] == key)
			return 1;
	return 0;
}

/* Take key out, moving back the ones after it that would be lost. */
void
catalog_keyset_del(struct keyset *ks, long long key)
{
	size_t	 i, j, home, mask = ks->cap - 1;

	if (ks->cap == 0)
		return;
	for (i = key_slot(key, ks->cap); ks->slot[i] != key;
	    i = (i + 1) & mask)
		if (ks->slot[i] == KEY_NONE)
			return;
	ks->slot[i] = KEY_NONE;
	ks->n--;
	for (j = (i + 1) & mask; ks->slot[j] != KEY_NONE; j = (j + 1) & mask) {
		home = key_slot(ks->slot[j], ks->cap);
		/* j stays if its home lies in (i, j], cyclically */
		if ((i < j) ? (home > i && home <= j) :
		    (home > i || home <= j))
			continue;
		ks->slot[i] = ks->slot[j];
		ks->slot[j] = KEY_NONE;
		i = j;
	}
}

void
catalog_keyset_clear(struct keyset *ks)
{
	free(ks->slot);
	memset(ks, 0, sizeof(*ks));
}
