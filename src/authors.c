/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * authors.c: the authors file of [titan] authors, who may publish over
 * Titan. One author a line:
 *
 *   FINGERPRINT NAME CATEGORIES
 *
 * FINGERPRINT is the SHA-256 of the client certificate's DER as 64 hex
 * digits (colons and case ignored, as openssl x509 -fingerprint and
 * Lagrange print it); NAME the display name written into an article's
 * author: header, quoted when it has spaces; CATEGORIES the category
 * folders the author may write, comma-separated ("thoi-su,
 * kinh-te/doanh-nghiep"), or "*" for all. "#" starts a comment. A bad
 * line refuses the whole file, like the configuration, each reported
 * as "file:line: reason", so that a typo never locks an author out, or
 * in, silently.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authors.h"
#include "buf.h"
#include "path.h"
#include "utf8.h"

struct line {				/* the words of one line */
	const char	*fp, *name, *cats;
	size_t		 fplen, namelen, catslen;
};

/* 64 hex digits, colons anywhere between pairs ignored: NULL or why not */
static const char *
parse_fp(const char *s, size_t len, unsigned char fp[AUTHORS_FP_LEN])
{
	size_t	 i, n = 0;
	int	 hi = -1, v;

	for (i = 0; i < len; i++) {
		if (s[i] == ':' && hi == -1)
			continue;
		if ((v = path_hexval((unsigned char)s[i])) == -1)
			return "the fingerprint is not hex digits";
		if (n == AUTHORS_FP_LEN)
			return "the fingerprint is longer than 64 hex digits "
			    "(a SHA-256)";
		if (hi == -1)
			hi = v;
		else {
			fp[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (n != AUTHORS_FP_LEN || hi != -1)
		return "the fingerprint is shorter than 64 hex digits "
		    "(a SHA-256)";
	return NULL;
}

/* One category folder: segments path_safe_name() takes. */
static int
good_cat(const char *s, size_t len)
{
	const char	*end = s + len, *slash;

	for (;;) {
		if ((slash = memchr(s, '/', (size_t)(end - s))) == NULL)
			slash = end;
		if (!path_safe_name(s, (size_t)(slash - s)))
			return 0;
		if (slash == end)
			return 1;
		s = slash + 1;
	}
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Split a line (comment cut) into its three words: NULL or why not. */
static const char *
split(const char *p, const char *end, struct line *l)
{
	const char	*q;

	memset(l, 0, sizeof(*l));
	l->fp = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	l->fplen = (size_t)(p - l->fp);
	if ((p = skip_space(p, end)) == end)
		return "a fingerprint, a name and categories are wanted";
	if (*p == '"') {
		l->name = ++p;
		if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
			return "the quoted name is not closed";
		l->namelen = (size_t)(q - p);
		p = q + 1;
		if (p < end && *p != ' ' && *p != '\t')
			return "a space is wanted after the quoted name";
	} else {
		l->name = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		l->namelen = (size_t)(p - l->name);
	}
	if ((p = skip_space(p, end)) == end)
		return "no categories (\"*\" for all)";
	l->cats = p;
	for (q = end; q > p && (q[-1] == ' ' || q[-1] == '\t' ||
	    q[-1] == '\r'); q--)
		;
	l->catslen = (size_t)(q - p);
	return NULL;
}

static const char *
check_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return "the name is empty";
	if (len > AUTHORS_NAME_MAX)
		return "the name is longer than 100 bytes";
	if (!utf8_valid(s, len))
		return "the name is not UTF-8";
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
		    s[i] == '"')
			return "a control character or quote in the name";
	return NULL;
}

/* One category, c to e, into a: -1 out of memory, 1 with *why set. */
static int
add_cat(struct author *a, const char *c, const char *e, const char **why)
{
	char	**v;

	if (e - c == 1 && *c == '*') {
		a->all = 1;
		return 0;
	}
	if (!good_cat(c, (size_t)(e - c))) {
		*why = e == c ? "an empty category" : "a category must be a "
		    "folder's path below the root, in letters, digits, '-', "
		    "'_' and '.' (\"*\" for all)";
		return 1;
	}
	if ((v = realloc(a->cats, (a->ncats + 1) * sizeof(*v))) == NULL)
		return -1;
	a->cats = v;
	if ((a->cats[a->ncats] = strndup(c, (size_t)(e - c))) == NULL)
		return -1;
	a->ncats++;
	return 0;
}

/* The categories of l into a: -1 out of memory, 1 with *why set. */
static int
take_cats(const struct line *l, struct author *a, const char **why)
{
	const char	*p = l->cats, *end = l->cats + l->catslen, *c, *e;
	int		 r;

	for (;;) {
		c = skip_space(p, end);
		for (p = c; p < end && *p != ',';)
			p++;
		for (e = p; e > c && (e[-1] == ' ' || e[-1] == '\t');)
			e--;
		if ((r = add_cat(a, c, e, why)) != 0)
			return r;
		if (p == end)
			return 0;
		p++;			/* the comma */
	}
}

static void
author_clear(struct author *a)
{
	size_t	 i;

	for (i = 0; i < a->ncats; i++)
		free(a->cats[i]);
	free(a->cats);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

/* One line into *a: 0, 1 with *why set, -1 out of memory. */
static int
parse_line(const char *p, const char *end, struct author *a,
    const char **why)
{
	struct line	 l;
	int		 r;

	memset(a, 0, sizeof(*a));
	if ((*why = split(p, end, &l)) != NULL ||
	    (*why = parse_fp(l.fp, l.fplen, a->fp)) != NULL ||
	    (*why = check_name(l.name, l.namelen)) != NULL)
		return 1;
	if ((a->name = strndup(l.name, l.namelen)) == NULL)
		return -1;
	if ((r = take_cats(&l, a, why)) != 0)
		author_clear(a);
	return r;
}

/* Where a line's comment starts (a "#" outside a quoted name), or end. */
static const char *
comment(const char *p, const char *end)
{
	int	 quoted = 0;

	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted)
			return p;
	}
	return end;
}

struct authors *
authors_parse(const char *file, const char *text, size_t len,
    struct buf *errs)
{
	struct authors	*as;
	struct author	 a, *v;
	const char	*p = text, *end = text + len, *nl, *stop, *why;
	size_t		 i;
	int		 lineno = 0, bad = 0, r;

	if ((as = calloc(1, sizeof(*as))) == NULL)
		goto nomem;
	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		stop = comment(p, nl);
		if (skip_space(p, stop) == stop)
			continue;
		if ((r = parse_line(skip_space(p, stop), stop, &a, &why)) ==
		    -1)
			goto nomem;
		for (i = 0; r == 0 && i < as->n; i++)
			if (memcmp(as->a[i].fp, a.fp, AUTHORS_FP_LEN) == 0) {
				why = "this fingerprint is listed twice";
				author_clear(&a);
				r = 1;
			}
		if (r == 1) {
			buf_printf(errs, "%s:%d: %s\n", file, lineno, why);
			bad = 1;
			continue;
		}
		if ((v = realloc(as->a, (as->n + 1) * sizeof(*v))) == NULL) {
			author_clear(&a);
			goto nomem;
		}
		as->a = v;
		as->a[as->n++] = a;
	}
	if (!bad)
		return as;
	authors_free(as);
	return NULL;
nomem:
	buf_printf(errs, "%s: out of memory\n", file);
	authors_free(as);
	return NULL;
}

struct authors *
authors_load(const char *path, struct buf *errs)
{
	struct authors	*as;
	struct buf	 text = BUF_INIT;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    buf_read_fd(&text, fd, AUTHORS_FILE_MAX, 4096) == -1) {
		buf_printf(errs, "%s: %s\n", path, errno == EFBIG ?
		    "longer than 1 MB" : strerror(errno));
		if (fd != -1)
			close(fd);
		buf_free(&text);
		return NULL;
	}
	close(fd);
	as = authors_parse(path, text.data != NULL ? text.data : "",
	    text.len, errs);
	buf_free(&text);
	return as;
}

void
authors_free(struct authors *as)
{
	size_t	 i;

	if (as == NULL)
		return;
	for (i = 0; i < as->n; i++)
		author_clear(&as->a[i]);
	free(as->a);
	free(as);
}

const struct author *
authors_find(const struct authors *as, const unsigned char fp[AUTHORS_FP_LEN])
{
	size_t	 i;

	for (i = 0; as != NULL && i < as->n; i++)
		if (memcmp(as->a[i].fp, fp, AUTHORS_FP_LEN) == 0)
			return &as->a[i];
	return NULL;
}

int
authors_may(const struct author *a, const char *cat)
{
	size_t	 i, n;

	if (a->all)
		return 1;
	for (i = 0; i < a->ncats; i++) {
		n = strlen(a->cats[i]);
		if (strncmp(cat, a->cats[i], n) == 0 &&
		    (cat[n] == '\0' || cat[n] == '/'))
			return 1;
	}
	return 0;
}

void
authors_hex(const unsigned char fp[AUTHORS_FP_LEN], char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < AUTHORS_FP_LEN; i++) {
		out[2 * i] = hex[fp[i] >> 4];
		out[2 * i + 1] = hex[fp[i] & 15];
	}
	out[2 * AUTHORS_FP_LEN] = '\0';
}
