/*
 * test_titan.c: the Titan request line (its URL as a Gemini one, then
 * ";size=N;mime=M;token=T") and where an upload's path puts it.
 */
#include <stdio.h>
#include <string.h>

#include "article.h"
#include "gemini.h"
#include "proto.h"
#include "t.h"
#include "titan.h"

static void
test_parse(void)
{
	static const struct {
		const char	*line;
		int		 status;	/* -1: parsed */
		const char	*path;		/* or the error */
		long long	 size;
		const char	*mime;
		const char	*token;		/* NULL: none */
	} cases[] = {
		{ "titan://localhost/thoi-su/x;size=12", -1, "/thoi-su/x", 12,
		  "", NULL },
		{ "TITAN://localhost:1965/a/b;mime=text/markdown;size=0", -1,
		  "/a/b", 0, "text/markdown", NULL },
		{ "titan://localhost/a/b;token=s%20cret;size=3;mime=text/plain",
		  -1, "/a/b", 3, "text/plain", "s cret" },
		{ "titan://localhost/a/%62;size=1;edit=x", -1, "/a/b", 1, "",
		  NULL },
		{ "titan://localhost/a/./c/../b;size=1", -1, "/a/b", 1, "",
		  NULL },
		{ "titan://localhost/a/b", 59, "no size parameter", 0, "",
		  NULL },
		{ "titan://localhost/a/b;size=", 59, "bad size parameter", 0,
		  "", NULL },
		{ "titan://localhost/a/b;size=1x", 59, "bad size parameter",
		  0, "", NULL },
		{ "titan://localhost/a/b;size=1;size=2", 59,
		  "bad size parameter", 0, "", NULL },
		{ "titan://localhost/a/b;size=1234567890123", 59,
		  "bad size parameter", 0, "", NULL },
		{ "titan://localhost/a/b;size=1;mime=plain", 59,
		  "bad mime parameter", 0, "", NULL },
		{ "titan://localhost/a/b;size", 59, "a parameter without '='",
		  0, "", NULL },
		{ "titan://localhost/a/b?q;size=1", 59,
		  "a Titan URL has parameters, not a query", 0, "", NULL },
		{ "titan://example.org/a/b;size=1", 53,
		  "proxy request refused", 0, "", NULL },
		{ "titan://localhost:1966/a/b;size=1", 53,
		  "proxy request refused", 0, "", NULL },
		{ "titan://localhost/../x;size=1", 59,
		  "path climbs above the root", 0, "", NULL },
		{ "gemini://localhost/a;size=1", 59, "not a Titan request", 0,
		  "", NULL },
	};
	struct gemini_host	 h = { "localhost", 1965, "vi" };
	struct request		 req;
	struct titan_params	 p;
	enum status		 st;
	const char		*errstr;
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = titan_parse(cases[i].line, strlen(cases[i].line), &h,
		    &req, &p, &st, &errstr);
		if (cases[i].status != -1) {
			CHECK_INT(r, -1);
			CHECK_INT(status_gemini(st), cases[i].status);
			CHECK_STR(errstr, cases[i].path);
			continue;
		}
		CHECK_INT(r, 0);
		if (r != 0) {
			fprintf(stderr, "%s: %s\n", cases[i].line, errstr);
			continue;
		}
		CHECK_STR(req.path, cases[i].path);
		CHECK_INT(p.size, cases[i].size);
		CHECK_STR(p.mime, cases[i].mime);
		CHECK_INT(p.has_token, cases[i].token != NULL);
		if (cases[i].token != NULL)
			CHECK_STR(p.token, cases[i].token);
	}
}

