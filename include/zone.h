/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * zone.h: the site's time zone ([site] timezone): an IANA name checked
 * against the system's tz database, made the process's zone (TZ), and
 * the two conversions a scan needs between an instant and the wall
 * clock there. A wall-clock time is encoded as UTC (timegm), as
 * article.h's dates are.
 */

#ifndef ZONE_H
#define ZONE_H

#include <stddef.h>
#include <time.h>

#define ZONE_NAME_MAX	128

/*
 * 0 if name is "" (the zone bantin was started in: TZ, else the
 * system's) or a zone of the tz database ("Asia/Ho_Chi_Minh", "UTC":
 * a TZif file under TZDIR, by default /usr/share/zoneinfo); -1 with
 * err set ("unknown time zone 'X'", ...) if not.
 */
int		 zone_check(const char *name, char *err, size_t errlen);
/* Make a checked name the process's zone (TZ, tzset()); "" goes back
 * to the zone of the start. -1 (errno set) if the environment cannot
 * hold it. */
int		 zone_use(const char *name);
/* The zone in use, as TZ names it; "" when TZ is not set. */
const char	*zone_current(void);
/* The wall clock of an instant in the process's zone; *off is the
 * offset there and then, in seconds east of UTC. */
time_t		 zone_wall(time_t instant, long *off);
/* The instant of a wall clock in the process's zone. A time a change
 * of the clocks skips is read as the one after the change. */
time_t		 zone_instant(time_t wall);

#endif
