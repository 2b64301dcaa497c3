/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * serve.c: a parsed, protocol-neutral request in, the bytes of its
 * reply out. A page kept in the worker's page cache for this snapshot
 * is copied out, its visit counted and its counter's number of this
 * moment filled in; any other request is routed, written by the front
 * end's write function and, when it may be, kept. Nothing here knows
 * Gemini or Gopher: the front end passes how its replies are written.
 *
 *   conn.c -> gemini.c / gopher.c -> serve.c -> route.c -> render.c
 */

#include <sys/random.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "counter.h"
#include "log.h"
#include "memo.h"
#include "pagecache.h"
#include "proto.h"
#include "render.h"
#include "route.h"
#include "search.h"
#include "serve.h"
#include "site.h"
#include "utf8.h"

#define SERVE_PAGE_BUDGET	(2 * 1024 * 1024)	/* page cache, bytes */
#define SERVE_PAGE_SLOTS	1024
#define SERVE_BODY_SLOTS	64	/* converted bodies kept */
#define SERVE_BODY_MAX		(64 * 1024)	/* longer: not kept */
#define SERVE_FEED_SLOTS	8	/* Atom feeds kept */
#define SERVE_FEED_MAX		(4 * 1024 * 1024)
/* a counter label longer than this could wrap differently around the
 * marker than around the number: such pages are not kept */
#define SERVE_MARK_LABEL_MAX	40

void
serve_setup(struct serve *sv, const struct config *conf, struct site *site,
    struct counter *counter)
{
	struct render_ctx	*r = &sv->rctx;
	int			 i;

	r->site = site;
	r->title = conf->title;
	r->lang = conf->lang;
	r->hostname = conf->hostname;
	r->per_page = conf->per_page;
	for (i = 0; i < L_COUNT; i++)
		r->labels[i] = conf->labels[i];
	r->counter = counter;
}

/*
 * The worker's own state, made after the fork: the search handle
 * (opened lazily, at the first query), the caches of bodies and feeds,
 * the page cache and its marker: letters and digits that pass every
 * renderer unchanged, random per worker, so that no article can hold
 * it.
 */
void
serve_open(struct serve *sv, const char *catalog)
{
	unsigned char	 r[8];
	const char	*l;
	size_t		 i;
	int		 ok = 1;

	if ((sv->rctx.search = search_lazy(catalog)) == NULL)
		log_warnx("search unavailable: out of memory");
	if ((sv->rctx.bodies = memo_new(SERVE_BODY_SLOTS, SERVE_BODY_MAX))
	    == NULL || (sv->rctx.feeds = memo_new(SERVE_FEED_SLOTS,
	    SERVE_FEED_MAX)) == NULL)
		log_warnx("body and feed caches: out of memory");
	sv->marks.site = sv->marks.views = NULL;
	if ((sv->pages = pagecache_new(SERVE_PAGE_BUDGET,
	    SERVE_PAGE_SLOTS)) == NULL) {
		log_warnx("page cache: out of memory");
		return;
	}
	for (i = 0; i < 2; i++) {
		l = render_label(&sv->rctx, i == 0 ? L_VISITS : L_VIEWS);
		if (utf8_width(l, strlen(l)) > SERVE_MARK_LABEL_MAX)
			ok = 0;
	}
	if (ok && getrandom(r, sizeof(r), 0) == (ssize_t)sizeof(r)) {
		for (i = 0; i < 2; i++)
			snprintf(sv->markbuf[i], sizeof(sv->markbuf[i]),
			    "BANTIN%c%02x%02x%02x%02x%02x%02x%02x%02x",
			    i == 0 ? 'S' : 'V', r[0], r[1], r[2], r[3], r[4],
			    r[5], r[6], r[7]);
		sv->marks.site = sv->markbuf[0];
		sv->marks.views = sv->markbuf[1];
	}
}

