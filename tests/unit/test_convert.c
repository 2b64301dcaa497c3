/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_convert.c: the converters to gemtext. Golden files: each
 * tests/fixtures/convert/<name>.<ext> must convert to <name>.<ext>.gmi
 * exactly (run with BANTIN_GOLDEN=write to rewrite them, then read the
 * diff). Tables: convert_link against the capsule path scheme, the rule
 * that prose never becomes markup in any format, whitespace, errors and
 * the gemtext invariants every output must keep. Run from the repo root.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "convert.h"
#include "gemtext.h"
#include "t.h"
#include "utf8.h"

#define FIX	"tests/fixtures/convert/"
#define BASE	"/thoi-su/"

static char		*slurp(const char *, size_t *);
static int		 spew(const char *, const char *, size_t);
static int		 convert_as(const char *, struct buf *, const char *,
			    size_t, struct convert_meta *, char *, size_t);
static const char	*invalid(const char *, size_t);
static void		 check_valid(const char *, const struct buf *);
static void		 test_golden(void);
static void		 test_link(void);
static void		 test_prose(void);
static void		 test_empty_blocks(void);
static void		 test_cases(void);
static void		 test_errors(void);
static void		 test_table_width(void);
static void		 test_append(void);
static void		 test_deep(void);
static void		 test_pick(void);
static void		 test_site_links(void);
static void		 test_page(void);

static char *
slurp(const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) == -1)
			break;
	fclose(f);
	return buf_steal(&b, len);
}

