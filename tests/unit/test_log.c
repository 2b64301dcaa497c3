/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_log.c: the access log's lines (combined log format, the request
 * as a URL escaped so that it stays one field), and the destinations:
 * a file appended to and opened again after a rename (logrotate), a
 * destination that cannot be used refused, batched lines held until
 * flushed but warnings written at once; on the journal's stream, each
 * line with its priority; syslog as syslog(3) speaks it, over
 * datagrams or a stream, and a daemon started again.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "t.h"

#define WHEN	1779362100	/* 2026-05-21 11:15:00 UTC */

static const struct {
	const char	*zone;
	const char	*peer;
	const char	*origin;
	const char	*target;
	int		 status;
	size_t		 bytes;
	const char	*line;
} lines[] = {
	{ "UTC", "127.0.0.1", "gemini://localhost", "/", 20, 210,
	    "127.0.0.1 - - [21/May/2026:11:15:00 +0000] "
	    "\"gemini://localhost/\" 20 210 \"-\" \"-\"\n" },
	{ "Asia/Ho_Chi_Minh", "::1", "gopher://tin.example:7070",
	    "/thoi-su/2020-05-21-chi-bo-dai-hoi", 20, 1234,
	    "::1 - - [21/May/2026:18:15:00 +0700] "
	    "\"gopher://tin.example:7070/thoi-su/2020-05-21-chi-bo-dai-hoi\" "
	    "20 1234 \"-\" \"-\"\n" },
	/* a space, a quote, a backslash, UTF-8, '%', a control character:
	 * escaped; the first '?' starts the query, a later one is data */
	{ "UTC", "10.0.0.2", "gemini://h", "/tin tức\"\\%\x1b?q a?b", 51, 14,
	    "10.0.0.2 - - [21/May/2026:11:15:00 +0000] "
	    "\"gemini://h/tin%20t%E1%BB%A9c%22%5C%25%1B?q%20a%3Fb\" 51 14 "
	    "\"-\" \"-\"\n" },
	/* what RFC 3986 allows in a path stays as it is */
	{ "UTC", "10.0.0.2", "gemini://h", "/a-b_c.d~e!$&'()*+,;=:@/", 20, 0,
	    "10.0.0.2 - - [21/May/2026:11:15:00 +0000] "
	    "\"gemini://h/a-b_c.d~e!$&'()*+,;=:@/\" 20 0 \"-\" \"-\"\n" },
	/* no path: a bad request line, a timeout */
	{ "UTC", "10.0.0.3", "gemini://h", "-", 59, 0,
	    "10.0.0.3 - - [21/May/2026:11:15:00 +0000] \"-\" 59 0 "
	    "\"-\" \"-\"\n" },
	{ "UTC", "10.0.0.3", "gemini://h", "(timeout)", 59, 22,
	    "10.0.0.3 - - [21/May/2026:11:15:00 +0000] \"-\" 59 22 "
	    "\"-\" \"-\"\n" },
};

static void
test_lines(void)
{
	char	 out[2048];
	size_t	 i;
	int	 n;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		setenv("TZ", lines[i].zone, 1);
		tzset();
		n = log_access_line(out, sizeof(out), WHEN, lines[i].peer,
		    lines[i].origin, lines[i].target, lines[i].status,
		    lines[i].bytes);
		CHECK_INT(n, strlen(lines[i].line));
		CHECK_STR(out, lines[i].line);
	}
	/* a line that does not fit is not cut */
	CHECK_INT(log_access_line(out, 40, WHEN, "127.0.0.1", "gemini://h",
	    "/", 20, 1), -1);
	setenv("TZ", "UTC", 1);
	tzset();
}

static char	 dir[] = "/tmp/bantin-log-XXXXXX";

static char *
slurp(const char *name)
{
	static char	 data[8192];
	char		 path[256];
	ssize_t		 n;
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	data[0] = '\0';
	if ((fd = open(path, O_RDONLY)) == -1)
		return data;
	n = read(fd, data, sizeof(data) - 1);
	data[n > 0 ? n : 0] = '\0';
	close(fd);
	return data;
}

static void
move(const char *from, const char *to)
{
	char	 a[256], b[256];

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	CHECK(rename(a, b) == 0);
}

/* destinations that cannot be used are refused, with the reason */
static void
test_refused(void)
{
	char	 err[512], path[256];

	CHECK(log_open(dir, NULL, 0, 0, err, sizeof(err)) == -1);
	CHECK_HAS(err, "server:log: ");
	CHECK_HAS(err, strerror(EISDIR));
	snprintf(path, sizeof(path), "%s/none/bantin.log", dir);
	CHECK(log_open(path, NULL, 0, 0, err, sizeof(err)) == -1);
	CHECK_HAS(err, strerror(ENOENT));
	CHECK(log_open("stderr", dir, 1, 0, err, sizeof(err)) == -1);
	CHECK_HAS(err, "server:access_log: ");
	/* syslog: refused exactly when no daemon listens */
	if (access("/dev/log", F_OK) == -1) {
		CHECK(log_open("syslog", NULL, 0, 0, err, sizeof(err)) == -1);
		CHECK_HAS(err, "server:log: syslog: /dev/log: ");
		CHECK(log_open(NULL, NULL, 0, 0, err, sizeof(err)) == -1);
	}
}

