/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * bare.c: the bare responder of `make bench`, the ceiling for any
 * server on this machine. It is built from bantin's own transport
 * (listen.c, loop.c, tls.c with the same tls_ctx_new settings) and does
 * nothing else: accept, TLS handshake, read the request line, write a
 * fixed answer of "20 text/gemini\r\n" and 4 KB, send close_notify,
 * close. With -P it speaks plain TCP instead and writes the 4 KB only,
 * as a Gopher server would. One process, one event loop.
 */

#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "listen.h"
#include "log.h"
#include "loop.h"
#include "msg.h"
#include "tls.h"
#include "tls_key.h"

#define BARE_BODY	4096
#define BARE_REQ_MAX	1026		/* Gemini: 1024 + CRLF */
#define BARE_TIMEOUT	10		/* seconds, like request_timeout */
#define BARE_TICK_MS	1000

enum bare_state {
	BARE_HANDSHAKE,
	BARE_READ,
	BARE_WRITE,
	BARE_SHUTDOWN
};

struct bare_conn {
	int		 fd;
	struct tls	*tls;
	enum bare_state	 st;
	size_t		 inlen;
	size_t		 off;		/* answer bytes written */
	time_t		 born;
	char		 in[BARE_REQ_MAX];
};

static struct tls_ctx	 *bare_tls;
static char		  bare_answer[32 + BARE_BODY];
static size_t		  bare_answer_len;
static struct bare_conn	**bare_conns;	/* by fd, for the deadline tick */
static int		  bare_nconns;

static void	usage(void) __attribute__((noreturn));
static void	bare_accept(struct loop *, int, int, void *);
static void	bare_event(struct loop *, int, int, void *);
static void	bare_close(struct loop *, struct bare_conn *);
static void	bare_step(struct loop *, struct bare_conn *);
static void	bare_tick(struct loop *, void *);
static int	bare_want(struct loop *, struct bare_conn *, enum tls_result);

static void
usage(void)
{
	fprintf(stderr, "usage: bare [-KP] [-a addr] [-p port] "
	    "[-c cert -k key]\n");
	exit(2);
}

static void
bare_close(struct loop *l, struct bare_conn *c)
{
	loop_del(l, c->fd);
	tls_free(c->tls);
	close(c->fd);
	if (c->fd < bare_nconns)
		bare_conns[c->fd] = NULL;
	free(c);
}

/* wait for what TLS needs; returns -1 when the connection is gone */
static int
bare_want(struct loop *l, struct bare_conn *c, enum tls_result r)
{
	switch (r) {
	case TLS_WANT_READ:
		loop_mod(l, c->fd, LOOP_READ);
		return 0;
	case TLS_WANT_WRITE:
		loop_mod(l, c->fd, LOOP_WRITE);
		return 0;
	default:
		bare_close(l, c);
		return -1;
	}
}

static void
bare_step(struct loop *l, struct bare_conn *c)
{
	enum tls_result	 r;
	ssize_t		 n;
	size_t		 got;

	for (;;) {
		switch (c->st) {
		case BARE_HANDSHAKE:
			if ((r = tls_handshake(c->tls)) != TLS_OK) {
				bare_want(l, c, r);
				return;
			}
			c->st = BARE_READ;
			break;
		case BARE_READ:
			if (c->tls != NULL) {
				r = tls_read(c->tls, c->in + c->inlen,
				    sizeof(c->in) - c->inlen, &got);
				if (r != TLS_OK) {
					bare_want(l, c, r);
					return;
				}
			} else {
				n = read(c->fd, c->in + c->inlen,
				    sizeof(c->in) - c->inlen);
				if (n == -1 && errno == EAGAIN) {
					loop_mod(l, c->fd, LOOP_READ);
					return;
				}
				if (n <= 0) {
					bare_close(l, c);
					return;
				}
				got = (size_t)n;
			}
			c->inlen += got;
			if (memchr(c->in, '\n', c->inlen) == NULL) {
				if (c->inlen == sizeof(c->in)) {
					bare_close(l, c);
					return;
				}
				break;
			}
			c->st = BARE_WRITE;
			break;
		case BARE_WRITE:
			if (c->off == bare_answer_len) {
				c->st = BARE_SHUTDOWN;
				break;
			}
			if (c->tls != NULL) {
				r = tls_write(c->tls, bare_answer + c->off,
				    bare_answer_len - c->off, &got);
				if (r != TLS_OK) {
					bare_want(l, c, r);
					return;
				}
			} else {
				n = write(c->fd, bare_answer + c->off,
				    bare_answer_len - c->off);
				if (n == -1 && errno == EAGAIN) {
					loop_mod(l, c->fd, LOOP_WRITE);
					return;
				}
				if (n <= 0) {
					bare_close(l, c);
					return;
				}
				got = (size_t)n;
			}
			c->off += got;
			break;
		case BARE_SHUTDOWN:
			if (c->tls != NULL &&
			    (r = tls_shutdown(c->tls)) != TLS_OK &&
			    r != TLS_ERR) {
				bare_want(l, c, r);
				return;
			}
			bare_close(l, c);
			return;
		}
	}
}

static void
bare_event(struct loop *l, int fd, int ev, void *arg)
{
	(void)fd;
	(void)ev;
	bare_step(l, arg);
}

