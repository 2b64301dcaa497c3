/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * site_walk.c: the walk of the capsule tree, for site_load() and
 * site_stamp(). It lists each folder, sorted so that scans are
 * reproducible; follows a symbolic link only when its target stays
 * inside the root; refuses loops, nesting past SITE_DEPTH_MAX, hidden,
 * unsafe and reserved names; and decides which folders are categories,
 * handing every file it keeps to site_entry.c. site_stamp() makes the
 * same walk with stat only and hashes what it sees. A folder that
 * cannot be read is a warning; only an unusable root fails. It opens
 * folders, never files.
 */

#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "path.h"
#include "scheme.h"
#include "site.h"
#include "site_entry.h"
#include "site_int.h"
#include "site_walk.h"

/* The names and paths of one folder's entries, in blocks that never
 * move: a string apiece from malloc would be 200,000 calls a scan.
 * Blocks double, so that a big folder's are big enough for malloc to
 * map them, and to give them back whole once the folder is done. */
#define POOL_FIRST	4096
#define POOL_MAX	(1 << 20)

struct pblock {
	struct pblock	*next;
	size_t		 used, cap;
	char		 data[];
};

struct dir {
	struct dent	*ents;		/* sorted by name */
	size_t		 n;
	struct dent	 ini;		/* _category.ini if ini.src != NULL */
	struct pblock	*pool;
	int		 links;		/* holds a symbolic link */
	int		 clean;		/* no event since prev's scan */
	size_t		 wf;		/* 1 + its folder in the watch */
};

/* The events that change what a scan sees in a folder. */
#define WATCH_MASK	(IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | \
			    IN_DELETE | IN_DELETE_SELF | IN_MODIFY | \
			    IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO | \
			    IN_ONLYDIR | IN_DONT_FOLLOW)

/* The files events name in a folder, kept so that a reload may look
 * at those alone; past this many, the folder is read whole. */
#define WATCH_NAMES	64

struct wfolder {			/* a folder a scan read */
	char		*src;		/* below the root; "" is the root */
	int		 wd;		/* -1: not watched */
	int		 dirty;		/* to be read whole: an event named
					   the folder, a subfolder, its
					   _category.ini, or too many files */
	int		 unknown;	/* its share of the stamp is not
					   known (a patch changed it) */
	char		*names[WATCH_NAMES];	/* else the files events
					   named, which a patch may look
					   at alone */
	size_t		 nnames;
	dev_t		 dev;
	ino_t		 ino;
	unsigned long	 serial;	/* the snapshot it was seen for */
	unsigned long long stamp;	/* its entries' share of the stamp */
};

struct site_watch {
	int		 fd;		/* inotify, non-blocking */
	dev_t		 rdev;		/* the root it watches */
	ino_t		 rino;
	int		 over;		/* the queue overflowed */
	int		 blind;		/* a folder read is not watched */
	int		 remote;	/* the root's file system is one
					   another host may change: no
					   events come for that */
	struct wfolder	*f;
	size_t		 n, cap;
	size_t		 nclean, nread;	/* by the last scan */
};

static int	 resolve(struct scan *, struct dir *, const char *,
		    const char *, int, struct dent *);
static int	 read_dir(struct scan *, const char *, const char *,
		    struct dir *, dev_t, ino_t);
static void	 dir_free(struct dir *);
static int	 descend(struct scan *, const char *, const struct dent *,
		    int);
static int	 scan_dir(struct scan *, const char *, const char *, int,
		    struct category **);
static uint64_t	 stamp_of(const char *, const struct dent *);
static int	 stamp_dir(struct scan *, const char *, const char *, int);
static int	 stamp_skipped(struct scan *, const char *,
		    const struct dent *, int);

/* a, then "/" and b if both are non-empty, as one string in the pool */
static char *
pool_path(struct dir *dir, const char *a, const char *b)
{
	struct pblock	*pb = dir->pool;
	size_t		 alen = strlen(a), blen = strlen(b), n, cap;
	char		*r;

	n = alen + blen + 2;
	if (pb == NULL || pb->cap - pb->used < n) {
		cap = pb == NULL ? POOL_FIRST : pb->cap < POOL_MAX ?
		    2 * pb->cap : POOL_MAX;
		if (cap < n)
			cap = n;
		if ((pb = malloc(sizeof(*pb) + cap)) == NULL)
			return NULL;
		pb->used = 0;
		pb->cap = cap;
		pb->next = dir->pool;
		dir->pool = pb;
	}
	r = pb->data + pb->used;
	memcpy(r, a, alen);
	if (alen > 0 && blen > 0)
		r[alen++] = '/';
	memcpy(r + alen, b, blen);
	r[alen + blen] = '\0';
	pb->used += alen + blen + 1;
	return r;
}

static int
hidden(const char *name)
{
	return name[0] == '.' || name[0] == '_';
}

/* the files named since the last read go: none, or read whole */
static void
names_clear(struct wfolder *f)
{
	size_t	 i;

	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	f->nnames = 0;
}

/* f is to be read whole */
static void
mark_dirty(struct wfolder *f)
{
	f->dirty = 1;
	names_clear(f);
}

