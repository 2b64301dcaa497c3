/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_gopher.c: the Gopher front end without sockets: request lines
 * (paths, search strings, Gopher+ markers, HTTP, every way to encode a
 * traversal), gemtext -> menu and -> text (fields, widths in display
 * columns for Vietnamese, dot-doubling, references), ASCII mode,
 * caps.txt, errors, the reply dispatch and the glue conn.c drives.
 * Most cases use no site, so item types come from the path's shape
 * (see kind_type); a stand-in for route_kind then checks that what the
 * site says wins. serve() is a stand-in too: this test links the
 * Gopher front end alone, not the content core.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "gopher.h"
#include "proto.h"
#include "scheme.h"
#include "serve.h"
#include "utf8.h"
#include "t.h"

static const struct gopher_ctx	 vi_ctx = {
	NULL, NULL, "example.org", 7070, 0, "vi", "Bản tin Huyện"
};
static const struct gopher_ctx	 en_ctx = {
	NULL, NULL, "example.org", 70, 0, "en", "District news"
};
static const struct gopher_ctx	 ascii_ctx = {
	NULL, NULL, "example.org", 7070, 1, "vi", "Bản tin Huyện"
};

/* serve() as the glue sees it: the last request it was given, and a
 * canned reply (a one-line menu page, or a file for probes) */
static struct request	 served;
static int		 nserved;

void
serve(struct serve *sv, const struct request *req, struct reply *rep,
    struct buf *out, serve_write_fn *write, void *arg)
{
	(void)sv;
	served = *req;
	nserved++;
	rep->status = ST_OK;
	if (strcmp(req->path, "/file") == 0) {
		rep->kind = REPLY_FILE;
		rep->fd = dup(0);
		rep->size = 0;
		snprintf(rep->meta, sizeof(rep->meta), "application/pdf");
	} else {
		rep->kind = REPLY_MENU;
		buf_puts(&rep->body, "served\n");
	}
	write(arg, req, rep, out);
}

