/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html.c: HTML -> gemtext, for pages exported from a web CMS.
 * libxml2's forgiving HTML parser builds the tree (convert_html_meta.c
 * reads the bytes in the right charset); this file walks it into the
 * gemtext writer, keeping the article and dropping the page around it:
 * scripts, styles, forms, frames, navigation, hidden elements and menus
 * (convert_html_tree.c says which element is which). When an <article>
 * or <main> holds most of the text, only it is converted; a page with
 * neither has its story found by convert_html_pick.c. Lists,
 * quotes, data tables, figures, links and images become their gemtext
 * forms; a layout table is walked as ordinary blocks. It also converts
 * the raw HTML met in Markdown. It never fetches anything
 * (HTML_PARSE_NONET). A page nested deeper than it follows
 * (CONVERT_MAX_DEPTH, or libxml2's own limit, past which the parser
 * drops the rest of the page) is refused rather than published without
 * what lies deeper.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "convert.h"
#include "convert_html_int.h"
#include "convert_int.h"
#include "gemtext.h"
#include "utf8.h"

#define HTML_CELL_MAX	300	/* a longer cell makes a layout table */

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
	long		 deep;		/* line of the first element too
					   deep to follow; 0: none */
	const struct html_pick *pick;	/* the story found, or NULL */
};

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
static xmlDoc		*fragment(const char *, size_t);
static long		 parse_cut(void);
static void		 story_title(struct convert_meta *, const char *,
			    size_t);

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
	if (ordered && (v = convert_html_prop(n, "start")) != NULL) {
		num = strtol(v, NULL, 10);
		xmlFree(v);
	}
	cw_list_begin(h->w);
	for (c = n->children; c != NULL; c = c->next) {
		if (!convert_html_is_el(c, "li") || convert_html_hidden(c)) {
			html_node(h, c);
			continue;
		}
		if (ordered && (v = convert_html_prop(c, "value")) != NULL) {
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
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n))
		return 0;
	if (convert_html_is_el(n, "br"))
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
		    strcmp(name, "ol") == 0 ||
		    strcmp(name, "blockquote") == 0 ||
		    strcmp(name, "pre") == 0 || strcmp(name, "form") == 0 ||
		    strcmp(name, "article") == 0 || strcmp(name, "nav") == 0 ||
		    (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
		    name[2] == '\0'))
			return 1;
		if (strcmp(name, "tr") == 0) {
			(*rows)++;
			for (k = 0, d = c->children; d != NULL; d = d->next)
				if (convert_html_is_el(d, "td") ||
				    convert_html_is_el(d, "th"))
					k++;
			if (k > *cols)
				*cols = k;
		}
		if ((strcmp(name, "td") == 0 || strcmp(name, "th") == 0) &&
		    convert_html_weight(c, 0) > HTML_CELL_MAX)
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

	if (convert_html_attr_is(t, "role", "presentation") ||
	    convert_html_attr_is(t, "role", "none"))
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

	if ((v = convert_html_prop(n, "align")) != NULL) {
		if (strcasecmp(v, "right") == 0)
			a = CW_RIGHT;
		else if (strcasecmp(v, "center") == 0)
			a = CW_CENTER;
		xmlFree(v);
	}
	if ((v = convert_html_prop(n, "style")) != NULL) {
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
	if (convert_html_is_el(only, "b") || convert_html_is_el(only, "strong"))
		return 1;
	return convert_html_kind(only) != HK_IMG && all_bold(only, depth + 1);
}

