/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * gopher.c: the Gopher front end (RFC 1436). A request is a selector,
 * optionally a TAB and a search string (type 7) or a Gopher+ marker;
 * it becomes a struct request with the same path as on Gemini. A reply
 * becomes a menu (a listing page's link lines turn into items, every
 * other line into an "i" line), wrapped plain text with numbered link
 * references (an article), a "3" error line, or raw data. Everything
 * written here is built from the core's gemtext and goes through
 * utf8_sanitize_line, so no text can add a field or a line to a menu.
 * No sockets: conn.c reads the line and writes what this returns.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "gemtext.h"
#include "gopher.h"
#include "mime.h"
#include "path.h"
#include "proto.h"
#include "route.h"
#include "utf8.h"

/*
 * Info and error lines carry no real link. Bucktooth and Floodgap
 * write an empty selector, host "error.host" and port 1; most clients
 * and proxies recognise that, so bantin does the same.
 */
#define INFO_TAIL	"\t\terror.host\t1\r\n"
#define GOPHER_PORT	70
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

static int	fail(const char **, const char *);
static int	has_control(const char *, size_t, int);
static int	is_http(const char *, size_t);
static int	url_allowed(const char *, size_t);
static int	clean(const struct gopher_ctx *, struct buf *, const char *,
		    size_t);
static int	emit(struct writer *, const char *, size_t);
static int	wrap(struct writer *, const char *, size_t, const char *,
		    const char *, size_t *);
static int	heading(struct writer *, int, const char *, size_t);
static int	pre_line(struct writer *, const char *, size_t);
static int	prose(struct writer *, const struct gemtext_line *);
static int	sel_encode(struct buf *, const char *, size_t, int);
static int	host_put(struct buf *, const char *);
static char	mime_type(const char *);
static char	kind_type(const struct gopher_ctx *, const char *);
static int	target_of(const struct gopher_ctx *, const char *, size_t,
		    struct target *);
static void	target_free(struct target *);
static int	item(struct writer *, char, const char *, size_t,
		    const struct target *);
static int	flush(struct writer *, struct buf *, size_t, size_t,
		    size_t *, const char *);
static int	gopher_url(const char *, struct target *);
static char	reply_type(const struct reply *);
static int	text_body(struct buf *, const struct gopher_ctx *,
		    const char *, size_t);
static const char *status_msg(enum status, const char *);
static int	plain_reply(struct buf *, const struct gopher_ctx *,
		    const struct request *, const struct reply *);

/* --- requests --- */

static int
fail(const char **errstr, const char *why)
{
	*errstr = why;
	return -1;
}

/* C0 (TAB allowed when asked), DEL and C1 controls; s is valid UTF-8 */
static int
has_control(const char *s, size_t len, int tab_ok)
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

/* Web clients and crawlers knock on port 70 too. */
static int
is_http(const char *line, size_t len)
{
	static const char *const methods[] = { "GET ", "HEAD ", "POST ",
	    "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "TRACE ", "PATCH ",
	    "PRI " };
	size_t	 i, n;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		n = strlen(methods[i]);
		if (len >= n && memcmp(line, methods[i], n) == 0)
			return 1;
	}
	return 0;
}

/*
 * The URL of a "URL:" selector goes into an HTML page, so only schemes
 * a reader can follow safely: never javascript: or data:.
 */
static int
url_allowed(const char *u, size_t len)
{
	static const char *const schemes[] = { "http://", "https://",
	    "gemini://", "gopher://", "ftp://", "mailto:", "news:",
	    "telnet://" };
	size_t	 i, n;

	for (i = 0; i < len; i++)
		if (u[i] == ' ' || u[i] == '"' || u[i] == '<' || u[i] == '>')
			return 0;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i]);
		if (len > n && strncasecmp(u, schemes[i], n) == 0)
			return 1;
	}
	return 0;
}

