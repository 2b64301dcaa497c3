/*
 * listen.h: listening sockets.
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <stddef.h>

/* A non-blocking, close-on-exec listener on addr ("127.0.0.1", "::1",
 * "*") and port. Returns the fd, or -1 with err set. */
int	listen_open(const char *addr, int port, char *err, size_t errlen);
/* The port a listener is bound to (for port 0). */
int	listen_port(int fd);

#endif