static void
html_row(struct html *h, xmlNode *tr, int head)
{
	xmlNode	*c;
	char	*v;
	long	 span;
	int	 all_th = 1, any = 0;

	for (c = tr->children; c != NULL; c = c->next) {
		if ((!convert_html_is_el(c, "td") &&
		    !convert_html_is_el(c, "th")) || convert_html_hidden(c))
			continue;
		any = 1;
		if (convert_html_is_el(c, "td") &&
		    !(h->w->nrow == 0 && all_bold(c, 0)))
			all_th = 0;
		cw_cell_begin(h->w);
		h->inline_only++;
		html_children(h, c);
		h->inline_only--;
		cw_cell_end(h->w, cell_align(c));
		span = 1;
		if ((v = convert_html_prop(c, "colspan")) != NULL) {
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
		if (convert_html_is_el(c, "caption")) {
			h->w->soft++;
			html_children(h, c);
			h->w->soft--;
			cw_line(h->w, CW_TEXT);
		}
	cw_table_begin(h->w);
	for (c = n->children; c != NULL; c = c->next) {
		if (convert_html_is_el(c, "tr"))
			html_row(h, c, 0);
		else if (convert_html_is_el(c, "thead") ||
		    convert_html_is_el(c, "tbody") ||
		    convert_html_is_el(c, "tfoot"))
			for (r = c->children; r != NULL; r = r->next)
				if (convert_html_is_el(r, "tr") &&
				    !convert_html_hidden(r))
					html_row(h, r,
					    convert_html_is_el(c, "thead"));
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
		if (convert_html_is_el(c, "figcaption"))
			break;
	if (c != NULL && (convert_html_text(&cap, c, 0) == -1 ||
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
		if (convert_html_is_el(c, "img") || has_img(c, depth + 1))
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

	if ((href = convert_html_prop(n, "href")) == NULL) {
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
	src = convert_html_prop(n, "src");
	for (i = 0; i < sizeof(lazy) / sizeof(lazy[0]) &&
	    (src == NULL || strncasecmp(src, "data:", 5) == 0 ||
	    src[0] == '\0'); i++) {
		if ((v = convert_html_prop(n, lazy[i])) == NULL)
			continue;
		xmlFree(src);
		src = v;
	}
	if (src == NULL)
		return;
	/* a 1x1 image is a tracker, not a picture */
	if (convert_html_attr_is(n, "width", "1") &&
	    convert_html_attr_is(n, "height", "1"))
		goto done;
	if ((v = convert_html_prop(n, "alt")) != NULL ||
	    (v = convert_html_prop(n, "title")) != NULL) {
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
	if (n->type != XML_ELEMENT_NODE)
		return;
	kind = convert_html_kind(n);
	if (kind == HK_DROP || convert_html_hidden(n) ||
	    (h->pick != NULL && convert_html_pick_drop(h->pick, n)))
		return;
	if (h->depth >= CONVERT_MAX_DEPTH) {
		if (h->deep == 0)
			h->deep = xmlGetLineNo(n) > 0 ? xmlGetLineNo(n) : 1;
		return;
	}
	if (kind != HK_MAIN && convert_html_noise(n) &&
	    convert_html_weight(n, 0) * 2 < h->total)
		return;
	/* kept only inside the story, as <header> and <footer> are */
	if (kind == HK_BLOCK && convert_html_chrome(n) &&
	    convert_html_weight(n, 0) * 2 < h->total)
		kind = HK_PAGE;
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

int
convert_html(struct buf *out, const char *src, size_t len, const char *base,
    struct convert_meta *meta, char *err, size_t errlen)
{
	return convert_html_site(out, src, len, base, NULL, meta, err,
	    errlen);
}

int
convert_html_site(struct buf *out, const char *src, size_t len,
    const char *base, const struct convert_links *links,
    struct convert_meta *meta, char *err, size_t errlen)
{
	struct html		 h;
	struct cw		 w;
	struct html_pick	*pick = NULL;
	xmlDoc			*doc;
	xmlNode			*top, *body, *root, **roots;
	char			*self = NULL;
	size_t			 i, nroots, start;
	long			 deep;
	int			 r = -1, nomem;

	/* libxml2 gives no tree for blank or comment-only pages: no text */
	xmlResetLastError();
	if ((doc = convert_html_parse(src, len, &nomem)) == NULL) {
		if (nomem && err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "out of memory");
		return nomem ? -1 : 0;
	}
	deep = parse_cut();
	/* what libxml2 keeps of its last error is freed now, not at the
	 * next page: a conversion leaves nothing allocated behind it (a
	 * fuzzer takes more allocations than frees for a leak, and looks) */
	xmlResetLastError();
	if (deep > 0)
		goto deep;
	if ((top = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return 0;
	}

	cw_init(&w, base);
	if ((w.site = links) != NULL)
		w.self = self = convert_html_self(top);
	memset(&h, 0, sizeof(h));
	h.w = &w;
	start = out->len;
	if ((body = convert_html_find(top, "body", 0)) == NULL)
		body = top;
	convert_html_weigh(top);
	h.total = convert_html_weight(body, 0);
	root = convert_html_root(body, h.total);
	if (root == body && (pick = convert_html_pick(body, &nomem)) != NULL) {
		/* the story's blocks, as if they were its <article> */
		h.pick = pick;
		h.in_main = 1;
		nroots = convert_html_pick_roots(pick, &roots);
		for (i = 0; i < nroots; i++)
			html_node(&h, roots[i]);
	} else {
		if (nomem)
			w.nomem = 1;
		if (root != body)
			h.in_main = 1;
		html_node(&h, root);
	}
	if ((deep = h.deep) > 0) {
		convert_html_pick_free(pick, body);
		cw_free(&w);
		free(self);
		goto deep;
	}
	r = cw_finish(&w, out, err, errlen);
	/* the walk changes nothing in the tree: the head is read after */
	if (r == 0 && meta != NULL) {
		convert_html_meta(top, meta);
		/* only for the log: no memory for it is no failure */
		if (pick != NULL) {
			meta->block = strdup(convert_html_pick_what(pick));
			if (out->len > start)
				story_title(meta, out->data + start,
				    out->len - start);
		}
	}
	convert_html_pick_free(pick, body);
	cw_free(&w);
	free(self);
	xmlFreeDoc(doc);
	return r;
deep:
	xmlFreeDoc(doc);
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "line %ld: elements nested more "
		    "than %d deep", deep, CONVERT_MAX_DEPTH);
	return -1;
}

/*
 * The line where libxml2 stopped parsing a page nested deeper than it
 * allows (it keeps what came before and drops the rest), or 0. Its
 * HTML parser reports that only as its last error.
 */
static long
parse_cut(void)
{
	const xmlError	*e = xmlGetLastError();

	if (e == NULL || e->message == NULL ||
	    strstr(e->message, "depth") == NULL)
		return 0;
	return e->line > 0 ? e->line : 1;
}

/*
 * A <title> is often the story's and the site's ("Story - Site", "Site
 * > Section > Story"). When the story found begins with a line that is
 * one part of it, that line is the title.
 */
static void
story_title(struct convert_meta *meta, const char *body, size_t len)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	char			*t;

	if (meta->title == NULL)
		return;
	gemtext_iter_init(&it, body, len);
	while (gemtext_next(&it, &l) && l.type == GEMTEXT_TEXT &&
	    l.textlen == 0)
		;
	if ((l.type != GEMTEXT_HEADING && l.type != GEMTEXT_TEXT) ||
	    l.textlen == 0 || l.textlen >= strlen(meta->title) ||
	    !gemtext_same_title(l.text, l.textlen, meta->title) ||
	    (t = strndup(l.text, l.textlen)) == NULL)
		return;
	free(meta->title);
	meta->title = t;
}

/* Parse a piece of HTML met in Markdown; NULL if nothing came of it. */
static xmlDoc *
fragment(const char *s, size_t len)
{
	if (len == 0 || len > (size_t)(~0U >> 1))
		return NULL;
	return htmlReadMemory(s, (int)len, NULL, "UTF-8",
	    CONVERT_HTML_OPTS | HTML_PARSE_IGNORE_ENC);
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
		if ((body = convert_html_find(top, "body", 0)) != NULL) {
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
	    (img = convert_html_find(top, "img", 0)) != NULL) {
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
		if (!convert_html_is_el(n, "html") &&
		    !convert_html_is_el(n, "body") &&
		    !convert_html_is_el(n, "head") &&
		    n->type == XML_ELEMENT_NODE)
			break;
	if (n != NULL && (v = convert_html_prop(n, attr)) != NULL) {
		r = strdup(v);
		xmlFree(v);
	}
	xmlFreeDoc(doc);
	return r;
}
