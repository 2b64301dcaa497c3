/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * ticket.c: the shared session ticket secret's file. Several instances
 * behind one load balancer resume each other's TLS sessions only if
 * they encrypt tickets with the same keys; tls.c derives them from
 * this secret and the time. The privileged parent reads the file at
 * start and at each reload (as root when started so, like the private
 * key), and -n checks it; the bytes go to the master with the rest of
 * the configuration.
 *
 * The file is held to what ssh holds a private key to: a regular file
 * its group and others cannot read or write, or anyone who could read
 * it could decrypt every ticket, and with a ticket the session's keys.
 * Its contents are hex digits, as `openssl rand -hex 32` makes them,
 * or raw random bytes; text that is not hex is refused rather than
 * taken as bytes, for a passphrase typed into the file has far fewer
 * than 256 bits in its 32 characters.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ticket.h"

#define MAKE_ONE	"make one with openssl rand -hex 32 >"

/* the file's bytes into buf (cap: TICKET_FILE_MAX + 1), checked as a
 * file; -1 with why */
static int
file_bytes(const char *path, unsigned char *buf, size_t *len, char *why,
    size_t whylen)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd, ret = -1;

	*len = 0;
	/* O_NONBLOCK: a FIFO must not hang start-up; it is refused below */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto done;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(why, whylen, "mode %04o lets its group or others at "
		    "it: a secret must be its owner's alone (chmod 600 %s)",
		    (unsigned)(st.st_mode & 07777), path);
		goto done;
	}
	/* read to the end, whatever st_size said: one more byte than
	 * allowed tells a file that is too long */
	while (*len <= TICKET_FILE_MAX) {
		n = read(fd, buf + *len, TICKET_FILE_MAX + 1 - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(why, whylen, "%s", strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	if (*len > TICKET_FILE_MAX) {
		snprintf(why, whylen, "longer than %d bytes: not a secret "
		    "file", TICKET_FILE_MAX);
		goto done;
	}
	ret = 0;
done:
	close(fd);
	return ret;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Is every byte one of hex's (digits, white space), or text's? */
static int
all_of(const unsigned char *in, size_t len, int hex)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (isspace(in[i]))
			continue;
		if (hex ? hexval(in[i]) == -1 : (in[i] < 0x20 || in[i] > 0x7e))
			return 0;
	}
	return 1;
}

/* hex digits, white space between them ignored, into s; -1 with why */
static int
from_hex(const unsigned char *in, size_t len, struct ticket_secret *s,
    char *why, size_t whylen)
{
	size_t	 i, digits = 0;
	int	 v;

	for (i = 0; i < len; i++) {
		if ((v = hexval(in[i])) == -1)
			continue;
		if (digits / 2 >= TICKET_SECRET_MAX) {
			snprintf(why, whylen, "more than %d bytes of secret",
			    TICKET_SECRET_MAX);
			return -1;
		}
		if (digits % 2 == 0)
			s->key[digits / 2] = (unsigned char)(v << 4);
		else
			s->key[digits / 2] |= (unsigned char)v;
		digits++;
	}
	if (digits % 2 != 0) {
		snprintf(why, whylen, "an odd number of hex digits (%zu)",
		    digits);
		return -1;
	}
	s->len = digits / 2;
	return 0;
}

/* The secret in the file's bytes; -1 with why */
static int
decode(const unsigned char *in, size_t len, struct ticket_secret *s,
    const char *path, char *why, size_t whylen)
{
	size_t	 i;

	if (len > 0 && all_of(in, len, 1)) {
		if (from_hex(in, len, s, why, whylen) == -1)
			return -1;
	} else if (len > 0 && all_of(in, len, 0)) {
		snprintf(why, whylen, "text that is not hex digits: a "
		    "passphrase is not a secret; " MAKE_ONE "%s", path);
		return -1;
	} else {
		if (len > TICKET_SECRET_MAX) {
			snprintf(why, whylen, "more than %d bytes of secret",
			    TICKET_SECRET_MAX);
			return -1;
		}
		memcpy(s->key, in, len);
		s->len = len;
	}
	if (s->len < TICKET_SECRET_MIN) {
		snprintf(why, whylen, "%zu bytes of secret, fewer than %d; "
		    MAKE_ONE "%s", s->len, TICKET_SECRET_MIN, path);
		return -1;
	}
	/* all zeros and such: a file written by hand, not a secret */
	for (i = 1; i < s->len && s->key[i] == s->key[0]; i++)
		;
	if (i == s->len) {
		snprintf(why, whylen, "one byte repeated is not a secret; "
		    MAKE_ONE "%s", path);
		return -1;
	}
	return 0;
}

int
ticket_secret_read(const char *path, struct ticket_secret *s, char *err,
    size_t errlen)
{
	unsigned char	 buf[TICKET_FILE_MAX + 1];
	char		 why[512];
	size_t		 len;
	int		 r;

	ticket_secret_clear(s);
	if (*path == '\0')
		return 0;		/* none: a random secret (tls.h) */
	r = file_bytes(path, buf, &len, why, sizeof(why));
	if (r == 0)
		r = decode(buf, len, s, path, why, sizeof(why));
	explicit_bzero(buf, sizeof(buf));
	if (r == -1) {
		ticket_secret_clear(s);
		snprintf(err, errlen, "gemini:ticket_secret: %s: %s", path,
		    why);
	}
	return r;
}

void
ticket_secret_clear(struct ticket_secret *s)
{
	explicit_bzero(s, sizeof(*s));
}
