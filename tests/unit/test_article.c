/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_article.c: article_fmt and article_parse, table-driven: every
 * header form, bodies that only look like headers, bad dates with
 * their line, invalid UTF-8, the title and date fallbacks, and HTML
 * metadata through convert_html.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article.h"
#include "buf.h"
#include "t.h"
#include "zone.h"

struct pcase {
	const char	*name;		/* file name */
	const char	*src;
	const char	*err;		/* NULL: must parse */
	const char	*title;
	const char	*date;		/* "YYYY-MM-DD HH:MM", NULL: none */
	int		 has_time;
	const char	*author;
	const char	*body_has;	/* substring of the gemtext */
	const char	*body_not;	/* must not appear */
};

static const struct pcase pcases[] = {
	/* plain header: every known key */
	{ "2020-05-21-chi-bo.gmi",
	  "title: Chi bộ đại hội\ndate: 2020-05-21 11:15\n"
	  "author: MỸ DUNG\nsummary: Tóm tắt\nlang: vi\ntags: a, b\n\n"
	  "# Tiêu đề khác\n\nNội dung.\n",
	  NULL, "Chi bộ đại hội", "2020-05-21 11:15", 1, "MỸ DUNG",
	  "# Tiêu đề khác", "title:" },
	/* keys are case-insensitive; a date without time */
	{ "x.gmi", "Title: Hoa\nDATE: 2020-01-02\nAuthor: Lan\n\nThân bài\n",
	  NULL, "Hoa", "2020-01-02 00:00", 0, "Lan", "Thân bài", "DATE" },
	/* an unknown first key: no header, all of it is body */
	{ "x.gmi", "Hà Nội: tin mới\ndate: 2020-01-02\n\nThêm\n",
	  NULL, "x", NULL, 0, NULL, "Hà Nội: tin mới", NULL },
	{ "ghi-chu.gmi", "Note: abc\ntitle: B\n\nx\n",
	  NULL, "ghi-chu", NULL, 0, NULL, "title: B", NULL },
	/* a "---" block; unknown keys in it are ignored */
	{ "x.md", "---\ntitle: Khối\ndate: 2020-05-19 08:30\nlayout: post\n"
	  "---\n\nĐoạn văn.\n",
	  NULL, "Khối", "2020-05-19 08:30", 1, NULL, "Đoạn văn.", "layout" },
	{ "x.gmi", "---\nTITLE: Hoa hồng\n\nauthor: Cúc\n---\nThân\n",
	  NULL, "Hoa hồng", NULL, 0, "Cúc", "Thân", "---" },
	/* a "---" block of keys never closed is refused, not published
	 * with its header as text (issue 13) */
	{ "mo.gmi", "---\ntitle: X\n\nthân bài\n",
	  "line 1: header block opened by '---' is never closed", NULL, NULL,
	  0, NULL, NULL, NULL },
	{ "mo.md", "---\ntitle: X\ndate: 2020-01-01\n",
	  "line 1: header block opened by '---' is never closed", NULL, NULL,
	  0, NULL, NULL, NULL },
	{ "mo.md", "---\nlayout: post\nauthor: An\nthân bài\n---\n",
	  "line 1: header block opened by '---' is never closed", NULL, NULL,
	  0, NULL, NULL, NULL },
	{ "mo.txt", "\xef\xbb\xbf---\r\ntitle: X\r\n\r\nthân bài\r\n",
	  "line 1: header block opened by '---' is never closed", NULL, NULL,
	  0, NULL, NULL, NULL },
	/* a "---" that holds prose, or only unknown keys, is body */
	{ "mo.gmi", "---\nmột dòng văn\n---\n",
	  NULL, "mo", NULL, 0, NULL, "một dòng văn", NULL },
	{ "mo.md", "---\n\nĐoạn văn sau một đường kẻ.\n",
	  NULL, "mo", NULL, 0, NULL, "Đoạn văn sau một đường kẻ.", NULL },
	{ "mo.md", "---\nNote: abc\n\nx\n",
	  NULL, "mo", NULL, 0, NULL, "Note: abc", NULL },
	/* an empty file is an article not written yet */
	{ "rong.md", "", "line 1: empty file", NULL, NULL, 0, NULL, NULL,
	  NULL },
	{ "rong.txt", " \n\t\r\n\n", "line 1: empty file", NULL, NULL, 0,
	  NULL, NULL, NULL },
	{ "rong.gmi", "\xef\xbb\xbf\n", "line 1: empty file", NULL, NULL, 0,
	  NULL, NULL, NULL },
	{ "rong.html", "\n\n", "line 1: empty file", NULL, NULL, 0, NULL,
	  NULL, NULL },
	/* a header ends at the first line that is not a known key */
	{ "x.gmi", "title: A\nNội dung ngay sau\n",
	  NULL, "A", NULL, 0, NULL, "Nội dung ngay sau", "title" },
	/* bad dates: the article is refused, with the line */
	{ "x.gmi", "title: x\ndate: 2020-02-30\n\nbody\n",
	  "line 2: bad date '2020-02-30'", NULL, NULL, 0, NULL, NULL, NULL },
	{ "x.md", "---\ntitle: x\ndate: hôm qua\n---\n",
	  "line 3: bad date 'hôm qua'", NULL, NULL, 0, NULL, NULL, NULL },
	{ "x.gmi", "date: 2020-05-21 25:00\n\n", "line 1: bad date "
	  "'2020-05-21 25:00'", NULL, NULL, 0, NULL, NULL, NULL },
	{ "x.gmi", "date: 2019-02-29\n\n", "line 1: bad date '2019-02-29'",
	  NULL, NULL, 0, NULL, NULL, NULL },
	{ "x.gmi", "date: 21/05/2020\n\n", "line 1: bad date '21/05/2020'",
	  NULL, NULL, 0, NULL, NULL, NULL },
	{ "x.gmi", "date: 2020-05-21 11:15 sáng\n\n",
	  "line 1: bad date '2020-05-21 11:15 sáng'", NULL, NULL, 0, NULL,
	  NULL, NULL },
	/* accepted date forms */
	{ "x.gmi", "date: 2020-02-29\n\n", NULL, "x", "2020-02-29 00:00", 0,
	  NULL, NULL, NULL },
	{ "x.gmi", "date: 2020-05-21T11:15:30\n\n", NULL, "x",
	  "2020-05-21 11:15", 1, NULL, NULL, NULL },
	{ "x.gmi", "date: 2020-05-21 11:15+07:00\n\n", NULL, "x",
	  "2020-05-21 11:15", 1, NULL, NULL, NULL },
	/* an empty value is no value */
	{ "x.gmi", "title:\ndate: 2020-01-01\n\n# Tiêu đề\n", NULL,
	  "Tiêu đề", "2020-01-01 00:00", 0, NULL, NULL, NULL },
	/* fallbacks: title from the first heading (kept in the body),
	 * date from the file name */
	{ "2020-05-20-hop-bao.gmi", "# Họp báo quý II\n\nThân bài.\n",
	  NULL, "Họp báo quý II", "2020-05-20 00:00", 0, NULL,
	  "# Họp báo quý II", NULL },
	{ "2019-12-31-tat-nien.md", "Mở đầu.\n\n## Phần hai\n\nx\n",
	  NULL, "Phần hai", "2019-12-31 00:00", 0, NULL, "Phần hai", NULL },
	{ "2020-05-18.gmi", "văn bản\n", NULL, "2020-05-18",
	  "2020-05-18 00:00", 0, NULL, NULL, NULL },
	/* the header's date wins over the file name's */
	{ "2020-01-01-x.gmi", "date: 2021-02-03 09:00\n\n", NULL,
	  "2020-01-01-x", "2021-02-03 09:00", 1, NULL, NULL, NULL },
	/* no heading, no date: the slug, and the caller's mtime */
	{ "ghi-chu.txt", "Ghi chú ngắn.\n", NULL, "ghi-chu", NULL, 0, NULL,
	  "Ghi chú ngắn.", NULL },
	{ "2020-13-01-x.gmi", "x\n", NULL, "2020-13-01-x", NULL, 0, NULL,
	  NULL, NULL },
	{ "2020-05-01x.gmi", "x\n", NULL, "2020-05-01x", NULL, 0, NULL, NULL,
	  NULL },
	/* CRLF, a BOM, NFC */
	{ "x.gmi", "title: CRLF\r\ndate: 2020-05-21\r\n\r\nthân\r\n",
	  NULL, "CRLF", "2020-05-21 00:00", 0, NULL, "thân", NULL },
	{ "x.gmi", "\xef\xbb\xbftitle: BOM\n\nx\n", NULL, "BOM", NULL, 0,
	  NULL, NULL, NULL },
	{ "x.gmi", "title: Tie\xcc\x82\xcc\x81ng Vie\xcc\xa3\xcc\x82t\n\n",
	  NULL, "Tiếng Việt", NULL, 0, NULL, NULL, NULL },
	/* a .txt with a header */
	{ "x.txt", "title: Văn bản\nauthor: An\n\nDòng một.\n", NULL,
	  "Văn bản", NULL, 0, "An", "Dòng một.", "author" },
	/* invalid UTF-8 names the line and the byte */
	{ "x.gmi", "title: a\n\nx\n\xc3(\n",
	  "line 4: invalid UTF-8 (byte 0xc3)", NULL, NULL, 0, NULL, NULL,
	  NULL },
	{ "x.md", "\xff\n", "line 1: invalid UTF-8 (byte 0xff)", NULL, NULL,
	  0, NULL, NULL, NULL },
	/* HTML: the converter's metadata */
	{ "le.html",
	  "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
	  "<title>Lễ kỷ niệm</title><meta name=\"author\" content=\"THU HÀ\">"
	  "<meta property=\"article:published_time\" "
	  "content=\"2020-04-30T07:00:00+07:00\"></head>"
	  "<body><p>Sáng 30/4.</p></body></html>",
	  NULL, "Lễ kỷ niệm", "2020-04-30 07:00", 1, "THU HÀ", "Sáng 30/4.",
	  NULL },
	{ "2020-05-21-x.htm",
	  "<html><head><meta name=\"date\" content=\"2020-05-22\"></head>"
	  "<body><h1>Tiêu đề H1</h1><p>x</p></body></html>",
	  NULL, "Tiêu đề H1", "2020-05-22 00:00", 0, NULL, "Tiêu đề H1", NULL },
	/* a date the CMS wrote otherwise: the file name applies */
	{ "2020-05-21-y.html",
	  "<html><head><title>T</title><meta name=\"date\" "
	  "content=\"hôm qua\"></head><body><p>x</p></body></html>",
	  NULL, "T", "2020-05-21 00:00", 0, NULL, NULL, NULL },
};

