/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * conn.c: a client connection from accept to close. One explicit state
 * machine, stepped by conn_step() whenever the socket is ready:
 *
 *   HANDSHAKE (TLS only) -> READ -> WRITE -> SHUTDOWN -> LINGER -> closed
 *
 * Each state returns when it would block, after setting the loop
 * interest. A connection owns its socket, TLS state, buffers and any
 * open file; conn_close() is the only teardown and works from any
 * state. Every connection has a deadline: accept + request_timeout
 * until the request line is in (a client that drips bytes does not
 * extend it), then write_timeout from the last progress while writing.
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
#include "tls.h"
#include "utf8.h"

#define CONN_FILE_CHUNK		16384	/* bytes read per TLS file write */
#define CONN_SENDFILE_MAX	(1 << 30) /* bytes per sendfile call */
#define CONN_LINGER_MS		2000	/* drain a talker before close */
#define CONN_LINGER_BYTES	65536	/* replies longer than this linger */

enum conn_state {
	CONN_HANDSHAKE,
	CONN_READ,
	CONN_WRITE,
	CONN_SHUTDOWN,
	CONN_LINGER
};

struct conn {
	struct conn_set		*set;
	const struct conn_front	*fe;
	void			*fe_arg;
	int			 fd;
	struct tls		*tls;
	enum conn_state		 state;
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
	char			 peer[INET6_ADDRSTRLEN];
	char			 logpath[256];
	struct conn		*prev, *next;
};

static void	conn_step(struct conn *);
static void	conn_close(struct conn *);
static void	conn_io(struct loop *, int, int, void *);
static int	conn_request(struct conn *, const char *, size_t, int);

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
conn_accept(struct conn_set *set, int lfd, const struct conn_front *fe,
    void *fe_arg)
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
		c->start = now_ms();
		c->deadline = c->start + set->request_timeout * 1000LL;
		buf_init(&c->out);
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
			    c->peer, sizeof(c->peer));
		else
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&ss)->sin6_addr, c->peer,
			    sizeof(c->peer));
		if (fe->tls) {
			if ((c->tls = tls_new(set->tls, fd)) == NULL) {
				close(fd);
				free(c);
				continue;
			}
			c->state = CONN_HANDSHAKE;
		} else
			c->state = CONN_READ;
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

/* read into c->in; 1 = got bytes, 0 = would block, -1 = EOF/error */
static int
conn_read(struct conn *c)
{
	enum tls_result	 r;
	size_t		 n;
	ssize_t		 rn;

	if (c->inlen >= sizeof(c->in))
		return 1;
	if (c->tls == NULL) {
		rn = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		if (rn > 0) {
			c->inlen += (size_t)rn;
			return 1;
		}
		if (rn == -1 && (errno == EAGAIN || errno == EINTR)) {
			want(c, LOOP_READ);
			return 0;
		}
		return -1;
	}
	r = tls_read(c->tls, c->in + c->inlen, sizeof(c->in) - c->inlen, &n);
	switch (r) {
	case TLS_OK:
		c->inlen += n;
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
					c->deadline = now_ms() +
					    c->set->write_timeout * 1000LL;
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
		c->deadline = now_ms() + c->set->write_timeout * 1000LL;
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
		c->state = CONN_READ;
		/* FALLTHROUGH */
	case CONN_READ:
		for (;;) {
			nl = memchr(c->in, '\n', c->inlen);
			if (nl != NULL) {
				len = (size_t)(nl - c->in);
				c->linger = (size_t)(nl - c->in) + 1 <
				    c->inlen;
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
		c->state = CONN_WRITE;
		c->deadline = now_ms() + c->set->write_timeout * 1000LL;
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
		c->deadline = now_ms() + CONN_LINGER_MS;
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
	}
}

/* Answer the request line into c->out; -1 (out of memory): close. */
static int
conn_request(struct conn *c, const char *line, size_t len, int how)
{
	struct request	*req;
	struct reply	 rep;

	/* struct request is large: keep it off the per-connection state */
	if ((req = calloc(1, sizeof(*req))) == NULL)
		return -1;
	reply_init(&rep);
	c->fe->handle(c->fe_arg, line, len, how, req, &rep, &c->out);
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
	return 0;
}

/*
 * The only teardown, from any state: log the request if there was one,
 * close the file, free TLS and buffers, close the socket.
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

void
conn_tick(struct conn_set *set)
{
	struct conn	*c, *next;
	long long	 now = now_ms();

	for (c = set->list; c != NULL; c = next) {
		next = c->next;
		if (now < c->deadline)
			continue;
		if (c->state == CONN_READ && c->status == 0 &&
		    c->fe->timeout != NULL) {
			/* no header sent yet: say why before closing */
			c->fe->timeout(c->fe_arg, &c->out);
			c->status = 59;
			snprintf(c->logpath, sizeof(c->logpath), "(timeout)");
			c->state = CONN_WRITE;
			c->deadline = now + 2000;
			conn_step(c);
			continue;
		}
		conn_close(c);
	}
}

void
conn_drain(struct conn_set *set, int ms)
{
	struct conn	*c;
	long long	 until = now_ms() + ms;

	for (c = set->list; c != NULL; c = c->next)
		if (c->deadline > until)
			c->deadline = until;
}

void
conn_close_all(struct conn_set *set)
{
	while (set->list != NULL)
		conn_close(set->list);
}
