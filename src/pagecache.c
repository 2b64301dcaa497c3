/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * pagecache.c: the replies a worker has rendered, kept for its
 * snapshot. A page is a function of the snapshot and the request,
 * except for the one counter it may show; so the cache keeps the bytes
 * as they went out with that number cut out, and a hit is a copy, a
 * counter increment and a number formatted into the hole. Rendering a
 * menu costs more than the kernel's whole work for a Gopher request
 * (route, gemtext, widths, selectors); a hit costs a hash and a copy.
 *
 * The table is direct-mapped (a newer page takes the slot of an older
 * one with the same hash) and bounded in bytes, so a crawler walking
 * 100,000 articles cannot grow a worker past the budget. When a new
 * page would pass it, a clock hand sweeps the slots and drops the
 * pages not hit since it last passed: the pages readers keep asking
 * for stay, one-off queries and crawls go.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counter.h"
#include "pagecache.h"

#define HOLES_MAX	2		/* the site's, the article's */

struct hole {
	size_t		 at;		/* offset of the number in data */
	enum page_hole	 kind;
};

struct page_entry {
	unsigned long	 serial;
	int		 proto;
	uint32_t	 hash;
	char		*key;		/* in the same allocation */
	char		*data;		/* page bytes, the holes cut out */
	size_t		 len;
	struct hole	 hole[HOLES_MAX];	/* in the order of at */
	int		 nholes;
	size_t		 size;		/* charged to the budget */
	int		 used;		/* hit since the hand passed */
	struct page_info info;
};

struct pagecache {
	struct page_entry	**slot;
	size_t			  nslots;	/* a power of two */
	size_t			  budget;
	size_t			  bytes;
	size_t			  count;
	size_t			  hand;		/* the clock's, for eviction */
	unsigned long		  serial;	/* of every entry held */
};

