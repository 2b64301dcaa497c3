/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * counter.c: the site visit counter and the per-article view counters,
 * in memory, in the counter file and in the counts files beside it.
 * Workers count in a mapping the master makes before it forks them,
 * one per generation of workers: a file, "<file>.counts.<N>", mapped
 * shared (counter_map.c), with one slot per article plus one for the
 * site, each a base (the total when the mapping was made) and a delta
 * that workers bump with an atomic add, with no lock and no system
 * call. The master alone keeps the totals per path (private memory)
 * and writes the counter file. It folds a mapping's deltas into the
 * totals on flush, bind and retire, remembering how much of each delta
 * it has already taken (seen), so no hit is counted twice or lost.
 * This file knows nothing of sockets or of the site's pages.
 *
 * No kill loses a count. The pages of a shared file mapping are the
 * file's, in the page cache: what a process wrote there outlives it,
 * whether SIGKILL, the OOM killer or a crash ends it, master or worker.
 * A kernel crash or a power cut can lose what the kernel had not
 * written back to the disk: at most the counts since the last flush,
 * which writes the counts files back (msync) before the counter file.
 * A flush is not per hit: a worker's count stays a memory write.
 *
 * Exactly once: the counter file carries its number ("flush N"), and
 * each counts file two columns of seen amounts, each tagged with the
 * number of the counter file it was written for. Before counter file N
 * is renamed into place, the master writes every generation's seen
 * amounts into its column not tagged N - 1 (the file on disk) and tags
 * it N: whatever stops the master, the column tagged with the number
 * of the counter file on disk says what that file holds of the deltas.
 * At start (counter_open), each counts file adds delta - seen of that
 * column to the totals, and to the unsent counts if it was counting
 * into the Redis backend's journal; then it waits, like a retired
 * generation, for a flush to hold all its counts, and is removed after
 * that flush's rename. One whose columns are both older than the
 * counter file was in it whole (a removal cut short): it adds nothing.
 * A start killed in turn finds the same files and the same counter
 * file, and takes the same counts. When no counts file can be made (a
 * full disk, a folder that is not there yet), a generation counts in
 * anonymous memory, as bantin did before counts files, and says so.
 *
 * The counter file is plain UTF-8 text, one record a line:
 *
 *	bantin-counters 2
 *	# bantin counters: site visits, then views per article path
 *	site 31717415
 *	63 /thoi-su/2020-05-21-chi-bo-dai-hoi
 *	flush 4127
 *	end 1
 *
 * - "bantin-counters 2", the first line: the format, 2 (older bantin
 *   wrote files without this line: format 1);
 * - blank lines, and lines whose first non-blank character is "#", are
 *   ignored; fields are separated by ASCII spaces or tabs; a CR before
 *   the newline is allowed, for files edited on Windows;
 * - "site <N>" is the site visit total; it comes once, before any
 *   article line;
 * - "<N> <path>" is the view count of the article at path; a path
 *   starts with "/" and appears once; a space, "%" or a control
 *   character in it is written %XX ("/thoi-su/a%20b");
 * - "flush <N>", once, after the site line: the number of this write of
 *   the file, which the counts files' columns are tagged with (none: 0);
 * - "end <N>" ends the file: N is the number of article lines above
 *   it, and nothing but blank lines and comments may follow;
 * - N is a decimal number from 0 to 18446744073709551615.
 * Anything else refuses the whole file with "file:line: reason", since
 * a damaged file must never be taken for zeros: an empty file, one cut
 * short (no end line, or a last line with no newline) and one that
 * lost lines (the end line counts more) are refused too, and the
 * message says how to restore the last good file. A missing file is
 * all zeros (first start), unless the last good file is there.
 *
 * The format's line says a file without an end line was cut short. A
 * file without either is refused too, though it may be whole: files
 * written before the end line existed (by hand, or by an older bantin)
 * had none, and such a file cut at a line's end cannot be told from a
 * whole one; taking it would set the counts of the lines it lost to
 * zero with no one's say. The message gives the end line that makes
 * it whole, for the operator to add once it is checked. A file without
 * the format's line but with its end line (format 1) is whole as that
 * line says; it is written with the format's line from the first
 * flush on.
 *
 * The last good file: before each flush replaces the file, the file
 * as bantin read it or last wrote it (same inode, size and mtime) is
 * kept as "<file>.1", a hard link. A file changed since is not. When
 * there is no "<file>.1" after a flush (a new site's first one), the
 * file it wrote is copied there, so that a refusal always has a file
 * to name.
 *
 * bantin writes the format's line, a comment, the site line, then the
 * paths in byte order, leaving out zero counts, then the journal's
 * lines, the flush line and the end line; counts of paths that are no
 * longer in the site (a renamed or removed article) are kept.
 *
 * Memory: the path of an article of the site bound last is the site's
 * own string (a million articles would otherwise be kept twice); the
 * entry copies it when a new site that lacks it is bound, before the
 * old one is freed. The table and the slots' entries are 32-bit.
 */

#include <sys/mman.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "counter.h"
#include "counter_map.h"
#include "log.h"
#include "site.h"
#include "utf8.h"

#define COUNTER_TAB_MIN		64	/* initial hash table size */
#define COUNTER_FORMAT		2	/* "bantin-counters 2", line 1 */
#define COUNTER_HEAD		"bantin-counters"

_Static_assert(COUNTER_INST_MAX <= CMAP_NAME_MAX, "instance names");

struct gen {				/* one generation of workers */
	struct cmap		 map;		/* its counts file */
	struct cshm		*shm;		/* map's slots, inherited */
	size_t			 nslots;	/* articles */
	uint32_t		*ent;		/* slot -> entry index */
	unsigned long		 serial;	/* of the site bound */
	unsigned long long	 site_seen;	/* site delta at last fold */
	unsigned long long	*seen;		/* slot deltas at last fold */
	unsigned		 id;		/* 1, 2, ... */
	struct gen		*next;		/* older generation */
};

struct entry {				/* the master's total for a path */
	union {
		const char	*own;		/* bind == 0: owned */
		uint32_t	 off;		/* else: in the pool of the
						   site bound (epath) */
	}			 s;
	unsigned long long	 total;		/* shown: all that is known */
	unsigned long long	 unsent;	/* journal: in no batch yet */
	uint32_t		 line;		/* in the file; 0: not */
	uint32_t		 uline;		/* its unsent line; 0: not */
	uint32_t		 bline;		/* its batch line; 0: not */
	uint32_t		 bind;		/* path is the site's of that
						   counter_bind, or of one
						   before whose strings the
						   site bound now has at the
						   same offsets (a patched
						   one); 0: owned */
};

struct counter {
	char			*file;
	char			*prev;		/* file.1, the last good one */
	char			*dir;		/* its folder, to fsync */
	unsigned long long	 site;		/* folded site total */
	struct entry		*ents;
	size_t			 nents, entcap;
	uint32_t		*tab;		/* entry index + 1, or 0 */
	size_t			 tabcap;	/* a power of two */
	uint32_t		 nbind;		/* counter_bind calls */
	const char		*pool;		/* the pool of the site bound
						   last: a patched site's
						   kept strings are at the
						   same offsets in its own */
	const char		*pool_new;	/* during a bind, the pool of
						   the site being bound: that
						   bind's entries' (epath) */
	struct gen		*cur;		/* the one being served */
	struct gen		*old;		/* draining, newest first */
	struct gen		*done;		/* retired or left by a kill:
						   removed once a counter file
						   holds all of their counts */
	unsigned		 ngen;		/* generations made */
	unsigned long long	 seq;		/* the counter file's number */
	int			 warned;	/* flush failure logged */
	struct stat		 good;		/* the file known good */
	int			 have_good;	/* ... read or written */
	int			 warned_prev;	/* file.1 failure logged */
	int			 warned_map;	/* no counts file, logged */
	/* the journal of the Redis backend (counter_redis.c): what this
	 * instance counted that Redis has not acknowledged */
	int			 journal;	/* counting into unsent */
	char			*inst;		/* acked's instance; NULL: none */
	unsigned long long	 acked;		/* its last batch applied */
	unsigned long long	 site_unsent;
	struct counter_batch	 batch;		/* pending when seq != 0 */
};

struct parsed {				/* what parse() saw */
	size_t			 lines;		/* in the file */
	size_t			 site_line;	/* 0: none */
	size_t			 arts;		/* article and journal lines */
	size_t			 redis_line;	/* 0: none */
	size_t			 batch_line;	/* its header; 0: none */
	size_t			 site_uline;	/* "unsent N"; 0: none */
	size_t			 flush_line;	/* 0: none */
	size_t			 head_line;	/* "bantin-counters": 1, or 0 */
	size_t			 end_line;	/* 0: none */
	unsigned long long	 end_n;		/* its count */
};

static uint64_t	 hash(const char *, size_t);
static size_t	 lookup(const struct counter *, const char *, size_t);
static size_t	 insert(struct counter *, const char *, size_t, int);
static int	 own_paths(struct counter *);
static int	 grow_tab(struct counter *);
static int	 path_ok(const char *, size_t, const char **);
static int	 parse_count(const char *, size_t, unsigned long long *,
		    const char **);
static size_t	 next_field(const char *, size_t, size_t *, size_t *);
static int	 keyword_count(const struct counter *, size_t, const char *,
		    const char *, size_t, unsigned long long *, char *,
		    size_t);
static int	 take_head(struct counter *, struct parsed *, size_t,
		    const char *, size_t, char *, size_t);
static int	 parse(struct counter *, const char *, size_t,
		    struct parsed *, char *, size_t);
static int	 parse_journal(struct counter *, struct parsed *, size_t,
		    const char *, size_t, size_t, size_t, char *, size_t);
static int	 take_path(struct counter *, size_t, const char *, size_t,
		    size_t *, char *, size_t);
static int	 render_journal(const struct counter *, struct entry **,
		    size_t, struct buf *, size_t *);
static int	 storable(const char *);
static void	 batch_clear(struct counter_batch *);
static int	 check_whole(struct counter *, const struct parsed *, char *,
		    size_t);
static void	 restore_hint(const struct counter *, char *, size_t);
static void	 keep_prev(struct counter *, const char *);
static void	 keep_first(struct counter *, const char *,
		    const struct buf *);
static void	 perr(char *, size_t, const char *, size_t, const char *,
		    ...) __attribute__((format(printf, 5, 6)));
static size_t	 count_lines(const char *, size_t);
static int	 read_file(struct counter *, struct buf *);
static void	 fold(struct counter *, struct gen *);
static void	 gen_free(struct gen *);
static int	 by_path(const void *, const void *, void *);
static int	 render(struct counter *, struct buf *, unsigned long long);

/* FNV-1a: short keys, no need for anything stronger here. */
static uint64_t
hash(const char *s, size_t len)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* An entry's path: its own, or in the pool of the site bound. Entries
 * store offsets, so that a patched site, whose pool is a copy of the
 * last one's, is bound without a write to the entries of its kept
 * articles (pages the workers share: each written one is copied). */
static inline const char *
epath(const struct counter *c, const struct entry *e)
{
	if (e->bind == 0)
		return e->s.own;
	return (e->bind == c->nbind ? c->pool_new : c->pool) + e->s.off;
}

/* e's path becomes the site's being bound, at offset off */
static void
ent_bind(struct counter *c, struct entry *e, uint32_t off)
{
	if (e->bind == 0)
		free((char *)(uintptr_t)e->s.own);
	e->s.off = off;
	e->bind = c->nbind;
}

/* The entry index of path, or (size_t)-1. */
static size_t
lookup(const struct counter *c, const char *path, size_t len)
{
	const char	*k;
	size_t		 i, e;

	if (c->tabcap == 0)
		return (size_t)-1;
	i = (size_t)hash(path, len) & (c->tabcap - 1);
	while ((e = c->tab[i]) != 0) {
		e--;
		k = epath(c, &c->ents[e]);
		if (strncmp(k, path, len) == 0 && k[len] == '\0')
			return e;
		i = (i + 1) & (c->tabcap - 1);
	}
	return (size_t)-1;
}

static int
grow_tab(struct counter *c)
{
	const char	*k;
	size_t		 ncap, i, j;
	uint32_t	*ntab;

	ncap = c->tabcap ? c->tabcap * 2 : COUNTER_TAB_MIN;
	if (ncap > UINT32_MAX || (ntab = calloc(ncap,
	    sizeof(*ntab))) == NULL)
		return -1;
	for (i = 0; i < c->nents; i++) {
		k = epath(c, &c->ents[i]);
		j = (size_t)hash(k, strlen(k)) & (ncap - 1);
		while (ntab[j] != 0)
			j = (j + 1) & (ncap - 1);
		ntab[j] = (uint32_t)i + 1;
	}
	free(c->tab);
	c->tab = ntab;
	c->tabcap = ncap;
	return 0;
}

/* Add path (not yet present) with a zero total; its index or -1. The
 * path is copied, unless it is the string of the site being bound
 * (bind: NUL-terminated at len, and kept as it is). */
static size_t
insert(struct counter *c, const char *path, size_t len, int bind)
{
	struct entry	*ne;
	size_t		 ncap, i;
	const char	*p = path;

	/* keep the load at most one half: probes stay short */
	if ((c->nents + 1) * 2 > c->tabcap && grow_tab(c) == -1)
		return (size_t)-1;
	if (c->nents == c->entcap) {
		ncap = c->entcap ? c->entcap * 2 : COUNTER_TAB_MIN;
		if ((ne = reallocarray(c->ents, ncap, sizeof(*ne))) == NULL)
			return (size_t)-1;
		c->ents = ne;
		c->entcap = ncap;
	}
	if (!bind && (p = strndup(path, len)) == NULL)
		return (size_t)-1;
	memset(&c->ents[c->nents], 0, sizeof(c->ents[c->nents]));
	if (bind) {
		c->ents[c->nents].s.off = (uint32_t)(path - c->pool_new);
		c->ents[c->nents].bind = c->nbind;
	} else
		c->ents[c->nents].s.own = p;
	i = (size_t)hash(path, len) & (c->tabcap - 1);
	while (c->tab[i] != 0)
		i = (i + 1) & (c->tabcap - 1);
	c->tab[i] = (uint32_t)++c->nents;
	return c->nents - 1;
}

/* The entry of path, a new one (as insert) if it has none: one hash,
 * one probe. Its index, or -1 on ENOMEM. */
static size_t
lookup_or_add(struct counter *c, const char *path, size_t len, int bind)
{
	const char	*k;
	size_t		 i, e;
	uint64_t	 h;

	if ((c->nents + 1) * 2 > c->tabcap || c->nents == c->entcap) {
		/* a table to grow first: insert does */
		e = lookup(c, path, len);
		return e != (size_t)-1 ? e : insert(c, path, len, bind);
	}
	h = hash(path, len);
	for (i = (size_t)h & (c->tabcap - 1); (e = c->tab[i]) != 0;
	    i = (i + 1) & (c->tabcap - 1)) {
		e--;
		k = epath(c, &c->ents[e]);
		if (strncmp(k, path, len) == 0 && k[len] == '\0')
			return e;
	}
	memset(&c->ents[c->nents], 0, sizeof(c->ents[c->nents]));
	if (bind) {
		c->ents[c->nents].s.off = (uint32_t)(path - c->pool_new);
		c->ents[c->nents].bind = c->nbind;
	} else if ((c->ents[c->nents].s.own = strndup(path, len)) == NULL)
		return (size_t)-1;
	c->tab[i] = (uint32_t)++c->nents;
	return c->nents - 1;
}

/*
 * A path as written in the file: the parser checks it with this, and
 * the writer encodes every path (put_path) so that it passes: a space,
 * "%" and control characters are written as %XX, so an article whose
 * name has a space keeps its count.
 */
static int
path_ok(const char *s, size_t len, const char **errstr)
{
	size_t		 i, n;
	int		 cp;

	if (len == 0 || s[0] != '/') {
		*errstr = "path does not start with \"/\"";
		return 0;
	}
	if (!utf8_valid(s, len)) {
		*errstr = "invalid UTF-8";
		return 0;
	}
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == ' ') {
			*errstr = "space in path";
			return 0;
		}
		if (cp == '%' && (i + 2 >= len || !isxdigit((unsigned char)
		    s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))) {
			*errstr = "bad %XX escape in path";
			return 0;
		}
		/* C0, DEL and C1 controls */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			*errstr = "control character in path";
			return 0;
		}
	}
	return 1;
}

