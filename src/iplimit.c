/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * iplimit.c: the per-address table, in one anonymous shared mapping
 * that the master makes before it forks and every worker inherits.
 *
 * Open addressing: an address may sit in any of the IPLIMIT_PROBE
 * entries after its hash, and a look-up reads all of them. An entry
 * with no open connection and a full bucket holds nothing worth
 * keeping, so it is free for any address, whatever it held; there are
 * no tombstones. When none of an address's entries is free, the
 * address is let in uncounted (the caller logs it): a table full of
 * an attacker's addresses must not turn everyone else away. The hash
 * is keyed with a secret made at start, so that no one can choose
 * addresses that all fall in the same entries.
 *
 * The rate is a token bucket kept as one time per entry (the generic
 * cell rate algorithm): tat, the time at which the bucket will be full
 * again. A request may go when tat is at most (burst - 1) intervals
 * ahead of now, and moves it one interval on; a full bucket is a tat
 * in the past.
 *
 * One process-shared mutex guards the table: every operation is a
 * look-up of a few entries. It is robust: a worker that dies holding
 * it (SIGKILL at the end of a drain) passes it on, and the next owner
 * forgets every count, since the dead one's update may be half done.
 */

#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "iplimit.h"

/* a table for the connections of max_connections, each from its own
 * address, and as many recent clients again whose bucket is not full
 * yet, at half load at most so that a window of IPLIMIT_PROBE entries
 * is rarely full; at least 4096 entries (128 KB), since a reload may
 * raise max_connections and the table stays */
#define IPLIMIT_MIN_SIZE	4096

struct entry {
	struct iplimit_addr	 addr;
	uint32_t		 conns;		/* open, over all workers */
	uint32_t		 pad;
	int64_t			 tat;		/* µs: the bucket full again */
};

struct iplimit {
	pthread_mutex_t		 lock;
	unsigned		 epoch;		/* read without the lock */
	uint64_t		 key[2];	/* the hash's secret */
	size_t			 size;		/* entries, a power of two */
	size_t			 maplen;
	struct entry		 e[];
};

size_t
iplimit_size(int max_connections)
{
	size_t	 n = 4 * (size_t)(max_connections > 0 ? max_connections : 0);

	return n < IPLIMIT_MIN_SIZE ? IPLIMIT_MIN_SIZE : n;
}

struct iplimit *
iplimit_new(size_t n)
{
	pthread_mutexattr_t	 attr;
	struct iplimit		*t;
	size_t			 size = IPLIMIT_PROBE, len;
	void			*p;

	while (size < n && size < IPLIMIT_MAX)
		size *= 2;
	len = sizeof(*t) + size * sizeof(struct entry);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	t = p;			/* zeroed: every entry free, epoch 0 */
	t->size = size;
	t->maplen = len;
	if (getrandom(t->key, sizeof(t->key), 0) != sizeof(t->key))
		t->key[0] = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)p;
	if (pthread_mutexattr_init(&attr) != 0)
		goto fail;
	if (pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutex_init(&t->lock, &attr) != 0) {
		pthread_mutexattr_destroy(&attr);
		goto fail;
	}
	pthread_mutexattr_destroy(&attr);
	return t;
fail:
	munmap(p, len);
	return NULL;
}

void
iplimit_free(struct iplimit *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	munmap(t, t->maplen);
}

int
iplimit_key(const struct sockaddr *sa, struct iplimit_addr *a)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	memset(a, 0, sizeof(*a));
	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)(const void *)sa;
		a->b[10] = a->b[11] = 0xff;
		memcpy(a->b + 12, &sin->sin_addr, 4);
		return 0;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(a->b, &sin6->sin6_addr, 16);
		/* an IPv4 client of a dual-stack socket keeps all of its
		 * address; an IPv6 one is its /64 */
		if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memset(a->b + 8, 0, 8);
		return 0;
	default:
		return -1;
	}
}

static void
forget(struct iplimit *t)
{
	size_t	 i;

	for (i = 0; i < t->size; i++)
		t->e[i].conns = 0;
	__atomic_add_fetch(&t->epoch, 1, __ATOMIC_RELEASE);
}

/* 0 with the lock held; -1: it cannot be had, do without the table */
static int
lock(struct iplimit *t)
{
	int	 r = pthread_mutex_lock(&t->lock);

	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(&t->lock);
		forget(t);
		return 0;
	}
	return r == 0 ? 0 : -1;
}

