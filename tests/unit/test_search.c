/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_search.c: the catalog (catalog.c) and search (search.c): the
 * folding tokenizer and its offsets, the safe query builder, searches
 * with and without diacritics, AND, phrases, prefixes, ranking, paging,
 * hostile input, damaged databases, incremental scans, and a search
 * through a real site_load() with the catalog.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "search.h"
#include "site.h"
#include "t.h"

static char	 tmpdir[] = "/tmp/test_search.XXXXXX";

/* dir/name into p, which holds 512 bytes; the test paths fit */
static char *
join(char *p, const char *dir, const char *name)
{
	int	 r;

	r = snprintf(p, 512, "%s/%s", dir, name);
	if (r < 0 || r >= 512) {
		fprintf(stderr, "path too long: %s\n", dir);
		exit(1);
	}
	return p;
}

/*
 * The tokenizer: each token as "folded@start-end".
 */

static int
tok_collect(void *arg, const char *tok, size_t toklen, size_t start,
    size_t end)
{
	struct buf	*b = arg;

	if (b->len > 0)
		buf_putc(b, ' ');
	buf_append(b, tok, toklen);
	buf_printf(b, "@%zu-%zu", start, end);
	return 0;
}

static char	 tok_long[302];	/* 299 letters and an É */

static void
test_tokenizer(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "Đại Hội Đảng", "dai@0-6 hoi@7-12 dang@13-20" },
		{ "đảng ĐẢNG dang DANG",
		    "dang@0-7 dang@8-15 dang@16-20 dang@21-25" },
		{ "Hello, World!", "hello@0-5 world@7-12" },
		{ "covid-19 năm 2020", "covid@0-5 19@6-8 nam@9-13 2020@14-18" },
		{ "TP.HCM", "tp@0-2 hcm@3-6" },
		{ "Đà Nẵng", "da@0-4 nang@5-11" },
		/* decomposed (NFD) input: the mark stays in its word */
		{ "Bi\xcc\x80nh Tha\xcc\xa3nh", "binh@0-6 thanh@7-14" },
		{ "\xef\xac\x81le", "file@0-5" },		/* ﬁ ligature */
		{ "Straße", "strasse@0-7" },
		{ "ĐỒNG ĐỘI", "dong@0-7 doi@8-14" },
		{ "a\tb\nc\r\nd", "a@0-1 b@2-3 c@4-5 d@7-8" },
		{ "ab\xff" "cd", "ab@0-2 cd@3-5" },	/* invalid byte */
		{ "中文 日本", "中文@0-6 日本@7-13" },
		{ "\xcc\x81", "" },			/* a lone mark */
		{ "  ... --- ", "" },
		{ "", "" },
		{ "\"chi bộ\" AND (x)", "chi@1-4 bo@5-9 and@11-14 x@16-17" },
		{ "email: a_b@c.vn", "email@0-5 a@7-8 b@9-10 c@11-12 vn@13-15" },
		/* a mark after a letter of the table, and a word that the
		 * table folds only in part: folded whole */
		{ "Ho\xcc\x80" "a Stra\xc3\x9f" "e\xe1\xbb\x87", "hoa@0-5 strassee@6-16" },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "");
		CHECK_INT(catalog_tokenize(cases[i].in, strlen(cases[i].in),
		    tok_collect, &b), 0);
		CHECK_STR(b.data, cases[i].want);
	}
	/* a word longer than the tokenizer's buffer, folded whole */
	buf_reset(&b);
	memset(tok_long, 'A', sizeof(tok_long) - 3);
	memcpy(tok_long + sizeof(tok_long) - 3, "\xc3\x89", 3);
	CHECK_INT(catalog_tokenize(tok_long, strlen(tok_long), tok_collect,
	    &b), 0);
	CHECK_INT(b.len, (sizeof(tok_long) - 3) + 1 + strlen("@0-301"));
	CHECK(b.data != NULL && b.data[0] == 'a' &&
	    b.data[sizeof(tok_long) - 3] == 'e');
	CHECK(catalog_word_cp('a') && catalog_word_cp(0x1ea1) &&
	    catalog_word_cp(0x300) && !catalog_word_cp('-') &&
	    !catalog_word_cp(0x201c) && !catalog_word_cp(-1));
	buf_free(&b);
}

/*
 * The query builder.
 */

static void
test_expr(void)
{
	static const struct {
		const char	*in;
		const char	*want;		/* NULL: fails with err */
		const char	*err;
	} cases[] = {
		{ "dai hoi dang", "\"dai\" AND \"hoi\" AND \"dang\"", NULL },
		{ "Đại Hội", "\"Đại\" AND \"Hội\"", NULL },
		{ "\"chi bo\" dai", "\"chi bo\" AND \"dai\"", NULL },
		{ "“chi bộ”*", "\"chi bộ\" *", NULL },
		{ "\"chi bo*\"", "\"chi bo\" *", NULL },
		{ "thanh*", "\"thanh\" *", NULL },
		{ "than* pho", "\"than\" * AND \"pho\"", NULL },
		{ "covid-19", "\"covid 19\"", NULL },
		{ "a:b", "\"a b\"", NULL },
		{ "\" OR *", "\"OR\"", NULL },
		{ "NEAR(", "\"NEAR\"", NULL },
		{ "NEAR(a b, 2)", "\"NEAR a\" AND \"b\" AND \"2\"", NULL },
		{ "x OR y NOT z", "\"x\" AND \"OR\" AND \"y\" AND \"NOT\""
		    " AND \"z\"", NULL },
		{ "'; DROP TABLE x; --", "\"DROP\" AND \"TABLE\" AND \"x\"",
		    NULL },
		{ "^a {b} (c) +d -e", "\"a\" AND \"b\" AND \"c\" AND \"d\""
		    " AND \"e\"", NULL },
		{ "foo\"bar", "\"foo\" AND \"bar\"", NULL },
		{ "he said \"x\"\"y\"", "\"he\" AND \"said\" AND \"x\" AND"
		    " \"y\"", NULL },
		{ "a\x01" "b\x7f" "c", "\"a\" AND \"b\" AND \"c\"", NULL },
		/* one-letter prefixes are words: they would match half the
		 * dictionary */
		{ "t*", "\"t\"", NULL },
		{ "Đ* ĐÀ*", "\"Đ\" AND \"ĐÀ\" *", NULL },
		/* repeats go; the words past SEARCH_WORDS_MAX too */
		{ "dang dang DANG \"dang\" dang*", "\"dang\" AND \"DANG\" AND"
		    " \"dang\" *", NULL },
		{ "a b c d e f g h i j k l m n", "\"a\" AND \"b\" AND \"c\" AND"
		    " \"d\" AND \"e\" AND \"f\" AND \"g\" AND \"h\" AND \"i\""
		    " AND \"j\" AND \"k\" AND \"l\"", NULL },
		{ "x \"a b c d e f g h i j k l m\"*", "\"x\" AND"
		    " \"a b c d e f g h i j k\"", NULL },
		{ "*", NULL, "empty query" },
		{ "\"", NULL, "empty query" },
		{ "\"\"", NULL, "empty query" },
		{ "", NULL, "empty query" },
		{ "   \t ", NULL, "empty query" },
		{ "!!! ---", NULL, "empty query" },
		{ "\xcc\x81", NULL, "empty query" },
	};
	struct buf	 b = BUF_INIT;
	const char	*err;
	char		 q[1024];
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "");
		err = NULL;
		r = search_match_expr(&b, cases[i].in, &err);
		if (cases[i].want != NULL) {
			CHECK_INT(r, 0);
			CHECK_STR(b.data, cases[i].want);
		} else {
			CHECK_INT(r, -1);
			CHECK_STR(err, cases[i].err);
		}
	}

	/* the limit counts characters, not bytes */
	memset(q, 'a', SEARCH_QUERY_MAX);
	q[SEARCH_QUERY_MAX] = '\0';
	err = NULL;
	CHECK_INT(search_match_expr(&b, q, &err), 0);
	q[SEARCH_QUERY_MAX] = 'a';
	q[SEARCH_QUERY_MAX + 1] = '\0';
	CHECK_INT(search_match_expr(&b, q, &err), -1);
	CHECK_STR(err, "query too long");
	q[0] = '\0';
	for (i = 0; i < SEARCH_QUERY_MAX; i++)
		strncat(q, "ạ", sizeof(q) - strlen(q) - 1);	/* 3 bytes */
	err = NULL;
	CHECK_INT(search_match_expr(&b, q, &err), 0);
	buf_free(&b);
}

/*
 * A catalog of fake articles, searched through a resolver. A fake
 * article's path field is its path's place in fake_path (a snapshot's
 * is its offset in its pool).
 */

