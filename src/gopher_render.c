/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * gopher_render.c: the core's gemtext drawn for Gopher. A listing page
 * becomes a menu: its link lines turn into items, every other line into
 * an "i" line. An article becomes plain text wrapped to GOPHER_COLS
 * display columns, its links numbered in the flow and listed at the
 * end. Headings are underlined, preformatted lines kept verbatim, and a
 * link's target gets its item type from the site (route_kind) or its
 * path. Every line written goes through utf8_sanitize_line, so no text
 * can add a field or a line to a menu. It knows nothing of requests,
 * replies or Gopher+, and calls nothing in gopher.c.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "gemtext.h"
#include "gopher_render.h"
#include "mime.h"
#include "path.h"
#include "proto.h"
#include "scheme.h"
#include "utf8.h"

#define TABSTOP		8

struct writer {
	struct buf		*out;
	const struct gopher_ctx	*ctx;
	int			 menu;		/* i lines, else plain text */
	int			 blank;		/* last line blank, or none */
};

struct target {				/* where a link goes, for Gopher */
	char		 type;		/* item type */
	struct buf	 sel;		/* selector, safe for a menu field */
	struct buf	 host;
	int		 port;
	struct buf	 url;		/* for references in plain text */
};

static int	emit(struct writer *, const char *, size_t);
static int	wrap(struct writer *, const char *, size_t, const char *,
		    const char *, size_t *);
static int	heading(struct writer *, int, const char *, size_t);
static int	pre_line(struct writer *, const char *, size_t);
static int	prose(struct writer *, const struct gemtext_line *);
static char	kind_type(const struct gopher_ctx *, const char *);
static int	target_of(const struct gopher_ctx *, const char *, size_t,
		    struct target *);
static void	target_free(struct target *);
static int	item(struct writer *, char, const char *, size_t,
		    const struct target *);
static int	flush(struct writer *, struct buf *, size_t, size_t,
		    size_t *, const char *);
static int	gopher_url(const char *, struct target *);

/* --- writing lines --- */

int
gopher_has_control(const char *s, size_t len, int tab_ok)
{
	size_t	 i, n;
	int	 cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\t' && tab_ok)
			continue;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return 1;
	}
	return 0;
}

/* s as one safe display line: controls gone, ASCII in ascii mode */
int
gopher_clean(const struct gopher_ctx *ctx, struct buf *b, const char *s,
    size_t len)
{
	struct buf	 t = BUF_INIT;
	int		 r;

	buf_reset(b);
	if (buf_reserve(b, len) == -1)
		return -1;
	if (!ctx->ascii)
		return utf8_sanitize_line(b, s, len);
	if (utf8_ascii(&t, s, len) == -1) {
		buf_free(&t);
		return -1;
	}
	r = utf8_sanitize_line(b, t.data != NULL ? t.data : "", t.len);
	buf_free(&t);
	return r;
}

/* One display line: an i line in a menu; in text, dot-doubled (RFC
 * 1436, 3.9: a lone "." ends the text, so a leading "." is doubled). */
static int
emit(struct writer *w, const char *s, size_t len)
{
	struct buf	*o = w->out;

	if (w->menu) {
		if (buf_putc(o, 'i') == -1 || buf_append(o, s, len) == -1 ||
		    buf_puts(o, GOPHER_INFO_TAIL) == -1)
			return -1;
	} else {
		if (len > 0 && s[0] == '.' && buf_putc(o, '.') == -1)
			return -1;
		if (buf_append(o, s, len) == -1 ||
		    buf_puts(o, "\r\n") == -1)
			return -1;
	}
	w->blank = len == 0;
	return 0;
}

static int
flush(struct writer *w, struct buf *line, size_t pw, size_t col,
    size_t *maxw, const char *next)
{
	size_t	 n = line->len;

	while (n > 0 && line->data[n - 1] == ' ')
		n--;
	if (maxw != NULL && pw + col > *maxw)
		*maxw = pw + col;
	if (emit(w, line->data, n) == -1)
		return -1;
	buf_reset(line);
	return buf_puts(line, next);
}

