/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * server.c: a worker process. It serves the snapshot it was forked
 * with, from one event loop over the shared listeners, until the master
 * tells it to stop (SIGTERM): then it stops accepting, finishes the
 * connections it has and exits. This file also holds the two front-end
 * tables that conn.c drives: each glues a protocol parser to route()
 * and writes the reply in its protocol.
 */

#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "conn.h"
#include "counter.h"
#include "gemini.h"
#include "gopher.h"
#include "log.h"
#include "loop.h"
#include "mime.h"
#include "pagecache.h"
#include "proto.h"
#include "render.h"
#include "route.h"
#include "sandbox.h"
#include "search.h"
#include "server.h"
#include "site.h"
#include "utf8.h"

#define SERVER_TICK_MS	250
#define SERVER_DRAIN_MS	10000	/* under master.c's MASTER_STOP_GRACE */
#define SERVER_TRIM_CONNS	64	/* a burst this big is trimmed after */
#define SERVER_TRIM_KEEP	(4 * 1024 * 1024)	/* free heap kept */
#define SERVER_TRIM_EVERY	1	/* seconds, at most, while busy */
#define SERVER_PAGE_BUDGET	(2 * 1024 * 1024)	/* page cache, bytes */
#define SERVER_PAGE_SLOTS	1024
/* a counter label longer than this could wrap differently around the
 * marker than around the number: such pages are not kept */
#define SERVER_HOLE_LABEL_MAX	40

static volatile sig_atomic_t	 worker_stop;
static int			 worker_pipe[2] = { -1, -1 };

static void	gemini_handle(struct server *, const char *, size_t, int,
		    struct request *, struct reply *, struct buf *);
static void	gemini_timeout(struct server *, struct buf *);
static void	gopher_handle(struct server *, const char *, size_t, int,
		    struct request *, struct reply *, struct buf *);
static void	gopher_timeout(struct server *, struct buf *);

typedef void	(*write_fn)(struct server *, const struct request *,
		    const struct reply *, struct buf *);
static void	gemini_write(struct server *, const struct request *,
		    const struct reply *, struct buf *);
static void	gopher_write(struct server *, const struct request *,
		    const struct reply *, struct buf *);
static void	serve(struct server *, const struct request *,
		    struct reply *, struct buf *, write_fn);

const struct frontend gemini_frontend = {
	"gemini", 1, GEMINI_URL_MAX, 1, gemini_handle, gemini_timeout
};

const struct frontend gopher_frontend = {
	/* selector, TAB, query: the selector alone is capped in gopher.c */
	"gopher", 0, CONN_IN_MAX - 2, 0, gopher_handle, gopher_timeout
};

static void
gemini_handle(struct server *srv, const char *line, size_t len, int how,
    struct request *req, struct reply *rep, struct buf *out)
{
	enum status	 st;
	const char	*errstr;

	if (how == CONN_REQ_TOO_LONG)
		reply_status(rep, ST_BAD_REQUEST, "request too long");
	else if (how == CONN_REQ_NO_CRLF)
		reply_status(rep, ST_BAD_REQUEST,
		    "request line must end with CRLF");
	else if (gemini_parse(line, len, &srv->gemini, req, &st, &errstr)
	    == -1)
		reply_status(rep, st, "%s", errstr);
	else {
		serve(srv, req, rep, out, gemini_write);
		return;
	}
	gemini_write(srv, req, rep, out);
}

static void
gemini_write(struct server *srv, const struct request *req,
    const struct reply *rep, struct buf *out)
{
	(void)srv;
	(void)req;
	gemini_header(out, rep);
	/* a body only after 20 (spec: "Status codes") */
	if (rep->status == ST_OK && rep->kind != REPLY_FILE)
		buf_append(out, rep->body.data, rep->body.len);
}

static void
gemini_timeout(struct server *srv, struct buf *out)
{
	(void)srv;
	buf_puts(out, "59 request timeout\r\n");
}

static void
gopher_handle(struct server *srv, const char *line, size_t len, int how,
    struct request *req, struct reply *rep, struct buf *out)
{
	const char	*errstr = NULL;
	int		 r;

