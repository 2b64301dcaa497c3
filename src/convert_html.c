/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html.c: HTML -> gemtext, for pages exported from a web CMS.
 * libxml2's forgiving HTML parser builds the tree (charset from the
 * page's declaration, entities decoded); this file keeps the article
 * and drops the page around it: scripts, styles, forms, frames,
 * navigation, hidden elements and menus found by their class, id or
 * role. When an <article> or <main> holds most of the text, only it is
 * converted. It also reads the page's metadata into convert_meta. It
 * never fetches anything (HTML_PARSE_NONET).
 */

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "convert.h"
#include "convert_int.h"
#include "utf8.h"

#define HTML_OPTS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
			    HTML_PARSE_NOWARNING | HTML_PARSE_NONET)
#define HTML_SNIFF	4096	/* bytes searched for a charset label */
#define HTML_CELL_MAX	300	/* a longer cell makes a layout table */

enum html_kind {
	HK_INLINE,		/* unknown elements too: just their text */
	HK_DROP,		/* never content */
	HK_BLOCK,
	HK_MAIN,		/* article, main */
	HK_PAGE,		/* header, footer: kept inside HK_MAIN */
	HK_H1,
	HK_H2,
	HK_H3,
	HK_LIST,
	HK_OLIST,
	HK_LI,
	HK_QUOTE,
	HK_PRE,
	HK_TABLE,
	HK_FIGURE,
	HK_FIGCAPTION,
	HK_BR,
	HK_HR,
	HK_A,
	HK_IMG
};

static const struct {
	const char	*name;
	enum html_kind	 kind;
} html_tags[] = {
	{ "a", HK_A }, { "address", HK_BLOCK }, { "applet", HK_DROP },
	{ "area", HK_DROP }, { "article", HK_MAIN }, { "aside", HK_DROP },
	{ "audio", HK_DROP }, { "base", HK_DROP }, { "blockquote", HK_QUOTE },
	{ "body", HK_BLOCK }, { "br", HK_BR }, { "button", HK_DROP },
	{ "canvas", HK_DROP }, { "caption", HK_BLOCK }, { "center", HK_BLOCK },
	{ "dd", HK_BLOCK }, { "details", HK_BLOCK }, { "dialog", HK_DROP },
	{ "dir", HK_LIST }, { "div", HK_BLOCK }, { "dl", HK_BLOCK },
	{ "dt", HK_BLOCK }, { "embed", HK_DROP }, { "fieldset", HK_DROP },
	{ "figcaption", HK_FIGCAPTION }, { "figure", HK_FIGURE },
	{ "footer", HK_PAGE }, { "form", HK_DROP }, { "frame", HK_DROP },
	{ "frameset", HK_DROP }, { "h1", HK_H1 }, { "h2", HK_H2 },
	{ "h3", HK_H3 }, { "h4", HK_H3 }, { "h5", HK_H3 }, { "h6", HK_H3 },
	{ "head", HK_DROP }, { "header", HK_PAGE }, { "hgroup", HK_BLOCK },
	{ "hr", HK_HR }, { "html", HK_BLOCK }, { "iframe", HK_DROP },
	{ "img", HK_IMG }, { "input", HK_DROP }, { "legend", HK_DROP },
	{ "li", HK_LI }, { "link", HK_DROP }, { "listing", HK_PRE },
	{ "main", HK_MAIN }, { "map", HK_DROP }, { "menu", HK_DROP },
	{ "meta", HK_DROP }, { "nav", HK_DROP }, { "noembed", HK_DROP },
	{ "noframes", HK_DROP }, { "noscript", HK_DROP },
	{ "object", HK_DROP }, { "ol", HK_OLIST }, { "optgroup", HK_DROP },
	{ "option", HK_DROP }, { "p", HK_BLOCK }, { "param", HK_DROP },
	{ "picture", HK_INLINE }, { "plaintext", HK_PRE }, { "pre", HK_PRE },
	{ "script", HK_DROP }, { "section", HK_BLOCK }, { "select", HK_DROP },
	{ "source", HK_DROP }, { "style", HK_DROP }, { "summary", HK_BLOCK },
	{ "svg", HK_DROP }, { "table", HK_TABLE }, { "tbody", HK_BLOCK },
	{ "td", HK_BLOCK }, { "template", HK_DROP }, { "textarea", HK_DROP },
	{ "tfoot", HK_BLOCK }, { "th", HK_BLOCK }, { "thead", HK_BLOCK },
	{ "title", HK_DROP }, { "tr", HK_BLOCK }, { "track", HK_DROP },
	{ "ul", HK_LIST }, { "video", HK_DROP }, { "xmp", HK_PRE }
};

