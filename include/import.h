/*
 * import.h: bantin -I DIR, an old web portal's saved pages brought into
 * the content tree.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Read the saved pages under mirror (a `wget --mirror` of a portal, or
 * a CMS export) and write each article found into the tree at root,
 * reporting to out. Returns 0 when every page was imported or skipped
 * with a reason, -1 when a file could not be written (said on out).
 */
int	import_portal(const char *root, const char *mirror, FILE *out);

/* The first date written in text ("21/05/2020 11:15", "15 Tháng Mười
 * 2020 05:20:00 CH", "2020-05-21"), as "YYYY-MM-DD" or "YYYY-MM-DD
 * HH:MM" into out (17 bytes); -1 if it has none. */
int	import_text_date(const char *text, char *out);

/* An ASCII name for a title or a category ("Giải ngân 95% vốn" ->
 * "giai-ngan-95-von"), at most max bytes; -1 if nothing is left. */
int	import_slug(const char *text, char *out, size_t max);

/* The folder rel of the tree at rootfd ("kinh-te/anh/x"), opened
 * without following a symbolic link, made if create (mode 0755); its
 * fd, or -1 with errno (EINVAL: an empty or hidden name in rel). */
int	import_dir(int rootfd, const char *rel, int create);

#endif
