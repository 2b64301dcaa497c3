/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * pagecache.h: each worker keeps the replies it has rendered, as the
 * bytes that went out (Gemini header and body, or the Gopher menu or
 * text), keyed by protocol and request, for the snapshot they were
 * made from. A page that shows a counter keeps a hole where the number
 * goes: the renderer writes a marker there (route()'s marker, serve.c)
 * and the cache cuts it out, so a cached page still counts its visit
 * and shows the number of this moment.
 */

#ifndef PAGECACHE_H
#define PAGECACHE_H

#include <stddef.h>

struct buf;
struct counter;

enum page_hole {
	PAGE_HOLE_NONE,
	PAGE_HOLE_SITE,		/* the site's visits */
	PAGE_HOLE_VIEWS		/* the views of counter slot `slot` */
};

struct page_info {		/* what a hit must redo */
	int		 count;	/* counter_hit(counter, slot) */
	int		 slot;	/* -1: the site only */
	enum page_hole	 hole;
	const char	*lang;	/* the number's language, a string
				   that outlives the cache (label_lang);
				   NULL: pagecache_emit's */
};

struct pagecache;
struct page_entry;

/* budget: bytes of pages kept at most; slots: a power of two */
struct pagecache	*pagecache_new(size_t budget, size_t slots);
void			 pagecache_free(struct pagecache *);

/* The entry for (serial, proto, key), or NULL. */
const struct page_entry	*pagecache_get(struct pagecache *, unsigned long serial,
			    int proto, const char *key);

/*
 * Keep data[0..len) for (serial, proto, key). marker (NULL if none) is
 * cut out where it occurs once, and becomes the hole; a page with the
 * marker more than once, or larger than an eighth of the budget, or
 * one that would pass the budget, is not kept. Keeping a page of
 * another serial empties the cache first. Returns the entry, or NULL
 * when it was not kept.
 */
const struct page_entry	*pagecache_put(struct pagecache *, unsigned long serial,
			    int proto, const char *key, const char *data,
			    size_t len, const char *marker,
			    const struct page_info *);

/*
 * Append the entry to out: its visit is counted first (when count is
 * set and counter is not NULL), then the number of this moment fills
 * the hole, formatted for the page's language (info.lang), or lang.
 * -1: out of memory.
 */
int	pagecache_emit(const struct page_entry *, struct counter *, int count,
	    const char *lang, struct buf *out);

/* Replace every marker in out from byte `from` on by text. -1: memory. */
int	pagecache_fill(struct buf *out, size_t from, const char *marker,
	    const char *text);

/* Bytes held, entries held: for tests and the log. */
size_t	pagecache_bytes(const struct pagecache *);
size_t	pagecache_count(const struct pagecache *);

#endif