static const char	*fake_path[300];

static uint32_t
fake_path_set(uint32_t n, const char *path)
{
	fake_path[n] = path;
	return n;
}

static const char *
art_path(const struct article *a)
{
	return fake_path[a->path];
}

struct fake {
	const char	*path;
	const char	*title;
	const char	*body;
	struct article	 art;
	int		 hidden;	/* the resolver does not know it */
};

static struct fake fakes[] = {
	{ "/thoi-su/dai-hoi", "Đại Hội Đảng bộ quận Bình Thạnh",
	    "# Đại hội\n\nChi bộ khu phố 3 tổ chức đại hội nhiệm kỳ"
	    " 2020-2025.\n=> /thoi-su/anh/x.jpg Ảnh đại hội\n"
	    "Các đảng viên đã bầu ban chấp hành mới.\n", { 0 }, 0 },
	{ "/thoi-su/da-nang", "Tin Đà Nẵng",
	    "Thành phố Đà Nẵng đón khách du lịch.\n", { 0 }, 0 },
	{ "/en/spain", "Weather report",
	    "The rain in Spain stays mainly in the plain.\n", { 0 }, 0 },
	{ "/thoi-su/khong-dau", "Tin khong dau",
	    "Tin tuc binh thanh, dang vien, da nang.\n", { 0 }, 0 },
	{ "/thoi-su/bo-chi", "Bộ chỉ huy quân sự",
	    "Bộ chỉ huy quân sự quận họp với chi hội.\n", { 0 }, 0 },
	{ "/en/short", "Short news",
	    "Short items: weather, sports, and the weather again.\n",
	    { 0 }, 0 },
	{ "/kinh-te/xuan", "Phiên chợ xuân Kỷ Tỵ",
	    "# Phiên chợ xuân Kỷ Tỵ\n\nGian hàng mở cửa từ sáng sớm.\n",
	    { 0 }, 0 },
	/* a word of the phrase comes first alone, the phrase far after */
	{ "/thoi-su/bien-ban", "Biên bản họp tháng Mười",
	    "Tổ trưởng báo cáo với cư dân. Mọi ý kiến được ghi nhận đầy đủ"
	    " trong biên bản gửi lên ủy ban phường. Cuộc họp tổ dân phố 7"
	    " kết thúc lúc 21 giờ.\n", { 0 }, 0 },
	{ "/an/gone", "Hidden weather", "not in the site.\n", { 0 }, 1 },
	/* a dateline the article kept (its date is not the metadata's) */
	{ "/kinh-te/hoi-cho", "Hội chợ hàng Việt",
	    "03/11/2023 · NGỌC LAN\n\nTừ ngày 9 đến 12/11, hội chợ mở cửa"
	    " tại nhà văn hóa quận.\n", { 0 }, 0 },
};
#define NFAKES	(sizeof(fakes) / sizeof(fakes[0]))

static char	 page_paths[25][64];
static struct article page_arts[25];

static const struct article *
fake_resolve(void *arg, const char *urlpath, const char *src)
{
	size_t	 i;

	(void)arg;
	(void)src;
	for (i = 0; i < NFAKES; i++)
		if (strcmp(fakes[i].path, urlpath) == 0)
			return fakes[i].hidden ? NULL : &fakes[i].art;
	for (i = 0; i < 25; i++)
		if (strcmp(page_paths[i], urlpath) == 0)
			return &page_arts[i];
	return NULL;
}

static int
put_fake(struct catalog *cat, const char *path, const char *title,
    const char *body, long long mtime)
{
	struct article_meta	 m;
	char			 src[128];

	memset(&m, 0, sizeof(m));
	m.title = (char *)(uintptr_t)title;	/* not freed */
	m.author = (char *)(uintptr_t)"MỸ DUNG";
	m.date = (time_t)mtime;
	m.has_date = 1;
	snprintf(src, sizeof(src), "%s.gmi", path + 1);
	return catalog_put(cat, src, path, (long long)strlen(body), mtime,
	    &m, body, strlen(body));
}

/* The hits' paths, space-separated, in rank order. */
static char *
run(struct search *s, const char *q, int page, size_t *total,
    const char **errp)
{
	static char		 out[4096];
	struct search_hit	*h;
	size_t			 n, i;
	const char		*err = NULL;
	int			 r;

	out[0] = '\0';
	r = search_query_with(s, fake_resolve, NULL, q, page, &h, &n, total,
	    &err);
	if (errp != NULL)
		*errp = err;
	if (r == -1) {
		snprintf(out, sizeof(out), "error: %s", err ? err : "?");
		return out;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", sizeof(out) - strlen(out) - 1);
		strncat(out, art_path(h[i].art), sizeof(out) - strlen(out) - 1);
		CHECK(h[i].excerpt != NULL);
	}
	search_hits_free(h, n);
	return out;
}

/* The excerpt of the first hit. */
static char *
first_excerpt(struct search *s, const char *q)
{
	static char		 out[1024];
	struct search_hit	*h;
	size_t			 n, total;
	const char		*err;

	out[0] = '\0';
	if (search_query_with(s, fake_resolve, NULL, q, 1, &h, &n, &total,
	    &err) == 0 && n > 0)
		snprintf(out, sizeof(out), "%s", h[0].excerpt);
	search_hits_free(h, n);
	return out;
}

