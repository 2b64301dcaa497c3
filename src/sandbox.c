/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * sandbox.c: every platform #ifdef for confinement lives here. A worker
 * parses what clients send and what newsrooms write; should one of
 * them take it over, this is what it can still do. On Linux:
 *
 * - no_new_privs, so nothing it could run gains privileges, and not
 *   dumpable, so no core file or other user's ptrace reads its memory
 *   (the TLS key);
 * - Landlock, file system: it reads the site's tree and the system's
 *   libraries and data (libmagic's database, iconv's modules), reads
 *   and writes its state folder (the search catalog, whose WAL index
 *   readers write, and SQLite's temporary files); nothing else: not
 *   /etc, a home folder or the TLS key, and no write outside;
 * - Landlock, network (ABI 4): no TCP bind or connect at all. accept()
 *   on the listeners it inherits is not a bind or a connect, and goes
 *   on;
 * - Landlock, scoping (ABI 6): no signal to a process outside its own
 *   domain (the master, another worker) and no connect to an abstract
 *   unix socket made outside it (a desktop's or systemd's);
 * - last, a seccomp filter that allows the system calls a worker makes
 *   and no other: it serves files and sockets it has or opens below
 *   its folders, maps memory, reads clocks and random bytes, and logs.
 *   It makes no socket and connects none: those it speaks over it had
 *   before (its listeners, the clients it accepts, its channels to the
 *   master and the key process, syslog's, which log.c made for it), so
 *   no unix socket of another program (Docker's, Redis's) is in its
 *   reach. It signals no process but itself, neither by kill nor by
 *   asking for SIGIO (fcntl's F_SETOWN, F_SETSIG, O_ASYNC), which is
 *   what keeps it from the master where Landlock's scoping is missing;
 *   it runs no program (execve), makes no process (fork, clone), and
 *   traces none. A call outside the list is a bug or an attack either
 *   way: the worker logs the call's number and name, and exits with
 *   SANDBOX_EXIT_FILTER; the master logs that too, and starts another.
 *
 * The filter traps (SIGSYS, caught) rather than kills the process, so
 * that the log names the call in bantin's own words; the call is not
 * made either way, and a handler put back by an attacker only chooses
 * what the refused call returns. A kernel without Landlock or without
 * some of its ABI gets the rest; sandbox_lacks says what is missing,
 * and the master logs it once.
 *
 * Leak checking (SANITIZE=1 builds only, BANTIN_SANITIZE): LeakSanitizer
 * stops the process at exit with a tracer made by clone() that
 * ptrace()s it; those builds allow both. A production build never.
 */

#ifdef __linux__
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include <seccomp.h>
#endif

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

#ifdef __linux__

#define FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_WRITE (LANDLOCK_ACCESS_FS_WRITE_FILE | \
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE)
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif
/* ABI 1's rights, then REFER (2) and TRUNCATE (3) when known */
#define FS_ABI1	((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)

/* ABI 4 and 6, which older headers (Debian 12's) do not have */
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP	1	/* si_code of a filter's SIGSYS */
#endif

#define LANDLOCK_ABI_NET	4
#define LANDLOCK_ABI_SCOPE	6

/* the ruleset's attributes as of ABI 6; a kernel is given as much of
 * it as its ABI knows */
struct ruleset_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;
	uint64_t	 scoped;
};

/* read-only everywhere a worker may need the system's files; its own
 * /proc folder for the leak checker of SANITIZE=1 builds */
static const char *const sandbox_system[] = {
	"/usr", "/lib", "/lib64", "/etc/magic", "/etc/localtime",
	"/dev/urandom", "/dev/null", "/proc/self", NULL
};

/*
 * The system calls a worker (and the key process, a subset) makes,
 * found by running the tests with
 * the filter in log mode and under strace; those a name does not
 * cover on this architecture are skipped. Calls with arguments worth
 * checking are in filter_args().
 */
static const char *const sandbox_calls[] = {
	/* files and sockets it has */
	"read", "readv", "pread64", "write", "writev", "pwrite64",
	"sendfile", "lseek", "close", "fstat", "dup",
	"dup2", "dup3",		/* log files reopened, in place (log_adopt) */
	"ftruncate", "fsync", "fdatasync",
	"memfd_create",		/* a Titan upload for the master */
	/* files below its folders (Landlock says which) */
	"openat", "openat2", "newfstatat", "statx", "faccessat",
	"faccessat2", "access", "readlink", "readlinkat", "getcwd",
	"unlink", "unlinkat",
	/* its loop and connections */
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl",
	"poll", "ppoll",	/* the key process's loop */
	"accept4", "accept", "recvfrom", "recvmsg", "sendto", "sendmsg",
	"shutdown", "setsockopt", "getsockopt",
	"getsockname", "getpeername",
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* signals, clocks, random bytes, who it is */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"restart_syscall", "clock_gettime", "gettimeofday", "time",
	"nanosleep", "clock_nanosleep", "getrandom", "getpid", "gettid",
	"getppid", "getuid", "geteuid", "getgid", "getegid",
	"sched_yield", "futex",
	"exit", "exit_group",
	NULL
};

#ifdef BANTIN_SANITIZE
/* LeakSanitizer at exit (see the top of this file): its tracer, made
 * by clone() with these flags, ptrace()s the process, and both read
 * /proc with open and getdents; a report asks whether stderr is a
 * terminal (TCGETS) */
#define SANITIZER_CLONE	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED)
static const char *const sandbox_sanitizer[] = {
	"ptrace", "wait4", "prctl", "open", "getdents", NULL
};
#endif

/*
 * fcntl's commands a worker and its libraries give, found under strace
 * and by reading them: descriptors' flags (glibc, OpenSSL), SQLite's
 * locks (POSIX, the 64-bit ones of 32-bit systems, and open file
 * description locks), a Titan body's seals (titan.c). F_SETFL is
 * allowed apart, without O_ASYNC. Not F_SETOWN, F_SETOWN_EX or
 * F_SETSIG: with O_ASYNC they make the kernel signal the process a
 * worker names whenever one of its sockets can be read, the master
 * too, Landlock's scoping or not.
 */
static const int	 fcntl_cmds[] = {
	F_GETFD, F_SETFD, F_GETFL, F_DUPFD, F_DUPFD_CLOEXEC,
	F_GETLK, F_SETLK, F_SETLKW, F_GETLK64, F_SETLK64, F_SETLKW64,
	F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW,
	F_ADD_SEALS, F_GET_SEALS,
};

/* the message for each system call number, made before the filter:
 * its handler may call nothing that allocates */
#define SANDBOX_NCALLS	512
static char	 sandbox_names[SANDBOX_NCALLS][40];
static uint32_t	 sandbox_arch;

static int
add_rule(int ruleset, const char *path, uint64_t access, uint64_t handled)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 st;
	int					 fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	memset(&pb, 0, sizeof(pb));
	pb.parent_fd = fd;
	pb.allowed_access = access & handled;
	/* a file takes only the rights that apply to files */
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		pb.allowed_access &= LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_EXECUTE |
		    LANDLOCK_ACCESS_FS_TRUNCATE;
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rc;
}

