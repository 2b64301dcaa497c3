/*
 * test_proxy.c: the PROXY protocol's header, v1 and v2 (proxy.c).
 * Every good header is also cut at every byte (each prefix asks for
 * more, never refuses) and followed by the client's first bytes (which
 * are not taken); malformed and oversized headers are refused, with a
 * reason; who may send one (proxy_trusted).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "proxy.h"
#include "t.h"

#define SIG	"\r\n\r\n\0\r\nQUIT\n"
#define B(s)	s, sizeof(s) - 1

/* two addresses and ports of TCP over IPv4 and IPv6 (v2) */
#define A4	"\xcb\x00\x71\x07" "\xc0\x00\x02\x01" "\xc8\x22" "\x07\xad"
#define A6	"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" \
		"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02" "\xc8\x22" "\x07\xad"

static const struct good {
	const char	*in;
	size_t		 len;
	int		 version;
	const char	*src;		/* NULL: local (the socket's own) */
	int		 port;
} good[] = {
	{ B("PROXY TCP4 203.0.113.7 192.0.2.1 51234 1965\r\n"), 1,
	    "203.0.113.7", 51234 },
	{ B("PROXY TCP6 2001:db8::1 2001:db8::2 51234 1965\r\n"), 1,
	    "2001:db8::1", 51234 },
	{ B("PROXY TCP6 ::ffff:198.51.100.2 ::1 1 2\r\n"), 1,
	    "::ffff:198.51.100.2", 1 },
	{ B("PROXY TCP4 0.0.0.0 0.0.0.0 0 0\r\n"), 1, "0.0.0.0", 0 },
	/* the spec's longest lines: 56, 104 and 107 bytes */
	{ B("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"), 1,
	    "255.255.255.255", 65535 },
	{ B("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF 65535 65535\r\n"), 1,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535 },
	{ B("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"), 1,
	    NULL, 0 },
	{ B("PROXY UNKNOWN\r\n"), 1, NULL, 0 },
	{ B(SIG "\x21\x11\x00\x0c" A4), 2, "203.0.113.7", 51234 },
	{ B(SIG "\x21\x21\x00\x24" A6), 2, "2001:db8::1", 51234 },
	/* LOCAL: HAProxy's health check; its family is ignored */
	{ B(SIG "\x20\x00\x00\x00"), 2, NULL, 0 },
	{ B(SIG "\x20\x11\x00\x0c" A4), 2, NULL, 0 },
	{ B(SIG "\x20\x55\x00\x03" "abc"), 2, NULL, 0 },
	/* PROXY with UNSPEC, UDP: the connection's own address */
	{ B(SIG "\x21\x00\x00\x00"), 2, NULL, 0 },
	{ B(SIG "\x21\x00\x00\x04" "junk"), 2, NULL, 0 },
	{ B(SIG "\x21\x12\x00\x0c" A4), 2, NULL, 0 },
	/* TLVs: ALPN, authority, NOOP (empty), unique ID, SSL with its
	 * sub-TLVs (skipped whole) */
	{ B(SIG "\x21\x11\x00\x32" A4 "\x01\x00\x02" "gm"
	    "\x02\x00\x09" "localhost" "\x04\x00\x00" "\x05\x00\x04" "id42"
	    "\x20\x00\x08" "\x01\0\0\0\0" "\x21\x00\x00"), 2,
	    "203.0.113.7", 51234 },
	{ B(SIG "\x21\x21\x00\x2a" A6 "\x03\x00\x03" "abc"), 2,
	    "2001:db8::1", 51234 },
};

