/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * proxy.c: the PROXY protocol's header, from bytes (HAProxy's
 * proxy-protocol.txt). A load balancer that passes TLS through sends
 * it first on each connection, so that we learn the client's address.
 *
 *   v1: "PROXY TCP4 203.0.113.7 192.0.2.1 51234 1965\r\n", at most 107
 *       bytes; TCP6 with IPv6 addresses; "PROXY UNKNOWN..." names no
 *       one.
 *   v2: a 12-byte signature, version 2 and a command (LOCAL: the
 *       balancer's own health check; PROXY: a client's connection), a
 *       family and protocol byte, a 16-bit length, then the addresses
 *       and ports and, to the end, TLVs (type, 16-bit length, value).
 *
 * Strict, since a header we misread is an address we believe: every
 * field as the spec writes it (one space between v1 fields, no
 * leading zeros, a v1 address of the family named, a CRLF and no lone
 * CR or LF), and a v2 header's TLVs whole within its length. What is
 * skipped: a TLV's value (none changes whose connection it is) and
 * the destination, which is us.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "config.h"
#include "proxy.h"

static const unsigned char sig2[PROXY_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char	 sig1[] = "PROXY ";
#define SIG1_LEN	(sizeof(sig1) - 1)

#define V2_LOCAL	0x0
#define V2_PROXY	0x1
#define V2_TCP4		0x11
#define V2_TCP6		0x21

static enum proxy_result
bad(struct proxy_hdr *h, const char *why)
{
	h->why = why;
	return PROXY_BAD;
}

/* a decimal number up to max: no sign, no leading zero ("0" is one) */
static int
v1_number(const char *s, long max, long *out)
{
	long	 v = 0;
	size_t	 i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		/* five digits at most: no overflow on the way to max */
		if (s[i] < '0' || s[i] > '9' || i == 5)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* exactly four decimal numbers 0-255, no leading zeros (no octal) */
static int
v1_inet4(char *s, struct in_addr *a)
{
	unsigned char	 b[4];
	char		*dot;
	long		 v;
	int		 i;

	for (i = 0; i < 4; i++) {
		dot = strchr(s, '.');
		if ((dot == NULL) != (i == 3))
			return -1;
		if (dot != NULL)
			*dot = '\0';
		if (v1_number(s, 255, &v) == -1)
			return -1;
		b[i] = (unsigned char)v;
		if (dot != NULL)
			s = dot + 1;
	}
	memcpy(a, b, sizeof(b));
	return 0;
}

/* "TCP4 src dst sport dport" (f[0..4]) into h->src */
static enum proxy_result
v1_fields(char **f, struct proxy_hdr *h)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)&h->src;
	struct sockaddr_in6	*sin6 =
	    (struct sockaddr_in6 *)(void *)&h->src;
	struct in6_addr		 dst6;
	struct in_addr		 dst4;
	long			 sport, dport;

	if (v1_number(f[3], 65535, &sport) == -1 ||
	    v1_number(f[4], 65535, &dport) == -1)
		return bad(h, "v1: a port is not a number 0-65535");
	if (strcmp(f[0], "TCP4") == 0) {
		if (v1_inet4(f[1], &sin->sin_addr) == -1 ||
		    v1_inet4(f[2], &dst4) == -1)
			return bad(h, "v1: TCP4 with an address that is not "
			    "IPv4");
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)sport);
	} else if (strcmp(f[0], "TCP6") == 0) {
		if (inet_pton(AF_INET6, f[1], &sin6->sin6_addr) != 1 ||
		    inet_pton(AF_INET6, f[2], &dst6) != 1)
			return bad(h, "v1: TCP6 with an address that is not "
			    "IPv6");
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)sport);
	} else
		return bad(h, "v1: a protocol other than TCP4, TCP6 or "
		    "UNKNOWN");
	return PROXY_DONE;
}

static enum proxy_result
v1(const char *p, size_t n, struct proxy_hdr *h)
{
	char	 line[PROXY_V1_MAX], *f[5], *s;
	size_t	 i;
	int	 nf;

	/* the line ends at its CRLF within 107 bytes, and holds nothing
	 * but printable ASCII before it */
	for (i = SIG1_LEN; i < n; i++) {
		if (i + 2 > PROXY_V1_MAX)
			return bad(h, "v1: no CRLF within 107 bytes");
		if (p[i] == '\r') {
			if (i + 1 == n)
				return PROXY_MORE;
			if (p[i + 1] != '\n')
				return bad(h, "v1: a CR without its LF");
			break;
		}
		if (p[i] == '\n')
			return bad(h, "v1: an LF without its CR");
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			return bad(h, "v1: a byte that is not printable ASCII");
	}
	if (i == n)
		return PROXY_MORE;
	h->len = i + 2;
	h->version = 1;
	memcpy(line, p + SIG1_LEN, i - SIG1_LEN);
	line[i - SIG1_LEN] = '\0';
	/* UNKNOWN: the rest of the line is to be ignored */
	if (strcmp(line, "UNKNOWN") == 0 || strncmp(line, "UNKNOWN ", 8) == 0) {
		h->local = 1;
		return PROXY_DONE;
	}
	for (nf = 0, s = line; s != NULL; nf++) {
		if (nf == 5)
			return bad(h, "v1: more than five fields");
		f[nf] = s;
		if ((s = strchr(s, ' ')) != NULL)
			*s++ = '\0';
		if (f[nf][0] == '\0')
			return bad(h, "v1: an empty field");
	}
	if (nf != 5)
		return bad(h, "v1: fewer than five fields");
	return v1_fields(f, h);
}

