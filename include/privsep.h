/*
 * privsep.h: the privileged parent.
 */
#ifndef PRIVSEP_H
#define PRIVSEP_H

struct config;

/* Bind the listeners, start the master and the key process (dropping
 * their privileges to conf's user), and serve signals until SIGTERM or
 * SIGINT: SIGHUP reads the configuration, certificate and key again.
 * Takes conf. Returns the exit status. */
int	privsep_run(struct config *conf);

#endif
