/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * msg.c: the privileged parent, the master and the key process speak
 * in whole messages over SOCK_SEQPACKET socketpairs: the kernel keeps
 * each message's bounds, so a reader gets one message or nothing,
 * never half of one. A message is a 4-byte type, its bytes, and file
 * descriptors passed with SCM_RIGHTS (listening sockets, the channel
 * to the key process).
 */

#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"

int
msg_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}

int
msg_send(int fd, int type, const void *p, size_t len, const int *fds,
    int nfds)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(MSG_FDS * sizeof(int))];
	}		 cm;
	struct msghdr	 m;
	struct iovec	 iov[2];
	struct cmsghdr	*c;
	int32_t		 t = type;
	ssize_t		 n;

	if (len > MSG_MAX || nfds < 0 || nfds > MSG_FDS) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	iov[0].iov_base = &t;
	iov[0].iov_len = sizeof(t);
	iov[1].iov_base = (void *)(uintptr_t)p;
	iov[1].iov_len = len;
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	if (nfds > 0) {
		memset(&cm, 0, sizeof(cm));
		m.msg_control = cm.buf;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	do
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == -1 ? -1 : 0;
}

int
msg_recv(int fd, int *type, struct buf *b, int *fds, int *nfds)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(MSG_FDS * sizeof(int))];
	}		 cm;
	struct msghdr	 m;
	struct iovec	 iov[2];
	struct cmsghdr	*c;
	int32_t		 t = 0;
	ssize_t		 n;
	int		 i;

	*nfds = 0;
	buf_reset(b);
	if (buf_reserve(b, MSG_MAX + 1) == -1)
		return -1;
	memset(&m, 0, sizeof(m));
	iov[0].iov_base = &t;
	iov[0].iov_len = sizeof(t);
	iov[1].iov_base = b->data;
	iov[1].iov_len = MSG_MAX;
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	m.msg_control = cm.buf;
	m.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_RIGHTS) {
			i = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds + *nfds, CMSG_DATA(c), i * sizeof(int));
			*nfds += i;
		}
	if ((m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n < sizeof(t)) {
		for (i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
		errno = EMSGSIZE;
		return -1;
	}
	b->len = (size_t)n - sizeof(t);
	b->data[b->len] = '\0';
	*type = t;
	return 1;
}
