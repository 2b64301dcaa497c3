/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html_pick.c: where the story is on a page that does not say
 * (no <article>, no <main>): the way reader modes find it. Every
 * element is measured once (visible characters, those inside links to
 * other pages, commas). A run of prose of 25 characters or more is a
 * paragraph and scores 1, plus one a comma, plus one a hundred
 * characters (three at most), less its share of link text; it gives
 * its score to the block that holds it, half to the next one out and
 * a quarter to the one after (lists, rows and inline wrappers are
 * passed through). A block scores what its paragraphs gave it, less
 * its own share of link text; class and id words weigh it: furniture
 * (comment, share, related, tag, menu, sidebar, footer, login, ad, and
 * the Vietnamese portals' binh-luan, tin-lien-quan, chia-se...) counts
 * a quarter and gives nothing to what holds it, story words (content,
 * detail, noi-dung, chi-tiet...) count half as much again.
 *
 * The best block wins if it scores 5 or more. It stands with what is
 * next to it in its parent (a wrapper with nothing else in it, no text
 * and no picture, is taken whole): the headings, lead and figures before it, any block of prose
 * (link text a quarter at most) or one that scores a fifth of the
 * winner's, and the one short line right after it (a signature). Inside
 * what is kept, furniture blocks, lists and boxes of links to other
 * pages, and the headings and lines of links that close the story with
 * no words after them (a comment form's "Ý kiến bạn đọc", "Về đầu
 * trang | Trở về") are left out. The tree is read, never changed; the
 * measures hang on each element's _private pointer while the pick
 * lives. docs/reader.md says all this for editors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "buf.h"
#include "convert_html_int.h"
#include "convert_int.h"
#include "utf8.h"

#define PICK_PARA	25	/* characters of prose that make a paragraph */
#define PICK_MIN	5.0	/* the score a block needs to be the story */
#define PICK_SIBLING	0.2	/* a neighbour scoring this share is kept */
#define PICK_PROSE	30	/* characters of a neighbour kept as prose */
#define PICK_SHORT	80	/* at most, in a signature after the story */

enum {
	PF_NEG = 1,		/* class or id of page furniture */
	PF_POS = 2,		/* class or id of the story */
	PF_DROP = 4,		/* inside the pick: left out */
	PF_HEAD = 8		/* a heading, or a block that is only one */
};

struct pnode {
	size_t		 chars;		/* visible, non-space characters */
	size_t		 links;		/* ... in links to other pages */
	size_t		 good, goodlinks; /* ... outside furniture */
	size_t		 own, ownlinks, owncommas; /* not in inner blocks */
	double		 score;		/* what its paragraphs gave it */
	unsigned	 flags;
};

struct heads {			/* headings, lines of links: waiting */
	xmlNode		**v;
	size_t		 n, cap;
};

struct html_pick {
	struct pnode	*nodes;
	size_t		 n, cap;
	xmlNode		**roots;	/* what to walk, in page order */
	size_t		 nroots;
	size_t		 total;		/* characters on the page */
	char		 what[256];	/* the choice, for the log */
};

/* class and id words (split at anything not a letter or digit) */
static const char *const neg_words[] = {
	"ad", "ads", "adv", "advert", "advertisement", "banner",
	"binhluan", "breadcrumb", "breadcrumbs", "chiase", "comment",
	"commentlist", "comments", "cookie", "copyright", "dangky",
	"dangnhap", "docnhieu", "footer", "hotline", "keyword", "keywords",
	"lienquan", "login", "mainmenu", "masthead", "megamenu", "menu",
	"menubar", "modal", "nav", "navbar", "navigation", "newsletter",
	"pager", "pagination", "popular", "popup", "print", "promo",
	"quangcao", "rating", "register", "related", "relatedposts",
	"share", "sharing", "sidebar", "signin", "social", "sponsor",
	"subscribe", "submenu", "tag", "tags", "tinkhac", "tinlienquan",
	"toolbar", "topbar", "tukhoa", "vote", "widget", "xemnhieu",
	"ykien"
};

/* ... and runs of them, as Vietnamese portals join words with '-' */
static const char *const neg_phrases[] = {
	"binh-luan", "chia-se", "cung-chuyen-muc", "dang-ky", "dang-nhap",
	"doc-nhieu", "lien-he", "lien-quan", "most-read", "most-viewed",
	"other-news", "quang-cao", "tin-khac", "tin-lien-quan", "top-bar",
	"tu-khoa", "xem-nhieu", "xem-them", "y-kien"
};

static const char *const pos_words[] = {
	"article", "baiviet", "body", "chitiet", "content", "detail",
	"details", "entry", "fulltext", "main", "noidung", "post", "story",
	"text"
};

static const char *const pos_phrases[] = {
	"bai-viet", "chi-tiet", "noi-dung", "toan-van"
};

/* links to these are downloads, not other pages: not link text */
static const char *const file_exts[] = {
	"7z", "doc", "docx", "gif", "jpeg", "jpg", "mp3", "mp4", "odt",
	"pdf", "png", "ppt", "pptx", "rar", "rtf", "webp", "xls", "xlsx",
	"zip"
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct pnode	*pn(const xmlNode *);
static int		 in_list(const char *, size_t, const char *const *,
			    size_t);
static unsigned		 attr_class(const xmlNode *, const char *);
static int		 file_link(const xmlNode *);
static int		 number(struct html_pick *, xmlNode *, int);
static void		 measure(struct html_pick *, xmlNode *, int, int);
static int		 paragraph_tag(const xmlNode *);
static int		 pass_through(const xmlNode *);
static void		 score(struct html_pick *, xmlNode *, int);
static double		 final_score(const xmlNode *);
static void		 best(struct html_pick *, xmlNode *, int, xmlNode **,
			    double *);
static int		 keep_sibling(xmlNode *, xmlNode *, double, int);
static int		 has_img(const xmlNode *, int);
static int		 add_root(struct html_pick *, xmlNode *);
static void		 clean(struct html_pick *, xmlNode *, int, size_t);
static void		 trailing(struct html_pick *, xmlNode *, int,
			    struct heads *);
static void		 describe(struct html_pick *, const xmlNode *,
			    size_t);

static struct pnode *
pn(const xmlNode *n)
{
	return n->_private;
}

static int
in_list(const char *w, size_t len, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(w, list[i], len) == 0)
			return 1;
	return 0;
}

/* Does a phrase stand in s (lowercased, words joined by '-') whole? */
static int
has_phrase(const char *s, const char *const *list, size_t n)
{
	const char	*p;
	size_t		 i, len;

	for (i = 0; i < n; i++) {
		len = strlen(list[i]);
		for (p = s; (p = strstr(p, list[i])) != NULL; p++)
			if ((p == s || p[-1] == '-') &&
			    (p[len] == '\0' || p[len] == '-'))
				return 1;
	}
	return 0;
}

/* PF_NEG or PF_POS from the words of attribute attr; furniture wins
 * ("main-menu", "comment-content" are furniture). */
static unsigned
attr_class(const xmlNode *n, const char *attr)
{
	struct buf	 b = BUF_INIT;
	char		*v, *p;
	size_t		 len;
	unsigned	 f = 0;
	int		 sep = 1;

	if ((v = convert_html_prop(n, attr)) == NULL)
		return 0;
	/* lowercased ASCII words joined by '-' */
	for (p = v; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (sep && b.len > 0 && buf_putc(&b, '-') == -1)
				goto done;
			if (buf_putc(&b, *p | 0x20) == -1)
				goto done;
			sep = 0;
		} else
			sep = 1;
	}
	if (b.len == 0)
		goto done;
	for (p = b.data; *p != '\0'; p += len) {
		p += strspn(p, "-");
		len = strcspn(p, "-");
		if (len > 0 && in_list(p, len, neg_words, NELEM(neg_words)))
			f |= PF_NEG;
		if (len > 0 && in_list(p, len, pos_words, NELEM(pos_words)))
			f |= PF_POS;
	}
	if (has_phrase(b.data, neg_phrases, NELEM(neg_phrases)))
		f |= PF_NEG;
	if (has_phrase(b.data, pos_phrases, NELEM(pos_phrases)))
		f |= PF_POS;
done:
	buf_free(&b);
	xmlFree(v);
	return f & PF_NEG ? PF_NEG : f;
}

/* An <a> to a download (a document or an image), by its extension. */
static int
file_link(const xmlNode *n)
{
	char		*href;
	const char	*dot, *end;
	size_t		 len;
	int		 r = 0;

	if ((href = convert_html_prop(n, "href")) == NULL)
		return 0;
	end = href + strcspn(href, "?#");
	for (dot = end; dot > href && dot[-1] != '.' && dot[-1] != '/'; dot--)
		;
	len = (size_t)(end - dot);
	if (dot > href && dot[-1] == '.' && len > 0 && len < 6) {
		char	 ext[8];
		size_t	 i;

		for (i = 0; i < len; i++)
			ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ?
			    dot[i] | 0x20 : dot[i]);
		r = in_list(ext, len, file_exts, NELEM(file_exts));
	}
	xmlFree(href);
	return r;
}

