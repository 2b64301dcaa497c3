/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_memtrim: clean read-only file pages leave the resident set and
 * read back the same; written pages of every kind (a private file
 * mapping made read-only after writing, as RELRO is; anonymous memory)
 * keep their writes.
 */

#include <sys/mman.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memtrim.h"
#include "t.h"

#define LEN	(64 * 1024)

/* Rss in KB of the mapping that starts at addr, or -1 */
static long
rss_of(const void *addr)
{
	FILE		*f;
	char		 line[512];
	unsigned long	 a, b;
	long		 kb, rss = -1;
	int		 in = 0;

	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 &&
		    strchr(line, ':') != NULL && line[0] != ' ' &&
		    strncmp(line, "Rss", 3) != 0) {
			in = a == (unsigned long)addr;
			continue;
		}
		if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			rss = kb;
	}
	fclose(f);
	return rss;
}

int
main(void)
{
	static const struct {
		int		 prot;		/* at first */
		int		 write;		/* write, then read-only */
		int		 dropped;	/* its pages leave */
	} cases[] = {
		{ PROT_READ, 0, 1 },
		{ PROT_READ | PROT_EXEC, 0, 1 },
		{ PROT_READ | PROT_WRITE, 1, 0 },	/* RELRO-like */
		{ PROT_READ | PROT_WRITE, 0, 0 },	/* writable */
	};
	char		 path[64], *want, *anon;
	volatile char	 sum = 0;
	unsigned char	*p;
	size_t		 i, j;
	int		 fd;

	snprintf(path, sizeof(path), "/tmp/test_memtrim.%ld", (long)getpid());
	want = malloc(LEN);
	for (i = 0; i < LEN; i++)
		want[i] = (char)(i * 7 + i / 4096);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1 && write(fd, want, LEN) == LEN);
	anon = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	memset(anon, 'a', LEN);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = mmap(NULL, LEN, cases[i].prot, MAP_PRIVATE, fd, 0);
		CHECK(p != MAP_FAILED);
		if (p == MAP_FAILED)
			continue;
		if (cases[i].write) {
			p[5] = 'W';
			p[LEN - 1] = 'Z';
			mprotect(p, LEN, PROT_READ);
		}
		for (j = 0; j < LEN; j += 4096)
			sum += p[j];
		CHECK_INT(rss_of(p), LEN / 1024);
		CHECK(memtrim_code() >= (cases[i].dropped ? LEN / 1024 : 0));
		CHECK_INT(rss_of(p) == 0, cases[i].dropped);
		/* the bytes are the same, read back or kept */
		if (cases[i].write) {
			CHECK_INT(p[5], 'W');
			CHECK_INT(p[LEN - 1], 'Z');
			CHECK(memcmp(p + 6, want + 6, LEN - 7) == 0);
		} else
			CHECK(memcmp(p, want, LEN) == 0);
		munmap(p, LEN);
	}
	for (i = 0; i < LEN; i++)
		if (anon[i] != 'a')
			break;
	CHECK_INT(i, LEN);
	close(fd);
	unlink(path);
	free(want);
	(void)sum;
	return t_done("test_memtrim");
}
