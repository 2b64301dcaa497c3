/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_entry.c: what one file the walk keeps becomes in the snapshot:
 * an article (its source read and parsed, or its metadata taken from
 * the last snapshot or the catalog when size and mtime are unchanged),
 * an attachment, a static page titled by its first heading, or a
 * category's settings from _category.ini; and an article's page, its
 * body and what else the snapshot does not keep, read and converted
 * again when it is served (site_article_page), its links to paths on
 * the site resolved against the snapshot (site_link): kept,
 * rewritten to the article they name, or dropped as text, which the
 * scan warns about once the walk is done (site_check_links). Files are
 * opened below rootfd and never through a symbolic link. A file that
 * cannot be used is a warning and is skipped, never a failed load.
 * Nothing here lists a folder or decides what a folder is.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include <iniparser.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "convert.h"
#include "gemtext.h"
#include "label.h"
#include "log.h"
#include "memo.h"
#include "path.h"
#include "scheme.h"
#include "site.h"
#include "site_entry.h"
#include "site_int.h"
#include "utf8.h"

#define LINKS_KEPT	32	/* unresolved links remembered an article */
#define LINKS_SHOWN	8	/* ... and named in its warning */

struct scan_links {		/* an article's links, as the scan reads it */
	struct scan	*sc;
	struct buf	 paths;		/* TAB path, for each not found */
	size_t		 n;
};

struct serve_links {
	const struct site *s;
};

static int	 open_below(int, const char *);
static int	 page_read(const struct site *, const struct article *,
		    struct buf *, char *, size_t);

static int	 scan_link(void *, const char *, struct buf *);
static int	 serve_link(void *, const char *, struct buf *);

/* NULL if a file name may be served, else why not: it must be UTF-8
 * and hold nothing a link or a Gopher selector would break on. */
static const char *
bad_file_name(const char *s)
{
	size_t	 len = strlen(s);

	if (!utf8_valid(s, len))
		return "file name is not UTF-8";
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    strchr("?#%\\", *s) != NULL)
			return "unsafe file name";
	return NULL;
}

/* Callback state for iniparser, which reports through a global. */
static char	ini_msg[256];

