/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * master.c: the master process. It loads the certificate, counters,
 * catalog and site, binds the listeners, then forks the workers and
 * supervises them: a worker that dies is replaced; SIGHUP (or a change
 * in the content tree) builds a new snapshot and starts a fresh
 * generation of workers on it while the old one drains, so no request
 * sees half a site; SIGTERM/SIGINT stops the workers, waits for their
 * replies to finish, flushes the counters and exits. Signal handlers
 * only set flags and write to a self-pipe; the work runs in the loop.
 * A failed reload logs why and keeps everything as it was.
 */

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "config.h"
#include "counter.h"
#include "iplimit.h"
#include "listen.h"
#include "log.h"
#include "loop.h"
#include "master.h"
#include "memtrim.h"
#include "server.h"
#include "site.h"
#include "tls.h"
#include "zone.h"

#define MASTER_MAX_WORKERS	64
#define MASTER_STOP_GRACE	15	/* seconds before SIGKILL at stop */
#define MASTER_SCAN_SHARE	50	/* the stamp walk: at most 1/50 */
#define MASTER_TIDY_MS		100	/* index merging: ms of each tick */
#define MASTER_TIDY_PAGES	64	/* pages merged a step */

struct worker {
	pid_t	 pid;		/* 0 = free slot */
	int	 gen;		/* generation it serves */
	int	 id;
	time_t	 kill_at;	/* told to stop: SIGKILL after this */
};

struct master {
	struct config		*conf;
	struct tls_ctx		*tls;
	struct site		*site;
	struct catalog		*catalog;
	struct counter		*counter;
	struct server		 srv;		/* template for workers */
	struct loop		*loop;
	struct worker		 workers[2 * MASTER_MAX_WORKERS];
	int			 gen;
	int			 stopping;
	time_t			 stop_deadline;
	time_t			 last_flush;
	time_t			 last_scan;
	time_t			 scan_backoff;	/* seconds added: big trees */
	unsigned long long	 stamp;
	time_t			 respawn_after;
	int			 tidy_steps;	/* since the index was compact */
	long long		 tidy_us;
};

static volatile sig_atomic_t	 sig_hup, sig_term, sig_chld;
static int			 sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int	 saved = errno;

	if (sig == SIGHUP)
		sig_hup = 1;
	else if (sig == SIGCHLD)
		sig_chld = 1;
	else
		sig_term = 1;
	(void)write(sig_pipe[1], "x", 1);
	errno = saved;
}

/*
 * One listener for (proto, addr, port) into srv: the running one's
 * socket when old has it (a duplicate of its fd, so that a reload that
 * changes one address keeps the others: binding them again would fail
 * with EADDRINUSE while the old ones are open), else a new socket.
 */
static int
add_listener(struct server *srv, const struct server *old, enum proto proto,
    const char *addr, int port, char *err, size_t errlen)
{
	struct listener	*l = &srv->listeners[srv->nlisteners];
	int		 i, fd = -1;

	for (i = 0; old != NULL && i < old->nlisteners; i++)
		if (old->listeners[i].proto == proto &&
		    old->listeners[i].port == port &&
		    strcmp(old->listeners[i].addr, addr) == 0) {
			if ((fd = fcntl(old->listeners[i].fd, F_DUPFD_CLOEXEC,
			    0)) == -1) {
				snprintf(err, errlen, "%s port %d: %s", addr,
				    port, strerror(errno));
				return -1;
			}
			break;
		}
	if (fd == -1 && (fd = listen_open(addr, port, err, errlen)) == -1)
		return -1;
	l->fd = fd;
	l->port = listen_port(fd);
	snprintf(l->addr, sizeof(l->addr), "%s", addr);
	l->proto = proto;
	srv->nlisteners++;
	return 0;
}

/* Every configured listener into srv, reusing old's where they match
 * (old may be NULL). */
static int
open_listeners(const struct config *conf, struct server *srv,
    const struct server *old, char *err, size_t errlen)
{
	int	 i;

	srv->nlisteners = 0;
	for (i = 0; i < conf->gemini_nlisten; i++)
		if (add_listener(srv, old, PROTO_GEMINI,
		    conf->gemini_listen[i], conf->gemini_port, err,
		    errlen) == -1)
			goto fail;
	for (i = 0; conf->gopher_enabled && i < conf->gopher_nlisten; i++)
		if (add_listener(srv, old, PROTO_GOPHER,
		    conf->gopher_listen[i], conf->gopher_port, err,
		    errlen) == -1)
			goto fail;
	return 0;
fail:
	while (srv->nlisteners > 0)
		close(srv->listeners[--srv->nlisteners].fd);
	return -1;
}

