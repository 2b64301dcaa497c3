/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * conn.c: a client connection from accept to close. One explicit state
 * machine, stepped by conn_step() whenever the socket is ready:
 *
 *   [PROXY] -> HANDSHAKE (TLS only) -> READ -> WRITE -> SHUTDOWN -> LINGER
 *                            READ -> UPLOAD -> AWAIT -> WRITE (a body)
 *
 * Each state returns when it would block, after setting the loop
 * interest. A connection owns its socket, TLS state, buffers and any
 * open file; conn_close() is the only teardown and works from any
 * state. Every connection has a deadline: accept + handshake_timeout
 * until the TLS handshake is done, accept + request_timeout until the
 * request line is in (a client that drips bytes does not extend it),
 * then write_timeout from the last progress while writing, or while
 * reading an upload's body, or waiting for the process that stores it.
 *
 * Per client address (iplimit.c, one table for every worker): a
 * connection over max_connections_per_ip is closed as soon as it is
 * accepted, before any TLS work, and a request over the rate gets the
 * front end's slow-down reply instead of an answer. Every connection
 * counted at accept is given back in conn_close(), the one teardown.
 *
 * Behind a load balancer (a listener with proxy_protocol), PROXY reads
 * the header a peer of proxy_from sends first (proxy.c), within the
 * handshake deadline, and the client it names is the connection's
 * address from then on: it is counted then, not at accept, so that the
 * balancer's own address is never capped. A header from any other peer
 * closes the connection; a peer that sends none is a direct client.
 */

#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "log.h"
#include "loop.h"
#include "proto.h"
#include "proxy.h"
#include "tls.h"
#include "utf8.h"

#define CONN_FILE_CHUNK		16384	/* bytes read per TLS file write */
#define CONN_SENDFILE_MAX	(1 << 30) /* bytes per sendfile call */
#define CONN_LINGER_MS		2000	/* drain a talker before close */
#define CONN_LINGER_BYTES	65536	/* replies longer than this linger */
#define CONN_LOG_MS		10000	/* refusals: a log line at most */

enum conn_proxy {		/* on a listener behind a balancer */
	CONN_PP_NONE,			/* not such a listener */
	CONN_PP_HEADER,			/* a peer of proxy_from: read one */
	CONN_PP_REFUSE			/* any other: it must not send one */
};

enum conn_state {
	CONN_PROXY,
	CONN_HANDSHAKE,
	CONN_READ,
	CONN_WRITE,
	CONN_SHUTDOWN,
	CONN_LINGER,
	CONN_UPLOAD,		/* an upload's bytes after its line */
	CONN_AWAIT		/* its answer, from conn_answer() */
};

struct conn {
	struct conn_set		*set;
	const struct conn_front	*fe;
	void			*fe_arg;
	int			 fd;
	struct tls		*tls;
	enum conn_state		 state;
	enum conn_proxy		 proxy;
	char			 in[CONN_IN_MAX];
	size_t			 inlen;
	struct buf		 out;
	size_t			 outoff;
	int			 filefd;	/* REPLY_FILE, owned */
	off_t			 fileleft;
	long long		 start;		/* ms, monotonic */
	long long		 deadline;
	int			 status;	/* for the log; 0 = none */
	int			 linger;	/* unread input: drain first */
	int			 registered;	/* in the loop's epoll set */
	size_t			 bytes;		/* sent, for the log */
	/* the client, as conn_peer() set it: counted under addr, logged
	 * as peer */
	struct iplimit_addr	 addr;
	char			 peer[INET6_ADDRSTRLEN];
	int			 slot;		/* in set->per_ip, or < 0 */
	unsigned		 epoch;		/* per_ip's, when counted */
	char			 logpath[256];
	unsigned long		 id;		/* conn_id() */
	size_t			 used;		/* of in, by the line */
	size_t			 want;		/* an upload's body: bytes */
	struct buf		 body;
	void			*upctx;		/* the front end's, for it */
	struct conn		*prev, *next;
};

static void	conn_step(struct conn *);
static void	conn_close(struct conn *);
static void	conn_io(struct loop *, int, int, void *);
static int	conn_request(struct conn *, const char *, size_t, int);
static void	conn_body(struct conn *);

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a deadline, but none past the end of a drain */
static void
set_deadline(struct conn *c, long long at)
{
	c->deadline = c->set->until != 0 && at > c->set->until ?
	    c->set->until : at;
}

