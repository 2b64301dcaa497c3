/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * loadgen.c: the load generator of `make bench`. One thread, one
 * epoll loop, C slots; each slot makes one request per connection, as
 * Gemini and Gopher require, and starts the next when it ends. TLS
 * requests use full handshakes, or (-R) offer the session ticket the
 * slot got on its previous connection. A hold mode (-H) opens N
 * connections, finishes their handshakes, keeps them idle, then sends
 * a request on every one: it measures what a server does with many
 * slow clients. The result is requests/s, latency percentiles and
 * error counts, for people or (-m) as one line of key=value for
 * scripts. With -X each connection starts with a PROXY protocol v2
 * header, as a load balancer's do. Every wait is bounded by a deadline.
 */

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define LG_HEAD_MAX	64		/* response bytes kept for -x */
#define LG_READ_CHUNK	16384
#define LG_TIMEOUT_S	10		/* default per-request deadline */
#define LG_HOLD_MAX	65536

enum lg_state {
	LG_IDLE,
	LG_CONNECT,
	LG_HANDSHAKE,
	LG_HELD,
	LG_WRITE,
	LG_READ
};

enum lg_err {
	LG_E_CONNECT,
	LG_E_TLS,
	LG_E_IO,
	LG_E_TIMEOUT,
	LG_E_RESPONSE,
	LG_E_DROPPED,		/* closed by the server while held */
	LG_E_MAX
};

static const char *const lg_err_names[LG_E_MAX] = {
	"connect", "tls", "io", "timeout", "response", "dropped"
};

struct slot {
	int		 fd;
	SSL		*ssl;
	SSL_SESSION	*sess;		/* offered on the slot's next request */
	enum lg_state	 st;
	long long	 t0;		/* µs: start of what we time */
	long long	 deadline;	/* µs; 0 = none (held) */
	const char	*req;		/* this request's line, with CRLF */
	size_t		 reqlen;
	size_t		 sent;
	size_t		 got;
	char		 head[LG_HEAD_MAX];
	size_t		 headlen;
	unsigned int	 events;	/* current epoll interest */
	unsigned int	 gen;		/* connection number, for events */
};

struct lg {
	/* options */
	struct sockaddr_in	 addr;
	const char		*sni;
	char			*req;		/* request lines, each with CRLF */
	char			**reqs;		/* -f: where each line starts */
	size_t			 nreqs;		/* 1 without -f */
	int			 from_file;	/* -f */
	const char		*expect;	/* response prefix, or NULL */
	size_t			 min_bytes;
	int			 conc;
	long			 total;		/* -n; 0 = by duration */
	double			 duration;	/* -d seconds */
	int			 tls;		/* 0 = plain TCP */
	int			 resume;
	int			 version;	/* 0, TLS1_2_VERSION, ... */
	int			 hold;		/* -H N */
	double			 hold_s;	/* -S */
	int			 timeout_s;
	int			 machine;
	int			 proxy;		/* -X: a PROXY v2 header */
	/* state */
	SSL_CTX			*ctx;
	int			 epfd;
	struct slot		*slots;
	int			 nslots;
	long			 started;
	long			 done;
	long			 ok;
	long			 errs[LG_E_MAX];
	long			 handshakes;
	long			 resumed;
	long			 noclose;	/* EOF, no close_notify */
	long long		 bytes;
	long long		 t_start;
	long long		 t_stop;	/* no new requests after; µs */
	long long		 t_last;	/* last completion */
	int			 active;
	int			 restart;	/* failed slots to restart */
	unsigned int		*lat;		/* µs of each good request */
	size_t			 nlat;
	size_t			 latcap;
	/* hold mode */
	int			 phase;		/* 0 open, 1 hold, 2 request */
	int			 held;
	long long		 hold_until;
};

static struct lg	 G;

