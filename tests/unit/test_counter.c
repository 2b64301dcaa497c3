/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_counter.c: the counter file parser (good and damaged files), the
 * round trip through flush, exact counting across forked processes and
 * across a reload, the handling of a flush that cannot write, and the
 * atomicity of the file under kill -9. Every test works in its own
 * mkdtemp folder under /tmp and builds a minimal struct site by hand.
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "counter.h"
#include "site.h"
#include "t.h"

struct fake {				/* just what counter.c reads */
	struct site	  site;
	struct article	 *arts;
	char		 *pool;		/* the paths, as a snapshot's */
};

static char	*tmpdir(void);
static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static void	 rm_rf(char *);
static int	 write_text(const char *, const char *, size_t);
static char	*read_text(const char *);
static char	*join(const char *, const char *);
static void	 fake_init(struct fake *, const char *const *, size_t);
static void	 fake_free(struct fake *);
static int	 count_tmp(const char *, const char *);
static int	 count_lines_with(const char *, const char *);
static int	 stderr_to(const char *);
static void	 stderr_back(int);
static void	 test_parse(void);
static void	 test_open_errors(void);
static void	 test_round_trip(void);
static void	 test_no_bind(void);
static void	 test_fork(void);
static void	 test_reload(void);
static void	 test_kept_from(void);
static void	 test_patched_bind(void);
static void	 test_overlapping_reloads(void);
static void	 test_removed_kept(void);
static void	 test_flush_failure(void);
static void	 test_big(void);
static void	 test_map_memory(void);
static void	 test_kill9(void);
static void	 test_format(void);
static void	 test_last_good(void);
static void	 test_cut_points(void);
static void	 test_old_format(void);
static void	 test_batches(void);
static void	 test_crash_points(void);

static char *
tmpdir(void)
{
	char	 tmpl[] = "/tmp/bantin-counter-XXXXXX";
	char	*d;

	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	if ((d = strdup(tmpl)) == NULL)
		exit(1);
	return d;
}

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	chmod(p, 0700);
	return remove(p);
}

static void
rm_rf(char *d)
{
	nftw(d, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
}

static int
write_text(const char *path, const char *s, size_t len)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fwrite(s, 1, len, f) == len ? 0 : -1;
	if (fclose(f) == EOF)
		rc = -1;
	return rc;
}

