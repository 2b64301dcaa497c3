/*
 * conn.h: one client connection and its state machine.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>

#include "buf.h"
#include "proto.h"

struct server;

#define CONN_IN_MAX	2050	/* request bytes kept, terminator included */

enum conn_req {			/* how the request line ended */
	CONN_REQ_OK,
	CONN_REQ_TOO_LONG,		/* no terminator within max_req */
	CONN_REQ_NO_CRLF		/* LF without CR where CRLF is due */
};

/*
 * A front end, as conn.c drives it. handle() turns one request line
 * (without its terminator; how says if it ended badly) into a reply: it fills req (for the access log) and rep, and
 * appends the bytes to send before any file to out.
 */
struct frontend {
	const char	*name;		/* "gemini", "gopher" */
	int		 tls;
	size_t		 max_req;	/* request line bytes */
	int		 need_crlf;	/* Gemini: CRLF, Gopher: LF is fine */
	void		(*handle)(struct server *, const char *, size_t,
			    int how, struct request *, struct reply *,
			    struct buf *out);
	/* what to send when the request deadline passes */
	void		(*timeout)(struct server *, struct buf *out);
};

void	conn_accept(struct server *, int listenfd, const struct frontend *);
void	conn_tick(struct server *);	/* deadlines, once a second */
void	conn_close_all(struct server *);
/* Stopping: no connection may take longer than ms from now. */
void	conn_drain(struct server *, int ms);

#endif