	if (how == CONN_REQ_TOO_LONG) {
		reply_status(rep, ST_BAD_REQUEST, "selector too long");
		gopher_error(out, &srv->gopher, rep->meta);
		return;
	}
	r = gopher_parse(line, len, req, &errstr);
	if (r == 1) {
		/* an HTTP client knocked on the Gopher port */
		reply_status(rep, ST_BAD_REQUEST, "HTTP request");
		gopher_http(out, &srv->gopher);
		return;
	}
	if (r == 2) {
		/* "URL:..." selector from a client without type h */
		rep->status = ST_OK;
		rep->kind = REPLY_DATA;
		snprintf(rep->meta, sizeof(rep->meta), "URL:");
		gopher_urlpage(out, &srv->gopher, line, len);
		return;
	}
	if (r == -1) {
		reply_status(rep, ST_BAD_REQUEST, "%s",
		    errstr ? errstr : "bad selector");
		gopher_error(out, &srv->gopher, rep->meta);
		return;
	}
	/* caps.txt is a reserved name in the tree: gopher_reply makes
	 * it, framed for a Gopher+ probe */
	serve(srv, req, rep, out, gopher_write);
	/* a Gopher+ attribute probe gets the attributes, not the file */
	if (req->probe == GOPHER_PROBE_ATTR && rep->kind == REPLY_FILE &&
	    rep->fd != -1) {
		close(rep->fd);
		rep->fd = -1;
		rep->kind = REPLY_DATA;
	}
}

static void
gopher_write(struct server *srv, const struct request *req,
    const struct reply *rep, struct buf *out)
{
	gopher_reply(out, &srv->gopher, req, rep);
}

/* "<path length>:<path>[?<query>]": no two requests share a key */
static const char *
page_key(const struct request *req, char *key, size_t len)
{
	int	 n;

	n = snprintf(key, len, "%zu:%s%s%s", strlen(req->path), req->path,
	    req->has_query ? "?" : "", req->has_query ? req->query : "");
	return n < 0 || (size_t)n >= len ? NULL : key;
}

/*
 * Route a parsed request and write the reply, through the page cache:
 * a page kept for this snapshot is copied out (its visit counted, its
 * counter's number filled in); another is rendered with the hole
 * marker for its counter, kept, and the marker replaced by the number.
 * Gopher+ probes bypass the cache: they are answered differently and
 * never counted.
 */
static void
serve(struct server *srv, const struct request *req, struct reply *rep,
    struct buf *out, write_fn write)
{
	const struct page_entry	*e;
	struct page_info	 info;
	unsigned long long	 n = 0;
	const char		*key = NULL;
	char			 keybuf[2 * REQ_PATH_MAX + 32], num[32];
	size_t			 from = out->len;

	if (srv->pages != NULL && !req->probe)
		key = page_key(req, keybuf, sizeof(keybuf));
	if (key == NULL) {
		route(&srv->rctx, req, rep);
		write(srv, req, rep, out);
		return;
	}
	e = pagecache_get(srv->pages, srv->site->serial, req->proto, key);
	if (e != NULL) {
		if (pagecache_emit(e, srv->counter, 1, srv->conf->lang, out)
		    == -1) {
			out->len = from;
			reply_status(rep, ST_TEMP_FAIL, "Out of memory");
			write(srv, req, rep, out);
			return;
		}
		rep->status = ST_OK;
		rep->kind = REPLY_DATA;
		return;
	}
	srv->rctx.hole = srv->hole;
	route(&srv->rctx, req, rep);
	srv->rctx.hole = NULL;
	write(srv, req, rep, out);
	if (rep->cache && rep->status == ST_OK && rep->kind != REPLY_FILE &&
	    out->len > from &&
	    (srv->hole != NULL || rep->hole == PAGE_HOLE_NONE)) {
		info.count = rep->count;
		info.slot = rep->slot;
		info.hole = rep->hole;
		(void)pagecache_put(srv->pages, srv->site->serial, req->proto,
		    key, out->data + from, out->len - from, srv->hole, &info);
	}
	/* only a page that shows a counter was rendered with the marker */
	if (srv->hole == NULL || rep->hole == PAGE_HOLE_NONE)
		return;
	if (srv->counter != NULL && rep->hole == PAGE_HOLE_SITE)
		n = counter_site(srv->counter);
	else if (srv->counter != NULL && rep->hole == PAGE_HOLE_VIEWS)
		n = counter_views(srv->counter, rep->slot);
	counter_format(n, srv->conf->lang, num, sizeof(num));
	if (pagecache_fill(out, from, srv->hole, num) == -1) {
		out->len = from;
		reply_status(rep, ST_TEMP_FAIL, "Out of memory");
		write(srv, req, rep, out);
	}
}