static char *
read_text(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	s[fread(s, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return s;
}

static char *
join(const char *a, const char *b)
{
	size_t	 n = strlen(a) + strlen(b) + 2;
	char	*s;
	int	 r;

	if ((s = malloc(n)) == NULL)
		exit(1);
	r = snprintf(s, n, "%s/%s", a, b);
	if (r < 0 || (size_t)r >= n)
		exit(1);
	return s;
}

static void
fake_init(struct fake *f, const char *const *paths, size_t n)
{
	size_t	 i, len = 1;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++)
		len += strlen(paths[i]) + 1;
	f->arts = calloc(n ? n : 1, sizeof(*f->arts));
	f->pool = calloc(1, len);
	if (f->arts == NULL || f->pool == NULL)
		exit(1);
	for (len = 1, i = 0; i < n; i++) {
		f->arts[i].path = (uint32_t)len;
		memcpy(f->pool + len, paths[i], strlen(paths[i]) + 1);
		len += strlen(paths[i]) + 1;
		f->arts[i].counter_slot = -1;
	}
	f->site.articles = f->arts;
	f->site.narticles = n;
	f->site.pool = f->pool;
	f->site.rootfd = -1;
}

static void
fake_free(struct fake *f)
{
	free(f->arts);
	free(f->pool);
}

/* Entries of dir whose name starts with prefix. */
static int
count_tmp(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static int
count_lines_with(const char *file, const char *needle)
{
	char	*s, *p;
	int	 n = 0;

	if ((s = read_text(file)) == NULL)
		return -1;
	for (p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(s);
	return n;
}

/* Send stderr (where log.c writes) to file; returns the old fd. */
static int
stderr_to(const char *file)
{
	int	 old, fd;

	fflush(stderr);
	if ((old = dup(STDERR_FILENO)) == -1 ||
	    (fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1)
		exit(1);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return old;
}

static void
stderr_back(int old)
{
	fflush(stderr);
	dup2(old, STDERR_FILENO);
	close(old);
}

static const struct {
	const char		*text;
	size_t			 len;	/* 0: strlen(text) */
	const char		*err;	/* after "file:"; NULL: parses */
	unsigned long long	 site;
	const char		*path;	/* optional check */
	unsigned long long	 views;
} parse_cases[] = {
	/* good files */
	{ "# bantin counters: site visits, then views per article path\n"
	  "site 31717415\n"
	  "63 /thoi-su/2020-05-21-chi-bo-dai-hoi\n"
	  "end 1\n", 0, NULL, 31717415,
	    "/thoi-su/2020-05-21-chi-bo-dai-hoi", 63 },
	{ "site 5\r\n7 /a\r\nend 1\r\n", 0, NULL, 5, "/a", 7 },
	{ "site 5\n7 /a\nend 1", 0, NULL, 5, "/a", 7 },
	{ "  site\t 9 \n 3\t/b  \n\tend  1 \n", 0, NULL, 9, "/b", 3 },
	{ "site 18446744073709551615\n18446744073709551615 /x\nend 1\n", 0,
	    NULL, 18446744073709551615ULL, "/x", 18446744073709551615ULL },
	{ "site 1\n12 /thời-sự/đại-hội-đảng\nend 1\n", 0, NULL, 1,
	    "/thời-sự/đại-hội-đảng", 12 },
	{ "site 007\n0 /z\nend 1\n", 0, NULL, 7, "/z", 0 },
	{ "site 1\n4 /a#b\nend 01\n", 0, NULL, 1, "/a#b", 4 },
	{ "site 1\n4 /tin\xc2\xa0m\xe1\xbb\x9bi\nend 1\n", 0, NULL, 1,
	    "/tin\xc2\xa0m\xe1\xbb\x9bi", 4 },
	{ "site 3\nend 0\n", 0, NULL, 3, "/a", 0 },
	{ "site 3\n\n# c\n5 /a\n\n4 /b\nend 2\n\n# after\n \n", 0, NULL, 3,
	    "/b", 4 },
	/* the format's line, first */
	{ "bantin-counters 2\nsite 5\n7 /a\nend 1\n", 0, NULL, 5, "/a", 7 },
	{ " bantin-counters\t2 \r\n# c\nsite 5\nend 0\n", 0, NULL, 5,
	    NULL, 0 },
	{ "bantin-counters 3\nsite 5\nend 0\n", 0, "1: format 3: this "
	    "bantin reads format 2 (a newer bantin wrote this file?)", 0,
	    NULL, 0 },
	{ "bantin-counters 1\nsite 5\nend 0\n", 0, "1: format 1: ", 0,
	    NULL, 0 },
	{ "bantin-counters\nsite 5\nend 0\n", 0,
	    "1: missing count after \"bantin-counters\"", 0, NULL, 0 },
	{ "bantin-counters 2 x\nsite 5\nend 0\n", 0,
	    "1: unexpected text after the count", 0, NULL, 0 },
	{ "# c\nbantin-counters 2\nsite 5\nend 0\n", 0, "2: \"bantin-"
	    "counters\" line after the first line: it can only be the first",
	    0, NULL, 0 },
	{ "bantin-counters 2\nbantin-counters 2\nsite 5\nend 0\n", 0,
	    "2: \"bantin-counters\" line after the first line", 0, NULL, 0 },
	{ "bantin-counters 2\nsite 5\n7 /a\n", 0, "4: no \"end\" line: "
	    "the file was cut short; there is no ", 0, NULL, 0 },
	{ "bantin-counters 2\n", 0, "2: no \"end\" line: the file was cut "
	    "short; there is no ", 0, NULL, 0 },
	/* without it and without the end line: cut short, or written
	 * before the end line existed; the operator says which */
	{ "site 5\n7 /a\n", 0, "3: no \"end\" line: the file was cut "
	    "short, or was written before the end line existed (by hand, or "
	    "by an older bantin): if it is whole, add the line \"end 1\" at "
	    "its end; there is no ", 0, NULL, 0 },
	{ "# old\nsite 3\n", 0, "3: no \"end\" line: the file was cut "
	    "short, or was written before the end line existed (by hand, or "
	    "by an older bantin): if it is whole, add the line \"end 0\" at "
	    "its end", 0, NULL, 0 },
	/* empty, cut short, lines lost: refused */
	{ "", 0, "1: empty file: the counts were lost", 0, NULL, 0 },
	{ "site 12\n7 /thoi-", 0, "2: the file ends in the middle of this "
	    "line: it was cut short", 0, NULL, 0 },
	{ "site 5\n7 /a", 0, "2: the file ends in the middle of this line: "
	    "it was cut short", 0, NULL, 0 },
	{ "site 5\n7 /a\nen", 0, "3: the file ends in the middle of this "
	    "line: it was cut short", 0, NULL, 0 },
	{ "# only a comment\n\n   \n\t# indented comment\n", 0,
	    "5: no \"end\" line: the file was cut short, or ", 0, NULL, 0 },
	{ "site 1\n2 /a\nend 2\n", 0, "3: \"end 2\" but 1 article lines: "
	    "lines were lost (or, after an edit, correct the count)", 0,
	    NULL, 0 },
	{ "site 1\n2 /a\nend 0\n", 0, "3: \"end 0\" but 1 article lines", 0,
	    NULL, 0 },
	{ "site 1\nend 0\n5 /a\n", 0,
	    "3: text after the \"end\" line (line 2)", 0, NULL, 0 },
	{ "site 1\nend 0\nend 0\n", 0,
	    "3: text after the \"end\" line (line 2)", 0, NULL, 0 },
	{ "end 0\n", 0, "1: \"end\" line before the \"site\" line", 0,
	    NULL, 0 },
	{ "site 1\nend\n", 0, "2: missing count after \"end\"", 0, NULL,
	    0 },
	{ "site 1\nend x\n", 0, "2: count is not a decimal number", 0,
	    NULL, 0 },
	{ "site 1\nend 0 1\n", 0, "2: unexpected text after the count", 0,
	    NULL, 0 },
	/* damaged files: refused, never read as zeros */
	{ "site 1\nsite 2\n", 0,
	    "2: duplicate \"site\" line (first on line 1)", 0, NULL, 0 },
	{ "site x\n", 0, "1: count is not a decimal number", 0, NULL, 0 },
	{ "site -1\n", 0, "1: count is not a decimal number", 0, NULL, 0 },
	{ "site +1\n", 0, "1: count is not a decimal number", 0, NULL, 0 },
	{ "Site 1\n", 0, "1: count is not a decimal number", 0, NULL, 0 },
	{ "site 1\n1.000 /a\n", 0, "2: count is not a decimal number", 0,
	    NULL, 0 },
	{ "site 18446744073709551616\n", 0, "1: count out of range", 0,
	    NULL, 0 },
	{ "site 1\n99999999999999999999 /a\n", 0, "2: count out of range",
	    0, NULL, 0 },
	{ "site\n", 0, "1: missing count after \"site\"", 0, NULL, 0 },
	{ "site 1\n5\n", 0, "2: missing path after the count", 0, NULL, 0 },
	{ "site 1\n5 thoi-su/x\n", 0,
	    "2: path does not start with \"/\"", 0, NULL, 0 },
	{ "site 1\n\n5 /a\n# c\n6 /a\n", 0,
	    "5: duplicate path /a (first on line 3)", 0, NULL, 0 },
	{ "site 1\n5 /\xff\n", 0, "2: invalid UTF-8", 0, NULL, 0 },
	{ "site 1\n5 /th\xe1\xbb\n", 0, "2: invalid UTF-8", 0, NULL, 0 },
	{ "site 1\n5 /\xc0\xaf\n", 0, "2: invalid UTF-8", 0, NULL, 0 },
	{ "# \xed\xa0\x80 surrogate\n", 0, "1: invalid UTF-8", 0, NULL, 0 },
	{ "site 1\n5 /a\0b\n", 14, "2: invalid UTF-8", 0, NULL, 0 },
	{ "site 1\n5 /a\x01" "b\n", 0, "2: control character in path", 0,
	    NULL, 0 },
	{ "site 1\n5 /a\xc2\x85" "b\n", 0, "2: control character in path",
	    0, NULL, 0 },
	{ "site 1\n5 /a\x7f\n", 0, "2: control character in path", 0,
	    NULL, 0 },
	{ "site 1\n5 /a\r\r\n", 0, "2: control character in path", 0,
	    NULL, 0 },
	{ "site 1\n5 /a b\n", 0, "2: unexpected text after the path", 0,
	    NULL, 0 },
	{ "site 1 2\n", 0, "1: unexpected text after the count", 0, NULL,
	    0 },
	{ "# c\n5 /a\nsite 1\n", 0,
	    "2: article count before the \"site\" line", 0, NULL, 0 },
	/* the flush number, which counts files' columns are tagged with */
	{ "site 5\n7 /a\nflush 12\nend 1\n", 0, NULL, 5, "/a", 7 },
	{ "site 5\nflush 0\n7 /a\nend 1\n", 0, NULL, 5, "/a", 7 },
	{ "flush 3\nsite 5\nend 0\n", 0,
	    "1: \"flush\" line before the \"site\" line", 0, NULL, 0 },
	{ "site 5\nflush 3\nflush 4\nend 0\n", 0,
	    "3: duplicate \"flush\" line (first on line 2)", 0, NULL, 0 },
	{ "site 5\nflush x\nend 0\n", 0, "2: count is not a decimal number",
	    0, NULL, 0 },
	{ "site 5\nflush\nend 0\n", 0, "2: missing count after \"flush\"",
	    0, NULL, 0 },
	{ "site 5\nflush 3 4\nend 0\n", 0,
	    "2: unexpected text after the count", 0, NULL, 0 },
	/* the Redis backend's journal */
	{ "site 9\n4 /a\nredis h:1965 7\nbatch h:1965 8 2\nbatch 1 /a\n"
	    "unsent 3\nunsent 2 /a%20b\nend 6\n", 0, NULL, 9, "/a", 4 },
	{ "site 9\nredis h 7\nend 0\n", 0, "3: \"end 0\" but 1", 0, NULL,
	    0 },
	{ "site 9\nunsent 3\nend 1\n", 0,
	    "2: \"unsent\" line before the \"redis\" line", 0, NULL, 0 },
	{ "redis h 7\nsite 9\nend 1\n", 0,
	    "1: \"redis\" line before the \"site\" line", 0, NULL, 0 },
	{ "site 9\nredis h 7\nredis h 8\nend 2\n", 0,
	    "3: duplicate \"redis\" line (first on line 2)", 0, NULL, 0 },
	{ "site 9\nredis /h 7\nend 1\n", 0, "2: bad instance name", 0,
	    NULL, 0 },
	{ "site 9\nredis h 7 8\nend 1\n", 0,
	    "2: wrong number of fields for \"redis\"", 0, NULL, 0 },
	{ "site 9\nredis h 7\nbatch 1 /a\nend 2\n", 0,
	    "3: batch line before its header", 0, NULL, 0 },
	{ "site 9\nredis h 7\nbatch h 0 1\nend 2\n", 0, "3: batch 0", 0,
	    NULL, 0 },
	{ "site 9\nredis h 7\nbatch h 8 1\nbatch h 9 1\nend 3\n", 0,
	    "4: a second batch (first on line 3)", 0, NULL, 0 },
	{ "site 9\nredis h 7\nbatch h 8 1\nbatch 1 /a\nbatch 2 /a\n"
	    "end 4\n", 0, "5: duplicate path /a (first on line 4)", 0, NULL,
	    0 },
	{ "site 9\nredis h 7\nunsent 1\nunsent 2\nend 3\n", 0,
	    "4: duplicate unsent visits (first on line 3)", 0, NULL, 0 },
	{ "site 9\nredis h 7\nunsent x /a\nend 2\n", 0,
	    "3: count is not a decimal number", 0, NULL, 0 },
	{ "site 9\nredis h 7\nunsent 1 a\nend 2\n", 0,
	    "3: path does not start with \"/\"", 0, NULL, 0 },
};

static void
test_parse(void)
{
	struct counter	*c;
	char		*d, *file, err[1024], want[1024];
	size_t		 i, len;

	d = tmpdir();
	file = join(d, "counters");
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		len = parse_cases[i].len ? parse_cases[i].len :
		    strlen(parse_cases[i].text);
		CHECK(write_text(file, parse_cases[i].text, len) == 0);
		err[0] = '\0';
		c = counter_open(file, err, sizeof(err));
		if (parse_cases[i].err == NULL) {
			if (c == NULL)
				fprintf(stderr, "case %zu: %s\n", i, err);
			CHECK(c != NULL);
			if (c == NULL)
				continue;
			CHECK_INT(counter_site(c), parse_cases[i].site);
			if (parse_cases[i].path != NULL)
				CHECK_INT(counter_path_views(c,
				    parse_cases[i].path),
				    parse_cases[i].views);
			counter_free(c);
		} else {
			CHECK(c == NULL);
			counter_free(c);
			/* the reason, then how to restore the file */
			snprintf(want, sizeof(want), "%s:%s", file,
			    parse_cases[i].err);
			if (strncmp(err, want, strlen(want)) != 0)
				fprintf(stderr, "case %zu: %s\n", i, err);
			CHECK(strncmp(err, want, strlen(want)) == 0);
			CHECK_HAS(err, ".1: restore the file from a backup, "
			    "or correct it by hand");
		}
	}
	/* a missing file is a first start: zeros */
	unlink(file);
	c = counter_open(file, err, sizeof(err));
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 0);
		counter_free(c);
	}
	free(file);
	rm_rf(d);
}

static void
test_open_errors(void)
{
	struct counter	*c;
	char		*d, err[256], want[512];

	/* a folder where the file should be: an error, not zeros */
	d = tmpdir();
	c = counter_open(d, err, sizeof(err));
	CHECK(c == NULL);
	snprintf(want, sizeof(want), "%s: Is a directory", d);
	CHECK_STR(err, want);
	rm_rf(d);
}

static void
test_round_trip(void)
{
	static const char *const paths[] = {
		"/thoi-su/2020-05-21-chi-bo-dai-hoi",
		"/the-thao/bong-đá-việt-nam",
		"/gioi-thieu",
	};
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *text, err[256];
	int		 i;

	d = tmpdir();
	file = join(d, "counters");
	fake_init(&f, paths, 3);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f.site) == 0);
	CHECK_INT(f.arts[0].counter_slot, 0);
	CHECK_INT(f.arts[2].counter_slot, 2);
	CHECK_INT(counter_generation(c), 1);
	counter_hit(c, -1);
	counter_hit(c, -1);
	for (i = 0; i < 5; i++)
		counter_hit(c, f.arts[0].counter_slot);
	counter_hit(c, f.arts[2].counter_slot);
	counter_hit(c, 3);		/* out of range: the visit only */
	CHECK_INT(counter_site(c), 9);
	CHECK_INT(counter_views(c, 0), 5);
	CHECK_INT(counter_views(c, 1), 0);
	CHECK_INT(counter_views(c, 2), 1);
	CHECK_INT(counter_views(c, 3), 0);
	CHECK_INT(counter_views(c, -1), 0);
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_tmp(d, "counters.tmp."), 0);
	text = read_text(file);
	CHECK_STR(text,
	    "bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 9\n"
	    "1 /gioi-thieu\n"
	    "5 /thoi-su/2020-05-21-chi-bo-dai-hoi\n"
	    "flush 1\n"
	    "end 2\n");
	free(text);
	/* a second flush with no new hits writes the same numbers */
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(file, "site 9\n"), 1);
	counter_free(c);

	/* reopen: the same numbers, and bases for the next bind */
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK_INT(counter_site(c), 9);
	CHECK_INT(counter_path_views(c, paths[0]), 5);
	CHECK_INT(counter_path_views(c, paths[1]), 0);
	CHECK_INT(counter_path_views(c, paths[2]), 1);
	CHECK(counter_bind(c, &f.site) == 0);
	counter_hit(c, 1);
	CHECK_INT(counter_site(c), 10);
	CHECK_INT(counter_views(c, 0), 5);
	CHECK_INT(counter_views(c, 1), 1);
	CHECK(counter_flush(c) == 0);
	counter_free(c);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 10);
		CHECK_INT(counter_path_views(c, paths[1]), 1);
		counter_free(c);
	}
 out:
	fake_free(&f);
	free(file);
	rm_rf(d);
}

static void
test_no_bind(void)
{
	struct counter	*c;
	char		*d, *file, err[256];

	/* a single process that never forks still counts the site */
	d = tmpdir();
	file = join(d, "counters");
	CHECK(write_text(file, "site 41\nend 0\n", 14) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		counter_hit(c, -1);
		counter_hit(c, 0);
		CHECK_INT(counter_site(c), 43);
		CHECK_INT(counter_views(c, 0), 0);
		CHECK_INT(counter_generation(c), 0);
		counter_retire(c);		/* nothing to retire */
		CHECK(counter_flush(c) == 0);
		counter_free(c);
	}
	CHECK_INT(count_lines_with(file, "site 43\n"), 1);
	free(file);
	rm_rf(d);
}

