/* contact.c: e-mail address syntax and E.164 phone numbers. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "country.h"
#include "utf8.h"
#include "xalloc.h"

/* Mail domains that many customers use; a domain one typing slip away from
 * one of them (and not itself a real one) is taken for a typo. */
static const char *popular[] = {
	"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
	"outlook.com", "live.com", "icloud.com", "aol.com", "msn.com",
	"protonmail.com", "proton.me", "yandex.ru", "yandex.ua", "yandex.by",
	"yandex.kz", "yandex.com", "mail.ru", "inbox.ru", "list.ru", "bk.ru",
	"rambler.ru", "ukr.net", "i.ua", "meta.ua", "gmx.de", "gmx.net",
	"web.de", "t-online.de", "wp.pl", "onet.pl", "interia.pl", "o2.pl",
	"orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr",
	"yahoo.co.uk", "btinternet.com", "comcast.net", "tut.by",
};

/* Real domains near a popular one, never "corrected". */
static const char *genuine[] = {
	"mail.com", "gmx.com", "gmx.at", "gmx.ch", "ya.ru", "email.com",
	"mail.ua", "live.ru", "yahoo.fr", "yahoo.de", "hotmail.fr",
	"hotmail.de", "hotmail.co.uk", "live.de", "live.fr", "me.com",
	"mac.com", "bk.com", "web.com", "ukr.com", "ymail.com", "hotmail.ca",
	"hotmail.it", "hotmail.es", "yahoo.co.jp", "interia.eu", "rambler.ua",
};

/* Misspellings too far for the distance rule but common in practice. */
static const struct {
	const char *typo, *meant;
} known_typos[] = {
	{"gmail.co", "gmail.com"}, {"gmail.cm", "gmail.com"},
	{"gmal.com", "gmail.com"}, {"yandex.r", "yandex.ru"},
	{"yandex.ry", "yandex.ru"}, {"mail.ry", "mail.ru"},
	{"mail.r", "mail.ru"}, {"yandx.ru", "yandex.ru"},
	{"yadex.ru", "yandex.ru"}, {"ya.ry", "ya.ru"},
};

/* Damerau-Levenshtein distance (adjacent transpositions count one), capped
 * at 3 for long strings. */
static int
distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j;
	int d[48][48], cost, v;

	if (n >= 47 || m >= 47)
		return 3;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++) {
		for (j = 1; j <= m; j++) {
			cost = a[i - 1] != b[j - 1];
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

/* 1 when suffix (".com", ".co.uk") is made of labels that are top-level
 * domains in use: a country code, or a common generic one. */
static int
real_suffix(const char *suffix)
{
	static const char *generic[] = {
		"com", "net", "org", "info", "biz", "edu", "gov", "me", "io",
		"eu", "uk", "su", "co", "ac", "app", "dev", "online", "email",
	};
	char label[8];
	size_t n, i;
	int ok;

	if (*suffix++ != '.')
		return 0;
	for (;;) {
		n = strcspn(suffix, ".");
		ok = 0;
		if (n == 2) {
			label[0] = toupper((unsigned char)suffix[0]);
			label[1] = toupper((unsigned char)suffix[1]);
			label[2] = '\0';
			ok = country_find(label) != NULL;
		}
		for (i = 0; !ok && i < sizeof(generic) / sizeof(generic[0]); i++)
			ok = strlen(generic[i]) == n &&
			    strncmp(suffix, generic[i], n) == 0;
		if (!ok)
			return 0;
		if (suffix[n] == '\0')
			return 1;
		suffix += n + 1;
	}
}

/* Country codes that are mostly ".com" mistyped: Colombia, Cameroon, Oman. */
static int
com_slip(const char *suffix)
{
	return strcmp(suffix, ".co") == 0 || strcmp(suffix, ".cm") == 0 ||
	    strcmp(suffix, ".om") == 0;
}

static const char *
typo_of(const char *domain)
{
	size_t i;

	for (i = 0; i < sizeof(known_typos) / sizeof(known_typos[0]); i++)
		if (strcmp(domain, known_typos[i].typo) == 0)
			return known_typos[i].meant;
	for (i = 0; i < sizeof(popular) / sizeof(popular[0]); i++)
		if (strcmp(domain, popular[i]) == 0)
			return NULL;
	for (i = 0; i < sizeof(genuine) / sizeof(genuine[0]); i++)
		if (strcmp(domain, genuine[i]) == 0)
			return NULL;
	for (i = 0; i < sizeof(popular) / sizeof(popular[0]); i++) {
		/* One slip in a name of 7 or more; two in one of 10 or more. */
		int dist;
		size_t len = strlen(popular[i]), name = strcspn(domain, ".");

		/* The provider's domain in another country (protonmail.ch,
		 * yahoo.co.in) is no slip. */
		if (name == strcspn(popular[i], ".") &&
		    strncmp(domain, popular[i], name) == 0 &&
		    real_suffix(domain + name) &&
		    !(strcmp(popular[i] + name, ".com") == 0 &&
		    com_slip(domain + name)))
			continue;
		dist = distance(domain, popular[i]);

		if ((dist == 1 && len >= 7) || (dist == 2 && len >= 10))
			return popular[i];
	}
	return NULL;
}

static int
atext(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || strchr("!#$%&'*+/=?^_`{|}~-", c);
}

static enum email_result
check_local(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return EMAIL_LOCAL;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return EMAIL_LOCAL;
		} else if (!atext((unsigned char)s[i]))
			return EMAIL_LOCAL;
	}
	return EMAIL_OK;
}

