/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html_tree.c: what an element of a parsed HTML page is, for
 * the converter's walk. Each tag has a kind (a block, a heading, a
 * list, something never content, or just inline text); an element may
 * be hidden (by attribute or inline style) or page furniture (a menu,
 * sidebar or banner, by its role, class or id words); its weight is how
 * much visible text it holds, and the story is the weightiest <article>
 * or <main> when it holds most of the page's text. Only questions and
 * answers here: nothing is written, and the tree is never changed but
 * for the weights kept in its elements' psvi fields.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "buf.h"
#include "convert_html_int.h"
#include "convert_int.h"

#define HTML_FORM_PAGE	200	/* bytes of text in a form that is a page */

/* in strcmp order: convert_html_kind looks a name up with bsearch */
static const struct html_tag {
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

/* class and id words of an old page's header and footer */
static const char *const html_chrome_words[] = {
	"footer", "header", "masthead"
};

/* ARIA roles of page furniture */
static const char *const html_noise_role[] = {
	"banner", "complementary", "contentinfo", "dialog", "menu",
	"menubar", "navigation", "search"
};

#define has_word		convert_html_has_word
#define has_noise_word(n, attr)	has_word((n), (attr), html_noise_words,	\
	    sizeof(html_noise_words) / sizeof(html_noise_words[0]))
#define has_chrome_word(n, attr) has_word((n), (attr), html_chrome_words, \
	    sizeof(html_chrome_words) / sizeof(html_chrome_words[0]))
static void		 html_best(xmlNode *, xmlNode **, size_t *, int,
			    int);
static int		 tag_cmp(const void *, const void *);
static size_t		 weigh(xmlNode *, int, int *);

int
convert_html_is_el(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/*
 * ASP.NET pages (most Vietnamese government portals) wrap the whole
 * page in one <form>: a form with that much text is the page, not a
 * search box or a comment form.
 */
static int
page_form(const xmlNode *n)
{
	const xmlNode	*c;
	size_t		 w = 0;

	for (c = n->children; c != NULL && w < HTML_FORM_PAGE; c = c->next)
		w += convert_html_weight(c, 1);
	return w >= HTML_FORM_PAGE;
}

static int
tag_cmp(const void *name, const void *tag)
{
	return strcmp(name, ((const struct html_tag *)tag)->name);
}

/* Asked several times of every element: a binary search, not a scan
 * of 86 names. */
enum html_kind
convert_html_kind(const xmlNode *n)
{
	const struct html_tag	*t;

	t = bsearch(n->name, html_tags, sizeof(html_tags) /
	    sizeof(html_tags[0]), sizeof(html_tags[0]), tag_cmp);
	if (t == NULL)
		return HK_INLINE;
	return t->kind == HK_DROP && strcmp(t->name, "form") == 0 &&
	    page_form(n) ? HK_BLOCK : t->kind;
}

/* The attribute's value (free with xmlFree) or NULL. */
char *
convert_html_prop(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

int
convert_html_attr_is(const xmlNode *n, const char *name, const char *value)
{
	char	*v;
	int	 r;

	if ((v = convert_html_prop(n, name)) == NULL)
		return 0;
	r = strcasecmp(v, value) == 0;
	xmlFree(v);
	return r;
}

/* Is one of the nwords words in n's attribute attr (split at '-', '_'
 * and spaces)? */
int
convert_html_has_word(const xmlNode *n, const char *attr,
    const char *const *words, size_t nwords)
{
	char	*v, *p;
	size_t	 len, i;
	int	 r = 0;

	if ((v = convert_html_prop(n, attr)) == NULL)
		return 0;
	for (p = v; *p != '\0' && !r; p += len) {
		p += strspn(p, " \t\n\r\f-_");
		len = strcspn(p, " \t\n\r\f-_");
		for (i = 0; len > 0 && i < nwords && !r; i++)
			r = strlen(words[i]) == len &&
			    strncasecmp(p, words[i], len) == 0;
	}
	xmlFree(v);
	return r;
}

/* Elements a browser would not show. */
int
convert_html_hidden(const xmlNode *n)
{
	char	*v;
	size_t	 i, j;
	int	 r = 0;

	if (xmlHasProp(n, (const xmlChar *)"hidden") != NULL ||
	    convert_html_attr_is(n, "aria-hidden", "true"))
		return 1;
	if ((v = convert_html_prop(n, "style")) == NULL)
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
int
convert_html_noise(const xmlNode *n)
{
	char	*v;
	size_t	 i;
	int	 r = 0;

	if ((v = convert_html_prop(n, "role")) != NULL) {
		for (i = 0; i < sizeof(html_noise_role) /
		    sizeof(html_noise_role[0]); i++)
			if (strcasecmp(v, html_noise_role[i]) == 0)
				r = 1;
		xmlFree(v);
	}
	return r || has_noise_word(n, "class") || has_noise_word(n, "id");
}

/*
 * Pages written before HTML5 mark their header and footer with an id or
 * a class, not with <header> and <footer>: a child of <body> so named
 * is the same page furniture ("Phiên bản in", "Về trang chủ").
 */
int
convert_html_chrome(const xmlNode *n)
{
	return n->parent != NULL && convert_html_is_el(n->parent, "body") &&
	    (has_chrome_word(n, "id") || has_chrome_word(n, "class"));
}

/* Bytes of visible, non-space text under n: how much it says; from
 * the weights convert_html_weigh keeps, where it kept one. */
size_t
convert_html_weight(const xmlNode *n, int depth)
{
	const xmlNode	*c;
	const char	*p;
	size_t		 w = 0;

	if (depth == 0 && n->type == XML_ELEMENT_NODE && n->psvi != NULL)
		return (size_t)(uintptr_t)n->psvi - 1;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		for (p = (const char *)n->content; p != NULL && *p; p++)
			if ((unsigned char)*p > ' ')
				w++;
		return w;
	}
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n))
		return 0;
	for (c = n->children; c != NULL; c = c->next)
		w += convert_html_weight(c, depth + 1);
	return w;
}

