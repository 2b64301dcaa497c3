/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_memo.c: the per-snapshot string caches: a hit is the bytes
 * kept for that serial and key only; a newer serial or another key
 * misses; the oldest gives way; too long is not kept; NULL is no
 * cache.
 */

#include <stdint.h>
#include <string.h>

#include "memo.h"
#include "t.h"

int
main(void)
{
	static const struct {
		enum { PUT, GET, MISS } op;
		unsigned long	 serial;
		uintptr_t	 key;
		const char	*data;		/* PUT: kept; GET: found */
		int		 rc;		/* PUT */
	} steps[] = {
		{ MISS, 1, 7, NULL, 0 },
		{ PUT, 1, 7, "bảy", 0 },
		{ GET, 1, 7, "bảy", 0 },
		{ MISS, 2, 7, NULL, 0 },	/* another snapshot */
		{ MISS, 1, 8, NULL, 0 },	/* another key */
		{ PUT, 1, 8, "tám", 0 },
		{ GET, 1, 7, "bảy", 0 },	/* both kept */
		{ GET, 1, 8, "tám", 0 },
		{ PUT, 1, 7 + 16 * 4, "x", 0 },
		{ GET, 1, 7 + 16 * 4, "x", 0 },
		{ PUT, 1, 9, "0123456789abcdefg", -1 },	/* over maxlen */
		{ MISS, 1, 9, NULL, 0 },
		{ PUT, 1, 10, "", 0 },		/* empty is kept */
		{ GET, 1, 10, "", 0 },
		{ PUT, 0, 11, "x", -1 },	/* serial 0 is "empty" */
		{ MISS, 0, 11, NULL, 0 },
		{ PUT, 2, 7, "bảy mới", 0 },	/* a new snapshot's */
		{ GET, 2, 7, "bảy mới", 0 },
		{ GET, 1, 7, "bảy", 0 },
	};
	struct memo	*m;
	const char	*p;
	size_t		 i, len;
	uintptr_t	 k;

	CHECK(memo_new(0, 16) == NULL);
	m = memo_new(16, 16);
	CHECK(m != NULL);
	for (i = 0; m != NULL && i < sizeof(steps) / sizeof(steps[0]); i++) {
		switch (steps[i].op) {
		case PUT:
			CHECK_INT(memo_put(m, steps[i].serial, steps[i].key,
			    steps[i].data, strlen(steps[i].data)),
			    steps[i].rc);
			break;
		case GET:
			p = memo_get(m, steps[i].serial, steps[i].key, &len);
			CHECK_STR(p, steps[i].data);
			CHECK_INT(len, strlen(steps[i].data));
			break;
		case MISS:
			CHECK(memo_get(m, steps[i].serial, steps[i].key,
			    &len) == NULL);
			break;
		}
	}
	/* any 16 keys are kept together (no two compete for a slot);
	 * the 17th pushes out the oldest of them */
	for (i = 8; i <= 96; i += 88) {
		for (k = 0x7f001000; k < 0x7f001000 + 16 * i; k += i)
			CHECK_INT(memo_put(m, 4, k, "p", 1), 0);
		for (k = 0x7f001000; k < 0x7f001000 + 16 * i; k += i)
			CHECK(memo_get(m, 4, k, &len) != NULL);
	}
	CHECK_INT(memo_put(m, 4, 1, "q", 1), 0);
	CHECK(memo_get(m, 4, 0x7f001000, &len) == NULL);
	CHECK(memo_get(m, 4, 0x7f001000 + 96, &len) != NULL);
	CHECK(memo_get(m, 4, 1, &len) != NULL);
	memo_free(m);
	/* no cache: nothing kept, nothing found, nothing freed */
	CHECK_INT(memo_put(NULL, 1, 1, "x", 1), -1);
	CHECK(memo_get(NULL, 1, 1, &len) == NULL);
	memo_free(NULL);
	return t_done("test_memo");
}
