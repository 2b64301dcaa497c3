/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_md.c: Markdown -> gemtext. lowdown parses the body (tables,
 * fenced code, footnotes, autolinks, strikethrough; no metadata block,
 * since article.c has already taken bantin's header, and no smart
 * punctuation) and this file walks its tree into the shared writer.
 *
 * Why not lowdown_gemini_rndr(): the 1.0.0 gemini renderer writes prose
 * that starts with "=>" or an escaped "#" as a link or heading line,
 * glues the first code line onto the opening fence, pads table cells
 * by bytes, and has no hook for resolving links onto capsule paths.
 * Walking the tree keeps lowdown's parser and its gemini layout (links
 * after their paragraph, tables and code as preformatted blocks, images
 * as link lines) without those faults.
 */

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <lowdown.h>

#include "buf.h"
#include "convert.h"
#include "convert_int.h"

struct md {
	struct cw			 *w;
	const struct lowdown_node	**fn;	/* footnotes by number - 1 */
	size_t				  nfn, capfn;
	int				  depth;
	char				 *ahref;	/* open inline <a href> */
	size_t				  astart;	/* its text in w->line */
};

static void	md_node(struct md *, const struct lowdown_node *);
static void	md_children(struct md *, const struct lowdown_node *);
static int	md_str(struct buf *, const struct lowdown_buf *);
static void	md_entity(struct md *, const struct lowdown_buf *);
static void	md_link(struct md *, const struct lowdown_node *);
static void	md_autolink(struct md *, const struct lowdown_node *);
static void	md_image(struct md *, const struct lowdown_node *);
static void	md_code(struct md *, const struct lowdown_node *);
static void	md_list(struct md *, const struct lowdown_node *);
static void	md_item(struct md *, const struct lowdown_node *, int);
static void	md_table(struct md *, const struct lowdown_node *);
static void	md_footnote(struct md *, const struct lowdown_node *);
static void	md_footnotes(struct md *);
static void	md_raw_html(struct md *, const struct lowdown_buf *);
static void	md_raw_close(struct md *);

/* A NUL-terminated copy of a lowdown buffer (which is not). */
static int
md_str(struct buf *b, const struct lowdown_buf *lb)
{
	buf_reset(b);
	return buf_append(b, lb->size > 0 ? lb->data : "", lb->size);
}

static void
md_children(struct md *m, const struct lowdown_node *n)
{
	const struct lowdown_node	*c;

	TAILQ_FOREACH(c, &n->children, entries)
		md_node(m, c);
}

/* lowdown leaves "&name;" and "&#N;" to the renderer. */
static void
md_entity(struct md *m, const struct lowdown_buf *e)
{
	struct buf		 b = BUF_INIT;
	const htmlEntityDesc	*d;
	char			 name[32], *end;
	long			 cp = -1;

	if (e->size >= 3 && e->size - 2 < sizeof(name) &&
	    e->data[0] == '&' && e->data[e->size - 1] == ';') {
		memcpy(name, e->data + 1, e->size - 2);
		name[e->size - 2] = '\0';
		if (name[0] == '#') {
			if (name[1] == 'x' || name[1] == 'X')
				cp = strtol(name + 2, &end, 16);
			else
				cp = strtol(name + 1, &end, 10);
			if (*end != '\0' || end == name + 1)
				cp = -1;
		} else if ((d = htmlEntityLookup((const xmlChar *)name)) !=
		    NULL)
			cp = (long)d->value;
	}
	if (cp <= 0 || cp > 0x10ffff) {
		cw_text(m->w, e->data, e->size);
		return;
	}
	if (convert_put_cp(&b, (int)cp) == -1)
		m->w->nomem = 1;
	else
		cw_text(m->w, b.data, b.len);
	buf_free(&b);
}

/* The link text stays in the prose; the link follows the block. */
static void
md_link(struct md *m, const struct lowdown_node *n)
{
	struct cw	*w = m->w;
	struct buf	 href = BUF_INIT, label = BUF_INIT;
	size_t		 start = w->line.len;

	w->soft++;
	md_children(m, n);
	w->soft--;
	if (md_str(&href, &n->rndr_link.link) == -1 ||
	    (w->line.len > start && buf_append(&label, w->line.data + start,
	    w->line.len - start) == -1) || buf_append(&label, "", 0) == -1)
		w->nomem = 1;
	else
		cw_link(w, href.data, label.data);
	buf_free(&href);
	buf_free(&label);
}

