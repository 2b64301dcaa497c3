/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * tls.c: every call into OpenSSL lives here and in tls_key.c (the
 * private key and its process); config.c only asks OpenSSL whether a
 * cipher list names anything, certcheck.c reads certificates and keys
 * to check them before they are used. conn.c sees only
 * TLS_OK / TLS_WANT_READ / TLS_WANT_WRITE / TLS_EOF / TLS_ERR.
 *
 * TLS 1.2 is offered with the suites of [gemini] ciphers only; the
 * default takes ECDHE with AES-GCM or ChaCha20-Poly1305: no CBC, no
 * static RSA key exchange (OpenSSL's default list has both). TLS 1.3
 * keeps OpenSSL's suites, all of them AEAD.
 *
 * Session tickets: the ticket keys are derived from a secret and from
 * the current 12-hour period, so every worker encrypts and decrypts the
 * same tickets (a resumption works whichever worker accepts it), keys
 * rotate without any message between processes, and a ticket of the
 * previous period is still accepted (and renewed). The secret is the
 * context's: random, made once in the master before the workers are
 * forked, or the file of [gemini] ticket_secret (tls_ctx_tickets), so
 * that every instance behind one load balancer, sharing that file,
 * resumes the sessions of the others.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"
#include "tls_key.h"

#define TLS_TICKET_PERIOD	(12 * 3600)	/* key rotation, seconds */
#define TLS_CERT_DAYS		(365 * 30)	/* clients pin it: long */

/* the key material of one ticket period: name, AES key, HMAC key */
struct ticket_keys {
	long		 period;	/* -1: none yet */
	unsigned char	 name[16], aes[32], mac[32];
};

struct tls_ctx {
	SSL_CTX			*ctx;
	unsigned char		 secret[32];	/* of the ticket keys */
	struct ticket_keys	 keys[2];	/* by period, odd and even */
};

/* what the cork holds at most: a record of 16 KB and its overhead, a
 * ticket and a close_notify; more goes straight through */
#define TLS_CORK_MAX	(16384 + 1024)

struct cork {
	char		*buf;		/* NULL while it holds nothing */
	size_t		 len;		/* bytes held */
	size_t		 off;		/* of them, already written */
};

struct tls {
	SSL		*ssl;
	int		 shutdown_sent;
};

/* made once per master: without a secret file, tickets stay valid
 * across reloads */
static unsigned char	 random_secret[32];
static int		 random_secret_set;


/* write PEM output to path atomically, with the given mode */
static int
write_pem(const char *path, mode_t mode, int (*wr)(FILE *, void *),
    void *obj)
{
	char	 tmp[4096];
	FILE	*f = NULL;
	int	 fd = -1, r;

	r = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (r < 0 || (size_t)r >= sizeof(tmp))
		return -1;
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode))
	    == -1)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto fail;
	}
	if (!wr(f, obj) || fflush(f) != 0 || fsync(fileno(f)) == -1) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	unlink(tmp);
	return -1;
}

static int
wr_key(FILE *f, void *k)
{
	return PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
}

static int
wr_cert(FILE *f, void *x)
{
	return PEM_write_X509(f, x);
}

