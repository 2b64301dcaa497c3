/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_site.c: site_load over tests/fixtures/site (see its README for
 * what it holds): categories, nesting, order, counts, newest first,
 * days, site_find for every node kind, warnings with file and line,
 * hidden and reserved names. Symbolic links, mtimes, a bad
 * _category.ini, the catalog and site_stamp are tested in a mktemp
 * tree built here, so nothing of the kind is committed.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "buf.h"
#include "catalog.h"
#include "memo.h"
#include "site.h"
#include "t.h"
#include "zone.h"

#ifndef FIXTURE
#define FIXTURE	"tests/fixtures/site"
#endif

static char	tmpdir[] = "/tmp/test_site.XXXXXX";

struct artcase {
	const char	*path;
	const char	*date;		/* "YYYY-MM-DD HH:MM" */
	const char	*title;
	const char	*cat;
};

static const struct artcase arts[] = {
	{ "/thoi-su/2020-05-21-chi-bo-dai-hoi", "2020-05-21 11:15",
	  "Chi bộ khu phố 3 tổ chức đại hội", "/thoi-su/" },
	{ "/van-hoa/2020-05-21-le-hoi", "2020-05-21 00:00",
	  "Lễ hội đình làng", "/van-hoa/" },
	{ "/thoi-su/2020-05-20-hop-bao", "2020-05-20 00:00",
	  "Họp báo quý II", "/thoi-su/" },
	{ "/thoi-su/dia-phuong/2020-05-19-xa-an-binh", "2020-05-19 08:30",
	  "Xã An Bình ra quân làm đường", "/thoi-su/dia-phuong/" },
	{ "/thoi-su/2020-05-18-ha-noi", "2020-05-18 00:00",
	  "2020-05-18-ha-noi", "/thoi-su/" },
	{ "/thoi-su/trung", "2020-05-10 00:00", "Bài trùng (gmi)",
	  "/thoi-su/" },
	{ "/the-thao/2020-05-01-bong-chuyen", "2020-05-01 00:00",
	  "Giải bóng chuyền", "/the-thao/" },
	{ "/the-thao/2020-05-01-bong-da", "2020-05-01 00:00",
	  "Giải bóng đá thanh niên", "/the-thao/" },
	{ "/thoi-su/dia-phuong/2020-04-30-le-ky-niem", "2020-04-30 07:00",
	  "Lễ kỷ niệm 45 năm giải phóng", "/thoi-su/dia-phuong/" },
	{ "/van-hoa/2019-12-31-tat-nien", "2019-12-31 00:00", "Tất niên",
	  "/van-hoa/" },
	{ "/giao-duc/2019-09-05-khai-giang", "2019-09-05 00:00",
	  "Khai giảng năm học mới", "/giao-duc/" },
};

struct catcase {
	const char	*path;
	const char	*title;
	int		 order;
	size_t		 nchildren, narticles, total;
};

static const struct catcase cats[] = {
	{ "/thoi-su/", "Thời sự", 1, 1, 4, 6 },
	{ "/van-hoa/", "Văn hóa", 2, 0, 2, 2 },
	{ "/doi-song/", "Đời sống", 3, 0, 0, 0 },
	{ "/giao-duc/", "Giáo dục", 3, 0, 1, 1 },
	{ "/the-thao/", "the-thao", SITE_ORDER_DEFAULT, 0, 2, 2 },
};

struct daycase {
	int		 y, m, d;
	size_t		 first, count;
};

static const struct daycase days[] = {
	{ 2020, 5, 21, 0, 2 },
	{ 2020, 5, 20, 2, 1 },
	{ 2020, 5, 19, 3, 1 },
	{ 2020, 5, 18, 4, 1 },
	{ 2020, 5, 10, 5, 1 },
	{ 2020, 5, 1, 6, 2 },
	{ 2020, 4, 30, 8, 1 },
	{ 2019, 12, 31, 9, 1 },
	{ 2019, 9, 5, 10, 1 },
};

static const char *const fixture_warnings[] = {
	"Ảnh-đẹp: non-ASCII folder name\n",
	"bad name: unsafe folder name\n",
	"caps.txt: reserved name, skipped\n",
	"date: reserved name, skipped\n",
	"tags: reserved name, skipped\n",
	"thoi-su/dia-phuong/page: reserved name, skipped\n",
	"thoi-su/atom.xml: reserved name, skipped\n",
	"thoi-su/bad-date.md:2: bad date '2020-13-45'\n",
	"thoi-su/loi-utf8.txt:3: invalid UTF-8 (byte 0xff)\n",
	"thoi-su/trung.md: duplicate slug 'trung' (thoi-su/trung.gmi is "
	    "served)\n",
	"van-hoa/2020-05-21-le-hoi.gmi: tag '---' ignored: no letter or "
	    "digit for its URL\n",
};

/* The fixture's tags, by slug; their articles newest first. */
static const struct {
	const char	*slug, *name;
	const char	*arts[4];
} fixture_tags[] = {
	/* one article each way: the newest article's spelling */
	{ "chi-bo", "chi bộ", { "/thoi-su/2020-05-21-chi-bo-dai-hoi",
	  "/van-hoa/2020-05-21-le-hoi" } },
	/* two of three write "Đại hội" (one in HTML keywords) */
	{ "dai-hoi", "Đại hội", { "/thoi-su/2020-05-21-chi-bo-dai-hoi",
	  "/thoi-su/dia-phuong/2020-05-19-xa-an-binh",
	  "/thoi-su/dia-phuong/2020-04-30-le-ky-niem" } },
	{ "giao-thong", "Giao thông",
	  { "/thoi-su/dia-phuong/2020-05-19-xa-an-binh" } },
	{ "ky-niem", "kỷ niệm",
	  { "/thoi-su/dia-phuong/2020-04-30-le-ky-niem" } },
	/* "Lễ hội, ..., lễ hội": one article, its first spelling */
	{ "le-hoi", "Lễ hội", { "/van-hoa/2020-05-21-le-hoi" } },
};

struct findcase {
	const char		*path;
	enum site_node_type	 type;
	const char		*want;	/* path of the node (file: src) */
};

static const struct findcase finds[] = {
	{ "/", SITE_NONE, NULL },
	{ "", SITE_NONE, NULL },
	{ "/thoi-su/", SITE_CATEGORY, "/thoi-su/" },
	{ "/thoi-su", SITE_CATEGORY, "/thoi-su/" },
	{ "/thoi-su/dia-phuong/", SITE_CATEGORY, "/thoi-su/dia-phuong/" },
	{ "/thoi-su/dia-phuong", SITE_CATEGORY, "/thoi-su/dia-phuong/" },
	{ "/doi-song/", SITE_CATEGORY, "/doi-song/" },
	{ "/thoi-su/2020-05-20-hop-bao", SITE_ARTICLE,
	  "/thoi-su/2020-05-20-hop-bao" },
	{ "/thoi-su/dia-phuong/2020-04-30-le-ky-niem", SITE_ARTICLE,
	  "/thoi-su/dia-phuong/2020-04-30-le-ky-niem" },
	{ "/thoi-su/trung", SITE_ARTICLE, "/thoi-su/trung" },
	{ "/thoi-su/2020-05-20-hop-bao/", SITE_NONE, NULL },
	{ "/thoi-su/2020-05-20-hop-bao.gmi", SITE_NONE, NULL },
	{ "/thoi-su/anh/hoi-nghi.jpg", SITE_FILE,
	  "thoi-su/anh/hoi-nghi.jpg" },
	{ "/thoi-su/anh/index.gmi", SITE_FILE, "thoi-su/anh/index.gmi" },
	{ "/gioi-thieu.gmi", SITE_FILE, "gioi-thieu.gmi" },
	{ "/lien-he.txt", SITE_FILE, "lien-he.txt" },
	{ "/robots.txt", SITE_FILE, "robots.txt" },
	{ "/favicon.txt", SITE_FILE, "favicon.txt" },
	{ "/tai-lieu/bao-cao.pdf", SITE_FILE, "tai-lieu/bao-cao.pdf" },
	{ "/thoi-su/anh/", SITE_DIR, "thoi-su/anh/index.gmi" },
	{ "/thoi-su/anh", SITE_DIR, "thoi-su/anh/index.gmi" },
	{ "/tai-lieu/", SITE_DIR, NULL },
	{ "/tai-lieu", SITE_DIR, NULL },
	/* skipped, hidden, reserved, unknown */
	{ "/thoi-su/bad-date", SITE_NONE, NULL },
	{ "/thoi-su/loi-utf8", SITE_NONE, NULL },
	{ "/thoi-su/atom.xml", SITE_NONE, NULL },
	{ "/thoi-su/_category.ini", SITE_NONE, NULL },
	{ "/thoi-su/_nhap", SITE_NONE, NULL },
	{ "/thoi-su/.an", SITE_NONE, NULL },
	{ "/thoi-su/.an.gmi", SITE_NONE, NULL },
	{ "/thoi-su/dia-phuong/page/", SITE_NONE, NULL },
	{ "/thoi-su/dia-phuong/page/x", SITE_NONE, NULL },
	{ "/_nhap.gmi", SITE_NONE, NULL },
	{ "/.an.gmi", SITE_NONE, NULL },
	{ "/_nhap/", SITE_NONE, NULL },
	{ "/_nhap/nhap", SITE_NONE, NULL },
	{ "/.an/an", SITE_NONE, NULL },
	{ "/date/", SITE_NONE, NULL },
	{ "/date/x", SITE_NONE, NULL },
	{ "/tags/", SITE_NONE, NULL },
	{ "/tags/x", SITE_NONE, NULL },
	{ "/caps.txt", SITE_NONE, NULL },
	{ "/bad name/", SITE_NONE, NULL },
	{ "/Ảnh-đẹp/a.jpg", SITE_NONE, NULL },
	{ "/khong-co/", SITE_NONE, NULL },
	{ "/thoi-su/khong-co", SITE_NONE, NULL },
};