static int
spew(const char *path, const char *s, size_t len)
{
	FILE	*f;
	int	 r;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	r = fwrite(s, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

/* Convert s by the format its name's extension gives. */
static int
convert_as(const char *name, struct buf *out, const char *s, size_t len,
    struct convert_meta *m, char *err, size_t errlen)
{
	const char	*ext = strrchr(name, '.');

	if (ext == NULL)
		return -1;
	if (strcmp(ext, ".md") == 0)
		return convert_md(out, s, len, BASE, err, errlen);
	if (strcmp(ext, ".txt") == 0)
		return convert_txt(out, s, len, BASE, err, errlen);
	if (strcmp(ext, ".gmi") == 0)
		return convert_gmi(out, s, len, BASE, err, errlen);
	return convert_html(out, s, len, BASE, m, err, errlen);
}

/*
 * Why s is not gemtext as bantin promises it, or NULL: UTF-8 in NFC,
 * one newline at the end, no blank line first and never two in a row
 * outside preformatted blocks, no CR, TAB only inside them, no other
 * control character, and every block closed.
 */
static const char *
invalid(const char *s, size_t len)
{
	struct buf	 nfc = BUF_INIT;
	const char	*p, *e = s + len, *nl, *why = NULL;
	size_t		 i, n;
	int		 pre = 0, blank = 0, cp, same;

	if (len == 0)
		return NULL;
	if (!utf8_valid(s, len))
		return "not UTF-8";
	if (utf8_nfc(&nfc, s, len) == -1)
		return "NFC failed";
	same = nfc.len == len && memcmp(nfc.data, s, len) == 0;
	buf_free(&nfc);
	if (!same)
		return "not NFC";
	if (s[len - 1] != '\n')
		return "no newline at the end";
	if (len >= 2 && s[len - 2] == '\n')
		return "blank line at the end";
	if (s[0] == '\n')
		return "blank line first";
	for (p = s; p < e && why == NULL; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = (size_t)(nl - p);
		if (n >= 3 && memcmp(p, "```", 3) == 0)
			pre = !pre;
		else if (!pre && n == 0) {
			if (blank)
				why = "two blank lines";
			blank = 1;
			continue;
		}
		blank = 0;
		for (i = 0; i < n; ) {
			i += utf8_decode(p + i, n - i, &cp);
			if (cp == '\t' && !pre)
				why = "TAB outside a preformatted block";
			else if (cp != '\t' && (cp < 0x20 || cp == 0x7f ||
			    (cp >= 0x80 && cp < 0xa0)))
				why = "control character";
		}
	}
	if (why == NULL && pre)
		why = "preformatted block left open";
	return why;
}

static void
check_valid(const char *name, const struct buf *b)
{
	const char	*why = invalid(b->data, b->len);

	if (why != NULL)
		fprintf(stderr, "%s: %s\n", name, why);
	CHECK(why == NULL);
}

static const struct golden {
	const char	*file;
	struct convert_meta	 meta;	/* HTML only */
	const char	*absent[10];	/* page furniture that must go */
} goldens[] = {
	{ "bai-bang.md", { 0 }, { "ghi chú nội bộ", "=> #", "javascript" } },
	{ "cms-article.html", {
	    "Khánh thành cầu Rạch Ông Tám sau 18 tháng thi công",
	    "Ngọc Hân",
	    "Cầu Rạch Ông Tám dài 120 m, rộng 12 m, nối Phường 7 và "
	    "Phường 9, chính thức thông xe sáng 2/9.",
	    "2023-09-02T09:05:00+07:00", "vi-VN",
	    "cầu Rạch Ông Tám, giao thông, Phường 7, Phường 9", NULL },
	    { "gtag", "Tìm kiếm", "Trang chủ", "Chia sẻ", "Quảng cáo",
	    "Nội dung ẩn", "Đọc nhiều", "Giấy phép", "bình luận",
	    "pixel" } },
	{ "portal-1258.html", {
	    "Đại hội Chi bộ khu phố 3 nhiệm kỳ 2020 - 2025 - Cổng thông "
	    "tin Phường 7", NULL, NULL, "21/05/2020", NULL,
	    "đại hội, chi bộ, khu phố 3", "td: 526 of 574 characters" },
	    { "31717415", "Tìm kiếm", "Trang chủ", "Văn bản", "javascript",
	    "ads.example.com", "MM_preload", "font:" } },
	{ "latin1.html", {
	    "Thông báo lịch tiếp dân tháng 6", "Văn phòng UBND phường",
	    NULL, "2019-06-03", NULL, NULL, NULL },
	    { "Trang chủ", "\xc2\x93" } },
	/* the issue's page: a #wrapper of divs, the story among a top
	 * bar, a breadcrumb, share and tag boxes, related news, a comment
	 * form, a sidebar and a footer */
	{ "portal-wrapper.html", {
	    "Quận Bình Lâm giải ngân 95% vốn đầu tư công", "Minh Khoa",
	    "Đến hết tháng 11, quận đã giải ngân 95% kế hoạch vốn đầu tư "
	    "công năm 2023.", "2023-12-04T08:30:00+07:00", NULL, NULL,
	    "div.content-detail and 3 blocks beside it: 819 of 1133 "
	    "characters" },
	    { "Đăng nhập", "Liên hệ", "Trang chủ", "Facebook", "Từ khóa",
	    "Tin liên quan", "Ý kiến bạn đọc", "Xem nhiều", "Dịch vụ công",
	    "Địa chỉ" } },
	/* ASP.NET (DotNetNuke): the whole page in a <form>, no charset
	 * declared, the story in spans with &nbsp; soup; the <title> is
	 * "Site > Section > Story" */
	{ "portal-aspnet.html", {
	    "Ra quân tổng vệ sinh môi trường", NULL,
	    "Sáng Chủ nhật 12/3, hơn 300 đoàn viên, hội viên ra quân tổng "
	    "vệ sinh các tuyến hẻm.", NULL, NULL,
	    "vệ sinh môi trường, phường 7", "div.article: 588 of 891 "
	    "characters" },
	    { "Đăng nhập", "Đăng ký", "Trang chủ", "Liên kết website",
	    "truy cập", "Các tin khác", "Ngày hội đọc sách", "Bản quyền",
	    "Quản trị", "VIEWSTATE" } },
	/* Joomla 1.5: layout tables, the title in a cell, modules of
	 * links without a telling class, <font> soup */
	{ "portal-joomla.html", {
	    "Trường THCS Lê Lợi khai giảng năm học 2019 - 2020", NULL,
	    "Trường THCS Lê Lợi khai giảng năm học mới", NULL, "vi-vn",
	    "trường học, khai giảng", "tr in table.contentpaneopen and 3 "
	    "blocks beside it: 552 of 884 characters" },
	    { "Danh mục", "Thời tiết", "Trang chủ", "Các bài khác",
	    "Hội nghị cán bộ", "Tin mới", "Thăm dò", "Bình chọn", "Copyright",
	    "printButton" } },
	/* an old blog theme: long comments full of commas are not the
	 * story; "Story « Site" gives the title */
	{ "portal-blog.html", {
	    "Hội thi nấu ăn ngày Phụ nữ Việt Nam", NULL, NULL, NULL, "vi",
	    NULL, "div.entry and 2 blocks beside it: 628 of 1363 "
	    "characters" },
	    { "Ngọc Lan", "Trần Thị Mai", "phản hồi tới", "Gửi phản hồi",
	    "Chuyên mục", "Lưu trữ", "WordPress", "Tập huấn kỹ năng",
	    "Vì sự tiến bộ", "Tên (bắt buộc)" } },
	/* FrontPage, windows-1258 declared nowhere, font soup in a layout
	 * table, a line of links closing the story */
	{ "portal-nodecl-1258.html", {
	    "Thông báo lịch tiêm phòng dại cho chó, mèo", NULL, NULL, NULL,
	    NULL, NULL, "td: 462 of 565 characters" },
	    { "Trang chủ", "Giới thiệu", "truy cập", "Về đầu trang",
	    "Trở về", "Thiết kế", "Quận 5", "\xc3\x90" } },
	{ "trang-web.txt", { 0 }, { "\xc2\xa0" } },
	{ "bao-cao-wrapped.txt", { 0 }, { 0 } },
	{ "tricky.gmi", { 0 }, { "\r", "\x07", "\x1b" } }
};

static void
check_meta(const char *got, const char *want, const char *file)
{
	if (want == NULL) {
		if (got != NULL)
			fprintf(stderr, "%s: unexpected meta [%s]\n", file, got);
		CHECK(got == NULL);
	} else
		CHECK_STR(got, want);
}

static void
test_golden(void)
{
	const struct golden	*g;
	struct convert_meta	 m;
	struct buf		 out;
	char			 path[256], err[128];
	char			*src, *want;
	size_t			 i, k, len, wlen;
	int			 write = getenv("BANTIN_GOLDEN") != NULL &&
				    strcmp(getenv("BANTIN_GOLDEN"), "write") == 0;

	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		g = &goldens[i];
		buf_init(&out);
		memset(&m, 0, sizeof(m));
		(void)snprintf(path, sizeof(path), FIX "%s", g->file);
		src = slurp(path, &len);
		CHECK(src != NULL);
		if (src == NULL)
			continue;
		err[0] = '\0';
		CHECK_INT(convert_as(g->file, &out, src, len, &m, err,
		    sizeof(err)), 0);
		CHECK_STR(err, "");
		check_valid(g->file, &out);
		(void)snprintf(path, sizeof(path), FIX "%s.gmi", g->file);
		if (write)
			CHECK(spew(path, out.data ? out.data : "",
			    out.len) == 0);
		want = slurp(path, &wlen);
		CHECK_STR(out.data ? out.data : "", want);
		for (k = 0; k < 10 && g->absent[k] != NULL; k++) {
			if (out.data != NULL &&
			    strstr(out.data, g->absent[k]) != NULL)
				fprintf(stderr, "%s: [%s] kept\n", g->file,
				    g->absent[k]);
			CHECK(out.data == NULL ||
			    strstr(out.data, g->absent[k]) == NULL);
		}
		if (strstr(g->file, ".htm") != NULL) {
			check_meta(m.title, g->meta.title, g->file);
			check_meta(m.author, g->meta.author, g->file);
			check_meta(m.summary, g->meta.summary, g->file);
			check_meta(m.date, g->meta.date, g->file);
			check_meta(m.lang, g->meta.lang, g->file);
			check_meta(m.tags, g->meta.tags, g->file);
			check_meta(m.block, g->meta.block, g->file);
		}
		convert_meta_free(&m);
		free(src);
		free(want);
		buf_free(&out);
	}
}

static void
test_link(void)
{
	static const struct {
		const char	*href, *base, *want;	/* NULL: dropped */
	} t[] = {
		{ "x.md", "/thoi-su/", "/thoi-su/x" },
		{ "x.gmi", "/thoi-su/", "/thoi-su/x" },
		{ "X.HTML", "/thoi-su/", "/thoi-su/X" },
		{ "bai.htm", "/thoi-su/", "/thoi-su/bai" },
		{ "ghi-chu.txt", "/thoi-su/", "/thoi-su/ghi-chu" },
		{ "../other/y.gmi", "/thoi-su/", "/other/y" },
		{ "anh/a.jpg", "/thoi-su/", "/thoi-su/anh/a.jpg" },
		{ "tai-lieu/ke-hoach.pdf", "/thoi-su/",
		    "/thoi-su/tai-lieu/ke-hoach.pdf" },
		{ "./a/./b/../c.txt", "/thoi-su/", "/thoi-su/a/c" },
		{ "../../../../x.md", "/thoi-su/dai-hoi/", "/x" },
		{ "..", "/thoi-su/dai-hoi/", "/thoi-su/" },
		{ ".", "/thoi-su/", "/thoi-su/" },
		{ "../", "/thoi-su/", "/" },
		{ "../kinh-te/", "/thoi-su/", "/kinh-te/" },
		{ "a//b.md", "/thoi-su/", "/thoi-su/a/b" },
		{ "x.md#muc-2", "/thoi-su/", "/thoi-su/x" },
		{ "x.md?trang=2#a", "/thoi-su/", "/thoi-su/x?trang=2" },
		{ "?trang=2", "/thoi-su/", "/thoi-su/?trang=2" },
		{ "/x", "/thoi-su/", "/x" },
		{ "/x.md", "/thoi-su/", "/x.md" },
		{ "/a/../../b", "/thoi-su/", "/b" },
		{ "/", "/thoi-su/", "/" },
		{ "https://vnexpress.net/a.html", "/thoi-su/",
		    "https://vnexpress.net/a.html" },
		{ "gemini://example.org/x.gmi", "/thoi-su/",
		    "gemini://example.org/x.gmi" },
		{ "gopher://example.org/1/", "/thoi-su/",
		    "gopher://example.org/1/" },
		{ "mailto:toasoan@binhlam.gov.vn", "/thoi-su/",
		    "mailto:toasoan@binhlam.gov.vn" },
		{ "HTTP://X.ORG/A", "/thoi-su/", "HTTP://X.ORG/A" },
		{ "//cdn.example.com/a.png", "/thoi-su/",
		    "https://cdn.example.com/a.png" },
		{ "  x.md\n", "/thoi-su/", "/thoi-su/x" },
		{ "ke\thoach.md", "/thoi-su/", "/thoi-su/kehoach" },
		{ "x.md", NULL, "/x" },
		{ "x.md", "", "/x" },
		{ "x.md", "/thoi-su", "/thoi-su/x" },
		{ "x.md", "thoi-su/", "/thoi-su/x" },
		{ ".md", "/thoi-su/", "/thoi-su/.md" },
		{ "a.md/", "/thoi-su/", "/thoi-su/a.md/" },
		{ "#muc-1", "/thoi-su/", NULL },
		{ "#", "/thoi-su/", NULL },
		{ "", "/thoi-su/", NULL },
		{ "   ", "/thoi-su/", NULL },
		{ "javascript:void(0)", "/thoi-su/", NULL },
		{ "JavaScript:alert(1)", "/thoi-su/", NULL },
		{ "data:image/png;base64,AAAA", "/thoi-su/", NULL }
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		r = convert_link(&b, t[i].href, t[i].base);
		if (t[i].want == NULL) {
			CHECK_INT(r, -1);
			CHECK_INT(b.len, 0);
		} else {
			CHECK_INT(r, 0);
			CHECK_STR(b.data, t[i].want);
		}
	}
	buf_free(&b);
}

/* Prose that looks like markup stays prose, in every format. */
/*
 * Blocks with nothing in them, from the fuzzer: lowdown hands an empty
 * code block over as (NULL, 0), and a table of empty cells leaves the
 * cells' text without data; both did arithmetic on a null pointer.
 */
static void
test_empty_blocks(void)
{
	static const struct {
		const char	*name;
		const char	*in, *want;
	} t[] = {
		{ ".md", "```\n```\n", "" },
		{ ".md", "```\n", "" },
		{ ".md", "x\n\n```\n```\n\ny\n", "x\n\ny\n" },
		{ ".md", "| | |\n|---|---|\n| | |\n",
		    "```\n |\n-|-\n |\n```\n" },
		{ ".html", "<table><tr><td></td></tr></table>", "" },
		{ ".html", "<pre></pre><p>x</p>", "x\n" },
		{ ".gmi", "```\n```\n", "```\n```\n" },
	};
	struct buf	 out = BUF_INIT;
	char		 err[128];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_free(&out);		/* a buffer that never had data */
		CHECK_INT(convert_as(t[i].name, &out, t[i].in,
		    strlen(t[i].in), NULL, err, sizeof(err)), 0);
		CHECK_STR(out.data != NULL ? out.data : "", t[i].want);
		check_valid(t[i].in, &out);
	}
	buf_free(&out);
}

