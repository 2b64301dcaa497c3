/*
 * convert_html_int.h: what the HTML converter's parts share, private to
 * convert_html*.c. convert_html.c walks libxml2's tree into the gemtext
 * writer, convert_html_tree.c says what an element is, and
 * convert_html_meta.c makes the tree from a page's bytes and reads the
 * page's metadata.
 */
#ifndef CONVERT_HTML_INT_H
#define CONVERT_HTML_INT_H

#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"

struct convert_meta;

#define CONVERT_HTML_OPTS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
				    HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

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

/* convert_html_tree.c: questions about one element */
enum html_kind convert_html_kind(const xmlNode *);
int	convert_html_is_el(const xmlNode *, const char *name);
/* The attribute's value (free with xmlFree) or NULL. */
char	*convert_html_prop(const xmlNode *, const char *name);
int	convert_html_attr_is(const xmlNode *, const char *name,
	    const char *value);
/* Is one of the words in n's attribute attr, split at '-', '_' and
 * spaces (any case)? */
int	convert_html_has_word(const xmlNode *, const char *attr,
	    const char *const *words, size_t nwords);
/* Elements a browser would not show; menus, sidebars and the like. */
int	convert_html_hidden(const xmlNode *);
int	convert_html_noise(const xmlNode *);
/* A <div> (or the like) that is an old page's header or footer. */
int	convert_html_chrome(const xmlNode *);
/* Bytes of visible, non-space text under n: how much it says. */
size_t	convert_html_weight(const xmlNode *n, int depth);
/* Weigh every element under top once, for convert_html_weight(n, 0)
 * to answer at once (the weights live in the elements' psvi). */
void	convert_html_weigh(xmlNode *top);
/* Append the visible text under n, whitespace collapsed. */
int	convert_html_text(struct buf *, const xmlNode *n, int depth);
/* The first element called name under n (itself included), or NULL. */
xmlNode	*convert_html_find(xmlNode *n, const char *name, int depth);
/* What to convert of body: the story's element, or body itself. */
xmlNode	*convert_html_root(xmlNode *body, size_t total);

/* convert_html_pick.c: the story's blocks on a page without <article>
 * or <main>, found the way reader modes do; NULL when no block stands
 * out (and *nomem says whether for want of memory). The pick marks the
 * elements of body (their _private pointer) until it is freed. */
struct html_pick;
struct html_pick *convert_html_pick(xmlNode *body, int *nomem);
/* The blocks to walk, in page order (elements, or loose text). */
size_t	 convert_html_pick_roots(const struct html_pick *, xmlNode ***);
/* Furniture inside them, to leave out. */
int	 convert_html_pick_drop(const struct html_pick *, const xmlNode *);
/* "div.detail and 2 blocks beside it: 2841 of 5120 characters" */
const char *convert_html_pick_what(const struct html_pick *);
void	 convert_html_pick_free(struct html_pick *, xmlNode *body);

/* convert_html_meta.c: a page's bytes parsed in the right charset (NULL:
 * no tree, and *nomem says whether for want of memory); the page's
 * metadata into meta. */
xmlDoc	*convert_html_parse(const char *, size_t, int *nomem);
void	 convert_html_meta(const xmlNode *top, struct convert_meta *meta);
/* The host the page says it is at (canonical, og:url, <base>),
 * lowercased and malloc'd, or NULL. */
char	*convert_html_self(const xmlNode *top);

#endif