/*
 * Greedy wrap of a clean line at spaces to GOPHER_COLS display columns
 * (utf8proc widths, so Vietnamese and CJK are measured as shown). The
 * first line starts with first, the others with rest (hanging indent).
 * A word wider than a line is cut between characters. maxw, if not
 * NULL, gets the widest line written.
 */
static int
wrap(struct writer *w, const char *s, size_t len, const char *first,
    const char *rest, size_t *maxw)
{
	struct buf	 line = BUF_INIT;
	size_t		 i = 0, j, n, ww, col = 0, pw, avail;
	int		 cp, r = -1;

	if (maxw != NULL)
		*maxw = 0;
	pw = strlen(first);
	avail = GOPHER_COLS - pw;
	if (buf_puts(&line, first) == -1)
		goto done;
	for (;;) {
		while (i < len && s[i] == ' ')
			i++;
		if (i >= len)
			break;
		for (j = i; j < len && s[j] != ' '; j++)
			;
		ww = utf8_width(s + i, j - i);
		if (col > 0 && col + 1 + ww > avail) {
			if (flush(w, &line, pw, col, maxw, rest) == -1)
				goto done;
			pw = strlen(rest);
			avail = GOPHER_COLS - pw;
			col = 0;
		} else if (col > 0) {
			if (buf_putc(&line, ' ') == -1)
				goto done;
			col++;
		}
		while (ww > avail - col) {
			n = utf8_prefix_cols(s + i, j - i, avail - col);
			if (n == 0)	/* never stall on a wide character */
				n = utf8_decode(s + i, j - i, &cp);
			if (buf_append(&line, s + i, n) == -1)
				goto done;
			col += utf8_width(s + i, n);
			i += n;
			if (flush(w, &line, pw, col, maxw, rest) == -1)
				goto done;
			pw = strlen(rest);
			avail = GOPHER_COLS - pw;
			col = 0;
			ww = utf8_width(s + i, j - i);
		}
		if (buf_append(&line, s + i, j - i) == -1)
			goto done;
		col += ww;
		i = j;
	}
	if (flush(w, &line, pw, col, maxw, "") == -1)
		goto done;
	r = 0;
done:
	buf_free(&line);
	return r;
}

/* A heading set off by a blank line and underlined to its width. */
static int
heading(struct writer *w, int level, const char *s, size_t len)
{
	struct buf	 t = BUF_INIT, u = BUF_INIT;
	size_t		 mw, i;
	int		 r = -1;

	if (!w->blank && emit(w, "", 0) == -1)
		goto done;
	if (gopher_clean(w->ctx, &t, s, len) == -1 ||
	    wrap(w, t.data, t.len, "", "", &mw) == -1)
		goto done;
	for (i = 0; i < mw; i++)
		if (buf_putc(&u, level == 1 ? '=' : '-') == -1)
			goto done;
	if (mw > 0 && emit(w, u.data, u.len) == -1)
		goto done;
	r = 0;
done:
	buf_free(&t);
	buf_free(&u);
	return r;
}

/* Preformatted: verbatim, never wrapped; TABs expanded to keep the
 * columns the author lined up. */
static int
pre_line(struct writer *w, const char *s, size_t len)
{
	struct buf	 x = BUF_INIT, t = BUF_INIT;
	size_t		 i, n, col = 0;
	int		 cp, r = -1;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\t') {
			do {
				if (buf_putc(&x, ' ') == -1)
					goto done;
			} while (++col % TABSTOP != 0);
			continue;
		}
		if (buf_append(&x, s + i, n) == -1)
			goto done;
		col += utf8_width(s + i, n);
	}
	if (gopher_clean(w->ctx, &t, x.data != NULL ? x.data : "",
	    x.len) == -1 || emit(w, t.data, t.len) == -1)
		goto done;
	r = 0;
