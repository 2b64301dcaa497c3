/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * server.c: a worker process. It serves the snapshot it was forked
 * with, from one event loop over the shared listeners, until the master
 * tells it to stop (SIGTERM): then it stops accepting, finishes the
 * connections it has and exits. The worker owns what its requests
 * use: the connections (conn.c), the front ends' contexts (gemini.c,
 * gopher.c) and the serve state with its caches (serve.c).
 */

#include <sys/prctl.h>
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

#include "config.h"
#include "conn.h"
#include "gemini.h"
#include "gopher.h"
#include "log.h"
#include "loop.h"
#include "mime.h"
#include "msg.h"
#include "proto.h"
#include "route.h"
#include "sandbox.h"
#include "serve.h"
#include "server.h"
#include "titan.h"

#define SERVER_TICK_MS	250
#define SERVER_DRAIN_MS	10000	/* under master.c's MASTER_STOP_GRACE */
#define SERVER_TRIM_CONNS	64	/* a burst this big is trimmed after */
#define SERVER_TRIM_KEEP	(4 * 1024 * 1024)	/* free heap kept */
#define SERVER_TRIM_EVERY	1	/* seconds, at most, while busy */

static volatile sig_atomic_t	 worker_stop;
static int			 worker_pipe[2] = { -1, -1 };

static void	accepting(struct server *, int);

const char *
server_proto_name(enum proto p)
{
	return p == PROTO_GEMINI ? gemini_conn_front.name :
	    gopher_conn_front.name;
}

void
server_setup(struct server *srv, const struct config *conf,
    struct site *site, struct counter *counter, struct tls_ctx *tls)
{
	srv->conf = conf;
	srv->site = site;
	srv->counter = counter;
	srv->tls = tls;

	memset(&srv->serve, 0, sizeof(srv->serve));
	serve_setup(&srv->serve, conf, site, counter);

	srv->gemini.host.hostname = conf->hostname;
	srv->gemini.host.port = conf->gemini_port;
	srv->gemini.host.lang = conf->lang;
	srv->gemini.sv = &srv->serve;
	/* Titan's hooks see every Gemini line first: only when it is on */
	srv->gemini_fe = gemini_conn_front;
	srv->gemini.titan = NULL;
	if (conf->titan_enabled) {
		srv->titan.conf = conf;
		srv->gemini.titan = &srv->titan;
		srv->gemini_fe.upload = &titan_upload;
	}

	memset(&srv->gopher, 0, sizeof(srv->gopher));
	srv->gopher.ctx.site = site;
	srv->gopher.ctx.kind = route_kind;
	srv->gopher.ctx.host = conf->gopher_host;
	srv->gopher.ctx.port = conf->gopher_adv_port;
	srv->gopher.ctx.ascii = conf->gopher_ascii;
	srv->gopher.ctx.lang = conf->lang;
	srv->gopher.ctx.title = conf->title;
	srv->gopher.sv = &srv->serve;

	/* the access log writes each request as the URL it asked for */
	log_access_origin(gemini_conn_front.name, conf->hostname,
	    conf->gemini_port, GEMINI_PORT);
	log_access_origin(gopher_conn_front.name, conf->gopher_host,
	    conf->gopher_adv_port, GOPHER_PORT);
}

static void
accept_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct server	*srv = arg;
	int		 i;

	(void)l;
	(void)ev;
	for (i = 0; i < srv->nlisteners; i++) {
		if (srv->listeners[i].fd != fd)
			continue;
		if (srv->listeners[i].proto == PROTO_GEMINI)
			conn_accept(&srv->conns, fd, &srv->gemini_fe,
			    &srv->gemini, srv->conf->gemini_proxy);
		else
			conn_accept(&srv->conns, fd, &gopher_conn_front,
			    &srv->gopher, srv->conf->gopher_proxy);
	}
}

/* What conn.c tells us: full, out of descriptors, room again. */
static void
conn_event(void *arg, enum conn_event ev)
{
	struct server	*srv = arg;

	switch (ev) {
	case CONN_FULL:
		accepting(srv, 0);
		break;
	case CONN_NO_FD:
		/* no busy loop: stop accepting until a tick */
		accepting(srv, 0);
		srv->paused_emfile = 1;
		break;
	case CONN_ROOM:
		if (!srv->accepting && !srv->draining && !srv->paused_emfile)
			accepting(srv, 1);
		break;
	}
}

static void
accepting(struct server *srv, int on)
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
		if (write(worker_pipe[1], "x", 1) == -1) {
			/* full: a wake-up is waiting already */
		}
	errno = saved;
}