static void
test_prose(void)
{
	static const struct {
		const char	*name;		/* the extension picks */
		const char	*in, *want;
	} t[] = {
		{ ".md", "=> không phải liên kết\n",
		    " => không phải liên kết\n" },
		{ ".md", "\\# không phải tiêu đề\n",
		    " # không phải tiêu đề\n" },
		{ ".md", "\\* không phải mục\n", " * không phải mục\n" },
		{ ".md", "\\> không phải trích dẫn\n",
		    " > không phải trích dẫn\n" },
		{ ".md", "\\`\\`\\`không phải khối\n",
		    " ```không phải khối\n" },
		{ ".md", "a\n=> b\n", "a => b\n" },
		{ ".md", "`=> mã`\n", " => mã\n" },
		{ ".md", "* => mục\n", "* => mục\n" },
		{ ".md", "## => tiêu đề\n", "## => tiêu đề\n" },
		{ ".md", "Hà Nội: trời mưa to.\n", "Hà Nội: trời mưa to.\n" },
		{ ".md", "title: không phải siêu dữ liệu\n\nThân bài.\n",
		    "title: không phải siêu dữ liệu\n\nThân bài.\n" },
		{ ".md", "[=> nhãn](x.md)\n",
		    " => nhãn\n\n=> /thoi-su/x => nhãn\n" },
		{ ".md", "| ```a | b |\n|---|---|\n| c | d |\n",
		    "```\n ```a | b\n-----|--\nc    | d\n```\n" },
		{ ".md", "~~~\n```\n~~~\n", "```\n ```\n```\n" },
		{ ".txt", "=> không phải liên kết\n",
		    " => không phải liên kết\n" },
		{ ".txt", "# không phải tiêu đề\n",
		    " # không phải tiêu đề\n" },
		{ ".txt", "* không phải mục\n", " * không phải mục\n" },
		{ ".txt", "> không phải trích dẫn\n",
		    " > không phải trích dẫn\n" },
		{ ".txt", "```không phải khối\n", " ```không phải khối\n" },
		{ ".txt", "    ## thụt đầu dòng\n", " ## thụt đầu dòng\n" },
		{ ".txt", "\xc2\xa0\xc2\xa0=>\tx\n", " => x\n" },
		{ ".html", "<p>=&gt; không phải liên kết</p>",
		    " => không phải liên kết\n" },
		{ ".html", "<p>   # không phải tiêu đề</p>",
		    " # không phải tiêu đề\n" },
		{ ".html", "<p>* không phải mục</p>", " * không phải mục\n" },
		{ ".html", "<p>&gt; không phải trích dẫn</p>",
		    " > không phải trích dẫn\n" },
		{ ".html", "<p>```không phải khối</p>",
		    " ```không phải khối\n" },
		{ ".html", "<p>a<br>=&gt; b</p>", "a\n => b\n" },
		{ ".html", "<h2>=&gt; tiêu đề</h2>", "## => tiêu đề\n" },
		{ ".html", "<ul><li>* mục</li></ul>", "* * mục\n" },
		{ ".html", "<pre>```\nx</pre>", "```\n ```\nx\n```\n" },
		{ ".html", "<a href=\"x.md\">=&gt; y</a>",
		    " => y\n\n=> /thoi-su/x => y\n" },
		{ ".html", "<table><tr><th>```a</th><th>b</th></tr>"
		    "<tr><td>c</td><td>d</td></tr></table>",
		    "```\n ```a | b\n-----|--\nc    | d\n```\n" },
		{ ".gmi", "=>\n", " =>\n" },
		{ ".gmi", "=>   \n", " =>\n" },
		{ ".gmi", "```\n=> x\n", "```\n=> x\n```\n" }
	};
	struct buf	 out = BUF_INIT;
	char		 err[128];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&out);
		CHECK_INT(convert_as(t[i].name, &out, t[i].in,
		    strlen(t[i].in), NULL, err, sizeof(err)), 0);
		CHECK_STR(out.data, t[i].want);
		check_valid(t[i].in, &out);
	}
	buf_free(&out);
}