/* Give every element below n a struct pnode; -1 on ENOMEM. */
static int
number(struct html_pick *pk, xmlNode *n, int depth)
{
	xmlNode	*c;
	void	*v;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return 0;
	if (pk->n == pk->cap) {
		pk->cap = pk->cap ? pk->cap * 2 : 256;
		if ((v = reallocarray(pk->nodes, pk->cap,
		    sizeof(*pk->nodes))) == NULL)
			return -1;
		pk->nodes = v;
	}
	/* the array moves as it grows: indexes now, pointers after */
	n->_private = (void *)(pk->n + 1);
	memset(&pk->nodes[pk->n++], 0, sizeof(*pk->nodes));
	for (c = n->children; c != NULL; c = c->next)
		if (number(pk, c, depth + 1) == -1)
			return -1;
	return 0;
}

static void
fix_pointers(struct html_pick *pk, xmlNode *n, int depth)
{
	xmlNode	*c;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return;
	n->_private = &pk->nodes[(size_t)n->_private - 1];
	for (c = n->children; c != NULL; c = c->next)
		fix_pointers(pk, c, depth + 1);
}

static void
unnumber(xmlNode *n, int depth)
{
	xmlNode	*c;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return;
	n->_private = NULL;
	for (c = n->children; c != NULL; c = c->next)
		unnumber(c, depth + 1);
}