int
tls_generate(const char *cert, const char *key, const char *hostname,
    char *err, size_t errlen)
{
	EVP_PKEY	*pkey = NULL;
	X509		*x = NULL;
	X509_NAME	*name;
	X509_EXTENSION	*ext = NULL;
	X509V3_CTX	 v3;
	unsigned char	 serial[16];
	BIGNUM		*bn = NULL;
	char		 san[300];
	int		 ret = -1;

	if (access(cert, F_OK) == 0 && access(key, F_OK) == 0)
		return 0;
	if ((pkey = EVP_EC_gen("P-256")) == NULL) {
		tls_key_sslerr(err, errlen, "EC key generation");
		goto done;
	}
	if ((x = X509_new()) == NULL)
		goto sslfail;
	X509_set_version(x, 2);
	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	if ((bn = BN_bin2bn(serial, sizeof(serial), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto sslfail;
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_time_adj_ex(X509_getm_notAfter(x), TLS_CERT_DAYS, 0, NULL);
	X509_set_pubkey(x, pkey);
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)hostname, -1, -1, 0))
		goto sslfail;
	X509_set_issuer_name(x, name);
	snprintf(san, sizeof(san), "DNS:%s", hostname);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
	    san)) == NULL || !X509_add_ext(x, ext, -1))
		goto sslfail;
	if (!X509_sign(x, pkey, EVP_sha256()))
		goto sslfail;
	if (write_pem(key, 0600, wr_key, pkey) == -1) {
		snprintf(err, errlen, "%s: %s", key, strerror(errno));
		goto done;
	}
	if (write_pem(cert, 0644, wr_cert, x) == -1) {
		snprintf(err, errlen, "%s: %s", cert, strerror(errno));
		goto done;
	}
	ret = 0;
	goto done;
sslfail:
	tls_key_sslerr(err, errlen, "certificate generation");
done:
	X509_EXTENSION_free(ext);
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(pkey);
	return ret;
}

/*
 * Key material for a ticket period, derived from the context's secret
 * once per period and process, then kept: every handshake issues a
 * ticket and three HMACs each time would show in the profile. The
 * period goes in as 8 bytes, most significant first, so that instances
 * of any word size and byte order derive the same keys from one
 * secret.
 */
static struct ticket_keys *
ticket_keys(struct tls_ctx *t, long period)
{
	struct ticket_keys	*k = &t->keys[period & 1];
	unsigned char		 in[16], out[EVP_MAX_MD_SIZE];
	unsigned long long	 p = (unsigned long long)period;
	unsigned int		 olen;
	int			 i, j;

	if (k->period == period)
		return k;
	for (i = 0; i < 3; i++) {
		memset(in, 0, sizeof(in));
		for (j = 0; j < 8; j++)
			in[j] = (unsigned char)(p >> (56 - 8 * j));
		in[15] = (unsigned char)i;
		HMAC(EVP_sha256(), t->secret, sizeof(t->secret), in,
		    sizeof(in), out, &olen);
		if (i == 0)
			memcpy(k->name, out, sizeof(k->name));
		else
			memcpy(i == 1 ? k->aes : k->mac, out, 32);
	}
	k->period = period;
	return k;
}

static int
ticket_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv,
    EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *mctx, int enc)
{
	struct tls_ctx		*t = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	struct ticket_keys	*k = NULL;
	OSSL_PARAM		 params[3];
	char			 digest[] = "SHA256";
	long			 period;
	int			 i, renew = 0;
	static EVP_CIPHER	*aes256;

	period = (long)(time(NULL) / TLS_TICKET_PERIOD);

	/* an explicit fetch, once: the implicit one costs every handshake */
	if (aes256 == NULL &&
	    (aes256 = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL)) == NULL)
		return -1;
	if (enc) {
		k = ticket_keys(t, period);
		memcpy(key_name, k->name, 16);
		if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(aes256)) <= 0)
			return -1;
	} else {
		for (i = 0; i < 2; i++) {
			k = ticket_keys(t, period - i);
			if (memcmp(key_name, k->name, 16) == 0)
				break;
		}
		/* unknown key (another secret, or older): a full
		 * handshake */
		if (i == 2)
			return 0;
		renew = (i == 1);
	}
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
	    k->mac, sizeof(k->mac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    digest, 0);
	params[2] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(mctx, params))
		return -1;
	if (enc) {
		if (!EVP_EncryptInit_ex(cctx, aes256, NULL, k->aes, iv))
			return -1;
		return 1;
	}
	if (!EVP_DecryptInit_ex(cctx, aes256, NULL, k->aes, iv))
		return -1;
	return renew ? 2 : 1;
}

