/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * log.c: the one place that decides where messages go: syslog(3), or a
 * file descriptor, stderr's or a file's, with a timestamp on each line
 * ([server] log). log_warn adds strerror(errno), log_warnx does not;
 * fatal/fatalx log and exit(1) and belong on the start-up path only.
 * Before log_open() everything goes to stderr, so that configuration
 * errors reach the operator; log_open() refuses a destination it
 * cannot use, so that bantin never runs mute. When stderr is systemd's
 * journal (bantin.service runs bantin -d), each line there starts with
 * its priority as "<N>", which the journal takes off and keeps, as
 * sd-daemon(3) describes: journalctl -p then tells warnings from the
 * lines of requests.
 *
 * The access log ([server] access_log), when on, gets one line per
 * request in the combined log format of web servers, for log analysers.
 *
 * Files are opened once, by the process that reads the configuration,
 * with O_APPEND, and inherited by the workers it forks: each write(2)
 * of whole lines is appended whole, so lines of several processes
 * never mix within a line. log_reopen() (SIGHUP, after logrotate's
 * rename) opens them again for the master and the workers it forks
 * from then on; workers never open a file (Landlock forbids them).
 *
 * Syslog is spoken here too, as syslog(3) would (RFC 3164, "bantin[PID]",
 * facility daemon), over a socket log_open() makes, which the workers
 * inherit: their system call filter lets them make no socket and
 * connect none. Where the daemon takes datagrams (journald, rsyslog,
 * syslog-ng, busybox), the socket is left unconnected and each line is
 * sent to the daemon's path: a daemon started again is reached by the
 * next line, with nothing to reconnect. A daemon that takes streams
 * only gets a connection; should it end, the parent and the master
 * connect again, and a worker, which cannot, loses its lines until the
 * master starts another (a reload does).
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_BUF_MAX	16384	/* batched lines, flushed per loop pass */
#define LOG_LINE_MAX	2200	/* a message line, timestamp and prefix */
#define LOG_ORIGINS	4	/* front ends the access log knows */

/* a destination written with write(2): stderr's copy, or a file */
struct logfd {
	int	 fd;		/* -1: none */
	char	*path;		/* a file's, to reopen; NULL: not a file */
	char	 buf[LOG_BUF_MAX];
	size_t	 len;		/* batched bytes in buf */
};

static struct logfd	 log_out = { STDERR_FILENO, NULL, "", 0 };
static struct logfd	 log_acc = { -1, NULL, "", 0 };
static int		 log_syslog;	/* 1: lines go to the socket below */
static int		 log_sysfd = -1;
static int		 log_systype;	/* SOCK_DGRAM or SOCK_STREAM */
static int		 log_sandboxed;	/* makes no socket any more */
static struct sockaddr_un log_sysaddr;
static const char	*log_syspath = _PATH_LOG;
static int		 log_journal = -1;	/* stderr is the journal; -1: ask */
static int		 log_batch;
static int		 log_verbose;
static const char	*log_prefix;
static struct {
	char	 front[16];
	char	 origin[300];
}			 log_origins[LOG_ORIGINS];
static long		 log_gmtoff;	/* of the last stamp: log_sigsafe */

static void	vlog(int, const char *, va_list);
static void	vlog_errno(int, int, const char *, va_list);

static int
open_append(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, 0640);
}

/* connect a socket of type to sun; 0, or -1 with errno */
static int
try_connect(int type, const struct sockaddr_un *sun)
{
	int	 fd, r, saved;

	if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* a stream socket connected to the daemon, made at descriptor at in
 * place of the one there, or at a new one if at is -1; -1 with errno */
static int
syslog_stream(int at)
{
	int	 fd, saved;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&log_sysaddr,
	    sizeof(log_sysaddr)) == -1 || (at != -1 &&
	    dup3(fd, at, O_CLOEXEC) == -1)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (at == -1)
		return fd;
	close(fd);
	return at;
}

