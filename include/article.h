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
	int	 has_zone;	/* zone is known: the source gave an offset
				   (article_parse), or article_localize() */
	long	 zone;		/* date's offset from UTC, seconds east: the
				   instant is date - zone */
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

/*
 * Newsroom conventions on the converted gemtext (article_news.c).
 * article_byline: the byline that ends body, if it ends with one (a
 * last paragraph of 2 to 5 capitalised words, see the file): *author
 * malloc'd, or NULL. 0, or -1 out of memory.
 */
int	article_byline(const char *body, size_t len, char **author);
/*
 * article_drop_dateline: remove from body (from start) a first
 * paragraph that only repeats m's date, time and author ("21/05/2020
 * 11:15", "03/11/2023 · NGỌC LAN"); 1 if it did, 0 if there is none.
 * article_dateline_len: the bytes a leading dateline takes in body,
 * with the blank lines after it (a title heading before it too), or
 * 0: where an excerpt of the body starts.
 */
int	article_drop_dateline(struct buf *body, size_t start,
	    const struct article_meta *m);
size_t	article_dateline_len(const char *body, size_t len);

/*
 * Put m's date in the process's time zone (zone.h): the instant it
 * stands for (date - zone when the source gave an offset; the wall
 * clock read in that zone when not; mtime when m has no date) becomes
 * the wall clock there, with its offset in zone, and has_zone is set.
 * Doing it twice changes nothing.
 */
void	article_localize(struct article_meta *m, time_t mtime);

#endif