#define FORK_KIDS	4
#define FORK_HITS	10000
#define FORK_ARTS	5

/* The slot child k uses for hit i: mixed, with site-only visits. */
static int
fork_slot(int k, int i)
{
	return (k * 7 + i) % (FORK_ARTS + 1) - 1;
}

static void
test_fork(void)
{
	static const char *const paths[FORK_ARTS] = {
		"/a/một", "/a/hai", "/b/ba", "/b/bốn", "/năm",
	};
	unsigned long long	 want[FORK_ARTS] = { 0 }, site = 1000;
	struct fake		 f;
	struct counter		*c;
	char			*d, *file, err[256];
	pid_t			 pid[FORK_KIDS];
	int			 k, i, s, st;

	d = tmpdir();
	file = join(d, "counters");
	CHECK(write_text(file, "site 1000\n20 /a/hai\nend 1\n", 26) == 0);
	want[1] = 20;
	fake_init(&f, paths, FORK_ARTS);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f.site) == 0);
	for (k = 0; k < FORK_KIDS; k++) {
		if ((pid[k] = fork()) == 0) {
			for (i = 0; i < FORK_HITS; i++)
				counter_hit(c, fork_slot(k, i));
			_exit(0);
		}
		CHECK(pid[k] > 0);
		for (i = 0; i < FORK_HITS; i++) {
			site++;
			if ((s = fork_slot(k, i)) >= 0)
				want[s]++;
		}
	}
	for (k = 0; k < FORK_KIDS; k++) {
		CHECK(waitpid(pid[k], &st, 0) == pid[k]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK_INT(counter_site(c), site);
	for (s = 0; s < FORK_ARTS; s++)
		CHECK_INT(counter_views(c, s), want[s]);
	CHECK(counter_flush(c) == 0);
	counter_free(c);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK_INT(counter_site(c), site);
	for (s = 0; s < FORK_ARTS; s++)
		CHECK_INT(counter_path_views(c, paths[s]), want[s]);
	counter_free(c);
 out:
	fake_free(&f);
	free(file);
	rm_rf(d);
}

/*
 * A reload's site tells which article of the last one each was
 * (kept_from): the counter takes that article's entry without a
 * look-up, but only when its path is the same; a wrong or missing
 * hint, or one for another site than the one bound, falls back to
 * the path. Every count must follow its path.
 */
static void
test_kept_from(void)
{
	static const char *const p1[] = { "/a", "/b", "/c", "/e" };
	static const char *const p2[] = { "/c", "/a", "/d", "/e", "/b" };
	static const unsigned long long v1[] = { 5, 7, 9, 11 };
	static const struct {
		const char	*what;
		unsigned long	 kept_serial;
		uint32_t	 from[5];
	} cases[] = {
		{ "right hints", 1, { 3, 1, 0, 4, 2 } },
		{ "wrong hints", 1, { 2, 4, 1, 3, 9 } },
		{ "hints of another site", 7, { 3, 1, 0, 4, 2 } },
	};
	static const unsigned long long want[] = { 9, 5, 0, 11, 7 };
	struct fake	 f1, f2;
	struct counter	*c;
	char		*d, *file, err[256];
	size_t		 i, k;
	unsigned long long n;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		d = tmpdir();
		file = join(d, "counters");
		fake_init(&f1, p1, 4);
		fake_init(&f2, p2, 5);
		f1.site.serial = 1;
		f2.site.serial = 2;
		f2.site.kept_serial = cases[k].kept_serial;
		f2.site.kept_from = calloc(5, sizeof(uint32_t));
		if (f2.site.kept_from == NULL)
			exit(1);
		memcpy(f2.site.kept_from, cases[k].from,
		    sizeof(cases[k].from));
		CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
		if (c != NULL) {
			CHECK(counter_bind(c, &f1.site) == 0);
			for (i = 0; i < 4; i++)
				for (n = 0; n < v1[i]; n++)
					counter_hit(c, f1.arts[i].counter_slot);
			CHECK(counter_bind(c, &f2.site) == 0);
			for (i = 0; i < 5; i++)
				if (counter_views(c, f2.arts[i].counter_slot) !=
				    want[i]) {
					fprintf(stderr, "%s: %s: %llu\n",
					    cases[k].what, p2[i],
					    counter_views(c,
					    f2.arts[i].counter_slot));
					CHECK(0);
				}
			counter_unbind(c);
			CHECK(counter_flush(c) == 0);
			counter_free(c);
		}
		free(f2.site.kept_from);
		f2.site.kept_from = NULL;
		fake_free(&f1);
		fake_free(&f2);
		free(file);
		rm_rf(d);
	}
}

/*
 * A patched site (site_patch.c) has a copy of the last one's pool, its
 * kept articles' strings at the same offsets: the counter binds them
 * without a write to their entries, and an article the patch dropped
 * keeps its count by a string the copy still has. Once the old sites
 * are freed (their pools scribbled over first), every count must still
 * follow its path, through a walked site after, and into the file.
 */
static void
test_patched_bind(void)
{
	static const char *const p1[] = { "/a", "/b", "/c", "/e" };
	static const unsigned long long v1[] = { 5, 7, 9, 11 };
	struct fake	 f1, f2, f3;
	struct counter	*c;
	char		*d, *file, err[256];
	size_t		 i, len;
	uint32_t	 from[4] = { 0, 1, 2, 4 };	/* /d /a /b /e */

	d = tmpdir();
	file = join(d, "counters");
	fake_init(&f1, p1, 4);
	f1.site.serial = 1;
	/* the patch: f1's pool and "/d" after it; /c dropped */
	memset(&f2, 0, sizeof(f2));
	len = 1;
	for (i = 0; i < 4; i++)
		len += strlen(p1[i]) + 1;
	if ((f2.pool = malloc(len + 3)) == NULL ||
	    (f2.arts = calloc(4, sizeof(*f2.arts))) == NULL)
		exit(1);
	memcpy(f2.pool, f1.pool, len);
	memcpy(f2.pool + len, "/d", 3);
	f2.arts[0].path = (uint32_t)len;
	f2.arts[1] = f1.arts[0];
	f2.arts[2] = f1.arts[1];
	f2.arts[3] = f1.arts[3];
	f2.site.articles = f2.arts;
	f2.site.narticles = 4;
	f2.site.pool = f2.pool;
	f2.site.rootfd = -1;
	f2.site.serial = 2;
	f2.site.patched = 1;
	f2.site.kept_serial = 1;
	f2.site.kept_from = from;
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f1.site) == 0);
	for (i = 0; i < 4; i++)
		while (counter_views(c, f1.arts[i].counter_slot) < v1[i])
			counter_hit(c, f1.arts[i].counter_slot);
	CHECK(counter_bind(c, &f2.site) == 0);
	f2.site.kept_from = NULL;
	memset(f1.pool, 'X', len);
	fake_free(&f1);
	CHECK_INT(counter_views(c, f2.arts[0].counter_slot), 0);
	CHECK_INT(counter_views(c, f2.arts[1].counter_slot), 5);
	CHECK_INT(counter_views(c, f2.arts[2].counter_slot), 7);
	CHECK_INT(counter_views(c, f2.arts[3].counter_slot), 11);
	CHECK_INT(counter_path_views(c, "/c"), 9);
	counter_hit(c, f2.arts[0].counter_slot);
	counter_hit(c, f2.arts[3].counter_slot);
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(file, "9 /c\n"), 1);
	CHECK_INT(count_lines_with(file, "1 /d\n"), 1);
	/* a walked site after it: /a and /e; the others' paths become
	 * the counter's own */
	fake_init(&f3, (const char *const[]){ "/e", "/a" }, 2);
	f3.site.serial = 3;
	CHECK(counter_bind(c, &f3.site) == 0);
	memset(f2.pool, 'X', len + 3);
	fake_free(&f2);
	CHECK_INT(counter_views(c, f3.arts[0].counter_slot), 12);
	CHECK_INT(counter_views(c, f3.arts[1].counter_slot), 5);
	CHECK_INT(counter_path_views(c, "/b"), 7);
	CHECK_INT(counter_path_views(c, "/c"), 9);
	CHECK_INT(counter_path_views(c, "/d"), 1);
	counter_unbind(c);
	CHECK(counter_flush(c) == 0);
	counter_free(c);
	fake_free(&f3);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_path_views(c, "/a"), 5);
		CHECK_INT(counter_path_views(c, "/b"), 7);
		CHECK_INT(counter_path_views(c, "/c"), 9);
		CHECK_INT(counter_path_views(c, "/d"), 1);
		CHECK_INT(counter_path_views(c, "/e"), 12);
		counter_free(c);
	}
	goto done;
 out:
	fake_free(&f1);
	fake_free(&f2);
 done:
	free(file);
	rm_rf(d);
}

/* A child of the current generation: waits for a byte on fd, hits. */
static pid_t
late_child(struct counter *c, int fd, int slot, int n)
{
	pid_t	 pid;
	char	 ch;
	int	 i;

	if ((pid = fork()) != 0)
		return pid;
	if (read(fd, &ch, 1) != 1)
		_exit(2);
	for (i = 0; i < n; i++)
		counter_hit(c, slot);
	_exit(0);
}

static int
reap(pid_t pid)
{
	int	 st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
}