static void
test_cases(void)
{
	static const struct {
		const char	*name, *in, *want;
	} t[] = {
		/* whitespace, &nbsp; and empty paragraphs */
		{ ".html", "<p>&nbsp;&nbsp;a&nbsp;&nbsp; b </p><p>&nbsp;</p>"
		    "<p>\n c\t</p>", "a b\n\nc\n" },
		{ ".html", "<p>a<br><br>b</p>", "a\n\nb\n" },
		/* a space alone between two kept characters, and beside
		 * what is not kept: a zero-width space, a BOM, NBSP, the
		 * Ogham space, a letter of two or three bytes */
		{ ".html", "<p>a b đ ấ c</p>", "a b đ ấ c\n" },
		{ ".html", "<p>a &#8203; b &#xfeff;c</p>", "a b c\n" },
		{ ".html", "<p>a &nbsp;b \xe1\x9a\x80 c</p>", "a b c\n" },
		{ ".html", "<p>z \xe2\x80\x8b</p><p>x y</p>", "z\n\nx y\n" },
		{ ".html", "<p>x &amp; &copy; &#7845; &#x1EA5; &quot;</p>",
		    "x & © ấ ấ \"\n" },
		{ ".html", "<p>a<script>var x=1;</script><style>p{}</style>"
		    "<!-- chú thích -->b<noscript>c</noscript></p>", "ab\n" },
		{ ".html", "<nav><a href=\"/\">Trang chủ</a></nav><p>x</p>"
		    "<form><input value=a><button>Gửi</button>"
		    "<select><option>o</option></select><textarea>t"
		    "</textarea></form><iframe src=a></iframe>", "x\n" },
		{ ".html", "<div class=\"main-menu\">m</div>"
		    "<div id=\"sidebar\">s</div><div role=\"navigation\">n"
		    "</div><p>nội dung chính của bài</p>",
		    "nội dung chính của bài\n" },
		/* an old page's header and footer, by id or class */
		{ ".html", "<div id=\"header\"><img src=\"logo.gif\" "
		    "alt=\"Logo\"> <span>Bản tin &ndash; Phiên bản in</span>"
		    "</div><div id=\"noi-dung\"><p>nội dung chính của bài"
		    "</p></div><div class=\"site-footer\"><a href=\"/\">Về "
		    "trang chủ</a><br>&copy; Bản tin</div>",
		    "nội dung chính của bài\n" },
		/* one that holds most of the page is kept */
		{ ".html", "<div class=\"header\"><p>cả bài viết nằm trong "
		    "khối này</p></div><p>x</p>",
		    "cả bài viết nằm trong khối này\n\nx\n" },
		/* and so is a header inside the story */
		{ ".html", "<div><div class=\"post-header\"><p>Tác giả A"
		    "</p></div><p>nội dung dài hơn của bài</p></div>",
		    "Tác giả A\n\nnội dung dài hơn của bài\n" },
		{ ".html", "<h1>A</h1><h2>B</h2><h3>C</h3><h6>D</h6>",
		    "# A\n\n## B\n\n### C\n\n### D\n" },
		{ ".html", "<ol start=\"3\"><li>ba</li><li>bốn</li></ol>",
		    "3. ba\n4. bốn\n" },
		{ ".html", "<p>Xem <a href=\"a.html\">bài A</a> và "
		    "<a href=\"#top\">đầu trang</a>.</p><p>Tiếp.</p>",
		    "Xem bài A và đầu trang.\n\n=> /thoi-su/a bài A\n\n"
		    "Tiếp.\n" },
		{ ".html", "<img src=\"anh/x.jpg\" alt=\" Ảnh  X \">",
		    "=> /thoi-su/anh/x.jpg Ảnh X\n" },
		{ ".html", "<figure><img src=\"a.png\"><figcaption>Chú "
		    "thích</figcaption></figure>",
		    "=> /thoi-su/a.png Chú thích\n" },
		{ ".html", "<figure><img src=\"a.png\" alt=\"Ảnh\">"
		    "<figcaption>Chú thích</figcaption></figure><p>x</p>",
		    "=> /thoi-su/a.png Ảnh\nChú thích\n\nx\n" },
		{ ".html", "<blockquote><p>a</p><p>b</p></blockquote>",
		    "> a\n> b\n" },
		{ ".html", "<blockquote><p>Lời nói.</p><cite>Người nói</cite>"
		    "</blockquote><p>x</p>", "> Lời nói.\n> Người nói\n\nx\n" },
		{ ".html", "<table><tr><td><p>Cột bố cục dài</p></td></tr>"
		    "</table>", "Cột bố cục dài\n" },
		/* ASP.NET wraps the whole page in a form: it is the page; a
		 * search form stays out */
		{ ".html", "<form id=\"Form\" action=\"x.aspx\"><input "
		    "type=\"hidden\" value=\"x\"><p>Phường ra quân tổng vệ "
		    "sinh các tuyến hẻm, thu gom 5 tấn rác.</p><p>Hơn 300 "
		    "đoàn viên và người dân tham gia khơi thông cống rãnh, "
		    "phát quang bụi rậm.</p><p>Ủy ban phường khen thưởng sáu "
		    "tổ dân phố tiêu biểu.</p></form><form><input "
		    "name=\"q\"><button>Tìm kiếm</button></form>",
		    "Phường ra quân tổng vệ sinh "
		    "các tuyến hẻm, thu gom 5 tấn rác.\n\nHơn 300 đoàn viên "
		    "và người dân tham gia khơi thông cống rãnh, phát quang "
		    "bụi rậm.\n\nỦy ban phường khen thưởng sáu tổ dân phố "
		    "tiêu biểu.\n" },
		/* undeclared and not UTF-8: Vietnamese tones after vowels
		 * mean windows-1258, anything else windows-1252 */
		{ ".html", "<p>Ti\xea\xecng Vi\xea\xf2t, ng\xfd\xf5\xcc" "i "
		    "\xf0i\xea\xccu</p>", "Tiếng Việt, người điều\n" },
		{ ".html", "<p>Caf\xe9 cr\xe8me br\xfbl\xe9" "e, o\xf9 est la "
		    "biblioth\xe8que? Cos\xec, n\xe3o.</p>",
		    "Café crème brûlée, où est la bibliothèque? Così, não.\n" },
		{ ".html", "", "" },
		/* Markdown */
		{ ".md", "", "" },
		{ ".md", "Dòng một\r\nDòng hai\r\n\r\nĐoạn hai\r\n",
		    "Dòng một Dòng hai\n\nĐoạn hai\n" },
		{ ".md", "\xef\xbb\xbf# Tiêu đề\n\nThân\n",
		    "# Tiêu đề\n\nThân\n" },
		{ ".md", "Câu \"ngoặc kép\" -- gạch...\n",
		    "Câu \"ngoặc kép\" -- gạch...\n" },
		{ ".md", "a  \nb\n", "a\nb\n" },
		{ ".md", "![ảnh](a.png)\n\n[x](b.md) [x](b.md)\n",
		    "=> /thoi-su/a.png ảnh\n\nx x\n\n=> /thoi-su/b x\n" },
		{ ".md", "1. một\n2. hai\n\n- a\n- b\n",
		    "1. một\n2. hai\n\n* a\n* b\n" },
		{ ".md", "Chú thích[^1].\n\n[^1]: Nguồn.\n",
		    "Chú thích[1].\n\n[1] Nguồn.\n" },
		{ ".md", "Xem <a href=\"b.md\">bài <b>này</b></a> và "
		    "<a href=\"/x\">x\n\n## <a href=\"h.md\">h</a>\n",
		    "Xem bài này và x\n\n=> /thoi-su/b bài này\n=> /x x\n\n"
		    "## h\n\n=> /thoi-su/h h\n" },
		{ ".md", "a<br>b <img src=\"c.png\" alt=\"C\"> d\n",
		    "a\nb d\n\n=> /thoi-su/c.png C\n" },
		/* plain text */
		{ ".txt", "", "" },
		{ ".txt", "\n\n\n", "" },
		{ ".txt", "  a\n\n\n\n  b  \n", "a\n\nb\n" },
		{ ".txt", "Ha\xcc\x80 No\xcc\x82\xcc\xa3i\n", "Hà Nội\n" },
		{ ".txt", "Xem https://x.org/a.html.\n",
		    "Xem https://x.org/a.html.\n\n=> https://x.org/a.html\n" },
		/* gemtext */
		{ ".gmi", "", "" },
		{ ".gmi", "\n\n# a\r\n\r\n\r\n\r\nb\t c \x07\n\n",
		    "# a\n\nb  c\n" },
		{ ".gmi", "```\n\tx\x01\n", "```\n\tx\n```\n" },
		{ ".gmi", "```\talt\nx\n```\tend\n", "``` alt\nx\n``` end\n" },
		{ ".gmi", "=> a.md\tNhãn\n=> #x y\n",
		    "=> /thoi-su/a Nhãn\n=> #x y\n" }
	};
	struct buf	 out = BUF_INIT;
	char		 err[128];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&out);
		CHECK_INT(convert_as(t[i].name, &out, t[i].in,
		    strlen(t[i].in), NULL, err, sizeof(err)), 0);
		CHECK_STR(out.data ? out.data : "", t[i].want);
		check_valid(t[i].in, &out);
	}
	buf_free(&out);
}