/*
 * The client's address, the one place it is set: from accept(2), and
 * again from the PROXY header behind a balancer (conn_proxy), before
 * conn_admit() counts it.
 */
static void
conn_peer(struct conn *c, const struct sockaddr *sa)
{
	const void	*in;

	if (iplimit_key(sa, &c->addr) == -1)
		memset(&c->addr, 0, sizeof(c->addr));
	if (sa->sa_family == AF_INET)
		in = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else
		in = &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr;
	if (inet_ntop(sa->sa_family, in, c->peer, sizeof(c->peer)) == NULL)
		snprintf(c->peer, sizeof(c->peer), "-");
}

/* Count c against its address's cap: 0 when it is over it. */
static int
conn_admit(struct conn *c)
{
	struct conn_set	*set = c->set;

	c->slot = IPLIMIT_UNCOUNTED;
	if (set->per_ip == NULL || set->rule.max_conns <= 0)
		return 1;
	c->slot = iplimit_open(set->per_ip, &c->addr, set->rule.max_conns,
	    now_ms(), &c->epoch);
	if (c->slot == IPLIMIT_REFUSED) {
		set->refused++;
		memcpy(set->refused_from, c->peer, sizeof(c->peer));
		return 0;
	}
	if (c->slot == IPLIMIT_UNCOUNTED)
		set->uncounted++;
	return 1;
}

void
conn_accept(struct conn_set *set, int lfd, const struct conn_front *fe,
    void *fe_arg, int proxy)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	struct conn		*c;
	int			 fd, n;

	/* a handful per wake-up, so that workers share a burst */
	for (n = 0; n < 32; n++) {
		if (set->n >= set->max) {
			set->event(set->arg, CONN_FULL);
			return;
		}
		slen = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &slen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* no busy loop: stop accepting until a tick */
				log_warn("accept");
				set->event(set->arg, CONN_NO_FD);
			}
			return;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			return;
		}
		c->set = set;
		c->fe = fe;
		c->fe_arg = fe_arg;
		c->fd = fd;
		c->filefd = -1;
		c->id = ++set->ids;
		conn_peer(c, (struct sockaddr *)&ss);
		c->proxy = !proxy ? CONN_PP_NONE : proxy_trusted(
		    set->proxy_from, set->proxy_nfrom, (struct sockaddr *)&ss) ?
		    CONN_PP_HEADER : CONN_PP_REFUSE;
		/* a balancer's: counted once its header names the client */
		if (c->proxy == CONN_PP_HEADER)
			c->slot = IPLIMIT_UNCOUNTED;
		else if (!conn_admit(c)) {
			/* over the cap: not a byte read, no TLS state */
			close(fd);
			free(c);
			continue;
		}
		c->start = now_ms();
		set_deadline(c, c->start + ((fe->tls || c->proxy ==
		    CONN_PP_HEADER) && set->handshake_timeout > 0 &&
		    set->handshake_timeout < set->request_timeout ?
		    set->handshake_timeout : set->request_timeout) * 1000LL);
		buf_init(&c->out);
		if (fe->tls) {
			if ((c->tls = tls_new(set->tls, fd)) == NULL) {
				iplimit_close(set->per_ip, c->slot, c->epoch);
				close(fd);
				free(c);
				continue;
			}
			c->state = CONN_HANDSHAKE;
		} else
			c->state = CONN_READ;
		if (c->proxy != CONN_PP_NONE)
			c->state = CONN_PROXY;
		/* not in epoll yet: with TCP_DEFER_ACCEPT the request is
		 * usually here already, and a connection answered at once
		 * never costs an epoll_ctl; want() adds it when it blocks */
		c->next = set->list;
		if (set->list != NULL)
			set->list->prev = c;
		set->list = c;
		set->n++;
		/* the request is often there already: try at once */
		conn_step(c);
	}
}

static void
conn_io(struct loop *l, int fd, int ev, void *arg)
{
	(void)l;
	(void)fd;
	(void)ev;
	conn_step(arg);
}

static void
want(struct conn *c, int events)
{
	if (c->registered) {
		loop_mod(c->set->loop, c->fd, events);
		return;
	}
	if (loop_add(c->set->loop, c->fd, events, conn_io, c) == 0)
		c->registered = 1;
	else {
		/* cannot wait for it: the deadline closes it */
		log_warn("epoll add");
		c->deadline = 0;
	}
}