static void
test_parse(void)
{
	static const struct {
		const char	*line;
		size_t		 len;		/* 0: strlen */
		int		 ret;
		const char	*path;
		const char	*query;
		int		 has_query;
		int		 probe;
	} cases[] = {
		{ "", 0, 0, "/", "", 0, 0 },
		{ "/", 0, 0, "/", "", 0, 0 },
		{ "thoi-su/", 0, 0, "/thoi-su/", "", 0, 0 },
		{ "/thoi-su/", 0, 0, "/thoi-su/", "", 0, 0 },
		{ "thoi-su/2020-05-21-chi-bo", 0, 0,
		  "/thoi-su/2020-05-21-chi-bo", "", 0, 0 },
		{ "/tin-tức/bài-1", 0, 0, "/tin-tức/bài-1", "", 0, 0 },
		{ "/a/./b/../c", 0, 0, "/a/c", "", 0, 0 },
		{ "/search\tđại hội", 0, 0, "/search", "đại hội", 1, 0 },
		{ "/search\t100%25 dân", 0, 0, "/search", "100%25 dân", 1,
		  0 },
		{ "/search\t", 0, 0, "/search", "", 0, 0 },
		{ "/search?dai%20hoi", 0, 0, "/search", "dai hoi", 1, 0 },
		{ "search?%C4%91%E1%BA%A1i+h%E1%BB%99i", 0, 0, "/search",
		  "đại+hội", 1, 0 },
		{ "/\t$", 0, 0, "/", "", 0, GOPHER_PROBE_ATTR },
		{ "/thoi-su/\t!", 0, 0, "/thoi-su/", "", 0,
		  GOPHER_PROBE_ATTR },
		{ "/\t!+ABSTRACT", 0, 0, "/", "", 0, GOPHER_PROBE_ATTR },
		{ "/\t+", 0, 0, "/", "", 0, GOPHER_PROBE_DATA },
		{ "\t+", 0, 0, "/", "", 0, GOPHER_PROBE_DATA },
		{ "/a\t+text/plain", 0, 0, "/a", "", 0, GOPHER_PROBE_DATA },
		{ "/search\tdai hoi\t+", 0, 0, "/search", "dai hoi", 1,
		  GOPHER_PROBE_DATA },
		{ "/search\t$5", 0, 0, "/search", "$5", 1, 0 },
		/* a query may begin with a Gopher+ marker's character */
		{ "/search\t+84 giao thong", 0, 0, "/search", "+84 giao thong",
		  1, 0 },
		{ "search\t!quan trong", 0, 0, "/search", "!quan trong", 1, 0 },
		{ "/search/\t$+x", 0, 0, "/search/", "$+x", 1, 0 },
		{ "/search\t+", 0, 0, "/search", "", 0, GOPHER_PROBE_DATA },
		{ "/search\t!+", 0, 0, "/search", "", 0, GOPHER_PROBE_ATTR },
		{ "/searching\t+x", 0, 0, "/searching", "", 0,
		  GOPHER_PROBE_DATA },
		{ "GET / HTTP/1.1", 0, 1, "", "", 0, 0 },
		{ "POST /form HTTP/1.0", 0, 1, "", "", 0, 0 },
		{ "HEAD / HTTP/1.0", 0, 1, "", "", 0, 0 },
		{ "URL:https://example.com/a?b=c", 0, 2, "/", "", 0, 0 },
		{ "URL:javascript:alert(1)", 0, -1, "", "", 0, 0 },
		{ "/a\0b", 4, -1, "", "", 0, 0 },
		{ "/\xff", 0, -1, "", "", 0, 0 },
		{ "/tin\xc3", 0, -1, "", "", 0, 0 },
		{ "/\xed\xa0\x80", 0, -1, "", "", 0, 0 },	/* surrogate */
		{ "/a\rb", 0, -1, "", "", 0, 0 },
		{ "/a\x1b[2J", 0, -1, "", "", 0, 0 },
		{ "/a\xc2\x85", 0, -1, "", "", 0, 0 },		/* C1 NEL */
		{ "/a%0ab", 0, -1, "", "", 0, 0 },
		{ "/a%00", 0, -1, "", "", 0, 0 },
		{ "/x?%zz", 0, -1, "", "", 0, 0 },
		{ "/x?a%00", 0, -1, "", "", 0, 0 },
		{ "/x?%ff", 0, -1, "", "", 0, 0 },
		/* traversal, plain and encoded */
		{ "..", 0, -1, "", "", 0, 0 },
		{ "../etc/passwd", 0, -1, "", "", 0, 0 },
		{ "/../etc/passwd", 0, -1, "", "", 0, 0 },
		{ "/thoi-su/../../etc", 0, -1, "", "", 0, 0 },
		{ "/%2e%2e/etc", 0, -1, "", "", 0, 0 },
		{ "/%2E%2E/", 0, -1, "", "", 0, 0 },
		{ "/.%2e/", 0, -1, "", "", 0, 0 },
		{ "/a/%2e%2e/%2e%2e/b", 0, -1, "", "", 0, 0 },
		{ "/..%2fetc", 0, -1, "", "", 0, 0 },
		{ "/a%2F..%2F..%2Fb", 0, -1, "", "", 0, 0 },
		{ "/%252e%252e/etc", 0, -1, "", "", 0, 0 },
		{ "/a%252fb", 0, -1, "", "", 0, 0 },
		{ "/%c0%ae%c0%ae/etc", 0, -1, "", "", 0, 0 },
		{ "/%e0%80%ae%e0%80%ae/", 0, -1, "", "", 0, 0 },
		{ "/\xc0\xae\xc0\xae/", 0, -1, "", "", 0, 0 },
		{ "/search\t../..", 0, 0, "/search", "../..", 1, 0 },
	};
	struct request	 req;
	const char	*errstr;
	char		 big[GOPHER_SELECTOR_MAX + 2];
	size_t		 i, len;
	int		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].line);
		errstr = NULL;
		r = gopher_parse(cases[i].line, len, &req, &errstr);
		if (r != cases[i].ret)
			fprintf(stderr, "case %zu [%s]: %s\n", i,
			    cases[i].line, errstr ? errstr : "");
		CHECK_INT(r, cases[i].ret);
		if (r == -1 || r == 1) {
			CHECK(errstr != NULL);
			continue;
		}
		CHECK_STR(req.path, cases[i].path);
		CHECK_STR(req.query, cases[i].query);
		CHECK_INT(req.has_query, cases[i].has_query);
		CHECK_INT(req.probe, cases[i].probe);
		CHECK_INT(req.proto, PROTO_GOPHER);
	}

	/* GOPHER_SELECTOR_MAX bytes pass, one more does not */
	memset(big, 'a', sizeof(big));
	memcpy(big, "/search\t", 8);
	CHECK_INT(gopher_parse(big, GOPHER_SELECTOR_MAX, &req, &errstr), 0);
	CHECK_STR(req.path, "/search");
	CHECK_INT(strlen(req.query), GOPHER_SELECTOR_MAX - 8);
	CHECK_INT(gopher_parse(big, GOPHER_SELECTOR_MAX + 1, &req, &errstr),
	    -1);
	CHECK_STR(errstr, "request too long");
}

/* Every line of a menu: "T...\t...\t...\tport\r\n", then ".\r\n". */
static void
check_menu_shape(const char *m)
{
	const char	*p = m, *nl, *t;
	int		 tabs, lines = 0;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	while (*p != '\0') {
		nl = strstr(p, "\r\n");
		CHECK(nl != NULL);
		if (nl == NULL)
			return;
		if (nl == p + 1 && *p == '.') {
			CHECK_STR(nl + 2, "");		/* the end */
			return;
		}
		for (tabs = 0, t = p; t < nl; t++) {
			if (*t == '\t')
				tabs++;
			CHECK(*t != '\r' && *t != '\n');
		}
		CHECK_INT(tabs, 3);
		/* the port field is a number */
		for (t = nl; t > p && t[-1] != '\t'; t--)
			CHECK(t[-1] >= '0' && t[-1] <= '9');
		CHECK(t < nl);
		lines++;
		p = nl + 2;
	}
	CHECK(0 && "menu without its final .");
}

/* display width of every line of a text, without CRLF, up to the "." */
static size_t
max_width(const char *s, const char *stop)
{
	const char	*p = s, *nl;
	size_t		 w, max = 0;

	while ((nl = strstr(p, "\r\n")) != NULL) {
		if (stop != NULL && strncmp(p, stop, strlen(stop)) == 0)
			break;
		w = utf8_width(p, (size_t)(nl - p));
		if (w > max)
			max = w;
		p = nl + 2;
	}
	return max;
}

