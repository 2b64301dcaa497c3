/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * convert_html_page.c: what an import needs to know of a page saved
 * from a web portal, besides what convert_html() makes of it: where
 * the portal filed it (its breadcrumb's words, its article:section or
 * rel="category" link) and what its menu calls each address, when it
 * was published (a <time datetime>, an element classed as a date),
 * its tags (rel="tag" and /tag/ links), whether it has a story at all
 * and how much of it is links and headings that are links (a listing
 * of teasers), a password field (a login page), and the addresses the
 * story links to and shows, as written, for the pictures and
 * documents to copy. It reads the same tree the converter does and
 * finds the story the same way (convert_html_root, convert_html_pick);
 * it never fetches anything and changes nothing.
 */

#include <stdio.h>
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

#define PAGE_LEAD	6	/* lines of the story kept for its dateline */
#define PAGE_LIST_MAX	256	/* links, tags, crumbs kept */

/* the words of a breadcrumb's class or id (split at '-', '_', ' ') */
static const char *const crumb_words[] = {
	"breadcrumb", "breadcrumbs", "crumbs", "pathway", "duongdan"
};

/* a breadcrumb's first step, which names no category */
static const char *const home_words[] = {
	"home", "trang chu", "trang chinh", "trang nhat"
};

/* class and id words of an element that holds a date */
static const char *const date_words[] = {
	"created", "date", "datetime", "ngay", "ngaydang", "posted",
	"postdate", "pubdate", "publish", "published", "thoigian", "time"
};

static const char *const lazy_attrs[] = {
	"src", "data-src", "data-original", "data-lazy-src", "data-url"
};

static int	 add(char ***, size_t *, const char *);
static char	*text_of(const xmlNode *);
static int	 is_crumbs(const xmlNode *);
static int	 is_home(const char *, const xmlNode *);
static int	 is_tag_link(const xmlNode *);
static int	 crumbs(struct convert_page *, const xmlNode *, int);
static int	 page_walk(struct convert_page *, const xmlNode *, int, int);
static int	 story_date(struct convert_page *, const xmlNode *);
static int	 story_walk(struct convert_page *, const struct html_pick *,
		    const xmlNode *, int, int);