struct fcase {
	const char	*name;
	int		 fmt;
};

static const struct fcase fcases[] = {
	{ "a.gmi", FMT_GMI },
	{ "2020-05-21-x.md", FMT_MD },
	{ "A.MD", FMT_MD },
	{ "a.txt", FMT_TXT },
	{ "a.html", FMT_HTML },
	{ "a.htm", FMT_HTML },
	{ "a.tar.gmi", FMT_GMI },
	{ "a.jpg", -1 },
	{ "a.gmi.bak", -1 },
	{ ".gmi", -1 },
	{ "gmi", -1 },
};

static void
fmt_date(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

static void
test_parse(void)
{
	const struct pcase	*c;
	struct article_meta	 m;
	struct buf		 body = BUF_INIT;
	char			 err[256], date[32];
	size_t			 i, len;
	int			 r;

	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		c = &pcases[i];
		buf_reset(&body);
		err[0] = '\0';
		len = strlen(c->src);
		r = article_parse(c->name, "/thoi-su/", c->src, len, &m, &body,
		    err, sizeof(err));
		if (c->err != NULL) {
			CHECK_INT(r, -1);
			CHECK_STR(err, c->err);
			CHECK(m.title == NULL);
			CHECK_INT(body.len, 0);
			continue;
		}
		if (r != 0)
			fprintf(stderr, "case %zu (%s): %s\n", i, c->name, err);
		CHECK_INT(r, 0);
		CHECK_STR(m.title, c->title);
		CHECK_INT(m.has_date, c->date != NULL);
		if (c->date != NULL && m.has_date) {
			fmt_date(m.date, date, sizeof(date));
			CHECK_STR(date, c->date);
			CHECK_INT(m.has_time, c->has_time);
		}
		if (c->author != NULL)
			CHECK_STR(m.author, c->author);
		if (c->body_has != NULL)
			CHECK_HAS(body.data, c->body_has);
		if (c->body_not != NULL && body.data != NULL &&
		    strstr(body.data, c->body_not) != NULL) {
			fprintf(stderr, "case %zu: [%s] in body:\n%s\n", i,
			    c->body_not, body.data);
			CHECK(0);
		}
		article_meta_free(&m);
		CHECK(m.title == NULL);
	}
	buf_free(&body);
}

