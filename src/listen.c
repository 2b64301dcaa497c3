/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * listen.c: opens the listening sockets in the master, before any
 * privilege drop (Gopher's port 70 needs it). IPv6 sockets are
 * IPV6_V6ONLY so "127.0.0.1 ::1" binds both families side by side. The
 * backlog is the system maximum: a burst of handshakes must queue, not
 * be dropped, while the workers catch up.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"

#define LISTEN_BACKLOG	4096	/* clamped by net.core.somaxconn */
#define LISTEN_DEFER_SECS 3	/* then the connection is accepted anyway */

int
listen_open(const char *addr, int port, char *err, size_t errlen)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 slen;
	int			 fd = -1, one = 1, family;

	memset(&ss, 0, sizeof(ss));
	if (strcmp(addr, "*") == 0) {
		family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
	} else if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		family = AF_INET6;
	else {
		snprintf(err, errlen, "%s: not an address", addr);
		return -1;
	}
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		slen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)port);
		slen = sizeof(*sin6);
	}
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		goto fail;
	/* "*" means both families on one socket; an explicit ::1 only v6 */
	if (family == AF_INET6) {
		int	 v6only = strcmp(addr, "*") != 0;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof(v6only)) == -1)
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&ss, slen) == -1)
		goto fail;
	/* wake a worker only when the first bytes (a ClientHello or a
	 * selector) are in: saves a read that would block and a trip
	 * through the loop on every connection */
	{
		int	 secs = LISTEN_DEFER_SECS;
		setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs,
		    sizeof(secs));
	}
	/* accepted sockets inherit it (Linux): TLS flights and the last
	 * segment of a reply never wait for Nagle, and no connection pays
	 * a setsockopt of its own */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	snprintf(err, errlen, "%s port %d: %s", addr, port, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

int
listen_port(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}
