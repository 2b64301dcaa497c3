/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site.c: the immutable snapshot of the capsule tree: categories
 * (folders, nested), articles sorted newest first, attachments and
 * static pages, the date index, and a hash from URL path to node.
 * site_load() has site_walk.c scan the tree into it, then sorts the
 * articles, counts the days and hands each category its articles. The
 * snapshot holds metadata only; bodies are read again, through rootfd,
 * when an article is served, so that a 100,000-article site fits on a
 * Raspberry Pi. Strings and structs live in one arena that site_free()
 * drops at once, and the problems the scan met are kept as warnings.
 * Nothing here lists a folder, and nothing knows about requests or
 * protocols.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "log.h"
#include "site.h"
#include "site_int.h"
#include "utf8.h"

/*
 * The arena is mapped, not taken from malloc: a snapshot is some 50 MB
 * at 100,000 articles, and a reload builds the next one while this one
 * serves. In the heap the two would interleave, and the old one's
 * space, freed, would be scattered holes that later small allocations
 * dirty in pages the workers share. A mapping goes back whole.
 */
#define ARENA_CHUNK	(1 << 20)
#define ARENA_ALIGN	8		/* pointers, off_t, time_t */

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;	/* cap: bytes of data */
	size_t		 maplen;
	max_align_t	 data[];
};

struct slot {				/* one hash table entry */
	void		*ptr;		/* category, article, file or
					   dirnode; NULL: empty */
	uint32_t	 hash;
	uint32_t	 lentype;	/* key length << 3 | node type */
};

struct dirnode {			/* a plain folder in the index */
	const char	*key;		/* its URL path, with slash */
	struct site_file *index;	/* its index.gmi or NULL */
};

struct site_priv {			/* behind site->index */
	struct slot	*tab;		/* mapped; cap * sizeof(*tab) */
	size_t		 cap, n;	/* cap is a power of two */
	struct chunk	*chunks;
	size_t		 arena;		/* bytes mapped for the arena */
};

static unsigned long	 site_serial;	/* snapshots made by this process */

static void	*arena_bytes(struct site_priv *, size_t, size_t);
static uint32_t	 hash_str(uint32_t, const char *, size_t);
static struct slot *index_get(const struct site_priv *, const char *,
		    size_t, int, uint32_t);
static int	 body_convert(const struct site *, const struct article *,
		    struct buf *, char *, size_t);
static int	 finish(struct scan *);

