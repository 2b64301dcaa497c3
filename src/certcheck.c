/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * certcheck.c: the certificate and key checked before they are used,
 * so that -n says what start-up would refuse (a key that is not the
 * certificate's used to pass -n and stop start-up with OpenSSL's "key
 * values mismatch"), and so that a certificate made for another name,
 * or about to end, is said out loud rather than found by clients.
 * Host names are matched as clients match them: OpenSSL's
 * X509_check_host (the DNS names, else the CN; wildcards) or
 * X509_check_ip_asc for an address.
 *
 * A generated certificate is the server's own: when server:hostname
 * changes, it is made again for the new name (tls_generate), the old
 * pair kept beside it as .old, rather than kept for a name no client
 * asks for.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "certcheck.h"
#include "config.h"
#include "log.h"
#include "tls.h"
#include "tls_key.h"

#define DAY	86400

/* one finding, "key: path: reason" */
static void	say(certcheck_say *, void *, int, const char *, const char *,
		    const char *, ...) __attribute__((format(printf, 6, 7)));

static void
say(certcheck_say *fn, void *arg, int error, const char *key,
    const char *path, const char *fmt, ...)
{
	char	 line[1024];
	int	 n;
	va_list	 ap;

	n = snprintf(line, sizeof(line), "%s: %s: ", key, path);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	fn(arg, error, line);
}

/* The first PEM certificate of path (the server's own, in a chain);
 * NULL with why. */
static X509 *
read_cert(const char *path, char *why, size_t len)
{
	struct buf	 b = BUF_INIT;
	X509		*x = NULL;

	if (tls_key_read(path, &b) == -1)
		snprintf(why, len, "%s", strerror(errno));
	else if ((x = tls_key_cert(&b)) == NULL)
		snprintf(why, len, "no PEM certificate in it");
	ERR_clear_error();
	buf_free(&b);
	return x;
}

static int
covers(X509 *x, const char *host)
{
	unsigned char	 ip[16];

	if (inet_pton(AF_INET, host, ip) == 1 ||
	    inet_pton(AF_INET6, host, ip) == 1)
		return X509_check_ip_asc(x, host, 0) == 1;
	return X509_check_host(x, host, 0, 0, NULL) == 1;
}

/* name, of len bytes, after ", " when out has some: printable ASCII */
static void
add_name(char *out, size_t outlen, const unsigned char *name, size_t len)
{
	size_t	 n = strlen(out), i;

	if (n > 0 && n + 2 < outlen) {
		memcpy(out + n, ", ", 2);
		n += 2;
	}
	for (i = 0; i < len && n + 1 < outlen; i++)
		out[n++] = name[i] > ' ' && name[i] < 127 ? (char)name[i] :
		    '?';
	out[n] = '\0';
}

/* the names x is for, as covers() reads them: DNS and IP names, else
 * the CN */
static void
names(X509 *x, char *out, size_t len)
{
	GENERAL_NAMES		*gens;
	const GENERAL_NAME	*g;
	char			 ip[INET6_ADDRSTRLEN];
	unsigned char		 cn[256];
	int			 i, n;

	out[0] = '\0';
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS)
			add_name(out, len, ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)ASN1_STRING_length(g->d.dNSName));
		else if (g->type == GEN_IPADD && inet_ntop(
		    ASN1_STRING_length(g->d.iPAddress) == 4 ? AF_INET :
		    AF_INET6, ASN1_STRING_get0_data(g->d.iPAddress), ip,
		    sizeof(ip)) != NULL)
			add_name(out, len, (unsigned char *)ip, strlen(ip));
	}
	GENERAL_NAMES_free(gens);
	if (out[0] == '\0' && (n = X509_NAME_get_text_by_NID(
	    X509_get_subject_name(x), NID_commonName, (char *)cn,
	    sizeof(cn))) > 0)
		add_name(out, len, cn, (size_t)n);
	if (out[0] == '\0')
		snprintf(out, len, "no name");
}

/* "2026-06-01 12:00 UTC" */
static void
date(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm	 tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, len, "a date OpenSSL cannot read");
}

/* seconds from now to t (negative: past); 0 with ok unset if unknown */
static long long
from_now(const ASN1_TIME *t, int *ok)
{
	int	 day, sec;

	*ok = ASN1_TIME_diff(&day, &sec, NULL, t) == 1;
	return *ok ? (long long)day * DAY + sec : 0;
}

static void
validity(X509 *x, const char *path, certcheck_say *fn, void *arg)
{
	char		 when[64];
	long long	 left;
	int		 ok;

	left = from_now(X509_get0_notBefore(x), &ok);
	if (ok && left > 0) {
		date(X509_get0_notBefore(x), when, sizeof(when));
		say(fn, arg, 0, "gemini:cert", path, "not valid until %s: "
		    "clients refuse it until then", when);
	}
	left = from_now(X509_get0_notAfter(x), &ok);
	date(X509_get0_notAfter(x), when, sizeof(when));
	if (ok && left <= 0)
		say(fn, arg, 0, "gemini:cert", path, "ended on %s: clients "
		    "may refuse it; renew it", when);
	else if (ok && left < DAY)
		say(fn, arg, 0, "gemini:cert", path, "ends on %s, in less "
		    "than a day: renew it", when);
	else if (ok && left < CERTCHECK_DAYS * DAY)
		say(fn, arg, 0, "gemini:cert", path, "ends on %s, in %lld "
		    "day%s (less than %d): renew it", when, left / DAY,
		    left < 2 * DAY ? "" : "s", CERTCHECK_DAYS);
}

/* kb, conf's key file's bytes, against the certificate x: the key, or
 * NULL with the finding said */