static int
hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* Decode the %XX escapes of a checked path into out; its length. */
static ssize_t
path_decode_into(char *out, size_t outlen, const char *s, size_t len,
    const char **errstr)
{
	size_t	 i, o = 0;
	int	 v;

	for (i = 0; i < len; i++) {
		if (o + 1 >= outlen) {
			*errstr = "path too long";
			return -1;
		}
		if (s[i] == '%') {
			v = (hexdig(s[i + 1]) << 4) | hexdig(s[i + 2]);
			if (v == 0) {
				*errstr = "NUL in path";
				return -1;
			}
			out[o++] = (char)v;
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	if (!utf8_valid(out, o)) {
		*errstr = "invalid UTF-8";
		return -1;
	}
	return (ssize_t)o;
}

/* Write path, escaping what the file format cannot hold. */
static int
put_path(struct buf *b, const char *p)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)p;

	for (; *u != '\0'; u++) {
		if (*u == ' ' || *u == '%' || *u < 0x20 || *u == 0x7f ||
		    (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) ||
		    (u > (const unsigned char *)p && u[-1] == 0xc2 &&
		    *u >= 0x80 && *u <= 0x9f)) {
			if (buf_putc(b, '%') == -1 ||
			    buf_putc(b, hex[*u >> 4]) == -1 ||
			    buf_putc(b, hex[*u & 15]) == -1)
				return -1;
		} else if (buf_putc(b, *u) == -1)
			return -1;
	}
	return 0;
}

static int
parse_count(const char *s, size_t len, unsigned long long *n,
    const char **errstr)
{
	unsigned long long	 v = 0;
	unsigned		 d;
	size_t			 i;

	if (len == 0) {
		*errstr = "missing count";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*errstr = "count is not a decimal number";
			return -1;
		}
	}
	for (i = 0; i < len; i++) {
		d = (unsigned)(s[i] - '0');
		if (v > (ULLONG_MAX - d) / 10) {
			*errstr = "count out of range";
			return -1;
		}
		v = v * 10 + d;
	}
	*n = v;
	return 0;
}

