/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * master.c: the master process, unprivileged. The privileged parent
 * (privsep.c) hands it the configuration, the certificate chain, the
 * listening sockets and a channel to the key process (master_pack);
 * it loads the counters, catalog and site, then forks the workers and
 * supervises them: a worker that dies is replaced; a new configuration
 * from the parent (its SIGHUP) or a change in the content tree builds
 * a new snapshot and starts a fresh
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
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authors.h"
#include "buf.h"
#include "catalog.h"
#include "config.h"
#include "counter.h"
#include "counter_redis.h"
#include "iplimit.h"
#include "listen.h"
#include "log.h"
#include "loop.h"
#include "master.h"
#include "memtrim.h"
#include "msg.h"
#include "publish.h"
#include "sandbox.h"
#include "server.h"
#include "site.h"
#include "tls.h"
#include "tls_key.h"
#include "zone.h"

#define MASTER_MAX_WORKERS	64
#define MASTER_STOP_GRACE	15	/* seconds before SIGKILL at stop */
#define MASTER_SCAN_SHARE	50	/* the stamp walk: at most 1/50 */
#define MASTER_RELOAD_SHARE	10	/* a rescan's reloads: 1/10 */
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
	struct counter_redis	*redis;		/* backend = redis */
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
	struct site_watch	*watch;		/* inotify, or NULL */
	unsigned long		 image_serial;	/* the snapshot the image on
						   disk holds; 0: none */
	unsigned long long	 image_tag;	/* the catalog file the last
						   scan used (image_tag()) */
	time_t			 respawn_after;
	int			 tidy_steps;	/* since the index was compact */
	long long		 tidy_us;
	int			 ctl;		/* to the parent */
	int			 reg;		/* to the key process */
	struct publish		*pub;		/* Titan's uploads */
};

static volatile sig_atomic_t	 sig_term, sig_chld;
static int			 sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int	 saved = errno;

	if (sig == SIGCHLD)
		sig_chld = 1;
	else
		sig_term = 1;
	if (write(sig_pipe[1], "x", 1) == -1) {
		/* full: a wake-up is waiting already */
	}
	errno = saved;
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

/* What the image goes with: the catalog file it was built beside (a
 * catalog built again, restored or moved aside is another file). */
static unsigned long long
image_tag(const struct config *conf)
{
	struct stat	 st;

	if (stat(conf->catalog, &st) == -1)
		return 0;
	return (unsigned long long)st.st_ino * 0x9e3779b97f4a7c15ULL ^
	    (unsigned long long)st.st_dev;
}

/* The running snapshot into the image, for the next start; a failure
 * costs that start time, nothing else. */
static void
save_image(struct master *m)
{
	char	 err[512];

	if (m->site == NULL || m->watch == NULL || m->catalog == NULL ||
	    m->image_serial == m->site->serial)
		return;
	/* the folders patched reloads changed: their shares of the
	 * stamp, or the image leaves them out (the next start reads
	 * them) */
	if (site_watch_settle(m->watch, m->site->rootfd,
	    &m->site->stamp) == -1)
		log_warnx("site image: out of memory for the changed "
		    "folders' stamp");
	m->stamp = m->site->stamp;
	if (site_image_write(m->site, m->watch, m->image_tag,
	    m->conf->image, err, sizeof(err)) == -1) {
		log_warnx("site image: %s", err);
		(void)unlink(m->conf->image);
		return;
	}
	m->image_serial = m->site->serial;
}

