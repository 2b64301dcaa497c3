/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * path.c: the one place where request paths are decoded and made
 * canonical, for both front ends. Decode first, then canonicalise
 * (as OpenBSD httpd does), so that "%2e%2e" is a dot segment like "..".
 * A path that would climb above the root is an error, never clamped:
 * such a request is malicious or broken and gets a permanent failure.
 * Nothing here touches the file system; requests resolve through the
 * site model, never by joining strings into file names.
 */

#include <string.h>

#include "buf.h"
#include "path.h"
#include "utf8.h"

int
path_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
path_decode(const char *in, size_t len, char *out, size_t outlen,
    const char **errstr)
{
	size_t	 i, o = 0;
	int	 hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == '%') {
			if (i + 2 >= len || (hi = path_hexval(in[i + 1])) < 0 ||
			    (lo = path_hexval(in[i + 2])) < 0) {
				*errstr = "bad percent escape";
				return -1;
			}
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == '\0') {
			*errstr = "NUL in request";
			return -1;
		}
		if (o + 1 >= outlen) {
			*errstr = "request too long";
			return -1;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int
path_normalize(const char *in, size_t len, char *out, size_t outlen,
    const char **errstr)
{
	size_t	 i, o, seglen, n;
	const char *seg;
	char	 dec[4096];

	if (outlen < 2) {
		*errstr = "request too long";
		return -1;
	}
	/* an encoded '/' would let one segment hide another */
	for (i = 0; i + 2 < len; i++)
		if (in[i] == '%' && in[i + 1] == '2' &&
		    (in[i + 2] == 'f' || in[i + 2] == 'F')) {
			*errstr = "encoded slash in path";
			return -1;
		}
	if (path_decode(in, len, dec, sizeof(dec), errstr) == -1)
		return -1;
	n = strlen(dec);
	if (!utf8_valid(dec, n)) {
		*errstr = "invalid UTF-8 in path";
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)dec[i] < 0x20 || dec[i] == 0x7f) {
			*errstr = "control character in path";
			return -1;
		}

	o = 0;
	out[o++] = '/';
	for (i = 0; i < n; ) {
		while (i < n && dec[i] == '/')
			i++;
		if (i >= n)
			break;
		seg = dec + i;
		while (i < n && dec[i] != '/')
			i++;
		seglen = (size_t)(dec + i - seg);
		if (seglen == 1 && seg[0] == '.') {
			/* "/a/." ends like "/a/" */
			continue;
		}
		if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 1) {
				*errstr = "path climbs above the root";
				return -1;
			}
			/* drop the last segment, keep its leading slash */
			o--;
			while (o > 0 && out[o - 1] != '/')
				o--;
			continue;
		}
		if (o + seglen + (i < n ? 1 : 0) + 1 > outlen) {
			*errstr = "request too long";
			return -1;
		}
		memcpy(out + o, seg, seglen);
		o += seglen;
		if (i < n)
			out[o++] = '/';
	}
	/* "x/." and "x/.." leave a trailing slash: keep it */
	if (n > 0 && o > 1 && out[o - 1] != '/' && (dec[n - 1] == '/' ||
	    (n >= 2 && dec[n - 1] == '.' && dec[n - 2] == '/') ||
	    (n >= 3 && dec[n - 1] == '.' && dec[n - 2] == '.' &&
	    dec[n - 3] == '/')))
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

int
path_encode(struct buf *b, const char *s, int keep_slash)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || (keep_slash && c == '/')) {
			if (buf_putc(b, c) == -1)
				return -1;
		} else if (buf_putc(b, '%') == -1 ||
		    buf_putc(b, hex[c >> 4]) == -1 ||
		    buf_putc(b, hex[c & 15]) == -1)
			return -1;
	}
	return 0;
}

int
path_hidden(const char *p)
{
	for (; *p != '\0'; p++)
		if (*p == '/' && (p[1] == '.' || p[1] == '_'))
			return 1;
	return 0;
}

int
path_safe_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || s[0] == '.' || s[0] == '_')
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}