static void	usage(void) __attribute__((noreturn));
static int	load_requests(const char *);
static long long now_us(void);
static void	set_events(struct slot *, unsigned int);
static void	slot_close(struct slot *);
static void	slot_fail(struct slot *, enum lg_err);
static void	slot_start(struct slot *);
static void	slot_connected(struct slot *);
static void	slot_handshake(struct slot *);
static void	slot_ready(struct slot *);
static void	slot_write(struct slot *);
static void	slot_read(struct slot *);
static void	slot_done(struct slot *);
static void	slot_event(struct slot *, unsigned int);
static void	want(struct slot *, int sslerr);
static void	record(unsigned int);
static void	next(struct slot *);
static void	expire(long long);
static void	hold_begin(void);
static void	hold_release(void);
static void	report(void);
static int	cmp_uint(const void *, const void *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen [options] -p port request\n"
	    "  -a addr     IPv4 address (127.0.0.1)\n"
	    "  -p port     server port\n"
	    "  -c conc     concurrent connections (1)\n"
	    "  -n total    requests in all, or\n"
	    "  -d secs     run for this long (default 3 s)\n"
	    "  -P          plain TCP (Gopher); default TLS (Gemini)\n"
	    "  -R          resume: offer each slot's previous session\n"
	    "  -2 / -3     TLS 1.2 only / TLS 1.3 only\n"
	    "  -s name     SNI host name (localhost)\n"
	    "  -x prefix   a good response starts with prefix\n"
	    "  -b bytes    a good response has at least this many bytes\n"
	    "  -H n        hold n connections open after the handshake,\n"
	    "  -S secs     for this long (4), then request on all of them\n"
	    "  -t secs     per-request deadline (10)\n"
	    "  -m          one line of key=value output\n"
	    "  -X          send a PROXY protocol v2 header first (TCP4,\n"
	    "              from 198.51.100.x), as a load balancer does\n"
	    "  -f          request names a file of requests, one a line;\n"
	    "              the k-th request sends line k, cycling\n"
	    "The request is sent followed by CRLF, e.g.\n"
	    "  gemini://localhost/ (Gemini) or /thoi-su/ (Gopher).\n");
	exit(2);
}

static long long
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
set_events(struct slot *s, unsigned int ev)
{
	struct epoll_event	 e;

	if (s->events == ev)
		return;
	memset(&e, 0, sizeof(e));
	e.events = ev;
	e.data.u64 = (uint64_t)s->gen << 32 | (uint64_t)(s - G.slots);
	if (epoll_ctl(G.epfd, s->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
	    s->fd, &e) == -1) {
		perror("epoll_ctl");
		exit(1);
	}
	s->events = ev;
}

static void
slot_close(struct slot *s)
{
	if (s->ssl != NULL) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	if (s->fd != -1) {
		/* close() drops the fd from the epoll set */
		close(s->fd);
		s->fd = -1;
	}
	s->events = 0;
	if (s->st != LG_IDLE)
		G.active--;
	s->st = LG_IDLE;
}

static void
slot_fail(struct slot *s, enum lg_err e)
{
	G.errs[e]++;
	G.done++;
	ERR_clear_error();
	/* the slot keeps the session it had, to offer next time; the main
	 * loop restarts it, so a server that refuses at once cannot make
	 * fail -> start -> fail recurse */
	slot_close(s);
	G.restart = 1;
}

static void
next(struct slot *s)
{
	long long	 t;

	if (G.hold)
		return;		/* one request per held connection */
	t = now_us();
	if (G.total > 0 ? G.started >= G.total : t >= G.t_stop)
		return;
	slot_start(s);
}

static void
slot_start(struct slot *s)
{
	int	 one = 1;

	/* with -f, the k-th request started sends line k (cycling) */
	s->req = G.reqs[(size_t)G.started % G.nreqs];
	s->reqlen = (size_t)(G.reqs[(size_t)G.started % G.nreqs + 1] - s->req);
	G.started++;
	G.active++;
	s->gen++;
	s->t0 = now_us();
	s->deadline = s->t0 + (long long)G.timeout_s * 1000000;
	s->sent = s->got = s->headlen = 0;
	s->events = 0;
	s->st = LG_CONNECT;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s->fd == -1) {
		slot_fail(s, LG_E_CONNECT);
		return;
	}
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s->fd, (struct sockaddr *)&G.addr, sizeof(G.addr)) == 0) {
		slot_connected(s);
		return;
	}
	if (errno != EINPROGRESS) {
		slot_fail(s, LG_E_CONNECT);
		return;
	}
	set_events(s, EPOLLOUT);
}

