/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_import.c: bantin -I. Tables: dates as portals write them, the
 * ASCII names of titles. Then imports of small mirrors made here: which
 * pages are articles and which are skipped, and why; where each goes,
 * what its file holds; a second run imports nothing; nothing is read
 * through a symbolic link out of the mirror, nothing written through
 * one out of the tree, no temporary file is left.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "import.h"
#include "t.h"

static char	tmpdir[] = "/tmp/test_import.XXXXXX";

static void
test_dates(void)
{
	static const struct {
		const char	*in, *want;	/* NULL: none */
	} t[] = {
		{ "04/12/2023 08:30", "2023-12-04 08:30" },
		{ "Thứ Hai, 20/11/2023 - 15:45", "2023-11-20 15:45" },
		{ "Ngày đăng: 12/03/2023 09:40", "2023-03-12 09:40" },
		{ "Tuyên truyền Đại Hội Đảng các cấp 15 Tháng Mười 2020 "
		  "05:20:00 CH", "2020-10-15 17:20" },
		{ "21 Tháng Năm 2020 11:15:00 SA", "2020-05-21 11:15" },
		{ "12 Tháng Mười Hai 2019 12:05:00 SA", "2019-12-12 00:05" },
		{ "Thứ năm, 05 Tháng 9 2019 08:00", "2019-09-05 08:00" },
		{ "ngày 3 tháng 2 năm 2021", "2021-02-03" },
		{ "Thứ Bảy, 20 Tháng Mười, 2012 lúc 16:05", "2012-10-20 16:05" },
		{ "2023-09-02 09:05", "2023-09-02 09:05" },
		{ "08:30 21-05-2020", "2020-05-21 08:30" },
		{ "Cập nhật 3.4.2018", "2018-04-03" },
		/* not dates */
		{ "20/10/1930 - ngày thành lập", NULL },
		{ "31/02 và 12/2020", NULL },
		{ "Tổng thu 2.150 tỷ đồng", NULL },
		{ "12/13/2020", NULL },
		{ "", NULL }
	};
	char	 out[17];
	size_t	 i;
	int	 r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out[0] = '\0';
		r = import_text_date(t[i].in, out);
		if (t[i].want == NULL) {
			if (r == 0)
				fprintf(stderr, "[%s]: %s\n", t[i].in, out);
			CHECK_INT(r, -1);
		} else {
			CHECK_INT(r, 0);
			CHECK_STR(out, t[i].want);
		}
	}
}

static void
test_slugs(void)
{
	static const struct {
		const char	*in;
		size_t		 max;
		const char	*want;
	} t[] = {
		{ "Quận Bình Lâm giải ngân 95% vốn đầu tư công", 80,
		  "quan-binh-lam-giai-ngan-95-von-dau-tu-cong" },
		{ "Đường hoa xuân Giáp Thìn 2024", 80,
		  "duong-hoa-xuan-giap-thin-2024" },
		{ "  --Tin tức - Sự kiện!!  ", 80, "tin-tuc-su-kien" },
		{ "Kinh tế", 80, "kinh-te" },
		{ "Quận Bình Lâm giải ngân 95% vốn", 16, "quan-binh-lam" },
		{ "Mười hai", 6, "muoi" },
		{ "日本語", 80, NULL },
		{ "", 80, NULL }
	};
	char	 out[96];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].want == NULL)
			CHECK_INT(import_slug(t[i].in, out, t[i].max), -1);
		else {
			CHECK_INT(import_slug(t[i].in, out, t[i].max), 0);
			CHECK_STR(out, t[i].want);
		}
	}
}

static void
put(const char *rel, const char *text)
{
	char	 path[1024], *slash;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	for (slash = path + strlen(tmpdir) + 1;
	    (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		(void)mkdir(path, 0755);
		*slash = '/';
	}
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
}

static char *
slurp(const char *rel)
{
	struct buf	 b = BUF_INIT;
	char		 path[1024], chunk[4096];
	size_t		 n;
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b, NULL);
}

