/*
 * fuzz.h: what the libFuzzer harnesses of tests/fuzz/ share. Each
 * harness is one fuzz_<name>.c with LLVMFuzzerTestOneInput; a finding
 * is a sanitizer report or an abort() from a check below, which holds
 * a converter to what convert.h promises of its gemtext.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counter.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/* A NUL-terminated copy of the input (parsers that take C strings). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t len)
{
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* The scratch folder and what is in it, at the harness's exit (the
 * run's end; a crash leaves it, with what led to it). */
static char	fuzz_scratch_dir[256];

static inline void
fuzz_scratch_rm(void)
{
	DIR		*d;
	struct dirent	*e;

	if ((d = opendir(fuzz_scratch_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	(void)rmdir(fuzz_scratch_dir);
}

/* A scratch folder for a harness's files, made once, in memory where
 * there is a tmpfs (the counters' flushes sync), into dir; removed at
 * exit. */
static inline void
fuzz_scratch(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "%s/bantin-fuzz-%s-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(fuzz_scratch_dir, sizeof(fuzz_scratch_dir), "%s", dir);
	atexit(fuzz_scratch_rm);
}

/* path, made of the bytes data[0..len) */
static inline void
fuzz_put(const char *path, const uint8_t *data, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* c flushed to file and freed, and file read again, which it must
 * always be */
static inline struct counter *
fuzz_counter_again(struct counter *c, const char *file)
{
	char	 err[1024];

	FUZZ_ASSERT(counter_flush(c) == 0);
	counter_free(c);
	if ((c = counter_open(file, err, sizeof(err))) == NULL)
		fprintf(stderr, "read back: %s\n", err);
	FUZZ_ASSERT(c != NULL);
	return c;
}

/*
 * What convert.h promises of every converter's gemtext: valid UTF-8
 * with no NUL; nothing at all, or one newline at the end; never two
 * blank lines in a row outside a preformatted block; every block
 * closed.
 */
static inline void
fuzz_check_gemtext(const char *s, size_t len)
{
	size_t	 i, start;
	int	 pre = 0, blank = 0;

	FUZZ_ASSERT(utf8_valid(s, len));
	FUZZ_ASSERT(memchr(s, '\0', len) == NULL);
	if (len == 0)
		return;
	FUZZ_ASSERT(s[len - 1] == '\n');
	FUZZ_ASSERT(len < 2 || s[len - 2] != '\n');
	for (start = 0, i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		if (i - start >= 3 && memcmp(s + start, "```", 3) == 0)
			pre = !pre;
		if (!pre && i == start) {
			FUZZ_ASSERT(!blank);
			blank = 1;
		} else
			blank = 0;
		start = i + 1;
	}
	FUZZ_ASSERT(!pre);
}

#endif