/* An event named file name in f: kept, unless f is read whole. */
static void
mark_name(struct wfolder *f, const char *name)
{
	size_t	 i;

	if (f->dirty)
		return;
	for (i = 0; i < f->nnames; i++)
		if (strcmp(f->names[i], name) == 0)
			return;
	if (f->nnames == WATCH_NAMES ||
	    (f->names[f->nnames] = strdup(name)) == NULL) {
		mark_dirty(f);
		return;
	}
	f->nnames++;
}

struct site_watch *
site_watch_new(void)
{
	struct site_watch	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		free(w);
		return NULL;
	}
	return w;
}

static void
watch_clear(struct site_watch *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++) {
		if (w->f[i].wd != -1)
			(void)inotify_rm_watch(w->fd, w->f[i].wd);
		names_clear(&w->f[i]);
		free(w->f[i].src);
	}
	w->n = 0;
}

void
site_watch_free(struct site_watch *w)
{
	if (w == NULL)
		return;
	watch_clear(w);
	free(w->f);
	close(w->fd);
	free(w);
}

int
site_watch_fd(const struct site_watch *w)
{
	return w != NULL ? w->fd : -1;
}

void
site_watch_counts(const struct site_watch *w, size_t *clean, size_t *nread)
{
	*clean = w != NULL ? w->nclean : 0;
	*nread = w != NULL ? w->nread : 0;
}

/* Take in the events queued: each marks the folder it names. */
static void
watch_drain(struct site_watch *w)
{
	union {
		struct inotify_event	 ev;
		char			 b[16384];
	}			 u;
	const struct inotify_event *ev;
	ssize_t			 n, off;
	size_t			 i, last = 0;

	while ((n = read(w->fd, u.b, sizeof(u.b))) > 0) {
		for (off = 0; off < n; off += (ssize_t)sizeof(*ev) +
		    ev->len) {
			ev = (const struct inotify_event *)(void *)(u.b + off);
			if (ev->mask & IN_Q_OVERFLOW) {
				w->over = 1;
				continue;
			}
			/* a hidden name is not seen by a scan */
			if (ev->len > 0 && hidden(ev->name) &&
			    strcmp(ev->name, "_category.ini") != 0)
				continue;
			if (last >= w->n || w->f[last].wd != ev->wd)
				for (last = 0; last < w->n &&
				    w->f[last].wd != ev->wd; last++)
					;
			if (last == w->n)
				continue;
			/* a file of the folder, or more */
			if (ev->len > 0 && !(ev->mask & (IN_ISDIR |
			    IN_IGNORED | IN_Q_OVERFLOW)) &&
			    strcmp(ev->name, "_category.ini") != 0)
				mark_name(&w->f[last], ev->name);
			else
				mark_dirty(&w->f[last]);
			if (ev->mask & IN_IGNORED)
				w->f[last].wd = -1;	/* gone */
		}
	}
	if (w->over)
		for (i = 0; i < w->n; i++)
			mark_dirty(&w->f[i]);
}

int
site_watch_changed(struct site_watch *w, const struct site *s)
{
	size_t	 i;

	watch_drain(w);
	if (w->remote || w->blind || w->n == 0)
		return -1;
	if (w->over)
		return 1;
	/* an event, or a scan that failed since s */
	for (i = 0; i < w->n; i++)
		if (w->f[i].dirty || w->f[i].nnames > 0 || w->f[i].wd == -1 ||
		    w->f[i].serial != s->serial)
			return 1;
	return 0;
}

/* Network and FUSE file systems: a change made on another host, or
 * by the server behind FUSE, sends no event here. */
static int
remote_fs(int fd)
{
	static const unsigned long	 magic[] = {
		0x6969,		/* NFS */
		0x517b,		/* SMB */
		0xff534d42,	/* CIFS */
		0xfe534d42,	/* SMB2 */
		0x65735546,	/* FUSE */
		0x00c36400,	/* Ceph */
		0x5346414f,	/* AFS */
		0x01021997,	/* 9P */
		0x6a656a63,	/* virtiofs */
	};
	struct statfs			 sf;
	size_t				 i;

	if (fstatfs(fd, &sf) == -1)
		return 1;
	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((unsigned long)sf.f_type == magic[i])
			return 1;
	return 0;
}

int
site_watch_begin(struct site_watch *w, int rootfd, dev_t dev, ino_t ino)
{
	if (w->rdev != dev || w->rino != ino) {
		watch_clear(w);
		w->rdev = dev;
		w->rino = ino;
		w->remote = remote_fs(rootfd);
	}
	watch_drain(w);
	w->over = 0;
	w->blind = 0;
	w->nclean = w->nread = 0;
	return w->remote ? -1 : 0;
}

/* After a scan that made snapshot serial: a folder it did not see
 * is no longer in the tree (or no longer read). */