static struct site *
load_site(struct master *m, const struct config *conf)
{
	struct site	*site;
	char		 err[512];
	size_t		 clean, nread;
	int		 whole = 0;

	/* the scan reads dates in the configured zone (the workers
	 * inherit it); a failed load goes back to the running one's */
	if (zone_use(conf->time_zone) == -1) {
		log_warn("site:timezone %s", conf->time_zone);
		goto fail;
	}
	/* unchanged articles are taken from the running snapshot, and
	 * folders with no event since its scan are not stat'ed again; a
	 * first load starts from the image the last run left, if the
	 * tree is as it was then */
	if (m->site == NULL)
		site = site_load_image(conf->root, m->catalog, conf->image,
		    image_tag(conf), m->watch, &whole, err, sizeof(err));
	else
		site = site_reload_watched(conf->root, m->catalog, m->site,
		    m->watch, err, sizeof(err));
	if (site == NULL) {
		log_warnx("%s: %s", conf->root, err);
		goto fail;
	}
	if (whole)
		m->image_serial = site->serial;
	/* the file the scan used: a first build puts a new one in place */
	m->image_tag = image_tag(conf);
	log_warnings(site);
	/* the scan's garbage (parsers, converters) goes back to the
	 * system before workers are forked and inherit it */
	malloc_trim(0);
	site_watch_counts(m->watch, &clean, &nread);
	if (whole)
		log_info("site %s: %zu articles, %zu categories, %zu files, "
		    "%zu warnings; the tree is as the last run left it: "
		    "the snapshot from %s", conf->root, site->narticles,
		    site->ncats, site->nfiles, site->nwarnings, conf->image);
	else if (site->patched)
		log_info("site %s: %zu articles, %zu categories, %zu files, "
		    "%zu warnings; the last snapshot patched: %zu sources "
		    "read, %zu articles kept; %zu folders changed, %zu not",
		    conf->root, site->narticles, site->ncats, site->nfiles,
		    site->nwarnings, site->nread, site->nkept, nread, clean);
	else
		log_info("site %s: %zu articles, %zu categories, %zu files, "
		    "%zu warnings; %zu sources read, %zu articles kept, the "
		    "rest from the catalog; %zu folders read, %zu unchanged",
		    conf->root, site->narticles, site->ncats, site->nfiles,
		    site->nwarnings, site->nread, site->nkept, nread, clean);
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
	int		 ch[2], tc;

	/* the worker's own channel to the key process: the key process
	 * gets one end, the worker the other */
	if (msg_pair(ch) == -1) {
		log_warn("socketpair");
		return -1;
	}
	if (msg_send(m->reg, MASTER_MSG_CHANNEL, NULL, 0, &ch[1], 1) == -1)
		log_warn("worker %d: no key process, no TLS handshakes", id);
	close(ch[1]);
	tc = publish_channel(m->pub, slot);
	/* no signal may reach the child before it has its own handlers:
	 * the master's would run there and be lost */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch ((pid = fork())) {
	case -1:
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(ch[0]);
		if (tc != -1)
			close(tc);
		publish_gone(m->pub, slot);
		log_warn("fork");
		return -1;
	case 0:
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		if (m->watch != NULL)
			close(site_watch_fd(m->watch));
		close(m->ctl);
		close(m->reg);
		publish_child(m->pub);
		m->srv.titan_chan = tc;
		tls_key_channel(ch[0]);
		server_worker(&m->srv, id, &old);
		/* NOTREACHED */
	default:
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(ch[0]);
		if (tc != -1)
			close(tc);
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

/* The counter file, and with backend = redis the batch to Redis; the
 * last, at stop, tries Redis even while it waits to try again */
static void
flush(struct master *m)
{
	if (m->redis != NULL)
		counter_redis_flush(m->redis, m->stopping);
	else if (m->counter != NULL)
		counter_flush(m->counter);
	m->last_flush = time(NULL);
}

/* [counter] backend as the configuration now has it (old: the one it
 * replaces, NULL at start): a Redis client for its settings, at once
 * in touch so that pages show Redis's totals; the journal of unsent
 * counts stays in the counter file whatever the backend */
static void
counts_backend(struct master *m, const struct config *old)
{
	const struct config	*c = m->conf;

	if (m->counter == NULL || (old != NULL &&
	    old->counter_redis == c->counter_redis &&
	    strcmp(old->redis, c->redis) == 0 &&
	    strcmp(old->redis_prefix, c->redis_prefix) == 0 &&
	    strcmp(old->instance, c->instance) == 0))
		return;
	counter_redis_free(m->redis);
	m->redis = NULL;
	if (!c->counter_redis) {
		counter_journal(m->counter, NULL);
		return;
	}
	if ((m->redis = counter_redis_new(c, m->counter)) != NULL)
		flush(m);
}

static void
close_listeners(struct server *srv)
{
	while (srv->nlisteners > 0)
		close(srv->listeners[--srv->nlisteners].fd);
}

/* what a message from the parent brings (master_pack) */
struct reconf {
	struct config	*conf;
	struct tls_ctx	*tls;
	struct server	 srv;		/* its listeners */
	int		 reg;		/* to the key process */
	int		 logs[2];	/* the log files, reopened */
	int		 nlogs;
};

static void
reconf_free(struct reconf *rc)
{
	while (rc->nlogs > 0)
		close(rc->logs[--rc->nlogs]);
	close_listeners(&rc->srv);
	if (rc->reg != -1)
		close(rc->reg);
	tls_ctx_free(rc->tls);
	config_free(rc->conf);
	memset(rc, 0, sizeof(*rc));
	rc->reg = -1;
}

int
master_pack(struct buf *b, const struct config *conf,
    const struct listener *ls, int nls, const void *secret, size_t slen,
    const struct buf *chain)
{
	uint32_t	 len;
	size_t		 at;

	buf_reset(b);
	if (buf_append(b, &nls, sizeof(nls)) == -1 ||
	    buf_append(b, ls, nls * sizeof(*ls)) == -1)
		return -1;
	at = b->len;
	len = 0;
	if (buf_append(b, &len, sizeof(len)) == -1 ||
	    config_pack(conf, b) == -1)
		return -1;
	len = (uint32_t)(b->len - at - sizeof(len));
	memcpy(b->data + at, &len, sizeof(len));
	/* room for the rest at once: a buffer moved by realloc would
	 * leave a copy of the secret behind, in memory not wiped */
	len = (uint32_t)slen;
	if (buf_reserve(b, sizeof(len) + slen + chain->len) == -1 ||
	    buf_append(b, &len, sizeof(len)) == -1 ||
	    (slen > 0 && buf_append(b, secret, slen) == -1))
		return -1;
	return buf_append(b, chain->data, chain->len);
}

/* The parent's message into rc: it owns the descriptors from here on,
 * whatever happens. -1 and a reason in err. */
static int
unpack(struct reconf *rc, struct buf *b, const int *fds, int nfds,
    char *err, size_t errlen)
{
	char		*p = b->data, *secret;
	size_t		 left = b->len;
	uint32_t	 clen, slen = 0;
	int		 i, n = -1, r;

	memset(rc, 0, sizeof(*rc));
	rc->reg = -1;
	if (left >= sizeof(n))
		memcpy(&n, p, sizeof(n));
	if (n < 0 || n > SERVER_LISTEN_MAX || nfds < n + 1 || nfds > n + 3 ||
	    left < sizeof(n) + n * sizeof(struct listener) + sizeof(clen)) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		snprintf(err, errlen, "a malformed message from the parent");
		return -1;
	}
	p += sizeof(n);
	memcpy(rc->srv.listeners, p, n * sizeof(struct listener));
	for (i = 0; i < n; i++)
		rc->srv.listeners[i].fd = fds[i];
	rc->srv.nlisteners = n;
	rc->reg = fds[n];
	for (i = n + 1; i < nfds; i++)
		rc->logs[rc->nlogs++] = fds[i];
	p += n * sizeof(struct listener);
	memcpy(&clen, p, sizeof(clen));
	p += sizeof(clen);
	left = b->len - (size_t)(p - b->data);
	if (clen > left || (rc->conf = config_unpack(p, clen)) == NULL) {
		snprintf(err, errlen, "a malformed configuration from the "
		    "parent");
		goto fail;
	}
	p += clen;
	left -= clen;
	/* the ticket secret's length and bytes, then the chain */
	if (left >= sizeof(slen))
		memcpy(&slen, p, sizeof(slen));
	if (left < sizeof(slen) || slen > left - sizeof(slen)) {
		snprintf(err, errlen, "a malformed message from the parent");
		goto fail;
	}
	secret = p + sizeof(slen);
	p = secret + slen;
	left -= sizeof(slen) + slen;
	r = (rc->tls = tls_ctx_new(p, left, rc->conf->ciphers, err, errlen))
	    == NULL || (slen > 0 && tls_ctx_tickets(rc->tls, secret, slen,
	    err, errlen) == -1);
	/* the workers forked later must not find it in freed memory */
	explicit_bzero(secret, slen);
	if (r)
		goto fail;
	/* Titan's authors are known by their certificates */
	if (rc->conf->titan_enabled)
		tls_ctx_ask_cert(rc->tls);
	return 0;
fail:
	reconf_free(rc);
	return -1;
}

/*
 * Build the new snapshot (and take the new configuration, certificate,
 * listeners and key channel of rc, from the parent) first; only if all
 * of it loads, switch to it and start new workers on it. A failure
 * logs why and frees rc: the running generation goes on as it was.
 */
static int
reload(struct master *m, struct reconf *rc)
{
	struct config	*conf = rc != NULL ? rc->conf : m->conf;
	struct site	*site, *old_site;
	struct config	*old_conf = NULL;
	struct tls_ctx	*old_tls = NULL;
	struct authors	*authors = NULL;

	if ((rc != NULL && publish_authors(conf, &authors) == -1) ||
	    (site = load_site(m, conf)) == NULL) {
		log_warnx("reload failed: keeping the running %s",
		    rc != NULL && authors == NULL && conf->titan_enabled ?
		    "configuration" : "site");
		authors_free(authors);
		if (rc != NULL)
			reconf_free(rc);
		return -1;
	}
	/* commit: nothing below can fail the reload */
	flush(m);
	if (m->counter != NULL)
		counter_bind(m->counter, site);
	site_kept_done(site);
	if (rc != NULL) {
		old_conf = m->conf;
		m->conf = rc->conf;
		counts_backend(m, old_conf);
		old_tls = m->tls;
		m->tls = rc->tls;
		close_listeners(&m->srv);
		memcpy(m->srv.listeners, rc->srv.listeners,
		    sizeof(rc->srv.listeners));
		m->srv.nlisteners = rc->srv.nlisteners;
		/* the old workers keep their own channels to the old key
		 * process, which ends with the last of them */
		if (m->reg != -1)
			close(m->reg);
		m->reg = rc->reg;
		publish_use(m->pub, authors);
		m->srv.titan.authors = publish_table(m->pub);
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
	 * seen by the next check. A patched snapshot's is the last one's
	 * until the folders it changed are stat'ed again, which only the
	 * image needs (save_image): the watch, not the stamp, tells of
	 * changes wherever a patch can be made */
	m->stamp = site->stamp;
	log_info("reloaded: generation %d", m->gen);
	return 0;
}

/* tell the parent how a configuration it sent went */
static void
answer_parent(struct master *m, int ok)
{
	char	 c = ok ? 1 : 0;

	if (msg_send(m->ctl, MASTER_MSG_DONE, &c, 1, NULL, 0) == -1)
		log_warn("master: to the parent");
}

/* A new generation on the running snapshot, when a failed reload
 * started none: the old one would write to the files logrotate moved
 * away until the next reload. */
static void
renew_workers(struct master *m)
{
	signal_gen(m, 0, SIGTERM);
	start_generation(m);
	log_info("log files reopened: generation %d", m->gen);
}

/* A message from the parent: a new configuration (its SIGHUP), or its
 * end, which ends us too. */
static void
ctl_cb(struct loop *l, int fd, int ev, void *arg)
{
	struct master	*m = arg;
	struct reconf	 rc;
	struct buf	 b = BUF_INIT;
	char		 err[512];
	int		 fds[MSG_FDS], nfds, type, r, ok, reopened;

	(void)ev;
	if ((r = msg_recv(fd, &type, &b, fds, &nfds)) <= 0) {
		if (r == -1 && errno != EMSGSIZE)
			return;
		if (r == 0 && !m->stopping) {
			log_warnx("the parent is gone: stopping");
			loop_del(l, fd);
			sig_term = 1;
			if (write(sig_pipe[1], "x", 1) == -1) {
				/* full: a wake-up is waiting already */
			}
		}
		goto done;
	}
	if (m->stopping || (type != MASTER_MSG_CONF &&
	    type != MASTER_MSG_LOGS)) {
		while (nfds > 0)
			close(fds[--nfds]);
		goto done;
	}
	if (type == MASTER_MSG_LOGS) {
		/* rotated, and no new configuration came of it */
		if (log_adopt(fds, nfds) == 0)
			renew_workers(m);
		goto done;
	}
	if (unpack(&rc, &b, fds, nfds, err, sizeof(err)) == -1) {
		log_warnx("reload failed: %s", err);
		answer_parent(m, 0);
		goto done;
	}
	reopened = rc.nlogs > 0 && log_adopt(rc.logs, rc.nlogs) == 0;
	rc.nlogs = 0;
	ok = reload(m, &rc) == 0;
	/* the workers of a failed reload would go on writing to the
	 * files logrotate moved away */
	if (!ok && reopened)
		renew_workers(m);
	answer_parent(m, ok);
done:
	buf_free(&b);
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
		publish_gone(m->pub, i);
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
		if (sandbox_filtered(status))
			log_warnx("worker %d (pid %d) stopped by its system "
			    "call filter; restarting", m->workers[i].id,
			    (int)pid);
		else if (WIFSIGNALED(status))
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
	time_t			 rest;	/* after a reload, s */
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
		/* the watch's events say it without a walk, unless a
		 * folder is not watched */
		if (m->watch == NULL ||
		    (changed = site_watch_changed(m->watch, m->site)) == -1) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			changed = site_stamp(m->conf->root, &stamp) == 0 &&
			    stamp != m->stamp;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			/* the walk is one stat per file: on a big archive
			 * and a small board it must not become the
			 * master's whole job. Wait so long that it stays
			 * under 1/MASTER_SCAN_SHARE of a core (a 0.25 s
			 * walk of 100,000 files: every 12 s) */
			walk_ms = us_between(&t0, &t1) / 1000;
			m->scan_backoff = (time_t)(walk_ms *
			    MASTER_SCAN_SHARE / 1000);
		} else
			m->scan_backoff = 0;
		if (changed) {
			log_info("content changed: reloading");
			clock_gettime(CLOCK_MONOTONIC, &t0);
			reload(m, NULL);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			/* a tree that keeps changing (a big import) must
			 * not keep the master reloading, nor make a
			 * generation of workers a second: the next look
			 * waits so that reloads stay under
			 * 1/MASTER_RELOAD_SHARE of a core (0.5 s at
			 * 100,000 articles: 5 s more); a change after a
			 * quiet look is found at once */
			rest = (time_t)(us_between(&t0, &t1) / 1000 *
			    MASTER_RELOAD_SHARE / 1000);
			if (rest > m->scan_backoff)
				m->scan_backoff = rest;
		}
	}
	tidy(m);
}