static void
fmt_date(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

static void
test_fixture(void)
{
	struct site		*s;
	struct site_node	 n;
	struct category		*c;
	struct article		*a;
	enum site_node_type	 t;
	const char		*got;
	char			 err[256], date[32];
	size_t			 i, j;
	struct buf		 body = BUF_INIT;
	struct article_page	 pg;
	int			 fd;

	s = site_load(FIXTURE, NULL, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "site_load: %s\n", err);
		return;
	}

	/* warnings: each problem, with file and line */
	for (i = 0; i < sizeof(fixture_warnings) / sizeof(*fixture_warnings);
	    i++)
		CHECK_HAS(s->warnings.data, fixture_warnings[i]);
	CHECK_INT(s->nwarnings, sizeof(fixture_warnings) /
	    sizeof(*fixture_warnings));

	/* categories: order, then folded title */
	CHECK_INT(s->ncats, sizeof(cats) / sizeof(*cats));
	for (i = 0; i < s->ncats && i < sizeof(cats) / sizeof(*cats); i++) {
		c = s->cats[i];
		CHECK_STR(c->path, cats[i].path);
		CHECK_STR(c->title, cats[i].title);
		CHECK_INT(c->order, cats[i].order);
		CHECK_INT(c->nchildren, cats[i].nchildren);
		CHECK_INT(c->narticles, cats[i].narticles);
		CHECK_INT(c->total, cats[i].total);
		CHECK(c->parent == NULL);
		for (j = 0; j < c->narticles; j++) {
			CHECK(site_article_cat(s,
			    &s->articles[c->arts[j]]) == c);
			if (j > 0)
				CHECK(c->arts[j - 1] < c->arts[j]);
		}
	}
	c = s->cats[0];
	CHECK_STR(c->name, "thoi-su");
	CHECK_STR(c->description, "Tin tức trong huyện");
	CHECK_STR(s->cats[2]->description, "Chưa có bài");
	CHECK(s->cats[1]->description == NULL);
	if (c->nchildren == 1) {
		CHECK_STR(c->children[0]->path, "/thoi-su/dia-phuong/");
		CHECK_STR(c->children[0]->name, "dia-phuong");
		CHECK_STR(c->children[0]->title, "Địa phương");
		CHECK(c->children[0]->parent == c);
		CHECK_INT(c->children[0]->narticles, 2);
		CHECK_INT(c->children[0]->total, 2);
		CHECK_INT(c->children[0]->nchildren, 0);
	}

	/* articles, newest first */
	CHECK_INT(s->narticles, sizeof(arts) / sizeof(*arts));
	for (i = 0; i < s->narticles && i < sizeof(arts) / sizeof(*arts);
	    i++) {
		a = &s->articles[i];
		CHECK_STR(site_article_path(s, a), arts[i].path);
		CHECK_STR(site_article_title(s, a), arts[i].title);
		CHECK_STR(site_article_cat(s, a)->path, arts[i].cat);
		fmt_date(a->date, date, sizeof(date));
		CHECK_STR(date, arts[i].date);
		CHECK(a->flags & ART_HAS_DATE);
		CHECK_INT(site_article_idx(s, a), i);
		CHECK_INT(a->counter_slot, -1);
		CHECK_STR(site_article_slug(s, a),
		    strrchr(arts[i].path, '/') + 1);
	}
	/* what listings show is kept; the rest is read again for a page */
	a = &s->articles[0];
	CHECK_STR(site_article_src(s, a, &body),
	    "thoi-su/2020-05-21-chi-bo-dai-hoi.md");
	CHECK_INT(a->fmt, FMT_MD);
	CHECK_STR(s->pool + a->tags, "đại hội, chi bộ");
	CHECK(a->flags & ART_HAS_TIME);
	CHECK(a->stat != 0);
	CHECK_INT(site_article_page(s, NULL, a, &pg, err, sizeof(err)), 0);
	CHECK_STR(pg.author, "MỸ DUNG");
	CHECK_STR(pg.summary, "Đại hội chi bộ nhiệm kỳ 2020-2025.");
	CHECK(pg.lang == NULL);
	site_article_page_free(&pg);
	CHECK(!(s->articles[1].flags & ART_HAS_TIME));
	CHECK_STR(site_article_src(s, &s->articles[5], &body),
	    "thoi-su/trung.gmi");
	a = &s->articles[8];
	CHECK_INT(a->fmt, FMT_HTML);
	CHECK(a->flags & ART_HAS_ZONE);
	CHECK_INT(a->zone, 25200);
	CHECK_INT(site_article_page(s, NULL, a, &pg, err, sizeof(err)), 0);
	CHECK_STR(pg.author, "THU HÀ");
	CHECK_STR(pg.summary, "Huyện tổ chức lễ kỷ niệm.");
	CHECK_STR(pg.lang, "vi");
	site_article_page_free(&pg);

	/* the date index */
	CHECK_INT(s->ndays, sizeof(days) / sizeof(*days));
	for (i = 0; i < s->ndays && i < sizeof(days) / sizeof(*days); i++) {
		CHECK_INT(s->days[i].year, days[i].y);
		CHECK_INT(s->days[i].month, days[i].m);
		CHECK_INT(s->days[i].day, days[i].d);
		CHECK_INT(s->days[i].first, days[i].first);
		CHECK_INT(s->days[i].count, days[i].count);
	}

	/* static pages and attachments */
	CHECK_INT(s->npages, 3);
	if (s->npages == 3) {
		CHECK_STR(s->pages[0]->path, "/README");
		CHECK_STR(s->pages[1]->path, "/gioi-thieu.gmi");
		CHECK_STR(s->pages[2]->path, "/lien-he.txt");
		CHECK_STR(s->pages[2]->src, "lien-he.txt");
		CHECK(s->pages[2]->size > 0);
	}
	CHECK_INT(s->nfiles, 8);
	for (i = 0; i < s->npages; i++)		/* files, not pages */
		CHECK(strcmp(s->pages[i]->path, "/robots.txt") != 0 &&
		    strcmp(s->pages[i]->path, "/favicon.txt") != 0);
	for (i = 0; i < s->nfiles; i++)
		CHECK(strcmp(s->files[i]->src, "thoi-su/atom.xml") != 0);

	/* every node kind, and what is not served */
	for (i = 0; i < sizeof(finds) / sizeof(*finds); i++) {
		t = site_find(s, finds[i].path, &n);
		if (t != finds[i].type)
			fprintf(stderr, "find %s\n", finds[i].path);
		CHECK_INT(t, finds[i].type);
		CHECK_INT(n.type, t);
		got = NULL;
		switch (t) {
		case SITE_CATEGORY:
			got = n.cat->path;
			break;
		case SITE_ARTICLE:
			got = site_article_path(s, n.art);
			break;
		case SITE_FILE:
		case SITE_DIR:
			got = n.file != NULL ? n.file->src : NULL;
			break;
		default:
			break;
		}
		if (finds[i].want == NULL)
			CHECK(got == NULL);
		else
			CHECK_STR(got, finds[i].want);
	}
	CHECK_INT(site_find(s, "/thoi-su/", NULL), SITE_CATEGORY);
	CHECK_INT(site_find(NULL, "/thoi-su/", &n), SITE_NONE);

	/* bodies are read again, without the header */
	CHECK_INT(site_article_page(s, NULL, &s->articles[0], &pg, err,
	    sizeof(err)), 0);
	CHECK_HAS(pg.body.data, "chi bộ khu phố 3");
	CHECK(strstr(pg.body.data, "author:") == NULL);
	site_article_page_free(&pg);
	CHECK_INT(site_article_page(s, NULL, &s->articles[8], &pg, err,
	    sizeof(err)), 0);
	CHECK_HAS(pg.body.data, "Sáng 30/4");
	site_article_page_free(&pg);
	buf_free(&body);

	fd = site_open(s, "thoi-su/anh/hoi-nghi.jpg");
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	site_free(s);
	site_free(NULL);
}