/* read into p, *n bytes; 1 = got bytes, 0 = would block, -1 = EOF/error */
static int
conn_read_to(struct conn *c, char *p, size_t len, size_t *n)
{
	enum tls_result	 r;
	ssize_t		 rn;

	if (c->tls == NULL) {
		rn = read(c->fd, p, len);
		if (rn > 0) {
			*n = (size_t)rn;
			return 1;
		}
		if (rn == -1 && (errno == EAGAIN || errno == EINTR)) {
			want(c, LOOP_READ);
			return 0;
		}
		return -1;
	}
	r = tls_read(c->tls, p, len, n);
	switch (r) {
	case TLS_OK:
		return 1;
	case TLS_WANT_READ:
		want(c, LOOP_READ);
		return 0;
	case TLS_WANT_WRITE:
		want(c, LOOP_WRITE);
		return 0;
	default:
		return -1;
	}
}

/* read into c->in; 1 = got bytes, 0 = would block, -1 = EOF/error */
static int
conn_read(struct conn *c)
{
	size_t	 n;
	int	 r;

	if (c->inlen >= sizeof(c->in))
		return 1;
	if ((r = conn_read_to(c, c->in + c->inlen, sizeof(c->in) - c->inlen,
	    &n)) == 1)
		c->inlen += n;
	return r;
}

/* write out, then the file; 1 = all sent, 0 = would block, -1 = error */
static int
conn_write(struct conn *c)
{
	enum tls_result	 r;
	size_t		 n;
	ssize_t		 wn;

	for (;;) {
		if (c->outoff == c->out.len && c->filefd != -1 &&
		    c->fileleft > 0) {
			if (c->tls == NULL) {
				/* a gigabyte a call: where size_t has 32
				 * bits, the rest of a 4 GB file would wrap */
				n = c->fileleft > CONN_SENDFILE_MAX ?
				    CONN_SENDFILE_MAX : (size_t)c->fileleft;
				wn = sendfile(c->fd, c->filefd, NULL, n);
				if (wn > 0) {
					c->fileleft -= wn;
					c->bytes += (size_t)wn;
					set_deadline(c, now_ms() +
					    c->set->write_timeout * 1000LL);
					continue;
				}
				if (wn == -1 && errno == EAGAIN) {
					want(c, LOOP_WRITE);
					return 0;
				}
				return -1;
			}
			buf_reset(&c->out);
			c->outoff = 0;
			if (buf_reserve(&c->out, CONN_FILE_CHUNK) == -1)
				return -1;
			wn = read(c->filefd, c->out.data, CONN_FILE_CHUNK);
			if (wn <= 0)
				return -1;	/* file shrank under us */
			c->out.len = (size_t)wn;
			c->fileleft -= wn;
		}
		if (c->outoff == c->out.len)
			return 1;
		if (c->tls == NULL) {
			wn = write(c->fd, c->out.data + c->outoff,
			    c->out.len - c->outoff);
			if (wn == -1 && (errno == EAGAIN || errno == EINTR)) {
				want(c, LOOP_WRITE);
				return 0;
			}
			if (wn <= 0)
				return -1;
			n = (size_t)wn;
		} else {
			r = tls_write(c->tls, c->out.data + c->outoff,
			    c->out.len - c->outoff, &n);
			if (r == TLS_WANT_WRITE) {
				want(c, LOOP_WRITE);
				return 0;
			}
			if (r == TLS_WANT_READ) {
				want(c, LOOP_READ);
				return 0;
			}
			if (r != TLS_OK)
				return -1;
		}
		c->outoff += n;
		c->bytes += n;
		set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
	}
}

/* A PROXY header refused: close, with no reply, counted for the log. */
static int
conn_proxy_refuse(struct conn *c, const char *why)
{
	c->set->proxy_bad++;
	c->set->proxy_why = why;
	memcpy(c->set->proxy_peer, c->peer, sizeof(c->peer));
	return -1;
}