static enum email_result
check_domain(const char *d)
{
	const char *label = d, *dot, *p;
	size_t n, total = strlen(d);
	int labels = 0, alpha;

	if (total == 0 || total > 253)
		return EMAIL_DOMAIN;
	for (;;) {
		dot = strchr(label, '.');
		n = dot ? (size_t)(dot - label) : strlen(label);
		if (n == 0 || n > 63)
			return dot == NULL && labels > 0 ? EMAIL_TLD : EMAIL_DOMAIN;
		if (label[0] == '-' || label[n - 1] == '-')
			return EMAIL_DOMAIN;
		for (p = label; p < label + n; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    (unsigned char)*p < 0x80)
				return EMAIL_DOMAIN;
		labels++;
		if (dot == NULL)
			break;
		label = dot + 1;
	}
	if (labels < 2)
		return EMAIL_TLD;
	/* The top-level label: letters (or IDN), 2 or more, or xn--. */
	if (n < 2)
		return EMAIL_TLD;
	if (strncmp(label, "xn--", 4) != 0) {
		for (alpha = 1, p = label; *p; p++)
			if (!isalpha((unsigned char)*p) && (unsigned char)*p < 0x80)
				alpha = 0;
		if (!alpha)
			return EMAIL_TLD;
	}
	return EMAIL_OK;
}

enum email_result
email_check(const char *in, char **norm, char *suggest, size_t len)
{
	const char *start = in, *end, *at, *meant;
	char *s, *p;
	size_t n, i;
	enum email_result r;

	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == start)
		return EMAIL_EMPTY;
	n = end - start;
	s = *norm = xstrndup(start, n);
	for (i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return EMAIL_SPACE;
	for (i = 0; i < n; ) {
		size_t k = utf8_seqlen((const unsigned char *)s + i, n - i);

		if (k == 0 || s[i] == '\0')
			return EMAIL_LOCAL;
		i += k;
	}
	if ((at = strchr(s, '@')) == NULL)
		return EMAIL_NO_AT;
	if (strchr(at + 1, '@') != NULL)
		return EMAIL_MANY_AT;
	for (p = (char *)at + 1; *p; p++)
		*p = tolower((unsigned char)*p);
	if ((r = check_local(s, at - s)) != EMAIL_OK)
		return r;
	if ((r = check_domain(at + 1)) != EMAIL_OK)
		return r;
	if (n > 254)
		return EMAIL_LONG;
	if ((meant = typo_of(at + 1)) != NULL) {
		if (suggest != NULL && len > 0) {
			size_t local = at - s + 1;

			if (local + strlen(meant) + 1 <= len) {
				memcpy(suggest, s, local);
				strcpy(suggest + local, meant);
			} else
				suggest[0] = '\0';
		}
		return EMAIL_TYPO;
	}
	return EMAIL_OK;
}

/* Telephone numbering plans: the calling code, the national trunk prefix
 * dialled before a national number, the lengths of the national
 * significant number (NSN), and the prefixes it may start with, separated
 * by spaces ("" any): one digit mostly, two where a first digit is shared
 * by codes in use and codes that are not (RU 81x-87x but no 88x, 89x).
 * From the ITU-T E.164 assignments and the national plans. */
struct plan {
	char		 cc[3];
	const char	*calling;
	const char	*trunk;
	int		 min, max;
	const char	*first;
};

