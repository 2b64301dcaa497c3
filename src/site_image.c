/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_image.c: the snapshot kept on disk between runs, so that a
 * restart of an unchanged tree makes nothing again: no catalog row is
 * read, no article record, string or index slot made, nothing sorted.
 * The image holds the snapshot as it was built (the pool of strings,
 * the 40-byte records and the path index are numbers and offsets, and
 * go as they are; categories, files, days and tags are written as
 * numbers instead of pointers) with each folder's share of the stamp
 * as its scan saw it. site_load.c compares those shares with a stat
 * walk of the tree and takes the image whole, or the folders that did
 * not change from it (site_load_image). Everything read is checked:
 * an image that is cut, damaged, from another build or another
 * machine's byte order is refused (a warning, and a full load).
 *
 *   site_load.c -> site_image.c -> site_walk.c -> site_entry.c -> site.c
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "site.h"
#include "site_int.h"

#define IMAGE_MAGIC	"bantin site image\n"
#define IMAGE_VERSION	3		/* 2: ctime in the stamp; 3: the
					   walk's share of the warnings */
#define IMAGE_ORDER	0x01020304u	/* as this machine writes it */
#define IMAGE_ALIGN	65536		/* of the mapped parts: a page
					   of any size Linux runs with */

/*
 * The build that writes an image is the only one that reads it: another
 * may scan, sort or store differently with records of the same size.
 * Its identity is the program's GNU build-id note (the linker's hash
 * of the binary); without one, only the version numbers above count.
 */
struct build {
	unsigned char	 id[64];
	size_t		 len;
};

static int
build_note(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build		*b = arg;
	const ElfW(Phdr)	*ph;
	const ElfW(Nhdr)	*n;
	const char		*p, *end, *name, *desc;
	size_t			 al;
	int			 i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		al = ph->p_align == 8 ? 8 : 4;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(*n)) {
			n = (const void *)p;
			name = p + sizeof(*n);
			desc = name + ((n->n_namesz + al - 1) & ~(al - 1));
			if (desc > end || n->n_descsz > (size_t)(end - desc))
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0 &&
			    n->n_descsz <= sizeof(b->id)) {
				memcpy(b->id, desc, n->n_descsz);
				b->len = n->n_descsz;
				return 1;
			}
			p = desc + ((n->n_descsz + al - 1) & ~(al - 1));
		}
	}
	return 1;	/* the first object is the program: no further */
}

static const struct build *
this_build(void)
{
	static struct build	 b;
	static int		 done;

	if (!done) {
		(void)dl_iterate_phdr(build_note, &b);
		done = 1;
	}
	return &b;
}

/* ---- writing ---------------------------------------------------- */

/* a string, or NULL (length UINT32_MAX) */
static int
put_str(struct buf *b, const char *s)
{
	size_t	 len = s != NULL ? strlen(s) : 0;

	if (s == NULL)
		return buf_put_u32(b, UINT32_MAX);
	if (len >= UINT32_MAX)
		return -1;
	return buf_put_u32(b, (uint32_t)len) == -1 ? -1 : buf_append(b, s, len);
}

static int
put_nums(struct buf *b, const uint32_t *v, size_t n)
{
	if (buf_put_u64(b, n) == -1)
		return -1;
	return n == 0 ? 0 : buf_append(b, v, n * sizeof(*v));
}

/* where the mapped parts are, at the end of the file */
struct trailer {
	uint64_t	 pool_off, pool_len;
	uint64_t	 arts_off, narts;
	uint64_t	 tab_off, tabcap, tabn;
	uint64_t	 len;		/* of the file */
};

/* zeros up to the next multiple of IMAGE_ALIGN: that offset, 0 on
 * ENOMEM */
static uint64_t
align(struct buf *b)
{
	static const char	 zero[256];
	size_t			 n;

	while (b->len % IMAGE_ALIGN != 0) {
		n = IMAGE_ALIGN - b->len % IMAGE_ALIGN;
		if (buf_append(b, zero, n < sizeof(zero) ? n :
		    sizeof(zero)) == -1)
			return 0;
	}
	return b->len;
}

