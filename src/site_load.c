/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_load.c: the immutable snapshot of the capsule tree: categories
 * (folders, nested), articles sorted newest first, attachments and
 * static pages, the date index, and a hash from URL path to node.
 * site_load() has site_walk.c scan the tree into it, then sorts the
 * articles, counts the days and hands each category its articles, and
 * has the links of the HTML pages it read checked (site_entry.c). The
 * snapshot holds metadata only; bodies are read again, through rootfd,
 * when an article is served, so that a 100,000-article site fits on a
 * Raspberry Pi. Strings and structs live in one arena that site_free()
 * drops at once (site.c), and the problems the scan met are kept as
 * warnings. Nothing here lists a folder, and nothing knows about
 * requests or protocols.
 *
 *   site_load.c -> site_walk.c -> site_entry.c -> site.c
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
#include "site_walk.h"
#include "utf8.h"

static int	 finish(struct scan *);
static struct site *build(const char *, struct catalog *,
		    const struct site *, unsigned long, char *, size_t);

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
				h = site_hash(SITE_HASH_SEED, s->articles[j]->src,
				    strlen(s->articles[j]->src));
				while (set[h & (cap - 1)] != NULL)
					h++;
				set[h & (cap - 1)] = s->articles[j]->src;
			}
		}
		h = site_hash(SITE_HASH_SEED, src, strlen(src));
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
	return build(root, catalog, prev, prev != NULL ? prev->serial + 1 : 1,
	    err, errlen);
}

static struct site *
build(const char *root, struct catalog *catalog, const struct site *prev,
    unsigned long serial, char *err, size_t errlen)
{
	struct scan	 sc;
	struct site	*s;
	struct stat	 st, pst;
	char		*real = NULL;
	int		 r;

	memset(&sc, 0, sizeof(sc));
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->index = site_priv_new()) == NULL) {
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
		    site_index_count(prev->index) + 64) == -1) {
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
			buf_free(&sc.links);
			site_free(s);
			return build(root, catalog, NULL, serial, err,
			    errlen);
		}
		log_warnx("catalog: cannot finish the scan");
	}
	s->stamp = sc.stamp;
	if (finish(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* every article known: the links that lead nowhere */
	site_check_links(&sc);
	buf_free(&sc.src);
	buf_free(&sc.body);
	return s;
fail:
	free(real);
	buf_free(&sc.src);
	buf_free(&sc.body);
	buf_free(&sc.links);
	site_free(s);
	return NULL;
}