/* class and id words of page furniture (split at '-', '_', ' ') */
static const char *const html_noise_words[] = {
	"ads", "advert", "advertisement", "banner", "breadcrumb",
	"breadcrumbs", "cookie", "cookies", "mainmenu", "megamenu", "menu",
	"menubar", "menus", "modal", "nav", "navbar", "navigation", "pager",
	"pagination", "popup", "share", "sharing", "sidebar", "skip",
	"social", "submenu", "toolbar", "topnav"
};

/* ARIA roles of page furniture */
static const char *const html_noise_role[] = {
	"banner", "complementary", "contentinfo", "dialog", "menu",
	"menubar", "navigation", "search"
};

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

struct html {
	struct cw	*w;
	int		 depth;
	int		 in_main;	/* inside article/main */
	int		 in_item;	/* inside li */
	enum cw_kind	 item_kind;	/* what the li's line becomes */
	int		 inline_only;	/* in a cell or link: no blocks */
	char		*caption;	/* the open figure's caption */
	int		 caption_used;	/* ... already the image's label */
	size_t		 total;		/* text weight of the whole page */
};

struct html_meta {
	char	*val[META_N];
	int	 prio[META_N];
};

static enum html_kind	 html_kind(const xmlNode *);
static int		 is_el(const xmlNode *, const char *);
static char		*html_attr(const xmlNode *, const char *);
static int		 attr_is(const xmlNode *, const char *, const char *);
static int		 has_noise_word(const char *);
static int		 html_hidden(const xmlNode *);
static int		 html_noise(const xmlNode *);
static size_t		 html_weight(const xmlNode *, int);
static int		 html_text(struct buf *, const xmlNode *, int);
static void		 html_node(struct html *, xmlNode *);
static void		 html_children(struct html *, xmlNode *);
static int		 hard_begin(struct html *);
static void		 hard_end(struct html *, int);
static void		 html_list(struct html *, xmlNode *, int);
static void		 html_item(struct html *, xmlNode *, long);
static int		 pre_text(struct buf *, const xmlNode *, int);
static void		 html_pre(struct html *, xmlNode *);
static int		 html_layout_scan(const xmlNode *, int, size_t *,
			    size_t *);
static int		 html_table_layout(const xmlNode *);
static enum cw_align	 cell_align(const xmlNode *);
static int		 all_bold(const xmlNode *, int);
static void		 html_table(struct html *, xmlNode *);
static void		 html_row(struct html *, xmlNode *, int);
static void		 html_figure(struct html *, xmlNode *);
static int		 has_img(const xmlNode *, int);
static void		 html_anchor(struct html *, xmlNode *);
static void		 html_img(struct html *, xmlNode *);
static xmlNode		*html_find(xmlNode *, const char *, int);
static void		 html_best(xmlNode *, xmlNode **, size_t *, int,
			    int);
static xmlNode		*html_root(xmlNode *, size_t);
static void		 html_meta_walk(const xmlNode *, struct html_meta *,
			    int);
static void		 html_meta_set(struct html_meta *, int, int,
			    const char *);
static void		 html_meta_fill(struct html_meta *,
			    struct convert_meta *);
static int		 html_charset(const char *, size_t, char *, size_t);
static int		 html_decode(struct buf *, const char *, size_t,
			    const char *);
static xmlDoc		*html_parse(const char *, size_t, int *);
static xmlDoc		*fragment(const char *, size_t);

