/*
 * iplimit.h: open connections and requests per client address, over
 * every worker. Workers are processes that all accept on the same
 * listeners, so the counts live in one table of shared memory, made
 * by the master before its first fork and kept for its whole life:
 * workers of an old generation still hold connections while they
 * drain. Fixed size, no allocation per connection; a full table lets
 * a client in uncounted rather than turn anyone away.
 */
#ifndef IPLIMIT_H
#define IPLIMIT_H

#include <stddef.h>

struct iplimit;
struct sockaddr;

/* An address as the table keys it: IPv4 as ::ffff:a.b.c.d, IPv6 cut
 * to its /64 (what one subscriber is given: a client must not get a
 * fresh count by changing the low bits). */
struct iplimit_addr {
	unsigned char	 b[16];
};

struct iplimit_rule {			/* a generation's [limits] */
	int		 max_conns;	/* per address; 0 = no cap */
	int		 rate;		/* requests a second; 0 = no limit */
	int		 burst;		/* requests at once within the rate */
};

#define IPLIMIT_PROBE		32	/* entries an address may be in */
#define IPLIMIT_MAX		(1 << 20)

#define IPLIMIT_REFUSED		(-1)	/* at max_conns: close it */
#define IPLIMIT_UNCOUNTED	(-2)	/* no room in the table: let it in */

/* A table of n entries (a power of two, at least IPLIMIT_PROBE, at
 * most IPLIMIT_MAX; n is rounded up); NULL if no shared memory. */
struct iplimit	*iplimit_new(size_t n);
void		 iplimit_free(struct iplimit *);
/* The entries for max_connections (iplimit.c says why). */
size_t		 iplimit_size(int max_connections);

/* The key of a socket address; -1 for a family with none (AF_UNIX). */
int		 iplimit_key(const struct sockaddr *, struct iplimit_addr *);

/*
 * One more open connection from a, unless it has max already (max 0:
 * count it, never refuse). Returns its slot (>= 0) and the epoch it
 * was counted in, for iplimit_close; or IPLIMIT_REFUSED or
 * IPLIMIT_UNCOUNTED. now is a monotonic clock in ms, the same in
 * every process.
 */
int		 iplimit_open(struct iplimit *, const struct iplimit_addr *,
		    int max, long long now, unsigned *epoch);
/* That connection closed. A slot counted before a reset is not
 * counted any more: nothing is taken off. */
void		 iplimit_close(struct iplimit *, int slot, unsigned epoch);
/* A request from a: 0 to answer it, else the seconds (>= 1) to wait
 * before the next one. Takes a token from a's bucket when it answers. */
int		 iplimit_request(struct iplimit *, const struct iplimit_addr *,
		    const struct iplimit_rule *, long long now);
/* Open connections counted for a now. */
int		 iplimit_conns(struct iplimit *, const struct iplimit_addr *);

/*
 * A worker died without closing its connections: forget every count
 * and start a new epoch. Each live worker sees the epoch change
 * (iplimit_epoch) and counts its open connections again.
 */
void		 iplimit_reset(struct iplimit *);
unsigned	 iplimit_epoch(struct iplimit *);

#endif