static void
unlock(struct iplimit *t)
{
	pthread_mutex_unlock(&t->lock);
}

/* keyed with a secret of the run, then folded and multiplied twice:
 * addresses that differ in a few bits land far apart, and no client
 * can aim at one window without the key */
static size_t
hash(const struct iplimit *t, const struct iplimit_addr *a)
{
	static const uint64_t	 mul[2] = {
		0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL
	};
	uint64_t		 w[2], h;
	int			 i;

	memcpy(w, a->b, sizeof(w));
	h = (w[0] ^ t->key[0]) * 0x9e3779b97f4a7c15ULL ^ w[1] ^ t->key[1];
	for (i = 0; i < 2; i++) {
		h ^= h >> 32;
		h *= mul[i];
	}
	return (size_t)(h ^ (h >> 32));
}

/*
 * a's entry, or (add) a free one made a's; NULL when a has none and
 * none of its window is free. Called with the lock held.
 */
static struct entry *
find(struct iplimit *t, const struct iplimit_addr *a, int64_t now_us,
    int add)
{
	struct entry	*e, *room = NULL;
	size_t		 h = hash(t, a), i;

	for (i = 0; i < IPLIMIT_PROBE; i++) {
		e = &t->e[(h + i) & (t->size - 1)];
		if (memcmp(&e->addr, a, sizeof(*a)) == 0)
			return e;
		if (room == NULL && e->conns == 0 && e->tat <= now_us)
			room = e;
	}
	if (!add || room == NULL)
		return NULL;
	room->addr = *a;
	room->conns = 0;
	room->tat = 0;
	return room;
}

int
iplimit_open(struct iplimit *t, const struct iplimit_addr *a, int max,
    long long now, unsigned *epoch)
{
	struct entry	*e;
	int		 slot = IPLIMIT_UNCOUNTED;

	if (t == NULL || lock(t) == -1)
		return IPLIMIT_UNCOUNTED;
	if ((e = find(t, a, now * 1000, 1)) != NULL) {
		if (max > 0 && e->conns >= (uint32_t)max)
			slot = IPLIMIT_REFUSED;
		else {
			e->conns++;
			slot = (int)(e - t->e);
		}
	}
	*epoch = t->epoch;
	unlock(t);
	return slot;
}

void
iplimit_close(struct iplimit *t, int slot, unsigned epoch)
{
	if (t == NULL || slot < 0 || (size_t)slot >= t->size || lock(t) == -1)
		return;
	/* counted before a reset: that count is gone already */
	if (epoch == t->epoch && t->e[slot].conns > 0)
		t->e[slot].conns--;
	unlock(t);
}

int
iplimit_request(struct iplimit *t, const struct iplimit_addr *a,
    const struct iplimit_rule *r, long long now)
{
	struct entry	*e;
	int64_t		 now_us = now * 1000, step, tolerance, tat, wait;

	if (t == NULL || r->rate <= 0)
		return 0;
	step = 1000000 / r->rate;
	if (step < 1)
		step = 1;
	tolerance = (int64_t)(r->burst > 1 ? r->burst - 1 : 0) * step;
	if (lock(t) == -1)
		return 0;
	if ((e = find(t, a, now_us, 1)) == NULL) {
		unlock(t);
		return 0;		/* no room to count it: let it be */
	}
	tat = e->tat > now_us ? e->tat : now_us;
	if (tat - now_us > tolerance) {
		unlock(t);
		wait = tat - now_us - tolerance;
		return (int)((wait + 999999) / 1000000);
	}
	e->tat = tat + step;
	unlock(t);
	return 0;
}

int
iplimit_conns(struct iplimit *t, const struct iplimit_addr *a)
{
	struct entry	*e;
	int		 n = 0;

	if (t == NULL || lock(t) == -1)
		return 0;
	/* a look-up that adds nothing: the time only picks free entries */
	if ((e = find(t, a, 0, 0)) != NULL)
		n = (int)e->conns;
	unlock(t);
	return n;
}

void
iplimit_reset(struct iplimit *t)
{
	if (t == NULL || lock(t) == -1)
		return;
	forget(t);
	unlock(t);
}

unsigned
iplimit_epoch(struct iplimit *t)
{
	return t == NULL ? 0 : __atomic_load_n(&t->epoch, __ATOMIC_ACQUIRE);
}