static int
is_el(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static enum html_kind
html_kind(const xmlNode *n)
{
	size_t	 i;

	for (i = 0; i < sizeof(html_tags) / sizeof(html_tags[0]); i++)
		if (strcmp((const char *)n->name, html_tags[i].name) == 0)
			return html_tags[i].kind;
	return HK_INLINE;
}

/* The attribute's value (free with xmlFree) or NULL. */
static char *
html_attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int
attr_is(const xmlNode *n, const char *name, const char *value)
{
	char	*v;
	int	 r;

	if ((v = html_attr(n, name)) == NULL)
		return 0;
	r = strcasecmp(v, value) == 0;
	xmlFree(v);
	return r;
}

static int
has_noise_word(const char *s)
{
	const char	*p = s;
	size_t		 n, i;

	while (*p != '\0') {
		p += strspn(p, " \t\n\r\f-_");
		n = strcspn(p, " \t\n\r\f-_");
		for (i = 0; n > 0 &&
		    i < sizeof(html_noise_words) / sizeof(html_noise_words[0]); i++)
			if (strlen(html_noise_words[i]) == n &&
			    strncasecmp(p, html_noise_words[i], n) == 0)
				return 1;
		p += n;
	}
	return 0;
}

/* Elements a browser would not show. */
static int
html_hidden(const xmlNode *n)
{
	char	*v;
	size_t	 i, j;
	int	 r = 0;

	if (xmlHasProp(n, (const xmlChar *)"hidden") != NULL ||
	    attr_is(n, "aria-hidden", "true"))
		return 1;
	if ((v = html_attr(n, "style")) == NULL)
		return 0;
	/* squeeze spaces and case, then look for the two declarations */
	for (i = j = 0; v[i] != '\0'; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n')
			v[j++] = (char)(v[i] >= 'A' && v[i] <= 'Z' ?
			    v[i] - 'A' + 'a' : v[i]);
	v[j] = '\0';
	if (strstr(v, "display:none") != NULL ||
	    strstr(v, "visibility:hidden") != NULL)
		r = 1;
	xmlFree(v);
	return r;
}

/* Menus, sidebars and the like, by role, class or id. */
static int
html_noise(const xmlNode *n)
{
	char	*v;
	size_t	 i;
	int	 r = 0;

	if ((v = html_attr(n, "role")) != NULL) {
		for (i = 0; i < sizeof(html_noise_role) /
		    sizeof(html_noise_role[0]); i++)
			if (strcasecmp(v, html_noise_role[i]) == 0)
				r = 1;
		xmlFree(v);
	}
	if (!r && (v = html_attr(n, "class")) != NULL) {
		r = has_noise_word(v);
		xmlFree(v);
	}
	if (!r && (v = html_attr(n, "id")) != NULL) {
		r = has_noise_word(v);
		xmlFree(v);
	}
	return r;
}

/* Bytes of visible, non-space text under n: how much it says. */
static size_t
html_weight(const xmlNode *n, int depth)
{
	const xmlNode	*c;
	const char	*p;
	size_t		 w = 0;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		for (p = (const char *)n->content; p != NULL && *p; p++)
			if ((unsigned char)*p > ' ')
				w++;
		return w;
	}
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    html_kind(n) == HK_DROP || html_hidden(n))
		return 0;
	for (c = n->children; c != NULL; c = c->next)
		w += html_weight(c, depth + 1);
	return w;
}

/* The visible text under n, whitespace collapsed. */
static int
html_text(struct buf *b, const xmlNode *n, int depth)
{
	struct buf	 raw = BUF_INIT;
	const xmlNode	*c;
	int		 r = 0;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content == NULL ? 0 : buf_append(b, n->content,
		    strlen((const char *)n->content));
	/* the element asked for is read even if it is <title> */
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    (depth > 0 && (html_kind(n) == HK_DROP || html_hidden(n))))
		return 0;
	for (c = n->children; c != NULL && r == 0; c = c->next)
		r = html_text(&raw, c, depth + 1);
	if (r == 0 && raw.len > 0) {
		if (depth == 0)
			r = convert_collapse(b, raw.data, raw.len);
		else
			r = buf_append(b, raw.data, raw.len);
		/* block elements and <br> separate words */
		if (r == 0 && depth > 0 && html_kind(n) != HK_INLINE &&
		    html_kind(n) != HK_A)
			r = buf_putc(b, ' ');
	}
	if (r == 0 && is_el(n, "br"))
		r = buf_putc(b, ' ');
	buf_free(&raw);
	return r;
}

static void
html_children(struct html *h, xmlNode *n)
{
	xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		html_node(h, c);
}

/*
 * A list, quote, table or preformatted block met inside a list item
 * ends the item's line and stands as a block of its own; returns what
 * to restore. Inside a table cell or a link there is no room for a
 * block: -1, and the caller keeps just the words.
 */
static int
hard_begin(struct html *h)
{
	int	 saved = h->w->soft;

	if (h->inline_only)
		return -1;
	if (saved > 0) {
		h->w->soft = 0;
		cw_line(h->w, h->in_item ? h->item_kind : CW_TEXT);
	}
	return saved;
}

static void
hard_end(struct html *h, int saved)
{
	if (saved >= 0)
		h->w->soft = saved;
}

