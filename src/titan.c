/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * titan.c: Titan uploads and the author's publish page, on a Gemini
 * listener (conn.c's upload hooks). Titan is Gemini's sister protocol
 * for writing: the request is "titan://host/path;size=N;mime=M;
 * token=T" and CRLF, then N bytes, and the reply an ordinary Gemini
 * header. size is required, mime is text/gemini unless given, token
 * is a password the server may ask for; size=0 removes.
 *
 * Everything that can refuse an upload is checked on its line, before
 * a byte of the body is read: the URL (59), the client's certificate
 * (60 none, 62 out of its dates), its author and token (61), the path
 * (59 outside a category, hidden, reserved, a bad name), the author's
 * categories (61) and the size (50). So only an author's connection
 * ever gets to send a body. The body goes whole to the master in a
 * sealed memfd (the worker may not write the tree); the master checks
 * again, writes it and answers, and the connection waits (CONN_WAIT)
 * for that answer, which finds it by its number.
 *
 * A reading request never looks at the certificate: begin() passes
 * every line but titan:// ones and /publish to handle().
 */

#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "authors.h"
#include "buf.h"
#include "config.h"
#include "conn.h"
#include "gemini.h"
#include "label.h"
#include "log.h"
#include "mime.h"
#include "msg.h"
#include "path.h"
#include "proto.h"
#include "render.h"
#include "scheme.h"
#include "serve.h"
#include "site.h"
#include "titan.h"
#include "utf8.h"

#define TITAN_SIZE_DIGITS	12	/* a size: at most this many */
#define TITAN_PUBLISH_LIST	20	/* articles listed per category */

static int	titan_begin(void *, struct conn *, const char *, size_t,
		    struct request *, struct reply *, struct buf *, size_t *,
		    void **);
static int	titan_body(void *, struct conn *, void *, const char *,
		    size_t, struct reply *, struct buf *);
static void	titan_end(void *, void *);

const struct conn_upload titan_upload = {
	titan_begin, titan_body, titan_end
};

/* one ";key=value" into p: -1 and why not */
static int
param(const char *k, size_t klen, const char *v, size_t vlen,
    struct titan_params *p, const char **errstr)
{
	size_t	 i;

	if (klen == 4 && memcmp(k, "size", 4) == 0) {
		if (p->size != -1 || vlen == 0 || vlen > TITAN_SIZE_DIGITS) {
			*errstr = "bad size parameter";
			return -1;
		}
		for (p->size = 0, i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9') {
				*errstr = "bad size parameter";
				return -1;
			}
			p->size = p->size * 10 + (v[i] - '0');
		}
	} else if (klen == 4 && memcmp(k, "mime", 4) == 0) {
		if (path_decode(v, vlen, p->mime, sizeof(p->mime), errstr) ==
		    -1 || strchr(p->mime, '/') == NULL) {
			*errstr = "bad mime parameter";
			return -1;
		}
	} else if (klen == 5 && memcmp(k, "token", 5) == 0) {
		if (path_decode(v, vlen, p->token, sizeof(p->token), errstr)
		    == -1) {
			*errstr = "bad token parameter";
			return -1;
		}
		p->has_token = 1;
	}
	/* the specification names no other: any other is ignored */
	return 0;
}

int
titan_parse(const char *line, size_t len, const struct gemini_host *h,
    struct request *req, struct titan_params *p, enum status *st,
    const char **errstr)
{
	char		 url[GEMINI_URL_MAX + 2];
	const char	*semi, *end = line + len, *k, *eq, *v;

	memset(p, 0, sizeof(*p));
	p->size = -1;
	*st = ST_BAD_REQUEST;
	if (len < 8 || len > GEMINI_URL_MAX ||
	    strncasecmp(line, "titan://", 8) != 0) {
		*errstr = "not a Titan request";
		return -1;
	}
	if (memchr(line, '?', len) != NULL) {
		*errstr = "a Titan URL has parameters, not a query";
		return -1;
	}
	/* the URL without its parameters is a Gemini one */
	if ((semi = memchr(line + 8, ';', len - 8)) == NULL)
		semi = end;
	snprintf(url, sizeof(url), "gemini%.*s", (int)(semi - line - 5),
	    line + 5);
	if (gemini_parse(url, strlen(url), h, req, st, errstr) == -1)
		return -1;
	for (k = semi; k < end; k = v) {
		k++;
		if ((v = memchr(k, ';', (size_t)(end - k))) == NULL)
			v = end;
		if ((eq = memchr(k, '=', (size_t)(v - k))) == NULL) {
			*errstr = "a parameter without '='";
			return -1;
		}
		if (param(k, (size_t)(eq - k), eq + 1, (size_t)(v - eq - 1),
		    p, errstr) == -1)
			return -1;
	}
	if (p->size == -1) {
		*errstr = "no size parameter";
		return -1;
	}
	return 0;
}