done:
	buf_free(&x);
	buf_free(&t);
	return r;
}

/* The line types menus and text share: everything but links. */
static int
prose(struct writer *w, const struct gemtext_line *l)
{
	struct buf	 t = BUF_INIT;
	int		 r = -1;

	switch (l->type) {
	case GEMTEXT_HEADING:
		r = heading(w, l->level, l->text, l->textlen);
		break;
	case GEMTEXT_PRE:
		r = pre_line(w, l->text, l->textlen);
		break;
	case GEMTEXT_PRE_START:
	case GEMTEXT_PRE_END:
		r = 0;			/* the fences are markup only */
		break;
	case GEMTEXT_LIST:
	case GEMTEXT_QUOTE:
	case GEMTEXT_TEXT:
	case GEMTEXT_LINK:
		if (gopher_clean(w->ctx, &t, l->text, l->textlen) == -1)
			break;
		if (l->type == GEMTEXT_LIST)
			r = wrap(w, t.data, t.len, "  * ", "    ", NULL);
		else if (l->type == GEMTEXT_QUOTE)
			r = wrap(w, t.data, t.len, "  > ", "  > ", NULL);
		else if (t.len == 0)
			r = emit(w, "", 0);
		else
			r = wrap(w, t.data, t.len, "", "", NULL);
		break;
	}
	buf_free(&t);
	return r;
}

/* --- link targets --- */

/*
 * A selector from a URL as written in gemtext: bytes that could end a
 * field or a line (and, for ASCII-only clients, 8-bit bytes) are
 * percent-encoded; gopher_parse decodes them again.
 */
int
gopher_sel_encode(struct buf *b, const char *s, size_t len, int ascii)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || (ascii && c >= 0x80)) {
			if (buf_printf(b, "%%%02X", c) == -1)
				return -1;
		} else if (buf_putc(b, c) == -1)
			return -1;
	}
	return 0;
}

/* host for a URL: an IPv6 literal goes in brackets (RFC 4266) */
int
gopher_host_put(struct buf *b, const char *host)
{
	if (strchr(host, ':') != NULL && host[0] != '[')
		return buf_printf(b, "[%s]", host);
	return buf_puts(b, host);
}

/*
 * Item type of a served file: g and I for images, s for sound, 0 for
 * plain text. Everything else is 9, a download sent as it is: type 0
 * is dot-stuffed and ends with a "." line (RFC 1436), which would
 * break an Atom feed or any XML or JSON file for the program that
 * reads it. application/pdf gets 9 too, not the later "d" that old
 * clients do not know.
 */
char
gopher_mime_type(const char *m)
{
	size_t	 n;

	if (m == NULL)
		return '9';
	n = strcspn(m, ";");
	if ((n >= 4 && strncasecmp(m + n - 4, "+xml", 4) == 0) ||
	    (n >= 4 && strncasecmp(m + n - 4, "/xml", 4) == 0) ||
	    (n >= 5 && strncasecmp(m + n - 5, "/json", 5) == 0))
		return '9';
	if (strncasecmp(m, "image/gif", 9) == 0)
		return 'g';
	if (strncasecmp(m, "image/", 6) == 0)
		return 'I';
	if (strncasecmp(m, "audio/", 6) == 0)
		return 's';
	if (strncasecmp(m, "text/", 5) == 0)
		return '0';
	return '9';
}

/*
 * The item type of a path on this site: what the site says it is
 * (ctx->kind), else what its shape says: a name of the path scheme, a
 * trailing slash (a menu), a known file extension (a file), or else a
 * document.
 */