static int
exists(const char *rel)
{
	struct stat	 st;
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	return lstat(path, &st) == 0;
}

/* the report of an import of tmpdir/mirror into tmpdir/root */
static char *
import(int *rc)
{
	char	*out = NULL, root[1024], mirror[1024];
	size_t	 len = 0;
	FILE	*fp;

	snprintf(root, sizeof(root), "%s/root", tmpdir);
	snprintf(mirror, sizeof(mirror), "%s/mirror", tmpdir);
	if ((fp = open_memstream(&out, &len)) == NULL)
		exit(1);
	*rc = import_portal(root, mirror, fp);
	fclose(fp);
	return out;
}

/* no ".import.*" temporary anywhere below rel */
static int
no_temp(const char *rel)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[1024], sub[1024];
	int		 r = 1;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if ((d = opendir(path)) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (strncmp(de->d_name, ".import", 7) == 0)
			r = 0;
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		if (de->d_type == DT_DIR && !no_temp(sub))
			r = 0;
	}
	closedir(d);
	return r;
}

#define STORY \
	"<p>Ủy ban nhân dân phường tổ chức hội nghị tổng kết, đánh giá kết " \
	"quả thực hiện nhiệm vụ năm, đề ra phương hướng năm tới.</p><p>Hội " \
	"nghị biểu dương 12 tập thể, 25 cá nhân tiêu biểu, trao giấy khen " \
	"cho các khu phố hoàn thành tốt nhiệm vụ.</p><p>Các đại biểu thống " \
	"nhất tập trung cải cách hành chính, chỉnh trang đô thị, chăm lo an " \
	"sinh xã hội.</p>"

