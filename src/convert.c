/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert.c: what every source format shares on its way to gemtext:
 * resolving links onto the capsule's path scheme, the gemtext writer
 * (struct cw) that the Markdown, HTML and text converters feed, and the
 * final tidy and NFC pass; plus the gemtext "converter", which only
 * validates and repairs. The writer decides layout (one blank line
 * between blocks, links after their block, tables padded by display
 * width) so that the per-format files only walk their own syntax.
 * Lines are written only through the gemtext_* emitters: prose can
 * never become markup.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "convert.h"
#include "convert_int.h"
#include "gemtext.h"
#include "utf8.h"

static int	collapse(struct buf *, int *, const char *, size_t);
static void	sep(struct cw *);
static void	flush_links(struct cw *);
static int	has_line(const struct buf *, const struct buf *);
static int	link_line(struct cw *, struct buf *, const char *,
		    const char *);
static int	on_site(struct cw *, struct buf *);
static void	pad(struct buf *, size_t, int, int *);
static int	scheme_len(const char *);
static int	norm_path(struct buf *, const char *, int *);
static void	strip_source_ext(struct buf *);
static int	is_blank(const char *, size_t);
static size_t	cell_width(const struct cw *, const struct cw_cell *);
static void	table_render(struct cw *);
static int	convert_tidy(struct buf *, const char *, size_t);

/* extensions of article sources: a link to one names the article */
static const char *const source_ext[] = {
	".md", ".gmi", ".txt", ".html", ".htm"
};

/* URL schemes a link is dropped for: nothing to follow from Gemini */
static const char *const dropped_scheme[] = {
	"javascript", "vbscript", "data", "about", "blob"
};

void
convert_meta_free(struct convert_meta *m)
{
	if (m == NULL)
		return;
	free(m->title);
	free(m->author);
	free(m->summary);
	free(m->date);
	free(m->lang);
	free(m->tags);
	free(m->block);
	memset(m, 0, sizeof(*m));
}

/*
 * Whitespace for collapsing: ASCII and Unicode spaces, and every control
 * character (a form feed or a stray C1 byte in prose is layout noise).
 * NBSP counts: CMS pages indent and pad with &nbsp; runs.
 */
int
convert_is_ws(int cp)
{
	return (cp >= 0 && cp <= 0x20) || cp == 0x7f ||
	    (cp >= 0x80 && cp <= 0xa0) || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

int
convert_put_cp(struct buf *b, int cp)
{
	unsigned char	 u[4];
	size_t		 n;

	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(b, u, n);
}

/* Does collapse() keep cp as it is? (Not a space, an invalid byte, a
 * zero-width space or a BOM.) */
static int
kept(int cp)
{
	return cp >= 0 && !convert_is_ws(cp) && cp != 0x200b && cp != 0xfeff;
}

/* The same for the character at s. */
static int
kept_at(const char *s, size_t len)
{
	int	 cp;

	if ((unsigned char)*s > 0x20 && (unsigned char)*s < 0x7f)
		return 1;
	(void)utf8_decode(s, len, &cp);
	return kept(cp);
}

/*
 * Append s to b with whitespace runs collapsed to one space. *space
 * carries a pending space between calls; none is kept at the start of
 * b, and none is written until something follows it. Invalid bytes
 * become U+FFFD; zero-width spaces and BOMs are dropped.
 */
static int
collapse(struct buf *b, int *space, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n, run = 0;
	int			 cp;

	/* the bytes kept as they are go in by runs, [run, i), not one
	 * character at a time: this is most of a conversion's output. A
	 * space alone between two kept characters stays in its run (it
	 * would be written there anyway): a run is a line, not a word */
	for (i = 0; i < len; i += n) {
		n = 1;
		if (u[i] > 0x20 && u[i] < 0x7f)
			cp = u[i];
		else if (u[i] == ' ' && i > run && i + 1 < len &&
		    kept_at(s + i + 1, len - i - 1))
			continue;
		else
			n = utf8_decode(s + i, len - i, &cp);
		if (kept(cp)) {
			if (*space) {
				if (buf_putc(b, ' ') == -1)
					return -1;
				*space = 0;
			}
			continue;
		}
		if (i > run && buf_append(b, s + run, i - run) == -1)
			return -1;
		run = i + n;
		if (convert_is_ws(cp)) {
			if (b->len > 0)
				*space = 1;
		} else if (cp < 0) {
			if (*space) {
				if (buf_putc(b, ' ') == -1)
					return -1;
				*space = 0;
			}
			if (convert_put_cp(b, 0xfffd) == -1)
				return -1;
		}
	}
	if (i > run && buf_append(b, s + run, i - run) == -1)
		return -1;
	return 0;
}

int
convert_collapse(struct buf *b, const char *s, size_t len)
{
	struct buf	 t = BUF_INIT;
	int		 space = 0, r;

	if ((r = collapse(&t, &space, s, len)) == 0 && t.len > 0)
		r = buf_append(b, t.data, t.len);
	buf_free(&t);
	return r;
}

int
convert_check_utf8(const char *s, size_t len, char *err, size_t errlen)
{
	size_t	 i = 0, n, line = 1;
	int	 cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				break;
			if (s[i] == '\n')
				line++;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			break;
		i += n;
	}
	if (i == len)
		return 0;
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "invalid UTF-8 at byte %zu "
		    "(line %zu)", i, line);
	return -1;
}