/* The next blank-separated field of s[0..len) from *pos: its length. */
static size_t
next_field(const char *s, size_t len, size_t *pos, size_t *start)
{
	size_t		 i = *pos;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*start = i;
	while (i < len && s[i] != ' ' && s[i] != '\t')
		i++;
	*pos = i;
	return i - *start;
}

static void
perr(char *err, size_t errlen, const char *file, size_t line,
    const char *fmt, ...)
{
	va_list		 ap;
	int		 n;

	if (errlen == 0)
		return;
	n = snprintf(err, errlen, "%s:%zu: ", file, line);
	if (n < 0 || (size_t)n >= errlen)
		return;			/* truncated: the prefix is enough */
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* The count after "site" or "end" on a line. */
static int
keyword_count(const struct counter *c, size_t line, const char *kw,
    const char *s, size_t len, unsigned long long *n, char *err,
    size_t errlen)
{
	const char	*errstr;

	if (len == 0) {
		perr(err, errlen, c->file, line, "missing count after \"%s\"",
		    kw);
		return -1;
	}
	if (parse_count(s, len, n, &errstr) == -1) {
		perr(err, errlen, c->file, line, "%s", errstr);
		return -1;
	}
	return 0;
}

/* The entry of a path as the file writes it (%XX escapes), made if new. */
static int
take_path(struct counter *c, size_t line, const char *s, size_t len,
    size_t *ent, char *err, size_t errlen)
{
	char		 dec[PATH_MAX];
	const char	*errstr;
	ssize_t		 dlen;
	size_t		 e;

	if (!path_ok(s, len, &errstr) || (dlen = path_decode_into(dec,
	    sizeof(dec), s, len, &errstr)) == -1) {
		perr(err, errlen, c->file, line, "%s", errstr);
		return -1;
	}
	if ((e = lookup(c, dec, (size_t)dlen)) == (size_t)-1 &&
	    (e = insert(c, dec, (size_t)dlen, 0)) == (size_t)-1) {
		perr(err, errlen, c->file, line, "out of memory");
		return -1;
	}
	*ent = e;
	return 0;
}

/* An instance's name as the journal holds it: a field of printable
 * ASCII that cannot be taken for a path. */
static int
inst_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > COUNTER_INST_MAX || s[0] == '/')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

static void
batch_clear(struct counter_batch *b)
{
	free(b->inst);
	free(b->items);
	memset(b, 0, sizeof(*b));
}

static int
batch_add(struct counter_batch *b, size_t ent, unsigned long long n)
{
	struct counter_item	*ni;
	size_t			 ncap;

	if (b->nitems == b->cap) {
		ncap = b->cap ? b->cap * 2 : 64;
		if ((ni = reallocarray(b->items, ncap, sizeof(*ni))) == NULL)
			return -1;
		b->items = ni;
		b->cap = ncap;
	}
	b->items[b->nitems].ent = ent;
	b->items[b->nitems].n = n;
	b->nitems++;
	return 0;
}

/*
 * A line of the Redis backend's journal, after the "redis" line that
 * names the instance (pos: after the keyword, of length kwlen):
 *	redis <instance> <N>		its last batch Redis applied
 *	batch <instance> <seq> <N>	the batch sent and not yet
 *					acknowledged, and its visits
 *	batch <N> <path>		... and its views of path
 *	unsent <N>			visits in no batch yet
 *	unsent <N> <path>		views of path in no batch yet
 */
static int
parse_journal(struct counter *c, struct parsed *pi, size_t line,
    const char *l, size_t ll, size_t pos, size_t kwlen, char *err,
    size_t errlen)
{
	size_t			 s[4], n[4], nf, e;
	unsigned long long	 v, seq = 0;
	const char		*errstr, *kw = l + pos - kwlen;
	int			 hdr;

	for (nf = 0; nf < 4; nf++)
		if ((n[nf] = next_field(l, ll, &pos, &s[nf])) == 0)
			break;
	hdr = kwlen == 5 && memcmp(kw, "batch", 5) == 0 && nf == 3;
	if (pi->site_line == 0) {
		perr(err, errlen, c->file, line, "\"%.*s\" line before the "
		    "\"site\" line", (int)kwlen, kw);
		return -1;
	}
	if ((kwlen == 5 && memcmp(kw, "redis", 5) == 0 && nf != 2) ||
	    (kwlen == 5 && memcmp(kw, "batch", 5) == 0 && nf != 2 &&
	    nf != 3) || (kwlen == 6 && nf != 1 && nf != 2)) {
		perr(err, errlen, c->file, line, "wrong number of fields "
		    "for \"%.*s\"", (int)kwlen, kw);
		return -1;
	}
	if (kw[0] == 'r' || hdr) {
		if (!inst_ok(l + s[0], n[0])) {
			perr(err, errlen, c->file, line, "bad instance name");
			return -1;
		}
		if ((hdr && (parse_count(l + s[1], n[1], &seq,
		    &errstr) == -1 || parse_count(l + s[2], n[2], &v,
		    &errstr) == -1)) || (!hdr && parse_count(l + s[1], n[1],
		    &v, &errstr) == -1)) {
			perr(err, errlen, c->file, line, "%s", errstr);
			return -1;
		}
	} else if (parse_count(l + s[0], n[0], &v, &errstr) == -1) {
		perr(err, errlen, c->file, line, "%s", errstr);
		return -1;
	}
	if (kw[0] == 'r') {
		if (pi->redis_line != 0) {
			perr(err, errlen, c->file, line, "duplicate \"redis\" "
			    "line (first on line %zu)", pi->redis_line);
			return -1;
		}
		if ((c->inst = strndup(l + s[0], n[0])) == NULL)
			goto nomem;
		c->acked = v;
		pi->redis_line = line;
		pi->arts++;
		return 0;
	}
	if (pi->redis_line == 0) {
		perr(err, errlen, c->file, line, "\"%.*s\" line before the "
		    "\"redis\" line", (int)kwlen, kw);
		return -1;
	}
	pi->arts++;
	if (hdr) {
		if (pi->batch_line != 0 || seq == 0) {
			perr(err, errlen, c->file, line, seq == 0 ? "batch 0" :
			    "a second batch (first on line %zu)",
			    pi->batch_line);
			return -1;
		}
		if ((c->batch.inst = strndup(l + s[0], n[0])) == NULL)
			goto nomem;
		c->batch.seq = seq;
		c->batch.site = v;
		pi->batch_line = line;
		return 0;
	}
	if (nf == 1) {			/* unsent visits */
		if (pi->site_uline != 0) {
			perr(err, errlen, c->file, line, "duplicate unsent "
			    "visits (first on line %zu)", pi->site_uline);
			return -1;
		}
		c->site_unsent = v;
		pi->site_uline = line;
		return 0;
	}
	if (kw[0] == 'b' && pi->batch_line == 0) {
		perr(err, errlen, c->file, line, "batch line before its "
		    "header");
		return -1;
	}
	if (take_path(c, line, l + s[1], n[1], &e, err, errlen) == -1)
		return -1;
	if (kw[0] == 'b' ? c->ents[e].bline != 0 : c->ents[e].uline != 0) {
		perr(err, errlen, c->file, line, "duplicate path %.*s (first "
		    "on line %u)", (int)n[1], l + s[1], kw[0] == 'b' ?
		    c->ents[e].bline : c->ents[e].uline);
		return -1;
	}
	if (kw[0] == 'u') {
		c->ents[e].unsent = v;
		c->ents[e].uline = line;
	} else {
		if (batch_add(&c->batch, e, v) == -1)
			goto nomem;
		c->ents[e].bline = line;
	}
	return 0;
 nomem:
	perr(err, errlen, c->file, line, "out of memory");
	return -1;
}

/* "flush N": the number of this write of the file, which the counts
 * files' columns are tagged with */
static int
take_flush(struct counter *c, struct parsed *pi, size_t line,
    size_t site_line, const char *s, size_t len, char *err, size_t errlen)
{
	if (keyword_count(c, line, "flush", s, len, &c->seq, err, errlen) ==
	    -1)
		return -1;
	if (site_line == 0) {
		perr(err, errlen, c->file, line,
		    "\"flush\" line before the \"site\" line");
		return -1;
	}
	if (pi->flush_line != 0) {
		perr(err, errlen, c->file, line, "duplicate \"flush\" line "
		    "(first on line %zu)", pi->flush_line);
		return -1;
	}
	pi->flush_line = line;
	return 0;
}

/* "bantin-counters N", the format's line: the file's first line, and
 * of the format this bantin writes */
static int
take_head(struct counter *c, struct parsed *pi, size_t line, const char *s,
    size_t len, char *err, size_t errlen)
{
	unsigned long long	 n;

	if (line != 1) {
		perr(err, errlen, c->file, line, "\"%s\" line after the "
		    "first line: it can only be the first", COUNTER_HEAD);
		return -1;
	}
	if (keyword_count(c, line, COUNTER_HEAD, s, len, &n, err, errlen) ==
	    -1)
		return -1;
	if (n != COUNTER_FORMAT) {
		perr(err, errlen, c->file, line, "format %llu: this bantin "
		    "reads format %d (a newer bantin wrote this file?)", n,
		    COUNTER_FORMAT);
		return -1;
	}
	pi->head_line = line;
	return 0;
}