static void
html_list(struct html *h, xmlNode *n, int ordered)
{
	xmlNode	*c;
	char	*v;
	long	 num = 1;
	int	 saved;

	saved = hard_begin(h);
	if (ordered && (v = html_attr(n, "start")) != NULL) {
		num = strtol(v, NULL, 10);
		xmlFree(v);
	}
	cw_list_begin(h->w);
	for (c = n->children; c != NULL; c = c->next) {
		if (!is_el(c, "li") || html_hidden(c)) {
			html_node(h, c);
			continue;
		}
		if (ordered && (v = html_attr(c, "value")) != NULL) {
			num = strtol(v, NULL, 10);
			xmlFree(v);
		}
		html_item(h, c, ordered ? (num > 0 ? num : 1) : 0);
		num++;
	}
	cw_list_end(h->w);
	hard_end(h, saved);
}

/* One item, one line: "* text", or "N. text" (gemtext has no numbers). */
static void
html_item(struct html *h, xmlNode *n, long num)
{
	struct cw	*w = h->w;
	enum cw_kind	 kind = num > 0 ? CW_TEXT : CW_ITEM, okind;
	char		 mark[32];
	size_t		 start;
	int		 oitem;

	okind = h->item_kind;
	oitem = h->in_item;
	h->in_item = 1;
	h->item_kind = kind;
	w->soft++;
	if (num > 0) {
		(void)snprintf(mark, sizeof(mark), "%ld. ", num);
		cw_text(w, mark, strlen(mark));
	}
	start = w->line.len;
	html_children(h, n);
	if (num > 0 && w->line.len == start && !h->inline_only) {
		buf_reset(&w->line);	/* an empty numbered item */
		w->space = 0;
	}
	w->soft--;
	cw_line(w, kind);
	h->in_item = oitem;
	h->item_kind = okind;
}

static int
pre_text(struct buf *b, const xmlNode *n, int depth)
{
	const xmlNode	*c;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content == NULL ? 0 : buf_append(b, n->content,
		    strlen((const char *)n->content));
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    html_kind(n) == HK_DROP || html_hidden(n))
		return 0;
	if (is_el(n, "br"))
		return buf_putc(b, '\n');
	for (c = n->children; c != NULL; c = c->next)
		if (pre_text(b, c, depth + 1) == -1)
			return -1;
	return 0;
}

static void
html_pre(struct html *h, xmlNode *n)
{
	struct buf	 t = BUF_INIT;
	size_t		 off;
	int		 saved;

	if (pre_text(&t, n, 0) == -1) {
		h->w->nomem = 1;
		goto done;
	}
	/* HTML drops a newline right after <pre> */
	off = t.len > 0 && t.data[0] == '\n' ? 1 : 0;
	saved = hard_begin(h);
	cw_pre(h->w, "", t.len > 0 ? t.data + off : "", t.len - off);
	hard_end(h, saved);
done:
	buf_free(&t);
}

/*
 * Old CMS pages lay the page out with tables. A data table is a grid
 * of short cells; nested tables, headings, lists, quotes, long cells or
 * a single column mean layout, which is walked as ordinary blocks.
 */
static int
html_layout_scan(const xmlNode *n, int depth, size_t *rows, size_t *cols)
{
	const xmlNode	*c, *d;
	size_t		 k;
	const char	*name;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (depth >= CONVERT_MAX_DEPTH)
			return 1;
		name = (const char *)c->name;
		if (strcmp(name, "table") == 0 || strcmp(name, "ul") == 0 ||
		    strcmp(name, "ol") == 0 || strcmp(name, "blockquote") == 0 ||
		    strcmp(name, "pre") == 0 || strcmp(name, "form") == 0 ||
		    strcmp(name, "article") == 0 || strcmp(name, "nav") == 0 ||
		    (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
		    name[2] == '\0'))
			return 1;
		if (strcmp(name, "tr") == 0) {
			(*rows)++;
			for (k = 0, d = c->children; d != NULL; d = d->next)
				if (is_el(d, "td") || is_el(d, "th"))
					k++;
			if (k > *cols)
				*cols = k;
		}
		if ((strcmp(name, "td") == 0 || strcmp(name, "th") == 0) &&
		    html_weight(c, 0) > HTML_CELL_MAX)
			return 1;
		if (html_layout_scan(c, depth + 1, rows, cols))
			return 1;
	}
	return 0;
}

