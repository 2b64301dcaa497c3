/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_sandbox: a process confined by sandbox_enter, the worker's own
 * call, reads its tree, reads and writes its state folder, reads the
 * system's libraries, and no other file; makes no socket and connects
 * none (no TCP, no unix socket of another program), binds no port,
 * signals no other process, not even through SIGIO with Landlock off,
 * runs no program and makes no process; and still does what a worker
 * does: accepts on a listener it inherits, speaks over the sockets it
 * had, logs to syslog, locks files, reads clocks and random bytes. A
 * call outside the filter's list stops it with a log line naming the
 * call, and the exit status the master recognises. Each case runs in
 * a child, since confinement cannot be undone.
 */

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"
#include "t.h"

enum outcome { DONE, REFUSED, FILTERED, OTHER };

static char			 dir[64];
static struct sockaddr_in	 tcp_addr;	/* a listener of ours */
static int			 pending = -1;	/* one with a client queued */
static struct sockaddr_un	 abstract, dgram, named;
static int			 dgram_fd = -1;	/* "syslog" */
static volatile sig_atomic_t	 got_usr1;

/* what an action's errno says: refused by the sandbox, or something
 * else went wrong */
static int
refused(void)
{
	return errno == EACCES || errno == EPERM ? 1 : 2;
}

/* in a child: confine, then act; the exit status is the outcome */
static enum outcome
run(int (*prep)(void), int (*act)(const void *), const void *arg,
    char *log, size_t logsize)
{
	const char	*readable[2], *writable[3];
	char		 root[128], state[128], one[128], file[128];
	pid_t		 pid, w = -1;
	ssize_t		 n;
	int		 st, fd, pfd = -1;

	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(one, sizeof(one), "%s/catalog.db-wal", dir);
	snprintf(file, sizeof(file), "%s/child.log", dir);
	readable[0] = root;
	readable[1] = NULL;
	writable[0] = state;
	writable[1] = one;		/* a file of its own */
	writable[2] = NULL;
	if ((fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600))
	    == -1)
		return OTHER;
	if ((pid = fork()) == 0) {
		dup2(fd, STDERR_FILENO);
		if (prep != NULL && (pfd = prep()) == -1)
			_exit(4);
		if (sandbox_enter(readable, writable) == -1)
			_exit(3);
		_exit(act(arg));
	}
	log[0] = '\0';
	/* a signal the child got through to us interrupts the wait */
	while (pid != -1 && (w = waitpid(pid, &st, 0)) == -1 &&
	    errno == EINTR)
		;
	if (w == -1) {
		close(fd);
		return OTHER;
	}
	if ((n = pread(fd, log, logsize - 1, 0)) > 0)
		log[n] = '\0';
	close(fd);
	if (sandbox_filtered(st))
		return WIFEXITED(st) ? FILTERED : OTHER;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
		return OTHER;
	return WEXITSTATUS(st) == 0 ? DONE : REFUSED;
}

/* files: open a path (below the test's folder unless absolute) */
struct file_case {
	const char	*path;
	int		 flags;
	enum outcome	 want;
};

static int
act_open(const void *arg)
{
	const struct file_case	*c = arg;
	char			 file[256];

	if (c->path[0] == '/')
		snprintf(file, sizeof(file), "%s", c->path);
	else
		snprintf(file, sizeof(file), "%s/%s", dir, c->path);
	return open(file, c->flags | O_CLOEXEC, 0600) == -1 ? refused() : 0;
}

/* a TCP socket made before the sandbox, as a worker's listeners are */
static int	 made = -1;

