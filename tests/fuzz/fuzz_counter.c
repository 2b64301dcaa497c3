/*
 * fuzz_counter.c: counter files (counter_open), written to a scratch
 * folder each run. A file that is read must come back the same after
 * a flush: the counts bantin writes are the counts it read, the Redis
 * backend's journal (its pending batch, the unsent counts) too, in a
 * file with the format's line first; and that file cut short at its
 * last line's start (what it keeps up to there) is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counter.h"
#include "fuzz.h"

static char	 dir[64];
static char	 file[sizeof(dir) + 16], prev[sizeof(dir) + 16];

/* the file a flush wrote: the format's line first; cut at its last
 * line's start, it is refused */
static void
cut_refused(void)
{
	static char	 text[1 << 16];
	struct counter	*c;
	char		 err[1024], *last;
	FILE		*f;
	size_t		 n;

	if ((f = fopen(file, "r")) == NULL)
		abort();
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	FUZZ_ASSERT(strncmp(text, "bantin-counters 2\n", 18) == 0);
	if (n == sizeof(text) - 1)
		return;			/* too long to cut here */
	FUZZ_ASSERT(n > 0 && text[n - 1] == '\n');
	text[n - 1] = '\0';
	FUZZ_ASSERT((last = strrchr(text, '\n')) != NULL &&
	    strncmp(last + 1, "end ", 4) == 0);
	fuzz_put(file, (const uint8_t *)text, (size_t)(last + 1 - text));
	c = counter_open(file, err, sizeof(err));
	FUZZ_ASSERT(c == NULL);
}

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
	cut_refused();
	return 0;
}
