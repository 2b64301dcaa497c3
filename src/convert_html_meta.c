/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html_meta.c: what an HTML page says about itself, rather than
 * its content. First its charset: bytes that are valid UTF-8 are read
 * as UTF-8, otherwise the charset the page declares (or windows-1252)
 * is decoded with iconv, bad bytes becoming U+FFFD, before libxml2
 * parses the result. Then its metadata for convert_meta: title, author,
 * summary, date, language and tags from <title>, <meta> (name, property
 * and itemprop, by priority), the first <h1> and <html lang>. It never
 * fetches anything and leaves the body to convert_html.c.
 */

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "convert.h"
#include "convert_html_int.h"
#include "convert_int.h"
#include "utf8.h"

#define HTML_SNIFF	4096	/* bytes searched for a charset label */

/* labels the WHATWG Encoding standard maps to windows-1252 */
static const char *const html_latin1[] = {
	"ascii", "cp819", "ibm819", "iso-8859-1", "iso8859-1", "iso_8859-1",
	"l1", "latin1", "us-ascii"
};

enum {
	META_TITLE, META_OGTITLE, META_AUTHOR, META_SUMMARY, META_DATE,
	META_LANG, META_TAGS, META_H1, META_N
};

static const struct {
	const char	*key;		/* name, property or itemprop */
	int		 field;
	int		 prio;		/* lower wins */
} html_metas[] = {
	{ "author", META_AUTHOR, 0 },
	{ "dc.creator", META_AUTHOR, 1 },
	{ "description", META_SUMMARY, 0 },
	{ "og:description", META_SUMMARY, 1 },
	{ "dc.description", META_SUMMARY, 2 },
	{ "article:published_time", META_DATE, 0 },
	{ "datepublished", META_DATE, 1 },
	{ "pubdate", META_DATE, 2 },
	{ "publishdate", META_DATE, 3 },
	{ "date", META_DATE, 4 },
	{ "dc.date", META_DATE, 5 },
	{ "dcterms.created", META_DATE, 6 },
	{ "keywords", META_TAGS, 0 },
	{ "news_keywords", META_TAGS, 1 },
	{ "og:title", META_OGTITLE, 0 },
	{ "content-language", META_LANG, 1 }
};

struct html_meta {
	char	*val[META_N];
	int	 prio[META_N];
};

static void		 html_meta_walk(const xmlNode *, struct html_meta *,
			    int);
static void		 html_meta_set(struct html_meta *, int, int,
			    const char *);
static void		 html_meta_fill(struct html_meta *,
			    struct convert_meta *);
static int		 html_charset(const char *, size_t, char *, size_t);
static int		 html_decode(struct buf *, const char *, size_t,
			    const char *);
static int		 looks_1258(const char *, size_t);

static void
html_meta_set(struct html_meta *m, int field, int prio, const char *v)
{
	struct buf	 b = BUF_INIT;

	if (v == NULL || (m->val[field] != NULL && m->prio[field] <= prio))
		return;
	if (convert_collapse(&b, v, strlen(v)) == -1 || b.len == 0) {
		buf_free(&b);
		return;
	}
	free(m->val[field]);
	m->val[field] = buf_steal(&b, NULL);
	m->prio[field] = prio;
}

