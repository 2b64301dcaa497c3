/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * counter_redis.c: the counts of several instances added up in Redis,
 * sent by each instance's master in batches (the workers have no
 * network). Redis holds the site's visits in <prefix>site, the views
 * in the hash <prefix>views (a field per article path) and, for each
 * instance, the number of its last batch applied, <prefix>batch:<name>.
 *
 * Each flush folds the workers' counts in, forms a batch when none is
 * pending (counter.c), writes the counter file, which holds the batch
 * and the counts in none (the journal), and only then sends the batch:
 * one EVAL of the script below, which applies it only if its number is
 * above the instance's last, and answers with the totals of the paths
 * it carried and of a slice of the others. A batch whose answer is
 * lost (a timeout, a dropped connection, a crash) is sent again as it
 * was, under its number, until one comes: Redis counts it once. A new
 * batch is formed only after that, and after the instance has learnt
 * its last number from Redis once in this process (a journal lost or
 * kept by a backend = file must not reuse numbers Redis has seen).
 *
 * One connection a flush, made and closed in it, with a deadline of
 * CR_TIMEOUT_MS on the connect and on each answer: the master blocks at
 * most about two of them, the signals it handles held meanwhile (they
 * are handled after), and the workers it forks never inherit the
 * socket. While Redis does not answer, the tries back off, the
 * journal is written at every flush, and the pages show the totals
 * last read plus every count since. See docs/counters-redis.md.
 */

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "buf.h"
#include "config.h"
#include "counter.h"
#include "counter_redis.h"
#include "log.h"
#include "utf8.h"

#define CR_TIMEOUT_MS	1000	/* connect, and each answer */
#define CR_TOOL_MS	10000	/* the same for -C import and export */
#define CR_BATCH_MAX	20000	/* paths in a batch: a flush's, mostly */
#define CR_SENDS_MAX	8	/* batches a flush, back to back */
#define CR_REFRESH	30	/* every path read back within this many
				   flushes... */
#define CR_REFRESH_MIN	256	/* ... at least this many a flush */
#define CR_BACKOFF_MAX	30	/* seconds between tries, at most */
#define CR_CHUNK	1000	/* fields a command, import and export */

enum cr_state { CR_NEW, CR_UP, CR_DOWN };

struct counter_redis {
	struct counter		*c;
	char			*addr;		/* host:port or a socket */
	char			*file;		/* the journal, for logs */
	char			*k_site, *k_views, *k_batch; /* prefix+ */
	char			*prefix;
	redisContext		*ctx;		/* during a flush only */
	enum cr_state		 state;
	int			 synced;	/* knows its last batch */
	int			 own;		/* this exchange: its name */
	int			 warned;	/* COUNTER_ACK_* logged */
	int			 warned_low;	/* fewer visits logged */
	time_t			 next_try;
	int			 backoff;	/* seconds; 0: none */
	int			 backoff_max;
	unsigned long long	 site_read;	/* Redis's, last answer */
	size_t			 cursor;	/* of the slice read back */
	size_t			*ents;		/* the answer's paths */
	size_t			 nents, entcap;
	int			 nexch;		/* this flush's, for -v */
	size_t			 nsent;
	char			 why[256];	/* the last failure */
};

/*
 * KEYS: the instance's batch number, the visits, the views.
 * ARGV: the batch's number (0: none, only read), its visits, its
 * number of paths n, n path and count pairs, then the paths to read.
 * The number is set before the counts: should a count fail half way
 * (a key of another type), the rest of the batch is lost, never
 * counted twice. Answers { applied, last number, visits, the views of
 * each path sent, then of each path read }, the counts as strings:
 * Lua's numbers are doubles.
 */
static const char script[] =
"local last = redis.call('GET', KEYS[1]) or '0'\n"
"local seq = tonumber(ARGV[1])\n"
"local n = tonumber(ARGV[3])\n"
"local site = redis.call('GET', KEYS[2])\n"
"if site and not tonumber(site) then\n"
"  return redis.error_reply(KEYS[2] .. ' is not a number')\n"
"end\n"
"local t = redis.call('TYPE', KEYS[3])['ok']\n"
"if t ~= 'hash' and t ~= 'none' then\n"
"  return redis.error_reply(KEYS[3] .. ' is not a hash')\n"
"end\n"
"local applied = 0\n"
"if seq > tonumber(last) then\n"
"  redis.call('SET', KEYS[1], ARGV[1])\n"
"  last = ARGV[1]\n"
"  if ARGV[2] ~= '0' then redis.call('INCRBY', KEYS[2], ARGV[2]) end\n"
"  for i = 4, 3 + 2 * n, 2 do\n"
"    redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])\n"
"  end\n"
"  applied = 1\n"
"end\n"
"local out = { applied, last, redis.call('GET', KEYS[2]) or '0' }\n"
"for i = 4, 3 + 2 * n, 2 do\n"
"  out[#out + 1] = redis.call('HGET', KEYS[3], ARGV[i]) or '0'\n"
"end\n"
"for i = 4 + 2 * n, #ARGV do\n"
"  out[#out + 1] = redis.call('HGET', KEYS[3], ARGV[i]) or '0'\n"
"end\n"
"return out\n";