int
gopher_parse(const char *line, size_t len, struct request *req,
    const char **errstr)
{
	const char	*end, *sel, *selend, *f2 = NULL, *f2end = NULL, *f3;
	const char	*q, *p;
	char		 tmp[GOPHER_SELECTOR_MAX + 2];
	size_t		 n;

	memset(req, 0, sizeof(*req));
	req->proto = PROTO_GOPHER;
	*errstr = NULL;
	if (len > GOPHER_SELECTOR_MAX)
		return fail(errstr, "request too long");
	if (memchr(line, '\0', len) != NULL)
		return fail(errstr, "NUL in request");
	if (!utf8_valid(line, len))
		return fail(errstr, "invalid UTF-8 in request");
	if (has_control(line, len, 1))
		return fail(errstr, "control character in request");
	if (is_http(line, len)) {
		*errstr = "HTTP request";
		return 1;
	}

	/* selector [TAB search-or-marker [TAB marker]] (Gopher+ 2.4) */
	end = line + len;
	sel = line;
	selend = memchr(line, '\t', len);
	if (selend == NULL)
		selend = end;
	else {
		f2 = selend + 1;
		if ((f2end = memchr(f2, '\t', (size_t)(end - f2))) == NULL)
			f2end = end;
	}
	if (f2 != NULL) {
		n = (size_t)(f2end - f2);
		if (n > 0 && f2[0] == '+') {
			req->probe = GOPHER_PROBE_DATA;
			f2 = NULL;
		} else if (n > 0 && (f2[0] == '!' || f2[0] == '$') &&
		    (n == 1 || f2[1] == '+')) {
			req->probe = GOPHER_PROBE_ATTR;
			f2 = NULL;
		} else if (f2end < end) {
			/* "selector TAB query TAB +": a Gopher+ search */
			f3 = f2end + 1;
			if (f3 < end && (*f3 == '+' || *f3 == '!' ||
			    *f3 == '$'))
				req->probe = GOPHER_PROBE_DATA;
		}
	}

	n = (size_t)(selend - sel);
	if (n >= 4 && memcmp(sel, "URL:", 4) == 0) {
		if (!url_allowed(sel + 4, n - 4))
			return fail(errstr, "URL: selector with a bad URL");
		req->path[0] = '/';
		*errstr = "URL: selector";
		return 2;
	}

	/* "/search?dai%20hoi": a percent-encoded query, as paging uses */
	q = memchr(sel, '?', n);
	if (q != NULL)
		n = (size_t)(q - sel);
	/* decoding twice would turn "%252e%252e" into ".." somewhere */
	for (p = sel; p + 4 < sel + n; p++)
		if (p[0] == '%' && p[1] == '2' && p[2] == '5' &&
		    strchr("0123456789abcdefABCDEF", p[3]) != NULL &&
		    strchr("0123456789abcdefABCDEF", p[4]) != NULL)
			return fail(errstr, "double percent-encoding");
	/* selectors come with or without the leading "/" */
	tmp[0] = '/';
	if (n > 0 && sel[0] == '/')
		memcpy(tmp, sel, n);
	else {
		memcpy(tmp + 1, sel, n);
		n++;
	}
	if (path_normalize(tmp, n, req->path, sizeof(req->path),
	    errstr) == -1)
		return -1;
	if (has_control(req->path, strlen(req->path), 0))
		return fail(errstr, "control character in path");

	if (f2 != NULL) {
		/* the type 7 search string is typed text, not encoded */
		n = (size_t)(f2end - f2);
		if (n > 0) {
			memcpy(req->query, f2, n);
			req->query[n] = '\0';
			req->has_query = 1;
		}
	} else if (q != NULL) {
		if (path_decode(q + 1, (size_t)(selend - q - 1), req->query,
		    sizeof(req->query), errstr) == -1)
			return -1;
		n = strlen(req->query);
		if (!utf8_valid(req->query, n))
			return fail(errstr, "invalid UTF-8 in query");
		if (has_control(req->query, n, 0))
			return fail(errstr, "control character in query");
		req->has_query = 1;
	}
	return 0;
}

/* --- writing lines --- */

