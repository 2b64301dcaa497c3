/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * render.c: every page of the site as gemtext, built from the immutable
 * snapshot: home, category menus, articles, the date archive, tags,
 * search results, statistics, the Atom feeds. A page is a function of
 * (ctx, arguments) only, so listings can be cached per snapshot; no
 * socket or protocol is known here. Every line goes through the gemtext
 * emitters, so a title, an author or a query can never become markup,
 * and every feed string goes through xml_text() for the same reason.
 * Listings use gemsub lines ("=> /cat/slug 2020-05-21 Title") so that
 * a Gemini client can subscribe to any of them.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "counter.h"
#include "gemtext.h"
#include "label.h"
#include "pagecache.h"
#include "path.h"
#include "render.h"
#include "search.h"
#include "site.h"
#include "utf8.h"

#define PER_PAGE_DEFAULT	20
#define SEP			" \xc2\xb7 "	/* " · " between byline parts */

static int	 put_link(struct buf *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 put_text(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	 put_heading(struct buf *, int, const char *);
static int	 put_gemsub(struct buf *, const struct site *,
		    const struct article *);
static int	 put_cat(struct buf *, const struct render_ctx *,
		    const struct category *);
static int	 put_home(struct buf *, const struct render_ctx *);
static int	 put_tag_link(struct buf *, const struct site_tag *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int	 put_article_tags(struct buf *, const struct render_ctx *,
		    const struct article *);
static int	 month_label(struct buf *, const struct render_ctx *, int,
		    int);
static int	 day_label(struct buf *, const struct render_ctx *, int, int,
		    int);
static int	 byline(struct buf *, const struct render_ctx *,
		    const struct article *, const char *,
		    const struct page_marks *);
static int	 furniture(struct buf *, const struct render_ctx *,
		    const struct article *, const struct page_marks *);
static int	 xml_text(struct buf *, const char *, size_t, int);
static int	 xml_str(struct buf *, const char *, int);
static int	 xml_url(struct buf *, const struct render_ctx *,
		    const char *, const char *);
static void	 rfc3339(const struct article *, char *, size_t);
static int	 atom_tags(struct buf *, const struct render_ctx *,
		    const struct article *);
static int	 atom_entry(struct buf *, const struct render_ctx *,
		    const struct article *);

static const char *const	 vi_months[12] = {
	"Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín",
	"Mười", "Mười Một", "Mười Hai"
};
static const char *const	 en_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

const char *
render_label(const struct render_ctx *ctx, enum label l)
{
	if (l < 0 || l >= L_COUNT)
		return "";
	if (ctx->labels[l] != NULL)
		return ctx->labels[l];
	return label_default(l, ctx->lang);
}

const struct render_ctx *
render_article_ctx(const struct render_ctx *ctx, const char *lang,
    struct render_ctx *tmp)
{
	const char	*ui;

	if (lang == NULL)
		return ctx;
	*tmp = *ctx;
	tmp->lang_tag = lang;
	ui = label_lang(lang);
	if (ui != NULL && (ctx->lang == NULL || strcmp(ui, ctx->lang) != 0)) {
		tmp->lang = ui;
		memset(tmp->labels, 0, sizeof(tmp->labels));
	}
	return tmp;
}

static int
is_vi(const struct render_ctx *ctx)
{
	return ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0;
}

static const char *
site_title(const struct render_ctx *ctx)
{
	if (ctx->title != NULL && *ctx->title != '\0')
		return ctx->title;
	if (ctx->hostname != NULL && *ctx->hostname != '\0')
		return ctx->hostname;
	return "bantin";
}

static size_t
per_page(const struct render_ctx *ctx)
{
	return ctx->per_page > 0 ? (size_t)ctx->per_page : PER_PAGE_DEFAULT;
}

void
render_meta(const struct render_ctx *ctx, char *out, size_t len)
{
	const char	*lang;
	int		 r;

	lang = ctx->lang_tag != NULL ? ctx->lang_tag : ctx->lang;
	r = snprintf(out, len, "text/gemini; charset=utf-8; lang=%s",
	    lang != NULL && *lang != '\0' ? lang : "en");
	if (r < 0 || (size_t)r >= len)
		snprintf(out, len, "text/gemini; charset=utf-8");
}

/* "=> <path, percent-encoded> <label>": the label is sanitised by
 * gemtext_link, so titles inside it cannot break the line. */
static int
put_link(struct buf *b, const char *path, const char *fmt, ...)
{
	struct buf	 url = BUF_INIT, label = BUF_INIT;
	va_list		 ap;
	int		 rc = -1;

	va_start(ap, fmt);
	if (buf_reserve(&url, strlen(path)) == 0 &&
	    path_encode(&url, path, 1) == 0 &&
	    buf_vprintf(&label, fmt, ap) == 0)
		rc = gemtext_link(b, url.data, label.data);
	va_end(ap);
	buf_free(&url);
	buf_free(&label);
	return rc;
}

static int
put_text(struct buf *b, const char *fmt, ...)
{
	struct buf	 line = BUF_INIT;
	va_list		 ap;
	int		 rc = -1;

	va_start(ap, fmt);
	if (buf_vprintf(&line, fmt, ap) == 0)
		rc = gemtext_text(b, line.data, line.len);
	va_end(ap);
	buf_free(&line);
	return rc;
}

static int
put_heading(struct buf *b, int level, const char *s)
{
	return gemtext_heading(b, level, s, strlen(s));
}

static void
iso_date(int64_t date, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)date;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(out, len, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
}

/* A gemsub entry: "=> /cat/slug YYYY-MM-DD Title". */
static int
put_gemsub(struct buf *b, const struct site *s, const struct article *a)
{
	char	 d[32];

	iso_date(a->date, d, sizeof(d));
	return put_link(b, site_article_path(s, a), "%s %s", d,
	    site_article_title(s, a));
}

/* "=> /thoi-su/ Thời sự (12 bài)" */
static int
put_cat(struct buf *b, const struct render_ctx *ctx,
    const struct category *c)
{
	return put_link(b, c->path, "%s (%zu %s)", c->title, c->total,
	    render_label(ctx, L_ARTICLES));
}

/* "=> /tags/<slug>/ <label>" */
static int
put_tag_link(struct buf *b, const struct site_tag *t, const char *fmt,
    ...)
{
	struct buf	 path = BUF_INIT, label = BUF_INIT;
	va_list		 ap;
	int		 rc = -1;

	va_start(ap, fmt);
	if (buf_printf(&path, "/tags/%s/", t->slug) == 0 &&
	    buf_vprintf(&label, fmt, ap) == 0)
		rc = put_link(b, path.data, "%s", label.data);
	va_end(ap);
	buf_free(&path);
	buf_free(&label);
	return rc;
}

static int
put_home(struct buf *b, const struct render_ctx *ctx)
{
	return put_link(b, "/", "%s", render_label(ctx, L_HOME));
}

/* "Tháng Năm 2020", "May 2020" */
static int
month_label(struct buf *b, const struct render_ctx *ctx, int y, int m)
{
	if (m < 1 || m > 12)
		return buf_printf(b, "%04d-%02d", y, m);
	if (is_vi(ctx))
		return buf_printf(b, "Tháng %s %d", vi_months[m - 1], y);
	return buf_printf(b, "%s %d", en_months[m - 1], y);
}

/* "21 Tháng Năm 2020", "21 May 2020" */
static int
day_label(struct buf *b, const struct render_ctx *ctx, int y, int m, int d)
{
	if (buf_printf(b, "%d ", d) == -1)
		return -1;
	return month_label(b, ctx, y, m);
}

/* A counter's number, or the marker of the hole the page cache fills
 * in (marker not NULL). */
static void
count_text(const struct render_ctx *ctx, const char *marker,
    unsigned long long n, char *num, size_t len)
{
	if (marker != NULL)
		snprintf(num, len, "%s", marker);
	else
		counter_format(n, ctx->lang, num, len);
}

int
render_message(struct buf *b, const struct render_ctx *ctx,
    enum label heading, enum label message)
{
	if (put_heading(b, 1, render_label(ctx, heading)) == -1 ||
	    put_text(b, "%s", render_label(ctx, message)) == -1 ||
	    buf_putc(b, '\n') == -1)
		return -1;
	if ((heading == L_SEARCH || heading == L_RESULTS) &&
	    put_link(b, "/search", "%s", render_label(ctx, L_SEARCH)) == -1)
		return -1;
	return put_home(b, ctx);
}

int
render_home(struct buf *b, const struct render_ctx *ctx,
    const struct page_marks *marks)
{
	const struct site	*s = ctx->site;
	const char		*name, *dot;
	size_t			 i;
	char			 num[32];

	if (put_heading(b, 1, site_title(ctx)) == -1)
		return -1;
	if (ctx->counter != NULL) {
		count_text(ctx, marks != NULL ? marks->site : NULL,
		    counter_site(ctx->counter), num, sizeof(num));
		if (put_text(b, "%s: %s", render_label(ctx, L_VISITS),
		    num) == -1)
			return -1;
	}
	if (s->ncats > 0) {
		if (buf_putc(b, '\n') == -1 ||
		    put_heading(b, 2, render_label(ctx, L_CATEGORIES)) == -1)
			return -1;
		for (i = 0; i < s->ncats; i++)
			if (put_cat(b, ctx, s->cats[i]) == -1)
				return -1;
	}
	if (s->narticles > 0) {
		if (buf_putc(b, '\n') == -1 ||
		    put_heading(b, 2, render_label(ctx, L_LATEST)) == -1)
			return -1;
		for (i = 0; i < s->narticles && i < RENDER_HOME_LATEST; i++)
			if (put_gemsub(b, s, &s->articles[i]) == -1)
				return -1;
	}
	if (buf_putc(b, '\n') == -1 ||
	    put_link(b, "/date/", "%s", render_label(ctx, L_ARCHIVE)) == -1 ||
	    (s->ntags > 0 &&
	    put_link(b, "/tags/", "%s", render_label(ctx, L_TAGS)) == -1) ||
	    put_link(b, "/search", "%s", render_label(ctx, L_SEARCH)) == -1 ||
	    put_link(b, "/stats", "%s", render_label(ctx, L_STATS)) == -1 ||
	    put_link(b, "/atom.xml", "%s", render_label(ctx, L_FEED)) == -1)
		return -1;
	if (s->npages > 0) {
		if (buf_putc(b, '\n') == -1 ||
		    put_heading(b, 2, render_label(ctx, L_PAGES)) == -1)
			return -1;
		for (i = 0; i < s->npages; i++) {
			if (s->pages[i]->title != NULL) {
				if (put_link(b, s->pages[i]->path, "%s",
				    s->pages[i]->title) == -1)
					return -1;
				continue;
			}
			/* a page without a heading: its file name */
			name = strrchr(s->pages[i]->path, '/');
			name = name != NULL ? name + 1 : s->pages[i]->path;
			dot = strrchr(name, '.');
			if (put_link(b, s->pages[i]->path, "%.*s",
			    (int)(dot != NULL && dot != name ?
			    (size_t)(dot - name) : strlen(name)), name) == -1)
				return -1;
		}
	}
	return 0;
}

/* Pages of a listing of n articles, at least 1. */
static int
listing_pages(const struct render_ctx *ctx, size_t n)
{
	size_t	 pp = per_page(ctx);

	if (n == 0)
		return 1;
	n = (n + pp - 1) / pp;
	return n > 1000000 ? 1000000 : (int)n;
}

int
render_category_pages(const struct render_ctx *ctx,
    const struct category *c)
{
	return listing_pages(ctx, c->narticles);
}

/* A listing's page: "<base>" for the first, "<base>page/N/" */
static int
page_path(struct buf *b, const char *base, int page)
{
	buf_reset(b);
	if (page <= 1)
		return buf_puts(b, base);
	return buf_printf(b, "%spage/%d/", base, page);
}

/* Links to the pages before and after, after a blank line. */
static int
put_paging(struct buf *b, const struct render_ctx *ctx, const char *base,
    int page, int npage)
{
	struct buf	 p = BUF_INIT;
	int		 rc = -1;

	if (page > 1 || page < npage)
		if (buf_putc(b, '\n') == -1)
			goto done;
	if (page > 1 && (page_path(&p, base, page - 1) == -1 ||
	    put_link(b, p.data, "%s", render_label(ctx, L_PREV_PAGE)) == -1))
		goto done;
	if (page < npage && (page_path(&p, base, page + 1) == -1 ||
	    put_link(b, p.data, "%s", render_label(ctx, L_NEXT_PAGE)) == -1))
		goto done;
	rc = 0;
done:
	buf_free(&p);
	return rc;
}

int
render_category(struct buf *b, const struct render_ctx *ctx,
    const struct category *c, int page)
{
	struct buf	 p = BUF_INIT;
	size_t		 i, first, pp = per_page(ctx);
	int		 npages, rc = -1;

	npages = render_category_pages(ctx, c);
	if (page < 1 || page > npages)
		return RENDER_NOT_FOUND;
	if (put_heading(b, 1, c->title) == -1)
		goto done;
	if (c->description != NULL && *c->description != '\0' &&
	    put_text(b, "%s", c->description) == -1)
		goto done;
	if (npages > 1 && put_text(b, "%s %d/%d",
	    render_label(ctx, L_PAGE), page, npages) == -1)
		goto done;
	if (c->nchildren > 0) {
		if (buf_putc(b, '\n') == -1 || put_heading(b, 2,
		    render_label(ctx, L_SUBCATEGORIES)) == -1)
			goto done;
		for (i = 0; i < c->nchildren; i++)
			if (put_cat(b, ctx, c->children[i]) == -1)
				goto done;
	}
	if (c->narticles > 0) {
		if (buf_putc(b, '\n') == -1 || put_heading(b, 2,
		    render_label(ctx, L_ARTICLE_LIST)) == -1)
			goto done;
		first = (size_t)(page - 1) * pp;
		for (i = first; i < c->narticles && i < first + pp; i++)
			if (put_gemsub(b, ctx->site,
			    &ctx->site->articles[c->arts[i]]) == -1)
				goto done;
	}
	if (put_paging(b, ctx, c->path, page, npages) == -1)
		goto done;
	buf_reset(&p);
	if (buf_putc(b, '\n') == -1 ||
	    buf_printf(&p, "%satom.xml", c->path) == -1 ||
	    put_link(b, p.data, "%s", render_label(ctx, L_FEED)) == -1)
		goto done;
	if (c->parent != NULL &&
	    put_link(b, c->parent->path, "%s", c->parent->title) == -1)
		goto done;
	rc = put_home(b, ctx);
done:
	buf_free(&p);
	return rc;
}

int
render_tag_pages(const struct render_ctx *ctx, const struct site_tag *t)
{
	return listing_pages(ctx, t->narts);
}

/* /tags/: every tag, by slug, with its number of articles. */
int
render_tags(struct buf *b, const struct render_ctx *ctx)
{
	const struct site	*s = ctx->site;
	size_t			 i;

	if (put_heading(b, 1, render_label(ctx, L_TAGS)) == -1 ||
	    buf_putc(b, '\n') == -1)
		return -1;
	for (i = 0; i < s->ntags; i++)
		if (put_tag_link(b, &s->tags[i], "%s (%zu %s)",
		    s->tags[i].name, s->tags[i].narts,
		    render_label(ctx, L_ARTICLES)) == -1)
			return -1;
	if (s->ntags > 0 && buf_putc(b, '\n') == -1)
		return -1;
	return put_home(b, ctx);
}

/* /tags/<slug>/[page/N/]: a tag's articles, newest first. */
int
render_tag(struct buf *b, const struct render_ctx *ctx,
    const struct site_tag *t, int page)
{
	const struct site	*s = ctx->site;
	struct buf		 base = BUF_INIT;
	size_t			 i, first, pp = per_page(ctx);
	int			 n, rc = -1;

	n = render_tag_pages(ctx, t);
	if (page < 1 || page > n)
		return RENDER_NOT_FOUND;
	if (buf_printf(&base, "%s: %s", render_label(ctx, L_TAG),
	    t->name) == -1 || put_heading(b, 1, base.data) == -1)
		goto done;
	if ((n > 1 ? put_text(b, "%zu %s" SEP "%s %d/%d", t->narts,
	    render_label(ctx, L_ARTICLES), render_label(ctx, L_PAGE), page,
	    n) : put_text(b, "%zu %s", t->narts,
	    render_label(ctx, L_ARTICLES))) == -1 || buf_putc(b, '\n') == -1)
		goto done;
	first = (size_t)(page - 1) * pp;
	for (i = first; i < t->narts && i < first + pp; i++)
		if (t->arts[i] < s->narticles &&
		    put_gemsub(b, s, &s->articles[t->arts[i]]) == -1)
			goto done;
	buf_reset(&base);
	if (buf_printf(&base, "/tags/%s/", t->slug) == -1 ||
	    put_paging(b, ctx, base.data, page, n) == -1 ||
	    buf_putc(b, '\n') == -1 ||
	    put_link(b, "/tags/", "%s", render_label(ctx, L_TAGS)) == -1)
		goto done;
	rc = put_home(b, ctx);
done:
	buf_free(&base);
	return rc;
}

/*
 * "21 Tháng Năm 2020 11:15 · Tác giả: MỸ DUNG", then the views on a
 * line of their own ("Số lượt người xem: 63"): a short line that no
 * Gopher client wraps, and a number the page cache can fill in.
 */
static int
byline(struct buf *b, const struct render_ctx *ctx, const struct article *a,
    const char *author, const struct page_marks *marks)
{
	struct buf	 line = BUF_INIT;
	struct tm	 tm;
	time_t		 t = (time_t)a->date;
	char		 num[32];
	int		 rc = -1;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	if (day_label(&line, ctx, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) == -1)
		goto done;
	if ((a->flags & ART_HAS_TIME) &&
	    buf_printf(&line, " %02d:%02d", tm.tm_hour, tm.tm_min) == -1)
		goto done;
	if (author != NULL && *author != '\0' &&
	    buf_printf(&line, SEP "%s: %s", render_label(ctx, L_BY),
	    author) == -1)
		goto done;
	if (gemtext_text(b, line.data, line.len) == -1)
		goto done;
	rc = 0;
	if (ctx->counter != NULL) {
		count_text(ctx, marks != NULL ? marks->views : NULL,
		    counter_views(ctx->counter, a->counter_slot),
		    num, sizeof(num));
		rc = put_text(b, "%s: %s", render_label(ctx, L_VIEWS), num);
	}
done:
	buf_free(&line);
	return rc;
}

/*
 * What the newsroom's web page shows around every article: the day's
 * archive ("Xem theo ngày"), search ("Tìm kiếm") and the site's visit
 * counter, the number a marker where the page cache fills it in.
 */
static int
furniture(struct buf *b, const struct render_ctx *ctx,
    const struct article *a, const struct page_marks *marks)
{
	struct buf	 day = BUF_INIT, url = BUF_INIT;
	struct tm	 tm;
	time_t		 t = (time_t)a->date;
	char		 num[32];
	int		 rc = -1;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	if (buf_putc(b, '\n') == -1 ||
	    buf_printf(&url, "/date/%04d/%02d/%02d/", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday) == -1 ||
	    day_label(&day, ctx, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) == -1 ||
	    put_link(b, url.data, "%s: %s", render_label(ctx, L_ARCHIVE),
	    day.data) == -1 ||
	    put_link(b, "/search", "%s", render_label(ctx, L_SEARCH)) == -1)
		goto done;
	rc = 0;
	if (ctx->counter != NULL) {
		count_text(ctx, marks != NULL ? marks->site : NULL,
		    counter_site(ctx->counter), num, sizeof(num));
		rc = put_text(b, "%s: %s", render_label(ctx, L_VISITS), num);
	}
done:
	buf_free(&day);
	buf_free(&url);
	return rc;
}

/* "Thẻ:" and a link to each of the article's tags, then a blank line;
 * nothing for an article without tags. */
static int
put_article_tags(struct buf *b, const struct render_ctx *ctx,
    const struct article *a)
{
	const struct site_tag	*t[SITE_TAGS_MAX];
	size_t			 i, n;

	if ((n = site_article_tags(ctx->site, a, t, SITE_TAGS_MAX)) == 0)
		return 0;
	if (put_text(b, "%s:", render_label(ctx, L_TAGS)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (put_tag_link(b, t[i], "%s", t[i]->name) == -1)
			return -1;
	return buf_putc(b, '\n');
}

/* The article before and after a in its category: its neighbours in
 * c->arts, which is in the order of site->articles. */
static void
neighbours(const struct site *s, const struct category *c,
    const struct article *a, const struct article **older,
    const struct article **newer)
{
	size_t	 lo = 0, hi = c->narticles, mid, idx = site_article_idx(s, a);

	*older = *newer = NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->arts[mid] < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= c->narticles || c->arts[lo] != idx)
		return;
	if (lo + 1 < c->narticles)
		*older = &s->articles[c->arts[lo + 1]];
	if (lo > 0)
		*newer = &s->articles[c->arts[lo - 1]];
}

int
render_article(struct buf *b, const struct render_ctx *ctx,
    const struct article *a, const struct article_page *pg,
    const struct page_marks *marks)
{
	const struct site	*s = ctx->site;
	const struct category	*c = site_article_cat(s, a);
	const struct article	*older, *newer;
	const char		*body = pg->body.data != NULL ?
				    pg->body.data : "", *title;
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	size_t			 skip, bodylen = pg->body.len;

	title = site_article_title(s, a);
	skip = gemtext_title_end(body, bodylen, title);
	body += skip;
	bodylen -= skip;
	/* one blank line is written below the byline: drop the body's */
	while (bodylen > 0 && (body[0] == '\n' || (bodylen > 1 &&
	    body[0] == '\r' && body[1] == '\n'))) {
		skip = body[0] == '\n' ? 1 : 2;
		body += skip;
		bodylen -= skip;
	}
	if (put_heading(b, 1, title) == -1 ||
	    byline(b, ctx, a, pg->author, marks) == -1)
		return -1;
	if (c != NULL && put_link(b, c->path, "%s", c->title) == -1)
		return -1;
	if (buf_putc(b, '\n') == -1 || buf_append(b, body, bodylen) == -1)
		return -1;
	if (bodylen > 0 && body[bodylen - 1] != '\n' && buf_putc(b, '\n') == -1)
		return -1;
	/* an unclosed preformatted block would swallow the links below */
	gemtext_iter_init(&it, body, bodylen);
	while (gemtext_next(&it, &l))
		;
	if (it.in_pre && buf_puts(b, "```\n") == -1)
		return -1;
	if (buf_putc(b, '\n') == -1 || put_article_tags(b, ctx, a) == -1)
		return -1;
	neighbours(s, c, a, &older, &newer);
	if (older != NULL && put_link(b, site_article_path(s, older),
	    "%s: %s", render_label(ctx, L_PREV),
	    site_article_title(s, older)) == -1)
		return -1;
	if (newer != NULL && put_link(b, site_article_path(s, newer),
	    "%s: %s", render_label(ctx, L_NEXT),
	    site_article_title(s, newer)) == -1)
		return -1;
	if (c != NULL && put_link(b, c->path, "%s", c->title) == -1)
		return -1;
	if (put_home(b, ctx) == -1)
		return -1;
	return furniture(b, ctx, a, marks);
}

static int
put_count(struct buf *b, const struct render_ctx *ctx, const char *path,
    const char *label, size_t n)
{
	return put_link(b, path, "%s (%zu %s)", label, n,
	    render_label(ctx, L_ARTICLES));
}

int
render_date(struct buf *b, const struct render_ctx *ctx, int y, int m,
    int d)
{
	const struct site	*s = ctx->site;
	const struct site_day	*dy;
	struct buf		 lab = BUF_INIT, p = BUF_INIT;
	size_t			 i, j, n;
	int			 rc = -1, found = 0;

	if (y < 0 || m < 0 || m > 12 || d < 0 || d > 31 ||
	    (y == 0 && m != 0) || (m == 0 && d != 0))
		return RENDER_NOT_FOUND;
	if (y == 0) {
		if (put_heading(b, 1, render_label(ctx, L_ARCHIVE)) == -1 ||
		    buf_putc(b, '\n') == -1)
			goto done;
	} else {
		if (buf_printf(&lab, "%s: ", render_label(ctx, L_ARCHIVE)) ==
		    -1)
			goto done;
		if ((m == 0 ? buf_printf(&lab, "%d", y) : d == 0 ?
		    month_label(&lab, ctx, y, m) :
		    day_label(&lab, ctx, y, m, d)) == -1 ||
		    put_heading(b, 1, lab.data) == -1 ||
		    buf_putc(b, '\n') == -1)
			goto done;
	}
	/* site->days is newest first, so each level's groups are runs */
	for (i = 0; i < s->ndays; i = j) {
		dy = &s->days[i];
		n = 0;
		for (j = i; j < s->ndays; j++) {
			if (s->days[j].year != dy->year ||
			    (y != 0 && s->days[j].month != dy->month) ||
			    (m != 0 && s->days[j].day != dy->day))
				break;
			n += s->days[j].count;
		}
		if ((y != 0 && dy->year != y) || (m != 0 && dy->month != m) ||
		    (d != 0 && dy->day != d))
			continue;
		found = 1;
		buf_reset(&lab);
		buf_reset(&p);
		if (y == 0) {
			if (buf_printf(&p, "/date/%04d/", dy->year) == -1 ||
			    buf_printf(&lab, "%d", dy->year) == -1)
				goto done;
		} else if (m == 0) {
			if (buf_printf(&p, "/date/%04d/%02d/", dy->year,
			    dy->month) == -1 ||
			    month_label(&lab, ctx, dy->year, dy->month) == -1)
				goto done;
		} else if (d == 0) {
			if (buf_printf(&p, "/date/%04d/%02d/%02d/", dy->year,
			    dy->month, dy->day) == -1 || day_label(&lab, ctx,
			    dy->year, dy->month, dy->day) == -1)
				goto done;
		} else {
			for (n = dy->first; n < dy->first + dy->count &&
			    n < s->narticles; n++)
				if (put_gemsub(b, s, &s->articles[n]) == -1)
					goto done;
			continue;
		}
		if (put_count(b, ctx, p.data, lab.data, n) == -1)
			goto done;
	}
	if (y != 0 && !found) {
		rc = RENDER_NOT_FOUND;
		goto done;
	}
	/* links up the archive, then home */
	if (buf_putc(b, '\n') == -1)
		goto done;
	buf_reset(&lab);
	buf_reset(&p);
	if (d != 0) {
		if (buf_printf(&p, "/date/%04d/%02d/", y, m) == -1 ||
		    month_label(&lab, ctx, y, m) == -1 ||
		    put_link(b, p.data, "%s", lab.data) == -1)
			goto done;
	} else if (m != 0) {
		if (buf_printf(&p, "/date/%04d/", y) == -1 ||
		    put_link(b, p.data, "%d", y) == -1)
			goto done;
	} else if (y != 0) {
		if (put_link(b, "/date/", "%s",
		    render_label(ctx, L_ARCHIVE)) == -1)
			goto done;
	}
	rc = put_home(b, ctx);
done:
	buf_free(&lab);
	buf_free(&p);
	return rc;
}

/* "/search?<query>" with "&page=N" after page 1 */
static int
search_url(struct buf *b, const char *query, int page)
{
	buf_reset(b);
	if (buf_puts(b, "/search?") == -1 || path_encode(b, query, 0) == -1)
		return -1;
	if (page > 1 && buf_printf(b, "&page=%d", page) == -1)
		return -1;
	return 0;
}

int
render_search(struct buf *b, const struct render_ctx *ctx,
    const char *query, int page, const struct search_hit *hits,
    size_t nhits, size_t total)
{
	struct buf	 u = BUF_INIT;
	size_t		 i, npages;
	int		 rc = -1, more;

	if (put_heading(b, 1, render_label(ctx, L_RESULTS)) == -1 ||
	    put_text(b, "%s: %s", render_label(ctx, L_QUERY), query) == -1)
		goto done;
	/* past SEARCH_TOTAL_MAX hits, search counts no further */
	more = total > SEARCH_TOTAL_MAX;
	if (more)
		total = SEARCH_TOTAL_MAX;
	npages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	if (nhits == 0) {
		if (put_text(b, "%s", render_label(ctx, L_NO_RESULTS)) == -1)
			goto done;
	} else if (put_text(b, npages > 1 ? "%s%s%zu %s" SEP "%s %d/%zu" :
	    "%s%s%zu %s", more ? render_label(ctx, L_MORE_THAN) : "",
	    more ? " " : "", total, render_label(ctx, L_ARTICLES),
	    render_label(ctx, L_PAGE), page, npages) == -1 ||
	    buf_putc(b, '\n') == -1)
		goto done;
	for (i = 0; i < nhits; i++) {
		if (hits[i].art == NULL)
			continue;
		if (put_gemsub(b, ctx->site, hits[i].art) == -1)
			goto done;
		if (hits[i].excerpt != NULL && *hits[i].excerpt != '\0' &&
		    gemtext_text(b, hits[i].excerpt,
		    strlen(hits[i].excerpt)) == -1)
			goto done;
	}
	if (buf_putc(b, '\n') == -1)
		goto done;
	/* past the end (a stale link), "previous" leads to the last page */
	if (page > 1 && (search_url(&u, query, npages > 0 &&
	    (size_t)page - 1 > npages ? (int)npages : page - 1) == -1 ||
	    gemtext_link(b, u.data, render_label(ctx, L_PREV_PAGE)) == -1))
		goto done;
	if (page >= 1 && (size_t)page < npages && (search_url(&u, query,
	    page + 1) == -1 ||
	    gemtext_link(b, u.data, render_label(ctx, L_NEXT_PAGE)) == -1))
		goto done;
	if (put_link(b, "/search", "%s", render_label(ctx, L_SEARCH)) == -1)
		goto done;
	rc = put_home(b, ctx);
done:
	buf_free(&u);
	return rc;
}

struct ranked {
	const struct article	*art;
	unsigned long long	 views;
};

int
render_stats(struct buf *b, const struct render_ctx *ctx)
{
	const struct site	*s = ctx->site;
	struct ranked		 top[RENDER_MOST_READ];
	unsigned long long	 v;
	size_t			 i, j, ntop = 0;
	char			 num[32], d[32];

	if (put_heading(b, 1, render_label(ctx, L_STATS)) == -1)
		return -1;
	if (ctx->counter == NULL)
		return buf_putc(b, '\n') == -1 ? -1 : put_home(b, ctx);
	counter_format(counter_site(ctx->counter), ctx->lang, num,
	    sizeof(num));
	if (put_text(b, "%s: %s", render_label(ctx, L_VISITS), num) == -1)
		return -1;
	/* one pass keeping the best few in order: ties go to the newer */
	for (i = 0; i < s->narticles; i++) {
		if (s->articles[i].counter_slot < 0)
			continue;
		v = counter_views(ctx->counter, s->articles[i].counter_slot);
		if (v == 0 || (ntop == RENDER_MOST_READ &&
		    v <= top[ntop - 1].views))
			continue;
		if (ntop < RENDER_MOST_READ)
			ntop++;
		for (j = ntop - 1; j > 0 && top[j - 1].views < v; j--)
			top[j] = top[j - 1];
		top[j].art = &s->articles[i];
		top[j].views = v;
	}
	if (ntop > 0 && (buf_putc(b, '\n') == -1 ||
	    put_heading(b, 2, render_label(ctx, L_MOST_READ)) == -1))
		return -1;
	for (i = 0; i < ntop; i++) {
		iso_date(top[i].art->date, d, sizeof(d));
		counter_format(top[i].views, ctx->lang, num, sizeof(num));
		if (put_link(b, site_article_path(s, top[i].art),
		    "%s %s (%s %s)", d, site_article_title(s, top[i].art), num,
		    render_label(ctx, L_VIEW_COUNT)) == -1)
			return -1;
	}
	if (buf_putc(b, '\n') == -1)
		return -1;
	return put_home(b, ctx);
}

/*
 * Character data for XML 1.0 (section 2.2): markup characters escaped,
 * characters XML forbids (most C0 controls, U+FFFE, U+FFFF) replaced
 * by a space, invalid UTF-8 by U+FFFD. oneline also turns TAB and LF
 * into spaces, for titles and names.
 */
static int
xml_text(struct buf *b, const char *s, size_t len, int oneline)
{
	size_t	 i, n;
	int	 cp, r;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		switch (cp) {
		case '&':
			r = buf_puts(b, "&amp;");
			break;
		case '<':
			r = buf_puts(b, "&lt;");
			break;
		case '>':
			r = buf_puts(b, "&gt;");
			break;
		case '"':
			r = buf_puts(b, "&quot;");
			break;
		case '\r':
			r = 0;
			break;
		case '\t':
		case '\n':
			r = buf_putc(b, oneline ? ' ' : cp);
			break;
		case -1:
			r = buf_puts(b, "\xef\xbf\xbd");
			break;
		default:
			if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
				r = buf_putc(b, ' ');
			else
				r = buf_append(b, s + i, n);
			break;
		}
		if (r == -1)
			return -1;
	}
	return 0;
}

static int
xml_str(struct buf *b, const char *s, int oneline)
{
	return xml_text(b, s, strlen(s), oneline);
}

/* "gemini://<hostname><path, percent-encoded><suffix>", XML-escaped */
static int
xml_url(struct buf *b, const struct render_ctx *ctx, const char *path,
    const char *suffix)
{
	struct buf	 u = BUF_INIT;
	int		 rc = -1;

	if (buf_printf(&u, "gemini://%s", ctx->hostname != NULL ?
	    ctx->hostname : "localhost") == 0 &&
	    path_encode(&u, path, 1) == 0 && buf_puts(&u, suffix) == 0)
		rc = xml_text(b, u.data, u.len, 1);
	buf_free(&u);
	return rc;
}

/*
 * RFC 3339 of an article's date: the wall clock in the site's zone
 * with its offset there (site.h: a snapshot's dates carry it), so
 * 16:00 in Hà Nội is "16:00:00+07:00"; UTC gives "Z".
 */
static void
rfc3339(const struct article *a, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)a->date;
	long		 off = (a->flags & ART_HAS_ZONE) ? a->zone : 0;

	/* an offset with seconds (local mean time, before 1900) has no
	 * RFC 3339 form: the instant in UTC */
	if (off % 60 != 0) {
		t -= off;
		off = 0;
	}
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	if (off == 0)
		snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	else
		snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
		    (off < 0 ? -off : off) / 3600,
		    (off < 0 ? -off : off) % 3600 / 60);
}

/*
 * An entry's tags: <category term="dai-hoi" label="Đại hội"
 * scheme="gemini://host/tags/"/>, the scheme and the term making the
 * tag's page.
 */
static int
atom_tags(struct buf *b, const struct render_ctx *ctx,
    const struct article *a)
{
	const struct site_tag	*t[SITE_TAGS_MAX];
	size_t			 i, n;

	n = site_article_tags(ctx->site, a, t, SITE_TAGS_MAX);
	for (i = 0; i < n; i++)
		if (buf_puts(b, "<category term=\"") == -1 ||
		    xml_str(b, t[i]->slug, 1) == -1 ||
		    buf_puts(b, "\" label=\"") == -1 ||
		    xml_str(b, t[i]->name, 1) == -1 ||
		    buf_puts(b, "\" scheme=\"") == -1 ||
		    xml_url(b, ctx, "/tags/", "") == -1 ||
		    buf_puts(b, "\"/>\n") == -1)
			return -1;
	return 0;
}

/* One entry: a source that cannot be read now still gets its entry
 * and link, without author, summary, language or content. */
static int
atom_entry(struct buf *b, const struct render_ctx *ctx,
    const struct article *a)
{
	struct article_page	 pg;
	const char		*path = site_article_path(ctx->site, a);
	char			 t[64], err[256];
	int			 rc = -1, got;

	got = site_article_page(ctx->site, ctx->bodies, a, &pg, err,
	    sizeof(err)) == 0;
	rfc3339(a, t, sizeof(t));
	if (buf_puts(b, "<entry") == -1)
		goto done;
	/* an article in another language than the feed's says so */
	if (pg.lang != NULL && (ctx->lang == NULL ||
	    strcmp(pg.lang, ctx->lang) != 0) &&
	    (buf_puts(b, " xml:lang=\"") == -1 ||
	    xml_str(b, pg.lang, 1) == -1 || buf_putc(b, '"') == -1))
		goto done;
	if (buf_puts(b, ">\n<id>") == -1 ||
	    xml_url(b, ctx, path, "") == -1 ||
	    buf_puts(b, "</id>\n<title type=\"text\">") == -1 ||
	    xml_str(b, site_article_title(ctx->site, a), 1) == -1 ||
	    buf_printf(b, "</title>\n<updated>%s</updated>\n"
	    "<published>%s</published>\n", t, t) == -1)
		goto done;
	if (pg.author != NULL && *pg.author != '\0' &&
	    (buf_puts(b, "<author><name>") == -1 ||
	    xml_str(b, pg.author, 1) == -1 ||
	    buf_puts(b, "</name></author>\n") == -1))
		goto done;
	if (buf_puts(b, "<link rel=\"alternate\" type=\"text/gemini\" "
	    "href=\"") == -1 || xml_url(b, ctx, path, "") == -1 ||
	    buf_puts(b, "\"/>\n") == -1 || atom_tags(b, ctx, a) == -1)
		goto done;
	if (pg.summary != NULL && *pg.summary != '\0' &&
	    (buf_puts(b, "<summary type=\"text\">") == -1 ||
	    xml_str(b, pg.summary, 0) == -1 ||
	    buf_puts(b, "</summary>\n") == -1))
		goto done;
	if (got && (buf_puts(b, "<content type=\"text\">") == -1 ||
	    xml_text(b, pg.body.data != NULL ? pg.body.data : "",
	    pg.body.len, 0) == -1 || buf_puts(b, "</content>\n") == -1))
		goto done;
	rc = buf_puts(b, "</entry>\n");
done:
	site_article_page_free(&pg);
	return rc;
}

static int
in_category(const struct site *s, const struct article *a,
    const struct category *c)
{
	const struct category	*p;

	for (p = site_article_cat(s, a); p != NULL; p = p->parent)
		if (p == c)
			return 1;
	return 0;
}

int
render_atom(struct buf *b, const struct render_ctx *ctx,
    const struct category *c)
{
	const struct site	*s = ctx->site;
	const struct article	*sel[RENDER_FEED_ENTRIES];
	const char		*path = c != NULL ? c->path : "/";
	size_t			 i, n = 0;
	char			 t[64];
	int			 rc = -1;

	/* newest first over the whole site: a category's feed includes
	   its subcategories, as its article count does */
	for (i = 0; i < s->narticles && n < RENDER_FEED_ENTRIES; i++)
		if (c == NULL || in_category(s, &s->articles[i], c))
			sel[n++] = &s->articles[i];
	if (n > 0)
		rfc3339(sel[0], t, sizeof(t));
	else
		snprintf(t, sizeof(t), "1970-01-01T00:00:00Z");
	if (buf_printf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"") == -1 ||
	    xml_str(b, ctx->lang != NULL ? ctx->lang : "en", 1) == -1 ||
	    buf_puts(b, "\">\n<id>") == -1 || xml_url(b, ctx, path, "") == -1 ||
	    buf_puts(b, "</id>\n<title type=\"text\">") == -1 ||
	    xml_str(b, site_title(ctx), 1) == -1)
		goto done;
	if (c != NULL && (buf_puts(b, ": ") == -1 ||
	    xml_str(b, c->title, 1) == -1))
		goto done;
	if (buf_puts(b, "</title>\n") == -1)
		goto done;
	if (c != NULL && c->description != NULL && *c->description != '\0' &&
	    (buf_puts(b, "<subtitle type=\"text\">") == -1 ||
	    xml_str(b, c->description, 1) == -1 ||
	    buf_puts(b, "</subtitle>\n") == -1))
		goto done;
	if (buf_printf(b, "<updated>%s</updated>\n", t) == -1 ||
	    buf_puts(b, "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"") == -1 || xml_url(b, ctx, path, "atom.xml") == -1 ||
	    buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/gemini\" "
	    "href=\"") == -1 || xml_url(b, ctx, path, "") == -1 ||
	    buf_puts(b, "\"/>\n<author><name>") == -1 ||
	    xml_str(b, site_title(ctx), 1) == -1 ||
	    buf_puts(b, "</name></author>\n<generator>bantin</generator>\n") ==
	    -1)
		goto done;
	for (i = 0; i < n; i++)
		if (atom_entry(b, ctx, sel[i]) == -1)
			goto done;
	rc = buf_puts(b, "</feed>\n");
done:
	return rc;
}