static void
gopher_timeout(struct server *srv, struct buf *out)
{
	gopher_error(out, &srv->gopher, "request timeout");
}

void
server_setup(struct server *srv, const struct config *conf,
    struct site *site, struct counter *counter, struct tls_ctx *tls)
{
	int	 i;

	srv->conf = conf;
	srv->site = site;
	srv->counter = counter;
	srv->tls = tls;

	memset(&srv->rctx, 0, sizeof(srv->rctx));
	srv->rctx.site = site;
	srv->rctx.title = conf->title;
	srv->rctx.lang = conf->lang;
	srv->rctx.hostname = conf->hostname;
	srv->rctx.per_page = conf->per_page;
	for (i = 0; i < L_COUNT; i++)
		srv->rctx.labels[i] = conf->labels[i];
	srv->rctx.counter = counter;
	srv->rctx.search = NULL;	/* opened by each worker */

	srv->gemini.hostname = conf->hostname;
	srv->gemini.port = conf->gemini_port;
	srv->gemini.lang = conf->lang;

	memset(&srv->gopher, 0, sizeof(srv->gopher));
	srv->gopher.site = site;
	srv->gopher.host = conf->gopher_host;
	srv->gopher.port = conf->gopher_adv_port;
	srv->gopher.ascii = conf->gopher_ascii;
	srv->gopher.lang = conf->lang;
	srv->gopher.title = conf->title;
}

static void
accept_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct server	*srv = arg;
	int		 i;

	(void)l;
	(void)ev;
	for (i = 0; i < srv->nlisteners; i++)
		if (srv->listeners[i].fd == fd)
			conn_accept(srv, fd, srv->listeners[i].fe);
}

void
server_accepting(struct server *srv, int on)
{
	int	 i;

	if (on == srv->accepting || (on && srv->draining))
		return;
	for (i = 0; i < srv->nlisteners; i++) {
		if (on)
			loop_add(srv->loop, srv->listeners[i].fd,
			    LOOP_READ | LOOP_EXCLUSIVE, accept_cb, srv);
		else
			loop_del(srv->loop, srv->listeners[i].fd);
	}
	srv->accepting = on;
}

static void
worker_signal(int sig)
{
	int	 saved = errno;

	(void)sig;
	worker_stop = 1;
	if (worker_pipe[1] != -1)
		(void)write(worker_pipe[1], "x", 1);
	errno = saved;
}

static void
tick_cb(struct loop *l, void *arg)
{
	struct server	*srv = arg;

	conn_tick(srv);
	/* after a burst (a thousand held TLS connections is ~35 MB), give
	 * the memory back once the worker is idle again */
	if (srv->nconns > srv->peak_conns)
		srv->peak_conns = srv->nconns;
	if (srv->nconns == 0 && srv->peak_conns >= SERVER_TRIM_CONNS) {
		malloc_trim(0);
		srv->peak_conns = 0;
	} else if (srv->peak_conns >= SERVER_TRIM_CONNS &&
	    time(NULL) - srv->trimmed >= SERVER_TRIM_EVERY &&
	    mallinfo2().fordblks > SERVER_TRIM_KEEP) {
		/* still busy, but a burst of handshakes has come and gone:
		 * their buffers (16 KB and more each, freed once the
		 * handshake is done) left holes all through the heap that
		 * the connections held open do not use. The trim walks the
		 * free chunks, so not on every tick. */
		malloc_trim(0);
		srv->trimmed = time(NULL);
	}
	if (srv->paused_emfile) {
		srv->paused_emfile = 0;
		server_accepting(srv, 1);
	}
	if (srv->draining && srv->nconns == 0)
		loop_stop(l);
}

static void
after_cb(struct loop *l, void *arg)
{
	(void)l;
	(void)arg;
	log_flush();
}

static void
pipe_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct server	*srv = arg;
	char		 junk[16];
	int		 i;

	(void)ev;
	while (read(fd, junk, sizeof(junk)) > 0)
		;
	if (worker_stop && !srv->draining) {
		/* stop accepting; the listeners stay open in the master */
		server_accepting(srv, 0);
		srv->draining = 1;
		for (i = 0; i < srv->nlisteners; i++)
			close(srv->listeners[i].fd);
		srv->nlisteners = 0;
		/* finish within the master's grace period, slow readers
		 * included */
		conn_drain(srv, SERVER_DRAIN_MS);
		if (srv->nconns == 0)
			loop_stop(l);
	}
}

