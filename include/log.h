/*
 * log.h: OpenBSD-style logging to syslog, stderr or a file, and the
 * access log.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

/* Where messages go from now on: dest is "syslog", "stderr" or a
 * file's path (NULL or "": stderr when foreground, else syslog);
 * access, when neither NULL nor "", the access log's file. -1 with
 * err ("server:log: ...") when one cannot be used: no syslog daemon,
 * a file that cannot be opened for appending. */
int	log_open(const char *dest, const char *access, int foreground,
	    int verbose, char *err, size_t errlen);
/* Where log_open() finds the syslog daemon's socket: _PATH_LOG
 * (/dev/log), or path (the tests). */
void	log_syslog_at(const char *path);
/* This process is confining itself (sandbox.c): it makes no socket
 * from now on, so a syslog daemon that takes streams, once it closed
 * the connection, gets no more of its lines. */
void	log_sandbox(void);
/* Open the files again at their paths (SIGHUP, after a rotation); a
 * file that cannot be is logged and the old one kept. Processes
 * forked after the call write to the new files. 1 if one changed. */
int	log_reopen(void);
/* The descriptors of the log files (0 to 2 of them), for a process
 * that cannot open them itself: the privileged parent reopens them and
 * passes them on to the master, which takes them with log_adopt (the
 * same configuration, so the same files, in the same order). */
int	log_files(int fds[2]);
/* Write to fds from now on (they are closed: their files now sit at
 * this process's own log descriptors); -1 and all closed if they are
 * not the files this process has. */
int	log_adopt(const int *fds, int n);
/* TZ changed (zone_use): the next line is stamped in the new zone */
void	log_clock_changed(void);
void	log_setprefix(const char *);	/* e.g. "worker 2"; NULL for none */
/* Writing to stderr or a file: hold lines in memory until log_flush()
 * (a worker flushes after each pass of its loop: one write for many
 * requests). Warnings are written at once. */
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

/* The access log writes a request of front end front ("gemini") as a
 * URL of front://host[:port], the port left out when it is
 * default_port. */
void	log_access_origin(const char *front, const char *host, int port,
	    int default_port);
/* A request to the access log, if one is open: target is its path
 * and "?query" ("-" or another text not starting with '/' when it had
 * none), bytes what was sent. */
void	log_access(const char *front, const char *peer, int status,
	    const char *target, size_t bytes);
/* The access log's line, in the combined log format:
 *   127.0.0.1 - - [21/May/2026:11:15:00 +0700] "gemini://host/path" 20
 *   1234 "-" "-"
 * with the newline; its length, or -1 if it does not fit in len. */
int	log_access_line(char *out, size_t len, time_t when, const char *peer,
	    const char *origin, const char *target, int status, size_t bytes);

#endif