static int
ini_error(const char *fmt, ...)
{
	va_list	 ap;

	if (ini_msg[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* a UTF-8 value from the ini, copied into the arena, NFC */
static int
ini_str(struct scan *sc, dictionary *d, const char *url, const char *key,
    char **dst)
{
	struct buf	 b = BUF_INIT;
	const char	*v;

	v = iniparser_getstring(d, key, NULL);
	if (v == NULL || *v == '\0')
		return 0;
	if (utf8_nfc(&b, v, strlen(v)) == -1) {
		site_warn(sc, url, "_category.ini", 0, "%s is not UTF-8",
		    strchr(key, ':') + 1);
		return 0;
	}
	*dst = site_arena_strdup(sc->p, b.data);
	buf_free(&b);
	return *dst == NULL ? -1 : 0;
}

int
site_read_ini(struct scan *sc, struct category *c, const char *inisrc)
{
	dictionary	*d;
	const char	*v, *lp;
	char		*path = NULL, *end;
	long		 order;
	int		 r = 0;

	if (asprintf(&path, "%s/%s", sc->rootreal, inisrc) == -1)
		return -1;
	ini_msg[0] = '\0';
	iniparser_set_error_callback(ini_error);
	d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	free(path);
	if (d == NULL) {
		/* "syntax error in FILE (LINE):" names the line */
		lp = strrchr(ini_msg, '(');
		site_warn(sc, c->path, "_category.ini",
		    lp != NULL ? atoi(lp + 1) : 0, "%s",
		    strstr(ini_msg, "syntax") != NULL ? "syntax error" :
		    strstr(ini_msg, "too long") != NULL ? "line too long" :
		    "cannot read");
		return 0;
	}
	if (ini_str(sc, d, c->path, "category:title", &c->title) == -1 ||
	    ini_str(sc, d, c->path, "category:description",
	    &c->description) == -1)
		r = -1;
	if ((v = iniparser_getstring(d, "category:order", NULL)) != NULL) {
		errno = 0;
		order = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    order < INT_MIN || order > INT_MAX)
			site_warn(sc, c->path, "_category.ini", 0,
			    "bad order '%.32s'", v);
		else
			c->order = (int)order;
	}
	iniparser_freedict(d);
	return r;
}

/*
 * The title of a top-level gemtext page: its first heading, read from
 * the first few KB. NULL (errno 0) when it has none: the file name is
 * shown instead.
 */
static char *
page_title(struct scan *sc, struct dent *d)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	char			 head[4096];
	const char		*dot = strrchr(d->name, '.');
	ssize_t			 n;
	int			 fd;
	char			*t = NULL;

	errno = 0;
	if (dot == NULL || strcmp(dot, ".gmi") != 0 || sc->s == NULL)
		return NULL;
	if ((fd = open_below(sc->rootfd, d->src)) == -1)
		return NULL;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return NULL;
	gemtext_iter_init(&it, head, (size_t)n);
	while (gemtext_next(&it, &l)) {
		if (l.type != GEMTEXT_HEADING || l.textlen == 0)
			continue;
		if (!utf8_valid(l.text, l.textlen))
			break;
		t = site_arena_cat(sc->p, "", l.text, l.textlen);
		if (t == NULL)
			errno = ENOMEM;
		break;
	}
	if (t == NULL && errno != ENOMEM)
		errno = 0;
	return t;
}

/* An attachment or static page; *out is set for index.gmi lookups. */
int
site_add_file(struct scan *sc, const char *url, struct dent *d, int page,
    struct site_file **out)
{
	struct site_file	*f;
	const char		*why;
	void			*v;
	int			 r;

	if ((why = bad_file_name(d->name)) != NULL) {
		site_warn(sc, url, d->name, 0, "%s", why);
		return 0;
	}
	if ((f = site_arena_alloc(sc->p, sizeof(*f))) == NULL ||
	    (f->path = site_arena_cat(sc->p, url, d->name,
	    strlen(d->name))) == NULL ||
	    (f->src = site_arena_strdup(sc->p, d->src)) == NULL)
		return -1;
	f->size = d->size;
	if (page && (f->title = page_title(sc, d)) == NULL && errno == ENOMEM)
		return -1;
	if ((r = site_index_put(sc->p, f->path, SITE_FILE,
	    sc->s->nfiles)) == -1)
		return -1;
	if (r == 1) {
		site_warn(sc, url, d->name, 0, "path %s is taken by %s",
		    f->path, site_index_owner(sc->p, f->path));
		return 0;
	}
	if ((v = site_grow(sc->s->files, sc->s->nfiles, &sc->filecap,
	    sizeof(f))) == NULL)
		return -1;
	sc->s->files = v;
	sc->s->files[sc->s->nfiles++] = f;
	if (page) {
		if ((v = site_grow(sc->s->pages, sc->s->npages, &sc->pagecap,
		    sizeof(f))) == NULL)
			return -1;
		sc->s->pages = v;
		sc->s->pages[sc->s->npages++] = f;
	}
	if (out != NULL)
		*out = f;
	return 0;
}

/*
 * Open src below rootfd. openat2's RESOLVE_BENEATH also refuses a
 * folder that became a symbolic link after the scan; where the kernel
 * or a seccomp filter lacks it, O_NOFOLLOW guards the last component.
 */
static int
open_below(int rootfd, const char *src)
{
#ifdef SYS_openat2
	struct open_how	 how;
	long		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rootfd, src, &how, sizeof(how));
	if (fd != -1 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
#endif
	return openat(rootfd, src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

int
site_open(const struct site *s, const char *src)
{
	return open_below(s->rootfd, src);
}

static long long
mtime_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* Read src (a listed file) whole into b; size and mtime as read. */
int
site_read_source(int rootfd, const char *src, struct buf *b, off_t *size,
    struct timespec *mtime)
{
	struct stat	 st;
	int		 fd, saved;

	buf_reset(b);
	if ((fd = open_below(rootfd, src)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (st.st_size > SITE_SOURCE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	if (buf_read_file(b, fd, SITE_SOURCE_MAX, (size_t)st.st_size) == -1)
		goto fail;
	b->data[b->len] = '\0';
	close(fd);
	if (size != NULL)
		*size = st.st_size;
	if (mtime != NULL)
		*mtime = st.st_mtim;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * The last snapshot's article at path if it was made from d's source
 * (*same), and if d is unchanged (same format, size and mtime).
 */
static const struct article *
prev_article(struct scan *sc, const char *path, const struct dent *d,
    int fmt, int *same)
{
	struct site_node	 n;
	const struct article	*pa;

	*same = 0;
	if (sc->prev == NULL ||
	    site_find(sc->prev, path, &n) != SITE_ARTICLE ||
	    strcmp(site_article_src(sc->prev, n.art, &sc->tmp), d->src) != 0)
		return NULL;
	*same = 1;
	pa = n.art;
	if (pa->stat != site_stat_key((long long)d->size,
	    mtime_ns(&d->mtime)) || (int)pa->fmt != fmt)
		return NULL;
	return pa;
}

/*
 * A new record for the article at path (made from src), in c: its
 * strings in the pool, a title or tags line that another article has
 * already there shared; in the index. The caller sets the rest. NULL
 * on ENOMEM (nothing kept).
 */
static struct article *
new_article(struct scan *sc, struct category *c, const char *path,
    const char *src, int fmt, const char *title, const char *tags,
    uint32_t from)
{
	struct article	*a;
	const char	*ext = site_fmt_ext(fmt);
	uint32_t	*v;
	size_t		 plen = strlen(path), slen = strlen(src);
	int		 own;

	/* where each came from in prev, for the sort (site_load.c) */
	if (sc->prev != NULL) {
		if ((v = site_grow(sc->from, sc->s->narticles, &sc->fromcap,
		    sizeof(*v))) == NULL)
			return NULL;
		sc->from = v;
		sc->from[sc->s->narticles] = from;
	}
	if ((a = site_article_new(sc->p)) == NULL)
		return NULL;
	/* the source is the path's, unless a link or an .htm says not */
	own = !(slen == plen - 1 + strlen(ext) &&
	    strncmp(src, path + 1, plen - 1) == 0 &&
	    strcmp(src + plen - 1, ext) == 0);
	if ((a->path = site_pool_add(sc->p, path, plen)) == 0 ||
	    (own && site_pool_add(sc->p, src, slen) == 0))
		goto fail;
	/* no title: the slug, in the path */
	a->title = title != NULL ? site_pool_intern(sc->p, title,
	    strlen(title)) : a->path + (uint32_t)strlen(c->path);
	a->tags = tags != NULL ? site_pool_intern(sc->p, tags,
	    strlen(tags)) : 0;
	if (a->title == 0 || (tags != NULL && a->tags == 0) ||
	    site_index_put(sc->p, path, SITE_ARTICLE,
	    sc->s->narticles) != 0)
		goto fail;
	a->fmt = (uint8_t)fmt;
	a->flags = own ? ART_OWN_SRC : 0;
	a->cat = (uint16_t)c->num;
	a->counter_slot = -1;
	sc->s->narticles++;
	return a;
fail:
	site_article_drop(sc->p);
	return NULL;
}

/* A copy of pa in this snapshot: its metadata as it was. */
static int
keep_article(struct scan *sc, struct category *c, const struct article *pa)
{
	const struct site	*prev = sc->prev;
	struct article		*a;
	const char		*title = NULL;

	if (pa->title != pa->path + strlen(site_article_cat(prev, pa)->path))
		title = site_article_title(prev, pa);
	if ((a = new_article(sc, c, site_article_path(prev, pa),
	    site_article_src(prev, pa, &sc->tmp), pa->fmt, title,
	    pa->tags != 0 ? prev->pool + pa->tags : NULL,
	    (uint32_t)(pa - prev->articles) + 1)) == NULL)
		return -1;
	a->zone = pa->zone;
	a->date = pa->date;
	a->stat = pa->stat;
	a->flags |= pa->flags & (ART_HAS_DATE | ART_HAS_TIME | ART_HAS_ZONE);
	sc->s->nkept++;
	return 0;
}

/* The record of an article read now, or from the catalog (m). */
static int
add_read(struct scan *sc, struct category *c, const char *path,
    const struct dent *d, struct article_meta *m, off_t size,
    const struct timespec *mts)
{
	struct article	*a;
	int		 fmt = article_fmt(d->name);

	if ((a = new_article(sc, c, path, d->src, fmt, m->title,
	    m->tags, 0)) == NULL)
		return -1;
	/* the date in the site's zone (the mtime's when it has none) */
	article_localize(m, mts->tv_sec);
	a->date = m->date;
	a->zone = (int32_t)m->zone;
	a->flags |= (m->has_date ? ART_HAS_DATE : 0) |
	    (m->has_time ? ART_HAS_TIME : 0) | (m->has_zone ? ART_HAS_ZONE : 0);
	a->stat = site_stat_key((long long)size, mtime_ns(mts));
	return 0;
}

int
site_add_article(struct scan *sc, struct category *c, struct dent *d)
{
	struct article_meta	 m;
	const struct article	*pa;
	struct scan_links	 sl = { NULL, BUF_INIT, 0 };
	const struct convert_links lk = { scan_link, &sl };
	const char		*why, *reason, *owner, *base;
	struct catalog		*cat;
	char			 err[256], *end;
	char			*path = NULL;
	size_t			 slen;
	off_t			 size = d->size;
	struct timespec		 mts = d->mtime;
	long			 line;
	int			 r = -1, got = 0, same = 0;

	memset(&m, 0, sizeof(m));
	if ((why = bad_file_name(d->name)) != NULL) {
		site_warn(sc, c->path, d->name, 0, "%s", why);
		return 0;
	}
	slen = (size_t)(strrchr(d->name, '.') - d->name);
	if (asprintf(&path, "%s%.*s", c->path, (int)slen, d->name) == -1)
		return -1;
	/* names are sorted: the first of x.gmi and x.md wins */
	if ((owner = site_index_owner(sc->p, path)) != NULL) {
		site_warn(sc, c->path, d->name, 0, "duplicate slug '%.*s' "
		    "(%s is served)", (int)slen, d->name, owner);
		free(path);
		return 0;
	}
	if (size > SITE_SOURCE_MAX) {
		site_warn(sc, c->path, d->name, 0, "larger than %d bytes",
		    SITE_SOURCE_MAX);
		free(path);
		return 0;
	}
	/* unchanged: its folder had no event since prev, or its size
	 * and mtime are those prev had */
	if ((pa = d->kept) != NULL || (pa = prev_article(sc, path, d,
	    article_fmt(d->name), &same)) != NULL) {
		r = keep_article(sc, c, pa);
		if (r == 0)
			sc->nsame++;
		free(path);
		return r;
	}
	/* the catalog keeps a source under its own name: a link by
	 * another name (its date may come from that name) is read, and
	 * not stored over its target's row */
	base = strrchr(d->src, '/') != NULL ? strrchr(d->src, '/') + 1 :
	    d->src;
	cat = strcmp(base, d->name) == 0 ? sc->catalog : NULL;
	if (cat != NULL)
		got = catalog_get(cat, d->src, (long long)size,
		    mtime_ns(&mts), &m) == 1;
	if (!got) {
		article_meta_free(&m);
		/* the catalog key is the mtime in nanoseconds: an edit in
		 * the same second as the last one is still seen */
		if (site_read_source(sc->rootfd, d->src, &sc->src, &size,
		    &mts) == -1) {
			site_warn(sc, c->path, d->name, 0, "%s",
			    strerror(errno));
			goto skip;
		}
		sc->s->nread++;
		buf_reset(&sc->body);
		sl.sc = sc;
		if (article_parse_site(d->name, c->path, &lk, sc->src.data,
		    sc->src.len, &m, cat != NULL ? &sc->body : NULL,
		    err, sizeof(err)) == -1) {
			/* "line N: reason" -> "path:N: reason" */
			line = 0;
			reason = err;
			if (strncmp(err, "line ", 5) == 0) {
				line = strtol(err + 5, &end, 10);
				if (line > 0 && line < INT_MAX &&
				    strncmp(end, ": ", 2) == 0)
					reason = end + 2;
				else
					line = 0;
			}
			site_warn(sc, c->path, d->name, (int)line, "%s",
			    reason);
			goto skip;
		}
		if (m.block != NULL)
			log_debug("%s: the story is %s", d->src, m.block);
		/* checked once every article is known */
		if (sl.paths.len > 0 && (buf_printf(&sc->links, "%s\t%s",
		    c->path, d->name) == -1 || buf_append(&sc->links,
		    sl.paths.data, sl.paths.len) == -1 ||
		    buf_putc(&sc->links, '\n') == -1))
			goto fail;
		/* lang goes into the reply's header and the feed: a tag,
		 * or none (site_article_page drops it again) */
		if (m.lang != NULL && !label_tag_ok(m.lang))
			site_warn(sc, c->path, d->name, 0, "lang '%.32s' is "
			    "not a language tag (such as vi or en-US): "
			    "ignored", m.lang);
		if (cat != NULL && catalog_put(cat, d->src,
		    path, (long long)size, mtime_ns(&mts), &m,
		    sc->body.data != NULL ? sc->body.data : "",
		    sc->body.len) == -1) {
			log_warnx("catalog: cannot store %s", d->src);
			/* no stale text found by search: a full scan
			 * would drop it as not seen */
			if (sc->partial)
				catalog_forget(cat, d->src);
		}
	}
	if (add_read(sc, c, path, d, &m, size, &mts) == -1)
		goto fail;
	sc->nsame += same;
skip:
	r = 0;
fail:
	article_meta_free(&m);
	buf_free(&sl.paths);
	free(path);
	return r;
}

/*
 * A worker keeps what an article's page needs beyond the snapshot
 * (serve.c makes the memo), so that a popular article, or a feed of
 * twenty, is read and converted once, not on every request; keyed by
 * the snapshot's serial and the article's index. The kept bytes are
 * its author, summary and language, each a flag byte (present or not)
 * and a NUL-terminated string, then its body. A page that is not kept
 * is served all the same.
 */
#define PAGE_FIELDS	3

int
site_article_page(const struct site *s, struct memo *pages,
    const struct article *a, struct article_page *pg, char *err,
    size_t errlen)
{
	const char	*kept, *p, *f[PAGE_FIELDS];
	size_t		 len, i;

	memset(pg, 0, sizeof(*pg));
	if ((kept = memo_get(pages, s->serial, site_article_idx(s, a),
	    &len)) == NULL) {
		if (page_read(s, a, &pg->kept, err, errlen) == -1)
			return -1;
		(void)memo_put(pages, s->serial, site_article_idx(s, a),
		    pg->kept.data, pg->kept.len);
	} else if (buf_append(&pg->kept, kept, len) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p = pg->kept.data;
	for (i = 0; i < PAGE_FIELDS; i++) {
		f[i] = *p++ ? p : NULL;
		p += strlen(p) + 1;
	}
	pg->author = f[0];
	pg->summary = f[1];
	pg->lang = f[2];
	/* the body: a copy, which the caller may change */
	if (buf_append(&pg->body, p, pg->kept.len -
	    (size_t)(p - pg->kept.data)) == -1 || buf_reserve(&pg->body,
	    0) == -1) {
		site_article_page_free(pg);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void
site_article_page_free(struct article_page *pg)
{
	buf_free(&pg->body);
	buf_free(&pg->kept);
	memset(pg, 0, sizeof(*pg));
}

static int
put_field(struct buf *b, const char *v)
{
	if (buf_putc(b, v != NULL) == -1)
		return -1;
	return buf_append(b, v != NULL ? v : "", (v != NULL ? strlen(v) :
	    0) + 1);
}

/* Read an article's source and convert it: into out as the memo keeps
 * it (site_article_page). */
static int
page_read(const struct site *s, const struct article *a, struct buf *out,
    char *err, size_t errlen)
{
	struct article_meta	 m;
	struct serve_links	 sv = { s };
	const struct convert_links lk = { serve_link, &sv };
	struct buf		 src = BUF_INIT, body = BUF_INIT, name = BUF_INIT;
	int			 r = -1;

	memset(&m, 0, sizeof(m));
	if (site_read_source(s->rootfd, site_article_src(s, a, &name), &src,
	    NULL, NULL) == -1) {
		snprintf(err, errlen, "%s: %s", name.data, strerror(errno));
		goto done;
	}
	/* the name the site knows, not a link target's: same format */
	buf_reset(&name);
	if (buf_puts(&name, site_article_slug(s, a)) == -1 ||
	    buf_puts(&name, site_fmt_ext(a->fmt)) == -1) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((r = article_parse_site(name.data, site_article_cat(s, a)->path,
	    &lk, src.data != NULL ? src.data : "", src.len, &m, &body, err,
	    errlen)) == -1)
		goto done;
	/* as the scan took it: a lang that is not a tag is none */
	if (m.lang != NULL && !label_tag_ok(m.lang)) {
		free(m.lang);
		m.lang = NULL;
	}
	if (put_field(out, m.author) == -1 || put_field(out, m.summary) ==
	    -1 || put_field(out, m.lang) == -1 || buf_append(out, body.data !=
	    NULL ? body.data : "", body.len) == -1) {
		snprintf(err, errlen, "out of memory");
		r = -1;
	}
	article_meta_free(&m);
done:
	buf_free(&src);
	buf_free(&body);
	buf_free(&name);
	return r;
}

/* A served article's links: as the snapshot says (site_link). */
static int
serve_link(void *arg, const char *path, struct buf *to)
{
	const struct serve_links	*sv = arg;

	return site_link(sv->s, path, to);
}

/*
 * While the tree is walked, a link is to something already met (or a
 * reserved page), or it is remembered and checked when the walk is
 * done. Nothing is decided yet: the scan's body is for the catalog's
 * search text, whose links do not matter.
 */
static int
scan_link(void *arg, const char *path, struct buf *to)
{
	struct scan_links	*sl = arg;
	struct scheme_match	 m;
	char			 norm[1024];
	const char		*errstr, *p;
	size_t			 q = strcspn(path, "?#"), n;

	(void)to;
	if (path_normalize(path, q, norm, sizeof(norm), &errstr) == 0 &&
	    (scheme_match(norm, &m) != SCHEME_TREE ||
	    site_index_owner(sl->sc->p, norm) != NULL))
		return 0;
	n = strlen(path);
	for (p = sl->paths.data; p != NULL && (p = strstr(p, path)) != NULL;
	    p++)
		if (p[-1] == '\t' && (p[n] == '\t' || p[n] == '\0'))
			return 0;		/* already remembered */
	if (sl->n++ < LINKS_KEPT && (buf_putc(&sl->paths, '\t') == -1 ||
	    buf_puts(&sl->paths, path) == -1))
		return 0;	/* then it is not warned about: no harm */
	return 0;
}

/* Does slug say name[0..len): the same, or the same after a
 * YYYY-MM-DD- prefix? */
static int
slug_is(const char *slug, const char *name, size_t len)
{
	size_t	 n = strlen(slug);

	if (n == len && memcmp(slug, name, len) == 0)
		return 1;
	return n == len + 11 && slug[4] == '-' && slug[7] == '-' &&
	    slug[10] == '-' && slug[0] >= '0' && slug[0] <= '9' &&
	    memcmp(slug + 11, name, len) == 0;
}

/* Without a CMS's numeric id at its end ("tin-moi-123" -> "tin-moi"):
 * the shorter length, or 0 when it has none. */
static size_t
without_id(const char *name, size_t len)
{
	size_t	 k;

	for (k = len; k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9'; k--)
		;
	if (k == len || k < 2 || (name[k - 1] != '-' && name[k - 1] != '_'))
		return 0;
	return k - 1;
}

/*
 * The path, query aside, normalised into norm and cut after its
 * folder ("/kinh-te/"); the name it ends with, without an extension
 * ("a" of "a.html"), into name. -1 if it has no usable name.
 */
static int
link_name(const char *path, char *norm, size_t normlen, char *name,
    size_t namelen, size_t *len)
{
	const char	*errstr;
	size_t		 n, i, k;

	if (path_normalize(path, strcspn(path, "?#"), norm, normlen,
	    &errstr) == -1)
		return -1;
	n = strlen(norm);
	while (n > 1 && norm[n - 1] == '/')
		n--;
	for (i = n; i > 0 && norm[i - 1] != '/'; i--)
		;
	if (n - i >= namelen)
		return -1;
	memcpy(name, norm + i, n - i);
	n -= i;
	for (k = n; k > 0 && name[k - 1] != '.'; k--)
		;
	if (k > 1 && n - k >= 1 && n - k <= 5)
		n = k - 1;
	norm[i] = '\0';
	*len = n;
	return n > 0 ? 0 : -1;
}

int
site_slug_answers(const char *slug, const char *path)
{
	char	 norm[1024], name[256];
	size_t	 len;

	if (link_name(path, norm, sizeof(norm), name, sizeof(name),
	    &len) == -1)
		return 0;
	do {
		if (slug_is(slug, name, len))
			return 1;
	} while ((len = without_id(name, len)) > 0);
	return 0;
}

/* The first article of the n at idx (every one, if idx is NULL) whose
 * slug is name[0..len) */
static const struct article *
slug_find(const struct site *s, const uint32_t *idx, size_t n,
    const char *name, size_t len)
{
	const struct article	*a;
	size_t			 i;

	for (i = 0; i < n; i++) {
		a = &s->articles[idx != NULL ? idx[i] : i];
		if (slug_is(site_article_slug(s, a), name, len))
			return a;
	}
	return NULL;
}

int
site_link(const struct site *s, const char *path, struct buf *to)
{
	struct scheme_match	 m;
	struct site_node	 node;
	const struct category	*cat = NULL;
	const struct article	*a = NULL;
	char			 norm[1024], name[256];
	const char		*errstr;
	size_t			 len;

	if (path_normalize(path, strcspn(path, "?#"), norm, sizeof(norm),
	    &errstr) == -1)
		return -1;
	if (scheme_match(norm, &m) != SCHEME_TREE ||
	    site_find(s, norm, NULL) != SITE_NONE)
		return 0;
	if (link_name(path, norm, sizeof(norm), name, sizeof(name),
	    &len) == -1)
		return -1;
	/* in the folder it was in, if the site has that category, else
	 * anywhere; then without a CMS's id */
	if (site_find(s, norm, &node) == SITE_CATEGORY)
		cat = node.cat;
	do {
		if (cat != NULL)
			a = slug_find(s, cat->arts, cat->narticles, name,
			    len);
		if (a == NULL)
			a = slug_find(s, NULL, s->narticles, name, len);
	} while (a == NULL && (len = without_id(name, len)) > 0);
	if (a == NULL)
		return -1;
	return buf_puts(to, site_article_path(s, a)) == -1 ? -1 : 1;
}

/* One warning per article whose links lead nowhere on the site. */
void
site_check_links(struct scan *sc)
{
	struct buf	 dead = BUF_INIT, to = BUF_INIT;
	char		*line, *nl, *dir, *name, *path, *next;
	size_t		 ndead;

	for (line = sc->links.data; line != NULL && *line != '\0';
	    line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		dir = line;
		if ((name = strchr(dir, '\t')) == NULL)
			continue;
		*name++ = '\0';
		if ((path = strchr(name, '\t')) == NULL)
			continue;
		*path++ = '\0';
		buf_reset(&dead);
		for (ndead = 0; path != NULL; path = next) {
			if ((next = strchr(path, '\t')) != NULL)
				*next++ = '\0';
			buf_reset(&to);
			if (site_link(sc->s, path, &to) != -1)
				continue;
			if (ndead++ < LINKS_SHOWN)
				(void)buf_printf(&dead, "%s%s",
				    ndead > 1 ? ", " : "", path);
		}
		if (ndead > LINKS_SHOWN)
			(void)buf_printf(&dead, " and %zu more",
			    ndead - LINKS_SHOWN);
		if (ndead > 0)
			site_warn(sc, dir, name, 0, SITE_DEAD_LINKS ": %s",
			    dead.data != NULL ? dead.data : "");
	}
	buf_free(&dead);
	buf_free(&to);
	buf_free(&sc->links);
}