static int
all_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void
test_menu_types(void)
{
	static const struct {
		const char	*link;
		const char	*want;
	} cases[] = {
		{ "=> /thoi-su/ Thời sự",
		  "1Thời sự\t/thoi-su/\texample.org\t7070\r\n" },
		{ "=> thoi-su/page/2/ Trang sau",
		  "1Trang sau\t/thoi-su/page/2/\texample.org\t7070\r\n" },
		{ "=> /thoi-su/2020-05-21-chi-bo 2020-05-21 Chi bộ đại hội",
		  "02020-05-21 Chi bộ đại hội\t/thoi-su/2020-05-21-chi-bo\t"
		  "example.org\t7070\r\n" },
		{ "=> /search Tìm kiếm",
		  "7Tìm kiếm\t/search\texample.org\t7070\r\n" },
		{ "=> /search?dai%20hoi&page=2 Trang 2",
		  "1Trang 2\t/search?dai%20hoi&page=2\texample.org\t7070\r\n" },
		{ "=> /stats Thống kê",
		  "1Thống kê\t/stats\texample.org\t7070\r\n" },
		{ "=> /date/2020/ 2020",
		  "12020\t/date/2020/\texample.org\t7070\r\n" },
		{ "=> /atom.xml Nguồn tin Atom",
		  "9Nguồn tin Atom\t/atom.xml\texample.org\t7070\r\n" },
		{ "=> /thoi-su/anh/hoi-nghi.jpg Ảnh",
		  "IẢnh\t/thoi-su/anh/hoi-nghi.jpg\texample.org\t7070\r\n" },
		{ "=> /a/b.GIF gif",
		  "ggif\t/a/b.GIF\texample.org\t7070\r\n" },
		{ "=> /a/b.mp3 Bản tin phát thanh",
		  "sBản tin phát thanh\t/a/b.mp3\texample.org\t7070\r\n" },
		{ "=> /a/b.txt Văn bản",
		  "0Văn bản\t/a/b.txt\texample.org\t7070\r\n" },
		{ "=> /a/b.pdf Nghị quyết",
		  "9Nghị quyết\t/a/b.pdf\texample.org\t7070\r\n" },
		{ "=> /a/b.zip",
		  "9/a/b.zip\t/a/b.zip\texample.org\t7070\r\n" },
		{ "=> /gioi-thieu.gmi Giới thiệu",
		  "0Giới thiệu\t/gioi-thieu.gmi\texample.org\t7070\r\n" },
		{ "=> https://example.com/x?a=1 Web",
		  "hWeb\tURL:https://example.com/x?a=1\texample.org\t"
		  "7070\r\n" },
		{ "=> gemini://other.org/ Gemini",
		  "hGemini\tURL:gemini://other.org/\texample.org\t7070\r\n" },
		{ "=> //other.org/x Gemini",
		  "hGemini\tURL:gemini://other.org/x\texample.org\t7070\r\n" },
		{ "=> mailto:toa-soan@example.org Thư",
		  "hThư\tURL:mailto:toa-soan@example.org\texample.org\t"
		  "7070\r\n" },
		{ "=> gopher://other.org/1/phlog Phlog",
		  "1Phlog\t/phlog\tother.org\t70\r\n" },
		{ "=> gopher://other.org:7071/0/a%20b.txt Text",
		  "0Text\t/a b.txt\tother.org\t7071\r\n" },
		{ "=> gopher://other.org",
		  "1gopher://other.org\t\tother.org\t70\r\n" },
		{ "=> gopher://other.org/7/v2/vs%09x Search",
		  "hSearch\tURL:gopher://other.org/7/v2/vs%09x\texample.org\t"
		  "7070\r\n" },
		/* a field or line cannot be created from a label or URL */
		{ "=> /x a\tb\rc\x01" "d",
		  "0a b c d\t/x\texample.org\t7070\r\n" },
		{ "=> /x\x01y\x7f z",
		  "0z\t/x%01y%7F\texample.org\t7070\r\n" },
	};
	struct buf	 b = BUF_INIT, want = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_reset(&want);
		CHECK_INT(gopher_menu(&b, &vi_ctx, cases[i].link,
		    strlen(cases[i].link)), 0);
		buf_printf(&want, "%s.\r\n", cases[i].want);
		CHECK_STR(b.data, want.data);
		check_menu_shape(b.data);
	}
	buf_free(&b);
	buf_free(&want);
}

/* A stand-in for route_kind: what "the site" knows of a few paths. */
static int
fake_kind(const struct site *site, const char *url, const char **mime)
{
	(void)site;
	*mime = NULL;
	if (strcmp(url, "/thoi-su") == 0 || strcmp(url, "/x/page/2/") == 0)
		return SCHEME_MENU;
	if (strcmp(url, "/thoi-su/bai") == 0 || strcmp(url, "/lien-he.txt") == 0)
		return SCHEME_DOCUMENT;
	if (strcmp(url, "/anh/a.jpg") == 0) {
		*mime = "image/jpeg";
		return SCHEME_FILE;
	}
	if (strcmp(url, "/bao-cao") == 0) {
		*mime = "application/pdf";
		return SCHEME_FILE;
	}
	if (strcmp(url, "/search") == 0 || strncmp(url, "/search?", 8) == 0)
		return SCHEME_SEARCH;
	return SCHEME_UNKNOWN;
}

/* Item types: what the site says wins; the path scheme's names and the
 * path's shape decide the rest. */