/*
 * After each pass over the loop: the uploads the workers handed over
 * in it are written (publish.c); one reload makes them all live, then
 * each is answered, so that the reader the author is sent to gets the
 * new snapshot's page.
 */
static void
after_cb(struct loop *l, void *arg)
{
	struct master	*m = arg;

	(void)l;
	if (m->stopping || !publish_due(m->pub))
		return;
	publish_answer(m->pub, reload(m, NULL) == 0);
}

/* Titan's authors at start: a file refused stops start-up. */
static void
titan_start(struct master *m)
{
	struct authors	*authors;

	if ((m->pub = publish_new((const struct config *const *)&m->conf,
	    &m->site)) == NULL)
		fatalx("out of memory");
	if (publish_authors(m->conf, &authors) == -1)
		fatalx("titan:authors: %s: refused", m->conf->titan_authors);
	publish_use(m->pub, authors);
	m->srv.titan.authors = publish_table(m->pub);
	/* no upload is in flight yet: any temporary is a dead write's */
	publish_sweep(m->pub);
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

int
master_run(int ctl)
{
	struct master		 m;
	struct reconf		 rc;
	struct sigaction	 sa;
	struct buf		 ports = BUF_INIT, b = BUF_INIT;
	struct config		*conf;
	char			 err[1024];
	int			 i, fds[MSG_FDS], nfds, type;

	memset(&m, 0, sizeof(m));
	m.ctl = ctl;
	m.reg = -1;
	/*
	 * Big blocks (a folder's listing while scanning, the article
	 * list) are mapped and unmapped, always: by default malloc raises
	 * that threshold after the first big free, and they then land in
	 * the heap, where their pages stay dirty, written after the fork,
	 * and private to the master. The workers inherit the setting.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);

	/* the parent's SIGHUP reaches us as a message, SIGTERM as is */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	if (msg_recv(ctl, &type, &b, fds, &nfds) != 1 ||
	    type != MASTER_MSG_CONF)
		fatalx("master: no configuration from the parent");
	if (unpack(&rc, &b, fds, nfds, err, sizeof(err)) == -1)
		fatalx("%s", err);
	buf_free(&b);
	/* the log files came too, as with every configuration: ours are
	 * the same already, but copies left open would keep them, in us
	 * and every worker, long after logrotate has moved them away */
	(void)log_adopt(rc.logs, rc.nlogs);
	rc.nlogs = 0;
	m.conf = conf = rc.conf;
	m.tls = rc.tls;
	m.reg = rc.reg;
	m.srv.nlisteners = rc.srv.nlisteners;
	memcpy(m.srv.listeners, rc.srv.listeners, sizeof(rc.srv.listeners));
	if ((m.counter = counter_open(conf->counter_file, err, sizeof(err)))
	    == NULL)
		fatalx("%s", err);
	/* with an image to start from, the catalog may not be read
	 * before the workers serve: its check comes after (site_load_image
	 * makes it first if it does read it) */
	if ((m.catalog = access(conf->image, F_OK) == 0 ?
	    catalog_open_unchecked(conf->catalog, err, sizeof(err)) :
	    catalog_open(conf->catalog, err, sizeof(err))) == NULL)
		log_warnx("catalog unavailable, reading every article: %s",
		    err);
	raise_nofile(conf);
	/* one table of counts per address for every worker of every
	 * generation, inherited at fork; it lives as long as we do */
	if ((m.srv.per_ip = iplimit_new(iplimit_size(conf->max_connections)))
	    == NULL)
		log_warn("no shared memory: no limits per address");
	if ((m.watch = site_watch_new()) == NULL)
		log_warn("inotify: every reload walks the whole tree");
	if ((m.site = load_site(&m, conf)) == NULL)
		fatalx("cannot load the site");
	m.stamp = m.site->stamp;
	m.last_scan = m.last_flush = time(NULL);
	titan_start(&m);
	counter_bind(m.counter, m.site);
	counts_backend(&m, NULL);
	/* counts a kill left in counts files: into the counter file at
	 * once, and the files gone (the Redis backend's flush did it) */
	if (m.redis == NULL && counter_recovered(m.counter))
		flush(&m);

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe");
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);

	server_setup(&m.srv, m.conf, m.site, m.counter, m.tls);
	trim_code();
	start_generation(&m);
	answer_parent(&m, 1);

	for (i = 0; i < m.srv.nlisteners; i++)
		buf_printf(&ports, " %s %s port %d",
		    server_proto_name(m.srv.listeners[i].proto),
		    m.srv.listeners[i].addr,
		    m.srv.listeners[i].port);
	log_info("ready: %d workers;%s", conf->workers,
	    ports.data ? ports.data : "");
	buf_free(&ports);
	/* serving: the catalog's check if the start did not make it (a
	 * damaged catalog is made again by a full scan), and the
	 * snapshot for the next start, unless it came from the image */
	if (catalog_check_now(m.catalog) == 1)
		(void)reload(&m, NULL);
	save_image(&m);

	if ((m.loop = loop_new()) == NULL)
		fatal("epoll");
	loop_add(m.loop, sig_pipe[0], LOOP_READ, pipe_cb, &m);
	loop_add(m.loop, ctl, LOOP_READ, ctl_cb, &m);
	loop_tick(m.loop, 1000, tick_cb, &m);
	publish_watch(m.pub, m.loop);
	loop_after(m.loop, after_cb, &m);
	loop_run(m.loop);

	/* every worker is gone: the last flush removes the counts files */
	if (m.counter != NULL)
		counter_unbind(m.counter);
	flush(&m);
	counter_redis_free(m.redis);
	save_image(&m);
	log_info("stopped");
	config_free(m.conf);		/* ours: reloads replace it */
	counter_free(m.counter);
	catalog_close(m.catalog);
	site_free(m.site);
	site_watch_free(m.watch);
	close_listeners(&m.srv);
	if (m.reg != -1)
		close(m.reg);
	iplimit_free(m.srv.per_ip);
	publish_free(m.pub);
	tls_ctx_free(m.tls);
	loop_free(m.loop);
	return 0;
}