static void
html_meta_walk(const xmlNode *n, struct html_meta *m, int depth)
{
	struct buf	 t = BUF_INIT;
	const xmlNode	*c;
	char		*key, *val;
	size_t		 i;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return;
	if (convert_html_is_el(n, "title") || (convert_html_is_el(n, "h1") &&
	    m->val[META_H1] == NULL)) {
		if (convert_html_text(&t, n, 0) == 0 &&
		    buf_append(&t, "", 0) == 0)
			html_meta_set(m, convert_html_is_el(n, "h1") ? META_H1 :
			    META_TITLE, 0, t.data);
		buf_free(&t);
		return;
	}
	if (convert_html_is_el(n, "meta") &&
	    (val = convert_html_prop(n, "content")) != NULL) {
		if ((key = convert_html_prop(n, "name")) == NULL &&
		    (key = convert_html_prop(n, "property")) == NULL &&
		    (key = convert_html_prop(n, "itemprop")) == NULL)
			key = convert_html_prop(n, "http-equiv");
		for (i = 0; key != NULL &&
		    i < sizeof(html_metas) / sizeof(html_metas[0]); i++)
			if (strcasecmp(key, html_metas[i].key) == 0)
				html_meta_set(m, html_metas[i].field,
				    html_metas[i].prio, val);
		xmlFree(key);
		xmlFree(val);
		return;
	}
	for (c = n->children; c != NULL; c = c->next)
		html_meta_walk(c, m, depth + 1);
}

static void
html_meta_fill(struct html_meta *m, struct convert_meta *out)
{
	static const int	 map[] = {
		META_AUTHOR, META_SUMMARY, META_DATE, META_LANG, META_TAGS
	};
	char			**dst[] = {
		&out->author, &out->summary, &out->date, &out->lang, &out->tags
	};
	char			*title = m->val[META_TITLE];
	size_t			 i, n;

	/*
	 * <title> is often "Story - Site name": the first <h1>, when the
	 * title starts with it, is the story's own title. Without a
	 * <title>, og:title, then the <h1>.
	 */
	if (title != NULL && m->val[META_H1] != NULL &&
	    (n = strlen(m->val[META_H1])) < strlen(title) &&
	    strncmp(title, m->val[META_H1], n) == 0)
		title = m->val[META_H1];
	else if (title == NULL)
		title = m->val[META_OGTITLE] != NULL ? m->val[META_OGTITLE] :
		    m->val[META_H1];
	if (title != NULL) {
		free(out->title);
		out->title = title;
		if (title == m->val[META_TITLE])
			m->val[META_TITLE] = NULL;
		else if (title == m->val[META_OGTITLE])
			m->val[META_OGTITLE] = NULL;
		else
			m->val[META_H1] = NULL;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (m->val[map[i]] == NULL)
			continue;
		free(*dst[i]);
		*dst[i] = m->val[map[i]];
		m->val[map[i]] = NULL;
	}
}

/* The charset a page declares in its first bytes, lowercased. */
static int
html_charset(const char *s, size_t len, char *cs, size_t cslen)
{
	size_t	 i, j, end = len < HTML_SNIFF ? len : HTML_SNIFF;

	for (i = 0; i + 7 < end; i++) {
		if (strncasecmp(s + i, "charset", 7) != 0)
			continue;
		for (j = i + 7; j < end && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (j >= end || s[j] != '=')
			continue;
		for (j++; j < end && (s[j] == ' ' || s[j] == '"' ||
		    s[j] == '\''); j++)
			;
		for (i = 0; j < end && i + 1 < cslen &&
		    ((s[j] >= 'a' && s[j] <= 'z') ||
		    (s[j] >= 'A' && s[j] <= 'Z') ||
		    (s[j] >= '0' && s[j] <= '9') || s[j] == '-' ||
		    s[j] == '_' || s[j] == '.' || s[j] == ':'); j++)
			cs[i++] = (char)(s[j] >= 'A' && s[j] <= 'Z' ?
			    s[j] - 'A' + 'a' : s[j]);
		cs[i] = '\0';
		return i > 0 ? 0 : -1;
	}
	return -1;
}

/* windows-1252's 0x80..0x9f; 0: no character (iconv's EILSEQ) */
static const unsigned short	 cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/*
 * windows-1252 by its table: what iconv makes of it, without an
 * iconv_open, which allocates some 12 KB and may load the converter's
 * module again, for every page (most pages that are not UTF-8 are
 * read so).
 */
static int
cp1252_decode(struct buf *out, const char *s, size_t len)
{
	size_t	 i;
	int	 c;

	if (buf_reserve(out, len + len / 2) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 && c < 0xa0)
			c = cp1252_c1[c - 0x80] != 0 ? cp1252_c1[c - 0x80] :
			    0xfffd;
		if (convert_put_cp(out, c) == -1)
			return -1;
	}
	return 0;
}

