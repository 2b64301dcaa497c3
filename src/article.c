/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * article.c: one article source -> its metadata and gemtext body. It
 * reads the optional metadata header (plain "key: value" lines ended by
 * a blank line, or a "---" fenced block), strips it, hands the body to
 * the converter of the file's format and fills the fallbacks: the title
 * from the first heading, the date from a YYYY-MM-DD- file-name prefix,
 * the author from a byline (article_news.c), which also drops a first
 * paragraph that only repeats the date and author.
 * It never touches the file system: the caller reads the bytes and owns
 * the mtime fallback. Errors name the line, so that site.c can report
 * "path:line: reason" to the operator; a source that would publish
 * nothing, or something other than what its author wrote (an empty
 * file, a "---" header never closed), is such an error too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "article.h"
#include "buf.h"
#include "convert.h"
#include "gemtext.h"
#include "utf8.h"
#include "zone.h"

struct hdr {				/* one header line */
	const char	*key, *val;
	size_t		 klen, vlen;
	int		 line;
};

#define HDR_MAX		32		/* more lines: not a header */

static const struct {
	const char	*ext;
	enum article_fmt fmt;
} exts[] = {
	{ "gmi",	FMT_GMI },
	{ "md",		FMT_MD },
	{ "txt",	FMT_TXT },
	{ "html",	FMT_HTML },
	{ "htm",	FMT_HTML },
};

static const char *const known_keys[] = {
	"title", "date", "author", "summary", "lang", "tags"
};

static int	 check_utf8(const char *, size_t, char *, size_t);
static size_t	 next_line(const char *, size_t, size_t, size_t *);
static int	 key_line(const char *, size_t, struct hdr *);
static int	 known_key(const char *, size_t);
static int	 is_blank(const char *, size_t);
static size_t	 read_header(const char *, size_t, struct hdr *, size_t *,
		    int *);
static int	 apply_header(struct article_meta *, const struct hdr *,
		    size_t, char *, size_t);
static int	 set_str(char **, const char *, size_t);
static int	 parse_date(const char *, size_t, struct article_meta *);
static int	 name_date(const char *, time_t *);
static int	 first_heading(const char *, size_t, char **);
static int	 take_html_meta(struct article_meta *, struct convert_meta *);

int
article_fmt(const char *name)
{
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) == NULL || dot == name)
		return -1;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcasecmp(dot + 1, exts[i].ext) == 0)
			return (int)exts[i].fmt;
	return -1;
}

void
article_meta_free(struct article_meta *m)
{
	if (m == NULL)
		return;
	free(m->title);
	free(m->author);
	free(m->summary);
	free(m->lang);
	free(m->tags);
	free(m->block);
	memset(m, 0, sizeof(*m));
}

/*
 * Like utf8_valid, but says where: an operator fixing a file needs the
 * line and the offending byte.
 */
static int
check_utf8(const char *s, size_t len, char *err, size_t errlen)
{
	size_t	 i = 0, n;
	int	 cp, line = 1;

	while (i < len) {
		if (s[i] == '\n')
			line++;
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0') {
				snprintf(err, errlen, "line %d: NUL byte",
				    line);
				return -1;
			}
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp < 0) {
			snprintf(err, errlen, "line %d: invalid UTF-8 "
			    "(byte 0x%02x)", line, (unsigned char)s[i]);
			return -1;
		}
		i += n;
	}
	return 0;
}

/* The line at off: returns its length without CR/LF; *next is the
 * offset of the following line. */
static size_t
next_line(const char *s, size_t len, size_t off, size_t *next)
{
	const char	*nl;
	size_t		 n;

	nl = memchr(s + off, '\n', len - off);
	n = nl == NULL ? len - off : (size_t)(nl - (s + off));
	*next = nl == NULL ? len : off + n + 1;
	if (n > 0 && s[off + n - 1] == '\r')
		n--;
	return n;
}

static int
is_blank(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	return len == 0;
}

/* "key: value" with an ASCII key; the value is trimmed. */
static int
key_line(const char *s, size_t len, struct hdr *h)
{
	size_t	 i = 0, k;

	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || (i > 0 && ((s[i] >= '0' &&
	    s[i] <= '9') || s[i] == '_' || s[i] == '-'))))
		i++;
	if (i == 0)
		return 0;
	k = i;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len || s[i] != ':')
		return 0;
	i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	h->key = s;
	h->klen = k;
	h->val = s + i;
	h->vlen = len - i;
	return 1;
}

