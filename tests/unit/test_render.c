/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_render.c: every page kind rendered from tests/fixtures/site
 * (see its README for the known articles, dates and counts), checked
 * line by line in Vietnamese and English, with label overrides, a
 * counter, hostile titles that must never form a link line, and Atom
 * feeds parsed back with libxml2.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "counter.h"
#include "label.h"
#include "pagecache.h"
#include "render.h"
#include "search.h"
#include "site.h"
#include "t.h"
#include "zone.h"

#define FIXTURE		"tests/fixtures/site"

static struct site	*site;

/* true if any line of s starts with prefix */
static int
has_line_prefix(const char *s, const char *prefix)
{
	size_t	 n = strlen(prefix);

	for (;;) {
		if (strncmp(s, prefix, n) == 0)
			return 1;
		if ((s = strchr(s, '\n')) == NULL)
			return 0;
		s++;
	}
}

static size_t
count_of(const char *s, const char *needle)
{
	size_t	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* a before b in s, both present */
static int
in_order(const char *s, const char *a, const char *b)
{
	const char	*pa = strstr(s, a), *pb = strstr(s, b);

	return pa != NULL && pb != NULL && pa < pb;
}

static void
ctx_init(struct render_ctx *ctx, const char *lang)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->site = site;
	ctx->title = "Cổng thông tin huyện";
	ctx->lang = lang;
	ctx->hostname = "localhost";
	ctx->per_page = 3;
}

static const struct article *
find_art(const struct site *s, const char *path)
{
	struct site_node	 n;

	if (site_find(s, path, &n) != SITE_ARTICLE)
		return NULL;
	return n.art;
}

static const struct category *
find_cat(const struct site *s, const char *path)
{
	struct site_node	 n;

	if (site_find(s, path, &n) != SITE_CATEGORY)
		return NULL;
	return n.cat;
}

static char *
page_article_marked(const struct render_ctx *ctx, const char *path,
    struct buf *b, const struct page_marks *marker)
{
	const struct article	*a;
	struct article_page	 pg;
	char			 err[256];

	buf_reset(b);
	buf_puts(b, "");
	if ((a = find_art(ctx->site, path)) == NULL) {
		fprintf(stderr, "no article %s\n", path);
		return b->data;
	}
	CHECK_INT(site_article_page(ctx->site, NULL, a, &pg, err,
	    sizeof(err)), 0);
	CHECK_INT(render_article(b, ctx, a, &pg, marker), 0);
	site_article_page_free(&pg);
	return b->data;
}

static char *
page_article(const struct render_ctx *ctx, const char *path, struct buf *b)
{
	return page_article_marked(ctx, path, b, NULL);
}

struct want {
	const char	*has;		/* an exact line or part of one */
	int		 absent;	/* 1: must not be there */
};

static void
check_all(const char *page, const struct want *w, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (w[i].absent) {
			if (strstr(page, w[i].has) != NULL)
				fprintf(stderr, "unexpected [%s]\n", w[i].has);
			CHECK(strstr(page, w[i].has) == NULL);
		} else
			CHECK_HAS(page, w[i].has);
	}
}

static void
test_home(void)
{
	static const struct want	 vi[] = {
		{ "# Cổng thông tin huyện\n", 0 },
		{ "## Chuyên mục\n", 0 },
		{ "\n=> /thoi-su/ Thời sự (6 bài)\n", 0 },
		{ "\n=> /van-hoa/ Văn hóa (2 bài)\n", 0 },
		{ "\n=> /doi-song/ Đời sống (0 bài)\n", 0 },
		{ "\n=> /the-thao/ the-thao (2 bài)\n", 0 },
		{ "\n=> /thoi-su/dia-phuong/ ", 1 },	/* not top level */
		{ "## Tin mới nhất\n", 0 },
		{ "\n=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
		  "Chi bộ khu phố 3 tổ chức đại hội\n", 0 },
		{ "\n=> /van-hoa/2019-12-31-tat-nien 2019-12-31 Tất niên\n",
		  0 },
		/* the 11th article is past the latest ten */
		{ "2019-09-05-khai-giang", 1 },
		{ "\n=> /date/ Xem theo ngày\n", 0 },
		{ "\n=> /search Tìm kiếm\n", 0 },
		{ "\n=> /stats Thống kê\n", 0 },
		{ "\n=> /atom.xml Nguồn tin Atom\n", 0 },
		{ "## Trang tĩnh\n", 0 },
		{ "\n=> /gioi-thieu.gmi Giới thiệu\n", 0 },
		{ "\n=> /lien-he.txt lien-he\n", 0 },
		{ "robots", 1 },		/* served, never listed */
		{ "favicon", 1 },
		{ "_nhap", 1 },
		{ ".an", 1 },
		{ "Số lượt truy cập", 1 },		/* no counter */
	};
	static const struct want	 en[] = {
		{ "\n=> /thoi-su/ Thời sự (6 articles)\n", 0 },
		{ "## Latest news\n", 0 },
		{ "\n=> /date/ Archive by date\n", 0 },
		{ "\n=> /atom.xml Atom feed\n", 0 },
		{ "Tin mới nhất", 1 },
	};
	struct render_ctx	 ctx;
	struct buf		 b = BUF_INIT;
	char			*p, *e;

	ctx_init(&ctx, "vi");
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	check_all(b.data, vi, sizeof(vi) / sizeof(vi[0]));
	CHECK(strncmp(b.data, "# Cổng thông tin huyện\n", 27) == 0);
	CHECK(in_order(b.data, "=> /thoi-su/ ", "=> /van-hoa/ "));
	CHECK(in_order(b.data, "=> /doi-song/ ", "=> /giao-duc/ "));
	CHECK(in_order(b.data, "2020-05-21-chi-bo-dai-hoi",
	    "2020-05-21-le-hoi"));
	/* ten latest, and the section ends with a blank line */
	if ((p = strstr(b.data, "## Tin mới nhất\n")) != NULL &&
	    (e = strstr(p, "\n\n")) != NULL) {
		*e = '\0';
		CHECK_INT(count_of(p, "\n=> /"), 10);
		*e = '\n';
	} else
		CHECK(0);

	buf_reset(&b);
	ctx_init(&ctx, "en");
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	check_all(b.data, en, sizeof(en) / sizeof(en[0]));

	/* [labels] override one string, the rest stay built in */
	buf_reset(&b);
	ctx_init(&ctx, "vi");
	ctx.labels[L_ARCHIVE] = "Lưu trữ";
	CHECK_STR(render_label(&ctx, L_ARCHIVE), "Lưu trữ");
	CHECK_STR(render_label(&ctx, L_SEARCH), "Tìm kiếm");
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	CHECK_HAS(b.data, "\n=> /date/ Lưu trữ\n");
	CHECK(strstr(b.data, "Xem theo ngày") == NULL);
	buf_free(&b);
}

