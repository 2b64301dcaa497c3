/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * log.c: the one place that decides where messages go. With -d they go
 * to stderr with a timestamp, otherwise to syslog(3). log_warn adds
 * strerror(errno), log_warnx does not; fatal/fatalx log and exit(1) and
 * belong on the start-up path only. Before log_init() everything goes
 * to stderr, so that configuration errors reach the operator.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_BUF_MAX	16384	/* batched lines, flushed per loop pass */

static int		 log_fg = 1;
static int		 log_batch;
static char		 log_buf[LOG_BUF_MAX];
static size_t		 log_len;
static int		 log_verbose;
static const char	*log_prefix;
static long		 log_gmtoff;	/* of the last stamp: log_sigsafe */

static void	vlog(int, const char *, va_list);
static void	vlog_errno(int, int, const char *, va_list);

void
log_init(int foreground, int verbose)
{
	log_fg = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog("bantin", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setprefix(const char *p)
{
	log_prefix = p;
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
	static time_t	 ts_when = -1;
	char		 msg[2048];
	struct tm	 tm;
	time_t		 now;
	size_t		 n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (saved != 0) {
		n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(saved));
	}
	if (!log_fg) {
		if (log_prefix != NULL)
			syslog(pri, "%s: %s", log_prefix, msg);
		else
			syslog(pri, "%s", msg);
		return;
	}
	/* the access log writes a line per request: format the time once
	 * a second, not once a line */
	if ((now = time(NULL)) != ts_when) {
		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		ts_when = now;
		log_gmtoff = tm.tm_gmtoff;
	}
	if (log_batch) {
		/* whole lines only, so that workers do not interleave */
		char	 line[2200];
		int	 r;

		r = snprintf(line, sizeof(line), "%s%s%s%s %s\n", ts,
		    log_prefix ? " " : "", log_prefix ? log_prefix : "",
		    log_prefix ? ":" : "", msg);
		if (r < 0)
			return;
		if ((size_t)r >= sizeof(line))
			r = sizeof(line) - 1;
		if (log_len + (size_t)r > sizeof(log_buf))
			log_flush();
		memcpy(log_buf + log_len, line, (size_t)r);
		log_len += (size_t)r;
		if (pri <= LOG_WARNING)
			log_flush();	/* problems are not held back */
		return;
	}
	/* one write(2) per line so that workers do not interleave */
	if (log_prefix != NULL)
		dprintf(STDERR_FILENO, "%s %s: %s\n", ts, log_prefix, msg);
	else
		dprintf(STDERR_FILENO, "%s %s\n", ts, msg);
}

void
log_batched(int on)
{
	log_flush();
	log_batch = on && log_fg;
}

void
log_flush(void)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < log_len) {
		n = write(STDERR_FILENO, log_buf + off, log_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	log_len = 0;
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

/* to syslog's socket, as a datagram of its own: syslog(3) takes locks */
static void
sigsafe_syslog(const char *line, size_t len)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		(void)send(fd, line, len, 0);
	close(fd);
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

	if (!log_fg) {
		put(line, sizeof(line), &at, "<", LOG_DAEMON | LOG_ERR, 1);
		put(line, sizeof(line), &at, ">bantin[", (unsigned long)
		    getpid(), 1);
		put(line, sizeof(line), &at, "]: ", 0, 0);
	} else {
		log_flush();
		put_stamp(line, sizeof(line), &at);
		put(line, sizeof(line), &at, " ", 0, 0);
	}
	if (log_prefix != NULL) {
		put(line, sizeof(line), &at, log_prefix, 0, 0);
		put(line, sizeof(line), &at, ": ", 0, 0);
	}
	put(line, sizeof(line), &at, msg, 0, 0);
	if (!log_fg) {
		sigsafe_syslog(line, at);
		return;
	}
	line[at++] = '\n';
	(void)write(STDERR_FILENO, line, at);
}