static void
test_site_types(void)
{
	static const struct {
		const char	*url;
		char		 type;
	} cases[] = {
		{ "/thoi-su", '1' },		/* the site: a category */
		{ "/x/page/2/", '1' },
		{ "/thoi-su/bai", '0' },
		{ "/lien-he.txt", '0' },
		{ "/anh/a.jpg", 'I' },
		{ "/bao-cao", '9' },		/* no extension: by MIME */
		{ "/search", '7' },
		{ "/search?dai%20hoi", '1' },	/* results, not the prompt */
		{ "/", '1' },			/* the scheme's names */
		{ "/atom.xml", '9' },		/* a download, not text */
		{ "/thoi-su/atom.xml", '9' },
		{ "/date/2020/05/", '1' },
		{ "/date", '1' },
		{ "/stats", '1' },
		{ "/caps.txt", '0' },
		{ "/khong-co/", '1' },		/* unknown: by the shape */
		{ "/khong-co", '0' },
		{ "/khong-co.pdf", '9' },
		{ "gemini://example.org/thoi-su/", 'h' },
	};
	struct gopher_ctx	 ctx = vi_ctx;
	struct buf		 g = BUF_INIT, b = BUF_INIT;
	size_t			 i;

	ctx.kind = fake_kind;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&g);
		buf_reset(&b);
		buf_printf(&g, "=> %s x\n", cases[i].url);
		CHECK_INT(gopher_menu(&b, &ctx, g.data, g.len), 0);
		if (b.data[0] != cases[i].type)
			fprintf(stderr, "%s: type %c\n", cases[i].url,
			    b.data[0]);
		CHECK_INT(b.data[0], cases[i].type);
		check_menu_shape(b.data);
	}
	buf_free(&g);
	buf_free(&b);
}

/* The glue conn.c drives: bad lines never reach serve(), good ones do,
 * and what goes out is in Gopher's framing. */
static void
test_front(void)
{
	static const struct {
		const char	*line;
		int		 how;
		int		 served;	/* reached serve() */
		int		 status;	/* Gemini-style, for the log */
		const char	*starts;	/* what goes out first */
	} cases[] = {
		{ "/thoi-su/", CONN_REQ_OK, 1, 20, "iserved\t" },
		{ "/thoi-su/\tdai hoi", CONN_REQ_OK, 1, 20, "iserved\t" },
		{ "/x", CONN_REQ_TOO_LONG, 0, 59, "3" },
		{ "/../etc/passwd", CONN_REQ_OK, 0, 59, "3" },
		{ "GET / HTTP/1.1", CONN_REQ_OK, 0, 59, "HTTP/1.0 " },
		{ "URL:https://example.org/", CONN_REQ_OK, 0, 20, "<!DOCTYPE" },
		{ "/file\t!", CONN_REQ_OK, 1, 20, "+-2" },
	};
	struct gopher_front	 g;
	struct request		 req;
	struct reply		 rep;
	struct buf		 out = BUF_INIT;
	size_t			 i;
	int			 before;

	memset(&g, 0, sizeof(g));
	g.ctx = vi_ctx;
	CHECK_STR(gopher_conn_front.name, "gopher");
	CHECK_INT(gopher_conn_front.tls, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&req, 0, sizeof(req));
		reply_init(&rep);
		buf_reset(&out);
		before = nserved;
		gopher_conn_front.handle(&g, cases[i].line,
		    strlen(cases[i].line), cases[i].how, &req, &rep, &out);
		if (nserved - before != cases[i].served ||
		    out.data == NULL || strncmp(out.data, cases[i].starts,
		    strlen(cases[i].starts)) != 0)
			fprintf(stderr, "front %s: [%.40s]\n", cases[i].line,
			    out.data ? out.data : "(null)");
		CHECK_INT(nserved - before, cases[i].served);
		CHECK_INT(status_gemini(rep.status), cases[i].status);
		CHECK(out.data != NULL && strncmp(out.data, cases[i].starts,
		    strlen(cases[i].starts)) == 0);
		/* an attribute probe gets no file: the fd is closed */
		CHECK(rep.kind != REPLY_FILE || rep.fd == -1);
		reply_clear(&rep);
		buf_free(&rep.body);
	}
	CHECK_STR(served.path, "/file");
	buf_reset(&out);
	gopher_conn_front.timeout(&g, &out);
	CHECK(out.data != NULL && out.data[0] == '3');
	/* over the rate: an error item that says how long to wait, in
	 * the site's language, logged as 44 */
	buf_reset(&out);
	reply_init(&rep);
	before = nserved;
	gopher_conn_front.slow_down(&g, 2, &rep, &out);
	CHECK_STR(out.data, "3Quá nhiều yêu cầu, xin thử lại sau 2 giây"
	    "\t\terror.host\t1\r\n.\r\n");
	CHECK_INT(status_gemini(rep.status), 44);
	CHECK_INT(nserved, before);
	g.ctx.lang = "en";
	buf_reset(&out);
	gopher_conn_front.slow_down(&g, 1, &rep, &out);
	CHECK_STR(out.data, "3Too many requests: try again in 1 s"
	    "\t\terror.host\t1\r\n.\r\n");
	buf_free(&out);
}