static const struct bad {
	const char	*in;
	size_t		 len;
	const char	*why;		/* a part of the reason */
} bad[] = {
	{ B("GET / HTTP/1.0\r\n\r\n"), "no PROXY header" },
	{ B("\x16\x03\x01\x02\x00\x01"), "no PROXY header" },
	{ B("PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n"), "no PROXY header" },
	{ B("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), "no PROXY header" },
	{ B("\r\n\r\n\0\r\nQUIX\n\x21\x11\x00\x0c" A4), "no PROXY header" },
	/* v1: line ends */
	{ B("PROXY TCP4 203.0.113.7 192.0.2.1 51234 1965\n"), "LF without" },
	{ B("PROXY TCP4 203.0.113.7 192.0.2.1 51234 1965\rX"), "CR without" },
	{ B("PROXY TCP4 203.0.113.7\r 192.0.2.1 51234 1965\r\n"),
	    "CR without" },
	{ B("PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n"), "not printable" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\0\r\n"), "not printable" },
	{ B("PROXY TCP4 1.2.3.\xc4\x91 5.6.7.8 1 2\r\n"), "not printable" },
	/* v1: fields */
	{ B("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n"), "empty field" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"), "more than five" },
	{ B("PROXY \r\n"), "empty field" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n"), "more than five" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"), "fewer than five" },
	{ B("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"), "other than TCP4" },
	{ B("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n"), "other than TCP4" },
	{ B("PROXY UNKNOWNX\r\n"), "fewer than five" },
	/* v1: addresses of the other family, or not addresses */
	{ B("PROXY TCP4 2001:db8::1 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 192.0.2.1 2001:db8::1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP6 203.0.113.7 2001:db8::2 1 2\r\n"), "not IPv6" },
	{ B("PROXY TCP6 2001:db8::1 203.0.113.7 1 2\r\n"), "not IPv6" },
	{ B("PROXY TCP6 2001:db8::1::2 ::1 1 2\r\n"), "not IPv6" },
	{ B("PROXY TCP4 203.0.113.07 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 256.0.0.1 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 1.2.3 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 1.2.3.4.5 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 1.2.3. 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 1..3.4 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 +1.2.3.4 192.0.2.1 1 2\r\n"), "not IPv4" },
	{ B("PROXY TCP4 localhost 192.0.2.1 1 2\r\n"), "not IPv4" },
	/* v1: ports */
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n"), "port" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 99999999999\r\n"), "port" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n"), "port" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n"), "port" },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 0x2\r\n"), "port" },
	/* v2: version, command, family */
	{ B(SIG "\x11\x11\x00\x0c" A4), "version other than 2" },
	{ B(SIG "\x31"), "version other than 2" },
	{ B(SIG "\x22\x11\x00\x0c" A4), "command other than" },
	{ B(SIG "\x2f"), "command other than" },
	{ B(SIG "\x21\x41\x00\x0c" A4), "unknown family" },
	{ B(SIG "\x21\x13"), "unknown family" },
	{ B(SIG "\x21\x01"), "unknown family" },
	{ B(SIG "\x21\x10"), "unknown family" },
	/* v2: lengths */
	{ B(SIG "\x21\x11\x00\x0b" "\xcb\x00\x71\x07" "\xc0\x00\x02\x01"
	    "\xc8\x22\x07"), "shorter than its addresses" },
	{ B(SIG "\x21\x21\x00\x0c" A4), "shorter than its addresses" },
	{ B(SIG "\x21\x11\x00\x0e" A4 "\x01\x00"), "TLV cut short" },
	{ B(SIG "\x21\x11\x00\x0d" A4 "\x01"), "TLV cut short" },
	{ B(SIG "\x21\x11\x00\x0f" A4 "\x01\x00\x05"), "TLV longer" },
	{ B(SIG "\x21\x11\x00\x14" A4 "\x02\x00\x02" "ab" "\x04\x00\x02"
	    "c"), "TLV longer" },
	/* oversized: refused from the 16 bytes that say so */
	{ B(SIG "\x21\x11\x02\x09"), "longer than 536" },
	{ B(SIG "\x20\x00\xff\xff"), "longer than 536" },
};

/* the client's first bytes after a header: never taken with it */
static const char	*const after[] = {
	"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
	"gemini://localhost/\r\n",
	"/\r\n",
	"PROXY TCP4 6.6.6.6 5.6.7.8 1 2\r\n",
};

static void
check_addr(const struct proxy_hdr *h, const char *src, int port)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	char				 a[INET6_ADDRSTRLEN] = "";

	if (src == NULL) {
		CHECK_INT(h->local, 1);
		return;
	}
	CHECK_INT(h->local, 0);
	if (h->src.ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)&h->src;
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		CHECK_INT(ntohs(sin->sin_port), port);
	} else if (h->src.ss_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)&h->src;
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		CHECK_INT(ntohs(sin6->sin6_port), port);
	}
	CHECK_STR(a, src);
}

