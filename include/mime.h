/*
 * mime.h: MIME type of a served file: extension table, then libmagic.
 */
#ifndef MIME_H
#define MIME_H

/* Open the libmagic cookie: in each process after fork. */
int		 mime_init(void);
void		 mime_free(void);
/* Type by extension (static string) or NULL. */
const char	*mime_by_ext(const char *path);
/* Extension, then libmagic on fd (not moving its offset); never NULL. */
const char	*mime_of(const char *path, int fd);

#endif