/*
 * The syslog daemon's socket, if one listens (syslog(3) never says: it
 * drops what it cannot send): asked as syslog(3) does, datagram first.
 * A datagram socket is left unconnected (the top of this file says
 * why). 0, or -1 with err.
 */
static int
syslog_open(char *err, size_t errlen)
{
	int	 fd = -1;

	memset(&log_sysaddr, 0, sizeof(log_sysaddr));
	log_sysaddr.sun_family = AF_UNIX;
	snprintf(log_sysaddr.sun_path, sizeof(log_sysaddr.sun_path), "%s",
	    log_syspath);
	if (try_connect(SOCK_DGRAM, &log_sysaddr) == 0) {
		log_systype = SOCK_DGRAM;
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	} else if (errno == EPROTOTYPE) {
		log_systype = SOCK_STREAM;
		fd = syslog_stream(-1);
	}
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s (no syslog daemon?)",
		    log_syspath, strerror(errno));
		return -1;
	}
	if (log_sysfd != -1)
		close(log_sysfd);
	log_sysfd = fd;
	return 0;
}

/* Is fd the journal's stream? systemd names it in JOURNAL_STREAM, as
 * "device:inode", for the service's stdout and stderr; another stderr
 * (a file, a terminal, a pipe) is not. */
static int
is_journal(int fd)
{
	const char		*env = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 st;
	char			 end;

	if (env == NULL || sscanf(env, "%llu:%llu%c", &dev, &ino, &end) != 2 ||
	    fstat(fd, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* what of p went out on the stream before an error */
static size_t
stream_send(const char *p, size_t len)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < len)
		if ((n = send(log_sysfd, p + off, len - off, MSG_NOSIGNAL)) >
		    0)
			off += (size_t)n;
		else if (n == 0 || errno != EINTR)
			break;
	return off;
}

/*
 * A line to the daemon, with a byte of room after it in line
 * (async-signal-safe: log_sigsafe). A datagram that cannot be sent is
 * lost, as with syslog(3). On a stream each line ends with a NUL; a
 * connection the daemon closed is made again by a process that may
 * still make sockets, and a line cut short is not sent again.
 */
static void
syslog_send(char *line, size_t len)
{
	if (log_systype == SOCK_DGRAM) {
		(void)sendto(log_sysfd, line, len, MSG_NOSIGNAL,
		    (const struct sockaddr *)&log_sysaddr,
		    sizeof(log_sysaddr));
		return;
	}
	line[len++] = '\0';
	if (stream_send(line, len) == 0 && !log_sandboxed &&
	    syslog_stream(log_sysfd) != -1)
		(void)stream_send(line, len);
}

/* dest into l: "stderr" (a copy of fd 2, which daemon(3) may close)
 * or a file's path; -1 with err */
static int
open_fd(struct logfd *l, const char *key, const char *dest, char *err,
    size_t errlen)
{
	int	 fd;

	if (strcmp(dest, "stderr") == 0)
		fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	else if ((l->path = strdup(dest)) == NULL)
		fd = -1;
	else
		fd = open_append(dest);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s: %s", key, dest,
		    strerror(errno));
		free(l->path);
		l->path = NULL;
		return -1;
	}
	l->fd = fd;
	l->len = 0;
	if (l == &log_out)
		log_journal = l->path == NULL && is_journal(fd);
	return 0;
}

int
log_open(const char *dest, const char *access, int foreground, int verbose,
    char *err, size_t errlen)
{
	char	 why[256];

	log_verbose = verbose;
	log_syslog = 0;
	tzset();
	if (dest == NULL || *dest == '\0')
		dest = foreground ? "stderr" : "syslog";
	if (access != NULL && *access != '\0' &&
	    open_fd(&log_acc, "server:access_log", access, err, errlen) == -1)
		return -1;
	if (strcmp(dest, "syslog") != 0) {
		if (open_fd(&log_out, "server:log", dest, err, errlen) == 0)
			return 0;
	} else if (syslog_open(why, sizeof(why)) == 0) {
		log_syslog = 1;
		log_journal = 0;
		return 0;
	} else
		snprintf(err, errlen, "server:log: syslog: %s", why);
	if (log_acc.fd != -1) {
		close(log_acc.fd);
		free(log_acc.path);
		log_acc.fd = -1;
		log_acc.path = NULL;
	}
	return -1;
}

