/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * counter_map.c: one generation's counts in a file, mapped shared. The
 * file, "<counter file>.counts.<generation>", is
 *
 *	the head (CMAP_HEAD bytes): magic, version, the number of slots,
 *	    the string table's length and checksum, the two columns'
 *	    tags, the journal's instance;
 *	the slots: the site's on a cache line of its own, then one per
 *	    article, base and delta (struct cshm);
 *	two columns of nslots + 1 counts: what the master had taken of
 *	    the site's delta and of each slot's, as of the counter file
 *	    whose number tags the column;
 *	the string table: the path of each slot, NUL after each.
 *
 * 32 bytes an article and its path: about 8 MB for 100,000 articles.
 * Its blocks are allocated when it is made, so that a full disk fails
 * the making (counter.c counts in memory then) rather than a worker's
 * first write to a page (SIGBUS). It is made under a temporary name
 * and linked to its own once whole, so a file under that name has
 * its head and paths in the page cache; written back to the disk by
 * the master's flush (cmap_sync) before each counter file, so after a
 * power cut too, but for a file cut before its first flush: its magic
 * or checksum then says so.
 *
 * Workers touch the slots only. The master writes a column before it
 * writes the counter file it is tagged with, never the column tagged
 * with the counter file on disk: that one stays whole whatever stops
 * the master, and says what of the deltas that file holds.
 */

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counter_map.h"

#define CMAP_MAGIC	"bantinct"
#define CMAP_VERSION	1
#define CMAP_HEAD	256	/* the slots start here, a cache line */

struct cmap_head {
	char			 magic[8];	/* CMAP_MAGIC, written last */
	uint32_t		 version;
	uint32_t		 headlen;	/* CMAP_HEAD */
	uint64_t		 nslots;
	uint64_t		 strlen;	/* the string table's bytes */
	uint64_t		 sum;		/* its FNV-1a, and nslots' */
	unsigned long long	 tag[2];	/* each column's counter file */
	char			 inst[CMAP_NAME_MAX + 1];
};

_Static_assert(sizeof(struct cmap_head) <= CMAP_HEAD, "head too big");
_Static_assert(CMAP_HEAD % CMAP_CACHELINE == 0, "slots off a line");

struct layout {
	size_t		 col, str, len;	/* offsets; the file's length */
};

/* Where the parts of a file of n slots and slen bytes of paths go;
 * -1 if it cannot be that big. */
static int
layout(size_t n, size_t slen, struct layout *l)
{
	size_t	 colbytes;

	if (n > (SIZE_MAX - CMAP_HEAD - sizeof(struct cshm)) / 64)
		return -1;
	l->col = CMAP_HEAD + sizeof(struct cshm) + n * sizeof(struct cslot);
	colbytes = (n + 1) * sizeof(unsigned long long);
	l->str = l->col + 2 * colbytes;
	if (slen > SIZE_MAX - l->str)
		return -1;
	l->len = l->str + slen;
	return 0;
}

/* FNV-1a of the slot count and the string table */
static uint64_t
checksum(uint64_t n, const char *s, size_t len)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < sizeof(n); i++) {
		h ^= (n >> (8 * i)) & 0xff;
		h *= 1099511628211ULL;
	}
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The parts of a mapping whose layout is l */
static void
point(struct cmap *m, const struct layout *l, size_t n)
{
	char	*b = m->base;

	m->head = (struct cmap_head *)(void *)b;
	m->shm = (struct cshm *)(void *)(b + CMAP_HEAD);
	m->nslots = n;
	m->col[0] = (unsigned long long *)(void *)(b + l->col);
	m->col[1] = m->col[0] + n + 1;
	m->strs = b + l->str;
}

int
cmap_make(struct cmap *m, const char *path, size_t n,
    const char *const *paths, unsigned long long tag, const char *inst)
{
	struct layout	 l;
	char		*tmp = NULL, *s;
	size_t		 i, slen = 0, k;
	int		 fd = -1, saved, r;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		slen += strlen(paths[i]) + 1;
	if (layout(n, slen, &l) == -1 || l.len > (size_t)INT64_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (strlen(inst) > CMAP_NAME_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((m->path = strdup(path)) == NULL ||
	    asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) == -1) {
		tmp = NULL;
		goto fail;
	}
	(void)unlink(tmp);
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		goto fail;
	if ((r = posix_fallocate(fd, 0, (off_t)l.len)) != 0) {
		errno = r;
		goto fail;
	}
	m->base = mmap(NULL, l.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		goto fail;
	}
	m->len = l.len;
	close(fd);		/* the workers inherit the mapping alone */
	fd = -1;
	point(m, &l, n);
	for (i = 0, s = (char *)m->base + l.str; i < n; i++) {
		k = strlen(paths[i]) + 1;
		memcpy(s, paths[i], k);
		s += k;
	}
	m->head->version = CMAP_VERSION;
	m->head->headlen = CMAP_HEAD;
	m->head->nslots = n;
	m->head->strlen = slen;
	m->head->sum = checksum(n, m->strs, slen);
	m->head->tag[0] = m->head->tag[1] = tag;
	memcpy(m->head->inst, inst, strlen(inst) + 1);
	memcpy(m->head->magic, CMAP_MAGIC, sizeof(m->head->magic));
	/* never over another file of that name */
	if (link(tmp, path) == -1)
		goto fail;
	(void)unlink(tmp);
	free(tmp);
	return 0;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	cmap_close(m);
	errno = saved;
	return -1;
}

int
cmap_anon(struct cmap *m, size_t n)
{
	memset(m, 0, sizeof(*m));
	if (n > (SIZE_MAX - sizeof(struct cshm)) / sizeof(struct cslot)) {
		errno = ENOMEM;
		return -1;
	}
	m->len = sizeof(struct cshm) + n * sizeof(struct cslot);
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		return -1;
	}
	m->shm = m->base;
	m->nslots = n;
	return 0;
}

