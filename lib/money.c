/* money.c: amounts as integers in minor units; ISO 4217 exponents. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "money.h"

/* ISO 4217 active codes and their minor units (List One), sorted. */
static const struct money_currency currencies[] = {
	{"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2},
	{"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2},
	{"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3},
	{"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2},
	{"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
	{"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
	{"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
	{"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
	{"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
	{"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2},
	{"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2},
	{"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
	{"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2},
	{"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2},
	{"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2},
	{"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2},
	{"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
	{"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2},
	{"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
	{"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2},
	{"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
	{"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2},
	{"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
	{"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
	{"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2},
	{"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SLL", 2},
	{"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
	{"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2},
	{"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2},
	{"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2},
	{"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2},
	{"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0},
	{"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2},
	{"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2}, {"ZWL", 2},
};

static int
cmp_currency(const void *key, const void *elem)
{
	return strcmp(key, ((const struct money_currency *)elem)->code);
}

const struct money_currency *
money_currency(const char *code)
{
	if (strcmp(code, "RUR") == 0)
		code = "RUB";
	if (strlen(code) != 3)
		return NULL;
	return bsearch(code, currencies, sizeof(currencies) /
	    sizeof(currencies[0]), sizeof(currencies[0]), cmp_currency);
}

const struct money_currency *
money_currency_anycase(const char *code, size_t len)
{
	char up[4];
	size_t i;

	if (len != 3)
		return NULL;
	for (i = 0; i < 3; i++)
		up[i] = code[i] >= 'a' && code[i] <= 'z' ? code[i] - 'a' + 'A' :
		    code[i];
	up[3] = '\0';
	return money_currency(up);
}

/* The length of a white space or grouping space at s: ASCII space, tab,
 * U+00A0, U+202F, U+2009; 0 if none.  strncmp(), not memcmp(): s may end
 * before the sequence would. */
static size_t
space_len(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(s, "\xe2\x80\xaf", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x89", 3) == 0)
		return 3;
	return 0;
}

/* The length of an apostrophe used for grouping ("1'299.50"): ' or U+2019. */
static size_t
apos_len(const char *s)
{
	if (*s == '\'')
		return 1;
	if (strncmp(s, "\xe2\x80\x99", 3) == 0)
		return 3;
	return 0;
}

#define MAXGROUPS 16

int
money_parse(const char *text, int exponent, int64_t *minor)
{
	const char *p = text, *end;
	const char *group[MAXGROUPS + 1];	/* start of each digit run */
	size_t glen[MAXGROUPS + 1];
	char sep[MAXGROUPS + 1];		/* separator after run i */
	int ngroups = 0, neg = 0, i, dec = -1, ndot = 0, ncomma = 0, nother = 0;
	uint64_t v = 0, limit;
	int fracdigits = 0;
	size_t n, j;

	while ((n = space_len(p)) > 0)
		p += n;
	end = p + strlen(p);
	while (end > p) {
		if (end - p >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - p >= 2 && memcmp(end - 2, "\xc2\xa0", 2) == 0)
			end -= 2;
		else if (end - p >= 3 && (memcmp(end - 3, "\xe2\x80\xaf", 3) == 0 ||
		    memcmp(end - 3, "\xe2\x80\x89", 3) == 0))
			end -= 3;
		else
			break;
	}
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	else if (end - p >= 3 && memcmp(p, "\xe2\x88\x92", 3) == 0) {
		neg = 1;		/* U+2212 MINUS SIGN */
		p += 3;
	}
	if (p == end)
		return MONEY_ESYNTAX;

	/* Split into digit runs and the separator that follows each. */
	if (*p == '.' || *p == ',') {		/* ".5" */
		group[ngroups] = p;
		glen[ngroups] = 0;
		sep[ngroups++] = *p++;
		if (p == end)
			return MONEY_ESYNTAX;
	}
	while (p < end) {
		if (ngroups >= MAXGROUPS)	/* one more for "12." */
			return MONEY_ESYNTAX;
		group[ngroups] = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		glen[ngroups] = p - group[ngroups];
		if (glen[ngroups] == 0)
			return MONEY_ESYNTAX;
		if (p == end) {
			sep[ngroups++] = '\0';
			break;
		}
		if (*p == '.' || *p == ',') {
			sep[ngroups] = *p++;
		} else if ((n = space_len(p)) > 0 || (n = apos_len(p)) > 0) {
			sep[ngroups] = ' ';
			p += n;
		} else
			return MONEY_ESYNTAX;
		ngroups++;
		if (p == end) {		/* "12." */
			if (sep[ngroups - 1] == ' ')
				return MONEY_ESYNTAX;
			group[ngroups] = p;
			glen[ngroups] = 0;
			sep[ngroups++] = '\0';
			break;
		}
	}
	for (i = 0; i < ngroups - 1; i++) {
		if (sep[i] == '.')
			ndot++;
		else if (sep[i] == ',')
			ncomma++;
		else
			nother++;
	}

	/* Which separator, if any, is the decimal one. */
	if (ndot > 0 && ncomma > 0) {
		dec = ngroups - 2;
		if (sep[dec] == ' ' || (sep[dec] == '.' ? ndot : ncomma) != 1)
			return MONEY_ESYNTAX;
	} else if (ndot + ncomma == 1) {
		for (i = 0; sep[i] != '.' && sep[i] != ','; i++)
			;
		dec = i;
		if (i == ngroups - 2 && glen[i + 1] == 3 && exponent != 3 &&
		    nother == 0 && glen[0] >= 1 && glen[0] <= 3 &&
		    group[0][0] != '0')
			dec = -1;	/* "1,299": thousands */
		else if (i != ngroups - 2)
			return MONEY_ESYNTAX;
	} else if (ndot + ncomma > 1) {
		dec = -1;		/* "1.299.000" or "1,299,000" */
	}

	/* Grouped runs: the first 1-3 digits, the inner ones 2 or 3 (lakh),
	 * the last one before the decimals 3. */
	{
		int last = dec >= 0 ? dec : ngroups - 1;

		if (last > 0) {
			if (glen[0] > 3)
				return MONEY_ESYNTAX;
			for (i = 1; i < last; i++)
				if (glen[i] != 2 && glen[i] != 3)
					return MONEY_ESYNTAX;
			if (glen[last] != 3)
				return MONEY_ESYNTAX;
		}
		if (dec >= 0) {
			for (i = 0; i < dec; i++)
				if (sep[i] == sep[dec])
					return MONEY_ESYNTAX;
		}
	}

	/* Accumulate digit by digit with overflow checks. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = 0; i < ngroups; i++) {
		int frac = dec >= 0 && i > dec;

		for (j = 0; j < glen[i]; j++) {
			int d = group[i][j] - '0';

			if (frac) {
				if (fracdigits >= exponent) {
					if (d != 0)
						return MONEY_EPREC;
					continue;
				}
				fracdigits++;
			}
			if (v > (limit - d) / 10)
				return MONEY_ERANGE;
			v = v * 10 + d;
		}
	}
	for (; fracdigits < exponent; fracdigits++) {
		if (v > limit / 10)
			return MONEY_ERANGE;
		v *= 10;
	}
	*minor = neg ? (int64_t)(0 - v) : (int64_t)v;
	return MONEY_OK;
}

/* Currency signs and words seen beside amounts, and what they name. */
static const struct {
	const char	*mark;
	const char	*code;
} marks[] = {
	{ "$", "USD" }, { "US$", "USD" }, { "US $", "USD" }, { "USD $", "USD" },
	{ "C$", "CAD" }, { "CA$", "CAD" }, { "CA $", "CAD" }, { "CAD $", "CAD" },
	{ "A$", "AUD" }, { "AU$", "AUD" }, { "AU $", "AUD" },
	{ "NZ$", "NZD" }, { "HK$", "HKD" }, { "S$", "SGD" }, { "R$", "BRL" },
	{ "€", "EUR" }, { "EUR €", "EUR" }, { "£", "GBP" }, { "GBP £", "GBP" },
	{ "¥", "JPY" }, { "￥", "JPY" }, { "円", "JPY" }, { "₽", "RUB" },
	{ "руб", "RUB" }, { "руб.", "RUB" }, { "р.", "RUB" }, { "р", "RUB" },
	{ "₴", "UAH" }, { "грн", "UAH" }, { "грн.", "UAH" }, { "₸", "KZT" },
	{ "тг", "KZT" }, { "zł", "PLN" }, { "Kč", "CZK" }, { "₹", "INR" },
	{ "Rs", "INR" }, { "Rs.", "INR" }, { "Fr.", "CHF" }, { "₺", "TRY" },
	{ "₩", "KRW" }, { "Br", "BYN" }, { "₪", "ILS" }, { "₱", "PHP" },
	{ "฿", "THB" }, { "₫", "VND" }, { "₦", "NGN" }, { "₾", "GEL" },
	{ "₼", "AZN" }, { "₲", "PYG" }, { "₡", "CRC" }, { "₭", "LAK" },
	{ "₮", "MNT" }, { "₵", "GHS" },
};

/* The length of a character that may stand in an amount: a digit, a sign,
 * a separator or a grouping space that money_parse() reads; 0 if none. */
static size_t
amount_char(const char *s)
{
	if (isdigit((unsigned char)*s) || strchr(".,-+' \t", *s) != NULL)
		return 1;
	if (strncmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	if (strncmp(s, "\xe2\x80\xaf", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x89", 3) == 0 ||
	    strncmp(s, "\xe2\x88\x92", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x99", 3) == 0)
		return 3;
	return 0;
}

/* Whether the character ending at end (after start) is a letter: ASCII,
 * or of the two-byte UTF-8 letters from U+00C0 on (Latin, Cyrillic); the
 * signs of U+00A0-U+00BF ("£", "¥") are not. */
static int
letter_before(const char *start, const char *end)
{
	unsigned char c;

	if (end == start)
		return 0;
	c = end[-1];
	if (c < 0x80)
		return isalpha(c);
	return end - start >= 2 && (unsigned char)end[-2] >= 0xc3 &&
	    (unsigned char)end[-2] < 0xe0 && c < 0xc0;
}

/* The ISO 4217 code mark names (a sign of marks[] or a code in any case)
 * into code; -1 when it names none. */
static int
mark_code(const char *mark, char code[4])
{
	const struct money_currency *cur;
	char up[4];
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strcasecmp(mark, marks[i].mark) == 0) {
			memcpy(code, marks[i].code, 4);
			return 0;
		}
	if (strlen(mark) != 3)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!isalpha((unsigned char)mark[i]))
			return -1;
		up[i] = toupper((unsigned char)mark[i]);
	}
	up[3] = '\0';
	if ((cur = money_currency(up)) == NULL)
		return -1;
	memcpy(code, cur->code, 4);
	return 0;
}

/* Rewrite num, an amount whose decimal separator is decimal (',' or '.'),
 * with a point for it and without the other, which groups thousands; len
 * is num's size. */
static void
normalize(char *num, size_t len, char decimal)
{
	char *r = num, *w = num;
	int decimals = -1;

	for (; *r != '\0'; r++) {
		if (*r == (decimal == ',' ? '.' : ','))
			continue;
		if (*r == ',' || *r == '.')
			decimals = 0;
		else if (decimals >= 0 && isdigit((unsigned char)*r))
			decimals++;
		*w++ = *r == ',' ? '.' : *r;
	}
	/* A zero more keeps money_parse() from reading "19.905" as nineteen
	 * thousand: here the point is the decimal one. */
	if (decimals == 3 && w + 1 < num + len)
		*w++ = '0';
	*w = '\0';
}

int
money_parse_marked(const char *text, int exponent, char decimal,
    int64_t *minor, char code[4])
{
	char num[128], mark[64], *m;
	const char *s = text;
	size_t n, nn = 0, nm = 0, i;
	int digits = 0, before = 0, after = 0, in_mark = 0;

	code[0] = '\0';
	while (*s != '\0') {
		/* a point right after a word ("руб.", "Rs.12") is the
		 * word's */
		n = amount_char(s);
		if (n > 0 && !(*s == '.' && in_mark && letter_before(text, s))) {
			if (nn + n >= sizeof(num) || nm + 1 >= sizeof(mark))
				return MONEY_EMARK;
			if (*s == ' ' && nm > 0 && nn == 0)
				mark[nm++] = ' ';	/* "US $" */
			if (isdigit((unsigned char)*s) || *s == '.' ||
			    *s == ',') {
				if (after)	/* "1$2": no mark but at an end */
					return MONEY_EMARK;
				digits = 1;
			}
			memcpy(num + nn, s, n);
			nn += n;
			s += n;
			in_mark = 0;
			continue;
		}
		if (nm + 1 >= sizeof(mark))
			return MONEY_EMARK;
		if (digits) {
			if (before)	/* "$12 USD" */
				return MONEY_EMARK;
			after = 1;
		} else
			before = 1;
		mark[nm++] = *s++;
		in_mark = 1;
	}
	num[nn] = '\0';
	mark[nm] = '\0';
	m = mark;
	while (*m == ' ')
		m++;
	for (i = strlen(m); i > 0 && m[i - 1] == ' '; i--)
		m[i - 1] = '\0';
	if (*m != '\0' && mark_code(m, code) == -1)
		return MONEY_EMARK;
	if (decimal == ',' || decimal == '.')
		normalize(num, sizeof(num), decimal);
	if (num[strspn(num, " \t")] == '\0')
		return MONEY_EMARK;
	return money_parse(num, exponent, minor);
}

/* The builtins store the wrapped result even on overflow: keep it from
 * *sum and *product, which often hold an operand. */
int
money_add(int64_t a, int64_t b, int64_t *sum)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*sum = r;
	return 0;
}

int
money_sub(int64_t a, int64_t b, int64_t *diff)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*diff = r;
	return 0;
}

int
money_neg(int64_t a, int64_t *neg)
{
	return money_sub(0, a, neg);
}

int
money_mul(int64_t a, int64_t b, int64_t *product)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return -1;
	*product = r;
	return 0;
}

char *
money_format(int64_t amount, int exponent, char *buf, size_t len)
{
	uint64_t u, scale = 1;
	int i;

	for (i = 0; i < exponent; i++)
		scale *= 10;
	u = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	if (exponent == 0)
		snprintf(buf, len, "%s%llu", amount < 0 ? "-" : "",
		    (unsigned long long)u);
	else
		snprintf(buf, len, "%s%llu.%0*llu", amount < 0 ? "-" : "",
		    (unsigned long long)(u / scale), exponent,
		    (unsigned long long)(u % scale));
	return buf;
}

/* Languages whose numbers have a decimal comma (glibc's LC_NUMERIC), and
 * the places where the language's other countries differ. */
static const char *const comma_languages[] = {
	"ab", "agr", "an", "ast", "ayc", "az", "be", "bg", "br", "bs", "ca",
	"ce", "crh", "cs", "csb", "cv", "da", "de", "dsb", "el", "es", "et",
	"eu", "ff", "fi", "fo", "fr", "fur", "fy", "gl", "hr", "hsb", "ht",
	"hu", "ia", "id", "is", "it", "ka", "kab", "kk", "kl", "ku", "ky", "lb",
	"li", "lij", "ln", "lt", "lv", "mg", "mhr", "mk", "mn", "nb", "nds",
	"nl", "nn", "no", "oc", "os", "pap", "pl", "pt", "quz", "ro", "ru",
	"rw", "sah", "sc", "se", "sgs", "sk", "sl", "sq", "sr", "sv", "szl",
	"tg", "tr", "tt", "uk", "vi", "wa", "wo", NULL
};
static const char *const point_places[] = {
	"az_IR", "de_CH", "de_LI", "es_DO", "es_GT", "es_HN", "es_MX", "es_NI",
	"es_PA", "es_PR", "es_SV", "es_US", "fr_CH", "it_CH", NULL
};
static const char *const comma_places[] = {
	"en_DK", NULL
};

static int
in_list(const char *key, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return 1;
	return 0;
}

char
money_name_decimal(const char *name)
{
	char lang[8], place[16];
	size_t n;

	n = strcspn(name, "_.@");
	if (n == 0 || n >= sizeof(lang))
		return '.';
	memcpy(lang, name, n);
	lang[n] = '\0';
	n = strcspn(name, ".@");
	if (n < sizeof(place)) {
		memcpy(place, name, n);
		place[n] = '\0';
		if (in_list(place, point_places))
			return '.';
		if (in_list(place, comma_places))
			return ',';
	}
	/* "ua", the country's code, is a common slip for Ukrainian, "uk". */
	return in_list(lang, comma_languages) || strcmp(lang, "ua") == 0 ?
	    ',' : '.';
}

char
money_locale_decimal(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_NUMERIC", "LANG" };
	const char *name = NULL;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((name = getenv(vars[i])) != NULL && *name != '\0')
			break;
	if (name == NULL || *name == '\0')
		return '.';
	return money_name_decimal(name);
}
