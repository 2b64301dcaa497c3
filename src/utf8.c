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

/*
 * The code points below NFC_TABLE that NFC leaves as they are whatever
 * comes before or after them: starters (combining class 0) that are
 * their own NFC and compose with nothing before them (no mark, no
 * Hangul vowel or final). A text of nothing else is NFC already; that
 * is nearly every line of Vietnamese (precomposed letters, U+1Exx) and
 * of its punctuation (U+20xx). Built once, read-only after.
 */
#define NFC_TABLE	0x2100

static unsigned char	 nfc_inert[NFC_TABLE / 8];
static int		 nfc_ready;

static void
nfc_init(void)
{
	const utf8proc_property_t	*p;
	utf8proc_uint8_t		 in[4], *out;
	utf8proc_ssize_t		 n, m;
	int				 cp;

	for (cp = 0x80; cp < NFC_TABLE; cp++) {
		p = utf8proc_get_property(cp);
		if (p->combining_class != 0 ||
		    p->category == UTF8PROC_CATEGORY_MN ||
		    p->category == UTF8PROC_CATEGORY_MC ||
		    p->category == UTF8PROC_CATEGORY_ME ||
		    (cp >= 0x1100 && cp < 0x1200))
			continue;
		n = utf8proc_encode_char(cp, in);
		m = utf8proc_map(in, n, &out, UTF8PROC_STABLE |
		    UTF8PROC_COMPOSE);
		if (m == n && memcmp(in, out, (size_t)n) == 0)
			nfc_inert[cp / 8] |= (unsigned char)(1 << (cp % 8));
		if (m >= 0)
			free(out);
	}
	nfc_ready = 1;
}

/* Is s[0..len), valid UTF-8, in NFC for want of anything to change? */
static int
nfc_quick(const char *s, size_t len)
{
	size_t	 i, n;
	int	 cp;

	if (!nfc_ready)
		nfc_init();
	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0 || cp >= NFC_TABLE ||
		    !(nfc_inert[cp / 8] & (1 << (cp % 8))))
			return 0;
	}
	return 1;
}

/*
 * NFC leaves ASCII as it is, and nothing composes or reorders across
 * the start of an ASCII character: the text is normalised a line at a
 * time (each from its "\n"), and a line all ASCII, or of characters
 * NFC never changes (nfc_quick), is copied. Markup and English are
 * mostly such lines, Vietnamese too, and utf8proc_map costs an
 * allocation and three passes over what it is given (a quarter of a
 * first scan's time, before the quick check).
 */