/*
 * The certificate and its chain from their PEM text, and a key object
 * whose private operations the key process does (tls_key.c): no
 * private key is ever in this process.
 */
static int
use_chain(SSL_CTX *ctx, const char *pem, size_t len, char *err,
    size_t errlen)
{
	BIO		*bio;
	X509		*x = NULL;
	EVP_PKEY	*pk = NULL;
	int		 ret = -1;

	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL ||
	    (x = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) == NULL ||
	    SSL_CTX_use_certificate(ctx, x) != 1) {
		tls_key_sslerr(err, errlen, "certificate");
		goto done;
	}
	X509_free(x);
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			tls_key_sslerr(err, errlen, "certificate chain");
			goto done;
		}
	ERR_clear_error();		/* the end of the text */
	if ((pk = tls_key_proxy(SSL_CTX_get0_certificate(ctx), err, errlen))
	    == NULL)
		goto done;
	if (SSL_CTX_use_PrivateKey(ctx, pk) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tls_key_sslerr(err, errlen, "key does not match certificate");
		goto done;
	}
	ret = 0;
done:
	EVP_PKEY_free(pk);
	X509_free(x);
	BIO_free(bio);
	return ret;
}

struct tls_ctx *
tls_ctx_new(const char *chain, size_t len, const char *ciphers,
    char *err, size_t errlen)
{
	struct tls_ctx	*t;
	SSL_CTX		*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		tls_key_sslerr(err, errlen, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_set_cipher_list(ctx, ciphers) != 1) {
		tls_key_sslerr(err, errlen, "ciphers");
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
	/* buffers are freed while a connection idles: lean held conns */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS |
	    SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* stateless tickets only: no per-process session cache to share */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 1);
	/* read what the socket has, not a record header and then its
	 * body: a ClientHello, a Finished and a request in as few reads
	 * as the client's writes (conn.c never waits while OpenSSL holds
	 * a whole record: it waits only on WANT_READ) */
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"bantin",
	    6);
	if (use_chain(ctx, chain, len, err, errlen) == -1)
		goto fail;
	/* once per master: tickets stay valid across reloads */
	if (!random_secret_set) {
		if (RAND_bytes(random_secret, sizeof(random_secret)) != 1) {
			tls_key_sslerr(err, errlen, "RAND_bytes");
			goto fail;
		}
		random_secret_set = 1;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	t->ctx = ctx;
	memcpy(t->secret, random_secret, sizeof(t->secret));
	t->keys[0].period = t->keys[1].period = -1;
	SSL_CTX_set_app_data(ctx, t);
	SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb);
	return t;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * The file's secret, of any length, pressed into the 32 bytes the
 * ticket keys are derived from; a label keeps them apart from any other
 * use an operator makes of the same file.
 */
int
tls_ctx_tickets(struct tls_ctx *t, const void *secret, size_t len,
    char *err, size_t errlen)
{
	static const char	 label[] = "bantin session ticket secret";
	unsigned int		 olen;

	if (HMAC(EVP_sha256(), secret, (int)len, (const unsigned char *)label,
	    sizeof(label) - 1, t->secret, &olen) == NULL ||
	    olen != sizeof(t->secret)) {
		tls_key_sslerr(err, errlen, "ticket secret");
		return -1;
	}
	t->keys[0].period = t->keys[1].period = -1;
	return 0;
}