static void
test_menu(void)
{
	static const char	 page[] =
	    "# Bản tin Huyện\n"
	    "Số lượt truy cập: 31.717.415\n"
	    "\n"
	    "## Chuyên mục\n"
	    "=> /thoi-su/ Thời sự\n"
	    "* một mục\n"
	    "> trích dẫn\n"
	    "```bảng\n"
	    "a\tb\n"
	    "```\n"
	    ".\n";
	static const char	 want[] =
	    "iBản tin Huyện\t\terror.host\t1\r\n"
	    "i=============\t\terror.host\t1\r\n"
	    "iSố lượt truy cập: 31.717.415\t\terror.host\t1\r\n"
	    "i\t\terror.host\t1\r\n"
	    "iChuyên mục\t\terror.host\t1\r\n"
	    "i----------\t\terror.host\t1\r\n"
	    "1Thời sự\t/thoi-su/\texample.org\t7070\r\n"
	    "i  * một mục\t\terror.host\t1\r\n"
	    "i  > trích dẫn\t\terror.host\t1\r\n"
	    "ia       b\t\terror.host\t1\r\n"
	    "i.\t\terror.host\t1\r\n"
	    ".\r\n";
	static const char	 longlabel[] =
	    "=> /thoi-su/x Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ "
	    "mười lăm nhiệm kỳ 2020-2025 bàn về công tác chuẩn bị Đại hội "
	    "Đảng bộ các cấp\n";
	static const char	 para[] =
	    "Sáng ngày 21/5/2020, Chi bộ Khu phố 3 tổ chức Đại hội Chi bộ "
	    "nhiệm kỳ 2020-2022. Đến dự Đại hội có đồng chí Nguyễn Văn A, "
	    "Phó Bí thư Thường trực Đảng ủy phường, cùng toàn thể đảng "
	    "viên trong chi bộ.\n";
	struct buf	 b = BUF_INIT;
	const char	*p, *tab;
	size_t		 w;
	int		 n;

	CHECK_INT(gopher_menu(&b, &vi_ctx, page, strlen(page)), 0);
	CHECK_STR(b.data, want);
	check_menu_shape(b.data);

	/* a long Vietnamese label: 70 columns with the ellipsis */
	buf_reset(&b);
	CHECK_INT(gopher_menu(&b, &vi_ctx, longlabel, strlen(longlabel)), 0);
	check_menu_shape(b.data);
	tab = strchr(b.data, '\t');
	CHECK(tab != NULL);
	if (tab != NULL) {
		w = utf8_width(b.data + 1, (size_t)(tab - b.data - 1));
		CHECK_INT(w, GOPHER_COLS);
		CHECK(tab - b.data > 4 &&
		    memcmp(tab - 3, "\xe2\x80\xa6", 3) == 0);
		CHECK(strncmp(b.data, "0Hội nghị Ban Chấp hành",
		    strlen("0Hội nghị Ban Chấp hành")) == 0);
	}

	/* a long paragraph becomes several i lines of <= 70 columns */
	buf_reset(&b);
	CHECK_INT(gopher_menu(&b, &vi_ctx, para, strlen(para)), 0);
	check_menu_shape(b.data);
	for (n = 0, p = b.data; *p == 'i'; n++) {
		tab = strchr(p, '\t');
		CHECK(utf8_width(p + 1, (size_t)(tab - p - 1)) <= GOPHER_COLS);
		p = strstr(p, "\r\n") + 2;
	}
	CHECK_INT(n, 3);
	CHECK_STR(p, ".\r\n");
	CHECK_HAS(b.data, "iSáng ngày 21/5/2020, Chi bộ Khu phố 3 tổ chức Đại "
	    "hội Chi bộ nhiệm kỳ\t");

	/* empty page: just the end */
	buf_reset(&b);
	CHECK_INT(gopher_menu(&b, &vi_ctx, "", 0), 0);
	CHECK_STR(b.data, ".\r\n");
	buf_free(&b);
}

