/* exporttime.c: times as exports write them; nothing here reads the
 * machine's zone. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exporttime.h"
#include "rfc3339.h"
#include "utf8.h"

/* Zones that keep one offset all year, by name and abbreviation. */
static const struct {
	const char	*name;
	int		 minutes;
} zones[] = {
	{ "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "Etc/UTC", 0 },
	{ "Europe/Moscow", 180 }, { "MSK", 180 }, { "Europe/Minsk", 180 },
	{ "Europe/Istanbul", 180 }, { "Europe/Simferopol", 180 },
	{ "Europe/Kaliningrad", 120 }, { "Europe/Samara", 240 },
	{ "Asia/Yekaterinburg", 300 }, { "Asia/Omsk", 360 },
	{ "Asia/Novosibirsk", 420 }, { "Asia/Krasnoyarsk", 420 },
	{ "Asia/Irkutsk", 480 }, { "Asia/Yakutsk", 540 },
	{ "Asia/Vladivostok", 600 }, { "Asia/Magadan", 660 },
	{ "Asia/Kamchatka", 720 }, { "Asia/Almaty", 300 },
	{ "Asia/Tashkent", 300 }, { "Asia/Bishkek", 360 },
	{ "Asia/Tbilisi", 240 }, { "Asia/Yerevan", 240 }, { "Asia/Baku", 240 },
	{ "Asia/Dubai", 240 }, { "Asia/Kolkata", 330 }, { "Asia/Calcutta", 330 },
	{ "IST", 330 }, { "Asia/Shanghai", 480 }, { "Asia/Hong_Kong", 480 },
	{ "Asia/Singapore", 480 }, { "Asia/Tokyo", 540 }, { "JST", 540 },
	{ "Asia/Seoul", 540 }, { "Pacific/Honolulu", -600 }, { "HST", -600 },
	{ "America/Phoenix", -420 }, { "Australia/Brisbane", 600 },
	/* The abbreviations PayPal's downloads write: each names standard
	 * or summer time, so it is one offset. */
	{ "PST", -480 }, { "PDT", -420 }, { "MST", -420 }, { "MDT", -360 },
	{ "CST", -360 }, { "CDT", -300 }, { "EST", -300 }, { "EDT", -240 },
	{ "BST", 60 }, { "CET", 60 }, { "MEZ", 60 }, { "CEST", 120 },
	{ "MESZ", 120 }, { "EET", 120 }, { "EEST", 180 }, { "AEST", 600 },
	{ "AEDT", 660 },
};

/* The forms tried after a format's own. */
static const char *const common_forms[] = {
	"%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S%z",
	"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M%z",
	"%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d",
};

static int
digits(const char **sp, int min, int max, int *v)
{
	const char *s = *sp;
	int n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)s[n])) {
		*v = *v * 10 + (s[n] - '0');
		n++;
	}
	if (n < min)
		return -1;
	*sp = s + n;
	return 0;
}

/* "+03:00", "+0300", "+03", "-5:00" at *sp. */
static int
offset_text(const char **sp, int *minutes)
{
	const char *s = *sp;
	int h, m = 0, sign;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, isdigit((unsigned char)s[0]) && s[1] == ':' ? 1 : 2, 2,
	    &h) == -1)
		return -1;
	if (*s == ':')
		s++;
	if (isdigit((unsigned char)*s) && digits(&s, 2, 2, &m) == -1)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*minutes = sign * (h * 60 + m);
	*sp = s;
	return 0;
}