static int
html_table_layout(const xmlNode *t)
{
	size_t	 rows = 0, cols = 0;

	if (attr_is(t, "role", "presentation") || attr_is(t, "role", "none"))
		return 1;
	if (html_layout_scan(t, 0, &rows, &cols))
		return 1;
	return rows == 0 || cols <= 1;
}

static enum cw_align
cell_align(const xmlNode *n)
{
	char		*v;
	enum cw_align	 a = CW_LEFT;

	if ((v = html_attr(n, "align")) != NULL) {
		if (strcasecmp(v, "right") == 0)
			a = CW_RIGHT;
		else if (strcasecmp(v, "center") == 0)
			a = CW_CENTER;
		xmlFree(v);
	}
	if ((v = html_attr(n, "style")) != NULL) {
		if (strstr(v, "text-align:right") != NULL ||
		    strstr(v, "text-align: right") != NULL)
			a = CW_RIGHT;
		else if (strstr(v, "text-align:center") != NULL ||
		    strstr(v, "text-align: center") != NULL)
			a = CW_CENTER;
		xmlFree(v);
	}
	return a;
}

/* Text wrapped whole in <b> or <strong>: how old pages mark a heading. */
static int
all_bold(const xmlNode *n, int depth)
{
	const xmlNode	*c, *only = NULL;
	const char	*p;
	size_t		 len, i, k;
	int		 cp;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content != NULL) {
			p = (const char *)c->content;
			len = strlen(p);
			for (i = 0; i < len; i += k) {
				k = utf8_decode(p + i, len - i, &cp);
				if (!convert_is_ws(cp))
					return 0;
			}
		} else if (c->type == XML_ELEMENT_NODE) {
			if (only != NULL)
				return 0;
			only = c;
		}
	}
	if (only == NULL || depth > 3)
		return 0;
	if (is_el(only, "b") || is_el(only, "strong"))
		return 1;
	return html_kind(only) != HK_IMG && all_bold(only, depth + 1);
}

static void
html_row(struct html *h, xmlNode *tr, int head)
{
	xmlNode	*c;
	char	*v;
	long	 span;
	int	 all_th = 1, any = 0;

	for (c = tr->children; c != NULL; c = c->next) {
		if ((!is_el(c, "td") && !is_el(c, "th")) || html_hidden(c))
			continue;
		any = 1;
		if (is_el(c, "td") && !(h->w->nrow == 0 && all_bold(c, 0)))
			all_th = 0;
		cw_cell_begin(h->w);
		h->inline_only++;
		html_children(h, c);
		h->inline_only--;
		cw_cell_end(h->w, cell_align(c));
		span = 1;
		if ((v = html_attr(c, "colspan")) != NULL) {
			span = strtol(v, NULL, 10);
			xmlFree(v);
		}
		for (; span > 1 && span <= 20; span--) {
			cw_cell_begin(h->w);
			cw_cell_end(h->w, CW_LEFT);
		}
	}
	cw_row_end(h->w, head || (any && all_th));
}

static void
html_table(struct html *h, xmlNode *n)
{
	xmlNode	*c, *r;
	int	 saved;

	if (h->inline_only || html_table_layout(n)) {
		cw_end_block(h->w);
		html_children(h, n);
		cw_end_block(h->w);
		return;
	}
	saved = hard_begin(h);
	cw_end_block(h->w);
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, "caption")) {
			h->w->soft++;
			html_children(h, c);
			h->w->soft--;
			cw_line(h->w, CW_TEXT);
		}
	cw_table_begin(h->w);
	for (c = n->children; c != NULL; c = c->next) {
		if (is_el(c, "tr"))
			html_row(h, c, 0);
		else if (is_el(c, "thead") || is_el(c, "tbody") ||
		    is_el(c, "tfoot"))
			for (r = c->children; r != NULL; r = r->next)
				if (is_el(r, "tr") && !html_hidden(r))
					html_row(h, r, is_el(c, "thead"));
	}
	cw_table_end(h->w);
	hard_end(h, saved);
}

/*
 * A figure is its image as a link line with the caption under it. An
 * image without alt text takes the caption as its label instead.
 */
static void
html_figure(struct html *h, xmlNode *n)
{
	struct buf	 cap = BUF_INIT;
	xmlNode		*c;
	char		*ocap = h->caption;
	int		 oused = h->caption_used;

	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, "figcaption"))
			break;
	if (c != NULL && (html_text(&cap, c, 0) == -1 ||
	    buf_append(&cap, "", 0) == -1))
		h->w->nomem = 1;
	h->caption = cap.len > 0 ? cap.data : NULL;
	h->caption_used = 0;
	cw_end_block(h->w);
	html_children(h, n);
	cw_end_block(h->w);
	h->caption = ocap;
	h->caption_used = oused;
	buf_free(&cap);
}