static void
test_fixture_tags(void)
{
	const struct site_tag	*t, *got[SITE_TAGS_MAX];
	struct site		*s;
	struct site_node	 n;
	char			 err[256];
	size_t			 i, j;

	if ((s = site_load(FIXTURE, NULL, err, sizeof(err))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->ntags, sizeof(fixture_tags) / sizeof(*fixture_tags));
	for (i = 0; i < s->ntags && i < sizeof(fixture_tags) /
	    sizeof(*fixture_tags); i++) {
		t = &s->tags[i];
		CHECK_STR(t->slug, fixture_tags[i].slug);
		CHECK_STR(t->name, fixture_tags[i].name);
		CHECK(site_tag_find(s, fixture_tags[i].slug) == t);
		for (j = 0; j < t->narts; j++)
			CHECK_STR(site_article_path(s, &s->articles[t->arts[j]]),
			    fixture_tags[i].arts[j]);
		CHECK(j < 4 && fixture_tags[i].arts[j] == NULL);
	}
	CHECK(site_tag_find(s, "khong-co") == NULL);
	CHECK(site_tag_find(s, "") == NULL);
	CHECK(site_tag_find(s, "Đại hội") == NULL);
	/* an article's tags in its own order, each once */
	CHECK_INT(site_find(s, "/van-hoa/2020-05-21-le-hoi", &n),
	    SITE_ARTICLE);
	CHECK_INT(site_article_tags(s, n.art, got, SITE_TAGS_MAX), 2);
	CHECK_STR(got[0]->slug, "le-hoi");
	CHECK_STR(got[1]->slug, "chi-bo");
	CHECK_INT(site_article_tags(s, n.art, got, 1), 1);
	CHECK_INT(site_find(s, "/thoi-su/2020-05-20-hop-bao", &n),
	    SITE_ARTICLE);
	CHECK_INT(site_article_tags(s, n.art, got, SITE_TAGS_MAX), 0);
	site_free(s);
}

static void	 put(const char *, const char *);
static void	 dir(const char *);
static void	 set_mtime(const char *, time_t);
static long long file_size(const char *);

/* Tags over a reload: the spellings a header may use, the limits, and
 * an article kept from the last snapshot keeping its tags. */
static void
test_tags_reload(void)
{
	const struct site_tag	*t, *got[SITE_TAGS_MAX];
	struct site		*s, *ns;
	struct buf		 b = BUF_INIT;
	char			 r[1024], err[256];
	int			 i;

	dir("troot");
	dir("troot/c");
	put("troot/c/a.gmi", "title: A\ndate: 2021-01-02\n"
	    "tags: [\"Kinh tế\", 'Xã hội', kinh te,, ]\n\na\n");
	buf_puts(&b, "title: B\ndate: 2021-01-01\ntags: ");
	for (i = 0; i < 101; i++)
		buf_putc(&b, 'x');
	for (i = 1; i <= 40; i++)
		buf_printf(&b, ", t%02d", i);
	buf_puts(&b, "\n\nb\n");
	put("troot/c/b.gmi", b.data);
	buf_free(&b);
	set_mtime("troot/c/a.gmi", 1600000000);
	snprintf(r, sizeof(r), "%s/troot", tmpdir);
	if ((s = site_load(r, NULL, err, sizeof(err))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_HAS(s->warnings.data, "c/b.gmi: tag 'xxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxx...' ignored: too long\n");
	CHECK_HAS(s->warnings.data, "c/b.gmi: more than 32 tags: the rest "
	    "are ignored\n");
	CHECK_INT(s->nwarnings, 2);
	CHECK_INT(s->ntags, 2 + SITE_TAGS_MAX);
	CHECK((t = site_tag_find(s, "kinh-te")) != NULL);
	if (t != NULL) {
		CHECK_STR(t->name, "Kinh tế");
		CHECK_INT(t->narts, 1);
	}
	CHECK(site_tag_find(s, "xa-hoi") != NULL);
	CHECK(site_tag_find(s, "t32") != NULL);
	CHECK(site_tag_find(s, "t33") == NULL);
	CHECK_INT(site_article_tags(s, &s->articles[1], got, SITE_TAGS_MAX),
	    SITE_TAGS_MAX);

	/* a's tags change; b is kept as it was, with its tags */
	put("troot/c/a.gmi", "title: A\ndate: 2021-01-02\ntags: Xã hội\n\n"
	    "a\n");
	set_mtime("troot/c/a.gmi", 1600000100);
	ns = site_reload(r, NULL, s, err, sizeof(err));
	site_free(s);
	if ((s = ns) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(s->nkept, 1);
	CHECK(site_tag_find(s, "kinh-te") == NULL);
	CHECK((t = site_tag_find(s, "xa-hoi")) != NULL);
	if (t != NULL && t->narts == 1)
		CHECK_STR(site_article_path(s, &s->articles[t->arts[0]]), "/c/a");
	CHECK((t = site_tag_find(s, "t01")) != NULL);
	if (t != NULL && t->narts == 1)
		CHECK_STR(site_article_path(s, &s->articles[t->arts[0]]), "/c/b");
	CHECK_INT(s->ntags, 1 + SITE_TAGS_MAX);
	site_free(s);
}

/* Helpers for the scratch tree. */

static void
put(const char *rel, const char *text)
{
	char	 path[1024];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
}

static void
dir(const char *rel)
{
	char	 path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

static void
link_(const char *target, const char *rel)
{
	char	 path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if (symlink(target, path) == -1) {
		perror(path);
		exit(1);
	}
}

static void
set_mtime(const char *rel, time_t t)
{
	struct timespec	 ts[2];
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	ts[0].tv_sec = ts[1].tv_sec = t;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, 0) == -1) {
		perror(path);
		exit(1);
	}
}

/* the size of a file below tmpdir */
static long long
file_size(const char *rel)
{
	struct stat	 st;
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static char *
root(void)
{
	static char	 path[1024];

	snprintf(path, sizeof(path), "%s/root", tmpdir);
	return path;
}

static void
test_scratch(void)
{
	struct site		*s;
	struct site_node	 n;
	struct buf		 body = BUF_INIT;
	struct article_page	 pg;
	char			 err[256];

	dir("outside");
	put("outside/ngoai.gmi", "# Ngoài cây\n");
	put("outside.gmi", "# Ngoài\n");
	dir("root");
	dir("root/cat");
	put("root/cat/a.gmi", "title: Bài A\ndate: 2020-01-01\n\n# A\n");
	/* links inside the tree are followed, outside ones never */
	link_("a.gmi", "root/cat/lien-ket.gmi");
	link_("../../outside.gmi", "root/cat/ra-ngoai.gmi");
	link_("../../outside", "root/cat/thu-muc-ngoai");
	link_("..", "root/cat/vong");
	link_("khong-co.gmi", "root/cat/gay.gmi");
	link_("media", "root/ban-sao");
	/* the mtime fallback: no date anywhere */
	put("root/cat/khong-ngay.gmi", "# Không ngày\n");
	set_mtime("root/cat/khong-ngay.gmi", 1590000000);
	/* index.gmi in a category is a file, not an article */
	put("root/cat/index.gmi", "# Mục lục\n");
	/* a damaged _category.ini keeps the folder a category */
	dir("root/hong");
	put("root/hong/_category.ini", "[category]\ntitle = Hỏng\n"
	    "dòng sai\n");
	put("root/hong/x.gmi", "date: 2020-01-02\n\nx\n");
	dir("root/thu-tu");
	put("root/thu-tu/_category.ini", "[category]\norder = nhất\n");
	/* a plain folder below a plain folder; nested empty folders */
	dir("root/media");
	dir("root/media/anh");
	put("root/media/anh/a.png", "png");
	dir("root/rong");

	s = site_load(root(), NULL, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "site_load: %s\n", err);
		return;
	}
	CHECK_INT(site_find(s, "/cat/a", &n), SITE_ARTICLE);
	CHECK_INT(site_find(s, "/cat/lien-ket", &n), SITE_ARTICLE);
	if (n.art != NULL) {
		/* the link's target, so that O_NOFOLLOW meets no link */
		CHECK_STR(site_article_src(s, n.art, &body), "cat/a.gmi");
		CHECK_STR(site_article_title(s, n.art), "Bài A");
		CHECK_INT(site_article_page(s, NULL, n.art, &pg, err,
		    sizeof(err)), 0);
		CHECK_HAS(pg.body.data, "# A");
		site_article_page_free(&pg);
	}
	CHECK_INT(site_find(s, "/cat/ra-ngoai", NULL), SITE_NONE);
	CHECK_INT(site_find(s, "/cat/thu-muc-ngoai/", NULL), SITE_NONE);
	CHECK_INT(site_find(s, "/cat/thu-muc-ngoai/ngoai", NULL), SITE_NONE);
	CHECK_INT(site_find(s, "/cat/vong/", NULL), SITE_NONE);
	CHECK_INT(site_find(s, "/cat/gay", NULL), SITE_NONE);
	CHECK_HAS(s->warnings.data, "cat/ra-ngoai.gmi: symbolic link leaves "
	    "the tree\n");
	CHECK_HAS(s->warnings.data, "cat/thu-muc-ngoai: symbolic link leaves "
	    "the tree\n");
	CHECK_HAS(s->warnings.data, "cat/vong: symbolic link loop\n");
	CHECK_HAS(s->warnings.data, "cat/gay.gmi: symbolic link: No such "
	    "file or directory\n");
	/* a link to a folder inside the tree is followed */
	CHECK_INT(site_find(s, "/ban-sao/anh/a.png", &n), SITE_FILE);
	if (n.file != NULL)
		CHECK_STR(n.file->src, "media/anh/a.png");

	CHECK_INT(site_find(s, "/cat/khong-ngay", &n), SITE_ARTICLE);
	if (n.art != NULL) {
		CHECK_INT(n.art->flags & ART_HAS_DATE, 0);
		CHECK(n.art->stat == site_stat_key(file_size(
		    "root/cat/khong-ngay.gmi"), 1590000000LL * 1000000000));
		/* TZ=UTC: the wall clock is the mtime */
		CHECK_INT(n.art->date, 1590000000);
		CHECK_STR(site_article_title(s, n.art), "Không ngày");
	}
	CHECK_INT(site_find(s, "/cat/index", NULL), SITE_NONE);
	CHECK_INT(site_find(s, "/cat/index.gmi", NULL), SITE_FILE);

	CHECK_INT(site_find(s, "/hong/", &n), SITE_CATEGORY);
	if (n.cat != NULL)
		CHECK_STR(n.cat->title, "hong");
	CHECK_INT(site_find(s, "/hong/x", NULL), SITE_ARTICLE);
	CHECK_HAS(s->warnings.data, "hong/_category.ini:3: syntax error\n");
	CHECK_INT(site_find(s, "/thu-tu/", &n), SITE_CATEGORY);
	if (n.cat != NULL)
		CHECK_INT(n.cat->order, SITE_ORDER_DEFAULT);
	CHECK_HAS(s->warnings.data, "thu-tu/_category.ini: bad order "
	    "'nhất'\n");

	CHECK_INT(site_find(s, "/media/", &n), SITE_DIR);
	CHECK(n.file == NULL);
	CHECK_INT(site_find(s, "/media/anh", &n), SITE_DIR);
	CHECK_INT(site_find(s, "/media/anh/a.png", NULL), SITE_FILE);
	CHECK_INT(site_find(s, "/rong/", NULL), SITE_DIR);
	CHECK_INT(s->nwarnings, 6);
	site_free(s);

	/* an unreadable source (root reads everything: skip then) */
	if (geteuid() != 0) {
		char	 path[1024];

		snprintf(path, sizeof(path), "%s/root/cat/a.gmi", tmpdir);
		chmod(path, 0);
		s = site_load(root(), NULL, err, sizeof(err));
		CHECK(s != NULL);
		if (s != NULL) {
			CHECK_HAS(s->warnings.data, "cat/a.gmi: Permission "
			    "denied\n");
			CHECK_INT(site_find(s, "/cat/a", NULL), SITE_NONE);
			site_free(s);
		}
		chmod(path, 0644);
	}

	/* an unusable root fails, naming it */
	s = site_load("/nonexistent/bantin", NULL, err, sizeof(err));
	CHECK(s == NULL);
	CHECK_HAS(err, "/nonexistent/bantin");
	buf_free(&body);
}

/*
 * Bodies that convert to nothing (a fuzzer's finding): the body cache
 * keeps the empty string and gives it back, from a buffer that never
 * had data (memcpy from NULL killed the worker under UBSan).
 */
static void
test_empty_body(void)
{
	static const char *const src[] = {
		"title: Rỗng\n\n```\n",		/* a lone fence */
		"title: Rỗng\n\n```\n```\n",
		"title: Rỗng\n\n| | |\n|---|---|\n| | |\n",	/* empty table */
	};
	struct site		*s;
	struct site_node	 n;
	struct memo		*bodies;
	struct article_page	 pg;
	char			 err[256], path[1024];
	size_t			 i, len = 0;
	int			 k;

	dir("rong");
	dir("rong/cat");
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		snprintf(err, sizeof(err), "rong/cat/bai-%zu.md", i);
		put(err, src[i]);
	}
	snprintf(path, sizeof(path), "%s/rong", tmpdir);
	s = site_load(path, NULL, err, sizeof(err));
	bodies = memo_new(4, 65536);
	CHECK(s != NULL && bodies != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		snprintf(err, sizeof(err), "/cat/bai-%zu", i);
		CHECK_INT(site_find(s, err, &n), SITE_ARTICLE);
		if (n.art == NULL)
			continue;
		for (k = 0; k < 2; k++) {	/* converted, then kept */
			CHECK_INT(site_article_page(s, bodies, n.art, &pg,
			    err, sizeof(err)), 0);
			if (k == 0)
				len = pg.body.len;
			CHECK_INT(pg.body.len, len);
			site_article_page_free(&pg);
		}
	}
	memo_free(bodies);
	site_free(s);
}

/* With a catalog, unchanged files (size, mtime) are not read again. */
static void
test_catalog(void)
{
	struct catalog		*cat;
	struct site		*s;
	struct site_node	 n;
	char			 err[256], db[1024];

	dir("croot");
	dir("croot/c");
	put("croot/c/x.gmi", "title: AAAA\n\n# x\n");
	set_mtime("croot/c/x.gmi", 1500000000);
	snprintf(db, sizeof(db), "%s/catalog.db", tmpdir);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "catalog_open: %s\n", err);
		CHECK(0);
		return;
	}
	snprintf(db, sizeof(db), "%s/croot", tmpdir);
	s = site_load(db, cat, err, sizeof(err));
	CHECK(s != NULL && site_find(s, "/c/x", &n) == SITE_ARTICLE);
	if (n.art != NULL)
		CHECK_STR(site_article_title(s, n.art), "AAAA");
	site_free(s);

	/* same size and mtime, other bytes: the catalog's copy wins */
	put("croot/c/x.gmi", "title: BBBB\n\n# x\n");
	set_mtime("croot/c/x.gmi", 1500000000);
	s = site_load(db, cat, err, sizeof(err));
	CHECK(s != NULL && site_find(s, "/c/x", &n) == SITE_ARTICLE);
	if (n.art != NULL)
		CHECK_STR(site_article_title(s, n.art), "AAAA");
	site_free(s);
	s = site_load(db, NULL, err, sizeof(err));
	CHECK(s != NULL && site_find(s, "/c/x", &n) == SITE_ARTICLE);
	if (n.art != NULL)
		CHECK_STR(site_article_title(s, n.art), "BBBB");
	site_free(s);

	/* a new mtime: read again */
	set_mtime("croot/c/x.gmi", 1500000100);
	s = site_load(db, cat, err, sizeof(err));
	CHECK(s != NULL && site_find(s, "/c/x", &n) == SITE_ARTICLE);
	if (n.art != NULL)
		CHECK_STR(site_article_title(s, n.art), "BBBB");
	site_free(s);
	catalog_close(cat);
}

/*
 * A reload keeps the last snapshot's unchanged articles and reads the
 * rest; the catalog hears of what changed and what went, and keeps
 * what it was not told of. Each step changes the tree, reloads on the
 * last snapshot, and checks titles, counts and catalog entries.
 */
struct rstep {
	const char	*what;
	const char	*put, *text;	/* write a file (and set mtime) */
	long long	 mtime;
	const char	*rm;		/* remove a file */
	const char	*from, *to;	/* rename a file */
	size_t		 nread, nkept;
	const char	*want[4][2];	/* path, title (NULL: absent) */
	const char	*cat_has[3];	/* sources the catalog holds */
	const char	*cat_lacks[2];	/* and those it must not */
};

static const struct rstep rsteps[] = {
	{ "first load", NULL, NULL, 0, NULL, NULL, NULL, 3, 0,
	  { { "/c/a", "Tin A" }, { "/c/b", "Bản tin B" },
	    { "/c/d", "Tin D" } },
	  { "c/a.gmi", "c/b.md", "c/d.gmi" }, { NULL } },
	{ "unchanged: all kept", NULL, NULL, 0, NULL, NULL, NULL, 0, 3,
	  { { "/c/a", "Tin A" }, { "/c/b", "Bản tin B" },
	    { "/c/d", "Tin D" } },
	  { "c/a.gmi", "c/b.md", "c/d.gmi" }, { NULL } },
	{ "changed: read again", "c/a.gmi", "title: Tin A đã sửa\n\nx\n",
	  1600000100, NULL, NULL, NULL, 1, 2,
	  { { "/c/a", "Tin A đã sửa" }, { "/c/b", "Bản tin B" } },
	  { "c/a.gmi", "c/b.md", "c/d.gmi" }, { NULL } },
	{ "same size, new mtime in the same second",
	  "c/a.gmi", "title: Tin A đã xửa\n\nx\n", -1,
	  NULL, NULL, NULL, 1, 2,
	  { { "/c/a", "Tin A đã xửa" } },
	  { "c/a.gmi", "c/b.md", "c/d.gmi" }, { NULL } },
	{ "deleted: gone, and from the catalog", NULL, NULL, 0,
	  "c/d.gmi", NULL, NULL, 0, 2,
	  { { "/c/a", "Tin A đã xửa" }, { "/c/d", NULL } },
	  { "c/a.gmi", "c/b.md" }, { "c/d.gmi" } },
	{ "renamed: the new path, the old one gone", NULL, NULL, 0,
	  NULL, "c/b.md", "c/e.md", 1, 1,
	  { { "/c/b", NULL }, { "/c/e", "Bản tin B" },
	    { "/c/a", "Tin A đã xửa" } },
	  { "c/a.gmi", "c/e.md" }, { "c/b.md" } },
	{ "new file", "c/f.txt", "title: Tin F\n\nf\n", 1600000300,
	  NULL, NULL, NULL, 1, 2,
	  { { "/c/f", "Tin F" }, { "/c/e", "Bản tin B" } },
	  { "c/a.gmi", "c/e.md", "c/f.txt" }, { "c/b.md" } },
};

/* size and mtime (ns) of a file below tmpdir; 0 if it is not there */
static int
stat_rel(const char *rel, long long *size, long long *mtime)
{
	struct stat	 st;
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/rroot/%s", tmpdir, rel);
	if (stat(path, &st) == -1)
		return 0;
	*size = st.st_size;
	*mtime = (long long)st.st_mtim.tv_sec * 1000000000LL +
	    st.st_mtim.tv_nsec;
	return 1;
}