/*
 * The PROXY header, before TLS or the request line. Over TLS it is
 * peeked at, so that no byte after it is taken from what OpenSSL reads
 * next, and then read to its end; Gopher's bytes after it are the
 * selector's, read at once and kept in c->in for conn_read(). A header
 * not whole yet is taken off the socket as far as it goes (all header,
 * proxy_parse promises), or the level-triggered loop would wake us
 * again for the same bytes. A peer not in proxy_from is only looked
 * at: its first bytes must not be a header. 1 = go on (as the client
 * the header named, counted), 0 = would block, -1 = close.
 */
static int
conn_proxy(struct conn *c)
{
	struct proxy_hdr	 h;
	enum proxy_result	 r;
	size_t			 room, got;
	ssize_t			 n;
	int			 peek = c->tls != NULL;

	for (;;) {
		room = !peek ? sizeof(c->in) : c->proxy == CONN_PP_HEADER ?
		    PROXY_MAX : PROXY_SIG_LEN;
		n = peek ? recvfrom(c->fd, c->in + c->inlen, room - c->inlen,
		    MSG_PEEK, NULL, NULL) : read(c->fd, c->in + c->inlen,
		    room - c->inlen);
		if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			want(c, LOOP_READ);
			return 0;
		}
		if (n <= 0)	/* a health check may connect and go */
			return c->inlen > 0 ? conn_proxy_refuse(c,
			    "the connection ended in the header") : -1;
		got = c->inlen + (size_t)n;
		if (c->proxy == CONN_PP_REFUSE) {
			if (proxy_sent(c->in, got))
				return conn_proxy_refuse(c, "a header from an "
				    "address not in proxy_from");
			c->inlen = peek ? 0 : got;
			return 1;
		}
		if ((r = proxy_parse(c->in, got, &h)) == PROXY_BAD)
			return conn_proxy_refuse(c, h.why);
		if (r == PROXY_MORE)
			h.len = got;
		if (peek && read(c->fd, c->in + c->inlen, h.len - c->inlen) !=
		    (ssize_t)(h.len - c->inlen))
			return -1;
		c->inlen = h.len;
		if (r == PROXY_MORE)
			continue;
		/* what came after the header (Gopher's) is the request's */
		c->inlen = peek ? 0 : got - h.len;
		memmove(c->in, c->in + h.len, c->inlen);
		if (!h.local)
			conn_peer(c, (struct sockaddr *)&h.src);
		if (!conn_admit(c))
			return -1;
		/* the handshake's deadline was the header's; Gopher's
		 * request has its own */
		if (!peek)
			set_deadline(c, c->start + c->set->request_timeout *
			    1000LL);
		return 1;
	}
}