static void
test_search(const char *dbpath)
{
	static const struct {
		const char	*q;
		const char	*want;
	} cases[] = {
		/* without diacritics, with them, any case */
		{ "dai hoi dang", "/thoi-su/dai-hoi" },
		{ "Đại Hội Đảng", "/thoi-su/dai-hoi" },
		{ "ĐẠI HỘI", "/thoi-su/dai-hoi" },
		{ "DANG", "/thoi-su/dai-hoi /thoi-su/khong-dau" },
		{ "đảng", "/thoi-su/dai-hoi /thoi-su/khong-dau" },
		{ "Bình Thạnh", "/thoi-su/dai-hoi /thoi-su/khong-dau" },
		{ "binh thanh", "/thoi-su/dai-hoi /thoi-su/khong-dau" },
		{ "Đà Nẵng", "/thoi-su/da-nang /thoi-su/khong-dau" },
		{ "da nang", "/thoi-su/da-nang /thoi-su/khong-dau" },
		/* English; AND */
		{ "rain spain", "/en/spain" },
		{ "Spain snow", "" },
		{ "PLAIN", "/en/spain" },
		/* a phrase needs adjacent words; AND does not */
		{ "\"chi bo\"", "/thoi-su/dai-hoi" },
		{ "\"chi bộ\"", "/thoi-su/dai-hoi" },
		{ "\"bo chi\"", "/thoi-su/bo-chi" },
		{ "\"khu pho 3\"", "/thoi-su/dai-hoi" },
		{ "\"pho khu\"", "" },
		/* prefixes */
		{ "spa*", "/en/spain" },
		{ "Nẵ*", "/thoi-su/da-nang /thoi-su/khong-dau" },
		{ "\"chi bo*\"", "/thoi-su/dai-hoi" },
		/* joined words are a phrase */
		{ "2020-2025", "/thoi-su/dai-hoi" },
		{ "2025-2020", "" },
		/* the link target is not text, its label is */
		{ "jpg", "" },
		{ "ảnh", "/thoi-su/dai-hoi" },
		/* rows the site does not know are skipped */
		{ "hidden", "" },
		/* title first: "weather" is in one title, one body only */
		{ "weather", "/en/spain /en/short" },
		{ "short", "/en/short" },
	};
	static const char *const hostile[] = {
		"\" OR *", "NEAR(", "NEAR(a b", "a:b", "title:dai", "body:x",
		"'; DROP TABLE x; --", "\"", "\"\"\"", "*", "**a", "a**",
		"a*b*c", "-dai", "+dai", "^dai", "{title body}: x", "(a OR b",
		"a AND", "OR", "NOT dai", "AND OR NOT NEAR", "\x01\x02\x1b[2J",
		"dai\r\nhoi", "\xff\xfe", "\xc3", "a\xe2\x80", "%s%n%x",
		"\\\" \\", "'", "`rm -rf`", "a\"b\"c\"", "rowid = 1",
		"\"chi\" * \"bo\"", "x NEAR/2 y", "\xe2\x80\xa8", "\xef\xbb\xbf",
		"dai*\"", "\"*\"", "*\"\"", "☃ 🎉 ✓", "０１２",
	};
	struct search	*s;
	char		 err[256];
	const char	*e, *got;
	size_t		 i, total;
	int		 ok;

	s = search_open(dbpath, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "search_open: %s\n", err);
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = run(s, cases[i].q, 1, &total, NULL);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "query [%s]\n", cases[i].q);
		CHECK_STR(got, cases[i].want);
	}

	/* the same hits with and without diacritics, and in any case */
	{
		char	a[4096];

		snprintf(a, sizeof(a), "%s", run(s, "Chi Bộ", 1, &total,
		    NULL));
		CHECK_STR(run(s, "chi bo", 1, &total, NULL), a);
		CHECK_STR(run(s, "CHI BO", 1, &total, NULL), a);
		CHECK_INT(total, 2);
	}

	/* excerpts keep the diacritics and stay on one line */
	got = first_excerpt(s, "dang vien");
	CHECK_HAS(got, "đảng viên");
	CHECK(strchr(got, '\n') == NULL && strchr(got, '\t') == NULL);
	got = first_excerpt(s, "\"chi bo\"");
	CHECK_HAS(got, "Chi bộ khu phố 3");
	got = first_excerpt(s, "du lich");
	CHECK_STR(got, "Thành phố Đà Nẵng đón khách du lịch.");
	/* the excerpt is around the phrase, not a word of it alone */
	got = first_excerpt(s, "\"hop to\"");
	CHECK_HAS(got, "Cuộc họp tổ dân phố 7");
	CHECK(strncmp(got, "\xe2\x80\xa6", 3) == 0);
	/* words only in the title: the body from its start */
	got = first_excerpt(s, "thang muoi");
	CHECK(strncmp(got, "Tổ trưởng báo cáo", strlen("Tổ trưởng")) == 0);
	/* the body's "# title" line is the title's, not the excerpt's */
	got = first_excerpt(s, "phien cho xuan");
	CHECK_STR(got, "Gian hàng mở cửa từ sáng sớm.");
	/* nor is a dateline (issue 13), unless the match is in it */
	got = first_excerpt(s, "hang viet");
	CHECK_STR(got, "Từ ngày 9 đến 12/11, hội chợ mở cửa tại nhà văn hóa"
	    " quận.");
	got = first_excerpt(s, "nha van hoa");
	CHECK_STR(got, "Từ ngày 9 đến 12/11, hội chợ mở cửa tại nhà văn hóa"
	    " quận.");
	got = first_excerpt(s, "ngoc lan");
	CHECK_HAS(got, "03/11/2023 · NGỌC LAN");

	/* hostile input: never an error, at most no hits */
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		e = NULL;
		got = run(s, hostile[i], 1, &total, &e);
		ok = e == NULL;
		if (!ok)
			fprintf(stderr, "hostile [%s]: %s\n", hostile[i], got);
		CHECK(ok);
	}
	/* and random mixes of FTS5 syntax, words and bytes */
	{
		static const char *const piece[] = {
			"\"", "*", "(", ")", ":", "^", "+", "-", "{", "}",
			",", ";", "'", ".", "/", "NEAR", "AND", "OR", "NOT",
			" ", "  ", "dai", "Đảng", "chi", "bo", "a", "\x01",
			"“", "”", "\xff", "ạ", "\xcc\x81", "title", "0",
		};
		char		 q[256];
		unsigned	 seed = 12345, k, npieces;
		int		 bad = 0;

		for (i = 0; i < 3000; i++) {
			q[0] = '\0';
			seed = seed * 1103515245u + 12345u;
			npieces = 1 + (seed >> 16) % 12;
			for (k = 0; k < npieces; k++) {
				seed = seed * 1103515245u + 12345u;
				strncat(q, piece[(seed >> 16) % (sizeof(piece) /
				    sizeof(piece[0]))], sizeof(q) - strlen(q) - 1);
			}
			e = NULL;
			got = run(s, q, 1, &total, &e);
			if (e != NULL) {
				if (bad++ < 5)
					fprintf(stderr, "mix [%s]: %s\n", q, got);
			}
		}
		CHECK_INT(bad, 0);
	}
	got = run(s, "title:dai", 1, &total, NULL);
	CHECK_STR(got, "");	/* a phrase "title dai", not a column filter */
	got = run(s, "NOT dai", 1, &total, NULL);
	CHECK_STR(got, "");	/* no article has the word "not" */

	/* errors: only a query too long is the reader's */
	{
		char	q[SEARCH_QUERY_MAX + 2];

		memset(q, 'x', sizeof(q) - 1);
		q[sizeof(q) - 1] = '\0';
		got = run(s, q, 1, &total, NULL);
		CHECK_STR(got, "error: query too long");
	}

	/* paging: 25 articles match */
	got = run(s, "trang", 1, &total, NULL);
	CHECK_INT(total, 25);
	{
		struct search_hit	*h;
		size_t			 n;

		CHECK_INT(search_query_with(s, fake_resolve, NULL, "trang", 1,
		    &h, &n, &total, &e), 0);
		CHECK_INT(n, SEARCH_PER_PAGE);
		CHECK_INT(total, 25);
		search_hits_free(h, n);
		CHECK_INT(search_query_with(s, fake_resolve, NULL, "trang", 2,
		    &h, &n, &total, &e), 0);
		CHECK_INT(n, 5);
		CHECK_INT(total, 25);
		search_hits_free(h, n);
		CHECK_INT(search_query_with(s, fake_resolve, NULL, "trang", 3,
		    &h, &n, &total, &e), 0);
		CHECK_INT(n, 0);
		CHECK(h == NULL);
		CHECK_INT(total, 25);
		CHECK_INT(search_query_with(s, fake_resolve, NULL, "trang",
		    0x7fffffff, &h, &n, &total, &e), 0);
		CHECK_INT(n, 0);
		CHECK_INT(search_query_with(s, fake_resolve, NULL, "trang", 0,
		    &h, &n, &total, &e), 0);
		CHECK_INT(n, SEARCH_PER_PAGE);	/* page < 1 is page 1 */
		search_hits_free(h, n);
	}
	/* pages do not overlap and together hold all 25 */
	{
		char	p1[4096], p2[4096], one[80];
		int	seen = 0;

		snprintf(p1, sizeof(p1), "%s", run(s, "trang", 1, &total,
		    NULL));
		snprintf(p2, sizeof(p2), "%s", run(s, "trang", 2, &total,
		    NULL));
		for (i = 0; i < 25; i++) {
			if (snprintf(one, sizeof(one), "%s ", page_paths[i]) >=
			    (int)sizeof(one))
				continue;
			strncat(p1, " ", sizeof(p1) - strlen(p1) - 1);
			strncat(p2, " ", sizeof(p2) - strlen(p2) - 1);
			seen += (strstr(p1, one) != NULL) +
			    (strstr(p2, one) != NULL);
		}
		CHECK_INT(seen, 25);
	}
	search_close(s);
}

/*
 * Any text a reader types is a query (issue 13): FTS5's operators and
 * punctuation are words or nothing, never syntax. A query without a
 * word has no hits and is no error. want: the hits; NULL: any hits.
 */