static void
test_import(void)
{
	static const char *const want_report[] = {
		"imported kinh-te/2023-11-20-hoi-nghi-tong-ket.html (from "
		    "kinh-te/hoi-nghi.html, 2 files)\n",
		"imported van-hoa-xa-hoi/2021-06-01-le-hoi-van-hoa.html (from "
		    "van-hoa/le-hoi.aspx)\n",
		"imported thong-bao/2019-05-01-thong-bao-mat-nuoc.html (from "
		    "thong-bao/2019/05/mat-nuoc.htm)\n",
		"imported tin-tuc/2019-05-02-thong-bao-mat-dien.html (from "
		    "mat-dien.htm, dated by the file's time)\n",
		"imported 4, skipped 5\n",
		"skipped index.html: the home page\n",
		"skipped dang-nhap.html: a login page\n",
		"skipped tim-kiem.php?q=x: a search page\n",
		"skipped kinh-te/index.html: a listing of 3 headlines\n",
		"skipped ngan.html: too short for an article (72 characters)\n"
	};
	struct stat	 st;
	char		*out, *html;
	size_t		 i;
	int		 rc;

	(void)mkdir(tmpdir, 0700);
	put("root/thoi-su/_category.ini", "[category]\ntitle = Thời sự\n");
	put("mirror/index.html", "<h1>Cổng thông tin</h1><div class=\"tin\">"
	    "<h2><a href=\"/kinh-te/hoi-nghi.html\">Hội nghị</a></h2></div>");
	/* an article: breadcrumb, dateline, a picture, a document, a link
	 * to another article and one off the mirror */
	put("mirror/kinh-te/hoi-nghi.html", "<html><head><meta charset="
	    "\"utf-8\"><title>Hội nghị tổng kết - Cổng thông tin</title>"
	    "<meta name=\"author\" content=\"An Bình\"></head><body>"
	    "<div class=\"top\">Hôm nay: 01/01/2026</div>"
	    "<div class=\"breadcrumb\"><a href=\"/\">Trang chủ</a> » <a "
	    "href=\"/kinh-te/\">Kinh tế</a></div><div class=\"box\"><h1>Hội "
	    "nghị tổng kết</h1><div class=\"date\">Thứ Hai, 20/11/2023</div>"
	    "<div class=\"detail\">" STORY "<p><img src=\"../anh/hn.JPG\" "
	    "alt=\"Hội nghị\"> Xem <a href=\"/van-ban/kh.pdf\">kế hoạch</a>, "
	    "<a href=\"../van-hoa/le-hoi.aspx\">lễ hội</a>, <a href=\"../../"
	    "../etc/passwd\">x</a> và <a href=\"http://khac.vn/a.jpg\">y</a>."
	    "</p></div></div></body></html>");
	put("mirror/anh/hn.JPG", "jpeg");
	put("mirror/van-ban/kh.pdf", "%PDF");
	/* filed by its section; dated by <time> */
	put("mirror/van-hoa/le-hoi.aspx", "<html><head><title>Lễ hội văn hóa"
	    "</title><meta property=\"article:section\" content=\"Văn hóa - "
	    "Xã hội\"></head><body><div id=\"noi-dung\"><time datetime=\""
	    "2021-06-01T08:00\">1/6</time>" STORY "</div></body></html>");
	/* filed and dated by its address */
	put("mirror/thong-bao/2019/05/mat-nuoc.htm", "<html><head><title>"
	    "Thông báo mất nước</title></head><body><div class=\"content\">"
	    STORY "</div></body></html>");
	/* nothing says: the default category, the file's time */
	put("mirror/mat-dien.htm", "<html><head><title>Thông báo mất điện"
	    "</title></head><body><div class=\"content\">" STORY "</div>"
	    "</body></html>");
	put("mirror/kinh-te/index.html", "<div class=\"list\"><h3><a href=\""
	    "a.html\">Tin một</a></h3><p>" "Tóm tắt tin một, dài, có dấu "
	    "phẩy, để đủ.</p><h3><a href=\"b.html\">Tin hai</a></h3><p>Tóm "
	    "tắt tin hai, dài, có dấu phẩy, để đủ.</p><h3><a href=\"c.html\">"
	    "Tin ba</a></h3><p>Tóm tắt tin ba, dài, có dấu phẩy, để đủ.</p>"
	    "</div>");
	put("mirror/dang-nhap.html", "<div id=\"main\">" STORY "<form><input "
	    "type=\"password\"></form></div>");
	put("mirror/tim-kiem.php?q=x", "<div id=\"main\">" STORY "</div>");
	put("mirror/ngan.html", "<div class=\"content\"><p>Một đoạn ngắn, có "
	    "dấu phẩy, có chữ, nhưng ngắn quá.</p><p>Đoạn hai, cũng có dấu "
	    "phẩy, cũng ngắn.</p></div>");
	/* a link out of the mirror is not followed */
	if (symlink("/etc", "mirror-etc") == 0) {
		char	 path[1024];

		snprintf(path, sizeof(path), "%s/mirror/etc", tmpdir);
		(void)rename("mirror-etc", path);
	}
	/* 2019-05-02, the file's time */
	{
		char		 path[1024];
		struct tm	 tm;
		struct timespec	 ts[2];

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 119;
		tm.tm_mon = 4;
		tm.tm_mday = 2;
		tm.tm_hour = 12;
		ts[0].tv_sec = ts[1].tv_sec = mktime(&tm);
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		snprintf(path, sizeof(path), "%s/mirror/mat-dien.htm",
		    tmpdir);
		(void)utimensat(AT_FDCWD, path, ts, 0);
	}

	out = import(&rc);
	CHECK_INT(rc, 0);
	for (i = 0; i < sizeof(want_report) / sizeof(want_report[0]); i++)
		CHECK_HAS(out, want_report[i]);
	free(out);

	/* the categories, with their titles; the one there kept */
	html = slurp("root/kinh-te/_category.ini");
	CHECK_STR(html, "[category]\ntitle = \"Kinh tế\"\n");
	free(html);
	html = slurp("root/van-hoa-xa-hoi/_category.ini");
	CHECK_STR(html, "[category]\ntitle = \"Văn hóa - Xã hội\"\n");
	free(html);
	html = slurp("root/thoi-su/_category.ini");
	CHECK_STR(html, "[category]\ntitle = Thời sự\n");
	free(html);
	/* the article: its metadata ahead of </head>, its files beside it,
	 * its links to them and to the other article rewritten; the rest
	 * of the page as it was */
	html = slurp("root/kinh-te/2023-11-20-hoi-nghi-tong-ket.html");
	CHECK_HAS(html, "<meta name=\"bantin:source\" content=\"kinh-te/"
	    "hoi-nghi.html\">\n<meta property=\"article:published_time\" "
	    "content=\"2023-11-20\">\n<meta name=\"author\" content=\"An "
	    "B&#236;nh\">\n</head>");
	CHECK_HAS(html, "<img src=\"anh/2023-11-20-hoi-nghi-tong-ket/hn.jpg\"");
	CHECK_HAS(html, "<a href=\"anh/2023-11-20-hoi-nghi-tong-ket/kh.pdf\">");
	CHECK_HAS(html, "<a href=\"/van-hoa-xa-hoi/2021-06-01-le-hoi-van-hoa"
	    "\">");
	CHECK_HAS(html, "<a href=\"../../../etc/passwd\">");
	CHECK_HAS(html, "<a href=\"http://khac.vn/a.jpg\">");
	CHECK_HAS(html, "<div class=\"top\">Hôm nay: 01/01/2026</div>");
	free(html);
	html = slurp("root/tin-tuc/_category.ini");
	CHECK_STR(html, "[category]\ntitle = \"Tin tức\"\n");
	free(html);
	html = slurp("root/kinh-te/anh/2023-11-20-hoi-nghi-tong-ket/hn.jpg");
	CHECK_STR(html, "jpeg");
	free(html);
	CHECK(exists("root/kinh-te/anh/2023-11-20-hoi-nghi-tong-ket/kh.pdf"));
	CHECK(!exists("root/kinh-te/anh/2023-11-20-hoi-nghi-tong-ket/"
	    "passwd"));
	CHECK(!exists("root/etc"));
	CHECK(no_temp("root"));

	/* twice: nothing new */
	out = import(&rc);
	CHECK_INT(rc, 0);
	CHECK_HAS(out, "imported 0, skipped 9\n");
	CHECK_HAS(out, "skipped kinh-te/hoi-nghi.html: already imported as "
	    "kinh-te/2023-11-20-hoi-nghi-tong-ket.html\n");
	free(out);
	CHECK(!exists("root/kinh-te/2023-11-20-hoi-nghi-tong-ket-2.html"));

	/* a folder of the tree that is a symbolic link is not written
	 * through: the article fails, nothing lands outside */
	put("outside/x", "x");
	{
		char	 a[1024], b[1024];

		snprintf(a, sizeof(a), "%s/outside", tmpdir);
		snprintf(b, sizeof(b), "%s/root/van-hoa-2", tmpdir);
		CHECK_INT(symlink(a, b), 0);
	}
	put("mirror/van-hoa-2/bai.html", "<html><head><title>Bài mới</title>"
	    "<meta property=\"article:section\" content=\"Văn hóa 2\">"
	    "<meta name=\"date\" content=\"2022-02-02\"></head><body><div "
	    "class=\"content\">" STORY "</div></body></html>");
	out = import(&rc);
	CHECK_INT(rc, -1);
	CHECK_HAS(out, "error: van-hoa-2/bai.html: ");
	free(out);
	CHECK(!exists("outside/2022-02-02-bai-moi.html"));
	CHECK(!exists("outside/_category.ini"));
	CHECK(no_temp("root"));
	CHECK(lstat("outside", &st) == 0 && S_ISDIR(st.st_mode));
}

int
main(void)
{
	char	 cmd[1100];
	int	 rc;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (chdir(tmpdir) == -1) {
		perror(tmpdir);
		return 1;
	}
	test_dates();
	test_slugs();
	test_import();
	rc = t_done("test_import");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return rc;
}
