/*
 * fuzz_counter.c: counter files (counter_open), written to a scratch
 * folder each run. A file that is read must come back the same after
 * a flush: the counts bantin writes are the counts it read, the Redis
 * backend's journal (its pending batch, the unsent counts) too.
 */
#include <stdio.h>
#include <unistd.h>

#include "counter.h"
#include "fuzz.h"

static char	 dir[64];
static char	 file[sizeof(dir) + 16], prev[sizeof(dir) + 16];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct counter			*c, *again;
	const struct counter_batch	*b, *b2;
	unsigned long long		 site, seq = 0, bsite = 0;
	size_t				 nitems = 0;
	int				 unsent;
	char				 err[1024];

	if (file[0] == '\0') {
		fuzz_scratch(dir, sizeof(dir), "counter");
		snprintf(file, sizeof(file), "%s/counters", dir);
		snprintf(prev, sizeof(prev), "%s/counters.1", dir);
	}
	unlink(prev);
	fuzz_put(file, data, len);
	if ((c = counter_open(file, err, sizeof(err))) == NULL) {
		FUZZ_ASSERT(strncmp(err, file, strlen(file)) == 0);
		return 0;
	}
	site = counter_site(c);
	unsent = counter_unsent(c);
	if ((b = counter_pending(c)) != NULL) {
		seq = b->seq;
		bsite = b->site;
		nitems = b->nitems;
	}
	again = fuzz_counter_again(c, file);
	FUZZ_ASSERT(counter_site(again) == site);
	FUZZ_ASSERT(counter_unsent(again) == unsent);
	b2 = counter_pending(again);
	FUZZ_ASSERT((b2 != NULL) == (seq != 0));
	FUZZ_ASSERT(b2 == NULL || (b2->seq == seq && b2->site == bsite &&
	    b2->nitems == nitems));
	counter_free(again);
	return 0;
}
