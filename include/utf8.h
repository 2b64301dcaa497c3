/*
 * utf8.h: the Unicode work bantin needs, on utf8proc.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

#include "buf.h"

/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or NUL). */
int	utf8_valid(const char *, size_t);

/* Append the NFC form of s[0..len); -1 on invalid UTF-8. */
int	utf8_nfc(struct buf *, const char *, size_t);

/*
 * Append a search/match key: NFKC, case-folded, combining marks removed,
 * "đ"/"Đ" folded to "d". "Đại Hội" -> "dai hoi". -1 on invalid UTF-8.
 */
int	utf8_fold(struct buf *, const char *, size_t);
/*
 * One code point as utf8_fold folds it where that is one code point
 * whatever surrounds it (most of U+0000..U+1FFF): that code point, or
 * UTF8_FOLD_NONE for a mark that folds to nothing; UTF8_FOLD_SLOW when
 * only utf8_fold over the whole word can say.
 */
#define UTF8_FOLD_NONE	(-1)
#define UTF8_FOLD_SLOW	(-2)
int	utf8_fold_cp(int);
/* A code point below U+10000 as UTF-8 at out (room for 3): its bytes. */
size_t	utf8_encode(int, char *);

/*
 * Append the URL form of a name: folded as utf8_fold() does, then
 * every run of characters other than a-z and 0-9 made one '-', none at
 * either end, at most UTF8_SLUG_MAX bytes (cut at a '-' where one is
 * near). "Đại hội Đảng" -> "dai-hoi-dang". A name with no letter or
 * digit that folds to ASCII appends nothing. -1 on invalid UTF-8.
 */
#define UTF8_SLUG_MAX	64
int	utf8_slug(struct buf *, const char *, size_t);

/* Append an ASCII transliteration (diacritics removed, đ -> d, other
 * non-ASCII -> '?'), for vintage Gopher clients. */
int	utf8_ascii(struct buf *, const char *, size_t);

/* Display columns of s[0..len) (utf8proc widths; invalid bytes count 1). */
size_t	utf8_width(const char *, size_t);

/* Length in bytes of the longest prefix of s[0..len) that fits in cols
 * display columns, never splitting a character. */
size_t	utf8_prefix_cols(const char *, size_t, size_t);

/*
 * Decode one code point at s; returns bytes used (>= 1) and stores the
 * code point, or -1 in *cp for an invalid sequence (1 byte consumed).
 * By hand (RFC 3629), and inline: this runs for every character of
 * every page and search, several times over each article a scan reads
 * (a call per character was a tenth of a first scan's process).
 * Overlong forms, surrogates and code points above U+10FFFF are
 * invalid.
 */
static inline size_t
utf8_decode(const char *str, size_t len, int *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	int			 c;

	if (len == 0) {
		*cp = -1;
		return 1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		if (len < 2 || (s[1] & 0xc0) != 0x80 || s[0] < 0xc2)
			goto bad;
		*cp = ((s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0) {
		if (len < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			goto bad;
		c = ((s[0] & 0x0f) << 12) | ((s[1] & 0x3f) << 6) |
		    (s[2] & 0x3f);
		if (c < 0x800 || (c >= 0xd800 && c < 0xe000))
			goto bad;
		*cp = c;
		return 3;
	}
	if ((s[0] & 0xf8) == 0xf0) {
		if (len < 4 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			goto bad;
		c = ((s[0] & 0x07) << 18) | ((s[1] & 0x3f) << 12) |
		    ((s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		if (c < 0x10000 || c > 0x10ffff)
			goto bad;
		*cp = c;
		return 4;
	}
bad:
	*cp = -1;
	return 1;
}

/* Append s[0..len) with every control character (C0, DEL, C1, and TAB,
 * CR, LF) replaced by a space: safe to echo on one line. */
int	utf8_sanitize_line(struct buf *, const char *, size_t);

#endif
