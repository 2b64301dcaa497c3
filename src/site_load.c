/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_load.c: the immutable snapshot of the capsule tree: categories
 * (folders, nested), articles sorted newest first, attachments and
 * static pages, the date index, the tag index, and a hash from URL
 * path to node. site_load() has site_walk.c scan the tree into it, then
 * sorts the articles, counts the days and hands each category and each
 * tag its articles, and has the links of the HTML pages it read
 * checked (site_entry.c). The snapshot holds metadata only; bodies are read
 * again, through rootfd, when an article is served, so that a
 * 100,000-article site fits on a Raspberry Pi. Strings and structs
 * live in one arena that site_free() drops at once (site.c), and the
 * problems the scan met are kept as warnings. Nothing here lists a
 * folder, and nothing knows about requests or protocols.
 *
 *   site_load.c -> site_patch.c -> site_image.c -> site_walk.c ->
 *   site_entry.c -> site.c
 */

#include <sys/types.h>
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
#include "site_entry.h"
#include "site_int.h"
#include "site_patch.h"
#include "site_walk.h"
#include "utf8.h"
#include "zone.h"

static int	 finish(struct scan *);
static int	 finish_tags(struct scan *);
static struct site *build(const char *, struct catalog *,
		    const struct site *, struct site_watch *, unsigned long,
		    char *, size_t);
static void	 scan_free(struct scan *);

/* Articles newest first, then by path. */
static int
rec_cmp(const struct site *s, const struct article *a,
    const struct article *b)
{
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return strcmp(site_article_path(s, a), site_article_path(s, b));
}