int
convert_lf(struct buf *b, const char *s, size_t len)
{
	size_t	 i;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (buf_reserve(b, len) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				continue;
			if (buf_putc(b, '\n') == -1)
				return -1;
		} else if (buf_putc(b, s[i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * Links. A capsule serves articles at their path without extension and
 * everything else at its own path, so a relative link in a source is
 * resolved here once, against the folder's URL path (RFC 3986 5.2 with
 * dot segments removed, never above the root).
 */

/* Length of "scheme" in "scheme:...", or 0 if href has none. */
static int
scheme_len(const char *h)
{
	int	 i;

	if (!((h[0] >= 'a' && h[0] <= 'z') || (h[0] >= 'A' && h[0] <= 'Z')))
		return 0;
	for (i = 1; h[i] != '\0'; i++) {
		if (h[i] == ':')
			return i;
		if (!((h[i] >= 'a' && h[i] <= 'z') ||
		    (h[i] >= 'A' && h[i] <= 'Z') ||
		    (h[i] >= '0' && h[i] <= '9') ||
		    h[i] == '+' || h[i] == '-' || h[i] == '.'))
			return 0;
	}
	return 0;
}

/*
 * Append path s (starting with '/') with empty, "." and ".." segments
 * resolved. *dir is set when the result names a folder.
 */
static int
norm_path(struct buf *out, const char *s, int *dir)
{
	struct buf	 t = BUF_INIT;
	const char	*seg, *e;
	size_t		 n;
	int		 r;

	*dir = 1;
	if (buf_putc(&t, '/') == -1)
		goto fail;
	for (seg = s; *seg != '\0'; seg = e) {
		while (*seg == '/')
			seg++;
		if (*seg == '\0')
			break;
		e = strchr(seg, '/');
		if (e == NULL)
			e = seg + strlen(seg);
		n = (size_t)(e - seg);
		*dir = *e == '/';
		if (n == 1 && seg[0] == '.') {
			*dir = 1;
			continue;
		}
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			*dir = 1;
			/* drop the last "name/" but never the root */
			if (t.len > 1) {
				t.len--;
				while (t.len > 1 && t.data[t.len - 1] != '/')
					t.len--;
				t.data[t.len] = '\0';
			}
			continue;
		}
		if (buf_append(&t, seg, n) == -1 || buf_putc(&t, '/') == -1)
			goto fail;
	}
	if (!*dir && t.len > 1)
		t.data[--t.len] = '\0';
	r = buf_append(out, t.data, t.len);
	buf_free(&t);
	return r;
fail:
	buf_free(&t);
	return -1;
}

/* "/thoi-su/x.md" -> "/thoi-su/x": the article, not its source. */
static void
strip_source_ext(struct buf *p)
{
	char	*name, *dot;
	size_t	 i;

	name = strrchr(p->data, '/');
	name = name == NULL ? p->data : name + 1;
	dot = strrchr(name, '.');
	if (dot == NULL || dot == name)
		return;
	for (i = 0; i < sizeof(source_ext) / sizeof(source_ext[0]); i++)
		if (strcasecmp(dot, source_ext[i]) == 0) {
			p->len = (size_t)(dot - p->data);
			p->data[p->len] = '\0';
			return;
		}
}

int
convert_link(struct buf *out, const char *href, const char *base)
{
	struct buf	 h = BUF_INIT, full = BUF_INIT, path = BUF_INIT;
	const char	*p;
	size_t		 n, q, f, i;
	int		 sl, dir, rel, r = -1;

	if (href == NULL)
		return -1;
	/* URL parsers drop tabs and newlines anywhere, and trim the ends */
	for (p = href; *p != '\0'; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r' &&
		    buf_putc(&h, *p) == -1)
			goto done;
	n = h.len;
	while (n > 0 && (unsigned char)h.data[n - 1] <= ' ')
		n--;
	for (i = 0; i < n && (unsigned char)h.data[i] <= ' '; i++)
		;
	if (i == n || h.data[i] == '#')
		goto done;		/* nothing, or only this page */
	memmove(h.data, h.data + i, n - i);
	h.len = n - i;
	h.data[h.len] = '\0';

	if ((sl = scheme_len(h.data)) > 0) {
		for (i = 0; i < sizeof(dropped_scheme) /
		    sizeof(dropped_scheme[0]); i++)
			if (strlen(dropped_scheme[i]) == (size_t)sl &&
			    strncasecmp(h.data, dropped_scheme[i],
			    (size_t)sl) == 0)
				goto done;
		r = buf_append(out, h.data, h.len);
		goto done;
	}
	if (h.data[0] == '/' && h.data[1] == '/') {
		/* scheme-relative: from a web page, so the web */
		if (buf_puts(out, "https:") == -1)
			goto done;
		r = buf_append(out, h.data, h.len);
		goto done;
	}

	q = strcspn(h.data, "?#");	/* path ends at q */
	f = q + strcspn(h.data + q, "#"); /* query is [q, f) */
	rel = h.data[0] != '/';
	if (rel) {
		if (base == NULL || base[0] != '/')
			if (buf_putc(&full, '/') == -1)
				goto done;
		if (base != NULL && buf_puts(&full, base) == -1)
			goto done;
		if ((full.len == 0 || full.data[full.len - 1] != '/') &&
		    buf_putc(&full, '/') == -1)
			goto done;
	}
	if (buf_append(&full, h.data, q) == -1 ||
	    norm_path(&path, full.data, &dir) == -1)
		goto done;
	if (rel && !dir)
		strip_source_ext(&path);
	if (buf_append(out, path.data, path.len) == -1 ||
	    buf_append(out, h.data + q, f - q) == -1)
		goto done;
	r = 0;
done:
	buf_free(&h);
	buf_free(&full);
	buf_free(&path);
	return r;
}

/*
 * The writer. Text is gathered into w->line with whitespace collapsed;
 * cw_line() writes it as one gemtext line, cw_end_block() closes a
 * block (a blank line is owed, then the block's links follow). While
 * w->soft > 0 (list items, table cells, link labels, headings) block
 * ends only add a space; while w->hold > 0 (lists, quotes, tables) the
 * links wait for the container's end, so they do not split it.
 */

void
cw_init(struct cw *w, const char *base)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->raw);
	buf_init(&w->line);
	buf_init(&w->links);
	buf_init(&w->cells);
	w->base = base;
}

