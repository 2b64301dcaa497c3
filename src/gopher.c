/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * gopher.c: the Gopher front end (RFC 1436), its protocol side. A
 * request is a selector, optionally a TAB and a search string (type 7)
 * or a Gopher+ marker; it becomes a struct request with the same path
 * as on Gemini. A reply is dispatched here: a listing page becomes a
 * menu and an article wrapped text (both drawn by gopher_render.c), an
 * error a "3" line, data goes out raw, and Gopher+ probes get their
 * "+-1", "+-2" or "--1" framing. The caps.txt file, the answer to a web
 * browser knocking on port 70 and the page behind a "URL:" selector
 * are written here too. Every text goes through utf8_sanitize_line,
 * so none can add a field or a line. No sockets: conn.c reads the line
 * and writes what this returns; serve() answers a parsed request.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "gopher.h"
#include "gopher_render.h"
#include "path.h"
#include "proto.h"
#include "serve.h"
#include "utf8.h"

static int	fail(const char **, const char *);
static int	is_http(const char *, size_t);
static int	url_allowed(const char *, size_t);
static char	reply_type(const struct reply *);
static int	text_body(struct buf *, const struct gopher_ctx *,
		    const char *, size_t);
static const char *status_msg(enum status, const char *);
static int	plain_reply(struct buf *, const struct gopher_ctx *,
		    const struct request *, const struct reply *);
static void	gopher_handle(void *, const char *, size_t, int,
		    struct request *, struct reply *, struct buf *);
static void	gopher_timeout(void *, struct buf *);
static void	gopher_slow_down(void *, int, struct reply *, struct buf *);

const struct conn_front gopher_conn_front = {
	/* selector, TAB, query: the selector alone is capped in
	 * gopher_parse */
	"gopher", 0, CONN_IN_MAX - 2, 0, gopher_handle, gopher_timeout,
	gopher_slow_down, NULL
};

/* --- requests --- */

