/*
 * counter_redis.h: the counts of several instances added up in Redis
 * ([counter] backend = redis). The master alone talks to Redis; the
 * counter file stays its journal (counter.h).
 */
#ifndef COUNTER_REDIS_H
#define COUNTER_REDIS_H

#include <stdio.h>

struct config;
struct counter;
struct counter_redis;

/* The client of conf's Redis for c, whose journal it turns on; NULL
 * (logged) out of memory. Nothing is sent before the first flush. */
struct counter_redis	*counter_redis_new(const struct config *,
			    struct counter *);
void			 counter_redis_free(struct counter_redis *);
/* Every flush_interval, on reload and at stop (final: try Redis even
 * while waiting to try again): fold the workers' counts in, write the
 * counter file, then send the pending batch (or form one), and show
 * Redis's totals. -1 if the file could not be written (nothing is
 * sent then); Redis's absence is not an error: it is logged once. */
int			 counter_redis_flush(struct counter_redis *,
			    int final);

/* bantin -C import: the counter file's counts into Redis, refused if
 * Redis has counts under the prefix already, unless force (they are
 * replaced). bantin -C export: Redis's counts, in the counter file's
 * format, to out. What was done goes to out (import) or stderr; -1
 * with a reason in err. */
int	counter_redis_import(const struct config *, int force, FILE *out,
	    char *err, size_t errlen);
int	counter_redis_export(const struct config *, FILE *out, char *err,
	    size_t errlen);

#endif