void
cw_free(struct cw *w)
{
	buf_free(&w->raw);
	buf_free(&w->line);
	buf_free(&w->links);
	buf_free(&w->cells);
	free(w->cell);
	free(w->row);
	w->cell = NULL;
	w->row = NULL;
}

void
cw_text(struct cw *w, const char *s, size_t len)
{
	if (collapse(&w->line, &w->space, s, len) == -1)
		w->nomem = 1;
}

/* Write the blank line owed, if any, before a new line. */
static void
sep(struct cw *w)
{
	if (w->gap && w->raw.len > 0 && buf_putc(&w->raw, '\n') == -1)
		w->nomem = 1;
	w->gap = 0;
}

void
cw_line(struct cw *w, enum cw_kind kind)
{
	const char	*s = w->line.data;
	size_t		 n = w->line.len;
	int		 r;

	if (w->soft > 0) {
		if (n > 0)
			w->space = 1;
		return;
	}
	w->space = 0;
	if (n == 0)
		return;
	if (w->quote > 0)
		kind = CW_QUOTE;
	sep(w);
	switch (kind) {
	case CW_H1:
	case CW_H2:
	case CW_H3:
		r = gemtext_heading(&w->raw, kind - CW_H1 + 1, s, n);
		break;
	case CW_ITEM:
		r = gemtext_item(&w->raw, s, n);
		break;
	case CW_QUOTE:
		r = gemtext_quote(&w->raw, s, n);
		break;
	default:
		r = gemtext_text(&w->raw, s, n);
		break;
	}
	if (r == -1)
		w->nomem = 1;
	buf_reset(&w->line);
}