static int
put_image(struct buf *b, const struct site *s, const struct site_watch *w,
    unsigned long long tag)
{
	struct trailer		 tr;
	const struct site_priv	*p = s->index;
	const struct category	*c;
	const struct site_file	*f;
	const struct site_tag	*t;
	const uint32_t		*refs;
	struct site_fnums	*fr = NULL;
	const char		*src, *key;
	unsigned long long	 share;
	size_t			 i, j, cap, n, pool;
	int			 r = -1;

	if ((fr = site_fnums_new(s)) == NULL)
		return -1;
	pool = site_priv_pool_len(p);
	if (buf_append(b, IMAGE_MAGIC, sizeof(IMAGE_MAGIC)) == -1 ||
	    buf_put_u32(b, IMAGE_VERSION) == -1 || buf_put_u32(b, IMAGE_ORDER) == -1 ||
	    buf_put_u32(b, (uint32_t)sizeof(void *)) == -1 ||
	    buf_put_u32(b, (uint32_t)sizeof(struct article)) == -1 ||
	    buf_put_u32(b, (uint32_t)this_build()->len) == -1 ||
	    buf_append(b, this_build()->id, this_build()->len) == -1 ||
	    buf_put_u64(b, tag) == -1 || buf_put_u64(b, s->serial) == -1 ||
	    buf_put_u64(b, s->stamp) == -1 || put_str(b, s->root) == -1 ||
	    put_str(b, s->zone) == -1)
		goto done;
	/* the folders, with their shares of the stamp */
	n = site_watch_nfolders(w);
	for (i = j = 0; i < n; i++)
		if (site_watch_folder(w, i, s->serial, &src, &share))
			j++;
	if (buf_put_u64(b, j) == -1)
		goto done;
	for (i = 0; i < n; i++)
		if (site_watch_folder(w, i, s->serial, &src, &share) &&
		    (put_str(b, src) == -1 || buf_put_u64(b, share) == -1))
			goto done;
	if (buf_put_u64(b, s->nallcats) == -1)
		goto done;
	for (i = 0; i < s->nallcats; i++) {
		c = s->allcats[i];
		if (put_str(b, c->path) == -1 || put_str(b, c->name) == -1 ||
		    put_str(b, c->title) == -1 ||
		    put_str(b, c->description) == -1 ||
		    buf_put_u64(b, (uint64_t)(int64_t)c->order) == -1 ||
		    buf_put_u64(b, c->parent != NULL ? c->parent->num :
		    UINT64_MAX) == -1 || buf_put_u64(b, c->nchildren) == -1)
			goto done;
		for (j = 0; j < c->nchildren; j++)
			if (buf_put_u32(b, c->children[j]->num) == -1)
				goto done;
		if (put_nums(b, c->arts, c->narticles) == -1 ||
		    buf_put_u64(b, c->total) == -1)
			goto done;
	}
	if (buf_put_u64(b, s->ncats) == -1)
		goto done;
	for (i = 0; i < s->ncats; i++)
		if (buf_put_u32(b, s->cats[i]->num) == -1)
			goto done;
	if (buf_put_u64(b, s->nfiles) == -1)
		goto done;
	for (i = 0; i < s->nfiles; i++) {
		f = s->files[i];
		if (put_str(b, f->path) == -1 || put_str(b, f->src) == -1 ||
		    put_str(b, f->title) == -1 ||
		    buf_put_u64(b, (uint64_t)f->size) == -1)
			goto done;
	}
	if (buf_put_u64(b, s->npages) == -1)
		goto done;
	for (i = 0; i < s->npages; i++)
		if (buf_put_u64(b, (uint64_t)site_fnum(fr, s,
		    s->pages[i])) == -1)
			goto done;
	if (buf_put_u64(b, s->ndays) == -1)
		goto done;
	for (i = 0; i < s->ndays; i++)
		if (buf_put_u32(b, (uint32_t)s->days[i].year) == -1 ||
		    buf_put_u32(b, (uint32_t)s->days[i].month) == -1 ||
		    buf_put_u32(b, (uint32_t)s->days[i].day) == -1 ||
		    buf_put_u64(b, s->days[i].first) == -1 ||
		    buf_put_u64(b, s->days[i].count) == -1)
			goto done;
	if (buf_put_u64(b, s->ntags) == -1)
		goto done;
	for (i = 0; i < s->ntags; i++) {
		t = &s->tags[i];
		if (put_str(b, t->slug) == -1 || put_str(b, t->name) == -1 ||
		    put_nums(b, t->arts, t->narts) == -1)
			goto done;
	}
	n = site_priv_ndirs(p);
	if (buf_put_u64(b, n) == -1)
		goto done;
	for (i = 0; i < n; i++) {
		site_priv_dir(p, i, &key, &f);
		if (put_str(b, key) == -1 ||
		    buf_put_u64(b, (uint64_t)site_fnum(fr, s, f)) == -1)
			goto done;
	}
	if (buf_put_u64(b, s->nwarnings) == -1 ||
	    buf_put_u64(b, s->walk_nwarnings) == -1 ||
	    buf_put_u64(b, s->walk_warn_len) == -1 ||
	    buf_put_u64(b, s->tag_nwarnings) == -1 ||
	    buf_put_u64(b, s->tag_warn_len) == -1 ||
	    put_str(b, s->warnings.data != NULL ? s->warnings.data : "") == -1)
		goto done;
	/* the pool, the records and the index as they are, each at a
	 * multiple of IMAGE_ALIGN: a start maps them */
	site_priv_index(p, &refs, &cap, &n);
	tr.pool_off = align(b);
	tr.pool_len = pool;
	if (tr.pool_off == 0 || buf_append(b, s->pool, pool) == -1)
		goto done;
	tr.arts_off = align(b);
	tr.narts = s->narticles;
	if (tr.arts_off == 0 || buf_reserve(b, s->narticles *
	    sizeof(struct article)) == -1)
		goto done;
	for (i = 0; i < s->narticles; i++) {
		struct article a = s->articles[i];

		/* what counter_bind gives it: a start that takes the image
		 * writes no page of records again */
		a.counter_slot = (int32_t)i;
		(void)buf_append(b, &a, sizeof(a));
	}
	tr.tab_off = align(b);
	tr.tabcap = cap;
	tr.tabn = n;
	if (tr.tab_off == 0 || (cap > 0 && buf_append(b, refs,
	    cap * sizeof(*refs)) == -1))
		goto done;
	/* the trailer, last, with the length of it all: a file cut short
	 * is refused */
	tr.len = b->len + sizeof(tr);
	r = buf_append(b, &tr, sizeof(tr));
done:
	free(fr);
	return r;
}

