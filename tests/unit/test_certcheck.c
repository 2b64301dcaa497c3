/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_certcheck.c: certificates made here with OpenSSL (names, dates,
 * keys of every kind the checks tell apart) against server:hostname:
 * what -n and start-up refuse, what they warn of; and a generated
 * certificate made again, the old pair kept, when the host name
 * changes.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "certcheck.h"
#include "config.h"
#include "log.h"
#include "tls_key.h"
#include "t.h"

#define DAY	86400L

static char	 dir[] = "/tmp/bantin-certcheck-XXXXXX";
static char	 cert[256], key[256];

/* cert and key in dir: a certificate for cn (and san, if not NULL),
 * valid from `from` to `to` seconds from now, signed by its own key;
 * with other 1, key.pem is another key; with 2, the pair is Ed25519 */
static void
make_pair(const char *cn, const char *san, long from, long to, int other)
{
	EVP_PKEY	*k, *k2 = NULL;
	X509		*x;
	X509_EXTENSION	*ext;
	X509V3_CTX	 v3;
	FILE		*f;

	k = other == 2 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
	    EVP_EC_gen("P-256");
	x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	if (san != NULL) {
		X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
		    san);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	X509_sign(x, k, other == 2 ? NULL : EVP_sha256());
	f = fopen(cert, "w");
	PEM_write_X509(f, x);
	fclose(f);
	if (other == 1)
		k2 = EVP_EC_gen("P-256");
	f = fopen(key, "w");
	PEM_write_PrivateKey(f, other == 1 ? k2 : k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k);
	X509_free(x);
}

struct heard {
	char	 errs[2048];
	char	 warns[2048];
};

static void
hear(void *arg, int error, const char *line)
{
	struct heard	*h = arg;
	char		*b = error ? h->errs : h->warns;
	size_t		 n = strlen(b);

	snprintf(b + n, sizeof(h->errs) - n, "%s\n", line);
}

static const struct {
	const char	*hostname;
	const char	*cn;
	const char	*san;		/* NULL: none */
	long		 from, to;	/* validity, from now */
	int		 other_key;	/* make_pair's other */
	int		 errors;
	const char	*err;		/* in the errors, NULL: none */
	const char	*warn;		/* in the warnings, NULL: none */
} cases[] = {
	{ "localhost", "localhost", NULL, -DAY, 365 * DAY, 0, 0, NULL, NULL },
	{ "localhost", "localhost", "DNS:localhost", -DAY, 365 * DAY, 0, 0,
	    NULL, NULL },
	{ "www.example.org", "x", "DNS:*.example.org", -DAY, 365 * DAY, 0, 0,
	    NULL, NULL },
	{ "10.0.0.1", "x", "IP:10.0.0.1", -DAY, 365 * DAY, 0, 0, NULL, NULL },
	{ "Tin.Example.org", "x", "DNS:tin.example.org", -DAY, 365 * DAY, 0,
	    0, NULL, NULL },
	/* not covered */
	{ "localhost", "other.example", "DNS:other.example,DNS:www.other."
	    "example,IP:10.0.0.1", -DAY, 365 * DAY, 0, 1,
	    "does not cover server:hostname localhost: it is for "
	    "other.example, www.other.example, 10.0.0.1", NULL },
	{ "example.org", "x", "DNS:*.example.org", -DAY, 365 * DAY, 0, 1,
	    "does not cover server:hostname example.org: it is for "
	    "*.example.org", NULL },
	/* the CN counts only without DNS names, as clients read it */
	{ "localhost", "localhost", "DNS:other.example", -DAY, 365 * DAY, 0, 1,
	    "it is for other.example", NULL },
	{ "tin.example", "localhost", NULL, -DAY, 365 * DAY, 0, 1,
	    "does not cover server:hostname tin.example: it is for localhost",
	    NULL },
	/* another key */
	{ "localhost", "localhost", NULL, -DAY, 365 * DAY, 1, 1,
	    "/key.pem: not the key of the certificate ", NULL },
	{ "tin.example", "localhost", NULL, -DAY, 365 * DAY, 1, 2,
	    "/key.pem: not the key of the certificate ", NULL },
	/* a key the key process cannot sign with: start refuses it, so
	 * -n does */
	{ "localhost", "localhost", NULL, -DAY, 365 * DAY, 2, 1,
	    "/key.pem: a key of type ED25519: only RSA and EC keys can be "
	    "kept out of the workers", NULL },
	/* dates: warnings only */
	{ "localhost", "localhost", NULL, -DAY, 10 * DAY + 3600, 0, 0, NULL,
	    ", in 10 days (less than 30): renew it" },
	{ "localhost", "localhost", NULL, -DAY, DAY + 3600, 0, 0, NULL,
	    ", in 1 day (less than 30): renew it" },
	{ "localhost", "localhost", NULL, -DAY, 3600, 0, 0, NULL,
	    ", in less than a day: renew it" },
	{ "localhost", "localhost", NULL, -DAY, 31 * DAY, 0, 0, NULL, NULL },
	{ "localhost", "localhost", NULL, -10 * DAY, -DAY, 0, 0, NULL,
	    "/cert.pem: ended on " },
	{ "localhost", "localhost", NULL, DAY, 365 * DAY, 0, 0, NULL,
	    "/cert.pem: not valid until " },
};