void
cw_break(struct cw *w)
{
	if (w->soft > 0) {
		if (w->line.len > 0)
			w->space = 1;
		return;
	}
	if (w->line.len == 0) {
		/* a second <br> in a row: the author meant a paragraph */
		w->gap = 1;
		return;
	}
	cw_line(w, CW_TEXT);
}

static void
flush_links(struct cw *w)
{
	if (w->links.len == 0)
		return;
	w->gap = 1;
	sep(w);
	if (buf_append(&w->raw, w->links.data, w->links.len) == -1)
		w->nomem = 1;
	buf_reset(&w->links);
	w->gap = 1;
}

void
cw_end_block(struct cw *w)
{
	if (w->soft > 0) {
		if (w->line.len > 0)
			w->space = 1;
		return;
	}
	cw_line(w, CW_TEXT);
	/* the paragraphs of one quote stay one run of quote lines */
	if (w->quote == 0)
		w->gap = 1;
	if (w->hold == 0)
		flush_links(w);
}

/* 1 if line (one "...\n") is already one of the lines of b */
static int
has_line(const struct buf *b, const struct buf *line)
{
	const char	*p, *e;

	if (b->len == 0)
		return 0;
	for (p = b->data, e = b->data + b->len; p < e; ) {
		if ((size_t)(e - p) >= line->len &&
		    memcmp(p, line->data, line->len) == 0)
			return 1;
		p = memchr(p, '\n', (size_t)(e - p));
		if (p == NULL)
			break;
		p++;
	}
	return 0;
}

/* Bytes of "http://host" or "https://host" at the start of url, when
 * host is self ("www." aside) and a path, query or nothing follows. */
static size_t
self_prefix(const char *url, const char *self)
{
	size_t	 n, len;

	if (strncasecmp(url, "http://", 7) == 0)
		n = 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		n = 8;
	else
		return 0;
	if (strncasecmp(url + n, "www.", 4) == 0)
		n += 4;
	if (strncasecmp(self, "www.", 4) == 0)
		self += 4;
	len = strlen(self);
	if (len == 0 || strncasecmp(url + n, self, len) != 0 ||
	    strchr("/?#", url[n + len]) == NULL)
		return 0;
	return n + len;
}

/*
 * A link to a path on the site, or to the page's own host, as the
 * caller's resolver says (convert.h): url kept, or rewritten to a
 * path; 1 when it is to be dropped, -1 for want of memory.
 */