static int
inline_kind(enum html_kind k)
{
	return k == HK_INLINE || k == HK_A || k == HK_BR || k == HK_IMG;
}

/* Visible characters of a text node; *commas gets its commas. */
static size_t
count_text(const xmlNode *n, size_t *commas)
{
	const char	*s = (const char *)n->content;
	size_t		 len, i, k, t = 0;
	int		 cp;

	*commas = 0;
	len = s != NULL ? strlen(s) : 0;
	for (i = 0; i < len; i += k) {
		k = utf8_decode(s + i, len - i, &cp);
		if (cp <= 0 || convert_is_ws(cp))
			continue;
		t++;
		if (cp == ',' || cp == 0xff0c || cp == 0x3001)
			(*commas)++;
	}
	return t;
}

/* Count the visible text below n into its pnode, and its own: the
 * text not inside an inner block. */
static void
measure(struct html_pick *pk, xmlNode *n, int depth, int inlink)
{
	struct pnode	*p = pn(n), *q;
	xmlNode		*c;
	size_t		 t, tc;
	int		 link;

	p->flags = attr_class(n, "class") | attr_class(n, "id");
	if (convert_html_kind(n) >= HK_H1 && convert_html_kind(n) <= HK_H3)
		p->flags |= PF_HEAD;
	link = inlink || (convert_html_is_el(n, "a") &&
	    xmlHasProp(n, (const xmlChar *)"href") != NULL && !file_link(n));
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			t = count_text(c, &tc);
			p->own += t;
			p->owncommas += tc;
			p->chars += t;
			p->good += t;
			if (link) {
				p->ownlinks += t;
				p->links += t;
				p->goodlinks += t;
			}
			continue;
		}
		if (c->type != XML_ELEMENT_NODE ||
		    depth + 1 >= CONVERT_MAX_DEPTH ||
		    convert_html_kind(c) == HK_DROP || convert_html_hidden(c))
			continue;
		measure(pk, c, depth + 1, link);
		q = pn(c);
		p->chars += q->chars;
		p->links += q->links;
		if (!(q->flags & PF_NEG)) {
			p->good += q->good;
			p->goodlinks += q->goodlinks;
		}
		if (inline_kind(convert_html_kind(c))) {
			p->own += q->own;
			p->ownlinks += q->ownlinks;
			p->owncommas += q->owncommas;
		}
	}
	/* a block that is only a heading is one */
	if (!(p->flags & PF_HEAD) && p->own == 0 && p->chars > 0) {
		for (c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE && pn(c) != NULL &&
			    pn(c)->chars > 0)
				break;
		if (c != NULL && pn(c)->chars == p->chars &&
		    (pn(c)->flags & PF_HEAD))
			p->flags |= PF_HEAD;
	}
}

