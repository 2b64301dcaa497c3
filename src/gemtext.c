/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * gemtext.c: reads gemtext line by line (gemtext specification: link,
 * heading, list, quote and preformatting-toggle lines, everything else
 * text) and writes it safely. The iterator is what render.c, gopher.c
 * and search indexing walk; the emitters are the only way converters
 * and renderers write lines, so prose can never become markup and no
 * control character from a title or a query reaches the output.
 */

#include <string.h>

#include "buf.h"
#include "gemtext.h"
#include "utf8.h"

static void	trim(const char **, size_t *);
static int	sanitized(struct buf *, const char *, size_t);

void
gemtext_iter_init(struct gemtext_iter *it, const char *s, size_t len)
{
	it->p = s;
	it->end = s + len;
	it->in_pre = 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

int
gemtext_next(struct gemtext_iter *it, struct gemtext_line *l)
{
	const char	*s, *nl, *u;
	size_t		 len, n;

	if (it->p >= it->end)
		return 0;
	s = it->p;
	nl = memchr(s, '\n', (size_t)(it->end - s));
	if (nl == NULL) {
		len = (size_t)(it->end - s);
		it->p = it->end;
	} else {
		len = (size_t)(nl - s);
		it->p = nl + 1;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;

	memset(l, 0, sizeof(*l));
	if (len >= 3 && memcmp(s, "```", 3) == 0) {
		l->type = it->in_pre ? GEMTEXT_PRE_END : GEMTEXT_PRE_START;
		it->in_pre = !it->in_pre;
		l->text = s + 3;
		l->textlen = len - 3;
		trim(&l->text, &l->textlen);
		return 1;
	}
	if (it->in_pre) {
		l->type = GEMTEXT_PRE;
		l->text = s;
		l->textlen = len;
		return 1;
	}
	if (len >= 2 && s[0] == '=' && s[1] == '>') {
		u = s + 2;
		n = len - 2;
		while (n > 0 && is_space(*u)) {
			u++;
			n--;
		}
		l->url = u;
		while (n > 0 && !is_space(*u)) {
			u++;
			n--;
		}
		l->urllen = (size_t)(u - l->url);
		l->text = u;
		l->textlen = n;
		trim(&l->text, &l->textlen);
		l->type = l->urllen > 0 ? GEMTEXT_LINK : GEMTEXT_TEXT;
		if (l->type == GEMTEXT_TEXT) {
			l->text = s;
			l->textlen = len;
		}
		return 1;
	}
	if (len >= 1 && s[0] == '#') {
		n = 0;
		while (n < len && n < 3 && s[n] == '#')
			n++;
		l->type = GEMTEXT_HEADING;
		l->level = (int)n;
		l->text = s + n;
		l->textlen = len - n;
		trim(&l->text, &l->textlen);
		return 1;
	}
	if (len >= 2 && s[0] == '*' && s[1] == ' ') {
		l->type = GEMTEXT_LIST;
		l->text = s + 2;
		l->textlen = len - 2;
		trim(&l->text, &l->textlen);
		return 1;
	}
	if (len >= 1 && s[0] == '>') {
		l->type = GEMTEXT_QUOTE;
		l->text = s + 1;
		l->textlen = len - 1;
		trim(&l->text, &l->textlen);
		return 1;
	}
	l->type = GEMTEXT_TEXT;
	l->text = s;
	l->textlen = len;
	return 1;
}

static int
sanitized(struct buf *b, const char *s, size_t len)
{
	return utf8_sanitize_line(b, s, len);
}

int
gemtext_text(struct buf *b, const char *s, size_t len)
{
	/* a text line must not start like markup (gemtext spec, 5.4-5.5) */
	if ((len >= 2 && s[0] == '=' && s[1] == '>') ||
	    (len >= 1 && (s[0] == '#' || s[0] == '>' || s[0] == '*')) ||
	    (len >= 3 && memcmp(s, "```", 3) == 0))
		if (buf_putc(b, ' ') == -1)
			return -1;
	if (sanitized(b, s, len) == -1)
		return -1;
	return buf_putc(b, '\n');
}

int
gemtext_link(struct buf *b, const char *url, const char *label)
{
	const char	*p;

	if (buf_puts(b, "=> ") == -1)
		return -1;
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			if (buf_printf(b, "%%%02X", (unsigned char)*p) == -1)
				return -1;
		} else if (buf_putc(b, *p) == -1)
			return -1;
	}
	if (label != NULL && *label != '\0') {
		if (buf_putc(b, ' ') == -1 ||
		    sanitized(b, label, strlen(label)) == -1)
			return -1;
	}
	return buf_putc(b, '\n');
}