static int
on_site(struct cw *w, struct buf *url)
{
	struct buf	 path = BUF_INIT, to = BUF_INIT;
	size_t		 n = 0;
	int		 r = -1, k;

	if (w->self != NULL)
		n = self_prefix(url->data, w->self);
	if (n == 0 && url->data[0] != '/')
		return 0;
	/* a path on the site, as convert_link makes them: no fragment */
	if ((url->data[n] != '/' && buf_putc(&path, '/') == -1) ||
	    buf_append(&path, url->data + n, strcspn(url->data + n, "#")) ==
	    -1)
		goto done;
	k = w->site->resolve(w->site->arg, path.data, &to);
	if (k == -1) {
		r = 1;
		goto done;
	}
	buf_reset(url);
	if (buf_puts(url, k == 1 && to.len > 0 ? to.data : path.data) == -1)
		goto done;
	r = 0;
done:
	buf_free(&path);
	buf_free(&to);
	return r;
}

/* The "=> url label" line for href, or an empty buffer if unusable;
 * 1 (and an empty buffer) for a link the site says is dead. */
static int
link_line(struct cw *w, struct buf *ln, const char *href, const char *label)
{
	struct buf	 url = BUF_INIT, lab = BUF_INIT;
	int		 r = 0;

	if (href == NULL || convert_link(&url, href, w->base) == -1)
		goto done;
	if (w->site != NULL && (r = on_site(w, &url)) != 0)
		goto done;
	if (label != NULL && convert_collapse(&lab, label,
	    strlen(label)) == -1)
		r = -1;
	else if (gemtext_link(ln, url.data, lab.len > 0 &&
	    strcmp(lab.data, url.data) != 0 ? lab.data : NULL) == -1)
		r = -1;
done:
	buf_free(&url);
	buf_free(&lab);
	return r;
}

void
cw_link(struct cw *w, const char *href, const char *label)
{
	struct buf	 ln = BUF_INIT;

	if (link_line(w, &ln, href, label) == -1)
		w->nomem = 1;
	else if (ln.len > 0 && !has_line(&w->links, &ln) &&
	    buf_append(&w->links, ln.data, ln.len) == -1)
		w->nomem = 1;
	buf_free(&ln);
}

void
cw_image(struct cw *w, const char *src, const char *alt)
{
	struct buf	 ln = BUF_INIT;

	/* an image that starts a block stands where it is */
	if (w->line.len > 0 || w->soft > 0 || w->hold > 0) {
		cw_link(w, src, alt);
		return;
	}
	switch (link_line(w, &ln, src, alt)) {
	case -1:
		w->nomem = 1;
		break;
	case 1:
		/* a picture the site does not have: its words, if any, as
		 * a paragraph (not a caption of the picture above) */
		if (alt != NULL) {
			if (w->quote == 0)
				w->gap = 1;
			cw_text(w, alt, strlen(alt));
			cw_end_block(w);
		}
		break;
	default:
		if (ln.len == 0)
			break;
		sep(w);
		if (buf_append(&w->raw, ln.data, ln.len) == -1)
			w->nomem = 1;
	}
	buf_free(&ln);
}

static int
is_blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

