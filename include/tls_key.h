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

/* The privileged parent: the whole file at path into b, by read(2)
 * into memory no other copy of it outlives (no stdio buffer; a block
 * that grows is wiped), for the key process to decode: the parent
 * never decodes a key. b is emptied first; -1 and errno (EFBIG past
 * a megabyte). */
int		 tls_key_read(const char *path, struct buf *b);
/* b's memory wiped, then freed. */
void		 tls_key_wipe(struct buf *b);
/* The certificate chain's PEM text into chain (tls_key_read), checked
 * to start with a certificate; -1 and a reason in err. */
int		 tls_key_chain(const char *cert, struct buf *chain, char *err,
		    size_t errlen);
/* The first certificate of chain's PEM text, or NULL. */
X509		*tls_key_cert(const struct buf *chain);

/* The key process: the private key in a key file's bytes (never a
 * passphrase asked for), decoded from a BIO over them; NULL if none. */
EVP_PKEY	*tls_key_decode(const struct buf *pem);
int		 tls_key_kind_ok(EVP_PKEY *);
/* The key the key process serves, made of pkey, which it frees: RSA
 * and EC keys; NULL and a reason in err, path's name in it. */
struct tls_key	*tls_key_new(EVP_PKEY *pkey, const char *path, char *err,
		    size_t errlen);
void		 tls_key_free(struct tls_key *);
/* The key process: answer signing requests on every channel the
 * master sends over reg (one per worker), until reg and every channel
 * are closed; take the log files the parent sends over ctl, its own
 * channel (-1: none), after a rotation. */
void		 tls_key_serve(struct tls_key *, int reg, int ctl);

/* A worker: the key object for cert's public key whose private
 * operations are asked of the key process, over the channel set with
 * tls_key_channel. NULL and a reason in err (a key type that cannot be
 * kept apart: RSA and EC can). */
EVP_PKEY	*tls_key_proxy(X509 *cert, char *err, size_t errlen);
void		 tls_key_channel(int fd);

/* OpenSSL's first queued error (or errno) as "what: reason". */
void		 tls_key_sslerr(char *err, size_t errlen, const char *what);

#endif
