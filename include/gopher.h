/*
 * gopher.h: the Gopher front end (RFC 1436): selector -> request, and
 * reply -> menu, text or error, all from the core's gemtext (drawn by
 * gopher_render.c), and the glue conn.c drives: gopher_conn_front,
 * whose context is a struct gopher_front.
 */
#ifndef GOPHER_H
#define GOPHER_H

#include <stddef.h>

#include "buf.h"
#include "gopher_render.h"

struct conn_front;
struct request;
struct reply;
struct serve;

#define GOPHER_SELECTOR_MAX	1024	/* bytes before CRLF */

#define GOPHER_PROBE_DATA	1	/* req->probe: "\t+..." (item data) */
#define GOPHER_PROBE_ATTR	2	/* req->probe: "\t!" or "\t$" */

struct gopher_front {			/* a Gopher listener's context */
	struct gopher_ctx	 ctx;
	struct serve		*sv;
};

extern const struct conn_front	gopher_conn_front;

/*
 * Parse one request line (without its CRLF or LF). Returns 0 and fills
 * req, or -1 with errstr set (too long, NUL, invalid UTF-8, traversal).
 * Sets req->probe for Gopher+ ("\t$", "\t+", "\t!"). Returns 1 when the
 * line is an HTTP request ("GET / HTTP/1.x"): answer with gopher_http.
 * Returns 2 for a "URL:<url>" selector (type h links followed by a
 * client without h support): answer with gopher_urlpage; req is then
 * filled as a request for "/" and errstr is set, so a caller that
 * does not know 2 degrades to the home menu.
 */
int	gopher_parse(const char *line, size_t len, struct request *req,
	    const char **errstr);

/* The whole response for a reply, appended to out (menu, text, error
 * line, or for REPLY_FILE nothing: the caller sends the file). A
 * "/caps.txt" that the site does not have is answered by gopher_caps. */
int	gopher_reply(struct buf *out, const struct gopher_ctx *,
	    const struct request *, const struct reply *);

/* Pieces, for tests. */
int	gopher_error(struct buf *out, const struct gopher_ctx *,
	    const char *msg);
int	gopher_caps(struct buf *out, const struct gopher_ctx *);
int	gopher_http(struct buf *out, const struct gopher_ctx *);
/* An HTML page sending a web browser on to the URL of a "URL:" line. */
int	gopher_urlpage(struct buf *out, const struct gopher_ctx *,
	    const char *line, size_t len);

#endif