int
site_image_write(const struct site *s, const struct site_watch *w,
    unsigned long long tag, const char *path, char *err, size_t errlen)
{
	struct buf	 b = BUF_INIT, tmp = BUF_INIT;
	int		 fd = -1, r = -1;

	if (buf_printf(&tmp, "%s.new", path) == -1 ||
	    put_image(&b, s, w, tag) == -1) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", tmp.data, strerror(errno));
		goto done;
	}
	if (buf_write_fd(&b, fd) == -1) {
		snprintf(err, errlen, "%s: %s", tmp.data, strerror(errno));
		goto done;
	}
	/* whole on disk before it is the image: a power loss leaves the
	 * old one or this one, never half of it */
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		snprintf(err, errlen, "%s: %s", tmp.data, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.data, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	r = 0;
done:
	if (fd != -1)
		close(fd);
	if (r == -1 && tmp.data != NULL)
		(void)unlink(tmp.data);
	buf_free(&b);
	buf_free(&tmp);
	return r;
}

/* ---- reading ------------------------------------------------------ */

/* a count of things of at least size bytes each, that the rest of the
 * image can hold */
static size_t
get_count(struct buf_rd *r, size_t size)
{
	uint64_t	 n = buf_rd_u64(r);

	if (r->bad || n > r->left / (size ? size : 1)) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

/* a string into the arena; NULL for NULL, or with r->bad set */
static char *
may_str(struct buf_rd *r, struct site_priv *p)
{
	uint32_t	 len = buf_rd_u32(r);
	const char	*v;
	char		*s;

	if (len == UINT32_MAX || (v = buf_rd_bytes(r, len)) == NULL)
		return NULL;
	if (memchr(v, '\0', len) != NULL ||
	    (s = site_arena_cat(p, "", v, len)) == NULL) {
		r->bad = 1;
		return NULL;
	}
	return s;
}

/* the same for a string that must be there */
static char *
need_str(struct buf_rd *r, struct site_priv *p)
{
	char	*s;

	if ((s = may_str(r, p)) == NULL)
		r->bad = 1;
	return s;
}

/* n numbers, each below lim, into the arena */
static uint32_t *
get_nums(struct buf_rd *r, struct site_priv *p, size_t *n, size_t lim)
{
	const uint32_t	*v;
	uint32_t	*a;
	size_t		 i;

	*n = get_count(r, sizeof(uint32_t));
	if (r->bad || *n == 0)
		return NULL;
	v = buf_rd_bytes(r, *n * sizeof(*v));
	if (v == NULL || (a = site_arena_alloc(p, *n * sizeof(*a))) == NULL) {
		r->bad = 1;
		return NULL;
	}
	memcpy(a, v, *n * sizeof(*a));
	for (i = 0; i < *n; i++)
		if (a[i] >= lim) {
			r->bad = 1;
			return NULL;
		}
	return a;
}

static int
folder_cmp(const void *a, const void *b)
{
	return strcmp(((const struct site_image_folder *)a)->src,
	    ((const struct site_image_folder *)b)->src);
}

static int
read_image(struct buf_rd *r, struct site *s, unsigned long long tag,
    struct site_image_folders *fo)
{
	struct site_priv	*p = s->index;
	struct category		*c;
	struct site_file	*f;
	struct site_tag		*t;
	const char		*v, *root;
	uint64_t		 u;
	size_t			 i, j, n;

	v = buf_rd_bytes(r, sizeof(IMAGE_MAGIC));
	if (v == NULL || memcmp(v, IMAGE_MAGIC, sizeof(IMAGE_MAGIC)) != 0 ||
	    buf_rd_u32(r) != IMAGE_VERSION || buf_rd_u32(r) != IMAGE_ORDER ||
	    buf_rd_u32(r) != sizeof(void *) ||
	    buf_rd_u32(r) != sizeof(struct article) ||
	    buf_rd_u32(r) != this_build()->len ||
	    (v = buf_rd_bytes(r, this_build()->len)) == NULL ||
	    memcmp(v, this_build()->id, this_build()->len) != 0 ||
	    buf_rd_u64(r) != tag)
		return -1;
	s->serial = buf_rd_u64(r);
	s->stamp = buf_rd_u64(r);
	root = need_str(r, p);
	s->zone = need_str(r, p);
	/* the root is the snapshot's own (site_free frees it) */
	if (r->bad || (s->root = strdup(root)) == NULL)
		return -1;
	fo->n = get_count(r, 12);
	if (fo->n > 0 && (fo->f = calloc(fo->n, sizeof(*fo->f))) == NULL)
		return -1;
	for (i = 0; i < fo->n && !r->bad; i++) {
		fo->f[i].src = need_str(r, p);
		fo->f[i].stamp = buf_rd_u64(r);
	}
	if (r->bad)
		return -1;
	if (fo->n > 1)
		qsort(fo->f, fo->n, sizeof(*fo->f), folder_cmp);
	/* categories: a parent is numbered after its children */
	n = get_count(r, 40);
	for (i = 0; i < n && !r->bad; i++) {
		if ((c = site_arena_alloc(p, sizeof(*c))) == NULL)
			return -1;
		c->path = need_str(r, p);
		c->name = need_str(r, p);
		c->title = need_str(r, p);
		c->description = may_str(r, p);
		c->order = (int)(int64_t)buf_rd_u64(r);
		u = buf_rd_u64(r);
		if (u != UINT64_MAX && (u <= i || u >= n))
			r->bad = 1;
		c->parent = (void *)(uintptr_t)(u + 1);	/* for below */
		c->nchildren = get_count(r, sizeof(uint32_t));
		if (r->bad || (c->nchildren > 0 && (c->children =
		    site_arena_alloc(p, c->nchildren *
		    sizeof(*c->children))) == NULL))
			return -1;
		for (j = 0; j < c->nchildren; j++) {
			u = buf_rd_u32(r);
			if (u >= i) {
				r->bad = 1;
				break;
			}
			c->children[j] = s->allcats[u];
		}
		c->arts = get_nums(r, p, &c->narticles, s->narticles);
		c->total = buf_rd_u64(r);
		if (r->bad || site_cat_add(p, c) == -1)
			return -1;
	}
	for (i = 0; i < s->nallcats; i++) {
		c = s->allcats[i];
		u = (uint64_t)(uintptr_t)c->parent;
		c->parent = u == 0 ? NULL : s->allcats[u - 1];
	}
	s->ncats = get_count(r, sizeof(uint32_t));
	if (s->ncats > 0 && (s->cats = site_arena_alloc(p, s->ncats *
	    sizeof(*s->cats))) == NULL)
		return -1;
	for (i = 0; i < s->ncats && !r->bad; i++)
		if ((u = buf_rd_u32(r)) >= s->nallcats)
			r->bad = 1;
		else
			s->cats[i] = s->allcats[u];
	s->nfiles = get_count(r, 20);
	if (r->bad || (s->nfiles > 0 && (s->files = calloc(s->nfiles,
	    sizeof(*s->files))) == NULL))
		return -1;
	for (i = 0; i < s->nfiles && !r->bad; i++) {
		if ((f = site_arena_alloc(p, sizeof(*f))) == NULL)
			return -1;
		f->path = need_str(r, p);
		f->src = need_str(r, p);
		f->title = may_str(r, p);
		f->size = (off_t)buf_rd_u64(r);
		s->files[i] = f;
	}
	s->npages = get_count(r, sizeof(uint64_t));
	if (r->bad || (s->npages > 0 && (s->pages = calloc(s->npages,
	    sizeof(*s->pages))) == NULL))
		return -1;
	for (i = 0; i < s->npages && !r->bad; i++)
		if ((u = buf_rd_u64(r)) >= s->nfiles)
			r->bad = 1;
		else
			s->pages[i] = s->files[u];
	s->ndays = get_count(r, 28);
	if (r->bad || (s->ndays > 0 && (s->days = calloc(s->ndays,
	    sizeof(*s->days))) == NULL))
		return -1;
	for (i = 0; i < s->ndays && !r->bad; i++) {
		s->days[i].year = (int)buf_rd_u32(r);
		s->days[i].month = (int)buf_rd_u32(r);
		s->days[i].day = (int)buf_rd_u32(r);
		s->days[i].first = buf_rd_u64(r);
		s->days[i].count = buf_rd_u64(r);
		if (s->days[i].first > s->narticles ||
		    s->days[i].count > s->narticles - s->days[i].first)
			r->bad = 1;
	}
	s->ntags = get_count(r, 16);
	if (r->bad || (s->ntags > 0 && (s->tags = site_arena_alloc(p,
	    s->ntags * sizeof(*s->tags))) == NULL))
		return -1;
	for (i = 0; i < s->ntags && !r->bad; i++) {
		t = &s->tags[i];
		t->slug = need_str(r, p);
		t->name = need_str(r, p);
		t->arts = get_nums(r, p, &t->narts, s->narticles);
	}
	n = get_count(r, 12);
	for (i = 0; i < n && !r->bad; i++) {
		const char *key = need_str(r, p);

		u = buf_rd_u64(r);
		if (r->bad || (u != UINT64_MAX && u >= s->nfiles) ||
		    site_priv_add_dir(p, key, u == UINT64_MAX ? NULL :
		    s->files[u]) == -1)
			return -1;
	}
	s->nwarnings = (size_t)buf_rd_u64(r);
	s->walk_nwarnings = (size_t)buf_rd_u64(r);
	s->walk_warn_len = (size_t)buf_rd_u64(r);
	s->tag_nwarnings = (size_t)buf_rd_u64(r);
	s->tag_warn_len = (size_t)buf_rd_u64(r);
	if ((v = need_str(r, p)) == NULL || buf_puts(&s->warnings, v) == -1)
		return -1;
	/* the walk's come first, then the tags', whole lines */
	if (s->walk_nwarnings > s->tag_nwarnings ||
	    s->tag_nwarnings > s->nwarnings ||
	    s->walk_warn_len > s->tag_warn_len ||
	    s->tag_warn_len > s->warnings.len ||
	    (s->walk_warn_len > 0 &&
	    s->warnings.data[s->walk_warn_len - 1] != '\n') ||
	    (s->tag_warn_len > 0 &&
	    s->warnings.data[s->tag_warn_len - 1] != '\n'))
		return -1;
	return r->bad ? -1 : 0;
}

/* part [off, off + len) of the file, mapped private and writable (the
 * counter writes the records' slots): NULL on failure */
static void *
map_part(int fd, uint64_t off, uint64_t len, size_t *maplen)
{
	void	*v;

	*maplen = (size_t)len > 0 ? (size_t)len : 1;
	v = mmap(NULL, *maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
	    (off_t)off);
	return v == MAP_FAILED ? NULL : v;
}

/* the parts the trailer names: where they are, in order, and fit */
static int
trailer_ok(const struct trailer *tr, uint64_t size)
{
	/* 0 < pool_off <= arts_off <= tab_off <= size, each part within
	 * the next's start (no subtraction below can wrap) */
	return tr->len == size && tr->pool_len > 0 &&
	    tr->pool_len < UINT32_MAX && tr->pool_off % IMAGE_ALIGN == 0 &&
	    tr->arts_off % IMAGE_ALIGN == 0 && tr->tab_off % IMAGE_ALIGN == 0 &&
	    tr->pool_off > 0 && tr->pool_off <= tr->arts_off &&
	    tr->arts_off <= tr->tab_off && tr->tab_off <= size &&
	    tr->pool_len <= tr->arts_off - tr->pool_off &&
	    tr->narts <= (tr->tab_off - tr->arts_off) /
	    sizeof(struct article) &&
	    tr->tabcap <= (size - tr->tab_off) / sizeof(uint32_t);
}

/* the articles' strings are in the pool, and their categories exist;
 * the path index names only nodes the snapshot has */
static int
parts_ok(struct site *s, size_t pool, size_t tabn)
{
	const struct article	*a;
	const uint32_t		*refs;
	size_t			 i, e, cap, n, used = 0;

	if (s->pool[pool - 1] != '\0')
		return 0;
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		if (a->path >= pool || a->title >= pool || a->tags >= pool ||
		    a->cat >= s->nallcats || a->counter_slot != (int32_t)i)
			return 0;
		if (a->flags & ART_OWN_SRC) {
			e = a->path + strlen(s->pool + a->path) + 1;
			if (e >= pool)
				return 0;
		}
	}
	site_priv_index(s->index, &refs, &cap, &n);
	for (i = 0; i < cap; i++) {
		if (!site_priv_ref_ok(s->index, refs[i]))
			return 0;
		used += refs[i] != 0;
	}
	return used == tabn;
}