static void
test_reload(void)
{
	static const char *const p1[] = { "/a", "/b", "/c" };
	static const char *const p2[] = { "/a", "/c", "/d" };
	struct fake	 f1, f2;
	struct counter	*c;
	char		*d, *file, *text, err[256];
	pid_t		 early, old, young;
	int		 go[2];

	d = tmpdir();
	file = join(d, "counters");
	fake_init(&f1, p1, 3);
	fake_init(&f2, p2, 3);
	CHECK(pipe(go) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;

	/* generation 1: 1000 views of /a, done before the reload */
	CHECK(counter_bind(c, &f1.site) == 0);
	early = late_child(c, go[0], f1.arts[0].counter_slot, 1000);
	CHECK(write(go[1], "x", 1) == 1);
	CHECK(reap(early));
	/* an old worker still busy with a slow client across the reload */
	old = late_child(c, go[0], f1.arts[1].counter_slot, 500);

	/* generation 2: /b is gone, /d is new; the last site goes, as
	 * the master frees it (the counter kept no string of it) */
	CHECK(counter_bind(c, &f2.site) == 0);
	memset(f1.pool, 'x', 10);
	fake_free(&f1);
	f1.arts = NULL;
	f1.pool = NULL;
	CHECK_INT(counter_generation(c), 2);
	CHECK_INT(f2.arts[2].counter_slot, 2);
	CHECK_INT(counter_site(c), 1000);	/* folded into the base */
	CHECK_INT(counter_views(c, 0), 1000);
	young = late_child(c, go[0], f2.arts[2].counter_slot, 300);
	CHECK(write(go[1], "xx", 2) == 2);
	counter_hit(c, f2.arts[0].counter_slot);	/* the master too */
	/* flushes while the old worker runs must not count twice */
	CHECK(counter_flush(c) == 0);
	CHECK(reap(young));
	CHECK(counter_flush(c) == 0);
	CHECK(reap(old));
	CHECK_INT(counter_views(c, 0), 1001);
	CHECK_INT(counter_views(c, 2), 300);
	CHECK(counter_flush(c) == 0);		/* before retire */
	text = read_text(file);
	CHECK_STR(text,
	    "bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 1801\n1001 /a\n500 /b\n300 /d\nflush 3\nend 3\n");
	free(text);
	counter_retire(c);
	CHECK(counter_flush(c) == 0);		/* and after: the same */
	text = read_text(file);
	CHECK_STR(text,
	    "bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 1801\n1001 /a\n500 /b\n300 /d\nflush 4\nend 3\n");
	free(text);
	CHECK_INT(counter_path_views(c, "/b"), 500);
	counter_free(c);
 out:
	close(go[0]);
	close(go[1]);
	fake_free(&f1);
	fake_free(&f2);
	free(file);
	rm_rf(d);
}

static void
test_overlapping_reloads(void)
{
	static const char *const p[] = { "/tin/một", "/tin/hai" };
	struct fake	 f1, f2, f3;
	struct counter	*c;
	char		*d, *file, err[256];
	pid_t		 k1, k2;
	int		 go1[2], go2[2];

	d = tmpdir();
	file = join(d, "counters");
	fake_init(&f1, p, 2);
	fake_init(&f2, p, 2);
	fake_init(&f3, p, 2);
	CHECK(pipe(go1) == 0 && pipe(go2) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f1.site) == 0);
	k1 = late_child(c, go1[0], 0, 100);
	CHECK(counter_bind(c, &f2.site) == 0);
	k2 = late_child(c, go2[0], 1, 70);
	CHECK(counter_bind(c, &f3.site) == 0);
	CHECK_INT(counter_generation(c), 3);

	/* generation 1 exits; generation 2 still drains after that */
	CHECK(write(go1[1], "x", 1) == 1);
	CHECK(reap(k1));
	counter_retire_upto(c, 1);
	CHECK(write(go2[1], "x", 1) == 1);
	CHECK(reap(k2));
	counter_retire_upto(c, 2);
	counter_hit(c, 1);
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(file, "site 171\n100 /tin/một\n"
	    "71 /tin/hai\n"), 0);	/* sorted: "hai" before "một" */
	CHECK_INT(count_lines_with(file, "site 171\n71 /tin/hai\n"
	    "100 /tin/một\n"), 1);
	counter_free(c);
 out:
	close(go1[0]);
	close(go1[1]);
	close(go2[0]);
	close(go2[1]);
	fake_free(&f1);
	fake_free(&f2);
	fake_free(&f3);
	free(file);
	rm_rf(d);
}

static void
test_removed_kept(void)
{
	static const char *const p[] = { "/moi" };
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *text, err[256];
	const char	*in = "site 10\n5 /cu/bai-da-xoa\n3 /moi\nend 2\n";

	d = tmpdir();
	file = join(d, "counters");
	fake_init(&f, p, 1);
	CHECK(write_text(file, in, strlen(in)) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK(counter_bind(c, &f.site) == 0);
		CHECK_INT(counter_views(c, 0), 3);
		counter_hit(c, 0);
		CHECK(counter_flush(c) == 0);
		counter_free(c);
	}
	text = read_text(file);
	CHECK_STR(text,
	    "bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 11\n5 /cu/bai-da-xoa\n4 /moi\nflush 1\nend 2\n");
	free(text);
	fake_free(&f);
	free(file);
	rm_rf(d);
}

static void
test_flush_failure(void)
{
	static const char *const p[] = { "/x" };
	struct fake	 f;
	struct counter	*c;
	char		*d, *sub, *file, *log, *plain, *pfile, *blocker;
	char		 err[256];
	int		 old;

	d = tmpdir();
	sub = join(d, "state");
	file = join(sub, "counters");
	log = join(d, "log");
	plain = join(d, "plain");
	pfile = join(plain, "counters");
	fake_init(&f, p, 1);

	/* the folder does not exist (yet) */
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f.site) == 0);
	counter_hit(c, 0);
	old = stderr_to(log);
	CHECK(counter_flush(c) == -1);
	counter_hit(c, 0);
	CHECK(counter_flush(c) == -1);
	CHECK(counter_flush(c) == -1);
	stderr_back(old);
	/* logged once, not once per flush */
	CHECK_INT(count_lines_with(log, "counters kept in memory"), 1);
	CHECK_INT(count_lines_with(log, "No such file or directory"), 1);
	CHECK_INT(counter_site(c), 2);
	CHECK_INT(counter_views(c, 0), 2);

	/* fixed: the next flush writes everything */
	CHECK(mkdir(sub, 0755) == 0);
	old = stderr_to(log);
	CHECK(counter_flush(c) == 0);
	stderr_back(old);
	CHECK_INT(count_lines_with(log, "counters written again"), 1);
	CHECK_INT(count_lines_with(file, "site 2\n2 /x\n"), 1);

	/* broken again after a success: logged again; the rename fails,
	 * so the temporary file existed and must be gone */
	CHECK(unlink(file) == 0);
	CHECK(mkdir(file, 0755) == 0);
	blocker = join(file, "keep");
	CHECK(write_text(blocker, "x", 1) == 0);
	counter_hit(c, -1);
	old = stderr_to(log);
	CHECK(counter_flush(c) == -1);
	stderr_back(old);
	CHECK_INT(count_lines_with(log, "counters kept in memory: rename"),
	    1);
	CHECK_INT(count_tmp(sub, "counters.tmp."), 0);
	CHECK(unlink(blocker) == 0 && rmdir(file) == 0);
	free(blocker);
	old = stderr_to(log);
	CHECK(counter_flush(c) == 0);
	stderr_back(old);
	CHECK_INT(count_lines_with(log, "counters written again"), 2);
	CHECK_INT(count_lines_with(file, "site 3\n2 /x\n"), 1);
	counter_free(c);

	/* a file where the folder should be: refused at open, and a
	 * flush fails once it appears */
	CHECK(write_text(plain, "not a folder", 12) == 0);
	CHECK(counter_open(pfile, err, sizeof(err)) == NULL);
	CHECK_HAS(err, ": Not a directory");
	CHECK(unlink(plain) == 0);
	CHECK((c = counter_open(pfile, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(write_text(plain, "not a folder", 12) == 0);
	counter_hit(c, -1);
	old = stderr_to(log);
	CHECK(counter_flush(c) == -1);
	stderr_back(old);
	CHECK_INT(count_lines_with(log, "Not a directory"), 1);
	CHECK_INT(counter_site(c), 1);
	CHECK(unlink(plain) == 0 && mkdir(plain, 0755) == 0);
	old = stderr_to(log);
	CHECK(counter_flush(c) == 0);
	stderr_back(old);
	counter_free(c);
	CHECK((c = counter_open(pfile, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 1);
		counter_free(c);
	}
 out:
	fake_free(&f);
	free(sub);
	free(file);
	free(log);
	free(plain);
	free(pfile);
	rm_rf(d);
}

#define BIG_N	100000

/* KB of the pages of file's mappings in this process (smaps' Rss),
 * and of the mappings (Size) into *size */
static long
mapped_kb(const char *file, long *size)
{
	FILE	*f;
	char	 line[4096];
	long	 kb, sum = 0;
	int	 in = 0;

	*size = 0;
	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strchr(line, '-') != NULL && strchr(line, ' ') != NULL &&
		    line[0] != ' ' && strchr(line, ':') != strchr(line, ' ') - 1)
			in = strstr(line, file) != NULL;
		if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			sum += kb;
		if (in && sscanf(line, "Size: %ld kB", &kb) == 1)
			*size += kb;
	}
	fclose(f);
	return sum;
}

/*
 * A counts file of BIG_N articles, few of them read, costs the master
 * the pages those few reached, not the file: its paths are not mapped,
 * a slot's base is written only where a count is, and a flush reads
 * and writes a column only where a hit moved it. The counts are those
 * of the hits, after a flush and after a kill (the file read back).
 */
static void
test_map_memory(void)
{
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *counts, err[256], path[64], **paths;
	size_t		 i;
	long		 kb, size;

	d = tmpdir();
	file = join(d, "counters");
	counts = join(d, "counters.counts.1");
	if ((paths = calloc(BIG_N, sizeof(*paths))) == NULL)
		exit(1);
	for (i = 0; i < BIG_N; i++) {
		snprintf(path, sizeof(path), "/muc-%zu/bai-%zu", i % 7, i);
		if ((paths[i] = strdup(path)) == NULL)
			exit(1);
	}
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	fake_init(&f, (const char *const *)paths, BIG_N);
	CHECK(counter_bind(c, &f.site) == 0);
	for (i = 0; i < 3; i++)
		counter_hit(c, (int)(i * (BIG_N / 3)));
	CHECK(counter_flush(c) == 0);
	counter_hit(c, 5);
	CHECK(counter_flush(c) == 0);
	counter_hit(c, 5);
	/* the slots and columns are BIG_N * 32 bytes, 3,125 KB; in memory,
	 * the pages around the head, the site's slot and the four articles'
	 * slots and columns (a read fault maps up to 64 KB of what the page
	 * cache holds around it): about 400 KB here, and with paths mapped
	 * or every slot read or written, all of it */
	kb = mapped_kb(counts, &size);
	CHECK(size >= BIG_N * 32 / 1024 && size < BIG_N * 40 / 1024);
	CHECK(kb > 0 && kb * 4 <= size);
	if (kb * 4 > size)
		fprintf(stderr, "counts file: %ld of %ld KB mapped\n", kb,
		    size);
	/* what a kill leaves is all there: the file read again */
	counter_free(c);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 5);
		CHECK_INT(counter_path_views(c, paths[5]), 2);
		CHECK_INT(counter_path_views(c, paths[BIG_N / 3]), 1);
		CHECK_INT(counter_path_views(c, paths[6]), 0);
		counter_free(c);
	}
	fake_free(&f);
 out:
	for (i = 0; i < BIG_N; i++)
		free(paths[i]);
	free(paths);
	free(counts);
	free(file);
	rm_rf(d);
}

/* this process's CPU time: what O(n^2) would cost, whatever else the
 * machine is running meanwhile (a wall clock counts the others too) */