/* every field of the first case, and the same metadata with no body */
static void
test_fields(void)
{
	static const char	 html[] = "<html><head><meta name="
	    "\"description\" content=\" Tóm tắt HTML \"><meta name="
	    "\"keywords\" content=\"a,b\"></head><body></body></html>";
	const struct pcase	*c = &pcases[0];
	struct article_meta	 m;
	struct buf		 body = BUF_INIT;
	char			 err[256];

	CHECK_INT(article_parse(c->name, "/", c->src, strlen(c->src), &m,
	    NULL, err, sizeof(err)), 0);
	CHECK_STR(m.title, "Chi bộ đại hội");
	CHECK_STR(m.summary, "Tóm tắt");
	CHECK_STR(m.lang, "vi");
	CHECK_STR(m.tags, "a, b");
	article_meta_free(&m);

	/* a title from a heading needs the conversion even without body */
	CHECK_INT(article_parse("x.md", "/", "# Đề mục\n\nx\n", 13, &m, NULL,
	    err, sizeof(err)), 0);
	CHECK_STR(m.title, "Đề mục");
	article_meta_free(&m);

	/* the body is appended to what the buffer holds; an error
	 * leaves it as it was */
	buf_puts(&body, "trước\n");
	CHECK_INT(article_parse("x.gmi", "/", "date: 2020-99-01\n\nx\n", 20,
	    &m, &body, err, sizeof(err)), -1);
	CHECK_STR(body.data, "trước\n");
	CHECK_INT(article_parse("x.gmi", "/", "sau\n", 4, &m, &body, err,
	    sizeof(err)), 0);
	CHECK_HAS(body.data, "trước\n");
	CHECK_HAS(body.data, "sau");
	article_meta_free(&m);

	/* HTML description and lang */
	c = &pcases[sizeof(pcases) / sizeof(pcases[0]) - 3];
	CHECK_INT(article_parse(c->name, "/", c->src, strlen(c->src), &m,
	    NULL, err, sizeof(err)), 0);
	CHECK_STR(m.lang, "vi");
	article_meta_free(&m);
	CHECK_INT(article_parse("x.html", "/", html, strlen(html), &m, NULL,
	    err, sizeof(err)), 0);
	CHECK_STR(m.summary, "Tóm tắt HTML");
	CHECK_STR(m.tags, "a,b");
	CHECK_STR(m.title, "x");
	article_meta_free(&m);

	/* an HTML page nested too deep to follow is refused, naming the
	 * line where it goes too deep */
	{
		struct buf	 deep = BUF_INIT;
		int		 i;

		buf_puts(&deep, "<html><head><title>Sâu</title></head>"
		    "<body>\n<p>Mở đầu.</p>\n");
		for (i = 0; i < 100000; i++)
			buf_puts(&deep, "<div>");
		buf_puts(&deep, "<p>Nội dung.</p></body></html>\n");
		buf_reset(&body);
		CHECK_INT(article_parse("sau.html", "/", deep.data, deep.len,
		    &m, &body, err, sizeof(err)), -1);
		CHECK_STR(err, "line 3: elements nested more than 128 deep");
		CHECK(m.title == NULL);
		CHECK_INT(body.len, 0);
		buf_free(&deep);
	}

	/* a NUL is refused even though it is valid UTF-8 */
	CHECK_INT(article_parse("x.txt", "/", "a\nb\0c\n", 6, &m, NULL, err,
	    sizeof(err)), -1);
	CHECK_STR(err, "line 2: NUL byte");
	CHECK_INT(article_parse("x.jpg", "/", "x", 1, &m, NULL, err,
	    sizeof(err)), -1);
	buf_free(&body);
}

