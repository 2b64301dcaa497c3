/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * privsep.c: the privileged parent, in the way of OpenBSD's httpd and
 * gmid. It does what needs privilege and nothing else: it reads the
 * configuration, the certificate and the private key, binds the ports
 * and makes the state folder the user's. Then it runs two kinds of
 * unprivileged children:
 *
 *  - the master (master.c), which gets the configuration, the
 *    certificate chain and the listening sockets in a message and does
 *    everything else: the site, the catalog, the counters, and the
 *    workers that answer requests;
 *  - the key process, the only one that holds the private key
 *    (tls_key.c): each worker asks it for the handshake's signature.
 *
 * The master is forked before the key is read, so neither it nor any
 * worker it forks ever has the key in its memory. The parent itself
 * only reads the key file's bytes and wipes them once the key process
 * has its copy: it never decodes them, for OpenSSL's decoders leave
 * the key's numbers in memory they free, and a pair to be generated is
 * made in a child of its own for the same reason. The key process
 * decodes the key, checks it against the certificate and answers
 * whether it took it before anything changes. The session ticket
 * secret's file ([gemini] ticket_secret), read after the key process
 * is forked, goes to the master in the message: the workers encrypt
 * tickets with it. SIGHUP reads the configuration, certificate, key
 * and ticket secret again (as root, so a key only root may read still
 * reloads), binds what is new, starts a key process for the new key,
 * and sends the master the lot; the master answers whether it took
 * it, and until it has, everything old stays open. A key process that
 * dies is replaced the same way, with the running secret. SIGTERM or
 * SIGINT stops the master, which stops its workers and flushes the
 * counters; the parent ends with it.
 */

#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#endif
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "certcheck.h"
#include "config.h"
#include "listen.h"
#include "log.h"
#include "master.h"
#include "memtrim.h"
#include "msg.h"
#include "privsep.h"
#include "sandbox.h"
#include "server.h"
#include "ticket.h"
#include "tls.h"
#include "tls_key.h"
#include "zone.h"

struct lset {
	struct listener	 l[SERVER_LISTEN_MAX];
	int		 n;
};

struct parent {
	struct config	*conf;
	struct lset	 ls;
	int		 ctl;		/* to the master */
	pid_t		 master;
	pid_t		 key;		/* the current key process */
	int		 keyctl;	/* to it: log files to take */
	time_t		 key_respawn;	/* not before: one that dies at once
					   must not spin the parent */
	int		 master_status;
	int		 stopping;
	/* the running ticket secret: when a key process is started
	 * again, the master gets this one again (a file changed
	 * meanwhile waits for SIGHUP) */
	struct ticket_secret secret;
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
	if (write(sig_pipe[1], "x", 1) == -1) {
		/* full: a wake-up is waiting already */
	}
	errno = saved;
}

static void
close_listeners(struct lset *set)
{
	while (set->n > 0)
		close(set->l[--set->n].fd);
}

/*
 * One listener for (proto, addr, port) into set: the running one's
 * socket when old has it (a duplicate of its fd, so that a reload that
 * changes one address keeps the others: binding them again would fail
 * with EADDRINUSE while the old ones are open), else a new socket.
 */