static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_big(void)
{
	struct fake	 f;
	struct counter	*c;
	struct buf	 b = BUF_INIT;
	char		*d, *file, *text, *p, *prev, *nl, err[256];
	char		 path[64], **paths;
	const char	*const *cpaths;
	size_t		 i, j, nlines = 0, sorted = 1;
	double		 t0;

	d = tmpdir();
	file = join(d, "counters");
	if ((paths = calloc(BIG_N, sizeof(*paths))) == NULL)
		exit(1);
	/* paths in a scrambled order, so the writer has to sort */
	buf_puts(&b, "site 123456789\n");
	for (i = 0; i < BIG_N; i++) {
		j = (i * 7919) % BIG_N;
		snprintf(path, sizeof(path), "/chuyên-mục-%zu/bài-%zu",
		    j % 97, j);
		if ((paths[i] = strdup(path)) == NULL)
			exit(1);
		buf_printf(&b, "%zu %s\n", j + 1, path);
	}
	buf_printf(&b, "end %d\n", BIG_N);
	CHECK(write_text(file, b.data, b.len) == 0);
	buf_free(&b);

	t0 = now_s();
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	cpaths = (const char *const *)paths;
	fake_init(&f, cpaths, BIG_N);
	CHECK(counter_bind(c, &f.site) == 0);
	for (i = 0; i < BIG_N; i += 1000)
		counter_hit(c, (int)i);
	CHECK(counter_flush(c) == 0);
	counter_free(c);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	/* O(n^2) would take minutes here */
	CHECK(now_s() - t0 < 20.0);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 123456789 + BIG_N / 1000);
		CHECK_INT(counter_path_views(c, paths[0]), 1 + 1);
		CHECK_INT(counter_path_views(c, paths[1]), 7919 + 1);
		CHECK_INT(counter_path_views(c, paths[2]), 2 * 7919 + 1);
		counter_free(c);
	}
	/* the written lines are in byte order of path */
	text = read_text(file);
	prev = NULL;
	for (p = text; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (*p >= '0' && *p <= '9') {
			p = strchr(p, ' ') + 1;
			if (prev != NULL && strcmp(prev, p) >= 0)
				sorted = 0;
			prev = p;
			nlines++;
		}
	}
	CHECK_INT(nlines, BIG_N);
	CHECK(sorted);
	free(text);
	fake_free(&f);
 out:
	for (i = 0; i < BIG_N; i++)
		free(paths[i]);
	free(paths);
	free(file);
	rm_rf(d);
}

#define KILL_ROUNDS	50

struct kill_tally {			/* shared with the children */
	unsigned long long	 started, done;	/* visits, around each hit */
};

/* A master started again after a kill: it takes in what the one before
 * left (counter_open), then counts and flushes until it is killed in
 * turn; every 64 hits a reload, the old generation retired at once (its
 * file removed by the next flush). */
static void
kill_child(const char *file, struct fake *f, struct kill_tally *t)
{
	struct counter	*c;
	char		 err[256];
	int		 i;

	if ((c = counter_open(file, err, sizeof(err))) == NULL ||
	    counter_bind(c, &f->site) == -1)
		_exit(2);
	for (i = 0;; i++) {
		__atomic_fetch_add(&t->started, 1, __ATOMIC_SEQ_CST);
		counter_hit(c, i % 4 - 1);
		__atomic_fetch_add(&t->done, 1, __ATOMIC_SEQ_CST);
		if (i % 64 == 63) {
			counter_bind(c, &f->site);
			counter_retire(c);
		}
		counter_flush(c);
	}
}

/*
 * kill -9 at random moments of the flush loop, 50 times: the file is
 * always there and whole, and read with the counts files beside it it
 * has every visit made, exactly (the one a kill may have cut in the
 * middle counts or not).
 */
static void
test_kill9(void)
{
	static const char *const p[] = { "/một", "/hai", "/ba" };
	struct fake		 f;
	struct kill_tally	*t;
	struct counter		*r;
	struct stat		 st;
	char			*d, *file, *log, err[256], first[300] = "";
	unsigned long long	 n, before;
	pid_t			 pid;
	int			 k, ok = 1, seen, status, old, spin;

	d = tmpdir();
	file = join(d, "counters");
	log = join(d, "log");
	fake_init(&f, p, 3);
	srand((unsigned)getpid());
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(t != MAP_FAILED);
	if (t == MAP_FAILED)
		goto out;
	memset(t, 0, sizeof(*t));
	/* the file exists from now */
	CHECK((r = counter_open(file, err, sizeof(err))) != NULL);
	CHECK(r != NULL && counter_flush(r) == 0);
	counter_free(r);
	/* each child logs what it takes in */
	old = stderr_to(log);
	for (k = 0; k < KILL_ROUNDS; k++) {
		before = __atomic_load_n(&t->started, __ATOMIC_SEQ_CST);
		if ((pid = fork()) == 0)
			kill_child(file, &f, t);
		CHECK(pid > 0);
		/* the kill lands in the loop, wherever it is, once the child
		 * counts: on a busy machine (or under qemu) 20 ms after the
		 * fork may be before its first hit, in every round */
		for (spin = 0; spin < 20000 && __atomic_load_n(&t->started,
		    __ATOMIC_SEQ_CST) == before; spin++)
			usleep(500);
		usleep((useconds_t)(rand() % 20000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (stat(file, &st) == -1) {
			if (ok)
				snprintf(first, sizeof(first), "round %d: no "
				    "file", k);
			ok = 0;
		}
		if ((r = counter_open(file, err, sizeof(err))) == NULL) {
			if (ok)
				snprintf(first, sizeof(first), "round %d: %s",
				    k, err);
			ok = 0;
			continue;
		}
		n = counter_site(r);
		if (n < t->done || n > t->started) {
			if (ok)
				snprintf(first, sizeof(first), "round %d: %llu "
				    "visits, %llu to %llu made", k, n, t->done,
				    t->started);
			ok = 0;
		}
		t->started = t->done = n;
		counter_free(r);
	}
	/* the last one's counts into the file, the counts files gone */
	if ((r = counter_open(file, err, sizeof(err))) != NULL) {
		CHECK(counter_recovered(r));
		CHECK(counter_flush(r) == 0);
		CHECK(!counter_recovered(r));
		CHECK_INT(counter_site(r), t->done);
		counter_free(r);
	}
	stderr_back(old);
	if (!ok)
		fprintf(stderr, "%s\n", first);
	CHECK(ok);
	CHECK(t->done > 0);
	CHECK_INT(count_tmp(d, "counters.counts."), 0);
	/* the temporaries of killed flushes went at the next open */
	seen = count_tmp(d, "counters.tmp.");
	CHECK(seen >= 0 && seen <= 1);
	munmap(t, sizeof(*t));
 out:
	fake_free(&f);
	free(file);
	free(log);
	rm_rf(d);
}

static const struct {
	unsigned long long	 n;
	const char		*lang;
	size_t			 len;
	const char		*want;
} format_cases[] = {
	{ 0, "vi", 32, "0" },
	{ 999, "vi", 32, "999" },
	{ 1000, "vi", 32, "1.000" },
	{ 1000, "en", 32, "1,000" },
	{ 63, "en", 32, "63" },
	{ 123456, "vi", 32, "123.456" },
	{ 31717415, "vi", 32, "31.717.415" },
	{ 31717415, "en", 32, "31,717,415" },
	{ 31717415, "vi-VN", 32, "31.717.415" },
	{ 31717415, NULL, 32, "31,717,415" },
	{ 31717415, "video", 32, "31,717,415" },
	{ 18446744073709551615ULL, "vi", 32, "18.446.744.073.709.551.615" },
	{ 31717415, "vi", 11, "31.717.415" },
	{ 31717415, "vi", 10, "" },		/* never a cut number */
	{ 31717415, "en", 1, "" },
};

static void
test_format(void)
{
	char		 buf[32];
	size_t		 i;

	for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]);
	    i++) {
		memset(buf, 'Z', sizeof(buf));
		CHECK(counter_format(format_cases[i].n, format_cases[i].lang,
		    buf, format_cases[i].len) == buf);
		CHECK_STR(buf, format_cases[i].want);
	}
}

/* a space, "%" and controls in a path are written as %XX, read back */
static void
test_escaped_paths(void)
{
	static const struct {
		const char	*file;		/* as written */
		const char	*path;		/* as the site has it */
	} cases[] = {
		{ "/thoi-su/a%20b", "/thoi-su/a b" },
		{ "/x/50%25", "/x/50%" },
		{ "/x/%C4%91%E1%BA%A1i", "/x/đại" },
		{ "/x/đại", "/x/đại" },
	};
	char	*d = tmpdir(), file[512], text[1024], *got;
	struct counter *c;
	char	 err[256];
	size_t	 i;

	snprintf(file, sizeof(file), "%s/counters", d);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "site 9\n7 %s\nend 1\n",
		    cases[i].file);
		write_text(file, text, strlen(text));
		c = counter_open(file, err, sizeof(err));
		CHECK(c != NULL);
		if (c == NULL)
			continue;
		CHECK_INT(counter_path_views(c, cases[i].path), 7);
		CHECK_INT(counter_flush(c), 0);
		got = read_text(file);
		/* written escaped, except what needs no escape */
		snprintf(text, sizeof(text), "\n7 %s\n", i == 2 ?
		    "/x/đại" : cases[i].file);
		CHECK_HAS(got, text);
		counter_free(c);
		c = counter_open(file, err, sizeof(err));
		CHECK(c != NULL && counter_path_views(c, cases[i].path) == 7);
		counter_free(c);
		free(got);
	}
	write_text(file, "site 1\n2 /a%2\nend 1\n", 20);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, "bad %XX escape");
	write_text(file, "site 1\n2 /a%00\nend 1\n", 21);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, "NUL in path");
	rm_rf(d);
}

/*
 * Every cut of a file of this format is refused: wherever a file as
 * bantin writes it is cut short, the start stops with file:line and
 * how to restore it, never with fewer counts. Only a cut after the end
 * line's count (its newline, or its CR and newline) loses nothing, and
 * is read whole. Each file is cut at every byte: in a line, and at
 * every line's end.
 */
static const char *const cut_cases[] = {
	NULL,				/* what counter_flush writes */
	"bantin-counters 2\nsite 0\nend 0\n",
	"bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 31717415\n63 /thoi-su/2020-05-21-chi-bo-dai-hoi\n"
	    "4 /a%20b\nredis web2:1965 41\nbatch web2:1965 42 17\n"
	    "batch 5 /thoi-su/2020-05-21-chi-bo-dai-hoi\nunsent 3\n"
	    "unsent 2 /a%20b\nflush 9\nend 7\n",
	"bantin-counters 2\r\nsite 5\r\n7 /a\r\n12 /b\r\nflush 1\r\n"
	    "end 2\r\n",
};

