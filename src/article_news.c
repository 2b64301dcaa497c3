/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * article_news.c: what Vietnamese newsrooms write by convention, read
 * from an article once it is gemtext (article.c calls it after the
 * conversion and the header). Two conventions, each narrow on purpose:
 *
 * - The byline: a story is signed with its last paragraph, a short line
 *   in capitals ("MỸ DUNG"). When the source names no author, such a
 *   line is the author; it stays in the body where it was written. Only
 *   a line of 2 to 5 words qualifies, every letter uppercase, every word
 *   shaped like a Vietnamese syllable (no "UBND", "TTXVN": acronyms are
 *   not names), 40 columns at most, after other text; link lines may
 *   follow it (the links of the blocks before), nothing else.
 * - The dateline: a CMS often opens the story with a paragraph that
 *   only repeats its date and author ("21/05/2020 11:15", "Ngọc Hân ·
 *   02/09/2023 09:05"). When every part of it says what the metadata
 *   says, it goes; search never takes one as an excerpt.
 *
 * Nothing here reads files or knows the site; utf8proc gives the letter
 * cases and utf8_fold the comparisons without diacritics.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "article.h"
#include "buf.h"
#include "gemtext.h"
#include "utf8.h"

#define BYLINE_WORDS_MIN	2
#define BYLINE_WORDS_MAX	5
#define BYLINE_COLS_MAX		40
#define DATELINE_NAME_MAX	4	/* words besides the date */
#define DATELINE_TOKENS_MAX	24

struct dateline {
	int		 y, m, d;	/* y 0: no date */
	int		 hh, mi;	/* hh -1: no time */
	struct buf	 name;		/* the other words, folded, spaced */
	size_t		 nname;
};

struct tok {
	const char	*s;
	size_t		 n;
	int		 lead;		/* the first, or after punctuation */
};

static int	 syllable(const char *, size_t);
static int	 byline_word(const char *, size_t);
static int	 byline_line(const char *, size_t);
static size_t	 sep_len(const char *, size_t, size_t);
static size_t	 tokens(const char *, size_t, struct tok *, size_t);
static long	 fold_tokens(const char *, size_t, struct buf *,
		    struct tok *, struct tok *, size_t);
static int	 name_key(struct buf *, const char *, size_t);
static int	 tok_is(const struct tok *, const char *);
static int	 tok_num(const struct tok *, size_t, size_t, int *);
static int	 num_date(const struct tok *, struct dateline *);
static int	 num_time(const struct tok *, struct dateline *);
static int	 month_word(const struct tok *, size_t, size_t, size_t *);
static int	 valid_date(int, int, int);
static int	 dateline_read(const char *, size_t, struct dateline *);
static int	 dateline_first(const char *, size_t, size_t *, size_t *);

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

/*
 * The dateline.
 */

/* Bytes of a separator of datelines at s[i], or 0. */
static size_t
sep_len(const char *s, size_t n, size_t i)
{
	static const char *const seps[] = {
		"\xc2\xb7", "\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x80\x94",
		"\xe2\x80\xa6"			/* · • – — … */
	};
	size_t		 k, sl;
	unsigned char	 c = (unsigned char)s[i];

	/* this looks at every byte of a first line: ASCII is decided by
	 * one look, and the other separators start 0xc2 or 0xe2 */
	if (c < 0x80)
		return c != '\0' && strchr(" \t\r\n,;|()[]", c) != NULL;
	if (c != 0xc2 && c != 0xe2)
		return 0;
	for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
		sl = strlen(seps[k]);
		if (n - i >= sl && memcmp(s + i, seps[k], sl) == 0)
			return sl;
	}
	return 0;
}

/*
 * The words of s[0..n), cut at spaces and the separators of datelines;
 * "-", "/" or ":" alone, and a label's trailing ":", are punctuation.
 * Returns their number, or max + 1 if there are more.
 */
static size_t
tokens(const char *s, size_t n, struct tok *t, size_t max)
{
	size_t	 i = 0, j, k, nt = 0;
	int	 cut = 1;

	while (i < n) {
		if ((k = sep_len(s, n, i)) > 0) {
			if (s[i] != ' ' && s[i] != '\t')
				cut = 1;
			i += k;
			continue;
		}
		for (j = i; j < n && sep_len(s, n, j) == 0; j++)
			;
		for (k = j; k > i && strchr(":.-/", s[k - 1]) != NULL; k--)
			;
		if (k > i) {
			if (nt == max)
				return max + 1;
			t[nt].s = s + i;
			t[nt].n = k - i;
			t[nt].lead = cut;
			nt++;
		}
		cut = k < j;
		i = j;
	}
	return nt;
}