static void
test_hostile(const char *dbpath)
{
	static const struct {
		const char	*q;
		const char	*want;
	} cases[] = {
		/* the reports: /search?*, ?%22, ?%5E, ?( */
		{ "*", "" },
		{ "\"", "" },
		{ "^", "" },
		{ "(", "" },
		/* no word at all */
		{ ")", "" }, { "\"\"", "" }, { "\"\"\"", "" },
		{ "\"\" *", "" }, { "* * *", "" }, { "**", "" },
		{ "-", "" }, { "+", "" }, { ":", "" }, { ",", "" },
		{ ";", "" }, { "{}", "" }, { "[]", "" }, { "()", "" },
		{ "!!! ---", "" }, { "...", "" }, { "\xe2\x80\xa6", "" },
		{ "\xe2\x80\x9c\xe2\x80\x9d", "" }, { "\xe2\x80\x9e", "" },
		{ "\xcc\x81", "" }, { "\xc2\xa0", "" }, { "   ", "" },
		{ "\t", "" }, { "\\", "" }, { "'", "" }, { "`", "" },
		{ "%", "" }, { "#", "" }, { "=>", "" }, { "&", "" },
		{ "/", "" }, { "?", "" }, { "@", "" }, { "|", "" },
		{ "\x01", "" }, { "\x7f", "" },
		/* operators are words: "and" is in a body */
		{ "AND", "/en/short" },
		{ "and", "/en/short" },
		{ "OR", "" }, { "NOT", "" }, { "NEAR", "" },
		{ "AND OR", "" },
		/* syntax around words: the words are searched */
		{ "dai*", "/thoi-su/dai-hoi" },
		{ "\"chi bo", "/thoi-su/dai-hoi" },
		{ "chi bo\"", "/thoi-su/bo-chi /thoi-su/dai-hoi" },
		{ "(dai hoi)", "/thoi-su/dai-hoi" },
		{ "^dai", "/thoi-su/dai-hoi" },
		{ "dai^", "/thoi-su/dai-hoi" },
		{ "+dai -hoi", "/thoi-su/dai-hoi" },
		{ "{dai} [hoi]", "/thoi-su/dai-hoi" },
		{ "\"dai hoi\"*", "/thoi-su/dai-hoi" },
		{ "Đảng!!!", "/thoi-su/dai-hoi /thoi-su/khong-dau" },
		{ "\xc2\xabspain\xc2\xbb", "/en/spain" },
		{ "spain.", "/en/spain" },
		{ "*spain", "/en/spain" },
		{ "spain:", "/en/spain" },
		{ "title:dai", "" },
		{ "NEAR(dai hoi)", "" },
		{ "dai NEAR/2 hoi", "" },
		{ "dai AND hoi", "" },
		{ "\"spain\" OR \"rain\"", "" },
		{ "'; DROP TABLE fts; --", "" },
		/* anything else, as long as it answers */
		{ "\"*\"", NULL }, { "*\"\"*", NULL }, { "a\"b\"c\"", NULL },
		{ "\xf0\x9f\x8e\x89", NULL }, { "\xe2\x80\x8b", NULL },
		{ "\xef\xbb\xbf", NULL }, { "\xe2\x80\xa8", NULL },
		{ "%22%5E%28", NULL }, { "x NEAR/2", NULL },
		{ "\xe1\xba\xa1*", NULL }, { "\xef\xbc\x8a", NULL },
	};
	struct search		*s;
	struct search_hit	*h;
	char			 err[256], q[SEARCH_QUERY_MAX + 1];
	const char		*e, *got;
	size_t			 i, n, total;

	s = search_open(dbpath, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = NULL;
		got = run(s, cases[i].q, 1, &total, &e);
		if (e != NULL || (cases[i].want != NULL &&
		    strcmp(got, cases[i].want) != 0))
			fprintf(stderr, "hostile query [%s]\n", cases[i].q);
		CHECK(e == NULL);
		if (cases[i].want != NULL)
			CHECK_STR(got, cases[i].want);
	}
	/* no word: no hits, a total of 0, and no error, on any page */
	CHECK_INT(search_query_with(s, fake_resolve, NULL, "* ( ^", 2, &h,
	    &n, &total, &e), 0);
	CHECK(h == NULL && n == 0 && total == 0 && e == NULL);
	/* as long as the reader may type, and all of it punctuation */
	memset(q, '*', SEARCH_QUERY_MAX);
	q[SEARCH_QUERY_MAX] = '\0';
	CHECK_STR(run(s, q, 1, &total, &e), "");
	CHECK(e == NULL);
	memset(q, '"', SEARCH_QUERY_MAX);
	CHECK_STR(run(s, q, 1, &total, &e), "");
	CHECK(e == NULL);
	/* a handle whose database is not open yet is not opened for it */
	search_close(s);
	s = search_lazy("/nonexistent/catalog.db");
	CHECK_INT(search_query_with(s, fake_resolve, NULL, "\"", 1, &h, &n,
	    &total, &e), 0);
	CHECK_INT(search_query_with(s, fake_resolve, NULL, "dai", 1, &h, &n,
	    &total, &e), -1);
	CHECK_STR(e, "search unavailable");
	search_close(s);
}

static void
build_catalog(const char *dbpath)
{
	struct catalog	*cat;
	char		 err[256], title[64], body[128];
	size_t		 i;

	cat = catalog_open(dbpath, err, sizeof(err));
	CHECK(cat != NULL);
	if (cat == NULL)
		return;
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < NFAKES; i++) {
		fakes[i].art.path = fake_path_set((uint32_t)i, fakes[i].path);
		CHECK_INT(put_fake(cat, fakes[i].path, fakes[i].title,
		    fakes[i].body, 1590000000 + (long long)i), 0);
	}
	for (i = 0; i < 25; i++) {
		snprintf(page_paths[i], sizeof(page_paths[i]), "/p/trang-%zu",
		    i);
		page_arts[i].path = fake_path_set(100 + (uint32_t)i,
		    page_paths[i]);
		snprintf(title, sizeof(title), "Trang %zu", i);
		snprintf(body, sizeof(body), "Nội dung số %zu.\n", i);
		CHECK_INT(put_fake(cat, page_paths[i], title, body,
		    1600000000 + (long long)i), 0);
	}
	/* a put of the same source replaces it, in the index too */
	CHECK_INT(put_fake(cat, "/en/short", "Short news",
	    "Short items: weather, sports, and the weather again.\n",
	    1590000005), 0);
	CHECK_INT(catalog_end(cat), 0);
	catalog_close(cat);
}

/*
 * Scans: the generation, unchanged files, removal.
 */

static char		 any_path[] = "/any";
static struct article	 any_art;

static const struct article *
fake_resolve_any(void *arg, const char *urlpath, const char *src)
{
	(void)arg;
	(void)urlpath;
	(void)src;
	any_art.path = fake_path_set(200, any_path);
	return &any_art;
}

static size_t
count_hits(const char *dbpath, const char *q)
{
	struct search		*s;
	struct search_hit	*h;
	char			 err[256];
	const char		*e;
	size_t			 n, total = 0;

	if ((s = search_open(dbpath, err, sizeof(err))) == NULL)
		return (size_t)-1;
	if (search_query_with(s, fake_resolve_any, NULL, q, 1, &h, &n,
	    &total, &e) == -1)
		total = (size_t)-1;
	else
		search_hits_free(h, n);
	search_close(s);
	return total;
}

static void
test_generation(const char *dir)
{
	struct catalog		*cat;
	struct article_meta	 m;
	char			 db[512], err[256];

	join(db, dir, "gen.db");
	cat = catalog_open(db, err, sizeof(err));
	CHECK(cat != NULL);
	if (cat == NULL)
		return;
	CHECK_INT(catalog_begin(cat), 0);
	CHECK_INT(put_fake(cat, "/g/a", "Gentest a", "alpha gentest\n", 10), 0);
	CHECK_INT(put_fake(cat, "/g/b", "Gentest b", "beta gentest\n", 20), 0);
	CHECK_INT(put_fake(cat, "/g/c", "Gentest c", "gamma gentest\n", 30),
	    0);
	CHECK_INT(catalog_end(cat), 0);
	CHECK_INT(count_hits(db, "gentest"), 3);
	CHECK_INT(count_hits(db, "gamma"), 1);

	/* the next scan sees a and b unchanged, and no c */
	CHECK_INT(catalog_begin(cat), 0);
	CHECK_INT(catalog_get(cat, "g/a.gmi", 14, 10, &m), 1);
	CHECK_STR(m.title, "Gentest a");
	/* no author: an article's page reads it again */
	CHECK(m.author == NULL && m.summary == NULL && m.tags == NULL);
	CHECK_INT(m.date, 10);
	CHECK_INT(m.has_date, 1);
	CHECK_INT(m.has_time, 0);
	article_meta_free(&m);
	CHECK_INT(catalog_get(cat, "g/b.gmi", 13, 20, &m), 1);
	article_meta_free(&m);
	/* changed size or mtime, or unknown: 0, and meta stays empty */
	CHECK_INT(catalog_get(cat, "g/b.gmi", 13, 21, &m), 0);
	CHECK(m.title == NULL);
	CHECK_INT(catalog_get(cat, "g/b.gmi", 99, 20, &m), 0);
	CHECK_INT(catalog_get(cat, "g/zzz.gmi", 1, 1, &m), 0);
	CHECK_INT(catalog_end(cat), 0);
	CHECK_INT(count_hits(db, "gentest"), 2);
	CHECK_INT(count_hits(db, "gamma"), 0);
	catalog_close(cat);

	/* it persists; a scan that sees nothing empties it */
	cat = catalog_open(db, err, sizeof(err));
	CHECK(cat != NULL);
	if (cat == NULL)
		return;
	CHECK_INT(catalog_begin(cat), 0);
	CHECK_INT(catalog_get(cat, "g/c.gmi", 15, 30, &m), 0);
	CHECK_INT(catalog_get(cat, "g/a.gmi", 14, 10, &m), 1);
	article_meta_free(&m);
	CHECK_INT(catalog_end(cat), 0);
	CHECK_INT(count_hits(db, "gentest"), 1);
	/* an aborted scan changes nothing */
	CHECK_INT(catalog_begin(cat), 0);
	CHECK_INT(put_fake(cat, "/g/d", "Gentest d", "delta gentest\n", 40),
	    0);
	catalog_abort(cat);
	CHECK_INT(count_hits(db, "gentest"), 1);
	CHECK_INT(count_hits(db, "delta"), 0);
	CHECK_INT(catalog_begin(cat), 0);
	CHECK_INT(catalog_end(cat), 0);
	CHECK_INT(count_hits(db, "gentest"), 0);
	catalog_close(cat);
}