static void
test_text(void)
{
	static const char	 doc[] =
	    "# Chi bộ đại hội\n"
	    "Tác giả: MỸ DUNG\n"
	    "\n"
	    "Sáng ngày 21/5/2020, Chi bộ Khu phố 3 tổ chức Đại hội Chi bộ "
	    "nhiệm kỳ 2020-2022. Đến dự Đại hội có đồng chí Nguyễn Văn A, "
	    "Phó Bí thư Thường trực Đảng ủy phường.\n"
	    "## Kết quả\n"
	    "* Đại hội đã bầu Ban Chấp hành Chi bộ gồm 5 đồng chí, bầu đồng "
	    "chí Trần Thị B làm Bí thư Chi bộ.\n"
	    "> Đoàn kết - Dân chủ - Kỷ cương - Đổi mới\n"
	    ".Dòng bắt đầu bằng dấu chấm\n"
	    "..\n"
	    ".\n"
	    "```\n"
	    "  STT\tHọ tên\n"
	    ".\n"
	    "```\n"
	    "=> /thoi-su/ Thời sự\n"
	    "=> https://example.com/bai-viet Bài gốc\n"
	    "=> /thoi-su/anh/a.jpg\n";
	static const char	 want[] =
	    "Chi bộ đại hội\r\n"
	    "==============\r\n"
	    "Tác giả: MỸ DUNG\r\n"
	    "\r\n"
	    "Sáng ngày 21/5/2020, Chi bộ Khu phố 3 tổ chức Đại hội Chi bộ nhiệm kỳ\r\n"
	    "2020-2022. Đến dự Đại hội có đồng chí Nguyễn Văn A, Phó Bí thư Thường\r\n"
	    "trực Đảng ủy phường.\r\n"
	    "\r\n"
	    "Kết quả\r\n"
	    "-------\r\n"
	    "  * Đại hội đã bầu Ban Chấp hành Chi bộ gồm 5 đồng chí, bầu đồng chí\r\n"
	    "    Trần Thị B làm Bí thư Chi bộ.\r\n"
	    "  > Đoàn kết - Dân chủ - Kỷ cương - Đổi mới\r\n"
	    "..Dòng bắt đầu bằng dấu chấm\r\n"
	    "...\r\n"
	    "..\r\n"
	    "  STT   Họ tên\r\n"
	    "..\r\n"
	    "[1] Thời sự\r\n"
	    "[2] Bài gốc\r\n"
	    "[3] /thoi-su/anh/a.jpg\r\n"
	    "\r\n"
	    "Liên kết\r\n"
	    "--------\r\n"
	    "[1] gopher://example.org:7070/1/thoi-su/\r\n"
	    "[2] https://example.com/bai-viet\r\n"
	    "[3] gopher://example.org:7070/I/thoi-su/anh/a.jpg\r\n"
	    ".\r\n";
	static const char	 en[] =
	    "=> /search?dai%20hoi Đại hội\n";
	static const char	 en_want[] =
	    "[1] Đại hội\r\n"
	    "\r\n"
	    "References\r\n"
	    "----------\r\n"
	    "[1] gopher://example.org/1/search%3Fdai%2520hoi\r\n"
	    ".\r\n";
	struct buf	 b = BUF_INIT, src = BUF_INIT;
	int		 i;

	CHECK_INT(gopher_text(&b, &vi_ctx, doc, strlen(doc)), 0);
	CHECK_STR(b.data, want);
	CHECK(max_width(b.data, NULL) <= GOPHER_COLS);

	buf_reset(&b);
	CHECK_INT(gopher_text(&b, &en_ctx, en, strlen(en)), 0);
	CHECK_STR(b.data, en_want);

	/* a long article: every line within 70 columns, links numbered */
	for (i = 0; i < 30; i++)
		buf_printf(&src, "Đoạn %d: Ủy ban nhân dân huyện triển khai "
		    "kế hoạch tuyên truyền Đại hội Đảng bộ các cấp tới từng "
		    "khu dân cư, tổ dân phố và hộ gia đình trên địa bàn.\n"
		    "=> /thoi-su/bai-%d Bài %d\n", i, i, i);
	buf_printf(&src, "KhôngcódấucáchnàotrongdòngnàyKhôngcódấucáchnào"
	    "trongdòngnàyKhôngcódấucáchnàotrongdòngnày\n");
	buf_reset(&b);
	CHECK_INT(gopher_text(&b, &vi_ctx, src.data, src.len), 0);
	CHECK(max_width(b.data, "[1] gopher:") <= GOPHER_COLS);
	CHECK_HAS(b.data, "\r\n[30] Bài 29\r\n");
	CHECK_HAS(b.data, "\r\n[30] gopher://example.org:7070/0/thoi-su/"
	    "bai-29\r\n.\r\n");
	CHECK(strstr(b.data, "[31]") == NULL);

	/* paragraphs: a blank line between two text lines when one of
	 * them wraps (a .txt article's paragraphs, one line each); short
	 * lines in a row stay together; no blank line is doubled */
	{
		static const struct {
			const char	*gmi;
			const char	*want;
		} para[] = {
			{ "Dòng một\nDòng hai\n",
			  "Dòng một\r\nDòng hai\r\n.\r\n" },
			{ "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng khu dân cư.\nĐoạn hai.\n",
			  "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng\r\nkhu dân cư.\r\n\r\n"
			  "Đoạn hai.\r\n.\r\n" },
			{ "Đoạn một.\nỦy ban nhân dân quận triển khai kế "
			  "hoạch tuyên truyền Đại hội tới từng khu dân cư.\n",
			  "Đoạn một.\r\n\r\nỦy ban nhân dân quận triển "
			  "khai kế hoạch tuyên truyền Đại hội tới từng\r\n"
			  "khu dân cư.\r\n.\r\n" },
			{ "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng khu dân cư.\n\nĐoạn hai.\n",
			  "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng\r\nkhu dân cư.\r\n\r\n"
			  "Đoạn hai.\r\n.\r\n" },
			{ "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng khu dân cư.\n* Mục\n",
			  "Ủy ban nhân dân quận triển khai kế hoạch tuyên "
			  "truyền Đại hội tới từng\r\nkhu dân cư.\r\n"
			  "  * Mục\r\n.\r\n" },
		};
		size_t	 k;

		for (k = 0; k < sizeof(para) / sizeof(para[0]); k++) {
			buf_reset(&b);
			CHECK_INT(gopher_text(&b, &vi_ctx, para[k].gmi,
			    strlen(para[k].gmi)), 0);
			CHECK_STR(b.data, para[k].want);
		}
	}

	buf_reset(&b);
	CHECK_INT(gopher_text(&b, &vi_ctx, "", 0), 0);
	CHECK_STR(b.data, ".\r\n");
	buf_free(&b);
	buf_free(&src);
}

