/*
 * gopher_int.h: what gopher.c (requests, replies) and gopher_render.c
 * (menus and text from gemtext) share, private to them.
 */
#ifndef GOPHER_INT_H
#define GOPHER_INT_H

#include <stddef.h>

#include "buf.h"

struct gopher_ctx;

/*
 * Info and error lines carry no real link. Bucktooth and Floodgap
 * write an empty selector, host "error.host" and port 1; most clients
 * and proxies recognise that, so bantin does the same.
 */
#define GOPHER_INFO_TAIL	"\t\terror.host\t1\r\n"
#define GOPHER_PORT		70	/* left out of URLs (RFC 4266) */

/* gopher.c: C0 (TAB allowed when asked), DEL and C1 controls in s,
 * which is valid UTF-8. */
int	gopher_has_control(const char *s, size_t len, int tab_ok);

/* gopher_render.c: s as one safe display line in b (reset first):
 * controls gone, ASCII in ascii mode. */
int	gopher_clean(const struct gopher_ctx *, struct buf *b,
	    const char *s, size_t len);
/* gopher_render.c: s as a selector: bytes that could end a field or a
 * line (8-bit ones too if ascii) percent-encoded. */
int	gopher_sel_encode(struct buf *, const char *s, size_t len,
	    int ascii);
/* gopher_render.c: host for a URL, an IPv6 literal in brackets */
int	gopher_host_put(struct buf *, const char *host);
/* gopher_render.c: the item type of a file of this MIME type */
char	gopher_mime_type(const char *mime);
/* gopher_render.c: a whole menu of one item, label, linking to url;
 * type 0 is the item type of what url names. */
int	gopher_menu_item(struct buf *out, const struct gopher_ctx *,
	    const char *url, char type, const char *label);

#endif