static void
test_good(const struct good *g)
{
	struct proxy_hdr	 h;
	char			 buf[PROXY_MAX + 64];
	size_t			 k, i;
	int			 more = 1;

	CHECK_INT(proxy_parse(g->in, g->len, &h), PROXY_DONE);
	CHECK_INT(h.len, g->len);
	CHECK_INT(h.version, g->version);
	CHECK(h.why == NULL);
	check_addr(&h, g->src, g->port);
	/* truncated at every byte: more, never a refusal */
	for (k = 0; k < g->len; k++)
		more &= proxy_parse(g->in, k, &h) == PROXY_MORE;
	if (!more)
		fprintf(stderr, "a prefix of %.*s is not MORE\n",
		    (int)g->len, g->in);
	CHECK(more);
	/* followed by what the client sends next: not taken */
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		memcpy(buf, g->in, g->len);
		memcpy(buf + g->len, after[i], strlen(after[i]));
		CHECK_INT(proxy_parse(buf, g->len + strlen(after[i]), &h),
		    PROXY_DONE);
		CHECK_INT(h.len, g->len);
		check_addr(&h, g->src, g->port);
	}
	CHECK_INT(proxy_sent(g->in, g->len), 1);
}

static void
test_bad(const struct bad *b)
{
	struct proxy_hdr	 h;

	CHECK_INT(proxy_parse(b->in, b->len, &h), PROXY_BAD);
	CHECK(h.why != NULL);
	if (h.why != NULL)
		CHECK_HAS(h.why, b->why);
}

/* lengths at the edges: 107 bytes of v1, 536 of v2, and one more */
static void
test_sizes(void)
{
	struct proxy_hdr	 h;
	unsigned char		 v2[PROXY_MAX + 1];
	char			 v1[PROXY_V1_MAX + 2];
	size_t			 n, i;

	/* v1: no CRLF within 107 bytes, whatever comes after */
	memset(v1, 'x', sizeof(v1));
	memcpy(v1, "PROXY UNKNOWN ", 14);
	CHECK_INT(proxy_parse(v1, PROXY_V1_MAX - 1, &h), PROXY_MORE);
	CHECK_INT(proxy_parse(v1, PROXY_V1_MAX, &h), PROXY_BAD);
	CHECK_HAS(h.why, "no CRLF within 107");
	/* CRLF as bytes 106 and 107: good; as 107 and 108: too long */
	memcpy(v1 + PROXY_V1_MAX - 2, "\r\n", 2);
	CHECK_INT(proxy_parse(v1, PROXY_V1_MAX, &h), PROXY_DONE);
	CHECK_INT(h.len, PROXY_V1_MAX);
	memset(v1 + PROXY_V1_MAX - 2, 'x', 2);
	memcpy(v1 + PROXY_V1_MAX - 1, "\r\n", 2);
	CHECK_INT(proxy_parse(v1, PROXY_V1_MAX + 1, &h), PROXY_BAD);
	/* v2: 520 bytes after the 16 (the addresses and one NOOP TLV) */
	n = PROXY_V2_LEN_MAX;
	memcpy(v2, SIG "\x21\x11", 14);
	v2[14] = (unsigned char)(n >> 8);
	v2[15] = (unsigned char)n;
	memcpy(v2 + 16, A4, 12);
	v2[28] = 0x04;
	v2[29] = (unsigned char)((n - 15) >> 8);
	v2[30] = (unsigned char)(n - 15);
	for (i = 31; i < sizeof(v2); i++)
		v2[i] = (unsigned char)i;
	CHECK_INT(proxy_parse(v2, PROXY_MAX - 1, &h), PROXY_MORE);
	CHECK_INT(proxy_parse(v2, PROXY_MAX + 1, &h), PROXY_DONE);
	CHECK_INT(h.len, PROXY_MAX);
	check_addr(&h, "203.0.113.7", 51234);
	/* a unix socket's addresses (216 bytes): the socket's own */
	memset(v2 + 16, 0, 216);
	memcpy(v2, SIG "\x21\x31\x00\xd8", 16);
	CHECK_INT(proxy_parse(v2, 16 + 216, &h), PROXY_DONE);
	CHECK_INT(h.local, 1);
	/* one byte over */
	n = PROXY_V2_LEN_MAX + 1;
	v2[14] = (unsigned char)(n >> 8);
	v2[15] = (unsigned char)n;
	CHECK_INT(proxy_parse(v2, 16, &h), PROXY_BAD);
	CHECK_HAS(h.why, "longer than 536");
}