static int
has_img(const xmlNode *n, int depth)
{
	const xmlNode	*c;

	if (depth >= CONVERT_MAX_DEPTH)
		return 0;
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, "img") || has_img(c, depth + 1))
			return 1;
	return 0;
}

/* The link text stays in the prose; the link follows the block. */
static void
html_anchor(struct html *h, xmlNode *n)
{
	struct cw	*w = h->w;
	struct buf	 label = BUF_INIT;
	char		*href;
	size_t		 start;

	if ((href = html_attr(n, "href")) == NULL) {
		html_children(h, n);
		return;
	}
	start = w->line.len;
	w->soft++;
	h->inline_only++;
	html_children(h, n);
	h->inline_only--;
	w->soft--;
	if (w->line.len > start && buf_append(&label, w->line.data + start,
	    w->line.len - start) == -1)
		w->nomem = 1;
	else if (label.len > 0 || !has_img(n, 0)) {
		if (buf_append(&label, "", 0) == -1)
			w->nomem = 1;
		else
			cw_link(w, href, label.data);
	}
	/* an image-only link: the image's own line stands for it */
	buf_free(&label);
	xmlFree(href);
}

static void
html_img(struct html *h, xmlNode *n)
{
	static const char *const lazy[] = {
		"data-src", "data-original", "data-lazy-src", "data-url"
	};
	struct buf	 alt = BUF_INIT;
	char		*src, *v;
	size_t		 i;

	/* lazy loaders keep the real address aside, src a placeholder */
	src = html_attr(n, "src");
	for (i = 0; i < sizeof(lazy) / sizeof(lazy[0]) &&
	    (src == NULL || strncasecmp(src, "data:", 5) == 0 ||
	    src[0] == '\0'); i++) {
		if ((v = html_attr(n, lazy[i])) == NULL)
			continue;
		xmlFree(src);
		src = v;
	}
	if (src == NULL)
		return;
	/* a 1x1 image is a tracker, not a picture */
	if (attr_is(n, "width", "1") && attr_is(n, "height", "1"))
		goto done;
	if ((v = html_attr(n, "alt")) != NULL || (v = html_attr(n,
	    "title")) != NULL) {
		if (convert_collapse(&alt, v, strlen(v)) == -1)
			h->w->nomem = 1;
		xmlFree(v);
	}
	if (buf_append(&alt, "", 0) == -1) {
		h->w->nomem = 1;
		goto done;
	}
	if (h->caption != NULL && !h->caption_used) {
		if (alt.len == 0) {
			if (buf_puts(&alt, h->caption) == -1)
				h->w->nomem = 1;
			h->caption_used = 1;
		} else if (strcmp(alt.data, h->caption) == 0)
			h->caption_used = 1;
	}
	cw_image(h->w, src, alt.data);
done:
	buf_free(&alt);
	xmlFree(src);
}