static void
test_reload(void)
{
	struct catalog		*cat;
	struct article_meta	 m;
	struct site		*s = NULL, *ns;
	struct site_node	 n;
	const struct rstep	*st;
	struct timespec		 ts[2];
	unsigned long long	 stamp;
	long long		 size = 0, mtime = 0;
	char			 err[256], db[1024], r[1024], a[1024];
	char			 b[1024];
	struct {
		const char	*src;
		long long	 size, mtime;
	}			 known[8];
	size_t			 i, j, k, nknown = 0;

	memset(&m, 0, sizeof(m));
	dir("rroot");
	dir("rroot/c");
	put("rroot/c/a.gmi", "title: Tin A\n\na\n");
	put("rroot/c/b.md", "---\ntitle: Bản tin B\n---\n\nb\n");
	put("rroot/c/d.gmi", "title: Tin D\n\nd\n");
	set_mtime("rroot/c/a.gmi", 1600000000);
	set_mtime("rroot/c/b.md", 1600000000);
	set_mtime("rroot/c/d.gmi", 1600000000);
	snprintf(db, sizeof(db), "%s/reload.db", tmpdir);
	snprintf(r, sizeof(r), "%s/rroot", tmpdir);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "catalog_open: %s\n", err);
		CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(rsteps) / sizeof(rsteps[0]); i++) {
		st = &rsteps[i];
		if (st->put != NULL) {
			snprintf(a, sizeof(a), "rroot/%s", st->put);
			put(a, st->text);
			snprintf(a, sizeof(a), "%s/rroot/%s", tmpdir, st->put);
			/* -1: one nanosecond on, same second */
			ts[0].tv_sec = ts[1].tv_sec = st->mtime > 0 ?
			    st->mtime : 1600000100;
			ts[0].tv_nsec = ts[1].tv_nsec = st->mtime > 0 ? 0 : 1;
			utimensat(AT_FDCWD, a, ts, 0);
		}
		if (st->rm != NULL) {
			snprintf(a, sizeof(a), "%s/rroot/%s", tmpdir, st->rm);
			unlink(a);
		}
		if (st->from != NULL) {
			snprintf(a, sizeof(a), "%s/rroot/%s", tmpdir,
			    st->from);
			snprintf(b, sizeof(b), "%s/rroot/%s", tmpdir, st->to);
			rename(a, b);
		}
		ns = site_reload(r, cat, s, err, sizeof(err));
		site_free(s);
		s = ns;
		CHECK(s != NULL);
		if (s == NULL) {
			fprintf(stderr, "%s: %s\n", st->what, err);
			break;
		}
		if (s->nread != st->nread || s->nkept != st->nkept)
			fprintf(stderr, "%s: read %zu kept %zu\n", st->what,
			    s->nread, s->nkept);
		CHECK(s->nread == st->nread);
		CHECK(s->nkept == st->nkept);
		/* the stamp the scan took is the one site_stamp takes */
		CHECK_INT(site_stamp(r, &stamp), 0);
		CHECK(stamp == s->stamp);
		for (j = 0; j < 4 && st->want[j][0] != NULL; j++) {
			if (st->want[j][1] == NULL) {
				CHECK(site_find(s, st->want[j][0], &n) ==
				    SITE_NONE);
				continue;
			}
			CHECK(site_find(s, st->want[j][0], &n) ==
			    SITE_ARTICLE);
			if (n.art != NULL)
				CHECK_STR(site_article_title(s, n.art), st->want[j][1]);
		}
		for (j = 0; j < 3 && st->cat_has[j] != NULL; j++) {
			CHECK(stat_rel(st->cat_has[j], &size, &mtime));
			CHECK_INT(catalog_get(cat, st->cat_has[j], size, mtime,
			    &m), 1);
			article_meta_free(&m);
			for (k = 0; k < nknown && strcmp(known[k].src,
			    st->cat_has[j]) != 0; k++)
				;
			if (k == nknown && nknown < 8)
				nknown++;
			known[k].src = st->cat_has[j];
			known[k].size = size;
			known[k].mtime = mtime;
		}
		/* gone from the catalog, asked as it was last seen */
		for (j = 0; j < 2 && st->cat_lacks[j] != NULL; j++) {
			for (k = 0; k < nknown && strcmp(known[k].src,
			    st->cat_lacks[j]) != 0; k++)
				;
			CHECK(k < nknown);
			if (k < nknown)
				CHECK_INT(catalog_get(cat, st->cat_lacks[j],
				    known[k].size, known[k].mtime, &m), 0);
			article_meta_free(&m);
			CHECK(!stat_rel(st->cat_lacks[j], &size, &mtime));
		}
	}
	/* another root: nothing of prev is kept */
	ns = site_reload(root(), cat, s, err, sizeof(err));
	CHECK(ns != NULL && ns->nkept == 0 && ns->narticles > 0);
	site_free(ns);
	site_free(s);
	catalog_close(cat);
}

/*
 * A reload puts the articles it kept in the last snapshot's order and
 * merges in those read anew: the order, the categories' lists, the
 * days and the tags must be those of a load from nothing, whatever
 * changed. Ties of date are broken by path.
 */
struct ostep {
	const char	*what;
	const char	*put, *text;	/* write a file (with mtime) */
	long long	 mtime;
	const char	*rm;		/* remove a file */
	const char	*from, *to;	/* rename a file */
	const char	*put2, *text2;	/* and another */
};

static const struct ostep osteps[] = {
	{ "first load", NULL, NULL, 0, NULL, NULL, NULL,
	  NULL, NULL },
	{ "unchanged", NULL, NULL, 0, NULL, NULL, NULL,
	  NULL, NULL },
	{ "new, the newest and the oldest", "oroot/c/n1.gmi",
	  "title: N1\ndate: 2021-01-01\n\nx\n", 1600000000,
	  NULL, NULL, NULL, "oroot/c/m0.gmi",
	  "title: M0\ndate: 1998-01-01\n\nx\n" },
	{ "new, the oldest", "oroot/d/n2.gmi",
	  "title: N2\ndate: 1999-01-01\n\nx\n", 1600000000,
	  NULL, NULL, NULL,
	  NULL, NULL },
	{ "edited, same date: a tie", "oroot/c/a2.gmi",
	  "title: A2\ndate: 2020-05-02\ntags: x\n\nx\n", 1600000000,
	  NULL, NULL, NULL,
	  NULL, NULL },
	{ "edited: its date moves it", "oroot/c/a0.gmi",
	  "title: A0\ndate: 2020-06-30\ntags: y\n\nx\n", 1600000100,
	  NULL, NULL, NULL,
	  NULL, NULL },
	{ "removed", NULL, NULL, 0, "oroot/c/a4.gmi", NULL, NULL,
	  NULL, NULL },
	{ "renamed, same date", NULL, NULL, 0, NULL,
	  "oroot/d/b1.gmi", "oroot/c/zz.gmi",
	  NULL, NULL },
	{ "renamed to another category", NULL, NULL, 0, NULL,
	  "oroot/c/a6.gmi", "oroot/d/a6.gmi",
	  NULL, NULL },
};

static void
same_order(const char *what, const struct site *a, const struct site *b)
{
	const struct category	*ca, *cb;
	size_t			 i, j;

	CHECK(a->narticles == b->narticles);
	CHECK(a->ndays == b->ndays);
	CHECK(a->ntags == b->ntags);
	if (a->narticles != b->narticles || a->ndays != b->ndays ||
	    a->ntags != b->ntags) {
		fprintf(stderr, "%s: %zu/%zu articles\n", what,
		    a->narticles, b->narticles);
		return;
	}
	for (i = 0; i < a->narticles; i++)
		if (strcmp(site_article_path(a, &a->articles[i]),
		    site_article_path(b, &b->articles[i])) != 0 ||
		    a->articles[i].date != b->articles[i].date) {
			fprintf(stderr, "%s: article %zu: %s, not %s "
			    "(dates %lld, %lld)\n", what,
			    i, site_article_path(a, &a->articles[i]),
			    site_article_path(b, &b->articles[i]),
			    (long long)a->articles[i].date,
			    (long long)b->articles[i].date);
			CHECK(0);
			return;
		}
	for (i = 0; i < a->ndays; i++)
		CHECK(a->days[i].first == b->days[i].first &&
		    a->days[i].count == b->days[i].count);
	for (i = 0; i < a->ncats; i++) {
		ca = a->cats[i];
		cb = b->cats[i];
		CHECK_STR(ca->path, cb->path);
		CHECK(ca->narticles == cb->narticles);
		for (j = 0; j < ca->narticles && j < cb->narticles; j++)
			CHECK(ca->arts[j] == cb->arts[j]);
	}
	for (i = 0; i < a->ntags; i++) {
		CHECK_STR(a->tags[i].slug, b->tags[i].slug);
		CHECK(a->tags[i].narts == b->tags[i].narts);
		for (j = 0; j < a->tags[i].narts && j < b->tags[i].narts;
		    j++)
			CHECK(a->tags[i].arts[j] == b->tags[i].arts[j]);
	}
}

static void
test_reload_order(void)
{
	struct site		*s = NULL, *ns, *fresh;
	const struct ostep	*st;
	char			 err[256], r[1024], a[1024], b[1024];
	char			 text[128], name[64];
	size_t			 i;

	dir("oroot");
	dir("oroot/c");
	dir("oroot/d");
	/* pairs of articles a day, some with tags */
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "oroot/c/a%zu.gmi", i);
		snprintf(text, sizeof(text), "title: A%zu\ndate: "
		    "2020-05-%02zu\n%s\nx\n", i, 1 + i / 2,
		    i % 3 == 0 ? "tags: x, y\n" : "");
		put(name, text);
		set_mtime(name, 1600000000);
		snprintf(name, sizeof(name), "oroot/d/b%zu.gmi", i);
		snprintf(text, sizeof(text), "title: B%zu\ndate: "
		    "2020-05-%02zu\n\nx\n", i, 1 + i / 2);
		put(name, text);
		set_mtime(name, 1600000000);
	}
	snprintf(r, sizeof(r), "%s/oroot", tmpdir);
	for (i = 0; i < sizeof(osteps) / sizeof(osteps[0]); i++) {
		st = &osteps[i];
		if (st->put != NULL) {
			put(st->put, st->text);
			set_mtime(st->put, st->mtime);
		}
		if (st->put2 != NULL) {
			put(st->put2, st->text2);
			set_mtime(st->put2, 1600000000);
		}
		if (st->rm != NULL) {
			snprintf(a, sizeof(a), "%s/%s", tmpdir, st->rm);
			unlink(a);
		}
		if (st->from != NULL) {
			snprintf(a, sizeof(a), "%s/%s", tmpdir, st->from);
			snprintf(b, sizeof(b), "%s/%s", tmpdir, st->to);
			rename(a, b);
		}
		ns = site_reload(r, NULL, s, err, sizeof(err));
		site_free(s);
		s = ns;
		fresh = site_load(r, NULL, err, sizeof(err));
		CHECK(s != NULL && fresh != NULL);
		if (s == NULL || fresh == NULL) {
			site_free(fresh);
			break;
		}
		CHECK(i < 2 || s->nkept > 0);
		same_order(st->what, s, fresh);
		site_free(fresh);
	}
	site_free(s);
}

/*
 * Reloads with a watch (inotify): a folder no event named is taken as
 * the last scan saw it, the others are read whole; whatever changed,
 * the snapshot and its stamp must be those of a load from nothing.
 * Each step changes the tree by a shell command, asks whether the
 * watch saw a change, reloads, and counts the folders read.
 */
struct wstep {
	const char	*what;
	const char	*sh;		/* run in the tree */
	int		 changed;	/* site_watch_changed before */
	size_t		 nread;		/* folders read whole */
	const char	*path, *title;	/* an article, NULL: absent */
};

static const struct wstep wsteps[] = {
	{ "first load", NULL, -2, 4, "/c/a1", "A1" },
	{ "nothing changed", NULL, 0, 0, "/c/a1", "A1" },
	{ "edited", "printf 'title: A1 sửa\\n\\nx\\n' > c/a1.gmi", 1, 1,
	  "/c/a1", "A1 sửa" },
	{ "touched only", "touch -d @1600000500 d/b2.gmi", 1, 1,
	  "/d/b2", "B2" },
	{ "added", "printf 'title: Mới\\n\\nx\\n' > d/moi.gmi", 1, 1,
	  "/d/moi", "Mới" },
	{ "removed", "rm c/a3.gmi", 1, 1, "/c/a3", NULL },
	{ "renamed in its folder", "mv c/a4.gmi c/a44.gmi", 1, 1,
	  "/c/a44", "A4" },
	{ "renamed to another folder", "mv c/a5.gmi d/a5.gmi", 1, 2,
	  "/d/a5", "A5" },
	{ "a hidden file: no change", "touch c/.swp", 0, 0, "/c/a1",
	  "A1 sửa" },
	{ "a category's settings", "printf '[category]\\ntitle = Cê\\n' "
	  "> c/_category.ini", 1, 1, "/c/a1", "A1 sửa" },
	{ "nested folder edited", "printf 'title: E9\\n\\nx\\n' > "
	  "d/e/e1.gmi", 1, 1, "/d/e/e1", "E9" },
	{ "a folder replaced whole", "mkdir .new && printf 'title: N1\\n\\n"
	  "x\\n' > .new/n1.gmi && mv d/e .old && mv .new d/e && "
	  "rm -r .old", 1, 2, "/d/e/n1", "N1" },
	{ "a folder removed", "rm -r d/e", 1, 1, "/d/e/n1", NULL },
	{ "a folder added", "mkdir f && printf 'title: F1\\n\\nx\\n' > "
	  "f/f1.gmi", 1, 2, "/f/f1", "F1" },
	{ "nothing changed again", NULL, 0, 0, "/f/f1", "F1" },
};

