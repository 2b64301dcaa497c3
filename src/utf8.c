/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * utf8.c: Unicode helpers on utf8proc: validation, NFC, the folding
 * used by search (case and diacritics, with the Vietnamese đ that has
 * no decomposition), ASCII transliteration and display widths. Pure
 * functions over (ptr, len); output goes to a caller's struct buf.
 */

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "utf8.h"

size_t
utf8_decode(const char *s, size_t len, int *cp)
{
	utf8proc_int32_t	 c;
	utf8proc_ssize_t	 n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

int
utf8_valid(const char *s, size_t len)
{
	size_t	 i = 0, n;
	int	 cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				return 0;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			return 0;
		i += n;
	}
	return 1;
}

static int
map_append(struct buf *b, const char *s, size_t len, int opts)
{
	utf8proc_uint8_t	*out = NULL;
	utf8proc_ssize_t	 n;
	int			 r;

	if (len == 0)
		return 0;
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &out, (utf8proc_option_t)opts);
	if (n < 0)
		return -1;
	r = buf_append(b, out, (size_t)n);
	free(out);
	return r;
}

int
utf8_nfc(struct buf *b, const char *s, size_t len)
{
	if (!utf8_valid(s, len))
		return -1;
	return map_append(b, s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

int
utf8_fold(struct buf *b, const char *s, size_t len)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i;
	int		 r;

	if (!utf8_valid(s, len))
		return -1;
	/* đ (U+0111) and Đ (U+0110) have no decomposition: map them first */
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] == 0xc4 && i + 1 < len &&
		    ((unsigned char)s[i + 1] == 0x90 ||
		    (unsigned char)s[i + 1] == 0x91)) {
			if (buf_putc(&tmp, 'd') == -1)
				goto fail;
			i++;
		} else if (buf_putc(&tmp, s[i]) == -1)
			goto fail;
	}
	r = map_append(b, tmp.data, tmp.len, UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	buf_free(&tmp);
	return r;
fail:
	buf_free(&tmp);
	return -1;
}

int
utf8_ascii(struct buf *b, const char *s, size_t len)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i, n;
	int		 cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0x110 || cp == 0x111) {
			if (buf_putc(&tmp, cp == 0x110 ? 'D' : 'd') == -1)
				goto fail;
		} else if (cp < 0) {
			if (buf_putc(&tmp, '?') == -1)
				goto fail;
		} else if (buf_append(&tmp, s + i, n) == -1)
			goto fail;
	}
	/* decompose and strip marks, keeping case */
	{
		utf8proc_uint8_t	*out = NULL;
		utf8proc_ssize_t	 m;

		if (tmp.len == 0) {
			buf_free(&tmp);
			return 0;
		}
		m = utf8proc_map((utf8proc_uint8_t *)tmp.data,
		    (utf8proc_ssize_t)tmp.len, &out, UTF8PROC_STABLE |
		    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK);
		if (m < 0)
			goto fail;
		for (i = 0; i < (size_t)m; i += n) {
			n = utf8_decode((char *)out + i, (size_t)m - i, &cp);
			if (cp >= 0 && cp < 0x80)
				buf_putc(b, cp);
			else if (cp == 0x2018 || cp == 0x2019)
				buf_putc(b, '\'');
			else if (cp == 0x201c || cp == 0x201d)
				buf_putc(b, '"');
			else if (cp == 0x2013 || cp == 0x2014)
				buf_putc(b, '-');
			else if (cp == 0x2026)
				buf_puts(b, "...");
			else if (cp == 0xa0)
				buf_putc(b, ' ');
			else if (cp == 0xb7 || cp == 0x2022)
				buf_putc(b, cp == 0xb7 ? '-' : '*');
			else if (cp == 0xab || cp == 0xbb)
				buf_putc(b, '"');
			else
				buf_putc(b, '?');
		}
		free(out);
	}
	buf_free(&tmp);
	return 0;
fail:
	buf_free(&tmp);
	return -1;
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t	 i, n, w = 0;
	int	 cp, cw;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0) {
			w++;
			continue;
		}
		cw = utf8proc_charwidth(cp);
		if (cw > 0)
			w += (size_t)cw;
	}
	return w;
}

size_t
utf8_prefix_cols(const char *s, size_t len, size_t cols)
{
	size_t	 i, n, w = 0;
	int	 cp, cw;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = cp < 0 ? 1 : utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 0;
		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
	}
	return i;
}

int
utf8_sanitize_line(struct buf *b, const char *s, size_t len)
{
	size_t	 i, n;
	int	 cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029) {
			if (buf_putc(b, cp < 0 ? '?' : ' ') == -1)
				return -1;
		} else if (buf_append(b, s + i, n) == -1)
			return -1;
	}
	return 0;
}