/* A folder's or file's name an upload may make */
static int
good_name(const char *s, size_t len)
{
	return len <= TITAN_NAME_MAX && path_safe_name(s, len);
}

static const struct {
	const char	*mime;
	const char	*ext;
	int		 fmt;
} formats[] = {
	{ "text/gemini",	"gmi",	FMT_GMI },
	{ "text/markdown",	"md",	FMT_MD },
	{ "text/plain",		"txt",	FMT_TXT },
	{ "text/html",		"html",	FMT_HTML },
};

/* the format a MIME type names ("text/markdown; charset=utf-8") */
static int
mime_format(const char *mime)
{
	size_t	 i, n = strcspn(mime, "; ");

	if (n == 0)
		return 0;		/* none: text/gemini (the spec) */
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strlen(formats[i].mime) == n &&
		    strncasecmp(mime, formats[i].mime, n) == 0)
			return (int)i;
	return -1;
}

int
titan_target(const char *path, const char *mime, struct titan_target *t,
    const char **errstr)
{
	const char	*p, *seg, *last, *dot;
	char		 part[TITAN_NAME_MAX + 1];
	size_t		 n;
	int		 depth = 0, f;

	memset(t, 0, sizeof(*t));
	*errstr = NULL;
	if (path[0] != '/' || path[strlen(path) - 1] == '/' ||
	    (last = strrchr(path, '/')) == path) {
		*errstr = "an upload goes into a category: /<category>/<name>";
		return -1;
	}
	if (path_hidden(path)) {
		*errstr = "a hidden name";
		return -1;
	}
	memcpy(t->dir, path + 1, (size_t)(last - path - 1));
	t->dir[last - path - 1] = '\0';
	for (seg = path + 1; seg < last; seg = p + 1, depth++) {
		p = strchr(seg, '/');
		n = (size_t)(p - seg);
		if (!good_name(seg, n) || depth >= SITE_DEPTH_MAX) {
			*errstr = "a folder's name must be ASCII letters, "
			    "digits, '-', '_' and '.'";
			return -1;
		}
		snprintf(part, sizeof(part), "%.*s", (int)n, seg);
		if (scheme_reserved(part, depth)) {
			*errstr = "a reserved name";
			return -1;
		}
	}
	last++;
	if (!good_name(last, strlen(last))) {
		*errstr = "a bad name: ASCII letters, digits, '-', '_' and "
		    "'.', 200 bytes at most";
		return -1;
	}
	if (scheme_reserved(last, depth) || strncmp(last, "index.", 6) == 0 ||
	    strcmp(last, "index") == 0) {
		*errstr = "a reserved name";
		return -1;
	}
	dot = strrchr(last, '.');
	t->slug = dot != NULL ? (size_t)(dot - last) : strlen(last);
	if ((f = article_fmt(last)) != -1) {
		t->kind = TITAN_ARTICLE;
		t->fmt = f;
		snprintf(t->name, sizeof(t->name), "%s", last);
	} else if (dot != NULL && mime_by_ext(last) != NULL) {
		t->kind = TITAN_FILE;
		snprintf(t->name, sizeof(t->name), "%s", last);
	} else {
		/* a slug: the format is the MIME type's */
		if ((f = mime_format(mime)) == -1) {
			*errstr = "not a type bantin publishes as an "
			    "article (text/gemini, text/markdown, "
			    "text/plain, text/html); a file needs its "
			    "extension";
			return -1;
		}
		t->kind = TITAN_ARTICLE;
		t->fmt = formats[f].fmt;
		t->slug = strlen(last);
		snprintf(t->name, sizeof(t->name), "%s.%s", last,
		    formats[f].ext);
	}
	if (t->kind == TITAN_ARTICLE && t->slug == 0) {
		*errstr = "an article needs a name";
		return -1;
	}
	/* an article is served without its extension */
	if (snprintf(t->path, sizeof(t->path), "/%s/%.*s", t->dir,
	    t->kind == TITAN_ARTICLE ? (int)t->slug : (int)strlen(t->name),
	    t->name) >= (int)sizeof(t->path)) {
		*errstr = "too long a path";
		return -1;
	}
	return 0;
}