static int
parse(struct counter *c, const char *data, size_t len, struct parsed *pi,
    char *err, size_t errlen)
{
	const char		*p = data, *end = data + len, *nl, *l;
	const char		*errstr;
	char			 dec[PATH_MAX];
	ssize_t			 dlen;
	unsigned long long	 n;
	size_t			 ll, line = 0, site_line = 0, pos, s1, n1;
	size_t			 s2, n2, s3, e;

	memset(pi, 0, sizeof(*pi));
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;	/* last line without a newline */
		line++;
		l = p;
		ll = (size_t)(nl - p);
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (!utf8_valid(l, ll)) {
			perr(err, errlen, c->file, line, "invalid UTF-8");
			return -1;
		}
		pos = 0;
		pi->lines = line;
		if ((n1 = next_field(l, ll, &pos, &s1)) == 0 ||
		    l[s1] == '#')
			continue;
		if (pi->end_line != 0) {
			perr(err, errlen, c->file, line, "text after the "
			    "\"end\" line (line %zu)", pi->end_line);
			return -1;
		}
		if ((n1 == 5 && (memcmp(l + s1, "redis", 5) == 0 ||
		    memcmp(l + s1, "batch", 5) == 0)) || (n1 == 6 &&
		    memcmp(l + s1, "unsent", 6) == 0)) {
			pi->site_line = site_line;
			if (parse_journal(c, pi, line, l, ll, pos, n1, err,
			    errlen) == -1)
				return -1;
			continue;
		}
		n2 = next_field(l, ll, &pos, &s2);
		if (next_field(l, ll, &pos, &s3) != 0) {
			perr(err, errlen, c->file, line,
			    "unexpected text after the %s",
			    (n1 == 4 && memcmp(l + s1, "site", 4) == 0) ||
			    (n1 == 5 && memcmp(l + s1, "flush", 5) == 0) ||
			    (n1 == 3 && memcmp(l + s1, "end", 3) == 0) ||
			    (n1 == sizeof(COUNTER_HEAD) - 1 && memcmp(l + s1,
			    COUNTER_HEAD, n1) == 0) ? "count" : "path");
			return -1;
		}
		if (n1 == sizeof(COUNTER_HEAD) - 1 && memcmp(l + s1,
		    COUNTER_HEAD, n1) == 0) {
			if (take_head(c, pi, line, l + s2, n2, err, errlen) ==
			    -1)
				return -1;
			continue;
		}
		if (n1 == 3 && memcmp(l + s1, "end", 3) == 0) {
			if (keyword_count(c, line, "end", l + s2, n2, &n,
			    err, errlen) == -1)
				return -1;
			if (site_line == 0) {
				perr(err, errlen, c->file, line,
				    "\"end\" line before the \"site\" line");
				return -1;
			}
			pi->end_line = line;
			pi->end_n = n;
			continue;
		}
		if (n1 == 5 && memcmp(l + s1, "flush", 5) == 0) {
			if (take_flush(c, pi, line, site_line, l + s2, n2,
			    err, errlen) == -1)
				return -1;
			continue;
		}
		if (n1 == 4 && memcmp(l + s1, "site", 4) == 0) {
			if (site_line != 0) {
				perr(err, errlen, c->file, line,
				    "duplicate \"site\" line (first on line "
				    "%zu)", site_line);
				return -1;
			}
			if (keyword_count(c, line, "site", l + s2, n2, &n,
			    err, errlen) == -1)
				return -1;
			c->site = n;
			site_line = line;
			continue;
		}
		if (parse_count(l + s1, n1, &n, &errstr) == -1) {
			perr(err, errlen, c->file, line, "%s", errstr);
			return -1;
		}
		if (n2 == 0) {
			perr(err, errlen, c->file, line,
			    "missing path after the count");
			return -1;
		}
		/*
		 * The site line comes first, so that a file that lost it
		 * is refused instead of restarting the site at zero.
		 */
		if (site_line == 0) {
			perr(err, errlen, c->file, line,
			    "article count before the \"site\" line");
			return -1;
		}
		if (!path_ok(l + s2, n2, &errstr) || (dlen = path_decode_into(
		    dec, sizeof(dec), l + s2, n2, &errstr)) == -1) {
			perr(err, errlen, c->file, line, "%s", errstr);
			return -1;
		}
		if ((e = lookup(c, dec, (size_t)dlen)) != (size_t)-1) {
			perr(err, errlen, c->file, line,
			    "duplicate path %.*s (first on line %u)",
			    (int)n2, l + s2, (unsigned)c->ents[e].line);
			return -1;
		}
		if ((e = insert(c, dec, (size_t)dlen, 0)) == (size_t)-1) {
			perr(err, errlen, c->file, line, "out of memory");
			return -1;
		}
		c->ents[e].total = n;
		c->ents[e].line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
		pi->arts++;
	}
	pi->site_line = site_line;
	return 0;
}

/*
 * The file is whole: it ends with its end line, and that counts the
 * article lines it has. Without one it is refused, with or without
 * the format's line: a file that has that line was cut short; one
 * without it was cut short too, or was written before the end line
 * existed (by hand, or by an older bantin), and the two cannot be told
 * apart when the cut falls at a line's end, so the operator says which
 * by adding the end line.
 */
static int
check_whole(struct counter *c, const struct parsed *pi, char *err,
    size_t errlen)
{
	if (pi->end_line != 0) {
		if (pi->end_n != pi->arts) {
			perr(err, errlen, c->file, pi->end_line, "\"end %llu\" "
			    "but %zu article lines: lines were lost (or, "
			    "after an edit, correct the count)", pi->end_n,
			    pi->arts);
			return -1;
		}
		return 0;
	}
	if (pi->head_line != 0)
		perr(err, errlen, c->file, pi->lines + 1, "no \"end\" line: "
		    "the file was cut short");
	else
		perr(err, errlen, c->file, pi->lines + 1, "no \"end\" line: "
		    "the file was cut short, or was written before the end "
		    "line existed (by hand, or by an older bantin): if it is "
		    "whole, add the line \"end %zu\" at its end",
		    pi->arts);
	return -1;
}

/* After a refusal: where the last good file is, and how to restore it. */
static void
restore_hint(const struct counter *c, char *err, size_t errlen)
{
	size_t	 n = strlen(err);

	if (n + 1 >= errlen)
		return;
	if (access(c->prev, F_OK) == 0)
		snprintf(err + n, errlen - n, "; the last good file is %s: "
		    "check it, then cp %s %s", c->prev, c->prev, c->file);
	else
		snprintf(err + n, errlen - n, "; there is no %s: restore the "
		    "file from a backup, or correct it by hand", c->prev);
}

/* The number of lines of data[0..len), the last one unended too. */
static size_t
count_lines(const char *data, size_t len)
{
	size_t	 i, n = 1;

	for (i = 0; i + 1 < len; i++)
		if (data[i] == '\n')
			n++;
	return n;
}

/* The whole file into b, its identity into c->good; 1 if it does not
 * exist, -1 with errno. */
static int
read_file(struct counter *c, struct buf *b)
{
	int		 fd, saved;

	if ((fd = open(c->file, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &c->good) == -1 ||
	    buf_read_fd(b, fd, (size_t)-1 / 2, 65536) == -1)
		goto fail;
	close(fd);
	return 0;
 fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* The counter file's name in its folder. */
static const char *
file_base(const struct counter *c)
{
	const char	*base = strrchr(c->file, '/');

	return base != NULL ? base + 1 : c->file;
}

/* A name that starts as a counts file's does, "<file>.counts.<id>":
 * where the id ends, or NULL. */
static const char *
counts_name(const struct counter *c, const char *name, unsigned *id)
{
	const char	*base = file_base(c), *p;
	char		*end;
	size_t		 blen = strlen(base);
	unsigned long	 v;

	if (strncmp(name, base, blen) != 0 ||
	    strncmp(name + blen, ".counts.", 8) != 0)
		return NULL;
	p = name + blen + 8;
	if (*p < '1' || *p > '9')
		return NULL;
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno != 0 || v > UINT_MAX)
		return NULL;
	*id = (unsigned)v;
	return end;
}

/*
 * A process killed during a flush leaves its "<file>.tmp.<pid>" behind
 * (the counter file itself is whole: rename is atomic), and one killed
 * while it made a counts file "<file>.counts.<id>.tmp.<pid>" (the
 * counts file has its name only once whole). Remove those of
 * processes that no longer exist when the counters are opened.
 */
static void
remove_stale(const struct counter *c)
{
	DIR		*d;
	struct dirent	*e;
	const char	*base = file_base(c), *p, *rest;
	char		 path[PATH_MAX], *end;
	size_t		 blen = strlen(base);
	unsigned	 id;
	long		 pid;

	if ((d = opendir(c->dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, blen) != 0)
			continue;
		if ((rest = counts_name(c, e->d_name, &id)) == NULL)
			rest = e->d_name + blen;
		if (strncmp(rest, ".tmp.", 5) != 0)
			continue;
		p = rest + 5;
		pid = strtol(p, &end, 10);
		if (end == p || *end != '\0' || pid <= 0 ||
		    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;	/* a live writer's, or not ours */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->dir,
		    e->d_name) < sizeof(path))
			unlink(path);
	}
	closedir(d);
}

