/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site.c: the snapshot (site.h) and what it is kept in: the arena its
 * structs and their strings live in, the pool of the articles' strings
 * (titles and tags kept once however many articles share them), the
 * array of articles, the path index (site_find), the reading of tags
 * and the look-up in the tag index that site_load.c builds, the scan's
 * warnings, the growth of its arrays, and site_free(). The bottom of
 * the site module, which site_load.c fills by way of site_walk.c and
 * site_entry.c; it calls none of them.
 *
 *   site_load.c -> site_image.c -> site_walk.c -> site_entry.c -> site.c
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

/*
 * A slot of the path index: 4 bytes, no key (the node it names has
 * it): the node's type and number (a category's num, an article's
 * place in site->articles, a file's in site->files, a plain folder's
 * in the private list of them), and 5 bits of the key's hash, which
 * turn 31 probes in 32 away without a look at the key. 0: empty (type
 * 0 is SITE_NONE).
 */
struct slot {
	uint32_t	 ref;
};
#define REF_NUMS	24		/* up to 16 million of a kind */
#define REF(t, n, h)	((uint32_t)(t) << 29 | ((h) >> 27) << REF_NUMS | \
			    (uint32_t)(n))
#define REF_TYPE(r)	((int)((r) >> 29))
#define REF_TAG(r)	(((r) >> REF_NUMS) & 31)
#define REF_NUM(r)	((r) & ((1u << REF_NUMS) - 1))

struct dirnode {			/* a plain folder in the index */
	const char	*key;		/* its URL path, with slash */
	struct site_file *index;	/* its index.gmi or NULL */
};

/* A mapped region that grows (mremap), so that what is in it is found
 * by offset: the pool of strings, the array of articles. The pool is a
 * memfd's, mapped shared: a patched snapshot maps the same file and
 * adds its strings after the last one's (which never reads past its
 * own length), so that a reload copies none of it. */
struct region {
	char		*base;
	size_t		 len, cap;
	int		 shared;	/* to be, or is, a memfd's */
	int		 fd;		/* the memfd, if base and shared */
};

struct site_priv {			/* behind site->index */
	struct site	*s;
	struct slot	*tab;		/* mapped; cap * sizeof(*tab) */
	size_t		 cap, n;	/* cap is a power of two */
	struct chunk	*chunks;
	size_t		 arena;		/* bytes mapped for the arena */
	struct region	 pool;		/* site->pool */
	struct region	 arts;		/* site->articles */
	struct dirnode	*dirs;
	size_t		 ndirs, dircap;
	size_t		 catcap;
	uint32_t	*intern;	/* offsets in the pool; 0: empty */
	size_t		 icap, in;	/* icap is a power of two */
	struct buf	 tmp;		/* site_index_owner's answer */
};

static void	*arena_bytes(struct site_priv *, size_t, size_t);
static struct slot *index_get(const struct site_priv *, const char *,
		    size_t, int, uint32_t);
static void	 region_free(struct region *);