static void
test_cut_points(void)
{
	static const char *const p[] = { "/tin/một", "/tin/hai", "/c" };
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *prev, *whole, *text, err[1024], want[1024];
	const char	*e;
	size_t		 i, len, cut, full, lines, k, nrefused = 0;
	unsigned long long site;

	d = tmpdir();
	file = join(d, "counters");
	prev = join(d, "counters.1");
	fake_init(&f, p, 3);
	for (i = 0; i < sizeof(cut_cases) / sizeof(cut_cases[0]); i++) {
		unlink(prev);
		if (cut_cases[i] == NULL) {
			/* bantin's own: a first start, hits, a flush */
			unlink(file);
			CHECK((c = counter_open(file, err, sizeof(err))) !=
			    NULL);
			if (c == NULL)
				continue;
			CHECK(counter_bind(c, &f.site) == 0);
			counter_hit(c, 0);
			counter_hit(c, 2);
			counter_hit(c, 2);
			CHECK(counter_flush(c) == 0);
			counter_free(c);
			whole = read_text(file);
			/* the first flush's copy: removed, so that the
			 * message says there is none; put back below */
			CHECK(unlink(prev) == 0);
		} else
			whole = strdup(cut_cases[i]);
		if (whole == NULL)
			exit(1);
		len = strlen(whole);
		CHECK(strncmp(whole, "bantin-counters 2", 17) == 0);
		/* whole from just after the end line's count on */
		e = strstr(whole, "\nend ");
		CHECK(e != NULL);
		if (e == NULL)
			continue;
		full = (size_t)(e - whole) + 5 + strspn(e + 5, "0123456789");
		CHECK(write_text(file, whole, len) == 0);
		CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
		site = c != NULL ? counter_site(c) : 0;
		counter_free(c);
		for (cut = 0; cut < len; cut++) {
			CHECK(write_text(file, whole, cut) == 0);
			err[0] = '\0';
			c = counter_open(file, err, sizeof(err));
			if (cut >= full) {
				if (c == NULL)
					fprintf(stderr, "case %zu, cut at %zu: "
					    "%s\n", i, cut, err);
				CHECK(c != NULL);
				if (c != NULL)
					CHECK_INT(counter_site(c), site);
				counter_free(c);
				continue;
			}
			if (c != NULL)
				fprintf(stderr, "case %zu, cut at %zu: taken\n",
				    i, cut);
			CHECK(c == NULL);
			counter_free(c);
			nrefused++;
			/* file:line: the reason; then there is no last good
			 * file to restore */
			CHECK(strncmp(err, file, strlen(file)) == 0 &&
			    err[strlen(file)] == ':');
			CHECK_HAS(err, "; there is no ");
			for (lines = 0, k = 0; k < cut; k++)
				lines += whole[k] == '\n';
			if (cut == 0)
				snprintf(want, sizeof(want), "%s:1: empty file: "
				    "the counts were lost", file);
			else if (whole[cut - 1] == '\n')
				snprintf(want, sizeof(want), "%s:%zu: no \"end\" "
				    "line: the file was cut short;", file,
				    lines + 1);
			else
				snprintf(want, sizeof(want), "%s:%zu: the file "
				    "ends in the middle of this line: it was cut "
				    "short;", file, lines + 1);
			if (strncmp(err, want, strlen(want)) != 0)
				fprintf(stderr, "case %zu, cut at %zu: %s\n", i,
				    cut, err);
			CHECK(strncmp(err, want, strlen(want)) == 0);
		}
		/* with the last good file there, the message names it */
		CHECK(write_text(prev, whole, len) == 0);
		CHECK(write_text(file, whole, full - 1) == 0);
		CHECK(counter_open(file, err, sizeof(err)) == NULL);
		snprintf(want, sizeof(want), "; the last good file is %s: "
		    "check it, then cp %s %s", prev, prev, file);
		CHECK_HAS(err, want);
		/* and nothing was written over what was refused */
		text = read_text(file);
		CHECK(text != NULL && strlen(text) == full - 1);
		free(text);
		free(whole);
	}
	/* every cut of every case, but the last one or two of each */
	CHECK(nrefused > 300);
	fake_free(&f);
	free(file);
	free(prev);
	rm_rf(d);
}

/*
 * A file without the format's line, as bantin wrote it before (its
 * end line, its flush number, a journal): read whole, once, and
 * written with the format's line from the first flush, the old file
 * kept as counters.1. One with no end line either (written by hand, or
 * before the end line existed) is refused with the end line to add;
 * once added, it is read.
 */
static void
test_old_format(void)
{
	static const char *const p[] = { "/thoi-su/a", "/thoi-su/b" };
	static const char old_text[] =
	    "# bantin counters: site visits, then views per article path\n"
	    "site 41\n5 /thoi-su/a\n2 /thoi-su/c\nredis web1 3\n"
	    "unsent 1\nunsent 1 /thoi-su/a\nflush 7\nend 5\n";
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *prev, *text, err[1024];

	d = tmpdir();
	file = join(d, "counters");
	prev = join(d, "counters.1");
	fake_init(&f, p, 2);
	CHECK(write_text(file, old_text, strlen(old_text)) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	CHECK_INT(counter_site(c), 41);
	CHECK_INT(counter_path_views(c, "/thoi-su/a"), 5);
	CHECK_INT(counter_path_views(c, "/thoi-su/c"), 2);
	CHECK(counter_unsent(c));
	CHECK(counter_bind(c, &f.site) == 0);
	counter_hit(c, 1);
	CHECK(counter_flush(c) == 0);
	counter_free(c);
	text = read_text(file);
	CHECK_STR(text, "bantin-counters 2\n"
	    "# bantin counters: site visits, then views per article path\n"
	    "site 42\n5 /thoi-su/a\n1 /thoi-su/b\n2 /thoi-su/c\n"
	    "redis web1 3\nunsent 1\nunsent 1 /thoi-su/a\nflush 8\n"
	    "end 6\n");
	free(text);
	/* the file it replaced, as it was */
	text = read_text(prev);
	CHECK_STR(text, old_text);
	free(text);
	/* and it reads back */
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 42);
		CHECK_INT(counter_path_views(c, "/thoi-su/b"), 1);
		counter_free(c);
	}

	/* no end line either: refused until it has one (in a folder of
	 * its own: no counts file left by the instance above) */
	rm_rf(d);
	free(file);
	d = tmpdir();
	file = join(d, "counters");
	CHECK(write_text(file, "site 41\n5 /thoi-su/a\n", 21) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, ":3: no \"end\" line: the file was cut short, or was "
	    "written before the end line existed (by hand, or by an older "
	    "bantin): if it is whole, add the line \"end 1\" at its end; "
	    "there is no ");
	text = read_text(file);
	CHECK_STR(text, "site 41\n5 /thoi-su/a\n");
	free(text);
	CHECK(write_text(file, "site 41\n5 /thoi-su/a\nend 1\n", 27) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c != NULL) {
		CHECK_INT(counter_site(c), 41);
		CHECK_INT(counter_path_views(c, "/thoi-su/a"), 5);
		CHECK(counter_flush(c) == 0);
		counter_free(c);
	}
	CHECK_INT(count_lines_with(file, "bantin-counters 2\n"), 1);
 out:
	fake_free(&f);
	free(file);
	free(prev);
	rm_rf(d);
}

/*
 * The last good file: the first flush copies what it wrote as
 * counters.1, each later one keeps the file it replaces there; an
 * empty, cut or missing file is refused, naming it, and restoring it
 * brings the counts back. Nothing goes back to zero.
 */
