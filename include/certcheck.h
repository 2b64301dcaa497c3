/*
 * certcheck.h: the certificate and key of [gemini], checked before
 * they are used: by -n, at start and at each reload.
 */
#ifndef CERTCHECK_H
#define CERTCHECK_H

#include <stddef.h>
#include <stdio.h>

struct config;

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
/* certcheck's lines to the log; -1 if there were errors */
int	certcheck_log(const struct config *);

/*
 * conf's generated pair, when cert and key are not configured: made
 * if missing (tls_generate), made again if the certificate no longer
 * covers server:hostname, the old pair kept beside it as cert.pem.old
 * and key.pem.old, with a log line. Nothing to do for a configured
 * pair. -1 with err.
 */
int	certcheck_generate(const struct config *, char *err, size_t errlen);

#endif
