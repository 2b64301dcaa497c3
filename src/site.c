/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site.c: scans the capsule tree into an immutable snapshot: categories
 * (folders, nested), articles sorted newest first, attachments and
 * static pages, the date index, and a hash from URL path to node. The
 * snapshot holds metadata only; bodies are read again, through rootfd,
 * when an article is served, so that a 100,000-article site fits on a
 * Raspberry Pi. Strings and structs live in one arena that site_free()
 * drops at once. A problem with one file is a warning and that file is
 * skipped; only an unusable root fails the load. Nothing here knows
 * about requests or protocols.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include <iniparser.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "gemtext.h"
#include "log.h"
#include "site.h"
#include "utf8.h"

#define ARENA_CHUNK	65536

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	max_align_t	 data[];
};

struct slot {				/* one hash table entry */
	const char	*key;		/* NULL: empty */
	void		*ptr;		/* category, article or file */
	uint32_t	 hash;
	uint32_t	 lentype;	/* key length << 3 | node type */
};

struct site_priv {			/* behind site->index */
	struct slot	*tab;
	size_t		 cap, n;	/* cap is a power of two */
	struct chunk	*chunks;
};

struct dent {				/* one directory entry while scanning */
	char		*name;
	char		*src;		/* physical path below root */
	mode_t		 mode;		/* of the link target for links */
	off_t		 size;
	struct timespec	 mtime;
	dev_t		 dev;
	ino_t		 ino;
};

struct dir {
	struct dent	*ents;		/* sorted by name */
	size_t		 n;
	struct dent	 ini;		/* _category.ini if ini.src != NULL */
};

struct scan {				/* also walks for site_stamp() */
	struct site	*s;		/* NULL: site_stamp, no warnings */
	struct site_priv *p;
	struct catalog	*catalog;
	int		 rootfd;
	const char	*rootreal;
	size_t		 rootlen;
	unsigned long long stamp;	/* site_stamp's sum */
	dev_t		 devs[SITE_DEPTH_MAX + 2];	/* folders being */
	ino_t		 inos[SITE_DEPTH_MAX + 2];	/* walked: loops */
	size_t		 artcap, filecap, pagecap;
	struct buf	 src;		/* a source file, reused */
	struct buf	 body;		/* its gemtext, for the catalog */
};

static unsigned long	 site_serial;	/* snapshots made by this process */

static const char *const reserved_top[] = {
	"date", "search", "stats", "atom.xml", "caps.txt"
};
static const char *const reserved_sub[] = { "page", "atom.xml" };

static void	*arena_alloc(struct site_priv *, size_t);
static void	*arena_bytes(struct site_priv *, size_t, size_t);
static char	*arena_strdup(struct site_priv *, const char *);
static char	*arena_cat(struct site_priv *, const char *, const char *,
		    size_t);
static uint32_t	 hash_str(uint32_t, const char *, size_t);
static struct slot *index_get(const struct site_priv *, const char *,
		    size_t, int, uint32_t);
static int	 index_put(struct site_priv *, const char *, int, void *);
static void	 warn(struct scan *, const char *, const char *, int,
		    const char *, ...) __attribute__((format(printf, 5, 6)));
static int	 resolve(struct scan *, const char *, const char *,
		    int, struct dent *);
static int	 read_dir(struct scan *, const char *, const char *,
		    struct dir *);
static void	 dir_free(struct dir *);
static int	 descend(struct scan *, const char *, const struct dent *,
		    int);
static int	 scan_dir(struct scan *, const char *, const char *, int,
		    struct category **);
static int	 read_ini(struct scan *, struct category *, const char *);
static int	 add_file(struct scan *, const char *, struct dent *, int,
		    struct site_file **);
static int	 add_article(struct scan *, struct category *,
		    struct dent *);
static void	*grow(void *, size_t, size_t *, size_t);
static int	 open_below(int, const char *);
static int	 body_convert(const struct site *, const struct article *,
		    struct buf *, char *, size_t);
static int	 read_source(int, const char *, struct buf *, off_t *,
		    struct timespec *);
static int	 finish(struct scan *);

/* Arena: everything in the snapshot, freed in one go. */

static void *
arena_alloc(struct site_priv *p, size_t n)
{
	return arena_bytes(p, n, sizeof(max_align_t));
}

/* n bytes aligned to al (a power of two): strings need no alignment,
 * and with 100,000 articles the padding would add up */
static void *
arena_bytes(struct site_priv *p, size_t n, size_t al)
{
	struct chunk	*c = p->chunks;
	size_t		 cap, pad = 0;
	void		*r;

	if (c != NULL)
		pad = (al - c->used % al) % al;
	if (c == NULL || c->cap - c->used < n + pad) {
		cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		/* a big block goes behind the current chunk, whose free
		 * space stays in use for small ones */
		if (cap != ARENA_CHUNK && p->chunks != NULL) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
		pad = 0;
	}
	c->used += pad;
	r = (char *)c->data + c->used;
	c->used += n;
	memset(r, 0, n);
	return r;
}

static char *
arena_strdup(struct site_priv *p, const char *s)
{
	return s == NULL ? NULL : arena_cat(p, s, "", 0);
}

/* a followed by the first blen bytes of b */
static char *
arena_cat(struct site_priv *p, const char *a, const char *b, size_t blen)
{
	size_t	 alen = strlen(a);
	char	*r;

	if ((r = arena_bytes(p, alen + blen + 1, 1)) == NULL)
		return NULL;
	memcpy(r, a, alen);
	memcpy(r + alen, b, blen);
	r[alen + blen] = '\0';
	return r;
}