int
titan_category(const struct site *s, const struct titan_target *t,
    char *cat, size_t len)
{
	char	 p[REQ_PATH_MAX + 3], *slash;

	snprintf(p, sizeof(p), "/%s/", t->dir);
	for (;;) {
		if (site_find(s, p, NULL) == SITE_CATEGORY) {
			snprintf(cat, len, "%.*s", (int)strlen(p) - 2, p + 1);
			return 0;
		}
		/* an article's folder is its category; a file may be in
		 * a folder below one */
		if (t->kind == TITAN_ARTICLE || strlen(p) <= 1)
			return -1;
		p[strlen(p) - 1] = '\0';
		if ((slash = strrchr(p, '/')) == NULL)
			return -1;
		slash[1] = '\0';
	}
}

/* What an author's connection is, once checked */
struct who {
	const struct author	*author;
	struct tls_peer		 cert;
};

/* The client's certificate and its author, or a 60/61/62 in rep. */
static int
identify(struct titan *ti, struct conn *c, struct who *w, struct reply *rep)
{
	char	 hex[2 * AUTHORS_FP_LEN + 1];
	time_t	 now = time(NULL);

	if (conn_cert(c, &w->cert) == -1) {
		reply_status(rep, ST_CERT_REQUIRED, "A client certificate "
		    "is required to publish");
		return -1;
	}
	if (now < w->cert.not_before || now > w->cert.not_after) {
		reply_status(rep, ST_CERT_INVALID, "This certificate is %s",
		    now < w->cert.not_before ? "not valid yet" : "expired");
		return -1;
	}
	if ((w->author = authors_find(ti->authors, w->cert.sha256)) == NULL) {
		authors_hex(w->cert.sha256, hex);
		reply_status(rep, ST_CERT_REFUSED, "This certificate is no "
		    "author's (SHA-256 %s)", hex);
		return -1;
	}
	return 0;
}

/* the token, when one is asked for: compared in constant time */
static int
token_ok(const struct titan *ti, const struct titan_params *p)
{
	const char	*want = ti->conf->titan_token;
	size_t		 i, n = strlen(want);
	unsigned char	 d = 0;

	if (n == 0)
		return 1;
	if (!p->has_token || strlen(p->token) != n)
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(want[i] ^ p->token[i]);
	return d == 0;
}

/* Everything about an upload that its line can tell: 0, or -1 with
 * the refusal in rep. */
static int
check_upload(struct gemini_front *g, struct conn *c, const char *line,
    size_t len, struct request *req, struct reply *rep, struct titan_put *put)
{
	struct titan		*ti = g->titan;
	const struct site	*site = g->sv->rctx.site;
	struct titan_params	 p;
	struct titan_target	 t;
	struct who		 w;
	enum status		 st;
	const char		*errstr;
	char			 cat[REQ_PATH_MAX + 1];
	long long		 max;

	if (titan_parse(line, len, &g->host, req, &p, &st, &errstr) == -1) {
		reply_status(rep, st, "%s", errstr);
		return -1;
	}
	if (identify(ti, c, &w, rep) == -1)
		return -1;
	if (!token_ok(ti, &p)) {
		reply_status(rep, ST_CERT_REFUSED, "%s token",
		    p.has_token ? "Wrong" : "No");
		return -1;
	}
	if (titan_target(req->path, p.mime, &t, &errstr) == -1) {
		reply_status(rep, ST_BAD_REQUEST, "%s", errstr);
		return -1;
	}
	if (titan_category(site, &t, cat, sizeof(cat)) == -1) {
		reply_status(rep, ST_BAD_REQUEST, "No category /%s/", t.dir);
		return -1;
	}
	if (!authors_may(w.author, cat)) {
		reply_status(rep, ST_CERT_REFUSED, "%s may not write in /%s/",
		    w.author->name, cat);
		return -1;
	}
	max = t.kind == TITAN_ARTICLE ? ti->conf->titan_max_size :
	    ti->conf->titan_max_file_size;
	if (p.size > max) {
		reply_status(rep, ST_PERM_FAIL, "Too large: %lld bytes, at "
		    "most %lld", p.size, max);
		return -1;
	}
	memset(put, 0, sizeof(*put));
	put->id = conn_id(c);
	memcpy(put->fp, w.cert.sha256, sizeof(put->fp));
	snprintf(put->path, sizeof(put->path), "%s", req->path);
	snprintf(put->mime, sizeof(put->mime), "%s", p.mime);
	put->size = p.size;
	return 0;
}

