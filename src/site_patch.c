/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_patch.c: a reload made by patching the running snapshot. When
 * every change since its scan is to files the watch's events named in
 * category folders (an article edited, added or removed; no folder
 * added or gone, no _category.ini touched), the new snapshot starts
 * as a copy of the running one: its pool of strings is the same file
 * (site.c: the new strings go after the last one's), its records and
 * path index are copied as they are (offsets and numbers, no
 * pointers), its categories, files and plain folders made again with
 * the same numbers, and its warnings carried but those about the
 * files named; its tag index is the last one's, patched
 * (site_patch_tags). Only those files are stat'ed and, if changed,
 * read: a reload costs a copy of the snapshot, not a walk of the tree,
 * a record, string and index slot made for every article, and a sort.
 * Anything else (a folder to read whole, a name that is not an
 * article's, a slug two files claim) is left to the usual reload.
 *
 *   site_load.c -> site_patch.c -> site_image.c -> site_walk.c ->
 *   site_entry.c -> site.c
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "scheme.h"
#include "site.h"
#include "site_entry.h"
#include "site_int.h"
#include "site_patch.h"
#include "utf8.h"

/* dropped strings a pool may hold before a walk makes it anew: a
 * quarter of it, and never less than this */
#define POOL_DEAD_MIN	16384

/* one file the events named, and what the patch does with it */
struct op {
	const struct category	*cat;	/* prev's */
	const char		*name;	/* the watch's */
	char			*src;	/* below the root */
	size_t			 drop;	/* 1 + prev's article it was */
	int			 add;	/* there now, changed: read it */
	struct stat		 st;
};

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* do file names a and b (an article's each) give the same slug? */
static int
same_slug(const char *a, const char *b)
{
	size_t	 la = (size_t)(strrchr(a, '.') - a);
	size_t	 lb = (size_t)(strrchr(b, '.') - b);

	return la == lb && memcmp(a, b, la) == 0;
}

/* what a's strings take in the pool, at most (a title or tags line
 * may be another's too) */
static size_t
pool_bytes(const struct site *s, const struct article *a)
{
	size_t	 n, plen;

	plen = strlen(s->pool + a->path) + 1;
	n = plen;
	if (a->flags & ART_OWN_SRC)
		n += strlen(s->pool + a->path + plen) + 1;
	if (a->title < a->path || a->title >= a->path + plen)
		n += strlen(s->pool + a->title) + 1;
	if (a->tags != 0)
		n += strlen(s->pool + a->tags) + 1;
	return n;
}

/*
 * Is a line of prev's warnings (the walk's) about a file in folder url
 * whose slug is slug, other than name? Then that file lost its slug to
 * another or was skipped: which one is served is for a walk to say.
 */
static int
sibling_warned(const struct site *prev, const char *url, const char *slug,
    const char *name)
{
	const char	*p = prev->warnings.data, *end, *nl;
	size_t		 ulen = strlen(url + 1), slen = strlen(slug);
	size_t		 nlen = strlen(name);

	if (p == NULL)
		return 0;
	for (end = p + prev->walk_warn_len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > ulen + slen &&
		    memcmp(p, url + 1, ulen) == 0 &&
		    memcmp(p + ulen, slug, slen) == 0 &&
		    p[ulen + slen] == '.' &&
		    !((size_t)(nl - p) > ulen + nlen &&
		    memcmp(p + ulen, name, nlen) == 0 &&
		    p[ulen + nlen] == ':'))
			return 1;
	}
	return 0;
}

/*
 * What the patch does with file name of folder src: into op, or 0 if
 * a patch cannot say (the usual reload must), -1 on ENOMEM.
 */
static int
plan(struct scan *sc, const char *src, const char *name, struct op *op)
{
	const struct site	*prev = sc->prev;
	struct site_node	 n;
	const char		*dot, *p;
	char			 url[1024], path[1024];
	int			 depth = 1, fmt, len;

	memset(op, 0, sizeof(*op));
	op->name = name;
	/* the root's files are static pages; names a warning line
	 * could not hold as they are */
	if (*src == '\0' || strchr(name, '/') != NULL ||
	    !utf8_valid(name, strlen(name)))
		return 0;
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ':')
			return 0;
	for (p = src; *p != '\0'; p++)
		depth += *p == '/';
	len = snprintf(url, sizeof(url), "/%s/", src);
	if (len < 0 || (size_t)len >= sizeof(url) ||
	    site_find(prev, url, &n) != SITE_CATEGORY ||
	    strcmp(n.cat->path, url) != 0)
		return 0;
	op->cat = n.cat;
	/* an article's name: attachments and pages are left to a walk,
	 * but for a file that came and went (a tool's temporary one) */
	if ((fmt = article_fmt(name)) == -1 || strcmp(name, "index.gmi") == 0 ||
	    scheme_reserved(name, depth) || (dot = strrchr(name, '.')) == NULL) {
		len = snprintf(path, sizeof(path), "%s%s", url, name);
		return len > 0 && (size_t)len < sizeof(path) &&
		    site_find(prev, path, NULL) == SITE_NONE &&
		    fstatat(sc->rootfd, path + 1, &op->st,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno == ENOENT;
	}
	len = snprintf(path, sizeof(path), "%s%.*s", url, (int)(dot - name),
	    name);
	if (len < 0 || (size_t)len >= sizeof(path))
		return 0;
	if (asprintf(&op->src, "%s/%s", src, name) == -1) {
		op->src = NULL;
		return -1;
	}
	switch (site_find(prev, path, &n)) {
	case SITE_NONE:
		break;
	case SITE_ARTICLE:
		/* another file has the slug */
		if (strcmp(site_article_src(prev, n.art, &sc->tmp),
		    op->src) != 0)
			return 0;
		op->drop = site_article_idx(prev, n.art) + 1;
		break;
	default:
		return 0;
	}
	if (sibling_warned(prev, url, path + strlen(url), name))
		return 0;
	if (fstatat(sc->rootfd, op->src, &op->st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			return 0;
		memset(&op->st, 0, sizeof(op->st));
	} else if (S_ISDIR(op->st.st_mode) || S_ISLNK(op->st.st_mode))
		return 0;
	/* fifos, sockets, devices: nothing to serve, as gone */
	op->add = S_ISREG(op->st.st_mode);
	/* the same source as before (an event that changed nothing a
	 * scan looks at) */
	if (op->drop != 0 && op->add &&
	    prev->articles[op->drop - 1].stat == site_stat_key(
	    (long long)op->st.st_size, (long long)op->st.st_mtim.tv_sec *
	    1000000000LL + op->st.st_mtim.tv_nsec) &&
	    prev->articles[op->drop - 1].fmt == fmt)
		op->drop = op->add = 0;
	return 1;
}

/* prev's categories, with their numbers, and their tree */
static int
copy_cats(struct scan *sc)
{
	const struct site	*prev = sc->prev;
	struct site		*s = sc->s;
	const struct category	*o;
	struct category		*c;
	size_t			 i, k;

	for (i = 0; i < prev->nallcats; i++) {
		o = prev->allcats[i];
		if ((c = site_arena_alloc(sc->p, sizeof(*c))) == NULL ||
		    (c->path = site_arena_strdup(sc->p, o->path)) == NULL ||
		    (c->name = site_arena_strdup(sc->p, o->name)) == NULL)
			return -1;
		c->title = c->name;
		if (o->title != o->name && (c->title = site_arena_strdup(sc->p,
		    o->title)) == NULL)
			return -1;
		if (o->description != NULL && (c->description =
		    site_arena_strdup(sc->p, o->description)) == NULL)
			return -1;
		c->order = o->order;
		if (site_cat_add(sc->p, c) == -1)
			return -1;
	}
	for (i = 0; i < prev->nallcats; i++) {
		o = prev->allcats[i];
		c = s->allcats[i];
		if (o->parent != NULL)
			c->parent = s->allcats[o->parent->num];
		if (o->nchildren > 0 && (c->children = site_arena_alloc(sc->p,
		    o->nchildren * sizeof(*c->children))) == NULL)
			return -1;
		for (k = 0; k < o->nchildren; k++)
			c->children[k] = s->allcats[o->children[k]->num];
		c->nchildren = o->nchildren;
	}
	if (prev->ncats > 0 && (s->cats = site_arena_alloc(sc->p,
	    prev->ncats * sizeof(*s->cats))) == NULL)
		return -1;
	for (i = 0; i < prev->ncats; i++)
		s->cats[i] = s->allcats[prev->cats[i]->num];
	s->ncats = prev->ncats;
	return 0;
}

/* prev's files (same numbers), pages and plain folders */
static int
copy_files(struct scan *sc)
{
	const struct site	*prev = sc->prev;
	struct site		*s = sc->s;
	const struct site_file	*o, *idx;
	struct site_file	*f;
	struct site_fnums	*fr = NULL;
	const char		*key;
	char			*k;
	size_t			 i, nd;
	int64_t			 j;
	int			 r = -1;

	if ((fr = site_fnums_new(prev)) == NULL || (prev->nfiles > 0 &&
	    (s->files = reallocarray(NULL, prev->nfiles,
	    sizeof(*s->files))) == NULL))
		goto done;
	sc->filecap = prev->nfiles;
	for (i = 0; i < prev->nfiles; i++) {
		o = prev->files[i];
		if ((f = site_arena_alloc(sc->p, sizeof(*f))) == NULL ||
		    (f->path = site_arena_strdup(sc->p, o->path)) == NULL ||
		    (f->src = site_arena_strdup(sc->p, o->src)) == NULL ||
		    (o->title != NULL && (f->title = site_arena_strdup(sc->p,
		    o->title)) == NULL))
			goto done;
		f->size = o->size;
		s->files[i] = f;
	}
	s->nfiles = prev->nfiles;
	if (prev->npages > 0 && (s->pages = reallocarray(NULL, prev->npages,
	    sizeof(*s->pages))) == NULL)
		goto done;
	sc->pagecap = prev->npages;
	for (i = 0; i < prev->npages; i++) {
		if ((j = site_fnum(fr, prev, prev->pages[i])) == -1)
			goto done;
		s->pages[s->npages++] = s->files[j];
	}
	nd = site_priv_ndirs(prev->index);
	for (i = 0; i < nd; i++) {
		site_priv_dir(prev->index, i, &key, &idx);
		j = site_fnum(fr, prev, idx);
		if ((k = site_arena_strdup(sc->p, key)) == NULL ||
		    (idx != NULL && j == -1) || site_priv_add_dir(sc->p, k,
		    j == -1 ? NULL : s->files[j]) == -1)
			goto done;
	}
	r = 0;
done:
	free(fr);
	return r;
}

/* Is a line of the walk's warnings about one of the files named? */
static int
about_op(const char *line, size_t len, const struct op *ops, size_t nops)
{
	size_t	 i, ulen, nlen;

	for (i = 0; i < nops; i++) {
		ulen = strlen(ops[i].cat->path + 1);
		nlen = strlen(ops[i].name);
		if (len > ulen + nlen && memcmp(line, ops[i].cat->path + 1,
		    ulen) == 0 && memcmp(line + ulen, ops[i].name, nlen) == 0 &&
		    line[ulen + nlen] == ':')
			return 1;
	}
	return 0;
}

/* prev's warnings from its walk, but those about the files named */
static int
copy_warnings(struct scan *sc, const struct op *ops, size_t nops)
{
	const struct site	*prev = sc->prev;
	struct site		*s = sc->s;
	const char		*p = prev->warnings.data, *end, *nl;

	if (p == NULL)
		return 0;
	for (end = p + prev->walk_warn_len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (about_op(p, (size_t)(nl - p), ops, nops))
			continue;
		if (buf_append(&s->warnings, p, (size_t)(nl - p + 1)) == -1)
			return -1;
		s->nwarnings++;
	}
	return 0;
}

int
site_patch(struct scan *sc, const struct site_watch_change *ch, size_t nch)
{
	const struct site	*prev = sc->prev;
	struct site		*s = sc->s;
	struct op		*ops = NULL, *op;
	struct dent		 d;
	uint8_t			*drop = NULL;
	uint32_t		*to = NULL, *left = NULL;
	struct stat		 st;
	char			*ini;
	size_t			 i, k, nops = 0, cap = 0, before;
	void			*v;
	int			 r = -1;

	/* what each file named is now, decided before anything is made */
	for (i = 0; i < nch; i++)
		for (k = 0; k < ch[i].nnames; k++) {
			if ((v = site_grow(ops, nops, &cap,
			    sizeof(*ops))) == NULL)
				goto done;
			ops = v;
			op = &ops[nops];
			if ((r = plan(sc, ch[i].src, ch[i].names[k], op)) != 1) {
				free(op->src);
				goto done;
			}
			nops++;
		}
	/* two new files for one slug (x.gmi and x.md): the sorted
	 * listing says which is served, a walk */
	for (i = 0; i < nops; i++)
		for (k = i + 1; ops[i].add && k < nops; k++)
			if (ops[k].add && ops[k].cat == ops[i].cat &&
			    same_slug(ops[i].name, ops[k].name)) {
				r = 0;
				goto done;
			}
	r = -1;
	if ((drop = calloc(prev->narticles ? prev->narticles : 1, 1)) ==
	    NULL || (left = calloc(prev->nallcats ? prev->nallcats : 1,
	    sizeof(*left))) == NULL)
		goto done;
	for (i = 0; i < prev->nallcats; i++)
		left[i] = (uint32_t)prev->allcats[i]->narticles;
	for (i = 0; i < nops; i++)
		if (ops[i].drop != 0 && !drop[ops[i].drop - 1]) {
			drop[ops[i].drop - 1] = 1;
			left[ops[i].cat->num]--;
		}
	/* an article's file makes its folder a category, read or not */
	for (i = 0; i < nops; i++)
		if (ops[i].add)
			left[ops[i].cat->num] = UINT32_MAX;
	/* a folder left with no article, no subcategory and no
	 * _category.ini is no category: for a walk to say */
	for (i = 0; i < nops; i++) {
		if (left[ops[i].cat->num] != 0 || ops[i].cat->nchildren > 0)
			continue;
		if (asprintf(&ini, "%s_category.ini", ops[i].cat->path + 1) ==
		    -1)
			goto done;
		k = fstatat(sc->rootfd, ini, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode);
		free(ini);
		if (!k) {
			r = 0;
			goto done;
		}
		left[ops[i].cat->num] = UINT32_MAX;
	}

	/* the dropped records' strings stay in the copied pool: past a
	 * quarter of it, a walk makes the snapshot anew */
	s->pool_dead = prev->pool_dead;
	for (i = 0; i < prev->narticles; i++)
		if (drop[i])
			s->pool_dead += pool_bytes(prev, &prev->articles[i]);
	if (s->pool_dead > POOL_DEAD_MIN &&
	    s->pool_dead > site_priv_pool_len(prev->index) / 4) {
		s->pool_dead = 0;
		r = 0;
		goto done;
	}

	/* the copy */
	if ((to = reallocarray(NULL, prev->narticles ? prev->narticles : 1,
	    sizeof(*to))) == NULL)
		goto done;
	sc->fromcap = prev->narticles + 64;
	if ((sc->from = reallocarray(NULL, sc->fromcap,
	    sizeof(*sc->from))) == NULL ||
	    site_priv_copy_pool(sc->p, prev) == -1 ||
	    copy_cats(sc) == -1 || copy_files(sc) == -1 ||
	    site_priv_copy_articles(sc->p, prev, drop, to, sc->from) == -1 ||
	    site_priv_copy_index(sc->p, prev, to) == -1 ||
	    copy_warnings(sc, ops, nops) == -1)
		goto done;
	s->nkept = s->narticles;
	sc->patch = 1;
	sc->nkept_first = s->narticles;
	sc->stamp = prev->stamp;

	/* the files named, read as a walk reads them */
	for (i = 0; i < nops; i++) {
		op = &ops[i];
		before = s->narticles;
		if (op->add) {
			memset(&d, 0, sizeof(d));
			d.name = (char *)(uintptr_t)op->name;
			d.src = op->src;
			d.mode = op->st.st_mode;
			d.size = op->st.st_size;
			d.mtime = op->st.st_mtim;
			d.ctime = op->st.st_ctim;
			d.dev = op->st.st_dev;
			d.ino = op->st.st_ino;
			if (site_add_article(sc, s->allcats[op->cat->num],
			    &d) == -1)
				goto done;
		}
		/* gone, or no longer an article: the catalog forgets it */
		if (op->drop != 0 && s->narticles == before &&
		    sc->catalog != NULL)
			catalog_forget(sc->catalog, op->src);
	}
	r = 1;
done:
	for (i = 0; i < nops; i++)
		free(ops[i].src);
	free(ops);
	free(drop);
	free(left);
	free(to);
	return r;
}

/*
 * The tag index of a patched snapshot (finish, site_load.c), from the
 * last one's: a tag no changed article had or has keeps its name and
 * its articles, renumbered; one that a dropped or a new article names
 * has its articles merged again and its name counted again (the most
 * written spelling, the newest's on a tie, as a scan decides it); a
 * new slug is a new tag, one left with no article goes. The tags'
 * warnings are carried but the dropped articles', and the new ones'
 * made. Only the new articles' tags lines are read whole.
 */

/* an article's tags as a scan counts them: the first SITE_TAGS_MAX
 * usable ones, each once, with its slug and spelling */
struct atags {
	size_t		 n;
	size_t		 slug[SITE_TAGS_MAX];	/* offsets in slugs */
	const char	*name[SITE_TAGS_MAX];
	size_t		 len[SITE_TAGS_MAX];
	struct buf	 slugs;
	struct buf	 one;
};

/* a's tags into at; warned of (sc) if warn. 0, or -1 on ENOMEM */
static int
atags_read(struct scan *sc, const struct site *s, const struct article *a,
    struct atags *at, int warn)
{
	const char	*p = s->pool + a->tags, *name;
	size_t		 len, k;
	int		 r;

	at->n = 0;
	buf_reset(&at->slugs);
	if (a->tags == 0)
		return 0;
	while ((r = site_tag_next(&p, &name, &len, &at->one)) == 1) {
		if (at->one.len == 0) {
			if (warn)
				site_tag_warn(sc, s, a, name, len);
			continue;
		}
		for (k = 0; k < at->n && strcmp(at->slugs.data + at->slug[k],
		    at->one.data) != 0; k++)
			;
		if (k < at->n)
			continue;		/* twice: once */
		if (at->n == SITE_TAGS_MAX) {
			if (warn)
				site_tag_warn(sc, s, a, NULL, 0);
			break;
		}
		at->slug[at->n] = at->slugs.len;
		if (buf_append(&at->slugs, at->one.data, at->one.len + 1) ==
		    -1)
			return -1;
		at->name[at->n] = name;
		at->len[at->n++] = len;
	}
	return r == -1 ? -1 : 0;
}

struct spell {				/* a spelling and its articles */
	const char	*name;
	size_t		 len, n;
};

/* tags lines read for one tag's name: a line's offset in the pool, and
 * the spelling it gives the tag (NULL: none) */
struct lmemo {
	uint32_t	 off;		/* 0: empty */
	const char	*name;
	size_t		 len;
};

/* the spelling of tag slug that the articles arts[0..n) of s use most,
 * the first seen (the newest's) of a tie; NULL on ENOMEM. A tags line
 * many articles share (the pool keeps it once) is read once. */
static char *
tag_name_of(struct scan *sc, const struct site *s, const uint32_t *arts,
    size_t n, const char *slug, struct atags *at)
{
	struct spell	*sp = NULL, *best = NULL;
	struct lmemo	*lm = NULL, *e, *nm;
	uint32_t	 off;
	const char	*name;
	size_t		 i, k, h, nsp = 0, cap = 0, len, lcap = 0, ln = 0;
	char		*r = NULL;
	void		*v;

	for (i = 0; i < n; i++) {
		off = s->articles[arts[i]].tags;
		if ((ln + 1) * 2 > lcap) {
			k = lcap ? lcap * 2 : 256;
			if ((nm = calloc(k, sizeof(*nm))) == NULL)
				goto done;
			for (h = 0; h < lcap; h++) {
				if (lm[h].off == 0)
					continue;
				e = &nm[(lm[h].off * 2654435761u) & (k - 1)];
				while (e->off != 0)
					e = e + 1 < nm + k ? e + 1 : nm;
				*e = lm[h];
			}
			free(lm);
			lm = nm;
			lcap = k;
		}
		for (e = &lm[(off * 2654435761u) & (lcap - 1)];
		    e->off != 0 && e->off != off;
		    e = e + 1 < lm + lcap ? e + 1 : lm)
			;
		if (e->off == 0) {
			if (atags_read(sc, s, &s->articles[arts[i]], at, 0) ==
			    -1)
				goto done;
			e->off = off;
			e->name = NULL;
			for (k = 0; k < at->n; k++)
				if (strcmp(at->slugs.data + at->slug[k],
				    slug) == 0) {
					e->name = at->name[k];
					e->len = at->len[k];
					break;
				}
			ln++;
		}
		if ((name = e->name) == NULL)
			continue;
		len = e->len;
		for (k = 0; k < nsp && !(sp[k].len == len &&
		    memcmp(sp[k].name, name, len) == 0); k++)
			;
		if (k == nsp) {
			if ((v = site_grow(sp, nsp, &cap, sizeof(*sp))) ==
			    NULL)
				goto done;
			sp = v;
			sp[nsp].name = name;
			sp[nsp].len = len;
			sp[nsp++].n = 0;
		}
		sp[k].n++;
	}
	for (k = 0; k < nsp; k++)
		if (best == NULL || sp[k].n > best->n)
			best = &sp[k];
	r = best != NULL ? site_arena_cat(sc->p, "", best->name, best->len) :
	    site_arena_strdup(sc->p, slug);
done:
	free(sp);
	free(lm);
	return r;
}

struct fresh {				/* a new article's tags */
	uint32_t	 i;
	size_t		 n;
	char		*slug[SITE_TAGS_MAX];
};

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* tags' warnings of prev but those of its dropped articles */
static int
copy_tag_warnings(struct scan *sc, const uint32_t *fin)
{
	const struct site	*prev = sc->prev;
	const char		*p, *end, *nl;
	size_t			 j, k, nd = 0, dcap = 0;
	char			**dsrc = NULL;
	void			*v;
	int			 r = -1, skip;

	if (prev->tag_warn_len <= prev->walk_warn_len)
		return 0;
	for (j = 0; j < prev->narticles; j++) {
		if (fin[j] != UINT32_MAX || prev->articles[j].tags == 0)
			continue;
		if ((v = site_grow(dsrc, nd, &dcap, sizeof(*dsrc))) == NULL)
			goto done;
		dsrc = v;
		if ((dsrc[nd] = strdup(site_article_src(prev,
		    &prev->articles[j], &sc->tmp))) == NULL)
			goto done;
		nd++;
	}
	p = prev->warnings.data + prev->walk_warn_len;
	end = prev->warnings.data + prev->tag_warn_len;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (k = 0, skip = 0; k < nd && !skip; k++)
			skip = strncmp(p, dsrc[k], strlen(dsrc[k])) == 0 &&
			    p[strlen(dsrc[k])] == ':';
		if (skip)
			continue;
		if (buf_append(&sc->s->warnings, p, (size_t)(nl - p + 1)) == -1)
			goto done;
		sc->s->nwarnings++;
	}
	r = 0;
done:
	for (k = 0; k < nd; k++)
		free(dsrc[k]);
	free(dsrc);
	return r;
}

int
site_patch_tags(struct scan *sc)
{
	const struct site	*prev = sc->prev;
	struct site		*s = sc->s;
	const struct site_tag	*out[SITE_TAGS_MAX], *pt;
	struct site_tag		*st;
	struct atags		 at;
	struct fresh		*fr = NULL;
	char			**nslug = NULL;
	uint32_t		*fin = NULL, *arts = NULL;
	uint8_t			*aff = NULL;
	size_t			 i, j, k, m, nf = 0, nn = 0, ncap = 0, fcap = 0;
	size_t			 np = prev->narticles, nt, na, acap = 0, pi, ni;
	int			 r = -1, c;
	void			*v;

	memset(&at, 0, sizeof(at));
	/* where each of prev's articles is now (UINT32_MAX: dropped) */
	if ((fin = reallocarray(NULL, np ? np : 1, sizeof(*fin))) == NULL ||
	    (aff = calloc(prev->ntags ? prev->ntags : 1, 1)) == NULL)
		goto done;
	memset(fin, 0xff, np * sizeof(*fin));
	for (i = 0; i < s->narticles; i++)
		if (s->kept_from[i] != 0)
			fin[s->kept_from[i] - 1] = (uint32_t)i;
	/* the tags the dropped articles had */
	for (j = 0; j < np; j++) {
		if (fin[j] != UINT32_MAX || prev->articles[j].tags == 0)
			continue;
		m = site_article_tags(prev, &prev->articles[j], out,
		    SITE_TAGS_MAX);
		for (k = 0; k < m; k++)
			aff[out[k] - prev->tags] = 1;
	}
	if (copy_tag_warnings(sc, fin) == -1)
		goto done;
	/* the new ones', read and warned of as a scan does */
	for (i = 0; i < s->narticles; i++) {
		if (s->kept_from[i] != 0 || s->articles[i].tags == 0)
			continue;
		if (atags_read(sc, s, &s->articles[i], &at, 1) == -1 ||
		    (v = site_grow(fr, nf, &fcap, sizeof(*fr))) == NULL)
			goto done;
		fr = v;
		fr[nf].i = (uint32_t)i;
		fr[nf].n = 0;
		for (k = 0; k < at.n; k++) {
			if ((fr[nf].slug[k] = site_arena_strdup(sc->p,
			    at.slugs.data + at.slug[k])) == NULL)
				goto done;
			fr[nf].n++;
			if ((pt = site_tag_find(prev, fr[nf].slug[k])) != NULL) {
				aff[pt - prev->tags] = 1;
				continue;
			}
			for (m = 0; m < nn && strcmp(nslug[m],
			    fr[nf].slug[k]) != 0; m++)
				;
			if (m < nn)
				continue;
			if ((v = site_grow(nslug, nn, &ncap,
			    sizeof(*nslug))) == NULL)
				goto done;
			nslug = v;
			nslug[nn++] = fr[nf].slug[k];
		}
		nf++;
	}
	if (nn > 1)
		qsort(nslug, nn, sizeof(*nslug), str_cmp);
	if ((nt = prev->ntags + nn) > 0 && (s->tags = site_arena_alloc(sc->p,
	    nt * sizeof(*s->tags))) == NULL)
		goto done;
	/* prev's tags and the new slugs, merged in slug order */
	for (pi = ni = 0; pi < prev->ntags || ni < nn; ) {
		c = pi == prev->ntags ? 1 : ni == nn ? -1 :
		    strcmp(prev->tags[pi].slug, nslug[ni]);
		pt = c < 0 ? &prev->tags[pi++] : NULL;
		st = &s->tags[s->ntags];
		memset(st, 0, sizeof(*st));
		if (pt != NULL && !aff[pt - prev->tags]) {
			/* as it was, renumbered */
			if ((st->slug = site_arena_strdup(sc->p,
			    pt->slug)) == NULL || (st->name =
			    site_arena_strdup(sc->p, pt->name)) == NULL ||
			    (st->arts = site_arena_alloc(sc->p, pt->narts *
			    sizeof(*st->arts))) == NULL)
				goto done;
			for (k = 0; k < pt->narts; k++)
				st->arts[k] = fin[pt->arts[k]];
			st->narts = pt->narts;
			s->ntags++;
			continue;
		}
		st->slug = pt != NULL ? pt->slug : nslug[ni++];
		/* its kept articles, and the new ones that name it, in
		 * order (numbers ascending: newest first) */
		na = 0;
		for (k = 0; pt != NULL && k < pt->narts; k++) {
			if (fin[pt->arts[k]] == UINT32_MAX)
				continue;
			if ((v = site_grow(arts, na, &acap,
			    sizeof(*arts))) == NULL)
				goto done;
			arts = v;
			arts[na++] = fin[pt->arts[k]];
		}
		m = na;
		for (i = 0; i < nf; i++)
			for (k = 0; k < fr[i].n; k++) {
				if (strcmp(fr[i].slug[k], st->slug) != 0)
					continue;
				if ((v = site_grow(arts, na, &acap,
				    sizeof(*arts))) == NULL)
					goto done;
				arts = v;
				arts[na++] = fr[i].i;
			}
		if (na == 0)
			continue;		/* no article names it now */
		if (na > m)
			qsort(arts, na, sizeof(*arts), u32_cmp);
		if ((st->slug = site_arena_strdup(sc->p, st->slug)) == NULL ||
		    (st->arts = site_arena_alloc(sc->p, na *
		    sizeof(*st->arts))) == NULL)
			goto done;
		memcpy(st->arts, arts, na * sizeof(*arts));
		st->narts = na;
		if ((st->name = tag_name_of(sc, s, st->arts, na, st->slug,
		    &at)) == NULL)
			goto done;
		s->ntags++;
	}
	r = 0;
done:
	buf_free(&at.slugs);
	buf_free(&at.one);
	free(fr);
	free(nslug);
	free(fin);
	free(aff);
	free(arts);
	return r;
}
