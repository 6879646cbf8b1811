/* exporttime.h: times as shops', marketplaces' and payment providers'
 * exports write them, read without the machine's time zone. */
#ifndef EXPORTTIME_H
#define EXPORTTIME_H

#include <stddef.h>
#include <stdint.h>

/* A wall time as an export wrote it, and its offset if it had one. */
struct exporttime {
	int	year, month, day, hour, min, sec;
	int	offset;		/* minutes east of UTC, when has_offset */
	int	has_offset;
	int	has_time;	/* a time of day, not a date alone */
};

/* The offset in minutes east of UTC of a zone as a map, an option or an
 * export names it: "Z", "UTC", "GMT", "+03:00", "+0300", "+03", "-5:00",
 * "GMT+03:00", or a zone that keeps one offset all year, by its name
 * ("Europe/Moscow", "Asia/Tokyo") or abbreviation ("MSK", "PST", "PDT",
 * "CET", "CEST"), case ignored.  0 with *minutes set, or -1 (unknown, or a
 * zone with daylight saving time: "Europe/Berlin"). */
int	 exporttime_zone(const char *s, int *minutes);

/*
 * Read s by the first of forms[0..nforms-1] that fits it, then by the
 * common forms: RFC 3339 and ISO 8601 with a 'T' or a space, with or
 * without seconds, a fraction of a second or an offset, and a date alone
 * ("2026-03-02").  A form is strptime-like: %Y (four digits), %y (two:
 * 2000-2069, 1970-1999), %m and %d (one or two), %b (a month's name or
 * abbreviation in English, German or Russian), %H and %I (one or two),
 * %M and %S (two; a fraction after %S is skipped), %p (AM or PM), %z (an
 * offset or a zone's name, as exporttime_zone() reads them), %%; a space
 * matches one or more, other characters themselves (case ignored), white
 * space around s is skipped, and s may stop where only time fields are
 * left ("02.03.2026" fits "%d.%m.%Y %H:%M").  A date that does not exist
 * (31 April), a year beyond 9999 or an hour beyond 23 does not fit; a
 * 60th second is the 59th.  0 with *t set, or -1.
 */
int	 exporttime_parse(const char *s, const char *const *forms,
	    size_t nforms, struct exporttime *t);

/* Seconds since the epoch of t, in its own offset, else in offset. */
int64_t	 exporttime_epoch(const struct exporttime *t, int offset);

/* Write t in RFC 3339 with its own offset, else with offset ("Z" for 0),
 * into buf of at least 26 bytes: the wall time as read, with no call of
 * snprintf(3) (a record has several).  Returns buf. */
char	*exporttime_format(const struct exporttime *t, int offset, char *buf);

#endif