static void
md_autolink(struct md *m, const struct lowdown_node *n)
{
	const struct lowdown_buf	*l = &n->rndr_autolink.link;
	struct buf			 href = BUF_INIT;
	size_t				 skip = 0;

	if (l->size > 7 && strncasecmp(l->data, "mailto:", 7) == 0)
		skip = 7;
	cw_text(m->w, l->data + skip, l->size - skip);
	if ((n->rndr_autolink.type == HALINK_EMAIL && skip == 0 &&
	    buf_puts(&href, "mailto:") == -1) ||
	    buf_append(&href, l->data, l->size) == -1 ||
	    buf_append(&href, "", 0) == -1)
		m->w->nomem = 1;
	else
		cw_link(m->w, href.data, NULL);
	buf_free(&href);
}

static void
md_image(struct md *m, const struct lowdown_node *n)
{
	struct buf	 src = BUF_INIT, alt = BUF_INIT;

	if (md_str(&src, &n->rndr_image.link) == -1 ||
	    md_str(&alt, &n->rndr_image.alt) == -1)
		m->w->nomem = 1;
	else
		cw_image(m->w, src.data, alt.data);
	buf_free(&src);
	buf_free(&alt);
}

static void
md_code(struct md *m, const struct lowdown_node *n)
{
	struct buf	 lang = BUF_INIT;

	if (md_str(&lang, &n->rndr_blockcode.lang) == -1)
		m->w->nomem = 1;
	else
		cw_pre(m->w, lang.data, n->rndr_blockcode.text.data,
		    n->rndr_blockcode.text.size);
	buf_free(&lang);
}

static void
md_list(struct md *m, const struct lowdown_node *n)
{
	const struct lowdown_node	*c;

	cw_list_begin(m->w);
	TAILQ_FOREACH(c, &n->children, entries)
		md_item(m, c, (n->rndr_list.flags & HLIST_FL_ORDERED) != 0);
	cw_list_end(m->w);
}

/*
 * One list item is one line: "* text", or "N. text" as prose for an
 * ordered list (gemtext has no numbered items). Its paragraphs join;
 * a nested list, code block, table or quote ends the line and is
 * written as a block of its own.
 */
static void
md_item(struct md *m, const struct lowdown_node *n, int ordered)
{
	struct cw			*w = m->w;
	const struct lowdown_node	*c;
	enum cw_kind			 kind = ordered ? CW_TEXT : CW_ITEM;
	char				 num[32];
	int				 saved;

	if (n->type != LOWDOWN_LISTITEM) {
		md_node(m, n);
		return;
	}
	w->soft++;
	if (ordered) {
		(void)snprintf(num, sizeof(num), "%zu. ",
		    n->rndr_listitem.num);
		cw_text(w, num, strlen(num));
	}
	TAILQ_FOREACH(c, &n->children, entries) {
		switch (c->type) {
		case LOWDOWN_LIST:
		case LOWDOWN_BLOCKCODE:
		case LOWDOWN_TABLE_BLOCK:
		case LOWDOWN_BLOCKQUOTE:
			saved = w->soft;
			w->soft = 0;
			cw_line(w, kind);
			md_node(m, c);
			w->soft = saved;
			break;
		default:
			md_node(m, c);
			break;
		}
	}
	md_raw_close(m);
	w->soft--;
	cw_line(w, kind);
}

static void
md_table(struct md *m, const struct lowdown_node *n)
{
	const struct lowdown_node	*sec, *row, *cell;
	enum cw_align			 al;

	cw_table_begin(m->w);
	TAILQ_FOREACH(sec, &n->children, entries)
		TAILQ_FOREACH(row, &sec->children, entries) {
			TAILQ_FOREACH(cell, &row->children, entries) {
				switch (cell->rndr_table_cell.flags &
				    HTBL_FL_ALIGNMASK) {
				case HTBL_FL_ALIGN_RIGHT:
					al = CW_RIGHT;
					break;
				case HTBL_FL_ALIGN_CENTER:
					al = CW_CENTER;
					break;
				default:
					al = CW_LEFT;
					break;
				}
				cw_cell_begin(m->w);
				md_children(m, cell);
				md_raw_close(m);
				cw_cell_end(m->w, al);
			}
			cw_row_end(m->w, sec->type == LOWDOWN_TABLE_HEADER);
		}
	cw_table_end(m->w);
}

