/*
 * article.h: one article source file -> metadata and gemtext body.
 */
#ifndef ARTICLE_H
#define ARTICLE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct convert_links;

enum article_fmt {
	FMT_GMI,
	FMT_MD,
	FMT_TXT,
	FMT_HTML
};

struct article_meta {		/* strings are malloc'd, NULL when absent */
	char	*title;
	char	*author;
	char	*summary;
	char	*lang;
	char	*tags;
	char	*block;		/* HTML: where the story was found on a page
				   without <article> or <main>, for the log;
				   never kept in the catalog or a snapshot */
	time_t	 date;		/* wall-clock time encoded as UTC (timegm) */
	int	 has_date;	/* date came from the header or file name */
	int	 has_time;	/* the header gave HH:MM */
};

/* Format from a file name's extension, or -1 if not an article. */
int	article_fmt(const char *name);

/*
 * Parse a source: the optional "key: value" header (or "---" fenced
 * block), the conversion of the body to gemtext (appended to body, may
 * be NULL to skip), and the fallbacks (title from the first heading,
 * date from a YYYY-MM-DD- file-name prefix; mtime is the caller's).
 * name is the file name, base the folder's URL path ("/thoi-su/").
 * Returns 0, or -1 with err as "line N: reason" or "reason".
 */
int	article_parse(const char *name, const char *base, const char *src,
	    size_t len, struct article_meta *meta, struct buf *body,
	    char *err, size_t errlen);
/* The same, with the links of an HTML page to paths on the site
 * resolved by links (convert.h; NULL: as article_parse). */
int	article_parse_site(const char *name, const char *base,
	    const struct convert_links *links, const char *src, size_t len,
	    struct article_meta *meta, struct buf *body, char *err,
	    size_t errlen);

void	article_meta_free(struct article_meta *);

#endif