/* stderr as systemd's journal gives it to a service (JOURNAL_STREAM
 * names it): each line starts with its priority, "<N>", which the
 * journal keeps; any other stderr gets the lines as they are */
static void
test_journal(void)
{
	char		 err[512], path[256], env[64];
	const char	*text;
	struct stat	 st;
	int		 fd, saved;

	snprintf(path, sizeof(path), "%s/journal", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	CHECK(fd != -1);
	saved = dup(STDERR_FILENO);
	CHECK(saved != -1 && dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	CHECK(fstat(fd, &st) == 0);

	/* another stream's numbers: not the journal */
	snprintf(env, sizeof(env), "%llu:%llu",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino + 1);
	CHECK(setenv("JOURNAL_STREAM", env, 1) == 0);
	CHECK(log_open("stderr", NULL, 1, 0, err, sizeof(err)) == 0);
	log_info("plain");
	text = slurp("journal");
	CHECK(text[0] == '2');
	CHECK_HAS(text, " plain\n");

	snprintf(env, sizeof(env), "%llu:%llu",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	CHECK(setenv("JOURNAL_STREAM", env, 1) == 0);
	CHECK(log_open(NULL, NULL, 1, 0, err, sizeof(err)) == 0);
	log_info("a request");
	log_warnx("a warning");
	log_debug("not verbose: nothing");
	log_sigsafe("from a signal handler");
	text = slurp("journal");
	CHECK(strstr(text, "plain") != NULL && strstr(text, "<") ==
	    strstr(text, "\n<6>") + 1);
	CHECK_HAS(text, "\n<6>2");
	CHECK_HAS(text, " a request\n<4>2");
	CHECK_HAS(text, " a warning\n<3>2");
	CHECK_HAS(text, " from a signal handler\n");
	CHECK(strstr(text, "nothing") == NULL);

	CHECK(unsetenv("JOURNAL_STREAM") == 0);
	CHECK(dup2(saved, STDERR_FILENO) == STDERR_FILENO);
	close(saved);
	close(fd);
}

/* a file and an access log, written, moved away, opened again */
static void
test_files(void)
{
	char	 err[512], main_log[256], acc_log[256];

	snprintf(main_log, sizeof(main_log), "%s/bantin.log", dir);
	snprintf(acc_log, sizeof(acc_log), "%s/access.log", dir);
	CHECK(log_open(main_log, acc_log, 0, 0, err, sizeof(err)) == 0);
	log_access_origin("gemini", "localhost", 1965, 1965);
	log_access_origin("gopher", "localhost", 7070, 70);
	log_info("first %d", 1);
	log_access("gemini", "127.0.0.1", 20, "/a", 5);
	CHECK_HAS(slurp("bantin.log"), " first 1\n");
	CHECK_HAS(slurp("access.log"), "\"gemini://localhost/a\" 20 5 ");

	/* batched: held until the flush, but a warning goes at once */
	log_batched(1);
	log_setprefix("worker 0");
	log_info("held");
	log_access("gopher", "127.0.0.1", 51, "/b", 9);
	CHECK(strstr(slurp("bantin.log"), "held") == NULL);
	CHECK(strstr(slurp("access.log"), "/b") == NULL);
	log_warnx("at once");
	CHECK_HAS(slurp("bantin.log"), " worker 0: held\n");
	CHECK_HAS(slurp("bantin.log"), " worker 0: at once\n");
	log_flush();
	CHECK_HAS(slurp("access.log"), "\"gopher://localhost:7070/b\" 51 9 ");
	log_batched(0);
	log_setprefix(NULL);

	/* logrotate: moved away, then SIGHUP */
	move("bantin.log", "bantin.log.1");
	move("access.log", "access.log.1");
	CHECK_INT(log_reopen(), 1);
	log_info("second");
	log_access("gemini", "127.0.0.1", 20, "/c", 7);
	CHECK_HAS(slurp("bantin.log"), " second\n");
	CHECK(strstr(slurp("bantin.log"), "first") == NULL);
	CHECK_HAS(slurp("bantin.log.1"), " first 1\n");
	CHECK_HAS(slurp("access.log"), "/c");
	CHECK(strstr(slurp("access.log.1"), "/c") == NULL);
	/* appended to, never emptied */
	CHECK(log_reopen() == 1);
	log_info("third");
	CHECK_HAS(slurp("bantin.log"), " second\n");
	CHECK_HAS(slurp("bantin.log"), " third\n");

	/* a rotation that cannot be followed (a folder where the file
	 * was): the old file is kept, and says so */
	move("bantin.log", "kept.log");
	CHECK(mkdir(main_log, 0700) == 0);
	CHECK_INT(log_reopen(), 1);	/* the access log's went */
	log_info("fourth");
	CHECK_HAS(slurp("kept.log"), "reopening ");
	CHECK_HAS(slurp("kept.log"), " fourth\n");
	CHECK(rmdir(main_log) == 0);
}

/* a daemon's socket of type at dir/name, made again if it was */
static int
daemon_socket(int type, const char *name, struct sockaddr_un *sun)
{
	int	 fd;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir, name);
	(void)unlink(sun->sun_path);
	if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)sun, sizeof(*sun)) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 4) == -1)) {
		CHECK(0);
		return -1;
	}
	return fd;
}

