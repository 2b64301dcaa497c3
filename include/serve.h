/*
 * serve.h: one protocol-neutral request in, the bytes of its reply
 * out, through the worker's page cache. The front end parses the
 * request and says how a reply is written in its protocol (a write
 * function); serve() routes it, or copies out a page already written
 * for this snapshot, with its counter's number of this moment.
 */
#ifndef SERVE_H
#define SERVE_H

#include "pagecache.h"
#include "render.h"

struct buf;
struct config;
struct counter;
struct pagecache;
struct request;
struct reply;
struct site;

struct serve {
	struct render_ctx	 rctx;		/* what route() needs */
	struct pagecache	*pages;		/* this worker's, or NULL */
	struct page_marks	 marks;		/* where counters' numbers
						   go; NULL ones: pages that
						   show one are not kept */
	char			 markbuf[2][32];
};

/* Append the reply to out in the front end's protocol. */
typedef void	serve_write_fn(void *arg, const struct request *,
		    const struct reply *, struct buf *out);

/* The per-snapshot parts: site, counter, labels, from the config. */
void	serve_setup(struct serve *, const struct config *, struct site *,
	    struct counter *);
/* The worker's own, after the fork: search handle, page cache and
 * marker. What memory does not allow is logged and done without. */
void	serve_open(struct serve *, const char *catalog);
void	serve_close(struct serve *);

void	serve(struct serve *, const struct request *, struct reply *,
	    struct buf *out, serve_write_fn *, void *arg);

#endif