static int		 cr_dial(const struct sockaddr *, socklen_t,
			    long long, int, char *, size_t);
static redisContext	*cr_connect(const char *, int, char *, size_t);
static void		 cr_why(const redisContext *, int, char *, size_t);
static int		 cr_number(const redisReply *,
			    unsigned long long *);
static char		*cr_key(const char *, const char *, const char *);
static int		 exchange(struct counter_redis *);
static int		 answer(struct counter_redis *, const redisReply *,
			    size_t);
static int		 send_all(struct counter_redis *);
static void		 went_down(struct counter_redis *);
static void		 came_up(struct counter_redis *);

static char *
cr_key(const char *prefix, const char *a, const char *b)
{
	char	*k;

	if (asprintf(&k, "%s%s%s", prefix, a, b != NULL ? b : "") == -1)
		return NULL;
	return k;
}

/* now on CLOCK_MONOTONIC, in milliseconds */
static long long
mono_ms(void)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Milliseconds left until the deadline dl (mono_ms); 0 once it is
 * past. */
static int
ms_left(long long dl)
{
	long long	 ms = dl - mono_ms();

	return ms <= 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * A stream socket connected to sa by the deadline dl (ms after the
 * start, for the reason), blocking again once it is: its descriptor,
 * or -1 and why. The connect waits in poll(2) until dl, so that a
 * signal (the tools run with theirs) neither cuts it short nor
 * stretches it.
 */
static int
cr_dial(const struct sockaddr *sa, socklen_t salen, long long dl, int ms,
    char *why, size_t whylen)
{
	struct pollfd	 pfd;
	socklen_t	 len;
	int		 fd, fl, err, r;

	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, sa, salen) == 0)
		goto connected;
	if (errno == EAGAIN) {
		/* a unix socket's queue of connections is full: it would
		 * not say when it has room */
		snprintf(why, whylen, "too many connections waiting to be "
		    "accepted");
		goto fail;
	}
	if (errno != EINPROGRESS) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	do
		r = poll(&pfd, 1, ms_left(dl));
	while (r == -1 && errno == EINTR);
	if (r == -1) {
		snprintf(why, whylen, "poll: %s", strerror(errno));
		goto fail;
	}
	if (r == 0) {
		snprintf(why, whylen, "no connection in %d ms", ms);
		goto fail;
	}
	len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		snprintf(why, whylen, "%s", strerror(err));
		goto fail;
	}
 connected:
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		snprintf(why, whylen, "fcntl: %s", strerror(errno));
		goto fail;
	}
	return fd;
 fail:
	close(fd);
	return -1;
}

/*
 * A connection to addr, host:port, [v6]:port or a socket's path, with
 * a deadline of ms on the connect and on every answer; NULL and why.
 *
 * The socket is made, connected and given its timeouts here, and only
 * then handed to hiredis: its calls that take a struct timeval
 * (redisConnectWithTimeout, redisSetTimeout) must never see ours. A
 * 32-bit system's libhiredis may be built with a 32-bit time_t, and
 * bantin with a 64-bit one (the Makefile): Debian 12's armhf took our
 * 1 s for 1 us, and -C export's 10 s for 10 us. setsockopt(2) is our
 * own libc's, which knows the time_t we were built with.
 */
