/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * route.c: the one entry point both front ends call. A normalised
 * request path is resolved against the reserved names (/date/, /tags/,
 * /search, /stats, the feeds) and then the in-memory site model, never
 * by joining strings into a file-system path: the only file access is
 * openat(rootfd, src, O_NOFOLLOW) on a file the model lists. Successful
 * pages are counted here, before they are rendered, so a page shows the
 * count including its own view. The front ends turn the reply into
 * Gemini or Gopher; nothing here knows which.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "counter.h"
#include "label.h"
#include "log.h"
#include "memo.h"
#include "mime.h"
#include "pagecache.h"
#include "path.h"
#include "proto.h"
#include "render.h"
#include "route.h"
#include "scheme.h"
#include "search.h"
#include "site.h"
#include "utf8.h"

#define PAGE_READ_MAX	(4 * 1024 * 1024)	/* larger .gmi: as a file */

static void	page_begin(const struct render_ctx *, const struct request *,
		    struct reply *, enum reply_kind, int);
static void	page_end(struct reply *, int);
static void	redirect(struct reply *, const char *, const char *);
static void	route_date(const struct render_ctx *, const struct request *,
		    struct reply *);
static void	route_search(const struct render_ctx *,
		    const struct request *, struct reply *);
static void	route_tags(const struct render_ctx *, const struct request *,
		    struct reply *);
static void	route_feed(const struct render_ctx *, struct reply *,
		    const struct category *);
static void	route_article(const struct render_ctx *,
		    const struct request *, const struct page_marks *,
		    struct reply *,
		    const struct article *);
static void	route_file(const struct render_ctx *, const struct request *,
		    struct reply *, const struct site_file *, int);

static void
page_begin(const struct render_ctx *ctx, const struct request *req,
    struct reply *r, enum reply_kind kind, int slot)
{
	r->status = ST_OK;
	r->kind = kind;
	render_meta(ctx, r->meta, sizeof(r->meta));
	r->lang = label_lang(ctx->lang);
	if (ctx->counter != NULL && !req->probe)
		counter_hit(ctx->counter, slot);
	/* a page is a function of the snapshot and the request, but for
	 * the counter it shows (r->hole): it may be kept, and a copy
	 * served from the cache counts its visit the same way */
	r->cache = 1;
	r->count = 1;
	r->slot = slot;
	r->hole = PAGE_HOLE_NONE;
}

static void
page_end(struct reply *r, int rc)
{
	if (rc == 0)
		return;
	buf_reset(&r->body);
	if (rc == RENDER_NOT_FOUND)
		reply_status(r, ST_NOT_FOUND, "Not found");
	else
		reply_status(r, ST_TEMP_FAIL, "Out of memory");
}

/* 31 to path + suffix, percent-encoded, kept a path (no scheme/host) */
static void
redirect(struct reply *r, const char *path, const char *suffix)
{
	struct buf	 u = BUF_INIT;

	if (buf_reserve(&u, strlen(path)) == -1 ||
	    path_encode(&u, path, 1) == -1 || buf_puts(&u, suffix) == -1 ||
	    u.len >= sizeof(r->meta)) {
		buf_free(&u);
		reply_status(r, ST_NOT_FOUND, "Not found");
		return;
	}
	reply_status(r, ST_REDIRECT_PERM, "%s", u.data);
	buf_free(&u);
}