/* What was taken of a generation's counts, as the column col says (NULL:
 * all of them); more than its delta is damage, and taken as nothing.
 * What is left to take. */
static unsigned long long
untaken(unsigned long long delta, const unsigned long long *col,
    unsigned long long *seen, size_t *bad)
{
	*seen = col == NULL ? delta : *col;
	if (*seen > delta) {
		*seen = delta;
		(*bad)++;
	}
	return delta - *seen;
}

/*
 * A counts file left by an instance killed before its flush (or not
 * yet removed after one): what of its counts the counter file lacks is
 * added as a fold would have, to the totals and, if its journal was
 * on, to the unsent counts; it waits in c->done for the next flush,
 * which writes them and removes it. The column tagged with the counter
 * file's number says what that file holds of them.
 */
static int
adopt(struct counter *c, const char *path, unsigned id, char *err,
    size_t errlen)
{
	struct gen			*g;
	const unsigned long long	*col = NULL;
	const char			*p, *inst = "";
	char				 why[128];
	unsigned long long		 visits, views = 0;
	size_t				 i, e, bad = 0;
	int				 r, kind;

	if (id > c->ngen)
		c->ngen = id;		/* never made again under its name */
	if ((g = calloc(1, sizeof(*g))) == NULL)
		goto nomem;
	if ((r = cmap_open(&g->map, path, why, sizeof(why))) == -1) {
		snprintf(err, errlen, "%s: %s: it holds counts %s may lack: "
		    "let the user bantin runs as read and write it, then "
		    "start again", path, strerror(errno), c->file);
		free(g);
		return -1;
	}
	if (r == 0)
		inst = cmap_journal(&g->map);
	if (r == -2 || (*inst != '\0' && !inst_ok(inst, strlen(inst)))) {
		log_warnx("%s: %s: left as it is; its counts were never "
		    "flushed (a power cut?), and are lost", path, r == -2 ?
		    why : "a bad instance name");
		gen_free(g);
		return 0;
	}
	g->id = id;
	g->shm = g->map.shm;
	g->nslots = g->map.nslots;
	if ((g->ent = reallocarray(NULL, g->nslots ? g->nslots : 1,
	    sizeof(*g->ent))) == NULL || (g->seen = calloc(g->nslots ?
	    g->nslots : 1, sizeof(*g->seen))) == NULL)
		goto nomem;
	for (i = 0, p = g->map.strs; i < g->nslots; i++, p += strlen(p) + 1) {
		/* what the counter file could not hold is damage */
		if (p[0] != '/' || strlen(p) >= PATH_MAX) {
			log_warnx("%s: slot %zu: not an article's path: "
			    "damaged, left as it is", path, i);
			gen_free(g);
			return 0;
		}
		if ((e = lookup(c, p, strlen(p))) == (size_t)-1 &&
		    (e = insert(c, p, strlen(p), 0)) == (size_t)-1)
			goto nomem;
		g->ent[i] = (uint32_t)e;
	}
	kind = cmap_seen(&g->map, c->seq, &col);
	if (kind == CMAP_SEEN_ALL)
		col = NULL;
	visits = untaken(g->shm->site.delta, col, &g->site_seen, &bad);
	for (i = 0; i < g->nslots; i++)
		views += untaken(g->shm->art[i].delta, col != NULL ?
		    &col[1 + i] : NULL, &g->seen[i], &bad);
	/* fold() takes delta - seen, as a running master's would have */
	if (*inst != '\0' && counter_journal(c, inst) == -1)
		goto nomem;
	fold(c, g);
	c->journal = 0;		/* the configuration's to turn on */
	if (visits != 0 || views != 0)
		log_info("%s: %llu visits and %llu views that %s lacks "
		    "(bantin was stopped without a flush): counted", path,
		    visits, views, c->file);
	if (kind == CMAP_SEEN_AFTER)
		log_warnx("%s: newer than %s (flush %llu), which was put "
		    "back?: the counts made between them are lost", path,
		    c->file, c->seq);
	if (bad != 0)
		log_warnx("%s: %zu counts below what was taken of them: "
		    "damaged; nothing more taken of them", path, bad);
	g->next = c->done;
	c->done = g;
	return 0;
 nomem:
	snprintf(err, errlen, "%s: out of memory", path);
	gen_free(g);
	return -1;
}

/* Every counts file left in the counter file's folder (adopt). */
static int
recover(struct counter *c, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*e;
	const char	*end;
	char		 path[PATH_MAX];
	unsigned	 id;
	int		 rc = 0;

	if ((d = opendir(c->dir)) == NULL) {
		if (errno == ENOENT)
			return 0;	/* a first start, in a folder to be */
		snprintf(err, errlen, "%s: %s: it may hold counts files",
		    c->dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL)
		if ((end = counts_name(c, e->d_name, &id)) != NULL &&
		    *end == '\0' && (size_t)snprintf(path, sizeof(path),
		    "%s/%s", c->dir, e->d_name) < sizeof(path))
			rc = adopt(c, path, id, err, errlen);
	closedir(d);
	return rc;
}

struct counter *
counter_open(const char *file, char *err, size_t errlen)
{
	struct counter	*c;
	struct buf	 b = BUF_INIT;
	struct parsed	 pi;
	const char	*slash, *last;
	size_t		 blanks;
	int		 r;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->file = strdup(file)) == NULL ||
	    asprintf(&c->prev, "%s.1", file) == -1) {
		if (c != NULL)
			c->prev = NULL;
		goto nomem;
	}
	if ((slash = strrchr(file, '/')) == NULL)
		c->dir = strdup(".");
	else if (slash == file)
		c->dir = strdup("/");
	else
		c->dir = strndup(file, (size_t)(slash - file));
	if (c->dir == NULL)
		goto nomem;
	if ((r = read_file(c, &b)) == -1) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		goto fail;
	}
	if (r == 1) {
		/* no file: a new site, unless its last good copy is there */
		if (access(c->prev, F_OK) == 0) {
			snprintf(err, errlen, "%s: missing, but %s is there: "
			    "check it, then cp %s %s (or remove it too, to "
			    "start the counts of a new site)", file, c->prev,
			    c->prev, file);
			goto fail;
		}
		goto done;
	}
	if (b.len == 0) {
		perr(err, errlen, file, 1, "empty file: the counts were lost");
		goto refused;
	}
	if (b.data[b.len - 1] != '\n') {
		/* a last line with no newline is whole only if it ends it:
		 * "end", blanks and a count */
		last = memrchr(b.data, '\n', b.len);
		last = last != NULL ? last + 1 : b.data;
		last += strspn(last, " \t");
		if (strncmp(last, "end", 3) != 0 ||
		    (blanks = strspn(last + 3, " \t")) == 0 ||
		    !isdigit((unsigned char)last[3 + blanks])) {
			perr(err, errlen, file, count_lines(b.data, b.len),
			    "the file ends in the middle of this line: it was "
			    "cut short");
			goto refused;
		}
	}
	if (parse(c, b.data, b.len, &pi, err, errlen) == -1 ||
	    check_whole(c, &pi, err, errlen) == -1)
		goto refused;
	if (pi.head_line == 0)
		log_info("%s: a file without the \"%s %d\" line: whole (its "
		    "end line counts its lines), and written with it from "
		    "now on", file, COUNTER_HEAD, COUNTER_FORMAT);
	c->have_good = 1;		/* c->good: read_file's fstat */
 done:
	if (recover(c, err, errlen) == -1)
		goto fail;
	buf_free(&b);
	remove_stale(c);
	return c;
 refused:
	restore_hint(c, err, errlen);
	goto fail;
 nomem:
	snprintf(err, errlen, "%s: out of memory", file);
 fail:
	buf_free(&b);
	counter_free(c);
	return NULL;
}

static void
gen_free(struct gen *g)
{
	if (g == NULL)
		return;
	cmap_close(&g->map);
	free(g->ent);
	free(g->seen);
	free(g);
}

void
counter_free(struct counter *c)
{
	struct gen	*g, *next;
	size_t		 i;

	if (c == NULL)
		return;
	gen_free(c->cur);
	for (g = c->old; g != NULL; g = next) {
		next = g->next;
		gen_free(g);
	}
	for (g = c->done; g != NULL; g = next) {
		next = g->next;
		gen_free(g);
	}
	for (i = 0; i < c->nents; i++)
		if (c->ents[i].bind == 0)
			free((char *)(uintptr_t)c->ents[i].s.own);
	free(c->ents);
	free(c->tab);
	free(c->inst);
	batch_clear(&c->batch);
	free(c->file);
	free(c->prev);
	free(c->dir);
	free(c);
}

/*
 * Take what a generation's workers counted since the last fold. Deltas
 * only grow, so totals += now - seen is exact whenever it runs, and
 * unsigned arithmetic keeps it exact even across a wrap. The seen
 * values are 64-bit: the counts file keeps them as they are.
 */