static void
test_category(void)
{
	static const struct want	 p1[] = {
		{ "# Thời sự\nTin tức trong huyện\nTrang 1/2\n", 0 },
		{ "## Chuyên mục con\n"
		  "=> /thoi-su/dia-phuong/ Địa phương (2 bài)\n", 0 },
		{ "## Bài viết\n"
		  "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
		  "Chi bộ khu phố 3 tổ chức đại hội\n"
		  "=> /thoi-su/2020-05-20-hop-bao 2020-05-20 Họp báo quý II\n"
		  "=> /thoi-su/2020-05-18-ha-noi 2020-05-18 2020-05-18-ha-noi\n"
		  "\n", 0 },
		{ "\n=> /thoi-su/page/2/ Trang sau\n", 0 },
		{ "Trang trước", 1 },
		{ "/thoi-su/trung", 1 },
		{ "\n=> /thoi-su/atom.xml Nguồn tin Atom\n", 0 },
		{ "\n=> / Trang chủ\n", 0 },
		/* articles of the subcategory are its own */
		{ "xa-an-binh", 1 },
	};
	static const struct want	 p2[] = {
		{ "# Thời sự\nTin tức trong huyện\nTrang 2/2\n", 0 },
		{ "\n=> /thoi-su/trung 2020-05-10 Bài trùng (gmi)\n", 0 },
		{ "\n=> /thoi-su/ Trang trước\n", 0 },
		{ "Trang sau", 1 },
		{ "chi-bo-dai-hoi", 1 },
	};
	static const struct want	 sub[] = {
		{ "# Địa phương\n", 0 },
		{ "\n=> /thoi-su/dia-phuong/2020-05-19-xa-an-binh 2020-05-19 "
		  "Xã An Bình ra quân làm đường\n", 0 },
		{ "\n=> /thoi-su/dia-phuong/2020-04-30-le-ky-niem 2020-04-30 "
		  "Lễ kỷ niệm 45 năm giải phóng\n", 0 },
		{ "\n=> /thoi-su/dia-phuong/atom.xml Nguồn tin Atom\n", 0 },
		{ "\n=> /thoi-su/ Thời sự\n=> / Trang chủ\n", 0 },
		{ "Trang 1/", 1 },
	};
	static const struct want	 empty[] = {
		{ "# Đời sống\n", 0 },
		{ "Bài viết", 1 },
		{ "Trang sau", 1 },
		{ "\n=> /doi-song/atom.xml Nguồn tin Atom\n", 0 },
	};
	struct render_ctx	 ctx;
	const struct category	*c;
	struct buf		 b = BUF_INIT;

	ctx_init(&ctx, "vi");
	if ((c = find_cat(site, "/thoi-su/")) == NULL) {
		CHECK(c != NULL);
		return;
	}
	CHECK_INT(render_category_pages(&ctx, c), 2);
	CHECK_INT(render_category(&b, &ctx, c, 1), 0);
	check_all(b.data, p1, sizeof(p1) / sizeof(p1[0]));
	buf_reset(&b);
	CHECK_INT(render_category(&b, &ctx, c, 2), 0);
	check_all(b.data, p2, sizeof(p2) / sizeof(p2[0]));
	buf_reset(&b);
	CHECK_INT(render_category(&b, &ctx, c, 3), RENDER_NOT_FOUND);
	CHECK_INT(render_category(&b, &ctx, c, 0), RENDER_NOT_FOUND);
	CHECK_INT(b.len, 0);

	/* one page holds them all */
	ctx.per_page = 20;
	CHECK_INT(render_category_pages(&ctx, c), 1);
	CHECK_INT(render_category(&b, &ctx, c, 1), 0);
	CHECK(strstr(b.data, "Trang 1/1") == NULL);
	CHECK_HAS(b.data, "\n=> /thoi-su/trung 2020-05-10 Bài trùng (gmi)\n");
	ctx.per_page = 3;

	buf_reset(&b);
	if ((c = find_cat(site, "/thoi-su/dia-phuong/")) != NULL) {
		CHECK_INT(render_category(&b, &ctx, c, 1), 0);
		check_all(b.data, sub, sizeof(sub) / sizeof(sub[0]));
	} else
		CHECK(c != NULL);

	buf_reset(&b);
	if ((c = find_cat(site, "/doi-song/")) != NULL) {
		CHECK_INT(render_category_pages(&ctx, c), 1);
		CHECK_INT(render_category(&b, &ctx, c, 1), 0);
		check_all(b.data, empty, sizeof(empty) / sizeof(empty[0]));
	} else
		CHECK(c != NULL);

	buf_reset(&b);
	ctx_init(&ctx, "en");
	c = find_cat(site, "/thoi-su/");
	CHECK_INT(render_category(&b, &ctx, c, 2), 0);
	CHECK_HAS(b.data, "\nPage 2/2\n");
	CHECK_HAS(b.data, "\n=> /thoi-su/ Previous page\n");
	buf_free(&b);
}