static void
tick_cb(struct loop *l, void *arg)
{
	struct server	*srv = arg;

	conn_tick(&srv->conns);
	/* after a burst (a thousand held TLS connections is ~35 MB), give
	 * the memory back once the worker is idle again */
	if (srv->conns.n > srv->peak_conns)
		srv->peak_conns = srv->conns.n;
	if (srv->conns.n == 0 && srv->peak_conns >= SERVER_TRIM_CONNS) {
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
		accepting(srv, 1);
	}
	if (srv->draining && srv->conns.n == 0)
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
		accepting(srv, 0);
		srv->draining = 1;
		for (i = 0; i < srv->nlisteners; i++)
			close(srv->listeners[i].fd);
		srv->nlisteners = 0;
		/* finish within the master's grace period, slow readers
		 * included */
		conn_drain(&srv->conns, SERVER_DRAIN_MS);
		if (srv->conns.n == 0)
			loop_stop(l);
	}
}

/* The master's answers to this worker's uploads (titan.c). */
static void
titan_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct server	*srv = arg;
	struct buf	 b = BUF_INIT;
	int		 fds[MSG_FDS], nfds, type, r;

	(void)ev;
	if ((r = msg_recv(fd, &type, &b, fds, &nfds)) == 1 &&
	    type == TITAN_MSG_DONE)
		titan_answer(&srv->titan, b.data, b.len);
	while (r == 1 && nfds > 0)
		close(fds[--nfds]);
	if (r == 0 || (r == -1 && errno != EAGAIN && errno != EINTR &&
	    errno != EMSGSIZE)) {
		/* the master is gone: uploads wait out their deadline */
		loop_del(l, fd);
		close(fd);
		srv->titan.chan = srv->titan_chan = -1;
	}
	buf_free(&b);
}

/*
 * Landlock (sandbox.c): the tree read-only; of the state folder only
 * the search catalog's files (SQLite readers write the WAL index) and
 * a folder for SQLite's temporary files. Not the TLS key, the counter
 * file or its counts files that live there too: the master alone opens
 * them (a worker counts in the mapping of its generation's counts
 * file, inherited: no open, no system call).
 */
static void
confine(struct server *srv)
{
	static char	 files[3][4096], tmp[4096];
	static const char *const suffix[3] = { "", "-wal", "-shm" };
	const char	*readable[2], *writable[5];
	int		 i, n = 0;

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
	/* what the kernel lacks, the master logged once (sandbox_lacks) */
	if (sandbox_enter(readable, writable) == -1)
		log_warn("sandbox");
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
	prctl(PR_SET_NAME, "bantin-worker", 0, 0, 0);
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
	serve_open(&srv->serve, srv->conf->catalog);
	if ((srv->loop = loop_new()) == NULL)
		fatal("epoll");
	loop_add(srv->loop, worker_pipe[0], LOOP_READ, pipe_cb, srv);
	loop_tick(srv->loop, SERVER_TICK_MS, tick_cb, srv);
	/* access lines of one pass over the loop go out in one write */
	log_batched(1);
	loop_after(srv->loop, after_cb, srv);
	memset(&srv->conns, 0, sizeof(srv->conns));
	srv->conns.loop = srv->loop;
	srv->conns.tls = srv->tls;
	srv->conns.handshake_timeout = srv->conf->handshake_timeout;
	srv->conns.request_timeout = srv->conf->request_timeout;
	srv->conns.write_timeout = srv->conf->write_timeout;
	srv->conns.max = (srv->conf->max_connections + srv->conf->workers -
	    1) / srv->conf->workers;
	/* per address, over all workers: the master's table */
	srv->conns.per_ip = srv->per_ip;
	srv->conns.rule.max_conns = srv->conf->max_connections_per_ip;
	srv->conns.rule.rate = srv->conf->rate_per_ip;
	srv->conns.rule.burst = srv->conf->rate_burst;
	srv->conns.proxy_from = srv->conf->proxy_from;
	srv->conns.proxy_nfrom = srv->conf->proxy_nfrom;
	srv->conns.event = conn_event;
	srv->conns.arg = srv;
	srv->titan.conns = &srv->conns;
	srv->titan.chan = srv->titan_chan;
	if (srv->titan_chan != -1)
		loop_add(srv->loop, srv->titan_chan, LOOP_READ, titan_cb, srv);
	confine(srv);
	if (worker_stop)
		_exit(0);
	accepting(srv, 1);
	loop_run(srv->loop);

	conn_close_all(&srv->conns);
	log_flush();
	serve_close(&srv->serve);
	mime_free();
	loop_free(srv->loop);
	/* exit, not _exit: under SANITIZE=1 the leak check runs here too */
	exit(0);
}