static int
landlock_abi(void)
{
	return (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
}

/* what this ABI handles; TCP bind and connect get no rule: none */
static size_t
ruleset(struct ruleset_attr *attr, int abi)
{
	memset(attr, 0, sizeof(*attr));
	attr->handled_access_fs = FS_ABI1;
	if (abi >= 2)
		attr->handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		attr->handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi < LANDLOCK_ABI_NET)
		return offsetof(struct ruleset_attr, handled_access_net);
	attr->handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
	    LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (abi < LANDLOCK_ABI_SCOPE)
		return offsetof(struct ruleset_attr, scoped);
	attr->scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
	    LANDLOCK_SCOPE_SIGNAL;
	return sizeof(*attr);
}

static int
landlock(const char *const *readable, const char *const *writable)
{
	struct ruleset_attr	 attr;
	uint64_t		 handled;
	size_t			 i, size;
	int			 abi, fd;

	if ((abi = landlock_abi()) < 1)
		return 1;			/* not in this kernel */
	size = ruleset(&attr, abi);
	handled = attr.handled_access_fs;
	if ((fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0))
	    == -1)
		return -1;
	for (i = 0; sandbox_system[i] != NULL; i++)
		if (add_rule(fd, sandbox_system[i], FS_READ, handled) == -1)
			goto fail;
	for (i = 0; readable != NULL && readable[i] != NULL; i++)
		if (add_rule(fd, readable[i], FS_READ, handled) == -1)
			goto fail;
	for (i = 0; writable != NULL && writable[i] != NULL; i++)
		if (add_rule(fd, writable[i], FS_READ | FS_WRITE |
		    LANDLOCK_ACCESS_FS_TRUNCATE, handled) == -1)
			goto fail;
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		goto fail;
	close(fd);
	return abi < LANDLOCK_ABI_SCOPE;
