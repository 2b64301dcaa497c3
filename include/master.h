/*
 * master.h: the supervising process, unprivileged.
 */
#ifndef MASTER_H
#define MASTER_H

#include <stddef.h>

struct buf;
struct config;
struct listener;

/* Messages on the master's channels (msg.h). */
enum master_msg {
	MASTER_MSG_CONF = 1,	/* parent -> master: master_pack's bytes;
				   the listeners' and the key channel's
				   descriptors */
	MASTER_MSG_DONE,	/* master -> parent: one byte, 1 if that
				   configuration now runs */
	MASTER_MSG_CHANNEL,	/* master -> key process: a worker's
				   channel */
	MASTER_MSG_LOGS		/* parent -> master: the log files,
				   reopened (log_files), when no new
				   configuration follows */
};

/* The bytes of a MASTER_MSG_CONF: the listeners (their descriptors go
 * with the message, then the key channel's, then the log files'), the
 * configuration, the session ticket secret (slen 0: none, a random
 * one) and the certificate chain's PEM text. */
int	master_pack(struct buf *, const struct config *,
	    const struct listener *, int nlisteners, const void *secret,
	    size_t slen, const struct buf *chain);
/* Serve what the parent sends over ctl until SIGTERM/SIGINT or the
 * parent's end; the first message must be a configuration. Returns the
 * exit status. */
int	master_run(int ctl);

#endif
