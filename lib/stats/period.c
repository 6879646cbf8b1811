/* period.c: the period a time falls in: day, ISO week, month. */
#include <stdio.h>
#include <string.h>

#include "rfc3339.h"
#include "stats.h"

static const char *const by_names[] = { "day", "week", "month" };

int
stats_by_parse(const char *name, enum stats_by *by)
{
	size_t i;

	for (i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (strcmp(name, by_names[i]) == 0) {
			*by = (enum stats_by)i;
			return 0;
		}
	return -1;
}

const char *
stats_by_name(enum stats_by by)
{
	return by_names[by];
}

/* Floor division, for days before 1970. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

char *
stats_period(int64_t epoch, int tz, enum stats_by by, char *buf)
{
	char t[32];
	int64_t days, monday, thursday, jan1;
	int year, weekday;

	rfc3339_format(epoch, tz, t, sizeof(t));
	switch (by) {
	case STATS_DAY:
		memcpy(buf, t, 10);
		buf[10] = '\0';
		break;
	case STATS_MONTH:
		memcpy(buf, t, 7);
		buf[7] = '\0';
		break;
	case STATS_WEEK:
		days = floordiv(epoch + (int64_t)tz * 60, 86400);
		/* 1970-01-01 was a Thursday: weekday 0 is Monday */
		weekday = (int)(((days + 3) % 7 + 7) % 7);
		monday = days - weekday;
		thursday = monday + 3;
		/* the ISO year is the year of the week's Thursday */
		rfc3339_format(thursday * 86400, 0, t, sizeof(t));
		year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 +
		    (t[2] - '0') * 10 + (t[3] - '0');
		jan1 = rfc3339_days(year, 1, 1);
		snprintf(buf, 16, "%04d-W%02d", year,
		    (int)((thursday - jan1) / 7 + 1));
		break;
	}
	return buf;
}
