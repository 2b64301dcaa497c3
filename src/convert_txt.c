/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_txt.c: plain text -> gemtext. Blank lines split paragraphs;
 * indentation (spaces, tabs, the &nbsp; runs of pages copied from the
 * web) is dropped. Lines inside a paragraph are joined only when the
 * text is hard-wrapped and the next word would not have fitted on the
 * line: text pasted from a web page, with one long line per paragraph
 * and short lines for sub-headings or a byline, keeps every line. URLs
 * found in a paragraph are offered as link lines after it.
 *
 * Two shapes of the news pages our users paste are made headings, as
 * the page showed them: the first line, when it stands alone and does
 * not end like a sentence, is the title (a level-1 heading, which the
 * article's title falls back to); and a short line that stands alone
 * between two long paragraphs, again not ending like a sentence, is a
 * sub-heading. Nothing else is guessed: a short last line (the byline),
 * lists and short lines among short lines stay prose.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "convert.h"
#include "convert_int.h"
#include "utf8.h"

#define TXT_WRAP_MAX	100	/* wider lines were not wrapped by hand */
#define TXT_WRAP_MIN	50	/* narrower "wrapping" is verse or lists */
#define TXT_TITLE_MAX	160	/* columns: a longer first line is prose */
#define TXT_SUB_MAX	70	/* columns: a longer line is prose */
#define TXT_PARA_MIN	100	/* columns: a "long paragraph" around one */

struct txt_line {
	const char	*s;		/* without indentation or trailing space */
	size_t		 n;
	size_t		 width;		/* display columns, indentation too */
	int		 blank;
};

static size_t	ws_len(const char *, size_t);
static size_t	indent_width(const char *, size_t);
static size_t	ws_len_back(const char *, size_t);
static int	is_bullet(const char *, size_t);
static size_t	first_word_width(const char *, size_t);
static size_t	wrap_width(const struct txt_line *, size_t);
static void	autolinks(struct cw *, const char *, size_t);
static int	ends_sentence(const char *, size_t);
static enum cw_kind line_kind(const struct txt_line *, const int *, size_t,
		    size_t);

/* bytes of whitespace at the start of s */
static size_t
ws_len(const char *s, size_t n)
{
	size_t	 i = 0, k;
	int	 cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (!convert_is_ws(cp) && cp != 0xfeff && cp != 0x200b)
			break;
		i += k;
	}
	return i;
}

/* columns taken by indentation s[0..n), tabs stopping every 8 */
static size_t
indent_width(const char *s, size_t n)
{
	size_t	 i, w = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '\t')
			w = (w / 8 + 1) * 8;
		else if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* bytes of whitespace at the end of s */
static size_t
ws_len_back(const char *s, size_t n)
{
	size_t	 e = n, b;
	int	 cp;

	while (e > 0) {
		b = e - 1;
		while (b > 0 && ((unsigned char)s[b] & 0xc0) == 0x80 &&
		    e - b < 4)
			b--;
		(void)utf8_decode(s + b, e - b, &cp);
		if (!convert_is_ws(cp) && cp != 0xfeff && cp != 0x200b)
			break;
		e = b;
	}
	return n - e;
}

/* "- ", "* ", "• ", "1. ", "2) ": a line that starts a list entry */
static int
is_bullet(const char *s, size_t n)
{
	static const char *const marks[] = {
		"- ", "* ", "+ ", "\xe2\x80\xa2 ", "\xc2\xb7 ",
		"\xe2\x80\x93 ", "\xe2\x80\x94 "
	};
	size_t	 i, m;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		m = strlen(marks[i]);
		if (n >= m && memcmp(s, marks[i], m) == 0)
			return 1;
	}
	for (i = 0; i < n && i < 3 && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') &&
	    s[i + 1] == ' ';
}

static size_t
first_word_width(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && s[i] != ' ' && s[i] != '\t'; i++)
		;
	return utf8_width(s, i);
}

/*
 * The column the text was wrapped at, or 0 if it was not wrapped. Only
 * lines followed by another line of their paragraph tell: if most of
 * them are narrower than TXT_WRAP_MAX, the widest of those is the wrap
 * column, provided most of them come near it (a block of short lines,
 * such as an address, has one long line and no wrap column).
 */
static size_t
wrap_width(const struct txt_line *l, size_t nl)
{
	size_t	 i, inner = 0, narrow = 0, near = 0, w = 0;

	for (i = 0; i + 1 < nl; i++) {
		if (l[i].blank || l[i + 1].blank)
			continue;
		inner++;
		if (l[i].width <= TXT_WRAP_MAX) {
			narrow++;
			if (l[i].width > w)
				w = l[i].width;
		}
	}
	if (inner == 0 || narrow * 2 < inner || w < TXT_WRAP_MIN)
		return 0;
	for (i = 0; i + 1 < nl; i++)
		if (!l[i].blank && !l[i + 1].blank &&
		    l[i].width <= w && l[i].width * 4 >= w * 3)
			near++;
	return near * 2 >= narrow ? w : 0;
}