static void *
map_zero(size_t len)
{
	void	*p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Arena: everything in the snapshot, freed in one go. */

void *
site_arena_alloc(struct site_priv *p, size_t n)
{
	return arena_bytes(p, n, ARENA_ALIGN);
}

/* n bytes aligned to al (a power of two): strings need no alignment,
 * and with 100,000 articles the padding would add up. Fresh mapped
 * memory is zero: nothing is cleared here. */
static void *
arena_bytes(struct site_priv *p, size_t n, size_t al)
{
	struct chunk	*c = p->chunks;
	size_t		 cap, len, pad = 0;
	long		 pg = sysconf(_SC_PAGESIZE);
	void		*r;

	if (c != NULL)
		pad = (al - c->used % al) % al;
	if (c == NULL || c->cap - c->used < n + pad) {
		cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		if (pg <= 0)
			pg = 4096;
		len = (sizeof(*c) + cap + (size_t)pg - 1) &
		    ~((size_t)pg - 1);
		if (len < cap || (c = map_zero(len)) == NULL)
			return NULL;
		c->used = 0;
		c->cap = len - sizeof(*c);
		c->maplen = len;
		p->arena += len;
		/* a big block goes behind the current chunk, whose free
		 * space stays in use for small ones */
		if (cap != ARENA_CHUNK && p->chunks != NULL) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
		pad = 0;
	}
	c->used += pad;
	r = (char *)c->data + c->used;
	c->used += n;
	return r;
}

char *
site_arena_strdup(struct site_priv *p, const char *s)
{
	return s == NULL ? NULL : site_arena_cat(p, s, "", 0);
}

/* a followed by the first blen bytes of b */
char *
site_arena_cat(struct site_priv *p, const char *a, const char *b,
    size_t blen)
{
	size_t	 alen = strlen(a);
	char	*r;

	if ((r = arena_bytes(p, alen + blen + 1, 1)) == NULL)
		return NULL;
	memcpy(r, a, alen);
	memcpy(r + alen, b, blen);
	r[alen + blen] = '\0';
	return r;
}

/*
 * Path index: open addressing, FNV-1a, linear probing. A slot holds
 * no key: the node it points to has it, which halves the table. Up to
 * 4/5 full: the stored hash turns most probes away without a look at
 * the key.
 */

static uint32_t
hash_str(uint32_t h, const char *s, size_t len)
{
	while (len-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

#define HASH_SEED	2166136261u
#define INDEX_MIN	1024

static const char *
slot_key(const struct slot *e)
{
	switch (e->lentype & 7) {
	case SITE_CATEGORY:
		return ((const struct category *)e->ptr)->path;
	case SITE_ARTICLE:
		return ((const struct article *)e->ptr)->path;
	case SITE_FILE:
		return ((const struct site_file *)e->ptr)->path;
	default:
		return ((const struct dirnode *)e->ptr)->key;
	}
}

/* key[0..len), followed by a '/' if slash */
static struct slot *
index_get(const struct site_priv *p, const char *key, size_t len,
    int slash, uint32_t h)
{
	struct slot	*e;
	const char	*k;
	size_t		 i;

	if (p->cap == 0)
		return NULL;
	for (i = h & (p->cap - 1);; i = (i + 1) & (p->cap - 1)) {
		e = &p->tab[i];
		if (e->ptr == NULL)
			return NULL;
		if (e->hash != h || (e->lentype >> 3) != len + !!slash)
			continue;
		k = slot_key(e);
		if (memcmp(k, key, len) == 0 && (!slash || k[len] == '/'))
			return e;
	}
}

/* A table of ncap slots (a power of two) holding what p's holds. */
static int
index_resize(struct site_priv *p, size_t ncap)
{
	struct slot	*tab;
	size_t		 i, j;

	if (ncap > SIZE_MAX / sizeof(*tab) ||
	    (tab = map_zero(ncap * sizeof(*tab))) == NULL)
		return -1;
	for (i = 0; i < p->cap; i++) {
		if (p->tab[i].ptr == NULL)
			continue;
		for (j = p->tab[i].hash & (ncap - 1); tab[j].ptr != NULL;
		    j = (j + 1) & (ncap - 1))
			;
		tab[j] = p->tab[i];
	}
	if (p->tab != NULL)
		munmap(p->tab, p->cap * sizeof(*p->tab));
	p->tab = tab;
	p->cap = ncap;
	return 0;
}

/* Room for n nodes without a resize: a reload knows how many the last
 * snapshot had. */
int
site_index_reserve(struct site_priv *p, size_t n)
{
	size_t	 cap = INDEX_MIN;

	while (cap < SIZE_MAX / 8 && n * 5 > cap * 4)
		cap *= 2;
	return cap > p->cap ? index_resize(p, cap) : 0;
}

/* Returns 0, 1 if the key is taken (nothing stored), -1 on ENOMEM.
 * For SITE_DIR, key must live in the arena (it is kept). */
int
site_index_put(struct site_priv *p, const char *key, int type, void *ptr)
{
	struct slot	*e;
	struct dirnode	*dn;
	size_t		 i, len = strlen(key);
	uint32_t	 h = hash_str(HASH_SEED, key, len);

	if (index_get(p, key, len, 0, h) != NULL)
		return 1;
	if ((p->n + 1) * 5 > p->cap * 4 &&
	    index_resize(p, p->cap ? p->cap * 2 : INDEX_MIN) == -1)
		return -1;
	if (type == SITE_DIR) {
		if ((dn = site_arena_alloc(p, sizeof(*dn))) == NULL)
			return -1;
		dn->key = key;
		dn->index = ptr;
		ptr = dn;
	}
	for (i = h & (p->cap - 1); p->tab[i].ptr != NULL;
	    i = (i + 1) & (p->cap - 1))
		;
	e = &p->tab[i];
	e->ptr = ptr;
	e->hash = h;
	e->lentype = (uint32_t)(len << 3 | (size_t)type);
	p->n++;
	return 0;
}

/* What holds key, for a warning: the source of an article or a file,
 * "a folder", or NULL if the key is free. */
const char *
site_index_owner(const struct site_priv *p, const char *key)
{
	struct slot	*e;
	size_t		 len = strlen(key);

	if ((e = index_get(p, key, len, 0,
	    hash_str(HASH_SEED, key, len))) == NULL)
		return NULL;
	return (e->lentype & 7) == SITE_ARTICLE ?
	    ((struct article *)e->ptr)->src :
	    (e->lentype & 7) == SITE_FILE ?
	    ((struct site_file *)e->ptr)->src : "a folder";
}

/* Find the node a path names; see site.h. */
enum site_node_type
site_find(const struct site *s, const char *path, struct site_node *n)
{
	const struct site_priv	*p;
	struct slot		*e;
	struct site_node	 tmp;
	size_t			 len;
	uint32_t		 h;

	if (n == NULL)
		n = &tmp;
	memset(n, 0, sizeof(*n));
	if (s == NULL || path == NULL || (p = s->index) == NULL)
		return SITE_NONE;
	len = strlen(path);
	if (len >= (1u << 28))
		return SITE_NONE;
	h = hash_str(HASH_SEED, path, len);
	if ((e = index_get(p, path, len, 0, h)) == NULL) {
		/* a folder asked for without its slash: the key with one */
		if (len == 0 || path[len - 1] == '/')
			return SITE_NONE;
		h = hash_str(h, "/", 1);
		if ((e = index_get(p, path, len, 1, h)) == NULL)
			return SITE_NONE;
	}
	n->type = (enum site_node_type)(e->lentype & 7);
	switch (n->type) {
	case SITE_CATEGORY:
		n->cat = e->ptr;
		break;
	case SITE_ARTICLE:
		n->art = e->ptr;
		break;
	case SITE_FILE:
		n->file = e->ptr;
		break;
	default:
		n->file = ((struct dirnode *)e->ptr)->index;
		break;
	}
	return n->type;
}

/* Warnings: "path:line: reason", the path as the operator sees it. */

void
site_warn(struct scan *sc, const char *dirurl, const char *name, int line,
    const char *fmt, ...)
{
	struct buf	*w, reason = BUF_INIT;
	va_list		 ap;

	if (sc->s == NULL)
		return;
	w = &sc->s->warnings;
	/* the url of a folder is "/x/": its path below root is "x/" */
	utf8_sanitize_line(w, dirurl + 1, strlen(dirurl + 1));
	utf8_sanitize_line(w, name, strlen(name));
	if (line > 0)
		buf_printf(w, ":%d", line);
	buf_puts(w, ": ");
	/* one line per warning, whatever a quoted value holds */
	va_start(ap, fmt);
	if (buf_vprintf(&reason, fmt, ap) == 0)
		utf8_sanitize_line(w, reason.data, reason.len);
	va_end(ap);
	buf_free(&reason);
	buf_putc(w, '\n');
	sc->s->nwarnings++;
}

/* Room for element n of arr: returns arr, moved, or NULL (ENOMEM). */
void *
site_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t	 ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 32;
	if ((arr = reallocarray(arr, ncap, size)) != NULL)
		*cap = ncap;
	return arr;
}

static int
art_cmp(const void *pa, const void *pb)
{
	const struct article	*a = *(struct article *const *)pa;
	const struct article	*b = *(struct article *const *)pb;

	if (a->meta.date != b->meta.date)
		return a->meta.date > b->meta.date ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Categories by order, then title as a reader would sort it: folded,
 * so that "Đời sống" sorts among the D's. */
static int
cat_cmp(const void *pa, const void *pb)
{
	const struct category	*a = *(struct category *const *)pa;
	const struct category	*b = *(struct category *const *)pb;
	struct buf		 fa = BUF_INIT, fb = BUF_INIT;
	int			 r;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (utf8_fold(&fa, a->title, strlen(a->title)) == 0 &&
	    utf8_fold(&fb, b->title, strlen(b->title)) == 0 &&
	    fa.data != NULL && fb.data != NULL)
		r = strcmp(fa.data, fb.data);
	else
		r = strcmp(a->title, b->title);
	buf_free(&fa);
	buf_free(&fb);
	return r != 0 ? r : strcmp(a->path, b->path);
}

/* Sort children, give each category its articles, count totals. */
static int
finish_cats(struct scan *sc, struct category **cats, size_t n)
{
	struct category	*c;
	size_t		 i, j;

	if (n > 1)
		qsort(cats, n, sizeof(*cats), cat_cmp);
	for (i = 0; i < n; i++) {
		c = cats[i];
		if (c->narticles > 0 && (c->articles = site_arena_alloc(sc->p,
		    c->narticles * sizeof(*c->articles))) == NULL)
			return -1;
		c->total = c->narticles;
		c->narticles = 0;
		if (finish_cats(sc, c->children, c->nchildren) == -1)
			return -1;
		for (j = 0; j < c->nchildren; j++)
			c->total += c->children[j]->total;
	}
	return 0;
}

static int
finish(struct scan *sc)
{
	struct site	*s = sc->s;
	struct article	*a;
	struct site_day	*dd;
	struct tm	 tm;
	size_t		 i, cap = 0;

	if (s->narticles > 1)
		qsort(s->articles, s->narticles, sizeof(*s->articles),
		    art_cmp);
	for (i = 0; i < s->narticles; i++) {
		s->articles[i]->idx = i;
		s->articles[i]->cat->narticles++;
	}
	if (finish_cats(sc, s->cats, s->ncats) == -1)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		a = s->articles[i];
		a->catidx = a->cat->narticles;
		a->cat->articles[a->cat->narticles++] = a;
		if (gmtime_r(&a->meta.date, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		if (s->ndays > 0) {
			dd = &s->days[s->ndays - 1];
			if (dd->year == tm.tm_year + 1900 &&
			    dd->month == tm.tm_mon + 1 &&
			    dd->day == tm.tm_mday) {
				dd->count++;
				continue;
			}
		}
		if (s->ndays == cap) {
			cap = cap ? cap * 2 : 64;
			if ((dd = reallocarray(s->days, cap,
			    sizeof(*dd))) == NULL)
				return -1;
			s->days = dd;
		}
		dd = &s->days[s->ndays++];
		dd->year = tm.tm_year + 1900;
		dd->month = tm.tm_mon + 1;
		dd->day = tm.tm_mday;
		dd->first = i;
		dd->count = 1;
	}
	return 0;
}

/*
 * A partial scan tells the catalog what went: each source of prev that
 * no article of s has now. Most reloads find every path of prev in s
 * with its source, and look no further.
 */
static int
forget_gone(struct scan *sc)
{
	const struct site	*prev = sc->prev, *s = sc->s;
	struct site_node	 n;
	const char		**set = NULL, *src;
	size_t			 i, j, cap = 0;
	uint32_t		 h;

	/* each path of prev found with its source: none went */
	if (sc->nsame == prev->narticles)
		return 0;
	for (i = 0; i < prev->narticles; i++) {
		src = prev->articles[i]->src;
		if (site_find(s, prev->articles[i]->path, &n) ==
		    SITE_ARTICLE && strcmp(n.art->src, src) == 0)
			continue;
		/* gone from its path: is its source used at another? */
		if (set == NULL) {
			for (cap = 64; cap < 2 * s->narticles; cap *= 2)
				;
			if ((set = calloc(cap, sizeof(*set))) == NULL)
				return -1;
			for (j = 0; j < s->narticles; j++) {
				h = hash_str(HASH_SEED, s->articles[j]->src,
				    strlen(s->articles[j]->src));
				while (set[h & (cap - 1)] != NULL)
					h++;
				set[h & (cap - 1)] = s->articles[j]->src;
			}
		}
		h = hash_str(HASH_SEED, src, strlen(src));
		while (set[h & (cap - 1)] != NULL &&
		    strcmp(set[h & (cap - 1)], src) != 0)
			h++;
		if (set[h & (cap - 1)] == NULL)
			catalog_forget(sc->catalog, src);
	}
	free(set);
	return 0;
}

struct site *
site_load(const char *root, struct catalog *catalog, char *err,
    size_t errlen)
{
	return site_reload(root, catalog, NULL, err, errlen);
}

struct site *
site_reload(const char *root, struct catalog *catalog,
    const struct site *prev, char *err, size_t errlen)
{
	struct scan	 sc;
	struct site	*s;
	struct stat	 st, pst;
	char		*real = NULL;
	int		 r;

	memset(&sc, 0, sizeof(sc));
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->index = calloc(1, sizeof(struct site_priv))) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->rootfd = -1;
	s->serial = ++site_serial;
	buf_init(&s->warnings);
	sc.s = s;
	sc.p = s->index;
	if ((real = realpath(root, NULL)) == NULL ||
	    (s->rootfd = open(real, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || fstat(s->rootfd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", root, strerror(errno));
		goto fail;
	}
	s->root = real;
	real = NULL;
	sc.rootfd = s->rootfd;
	sc.rootreal = s->root;
	/* "/" as a root: every resolved path starts with rootreal + "/" */
	sc.rootlen = strcmp(s->root, "/") == 0 ? 0 : strlen(s->root);
	sc.devs[0] = st.st_dev;
	sc.inos[0] = st.st_ino;
	/* the same folder, not only the same name */
	if (prev != NULL && (strcmp(prev->root, s->root) != 0 ||
	    fstat(prev->rootfd, &pst) == -1 || pst.st_dev != st.st_dev ||
	    pst.st_ino != st.st_ino))
		prev = NULL;
	if (prev != NULL) {
		/* room for as much as last time: no growing on the way */
		sc.artcap = prev->narticles + 64;
		if ((s->articles = reallocarray(NULL, sc.artcap,
		    sizeof(*s->articles))) == NULL ||
		    site_index_reserve(sc.p,
		    ((struct site_priv *)prev->index)->n + 64) == -1) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (catalog != NULL && prev != NULL) {
		/* what is kept is not seen: only a partial scan keeps
		 * its entries, so anything else is a full scan */
		if (catalog_begin_partial(catalog) == 0)
			sc.partial = 1;
		else
			prev = NULL;
	}
	if (catalog != NULL && !sc.partial && catalog_begin(catalog) == -1) {
		log_warnx("catalog: cannot begin a scan; reading every file");
		catalog = NULL;
	}
	sc.catalog = catalog;
	sc.prev = prev;
	if (site_walk(&sc) == -1) {
		snprintf(err, errlen, "%s: %s", root, errno == ENOMEM ?
		    "out of memory" : strerror(errno));
		if (catalog != NULL)
			catalog_abort(catalog);
		goto fail;
	}
	if (sc.partial && forget_gone(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		catalog_abort(catalog);
		goto fail;
	}
	if (catalog != NULL && (r = catalog_end(catalog)) != 0) {
		if (r == 1 && sc.partial) {
			/* rebuilt during the scan: fill it again, whole */
			buf_free(&sc.src);
			buf_free(&sc.body);
			site_free(s);
			return site_reload(root, catalog, NULL, err, errlen);
		}
		log_warnx("catalog: cannot finish the scan");
	}
	s->stamp = sc.stamp;
	if (finish(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	buf_free(&sc.src);
	buf_free(&sc.body);
	return s;
fail:
	free(real);
	buf_free(&sc.src);
	buf_free(&sc.body);
	site_free(s);
	return NULL;
}

void
site_free(struct site *s)
{
	struct site_priv	*p;
	struct chunk		*c, *next;

	if (s == NULL)
		return;
	if (s->rootfd != -1)
		close(s->rootfd);
	if ((p = s->index) != NULL) {
		for (c = p->chunks; c != NULL; c = next) {
			next = c->next;
			munmap(c, c->maplen);
		}
		if (p->tab != NULL)
			munmap(p->tab, p->cap * sizeof(*p->tab));
		free(p);
	}
	free(s->root);
	free(s->articles);
	free(s->files);
	free(s->pages);
	free(s->days);
	buf_free(&s->warnings);
	free(s);
}

/*
 * Converted bodies are kept in a small per-process cache, so that a
 * popular article (or a feed of twenty) is converted once, not on
 * every request. Entries are keyed by the snapshot's serial and the
 * article's index: a reload makes a new snapshot in new workers, so an
 * entry never outlives what it was made from. Idle, it costs nothing.
 */
#define BODY_CACHE_SLOTS	64		/* direct-mapped by index */
#define BODY_CACHE_MAX		(64 * 1024)	/* bigger bodies: not kept */

static struct {
	unsigned long	 serial;		/* 0 = empty */
	size_t		 idx;
	char		*body;
	size_t		 len;
} body_cache[BODY_CACHE_SLOTS];

int
site_article_body(const struct site *s, const struct article *a,
    struct buf *gemtext, char *err, size_t errlen)
{
	size_t		 slot = a->idx % BODY_CACHE_SLOTS, mark = gemtext->len;
	char		*copy;
	int		 r;

	if (body_cache[slot].serial == s->serial &&
	    body_cache[slot].idx == a->idx)
		return buf_append(gemtext, body_cache[slot].body,
		    body_cache[slot].len);
	if ((r = body_convert(s, a, gemtext, err, errlen)) == -1 ||
	    gemtext->len - mark > BODY_CACHE_MAX)
		return r;
	if ((copy = malloc(gemtext->len - mark + 1)) == NULL)
		return r;		/* not kept; served all the same */
	memcpy(copy, gemtext->data + mark, gemtext->len - mark);
	copy[gemtext->len - mark] = '\0';
	free(body_cache[slot].body);
	body_cache[slot].serial = s->serial;
	body_cache[slot].idx = a->idx;
	body_cache[slot].body = copy;
	body_cache[slot].len = gemtext->len - mark;
	return r;
}

static const char *
fmt_ext(enum article_fmt fmt)
{
	switch (fmt) {
	case FMT_GMI:
		return ".gmi";
	case FMT_MD:
		return ".md";
	case FMT_TXT:
		return ".txt";
	default:
		return ".html";
	}
}

static int
body_convert(const struct site *s, const struct article *a,
    struct buf *gemtext, char *err, size_t errlen)
{
	struct article_meta	 m;
	struct buf		 src = BUF_INIT;
	char			*name = NULL;
	int			 r = -1;

	if (site_read_source(s->rootfd, a->src, &src, NULL, NULL) == -1) {
		snprintf(err, errlen, "%s: %s", a->src, strerror(errno));
		goto done;
	}
	/* the name the site knows, not a link target's: same format */
	if (asprintf(&name, "%s%s", a->slug, fmt_ext(a->fmt)) == -1) {
		name = NULL;
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	r = article_parse(name, a->cat->path, src.data != NULL ? src.data :
	    "", src.len, &m, gemtext, err, errlen);
	if (r == 0)
		article_meta_free(&m);
done:
	free(name);
	buf_free(&src);
	return r;
}