/* Path index: open addressing, FNV-1a, linear probing. */

static uint32_t
hash_str(uint32_t h, const char *s, size_t len)
{
	while (len-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

#define HASH_SEED	2166136261u

/* key[0..len), followed by a '/' if slash */
static struct slot *
index_get(const struct site_priv *p, const char *key, size_t len,
    int slash, uint32_t h)
{
	struct slot	*e;
	size_t		 i;

	if (p->cap == 0)
		return NULL;
	for (i = h & (p->cap - 1);; i = (i + 1) & (p->cap - 1)) {
		e = &p->tab[i];
		if (e->key == NULL)
			return NULL;
		if (e->hash == h && (e->lentype >> 3) == len + !!slash &&
		    memcmp(e->key, key, len) == 0 &&
		    (!slash || e->key[len] == '/'))
			return e;
	}
}

/* Returns 0, 1 if the key is taken (nothing stored), -1 on ENOMEM. */
static int
index_put(struct site_priv *p, const char *key, int type, void *ptr)
{
	struct slot	*tab, *e;
	size_t		 i, j, ncap, len = strlen(key);
	uint32_t	 h = hash_str(HASH_SEED, key, len);

	if (index_get(p, key, len, 0, h) != NULL)
		return 1;
	if ((p->n + 1) * 10 > p->cap * 7) {
		ncap = p->cap ? p->cap * 2 : 1024;
		if ((tab = calloc(ncap, sizeof(*tab))) == NULL)
			return -1;
		for (i = 0; i < p->cap; i++) {
			if (p->tab[i].key == NULL)
				continue;
			for (j = p->tab[i].hash & (ncap - 1);
			    tab[j].key != NULL; j = (j + 1) & (ncap - 1))
				;
			tab[j] = p->tab[i];
		}
		free(p->tab);
		p->tab = tab;
		p->cap = ncap;
	}
	for (i = h & (p->cap - 1); p->tab[i].key != NULL;
	    i = (i + 1) & (p->cap - 1))
		;
	e = &p->tab[i];
	e->key = key;
	e->ptr = ptr;
	e->hash = h;
	e->lentype = (uint32_t)(len << 3 | (size_t)type);
	p->n++;
	return 0;
}

/* Find the node a path names; see site.h. */
enum site_node_type
site_find(const struct site *s, const char *path, struct site_node *n)
{
	const struct site_priv	*p;
	struct slot		*e;
	struct site_node	 tmp;
	size_t			 len;
	uint32_t		 h;

	if (n == NULL)
		n = &tmp;
	memset(n, 0, sizeof(*n));
	if (s == NULL || path == NULL || (p = s->index) == NULL)
		return SITE_NONE;
	len = strlen(path);
	if (len >= (1u << 28))
		return SITE_NONE;
	h = hash_str(HASH_SEED, path, len);
	if ((e = index_get(p, path, len, 0, h)) == NULL) {
		/* a folder asked for without its slash: the key with one */
		if (len == 0 || path[len - 1] == '/')
			return SITE_NONE;
		h = hash_str(h, "/", 1);
		if ((e = index_get(p, path, len, 1, h)) == NULL)
			return SITE_NONE;
	}
	n->type = (enum site_node_type)(e->lentype & 7);
	switch (n->type) {
	case SITE_CATEGORY:
		n->cat = e->ptr;
		break;
	case SITE_ARTICLE:
		n->art = e->ptr;
		break;
	default:
		n->file = e->ptr;
		break;
	}
	return n->type;
}

/* Warnings: "path:line: reason", the path as the operator sees it. */

static void
warn(struct scan *sc, const char *dirurl, const char *name, int line,
    const char *fmt, ...)
{
	struct buf	*w, reason = BUF_INIT;
	va_list		 ap;

	if (sc->s == NULL)
		return;
	w = &sc->s->warnings;
	/* the url of a folder is "/x/": its path below root is "x/" */
	utf8_sanitize_line(w, dirurl + 1, strlen(dirurl + 1));
	utf8_sanitize_line(w, name, strlen(name));
	if (line > 0)
		buf_printf(w, ":%d", line);
	buf_puts(w, ": ");
	/* one line per warning, whatever a quoted value holds */
	va_start(ap, fmt);
	if (buf_vprintf(&reason, fmt, ap) == 0)
		utf8_sanitize_line(w, reason.data, reason.len);
	va_end(ap);
	buf_free(&reason);
	buf_putc(w, '\n');
	sc->s->nwarnings++;
}

/* Room for element n of arr: returns arr, moved, or NULL (ENOMEM). */
static void *
grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t	 ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 32;
	if ((arr = reallocarray(arr, ncap, size)) != NULL)
		*cap = ncap;
	return arr;
}

static int
hidden(const char *name)
{
	return name[0] == '.' || name[0] == '_';
}

/*
 * Stat one entry of srcdir into d. A symbolic link is followed only if
 * its target stays inside the root; d->src is then the target's path,
 * so that later openat(..., O_NOFOLLOW) meets no link. Returns 0, 1 to
 * skip the entry (warned if the operator should know), -1 on ENOMEM.
 */
static int
resolve(struct scan *sc, const char *srcdir, const char *url, int dfd,
    struct dent *d)
{
	struct stat	 st;
	char		*full = NULL, *real = NULL;
	int		 r;

	if (fstatat(dfd, d->name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		warn(sc, url, d->name, 0, "%s", strerror(errno));
		return 1;
	}
	if (!S_ISLNK(st.st_mode)) {
		r = *srcdir == '\0' ? asprintf(&d->src, "%s", d->name) :
		    asprintf(&d->src, "%s/%s", srcdir, d->name);
		if (r == -1) {
			d->src = NULL;
			return -1;
		}
		goto done;
	}
	if (asprintf(&full, "%s/%s%s%s", sc->rootreal, srcdir,
	    *srcdir == '\0' ? "" : "/", d->name) == -1)
		return -1;
	if ((real = realpath(full, NULL)) == NULL) {
		warn(sc, url, d->name, 0, "symbolic link: %s",
		    strerror(errno));
		free(full);
		return 1;
	}
	free(full);
	/* the root itself is inside: a link to it is a loop, found later */
	if (strncmp(real, sc->rootreal, sc->rootlen) != 0 ||
	    (real[sc->rootlen] != '/' && real[sc->rootlen] != '\0') ||
	    stat(real, &st) == -1) {
		warn(sc, url, d->name, 0, "symbolic link leaves the tree");
		free(real);
		return 1;
	}
	d->src = strdup(real[sc->rootlen] == '\0' ? "" :
	    real + sc->rootlen + 1);
	free(real);
	if (d->src == NULL)
		return -1;
done:
	d->mode = st.st_mode;
	d->size = st.st_size;
	d->mtime = st.st_mtim;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	return 0;
}

static int
dent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name,
	    ((const struct dent *)b)->name);
}