static redisContext *
cr_connect(const char *addr, int ms, char *why, size_t whylen)
{
	struct addrinfo		 hints, *res = NULL, *ai;
	struct sockaddr_un	 sun;
	struct timeval		 tv = { ms / 1000, (ms % 1000) * 1000 };
	long long		 dl = mono_ms() + ms;
	redisContext		*ctx;
	char			 host[256], *colon;
	size_t			 hl;
	int			 fd = -1, r;

	if (addr[0] == '/') {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(addr) >= sizeof(sun.sun_path)) {
			snprintf(why, whylen, "a socket's path of more than "
			    "%zu bytes", sizeof(sun.sun_path) - 1);
			return NULL;
		}
		memcpy(sun.sun_path, addr, strlen(addr));
		fd = cr_dial((struct sockaddr *)&sun, sizeof(sun), dl, ms,
		    why, whylen);
	} else {
		if ((colon = strrchr(addr, ':')) == NULL ||
		    (hl = (size_t)(colon - addr)) >= sizeof(host)) {
			snprintf(why, whylen, "bad address");
			return NULL;
		}
		memcpy(host, addr, hl);
		host[hl] = '\0';
		if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
			memmove(host, host + 1, hl - 2);
			host[hl - 2] = '\0';
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV;
		if ((r = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
			snprintf(why, whylen, "%s", r == EAI_SYSTEM ?
			    strerror(errno) : gai_strerror(r));
			return NULL;
		}
		/* each address in turn, within the one deadline: the
		 * master blocks for one connect, not one an address */
		snprintf(why, whylen, "no connection in %d ms", ms);
		for (ai = res; ai != NULL && fd == -1 && ms_left(dl) > 0;
		    ai = ai->ai_next)
			fd = cr_dial(ai->ai_addr, ai->ai_addrlen, dl, ms, why,
			    whylen);
		freeaddrinfo(res);
	}
	if (fd == -1)
		return NULL;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1) {
		snprintf(why, whylen, "setsockopt: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if ((ctx = redisConnectFd(fd)) == NULL) {
		snprintf(why, whylen, "out of memory");
		close(fd);
		return NULL;
	}
	if (ctx->err != 0) {
		snprintf(why, whylen, "%s", ctx->errstr);
		redisFree(ctx);
		return NULL;
	}
	return ctx;
}

/* Why a command on ctx failed: hiredis says a deadline passed as
 * strerror(EAGAIN) */
static void
cr_why(const redisContext *ctx, int ms, char *why, size_t whylen)
{
	if (strcmp(ctx->errstr, strerror(EAGAIN)) == 0)
		snprintf(why, whylen, "no answer in %d ms", ms);
	else
		snprintf(why, whylen, "%s", ctx->errstr);
}

/* A count in an answer: a string or an integer, never negative (a
 * count decremented by hand below zero reads as zero). */
static int
cr_number(const redisReply *rp, unsigned long long *n)
{
	const char	*s;
	size_t		 i;

	if (rp->type == REDIS_REPLY_INTEGER) {
		*n = rp->integer < 0 ? 0 : (unsigned long long)rp->integer;
		return 0;
	}
	if (rp->type != REDIS_REPLY_STRING || rp->len == 0 || rp->len > 20)
		return -1;
	s = rp->str;
	if (s[0] == '-' && rp->len > 1) {
		*n = 0;
		return strspn(s + 1, "0123456789") == rp->len - 1 ? 0 : -1;
	}
	*n = 0;
	for (i = 0; i < rp->len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    *n > (ULLONG_MAX - (unsigned)(s[i] - '0')) / 10)
			return -1;
		*n = *n * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

struct counter_redis *
counter_redis_new(const struct config *conf, struct counter *c)
{
	struct counter_redis	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->addr = strdup(conf->redis)) == NULL ||
	    (r->file = strdup(conf->counter_file)) == NULL ||
	    (r->prefix = strdup(conf->redis_prefix)) == NULL ||
	    (r->k_site = cr_key(conf->redis_prefix, "site", NULL)) == NULL ||
	    (r->k_views = cr_key(conf->redis_prefix, "views", NULL)) ==
	    NULL || counter_journal(c, conf->instance) == -1) {
		log_warn("counter: Redis client");
		counter_redis_free(r);
		return NULL;
	}
	r->c = c;
	/* a few flushes at most, so that counts follow Redis back soon */
	r->backoff_max = 4 * conf->flush_interval;
	if (r->backoff_max > CR_BACKOFF_MAX)
		r->backoff_max = CR_BACKOFF_MAX;
	log_info("counter: Redis %s, keys %s*, instance %s; journal %s",
	    r->addr, r->prefix, conf->instance, r->file);
	return r;
}

void
counter_redis_free(struct counter_redis *r)
{
	if (r == NULL)
		return;
	if (r->ctx != NULL)
		redisFree(r->ctx);
	free(r->addr);
	free(r->file);
	free(r->prefix);
	free(r->k_site);
	free(r->k_views);
	free(r->k_batch);
	free(r->ents);
	free(r);
}

