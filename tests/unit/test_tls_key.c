/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_tls_key: messages between processes (msg.c) keep their bounds
 * and carry descriptors; the key process (tls_key.c) signs for a key
 * object that holds only the public key, in each way TLS asks (ECDSA,
 * RSA PKCS#1 and PSS), and the signatures verify against the
 * certificate; a key that cannot be kept apart is refused with a
 * reason; key files are read whole, as bytes (the key process decodes
 * them).
 */

#define OPENSSL_SUPPRESS_DEPRECATED

#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "buf.h"
#include "msg.h"
#include "tls_key.h"
#include "t.h"

static char	 dir[] = "/tmp/test_tls_key.XXXXXX";

/* --- msg.c --- */

static void
test_msg(void)
{
	struct buf	 b = BUF_INIT;
	int		 sv[2], p[2], fds[MSG_FDS], nfds, type, many[MSG_FDS + 1];
	int		 i;
	char		 c;
	static char	 big[MSG_MAX + 1];

	CHECK(msg_pair(sv) == 0);
	CHECK(pipe(p) == 0);
	/* bytes and a descriptor that works on the other side */
	CHECK(msg_send(sv[0], 7, "hello", 5, &p[1], 1) == 0);
	CHECK(msg_recv(sv[1], &type, &b, fds, &nfds) == 1);
	CHECK_INT(type, 7);
	CHECK_INT(b.len, 5);
	CHECK_STR(b.data, "hello");
	CHECK_INT(nfds, 1);
	if (nfds == 1) {
		CHECK(write(fds[0], "x", 1) == 1);
		CHECK(read(p[0], &c, 1) == 1 && c == 'x');
		CHECK((fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0);
		close(fds[0]);
	}
	/* two messages stay two, an empty one included */
	CHECK(msg_send(sv[0], 1, "ab", 2, NULL, 0) == 0);
	CHECK(msg_send(sv[0], 2, NULL, 0, NULL, 0) == 0);
	CHECK(msg_recv(sv[1], &type, &b, fds, &nfds) == 1 && type == 1 &&
	    b.len == 2 && nfds == 0);
	CHECK(msg_recv(sv[1], &type, &b, fds, &nfds) == 1 && type == 2 &&
	    b.len == 0);
	/* past the limits: refused before anything is sent */
	errno = 0;
	CHECK(msg_send(sv[0], 1, big, sizeof(big), NULL, 0) == -1 &&
	    errno == EMSGSIZE);
	for (i = 0; i < MSG_FDS + 1; i++)
		many[i] = p[0];
	CHECK(msg_send(sv[0], 1, NULL, 0, many, MSG_FDS + 1) == -1);
	CHECK(msg_send(sv[0], 1, big, MSG_MAX, many, MSG_FDS) == 0);
	CHECK(msg_recv(sv[1], &type, &b, fds, &nfds) == 1 &&
	    b.len == MSG_MAX && nfds == MSG_FDS);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	/* the other end closed: end of file */
	close(sv[0]);
	CHECK(msg_recv(sv[1], &type, &b, fds, &nfds) == 0);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
	buf_free(&b);
}

/* --- tls_key.c --- */

static const struct kcase {
	const char	*name;
	const char	*genkey;	/* openssl req -newkey */
	int		 pss;		/* RSA: PSS padding */
	const char	*refused;	/* tls_key_new's reason, or NULL */
} kcases[] = {
	{ "ec-p256", "ec -pkeyopt ec_paramgen_curve:P-256", 0, NULL },
	{ "ec-p384", "ec -pkeyopt ec_paramgen_curve:P-384", 0, NULL },
	{ "rsa-pkcs1", "rsa:2048", 0, NULL },
	{ "rsa-pss", "rsa:2048", 1, NULL },
	{ "ed25519", "ed25519", 0, "only RSA and EC keys" },
};

static void
gen(const char *name, const char *genkey)
{
	char	 cmd[1024];

	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey %s -nodes "
	    "-days 1 -subj /CN=localhost -keyout %s/%s.key -out %s/%s.crt "
	    "2>/dev/null", genkey, dir, name, dir, name);
	CHECK(system(cmd) == 0);
}

/* sign a message with the key object, as libssl would, and verify it
 * with the certificate's own public key */
static int
sign_verify(EVP_PKEY *pk, X509 *x, int pss)
{
	EVP_MD_CTX	*md = EVP_MD_CTX_new(), *vd = EVP_MD_CTX_new();
	EVP_PKEY_CTX	*pc = NULL;
	unsigned char	 sig[1024];
	const char	 msg[] = "TLS 1.3, server CertificateVerify";
	size_t		 len = sizeof(sig);
	int		 ok = 0;

	if (EVP_DigestSignInit(md, &pc, EVP_sha256(), NULL, pk) != 1)
		goto done;
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(pc,
	    RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, -1) != 1))
		goto done;
	if (EVP_DigestSign(md, sig, &len, (const unsigned char *)msg,
	    sizeof(msg)) != 1)
		goto done;
	if (EVP_DigestVerifyInit(vd, &pc, EVP_sha256(), NULL,
	    X509_get0_pubkey(x)) != 1)
		goto done;
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(pc,
	    RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, -1) != 1))
		goto done;
	ok = EVP_DigestVerify(vd, sig, len, (const unsigned char *)msg,
	    sizeof(msg)) == 1;