/* List srcdir, sorted by name so that scans are reproducible. */
static int
read_dir(struct scan *sc, const char *srcdir, const char *url,
    struct dir *dir)
{
	DIR		*dp;
	struct dirent	*de;
	struct dent	 d, *nd;
	size_t		 cap = 0;
	int		 dfd, r;

	memset(dir, 0, sizeof(*dir));
	dfd = openat(sc->rootfd, *srcdir == '\0' ? "." : srcdir,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd == -1 || (dp = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return 1;
	}
	r = 0;
	while ((de = readdir(dp)) != NULL) {
		memset(&d, 0, sizeof(d));
		if (hidden(de->d_name) &&
		    strcmp(de->d_name, "_category.ini") != 0)
			continue;
		if ((d.name = strdup(de->d_name)) == NULL) {
			r = -1;
			break;
		}
		if ((r = resolve(sc, srcdir, url, dfd, &d)) != 0) {
			free(d.name);
			if (r == -1)
				break;
			r = 0;
			continue;
		}
		if (strcmp(d.name, "_category.ini") == 0) {
			if (S_ISREG(d.mode) && dir->ini.src == NULL) {
				dir->ini = d;
				continue;
			}
			d.mode = 0;	/* never served */
		}
		/* fifos, sockets, devices: nothing to serve */
		if ((!S_ISREG(d.mode) && !S_ISDIR(d.mode)) ||
		    (nd = grow(dir->ents, dir->n, &cap,
		    sizeof(*nd))) == NULL) {
			free(d.name);
			free(d.src);
			if (!S_ISREG(d.mode) && !S_ISDIR(d.mode))
				continue;
			r = -1;
			break;
		}
		dir->ents = nd;
		dir->ents[dir->n++] = d;
	}
	closedir(dp);
	if (r == -1) {
		dir_free(dir);
		return -1;
	}
	if (dir->n > 0)
		qsort(dir->ents, dir->n, sizeof(*dir->ents), dent_cmp);
	return 0;
}

static void
dir_free(struct dir *dir)
{
	size_t	 i;

	for (i = 0; i < dir->n; i++) {
		free(dir->ents[i].name);
		free(dir->ents[i].src);
	}
	free(dir->ents);
	free(dir->ini.name);
	free(dir->ini.src);
	memset(dir, 0, sizeof(*dir));
}

static int
reserved(const char *name, int depth)
{
	size_t	 i;

	if (depth == 0) {
		for (i = 0; i < sizeof(reserved_top) / sizeof(*reserved_top);
		    i++)
			if (strcmp(name, reserved_top[i]) == 0)
				return 1;
		return 0;
	}
	for (i = 0; i < sizeof(reserved_sub) / sizeof(*reserved_sub); i++)
		if (strcmp(name, reserved_sub[i]) == 0)
			return 1;
	return 0;
}

/* NULL if a folder name may be a URL segment, else why not. */
static const char *
bad_folder_name(const char *s)
{
	const char	*why = NULL;

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return "non-ASCII folder name";
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			why = "unsafe folder name";
	}
	return why;
}

/* NULL if a file name may be served, else why not: it must be UTF-8
 * and hold nothing a link or a Gopher selector would break on. */
static const char *
bad_file_name(const char *s)
{
	size_t	 len = strlen(s);

	if (!utf8_valid(s, len))
		return "file name is not UTF-8";
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    strchr("?#%\\", *s) != NULL)
			return "unsafe file name";
	return NULL;
}

/* Callback state for iniparser, which reports through a global. */
static char	ini_msg[256];

