/*
 * tls.h: the only interface to OpenSSL.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>
#include <time.h>

enum tls_result {
	TLS_OK,
	TLS_WANT_READ,
	TLS_WANT_WRITE,
	TLS_EOF,
	TLS_ERR
};

struct tls_ctx;
struct tls;

struct tls_peer {		/* a client's certificate */
	unsigned char	 sha256[32];	/* of its DER */
	time_t		 not_before;
	time_t		 not_after;
};

/* Make a self-signed ECDSA P-256 certificate for hostname (CN and SAN)
 * unless cert and key exist. Key mode 0600. */
int		 tls_generate(const char *cert, const char *key,
		    const char *hostname, char *err, size_t errlen);
/* Server context: TLS 1.2 minimum with the cipher suites of ciphers
 * (an OpenSSL list: CONFIG_CIPHERS by default), TLS 1.3 as OpenSSL
 * has it; session tickets with keys shared by every process forked
 * after this call and rotated, from a random secret made once per
 * process (every context of the process has the same). */
/* A context for the certificate chain's PEM text; the private key
 * stays in the key process (tls_key.h). */
struct tls_ctx	*tls_ctx_new(const char *chain, size_t len,
		    const char *ciphers, char *err, size_t errlen);
/* The private key in this process instead (bench/bare: the ceiling
 * that bantin's key process is measured against). */
int		 tls_ctx_own_key(struct tls_ctx *, const char *key, char *err,
		    size_t errlen);
/* The ticket keys from this secret (the bytes of [gemini]
 * ticket_secret's file, ticket.h) instead: every instance given the
 * same resumes the sessions of the others. -1 with err. */
int		 tls_ctx_tickets(struct tls_ctx *, const void *secret,
		    size_t len, char *err, size_t errlen);
void		 tls_ctx_free(struct tls_ctx *);

struct tls	*tls_new(struct tls_ctx *, int fd);
enum tls_result	 tls_handshake(struct tls *);
enum tls_result	 tls_read(struct tls *, void *, size_t, size_t *);
/* What is written waits (up to a full record and a little more) until
 * a call returns TLS_WANT_READ or tls_shutdown: a reply and its
 * close_notify leave together, with a TLS 1.3 ticket before them. */
enum tls_result	 tls_write(struct tls *, const void *, size_t, size_t *);
/* Send close_notify (once; non-blocking, best effort). */
enum tls_result	 tls_shutdown(struct tls *);
void		 tls_free(struct tls *);

/* Ask every client for a certificate in its handshake and take any
 * (Gemini's identities are self-signed): a client sends one only when
 * its user chose an identity for the site. For Titan. */
void		 tls_ctx_ask_cert(struct tls_ctx *);
/* The certificate the client sent (kept in a resumed session too):
 * 0, or -1 when there is none. */
int		 tls_peer(struct tls *, struct tls_peer *);

#endif