static int
keep_ent(struct counter_redis *r, size_t ent)
{
	size_t	*n, ncap;

	if (r->nents == r->entcap) {
		ncap = r->entcap ? r->entcap * 2 : 1024;
		if ((n = reallocarray(r->ents, ncap, sizeof(*n))) == NULL)
			return -1;
		r->ents = n;
		r->entcap = ncap;
	}
	r->ents[r->nents++] = ent;
	return 0;
}

/* The command's arguments: argv[i], of argl[i] bytes. */
struct args {
	const char	**v;
	size_t		 *l;
	int		  n, cap;
	struct buf	  nums;		/* the numbers' text, NUL apart */
	size_t		 *numat;	/* argument -> offset in nums, +1 */
};

static int
arg(struct args *a, const char *s, size_t len)
{
	if (a->n == a->cap)
		return -1;		/* sized before: never */
	a->v[a->n] = s;
	a->l[a->n] = len;
	a->numat[a->n] = 0;
	a->n++;
	return 0;
}

static int
arg_num(struct args *a, unsigned long long n)
{
	size_t	 at = a->nums.len;

	if (buf_printf(&a->nums, "%llu", n) == -1 ||
	    buf_putc(&a->nums, '\0') == -1 || arg(a, "", 0) == -1)
		return -1;
	a->numat[a->n - 1] = at + 1;
	a->l[a->n - 1] = a->nums.len - at - 1;
	return 0;
}

static void
args_free(struct args *a)
{
	free(a->v);
	free(a->l);
	free(a->numat);
	buf_free(&a->nums);
}

/* The numbers' buffer moves as it grows: point at it once it is done */
static void
args_fix(struct args *a)
{
	int	 i;

	for (i = 0; i < a->n; i++)
		if (a->numat[i] != 0)
			a->v[i] = a->nums.data + a->numat[i] - 1;
}

/* The paths read back this time, beside those sent: a slice of all,
 * turning, so that counts made on other instances show here too. */
static int
refresh_slice(struct counter_redis *r, struct args *a)
{
	size_t		 np = counter_npaths(r->c), want, i;
	const char	*p;

	want = np / CR_REFRESH + 1;
	if (want < CR_REFRESH_MIN)
		want = CR_REFRESH_MIN;
	if (want > np)
		want = np;
	for (i = 0; i < want; i++) {
		if (r->cursor >= np)
			r->cursor = 0;
		if ((p = counter_path(r->c, r->cursor)) != NULL) {
			if (keep_ent(r, r->cursor) == -1 ||
			    arg(a, p, strlen(p)) == -1)
				return -1;
		}
		r->cursor++;
	}
	return 0;
}

/* One EVAL: the pending batch (or none: read only) and a slice to
 * read back; the answer applied. -1 (r->why) if Redis did not answer
 * it: the batch stays pending. */
static int
exchange(struct counter_redis *r)
{
	const struct counter_batch	*b = counter_pending(r->c);
	struct args			 a;
	redisReply			*rp = NULL;
	const char			*inst, *p;
	size_t				 i, np, want, nsent;
	int				 rc = -1;

	memset(&a, 0, sizeof(a));
	inst = b != NULL ? b->inst : counter_instance(r->c);
	r->own = strcmp(inst, counter_instance(r->c)) == 0;
	np = counter_npaths(r->c);
	want = np / CR_REFRESH + 1 < CR_REFRESH_MIN ? CR_REFRESH_MIN :
	    np / CR_REFRESH + 1;
	a.cap = 9 + (b != NULL ? 2 * (int)b->nitems : 0) + (int)want;
	r->nents = 0;
	free(r->k_batch);
	if ((r->k_batch = cr_key(r->prefix, "batch:", inst)) == NULL ||
	    (a.v = calloc((size_t)a.cap, sizeof(*a.v))) == NULL ||
	    (a.l = calloc((size_t)a.cap, sizeof(*a.l))) == NULL ||
	    (a.numat = calloc((size_t)a.cap, sizeof(*a.numat))) == NULL)
		goto nomem;
	if (arg(&a, "EVAL", 4) == -1 ||
	    arg(&a, script, sizeof(script) - 1) == -1 ||
	    arg(&a, "3", 1) == -1 ||
	    arg(&a, r->k_batch, strlen(r->k_batch)) == -1 ||
	    arg(&a, r->k_site, strlen(r->k_site)) == -1 ||
	    arg(&a, r->k_views, strlen(r->k_views)) == -1 ||
	    arg_num(&a, b != NULL ? b->seq : 0) == -1 ||
	    arg_num(&a, b != NULL ? b->site : 0) == -1 ||
	    arg_num(&a, b != NULL ? b->nitems : 0) == -1)
		goto nomem;
	for (i = 0; b != NULL && i < b->nitems; i++) {
		p = counter_path(r->c, b->items[i].ent);
		if (keep_ent(r, b->items[i].ent) == -1 ||
		    arg(&a, p, strlen(p)) == -1 ||
		    arg_num(&a, b->items[i].n) == -1)
			goto nomem;
	}
	if (refresh_slice(r, &a) == -1)
		goto nomem;
	args_fix(&a);
	rp = redisCommandArgv(r->ctx, a.n, a.v, a.l);
	if (rp == NULL) {
		cr_why(r->ctx, CR_TIMEOUT_MS, r->why, sizeof(r->why));
		goto out;
	}
	if (rp->type == REDIS_REPLY_ERROR) {
		snprintf(r->why, sizeof(r->why), "%s", rp->str);
		goto out;
	}
	nsent = b != NULL ? b->nitems : 0;
	if ((rc = answer(r, rp, r->nents)) == 0) {
		r->nexch++;
		r->nsent += nsent;
	}
	goto out;
 nomem:
	snprintf(r->why, sizeof(r->why), "out of memory");
 out:
	if (rp != NULL)
		freeReplyObject(rp);
	args_free(&a);
	return rc;
}