static int
ini_error(const char *fmt, ...)
{
	va_list	 ap;

	if (ini_msg[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* a UTF-8 value from the ini, copied into the arena, NFC */
static int
ini_str(struct scan *sc, dictionary *d, const char *url, const char *key,
    char **dst)
{
	struct buf	 b = BUF_INIT;
	const char	*v;

	v = iniparser_getstring(d, key, NULL);
	if (v == NULL || *v == '\0')
		return 0;
	if (utf8_nfc(&b, v, strlen(v)) == -1) {
		warn(sc, url, "_category.ini", 0, "%s is not UTF-8",
		    strchr(key, ':') + 1);
		return 0;
	}
	*dst = arena_strdup(sc->p, b.data);
	buf_free(&b);
	return *dst == NULL ? -1 : 0;
}

static int
read_ini(struct scan *sc, struct category *c, const char *inisrc)
{
	dictionary	*d;
	const char	*v, *lp;
	char		*path = NULL, *end;
	long		 order;
	int		 r = 0;

	if (asprintf(&path, "%s/%s", sc->rootreal, inisrc) == -1)
		return -1;
	ini_msg[0] = '\0';
	iniparser_set_error_callback(ini_error);
	d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	free(path);
	if (d == NULL) {
		/* "syntax error in FILE (LINE):" names the line */
		lp = strrchr(ini_msg, '(');
		warn(sc, c->path, "_category.ini",
		    lp != NULL ? atoi(lp + 1) : 0, "%s",
		    strstr(ini_msg, "syntax") != NULL ? "syntax error" :
		    strstr(ini_msg, "too long") != NULL ? "line too long" :
		    "cannot read");
		return 0;
	}
	if (ini_str(sc, d, c->path, "category:title", &c->title) == -1 ||
	    ini_str(sc, d, c->path, "category:description",
	    &c->description) == -1)
		r = -1;
	if ((v = iniparser_getstring(d, "category:order", NULL)) != NULL) {
		errno = 0;
		order = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    order < INT_MIN || order > INT_MAX)
			warn(sc, c->path, "_category.ini", 0,
			    "bad order '%.32s'", v);
		else
			c->order = (int)order;
	}
	iniparser_freedict(d);
	return r;
}

/*
 * The title of a top-level gemtext page: its first heading, read from
 * the first few KB. NULL (errno 0) when it has none: the file name is
 * shown instead.
 */
static char *
page_title(struct scan *sc, struct dent *d)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	char			 head[4096];
	const char		*dot = strrchr(d->name, '.');
	ssize_t			 n;
	int			 fd;
	char			*t = NULL;

	errno = 0;
	if (dot == NULL || strcmp(dot, ".gmi") != 0 || sc->s == NULL)
		return NULL;
	if ((fd = open_below(sc->rootfd, d->src)) == -1)
		return NULL;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return NULL;
	gemtext_iter_init(&it, head, (size_t)n);
	while (gemtext_next(&it, &l)) {
		if (l.type != GEMTEXT_HEADING || l.textlen == 0)
			continue;
		if (!utf8_valid(l.text, l.textlen))
			break;
		t = arena_cat(sc->p, "", l.text, l.textlen);
		if (t == NULL)
			errno = ENOMEM;
		break;
	}
	if (t == NULL && errno != ENOMEM)
		errno = 0;
	return t;
}

/* An attachment or static page; *out is set for index.gmi lookups. */
static int
add_file(struct scan *sc, const char *url, struct dent *d, int page,
    struct site_file **out)
{
	struct site_file	*f;
	struct slot		*e;
	const char		*why;
	void			*v;
	int			 r;

	if ((why = bad_file_name(d->name)) != NULL) {
		warn(sc, url, d->name, 0, "%s", why);
		return 0;
	}
	if ((f = arena_alloc(sc->p, sizeof(*f))) == NULL ||
	    (f->path = arena_cat(sc->p, url, d->name,
	    strlen(d->name))) == NULL ||
	    (f->src = arena_strdup(sc->p, d->src)) == NULL)
		return -1;
	f->size = d->size;
	if (page && (f->title = page_title(sc, d)) == NULL && errno == ENOMEM)
		return -1;
	if ((r = index_put(sc->p, f->path, SITE_FILE, f)) == -1)
		return -1;
	if (r == 1) {
		e = index_get(sc->p, f->path, strlen(f->path), 0,
		    hash_str(HASH_SEED, f->path, strlen(f->path)));
		warn(sc, url, d->name, 0, "path %s is taken by %s", f->path,
		    (e->lentype & 7) == SITE_ARTICLE ?
		    ((struct article *)e->ptr)->src :
		    (e->lentype & 7) == SITE_FILE ?
		    ((struct site_file *)e->ptr)->src : "a folder");
		return 0;
	}
	if ((v = grow(sc->s->files, sc->s->nfiles, &sc->filecap,
	    sizeof(f))) == NULL)
		return -1;
	sc->s->files = v;
	sc->s->files[sc->s->nfiles++] = f;
	if (page) {
		if ((v = grow(sc->s->pages, sc->s->npages, &sc->pagecap,
		    sizeof(f))) == NULL)
			return -1;
		sc->s->pages = v;
		sc->s->pages[sc->s->npages++] = f;
	}
	if (out != NULL)
		*out = f;
	return 0;
}

/*
 * Open src below rootfd. openat2's RESOLVE_BENEATH also refuses a
 * folder that became a symbolic link after the scan; where the kernel
 * or a seccomp filter lacks it, O_NOFOLLOW guards the last component.
 */
static int
open_below(int rootfd, const char *src)
{
#ifdef SYS_openat2
	struct open_how	 how;
	long		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rootfd, src, &how, sizeof(how));
	if (fd != -1 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
#endif
	return openat(rootfd, src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

static long long
mtime_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* Read src (a listed file) whole into b; size and mtime as read. */
static int
read_source(int rootfd, const char *src, struct buf *b, off_t *size,
    struct timespec *mtime)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd, saved;

	buf_reset(b);
	if ((fd = open_below(rootfd, src)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (st.st_size > SITE_SOURCE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	if (buf_reserve(b, (size_t)st.st_size + 1) == -1)
		goto fail;
	for (;;) {
		if (b->cap - b->len < 2 && buf_reserve(b, 4096) == -1)
			goto fail;
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > SITE_SOURCE_MAX) {
			errno = EFBIG;
			goto fail;
		}
	}
	b->data[b->len] = '\0';
	close(fd);
	if (size != NULL)
		*size = st.st_size;
	if (mtime != NULL)
		*mtime = st.st_mtim;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

static const char *
fmt_ext(enum article_fmt fmt)
{
	switch (fmt) {
	case FMT_GMI:
		return ".gmi";
	case FMT_MD:
		return ".md";
	case FMT_TXT:
		return ".txt";
	default:
		return ".html";
	}
}

/* Wall-clock time of an mtime, encoded as UTC like header dates. */
static time_t
local_wall(time_t t)
{
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL)
		return t;
	return t + tm.tm_gmtoff;
}

static int
add_article(struct scan *sc, struct category *c, struct dent *d)
{
	struct article_meta	 m;
	struct article		*a;
	struct slot		*e;
	const char		*why, *reason;
	void			*v;
	char			 err[256], *end;
	char			*path = NULL;
	size_t			 slen;
	off_t			 size = d->size;
	struct timespec		 mts = d->mtime;
	time_t			 mtime;
	long			 line;
	int			 r = -1, got = 0;

	memset(&m, 0, sizeof(m));
	if ((why = bad_file_name(d->name)) != NULL) {
		warn(sc, c->path, d->name, 0, "%s", why);
		return 0;
	}
	slen = (size_t)(strrchr(d->name, '.') - d->name);
	if (asprintf(&path, "%s%.*s", c->path, (int)slen, d->name) == -1)
		return -1;
	/* names are sorted: the first of x.gmi and x.md wins */
	e = index_get(sc->p, path, strlen(path), 0,
	    hash_str(HASH_SEED, path, strlen(path)));
	if (e != NULL) {
		warn(sc, c->path, d->name, 0, "duplicate slug '%.*s' (%s is "
		    "served)", (int)slen, d->name,
		    (e->lentype & 7) == SITE_ARTICLE ?
		    ((struct article *)e->ptr)->src :
		    (e->lentype & 7) == SITE_FILE ?
		    ((struct site_file *)e->ptr)->src : "a folder");
		free(path);
		return 0;
	}
	if (size > SITE_SOURCE_MAX) {
		warn(sc, c->path, d->name, 0, "larger than %d bytes",
		    SITE_SOURCE_MAX);
		free(path);
		return 0;
	}
	if (sc->catalog != NULL)
		got = catalog_get(sc->catalog, d->src, (long long)size,
		    mtime_ns(&mts), &m) == 1;
	if (!got) {
		article_meta_free(&m);
		/* the catalog key is the mtime in nanoseconds: an edit in
		 * the same second as the last one is still seen */
		if (read_source(sc->rootfd, d->src, &sc->src, &size,
		    &mts) == -1) {
			warn(sc, c->path, d->name, 0, "%s", strerror(errno));
			goto skip;
		}
		sc->s->nread++;
		buf_reset(&sc->body);
		if (article_parse(d->name, c->path, sc->src.data, sc->src.len,
		    &m, sc->catalog != NULL ? &sc->body : NULL, err,
		    sizeof(err)) == -1) {
			/* "line N: reason" -> "path:N: reason" */
			line = 0;
			reason = err;
			if (strncmp(err, "line ", 5) == 0) {
				line = strtol(err + 5, &end, 10);
				if (line > 0 && line < INT_MAX &&
				    strncmp(end, ": ", 2) == 0)
					reason = end + 2;
				else
					line = 0;
			}
			warn(sc, c->path, d->name, (int)line, "%s", reason);
			goto skip;
		}
		if (sc->catalog != NULL && catalog_put(sc->catalog, d->src,
		    path, (long long)size, mtime_ns(&mts), &m,
		    sc->body.data != NULL ? sc->body.data : "",
		    sc->body.len) == -1)
			log_warnx("catalog: cannot store %s", d->src);
	}

	if ((a = arena_alloc(sc->p, sizeof(*a))) == NULL ||
	    (a->path = arena_strdup(sc->p, path)) == NULL ||
	    (a->src = arena_strdup(sc->p, d->src)) == NULL)
		goto fail;
	mtime = mts.tv_sec;
	a->slug = a->path + strlen(c->path);
	a->fmt = (enum article_fmt)article_fmt(d->name);
	a->meta.date = m.date;
	a->meta.has_date = m.has_date;
	a->meta.has_time = m.has_time;
	if (m.title == NULL)
		a->meta.title = a->slug;
	else if ((a->meta.title = arena_strdup(sc->p, m.title)) == NULL)
		goto fail;
	if ((m.author != NULL && (a->meta.author = arena_strdup(sc->p,
	    m.author)) == NULL) ||
	    (m.summary != NULL && (a->meta.summary = arena_strdup(sc->p,
	    m.summary)) == NULL) ||
	    (m.lang != NULL && (a->meta.lang = arena_strdup(sc->p,
	    m.lang)) == NULL) ||
	    (m.tags != NULL && (a->meta.tags = arena_strdup(sc->p,
	    m.tags)) == NULL))
		goto fail;
	if (!a->meta.has_date)
		a->meta.date = local_wall(mtime);
	a->size = size;
	a->mtime = mtime;
	a->cat = c;
	a->counter_slot = -1;
	if (index_put(sc->p, a->path, SITE_ARTICLE, a) == -1 ||
	    (v = grow(sc->s->articles, sc->s->narticles, &sc->artcap,
	    sizeof(a))) == NULL)
		goto fail;
	sc->s->articles = v;
	sc->s->articles[sc->s->narticles++] = a;
skip:
	r = 0;
fail:
	article_meta_free(&m);
	free(path);
	return r;
}

/* May the walk enter folder d? Not too deep, and not a folder it is
 * already inside (a link to a parent). Records d for the check. */
static int
descend(struct scan *sc, const char *url, const struct dent *d, int depth)
{
	int	 j;

	if (depth + 1 > SITE_DEPTH_MAX) {
		warn(sc, url, d->name, 0, "folders nested too deep");
		return 0;
	}
	for (j = 0; j <= depth; j++)
		if (sc->devs[j] == d->dev && sc->inos[j] == d->ino) {
			warn(sc, url, d->name, 0, "symbolic link loop");
			return 0;
		}
	sc->devs[depth + 1] = d->dev;
	sc->inos[depth + 1] = d->ino;
	return 1;
}

/*
 * Scan one folder. A folder is a category if it has a _category.ini or
 * holds articles anywhere below; otherwise it is a plain folder whose
 * files are attachments. Children are scanned first, as they decide.
 * *out is the category, or NULL for a plain or skipped folder.
 */
static int
scan_dir(struct scan *sc, const char *srcdir, const char *url, int depth,
    struct category **out)
{
	struct dir		 dir;
	struct dent		*d;
	struct category		*c = NULL, *child, **kids = NULL;
	struct site_file	*index = NULL;
	const char		*why;
	char			*curl = NULL;
	void			*v;
	size_t			 i, nkids = 0, kcap = 0;
	int			 r, iscat, fmt;

	*out = NULL;
	if ((r = read_dir(sc, srcdir, url, &dir)) != 0) {
		if (r == 1 && depth > 0) {
			warn(sc, url, "", 0, "%s", strerror(errno));
			return 0;
		}
		return -1;
	}
	iscat = depth > 0 && dir.ini.src != NULL;
	for (i = 0; i < dir.n; i++) {
		d = &dir.ents[i];
		if (S_ISREG(d->mode) && depth > 0 &&
		    article_fmt(d->name) != -1 &&
		    strcmp(d->name, "index.gmi") != 0)
			iscat = 1;
		if (!S_ISDIR(d->mode))
			continue;
		if ((why = bad_folder_name(d->name)) != NULL) {
			warn(sc, url, d->name, 0, "%s", why);
			continue;
		}
		if (reserved(d->name, depth)) {
			warn(sc, url, d->name, 0, "reserved name, skipped");
			continue;
		}
		if (!descend(sc, url, d, depth))
			continue;
		free(curl);
		if (asprintf(&curl, "%s%s/", url, d->name) == -1) {
			curl = NULL;
			goto fail;
		}
		if (scan_dir(sc, d->src, curl, depth + 1, &child) == -1)
			goto fail;
		if (child == NULL)
			continue;
		if ((v = grow(kids, nkids, &kcap, sizeof(child))) == NULL)
			goto fail;
		kids = v;
		kids[nkids++] = child;
	}
	if (nkids > 0)
		iscat = 1;

	if (depth == 0) {
		/* the root: top-level categories and static pages */
		if (nkids > 0 && (sc->s->cats = arena_alloc(sc->p,
		    nkids * sizeof(*kids))) == NULL)
			goto fail;
		for (i = 0; i < nkids; i++)
			sc->s->cats[i] = kids[i];
		sc->s->ncats = nkids;
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			if (reserved(d->name, 0))
				warn(sc, url, d->name, 0,
				    "reserved name, skipped");
			else if (add_file(sc, url, d, 1, NULL) == -1)
				goto fail;
		}
	} else if (iscat) {
		if ((c = arena_alloc(sc->p, sizeof(*c))) == NULL ||
		    (c->path = arena_strdup(sc->p, url)) == NULL ||
		    (c->name = arena_cat(sc->p, "", url + 1,
		    strlen(url + 1) - 1)) == NULL)
			goto fail;
		if (strrchr(c->name, '/') != NULL)
			c->name = strrchr(c->name, '/') + 1;
		c->order = SITE_ORDER_DEFAULT;
		if (dir.ini.src != NULL && read_ini(sc, c, dir.ini.src) == -1)
			goto fail;
		if (c->title == NULL)
			c->title = c->name;
		if (nkids > 0 && (c->children = arena_alloc(sc->p,
		    nkids * sizeof(*kids))) == NULL)
			goto fail;
		for (i = 0; i < nkids; i++) {
			c->children[i] = kids[i];
			kids[i]->parent = c;
		}
		c->nchildren = nkids;
		if (index_put(sc->p, c->path, SITE_CATEGORY, c) == -1)
			goto fail;
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			fmt = article_fmt(d->name);
			if (reserved(d->name, depth))
				warn(sc, url, d->name, 0,
				    "reserved name, skipped");
			else if (fmt != -1 &&
			    strcmp(d->name, "index.gmi") != 0) {
				if (add_article(sc, c, d) == -1)
					goto fail;
			} else if (add_file(sc, url, d, 0, NULL) == -1)
				goto fail;
		}
		*out = c;
	} else {
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			if (add_file(sc, url, d, 0,
			    strcmp(d->name, "index.gmi") == 0 ?
			    &index : NULL) == -1)
				goto fail;
		}
		/* url is in the arena: it must outlive the index */
		free(curl);
		if ((curl = arena_strdup(sc->p, url)) == NULL ||
		    index_put(sc->p, curl, SITE_DIR, index) == -1) {
			curl = NULL;
			goto fail;
		}
		curl = NULL;
	}
	free(curl);
	free(kids);
	dir_free(&dir);
	return 0;
fail:
	free(curl);
	free(kids);
	dir_free(&dir);
	return -1;
}

static int
art_cmp(const void *pa, const void *pb)
{
	const struct article	*a = *(struct article *const *)pa;
	const struct article	*b = *(struct article *const *)pb;

	if (a->meta.date != b->meta.date)
		return a->meta.date > b->meta.date ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Categories by order, then title as a reader would sort it: folded,
 * so that "Đời sống" sorts among the D's. */
static int
cat_cmp(const void *pa, const void *pb)
{
	const struct category	*a = *(struct category *const *)pa;
	const struct category	*b = *(struct category *const *)pb;
	struct buf		 fa = BUF_INIT, fb = BUF_INIT;
	int			 r;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (utf8_fold(&fa, a->title, strlen(a->title)) == 0 &&
	    utf8_fold(&fb, b->title, strlen(b->title)) == 0 &&
	    fa.data != NULL && fb.data != NULL)
		r = strcmp(fa.data, fb.data);
	else
		r = strcmp(a->title, b->title);
	buf_free(&fa);
	buf_free(&fb);
	return r != 0 ? r : strcmp(a->path, b->path);
}

/* Sort children, give each category its articles, count totals. */
static int
finish_cats(struct scan *sc, struct category **cats, size_t n)
{
	struct category	*c;
	size_t		 i, j;

	if (n > 1)
		qsort(cats, n, sizeof(*cats), cat_cmp);
	for (i = 0; i < n; i++) {
		c = cats[i];
		if (c->narticles > 0 && (c->articles = arena_alloc(sc->p,
		    c->narticles * sizeof(*c->articles))) == NULL)
			return -1;
		c->total = c->narticles;
		c->narticles = 0;
		if (finish_cats(sc, c->children, c->nchildren) == -1)
			return -1;
		for (j = 0; j < c->nchildren; j++)
			c->total += c->children[j]->total;
	}
	return 0;
}

static int
finish(struct scan *sc)
{
	struct site	*s = sc->s;
	struct article	*a;
	struct site_day	*dd;
	struct tm	 tm;
	size_t		 i, cap = 0;

	if (s->narticles > 1)
		qsort(s->articles, s->narticles, sizeof(*s->articles),
		    art_cmp);
	for (i = 0; i < s->narticles; i++) {
		s->articles[i]->idx = i;
		s->articles[i]->cat->narticles++;
	}
	if (finish_cats(sc, s->cats, s->ncats) == -1)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		a = s->articles[i];
		a->catidx = a->cat->narticles;
		a->cat->articles[a->cat->narticles++] = a;
		if (gmtime_r(&a->meta.date, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		if (s->ndays > 0) {
			dd = &s->days[s->ndays - 1];
			if (dd->year == tm.tm_year + 1900 &&
			    dd->month == tm.tm_mon + 1 &&
			    dd->day == tm.tm_mday) {
				dd->count++;
				continue;
			}
		}
		if (s->ndays == cap) {
			cap = cap ? cap * 2 : 64;
			if ((dd = reallocarray(s->days, cap,
			    sizeof(*dd))) == NULL)
				return -1;
			s->days = dd;
		}
		dd = &s->days[s->ndays++];
		dd->year = tm.tm_year + 1900;
		dd->month = tm.tm_mon + 1;
		dd->day = tm.tm_mday;
		dd->first = i;
		dd->count = 1;
	}
	return 0;
}

struct site *
site_load(const char *root, struct catalog *catalog, char *err,
    size_t errlen)
{
	struct scan	 sc;
	struct site	*s;
	struct stat	 st;
	struct category	*top;
	char		*real = NULL;

	memset(&sc, 0, sizeof(sc));
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->index = calloc(1, sizeof(struct site_priv))) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->rootfd = -1;
	s->serial = ++site_serial;
	buf_init(&s->warnings);
	sc.s = s;
	sc.p = s->index;
	if ((real = realpath(root, NULL)) == NULL ||
	    (s->rootfd = open(real, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || fstat(s->rootfd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", root, strerror(errno));
		goto fail;
	}
	s->root = real;
	real = NULL;
	sc.rootfd = s->rootfd;
	sc.rootreal = s->root;
	/* "/" as a root: every resolved path starts with rootreal + "/" */
	sc.rootlen = strcmp(s->root, "/") == 0 ? 0 : strlen(s->root);
	sc.devs[0] = st.st_dev;
	sc.inos[0] = st.st_ino;
	if (catalog != NULL && catalog_begin(catalog) == -1) {
		log_warnx("catalog: cannot begin a scan; reading every file");
		catalog = NULL;
	}
	sc.catalog = catalog;
	if (scan_dir(&sc, "", "/", 0, &top) == -1) {
		snprintf(err, errlen, "%s: %s", root, errno == ENOMEM ?
		    "out of memory" : strerror(errno));
		if (catalog != NULL)
			catalog_abort(catalog);
		goto fail;
	}
	if (catalog != NULL && catalog_end(catalog) == -1)
		log_warnx("catalog: cannot finish the scan");
	if (finish(&sc) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	buf_free(&sc.src);
	buf_free(&sc.body);
	return s;
fail:
	free(real);
	buf_free(&sc.src);
	buf_free(&sc.body);
	site_free(s);
	return NULL;
}

void
site_free(struct site *s)
{
	struct site_priv	*p;
	struct chunk		*c, *next;

	if (s == NULL)
		return;
	if (s->rootfd != -1)
		close(s->rootfd);
	if ((p = s->index) != NULL) {
		for (c = p->chunks; c != NULL; c = next) {
			next = c->next;
			free(c);
		}
		free(p->tab);
		free(p);
	}
	free(s->root);
	free(s->articles);
	free(s->files);
	free(s->pages);
	free(s->days);
	buf_free(&s->warnings);
	free(s);
}

int
site_open(const struct site *s, const char *src)
{
	return open_below(s->rootfd, src);
}

/*
 * Converted bodies are kept in a small per-process cache, so that a
 * popular article (or a feed of twenty) is converted once, not on
 * every request. Entries are keyed by the snapshot's serial and the
 * article's index: a reload makes a new snapshot in new workers, so an
 * entry never outlives what it was made from. Idle, it costs nothing.
 */
#define BODY_CACHE_SLOTS	64		/* direct-mapped by index */
#define BODY_CACHE_MAX		(64 * 1024)	/* bigger bodies: not kept */

static struct {
	unsigned long	 serial;		/* 0 = empty */
	size_t		 idx;
	char		*body;
	size_t		 len;
} body_cache[BODY_CACHE_SLOTS];

int
site_article_body(const struct site *s, const struct article *a,
    struct buf *gemtext, char *err, size_t errlen)
{
	size_t		 slot = a->idx % BODY_CACHE_SLOTS, mark = gemtext->len;
	char		*copy;
	int		 r;

	if (body_cache[slot].serial == s->serial &&
	    body_cache[slot].idx == a->idx)
		return buf_append(gemtext, body_cache[slot].body,
		    body_cache[slot].len);
	if ((r = body_convert(s, a, gemtext, err, errlen)) == -1 ||
	    gemtext->len - mark > BODY_CACHE_MAX)
		return r;
	if ((copy = malloc(gemtext->len - mark + 1)) == NULL)
		return r;		/* not kept; served all the same */
	memcpy(copy, gemtext->data + mark, gemtext->len - mark);
	copy[gemtext->len - mark] = '\0';
	free(body_cache[slot].body);
	body_cache[slot].serial = s->serial;
	body_cache[slot].idx = a->idx;
	body_cache[slot].body = copy;
	body_cache[slot].len = gemtext->len - mark;
	return r;
}

static int
body_convert(const struct site *s, const struct article *a,
    struct buf *gemtext, char *err, size_t errlen)
{
	struct article_meta	 m;
	struct buf		 src = BUF_INIT;
	char			*name = NULL;
	int			 r = -1;

	if (read_source(s->rootfd, a->src, &src, NULL, NULL) == -1) {
		snprintf(err, errlen, "%s: %s", a->src, strerror(errno));
		goto done;
	}
	/* the name the site knows, not a link target's: same format */
	if (asprintf(&name, "%s%s", a->slug, fmt_ext(a->fmt)) == -1) {
		name = NULL;
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	r = article_parse(name, a->cat->path, src.data != NULL ? src.data :
	    "", src.len, &m, gemtext, err, errlen);
	if (r == 0)
		article_meta_free(&m);
done:
	free(name);
	buf_free(&src);
	return r;
}

/* site_stamp: the scan's walk, with stat only. */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* Entries are summed, so that the order of the walk does not matter
 * and a removed file takes back exactly what it added. */
static void
stamp_add(struct scan *sc, const char *url, const struct dent *d)
{
	uint64_t	 h = 14695981039346656037ULL;
	const char	*p;

	for (p = url; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (p = d->name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = mix64(h + (uint64_t)(d->mode & S_IFMT));
	if (!S_ISDIR(d->mode)) {
		h = mix64(h + (uint64_t)d->size);
		h = mix64(h + (uint64_t)d->mtime.tv_sec * 1000000000ULL +
		    (uint64_t)d->mtime.tv_nsec);
	}
	sc->stamp += h;
}

static int
stamp_dir(struct scan *sc, const char *srcdir, const char *url, int depth)
{
	struct dir	 dir;
	struct dent	*d;
	char		*curl;
	size_t		 i;
	int		 r;

	if ((r = read_dir(sc, srcdir, url, &dir)) != 0)
		return depth > 0 && r == 1 ? 0 : -1;
	if (dir.ini.src != NULL)
		stamp_add(sc, url, &dir.ini);
	for (i = 0; i < dir.n; i++) {
		d = &dir.ents[i];
		stamp_add(sc, url, d);
		if (!S_ISDIR(d->mode) || !descend(sc, url, d, depth))
			continue;
		if (asprintf(&curl, "%s%s/", url, d->name) == -1)
			goto fail;
		r = stamp_dir(sc, d->src, curl, depth + 1);
		free(curl);
		if (r == -1)
			goto fail;
	}
	dir_free(&dir);
	return 0;
fail:
	dir_free(&dir);
	return -1;
}

int
site_stamp(const char *root, unsigned long long *stamp)
{
	struct scan	 sc;
	struct stat	 sb;
	char		*real;
	int		 r = -1;

	memset(&sc, 0, sizeof(sc));
	sc.rootfd = -1;
	if ((real = realpath(root, NULL)) == NULL)
		return -1;
	sc.rootreal = real;
	sc.rootlen = strcmp(real, "/") == 0 ? 0 : strlen(real);
	if ((sc.rootfd = open(real, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || fstat(sc.rootfd, &sb) == -1)
		goto done;
	sc.devs[0] = sb.st_dev;
	sc.inos[0] = sb.st_ino;
	if (stamp_dir(&sc, "", "/", 0) == -1)
		goto done;
	*stamp = sc.stamp;
	r = 0;
done:
	if (sc.rootfd != -1)
		close(sc.rootfd);
	free(real);
	return r;
}