static int
prep_tcp(void)
{
	return made = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static int
act_connect_made(const void *arg)
{
	(void)arg;
	return connect(made, (const struct sockaddr *)&tcp_addr,
	    sizeof(tcp_addr)) == -1 ? refused() : 0;
}

static int
act_bind_made(const void *arg)
{
	struct sockaddr_in	 sin = tcp_addr;

	(void)arg;
	sin.sin_port = 0;
	return bind(made, (struct sockaddr *)&sin, sizeof(sin)) == -1 ?
	    refused() : 0;
}

/* a new socket of the family in arg, connected to our listener */
static int
act_socket(const void *arg)
{
	const int	*family = arg;
	int		 fd;

	if ((fd = socket(*family, SOCK_STREAM, 0)) == -1)
		return refused();
	return connect(fd, (const struct sockaddr *)&tcp_addr,
	    sizeof(tcp_addr)) == -1 ? refused() : 0;
}

static int
act_udp(const void *arg)
{
	(void)arg;
	return socket(AF_INET, SOCK_DGRAM, 0) == -1 ? refused() : 0;
}

static int
act_kill_parent(const void *arg)
{
	(void)arg;
	return kill(getppid(), SIGUSR1) == -1 ? refused() : 0;
}

/*
 * Landlock off, as on a kernel without it or without its scoping of
 * signals (before 6.12: Debian 12's 6.1): its calls fail with ENOSYS,
 * and what is left of the sandbox is the filter. For what the filter
 * alone must refuse.
 */
static int
no_landlock(void)
{
	static const int	 calls[] = { SYS_landlock_create_ruleset,
	    SYS_landlock_add_rule, SYS_landlock_restrict_self };
	scmp_filter_ctx		 ctx;
	size_t			 i;
	int			 rc = -1;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    (ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -1;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), calls[i], 0)
		    < 0)
			goto done;
	rc = seccomp_load(ctx) < 0 ? -1 : 0;
done:
	seccomp_release(ctx);
	return rc;
}

/* a connected pair made before the sandbox, as a worker's client
 * connections are: the other end is the attacker's */
static int	 pair[2] = { -1, -1 };

static int
prep_pair_no_landlock(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1)
		return -1;
	return no_landlock();
}

/* the parent told to take SIGIO for the socket, as SIGUSR1 (its
 * default SIGIO would end it), then its peer written to */
static int
act_sigio_parent(const void *arg)
{
	int	 flags;

	(void)arg;
	if (fcntl(pair[0], F_SETOWN, getppid()) == -1 ||
	    fcntl(pair[0], F_SETSIG, SIGUSR1) == -1 ||
	    (flags = fcntl(pair[0], F_GETFL)) == -1 ||
	    fcntl(pair[0], F_SETFL, flags | O_ASYNC) == -1)
		return refused();
	return write(pair[1], "x", 1) == 1 ? 0 : 2;
}

/* O_ASYNC alone: no signal yet, and no need of it */
static int
act_async(const void *arg)
{
	(void)arg;
	return fcntl(STDERR_FILENO, F_SETFL, O_ASYNC) == -1 ? refused() : 0;
}

/* the commands a worker and its libraries give: flags, SQLite's
 * locks, a Titan body's seals */
static int
act_fcntl(const void *arg)
{
	struct flock	 fl;
	char		 file[128];
	int		 fd, flags, mfd, r = 0;

	(void)arg;
	snprintf(file, sizeof(file), "%s/state/locked", dir);
	if ((fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    (flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_GETFD) != FD_CLOEXEC ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return refused();
	if ((r = fcntl(fd, F_DUPFD_CLOEXEC, 10)) == -1 || close(r) == -1 ||
	    (r = fcntl(fd, F_DUPFD, 10)) == -1 || close(r) == -1)
		return refused();
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_len = 1;
	if (fcntl(fd, F_SETLK, &fl) == -1 || fcntl(fd, F_GETLK, &fl) == -1 ||
	    fcntl(fd, F_SETLKW, &fl) == -1)
		return refused();
	fl.l_start = 2;
	if (fcntl(fd, F_OFD_SETLK, &fl) == -1 ||
	    fcntl(fd, F_OFD_GETLK, &fl) == -1)
		return refused();
	if ((mfd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING)) ==
	    -1 || fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL) == -1 ||
	    fcntl(mfd, F_GET_SEALS) != F_SEAL_SEAL)
		return refused();
	return 0;
}

static int
act_execve(const void *arg)
{
	char *const	 argv[] = { "true", NULL }, *envp[] = { NULL };

	(void)arg;
	execve("/bin/true", argv, envp);
	return refused();
}

static int
act_fork(const void *arg)
{
	pid_t	 pid;

	(void)arg;
	if ((pid = fork()) == 0)
		_exit(0);
	return pid == -1 ? refused() : 0;
}

#ifndef BANTIN_SANITIZE
static int
act_ptrace(const void *arg)
{
	(void)arg;
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1 ? refused() : 0;
}
#endif