int
tls_ctx_own_key(struct tls_ctx *t, const char *key, char *err,
    size_t errlen)
{
	if (SSL_CTX_use_PrivateKey_file(t->ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(t->ctx) != 1) {
		tls_key_sslerr(err, errlen, key);
		return -1;
	}
	return 0;
}

void
tls_ctx_free(struct tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	explicit_bzero(t, sizeof(*t));
	free(t);
}

/*
 * The cork: a filter BIO between OpenSSL and the socket, for writing.
 * OpenSSL flushes at the end of each flight and after each
 * NewSessionTicket, and writes each record as it is made; the cork
 * holds all of it until bantin is about to wait for the peer (a call
 * below returns TLS_WANT_READ) or to close (tls_shutdown). So a TLS 1.3
 * ticket, the reply and the close_notify leave in one write(2) and one
 * TCP segment, where they were three. Nothing is held while a
 * connection waits: an idle connection carries no buffer.
 */
static int
cork_push(BIO *b)
{
	struct cork	*k = BIO_get_data(b);
	size_t		 n;

	BIO_clear_retry_flags(b);
	while (k->off < k->len) {
		if (BIO_write_ex(BIO_next(b), k->buf + k->off,
		    k->len - k->off, &n) != 1) {
			BIO_copy_next_retry(b);
			return 0;
		}
		k->off += n;
	}
	free(k->buf);
	k->buf = NULL;
	k->len = k->off = 0;
	return 1;
}

static int
cork_write(BIO *b, const char *data, size_t len, size_t *written)
{
	struct cork	*k = BIO_get_data(b);
	char		*nb;

	*written = 0;
	if (BIO_next(b) == NULL)
		return 0;
	if (k->len + len <= TLS_CORK_MAX) {
		/* the first bytes take the whole size at once: what
		 * follows (a page's records) is seldom far behind */
		if (k->buf == NULL) {
			if ((nb = malloc(TLS_CORK_MAX)) == NULL)
				goto through;
			k->buf = nb;
		}
		memcpy(k->buf + k->len, data, len);
		k->len += len;
		*written = len;
		return 1;
	}
through:
	/* too much to hold: what is held first, then this */
	if (cork_push(b) != 1)
		return 0;
	if (BIO_write_ex(BIO_next(b), data, len, written) != 1) {
		BIO_copy_next_retry(b);
		return 0;
	}
	return 1;
}

static long
cork_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct cork	*k = BIO_get_data(b);

	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;	/* held until flush() */
	case BIO_CTRL_WPENDING:
		return (long)(k->len - k->off) +
		    (BIO_next(b) ? BIO_ctrl(BIO_next(b), cmd, num, ptr) : 0);
	default:
		return BIO_next(b) ? BIO_ctrl(BIO_next(b), cmd, num, ptr) : 0;
	}
}

static int
cork_create(BIO *b)
{
	struct cork	*k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return 0;
	BIO_set_data(b, k);
	BIO_set_init(b, 1);
	return 1;
}

static int
cork_destroy(BIO *b)
{
	struct cork	*k = BIO_get_data(b);

	if (k != NULL) {
		free(k->buf);
		free(k);
	}
	BIO_set_data(b, NULL);
	return 1;
}

static BIO_METHOD *
cork_method(void)
{
	static BIO_METHOD	*m;

	if (m != NULL)
		return m;
	if ((m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_FILTER,
	    "bantin cork")) == NULL)
		return NULL;
	if (!BIO_meth_set_write_ex(m, cork_write) ||
	    !BIO_meth_set_ctrl(m, cork_ctrl) ||
	    !BIO_meth_set_create(m, cork_create) ||
	    !BIO_meth_set_destroy(m, cork_destroy)) {
		BIO_meth_free(m);
		m = NULL;
	}
	return m;
}

/* what the cork holds goes out: TLS_OK once it is all sent */
static enum tls_result
flush(struct tls *c)
{
	BIO	*b = SSL_get_wbio(c->ssl);

	if (b == NULL || BIO_method_type(b) == BIO_TYPE_SOCKET)
		return TLS_OK;
	if (cork_push(b) == 1)
		return TLS_OK;
	if (BIO_should_retry(b))
		return TLS_WANT_WRITE;
	ERR_clear_error();
	return TLS_ERR;
}

