/*
 * render.h: every page as gemtext, from the site snapshot. No sockets,
 * no protocol: gemini.c sends these as text/gemini, gopher.c turns them
 * into menus and text.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

#include "buf.h"
#include "label.h"

struct site;
struct site_tag;
struct category;
struct article;
struct article_page;
struct counter;
struct search;
struct search_hit;
struct memo;
struct page_marks;


struct render_ctx {
	const struct site	*site;
	const char		*title;		/* [site] title */
	const char		*lang;		/* "vi" or "en" */
	const char		*lang_tag;	/* the page's own (lang=,
						   xml:lang), NULL: lang */
	const char		*hostname;
	int			 per_page;	/* [site] per_page */
	const char		*labels[L_COUNT]; /* NULL = built in */
	struct counter		*counter;	/* may be NULL */
	struct search		*search;	/* may be NULL */
	struct memo		*bodies;	/* the worker's caches of */
	struct memo		*feeds;		/* bodies and feeds, or NULL */
};

const char	*render_label(const struct render_ctx *, enum label);
/*
 * The context an article is rendered in: ctx, or tmp filled from it.
 * An article's lang (a valid tag, site_entry.c) is its page's lang=;
 * when it is a language bantin has labels for (label_lang) other than
 * the site's, the labels and dates are the built-in ones of that
 * language: [labels] overrides are written in the site's.
 */
const struct render_ctx *render_article_ctx(const struct render_ctx *ctx,
	    const char *lang, struct render_ctx *tmp);

/*
 * Every render_* appends one page to the buffer and returns 0, -1 when
 * out of memory, or RENDER_NOT_FOUND when the arguments name no page
 * (a category page past the last, a date with no articles): route.c
 * answers 51. They read only their arguments (and, for the feed, the
 * article sources), so a page can be cached per snapshot.
 */
#define RENDER_NOT_FOUND	1
#define RENDER_HOME_LATEST	10	/* articles on the home page */
#define RENDER_FEED_ENTRIES	20	/* entries in an Atom feed */
#define RENDER_MOST_READ	20	/* articles on /stats */

/* Pages of a category menu at ctx->per_page (at least 1). */
int	render_category_pages(const struct render_ctx *,
	    const struct category *);
/* Pages of a tag's listing, at least 1. */
int	render_tag_pages(const struct render_ctx *, const struct site_tag *);
/* "text/gemini; charset=utf-8; lang=<lang>" into out. */
void	render_meta(const struct render_ctx *, char *out, size_t len);
/* A short page: heading label, one message label, links back. */
int	render_message(struct buf *, const struct render_ctx *,
	    enum label heading, enum label message);

/*
 * marks, where not NULL, are written for the counters' numbers that the
 * page shows, for the page cache to cut out and fill in (pagecache.h).
 */
int	render_home(struct buf *, const struct render_ctx *,
	    const struct page_marks *marks);
int	render_category(struct buf *, const struct render_ctx *,
	    const struct category *, int page);
/* an article's page: its own body and author in page (site.h) */
int	render_article(struct buf *, const struct render_ctx *,
	    const struct article *, const struct article_page *page,
	    const struct page_marks *marks);
/* /tags/: every tag with its number of articles */
int	render_tags(struct buf *, const struct render_ctx *);
/* /tags/<slug>/: the tag's articles, newest first, per_page a page */
int	render_tag(struct buf *, const struct render_ctx *,
	    const struct site_tag *, int page);
/* y, m, d: 0 for the levels above: /date/, /date/Y/, /date/Y/M/ */
int	render_date(struct buf *, const struct render_ctx *, int y, int m,
	    int d);
/*
 * Search results, SEARCH_PER_PAGE a page. Paging links are
 * "/search?<query percent-encoded>&page=N" (page 1 without the suffix);
 * route.c strips a trailing "&page=N" (N = 1..9999) from the decoded
 * query, so a query typed with such an ending is read as a page number.
 */
int	render_search(struct buf *, const struct render_ctx *,
	    const char *query, int page, const struct search_hit *,
	    size_t nhits, size_t total);
int	render_stats(struct buf *, const struct render_ctx *);
/* Atom 1.0; cat NULL for the whole site. */
int	render_atom(struct buf *, const struct render_ctx *,
	    const struct category *);

#endif
