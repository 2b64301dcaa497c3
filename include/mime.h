/*
 * mime.h: MIME type of a served file: extension table, then libmagic.
 */
#ifndef MIME_H
#define MIME_H

/* Close the libmagic cookie, if mime_of opened it. */
void		 mime_free(void);
/* Type by extension (static string) or NULL. */
const char	*mime_by_ext(const char *path);
/* Extension, then libmagic on fd (not moving its offset; the cookie is
 * opened at the first use in the process); never NULL. */
const char	*mime_of(const char *path, int fd);

#endif