static void
fold(struct counter *c, struct gen *g)
{
	unsigned long long	 now;
	uint64_t		 w;
	size_t			 i, j;

	now = __atomic_load_n(&g->shm->site.delta, __ATOMIC_RELAXED);
	c->site += now - g->site_seen;
	if (c->journal)
		c->site_unsent += now - g->site_seen;
	g->site_seen = now;
	/* only the slots a worker marked hot are read (the bit is taken
	 * before the delta is read: a hit after it marks it again), and
	 * what no hit changed is not written: the workers forked from
	 * these pages share them with the master as long as it does not,
	 * and the pages of articles no one read stay out of its memory */
	for (j = 0; j * 64 < g->nslots; j++) {
		for (w = cmap_hot_take(&g->map, j); w != 0; w &= w - 1) {
			i = j * 64 + (size_t)__builtin_ctzll(w);
			if (i >= g->nslots)
				break;
			now = __atomic_load_n(&g->shm->art[i].delta,
			    __ATOMIC_RELAXED);
			if (now == g->seen[i])
				continue;
			c->ents[g->ent[i]].total += now - g->seen[i];
			if (c->journal)
				c->ents[g->ent[i]].unsent += now - g->seen[i];
			g->seen[i] = now;
			cmap_touch(&g->map, i);
		}
	}
}

/* The new generation's counts file, or, when none can be made, its
 * slots in memory alone: a kill then loses what they count until the
 * next flush. */