static void
test_article(void)
{
	static const struct {
		const char	*lang;
		const char	*path;
		const char	*has[4];
		const char	*hasnt[3];
		int		 h1;	/* level-1 headings after the title */
	} cases[] = {
		{ "vi", "/thoi-su/2020-05-21-chi-bo-dai-hoi",
		  { "# Chi bộ khu phố 3 tổ chức đại hội\n"
		    "21 Tháng Năm 2020 11:15 · Tác giả: MỸ DUNG\n"
		    "=> /thoi-su/ Thời sự\n",
		    "\n=> /thoi-su/2020-05-20-hop-bao Bài trước: "
		    "Họp báo quý II\n",
		    "\n=> /thoi-su/ Thời sự\n=> / Trang chủ\n", NULL },
		  { "Bài sau", "Số lượt người xem", NULL }, 0 },
		{ "en", "/thoi-su/2020-05-21-chi-bo-dai-hoi",
		  { "\n21 May 2020 11:15 · By: MỸ DUNG\n",
		    "\n=> /thoi-su/2020-05-20-hop-bao Previous article: "
		    "Họp báo quý II\n", "\n=> / Home\n", NULL },
		  { "Next article", "Tháng", NULL }, 0 },
		/* title from the body's heading: printed once */
		{ "vi", "/thoi-su/2020-05-20-hop-bao",
		  { "# Họp báo quý II\n20 Tháng Năm 2020\n",
		    "\n=> /thoi-su/2020-05-18-ha-noi Bài trước: "
		    "2020-05-18-ha-noi\n",
		    "\n=> /thoi-su/2020-05-21-chi-bo-dai-hoi Bài sau: "
		    "Chi bộ khu phố 3 tổ chức đại hội\n", NULL },
		  { "Tác giả", NULL, NULL }, 0 },
		/* "Hà Nội: ..." stays body text */
		{ "vi", "/thoi-su/2020-05-18-ha-noi",
		  { "# 2020-05-18-ha-noi\n18 Tháng Năm 2020\n",
		    "\nHà Nội:", NULL, NULL },
		  { NULL, NULL, NULL }, 0 },
		/* the oldest of its category: only a newer one */
		{ "vi", "/thoi-su/trung",
		  { "\n=> /thoi-su/2020-05-18-ha-noi Bài sau: "
		    "2020-05-18-ha-noi\n", NULL, NULL, NULL },
		  { "Bài trước", NULL, NULL }, 1 },
		{ "vi", "/van-hoa/2020-05-21-le-hoi",
		  { "# Lễ hội đình làng\n21 Tháng Năm 2020\n",
		    "\n=> /van-hoa/ Văn hóa\n", NULL, NULL },
		  { "11:15", NULL, NULL }, 0 },
		{ "vi", "/thoi-su/dia-phuong/2020-04-30-le-ky-niem",
		  { "# Lễ kỷ niệm 45 năm giải phóng\n30 Tháng Tư 2020 07:00 · "
		    "Tác giả: THU HÀ\n=> /thoi-su/dia-phuong/ Địa phương\n",
		    "\n=> /thoi-su/dia-phuong/2020-05-19-xa-an-binh Bài sau: "
		    "Xã An Bình ra quân làm đường\n", NULL, NULL },
		  { NULL, NULL, NULL }, 0 },
	};
	struct render_ctx	 ctx;
	struct buf		 b = BUF_INIT;
	const char		*p;
	size_t			 i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctx_init(&ctx, cases[i].lang);
		p = page_article(&ctx, cases[i].path, &b);
		for (j = 0; j < 4 && cases[i].has[j] != NULL; j++)
			CHECK_HAS(p, cases[i].has[j]);
		for (j = 0; j < 3 && cases[i].hasnt[j] != NULL; j++) {
			if (strstr(p, cases[i].hasnt[j]) != NULL)
				fprintf(stderr, "%s: unexpected [%s]\n",
				    cases[i].path, cases[i].hasnt[j]);
			CHECK(strstr(p, cases[i].hasnt[j]) == NULL);
		}
		/* the title is one heading, never two (trung's body has
		   a different one) */
		CHECK_INT(count_of(p, "\n# "), cases[i].h1);
	}
	buf_free(&b);
}

