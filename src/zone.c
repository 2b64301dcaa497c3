/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * zone.c: the site's time zone. [site] timezone names a zone of the tz
 * database; config.c checks the name here (a TZif file under TZDIR,
 * never a path out of it: glibc would read any file, and take a name
 * it cannot find for UTC without a word), and the master makes it the
 * process's zone (TZ and tzset) before a scan, which reads the dates
 * of the articles in it. The workers inherit it and never read the
 * database again. The conversions use the C library's tz code
 * (localtime_r, mktime), so a zone's history of offsets and summer
 * times is the system's.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "zone.h"

#define ZONE_DIR	"/usr/share/zoneinfo"	/* glibc's, without TZDIR */

/* TZ as bantin was started, to go back to when [site] timezone is
 * emptied by a reload; saved at the first zone_use() */
static int	 start_saved;
static char	*start_tz;

/* "Area/Location": parts of letters, digits, "_", "-", "+" and ".",
 * none empty or starting with a dot (no "..", no hidden file) */
static int
zone_name_ok(const char *name)
{
	const char	*p;
	int		 start = 1;

	if (*name == '\0' || strlen(name) > ZONE_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p == '/') {
			if (start)
				return 0;
			start = 1;
			continue;
		}
		if (start && *p == '.')
			return 0;
		start = 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_-+.", *p) != NULL))
			return 0;
	}
	return !start;
}

int
zone_check(const char *name, char *err, size_t errlen)
{
	struct stat	 st;
	const char	*dir;
	char		 path[PATH_MAX], magic[4];
	ssize_t		 n;
	int		 fd, r;

	if (*name == '\0')
		return 0;
	if (!zone_name_ok(name)) {
		snprintf(err, errlen, "'%.*s' is not a time zone name "
		    "(such as Asia/Ho_Chi_Minh)", ZONE_NAME_MAX, name);
		return -1;
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = ZONE_DIR;
	r = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (r < 0 || (size_t)r >= sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "unknown time zone '%s' (not in %s)",
		    name, dir);
		return -1;
	}
	n = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n != (ssize_t)sizeof(magic) || memcmp(magic, "TZif", 4) != 0) {
		snprintf(err, errlen, "'%s' is not a time zone (%s is no "
		    "zone file)", name, path);
		return -1;
	}
	return 0;
}

int
zone_use(const char *name)
{
	const char	*tz;
	int		 r;

	if (!start_saved) {
		if ((tz = getenv("TZ")) != NULL &&
		    (start_tz = strdup(tz)) == NULL)
			return -1;
		start_saved = 1;
	}
	if (name == NULL || *name == '\0')
		name = start_tz;
	r = name != NULL ? setenv("TZ", name, 1) : unsetenv("TZ");
	tzset();
	log_clock_changed();
	return r;
}

const char *
zone_current(void)
{
	const char	*tz = getenv("TZ");

	return tz != NULL ? tz : "";
}

time_t
zone_wall(time_t t, long *off)
{
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL) {
		*off = 0;
		return t;
	}
	*off = tm.tm_gmtoff;
	return t + tm.tm_gmtoff;
}

/* mktime()'s instant of a wall clock */
static time_t
instant(time_t wall)
{
	struct tm	 tm;
	time_t		 t;

	if (gmtime_r(&wall, &tm) == NULL)
		return wall;
	tm.tm_isdst = -1;
	errno = 0;
	if ((t = mktime(&tm)) == (time_t)-1 && errno != 0)
		return wall;
	return t;
}

/* the offset at an instant */
static long
offset(time_t t)
{
	struct tm	 tm;

	return localtime_r(&t, &tm) != NULL ? tm.tm_gmtoff : 0;
}

/*
 * mktime() reads the zone's file again (a stat, at least) each time it
 * is called without TZ set: a sixth of a restart's scan. Most walls are
 * a day away from any change of the clocks, where the instant is the
 * wall less the one offset there, which localtime_r() gives without a
 * look at the file; mktime() answers the rest.
 */
time_t
zone_instant(time_t wall)
{
	long	 off = offset(wall);
	time_t	 t = wall - off;

	if (offset(t) == off && offset(t - 86400) == off &&
	    offset(t + 86400) == off)
		return t;
	return instant(wall);
}
