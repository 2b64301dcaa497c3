/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * tls_key.c: the TLS private key is held by one small process, the key
 * process, and by nothing that reads from the network. The privileged
 * parent reads the key file's bytes (tls_key_read: read(2) into memory
 * it wipes, no stdio buffer) and forks the key process; it never
 * decodes them, for OpenSSL's decoders leave the key's numbers in
 * memory they free. The key process decodes them (tls_key_decode,
 * from a BIO over those bytes), has them checked against the
 * certificate, makes its key (tls_key_new), drops its privileges,
 * confines itself and answers signing requests (tls_key_serve). A
 * worker's SSL_CTX holds the certificate and a key object made from
 * the certificate's public key whose private operations (RSA's
 * private encryption and decryption, ECDSA's sign) are sent to the
 * key process over the worker's own channel, a SOCK_SEQPACKET
 * socketpair, one request and one answer a message (tls_key_proxy). A
 * worker that is taken over can ask for signatures
 * while it lives, as a relayd or gmid worker can, but cannot take the
 * key away: it is not in its memory, and outlives no key rotation.
 *
 * The forwarding uses OpenSSL's RSA_METHOD and EC_KEY_METHOD. OpenSSL
 * 3 marks them deprecated in favour of providers; it still runs keys
 * with such a method on its own path, and a provider would be a key
 * manager and a signature implementation, several times this code, for
 * the same two calls. Ed25519 keys have no such method: they are
 * refused with a reason (Gemini clients seldom meet them).
 */

#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA_METHOD, EC_KEY_METHOD */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "buf.h"
#include "log.h"
#include "msg.h"
#include "tls_key.h"

#define KEY_DATA_MAX	2048		/* an RSA block of 16,384 bits */
#define KEY_CHANNELS	(4 * 64 + 8)	/* workers of two generations */
#define KEY_FILE_MAX	(1024 * 1024)
#define KEY_WAIT_SECS	5		/* for an answer */

enum key_op {
	KEY_RSA_ENC = 1,		/* RSA private encryption (sign) */
	KEY_RSA_DEC,			/* RSA private decryption */
	KEY_EC_SIGN			/* ECDSA over a digest */
};

struct key_req {
	uint32_t	 op;
	int32_t		 padding;	/* RSA's */
	uint32_t	 len;
	unsigned char	 data[KEY_DATA_MAX];
};

struct key_rep {
	int32_t		 len;		/* -1: refused */
	unsigned char	 data[KEY_DATA_MAX];
};

#define KEY_REQ_HEAD	offsetof(struct key_req, data)
#define KEY_REP_HEAD	offsetof(struct key_rep, data)

struct tls_key {
	RSA		*rsa;		/* one of the two */
	EC_KEY		*ec;
};

static int		 key_fd = -1;	/* a worker's channel */

void
tls_key_sslerr(char *err, size_t errlen, const char *what)
{
	unsigned long	 e = ERR_get_error();
	char		 msg[256];

	ERR_error_string_n(e, msg, sizeof(msg));
	snprintf(err, errlen, "%s: %s", what, e ? msg : strerror(errno));
	ERR_clear_error();
}

/* a passphrase is never asked for: start-up does not wait on a
 * terminal */
static int
no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return 0;
}

/* --- the parent --- */