static int
days_in_month(int y, int m)
{
	static const int	 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int
date_exists(const struct site *s, int y, int m, int d)
{
	size_t	 i;

	for (i = 0; i < s->ndays; i++)
		if (s->days[i].year == y &&
		    (m == 0 || s->days[i].month == m) &&
		    (d == 0 || s->days[i].day == d))
			return 1;
	return 0;
}

/* /date/, /date/YYYY/, /date/YYYY/MM/, /date/YYYY/MM/DD/ */
static void
route_date(const struct render_ctx *ctx, const struct request *req,
    struct reply *r)
{
	static const size_t	 width[3] = { 4, 2, 2 };
	const char		*p = req->path + strlen("/date");
	int			 v[3] = { 0, 0, 0 }, n = 0, slash = 1;

	if (*p == '\0')
		slash = 0;
	else
		p++;
	while (*p != '\0') {
		if (n == 3 || strlen(p) < width[n] ||
		    scheme_num(p, width[n], &v[n]) == -1)
			goto notfound;
		p += width[n++];
		if (*p == '\0')
			slash = 0;
		else if (*p++ != '/')
			goto notfound;
	}
	if ((n >= 1 && v[0] < 1) || (n >= 2 && (v[1] < 1 || v[1] > 12)) ||
	    (n == 3 && (v[2] < 1 || v[2] > days_in_month(v[0], v[1]))))
		goto notfound;
	if (n >= 1 && !date_exists(ctx->site, v[0], v[1], v[2]))
		goto notfound;
	if (!slash) {
		redirect(r, req->path, "/");
		return;
	}
	page_begin(ctx, req, r, REPLY_MENU, -1);
	page_end(r, render_date(&r->body, ctx, v[0], v[1], v[2]));
	return;
notfound:
	reply_status(r, ST_NOT_FOUND, "Not found");
}

/*
 * /tags/, /tags/<slug>/ and /tags/<slug>/page/N/ (N > 1, no leading
 * zero). Any other way to write a tag's page that names an existing
 * page (no slash at the end, page/1/, the tag as written: "/tags/Đại
 * hội") is sent to it, like categories' pages.
 */
static void
route_tags(const struct render_ctx *ctx, const struct request *req,
    struct reply *r)
{
	const struct site_tag	*t;
	struct buf		 want = BUF_INIT;
	const char		*p = req->path + strlen("/tags"), *rest, *q;
	size_t			 len, n;
	int			 page = 1;

	if (strcmp(p, "/") == 0) {
		page_begin(ctx, req, r, REPLY_MENU, -1);
		page_end(r, render_tags(&r->body, ctx));
		return;
	}
	if (*p == '\0') {
		redirect(r, req->path, "/");
		return;
	}
	p++;
	len = strcspn(p, "/");
	rest = p + len;
	/* after the tag: "", "/", "/page/N" or "/page/N/" */
	if (strncmp(rest, "/page/", 6) == 0) {
		q = rest + 6;
		n = strcspn(q, "/");
		if (q[0] == '0' || scheme_num(q, n, &page) == -1 ||
		    page > SCHEME_PAGE_MAX ||
		    (q[n] != '\0' && strcmp(q + n, "/") != 0))
			goto notfound;
	} else if (*rest != '\0' && strcmp(rest, "/") != 0)
		goto notfound;
	if (buf_puts(&want, "/tags/") == -1 ||
	    utf8_slug(&want, p, len) == -1 || want.len == strlen("/tags/") ||
	    (t = site_tag_find(ctx->site, want.data + strlen("/tags/"))) ==
	    NULL ||
	    page > render_tag_pages(ctx, t))
		goto notfound;
	if ((page > 1 ? buf_printf(&want, "/page/%d/", page) :
	    buf_putc(&want, '/')) == -1)
		goto notfound;
	if (strcmp(req->path, want.data) != 0)
		redirect(r, want.data, "");
	else {
		page_begin(ctx, req, r, REPLY_MENU, -1);
		page_end(r, render_tag(&r->body, ctx, t, page));
	}
	buf_free(&want);
	return;
notfound:
	buf_free(&want);
	reply_status(r, ST_NOT_FOUND, "Not found");
}

/*
 * "/search?<query>[&page=N]". The query arrives decoded, so a page
 * number is recognised only as a final "&page=N" with N in 1..9999
 * written without leading zeros; anything else is part of the query.
 */
static void
route_search(const struct render_ctx *ctx, const struct request *req,
    struct reply *r)
{
	struct search_hit	*hits = NULL;
	const char		*errstr = NULL, *amp;
	char			 q[REQ_PATH_MAX + 1];
	size_t			 len, i, nchars, nhits = 0, total = 0;
	int			 page = 1, cp;

	len = strlen(req->query);
	memcpy(q, req->query, len + 1);
	if ((amp = strstr(q, "&page=")) != NULL) {
		while (strstr(amp + 1, "&page=") != NULL)
			amp = strstr(amp + 1, "&page=");
		i = strlen(amp + 6);
		if (amp[6] != '0' && scheme_num(amp + 6, i, &page) == 0 &&
		    page >= 1 && page <= SCHEME_PAGE_MAX) {
			len = (size_t)(amp - q);
			q[len] = '\0';
		} else
			page = 1;
	}
	if (!req->has_query || strspn(q, " \t") == len) {
		reply_status(r, ST_INPUT, "%s",
		    render_label(ctx, L_SEARCH_PROMPT));
		return;
	}
	if (!utf8_valid(q, len)) {
		reply_status(r, ST_BAD_REQUEST, "Invalid UTF-8 in the query");
		return;
	}
	for (i = 0, nchars = 0; i < len; nchars++)
		i += utf8_decode(q + i, len - i, &cp);
	if (nchars > SEARCH_QUERY_MAX) {
		page_begin(ctx, req, r, REPLY_MENU, -1);
		page_end(r, render_message(&r->body, ctx, L_RESULTS,
		    L_QUERY_TOO_LONG));
		return;
	}
	if (ctx->search == NULL) {
		reply_status(r, ST_TEMP_FAIL, "Search is not available");
		return;
	}
	if (search_query(ctx->search, ctx->site, q, page, &hits, &nhits,
	    &total, &errstr) == -1) {
		log_warnx("search: %s", errstr != NULL ? errstr : "failed");
		reply_status(r, ST_TEMP_FAIL, "Search failed");
		return;
	}
	page_begin(ctx, req, r, REPLY_MENU, -1);
	page_end(r, render_search(&r->body, ctx, q, page, hits, nhits,
	    total));
	search_hits_free(hits, nhits);
}

/*
 * Feeds are data, not pages: they are not counted. A feed holds the
 * full text of twenty articles and shows no counter, so a worker
 * renders it once per snapshot and keeps it (ctx->feeds, keyed by the
 * category; the site's feed by 0): feed readers poll, and must not
 * cost twenty conversions a poll.
 */
static void
route_feed(const struct render_ctx *ctx, struct reply *r,
    const struct category *c)
{
	const char	*kept;
	size_t		 len;
	int		 rc;

	r->status = ST_OK;
	r->kind = REPLY_DATA;
	r->cache = 1;			/* data: not counted */
	snprintf(r->meta, sizeof(r->meta), "%s", SCHEME_FEED_TYPE);
	if ((kept = memo_get(ctx->feeds, ctx->site->serial, (uintptr_t)c,
	    &len)) != NULL) {
		page_end(r, buf_append(&r->body, kept, len) == -1 ? -1 : 0);
		return;
	}
	if ((rc = render_atom(&r->body, ctx, c)) == 0)
		(void)memo_put(ctx->feeds, ctx->site->serial, (uintptr_t)c,
		    r->body.data, r->body.len);
	page_end(r, rc);
}

static void
route_article(const struct render_ctx *ctx, const struct request *req,
    const struct page_marks *marks, struct reply *r, const struct article *a)
{
	struct render_ctx	 actx;
	struct article_page	 pg;
	char			 err[256];

	if (site_article_page(ctx->site, ctx->bodies, a, &pg, err,
	    sizeof(err)) == -1) {
		log_warnx("%s: %s", site_article_path(ctx->site, a), err);
		reply_status(r, ST_TEMP_FAIL, "Cannot read the article");
		return;
	}
	/* in the article's own language: lang=, labels, dates */
	ctx = render_article_ctx(ctx, pg.lang, &actx);
	page_begin(ctx, req, r, REPLY_DOCUMENT, a->counter_slot);
	r->hole = PAGE_HOLE_VIEWS | PAGE_HOLE_SITE;
	page_end(r, render_article(&r->body, ctx, a, &pg, marks));
	site_article_page_free(&pg);
}

/*
 * An attachment is handed over as an open fd; a .gmi page (or a
 * folder's index.gmi, page = 1) is read into the body so that Gopher
 * can render it as text.
 */
static void
route_file(const struct render_ctx *ctx, const struct request *req,
    struct reply *r, const struct site_file *f, int page)
{
	struct stat	 st;
	const char	*dot;
	int		 fd;

	/* site_open refuses any symbolic link on the way (openat2
	 * RESOLVE_BENEATH): a folder swapped for a link since the scan
	 * cannot lead outside the root */
	fd = site_open(ctx->site, f->src);
	if (fd == -1) {
		if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) {
			reply_status(r, ST_NOT_FOUND, "Not found");
			return;
		}
		log_warn("%s", f->src);
		reply_status(r, ST_TEMP_FAIL, "Cannot open the file");
		return;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		reply_status(r, ST_NOT_FOUND, "Not found");
		return;
	}
	/* the type comes from the name the reader asked for, not from
	 * the name of a link's target */
	dot = strrchr(f->path, '.');
	if (!page && dot != NULL && strchr(dot, '/') == NULL &&
	    strcasecmp(dot, ".gmi") == 0)
		page = 1;
	/* a small text file is read too, so that Gopher can send it as a
	 * proper type-0 text (dot-stuffed, ending with "."; RFC 1436) */
	if (!page && dot != NULL && strchr(dot, '/') == NULL &&
	    strcasecmp(dot, ".txt") == 0 && st.st_size <= PAGE_READ_MAX)
		page = 2;
	if (!page || st.st_size > PAGE_READ_MAX) {
		r->status = ST_OK;
		r->kind = REPLY_FILE;
		r->fd = fd;
		r->size = st.st_size;
		if (page)
			render_meta(ctx, r->meta, sizeof(r->meta));
		else
			snprintf(r->meta, sizeof(r->meta), "%s",
			    mime_of(f->path, fd));
		return;
	}
	buf_reset(&r->body);
	if (buf_read_fd(&r->body, fd, PAGE_READ_MAX, (size_t)st.st_size)
	    == -1) {
		if (errno != EFBIG)
			log_warn("read %s", f->src);
		goto fail;
	}
	close(fd);
	if (page == 2) {		/* text: data, not a counted page */
		r->status = ST_OK;
		r->kind = REPLY_DATA;
		r->cache = 1;
		snprintf(r->meta, sizeof(r->meta), "%s", mime_of(f->path,
		    -1));
		return;
	}
	page_begin(ctx, req, r, REPLY_DOCUMENT, -1);
	return;
fail:
	close(fd);
	buf_reset(&r->body);
	reply_status(r, ST_TEMP_FAIL, "Cannot read the page");
}