/* Append a copy of s to the list, once; -1 on ENOMEM. */
static int
add(char ***list, size_t *n, const char *s)
{
	size_t	 i;
	void	*v;

	if (s == NULL || *s == '\0' || *n >= PAGE_LIST_MAX)
		return 0;
	for (i = 0; i < *n; i++)
		if (strcmp((*list)[i], s) == 0)
			return 0;
	if ((v = reallocarray(*list, *n + 1, sizeof(**list))) == NULL)
		return -1;
	*list = v;
	if (((*list)[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* n's visible text, collapsed, malloc'd; NULL if none (or ENOMEM). */
static char *
text_of(const xmlNode *n)
{
	struct buf	 b = BUF_INIT;

	if (convert_html_text(&b, n, 0) == -1 || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b, NULL);
}

#define WORDS(a)	(a), sizeof(a) / sizeof((a)[0])

static int
is_crumbs(const xmlNode *n)
{
	char	*v;
	int	 r = 0;

	if (convert_html_has_word(n, "class", WORDS(crumb_words)) ||
	    convert_html_has_word(n, "id", WORDS(crumb_words)))
		return 1;
	/* "duong-dan" as two words */
	if ((v = convert_html_prop(n, "class")) != NULL) {
		r = strcasestr(v, "duong-dan") != NULL;
		xmlFree(v);
		if (r)
			return 1;
	}
	if ((v = convert_html_prop(n, "aria-label")) != NULL) {
		r = strcasecmp(v, "breadcrumb") == 0;
		xmlFree(v);
	}
	if (!r && (v = convert_html_prop(n, "itemtype")) != NULL) {
		r = strstr(v, "BreadcrumbList") != NULL;
		xmlFree(v);
	}
	return r;
}

/* A breadcrumb step to the home page: "Trang chủ", or a link to "/". */
static int
is_home(const char *text, const xmlNode *a)
{
	struct buf	 f = BUF_INIT;
	char		*href;
	size_t		 i;
	int		 r = 0;

	if ((href = convert_html_prop(a, "href")) != NULL) {
		r = strcmp(href, "/") == 0 || strcmp(href, "./") == 0 ||
		    strncasecmp(href, "index.", 6) == 0 ||
		    strncasecmp(href, "/index.", 7) == 0 ||
		    strncasecmp(href, "/default.", 9) == 0;
		xmlFree(href);
	}
	if (!r && utf8_fold(&f, text, strlen(text)) == 0 && f.data != NULL)
		for (i = 0; i < sizeof(home_words) / sizeof(home_words[0]);
		    i++)
			if (strcmp(f.data, home_words[i]) == 0)
				r = 1;
	buf_free(&f);
	return r;
}

/* The words of the breadcrumb's links, home left out. */
static int
crumbs(struct convert_page *pg, const xmlNode *n, int depth)
{
	const xmlNode	*c;
	char		*t;
	int		 r = 0;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return 0;
	if (convert_html_is_el(n, "a")) {
		if ((t = text_of(n)) != NULL && !is_home(t, n))
			r = add(&pg->crumbs, &pg->ncrumbs, t);
		free(t);
		return r;
	}
	for (c = n->children; c != NULL && r == 0; c = c->next)
		r = crumbs(pg, c, depth + 1);
	return r;
}

/* Is word one of the space-separated words of n's attribute? */
static int
attr_word(const xmlNode *n, const char *attr, const char *word)
{
	char	*v, *p;
	size_t	 len = strlen(word);
	int	 r = 0;

	if ((v = convert_html_prop(n, attr)) == NULL)
		return 0;
	for (p = v; (p = strcasestr(p, word)) != NULL && !r; p++)
		r = (p == v || p[-1] == ' ') && (p[len] == '\0' ||
		    p[len] == ' ');
	xmlFree(v);
	return r;
}

/* rel="tag", or an address with a /tag/ or tu-khoa step. */
static int
is_tag_link(const xmlNode *n)
{
	char	*v;
	int	 r = 0;

	if (convert_html_attr_is(n, "rel", "tag"))
		return 1;
	if ((v = convert_html_prop(n, "href")) != NULL) {
		r = strstr(v, "/tag/") != NULL || strstr(v, "/tags/") != NULL ||
		    strstr(v, "/tu-khoa/") != NULL ||
		    strstr(v, "/tukhoa/") != NULL;
		xmlFree(v);
	}
	return r;
}

/* The whole page: breadcrumb, article:section, tags, a password. */
static int
page_walk(struct convert_page *pg, const xmlNode *n, int depth, int incrumb)
{
	const xmlNode	*c;
	char		*v, *t;
	int		 r = 0;

	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH)
		return 0;
	if (convert_html_is_el(n, "meta") && pg->section == NULL &&
	    convert_html_attr_is(n, "property", "article:section") &&
	    (v = convert_html_prop(n, "content")) != NULL) {
		struct buf	 b = BUF_INIT;

		if (convert_collapse(&b, v, strlen(v)) == -1)
			r = -1;
		else if (b.len > 0)
			pg->section = buf_steal(&b, NULL);
		buf_free(&b);
		xmlFree(v);
		return r;
	}
	if (convert_html_is_el(n, "input") &&
	    convert_html_attr_is(n, "type", "password"))
		pg->password = 1;
	if (convert_html_is_el(n, "a") && is_tag_link(n)) {
		if ((t = text_of(n)) != NULL)
			r = add(&pg->tags, &pg->ntags, t);
		free(t);
		return r;
	}
	if (convert_html_is_el(n, "a") &&
	    (v = convert_html_prop(n, "href")) != NULL) {
		/* WordPress files a post by rel="category tag" */
		if ((t = text_of(n)) != NULL) {
			struct buf	 b = BUF_INIT;

			if (strstr(v, "javascript:") == NULL &&
			    (buf_printf(&b, "%s\t%s", v, t) == -1 ||
			    add(&pg->menu, &pg->nmenu, b.data) == -1))
				r = -1;
			buf_free(&b);
			if (r == 0 && pg->section == NULL &&
			    (attr_word(n, "rel", "category")) &&
			    (pg->section = strdup(t)) == NULL)
				r = -1;
		}
		free(t);
		xmlFree(v);
		return r;
	}
	/* the first breadcrumb: a page may show one above and below */
	if (!incrumb && pg->ncrumbs == 0 && is_crumbs(n)) {
		if ((r = crumbs(pg, n, depth)) == -1)
			return -1;
		incrumb = 1;
	}
	for (c = n->children; c != NULL && r == 0; c = c->next)
		r = page_walk(pg, c, depth + 1, incrumb);
	return r;
}

static int
story_date(struct convert_page *pg, const xmlNode *n)
{
	char	*v, *t;

	if (pg->date != NULL)
		return 0;
	if (convert_html_is_el(n, "time") &&
	    (v = convert_html_prop(n, "datetime")) != NULL) {
		pg->date = strdup(v);
		xmlFree(v);
		return pg->date == NULL ? -1 : 0;
	}
	if ((convert_html_has_word(n, "class", WORDS(date_words)) ||
	    convert_html_has_word(n, "id", WORDS(date_words))) &&
	    (t = text_of(n)) != NULL) {
		if (strlen(t) <= 120 && strpbrk(t, "0123456789") != NULL)
			pg->date = t;
		else
			free(t);
	}
	return 0;
}

/* The story: its characters, link text, headings that are links, and
 * the addresses it links to and shows. */
static int
story_walk(struct convert_page *pg, const struct html_pick *pick,
    const xmlNode *n, int depth, int inlink)
{
	const xmlNode	*c;
	const char	*s;
	char		*v;
	size_t		 i, k, len, chars;
	int		 cp, r = 0, link = inlink;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		s = (const char *)n->content;
		len = s != NULL ? strlen(s) : 0;
		for (i = 0, chars = 0; i < len; i += k) {
			k = utf8_decode(s + i, len - i, &cp);
			if (cp > 0 && !convert_is_ws(cp))
				chars++;
		}
		pg->chars += chars;
		if (inlink)
			pg->linkchars += chars;
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE || depth >= CONVERT_MAX_DEPTH ||
	    convert_html_kind(n) == HK_DROP || convert_html_hidden(n) ||
	    (pick != NULL && convert_html_pick_drop(pick, n)))
		return 0;
	if (convert_html_is_el(n, "a") &&
	    (v = convert_html_prop(n, "href")) != NULL) {
		r = add(&pg->links, &pg->nlinks, v);
		xmlFree(v);
		link = 1;
	}
	/* the date in the story (a portal's top bar shows today's):
	 * <time datetime>, or a short text classed as one */
	if (r == 0 && (r = story_date(pg, n)) == -1)
		return -1;
	if (convert_html_is_el(n, "img"))
		for (i = 0; i < sizeof(lazy_attrs) / sizeof(lazy_attrs[0]) &&
		    r == 0; i++)
			if ((v = convert_html_prop(n, lazy_attrs[i])) != NULL) {
				if (strncasecmp(v, "data:", 5) != 0)
					r = add(&pg->links, &pg->nlinks, v);
				xmlFree(v);
			}
	/* a heading that is a link to another page: a teaser */
	if (convert_html_kind(n) >= HK_H1 && convert_html_kind(n) <= HK_H3) {
		size_t	 before = pg->chars, lbefore = pg->linkchars;

		for (c = n->children; c != NULL && r == 0; c = c->next)
			r = story_walk(pg, pick, c, depth + 1, link);
		if (pg->chars > before &&
		    (pg->linkchars - lbefore) * 5 >= (pg->chars - before) * 4)
			pg->heads++;
		return r;
	}
	for (c = n->children; c != NULL && r == 0; c = c->next)
		r = story_walk(pg, pick, c, depth + 1, link);
	return r;
}

int
convert_html_page(const char *src, size_t len, struct convert_page *pg)
{
	struct buf		 out = BUF_INIT;
	struct html_pick	*pick = NULL;
	xmlDoc			*doc = NULL;
	xmlNode			*top, *body = NULL, *root, **roots = &root;
	const char		*p, *e;
	char			 err[128];
	size_t			 nroots = 1, i, lines;
	int			 nomem = 0, r = -1;

	memset(pg, 0, sizeof(*pg));
	if (convert_html(&out, src, len, "/", &pg->meta, err,
	    sizeof(err)) == -1)
		goto done;
	/* the story's first lines, where a dateline stands */
	for (p = out.data, lines = 0; p != NULL && *p != '\0' &&
	    lines < PAGE_LEAD; p = e + 1, lines++)
		if ((e = strchr(p, '\n')) == NULL)
			break;
	if (out.data != NULL && (pg->lead = strndup(out.data,
	    (size_t)(p - out.data))) == NULL)
		goto done;
	if ((doc = convert_html_parse(src, len, &nomem)) == NULL) {
		r = nomem ? -1 : 0;
		goto done;
	}
	if ((top = xmlDocGetRootElement(doc)) == NULL) {
		r = 0;
		goto done;
	}
	if (page_walk(pg, top, 0, 0) == -1)
		goto done;
	pg->self = convert_html_self(top);
	if ((body = convert_html_find(top, "body", 0)) == NULL)
		body = top;
	root = convert_html_root(body, convert_html_weight(body, 0));
	if (root == body) {
		if ((pick = convert_html_pick(body, &nomem)) == NULL) {
			r = nomem ? -1 : 0;	/* no story */
			goto done;
		}
		nroots = convert_html_pick_roots(pick, &roots);
	}
	pg->story = 1;
	for (i = 0; i < nroots; i++)
		if (story_walk(pg, pick, roots[i], 0, 0) == -1)
			goto done;
	r = 0;
done:
	convert_html_pick_free(pick, body);
	xmlFreeDoc(doc);
	buf_free(&out);
	if (r == -1)
		convert_page_free(pg);
	return r;
}

static void
list_free(char **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
convert_page_free(struct convert_page *pg)
{
	if (pg == NULL)
		return;
	convert_meta_free(&pg->meta);
	free(pg->section);
	free(pg->date);
	free(pg->lead);
	free(pg->self);
	list_free(pg->menu, pg->nmenu);
	list_free(pg->crumbs, pg->ncrumbs);
	list_free(pg->tags, pg->ntags);
	list_free(pg->links, pg->nlinks);
	memset(pg, 0, sizeof(*pg));
}