static void
html_node(struct html *h, xmlNode *n)
{
	struct cw	*w = h->w;
	enum html_kind	 kind;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			cw_text(w, (const char *)n->content,
			    strlen((const char *)n->content));
		return;
	}
	if (n->type != XML_ELEMENT_NODE || h->depth >= CONVERT_MAX_DEPTH)
		return;
	kind = html_kind(n);
	if (kind == HK_DROP || html_hidden(n))
		return;
	if (kind != HK_MAIN && html_noise(n) &&
	    html_weight(n, 0) * 2 < h->total)
		return;
	h->depth++;
	switch (kind) {
	case HK_INLINE:
		html_children(h, n);
		break;
	case HK_PAGE:
		if (!h->in_main)
			break;
		/* FALLTHROUGH */
	case HK_BLOCK:
		cw_end_block(w);
		html_children(h, n);
		cw_end_block(w);
		break;
	case HK_MAIN:
		h->in_main++;
		cw_end_block(w);
		html_children(h, n);
		cw_end_block(w);
		h->in_main--;
		break;
	case HK_H1:
	case HK_H2:
	case HK_H3:
		cw_end_block(w);
		w->soft++;
		html_children(h, n);
		w->soft--;
		cw_line(w, kind == HK_H1 ? CW_H1 : kind == HK_H2 ? CW_H2 :
		    CW_H3);
		cw_end_block(w);
		break;
	case HK_LIST:
	case HK_OLIST:
		html_list(h, n, kind == HK_OLIST);
		break;
	case HK_LI:
		/* an item outside any list */
		cw_end_block(w);
		html_item(h, n, 0);
		cw_end_block(w);
		break;
	case HK_QUOTE:
		if (h->inline_only) {
			html_children(h, n);
			break;
		}
		{
			int	 saved = hard_begin(h);

			cw_end_block(w);
			w->quote++;
			w->hold++;
			html_children(h, n);
			cw_line(w, CW_QUOTE);	/* a trailing <cite> too */
			w->hold--;
			w->quote--;
			cw_end_block(w);
			hard_end(h, saved);
		}
		break;
	case HK_PRE:
		html_pre(h, n);
		break;
	case HK_TABLE:
		html_table(h, n);
		break;
	case HK_FIGURE:
		html_figure(h, n);
		break;
	case HK_FIGCAPTION:
		if (h->caption != NULL && h->caption_used)
			break;
		/* right under the image: no blank line before */
		cw_line(w, CW_TEXT);
		html_children(h, n);
		cw_end_block(w);
		break;
	case HK_BR:
		cw_break(w);
		break;
	case HK_HR:
		cw_end_block(w);
		break;
	case HK_A:
		html_anchor(h, n);
		break;
	case HK_IMG:
		html_img(h, n);
		break;
	case HK_DROP:
		break;
	}
	h->depth--;
}

/* First element called name under n (itself included), or NULL. */
static xmlNode *
html_find(xmlNode *n, const char *name, int depth)
{
	xmlNode	*c, *f;

	if (is_el(n, name))
		return n;
	if (depth >= CONVERT_MAX_DEPTH)
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (f = html_find(c, name, depth + 1)) != NULL)
			return f;
	return NULL;
}

/* The weightiest element under n that is an article (main == 0) or
 * the main content (main == 1). */
static void
html_best(xmlNode *n, xmlNode **best, size_t *bw, int main, int depth)
{
	xmlNode	*c;
	size_t	 w;
	int	 hit;

	if (depth >= CONVERT_MAX_DEPTH || html_kind(n) == HK_DROP)
		return;
	if (main)
		hit = is_el(n, "main") || attr_is(n, "role", "main");
	else
		hit = is_el(n, "article") ||
		    attr_is(n, "itemprop", "articleBody");
	if (hit && (w = html_weight(n, 0)) > *bw) {
		*best = n;
		*bw = w;
	}
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			html_best(c, best, bw, main, depth + 1);
}

/*
 * What to convert: the weightiest <article> if it holds at least 40%
 * of the page's text, else <main> on the same terms, else the whole
 * body. The threshold keeps a list of teaser <article>s from being
 * taken for the story.
 */
static xmlNode *
html_root(xmlNode *body, size_t total)
{
	xmlNode	*best;
	size_t	 bw;
	int	 main;

	for (main = 0; main <= 1; main++) {
		best = NULL;
		bw = 0;
		html_best(body, &best, &bw, main, 0);
		if (best != NULL && bw * 10 >= total * 4)
			return best;
	}
	return body;
}

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
	if (is_el(n, "title") || (is_el(n, "h1") && m->val[META_H1] ==
	    NULL)) {
		if (html_text(&t, n, 0) == 0 && buf_append(&t, "", 0) == 0)
			html_meta_set(m, is_el(n, "h1") ? META_H1 :
			    META_TITLE, 0, t.data);
		buf_free(&t);
		return;
	}
	if (is_el(n, "meta") && (val = html_attr(n, "content")) != NULL) {
		if ((key = html_attr(n, "name")) == NULL &&
		    (key = html_attr(n, "property")) == NULL &&
		    (key = html_attr(n, "itemprop")) == NULL)
			key = html_attr(n, "http-equiv");
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
 * Parse with the right charset. Bytes that are valid UTF-8 are read as
 * UTF-8 whatever the page says (a Latin-1 or windows-1258 page is
 * practically never valid UTF-8, while CMS templates often mislabel
 * UTF-8 pages). Otherwise the declared charset rules; iso-8859-1 and
 * ASCII labels mean windows-1252, as in browsers. An undeclared or
 * "utf-8" page with a few bad bytes is read as UTF-8 with U+FFFD for
 * them; one that is mostly not UTF-8 as windows-1252.
 */
static xmlDoc *
html_parse(const char *s, size_t len, int *nomem)
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
		if (html_decode(&u, s, len, "WINDOWS-1252") == -1)
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
		    HTML_OPTS | HTML_PARSE_IGNORE_ENC);