/*
 * A PROXY v2 header for a client at 198.51.100.(1 + slot % 250). It
 * goes out with the first bytes after it (MSG_MORE), in one segment,
 * as a balancer sends it when the client's bytes are at hand.
 */
static int
send_proxy(struct slot *s)
{
	unsigned char	 h[28] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c, 198, 51, 100, 1
	};
	unsigned int	 i = (unsigned int)(s - G.slots);

	h[19] = (unsigned char)(1 + i % 250);
	memcpy(h + 20, &G.addr.sin_addr, 4);
	h[24] = (unsigned char)(0x80 | (i >> 8 & 0x7f));	/* port */
	h[25] = (unsigned char)i;
	memcpy(h + 26, &G.addr.sin_port, 2);
	return send(s->fd, h, sizeof(h), MSG_MORE) == (ssize_t)sizeof(h) ?
	    0 : -1;
}

static void
slot_connected(struct slot *s)
{
	if (G.proxy && send_proxy(s) == -1) {
		slot_fail(s, LG_E_IO);
		return;
	}
	if (!G.tls) {
		slot_ready(s);
		return;
	}
	if ((s->ssl = SSL_new(G.ctx)) == NULL ||
	    SSL_set_fd(s->ssl, s->fd) != 1 ||
	    SSL_set_tlsext_host_name(s->ssl, G.sni) != 1) {
		slot_fail(s, LG_E_TLS);
		return;
	}
	SSL_set_connect_state(s->ssl);
	if (G.resume && s->sess != NULL)
		SSL_set_session(s->ssl, s->sess);
	s->st = LG_HANDSHAKE;
	slot_handshake(s);
}

/* set the epoll interest for what OpenSSL waits on, or fail the slot */
static void
want(struct slot *s, int sslerr)
{
	enum lg_err	 e;

	switch (sslerr) {
	case SSL_ERROR_WANT_READ:
		set_events(s, EPOLLIN);
		return;
	case SSL_ERROR_WANT_WRITE:
		set_events(s, EPOLLOUT);
		return;
	case SSL_ERROR_SYSCALL:
		e = LG_E_IO;
		break;
	default:
		e = s->st == LG_HANDSHAKE ? LG_E_TLS : LG_E_IO;
		break;
	}
	slot_fail(s, e);
}

static void
slot_handshake(struct slot *s)
{
	int	 r;

	if ((r = SSL_do_handshake(s->ssl)) != 1) {
		want(s, SSL_get_error(s->ssl, r));
		return;
	}
	G.handshakes++;
	if (SSL_session_reused(s->ssl))
		G.resumed++;
	slot_ready(s);
}

/* the connection is up: hold it (-H, while opening) or send */
static void
slot_ready(struct slot *s)
{
	if (G.hold && G.phase == 0) {
		s->st = LG_HELD;
		s->deadline = 0;
		G.held++;
		/* watch for the server closing it while we hold it */
		set_events(s, EPOLLIN);
		return;
	}
	s->st = LG_WRITE;
	slot_write(s);
}

static void
slot_write(struct slot *s)
{
	size_t	 n;
	ssize_t	 w;
	int	 r;

	while (s->sent < s->reqlen) {
		if (G.tls) {
			r = SSL_write_ex(s->ssl, s->req + s->sent,
			    s->reqlen - s->sent, &n);
			if (r != 1) {
				want(s, SSL_get_error(s->ssl, r));
				return;
			}
		} else {
			w = write(s->fd, s->req + s->sent, s->reqlen - s->sent);
			if (w == -1 && errno == EAGAIN) {
				set_events(s, EPOLLOUT);
				return;
			}
			if (w <= 0) {
				slot_fail(s, LG_E_IO);
				return;
			}
			n = (size_t)w;
		}
		s->sent += n;
	}
	s->st = LG_READ;
	set_events(s, EPOLLIN);
	slot_read(s);
}