static void
close_listeners(struct server *srv)
{
	while (srv->nlisteners > 0)
		close(srv->listeners[--srv->nlisteners].fd);
}

static int
same_listen(const struct config *a, const struct config *b)
{
	int	 i;

	if (a->gemini_port != b->gemini_port ||
	    a->gopher_port != b->gopher_port ||
	    a->gopher_enabled != b->gopher_enabled ||
	    a->gemini_nlisten != b->gemini_nlisten ||
	    a->gopher_nlisten != b->gopher_nlisten)
		return 0;
	for (i = 0; i < a->gemini_nlisten; i++)
		if (strcmp(a->gemini_listen[i], b->gemini_listen[i]) != 0)
			return 0;
	for (i = 0; i < a->gopher_nlisten; i++)
		if (strcmp(a->gopher_listen[i], b->gopher_listen[i]) != 0)
			return 0;
	return 1;
}

static void
log_warnings(const struct site *site)
{
	const char	*p, *nl;

	if (site->warnings.data == NULL)
		return;
	for (p = site->warnings.data; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			log_warnx("%s", p);
			break;
		}
		log_warnx("%.*s", (int)(nl - p), p);
	}
}

static struct site *
load_site(struct master *m, const struct config *conf)
{
	struct site	*site;
	char		 err[512];

	/* the scan reads dates in the configured zone (the workers
	 * inherit it); a failed load goes back to the running one's */
	if (zone_use(conf->time_zone) == -1) {
		log_warn("site:timezone %s", conf->time_zone);
		goto fail;
	}
	/* unchanged articles are taken from the running snapshot */
	if ((site = site_reload(conf->root, m->catalog, m->site, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s: %s", conf->root, err);
		goto fail;
	}
	log_warnings(site);
	/* the scan's garbage (parsers, converters) goes back to the
	 * system before workers are forked and inherit it */
	malloc_trim(0);
	log_info("site %s: %zu articles, %zu categories, %zu files, "
	    "%zu warnings; %zu sources read, %zu articles kept, the rest "
	    "from the catalog", conf->root, site->narticles, site->ncats,
	    site->nfiles, site->nwarnings, site->nread, site->nkept);
	return site;
fail:
	if (m->conf != NULL && m->conf != conf)
		(void)zone_use(m->conf->time_zone);
	return NULL;
}

static int
spawn(struct master *m, int slot, int id)
{
	sigset_t	 all, old;
	pid_t		 pid;

	/* no signal may reach the child before it has its own handlers:
	 * the master's would run there and be lost */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch ((pid = fork())) {
	case -1:
		sigprocmask(SIG_SETMASK, &old, NULL);
		log_warn("fork");
		return -1;
	case 0:
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		server_worker(&m->srv, id, &old);
		/* NOTREACHED */
	default:
		sigprocmask(SIG_SETMASK, &old, NULL);
		m->workers[slot].pid = pid;
		m->workers[slot].gen = m->gen;
		m->workers[slot].id = id;
		m->workers[slot].kill_at = 0;
		return 0;
	}
}

static int
free_slot(struct master *m)
{
	int	 i;

	for (i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
		if (m->workers[i].pid == 0)
			return i;
	return -1;
}

static void
start_generation(struct master *m)
{
	int	 i, slot;

	m->gen++;
	for (i = 0; i < m->conf->workers; i++) {
		if ((slot = free_slot(m)) == -1) {
			log_warnx("too many workers");
			return;
		}
		spawn(m, slot, i);
	}
}

/* the scan's code pages, clean and idle until the next scan (memtrim.c) */
static void
trim_code(void)
{
	long	 kb;

	if ((kb = memtrim_code()) > 0)
		log_debug("released %ld KB of mapped code", kb);
}

static int
count_gen(struct master *m, int old)
{
	int	 i, n = 0;

	for (i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
		if (m->workers[i].pid != 0 &&
		    (old ? m->workers[i].gen != m->gen :
		    m->workers[i].gen == m->gen))
			n++;
	return n;
}

static void
signal_gen(struct master *m, int old, int sig)
{
	int	 i;

	for (i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
		if (m->workers[i].pid != 0 &&
		    (old ? m->workers[i].gen != m->gen :
		    m->workers[i].gen == m->gen)) {
			kill(m->workers[i].pid, sig);
			/* a drained worker has this long to finish */
			if (sig == SIGTERM && m->workers[i].kill_at == 0)
				m->workers[i].kill_at = time(NULL) +
				    MASTER_STOP_GRACE;
		}
}

/* Old workers past their grace period are killed: a slow reader must
 * not keep a generation (and its slots) alive for ever. */
static void
kill_overdue(struct master *m, time_t now)
{
	int	 i;

	for (i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
		if (m->workers[i].pid != 0 && m->workers[i].kill_at != 0 &&
		    now >= m->workers[i].kill_at)
			kill(m->workers[i].pid, SIGKILL);
}

/* The current generation has all its workers, whatever happened. */
static void
top_up(struct master *m)
{
	int	 id, i, have, slot;

	for (id = 0; id < m->conf->workers; id++) {
		for (have = 0, i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
			if (m->workers[i].pid != 0 &&
			    m->workers[i].gen == m->gen &&
			    m->workers[i].id == id)
				have = 1;
		if (!have && (slot = free_slot(m)) != -1)
			spawn(m, slot, id);
	}
}

static void
flush(struct master *m)
{
	if (m->counter != NULL)
		counter_flush(m->counter);
	m->last_flush = time(NULL);
}

/* config_load's problems, one log line each */
static void
log_config_errors(const char *file, const struct buf *errs)
{
	const char	*p, *nl;

	for (p = errs->data; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		log_warnx("%s: %.*s", file, (int)(nl - p), p);
	}
}

/*
 * Build the new snapshot (and configuration, for SIGHUP) first; only
 * if all of it loads, switch to it and start new workers on it. A
 * failure logs why and frees what was built, in one place: conf, tls
 * and the listeners in nsrv are new only where they differ from the
 * running ones.
 */
static void
reload(struct master *m, int reconf)
{
	struct config	*conf = m->conf, *old_conf = NULL;
	struct tls_ctx	*tls = m->tls, *old_tls = NULL;
	struct server	 nsrv;
	struct site	*site, *old_site;
	struct buf	 errs = BUF_INIT;
	char		 err[512];

	memset(&nsrv, 0, sizeof(nsrv));
	if (reconf) {
		if ((conf = config_load(m->conf->file, &errs)) == NULL) {
			log_config_errors(m->conf->file, &errs);
			log_warnx("reload failed: keeping the running "
			    "configuration");
			goto fail;
		}
		/* always: a certificate renewed in place is taken too */
		if ((conf->cert_generate && tls_generate(conf->cert,
		    conf->key, conf->hostname, err, sizeof(err)) == -1) ||
		    (tls = tls_ctx_new(conf->cert, conf->key, conf->ciphers,
		    err, sizeof(err))) == NULL) {
			log_warnx("reload failed: %s", err);
			goto fail;
		}
		if (!same_listen(conf, m->conf)) {
			if (open_listeners(conf, &nsrv, &m->srv, err,
			    sizeof(err)) == -1) {
				log_warnx("reload failed: %s", err);
				goto fail;
			}
		} else
			nsrv.nlisteners = -1;	/* keep the current ones */
	}
	if ((site = load_site(m, conf)) == NULL) {
		log_warnx("reload failed: keeping the running site");
		goto fail;
	}
	/* commit: nothing below can fail the reload */
	flush(m);
	if (m->counter != NULL)
		counter_bind(m->counter, site);
	if (conf != m->conf) {
		old_conf = m->conf;
		m->conf = conf;
		if (nsrv.nlisteners >= 0) {
			close_listeners(&m->srv);
			memcpy(m->srv.listeners, nsrv.listeners,
			    sizeof(nsrv.listeners));
			m->srv.nlisteners = nsrv.nlisteners;
		}
		if (tls != m->tls) {
			old_tls = m->tls;
			m->tls = tls;
		}
	}
	old_site = m->site;
	m->site = site;
	server_setup(&m->srv, m->conf, m->site, m->counter, m->tls);
	signal_gen(m, 0, SIGTERM);	/* the current workers drain */
	/* free the old snapshot before forking: the old workers keep
	 * their own copy, and the new ones must not inherit it */
	site_free(old_site);
	config_free(old_conf);
	tls_ctx_free(old_tls);
	malloc_trim(0);
	trim_code();
	start_generation(m);
	/* the stamp of what the scan saw: a change made during it is
	 * seen by the next check */
	m->stamp = site->stamp;
	log_info("reloaded: generation %d", m->gen);
	return;
fail:
	if (nsrv.nlisteners > 0)
		close_listeners(&nsrv);
	if (tls != m->tls)
		tls_ctx_free(tls);
	if (conf != m->conf)
		config_free(conf);
	buf_free(&errs);
}

static void
reap(struct master *m)
{
	pid_t	 pid;
	int	 status, i, old;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < 2 * MASTER_MAX_WORKERS; i++)
			if (m->workers[i].pid == pid)
				break;
		if (i == 2 * MASTER_MAX_WORKERS)
			continue;
		old = m->workers[i].gen != m->gen;
		m->workers[i].pid = 0;
		/* it closed none of its connections: their counts per
		 * address go, and the live workers count theirs again */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			iplimit_reset(m->srv.per_ip);
		if (old) {
			if (count_gen(m, 1) == 0 && m->counter != NULL)
				counter_retire(m->counter);
			continue;
		}
		if (m->stopping)
			continue;
		if (WIFSIGNALED(status))
			log_warnx("worker %d (pid %d) killed by signal %d; "
			    "restarting", m->workers[i].id, (int)pid,
			    WTERMSIG(status));
		else
			log_warnx("worker %d (pid %d) exited with %d; "
			    "restarting", m->workers[i].id, (int)pid,
			    WEXITSTATUS(status));
		/* a worker that dies at once must not spin the master */
		if (time(NULL) < m->respawn_after)
			sleep(1);
		m->respawn_after = time(NULL) + 1;
		spawn(m, i, m->workers[i].id);
	}
}

static void
pipe_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct master		*m = arg;
	char			 junk[64];

	(void)ev;
	while (read(fd, junk, sizeof(junk)) > 0)
		;
	if (sig_chld) {
		sig_chld = 0;
		reap(m);
	}
	if (sig_term && !m->stopping) {
		log_info("stopping");
		m->stopping = 1;
		m->stop_deadline = time(NULL) + MASTER_STOP_GRACE;
		signal_gen(m, 0, SIGTERM);
		signal_gen(m, 1, SIGTERM);
	}
	if (sig_hup && !m->stopping) {
		sig_hup = 0;
		log_info("SIGHUP: reloading");
		reload(m, 1);
	}
	if (m->stopping && count_gen(m, 0) + count_gen(m, 1) == 0)
		loop_stop(l);
}

/* microseconds from t0 to t1 (CLOCK_MONOTONIC) */
static long long
us_between(const struct timespec *t0, const struct timespec *t1)
{
	return (t1->tv_sec - t0->tv_sec) * 1000000LL +
	    (t1->tv_nsec - t0->tv_nsec) / 1000;
}

/*
 * Merge the search index's segments (catalog_tidy) for at most
 * MASTER_TIDY_MS of a tick: after the first scan of a big archive this
 * takes many ticks, and the master stays free to reap workers, flush
 * counters and reload between them.
 */
static void
tidy(struct master *m)
{
	struct timespec	 t0, t1;
	long long	 us;
	int		 r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		r = catalog_tidy(m->catalog, MASTER_TIDY_PAGES);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us = us_between(&t0, &t1);
		if (r == 1)
			m->tidy_steps++;
	} while (r == 1 && us < MASTER_TIDY_MS * 1000LL);
	m->tidy_us += us;
	if (r != 1 && m->tidy_steps > 0) {
		log_info("catalog: search index merged in %d step%s, %lld ms",
		    m->tidy_steps, m->tidy_steps == 1 ? "" : "s",
		    m->tidy_us / 1000);
		m->tidy_steps = 0;
		malloc_trim(0);
		trim_code();
	}
	if (r != 1)
		m->tidy_us = 0;
}

static void
tick_cb(struct loop *l, void *arg)
{
	struct master		*m = arg;
	struct timespec		 t0, t1;
	unsigned long long	 stamp;
	long long		 walk_ms;
	time_t			 now = time(NULL);
	int			 changed;

	if (m->stopping) {
		if (now >= m->stop_deadline) {
			log_warnx("workers still busy: killing them");
			signal_gen(m, 0, SIGKILL);
			signal_gen(m, 1, SIGKILL);
		}
		if (count_gen(m, 0) + count_gen(m, 1) == 0)
			loop_stop(l);
		return;
	}
	kill_overdue(m, now);
	top_up(m);
	if (now - m->last_flush >= m->conf->flush_interval)
		flush(m);
	if (m->conf->rescan_interval > 0 &&
	    now - m->last_scan >= m->conf->rescan_interval + m->scan_backoff) {
		m->last_scan = now;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		changed = site_stamp(m->conf->root, &stamp) == 0 &&
		    stamp != m->stamp;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* the walk is one stat per file: on a big archive and a
		 * small board it must not become the master's whole job.
		 * Wait so long that it stays under 1/MASTER_SCAN_SHARE
		 * of a core (a 0.25 s walk of 100,000 files: every 12 s) */
		walk_ms = us_between(&t0, &t1) / 1000;
		m->scan_backoff = (time_t)(walk_ms * MASTER_SCAN_SHARE / 1000);
		if (changed) {
			log_info("content changed: reloading");
			reload(m, 0);
		}
	}
	tidy(m);
}

/* raise the fd limit to what max_connections needs, plus a reserve */
static void
raise_nofile(const struct config *conf)
{
	struct rlimit	 rl;
	/* a socket and a file per connection, plus a reserve */
	rlim_t		 want = 2 * (rlim_t)conf->max_connections + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit");
}

static void
drop_privileges(const struct config *conf)
{
	struct passwd	*pw;

	if (conf->user[0] == '\0' || geteuid() != 0)
		return;
	if ((pw = getpwnam(conf->user)) == NULL)
		fatalx("server:user: no such user %s", conf->user);
	/* the state folder holds what we keep writing: make it ours */
	if (chown(conf->state_dir, pw->pw_uid, pw->pw_gid) == -1)
		log_warn("chown %s", conf->state_dir);
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", conf->user);
}

int
master_run(struct config *conf)
{
	struct master		 m;
	struct sigaction	 sa;
	struct buf		 ports = BUF_INIT;
	char			 err[512];
	int			 i;

	memset(&m, 0, sizeof(m));
	m.conf = conf;
	/*
	 * Big blocks (a folder's listing while scanning, the article
	 * list) are mapped and unmapped, always: by default malloc raises
	 * that threshold after the first big free, and they then land in
	 * the heap, where their pages stay dirty, written after the fork,
	 * and private to the master. The workers inherit the setting.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);

	if (mkdir(conf->state_dir, 0700) == -1 && errno != EEXIST)
		fatal("mkdir %s", conf->state_dir);
	if (conf->cert_generate) {
		if (tls_generate(conf->cert, conf->key, conf->hostname, err,
		    sizeof(err)) == -1)
			fatalx("%s", err);
	}
	if ((m.tls = tls_ctx_new(conf->cert, conf->key, conf->ciphers, err,
	    sizeof(err))) == NULL)
		fatalx("%s", err);
	if ((m.counter = counter_open(conf->counter_file, err, sizeof(err)))
	    == NULL)
		fatalx("%s", err);
	if ((m.catalog = catalog_open(conf->catalog, err, sizeof(err)))
	    == NULL)
		log_warnx("catalog unavailable, reading every article: %s",
		    err);
	raise_nofile(conf);
	/* one table of counts per address for every worker of every
	 * generation, inherited at fork; it lives as long as we do */
	if ((m.srv.per_ip = iplimit_new(iplimit_size(conf->max_connections)))
	    == NULL)
		log_warn("no shared memory: no limits per address");
	if (open_listeners(conf, &m.srv, NULL, err, sizeof(err)) == -1)
		fatalx("listen: %s", err);
	if ((m.site = load_site(&m, conf)) == NULL)
		fatalx("cannot load the site");
	m.stamp = m.site->stamp;
	m.last_scan = m.last_flush = time(NULL);
	counter_bind(m.counter, m.site);
	drop_privileges(conf);

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	server_setup(&m.srv, m.conf, m.site, m.counter, m.tls);
	trim_code();
	start_generation(&m);

	for (i = 0; i < m.srv.nlisteners; i++)
		buf_printf(&ports, " %s %s port %d",
		    server_proto_name(m.srv.listeners[i].proto),
		    m.srv.listeners[i].addr,
		    m.srv.listeners[i].port);
	log_info("ready: %d workers;%s", conf->workers,
	    ports.data ? ports.data : "");
	buf_free(&ports);

	if ((m.loop = loop_new()) == NULL)
		fatal("epoll");
	loop_add(m.loop, sig_pipe[0], LOOP_READ, pipe_cb, &m);
	loop_tick(m.loop, 1000, tick_cb, &m);
	loop_run(m.loop);

	flush(&m);
	if (m.counter != NULL)
		counter_retire(m.counter);
	flush(&m);
	log_info("stopped");
	config_free(m.conf);		/* ours: reloads replace it */
	counter_free(m.counter);
	catalog_close(m.catalog);
	site_free(m.site);
	close_listeners(&m.srv);
	iplimit_free(m.srv.per_ip);
	tls_ctx_free(m.tls);
	loop_free(m.loop);
	return 0;
}
