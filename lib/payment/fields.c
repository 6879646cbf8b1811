/* fields.c: what the providers' files read with: amounts, currencies,
 * ids, countries, times and order ids in text. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "csvread.h"
#include "exporttime.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"
#include "reject.h"

int
payment_fail(struct payment_problem *pb, const char *code, const char *fmt,
    ...)
{
	va_list ap;

	pb->code = code;
	va_start(ap, fmt);
	vsnprintf(pb->msg, sizeof(pb->msg), reject_text(fmt), ap);
	va_end(ap);
	return -1;
}

char *
payment_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int
payment_set_currency(struct payment_txn *t, const char *code,
    struct payment_problem *pb, int *exponent)
{
	const struct money_currency *cur;
	char up[8];
	size_t i;

	if (code == NULL || *code == '\0')
		return payment_fail(pb, "bad_currency", "the currency is "
		    "missing");
	for (i = 0; i < sizeof(up) - 1 && code[i] != '\0'; i++)
		up[i] = toupper((unsigned char)code[i]);
	up[i] = '\0';
	if ((cur = money_currency(payment_trim(up))) == NULL)
		return payment_fail(pb, "bad_currency", "'%.40s' is not an "
		    "ISO 4217 currency code", code);
	memcpy(t->currency, cur->code, 4);
	*exponent = cur->exponent;
	return 0;
}

/* Make *v, an amount of t's currency, positive: exports write refunds and
 * fees negative.  The lowest int64_t has no positive twin: amount_overflow,
 * never a wrapped or undefined negation. */
int
payment_magnitude(int64_t *v, const struct payment_txn *t, int exponent,
    struct payment_problem *pb, const char *what)
{
	char buf[40];

	if (*v >= 0 || money_neg(*v, v) == 0)
		return 0;
	return payment_fail(pb, "amount_overflow", "%s %s %s has no positive "
	    "amount that fits", what, money_format(*v, exponent, buf,
	    sizeof(buf)), t->currency);
}

/* A decimal amount as people's exports write it ("$1,234.56",
 * "1.234,56", "12.00 USD") in major units into minor units, signed: a
 * currency's sign or code beside it is read by money_parse_marked() and
 * left aside, as the currency column decides. */
int
payment_parse_major(const char *text, int exponent, int64_t *minor,
    struct payment_problem *pb, const char *what)
{
	char code[4];
	int r;

	if (text == NULL || *text == '\0')
		return payment_fail(pb, "bad_amount", "the %s is missing",
		    what);
	if (strlen(text) >= 64)
		return payment_fail(pb, "bad_amount", "%s '%.40s' is too long",
		    what, text);
	r = money_parse_marked(text, exponent, 0, minor, code);
	if (r == MONEY_EPREC)
		return payment_fail(pb, "bad_amount", "%s '%.40s' has more "
		    "decimals than the currency", what, text);
	if (r == MONEY_ERANGE)
		return payment_fail(pb, "bad_amount", "%s '%.40s' is too large",
		    what, text);
	if (r != MONEY_OK)
		return payment_fail(pb, "bad_amount", "%s '%.40s' is not an "
		    "amount", what, text);
	return 0;
}

/* The problems of payment_parse_decimal(). */
static int
not_amount(struct payment_problem *pb, const char *text, const char *what)
{
	return payment_fail(pb, "bad_amount", "%s '%.40s' is not an amount",
	    what, text);
}

static int
too_large(struct payment_problem *pb, const char *text, const char *what)
{
	return payment_fail(pb, "bad_amount", "%s '%.40s' is too large", what,
	    text);
}

/* A decimal as APIs write it: an optional '-', digits, '.' and digits,
 * never grouped ("12.345" RUB has too many decimals, it is not 12345). */
int
payment_parse_decimal(const char *text, int exponent, int64_t *minor,
    struct payment_problem *pb, const char *what)
{
	const char *p = text;
	int neg = 0, frac = -1;
	int64_t v = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return not_amount(pb, text, what);
	for (; *p != '\0'; p++) {
		if (*p == '.' && frac == -1) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return not_amount(pb, text, what);
		if (frac >= 0 && ++frac > exponent) {
			if (*p != '0')
				return payment_fail(pb, "bad_amount", "%s "
				    "'%.40s' has more decimals than the "
				    "currency", what, text);
			continue;
		}
		if (money_mul(v, 10, &v) == -1 ||
		    money_add(v, *p - '0', &v) == -1)
			return too_large(pb, text, what);
	}
	for (frac = frac < 0 ? 0 : frac > exponent ? exponent : frac;
	    frac < exponent; frac++)
		if (money_mul(v, 10, &v) == -1)
			return too_large(pb, text, what);
	*minor = neg ? -v : v;
	return 0;
}