static void
keep_head(struct slot *s, const char *p, size_t n)
{
	size_t	 k = sizeof(s->head) - s->headlen;

	if (k > n)
		k = n;
	memcpy(s->head + s->headlen, p, k);
	s->headlen += k;
	s->got += n;
}

static void
slot_read(struct slot *s)
{
	static char	 buf[LG_READ_CHUNK];
	unsigned long	 e;
	size_t		 n;
	ssize_t		 r;
	int		 rr, err;

	for (;;) {
		if (!G.tls) {
			r = read(s->fd, buf, sizeof(buf));
			if (r > 0) {
				keep_head(s, buf, (size_t)r);
				continue;
			}
			if (r == 0)
				break;
			if (errno == EAGAIN) {
				set_events(s, EPOLLIN);
				return;
			}
			if (errno == EINTR)
				continue;
			slot_fail(s, LG_E_IO);
			return;
		}
		if ((rr = SSL_read_ex(s->ssl, buf, sizeof(buf), &n)) == 1) {
			keep_head(s, buf, n);
			continue;
		}
		err = SSL_get_error(s->ssl, rr);
		if (err == SSL_ERROR_ZERO_RETURN)
			break;
		e = ERR_peek_error();
		if (err == SSL_ERROR_SSL &&
		    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			/* closed without close_notify: count, judge below */
			G.noclose++;
			ERR_clear_error();
			break;
		}
		want(s, err);
		return;
	}
	slot_done(s);
}

static void
slot_done(struct slot *s)
{
	size_t	 xl;
	long long t = now_us();

	G.bytes += (long long)s->got;
	xl = G.expect != NULL ? strlen(G.expect) : 0;
	if (s->got == 0 || s->got < G.min_bytes || (xl > 0 &&
	    (s->headlen < xl || memcmp(s->head, G.expect, xl) != 0))) {
		if (getenv("LOADGEN_DEBUG") != NULL)
			fprintf(stderr, "loadgen: bad response (%zu bytes): "
			    "%.*s\n", s->got, (int)s->headlen, s->head);
		slot_fail(s, LG_E_RESPONSE);
		return;
	}
	if (G.tls) {
		if (G.resume) {
			SSL_SESSION	*ns = SSL_get1_session(s->ssl);

			if (ns != NULL && SSL_SESSION_is_resumable(ns)) {
				SSL_SESSION_free(s->sess);
				s->sess = ns;
			} else
				SSL_SESSION_free(ns);
		}
		/* the exchange ended cleanly: keep the session resumable
		 * (OpenSSL spoils one freed before a shutdown was sent) */
		SSL_set_shutdown(s->ssl, SSL_SENT_SHUTDOWN |
		    SSL_RECEIVED_SHUTDOWN);
	}
	G.ok++;
	G.done++;
	G.t_last = t;
	record((unsigned int)(t - s->t0 > UINT_MAX ? UINT_MAX : t - s->t0));
	slot_close(s);
	next(s);
}

static void
record(unsigned int us)
{
	unsigned int	*p;
	size_t		 n;

	if (G.nlat == G.latcap) {
		n = G.latcap ? G.latcap * 2 : 65536;
		if ((p = reallocarray(G.lat, n, sizeof(*p))) == NULL) {
			perror("loadgen");
			exit(1);
		}
		G.lat = p;
		G.latcap = n;
	}
	G.lat[G.nlat++] = us;
}

