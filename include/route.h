/*
 * route.h: request -> reply over the site snapshot: the one entry
 * point both front ends call.
 */
#ifndef ROUTE_H
#define ROUTE_H

struct render_ctx;
struct request;
struct reply;
struct site;
struct page_marks;

/*
 * Resolve req->path (already normalised) to a page, article, feed,
 * search or file, and fill the reply. Counts the visit (and the
 * article view) for successful pages unless req->probe. A page that
 * shows counters writes the markers of marks for their numbers when
 * marks is not NULL (render.h, pagecache.h).
 */
void	route(const struct render_ctx *, const struct request *,
	    const struct page_marks *marks, struct reply *);

/*
 * What a link target as written in a rendered page is ("/x/", "/x/y",
 * "gemini://other/", "https://..."): an enum scheme_kind (scheme.h);
 * *mime is set for SCHEME_FILE. The Gopher renderer types links by it
 * (struct gopher_ctx's kind).
 */
int	route_kind(const struct site *, const char *url, const char **mime);

#endif