/* The script's answer: the batch is done, the totals shown. */
static int
answer(struct counter_redis *r, const redisReply *rp, size_t nents)
{
	const struct counter_batch	*b;
	unsigned long long	 last, site, n;
	size_t			 i;
	int			 ack;

	if (rp->type != REDIS_REPLY_ARRAY || rp->elements != 3 + nents ||
	    cr_number(rp->element[1], &last) == -1 ||
	    cr_number(rp->element[2], &site) == -1)
		goto bad;
	for (i = 0; i < nents; i++)
		if (cr_number(rp->element[3 + i], &n) == -1)
			goto bad;
	if (site < r->site_read && !r->warned_low) {
		log_warnx("counter: Redis %s has %llu visits under %s, fewer "
		    "than the %llu it had: it lost counts (a restart without "
		    "persistence, a flush); bantin -C import -f seeds it "
		    "again from a counter file", r->addr, site, r->k_site,
		    r->site_read);
		r->warned_low = 1;
	} else if (site >= r->site_read)
		r->warned_low = 0;
	r->site_read = site;
	if ((b = counter_pending(r->c)) != NULL &&
	    rp->element[0]->type == REDIS_REPLY_INTEGER &&
	    rp->element[0]->integer == 0 && last == b->seq)
		log_info("counter: Redis had applied batch %llu of %s "
		    "already (its answer was lost): counted once", b->seq,
		    b->inst);
	ack = counter_acked(r->c, last);
	if (ack != COUNTER_ACK_OK && !r->warned)
		log_warnx("counter: Redis %s: %s%s has applied batch %llu: %s",
		    r->addr, r->prefix, "batch:", last,
		    ack == COUNTER_ACK_AHEAD ? "batches this instance did "
		    "not send (another instance has its name, or the counter "
		    "file was restored): they are taken as sent" :
		    "fewer than this instance sent: Redis lost them");
	r->warned = ack != COUNTER_ACK_OK;
	if (r->own)
		r->synced = 1;
	counter_set_site(r->c, site);
	for (i = 0; i < nents; i++) {
		cr_number(rp->element[3 + i], &n);
		counter_set_views(r->c, r->ents[i], n);
	}
	counter_rebase(r->c);
	return 0;
 bad:
	snprintf(r->why, sizeof(r->why), "an answer of the wrong shape");
	return -1;
}

static void
went_down(struct counter_redis *r)
{
	time_t	 now = time(NULL);

	if (r->state != CR_DOWN)
		log_warnx("counter: Redis %s: %s: counts wait in memory and in "
		    "%s, and go to Redis when it answers", r->addr, r->why,
		    r->file);
	r->state = CR_DOWN;
	r->backoff = r->backoff == 0 ? 1 : r->backoff * 2;
	if (r->backoff > r->backoff_max)
		r->backoff = r->backoff_max;
	r->next_try = now + r->backoff;
}

static void
came_up(struct counter_redis *r)
{
	if (r->state == CR_DOWN)
		log_info("counter: Redis %s answers again: the counts that "
		    "waited are sent", r->addr);
	r->state = CR_UP;
	r->backoff = 0;
	r->next_try = 0;
}