/* a unix stream socket made before the sandbox */
static int
prep_unix(void)
{
	return made = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

/* a named unix socket the worker did not have, as Docker's or Redis's
 * are: with a socket it had, or a new one */
static int
act_named_made(const void *arg)
{
	(void)arg;
	return connect(made, (const struct sockaddr *)&named, sizeof(named))
	    == -1 ? refused() : 0;
}

static int
act_named_new(const void *arg)
{
	int	 fd;

	(void)arg;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return refused();
	return connect(fd, (const struct sockaddr *)&named, sizeof(named))
	    == -1 ? refused() : 0;
}

static int
act_abstract(const void *arg)
{
	(void)arg;
	return connect(made, (const struct sockaddr *)&abstract,
	    offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(abstract.sun_path + 1)) == -1 ? refused() : 0;
}

/* syslog as log.c speaks it, set up before the sandbox as bantin
 * does, the test's datagram socket standing for /dev/log */
static int
prep_syslog(void)
{
	char	 err[256];

	log_syslog_at(dgram.sun_path);
	if (log_open("syslog", NULL, 0, 0, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/* the datagram waiting at "syslog" starts with start and has text */
static int
syslog_got(const char *start, const char *text)
{
	char	 buf[1024];
	ssize_t	 n;

	if ((n = recv(dgram_fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) <= 0) {
		fprintf(stderr, "syslog got nothing\n");
		return 0;
	}
	buf[n] = '\0';
	if (strncmp(buf, start, strlen(start)) == 0 &&
	    strstr(buf, text) != NULL)
		return 1;
	fprintf(stderr, "syslog got [%s], not [%s...%s]\n", buf, start,
	    text);
	return 0;
}

static int
act_syslog(const void *arg)
{
	char	 want[64];

	(void)arg;
	log_info("in the sandbox");
	snprintf(want, sizeof(want), " bantin[%d]: in the sandbox",
	    (int)getpid());
	return syslog_got("<30>", want) ? 0 : 2;
}

/* a pair made before the sandbox, as the channels to the master and
 * the key process are */
static int
prep_pair(void)
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
}

static int
act_pair(const void *arg)
{
	char	 c = 0;

	(void)arg;
	if (write(pair[0], "k", 1) != 1 || read(pair[1], &c, 1) != 1 ||
	    c != 'k')
		return 2;
	return 0;
}

static int
act_socketpair(const void *arg)
{
	int	 sv[2];

	(void)arg;
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1 ?
	    refused() : 0;
}

static int
act_accept(const void *arg)
{
	(void)arg;
	return accept4(pending, NULL, NULL, SOCK_CLOEXEC) == -1 ?
	    refused() : 0;
}

static int
act_signal_self(const void *arg)
{
	(void)arg;
	if (kill(getpid(), 0) == -1 || raise(SIGURG) != 0)
		return refused();
	return 0;
}

static int
act_state_write(const void *arg)
{
	char	 file[128];
	int	 fd;

	(void)arg;
	snprintf(file, sizeof(file), "%s/state/written", dir);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return refused();
	return write(fd, "x", 1) == 1 ? 0 : 2;
}

static int
act_memory_clock_random(const void *arg)
{
	struct timespec	 ts;
	char		 buf[16], *p;

	(void)arg;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    clock_gettime(CLOCK_MONOTONIC, &ts) == -1 ||
	    getrandom(buf, sizeof(buf), 0) != sizeof(buf))
		return refused();
	if ((p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return refused();
	p[0] = 1;
	return munmap(p, 1 << 20) == -1 ? refused() : 0;
}

static int
act_mkfifo(const void *arg)
{
	char	 buf[512];
	int	 fd;

	(void)arg;
	/* a call no worker makes, harmless in itself: a fifo */
	snprintf(buf, sizeof(buf), "%s/state/fifo", dir);
	if ((fd = mkfifo(buf, 0600)) == -1)
		return refused();
	return 0;
}

static const int	 inet = AF_INET, inet6 = AF_INET6;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

/* our listeners: TCP (one with a client queued), abstract, named,
 * datagram (syslog's) */
static int
listeners(void)
{
	socklen_t	 len = sizeof(tcp_addr);
	int		 fd, client;

	memset(&tcp_addr, 0, sizeof(tcp_addr));
	tcp_addr.sin_family = AF_INET;
	tcp_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&tcp_addr, sizeof(tcp_addr)) == -1 ||
	    listen(fd, 16) == -1 ||
	    getsockname(fd, (struct sockaddr *)&tcp_addr, &len) == -1)
		return -1;
	pending = fd;
	if ((client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(client, (struct sockaddr *)&tcp_addr, sizeof(tcp_addr))
	    == -1)
		return -1;

	memset(&abstract, 0, sizeof(abstract));
	abstract.sun_family = AF_UNIX;
	snprintf(abstract.sun_path + 1, sizeof(abstract.sun_path) - 1,
	    "bantin-test-sandbox-%d", (int)getpid());
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&abstract, offsetof(struct
	    sockaddr_un, sun_path) + 1 + strlen(abstract.sun_path + 1)) == -1 ||
	    listen(fd, 16) == -1)
		return -1;

	memset(&named, 0, sizeof(named));
	named.sun_family = AF_UNIX;
	snprintf(named.sun_path, sizeof(named.sun_path), "%s/other.sock",
	    dir);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&named, sizeof(named)) == -1 ||
	    listen(fd, 16) == -1)
		return -1;

	memset(&dgram, 0, sizeof(dgram));
	dgram.sun_family = AF_UNIX;
	snprintf(dgram.sun_path, sizeof(dgram.sun_path), "%s/log", dir);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&dgram, sizeof(dgram)) == -1)
		return -1;
	dgram_fd = fd;
	return 0;
}