/* FNV-1a over the protocol and the key */
static uint32_t
hash_key(int proto, const char *key)
{
	uint32_t	 h = 2166136261u;

	h = (h ^ (uint32_t)proto) * 16777619u;
	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

struct pagecache *
pagecache_new(size_t budget, size_t slots)
{
	struct pagecache	*pc;

	if (slots == 0 || (slots & (slots - 1)) != 0)
		return NULL;
	if ((pc = calloc(1, sizeof(*pc))) == NULL)
		return NULL;
	if ((pc->slot = calloc(slots, sizeof(*pc->slot))) == NULL) {
		free(pc);
		return NULL;
	}
	pc->nslots = slots;
	pc->budget = budget;
	return pc;
}

static void
drop(struct pagecache *pc, size_t i)
{
	struct page_entry	*e = pc->slot[i];

	if (e == NULL)
		return;
	pc->bytes -= e->size;
	pc->count--;
	free(e);
	pc->slot[i] = NULL;
}

static void
empty(struct pagecache *pc)
{
	size_t	 i;

	for (i = 0; i < pc->nslots; i++)
		drop(pc, i);
}

void
pagecache_free(struct pagecache *pc)
{
	if (pc == NULL)
		return;
	empty(pc);
	free(pc->slot);
	free(pc);
}

const struct page_entry *
pagecache_get(struct pagecache *pc, unsigned long serial, int proto,
    const char *key)
{
	struct page_entry	*e;
	uint32_t		 h;

	if (pc == NULL || serial != pc->serial || pc->count == 0)
		return NULL;
	h = hash_key(proto, key);
	e = pc->slot[h & (pc->nslots - 1)];
	if (e == NULL || e->hash != h || e->proto != proto ||
	    strcmp(e->key, key) != 0)
		return NULL;
	e->used = 1;
	return e;
}

/* Drop pages until size more bytes fit: two turns of the hand at most
 * (the first clears every used mark). 0 if they fit. */
static int
make_room(struct pagecache *pc, size_t size)
{
	struct page_entry	*e;
	size_t			 steps;

	for (steps = 0; pc->bytes + size > pc->budget &&
	    steps < 2 * pc->nslots; steps++) {
		if ((e = pc->slot[pc->hand]) != NULL) {
			if (e->used)
				e->used = 0;
			else
				drop(pc, pc->hand);
		}
		pc->hand = (pc->hand + 1) & (pc->nslots - 1);
	}
	return pc->bytes + size > pc->budget ? -1 : 0;
}

/*
 * Where each marker of marks stands in data, once, in holes sorted by
 * offset (their lengths in mlen); -1 if a marker is there more than
 * once or for a counter the page does not claim.
 */
static int
find_holes(const char *data, size_t len, const struct page_marks *marks,
    int claimed, struct hole *holes, size_t *mlen, int *n)
{
	const char	*m[HOLES_MAX], *at, *again;
	enum page_hole	 kind[HOLES_MAX] = { PAGE_HOLE_SITE, PAGE_HOLE_VIEWS };
	struct hole	 t;
	size_t		 tl, l;
	int		 i;

	*n = 0;
	if (marks == NULL || len == 0)
		return 0;
	m[0] = marks->site;
	m[1] = marks->views;
	for (i = 0; i < HOLES_MAX; i++) {
		if (m[i] == NULL || *m[i] == '\0')
			continue;
		l = strlen(m[i]);
		if ((at = memmem(data, len, m[i], l)) == NULL)
			continue;
		again = memmem(at + l, len - (size_t)(at - data) - l, m[i], l);
		if (again != NULL || !(claimed & kind[i]))
			return -1;
		holes[*n].at = (size_t)(at - data);
		holes[*n].kind = kind[i];
		mlen[(*n)++] = l;
	}
	if (*n == 2 && holes[1].at < holes[0].at) {
		t = holes[0], holes[0] = holes[1], holes[1] = t;
		tl = mlen[0], mlen[0] = mlen[1], mlen[1] = tl;
	}
	/* markers are distinct strings that do not overlap */
	if (*n == 2 && holes[0].at + mlen[0] > holes[1].at)
		return -1;
	return 0;
}

const struct page_entry *
pagecache_put(struct pagecache *pc, unsigned long serial, int proto,
    const char *key, const char *data, size_t len,
    const struct page_marks *marks, const struct page_info *info)
{
	struct page_entry	*e;
	struct hole		 holes[HOLES_MAX];
	size_t			 klen, mlen[HOLES_MAX], cut = 0, i, size, from;
	uint32_t		 h;
	int			 nholes, k;

	if (pc == NULL || find_holes(data, len, marks, info->holes, holes,
	    mlen, &nholes) == -1)
		return NULL;
	klen = strlen(key);
	size = sizeof(*e) + klen + 1 + len + 1;
	if (size > pc->budget / 8)
		return NULL;
	if (serial != pc->serial) {
		empty(pc);
		pc->serial = serial;
	}
	h = hash_key(proto, key);
	i = h & (pc->nslots - 1);
	drop(pc, i);
	if (make_room(pc, size) == -1)
		return NULL;
	if ((e = malloc(size)) == NULL)
		return NULL;
	e->serial = serial;
	e->proto = proto;
	e->hash = h;
	e->key = (char *)(e + 1);
	memcpy(e->key, key, klen + 1);
	e->data = e->key + klen + 1;
	/* the bytes between the markers, each hole at its offset in what
	 * is kept */
	e->len = 0;
	for (from = 0, k = 0; k <= nholes; k++) {
		cut = k < nholes ? holes[k].at : len;
		if (cut > from)
			memcpy(e->data + e->len, data + from, cut - from);
		e->len += cut - from;
		if (k < nholes) {
			e->hole[k].at = e->len;
			e->hole[k].kind = holes[k].kind;
			from = cut + mlen[k];
		}
	}
	e->nholes = nholes;
	e->data[e->len] = '\0';
	e->size = size;
	e->used = 0;
	e->info = *info;
	e->info.holes = 0;
	for (k = 0; k < nholes; k++)
		e->info.holes |= holes[k].kind;
	pc->slot[i] = e;
	pc->bytes += size;
	pc->count++;
	return e;
}

int
pagecache_emit(const struct page_entry *e, struct counter *counter,
    int count, const char *lang, struct buf *out)
{
	unsigned long long	 n;
	char			 num[HOLES_MAX][32];
	size_t			 nlen[HOLES_MAX], total = e->len, from, at;
	int			 k;

	if (count && e->info.count && counter != NULL)
		counter_hit(counter, e->info.slot);
	if (e->nholes == 0)
		return buf_append(out, e->data, e->len);
	for (k = 0; k < e->nholes; k++) {
		n = 0;
		if (counter != NULL)
			n = e->hole[k].kind == PAGE_HOLE_SITE ?
			    counter_site(counter) :
			    counter_views(counter, e->info.slot);
		counter_format(n, e->info.lang != NULL ? e->info.lang : lang,
		    num[k], sizeof(num[k]));
		nlen[k] = strlen(num[k]);
		total += nlen[k];
	}
	if (buf_reserve(out, total) == -1)
		return -1;
	for (from = 0, k = 0; k <= e->nholes; k++) {
		at = k < e->nholes ? e->hole[k].at : e->len;
		memcpy(out->data + out->len, e->data + from, at - from);
		out->len += at - from;
		if (k < e->nholes) {
			memcpy(out->data + out->len, num[k], nlen[k]);
			out->len += nlen[k];
		}
		from = at;
	}
	out->data[out->len] = '\0';
	return 0;
}

int
pagecache_fill(struct buf *out, size_t from, const char *marker,
    const char *text)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *end, *at;
	size_t		 mlen = strlen(marker);

	if (mlen == 0 || from >= out->len)
		return 0;
	p = out->data + from;
	end = out->data + out->len;
	if (memmem(p, (size_t)(end - p), marker, mlen) == NULL)
		return 0;
	while ((at = memmem(p, (size_t)(end - p), marker, mlen)) != NULL) {
		if (buf_append(&b, p, (size_t)(at - p)) == -1 ||
		    buf_puts(&b, text) == -1)
			goto fail;
		p = at + mlen;
	}
	if (buf_append(&b, p, (size_t)(end - p)) == -1)
		goto fail;
	out->len = from;
	if (buf_append(out, b.data, b.len) == -1)
		goto fail;
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

size_t
pagecache_bytes(const struct pagecache *pc)
{
	return pc->bytes;
}

size_t
pagecache_count(const struct pagecache *pc)
{
	return pc->count;
}
