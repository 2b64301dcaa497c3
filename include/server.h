/*
 * server.h: a worker process: listeners, connections, the snapshot it
 * serves and the per-process handles the core needs.
 */
#ifndef SERVER_H
#define SERVER_H

#include <signal.h>
#include <time.h>

#include "config.h"
#include "gemini.h"
#include "gopher.h"
#include "render.h"

struct conn;
struct counter;
struct loop;
struct pagecache;
struct site;
struct tls_ctx;
struct frontend;

#define SERVER_LISTEN_MAX	(2 * CONFIG_LISTEN_MAX)

struct listener {
	int			 fd;
	int			 port;
	char			 addr[64];	/* as configured */
	const struct frontend	*fe;
};

struct server {
	const struct config	*conf;
	struct loop		*loop;
	struct tls_ctx		*tls;
	struct site		*site;
	struct counter		*counter;
	struct render_ctx	 rctx;		/* what route() needs */
	struct gemini_host	 gemini;	/* what gemini_parse needs */
	struct gopher_ctx	 gopher;	/* what gopher_reply needs */
	struct listener		 listeners[SERVER_LISTEN_MAX];
	int			 nlisteners;
	struct conn		*conns;		/* all open connections */
	int			 nconns;
	int			 maxconns;	/* this worker's share */
	int			 accepting;	/* listeners in the loop */
	int			 paused_emfile;	/* retry accept next tick */
	int			 draining;	/* SIGTERM: finish and exit */
	int			 peak_conns;	/* since the last malloc_trim */
	time_t			 trimmed;	/* the last trim while busy */
	struct pagecache	*pages;		/* this worker's pages */
	const char		*hole;		/* counter marker, or NULL */
};

extern const struct frontend	gemini_frontend;
extern const struct frontend	gopher_frontend;

/* Fill the per-snapshot parts of a server (render, gemini, gopher). */
void	server_setup(struct server *, const struct config *, struct site *,
	    struct counter *, struct tls_ctx *);
/* Worker main: never returns. */
/* Worker main: never returns. mask is the signal mask to restore once
 * the worker's handlers are in place. */
void	server_worker(struct server *, int id, const sigset_t *mask)
	    __attribute__((noreturn));
void	server_accepting(struct server *, int on);

#endif