static void
test_target(void)
{
	static const struct {
		const char	*path, *mime;
		const char	*err;		/* NULL: a target */
		int		 kind, fmt;
		const char	*dir, *name, *served;
	} cases[] = {
		{ "/thoi-su/x", "", NULL, TITAN_ARTICLE, FMT_GMI, "thoi-su",
		  "x.gmi", "/thoi-su/x" },
		{ "/thoi-su/x", "text/markdown", NULL, TITAN_ARTICLE, FMT_MD,
		  "thoi-su", "x.md", "/thoi-su/x" },
		{ "/a/b/2026-01-02-x", "text/html; charset=utf-8", NULL,
		  TITAN_ARTICLE, FMT_HTML, "a/b", "2026-01-02-x.html",
		  "/a/b/2026-01-02-x" },
		{ "/a/x", "TEXT/PLAIN", NULL, TITAN_ARTICLE, FMT_TXT, "a",
		  "x.txt", "/a/x" },
		/* an article's extension wins over the MIME type */
		{ "/a/x.md", "text/plain", NULL, TITAN_ARTICLE, FMT_MD, "a",
		  "x.md", "/a/x" },
		{ "/a/v1.2-release", "", NULL, TITAN_ARTICLE, FMT_GMI, "a",
		  "v1.2-release.gmi", "/a/v1.2-release" },
		{ "/a/anh/x.png", "image/png", NULL, TITAN_FILE, 0, "a/anh",
		  "x.png", "/a/anh/x.png" },
		{ "/a/tai-lieu.pdf", "", NULL, TITAN_FILE, 0, "a",
		  "tai-lieu.pdf", "/a/tai-lieu.pdf" },
		{ "/x", "", "an upload goes into a category: "
		  "/<category>/<name>", 0, 0, NULL, NULL, NULL },
		{ "/a/", "", "an upload goes into a category: "
		  "/<category>/<name>", 0, 0, NULL, NULL, NULL },
		{ "/a/.x", "", "a hidden name", 0, 0, NULL, NULL, NULL },
		{ "/_a/x", "", "a hidden name", 0, 0, NULL, NULL, NULL },
		{ "/a/page", "", "a reserved name", 0, 0, NULL, NULL, NULL },
		{ "/a/atom.xml", "", "a reserved name", 0, 0, NULL, NULL,
		  NULL },
		{ "/date/x", "", "a reserved name", 0, 0, NULL, NULL, NULL },
		{ "/publish/x", "", "a reserved name", 0, 0, NULL, NULL,
		  NULL },
		{ "/a/index.gmi", "", "a reserved name", 0, 0, NULL, NULL,
		  NULL },
		{ "/a/b c", "", "a bad name: ASCII letters, digits, '-', '_' "
		  "and '.', 200 bytes at most", 0, 0, NULL, NULL, NULL },
		{ "/a/bài", "", "a bad name: ASCII letters, digits, '-', '_' "
		  "and '.', 200 bytes at most", 0, 0, NULL, NULL, NULL },
		{ "/ả/b", "", "a folder's name must be ASCII letters, digits, "
		  "'-', '_' and '.'", 0, 0, NULL, NULL, NULL },
		{ "/a/x", "image/png", "not a type bantin publishes as an "
		  "article (text/gemini, text/markdown, text/plain, "
		  "text/html); a file needs its extension", 0, 0, NULL, NULL,
		  NULL },
		{ "/a/.md", "", "a hidden name", 0, 0, NULL, NULL, NULL },
	};
	struct titan_target	 t;
	const char		*errstr;
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = titan_target(cases[i].path, cases[i].mime, &t, &errstr);
		if (cases[i].err != NULL) {
			CHECK_INT(r, -1);
			CHECK_STR(errstr, cases[i].err);
			continue;
		}
		CHECK_INT(r, 0);
		if (r != 0) {
			fprintf(stderr, "%s: %s\n", cases[i].path, errstr);
			continue;
		}
		CHECK_INT(t.kind, cases[i].kind);
		if (t.kind == TITAN_ARTICLE)
			CHECK_INT(t.fmt, cases[i].fmt);
		CHECK_STR(t.dir, cases[i].dir);
		CHECK_STR(t.name, cases[i].name);
		CHECK_STR(t.path, cases[i].served);
	}
}

int
main(void)
{
	test_parse();
	test_target();
	return t_done("test_titan");
}