void
site_watch_done(struct site_watch *w, unsigned long serial)
{
	size_t	 i, j;

	for (i = j = 0; i < w->n; i++) {
		if (w->f[i].serial == serial) {
			w->f[j++] = w->f[i];
			continue;
		}
		if (w->f[i].wd != -1)
			(void)inotify_rm_watch(w->fd, w->f[i].wd);
		names_clear(&w->f[i]);
		free(w->f[i].src);
	}
	w->n = j;
}

/*
 * The watch's folder for srcdir (dev, ino), 1 + its number, 0 on
 * ENOMEM; *clean if it may be taken as prev's scan saw it. Otherwise
 * it is watched now, before it is read, so that no change made while
 * it is read goes unseen.
 */
static size_t
watch_folder(struct scan *sc, const char *srcdir, dev_t dev, ino_t ino,
    int *clean)
{
	struct site_watch	*w = sc->watch;
	struct wfolder		*f;
	char			*path;
	size_t			 i, j;
	int			 wd;

	*clean = 0;
	for (i = 0; i < w->n && strcmp(w->f[i].src, srcdir) != 0; i++)
		;
	if (i == w->n) {
		if ((f = site_grow(w->f, w->n, &w->cap, sizeof(*f))) == NULL)
			return 0;
		w->f = f;
		f = &w->f[w->n];
		memset(f, 0, sizeof(*f));
		if ((f->src = strdup(srcdir)) == NULL)
			return 0;
		f->wd = -1;
		f->dirty = 1;
		f->nnames = 0;
		w->n++;
	}
	f = &w->f[i];
	/* another folder by that name (replaced whole): a new watch */
	if (f->dev != dev || f->ino != ino) {
		if (f->wd != -1)
			(void)inotify_rm_watch(w->fd, f->wd);
		f->wd = -1;
		mark_dirty(f);
		f->dev = dev;
		f->ino = ino;
	}
	if (sc->prev != NULL && !f->dirty && f->nnames == 0 && !f->unknown &&
	    f->wd != -1 && f->serial == sc->prev->serial) {
		*clean = 1;
		w->nclean++;
		return i + 1;
	}
	w->nread++;
	f->dirty = 0;
	f->unknown = 0;		/* the read sets it */
	names_clear(f);
	if (f->wd == -1) {
		if (asprintf(&path, "%s/%s", sc->rootreal, srcdir) == -1)
			return 0;
		wd = inotify_add_watch(w->fd, path, WATCH_MASK);
		free(path);
		/* the same watch as another folder's (a bind mount)
		 * would mark only one of them */
		for (j = 0; wd != -1 && j < w->n; j++)
			if (w->f[j].wd == wd) {
				(void)inotify_rm_watch(w->fd, wd);
				wd = -1;
			}
		f->wd = wd;
	}
	if (f->wd == -1)
		w->blind = 1;
	return i + 1;
}

/*
 * In a folder with no event since prev's scan: the article of prev
 * that a regular file of that name was, at its path and from this
 * source; NULL if none (the file is stat'ed).
 */
static const struct article *
clean_article(struct scan *sc, const char *srcdir, const char *url,
    const char *name)
{
	struct site_node	 n;
	const char		*dot = strrchr(name, '.'), *src;
	char			 path[1024];
	size_t			 slen = strlen(srcdir);
	int			 len;

	if (dot == NULL || article_fmt(name) == -1 ||
	    strcmp(name, "index.gmi") == 0)
		return NULL;
	len = snprintf(path, sizeof(path), "%s%.*s", url,
	    (int)(dot - name), name);
	if (len < 0 || (size_t)len >= sizeof(path) ||
	    site_find(sc->prev, path, &n) != SITE_ARTICLE)
		return NULL;
	src = site_article_src(sc->prev, n.art, &sc->tmp);
	if (strncmp(src, srcdir, slen) != 0 ||
	    (slen > 0 && src[slen++] != '/') || strcmp(src + slen, name) != 0)
		return NULL;
	return n.art;
}

/* what a stat says of an entry, into d */
static void
dent_stat(struct dent *d, const struct stat *st)
{
	d->mode = st->st_mode;
	d->size = st->st_size;
	d->mtime = st->st_mtim;
	d->ctime = st->st_ctim;
	d->dev = st->st_dev;
	d->ino = st->st_ino;
}

/*
 * Stat one entry of srcdir into d. A symbolic link is followed only if
 * its target stays inside the root; d->src is then the target's path,
 * so that later openat(..., O_NOFOLLOW) meets no link. Returns 0, 1 to
 * skip the entry (warned if the operator should know), -1 on ENOMEM.
 */