/* s as one safe display line: controls gone, ASCII in ascii mode */
static int
clean(const struct gopher_ctx *ctx, struct buf *b, const char *s,
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
		    buf_puts(o, INFO_TAIL) == -1)
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
	if (clean(w->ctx, &t, s, len) == -1 ||
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
	if (clean(w->ctx, &t, x.data != NULL ? x.data : "", x.len) == -1 ||
	    emit(w, t.data, t.len) == -1)
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
		if (clean(w->ctx, &t, l->text, l->textlen) == -1)
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
static int
sel_encode(struct buf *b, const char *s, size_t len, int ascii)
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
static int
host_put(struct buf *b, const char *host)
{
	if (strchr(host, ':') != NULL && host[0] != '[')
		return buf_printf(b, "[%s]", host);
	return buf_puts(b, host);
}

/* Item type of a served file: g and I for images, s for sound, 0 for
 * what reads as text. application/pdf gets 9, not the later "d" that
 * old clients do not know. */
static char
mime_type(const char *m)
{
	size_t	 n;

	if (m == NULL)
		return '9';
	if (strncasecmp(m, "image/gif", 9) == 0)
		return 'g';
	if (strncasecmp(m, "image/", 6) == 0)
		return 'I';
	if (strncasecmp(m, "audio/", 6) == 0)
		return 's';
	if (strncasecmp(m, "text/", 5) == 0)
		return '0';
	n = strcspn(m, ";");
	if ((n >= 4 && strncasecmp(m + n - 4, "+xml", 4) == 0) ||
	    (n >= 4 && strncasecmp(m + n - 4, "/xml", 4) == 0) ||
	    (n >= 5 && strncasecmp(m + n - 5, "/json", 5) == 0))
		return '0';
	return '9';
}

/*
 * The item type of a path on this site. With a site, route_kind says
 * what the target is. Without one (or for a target it does not know)
 * the path decides: a trailing slash is a menu, "/search" the search,
 * a known file extension a file, anything else a document.
 */
static char
kind_type(const struct gopher_ctx *ctx, const char *path)
{
	enum route_kind	 k = ROUTE_UNKNOWN;
	const char	*mime = NULL;
	char		 p[REQ_PATH_MAX + 1];
	size_t		 n;

	n = strcspn(path, "?");
	if (n >= sizeof(p))
		n = sizeof(p) - 1;
	memcpy(p, path, n);
	p[n] = '\0';
	if (ctx->site != NULL)
		k = route_kind(ctx->site, path, &mime);
	if (k == ROUTE_UNKNOWN) {
		if (n == 0 || p[n - 1] == '/' || strcmp(p, "/stats") == 0)
			k = ROUTE_MENU;
		else if (strcmp(p, "/search") == 0)
			k = ROUTE_SEARCH;
		else if ((mime = mime_by_ext(p)) != NULL &&
		    strncmp(mime, "text/gemini", 11) != 0 &&
		    strncmp(mime, "text/markdown", 13) != 0)
			k = ROUTE_FILE;
		else
			k = ROUTE_DOCUMENT;
	}
	switch (k) {
	case ROUTE_MENU:
		return '1';
	case ROUTE_SEARCH:
		/* "/search?x" is a result page, not a new prompt */
		return path[n] == '?' ? '1' : '7';
	case ROUTE_FILE:
		return mime_type(mime);
	case ROUTE_EXTERNAL:
		return 'h';
	case ROUTE_DOCUMENT:
	case ROUTE_UNKNOWN:
		break;
	}
	return '0';
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
		if (has_control(dec, strlen(dec), 0) ||
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
		if (sel_encode(&enc, u.data, u.len, ctx->ascii) == -1 ||
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
	if (sel_encode(&t->sel, enc.data, enc.len, ctx->ascii) == -1 ||
	    buf_puts(&t->host, host) == -1)
		goto done;
	if (buf_puts(&t->url, "gopher://") == -1 ||
	    host_put(&t->url, host) == -1 ||
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

	if (clean(w->ctx, &l, label, len) == -1 ||
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
	int			 nlinks = 0, r = -1;

	gemtext_iter_init(&it, gemtext, len);
	while (gemtext_next(&it, &l)) {
		if (l.type != GEMTEXT_LINK) {
			if (prose(&w, &l) == -1)
				goto done;
			continue;
		}
		/* "[n] label" in the flow, "[n] url" in the list at the end */
		nlinks++;
		snprintf(first, sizeof(first), "[%d] ", nlinks);
		snprintf(rest, sizeof(rest), "%*s", (int)strlen(first), "");
		if (clean(ctx, &lab, l.textlen > 0 ? l.text : l.url,
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
			if (clean(ctx, &lab, p, (size_t)(nl - p)) == -1 ||
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

int
gopher_error(struct buf *out, const struct gopher_ctx *ctx,
    const char *msg)
{
	struct buf	 m = BUF_INIT;
	int		 r = -1;

	if (msg == NULL || *msg == '\0')
		msg = "Error";
	if (clean(ctx, &m, msg, strlen(msg)) == 0 &&
	    buf_putc(out, '3') == 0 && buf_append(out, m.data, m.len) == 0 &&
	    buf_puts(out, INFO_TAIL ".\r\n") == 0)
		r = 0;
	buf_free(&m);
	return r;
}

/*
 * caps.txt, the de facto capabilities file (Floodgap's format): the
 * path keys say selectors are "/"-separated paths with the usual "."
 * and "..", so clients can offer a breadcrumb or a parent menu.
 */
int
gopher_caps(struct buf *out, const struct gopher_ctx *ctx)
{
	struct buf	 d = BUF_INIT;
	const char	*title = ctx->title != NULL ? ctx->title : "bantin";
	int		 r = -1;

	if (clean(ctx, &d, title, strlen(title)) == -1)
		goto done;
	if (buf_puts(out, "CAPS\r\n\r\n"
	    "CapsVersion=1\r\n"
	    "ExpireCapsAfter=3600\r\n\r\n"
	    "PathDelimeter=/\r\n"
	    "PathIdentity=.\r\n"
	    "PathParent=..\r\n"
	    "PathParentDouble=FALSE\r\n"
	    "PathEscapeCharacter=\\\r\n"
	    "PathKeepPreDelimeter=FALSE\r\n\r\n"
	    "ServerSoftware=bantin\r\n") == -1 ||
	    buf_printf(out, "ServerDescription=%s\r\n", d.data) == -1 ||
	    buf_printf(out, "ServerDefaultEncoding=%s\r\n",
	    ctx->ascii ? "US-ASCII" : "UTF-8") == -1 ||
	    buf_puts(out, ".\r\n") == -1)
		goto done;
	r = 0;
done:
	buf_free(&d);
	return r;
}

int
gopher_http(struct buf *out, const struct gopher_ctx *ctx)
{
	struct buf	 body = BUF_INIT, url = BUF_INIT, t = BUF_INIT;
	const char	*host = ctx->host != NULL ? ctx->host : "localhost";
	int		 r = -1;

	if (buf_puts(&url, "gopher://") == -1 || host_put(&url, host) == -1 ||
	    (ctx->port != GOPHER_PORT &&
	    buf_printf(&url, ":%d", ctx->port) == -1) ||
	    buf_putc(&url, '/') == -1)
		goto done;
	if (ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0 &&
	    buf_printf(&body, "Đây là máy chủ Gopher; hãy dùng một trình "
	    "duyệt Gopher: %s\r\n", url.data) == -1)
		goto done;
	if (buf_printf(&body, "This is a Gopher server; use a Gopher "
	    "client: %s\r\n", url.data) == -1)
		goto done;
	if (ctx->ascii) {
		if (utf8_ascii(&t, body.data, body.len) == -1)
			goto done;
		buf_reset(&body);
		if (buf_append(&body, t.data, t.len) == -1)
			goto done;
	}
	if (buf_printf(out, "HTTP/1.0 400 Bad Request\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    body.len) == -1 || buf_append(out, body.data, body.len) == -1)
		goto done;
	r = 0;
done:
	buf_free(&body);
	buf_free(&url);
	buf_free(&t);
	return r;
}

int
gopher_urlpage(struct buf *out, const struct gopher_ctx *ctx,
    const char *line, size_t len)
{
	struct buf	 u = BUF_INIT;
	const char	*msg, *p;
	size_t		 i, n;
	int		 r = -1;

	p = memchr(line, '\t', len);
	n = p != NULL ? (size_t)(p - line) : len;
	if (n < 4 || memcmp(line, "URL:", 4) != 0 ||
	    !url_allowed(line + 4, n - 4) || !utf8_valid(line + 4, n - 4) ||
	    has_control(line + 4, n - 4, 0))
		return -1;
	/* attribute-safe: '"', '<' and '>' were refused above */
	for (i = 4; i < n; i++) {
		if (line[i] == '&') {
			if (buf_puts(&u, "&amp;") == -1)
				goto done;
		} else if (line[i] == '\'') {
			if (buf_puts(&u, "&#39;") == -1)
				goto done;
		} else if (buf_putc(&u, line[i]) == -1)
			goto done;
	}
	if (ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0)
		msg = "Li&ecirc;n k&#7871;t ngo&agrave;i:";
	else
		msg = "You are leaving Gopher for:";
	if (buf_printf(out, "<!DOCTYPE html>\n<html><head>"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"refresh\" content=\"2;url=%s\">\n"
	    "<title>%s</title></head>\n<body><p>%s <a href=\"%s\">%s</a>"
	    "</p></body></html>\n", u.data, u.data, msg, u.data,
	    u.data) == -1)
		goto done;
	r = 0;
done:
	buf_free(&u);
	return r;
}

/* --- replies --- */

/* A textual body (text/..., XML) as type 0 text: CRLF lines,
 * dot-doubled, then ".". */
static int
text_body(struct buf *out, const struct gopher_ctx *ctx, const char *s,
    size_t len)
{
	struct buf	 t = BUF_INIT;
	const char	*p = s, *end = s + len, *nl;
	size_t		 n;
	int		 r = -1;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		buf_reset(&t);
		if (ctx->ascii ? utf8_ascii(&t, p, n) : buf_append(&t, p, n))
			goto done;
		if (t.len > 0 && t.data[0] == '.' && buf_putc(out, '.') == -1)
			goto done;
		if ((t.len > 0 && buf_append(out, t.data, t.len) == -1) ||
		    buf_puts(out, "\r\n") == -1)
			goto done;
		p = nl != NULL ? nl + 1 : end;
	}
	r = buf_puts(out, ".\r\n");
done:
	buf_free(&t);
	return r;
}

static const char *
status_msg(enum status st, const char *lang)
{
	int	 vi = lang != NULL && strcmp(lang, "vi") == 0;

	switch (st) {
	case ST_NOT_FOUND:
		return vi ? "Không tìm thấy" : "Not found";
	case ST_GONE:
		return vi ? "Trang này đã bị gỡ bỏ" : "Gone";
	case ST_BAD_REQUEST:
		return vi ? "Yêu cầu không hợp lệ" : "Bad request";
	case ST_PROXY_REFUSED:
		return vi ? "Không nhận yêu cầu proxy" :
		    "Proxy request refused";
	case ST_TEMP_FAIL:
		return vi ? "Lỗi tạm thời, xin thử lại sau" :
		    "Temporary failure, try again later";
	default:
		break;
	}
	return vi ? "Lỗi" : "Error";
}

/* The response an RFC 1436 client gets. */
static int
plain_reply(struct buf *out, const struct gopher_ctx *ctx,
    const struct request *req, const struct reply *rep)
{
	struct writer	 w = { out, ctx, 1, 1 };
	struct target	 t;
	const char	*m = rep->meta, *host;
	size_t		 n;
	int		 r;

	switch (rep->status) {
	case ST_OK:
		switch (rep->kind) {
		case REPLY_MENU:
			return gopher_menu(out, ctx, rep->body.data,
			    rep->body.len);
		case REPLY_DOCUMENT:
			return gopher_text(out, ctx, rep->body.data,
			    rep->body.len);
		case REPLY_DATA:
			if (mime_type(m) == '0')
				return text_body(out, ctx, rep->body.data,
				    rep->body.len);
			return buf_append(out, rep->body.data, rep->body.len);
		case REPLY_FILE:
			return 0;
		case REPLY_NONE:
			break;
		}
		break;
	case ST_INPUT:
		/* a menu with the one search item: type 7 asks for input */
		if (target_of(ctx, req->path, strlen(req->path), &t) == -1)
			return -1;
		t.type = '7';
		if (m[0] == '\0')
			m = ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0 ?
			    "Tìm kiếm" : "Search";
		r = item(&w, '7', m, strlen(m), &t);
		target_free(&t);
		return r == -1 ? -1 : buf_puts(out, ".\r\n");
	case ST_REDIRECT:
	case ST_REDIRECT_PERM:
		/*
		 * Gopher has no redirect. A one-item menu to the target
		 * works in every client, where following it here would
		 * need the core. "gemini://ourhost/x" is our own "/x".
		 */
		host = ctx->host != NULL ? ctx->host : "";
		n = strlen(host);
		if (strncasecmp(m, "gemini://", 9) == 0 && n > 0 &&
		    strncasecmp(m + 9, host, n) == 0 &&
		    (m[9 + n] == '/' || m[9 + n] == ':')) {
			m += 9 + n;
			m += strcspn(m, "/");
		}
		if (*m == '\0')
			m = "/";
		if (target_of(ctx, m, strlen(m), &t) == -1)
			return -1;
		r = item(&w, t.type, m, strlen(m), &t);
		target_free(&t);
		return r == -1 ? -1 : buf_puts(out, ".\r\n");
	default:
		return gopher_error(out, ctx, m[0] != '\0' ? m :
		    status_msg(rep->status, ctx->lang));
	}
	return gopher_error(out, ctx, status_msg(ST_PERM_FAIL, ctx->lang));
}

/* The item type a reply stands for, for +INFO; 0 for an error. */
static char
reply_type(const struct reply *rep)
{
	switch (rep->status) {
	case ST_OK:
		if (rep->kind == REPLY_MENU)
			return '1';
		if (rep->kind == REPLY_DOCUMENT)
			return '0';
		if (rep->kind == REPLY_DATA || rep->kind == REPLY_FILE)
			return mime_type(rep->meta);
		return 0;
	case ST_INPUT:
		return '7';
	case ST_REDIRECT:
	case ST_REDIRECT_PERM:
		return '1';
	default:
		return 0;
	}
}

/*
 * Gopher+ (the 1993 UMN memo, 2.3 and 2.5). A data request ("\t+")
 * gets the usual answer behind "+-1" (ends with a "." line) or "+-2"
 * (ends at close, for binary). An attribute request ("\t!", "\t$")
 * gets one +INFO block whose item line has no trailing "+", which
 * tells a Gopher+ client to carry on in plain Gopher, as geomyidae
 * does. Errors are "--1", a code (1 not available, 2 try later) and
 * the message.
 */
int
gopher_reply(struct buf *out, const struct gopher_ctx *ctx,
    const struct request *req, const struct reply *rep)
{
	struct buf	 m = BUF_INIT, s = BUF_INIT;
	const char	*msg, *host;
	char		 type;
	int		 r = -1;

	host = ctx->host != NULL ? ctx->host : "localhost";
	/* generated unless the site has a caps.txt of its own */
	if (rep->status == ST_NOT_FOUND &&
	    strcmp(req->path, "/caps.txt") == 0) {
		if (req->probe == GOPHER_PROBE_ATTR)
			return buf_printf(out, "+-2\r\n+INFO: 0caps.txt\t"
			    "/caps.txt\t%s\t%d\r\n+ADMIN:\r\n"
			    " Admin: bantin\r\n", host, ctx->port);
		if (req->probe && buf_puts(out, "+-1\r\n") == -1)
			return -1;
		return gopher_caps(out, ctx);
	}
	if (!req->probe)
		return plain_reply(out, ctx, req, rep);

	type = reply_type(rep);
	if (type == 0) {
		msg = rep->meta[0] != '\0' ? rep->meta :
		    status_msg(rep->status, ctx->lang);
		if (clean(ctx, &m, msg, strlen(msg)) == -1 ||
		    buf_printf(out, "--1\r\n%d %s\r\n.\r\n",
		    rep->status == ST_TEMP_FAIL ? 2 : 1, m.data) == -1)
			goto done;
		r = 0;
		goto done;
	}
	if (req->probe == GOPHER_PROBE_ATTR) {
		if (sel_encode(&s, req->path, strlen(req->path),
		    ctx->ascii) == -1 || clean(ctx, &m, host,
		    strlen(host)) == -1 ||
		    buf_printf(out, "+-2\r\n+INFO: %c%s\t%s\t%s\t%d\r\n"
		    "+ADMIN:\r\n Admin: bantin\r\n", type, s.data, s.data,
		    m.data, ctx->port) == -1)
			goto done;
		r = 0;
		goto done;
	}
	/* a file is streamed as it is: no "." line can end it */
	if (buf_puts(out, rep->kind == REPLY_FILE || (type != '0' &&
	    type != '1' && type != '7') ? "+-2\r\n" : "+-1\r\n") == -1)
		goto done;
	r = plain_reply(out, ctx, req, rep);
done:
	buf_free(&m);
	buf_free(&s);
	return r;
}