static void
test_cases(void)
{
	struct config	 conf;
	struct heard	 h;
	size_t		 i;

	memset(&conf, 0, sizeof(conf));
	conf.cert = cert;
	conf.key = key;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_pair(cases[i].cn, cases[i].san, cases[i].from,
		    cases[i].to, cases[i].other_key);
		conf.hostname = (char *)(uintptr_t)cases[i].hostname;
		memset(&h, 0, sizeof(h));
		CHECK_INT(certcheck(&conf, hear, &h), cases[i].errors);
		if (cases[i].err != NULL)
			CHECK_HAS(h.errs, cases[i].err);
		else
			CHECK_STR(h.errs, "");
		if (cases[i].warn != NULL)
			CHECK_HAS(h.warns, cases[i].warn);
		else
			CHECK_STR(h.warns, "");
	}
}

/* files that are not there, or not PEM */
static void
test_unreadable(void)
{
	struct config	 conf;
	struct heard	 h;
	FILE		*f;

	memset(&conf, 0, sizeof(conf));
	conf.cert = cert;
	conf.key = key;
	conf.hostname = (char *)(uintptr_t)"localhost";
	make_pair("localhost", NULL, -DAY, DAY * 365, 0);
	unlink(key);
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 1);
	CHECK_HAS(h.errs, "gemini:key: ");
	CHECK_HAS(h.errs, "/key.pem: No such file or directory");
	f = fopen(cert, "w");
	fputs("not a certificate\n", f);
	fclose(f);
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 1);
	CHECK_HAS(h.errs, "/cert.pem: no PEM certificate in it");
	/* a generated pair not made yet: nothing to say */
	unlink(cert);
	conf.cert_generate = 1;
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 0);
	CHECK_STR(h.errs, "");
	CHECK_STR(h.warns, "");
}

static char *
slurp(const char *path)
{
	static char	 data[2][8192];
	static int	 turn;
	char		*d = data[turn++ & 1];
	FILE		*f;
	size_t		 n = 0;

	d[0] = '\0';
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(d, 1, sizeof(data[0]) - 1, f);
		fclose(f);
	}
	d[n] = '\0';
	return d;
}