/* "gemini://host[:port]" + path, for links and redirects */
static void
origin(struct buf *b, const struct gemini_host *h, const char *scheme)
{
	buf_printf(b, "%s://%s", scheme, h->hostname);
	if (h->port != GEMINI_PORT)
		buf_printf(b, ":%d", h->port);
}

/* The label l of the site's language, or [labels]'s */
static const char *
label(const struct gemini_front *g, enum label l)
{
	return render_label(&g->sv->rctx, l);
}

/* the name a new article's link suggests, after the date: an author
 * renames it, and one who does not gets a slug in the site's language */
static const char *
new_slug(const struct gemini_front *g)
{
	const char	*lang = g->sv->rctx.lang;

	return lang != NULL && strcmp(lang, "vi") == 0 ? "bai-moi" :
	    "new-article";
}

static void
publish_category(struct buf *b, const struct gemini_front *g,
    const struct site *s, const struct author *a, const struct category *c,
    const char *today)
{
	const struct article	*art;
	time_t			 t;
	size_t			 i;
	char			 date[16];

	if (authors_may(a, c->path + 1) || (strlen(c->path) > 2 &&
	    authors_may(a, c->name))) {
		buf_printf(b, "\n## %s (%s)\n\n=> ", c->title, c->path);
		origin(b, &g->host, "titan");
		buf_printf(b, "%s%s-%s %s\n", c->path, today, new_slug(g),
		    label(g, L_NEW_ARTICLE));
		for (i = 0; i < c->narticles && i < TITAN_PUBLISH_LIST; i++) {
			art = &s->articles[c->arts[i]];
			t = (time_t)art->date;
			strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&t));
			buf_puts(b, "=> ");
			origin(b, &g->host, "titan");
			buf_printf(b, "%s %s %s %s\n",
			    site_article_path(s, art), label(g, L_REPLACE),
			    date, site_article_title(s, art));
		}
	}
	for (i = 0; i < c->nchildren; i++)
		publish_category(b, g, s, a, c->children[i], today);
}

/* /publish?<path>: what the site made of an upload, and its warnings */
static void
publish_result(struct buf *b, const struct gemini_front *g, const char *path)
{
	const struct site	*s = g->sv->rctx.site;
	struct site_node	 n;
	const char		*w, *nl;
	size_t			 len = strlen(path + 1);
	int			 nw = 0;

	buf_printf(b, "\n## %s\n\n", path);
	if (site_find(s, path, &n) == SITE_ARTICLE) {
		buf_puts(b, "=> ");
		origin(b, &g->host, "gemini");
		buf_printf(b, "%s %s: %s\n", path, label(g, L_PUBLISHED),
		    site_article_title(s, n.art));
	} else
		buf_printf(b, "%s\n", label(g, L_NOT_ON_SITE));
	for (w = s->warnings.data; w != NULL && *w != '\0'; w = nl + 1) {
		if ((nl = strchr(w, '\n')) == NULL)
			break;
		if (len > 0 && strncmp(w, path + 1, len) == 0 &&
		    (w[len] == '.' || w[len] == ':')) {
			if (nw++ == 0)
				buf_printf(b, "\n%s:\n", label(g, L_WARNINGS));
			buf_printf(b, "* %.*s\n", (int)(nl - w), w);
		}
	}
}

/* gemini://host/publish: the author's categories, with titan:// links
 * to a new article and to each of the newest ones */