static void
test_ascii(void)
{
	static const char	 doc[] =
	    "# Đại hội Đảng bộ\n"
	    "…và “trích dẫn” – Ủy ban\n"
	    "=> /tin-tức/bài-1 Bài viết đầu tiên\n";
	struct buf	 b = BUF_INIT;

	CHECK_INT(gopher_text(&b, &ascii_ctx, doc, strlen(doc)), 0);
	CHECK(all_ascii(b.data));
	CHECK_STR(b.data,
	    "Dai hoi Dang bo\r\n"
	    "===============\r\n"
	    "....va \"trich dan\" - Uy ban\r\n"
	    "[1] Bai viet dau tien\r\n"
	    "\r\n"
	    "Lien ket\r\n"
	    "--------\r\n"
	    "[1] gopher://example.org:7070/0/tin-t%E1%BB%A9c/b%C3%A0i-1\r\n"
	    ".\r\n");

	buf_reset(&b);
	CHECK_INT(gopher_menu(&b, &ascii_ctx, doc, strlen(doc)), 0);
	CHECK(all_ascii(b.data));
	check_menu_shape(b.data);
	CHECK_HAS(b.data, "iDai hoi Dang bo\t\terror.host\t1\r\n");
	CHECK_HAS(b.data, "0Bai viet dau tien\t/tin-t%E1%BB%A9c/b%C3%A0i-1\t"
	    "example.org\t7070\r\n");

	buf_reset(&b);
	CHECK_INT(gopher_error(&b, &ascii_ctx, "Không tìm thấy"), 0);
	CHECK_STR(b.data, "3Khong tim thay\t\terror.host\t1\r\n.\r\n");

	buf_reset(&b);
	CHECK_INT(gopher_caps(&b, &ascii_ctx), 0);
	CHECK(all_ascii(b.data));
	CHECK_HAS(b.data, "\r\nServerDescription=Ban tin Huyen\r\n");
	CHECK_HAS(b.data, "\r\nServerDefaultEncoding=US-ASCII\r\n");
	buf_free(&b);
}

static void
test_error_caps_http(void)
{
	static const struct {
		const char	*msg;
		const char	*want;
	} cases[] = {
		{ "Không tìm thấy",
		  "3Không tìm thấy\t\terror.host\t1\r\n.\r\n" },
		{ "a\tb\r\n.\r\n1x\tsel\thost\t70",
		  "3a b  .  1x sel host 70\t\terror.host\t1\r\n.\r\n" },
		{ "", "3Error\t\terror.host\t1\r\n.\r\n" },
	};
	struct buf	 b = BUF_INIT;
	const char	*body;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		CHECK_INT(gopher_error(&b, &vi_ctx, cases[i].msg), 0);
		CHECK_STR(b.data, cases[i].want);
	}

	buf_reset(&b);
	CHECK_INT(gopher_caps(&b, &vi_ctx), 0);
	CHECK(strncmp(b.data, "CAPS\r\n", 6) == 0);
	CHECK_HAS(b.data, "\r\nCapsVersion=1\r\n");
	CHECK_HAS(b.data, "\r\nExpireCapsAfter=3600\r\n");
	CHECK_HAS(b.data, "\r\nPathDelimeter=/\r\n");
	CHECK_HAS(b.data, "\r\nPathIdentity=.\r\n");
	CHECK_HAS(b.data, "\r\nPathParent=..\r\n");
	CHECK_HAS(b.data, "\r\nPathParentDouble=FALSE\r\n");
	CHECK_HAS(b.data, "\r\nPathEscapeCharacter=\\\r\n");
	CHECK_HAS(b.data, "\r\nPathKeepPreDelimeter=FALSE\r\n");
	CHECK_HAS(b.data, "\r\nServerSoftware=bantin\r\n");
	CHECK_HAS(b.data, "\r\nServerDescription=Bản tin Huyện\r\n");
	CHECK_HAS(b.data, "\r\nServerDefaultEncoding=UTF-8\r\n");
	CHECK(b.len > 3 && strcmp(b.data + b.len - 3, ".\r\n") == 0);
	/* CapsVersion is the first key */
	CHECK(strstr(b.data, "=") > strstr(b.data, "CapsVersion"));

	buf_reset(&b);
	CHECK_INT(gopher_http(&b, &en_ctx), 0);
	CHECK(strncmp(b.data, "HTTP/1.0 400 Bad Request\r\n", 26) == 0);
	body = strstr(b.data, "\r\n\r\n");
	CHECK(body != NULL);
	if (body != NULL) {
		CHECK_STR(body + 4, "This is a Gopher server; use a Gopher "
		    "client: gopher://example.org/\r\n");
		CHECK_HAS(b.data, "Content-Length: 69\r\n");
		CHECK_INT(strlen(body + 4), 69);
	}

	buf_reset(&b);
	CHECK_INT(gopher_urlpage(&b, &en_ctx, "URL:https://example.com/?a&b",
	    28), 0);
	CHECK_HAS(b.data, "content=\"2;url=https://example.com/?a&amp;b\"");
	CHECK_HAS(b.data, "<a href=\"https://example.com/?a&amp;b\">");
	buf_reset(&b);
	CHECK_INT(gopher_urlpage(&b, &en_ctx, "URL:javascript:x", 16), -1);
	CHECK_INT(gopher_urlpage(&b, &en_ctx, "URL:http://a\"><script>", 22),
	    -1);
	buf_free(&b);
}