static int
fail(const char **errstr, const char *why)
{
	*errstr = why;
	return -1;
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

/* The search's selector, "search" or "/search" (a trailing "/" too) */
static int
is_search(const char *sel, size_t n)
{
	if (n > 0 && sel[0] == '/')
		sel++, n--;
	if (n > 0 && sel[n - 1] == '/')
		n--;
	return n == 6 && memcmp(sel, "search", 6) == 0;
}

int
gopher_parse(const char *line, size_t len, struct request *req,
    const char **errstr)
{
	const char	*end, *sel, *selend, *f2 = NULL, *f2end = NULL, *f3;
	const char	*q, *p;
	char		 tmp[GOPHER_SELECTOR_MAX + 2];
	size_t		 n;
	int		 search;

	memset(req, 0, sizeof(*req));
	req->proto = PROTO_GOPHER;
	*errstr = NULL;
	if (len > GOPHER_SELECTOR_MAX)
		return fail(errstr, "request too long");
	if (memchr(line, '\0', len) != NULL)
		return fail(errstr, "NUL in request");
	if (!utf8_valid(line, len))
		return fail(errstr, "invalid UTF-8 in request");
	if (gopher_has_control(line, len, 1))
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
		/* a search's query may begin with a marker's character:
		 * there, only the marker alone is one */
		search = is_search(sel, (size_t)(selend - sel));
		if (n > 0 && f2[0] == '+' && (n == 1 || !search)) {
			req->probe = GOPHER_PROBE_DATA;
			f2 = NULL;
		} else if (n > 0 && (f2[0] == '!' || f2[0] == '$') &&
		    (n == 1 || (f2[1] == '+' && (n == 2 || !search)))) {
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
	if (gopher_has_control(req->path, strlen(req->path), 0))
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
		if (gopher_has_control(req->query, n, 0))
			return fail(errstr, "control character in query");
		req->has_query = 1;
	}
	return 0;
}

/* --- pages --- */

int
gopher_error(struct buf *out, const struct gopher_ctx *ctx,
    const char *msg)
{
	struct buf	 m = BUF_INIT;
	int		 r = -1;

	if (msg == NULL || *msg == '\0')
		msg = "Error";
	if (gopher_clean(ctx, &m, msg, strlen(msg)) == 0 &&
	    buf_putc(out, '3') == 0 && buf_append(out, m.data, m.len) == 0 &&
	    buf_puts(out, GOPHER_INFO_TAIL ".\r\n") == 0)
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

	if (gopher_clean(ctx, &d, title, strlen(title)) == -1)
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

	if (buf_puts(&url, "gopher://") == -1 ||
	    gopher_host_put(&url, host) == -1 ||
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
	    gopher_has_control(line + 4, n - 4, 0))
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
	struct gopher_ctx	 dctx;
	const char		*m = rep->meta, *host;
	size_t			 n;

	switch (rep->status) {
	case ST_OK:
		switch (rep->kind) {
		case REPLY_MENU:
			return gopher_menu(out, ctx, rep->body.data,
			    rep->body.len);
		case REPLY_DOCUMENT:
			/* in the page's language: an article's own */
			dctx = *ctx;
			if (rep->lang != NULL)
				dctx.lang = rep->lang;
			return gopher_text(out, &dctx, rep->body.data,
			    rep->body.len);
		case REPLY_DATA:
			if (gopher_mime_type(m) == '0')
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
		if (m[0] == '\0')
			m = ctx->lang != NULL && strcmp(ctx->lang, "vi") == 0 ?
			    "Tìm kiếm" : "Search";
		return gopher_menu_item(out, ctx, req->path, '7', m);
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
		return gopher_menu_item(out, ctx, m, 0, m);
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
			return gopher_mime_type(rep->meta);
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
	/* generated: the tree reserves the name (site_walk.c) */
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
		if (gopher_clean(ctx, &m, msg, strlen(msg)) == -1 ||
		    buf_printf(out, "--1\r\n%d %s\r\n.\r\n",
		    rep->status == ST_TEMP_FAIL ? 2 : 1, m.data) == -1)
			goto done;
		r = 0;
		goto done;
	}
	if (req->probe == GOPHER_PROBE_ATTR) {
		if (gopher_sel_encode(&s, req->path, strlen(req->path),
		    ctx->ascii) == -1 || gopher_clean(ctx, &m, host,
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

/* --- the glue conn.c drives --- */

static void
gopher_write(void *arg, const struct request *req, const struct reply *rep,
    struct buf *out)
{
	struct gopher_front	*g = arg;

	gopher_reply(out, &g->ctx, req, rep);
}

static void
gopher_handle(void *arg, const char *line, size_t len, int how,
    struct request *req, struct reply *rep, struct buf *out)
{
	struct gopher_front	*g = arg;
	const char		*errstr = NULL;
	int			 r;

	if (how == CONN_REQ_TOO_LONG) {
		reply_status(rep, ST_BAD_REQUEST, "selector too long");
		gopher_error(out, &g->ctx, rep->meta);
		return;
	}
	r = gopher_parse(line, len, req, &errstr);
	if (r == 1) {
		/* an HTTP client knocked on the Gopher port */
		reply_status(rep, ST_BAD_REQUEST, "HTTP request");
		gopher_http(out, &g->ctx);
		return;
	}
	if (r == 2) {
		/* "URL:..." selector from a client without type h */
		rep->status = ST_OK;
		rep->kind = REPLY_DATA;
		snprintf(rep->meta, sizeof(rep->meta), "URL:");
		gopher_urlpage(out, &g->ctx, line, len);
		return;
	}
	if (r == -1) {
		reply_status(rep, ST_BAD_REQUEST, "%s",
		    errstr ? errstr : "bad selector");
		gopher_error(out, &g->ctx, rep->meta);
		return;
	}
	/* caps.txt is a reserved name in the tree: gopher_reply makes
	 * it, framed for a Gopher+ probe */
	serve(g->sv, req, rep, out, gopher_write, g);
	/* a Gopher+ attribute probe gets the attributes, not the file */
	if (req->probe == GOPHER_PROBE_ATTR && rep->kind == REPLY_FILE &&
	    rep->fd != -1) {
		close(rep->fd);
		rep->fd = -1;
		rep->kind = REPLY_DATA;
	}
}

static void
gopher_timeout(void *arg, struct buf *out)
{
	struct gopher_front	*g = arg;

	gopher_error(out, &g->ctx, "request timeout");
}

/* Gopher has no status: an error item says what to do, and when */
static void
gopher_slow_down(void *arg, int seconds, struct reply *rep, struct buf *out)
{
	struct gopher_front	*g = arg;
	char			 msg[128];

	reply_status(rep, ST_SLOW_DOWN, "%d", seconds);
	if (g->ctx.lang != NULL && strcmp(g->ctx.lang, "vi") == 0)
		snprintf(msg, sizeof(msg), "Quá nhiều yêu cầu, xin thử lại "
		    "sau %d giây", seconds);
	else
		snprintf(msg, sizeof(msg), "Too many requests: try again in "
		    "%d s", seconds);
	gopher_error(out, &g->ctx, msg);
}