/* A restart of a big site: every unchanged entry comes from the
 * catalog, none is read again. */
static void
test_rescan(const char *dir)
{
	struct catalog		*cat;
	struct article_meta	 m;
	struct timespec		 t0, t1;
	char			 db[512], err[256], path[64], title[64];
	int			 i, ones = 0, titles = 0;

	join(db, dir, "rescan.db");
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/r/bai-%d", i);
		snprintf(title, sizeof(title), "Bài số %d", i);
		if (put_fake(cat, path, title, "Nội dung bài viết.\n",
		    1500000000 + i) != 0)
			break;
	}
	CHECK_INT(i, 1000);
	CHECK_INT(catalog_end(cat), 0);
	catalog_close(cat);

	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "r/bai-%d.gmi", i);
		snprintf(title, sizeof(title), "Bài số %d", i);
		if (catalog_get(cat, path, (long long)strlen(
		    "Nội dung bài viết.\n"), 1500000000 + i, &m) == 1)
			ones++;
		if (m.title != NULL && strcmp(m.title, title) == 0)
			titles++;
		article_meta_free(&m);
	}
	CHECK_INT(catalog_end(cat), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_INT(ones, 1000);
	CHECK_INT(titles, 1000);
	CHECK_INT(count_hits(db, "bai"), 1000);
	fprintf(stderr, "rescan of 1000 entries: %.1f ms\n",
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	catalog_close(cat);
}

/*
 * One article edited again and again, its text long enough to be kept
 * packed: each put takes the old text out of the index with the values
 * it went in with, while the new one waits packed to be stored. The
 * catalog is never found damaged (moved aside), and finds the last
 * title and no other.
 */
static void
test_edits(const char *dir)
{
	struct catalog	*cat;
	struct stat	 sb;
	char		 db[512], aside[600], err[256], title[64], body[2048];
	size_t		 i;
	int		 round;

	join(db, dir, "edits.db");
	snprintf(aside, sizeof(aside), "%s.damaged", db);
	body[0] = '\0';
	for (i = 0; i < 20; i++)
		strncat(body, "Tiếng trống trường vang lên, năm học mới. ",
		    sizeof(body) - strlen(body) - 1);
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	for (round = 0; round < 4; round++) {
		snprintf(title, sizeof(title), "Lần sửa thứ %c", 'a' + round);
		CHECK_INT(round == 0 ? catalog_begin(cat) :
		    catalog_begin_partial(cat), 0);
		CHECK_INT(put_fake(cat, "/sua", title, body, 1500000000 + round),
		    0);
		CHECK_INT(put_fake(cat, "/khac", "Bài khác", body, 1500000000),
		    0);
		CHECK_INT(catalog_end(cat), 0);
		while (catalog_tidy(cat, 1) == 1)
			;
		CHECK(stat(aside, &sb) == -1);
		snprintf(title, sizeof(title), "%c", 'a' + round);
		CHECK_INT(count_hits(db, title), 1);
		CHECK_INT(count_hits(db, "trống"), 2);
	}
	CHECK_INT(count_hits(db, "a"), 0);
	catalog_close(cat);
}

/*
 * catalog_tidy: the index's segments merged between scans. A segment's
 * pages are the rows of fts_data whose id has the segment's number in
 * bits 37 and up (FTS5's format); the structure record is id 10.
 */
static long long
segments(const char *db)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	long long	 n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, "SELECT count(DISTINCT id >> 37)"
	    " FROM fts_data WHERE id > 10", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return n;
}

/* steps until catalog_tidy says the index is compact (-1: never) */
static int
tidy_all(struct catalog *cat)
{
	int	 steps, r;

	for (steps = 0; steps < 10000; steps++)
		if ((r = catalog_tidy(cat, 1)) != 1)
			return r == 0 ? steps : -1;
	return -1;
}

static void
test_tidy(const char *dir)
{
	static const struct {
		const char	*name;
		int		 n;		/* articles */
		int		 stride;	/* date order of the puts */
		int		 more;		/* segments before, at least */
		int		 after;		/* and after, at most */
	} cases[] = {
		/* newest first, the FTS rowids' order (catalog.h): one
		 * segment, merged with the first's */
		{ "descending", 40, -1, 2, 1 },
		/* categories one after the other */
		{ "interleaved", 60, 7, 6, 2 },
		/* in date order: every put starts a segment */
		{ "ascending", 40, 1, 10, 2 },
	};
	static const char *const queries[] = {
		"bài", "nội dung", "số 7", "thứ*", "không có từ này",
	};
	struct catalog	*cat;
	char		 db[512], err[256], path[64], title[64], name[64];
	size_t		 i, j, was[5];
	long long	 before;
	int		 k, idx, steps;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "tidy-%s.db", cases[i].name);
		join(db, dir, name);
		if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
			CHECK(cat != NULL);
			continue;
		}
		/* a first build makes one segment in date order: the puts
		 * below are a scan of an existing catalog */
		CHECK_INT(catalog_begin(cat), 0);
		CHECK_INT(put_fake(cat, "/t/dau", "Khởi đầu", "Trước đó.\n",
		    1400000000), 0);
		CHECK_INT(catalog_end(cat), 0);
		CHECK_INT(segments(db), 1);
		CHECK_INT(catalog_begin_partial(cat), 0);
		for (k = 0; k < cases[i].n; k++) {
			idx = cases[i].stride == -1 ? cases[i].n - 1 - k :
			    (k * cases[i].stride) % cases[i].n;
			snprintf(path, sizeof(path), "/t/bai-%d", idx);
			snprintf(title, sizeof(title), "Bài số %d", idx);
			CHECK_INT(put_fake(cat, path, title, idx % 2 ?
			    "Nội dung thứ nhất.\n" : "Nội dung thứ hai.\n",
			    1500000000 + 86400LL * idx), 0);
		}
		CHECK_INT(catalog_end(cat), 0);
		before = segments(db);
		for (j = 0; j < 5; j++)
			was[j] = count_hits(db, queries[j]);
		steps = tidy_all(cat);
		if (before < cases[i].more || segments(db) > cases[i].after)
			fprintf(stderr, "tidy %s: %lld segments, then %lld "
			    "after %d steps\n", cases[i].name, before,
			    segments(db), steps);
		CHECK(before >= cases[i].more);
		CHECK(segments(db) <= cases[i].after);
		CHECK(steps >= 0);
		CHECK(before > 1 ? steps > 0 : steps == 0);
		/* the same hits, and nothing more to do */
		for (j = 0; j < 5; j++)
			CHECK_INT(count_hits(db, queries[j]), was[j]);
		CHECK_INT(catalog_tidy(cat, 1), 0);

		/* one article more, in a segment of its own */
		CHECK_INT(catalog_begin_partial(cat), 0);
		CHECK_INT(put_fake(cat, "/t/moi", "Bài mới", "Nội dung mới.\n",
		    1400000000), 0);
		CHECK_INT(catalog_end(cat), 0);
		/* it stays on a level of its own (FTS5 sorts segments into
		 * levels by size): at most one segment more */
		CHECK(tidy_all(cat) >= 0);
		CHECK(segments(db) <= cases[i].after + 1);
		CHECK_INT(count_hits(db, "bài"), was[0] + 1);
		CHECK_INT(count_hits(db, "mới"), 1);
		catalog_close(cat);
	}
	/* no catalog: nothing to do */
	CHECK_INT(catalog_tidy(NULL, 1), 0);
}

/*
 * The order of hits: every word in the title, some there, none there;
 * newest first within each; pages across the tiers; the capped total;
 * keys that follow the date.
 */

static struct article	 ring_arts[64];
static char		 ring_paths[64][64];
static size_t		 ring_next;

/* Any row is in the site, under its own path. */
static const struct article *
ring_resolve(void *arg, const char *urlpath, const char *src)
{
	struct article	*a = &ring_arts[ring_next % 64];

	(void)arg;
	(void)src;
	snprintf(ring_paths[ring_next % 64], sizeof(ring_paths[0]), "%s",
	    urlpath);
	a->path = fake_path_set(210 + (uint32_t)(ring_next % 64),
	    ring_paths[ring_next % 64]);
	ring_next++;
	return a;
}