static void
test_errors(void)
{
	static const struct {
		const char	*name, *in, *want;
	} t[] = {
		{ ".md", "ab\n\xff" "c", "invalid UTF-8 at byte 3 (line 2)" },
		{ ".txt", "Hà\xc3", "invalid UTF-8 at byte 3 (line 1)" },
		{ ".gmi", "a\nb\n\xed\xa0\x80", "invalid UTF-8 at byte 4 "
		    "(line 3)" },
		{ ".md", "\xc0\xaf", "invalid UTF-8 at byte 0 (line 1)" }
	};
	struct buf	 out = BUF_INIT;
	char		 err[128];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&out);
		err[0] = '\0';
		CHECK_INT(convert_as(t[i].name, &out, t[i].in,
		    strlen(t[i].in), NULL, err, sizeof(err)), -1);
		CHECK_STR(err, t[i].want);
		CHECK_INT(out.len, 0);
	}
	/* a NUL byte is no text either */
	err[0] = '\0';
	CHECK_INT(convert_txt(&out, "a\0b", 3, BASE, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid UTF-8 at byte 1 (line 1)");
	/* HTML has a charset and never fails on bytes */
	buf_reset(&out);
	CHECK_INT(convert_html(&out, "<p>a\xff" "b</p>", 10, BASE, NULL, err,
	    sizeof(err)), 0);
	check_valid("html with a bad byte", &out);
	buf_free(&out);
	test_deep();
}

/*
 * A page nested deeper than the walk follows, or than libxml2 parses
 * (it drops the rest of the page), is refused with the line where it
 * goes too deep, instead of converting to what is left (issue 13).
 */
static void
test_deep(void)
{
	static const struct {
		const char	*open, *close;	/* around the nesting */
		int		 n;		/* elements deep */
		const char	*err;		/* NULL: converts */
		const char	*has;		/* in the gemtext */
	} t[] = {
		{ "<div>", "</div>", 100, NULL, "Sâu." },
		{ "<div>", "</div>", 127, "line 3: elements nested more than "
		    "128 deep", NULL },
		{ "<div>", "</div>", 300, "line 3: elements nested more than "
		    "128 deep", NULL },
		{ "<div>", "</div>", 100000, "line 3: elements nested more "
		    "than 128 deep", NULL },
		{ "<span>", "</span>", 100000, "line 3: elements nested more "
		    "than 128 deep", NULL },
		/* libxml2 stops in a part never shown: the rest is lost all
		 * the same */
		{ "<aside>\n<div>", "</div></aside>", 100000, "line 4: "
		    "elements nested more than 128 deep", NULL },
		/* deep, but short of libxml2's limit, in a part never
		 * shown: nothing is lost */
		{ "<aside><div>", "</div></aside>", 200, NULL, "Sau." },
	};
	struct buf	 src = BUF_INIT, out = BUF_INIT;
	char		 err[128];
	size_t		 i;
	int		 k, r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&src);
		buf_reset(&out);
		buf_puts(&src, "<html><body>\n<p>Trước.</p>\n");
		buf_puts(&src, t[i].open);
		for (k = 1; k < t[i].n; k++)
			buf_puts(&src, "<div>");
		buf_puts(&src, "<p>Sâu.</p>");
		for (k = 1; k < t[i].n; k++)
			buf_puts(&src, "</div>");
		buf_puts(&src, t[i].close);
		buf_puts(&src, "\n<p>Sau.</p></body></html>\n");
		err[0] = '\0';
		r = convert_html(&out, src.data, src.len, BASE, NULL, err,
		    sizeof(err));
		if (t[i].err != NULL) {
			CHECK_INT(r, -1);
			CHECK_STR(err, t[i].err);
			CHECK_INT(out.len, 0);
		} else {
			CHECK_INT(r, 0);
			CHECK_HAS(out.data, t[i].has);
			CHECK_HAS(out.data, "Sau.");
		}
	}
	/* nested menus and stories: each weighed once (convert_html_weigh),
	 * and judged as when each was walked again */
	for (i = 0; i < 2; i++) {
		buf_reset(&src);
		buf_reset(&out);
		buf_puts(&src, "<html><body><p>Ngoài.</p>");
		for (k = 0; k < 60; k++)
			buf_puts(&src, i == 0 ? "<div class=\"menu\"><p>Mục"
			    "</p>" : "<article><p>Bài</p>");
		for (k = 0; k < 60; k++)
			buf_puts(&src, i == 0 ? "</div>" : "</article>");
		buf_puts(&src, "<p>");
		for (k = 0; k < 10; k++)
			buf_puts(&src, "Một đoạn văn dài hơn mọi mục của trình "
			    "đơn cộng lại, để trang có chữ của nó. ");
		buf_puts(&src, "</p></body></html>");
		CHECK_INT(convert_html(&out, src.data, src.len, BASE, NULL,
		    err, sizeof(err)), 0);
		if (i == 0) {		/* the menus go, the page stays */
			CHECK(out.data != NULL &&
			    strstr(out.data, "Mục") == NULL);
			CHECK_HAS(out.data, "Ngoài.\n\nMột đoạn văn");
		} else {	/* stories with less than 40% of the text */
			CHECK_HAS(out.data, "Ngoài.\n\nBài\n\nBài");
			CHECK_HAS(out.data, "Bài\n\nMột đoạn văn");
		}
	}
	/* raw HTML in Markdown keeps what it can, as before */
	buf_reset(&src);
	buf_reset(&out);
	for (k = 0; k < 300; k++)
		buf_puts(&src, "<div>");
	buf_puts(&src, "\n\nĐoạn sau.\n");
	CHECK_INT(convert_md(&out, src.data, src.len, BASE, err,
	    sizeof(err)), 0);
	buf_free(&src);
	buf_free(&out);
}

