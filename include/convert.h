/*
 * convert.h: source formats -> gemtext. One function per format, each
 * from source bytes (UTF-8 for all but HTML, whose declared charset is
 * honoured) to valid gemtext, NFC-normalised, appended to out.
 */
#ifndef CONVERT_H
#define CONVERT_H

#include <stddef.h>

#include "buf.h"

struct convert_meta {		/* what an HTML source declares; malloc'd */
	char	*title;		/* <title> */
	char	*author;	/* <meta name=author> */
	char	*summary;	/* <meta name=description> */
	char	*date;		/* article:published_time, date, ... */
	char	*lang;		/* <html lang> */
	char	*tags;		/* <meta name=keywords> */
};

/*
 * base is the URL path of the folder holding the source, with a
 * trailing slash ("/thoi-su/"): relative links resolve against it, and
 * a relative link to a sibling article source ("x.md") becomes that
 * article's path ("/thoi-su/x"). Each returns 0, or -1 with err set.
 */
int	convert_gmi(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_md(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_txt(struct buf *out, const char *, size_t, const char *base,
	    char *err, size_t errlen);
int	convert_html(struct buf *out, const char *, size_t, const char *base,
	    struct convert_meta *meta, char *err, size_t errlen);

/* Resolve href against base as above; appends the result to out. */
int	convert_link(struct buf *out, const char *href, const char *base);

void	convert_meta_free(struct convert_meta *);

#endif