done:
	buf_free(&u);
	return doc;
}

int
convert_html(struct buf *out, const char *src, size_t len, const char *base,
    struct convert_meta *meta, char *err, size_t errlen)
{
	struct html_meta	 m;
	struct html		 h;
	struct cw		 w;
	xmlDoc			*doc;
	xmlNode			*top, *body, *root;
	char			*lang;
	size_t			 i;
	int			 r = -1, nomem;

	memset(&m, 0, sizeof(m));
	/* libxml2 gives no tree for blank or comment-only pages: no text */
	if ((doc = html_parse(src, len, &nomem)) == NULL) {
		if (nomem && err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "out of memory");
		return nomem ? -1 : 0;
	}
	if ((top = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return 0;
	}
	if (meta != NULL) {
		html_meta_walk(top, &m, 0);
		if ((lang = html_attr(top, "lang")) != NULL) {
			html_meta_set(&m, META_LANG, 0, lang);
			xmlFree(lang);
		}
	}

	cw_init(&w, base);
	memset(&h, 0, sizeof(h));
	h.w = &w;
	if ((body = html_find(top, "body", 0)) == NULL)
		body = top;
	h.total = html_weight(body, 0);
	root = html_root(body, h.total);
	if (root != body)
		h.in_main = 1;
	html_node(&h, root);
	r = cw_finish(&w, out, err, errlen);
	if (r == 0 && meta != NULL)
		html_meta_fill(&m, meta);
	cw_free(&w);
	for (i = 0; i < META_N; i++)
		free(m.val[i]);
	xmlFreeDoc(doc);
	return r;
}

/* Parse a piece of HTML met in Markdown; NULL if nothing came of it. */
static xmlDoc *
fragment(const char *s, size_t len)
{
	if (len == 0 || len > (size_t)(~0U >> 1))
		return NULL;
	return htmlReadMemory(s, (int)len, NULL, "UTF-8",
	    HTML_OPTS | HTML_PARSE_IGNORE_ENC);
}

void
convert_html_block(struct cw *w, const char *s, size_t len)
{
	struct html	 h;
	xmlDoc		*doc;
	xmlNode		*top, *body;

	if ((doc = fragment(s, len)) == NULL)
		return;
	if ((top = xmlDocGetRootElement(doc)) != NULL) {
		memset(&h, 0, sizeof(h));
		h.w = w;
		h.in_main = 1;		/* the author wrote it: keep it all */
		if ((body = html_find(top, "body", 0)) != NULL) {
			cw_end_block(w);
			html_children(&h, body);
			cw_end_block(w);
		}
	}
	xmlFreeDoc(doc);
}

/* Inline tags in Markdown: only <br> and <img> change the gemtext. */
void
convert_html_inline(struct cw *w, const char *s, size_t len)
{
	struct html	 h;
	xmlDoc		*doc;
	xmlNode		*top, *img;

	if (len >= 3 && strncasecmp(s, "<br", 3) == 0 &&
	    (len == 3 || s[3] == '>' || s[3] == '/' || s[3] == ' ')) {
		cw_break(w);
		return;
	}
	if (len < 5 || strncasecmp(s, "<img", 4) != 0 ||
	    (doc = fragment(s, len)) == NULL)
		return;
	if ((top = xmlDocGetRootElement(doc)) != NULL &&
	    (img = html_find(top, "img", 0)) != NULL) {
		memset(&h, 0, sizeof(h));
		h.w = w;
		html_img(&h, img);
	}
	xmlFreeDoc(doc);
}

/* The attr of the first element in tag ("<a href=...>"), malloc'd. */
char *
convert_html_attr(const char *tag, size_t len, const char *attr)
{
	xmlDoc	*doc;
	xmlNode	*n;
	char	*v, *r = NULL;

	if ((doc = fragment(tag, len)) == NULL)
		return NULL;
	for (n = xmlDocGetRootElement(doc); n != NULL; n = n->children)
		if (!is_el(n, "html") && !is_el(n, "body") &&
		    !is_el(n, "head") && n->type == XML_ELEMENT_NODE)
			break;
	if (n != NULL && (v = html_attr(n, attr)) != NULL) {
		r = strdup(v);
		xmlFree(v);
	}
	xmlFreeDoc(doc);
	return r;
}
