/*
 * msg.h: one message between bantin's processes, over a
 * SOCK_SEQPACKET socketpair: a type, bytes, and file descriptors.
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>

struct buf;

#define MSG_MAX		(128 * 1024)	/* bytes of one message: under the
					   socket buffer's default size */
#define MSG_FDS		32		/* descriptors of one message */

/* A SOCK_SEQPACKET socketpair, close-on-exec; -1 and errno. */
int	msg_pair(int sv[2]);
/* Send; -1 and errno (EMSGSIZE past the limits). */
int	msg_send(int fd, int type, const void *, size_t, const int *fds,
	    int nfds);
/* Receive one message into b (reset first) and fds (*nfds of them, at
 * most MSG_FDS): 1, or 0 at end of file, or -1 and errno (EMSGSIZE:
 * it was cut short; whatever it carried is closed). */
int	msg_recv(int fd, int *type, struct buf *b, int *fds, int *nfds);

#endif