/* Every '|' of a table stands in the same display column on each row. */
static void
test_table_width(void)
{
	static const char *const in[] = {
		"| Tên | Tuổi | Quê quán |\n|---|--:|---|\n"
		"| Nguyễn Thị Ánh Tuyết | 30 | Hà Nội |\n"
		"| Lê Văn Đức | 4 | Đà Nẵng |\n| 日本語 | 100 | ẩn |\n",
		"<table><tr><th>Tên</th><th>Tuổi</th></tr>"
		"<tr><td>Trần Thị Hồng Nhung</td><td>41</td></tr>"
		"<tr><td>Võ Văn Kiệt</td><td>7</td></tr></table>"
	};
	struct buf	 out = BUF_INIT;
	const char	*p, *nl, *bar;
	size_t		 i, col[8], k, rows;
	char		 err[128];

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		buf_reset(&out);
		if (i == 0)
			CHECK_INT(convert_md(&out, in[i], strlen(in[i]), BASE,
			    err, sizeof(err)), 0);
		else
			CHECK_INT(convert_html(&out, in[i], strlen(in[i]),
			    BASE, NULL, err, sizeof(err)), 0);
		CHECK(out.len > 8 && memcmp(out.data, "```\n", 4) == 0);
		rows = 0;
		for (p = out.data + 4; (nl = strchr(p, '\n')) != NULL &&
		    strncmp(p, "```", 3) != 0; p = nl + 1, rows++) {
			for (k = 0, bar = p; k < 8 &&
			    (bar = memchr(bar, '|', (size_t)(nl - bar))) !=
			    NULL; bar++, k++) {
				if (rows == 0)
					col[k] = utf8_width(p,
					    (size_t)(bar - p));
				else
					CHECK_INT(utf8_width(p,
					    (size_t)(bar - p)), col[k]);
			}
		}
		CHECK(rows >= 4);
	}
	buf_free(&out);
}

/* Converters append; they never clear what the caller built. */
static void
test_append(void)
{
	struct buf	 out = BUF_INIT;
	char		 err[128];

	CHECK_INT(buf_puts(&out, "=> / Trang chủ\n"), 0);
	CHECK_INT(convert_txt(&out, "a", 1, BASE, err, sizeof(err)), 0);
	CHECK_INT(convert_md(&out, "*b*", 3, BASE, err, sizeof(err)), 0);
	CHECK_INT(convert_gmi(&out, "c", 1, BASE, err, sizeof(err)), 0);
	CHECK_INT(convert_html(&out, "<b>d</b>", 8, BASE, NULL, err,
	    sizeof(err)), 0);
	CHECK_STR(out.data, "=> / Trang chủ\na\nb\nc\nd\n");
	buf_free(&out);
}

/*
 * Finding the story on a page that does not mark it: one rule a case.
 * P1..P3 are paragraphs long enough to count; block is the start of
 * what the converter says it chose (NULL: no pick).
 */
#define P1	"Ủy ban nhân dân phường tổ chức hội nghị tổng kết, đánh giá " \
		"kết quả thực hiện nhiệm vụ năm, đề ra phương hướng năm tới."
#define P2	"Hội nghị biểu dương 12 tập thể, 25 cá nhân tiêu biểu, trao " \
		"giấy khen cho các khu phố hoàn thành tốt nhiệm vụ."
#define P3	"Các đại biểu thống nhất tập trung cải cách hành chính, chỉnh " \
		"trang đô thị, chăm lo an sinh xã hội."
#define STORY	"<p>" P1 "</p><p>" P2 "</p><p>" P3 "</p>"
#define STORY_G	P1 "\n\n" P2 "\n\n" P3 "\n"