fail:
	close(fd);
	return -1;
}

static int
seccomp_avail(void)
{
	uint32_t	 action = SECCOMP_RET_TRAP;

	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action)
	    == 0;
}

/*
 * A call outside the list: say which, then stop (async-signal-safe).
 * A SIGSYS another process sent is no call of ours, and is ignored.
 */
static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char	 tail[] = " refused by the filter: stopping";
	char			 msg[128] = "system call ";
	const char		*name = "of another ABI";
	size_t			 at = strlen(msg), n;

	(void)sig;
	(void)uc;
	if (si->si_code != SYS_SECCOMP)
		return;
	if (si->si_arch == sandbox_arch && si->si_syscall >= 0 &&
	    si->si_syscall < SANDBOX_NCALLS)
		name = sandbox_names[si->si_syscall];
	n = strnlen(name, sizeof(sandbox_names[0]));
	memcpy(msg + at, name, n);
	memcpy(msg + at + n, tail, sizeof(tail));
	log_sigsafe(msg);
	_exit(SANDBOX_EXIT_FILTER);
}

/* "41 (socket)" for every number, made while we may still allocate */
static void
name_calls(void)
{
	char	*name;
	int	 nr;

	sandbox_arch = seccomp_arch_native();
	for (nr = 0; nr < SANDBOX_NCALLS; nr++) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name != NULL)
			snprintf(sandbox_names[nr], sizeof(sandbox_names[nr]),
			    "%d (%s)", nr, name);
		else
			snprintf(sandbox_names[nr], sizeof(sandbox_names[nr]),
			    "%d", nr);
		free(name);
	}
}

static int
allow(scmp_filter_ctx ctx, const char *const *calls)
{
	int	 nr;

	for (; *calls != NULL; calls++) {
		if ((nr = seccomp_syscall_resolve_name(*calls)) ==
		    __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) < 0)
			return -1;
	}
	return 0;
}

/* allow call nr only when its argument arg is value */
static int
allow_if(scmp_filter_ctx ctx, int nr, unsigned int arg, scmp_datum_t value)
{
	struct scmp_arg_cmp	 cmp;

	memset(&cmp, 0, sizeof(cmp));
	cmp.arg = arg;
	cmp.op = SCMP_CMP_EQ;
	cmp.datum_a = value;
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
}

/* fcntl (and fcntl64, where it is another call) with the commands
 * above, and F_SETFL without O_ASYNC */
