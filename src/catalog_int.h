/*
 * catalog_int.h: what the parts of the catalog module share, private to
 * catalog.c, catalog_bulk.c and catalog_scan.c. catalog.c is the file,
 * its statements and a scan in place; catalog_bulk.c makes a first
 * build in a process of its own that the scan feeds; catalog_scan.c
 * starts and ends a scan one way or the other (catalog.h).
 *
 *   catalog_scan.c -> catalog_bulk.c -> catalog.c
 */
#ifndef CATALOG_INT_H
#define CATALOG_INT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include <zstd.h>

#include "article.h"
#include "buf.h"

#define KEY_NONE		INT64_MIN	/* an empty slot of a keyset */
#define TIDY_FTS		1		/* struct catalog's untidy */
#define TIDY_TITLES		2

struct catalog_text {			/* catalog.h */
	ZSTD_DCtx	*z;		/* made at first use */
};

/* Keys, in a set: those a full scan has seen (what it did not see
 * goes at its end), those a first build took back. */
struct keyset {
	long long	*slot;		/* KEY_NONE: empty */
	size_t		 cap, n;	/* cap: a power of two, or 0 */
};

/* A first build's texts, in the order they came, until the table text
 * is written in key order (catalog_bulk.c). */
struct stage_ent {
	long long	 key;
	off_t		 off;		/* of its record in the file */
	size_t		 len;
};

struct stage {
	int		 fd;		/* unlinked; -1: none */
	off_t		 size;		/* written */
	struct buf	 out;		/* to write */
	struct buf	 in;		/* a record read back */
	struct stage_ent *ent;
	size_t		 n, cap;
	struct keyset	 dead;		/* keys no entry has any longer */
};

/* The texts a first build holds back to index them in key order:
 * a heap by run, then key (catalog_bulk.c). */
struct pend;
struct pending {
	struct pend	**h;
	size_t		 n, cap;
	size_t		 bytes;		/* of text held */
	int		 run;		/* of the last one indexed */
	long long	 last;		/* its key */
	int		 started;
};

enum catalog_bulk {
	BULK_NONE,
	BULK_FEED,			/* the scan's process: puts go to
					   the build's process */
	BULK_BUILD			/* the build's process */
};

struct bulk {
	pid_t		 pid;		/* FEED: the build's process */
	int		 fd;		/* FEED: to it; BUILD: from the scan */
	int		 failed;	/* FEED: it is gone */
	struct buf	 out;		/* FEED: records not yet written */
	struct stage	 stage;		/* BUILD */
	struct pending	 pend;		/* BUILD */
	struct buf	 plain;		/* BUILD: a put's plain text */
};

struct catalog {
	sqlite3		*db;
	char		*path;
	int		 in_scan;	/* between begin and end */
	int		 rebuilding;	/* no recursion from catalog_fail */
	int		 partial;	/* this scan keeps what it does
					   not see (catalog_begin_partial) */
	int		 later_check;	/* catalog_open_unchecked() */
	int		 unchecked;	/* its check is still to make */
	int		 lost;		/* rebuilt since the last full
					   scan began: entries are missing */
	int		 untidy;	/* the indexes may have segments
					   to merge (catalog_tidy): 0, or
					   TIDY_FTS, then TIDY_TITLES */
	enum catalog_bulk bulk;		/* a first build, in path.new */
	struct bulk	 bk;
	struct keyset	 seen;
	ZSTD_CCtx	*zc;		/* made at first use */
	struct catalog_text text;	/* to read texts back */
	struct buf	 z;		/* a text packed, or unpacked to store */
	struct buf	 old;		/* an entry's old text, unpacked: a
					   put unindexes it while z holds
					   the new one */
	sqlite3_stmt	*st_get;	/* metadata if unchanged */
	sqlite3_stmt	*st_old;	/* an entry's key, title, tags, text */
	sqlite3_stmt	*st_old_key;	/* the same, by key */
	sqlite3_stmt	*st_upsert;	/* insert or replace an entry */
	sqlite3_stmt	*st_text_put;
	sqlite3_stmt	*st_del;	/* an entry, by key */
	sqlite3_stmt	*st_text_del;
	sqlite3_stmt	*st_key_max;	/* the last key used in a minute */
	sqlite3_stmt	*st_fts_ins;
	sqlite3_stmt	*st_fts_del;	/* FTS5's 'delete' with old values */
	sqlite3_stmt	*st_title_ins;	/* the titles' index */
	sqlite3_stmt	*st_title_del;
	sqlite3_stmt	*st_count;	/* entries */
	sqlite3_stmt	*st_keys;	/* every key */
	sqlite3_stmt	*st_merge;	/* a step of catalog_tidy */
	sqlite3_stmt	*st_title_merge;
};

/* what catalog_put1 did with an entry, for a first build */
struct put_key {
	long long	 key;
	int		 has_old;	/* the source had an entry before */
	long long	 old;		/* its key then */
};

/* catalog.c */
int	 catalog_try_open(struct catalog *, const char *file, char *err,
	    size_t errlen, int *damaged);
void	 catalog_shut(struct catalog *);
void	 catalog_release(struct catalog *);
/* a scan in place: begin (partial: catalog_begin_partial's), end (the
 * entries a full one did not see go), abort */
int	 catalog_scan_begin(struct catalog *, int partial);
int	 catalog_scan_end(struct catalog *);
void	 catalog_scan_abort(struct catalog *);
/* 1 if the catalog has no entry, 0 if it has, -1 on an error */
int	 catalog_empty(struct catalog *);
int	 catalog_damage(int rc);
int	 catalog_int(sqlite3 *, const char *, long long *);
int	 catalog_fail(struct catalog *, const char *, int);
int	 catalog_stmt_run(sqlite3_stmt *);
/* path followed by suffix, in out: 0, -1 if it does not fit; the same
 * goes, if it is there: 0, -1 with errno */
int	 catalog_path_with(char *out, size_t len, const char *path,
	    const char *suffix);
int	 catalog_unlink_with(const char *path, const char *suffix);
/* one put, its text as search sees it (plain) and as the table keeps
 * it (stored, packed or not): an SQLite code, SQLITE_DONE when stored;
 * a first build's process stores the text itself, at pk->key */
int	 catalog_put1(struct catalog *, const char *src, const char *urlpath,
	    long long size, long long mtime, const struct article_meta *,
	    const struct buf *plain, const struct buf *stored, int packed,
	    struct put_key *pk);
/* the text search sees of an article's gemtext (without its markup
 * and its title line) into plain, and packed into the catalog's z when
 * that is smaller (*packed): an SQLite code */
int	 catalog_text_make(struct catalog *, const struct article_meta *,
	    const char *text, size_t textlen, struct buf *plain, int *packed);
/* the same in two steps: the plain text, then packed into z */
int	 catalog_text_plain(const struct article_meta *, const char *text,
	    size_t textlen, struct buf *plain);
int	 catalog_text_pack(struct catalog *, const struct buf *plain,
	    int *packed);
/* the values FTS5 indexed for an entry, for its 'delete': a row of
 * title, tags, text at col */
int	 catalog_text_bind(struct catalog *, sqlite3_stmt *st, int col,
	    sqlite3_stmt *dst, int dcol);
int	 catalog_keyset_add(struct keyset *, long long);
int	 catalog_keyset_has(const struct keyset *, long long);
void	 catalog_keyset_del(struct keyset *, long long);
void	 catalog_keyset_clear(struct keyset *);

#endif