struct site_priv *
site_priv_new(struct site *s)
{
	struct site_priv	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->s = s;
	p->pool.shared = 1;
	/* offset 0 is "" (no string) */
	if (site_pool_add(p, "", 0) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* The arena, the pool, the articles and the index, all at once. */
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
	region_free(&p->pool);
	region_free(&p->arts);
	free(p->dirs);
	free(p->intern);
	buf_free(&p->tmp);
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

/* the system's page size */
static size_t
page_size(void)
{
	long	 pg = sysconf(_SC_PAGESIZE);

	return pg > 0 ? (size_t)pg : 4096;
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

/* r's memfd mapped whole again, cap bytes, the file made that long if
 * it is shorter (another snapshot may map more of it: never shorter);
 * no mremap of a shared mapping, which qemu-user may not do */
static int
region_map_file(struct region *r, size_t cap, int populate)
{
	struct stat	 st;
	void		*v;

	if (fstat(r->fd, &st) == -1 || ((st.st_size < 0 ||
	    (size_t)st.st_size < cap) && ftruncate(r->fd, (off_t)cap) == -1))
		return -1;
	if ((v = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_SHARED |
	    (populate ? MAP_POPULATE : 0), r->fd, 0)) == MAP_FAILED)
		return -1;
	if (r->base != NULL)
		munmap(r->base, r->cap);
	r->base = v;
	r->cap = cap;
	return 0;
}

/* Room for n more bytes in r; -1 on ENOMEM. */
static int
region_grow(struct region *r, size_t n)
{
	size_t	 cap;
	void	*v;

	if (r->cap - r->len >= n)
		return 0;
	for (cap = r->cap ? r->cap : page_size() * 16; cap - r->len < n;
	    cap *= 2)
		if (cap > SIZE_MAX / 4)
			return -1;
	/* a shared region's file, made with its first bytes; without
	 * memfds (an old kernel, an emulator), an anonymous one */
	if (r->base == NULL && r->shared &&
	    (r->fd = memfd_create("bantin-pool", MFD_CLOEXEC)) == -1)
		r->shared = 0;
	if (r->shared) {
		if (region_map_file(r, cap, 0) == 0)
			return 0;
		if (r->base == NULL)
			close(r->fd);
		return -1;
	}
	v = r->base == NULL ? mmap(NULL, cap, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) :
	    mremap(r->base, r->cap, cap, MREMAP_MAYMOVE);
	if (v == MAP_FAILED)
		return -1;
	r->base = v;
	r->cap = cap;
	return 0;
}

/* What r does not use, given back (the pages past its end). */
static void
region_fit(struct region *r)
{
	size_t	 pg = page_size(), cap;

	cap = (r->len + pg - 1) & ~(pg - 1);
	/* a shared one's pages past its end are not made until written */
	if (r->base == NULL || r->shared || cap == 0 || cap >= r->cap)
		return;
	/* munmap() of the tail, not a shrinking mremap(): the same to the
	 * kernel, and qemu-user 7.2 (Debian 12's), running a 32-bit program
	 * as make check-cross does for armhf, unmaps what follows the old
	 * end instead: the thread's TLS, for one */
	if (munmap(r->base + cap, r->cap - cap) == 0)
		r->cap = cap;
}

static void
region_free(struct region *r)
{
	if (r->base != NULL)
		munmap(r->base, r->cap);
	if (r->base != NULL && r->shared)
		close(r->fd);
	memset(r, 0, sizeof(*r));
}

/* s[0..len) and a NUL at the end of the pool: its offset, or 0 on
 * ENOMEM (offset 0 is the pool's first string, ""). */
uint32_t
site_pool_add(struct site_priv *p, const char *s, size_t len)
{
	size_t	 off = p->pool.len;

	if (len >= UINT32_MAX - off || region_grow(&p->pool, len + 1) == -1)
		return 0;
	memcpy(p->pool.base + off, s, len);
	p->pool.base[off + len] = '\0';
	p->pool.len += len + 1;
	p->s->pool = p->pool.base;
	return (uint32_t)off;
}

/*
 * A string many articles may share (a title, a tags line): the offset
 * of the one already in the pool, or of a new one; 0 on ENOMEM. The
 * table of them lives while the snapshot is built (site_priv_done).
 */
uint32_t
site_pool_intern(struct site_priv *p, const char *s, size_t len)
{
	uint32_t	*t, h = site_hash(SITE_HASH_SEED, s, len), off;
	size_t		 i, j, cap;
	const char	*k;

	if ((p->in + 1) * 2 > p->icap) {
		cap = p->icap ? p->icap * 2 : 1024;
		if ((t = calloc(cap, sizeof(*t))) == NULL)
			return 0;
		for (i = 0; i < p->icap; i++) {
			if (p->intern[i] == 0)
				continue;
			k = p->pool.base + p->intern[i];
			for (j = site_hash(SITE_HASH_SEED, k, strlen(k)) &
			    (cap - 1); t[j] != 0; j = (j + 1) & (cap - 1))
				;
			t[j] = p->intern[i];
		}
		free(p->intern);
		p->intern = t;
		p->icap = cap;
	}
	for (i = h & (p->icap - 1); p->intern[i] != 0;
	    i = (i + 1) & (p->icap - 1)) {
		k = p->pool.base + p->intern[i];
		if (strncmp(k, s, len) == 0 && k[len] == '\0')
			return p->intern[i];
	}
	if ((off = site_pool_add(p, s, len)) == 0)
		return 0;
	p->intern[i] = off;
	p->in++;
	return off;
}

/* Room for one more article at the end of site->articles: the new
 * (zeroed) record, or NULL on ENOMEM. */
struct article *
site_article_new(struct site_priv *p)
{
	struct article	*a;

	if (region_grow(&p->arts, sizeof(*a)) == -1)
		return NULL;
	p->s->articles = (struct article *)(void *)p->arts.base;
	a = &p->s->articles[p->s->narticles];
	memset(a, 0, sizeof(*a));
	p->arts.len += sizeof(*a);
	return a;
}

/* The last article made goes again (it was not kept). */
void
site_article_drop(struct site_priv *p)
{
	p->arts.len -= sizeof(struct article);
}

/* Give c its number in site->allcats; -1 on ENOMEM, or EFBIG past
 * the 65,536 categories an article's 16-bit cat can name. */
int
site_cat_add(struct site_priv *p, struct category *c)
{
	struct site	*s = p->s;
	void		*v;

	if (s->nallcats > UINT16_MAX) {
		errno = EFBIG;
		return -1;
	}
	if ((v = site_grow(s->allcats, s->nallcats, &p->catcap,
	    sizeof(c))) == NULL)
		return -1;
	s->allcats = v;
	c->num = (unsigned)s->nallcats;
	s->allcats[s->nallcats++] = c;
	return 0;
}

/* The snapshot is built: what only the build needed goes, and the
 * regions give back what they do not use. */
void
site_priv_done(struct site_priv *p)
{
	free(p->intern);
	p->intern = NULL;
	p->icap = p->in = 0;
	buf_free(&p->tmp);
	region_fit(&p->pool);
	region_fit(&p->arts);
	p->s->pool = p->pool.base;
	p->s->articles = (struct article *)(void *)p->arts.base;
}

/*
 * Path index: open addressing, FNV-1a, linear probing, up to 4/5 full.
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
slot_key(const struct site_priv *p, uint32_t ref)
{
	const struct site	*s = p->s;

	switch (REF_TYPE(ref)) {
	case SITE_CATEGORY:
		return s->allcats[REF_NUM(ref)]->path;
	case SITE_ARTICLE:
		return site_article_path(s, &s->articles[REF_NUM(ref)]);
	case SITE_FILE:
		return s->files[REF_NUM(ref)]->path;
	default:
		return p->dirs[REF_NUM(ref)].key;
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
		if (e->ref == 0)
			return NULL;
		if (REF_TAG(e->ref) != h >> 27)
			continue;
		k = slot_key(p, e->ref);
		if (strncmp(k, key, len) == 0 && (slash ?
		    k[len] == '/' && k[len + 1] == '\0' : k[len] == '\0'))
			return e;
	}
}

/* A table of ncap slots (a power of two) holding what p's holds: the
 * keys are hashed again. */
static int
index_resize(struct site_priv *p, size_t ncap)
{
	struct slot	*tab;
	const char	*k;
	size_t		 i, j;

	if (ncap > SIZE_MAX / sizeof(*tab) ||
	    (tab = map_zero(ncap * sizeof(*tab))) == NULL)
		return -1;
	for (i = 0; i < p->cap; i++) {
		if (p->tab[i].ref == 0)
			continue;
		k = slot_key(p, p->tab[i].ref);
		for (j = site_hash(SITE_HASH_SEED, k, strlen(k)) & (ncap - 1);
		    tab[j].ref != 0; j = (j + 1) & (ncap - 1))
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
 * The node is type's number num (struct slot), whose path is key. */
int
site_index_put(struct site_priv *p, const char *key, int type, size_t num)
{
	struct slot	*e;
	size_t		 i, len = strlen(key);
	uint32_t	 h = site_hash(SITE_HASH_SEED, key, len);

	if (num >= (1u << REF_NUMS)) {
		errno = EFBIG;
		return -1;
	}
	if (index_get(p, key, len, 0, h) != NULL)
		return 1;
	if ((p->n + 1) * 5 > p->cap * 4 &&
	    index_resize(p, p->cap ? p->cap * 2 : INDEX_MIN) == -1)
		return -1;
	for (i = h & (p->cap - 1); p->tab[i].ref != 0;
	    i = (i + 1) & (p->cap - 1))
		;
	e = &p->tab[i];
	e->ref = REF(type, num, h);
	p->n++;
	return 0;
}

/* A plain folder, its URL path key kept (in the arena), with its
 * index.gmi or NULL: as site_index_put. */
int
site_index_dir(struct site_priv *p, const char *key, struct site_file *index)
{
	struct dirnode	*dn;
	int		 r;

	if ((dn = site_grow(p->dirs, p->ndirs, &p->dircap,
	    sizeof(*dn))) == NULL)
		return -1;
	p->dirs = dn;
	p->dirs[p->ndirs].key = key;
	p->dirs[p->ndirs].index = index;
	if ((r = site_index_put(p, key, SITE_DIR, p->ndirs)) == 0)
		p->ndirs++;
	return r;
}

/* The articles were sorted: the one at old[i] is at i now; to is the
 * caller's scratch of n numbers (allocated before the sort, so that
 * nothing can fail once the records have moved). */
void
site_index_moved(struct site_priv *p, const uint32_t *old, uint32_t *to,
    size_t n)
{
	size_t		 i;

	for (i = 0; i < n; i++)
		to[old[i]] = (uint32_t)i;
	for (i = 0; i < p->cap; i++)
		if (REF_TYPE(p->tab[i].ref) == SITE_ARTICLE)
			p->tab[i].ref = (p->tab[i].ref & ~((1u << REF_NUMS) -
			    1)) | to[REF_NUM(p->tab[i].ref)];
}

/*
 * For the image kept on disk (site_image.c): the pool, the articles
 * and the path index given whole, and the plain folders' nodes one by
 * one; and read back. The index keeps numbers, not pointers, so it is
 * saved as it is.
 */
/* A mapping of maplen bytes (a private one of the image file) becomes
 * the pool, of which len bytes are used; site_free unmaps it. */
void
site_priv_adopt_pool(struct site_priv *p, char *base, size_t len,
    size_t maplen)
{
	region_free(&p->pool);
	p->pool.base = base;
	p->pool.len = len;
	p->pool.cap = maplen;
	p->s->pool = base;
}

void
site_priv_adopt_articles(struct site_priv *p, struct article *a, size_t n,
    size_t maplen)
{
	region_free(&p->arts);
	p->arts.base = (char *)a;
	p->arts.len = n * sizeof(*a);
	p->arts.cap = maplen;
	p->s->articles = a;
	p->s->narticles = n;
}

/* the same for the path index: cap slots (a power of two, at least
 * INDEX_MIN, at most 4/5 full), n of them used; -1 if that is not so
 * (the caller unmaps then) */
int
site_priv_adopt_index(struct site_priv *p, uint32_t *refs, size_t cap,
    size_t n)
{
	if (cap < INDEX_MIN || (cap & (cap - 1)) != 0 || n * 5 > cap * 4)
		return -1;
	if (p->tab != NULL)
		munmap(p->tab, p->cap * sizeof(*p->tab));
	p->tab = (struct slot *)(void *)refs;
	p->cap = cap;
	p->n = n;
	return 0;
}

void
site_priv_index(const struct site_priv *p, const uint32_t **refs,
    size_t *cap, size_t *n)
{
	*refs = p->tab != NULL ? &p->tab->ref : NULL;
	*cap = p->cap;
	*n = p->n;
}

/* is ref a node the snapshot has? (an index read from disk) */
int
site_priv_ref_ok(const struct site_priv *p, uint32_t ref)
{
	const struct site	*s = p->s;

	switch (REF_TYPE(ref)) {
	case SITE_NONE:
		return ref == 0;
	case SITE_CATEGORY:
		return REF_NUM(ref) < s->nallcats;
	case SITE_ARTICLE:
		return REF_NUM(ref) < s->narticles;
	case SITE_FILE:
		return REF_NUM(ref) < s->nfiles;
	case SITE_DIR:
		return REF_NUM(ref) < p->ndirs;
	default:
		return 0;
	}
}

size_t
site_priv_pool_len(const struct site_priv *p)
{
	return p->pool.len;
}

size_t
site_priv_ndirs(const struct site_priv *p)
{
	return p->ndirs;
}

void
site_priv_dir(const struct site_priv *p, size_t i, const char **key,
    const struct site_file **index)
{
	*key = p->dirs[i].key;
	*index = p->dirs[i].index;
}

/* a plain folder whose slot the index has already */
int
site_priv_add_dir(struct site_priv *p, const char *key,
    struct site_file *index)
{
	struct dirnode	*dn;

	if ((dn = site_grow(p->dirs, p->ndirs, &p->dircap,
	    sizeof(*dn))) == NULL)
		return -1;
	p->dirs = dn;
	p->dirs[p->ndirs].key = key;
	p->dirs[p->ndirs++].index = index;
	return 0;
}

/*
 * The number of a file of s->files from its pointer (a category's or a
 * plain folder's index.gmi, a page), by a search of a sorted copy of
 * the pointers: for the image, and for a patch's copy.
 */
struct site_fnums {
	const struct site_file	*f;
	uint32_t		 i;
};

static int
fnum_cmp(const void *a, const void *b)
{
	const struct site_fnums	*x = a, *y = b;

	return x->f < y->f ? -1 : x->f > y->f;
}

struct site_fnums *
site_fnums_new(const struct site *s)
{
	struct site_fnums	*fn;
	size_t			 i;

	if ((fn = reallocarray(NULL, s->nfiles ? s->nfiles : 1,
	    sizeof(*fn))) == NULL)
		return NULL;
	for (i = 0; i < s->nfiles; i++) {
		fn[i].f = s->files[i];
		fn[i].i = (uint32_t)i;
	}
	if (s->nfiles > 1)
		qsort(fn, s->nfiles, sizeof(*fn), fnum_cmp);
	return fn;
}

int64_t
site_fnum(const struct site_fnums *fn, const struct site *s,
    const struct site_file *f)
{
	struct site_fnums	 key, *r;

	if (f == NULL || s->nfiles == 0)
		return -1;
	key.f = f;
	r = bsearch(&key, fn, s->nfiles, sizeof(*fn), fnum_cmp);
	return r != NULL ? (int64_t)r->i : -1;
}

/*
 * A patched snapshot (site_patch.c) starts as a copy of prev's pool,
 * records and path index: offsets and numbers, copied as they are.
 */
/* r made anew, room for n bytes, its pages in place, huge ones where
 * the kernel has them: a copy of tens of megabytes into pages faulted
 * in one at a time took ten times as long (0.15 s for 110 MB in a VM,
 * against 13 ms into huge pages) */
static void *
map_copy_dest(size_t len)
{
	void	*v;

	if ((v = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(v, len, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	(void)madvise(v, len, MADV_POPULATE_WRITE);
#endif
	return v;
}

static int
region_populated(struct region *r, size_t n)
{
	size_t	 pg = page_size(), cap;
	void	*v;

	cap = (n + pg - 1) & ~(pg - 1);
	if ((v = map_copy_dest(cap)) == NULL)
		return -1;
	region_free(r);
	r->base = v;
	r->cap = cap;
	return 0;
}

/* prev's pool, whole: its offsets are this one's. The same file, if
 * it is a memfd's (nothing copied: the strings this one adds go after
 * prev's); else a copy in a new one. -1 on ENOMEM. */
int
site_priv_copy_pool(struct site_priv *p, const struct site *prev)
{
	const struct region	*pr = &((const struct site_priv *)
				    prev->index)->pool;
	size_t			 len = pr->len, pg = page_size(), cap;
	int			 fd;

	cap = (len + len / 64 + 4096 + pg - 1) & ~(pg - 1);
	if (pr->shared && pr->base != NULL) {
		if ((fd = fcntl(pr->fd, F_DUPFD_CLOEXEC, 0)) == -1)
			return -1;
		region_free(&p->pool);
		p->pool.shared = 1;
		p->pool.fd = fd;
		if (region_map_file(&p->pool, cap, 1) == -1) {
			close(fd);
			memset(&p->pool, 0, sizeof(p->pool));
			return -1;
		}
	} else {
		region_free(&p->pool);
		p->pool.shared = 1;
		if (region_grow(&p->pool, cap) == -1)
			return -1;
		memcpy(p->pool.base, prev->pool, len);
	}
	p->pool.len = len;
	p->s->pool = p->pool.base;
	return 0;
}

/* prev's records but those drop marks, in prev's order; to[j] is
 * where prev's j went (UINT32_MAX: dropped), from[i] is 1 + where i
 * was (room for prev->narticles). -1 on ENOMEM. */
int
site_priv_copy_articles(struct site_priv *p, const struct site *prev,
    const uint8_t *drop, uint32_t *to, uint32_t *from)
{
	struct site	*s = p->s;
	size_t		 j, n = 0, run;

	if (region_populated(&p->arts, prev->narticles *
	    sizeof(struct article) + 64 * sizeof(struct article)) == -1)
		return -1;
	s->articles = (struct article *)(void *)p->arts.base;
	for (j = 0; j < prev->narticles; ) {
		if (drop[j]) {
			to[j++] = UINT32_MAX;
			continue;
		}
		/* a run of kept ones, copied at once */
		for (run = j; j < prev->narticles && !drop[j]; j++) {
			to[j] = (uint32_t)(n + j - run);
			from[n + j - run] = (uint32_t)j + 1;
		}
		memcpy(&s->articles[n], &prev->articles[run],
		    (j - run) * sizeof(struct article));
		n += j - run;
	}
	s->narticles = n;
	p->arts.len = n * sizeof(struct article);
	return 0;
}

/* a slot for ref, from its key's home on */
static void
index_place(struct site_priv *p, uint32_t ref)
{
	const char	*k = slot_key(p, ref);
	size_t		 i;

	for (i = site_hash(SITE_HASH_SEED, k, strlen(k)) & (p->cap - 1);
	    p->tab[i].ref != 0; i = (i + 1) & (p->cap - 1))
		;
	p->tab[i].ref = ref;
}

/*
 * prev's index, its articles renumbered by to (site_priv_copy_articles)
 * and the dropped ones' keys gone. The categories, files and plain
 * folders must be this snapshot's already, with prev's numbers. -1 on
 * ENOMEM.
 */
int
site_priv_copy_index(struct site_priv *p, const struct site *prev,
    const uint32_t *to)
{
	const struct site_priv	*pp = prev->index;
	uint32_t		 ref, *holes = NULL;
	size_t			 i, k, nholes = 0, hcap = 0;
	void			*v;

	if (p->tab != NULL)
		munmap(p->tab, p->cap * sizeof(*p->tab));
	p->tab = NULL;
	p->cap = p->n = 0;
	if ((p->tab = map_copy_dest(pp->cap * sizeof(*p->tab))) == NULL)
		return -1;
	p->cap = pp->cap;
	p->n = pp->n;
	for (i = 0; i < pp->cap; i++) {
		ref = pp->tab[i].ref;
		if (REF_TYPE(ref) == SITE_ARTICLE) {
			if (to[REF_NUM(ref)] == UINT32_MAX) {
				if ((v = site_grow(holes, nholes, &hcap,
				    sizeof(*holes))) == NULL) {
					free(holes);
					return -1;
				}
				holes = v;
				holes[nholes++] = (uint32_t)i;
				p->n--;
				continue;
			}
			ref = (ref & ~((1u << REF_NUMS) - 1)) |
			    to[REF_NUM(ref)];
		}
		p->tab[i].ref = ref;
	}
	/* what follows a hole in its run of slots is placed again: a
	 * probe must not stop at the hole before it */
	for (k = 0; k < nholes; k++)
		for (i = (holes[k] + 1) & (p->cap - 1); p->tab[i].ref != 0;
		    i = (i + 1) & (p->cap - 1)) {
			ref = p->tab[i].ref;
			p->tab[i].ref = 0;
			index_place(p, ref);
		}
	free(holes);
	return 0;
}

/* What holds key, for a warning: the source of an article or a file,
 * "a folder", or NULL if the key is free. Valid until the next call. */
const char *
site_index_owner(struct site_priv *p, const char *key)
{
	struct slot	*e;
	size_t		 len = strlen(key);

	if ((e = index_get(p, key, len, 0,
	    site_hash(SITE_HASH_SEED, key, len))) == NULL)
		return NULL;
	switch (REF_TYPE(e->ref)) {
	case SITE_ARTICLE:
		return site_article_src(p->s,
		    &p->s->articles[REF_NUM(e->ref)], &p->tmp);
	case SITE_FILE:
		return p->s->files[REF_NUM(e->ref)]->src;
	default:
		return "a folder";
	}
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
	n->type = (enum site_node_type)REF_TYPE(e->ref);
	switch (n->type) {
	case SITE_CATEGORY:
		n->cat = s->allcats[REF_NUM(e->ref)];
		break;
	case SITE_ARTICLE:
		n->art = &s->articles[REF_NUM(e->ref)];
		break;
	case SITE_FILE:
		n->file = s->files[REF_NUM(e->ref)];
		break;
	default:
		n->file = p->dirs[REF_NUM(e->ref)].index;
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
	const char		*p = s->pool + a->tags, *name;
	size_t			 n = 0, i, len;

	if (s == NULL || s->ntags == 0 || a->tags == 0)
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

/* An article's own strings and metadata (site.h). */

uint64_t
site_stat_key(long long size, long long mtime_ns)
{
	uint64_t	 h = (uint64_t)mtime_ns ^ 0x9e3779b97f4a7c15ULL;

	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h ^= (uint64_t)size * 0x94d049bb133111ebULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

const char *
site_article_slug(const struct site *s, const struct article *a)
{
	return site_article_path(s, a) + strlen(site_article_cat(s, a)->path);
}

const char *
site_fmt_ext(int fmt)
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

/* The path's file with its format's extension, unless the article
 * has a source of its own (a symbolic link, an .htm): after its path */
const char *
site_article_src(const struct site *s, const struct article *a,
    struct buf *b)
{
	const char	*path = site_article_path(s, a);

	buf_reset(b);
	if (a->flags & ART_OWN_SRC) {
		if (buf_puts(b, path + strlen(path) + 1) == -1)
			return "";
	} else if (buf_puts(b, path + 1) == -1 ||
	    buf_puts(b, site_fmt_ext(a->fmt)) == -1)
		return "";
	return b->data;
}

void
site_article_meta(const struct site *s, const struct article *a,
    struct article_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->title = (char *)(uintptr_t)site_article_title(s, a);
	m->date = (time_t)a->date;
	m->has_date = (a->flags & ART_HAS_DATE) != 0;
	m->has_time = (a->flags & ART_HAS_TIME) != 0;
	m->has_zone = (a->flags & ART_HAS_ZONE) != 0;
	m->zone = a->zone;
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

/* A warning about article a's tags (a scan's, site_load.c's or a
 * patch's): name[0..len) cannot be a tag, or (name NULL) it has more
 * than SITE_TAGS_MAX. */
void
site_tag_warn(struct scan *sc, const struct site *s, const struct article *a,
    const char *name, size_t len)
{
	size_t	 show;

	if (name == NULL) {
		site_warn(sc, "/", site_article_src(s, a, &sc->tmp), 0,
		    "more than %d tags: the rest are ignored", SITE_TAGS_MAX);
		return;
	}
	show = utf8_prefix_cols(name, len, 40);
	site_warn(sc, "/", site_article_src(s, a, &sc->tmp), 0,
	    "tag '%.*s%s' ignored: %s", (int)show, name, show < len ? "..." :
	    "", len > SITE_TAG_NAME_MAX ? "too long" :
	    "no letter or digit for its URL");
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
	free(s->allcats);
	free(s->files);
	free(s->pages);
	free(s->days);
	free(s->kept_from);
	buf_free(&s->warnings);
	free(s);
}

void
site_kept_done(struct site *s)
{
	free(s->kept_from);
	s->kept_from = NULL;
}
