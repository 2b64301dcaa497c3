/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_memtrim: clean read-only file pages leave the resident set and
 * read back the same; written pages of every kind (a private file
 * mapping made read-only after writing, as RELRO is; anonymous memory)
 * keep their writes. memtrim_trusted tells a faithful smaps from an
 * emulator's (descriptions in a table); and where /proc/self/smaps does
 * not agree with /proc/self/maps (qemu-user emulates the second, not
 * the first), memtrim_code touches nothing.
 */

#include <sys/mman.h>

#include <fcntl.h>
#include <stdint.h>
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

/*
 * The smaps text of a faithful kernel, for code at 0x401234 and data at
 * 0x602010, and the ways an emulator's differs. %s is where the region
 * header lines and their fields go.
 */
#define CODE	0x401234UL
#define DATA	0x602010UL
#define TEXT	"00400000-00402000 r-xp 00000000 08:01 12  /usr/sbin/bantin\n"
#define TEXTF	"Rss:                   8 kB\nAnonymous:             0 kB\n"
#define RO	"00401000-00402000 r--p 00001000 08:01 12  /usr/sbin/bantin\n"
#define DATAH	"00602000-00603000 rw-p 00002000 08:01 12  /usr/sbin/bantin\n"
#define DATAF	"Rss:                   4 kB\nAnonymous:             4 kB\n"
#define NOANON	"Rss:                   4 kB\nAnonymous:             0 kB\n"
#define HEAP	"00603000-00624000 rw-p 00000000 00:00 0  [heap]\n"

static void
trust_cases(void)
{
	static const struct {
		const char	*smaps;
		int		 want;
	} cases[] = {
		{ TEXT TEXTF DATAH DATAF HEAP DATAF, 1 },
		/* the last region's fields without a final newline */
		{ TEXT TEXTF DATAH "Rss: 4 kB\nAnonymous: 4 kB", 1 },
		/* a path longer than any line buffer before them */
		{ "7f0000000000-7f0000001000 r--p 00000000 08:01 13  /%0600d\n"
		    TEXTF TEXT TEXTF DATAH DATAF, 1 },
		{ "", 0 },
		/* qemu-aarch64: the guest's code is the emulator's data */
		{ RO TEXTF DATAH DATAF, 0 },
		/* qemu-arm: every address off by the emulator's base */
		{ "00401000-00403000 r-xp 00000000 08:01 12  /usr/sbin/bantin\n"
		    TEXTF "00603000-00604000 rw-p 00002000 08:01 12 /x\n"
		    DATAF, 0 },
		/* written pages not counted as Anonymous */
		{ TEXT TEXTF DATAH NOANON, 0 },
		/* the data in a read-only or shared mapping */
		{ TEXT TEXTF "00602000-00603000 r--p 00002000 08:01 12 /x\n"
		    DATAF, 0 },
		{ TEXT TEXTF "00602000-00603000 rw-s 00002000 08:01 12 /x\n"
		    DATAF, 0 },
		/* the code in anonymous memory (a JIT's, not ours) */
		{ "00400000-00402000 r-xp 00000000 00:00 0\n" TEXTF DATAH
		    DATAF, 0 },
		/* no code region, or no data region */
		{ DATAH DATAF, 0 },
		{ TEXT TEXTF, 0 },
	};
	FILE	*f;
	size_t	 i;
	int	 got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((f = tmpfile()) == NULL) {
			CHECK(0);
			return;
		}
		fprintf(f, cases[i].smaps, 0);
		rewind(f);
		if ((got = memtrim_trusted(f, CODE, DATA)) != cases[i].want)
			fprintf(stderr, "case %zu\n", i);
		CHECK_INT(got, cases[i].want);
		fclose(f);
	}
}

/* the header line of the region holding addr in a maps or smaps file */
static int
region_of(const char *file, unsigned long addr, char *out, size_t len)
{
	FILE		*f;
	char		 line[512];
	unsigned long	 a, b;
	int		 found = 0;

	if ((f = fopen(file, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 &&
		    strchr(line, ':') != NULL && addr >= a && addr < b) {
			snprintf(out, len, "%s", line);
			found = 1;
		}
	fclose(f);
	return found;
}

/* smaps says of our own code what maps says: not so under qemu-user */
static int
faithful(void)
{
	unsigned long	 code = (unsigned long)(uintptr_t)faithful;
	char		 m[512], s[512];

	return region_of("/proc/self/maps", code, m, sizeof(m)) &&
	    region_of("/proc/self/smaps", code, s, sizeof(s)) &&
	    strcmp(m, s) == 0;
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
	int		 fd, real;

	trust_cases();
	if (!(real = faithful()))
		fprintf(stderr, "smaps is not this process's: an emulator\n");

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
		if (real) {
			CHECK_INT(rss_of(p), LEN / 1024);
			CHECK(memtrim_code() >=
			    (cases[i].dropped ? LEN / 1024 : 0));
			CHECK_INT(rss_of(p) == 0, cases[i].dropped);
		} else
			CHECK_INT(memtrim_code(), -1);
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