static int
known_key(const char *k, size_t klen)
{
	size_t	 i;

	for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
		if (strlen(known_keys[i]) == klen &&
		    strncasecmp(k, known_keys[i], klen) == 0)
			return 1;
	return 0;
}

/*
 * Find the header at the start of s. Returns the offset where the body
 * begins (0: no header) and fills h[0..*nh). A plain header is a run of
 * known-key lines; it ends at a blank line (consumed) or at the first
 * other line, which is body. A "---" block counts only if it is closed
 * and every line in it looks like "key: value"; unknown keys there are
 * ignored, as other tools' front matter may carry them. A "---" line
 * followed by prose is body (a Markdown rule); but one followed by
 * known keys and never closed before the prose or the end is a header
 * its author forgot to close: *unclosed is set, and it is not body.
 */
static size_t
read_header(const char *s, size_t len, struct hdr *h, size_t *nh,
    int *unclosed)
{
	struct hdr	 t;
	size_t		 off, next, n;
	int		 line = 1;

	*nh = 0;
	*unclosed = 0;
	n = next_line(s, len, 0, &next);
	if (n == 3 && memcmp(s, "---", 3) == 0) {
		for (off = next; off < len; off = next) {
			n = next_line(s, len, off, &next);
			line++;
			if (n == 3 && memcmp(s + off, "---", 3) == 0)
				return next;
			if (is_blank(s + off, n))
				continue;
			if (*nh == HDR_MAX) {
				*nh = 0;
				return 0;
			}
			if (!key_line(s + off, n, &t))
				break;
			if (known_key(t.key, t.klen)) {
				t.line = line;
				h[(*nh)++] = t;
			}
		}
		/* never closed: body text, unless keys began it */
		*unclosed = *nh > 0;
		*nh = 0;
		return 0;
	}
	for (off = 0; off < len && *nh < HDR_MAX; off = next, line++) {
		n = next_line(s, len, off, &next);
		if (*nh > 0 && is_blank(s + off, n))
			return next;
		if (!key_line(s + off, n, &t) || !known_key(t.key, t.klen))
			return off;
		t.line = line;
		h[(*nh)++] = t;
	}
	return off;
}

/* Replace *dst with the NFC form of s (NULL when empty). */
static int
set_str(char **dst, const char *s, size_t len)
{
	struct buf	 b = BUF_INIT;

	free(*dst);
	*dst = NULL;
	if (len == 0)
		return 0;
	if (utf8_nfc(&b, s, len) == -1) {
		buf_free(&b);
		return -1;
	}
	*dst = buf_steal(&b, NULL);
	return *dst == NULL ? -1 : 0;
}

static int
apply_header(struct article_meta *m, const struct hdr *h, size_t nh,
    char *err, size_t errlen)
{
	char	**dst;
	size_t	  i;

	for (i = 0; i < nh; i++) {
		if (h[i].klen == 4 && strncasecmp(h[i].key, "date", 4) == 0) {
			if (h[i].vlen == 0)
				continue;
			if (parse_date(h[i].val, h[i].vlen, m) == -1) {
				snprintf(err, errlen,
				    "line %d: bad date '%.*s'", h[i].line,
				    (int)(h[i].vlen > 64 ? 64 : h[i].vlen),
				    h[i].val);
				return -1;
			}
			m->has_date = 1;
			continue;
		}
		switch (h[i].key[0] | 0x20) {
		case 't':
			dst = h[i].key[1] == 'i' || h[i].key[1] == 'I' ?
			    &m->title : &m->tags;
			break;
		case 'a':
			dst = &m->author;
			break;
		case 's':
			dst = &m->summary;
			break;
		default:
			dst = &m->lang;
			break;
		}
		if (set_str(dst, h[i].val, h[i].vlen) == -1) {
			snprintf(err, errlen, "line %d: out of memory",
			    h[i].line);
			return -1;
		}
	}
	return 0;
}