static char
kind_type(const struct gopher_ctx *ctx, const char *path)
{
	struct scheme_match	 m;
	int			 k = SCHEME_UNKNOWN;
	const char		*mime = NULL;
	char			 p[REQ_PATH_MAX + 1];
	size_t			 n;

	n = strcspn(path, "?");
	if (n >= sizeof(p))
		n = sizeof(p) - 1;
	memcpy(p, path, n);
	p[n] = '\0';
	if (ctx->kind != NULL)
		k = ctx->kind(ctx->site, path, &mime);
	if (k == SCHEME_UNKNOWN) {
		if (scheme_match(p, &m) != SCHEME_TREE &&
		    m.page != SCHEME_CAT_PAGE)
			k = m.kind, mime = m.mime;
		else if (n == 0 || p[n - 1] == '/')
			k = SCHEME_MENU;
		else if ((mime = mime_by_ext(p)) != NULL &&
		    strncmp(mime, "text/gemini", 11) != 0 &&
		    strncmp(mime, "text/markdown", 13) != 0)
			k = SCHEME_FILE;
		else
			k = SCHEME_DOCUMENT;
	}
	/* "/search?x" is a page of results, not a new prompt */
	if (k == SCHEME_SEARCH && path[n] == '?')
		k = SCHEME_MENU;
	if (k == SCHEME_FILE)
		return gopher_mime_type(mime);
	return scheme_gopher_type(k);
}

/* "gopher://host[:port]/Tselector" (RFC 4266) as a native item. */
static int
gopher_url(const char *u, struct target *t)
{
	const char	*h, *he, *p;
	char		 dec[REQ_PATH_MAX + 1];
	const char	*errstr;
	long		 port = GOPHER_PORT;

	h = u + 9;
	if (*h == '[')
		he = strchr(h, ']') != NULL ? strchr(h, ']') + 1 : h;
	else
		he = h + strcspn(h, ":/?#");
	if (he == h || he - h > 255)
		return -1;
	for (p = h; p < he; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
		    "XYZ0123456789.-_[]:", *p) == NULL)
			return -1;
	p = he;
	if (*p == ':') {
		for (port = 0, p++; *p >= '0' && *p <= '9'; p++)
			if ((port = port * 10 + (*p - '0')) > 65535)
				return -1;
		if (port == 0)
			return -1;
	}
	if (*p != '\0' && *p != '/')
		return -1;
	if (*p == '\0' || p[1] == '\0') {
		t->type = '1';
		dec[0] = '\0';
	} else {
		t->type = p[1];
		if ((unsigned char)t->type <= ' ' || t->type == 0x7f ||
		    path_decode(p + 2, strlen(p + 2), dec, sizeof(dec),
		    &errstr) == -1)
			return -1;
		/* "%09" starts a search string: not a plain selector */
		if (gopher_has_control(dec, strlen(dec), 0) ||
		    !utf8_valid(dec, strlen(dec)))
			return -1;
	}
	if (buf_puts(&t->sel, dec) == -1 ||
	    buf_append(&t->host, h, (size_t)(he - h)) == -1)
		return -1;
	t->port = (int)port;
	return 0;
}

static int
target_of(const struct gopher_ctx *ctx, const char *url, size_t ulen,
    struct target *t)
{
	struct buf	 u = BUF_INIT, enc = BUF_INIT;
	const char	*host = ctx->host != NULL ? ctx->host : "localhost";
	size_t		 i;
	int		 r = -1;