/* A file again at its path; on failure the old one is kept, so that a
 * rotation gone wrong loses no line. 1 if it changed. */
static int
reopen(struct logfd *l)
{
	int	 fd;

	if (l->path == NULL)
		return 0;
	if ((fd = open_append(l->path)) == -1) {
		log_warn("reopening %s (still writing to the old file)",
		    l->path);
		return 0;
	}
	log_flush();
	close(l->fd);
	l->fd = fd;
	return 1;
}

int
log_reopen(void)
{
	int	 r;

	r = reopen(&log_out);
	return reopen(&log_acc) || r;
}

int
log_files(int fds[2])
{
	int	 n = 0;

	if (log_out.path != NULL)
		fds[n++] = log_out.fd;
	if (log_acc.path != NULL)
		fds[n++] = log_acc.fd;
	return n;
}

/* fd in place of l's file, at l's descriptor: what a fork inherits */
static void
adopt(struct logfd *l, int fd)
{
	log_flush();
	if (l->fd == -1 || dup2(fd, l->fd) == -1)
		log_warn("taking a reopened log file");
	close(fd);
}

int
log_adopt(const int *fds, int n)
{
	int	 i = 0;

	if (n != (log_out.path != NULL) + (log_acc.path != NULL)) {
		while (n > 0)
			close(fds[--n]);
		return -1;
	}
	if (log_out.path != NULL)
		adopt(&log_out, fds[i++]);
	if (log_acc.path != NULL)
		adopt(&log_acc, fds[i++]);
	return 0;
}

void
log_syslog_at(const char *path)
{
	log_syspath = path != NULL ? path : _PATH_LOG;
}

void
log_sandbox(void)
{
	log_sandboxed = 1;
}

void
log_setprefix(const char *p)
{
	log_prefix = p;
}

void
log_access_origin(const char *front, const char *host, int port,
    int default_port)
{
	int	 i;

	for (i = 0; i < LOG_ORIGINS; i++)
		if (log_origins[i].front[0] == '\0' ||
		    strcmp(log_origins[i].front, front) == 0)
			break;
	if (i == LOG_ORIGINS)
		return;
	snprintf(log_origins[i].front, sizeof(log_origins[i].front), "%s",
	    front);
	if (port == default_port)
		snprintf(log_origins[i].origin, sizeof(log_origins[i].origin),
		    "%s://%s", front, host);
	else
		snprintf(log_origins[i].origin, sizeof(log_origins[i].origin),
		    "%s://%s:%d", front, host, port);
}

/* write(2) until all is out or the file fails (a full disk: the line
 * is lost, there is nowhere to say so) */
static void
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

static void
drain(struct logfd *l)
{
	if (l->len > 0 && l->fd != -1)
		write_all(l->fd, l->buf, l->len);
	l->len = 0;
}

/* one whole line into l: held while batching, else one write(2) */
static void
put_line(struct logfd *l, const char *line, size_t len, int now)
{
	if (!log_batch) {
		write_all(l->fd, line, len);
		return;
	}
	if (l->len + len > sizeof(l->buf))
		drain(l);
	if (len > sizeof(l->buf)) {
		write_all(l->fd, line, len);
		return;
	}
	memcpy(l->buf + l->len, line, len);
	l->len += len;
	if (now)
		drain(l);
}

/* the second the log's stamp was made for; -1: make it again */
static time_t	 ts_when = -1;

void
log_clock_changed(void)
{
	struct tm	 tm;
	time_t		 now = time(NULL);

	ts_when = -1;
	if (localtime_r(&now, &tm) != NULL)
		log_gmtoff = tm.tm_gmtoff;
}

/* "<30>May 21 11:15:02 bantin[PID]: worker 0: " and msg, as syslog(3)
 * writes it: the month's name in English whatever the locale */
