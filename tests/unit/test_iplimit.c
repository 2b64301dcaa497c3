/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_iplimit.c: the per-address table, as scripts of steps on a
 * clock the test sets: connections counted up to the cap and given
 * back, IPv4 and IPv6 keys, the rate's bucket emptied and refilled,
 * a reset that forgets every count, a full table that lets clients in
 * uncounted and reuses what is free again; then the table shared by
 * two processes.
 */

#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iplimit.h"
#include "t.h"

enum op {
	OPEN,		/* arg: the cap; want: COUNTED or IPLIMIT_* */
	CLOSE,		/* the last connection opened from addr */
	CLOSE_OLD,	/* the same, with the epoch before the last reset */
	REQ,		/* arg: rate, arg2: burst; want: seconds to wait */
	CONNS,		/* want: open connections of addr */
	RESET
};

#define COUNTED	0	/* OPEN: a slot (>= 0) */

struct step {
	enum op		 op;
	const char	*addr;
	long long	 now;		/* ms */
	int		 arg, arg2;
	int		 want;
};

struct script {
	const char	*name;
	size_t		 size;		/* entries */
	struct step	 steps[40];
};

static const struct script scripts[] = {
	{ "cap", 4096, {
		{ OPEN, "127.0.0.1", 0, 3, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 3, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 3, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 3, 0, IPLIMIT_REFUSED },
		{ OPEN, "127.0.0.2", 0, 3, 0, COUNTED },	/* another */
		{ CONNS, "127.0.0.1", 0, 0, 0, 3 },
		{ CONNS, "127.0.0.2", 0, 0, 0, 1 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 2 },
		{ OPEN, "127.0.0.1", 0, 3, 0, COUNTED },	/* room again */
		{ OPEN, "127.0.0.1", 0, 0, 0, COUNTED },	/* no cap */
		{ CONNS, "127.0.0.1", 0, 0, 0, 4 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "127.0.0.2", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.2", 0, 0, 0, 0 },
		{ OPEN, "127.0.0.1", 0, 1, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 1, 0, IPLIMIT_REFUSED },
	} },
	{ "ipv6", 4096, {
		{ OPEN, "2001:db8::1", 0, 2, 0, COUNTED },
		/* the same /64: one subscriber */
		{ OPEN, "2001:db8::ffff:2", 0, 2, 0, COUNTED },
		{ OPEN, "2001:db8::3", 0, 2, 0, IPLIMIT_REFUSED },
		{ CONNS, "2001:db8::", 0, 0, 0, 2 },
		/* another /64 */
		{ OPEN, "2001:db8:0:1::1", 0, 2, 0, COUNTED },
		{ CONNS, "2001:db8:0:1::", 0, 0, 0, 1 },
		/* an IPv4 client on a dual-stack socket is its IPv4 address,
		 * all of it */
		{ OPEN, "::ffff:192.0.2.1", 0, 2, 0, COUNTED },
		{ OPEN, "192.0.2.1", 0, 2, 0, COUNTED },
		{ OPEN, "192.0.2.1", 0, 2, 0, IPLIMIT_REFUSED },
		{ CONNS, "192.0.2.2", 0, 0, 0, 0 },
		{ CONNS, "::ffff:192.0.2.1", 0, 0, 0, 2 },
		{ OPEN, "::1", 0, 2, 0, COUNTED },
		{ CONNS, "::1", 0, 0, 0, 1 },
	} },
	/* 2 a second, 3 at once: an interval of 500 ms */
	{ "rate", 4096, {
		{ REQ, "127.0.0.1", 0, 2, 3, 0 },
		{ REQ, "127.0.0.1", 0, 2, 3, 0 },
		{ REQ, "127.0.0.1", 0, 2, 3, 0 },
		{ REQ, "127.0.0.1", 0, 2, 3, 1 },	/* the burst is spent */
		{ REQ, "127.0.0.2", 0, 2, 3, 0 },	/* another address */
		{ REQ, "127.0.0.1", 499, 2, 3, 1 },
		{ REQ, "127.0.0.1", 500, 2, 3, 0 },	/* one token back */
		{ REQ, "127.0.0.1", 500, 2, 3, 1 },
		{ REQ, "127.0.0.1", 999, 2, 3, 1 },
		{ REQ, "127.0.0.1", 1000, 2, 3, 0 },
		/* long idle: the bucket is full, not fuller */
		{ REQ, "127.0.0.1", 60000, 2, 3, 0 },
		{ REQ, "127.0.0.1", 60000, 2, 3, 0 },
		{ REQ, "127.0.0.1", 60000, 2, 3, 0 },
		{ REQ, "127.0.0.1", 60000, 2, 3, 1 },
		/* no limit: never a wait, whatever the bucket says */
		{ REQ, "127.0.0.1", 60000, 0, 3, 0 },
		/* 1 a second, 1 at once: the wait is what is left of it */
		{ REQ, "10.0.0.1", 0, 1, 1, 0 },
		{ REQ, "10.0.0.1", 0, 1, 1, 1 },
		{ REQ, "10.0.0.1", 1000, 1, 1, 0 },
		/* a refused request costs nothing; a wait of a few ms is
		 * a second, never 0 */
		{ REQ, "10.0.0.2", 0, 1, 1, 0 },
		{ REQ, "10.0.0.2", 0, 1, 1, 1 },
		{ REQ, "10.0.0.2", 0, 1, 1, 1 },
		{ REQ, "10.0.0.3", 0, 100, 1, 0 },
		{ REQ, "10.0.0.3", 5, 100, 1, 1 },
		{ REQ, "10.0.0.3", 10, 100, 1, 0 },
		/* the bucket and the count are one entry */
		{ OPEN, "127.0.0.2", 0, 1, 0, COUNTED },
		{ CONNS, "127.0.0.2", 0, 0, 0, 1 },
	} },
	{ "reset", 4096, {
		{ OPEN, "127.0.0.1", 0, 2, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 2, 0, COUNTED },
		{ OPEN, "127.0.0.1", 0, 2, 0, IPLIMIT_REFUSED },
		{ RESET, NULL, 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 0 },
		/* counted before the reset: takes nothing off */
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ OPEN, "127.0.0.1", 0, 2, 0, COUNTED },
		{ CONNS, "127.0.0.1", 0, 0, 0, 1 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "127.0.0.1", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 0 },
		{ OPEN, "127.0.0.1", 0, 2, 0, COUNTED },
		{ CLOSE_OLD, "127.0.0.1", 0, 0, 0, 0 },
		{ CONNS, "127.0.0.1", 0, 0, 0, 1 },
	} },
	/* the smallest table: every address's window is the whole of it */
	{ "full", IPLIMIT_PROBE, {
		{ OPEN, "10.0.0.1", 0, 4, 0, COUNTED },
		{ OPEN, "10.0.0.2", 0, 4, 0, COUNTED },
		/* 3 to 32: filled below */
		{ OPEN, "10.0.1.1", 0, 4, 0, IPLIMIT_UNCOUNTED },
		{ REQ, "10.0.1.1", 0, 1, 1, 0 },	/* let in */
		{ REQ, "10.0.1.1", 0, 1, 1, 0 },	/* not counted */
		{ CONNS, "10.0.1.1", 0, 0, 0, 0 },
		/* known addresses are still counted */
		{ OPEN, "10.0.0.1", 0, 4, 0, COUNTED },
		{ CONNS, "10.0.0.1", 0, 0, 0, 2 },
		/* an entry with no connection and a full bucket is free */
		{ CLOSE, "10.0.0.2", 0, 0, 0, 0 },
		{ OPEN, "10.0.1.1", 0, 4, 0, COUNTED },
		{ CONNS, "10.0.1.1", 0, 0, 0, 1 },
		{ CONNS, "10.0.0.2", 0, 0, 0, 0 },
		/* one with a bucket not yet full is not */
		{ CLOSE, "10.0.0.1", 0, 0, 0, 0 },
		{ CLOSE, "10.0.0.1", 0, 0, 0, 0 },
		{ REQ, "10.0.0.1", 0, 1, 1, 0 },
		{ OPEN, "10.0.1.2", 0, 4, 0, IPLIMIT_UNCOUNTED },
		{ REQ, "10.0.0.1", 0, 1, 1, 1 },	/* still there */
		{ OPEN, "10.0.1.2", 999, 4, 0, IPLIMIT_UNCOUNTED },
		{ OPEN, "10.0.1.2", 1000, 4, 0, COUNTED },
		{ CONNS, "10.0.1.2", 0, 0, 0, 1 },
	} },
};