int
utf8_nfc(struct buf *b, const char *s, size_t len)
{
	size_t	 i, j, mark = b->len;
	int	 plain, r = 0;

	if (!utf8_valid(s, len))
		return -1;
	for (i = 0; i < len && r == 0; i = j) {
		plain = 1;
		j = i;
		do {
			if ((unsigned char)s[j] >= 0x80)
				plain = 0;
			j++;
		} while (j < len && s[j] != '\n');
		if (!plain)
			plain = nfc_quick(s + i, j - i);
		r = plain ? buf_append(b, s + i, j - i) : map_append(b, s + i,
		    j - i, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	}
	if (r == -1 && b->data != NULL) {
		b->len = mark;		/* all or nothing */
		b->data[mark] = '\0';
	}
	return r;
}

/*
 * Folding one code point at a time through a table is what makes
 * indexing and search fast: utf8proc_map() on every word costs about
 * ten times more. The table covers U+0000..U+1FFF (Latin, with all of
 * Vietnamese, Greek, Cyrillic): each entry is the single code point
 * the character folds to, FOLD_DROP for a mark that folds to nothing,
 * or FOLD_SLOW where the fold is several code points (ß, ligatures):
 * words holding such characters, or anything above the table, take
 * the general path.
 */
#define FOLD_TABLE	0x2000
#define FOLD_DROP	0xffff
#define FOLD_SLOW	0xfffe

static unsigned short	 fold_table[FOLD_TABLE];
static int		 fold_ready;

static void
fold_init(void)
{
	utf8proc_int32_t	 in, out[4];
	utf8proc_ssize_t	 n;
	int			 cp;

	for (cp = 0; cp < FOLD_TABLE; cp++) {
		in = cp;
		if (cp == 0x110 || cp == 0x111) {
			fold_table[cp] = 'd';
			continue;
		}
		if (cp >= 0xd800 && cp < 0xe000) {
			fold_table[cp] = FOLD_SLOW;
			continue;
		}
		n = utf8proc_decompose_char(in, out, 4, UTF8PROC_STABLE |
		    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
		    UTF8PROC_IGNORE | UTF8PROC_DECOMPOSE, NULL);
		if (n == 0)
			fold_table[cp] = FOLD_DROP;
		else if (n == 1 && out[0] < FOLD_SLOW)
			fold_table[cp] = (unsigned short)out[0];
		else
			fold_table[cp] = FOLD_SLOW;
	}
	fold_ready = 1;
}

/* cp (below U+10000: what the fold table holds) as UTF-8 at out */
size_t
utf8_encode(int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static int
put_cp(struct buf *b, int cp)
{
	char	 e[4];

	return buf_append(b, e, utf8_encode(cp, e));
}

/* the general path: NFKC, case fold, strip marks, with đ -> d first */
static int
fold_slow(struct buf *b, const char *s, size_t len)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i;
	int		 r;

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
utf8_fold_cp(int cp)
{
	if (!fold_ready)
		fold_init();
	if (cp < 0 || cp >= FOLD_TABLE || fold_table[cp] == FOLD_SLOW)
		return UTF8_FOLD_SLOW;
	return fold_table[cp] == FOLD_DROP ? UTF8_FOLD_NONE : fold_table[cp];
}

int
utf8_fold(struct buf *b, const char *s, size_t len)
{
	size_t		 i, n, mark = b->len;
	int		 cp, f;

	if (!fold_ready)
		fold_init();
	for (i = 0; i < len; i += n) {
		cp = (unsigned char)s[i];
		if (cp < 0x80) {
			if (cp == 0)
				goto slow;
			n = 1;
			f = (cp >= 'A' && cp <= 'Z') ? cp + 'a' - 'A' : cp;
		} else {
			n = utf8_decode(s + i, len - i, &cp);
			if (cp < 0)
				goto invalid;
			if (cp >= FOLD_TABLE || fold_table[cp] == FOLD_SLOW)
				goto slow;
			if ((f = fold_table[cp]) == FOLD_DROP)
				continue;
		}
		if (put_cp(b, f) == -1)
			return -1;
	}
	return 0;
slow:
	b->len = mark;
	if (b->data != NULL)
		b->data[mark] = '\0';
	if (!utf8_valid(s, len))
		return -1;
	return fold_slow(b, s, len);
invalid:
	b->len = mark;
	if (b->data != NULL)
		b->data[mark] = '\0';
	return -1;
}

struct slug {				/* a slug being written at mark */
	size_t	 mark;
	size_t	 n;			/* its bytes so far */
	size_t	 cut;			/* where its last '-' is */
	int	 dash;			/* a '-' is due before a letter */
	int	 full;
};

/* One more folded character (0: one that is not ASCII); b has room. */
static void
slug_add(struct buf *b, struct slug *sl, int c)
{
	if (sl->full)
		return;
	if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
		sl->dash = sl->n > 0;
		return;
	}
	if (sl->dash && sl->n + 2 > UTF8_SLUG_MAX) {
		sl->full = 1;			/* full at a word's end */
		return;
	}
	if (sl->n == UTF8_SLUG_MAX) {
		/* full inside a word: end at the last '-' if that keeps
		 * most of it */
		if (sl->cut > UTF8_SLUG_MAX / 2)
			sl->n = sl->cut;
		sl->full = 1;
		return;
	}
	if (sl->dash) {
		sl->cut = sl->n;
		b->data[sl->mark + sl->n++] = '-';
		sl->dash = 0;
	}
	b->data[sl->mark + sl->n++] = (char)c;
}

/*
 * Tags are slugged at every scan, so the common case is a loop over
 * the fold table. A character the table has no single fold for takes
 * utf8_fold(), the slug then made in place from the folded text (it
 * is never longer).
 */
int
utf8_slug(struct buf *b, const char *s, size_t len)
{
	struct slug	 sl;
	size_t		 i, n;
	int		 cp, f;

	if (!fold_ready)
		fold_init();
	memset(&sl, 0, sizeof(sl));
	sl.mark = b->len;
	if (buf_reserve(b, UTF8_SLUG_MAX) == -1)
		return -1;
	for (i = 0; i < len && !sl.full; i += n) {
		cp = (unsigned char)s[i];
		n = 1;
		if (cp >= 0x80) {
			n = utf8_decode(s + i, len - i, &cp);
			if (cp < 0 || cp >= FOLD_TABLE ||
			    fold_table[cp] == FOLD_SLOW)
				goto slow;
			if ((f = fold_table[cp]) == FOLD_DROP)
				continue;
			cp = f < 0x80 ? f : 0;
		} else if (cp == 0)
			goto slow;
		else if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		slug_add(b, &sl, cp);
	}
	goto done;
slow:
	memset(&sl, 0, sizeof(sl));
	sl.mark = b->len;
	if (utf8_fold(b, s, len) == -1) {
		b->len = sl.mark;
		b->data[sl.mark] = '\0';
		return -1;
	}
	for (i = sl.mark; i < b->len && !sl.full; i++)
		slug_add(b, &sl, (unsigned char)b->data[i]);
done:
	b->len = sl.mark + sl.n;
	b->data[b->len] = '\0';
	return 0;
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

/*
 * Display width of a code point. Latin-1 and the Latin blocks that hold
 * Vietnamese are one column each and answered here; utf8proc answers
 * the rest (wide CJK, zero-width marks).
 */
static int
cp_width(int cp)
{
	if ((cp >= 0xa0 && cp < 0x300) || (cp >= 0x1e00 && cp < 0x1f00))
		return 1;
	return utf8proc_charwidth(cp);
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t	 i, n, w = 0;
	int	 cp, cw;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			n = 1;		/* printable ASCII: one column */
			w++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0) {
			w++;
			continue;
		}
		cw = cp_width(cp);
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
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			n = 1;
			if (w + 1 > cols)
				break;
			w++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		cw = cp < 0 ? 1 : cp_width(cp);
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
	size_t	 i, n, run = 0;
	int	 cp;

	/* copy runs of safe text at once; replace what is not */
	if (buf_reserve(b, len) == -1)
		return -1;
	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			n = 1;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029) {
			if (buf_append(b, s + run, i - run) == -1 ||
			    buf_putc(b, cp < 0 ? '?' : ' ') == -1)
				return -1;
			run = i + n;
		}
	}
	return buf_append(b, s + run, len - run);
}