/* the filter's line: the time as this process writes it, the call */
static void
check_filter_line(const char *log, const char *call, time_t t0)
{
	char		 want[64], stamp[2][32];
	struct tm	 tm;
	time_t		 t;
	int		 i;

	snprintf(want, sizeof(want), "(%s) refused by the filter: stopping",
	    call);
	CHECK_HAS(log, want);
	for (i = 0; i < 2; i++) {
		t = i == 0 ? t0 : time(NULL);
		localtime_r(&t, &tm);
		strftime(stamp[i], sizeof(stamp[i]), "%Y-%m-%d %H:%M:%S ", &tm);
	}
	CHECK(strncmp(log, stamp[0], 20) == 0 ||
	    strncmp(log, stamp[1], 20) == 0);
	if (strncmp(log, stamp[0], 20) != 0 && strncmp(log, stamp[1], 20) != 0)
		fprintf(stderr, "stamp of [%s], want [%s]\n", log, stamp[1]);
}

static void
actions(int full)
{
	static const struct {
		const char	*name;
		int		(*prep)(void);
		int		(*act)(const void *);
		const void	*arg;
		enum outcome	 want;
		const char	*call;	/* FILTERED: the call named */
	} cases[] = {
		/* what a taken-over worker must not do */
		{ "TCP connect, new socket", NULL, act_socket, &inet,
		    FILTERED, "socket" },
		{ "TCP6 socket", NULL, act_socket, &inet6, FILTERED,
		    "socket" },
		{ "UDP socket", NULL, act_udp, NULL, FILTERED, "socket" },
		{ "TCP connect, socket made before", prep_tcp,
		    act_connect_made, NULL, FILTERED, "connect" },
		/* no worker binds: the filter stops it before Landlock */
		{ "TCP bind, socket made before", prep_tcp, act_bind_made,
		    NULL, FILTERED, "bind" },
		{ "signal the parent", NULL, act_kill_parent, NULL,
		    FILTERED, "kill" },
		{ "signal the parent through SIGIO, Landlock off",
		    prep_pair_no_landlock, act_sigio_parent, NULL, FILTERED,
		    "fcntl" },
		{ "O_ASYNC", NULL, act_async, NULL, FILTERED, "fcntl" },
		{ "execve /bin/true", NULL, act_execve, NULL, FILTERED,
		    "execve" },
		{ "fork", NULL, act_fork, NULL, FILTERED, "clone" },
#ifndef BANTIN_SANITIZE
		{ "ptrace", NULL, act_ptrace, NULL, FILTERED, "ptrace" },
#endif
		{ "abstract socket outside", prep_unix, act_abstract, NULL,
		    FILTERED, "connect" },
		{ "named unix socket, socket made before", prep_unix,
		    act_named_made, NULL, FILTERED, "connect" },
		{ "named unix socket, new socket", NULL, act_named_new, NULL,
		    FILTERED, "socket" },
		{ "socketpair", NULL, act_socketpair, NULL, FILTERED,
		    "socketpair" },
		{ "a call not on the list", NULL, act_mkfifo, NULL,
		    FILTERED, "mknodat" },
		/* what a worker does */
		{ "accept on an inherited listener", NULL, act_accept, NULL,
		    DONE, NULL },
		{ "syslog, its socket made before", prep_syslog, act_syslog,
		    NULL, DONE, NULL },
		{ "a pair made before: read and write", prep_pair, act_pair,
		    NULL, DONE, NULL },
		{ "signal itself", NULL, act_signal_self, NULL, DONE, NULL },
		{ "write in the state folder", NULL, act_state_write, NULL,
		    DONE, NULL },
		{ "fcntl: flags, locks, seals", NULL, act_fcntl, NULL, DONE,
		    NULL },
		{ "memory, clocks, random bytes", NULL,
		    act_memory_clock_random, NULL, DONE, NULL },
	};
	char		 log[1024];
	size_t		 i;
	time_t		 t0;
	int		 got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!full && cases[i].want != DONE)
			continue;
		got_usr1 = 0;
		t0 = time(NULL);
		got = run(cases[i].prep, cases[i].act, cases[i].arg, log,
		    sizeof(log));
		if (got != (int)cases[i].want)
			fprintf(stderr, "%s: %d\n%s", cases[i].name, got, log);
		CHECK_INT(got, cases[i].want);
		CHECK_INT(got_usr1, 0);
		if (cases[i].want == FILTERED)
			check_filter_line(log, cases[i].call, t0);
	}
}