static int
resolve(struct scan *sc, struct dir *dir, const char *srcdir,
    const char *url, int dfd, struct dent *d)
{
	struct stat	 st;
	char		*full = NULL, *real = NULL;

	if (fstatat(dfd, d->name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		site_warn(sc, url, d->name, 0, "%s", strerror(errno));
		return 1;
	}
	if (!S_ISLNK(st.st_mode)) {
		if ((d->src = pool_path(dir, srcdir, d->name)) == NULL)
			return -1;
		goto done;
	}
	dir->links = 1;
	if (asprintf(&full, "%s/%s%s%s", sc->rootreal, srcdir,
	    *srcdir == '\0' ? "" : "/", d->name) == -1)
		return -1;
	if ((real = realpath(full, NULL)) == NULL) {
		site_warn(sc, url, d->name, 0, "symbolic link: %s",
		    strerror(errno));
		free(full);
		return 1;
	}
	free(full);
	/* the root itself is inside: a link to it is a loop, found later */
	if (strncmp(real, sc->rootreal, sc->rootlen) != 0 ||
	    (real[sc->rootlen] != '/' && real[sc->rootlen] != '\0') ||
	    stat(real, &st) == -1) {
		site_warn(sc, url, d->name, 0, "symbolic link leaves the tree");
		free(real);
		return 1;
	}
	/* a link must not publish what is hidden (.git, _private) */
	if (path_hidden(real + sc->rootlen)) {
		site_warn(sc, url, d->name, 0,
		    "symbolic link to a hidden name");
		free(real);
		return 1;
	}
	d->src = pool_path(dir, real[sc->rootlen] == '\0' ? "" :
	    real + sc->rootlen + 1, "");
	free(real);
	if (d->src == NULL)
		return -1;
done:
	dent_stat(d, &st);
	return 0;
}

static int
dent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name,
	    ((const struct dent *)b)->name);
}

/*
 * List srcdir (the folder dev, ino), sorted by name so that scans are
 * reproducible. With a watch, a folder no event named since prev's
 * scan is listed without a stat of the articles prev had from it.
 */
static int
read_dir(struct scan *sc, const char *srcdir, const char *url,
    struct dir *dir, dev_t dev, ino_t ino)
{
	DIR		*dp;
	struct dirent	*de;
	struct dent	 d, *nd;
	size_t		 cap = 0;
	int		 dfd, r;