static void
test_tags(void)
{
	static const char	 index_vi[] =
	    "# Thẻ\n"
	    "\n"
	    "=> /tags/chi-bo/ chi bộ (2 bài)\n"
	    "=> /tags/dai-hoi/ Đại hội (3 bài)\n"
	    "=> /tags/giao-thong/ Giao thông (1 bài)\n"
	    "=> /tags/ky-niem/ kỷ niệm (1 bài)\n"
	    "=> /tags/le-hoi/ Lễ hội (1 bài)\n"
	    "\n"
	    "=> / Trang chủ\n";
	static const char	 dai_hoi_p2[] =
	    "# Thẻ: Đại hội\n"
	    "3 bài · Trang 2/2\n"
	    "\n"
	    "=> /thoi-su/dia-phuong/2020-04-30-le-ky-niem 2020-04-30 "
	    "Lễ kỷ niệm 45 năm giải phóng\n"
	    "\n"
	    "=> /tags/dai-hoi/ Trang trước\n"
	    "\n"
	    "=> /tags/ Thẻ\n"
	    "=> / Trang chủ\n";
	static const struct want	 dai_hoi_p1[] = {
		{ "# Thẻ: Đại hội\n3 bài · Trang 1/2\n\n"
		  "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
		  "Chi bộ khu phố 3 tổ chức đại hội\n"
		  "=> /thoi-su/dia-phuong/2020-05-19-xa-an-binh 2020-05-19 "
		  "Xã An Bình ra quân làm đường\n\n"
		  "=> /tags/dai-hoi/page/2/ Trang sau\n\n", 0 },
		{ "Trang trước", 1 },
		{ "le-ky-niem", 1 },
	};
	static const struct want	 art_vi[] = {
		{ "\nThẻ:\n=> /tags/dai-hoi/ Đại hội\n"
		  "=> /tags/chi-bo/ chi bộ\n\n"
		  "=> /thoi-su/2020-05-20-hop-bao Bài trước: ", 0 },
	};
	struct render_ctx	 ctx;
	const struct site_tag	*t;
	struct site		 empty;
	struct buf		 b = BUF_INIT;

	ctx_init(&ctx, "vi");
	CHECK_INT(render_tags(&b, &ctx), 0);
	CHECK_STR(b.data, index_vi);
	if ((t = site_tag_find(site, "dai-hoi")) == NULL) {
		CHECK(t != NULL);
		return;
	}
	ctx.per_page = 2;
	CHECK_INT(render_tag_pages(&ctx, t), 2);
	buf_reset(&b);
	CHECK_INT(render_tag(&b, &ctx, t, 1), 0);
	check_all(b.data, dai_hoi_p1, sizeof(dai_hoi_p1) /
	    sizeof(dai_hoi_p1[0]));
	buf_reset(&b);
	CHECK_INT(render_tag(&b, &ctx, t, 2), 0);
	CHECK_STR(b.data, dai_hoi_p2);
	buf_reset(&b);
	CHECK_INT(render_tag(&b, &ctx, t, 3), RENDER_NOT_FOUND);
	CHECK_INT(render_tag(&b, &ctx, t, 0), RENDER_NOT_FOUND);
	CHECK_INT(b.len, 0);
	/* one page: no page number, no paging */
	ctx.per_page = 3;
	CHECK_INT(render_tag_pages(&ctx, t), 1);
	CHECK_INT(render_tag(&b, &ctx, t, 1), 0);
	CHECK_HAS(b.data, "# Thẻ: Đại hội\n3 bài\n\n");
	CHECK(strstr(b.data, "Trang 1/") == NULL);
	CHECK(strstr(b.data, "/page/") == NULL);

	/* the article shows its tags, spelled as the tag is */
	page_article(&ctx, "/thoi-su/2020-05-21-chi-bo-dai-hoi", &b);
	check_all(b.data, art_vi, sizeof(art_vi) / sizeof(art_vi[0]));
	page_article(&ctx, "/van-hoa/2020-05-21-le-hoi", &b);
	CHECK_HAS(b.data, "\nThẻ:\n=> /tags/le-hoi/ Lễ hội\n"
	    "=> /tags/chi-bo/ chi bộ\n\n");
	page_article(&ctx, "/thoi-su/2020-05-20-hop-bao", &b);
	CHECK(strstr(b.data, "Thẻ") == NULL);
	/* the home page links to /tags/ */
	buf_reset(&b);
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	CHECK_HAS(b.data, "\n=> /date/ Xem theo ngày\n=> /tags/ Thẻ\n");

	/* English, and labels of one's own */
	ctx_init(&ctx, "en");
	buf_reset(&b);
	CHECK_INT(render_tags(&b, &ctx), 0);
	CHECK_HAS(b.data, "# Tags\n\n=> /tags/chi-bo/ chi bộ (2 articles)\n");
	buf_reset(&b);
	CHECK_INT(render_tag(&b, &ctx, t, 1), 0);
	CHECK_HAS(b.data, "# Tag: Đại hội\n3 articles\n");
	CHECK_HAS(b.data, "\n=> /tags/ Tags\n=> / Home\n");
	page_article(&ctx, "/thoi-su/2020-05-21-chi-bo-dai-hoi", &b);
	CHECK_HAS(b.data, "\nTags:\n=> /tags/dai-hoi/ Đại hội\n");
	ctx_init(&ctx, "vi");
	ctx.labels[L_TAGS] = "Từ khóa";
	ctx.labels[L_TAG] = "Từ khóa";
	buf_reset(&b);
	CHECK_INT(render_tag(&b, &ctx, t, 1), 0);
	CHECK_HAS(b.data, "# Từ khóa: Đại hội\n");
	CHECK_HAS(b.data, "\n=> /tags/ Từ khóa\n");
	page_article(&ctx, "/thoi-su/2020-05-21-chi-bo-dai-hoi", &b);
	CHECK_HAS(b.data, "\nTừ khóa:\n=> /tags/dai-hoi/ Đại hội\n");

	/* a site without tags: an empty index, no link home */
	memset(&empty, 0, sizeof(empty));
	ctx_init(&ctx, "vi");
	ctx.site = &empty;
	buf_reset(&b);
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	CHECK(strstr(b.data, "/tags/") == NULL);
	buf_reset(&b);
	CHECK_INT(render_tags(&b, &ctx), 0);
	CHECK_STR(b.data, "# Thẻ\n\n=> / Trang chủ\n");
	buf_free(&b);
}