/* Offer the URLs written out in a line as links after the paragraph. */
static void
autolinks(struct cw *w, const char *s, size_t n)
{
	static const char *const schemes[] = {
		"https://", "http://", "gemini://", "gopher://"
	};
	struct buf	 u = BUF_INIT;
	size_t		 i, k, e, m = 0;

	for (i = 0; i < n; i++) {
		/* where a URL may start, at a glance: each scheme starts
		 * with 'h' or 'g' (most bytes of a text are not there) */
		if ((s[i] != 'h' && s[i] != 'g') || (i > 0 && s[i - 1] != ' ' &&
		    s[i - 1] != '(' && s[i - 1] != '<' && s[i - 1] != '"'))
			continue;
		for (k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
			m = strlen(schemes[k]);
			if (n - i > m && memcmp(s + i, schemes[k], m) == 0)
				break;
		}
		if (k == sizeof(schemes) / sizeof(schemes[0]))
			continue;
		for (e = i; e < n && (unsigned char)s[e] > ' ' &&
		    s[e] != '<' && s[e] != '>' && s[e] != '"'; e++)
			;
		/* sentence punctuation after a URL is not part of it */
		while (e > i && strchr(".,;:!?)]}'", s[e - 1]) != NULL)
			e--;
		if (e - i > m) {
			buf_reset(&u);
			if (buf_append(&u, s + i, e - i) == -1)
				w->nomem = 1;
			else
				cw_link(w, u.data, NULL);
		}
		i = e;
	}
	buf_free(&u);
}

/* 1 if the line ends like a sentence or a clause: not a heading */
static int
ends_sentence(const char *s, size_t n)
{
	static const char *const	 ends[] = { ".", "!", "?", ":", ";",
	    ",", "\"", ")", "\xe2\x80\xa6" /* … */, "\xe2\x80\x9d" /* ” */ };
	size_t				 i, k;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		k = strlen(ends[i]);
		if (n >= k && memcmp(s + n - k, ends[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * What line i becomes; soft[i] says line i is joined to the one before.
 * Only a line that stands alone (no join before or after) can be a
 * heading.
 */
static enum cw_kind
line_kind(const struct txt_line *l, const int *soft, size_t nlines,
    size_t i)
{
	size_t	 p, q, k, words = 1;

	if (soft[i] || (i + 1 < nlines && soft[i + 1]) ||
	    is_bullet(l[i].s, l[i].n) || ends_sentence(l[i].s, l[i].n))
		return CW_TEXT;
	for (k = 0; k < l[i].n; k++)
		if (l[i].s[k] == ' ')
			words++;
	/* the previous and next non-blank lines */
	for (p = i; p > 0 && l[p - 1].blank; p--)
		;
	for (q = i + 1; q < nlines && l[q].blank; q++)
		;
	if (q >= nlines)
		return CW_TEXT;			/* the last line: a byline */
	if (p == 0 && l[i].width <= TXT_TITLE_MAX && words >= 2)
		return CW_H1;
	if (p > 0 && words >= 2 && l[i].width <= TXT_SUB_MAX &&
	    l[p - 1].width >= TXT_PARA_MIN && l[q].width >= TXT_PARA_MIN)
		return CW_H2;
	return CW_TEXT;
}

int
convert_txt(struct buf *out, const char *src, size_t len, const char *base,
    char *err, size_t errlen)
{
	struct buf	 in = BUF_INIT;
	struct cw	 w;
	struct txt_line	*l = NULL;
	int		*soft = NULL;
	const char	*s, *e, *nl;
	size_t		 nlines = 0, cap = 0, i, k, wrap;
	int		 r = -1;

	if (convert_check_utf8(src, len, err, errlen) == -1)
		return -1;
	cw_init(&w, base);
	if (convert_lf(&in, src, len) == -1)
		goto nomem;
	s = in.data == NULL ? "" : in.data;
	for (e = s + in.len; s < e; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		if (nlines == cap) {
			struct txt_line	*t;

			cap = cap ? cap * 2 : 64;
			if ((t = reallocarray(l, cap, sizeof(*l))) == NULL)
				goto nomem;
			l = t;
		}
		k = ws_len(s, (size_t)(nl - s));
		l[nlines].s = s + k;
		l[nlines].n = (size_t)(nl - s) - k;
		l[nlines].n -= ws_len_back(l[nlines].s, l[nlines].n);
		l[nlines].blank = l[nlines].n == 0;
		l[nlines].width = indent_width(s, k) +
		    utf8_width(l[nlines].s, l[nlines].n);
		nlines++;
		if (nl == e)
			break;
	}

	wrap = wrap_width(l, nlines);
	if (nlines > 0 && (soft = calloc(nlines, sizeof(*soft))) == NULL)
		goto nomem;
	for (i = 1; i < nlines; i++)
		soft[i] = !l[i].blank && !l[i - 1].blank && wrap > 0 &&
		    !is_bullet(l[i].s, l[i].n) && l[i - 1].width + 1 +
		    first_word_width(l[i].s, l[i].n) > wrap;
	for (i = 0; i < nlines; i++) {
		if (l[i].blank) {
			cw_end_block(&w);
			continue;
		}
		if (i > 0 && !l[i - 1].blank) {
			if (soft[i])
				cw_text(&w, " ", 1);	/* a soft wrap */
			else
				cw_line(&w, line_kind(l, soft, nlines,
				    i - 1));
		}
		cw_text(&w, l[i].s, l[i].n);
		autolinks(&w, l[i].s, l[i].n);
		if (i + 1 < nlines && l[i + 1].blank && !soft[i])
			cw_line(&w, line_kind(l, soft, nlines, i));
	}
	if (nlines > 0 && !soft[nlines - 1])
		cw_line(&w, line_kind(l, soft, nlines, nlines - 1));
	cw_end_block(&w);
	r = cw_finish(&w, out, err, errlen);
	goto done;
nomem:
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "out of memory");
done:
	free(soft);
	free(l);
	buf_free(&in);
	cw_free(&w);
	return r;
}