void
cw_pre(struct cw *w, const char *alt, const char *s, size_t len)
{
	struct buf	 body = BUF_INIT;
	const char	*e, *nl;
	size_t		 i, n, start, keep;
	int		 cp;

	if (w->soft > 0) {
		/* no room for a block here (a table cell): keep the words */
		cw_text(w, s, len);
		return;
	}
	cw_line(w, CW_TEXT);
	if (len == 0)
		s = "";		/* an empty block may come as (NULL, 0) */
	/* only TAB survives among controls; "```" must not close early */
	for (e = s + len; s < e; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		start = body.len;
		for (i = 0; s + i < nl; i += n) {
			n = utf8_decode(s + i, (size_t)(nl - s - i), &cp);
			if (cp == '\t' || (cp >= 0x20 && cp != 0x7f &&
			    !(cp >= 0x80 && cp < 0xa0))) {
				if (buf_append(&body, s + i, n) == -1)
					w->nomem = 1;
			} else if (cp < 0 && convert_put_cp(&body, 0xfffd) == -1)
				w->nomem = 1;
		}
		if (body.len - start >= 3 &&
		    memcmp(body.data + start, "```", 3) == 0) {
			if (buf_putc(&body, ' ') == -1)
				w->nomem = 1;
			else {
				memmove(body.data + start + 1,
				    body.data + start, body.len - start - 1);
				body.data[start] = ' ';
			}
		}
		if (buf_putc(&body, '\n') == -1)
			w->nomem = 1;
		if (nl == e)
			break;
	}
	if (w->nomem)
		goto done;
	/* drop blank lines at both ends */
	keep = 0;
	for (i = 0; i < body.len; i = start) {
		start = (size_t)((char *)memchr(body.data + i, '\n',
		    body.len - i) - body.data) + 1;
		if (!is_blank(body.data + i, start - i - 1))
			keep = start;
	}
	body.len = keep;
	for (i = 0; i < body.len; i = start) {
		start = (size_t)((char *)memchr(body.data + i, '\n',
		    body.len - i) - body.data) + 1;
		if (!is_blank(body.data + i, start - i - 1))
			break;
	}
	if (i < body.len) {
		w->gap = 1;
		sep(w);
		if (buf_puts(&w->raw, "```") == -1 || (alt != NULL &&
		    utf8_sanitize_line(&w->raw, alt, strlen(alt)) == -1) ||
		    buf_putc(&w->raw, '\n') == -1 ||
		    buf_append(&w->raw, body.data + i, body.len - i) == -1 ||
		    buf_puts(&w->raw, "```\n") == -1)
			w->nomem = 1;
		w->gap = 1;
		if (w->hold == 0)
			flush_links(w);
	}
done:
	buf_free(&body);
}

void
cw_list_begin(struct cw *w)
{
	if (w->lists++ == 0) {
		cw_end_block(w);
		w->hold++;
	}
}

void
cw_list_end(struct cw *w)
{
	if (w->lists > 0 && --w->lists == 0) {
		w->hold--;
		cw_end_block(w);
	}
}

/*
 * Tables are gathered cell by cell, then written as one preformatted
 * block with the columns padded by display width (utf8_width), so that
 * Vietnamese text lines up as well as ASCII does.
 */

void
cw_table_begin(struct cw *w)
{
	cw_line(w, CW_TEXT);
	w->hold++;
	buf_reset(&w->cells);
	w->ncell = w->nrow = w->rowfirst = 0;
}

void
cw_cell_begin(struct cw *w)
{
	buf_reset(&w->line);		/* stray text between cells */
	w->space = 0;
	w->soft++;
}

void
cw_cell_end(struct cw *w, enum cw_align align)
{
	struct cw_cell	*c;
	size_t		 ncap;

	w->soft--;
	if (w->ncell == w->capcell) {
		ncap = w->capcell ? w->capcell * 2 : 16;
		c = reallocarray(w->cell, ncap, sizeof(*c));
		if (c == NULL) {
			w->nomem = 1;
			goto out;
		}
		w->cell = c;
		w->capcell = ncap;
	}
	c = &w->cell[w->ncell++];
	c->off = w->cells.len;
	c->len = w->line.len;
	c->align = align;
	if (w->line.len > 0 &&
	    buf_append(&w->cells, w->line.data, w->line.len) == -1) {
		w->nomem = 1;
		c->len = 0;
	}
out:
	buf_reset(&w->line);
	w->space = 0;
}

void
cw_row_end(struct cw *w, int header)
{
	struct cw_row	*r;
	size_t		 ncap;

	if (w->ncell == w->rowfirst)
		return;
	if (w->nrow == w->caprow) {
		ncap = w->caprow ? w->caprow * 2 : 16;
		r = reallocarray(w->row, ncap, sizeof(*r));
		if (r == NULL) {
			w->nomem = 1;
			w->ncell = w->rowfirst;
			return;
		}
		w->row = r;
		w->caprow = ncap;
	}
	r = &w->row[w->nrow++];
	r->first = w->rowfirst;
	r->n = w->ncell - w->rowfirst;
	r->header = header;
	w->rowfirst = w->ncell;
}