/* Paragraph-like elements give their score to what holds them; any
 * other block with prose of its own is a holder itself. */
static int
paragraph_tag(const xmlNode *n)
{
	static const char *const t[] = {
		"address", "blockquote", "caption", "dd", "dt", "figcaption",
		"li", "p", "pre"
	};

	return in_list((const char *)n->name, strlen((const char *)n->name),
	    t, NELEM(t));
}

/* Lists, rows and inline wrappers hold no story of their own. */
static int
pass_through(const xmlNode *n)
{
	static const char *const t[] = {
		"dl", "ol", "tbody", "tfoot", "thead", "tr", "ul"
	};

	return inline_kind(convert_html_kind(n)) ||
	    in_list((const char *)n->name, strlen((const char *)n->name),
	    t, NELEM(t));
}

/* Each paragraph's score, shared out; nothing from inside furniture. */
static void
score(struct html_pick *pk, xmlNode *n, int depth)
{
	struct pnode	*p = pn(n);
	xmlNode		*c, *up;
	double		 s, share;
	int		 level;

	if ((p->flags & PF_NEG) && p->chars * 2 < pk->total)
		return;
	if (p->own >= PICK_PARA && !(p->flags & PF_HEAD) &&
	    !inline_kind(convert_html_kind(n))) {
		s = 1.0 + (double)p->owncommas +
		    ((double)p->own / 100.0 > 3.0 ? 3.0 :
		    (double)p->own / 100.0);
		s *= 1.0 - (double)p->ownlinks / (double)p->own;
		up = paragraph_tag(n) ? n->parent : n;
		for (level = 0, share = 1.0; up != NULL && level < 3 &&
		    up->type == XML_ELEMENT_NODE && pn(up) != NULL;
		    up = up->parent) {
			if (pass_through(up))
				continue;
			pn(up)->score += s * share;
			share /= 2;
			level++;
		}
	}
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && pn(c) != NULL &&
		    depth + 1 < CONVERT_MAX_DEPTH &&
		    convert_html_kind(c) != HK_DROP && !convert_html_hidden(c))
			score(pk, c, depth + 1);
}

static double
final_score(const xmlNode *n)
{
	const struct pnode	*p = pn(n);
	double			 s = p->score;

	if (p->chars > 0)
		s *= 1.0 - (double)p->links / (double)p->chars;
	if (p->flags & PF_NEG)
		s *= 0.25;
	else if (p->flags & PF_POS)
		s *= 1.5;
	return s;
}

static void
best(struct html_pick *pk, xmlNode *n, int depth, xmlNode **top,
    double *ts)
{
	xmlNode	*c;
	double	 s;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || pn(c) == NULL ||
		    depth + 1 >= CONVERT_MAX_DEPTH ||
		    convert_html_kind(c) == HK_DROP || convert_html_hidden(c))
			continue;
		if (!pass_through(c) && (s = final_score(c)) > *ts) {
			*top = c;
			*ts = s;
		}
		best(pk, c, depth + 1, top, ts);
	}
}

/* Characters a neighbour of the story says, outside furniture, and
 * how many of them are link text; text nodes count as prose. */
static size_t
said(const xmlNode *n, size_t *links)
{
	size_t	 tc;

	*links = 0;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return count_text(n, &tc);
	if (n->type != XML_ELEMENT_NODE || pn(n) == NULL ||
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n) ||
	    (pn(n)->flags & PF_NEG))
		return 0;
	*links = pn(n)->goodlinks;
	return pn(n)->good;
}

/*
 * Is s, a neighbour of the winner top (scoring ts), part of the story?
 * before: it comes first. Headings and figures before the story,
 * prose, blocks that score, and a short line right after it (a
 * signature) are.
 */