/* the same, for their numbers */
static int
art_cmp(const void *pa, const void *pb, void *arg)
{
	const struct site	*s = arg;

	return rec_cmp(s, &s->articles[*(const uint32_t *)pa],
	    &s->articles[*(const uint32_t *)pb]);
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
		if (c->narticles > 0 && (c->arts = site_arena_alloc(sc->p,
		    c->narticles * sizeof(*c->arts))) == NULL)
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

/*
 * The order of a reload: the articles kept from prev come in prev's
 * order, which is already newest first by the same keys (their dates
 * and paths are prev's), so only the few read anew are sorted, then
 * merged in. Instead of n log n comparisons of dates and paths, one
 * pass. 0, or -1 on ENOMEM.
 */
static int
order_from_prev(struct scan *sc, uint32_t *order)
{
	struct site	*s = sc->s;
	uint32_t	*byprev, *fresh = NULL, *kept;
	size_t		 i, n = s->narticles, np = sc->prev->narticles;
	size_t		 nk = 0, nf = 0, k, f;

	if ((byprev = calloc(np ? np : 1, sizeof(*byprev))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		/* one record of prev is kept once; anything else is
		 * sorted as new */
		if (sc->from[i] > np || (sc->from[i] != 0 &&
		    byprev[sc->from[i] - 1] != 0))
			sc->from[i] = 0;
		if (sc->from[i] != 0)
			byprev[sc->from[i] - 1] = (uint32_t)i + 1;
		else
			nf++;
	}
	if (nf > 0 && (fresh = reallocarray(NULL, nf, sizeof(*fresh))) ==
	    NULL) {
		free(byprev);
		return -1;
	}
	for (i = 0, nf = 0; i < n; i++)
		if (sc->from[i] == 0)
			fresh[nf++] = (uint32_t)i;
	/* byprev becomes the kept, in prev's order */
	kept = byprev;
	for (i = 0; i < np; i++)
		if (byprev[i] != 0)
			kept[nk++] = byprev[i] - 1;
	if (nf > 1)
		qsort_r(fresh, nf, sizeof(*fresh), art_cmp, s);
	for (i = k = f = 0; i < n; i++)
		if (f == nf || (k < nk && art_cmp(&kept[k], &fresh[f], s) < 0))
			order[i] = kept[k++];
		else
			order[i] = fresh[f++];
	free(fresh);
	free(byprev);
	return 0;
}

/*
 * The order of a patch (site_patch.c): the records kept are first, in
 * prev's order, and the few read anew after them. Those are sorted and
 * merged in from the end, in place: the records after the newest of
 * them move up, the rest stay, and no copy of them all is made. order
 * as sort_articles's. 0, or -1 on ENOMEM.
 */
static int
merge_patched(struct scan *sc, uint32_t *order)
{
	struct site	*s = sc->s;
	struct article	*fr = NULL;
	uint32_t	*fresh = NULL;
	size_t		 n = s->narticles, nk = sc->nkept_first, nf = n - nk;
	size_t		 i, j, w;

	if (nf > 0 && ((fresh = reallocarray(NULL, nf,
	    sizeof(*fresh))) == NULL || (fr = reallocarray(NULL, nf,
	    sizeof(*fr))) == NULL)) {
		free(fresh);
		return -1;
	}
	for (j = 0; j < nf; j++)
		fresh[j] = (uint32_t)(nk + j);
	if (nf > 1)
		qsort_r(fresh, nf, sizeof(*fresh), art_cmp, s);
	for (j = 0; j < nf; j++)
		fr[j] = s->articles[fresh[j]];
	for (w = n, i = nk, j = nf; j > 0; ) {
		w--;
		if (i > 0 && rec_cmp(s, &s->articles[i - 1], &fr[j - 1]) > 0) {
			s->articles[w] = s->articles[i - 1];
			order[w] = (uint32_t)--i;
		} else {
			s->articles[w] = fr[j - 1];
			order[w] = fresh[--j];
		}
	}
	for (i = 0; i < w; i++)
		order[i] = (uint32_t)i;
	free(fr);
	free(fresh);
	return 0;
}

/*
 * The articles newest first: their numbers sorted, the records put in
 * that order, and the index told where each went.
 */
static int
sort_articles(struct scan *sc)
{
	struct site	*s = sc->s;
	struct article	*tmp = NULL;
	uint32_t	*order, *to = NULL;
	size_t		 i, n = s->narticles;

	if (n < 2)
		return 0;
	if ((order = reallocarray(NULL, n, sizeof(*order))) == NULL ||
	    (to = reallocarray(NULL, n, sizeof(*to))) == NULL ||
	    (!sc->patch && (tmp = reallocarray(NULL, n,
	    sizeof(*tmp))) == NULL)) {
		free(order);
		free(to);
		return -1;
	}
	if (sc->patch) {
		/* the records are in place already */
		if (merge_patched(sc, order) == -1) {
			free(to);
			free(order);
			return -1;
		}
	} else if (sc->prev != NULL && sc->from != NULL) {
		if (order_from_prev(sc, order) == -1) {
			free(tmp);
			free(to);
			free(order);
			return -1;
		}
	} else {
		for (i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		qsort_r(order, n, sizeof(*order), art_cmp, s);
	}
	if (!sc->patch) {
		for (i = 0; i < n; i++)
			tmp[i] = s->articles[order[i]];
		memcpy(s->articles, tmp, n * sizeof(*tmp));
	}
	site_index_moved(sc->p, order, to, n);
	/* where each came from, in the new order: the counter binds
	 * them by it (kept_from) */
	if (sc->from != NULL)
		for (i = 0; i < n; i++)
			to[i] = sc->from[order[i]];
	free(tmp);
	free(order);
	if (sc->from != NULL) {
		free(sc->from);
		sc->from = to;
	} else
		free(to);
	return 0;
}

static int
finish(struct scan *sc)
{
	struct site	*s = sc->s;
	struct article	*a;
	struct category	*c;
	struct site_day	*dd;
	struct tm	 tm;
	time_t		 t;
	int64_t		 day, lastday = 0;
	size_t		 i, cap = 0;

	if (sort_articles(sc) == -1)
		return -1;
	if (sc->prev != NULL && sc->from != NULL) {
		s->kept_from = sc->from;
		s->kept_serial = sc->prev->serial;
		sc->from = NULL;
		sc->fromcap = 0;
	}
	for (i = 0; i < s->narticles; i++)
		site_article_cat(s, &s->articles[i])->narticles++;
	if (finish_cats(sc, s->cats, s->ncats) == -1)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		c = site_article_cat(s, a);
		c->arts[c->narticles++] = (uint32_t)i;
		/* the dates are wall clocks as UTC: a day is 86,400 s of
		 * them, and only a new one needs its date worked out */
		day = a->date >= 0 ? a->date / 86400 :
		    -((-a->date + 86399) / 86400);
		if (s->ndays > 0 && day == lastday) {
			s->days[s->ndays - 1].count++;
			continue;
		}
		lastday = day;
		t = (time_t)a->date;
		if (gmtime_r(&t, &tm) == NULL)
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
	/* a patch's from the last snapshot's */
	return sc->patch ? site_patch_tags(sc) : finish_tags(sc);
}

/*
 * The tag index (struct site_tag), built once per snapshot so that no
 * page looks at every article: two passes over the articles, sorted
 * newest first by now. The first finds each article's tags by slug in
 * a hash, counts their articles and spellings, and notes what it found
 * in a stream of numbers (an article, then its tags); the second reads
 * the stream back into arena arrays of the right size, so that every
 * list comes out newest first. The rest is freed before the snapshot
 * serves.
 */
#define TAG_ART		0x80000000u	/* in the stream: an article */

struct tag_seen {
	char		*slug;		/* in the arena */
	size_t		 narts;
	size_t		 last;		/* 1 + the last article counted */
	size_t		 spell;		/* 1 + its last new spelling */
	size_t		 pos;		/* in site->tags, once sorted */
};

struct tag_spell {			/* one way a tag is written */
	const char	*name;		/* in an article's tags line */
	size_t		 len;
	size_t		 n;		/* articles that write it so */
	size_t		 next;		/* 1 + the tag's spelling before */
};

struct tag_build {
	struct tag_seen	*tags;		/* in order of first sight */
	size_t		 ntags, tagcap;
	struct tag_spell *spells;
	size_t		 nspells, spellcap;
	uint32_t	*hash;		/* 1 + a tag's number; 0: empty */
	size_t		 hashcap;	/* a power of two */
	uint32_t	*stream;
	size_t		 nstream, streamcap;
	struct buf	 slug;		/* the one in hand */
};

/* The number of the tag of slug in *id, a new one if need be and
 * add is set: 0, 1 if there is none (!add), -1 on ENOMEM. */
static int
tag_get(struct scan *sc, struct tag_build *tb, const struct buf *slug,
    int add, size_t *id)
{
	struct tag_seen	*t;
	uint32_t	*h, v;
	size_t		 i, cap;

	if ((tb->ntags + 1) * 2 > tb->hashcap) {
		cap = tb->hashcap ? tb->hashcap * 2 : 256;
		if ((h = calloc(cap, sizeof(*h))) == NULL)
			return -1;
		for (v = 0; v < tb->ntags; v++) {
			t = &tb->tags[v];
			for (i = site_hash(SITE_HASH_SEED, t->slug,
			    strlen(t->slug)) & (cap - 1); h[i] != 0;
			    i = (i + 1) & (cap - 1))
				;
			h[i] = v + 1;
		}
		free(tb->hash);
		tb->hash = h;
		tb->hashcap = cap;
	}
	for (i = site_hash(SITE_HASH_SEED, slug->data, slug->len) &
	    (tb->hashcap - 1); tb->hash[i] != 0;
	    i = (i + 1) & (tb->hashcap - 1))
		if (strcmp(tb->tags[tb->hash[i] - 1].slug, slug->data) == 0) {
			*id = tb->hash[i] - 1;
			return 0;
		}
	if (!add)
		return 1;
	if ((t = site_grow(tb->tags, tb->ntags, &tb->tagcap,
	    sizeof(*t))) == NULL)
		return -1;
	tb->tags = t;
	t = &tb->tags[tb->ntags];
	memset(t, 0, sizeof(*t));
	if ((t->slug = site_arena_strdup(sc->p, slug->data)) == NULL)
		return -1;
	*id = tb->ntags++;
	tb->hash[i] = (uint32_t)*id + 1;
	return 0;
}

/* One more article writes tag t as name[0..len). */
static int
tag_spelling(struct tag_build *tb, struct tag_seen *t, const char *name,
    size_t len)
{
	struct tag_spell	*sp;
	size_t			 k;

	for (k = t->spell; k != 0; k = sp->next) {
		sp = &tb->spells[k - 1];
		if (sp->len == len && memcmp(sp->name, name, len) == 0) {
			sp->n++;
			return 0;
		}
	}
	if ((sp = site_grow(tb->spells, tb->nspells, &tb->spellcap,
	    sizeof(*sp))) == NULL)
		return -1;
	tb->spells = sp;
	sp = &tb->spells[tb->nspells++];
	sp->name = name;
	sp->len = len;
	sp->n = 1;
	sp->next = t->spell;
	t->spell = tb->nspells;
	return 0;
}

static int
stream_put(struct tag_build *tb, uint32_t v)
{
	uint32_t	*p;

	if ((p = site_grow(tb->stream, tb->nstream, &tb->streamcap,
	    sizeof(*p))) == NULL)
		return -1;
	tb->stream = p;
	tb->stream[tb->nstream++] = v;
	return 0;
}

/* The first pass: article i's tags into tb. */
static int
tags_of(struct scan *sc, struct tag_build *tb, size_t i)
{
	const struct site	*s = sc->s;
	const struct article	*a = &s->articles[i];
	struct tag_seen		*t;
	const char		*p = s->pool + a->tags, *name;
	size_t			 len, id, n = 0;
	int			 r, got;

	while ((r = site_tag_next(&p, &name, &len, &tb->slug)) == 1) {
		if (tb->slug.len == 0) {
			site_tag_warn(sc, s, a, name, len);
			continue;
		}
		if ((got = tag_get(sc, tb, &tb->slug, n < SITE_TAGS_MAX,
		    &id)) == -1)
			return -1;
		/* twice in one article: once */
		if (got == 0 && tb->tags[id].last == i + 1)
			continue;
		if (n == SITE_TAGS_MAX) {
			site_tag_warn(sc, s, a, NULL, 0);
			break;
		}
		t = &tb->tags[id];
		if ((n++ == 0 && stream_put(tb, TAG_ART | (uint32_t)i) == -1) ||
		    stream_put(tb, (uint32_t)id) == -1 ||
		    tag_spelling(tb, t, name, len) == -1)
			return -1;
		t->last = i + 1;
		t->narts++;
	}
	return r == -1 ? -1 : 0;
}

static int
tag_cmp(const void *pa, const void *pb)
{
	const struct tag_seen	*a = *(struct tag_seen *const *)pa;
	const struct tag_seen	*b = *(struct tag_seen *const *)pb;

	return strcmp(a->slug, b->slug);
}

/* The most written spelling; the first seen (the newest) of a tie. */
static const struct tag_spell *
tag_name(const struct tag_build *tb, const struct tag_seen *t)
{
	const struct tag_spell	*sp, *best = NULL;
	size_t			 k;

	for (k = t->spell; k != 0; k = sp->next) {
		sp = &tb->spells[k - 1];
		if (best == NULL || sp->n >= best->n)
			best = sp;
	}
	return best;
}

static int
finish_tags(struct scan *sc)
{
	struct site		*s = sc->s;
	struct tag_build	 tb;
	struct tag_seen		**order = NULL;
	const struct tag_spell	*sp;
	struct site_tag		*st;
	size_t			 i, cur = 0;
	int			 r = -1;

	memset(&tb, 0, sizeof(tb));
	if (s->narticles >= TAG_ART)
		return 0;
	for (i = 0; i < s->narticles; i++)
		if (s->articles[i].tags != 0 && tags_of(sc, &tb, i) == -1)
			goto done;
	if (tb.ntags == 0) {
		r = 0;
		goto done;
	}
	if ((order = reallocarray(NULL, tb.ntags, sizeof(*order))) == NULL ||
	    (s->tags = site_arena_alloc(sc->p,
	    tb.ntags * sizeof(*s->tags))) == NULL)
		goto done;
	for (i = 0; i < tb.ntags; i++)
		order[i] = &tb.tags[i];
	qsort(order, tb.ntags, sizeof(*order), tag_cmp);
	for (i = 0; i < tb.ntags; i++) {
		order[i]->pos = i;
		st = &s->tags[i];
		sp = tag_name(&tb, order[i]);
		st->slug = order[i]->slug;
		if ((st->name = site_arena_cat(sc->p, "", sp->name,
		    sp->len)) == NULL || (st->arts = site_arena_alloc(sc->p,
		    order[i]->narts * sizeof(*st->arts))) == NULL)
			goto done;
	}
	s->ntags = tb.ntags;
	/* the second pass */
	for (i = 0; i < tb.nstream; i++) {
		if (tb.stream[i] & TAG_ART) {
			cur = tb.stream[i] & ~TAG_ART;
			continue;
		}
		st = &s->tags[tb.tags[tb.stream[i]].pos];
		st->arts[st->narts++] = (uint32_t)cur;
	}
	r = 0;
done:
	free(order);
	free(tb.tags);
	free(tb.spells);
	free(tb.hash);
	free(tb.stream);
	buf_free(&tb.slug);
	return r;
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
	struct buf		 src = BUF_INIT, other = BUF_INIT;
	uint32_t		*set = NULL, h;
	size_t			 i, j, cap = 0;
	int			 r = -1;

	/* each path of prev found with its source: none went */
	if (sc->nsame == prev->narticles)
		return 0;
	for (i = 0; i < prev->narticles; i++) {
		site_article_src(prev, &prev->articles[i], &src);
		if (site_find(s, site_article_path(prev, &prev->articles[i]),
		    &n) == SITE_ARTICLE && strcmp(site_article_src(s, n.art,
		    &other), src.data) == 0)
			continue;
		/* gone from its path: is its source used at another? A set
		 * of article numbers + 1, by their sources */
		if (set == NULL) {
			for (cap = 64; cap < 2 * s->narticles; cap *= 2)
				;
			if ((set = calloc(cap, sizeof(*set))) == NULL)
				goto done;
			for (j = 0; j < s->narticles; j++) {
				site_article_src(s, &s->articles[j], &other);
				h = site_hash(SITE_HASH_SEED, other.data,
				    other.len);
				while (set[h & (cap - 1)] != 0)
					h++;
				set[h & (cap - 1)] = (uint32_t)j + 1;
			}
		}
		h = site_hash(SITE_HASH_SEED, src.data, src.len);
		while (set[h & (cap - 1)] != 0 && strcmp(site_article_src(s,
		    &s->articles[set[h & (cap - 1)] - 1], &other),
		    src.data) != 0)
			h++;
		if (set[h & (cap - 1)] == 0)
			catalog_forget(sc->catalog, src.data);
	}
	r = 0;
done:
	free(set);
	buf_free(&src);
	buf_free(&other);
	return r;
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
	return build(root, catalog, prev, NULL,
	    prev != NULL ? prev->serial + 1 : 1, err, errlen);
}

struct site *
site_reload_watched(const char *root, struct catalog *catalog,
    const struct site *prev, struct site_watch *w, char *err, size_t errlen)
{
	return build(root, catalog, prev, w,
	    prev != NULL ? prev->serial + 1 : 1, err, errlen);
}

/*
 * A first load from the image: see site.h. The image's root must be
 * this root (the same folder) and its dates in this zone.
 */
struct site *
site_load_image(const char *root, struct catalog *catalog, const char *path,
    unsigned long long tag, struct site_watch *w, int *whole, char *err,
    size_t errlen)
{
	struct site_image_folders fo;
	struct site	*img, *s;
	struct scan	 sc;
	struct stat	 st;
	char		*real = NULL;
	int		 same;

	*whole = 0;
	*err = '\0';
	if (w == NULL || catalog == NULL || !catalog_partial_ok(catalog) ||
	    (img = site_image_read(path, tag, &fo, err, errlen)) == NULL) {
		if (*err != '\0')
			log_warnx("site image: %s", err);
		goto load;
	}
	memset(&sc, 0, sizeof(sc));
	sc.rootfd = -1;
	if ((real = realpath(root, NULL)) == NULL ||
	    strcmp(real, img->root) != 0 ||
	    strcmp(img->zone, zone_current()) != 0 ||
	    (img->rootfd = open(real, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || fstat(img->rootfd, &st) == -1 ||
	    site_watch_begin(w, img->rootfd, st.st_dev, st.st_ino) == -1)
		goto whole_load;
	sc.watch = w;
	sc.rootfd = img->rootfd;
	sc.rootreal = real;
	sc.rootlen = strcmp(real, "/") == 0 ? 0 : strlen(real);
	sc.devs[0] = st.st_dev;
	sc.inos[0] = st.st_ino;
	if (site_watch_prime(&sc, &fo, img->serial, &same) == -1)
		goto whole_load;
	scan_free(&sc);
	free(real);
	site_image_folders_free(&fo);
	if (same && sc.stamp == img->stamp) {
		site_watch_done(w, img->serial);
		img->nkept = img->narticles;
		*whole = 1;
		return img;
	}
	/* the folders that changed read, the rest from the image; the
	 * catalog is read now, so it is checked first */
	if (catalog_check_now(catalog) == 1) {
		site_free(img);
		img = NULL;
	}
	s = site_reload_watched(root, catalog, img, w, err, errlen);
	/* every folder as the image has it, but the stamp is not: a
	 * folder the site skips changed (no share of the stamp is its);
	 * the image patched with nothing keeps its stamp, so the walk's
	 * is the one */
	if (s != NULL && s->patched)
		s->stamp = sc.stamp;
	site_free(img);
	return s;
whole_load:
	scan_free(&sc);
	free(real);
	site_image_folders_free(&fo);
	site_free(img);
load:
	(void)catalog_check_now(catalog);
	return site_reload_watched(root, catalog, NULL, w, err, errlen);
}

/* A patch of sc->prev, if the watch's changes allow one: 1 made, 0
 * not (nothing made), -1 on ENOMEM. */
static int
patch(struct scan *sc)
{
	struct site_watch_change	*ch;
	size_t				 nch;
	int				 r;

	if ((r = site_watch_changes(sc->watch, sc->prev->serial, &ch,
	    &nch)) == 1)
		r = site_patch(sc, ch, nch);
	free(ch);
	return r;
}

static struct site *
build(const char *root, struct catalog *catalog, const struct site *prev,
    struct site_watch *watch, unsigned long serial, char *err, size_t errlen)
{
	struct scan	 sc;
	struct site	*s;
	struct stat	 st, pst;
	char		*real = NULL;
	int		 r, patched = 0;

	memset(&sc, 0, sizeof(sc));
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->index = site_priv_new(s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->rootfd = -1;
	s->serial = serial;
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
	if ((s->zone = site_arena_strdup(sc.p, zone_current())) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	sc.rootfd = s->rootfd;
	sc.rootreal = s->root;
	/* "/" as a root: every resolved path starts with rootreal + "/" */
	sc.rootlen = strcmp(s->root, "/") == 0 ? 0 : strlen(s->root);
	sc.devs[0] = st.st_dev;
	sc.inos[0] = st.st_ino;
	/* the same folder, not only the same name; and dates in the same
	 * zone, or each is read again (from the catalog) */
	if (prev != NULL && (strcmp(prev->root, s->root) != 0 ||
	    fstat(prev->rootfd, &pst) == -1 || pst.st_dev != st.st_dev ||
	    pst.st_ino != st.st_ino || strcmp(prev->zone, s->zone) != 0))
		prev = NULL;
	/* room for as much as last time: no growing on the way */
	if (prev != NULL && site_index_reserve(sc.p,
	    site_index_count(prev->index) + 64) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
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
	sc.serial = serial;
	if (watch != NULL && site_watch_begin(watch, s->rootfd, st.st_dev,
	    st.st_ino) == -1)
		watch = NULL;
	sc.watch = watch;
	/* only files the events named changed: the running snapshot,
	 * patched (site_patch.c); else the walk */
	if (watch != NULL && prev != NULL && (catalog == NULL || sc.partial) &&
	    (patched = patch(&sc)) == -1) {
		snprintf(err, errlen, "out of memory");
		if (catalog != NULL)
			catalog_abort(catalog);
		goto fail;
	}
	if (!patched && site_walk(&sc) == -1) {
		snprintf(err, errlen, "%s: %s", root, errno == ENOMEM ?
		    "out of memory" : strerror(errno));
		if (catalog != NULL)
			catalog_abort(catalog);
		goto fail;
	}
	s->patched = patched;
	s->walk_warn_len = s->warnings.len;
	s->walk_nwarnings = s->nwarnings;
	if (!patched && sc.partial && forget_gone(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		catalog_abort(catalog);
		goto fail;
	}
	if (catalog != NULL && (r = catalog_end(catalog)) != 0) {
		if (r == 1 && sc.partial) {
			/* rebuilt during the scan: fill it again, whole */
			scan_free(&sc);
			site_free(s);
			return build(root, catalog, NULL, watch, serial, err,
			    errlen);
		}
		log_warnx("catalog: cannot finish the scan");
	}
	s->stamp = sc.stamp;
	if (finish(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->tag_warn_len = s->warnings.len;
	s->tag_nwarnings = s->nwarnings;
	/* every article known: the links that lead nowhere */
	site_check_links(&sc);
	site_priv_done(sc.p);
	if (patched)
		site_watch_patched(watch, serial);
	if (watch != NULL)
		site_watch_done(watch, serial);
	scan_free(&sc);
	return s;
fail:
	free(real);
	scan_free(&sc);
	site_free(s);
	return NULL;
}

/* What the scan held for the build. */
static void
scan_free(struct scan *sc)
{
	buf_free(&sc->src);
	buf_free(&sc->body);
	buf_free(&sc->links);
	buf_free(&sc->tmp);
	free(sc->from);
	sc->from = NULL;
	sc->fromcap = 0;
}