static void
publish_page(struct gemini_front *g, struct conn *c,
    const struct request *req, struct reply *rep, struct buf *out)
{
	const struct site	*s = g->sv->rctx.site;
	struct buf		 b = BUF_INIT;
	struct who		 w;
	struct tm		 tm;
	time_t			 now = time(NULL);
	char			 today[16];
	size_t			 i;

	if (identify(g->titan, c, &w, rep) == -1) {
		gemini_header(out, rep);
		return;
	}
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	buf_printf(&b, "# %s\n\n%s %s.\n\n%s\n", label(g, L_PUBLISH),
	    label(g, L_SIGNED_IN), w.author->name, label(g, L_PUBLISH_HELP));
	if (req->has_query && req->query[0] == '/')
		publish_result(&b, g, req->query);
	for (i = 0; i < s->ncats; i++)
		publish_category(&b, g, s, w.author, s->cats[i], today);
	/* back to the site, to see the article as readers do */
	buf_puts(&b, "\n=> ");
	origin(&b, &g->host, "gemini");
	buf_printf(&b, "/ %s\n", label(g, L_HOME));
	rep->status = ST_OK;
	rep->kind = REPLY_DOCUMENT;
	render_meta(&g->sv->rctx, rep->meta, sizeof(rep->meta));
	if (gemini_header(out, rep) == -1 ||
	    buf_append(out, b.data, b.len) == -1)
		log_warnx("publish page: out of memory");
	buf_free(&b);
}

static int
titan_begin(void *arg, struct conn *c, const char *line, size_t len,
    struct request *req, struct reply *rep, struct buf *out, size_t *size,
    void **ctx)
{
	struct gemini_front	*g = arg;
	struct titan_put	*put;
	enum status		 st;
	const char		*errstr;

	if (len >= 8 && strncasecmp(line, "titan://", 8) == 0) {
		if ((put = malloc(sizeof(*put))) == NULL) {
			reply_status(rep, ST_TEMP_FAIL, "Out of memory");
			gemini_header(out, rep);
			return CONN_ANSWERED;
		}
		if (check_upload(g, c, line, len, req, rep, put) == -1) {
			free(put);
			gemini_header(out, rep);
			return CONN_ANSWERED;
		}
		*size = (size_t)put->size;
		*ctx = put;
		return CONN_BODY;
	}
	/* the publish page; any other request is handle()'s */
	if (memmem(line, len, "/publish", 8) == NULL ||
	    gemini_parse(line, len, &g->host, req, &st, &errstr) == -1 ||
	    strcmp(req->path, "/publish") != 0)
		return CONN_LINE;
	publish_page(g, c, req, rep, out);
	return CONN_ANSWERED;
}

/* The body in a sealed memfd: the master reads what was sent, and
 * nothing this process does after can change it. */
static int
body_fd(const char *data, size_t len)
{
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = memfd_create("bantin-titan", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return -1;
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
titan_body(void *arg, struct conn *c, void *ctx, const char *data,
    size_t len, struct reply *rep, struct buf *out)
{
	struct gemini_front	*g = arg;
	struct titan_put	*put = ctx;
	int			 fd = -1, r;

	(void)c;
	if (g->titan->chan == -1 || (len > 0 && (fd = body_fd(data, len)) ==
	    -1)) {
		log_warn("titan: %s", put->path);
		reply_status(rep, ST_TEMP_FAIL, "Cannot publish now");
		gemini_header(out, rep);
		return CONN_ANSWERED;
	}
	r = msg_send(g->titan->chan, TITAN_MSG_PUT, put, sizeof(*put), &fd,
	    fd != -1 ? 1 : 0);
	if (fd != -1)
		close(fd);
	if (r == -1) {
		log_warn("titan: to the master");
		reply_status(rep, ST_TEMP_FAIL, "Cannot publish now");
		gemini_header(out, rep);
		return CONN_ANSWERED;
	}
	return CONN_WAIT;
}

static void
titan_end(void *arg, void *ctx)
{
	(void)arg;
	free(ctx);
}

void
titan_answer(struct titan *ti, const void *msg, size_t len)
{
	struct titan_done	 d;
	struct buf		 b = BUF_INIT;

	if (len != sizeof(d))
		return;
	memcpy(&d, msg, sizeof(d));
	d.meta[sizeof(d.meta) - 1] = '\0';
	if (buf_printf(&b, "%d ", d.status) == 0 &&
	    utf8_sanitize_line(&b, d.meta, strlen(d.meta)) == 0 &&
	    buf_append(&b, "\r\n", 2) == 0)
		(void)conn_answer(ti->conns, d.id, b.data, b.len, d.status);
	buf_free(&b);
}