/*
 * The page cache and its hole marker: letters and digits that pass
 * every renderer unchanged, random per worker, so no article can hold
 * it.
 */
static void
page_cache_init(struct server *srv)
{
	static char	 marker[32];
	unsigned char	 r[8];
	const char	*l;
	size_t		 i;
	int		 ok = 1;

	if ((srv->pages = pagecache_new(SERVER_PAGE_BUDGET,
	    SERVER_PAGE_SLOTS)) == NULL) {
		log_warnx("page cache: out of memory");
		return;
	}
	for (i = 0; i < 2; i++) {
		l = render_label(&srv->rctx, i == 0 ? L_VISITS : L_VIEWS);
		if (utf8_width(l, strlen(l)) > SERVER_HOLE_LABEL_MAX)
			ok = 0;
	}
	if (!ok || getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return;
	snprintf(marker, sizeof(marker), "BANTIN%02x%02x%02x%02x%02x%02x"
	    "%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	srv->hole = marker;
}

/*
 * Landlock (sandbox.c): the tree read-only; of the state folder only
 * the search catalog's files (SQLite readers write the WAL index) and
 * a folder for SQLite's temporary files. Not the TLS key or the
 * counter file that live there too: the master alone uses them.
 */
static void
confine(struct server *srv, int id)
{
	static char	 files[3][4096], tmp[4096];
	static const char *const suffix[3] = { "", "-wal", "-shm" };
	const char	*readable[2], *writable[5];
	int		 i, n = 0, rc;

	readable[0] = srv->conf->root;
	readable[1] = NULL;
	for (i = 0; i < 3 && srv->conf->catalog != NULL; i++)
		if (snprintf(files[i], sizeof(files[i]), "%s%s",
		    srv->conf->catalog, suffix[i]) < (int)sizeof(files[i]))
			writable[n++] = files[i];
	if (snprintf(tmp, sizeof(tmp), "%s/tmp", srv->conf->state_dir) <
	    (int)sizeof(tmp) && (mkdir(tmp, 0700) == 0 || errno == EEXIST)) {
		setenv("SQLITE_TMPDIR", tmp, 1);
		writable[n++] = tmp;
	}
	writable[n] = NULL;
	if ((rc = sandbox_enter(readable, writable)) == -1)
		log_warn("sandbox");
	else if (rc == 1 && id == 0)
		log_info("no Landlock in this kernel: workers are not "
		    "confined to their folders");
}

void
server_worker(struct server *srv, int id, const sigset_t *mask)
{
	static char		 prefix[32];
	struct sigaction	 sa;

	snprintf(prefix, sizeof(prefix), "worker %d", id);
	log_setprefix(prefix);
	/* the master's death ends us too */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = worker_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (pipe2(worker_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe");
	/* our handlers are in: a SIGTERM held since fork arrives now */
	sigprocmask(SIG_SETMASK, mask, NULL);

	/* the master keeps its heap from growing (master.c); a worker's
	 * requests free what they took at once, and a trim at every
	 * search would give the top of the heap back and fault it in
	 * again, a brk(2) and page faults per query. The tick trims after
	 * a burst instead (malloc_trim). */
	mallopt(M_TRIM_THRESHOLD, SERVER_TRIM_KEEP);

	/* state that must not cross a fork is made here, and lazily: the
	 * libmagic cookie (mime.c) and the search database are opened at
	 * their first use, so an idle worker stays small */
	if ((srv->rctx.search = search_lazy(srv->conf->catalog)) == NULL)
		log_warnx("search unavailable: out of memory");
	page_cache_init(srv);
	if ((srv->loop = loop_new()) == NULL)
		fatal("epoll");
	loop_add(srv->loop, worker_pipe[0], LOOP_READ, pipe_cb, srv);
	loop_tick(srv->loop, SERVER_TICK_MS, tick_cb, srv);
	/* access lines of one pass over the loop go out in one write */
	log_batched(1);
	loop_after(srv->loop, after_cb, srv);
	srv->maxconns = (srv->conf->max_connections + srv->conf->workers - 1)
	    / srv->conf->workers;
	confine(srv, id);
	if (worker_stop)
		_exit(0);
	server_accepting(srv, 1);
	loop_run(srv->loop);

	conn_close_all(srv);
	log_flush();
	search_close(srv->rctx.search);
	pagecache_free(srv->pages);
	mime_free();
	loop_free(srv->loop);
	/* exit, not _exit: under SANITIZE=1 the leak check runs here too */
	exit(0);
}