static void
bare_accept(struct loop *l, int lfd, int ev, void *arg)
{
	struct bare_conn	*c, **p;
	int			 fd, n;

	(void)ev;
	(void)arg;
	/* a bounded batch per wakeup, like a server that stays fair */
	for (n = 0; n < 256; n++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accept");
			return;
		}
		if (fd >= bare_nconns) {
			int	 want = bare_nconns ? bare_nconns : 256;

			while (want <= fd)
				want *= 2;
			p = reallocarray(bare_conns, (size_t)want, sizeof(*p));
			if (p == NULL) {
				close(fd);
				continue;
			}
			memset(p + bare_nconns, 0, (size_t)(want -
			    bare_nconns) * sizeof(*p));
			bare_conns = p;
			bare_nconns = want;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->born = time(NULL);
		c->st = BARE_READ;
		if (bare_tls != NULL) {
			if ((c->tls = tls_new(bare_tls, fd)) == NULL) {
				close(fd);
				free(c);
				continue;
			}
			c->st = BARE_HANDSHAKE;
		}
		if (loop_add(l, fd, LOOP_READ, bare_event, c) == -1) {
			tls_free(c->tls);
			close(fd);
			free(c);
			continue;
		}
		bare_conns[fd] = c;
		bare_step(l, c);
	}
}

/* close connections that have not finished within the deadline */
static void
bare_tick(struct loop *l, void *arg)
{
	time_t	 now = time(NULL);
	int	 fd;

	(void)arg;
	for (fd = 0; fd < bare_nconns; fd++)
		if (bare_conns[fd] != NULL &&
		    now - bare_conns[fd]->born > BARE_TIMEOUT)
			bare_close(l, bare_conns[fd]);
}

/*
 * -K: the key in a key process of its own, as bantin keeps it
 * (tls_key.c), so that what the round trip costs can be measured
 * apart from everything else bantin does.
 */
static int
key_process(const char *key, char *err, size_t errlen)
{
	struct tls_key	*k;
	struct buf	 kb = BUF_INIT;
	int		 reg[2], ch[2];

	if (tls_key_read(key, &kb) == -1) {
		snprintf(err, errlen, "%s: %s", key, strerror(errno));
		return -1;
	}
	k = tls_key_new(tls_key_decode(&kb), key, err, errlen);
	tls_key_wipe(&kb);
	if (k == NULL)
		return -1;
	if (msg_pair(reg) == -1 || msg_pair(ch) == -1)
		return -1;
	if (fork() == 0) {
		close(reg[1]);
		close(ch[0]);
		tls_key_serve(k, reg[0], -1);
		_exit(0);
	}
	tls_key_free(k);
	close(reg[0]);
	if (msg_send(reg[1], 3, NULL, 0, &ch[1], 1) == -1)
		return -1;
	close(ch[1]);
	tls_key_channel(ch[0]);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct loop	*l;
	const char	*addr = "127.0.0.1", *cert = NULL, *key = NULL;
	char		 err[512];
	size_t		 i;
	struct buf	 chain = BUF_INIT;
	int		 ch, fd = -1, plain = 0, port = 0, r, keyproc = 0;

	while ((ch = getopt(argc, argv, "a:c:Kk:p:P")) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'K':
			keyproc = 1;
			break;
		case 'k':
			key = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			plain = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port < 0 || port > 65535 ||
	    (!plain && (cert == NULL || key == NULL)))
		usage();
	if (log_open("stderr", NULL, 1, 0, err, sizeof(err)) == -1)
		fatalx("%s", err);
	log_setprefix("bare");
	signal(SIGPIPE, SIG_IGN);

	/* the answer: a Gemini header (TLS only), then 4 KB of gemtext */
	r = plain ? 0 : snprintf(bare_answer, sizeof(bare_answer),
	    "20 text/gemini\r\n");
	if (r < 0 || (size_t)r >= sizeof(bare_answer))
		fatalx("answer header");
	bare_answer_len = (size_t)r;
	for (i = 0; i < BARE_BODY; i++)
		bare_answer[bare_answer_len + i] = i % 64 == 63 ? '\n' :
		    (char)('a' + i % 26);
	bare_answer_len += BARE_BODY;

	/* the ceiling: the key in this process, no key process */
	if (!plain && ((fd = open(cert, O_RDONLY | O_CLOEXEC)) == -1 ||
	    buf_read_fd(&chain, fd, 1 << 20, 4096) == -1 ||
	    (bare_tls = tls_ctx_new(chain.data, chain.len, CONFIG_CIPHERS,
	    err, sizeof(err))) == NULL ||
	    (!keyproc && tls_ctx_own_key(bare_tls, key, err, sizeof(err)) ==
	    -1) || (keyproc && key_process(key, err, sizeof(err)) ==
	    -1)))
		fatalx("%s: %s", cert, err);
	if (fd != -1)
		close(fd);
	buf_free(&chain);
	if ((fd = listen_open(addr, port, err, sizeof(err))) == -1)
		fatalx("%s", err);
	if ((l = loop_new()) == NULL)
		fatal("loop_new");
	if (loop_add(l, fd, LOOP_READ, bare_accept, NULL) == -1)
		fatal("loop_add");
	loop_tick(l, BARE_TICK_MS, bare_tick, NULL);
	log_info("ready: %s port %d, %s", addr, listen_port(fd),
	    plain ? "plain TCP" : "TLS");
	if (loop_run(l) == -1)
		fatal("loop_run");
	loop_free(l);
	tls_ctx_free(bare_tls);
	return 0;
}
