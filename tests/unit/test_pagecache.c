/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_pagecache: the page cache keeps what it is given, per snapshot,
 * protocol and key; cuts the hole marker out once; counts a hit and
 * fills the number of this moment; refuses pages it must not keep; and
 * stays inside its byte budget.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "counter.h"
#include "pagecache.h"
#include "t.h"

#define MARK	"BANTINSfeedc0de"	/* the site's visits */
#define MARKV	"BANTINVfeedc0de"	/* an article's views */

static const struct page_marks	 marks = { MARK, MARKV };
static const struct page_info	 plain = { 0, -1, PAGE_HOLE_NONE, NULL };
static const struct page_info	 site = { 1, -1, PAGE_HOLE_SITE, NULL };
static const struct page_info	 both = { 1, -1,
				    PAGE_HOLE_SITE | PAGE_HOLE_VIEWS, NULL };
/* a page in English on a Vietnamese site: its number in English */
static const struct page_info	 site_en = { 1, -1, PAGE_HOLE_SITE, "en" };

/*
 * What is kept, and what comes out of it: "@" in want stands for the
 * site counter after the hit, formatted in Vietnamese ("%": in
 * English), "~" for the views (of slot -1: none, 0).
 */
static void
test_put_emit(void)
{
	static const struct {
		const char		*data;
		const struct page_info	*info;
		int			 kept;
		const char		*want;
	} cases[] = {
		{ "20 text/gemini\r\n# Trang\n", &plain, 1,
		  "20 text/gemini\r\n# Trang\n" },
		{ "Số lượt truy cập: " MARK "\n=> /x/ X\n", &site, 1,
		  "Số lượt truy cập: @\n=> /x/ X\n" },
		{ MARK, &site, 1, "@" },
		{ "a " MARK "\n", &site, 1, "a @\n" },
		{ "Visits: " MARK "\n", &site_en, 1, "Visits: %\n" },
		/* a counter page rendered without the marker (no counter) */
		{ "Trang chủ\n", &site, 1, "Trang chủ\n" },
		/* twice: an article may not carry our marker */
		{ MARK " " MARK, &site, 0, NULL },
		/* a marker on a page that claims no hole */
		{ "x " MARK, &plain, 0, NULL },
		{ "", &plain, 1, "" },
		/* an article: its views and the site's visits, in either
		 * order, each once */
		{ "Xem: " MARKV "\nTruy cập: " MARK "\n", &both, 1,
		  "Xem: ~\nTruy cập: @\n" },
		{ MARK "|" MARKV, &both, 1, "@|~" },
		{ MARK MARKV, &both, 1, "@~" },
		{ "Xem: " MARKV "\n", &both, 1, "Xem: ~\n" },
		{ MARKV " " MARKV " " MARK, &both, 0, NULL },
		{ "x " MARKV " " MARK, &site, 0, NULL },
	};
	struct pagecache	*pc;
	const struct page_entry	*e;
	struct counter		*cnt;
	struct buf		 out = BUF_INIT, want = BUF_INIT;
	unsigned long long	 before;
	char			 file[64], err[256], num[32], en[32];
	const char		*p;
	size_t			 i;
	int			 n;

	snprintf(file, sizeof(file), "/tmp/test_pagecache.%ld",
	    (long)getpid());
	unlink(file);
	if ((cnt = counter_open(file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "counter_open: %s\n", err);
		CHECK(0);
		return;
	}
	for (n = 0; n < 1234; n++)
		counter_hit(cnt, -1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pc = pagecache_new(1 << 20, 64);
		e = pagecache_put(pc, 7, 0, "/k", cases[i].data,
		    strlen(cases[i].data), &marks, cases[i].info);
		CHECK_INT(e != NULL, cases[i].kept);
		CHECK_INT(pagecache_get(pc, 7, 0, "/k") != NULL,
		    cases[i].kept);
		if (e == NULL) {
			pagecache_free(pc);
			continue;
		}
		/* a hit counts the visit before it shows the number */
		before = counter_site(cnt);
		buf_reset(&out);
		buf_puts(&out, "");
		CHECK_INT(pagecache_emit(e, cnt, 1, "vi", &out), 0);
		CHECK_INT(counter_site(cnt), before + cases[i].info->count);
		counter_format(counter_site(cnt), "vi", num, sizeof(num));
		counter_format(counter_site(cnt), "en", en, sizeof(en));
		buf_reset(&want);
		buf_puts(&want, "");
		for (p = cases[i].want; *p != '\0'; p++)
			if (*p == '@')
				buf_puts(&want, num);
			else if (*p == '~')
				buf_putc(&want, '0');
			else if (*p == '%')
				buf_puts(&want, en);
			else
				buf_putc(&want, *p);
		CHECK_STR(out.data, want.data);
		CHECK_INT(out.len, want.len);
		/* emitted without counting: the same page, no new visit */
		buf_reset(&out);
		buf_puts(&out, "");
		CHECK_INT(pagecache_emit(e, cnt, 0, "vi", &out), 0);
		CHECK_STR(out.data, want.data);
		CHECK_INT(counter_site(cnt), before + cases[i].info->count);
		pagecache_free(pc);
	}
	CHECK_INT(counter_site(cnt), 1234 + 5 + 4);
	buf_free(&out);
	buf_free(&want);
	counter_free(cnt);
	unlink(file);
}

/* keys: snapshot, protocol and key must all match */
static void
test_keys(void)
{
	static const struct {
		unsigned long	 serial;
		int		 proto;
		const char	*key;
		int		 hit;
	} cases[] = {
		{ 3, 0, "1:/", 1 },
		{ 3, 1, "1:/", 0 },
		{ 4, 0, "1:/", 0 },
		{ 3, 0, "1:/?", 0 },
		{ 3, 0, "2:/a", 1 },
		{ 3, 0, "2:/b", 0 },
		{ 3, 0, "", 0 },
	};
	struct pagecache	*pc;
	const struct page_entry	*e;
	size_t			 i;

	pc = pagecache_new(1 << 20, 1024);
	CHECK(pagecache_put(pc, 3, 0, "1:/", "home", 4, NULL, &plain) != NULL);
	CHECK(pagecache_put(pc, 3, 0, "2:/a", "a", 1, NULL, &plain) != NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = pagecache_get(pc, cases[i].serial, cases[i].proto,
		    cases[i].key);
		CHECK_INT(e != NULL, cases[i].hit);
	}
	CHECK_INT(pagecache_count(pc), 2);
	/* a page of a new snapshot empties the cache */
	CHECK(pagecache_put(pc, 4, 1, "2:/b", "b", 1, NULL, &plain) != NULL);
	CHECK_INT(pagecache_count(pc), 1);
	CHECK(pagecache_get(pc, 3, 0, "1:/") == NULL);
	CHECK(pagecache_get(pc, 4, 1, "2:/b") != NULL);
	pagecache_free(pc);

	/* one slot: the newer page takes it */
	pc = pagecache_new(1 << 20, 1);
	CHECK(pagecache_put(pc, 1, 0, "x", "1", 1, NULL, &plain) != NULL);
	CHECK(pagecache_put(pc, 1, 0, "y", "2", 1, NULL, &plain) != NULL);
	CHECK(pagecache_get(pc, 1, 0, "x") == NULL);
	CHECK(pagecache_get(pc, 1, 0, "y") != NULL);
	CHECK_INT(pagecache_count(pc), 1);
	pagecache_free(pc);
	CHECK(pagecache_new(1024, 3) == NULL);	/* not a power of two */
	/* an empty page is a page */
	pc = pagecache_new(1 << 20, 4);
	CHECK(pagecache_put(pc, 1, 0, "e", NULL, 0, &marks, &plain) != NULL);
	CHECK(pagecache_get(pc, 1, 0, "e") != NULL);
	pagecache_free(pc);
}

/* the budget: no page over an eighth of it, never over it in all */
static void
test_budget(void)
{
	struct pagecache	*pc;
	char			 page[1000], key[16];
	size_t			 i, kept = 0;

	memset(page, 'x', sizeof(page));
	pc = pagecache_new(16384, 256);
	CHECK(pagecache_put(pc, 1, 0, "big", page, 16384 / 8, NULL, &plain)
	    == NULL);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		if (pagecache_put(pc, 1, 0, key, page, sizeof(page), NULL,
		    &plain) != NULL)
			kept++;
		CHECK(pagecache_bytes(pc) <= 16384);
	}
	/* 16 pages of 1 KB and their keys pass 16 KB: 15 at most, and
	 * the newest pages are the ones kept, never refused */
	CHECK(pagecache_count(pc) >= 8 && pagecache_count(pc) <= 15);
	CHECK_INT(kept, 100);
	pagecache_free(pc);

	/* a page readers keep asking for survives a crawl of one-offs */
	pc = pagecache_new(16384, 256);
	CHECK(pagecache_put(pc, 1, 0, "home", page, sizeof(page), NULL,
	    &plain) != NULL);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "q%zu", i);
		CHECK(pagecache_get(pc, 1, 0, "home") != NULL);
		CHECK(pagecache_put(pc, 1, 0, key, page, sizeof(page), NULL,
		    &plain) != NULL);
		CHECK(pagecache_bytes(pc) <= 16384);
	}
	CHECK(pagecache_get(pc, 1, 0, "home") != NULL);
	pagecache_free(pc);
}

static void
test_fill(void)
{
	static const struct {
		const char	*in;
		size_t		 from;
		const char	*want;
	} cases[] = {
		{ "a " MARK " b", 0, "a 42 b" },
		{ MARK MARK, 0, "4242" },
		{ "none", 0, "none" },
		{ MARK "|" MARK, 1, MARK "|42" },
		{ "", 0, "" },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, cases[i].in);
		CHECK_INT(pagecache_fill(&b, cases[i].from, MARK, "42"), 0);
		CHECK_STR(b.data, cases[i].want);
		CHECK_INT(b.len, strlen(cases[i].want));
	}
	buf_free(&b);
	/* nothing written yet: nothing to fill, and no crash */
	CHECK_INT(pagecache_fill(&b, 0, MARK, "42"), 0);
	CHECK_INT(b.len, 0);
}

int
main(void)
{
	test_put_emit();
	test_keys();
	test_budget();
	test_fill();
	return t_done("test_pagecache");
}