/* A zone at *sp: an offset, a name, or "UTC" or "GMT" with an offset. */
static int
zone_text(const char **sp, int *minutes)
{
	const char *s = *sp, *w;
	size_t n, i;

	while (*s == ' ')
		s++;
	for (w = s; isalpha((unsigned char)*w) || *w == '/' || *w == '_'; w++)
		;
	if ((n = w - s) == 0) {
		if (offset_text(&s, minutes) == -1)
			return -1;
		*sp = s;
		return 0;
	}
	if ((n == 3 && (strncasecmp(s, "UTC", 3) == 0 ||
	    strncasecmp(s, "GMT", 3) == 0)) && (*w == '+' || *w == '-')) {
		if (offset_text(&w, minutes) == -1)
			return -1;
		*sp = w;
		return 0;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    strncasecmp(s, zones[i].name, n) == 0) {
			*minutes = zones[i].minutes;
			*sp = w;
			return 0;
		}
	return -1;
}

int
exporttime_zone(const char *s, int *minutes)
{
	int m;

	if (*s == ' ' || zone_text(&s, &m) == -1 || *s != '\0')
		return -1;
	*minutes = m;
	return 0;
}

static const struct {
	const char	*prefix;
	int		 month;
} months[] = {
	{ "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "mär", 3 }, { "mrz", 3 },
	{ "apr", 4 }, { "may", 5 }, { "mai", 5 }, { "jun", 6 }, { "jul", 7 },
	{ "aug", 8 }, { "sep", 9 }, { "oct", 10 }, { "okt", 10 },
	{ "nov", 11 }, { "dec", 12 }, { "dez", 12 },
	{ "янв", 1 }, { "фев", 2 }, { "мар", 3 }, { "апр", 4 }, { "май", 5 },
	{ "мая", 5 }, { "июн", 6 }, { "июл", 7 }, { "авг", 8 }, { "сен", 9 },
	{ "окт", 10 }, { "ноя", 11 }, { "дек", 12 },
};

static int
month_name(const char **sp, int *month)
{
	const char *s = *sp;
	char word[64], *lower;
	size_t n = 0, i;

	while (s[n] != '\0' && (isalpha((unsigned char)s[n]) ||
	    (unsigned char)s[n] >= 0x80) && n < sizeof(word) - 1) {
		word[n] = s[n];
		n++;
	}
	if (n < 3)
		return -1;
	word[n] = '\0';
	lower = utf8_lower(word);
	/* Latin-1 Ä (as in MÄR) is not lowered by utf8_lower. */
	if (strncmp(lower, "m\xc3\x84r", 4) == 0)
		lower[2] = '\xa4';
	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++)
		if (strncmp(lower, months[i].prefix,
		    strlen(months[i].prefix)) == 0) {
			*month = months[i].month;
			free(lower);
			s += n;
			if (*s == '.')
				s++;
			*sp = s;
			return 0;
		}
	free(lower);
	return -1;
}

/* Only time fields (and separators) are left in the form. */
static int
only_time_left(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '%') {
			p++;
			if (strchr("HMSIpz", *p) == NULL)
				return 0;
		} else if (strchr(" T:.,", *p) == NULL)
			return 0;
	}
	return 1;
}

/* What match() read, before the checks of exporttime_parse(). */
struct fields {
	struct exporttime t;
	int		 pm, has_pm, has_date;
};

