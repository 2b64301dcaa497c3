/*
 * server.h: a worker process: its listeners, its connections, and the
 * front ends and serve state they answer with.
 */
#ifndef SERVER_H
#define SERVER_H

#include <signal.h>
#include <time.h>

#include "config.h"
#include "conn.h"
#include "gemini.h"
#include "gopher.h"
#include "proto.h"
#include "serve.h"
#include "titan.h"

struct counter;
struct iplimit;
struct loop;
struct site;
struct tls_ctx;

#define SERVER_LISTEN_MAX	(2 * CONFIG_LISTEN_MAX)

struct listener {
	int			 fd;
	int			 port;
	char			 addr[64];	/* as configured */
	enum proto		 proto;
};

struct server {
	const struct config	*conf;
	struct site		*site;
	struct counter		*counter;
	struct tls_ctx		*tls;
	struct iplimit		*per_ip;	/* shared, made by the master
						   once: NULL = no limits */
	struct listener		 listeners[SERVER_LISTEN_MAX];
	int			 nlisteners;
	struct loop		*loop;
	struct conn_set		 conns;		/* this worker's */
	struct serve		 serve;		/* request -> reply */
	struct gemini_front	 gemini;	/* the front ends' contexts */
	struct gopher_front	 gopher;
	struct conn_front	 gemini_fe;	/* Gemini's, with Titan's
						   hooks when it is on */
	struct titan		 titan;		/* authors: the master's */
	int			 titan_chan;	/* to the master, -1: none */
	int			 accepting;	/* listeners in the loop */
	int			 paused_emfile;	/* retry accept next tick */
	int			 draining;	/* SIGTERM: finish and exit */
	int			 peak_conns;	/* since the last malloc_trim */
	time_t			 trimmed;	/* the last trim while busy */
};

/* The name of a listener's protocol, for the log. */
const char	*server_proto_name(enum proto);
/* Fill the per-snapshot parts of a server (serve, gemini, gopher). */
void	server_setup(struct server *, const struct config *, struct site *,
	    struct counter *, struct tls_ctx *);
/* Worker main: never returns. mask is the signal mask to restore once
 * the worker's handlers are in place. */
void	server_worker(struct server *, int id, const sigset_t *mask)
	    __attribute__((noreturn));

#endif
