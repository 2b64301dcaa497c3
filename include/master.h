/*
 * master.h: the supervising process.
 */
#ifndef MASTER_H
#define MASTER_H

struct config;

/* Start everything for conf and supervise until SIGTERM/SIGINT.
 * Takes conf (a reload replaces it) and frees it. Returns the exit
 * status. */
int	master_run(struct config *conf);

#endif
