/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * ticket.h: the file of [gemini] ticket_secret, the secret from which
 * every instance of a cluster derives the same session ticket keys
 * (tls.c), read and checked by the privileged parent (-n, start, each
 * reload).
 */

#ifndef TICKET_H
#define TICKET_H

#include <stddef.h>

#define TICKET_SECRET_MIN	32	/* bytes: a 256-bit secret */
#define TICKET_SECRET_MAX	1024	/* bytes, once decoded */
#define TICKET_FILE_MAX		4096	/* bytes of the file: the hex of
					   TICKET_SECRET_MAX and line ends */

struct ticket_secret {
	size_t		 len;			/* 0: none */
	unsigned char	 key[TICKET_SECRET_MAX];
};

/*
 * The secret of path into s; path "" (the setting's default) is none,
 * s->len 0. The file must be a regular file that neither its group
 * nor others may read or write (mode 0600 or 0400, as ssh wants of a
 * private key), holding either hex digits (white space between them
 * allowed: `openssl rand -hex 32`, `xxd -p`) or raw bytes (`head -c 32
 * /dev/urandom`), at least TICKET_SECRET_MIN bytes of secret and at
 * most TICKET_SECRET_MAX. Other text (a passphrase, base64) is
 * refused: its bytes are not random. -1 with "gemini:ticket_secret:
 * path: reason" in err; s is cleared then.
 */
int	ticket_secret_read(const char *path, struct ticket_secret *s,
	    char *err, size_t errlen);
/* s's bytes wiped: a copy must not outlive its use in freed memory */
void	ticket_secret_clear(struct ticket_secret *s);

#endif
