/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * publish.c: the master's side of Titan. Workers may not write the
 * tree (Landlock has it read-only for them); an upload they accepted
 * comes here whole, over the worker's own channel (a SOCK_SEQPACKET
 * pair made before its fork: the channel says which worker sent it,
 * and the answer goes back on it), its body in a sealed memfd. The
 * master is the process that writes: it already owns the snapshot and
 * the catalog, and the reload that makes an upload live must happen
 * here anyway; the body is not parsed here any more than the scan
 * parses every article.
 *
 * Each upload is checked again (its author's categories, its path,
 * its size, the memfd's seals), then, for an article, scanned alone
 * as bantin -p does (preview_data): one the site would skip is
 * refused with the scan's reason and nothing is written. It is written
 * to a hidden temporary in its folder, fsynced, the running version
 * kept as ".<name>.1" (hidden from readers; mv it back to undo), and
 * renamed into place, so that readers and the scan see the old file
 * or the new one, never a mix; size=0 moves the file to ".<name>.1".
 * The master does one thing at a time: two uploads to one article are
 * two whole writes, the last one wins. After each pass of its loop the
 * master reloads the site once for all that was written (master.c) and
 * answers: 30 to the new page, or to the publish page with the scan's
 * warnings about it when there are any.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "article.h"
#include "authors.h"
#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "import.h"
#include "log.h"
#include "loop.h"
#include "msg.h"
#include "preview.h"
#include "publish.h"
#include "site.h"
#include "titan.h"

#define PUBLISH_SLOTS	128	/* master.c's worker slots */
#define TEMP_PREFIX	".titan."	/* store()'s ".titan.<pid>.<n>" */

struct chan {
	struct publish	*pub;
	int		 slot;
	int		 fd;		/* the master's end, -1: none */
	int		 watched;	/* in the loop */
};

struct done {				/* written, answered after the reload */
	int		 slot;
	unsigned long	 id;
	struct titan_target t;
	int		 removed;
	struct done	*next;
};

struct publish {
	const struct config *const	*conf;
	struct site *const		*site;
	struct authors			*authors;
	struct loop			*loop;
	struct chan			 chans[PUBLISH_SLOTS];
	struct done			*done, **tail;
	unsigned			 serial;	/* temporaries' names */
};

struct publish *
publish_new(const struct config *const *conf, struct site *const *site)
{
	struct publish	*pub;
	int		 i;

	if ((pub = calloc(1, sizeof(*pub))) == NULL)
		return NULL;
	pub->conf = conf;
	pub->site = site;
	pub->tail = &pub->done;
	for (i = 0; i < PUBLISH_SLOTS; i++) {
		pub->chans[i].pub = pub;
		pub->chans[i].slot = i;
		pub->chans[i].fd = -1;
	}
	return pub;
}

void
publish_free(struct publish *pub)
{
	struct done	*d;
	int		 i;

	if (pub == NULL)
		return;
	for (i = 0; i < PUBLISH_SLOTS; i++)
		publish_gone(pub, i);
	while ((d = pub->done) != NULL) {
		pub->done = d->next;
		free(d);
	}
	authors_free(pub->authors);
	free(pub);
}

int
publish_authors(const struct config *conf, struct authors **out)
{
	struct buf	 errs = BUF_INIT;
	const char	*p, *nl;

	*out = NULL;
	if (!conf->titan_enabled)
		return 0;
	if ((*out = authors_load(conf->titan_authors, &errs)) == NULL) {
		for (p = errs.data; p != NULL && *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			log_warnx("titan:authors: %.*s", (int)(nl - p), p);
		}
	}
	buf_free(&errs);
	return *out == NULL ? -1 : 0;
}

void
publish_use(struct publish *pub, struct authors *as)
{
	authors_free(pub->authors);
	pub->authors = as;
}

const struct authors *
publish_table(const struct publish *pub)
{
	return pub->authors;
}

static void	chan_cb(struct loop *, int, int, void *);

void
publish_watch(struct publish *pub, struct loop *l)
{
	int	 i;

	pub->loop = l;
	for (i = 0; i < PUBLISH_SLOTS; i++)
		if (pub->chans[i].fd != -1 && !pub->chans[i].watched &&
		    loop_add(l, pub->chans[i].fd, LOOP_READ, chan_cb,
		    &pub->chans[i]) == 0)
			pub->chans[i].watched = 1;
}

int
publish_channel(struct publish *pub, int slot)
{
	int	 ch[2];

	publish_gone(pub, slot);
	if (!(*pub->conf)->titan_enabled || slot < 0 ||
	    slot >= PUBLISH_SLOTS)
		return -1;
	if (msg_pair(ch) == -1) {
		log_warn("titan: socketpair");
		return -1;
	}
	pub->chans[slot].fd = ch[0];
	if (pub->loop != NULL)
		publish_watch(pub, pub->loop);
	return ch[1];
}

void
publish_child(struct publish *pub)
{
	int	 i;

	for (i = 0; i < PUBLISH_SLOTS; i++)
		if (pub->chans[i].fd != -1) {
			close(pub->chans[i].fd);
			pub->chans[i].fd = -1;
		}
}

void
publish_gone(struct publish *pub, int slot)
{
	struct chan	*c;
	struct done	*d;

	if (slot < 0 || slot >= PUBLISH_SLOTS || pub->chans[slot].fd == -1)
		return;
	/* its connections went with it: an answer to one of them must not
	 * reach the next worker in the slot, whose numbers start again */
	for (d = pub->done; d != NULL; d = d->next)
		if (d->slot == slot)
			d->slot = -1;
	c = &pub->chans[slot];
	if (c->watched)
		loop_del(pub->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	c->watched = 0;
}

int
publish_due(const struct publish *pub)
{
	return pub->done != NULL;
}

static void
answer(struct publish *pub, int slot, unsigned long id, int status,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
answer(struct publish *pub, int slot, unsigned long id, int status,
    const char *fmt, ...)
{
	struct titan_done	 d;
	va_list			 ap;

	memset(&d, 0, sizeof(d));
	d.id = id;
	d.status = status;
	va_start(ap, fmt);
	vsnprintf(d.meta, sizeof(d.meta), fmt, ap);
	va_end(ap);
	/* a worker that died meanwhile has no connection to answer */
	if (slot != -1 && pub->chans[slot].fd != -1 &&
	    msg_send(pub->chans[slot].fd, TITAN_MSG_DONE, &d, sizeof(d), NULL,
	    0) == -1)
		log_warn("titan: to a worker");
}

/* "gemini://host[:port]" */
static void
origin(const struct config *conf, char *out, size_t len)
{
	if (conf->gemini_port != GEMINI_PORT)
		snprintf(out, len, "gemini://%s:%d", conf->hostname,
		    conf->gemini_port);
	else
		snprintf(out, len, "gemini://%s", conf->hostname);
}

/* Does the scan warn about t's file? */
static int
warned(const struct site *s, const struct titan_target *t)
{
	const char	*w, *nl;
	char		 src[REQ_PATH_MAX + TITAN_NAME_MAX + 8];
	size_t		 n;

	n = (size_t)snprintf(src, sizeof(src), "%s/%s:", t->dir, t->name);
	for (w = s->warnings.data; w != NULL && *w != '\0'; w = nl + 1) {
		if (strncmp(w, src, n) == 0)
			return 1;
		if ((nl = strchr(w, '\n')) == NULL)
			break;
	}
	return 0;
}

void
publish_answer(struct publish *pub, int reloaded)
{
	const struct config	*conf = *pub->conf;
	struct done		*d;
	char			 o[300];

	origin(conf, o, sizeof(o));
	while ((d = pub->done) != NULL) {
		pub->done = d->next;
		if (!reloaded)
			answer(pub, d->slot, d->id, 40, "%s; the site could "
			    "not be reloaded: it shows at the next scan",
			    d->removed ? "Removed" : "Saved");
		else if (d->removed)
			answer(pub, d->slot, d->id, 30, "%s/%s/", o, d->t.dir);
		else if (d->t.kind == TITAN_ARTICLE &&
		    warned(*pub->site, &d->t))
			answer(pub, d->slot, d->id, 30, "%s/publish?%s", o,
			    d->t.path);
		else
			answer(pub, d->slot, d->id, 30, "%s%s", o, d->t.path);
		free(d);
	}
	pub->tail = &pub->done;
}

/* The body from the worker's sealed memfd, of the size it said. */
static int
read_body(int fd, long long size, struct buf *b)
{
	struct stat	 st;
	int		 seals;

	seals = fcntl(fd, F_GET_SEALS);
	if (seals == -1 || (seals & (F_SEAL_WRITE | F_SEAL_SHRINK |
	    F_SEAL_GROW)) != (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW) ||
	    fstat(fd, &st) == -1 || st.st_size != size ||
	    lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	return buf_read_fd(b, fd, (size_t)size, (size_t)size);
}

/* ".<name>.1": the version before, hidden from readers */
static void
backup_name(const char *name, char *out, size_t len)
{
	snprintf(out, len, ".%s.1", name);
}

/* name's running version becomes its backup (a hard link, so that
 * name stays until it is replaced, or, when remove, a rename): 1 there
 * was one, 0 none, -1 error */
static int
keep_old(int dfd, const char *name, int remove)
{
	struct stat	 st;
	char		 bak[NAME_MAX + 8], tmp[NAME_MAX + 16];

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	backup_name(name, bak, sizeof(bak));
	if (remove)
		return renameat(dfd, name, dfd, bak) == -1 ? -1 : 1;
	snprintf(tmp, sizeof(tmp), "%s.new", bak);
	unlinkat(dfd, tmp, 0);
	if (linkat(dfd, name, dfd, tmp, 0) == -1 ||
	    renameat(dfd, tmp, dfd, bak) == -1) {
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	return 1;
}

/* The article's other sources (the same slug in another format) go:
 * one path, one source. Returns how many, or -1. */
static int
drop_others(int dfd, const struct titan_target *t)
{
	static const char *const exts[] = { "gmi", "md", "txt", "html",
	    "htm" };
	char		 other[NAME_MAX + 1];
	size_t		 i;
	int		 n = 0, r;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(other, sizeof(other), "%.*s.%s", (int)t->slug,
		    t->name, exts[i]);
		if (strcmp(other, t->name) == 0)
			continue;
		if ((r = keep_old(dfd, other, 1)) == -1)
			return -1;
		n += r;
	}
	return n;
}

/* data as t's file, whole: a hidden temporary, fsynced, the old one
 * kept, renamed in place, the folder fsynced */
static int
store(struct publish *pub, int dfd, const struct titan_target *t,
    const char *data, size_t len)
{
	char	 tmp[NAME_MAX + 1];
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd, saved;

	snprintf(tmp, sizeof(tmp), TEMP_PREFIX "%ld.%u", (long)getpid(),
	    pub->serial++);
	if ((fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		return -1;
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (keep_old(dfd, t->name, 0) == -1 ||
	    renameat(dfd, tmp, dfd, t->name) == -1)
		goto fail;
	if (t->kind == TITAN_ARTICLE && drop_others(dfd, t) == -1)
		log_warn("titan: %s/%s: its other sources", t->dir, t->name);
	(void)fsync(dfd);
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlinkat(dfd, tmp, 0);
	errno = saved;
	return -1;
}

/* Is name one of store()'s temporaries, ".titan.<pid>.<n>"? */
int
publish_temp_name(const char *name)
{
	const char	*p;
	int		 i;

	if (strncmp(name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0)
		return 0;
	p = name + strlen(TEMP_PREFIX);
	for (i = 0; i < 2; i++) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (i == 0 && *p++ != '.')
			return 0;
	}
	return *p == '\0';
}

/* Is the entry e of d a folder (not a symbolic link to one)? */
static int
is_dir(DIR *d, const struct dirent *e)
{
	struct stat	 st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	return fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode);
}

/* store()'s temporaries in the folder dfd (rel: its path below the
 * root, for the log) and those below it, removed; dfd is closed */
static void
sweep(int dfd, const char *rel, int depth)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		 sub[PATH_MAX];
	int		 fd;

	if ((d = fdopendir(dfd)) == NULL) {
		log_warn("titan: %s", rel);
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name) >=
		    (int)sizeof(sub))
			continue;
		if (publish_temp_name(e->d_name)) {
			/* a regular file only: we made no other kind */
			if (fstatat(dirfd(d), e->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
				continue;
			if (unlinkat(dirfd(d), e->d_name, 0) == -1)
				log_warn("titan: %s", sub);
			else
				log_info("titan: removed %s, a write cut "
				    "short by a stop", sub);
		} else if (e->d_name[0] != '.' && depth < SITE_DEPTH_MAX &&
		    is_dir(d, e) && (fd = openat(dirfd(d), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) != -1)
			sweep(fd, sub, depth + 1);
	}
	closedir(d);
}

void
publish_sweep(struct publish *pub)
{
	int	 fd;

	if (!(*pub->conf)->titan_enabled)
		return;
	if ((fd = openat((*pub->site)->rootfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		log_warn("titan: %s", (*pub->conf)->root);
		return;
	}
	/* Uploads go into the tree, which bantin.service leaves read-only
	 * (ProtectSystem=strict) until a drop-in says ReadWritePaths=:
	 * said at start, not first at an author's upload */
	if (faccessat(fd, ".", W_OK, 0) == -1)
		log_warnx("titan: %s: not writable (%s): uploads will be "
		    "refused; bantin.ini(5), [titan], says how to allow them",
		    (*pub->conf)->root, strerror(errno));
	sweep(fd, (*pub->conf)->root, 0);
}

/* text with "author: name" in its header, or an HTML page with its
 * <meta name="author">: the author's name, unless the upload has one */
static int
with_author(const struct titan_target *t, const char *data, size_t len,
    const char *name, struct buf *out)
{
	const char	*at, *p;
	size_t		 off = 0;

	if (t->fmt == FMT_HTML) {
		/* after <head ...>, not <header> */
		for (at = data; (at = strcasestr(at, "<head")) != NULL; at++)
			if (at[5] == '>' || at[5] == ' ' || at[5] == '\t' ||
			    at[5] == '\n' || at[5] == '\r')
				break;
		if (at != NULL && (at = strchr(at, '>')) != NULL)
			off = (size_t)(at + 1 - data);
		if (buf_append(out, data, off) == -1 ||
		    buf_puts(out, "<meta name=\"author\" content=\"") == -1)
			return -1;
		for (p = name; *p != '\0'; p++)
			if ((*p == '&' ? buf_puts(out, "&amp;") : *p == '<' ?
			    buf_puts(out, "&lt;") : *p == '>' ?
			    buf_puts(out, "&gt;") : buf_putc(out, *p)) == -1)
				return -1;
		if (buf_puts(out, "\">") == -1)
			return -1;
	} else {
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
			off = 3;
		/* into a "---" block, or on top of the header (or body) */
		if (len - off >= 4 && memcmp(data + off, "---\n", 4) == 0)
			off += 4;
		else if (len - off >= 5 && memcmp(data + off, "---\r\n", 5) ==
		    0)
			off += 5;
		if (buf_append(out, data, off) == -1 ||
		    buf_printf(out, "author: %s\n", name) == -1)
			return -1;
	}
	return buf_append(out, data + off, len - off);
}

/*
 * An article as the site will have it: the scan's verdict on the
 * upload (0 published, 1 skipped with the reason in why, -1 the check
 * failed), and *final, data, or out: data with the author's name added
 * when it names none and can take the line.
 */
static int
vet(struct publish *pub, const struct titan_target *t, const char *name,
    const struct buf *data, struct buf *out, const struct buf **final,
    struct buf *why)
{
	struct buf	 w = BUF_INIT;
	char		*author = NULL;
	int		 r;

	*final = data;
	if ((r = preview_data(*pub->conf, t->dir, t->name, data->data,
	    data->len, why, &author)) != 0 || author != NULL) {
		free(author);
		return r;
	}
	if (with_author(t, data->data, data->len, name, out) == -1)
		return -1;
	if (preview_data(*pub->conf, t->dir, t->name, out->data, out->len,
	    &w, &author) == 0)
		*final = out;
	free(author);
	buf_free(&w);
	return 0;
}

/* the first line of why, as a reason in a status line */
static int
first_line(const struct buf *why)
{
	return why->data != NULL ? (int)strcspn(why->data, "\n") : 0;
}

/*
 * One upload: checked again, written (or removed), and queued for its
 * answer after the reload; a refusal is answered now. Returns the
 * Gemini status of a refusal, or 0.
 */
static int
put(struct publish *pub, struct chan *c, const struct titan_put *p, int fd,
    char *why, size_t whylen)
{
	const struct config	*conf = *pub->conf;
	const struct author	*a;
	struct titan_target	 t;
	struct buf		 data = BUF_INIT, out = BUF_INIT, w = BUF_INIT;
	const struct buf	*final = &data;
	struct done		*d;
	const char		*errstr;
	char			 cat[REQ_PATH_MAX + 1];
	int			 dfd = -1, st = 0, r, n;

	why[0] = '\0';
	if ((a = authors_find(pub->authors, p->fp)) == NULL)
		return snprintf(why, whylen, "No author's certificate"), 61;
	if (titan_target(p->path, p->mime, &t, &errstr) == -1)
		return snprintf(why, whylen, "%s", errstr), 59;
	if (titan_category(*pub->site, &t, cat, sizeof(cat)) == -1 ||
	    !authors_may(a, cat))
		return snprintf(why, whylen, "%s may not write in /%.200s/",
		    a->name, t.dir), 61;
	if (p->size > (t.kind == TITAN_ARTICLE ? conf->titan_max_size :
	    conf->titan_max_file_size) || (p->size > 0 && fd == -1) ||
	    (p->size > 0 && read_body(fd, p->size, &data) == -1))
		return snprintf(why, whylen, "Not the upload announced"), 59;
	if ((dfd = import_dir((*pub->site)->rootfd, t.dir,
	    t.kind == TITAN_FILE && p->size > 0)) == -1) {
		snprintf(why, whylen, "/%.200s/: %s", t.dir, strerror(errno));
		st = errno == ENOENT && p->size == 0 ? 51 : 40;
		goto done;
	}
	if (p->size == 0) {
		/* removed: kept as its backup, every format of it */
		r = keep_old(dfd, t.name, 1);
		if (r != -1 && t.kind == TITAN_ARTICLE)
			r = (n = drop_others(dfd, &t)) == -1 ? -1 : r + n;
		if (r == -1) {
			snprintf(why, whylen, "Cannot remove it: %s",
			    strerror(errno));
			st = 40;
		} else if (r == 0) {
			snprintf(why, whylen, "Not found: %.200s", t.path);
			st = 51;
		}
	} else if (t.kind == TITAN_ARTICLE &&
	    (r = vet(pub, &t, a->name, &data, &out, &final, &w)) != 0) {
		snprintf(why, whylen, r == 1 ? "Not published: %.*s" :
		    "Cannot check it: %.*s", first_line(&w),
		    w.data != NULL ? w.data : "");
		st = r == 1 ? 59 : 40;
	} else if (store(pub, dfd, &t, final->data != NULL ? final->data : "",
	    final->len) == -1) {
		snprintf(why, whylen, "Cannot write it: %s", strerror(errno));
		st = 40;
	}
	if (st != 0) {
		log_warnx("titan: %s: %s: %s", a->name, t.path, why);
		goto done;
	}
	log_info("titan: %s %s %s (%zu bytes)", a->name, p->size == 0 ?
	    "removed" : "published", t.path, final->len);
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(why, whylen, "Written; out of memory");
		st = 40;
		goto done;
	}
	d->slot = c->slot;
	d->id = p->id;
	d->t = t;
	d->removed = p->size == 0;
	*pub->tail = d;
	pub->tail = &d->next;
done:
	if (dfd != -1)
		close(dfd);
	buf_free(&data);
	buf_free(&out);
	buf_free(&w);
	return st;
}

/* A message from a worker: an upload, or the channel's end. */
static void
chan_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct chan		*c = arg;
	struct titan_put	 p;
	struct buf		 b = BUF_INIT;
	char			 why[512];
	int			 fds[MSG_FDS], nfds = 0, type, r, st;

	(void)l;
	(void)ev;
	if ((r = msg_recv(fd, &type, &b, fds, &nfds)) <= 0) {
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			publish_gone(c->pub, c->slot);
		goto done;
	}
	if (type != TITAN_MSG_PUT || b.len != sizeof(p) || nfds > 1) {
		log_warnx("titan: a malformed message from a worker");
		goto done;
	}
	memcpy(&p, b.data, sizeof(p));
	p.path[sizeof(p.path) - 1] = p.mime[sizeof(p.mime) - 1] = '\0';
	if ((st = put(c->pub, c, &p, nfds == 1 ? fds[0] : -1, why,
	    sizeof(why))) != 0)
		answer(c->pub, c->slot, p.id, st, "%s", why);
done:
	while (nfds > 0)
		close(fds[--nfds]);
	buf_free(&b);
}