static void
slot_event(struct slot *s, unsigned int ev)
{
	int		 soerr = 0, r;
	socklen_t	 sl = sizeof(soerr);
	size_t		 n;
	char		 c;

	(void)ev;
	switch (s->st) {
	case LG_CONNECT:
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1
		    || soerr != 0) {
			slot_fail(s, LG_E_CONNECT);
			return;
		}
		slot_connected(s);
		break;
	case LG_HANDSHAKE:
		slot_handshake(s);
		break;
	case LG_HELD:
		/* a held connection gets no application data: what is
		 * readable is a TLS 1.3 session ticket (fine), or the
		 * server giving up on it (an alert, or EOF) */
		if (G.tls) {
			r = SSL_read_ex(s->ssl, &c, 1, &n);
			if (r != 1 && SSL_get_error(s->ssl, r) ==
			    SSL_ERROR_WANT_READ)
				return;
		} else if (recv(s->fd, &c, 1, MSG_PEEK) == -1 &&
		    errno == EAGAIN)
			return;
		G.held--;
		slot_fail(s, LG_E_DROPPED);
		break;
	case LG_WRITE:
		slot_write(s);
		break;
	case LG_READ:
		slot_read(s);
		break;
	case LG_IDLE:
		break;
	}
}

static void
expire(long long t)
{
	int	 i;

	for (i = 0; i < G.nslots; i++) {
		struct slot	*s = &G.slots[i];

		if (s->st != LG_IDLE && s->st != LG_HELD && s->deadline != 0 &&
		    t >= s->deadline)
			slot_fail(s, LG_E_TIMEOUT);
	}
}

static void
hold_begin(void)
{
	G.phase = 1;
	G.hold_until = now_us() + (long long)(G.hold_s * 1e6);
	fprintf(stderr, "loadgen: held %d of %d connections\n", G.held,
	    G.hold);
	fflush(stderr);
}

