/*
 * sandbox.h: what a worker gives up once it serves.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

/* Called in each worker before its loop runs. Returns 0 or -1. */
int	sandbox_enter(void);

#endif