void
route(const struct render_ctx *ctx, const struct request *req,
    const struct page_marks *marks, struct reply *r)
{
	struct scheme_match	 m;
	struct site_node	 n;
	const char		*path = req->path;
	int			 trailing;

	buf_reset(&r->body);
	if (path[0] != '/' || path_hidden(path))
		goto notfound;
	trailing = path[strlen(path) - 1] == '/';
	switch (scheme_match(path, &m)) {
	case SCHEME_HOME:
		page_begin(ctx, req, r, REPLY_MENU, -1);
		r->hole = PAGE_HOLE_SITE;
		page_end(r, render_home(&r->body, ctx, marks));
		return;
	case SCHEME_DATE:
		route_date(ctx, req, r);
		return;
	case SCHEME_SEARCH_PAGE:
		route_search(ctx, req, r);
		return;
	case SCHEME_TAGS:
		route_tags(ctx, req, r);
		return;
	case SCHEME_STATS:
		page_begin(ctx, req, r, REPLY_MENU, -1);
		r->cache = 0;		/* every number on it moves */
		page_end(r, render_stats(&r->body, ctx));
		return;
	case SCHEME_FEED:
		if (strcmp(m.prefix, "/") == 0) {
			route_feed(ctx, r, NULL);
			return;
		}
		if (site_find(ctx->site, m.prefix, &n) == SITE_CATEGORY) {
			route_feed(ctx, r, n.cat);
			return;
		}
		break;
	case SCHEME_PUBLISH:		/* titan.c's, when Titan is on */
		goto notfound;
	case SCHEME_CAPS:		/* the site's own, or Gopher's */
	case SCHEME_CAT_PAGE:		/* if no node has the name */
	case SCHEME_TREE:
		break;
	}
	switch (site_find(ctx->site, path, &n)) {
	case SITE_CATEGORY:
		if (!trailing) {
			redirect(r, path, "/");
			return;
		}
		page_begin(ctx, req, r, REPLY_MENU, -1);
		page_end(r, render_category(&r->body, ctx, n.cat, 1));
		return;
	case SITE_ARTICLE:
		if (trailing)
			goto notfound;
		route_article(ctx, req, marks, r, n.art);
		return;
	case SITE_FILE:
		if (trailing)
			goto notfound;
		route_file(ctx, req, r, n.file, 0);
		return;
	case SITE_DIR:
		if (n.file == NULL)
			goto notfound;
		if (!trailing) {
			redirect(r, path, "/");
			return;
		}
		route_file(ctx, req, r, n.file, 1);
		return;
	case SITE_NONE:
		break;
	}
	if (m.page == SCHEME_CAT_PAGE &&
	    site_find(ctx->site, m.prefix, &n) == SITE_CATEGORY &&
	    m.n <= render_category_pages(ctx, n.cat)) {
		if (m.n == 1)
			redirect(r, m.prefix, "");
		else if (!m.slash)
			redirect(r, path, "/");
		else {
			page_begin(ctx, req, r, REPLY_MENU, -1);
			page_end(r, render_category(&r->body, ctx, n.cat,
			    m.n));
		}
		return;
	}
notfound:
	reply_status(r, ST_NOT_FOUND, "Not found");
}

