/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * memo.c: small caches of byte strings per snapshot (memo.h). A
 * lookup reads every slot: they are few (tens), a comparison each,
 * against the tens of microseconds of the request that asks; so no
 * hash can make keys collide, and a new string takes the slot of the
 * oldest. Idle, a memo costs its slot table.
 */

#include <stdlib.h>
#include <string.h>

#include "memo.h"

struct memo_slot {
	unsigned long	 serial;	/* 0 = empty */
	uintptr_t	 key;
	char		*data;
	size_t		 len;
};

struct memo {
	size_t			 n;
	size_t			 next;		/* the oldest slot */
	size_t			 maxlen;
	struct memo_slot	 slot[];
};

struct memo *
memo_new(size_t slots, size_t maxlen)
{
	struct memo	*m;

	if (slots == 0 ||
	    (m = calloc(1, sizeof(*m) + slots * sizeof(m->slot[0]))) == NULL)
		return NULL;
	m->n = slots;
	m->maxlen = maxlen;
	return m;
}

void
memo_free(struct memo *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->slot[i].data);
	free(m);
}

const char *
memo_get(const struct memo *m, unsigned long serial, uintptr_t key,
    size_t *len)
{
	size_t	 i;

	if (m == NULL || serial == 0)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (m->slot[i].serial == serial && m->slot[i].key == key) {
			*len = m->slot[i].len;
			return m->slot[i].data;
		}
	return NULL;
}

int
memo_put(struct memo *m, unsigned long serial, uintptr_t key,
    const char *data, size_t len)
{
	struct memo_slot	*s;
	char			*copy;

	if (m == NULL || serial == 0 || len > m->maxlen ||
	    (copy = malloc(len + 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	s = &m->slot[m->next];
	m->next = (m->next + 1) % m->n;
	free(s->data);
	s->serial = serial;
	s->key = key;
	s->data = copy;
	s->len = len;
	return 0;
}