static void
conn_step(struct conn *c)
{
	enum tls_result	 r;
	char		*nl;
	size_t		 len;
	int		 rv;

	switch (c->state) {
	case CONN_PROXY:
		if ((rv = conn_proxy(c)) != 1) {
			if (rv == -1)
				conn_close(c);
			return;
		}
		c->state = c->tls != NULL ? CONN_HANDSHAKE : CONN_READ;
		conn_step(c);
		return;
	case CONN_HANDSHAKE:
		r = tls_handshake(c->tls);
		if (r == TLS_WANT_READ) {
			want(c, LOOP_READ);
			return;
		}
		if (r == TLS_WANT_WRITE) {
			want(c, LOOP_WRITE);
			return;
		}
		if (r != TLS_OK) {
			conn_close(c);
			return;
		}
		/* the request's own deadline, from accept as before */
		set_deadline(c, c->start + c->set->request_timeout * 1000LL);
		c->state = CONN_READ;
		/* FALLTHROUGH */
	case CONN_READ:
		for (;;) {
			nl = memchr(c->in, '\n', c->inlen);
			if (nl != NULL) {
				len = (size_t)(nl - c->in);
				c->used = (size_t)(nl - c->in) + 1;
				c->linger = c->used < c->inlen;
				if (len > 0 && c->in[len - 1] == '\r')
					len--;
				else if (c->fe->need_crlf) {
					/* a bare LF is not a Gemini request */
					rv = conn_request(c, c->in, len,
					    CONN_REQ_NO_CRLF);
					break;
				}
				rv = conn_request(c, c->in, len,
				    len > c->fe->max_req ? CONN_REQ_TOO_LONG :
				    CONN_REQ_OK);
				break;
			}
			if (c->inlen > c->fe->max_req + 1) {
				c->linger = 1;
				rv = conn_request(c, c->in, c->inlen,
				    CONN_REQ_TOO_LONG);
				break;
			}
			rv = conn_read(c);
			if (rv == 0)
				return;
			if (rv == -1) {
				/* Gopher: EOF may end a request sent
				 * without its CRLF */
				if (!c->fe->need_crlf && c->inlen > 0 &&
				    c->tls == NULL) {
					rv = conn_request(c, c->in, c->inlen,
					    CONN_REQ_OK);
					break;
				}
				conn_close(c);
				return;
			}
		}
		if (rv == -1) {
			conn_close(c);
			return;
		}
		if (rv == CONN_BODY) {
			c->state = CONN_UPLOAD;
			conn_body(c);
			return;
		}
		c->state = CONN_WRITE;
		set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
		/* FALLTHROUGH */
	case CONN_WRITE:
		rv = conn_write(c);
		if (rv == 0)
			return;
		if (rv == -1) {
			conn_close(c);
			return;
		}
		c->state = CONN_SHUTDOWN;
		/* FALLTHROUGH */
	case CONN_SHUTDOWN:
		if (c->tls != NULL) {
			r = tls_shutdown(c->tls);
			if (r == TLS_WANT_WRITE) {
				want(c, LOOP_WRITE);
				return;
			}
			if (r == TLS_WANT_READ) {
				want(c, LOOP_READ);
				return;
			}
		}
		/* bytes the client sent after its request (now, or while we
		 * wrote) would make close() send a reset that destroys the
		 * end of the reply: drain them first */
		if (!c->linger) {
			int	 pending = 0;

			/* a long reply is still on its way when the client's
			 * extra bytes can come: linger for those always */
			if (c->bytes > CONN_LINGER_BYTES ||
			    (ioctl(c->fd, FIONREAD, &pending) == 0 &&
			    pending > 0))
				c->linger = 1;
		}
		if (!c->linger) {
			conn_close(c);
			return;
		}
		/* the client is still sending: close our side and drain
		 * its bytes, so that a reset does not destroy the reply */
		shutdown(c->fd, SHUT_WR);
		c->state = CONN_LINGER;
		set_deadline(c, now_ms() + CONN_LINGER_MS);
		want(c, LOOP_READ);
		/* FALLTHROUGH */
	case CONN_LINGER:
		/* a bounded drain per wake-up: a client that never stops
		 * sending must not hold the loop; the deadline ends it */
		for (rv = 0; rv < 16; rv++) {
			char	 junk[4096];
			ssize_t	 n = read(c->fd, junk, sizeof(junk));

			if (n > 0)
				continue;
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			conn_close(c);
			return;
		}
		return;
	case CONN_UPLOAD:
		conn_body(c);
		return;
	case CONN_AWAIT:
		/* no interest is asked for while waiting: the socket
		 * failed or hung up */
		conn_close(c);
		return;
	}
}

/* Answer the request line into c->out; -1 (out of memory): close. */
static int
conn_request(struct conn *c, const char *line, size_t len, int how)
{
	struct conn_set	*set = c->set;
	struct request	*req;
	struct reply	 rep;
	int		 wait, rv;

	reply_init(&rep);
	if ((wait = iplimit_request(set->per_ip, &c->addr, &set->rule,
	    now_ms())) > 0) {
		/* over the address's rate: the line is not even parsed */
		c->fe->slow_down(c->fe_arg, wait, &rep, &c->out);
		c->status = status_gemini(rep.status);
		snprintf(c->logpath, sizeof(c->logpath), "(slow down)");
		buf_free(&rep.body);
		return 0;
	}
	/* struct request is large: keep it off the per-connection state */
	if ((req = calloc(1, sizeof(*req))) == NULL)
		return -1;
	rv = CONN_LINE;
	if (c->fe->upload != NULL && how == CONN_REQ_OK)
		rv = c->fe->upload->begin(c->fe_arg, c, line, len, req, &rep,
		    &c->out, &c->want, &c->upctx);
	if (rv == CONN_LINE)
		c->fe->handle(c->fe_arg, line, len, how, req, &rep, &c->out);
	/* an upload's status is its answer's, later */
	if (rv != CONN_BODY)
		c->status = status_gemini(rep.status);
	snprintf(c->logpath, sizeof(c->logpath), "%.200s%s%.50s",
	    req->path[0] ? req->path : "-", req->has_query ? "?" : "",
	    req->has_query ? req->query : "");
	if (rep.kind == REPLY_FILE && rep.status == ST_OK && rep.fd != -1) {
		c->filefd = rep.fd;
		c->fileleft = rep.size;
		rep.fd = -1;
	}
	reply_clear(&rep);
	buf_free(&rep.body);
	free(req);
	return rv == CONN_BODY ? CONN_BODY : 0;
}