static void
test_date(void)
{
	static const struct {
		const char	*lang;
		int		 y, m, d;
		int		 rc;
		const char	*has[4];
	} cases[] = {
		{ "vi", 0, 0, 0, 0,
		  { "# Xem theo ngày\n\n=> /date/2020/ 2020 (9 bài)\n"
		    "=> /date/2019/ 2019 (2 bài)\n\n=> / Trang chủ\n",
		    NULL } },
		{ "vi", 2020, 0, 0, 0,
		  { "# Xem theo ngày: 2020\n",
		    "\n=> /date/2020/05/ Tháng Năm 2020 (8 bài)\n"
		    "=> /date/2020/04/ Tháng Tư 2020 (1 bài)\n\n"
		    "=> /date/ Xem theo ngày\n", NULL } },
		{ "en", 2020, 0, 0, 0,
		  { "\n=> /date/2020/05/ May 2020 (8 articles)\n",
		    "\n=> /date/ Archive by date\n", NULL } },
		{ "vi", 2020, 5, 0, 0,
		  { "# Xem theo ngày: Tháng Năm 2020\n",
		    "\n=> /date/2020/05/21/ 21 Tháng Năm 2020 (2 bài)\n"
		    "=> /date/2020/05/20/ 20 Tháng Năm 2020 (1 bài)\n",
		    "\n=> /date/2020/05/01/ 1 Tháng Năm 2020 (2 bài)\n\n"
		    "=> /date/2020/ 2020\n", NULL } },
		{ "vi", 2020, 5, 21, 0,
		  { "# Xem theo ngày: 21 Tháng Năm 2020\n\n"
		    "=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
		    "Chi bộ khu phố 3 tổ chức đại hội\n"
		    "=> /van-hoa/2020-05-21-le-hoi 2020-05-21 "
		    "Lễ hội đình làng\n\n=> /date/2020/05/ Tháng Năm 2020\n",
		    NULL } },
		{ "en", 2020, 5, 1, 0,
		  { "# Archive by date: 1 May 2020\n",
		    "=> /the-thao/2020-05-01-bong-chuyen 2020-05-01 "
		    "Giải bóng chuyền\n=> /the-thao/2020-05-01-bong-da "
		    "2020-05-01 Giải bóng đá thanh niên\n", NULL } },
		{ "vi", 2019, 9, 5, 0,
		  { "=> /giao-duc/2019-09-05-khai-giang 2019-09-05 "
		    "Khai giảng năm học mới\n", NULL } },
		{ "vi", 2018, 0, 0, RENDER_NOT_FOUND, { NULL } },
		{ "vi", 2020, 6, 0, RENDER_NOT_FOUND, { NULL } },
		{ "vi", 2020, 5, 22, RENDER_NOT_FOUND, { NULL } },
		{ "vi", 2020, 13, 0, RENDER_NOT_FOUND, { NULL } },
		{ "vi", 0, 5, 0, RENDER_NOT_FOUND, { NULL } },
	};
	struct render_ctx	 ctx;
	struct buf		 b = BUF_INIT;
	size_t			 i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctx_init(&ctx, cases[i].lang);
		buf_reset(&b);
		CHECK_INT(render_date(&b, &ctx, cases[i].y, cases[i].m,
		    cases[i].d), cases[i].rc);
		for (j = 0; j < 4 && cases[i].has[j] != NULL; j++)
			CHECK_HAS(b.data, cases[i].has[j]);
	}
	buf_free(&b);
}

static void
test_search(void)
{
	struct render_ctx	 ctx;
	struct search_hit	 hits[2];
	struct buf		 b = BUF_INIT;

	ctx_init(&ctx, "vi");
	hits[0].art = find_art(site, "/thoi-su/2020-05-21-chi-bo-dai-hoi");
	hits[0].excerpt = "… tổ chức đại hội chi bộ nhiệm kỳ …";
	hits[1].art = find_art(site, "/van-hoa/2020-05-21-le-hoi");
	hits[1].excerpt = "=> /evil excerpt that looks like a link";
	CHECK(hits[0].art != NULL && hits[1].art != NULL);
	if (hits[0].art == NULL || hits[1].art == NULL)
		return;

	CHECK_INT(render_search(&b, &ctx, "đại hội", 2, hits, 2, 45), 0);
	CHECK_HAS(b.data, "# Kết quả tìm kiếm\nTừ khóa: đại hội\n"
	    "45 bài · Trang 2/3\n\n");
	CHECK_HAS(b.data, "\n=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
	    "Chi bộ khu phố 3 tổ chức đại hội\n"
	    "… tổ chức đại hội chi bộ nhiệm kỳ …\n");
	CHECK_HAS(b.data, "\n => /evil excerpt");
	CHECK(!has_line_prefix(b.data, "=> /evil"));
	CHECK_HAS(b.data, "\n=> /search?%C4%91%E1%BA%A1i%20h%E1%BB%99i "
	    "Trang trước\n");
	CHECK_HAS(b.data, "\n=> /search?%C4%91%E1%BA%A1i%20h%E1%BB%99i&page=3 "
	    "Trang sau\n");
	CHECK_HAS(b.data, "\n=> /search Tìm kiếm\n=> / Trang chủ\n");

	/* page 1 of 1: no paging links */
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "lễ hội", 1, hits + 1, 1, 1), 0);
	CHECK_HAS(b.data, "\n1 bài\n");
	CHECK(strstr(b.data, "Trang sau") == NULL);
	CHECK(strstr(b.data, "Trang trước") == NULL);

	/* past SEARCH_TOTAL_MAX hits: "more than", and no page past it */
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "hội", 1, hits, 2,
	    SEARCH_TOTAL_MAX + 1), 0);
	CHECK_HAS(b.data, "\nHơn 1000 bài · Trang 1/50\n\n");
	CHECK_HAS(b.data, "\n=> /search?h%E1%BB%99i&page=2 Trang sau\n");
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "hội", 50, hits, 2,
	    SEARCH_TOTAL_MAX + 1), 0);
	CHECK_HAS(b.data, "\nHơn 1000 bài · Trang 50/50\n\n");
	CHECK(strstr(b.data, "Trang sau") == NULL);
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "hội", 1, hits, 2,
	    SEARCH_TOTAL_MAX), 0);
	CHECK_HAS(b.data, "\n1000 bài · Trang 1/50\n\n");

	/* "&" and "=" in a query are escaped in the paging links */
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "a&b=c", 1, hits, 2, 30), 0);
	CHECK_HAS(b.data, "\n=> /search?a%26b%3Dc&page=2 Trang sau\n");

	/* a hostile query is echoed on its label's line, never as markup */
	buf_reset(&b);
	CHECK_INT(render_search(&b, &ctx, "x\n=> gemini://evil/ evil\r\n# h",
	    1, NULL, 0, 0), 0);
	CHECK_HAS(b.data, "\nTừ khóa: x => gemini://evil/ evil  # h\n");
	CHECK_HAS(b.data, "\nKhông tìm thấy bài viết nào.\n");
	CHECK(!has_line_prefix(b.data, "=> gemini://evil"));
	CHECK(!has_line_prefix(b.data, "# h"));

	buf_reset(&b);
	ctx_init(&ctx, "en");
	CHECK_INT(render_search(&b, &ctx, "nothing", 1, NULL, 0, 0), 0);
	CHECK_HAS(b.data, "# Search results\nQuery: nothing\n"
	    "No articles found.\n");

	buf_reset(&b);
	CHECK_INT(render_message(&b, &ctx, L_RESULTS, L_QUERY_TOO_LONG), 0);
	CHECK_HAS(b.data, "# Search results\n"
	    "The query is too long (200 characters at most).\n");
	buf_free(&b);
}

