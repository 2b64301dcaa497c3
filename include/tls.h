/*
 * tls.h: the only interface to OpenSSL.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>

enum tls_result {
	TLS_OK,
	TLS_WANT_READ,
	TLS_WANT_WRITE,
	TLS_EOF,
	TLS_ERR
};

struct tls_ctx;
struct tls;

/* Make a self-signed ECDSA P-256 certificate for hostname (CN and SAN)
 * unless cert and key exist. Key mode 0600. */
int		 tls_generate(const char *cert, const char *key,
		    const char *hostname, char *err, size_t errlen);
/* Server context: TLS 1.2 minimum, session tickets with keys shared by
 * every process forked after this call and rotated. */
struct tls_ctx	*tls_ctx_new(const char *cert, const char *key,
		    char *err, size_t errlen);
void		 tls_ctx_free(struct tls_ctx *);

struct tls	*tls_new(struct tls_ctx *, int fd);
enum tls_result	 tls_handshake(struct tls *);
enum tls_result	 tls_read(struct tls *, void *, size_t, size_t *);
enum tls_result	 tls_write(struct tls *, const void *, size_t, size_t *);
/* From now on records wait in a buffer sized for a reply of this many
 * bytes (up to one full record) until the close_notify, so that a
 * short reply and its close leave in one segment; tls_shutdown
 * flushes. -1: out of memory (harmless: writes go straight out). */
int		 tls_cork(struct tls *, size_t reply);
/* Send close_notify (once; non-blocking, best effort). */
enum tls_result	 tls_shutdown(struct tls *);
void		 tls_free(struct tls *);
int		 tls_resumed(const struct tls *);
const char	*tls_version(const struct tls *);

#endif
