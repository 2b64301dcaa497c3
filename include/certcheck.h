/*
 * certcheck.h: the certificate and key of [gemini], checked before
 * they are used: by -n, at start and at each reload.
 */
#ifndef CERTCHECK_H
#define CERTCHECK_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct config;
typedef struct evp_pkey_st EVP_PKEY;

#define CERTCHECK_DAYS	30	/* warn when a certificate ends sooner */

/* what certcheck finds, a line at a time ("gemini:cert: path: reason",
 * no newline); error: start-up refuses it */
typedef void	certcheck_say(void *arg, int error, const char *line);

/*
 * The certificate and key conf names, as start-up will use them.
 * Errors, that start-up refuses: a certificate or key that cannot be
 * read, a key that is not the certificate's, a certificate that does
 * not cover server:hostname (its DNS or IP names, else its CN, as
 * clients check them). Warnings, that it only logs: a certificate that
 * has ended, that ends within CERTCHECK_DAYS days or that is not valid
 * yet, and a generated one that start-up will make again for a new
 * hostname. A generated pair not made yet has nothing to check.
 * Returns the number of errors.
 */
int	certcheck(const struct config *, certcheck_say *, void *arg);
/* certcheck's lines to f, warnings as "warning: ..." (-n); the number
 * of errors */
int	certcheck_print(const struct config *, FILE *f);
/*
 * The privileged parent, at start and at each reload: certcheck's lines
 * to the log, but the key's file is only read, its bytes into kb
 * (tls_key_read; the caller wipes them with tls_key_wipe), for the key
 * process to check with certcheck_key: the parent never decodes a key.
 * A key file that cannot be read is said as certcheck says it. Returns
 * the number of errors; kb is left empty when the certificate cannot
 * be read.
 */
int	certcheck_log(const struct config *, struct buf *kb);
/*
 * The key process: the key file's bytes kb checked against the first
 * certificate of chain's PEM text, as certcheck checks them; the key
 * (the caller frees it), or NULL with the finding said through fn (as
 * an error).
 */
EVP_PKEY *certcheck_key(const struct config *, const struct buf *chain,
	    const struct buf *kb, certcheck_say *, void *arg);

/*
 * conf's generated pair, when cert and key are not configured: made
 * if missing (tls_generate), made again if the certificate no longer
 * covers server:hostname, the old pair kept beside it as cert.pem.old
 * and key.pem.old, with a log line. Nothing to do for a configured
 * pair. -1 with err.
 */
int	certcheck_generate(const struct config *, char *err, size_t errlen);

#endif