static const struct {
	const char	*in;
	size_t		 len;
	int		 sent;
} sent[] = {
	{ B("PROXY "), 1 },
	{ B("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), 1 },
	{ B("PROXY"), 0 },		/* not whole: a direct client's */
	{ B(SIG), 1 },
	{ B("\r\n\r\n\0\r\nQUIT"), 0 },
	{ B("\r\n"), 0 },		/* Gopher's empty selector */
	{ B("\x16\x03\x01\x02\x00"), 0 },
	{ B("/thoi-su/\r\n"), 0 },
	{ B("PROXYX"), 0 },
};

/* "a/bits" (bits of the address's own family) as config.c keeps it */
static struct config_net
net(const char *s)
{
	struct config_net	 n;
	char			 a[64], *slash;
	unsigned char		 v4[4];

	memset(&n, 0, sizeof(n));
	snprintf(a, sizeof(a), "%s", s);
	slash = strchr(a, '/');
	*slash = '\0';
	if (inet_pton(AF_INET, a, v4) == 1) {
		n.addr[10] = n.addr[11] = 0xff;
		memcpy(n.addr + 12, v4, 4);
		n.bits = 96 + atoi(slash + 1);
	} else {
		inet_pton(AF_INET6, a, n.addr);
		n.bits = atoi(slash + 1);
	}
	return n;
}

static int
trusted(const struct config_net *nets, int n, const char *addr)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)(void *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	return proxy_trusted(nets, n, (struct sockaddr *)&ss);
}

static void
test_trusted(void)
{
	struct config_net	 nets[4], any;
	struct sockaddr_un	 un;
	static const struct {
		const char	*addr;
		int		 trusted;
	} cases[] = {
		{ "127.0.0.1", 1 }, { "127.0.0.2", 0 },
		{ "10.0.0.1", 1 }, { "10.255.255.255", 1 }, { "11.0.0.1", 0 },
		{ "192.168.1.128", 1 }, { "192.168.1.255", 1 },
		{ "192.168.1.127", 0 }, { "192.168.0.200", 0 },
		{ "2001:db8:1::5", 1 }, { "2001:db9::5", 0 }, { "::1", 0 },
		/* an IPv4 client of a dual-stack socket */
		{ "::ffff:10.1.2.3", 1 }, { "::ffff:127.0.0.2", 0 },
	};
	size_t			 i;

	nets[0] = net("127.0.0.1/32");
	nets[1] = net("10.0.0.0/8");
	nets[2] = net("192.168.1.128/25");
	nets[3] = net("2001:db8::/32");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (trusted(nets, 4, cases[i].addr) != cases[i].trusted)
			fprintf(stderr, "%s: trusted %d\n", cases[i].addr,
			    !cases[i].trusted);
		CHECK_INT(trusted(nets, 4, cases[i].addr), cases[i].trusted);
	}
	CHECK_INT(trusted(nets, 0, "127.0.0.1"), 0);
	any = net("::/0");
	CHECK_INT(trusted(&any, 1, "2001:db9::5"), 1);
	CHECK_INT(trusted(&any, 1, "198.51.100.1"), 1);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	CHECK_INT(proxy_trusted(&any, 1, (struct sockaddr *)&un), 0);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		test_good(&good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		test_bad(&bad[i]);
	test_sizes();
	for (i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		CHECK_INT(proxy_sent(sent[i].in, sent[i].len), sent[i].sent);
	test_trusted();
	return t_done("test_proxy");
}