static int
key(const char *s, struct iplimit_addr *a)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, s, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return iplimit_key((struct sockaddr *)&sin, a);
	}
	if (inet_pton(AF_INET6, s, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		return iplimit_key((struct sockaddr *)&sin6, a);
	}
	return -1;
}

/* the connections a script holds open: address, slot, epoch */
struct held {
	char		 addr[64];
	int		 slot;
	unsigned	 epoch;
};

/* close the last connection opened from addr; old: with the epoch
 * before the one it was counted in */
static void
close_last(struct iplimit *t, struct held *h, int *nh, const char *addr,
    int old)
{
	int	 i;

	for (i = *nh - 1; i >= 0; i--)
		if (strcmp(h[i].addr, addr) == 0)
			break;
	CHECK(i >= 0);
	if (i < 0)
		return;
	iplimit_close(t, h[i].slot, old ? h[i].epoch - 1 : h[i].epoch);
	h[i] = h[--*nh];
}

static void
run(const struct script *sc)
{
	struct iplimit		*t;
	struct iplimit_addr	 a;
	struct iplimit_rule	 r;
	struct held		 h[64];
	const struct step	*s;
	unsigned		 epoch;
	char			 ip[32];
	int			 nh = 0, got, slot, i;

	t = iplimit_new(sc->size);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	if (strcmp(sc->name, "full") == 0)
		for (i = 3; i <= IPLIMIT_PROBE; i++) {
			snprintf(ip, sizeof(ip), "10.0.0.%d", i);
			key(ip, &a);
			CHECK(iplimit_open(t, &a, 4, 0, &epoch) >= 0);
		}
	/* the table's end: a zeroed step */
	for (s = sc->steps; s->addr != NULL || s->op == RESET; s++) {
		if (s->addr != NULL)
			CHECK_INT(key(s->addr, &a), 0);
		switch (s->op) {
		case OPEN:
			slot = iplimit_open(t, &a, s->arg, s->now, &epoch);
			got = slot >= 0 ? COUNTED : slot;
			if (got != s->want)
				fprintf(stderr, "%s: step %d: open %s\n",
				    sc->name, (int)(s - sc->steps), s->addr);
			CHECK_INT(got, s->want);
			if (slot >= 0 && nh < 64) {
				snprintf(h[nh].addr, sizeof(h[nh].addr), "%s",
				    s->addr);
				h[nh].slot = slot;
				h[nh].epoch = epoch;
				nh++;
			}
			break;
		case CLOSE:
		case CLOSE_OLD:
			close_last(t, h, &nh, s->addr, s->op == CLOSE_OLD);
			break;
		case REQ:
			r.max_conns = 0;
			r.rate = s->arg;
			r.burst = s->arg2;
			got = iplimit_request(t, &a, &r, s->now);
			if (got != s->want)
				fprintf(stderr, "%s: step %d: request %s at "
				    "%lld\n", sc->name, (int)(s - sc->steps),
				    s->addr, s->now);
			CHECK_INT(got, s->want);
			break;
		case CONNS:
			CHECK_INT(iplimit_conns(t, &a), s->want);
			break;
		case RESET:
			epoch = iplimit_epoch(t);
			iplimit_reset(t);
			CHECK_INT(iplimit_epoch(t), epoch + 1);
			break;
		}
	}
	iplimit_free(t);
}

