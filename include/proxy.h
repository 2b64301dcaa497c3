/*
 * proxy.h: the PROXY protocol's header (HAProxy's proxy-protocol.txt),
 * which a load balancer in TCP mode sends before the client's first
 * byte to name the client. Versions 1 (a text line) and 2 (binary).
 * Pure: bytes in, a result out; conn.c reads the socket and decides
 * whom to believe (proxy_trusted).
 */
#ifndef PROXY_H
#define PROXY_H

#include <sys/socket.h>

#include <stddef.h>

struct config_net;

#define PROXY_V1_MAX	107	/* a v1 line, CRLF included (the spec's) */
#define PROXY_V2_HEAD	16	/* v2: signature, version, family, length */
/*
 * v2: bytes after the first 16 at most. The spec makes both formats
 * fit the smallest TCP segment every host takes (536 bytes): 520 holds
 * the IPv6 addresses (36) with HAProxy's TLVs (ALPN, authority, a
 * unique ID of up to 128 bytes, a CRC, a namespace) and a cloud
 * balancer's endpoint ID. A longer one is refused, not buffered.
 */
#define PROXY_V2_LEN_MAX 520
#define PROXY_MAX	(PROXY_V2_HEAD + PROXY_V2_LEN_MAX)
#define PROXY_SIG_LEN	12	/* the v2 signature; v1's "PROXY " is 6 */

enum proxy_result {
	PROXY_MORE,		/* all of it header so far: read more */
	PROXY_DONE,		/* a whole header, of len bytes */
	PROXY_BAD		/* no header, or a malformed one: why */
};

struct proxy_hdr {
	size_t			 len;		/* the header's bytes */
	int			 version;	/* 1 or 2 */
	/* no client named (v2 LOCAL, a health check; v2 UNSPEC; v1
	 * UNKNOWN): the socket's own peer stands */
	int			 local;
	struct sockaddr_storage	 src;		/* the client, unless local */
	const char		*why;		/* PROXY_BAD: for the log */
};

/*
 * The header at the start of the n bytes at p. PROXY_MORE promises
 * that every one of the n bytes belongs to the header, so that the
 * caller may take them off the socket; PROXY_DONE that the header is
 * the first len of them, the rest the client's.
 */
enum proxy_result	 proxy_parse(const void *p, size_t n,
			    struct proxy_hdr *);
/* Do the first n bytes a client sent start with either signature? */
int			 proxy_sent(const void *p, size_t n);
/* Is sa's address within one of the n nets ([server] proxy_from)? */
int			 proxy_trusted(const struct config_net *, int n,
			    const struct sockaddr *sa);

#endif