/* what the daemon got on fd: a line, its NUL (a stream's) kept in *nul */
static const char *
got(int fd, int *nul)
{
	static char	 buf[4096];
	ssize_t		 n;

	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	*nul = n > 0 && memchr(buf, '\0', (size_t)n) == buf + n - 1;
	return buf;
}

/* a line as syslog(3) writes it: priority, time (now or a second ago,
 * the English month's, the day padded), "bantin[PID]: ", the prefix */
static void
check_syslog(const char *line, int pri, const char *msg)
{
	char		 want[2][128], stamp[32];
	struct tm	 tm;
	time_t		 t = time(NULL);
	int		 i;

	for (i = 0; i < 2; i++, t--) {
		localtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
		snprintf(want[i], sizeof(want[i]), "<%d>%s bantin[%d]: %s",
		    pri, stamp, (int)getpid(), msg);
	}
	CHECK(strcmp(line, want[0]) == 0 || strcmp(line, want[1]) == 0);
	if (strcmp(line, want[0]) != 0 && strcmp(line, want[1]) != 0)
		fprintf(stderr, "syslog: [%s], want [%s]\n", line, want[0]);
}

/*
 * Syslog over datagrams: each line to the daemon's path, so that a
 * daemon started again gets the next one. Over a stream (a daemon
 * that takes nothing else): a NUL after each line, the connection
 * made again once the daemon closed it, but not by a confined process,
 * which makes no socket. Last: the process stays "confined".
 */
static void
test_syslog(void)
{
	struct sockaddr_un	 sun;
	char			 err[512];
	int			 d, c, nul;

	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	d = daemon_socket(SOCK_DGRAM, "dev-log", &sun);
	log_syslog_at(sun.sun_path);
	CHECK(log_open("syslog", NULL, 0, 0, err, sizeof(err)) == 0);
	log_setprefix("worker 3");
	log_info("one");
	check_syslog(got(d, &nul), 30, "worker 3: one");
	CHECK(!nul);
	log_setprefix(NULL);
	log_warnx("two");
	check_syslog(got(d, &nul), 28, "two");
	close(d);
	d = daemon_socket(SOCK_DGRAM, "dev-log", &sun);
	log_info("three");
	check_syslog(got(d, &nul), 30, "three");
	close(d);
	(void)unlink(sun.sun_path);
	log_info("lost: no daemon");
	CHECK(log_open("syslog", NULL, 0, 0, err, sizeof(err)) == -1);
	CHECK_HAS(err, "server:log: syslog: ");
	CHECK_HAS(err, "/dev-log: ");

	d = daemon_socket(SOCK_STREAM, "stream-log", &sun);
	log_syslog_at(sun.sun_path);
	CHECK(log_open("syslog", NULL, 0, 0, err, sizeof(err)) == 0);
	CHECK((c = accept(d, NULL, NULL)) != -1);
	log_info("four");
	check_syslog(got(c, &nul), 30, "four");
	CHECK(nul);
	close(c);
	close(d);
	d = daemon_socket(SOCK_STREAM, "stream-log", &sun);
	log_info("five");
	CHECK((c = accept(d, NULL, NULL)) != -1);
	check_syslog(got(c, &nul), 30, "five");
	CHECK(nul);
	close(c);
	close(d);
	d = daemon_socket(SOCK_STREAM, "stream-log", &sun);
	log_sandbox();
	log_info("six");
	CHECK(fcntl(d, F_SETFL, O_NONBLOCK) == 0);
	CHECK(accept(d, NULL, NULL) == -1 && errno == EAGAIN);
	close(d);
	log_syslog_at(NULL);
}

int
main(void)
{
	char	 cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	test_lines();
	test_refused();
	test_journal();
	test_files();
	test_syslog();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done("log");
}
