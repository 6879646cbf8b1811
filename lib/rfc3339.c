/* rfc3339.c: timestamps as data; nothing here reads the machine's zone. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rfc3339.h"

/* Howard Hinnant's days_from_civil. */
int64_t
rfc3339_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
days_in(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
rfc3339_parse(const char *s, int64_t *epoch, int *offset)
{
	int y, mo, d, h, mi, sec, oh, om, sign;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			;
		if (p == s + 20)
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		if (p[1] != '\0')
			return -1;
		*offset = 0;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || p[6] != '\0' || oh > 23 || om > 59)
			return -1;
		*offset = sign * (oh * 60 + om);
	} else
		return -1;
	if (sec == 60) {
		/* Leap seconds are inserted at 23:59:60 UTC only. */
		if (((h * 60 + mi - *offset) % 1440 + 1440) % 1440 != 1439)
			return -1;
		sec = 59;	/* and counted as the second before */
	}
	*epoch = rfc3339_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    (int64_t)*offset * 60;
	return 0;
}

char *
rfc3339_format(int64_t epoch, int offset, char *buf, size_t len)
{
	int64_t local = epoch + (int64_t)offset * 60, days, y, secs;
	int m, d, a = offset < 0 ? -offset : offset;

	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	civil(days, &y, &m, &d);
	if (offset == 0)
		snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60));
	else
		snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60),
		    offset < 0 ? '-' : '+', a / 60, a % 60);
	return buf;
}