static int
num(const char *s, size_t len, size_t *i, int digits)
{
	int	 v = 0, k;

	for (k = 0; k < digits; k++, (*i)++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	return v;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
static long long
days_from_civil(int y, int m, int d)
{
	static const int	 cum[] = { 0, 31, 59, 90, 120, 151, 181, 212,
				    243, 273, 304, 334 };
	long long		 yy = y - 1, days;

	days = 365 * (yy - 1969) + (yy / 4 - 492) - (yy / 100 - 19) +
	    (yy / 400 - 4);
	days += cum[m - 1] + (m > 2 && leap(y)) + d - 1;
	return days;
}

/*
 * "YYYY-MM-DD", optionally followed by " HH:MM" or "THH:MM", seconds,
 * a fraction and a zone (RFC 3339 and ISO 8601 as HTML exports write
 * them: "Z", "+07:00", "+0700", "+07"). The time is kept as the wall
 * clock the author wrote, encoded as UTC, and a zone as its offset
 * (has_zone): "11:15+07:00" is 04:15 UTC. Without one, the date is a
 * wall clock in the site's zone (article_localize). m is set only on
 * success; has_date is the caller's.
 */
static int
parse_date(const char *s, size_t len, struct article_meta *m)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	size_t			 i = 0;
	long			 off = 0;
	int			 y, mo, d, hh = 0, mi = 0, ss = 0, timed = 0;
	int			 zoned = 0, sign, zh, zm = 0;

	if ((y = num(s, len, &i, 4)) < 0 || i >= len || s[i++] != '-' ||
	    (mo = num(s, len, &i, 2)) < 0 || i >= len || s[i++] != '-' ||
	    (d = num(s, len, &i, 2)) < 0)
		return -1;
	if (y < 1000 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return -1;
	if (i < len && (s[i] == ' ' || s[i] == 'T')) {
		i++;
		if ((hh = num(s, len, &i, 2)) < 0 || i >= len ||
		    s[i++] != ':' || (mi = num(s, len, &i, 2)) < 0)
			return -1;
		if (i < len && s[i] == ':') {
			i++;
			if ((ss = num(s, len, &i, 2)) < 0)
				return -1;
			if (i < len && (s[i] == '.' || s[i] == ',')) {
				i++;
				if (i >= len || s[i] < '0' || s[i] > '9')
					return -1;
				while (i < len && s[i] >= '0' && s[i] <= '9')
					i++;
			}
		}
		if (hh > 23 || mi > 59 || ss > 60)
			return -1;
		timed = 1;
		if (i < len && s[i] == ' ')
			i++;
		if (i < len && s[i] == 'Z') {
			i++;
			zoned = 1;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			sign = s[i++] == '-' ? -1 : 1;
			if ((zh = num(s, len, &i, 2)) < 0)
				return -1;
			if (i < len && s[i] == ':') {
				i++;
				if ((zm = num(s, len, &i, 2)) < 0)
					return -1;
			} else if (i < len && (zm = num(s, len, &i, 2)) < 0)
				return -1;
			if (zh > 23 || zm > 59)
				return -1;
			off = sign * (zh * 3600L + zm * 60L);
			zoned = 1;
		}
	}
	if (i != len)
		return -1;
	m->date = (time_t)(days_from_civil(y, mo, d) * 86400LL + hh * 3600 +
	    mi * 60 + ss);
	m->has_time = timed;
	m->has_zone = zoned;
	m->zone = off;
	return 0;
}

void
article_localize(struct article_meta *m, time_t mtime)
{
	time_t	 t;

	if (!m->has_date)
		t = mtime;
	else if (m->has_zone)
		t = m->date - m->zone;
	else
		t = zone_instant(m->date);
	m->date = zone_wall(t, &m->zone);
	m->has_zone = 1;
}

/* The YYYY-MM-DD prefix of a file name, if a '-' or the extension
 * follows it. */
static int
name_date(const char *name, time_t *t)
{
	struct article_meta	 m;

	if (strlen(name) < 11 || (name[10] != '-' && name[10] != '.') ||
	    parse_date(name, 10, &m) == -1)
		return -1;
	*t = m.date;
	return 0;
}

/* The first heading of gemtext, copied; *title stays NULL if none. */
static int
first_heading(const char *s, size_t len, char **title)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;

	gemtext_iter_init(&it, s, len);
	while (gemtext_next(&it, &l)) {
		if (l.type != GEMTEXT_HEADING || l.textlen == 0)
			continue;
		if ((*title = strndup(l.text, l.textlen)) == NULL)
			return -1;
		return 0;
	}
	return 0;
}

static int
take_html_meta(struct article_meta *m, struct convert_meta *cm)
{
	char		**from[] = { &cm->title, &cm->author, &cm->summary,
			    &cm->lang, &cm->tags };
	char		**to[] = { &m->title, &m->author, &m->summary,
			    &m->lang, &m->tags };
	const char	 *s;
	size_t		  i, n;

	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		if ((s = *from[i]) == NULL)
			continue;
		/* trimmed; an empty field stays absent */
		s += strspn(s, " \t\r\n");
		n = strlen(s);
		while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
			n--;
		if (set_str(to[i], s, n) == -1)
			return -1;
	}
	/* a date the CMS wrote in some other form is not worth an error:
	 * the file name or mtime fallback applies */
	if (cm->date != NULL && parse_date(cm->date, strlen(cm->date),
	    m) == 0)
		m->has_date = 1;
	m->block = cm->block;
	cm->block = NULL;
	return 0;
}

