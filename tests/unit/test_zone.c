/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_zone.c: [site] timezone names, good and bad (never a path out
 * of the tz database), the zone of the start coming back, and wall
 * clock <-> instant in zones with and without summer time, across
 * the changes of the clocks. Needs the system's tz database (tzdata).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "t.h"
#include "zone.h"

static const struct {
	const char	*name;
	const char	*err;		/* NULL: accepted; else in the message */
} checks[] = {
	{ "", NULL },
	{ "UTC", NULL },
	{ "Asia/Ho_Chi_Minh", NULL },
	{ "Europe/Paris", NULL },
	{ "America/Argentina/Buenos_Aires", NULL },
	{ "Etc/GMT+7", NULL },
	{ "Mars/Olympus", "unknown time zone 'Mars/Olympus'" },
	{ "asia/ho_chi_minh", "unknown time zone" },
	{ "Asia", "'Asia' is not a time zone" },
	{ "zone.tab", "'zone.tab' is not a time zone" },
	{ "../../etc/passwd", "is not a time zone name" },
	{ "Asia/../../../etc/passwd", "is not a time zone name" },
	{ "/etc/localtime", "is not a time zone name" },
	{ "Asia//Saigon", "is not a time zone name" },
	{ "Asia/", "is not a time zone name" },
	{ ".hidden", "is not a time zone name" },
	{ "Asia/Ho Chi Minh", "is not a time zone name" },
	{ "ICT-7", "unknown time zone" },	/* POSIX TZ, not a name */
	{ "Asia/Hồ_Chí_Minh", "is not a time zone name" },
};

static const struct {
	const char	*zone;
	const char	*wall;		/* "YYYY-MM-DD HH:MM" read there */
	long long	 instant;	/* zone_instant */
	const char	*back;		/* zone_wall of it */
	long		 off;
} conv[] = {
	{ "Asia/Ho_Chi_Minh", "2025-09-10 16:00", 1757494800,
	  "2025-09-10 16:00", 25200 },
	{ "UTC", "2025-09-10 16:00", 1757520000, "2025-09-10 16:00", 0 },
	{ "Europe/Paris", "2025-01-15 12:00", 1736938800,
	  "2025-01-15 12:00", 3600 },
	{ "Europe/Paris", "2025-07-15 12:00", 1752573600,
	  "2025-07-15 12:00", 7200 },
	/* 02:30 does not exist on 30 March in Paris: after the change */
	{ "Europe/Paris", "2025-03-30 02:30", 1743298200,
	  "2025-03-30 03:30", 7200 },
	{ "America/New_York", "2025-03-09 02:30", 1741505400,
	  "2025-03-09 03:30", -14400 },
	{ "America/New_York", "2025-12-31 23:59", 1767243540,
	  "2025-12-31 23:59", -18000 },
	/* Saigon was on UTC+8 until 1975 */
	{ "Asia/Ho_Chi_Minh", "1970-01-01 08:00", 0, "1970-01-01 08:00",
	  28800 },
	{ "Asia/Kathmandu", "2020-05-21 11:15", 1590039000,
	  "2020-05-21 11:15", 20700 },
};

static time_t
wall_of(const char *s)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(s, "%Y-%m-%d %H:%M", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

static void
fmt_wall(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

static void
test_check(void)
{
	char	 err[256];
	size_t	 i;
	int	 r;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		err[0] = '\0';
		r = zone_check(checks[i].name, err, sizeof(err));
		if (checks[i].err == NULL) {
			if (r != 0)
				fprintf(stderr, "%s: %s\n", checks[i].name,
				    err);
			CHECK_INT(r, 0);
		} else {
			CHECK_INT(r, -1);
			CHECK_HAS(err, checks[i].err);
		}
	}
	/* the database is where TZDIR says */
	setenv("TZDIR", "/nonexistent", 1);
	CHECK_INT(zone_check("UTC", err, sizeof(err)), -1);
	CHECK_HAS(err, "(not in /nonexistent)");
	unsetenv("TZDIR");
	CHECK_INT(zone_check("UTC", err, sizeof(err)), 0);
}

static void
test_convert(void)
{
	char	 got[32];
	time_t	 t, w;
	long	 off;
	size_t	 i;

	for (i = 0; i < sizeof(conv) / sizeof(conv[0]); i++) {
		CHECK_INT(zone_use(conv[i].zone), 0);
		CHECK_STR(zone_current(), conv[i].zone);
		t = zone_instant(wall_of(conv[i].wall));
		CHECK_INT(t, conv[i].instant);
		off = 1;
		w = zone_wall(t, &off);
		fmt_wall(w, got, sizeof(got));
		CHECK_STR(got, conv[i].back);
		CHECK_INT(off, conv[i].off);
		CHECK_INT(w - off, t);
	}
}

/*
 * zone_instant keeps the offsets of whole hours the clocks do not
 * change in: every quarter of an hour across a year, asked twice (the
 * second from what it kept), is what mktime() says.
 */
static void
test_kept(void)
{
	static const char *const zones[] = {
		"Europe/Paris", "Australia/Lord_Howe", "America/Sao_Paulo",
		"Asia/Kathmandu", "UTC",
	};
	struct tm	 tm;
	time_t		 w, want, start = 1483228800;	/* 2017-01-01 */
	size_t		 i, bad;
	int		 k;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		CHECK_INT(zone_use(zones[i]), 0);
		bad = 0;
		for (k = 0; k < 2; k++)
			for (w = start; w < start + 366 * 86400; w += 900) {
				gmtime_r(&w, &tm);
				tm.tm_isdst = -1;
				want = mktime(&tm);
				if (zone_instant(w) != want && bad++ == 0)
					fprintf(stderr, "%s: %lld\n", zones[i],
					    (long long)w);
			}
		CHECK_INT(bad, 0);
	}
}

int
main(void)
{
	/* started in Paris: "" goes back there, not to the system's */
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	test_check();
	test_convert();
	test_kept();
	CHECK_INT(zone_use("UTC"), 0);
	CHECK_STR(zone_current(), "UTC");
	CHECK_INT(zone_use(""), 0);
	CHECK_STR(zone_current(), "Europe/Paris");
	CHECK_INT(zone_use(NULL), 0);
	CHECK_STR(zone_current(), "Europe/Paris");
	return t_done("test_zone");
}