static const struct plan plans[] = {
	{"RU", "7",   "8",  10, 10, "3 4 80 81 82 83 84 85 86 87 9"},
	{"KZ", "7",   "8",  10, 10, "6 7"},
	{"US", "1",   "1",  10, 10, "2 3 4 5 6 7 8 9"},
	{"CA", "1",   "1",  10, 10, "2 3 4 5 6 7 8 9"},
	{"UA", "380", "0",  9,  9,  "3 4 5 6 7 8 9"},
	{"BY", "375", "80", 9,  9,  "1 2 3 4 5"},
	{"GB", "44",  "0",  9,  10, "1 2 3 5 7"},
	{"DE", "49",  "0",  6,  13, "1 2 3 4 5 6 7 8 9"},
	{"PL", "48",  "",   9,  9,  "1 2 3 4 5 6 7 8 9"},
	{"FR", "33",  "0",  9,  9,  "1 2 3 4 5 6 7 8 9"},
	{"IT", "39",  "",   6,  11, "0 3"},
	{"ES", "34",  "",   9,  9,  "6 7 8 9"},
	{"NL", "31",  "0",  9,  9,  "1 2 3 4 5 6 7 8 9"},
	{"BE", "32",  "0",  8,  9,  "1 2 3 4 5 6 7 8 9"},
	{"AT", "43",  "0",  4,  13, "1 2 3 4 5 6 7 8 9"},
	{"CH", "41",  "0",  9,  9,  "1 2 3 4 5 6 7 8 9"},
	{"CZ", "420", "",   9,  9,  "2 3 4 5 6 7 9"},
	{"SK", "421", "0",  9,  9,  "2 3 4 5 6 8 9"},
	{"LT", "370", "8",  8,  8,  "3 4 5 6 7 8 9"},
	{"LV", "371", "",   8,  8,  "2 6 7 8"},
	{"EE", "372", "",   7,  8,  "3 4 5 6 7 8 9"},
	{"MD", "373", "0",  8,  8,  "2 3 5 6 7 8"},
	{"AM", "374", "0",  8,  8,  "1 2 3 4 5 7 9"},
	{"GE", "995", "0",  9,  9,  "3 4 5 7 8 9"},
	{"AZ", "994", "0",  9,  9,  "1 2 4 5 6 7 9"},
	{"UZ", "998", "",   9,  9,  "3 4 5 6 7 8 9"},
	{"KG", "996", "0",  9,  9,  "2 3 4 5 7 8 9"},
	{"TJ", "992", "",   9,  9,  "3 4 5 7 8 9"},
	{"TR", "90",  "0",  10, 10, "2 3 4 5 8 9"},
	{"IL", "972", "0",  8,  9,  "2 3 4 5 6 7 8 9"},
	{"CN", "86",  "0",  9,  11, "1 2 3 4 5 6 7 8 9"},
	{"IN", "91",  "0",  10, 10, "1 2 3 4 5 6 7 8 9"},
	{"JP", "81",  "0",  9,  10, "1 2 3 4 5 6 7 8 9"},
	{"BR", "55",  "0",  10, 11, "1 2 3 4 5 6 7 8 9"},
	{"AU", "61",  "0",  9,  9,  "2 3 4 5 7 8"},
	{"SE", "46",  "0",  7,  9,  "1 2 3 4 5 6 7 8 9"},
	{"NO", "47",  "",   8,  8,  "2 3 4 5 6 7 9"},
	{"DK", "45",  "",   8,  8,  "2 3 4 5 6 7 8"},
	{"FI", "358", "0",  5,  12, "1 2 3 4 5 6 7 8 9"},
	{"PT", "351", "",   9,  9,  "2 7 8 9"},
	{"GR", "30",  "",   10, 10, "2 6 8 9"},
	{"HU", "36",  "06", 8,  9,  "1 2 3 4 5 6 7 8 9"},
	{"RO", "40",  "0",  9,  9,  "2 3 7 8 9"},
	{"BG", "359", "0",  8,  9,  "1 2 3 4 5 6 7 8 9"},
	{"IE", "353", "0",  7,  9,  "1 2 4 5 6 7 9"},
	{"MX", "52",  "",   10, 10, "1 2 3 4 5 6 7 8 9"},
};

static const struct plan *
plan_of(const char *cc)
{
	size_t i;

	if (cc == NULL)
		return NULL;
	for (i = 0; i < sizeof(plans) / sizeof(plans[0]); i++)
		if (strcmp(plans[i].cc, cc) == 0)
			return &plans[i];
	return NULL;
}

/* Whether nsn starts with one of the space-separated prefixes of list. */
static int
starts_with_one(const char *list, const char *nsn)
{
	size_t n;

	if (*list == '\0')
		return 1;
	for (; *list != '\0'; list += strspn(list, " ")) {
		n = strcspn(list, " ");
		if (strncmp(nsn, list, n) == 0)
			return 1;
		list += n;
	}
	return 0;
}

/* The plan whose calling code starts digits, the longest one first; for
 * codes shared by several countries (+1, +7) the one whose first digits
 * fit, else the first listed. */