static void
test_reply(void)
{
	static const struct {
		const char	*line;
		enum status	 st;
		enum reply_kind	 kind;
		const char	*meta;
		const char	*body;
		const char	*want;
	} cases[] = {
		{ "/", ST_OK, REPLY_MENU, "text/gemini",
		  "=> /thoi-su/ Thời sự\n",
		  "1Thời sự\t/thoi-su/\texample.org\t7070\r\n.\r\n" },
		{ "/thoi-su/x", ST_OK, REPLY_DOCUMENT, "text/gemini",
		  "# Tiêu đề\n.\n",
		  "Tiêu đề\r\n=======\r\n..\r\n.\r\n" },
		{ "/atom.xml", ST_OK, REPLY_DATA, "application/atom+xml",
		  "<?xml version=\"1.0\"?>\n.\n<feed/>",
		  "<?xml version=\"1.0\"?>\n.\n<feed/>" },	/* as it is */
		{ "/a.bin", ST_OK, REPLY_DATA, "application/octet-stream",
		  "\x01.\n", "\x01.\n" },
		{ "/a.jpg", ST_OK, REPLY_FILE, "image/jpeg", "", "" },
		{ "/search", ST_INPUT, REPLY_NONE, "Nhập từ khóa tìm kiếm", "",
		  "7Nhập từ khóa tìm kiếm\t/search\texample.org\t7070\r\n"
		  ".\r\n" },
		{ "/search", ST_INPUT, REPLY_NONE, "", "",
		  "7Tìm kiếm\t/search\texample.org\t7070\r\n.\r\n" },
		{ "/thoi-su", ST_REDIRECT_PERM, REPLY_NONE, "/thoi-su/", "",
		  "1/thoi-su/\t/thoi-su/\texample.org\t7070\r\n.\r\n" },
		{ "/x", ST_REDIRECT, REPLY_NONE,
		  "gemini://example.org:1965/thoi-su/y", "",
		  "0/thoi-su/y\t/thoi-su/y\texample.org\t7070\r\n.\r\n" },
		{ "/x", ST_REDIRECT, REPLY_NONE, "https://example.com/", "",
		  "hhttps://example.com/\tURL:https://example.com/\t"
		  "example.org\t7070\r\n.\r\n" },
		{ "/khong-co", ST_NOT_FOUND, REPLY_NONE, "", "",
		  "3Không tìm thấy\t\terror.host\t1\r\n.\r\n" },
		{ "/khong-co", ST_NOT_FOUND, REPLY_NONE, "Không có trang này",
		  "", "3Không có trang này\t\terror.host\t1\r\n.\r\n" },
		{ "/x", ST_TEMP_FAIL, REPLY_NONE, "", "",
		  "3Lỗi tạm thời, xin thử lại sau\t\terror.host\t1\r\n.\r\n" },
		{ "/x", ST_OK, REPLY_NONE, "", "",
		  "3Lỗi\t\terror.host\t1\r\n.\r\n" },
		/* Gopher+ */
		{ "/\t+", ST_OK, REPLY_MENU, "text/gemini", "=> /a/ A\n",
		  "+-1\r\n1A\t/a/\texample.org\t7070\r\n.\r\n" },
		{ "/a.jpg\t+", ST_OK, REPLY_FILE, "image/jpeg", "", "+-2\r\n" },
		{ "/a.txt\t+", ST_OK, REPLY_FILE, "text/plain", "", "+-2\r\n" },
		{ "/thoi-su/\t$", ST_OK, REPLY_MENU, "text/gemini", "",
		  "+-2\r\n+INFO: 1/thoi-su/\t/thoi-su/\texample.org\t7070\r\n"
		  "+ADMIN:\r\n Admin: bantin\r\n" },
		{ "/thoi-su/x\t!", ST_OK, REPLY_DOCUMENT, "text/gemini", "",
		  "+-2\r\n+INFO: 0/thoi-su/x\t/thoi-su/x\texample.org\t7070\r\n"
		  "+ADMIN:\r\n Admin: bantin\r\n" },
		{ "/khong-co\t+", ST_NOT_FOUND, REPLY_NONE, "", "",
		  "--1\r\n1 Không tìm thấy\r\n.\r\n" },
		{ "/x\t!", ST_TEMP_FAIL, REPLY_NONE, "bận", "",
		  "--1\r\n2 bận\r\n.\r\n" },
		/* caps.txt: generated when the site has none */
		{ "caps.txt", ST_NOT_FOUND, REPLY_NONE, "", "", NULL },
	};
	struct request	 req;
	struct reply	 rep;
	struct buf	 b = BUF_INIT, caps = BUF_INIT;
	const char	*errstr;
	size_t		 i;

	gopher_caps(&caps, &vi_ctx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(gopher_parse(cases[i].line, strlen(cases[i].line),
		    &req, &errstr), 0);
		reply_init(&rep);
		rep.status = cases[i].st;
		rep.kind = cases[i].kind;
		snprintf(rep.meta, sizeof(rep.meta), "%s", cases[i].meta);
		buf_puts(&rep.body, cases[i].body);
		buf_reset(&b);
		buf_puts(&b, "");
		CHECK_INT(gopher_reply(&b, &vi_ctx, &req, &rep), 0);
		CHECK_STR(b.data, cases[i].want != NULL ? cases[i].want :
		    caps.data);
		reply_clear(&rep);
		buf_free(&rep.body);
	}
	/* an article in English on a Vietnamese site: its labels too */
	CHECK_INT(gopher_parse("/tin/en", 7, &req, &errstr), 0);
	reply_init(&rep);
	rep.status = ST_OK;
	rep.kind = REPLY_DOCUMENT;
	rep.lang = "en";
	buf_puts(&rep.body, "# News\n=> /tin/ News\n");
	buf_reset(&b);
	CHECK_INT(gopher_reply(&b, &vi_ctx, &req, &rep), 0);
	CHECK_HAS(b.data, "\r\nReferences\r\n----------\r\n");
	CHECK(strstr(b.data, "Liên kết") == NULL);
	reply_clear(&rep);
	CHECK(rep.lang == NULL);
	buf_free(&rep.body);
	buf_free(&b);
	buf_free(&caps);
}

int
main(void)
{
	test_parse();
	test_menu_types();
	test_site_types();
	test_menu();
	test_text();
	test_ascii();
	test_error_caps_http();
	test_reply();
	test_front();
	return t_done("test_gopher");
}