/*
 * Bylines (issue 13): a last paragraph of 2 to 5 words in capitals is
 * the author when the source names none, and stays in the body.
 * author NULL: none is taken.
 */
static void
test_byline(void)
{
	static const struct {
		const char	*name, *src, *author;
	} t[] = {
		{ "x.txt", "Đoạn một của bài.\n\nMỸ DUNG\n", "MỸ DUNG" },
		{ "x.txt", "       Đoạn một.\n       Đoạn hai.\n"
		    "                        THU HIỀN\n", "THU HIỀN" },
		{ "x.txt", "title: Tin\ndate: 2020-01-02\n\nĐoạn.\n\n"
		    "NGỌC LAN\n", "NGỌC LAN" },
		{ "x.md", "# Tin\n\nĐoạn văn.\n\n**MỸ DUNG**\n", "MỸ DUNG" },
		{ "x.gmi", "Đoạn.\n\nNGUYỄN THỊ MINH KHAI\n",
		    "NGUYỄN THỊ MINH KHAI" },
		{ "x.html", "<html><body><p>Đoạn văn.</p>"
		    "<div align=\"right\"><b>MỸ DUNG</b></div></body></html>",
		    "MỸ DUNG" },
		{ "x.html", "<p>Đoạn văn.<br>TRẦN QUANG</p>", "TRẦN QUANG" },
		/* two names; links after it (the blocks' own) */
		{ "x.txt", "Đoạn.\n\nHOÀNG ANH - MINH KHÔI\n",
		    "HOÀNG ANH - MINH KHÔI" },
		{ "x.md", "Xem [ảnh](a.jpg).\n\nQUỲNH NHƯ\n", "QUỲNH NHƯ" },
		{ "x.gmi", "Đoạn.\n\nĐỖ HUYỀN\n=> /a.jpg Ảnh\n", "ĐỖ HUYỀN" },
		/* the source's author wins */
		{ "x.txt", "author: An\n\nĐoạn.\n\nMỸ DUNG\n", "An" },
		{ "x.html", "<html><head><meta name=\"author\" content=\"Lan\">"
		    "</head><body><p>Đoạn.</p><p>MỸ DUNG</p></body></html>",
		    "Lan" },
		/* not bylines */
		{ "x.txt", "Đoạn.\n\nUBND QUẬN\n", NULL },
		{ "x.txt", "Đoạn.\n\nTHEO TTXVN\n", NULL },
		{ "x.txt", "Đoạn.\n\nUBND TP HCM\n", NULL },
		{ "x.txt", "Đoạn.\n\nTTXVN\n", NULL },
		{ "x.txt", "Đoạn.\n\nDUNG\n", NULL },
		{ "x.txt", "Đoạn.\n\nNGUYỄN THỊ MINH KHAI HÀ NỘI\n", NULL },
		{ "x.txt", "Đoạn.\n\nMỹ Dung\n", NULL },
		{ "x.txt", "Đoạn.\n\nMỸ DUNG.\n", NULL },
		{ "x.txt", "Đoạn.\n\nMỸ DUNG 2\n", NULL },
		{ "x.txt", "Đoạn.\n\n- MỸ DUNG\n", NULL },
		{ "x.txt", "Đoạn.\n\nMỸ DUNG -\n", NULL },
		{ "x.txt", "Đoạn.\n\nJOHN SMITH\n", NULL },
		{ "x.txt", "Đoạn.\n\nΑΘΗΝΑ ΑΘΗΝΑ\n", NULL },
		{ "x.md", "Đoạn.\n\n## MỸ DUNG\n", NULL },
		{ "x.md", "Đoạn.\n\n* MỸ DUNG\n", NULL },
		{ "x.md", "Đoạn.\n\n> MỸ DUNG\n", NULL },
		{ "x.md", "Đoạn.\n\n```\nMỸ DUNG\n```\n", NULL },
		/* nothing else: it is not a signature */
		{ "x.txt", "MỸ DUNG\n", NULL },
		{ "x.md", "# Tin\n\nMỸ DUNG\n", NULL },
		/* page furniture after it: not the last paragraph */
		{ "x.txt", "Đoạn.\n\nMỸ DUNG\n\nSố lượt người xem: 63\n",
		    NULL },
	};
	struct article_meta	 m;
	struct buf		 body = BUF_INIT;
	char			 err[256];
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&body);
		if (article_parse(t[i].name, "/", t[i].src, strlen(t[i].src),
		    &m, &body, err, sizeof(err)) == -1) {
			fprintf(stderr, "byline case %zu: %s\n", i, err);
			CHECK(0);
			continue;
		}
		if (t[i].author == NULL ? m.author != NULL :
		    m.author == NULL || strcmp(m.author, t[i].author) != 0)
			fprintf(stderr, "byline case %zu: [%s]\n", i,
			    m.author != NULL ? m.author : "(null)");
		if (t[i].author == NULL)
			CHECK(m.author == NULL);
		else {
			CHECK_STR(m.author, t[i].author);
			/* a byline stays where the newsroom put it */
			if (strstr(t[i].src, "author") == NULL)
				CHECK_HAS(body.data, t[i].author);
		}
		article_meta_free(&m);
		/* and the same with no body asked for */
		CHECK_INT(article_parse(t[i].name, "/", t[i].src,
		    strlen(t[i].src), &m, NULL, err, sizeof(err)), 0);
		if (t[i].author == NULL)
			CHECK(m.author == NULL);
		else
			CHECK_STR(m.author, t[i].author);
		article_meta_free(&m);
	}
	buf_free(&body);
}