struct tls *
tls_new(struct tls_ctx *t, int fd)
{
	struct tls	*c;
	BIO		*sock = NULL, *cork = NULL;
	BIO_METHOD	*m;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->ssl = SSL_new(t->ctx)) == NULL ||
	    (sock = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL)
		goto fail;
	/* without the cork (out of memory), writes go straight out */
	if ((m = cork_method()) != NULL && (cork = BIO_new(m)) != NULL) {
		/* the chain takes its own reference to the socket BIO,
		 * which is the read BIO too */
		BIO_up_ref(sock);
		BIO_push(cork, sock);
		SSL_set_bio(c->ssl, sock, cork);
	} else
		SSL_set_bio(c->ssl, sock, sock);
	SSL_set_accept_state(c->ssl);
	return c;
fail:
	BIO_free(sock);
	SSL_free(c->ssl);
	free(c);
	ERR_clear_error();
	return NULL;
}

static enum tls_result
result(struct tls *c, int r)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_EOF;
	default:
		ERR_clear_error();
		/* no close_notify after a fatal error (RFC 8446, 6.2) */
		c->shutdown_sent = 1;
		return TLS_ERR;
	}
}

/* Before waiting for the peer, what the cork holds must go; and an
 * alert OpenSSL wrote before failing goes too, as best it can. */
static enum tls_result
settle(struct tls *c, enum tls_result r)
{
	enum tls_result	 f;

	if (r == TLS_WANT_WRITE)
		return r;
	f = flush(c);
	return r == TLS_WANT_READ && f != TLS_OK ? f : r;
}

enum tls_result
tls_handshake(struct tls *c)
{
	int	 r;

	if ((r = SSL_do_handshake(c->ssl)) == 1)
		return TLS_OK;
	return settle(c, result(c, r));
}

enum tls_result
tls_read(struct tls *c, void *p, size_t len, size_t *n)
{
	int	 r;

	*n = 0;
	if ((r = SSL_read_ex(c->ssl, p, len, n)) == 1)
		return TLS_OK;
	return settle(c, result(c, r));
}

enum tls_result
tls_write(struct tls *c, const void *p, size_t len, size_t *n)
{
	int	 r;

	*n = 0;
	if ((r = SSL_write_ex(c->ssl, p, len, n)) == 1)
		return TLS_OK;
	return result(c, r);
}

enum tls_result
tls_shutdown(struct tls *c)
{
	int	 r;

	if (c->shutdown_sent)
		return flush(c);
	/* Gemini closes after the response: send our close_notify and do
	 * not wait for the peer's */
	r = SSL_shutdown(c->ssl);
	if (r >= 0) {
		c->shutdown_sent = 1;
		return flush(c);
	}
	return result(c, r);
}

void
tls_free(struct tls *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	free(c);
}

/*
 * Client certificates (Titan and /publish). Gemini clients make their
 * own self-signed identities, so any certificate is taken here, as
 * gmid and molly-brown do: what matters is the key it proves, named by
 * its fingerprint, and the dates, which the caller checks. Clients
 * send one only when their user chose an identity for the site, so
 * readers are never asked anything.
 */
static int
accept_any(int ok, X509_STORE_CTX *store)
{
	(void)ok;
	(void)store;
	return 1;
}

void
tls_ctx_ask_cert(struct tls_ctx *t)
{
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, accept_any);
}

static time_t
asn1_time(const ASN1_TIME *a)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return timegm(&tm);
}

/* A resumed session carries the certificate of the handshake it came
 * from (OpenSSL keeps it in the session, and so in the ticket). */
int
tls_peer(struct tls *c, struct tls_peer *p)
{
	X509		*x;
	unsigned int	 n = sizeof(p->sha256);

	if ((x = SSL_get0_peer_certificate(c->ssl)) == NULL)
		return -1;
	if (X509_digest(x, EVP_sha256(), p->sha256, &n) != 1 ||
	    n != sizeof(p->sha256)) {
		ERR_clear_error();
		return -1;
	}
	p->not_before = asn1_time(X509_get0_notBefore(x));
	p->not_after = asn1_time(X509_get0_notAfter(x));
	return 0;
}
