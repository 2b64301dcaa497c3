/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * article_news.c: what Vietnamese newsrooms write by convention, read
 * from an article once it is gemtext (article.c calls it after the
 * conversion and the header), narrow on purpose:
 *
 * - The byline: a story is signed with its last paragraph, a short line
 *   in capitals ("MỸ DUNG"). When the source names no author, such a
 *   line is the author; it stays in the body where it was written. Only
 *   a line of 2 to 5 words qualifies, every letter uppercase, every word
 *   shaped like a Vietnamese syllable (no "UBND", "TTXVN": acronyms are
 *   not names), 40 columns at most, after other text; link lines may
 *   follow it (the links of the blocks before), nothing else.
 *
 * Nothing here reads files or knows the site; utf8proc gives the letter
 * cases and utf8_fold the folding.
 */

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "article.h"
#include "buf.h"
#include "gemtext.h"
#include "utf8.h"

#define BYLINE_WORDS_MIN	2
#define BYLINE_WORDS_MAX	5
#define BYLINE_COLS_MAX		40

static int	 syllable(const char *, size_t);
static int	 byline_word(const char *, size_t);
static int	 byline_line(const char *, size_t);

/*
 * A Vietnamese syllable, folded to ASCII: up to three consonants, one
 * run of one to four vowels, then one of the finals the language has.
 * "dung", "nguyen", "khuyen" are; "ubnd", "ttxvn", "hcm" are not.
 */
static int
syllable(const char *s, size_t n)
{
	static const char *const finals[] = {
		"", "c", "ch", "m", "n", "ng", "nh", "p", "t"
	};
	size_t	 i = 0, v, k;

	while (i < n && (s[i] == '\0' || strchr("aeiouy", s[i]) == NULL)) {
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
		i++;
	}
	if (i > 3)
		return 0;
	for (v = i; i < n && s[i] != '\0' && strchr("aeiouy", s[i]) != NULL;
	    i++)
		;
	if (i == v || i - v > 4)
		return 0;
	for (k = 0; k < sizeof(finals) / sizeof(finals[0]); k++)
		if (strlen(finals[k]) == n - i &&
		    memcmp(finals[k], s + i, n - i) == 0)
			return 1;
	return 0;
}

/* A word of the byline: uppercase letters that make a syllable. */
static int
byline_word(const char *s, size_t n)
{
	struct buf	 f = BUF_INIT;
	size_t		 i, k;
	int		 cp, cat, ok = 0;

	for (i = 0; i < n; i += k) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp < 0)
			return 0;
		cat = utf8proc_category(cp);
		if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_MN)
			return 0;
	}
	if (utf8_fold(&f, s, n) == 0 && f.len > 0)
		ok = syllable(f.data, f.len);
	buf_free(&f);
	return ok;
}

/* The byline rule on one text line (trimmed). */
static int
byline_line(const char *s, size_t n)
{
	static const char *const seps[] = {
		"-", "&", "\xe2\x80\x93", "\xe2\x80\x94"	/* – — */
	};
	size_t	 i, j, k, words = 0;
	int	 sep_last = 1;

	if (n == 0 || utf8_width(s, n) > BYLINE_COLS_MAX)
		return 0;
	for (i = 0; i < n; i = j) {
		while (i < n && s[i] == ' ')
			i++;
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (j == i)
			break;
		for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++)
			if (strlen(seps[k]) == j - i &&
			    memcmp(seps[k], s + i, j - i) == 0)
				break;
		if (k < sizeof(seps) / sizeof(seps[0])) {
			/* "THU HÀ - MINH KHÔI": between names only */
			if (sep_last)
				return 0;
			sep_last = 1;
			continue;
		}
		if (!byline_word(s + i, j - i))
			return 0;
		words++;
		sep_last = 0;
	}
	return !sep_last && words >= BYLINE_WORDS_MIN &&
	    words <= BYLINE_WORDS_MAX;
}

int
article_byline(const char *body, size_t len, char **author)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	const char		*last = NULL;
	size_t			 lastlen = 0;
	int			 before = 0, links = 0;

	*author = NULL;
	gemtext_iter_init(&it, body, len);
	while (gemtext_next(&it, &l)) {
		if (l.type == GEMTEXT_TEXT && l.textlen == 0)
			continue;
		if (l.type == GEMTEXT_LINK && last != NULL) {
			links++;
			continue;
		}
		if (last != NULL)
			before = 1;
		last = NULL;
		links = 0;
		if (l.type == GEMTEXT_TEXT) {
			last = l.text;
			lastlen = l.textlen;
		} else if (l.type != GEMTEXT_HEADING)
			before = 1;
	}
	if (last == NULL || !before || !byline_line(last, lastlen))
		return 0;
	if ((*author = strndup(last, lastlen)) == NULL)
		return -1;
	return 0;
}