static void
test_counter_pages(void)
{
	static const struct page_marks	 marks = { "HOLES", "HOLEV" };
	struct render_ctx	 ctx;
	struct counter		*cnt;
	const struct article	*a, *h;
	struct buf		 b = BUF_INIT;
	char			 file[64], err[256];
	int			 i;

	snprintf(file, sizeof(file), "/tmp/test_render.%ld", (long)getpid());
	unlink(file);
	if ((cnt = counter_open(file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "counter_open: %s\n", err);
		CHECK(cnt != NULL);
		return;
	}
	CHECK_INT(counter_bind(cnt, site), 0);
	a = find_art(site, "/thoi-su/2020-05-21-chi-bo-dai-hoi");
	h = find_art(site, "/thoi-su/2020-05-20-hop-bao");
	if (a == NULL || h == NULL) {
		CHECK(a != NULL && h != NULL);
		counter_free(cnt);
		return;
	}
	for (i = 0; i < 1234; i++)
		counter_hit(cnt, -1);
	for (i = 0; i < 2; i++)
		counter_hit(cnt, a->counter_slot);
	for (i = 0; i < 5; i++)
		counter_hit(cnt, h->counter_slot);

	ctx_init(&ctx, "vi");
	ctx.counter = cnt;
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	CHECK_HAS(b.data, "# Cổng thông tin huyện\nSố lượt truy cập: 1.241\n");

	page_article(&ctx, site_article_path(ctx.site, a), &b);
	CHECK_HAS(b.data, "\n21 Tháng Năm 2020 11:15 · Tác giả: MỸ DUNG\n"
	    "Số lượt người xem: 2\n");
	/* the reference page's furniture: the day's archive, search, the
	 * site's visits */
	CHECK_HAS(b.data, "\n=> /date/2020/05/21/ Xem theo ngày: 21 Tháng "
	    "Năm 2020\n=> /search Tìm kiếm\n");
	CHECK_HAS(b.data, "\n=> / Trang chủ\n\n=> /date/2020/05/21/ ");
	CHECK_HAS(b.data, "Số lượt truy cập: 1.241\n");

	/* with markers, each stands for its number */
	buf_reset(&b);
	CHECK_INT(render_home(&b, &ctx, &marks), 0);
	CHECK_HAS(b.data, "\nSố lượt truy cập: HOLES\n");
	page_article_marked(&ctx, site_article_path(ctx.site, a), &b, &marks);
	CHECK_HAS(b.data, "MỸ DUNG\nSố lượt người xem: HOLEV\n");
	CHECK_HAS(b.data, "\nSố lượt truy cập: HOLES\n");

	buf_reset(&b);
	CHECK_INT(render_stats(&b, &ctx), 0);
	CHECK_HAS(b.data, "# Thống kê\nSố lượt truy cập: 1.241\n");
	CHECK_HAS(b.data, "\n## Đọc nhiều nhất\n"
	    "=> /thoi-su/2020-05-20-hop-bao 2020-05-20 Họp báo quý II "
	    "(5 lượt xem)\n=> /thoi-su/2020-05-21-chi-bo-dai-hoi 2020-05-21 "
	    "Chi bộ khu phố 3 tổ chức đại hội (2 lượt xem)\n\n");
	/* never read: not listed */
	CHECK(strstr(b.data, "le-hoi") == NULL);

	ctx_init(&ctx, "en");
	ctx.counter = cnt;
	buf_reset(&b);
	CHECK_INT(render_stats(&b, &ctx), 0);
	CHECK_HAS(b.data, "# Statistics\nVisits: 1,241\n");
	CHECK_HAS(b.data, "Họp báo quý II (5 views)\n");

	/* without a counter: no counts at all */
	ctx.counter = NULL;
	buf_reset(&b);
	CHECK_INT(render_stats(&b, &ctx), 0);
	CHECK(strstr(b.data, "Visits") == NULL);
	CHECK(strstr(b.data, "views") == NULL);

	counter_free(cnt);
	unlink(file);
	buf_free(&b);
}

/* Parse a feed; returns its number of entries, or -1 if not Atom. */
static int
atom_entries(const struct buf *b)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 root, n;
	int		 entries = 0;

	doc = xmlReadMemory(b->data, (int)b->len, "feed.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || root->ns == NULL ||
	    strcmp((const char *)root->name, "feed") != 0 ||
	    strcmp((const char *)root->ns->href,
	    "http://www.w3.org/2005/Atom") != 0) {
		xmlFreeDoc(doc);
		return -1;
	}
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "entry") == 0)
			entries++;
	xmlFreeDoc(doc);
	return entries;
}

