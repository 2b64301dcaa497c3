/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * scheme.c: the path scheme. One table names every reserved page:
 * where its name may stand (at the top of the tree, as the last part
 * of any category's path, or both), whether the pages below it are
 * its too (/date/2020/), and what kind of page it is. Everything else
 * a path can name is the tree's: categories, articles, files. A few
 * top-level files of the tree are for programs, not readers
 * (robots.txt, favicon.txt): served, never listed as pages.
 */

#include <stdio.h>
#include <string.h>

#include "scheme.h"

#define AT_TOP		0x1	/* "/name" */
#define IN_CATEGORY	0x2	/* "/<cat>/name": a category's own */
#define SUBTREE		0x4	/* and every path below "/name/" */
#define UNLISTED	0x8	/* the tree's file, but not a page */

static const struct {
	const char		*name;
	enum scheme_page	 page;
	enum scheme_kind	 kind;
	int			 where;
} scheme[] = {
	{ "date",	SCHEME_DATE,		SCHEME_MENU,	 AT_TOP | SUBTREE },
	{ "search",	SCHEME_SEARCH_PAGE,	SCHEME_SEARCH,	 AT_TOP },
	{ "stats",	SCHEME_STATS,		SCHEME_MENU,	 AT_TOP },
	{ "atom.xml",	SCHEME_FEED,		SCHEME_FILE,	 AT_TOP | IN_CATEGORY },
	{ "caps.txt",	SCHEME_CAPS,		SCHEME_DOCUMENT, AT_TOP },
	{ "page",	SCHEME_CAT_PAGE,	SCHEME_MENU,	 IN_CATEGORY },
	{ "tags",	SCHEME_TAGS,		SCHEME_MENU,	 AT_TOP | SUBTREE },
	{ "publish",	SCHEME_PUBLISH,		SCHEME_MENU,	 AT_TOP },
	/* the tree's, for programs: robots.txt (the Gemini robots
	 * companion spec, and Gopher crawlers), favicon.txt (an emoji) */
	{ "robots.txt",	SCHEME_TREE,		SCHEME_DOCUMENT, AT_TOP | UNLISTED },
	{ "favicon.txt", SCHEME_TREE,		SCHEME_DOCUMENT, AT_TOP | UNLISTED },
};
#define NSCHEME	(sizeof(scheme) / sizeof(scheme[0]))

static const char	 gopher_type[] = {
	[SCHEME_MENU] = '1',
	[SCHEME_DOCUMENT] = '0',
	[SCHEME_SEARCH] = '7',
	[SCHEME_FILE] = 0,
	[SCHEME_EXTERNAL] = 'h',
	[SCHEME_UNKNOWN] = '0'
};

int
scheme_num(const char *s, size_t len, int *v)
{
	size_t	 i;

	*v = 0;
	if (len == 0 || len > 7)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static enum scheme_page
found(struct scheme_match *m, size_t i)
{
	m->page = scheme[i].page;
	m->kind = scheme[i].kind;
	m->mime = scheme[i].page == SCHEME_FEED ? SCHEME_FEED_TYPE : NULL;
	return m->page;
}

/* "<prefix>page/<N>[/]", N without leading zeros */
static int
cat_page(const char *path, struct scheme_match *m)
{
	size_t	 e = strlen(path), d;

	m->slash = e > 0 && path[e - 1] == '/';
	if (m->slash)
		e--;
	for (d = e; d > 0 && path[d - 1] >= '0' && path[d - 1] <= '9'; d--)
		;
	if (d == e || path[d] == '0' || scheme_num(path + d, e - d, &m->n)
	    == -1 || d < strlen("/page/") ||
	    strncmp(path + d - 6, "/page/", 6) != 0 ||
	    d - 5 >= sizeof(m->prefix))
		return -1;
	memcpy(m->prefix, path, d - 5);
	m->prefix[d - 5] = '\0';
	return 0;
}

enum scheme_page
scheme_match(const char *path, struct scheme_match *m)
{
	const char	*last;
	size_t		 i, n, top;

	memset(m, 0, sizeof(*m));
	m->page = SCHEME_TREE;
	m->kind = SCHEME_UNKNOWN;
	if (path[0] != '/')
		return m->page;
	if (path[1] == '\0') {
		m->kind = SCHEME_MENU;
		return m->page = SCHEME_HOME;
	}
	top = strcspn(path + 1, "/");
	last = strrchr(path, '/') + 1;
	for (i = 0; i < NSCHEME; i++) {
		n = strlen(scheme[i].name);
		if ((scheme[i].where & (AT_TOP | UNLISTED)) == AT_TOP &&
		    top == n &&
		    strncmp(path + 1, scheme[i].name, n) == 0 &&
		    (path[1 + n] == '\0' || (scheme[i].where & SUBTREE))) {
			if (scheme[i].page == SCHEME_FEED)
				strcpy(m->prefix, "/");
			return found(m, i);
		}
	}
	for (i = 0; i < NSCHEME; i++) {
		if (!(scheme[i].where & IN_CATEGORY))
			continue;
		if (scheme[i].page == SCHEME_FEED &&
		    strcmp(last, scheme[i].name) == 0 &&
		    (size_t)(last - path) < sizeof(m->prefix)) {
			memcpy(m->prefix, path, (size_t)(last - path));
			m->prefix[last - path] = '\0';
			return found(m, i);
		}
		if (scheme[i].page == SCHEME_CAT_PAGE &&
		    cat_page(path, m) == 0)
			return found(m, i);
	}
	return m->page;
}

int
scheme_reserved(const char *name, int depth)
{
	size_t	 i;

	for (i = 0; i < NSCHEME; i++)
		if (strcmp(name, scheme[i].name) == 0 &&
		    !(scheme[i].where & UNLISTED) &&
		    (scheme[i].where & (depth == 0 ? AT_TOP : IN_CATEGORY)))
			return 1;
	return 0;
}

int
scheme_unlisted(const char *name)
{
	size_t	 i;

	for (i = 0; i < NSCHEME; i++)
		if ((scheme[i].where & UNLISTED) &&
		    strcmp(name, scheme[i].name) == 0)
			return 1;
	return 0;
}

char
scheme_gopher_type(enum scheme_kind k)
{
	return gopher_type[k];
}