static void
syslog_line(int pri, const char *msg)
{
	static const char	 months[] =
	    "JanFebMarAprMayJunJulAugSepOctNovDec";
	char			 line[LOG_LINE_MAX + 1];
	struct tm		 tm;
	time_t			 now = time(NULL);
	int			 r;

	if (localtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	r = snprintf(line, sizeof(line) - 1,
	    "<%d>%.3s %2d %02d:%02d:%02d bantin[%ld]: %s%s%s",
	    LOG_DAEMON | pri, months + 3 * (tm.tm_mon % 12), tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, (long)getpid(),
	    log_prefix != NULL ? log_prefix : "",
	    log_prefix != NULL ? ": " : "", msg);
	if (r < 0)
		return;
	/* the room left for a stream's NUL */
	syslog_send(line, (size_t)r < sizeof(line) - 1 ? (size_t)r :
	    sizeof(line) - 2);
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	vlog_errno(pri, 0, fmt, ap);
}

static void
vlog_errno(int pri, int saved, const char *fmt, va_list ap)
{
	static char	 ts[32];
	char		 msg[2048], line[LOG_LINE_MAX];
	struct tm	 tm;
	time_t		 now;
	size_t		 n;
	int		 r;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (saved != 0) {
		n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(saved));
	}
	if (log_syslog) {
		syslog_line(pri, msg);
		return;
	}
	/* a line per request: format the time once a second, not once a
	 * line */
	if ((now = time(NULL)) != ts_when) {
		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		ts_when = now;
		log_gmtoff = tm.tm_gmtoff;
	}
	/* before log_open(), stderr: asked once */
	if (log_journal == -1)
		log_journal = log_out.path == NULL && is_journal(log_out.fd);
	n = 0;
	if (log_journal == 1)
		n = (size_t)snprintf(line, sizeof(line), "<%d>", pri);
	r = snprintf(line + n, sizeof(line) - n, "%s%s%s%s %s\n", ts,
	    log_prefix ? " " : "", log_prefix ? log_prefix : "",
	    log_prefix ? ":" : "", msg);
	if (r >= 0)
		r += (int)n;
	if (r < 0)
		return;
	if ((size_t)r >= sizeof(line)) {
		r = sizeof(line) - 1;
		line[r - 1] = '\n';
	}
	/* problems are not held back */
	put_line(&log_out, line, (size_t)r, pri <= LOG_WARNING);
}

/*
 * RFC 3986's characters of a path and query, kept; every other byte
 * as %XX: a space, a quote or a byte of UTF-8 never ends the request
 * field or the line. The first '?' is the query's; a later one was in
 * the path or query itself.
 */
static size_t
url_escape(char *out, size_t outlen, const char *in)
{
	static const char	 hex[] = "0123456789ABCDEF";
	static const char	 keep[] = "-._~!$&'()*+,;=:@/";
	const unsigned char	*p;
	size_t			 n = 0;
	int			 query = 0;

	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		if (n + 4 > outlen)
			break;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p) != NULL ||
		    (*p == '?' && !query)) {
			query |= *p == '?';
			out[n++] = (char)*p;
			continue;
		}
		out[n++] = '%';
		out[n++] = hex[*p >> 4];
		out[n++] = hex[*p & 15];
	}
	out[n] = '\0';
	return n;
}

int
log_access_line(char *out, size_t len, time_t when, const char *peer,
    const char *origin, const char *target, int status, size_t bytes)
{
	char		 url[1024], ts[40];
	struct tm	 tm;
	int		 r;

	/* a request that never got a path (a timeout, a bad line): "-" */
	if (target[0] == '/')
		url_escape(url, sizeof(url), target);
	else {
		origin = "";
		snprintf(url, sizeof(url), "-");
	}
	localtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%d/%b/%Y:%H:%M:%S %z", &tm);
	r = snprintf(out, len, "%s - - [%s] \"%s%s\" %d %zu \"-\" \"-\"\n",
	    peer, ts, origin, url, status, bytes);
	return r < 0 || (size_t)r >= len ? -1 : r;
}

