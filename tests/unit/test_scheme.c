/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_scheme.c: the path scheme table: which page a path names, the
 * names the scan keeps free of content, and the Gopher item types of
 * the page kinds.
 */

#include <stdio.h>
#include <string.h>

#include "scheme.h"
#include "t.h"

static void
test_match(void)
{
	static const struct {
		const char		*path;
		enum scheme_page	 page;
		enum scheme_kind	 kind;
		const char		*prefix;
		int			 n, slash;
	} cases[] = {
		{ "/", SCHEME_HOME, SCHEME_MENU, "", 0, 0 },
		{ "/date", SCHEME_DATE, SCHEME_MENU, "", 0, 0 },
		{ "/date/", SCHEME_DATE, SCHEME_MENU, "", 0, 0 },
		{ "/date/2020/05/21/", SCHEME_DATE, SCHEME_MENU, "", 0, 0 },
		{ "/date/atom.xml", SCHEME_DATE, SCHEME_MENU, "", 0, 0 },
		{ "/dates", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/search", SCHEME_SEARCH_PAGE, SCHEME_SEARCH, "", 0, 0 },
		{ "/search/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/stats", SCHEME_STATS, SCHEME_MENU, "", 0, 0 },
		{ "/stats/x", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/caps.txt", SCHEME_CAPS, SCHEME_DOCUMENT, "", 0, 0 },
		{ "/robots.txt", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/x/caps.txt", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/atom.xml", SCHEME_FEED, SCHEME_FILE, "/", 0, 0 },
		{ "/thoi-su/atom.xml", SCHEME_FEED, SCHEME_FILE, "/thoi-su/",
		  0, 0 },
		{ "/a/b/atom.xml", SCHEME_FEED, SCHEME_FILE, "/a/b/", 0, 0 },
		{ "/thoi-su/atom.xml/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0,
		  0 },
		{ "/thoi-su/page/2/", SCHEME_CAT_PAGE, SCHEME_MENU,
		  "/thoi-su/", 2, 1 },
		{ "/thoi-su/page/12", SCHEME_CAT_PAGE, SCHEME_MENU,
		  "/thoi-su/", 12, 0 },
		{ "/a/b/page/3/", SCHEME_CAT_PAGE, SCHEME_MENU, "/a/b/", 3,
		  1 },
		{ "/thoi-su/page/02/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0,
		  1 },
		{ "/thoi-su/page/0/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 1 },
		{ "/thoi-su/page/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 1 },
		{ "/thoi-su/page/12345678/", SCHEME_TREE, SCHEME_UNKNOWN, "",
		  0, 1 },
		{ "/tags", SCHEME_TAGS, SCHEME_MENU, "", 0, 0 },
		{ "/tags/", SCHEME_TAGS, SCHEME_MENU, "", 0, 0 },
		{ "/tags/dai-hoi/", SCHEME_TAGS, SCHEME_MENU, "", 0, 0 },
		{ "/tags/dai-hoi/page/2/", SCHEME_TAGS, SCHEME_MENU, "", 0,
		  0 },
		{ "/tags/x/atom.xml", SCHEME_TAGS, SCHEME_MENU, "", 0, 0 },
		{ "/tagsx/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/x/tags/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "/thoi-su/bai", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
		{ "thoi-su/", SCHEME_TREE, SCHEME_UNKNOWN, "", 0, 0 },
	};
	struct scheme_match	 m;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (scheme_match(cases[i].path, &m) != cases[i].page)
			fprintf(stderr, "scheme_match(%s): %d\n",
			    cases[i].path, m.page);
		CHECK_INT(scheme_match(cases[i].path, &m), cases[i].page);
		CHECK_INT(m.kind, cases[i].kind);
		CHECK_STR(m.prefix, cases[i].prefix);
		if (cases[i].page == SCHEME_CAT_PAGE) {
			CHECK_INT(m.n, cases[i].n);
			CHECK_INT(m.slash, cases[i].slash);
		}
		if (cases[i].page == SCHEME_FEED)
			CHECK_STR(m.mime, SCHEME_FEED_TYPE);
		else
			CHECK(m.mime == NULL);
	}
}

static void
test_reserved(void)
{
	static const struct {
		const char	*name;
		int		 top, below;
	} cases[] = {
		{ "date", 1, 0 },
		{ "search", 1, 0 },
		{ "stats", 1, 0 },
		{ "atom.xml", 1, 1 },
		{ "caps.txt", 1, 0 },
		{ "page", 0, 1 },
		{ "tags", 1, 0 },
		{ "robots.txt", 0, 0 },		/* the tree's, unlisted */
		{ "favicon.txt", 0, 0 },
		{ "thoi-su", 0, 0 },
		{ "dates", 0, 0 },
		{ "", 0, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(scheme_reserved(cases[i].name, 0), cases[i].top);
		CHECK_INT(scheme_reserved(cases[i].name, 1), cases[i].below);
		CHECK_INT(scheme_reserved(cases[i].name, 3), cases[i].below);
	}
	CHECK_INT(scheme_unlisted("robots.txt"), 1);
	CHECK_INT(scheme_unlisted("favicon.txt"), 1);
	CHECK_INT(scheme_unlisted("robots.gmi"), 0);
	CHECK_INT(scheme_unlisted("gioi-thieu.gmi"), 0);
}

static void
test_types(void)
{
	int	 v;

	CHECK_INT(scheme_gopher_type(SCHEME_MENU), '1');
	CHECK_INT(scheme_gopher_type(SCHEME_DOCUMENT), '0');
	CHECK_INT(scheme_gopher_type(SCHEME_SEARCH), '7');
	CHECK_INT(scheme_gopher_type(SCHEME_FILE), 0);
	CHECK_INT(scheme_gopher_type(SCHEME_EXTERNAL), 'h');
	CHECK_INT(scheme_gopher_type(SCHEME_UNKNOWN), '0');
	CHECK_INT(scheme_num("2020", 4, &v), 0);
	CHECK_INT(v, 2020);
	CHECK_INT(scheme_num("20a0", 4, &v), -1);
	CHECK_INT(scheme_num("", 0, &v), -1);
	CHECK_INT(scheme_num("12345678", 8, &v), -1);
}

int
main(void)
{
	test_match();
	test_reserved();
	test_types();
	return t_done("test_scheme");
}