/*
 * Datelines (issue 13): a first paragraph that only repeats the date,
 * time and author goes; one that says more, or otherwise, stays.
 */
static void
test_dateline(void)
{
	static const char	 head[] = "<html><head><title>Tin</title>"
	    "<meta name=\"author\" content=\"NGỌC LAN\">"
	    "<meta property=\"article:published_time\" "
	    "content=\"2020-05-21T11:15:00+07:00\"></head><body>"
	    "<h1>Tin</h1><p>";
	static const char	 tail[] = "</p><p>Nội dung bài.</p></body>"
	    "</html>";
	static const struct {
		const char	*para;		/* the first paragraph */
		int		 dropped;
	} t[] = {
		{ "21/05/2020 11:15", 1 },
		{ "21/5/2020 11:15", 1 },
		{ "21-05-2020 11:15:00", 1 },
		{ "2020-05-21 11:15", 1 },
		{ "11:15 21/05/2020", 1 },
		{ "21/05/2020 - 11:15", 1 },
		{ "21/05/2020 | 11h15", 1 },
		{ "21/05/2020", 1 },			/* less than said */
		{ "21/05/2020 · NGỌC LAN", 1 },
		{ "NGỌC LAN · 21/05/2020 11:15", 1 },
		{ "Ngọc Lan &middot; 21/05/2020 11:15", 1 },
		{ "Thứ Năm, 21/05/2020 11:15", 1 },
		{ "Thứ 5, 21/05/2020, 11:15 (GMT+7)", 1 },
		{ "Cập nhật: 21/05/2020 11:15", 1 },
		{ "Ngày 21/05/2020 lúc 11:15", 1 },
		{ "21 Tháng Năm 2020 11:15:00 SA", 1 },
		{ "21 tháng 5 năm 2020, 11:15", 1 },
		{ "21/05/2020 11:15 AM", 1 },
		/* otherwise, or more */
		{ "22/05/2020 11:15", 0 },
		{ "21/05/2020 11:16", 0 },
		{ "21/05/2020 11:15 CH", 0 },
		{ "21/05/2020 · MỸ DUNG", 0 },
		{ "21/05/2020 · NGỌC LAN · MỸ DUNG", 0 },
		{ "31/02/2020", 0 },
		{ "21/05/2020, chi bộ khu phố 3 họp", 0 },
		{ "Ngày 21/05/2020, Chi bộ khu phố 3 đã họp", 0 },
		{ "Tuyên truyền Đại Hội Đảng các cấp | 21 Tháng Năm 2020 "
		    "11:15:00 SA", 0 },
		{ "Sáng 21/05/2020, quận tổ chức hội nghị.", 0 },
		{ "11:15", 0 },
		{ "NGỌC LAN", 0 },
	};
	struct article_meta	 m;
	struct buf		 src = BUF_INIT, body = BUF_INIT;
	char			 err[256];
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&src);
		buf_reset(&body);
		buf_puts(&src, head);
		buf_puts(&src, t[i].para);
		buf_puts(&src, tail);
		if (article_parse("tin.html", "/", src.data, src.len, &m,
		    &body, err, sizeof(err)) == -1) {
			fprintf(stderr, "dateline case %zu: %s\n", i, err);
			CHECK(0);
			continue;
		}
		if (t[i].dropped)
			CHECK_STR(body.data, "# Tin\n\nNội dung bài.\n");
		else if (body.data == NULL ||
		    strcmp(body.data, "# Tin\n\nNội dung bài.\n") == 0) {
			fprintf(stderr, "dateline case %zu dropped: [%s]\n", i,
			    t[i].para);
			CHECK(0);
		}
		article_meta_free(&m);
	}

	{
		static const struct {
			const char	*name, *src, *body;
		} u[] = {
			/* the metadata from a header; the date is a day */
			{ "x.txt", "date: 2020-05-21\n\n21/05/2020\n\n"
			    "Nội dung.\n", "Nội dung.\n" },
			{ "x.md", "date: 2020-05-21\n\n21/05/2020 11:15\n\n"
			    "Nội dung.\n", "21/05/2020 11:15\n\nNội dung.\n" },
			{ "x.md", "title: T\ndate: 2020-05-21 11:15\n\n"
			    "# T\n\n21/05/2020 11:15\n", "# T\n" },
			/* the date from the file name counts; the mtime not */
			{ "2020-05-21-x.gmi", "21/05/2020\nNội dung.\n",
			    "Nội dung.\n" },
			{ "x.gmi", "21/05/2020\nNội dung.\n",
			    "21/05/2020\nNội dung.\n" },
			/* the author a byline gives */
			{ "2023-11-03-x.gmi", "03/11/2023 · NGỌC LAN\n\n"
			    "Nội dung.\n\nNGỌC LAN\n",
			    "Nội dung.\n\nNGỌC LAN\n" },
			/* a dateline before the title heading */
			{ "x.html", "<meta name=date content=2020-05-21>"
			    "<p>21/05/2020</p><h1>T</h1><p>x</p>",
			    "# T\n\nx\n" },
			/* only the first paragraph */
			{ "2020-05-21-x.gmi", "Nội dung.\n\n21/05/2020\n",
			    "Nội dung.\n\n21/05/2020\n" },
			{ "2020-05-21-x.md", "## Phần một\n\n21/05/2020\n",
			    "## Phần một\n\n21/05/2020\n" },
		};

		for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			buf_reset(&body);
			CHECK_INT(article_parse(u[i].name, "/", u[i].src,
			    strlen(u[i].src), &m, &body, err, sizeof(err)), 0);
			CHECK_STR(body.data, u[i].body);
			article_meta_free(&m);
		}
	}

	/* where an excerpt starts: past a dateline, and its blank lines */
	{
		static const struct {
			const char	*body, *after;
		} v[] = {
			{ "21/05/2020 11:15\n\nx\n", "x\n" },
			{ "03/11/2023 · NGỌC LAN\nx\n", "x\n" },
			{ "05/02/2024 – Lễ hội - Sự kiện\n\nx", "x" },
			{ "21/05/2020", "" },
			{ "Sáng 21/05/2020, quận họp.\n", NULL },
			{ "Nội dung.\n\n21/05/2020\n", NULL },
			{ "", NULL },
		};
		size_t	 n;

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			n = strlen(v[i].body);
			CHECK_INT(article_dateline_len(v[i].body, n),
			    v[i].after == NULL ? 0 : n - strlen(v[i].after));
		}
	}
	buf_free(&src);
	buf_free(&body);
}

