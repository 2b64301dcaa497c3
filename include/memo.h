/*
 * memo.h: a small cache of byte strings made from one snapshot, keyed
 * by a number: the last `slots` strings kept, the oldest giving way to
 * a new one, every entry stamped with the snapshot's serial so that
 * none outlives what it was made from. A worker keeps two, made
 * and freed by serve.c and passed in struct render_ctx: converted
 * article pages (site_article_page) and Atom feeds (route.c). Every
 * function takes NULL for "no cache".
 */
#ifndef MEMO_H
#define MEMO_H

#include <stddef.h>
#include <stdint.h>

struct memo;

/* slots: strings kept at most; maxlen: longer ones are not kept */
struct memo	*memo_new(size_t slots, size_t maxlen);
void		 memo_free(struct memo *);

/* The bytes kept for (serial, key) and their length, or NULL. */
const char	*memo_get(const struct memo *, unsigned long serial,
		    uintptr_t key, size_t *len);
/* Keep a copy of data[0..len) for (serial, key), in place of the
 * oldest entry: 0, or -1 when it is not kept (too long, out of memory,
 * no cache). */
int		 memo_put(struct memo *, unsigned long serial, uintptr_t key,
		    const char *data, size_t len);

#endif