static int
add_listener(struct lset *set, const struct lset *old, enum proto proto,
    const char *addr, int port, char *err, size_t errlen)
{
	struct listener	*l = &set->l[set->n];
	int		 i, fd = -1;

	for (i = 0; old != NULL && i < old->n; i++)
		if (old->l[i].proto == proto &&
		    old->l[i].port == port &&
		    strcmp(old->l[i].addr, addr) == 0) {
			if ((fd = fcntl(old->l[i].fd, F_DUPFD_CLOEXEC,
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
	set->n++;
	return 0;
}

/* Every configured listener into set, reusing old's where they match
 * (old may be NULL). */
static int
open_listeners(const struct config *conf, struct lset *set,
    const struct lset *old, char *err, size_t errlen)
{
	int	 i;

	set->n = 0;
	for (i = 0; i < conf->gemini_nlisten; i++)
		if (add_listener(set, old, PROTO_GEMINI,
		    conf->gemini_listen[i], conf->gemini_port, err,
		    errlen) == -1)
			goto fail;
	for (i = 0; conf->gopher_enabled && i < conf->gopher_nlisten; i++)
		if (add_listener(set, old, PROTO_GOPHER,
		    conf->gopher_listen[i], conf->gopher_port, err,
		    errlen) == -1)
			goto fail;
	return 0;
fail:
	close_listeners(set);
	return -1;
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
 * A child becomes conf's user (when we are root and one is set), and
 * gives up any capability it was started with: a service manager may
 * give the parent CAP_NET_BIND_SERVICE to bind port 70 without root,
 * and the master, key process and workers bind nothing.
 */
static void
drop(const struct config *conf)
{
	struct passwd	*pw;

#ifdef __linux__
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 d[2];

	memset(d, 0, sizeof(d));
	if (geteuid() != 0 && syscall(SYS_capset, &h, d) == -1)
		log_debug("capset: %s", strerror(errno));
#endif
	if (conf->user[0] == '\0' || geteuid() != 0)
		return;
	if ((pw = getpwnam(conf->user)) == NULL)
		fatalx("server:user: no such user %s", conf->user);
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", conf->user);
}

/* The state folder holds what the master keeps writing: the user's. */
static void
own_state(const struct config *conf)
{
	struct passwd	*pw;

	if (mkdir(conf->state_dir, 0700) == -1 && errno != EEXIST)
		fatal("mkdir %s", conf->state_dir);
	if (conf->user[0] == '\0' || geteuid() != 0)
		return;
	if ((pw = getpwnam(conf->user)) == NULL)
		fatalx("server:user: no such user %s", conf->user);
	if (chown(conf->state_dir, pw->pw_uid, pw->pw_gid) == -1)
		log_warn("chown %s", conf->state_dir);
}

/* fork with every signal held: a child must not run our handlers */
static pid_t
fork_child(sigset_t *old)
{
	sigset_t	 all;
	pid_t		 pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
	if ((pid = fork()) != 0)
		sigprocmask(SIG_SETMASK, old, NULL);
	return pid;
}

/* In a child: the parent's descriptors closed, its handlers undone,
 * and a name of its own for ps and top. */
static void
leave_parent(struct parent *p, const sigset_t *mask, const char *name)
{
	struct sigaction	 sa;

#ifdef PR_SET_NAME
	prctl(PR_SET_NAME, name, 0, 0, 0);
#else
	(void)name;
#endif
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	if (p->ctl != -1)
		close(p->ctl);
	if (p->keyctl != -1)
		close(p->keyctl);	/* the running key process's */
	close_listeners(&p->ls);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
}

/*
 * A generated pair made when it is missing or for another host name
 * (certcheck_generate), in a child of its own: a key made in this
 * process would leave its numbers in memory OpenSSL frees. -1 and a
 * reason in err.
 */
static int
generate(const struct config *conf, char *err, size_t errlen)
{
	sigset_t	 mask;
	pid_t		 pid;
	ssize_t		 n;
	int		 fd[2], st, r;

	if (!conf->cert_generate)
		return 0;
	if (pipe2(fd, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	switch ((pid = fork_child(&mask))) {
	case -1:
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	case 0:
		/* every signal stays held: it only makes the pair */
		close(fd[0]);
		if ((r = certcheck_generate(conf, err, errlen)) == -1 &&
		    write(fd[1], err, strlen(err)) == -1)
			_exit(2);
		_exit(r == -1);
	}
	close(fd[1]);
	do
		n = read(fd[0], err, errlen - 1);
	while (n == -1 && errno == EINTR);
	close(fd[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (n > 0)
		err[n] = '\0';
	else
		snprintf(err, errlen, "certificate generation: the process "
		    "that made it ended without a reason");
	return -1;
}

enum key_answer {
	KEY_TAKEN = 1,			/* the key process serves it */
	KEY_REFUSED,			/* certcheck's lines, to log */
	KEY_FAILED			/* a reason */
};

/* certcheck_key's findings, a line each */
static void
key_finding(void *arg, int error, const char *line)
{
	(void)error;
	buf_printf(arg, "%s\n", line);
}

/*
 * In the key process: the key file's bytes kb decoded and checked
 * against the certificate, the key made of them, and the parent told
 * over ch whether it was taken: the key, or NULL.
 */
static struct tls_key *
take_key(const struct config *conf, const struct buf *chain,
    const struct buf *kb, int ch)
{
	struct tls_key	*k = NULL;
	struct buf	 why = BUF_INIT;
	EVP_PKEY	*pkey;
	char		 err[512];
	int		 type = KEY_TAKEN;

	if ((pkey = certcheck_key(conf, chain, kb, key_finding, &why)) ==
	    NULL)
		type = KEY_REFUSED;
	else if ((k = tls_key_new(pkey, conf->key, err, sizeof(err))) ==
	    NULL) {
		type = KEY_FAILED;
		buf_reset(&why);
		buf_puts(&why, err);
	}
	if (msg_send(ch, type, why.data, why.len, NULL, 0) == -1) {
		log_warn("to the parent");
		tls_key_free(k);
		k = NULL;
	}
	buf_free(&why);
	return k;
}

/*
 * The key process's answer on ch: 0 it took the key, -1 and a reason
 * in err (its findings logged).
 */
static int
key_answer(int ch, const struct config *conf, char *err, size_t errlen)
{
	struct buf	 b = BUF_INIT;
	char		*p, *nl;
	int		 fds[MSG_FDS], nfds, type, r;

	r = msg_recv(ch, &type, &b, fds, &nfds);
	while (r == 1 && nfds > 0)
		close(fds[--nfds]);
	if (r != 1) {
		snprintf(err, errlen, "%s: the key process ended before it "
		    "checked the key", conf->key);
		r = -1;
	} else if (type == KEY_TAKEN)
		r = 0;
	else if (type == KEY_REFUSED) {
		for (p = b.data; p != NULL && (nl = strchr(p, '\n')) !=
		    NULL; p = nl + 1)
			log_warnx("%.*s", (int)(nl - p), p);
		snprintf(err, errlen, "certificate refused");
		r = -1;
	} else {
		snprintf(err, errlen, "%s", b.len > 0 ? b.data : "the key "
		    "process refused the key");
		r = -1;
	}
	buf_free(&b);
	return r;
}

/*
 * Read conf's certificate and key (making them first if they are to
 * be generated) and fork a key process on them. Returns the master's
 * end of its channel, or -1 and a reason in err. This process reads
 * the key file's bytes and never decodes them: the key process does,
 * checks the key against the certificate and answers whether it took
 * it before anything changes, and the bytes are wiped here once it
 * has them. The running ticket secret leaves the key process's memory.
 */
static int
start_key(struct parent *p, const struct config *conf, struct buf *chain,
    int *kctl, char *err, size_t errlen)
{
	struct sigaction	 sa;
	struct tls_key		*key;
	struct buf		 kb = BUF_INIT;
	sigset_t		 mask;
	pid_t			 pid;
	int			 ch[2], kc[2], nerr;

	if (generate(conf, err, errlen) == -1)
		return -1;
	/* the certificate's findings said, the key's file read: its own
	 * findings are the key process's to say */
	nerr = certcheck_log(conf, &kb);
	if (nerr == 0 && kb.data == NULL && tls_key_read(conf->key, &kb) ==
	    -1) {
		/* certcheck found nothing to check: a generated pair
		 * that went away meanwhile */
		snprintf(err, errlen, "%s: %s", conf->key, strerror(errno));
		return -1;
	}
	if (tls_key_chain(conf->cert, chain, err, errlen) == -1 ||
	    kb.data == NULL) {
		if (nerr > 0)
			snprintf(err, errlen, "certificate refused");
		tls_key_wipe(&kb);
		return -1;
	}
	if (msg_pair(ch) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		tls_key_wipe(&kb);
		return -1;
	}
	if (msg_pair(kc) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		close(ch[0]);
		close(ch[1]);
		tls_key_wipe(&kb);
		return -1;
	}
	switch ((pid = fork_child(&mask))) {
	case -1:
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(ch[0]);
		close(ch[1]);
		close(kc[0]);
		close(kc[1]);
		tls_key_wipe(&kb);
		return -1;
	case 0:
		leave_parent(p, &mask, "bantin-key");
		close(ch[1]);
		close(kc[1]);
		ticket_secret_clear(&p->secret);	/* it only signs */
		log_setprefix("key process");
		/* it ends when the master and its workers are done with
		 * it; a terminal's ^C or hangup is theirs to act on */
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGPIPE, &sa, NULL);
		drop(conf);
		key = take_key(conf, chain, &kb, ch[0]);
		tls_key_wipe(&kb);	/* the key object is all it keeps */
		if (key == NULL)
			_exit(1);
		/* it only signs: the rest of what it inherited goes back */
		malloc_trim(0);
		(void)memtrim_code();
		if (sandbox_enter(NULL, NULL) == -1)
			log_warn("sandbox");
		tls_key_serve(key, ch[0], kc[0]);
		tls_key_free(key);
		_exit(0);
	}
	tls_key_wipe(&kb);
	close(ch[0]);
	close(kc[0]);
	if (key_answer(ch[1], conf, err, errlen) == -1 || nerr > 0) {
		if (nerr > 0)
			snprintf(err, errlen, "certificate refused");
		/* it ends with its channel */
		close(ch[1]);
		close(kc[1]);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		return -1;
	}
	p->key = pid;
	*kctl = kc[1];
	return ch[1];
}

/*
 * Send the master conf, the ticket secret, the certificate chain, the
 * listeners of set and the key channel reg, and wait for its answer: 1
 * it runs them, 0 it kept what it had, -1 it is gone. The message is
 * wiped once sent.
 */
static int
send_conf(struct parent *p, const struct config *conf,
    const struct lset *set, const struct buf *chain,
    const struct ticket_secret *secret, int reg)
{
	struct buf	 b = BUF_INIT;
	int		 fds[MSG_FDS], nfds, i, type, r;

	for (i = 0; i < set->n; i++)
		fds[i] = set->l[i].fd;
	fds[set->n] = reg;
	nfds = set->n + 1 + log_files(fds + set->n + 1);
	r = master_pack(&b, conf, set->l, set->n, secret->key, secret->len,
	    chain) == -1 || msg_send(p->ctl, MASTER_MSG_CONF, b.data, b.len,
	    fds, nfds) == -1;
	if (b.data != NULL)
		explicit_bzero(b.data, b.cap);
	if (r) {
		log_warn("to the master");
		buf_free(&b);
		return 0;
	}
	/* the master answers after its scan: that may take a while on a
	 * big tree, and there is nothing else for us to do meanwhile */
	while ((r = msg_recv(p->ctl, &type, &b, fds, &nfds)) == 1 &&
	    type != MASTER_MSG_DONE)
		while (nfds > 0)
			close(fds[--nfds]);
	r = r == 1 ? (b.len == 1 && b.data[0] == 1) : -1;
	buf_free(&b);
	return r;
}

/*
 * SIGHUP (reconf) or a key process to replace: the configuration (when
 * reconf), ticket secret, certificate and key read again (a changed
 * secret takes effect: tickets made with the old one get a full
 * handshake, once), what is new bound, and all of it sent to the
 * master. Until it says it took them, the running ones stay as they
 * are; a failure logs why and changes nothing.
 */
static void
reload(struct parent *p, int reconf)
{
	struct config	*conf = p->conf;
	struct lset	 nls;
	struct buf	 errs = BUF_INIT, chain = BUF_INIT;
	struct ticket_secret	 secret;
	char		 err[512];
	pid_t		 old_key = p->key;
	int		 reg = -1, kctl = -1, r, fds[2], reopened = 0;

	nls.n = -1;
	if (reconf) {
		/* logrotate moved the files away: new ones, here and (in
		 * the message, or on their own) for the master */
		reopened = log_reopen();
		if ((conf = config_load(p->conf->file, &errs)) == NULL) {
			log_config_errors(p->conf->file, &errs);
			log_warnx("reload failed: keeping the running "
			    "configuration");
			goto fail;
		}
		if (strcmp(conf->user, p->conf->user) != 0)
			log_warnx("server:user: a new user takes a restart; "
			    "still %s", p->conf->user[0] != '\0' ?
			    p->conf->user : "unchanged");
		if (!same_listen(conf, p->conf) && open_listeners(conf, &nls,
		    &p->ls, err, sizeof(err)) == -1) {
			log_warnx("reload failed: %s", err);
			goto fail;
		}
		own_state(conf);
	}
	if ((reg = start_key(p, conf, &chain, &kctl, err, sizeof(err))) ==
	    -1) {
		log_warnx("reload failed: %s", err);
		goto fail;
	}
	/* read after the fork: a key process never has it */
	if (reconf && ticket_secret_read(conf->ticket_secret, &secret, err,
	    sizeof(err)) == -1) {
		log_warnx("reload failed: %s", err);
		close(reg);		/* the new key process ends */
		close(kctl);
		p->key = old_key;
		goto fail;
	}
	r = send_conf(p, conf, nls.n >= 0 ? &nls : &p->ls, &chain,
	    reconf ? &secret : &p->secret, reg);
	close(reg);
	reopened = 0;			/* they went with it */
	if (r != 1) {
		/* the new key process ends when the master lets go of its
		 * channel; the old one still serves */
		close(kctl);
		p->key = old_key;
		if (r == 0)
			log_warnx("reload failed: the master kept the "
			    "running configuration");
		goto fail;
	}
	if (p->keyctl != -1)
		close(p->keyctl);
	p->keyctl = kctl;
	if (nls.n >= 0) {
		close_listeners(&p->ls);
		p->ls = nls;
	}
	if (conf != p->conf) {
		config_free(p->conf);
		p->conf = conf;
		/* the master's zone for dates, and the log's */
		(void)zone_use(conf->time_zone);
	}
	if (reconf) {
		p->secret = secret;
		ticket_secret_clear(&secret);
	}
	buf_free(&chain);
	buf_free(&errs);
	return;
fail:
	ticket_secret_clear(&secret);
	if (reopened && msg_send(p->ctl, MASTER_MSG_LOGS, NULL, 0, fds,
	    log_files(fds)) == -1)
		log_warn("to the master");
	/* the running key process was forked before the files moved */
	if (reopened && p->keyctl != -1 && msg_send(p->keyctl,
	    MASTER_MSG_LOGS, NULL, 0, fds, log_files(fds)) == -1)
		log_warn("to the key process");
	if (nls.n > 0)
		close_listeners(&nls);
	if (conf != p->conf)
		config_free(conf);
	buf_free(&chain);
	buf_free(&errs);
}

static void
reap(struct parent *p)
{
	pid_t	 pid;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == p->master) {
			p->master = 0;
			p->master_status = WIFEXITED(status) ?
			    WEXITSTATUS(status) : 1;
			if (!p->stopping)
				log_warnx("the master (pid %d) %s %d; "
				    "stopping", (int)pid, WIFSIGNALED(status) ?
				    "was killed by signal" : "exited with",
				    WIFSIGNALED(status) ? WTERMSIG(status) :
				    WEXITSTATUS(status));
		} else if (pid == p->key && !p->stopping) {
			p->key = 0;
			if (p->keyctl != -1)
				close(p->keyctl);
			p->keyctl = -1;
			log_warnx("the key process (pid %d) ended; starting "
			    "another", (int)pid);
			if (time(NULL) < p->key_respawn)
				sleep(1);
			p->key_respawn = time(NULL) + 1;
			reload(p, 0);
		}
	}
}

int
privsep_run(struct config *conf)
{
	struct parent		 p;
	struct sigaction	 sa;
	struct buf		 chain = BUF_INIT;
	struct pollfd		 pfd[2];
	sigset_t		 mask;
	char			 junk[64], err[512];
	int			 ctl[2], reg, r, type, fds[MSG_FDS];
	int			 nfds = 0;

	memset(&p, 0, sizeof(p));
	p.conf = conf;
	p.ctl = -1;
	p.keyctl = -1;
	own_state(conf);
	if (open_listeners(conf, &p.ls, NULL, err, sizeof(err)) == -1)
		fatalx("listen: %s", err);
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1 || msg_pair(ctl)
	    == -1)
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

	/* the master first, before any key is in our memory */
	switch ((p.master = fork_child(&mask))) {
	case -1:
		fatal("fork");
	case 0:
		leave_parent(&p, &mask, "bantin-master");
		close(ctl[0]);
		drop(conf);
		exit(master_run(ctl[1]));
	}
	close(ctl[1]);
	p.ctl = ctl[0];
	if ((reg = start_key(&p, conf, &chain, &p.keyctl, err, sizeof(err)))
	    == -1 ||
	    ticket_secret_read(conf->ticket_secret, &p.secret, err,
	    sizeof(err)) == -1) {
		kill(p.master, SIGTERM);
		fatalx("%s", err);
	}
	r = send_conf(&p, conf, &p.ls, &chain, &p.secret, reg);
	close(reg);
	if (r != 1) {
		kill(p.master, SIGTERM);
		log_warnx("the master did not start");
		p.master_status = 1;
		goto done;
	}

	/* the parent idles from here: what start-up touched of the heap
	 * and of the libraries' code goes back (memtrim.c) */
	malloc_trim(0);
	(void)memtrim_code();

	pfd[0].fd = sig_pipe[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = p.ctl;
	pfd[1].events = POLLIN;
	while (p.master != 0) {
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			fatal("poll");
		while (read(sig_pipe[0], junk, sizeof(junk)) > 0)
			;
		if (sig_chld) {
			sig_chld = 0;
			reap(&p);
		}
		if (sig_term && !p.stopping) {
			p.stopping = 1;
			if (p.master != 0)
				kill(p.master, SIGTERM);
		}
		if (sig_hup && !p.stopping) {
			sig_hup = 0;
			log_info("SIGHUP: reloading");
			reload(&p, 1);
		}
		/* the master's end: its exit status follows as SIGCHLD */
		if (pfd[1].fd != -1 && pfd[1].revents != 0 &&
		    msg_recv(p.ctl, &type, &chain, fds, &nfds) != 1)
			pfd[1].fd = -1;
		while (nfds > 0)
			close(fds[--nfds]);
	}
	/* a master that stopped without being told to is a failure */
	if (!p.stopping && p.master_status == 0)
		p.master_status = 1;
done:
	ticket_secret_clear(&p.secret);
	buf_free(&chain);
	close_listeners(&p.ls);
	close(p.ctl);
	if (p.keyctl != -1)
		close(p.keyctl);
	config_free(p.conf);
	return p.master_status;
}