void
serve_close(struct serve *sv)
{
	search_close(sv->rctx.search);
	sv->rctx.search = NULL;
	memo_free(sv->rctx.bodies);
	sv->rctx.bodies = NULL;
	memo_free(sv->rctx.feeds);
	sv->rctx.feeds = NULL;
	pagecache_free(sv->pages);
	sv->pages = NULL;
}

/* "<path length>:<path>[?<query>]": no two requests share a key */
static const char *
page_key(const struct request *req, char *key, size_t len)
{
	int	 n;

	n = snprintf(key, len, "%zu:%s%s%s", strlen(req->path), req->path,
	    req->has_query ? "?" : "", req->has_query ? req->query : "");
	return n < 0 || (size_t)n >= len ? NULL : key;
}

static void
out_of_memory(struct buf *out, size_t from, const struct request *req,
    struct reply *rep, serve_write_fn *write, void *arg)
{
	out->len = from;
	reply_status(rep, ST_TEMP_FAIL, "Out of memory");
	write(arg, req, rep, out);
}

/*
 * Route a parsed request and write the reply, through the page cache:
 * a page kept for this snapshot is copied out (its visit counted, its
 * counters' numbers filled in); another is rendered with the markers
 * for its counters, kept, and the markers replaced by the numbers.
 * Gopher+ probes bypass the cache: they are answered differently and
 * never counted.
 */
void
serve(struct serve *sv, const struct request *req, struct reply *rep,
    struct buf *out, serve_write_fn *write, void *arg)
{
	const struct render_ctx	*ctx = &sv->rctx;
	const struct page_entry	*e;
	const struct page_marks	*marks;
	const char		*lang;
	struct page_info	 info;
	unsigned long long	 n;
	const char		*key = NULL;
	char			 keybuf[2 * REQ_PATH_MAX + 32], num[32];
	size_t			 from = out->len;

	if (sv->pages != NULL && !req->probe)
		key = page_key(req, keybuf, sizeof(keybuf));
	if (key == NULL) {
		route(ctx, req, NULL, rep);
		write(arg, req, rep, out);
		return;
	}
	e = pagecache_get(sv->pages, ctx->site->serial, req->proto, key);
	if (e != NULL) {
		if (pagecache_emit(e, ctx->counter, 1, ctx->lang, out) == -1) {
			out_of_memory(out, from, req, rep, write, arg);
			return;
		}
		rep->status = ST_OK;
		rep->kind = REPLY_DATA;
		return;
	}
	marks = sv->marks.site != NULL ? &sv->marks : NULL;
	route(ctx, req, marks, rep);
	write(arg, req, rep, out);
	if (rep->cache && rep->status == ST_OK && rep->kind != REPLY_FILE &&
	    out->len > from && (marks != NULL || rep->hole == PAGE_HOLE_NONE)) {
		info.count = rep->count;
		info.slot = rep->slot;
		info.holes = rep->hole;
		info.lang = rep->lang;
		(void)pagecache_put(sv->pages, ctx->site->serial, req->proto,
		    key, out->data + from, out->len - from, marks, &info);
	}
	/* only a page that shows a counter was rendered with markers */
	if (marks == NULL || rep->hole == PAGE_HOLE_NONE)
		return;
	lang = rep->lang != NULL ? rep->lang : ctx->lang;
	if (rep->hole & PAGE_HOLE_SITE) {
		n = ctx->counter != NULL ? counter_site(ctx->counter) : 0;
		counter_format(n, lang, num, sizeof(num));
		if (pagecache_fill(out, from, marks->site, num) == -1)
			goto nomem;
	}
	if (rep->hole & PAGE_HOLE_VIEWS) {
		n = ctx->counter != NULL ?
		    counter_views(ctx->counter, rep->slot) : 0;
		counter_format(n, lang, num, sizeof(num));
		if (pagecache_fill(out, from, marks->views, num) == -1)
			goto nomem;
	}
	return;
nomem:
	out_of_memory(out, from, req, rep, write, arg);
}
