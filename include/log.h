/*
 * log.h: OpenBSD-style logging to stderr (foreground) or syslog.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

void	log_init(int foreground, int verbose);
void	log_setprefix(const char *);	/* e.g. "worker 2"; NULL for none */
/* Foreground only: hold lines in memory until log_flush() (a worker
 * flushes after each pass of its loop: one write for many requests).
 * Warnings are written at once. */
void	log_batched(int);
void	log_flush(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* One line from a signal handler: async-signal-safe (sandbox.c). */
void	log_sigsafe(const char *);
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