/*
 * The words of s[0..n) folded (no case, no diacritics) into f, and
 * where each one is in it; their number, or max + 1 (or -1 out of
 * memory).
 */
static long
fold_tokens(const char *s, size_t n, struct buf *f, struct tok *o,
    struct tok *t, size_t max)
{
	size_t	 nt, i, off[DATELINE_TOKENS_MAX];

	if ((nt = tokens(s, n, o, max)) > max)
		return (long)nt;
	for (i = 0; i < nt; i++) {
		off[i] = f->len;
		if (utf8_fold(f, o[i].s, o[i].n) == -1 ||
		    buf_append(f, "", 0) == -1)
			return -1;
		t[i].n = f->len - off[i];
	}
	for (i = 0; i < nt; i++) {
		t[i].s = f->data + off[i];
		t[i].lead = o[i].lead;
	}
	return (long)nt;
}

/* The words of a name folded and joined by single spaces. */
static int
name_key(struct buf *out, const char *s, size_t n)
{
	struct buf	 f = BUF_INIT;
	struct tok	 o[DATELINE_TOKENS_MAX], t[DATELINE_TOKENS_MAX];
	long		 nt, i;
	int		 r = 0;

	nt = fold_tokens(s, n, &f, o, t, DATELINE_TOKENS_MAX);
	if (nt < 0 || nt > DATELINE_TOKENS_MAX)
		r = -1;
	for (i = 0; r == 0 && i < nt; i++)
		if ((i > 0 && buf_putc(out, ' ') == -1) ||
		    buf_append(out, t[i].s, t[i].n) == -1)
			r = -1;
	buf_free(&f);
	return r;
}

static int
tok_is(const struct tok *t, const char *w)
{
	return t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

/* The digits at t->s[from..to) as a number; -1 if not all digits. */
static int
tok_num(const struct tok *t, size_t from, size_t to, int *v)
{
	size_t	 i;

	if (from >= to || to - from > 4)
		return -1;
	for (*v = 0, i = from; i < to; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
		*v = *v * 10 + (t->s[i] - '0');
	}
	return 0;
}

static int
valid_date(int y, int m, int d)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	return y >= 1000 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= mdays[m - 1] && (m != 2 || d < 29 || (y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0)));
}

/* "21/05/2020", "21-5-2020", "21.05.2020", "2020-05-21" */
static int
num_date(const struct tok *t, struct dateline *dl)
{
	size_t	 a, b;
	int	 x, y, z;
	char	 sep;

	for (a = 0; a < t->n && t->s[a] >= '0' && t->s[a] <= '9'; a++)
		;
	if (a == 0 || a == t->n || strchr("/-.", t->s[a]) == NULL)
		return 0;
	sep = t->s[a];
	for (b = a + 1; b < t->n && t->s[b] != sep; b++)
		;
	if (b == t->n || tok_num(t, 0, a, &x) == -1 ||
	    tok_num(t, a + 1, b, &y) == -1 ||
	    tok_num(t, b + 1, t->n, &z) == -1)
		return 0;
	if (a == 4 && sep == '-' && b - a == 3 && t->n - b == 3) {
		if (!valid_date(x, y, z))	/* ISO */
			return 0;
		dl->y = x;
		dl->m = y;
		dl->d = z;
	} else if (a <= 2 && b - a - 1 <= 2 && t->n - b - 1 == 4) {
		if (!valid_date(z, y, x))
			return 0;
		dl->d = x;
		dl->m = y;
		dl->y = z;
	} else
		return 0;
	return 1;
}

/* "11:15", "11:15:00", "11h15", "11h" */
static int
num_time(const struct tok *t, struct dateline *dl)
{
	size_t	 a;
	int	 h, m = 0, sec;

	for (a = 0; a < t->n && t->s[a] >= '0' && t->s[a] <= '9'; a++)
		;
	if (a == 0 || a > 2 || a == t->n || tok_num(t, 0, a, &h) == -1)
		return 0;
	if (t->s[a] == 'h') {
		if (a + 1 < t->n && (t->n - a - 1 != 2 ||
		    tok_num(t, a + 1, t->n, &m) == -1))
			return 0;
	} else if (t->s[a] == ':') {
		if (t->n - a - 1 == 2) {
			if (tok_num(t, a + 1, t->n, &m) == -1)
				return 0;
		} else if (t->n - a - 1 != 5 || t->s[a + 3] != ':' ||
		    tok_num(t, a + 1, a + 3, &m) == -1 ||
		    tok_num(t, a + 4, t->n, &sec) == -1 || sec > 60)
			return 0;
	} else
		return 0;
	if (h > 23 || m > 59)
		return 0;
	dl->hh = h;
	dl->mi = m;
	return 1;
}