int
article_parse(const char *name, const char *base, const char *src,
    size_t len, struct article_meta *meta, struct buf *body, char *err,
    size_t errlen)
{
	return article_parse_site(name, base, NULL, src, len, meta, body, err,
	    errlen);
}

int
article_parse_site(const char *name, const char *base,
    const struct convert_links *links, const char *src, size_t len,
    struct article_meta *meta, struct buf *body, char *err, size_t errlen)
{
	struct hdr		 h[HDR_MAX];
	struct convert_meta	 cm;
	struct buf		 tmp = BUF_INIT, *out;
	const char		*slash;
	size_t			 nh, off, start;
	int			 fmt, r, unclosed;
	char			 cerr[256];

	cerr[0] = '\0';
	memset(meta, 0, sizeof(*meta));
	memset(&cm, 0, sizeof(cm));
	if ((slash = strrchr(name, '/')) != NULL)
		name = slash + 1;
	if (base == NULL)
		base = "/";
	if ((fmt = article_fmt(name)) == -1) {
		snprintf(err, errlen, "not an article source");
		return -1;
	}
	out = body != NULL ? body : &tmp;
	start = out->len;

	/* an empty file is an article not written yet */
	off = len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (off < len && (src[off] == ' ' || (src[off] >= '\t' &&
	    src[off] <= '\r')))
		off++;
	if (off == len) {
		snprintf(err, errlen, "line 1: empty file");
		goto fail;
	}

	if (fmt == FMT_HTML) {
		/* HTML declares its own charset: the converter decodes it */
		if (convert_html_site(out, src, len, base, links, &cm, cerr,
		    sizeof(cerr)) == -1)
			goto convfail;
		if (take_html_meta(meta, &cm) == -1)
			goto nomem;
		convert_meta_free(&cm);
		memset(&cm, 0, sizeof(cm));
	} else {
		if (check_utf8(src, len, err, errlen) == -1)
			goto fail;
		off = 0;
		if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)
			off = 3;	/* a BOM from Windows editors */
		off += read_header(src + off, len - off, h, &nh, &unclosed);
		if (unclosed) {
			snprintf(err, errlen, "line 1: header block opened by "
			    "'---' is never closed");
			goto fail;
		}
		if (apply_header(meta, h, nh, err, errlen) == -1)
			goto fail;
		/* without a body to fill, convert only to find a title
		 * or a byline */
		if (body != NULL || meta->title == NULL ||
		    meta->author == NULL) {
			switch (fmt) {
			case FMT_GMI:
				r = convert_gmi(out, src + off, len - off,
				    base, cerr, sizeof(cerr));
				break;
			case FMT_MD:
				r = convert_md(out, src + off, len - off,
				    base, cerr, sizeof(cerr));
				break;
			default:
				r = convert_txt(out, src + off, len - off,
				    base, cerr, sizeof(cerr));
				break;
			}
			if (r == -1)
				goto convfail;
		}
	}

	if (meta->title == NULL && out->len > start &&
	    first_heading(out->data + start, out->len - start,
	    &meta->title) == -1)
		goto nomem;
	if (meta->title == NULL) {
		/* the slug: the name without its extension */
		if ((meta->title = strndup(name,
		    (size_t)(strrchr(name, '.') - name))) == NULL)
			goto nomem;
	}
	if (!meta->has_date && name_date(name, &meta->date) == 0) {
		meta->has_date = 1;
		meta->has_time = 0;
	}
	/* a story the source names no author for may be signed at its
	 * end, as newsrooms do ("MỸ DUNG"): the signature is the author */
	if (meta->author == NULL && out->len > start &&
	    article_byline(out->data + start, out->len - start,
	    &meta->author) == -1)
		goto nomem;
	/* a first paragraph that repeats the date and author goes */
	if (body != NULL)
		(void)article_drop_dateline(body, start, meta);
	buf_free(&tmp);
	return 0;

convfail:
	snprintf(err, errlen, "%s", cerr[0] != '\0' ? cerr :
	    "conversion failed");
	goto fail;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	convert_meta_free(&cm);
	article_meta_free(meta);
	if (out == body && body->data != NULL) {
		body->len = start;
		body->data[start] = '\0';
	}
	buf_free(&tmp);
	return -1;
}