/* The front end is done with its upload's state. */
static void
conn_upload_end(struct conn *c)
{
	if (c->upctx != NULL)
		c->fe->upload->end(c->fe_arg, c->upctx);
	c->upctx = NULL;
	buf_free(&c->body);
}

/*
 * Read an upload's body: first what came with the line, then the rest,
 * each read within write_timeout of the last (only an author gets this
 * far: the front end checked the certificate and the size first).
 * 1 = whole, 0 = would block, -1 = EOF/error.
 */
static int
conn_body_read(struct conn *c)
{
	size_t	 n;
	int	 r;

	if (c->body.data == NULL) {
		if (buf_reserve(&c->body, c->want + 1) == -1)
			return -1;
		n = c->inlen - c->used < c->want ? c->inlen - c->used :
		    c->want;
		memcpy(c->body.data, c->in + c->used, n);
		c->body.len = n;
		/* bytes past the body: drain them before closing */
		c->linger = c->inlen - c->used > n;
		set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
	}
	while (c->body.len < c->want) {
		if ((r = conn_read_to(c, c->body.data + c->body.len,
		    c->want - c->body.len, &n)) != 1)
			return r;
		c->body.len += n;
		set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
	}
	c->body.data[c->body.len] = '\0';
	return 1;
}

/* CONN_UPLOAD: the whole body to the front end, then its answer out, or a
 * wait for it; a body cut short (EOF, an error) is dropped with the
 * connection, so nothing of it is kept anywhere. */
static void
conn_body(struct conn *c)
{
	struct reply	 rep;
	int		 rv;

	if ((rv = conn_body_read(c)) == 0)
		return;
	if (rv == -1) {
		conn_close(c);
		return;
	}
	reply_init(&rep);
	rv = c->fe->upload->body(c->fe_arg, c, c->upctx, c->body.data,
	    c->body.len, &rep, &c->out);
	buf_free(&rep.body);
	conn_upload_end(c);
	if (rv == CONN_WAIT) {
		/* nothing to read or write until conn_answer() */
		c->state = CONN_AWAIT;
		if (c->registered)
			loop_mod(c->set->loop, c->fd, 0);
		set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
		return;
	}
	c->status = status_gemini(rep.status);
	c->state = CONN_WRITE;
	set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
	conn_step(c);
}

unsigned long
conn_id(const struct conn *c)
{
	return c->id;
}

int
conn_cert(const struct conn *c, struct tls_peer *p)
{
	return c->tls != NULL ? tls_peer(c->tls, p) : -1;
}

int
conn_answer(struct conn_set *set, unsigned long id, const char *bytes,
    size_t len, int status)
{
	struct conn	*c;

	for (c = set->list; c != NULL; c = c->next)
		if (c->id == id && c->state == CONN_AWAIT)
			break;
	if (c == NULL)
		return -1;
	if (buf_append(&c->out, bytes, len) == -1) {
		conn_close(c);
		return 0;
	}
	c->status = status;
	c->state = CONN_WRITE;
	set_deadline(c, now_ms() + c->set->write_timeout * 1000LL);
	conn_step(c);
	return 0;
}

/*
 * The only teardown, from any state: log the request if there was one,
 * give back the address's count, close the file, free TLS and buffers,
 * close the socket.
 */
static void
conn_close(struct conn *c)
{
	struct conn_set	*set = c->set;
	struct buf	 safe = BUF_INIT;

	if (c->status != 0) {
		/* no control character (C0, C1) from a request reaches a
		 * terminal that shows the log */
		utf8_sanitize_line(&safe, c->logpath, strlen(c->logpath));
		log_info("%s %s %d %s %zu %.1fms", c->fe->name, c->peer,
		    c->status, safe.data != NULL ? safe.data : "-", c->bytes,
		    (double)(now_ms() - c->start));
		buf_free(&safe);
		log_access(c->fe->name, c->peer, c->status, c->logpath,
		    c->bytes);
	}
	iplimit_close(set->per_ip, c->slot, c->epoch);
	conn_upload_end(c);
	/* close(2) takes the fd out of epoll: no epoll_ctl needed */
	if (c->registered)
		loop_forget(set->loop, c->fd);
	if (c->tls != NULL)
		tls_free(c->tls);
	close(c->fd);
	if (c->filefd != -1)
		close(c->filefd);
	buf_free(&c->out);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		set->list = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	set->n--;
	free(c);
	set->event(set->arg, CONN_ROOM);
}