static void
test_atom(void)
{
	struct render_ctx	 ctx, uctx;
	struct site		*usite;
	struct buf		 b = BUF_INIT;
	char			 err[256];

	ctx_init(&ctx, "vi");
	CHECK_INT(render_atom(&b, &ctx, NULL), 0);
	CHECK_INT(atom_entries(&b), 11);
	CHECK(strncmp(b.data, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n"
	    "<id>gemini://localhost/</id>\n", 118) == 0);
	CHECK_HAS(b.data, "<title type=\"text\">Cổng thông tin huyện</title>");
	CHECK_HAS(b.data, "<updated>2020-05-21T11:15:00+07:00</updated>\n"
	    "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"gemini://localhost/atom.xml\"/>\n"
	    "<link rel=\"alternate\" type=\"text/gemini\" "
	    "href=\"gemini://localhost/\"/>\n");
	CHECK_HAS(b.data, "<entry>\n"
	    "<id>gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi</id>\n"
	    "<title type=\"text\">Chi bộ khu phố 3 tổ chức đại hội</title>\n"
	    "<updated>2020-05-21T11:15:00+07:00</updated>\n"
	    "<published>2020-05-21T11:15:00+07:00</published>\n"
	    "<author><name>MỸ DUNG</name></author>\n"
	    "<link rel=\"alternate\" type=\"text/gemini\" "
	    "href=\"gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi\""
	    "/>\n");
	CHECK_HAS(b.data, "<content type=\"text\">");
	CHECK_HAS(b.data, "<published>2019-09-05T00:00:00+07:00</published>");
	/* the HTML page's +07:00 is kept */
	CHECK_HAS(b.data, "<published>2020-04-30T07:00:00+07:00</published>");
	/* tags: term and scheme make the tag's page, label its name */
	CHECK_HAS(b.data, "href=\"gemini://localhost/thoi-su/"
	    "2020-05-21-chi-bo-dai-hoi\"/>\n"
	    "<category term=\"dai-hoi\" label=\"Đại hội\" "
	    "scheme=\"gemini://localhost/tags/\"/>\n"
	    "<category term=\"chi-bo\" label=\"chi bộ\" "
	    "scheme=\"gemini://localhost/tags/\"/>\n");
	CHECK_HAS(b.data, "<category term=\"ky-niem\" label=\"kỷ niệm\" ");
	CHECK_INT(count_of(b.data, "<category "), 8);
	/* gemtext in content: "=>" escaped as text, not markup */
	CHECK(strstr(b.data, "<content type=\"text\"><") == NULL);

	/* a category's feed takes its subcategories too */
	buf_reset(&b);
	CHECK_INT(render_atom(&b, &ctx, find_cat(site, "/thoi-su/")), 0);
	CHECK_INT(atom_entries(&b), 6);
	CHECK_HAS(b.data, "<id>gemini://localhost/thoi-su/</id>\n"
	    "<title type=\"text\">Cổng thông tin huyện: Thời sự</title>\n"
	    "<subtitle type=\"text\">Tin tức trong huyện</subtitle>\n");
	CHECK_HAS(b.data, "href=\"gemini://localhost/thoi-su/atom.xml\"");
	CHECK_HAS(b.data, "2020-04-30-le-ky-niem");
	CHECK(strstr(b.data, "le-hoi") == NULL);

	/* an empty category is still a valid feed */
	buf_reset(&b);
	CHECK_INT(render_atom(&b, &ctx, find_cat(site, "/doi-song/")), 0);
	CHECK_INT(atom_entries(&b), 0);
	CHECK_HAS(b.data, "<updated>1970-01-01T00:00:00Z</updated>");

	/* the same tree read in UTC: dates without an offset are UTC, the
	 * HTML page's 07:00+07:00 is midnight UTC, not 07:00Z */
	CHECK_INT(zone_use("UTC"), 0);
	usite = site_load(FIXTURE, NULL, err, sizeof(err));
	CHECK(usite != NULL);
	if (usite != NULL) {
		uctx = ctx;
		uctx.site = usite;
		buf_reset(&b);
		CHECK_INT(render_atom(&b, &uctx, NULL), 0);
		CHECK_HAS(b.data, "<published>2020-05-21T11:15:00Z"
		    "</published>");
		CHECK_HAS(b.data, "<published>2020-04-30T00:00:00Z"
		    "</published>");
		CHECK(strstr(b.data, "T07:00:00Z") == NULL);
		site_free(usite);
	}
	CHECK_INT(zone_use("Asia/Ho_Chi_Minh"), 0);
	buf_free(&b);
}