static EVP_PKEY *
check_key(const struct config *conf, X509 *x, const struct buf *kb,
    certcheck_say *fn, void *arg)
{
	EVP_PKEY	*k;

	if ((k = tls_key_decode(kb)) == NULL)
		say(fn, arg, 1, "gemini:key", conf->key, "no PEM private key "
		    "in it (or one that wants a passphrase)");
	else if (X509_check_private_key(x, k) != 1) {
		say(fn, arg, 1, "gemini:key", conf->key, "not the key of the "
		    "certificate %s", conf->cert);
		EVP_PKEY_free(k);
		k = NULL;
	} else if (!tls_key_kind_ok(k)) {
		say(fn, arg, 1, "gemini:key", conf->key, "a key of type %s: "
		    "only RSA and EC keys can be kept out of the workers",
		    OBJ_nid2sn(EVP_PKEY_get_base_id(k)));
		EVP_PKEY_free(k);
		k = NULL;
	}
	ERR_clear_error();
	return k;
}

/* conf's key file's bytes into kb (tls_key_read); -1 with the finding
 * said */
static int
read_key(const struct config *conf, struct buf *kb, certcheck_say *fn,
    void *arg)
{
	if (tls_key_read(conf->key, kb) == 0)
		return 0;
	say(fn, arg, 1, "gemini:key", conf->key, "%s", strerror(errno));
	return -1;
}

/*
 * certcheck, the key file's bytes read into kb: checked against the
 * certificate here when check_kb (-n), else left for the key process
 * to check (the privileged parent's way: it never decodes them).
 */
static int
check(const struct config *conf, struct buf *kb, int check_kb,
    certcheck_say *fn, void *arg)
{
	X509		*x;
	EVP_PKEY	*k = NULL;
	char		 why[256], has[512];
	int		 nerr = 0;

	/* start-up makes a generated pair that is not there */
	if (conf->cert_generate && (access(conf->cert, F_OK) == -1 ||
	    access(conf->key, F_OK) == -1))
		return 0;
	if ((x = read_cert(conf->cert, why, sizeof(why))) == NULL) {
		say(fn, arg, 1, "gemini:cert", conf->cert, "%s", why);
		return 1;
	}
	if (!covers(x, conf->hostname)) {
		names(x, has, sizeof(has));
		if (conf->cert_generate) {
			say(fn, arg, 0, "gemini:cert", conf->cert, "made for "
			    "%s, not for server:hostname %s: start-up makes a "
			    "new one (the old one kept as %s.old)", has,
			    conf->hostname, conf->cert);
			X509_free(x);
			return 0;
		}
		say(fn, arg, 1, "gemini:cert", conf->cert, "does not cover "
		    "server:hostname %s: it is for %s", conf->hostname, has);
		nerr++;
	}
	if (read_key(conf, kb, fn, arg) == -1)
		nerr++;
	else if (check_kb && (k = check_key(conf, x, kb, fn, arg)) == NULL)
		nerr++;
	ERR_clear_error();
	validity(x, conf->cert, fn, arg);
	EVP_PKEY_free(k);
	X509_free(x);
	return nerr;
}

int
certcheck(const struct config *conf, certcheck_say *fn, void *arg)
{
	struct buf	 kb = BUF_INIT;
	int		 nerr;

	nerr = check(conf, &kb, 1, fn, arg);
	tls_key_wipe(&kb);
	return nerr;
}

static void
say_print(void *arg, int error, const char *line)
{
	fprintf(arg, "%s%s\n", error ? "" : "warning: ", line);
}

int
certcheck_print(const struct config *conf, FILE *f)
{
	return certcheck(conf, say_print, f);
}

static void
say_log(void *arg, int error, const char *line)
{
	(void)arg;
	(void)error;
	log_warnx("%s", line);
}

int
certcheck_log(const struct config *conf, struct buf *kb)
{
	return check(conf, kb, 0, say_log, NULL);
}

EVP_PKEY *
certcheck_key(const struct config *conf, const struct buf *chain,
    const struct buf *kb, certcheck_say *fn, void *arg)
{
	X509		*x;
	EVP_PKEY	*k;

	if ((x = tls_key_cert(chain)) == NULL) {
		say(fn, arg, 1, "gemini:cert", conf->cert, "no PEM "
		    "certificate in it");
		ERR_clear_error();
		return NULL;
	}
	k = check_key(conf, x, kb, fn, arg);
	X509_free(x);
	return k;
}

/* path moved to path.old; a missing path is not an error */
static int
keep_old(const char *path, char *err, size_t errlen)
{
	char	 old[4096];
	int	 r;

	r = snprintf(old, sizeof(old), "%s.old", path);
	if (r < 0 || (size_t)r >= sizeof(old)) {
		snprintf(err, errlen, "%s: name too long", path);
		return -1;
	}
	if (rename(path, old) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", old, strerror(errno));
		return -1;
	}
	return 0;
}

int
certcheck_generate(const struct config *conf, char *err, size_t errlen)
{
	X509	*x;
	char	 why[256], has[512];

	if (!conf->cert_generate)
		return 0;
	if (access(conf->cert, F_OK) == 0 &&
	    (x = read_cert(conf->cert, why, sizeof(why))) != NULL) {
		if (!covers(x, conf->hostname)) {
			names(x, has, sizeof(has));
			/* both go: tls_generate makes a new pair */
			if (keep_old(conf->key, err, errlen) == -1 ||
			    keep_old(conf->cert, err, errlen) == -1) {
				X509_free(x);
				return -1;
			}
			log_info("%s: made for %s, not for server:hostname "
			    "%s: making a new one; the old one is kept as "
			    "%s.old", conf->cert, has, conf->hostname,
			    conf->cert);
		}
		X509_free(x);
	}
	return tls_generate(conf->cert, conf->key, conf->hostname, err,
	    errlen);
}