static int
has_scheme(const char *url)
{
	const char	*p = url;

	/* RFC 3986, 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

int
route_kind(const struct site *site, const char *url, const char **mime)
{
	struct scheme_match	 m;
	struct site_node	 n;
	const char		*errstr, *dot, *t;
	char			 path[REQ_PATH_MAX + 1];
	size_t			 len;

	if (mime != NULL)
		*mime = NULL;
	if (has_scheme(url) || (url[0] == '/' && url[1] == '/'))
		return SCHEME_EXTERNAL;
	if (url[0] != '/')
		return SCHEME_UNKNOWN;
	len = strcspn(url, "?#");
	if (path_decode(url, len, path, sizeof(path), &errstr) == -1 ||
	    path_hidden(path))
		return SCHEME_UNKNOWN;
	switch (scheme_match(path, &m)) {
	case SCHEME_SEARCH_PAGE:
		/* "/search?x" is a page of results, not the prompt */
		return url[len] == '?' ? SCHEME_MENU : SCHEME_SEARCH;
	case SCHEME_HOME:
	case SCHEME_STATS:
	case SCHEME_DATE:
	case SCHEME_TAGS:
		return m.kind;
	case SCHEME_FEED:
		if (strcmp(m.prefix, "/") == 0 ||
		    site_find(site, m.prefix, NULL) == SITE_CATEGORY) {
			if (mime != NULL)
				*mime = m.mime;
			return m.kind;
		}
		break;
	case SCHEME_PUBLISH:
		return SCHEME_UNKNOWN;
	case SCHEME_CAPS:
	case SCHEME_CAT_PAGE:
	case SCHEME_TREE:
		break;
	}
	switch (site_find(site, path, &n)) {
	case SITE_CATEGORY:
		return SCHEME_MENU;
	case SITE_ARTICLE:
		return SCHEME_DOCUMENT;
	case SITE_DIR:
		return n.file != NULL ? SCHEME_DOCUMENT : SCHEME_UNKNOWN;
	case SITE_FILE:
		dot = strrchr(path, '.');
		if (dot != NULL && strchr(dot, '/') == NULL &&
		    (strcasecmp(dot, ".gmi") == 0 ||
		    strcasecmp(dot, ".txt") == 0))
			return SCHEME_DOCUMENT;
		t = mime_by_ext(path);
		if (mime != NULL)
			*mime = t != NULL ? t : "application/octet-stream";
		return SCHEME_FILE;
	case SITE_NONE:
		break;
	}
	if (m.page == SCHEME_CAT_PAGE &&
	    site_find(site, m.prefix, NULL) == SITE_CATEGORY)
		return m.kind;
	return SCHEME_UNKNOWN;
}