/* Zones: the offset a date is written with is kept, and the date put
 * in the site's zone (article_localize) becomes that zone's clock. */
static const struct {
	const char	*src;		/* a header, or an HTML page */
	int		 has_zone;
	long		 zone;		/* as the source gave it */
	const char	*hcm;		/* localized in Asia/Ho_Chi_Minh */
	const char	*utc;		/* and in UTC */
} zcases[] = {
	{ "date: 2025-09-10 16:00\n\n", 0, 0,
	  "2025-09-10 16:00", "2025-09-10 16:00" },
	{ "date: 2025-09-10T16:00:00+07:00\n\n", 1, 25200,
	  "2025-09-10 16:00", "2025-09-10 09:00" },
	{ "date: 2025-09-10 16:00 +0700\n\n", 1, 25200,
	  "2025-09-10 16:00", "2025-09-10 09:00" },
	{ "date: 2025-09-10T16:00+07\n\n", 1, 25200,
	  "2025-09-10 16:00", "2025-09-10 09:00" },
	{ "date: 2025-09-10T23:30:00Z\n\n", 1, 0,
	  "2025-09-11 06:30", "2025-09-10 23:30" },
	{ "date: 2025-09-10T23:30:00.250-03:30\n\n", 1, -12600,
	  "2025-09-11 10:00", "2025-09-11 03:00" },
	{ "date: 2025-09-10T00:30-00:00\n\n", 1, 0,
	  "2025-09-10 07:30", "2025-09-10 00:30" },
	{ "date: 2025-09-10\n\n", 0, 0,
	  "2025-09-10 00:00", "2025-09-10 00:00" },
	{ "<html><head><meta property=\"article:published_time\" "
	  "content=\"2025-09-10T16:00:00+07:00\"></head><body><p>x</p>"
	  "</body></html>", 1, 25200,
	  "2025-09-10 16:00", "2025-09-10 09:00" },
	/* offsets past the clock's: a bad date */
	{ "date: 2025-09-10T16:00+24:00\n\n", -1, 0, NULL, NULL },
	{ "date: 2025-09-10T16:00+07:60\n\n", -1, 0, NULL, NULL },
	{ "date: 2025-09-10T16:00+07:\n\n", -1, 0, NULL, NULL },
	{ "date: 2025-09-10T16:00+7\n\n", -1, 0, NULL, NULL },
};

