/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * catalog_bulk.c: a first build of the catalog (catalog.h). An empty
 * catalog has nothing a crash could lose, so its first scan writes a
 * new file, path.new, with neither journal nor sync, in a process of
 * its own ("bantin-index", forked by catalog_bulk_begin): the scan
 * parses and converts, and sends each article down a pipe; the build
 * stores it and indexes it, on the other core. The index is fed in FTS
 * rowid order (newest first) as far as it can be: the build holds back
 * up to BULK_PENDING bytes of text and hands FTS5 the newest it holds
 * that is not newer than the last it handed (replacement selection),
 * so FTS5 writes long runs in order instead of a segment each time a
 * rowid goes back (the scan meets articles folder by folder). The
 * texts wait in a stage file until the end, and the table text is
 * written from it in key order, into full pages. At the scan's end the
 * build merges the index, syncs the file and exits; the scan's process
 * renames it over the catalog. A crash before that leaves path.new,
 * which the next first build overwrites, and the empty catalog, which
 * makes the next start build again; the build dies with the scan's
 * process.
 *
 *   catalog_scan.c -> catalog_bulk.c -> catalog.c
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "article.h"
#include "buf.h"
#include "catalog.h"
#include "catalog_bulk.h"
#include "catalog_int.h"
#include "log.h"

/*
 * The build's SQLite page cache, and FTS5's memory of terms before it
 * writes a segment (its default is 1 MB). FTS5 merges nothing while the
 * build writes (automerge, and crisismerge up to 256 segments a level),
 * and all of it once at the end (optimize): one merge, not the levels'
 * merges over and again on the way (a sixth of the build's time).
 */
#define BULK_CACHE_KB		"65536"
#define BULK_HASH_BYTES		(16 << 20)
#define BULK_CRISIS		256
#define BULK_PENDING		(16 << 20)	/* bytes of text held back */
#define BULK_PIPE		(1 << 20)	/* the pipe's buffer */
#define BULK_WRITE		(256 << 10)	/* records sent at once */
#define BULK_RECORD_MAX		(64 << 20)	/* a record, at most */
#define BULK_AHEAD		(32 << 20)	/* read ahead of the build */
#define BULK_WRITEBACK_MS	200

enum { REC_PUT = 'P', REC_END = 'E' };

/* A text held back (struct pending): its strings follow it. */
struct pend {
	int		 run;
	int		 dead;		/* taken back by a later put */
	long long	 key;
	size_t		 titlelen, tagslen, plainlen;
	char		 data[];	/* title, tags, plain text */
};

/*
 * The pipe, read ahead by a thread into a ring of BULK_AHEAD bytes: an
 * FTS5 segment written, or a run of held-back texts indexed, takes the
 * build a tenth of a second or more, in which the scan fills the pipe's
 * megabyte in a few milliseconds and waited for the rest; with a pipe
 * of 64 KB the first build at 100,000 articles took 40% longer than
 * with 1 MB. The pipe cannot be made larger than 1 MB without
 * privilege (/proc/sys/fs/pipe-max-size).
 */
struct ahead {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* bytes, room, or the end */
	char		*ring;
	size_t		 in, out;	/* bytes read, bytes taken */
	int		 end;		/* the pipe's end or an error */
	int		 fd;
};

/*
 * The end of a build (the held-back texts, the texts, the merge of the
 * index: 3.5 s at 100,000 articles, more than 30 at a million) leaves
 * the scan's core idle: a thread there starts the file's pages on their
 * way to the disk every BULK_WRITEBACK_MS, so that the sync at the end
 * waits for the last few only (it took 0.3 s alone at 100,000).
 */
struct writeback {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	pthread_t	 t;
	int		 fd;		/* path.new; -1: no thread */
	int		 stop;
};

/* A staged record read back. */
struct stage_rec {
	const char	*title, *tags, *text;
	size_t		 titlelen, tagslen, textlen;
	int		 packed;
};

static int	 bulk_child(struct catalog *, int, pid_t);
static int	 bulk_read(struct ahead *, struct buf *, size_t *, int *);
static int	 ahead_start(struct ahead *, int);
static void	*ahead_fill(void *);
static int	 ahead_take(struct ahead *, char *, size_t);
static void	 writeback_start(struct writeback *, const char *);
static void	*writeback_run(void *);
static void	 writeback_stop(struct writeback *);
static int	 thread_start(pthread_t *, void *(*)(void *), void *);
static int	 bulk_put(struct catalog *, const char *, size_t);
static int	 bulk_text(struct catalog *, long long, int, long long,
		    const struct article_meta *, const struct buf *,
		    const struct buf *, int);