static void
wtree_run(const char *what, const char *sh)
{
	char	 cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd '%s/wroot' && %s", tmpdir, sh);
	if (system(cmd) != 0) {
		fprintf(stderr, "%s: %s failed\n", what, sh);
		CHECK(0);
	}
}

static struct site *
wreload(struct site_watch *w, struct site *s, const char *what,
    size_t want_read, const char *path, const char *title)
{
	struct site		*ns, *fresh;
	struct site_node	 n;
	unsigned long long	 stamp;
	char			 err[256], r[1024];
	size_t			 clean, nread;

	snprintf(r, sizeof(r), "%s/wroot", tmpdir);
	ns = site_reload_watched(r, NULL, s, w, err, sizeof(err));
	site_free(s);
	CHECK(ns != NULL);
	if (ns == NULL)
		return NULL;
	/* as the master does: a patch's folders stat'ed */
	CHECK(site_watch_settle(w, ns->rootfd, &ns->stamp) >= 0);
	site_watch_counts(w, &clean, &nread);
	if (want_read != (size_t)-1 && nread != want_read) {
		fprintf(stderr, "%s: %zu folders read, not %zu\n", what,
		    nread, want_read);
		CHECK(0);
	}
	fresh = site_load(r, NULL, err, sizeof(err));
	CHECK(fresh != NULL);
	if (fresh != NULL) {
		same_order(what, ns, fresh);
		CHECK(ns->ncats == fresh->ncats);
		CHECK(ns->nfiles == fresh->nfiles);
		CHECK(ns->stamp == fresh->stamp);
		site_free(fresh);
	}
	CHECK_INT(site_stamp(r, &stamp), 0);
	CHECK(stamp == ns->stamp);
	if (title == NULL)
		CHECK(site_find(ns, path, &n) == SITE_NONE);
	else {
		CHECK(site_find(ns, path, &n) == SITE_ARTICLE);
		if (n.art != NULL)
			CHECK_STR(site_article_title(ns, n.art), title);
	}
	/* what the reload took in is no change any more */
	CHECK_INT(site_watch_changed(w, ns), 0);
	return ns;
}

static void
test_watch(void)
{
	struct site_watch	*w;
	struct site		*s = NULL;
	const struct wstep	*st;
	char			 name[64], text[64], path[1024];
	struct timespec		 ts[2];
	FILE			*fp;
	long			 maxq = 16384;
	size_t			 i;
	int			 changed;

	if ((w = site_watch_new()) == NULL) {
		fprintf(stderr, "test_watch: no inotify, skipped\n");
		return;
	}
	dir("wroot");
	dir("wroot/c");
	dir("wroot/d");
	dir("wroot/d/e");
	for (i = 1; i <= 6; i++) {
		snprintf(name, sizeof(name), "wroot/c/a%zu.gmi", i);
		snprintf(text, sizeof(text), "title: A%zu\n\nx\n", i);
		put(name, text);
		snprintf(name, sizeof(name), "wroot/d/b%zu.gmi", i);
		snprintf(text, sizeof(text), "title: B%zu\n\nx\n", i);
		put(name, text);
	}
	put("wroot/d/e/e1.gmi", "title: E1\n\nx\n");
	put("wroot/d/pic.txt.bin", "x");
	for (i = 0; i < sizeof(wsteps) / sizeof(wsteps[0]); i++) {
		st = &wsteps[i];
		if (st->sh != NULL)
			wtree_run(st->what, st->sh);
		if (s != NULL) {
			changed = site_watch_changed(w, s);
			if (changed != st->changed)
				fprintf(stderr, "%s: changed %d\n", st->what,
				    changed);
			CHECK_INT(changed, st->changed);
		}
		if ((s = wreload(w, s, st->what, st->nread, st->path,
		    st->title)) == NULL)
			break;
	}
	/* the queue overflows: every folder is read again */
	if ((fp = fopen("/proc/sys/fs/inotify/max_queued_events", "r")) !=
	    NULL) {
		if (fscanf(fp, "%ld", &maxq) != 1)
			maxq = 16384;
		fclose(fp);
	}
	if (s != NULL && maxq <= 1000000) {
		/* two files in turn: the same event twice is one */
		for (i = 0; i < (size_t)maxq + 2; i++) {
			snprintf(path, sizeof(path), "%s/wroot/c/a%d.gmi",
			    tmpdir, i % 2 ? 1 : 2);
			ts[0].tv_sec = ts[1].tv_sec = 1600000000 +
			    (time_t)(i / 2);
			ts[0].tv_nsec = ts[1].tv_nsec = 0;
			utimensat(AT_FDCWD, path, ts, 0);
		}
		/* and a change the events lost */
		put("wroot/d/b1.gmi", "title: B1 sau tràn\n\nx\n");
		CHECK_INT(site_watch_changed(w, s), 1);
		s = wreload(w, s, "overflow", 4, "/d/b1", "B1 sau tràn");
	}
	/* a reload with no last snapshot reads every folder */
	if (s != NULL)
		s = wreload(w, s, "after overflow", 0, "/d/b1", "B1 sau tràn");
	site_free(s);
	site_watch_free(w);
}

/*
 * Reloads that patch the running snapshot (site_patch.c): when only
 * files the events named changed, in category folders, the snapshot is
 * copied and those files alone looked at. Whatever the change, the
 * result must be a load from nothing's (its warnings in another order:
 * the patch's come last), its stamp once settled too; and a change a
 * patch cannot make must be made by the walk. Each step changes the
 * tree, reloads as the master does (with the catalog, then the stamp
 * settled) and compares.
 */
static void	 same_site(const char *, const struct site *,
		    const struct site *);

struct pstep {
	const char	*what;
	const char	*sh;		/* in the tree; NULL: nothing */
	int		 patched;	/* the reload was a patch */
	const char	*path, *title;	/* an article, NULL: absent, "*":
					   any title */
};

static const struct pstep psteps[] = {
	{ "nothing changed (a SIGHUP)", NULL, 1, "/thoi-su/2020-05-20-hop-bao",
	  "Họp báo quý II" },
	{ "edited in place", "printf 'title: Họp báo mới\\n\\nx\\n' > "
	  "thoi-su/2020-05-20-hop-bao.gmi", 1, "/thoi-su/2020-05-20-hop-bao",
	  "Họp báo mới" },
	{ "touched only", "touch -d @1600000500 van-hoa/2020-05-21-le-hoi.gmi",
	  1, "/van-hoa/2020-05-21-le-hoi", "*" },
	{ "added, with tags", "printf 'title: Mới\\ntags: Đại hội, mới\\n\\n"
	  "x\\n' > giao-duc/2021-01-01-moi.gmi", 1, "/giao-duc/2021-01-01-moi",
	  "Mới" },
	{ "removed", "rm van-hoa/2019-12-31-tat-nien.md", 1,
	  "/van-hoa/2019-12-31-tat-nien", NULL },
	{ "renamed in its folder", "mv the-thao/2020-05-01-bong-da.gmi "
	  "the-thao/2020-05-02-bong-da.gmi", 1, "/the-thao/2020-05-01-bong-da",
	  NULL },
	{ "moved to another category", "mv giao-duc/2021-01-01-moi.gmi "
	  "van-hoa/2021-01-01-moi.gmi", 1, "/van-hoa/2021-01-01-moi", "Mới" },
	{ "a bad article added", "printf 'title: Hỏng\\ndate: 2020-13-45\\n\\n"
	  "x\\n' > van-hoa/hong.md", 1, "/van-hoa/hong", NULL },
	{ "the bad one mended", "printf 'title: Lành\\n\\nx\\n' > "
	  "van-hoa/hong.md", 1, "/van-hoa/hong", "Lành" },
	{ "a nested category's HTML article", "touch -d @1600000600 "
	  "thoi-su/dia-phuong/2020-04-30-le-ky-niem.html", 1,
	  "/thoi-su/dia-phuong/2020-04-30-le-ky-niem", "*" },
	{ "the date changes the order", "printf 'title: Lễ hội\\ndate: "
	  "2023-01-01\\n\\nx\\n' > van-hoa/2020-05-21-le-hoi.gmi", 1,
	  "/van-hoa/2020-05-21-le-hoi", "Lễ hội" },
	{ "a tool's temporary file, renamed over an article", "printf "
	  "'title: Qua tệp tạm\\n\\nx\\n' > van-hoa/hong.md.tmp && mv "
	  "van-hoa/hong.md.tmp van-hoa/hong.md", 1, "/van-hoa/hong",
	  "Qua tệp tạm" },
	{ "too big", "head -c 9000000 /dev/zero | tr '\\\\0' x > "
	  "giao-duc/2021-02-02-to.md", 1, "/giao-duc/2021-02-02-to", NULL },
	{ "too big, removed", "rm giao-duc/2021-02-02-to.md", 1,
	  "/giao-duc/2021-02-02-to", NULL },
	{ "a bad tag, and more tags than are kept", "printf 'title: Thẻ\\ntags: "
	  "---, Đại Hội, '\"$(seq -s ', t' 0 40)\"'\\n\\nx\\n' > "
	  "van-hoa/2021-06-06-the.gmi", 1, "/van-hoa/2021-06-06-the", "Thẻ" },
	{ "its spelling now the most written", "printf 'title: Thẻ 2\\ntags: "
	  "Đại Hội\\n\\nx\\n' > van-hoa/2021-06-07-the.gmi", 1,
	  "/van-hoa/2021-06-07-the", "Thẻ 2" },
	{ "and both gone, their warnings too", "rm van-hoa/2021-06-0[67]-the.gmi",
	  1, "/van-hoa/2021-06-06-the", NULL },
	{ "two new files for one slug at once (the walk says which)",
	  "printf 'title: MD\\n\\nx\\n' > giao-duc/2021-07-07-kep.md && "
	  "printf 'title: GMI\\n\\nx\\n' > giao-duc/2021-07-07-kep.gmi", 0,
	  "/giao-duc/2021-07-07-kep", "GMI" },
	{ "and both gone", "rm giao-duc/2021-07-07-kep.*", 0,
	  "/giao-duc/2021-07-07-kep", NULL },
	{ "the slug's winner removed (the walk says who is served)",
	  "rm thoi-su/trung.gmi", 0, "/thoi-su/trung", "*" },
	{ "a second file for a slug", "printf 'title: Hà Nội 2\\n\\nx\\n' > "
	  "thoi-su/2020-05-18-ha-noi.md", 0, "/thoi-su/2020-05-18-ha-noi",
	  "*" },
	{ "and gone again", "rm thoi-su/2020-05-18-ha-noi.md", 0,
	  "/thoi-su/2020-05-18-ha-noi", "*" },
	{ "after it", "printf 'title: Hà Nội 3\\n\\nx\\n' > "
	  "thoi-su/2020-05-18-ha-noi.gmi", 1, "/thoi-su/2020-05-18-ha-noi",
	  "Hà Nội 3" },
	{ "an attachment added", "printf x > thoi-su/anh-2.jpg", 0, NULL,
	  NULL },
	{ "a category's settings", "printf '[category]\\ntitle = Văn hoá "
	  "mới\\n' > van-hoa/_category.ini", 0, NULL, NULL },
	{ "a category's last article gone (no settings: no category)",
	  "rm the-thao/*.gmi", 0, "/the-thao/2020-05-02-bong-da", NULL },
	{ "an article into that plain folder", "printf 'title: TT\\n\\nx\\n' "
	  "> the-thao/2021-03-03-tt.gmi", 0, "/the-thao/2021-03-03-tt", "TT" },
	{ "a category's only article replaced", "rm giao-duc/*.gmi && "
	  "printf 'title: GD\\n\\nx\\n' > giao-duc/2021-04-04-gd.gmi", 1,
	  "/giao-duc/2021-04-04-gd", "GD" },
	{ "a symbolic link", "ln -s 2020-05-20-hop-bao.gmi "
	  "thoi-su/lien-ket.gmi", 0, "/thoi-su/lien-ket", "Họp báo mới" },
	{ "the link removed", "rm thoi-su/lien-ket.gmi", 0,
	  "/thoi-su/lien-ket", NULL },
	{ "then an edit there", "printf 'title: Họp báo 3\\n\\nx\\n' > "
	  "thoi-su/2020-05-20-hop-bao.gmi", 1, "/thoi-su/2020-05-20-hop-bao",
	  "Họp báo 3" },
	{ "a page at the root", "printf '# Giới thiệu mới\\n' > "
	  "gioi-thieu.gmi", 0, NULL, NULL },
	{ "a folder added", "mkdir van-hoa/moi && printf 'title: M\\n\\nx\\n' "
	  "> van-hoa/moi/2021-05-05-m.gmi", 0, "/van-hoa/moi/2021-05-05-m",
	  "M" },
	{ "more files than the watch names", "i=0; while [ $i -lt 70 ]; do "
	  "printf 'title: N%d\\n\\nx\\n' $i > van-hoa/moi/n$i.gmi; "
	  "i=$((i + 1)); done", 0, "/van-hoa/moi/n69", "N69" },
	{ "two categories at once", "printf 'title: Hai\\n\\nx\\n' > "
	  "van-hoa/moi/n1.gmi && rm thoi-su/2020-05-18-ha-noi.gmi", 1,
	  "/van-hoa/moi/n1", "Hai" },
	{ "nothing changed again", NULL, 1, "/van-hoa/moi/n1", "Hai" },
};

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the articles the catalog at db holds */
static long
catalog_rows(const char *db)
{
	sqlite3		*h;
	sqlite3_stmt	*q;
	long		 n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM article", -1, &q,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(h);
	return n;
}

