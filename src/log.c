/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * log.c: the one place that decides where messages go. With -d they go
 * to stderr with a timestamp, otherwise to syslog(3). log_warn adds
 * strerror(errno), log_warnx does not; fatal/fatalx log and exit(1) and
 * belong on the start-up path only. Before log_init() everything goes
 * to stderr, so that configuration errors reach the operator.
 */

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