static int
write_file(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* every link line of page: its URL must not mention "evil" */
static int
links_clean(const char *page)
{
	const char	*p = page, *e;

	for (; p != NULL && *p != '\0'; p = e != NULL ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (strncmp(p, "=>", 2) == 0) {
			p += 2;
			while (*p == ' ')
				p++;
			if (strncmp(p, "gemini://evil", 13) == 0 ||
			    strncmp(p, "/evil", 5) == 0)
				return 0;
		}
	}
	return 1;
}

static void
test_hostile(void)
{
	static const char	*pages[] = { "/tin/", "/tin/2021-01-02-html",
		"/tin/2021-01-01-cr", "/date/2021/01/02/" };
	char			 dir[] = "/tmp/test_render.XXXXXX", sub[600],
				 err[256];
	/* a snapshot's pool: "", the path, the title */
	static const char	 pool[] = "\0/tin/x\0Tiêu đề\n=> gemini://evil/ "
				    "evil";
	struct render_ctx	 ctx;
	struct site		*s, mem;
	struct category		 cat, *cats[1];
	struct article		 art;
	struct article_page	 pg;
	const struct article	*a;
	struct buf		 b = BUF_INIT;
	uint32_t		 arts[1] = { 0 };
	size_t			 i;

	/* straight from memory: a title with a newline and a link */
	memset(&mem, 0, sizeof(mem));
	memset(&cat, 0, sizeof(cat));
	memset(&art, 0, sizeof(art));
	memset(&pg, 0, sizeof(pg));
	cat.path = "/tin/";
	cat.name = "tin";
	cat.title = "Tin\n=> gemini://evil/ cat";
	cat.description = "mô tả\n=> /evil desc";
	cat.arts = arts;
	cat.narticles = cat.total = 1;
	cats[0] = &cat;
	mem.allcats = cats;
	mem.nallcats = 1;
	mem.articles = &art;
	mem.narticles = 1;
	mem.pool = pool;
	art.path = 1;
	art.title = 1 + sizeof("/tin/x");
	art.date = 1590000000;
	art.counter_slot = -1;
	pg.author = "A\r\n=> /evil author";
	ctx_init(&ctx, "vi");
	ctx.site = &mem;
	CHECK_INT(render_category(&b, &ctx, &cat, 1), 0);
	CHECK(links_clean(b.data));
	CHECK_HAS(b.data, "# Tin => gemini://evil/ cat\n");
	CHECK_HAS(b.data, "\n=> /tin/x 2020-05-20 Tiêu đề => gemini://evil/ "
	    "evil\n");
	buf_reset(&b);
	buf_puts(&pg.body, "body\n");
	CHECK_INT(render_article(&b, &ctx, &art, &pg, NULL), 0);
	CHECK(links_clean(b.data));
	CHECK_HAS(b.data, "# Tiêu đề => gemini://evil/ evil\n");
	CHECK_HAS(b.data, "Tác giả: A  => /evil author\n");
	/* a body left inside a preformatted block is closed */
	buf_reset(&b);
	buf_reset(&pg.body);
	buf_puts(&pg.body, "```\ncode\n");
	CHECK_INT(render_article(&b, &ctx, &art, &pg, NULL), 0);
	buf_free(&pg.body);
	CHECK_HAS(b.data, "\n```\ncode\n```\n\n=> /tin/ ");

	/* and from a capsule: HTML titles may hold newlines; a header
	   value may hold a CR */
	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(sub, sizeof(sub), "%s/tin", dir);
	mkdir(sub, 0700);
	write_file(sub, "2021-01-02-html.html", "<html><head><title>Tin\n"
	    "=> gemini://evil/ evil &amp; &lt;b&gt;</title>\n"
	    "<meta name=\"author\" content=\"X\n=> /evil\">"
	    "<meta name=\"keywords\" content=\"Y\n=> /evil, z\">"
	    "</head><body><p>Nội dung</p></body></html>\n");
	write_file(sub, "2021-01-01-cr.gmi", "title: Bài\r=> gemini://evil/ "
	    "cr\nauthor: <b>&\ntags: => gemini://evil/ evil, <b>&\"\r=> /x\n"
	    "\nNội dung\n");
	write_file(sub, "_category.ini", "[category]\ntitle = Tin <&> \"x\"\n");
	if ((s = site_load(dir, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "site_load %s: %s\n", dir, err);
		CHECK(s != NULL);
		return;
	}
	ctx_init(&ctx, "vi");
	ctx.site = s;
	CHECK_INT((int)s->narticles, 2);
	buf_reset(&b);
	CHECK_INT(render_home(&b, &ctx, NULL), 0);
	CHECK(links_clean(b.data));
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		buf_reset(&b);
		if (i == 0)
			render_category(&b, &ctx, find_cat(s, pages[i]), 1);
		else if (i == 3)
			render_date(&b, &ctx, 2021, 1, 2);
		else if ((a = find_art(s, pages[i])) != NULL) {
			CHECK_INT(site_article_page(s, NULL, a, &pg, err,
			    sizeof(err)), 0);
			render_article(&b, &ctx, a, &pg, NULL);
			site_article_page_free(&pg);
		} else {
			fprintf(stderr, "missing %s\n", pages[i]);
			CHECK(a != NULL);
		}
		if (!links_clean(b.data))
			fprintf(stderr, "%s:\n%s\n", pages[i], b.data);
		CHECK(links_clean(b.data));
		CHECK_HAS(b.data, "evil");	/* shown, as text */
	}
	/* tags: names are labels, slugs are plain */
	CHECK_INT((int)s->ntags, 4);
	buf_reset(&b);
	CHECK_INT(render_tags(&b, &ctx), 0);
	CHECK(links_clean(b.data));
	CHECK_HAS(b.data, "\n=> /tags/gemini-evil-evil/ => gemini://evil/ "
	    "evil (1 bài)\n");
	CHECK_HAS(b.data, "\n=> /tags/b-x/ <b>&\" => /x (1 bài)\n");
	CHECK_HAS(b.data, "\n=> /tags/y-evil/ Y => /evil (1 bài)\n");
	for (i = 0; i < s->ntags; i++) {
		buf_reset(&b);
		CHECK_INT(render_tag(&b, &ctx, &s->tags[i], 1), 0);
		CHECK(links_clean(b.data));
	}
	buf_reset(&b);
	CHECK_INT(render_atom(&b, &ctx, NULL), 0);
	CHECK_INT(atom_entries(&b), 2);
	buf_reset(&b);
	CHECK_INT(render_atom(&b, &ctx, find_cat(s, "/tin/")), 0);
	CHECK_INT(atom_entries(&b), 2);
	CHECK_HAS(b.data, "Tin &lt;&amp;&gt;");
	CHECK_HAS(b.data, "<category term=\"b-x\" "
	    "label=\"&lt;b&gt;&amp;&quot;=&gt; /x\" ");

	site_free(s);
	snprintf(sub, sizeof(sub), "%s/tin/2021-01-02-html.html", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/tin/2021-01-01-cr.gmi", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/tin/_category.ini", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/tin", dir);
	rmdir(sub);
	rmdir(dir);
	buf_free(&b);
}

int
main(void)
{
	char	 err[256];

	/* the fixture's newsroom is in Hà Nội (its HTML gives +07:00) */
	CHECK_INT(zone_use("Asia/Ho_Chi_Minh"), 0);
	if ((site = site_load(FIXTURE, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "site_load %s: %s\n", FIXTURE, err);
		CHECK(site != NULL);
		return t_done("test_render");
	}
	test_home();
	test_category();
	test_article();
	test_tags();
	test_date();
	test_search();
	test_counter_pages();
	test_atom();
	test_hostile();
	site_free(site);
	xmlCleanupParser();
	return t_done("test_render");
}