/* The hits of one page, space-separated; "error: ..." on failure. */
static char *
ring_run(const char *db, const char *q, int page, size_t *total)
{
	static char		 out[4096];
	struct search		*s;
	struct search_hit	*h;
	char			 err[256];
	const char		*e = NULL;
	size_t			 n, i;

	out[0] = '\0';
	if ((s = search_open(db, err, sizeof(err))) == NULL) {
		snprintf(out, sizeof(out), "error: %s", err);
		return out;
	}
	if (search_query_with(s, ring_resolve, NULL, q, page, &h, &n, total,
	    &e) == -1)
		snprintf(out, sizeof(out), "error: %s", e ? e : "?");
	else {
		for (i = 0; i < n; i++) {
			if (i > 0)
				strncat(out, " ", sizeof(out) - strlen(out) - 1);
			strncat(out, art_path(h[i].art),
			    sizeof(out) - strlen(out) - 1);
		}
		search_hits_free(h, n);
	}
	search_close(s);
	return out;
}

static void
test_rank(const char *dir)
{
	static const struct {
		const char	*path, *title, *body;
		long long	 date;
	} arts[] = {
		/* every word in the title, old and older */
		{ "/a", "Hội nghị tiêm vắc xin", "Báo cáo.", 1000000 },
		{ "/d", "Hội nghị tổng kết tiêm chủng vắc xin", "Báo cáo.",
		    2000000 },
		/* some words in the title */
		{ "/b", "Tiêm vắc xin mùa thu", "Sau hội nghị.", 3000000 },
		/* in the body only, the newest */
		{ "/c", "Tin ngắn", "Hội nghị về tiêm vắc xin.", 5000000 },
		/* not every word: no hit */
		{ "/e", "Hội nghị", "Không có gì.", 6000000 },
	};
	static const struct {
		const char	*q, *want;
		size_t		 total;
	} cases[] = {
		{ "hội nghị vắc xin", "/d /a /b /c", 4 },
		{ "hoi nghi vac xin", "/d /a /b /c", 4 },
		{ "\"tiêm vắc xin\"", "/b /a /c", 3 },
		{ "vắc*", "/b /d /a /c", 4 },
		{ "hội nghị", "/e /d /a /c /b", 5 },
		{ "báo cáo", "/d /a", 2 },
		{ "\"vắc tiêm\"", "", 0 },
		/* tiers by title, not by how often a word appears */
		{ "hoi", "/e /d /a /c /b", 5 },
	};
	struct catalog	*cat;
	char		 db[512], err[256];
	const char	*got;
	size_t		 i, total;

	join(db, dir, "rank.db");
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	CHECK_INT(catalog_begin(cat), 0);
	/* stored out of date order: the order comes from the dates */
	for (i = 0; i < sizeof(arts) / sizeof(arts[0]); i++)
		CHECK_INT(put_fake(cat, arts[i].path, arts[i].title,
		    arts[i].body, arts[i].date), 0);
	CHECK_INT(catalog_end(cat), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		total = 99;
		got = ring_run(db, cases[i].q, 1, &total);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "rank [%s]\n", cases[i].q);
		CHECK_STR(got, cases[i].want);
		CHECK_INT(total, cases[i].total);
	}

	/* a new date moves an article, and leaves no copy behind */
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < sizeof(arts) / sizeof(arts[0]); i++)
		CHECK_INT(put_fake(cat, arts[i].path, arts[i].title,
		    arts[i].body, strcmp(arts[i].path, "/a") == 0 ? 9000000 :
		    arts[i].date), 0);
	CHECK_INT(catalog_end(cat), 0);
	CHECK_STR(ring_run(db, "hội nghị vắc xin", 1, &total), "/a /d /b /c");
	CHECK_INT(total, 4);
	catalog_close(cat);
}

/* Pages across the tiers, and a total counted only so far. */
static void
test_pages(const char *dir)
{
	struct catalog	*cat;
	char		 db[512], err[256], path[64], title[64], want[4096];
	char		 one[16];
	const char	*got;
	size_t		 total;
	int		 i, page;

	join(db, dir, "tierpages.db");
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	/*
	 * 45 articles a minute apart, /p0 the oldest: every third has
	 * "trống" in its title, the others in the body. Then 15 title
	 * hits (newest first), then 30 body hits.
	 */
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < 45; i++) {
		snprintf(path, sizeof(path), "/p%d", i);
		snprintf(title, sizeof(title), i % 3 == 0 ? "Trống %d" :
		    "Bài %d", i);
		CHECK_INT(put_fake(cat, path, title, i % 3 == 0 ? "Nội dung." :
		    "Tiếng trống trường.", 1600000000 + 60LL * i), 0);
	}
	CHECK_INT(catalog_end(cat), 0);
	for (page = 1; page <= 4; page++) {
		int	 k, rank;

		want[0] = '\0';
		for (k = 0; k < SEARCH_PER_PAGE; k++) {
			rank = (page - 1) * SEARCH_PER_PAGE + k;
			if (rank >= 45)
				break;
			/* title hits 42, 39, ..., 0; then body hits 44, 43,
			 * 41, 40, ... */
			if (rank < 15)
				i = 42 - 3 * rank;
			else {
				int	 b = rank - 15;

				i = 44 - (b / 2) * 3 - b % 2;
			}
			snprintf(one, sizeof(one), "%s/p%d", k ? " " : "", i);
			strncat(want, one, sizeof(want) - strlen(want) - 1);
		}
		got = ring_run(db, "trống", page, &total);
		CHECK_STR(got, want);
		CHECK_INT(total, 45);
	}

	/*
	 * Past SEARCH_TOTAL_MAX: counted to one more, served to the max,
	 * and ranked tier by tier (not in one sort) in the same order:
	 * every 100th has the word in its title.
	 */
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < SEARCH_TOTAL_MAX + 10; i++) {
		snprintf(path, sizeof(path), "/m%d", i);
		if (put_fake(cat, path, i % 100 == 0 ? "Nhiều" : "Bài",
		    "Rất nhiều bài.", 1500000000 + i) != 0)
			break;
	}
	CHECK_INT(i, SEARCH_TOTAL_MAX + 10);
	CHECK_INT(catalog_end(cat), 0);
	for (page = 1; page <= SEARCH_TOTAL_MAX / SEARCH_PER_PAGE + 1;
	    page += page < 3 ? 1 : 24) {
		int	 k, rank, j;

		want[0] = '\0';
		for (k = 0; k < SEARCH_PER_PAGE; k++) {
			rank = (page - 1) * SEARCH_PER_PAGE + k;
			if (rank >= SEARCH_TOTAL_MAX)
				break;
			/* 11 title hits, /m1000 to /m0; then the rest */
			if (rank < 11)
				i = 1000 - 100 * rank;
			else
				for (i = SEARCH_TOTAL_MAX + 10, j = 11; j <= rank;
				    j++)
					while (--i % 100 == 0)
						;
			snprintf(one, sizeof(one), "%s/m%d", k ? " " : "", i);
			strncat(want, one, sizeof(want) - strlen(want) - 1);
		}
		got = ring_run(db, "nhiều", page, &total);
		if (strcmp(got, want) != 0)
			fprintf(stderr, "page %d\n", page);
		CHECK_STR(got, want);
		CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
	}
	CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
	catalog_close(cat);
}

/*
 * A catalog of SEARCH_TOTAL_MAX + 10 articles, /<letter>0 the oldest, a
 * second apart, one body for all: title0 in the title of every 100th
 * from the first, title50 of every 100th from the 50th, "Bài" in the
 * others'. 0, or -1 (and a failed check).
 */
static int
fill_big(const char *db, char letter, const char *title0,
    const char *title50, const char *body)
{
	struct catalog	*cat;
	char		 err[256], path[64];
	const char	*title;
	int		 i;

	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return -1;
	}
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < SEARCH_TOTAL_MAX + 10; i++) {
		snprintf(path, sizeof(path), "/%c%d", letter, i);
		title = i % 100 == 0 ? title0 : i % 100 == 50 ? title50 :
		    "Bài";
		if (put_fake(cat, path, title, body, 1500000000 +
		    (long long)i) != 0)
			break;
	}
	CHECK_INT(i, SEARCH_TOTAL_MAX + 10);
	CHECK_INT(catalog_end(cat), 0);
	catalog_close(cat);
	return i == SEARCH_TOTAL_MAX + 10 ? 0 : -1;
}

/*
 * Past SEARCH_TOTAL_MAX the first tier comes from the titles' index,
 * which knows nothing of the body: its hits' excerpts are cut where the
 * words are in the body all the same, as the other tiers' are (every
 * body here is the same, so every excerpt is). Words, a phrase and a
 * prefix; one title in a hundred has them.
 */