static void
pad(struct buf *b, size_t n, int c, int *nomem)
{
	while (n-- > 0)
		if (buf_putc(b, c) == -1)
			*nomem = 1;
}

/* what an empty cell holds may be nowhere: cells.data is NULL while
 * every cell of the table is empty */
static size_t
cell_width(const struct cw *w, const struct cw_cell *c)
{
	return c->len > 0 ? utf8_width(w->cells.data + c->off, c->len) : 0;
}

static void
table_render(struct cw *w)
{
	struct buf	 out = BUF_INIT;
	struct cw_cell	*c;
	size_t		*width, ncols = 0, r, i, cw, left;
	int		 heads = 1;

	for (r = 0; r < w->nrow; r++)
		if (w->row[r].n > ncols)
			ncols = w->row[r].n;
	if (ncols == 0)
		return;
	if ((width = calloc(ncols, sizeof(*width))) == NULL) {
		w->nomem = 1;
		return;
	}
	for (r = 0; r < w->nrow; r++)
		for (i = 0; i < w->row[r].n; i++) {
			c = &w->cell[w->row[r].first + i];
			cw = cell_width(w, c);
			if (cw > width[i])
				width[i] = cw;
		}
	for (r = 0; r < w->nrow; r++) {
		for (i = 0; i < ncols; i++) {
			c = i < w->row[r].n ? &w->cell[w->row[r].first + i] :
			    NULL;
			cw = c ? cell_width(w, c) : 0;
			if (i > 0 && buf_puts(&out, " | ") == -1)
				w->nomem = 1;
			left = 0;
			if (c != NULL && c->align == CW_RIGHT)
				left = width[i] - cw;
			else if (c != NULL && c->align == CW_CENTER)
				left = (width[i] - cw) / 2;
			pad(&out, left, ' ', &w->nomem);
			if (c != NULL && c->len > 0 && buf_append(&out,
			    w->cells.data + c->off, c->len) == -1)
				w->nomem = 1;
			pad(&out, width[i] - cw - left, ' ', &w->nomem);
		}
		while (out.len > 0 && out.data[out.len - 1] == ' ')
			out.len--;
		if (buf_putc(&out, '\n') == -1)
			w->nomem = 1;
		/* a rule under the heading rows at the top */
		heads = heads && w->row[r].header;
		if (heads && (r + 1 == w->nrow || !w->row[r + 1].header) &&
		    r + 1 < w->nrow) {
			for (i = 0; i < ncols; i++) {
				if (i > 0 && buf_puts(&out, "-|-") == -1)
					w->nomem = 1;
				pad(&out, width[i], '-', &w->nomem);
			}
			if (buf_putc(&out, '\n') == -1)
				w->nomem = 1;
		}
	}
	free(width);
	cw_pre(w, "", out.data == NULL ? "" : out.data, out.len);
	buf_free(&out);
}

void
cw_table_end(struct cw *w)
{
	cw_row_end(w, 0);
	w->hold--;
	table_render(w);
	w->ncell = w->nrow = w->rowfirst = 0;
	buf_reset(&w->cells);
	w->gap = 1;
	if (w->hold == 0)
		flush_links(w);
}