void
log_access(const char *front, const char *peer, int status,
    const char *target, size_t bytes)
{
	char		 line[LOG_LINE_MAX];
	const char	*origin = "";
	int		 i, r;

	if (log_acc.fd == -1)
		return;
	for (i = 0; i < LOG_ORIGINS; i++)
		if (strcmp(log_origins[i].front, front) == 0)
			origin = log_origins[i].origin;
	if ((r = log_access_line(line, sizeof(line), time(NULL), peer, origin,
	    target, status, bytes)) > 0)
		put_line(&log_acc, line, (size_t)r, 0);
}

void
log_batched(int on)
{
	log_flush();
	log_batch = on;
}

void
log_flush(void)
{
	drain(&log_out);
	drain(&log_acc);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	log_flush();
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	log_flush();
	exit(1);
}

/* s and the decimal digits of n, at least width of them, at out[*at] */
static void
put(char *out, size_t size, size_t *at, const char *s, unsigned long n,
    int width)
{
	char	 d[24];
	int	 i = 0;

	while (s != NULL && *s != '\0' && *at + 1 < size)
		out[(*at)++] = *s++;
	if (width == 0)
		return;
	do {
		d[i++] = (char)('0' + n % 10);
		n /= 10;
	} while ((n > 0 || i < width) && i < (int)sizeof(d));
	while (i > 0 && *at + 1 < size)
		out[(*at)++] = d[--i];
}

/*
 * The stamp of now, as vlog writes it, without localtime(3): the
 * offset of the last stamp, then days to a date of the Gregorian
 * calendar (in eras of 400 years of 146097 days, from 1 March 0000).
 */
static void
put_stamp(char *out, size_t size, size_t *at)
{
	long long	 t = (long long)time(NULL) + log_gmtoff;
	long long	 days = (t >= 0 ? t : t - 86399) / 86400;
	long long	 secs = t - days * 86400, z, era, doe, yoe, y;
	unsigned	 doy, mp, d, m;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = (unsigned)(doe - (365 * yoe + yoe / 4 - yoe / 100));
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	put(out, size, at, NULL, (unsigned long)(y + (m <= 2)), 4);
	put(out, size, at, "-", m, 2);
	put(out, size, at, "-", d, 2);
	put(out, size, at, " ", (unsigned long)(secs / 3600), 2);
	put(out, size, at, ":", (unsigned long)(secs / 60 % 60), 2);
	put(out, size, at, ":", (unsigned long)(secs % 60), 2);
}

/*
 * One line, from a signal handler that is about to _exit: only
 * async-signal-safe calls. Lines a worker holds back go first, so
 * that the order is kept.
 */
void
log_sigsafe(const char *msg)
{
	char	 line[512];
	size_t	 at = 0;

	if (log_syslog) {
		put(line, sizeof(line), &at, "<", LOG_DAEMON | LOG_ERR, 1);
		put(line, sizeof(line), &at, ">bantin[", (unsigned long)
		    getpid(), 1);
		put(line, sizeof(line), &at, "]: ", 0, 0);
	} else {
		log_flush();
		if (log_journal == 1) {
			put(line, sizeof(line), &at, "<", LOG_ERR, 1);
			put(line, sizeof(line), &at, ">", 0, 0);
		}
		put_stamp(line, sizeof(line), &at);
		put(line, sizeof(line), &at, " ", 0, 0);
	}
	if (log_prefix != NULL) {
		put(line, sizeof(line), &at, log_prefix, 0, 0);
		put(line, sizeof(line), &at, ": ", 0, 0);
	}
	put(line, sizeof(line), &at, msg, 0, 0);
	if (log_syslog) {
		/* put() leaves a byte: a stream's NUL */
		syslog_send(line, at);
		return;
	}
	line[at++] = '\n';
	if (write(log_out.fd, line, at) == -1) {
		/* nowhere left to say it */
	}
}
