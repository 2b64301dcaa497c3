/*
 * conn.h: client connections, from accept to close. The transport
 * knows nothing of the server above it: its owner hands it a struct
 * conn_set (the loop, the TLS context, the limits, the table of
 * counts per address it shares with the other workers, and one
 * callback for when accepting must stop or may go on) and, per
 * listener, a struct conn_front with the front end's context pointer,
 * in the way an event library hands a callback its client data.
 */
#ifndef CONN_H
#define CONN_H

#include <netinet/in.h>
#include <stddef.h>

#include "buf.h"
#include "iplimit.h"
#include "proto.h"
#include "tls.h"

struct conn;
struct config_net;
struct loop;
struct tls_ctx;

#define CONN_IN_MAX	2050	/* request bytes kept, terminator included */

enum conn_req {			/* how the request line ended */
	CONN_REQ_OK,
	CONN_REQ_TOO_LONG,		/* no terminator within max_req */
	CONN_REQ_NO_CRLF		/* LF without CR where CRLF is due */
};

/*
 * A request that needs more than its line (Titan): the client's
 * certificate, or a body of bytes after the line. begin() sees every
 * line first: CONN_LINE leaves it to handle(); CONN_ANSWERED means it
 * answered into rep and out (a page, or a refusal); CONN_BODY that
 * *size bytes follow, to be read (within write_timeout of each other)
 * and handed whole to body(), which answers at once (CONN_ANSWERED) or
 * later, through conn_answer() (CONN_WAIT). end() frees *ctx, whether
 * the body came or the connection closed first.
 */
enum conn_begin {
	CONN_LINE,
	CONN_ANSWERED,
	CONN_BODY,
	CONN_WAIT
};

struct conn_upload {
	int	(*begin)(void *arg, struct conn *, const char *, size_t,
		    struct request *, struct reply *, struct buf *out,
		    size_t *size, void **ctx);
	int	(*body)(void *arg, struct conn *, void *ctx, const char *,
		    size_t, struct reply *, struct buf *out);
	void	(*end)(void *arg, void *ctx);
};

/*
 * A front end, as conn.c drives it. handle() turns one request line
 * (without its terminator; how says if it ended badly) into a reply:
 * it fills req (for the access log) and rep, and appends the bytes to
 * send before any file to out. arg is the listener's front-end context.
 */
struct conn_front {
	const char	*name;		/* "gemini", "gopher" */
	int		 tls;
	size_t		 max_req;	/* request line bytes */
	int		 need_crlf;	/* Gemini: CRLF, Gopher: LF is fine */
	void		(*handle)(void *arg, const char *, size_t, int how,
			    struct request *, struct reply *, struct buf *out);
	/* what to send when the request deadline passes */
	void		(*timeout)(void *arg, struct buf *out);
	/* a request over the address's rate: fill rep (for the log) and
	 * tell the client to wait this many seconds */
	void		(*slow_down)(void *arg, int seconds, struct reply *,
			    struct buf *out);
	const struct conn_upload *upload;	/* NULL: lines only */
};

enum conn_event {		/* what conn.c tells its owner */
	CONN_FULL,			/* at max: stop accepting */
	CONN_NO_FD,			/* accept failed for want of fds or
					   memory: stop until a tick */
	CONN_ROOM			/* a connection closed */
};

struct conn_set {
	/* set by the owner */
	struct loop	*loop;
	struct tls_ctx	*tls;
	int		 handshake_timeout;	/* seconds, from accept (TLS) */
	int		 request_timeout;	/* seconds, from accept */
	int		 write_timeout;		/* seconds, from progress */
	int		 max;			/* open connections at most */
	struct iplimit	*per_ip;		/* every worker's; NULL: none */
	struct iplimit_rule rule;		/* per address: cap and rate */
	/* who may send a PROXY header, on listeners that take one */
	const struct config_net *proxy_from;
	int		 proxy_nfrom;
	void		(*event)(void *arg, enum conn_event);
	void		*arg;
	/* conn.c's own */
	struct conn	*list;
	int		 n;			/* open connections */
	long long	 until;			/* draining: no deadline later */
	unsigned	 epoch;			/* per_ip's, when we counted */
	/* since the last log line about them (one every 10 s at most) */
	int		 refused;		/* over rule.max_conns */
	int		 uncounted;		/* no room in per_ip */
	int		 cut;			/* handshake deadline passed */
	char		 refused_from[INET6_ADDRSTRLEN];
	int		 proxy_bad;		/* closed at a PROXY header */
	const char	*proxy_why;		/* the last one's reason, */
	char		 proxy_peer[INET6_ADDRSTRLEN];	/* and its peer */
	long long	 logged;		/* ms, monotonic */
	unsigned long	 ids;			/* the last conn_id() given */
};

/* proxy: the listener takes a PROXY header from the addresses of
 * proxy_from (and refuses one from any other) */
void	conn_accept(struct conn_set *, int listenfd, const struct conn_front *,
	    void *front_arg, int proxy);
void	conn_tick(struct conn_set *);	/* deadlines, once a second */
void	conn_close_all(struct conn_set *);
/* Stopping: no connection may take longer than ms from now. */
void	conn_drain(struct conn_set *, int ms);

/* For a front end's upload hooks: the connection's number in its set,
 * and the client's certificate (0, or -1: none, or no TLS). */
unsigned long	conn_id(const struct conn *);
int	conn_cert(const struct conn *, struct tls_peer *);
/* The reply to the upload that connection id waits for (CONN_WAIT):
 * bytes to send, status for the log. -1: it is gone (closed, timed
 * out). */
int	conn_answer(struct conn_set *, unsigned long id, const char *,
	    size_t, int status);

#endif