	memset(dir, 0, sizeof(*dir));
	/* stamp walks (no site) keep to the tree as it is */
	if (sc->watch != NULL && (sc->s != NULL || sc->prime) &&
	    (dir->wf = watch_folder(sc, srcdir, dev, ino, &dir->clean)) == 0)
		return -1;
	dfd = openat(sc->rootfd, *srcdir == '\0' ? "." : srcdir,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd == -1 || (dp = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		if (dir->wf != 0)
			mark_dirty(&sc->watch->f[dir->wf - 1]);
		dir->wf = 0;
		return 1;
	}
	r = 0;
	while ((de = readdir(dp)) != NULL) {
		memset(&d, 0, sizeof(d));
		if (hidden(de->d_name) &&
		    strcmp(de->d_name, "_category.ini") != 0)
			continue;
		if ((d.name = pool_path(dir, de->d_name, "")) == NULL) {
			r = -1;
			break;
		}
		if (dir->clean && de->d_type == DT_REG &&
		    (d.kept = clean_article(sc, srcdir, url, d.name)) != NULL) {
			if ((d.src = pool_path(dir, srcdir, d.name)) == NULL) {
				r = -1;
				break;
			}
			d.mode = S_IFREG;
		} else if ((r = resolve(sc, dir, srcdir, url, dfd, &d)) != 0) {
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
		    (nd = site_grow(dir->ents, dir->n, &cap,
		    sizeof(*nd))) == NULL) {
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
	/* a prime walk only sums: any order will do */
	if (dir->n > 0 && !sc->prime)
		qsort(dir->ents, dir->n, sizeof(*dir->ents), dent_cmp);
	if (dir->wf != 0) {
		/* a link's target may change with no event here */
		if (dir->links) {
			mark_dirty(&sc->watch->f[dir->wf - 1]);
			sc->watch->blind = 1;
		}
		sc->watch->f[dir->wf - 1].serial = sc->serial;
	}
	return 0;
}

static void
dir_free(struct dir *dir)
{
	struct pblock	*pb, *next;

	for (pb = dir->pool; pb != NULL; pb = next) {
		next = pb->next;
		free(pb);
	}
	free(dir->ents);
	memset(dir, 0, sizeof(*dir));
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

/* May the walk enter folder d? Not too deep, and not a folder it is
 * already inside (a link to a parent). Records d for the check. */
static int
descend(struct scan *sc, const char *url, const struct dent *d, int depth)
{
	int	 j;

	if (depth + 1 > SITE_DEPTH_MAX) {
		site_warn(sc, url, d->name, 0, "folders nested too deep");
		return 0;
	}
	for (j = 0; j <= depth; j++)
		if (sc->devs[j] == d->dev && sc->inos[j] == d->ino) {
			site_warn(sc, url, d->name, 0, "symbolic link loop");
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
	uint64_t		 own = 0;
	size_t			 i, nkids = 0, kcap = 0;
	int			 r, iscat, fmt;

	*out = NULL;
	if ((r = read_dir(sc, srcdir, url, &dir, sc->devs[depth],
	    sc->inos[depth])) != 0) {
		if (r == 1 && depth > 0) {
			site_warn(sc, url, "", 0, "%s", strerror(errno));
			return 0;
		}
		return -1;
	}
	iscat = depth > 0 && dir.ini.src != NULL;
	/* the stamp of what this scan saw, as site_stamp() would make it:
	 * a reload needs no walk of its own to take one. A folder with
	 * no event since the last scan adds what it added then. */
	if (dir.clean)
		sc->stamp += sc->watch->f[dir.wf - 1].stamp;
	else {
		for (i = 0; i < dir.n; i++)
			own += stamp_of(url, &dir.ents[i]);
		if (dir.ini.src != NULL)
			own += stamp_of(url, &dir.ini);
		sc->stamp += own;
		if (dir.wf != 0)
			sc->watch->f[dir.wf - 1].stamp = own;
	}
	for (i = 0; i < dir.n; i++) {
		d = &dir.ents[i];
		if (S_ISREG(d->mode) && depth > 0 &&
		    article_fmt(d->name) != -1 &&
		    strcmp(d->name, "index.gmi") != 0)
			iscat = 1;
		if (!S_ISDIR(d->mode))
			continue;
		if ((why = bad_folder_name(d->name)) != NULL) {
			site_warn(sc, url, d->name, 0, "%s", why);
			if (stamp_skipped(sc, url, d, depth) == -1)
				goto fail;
			continue;
		}
		if (scheme_reserved(d->name, depth)) {
			site_warn(sc, url, d->name, 0,
			    "reserved name, skipped");
			if (stamp_skipped(sc, url, d, depth) == -1)
				goto fail;
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
		if ((v = site_grow(kids, nkids, &kcap, sizeof(child))) == NULL)
			goto fail;
		kids = v;
		kids[nkids++] = child;
	}
	if (nkids > 0)
		iscat = 1;

	if (depth == 0) {
		/* the root: top-level categories and static pages */
		if (nkids > 0 && (sc->s->cats = site_arena_alloc(sc->p,
		    nkids * sizeof(*kids))) == NULL)
			goto fail;
		for (i = 0; i < nkids; i++)
			sc->s->cats[i] = kids[i];
		sc->s->ncats = nkids;
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			if (scheme_reserved(d->name, 0))
				site_warn(sc, url, d->name, 0,
				    "reserved name, skipped");
			else if (site_add_file(sc, url, d,
			    !scheme_unlisted(d->name), NULL) == -1)
				goto fail;
		}
	} else if (iscat) {
		if ((c = site_arena_alloc(sc->p, sizeof(*c))) == NULL ||
		    (c->path = site_arena_strdup(sc->p, url)) == NULL ||
		    (c->name = site_arena_cat(sc->p, "", url + 1,
		    strlen(url + 1) - 1)) == NULL)
			goto fail;
		if (strrchr(c->name, '/') != NULL)
			c->name = strrchr(c->name, '/') + 1;
		c->order = SITE_ORDER_DEFAULT;
		if (dir.ini.src != NULL &&
		    site_read_ini(sc, c, dir.ini.src) == -1)
			goto fail;
		if (c->title == NULL)
			c->title = c->name;
		if (nkids > 0 && (c->children = site_arena_alloc(sc->p,
		    nkids * sizeof(*kids))) == NULL)
			goto fail;
		for (i = 0; i < nkids; i++) {
			c->children[i] = kids[i];
			kids[i]->parent = c;
		}
		c->nchildren = nkids;
		if (site_cat_add(sc->p, c) == -1 ||
		    site_index_put(sc->p, c->path, SITE_CATEGORY,
		    c->num) == -1)
			goto fail;
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			fmt = article_fmt(d->name);
			if (scheme_reserved(d->name, depth))
				site_warn(sc, url, d->name, 0,
				    "reserved name, skipped");
			else if (fmt != -1 &&
			    strcmp(d->name, "index.gmi") != 0) {
				if (site_add_article(sc, c, d) == -1)
					goto fail;
			} else if (site_add_file(sc, url, d, 0, NULL) == -1)
				goto fail;
		}
		*out = c;
	} else {
		for (i = 0; i < dir.n; i++) {
			d = &dir.ents[i];
			if (!S_ISREG(d->mode))
				continue;
			if (site_add_file(sc, url, d, 0,
			    strcmp(d->name, "index.gmi") == 0 ?
			    &index : NULL) == -1)
				goto fail;
		}
		/* url is in the arena: it must outlive the index */
		free(curl);
		if ((curl = site_arena_strdup(sc->p, url)) == NULL ||
		    site_index_dir(sc->p, curl, index) == -1) {
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

/* The tree from its root; scan_dir's category for the root is none. */
int
site_walk(struct scan *sc)
{
	struct category	*top;

	return scan_dir(sc, "", "/", 0, &top);
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
static uint64_t
stamp_of(const char *url, const struct dent *d)
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
		/* a file made readable (or not) while the server was
		 * down changes no size or mtime, but its ctime */
		h = mix64(h + (uint64_t)d->ctime.tv_sec * 1000000000ULL +
		    (uint64_t)d->ctime.tv_nsec);
	}
	return h;
}

static int
stamp_dir(struct scan *sc, const char *srcdir, const char *url, int depth)
{
	struct dir	 dir;
	struct dent	*d;
	char		*curl;
	size_t		 i;
	int		 r;

	if ((r = read_dir(sc, srcdir, url, &dir, sc->devs[depth],
	    sc->inos[depth])) != 0)
		return depth > 0 && r == 1 ? 0 : -1;
	if (dir.ini.src != NULL)
		sc->stamp += stamp_of(url, &dir.ini);
	for (i = 0; i < dir.n; i++) {
		d = &dir.ents[i];
		sc->stamp += stamp_of(url, d);
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

/* A folder the scan skips still counts in site_stamp(): walk it for
 * the stamp alone, without warnings. */
static int
stamp_skipped(struct scan *sc, const char *url, const struct dent *d,
    int depth)
{
	struct site	*s = sc->s;
	char		*curl;
	int		 r = 0, prime = sc->prime;

	sc->s = NULL;
	sc->prime = 0;
	if (descend(sc, url, d, depth)) {
		if (asprintf(&curl, "%s%s/", url, d->name) == -1)
			r = -1;
		else {
			r = stamp_dir(sc, d->src, curl, depth + 1);
			free(curl);
		}
	}
	sc->s = s;
	sc->prime = prime;
	return r;
}

/* site_watch_prime: the scan's walk, with stat only, and watches */

/*
 * The prime walk stats a big folder's entries on every core the process
 * may run on: at a restart nothing else is running yet, and a stat is
 * the walk's whole cost (some 3 us each: 0.3 s for 100,000 files). A
 * folder is listed and stat'ed in batches, in one buffer the whole walk
 * reuses: nothing grows, nothing is kept.
 */
#define PRIME_MAX_THREADS	4
#define PRIME_PER_THREAD	1024	/* entries: fewer are not worth it */
#define PRIME_BATCH		8192	/* entries */
#define PRIME_NAMES		(PRIME_BATCH * 64)	/* bytes */

struct pent {				/* an entry, and what its stat says */
	uint32_t	 name;		/* in names */
	int		 ok;
	struct dent	 d;
};

struct pbatch {
	struct pent	 e[PRIME_BATCH];
	size_t		 n;
	char		 names[PRIME_NAMES + NAME_MAX + 1];
	size_t		 used;
	int		 dfd;
	size_t		 nthreads;	/* the cores it may use */
};

struct pjob {
	struct pbatch	*b;
	size_t		 from, to;
};

static void *
prime_stat(void *arg)
{
	struct pjob	*j = arg;
	struct pent	*e;
	struct stat	 st;
	size_t		 i;

	for (i = j->from; i < j->to; i++) {
		e = &j->b->e[i];
		memset(&e->d, 0, sizeof(e->d));
		if ((e->ok = fstatat(j->b->dfd, j->b->names + e->name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0))
			dent_stat(&e->d, &st);
	}
	return NULL;
}

/* the batch's entries stat'ed, on its threads (this one too) */
static void
prime_stat_all(struct pbatch *b)
{
	struct pjob	 job[PRIME_MAX_THREADS];
	pthread_t	 tid[PRIME_MAX_THREADS];
	int		 started[PRIME_MAX_THREADS];
	size_t		 i, nt = b->nthreads, per;

	if (nt > b->n / PRIME_PER_THREAD)
		nt = b->n / PRIME_PER_THREAD;
	if (nt == 0)
		nt = 1;
	per = b->n / nt;
	for (i = 0; i < nt; i++) {
		job[i].b = b;
		job[i].from = i * per;
		job[i].to = i + 1 < nt ? (i + 1) * per : b->n;
		started[i] = i > 0 &&
		    pthread_create(&tid[i], NULL, prime_stat, &job[i]) == 0;
	}
	prime_stat(&job[0]);
	for (i = 1; i < nt; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			prime_stat(&job[i]);
}

/* the share of folder src in the image (fo is sorted): 0, or -1 if the
 * image has no such folder */
static int
image_share(const struct site_image_folders *fo, const char *src,
    unsigned long long *stamp)
{
	size_t	 lo = 0, hi = fo->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(src, fo->f[mid].src)) == 0) {
			*stamp = fo->f[mid].stamp;
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * The batch b of srcdir's entries into its share of the stamp (own),
 * its subfolders into dir; *ini once a _category.ini was counted. 0,
 * or -1 on ENOMEM.
 */
static int
prime_batch(struct pbatch *b, struct dir *dir, const char *srcdir,
    const char *url, uint64_t *own, int *ini, size_t *cap)
{
	struct pent	*e;
	struct dent	 d, *nd;
	size_t		 i;

	prime_stat_all(b);
	for (i = 0; i < b->n; i++) {
		e = &b->e[i];
		if (!e->ok)
			continue;
		if (S_ISLNK(e->d.mode)) {
			dir->links = 1;
			continue;
		}
		d = e->d;
		d.name = b->names + e->name;
		if (strcmp(d.name, "_category.ini") == 0 &&
		    (!S_ISREG(d.mode) || (*ini)++ > 0))
			continue;
		if (!S_ISREG(d.mode) && !S_ISDIR(d.mode))
			continue;
		*own += stamp_of(url, &d);
		if (!S_ISDIR(d.mode))
			continue;
		if ((nd = site_grow(dir->ents, dir->n, cap,
		    sizeof(*nd))) == NULL)
			return -1;
		dir->ents = nd;
		if ((d.name = pool_path(dir, d.name, "")) == NULL ||
		    (d.src = pool_path(dir, srcdir, d.name)) == NULL)
			return -1;
		dir->ents[dir->n++] = d;
	}
	b->n = b->used = 0;
	return 0;
}

/*
 * A folder as read_dir() and resolve() would list it, for its share of
 * the stamp only: nothing sorted; the subfolders are walked after. A
 * symbolic link makes the folder one to read again (the walk does not
 * follow it); so does a folder that cannot be read.
 */
/*
 * Folder srcdir's share of the stamp (its entries as read_dir() and
 * resolve() would list them) into *own, and its subfolders into dir:
 * 1; 0 if it cannot be read, or holds a symbolic link (the walk does
 * not follow it, and a scan reads such a folder whole); -1 on ENOMEM.
 */
static int
prime_list(struct scan *sc, struct pbatch *b, const char *srcdir,
    const char *url, struct dir *dir, uint64_t *own)
{
	struct dirent	*de;
	DIR		*dp;
	size_t		 len, cap = 0;
	int		 dfd, ini = 0;

	memset(dir, 0, sizeof(*dir));
	*own = 0;
	dfd = openat(sc->rootfd, *srcdir == '\0' ? "." : srcdir,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd == -1 || (dp = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return 0;
	}
	b->dfd = dfd;
	b->n = b->used = 0;
	while ((de = readdir(dp)) != NULL) {
		if (hidden(de->d_name) &&
		    strcmp(de->d_name, "_category.ini") != 0)
			continue;
		len = strlen(de->d_name);
		b->e[b->n].name = (uint32_t)b->used;
		memcpy(b->names + b->used, de->d_name, len + 1);
		b->used += len + 1;
		if ((++b->n == PRIME_BATCH || b->used >= PRIME_NAMES) &&
		    prime_batch(b, dir, srcdir, url, own, &ini,
		    &cap) == -1) {
			closedir(dp);
			dir_free(dir);
			return -1;
		}
	}
	if (prime_batch(b, dir, srcdir, url, own, &ini, &cap) == -1) {
		closedir(dp);
		dir_free(dir);
		return -1;
	}
	closedir(dp);
	return dir->links ? 0 : 1;
}

/* one folder's share alone (site_watch_settle): as prime_list */
static int
prime_share(struct scan *sc, struct pbatch *b, const char *srcdir,
    const char *url, uint64_t *own)
{
	struct dir	 dir;
	int		 r;

	r = prime_list(sc, b, srcdir, url, &dir, own);
	dir_free(&dir);
	return r;
}

/* the batch, for as many threads as the process may run on */
static struct pbatch *
pbatch_new(void)
{
	struct pbatch	*b;
	cpu_set_t	 set;

	if ((b = malloc(sizeof(*b))) == NULL)
		return NULL;
	b->nthreads = 1;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		b->nthreads = (size_t)CPU_COUNT(&set);
	if (b->nthreads > PRIME_MAX_THREADS)
		b->nthreads = PRIME_MAX_THREADS;
	if (b->nthreads == 0)
		b->nthreads = 1;
	return b;
}

/*
 * A folder as read_dir() and resolve() would list it, for its share of
 * the stamp only: nothing sorted; the subfolders are walked after. A
 * symbolic link makes the folder one to read again (the walk does not
 * follow it); so does a folder that cannot be read.
 */
static int
prime_dir(struct scan *sc, struct pbatch *b,
    const struct site_image_folders *fo, unsigned long img,
    const char *srcdir, const char *url, int depth, size_t *nsame)
{
	struct dir		 dir;	/* its subfolders */
	struct dent		*nd;
	struct wfolder		*f;
	char			*curl;
	unsigned long long	 share;
	uint64_t		 own = 0;
	size_t			 i;
	int			 clean, r = -1, got;

	memset(&dir, 0, sizeof(dir));
	if ((dir.wf = watch_folder(sc, srcdir, sc->devs[depth],
	    sc->inos[depth], &clean)) == 0)
		return -1;
	f = &sc->watch->f[dir.wf - 1];
	f->serial = 0;
	if ((got = prime_list(sc, b, srcdir, url, &dir, &own)) == -1)
		return -1;
	if (got == 0 && !dir.links) {
		mark_dirty(f);
		return depth > 0 ? 0 : -1;
	}
	sc->stamp += own;
	f->stamp = own;
	/* as the image's scan saw it, or to be read again */
	if (!dir.links && f->wd != -1 &&
	    image_share(fo, srcdir, &share) == 0 && share == own) {
		f->serial = img;
		(*nsame)++;
	} else
		mark_dirty(f);
	/* the folders scan_dir enters: the others count in the stamp */
	for (i = 0; i < dir.n; i++) {
		nd = &dir.ents[i];
		r = -1;
		if (bad_folder_name(nd->name) != NULL ||
		    scheme_reserved(nd->name, depth)) {
			if (stamp_skipped(sc, url, nd, depth) == -1)
				goto done;
			continue;
		}
		if (!descend(sc, url, nd, depth))
			continue;
		if (asprintf(&curl, "%s%s/", url, nd->name) == -1)
			goto done;
		r = prime_dir(sc, b, fo, img, nd->src, curl, depth + 1,
		    nsame);
		free(curl);
		if (r == -1)
			goto done;
	}
	r = 0;
done:
	dir_free(&dir);
	return r;
}

int
site_watch_prime(struct scan *sc, const struct site_image_folders *fo,
    unsigned long img_serial, int *same)
{
	struct pbatch	*b;
	size_t		 nsame = 0;
	int		 r;

	*same = 0;
	if ((b = pbatch_new()) == NULL)
		return -1;
	sc->prime = 1;
	sc->prev = NULL;
	sc->serial = 0;
	r = prime_dir(sc, b, fo, img_serial, "", "/", 0, &nsame);
	sc->prime = 0;
	free(b);
	if (r == -1)
		return -1;
	*same = nsame == fo->n && sc->watch->n == fo->n &&
	    !sc->watch->blind && !sc->watch->over;
	return 0;
}

size_t
site_watch_nfolders(const struct site_watch *w)
{
	return w != NULL ? w->n : 0;
}

int
site_watch_folder(const struct site_watch *w, size_t i,
    unsigned long serial, const char **src, unsigned long long *stamp)
{
	if (w == NULL || i >= w->n || w->f[i].serial != serial ||
	    w->f[i].unknown)
		return 0;
	*src = w->f[i].src;
	*stamp = w->f[i].stamp;
	return 1;
}

/*
 * What a patch needs (site_load.c): the folders that changed since the
 * scan of snapshot serial, and in each the files events named. 1 if a
 * patch can be made: every folder that scan saw is watched and was seen
 * by it, none is to be read whole, and the queue did not overflow. 0
 * otherwise (the reload reads what changed as usual), -1 on ENOMEM.
 */
int
site_watch_changes(struct site_watch *w, unsigned long serial,
    struct site_watch_change **out, size_t *nout)
{
	struct site_watch_change	*c = NULL;
	const struct wfolder		*f;
	size_t				 i, n = 0, cap = 0;
	void				*v;

	*out = NULL;
	*nout = 0;
	if (w->remote || w->over || w->n == 0)
		return 0;
	for (i = 0; i < w->n; i++) {
		f = &w->f[i];
		if (f->dirty || f->wd == -1 || f->serial != serial) {
			free(c);
			return 0;
		}
		if (f->nnames == 0)
			continue;
		if ((v = site_grow(c, n, &cap, sizeof(*c))) == NULL) {
			free(c);
			return -1;
		}
		c = v;
		c[n].src = f->src;
		c[n].names = f->names;
		c[n].nnames = f->nnames;
		n++;
	}
	*out = c;
	*nout = n;
	return 1;
}

/* The patch of snapshot serial is made: every folder is as its scan
 * saw it; the changed ones' names are taken in, and their shares of
 * the stamp unknown until site_watch_settle. */
void
site_watch_patched(struct site_watch *w, unsigned long serial)
{
	size_t	 i;

	w->nclean = w->nread = 0;
	for (i = 0; i < w->n; i++) {
		w->f[i].serial = serial;
		if (w->f[i].nnames == 0) {
			w->nclean++;
			continue;
		}
		names_clear(&w->f[i]);
		w->f[i].unknown = 1;
		w->nread++;
	}
}

/*
 * The shares a patch left unknown, from a stat of each such folder (as
 * the prime walk makes it: a big one on every core), and *stamp, the
 * site's, made what a scan would have summed. 1 if there were any, 0
 * if none, -1 if one cannot be had (ENOMEM; a folder that cannot be
 * read, or holds a link now, is left to be read whole).
 */
int
site_watch_settle(struct site_watch *w, int rootfd,
    unsigned long long *stamp)
{
	struct scan	 sc;
	struct pbatch	*b = NULL;
	struct wfolder	*f;
	char		*url;
	uint64_t	 own;
	size_t		 i;
	int		 r = 0, got;

	if (w == NULL)
		return 0;
	for (i = 0; i < w->n; i++) {
		f = &w->f[i];
		if (!f->unknown)
			continue;
		if (b == NULL && (b = pbatch_new()) == NULL)
			return -1;
		memset(&sc, 0, sizeof(sc));
		sc.rootfd = rootfd;
		url = NULL;
		if (asprintf(&url, "/%s%s", f->src, *f->src != '\0' ? "/" :
		    "") == -1) {
			r = -1;
			break;
		}
		got = prime_share(&sc, b, f->src, url, &own);
		free(url);
		if (got == -1) {
			r = -1;
			break;
		}
		if (got == 0) {
			mark_dirty(f);
			continue;
		}
		*stamp += own - f->stamp;
		f->stamp = own;
		f->unknown = 0;
		r = r == 0 ? 1 : r;
	}
	free(b);
	return r;
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