static void
test_title_excerpt(const char *dir)
{
	static const char *const queries[] = {
		"trống", "\"trống trường\"", "trườ*", "TRƯỜNG trống",
	};
	struct search		*s;
	struct search_hit	*h;
	char			 db[512], err[256];
	const char		*e;
	size_t			 i, n, total;

	join(db, dir, "titleexcerpt.db");
	if (fill_big(db, 't', "Trống trường", "Bài",
	    "Sáng nay, học sinh cả phường tập trung ở sân để nghe "
	    "thầy hiệu trưởng đọc thư. Rồi tiếng trống trường vang "
	    "lên, năm học mới bắt đầu.") == -1)
		return;
	if ((s = search_open(db, err, sizeof(err))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		if (search_query_with(s, ring_resolve, NULL, queries[i], 1, &h,
		    &n, &total, &e) == -1) {
			CHECK(0);
			continue;
		}
		CHECK_INT(n, SEARCH_PER_PAGE);
		CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
		if (n == SEARCH_PER_PAGE) {
			/* hit 0 from the titles' index, hit 19 not */
			CHECK_STR(art_path(h[0].art), "/t1000");
			CHECK_STR(h[0].excerpt, h[19].excerpt);
			CHECK(strncmp(h[0].excerpt, "\xe2\x80\xa6", 3) == 0);
			CHECK(strstr(h[0].excerpt, "trống trường") != NULL);
		}
		search_hits_free(h, n);
	}
	search_close(s);
}

/*
 * Past SEARCH_TOTAL_MAX, two words, each tier asked on its own: every
 * word in the title (the titles' index), some (only where a title has
 * some: here one in a hundred), none.
 */
static void
test_tiers_big(const char *dir)
{
	char		 db[512];
	size_t		 total;

	join(db, dir, "tiersbig.db");
	if (fill_big(db, 'g', "Trống trường", "Trống",
	    "Tiếng trống trường vang.") == -1)
		return;
	CHECK_STR(ring_run(db, "trống trường", 1, &total),
	    "/g1000 /g900 /g800 /g700 /g600 /g500 /g400 /g300 /g200 /g100 "
	    "/g0 /g950 /g850 /g750 /g650 /g550 /g450 /g350 /g250 /g150");
	CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
	CHECK_STR(ring_run(db, "trống trường", 2, &total),
	    "/g50 /g1009 /g1008 /g1007 /g1006 /g1005 /g1004 /g1003 /g1002 "
	    "/g1001 /g999 /g998 /g997 /g996 /g995 /g994 /g993 /g992 /g991 "
	    "/g990");
	/* "bài" is in titles only: the "Bài" articles, some of the words
	 * in their titles */
	CHECK_STR(ring_run(db, "trường trống bài", 1, &total),
	    "/g1009 /g1008 /g1007 /g1006 /g1005 /g1004 /g1003 /g1002 /g1001 "
	    "/g999 /g998 /g997 /g996 /g995 /g994 /g993 /g992 /g991 /g990 "
	    "/g989");
	CHECK_STR(ring_run(db, "tiếng trống", 1, &total),
	    "/g1000 /g950 /g900 /g850 /g800 /g750 /g700 /g650 /g600 /g550 "
	    "/g500 /g450 /g400 /g350 /g300 /g250 /g200 /g150 /g100 /g50");
	/* no title has any of them: the last tier only */
	CHECK_STR(ring_run(db, "tiếng vang", 2, &total),
	    "/g989 /g988 /g987 /g986 /g985 /g984 /g983 /g982 /g981 /g980 "
	    "/g979 /g978 /g977 /g976 /g975 /g974 /g973 /g972 /g971 /g970");
	CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
}

/*
 * More articles in one minute than it has slots (CATALOG_KEY_SLOTS):
 * a bulk copy of undated files. Each still gets a key of its own.
 */
static void
test_keys(const char *dir)
{
	struct catalog	*cat;
	char		 db[512], err[256], path[64], body[64], q[64];
	size_t		 total;
	int		 i, ok = 0;

	join(db, dir, "keys.db");
	if ((cat = catalog_open(db, err, sizeof(err))) == NULL) {
		CHECK(cat != NULL);
		return;
	}
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < CATALOG_KEY_SLOTS + 50; i++) {
		snprintf(path, sizeof(path), "/k/%d", i);
		snprintf(body, sizeof(body), "chung rieng%d", i);
		if (put_fake(cat, path, "Cùng phút", body, 1700000000) != 0)
			break;
	}
	CHECK_INT(i, CATALOG_KEY_SLOTS + 50);
	/* and one a minute later, stored after them */
	CHECK_INT(put_fake(cat, "/k/later", "Cùng phút", "chung sau",
	    1700000060), 0);
	CHECK_INT(catalog_end(cat), 0);
	for (i = 0; i < CATALOG_KEY_SLOTS + 50; i += 97) {
		snprintf(q, sizeof(q), "rieng%d", i);
		snprintf(path, sizeof(path), "/k/%d", i);
		if (strcmp(ring_run(db, q, 1, &total), path) == 0 &&
		    total == 1)
			ok++;
	}
	CHECK_INT(ok, (CATALOG_KEY_SLOTS + 50 + 96) / 97);
	CHECK_STR(ring_run(db, "rieng4145", 1, &total), "/k/4145");
	CHECK(strncmp(ring_run(db, "chung", 1, &total), "/k/later /k/4145 ",
	    17) == 0);
	CHECK_INT(total, SEARCH_TOTAL_MAX + 1);
	catalog_close(cat);
}

static int
write_file(const char *path, const void *data, size_t len)
{
	FILE	*fp;
	size_t	 n;

	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	n = fwrite(data, 1, len, fp);
	if (fclose(fp) != 0 || n != len)
		return -1;
	return 0;
}

static int
exists(const char *dir, const char *name)
{
	struct stat	 st;
	char		 p[512];

	return stat(join(p, dir, name), &st) == 0;
}

/* The catalog still works after a rebuild: one put, one get. */
static int
usable(struct catalog *cat)
{
	struct article_meta	 m;
	int			 r;

	if (catalog_begin(cat) != 0 ||
	    put_fake(cat, "/u/x", "Usable", "usable\n", 1) != 0 ||
	    catalog_end(cat) != 0 || catalog_begin(cat) != 0)
		return 0;
	r = catalog_get(cat, "u/x.gmi", 7, 1, &m);
	article_meta_free(&m);
	return catalog_end(cat) == 0 && r == 1;
}