/*
 * The master forgot every count (a worker died holding connections,
 * iplimit.c): count ours again, with no cap, since they are open.
 */
static void
conn_recount(struct conn_set *set, unsigned epoch, long long now)
{
	struct conn	*c;
	int		 n = 0;

	for (c = set->list; c != NULL; c = c->next)
		if (c->slot >= 0 && c->epoch != epoch) {
			c->slot = iplimit_open(set->per_ip, &c->addr, 0, now,
			    &c->epoch);
			n++;
		}
	if (n > 0)
		log_info("counts per address reset: %d open connection%s "
		    "counted again", n, n == 1 ? "" : "s");
	set->epoch = epoch;
}

/* What the limits turned away or cut, one line each at most every
 * CONN_LOG_MS (all, when force): never a line per connection. */
static void
conn_log_limits(struct conn_set *set, long long now, int force)
{
	if (set->refused + set->uncounted + set->cut + set->proxy_bad == 0 ||
	    (!force && now - set->logged < CONN_LOG_MS))
		return;
	if (set->refused > 0)
		log_warnx("refused %d connection%s over "
		    "max_connections_per_ip (%d), the last from %s",
		    set->refused, set->refused == 1 ? "" : "s",
		    set->rule.max_conns, set->refused_from);
	if (set->cut > 0)
		log_info("closed %d connection%s still in the TLS handshake "
		    "after handshake_timeout (%d s)", set->cut,
		    set->cut == 1 ? "" : "s", set->handshake_timeout);
	if (set->uncounted > 0)
		log_warnx("the table of addresses is full: %d connection%s "
		    "not counted against max_connections_per_ip",
		    set->uncounted, set->uncounted == 1 ? "" : "s");
	if (set->proxy_bad > 0)
		log_warnx("closed %d connection%s at a PROXY header, the last "
		    "from %s: %s", set->proxy_bad, set->proxy_bad == 1 ? "" :
		    "s", set->proxy_peer, set->proxy_why);
	set->refused = set->uncounted = set->cut = set->proxy_bad = 0;
	set->logged = now;
}

void
conn_tick(struct conn_set *set)
{
	struct conn	*c, *next;
	long long	 now = now_ms();
	unsigned	 epoch;

	if (set->per_ip != NULL &&
	    (epoch = iplimit_epoch(set->per_ip)) != set->epoch)
		conn_recount(set, epoch, now);
	for (c = set->list; c != NULL; c = next) {
		next = c->next;
		if (now < c->deadline)
			continue;
		if (c->state == CONN_HANDSHAKE && set->until == 0)
			set->cut++;
		if (c->state == CONN_PROXY && c->proxy == CONN_PP_HEADER &&
		    set->until == 0)
			conn_proxy_refuse(c, "no whole header within "
			    "handshake_timeout");
		if ((c->state == CONN_READ || c->state == CONN_UPLOAD ||
		    c->state == CONN_AWAIT) && c->status == 0 &&
		    c->fe->timeout != NULL) {
			/* no header sent yet: say why before closing */
			c->fe->timeout(c->fe_arg, &c->out);
			c->status = 59;
			if (c->logpath[0] == '\0')
				snprintf(c->logpath, sizeof(c->logpath),
				    "(timeout)");
			c->state = CONN_WRITE;
			c->deadline = now + 2000;
			conn_step(c);
			continue;
		}
		conn_close(c);
	}
	conn_log_limits(set, now, 0);
}

void
conn_drain(struct conn_set *set, int ms)
{
	struct conn	*c;

	set->until = now_ms() + ms;
	for (c = set->list; c != NULL; c = c->next)
		set_deadline(c, c->deadline);
}

void
conn_close_all(struct conn_set *set)
{
	while (set->list != NULL)
		conn_close(set->list);
	conn_log_limits(set, now_ms(), 1);
}