static int
keep_sibling(xmlNode *s, xmlNode *top, double ts, int before)
{
	xmlNode	*c;
	size_t	 chars, links, l;
	int	 el = s->type == XML_ELEMENT_NODE;

	/* an old page's header or footer (convert_html_chrome) is no
	 * part of it either */
	if (el && (pn(s) == NULL || convert_html_kind(s) == HK_DROP ||
	    convert_html_hidden(s) || (pn(s)->flags & PF_NEG) ||
	    convert_html_chrome(s)))
		return 0;
	if ((chars = said(s, &links)) == 0)	/* a figure, a rule */
		return el && (before || convert_html_kind(s) == HK_FIGURE ||
		    convert_html_is_el(s, "img"));
	if (el && (pn(s)->flags & PF_HEAD))
		return before;
	if (el && final_score(s) >= ts * PICK_SIBLING)
		return 1;
	/* the other cells of a layout row are columns: menus, counters */
	if (el && (convert_html_is_el(s, "td") || convert_html_is_el(s, "th")))
		return 0;
	if (links * 4 > chars)
		return 0;
	if (before || chars >= PICK_PROSE)
		return 1;
	/* right after the story: a signature, not a box's title */
	for (c = top->next; c != NULL && c != s; c = c->next)
		if (said(c, &l) > 0)
			return 0;
	return chars <= PICK_SHORT;
}

static int
has_img(const xmlNode *n, int depth)
{
	const xmlNode	*c;

	if (convert_html_is_el(n, "img"))
		return 1;
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n))
		return 0;
	for (c = n->children; c != NULL; c = c->next)
		if (has_img(c, depth + 1))
			return 1;
	return 0;
}

static int
add_root(struct html_pick *pk, xmlNode *n)
{
	void	*v;

	if ((v = reallocarray(pk->roots, pk->nroots + 1,
	    sizeof(*pk->roots))) == NULL)
		return -1;
	pk->roots = v;
	pk->roots[pk->nroots++] = n;
	return 0;
}

/* Inside the story: furniture, and boxes of links, are left out. */
static void
clean(struct html_pick *pk, xmlNode *n, int depth, size_t kept)
{
	struct pnode	*p = pn(n);
	xmlNode		*c;
	enum html_kind	 k = convert_html_kind(n);

	if (depth > 0 && (p->flags & PF_NEG) && p->chars * 2 < kept) {
		p->flags |= PF_DROP;
		return;
	}
	if (depth > 0 && (k == HK_BLOCK || k == HK_LIST || k == HK_OLIST ||
	    k == HK_TABLE) && !paragraph_tag(n) && p->links * 2 > p->chars &&
	    p->chars - p->links < 200) {
		p->flags |= PF_DROP;
		return;
	}
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && pn(c) != NULL &&
		    depth + 1 < CONVERT_MAX_DEPTH)
			clean(pk, c, depth + 1, kept);
}

/* The headings and lines of links after the last words kept: a box's
 * title whose box went, "Về đầu trang | Trở về". Collected in page
 * order, forgotten when words follow. */
static void
trailing(struct html_pick *pk, xmlNode *n, int depth,
    struct heads *h)
{
	struct pnode	*p;
	size_t		 tc;
	void		*v;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (count_text(n, &tc) > 0)
			h->n = 0;
		return;
	}
	if (n->type != XML_ELEMENT_NODE || (p = pn(n)) == NULL ||
	    (p->flags & PF_DROP) || depth >= CONVERT_MAX_DEPTH ||
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n))
		return;
	if (convert_html_kind(n) == HK_IMG) {
		h->n = 0;
		return;
	}
	if ((convert_html_kind(n) >= HK_H1 && convert_html_kind(n) <= HK_H3) ||
	    (!inline_kind(convert_html_kind(n)) && p->chars > 0 &&
	    p->links * 10 >= p->chars * 9)) {
		if (p->chars == 0)
			return;
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 8;
			if ((v = reallocarray(h->v, h->cap,
			    sizeof(*h->v))) == NULL) {
				h->cap = h->n;
				return;		/* then it stays */
			}
			h->v = v;
		}
		h->v[h->n++] = n;
		return;
	}
	for (n = n->children; n != NULL; n = n->next)
		trailing(pk, n, depth + 1, h);
}

/* "div#id.class1.class2", at most len bytes; 0 if it has neither. */
static int
el_name(char *name, size_t len, const xmlNode *n)
{
	char	*id, *cls;
	size_t	 i;
	int	 r;

	id = convert_html_prop(n, "id");
	cls = convert_html_prop(n, "class");
	r = id != NULL || cls != NULL;
	(void)snprintf(name, len, "%s%s%.32s%s%.40s", (const char *)n->name,
	    id != NULL ? "#" : "", id != NULL ? id : "",
	    cls != NULL ? "." : "", cls != NULL ? cls : "");
	/* a class list's spaces read as more dots */
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] == ' ' || name[i] == '\t' || name[i] == '\n')
			name[i] = '.';
	xmlFree(id);
	xmlFree(cls);
	return r;
}