done:
	EVP_MD_CTX_free(md);
	EVP_MD_CTX_free(vd);
	return ok;
}

static void
test_key(const struct kcase *kc)
{
	struct tls_key	*k;
	struct buf	 chain = BUF_INIT, b = BUF_INIT, kb = BUF_INIT;
	EVP_PKEY	*pk;
	X509		*x;
	BIO		*bio;
	char		 crt[256], key[256], err[512];
	int		 reg[2], ch[2], st;
	pid_t		 pid;

	gen(kc->name, kc->genkey);
	snprintf(crt, sizeof(crt), "%s/%s.crt", dir, kc->name);
	snprintf(key, sizeof(key), "%s/%s.key", dir, kc->name);
	/* as the parent reads them and the key process takes the key */
	CHECK(tls_key_chain(crt, &chain, err, sizeof(err)) == 0);
	CHECK(tls_key_read(key, &kb) == 0);
	CHECK_HAS(kb.data, "PRIVATE KEY-----");
	k = tls_key_new(tls_key_decode(&kb), key, err, sizeof(err));
	tls_key_wipe(&kb);
	CHECK(kb.data == NULL && kb.len == 0 && kb.cap == 0);
	if (kc->refused != NULL) {
		CHECK(k == NULL);
		CHECK_HAS(err, kc->refused);
		CHECK_HAS(err, key);
		tls_key_free(k);
		buf_free(&chain);
		return;
	}
	CHECK(k != NULL);
	CHECK_HAS(chain.data, "-----BEGIN CERTIFICATE-----");
	if (k == NULL)
		return;
	CHECK(msg_pair(reg) == 0);
	if ((pid = fork()) == 0) {
		close(reg[1]);
		tls_key_serve(k, reg[0], -1);
		_exit(0);
	}
	tls_key_free(k);
	close(reg[0]);
	/* a worker's channel, registered as the master does */
	CHECK(msg_pair(ch) == 0);
	CHECK(msg_send(reg[1], 3, NULL, 0, &ch[1], 1) == 0);
	close(ch[1]);
	tls_key_channel(ch[0]);

	bio = BIO_new_mem_buf(chain.data, (int)chain.len);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	CHECK(x != NULL);
	pk = x != NULL ? tls_key_proxy(x, err, sizeof(err)) : NULL;
	CHECK(pk != NULL);
	if (pk != NULL) {
		if (!sign_verify(pk, x, kc->pss))
			fprintf(stderr, "%s: no signature that verifies\n",
			    kc->name);
		CHECK(sign_verify(pk, x, kc->pss));
		CHECK(X509_check_private_key(x, pk) == 1);
	}
	/* the key process gone: a signature fails, nothing hangs */
	close(reg[1]);
	close(ch[0]);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	if (pk != NULL)
		CHECK(!sign_verify(pk, x, kc->pss));
	tls_key_channel(-1);
	EVP_PKEY_free(pk);
	X509_free(x);
	BIO_free(bio);
	buf_free(&chain);
	buf_free(&b);
}

/* files as the parent reads them: whole, past a first guess of their
 * size, refused past a megabyte or when missing; bytes that hold no
 * key, or a certificate, decode to nothing */
static void
test_read(void)
{
	struct buf	 b = BUF_INIT;
	char		 path[256], err[512];
	FILE		*f;
	int		 i;

	snprintf(path, sizeof(path), "%s/none.key", dir);
	errno = 0;
	CHECK(tls_key_read(path, &b) == -1 && errno == ENOENT);
	CHECK(b.data == NULL);
	CHECK(tls_key_chain(path, &b, err, sizeof(err)) == -1);
	CHECK_HAS(err, "none.key: No such file");
	snprintf(path, sizeof(path), "%s/big", dir);
	f = fopen(path, "w");
	for (i = 0; i < 3000; i++)
		fputs("0123456789", f);
	fclose(f);
	CHECK(tls_key_read(path, &b) == 0);
	CHECK_INT(b.len, 30000);
	CHECK(b.data != NULL && b.data[b.len] == '\0' &&
	    memcmp(b.data + 29990, "0123456789", 10) == 0);
	CHECK(tls_key_decode(&b) == NULL);
	CHECK(tls_key_new(NULL, path, err, sizeof(err)) == NULL);
	CHECK(tls_key_chain(path, &b, err, sizeof(err)) == -1);
	CHECK_HAS(err, "big: ");
	CHECK(truncate(path, 1024 * 1024 + 1) == 0);
	errno = 0;
	CHECK(tls_key_read(path, &b) == -1 && errno == EFBIG);
	CHECK(b.data == NULL && b.len == 0);
	/* empty: read, and no key in it */
	CHECK(truncate(path, 0) == 0);
	CHECK(tls_key_read(path, &b) == 0 && b.len == 0);
	CHECK(tls_key_decode(&b) == NULL);
	CHECK(tls_key_chain(path, &b, err, sizeof(err)) == -1);
	CHECK_HAS(err, "big: empty");
	/* a certificate is no key */
	snprintf(path, sizeof(path), "%s/ec-p256.crt", dir);
	CHECK(tls_key_read(path, &b) == 0);
	CHECK(tls_key_decode(&b) == NULL);
	tls_key_wipe(&b);
}

int
main(void)
{
	char	 cmd[128];
	size_t	 i;

	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL)
		return 1;
	test_msg();
	for (i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++)
		test_key(&kcases[i]);
	test_read();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done("test_tls_key");
}