/* the lines of s's warnings, sorted (a patch's come in another order),
 * in place of them; the old ones in *old */
static void
sort_warnings(struct site *s, struct buf *old)
{
	char	**l = NULL, *p, *nl;
	size_t	 n = 0, i;
	struct buf b = BUF_INIT;

	*old = s->warnings;
	if (s->warnings.data == NULL)
		return;
	for (p = s->warnings.data; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		l = realloc(l, (n + 1) * sizeof(*l));
		l[n++] = strndup(p, (size_t)(nl - p + 1));
	}
	qsort(l, n, sizeof(*l), str_cmp);
	for (i = 0; i < n; i++) {
		buf_puts(&b, l[i]);
		free(l[i]);
	}
	free(l);
	s->warnings = b;
}

static void
test_patch(void)
{
	struct site_watch	*w;
	struct catalog		*cat;
	struct site		*s, *ns, *fresh;
	struct site_node	 n;
	const struct pstep	*st;
	struct buf		 ws, wf;
	unsigned long long	 stamp;
	char			 root[1024], db[1100], err[512], cmd[3000];
	size_t			 i, k, walks;

	if ((w = site_watch_new()) == NULL) {
		fprintf(stderr, "test_patch: no inotify, skipped\n");
		return;
	}
	snprintf(root, sizeof(root), "%s/proot", tmpdir);
	snprintf(db, sizeof(db), "%s/pcatalog.db", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp -R '%s' '%s'", FIXTURE, root);
	CHECK_INT(system(cmd), 0);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "catalog_open: %s\n", err);
		CHECK(0);
		site_watch_free(w);
		return;
	}
	s = site_reload_watched(root, cat, NULL, w, err, sizeof(err));
	CHECK(s != NULL);
	for (i = 0; s != NULL && i < sizeof(psteps) / sizeof(psteps[0]);
	    i++) {
		st = &psteps[i];
		if (st->sh != NULL) {
			snprintf(cmd, sizeof(cmd), "cd '%s' && %s", root,
			    st->sh);
			if (system(cmd) != 0) {
				fprintf(stderr, "%s: failed\n", st->what);
				CHECK(0);
			}
		}
		ns = site_reload_watched(root, cat, s, w, err, sizeof(err));
		CHECK(ns != NULL);
		if (ns == NULL) {
			fprintf(stderr, "%s: %s\n", st->what, err);
			break;
		}
		site_free(s);
		s = ns;
		if (s->patched != st->patched)
			fprintf(stderr, "%s: patched %d\n", st->what,
			    s->patched);
		CHECK_INT(s->patched, st->patched);
		CHECK(site_watch_settle(w, s->rootfd, &s->stamp) >= 0);
		/* a second settle has nothing to do */
		CHECK_INT(site_watch_settle(w, s->rootfd, &s->stamp), 0);
		fresh = site_load(root, NULL, err, sizeof(err));
		CHECK(fresh != NULL);
		if (fresh != NULL) {
			sort_warnings(s, &ws);
			sort_warnings(fresh, &wf);
			same_site(st->what, s, fresh);
			buf_free(&s->warnings);
			buf_free(&fresh->warnings);
			s->warnings = ws;
			fresh->warnings = wf;
		}
		site_free(fresh);
		CHECK_INT(site_stamp(root, &stamp), 0);
		CHECK(stamp == s->stamp);
		if (st->path != NULL && st->title == NULL)
			CHECK_INT(site_find(s, st->path, &n), SITE_NONE);
		else if (st->path != NULL) {
			CHECK_INT(site_find(s, st->path, &n), SITE_ARTICLE);
			if (n.art != NULL && strcmp(st->title, "*") != 0)
				CHECK_STR(site_article_title(s, n.art),
				    st->title);
		}
		/* the catalog has what the snapshot has (but for a link:
		 * its source's row is its target's) */
		CHECK_INT(catalog_rows(db), (long)s->narticles -
		    (site_find(s, "/thoi-su/lien-ket", NULL) == SITE_ARTICLE));
		/* a link makes the watch ask for a walk (-1) */
		CHECK(site_watch_changed(w, s) != 1);
	}
	/* edits leave their old strings in the copied pool: past a
	 * quarter of it, a walk builds the snapshot anew */
	for (i = 0, k = 0, walks = 0; s != NULL && i < 40; i++) {
		snprintf(cmd, sizeof(cmd), "cd '%s' && printf 'title: Sửa "
		    "%zu %01000d\n\nx\n' 0 > van-hoa/hong.md", root, i, 0);
		CHECK_INT(system(cmd), 0);
		if ((ns = site_reload_watched(root, cat, s, w, err,
		    sizeof(err))) == NULL)
			break;
		site_free(s);
		s = ns;
		CHECK(site_watch_settle(w, s->rootfd, &s->stamp) >= 0);
		walks += !s->patched;
		k += s->patched;
		CHECK(s->pool_dead <= s->narticles * 1024);
	}
	CHECK(walks > 0 && k > walks);
	if (s != NULL) {
		fresh = site_load(root, NULL, err, sizeof(err));
		CHECK(fresh != NULL);
		if (fresh != NULL)
			same_order("after the edits", s, fresh);
		site_free(fresh);
	}
	site_free(s);
	catalog_close(cat);
	site_watch_free(w);
}

/*
 * Dates in the site's zone: a date without an offset is read there, an
 * offset (header or HTML) is kept, an undated article takes its mtime;
 * each is shown as the wall clock in the zone, with its offset. A
 * reload in another zone keeps nothing of the last snapshot and takes
 * the offsets the sources gave from the catalog.
 */
static const struct {
	const char	*zone;
	const char	*path;
	const char	*date;		/* "YYYY-MM-DD HH:MM" there */
	long		 off;
} zcases[] = {
	{ "Asia/Ho_Chi_Minh", "/c/a", "2025-09-10 16:00", 25200 },
	{ "Asia/Ho_Chi_Minh", "/c/b", "2025-09-10 16:00", 25200 },
	{ "Asia/Ho_Chi_Minh", "/c/c", "2025-09-11 06:30", 25200 },
	{ "Asia/Ho_Chi_Minh", "/c/d", "2025-09-10 15:00", 25200 },
	{ "Asia/Ho_Chi_Minh", "/c/e", "2025-09-10 16:00", 25200 },
	{ "Asia/Ho_Chi_Minh", "/c/f", "2025-09-10 00:00", 25200 },
	{ "UTC", "/c/a", "2025-09-10 16:00", 0 },
	{ "UTC", "/c/b", "2025-09-10 09:00", 0 },
	{ "UTC", "/c/c", "2025-09-10 23:30", 0 },
	{ "UTC", "/c/d", "2025-09-10 08:00", 0 },
	{ "UTC", "/c/e", "2025-09-10 09:00", 0 },
	{ "UTC", "/c/f", "2025-09-10 00:00", 0 },
	{ "America/New_York", "/c/a", "2025-09-10 16:00", -14400 },
	{ "America/New_York", "/c/b", "2025-09-10 05:00", -14400 },
	{ "America/New_York", "/c/c", "2025-09-10 19:30", -14400 },
	{ "America/New_York", "/c/d", "2025-09-10 04:00", -14400 },
	{ "America/New_York", "/c/e", "2025-09-10 05:00", -14400 },
	{ "America/New_York", "/c/f", "2025-09-10 00:00", -14400 },
};

static void
test_zones(void)
{
	static const char *const zones[] = { "Asia/Ho_Chi_Minh",
	    "Asia/Ho_Chi_Minh", "UTC", "America/New_York" };
	struct catalog		*cat;
	struct site		*s = NULL, *ns;
	struct site_node	 n;
	char			 err[256], db[1024], r[1024], date[32];
	size_t			 i, j;

	dir("zroot");
	dir("zroot/c");
	put("zroot/c/a.gmi", "date: 2025-09-10 16:00\n\n# A\n");
	put("zroot/c/b.gmi", "date: 2025-09-10T16:00:00+07:00\n\n# B\n");
	put("zroot/c/c.md", "---\ndate: 2025-09-10 23:30Z\n---\n# C\n");
	put("zroot/c/d.html", "<html><head><title>D</title><meta property="
	    "\"article:published_time\" content=\"2025-09-10T10:00:00+02:00"
	    "\"></head><body><p>d</p></body></html>\n");
	put("zroot/c/e.gmi", "# E, không ngày\n");
	set_mtime("zroot/c/e.gmi", 1757494800);	/* 09:00 UTC */
	put("zroot/c/f.txt", "date: 2025-09-10\n\nF\n");
	snprintf(db, sizeof(db), "%s/zones.db", tmpdir);
	snprintf(r, sizeof(r), "%s/zroot", tmpdir);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "catalog_open: %s\n", err);
		CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		CHECK_INT(zone_use(zones[i]), 0);
		ns = site_reload(r, cat, s, err, sizeof(err));
		CHECK(ns != NULL);
		if (ns == NULL)
			break;
		CHECK_STR(ns->zone, zones[i]);
		CHECK_INT(ns->narticles, 6);
		/* the same zone keeps all; another reads all again, from
		 * the catalog after the first load */
		CHECK_INT(ns->nkept, i == 1 ? 6 : 0);
		CHECK_INT(ns->nread, i == 0 ? 6 : 0);
		site_free(s);
		s = ns;
		for (j = 0; j < sizeof(zcases) / sizeof(zcases[0]); j++) {
			if (strcmp(zcases[j].zone, zones[i]) != 0)
				continue;
			CHECK_INT(site_find(s, zcases[j].path, &n),
			    SITE_ARTICLE);
			if (n.art == NULL)
				continue;
			fmt_date(n.art->date, date, sizeof(date));
			if (strcmp(date, zcases[j].date) != 0)
				fprintf(stderr, "%s in %s\n", zcases[j].path,
				    zones[i]);
			CHECK_STR(date, zcases[j].date);
			CHECK(n.art->flags & ART_HAS_ZONE);
			CHECK_INT(n.art->zone, zcases[j].off);
		}
		/* days and order are the zone's: in Hà Nội, C is the 11th */
		if (i == 0) {
			CHECK_INT(s->ndays, 2);
			CHECK_STR(site_article_path(s, &s->articles[0]), "/c/c");
			CHECK_INT(s->days[0].day, 11);
		} else if (i == 2)
			CHECK_INT(s->ndays, 1);
	}
	site_free(s);
	catalog_close(cat);
	CHECK_INT(zone_use(""), 0);
}

static void
test_stamp(void)
{
	struct site		*s;
	unsigned long long	 a = 0, b = 0;
	char			 r[1024], err[256];
	int			 i;

	snprintf(r, sizeof(r), "%s/croot", tmpdir);
	CHECK_INT(site_stamp(r, &a), 0);
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a == b);
	/* hidden files do not matter */
	put("croot/c/.x.gmi.swp", "x");
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a == b);
	/* a new file, a new mtime, a _category.ini do */
	put("croot/c/y.gmi", "y");
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a != b);
	snprintf(r, sizeof(r), "%s/croot/c/y.gmi", tmpdir);
	unlink(r);
	snprintf(r, sizeof(r), "%s/croot", tmpdir);
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a == b);
	set_mtime("croot/c/x.gmi", 1500000200);
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a != b);
	a = b;
	put("croot/c/_category.ini", "[category]\n");
	CHECK_INT(site_stamp(r, &b), 0);
	CHECK(a != b);
	CHECK_INT(site_stamp("/nonexistent/bantin", &b), -1);

	/* a scan's stamp is site_stamp's, with reserved and unsafe
	 * folders, hidden names and links in the tree */
	for (i = 0; i < 2; i++) {
		snprintf(r, sizeof(r), "%s", i == 0 ? FIXTURE : root());
		s = site_load(r, NULL, err, sizeof(err));
		CHECK(s != NULL);
		CHECK_INT(site_stamp(r, &b), 0);
		CHECK(s != NULL && s->stamp == b);
		site_free(s);
	}
}