/* The head and string table of a mapped file of len bytes make sense;
 * its layout into l. NULL, or why not. */
static const char *
check(const struct cmap_head *h, size_t len, struct layout *l)
{
	const char	*s;
	size_t		 i, nuls = 0;

	if (len < CMAP_HEAD || memcmp(h->magic, CMAP_MAGIC,
	    sizeof(h->magic)) != 0)
		return "no head: cut before its first flush";
	if (h->version != CMAP_VERSION || h->headlen != CMAP_HEAD)
		return "a version this bantin does not read";
	if (h->nslots > len || h->strlen > len ||
	    layout((size_t)h->nslots, (size_t)h->strlen, l) == -1 ||
	    l->len != len)
		return "its size is not what its head says";
	s = (const char *)h + l->str;
	if (h->strlen > 0 && s[h->strlen - 1] != '\0')
		return "paths cut short";
	for (i = 0; i < h->strlen; i++)
		nuls += s[i] == '\0';
	if (nuls != h->nslots || checksum(h->nslots, s, (size_t)h->strlen) !=
	    h->sum)
		return "its paths are damaged";
	if (memchr(h->inst, '\0', sizeof(h->inst)) == NULL)
		return "its journal's name is damaged";
	return NULL;
}

int
cmap_open(struct cmap *m, const char *path, char *why, size_t whylen)
{
	struct layout	 l;
	struct stat	 st;
	const char	*bad;
	int		 fd, saved, flags = MAP_SHARED;

	memset(m, 0, sizeof(*m));
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno != EACCES && errno != EROFS && errno != EPERM)
			return -1;
		/* bantin -C import as another user: read it as it is */
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			return -1;
		flags = MAP_PRIVATE;
	}
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode) || st.st_size < CMAP_HEAD) {
		close(fd);
		snprintf(why, whylen, "%s", !S_ISREG(st.st_mode) ?
		    "not a file" : "no head: cut before its first flush");
		return -2;
	}
	m->len = (size_t)st.st_size;
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		goto fail;
	}
	close(fd);
	if ((bad = check(m->base, m->len, &l)) != NULL) {
		snprintf(why, whylen, "%s", bad);
		cmap_close(m);
		return -2;
	}
	if ((m->path = strdup(path)) == NULL) {
		cmap_close(m);
		return -1;
	}
	point(m, &l, (size_t)((struct cmap_head *)m->base)->nslots);
	return 0;
 fail:
	saved = errno;
	close(fd);
	cmap_close(m);
	errno = saved;
	return -1;
}

int
cmap_seen(const struct cmap *m, unsigned long long f,
    const unsigned long long **col)
{
	const unsigned long long	*t = m->head->tag;
	int				 k;

	if (t[0] == f || t[1] == f) {
		*col = m->col[t[0] == f ? 0 : 1];
		return CMAP_SEEN_EXACT;
	}
	if (f > t[0] && f > t[1])
		return CMAP_SEEN_ALL;
	/* the first written after f: less than f holds is taken, which
	 * loses what came between, never counts it twice */
	if (t[0] > f && t[1] > f)
		k = t[0] < t[1] ? 0 : 1;
	else
		k = t[0] > f ? 0 : 1;
	*col = m->col[k];
	return CMAP_SEEN_AFTER;
}

void
cmap_write(struct cmap *m, unsigned long long last, unsigned long long next,
    unsigned long long site_seen, const unsigned long long *seen)
{
	unsigned long long	*t, *c;
	size_t			 i;
	int			 k;

	if (m->head == NULL)
		return;
	t = m->head->tag;
	if (t[0] == last)
		k = 1;
	else if (t[1] == last)
		k = 0;
	else
		k = t[0] <= t[1] ? 0 : 1;
	c = m->col[k];
	/* only what changed: pages no hit touched stay clean */
	if (c[0] != site_seen)
		c[0] = site_seen;
	for (i = 0; i < m->nslots; i++)
		if (c[1 + i] != seen[i])
			c[1 + i] = seen[i];
	t[k] = next;
}

int
cmap_sync(struct cmap *m)
{
	if (m->head == NULL)
		return 0;
	return msync(m->base, m->len, MS_SYNC);
}

const char *
cmap_journal(const struct cmap *m)
{
	return m->head != NULL ? m->head->inst : "";
}

void
cmap_set_journal(struct cmap *m, const char *inst)
{
	size_t	 n = strlen(inst);

	if (m->head == NULL || n > CMAP_NAME_MAX ||
	    strcmp(m->head->inst, inst) == 0)
		return;
	memcpy(m->head->inst, inst, n + 1);
}

void
cmap_close(struct cmap *m)
{
	if (m->base != NULL)
		munmap(m->base, m->len);
	free(m->path);
	memset(m, 0, sizeof(*m));
}
