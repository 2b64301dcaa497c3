/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_route.c: request path -> (status, reply kind, meta) over
 * tests/fixtures/site, the counting rules (pages yes; files, feeds,
 * errors and Gopher+ probes no), and route_kind() for Gopher item
 * types.
 */

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "counter.h"
#include "label.h"
#include "proto.h"
#include "render.h"
#include "route.h"
#include "scheme.h"
#include "search.h"
#include "site.h"
#include "t.h"

#define FIXTURE		"tests/fixtures/site"
#define GMI		"text/gemini; charset=utf-8; lang=vi"

static struct site	*site;

static void
ctx_init(struct render_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->site = site;
	ctx->title = "Cổng thông tin huyện";
	ctx->lang = "vi";
	ctx->hostname = "localhost";
	ctx->per_page = 3;
}

static void
req_init(struct request *req, const char *path, int has_query,
    const char *query)
{
	memset(req, 0, sizeof(*req));
	req->proto = PROTO_GEMINI;
	snprintf(req->path, sizeof(req->path), "%s", path);
	snprintf(req->query, sizeof(req->query), "%s", query);
	req->has_query = has_query;
}

static void
test_table(void)
{
	static const struct {
		const char	*path;
		int		 has_query;
		const char	*query;
		enum status	 st;
		enum reply_kind	 kind;
		const char	*meta;	/* prefix; exact for redirects */
		const char	*body;	/* a line of the body, or NULL */
	} cases[] = {
		{ "/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /thoi-su/ Thời sự (6 bài)\n" },
		{ "/thoi-su/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /thoi-su/page/2/ Trang sau\n" },
		{ "/thoi-su", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/thoi-su/", NULL },
		{ "/thoi-su/dia-phuong", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/thoi-su/dia-phuong/", NULL },
		{ "/thoi-su/dia-phuong/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "# Địa phương\n" },
		{ "/thoi-su/page/2/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /thoi-su/trung 2020-05-10 Bài trùng (gmi)\n" },
		{ "/thoi-su/page/2", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/thoi-su/page/2/", NULL },
		{ "/thoi-su/page/1/", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/thoi-su/", NULL },
		{ "/thoi-su/page/99/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/thoi-su/page/3/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/thoi-su/page/0/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/thoi-su/page/02/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/thoi-su/page/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/khong-co/page/2/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", 0, "", ST_OK,
		  REPLY_DOCUMENT, GMI, "# Chi bộ khu phố 3 tổ chức đại hội\n" },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi/", 0, "", ST_NOT_FOUND,
		  REPLY_NONE, "", NULL },
		{ "/thoi-su/dia-phuong/2020-04-30-le-ky-niem", 0, "", ST_OK,
		  REPLY_DOCUMENT, GMI, "Tác giả: THU HÀ" },
		{ "/thoi-su/khong-co", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/khong-co", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/thoi-su/trung.md", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/date/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /date/2020/ 2020 (9 bài)\n" },
		{ "/date", 0, "", ST_REDIRECT_PERM, REPLY_NONE, "/date/",
		  NULL },
		{ "/date/2020/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /date/2020/05/ Tháng Năm 2020 (8 bài)\n" },
		{ "/date/2020/05/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /date/2020/05/21/ 21 Tháng Năm 2020 (2 bài)\n" },
		{ "/date/2020/05/21/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /van-hoa/2020-05-21-le-hoi 2020-05-21 "
		  "Lễ hội đình làng\n" },
		{ "/date/2020", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/date/2020/", NULL },
		{ "/date/2020/05/21", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/date/2020/05/21/", NULL },
		{ "/date/abc/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/abc", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/2020/5/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/2020/13/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/2020/13", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/2020/02/30/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/date/2020/05/22/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/date/2018/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/0000/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/date/2020/05/21/01/", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/date/2020/05/21/x", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/date/x.gmi", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		/* tags: more paths in test_tags */
		{ "/tags/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "\n=> /tags/dai-hoi/ Đại hội (3 bài)\n" },
		{ "/tags", 0, "", ST_REDIRECT_PERM, REPLY_NONE, "/tags/",
		  NULL },
		{ "/tags/dai-hoi/", 0, "", ST_OK, REPLY_MENU, GMI,
		  "# Thẻ: Đại hội\n" },
		{ "/tags/x.gmi", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/dates/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/search", 0, "", ST_INPUT, REPLY_NONE,
		  "Nhập từ khóa tìm kiếm", NULL },
		{ "/search", 1, "", ST_INPUT, REPLY_NONE,
		  "Nhập từ khóa tìm kiếm", NULL },
		{ "/search", 1, "   ", ST_INPUT, REPLY_NONE,
		  "Nhập từ khóa tìm kiếm", NULL },
		{ "/search", 1, "&page=2", ST_INPUT, REPLY_NONE,
		  "Nhập từ khóa tìm kiếm", NULL },
		/* NULL search: unavailable, but not an error of the reader */
		{ "/search", 1, "đại hội", ST_TEMP_FAIL, REPLY_NONE, "",
		  NULL },
		{ "/search", 1, "\xff", ST_BAD_REQUEST, REPLY_NONE, "", NULL },
		{ "/search/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/stats", 0, "", ST_OK, REPLY_MENU, GMI, "# Thống kê\n" },
		{ "/atom.xml", 0, "", ST_OK, REPLY_DATA, "application/atom+xml",
		  "<id>gemini://localhost/</id>" },
		{ "/thoi-su/atom.xml", 0, "", ST_OK, REPLY_DATA,
		  "application/atom+xml",
		  "<id>gemini://localhost/thoi-su/</id>" },
		{ "/thoi-su/dia-phuong/atom.xml", 0, "", ST_OK, REPLY_DATA,
		  "application/atom+xml", NULL },
		{ "/doi-song/atom.xml", 0, "", ST_OK, REPLY_DATA,
		  "application/atom+xml", NULL },
		{ "/khong-co/atom.xml", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/gioi-thieu.gmi", 0, "", ST_OK, REPLY_DOCUMENT, GMI,
		  "# Giới thiệu\n" },
		{ "/lien-he.txt", 0, "", ST_OK, REPLY_DATA, "text/plain",
		  NULL },
		{ "/robots.txt", 0, "", ST_OK, REPLY_DATA, "text/plain",
		  "User-agent: *\nDisallow: /search\n" },
		{ "/thoi-su/anh/hoi-nghi.jpg", 0, "", ST_OK, REPLY_FILE,
		  "image/jpeg", NULL },
		{ "/tai-lieu/bao-cao.pdf", 0, "", ST_OK, REPLY_FILE,
		  "application/pdf", NULL },
		{ "/thoi-su/anh/", 0, "", ST_OK, REPLY_DOCUMENT, GMI,
		  "# Ảnh hội nghị\n" },
		{ "/thoi-su/anh", 0, "", ST_REDIRECT_PERM, REPLY_NONE,
		  "/thoi-su/anh/", NULL },
		{ "/thoi-su/anh/index.gmi", 0, "", ST_OK, REPLY_DOCUMENT, GMI,
		  "# Ảnh hội nghị\n" },
		{ "/tai-lieu/", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/tai-lieu", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/_x", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/.git", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/.git/config", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/_nhap.gmi", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/_nhap/nhap.gmi", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/.an.gmi", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/thoi-su/.an", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/thoi-su/_nhap", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/thoi-su/_category.ini", 0, "", ST_NOT_FOUND, REPLY_NONE, "",
		  NULL },
		{ "/caps.txt", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/Ảnh-đẹp/a.jpg", 0, "", ST_NOT_FOUND, REPLY_NONE, "", NULL },
		{ "/thoi-su/dia-phuong/page/x.gmi", 0, "", ST_NOT_FOUND,
		  REPLY_NONE, "", NULL },
	};
	struct render_ctx	 ctx;
	struct request		 req;
	struct reply		 r;
	size_t			 i;
	int			 ok;

	ctx_init(&ctx);
	reply_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_init(&req, cases[i].path, cases[i].has_query,
		    cases[i].query);
		reply_clear(&r);
		route(&ctx, &req, NULL, &r);
		ok = r.status == cases[i].st && r.kind == cases[i].kind &&
		    (cases[i].st == ST_REDIRECT_PERM ?
		    strcmp(r.meta, cases[i].meta) == 0 :
		    strncmp(r.meta, cases[i].meta,
		    strlen(cases[i].meta)) == 0);
		if (!ok)
			fprintf(stderr, "%s?%s: got %d kind %d [%s], want %d "
			    "kind %d [%s]\n", cases[i].path, cases[i].query,
			    status_gemini(r.status), r.kind, r.meta,
			    status_gemini(cases[i].st), cases[i].kind,
			    cases[i].meta);
		CHECK(ok);
		if (cases[i].body != NULL)
			CHECK_HAS(r.body.data, cases[i].body);
		if (r.kind == REPLY_FILE)
			CHECK(r.fd != -1 && r.size > 0);
		else
			CHECK_INT(r.fd, -1);
		if (r.kind == REPLY_NONE)
			CHECK_INT(r.body.len, 0);
	}
	reply_clear(&r);
	buf_free(&r.body);
}

/* Tag pages at two articles a page: dai-hoi has three, two pages. */
static void
test_tags(void)
{
	static const struct {
		const char	*path;
		enum status	 st;
		const char	*meta;	/* a redirect's target */
		const char	*body;
	} cases[] = {
		{ "/tags/dai-hoi/", ST_OK, GMI,
		  "# Thẻ: Đại hội\n3 bài · Trang 1/2\n\n"
		  "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 " },
		{ "/tags/dai-hoi/page/2/", ST_OK, GMI,
		  "\n=> /thoi-su/dia-phuong/2020-04-30-le-ky-niem 2020-04-30 "
		  "Lễ kỷ niệm 45 năm giải phóng\n\n"
		  "=> /tags/dai-hoi/ Trang trước\n" },
		{ "/tags/dai-hoi/page/2", ST_REDIRECT_PERM,
		  "/tags/dai-hoi/page/2/", NULL },
		{ "/tags/dai-hoi/page/1/", ST_REDIRECT_PERM, "/tags/dai-hoi/",
		  NULL },
		{ "/tags/dai-hoi/page/1", ST_REDIRECT_PERM, "/tags/dai-hoi/",
		  NULL },
		{ "/tags/dai-hoi", ST_REDIRECT_PERM, "/tags/dai-hoi/", NULL },
		/* the tag as written leads to its slug */
		{ "/tags/Đại hội/", ST_REDIRECT_PERM, "/tags/dai-hoi/", NULL },
		{ "/tags/ĐẠI HỘI", ST_REDIRECT_PERM, "/tags/dai-hoi/", NULL },
		{ "/tags/Dai-Hoi/page/2/", ST_REDIRECT_PERM,
		  "/tags/dai-hoi/page/2/", NULL },
		{ "/tags/le-hoi/", ST_OK, GMI, "# Thẻ: Lễ hội\n1 bài\n" },
		{ "/tags/dai-hoi/page/3/", ST_NOT_FOUND, "", NULL },
		{ "/tags/le-hoi/page/2/", ST_NOT_FOUND, "", NULL },
		{ "/tags/Đại hội/page/3/", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/page/0/", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/page/02/", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/page/", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/page/2/x", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/x", ST_NOT_FOUND, "", NULL },
		{ "/tags/dai-hoi/atom.xml", ST_NOT_FOUND, "", NULL },
		{ "/tags/khong-co/", ST_NOT_FOUND, "", NULL },
		{ "/tags/---/", ST_NOT_FOUND, "", NULL },
		{ "/tags//", ST_NOT_FOUND, "", NULL },
		{ "/tags/\xff/", ST_NOT_FOUND, "", NULL },
	};
	struct render_ctx	 ctx;
	struct request		 req;
	struct reply		 r;
	size_t			 i;

	ctx_init(&ctx);
	ctx.per_page = 2;
	reply_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_init(&req, cases[i].path, 0, "");
		reply_clear(&r);
		route(&ctx, &req, NULL, &r);
		if (r.status != cases[i].st)
			fprintf(stderr, "%s: %d [%s]\n", cases[i].path,
			    status_gemini(r.status), r.meta);
		CHECK_INT(r.status, cases[i].st);
		if (cases[i].st == ST_REDIRECT_PERM)
			CHECK_STR(r.meta, cases[i].meta);
		else if (cases[i].st == ST_OK) {
			CHECK_INT(r.kind, REPLY_MENU);
			CHECK(r.cache);
			CHECK(strncmp(r.meta, cases[i].meta,
			    strlen(cases[i].meta)) == 0);
		}
		if (cases[i].body != NULL)
			CHECK_HAS(r.body.data, cases[i].body);
	}
	reply_clear(&r);
	buf_free(&r.body);
}

static void
test_search_long(void)
{
	struct render_ctx	 ctx;
	struct request		 req;
	struct reply		 r;
	char			 q[2 * 201 + 1];
	size_t			 i;

	ctx_init(&ctx);
	reply_init(&r);
	/* 201 characters (402 bytes): a clear page, not an error */
	for (i = 0; i < 201; i++)
		memcpy(q + 2 * i, "đ", 2);
	q[2 * 201] = '\0';
	req_init(&req, "/search", 1, q);
	route(&ctx, &req, NULL, &r);
	CHECK_INT(r.status, ST_OK);
	CHECK_INT(r.kind, REPLY_MENU);
	CHECK_HAS(r.body.data, "\nTừ khóa quá dài (tối đa 200 ký tự).\n");
	/* 200 characters is accepted (then fails: no search handle) */
	q[2 * 200] = '\0';
	reply_clear(&r);
	req_init(&req, "/search", 1, q);
	route(&ctx, &req, NULL, &r);
	CHECK_INT(r.status, ST_TEMP_FAIL);
	reply_clear(&r);
	buf_free(&r.body);
}

static void
test_counting(void)
{
	static const struct {
		const char	*path;
		int		 probe;
		int		 site;		/* site visits after */
		int		 views;		/* chi-bo views after */
		const char	*body;
	} steps[] = {
		{ "/", 0, 1, 0, "\nSố lượt truy cập: 1\n" },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", 0, 2, 1,
		  "MỸ DUNG\nSố lượt người xem: 1\n" },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", 0, 3, 2,
		  "MỸ DUNG\nSố lượt người xem: 2\n" },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", 1, 3, 2, NULL },
		{ "/thoi-su/", 0, 4, 2, NULL },
		{ "/date/2020/", 0, 5, 2, NULL },
		{ "/gioi-thieu.gmi", 0, 6, 2, NULL },
		{ "/thoi-su/anh/hoi-nghi.jpg", 0, 6, 2, NULL },
		{ "/atom.xml", 0, 6, 2, NULL },
		{ "/thoi-su/atom.xml", 0, 6, 2, NULL },
		{ "/khong-co", 0, 6, 2, NULL },
		{ "/thoi-su", 0, 6, 2, NULL },
		{ "/search", 0, 6, 2, NULL },
		{ "/stats", 0, 7, 2, "\nSố lượt truy cập: 7\n" },
		{ "/tags/", 0, 8, 2, NULL },
		{ "/tags/dai-hoi/", 0, 9, 2, NULL },
		{ "/tags/dai-hoi", 0, 9, 2, NULL },
	};
	struct render_ctx	 ctx;
	struct request		 req;
	struct reply		 r;
	struct counter		*cnt;
	struct site_node	 n;
	char			 file[64], err[256];
	size_t			 i;
	int			 slot;

	snprintf(file, sizeof(file), "/tmp/test_route.%ld", (long)getpid());
	unlink(file);
	if ((cnt = counter_open(file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "counter_open: %s\n", err);
		CHECK(cnt != NULL);
		return;
	}
	CHECK_INT(counter_bind(cnt, site), 0);
	CHECK_INT(site_find(site, "/thoi-su/2020-05-21-chi-bo-dai-hoi", &n),
	    SITE_ARTICLE);
	slot = n.art != NULL ? n.art->counter_slot : -1;
	ctx_init(&ctx);
	ctx.counter = cnt;
	reply_init(&r);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		req_init(&req, steps[i].path, 0, "");
		req.probe = steps[i].probe;
		reply_clear(&r);
		route(&ctx, &req, NULL, &r);
		if (counter_site(cnt) != (unsigned long long)steps[i].site)
			fprintf(stderr, "after %s\n", steps[i].path);
		CHECK_INT(counter_site(cnt), steps[i].site);
		CHECK_INT(counter_views(cnt, slot), steps[i].views);
		if (steps[i].body != NULL)
			CHECK_HAS(r.body.data, steps[i].body);
	}
	reply_clear(&r);
	buf_free(&r.body);
	counter_free(cnt);
	unlink(file);
}

/*
 * An article's lang: its reply's lang=, and the labels and dates of
 * its language where bantin has them (the built-in ones: [labels] are
 * the site's); listings keep the site's language; a tag that is none
 * is a warning. On a Vietnamese site with one label overridden, then
 * on an English one.
 */
static const struct {
	const char	*site;		/* the site's lang */
	const char	*path;
	const char	*meta;		/* exact */
	const char	*ui;		/* reply.lang */
	const char	*has[2];
	const char	*hasnt;
} langcases[] = {
	{ "vi", "/tin/en", "text/gemini; charset=utf-8; lang=en", "en",
	  { "\n10 September 2025 16:00 · By: Lan\n", "\n=> / Home\n" },
	  "Người viết" },
	{ "vi", "/tin/html", "text/gemini; charset=utf-8; lang=en-GB", "en",
	  { "\n1 July 2025 · By: Ann\n", "Previous article: " },
	  "Trang chủ" },
	{ "vi", "/tin/vi", "text/gemini; charset=utf-8; lang=vi-VN", "vi",
	  { "\n2 Tháng Sáu 2025 · Người viết: Hoa\n", "=> / Trang chủ\n" },
	  "Home" },
	{ "vi", "/tin/fr", "text/gemini; charset=utf-8; lang=fr", "vi",
	  { "\n3 Tháng Sáu 2025 · Người viết: Luc\n", "Bài sau: " },
	  "By:" },
	{ "vi", "/tin/bad", "text/gemini; charset=utf-8; lang=vi", "vi",
	  { "\n4 Tháng Sáu 2025\n", "=> / Trang chủ\n" }, "Home" },
	{ "vi", "/tin/", "text/gemini; charset=utf-8; lang=vi", "vi",
	  { "=> /tin/en 2025-09-10 Online services\n", "Trang chủ" },
	  "Home" },
	{ "en", "/tin/vi", "text/gemini; charset=utf-8; lang=vi-VN", "vi",
	  { "\n2 Tháng Sáu 2025 · Tác giả: Hoa\n", "=> / Trang chủ\n" },
	  "Home" },
	{ "en", "/tin/en", "text/gemini; charset=utf-8; lang=en", "en",
	  { "\n10 September 2025 16:00 · Writer: Lan\n", "=> / Home\n" },
	  "Trang chủ" },
	{ "en", "/tin/fr", "text/gemini; charset=utf-8; lang=fr", "en",
	  { "\n3 June 2025 · Writer: Luc\n", "=> / Home\n" }, NULL },
};

static int
put_rel(const char *dir, const char *rel, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void
test_lang(void)
{
	static const char *const files[] = { "en.md", "html.html", "vi.md",
	    "fr.md", "bad.md" };
	char			 dir[] = "/tmp/test_route.XXXXXX", sub[600],
				 err[256];
	struct render_ctx	 ctx;
	struct request		 req;
	struct reply		 r;
	struct site		*s;
	size_t			 i, j;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(sub, sizeof(sub), "%s/tin", dir);
	mkdir(sub, 0700);
	put_rel(dir, "tin/en.md", "title: Online services\nlang: en\n"
	    "date: 2025-09-10 16:00\nauthor: Lan\n\nText.\n");
	put_rel(dir, "tin/html.html", "<html lang=\"en-GB\"><head><title>"
	    "Ann's</title><meta name=\"author\" content=\"Ann\"><meta "
	    "name=\"date\" content=\"2025-07-01\"></head><body><p>Text."
	    "</p></body></html>\n");
	put_rel(dir, "tin/vi.md", "title: Tin\nlang: vi-VN\n"
	    "date: 2025-06-02\nauthor: Hoa\n\nx\n");
	put_rel(dir, "tin/fr.md", "title: Nouvelles\nlang: fr\n"
	    "date: 2025-06-03\nauthor: Luc\n\nx\n");
	put_rel(dir, "tin/bad.md", "title: Sai\nlang: en_US\n"
	    "date: 2025-06-04\n\nx\n");
	if ((s = site_load(dir, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "site_load %s: %s\n", dir, err);
		CHECK(0);
		return;
	}
	CHECK_INT(s->narticles, 5);
	CHECK_HAS(s->warnings.data, "tin/bad.md: lang 'en_US' is not a "
	    "language tag (such as vi or en-US): ignored\n");
	reply_init(&r);
	for (i = 0; i < sizeof(langcases) / sizeof(langcases[0]); i++) {
		ctx_init(&ctx);
		ctx.site = s;
		ctx.lang = langcases[i].site;
		ctx.labels[L_BY] = strcmp(ctx.lang, "vi") == 0 ?
		    "Người viết" : "Writer";
		req_init(&req, langcases[i].path, 0, "");
		reply_clear(&r);
		route(&ctx, &req, NULL, &r);
		CHECK_INT(r.status, ST_OK);
		CHECK_STR(r.meta, langcases[i].meta);
		CHECK_STR(r.lang, langcases[i].ui);
		for (j = 0; j < 2; j++)
			CHECK_HAS(r.body.data, langcases[i].has[j]);
		if (langcases[i].hasnt != NULL &&
		    strstr(r.body.data, langcases[i].hasnt) != NULL) {
			fprintf(stderr, "%s on a %s site: [%s] in\n%s\n",
			    langcases[i].path, langcases[i].site,
			    langcases[i].hasnt, r.body.data);
			CHECK(0);
		}
	}
	/* the feed is the site's language; an entry in another says so */
	ctx_init(&ctx);
	ctx.site = s;
	req_init(&req, "/tin/atom.xml", 0, "");
	reply_clear(&r);
	route(&ctx, &req, NULL, &r);
	CHECK_INT(r.status, ST_OK);
	CHECK_HAS(r.body.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xml:lang=\"vi\">");
	CHECK_HAS(r.body.data, "<entry xml:lang=\"en\">\n<id>gemini://"
	    "localhost/tin/en</id>");
	CHECK_HAS(r.body.data, "<entry xml:lang=\"en-GB\">\n");
	CHECK_HAS(r.body.data, "<entry xml:lang=\"vi-VN\">\n");
	CHECK_HAS(r.body.data, "<entry xml:lang=\"fr\">\n");
	CHECK_HAS(r.body.data, "<entry>\n<id>gemini://localhost/tin/bad</id>");
	reply_clear(&r);
	buf_free(&r.body);
	site_free(s);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(sub, sizeof(sub), "%s/tin/%s", dir, files[i]);
		unlink(sub);
	}
	snprintf(sub, sizeof(sub), "%s/tin", dir);
	rmdir(sub);
	rmdir(dir);
}

static void
test_kind(void)
{
	static const struct {
		const char	*url;
		int		 kind;
		const char	*mime;
	} cases[] = {
		{ "/", SCHEME_MENU, NULL },
		{ "/thoi-su/", SCHEME_MENU, NULL },
		{ "/thoi-su", SCHEME_MENU, NULL },
		{ "/thoi-su/page/2/", SCHEME_MENU, NULL },
		{ "/date/", SCHEME_MENU, NULL },
		{ "/date/2020/05/21/", SCHEME_MENU, NULL },
		{ "/tags/", SCHEME_MENU, NULL },
		{ "/tags/dai-hoi/", SCHEME_MENU, NULL },
		{ "/tags/dai-hoi/page/2/", SCHEME_MENU, NULL },
		{ "/stats", SCHEME_MENU, NULL },
		{ "/search", SCHEME_SEARCH, NULL },
		{ "/search?%C4%91&page=2", SCHEME_MENU, NULL },
		{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", SCHEME_DOCUMENT, NULL },
		{ "/thoi-su/2020-05-21-chi-%62o-dai-hoi", SCHEME_DOCUMENT,
		  NULL },
		{ "/gioi-thieu.gmi", SCHEME_DOCUMENT, NULL },
		{ "/lien-he.txt", SCHEME_DOCUMENT, NULL },
		{ "/thoi-su/anh/", SCHEME_DOCUMENT, NULL },
		{ "/thoi-su/anh/hoi-nghi.jpg", SCHEME_FILE, "image/jpeg" },
		{ "/tai-lieu/bao-cao.pdf", SCHEME_FILE, "application/pdf" },
		{ "/atom.xml", SCHEME_FILE, "application/atom+xml" },
		{ "/thoi-su/atom.xml", SCHEME_FILE, "application/atom+xml" },
		{ "gemini://example.org/", SCHEME_EXTERNAL, NULL },
		{ "gemini://localhost/thoi-su/", SCHEME_EXTERNAL, NULL },
		{ "https://example.org/x", SCHEME_EXTERNAL, NULL },
		{ "mailto:bbt@example.org", SCHEME_EXTERNAL, NULL },
		{ "//example.org/x", SCHEME_EXTERNAL, NULL },
		{ "/khong-co", SCHEME_UNKNOWN, NULL },
		{ "/tai-lieu/", SCHEME_UNKNOWN, NULL },
		{ "/_nhap.gmi", SCHEME_UNKNOWN, NULL },
		{ "/.an.gmi", SCHEME_UNKNOWN, NULL },
		{ "hoi-nghi.jpg", SCHEME_UNKNOWN, NULL },
		{ "/%zz", SCHEME_UNKNOWN, NULL },
		{ "", SCHEME_UNKNOWN, NULL },
	};
	const char	*mime;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mime = "unset";
		if (route_kind(site, cases[i].url, &mime) != cases[i].kind)
			fprintf(stderr, "route_kind(%s)\n", cases[i].url);
		CHECK_INT(route_kind(site, cases[i].url, &mime),
		    cases[i].kind);
		if (cases[i].mime != NULL)
			CHECK_STR(mime, cases[i].mime);
		else
			CHECK(mime == NULL);
	}
	CHECK_INT(route_kind(site, "/lien-he.txt", NULL), SCHEME_DOCUMENT);
}

int
main(void)
{
	char	 err[256];

	if ((site = site_load(FIXTURE, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "site_load %s: %s\n", FIXTURE, err);
		CHECK(site != NULL);
		return t_done("test_route");
	}
	test_table();
	test_tags();
	test_search_long();
	test_counting();
	test_lang();
	test_kind();
	site_free(site);
	return t_done("test_route");
}