/* "div.content-detail and 3 blocks beside it: 1234 of 2345
 * characters"; an element without id or class is named with the
 * nearest one around it that has one ("td in table.main"). */
static void
describe(struct html_pick *pk, const xmlNode *top, size_t kept)
{
	const xmlNode	*up;
	char		 name[96], in[96];

	in[0] = '\0';
	if (!el_name(name, sizeof(name), top))
		for (up = top->parent; up != NULL &&
		    up->type == XML_ELEMENT_NODE &&
		    !convert_html_is_el(up, "body"); up = up->parent)
			if (el_name(in + 4, sizeof(in) - 4, up)) {
				memcpy(in, " in ", 4);
				break;
			}
	if (pk->nroots > 1)
		(void)snprintf(pk->what, sizeof(pk->what), "%s%s and %zu "
		    "block%s beside it: %zu of %zu characters", name, in,
		    pk->nroots - 1, pk->nroots > 2 ? "s" : "", kept,
		    pk->total);
	else
		(void)snprintf(pk->what, sizeof(pk->what), "%s%s: %zu of %zu "
		    "characters", name, in, kept, pk->total);
}

struct html_pick *
convert_html_pick(xmlNode *body, int *nomem)
{
	struct html_pick	*pk;
	struct heads		 h = { NULL, 0, 0 };
	xmlNode			*top = NULL, *parent, *c;
	double			 ts = 0;
	size_t			 kept = 0, i, l;
	int			 before;

	*nomem = 0;
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		goto nomem;
	if (number(pk, body, 0) == -1)
		goto nomem;
	fix_pointers(pk, body, 0);
	measure(pk, body, 0, 0);
	pk->total = pn(body)->chars;
	score(pk, body, 0);
	best(pk, body, 0, &top, &ts);
	if (top == NULL || ts < PICK_MIN)
		goto none;
	/* the wrappers it is alone in are the story's too; a picture
	 * beside it is a neighbour, for the rules below */
	for (parent = top->parent; parent != NULL && parent != body &&
	    parent->type == XML_ELEMENT_NODE && pn(parent) != NULL &&
	    pn(parent)->chars == pn(top)->chars &&
	    !(pn(parent)->flags & PF_NEG); parent = top->parent) {
		for (c = parent->children; c != NULL; c = c->next)
			if (c != top && has_img(c, 0))
				break;
		if (c != NULL)
			break;
		top = parent;
	}
	if (parent == NULL || parent->type != XML_ELEMENT_NODE ||
	    pn(parent) == NULL)
		goto none;
	for (before = 1, c = parent->children; c != NULL; c = c->next) {
		if (c == top)
			before = 0;
		if (c != top && !keep_sibling(c, top, ts, before))
			continue;
		if (add_root(pk, c) == -1)
			goto nomem;
		kept += c == top ? pn(c)->chars : said(c, &l);
	}
	for (i = 0; i < pk->nroots; i++)
		if (pk->roots[i]->type == XML_ELEMENT_NODE)
			clean(pk, pk->roots[i], 0, kept);
	for (i = 0; i < pk->nroots; i++)
		trailing(pk, pk->roots[i], 0, &h);
	for (i = 0; i < h.n; i++)
		pn(h.v[i])->flags |= PF_DROP;
	free(h.v);
	describe(pk, top, kept);
	return pk;
none:
	convert_html_pick_free(pk, body);
	return NULL;
nomem:
	free(h.v);
	convert_html_pick_free(pk, body);
	*nomem = 1;
	return NULL;
}

size_t
convert_html_pick_roots(const struct html_pick *pk, xmlNode ***roots)
{
	*roots = pk->roots;
	return pk->nroots;
}

int
convert_html_pick_drop(const struct html_pick *pk, const xmlNode *n)
{
	(void)pk;
	return n->_private != NULL &&
	    (((const struct pnode *)n->_private)->flags & PF_DROP);
}

const char *
convert_html_pick_what(const struct html_pick *pk)
{
	return pk->what;
}

void
convert_html_pick_free(struct html_pick *pk, xmlNode *body)
{
	if (pk == NULL)
		return;
	if (pk->nodes != NULL)
		unnumber(body, 0);
	free(pk->nodes);
	free(pk->roots);
	free(pk);
}
