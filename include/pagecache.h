/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * pagecache.h: each worker keeps the replies it has rendered, as the
 * bytes that went out (Gemini header and body, or the Gopher menu or
 * text), keyed by protocol and request, for the snapshot they were
 * made from. A page that shows counters keeps a hole where each number
 * goes: the renderer writes a marker there, one per counter (struct
 * page_marks, route()'s, serve.c's) and the cache cuts them out, so a
 * cached page still counts its visit and shows the numbers of this
 * moment: an article shows the site's visits and its own views.
 */

#ifndef PAGECACHE_H
#define PAGECACHE_H

#include <stddef.h>

struct buf;
struct counter;

enum page_hole {		/* bits: the counters a page shows */
	PAGE_HOLE_NONE = 0,
	PAGE_HOLE_SITE = 1,	/* the site's visits */
	PAGE_HOLE_VIEWS = 2	/* the views of counter slot `slot` */
};

struct page_info {		/* what a hit must redo */
	int		 count;	/* counter_hit(counter, slot) */
	int		 slot;	/* -1: the site only */
	int		 holes;	/* enum page_hole bits */
	const char	*lang;	/* the numbers' language, a string
				   that outlives the cache (label_lang);
				   NULL: pagecache_emit's */
};

/* The markers written for the numbers, or NULL for "write the number". */
struct page_marks {
	const char	*site;
	const char	*views;
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
 * Keep data[0..len) for (serial, proto, key). Each marker of marks
 * (NULL if none) is cut out where it occurs once, and becomes a hole;
 * a page with a marker more than once or one it does not claim in
 * info's holes, or larger than an eighth of the budget, or that would
 * pass the budget, is not kept. Keeping a page of another serial
 * empties the cache first. Returns the entry, or NULL when it was not
 * kept.
 */
const struct page_entry	*pagecache_put(struct pagecache *, unsigned long serial,
			    int proto, const char *key, const char *data,
			    size_t len, const struct page_marks *,
			    const struct page_info *);

/*
 * Append the entry to out: its visit is counted first (when count is
 * set and counter is not NULL), then the numbers of this moment fill
 * the holes, formatted for the page's language (info.lang), or lang.
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