/*
 * Append s, in charset cs, as UTF-8; a byte that is not text in cs
 * becomes U+FFFD. -1 if iconv does not know cs. The conversion is done
 * here rather than by libxml2, which stops at the first bad byte.
 */
static int
html_decode(struct buf *out, const char *s, size_t len, const char *cs)
{
	struct buf	 in = BUF_INIT;
	iconv_t		 cd;
	char		 chunk[4096], *ip, *op;
	size_t		 il, ol, r;
	int		 ret = -1;

	if (strcmp(cs, "WINDOWS-1252") == 0)
		return cp1252_decode(out, s, len);
	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return -1;
	if (buf_append(&in, s, len) == -1)	/* iconv wants it writable */
		goto done;
	ip = in.data;
	il = in.len;
	for (;;) {
		op = chunk;
		ol = sizeof(chunk);
		r = il > 0 ? iconv(cd, &ip, &il, &op, &ol) :
		    iconv(cd, NULL, NULL, &op, &ol);
		if (buf_append(out, chunk, sizeof(chunk) - ol) == -1)
			goto done;
		if (r != (size_t)-1 && il == 0) {
			if (ip == NULL)
				break;
			ip = NULL;	/* one more call flushes any state */
			continue;
		}
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno != EILSEQ && errno != EINVAL)
			goto done;
		if (convert_put_cp(out, 0xfffd) == -1)
			goto done;
		ip++;
		il--;
		(void)iconv(cd, NULL, NULL, NULL, NULL);
	}
	ret = 0;
done:
	iconv_close(cd);
	buf_free(&in);
	return ret;
}

/*
 * Vietnamese in windows-1258 writes most tones as a combining mark
 * after the vowel (bytes 0xCC, 0xEC, 0xD2, 0xDE, 0xF2); in Western
 * windows-1252 text those are Ì ì Ò Þ ò, and hardly ever follow a
 * vowel. An undeclared page where they do, for a quarter of its bytes
 * above ASCII, is Vietnamese.
 */
static int
looks_1258(const char *s, size_t len)
{
	static const char	 vowels[] = "aeiouyAEIOUY\xe2\xea\xf4\xe3"
				    "\xf5\xfd\xc2\xca\xd4\xc3\xd5\xdd";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, high = 0, tones = 0;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		high++;
		if (i > 0 && (p[i] == 0xcc || p[i] == 0xec || p[i] == 0xd2 ||
		    p[i] == 0xde || p[i] == 0xf2) && p[i - 1] != '\0' &&
		    strchr(vowels, p[i - 1]) != NULL)
			tones++;
	}
	return tones >= 2 && tones * 4 >= high;
}

/*
 * Parse with the right charset. Bytes that are valid UTF-8 are read as
 * UTF-8 whatever the page says (a Latin-1 or windows-1258 page is
 * practically never valid UTF-8, while CMS templates often mislabel
 * UTF-8 pages). Otherwise the declared charset rules; iso-8859-1 and
 * ASCII labels mean windows-1252, as in browsers. An undeclared or
 * "utf-8" page with a few bad bytes is read as UTF-8 with U+FFFD for
 * them; one that is mostly not UTF-8 as windows-1258 if it looks
 * Vietnamese (looks_1258), else as windows-1252.
 */
