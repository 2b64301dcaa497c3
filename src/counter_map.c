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
 * Only the head, slots and columns are mapped: the paths are written
 * with pwrite() and read only by a start that takes in a file left
 * behind (cmap_open), so that at a million articles some 50 MB of
 * paths are not in the master's memory. The master writes a column's
 * slots only where a hit moved them (a bit a slot and column), and
 * the slots' bases only where a count is not 0: the pages no count
 * reached are never mapped in.
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

#define FNV_OFFSET	14695981039346656037ULL

/* FNV-1a over s[0..len), from h */
static uint64_t
fnv(uint64_t h, const char *s, size_t len)
{
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* FNV-1a of the slot count, from its bytes low first */
static uint64_t
fnv_count(uint64_t n)
{
	uint64_t	 h = FNV_OFFSET;
	size_t		 i;

	for (i = 0; i < sizeof(n); i++) {
		h ^= (n >> (8 * i)) & 0xff;
		h *= 1099511628211ULL;
	}
	return h;
}

/* FNV-1a of the slot count and the string table */
static uint64_t
checksum(uint64_t n, const char *s, size_t len)
{
	return fnv(fnv_count(n), s, len);
}

/* The hot bits of n slots, mapped shared for the workers to set */
static int
hot_map(struct cmap *m, size_t n)
{
	void	*p;

	p = mmap(NULL, (n / 64 + 1) * sizeof(uint64_t), PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	m->hot = p;
	return 0;
}

/* The dirty bits of n slots, both columns: all set (0), or none. */
static int
dirty_alloc(struct cmap *m, size_t n, int all)
{
	size_t	 w = n / 64 + 1;

	if ((m->dirty[0] = calloc(2 * w, sizeof(uint64_t))) == NULL)
		return -1;
	m->dirty[1] = m->dirty[0] + w;
	if (all)
		memset(m->dirty[0], 0xff, 2 * w * sizeof(uint64_t));
	return 0;
}

/* p[0..len) at off of fd, whole */
static int
pwrite_all(int fd, const char *p, size_t len, off_t off)
{
	ssize_t	 w;

	while (len > 0) {
		if ((w = pwrite(fd, p, len, off)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
		off += (off_t)w;
	}
	return 0;
}

/* paths[0..n) at off of fd, NUL after each, a buffer at a time (a
 * path longer than it on its own); their checksum into *sum */
static int
put_paths(int fd, off_t off, size_t n, const char *const *paths,
    uint64_t *sum)
{
	char		 buf[65536];
	size_t		 i, k, used = 0;
	uint64_t	 h = fnv_count(n);

	for (i = 0; i < n; i++) {
		k = strlen(paths[i]) + 1;
		if (used + k > sizeof(buf)) {
			if (pwrite_all(fd, buf, used, off) == -1)
				return -1;
			h = fnv(h, buf, used);
			off += (off_t)used;
			used = 0;
		}
		if (k > sizeof(buf)) {
			if (pwrite_all(fd, paths[i], k, off) == -1)
				return -1;
			h = fnv(h, paths[i], k);
			off += (off_t)k;
			continue;
		}
		memcpy(buf + used, paths[i], k);
		used += k;
	}
	if (used > 0 && pwrite_all(fd, buf, used, off) == -1)
		return -1;
	*sum = fnv(h, buf, used);
	return 0;
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
	char		*tmp = NULL;
	uint64_t	 sum;
	size_t		 i, slen = 0;
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
	if (put_paths(fd, (off_t)l.str, n, paths, &sum) == -1 ||
	    dirty_alloc(m, n, 0) == -1 || hot_map(m, n) == -1)
		goto fail;
	/* the head, slots and columns: the paths are not mapped */
	m->base = mmap(NULL, l.str, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		goto fail;
	}
	m->len = l.str;
	close(fd);		/* the workers inherit the mapping alone */
	fd = -1;
	point(m, &l, n);
	m->strs = NULL;
	m->unsynced = 1;
	m->head->version = CMAP_VERSION;
	m->head->headlen = CMAP_HEAD;
	m->head->nslots = n;
	m->head->strlen = slen;
	m->head->sum = sum;
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
	if (hot_map(m, n) == -1) {
		cmap_close(m);
		return -1;
	}
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
	/* what its columns hold of seen is not known: all written again */
	if ((m->path = strdup(path)) == NULL ||
	    dirty_alloc(m, (size_t)((struct cmap_head *)m->base)->nslots,
	    1) == -1) {
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
	uint64_t		*d, w;
	size_t			 i, j;
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
	d = m->dirty[k];
	/* only what changed: pages no hit touched stay clean, unread */
	if (c[0] != site_seen)
		c[0] = site_seen;
	for (j = 0; j <= m->nslots / 64; j++) {
		for (w = d[j]; w != 0; w &= w - 1) {
			i = j * 64 + (size_t)__builtin_ctzll(w);
			if (i < m->nslots && c[1 + i] != seen[i])
				c[1 + i] = seen[i];
		}
		d[j] = 0;
	}
	t[k] = next;
}

int
cmap_sync(struct cmap *m)
{
	int	 fd, r;

	if (m->head == NULL)
		return 0;
	if (m->unsynced) {
		/* the paths, written with pwrite(): once. A file no longer
		 * there (its folder removed) has nothing to keep: the
		 * mapping goes on counting, and the counter file takes
		 * its counts */
		if ((fd = open(m->path, O_RDONLY | O_NOFOLLOW |
		    O_CLOEXEC)) == -1) {
			if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		} else {
			r = fdatasync(fd);
			close(fd);
			if (r == -1)
				return -1;
		}
		m->unsynced = 0;
	}
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
	if (m->hot != NULL)
		munmap(m->hot, (m->nslots / 64 + 1) * sizeof(uint64_t));
	free(m->dirty[0]);
	free(m->path);
	memset(m, 0, sizeof(*m));
}
