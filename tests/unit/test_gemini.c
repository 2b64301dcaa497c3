/*
 * test_gemini.c: request-line parsing, every rule of spec v0.24.1, the
 * header, and the glue conn.c drives. serve() is a stand-in: this test
 * links the Gemini front end alone, not the content core.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "conn.h"
#include "gemini.h"
#include "proto.h"
#include "serve.h"
#include "t.h"

static int	 nserved;

void
serve(struct serve *sv, const struct request *req, struct reply *rep,
    struct buf *out, serve_write_fn *write, void *arg)
{
	(void)sv;
	nserved++;
	rep->status = ST_OK;
	rep->kind = REPLY_DOCUMENT;
	snprintf(rep->meta, sizeof(rep->meta), "text/gemini");
	buf_puts(&rep->body, req->path);
	write(arg, req, rep, out);
}

/* Bad lines never reach serve(); good ones are written as Gemini. */
static void
test_front(void)
{
	static const struct {
		const char	*line;
		int		 how;
		const char	*want;
	} fcases[] = {
		{ "gemini://localhost/a", CONN_REQ_OK, "20 text/gemini\r\n/a" },
		{ "gemini://localhost/a", CONN_REQ_NO_CRLF,
		  "59 request line must end with CRLF\r\n" },
		{ "gemini://localhost/a", CONN_REQ_TOO_LONG,
		  "59 request too long\r\n" },
		{ "gemini://example.org/", CONN_REQ_OK,
		  "53 proxy request refused\r\n" },
	};
	struct gemini_front	 g = { .host = { "localhost", 1965, "vi" } };
	struct request		 req;
	struct reply		 rep;
	struct buf		 out = BUF_INIT;
	size_t			 i;
	int			 before;

	CHECK_STR(gemini_conn_front.name, "gemini");
	CHECK_INT(gemini_conn_front.tls, 1);
	CHECK_INT(gemini_conn_front.need_crlf, 1);
	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		reply_init(&rep);
		buf_reset(&out);
		buf_puts(&out, "");
		before = nserved;
		gemini_conn_front.handle(&g, fcases[i].line,
		    strlen(fcases[i].line), fcases[i].how, &req, &rep, &out);
		CHECK_STR(out.data, fcases[i].want);
		CHECK_INT(nserved - before, fcases[i].want[0] == '2');
		reply_clear(&rep);
		buf_free(&rep.body);
	}
	buf_reset(&out);
	gemini_conn_front.timeout(&g, &out);
	CHECK_STR(out.data, "59 request timeout\r\n");
	/* over the rate: 44 and the seconds, logged as 44; nothing served */
	buf_reset(&out);
	reply_init(&rep);
	before = nserved;
	gemini_conn_front.slow_down(&g, 3, &rep, &out);
	CHECK_STR(out.data, "44 3\r\n");
	CHECK_INT(status_gemini(rep.status), 44);
	CHECK_INT(nserved, before);
	buf_free(&out);
}

static const struct gemini_host host = { "localhost", 1965, "vi" };

static const struct {
	const char	*line;
	int		 status;	/* 0 = parses */
	const char	*path;
	const char	*query;
} cases[] = {
	{ "gemini://localhost/", 0, "/", NULL },
	{ "gemini://localhost", 0, "/", NULL },		/* empty path */
	{ "GEMINI://LOCALHOST/x", 0, "/x", NULL },
	{ "gemini://localhost:1965/thoi-su/", 0, "/thoi-su/", NULL },
	{ "gemini://localhost:/a", 0, "/a", NULL },
	{ "gemini://localhost./a", 0, "/a", NULL },
	{ "gemini://localhost/search?dai%20hoi", 0, "/search", "dai hoi" },
	{ "gemini://localhost/search?", 0, "/search", "" },
	{ "gemini://localhost/%C4%91", 0, "/đ", NULL },
	{ "", 59, NULL, NULL },
	{ "/relative", 59, NULL, NULL },
	{ "localhost/x", 59, NULL, NULL },
	{ "gemini:/localhost/", 59, NULL, NULL },
	{ "gemini://user@localhost/", 59, NULL, NULL },
	{ "gemini://localhost/#frag", 59, NULL, NULL },
	{ "\xef\xbb\xbfgemini://localhost/", 59, NULL, NULL },
	{ "gemini://localhost/\xff", 59, NULL, NULL },
	{ "gemini://localhost/../etc", 59, NULL, NULL },
	{ "gemini://localhost/%2e%2e/etc", 59, NULL, NULL },
	{ "gemini://localhost/a%2fb", 59, NULL, NULL },
	{ "gemini://localhost/%c0%ae%c0%ae/", 59, NULL, NULL },
	{ "gemini:///x", 59, NULL, NULL },
	{ "gemini://localhost:99999/", 59, NULL, NULL },
	{ "gemini://[::1]x/", 59, NULL, NULL },
	{ "gemini://[::1]x:1965/", 59, NULL, NULL },
	{ "gemini://[::1/", 59, NULL, NULL },
	{ "gemini://[::1]:1965/", 53, NULL, NULL },
	{ "gemini://example.org/", 53, NULL, NULL },
	{ "gemini://localhost:1966/", 53, NULL, NULL },
	{ "https://localhost/", 53, NULL, NULL },
	{ "gopher://localhost/", 53, NULL, NULL },
};

int
main(void)
{
	struct request	 req;
	struct reply	 rep;
	struct buf	 b = BUF_INIT;
	enum status	 st;
	const char	*errstr;
	char		 url[1100];
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = ST_OK;
		r = gemini_parse(cases[i].line, strlen(cases[i].line), &host,
		    &req, &st, &errstr);
		if (cases[i].status == 0) {
			if (r != 0)
				fprintf(stderr, "case %zu: %s\n", i, errstr);
			CHECK_INT(r, 0);
			CHECK_STR(req.path, cases[i].path);
			CHECK_INT(req.has_query, cases[i].query != NULL);
			if (cases[i].query != NULL)
				CHECK_STR(req.query, cases[i].query);
		} else {
			CHECK_INT(r, -1);
			CHECK_INT(status_gemini(st), cases[i].status);
		}
	}
	/* NUL inside the line */
	CHECK_INT(gemini_parse("gemini://localhost/\0x", 21, &host, &req, &st,
	    &errstr), -1);
	/* 1024 bytes is fine, 1025 is not */
	memset(url, 'a', sizeof(url));
	memcpy(url, "gemini://localhost/", 19);
	CHECK_INT(gemini_parse(url, 1024, &host, &req, &st, &errstr), 0);
	CHECK_INT(gemini_parse(url, 1025, &host, &req, &st, &errstr), -1);

	reply_init(&rep);
	reply_status(&rep, ST_INPUT, "Nhập\r\ntừ khóa");
	gemini_header(&b, &rep);
	CHECK_STR(b.data, "10 Nhập  từ khóa\r\n");
	buf_reset(&b);
	rep.status = ST_OK;
	rep.meta[0] = '\0';
	gemini_header(&b, &rep);
	CHECK_STR(b.data, "20 application/octet-stream\r\n");
	buf_free(&b);
	test_front();
	return t_done("test_gemini");
}