static int	 bulk_finish(struct catalog *);
static int	 bulk_texts(struct catalog *);
static int	 bulk_wait(struct catalog *);
static void	 bulk_reopen(struct catalog *);
static int	 bulk_write(struct bulk *);
static int	 sync_dir(const char *);
static int	 pend_push(struct catalog *, long long,
		    const struct article_meta *, const struct buf *);
static int	 pend_pop(struct catalog *);
static int	 pend_forget(struct catalog *, long long);
static void	 pend_free(struct pending *);
static int	 fts_put(struct catalog *, int, long long, const char *,
		    size_t, const char *, size_t, const char *, size_t);
static int	 stage_open(struct stage *, const char *);
static void	 stage_close(struct stage *);
static int	 stage_flush(struct stage *);
static int	 stage_put(struct stage *, long long,
		    const struct article_meta *, const struct buf *, int);
static int	 stage_get(struct stage *, const struct stage_ent *,
		    struct stage_rec *);
static int	 stage_parse(const char *, const struct stage_ent *,
		    struct stage_rec *);

/* Room for element n of arr: arr, moved, or NULL (ENOMEM). */
static void *
grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t	 ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 1024;
	if ((arr = reallocarray(arr, ncap, size)) != NULL)
		*cap = ncap;
	return arr;
}

/*
 * The scan's side.
 */

int
catalog_bulk_begin(struct catalog *cat)
{
	struct bulk	*bk = &cat->bk;
	sigset_t	 all, old;
	pid_t		 pid, parent;
	int		 p[2];

	if (catalog_unlink_with(cat->path, ".new") == -1) {
		log_warn("catalog: %s.new", cat->path);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		log_warn("catalog: pipe");
		return -1;
	}
	(void)fcntl(p[1], F_SETPIPE_SZ, BULK_PIPE);
	/* no connection crosses the fork */
	catalog_shut(cat);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	parent = getpid();
	if ((pid = fork()) == 0) {
		close(p[1]);
		_exit(bulk_child(cat, p[0], parent));
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[0]);
	if (pid == -1) {
		log_warn("catalog: fork");
		close(p[1]);
		bulk_reopen(cat);
		return -1;
	}
	memset(bk, 0, sizeof(*bk));
	bk->stage.fd = -1;
	bk->pid = pid;
	bk->fd = p[1];
	cat->bulk = BULK_FEED;
	cat->in_scan = 1;
	return 0;
}

/* a string, or NULL: its length + 1 (0 for NULL), then its bytes and
 * its NUL, so that the build reads it in place */
static int
put_str(struct buf *b, const char *s)
{
	if (s == NULL)
		return buf_put_u32(b, 0);
	return buf_put_u32(b, (uint32_t)strlen(s) + 1) == -1 ? -1 :
	    buf_append(b, s, strlen(s) + 1);
}

static int
put_bytes(struct buf *b, const char *v, size_t len)
{
	return buf_put_u32(b, (uint32_t)len) == -1 ? -1 :
	    buf_append(b, v != NULL ? v : "", len);
}

/*
 * The scan's side of a put: its record. The build makes the plain text
 * and packs it: while the scan runs, the scan (reading and converting
 * the sources) is the busier of the two, and the converted text alone
 * crosses the pipe.
 */
int
catalog_bulk_feed(struct catalog *cat, const char *src, const char *urlpath,
    long long size, long long mtime, const struct article_meta *m,
    const char *text, size_t textlen)
{
	struct bulk	*bk = &cat->bk;
	struct buf	*b = &bk->out;
	size_t		 mark = b->len;
	uint32_t	 len;

	/* the build is gone: said once (bulk_write), and the end says
	 * the catalog is not made; the scan goes on */
	if (bk->failed)
		return 0;
	if (buf_put_u32(b, 0) == -1 || buf_putc(b, REC_PUT) == -1 ||
	    put_str(b, src) == -1 || put_str(b, urlpath) == -1 ||
	    buf_put_u64(b, (uint64_t)size) == -1 ||
	    buf_put_u64(b, (uint64_t)mtime) == -1 ||
	    put_str(b, m->title) == -1 || put_str(b, m->tags) == -1 ||
	    buf_put_u64(b, (uint64_t)m->date) == -1 ||
	    buf_put_u64(b, (uint64_t)m->zone) == -1 ||
	    buf_put_u32(b, (uint32_t)(m->has_date | m->has_time << 1 |
	    m->has_zone << 2)) == -1 || put_bytes(b, text, textlen) == -1) {
		b->len = mark;
		log_warnx("catalog: out of memory");
		return -1;
	}
	len = (uint32_t)(b->len - mark - sizeof(len));
	memcpy(b->data + mark, &len, sizeof(len));
	if (b->len >= BULK_WRITE)
		(void)bulk_write(bk);
	return 0;
}