	memset(t, 0, sizeof(*t));
	t->port = ctx->port;
	/* a protocol-relative link in gemtext is a gemini one */
	if (ulen >= 2 && url[0] == '/' && url[1] == '/' &&
	    buf_puts(&u, "gemini:") == -1)
		goto done;
	if (buf_append(&u, url, ulen) == -1 || buf_reserve(&u, 0) == -1)
		goto done;
	/* scheme ":" (RFC 3986, 3.1) */
	for (i = 0; i < u.len && u.data[i] != '\0' &&
	    strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+.-", u.data[i]) != NULL; i++)
		;
	if (i > 0 && i < u.len && u.data[i] == ':' &&
	    strchr("0123456789+.-", u.data[0]) == NULL) {
		/* another host or scheme */
		if (gopher_sel_encode(&enc, u.data, u.len, ctx->ascii) == -1 ||
		    buf_puts(&t->url, enc.data) == -1)
			goto done;
		if (u.len > 9 && strncasecmp(u.data, "gopher://", 9) == 0 &&
		    gopher_url(u.data, t) == 0) {
			r = 0;
			goto done;
		}
		buf_reset(&t->sel);
		buf_reset(&t->host);
		t->type = 'h';
		t->port = ctx->port;
		if (buf_puts(&t->sel, "URL:") == -1 ||
		    buf_puts(&t->sel, enc.data) == -1 ||
		    buf_puts(&t->host, host) == -1)
			goto done;
		r = 0;
		goto done;
	}
	/* a path on this site; the selector is the Gemini path */
	buf_reset(&enc);
	if (u.data[0] != '/' && buf_putc(&enc, '/') == -1)
		goto done;
	if (buf_append(&enc, u.data, u.len) == -1)
		goto done;
	t->type = kind_type(ctx, enc.data);
	if (gopher_sel_encode(&t->sel, enc.data, enc.len, ctx->ascii) == -1 ||
	    buf_puts(&t->host, host) == -1)
		goto done;
	if (buf_puts(&t->url, "gopher://") == -1 ||
	    gopher_host_put(&t->url, host) == -1 ||
	    (ctx->port != GOPHER_PORT &&
	    buf_printf(&t->url, ":%d", ctx->port) == -1) ||
	    buf_printf(&t->url, "/%c", t->type) == -1 ||
	    path_encode(&t->url, enc.data, 1) == -1)
		goto done;
	r = 0;
done:
	buf_free(&u);
	buf_free(&enc);
	if (r == -1)
		target_free(t);
	return r;
}

static void
target_free(struct target *t)
{
	buf_free(&t->sel);
	buf_free(&t->host);
	buf_free(&t->url);
}

/* "Tlabel TAB selector TAB host TAB port": the label cut to
 * GOPHER_COLS display columns with an ellipsis. */
static int
item(struct writer *w, char type, const char *label, size_t len,
    const struct target *t)
{
	struct buf	*o = w->out, l = BUF_INIT, h = BUF_INIT;
	const char	*ell = w->ctx->ascii ? "..." : "\xe2\x80\xa6";
	size_t		 n;
	int		 r = -1;

	if (gopher_clean(w->ctx, &l, label, len) == -1 ||
	    utf8_sanitize_line(&h, t->host.data != NULL ? t->host.data : "",
	    t->host.len) == -1)
		goto done;
	n = l.len;
	if (utf8_width(l.data, l.len) > GOPHER_COLS) {
		n = utf8_prefix_cols(l.data, l.len,
		    GOPHER_COLS - utf8_width(ell, strlen(ell)));
		while (n > 0 && l.data[n - 1] == ' ')
			n--;
	}
	if (buf_putc(o, type) == -1 || buf_append(o, l.data, n) == -1 ||
	    (n < l.len && buf_puts(o, ell) == -1) ||
	    buf_putc(o, '\t') == -1 ||
	    buf_append(o, t->sel.data, t->sel.len) == -1 ||
	    buf_putc(o, '\t') == -1 || buf_append(o, h.data, h.len) == -1 ||
	    buf_printf(o, "\t%d\r\n", t->port) == -1)
		goto done;
	w->blank = 0;
	r = 0;
done:
	buf_free(&l);
	buf_free(&h);
	return r;
}

/* --- pages --- */

int
gopher_menu(struct buf *out, const struct gopher_ctx *ctx,
    const char *gemtext, size_t len)
{
	struct writer		 w = { out, ctx, 1, 1 };
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	struct target		 t;
	int			 r;

	gemtext_iter_init(&it, gemtext, len);
	while (gemtext_next(&it, &l)) {
		if (l.type != GEMTEXT_LINK) {
			if (prose(&w, &l) == -1)
				return -1;
			continue;
		}
		if (target_of(ctx, l.url, l.urllen, &t) == -1)
			return -1;
		if (l.textlen > 0)
			r = item(&w, t.type, l.text, l.textlen, &t);
		else
			r = item(&w, t.type, l.url, l.urllen, &t);
		target_free(&t);
		if (r == -1)
			return -1;
	}
	return buf_puts(out, ".\r\n");
}

int
gopher_text(struct buf *out, const struct gopher_ctx *ctx,
    const char *gemtext, size_t len)
{
	struct writer		 w = { out, ctx, 0, 1 };
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	struct target		 t;
	struct buf		 refs = BUF_INIT, lab = BUF_INIT;
	const char		*p, *nl, *title;
	char			 first[32], rest[32];
	size_t			 width;
	int			 nlinks = 0, text = 0, wide = 0, r = -1;

	gemtext_iter_init(&it, gemtext, len);
	while (gemtext_next(&it, &l)) {
		/*
		 * A gemtext line of text is a paragraph. Plain text has no
		 * other way to show where one ends and the next begins than
		 * a blank line: between two text lines of which one wraps,
		 * there is one. Short lines in a row (an address, verse)
		 * stay together.
		 */
		width = l.type == GEMTEXT_TEXT ?
		    utf8_width(l.text, l.textlen) : 0;
		if (width > 0 && text && (wide || width > GOPHER_COLS) &&
		    !w.blank && emit(&w, "", 0) == -1)
			goto done;
		text = width > 0;
		wide = width > GOPHER_COLS;
		if (l.type != GEMTEXT_LINK) {
			if (prose(&w, &l) == -1)
				goto done;
			continue;
		}
		/* "[n] label" in the flow, "[n] url" in the list at the end */
		nlinks++;
		snprintf(first, sizeof(first), "[%d] ", nlinks);
		snprintf(rest, sizeof(rest), "%*s", (int)strlen(first), "");
		if (gopher_clean(ctx, &lab, l.textlen > 0 ? l.text : l.url,
		    l.textlen > 0 ? l.textlen : l.urllen) == -1 ||
		    wrap(&w, lab.data, lab.len, first, rest, NULL) == -1)
			goto done;
		if (target_of(ctx, l.url, l.urllen, &t) == -1)
			goto done;
		r = buf_printf(&refs, "%s%s\n", first, t.url.data);
		target_free(&t);
		if (r == -1)
			goto done;
		r = -1;
	}
	if (nlinks > 0) {
		title = ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0 ?
		    "Liên kết" : "References";
		if (heading(&w, 2, title, strlen(title)) == -1)
			goto done;
		for (p = refs.data; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (gopher_clean(ctx, &lab, p,
			    (size_t)(nl - p)) == -1 ||
			    emit(&w, lab.data, lab.len) == -1)
				goto done;
		}
	}
	r = buf_puts(out, ".\r\n");
done:
	buf_free(&refs);
	buf_free(&lab);
	return r;
}


/*
 * A menu of the one item label, linking to url as a menu's link line
 * would; type 0 keeps the item type of what url names. The answer to a
 * search prompt or a redirect.
 */
int
gopher_menu_item(struct buf *out, const struct gopher_ctx *ctx,
    const char *url, char type, const char *label)
{
	struct writer	 w = { out, ctx, 1, 1 };
	struct target	 t;
	int		 r;

	if (target_of(ctx, url, strlen(url), &t) == -1)
		return -1;
	r = item(&w, type != 0 ? type : t.type, label, strlen(label), &t);
	target_free(&t);
	return r == -1 ? -1 : buf_puts(out, ".\r\n");
}