/* The addresses of a PROXY command, and the TLVs after them. */
static enum proxy_result
v2_proxy(const unsigned char *p, struct proxy_hdr *h)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)&h->src;
	struct sockaddr_in6	*sin6 =
	    (struct sockaddr_in6 *)(void *)&h->src;
	const unsigned char	*a = p + PROXY_V2_HEAD;
	size_t			 at, n, tlen;

	/* UNSPEC; or UDP or a unix socket, which the spec has a receiver
	 * that does not take them treat as UNSPEC: the connection's own
	 * addresses */
	if (p[13] != V2_TCP4 && p[13] != V2_TCP6) {
		h->local = 1;
		return PROXY_DONE;
	}
	/* the source and destination addresses, then their ports */
	n = p[13] == V2_TCP4 ? 4 : 16;
	if (h->len < PROXY_V2_HEAD + 2 * n + 4)
		return bad(h, "v2: shorter than its addresses");
	if (n == 4) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a, n);
		memcpy(&sin->sin_port, a + 2 * n, 2);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a, n);
		memcpy(&sin6->sin6_port, a + 2 * n, 2);
	}
	for (at = PROXY_V2_HEAD + 2 * n + 4; at < h->len; at += 3 + tlen) {
		if (h->len - at < 3)
			return bad(h, "v2: a TLV cut short");
		tlen = (size_t)p[at + 1] << 8 | p[at + 2];
		if (tlen > h->len - at - 3)
			return bad(h, "v2: a TLV longer than the header");
	}
	return PROXY_DONE;
}

static enum proxy_result
v2(const unsigned char *p, size_t n, struct proxy_hdr *h)
{
	size_t	 len;
	int	 cmd;

	if (memcmp(p, sig2, n < PROXY_SIG_LEN ? n : PROXY_SIG_LEN) != 0)
		return bad(h, "no PROXY header");
	if (n <= PROXY_SIG_LEN)
		return PROXY_MORE;
	if (p[12] >> 4 != 2)
		return bad(h, "v2: a version other than 2");
	if ((cmd = p[12] & 0xf) != V2_LOCAL && cmd != V2_PROXY)
		return bad(h, "v2: a command other than LOCAL or PROXY");
	if (n == 13)
		return PROXY_MORE;
	/* LOCAL ignores the family; PROXY takes the spec's seven */
	if (cmd == V2_PROXY && p[13] != 0x00 && p[13] != V2_TCP4 &&
	    p[13] != 0x12 && p[13] != V2_TCP6 && p[13] != 0x22 &&
	    p[13] != 0x31 && p[13] != 0x32)
		return bad(h, "v2: an unknown family or protocol");
	if (n < PROXY_V2_HEAD)
		return PROXY_MORE;
	len = (size_t)p[14] << 8 | p[15];
	if (len > PROXY_V2_LEN_MAX)
		return bad(h, "v2: longer than 536 bytes");
	if (n < PROXY_V2_HEAD + len)
		return PROXY_MORE;
	h->len = PROXY_V2_HEAD + len;
	h->version = 2;
	if (cmd == V2_LOCAL) {
		h->local = 1;
		return PROXY_DONE;
	}
	return v2_proxy(p, h);
}

enum proxy_result
proxy_parse(const void *buf, size_t n, struct proxy_hdr *h)
{
	const unsigned char	*p = buf;

	memset(h, 0, sizeof(*h));
	if (n == 0)
		return PROXY_MORE;
	if (p[0] == sig2[0])
		return v2(p, n, h);
	if (memcmp(p, sig1, n < SIG1_LEN ? n : SIG1_LEN) != 0)
		return bad(h, "no PROXY header");
	if (n < SIG1_LEN)
		return PROXY_MORE;
	return v1(buf, n, h);
}

int
proxy_sent(const void *buf, size_t n)
{
	return (n >= SIG1_LEN && memcmp(buf, sig1, SIG1_LEN) == 0) ||
	    (n >= PROXY_SIG_LEN && memcmp(buf, sig2, PROXY_SIG_LEN) == 0);
}

int
proxy_trusted(const struct config_net *nets, int n, const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	unsigned char			 a[16] = { 0 };
	int				 i, full, rest;

	/* config_net's form: IPv4 as ::ffff:a.b.c.d */
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(a, &sin6->sin6_addr, 16);
	} else
		return 0;
	for (i = 0; i < n; i++) {
		full = nets[i].bits / 8;
		rest = nets[i].bits % 8;
		if (memcmp(a, nets[i].addr, (size_t)full) != 0)
			continue;
		if (rest != 0 && ((a[full] ^ nets[i].addr[full]) &
		    (0xff00 >> rest)) != 0)
			continue;
		return 1;
	}
	return 0;
}