/* Whole minor units as text ("1299", "-50"), all of it, within int64_t:
 * never clamped to the largest amount as strtoll() leaves it. */
int
payment_parse_minor(const char *text, int64_t *out,
    struct payment_problem *pb, const char *what)
{
	char *end;
	long long v;

	if (text != NULL) {
		errno = 0;
		v = strtoll(text, &end, 10);
		if (errno == 0 && end != text && *end == '\0') {
			*out = v;
			return 0;
		}
	}
	return payment_fail(pb, "bad_amount", "%s '%.40s' is not a whole "
	    "number of minor units", what, text != NULL ? text : "");
}

static int
pow10_mul(int64_t v, int exponent, int64_t *out)
{
	while (exponent-- > 0)
		if (money_mul(v, 10, &v) == -1)
			return -1;
	*out = v;
	return 0;
}

int
payment_json_amount(const json_t *v, int minor, int exponent, int64_t *out,
    struct payment_problem *pb, const char *what)
{
	const char *s;

	if (json_is_integer(v)) {
		if (minor) {
			*out = json_integer_value(v);
			return 0;
		}
		if (pow10_mul(json_integer_value(v), exponent, out) == -1)
			return payment_fail(pb, "bad_amount", "%s is too large",
			    what);
		return 0;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (minor)
			return payment_parse_minor(s, out, pb, what);
		return payment_parse_decimal(s, exponent, out, pb, what);
	}
	if (v == NULL || json_is_null(v))
		return payment_fail(pb, "bad_amount", "the %s is missing",
		    what);
	return payment_fail(pb, "bad_amount", "the %s is not a number", what);
}

/* An optional amount in minor units: v NULL or null leaves *out. */
int
payment_opt_minor(const json_t *v, int64_t *out, struct payment_problem *pb,
    const char *what)
{
	if (v == NULL || json_is_null(v))
		return 0;
	return payment_json_amount(v, 1, 0, out, pb, what);
}

const char *
payment_jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* A string or an integer id as text in buf. */
const char *
payment_jid(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_integer(v)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	if (json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) < len) {
		memcpy(buf, json_string_value(v), json_string_length(v) + 1);
		return buf;
	}
	return NULL;
}

json_t *
payment_jobj(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_object(v) ? v : NULL;
}

void
payment_set_country(char dst[3], const char *s)
{
	if (s != NULL && strlen(s) == 2 && isalpha((unsigned char)s[0]) &&
	    isalpha((unsigned char)s[1])) {
		dst[0] = toupper((unsigned char)s[0]);
		dst[1] = toupper((unsigned char)s[1]);
		dst[2] = '\0';
	}
}

/* Order ids in metadata go by these names. */
static const char *const order_keys[] = {
	"order_id", "orderId", "order_number", "orderNumber", "order",
	"OrderId", "orderID", "shop_order_id", NULL
};


/* The order id in a metadata object, cleaned into buf. */
const char *
payment_meta_order(struct payment_reader *r, const json_t *meta)
{
	const json_t *v;
	char tmp[32];
	int i;

	if (!json_is_object(meta))
		return NULL;
	for (i = 0; order_keys[i] != NULL; i++) {
		v = json_object_get(meta, order_keys[i]);
		if (json_is_integer(v)) {
			snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			return payment_ref_clean(tmp, r->refbuf,
			    sizeof(r->refbuf));
		}
		if (json_is_string(v))
			return payment_ref_clean(json_string_value(v),
			    r->refbuf, sizeof(r->refbuf));
	}
	return NULL;
}

/* The date forms of payment exports beyond the common ones: PayPal's
 * "10/22/2019" (month first, or day first where the month would be past
 * 12) and "22.10.2019", with a time or without. */
