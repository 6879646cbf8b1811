/* rfc3339.h: RFC 3339 timestamps with an offset, without the local zone. */
#ifndef RFC3339_H
#define RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* Parse "2026-11-20T10:15:00+03:00" (also "t" or a space for "T", "Z" for
 * +00:00, fractions of a second) into seconds since the epoch and the
 * offset in minutes east of UTC.  The date must exist (no 31 April) and
 * the offset be within 23:59.  Returns 0, or -1 when s is not such a
 * time or lacks an offset. */
int	 rfc3339_parse(const char *s, int64_t *epoch, int *offset);

/* Write epoch as RFC 3339 in the offset (minutes east of UTC) into buf
 * of at least 26 bytes: "2026-11-20T10:15:00+03:00", "...Z" for 0.
 * Returns buf. */
char	*rfc3339_format(int64_t epoch, int offset, char *buf, size_t len);

/* Days since 1970-01-01 of the proleptic Gregorian date. */
int64_t	 rfc3339_days(int64_t year, int month, int day);

#endif