/* made, kept while the name holds, made again for a new name */
static void
test_generate(void)
{
	struct config	 conf;
	struct heard	 h;
	char		 err[512], old_cert[8192], old_key[8192], path[300];
	char		 logf[300];

	snprintf(logf, sizeof(logf), "%s/bantin.log", dir);
	CHECK(log_open(logf, NULL, 0, 0, err, sizeof(err)) == 0);
	unlink(cert);
	unlink(key);
	memset(&conf, 0, sizeof(conf));
	conf.cert = cert;
	conf.key = key;
	conf.cert_generate = 1;
	conf.hostname = (char *)(uintptr_t)"old.example";
	CHECK_INT(certcheck_generate(&conf, err, sizeof(err)), 0);
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 0);
	CHECK_STR(h.errs, "");
	CHECK_STR(h.warns, "");
	snprintf(old_cert, sizeof(old_cert), "%s", slurp(cert));
	snprintf(old_key, sizeof(old_key), "%s", slurp(key));
	CHECK_HAS(old_cert, "-----BEGIN CERTIFICATE-----");

	/* the same name: kept */
	CHECK_INT(certcheck_generate(&conf, err, sizeof(err)), 0);
	CHECK_STR(slurp(cert), old_cert);

	/* a new name: -n says what start-up will do, start-up does it */
	conf.hostname = (char *)(uintptr_t)"new.example";
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 0);
	CHECK_HAS(h.warns, "/cert.pem: made for old.example, not for "
	    "server:hostname new.example: start-up makes a new one (the "
	    "old one kept as ");
	CHECK_INT(certcheck_generate(&conf, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s.old", cert);
	CHECK_STR(slurp(path), old_cert);
	snprintf(path, sizeof(path), "%s.old", key);
	CHECK_STR(slurp(path), old_key);
	CHECK(strcmp(slurp(cert), old_cert) != 0);
	memset(&h, 0, sizeof(h));
	CHECK_INT(certcheck(&conf, hear, &h), 0);
	CHECK_STR(h.errs, "");
	CHECK_STR(h.warns, "");
	CHECK_HAS(slurp(logf), "/cert.pem: made for old.example, not for "
	    "server:hostname new.example: making a new one; the old one is "
	    "kept as ");

	/* a configured pair is never touched */
	conf.cert_generate = 0;
	conf.hostname = (char *)(uintptr_t)"third.example";
	snprintf(old_cert, sizeof(old_cert), "%s", slurp(cert));
	CHECK_INT(certcheck_generate(&conf, err, sizeof(err)), 0);
	CHECK_STR(slurp(cert), old_cert);
}

/*
 * Start-up's way: the parent says the certificate's findings and only
 * reads the key's file (certcheck_log), the key process checks its
 * bytes (certcheck_key): together they find what certcheck finds.
 */
static void
test_split(void)
{
	struct config	 conf;
	struct heard	 h;
	struct buf	 chain = BUF_INIT, kb = BUF_INIT;
	char		 err[512], logf[300];
	EVP_PKEY	*k;
	FILE		*f;

	/* the log test_generate opened */
	snprintf(logf, sizeof(logf), "%s/bantin.log", dir);
	memset(&conf, 0, sizeof(conf));
	conf.cert = cert;
	conf.key = key;
	conf.hostname = (char *)(uintptr_t)"localhost";

	/* a good pair: read, then taken */
	make_pair("localhost", NULL, -DAY, 365 * DAY, 0);
	CHECK_INT(certcheck_log(&conf, &kb), 0);
	CHECK(kb.data != NULL);
	CHECK_HAS(kb.data, "PRIVATE KEY-----");
	CHECK(tls_key_chain(cert, &chain, err, sizeof(err)) == 0);
	memset(&h, 0, sizeof(h));
	CHECK((k = certcheck_key(&conf, &chain, &kb, hear, &h)) != NULL);
	CHECK_STR(h.errs, "");
	EVP_PKEY_free(k);

	/* another key: the parent cannot tell, the key process can */
	make_pair("localhost", NULL, -DAY, 365 * DAY, 1);
	CHECK_INT(certcheck_log(&conf, &kb), 0);
	CHECK(tls_key_chain(cert, &chain, err, sizeof(err)) == 0);
	memset(&h, 0, sizeof(h));
	CHECK(certcheck_key(&conf, &chain, &kb, hear, &h) == NULL);
	CHECK_HAS(h.errs, "gemini:key: ");
	CHECK_HAS(h.errs, "/key.pem: not the key of the certificate ");

	/* not a key, or one that wants a passphrase */
	f = fopen(key, "w");
	fputs("not a key\n", f);
	fclose(f);
	CHECK_INT(certcheck_log(&conf, &kb), 0);
	memset(&h, 0, sizeof(h));
	CHECK(certcheck_key(&conf, &chain, &kb, hear, &h) == NULL);
	CHECK_HAS(h.errs, "/key.pem: no PEM private key in it (or one that "
	    "wants a passphrase)");

	/* no key file: the parent says so, as certcheck does */
	unlink(key);
	CHECK_INT(certcheck_log(&conf, &kb), 1);
	CHECK(kb.data == NULL);
	CHECK_HAS(slurp(logf), "gemini:key: ");
	CHECK_HAS(slurp(logf), "/key.pem: No such file or directory");

	/* a certificate for another host and another key: both said */
	make_pair("other.example", NULL, -DAY, 365 * DAY, 1);
	CHECK_INT(certcheck_log(&conf, &kb), 1);
	CHECK(kb.data != NULL);
	CHECK_HAS(slurp(logf), "does not cover server:hostname localhost");
	CHECK(tls_key_chain(cert, &chain, err, sizeof(err)) == 0);
	memset(&h, 0, sizeof(h));
	CHECK(certcheck_key(&conf, &chain, &kb, hear, &h) == NULL);
	CHECK_HAS(h.errs, "not the key of the certificate ");
	tls_key_wipe(&kb);
	buf_free(&chain);
}

int
main(void)
{
	char	 cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	test_cases();
	test_unreadable();
	test_generate();
	test_split();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done("certcheck");
}
