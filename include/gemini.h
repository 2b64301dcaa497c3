/*
 * gemini.h: the Gemini front end (protocol specification v0.24.1):
 * request line -> struct request, reply -> "NN META\r\n" header, and
 * the glue conn.c drives: gemini_conn_front, whose context is a
 * struct gemini_front.
 */
#ifndef GEMINI_H
#define GEMINI_H

#include <stddef.h>

#include "buf.h"
#include "proto.h"

#define GEMINI_URL_MAX	1024		/* bytes, without CRLF */
#define GEMINI_PORT	1965		/* left out of URLs */

struct conn_front;
struct serve;
struct titan;

struct gemini_host {
	const char	*hostname;	/* the only host we answer for */
	int		 port;		/* our port; another one is 53 */
	const char	*lang;		/* lang= parameter of text/gemini */
};

struct gemini_front {			/* a Gemini listener's context */
	struct gemini_host	 host;
	struct serve		*sv;
	struct titan		*titan;		/* NULL: Titan is off */
};

extern const struct conn_front	gemini_conn_front;

/*
 * Parse one request line (without CRLF). Returns 0 with req filled, or
 * -1 with *st (ST_BAD_REQUEST or ST_PROXY_REFUSED) and errstr set.
 */
int	gemini_parse(const char *line, size_t len, const struct gemini_host *,
	    struct request *req, enum status *st, const char **errstr);

/* Append the response header for a reply: "20 text/gemini...\r\n". */
int	gemini_header(struct buf *, const struct reply *);

#endif
