/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * gemini.c: the Gemini front end. A request is one absolute URI of at
 * most 1024 bytes followed by CRLF (spec section "Gemini requests");
 * the scheme must be gemini and the authority our own host and port,
 * otherwise 53 (we are not a proxy). Userinfo and fragments are not
 * allowed in requests. This file turns bytes into struct request and
 * struct reply into a header, and glues the two to serve(): no
 * sockets, no TLS, no content.
 */

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conn.h"
#include "gemini.h"
#include "path.h"
#include "proto.h"
#include "serve.h"
#include "utf8.h"

static void	gemini_handle(void *, const char *, size_t, int,
		    struct request *, struct reply *, struct buf *);
static void	gemini_timeout(void *, struct buf *);
static void	gemini_slow_down(void *, int, struct reply *, struct buf *);

const struct conn_front gemini_conn_front = {
	"gemini", 1, GEMINI_URL_MAX, 1, gemini_handle, gemini_timeout,
	gemini_slow_down, NULL
};

static int
bad(enum status *st, const char **errstr, enum status s, const char *why)
{
	*st = s;
	*errstr = why;
	return -1;
}

int
gemini_parse(const char *line, size_t len, const struct gemini_host *h,
    struct request *req, enum status *st, const char **errstr)
{
	const char	*p, *end, *auth, *authend, *host, *hostend, *path,
			*pathend, *q;
	size_t		 i, hlen, slen;
	long		 port;

	memset(req, 0, sizeof(*req));
	req->proto = PROTO_GEMINI;
	*errstr = NULL;
	if (len == 0)
		return bad(st, errstr, ST_BAD_REQUEST, "empty request");
	if (len > GEMINI_URL_MAX)
		return bad(st, errstr, ST_BAD_REQUEST, "request too long");
	if (len >= 3 && (unsigned char)line[0] == 0xef &&
	    (unsigned char)line[1] == 0xbb && (unsigned char)line[2] == 0xbf)
		return bad(st, errstr, ST_BAD_REQUEST, "byte order mark");
	if (memchr(line, '\0', len) != NULL)
		return bad(st, errstr, ST_BAD_REQUEST, "NUL in request");
	if (!utf8_valid(line, len))
		return bad(st, errstr, ST_BAD_REQUEST, "invalid UTF-8");
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			return bad(st, errstr, ST_BAD_REQUEST,
			    "control character in request");
	end = line + len;