/*
 * The weight of an element is asked many times: of the page, of each
 * candidate story, of each menu and of each table cell, and each asked
 * for a walk of everything below it, so that a page of nested menus or
 * cells cost the square of its size. convert_html_weigh walks the tree
 * once, bottom up, and keeps the weight of each element in its psvi
 * field (libxml2 sets it only for schema validation, never for HTML;
 * _private is the reader pick's) as weight + 1, where
 * convert_html_weight(n, 0) finds it. The weight is the same
 * number: an element is kept only when nothing counted lies deeper
 * below it than convert_html_weight follows (CONVERT_MAX_DEPTH); one
 * with more is weighed by a walk, as before.
 */
void
convert_html_weigh(xmlNode *top)
{
	int	 height;

	if (top != NULL && top->type == XML_ELEMENT_NODE)
		(void)weigh(top, 0, &height);
}

/* n's weight, uncut; *height: how deep below n the deepest element
 * that counts lies (0: none below it), or -1 if n does not count */
static size_t
weigh(xmlNode *n, int depth, int *height)
{
	xmlNode		*c;
	const char	*p;
	size_t		 w = 0, cw;
	int		 h = 0, ch;

	*height = -1;
	if (convert_html_kind(n) == HK_DROP || convert_html_hidden(n)) {
		n->psvi = (void *)(uintptr_t)1;
		return 0;
	}
	/* deeper than libxml2 builds a tree: too deep to keep anything */
	if (depth >= 4 * CONVERT_MAX_DEPTH) {
		*height = CONVERT_MAX_DEPTH;
		return 0;
	}
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			for (p = (const char *)c->content; p != NULL && *p;
			    p++)
				if ((unsigned char)*p > ' ')
					w++;
		} else if (c->type == XML_ELEMENT_NODE) {
			cw = weigh(c, depth + 1, &ch);
			if (ch >= 0) {
				w += cw;
				if (ch + 1 > h)
					h = ch + 1;
			}
		}
	}
	if (h < CONVERT_MAX_DEPTH)
		n->psvi = (void *)(uintptr_t)(w + 1);
	*height = h;
	return w;
}

/* The visible text under n, whitespace collapsed. */
int
convert_html_text(struct buf *b, const xmlNode *n, int depth)
{
	struct buf	 raw = BUF_INIT;
	const xmlNode	*c;
	int		 r = 0;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content == NULL ? 0 : buf_append(b, n->content,
		    strlen((const char *)n->content));
	/* the element asked for is read even if it is <title> */
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    (depth > 0 && (convert_html_kind(n) == HK_DROP ||
	    convert_html_hidden(n))))
		return 0;
	for (c = n->children; c != NULL && r == 0; c = c->next)
		r = convert_html_text(&raw, c, depth + 1);
	if (r == 0 && raw.len > 0) {
		if (depth == 0)
			r = convert_collapse(b, raw.data, raw.len);
		else
			r = buf_append(b, raw.data, raw.len);
		/* block elements and <br> separate words */
		if (r == 0 && depth > 0 && convert_html_kind(n) != HK_INLINE &&
		    convert_html_kind(n) != HK_A)
			r = buf_putc(b, ' ');
	}
	if (r == 0 && convert_html_is_el(n, "br"))
		r = buf_putc(b, ' ');
	buf_free(&raw);
	return r;
}

/* First element called name under n (itself included), or NULL. */
xmlNode *
convert_html_find(xmlNode *n, const char *name, int depth)
{
	xmlNode	*c, *f;

	if (convert_html_is_el(n, name))
		return n;
	if (depth >= CONVERT_MAX_DEPTH)
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (f = convert_html_find(c, name, depth + 1)) != NULL)
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

	if (depth >= CONVERT_MAX_DEPTH || convert_html_kind(n) == HK_DROP)
		return;
	if (main)
		hit = convert_html_is_el(n, "main") ||
		    convert_html_attr_is(n, "role", "main");
	else
		hit = convert_html_is_el(n, "article") ||
		    convert_html_attr_is(n, "itemprop", "articleBody");
	if (hit && (w = convert_html_weight(n, 0)) > *bw) {
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
xmlNode *
convert_html_root(xmlNode *body, size_t total)
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
