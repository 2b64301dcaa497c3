/*
 * proto.h: the protocol-neutral request and reply shared by the
 * front ends (gemini.c, gopher.c) and the content core (route.c).
 */
#ifndef PROTO_H
#define PROTO_H

#include <sys/types.h>

#include "buf.h"

#define REQ_PATH_MAX	1024		/* decoded path or query, bytes */

enum proto {
	PROTO_GEMINI,
	PROTO_GOPHER
};

struct request {
	enum proto	 proto;
	char		 path[REQ_PATH_MAX + 1];  /* decoded, normalised, "/..." */
	char		 query[REQ_PATH_MAX + 1]; /* decoded query ("" if none) */
	int		 has_query;		/* a '?' (Gemini) or TAB (Gopher) */
	int		 probe;			/* Gopher+ probe: never counted */
};

enum status {
	ST_OK,			/* Gemini 20 */
	ST_INPUT,		/* 10: meta is the prompt */
	ST_REDIRECT,		/* 30 */
	ST_REDIRECT_PERM,	/* 31: meta is the target */
	ST_TEMP_FAIL,		/* 40 */
	ST_SLOW_DOWN,		/* 44: meta is the seconds to wait */
	ST_PERM_FAIL,		/* 50 */
	ST_NOT_FOUND,		/* 51 */
	ST_GONE,		/* 52 */
	ST_PROXY_REFUSED,	/* 53 */
	ST_BAD_REQUEST,		/* 59 */
	ST_CERT_REQUIRED,	/* 60 */
	ST_CERT_REFUSED,	/* 61: not authorised */
	ST_CERT_INVALID		/* 62 */
};

enum reply_kind {
	REPLY_NONE,		/* status only (errors, input, redirects) */
	REPLY_MENU,		/* gemtext listing page: Gopher renders a menu */
	REPLY_DOCUMENT,		/* gemtext article/page: Gopher renders text */
	REPLY_DATA,		/* body bytes of type meta (Atom feed, caps) */
	REPLY_FILE		/* fd of size bytes, type meta (attachment) */
};

struct reply {
	enum status	 status;
	enum reply_kind	 kind;
	char		 meta[1024 + 1];	/* MIME type, prompt, target or
						   error message */
	struct buf	 body;			/* MENU, DOCUMENT, DATA */
	int		 fd;			/* FILE: owned, -1 if none */
	off_t		 size;			/* FILE: bytes to send */
	int		 cache;			/* the reply may be kept for
						   the snapshot (pagecache.c) */
	int		 count;			/* it counted a visit, */
	int		 slot;			/* of this slot (-1: site) */
	int		 hole;			/* enum page_hole bits: the
						   counters it shows */
	const char	*lang;			/* the language of its labels
						   and numbers, "vi" or "en"
						   (label_lang); NULL: the
						   site's */
};

void	reply_init(struct reply *);
/* Back to what reply_init made, but the body keeps its memory (emptied,
 * not freed: buf_free it when done) and the fd is closed. */
void	reply_clear(struct reply *);
void	reply_status(struct reply *, enum status, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	status_gemini(enum status);	/* ST_OK -> 20 ... */

#endif