xmlDoc *
convert_html_parse(const char *s, size_t len, int *nomem)
{
	struct buf	 u = BUF_INIT;
	xmlDoc		*doc = NULL;
	char		 cs[64];
	const char	*enc = NULL;
	size_t		 i, n, good = 0, bad = 0;
	int		 cp;

	*nomem = 1;
	if (utf8_valid(s, len)) {
		if (buf_append(&u, s, len) == -1)
			return NULL;
		goto parse;
	}
	if (html_charset(s, len, cs, sizeof(cs)) == 0 &&
	    strcmp(cs, "utf-8") != 0 && strcmp(cs, "utf8") != 0) {
		enc = cs;
		for (i = 0; i < sizeof(html_latin1) /
		    sizeof(html_latin1[0]); i++)
			if (strcmp(cs, html_latin1[i]) == 0)
				enc = "WINDOWS-1252";
		if (html_decode(&u, s, len, enc) == 0)
			goto parse;
		buf_reset(&u);
	}
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp <= 0)
			bad++;
		else if (n > 1)
			good++;
	}
	if (bad > good) {
		if (html_decode(&u, s, len, looks_1258(s, len) ?
		    "WINDOWS-1258" : "WINDOWS-1252") == -1)
			goto done;
		goto parse;
	}
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if ((cp <= 0 ? convert_put_cp(&u, 0xfffd) :
		    buf_append(&u, s + i, n)) == -1)
			goto done;
	}
parse:
	*nomem = 0;
	if (u.len > 0 && u.len <= (size_t)(~0U >> 1))
		doc = htmlReadMemory(u.data, (int)u.len, NULL, "UTF-8",
		    CONVERT_HTML_OPTS | HTML_PARSE_IGNORE_ENC);
done:
	buf_free(&u);
	return doc;
}


/* The page's metadata: from its <head>, its first <h1> and the lang of
 * its root element. */
void
convert_html_meta(const xmlNode *top, struct convert_meta *meta)
{
	struct html_meta	 m;
	char			*lang;
	size_t			 i;

	memset(&m, 0, sizeof(m));
	html_meta_walk(top, &m, 0);
	if ((lang = convert_html_prop(top, "lang")) != NULL) {
		html_meta_set(&m, META_LANG, 0, lang);
		xmlFree(lang);
	}
	html_meta_fill(&m, meta);
	for (i = 0; i < META_N; i++)
		free(m.val[i]);
}

/* The host a page says it lives at, in <link rel=canonical>, og:url or
 * <base href> ("http://host/..."), lowercased and malloc'd; NULL if it
 * says none. */
static char *
self_host(const char *url)
{
	const char	*p;
	size_t		 n, i;
	char		*h;

	if (url == NULL)
		return NULL;
	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return NULL;
	n = strcspn(p, "/?#:@ \t\r\n");
	if (n == 0 || (p[n] != '\0' && strchr("/?#", p[n]) == NULL) ||
	    (h = strndup(p, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (h[i] >= 'A' && h[i] <= 'Z')
			h[i] = (char)(h[i] - 'A' + 'a');
	return h;
}

static void
self_walk(const xmlNode *n, char **host, int *prio, int depth)
{
	const xmlNode	*c;
	char		*v = NULL, *k;
	int		 p = -1;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    convert_html_is_el(n, "body"))
		return;
	if (convert_html_is_el(n, "link") &&
	    convert_html_attr_is(n, "rel", "canonical")) {
		v = convert_html_prop(n, "href");
		p = 0;
	} else if (convert_html_is_el(n, "meta") &&
	    (k = convert_html_prop(n, "property")) != NULL) {
		if (strcasecmp(k, "og:url") == 0) {
			v = convert_html_prop(n, "content");
			p = 1;
		}
		xmlFree(k);
	} else if (convert_html_is_el(n, "base")) {
		v = convert_html_prop(n, "href");
		p = 2;
	}
	if (v != NULL && (*host == NULL || p < *prio)) {
		char	*h = self_host(v);

		if (h != NULL) {
			free(*host);
			*host = h;
			*prio = p;
		}
	}
	xmlFree(v);
	for (c = n->children; c != NULL; c = c->next)
		self_walk(c, host, prio, depth + 1);
}

char *
convert_html_self(const xmlNode *top)
{
	char	*host = NULL;
	int	 prio = 3;

	self_walk(top, &host, &prio, 0);
	return host;
}