int
cw_finish(struct cw *w, struct buf *out, char *err, size_t errlen)
{
	w->soft = 0;
	cw_line(w, CW_TEXT);
	w->hold = 0;
	flush_links(w);
	if (w->nomem || convert_tidy(out, w->raw.data == NULL ? "" :
	    w->raw.data, w->raw.len) == -1) {
		if (err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * The last pass of every converter: outside preformatted blocks,
 * whitespace-only lines become blank and runs of blank lines one; no
 * blank line at either end; an open preformatted block is closed; the
 * text is NFC-normalised. Appends to out; nothing for an empty page.
 */
static int
convert_tidy(struct buf *out, const char *s, size_t len)
{
	struct buf	 t = BUF_INIT;
	const char	*e = s + len, *nl;
	size_t		 n;
	int		 pre = 0, blank = 0, r;

	for (; s < e; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		n = (size_t)(nl - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (!pre && is_blank(s, n)) {
			blank = t.len > 0;
			continue;
		}
		if (n >= 3 && memcmp(s, "```", 3) == 0)
			pre = !pre;
		if ((blank && buf_putc(&t, '\n') == -1) ||
		    buf_append(&t, s, n) == -1 || buf_putc(&t, '\n') == -1)
			goto fail;
		blank = 0;
		if (nl == e)
			break;
	}
	if (pre && buf_puts(&t, "```\n") == -1)
		goto fail;
	r = t.len == 0 ? 0 : utf8_nfc(out, t.data, t.len);
	buf_free(&t);
	return r;
fail:
	buf_free(&t);
	return -1;
}

/*
 * Gemtext passes through, repaired: CRLF becomes LF, control
 * characters go (TAB stays inside preformatted blocks and becomes a
 * space elsewhere), links resolve like any other source's, a link line
 * without a URL becomes text, and convert_tidy() does the rest.
 */
int
convert_gmi(struct buf *out, const char *src, size_t len, const char *base,
    char *err, size_t errlen)
{
	struct buf	 in = BUF_INIT, raw = BUF_INIT, ln = BUF_INIT;
	struct buf	 url = BUF_INIT, href = BUF_INIT;
	const char	*s, *e, *nl, *u, *ue, *lab;
	size_t		 i, n;
	int		 pre = 0, cp, r = -1;

	if (convert_check_utf8(src, len, err, errlen) == -1)
		return -1;
	if (convert_lf(&in, src, len) == -1)
		goto nomem;
	s = in.data == NULL ? "" : in.data;
	for (e = s + in.len; s < e; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		buf_reset(&ln);
		for (i = 0; s + i < nl; i += n) {
			n = utf8_decode(s + i, (size_t)(nl - s - i), &cp);
			if (cp == '\t' && !pre) {
				if (buf_putc(&ln, ' ') == -1)
					goto nomem;
			} else if (cp == '\t' || (cp >= 0x20 && cp != 0x7f &&
			    !(cp >= 0x80 && cp < 0xa0))) {
				if (buf_append(&ln, s + i, n) == -1)
					goto nomem;
			}
		}
		if (ln.len >= 3 && memcmp(ln.data, "```", 3) == 0) {
			/* a fence line is never inside a block: no TAB */
			for (i = 3; i < ln.len; i++)
				if (ln.data[i] == '\t')
					ln.data[i] = ' ';
			pre = !pre;
		} else if (!pre) {
			while (ln.len > 0 && ln.data[ln.len - 1] == ' ')
				ln.data[--ln.len] = '\0';
			if (ln.len >= 2 && ln.data[0] == '=' &&
			    ln.data[1] == '>') {
				for (u = ln.data + 2; *u == ' '; u++)
					;
				ue = u + strcspn(u, " ");
				for (lab = ue; *lab == ' '; lab++)
					;
				buf_reset(&url);
				buf_reset(&href);
				if (u == ue) {
					/* "=>" with no URL is no link */
					if (gemtext_text(&raw, ln.data,
					    ln.len) == -1)
						goto nomem;
					goto next;
				}
				/* a link convert_link() rejects stays as written */
				if (buf_append(&href, u, (size_t)(ue - u)) == -1)
					goto nomem;
				if (convert_link(&url, href.data, base) == -1 &&
				    buf_append(&url, href.data, href.len) == -1)
					goto nomem;
				if (gemtext_link(&raw, url.data, lab) == -1)
					goto nomem;
				goto next;
			}
		}
		if (buf_append(&raw, ln.data == NULL ? "" : ln.data,
		    ln.len) == -1 || buf_putc(&raw, '\n') == -1)
			goto nomem;
next:
		if (nl == e)
			break;
	}
	if (convert_tidy(out, raw.data == NULL ? "" : raw.data,
	    raw.len) == -1)
		goto nomem;
	r = 0;
	goto done;
nomem:
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "out of memory");
done:
	buf_free(&in);
	buf_free(&raw);
	buf_free(&ln);
	buf_free(&url);
	buf_free(&href);
	return r;
}