/*
 * Inline HTML: <a href> ... </a> is a link like any other; <br> and
 * <img> go to convert_html_inline(); other tags are dropped, their
 * text kept.
 */
static void
md_raw_html(struct md *m, const struct lowdown_buf *t)
{
	if (t->size >= 3 && strncasecmp(t->data, "<a", 2) == 0 &&
	    (t->data[2] == ' ' || t->data[2] == '\t' || t->data[2] == '\n')) {
		md_raw_close(m);
		if ((m->ahref = convert_html_attr(t->data, t->size,
		    "href")) != NULL) {
			m->astart = m->w->line.len;
			m->w->soft++;	/* the label stays on one line */
		}
	} else if (t->size >= 4 && strncasecmp(t->data, "</a", 3) == 0)
		md_raw_close(m);
	else
		convert_html_inline(m->w, t->data, t->size);
}

/* End an open inline <a>: at its </a>, or at the end of its block. */
static void
md_raw_close(struct md *m)
{
	struct cw	*w = m->w;
	struct buf	 label = BUF_INIT;

	if (m->ahref == NULL)
		return;
	w->soft--;
	if (buf_append(&label, w->line.len > m->astart ?
	    w->line.data + m->astart : "", w->line.len > m->astart ?
	    w->line.len - m->astart : 0) == -1)
		w->nomem = 1;
	else
		cw_link(w, m->ahref, label.data);
	buf_free(&label);
	free(m->ahref);
	m->ahref = NULL;
}

/* A footnote is marked "[N]" where it is cited, and written at the end. */
static void
md_footnote(struct md *m, const struct lowdown_node *n)
{
	const struct lowdown_node	**t;
	char				  mark[32];
	size_t				  ncap;

	if (m->nfn == m->capfn) {
		ncap = m->capfn ? m->capfn * 2 : 8;
		if ((t = reallocarray(m->fn, ncap, sizeof(*t))) == NULL) {
			m->w->nomem = 1;
			return;
		}
		m->fn = t;
		m->capfn = ncap;
	}
	m->fn[m->nfn++] = n;
	(void)snprintf(mark, sizeof(mark), "[%zu]", m->nfn);
	cw_text(m->w, mark, strlen(mark));
}

static void
md_footnotes(struct md *m)
{
	struct cw	*w = m->w;
	char		 mark[32];
	size_t		 i;

	if (m->nfn == 0)
		return;
	cw_end_block(w);
	w->hold++;
	/* by index: a footnote may cite another and grow the list */
	for (i = 0; i < m->nfn; i++) {
		(void)snprintf(mark, sizeof(mark), "[%zu] ", i + 1);
		w->soft++;
		cw_text(w, mark, strlen(mark));
		md_children(m, m->fn[i]);
		w->soft--;
		cw_line(w, CW_TEXT);
	}
	w->hold--;
	cw_end_block(w);
}