static const char *const pay_forms[] = {
	"%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S",
};
#define NPAYFORMS	(sizeof(pay_forms) / sizeof(pay_forms[0]))


int
payment_time_parse(const char *s, int64_t *epoch)
{
	struct exporttime t;
	size_t n;

	if (s == NULL || *s == '\0')
		return -1;
	if ((n = strspn(s, "0123456789")) <= 12 && s[n] == '\0') {
		*epoch = strtoll(s, NULL, 10);
		return 0;
	}
	if (exporttime_parse(s, NULL, 0, &t) == -1 || !t.has_time)
		return -1;
	*epoch = exporttime_epoch(&t, 0);
	return 0;
}

int
payment_time_of(const char *s, int64_t *epoch, struct payment_problem *pb,
    const char *what)
{
	if (s == NULL)
		return 0;
	if (payment_time_parse(s, epoch) == -1)
		return payment_fail(pb, "bad_time", "%s '%.40s' is not a time",
		    what, s);
	return 0;
}

/* An export's time, text: in one of pay_forms or the common forms, in
 * the zone zone (UTC when NULL, empty or unknown) unless it names its
 * own. */
int
payment_export_time(const char *text, const char *zone, int64_t *epoch)
{
	struct exporttime t;
	int offset;

	if (text == NULL || exporttime_parse(text, pay_forms, NPAYFORMS,
	    &t) == -1)
		return -1;
	if (zone == NULL || exporttime_zone(zone, &offset) == -1)
		offset = 0;
	*epoch = exporttime_epoch(&t, offset);
	return 0;
}

/* PayPal's "10/22/2019" (or "22.10.2019", "2019-10-22"), "05:07:06",
 * "PDT" into epoch seconds. */
int
payment_date_time_zone(const char *date, const char *time, const char *tz,
    int64_t *epoch)
{
	char buf[128];

	if (date == NULL)
		return -1;
	snprintf(buf, sizeof(buf), "%s %s", date, time != NULL ? time : "");
	return payment_export_time(buf, tz, epoch);
}

int
payment_contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

char *
payment_ref_clean(const char *s, char *buf, size_t len)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '#')
		s++;
	else if (strncmp(s, "\xe2\x84\x96", 3) == 0)	/* U+2116 */
		s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static int
ref_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '/' || c == '.';
}

/* Words after which an order id follows, lower-case ASCII or UTF-8. */
static const char *const ref_words[] = {
	"order", "заказ", "заказа", "заказу", "invoice", "bestellung",
	"commande", NULL
};


char *
payment_ref_find(const char *text, char *buf, size_t len)
{
	const char *p, *q;
	size_t n, i, wl;
	int found;

	if (text == NULL)
		return NULL;
	for (p = text; *p != '\0'; p++) {
		found = 0;
		if (*p == '#') {
			q = p + 1;
			found = 1;
		} else if (strncmp(p, "\xe2\x84\x96", 3) == 0) {
			q = p + 3;
			found = 1;
		} else if (p == text || !isalnum((unsigned char)p[-1])) {
			for (i = 0; ref_words[i] != NULL; i++) {
				wl = strlen(ref_words[i]);
				if (strncasecmp(p, ref_words[i], wl) == 0 ||
				    (p[0] == '\xd0' && p[1] == '\x97' &&
				    strncmp(p + 2, ref_words[i] + 2,
				    wl - 2) == 0)) {	/* "Заказ" */
					q = p + wl;
					if (isalpha((unsigned char)*q))
						continue;
					found = 1;
					break;
				}
			}
		}
		if (!found)
			continue;
		/* "order: #1001", "Заказ № 72", "order no. 5" */
		for (;;) {
			while (*q == ' ' || *q == ':' || *q == '#')
				q++;
			if (strncmp(q, "\xe2\x84\x96", 3) == 0)
				q += 3;
			else if (strncasecmp(q, "no.", 3) == 0)
				q += 3;
			else
				break;
		}
		for (n = 0; ref_char((unsigned char)q[n]); n++)
			;
		while (n > 0 && q[n - 1] == '.')
			n--;
		/* an id has a digit: "order confirmation" names none */
		for (i = 0; i < n && !isdigit((unsigned char)q[i]); i++)
			;
		if (n == 0 || i == n || n >= len)
			continue;
		memcpy(buf, q, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}