/*
 * On one connection: the pending batch (or a first reading), then, if
 * that batch was full (a backlog, after Redis was away) or a first
 * reading, new batches, each written to the journal before it goes.
 * Counts made during the flush wait for the next: writing the journal
 * folds them in, and chasing them would write it for every few. 0 if
 * Redis did not answer one: it stays pending.
 */
static int
send_all(struct counter_redis *r)
{
	const struct counter_batch	*b;
	size_t				 n;
	int				 i, formed;

	for (i = 0; i < CR_SENDS_MAX; i++) {
		b = counter_pending(r->c);
		n = b != NULL ? b->nitems : 0;
		if (exchange(r) == -1)
			return 0;
		if (!r->synced || (b != NULL && n < CR_BATCH_MAX))
			break;
		if ((formed = counter_form(r->c, CR_BATCH_MAX)) == -1)
			log_warnx("counter: out of memory for a batch");
		/* one the journal does not hold waits for the next flush */
		if (formed != 1 || counter_flush(r->c) == -1)
			break;
	}
	return 1;
}

int
counter_redis_flush(struct counter_redis *r, int final)
{
	struct timespec	 t0, t1;
	sigset_t	 all, old;
	int		 ok = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r->nexch = 0;
	r->nsent = 0;
	counter_fold(r->c);
	if (r->synced && counter_pending(r->c) == NULL &&
	    counter_form(r->c, CR_BATCH_MAX) == -1)
		log_warnx("counter: out of memory for a batch");
	/* the journal on disk first: a batch is sent only once a restart
	 * would send it again, the same */
	if (counter_flush(r->c) == -1)
		return -1;
	if (!final && time(NULL) < r->next_try)
		return 0;
	/* hiredis gives up a connect on EINTR: the signals are handled
	 * once the flush is done */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((r->ctx = cr_connect(r->addr, CR_TIMEOUT_MS, r->why,
	    sizeof(r->why))) != NULL) {
		ok = send_all(r);
		redisFree(r->ctx);
		r->ctx = NULL;
	}
	if (ok)
		came_up(r);
	else
		went_down(r);
	/* at stop, the file says what Redis answered */
	if (ok && final)
		(void)counter_flush(r->c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_debug("counter: flush: %d exchanges with Redis, %zu paths sent, "
	    "%lld ms", r->nexch, r->nsent, (long long)(t1.tv_sec - t0.tv_sec) *
	    1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return 0;
}

/* -C import and export: a connection, the two keys, a set of counts */
struct tool {
	const struct config	*conf;
	redisContext		*ctx;
	redisReply		*rp;		/* the last answer */
	char			*ks, *kv;	/* <prefix>site, views */
	struct counter		*c;
	int			 force;		/* import: replace */
	FILE			*out;
	char			*err;
	size_t			 errlen;
};

/* What a tool's step says: done, Redis failed (t->err, said of Redis
 * by tool_run), or refused (t->err as it is) */
#define TOOL_OK		0
#define TOOL_REDIS	-1
#define TOOL_REFUSED	-2

/* The keys and the connection; -1 and t->err. */
static int
tool_open(struct tool *t)
{
	if ((t->ks = cr_key(t->conf->redis_prefix, "site", NULL)) == NULL ||
	    (t->kv = cr_key(t->conf->redis_prefix, "views", NULL)) == NULL) {
		snprintf(t->err, t->errlen, "out of memory");
		return -1;
	}
	t->ctx = cr_connect(t->conf->redis, CR_TOOL_MS, t->err, t->errlen);
	return t->ctx != NULL ? 0 : -1;
}

/*
 * Open t (its counts c already made), run fn, close it: 0, or -1 with
 * t->err; a failure of Redis says so, with the connection's own error
 * when it has one.
 */
static int
tool_run(struct tool *t, int (*fn)(struct tool *))
{
	char	 why[512];
	int	 rc;

	if ((rc = tool_open(t)) == TOOL_OK)
		rc = fn(t);
	if (rc == TOOL_REDIS) {
		if (t->ctx != NULL && t->ctx->err != 0)
			cr_why(t->ctx, CR_TOOL_MS, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", t->err);
		snprintf(t->err, t->errlen, "Redis %s: %s", t->conf->redis,
		    why);
	}
	if (t->rp != NULL)
		freeReplyObject(t->rp);
	if (t->ctx != NULL)
		redisFree(t->ctx);
	free(t->ks);
	free(t->kv);
	counter_free(t->c);
	return rc == TOOL_OK ? 0 : -1;
}

/* A command, its answer (t->rp) of type want (-1: any but an error);
 * -1 and t->err otherwise. */
static int
tool_cmd(struct tool *t, int want, int argc, const char **argv)
{
	if (t->rp != NULL)
		freeReplyObject(t->rp);
	if ((t->rp = redisCommandArgv(t->ctx, argc, argv, NULL)) == NULL) {
		snprintf(t->err, t->errlen, "%s", t->ctx->errstr);
		return -1;
	}
	if (t->rp->type == REDIS_REPLY_ERROR || (want != -1 &&
	    t->rp->type != want)) {
		snprintf(t->err, t->errlen, "%s: %s", argv[0],
		    t->rp->type == REDIS_REPLY_ERROR ? t->rp->str :
		    "an answer of the wrong type");
		return -1;
	}
	return 0;
}

/* Queue the counts of c as HSET commands of CR_CHUNK fields each. */
static int
append_views(redisContext *ctx, const char *key, const struct counter *c,
    size_t *nviews, size_t *ncmds)
{
	const char	*v[2 + 2 * CR_CHUNK];
	char		 nums[CR_CHUNK][24];
	size_t		 i, np = counter_npaths(c), k = 0;
	unsigned long long n;

	v[0] = "HSET";
	v[1] = key;
	for (i = 0; i <= np; i++) {
		if (i < np && (v[2 + 2 * k] = counter_path(c, i)) != NULL &&
		    (n = counter_total(c, i)) != 0) {
			snprintf(nums[k], sizeof(nums[k]), "%llu", n);
			v[3 + 2 * k] = nums[k];
			k++;
			(*nviews)++;
		}
		if (k == CR_CHUNK || (i == np && k > 0)) {
			if (redisAppendCommandArgv(ctx, 2 + 2 * (int)k, v,
			    NULL) != REDIS_OK)
				return -1;
			(*ncmds)++;
			k = 0;
		}
	}
	return 0;
}

/* MULTI, the old counts deleted, the file's set, EXEC: queued, then
 * the answers read; t->rp is EXEC's. */
static int
import_all(struct tool *t, const char *site, size_t *nviews)
{
	const char	*v[3];
	size_t		 ncmds = 0, i;

	v[0] = "MULTI";
	if (redisAppendCommandArgv(t->ctx, 1, v, NULL) != REDIS_OK)
		return -1;
	v[0] = "DEL"; v[1] = t->ks; v[2] = t->kv;
	if (redisAppendCommandArgv(t->ctx, 3, v, NULL) != REDIS_OK)
		return -1;
	v[0] = "SET"; v[1] = t->ks; v[2] = site;
	if (redisAppendCommandArgv(t->ctx, 3, v, NULL) != REDIS_OK ||
	    append_views(t->ctx, t->kv, t->c, nviews, &ncmds) == -1)
		return -1;
	v[0] = "EXEC";
	if (redisAppendCommandArgv(t->ctx, 1, v, NULL) != REDIS_OK)
		return -1;
	/* MULTI, DEL, SET, the HSETs: +OK and QUEUED; then EXEC's */
	for (i = 0; i < 4 + ncmds; i++) {
		if (t->rp != NULL)
			freeReplyObject(t->rp);
		t->rp = NULL;
		if (redisGetReply(t->ctx, (void **)&t->rp) != REDIS_OK)
			return -1;
		if (t->rp->type == REDIS_REPLY_ERROR) {
			snprintf(t->err, t->errlen, "%s", t->rp->str);
			return -1;
		}
	}
	return 0;
}

/*
 * WATCH the two keys, find them empty (or force), then in one MULTI
 * the old counts deleted and the file's set: an instance that counts
 * meanwhile makes EXEC fail, and nothing is changed.
 */
static int
import_counts(struct tool *t)
{
	const struct config	*conf = t->conf;
	const char		*v[3];
	char			 site[24];
	size_t			 nviews = 0;

	v[0] = "WATCH"; v[1] = t->ks; v[2] = t->kv;
	if (tool_cmd(t, -1, 3, v) == -1)
		return TOOL_REDIS;
	v[0] = "EXISTS";
	if (tool_cmd(t, REDIS_REPLY_INTEGER, 3, v) == -1)
		return TOOL_REDIS;
	if (t->rp->integer > 0 && !t->force) {
		snprintf(t->err, t->errlen, "Redis %s has counts under %s* "
		    "already: -f replaces them with the file's", conf->redis,
		    conf->redis_prefix);
		return TOOL_REFUSED;
	}
	snprintf(site, sizeof(site), "%llu", counter_site(t->c));
	if (import_all(t, site, &nviews) == -1)
		return TOOL_REDIS;
	if (t->rp->type != REDIS_REPLY_ARRAY) {
		snprintf(t->err, t->errlen, "the counts under %s* changed "
		    "during the import: nothing was imported; stop the "
		    "instances and run it again", conf->redis_prefix);
		return TOOL_REFUSED;
	}
	fprintf(t->out, "imported %s into Redis %s (keys %s*): %s visits, "
	    "the views of %zu paths\n", conf->counter_file, conf->redis,
	    conf->redis_prefix, site, nviews);
	return TOOL_OK;
}

int
counter_redis_import(const struct config *conf, int force, FILE *out,
    char *err, size_t errlen)
{
	struct tool	 t = { .conf = conf, .force = force, .out = out,
			    .err = err, .errlen = errlen };

	if ((t.c = counter_open(conf->counter_file, err, errlen)) == NULL)
		return -1;
	if (counter_pending(t.c) != NULL || counter_unsent(t.c)) {
		snprintf(err, errlen, "%s holds counts not yet sent to Redis: "
		    "start bantin with backend = redis to send them",
		    conf->counter_file);
		counter_free(t.c);
		return -1;
	}
	return tool_run(&t, import_counts);
}

/* The fields of one HSCAN answer into c; *cursor is its next. */
static int
take_scan(struct counter *c, const redisReply *rp, char *cursor,
    size_t curlen, size_t *skipped)
{
	const redisReply	*f, *page;
	unsigned long long	 n;
	size_t			 i;

	if (rp->type != REDIS_REPLY_ARRAY || rp->elements != 2 ||
	    rp->element[0]->type != REDIS_REPLY_STRING ||
	    rp->element[0]->len >= curlen ||
	    (page = rp->element[1])->type != REDIS_REPLY_ARRAY ||
	    page->elements % 2 != 0)
		return -1;
	memcpy(cursor, rp->element[0]->str, rp->element[0]->len + 1);
	for (i = 0; i < page->elements; i += 2) {
		f = page->element[i];
		/* a field the file cannot hold: not a path, a NUL */
		if (f->type != REDIS_REPLY_STRING || f->len != strlen(f->str) ||
		    f->str[0] != '/' || !utf8_valid(f->str, f->len) ||
		    cr_number(page->element[i + 1], &n) == -1) {
			(*skipped)++;
			continue;
		}
		if (counter_put(c, f->str, n) == -1)
			return -1;
	}
	return 0;
}

/* Redis's counts into t->c, then to t->out in the file's format */
static int
export_counts(struct tool *t)
{
	char			 cursor[32] = "0";
	const char		*v[5];
	unsigned long long	 site = 0;
	size_t			 skipped = 0;

	v[0] = "GET"; v[1] = t->ks;
	if (tool_cmd(t, -1, 2, v) == -1)
		return TOOL_REDIS;
	if (t->rp->type != REDIS_REPLY_NIL && cr_number(t->rp, &site) == -1) {
		snprintf(t->err, t->errlen, "%s is not a number", t->ks);
		return TOOL_REDIS;
	}
	counter_put(t->c, NULL, site);
	do {
		v[0] = "HSCAN"; v[1] = t->kv; v[2] = cursor; v[3] = "COUNT";
		v[4] = "1000";
		if (tool_cmd(t, REDIS_REPLY_ARRAY, 5, v) == -1)
			return TOOL_REDIS;
		if (take_scan(t->c, t->rp, cursor, sizeof(cursor), &skipped) ==
		    -1) {
			snprintf(t->err, t->errlen, "HSCAN %s: an answer of the "
			    "wrong shape", t->kv);
			return TOOL_REDIS;
		}
	} while (strcmp(cursor, "0") != 0);
	if (counter_write(t->c, t->out) == -1) {
		snprintf(t->err, t->errlen, "write: %s", strerror(errno));
		return TOOL_REFUSED;
	}
	/* HSCAN may give a field twice: the paths are counted once */
	fprintf(stderr, "exported Redis %s (keys %s*): %llu visits, the views "
	    "of %zu paths", t->conf->redis, t->conf->redis_prefix, site,
	    counter_npaths(t->c));
	if (skipped > 0)
		fprintf(stderr, "; %zu fields of %s left out: not a path of "
		    "the site, or not a count", skipped, t->kv);
	fprintf(stderr, "\n");
	return TOOL_OK;
}

int
counter_redis_export(const struct config *conf, FILE *out, char *err,
    size_t errlen)
{
	struct tool	 t = { .conf = conf, .out = out, .err = err,
			    .errlen = errlen };

	if ((t.c = counter_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return tool_run(&t, export_counts);
}