/* m put in zone: the wall clock want, offset off; twice is once */
static void
check_local(const struct article_meta *m, const char *zone, time_t mtime,
    const char *want, long off)
{
	struct article_meta	 l = *m;
	char			 date[32];
	int			 i;

	CHECK_INT(zone_use(zone), 0);
	for (i = 0; i < 2; i++) {
		article_localize(&l, mtime);
		fmt_date(l.date, date, sizeof(date));
		CHECK_STR(date, want);
		CHECK_INT(l.has_zone, 1);
		CHECK_INT(l.zone, off);
	}
}

static void
test_zone(void)
{
	struct article_meta	 m;
	char			 err[256];
	const char		*name;
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(zcases) / sizeof(zcases[0]); i++) {
		name = zcases[i].src[0] == '<' ? "x.html" : "x.gmi";
		r = article_parse(name, "/", zcases[i].src,
		    strlen(zcases[i].src), &m, NULL, err, sizeof(err));
		if (zcases[i].has_zone == -1) {
			CHECK_INT(r, -1);
			CHECK_HAS(err, "bad date");
			continue;
		}
		CHECK_INT(r, 0);
		CHECK_INT(m.has_zone, zcases[i].has_zone);
		CHECK_INT(m.zone, zcases[i].zone);
		check_local(&m, "Asia/Ho_Chi_Minh", 0, zcases[i].hcm, 25200);
		check_local(&m, "UTC", 0, zcases[i].utc, 0);
		article_meta_free(&m);
	}
	/* no date: the mtime, in the zone */
	CHECK_INT(article_parse("x.gmi", "/", "x\n", 2, &m, NULL, err,
	    sizeof(err)), 0);
	check_local(&m, "Asia/Ho_Chi_Minh", 1757494800, "2025-09-10 16:00",
	    25200);
	CHECK_INT(m.has_date, 0);
	article_meta_free(&m);
	CHECK_INT(zone_use(""), 0);
}

static void
test_fmt(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++)
		CHECK_INT(article_fmt(fcases[i].name), fcases[i].fmt);
}

int
main(void)
{
	test_fmt();
	test_parse();
	test_fields();
	test_byline();
	test_dateline();
	test_zone();
	return t_done("test_article");
}