/* What the scan has to send, sent; -1 when the build is gone. */
static int
bulk_write(struct bulk *bk)
{
	size_t	 done;
	ssize_t	 n;

	for (done = 0; done < bk->out.len; done += (size_t)n) {
		if ((n = write(bk->fd, bk->out.data + done,
		    bk->out.len - done)) == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			log_warn("catalog: first build");
			bk->failed = 1;
			break;
		}
	}
	buf_reset(&bk->out);
	return bk->failed ? -1 : 0;
}

int
catalog_bulk_end(struct catalog *cat)
{
	struct bulk	*bk = &cat->bk;
	struct timespec	 t0, t1;
	char		 file[4096];
	long long	 n = 0;
	int		 ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!bk->failed && (buf_put_u32(&bk->out, 1) == -1 ||
	    buf_putc(&bk->out, REC_END) == -1))
		bk->failed = 1;
	ok = !bk->failed && bulk_write(bk) == 0;
	close(bk->fd);
	bk->fd = -1;
	ok = bulk_wait(cat) == 0 && ok;
	/* a stale WAL of the old file must not be replayed into it */
	if (ok && (catalog_path_with(file, sizeof(file), cat->path,
	    ".new") == -1 || catalog_unlink_with(cat->path, "-wal") == -1 ||
	    catalog_unlink_with(cat->path, "-shm") == -1 ||
	    rename(file, cat->path) == -1)) {
		log_warn("catalog: %s.new", cat->path);
		ok = 0;
	}
	/* the rename on the disk before anything is written to the new
	 * file's WAL: a power cut must not find that WAL beside the old,
	 * empty catalog */
	if (ok && sync_dir(cat->path) == -1)
		log_warn("catalog: fsync the folder of %s", cat->path);
	bulk_reopen(cat);
	if (!ok || cat->db == NULL)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	(void)catalog_int(cat->db, "SELECT count(*) FROM article", &n);
	log_info("catalog: first build of %lld entries, %lld ms after the "
	    "scan", n, (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return 0;
}

void
catalog_bulk_abort(struct catalog *cat)
{
	/* the build sees the pipe close before an end, and stops */
	if (cat->bk.fd != -1)
		close(cat->bk.fd);
	cat->bk.fd = -1;
	(void)bulk_wait(cat);
	bulk_reopen(cat);
}

/* fsync the folder that holds path */
static int
sync_dir(const char *path)
{
	char	 dir[4096];
	char	*slash;
	int	 fd, r;

	if (strlen(path) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* The build's end: 0 if it made its file. */
static int
bulk_wait(struct catalog *cat)
{
	struct bulk	*bk = &cat->bk;
	int		 status = 0;
	pid_t		 r;

	buf_free(&bk->out);
	if (bk->pid <= 0)
		return -1;
	while ((r = waitpid(bk->pid, &status, 0)) == -1 && errno == EINTR)
		;
	bk->pid = 0;
	if (r == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_warnx("catalog: the first build failed (%s %d)",
		    r != -1 && WIFSIGNALED(status) ? "signal" : "status",
		    r == -1 ? -1 : WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

/* Back to the catalog, whole or empty; a failed build's file goes. */
static void
bulk_reopen(struct catalog *cat)
{
	char	 err[256];
	int	 damaged = 0;

	cat->bulk = BULK_NONE;
	cat->in_scan = 0;
	catalog_keyset_clear(&cat->seen);
	if (catalog_unlink_with(cat->path, ".new") == -1)
		log_warn("catalog: %s.new", cat->path);
	/* the file the build wrote and synced: its quick_check (0.07 s
	 * at 100,000 articles) comes after ready (catalog_check_now) */
	cat->later_check = 1;
	if (catalog_try_open(cat, cat->path, err, sizeof(err),
	    &damaged) == -1) {
		log_warnx("catalog %s: %s", cat->path, err);
		cat->later_check = 0;
		catalog_shut(cat);
		return;
	}
	cat->later_check = 0;
	cat->untidy = TIDY_FTS;
}

/*
 * The build's side: a process that stores what the scan sends and
 * exits, 0 when its file is whole.
 */

static int
bulk_child(struct catalog *cat, int fd, pid_t parent)
{
	static struct ahead	 ah;	/* the thread's to the exit */
	struct sigaction	 sa;
	struct buf		 rec = BUF_INIT;
	char			 file[4096], err[256], sql[512];
	size_t			 len;
	sigset_t		 none;
	int			 type, r, damaged = 0;

	/* the scan's handlers are not ours; its death is ours */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the master gone before the death signal was set: no one reads */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		return 1;
	prctl(PR_SET_NAME, "bantin-index", 0, 0, 0);

	memset(&cat->bk, 0, sizeof(cat->bk));
	cat->bk.fd = fd;
	cat->bk.stage.fd = -1;
	cat->bulk = BULK_BUILD;
	if (catalog_path_with(file, sizeof(file), cat->path, ".new") == -1 ||
	    stage_open(&cat->bk.stage, cat->path) == -1)
		return 1;
	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = OFF;"
	    " PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
	    " PRAGMA cache_size = -%s; BEGIN;"
	    " INSERT INTO fts (fts, rank) VALUES ('hashsize', %d);"
	    " INSERT INTO fts (fts, rank) VALUES ('automerge', 0);"
	    " INSERT INTO fts (fts, rank) VALUES ('crisismerge', %d);"
	    " INSERT INTO titles (titles, rank) VALUES ('automerge', 0);"
	    " INSERT INTO titles (titles, rank) VALUES ('crisismerge', %d)",
	    BULK_CACHE_KB, BULK_HASH_BYTES, BULK_CRISIS, BULK_CRISIS);
	if (catalog_try_open(cat, file, err, sizeof(err), &damaged) == -1 ||
	    sqlite3_exec(cat->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		log_warnx("catalog %s: %s", file, cat->db != NULL ?
		    sqlite3_errmsg(cat->db) : err);
		return 1;
	}
	cat->in_scan = 1;
	if (ahead_start(&ah, fd) == -1) {
		log_warn("catalog: first build");
		return 1;
	}
	r = 1;
	while (bulk_read(&ah, &rec, &len, &type) == 0) {
		if (type == REC_END) {
			r = bulk_finish(cat);
			break;
		}
		if (type != REC_PUT || bulk_put(cat, rec.data, len) == -1)
			break;
	}
	buf_free(&rec);
	buf_free(&cat->bk.plain);
	return r;
}

/* The next record into rec (its payload, without its type): 0, or -1
 * at the pipe's end or on a bad record. */
static int
bulk_read(struct ahead *ah, struct buf *rec, size_t *len, int *type)
{
	uint32_t	 n;
	char		 head[sizeof(n) + 1];

	if (ahead_take(ah, head, sizeof(head)) == -1)
		return -1;
	memcpy(&n, head, sizeof(n));
	*type = head[sizeof(n)];
	if (n == 0 || n > BULK_RECORD_MAX)
		return -1;
	*len = n - 1;
	buf_reset(rec);
	if (buf_reserve(rec, *len) == -1)
		return -1;
	return ahead_take(ah, rec->data, *len);
}

/* The thread that reads the pipe into the ring; the build's process
 * ends with it running (exit). 0, or -1 with errno set. */
static int
ahead_start(struct ahead *ah, int fd)
{
	pthread_t	 t;
	int		 e;

	memset(ah, 0, sizeof(*ah));
	ah->fd = fd;
	if ((ah->ring = malloc(BULK_AHEAD)) == NULL)
		return -1;
	if ((e = pthread_mutex_init(&ah->mu, NULL)) != 0 ||
	    (e = pthread_cond_init(&ah->cv, NULL)) != 0) {
		errno = e;
		return -1;
	}
	if ((e = thread_start(&t, ahead_fill, ah)) != 0 ||
	    (e = pthread_detach(t)) != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

static void *
ahead_fill(void *arg)
{
	struct ahead	*ah = arg;
	size_t		 at, room;
	ssize_t		 n;

	pthread_mutex_lock(&ah->mu);
	for (;;) {
		while (ah->in - ah->out == BULK_AHEAD)
			pthread_cond_wait(&ah->cv, &ah->mu);
		at = ah->in % BULK_AHEAD;
		room = BULK_AHEAD - (ah->in - ah->out);
		if (room > BULK_AHEAD - at)
			room = BULK_AHEAD - at;
		/* the bytes from in on are this thread's alone */
		pthread_mutex_unlock(&ah->mu);
		while ((n = read(ah->fd, ah->ring + at, room)) == -1 &&
		    errno == EINTR)
			;
		pthread_mutex_lock(&ah->mu);
		if (n <= 0)
			break;
		ah->in += (size_t)n;
		pthread_cond_signal(&ah->cv);
	}
	ah->end = 1;
	pthread_cond_signal(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
	return NULL;
}

/* The next len bytes of the pipe into dst: 0, or -1 if it ended
 * before. */
static int
ahead_take(struct ahead *ah, char *dst, size_t len)
{
	size_t	 at, n;

	pthread_mutex_lock(&ah->mu);
	while (len > 0) {
		while (ah->in == ah->out && !ah->end)
			pthread_cond_wait(&ah->cv, &ah->mu);
		if (ah->in == ah->out)
			break;
		at = ah->out % BULK_AHEAD;
		n = ah->in - ah->out;
		if (n > BULK_AHEAD - at)
			n = BULK_AHEAD - at;
		if (n > len)
			n = len;
		/* the bytes up to in are this thread's alone */
		pthread_mutex_unlock(&ah->mu);
		memcpy(dst, ah->ring + at, n);
		dst += n;
		len -= n;
		pthread_mutex_lock(&ah->mu);
		if (ah->in - ah->out == BULK_AHEAD)
			pthread_cond_signal(&ah->cv);
		ah->out += n;
	}
	pthread_mutex_unlock(&ah->mu);
	return len == 0 ? 0 : -1;
}

/* put_str's string, in the record, or NULL */
static char *
get_str(struct buf_rd *r)
{
	size_t		 n = (size_t)buf_rd_u32(r);
	const char	*s;

	if (n == 0 || (s = buf_rd_bytes(r, n)) == NULL)
		return NULL;
	if (memchr(s, '\0', n) != s + n - 1) {
		r->bad = 1;
		return NULL;
	}
	return (char *)(uintptr_t)s;
}

/* a put_bytes into a buf that only points at the record */
static void
get_buf(struct buf_rd *r, struct buf *b)
{
	b->len = (size_t)buf_rd_u32(r);
	b->data = (char *)(uintptr_t)buf_rd_bytes(r, b->len);
	b->cap = 0;
}

/* One put the scan sent. */
static int
bulk_put(struct catalog *cat, const char *data, size_t len)
{
	struct article_meta	 m;
	struct put_key		 pk;
	struct buf_rd		 r = { data, len, 0 };
	struct buf		 text, *plain = &cat->bk.plain;
	const struct buf	*stored;
	char			*src, *urlpath;
	long long		 size, mtime;
	size_t			 flags;
	int			 rc, packed;

	memset(&m, 0, sizeof(m));
	src = get_str(&r);
	urlpath = get_str(&r);
	size = (int64_t)buf_rd_u64(&r);
	mtime = (int64_t)buf_rd_u64(&r);
	m.title = get_str(&r);
	m.tags = get_str(&r);
	m.date = (time_t)(int64_t)buf_rd_u64(&r);
	m.zone = (long)(int64_t)buf_rd_u64(&r);
	flags = (size_t)buf_rd_u32(&r);
	get_buf(&r, &text);
	if (r.bad || src == NULL || text.data == NULL) {
		log_warnx("catalog: first build: a bad record");
		return -1;
	}
	m.has_date = flags & 1;
	m.has_time = (flags >> 1) & 1;
	m.has_zone = (flags >> 2) & 1;
	buf_reset(plain);
	if ((rc = catalog_text_plain(&m, text.data, text.len, plain)) ==
	    SQLITE_DONE)
		rc = catalog_text_pack(cat, plain, &packed);
	if (rc == SQLITE_DONE) {
		stored = packed ? &cat->z : plain;
		rc = catalog_put1(cat, src, urlpath, size, mtime, &m, plain,
		    stored, packed, &pk);
	}
	if (rc == SQLITE_DONE)
		rc = bulk_text(cat, pk.key, pk.has_old, pk.old, &m, plain,
		    stored, packed);
	if (rc != SQLITE_DONE) {
		catalog_fail(cat, "first build", rc);
		return -1;
	}
	return 0;
}

/* The scan is over: what is held back goes in, the index is merged,
 * the texts are written, and the file is made ready to be put in
 * place. 0, or 1 on an error. */
static int
bulk_finish(struct catalog *cat)
{
	struct writeback	 wb;
	char			 file[4096];
	int			 rc = SQLITE_DONE, fd;

	if (catalog_path_with(file, sizeof(file), cat->path, ".new") == -1)
		return 1;
	writeback_start(&wb, file);
	while (cat->bk.pend.n > 0 && rc == SQLITE_DONE)
		rc = pend_pop(cat);
	pend_free(&cat->bk.pend);
	if (rc == SQLITE_DONE)
		rc = bulk_texts(cat);
	/* the runs' segments, one; the pages the merges freed go back */
	if (rc != SQLITE_DONE ||
	    (rc = sqlite3_exec(cat->db, "INSERT INTO fts (fts)"
	    " VALUES ('optimize'); DELETE FROM fts_config"
	    " WHERE k IN ('hashsize', 'automerge', 'crisismerge');"
	    " INSERT INTO titles (titles) VALUES ('optimize');"
	    " DELETE FROM titles_config"
	    " WHERE k IN ('automerge', 'crisismerge'); COMMIT;"
	    " PRAGMA incremental_vacuum; PRAGMA journal_mode = WAL", NULL,
	    NULL, NULL)) != SQLITE_OK) {
		writeback_stop(&wb);
		catalog_fail(cat, "first build", rc);
		return 1;
	}
	writeback_stop(&wb);
	catalog_shut(cat);
	stage_close(&cat->bk.stage);
	/* on disk before it takes the catalog's name */
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return 1;
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? 0 : 1;
}

/* The thread, if it can be made: without it the sync does it all. */
static void
writeback_start(struct writeback *wb, const char *file)
{
	memset(wb, 0, sizeof(*wb));
	if ((wb->fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if (pthread_mutex_init(&wb->mu, NULL) != 0)
		goto nofd;
	if (pthread_cond_init(&wb->cv, NULL) != 0)
		goto nomu;
	if (thread_start(&wb->t, writeback_run, wb) == 0)
		return;
	pthread_cond_destroy(&wb->cv);
nomu:
	pthread_mutex_destroy(&wb->mu);
nofd:
	close(wb->fd);
	wb->fd = -1;
}

/* A thread of the build's that takes no signal (they are the main
 * thread's): 0, or pthread_create's error. */
static int
thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t	 all, old;
	int		 e;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

static void *
writeback_run(void *arg)
{
	struct writeback	*wb = arg;
	struct timespec		 at;

	pthread_mutex_lock(&wb->mu);
	while (!wb->stop) {
		pthread_mutex_unlock(&wb->mu);
		/* an error here is the sync's to report */
		(void)sync_file_range(wb->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_nsec += BULK_WRITEBACK_MS * 1000000L;
		if (at.tv_nsec >= 1000000000L) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&wb->mu);
		if (!wb->stop)
			(void)pthread_cond_timedwait(&wb->cv, &wb->mu, &at);
	}
	pthread_mutex_unlock(&wb->mu);
	return NULL;
}

static void
writeback_stop(struct writeback *wb)
{
	if (wb->fd == -1)
		return;
	pthread_mutex_lock(&wb->mu);
	wb->stop = 1;
	pthread_cond_signal(&wb->cv);
	pthread_mutex_unlock(&wb->mu);
	pthread_join(wb->t, NULL);
	pthread_cond_destroy(&wb->cv);
	pthread_mutex_destroy(&wb->mu);
	close(wb->fd);
	wb->fd = -1;
}

/*
 * The text of the entry catalog_put1 stored at key. A put of a source
 * this build has stored before (a scan sends each once; the API allows
 * more) takes the old text back: held, it is dropped; in the index
 * already, it is deleted there with the values it went in with, from
 * the stage.
 */
static int
bulk_text(struct catalog *cat, long long key, int has_old, long long old,
    const struct article_meta *meta, const struct buf *plain,
    const struct buf *stored, int packed)
{
	struct bulk	*bk = &cat->bk;
	int		 rc;

	if (has_old && (rc = pend_forget(cat, old)) != SQLITE_DONE)
		return rc;
	if (has_old && old != key &&
	    catalog_keyset_add(&bk->stage.dead, old) == -1)
		return SQLITE_NOMEM;
	catalog_keyset_del(&bk->stage.dead, key);
	if ((rc = stage_put(&bk->stage, key, meta, stored, packed)) !=
	    SQLITE_DONE ||
	    (rc = pend_push(cat, key, meta, plain)) != SQLITE_DONE)
		return rc;
	while (bk->pend.bytes > BULK_PENDING && rc == SQLITE_DONE)
		rc = pend_pop(cat);
	return rc;
}

/* One row of the index and of the titles' index: in, or out (del) with
 * the values it went in with. An SQLite code. */
static int
fts_put(struct catalog *cat, int del, long long key, const char *title,
    size_t titlelen, const char *text, size_t textlen, const char *tags,
    size_t tagslen)
{
	sqlite3_stmt	*st = del ? cat->st_fts_del : cat->st_fts_ins;
	int		 rc;

	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, title, (int)titlelen, SQLITE_STATIC);
	sqlite3_bind_text64(st, 3, text, textlen, SQLITE_STATIC, SQLITE_UTF8);
	sqlite3_bind_text(st, 4, tags, (int)tagslen, SQLITE_STATIC);
	if ((rc = catalog_stmt_run(st)) != SQLITE_DONE)
		return rc;
	st = del ? cat->st_title_del : cat->st_title_ins;
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, title, (int)titlelen, SQLITE_STATIC);
	return catalog_stmt_run(st);
}

/*
 * The texts held back: a heap by run, then FTS rowid (the key negated:
 * newest first, catalog.h). A text not newer than the last one indexed
 * joins its run; a newer one waits for the next. Each run goes to FTS5
 * in rowid order, and is on average twice as long as what is held
 * (BULK_PENDING).
 */

static int
pend_less(const struct pend *a, const struct pend *b)
{
	if (a->run != b->run)
		return a->run < b->run;
	return a->key > b->key;
}

static int
pend_push(struct catalog *cat, long long key, const struct article_meta *m,
    const struct buf *plain)
{
	struct pending	*pd = &cat->bk.pend;
	struct pend	*e, **h;
	const char	*title = m->title != NULL ? m->title : "";
	const char	*tags = m->tags != NULL ? m->tags : "";
	size_t		 i, up, tl = strlen(title), gl = strlen(tags);

	if ((h = grow(pd->h, pd->n, &pd->cap, sizeof(*h))) == NULL)
		return SQLITE_NOMEM;
	pd->h = h;
	if ((e = malloc(sizeof(*e) + tl + gl + plain->len)) == NULL)
		return SQLITE_NOMEM;
	e->run = pd->started && key > pd->last ? pd->run + 1 : pd->run;
	e->dead = 0;
	e->key = key;
	e->titlelen = tl;
	e->tagslen = gl;
	e->plainlen = plain->len;
	memcpy(e->data, title, tl);
	memcpy(e->data + tl, tags, gl);
	if (plain->len > 0)
		memcpy(e->data + tl + gl, plain->data, plain->len);
	for (i = pd->n++; i > 0 && pend_less(e, pd->h[up = (i - 1) / 2]);
	    i = up)
		pd->h[i] = pd->h[up];
	pd->h[i] = e;
	pd->bytes += sizeof(*e) + tl + gl + plain->len;
	return SQLITE_DONE;
}

/* The first held text into the index; an SQLite code. */
static int
pend_pop(struct catalog *cat)
{
	struct pending	*pd = &cat->bk.pend;
	struct pend	*e = pd->h[0], *last;
	size_t		 i, c;
	int		 rc = SQLITE_DONE;

	last = pd->h[--pd->n];
	for (i = 0; (c = 2 * i + 1) < pd->n; i = c) {
		if (c + 1 < pd->n && pend_less(pd->h[c + 1], pd->h[c]))
			c++;
		if (!pend_less(pd->h[c], last))
			break;
		pd->h[i] = pd->h[c];
	}
	if (pd->n > 0)
		pd->h[i] = last;
	pd->run = e->run;
	pd->last = e->key;
	pd->started = 1;
	pd->bytes -= sizeof(*e) + e->titlelen + e->tagslen + e->plainlen;
	if (!e->dead)
		rc = fts_put(cat, 0, e->key, e->data, e->titlelen,
		    e->data + e->titlelen + e->tagslen, e->plainlen,
		    e->data + e->titlelen, e->tagslen);
	free(e);
	return rc;
}

/* The text at key taken back: dropped if held, deleted from the index
 * if it went in. */
static int
pend_forget(struct catalog *cat, long long key)
{
	struct pending		*pd = &cat->bk.pend;
	struct stage		*sg = &cat->bk.stage;
	struct stage_rec	 r;
	size_t			 i;

	for (i = 0; i < pd->n; i++)
		if (pd->h[i]->key == key && !pd->h[i]->dead) {
			pd->h[i]->dead = 1;
			return SQLITE_DONE;
		}
	for (i = sg->n; i-- > 0; )
		if (sg->ent[i].key == key)
			break;
	if (i == (size_t)-1 || stage_flush(sg) == -1 ||
	    stage_get(sg, &sg->ent[i], &r) == -1 ||
	    catalog_text_get(&cat->text, &cat->old, r.text, r.textlen,
	    r.packed) == -1)
		return SQLITE_CORRUPT;
	return fts_put(cat, 1, key, r.title, r.titlelen, cat->old.data,
	    cat->old.len, r.tags, r.tagslen);
}

static void
pend_free(struct pending *pd)
{
	while (pd->n > 0)
		free(pd->h[--pd->n]);
	free(pd->h);
	memset(pd, 0, sizeof(*pd));
}

static int
stage_cmp(const void *a, const void *b)
{
	const struct stage_ent	*x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* The table text from the stage, in key order: the last text staged
 * for a key, unless a later put took the key away. An SQLite code. */
static int
bulk_texts(struct catalog *cat)
{
	struct stage		*sg = &cat->bk.stage;
	struct stage_rec	 r;
	sqlite3_stmt		*st = cat->st_text_put;
	char			*map = MAP_FAILED;
	size_t			 i;
	int			 rc = SQLITE_DONE;

	if (stage_flush(sg) == -1)
		return SQLITE_IOERR;
	if (sg->n > 1)
		qsort(sg->ent, sg->n, sizeof(*sg->ent), stage_cmp);
	/*
	 * Read in key order, the stage is read at random: mapped, a
	 * record is a look in memory, not a pread (a million records
	 * took 5.8 s with one each). Where the address space is short
	 * (32 bits, a big stage), pread.
	 */
	if (sg->size > 0 && (unsigned long long)sg->size <= SIZE_MAX / 2)
		map = mmap(NULL, (size_t)sg->size, PROT_READ,
		    MAP_PRIVATE | MAP_POPULATE, sg->fd, 0);
	for (i = 0; i < sg->n && rc == SQLITE_DONE; i++) {
		if ((i + 1 < sg->n && sg->ent[i + 1].key == sg->ent[i].key) ||
		    catalog_keyset_has(&sg->dead, sg->ent[i].key))
			continue;
		if (map != MAP_FAILED && (sg->ent[i].off > sg->size ||
		    sg->ent[i].len > (size_t)(sg->size - sg->ent[i].off))) {
			rc = SQLITE_IOERR;
			break;
		}
		if ((map != MAP_FAILED ? stage_parse(map + sg->ent[i].off,
		    &sg->ent[i], &r) : stage_get(sg, &sg->ent[i], &r)) == -1) {
			rc = SQLITE_IOERR;
			break;
		}
		sqlite3_bind_int64(st, 1, sg->ent[i].key);
		if (r.packed)
			sqlite3_bind_blob(st, 2, r.text, (int)r.textlen,
			    SQLITE_STATIC);
		else
			sqlite3_bind_text(st, 2, r.text, (int)r.textlen,
			    SQLITE_STATIC);
		rc = catalog_stmt_run(st);
	}
	if (map != MAP_FAILED)
		munmap(map, (size_t)sg->size);
	return rc;
}

/*
 * The stage: a file of records (title, tags, text as the table keeps
 * it) in the order the scan put them, unlinked as soon as it is open,
 * and where each key's records are. A record is three 32-bit lengths,
 * a byte that says whether the text is packed, then the bytes.
 */
#define STAGE_HEAD	13
#define STAGE_BUF	(1 << 20)

static int
stage_open(struct stage *sg, const char *path)
{
	char	 file[4096];

	memset(sg, 0, sizeof(*sg));
	sg->fd = -1;
	if (catalog_path_with(file, sizeof(file), path, ".stage") == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((sg->fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		return -1;
	(void)unlink(file);
	return 0;
}

static void
stage_close(struct stage *sg)
{
	if (sg->fd != -1)
		close(sg->fd);
	buf_free(&sg->out);
	buf_free(&sg->in);
	free(sg->ent);
	catalog_keyset_clear(&sg->dead);
	memset(sg, 0, sizeof(*sg));
	sg->fd = -1;
}

static int
stage_flush(struct stage *sg)
{
	size_t	 done;
	ssize_t	 n;

	for (done = 0; done < sg->out.len; done += (size_t)n)
		if ((n = pwrite(sg->fd, sg->out.data + done, sg->out.len - done,
		    sg->size + (off_t)done)) <= 0) {
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			return -1;
		}
	sg->size += (off_t)sg->out.len;
	buf_reset(&sg->out);
	return 0;
}

static int
stage_put(struct stage *sg, long long key, const struct article_meta *meta,
    const struct buf *text, int packed)
{
	struct stage_ent	*e;
	const char		*title = meta->title != NULL ? meta->title : "";
	const char		*tags = meta->tags != NULL ? meta->tags : "";
	char			 d = (char)packed;

	if ((e = grow(sg->ent, sg->n, &sg->cap, sizeof(*e))) == NULL)
		return SQLITE_NOMEM;
	sg->ent = e;
	e = &sg->ent[sg->n++];
	e->key = key;
	e->off = sg->size + (off_t)sg->out.len;
	e->len = STAGE_HEAD + strlen(title) + strlen(tags) + text->len;
	if (buf_put_u32(&sg->out, (uint32_t)strlen(title)) == -1 ||
	    buf_put_u32(&sg->out, (uint32_t)strlen(tags)) == -1 ||
	    buf_put_u32(&sg->out, (uint32_t)text->len) == -1 ||
	    buf_append(&sg->out, &d, 1) == -1 ||
	    buf_puts(&sg->out, title) == -1 || buf_puts(&sg->out, tags) == -1 ||
	    buf_append(&sg->out, text->data, text->len) == -1)
		return SQLITE_NOMEM;
	if (sg->out.len >= STAGE_BUF && stage_flush(sg) == -1)
		return SQLITE_IOERR;
	return SQLITE_DONE;
}

/* The record of e, read into sg->in and pointed at by r. */
static int
stage_get(struct stage *sg, const struct stage_ent *e, struct stage_rec *r)
{
	buf_reset(&sg->in);
	if (buf_reserve(&sg->in, e->len) == -1 ||
	    pread(sg->fd, sg->in.data, e->len, e->off) != (ssize_t)e->len)
		return -1;
	return stage_parse(sg->in.data, e, r);
}

/* The record of e at p, its e->len bytes, pointed at by r. */
static int
stage_parse(const char *p, const struct stage_ent *e, struct stage_rec *r)
{
	uint32_t	 len[3];

	memcpy(len, p, sizeof(len));
	if ((size_t)len[0] + len[1] + len[2] + STAGE_HEAD != e->len)
		return -1;
	r->packed = p[12];
	r->title = p + STAGE_HEAD;
	r->titlelen = len[0];
	r->tags = r->title + len[0];
	r->tagslen = len[1];
	r->text = r->tags + len[1];
	r->textlen = len[2];
	return 0;
}
