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

/* in memory where there is a tmpfs: a flush syncs */
static char	 dir[64];
static char	 file[sizeof(dir) + 16], counts[sizeof(dir) + 32];
static char	 prev[sizeof(dir) + 16];
/* the columns of the seeds are tagged 2 and 3 */
static const char text[] = "site 5\n7 /a\nflush 3\nend 1\n";

static void
put(const char *path, const uint8_t *data, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct counter		*c;
	unsigned long long	 site, a;
	int			 unsent;
	char			 err[1024];

	if (file[0] == '\0') {
		snprintf(dir, sizeof(dir), "%s/bantin-fuzz-counts-XXXXXX",
		    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(file, sizeof(file), "%s/counters", dir);
		snprintf(prev, sizeof(prev), "%s/counters.1", dir);
		snprintf(counts, sizeof(counts), "%s/counters.counts.1", dir);
	}
	unlink(prev);
	put(file, (const uint8_t *)text, sizeof(text) - 1);
	put(counts, data, len);
	c = counter_open(file, err, sizeof(err));
	if (c == NULL)
		fprintf(stderr, "%s\n", err);
	FUZZ_ASSERT(c != NULL);
	site = counter_site(c);
	a = counter_path_views(c, "/a");
	unsent = counter_unsent(c);
	FUZZ_ASSERT(counter_flush(c) == 0);
	counter_free(c);
	/* taken and removed, or left as it is and taken as nothing */
	c = counter_open(file, err, sizeof(err));
	if (c == NULL)
		fprintf(stderr, "read back: %s\n", err);
	FUZZ_ASSERT(c != NULL);
	FUZZ_ASSERT(counter_site(c) == site);
	FUZZ_ASSERT(counter_path_views(c, "/a") == a);
	FUZZ_ASSERT(counter_unsent(c) == unsent);
	counter_free(c);
	unlink(counts);
	return 0;
}