static int
filter_fcntl(scmp_filter_ctx ctx)
{
	static const char *const names[] = { "fcntl", "fcntl64" };
	struct scmp_arg_cmp	 cmp[2];
	size_t			 i, j, k;
	int			 nr;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((nr = seccomp_syscall_resolve_name(names[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		for (j = 0; j < sizeof(fcntl_cmds) / sizeof(fcntl_cmds[0]);
		    j++) {
			/* F_GETLK64 is F_GETLK on 64-bit systems */
			for (k = 0; k < j && fcntl_cmds[k] != fcntl_cmds[j];
			    k++)
				;
			if (k == j && allow_if(ctx, nr, 1, (scmp_datum_t)
			    fcntl_cmds[j]) < 0)
				return -1;
		}
		memset(cmp, 0, sizeof(cmp));
		cmp[0].arg = 1;
		cmp[0].op = SCMP_CMP_EQ;
		cmp[0].datum_a = F_SETFL;
		cmp[1].arg = 2;
		cmp[1].op = SCMP_CMP_MASKED_EQ;
		cmp[1].datum_a = O_ASYNC;
		cmp[1].datum_b = 0;
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 2, cmp) < 0)
			return -1;
	}
	return 0;
}

/*
 * Signals to itself only; of ioctls, conn.c's FIONREAD. fchown fails
 * instead of stopping the worker: SQLite, run as root, gives a WAL
 * file it makes the database's owner, and goes on without.
 */
static int
filter_args(scmp_filter_ctx ctx)
{
	const scmp_datum_t	 self = (scmp_datum_t)getpid();
	const struct {
		int		 nr;
		unsigned int	 arg;
		scmp_datum_t	 value;
	} only[] = {
		{ SCMP_SYS(kill), 0, self },
		{ SCMP_SYS(tkill), 0, self },
		{ SCMP_SYS(tgkill), 0, self },
		{ SCMP_SYS(ioctl), 1, FIONREAD },
#ifdef BANTIN_SANITIZE
		{ SCMP_SYS(clone), 0, SANITIZER_CLONE },
		{ SCMP_SYS(ioctl), 1, TCGETS },
#endif
	};
	size_t			 i;

	for (i = 0; i < sizeof(only) / sizeof(only[0]); i++)
		if (allow_if(ctx, only[i].nr, only[i].arg, only[i].value) < 0)
			return -1;
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(fchown), 0)
	    < 0)
		return -1;
	return 0;
}

static int
filter(void)
{
	struct sigaction	 sa;
	scmp_filter_ctx		 ctx;
	int			 rc = -1;

	if (!seccomp_avail())
		return 1;
	name_calls();
	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		return -1;
	/* a tree of the calls rather than a list: fewer instructions for
	 * the calls the kernel cannot answer from its cache (those with
	 * arguments to check) */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP) < 0 ||
	    allow(ctx, sandbox_calls) == -1 || filter_args(ctx) == -1 ||
	    filter_fcntl(ctx) == -1)
		goto done;
#ifdef BANTIN_SANITIZE
	if (allow(ctx, sandbox_sanitizer) == -1)
		goto done;
#endif
	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		goto done;
	rc = seccomp_load(ctx) < 0 ? -1 : 0;
done:
	seccomp_release(ctx);
	return rc;
}
#endif

int
sandbox_enter(const char *const *readable, const char *const *writable)
{
#ifdef __linux__
	int	 ll, sc;

	log_sandbox();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
	if ((ll = landlock(readable, writable)) == -1)
		return -1;
	/* last: the filter does not allow what came before it */
	if ((sc = filter()) == -1)
		return -1;
	return ll || sc;
#else
	(void)readable;
	(void)writable;
	return 1;
#endif
}

const char *
sandbox_lacks(void)
{
#ifdef __linux__
	static char	 lacks[160];
	int		 abi = landlock_abi();

	if (abi < 1)
		snprintf(lacks, sizeof(lacks), "Landlock (files, network, "
		    "signals)");
	else if (abi < LANDLOCK_ABI_NET)
		snprintf(lacks, sizeof(lacks), "Landlock's network rules "
		    "and scoping (ABI %d, not %d)", abi, LANDLOCK_ABI_SCOPE);
	else if (abi < LANDLOCK_ABI_SCOPE)
		snprintf(lacks, sizeof(lacks), "Landlock's scoping of "
		    "signals and abstract sockets (ABI %d, not %d)", abi,
		    LANDLOCK_ABI_SCOPE);
	else
		lacks[0] = '\0';
	if (!seccomp_avail())
		snprintf(lacks + strlen(lacks), sizeof(lacks) - strlen(lacks),
		    "%sseccomp filters", lacks[0] != '\0' ? " and " : "");
	return lacks[0] != '\0' ? lacks : NULL;
#else
	return "Landlock and seccomp (not Linux)";
#endif
}

int
sandbox_filtered(int status)
{
	return (WIFEXITED(status) && WEXITSTATUS(status) ==
	    SANDBOX_EXIT_FILTER) || (WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGSYS);
}