static void
test_damaged(const char *dir)
{
	struct catalog		*cat;
	struct article_meta	 m;
	struct search		*s;
	sqlite3			*db;
	char			 path[512], err[256], junk[8192], title[64];
	size_t			 i;
	int			 fd;

	/* garbage */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	join(path, dir, "junk.db");
	CHECK_INT(write_file(path, junk, sizeof(junk)), 0);
	/* search on a damaged file fails cleanly, it does not crash */
	s = search_open(path, err, sizeof(err));
	if (s != NULL) {
		CHECK_INT(count_hits(path, "x"), (size_t)-1);
		search_close(s);
	}
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL);
	CHECK(exists(dir, "junk.db.damaged"));
	if (cat != NULL) {
		CHECK(usable(cat));
		catalog_close(cat);
	}
	CHECK_INT(count_hits(path, "usable"), 1);

	/* text that starts like SQLite */
	memcpy(junk, "SQLite format 3", 16);
	join(path, dir, "head.db");
	CHECK_INT(write_file(path, junk, sizeof(junk)), 0);
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL && usable(cat));
	catalog_close(cat);
	CHECK(exists(dir, "head.db.damaged"));

	/* an empty file is a new catalog, not damage */
	join(path, dir, "empty.db");
	CHECK_INT(write_file(path, "", 0), 0);
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL && usable(cat));
	catalog_close(cat);
	CHECK(!exists(dir, "empty.db.damaged"));

	/* someone else's database */
	join(path, dir, "foreign.db");
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE article (x);"
	    " INSERT INTO article VALUES (1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL && usable(cat));
	catalog_close(cat);
	CHECK(exists(dir, "foreign.db.damaged"));

	/* an older schema version */
	join(path, dir, "old.db");
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL && usable(cat));
	catalog_close(cat);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL);
	CHECK(exists(dir, "old.db.damaged"));
	if (cat != NULL) {
		CHECK_INT(catalog_begin(cat), 0);
		CHECK_INT(catalog_get(cat, "u/x.gmi", 7, 1, &m), 0);
		CHECK_INT(catalog_end(cat), 0);
		catalog_close(cat);
	}

	/* damaged pages in a real catalog */
	join(path, dir, "pages.db");
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL);
	if (cat == NULL)
		return;
	CHECK_INT(catalog_begin(cat), 0);
	for (i = 0; i < 300; i++) {
		snprintf(title, sizeof(title), "/d/bai-%zu", i);
		put_fake(cat, title, "Trang hỏng", "Nội dung dài dài dài dài"
		    " dài dài dài dài dài dài dài dài dài dài dài dài.\n",
		    (long long)i);
	}
	CHECK_INT(catalog_end(cat), 0);
	catalog_close(cat);
	memset(junk, 0x5a, sizeof(junk));
	if ((fd = open(path, O_WRONLY)) != -1) {
		CHECK(pwrite(fd, junk, sizeof(junk), 4096) ==
		    (ssize_t)sizeof(junk));
		CHECK(pwrite(fd, junk, sizeof(junk), 8 * 4096) ==
		    (ssize_t)sizeof(junk));
		close(fd);
	}
	cat = catalog_open(path, err, sizeof(err));
	CHECK(cat != NULL);
	CHECK(exists(dir, "pages.db.damaged"));
	if (cat != NULL) {
		CHECK(usable(cat));
		catalog_close(cat);
	}

	/* search needs an existing catalog; it never creates one */
	join(path, dir, "none.db");
	err[0] = '\0';
	CHECK(search_open(path, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
	CHECK(!exists(dir, "none.db"));

	/* only a folder that cannot hold the file is an error */
	join(path, dir, "no/such/dir/x.db");
	err[0] = '\0';
	CHECK(catalog_open(path, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
}

/*
 * The real thing: site_load() scanning a capsule with the catalog,
 * search_query() mapping hits through site_find().
 */

static const struct {
	const char	*name;
	const char	*text;
} capsule[] = {
	{ "thoi-su/2020-05-21-chi-bo-dai-hoi.gmi",
	    "title: Đại Hội Chi bộ khu phố 3\ndate: 2020-05-21 11:15\n"
	    "author: MỸ DUNG\n\nChi bộ khu phố 3 tổ chức đại hội Đảng bộ"
	    " phường.\n" },
	{ "thoi-su/2020-05-22-da-nang.gmi",
	    "title: Tin Đà Nẵng\n\nThành phố Đà Nẵng đón khách.\n" },
	{ "the-thao/bong-da.gmi",
	    "title: Bóng đá\n\nĐội bóng phường Bình Thạnh thắng.\n" },
};

static char *
site_run(struct search *s, const struct site *site, const char *q)
{
	static char		 out[1024];
	struct search_hit	*h;
	size_t			 n, total, i;
	const char		*e;

	out[0] = '\0';
	if (search_query(s, site, q, 1, &h, &n, &total, &e) == -1) {
		snprintf(out, sizeof(out), "error: %s", e);
		return out;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", sizeof(out) - strlen(out) - 1);
		strncat(out, site_article_path(site, h[i].art),
		    sizeof(out) - strlen(out) - 1);
	}
	search_hits_free(h, n);
	return out;
}

static void
test_site(const char *dir)
{
	struct catalog	*cat;
	struct search	*s;
	struct site	*site;
	char		 root[512], p[512], db[512], err[256];
	size_t		 i;
	int		 pass;

	join(root, dir, "capsule");
	join(db, dir, "site.db");
	mkdir(root, 0755);
	mkdir(join(p, root, "thoi-su"), 0755);
	mkdir(join(p, root, "the-thao"), 0755);
	for (i = 0; i < sizeof(capsule) / sizeof(capsule[0]); i++) {
		join(p, root, capsule[i].name);
		CHECK_INT(write_file(p, capsule[i].text,
		    strlen(capsule[i].text)), 0);
	}
	/* the first start reads everything, the second reads nothing */
	for (pass = 0; pass < 3; pass++) {
		if (pass == 2) {
			unlink(join(p, root, capsule[1].name));
		}
		cat = catalog_open(db, err, sizeof(err));
		CHECK(cat != NULL);
		site = site_load(root, cat, err, sizeof(err));
		CHECK(site != NULL);
		catalog_close(cat);
		if (site == NULL) {
			fprintf(stderr, "site_load: %s\n", err);
			return;
		}
		s = search_open(db, err, sizeof(err));
		CHECK(s != NULL);
		if (s == NULL) {
			site_free(site);
			return;
		}
		CHECK_STR(site_run(s, site, "dai hoi dang"),
		    "/thoi-su/2020-05-21-chi-bo-dai-hoi");
		CHECK_STR(site_run(s, site, "\"chi bo\""),
		    "/thoi-su/2020-05-21-chi-bo-dai-hoi");
		CHECK_STR(site_run(s, site, "binh thanh"), "/the-thao/bong-da");
		CHECK_STR(site_run(s, site, "Đà Nẵng"), pass < 2 ?
		    "/thoi-su/2020-05-22-da-nang" : "");
		CHECK_STR(site_run(s, site, "phường"),
		    "/the-thao/bong-da /thoi-su/2020-05-21-chi-bo-dai-hoi");
		search_close(s);
		site_free(site);
	}
}

/*
 * Tags are searched with the title and body: a tag's words find its
 * articles, with the excerpt from the body. A catalog from before tags
 * were indexed (version 6) is rebuilt, so its articles' tags are
 * found without an edit.
 */
static void
test_tags(const char *dir)
{
	static const struct {
		const char	*q, *want;
	} cases[] = {
		{ "giao thong nong thon", "/c/hop-dan" },
		{ "Đại hội", "/c/hop-dan" },
		{ "\"giao thông\"", "/c/hop-dan" },
		{ "kinh te", "/c/tin-khac" },	/* HTML keywords */
		{ "\"thong giao\"", "" },
		{ "lang", "/c/hop-dan" },
	};
	static const struct {
		const char	*name, *text;
	} files[] = {
		{ "c/hop-dan.gmi", "title: Họp dân\ntags: Đại hội, Giao thông "
		  "nông thôn\n\nNội dung về đường làng.\n" },
		{ "c/tin-khac.html", "<title>Tin khác</title><meta "
		  "name=\"keywords\" content=\"Kinh tế, chợ\"><p>Một tin."
		  "</p>\n" },
	};
	struct catalog		*cat;
	struct search		*s;
	struct site		*site;
	struct search_hit	*h;
	sqlite3			*db;
	const char		*e;
	char			 root[512], p[512], dbp[512], err[256];
	size_t			 i, n, total;
	int			 pass;

	join(root, dir, "tcapsule");
	join(dbp, dir, "tags.db");
	mkdir(root, 0755);
	mkdir(join(p, root, "c"), 0755);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CHECK_INT(write_file(join(p, root, files[i].name),
		    files[i].text, strlen(files[i].text)), 0);
	for (pass = 0; pass < 2; pass++) {
		if ((cat = catalog_open(dbp, err, sizeof(err))) == NULL ||
		    (site = site_load(root, cat, err, sizeof(err))) == NULL) {
			fprintf(stderr, "tags: %s\n", err);
			CHECK(0);
			catalog_close(cat);
			return;
		}
		catalog_close(cat);
		if ((s = search_open(dbp, err, sizeof(err))) == NULL) {
			CHECK(s != NULL);
			site_free(site);
			return;
		}
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (strcmp(site_run(s, site, cases[i].q),
			    cases[i].want) != 0)
				fprintf(stderr, "pass %d [%s]\n", pass,
				    cases[i].q);
			CHECK_STR(site_run(s, site, cases[i].q),
			    cases[i].want);
		}
		/* words only in the tags: the body from its start */
		CHECK_INT(search_query(s, site, "giao thong", 1, &h, &n, &total,
		    &e), 0);
		CHECK_INT(n, 1);
		if (n == 1)
			CHECK_STR(h[0].excerpt, "Nội dung về đường làng.");
		search_hits_free(h, n);
		search_close(s);
		site_free(site);
		if (pass == 1)
			break;
		/* as a catalog of version 6 was: no tags in the index */
		CHECK_INT(sqlite3_open(dbp, &db), SQLITE_OK);
		CHECK_INT(catalog_tokenizer_register(db), 0);
		CHECK_INT(sqlite3_exec(db, "DROP TABLE fts;"
		    " CREATE VIRTUAL TABLE fts USING fts5(title, body,"
		    " tokenize = 'bantin', prefix = '2 3');"
		    " INSERT INTO fts (rowid, title, body)"
		    " SELECT key, title, '' FROM article;"
		    " PRAGMA user_version = 6", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(void)
{
	char	 db[512];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_tokenizer();
	test_expr();
	join(db, tmpdir, "catalog.db");
	build_catalog(db);
	test_search(db);
	test_hostile(db);
	test_generation(tmpdir);
	test_rescan(tmpdir);
	test_edits(tmpdir);
	test_tidy(tmpdir);
	test_rank(tmpdir);
	test_pages(tmpdir);
	test_title_excerpt(tmpdir);
	test_tiers_big(tmpdir);
	test_keys(tmpdir);
	test_damaged(tmpdir);
	test_site(tmpdir);
	test_tags(tmpdir);
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return t_done("test_search");
}
