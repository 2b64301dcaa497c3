/*
 * fuzz_counts.c: counts files (counter_map.c), as a kill or a power cut
 * may leave one beside the counter file. counter_open reads it whatever
 * its bytes: it takes it or leaves it, never fails for it; what it
 * takes, a flush writes into the counter file (and removes the counts
 * file), and reading that file again gives the same counts.
 */
#include <stdio.h>
#include <unistd.h>

#include "counter.h"
#include "fuzz.h"

static char	 dir[64];
static char	 file[sizeof(dir) + 16], counts[sizeof(dir) + 32];
static char	 prev[sizeof(dir) + 16];
/* the columns of the seeds are tagged 2 and 3 */
static const char text[] = "bantin-counters 2\nsite 5\n7 /a\nflush 3\n"
    "end 1\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct counter		*c;
	unsigned long long	 site, a;
	int			 unsent;
	char			 err[1024];

	if (file[0] == '\0') {
		fuzz_scratch(dir, sizeof(dir), "counts");
		snprintf(file, sizeof(file), "%s/counters", dir);
		snprintf(prev, sizeof(prev), "%s/counters.1", dir);
		snprintf(counts, sizeof(counts), "%s/counters.counts.1", dir);
	}
	unlink(prev);
	fuzz_put(file, (const uint8_t *)text, sizeof(text) - 1);
	fuzz_put(counts, data, len);
	c = counter_open(file, err, sizeof(err));
	if (c == NULL)
		fprintf(stderr, "%s\n", err);
	FUZZ_ASSERT(c != NULL);
	site = counter_site(c);
	a = counter_path_views(c, "/a");
	unsent = counter_unsent(c);
	/* taken and removed, or left as it is and taken as nothing */
	c = fuzz_counter_again(c, file);
	FUZZ_ASSERT(counter_site(c) == site);
	FUZZ_ASSERT(counter_path_views(c, "/a") == a);
	FUZZ_ASSERT(counter_unsent(c) == unsent);
	counter_free(c);
	unlink(counts);
	return 0;
}
