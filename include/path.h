/*
 * path.h: request paths, percent-decoded and normalised.
 */
#ifndef PATH_H
#define PATH_H

#include <stddef.h>

/*
 * Percent-decode in[0..len) into out, then remove dot segments and
 * empty segments (RFC 3986, 5.2.4). The result starts with "/" and
 * keeps a trailing slash. Fails (-1, errstr set) on a bad escape, an
 * encoded "/" or NUL, a control character, invalid or overlong UTF-8,
 * a path that climbs above the root, or a result longer than outlen-1.
 */
int	path_normalize(const char *in, size_t len, char *out, size_t outlen,
	    const char **errstr);

/* Percent-decode in[0..len) into out (NUL-terminated). -1 on a bad
 * escape, NUL, or overflow. '+' is kept as is. */
int	path_decode(const char *in, size_t len, char *out, size_t outlen,
	    const char **errstr);

/* Append s percent-encoded for use in a URL query or path segment
 * (unreserved characters and, if keep_slash, "/" are kept). */
struct buf;
int	path_encode(struct buf *, const char *s, int keep_slash);

/* 1 if any segment of a normalised path starts with "." or "_". */
int	path_hidden(const char *);

/* The value of a hex digit, or -1. */
int	path_hexval(int c);

/* 1 if s[0..len) is a name bantin makes folders and files by (Titan's
 * uploads, its authors' categories): ASCII letters, digits, "-", "_"
 * and ".", not empty and not hidden. */
int	path_safe_name(const char *s, size_t len);

#endif