static void
md_node(struct md *m, const struct lowdown_node *n)
{
	struct cw	*w = m->w;
	enum cw_kind	 kind;

	if (m->depth >= CONVERT_MAX_DEPTH)
		return;
	m->depth++;
	switch (n->type) {
	case LOWDOWN_DOC_HEADER:
	case LOWDOWN_META:
		break;
	case LOWDOWN_PARAGRAPH:
	case LOWDOWN_DEFINITION_TITLE:
	case LOWDOWN_DEFINITION_DATA:
		md_children(m, n);
		md_raw_close(m);
		cw_end_block(w);
		break;
	case LOWDOWN_HEADER:
		/* lowdown 1.0.0 counts heading levels from 0 */
		kind = n->rndr_header.level == 0 ? CW_H1 :
		    n->rndr_header.level == 1 ? CW_H2 : CW_H3;
		cw_line(w, CW_TEXT);
		w->soft++;
		md_children(m, n);
		md_raw_close(m);
		w->soft--;
		cw_line(w, kind);
		cw_end_block(w);
		break;
	case LOWDOWN_BLOCKQUOTE:
		cw_end_block(w);
		w->quote++;
		w->hold++;
		md_children(m, n);
		cw_line(w, CW_QUOTE);
		w->hold--;
		w->quote--;
		cw_end_block(w);
		break;
	case LOWDOWN_LIST:
		md_list(m, n);
		break;
	case LOWDOWN_BLOCKCODE:
		md_code(m, n);
		break;
	case LOWDOWN_TABLE_BLOCK:
		md_table(m, n);
		break;
	case LOWDOWN_HRULE:
		cw_end_block(w);
		break;
	case LOWDOWN_BLOCKHTML:
		convert_html_block(w, n->rndr_blockhtml.text.data,
		    n->rndr_blockhtml.text.size);
		break;
	case LOWDOWN_RAW_HTML:
		md_raw_html(m, &n->rndr_raw_html.text);
		break;
	case LOWDOWN_NORMAL_TEXT:
		cw_text(w, n->rndr_normal_text.text.data,
		    n->rndr_normal_text.text.size);
		break;
	case LOWDOWN_CODESPAN:
		cw_text(w, n->rndr_codespan.text.data,
		    n->rndr_codespan.text.size);
		break;
	case LOWDOWN_ENTITY:
		md_entity(m, &n->rndr_entity.text);
		break;
	case LOWDOWN_LINEBREAK:
		cw_break(w);
		break;
	case LOWDOWN_LINK:
		md_link(m, n);
		break;
	case LOWDOWN_LINK_AUTO:
		md_autolink(m, n);
		break;
	case LOWDOWN_IMAGE:
		md_image(m, n);
		break;
	case LOWDOWN_FOOTNOTE:
		md_footnote(m, n);
		break;
	default:
		/* emphasis, strikethrough and the like: just their text */
		md_children(m, n);
		break;
	}
	m->depth--;
}

int
convert_md(struct buf *out, const char *src, size_t len, const char *base,
    char *err, size_t errlen)
{
	struct lowdown_opts	 opts;
	struct lowdown_doc	*doc = NULL;
	struct lowdown_node	*root = NULL;
	struct buf		 in = BUF_INIT;
	struct cw		 w;
	struct md		 m;
	size_t			 maxn;
	int			 r = -1;

	if (convert_check_utf8(src, len, err, errlen) == -1)
		return -1;
	cw_init(&w, base);
	memset(&m, 0, sizeof(m));
	m.w = &w;
	if (convert_lf(&in, src, len) == -1)
		goto nomem;

	memset(&opts, 0, sizeof(opts));
	opts.type = LOWDOWN_GEMINI;
	opts.maxdepth = CONVERT_MAX_DEPTH;
	/* no LOWDOWN_METADATA: "Hà Nội: ..." on line one is prose */
	opts.feat = LOWDOWN_TABLES | LOWDOWN_FENCED | LOWDOWN_FOOTNOTES |
	    LOWDOWN_AUTOLINK | LOWDOWN_STRIKE | LOWDOWN_COMMONMARK |
	    LOWDOWN_NOINTEM;
	opts.oflags = 0;	/* no LOWDOWN_SMARTY: quotes stay as written */
	if ((doc = lowdown_doc_new(&opts)) == NULL)
		goto nomem;
	root = lowdown_doc_parse(doc, &maxn, in.data == NULL ? "" : in.data,
	    in.len, NULL);
	if (root == NULL) {
		if (err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "markdown parse failed");
		goto done;
	}
	md_node(&m, root);
	md_raw_close(&m);
	md_footnotes(&m);
	r = cw_finish(&w, out, err, errlen);
	goto done;
nomem:
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "out of memory");
done:
	if (root != NULL)
		lowdown_node_free(root);
	if (doc != NULL)
		lowdown_doc_free(doc);
	free(m.fn);
	free(m.ahref);
	buf_free(&in);
	cw_free(&w);
	return r;
}
