/*
 * gopher_render.h: the core's gemtext drawn for Gopher (menus and
 * text), and the line-level pieces gopher.c writes its own replies
 * with. The lower half of the Gopher front end: it knows nothing of
 * requests, replies or Gopher+, and nothing in it calls gopher.c.
 */
#ifndef GOPHER_RENDER_H
#define GOPHER_RENDER_H

#include <stddef.h>

#include "buf.h"

struct site;

#define GOPHER_COLS		70	/* text wrap and label width */

/*
 * Info and error lines carry no real link. Bucktooth and Floodgap
 * write an empty selector, host "error.host" and port 1; most clients
 * and proxies recognise that, so bantin does the same.
 */
#define GOPHER_INFO_TAIL	"\t\terror.host\t1\r\n"
#define GOPHER_PORT		70	/* left out of URLs (RFC 4266) */

/*
 * What a link target on this site is, as the path scheme says
 * (scheme.h): the worker passes route_kind. NULL, or SCHEME_UNKNOWN
 * from it, and the path's shape decides.
 */
typedef int	gopher_kind_fn(const struct site *, const char *url,
		    const char **mime);

struct gopher_ctx {
	const struct site	*site;		/* for item types of links */
	gopher_kind_fn		*kind;		/* route_kind, or NULL */
	const char		*host;		/* advertised host */
	int			 port;		/* advertised port */
	int			 ascii;		/* charset = ascii */
	const char		*lang;
	const char		*title;		/* site title, for caps.txt */
};

/* A listing page as a menu, an article as wrapped text ending ".". */
int	gopher_menu(struct buf *out, const struct gopher_ctx *,
	    const char *gemtext, size_t len);
int	gopher_text(struct buf *out, const struct gopher_ctx *,
	    const char *gemtext, size_t len);
/* A whole menu of one item, label, linking to url; type 0 is the item
 * type of what url names. */
int	gopher_menu_item(struct buf *out, const struct gopher_ctx *,
	    const char *url, char type, const char *label);

/* C0 (TAB allowed when asked), DEL and C1 controls in s, which is
 * valid UTF-8. */
int	gopher_has_control(const char *s, size_t len, int tab_ok);
/* s as one safe display line in b (reset first): controls gone, ASCII
 * in ascii mode. */
int	gopher_clean(const struct gopher_ctx *, struct buf *b,
	    const char *s, size_t len);
/* s as a selector: bytes that could end a field or a line (8-bit ones
 * too if ascii) percent-encoded. */
int	gopher_sel_encode(struct buf *, const char *s, size_t len,
	    int ascii);
/* host for a URL, an IPv6 literal in brackets */
int	gopher_host_put(struct buf *, const char *host);
/* the item type of a file of this MIME type */
char	gopher_mime_type(const char *mime);

#endif