struct site *
site_image_read(const char *path, unsigned long long tag,
    struct site_image_folders *fo, char *err, size_t errlen)
{
	struct site	*s = NULL;
	struct trailer	 tr;
	struct stat	 st;
	struct buf_rd	 r;
	char		*map = MAP_FAILED;
	void		*part;
	size_t		 maplen = 0, plen;
	long		 pg = sysconf(_SC_PAGESIZE);
	int		 fd;

	memset(fo, 0, sizeof(*fo));
	*err = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno != ENOENT)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (pg <= 0 || IMAGE_ALIGN % pg != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size < sizeof(tr) + sizeof(IMAGE_MAGIC) ||
	    pread(fd, &tr, sizeof(tr), st.st_size - (off_t)sizeof(tr)) !=
	    (ssize_t)sizeof(tr) || !trailer_ok(&tr, (uint64_t)st.st_size))
		goto bad;
	maplen = (size_t)tr.pool_off;
	if ((map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED)
		goto bad;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->index = site_priv_new(s)) == NULL) {
		free(s);
		s = NULL;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->rootfd = -1;
	buf_init(&s->warnings);
	/* the parts mapped, and taken by the snapshot before anything can
	 * point into them */
	if ((part = map_part(fd, tr.pool_off, tr.pool_len, &plen)) == NULL)
		goto bad;
	site_priv_adopt_pool(s->index, part, (size_t)tr.pool_len, plen);
	if ((part = map_part(fd, tr.arts_off, tr.narts *
	    sizeof(struct article), &plen)) == NULL)
		goto bad;
	site_priv_adopt_articles(s->index, part, (size_t)tr.narts, plen);
	if (tr.tabcap > 0) {
		if ((part = map_part(fd, tr.tab_off, tr.tabcap *
		    sizeof(uint32_t), &plen)) == NULL)
			goto bad;
		if (site_priv_adopt_index(s->index, part, (size_t)tr.tabcap,
		    (size_t)tr.tabn) == -1) {
			munmap(part, plen);
			goto bad;
		}
	}
	r.p = map;
	r.left = maplen;
	r.bad = 0;
	if (read_image(&r, s, tag, fo) == -1 ||
	    !parts_ok(s, (size_t)tr.pool_len, (size_t)tr.tabn))
		goto bad;
	site_priv_done(s->index);
	munmap(map, maplen);
	close(fd);
	return s;
bad:
	snprintf(err, errlen, "%s: not an image this bantin wrote for "
	    "this catalog (cut, damaged or old): the site is loaded whole",
	    path);
fail:
	if (map != MAP_FAILED)
		munmap(map, maplen);
	close(fd);
	site_image_folders_free(fo);
	site_free(s);
	return NULL;
}

void
site_image_folders_free(struct site_image_folders *fo)
{
	free(fo->f);
	memset(fo, 0, sizeof(*fo));
}
