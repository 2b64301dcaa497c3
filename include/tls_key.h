/*
 * tls_key.h: the TLS private key, kept in one small process.
 */
#ifndef TLS_KEY_H
#define TLS_KEY_H

#include <stddef.h>

struct buf;
struct tls_key;
typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

/* The privileged parent: read the certificate chain (its PEM text into
 * chain) and the private key, and check that they match. NULL and a
 * reason in err. */
struct tls_key	*tls_key_load(const char *cert, const char *key,
		    struct buf *chain, char *err, size_t errlen);
void		 tls_key_free(struct tls_key *);
/* The key process: answer signing requests on every channel the
 * master sends over reg (one per worker), until reg and every channel
 * are closed. */
void		 tls_key_serve(struct tls_key *, int reg);

/* A worker: the key object for cert's public key whose private
 * operations are asked of the key process, over the channel set with
 * tls_key_channel. NULL and a reason in err (a key type that cannot be
 * kept apart: RSA and EC can). */
EVP_PKEY	*tls_key_proxy(X509 *cert, char *err, size_t errlen);
void		 tls_key_channel(int fd);

/* OpenSSL's first queued error (or errno) as "what: reason". */
void		 tls_key_sslerr(char *err, size_t errlen, const char *what);

#endif
