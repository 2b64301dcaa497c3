/*
 * preview.h: what bantin makes of one article file, before it is
 * published (bantin -p FILE).
 */
#ifndef PREVIEW_H
#define PREVIEW_H

#include <stdio.h>

struct config;

/*
 * Scan a copy of file, alone in its category, exactly as the site's
 * scan would, and print to out the metadata read, every warning and
 * the gemtext body. Returns 0 if the article would be published, 1 if
 * it would be skipped, -1 if the preview itself failed (errors on
 * stderr).
 */
int	preview_article(const struct config *, const char *file, FILE *out);

#endif
