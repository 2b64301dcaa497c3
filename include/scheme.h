/*
 * scheme.h: the path scheme in one table. The names bantin reserves
 * at the top of the tree and in every category, which page each names,
 * what kind of page that is and so which Gopher item type a link to it
 * gets. route.c resolves requests by it, the scan (site_walk.c) keeps
 * these names free of content, and the Gopher renderer types links by
 * it. It knows nothing of the site: a name's page exists or not only
 * once route.c has looked.
 */
#ifndef SCHEME_H
#define SCHEME_H

#include <stddef.h>

enum scheme_kind {		/* what a page is, for a link to it */
	SCHEME_MENU,			/* a listing: Gopher 1 */
	SCHEME_DOCUMENT,		/* an article or static page: 0 */
	SCHEME_SEARCH,			/* the search prompt: 7 */
	SCHEME_FILE,			/* data or an attachment: by MIME */
	SCHEME_EXTERNAL,		/* another host or scheme: h */
	SCHEME_UNKNOWN			/* not on the site: 0 */
};

enum scheme_page {		/* the reserved pages */
	SCHEME_TREE,			/* none: a node of the tree, if any */
	SCHEME_HOME,			/* / */
	SCHEME_DATE,			/* /date[/Y[/M[/D]]][/] */
	SCHEME_SEARCH_PAGE,		/* /search */
	SCHEME_STATS,			/* /stats */
	SCHEME_FEED,			/* [/<cat>]/atom.xml */
	SCHEME_CAPS,			/* /caps.txt (Gopher) */
	SCHEME_CAT_PAGE,		/* /<cat>/page/N[/] */
	SCHEME_TAGS,			/* /tags[/<tag>/[page/N/]] */
	SCHEME_PUBLISH			/* /publish: an author's page over
					   Gemini with Titan on (titan.c) */
};

#define SCHEME_FEED_TYPE	"application/atom+xml"
#define SCHEME_PAGE_MAX		9999	/* /<cat>/page/N/, &page=N */

struct scheme_match {
	enum scheme_page	 page;
	enum scheme_kind	 kind;
	const char		*mime;		/* SCHEME_FILE: its type */
	char			 prefix[1024 + 1]; /* FEED, CAT_PAGE: the
						   category path, "/x/" */
	int			 n;		/* CAT_PAGE: N */
	int			 slash;		/* CAT_PAGE: "/" after N */
};

/* Which reserved page a decoded, normalised path names; SCHEME_TREE
 * for any other. */
enum scheme_page scheme_match(const char *path, struct scheme_match *);

/* A folder or file name the scan must not give to content, at depth
 * 0 (the top of the tree) or below. */
int	scheme_reserved(const char *name, int depth);

/* A top-level file of the tree that is served but never listed as a
 * static page (robots.txt, favicon.txt). */
int	scheme_unlisted(const char *name);

/* The Gopher item type of a kind; 0 for SCHEME_FILE (by MIME type). */
char	scheme_gopher_type(enum scheme_kind);

/* Exactly len decimal digits (1 to 7): 0 and *v, or -1. */
int	scheme_num(const char *s, size_t len, int *v);

#endif