/* A month in words at t[i] ("năm", "mười hai"): its number; *used. */
static int
month_word(const struct tok *t, size_t nt, size_t i, size_t *used)
{
	static const struct {
		const char	*w;
		int		 m;
	} months[] = {
		{ "mot", 1 }, { "gieng", 1 }, { "hai", 2 }, { "ba", 3 },
		{ "tu", 4 }, { "bon", 4 }, { "nam", 5 }, { "sau", 6 },
		{ "bay", 7 }, { "tam", 8 }, { "chin", 9 }, { "chap", 12 },
	};
	size_t	 k;

	*used = 1;
	if (tok_is(&t[i], "muoi")) {
		if (i + 1 < nt && tok_is(&t[i + 1], "mot")) {
			*used = 2;
			return 11;
		}
		if (i + 1 < nt && tok_is(&t[i + 1], "hai")) {
			*used = 2;
			return 12;
		}
		return 10;
	}
	for (k = 0; k < sizeof(months) / sizeof(months[0]); k++)
		if (tok_is(&t[i], months[k].w))
			return months[k].m;
	return 0;
}

/*
 * Read s[0..len), one line, as a dateline: a date, and maybe a weekday,
 * a time (with SA/CH, AM/PM or a zone), the words "ngày", "lúc",
 * "cập nhật", and up to DATELINE_NAME_MAX other words (a name, a
 * section), each run of them capitalised. 1 if so; 0 if not (or out of
 * memory: then it is simply not read as one).
 */
static int
dateline_read(const char *s, size_t len, struct dateline *dl)
{
	static const char *const weekdays[] = {
		"hai", "ba", "tu", "nam", "sau", "bay", "2", "3", "4", "5",
		"6", "7"
	};
	struct buf	 f = BUF_INIT;
	struct tok	 o[DATELINE_TOKENS_MAX], t[DATELINE_TOKENS_MAX];
	size_t		 nt, i, k, used;
	long		 r;
	int		 v, mo, y, cp;

	memset(dl, 0, sizeof(*dl));
	dl->hh = -1;
	r = fold_tokens(s, len, &f, o, t, DATELINE_TOKENS_MAX);
	if (r <= 0 || r > DATELINE_TOKENS_MAX)
		goto no;
	nt = (size_t)r;
	for (i = 0; i < nt; i++) {
		if (dl->y == 0 && num_date(&t[i], dl))
			continue;
		if (dl->hh == -1 && num_time(&t[i], dl))
			continue;
		if (dl->hh >= 0 && (tok_is(&t[i], "sa") ||
		    tok_is(&t[i], "am"))) {
			if (dl->hh == 12)
				dl->hh = 0;
			continue;
		}
		if (dl->hh >= 0 && (tok_is(&t[i], "ch") ||
		    tok_is(&t[i], "pm"))) {
			if (dl->hh < 12)
				dl->hh += 12;
			continue;
		}
		if (t[i].n >= 3 && (strncmp(t[i].s, "gmt", 3) == 0 ||
		    strncmp(t[i].s, "utc", 3) == 0 || t[i].s[0] == '+'))
			continue;		/* a zone */
		if (tok_is(&t[i], "ngay") || tok_is(&t[i], "luc") ||
		    tok_is(&t[i], "cn"))
			continue;
		if (i + 1 < nt && ((tok_is(&t[i], "cap") &&
		    tok_is(&t[i + 1], "nhat")) || (tok_is(&t[i], "chu") &&
		    tok_is(&t[i + 1], "nhat")))) {
			i++;
			continue;
		}
		if (tok_is(&t[i], "thu") && i + 1 < nt) {
			for (k = 0; k < sizeof(weekdays) /
			    sizeof(weekdays[0]); k++)
				if (tok_is(&t[i + 1], weekdays[k]))
					break;
			if (k < sizeof(weekdays) / sizeof(weekdays[0])) {
				i++;
				continue;
			}
		}
		/* "21 tháng 5 năm 2020", "21 Tháng Năm 2020" */
		if (dl->y == 0 && i + 3 < nt && tok_num(&t[i], 0, t[i].n,
		    &v) == 0 && tok_is(&t[i + 1], "thang")) {
			k = i + 2;
			if (tok_num(&t[k], 0, t[k].n, &mo) == 0)
				used = 1;
			else
				mo = month_word(t, nt, k, &used);
			k += used;
			if (k + 1 < nt && tok_is(&t[k], "nam"))
				k++;
			if (mo > 0 && k < nt && t[k].n == 4 &&
			    tok_num(&t[k], 0, 4, &y) == 0 &&
			    valid_date(y, mo, v)) {
				dl->y = y;
				dl->m = mo;
				dl->d = v;
				i = k;
				continue;
			}
		}
		/* a name ("Ngọc Hân") or a section ("Lễ hội") starts with
		 * a capital; a sentence after the date does not */
		(void)utf8_decode(o[i].s, o[i].n, &cp);
		if (dl->nname == DATELINE_NAME_MAX || cp < 0 || (o[i].lead &&
		    utf8proc_category(cp) != UTF8PROC_CATEGORY_LU &&
		    utf8proc_category(cp) != UTF8PROC_CATEGORY_LT))
			goto no;
		if ((dl->nname > 0 && buf_putc(&dl->name, ' ') == -1) ||
		    buf_append(&dl->name, t[i].s, t[i].n) == -1)
			goto no;
		dl->nname++;
	}
	buf_free(&f);
	if (dl->y == 0) {
		buf_free(&dl->name);
		return 0;
	}
	return 1;
no:
	buf_free(&f);
	buf_free(&dl->name);
	return 0;
}

