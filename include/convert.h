/*
 * convert.h: source formats -> gemtext. One function per format, each
 * from source bytes (UTF-8 for all but HTML, whose declared charset is
 * honoured) to valid gemtext, NFC-normalised, appended to out.
 *
 * The gemtext always ends with one newline (nothing at all for an empty
 * source), never has two blank lines in a row outside a preformatted
 * block, and closes every block. Its markup comes only from the
 * source's structure: prose that starts with "=>", "#", "*", ">" or
 * "```" is written as a text line with a leading space. Links follow
 * the block they appear in as "=> url label" lines; tables become
 * preformatted blocks padded by display width; images become links.
 */
#ifndef CONVERT_H
#define CONVERT_H

#include <stddef.h>

#include "buf.h"

struct convert_meta {		/* what an HTML source declares; malloc'd */
	char	*title;		/* <title> (the <h1> it starts with), og:title */
	char	*author;	/* <meta name=author> */
	char	*summary;	/* <meta name=description> */
	char	*date;		/* article:published_time, date, ..., as is */
	char	*lang;		/* <html lang> */
	char	*tags;		/* <meta name=keywords> */
	char	*block;		/* the block the story was taken from, on a
				   page without <article> or <main> */
};

/*
 * What the caller knows of the site an HTML page is served in. A link
 * to a path on the site ("/kinh-te/a", resolved as convert_link does),
 * or to the page's own host (its <link rel=canonical>, og:url or <base
 * href>: an old portal's absolute links), is handed to resolve with
 * that path: 0 keeps it (a link to the page's host becomes the path),
 * 1 links to the path resolve wrote into to instead, -1 drops the link
 * (a link's words stay in the text, an image's label becomes a line of
 * text). Any other link is left alone.
 */
struct convert_links {
	int	(*resolve)(void *arg, const char *path, struct buf *to);
	void	*arg;
};

/*
 * base is the URL path of the folder holding the source, with a
 * trailing slash ("/thoi-su/"): relative links resolve against it, and
 * a relative link to a sibling article source ("x.md") becomes that
 * article's path ("/thoi-su/x"). Each returns 0, or -1 with err set:
 * "invalid UTF-8 at byte N (line L)" (N from 0, of the bytes given) for
 * md, txt and gmi; "out of memory". Nothing is appended on error.
 * convert_html() fills meta (which must start zeroed) if not NULL.
 */
int	convert_gmi(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_md(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_txt(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_html(struct buf *out, const char *, size_t, const char *base,
	    struct convert_meta *meta, char *err, size_t errlen);
/* The same, with the site's links resolved (links may be NULL). */
int	convert_html_site(struct buf *out, const char *, size_t,
	    const char *base, const struct convert_links *links,
	    struct convert_meta *meta, char *err, size_t errlen);

/*
 * What an import needs to know of a page saved from a web portal,
 * besides its conversion. Strings and lists are malloc'd.
 */
struct convert_page {
	struct convert_meta	 meta;	/* as convert_html() reads it */
	char	*lead;		/* the story's first lines, as gemtext */
	char	*self;		/* the host the page says it is at */
	char	*section;	/* <meta property=article:section>, or a
				   rel="category" link's words */
	char	*date;		/* <time datetime>, or the words of an
				   element whose class or id says date */
	char	**menu;		/* "href TAB words" of the page's links */
	size_t	 nmenu;
	char	**crumbs;	/* the breadcrumb's steps, home left out */
	size_t	 ncrumbs;
	char	**tags;		/* words of rel=tag and /tag/ links */
	size_t	 ntags;
	char	**links;	/* what the story links to and shows (href,
				   img src and its lazy loaders' copies), as
				   written, once each */
	size_t	 nlinks;
	int	 story;		/* a story was found (<article>, <main>, or
				   the pick) */
	size_t	 chars;		/* its visible characters */
	size_t	 linkchars;	/* ... in links */
	size_t	 heads;		/* its headings that are links: teasers */
	int	 password;	/* a password field: a login page */
};

/* Parse a saved page into pg (which need not be zeroed). Returns 0,
 * or -1 for want of memory. */
int	convert_html_page(const char *, size_t, struct convert_page *pg);
void	convert_page_free(struct convert_page *);

/*
 * Resolve href against base as above and append it: dot segments go,
 * never above "/"; a fragment goes; "scheme:..." stays as it is and
 * "//host/..." becomes "https://host/...". Returns -1, appending
 * nothing, for a link to drop ("", "#frag", javascript:, data:).
 */
int	convert_link(struct buf *out, const char *href, const char *base);

void	convert_meta_free(struct convert_meta *);

#endif