static void
hold_release(void)
{
	int	 i;

	G.phase = 2;
	G.t_start = now_us();
	for (i = 0; i < G.nslots; i++) {
		struct slot	*s = &G.slots[i];

		if (s->st != LG_HELD)
			continue;
		s->st = LG_WRITE;
		s->t0 = G.t_start;
		s->deadline = s->t0 + (long long)G.timeout_s * 1000000;
		slot_write(s);
	}
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned int	 x = *(const unsigned int *)a;
	unsigned int	 y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static unsigned int
pct(double p)
{
	size_t	 i;

	if (G.nlat == 0)
		return 0;
	i = (size_t)(p * (double)(G.nlat - 1) + 0.5);
	return G.lat[i];
}

static void
report(void)
{
	struct rusage	 ru;
	double		 el, rps, cpu;
	long		 errs = 0;
	int		 i;

	if (G.nlat > 0)
		qsort(G.lat, G.nlat, sizeof(*G.lat), cmp_uint);
	for (i = 0; i < LG_E_MAX; i++)
		errs += G.errs[i];
	el = (double)((G.t_last > G.t_start ? G.t_last : now_us()) -
	    G.t_start) / 1e6;
	rps = el > 0 ? (double)G.ok / el : 0;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
	    (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
	if (G.machine) {
		printf("ok=%ld err=%ld rps=%.1f p50_us=%u p99_us=%u "
		    "resumed=%.3f elapsed=%.3f bytes=%lld noclose=%ld "
		    "client_cpu_us=%.0f", G.ok, errs, rps, pct(0.50),
		    pct(0.99), G.handshakes ? (double)G.resumed /
		    (double)G.handshakes : 0.0, el, G.bytes, G.noclose,
		    G.ok ? cpu / (double)G.ok : 0.0);
		for (i = 0; i < LG_E_MAX; i++)
			printf(" e_%s=%ld", lg_err_names[i], G.errs[i]);
		if (G.hold)
			printf(" hold=%d held=%d", G.hold, G.held);
		printf("\n");
		return;
	}
	printf("requests %ld: %ld ok, %ld errors (", G.done, G.ok, errs);
	for (i = 0; i < LG_E_MAX; i++)
		printf("%s%s %ld", i ? ", " : "", lg_err_names[i], G.errs[i]);
	printf(")\n");
	if (G.hold)
		printf("held %d of %d connections for %.1f s\n", G.held,
		    G.hold, G.hold_s);
	printf("%.2f s, %.1f requests/s, latency p50 %.2f ms, p99 %.2f ms\n",
	    el, rps, pct(0.50) / 1e3, pct(0.99) / 1e3);
	if (G.tls)
		printf("handshakes %ld, resumed %.1f%%, closed without "
		    "close_notify %ld\n", G.handshakes, G.handshakes ?
		    100.0 * (double)G.resumed / (double)G.handshakes : 0.0,
		    G.noclose);
	printf("%.1f bytes/response, client CPU %.0f µs/request\n",
	    G.ok ? (double)G.bytes / (double)G.ok : 0.0,
	    G.ok ? cpu / (double)G.ok : 0.0);
}

static void
setup_tls(void)
{
	if ((G.ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ERR_print_errors_fp(stderr);
		exit(1);
	}
	/* a load generator, not a client: the server is ours, on
	 * loopback, so skip verification and keep the client cheap */
	SSL_CTX_set_verify(G.ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(G.ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(G.ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	SSL_CTX_set_min_proto_version(G.ctx, G.version ? G.version :
	    TLS1_2_VERSION);
	if (G.version)
		SSL_CTX_set_max_proto_version(G.ctx, G.version);
}

static double
num(const char *s, double lo, double hi)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "loadgen: bad number: %s\n", s);
		exit(2);
	}
	return v;
}

/*
 * The request lines, each followed by CRLF, one after the other in
 * G.req; G.reqs[k] is where line k starts and G.reqs[nreqs] the end.
 * Without -f, arg itself is the one line.
 */
static int
load_requests(const char *arg)
{
	FILE	*fp = NULL;
	char	*line = NULL, *p;
	size_t	 cap = 0, len, i, n = 0, size = 0;
	ssize_t	 r;

	if (G.from_file && (fp = fopen(arg, "r")) == NULL) {
		fprintf(stderr, "loadgen: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	/* two passes over the lines: sizes, then copies */
	for (i = 0; i < 2; i++) {
		if (i == 1 && ((G.req = malloc(size + 1)) == NULL ||
		    (G.reqs = calloc(n + 1, sizeof(*G.reqs))) == NULL)) {
			fprintf(stderr, "loadgen: out of memory\n");
			return -1;
		}
		p = G.req;
		n = 0;
		if (fp != NULL)
			rewind(fp);
		for (;;) {
			if (fp == NULL) {
				if (n > 0)
					break;
				len = strlen(arg);
			} else {
				if ((r = getline(&line, &cap, fp)) == -1)
					break;
				len = (size_t)r;
				while (len > 0 && (line[len - 1] == '\n' ||
				    line[len - 1] == '\r'))
					len--;
				if (len == 0)
					continue;
			}
			if (i == 0)
				size += len + 2;
			else {
				G.reqs[n] = p;
				memcpy(p, fp == NULL ? arg : line, len);
				memcpy(p + len, "\r\n", 2);
				p += len + 2;
			}
			n++;
		}
	}
	free(line);
	if (fp != NULL)
		fclose(fp);
	if (n == 0) {
		fprintf(stderr, "loadgen: %s: no requests\n", arg);
		return -1;
	}
	*p = '\0';
	G.reqs[n] = p;
	G.nreqs = n;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct epoll_event	 evs[256];
	struct rlimit		 rl;
	long long		 t;
	int			 ch, i, n, port = 0;
	const char		*host = "127.0.0.1";

	G.conc = 1;
	G.tls = 1;
	G.sni = "localhost";
	G.timeout_s = LG_TIMEOUT_S;
	G.hold_s = 4;
	while ((ch = getopt(argc, argv, "23a:b:c:d:fH:mn:p:PRs:S:t:x:X")) !=
	    -1) {
		switch (ch) {
		case '2':
			G.version = TLS1_2_VERSION;
			break;
		case '3':
			G.version = TLS1_3_VERSION;
			break;
		case 'a':
			host = optarg;
			break;
		case 'b':
			G.min_bytes = (size_t)num(optarg, 0, 1e9);
			break;
		case 'c':
			G.conc = (int)num(optarg, 1, LG_HOLD_MAX);
			break;
		case 'd':
			G.duration = num(optarg, 0.01, 86400);
			break;
		case 'f':
			G.from_file = 1;
			break;
		case 'H':
			G.hold = (int)num(optarg, 1, LG_HOLD_MAX);
			break;
		case 'm':
			G.machine = 1;
			break;
		case 'n':
			G.total = (long)num(optarg, 1, 1e9);
			break;
		case 'p':
			port = (int)num(optarg, 1, 65535);
			break;
		case 'P':
			G.tls = 0;
			break;
		case 'R':
			G.resume = 1;
			break;
		case 's':
			G.sni = optarg;
			break;
		case 'S':
			G.hold_s = num(optarg, 0, 3600);
			break;
		case 't':
			G.timeout_s = (int)num(optarg, 1, 3600);
			break;
		case 'x':
			G.expect = optarg;
			break;
		case 'X':
			G.proxy = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || port == 0)
		usage();
	G.addr.sin_family = AF_INET;
	G.addr.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &G.addr.sin_addr) != 1) {
		fprintf(stderr, "loadgen: %s: not an IPv4 address\n", host);
		return 2;
	}
	if (load_requests(argv[0]) == -1)
		return 2;
	if (G.total == 0 && G.duration == 0)
		G.duration = 3;

	signal(SIGPIPE, SIG_IGN);
	/* every slot holds one fd; ask for what we need */
	G.nslots = G.hold ? G.hold : G.conc;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)G.nslots + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)G.nslots + 64 ?
		    rl.rlim_max : (rlim_t)G.nslots + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (G.tls)
		setup_tls();
	if ((G.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("epoll_create1");
		return 1;
	}
	if ((G.slots = calloc((size_t)G.nslots, sizeof(*G.slots))) == NULL)
		return 1;
	for (i = 0; i < G.nslots; i++)
		G.slots[i].fd = -1;

	G.t_start = now_us();
	G.t_stop = G.t_start + (long long)(G.duration * 1e6);
	if (G.hold) {
		/* open at most -c at a time (default: all at once) */
		if (G.conc == 1)
			G.conc = G.hold;
		G.total = G.hold;
	}
	if (!G.hold)
		for (i = 0; i < G.nslots; i++)
			slot_start(&G.slots[i]);

	for (;;) {
		if (G.restart && !G.hold) {
			G.restart = 0;
			for (i = 0; i < G.nslots; i++)
				if (G.slots[i].st == LG_IDLE)
					next(&G.slots[i]);
		}
		t = now_us();
		if (G.hold && G.phase == 0) {
			/* keep -c handshakes in flight until all are open;
			 * slot k makes the k-th connection */
			while (G.started < G.hold &&
			    G.active - G.held < G.conc)
				slot_start(&G.slots[G.started]);
			if (G.started >= G.hold && G.active == G.held)
				hold_begin();
		}
		if (G.hold && G.phase == 1 && t >= G.hold_until)
			hold_release();
		if (G.active == 0 && !G.restart &&
		    (!G.hold || G.phase == 2))
			break;
		n = epoll_wait(G.epfd, evs, 256, 20);
		if (n == -1 && errno != EINTR) {
			perror("epoll_wait");
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct slot	*s = &G.slots[evs[i].data.u64 &
			    0xffffffffu];

			/* an earlier event in this batch may have closed or
			 * restarted the slot: drop events of an old socket */
			if (s->st != LG_IDLE &&
			    (unsigned int)(evs[i].data.u64 >> 32) == s->gen)
				slot_event(s, evs[i].events);
		}
		expire(now_us());
	}
	report();
	for (i = 0; i < G.nslots; i++)
		SSL_SESSION_free(G.slots[i].sess);
	free(G.slots);
	free(G.lat);
	free(G.req);
	free(G.reqs);
	SSL_CTX_free(G.ctx);
	close(G.epfd);
	return G.ok > 0 && G.done == G.ok ? 0 : 1;
}