static int
match(const char *s, const char *p, struct fields *f)
{
	struct exporttime *t = &f->t;
	int v, sep = 0;

	memset(f, 0, sizeof(*f));
	while (*s == ' ')
		s++;
	while (*p != '\0') {
		/* It may stop after a field, not after a separator that
		 * promised one ("2026-11-20 10:15:"). */
		if (*s == '\0' && f->has_date && !sep && only_time_left(p))
			return 0;
		if (*p == ' ') {
			if (*s != ' ')
				return -1;
			while (*s == ' ')
				s++;
			p++;
			continue;
		}
		if (*p != '%') {
			if (tolower((unsigned char)*s) !=
			    tolower((unsigned char)*p))
				return -1;
			s++;
			p++;
			sep = 1;
			continue;
		}
		p++;
		sep = 0;
		switch (*p++) {
		case 'Y':
			if (digits(&s, 4, 4, &t->year) == -1)
				return -1;
			break;
		case 'y':
			if (digits(&s, 2, 2, &v) == -1)
				return -1;
			t->year = v < 70 ? 2000 + v : 1900 + v;
			break;
		case 'm':
			if (digits(&s, 1, 2, &t->month) == -1)
				return -1;
			break;
		case 'b':
			if (month_name(&s, &t->month) == -1)
				return -1;
			break;
		case 'd':
			if (digits(&s, 1, 2, &t->day) == -1)
				return -1;
			f->has_date = 1;
			break;
		case 'H':
		case 'I':
			if (digits(&s, 1, 2, &t->hour) == -1)
				return -1;
			t->has_time = 1;
			break;
		case 'M':
			if (digits(&s, 2, 2, &t->min) == -1)
				return -1;
			break;
		case 'S':
			if (digits(&s, 2, 2, &t->sec) == -1)
				return -1;
			if ((*s == '.' || *s == ',') &&
			    isdigit((unsigned char)s[1]))
				for (s++; isdigit((unsigned char)*s); s++)
					;
			break;
		case 'p':
			while (*s == ' ')
				s++;
			if (strncasecmp(s, "AM", 2) == 0)
				f->pm = 0;
			else if (strncasecmp(s, "PM", 2) == 0)
				f->pm = 1;
			else
				return -1;
			f->has_pm = 1;
			s += 2;
			break;
		case 'z':
			if (zone_text(&s, &t->offset) == -1)
				return -1;
			t->has_offset = 1;
			break;
		case '%':
			if (*s++ != '%')
				return -1;
			break;
		default:
			return -1;
		}
	}
	while (*s == ' ')
		s++;
	return *s == '\0' ? 0 : -1;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int
exporttime_parse(const char *s, const char *const *forms, size_t nforms,
    struct exporttime *t)
{
	struct fields f;
	size_t i, n = nforms + sizeof(common_forms) / sizeof(common_forms[0]);

	for (i = 0; i < n; i++) {
		if (match(s, i < nforms ? forms[i] : common_forms[i - nforms],
		    &f) == -1)
			continue;
		if (f.has_pm) {
			if (f.t.hour < 1 || f.t.hour > 12)
				continue;
			f.t.hour = f.t.hour % 12 + (f.pm ? 12 : 0);
		}
		if (f.t.year < 1 || f.t.year > 9999 || f.t.month < 1 ||
		    f.t.month > 12 || f.t.day < 1 ||
		    f.t.day > month_days(f.t.year, f.t.month) ||
		    f.t.hour > 23 || f.t.min > 59 || f.t.sec > 60)
			continue;
		if (f.t.sec == 60)
			f.t.sec = 59;
		*t = f.t;
		return 0;
	}
	return -1;
}

int64_t
exporttime_epoch(const struct exporttime *t, int offset)
{
	return rfc3339_days(t->year, t->month, t->day) * 86400 +
	    t->hour * 3600 + t->min * 60 + t->sec -
	    (int64_t)(t->has_offset ? t->offset : offset) * 60;
}

static void
put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = '0' + v % 10;
		v /= 10;
	}
}

char *
exporttime_format(const struct exporttime *t, int offset, char *out)
{
	if (t->has_offset)
		offset = t->offset;
	put_digits(out, t->year, 4);
	out[4] = '-';
	put_digits(out + 5, t->month, 2);
	out[7] = '-';
	put_digits(out + 8, t->day, 2);
	out[10] = 'T';
	put_digits(out + 11, t->hour, 2);
	out[13] = ':';
	put_digits(out + 14, t->min, 2);
	out[16] = ':';
	put_digits(out + 17, t->sec, 2);
	if (offset == 0) {
		out[19] = 'Z';
		out[20] = '\0';
	} else {
		out[19] = offset < 0 ? '-' : '+';
		put_digits(out + 20, abs(offset) / 60, 2);
		out[22] = ':';
		put_digits(out + 23, abs(offset) % 60, 2);
		out[25] = '\0';
	}
	return out;
}