static int
prefixed(struct buf *b, const char *prefix, const char *s, size_t len)
{
	if (buf_puts(b, prefix) == -1 || sanitized(b, s, len) == -1)
		return -1;
	return buf_putc(b, '\n');
}

int
gemtext_heading(struct buf *b, int level, const char *s, size_t len)
{
	static const char *const	 p[] = { "# ", "## ", "### " };

	if (level < 1)
		level = 1;
	if (level > 3)
		level = 3;
	return prefixed(b, p[level - 1], s, len);
}

int
gemtext_item(struct buf *b, const char *s, size_t len)
{
	return prefixed(b, "* ", s, len);
}

int
gemtext_quote(struct buf *b, const char *s, size_t len)
{
	return prefixed(b, "> ", s, len);
}

/*
 * Converters often keep the source's title as the first heading, and a
 * web page's <h1> (or the line a CMS prints it on) repeats its
 * <title>. If the body's first non-blank line is a heading (of any
 * level) or a line of text that says the title (gemtext_same_title),
 * return the bytes up to the end of that line so that a page does not
 * show the title twice, nor search index it twice.
 */
size_t
gemtext_title_end(const char *body, size_t len, const char *title)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	size_t			 i;

	gemtext_iter_init(&it, body, len);
	while (gemtext_next(&it, &l)) {
		if (l.type == GEMTEXT_TEXT) {
			for (i = 0; i < l.textlen; i++)
				if (l.text[i] != ' ' && l.text[i] != '\t')
					break;
			if (i == l.textlen)
				continue;
		}
		if ((l.type == GEMTEXT_HEADING || l.type == GEMTEXT_TEXT) &&
		    gemtext_same_title(l.text, l.textlen, title))
			return (size_t)(it.p - body);
		return 0;
	}
	return 0;
}

/* The words of s, folded (case, marks, "đ") and joined by single
 * spaces: "Đại hội - Chi bộ!" -> "dai hoi chi bo". */
static int
title_key(struct buf *key, const char *s, size_t len)
{
	struct buf	 f = BUF_INIT;
	size_t		 i;
	int		 sp = 0, r = -1;
	unsigned char	 c;

	buf_reset(key);
	if (utf8_fold(&f, s, len) == -1)
		goto done;
	for (i = 0; i < f.len; i++) {
		c = (unsigned char)f.data[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80) {
			if (sp && key->len > 0 && buf_putc(key, ' ') == -1)
				goto done;
			if (buf_putc(key, c) == -1)
				goto done;
			sp = 0;
		} else
			sp = 1;
	}
	r = buf_append(key, "", 0);
done:
	buf_free(&f);
	return r;
}

/* The ASCII letters and digits of s: a key of s is at least as long
 * (title_key keeps each, folded to one byte). */
static size_t
ascii_alnum(const char *s, size_t len)
{
	size_t	 i, n = 0;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		n += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
	}
	return n;
}

int
gemtext_same_title(const char *h, size_t hlen, const char *title)
{
	static const char *const seps[] = {
		" - ", " | ", " – ", " — ", " :: ", " » ", " « ", " > "
	};
	struct buf	 hk = BUF_INIT, tk = BUF_INIT;
	const char	*p;
	size_t		 i, tlen = strlen(title);
	int		 r = 0;

	/*
	 * A line longer than the title's key (every part of the title
	 * has a shorter one) is not it: most first lines are paragraphs,
	 * and folding them was most of the cost of making an article's
	 * plain text.
	 */
	if (title_key(&tk, title, tlen) == -1 ||
	    ascii_alnum(h, hlen) > tk.len ||
	    title_key(&hk, h, hlen) == -1 || hk.len == 0)
		goto done;
	if (strcmp(hk.data, tk.data) == 0) {
		r = 1;
		goto done;
	}
	for (i = 0; i < sizeof(seps) / sizeof(seps[0]) && !r; i++)
		for (p = title; (p = strstr(p, seps[i])) != NULL && !r; p++) {
			if (title_key(&tk, title, (size_t)(p - title)) == 0 &&
			    strcmp(hk.data, tk.data) == 0)
				r = 1;
			else if (title_key(&tk, p + strlen(seps[i]),
			    tlen - (size_t)(p - title) - strlen(seps[i])) ==
			    0 && strcmp(hk.data, tk.data) == 0)
				r = 1;
		}
done:
	buf_free(&hk);
	buf_free(&tk);
	return r;
}
