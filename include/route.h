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

/*
 * Resolve req->path (already normalised) to a page, article, feed,
 * search or file, and fill the reply. Counts the visit (and the
 * article view) for successful pages unless req->probe.
 */
void	route(const struct render_ctx *, const struct request *,
	    struct reply *);

enum route_kind {		/* what a link target is, for Gopher types */
	ROUTE_MENU,		/* listing page */
	ROUTE_DOCUMENT,		/* article or static gemtext page */
	ROUTE_SEARCH,		/* /search */
	ROUTE_FILE,		/* attachment: mime says which */
	ROUTE_EXTERNAL,		/* another host or scheme */
	ROUTE_UNKNOWN
};

/* Classify a link target as written in a rendered page ("/x/", "/x/y",
 * "gemini://other/", "https://..."); *mime is set for ROUTE_FILE. */
enum route_kind route_kind(const struct site *, const char *url,
	    const char **mime);

#endif