/*
 * The first paragraph of body: a text line after blank lines and a
 * level-1 heading (the title) at most. Its line in [*from, *to), *to
 * past the blank lines after it; 0 if there is none.
 */
static int
dateline_first(const char *body, size_t len, size_t *from, size_t *to)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	const char		*at;

	gemtext_iter_init(&it, body, len);
	for (;;) {
		at = it.p;
		if (!gemtext_next(&it, &l))
			return 0;
		if (l.type == GEMTEXT_TEXT && l.textlen == 0)
			continue;
		if (l.type == GEMTEXT_HEADING && l.level == 1)
			continue;
		if (l.type != GEMTEXT_TEXT)
			return 0;
		break;
	}
	*from = (size_t)(at - body);
	*to = (size_t)(it.p - body);
	while (*to < len && body[*to] == '\n')
		(*to)++;
	return 1;
}

size_t
article_dateline_len(const char *body, size_t len)
{
	struct dateline	 dl;
	size_t		 from, to;

	if (!dateline_first(body, len, &from, &to) ||
	    !dateline_read(body + from, to - from, &dl))
		return 0;
	buf_free(&dl.name);
	return to;
}

int
article_drop_dateline(struct buf *body, size_t start,
    const struct article_meta *m)
{
	struct dateline	 dl;
	struct buf	 author = BUF_INIT;
	struct tm	 tm;
	char		*b;
	size_t		 from, to, len;
	int		 same;

	if (!m->has_date || body->len <= start ||
	    gmtime_r(&m->date, &tm) == NULL)
		return 0;
	b = body->data + start;
	len = body->len - start;
	if (!dateline_first(b, len, &from, &to) ||
	    !dateline_read(b + from, to - from, &dl))
		return 0;
	/* the date is the article's (its time too, if it gives one) */
	same = dl.y == tm.tm_year + 1900 && dl.m == tm.tm_mon + 1 &&
	    dl.d == tm.tm_mday && (dl.hh == -1 || (m->has_time &&
	    dl.hh == tm.tm_hour && dl.mi == tm.tm_min));
	/* and the name, if it gives one, the author's */
	if (same && dl.nname > 0)
		same = m->author != NULL && name_key(&author, m->author,
		    strlen(m->author)) == 0 && author.len == dl.name.len &&
		    memcmp(author.data, dl.name.data, author.len) == 0;
	buf_free(&author);
	buf_free(&dl.name);
	if (!same)
		return 0;
	/* the blank lines after it go with it; at the end, those before */
	if (to == len)
		while (from > 0 && b[from - 1] == '\n' &&
		    (from == 1 || b[from - 2] == '\n'))
			from--;
	memmove(b + from, b + to, len - to + 1);
	body->len -= to - from;
	return 1;
}
