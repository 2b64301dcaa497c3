/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site.c: the snapshot (site.h) and what it is kept in: the arena its
 * strings and structs live in, the path index (site_find), the reading
 * of tags and the look-up in the tag index that site_load.c builds, the
 * scan's warnings, the growth of its arrays, and site_free(). The
 * bottom of the site module, which site_load.c fills by way of
 * site_walk.c and site_entry.c; it calls none of them.
 *
 *   site_load.c -> site_walk.c -> site_entry.c -> site.c
 */

#include <sys/types.h>
#include <sys/mman.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
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

static void	*arena_bytes(struct site_priv *, size_t, size_t);
static struct slot *index_get(const struct site_priv *, const char *,
		    size_t, int, uint32_t);

struct site_priv *
site_priv_new(void)
{
	return calloc(1, sizeof(struct site_priv));
}

/* The arena and the index, all at once. */
static void
priv_free(struct site_priv *p)
{
	struct chunk	*c, *next;

	if (p == NULL)
		return;
	for (c = p->chunks; c != NULL; c = next) {
		next = c->next;
		munmap(c, c->maplen);
	}
	if (p->tab != NULL)
		munmap(p->tab, p->cap * sizeof(*p->tab));
	free(p);
}

size_t
site_index_count(const struct site_priv *p)
{
	return p->n;
}

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

uint32_t
site_hash(uint32_t h, const char *s, size_t len)
{
	while (len-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

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
	uint32_t	 h = site_hash(SITE_HASH_SEED, key, len);

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
	    site_hash(SITE_HASH_SEED, key, len))) == NULL)
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
	h = site_hash(SITE_HASH_SEED, path, len);
	if ((e = index_get(p, path, len, 0, h)) == NULL) {
		/* a folder asked for without its slash: the key with one */
		if (len == 0 || path[len - 1] == '/')
			return SITE_NONE;
		h = site_hash(h, "/", 1);
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

/* Tags: the index is site_load.c's (finish_tags); these read it. */

int
site_tag_next(const char **p, const char **name, size_t *namelen,
    struct buf *slug)
{
	static const char	 trim[] = " \t\r\n\"'[]";
	const char		*s = *p, *e;
	size_t			 n;

	buf_reset(slug);
	if (s == NULL)
		return 0;
	s += strspn(s, trim);
	while (*s == ',')		/* "a,,b": no tag between */
		s += 1 + strspn(s + 1, trim);
	if (*s == '\0') {
		*p = s;
		return 0;
	}
	e = s + strcspn(s, ",");
	*p = e;
	for (n = (size_t)(e - s); n > 0 && strchr(trim, s[n - 1]) != NULL;
	    n--)
		;
	*name = s;
	*namelen = n;
	if (n > SITE_TAG_NAME_MAX)
		return 1;
	if (utf8_slug(slug, s, n) == -1) {
		buf_reset(slug);
		/* not UTF-8 (cannot be, from the parser): unusable */
		return utf8_valid(s, n) ? -1 : 1;
	}
	return 1;
}

const struct site_tag *
site_tag_find(const struct site *s, const char *slug)
{
	size_t	 lo = 0, hi = s->ntags, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(slug, s->tags[mid].slug)) == 0)
			return &s->tags[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
site_article_tags(const struct site *s, const struct article *a,
    const struct site_tag **out, size_t max)
{
	const struct site_tag	*t;
	struct buf		 slug = BUF_INIT;
	const char		*p = a->meta.tags, *name;
	size_t			 n = 0, i, len;

	if (s == NULL || s->ntags == 0)
		return 0;
	if (max > SITE_TAGS_MAX)
		max = SITE_TAGS_MAX;
	while (n < max && site_tag_next(&p, &name, &len, &slug) == 1) {
		if (slug.len == 0 || (t = site_tag_find(s, slug.data)) == NULL)
			continue;
		for (i = 0; i < n && out[i] != t; i++)
			;
		if (i == n)
			out[n++] = t;
	}
	buf_free(&slug);
	return n;
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

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	if (s->rootfd != -1)
		close(s->rootfd);
	priv_free(s->index);
	free(s->root);
	free(s->articles);
	free(s->files);
	free(s->pages);
	free(s->days);
	buf_free(&s->warnings);
	free(s);
}