static void
test_pick(void)
{
	static const struct {
		const char	*in, *want, *block;
	} t[] = {
		/* an <article> is the story, as before: nothing picked */
		{ "<div class=\"menu\"><a href=\"/\">Trang chủ</a></div>"
		  "<article>" STORY "</article>", STORY_G, NULL },
		/* too little to tell: the whole page, as before */
		{ "<div><a href=\"/\">Trang chủ</a></div><p>Ngắn.</p>",
		  "Trang chủ\n\n=> / Trang chủ\n\nNgắn.\n", NULL },
		/* comments say more, with more commas: furniture all the same */
		{ "<div class=\"noi-dung\">" STORY "</div>"
		  "<div class=\"binh-luan\"><p>" P1 "</p><p>" P2 "</p><p>" P3
		  "</p><p>" P1 "</p></div>", STORY_G, "div.noi-dung: " },
		/* a layout table: the cell with the story, not the menus */
		{ "<table><tr><td><a href=\"/a\">Tin tức</a><br><a "
		  "href=\"/b\">Văn bản</a></td><td>" STORY "</td><td>Số "
		  "lượt truy cập: 31717415</td></tr></table>", STORY_G, "td: " },
		/* the title and lead before the story stay; the share and
		 * tag boxes after it, and the comment form's heading, go */
		{ "<div class=\"box\"><h1>Hội nghị tổng kết năm</h1>"
		  "<div class=\"sapo\"><b>Sáng 5/1, phường tổng kết.</b></div>"
		  "<div class=\"detail\">" STORY "</div>"
		  "<div class=\"chia-se\"><a href=\"https://fb.com/x\">"
		  "Facebook</a></div><div class=\"tu-khoa\">Từ khóa: <a "
		  "href=\"/tag/a\">hội nghị</a></div><h3>Ý kiến bạn đọc</h3>"
		  "<form><textarea></textarea></form></div>",
		  "# Hội nghị tổng kết năm\n\nSáng 5/1, phường tổng kết.\n\n"
		  STORY_G, "div.detail and 2 blocks beside it: " },
		/* inside the story: a list of links to other pages goes, a
		 * list of documents stays */
		{ "<div id=\"main\">" STORY "<ul><li><a href=\"/x\">Tin "
		  "khác một</a></li><li><a href=\"/y\">Tin khác hai</a></li>"
		  "</ul><ul><li><a href=\"qd-12.pdf\">Quyết định 12</a></li>"
		  "</ul><div class=\"tin-lien-quan\"><p>" P2 "</p></div>"
		  "</div>", STORY_G "\n* Quyết định 12\n\n=> /thoi-su/qd-12.pdf "
		  "Quyết định 12\n", "div#main: " },
		/* a short line right after the story is its signature; one
		 * after a box is that box's title */
		{ "<div><div class=\"detail\">" STORY "</div><div>MỸ DUNG"
		  "</div><div class=\"share\">x</div><div>Tin cùng "
		  "chuyên mục</div></div>", STORY_G "\nMỸ DUNG\n",
		  "div.detail and 1 block beside it: " },
		/* a figure before the story is its picture */
		{ "<div><div><img src=\"anh.jpg\" alt=\"Toàn cảnh\"></div>"
		  "<div class=\"content\">" STORY "</div></div>",
		  "=> /thoi-su/anh.jpg Toàn cảnh\n\n" STORY_G,
		  "div.content and 1 block beside it: " },
		/* ASP.NET: the page is one <form>; a search form stays out */
		{ "<form id=\"Form\"><input type=\"hidden\" value=\"x\">"
		  "<div class=\"menu\"><a href=\"/\">Trang chủ</a></div>"
		  "<div class=\"ct\">" STORY "</div></form><form><input "
		  "name=\"q\"><button>Tìm kiếm</button></form>", STORY_G,
		  "div.ct: " }
	};
	struct convert_meta	 m;
	struct buf		 out = BUF_INIT;
	char			 err[128];
	size_t			 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&out);
		memset(&m, 0, sizeof(m));
		CHECK_INT(convert_html(&out, t[i].in, strlen(t[i].in), BASE,
		    &m, err, sizeof(err)), 0);
		CHECK_STR(out.data ? out.data : "", t[i].want);
		check_valid(t[i].in, &out);
		if (t[i].block == NULL)
			check_meta(m.block, NULL, "pick");
		else if (m.block == NULL ||
		    strncmp(m.block, t[i].block, strlen(t[i].block)) != 0)
			CHECK_STR(m.block, t[i].block);
		convert_meta_free(&m);
	}
	buf_free(&out);
}

/* A site that has /co and /anh/co.jpg, knows /cu as /moi, and
 * nothing else; every path it is asked about is noted. */
static int
fake_site(void *arg, const char *path, struct buf *to)
{
	struct buf	*asked = arg;

	(void)buf_printf(asked, "%s ", path);
	if (strcmp(path, "/co") == 0 || strcmp(path, "/anh/co.jpg") == 0 ||
	    strcmp(path, "/") == 0)
		return 0;
	if (strcmp(path, "/cu") == 0)
		return buf_puts(to, "/moi") == -1 ? -1 : 1;
	return -1;
}