static void
test_last_good(void)
{
	static const char *const p[] = { "/thoi-su/a", "/thoi-su/b" };
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *prev, *log, *text, *text1, err[1024];
	char		 want[2048];
	struct stat	 st, st1;
	int		 old;

	d = tmpdir();
	file = join(d, "counters");
	prev = join(d, "counters.1");
	log = join(d, "log");
	fake_init(&f, p, 2);

	/* a first start: no file; the first flush leaves counters.1 too,
	 * a copy of what it wrote (a file of its own, not a link) */
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out;
	CHECK(counter_bind(c, &f.site) == 0);
	counter_hit(c, 0);
	CHECK(counter_flush(c) == 0);
	text = read_text(file);
	text1 = read_text(prev);
	CHECK(text != NULL && text1 != NULL);
	if (text != NULL && text1 != NULL)
		CHECK_STR(text1, text);
	free(text);
	free(text1);
	CHECK(stat(file, &st) == 0 && stat(prev, &st1) == 0 &&
	    st.st_ino != st1.st_ino && st.st_nlink == 1 && st1.st_nlink == 1);
	CHECK_INT(count_tmp(d, "counters.tmp."), 0);
	counter_hit(c, 1);
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(prev, "site 1\n1 /thoi-su/a\nflush 1\n"
	    "end 1\n"), 1);
	CHECK_INT(count_lines_with(file, "site 2\n1 /thoi-su/a\n"
	    "1 /thoi-su/b\nflush 2\nend 2\n"), 1);
	counter_hit(c, 1);
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(prev, "site 2\n"), 1);
	counter_free(c);
	text1 = read_text(prev);

	/* cut short, emptied, removed: refused, with the way back */
	CHECK(write_text(file, "site 3\n1 /thoi-", 16) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	snprintf(want, sizeof(want), "%s:2: the file ends in the middle of "
	    "this line: it was cut short; the last good file is %s: check it, "
	    "then cp %s %s", file, prev, prev, file);
	CHECK_STR(err, want);
	CHECK(write_text(file, "", 0) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, ":1: empty file: the counts were lost; the last good "
	    "file is ");
	/* cut at a line's end, with the format's line or without it */
	CHECK(write_text(file, "bantin-counters 2\nsite 3\n", 25) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, ":3: no \"end\" line: the file was cut short; the "
	    "last good file is ");
	CHECK(write_text(file, "site 3\n", 7) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	CHECK_HAS(err, ":2: no \"end\" line: the file was cut short, or ");
	CHECK_HAS(err, "add the line \"end 0\" at its end; the last good "
	    "file is ");
	CHECK(unlink(file) == 0);
	CHECK(counter_open(file, err, sizeof(err)) == NULL);
	snprintf(want, sizeof(want), "%s: missing, but %s is there: check it, "
	    "then cp %s %s (or remove it too, to start the counts of a new "
	    "site)", file, prev, prev, file);
	CHECK_STR(err, want);
	/* nothing was written meanwhile: counters.1 is as it was */
	text = read_text(prev);
	CHECK_STR(text, text1);
	free(text);

	/* restored: the counts of the last good file, and what the counts
	 * file (left as by a kill: no flush at stop) holds after it */
	CHECK(write_text(file, text1, strlen(text1)) == 0);
	CHECK((c = counter_open(file, err, sizeof(err))) != NULL);
	if (c == NULL)
		goto out1;
	CHECK_INT(counter_site(c), 3);
	CHECK_INT(counter_path_views(c, "/thoi-su/b"), 2);
	/* a file changed behind bantin's back is not kept as counters.1 */
	CHECK(write_text(file, "site 99\nend 0\n", 15) == 0);
	old = stderr_to(log);
	CHECK(counter_flush(c) == 0);
	stderr_back(old);
	CHECK_INT(count_lines_with(log, "changed since bantin read or wrote "
	    "it"), 1);
	text = read_text(prev);
	CHECK_STR(text, text1);
	free(text);
	CHECK_INT(count_lines_with(file, "site 3\n"), 1);
	/* and the next flush keeps what this one wrote */
	CHECK(counter_flush(c) == 0);
	CHECK_INT(count_lines_with(prev, "site 3\n"), 1);
	CHECK_INT(count_tmp(d, "counters.tmp."), 0);
	counter_free(c);
 out1:
	free(text1);
 out:
	fake_free(&f);
	free(file);
	free(prev);
	free(log);
	rm_rf(d);
}

/*
 * The batch protocol against a model of the Redis script: a batch is
 * applied only if its number is above the instance's last. Each case
 * is a run of steps; at its end Redis must hold every hit exactly
 * once, and the pages show Redis's totals plus what it lacks.
 */
enum bop {
	B_END,
	B_HIT,		/* arg hits of /a (arg2 1: of /b; 2: the site only) */
	B_FORM,		/* counter_form(arg, max arg2 or 100): want */
	B_SEND,		/* Redis applies and answers: counter_acked's want */
	B_LOSE,		/* Redis applies, its answer is lost */
	B_DROP,		/* the batch never reaches Redis */
	B_READ,		/* a reading, no batch: counter_acked's want */
	B_RESTART,	/* flush, free, open the file again, bind */
	B_OTHERS,	/* another instance adds arg visits and views of /a */
	B_LAST,		/* Redis's last batch of the instance becomes arg */
	B_SEQ		/* the pending batch's number is arg (0: none) */
};

struct bstep {
	enum bop	 op;
	int		 arg, arg2, want;
};

struct redis_model {
	unsigned long long	 last, site, views[2];
};

static const char *const bpaths[] = { "/a", "/b" };

static const struct {
	const char		*name;
	struct bstep		 steps[16];
	unsigned long long	 site, a, b;	/* Redis at the end */
	unsigned long long	 shown_a;	/* views of /a shown */
} batch_cases[] = {
	{ "one batch", { { B_READ, 0, 0, COUNTER_ACK_OK },
	    { B_HIT, 3, 0, 0 }, { B_HIT, 1, 1, 0 }, { B_FORM, 1, 0, 0 },
	    { B_SEQ, 1, 0, 0 }, { B_SEND, 0, 0, COUNTER_ACK_OK },
	    { B_SEQ, 0, 0, 0 }, { B_FORM, 0, 0, 0 } }, 4, 3, 1, 3 },
	{ "nothing counted, nothing formed", { { B_FORM, 0, 0, 0 },
	    { B_SEQ, 0, 0, 0 } }, 0, 0, 0, 0 },
	{ "an answer lost: sent again, counted once", {
	    { B_HIT, 2, 0, 0 }, { B_FORM, 1, 0, 0 }, { B_LOSE, 0, 0, 0 },
	    { B_HIT, 1, 0, 0 }, { B_FORM, 0, 0, 0 }, { B_SEQ, 1, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK }, { B_FORM, 1, 0, 0 },
	    { B_SEQ, 2, 0, 0 }, { B_SEND, 0, 0, COUNTER_ACK_OK } },
	    3, 3, 0, 3 },
	{ "lost twice, then answered", { { B_HIT, 2, 1, 0 },
	    { B_FORM, 1, 0, 0 }, { B_LOSE, 0, 0, 0 }, { B_LOSE, 0, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 2, 0, 2, 0 },
	{ "never delivered: sent again", { { B_HIT, 2, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_DROP, 0, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 2, 2, 0, 2 },
	{ "restart with a batch pending: the same batch again", {
	    { B_HIT, 4, 0, 0 }, { B_FORM, 1, 0, 0 }, { B_LOSE, 0, 0, 0 },
	    { B_HIT, 1, 1, 0 }, { B_RESTART, 0, 0, 0 }, { B_SEQ, 1, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK }, { B_HIT, 1, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_SEND, 0, 0, COUNTER_ACK_OK } },
	    6, 5, 1, 5 },
	{ "restart before a batch: the unsent counts kept", {
	    { B_HIT, 2, 0, 0 }, { B_HIT, 3, 2, 0 }, { B_RESTART, 0, 0, 0 },
	    { B_RESTART, 0, 0, 0 }, { B_FORM, 1, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 5, 2, 0, 2 },
	{ "at most max paths a batch", { { B_HIT, 1, 0, 0 },
	    { B_HIT, 2, 1, 0 }, { B_FORM, 1, 1, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK }, { B_FORM, 1, 1, 0 },
	    { B_SEQ, 2, 0, 0 }, { B_SEND, 0, 0, COUNTER_ACK_OK },
	    { B_FORM, 0, 1, 0 } }, 3, 1, 2, 1 },
	{ "Redis's totals and the unsent shown", { { B_OTHERS, 100, 0, 0 },
	    { B_HIT, 2, 0, 0 }, { B_FORM, 1, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK }, { B_HIT, 1, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_DROP, 0, 0, 0 } }, 102, 102, 0, 103 },
	/* a journal that starts afresh learns its number from Redis
	 * first, or its batches would be taken for old ones */
	{ "a new journal reads its number first", { { B_LAST, 5, 0, 0 },
	    { B_READ, 0, 0, COUNTER_ACK_OK }, { B_HIT, 1, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_SEQ, 6, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 1, 1, 0, 1 },
	{ "batches it did not send: another has its name", {
	    { B_HIT, 1, 0, 0 }, { B_FORM, 1, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK }, { B_LAST, 9, 0, 0 },
	    { B_READ, 0, 0, COUNTER_ACK_AHEAD }, { B_HIT, 1, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_SEQ, 10, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 2, 2, 0, 2 },
	{ "Redis lost its data: numbering goes on", { { B_HIT, 1, 0, 0 },
	    { B_FORM, 1, 0, 0 }, { B_SEND, 0, 0, COUNTER_ACK_OK },
	    { B_LAST, 0, 0, 0 }, { B_READ, 0, 0, COUNTER_ACK_BEHIND },
	    { B_HIT, 1, 0, 0 }, { B_FORM, 1, 0, 0 }, { B_SEQ, 2, 0, 0 },
	    { B_SEND, 0, 0, COUNTER_ACK_OK } }, 2, 2, 0, 2 },
};

/* The script's effect on the model; its answer given to c if answer. */
static int
model_send(struct counter *c, struct redis_model *m, int answer)
{
	const struct counter_batch	*b = counter_pending(c);
	size_t				 i, e, k;
	int				 r;

	if (b != NULL && b->seq > m->last) {
		m->last = b->seq;
		m->site += b->site;
		for (i = 0; i < b->nitems; i++)
			for (k = 0; k < 2; k++)
				if (strcmp(counter_path(c, b->items[i].ent),
				    bpaths[k]) == 0)
					m->views[k] += b->items[i].n;
	}
	if (!answer)
		return -1;
	r = counter_acked(c, m->last);
	counter_set_site(c, m->site);
	for (e = 0; e < counter_npaths(c); e++)
		for (k = 0; k < 2; k++)
			if (counter_path(c, e) != NULL &&
			    strcmp(counter_path(c, e), bpaths[k]) == 0)
				counter_set_views(c, e, m->views[k]);
	counter_rebase(c);
	return r;
}

static struct counter *
batch_open(const char *file, struct fake *f)
{
	struct counter	*c;
	char		 err[256];

	if ((c = counter_open(file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	CHECK(counter_journal(c, "h:1965") == 0);
	CHECK(counter_bind(c, &f->site) == 0);
	return c;
}

static void
batch_step(struct counter **cp, const char *file, struct fake *f,
    struct redis_model *m, const struct bstep *st, size_t ci, size_t si)
{
	struct counter			*c = *cp;
	const struct counter_batch	*b;
	int				 i, got = 0, want = st->want;

	switch (st->op) {
	case B_HIT:
		for (i = 0; i < st->arg; i++)
			counter_hit(c, st->arg2 == 2 ? -1 : st->arg2);
		return;
	case B_FORM:
		counter_fold(c);
		got = counter_form(c, st->arg2 ? (size_t)st->arg2 : 100);
		want = st->arg;
		break;
	case B_SEND:
		got = model_send(c, m, 1);
		break;
	case B_LOSE:
		model_send(c, m, 0);
		return;
	case B_DROP:
		return;
	case B_READ:
		counter_fold(c);
		CHECK(counter_pending(c) == NULL);
		got = model_send(c, m, 1);
		break;
	case B_RESTART:
		CHECK(counter_flush(c) == 0);
		counter_free(c);
		*cp = c = batch_open(file, f);
		return;
	case B_OTHERS:
		m->site += (unsigned long long)st->arg;
		m->views[0] += (unsigned long long)st->arg;
		return;
	case B_LAST:
		m->last = (unsigned long long)st->arg;
		return;
	case B_SEQ:
		b = counter_pending(c);
		got = b != NULL ? (int)b->seq : 0;
		want = st->arg;
		break;
	case B_END:
		return;
	}
	if (got != want)
		fprintf(stderr, "batch case %zu (%s), step %zu: got %d, want "
		    "%d\n", ci, batch_cases[ci].name, si, got, want);
	CHECK_INT(got, want);
}

static void
test_batches(void)
{
	struct counter		*c;
	struct redis_model	 m;
	struct fake		 f;
	char			*d, *file;
	size_t			 i, k;

	for (i = 0; i < sizeof(batch_cases) / sizeof(batch_cases[0]); i++) {
		d = tmpdir();
		file = join(d, "counters");
		fake_init(&f, bpaths, 2);
		memset(&m, 0, sizeof(m));
		c = batch_open(file, &f);
		for (k = 0; batch_cases[i].steps[k].op != B_END; k++)
			batch_step(&c, file, &f, &m, &batch_cases[i].steps[k],
			    i, k);
		if (m.site != batch_cases[i].site || m.views[0] !=
		    batch_cases[i].a || m.views[1] != batch_cases[i].b)
			fprintf(stderr, "batch case %zu (%s): Redis has %llu "
			    "%llu %llu\n", i, batch_cases[i].name, m.site,
			    m.views[0], m.views[1]);
		CHECK_INT(m.site, batch_cases[i].site);
		CHECK_INT(m.views[0], batch_cases[i].a);
		CHECK_INT(m.views[1], batch_cases[i].b);
		CHECK_INT(counter_views(c, 0), batch_cases[i].shown_a);
		counter_free(c);
		fake_free(&f);
		free(file);
		rm_rf(d);
	}
}

/*
 * A kill at each step of a flush, and of the start after it: every
 * count comes back once. A run counts in two generations (an old
 * worker finishing after the reload), then stops at its crash point
 * (counter_free without a flush: a kill leaves the files as they
 * are). The steps a kill can fall between are made by hand: a rename
 * that fails (a folder where the file goes), a counts file removed and
 * put back (its hard link, made before the flush).
 */
enum crash {
	C_NO_FLUSH,		/* counts since the last flush, in the file */
	C_BEFORE_RENAME,	/* columns written, counter file not renamed */
	C_BEFORE_UNLINK,	/* renamed, the retired file not removed */
	C_AFTER_FLUSH,		/* a whole flush, then a visit */
	C_STOP_BEFORE_UNLINK	/* the flush at stop, its files not removed */
};
enum restart {
	S_KILLED,		/* the start is killed before its flush */
	S_BEFORE_UNLINK,	/* ... after its flush's rename */
	S_FLUSHED		/* ... after its flush */
};

static const struct {
	const char	*name;
	enum crash	 at;
	enum restart	 then;
	int		 journal;	/* backend = redis: unsent too */
} crash_cases[] = {
	{ "no flush since the counts", C_NO_FLUSH, S_FLUSHED, 0 },
	{ "no flush, the start killed too", C_NO_FLUSH, S_KILLED, 0 },
	{ "no flush, the start before its unlink", C_NO_FLUSH,
	    S_BEFORE_UNLINK, 0 },
	{ "columns written, no rename", C_BEFORE_RENAME, S_FLUSHED, 0 },
	{ "columns written, no rename, start killed", C_BEFORE_RENAME,
	    S_KILLED, 0 },
	{ "renamed, retired file kept", C_BEFORE_UNLINK, S_FLUSHED, 0 },
	{ "renamed, retired file kept, start before its unlink",
	    C_BEFORE_UNLINK, S_BEFORE_UNLINK, 0 },
	{ "a whole flush, then a visit", C_AFTER_FLUSH, S_FLUSHED, 0 },
	{ "the stop's files kept", C_STOP_BEFORE_UNLINK, S_KILLED, 0 },
	{ "journal: no flush", C_NO_FLUSH, S_FLUSHED, 1 },
	{ "journal: columns written, no rename", C_BEFORE_RENAME,
	    S_KILLED, 1 },
	{ "journal: renamed, retired file kept", C_BEFORE_UNLINK,
	    S_BEFORE_UNLINK, 1 },
	{ "journal: a whole flush, then a visit", C_AFTER_FLUSH, S_FLUSHED,
	    1 },
	{ "journal: the stop's files kept", C_STOP_BEFORE_UNLINK,
	    S_FLUSHED, 1 },
};

/* The counts of a run: visits, views of /a and /b */
#define CRASH_SITE	17
#define CRASH_A		11
#define CRASH_B		6

static void
hits(struct counter *c, int slot, int n)
{
	while (n-- > 0)
		counter_hit(c, slot);
}

/* A hard link "<name>.keep" to each counts file of dir, or each one
 * put back where a flush removed it. */
static void
counts_links(const char *dir, int back)
{
	DIR		*d;
	struct dirent	*e;
	char		 a[512], b[512];
	size_t		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "counters.counts.", 16) != 0)
			continue;
		n = strlen(e->d_name);
		if (back && (n < 5 || strcmp(e->d_name + n - 5, ".keep") != 0))
			continue;
		if (!back && n >= 5 && strcmp(e->d_name + n - 5, ".keep") == 0)
			continue;
		snprintf(a, sizeof(a), "%s/%s", dir, e->d_name);
		snprintf(b, sizeof(b), "%s/%.*s", dir, (int)(back ? n - 5 : n),
		    e->d_name);
		if (back) {
			(void)link(a, b);
			unlink(a);
		} else {
			strncat(a, ".keep", sizeof(a) - strlen(a) - 1);
			CHECK(link(b, a) == 0);
		}
	}
	closedir(d);
}

/* A flush killed after its rename, before it removed a counts file */
static void
flush_unlink_lost(struct counter *c, const char *dir)
{
	counts_links(dir, 0);
	CHECK(counter_flush(c) == 0);
	counts_links(dir, 1);
}

/* The run up to its crash point. */
static void
crash_run(const char *dir, const char *file, struct fake *f, enum crash at,
    int journal)
{
	struct counter	*c;
	char		 err[256], *aside;
	pid_t		 old;
	int		 go[2];

	if ((c = counter_open(file, err, sizeof(err))) == NULL ||
	    pipe(go) == -1)
		exit(1);
	if (journal)
		CHECK(counter_journal(c, "h:1965") == 0);
	CHECK(counter_bind(c, &f->site) == 0);
	hits(c, 0, 5);
	CHECK(counter_flush(c) == 0);
	hits(c, 0, 3);
	hits(c, 1, 2);
	old = late_child(c, go[0], 0, 1);	/* busy across the reload */
	CHECK(counter_flush(c) == 0);
	CHECK(counter_bind(c, &f->site) == 0);
	hits(c, 1, 4);
	CHECK(write(go[1], "x", 1) == 1);
	CHECK(reap(old));
	counter_retire(c);
	hits(c, 0, 2);
	close(go[0]);
	close(go[1]);
	switch (at) {
	case C_NO_FLUSH:
		break;
	case C_BEFORE_RENAME:
		aside = join(dir, "aside");
		CHECK(rename(file, aside) == 0 && mkdir(file, 0700) == 0);
		CHECK(counter_flush(c) == -1);
		CHECK(rmdir(file) == 0 && rename(aside, file) == 0);
		free(aside);
		break;
	case C_BEFORE_UNLINK:
	case C_STOP_BEFORE_UNLINK:
		if (at == C_STOP_BEFORE_UNLINK)
			counter_unbind(c);
		flush_unlink_lost(c, dir);
		break;
	case C_AFTER_FLUSH:
		CHECK(counter_flush(c) == 0);
		hits(c, -1, 1);
		break;
	}
	counter_free(c);
}

/* What a start reads: exact counts, and the unsent ones as exact. */
static void
crash_expect(const char *file, size_t ci, const char *when)
{
	const struct counter_batch	*b;
	struct counter			*c;
	unsigned long long		 site = CRASH_SITE, a = 0, bv = 0;
	char				 err[256];
	size_t				 i;

	if (crash_cases[ci].at == C_AFTER_FLUSH)
		site++;
	if ((c = counter_open(file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "crash case %zu (%s), %s: %s\n", ci,
		    crash_cases[ci].name, when, err);
		CHECK(c != NULL);
		return;
	}
	if (counter_site(c) != site || counter_path_views(c, "/a") !=
	    CRASH_A || counter_path_views(c, "/b") != CRASH_B)
		fprintf(stderr, "crash case %zu (%s), %s: %llu %llu %llu\n",
		    ci, crash_cases[ci].name, when, counter_site(c),
		    counter_path_views(c, "/a"), counter_path_views(c, "/b"));
	CHECK_INT(counter_site(c), site);
	CHECK_INT(counter_path_views(c, "/a"), CRASH_A);
	CHECK_INT(counter_path_views(c, "/b"), CRASH_B);
	/* every count went to the journal: one batch holds them all */
	if (crash_cases[ci].journal) {
		CHECK_INT(counter_form(c, 100), 1);
		if ((b = counter_pending(c)) != NULL) {
			for (i = 0; i < b->nitems; i++)
				if (strcmp(counter_path(c, b->items[i].ent),
				    "/a") == 0)
					a = b->items[i].n;
				else
					bv = b->items[i].n;
			CHECK_INT(b->site, site);
			CHECK_INT(a, CRASH_A);
			CHECK_INT(bv, CRASH_B);
		}
	} else
		CHECK(!counter_unsent(c));
	counter_free(c);
}

static void
test_crash_points(void)
{
	static const char *const p[] = { "/a", "/b" };
	struct fake	 f;
	struct counter	*c;
	char		*d, *file, *log, *text, err[256];
	size_t		 i;
	int		 old, failed;

	for (i = 0; i < sizeof(crash_cases) / sizeof(crash_cases[0]); i++) {
		failed = t_fail;
		d = tmpdir();
		file = join(d, "counters");
		log = join(d, "log");
		fake_init(&f, p, 2);
		old = stderr_to(log);
		crash_run(d, file, &f, crash_cases[i].at,
		    crash_cases[i].journal);
		crash_expect(file, i, "at the start");
		if ((c = counter_open(file, err, sizeof(err))) == NULL)
			exit(1);
		CHECK(counter_recovered(c));
		switch (crash_cases[i].then) {
		case S_KILLED:
			break;
		case S_BEFORE_UNLINK:
			flush_unlink_lost(c, d);
			break;
		case S_FLUSHED:
			CHECK(counter_flush(c) == 0);
			CHECK_INT(count_tmp(d, "counters.counts."), 0);
			break;
		}
		counter_free(c);
		crash_expect(file, i, "at the start after");
		/* a clean flush: the file alone holds them, exactly */
		if ((c = counter_open(file, err, sizeof(err))) == NULL)
			exit(1);
		CHECK(counter_flush(c) == 0);
		counter_free(c);
		CHECK_INT(count_tmp(d, "counters.counts."), 0);
		crash_expect(file, i, "from the file alone");
		stderr_back(old);
		/* the failures, with what bantin logged around them */
		if (t_fail != failed && (text = read_text(log)) != NULL) {
			fputs(text, stderr);
			free(text);
		}
		fake_free(&f);
		free(file);
		free(log);
		rm_rf(d);
	}
}

int
main(void)
{
	test_batches();
	test_last_good();
	test_cut_points();
	test_old_format();
	test_escaped_paths();
	test_parse();
	test_open_errors();
	test_round_trip();
	test_no_bind();
	test_fork();
	test_reload();
	test_kept_from();
	test_patched_bind();
	test_overlapping_reloads();
	test_removed_kept();
	test_flush_failure();
	test_big();
	test_map_memory();
	test_kill9();
	test_crash_points();
	test_format();
	return t_done("test_counter");
}