	/* scheme ":" "//" authority: RFC 3986 3.1 */
	for (p = line; p < end && *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (p > line && ((*p >= '0' && *p <= '9') || *p == '+' ||
		    *p == '-' || *p == '.'))))
			return bad(st, errstr, ST_BAD_REQUEST,
			    "not an absolute URI");
	if (p == end || p == line)
		return bad(st, errstr, ST_BAD_REQUEST, "not an absolute URI");
	if (end - p < 3 || p[1] != '/' || p[2] != '/')
		return bad(st, errstr, ST_BAD_REQUEST, "no authority");
	slen = (size_t)(p - line);
	if (memchr(line, '#', len) != NULL)
		return bad(st, errstr, ST_BAD_REQUEST, "fragment in request");
	auth = p + 3;
	for (authend = auth; authend < end && *authend != '/' &&
	    *authend != '?'; authend++)
		;
	if (memchr(auth, '@', (size_t)(authend - auth)) != NULL)
		return bad(st, errstr, ST_BAD_REQUEST, "userinfo in request");
	if (slen != 6 || strncasecmp(line, "gemini", 6) != 0)
		return bad(st, errstr, ST_PROXY_REFUSED,
		    "proxy request refused");

	/* host [":" port]; an IPv6 literal is in brackets */
	host = auth;
	if (host < authend && *host == '[') {
		hostend = memchr(host, ']', (size_t)(authend - host));
		if (hostend == NULL)
			return bad(st, errstr, ST_BAD_REQUEST, "bad host");
		/* after the bracket: a port, or the end of the authority */
		if (++hostend < authend && *hostend != ':')
			return bad(st, errstr, ST_BAD_REQUEST, "bad host");
	} else
		for (hostend = host; hostend < authend && *hostend != ':';
		    hostend++)
			;
	hlen = (size_t)(hostend - host);
	if (hlen == 0)
		return bad(st, errstr, ST_BAD_REQUEST, "empty host");
	if (hlen > 1 && host[hlen - 1] == '.')	/* "localhost." */
		hlen--;
	if (hlen != strlen(h->hostname) ||
	    strncasecmp(host, h->hostname, hlen) != 0)
		return bad(st, errstr, ST_PROXY_REFUSED,
		    "proxy request refused");
	if (hostend < authend) {
		/* ":" then digits; an empty port means the default */
		port = 0;
		for (q = hostend + 1; q < authend; q++) {
			if (*q < '0' || *q > '9' || port > 65535)
				return bad(st, errstr, ST_BAD_REQUEST,
				    "bad port");
			port = port * 10 + (*q - '0');
		}
		if (port > 65535)
			return bad(st, errstr, ST_BAD_REQUEST, "bad port");
		if (q > hostend + 1 && port != h->port)
			return bad(st, errstr, ST_PROXY_REFUSED,
			    "proxy request refused");
	}

	/* path ["?" query]; the empty path is "/" without a redirect */
	path = authend;
	pathend = memchr(path, '?', (size_t)(end - path));
	if (pathend == NULL)
		pathend = end;
	if (path_normalize(path, (size_t)(pathend - path), req->path,
	    sizeof(req->path), errstr) == -1) {
		*st = ST_BAD_REQUEST;
		return -1;
	}
	if (pathend < end) {
		req->has_query = 1;
		if (path_decode(pathend + 1, (size_t)(end - pathend - 1),
		    req->query, sizeof(req->query), errstr) == -1 ||
		    !utf8_valid(req->query, strlen(req->query))) {
			if (*errstr == NULL)
				*errstr = "invalid UTF-8 in query";
			*st = ST_BAD_REQUEST;
			return -1;
		}
	}
	return 0;
}

int
gemini_header(struct buf *b, const struct reply *r)
{
	const char	*meta = r->meta;

	/* META is never empty for 20 (spec: a MIME type); keep one line */
	if (r->status == ST_OK && meta[0] == '\0')
		meta = "application/octet-stream";
	if (buf_printf(b, "%d ", status_gemini(r->status)) == -1)
		return -1;
	if (utf8_sanitize_line(b, meta, strlen(meta)) == -1)
		return -1;
	return buf_append(b, "\r\n", 2);
}

static void
gemini_write(void *arg, const struct request *req, const struct reply *rep,
    struct buf *out)
{
	(void)arg;
	(void)req;
	gemini_header(out, rep);
	/* a body only after 20 (spec: "Status codes") */
	if (rep->status == ST_OK && rep->kind != REPLY_FILE)
		buf_append(out, rep->body.data, rep->body.len);
}

static void
gemini_handle(void *arg, const char *line, size_t len, int how,
    struct request *req, struct reply *rep, struct buf *out)
{
	struct gemini_front	*g = arg;
	enum status		 st;
	const char		*errstr;

	if (how == CONN_REQ_TOO_LONG)
		reply_status(rep, ST_BAD_REQUEST, "request too long");
	else if (how == CONN_REQ_NO_CRLF)
		reply_status(rep, ST_BAD_REQUEST,
		    "request line must end with CRLF");
	else if (gemini_parse(line, len, &g->host, req, &st, &errstr) == -1)
		reply_status(rep, st, "%s", errstr);
	else {
		serve(g->sv, req, rep, out, gemini_write, g);
		return;
	}
	gemini_write(g, req, rep, out);
}

static void
gemini_timeout(void *arg, struct buf *out)
{
	(void)arg;
	buf_puts(out, "59 request timeout\r\n");
}

/* 44: the meta is the seconds to wait (spec: "Status codes") */
static void
gemini_slow_down(void *arg, int seconds, struct reply *rep, struct buf *out)
{
	reply_status(rep, ST_SLOW_DOWN, "%d", seconds);
	gemini_write(arg, NULL, rep, out);
}