/* Two processes, one table: what a child counts, the parent sees; a
 * child that dies holding connections leaves counts a reset clears. */
static void
shared(void)
{
	struct iplimit		*t;
	struct iplimit_addr	 a;
	unsigned		 epoch, before;
	pid_t			 pid;
	int			 status = -1, slot;

	t = iplimit_new(iplimit_size(1024));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	key("192.0.2.7", &a);
	slot = iplimit_open(t, &a, 2, 0, &epoch);
	CHECK(slot >= 0);
	if ((pid = fork()) == 0) {
		/* the second is counted, the third is over the cap */
		_exit(iplimit_open(t, &a, 2, 0, &epoch) >= 0 &&
		    iplimit_open(t, &a, 2, 0, &epoch) == IPLIMIT_REFUSED ?
		    0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(iplimit_conns(t, &a), 2);
	CHECK_INT(iplimit_open(t, &a, 2, 0, &epoch), IPLIMIT_REFUSED);
	/* the child died holding one: the master resets */
	before = epoch;
	iplimit_reset(t);
	CHECK_INT(iplimit_conns(t, &a), 0);
	iplimit_close(t, slot, before);		/* counted before: no effect */
	CHECK_INT(iplimit_conns(t, &a), 0);
	CHECK(iplimit_open(t, &a, 2, 0, &epoch) >= 0);
	CHECK_INT(iplimit_conns(t, &a), 1);
	/* a close too many does not go below zero */
	slot = iplimit_open(t, &a, 2, 0, &epoch);
	iplimit_close(t, slot, epoch);
	iplimit_close(t, slot, epoch);
	iplimit_close(t, slot, epoch);
	CHECK_INT(iplimit_conns(t, &a), 0);
	iplimit_free(t);
}

/*
 * A worker killed at any moment, in the middle of an update too,
 * holding the lock: the next one to take it goes on (a robust mutex),
 * and forgets every count, the dead one's half-done update included.
 * The children are killed at whatever point they have reached, many
 * times, so that some die holding the lock; none may hang the parent
 * (alarm). After each, the parent resets, as the master does when it
 * reaps a worker that did not exit cleanly.
 */
static void
killed_holding(void)
{
	struct iplimit		*t;
	struct iplimit_addr	 a;
	struct iplimit_rule	 r = { 0, 1000, 1000 };
	unsigned		 epoch;
	pid_t			 pid;
	int			 i, slot, status, resets = 0;

	t = iplimit_new(iplimit_size(1024));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	key("198.51.100.1", &a);
	alarm(60);
	for (i = 0; i < 200; i++) {
		epoch = iplimit_epoch(t);
		if ((pid = fork()) == 0) {
			for (;;) {
				slot = iplimit_open(t, &a, 0, 0, &epoch);
				iplimit_request(t, &a, &r, 0);
				iplimit_close(t, slot, epoch);
			}
		}
		usleep(200 + (i % 7) * 100);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		/* the parent is not stuck, and the table works */
		iplimit_reset(t);
		/* 2: the reset's, and the lock's owner died */
		resets += iplimit_epoch(t) - epoch == 2;
		CHECK_INT(iplimit_conns(t, &a), 0);
		slot = iplimit_open(t, &a, 1, 0, &epoch);
		CHECK(slot >= 0);
		CHECK_INT(iplimit_open(t, &a, 1, 0, &epoch), IPLIMIT_REFUSED);
		iplimit_close(t, slot, epoch);
		CHECK_INT(iplimit_conns(t, &a), 0);
	}
	alarm(0);
	fprintf(stderr, "%d of 200 children died holding the lock\n",
	    resets);
	iplimit_free(t);
}

/*
 * Neighbouring addresses spread over the table: at half load, all but
 * a handful find room in their window (a hash that kept the low bits
 * of IPv4 addresses in one place left most of them uncounted). The
 * hash's key is random, so an address now and then meets a full
 * window by chance: over 6,000 tables, 0.7% had one address or more
 * uncounted and none more than 3, so more than 8 is a bad hash.
 */
static void
spread(void)
{
	static const char *const fmt[] = { "10.%d.%d.1", "2001:db8:%x:%x::" };
	struct iplimit		*t;
	struct iplimit_addr	 a;
	unsigned		 epoch;
	char			 ip[64];
	int			 f, i, uncounted;

	for (f = 0; f < 2; f++) {
		if ((t = iplimit_new(4096)) == NULL)
			continue;
		for (uncounted = 0, i = 0; i < 2048; i++) {
			snprintf(ip, sizeof(ip), fmt[f], i >> 8, i & 0xff);
			key(ip, &a);
			uncounted += iplimit_open(t, &a, 0, 0, &epoch) ==
			    IPLIMIT_UNCOUNTED;
		}
		if (uncounted > 8)
			CHECK_INT(uncounted, 0);
		iplimit_free(t);
	}
}

int
main(void)
{
	struct iplimit_addr	 a;
	struct iplimit_rule	 r = { 1, 1, 1 };
	struct sockaddr		 sa;
	unsigned		 epoch;
	size_t			 i;

	for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		run(&scripts[i]);
	shared();
	spread();
	/* qemu-user does not emulate robust futexes (set_robust_list): a
	 * holder's death is never seen there, so the case would hang; it
	 * is the kernel's behaviour, tested in every native run */
	if (getenv("BANTIN_EMULATOR") == NULL)
		killed_holding();
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	CHECK_INT(iplimit_key(&sa, &a), -1);
	CHECK_INT(iplimit_size(1), 4096);
	CHECK_INT(iplimit_size(100000), 400000);
	/* no table: every client let in, uncounted */
	CHECK_INT(iplimit_open(NULL, &a, 1, 0, &epoch), IPLIMIT_UNCOUNTED);
	CHECK_INT(iplimit_request(NULL, &a, &r, 0), 0);
	iplimit_close(NULL, 0, 0);
	return t_done("test_iplimit");
}