static void
test_site_links(void)
{
	static const struct {
		const char	*in, *want, *asked;
	} t[] = {
		/* kept, rewritten, dropped (its words stay) */
		{ "<p><a href=\"/co\">có</a>, <a href=\"/cu\">cũ</a>, <a "
		  "href=\"/mat\">mất</a></p>", "có, cũ, mất\n\n=> /co có\n"
		  "=> /moi cũ\n", "/co /cu /mat " },
		/* relative links are asked about as paths; other hosts and
		 * schemes are not asked about */
		{ "<p><a href=\"../cu\">cũ</a> <a href=\"https://x.vn/cu\">"
		  "x</a> <a href=\"mailto:a@x.vn\">thư</a></p>", "cũ x thư\n\n"
		  "=> /moi cũ\n=> https://x.vn/cu x\n=> mailto:a@x.vn thư\n",
		  "/cu " },
		/* the page's own host (canonical) is the site; "www." aside */
		{ "<html><head><link rel=\"canonical\" href=\"http://Cu.VN/"
		  "a/b.html\"></head><body><p><a href=\"http://www.cu.vn/co#"
		  "x\">có</a> <a href=\"https://cu.vn\">nhà</a> <a href=\""
		  "http://cu.vn.khac.vn/co\">khác</a></p></body></html>",
		  "có nhà khác\n\n=> /co có\n=> / nhà\n"
		  "=> http://cu.vn.khac.vn/co khác\n", "/co / " },
		/* og:url and <base> say it too */
		{ "<html><head><meta property=\"og:url\" content=\"https://"
		  "cu.vn/x\"></head><body><p><a href=\"https://cu.vn/mat\">"
		  "mất</a></p></body></html>", "mất\n", "/mat " },
		/* a picture the site has not: its words, as a paragraph; a
		 * figure's caption once */
		{ "<p>a</p><img src=\"/anh/co.jpg\" alt=\"Có\"><img src=\""
		  "/anh/mat.jpg\" alt=\"Mất\"><figure><img src=\"mat2.jpg\">"
		  "<figcaption>Chú thích</figcaption></figure><p>b <img src=\""
		  "/anh/mat3.jpg\" alt=\"x\"></p>", "a\n\n=> /anh/co.jpg Có\n"
		  "\nMất\n\nChú thích\n\nb\n", "/anh/co.jpg /anh/mat.jpg "
		  "/thoi-su/mat2.jpg /anh/mat3.jpg " }
	};
	struct convert_links	 lk;
	struct buf		 out = BUF_INIT, asked = BUF_INIT;
	char			 err[128];
	size_t			 i;

	lk.resolve = fake_site;
	lk.arg = &asked;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&out);
		buf_reset(&asked);
		CHECK_INT(convert_html_site(&out, t[i].in, strlen(t[i].in),
		    BASE, &lk, NULL, err, sizeof(err)), 0);
		CHECK_STR(out.data ? out.data : "", t[i].want);
		CHECK_STR(asked.data ? asked.data : "", t[i].asked);
		check_valid(t[i].in, &out);
	}
	/* without a site, as before */
	buf_reset(&out);
	CHECK_INT(convert_html_site(&out, t[0].in, strlen(t[0].in), BASE,
	    NULL, NULL, err, sizeof(err)), 0);
	CHECK_STR(out.data, "có, cũ, mất\n\n=> /co có\n=> /cu cũ\n"
	    "=> /mat mất\n");
	buf_free(&out);
	buf_free(&asked);
}

/* What an import learns of a saved page (convert_html_page). */
static void
test_page(void)
{
	static const struct {
		const char	*in;
		int		 story;
		size_t		 heads;
		int		 password;
		const char	*section, *date, *crumbs, *tags, *links;
		const char	*menu;		/* one of them */
	} t[] = {
		/* the issue's page: breadcrumb, section, tags, the date of
		 * the story (not the top bar's), what its story links to */
		{ "portal-wrapper.html", 1, 0, 0, "Kinh tế", "04/12/2023 08:30",
		  "Kinh tế|", "đầu tư công|giải ngân|",
		  "/uploads/2023/12/cong-trinh.jpg|/kinh-te/ke-hoach-von-2024|"
		  "https://mof.gov.vn/quy-dinh|", "/kinh-te/\tKinh tế" },
		/* WordPress: rel="category", rel="tag" */
		{ "portal-blog.html", 1, 0, 0, "Hoạt động", NULL, "",
		  "hội thi|20-10|", NULL,
		  "http://hoiphunu-p9.example.vn/category/thong-bao/\tThông "
		  "báo" },
		/* <article> with <time> */
		{ "cms-article.html", 1, 0, 0, NULL, "2023-09-02T09:05",
		  "Thời sự|", "", NULL, "/lien-he\tLiên hệ" },
		/* DotNetNuke: the date in a span */
		{ "portal-aspnet.html", 1, 0, 0, NULL, NULL, "", "", NULL,
		  "/tin-tuc/tabid/55/Default.aspx\tTin tức - Sự kiện" }
	};
	static const struct {
		const char	*in;
		int		 story;
		size_t		 heads;
		int		 password;
	} u[] = {
		/* a listing of teasers */
		{ "<div class=\"list\"><h3><a href=\"a.html\">Tin một</a></h3>"
		  "<p>" P1 "</p><h3><a href=\"b.html\">Tin hai</a></h3><p>" P2
		  "</p><h3><a href=\"c.html\">Tin ba</a></h3><p>" P3 "</p>"
		  "</div>", 1, 3, 0 },
		/* a login form */
		{ "<div id=\"main\">" STORY "<form><input name=\"u\"><input "
		  "type=\"password\"></form></div>", 1, 0, 1 },
		/* a menu and nothing else */
		{ "<ul><li><a href=\"/a\">A</a></li><li><a href=\"/b\">B</a>"
		  "</li></ul>", 0, 0, 0 }
	};
	struct convert_page	 pg;
	struct buf		 b = BUF_INIT;
	char			 path[256], *src;
	size_t			 i, k, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		(void)snprintf(path, sizeof(path), FIX "%s", t[i].in);
		if ((src = slurp(path, &len)) == NULL) {
			CHECK(0);
			continue;
		}
		CHECK_INT(convert_html_page(src, len, &pg), 0);
		CHECK_INT(pg.story, t[i].story);
		CHECK_INT(pg.heads, t[i].heads);
		CHECK_INT(pg.password, t[i].password);
		check_meta(pg.section, t[i].section, t[i].in);
		if (t[i].date == NULL)
			check_meta(pg.date, NULL, t[i].in);
		else
			CHECK_HAS(pg.date, t[i].date);
		buf_reset(&b);
		for (k = 0; k < pg.ncrumbs; k++)
			(void)buf_printf(&b, "%s|", pg.crumbs[k]);
		CHECK_STR(b.data != NULL ? b.data : "", t[i].crumbs);
		buf_reset(&b);
		for (k = 0; k < pg.ntags; k++)
			(void)buf_printf(&b, "%s|", pg.tags[k]);
		CHECK_STR(b.data != NULL ? b.data : "", t[i].tags);
		if (t[i].links != NULL) {
			buf_reset(&b);
			for (k = 0; k < pg.nlinks; k++)
				(void)buf_printf(&b, "%s|", pg.links[k]);
			CHECK_STR(b.data, t[i].links);
		}
		for (k = 0; k < pg.nmenu; k++)
			if (strcmp(pg.menu[k], t[i].menu) == 0)
				break;
		if (k == pg.nmenu)
			fprintf(stderr, "%s: no [%s] in the menu\n", t[i].in,
			    t[i].menu);
		CHECK(k < pg.nmenu);
		convert_page_free(&pg);
		free(src);
	}
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		CHECK_INT(convert_html_page(u[i].in, strlen(u[i].in), &pg), 0);
		CHECK_INT(pg.story, u[i].story);
		CHECK_INT(pg.heads, u[i].heads);
		CHECK_INT(pg.password, u[i].password);
		CHECK(pg.story == 0 || pg.chars > 0);
		convert_page_free(&pg);
	}
	buf_free(&b);
}

int
main(void)
{
	test_golden();
	test_pick();
	test_site_links();
	test_page();
	test_link();
	test_prose();
	test_empty_blocks();
	test_cases();
	test_errors();
	test_table_width();
	test_append();
	return t_done("test_convert");
}