static int
make_map(struct counter *c, struct gen *g, const struct site *site)
{
	const char	**paths;
	char		 *path = NULL;
	size_t		  i, n = site->narticles;
	int		  rc = -1;

	if ((paths = reallocarray(NULL, n ? n : 1, sizeof(*paths))) == NULL ||
	    asprintf(&path, "%s.counts.%u", c->file, c->ngen + 1) == -1) {
		path = NULL;
		log_warnx("counter: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		paths[i] = site_article_path(site, &site->articles[i]);
	if (cmap_make(&g->map, path, n, paths, c->seq, c->journal &&
	    c->inst != NULL ? c->inst : "") == 0) {
		if (c->warned_map)
			log_info("counter: %s: counting in a file again", path);
		c->warned_map = 0;
	} else {
		if (!c->warned_map)
			log_warn("counter: %s: counting in memory alone, lost "
			    "if bantin is killed before a flush", path);
		c->warned_map = 1;
		if (cmap_anon(&g->map, n) == -1) {
			log_warn("counter: mmap");
			goto out;
		}
	}
	g->shm = g->map.shm;
	rc = 0;
 out:
	free(paths);
	free(path);
	return rc;
}

int
counter_bind(struct counter *c, struct site *site)
{
	struct gen	*g = NULL;
	const char	*path;
	const uint32_t	*from = NULL;
	struct entry	*ent;
	int		 same_pool;
	uint32_t	 off;
	size_t		 i, n = site->narticles, e, len, bad = 0, want;

	/* the site's strings from now on; before the last site's are
	 * freed, the paths only they held are copied (on every way out:
	 * the caller frees the last site even when this fails) */
	c->nbind++;
	c->pool_new = site->pool;
	if (n > INT_MAX) {
		log_warnx("counter: %zu articles: too many", n);
		goto fail;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->ent = reallocarray(NULL, n ? n : 1, sizeof(*g->ent))) ==
	    NULL || (g->seen = calloc(n ? n : 1, sizeof(*g->seen))) == NULL)
		goto nomem;
	g->nslots = n;
	g->serial = site->serial;
	/* room for as many entries as articles at once (most have one
	 * already at a reload, or from the file): no table grown and
	 * hashed again on the way; any more grow it as usual */
	want = n > c->nents ? n : c->nents;
	while ((want + 1) * 2 > c->tabcap)
		if (grow_tab(c) == -1)
			goto nomem;
	if (want > c->entcap) {
		struct entry *ne;

		if ((ne = reallocarray(c->ents, want, sizeof(*ne))) == NULL)
			goto nomem;
		c->ents = ne;
		c->entcap = want;
	}
	/* an article kept from the site bound last has the entry it had
	 * there: no look-up by its path */
	if (c->cur != NULL && c->cur->serial == site->kept_serial)
		from = site->kept_from;
	/* a patch of the site bound last: its pool is a copy of that
	 * one's, every string where it was */
	same_pool = from != NULL && site->patched;
	for (i = 0; i < n; i++) {
		off = site->articles[i].path;
		path = site->pool + off;
		e = (size_t)-1;
		if (from != NULL && from[i] != 0 && from[i] <= c->cur->nslots) {
			e = c->cur->ent[from[i] - 1];
			ent = &c->ents[e];
			/* a patched site's kept string is where it was, in
			 * a copy of the pool: nothing to write */
			if (same_pool && ent->bind != 0 &&
			    ent->s.off == off) {
				g->ent[i] = (uint32_t)e;
				continue;
			}
			if (strcmp(epath(c, ent), path) != 0)
				e = (size_t)-1;
		}
		if (e == (size_t)-1) {
			len = strlen(path);
			if (path[0] != '/' || !utf8_valid(path, len))
				bad++;
			if ((e = lookup_or_add(c, path, len, 1)) ==
			    (size_t)-1)
				goto nomem;
		}
		/* the same string, the site's */
		ent_bind(c, &c->ents[e], off);
		g->ent[i] = (uint32_t)e;
	}
	/* a patched site has every string the last one had (its pool
	 * is a copy): no entry loses its path */
	if (!same_pool && own_paths(c) == -1)
		goto fail;
	if (make_map(c, g, site) == -1)
		goto fail;
	if (bad > 0)
		log_warnx("counter: %zu article paths cannot be stored in %s "
		    "(not a path, or bad UTF-8): their views "
		    "are not kept", bad, c->file);

	/* Nothing can fail now: the current generation becomes old. */
	if (c->cur != NULL) {
		fold(c, c->cur);
		c->cur->next = c->old;
		c->old = c->cur;
	}
	g->shm->site.base = c->site;
	for (i = 0; i < n; i++) {
		/* the file's new slots are 0: a page of articles no one
		 * has read is never written, nor mapped in */
		if (c->ents[g->ent[i]].total != 0)
			g->shm->art[i].base = c->ents[g->ent[i]].total;
		/* a snapshot from the image has it already: its page
		 * stays the file's */
		if (site->articles[i].counter_slot != (int)i)
			site->articles[i].counter_slot = (int)i;
	}
	g->id = ++c->ngen;
	c->cur = g;
	c->pool = site->pool;
	return 0;
 nomem:
	log_warnx("counter: out of memory");
 fail:
	/* no path may stay the last site's, which goes now */
	(void)own_paths(c);
	c->pool = site->pool;
	/* hits on this site count the visit only, never a wrong slot */
	for (i = 0; i < n; i++)
		site->articles[i].counter_slot = -1;
	gen_free(g);
	return -1;
}

/*
 * The paths still borrowed from a site bound before this one (no
 * article of this one has them: the removed and renamed ones) become
 * the counter's own. Should there be no memory for one, its count goes
 * rather than point at a freed site (a path no lookup finds).
 */
static int
own_paths(struct counter *c)
{
	struct entry	*e;
	size_t		 i, lost = 0;
	char		*p;

	for (i = 0; i < c->nents; i++) {
		e = &c->ents[i];
		if (e->bind == 0 || e->bind == c->nbind)
			continue;
		if ((p = strdup(epath(c, e))) == NULL) {
			e->s.off = 0;		/* the pool's "" */
			e->total = 0;
			e->bind = c->nbind;
			lost++;
			continue;
		}
		e->s.own = p;
		e->bind = 0;
	}
	if (lost > 0) {
		log_warnx("counter: out of memory: the counts of %zu removed "
		    "articles are lost", lost);
		return -1;
	}
	return 0;
}

unsigned
counter_generation(const struct counter *c)
{
	return c->ngen;
}

void
counter_retire_upto(struct counter *c, unsigned id)
{
	struct gen	**gp, *g;

	for (gp = &c->old; (g = *gp) != NULL; ) {
		if (g->id > id) {
			gp = &g->next;
			continue;
		}
		fold(c, g);
		*gp = g->next;
		g->next = c->done;
		c->done = g;
	}
}

void
counter_retire(struct counter *c)
{
	counter_retire_upto(c, UINT_MAX);
}

void
counter_unbind(struct counter *c)
{
	counter_retire(c);
	if (c->cur == NULL)
		return;
	fold(c, c->cur);
	c->cur->next = c->done;
	c->done = c->cur;
	c->cur = NULL;
}

int
counter_recovered(const struct counter *c)
{
	return c->done != NULL;
}

/* Any process, many times a second: no lock, no system call. */
void
counter_hit(struct counter *c, int slot)
{
	struct gen	*g = c->cur;

	if (g == NULL) {
		/* never bound: a single process counting for itself */
		c->site++;
		if (c->journal)
			c->site_unsent++;
		return;
	}
	__atomic_fetch_add(&g->shm->site.delta, 1, __ATOMIC_RELAXED);
	if (slot >= 0 && (size_t)slot < g->nslots) {
		__atomic_fetch_add(&g->shm->art[slot].delta, 1,
		    __ATOMIC_RELAXED);
		cmap_hot(&g->map, (size_t)slot);
	}
}

unsigned long long
counter_site(const struct counter *c)
{
	const struct gen	*g = c->cur;

	if (g == NULL)
		return c->site;
	/* the master may move base (counter_rebase): one load of each */
	return __atomic_load_n(&g->shm->site.base, __ATOMIC_RELAXED) +
	    __atomic_load_n(&g->shm->site.delta, __ATOMIC_RELAXED);
}

unsigned long long
counter_views(const struct counter *c, int slot)
{
	const struct gen	*g = c->cur;

	if (g == NULL || slot < 0 || (size_t)slot >= g->nslots)
		return 0;
	return __atomic_load_n(&g->shm->art[slot].base, __ATOMIC_RELAXED) +
	    __atomic_load_n(&g->shm->art[slot].delta, __ATOMIC_RELAXED);
}

unsigned long long
counter_path_views(const struct counter *c, const char *path)
{
	size_t		 e;

	if ((e = lookup(c, path, strlen(path))) == (size_t)-1)
		return 0;
	return c->ents[e].total;
}

static int
by_path(const void *a, const void *b, void *arg)
{
	const struct entry *const	*ea = a, *const *eb = b;
	const struct counter		*c = arg;

	return strcmp(epath(c, *ea), epath(c, *eb));
}

/* A path the file can hold (and Redis is sent): others are counted
 * while they are served, and never kept. */
static int
storable(const char *path)
{
	return path[0] == '/' && utf8_valid(path, strlen(path));
}

/* The journal's lines (parse_journal), for paths v[0..n) in order;
 * *lines counts them. */
static int
render_journal(const struct counter *c, struct entry **v, size_t n,
    struct buf *b, size_t *lines)
{
	const struct counter_batch	*bt = &c->batch;
	size_t				 i;

	if (c->inst == NULL)
		return 0;
	if (buf_printf(b, "redis %s %llu\n", c->inst, c->acked) == -1)
		return -1;
	(*lines)++;
	if (bt->seq != 0) {
		if (buf_printf(b, "batch %s %llu %llu\n", bt->inst, bt->seq,
		    bt->site) == -1)
			return -1;
		(*lines)++;
		for (i = 0; i < bt->nitems; i++, (*lines)++)
			if (buf_printf(b, "batch %llu ", bt->items[i].n) ==
			    -1 || put_path(b, epath(c,
			    &c->ents[bt->items[i].ent])) ==
			    -1 || buf_putc(b, '\n') == -1)
				return -1;
	}
	if (c->site_unsent != 0) {
		if (buf_printf(b, "unsent %llu\n", c->site_unsent) == -1)
			return -1;
		(*lines)++;
	}
	for (i = 0; i < n; i++) {
		if (v[i]->unsent == 0)
			continue;
		if (buf_printf(b, "unsent %llu ", v[i]->unsent) == -1 ||
		    put_path(b, epath(c, v[i])) == -1 || buf_putc(b, '\n') == -1)
			return -1;
		(*lines)++;
	}
	return 0;
}

/* The file's text: site line first, then paths in byte order, then
 * the journal, if any, then its number seq (0: none), then the end
 * line. */
static int
render(struct counter *c, struct buf *b, unsigned long long seq)
{
	struct entry	**v;
	size_t		  i, n = 0, lines = 0;
	int		  rc = -1;

	if ((v = reallocarray(NULL, c->nents ? c->nents : 1,
	    sizeof(*v))) == NULL)
		return -1;
	/* only what has a count to write: an archive's articles are
	 * mostly unread, and sorting every path made a flush of a
	 * million take a fifth of a second */
	for (i = 0; i < c->nents; i++)
		if ((c->ents[i].total != 0 || c->ents[i].unsent != 0) &&
		    storable(epath(c, &c->ents[i])))
			v[n++] = &c->ents[i];
	qsort_r(v, n, sizeof(*v), by_path, c);
	if (buf_printf(b, "%s %d\n", COUNTER_HEAD, COUNTER_FORMAT) == -1 ||
	    buf_puts(b, "# bantin counters: site visits, then views per "
	    "article path\n") == -1 ||
	    buf_printf(b, "site %llu\n", c->site) == -1)
		goto out;
	for (i = 0; i < n; i++, lines++) {
		if (v[i]->total == 0) {
			lines--;
			continue;
		}
		if (buf_printf(b, "%llu ", v[i]->total) == -1 ||
		    put_path(b, epath(c, v[i])) == -1 || buf_putc(b, '\n') == -1)
			goto out;
	}
	if (render_journal(c, v, n, b, &lines) == -1 ||
	    (seq != 0 && buf_printf(b, "flush %llu\n", seq) == -1))
		goto out;
	/* the end, and how many lines of counts there are above it */
	if (buf_printf(b, "end %zu\n", lines) == -1)
		goto out;
	rc = 0;
 out:
	free(v);
	return rc;
}

/*
 * Keep the file as it stands, if it is the one bantin read whole or
 * last wrote, as file.1: a hard link made under the temporary name
 * (which remove_stale clears) and renamed over file.1, so that file.1
 * is always whole too. A file changed since bantin's last look is not
 * kept: it could be a damaged one.
 */
static void
keep_prev(struct counter *c, const char *tmp)
{
	struct stat	 st;

	if (!c->have_good || lstat(c->file, &st) == -1)
		return;
	if (st.st_dev != c->good.st_dev || st.st_ino != c->good.st_ino ||
	    st.st_size != c->good.st_size ||
	    st.st_mtim.tv_sec != c->good.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != c->good.st_mtim.tv_nsec) {
		log_warnx("%s: changed since bantin read or wrote it: not kept "
		    "as %s, and replaced by the counts in memory", c->file,
		    c->prev);
		c->have_good = 0;
		return;
	}
	(void)unlink(tmp);
	if (link(c->file, tmp) == -1 || rename(tmp, c->prev) == -1) {
		if (!c->warned_prev)
			log_warn("%s: cannot keep the last good file as %s",
			    c->file, c->prev);
		c->warned_prev = 1;
		(void)unlink(tmp);
		return;
	}
	/* file.1 may already be this file (a flush that stopped after
	 * keeping it): rename then does nothing, and tmp, still a link to
	 * the live file, must go before anything is written to tmp */
	(void)unlink(tmp);
	c->warned_prev = 0;
}

/*
 * No last good file yet (a new site's first flush, or one that could
 * not be kept): the file just written is copied as file.1, a file of
 * its own, written and synced as the file is, so that a refusal always
 * names a file to restore. Not a hard link: it would share the file's
 * blocks, and an editor that writes a file with two links in place
 * would change both.
 */
static void
keep_first(struct counter *c, const char *tmp, const struct buf *b)
{
	int	 fd, ok;

	if (access(c->prev, F_OK) == 0 || errno != ENOENT)
		return;
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		goto fail;
	ok = buf_write_fd(b, fd) == 0 && fsync(fd) == 0;
	if (close(fd) == -1 || !ok || rename(tmp, c->prev) == -1)
		goto fail;
	c->warned_prev = 0;
	return;
 fail:
	if (!c->warned_prev)
		log_warn("%s: cannot keep the last good file as %s", c->file,
		    c->prev);
	c->warned_prev = 1;
	(void)unlink(tmp);
}

/* Each generation's columns for counter file number next, written
 * back to the disk (a power cut must not find that file without
 * them); NULL, or the counts file that could not be. */
static const char *
columns(struct counter *c, unsigned long long next)
{
	struct gen	*lists[3] = { c->cur, c->old, c->done }, *g;
	size_t		 i;

	for (i = 0; i < 3; i++)
		for (g = lists[i]; g != NULL; g = i == 0 ? NULL : g->next) {
			cmap_write(&g->map, c->seq, next, g->site_seen,
			    g->seen);
			if (cmap_sync(&g->map) == -1)
				return g->map.path;
		}
	return NULL;
}

/* The retired generations' files, once a counter file on disk holds
 * all they counted. One that stays is removed at the next start. */
static void
drop_done(struct counter *c)
{
	struct gen	*g;

	while ((g = c->done) != NULL) {
		c->done = g->next;
		if (g->map.path != NULL && unlink(g->map.path) == -1 &&
		    errno != ENOENT)
			log_warn("counter: %s", g->map.path);
		gen_free(g);
	}
}

int
counter_flush(struct counter *c)
{
	struct buf	 b = BUF_INIT;
	struct stat	 st;
	const char	*what = NULL, *where = NULL;
	char		*tmp = NULL;
	size_t		 tlen;
	int		 fd = -1, dfd = -1, saved, r, made = 0;

	counter_fold(c);

	tlen = strlen(c->file) + 32;
	if ((tmp = malloc(tlen)) == NULL) {
		what = "allocate";
		errno = ENOMEM;
		goto fail;
	}
	r = snprintf(tmp, tlen, "%s.tmp.%ld", c->file, (long)getpid());
	if (r < 0 || (size_t)r >= tlen) {
		what = "name";
		errno = ENAMETOOLONG;
		goto fail;
	}
	if (render(c, &b, c->seq + 1) == -1) {
		what = "render";
		errno = ENOMEM;
		goto fail;
	}
	keep_prev(c, tmp);
	/* a new file, always: never write through a link planted in the
	 * folder, nor through one to the live file */
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1) {
		what = "create";
		goto fail;
	}
	made = 1;
	if (buf_write_fd(&b, fd) == -1) {
		what = "write";
		goto fail;
	}
	if (fsync(fd) == -1 || fstat(fd, &st) == -1) {
		what = "fsync";
		goto fail;
	}
	r = close(fd);
	fd = -1;
	if (r == -1) {
		what = "close";
		goto fail;
	}
	/* what it holds of each generation's counts, on disk before it */
	if ((where = columns(c, c->seq + 1)) != NULL) {
		what = "sync";
		goto fail;
	}
	if (rename(tmp, c->file) == -1) {
		what = "rename";
		goto fail;
	}
	made = 0;
	c->seq++;
	c->good = st;
	c->have_good = 1;
	keep_first(c, tmp, &b);
	/* the renames are durable only once the folder is synced */
	if ((dfd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(dfd) == -1) {
		what = "fsync folder";
		where = c->dir;
		goto fail;
	}
	close(dfd);
	drop_done(c);
	buf_free(&b);
	free(tmp);
	if (c->warned)
		log_info("%s: counters written again", c->file);
	c->warned = 0;
	return 0;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (dfd != -1)
		close(dfd);
	if (made)
		unlink(tmp);
	/* a full disk would otherwise log every flush_interval */
	if (!c->warned) {
		errno = saved;
		log_warn("counters kept in memory: %s %s", what,
		    where != NULL ? where : tmp != NULL ? tmp : c->file);
		c->warned = 1;
	}
	buf_free(&b);
	free(tmp);
	errno = saved;
	return -1;
}

/* The live generations' files say whose journal their counts join, for
 * a start after a kill to add them to the unsent counts or not. */
static void
journal_heads(struct counter *c)
{
	const char	*inst = c->journal ? c->inst : "";
	struct gen	*g;

	if (c->cur != NULL)
		cmap_set_journal(&c->cur->map, inst);
	for (g = c->old; g != NULL; g = g->next)
		cmap_set_journal(&g->map, inst);
}

/*
 * The Redis backend's half that knows no Redis (counter_redis.c sends
 * what these form): a batch is formed only when none is pending, from
 * the unsent counts, numbered one more than the last batch Redis
 * applied for the instance; it stays pending, the same, until Redis
 * answers it. The master writes the file (the journal) before it
 * sends a batch, so that a restart sends that batch again, never
 * another under its number.
 */
int
counter_journal(struct counter *c, const char *inst)
{
	char	*p;

	if (inst == NULL) {
		c->journal = 0;		/* kept as it is, for a return */
		journal_heads(c);
		return 0;
	}
	if (!inst_ok(inst, strlen(inst))) {
		errno = EINVAL;
		return -1;
	}
	if (c->inst == NULL || strcmp(c->inst, inst) != 0) {
		if ((p = strdup(inst)) == NULL)
			return -1;
		free(c->inst);
		c->inst = p;
		c->acked = 0;	/* the other name's: Redis tells this one's */
	}
	c->journal = 1;
	journal_heads(c);
	return 0;
}

void
counter_fold(struct counter *c)
{
	struct gen	*g;

	if (c->cur != NULL)
		fold(c, c->cur);
	for (g = c->old; g != NULL; g = g->next)
		fold(c, g);
}

const struct counter_batch *
counter_pending(const struct counter *c)
{
	return c->batch.seq != 0 ? &c->batch : NULL;
}

const char *
counter_instance(const struct counter *c)
{
	return c->inst;
}

int
counter_unsent(const struct counter *c)
{
	size_t	 i;

	if (c->site_unsent != 0)
		return 1;
	for (i = 0; i < c->nents; i++)
		if (c->ents[i].unsent != 0 && storable(epath(c, &c->ents[i])))
			return 1;
	return 0;
}

/* Give a batch's counts back to the unsent ones, and drop it. */
static void
unform(struct counter *c)
{
	struct counter_batch	*b = &c->batch;
	size_t			 i;

	for (i = 0; i < b->nitems; i++)
		c->ents[b->items[i].ent].unsent += b->items[i].n;
	c->site_unsent += b->site;
	batch_clear(b);
}

int
counter_form(struct counter *c, size_t max)
{
	struct counter_batch	*b = &c->batch;
	size_t			 e;

	if (c->inst == NULL || b->seq != 0)
		return 0;
	for (e = 0; e < c->nents && b->nitems < max; e++) {
		if (c->ents[e].unsent == 0)
			continue;
		if (!storable(epath(c, &c->ents[e]))) {
			c->ents[e].unsent = 0;	/* never kept (bind) */
			continue;
		}
		if (batch_add(b, e, c->ents[e].unsent) == -1)
			goto nomem;
		c->ents[e].unsent = 0;
	}
	b->site = c->site_unsent;
	c->site_unsent = 0;
	if (b->nitems == 0 && b->site == 0) {
		batch_clear(b);
		return 0;
	}
	if ((b->inst = strdup(c->inst)) == NULL)
		goto nomem;
	b->seq = c->acked + 1;
	return 1;
 nomem:
	unform(c);
	return -1;
}

int
counter_acked(struct counter *c, unsigned long long last)
{
	struct counter_batch	*b = &c->batch;
	int			 same, r = COUNTER_ACK_OK;

	same = c->inst != NULL && (b->seq == 0 ||
	    strcmp(b->inst, c->inst) == 0);
	if (b->seq != 0) {
		/* later batches of its name were applied: it was too */
		if (last > b->seq)
			r = COUNTER_ACK_AHEAD;
		if (same && b->seq > c->acked)
			c->acked = b->seq;
		batch_clear(b);
	}
	if (!same)
		return r;	/* another name's: nothing of this one's */
	if (last > c->acked) {
		/* batches this instance did not make (or forgot) */
		if (c->acked != 0)
			r = COUNTER_ACK_AHEAD;
		c->acked = last;
	} else if (last < c->acked)
		r = COUNTER_ACK_BEHIND;
	return r;
}

/* Shown: Redis's total and what it does not have yet. Only with no
 * batch pending (its counts would be in neither). */
void
counter_set_site(struct counter *c, unsigned long long redis)
{
	if (c->batch.seq == 0)
		c->site = redis + c->site_unsent;
}

void
counter_set_views(struct counter *c, size_t ent, unsigned long long redis)
{
	if (c->batch.seq == 0 && ent < c->nents)
		c->ents[ent].total = redis + c->ents[ent].unsent;
}

/* Workers show base + delta: base becomes the total less what of the
 * delta is in it already, so they show the new totals and every hit
 * since. One atomic store a slot: a page may show a count a moment
 * old, never a torn one. */
static void
rebase(const struct counter *c, struct gen *g)
{
	size_t	 i;

	__atomic_store_n(&g->shm->site.base, c->site - g->site_seen,
	    __ATOMIC_RELAXED);
	for (i = 0; i < g->nslots; i++)
		__atomic_store_n(&g->shm->art[i].base,
		    c->ents[g->ent[i]].total - g->seen[i], __ATOMIC_RELAXED);
}

void
counter_rebase(struct counter *c)
{
	struct gen	*g;

	if (c->cur != NULL)
		rebase(c, c->cur);
	for (g = c->old; g != NULL; g = g->next)
		rebase(c, g);
}

size_t
counter_npaths(const struct counter *c)
{
	return c->nents;
}

const char *
counter_path(const struct counter *c, size_t ent)
{
	if (ent >= c->nents || !storable(epath(c, &c->ents[ent])))
		return NULL;
	return epath(c, &c->ents[ent]);
}

unsigned long long
counter_total(const struct counter *c, size_t ent)
{
	return ent < c->nents ? c->ents[ent].total : 0;
}

struct counter *
counter_new(void)
{
	return calloc(1, sizeof(struct counter));
}

int
counter_put(struct counter *c, const char *path, unsigned long long n)
{
	size_t	 e;

	if (path == NULL) {
		c->site = n;
		return 0;
	}
	if ((e = lookup(c, path, strlen(path))) == (size_t)-1 &&
	    (e = insert(c, path, strlen(path), 0)) == (size_t)-1)
		return -1;
	c->ents[e].total = n;
	return 0;
}

int
counter_write(struct counter *c, FILE *f)
{
	struct buf	 b = BUF_INIT;
	int		 rc = -1;

	if (render(c, &b, 0) == 0 && fwrite(b.data, 1, b.len, f) == b.len &&
	    fflush(f) == 0)
		rc = 0;
	buf_free(&b);
	return rc;
}

char *
counter_format(unsigned long long n, const char *lang, char *buf,
    size_t len)
{
	char		 digits[32], out[48];
	size_t		 nd, i, j = 0;
	int		 r;
	char		 sep = ',';

	/* Vietnamese groups thousands with a dot: 31.717.415 */
	if (lang != NULL && strncmp(lang, "vi", 2) == 0 &&
	    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
		sep = '.';
	r = snprintf(digits, sizeof(digits), "%llu", n);
	if (r < 0 || (size_t)r >= sizeof(digits))
		r = 0;
	nd = (size_t)r;
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[j++] = sep;
		out[j++] = digits[i];
	}
	out[j] = '\0';
	if (len == 0)
		return buf;
	if (j >= len)
		j = 0;			/* too small: empty, never a cut */
	memcpy(buf, out, j);
	buf[j] = '\0';
	return buf;
}