static const struct plan *
plan_by_calling(const char *digits)
{
	const struct plan *best = NULL;
	size_t i, n, bestn = 0;

	for (i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		n = strlen(plans[i].calling);
		if (strncmp(digits, plans[i].calling, n) != 0 || n < bestn)
			continue;
		if (n == bestn && best != NULL &&
		    (starts_with_one(best->first, digits + n) ||
		    !starts_with_one(plans[i].first, digits + n)))
			continue;
		best = &plans[i];
		bestn = n;
	}
	return best;
}

static enum phone_result
check_nsn(const struct plan *pl, const char *nsn, char *out)
{
	int n = strlen(nsn);

	if (n < pl->min)
		return PHONE_SHORT;
	if (n > pl->max)
		return PHONE_LONG;
	/* GB: only some 01 areas have 9 digits; 07911 12345 lacks one. */
	if (strcmp(pl->cc, "GB") == 0 && n == 9 && nsn[0] != '1')
		return PHONE_SHORT;
	if (!starts_with_one(pl->first, nsn))
		return PHONE_PREFIX;
	/* NANP: the exchange code, like the area code, starts with 2-9. */
	if (strcmp(pl->calling, "1") == 0 && (nsn[3] < '2' || nsn[3] > '9'))
		return PHONE_PREFIX;
	out[0] = '+';
	strcpy(out + 1, pl->calling);
	strcat(out, nsn);
	return PHONE_OK;
}

enum phone_result
phone_normalize(const char *in, const char *country, char *out,
    const char **region, int *nsn_min, int *nsn_max)
{
	char digits[32];
	const struct plan *pl;
	const char *p;
	size_t n = 0, t;
	int plus = 0, seen_digit = 0;

	*region = NULL;
	*nsn_min = *nsn_max = 0;
	for (p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return PHONE_LONG;
			digits[n++] = *p;
			seen_digit = 1;
		} else if (*p == '+' && !seen_digit && !plus) {
			plus = 1;
		} else if (strncmp(p, "(0)", 3) == 0 && (plus ||
		    (n >= 2 && digits[0] == '0' && digits[1] == '0'))) {
			p += 2;		/* "+44 (0)20 ...": the trunk, not dialled */
		} else if (memcmp(p, "\xc2\xa0", 2) == 0) {
			p++;			/* a no-break space */
		} else if (strchr(" \t.-/()", *p) == NULL) {
			return PHONE_CHARS;
		}
	}
	digits[n] = '\0';
	if (n == 0)
		return PHONE_EMPTY;
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);	/* 00 49 ... */
		n -= 2;
		plus = 1;
	}
	if (plus) {
		if ((pl = plan_by_calling(digits)) == NULL) {
			/* No plan: E.164 allows at most 15 digits. */
			if (n < 8)
				return PHONE_SHORT;
			if (n > 15)
				return PHONE_LONG;
			if (digits[0] == '0')
				return PHONE_PREFIX;
			out[0] = '+';
			strcpy(out + 1, digits);
			return PHONE_OK;
		}
		*region = pl->cc;
		*nsn_min = pl->min;
		*nsn_max = pl->max;
		return check_nsn(pl, digits + strlen(pl->calling), out);
	}
	if ((pl = plan_of(country)) == NULL) {
		if (country == NULL || *country == '\0')
			return PHONE_NO_COUNTRY;
		/* A country without a plan here: take it as given. */
		if (n < 6)
			return PHONE_SHORT;
		if (n > 15)
			return PHONE_LONG;
		return PHONE_NO_COUNTRY;
	}
	*region = pl->cc;
	*nsn_min = pl->min;
	*nsn_max = pl->max;
	t = strlen(pl->trunk);
	/* The trunk prefix ("8 916 ...", "0 67 ..."), the calling code
	 * without "+" ("7 916 ...", "380 67 ..."), or the bare NSN. */
	if (t > 0 && strncmp(digits, pl->trunk, t) == 0) {
		if ((int)(n - t) >= pl->min && (int)(n - t) <= pl->max)
			return check_nsn(pl, digits + t, out);
		/* A digit too few or too many after the trunk prefix ("8 916
		 * 123-45-6") is that, unless the whole is a valid NSN. */
		if (check_nsn(pl, digits, out) == PHONE_OK)
			return PHONE_OK;
		return check_nsn(pl, digits + t, out);
	}
	t = strlen(pl->calling);
	if (n > t && strncmp(digits, pl->calling, t) == 0 &&
	    (int)(n - t) >= pl->min && (int)(n - t) <= pl->max &&
	    (int)n > pl->max)
		return check_nsn(pl, digits + t, out);
	return check_nsn(pl, digits, out);
}