/* the filter's line goes to syslog, when it is the log, as the others
 * do */
static void
syslog_filtered(void)
{
	char	 log[1024];

	CHECK_INT(run(prep_syslog, act_mkfifo, NULL, log, sizeof(log)),
	    FILTERED);
	CHECK(syslog_got("<27>bantin[",
	    " (mknodat) refused by the filter: stopping"));
}

static void
files(void)
{
	static const struct file_case	 cases[] = {
		{ "root/a.gmi", O_RDONLY, DONE },
		{ "root/sub/b.md", O_RDONLY, DONE },
		{ "root/sub", O_RDONLY | O_DIRECTORY, DONE },
		{ "root/a.gmi", O_WRONLY, REFUSED },
		{ "root/new.gmi", O_WRONLY | O_CREAT, REFUSED },
		{ "state/catalog.db", O_RDWR, DONE },
		{ "state/catalog.db-shm", O_RDWR | O_CREAT, DONE },
		{ "catalog.db-wal", O_RDWR, DONE },
		{ "counter", O_RDONLY, REFUSED },	/* beside that file */
		{ "outside.txt", O_RDONLY, REFUSED },
		{ "key.pem", O_RDONLY, REFUSED },
		{ "/etc/passwd", O_RDONLY, REFUSED },
		{ "/etc/hostname", O_RDONLY, REFUSED },
		{ "/usr/lib/os-release", O_RDONLY, DONE },
		{ "/proc/self/maps", O_RDONLY, DONE },	/* the leak checker */
		{ "/proc/1/environ", O_RDONLY, REFUSED },
	};
	char	 path[256], log[1024];
	size_t	 i;
	int	 fd, got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].path[0] == '/' || (cases[i].flags & O_CREAT) ||
		    (cases[i].flags & O_DIRECTORY))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].path);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1)
			close(fd);
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = run(NULL, act_open, &cases[i], log, sizeof(log));
		if (got != (int)cases[i].want)
			fprintf(stderr, "%s: %d\n%s", cases[i].path, got, log);
		CHECK_INT(got, cases[i].want);
	}
}

int
main(void)
{
	struct sigaction	 sa;
	const char		*lacks;
	char			 path[256];

	/* the filter's line is stamped in the zone of the last line */
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	log_info("test_sandbox: each case in a child");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	snprintf(dir, sizeof(dir), "/tmp/test_sandbox.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return t_done("test_sandbox");
	}
	snprintf(path, sizeof(path), "%s/root", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/root/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/state", dir);
	mkdir(path, 0700);
	CHECK_INT(listeners(), 0);

	/* the kernel must have all of it for the refusals to mean
	 * anything; what a worker does must work on any */
	if ((lacks = sandbox_lacks()) != NULL)
		fprintf(stderr, "this kernel lacks %s: only what must "
		    "work is tested\n", lacks);
	else {
		files();
		syslog_filtered();
	}
	actions(lacks == NULL);
	CHECK(!sandbox_filtered(0));
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK_INT(system(path), 0);
	return t_done("test_sandbox");
}