/*
 * Sources that would publish something other than what was meant are
 * skipped with "file:line: reason", the rest served (issue 13): an
 * unclosed "---" header, an empty file, a page nested too deep. With
 * and without a catalog (which caches what a scan parsed), and again
 * on a reload that takes nothing from the catalog for them.
 */
static void
test_broken(void)
{
	static const char *const want[] = {
		"tin/2020-01-02-mo.md:1: header block opened by '---' is "
		    "never closed\n",
		"tin/2020-01-03-rong.md:1: empty file\n",
		"tin/2020-01-04-trang.txt:1: empty file\n",
		"tin/2020-01-05-sau.html:2: elements nested more than 128 "
		    "deep\n",
	};
	static const char *const gone[] = {
		"/tin/2020-01-02-mo", "/tin/2020-01-03-rong",
		"/tin/2020-01-04-trang", "/tin/2020-01-05-sau",
	};
	struct catalog		*cat = NULL;
	struct site		*s;
	struct site_node	 n;
	struct buf		 deep = BUF_INIT;
	char			 err[256], db[1024], rootp[1024];
	size_t			 i;
	int			 k, pass;

	dir("broot");
	dir("broot/tin");
	put("broot/tin/2020-01-01-tot.md", "title: Bài tốt\n\nNội dung.\n");
	put("broot/tin/2020-01-02-mo.md", "---\ntitle: Quên đóng\n"
	    "date: 2020-01-02\n\nThân bài.\n");
	put("broot/tin/2020-01-03-rong.md", "");
	put("broot/tin/2020-01-04-trang.txt", "\n  \n");
	buf_puts(&deep, "<html><body><p>Mở đầu.</p>\n");
	for (k = 0; k < 100000; k++)
		buf_puts(&deep, "<div>");
	buf_puts(&deep, "<p>Nội dung.</p></body></html>\n");
	put("broot/tin/2020-01-05-sau.html", deep.data);
	buf_free(&deep);
	snprintf(rootp, sizeof(rootp), "%s/broot", tmpdir);
	snprintf(db, sizeof(db), "%s/broken.db", tmpdir);

	for (pass = 0; pass < 3; pass++) {
		if (pass == 1 && (cat = catalog_open(db, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "catalog_open: %s\n", err);
			CHECK(0);
			return;
		}
		s = site_load(rootp, cat, err, sizeof(err));
		CHECK(s != NULL);
		if (s == NULL)
			break;
		CHECK_INT(site_find(s, "/tin/2020-01-01-tot", &n),
		    SITE_ARTICLE);
		for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
			CHECK_INT(site_find(s, gone[i], NULL), SITE_NONE);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			CHECK_HAS(s->warnings.data, want[i]);
		CHECK_INT(s->nwarnings, 4);
		site_free(s);
	}
	catalog_close(cat);
}

/*
 * An HTML page's links to paths on the site (issue 19): kept when the
 * site has the page, rewritten to the article its name says (without
 * the date prefix, an extension or a CMS id, also from the old site's
 * absolute links), else text, with one warning for the article.
 */
static void
test_links(void)
{
	static const char page[] =
	    "<html><head><title>Giải ngân vốn</title>"
	    "<link rel=\"canonical\" href=\"http://www.cu.example.vn/kinh-te/"
	    "giai-ngan-77.html\"></head><body><div class=\"noi-dung\">"
	    "<p>Xem <a href=\"/kinh-te/quan-thu-ngan-sach.html\">thu ngân "
	    "sách</a>, <a href=\"/kinh-te/2023-11-20-quan-thu-ngan-sach\">"
	    "bài cũ</a>, <a href=\"http://cu.example.vn/kinh-te/quan-thu-"
	    "ngan-sach-123.html\">bản cũ</a>, <a href=\"/dang-nhap\">đăng "
	    "nhập</a>, <a href=\"/tag/dau-tu-cong\">đầu tư công</a>, <a "
	    "href=\"../the-thao/tin-khac\">tin khác</a>, <a href=\"/search"
	    "\">tìm</a>, <a href=\"/kinh-te/\">kinh tế</a> và <a href=\""
	    "https://mof.gov.vn/\">Bộ Tài chính</a>.</p>"
	    "<img src=\"anh/x.jpg\" alt=\"Ảnh có\">"
	    "<img src=\"/uploads/y.jpg\" alt=\"Ảnh mất\"></div></body></html>";
	struct site		*s;
	struct site_node	 n;
	struct article_page	 pg;
	char			 err[256], path[1100];

	dir("links");
	dir("links/kinh-te");
	dir("links/kinh-te/anh");
	dir("links/thoi-su");
	put("links/kinh-te/2023-11-20-quan-thu-ngan-sach.md",
	    "title: Quận thu ngân sách\n\nĐạt 102%.\n");
	put("links/kinh-te/2023-12-04-giai-ngan.html", page);
	put("links/kinh-te/anh/x.jpg", "jpg");
	put("links/thoi-su/2023-01-01-b.html", "<p>Xem <a href=\"/kinh-te/"
	    "\">kinh tế</a>.</p>");
	snprintf(path, sizeof(path), "%s/links", tmpdir);
	if ((s = site_load(path, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "site_load: %s\n", err);
		CHECK(0);
		return;
	}
	CHECK_INT(s->nwarnings, 1);
	CHECK_STR(s->warnings.data, "kinh-te/2023-12-04-giai-ngan.html: "
	    "links to pages not on the site, shown as text: /dang-nhap, "
	    "/tag/dau-tu-cong, /the-thao/tin-khac, /uploads/y.jpg\n");
	CHECK_INT(site_find(s, "/kinh-te/2023-12-04-giai-ngan", &n),
	    SITE_ARTICLE);
	CHECK_INT(site_article_page(s, NULL, n.art, &pg, err,
	    sizeof(err)), 0);
	CHECK_STR(pg.body.data, "Xem thu ngân sách, bài cũ, bản cũ, đăng nhập, "
	    "đầu tư công, tin khác, tìm, kinh tế và Bộ Tài chính.\n\n"
	    "=> /kinh-te/2023-11-20-quan-thu-ngan-sach thu ngân sách\n"
	    "=> /kinh-te/2023-11-20-quan-thu-ngan-sach bài cũ\n"
	    "=> /kinh-te/2023-11-20-quan-thu-ngan-sach bản cũ\n"
	    "=> /search tìm\n=> /kinh-te/ kinh tế\n"
	    "=> https://mof.gov.vn/ Bộ Tài chính\n\n"
	    "=> /kinh-te/anh/x.jpg Ảnh có\n\nẢnh mất\n");
	site_article_page_free(&pg);
	site_free(s);
}

/*
 * A folder of 5,000 articles: every one is there, under its own path
 * and title; a link and a dangling link, a fifo and a hidden file
 * among them are what they are in a small folder; the stamp of the
 * walk is site_stamp's, and the same on every load.
 */
#define BIG_FOLDER	5000

static void
test_big_folder(void)
{
	struct site		*s, *s2;
	struct site_node	 n;
	unsigned long long	 st = 0;
	char			 r[1024], rel[256], err[256], text[128];
	static const int	 at[] = { 0, 1, 2047, 2048, 2499, 2500, 4095,
				    4096, 4097, 4999 };
	size_t			 i;
	int			 k;

	dir("big");
	dir("big/tin");
	for (k = 0; k < BIG_FOLDER; k++) {
		snprintf(rel, sizeof(rel), "big/tin/2021-01-01-bai-%04d.gmi", k);
		snprintf(text, sizeof(text), "# Bài %d\n\nNội dung %d.\n", k, k);
		put(rel, text);
	}
	put("big/tin/.an.gmi", "# hidden\n");
	snprintf(r, sizeof(r), "%s/big/tin/lien-ket.gmi", tmpdir);
	CHECK_INT(symlink("2021-01-01-bai-0007.gmi", r), 0);
	snprintf(r, sizeof(r), "%s/big/tin/gay.gmi", tmpdir);
	CHECK_INT(symlink("khong-co.gmi", r), 0);
	snprintf(r, sizeof(r), "%s/big/tin/ong.gmi", tmpdir);
	CHECK_INT(mkfifo(r, 0600), 0);
	snprintf(r, sizeof(r), "%s/big", tmpdir);
	s = site_load(r, NULL, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "big folder: %s\n", err);
		return;
	}
	CHECK_INT((int)s->narticles, BIG_FOLDER + 1);
	for (i = 0; i < sizeof(at) / sizeof(*at); i++) {
		snprintf(rel, sizeof(rel), "/tin/2021-01-01-bai-%04d", at[i]);
		snprintf(text, sizeof(text), "Bài %d", at[i]);
		CHECK(site_find(s, rel, &n) == SITE_ARTICLE &&
		    strcmp(site_article_title(s, n.art), text) == 0);
	}
	CHECK_INT(site_find(s, "/tin/lien-ket", &n), SITE_ARTICLE);
	CHECK_INT(site_find(s, "/tin/gay", &n), SITE_NONE);
	CHECK_INT(site_find(s, "/tin/ong", &n), SITE_NONE);
	CHECK_HAS(s->warnings.data, "gay.gmi");
	CHECK_INT(site_stamp(r, &st), 0);
	CHECK(s->stamp == st);
	s2 = site_load(r, NULL, err, sizeof(err));
	CHECK(s2 != NULL && s2->stamp == s->stamp &&
	    s2->narticles == s->narticles);
	site_free(s2);
	site_free(s);
}

/*
 * The image a restart starts from (site_image.c): the snapshot comes
 * back as it was built, and a change made while the server was down
 * makes the folder it is in read again. Each step changes the tree
 * (or the image), loads from the image as a start does, and compares
 * with a load from nothing; then saves the image again, as a stop does.
 */
struct istep {
	const char	*what;
	const char	*sh;		/* in the tree; NULL: nothing */
	const char	*img;		/* to the image, in its folder */
	unsigned long long tag;		/* the image is read with */
	int		 whole;		/* taken whole */
};

#define ITAG	0x1234abcdULL

static const struct istep isteps[] = {
	{ "nothing changed", NULL, NULL, ITAG, 1 },
	{ "again", NULL, NULL, ITAG, 1 },
	{ "edited in place, same size", "printf 'title: Hop bao 2\\n\\nx\\n' "
	  "> thoi-su/2020-05-20-hop-bao.gmi", NULL, ITAG, 0 },
	{ "after it", NULL, NULL, ITAG, 1 },
	{ "touched only", "touch -d @1600000500 van-hoa/2020-05-21-le-hoi.gmi",
	  NULL, ITAG, 0 },
	{ "added", "printf 'title: Moi\\ntags: a, b\\n\\nx\\n' > "
	  "giao-duc/2021-01-01-moi.gmi", NULL, ITAG, 0 },
	{ "removed", "rm van-hoa/2019-12-31-tat-nien.md", NULL, ITAG, 0 },
	{ "a category's settings", "printf '[category]\\ntitle = Giáo dục "
	  "mới\\norder = 1\\n' > giao-duc/_category.ini", NULL, ITAG, 0 },
	{ "a nested folder added", "mkdir -p van-hoa/le/hoi && printf "
	  "'title: Le\\n\\nx\\n' > van-hoa/le/hoi/2021-02-02-le.gmi", NULL,
	  ITAG, 0 },
	{ "an attachment changed", "printf 'pdf2' > tai-lieu/bao-cao.pdf",
	  NULL, ITAG, 0 },
	{ "a skipped folder changed", "printf 'title: Y\\n\\nx\\n' > "
	  "'bad name/y.gmi'", NULL, ITAG, 0 },
	{ "a big folder added (stat'ed on several threads)", "mkdir kho && "
	  "i=0; while [ $i -lt 2500 ]; do printf 'title: K%d\n\nx\n' $i "
	  "> kho/k$i.gmi; i=$((i + 1)); done", NULL, ITAG, 0 },
	{ "settled", NULL, NULL, ITAG, 1 },
	{ "made unreadable (the scan warns, and skips it)", "chmod 000 "
	  "giao-duc/2019-09-05-khai-giang.gmi", NULL, ITAG, 0 },
	{ "readable again: its mode, not its size or mtime", "chmod 644 "
	  "giao-duc/2019-09-05-khai-giang.gmi", NULL, ITAG, 0 },
	{ "one of the big folder's edited", "printf 'title: K sửa\n\nx\n' "
	  "> kho/k2121.gmi", NULL, ITAG, 0 },
	{ "and settled", NULL, NULL, ITAG, 1 },
	{ "another catalog's image", NULL, NULL, ITAG + 1, 0 },
	{ "cut short", NULL, "head -c 5000 site.image > x && mv x site.image",
	  ITAG, 0 },
	{ "rewritten", NULL, NULL, ITAG, 1 },
	{ "cut by a byte", NULL, "head -c -1 site.image > x && mv x "
	  "site.image", ITAG, 0 },
	{ "garbage", NULL, "printf 'bantin site image\\n' > site.image",
	  ITAG, 0 },
	{ "none", NULL, "rm site.image", ITAG, 0 },
	{ "back", NULL, NULL, ITAG, 1 },
};

static void
same_site(const char *what, const struct site *a, const struct site *b)
{
	const struct article	*x, *y;
	const struct category	*ca, *cb;
	struct site_node	 na, nb;
	size_t			 i, j;

	same_order(what, a, b);
	CHECK_INT(a->ntags, b->ntags);
	CHECK(a->stamp == b->stamp);
	CHECK_INT(a->nallcats, b->nallcats);
	CHECK_INT(a->nfiles, b->nfiles);
	CHECK_INT(a->npages, b->npages);
	CHECK_INT(a->nwarnings, b->nwarnings);
	CHECK_STR(a->warnings.data ? a->warnings.data : "",
	    b->warnings.data ? b->warnings.data : "");
	if (a->narticles != b->narticles || a->nallcats != b->nallcats ||
	    a->nfiles != b->nfiles || a->npages != b->npages ||
	    a->ntags != b->ntags)
		return;
	for (i = 0; i < a->narticles; i++) {
		x = &a->articles[i];
		y = &b->articles[i];
		CHECK_STR(site_article_title(a, x), site_article_title(b, y));
		CHECK_STR(a->pool + x->tags, b->pool + y->tags);
		CHECK(x->stat == y->stat && x->zone == y->zone &&
		    x->fmt == y->fmt && x->flags == y->flags &&
		    x->cat == y->cat);
		CHECK(site_find(a, site_article_path(a, x), &na) ==
		    SITE_ARTICLE && na.art == x);
	}
	for (i = 0; i < a->nallcats; i++) {
		ca = a->allcats[i];
		cb = b->allcats[i];
		CHECK_STR(ca->path, cb->path);
		CHECK_STR(ca->title, cb->title);
		CHECK_STR(ca->description ? ca->description : "-",
		    cb->description ? cb->description : "-");
		CHECK(ca->order == cb->order && ca->total == cb->total &&
		    ca->narticles == cb->narticles &&
		    ca->nchildren == cb->nchildren &&
		    (ca->parent == NULL) == (cb->parent == NULL));
		if (ca->parent != NULL && cb->parent != NULL)
			CHECK_STR(ca->parent->path, cb->parent->path);
		for (j = 0; j < ca->narticles && j < cb->narticles; j++)
			CHECK(ca->arts[j] == cb->arts[j]);
		CHECK(site_find(a, ca->path, &na) == SITE_CATEGORY &&
		    na.cat == ca);
	}
	for (i = 0; i < a->nfiles; i++) {
		CHECK_STR(a->files[i]->path, b->files[i]->path);
		CHECK_STR(a->files[i]->src, b->files[i]->src);
		CHECK_STR(a->files[i]->title ? a->files[i]->title : "-",
		    b->files[i]->title ? b->files[i]->title : "-");
		CHECK(a->files[i]->size == b->files[i]->size);
		CHECK(site_find(a, a->files[i]->path, &na) ==
		    site_find(b, b->files[i]->path, &nb));
	}
	for (i = 0; i < a->npages; i++)
		CHECK_STR(a->pages[i]->path, b->pages[i]->path);
	for (i = 0; i < a->ntags; i++) {
		CHECK_STR(a->tags[i].slug, b->tags[i].slug);
		CHECK_STR(a->tags[i].name, b->tags[i].name);
		CHECK(a->tags[i].narts == b->tags[i].narts);
		for (j = 0; j < a->tags[i].narts && j < b->tags[i].narts; j++)
			CHECK(a->tags[i].arts[j] == b->tags[i].arts[j]);
	}
	/* plain folders, with and without an index.gmi */
	CHECK(site_find(a, "/thoi-su/anh/", &na) == site_find(b,
	    "/thoi-su/anh/", &nb));
	CHECK((na.file == NULL) == (nb.file == NULL));
	CHECK(site_find(a, "/tai-lieu/", &na) == site_find(b, "/tai-lieu/",
	    &nb));
}

/* everything in s that a page may read, read: a damaged image that
 * was taken must still be a snapshot that cannot be read out of bounds
 * (ASan and UBSan watch this under make check SANITIZE=1) */
static size_t
walk_site(const struct site *s)
{
	const struct category	*c;
	struct site_node	 n;
	size_t			 i, j, sum = 0;

	for (i = 0; i < s->narticles; i++) {
		sum += strlen(site_article_title(s, &s->articles[i]));
		sum += strlen(s->pool + s->articles[i].tags);
		sum += site_article_cat(s, &s->articles[i])->num;
		sum += site_find(s, site_article_path(s, &s->articles[i]),
		    &n) == SITE_ARTICLE;
	}
	for (i = 0; i < s->nallcats; i++) {
		c = s->allcats[i];
		sum += strlen(c->path) + strlen(c->title) + c->total;
		for (j = 0; j < c->narticles; j++)
			sum += s->articles[c->arts[j]].date != 0;
		for (j = 0; j < c->nchildren; j++)
			sum += c->children[j]->num;
		for (; c->parent != NULL; c = c->parent)
			sum++;
	}
	for (i = 0; i < s->ncats; i++)
		sum += s->cats[i]->num;
	for (i = 0; i < s->nfiles; i++)
		sum += strlen(s->files[i]->path) + strlen(s->files[i]->src);
	for (i = 0; i < s->npages; i++)
		sum += strlen(s->pages[i]->path);
	for (i = 0; i < s->ndays; i++)
		for (j = 0; j < s->days[i].count; j++)
			sum += s->articles[s->days[i].first + j].date != 0;
	for (i = 0; i < s->ntags; i++)
		for (j = 0; j < s->tags[i].narts; j++)
			sum += s->articles[s->tags[i].arts[j]].fmt;
	return sum;
}

/* One byte of the image changed at a time, at every place of its
 * first part (numbers and strings) and at places across the mapped
 * parts: each start serves, from the image or from the catalog. */
static void
image_flips(const char *root, struct catalog *cat, const char *img)
{
	struct site_watch	*w;
	struct site		*s;
	struct buf		 good = BUF_INIT;
	char			 err[512];
	size_t			 off, step, nwhole = 0, nload = 0;
	int			 fd, whole;

	if ((fd = open(img, O_RDONLY)) == -1 ||
	    buf_read_fd(&good, fd, 64 << 20, 1 << 16) == -1) {
		CHECK(0);
		if (fd != -1)
			close(fd);
		return;
	}
	close(fd);
	for (off = 0; off < good.len; off += step) {
		/* the numbers and strings come first, in some 2 KB here:
		 * every byte of them; then the padding and the mapped
		 * parts, here and there; the trailer's 64 bytes, each */
		step = off < 3072 ? 1 : off < 65536 ? 97 : 509;
		if (good.len > 64 && off + step > good.len - 64 &&
		    off < good.len - 64)
			step = good.len - 64 - off;
		else if (good.len > 64 && off >= good.len - 64)
			step = 1;
		good.data[off] ^= 0x5a;
		if ((fd = open(img, O_WRONLY | O_TRUNC)) == -1 ||
		    write(fd, good.data, good.len) != (ssize_t)good.len)
			CHECK(0);
		if (fd != -1)
			close(fd);
		good.data[off] ^= 0x5a;
		w = site_watch_new();
		s = site_load_image(root, cat, img, ITAG, w, &whole, err,
		    sizeof(err));
		CHECK(s != NULL);
		if (s != NULL) {
			nload++;
			nwhole += whole;
			(void)walk_site(s);
		}
		site_free(s);
		site_watch_free(w);
	}
	/* some were taken (a byte of padding, of a title), most not */
	CHECK(nload > 3000 && nwhole > 0 && nwhole < nload);
	/* another build's image (its build-id changed): not taken */
	if (good.len > 40 && good.data[35] != 0) {
		good.data[39] ^= 1;
		if ((fd = open(img, O_WRONLY | O_TRUNC)) == -1 ||
		    write(fd, good.data, good.len) != (ssize_t)good.len)
			CHECK(0);
		if (fd != -1)
			close(fd);
		good.data[39] ^= 1;
		w = site_watch_new();
		s = site_load_image(root, cat, img, ITAG, w, &whole, err,
		    sizeof(err));
		CHECK(s != NULL && !whole);
		site_free(s);
		site_watch_free(w);
	} else
		fprintf(stderr, "test_image: no build-id: not tested\n");
	/* the image back as it was */
	if ((fd = open(img, O_WRONLY | O_TRUNC)) == -1 ||
	    write(fd, good.data, good.len) != (ssize_t)good.len)
		CHECK(0);
	if (fd != -1)
		close(fd);
	buf_free(&good);
}

static void
test_image(void)
{
	struct site_watch	*w;
	struct catalog		*cat;
	struct site		*s, *fresh;
	const struct istep	*st;
	char			 root[1024], db[1100], img[1100], err[512];
	char			 cmd[3000];
	size_t			 i;
	int			 whole;

	if ((w = site_watch_new()) == NULL) {
		fprintf(stderr, "test_image: no inotify, skipped\n");
		return;
	}
	site_watch_free(w);
	snprintf(root, sizeof(root), "%s/iroot", tmpdir);
	snprintf(db, sizeof(db), "%s/icatalog.db", tmpdir);
	snprintf(img, sizeof(img), "%s/site.image", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp -R '%s' '%s'", FIXTURE, root);
	CHECK_INT(system(cmd), 0);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "catalog_open: %s\n", err);
		CHECK(0);
		return;
	}
	/* a first start, and its stop */
	w = site_watch_new();
	s = site_load_image(root, cat, img, ITAG, w, &whole, err, sizeof(err));
	CHECK(s != NULL && !whole);
	if (s == NULL)
		return;
	CHECK_INT(site_image_write(s, w, ITAG, img, err, sizeof(err)), 0);
	site_free(s);
	site_watch_free(w);
	for (i = 0; i < sizeof(isteps) / sizeof(isteps[0]); i++) {
		st = &isteps[i];
		if (st->sh != NULL || st->img != NULL) {
			snprintf(cmd, sizeof(cmd), "cd '%s' && %s",
			    st->sh != NULL ? root : tmpdir,
			    st->sh != NULL ? st->sh : st->img);
			if (system(cmd) != 0) {
				fprintf(stderr, "%s: failed\n", st->what);
				CHECK(0);
			}
		}
		w = site_watch_new();
		s = site_load_image(root, cat, img, st->tag, w, &whole, err,
		    sizeof(err));
		CHECK(s != NULL);
		if (s == NULL) {
			fprintf(stderr, "%s: %s\n", st->what, err);
			site_watch_free(w);
			continue;
		}
		if (whole != st->whole)
			fprintf(stderr, "%s: whole %d\n", st->what, whole);
		CHECK_INT(whole, st->whole);
		fresh = site_load(root, NULL, err, sizeof(err));
		CHECK(fresh != NULL);
		if (fresh != NULL)
			same_site(st->what, s, fresh);
		site_free(fresh);
		/* the watch knows every folder: nothing changed since */
		CHECK_INT(site_watch_changed(w, s), 0);
		CHECK_INT(site_image_write(s, w, ITAG, img, err, sizeof(err)),
		    0);
		site_free(s);
		site_watch_free(w);
		if (i == 1)
			image_flips(root, cat, img);
	}
	catalog_close(cat);
}

int
main(void)
{
	char	 cmd[1100];
	int	 rc;

	/* mtimes become wall-clock dates in the local zone: fix it */
	setenv("TZ", "UTC", 1);
	tzset();
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	/* the fixture's newsroom is in Hà Nội: its HTML gives +07:00 */
	CHECK_INT(zone_use("Asia/Ho_Chi_Minh"), 0);
	test_fixture();
	CHECK_INT(zone_use(""), 0);
	CHECK_STR(zone_current(), "UTC");
	test_fixture_tags();
	test_scratch();
	test_empty_body();
	test_catalog();
	test_broken();
	test_reload();
	test_reload_order();
	test_watch();
	test_patch();
	test_image();
	test_zones();
	test_tags_reload();
	test_stamp();
	test_links();
	test_big_folder();
	rc = t_done("test_site");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return rc;
}