int
tls_key_read(const char *path, struct buf *b)
{
	struct stat	 st;
	int		 fd, saved;

	tls_key_wipe(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (st.st_size > KEY_FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	/* room for the file and one byte more, to see its end in one
	 * read: no stdio buffer, and a wiped copy only if it grew */
	if (buf_read_secret(b, fd, KEY_FILE_MAX, (size_t)st.st_size + 1) ==
	    -1)
		goto fail;
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	tls_key_wipe(b);
	errno = saved;
	return -1;
}

void
tls_key_wipe(struct buf *b)
{
	if (b->data != NULL)
		OPENSSL_cleanse(b->data, b->cap);
	buf_free(b);
}

int
tls_key_chain(const char *cert, struct buf *chain, char *err,
    size_t errlen)
{
	X509	*x;

	if (tls_key_read(cert, chain) == -1) {
		snprintf(err, errlen, "%s: %s", cert, strerror(errno));
		return -1;
	}
	if (chain->len == 0) {
		snprintf(err, errlen, "%s: empty", cert);
		return -1;
	}
	if ((x = tls_key_cert(chain)) == NULL) {
		tls_key_sslerr(err, errlen, cert);
		return -1;
	}
	X509_free(x);
	return 0;
}

/* a read-only BIO over b's bytes: no copy of them; NULL if none */
static BIO *
bio_over(const struct buf *b)
{
	return b->len <= INT_MAX ? BIO_new_mem_buf(b->data, (int)b->len) :
	    NULL;
}

X509 *
tls_key_cert(const struct buf *chain)
{
	BIO	*bio;
	X509	*x = NULL;

	if ((bio = bio_over(chain)) != NULL) {
		x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
		BIO_free(bio);
	}
	return x;
}

/* --- the key process --- */

EVP_PKEY *
tls_key_decode(const struct buf *pem)
{
	BIO		*bio;
	EVP_PKEY	*pkey = NULL;

	if ((bio = bio_over(pem)) != NULL) {
		pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
		    NULL);
		BIO_free(bio);
	}
	return pkey;
}

/* a key the key process can sign with: RSA or EC (the methods below) */
int
tls_key_kind_ok(EVP_PKEY *pkey)
{
	int	 id = EVP_PKEY_get_base_id(pkey);

	return id == EVP_PKEY_RSA || id == EVP_PKEY_EC;
}

struct tls_key *
tls_key_new(EVP_PKEY *pkey, const char *path, char *err, size_t errlen)
{
	struct tls_key	*k;
	int		 id;

	if (pkey == NULL) {
		snprintf(err, errlen, "%s: no key", path);
		return NULL;
	}
	id = EVP_PKEY_get_base_id(pkey);

	if (!tls_key_kind_ok(pkey)) {
		snprintf(err, errlen, "%s: a key of type %s: only RSA and EC "
		    "keys can be kept out of the workers", path,
		    OBJ_nid2sn(id));
		EVP_PKEY_free(pkey);
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		EVP_PKEY_free(pkey);
		return NULL;
	}
	if (id == EVP_PKEY_RSA)
		k->rsa = EVP_PKEY_get1_RSA(pkey);
	else
		k->ec = EVP_PKEY_get1_EC_KEY(pkey);
	EVP_PKEY_free(pkey);
	if (k->rsa == NULL && k->ec == NULL) {
		tls_key_sslerr(err, errlen, path);
		free(k);
		return NULL;
	}
	return k;
}

void
tls_key_free(struct tls_key *k)
{
	if (k == NULL)
		return;
	RSA_free(k->rsa);
	EC_KEY_free(k->ec);
	free(k);
}

static int
answer(struct tls_key *k, const struct key_req *q, size_t n,
    struct key_rep *a)
{
	unsigned int	 siglen;
	int		 r = -1;

	if (n < KEY_REQ_HEAD || q->len > KEY_DATA_MAX ||
	    n != KEY_REQ_HEAD + q->len)
		return -1;
	switch (q->op) {
	case KEY_RSA_ENC:
	case KEY_RSA_DEC:
		if (k->rsa == NULL || (size_t)RSA_size(k->rsa) > KEY_DATA_MAX)
			break;
		r = q->op == KEY_RSA_ENC ?
		    RSA_private_encrypt((int)q->len, q->data, a->data,
		    k->rsa, q->padding) :
		    RSA_private_decrypt((int)q->len, q->data, a->data,
		    k->rsa, q->padding);
		break;
	case KEY_EC_SIGN:
		if (k->ec == NULL || (size_t)ECDSA_size(k->ec) > KEY_DATA_MAX)
			break;
		if (ECDSA_sign(0, q->data, (int)q->len, a->data, &siglen,
		    k->ec) == 1)
			r = (int)siglen;
		break;
	}
	ERR_clear_error();
	return r;
}

/* one request on a channel: 0, or -1 when the channel is done */
static int
serve_one(struct tls_key *k, int fd)
{
	struct key_req	 q;
	struct key_rep	 a;
	ssize_t		 n;

	do
		n = read(fd, &q, sizeof(q));
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return -1;
	a.len = answer(k, &q, (size_t)n, &a);
	n = KEY_REP_HEAD + (a.len > 0 ? (size_t)a.len : 0);
	OPENSSL_cleanse(&q, sizeof(q));
	return write(fd, &a, (size_t)n) == n ? 0 : -1;
}

/*
 * Serve k: reg brings the workers' channels (from the master), a
 * request on one is answered; ctl, the parent's channel (-1 for none),
 * brings log files opened again after a rotation (log_adopt). It
 * returns when reg and every channel are closed.
 */
void
tls_key_serve(struct tls_key *k, int reg, int ctl)
{
	struct pollfd	 pfd[2 + KEY_CHANNELS];
	struct buf	 b = BUF_INIT;
	int		 fds[MSG_FDS], nfds, n = 2, i, j, type, r;

	pfd[0].fd = reg;
	pfd[0].events = POLLIN;
	pfd[1].fd = ctl;		/* poll skips it when -1 */
	pfd[1].events = POLLIN;
	while (n > 2 || pfd[0].fd != -1) {
		if (poll(pfd, n, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			break;
		}
		for (i = n - 1; i >= 2; i--)
			if (pfd[i].revents != 0 &&
			    serve_one(k, pfd[i].fd) == -1) {
				close(pfd[i].fd);
				pfd[i] = pfd[--n];
			}
		if (pfd[1].fd != -1 && pfd[1].revents != 0) {
			if (msg_recv(ctl, &type, &b, fds, &nfds) == 1)
				(void)log_adopt(fds, nfds);
			else {
				close(ctl);
				pfd[1].fd = -1;	/* the parent let go */
			}
		}
		if (pfd[0].fd == -1 || pfd[0].revents == 0)
			continue;
		if ((r = msg_recv(reg, &type, &b, fds, &nfds)) <= 0) {
			if (r == -1)
				log_warn("key process: master");
			close(reg);
			pfd[0].fd = -1;	/* the master is done with us */
			continue;
		}
		for (j = 0; j < nfds; j++) {
			if (n == 2 + KEY_CHANNELS) {
				log_warnx("key process: too many channels");
				close(fds[j]);
				continue;
			}
			pfd[n].fd = fds[j];
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
	}
	if (pfd[1].fd != -1)
		close(pfd[1].fd);
	buf_free(&b);
}

/* --- a worker --- */

void
tls_key_channel(int fd)
{
	/* a key process that hangs must not hang the worker with it:
	 * the handshake fails after this long, the others go on */
	struct timeval	 tv = { KEY_WAIT_SECS, 0 };

	if (fd != -1 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1)
		log_warn("key channel");
	key_fd = fd;
}

/* ask the key process; the answer's length, or -1 */
static int
ask(enum key_op op, int padding, const unsigned char *from, int flen,
    unsigned char *to, int tomax)
{
	struct key_req	 q;
	struct key_rep	 a;
	ssize_t		 n;

	if (key_fd == -1 || flen < 0 || flen > KEY_DATA_MAX)
		return -1;
	q.op = op;
	q.padding = padding;
	q.len = (uint32_t)flen;
	memcpy(q.data, from, (size_t)flen);
	n = (ssize_t)(KEY_REQ_HEAD + (size_t)flen);
	if (write(key_fd, &q, (size_t)n) != n)
		return -1;
	do
		n = read(key_fd, &a, sizeof(a));
	while (n == -1 && errno == EINTR);
	if (n < (ssize_t)KEY_REP_HEAD || a.len < 0 || a.len > tomax ||
	    (size_t)n != KEY_REP_HEAD + (size_t)a.len)
		return -1;
	memcpy(to, a.data, (size_t)a.len);
	return a.len;
}

static int
rsa_enc(int flen, const unsigned char *from, unsigned char *to, RSA *rsa,
    int padding)
{
	return ask(KEY_RSA_ENC, padding, from, flen, to, RSA_size(rsa));
}

static int
rsa_dec(int flen, const unsigned char *from, unsigned char *to, RSA *rsa,
    int padding)
{
	return ask(KEY_RSA_DEC, padding, from, flen, to, RSA_size(rsa));
}

static int
ec_sign(int type, const unsigned char *dgst, int dlen, unsigned char *sig,
    unsigned int *siglen, const BIGNUM *kinv, const BIGNUM *r, EC_KEY *ec)
{
	int	 n;

	(void)type;
	(void)kinv;
	(void)r;
	if ((n = ask(KEY_EC_SIGN, 0, dgst, dlen, sig, ECDSA_size(ec))) < 0)
		return 0;
	*siglen = (unsigned int)n;
	return 1;
}

/* the methods, made once a process and kept: a key object holds them */
static RSA_METHOD *
rsa_method(void)
{
	static RSA_METHOD	*m;

	if (m == NULL && (m = RSA_meth_dup(RSA_get_default_method())) !=
	    NULL) {
		RSA_meth_set1_name(m, "bantin key process");
		RSA_meth_set_priv_enc(m, rsa_enc);
		RSA_meth_set_priv_dec(m, rsa_dec);
	}
	return m;
}

static EC_KEY_METHOD *
ec_method(void)
{
	static EC_KEY_METHOD	*m;
	int			(*setup)(EC_KEY *, BN_CTX *, BIGNUM **,
				    BIGNUM **);
	ECDSA_SIG		*(*sig)(const unsigned char *, int,
				    const BIGNUM *, const BIGNUM *, EC_KEY *);

	if (m == NULL && (m = EC_KEY_METHOD_new(EC_KEY_get_default_method()))
	    != NULL) {
		EC_KEY_METHOD_get_sign(m, NULL, &setup, &sig);
		EC_KEY_METHOD_set_sign(m, ec_sign, setup, sig);
	}
	return m;
}

EVP_PKEY *
tls_key_proxy(X509 *cert, char *err, size_t errlen)
{
	EVP_PKEY	*pub, *pk = NULL;
	RSA		*rsa = NULL;
	EC_KEY		*ec = NULL;

	if ((pub = X509_get0_pubkey(cert)) == NULL) {
		tls_key_sslerr(err, errlen, "certificate's public key");
		return NULL;
	}
	if ((pk = EVP_PKEY_new()) == NULL)
		goto fail;
	switch (EVP_PKEY_get_base_id(pub)) {
	case EVP_PKEY_RSA:
		/* a copy of the public key, with our method */
		if ((rsa = EVP_PKEY_get1_RSA(pub)) == NULL ||
		    rsa_method() == NULL ||
		    !RSA_set_method(rsa, rsa_method()) ||
		    !EVP_PKEY_assign_RSA(pk, rsa))
			goto fail;
		return pk;
	case EVP_PKEY_EC:
		if ((ec = EVP_PKEY_get1_EC_KEY(pub)) == NULL ||
		    ec_method() == NULL ||
		    !EC_KEY_set_method(ec, ec_method()) ||
		    !EVP_PKEY_assign_EC_KEY(pk, ec))
			goto fail;
		return pk;
	default:
		snprintf(err, errlen, "a %s certificate: only RSA and EC "
		    "keys can be kept out of the workers",
		    OBJ_nid2sn(EVP_PKEY_get_base_id(pub)));
		EVP_PKEY_free(pk);
		return NULL;
	}
fail:
	tls_key_sslerr(err, errlen, "key object");
	RSA_free(rsa);
	EC_KEY_free(ec);
	EVP_PKEY_free(pk);
	return NULL;
}
