/*
 * preview.h: what bantin makes of one article file, before it is
 * published (bantin -p FILE).
 */
#ifndef PREVIEW_H
#define PREVIEW_H

#include <stdio.h>

struct buf;
struct config;

/*
 * Scan a copy of file, alone in its category, exactly as the site's
 * scan would, and print to out the metadata read, every warning and
 * the gemtext body. Returns 0 if the article would be published, 1 if
 * it would be skipped, -1 if the preview itself failed (errors on
 * stderr).
 */
int	preview_article(const struct config *, const char *file, FILE *out);

/*
 * The same check of an upload's bytes, as dir/name below the root
 * ("thoi-su", "x.md"): the scan's warnings appended to warns, one a
 * line, and the author it reads (header, <meta> or byline; malloc'd,
 * or NULL). 0 it would be published, 1 skipped, -1 the check failed
 * (why in warns).
 */
int	preview_data(const struct config *, const char *dir, const char *name,
	    const char *data, size_t len, struct buf *warns, char **author);

#endif
