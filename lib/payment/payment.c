/* payment.c: read Stripe, YooKassa, PayPal, CloudPayments and mapped CSV
 * transactions into struct payment_txn, exactly. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <jansson.h>

#include "csvread.h"
#include "exporttime.h"
#include "fileio.h"
#include "jsonl.h"
#include "mapfile.h"
#include "money.h"
#include "payment.h"
#include "reject.h"
#include "xalloc.h"

const char *const payment_providers[] = {
	"stripe", "yookassa", "paypal", "cloudpayments", "generic", NULL
};

enum format {
	FMT_JSON,
	FMT_STRIPE_BALANCE,	/* balance report, itemized balance changes */
	FMT_STRIPE_PAYMENTS,	/* Dashboard payments export */
	FMT_PAYPAL_CSV,		/* activity download */
	FMT_GENERIC		/* any CSV, through a map */
};

/* Columns a CSV format may have; col[] holds each one's index or -1. */
enum column {
	C_ID, C_SOURCE, C_CHARGE, C_CREATED, C_CURRENCY, C_GROSS, C_FEE,
	C_CATEGORY, C_DESC, C_ORDER, C_REFUND_ORDER, C_INTENT, C_EMAIL,
	C_CARD_COUNTRY, C_CARD, C_REFUNDED, C_CAPTURED, C_STATUS, C_TYPE,
	C_DATE, C_TIME, C_TZ, C_INVOICE, C_CUSTOM, C_PARENT, C_TITLE,
	C_IP_COUNTRY, C_AMOUNT, C_NCOLS
};

/* Header names of each column, per format, lower-cased; "|" separates
 * aliases (PayPal's German download among them). */
static const char *const stripe_balance_cols[C_NCOLS] = {
	[C_ID] = "balance_transaction_id", [C_SOURCE] = "source_id",
	[C_CHARGE] = "charge_id", [C_CREATED] = "created_utc|created",
	[C_CURRENCY] = "currency", [C_GROSS] = "gross", [C_FEE] = "fee",
	[C_CATEGORY] = "reporting_category|type", [C_DESC] = "description",
	[C_ORDER] = "payment_metadata[order_id]|payment_metadata[orderid]|"
	    "payment_metadata[order_number]|payment_metadata[order]",
	[C_REFUND_ORDER] = "refund_metadata[order_id]|"
	    "refund_metadata[orderid]|refund_metadata[order_number]",
	[C_INTENT] = "payment_intent_id", [C_EMAIL] = "customer_email",
	[C_CARD_COUNTRY] = "card_country",
};

static const char *const stripe_payments_cols[C_NCOLS] = {
	[C_ID] = "id", [C_CREATED] = "created date (utc)|created (utc)",
	[C_AMOUNT] = "amount", [C_REFUNDED] = "amount refunded",
	[C_CURRENCY] = "currency", [C_CAPTURED] = "captured",
	[C_FEE] = "fee", [C_STATUS] = "status", [C_DESC] = "description",
	[C_EMAIL] = "customer email",
	[C_CARD_COUNTRY] = "card issue country|card address country",
	[C_CARD] = "card fingerprint",
	[C_INTENT] = "paymentintent id|payment intent id",
	[C_ORDER] = "order_id (metadata)|orderid (metadata)|"
	    "order_number (metadata)|order (metadata)",
	[C_INVOICE] = "invoice number",
};

static const char *const paypal_cols[C_NCOLS] = {
	[C_DATE] = "date|datum", [C_TIME] = "time|uhrzeit",
	[C_TZ] = "timezone|time zone|zeitzone", [C_TYPE] = "type|typ",
	[C_STATUS] = "status", [C_CURRENCY] = "currency|währung",
	[C_GROSS] = "gross|brutto", [C_FEE] = "fee|gebühr",
	[C_ID] = "transaction id|transaktionscode",
	[C_PARENT] = "reference txn id|zugehöriger transaktionscode",
	[C_INVOICE] = "invoice number|rechnungsnummer",
	[C_CUSTOM] = "custom number|custom field|zollnummer",
	[C_TITLE] = "item title|artikelbezeichnung|subject|betreff",
	[C_EMAIL] = "from email address|absender e-mail-adresse",
	[C_CARD_COUNTRY] = "country code|ländervorwahl",
};

/* A generic map's keys, in the order of enum column where they apply. */
static const struct {
	const char	*key;
	enum column	 col;
} map_keys[] = {
	{ "id", C_ID }, { "order", C_ORDER }, { "amount", C_AMOUNT },
	{ "currency", C_CURRENCY }, { "fee", C_FEE }, { "type", C_TYPE },
	{ "status", C_STATUS }, { "created", C_CREATED },
	{ "parent", C_PARENT }, { "email", C_EMAIL },
	{ "card_country", C_CARD_COUNTRY }, { "card", C_CARD },
	{ "ip_country", C_IP_COUNTRY }, { "description", C_DESC },
	{ "refunded", C_REFUNDED },
};

#define NMAPKEYS (sizeof(map_keys) / sizeof(map_keys[0]))

struct payment_map {
	char	*provider;
	char	 delim;
	int	 minor;			/* amounts in minor units */
	char	 currency[4];		/* when there is no currency column */
	char	*cols[C_NCOLS];
	char	*refund_types, *charge_types, *other_types;
	char	*pending, *failed, *authorized;
	char	*zone;			/* of times without an offset */
};

/* What a wrapper tells of the object it holds. */
enum hint {
	HINT_NONE,
	HINT_PAYPAL_CAPTURE,
	HINT_PAYPAL_AUTH,
	HINT_PAYPAL_REFUND
};

/* Order ids in metadata go by these names. */
static const char *const order_keys[] = {
	"order_id", "orderId", "order_number", "orderNumber", "order",
	"OrderId", "orderID", "shop_order_id", NULL
};

int
payment_provider_valid(const char *name)
{
	int i;

	for (i = 0; payment_providers[i] != NULL; i++)
		if (strcmp(name, payment_providers[i]) == 0)
			return 1;
	return 0;
}

const char *
payment_kind_name(enum payment_kind k)
{
	switch (k) {
	case PAYMENT_CHARGE:	return "charge";
	case PAYMENT_REFUND:	return "refund";
	default:		return "other";
	}
}

const char *
payment_state_name(enum payment_state s)
{
	switch (s) {
	case PAYMENT_SUCCEEDED:	return "succeeded";
	case PAYMENT_AUTHORIZED: return "authorized";
	case PAYMENT_PENDING:	return "pending";
	default:		return "failed";
	}
}

int
payment_kind_parse(const char *s, enum payment_kind *k)
{
	if (strcmp(s, "charge") == 0)
		*k = PAYMENT_CHARGE;
	else if (strcmp(s, "refund") == 0)
		*k = PAYMENT_REFUND;
	else if (strcmp(s, "other") == 0)
		*k = PAYMENT_OTHER;
	else
		return -1;
	return 0;
}

int
payment_state_parse(const char *s, enum payment_state *st)
{
	if (strcmp(s, "succeeded") == 0)
		*st = PAYMENT_SUCCEEDED;
	else if (strcmp(s, "authorized") == 0)
		*st = PAYMENT_AUTHORIZED;
	else if (strcmp(s, "pending") == 0)
		*st = PAYMENT_PENDING;
	else if (strcmp(s, "failed") == 0)
		*st = PAYMENT_FAILED;
	else
		return -1;
	return 0;
}

/* Order ids in text. */

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

/* JSON text with exact numbers. */

char *
payment_quote_reals(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len * 2 + 3);
	size_t i = 0, o = 0, start;
	int real, instr = 0;

	while (i < len) {
		char c = s[i];

		if (instr) {
			out[o++] = c;
			if (c == '\\' && i + 1 < len)
				out[o++] = s[++i];
			else if (c == '"')
				instr = 0;
			i++;
			continue;
		}
		if (c == '"') {
			instr = 1;
			out[o++] = c;
			i++;
			continue;
		}
		if (c != '-' && !(c >= '0' && c <= '9')) {
			out[o++] = c;
			i++;
			continue;
		}
		start = i;
		real = 0;
		while (i < len && (isdigit((unsigned char)s[i]) ||
		    s[i] == '-' || s[i] == '+' || s[i] == '.' ||
		    s[i] == 'e' || s[i] == 'E')) {
			if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
				real = 1;
			i++;
		}
		if (i - start > 18)
			real = 1;
		if (real)
			out[o++] = '"';
		memcpy(out + o, s + start, i - start);
		o += i - start;
		if (real)
			out[o++] = '"';
		/* at most one quote pair per two input bytes: within bounds */
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Times. */

/* The date forms of payment exports beyond the common ones: PayPal's
 * "10/22/2019" (month first, or day first where the month would be past
 * 12) and "22.10.2019", with a time or without. */
static const char *const pay_forms[] = {
	"%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S",
};
#define NPAYFORMS	(sizeof(pay_forms) / sizeof(pay_forms[0]))

/* A provider's time: epoch seconds, or a date and a time of day in the
 * common forms (exporttime.h), in UTC when it names no zone. */
static int
provider_time(const char *s, int64_t *epoch)
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

/* An export's time, text: in one of pay_forms or the common forms, in
 * the zone zone (UTC when NULL, empty or unknown) unless it names its
 * own. */
static int
export_time(const char *text, const char *zone, int64_t *epoch)
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
static int
date_time_zone(const char *date, const char *time, const char *tz,
    int64_t *epoch)
{
	char buf[128];

	if (date == NULL)
		return -1;
	snprintf(buf, sizeof(buf), "%s %s", date, time != NULL ? time : "");
	return export_time(buf, tz, epoch);
}

/* Maps. */

static char *
trim(char *s)
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

void
payment_map_free(struct payment_map *m)
{
	int i;

	if (m == NULL)
		return;
	free(m->provider);
	for (i = 0; i < C_NCOLS; i++)
		free(m->cols[i]);
	free(m->refund_types);
	free(m->charge_types);
	free(m->other_types);
	free(m->pending);
	free(m->failed);
	free(m->authorized);
	free(m->zone);
	free(m);
}

/* The slot of a map's column or list key, or NULL. */
static char **
map_slot(struct payment_map *m, const char *key, int *column)
{
	size_t i;

	*column = 0;
	for (i = 0; i < NMAPKEYS; i++)
		if (strcmp(key, map_keys[i].key) == 0) {
			*column = 1;
			return &m->cols[map_keys[i].col];
		}
	if (strcmp(key, "provider") == 0)
		return &m->provider;
	if (strcmp(key, "refund_types") == 0)
		return &m->refund_types;
	if (strcmp(key, "charge_types") == 0)
		return &m->charge_types;
	if (strcmp(key, "other_types") == 0)
		return &m->other_types;
	if (strcmp(key, "pending_statuses") == 0)
		return &m->pending;
	if (strcmp(key, "failed_statuses") == 0)
		return &m->failed;
	if (strcmp(key, "authorized_statuses") == 0)
		return &m->authorized;
	return NULL;
}

/* One line of a map into m: 0, or -1 with the reason in errbuf. */
static int
map_entry(struct payment_map *m, const struct mapfile_entry *e,
    const char *path, char *errbuf, size_t errlen)
{
	const struct money_currency *cur;
	char **slot;
	int column, off;

	if (e->op != MAPFILE_SET && e->op != MAPFILE_BARE) {
		snprintf(errbuf, errlen, "%s:%lu: '%s' takes '=', not '%s'",
		    path, e->line, e->key, mapfile_op_name(e->op));
		return -1;
	}
	if (*e->value == '\0') {
		snprintf(errbuf, errlen, "%s:%lu: no value after '%s'", path,
		    e->line, e->key);
		return -1;
	}
	if ((slot = map_slot(m, e->key, &column)) != NULL) {
		if (column && e->op == MAPFILE_BARE) {
			snprintf(errbuf, errlen, "%s:%lu: no '=' after the "
			    "column key '%s'", path, e->line, e->key);
			return -1;
		}
		free(*slot);
		*slot = xstrdup(e->value);
	} else if (mapfile_is_zone(e->key)) {
		if (exporttime_zone(e->value, &off) == -1) {
			snprintf(errbuf, errlen, "%s:%lu: unknown zone '%s' "
			    "(use +HH:MM)", path, e->line, e->value);
			return -1;
		}
		free(m->zone);
		m->zone = xstrdup(e->value);
	} else if (strcmp(e->key, "delimiter") == 0) {
		if (mapfile_delimiter(e->value, &m->delim) == -1) {
			snprintf(errbuf, errlen, "%s:%lu: bad delimiter '%s'",
			    path, e->line, e->value);
			return -1;
		}
	} else if (strcmp(e->key, "amount_unit") == 0) {
		if (strcmp(e->value, "minor") == 0)
			m->minor = 1;
		else if (strcmp(e->value, "major") == 0)
			m->minor = 0;
		else {
			snprintf(errbuf, errlen, "%s:%lu: amount_unit '%s' is "
			    "not major or minor", path, e->line, e->value);
			return -1;
		}
	} else if (strcmp(e->key, "default_currency") == 0) {
		if ((cur = money_currency(e->value)) == NULL) {
			snprintf(errbuf, errlen, "%s:%lu: default_currency '%s' "
			    "is not an ISO 4217 code", path, e->line, e->value);
			return -1;
		}
		memcpy(m->currency, cur->code, 4);
	} else {
		snprintf(errbuf, errlen, "%s:%lu: unknown key '%s'", path,
		    e->line, e->key);
		return -1;
	}
	return 0;
}

struct payment_map *
payment_map_load(const char *path, char *errbuf, size_t errlen, int *status)
{
	struct payment_map *m;
	struct mapfile mf;
	struct mapfile_entry e;
	char *text;

	if ((text = mapfile_read(path, errbuf, errlen, status)) == NULL)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->delim = ',';
	mapfile_init(&mf, text);
	free(text);
	while (mapfile_next(&mf, &e))
		if (map_entry(m, &e, path, errbuf, errlen) == -1) {
			mapfile_release(&mf);
			payment_map_free(m);
			*status = EX_CONFIG;
			return NULL;
		}
	mapfile_release(&mf);
	if (m->cols[C_ID] == NULL || m->cols[C_AMOUNT] == NULL ||
	    (m->cols[C_CURRENCY] == NULL && m->currency[0] == '\0')) {
		snprintf(errbuf, errlen, "map '%s' lacks id, amount, or "
		    "currency and default_currency", path);
		*status = EX_CONFIG;
		payment_map_free(m);
		return NULL;
	}
	if (m->provider == NULL)
		m->provider = xstrdup("generic");
	return m;
}

/* Whether value is one of the comma-separated list (case ignored). */
static int
in_list(const char *list, const char *value)
{
	const char *p = list, *e;
	size_t n, vl;

	if (list == NULL || value == NULL)
		return 0;
	while (*value == ' ')
		value++;
	vl = strlen(value);
	while (vl > 0 && value[vl - 1] == ' ')
		vl--;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == vl && n > 0 && strncasecmp(p, value, n) == 0)
			return 1;
		p += n;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

/* Opening: which format a file is in. */

/* Whether the header field f is name (len bytes), white space and ASCII
 * case aside. */
static int
name_equal(const char *f, const char *name, size_t len)
{
	while (*f == ' ' || *f == '\t')
		f++;
	if (strncasecmp(f, name, len) != 0)
		return 0;
	for (f += len; *f == ' ' || *f == '\t'; f++)
		;
	return *f == '\0';
}

static int
trimmed_equal(const char *f, const char *name)
{
	return name_equal(f, name, strlen(name));
}

static int
header_has(const char *aliases, char **fields, size_t n)
{
	const char *p, *e;
	size_t i, len;

	for (p = aliases; p != NULL; p = e ? e + 1 : NULL) {
		e = strchr(p, '|');
		len = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < n; i++)
			if (name_equal(fields[i], p, len))
				return i;
	}
	return -1;
}

static void
map_columns(struct payment_reader *r, const char *const cols[C_NCOLS],
    struct csvread_row *hdr)
{
	int i;

	for (i = 0; i < C_NCOLS; i++)
		r->col[i] = cols[i] ? header_has(cols[i], hdr->fields,
		    hdr->nfields) : -1;
}

/* Compare a generic map's column names exactly (they may hold '|'). */
static void
map_generic_columns(struct payment_reader *r, struct csvread_row *hdr)
{
	size_t i;
	int c;

	for (c = 0; c < C_NCOLS; c++) {
		r->col[c] = -1;
		if (r->map->cols[c] == NULL)
			continue;
		for (i = 0; i < hdr->nfields; i++)
			if (trimmed_equal(hdr->fields[i],
			    r->map->cols[c])) {
				r->col[c] = i;
				break;
			}
	}
}

int
payment_open(struct payment_reader *r, const char *path,
    const char *provider, const struct payment_map *map)
{
	struct csvread_row *hdr;
	int c;
	char delim = ',', msg[1024];

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->provider = provider;
	r->map = map;
	if (strcmp(path, "-") == 0)
		r->fp = stdin;
	else if ((r->fp = fileio_read(path, msg, sizeof(msg))) == NULL) {
		warnx("%s", msg);
		return EX_NOINPUT;
	}
	/* JSON starts with '{' or '[' after white space and a BOM */
	for (;;) {
		c = getc(r->fp);
		if (c == 0xef) {
			if (getc(r->fp) == 0xbb && getc(r->fp) == 0xbf)
				continue;
			break;
		}
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	/* Read again from the start, so that lines keep their numbers. */
	if (r->fp != stdin)
		rewind(r->fp);
	else if (c != EOF)
		ungetc(c, r->fp);
	if (provider != NULL && strcmp(provider, "generic") == 0) {
		r->format = FMT_GENERIC;
		delim = map->delim;
	} else if (c == '{' || c == '[' || c == EOF) {
		r->format = FMT_JSON;
		return 0;
	}
	/* A CSV file: the header names it. */
	csvread_init(&r->csv, r->fp, path, delim);
	r->have_csv = 1;
	if ((hdr = csvread_next(&r->csv)) == NULL) {
		r->format = FMT_JSON;		/* nothing in it */
		return 0;
	}
	if (r->format == FMT_GENERIC) {
		map_generic_columns(r, hdr);
		if (r->col[C_ID] < 0 || r->col[C_AMOUNT] < 0 ||
		    (r->col[C_CURRENCY] < 0 && map->currency[0] == '\0')) {
			warnx("'%s' lacks a column the map names for id, "
			    "amount or currency", path);
			return EX_DATAERR;
		}
		return 0;
	}
	if (header_has("balance_transaction_id", hdr->fields,
	    hdr->nfields) >= 0) {
		r->format = FMT_STRIPE_BALANCE;
		map_columns(r, stripe_balance_cols, hdr);
	} else if (header_has("id", hdr->fields, hdr->nfields) >= 0 &&
	    header_has("amount refunded", hdr->fields, hdr->nfields) >= 0) {
		r->format = FMT_STRIPE_PAYMENTS;
		map_columns(r, stripe_payments_cols, hdr);
	} else if (header_has(paypal_cols[C_ID], hdr->fields,
	    hdr->nfields) >= 0 &&
	    header_has(paypal_cols[C_GROSS], hdr->fields, hdr->nfields) >= 0) {
		r->format = FMT_PAYPAL_CSV;
		map_columns(r, paypal_cols, hdr);
	} else {
		warnx("'%s' is no payment report known (Stripe balance or "
		    "payments, PayPal activity); name a map with --map", path);
		return EX_DATAERR;
	}
	if (provider != NULL && strcmp(provider, r->format ==
	    FMT_PAYPAL_CSV ? "paypal" : "stripe") != 0) {
		warnx("'%s' is a %s report, not %s", path, r->format ==
		    FMT_PAYPAL_CSV ? "PayPal" : "Stripe", provider);
		return EX_DATAERR;
	}
	if (r->col[C_ID] < 0 || r->col[C_CURRENCY] < 0 ||
	    (r->col[C_GROSS] < 0 && r->col[C_AMOUNT] < 0)) {
		warnx("'%s' lacks the id, currency or amount column", path);
		return EX_DATAERR;
	}
	return 0;
}

int
payment_close(struct payment_reader *r)
{
	int status = r->status;

	if (r->fp != NULL && ferror(r->fp)) {
		warn("cannot read '%s'", r->path);
		status = EX_IOERR;
	}
	if (r->have_csv)
		csvread_release(&r->csv);
	if (r->fp != NULL && r->fp != stdin)
		fclose(r->fp);
	free(r->line);
	free(r->doc);
	free(r->queue);
	free(r->rowtext);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
	return status;
}

/* Amounts and currencies. */

struct problem {
	const char	*code;
	char		 msg[256];
};

static int
fail(struct problem *pb, const char *code, const char *fmt, ...)
{
	va_list ap;

	pb->code = code;
	va_start(ap, fmt);
	vsnprintf(pb->msg, sizeof(pb->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
set_currency(struct payment_txn *t, const char *code, struct problem *pb,
    int *exponent)
{
	const struct money_currency *cur;
	char up[8];
	size_t i;

	if (code == NULL || *code == '\0')
		return fail(pb, "bad_currency", "the currency is missing");
	for (i = 0; i < sizeof(up) - 1 && code[i] != '\0'; i++)
		up[i] = toupper((unsigned char)code[i]);
	up[i] = '\0';
	if ((cur = money_currency(trim(up))) == NULL)
		return fail(pb, "bad_currency", "'%.40s' is not an ISO 4217 "
		    "currency code", code);
	memcpy(t->currency, cur->code, 4);
	*exponent = cur->exponent;
	return 0;
}

/* Make *v, an amount of t's currency, positive: exports write refunds and
 * fees negative.  The lowest int64_t has no positive twin: amount_overflow,
 * never a wrapped or undefined negation. */
static int
magnitude(int64_t *v, const struct payment_txn *t, int exponent,
    struct problem *pb, const char *what)
{
	char buf[40];

	if (*v >= 0 || money_neg(*v, v) == 0)
		return 0;
	return fail(pb, "amount_overflow", "%s %s %s has no positive amount "
	    "that fits", what, money_format(*v, exponent, buf, sizeof(buf)),
	    t->currency);
}

/* A decimal amount as people's exports write it ("$1,234.56",
 * "1.234,56", "12.00 USD") in major units into minor units, signed: a
 * currency's sign or code beside it is read by money_parse_marked() and
 * left aside, as the currency column decides. */
static int
parse_major(const char *text, int exponent, int64_t *minor,
    struct problem *pb, const char *what)
{
	char code[4];
	int r;

	if (text == NULL || *text == '\0')
		return fail(pb, "bad_amount", "the %s is missing", what);
	if (strlen(text) >= 64)
		return fail(pb, "bad_amount", "%s '%.40s' is too long", what,
		    text);
	r = money_parse_marked(text, exponent, 0, minor, code);
	if (r == MONEY_EPREC)
		return fail(pb, "bad_amount", "%s '%.40s' has more decimals "
		    "than the currency", what, text);
	if (r != MONEY_OK)
		return fail(pb, "bad_amount", "%s '%.40s' is not an amount",
		    what, text);
	return 0;
}

/* A decimal as APIs write it: an optional '-', digits, '.' and digits,
 * never grouped ("12.345" RUB has too many decimals, it is not 12345). */
static int
parse_api_decimal(const char *text, int exponent, int64_t *minor,
    struct problem *pb, const char *what)
{
	const char *p = text;
	int neg = 0, frac = -1;
	int64_t v = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return fail(pb, "bad_amount", "%s '%.40s' is not an amount",
		    what, text);
	for (; *p != '\0'; p++) {
		if (*p == '.' && frac == -1) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return fail(pb, "bad_amount", "%s '%.40s' is not an "
			    "amount", what, text);
		if (frac >= 0 && ++frac > exponent) {
			if (*p != '0')
				return fail(pb, "bad_amount", "%s '%.40s' has "
				    "more decimals than the currency", what,
				    text);
			continue;
		}
		if (money_mul(v, 10, &v) == -1 ||
		    money_add(v, *p - '0', &v) == -1)
			return fail(pb, "bad_amount", "%s '%.40s' is too "
			    "large", what, text);
	}
	for (frac = frac < 0 ? 0 : frac > exponent ? exponent : frac;
	    frac < exponent; frac++)
		if (money_mul(v, 10, &v) == -1)
			return fail(pb, "bad_amount", "%s '%.40s' is too "
			    "large", what, text);
	*minor = neg ? -v : v;
	return 0;
}

/* Whole minor units as text ("1299", "-50"), all of it, within int64_t:
 * never clamped to the largest amount as strtoll() leaves it. */
static int
parse_minor(const char *text, int64_t *out, struct problem *pb,
    const char *what)
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
	return fail(pb, "bad_amount", "%s '%.40s' is not a whole number of "
	    "minor units", what, text != NULL ? text : "");
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

/* A JSON amount: integer minor units when minor, else integer or decimal
 * text in major units (reals were quoted on reading). */
static int
json_amount(const json_t *v, int minor, int exponent, int64_t *out,
    struct problem *pb, const char *what)
{
	if (json_is_integer(v)) {
		if (minor) {
			*out = json_integer_value(v);
			return 0;
		}
		if (pow10_mul(json_integer_value(v), exponent, out) == -1)
			return fail(pb, "bad_amount", "%s is too large", what);
		return 0;
	}
	if (json_is_string(v)) {
		if (minor)
			return parse_minor(json_string_value(v), out, pb, what);
		return parse_api_decimal(json_string_value(v), exponent, out,
		    pb, what);
	}
	if (v == NULL || json_is_null(v))
		return fail(pb, "bad_amount", "the %s is missing", what);
	return fail(pb, "bad_amount", "the %s is not a number", what);
}

/* An optional amount in minor units: v NULL or null leaves *out. */
static int
opt_minor(const json_t *v, int64_t *out, struct problem *pb,
    const char *what)
{
	if (v == NULL || json_is_null(v))
		return 0;
	return json_amount(v, 1, 0, out, pb, what);
}

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* A string or an integer id as text in buf. */
static const char *
jid(const json_t *o, const char *key, char *buf, size_t len)
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

static json_t *
jobj(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_object(v) ? v : NULL;
}

static void
set_country(char dst[3], const char *s)
{
	if (s != NULL && strlen(s) == 2 && isalpha((unsigned char)s[0]) &&
	    isalpha((unsigned char)s[1])) {
		dst[0] = toupper((unsigned char)s[0]);
		dst[1] = toupper((unsigned char)s[1]);
		dst[2] = '\0';
	}
}

/* The order id in a metadata object, cleaned into buf. */
static const char *
meta_order(struct payment_reader *r, const json_t *meta)
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

static int
time_of(const char *s, int64_t *epoch, struct problem *pb, const char *what)
{
	if (s == NULL)
		return 0;
	if (provider_time(s, epoch) == -1)
		return fail(pb, "bad_time", "%s '%.40s' is not a time", what,
		    s);
	return 0;
}

/* Stripe's API objects: charge, refund, payment_intent,
 * balance_transaction; amounts in minor units, currency in lower case. */
static int
stripe_object(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct problem *pb)
{
	const char *type = jstr(o, "object"), *status = jstr(o, "status");
	const char *risk, *id;
	const json_t *card, *bt, *v;
	int exponent;
	int64_t captured = 0;

	t->provider = "stripe";
	if ((t->id = jid(o, "id", r->idbuf, sizeof(r->idbuf))) == NULL)
		return fail(pb, "bad_payment", "a Stripe %s without an id",
		    type);
	if (set_currency(t, jstr(o, "currency"), pb, &exponent) == -1)
		return -1;
	if (json_is_integer(json_object_get(o, "created")))
		t->created = json_integer_value(json_object_get(o, "created"));
	t->order_ref = meta_order(r, json_object_get(o, "metadata"));
	t->alt_ref = payment_ref_find(jstr(o, "description"), r->altbuf,
	    sizeof(r->altbuf));
	if (status == NULL)
		status = "";
	if (strcmp(type, "charge") == 0) {
		t->kind = PAYMENT_CHARGE;
		t->intent = jstr(o, "payment_intent");
		if (json_amount(json_object_get(o, "amount"), 1, exponent,
		    &t->amount, pb, "amount") == -1)
			return -1;
		if ((v = json_object_get(o, "amount_refunded")) != NULL &&
		    json_amount(v, 1, exponent, &t->refunded, pb,
		    "amount_refunded") == -1)
			return -1;
		if (strcmp(status, "succeeded") == 0 &&
		    json_is_false(json_object_get(o, "captured")))
			t->state = PAYMENT_AUTHORIZED;
		else if (strcmp(status, "succeeded") == 0) {
			t->state = PAYMENT_SUCCEEDED;
			if (opt_minor(json_object_get(o, "amount_captured"),
			    &captured, pb, "amount_captured") == -1)
				return -1;
			if (captured > 0)
				t->amount = captured;
		} else if (strcmp(status, "pending") == 0)
			t->state = PAYMENT_PENDING;
		else
			t->state = PAYMENT_FAILED;
		card = jobj(jobj(o, "payment_method_details"), "card");
		set_country(t->card_country, jstr(card, "country"));
		if (t->card_country[0] == '\0')
			set_country(t->card_country, jstr(jobj(jobj(o,
			    "billing_details"), "address"), "country"));
		t->card = jstr(card, "fingerprint");
		if ((t->email = jstr(jobj(o, "billing_details"), "email")) ==
		    NULL)
			t->email = jstr(o, "receipt_email");
		risk = jstr(jobj(o, "outcome"), "risk_level");
		t->risky = risk != NULL && (strcmp(risk, "elevated") == 0 ||
		    strcmp(risk, "highest") == 0);
		if ((bt = jobj(o, "balance_transaction")) != NULL &&
		    opt_minor(json_object_get(bt, "fee"), &t->fee, pb,
		    "fee") == -1)
			return -1;
	} else if (strcmp(type, "refund") == 0) {
		t->kind = PAYMENT_REFUND;
		t->parent = jid(o, "charge", r->parentbuf,
		    sizeof(r->parentbuf));
		t->intent = jstr(o, "payment_intent");
		if (json_amount(json_object_get(o, "amount"), 1, exponent,
		    &t->amount, pb, "amount") == -1)
			return -1;
		if (strcmp(status, "succeeded") == 0)
			t->state = PAYMENT_SUCCEEDED;
		else if (strcmp(status, "pending") == 0 ||
		    strcmp(status, "requires_action") == 0)
			t->state = PAYMENT_PENDING;
		else
			t->state = PAYMENT_FAILED;
	} else if (strcmp(type, "payment_intent") == 0) {
		/* The intent and its charge are one payment: the charge's
		 * id, when known, keeps them from counting twice.  It is
		 * latest_charge's, an id or the charge expanded, or before
		 * API version 2022-11-15 the first (the latest) of the
		 * intent's charges list. */
		t->kind = PAYMENT_CHARGE;
		t->intent = jstr(o, "id");
		if ((id = jid(o, "latest_charge", r->idbuf,
		    sizeof(r->idbuf))) != NULL ||
		    (id = jid(jobj(o, "latest_charge"), "id", r->idbuf,
		    sizeof(r->idbuf))) != NULL ||
		    (id = jid(json_array_get(json_object_get(jobj(o,
		    "charges"), "data"), 0), "id", r->idbuf,
		    sizeof(r->idbuf))) != NULL)
			t->id = id;
		if (json_amount(json_object_get(o, "amount"), 1, exponent,
		    &t->amount, pb, "amount") == -1)
			return -1;
		if (opt_minor(json_object_get(o, "amount_received"),
		    &captured, pb, "amount_received") == -1)
			return -1;
		if (strcmp(status, "succeeded") == 0) {
			t->state = PAYMENT_SUCCEEDED;
			if (captured > 0)
				t->amount = captured;
		} else if (strcmp(status, "requires_capture") == 0)
			t->state = PAYMENT_AUTHORIZED;
		else if (strcmp(status, "canceled") == 0)
			t->state = PAYMENT_FAILED;
		else
			t->state = PAYMENT_PENDING;
	} else {			/* balance_transaction */
		const char *cat = jstr(o, "reporting_category");
		const char *src = jstr(o, "source");

		if (cat == NULL)
			cat = jstr(o, "type");
		if (cat == NULL)
			cat = "";
		if (json_amount(json_object_get(o, "amount"), 1, exponent,
		    &t->amount, pb, "amount") == -1)
			return -1;
		if (opt_minor(json_object_get(o, "fee"), &t->fee, pb,
		    "fee") == -1)
			return -1;
		t->state = strcmp(status, "pending") == 0 ||
		    strcmp(status, "available") == 0 ? PAYMENT_SUCCEEDED :
		    PAYMENT_FAILED;
		if (strcmp(cat, "charge") == 0 || strcmp(cat, "payment") == 0)
			t->kind = PAYMENT_CHARGE;
		else if (strcmp(cat, "refund") == 0)
			t->kind = PAYMENT_REFUND;
		else
			t->kind = PAYMENT_OTHER;
		if (t->kind != PAYMENT_OTHER && src != NULL)
			t->id = jid(o, "source", r->idbuf, sizeof(r->idbuf));
	}
	if (magnitude(&t->amount, t, exponent, pb, "amount") == -1 ||
	    magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	return 0;
}

/* YooKassa's payment and refund objects: amount {value, currency}. */
static int
yookassa_object(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct problem *pb)
{
	const json_t *amount = jobj(o, "amount"), *v, *card;
	const char *status = jstr(o, "status");
	int exponent;
	int64_t income;

	t->provider = "yookassa";
	if ((t->id = jid(o, "id", r->idbuf, sizeof(r->idbuf))) == NULL)
		return fail(pb, "bad_payment", "a YooKassa object without "
		    "an id");
	if (set_currency(t, jstr(amount, "currency"), pb, &exponent) == -1 ||
	    json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	if (status == NULL)
		status = "";
	t->order_ref = meta_order(r, json_object_get(o, "metadata"));
	t->alt_ref = payment_ref_find(jstr(o, "description"), r->altbuf,
	    sizeof(r->altbuf));
	if (time_of(jstr(o, "captured_at") ? jstr(o, "captured_at") :
	    jstr(o, "created_at"), &t->created, pb, "created_at") == -1)
		return -1;
	if (jstr(o, "payment_id") != NULL) {
		t->kind = PAYMENT_REFUND;
		t->parent = jid(o, "payment_id", r->parentbuf,
		    sizeof(r->parentbuf));
		t->state = strcmp(status, "succeeded") == 0 ?
		    PAYMENT_SUCCEEDED : strcmp(status, "pending") == 0 ?
		    PAYMENT_PENDING : PAYMENT_FAILED;
		return 0;
	}
	t->kind = PAYMENT_CHARGE;
	if (strcmp(status, "succeeded") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (strcmp(status, "waiting_for_capture") == 0)
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "pending") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	if ((v = jobj(o, "refunded_amount")) != NULL &&
	    json_amount(json_object_get(v, "value"), 0, exponent,
	    &t->refunded, pb, "refunded_amount") == -1)
		return -1;
	if ((v = jobj(o, "income_amount")) != NULL) {
		if (json_amount(json_object_get(v, "value"), 0, exponent,
		    &income, pb, "income_amount") == -1)
			return -1;
		if (money_sub(t->amount, income, &t->fee) == -1)
			return fail(pb, "amount_overflow", "the fee, amount "
			    "less income_amount, does not fit");
	}
	card = jobj(jobj(o, "payment_method"), "card");
	set_country(t->card_country, jstr(card, "issuer_country"));
	if (jstr(card, "first6") != NULL && jstr(card, "last4") != NULL) {
		snprintf(r->cardbuf, sizeof(r->cardbuf), "%s*%s",
		    jstr(card, "first6"), jstr(card, "last4"));
		t->card = r->cardbuf;
	}
	t->email = jstr(jobj(jobj(o, "receipt"), "customer"), "email");
	return 0;
}

/* PayPal's Transaction Search items: {transaction_info, payer_info, ...}.
 * Event codes T00xx are payments received, T11xx reversals and refunds,
 * T13xx authorisations; the rest moves the shop's own money. */
static int
paypal_search(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct problem *pb)
{
	const json_t *ti = jobj(o, "transaction_info"), *amount, *fee;
	const char *code, *status;
	int exponent;

	t->provider = "paypal";
	if ((t->id = jid(ti, "transaction_id", r->idbuf,
	    sizeof(r->idbuf))) == NULL)
		return fail(pb, "bad_payment", "a PayPal transaction without "
		    "transaction_id");
	amount = jobj(ti, "transaction_amount");
	if (set_currency(t, jstr(amount, "currency_code"), pb,
	    &exponent) == -1 ||
	    json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "transaction_amount") == -1)
		return -1;
	if ((fee = jobj(ti, "fee_amount")) != NULL &&
	    json_amount(json_object_get(fee, "value"), 0, exponent, &t->fee,
	    pb, "fee_amount") == -1)
		return -1;
	if (t->fee > 0)				/* as in the download */
		t->fee = 0;
	if (magnitude(&t->fee, t, exponent, pb, "fee_amount") == -1)
		return -1;
	if (time_of(jstr(ti, "transaction_initiation_date"), &t->created, pb,
	    "transaction_initiation_date") == -1)
		return -1;
	code = jstr(ti, "transaction_event_code");
	if (code == NULL)
		code = "";
	if (strncmp(code, "T00", 3) == 0 && t->amount > 0)
		t->kind = PAYMENT_CHARGE;
	else if (strncmp(code, "T11", 3) == 0 && t->amount < 0)
		t->kind = PAYMENT_REFUND;
	else if (strncmp(code, "T13", 3) == 0 && strcmp(code, "T1302") != 0)
		t->kind = PAYMENT_CHARGE;
	else
		t->kind = PAYMENT_OTHER;
	status = jstr(ti, "transaction_status");
	if (status == NULL || strcmp(status, "S") == 0 ||
	    strcmp(status, "V") == 0)
		t->state = strncmp(code, "T13", 3) == 0 ? PAYMENT_AUTHORIZED :
		    PAYMENT_SUCCEEDED;
	else if (strcmp(status, "P") == 0)
		t->state = strncmp(code, "T13", 3) == 0 ? PAYMENT_AUTHORIZED :
		    PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	if (magnitude(&t->amount, t, exponent, pb, "transaction_amount") == -1)
		return -1;
	t->order_ref = payment_ref_clean(jstr(ti, "invoice_id"), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(jstr(ti, "custom_field"),
		    r->refbuf, sizeof(r->refbuf));
	else
		t->alt_ref = payment_ref_clean(jstr(ti, "custom_field"),
		    r->altbuf, sizeof(r->altbuf));
	if (t->alt_ref == NULL)
		t->alt_ref = payment_ref_find(jstr(ti, "transaction_subject"),
		    r->altbuf, sizeof(r->altbuf));
	t->parent = jid(ti, "paypal_reference_id", r->parentbuf,
	    sizeof(r->parentbuf));
	t->email = jstr(jobj(o, "payer_info"), "email_address");
	set_country(t->card_country, jstr(jobj(o, "payer_info"),
	    "country_code"));
	return 0;
}

/* PayPal's webhook resources (captures, authorizations, refunds of the
 * Payments v2 API), told apart by the event type. */
static int
paypal_resource(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct problem *pb)
{
	const json_t *amount = jobj(o, "amount"), *links, *l;
	const char *status = jstr(o, "status"), *href, *slash;
	int exponent;
	size_t i;

	t->provider = "paypal";
	if ((t->id = jid(o, "id", r->idbuf, sizeof(r->idbuf))) == NULL)
		return fail(pb, "bad_payment", "a PayPal resource without "
		    "an id");
	if (set_currency(t, jstr(amount, "currency_code"), pb,
	    &exponent) == -1 ||
	    json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	if (json_amount(json_object_get(jobj(jobj(o,
	    "seller_receivable_breakdown"), "paypal_fee"), "value"), 0,
	    exponent, &t->fee, pb, "paypal_fee") == -1)
		t->fee = 0;
	if (time_of(jstr(o, "create_time"), &t->created, pb,
	    "create_time") == -1)
		return -1;
	if (status == NULL)
		status = "";
	t->kind = hint == HINT_PAYPAL_REFUND ? PAYMENT_REFUND :
	    PAYMENT_CHARGE;
	if (strcmp(status, "COMPLETED") == 0 ||
	    strcmp(status, "REFUNDED") == 0 ||
	    strcmp(status, "PARTIALLY_REFUNDED") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (hint == HINT_PAYPAL_AUTH && (strcmp(status, "CREATED") == 0 ||
	    strcmp(status, "CAPTURED") == 0 ||
	    strcmp(status, "PARTIALLY_CAPTURED") == 0))
		t->state = strcmp(status, "CREATED") == 0 ?
		    PAYMENT_AUTHORIZED : PAYMENT_FAILED;  /* captured: its
							   * capture counts */
	else if (strcmp(status, "PENDING") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	t->order_ref = payment_ref_clean(jstr(o, "invoice_id"), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(jstr(o, "custom_id"),
		    r->refbuf, sizeof(r->refbuf));
	t->intent = jstr(jobj(jobj(o, "supplementary_data"), "related_ids"),
	    "order_id");
	if (t->kind == PAYMENT_REFUND &&
	    json_is_array(links = json_object_get(o, "links"))) {
		json_array_foreach(links, i, l) {
			if ((href = jstr(l, "href")) == NULL ||
			    jstr(l, "rel") == NULL ||
			    strcmp(jstr(l, "rel"), "up") != 0 ||
			    (slash = strrchr(href, '/')) == NULL ||
			    strlen(slash + 1) >= sizeof(r->parentbuf))
				continue;
			strcpy(r->parentbuf, slash + 1);
			t->parent = r->parentbuf;
		}
	}
	return 0;
}

/* CloudPayments' notifications (Pay, Fail, Confirm, Refund, Cancel) and
 * the Model of its API answers: Amount in major units, often a number. */
static int
cloudpayments_object(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct problem *pb)
{
	const char *status = jstr(o, "Status"), *op = jstr(o, "OperationType");
	const char *when;
	const json_t *fee;
	int exponent;

	t->provider = "cloudpayments";
	if ((t->id = jid(o, "TransactionId", r->idbuf,
	    sizeof(r->idbuf))) == NULL)
		return fail(pb, "bad_payment", "a CloudPayments object "
		    "without TransactionId");
	if (set_currency(t, jstr(o, "Currency") ? jstr(o, "Currency") :
	    "RUB", pb, &exponent) == -1 ||
	    json_amount(json_object_get(o, "Amount"), 0, exponent,
	    &t->amount, pb, "Amount") == -1)
		return -1;
	if ((fee = json_object_get(o, "TotalFee")) != NULL &&
	    !json_is_null(fee) &&
	    json_amount(fee, 0, exponent, &t->fee, pb, "TotalFee") == -1)
		return -1;
	when = jstr(o, "CreatedDateIso");
	if (when == NULL)
		when = jstr(o, "DateTime");
	if (time_of(when, &t->created, pb, "DateTime") == -1)
		return -1;
	t->kind = op != NULL && strcmp(op, "Refund") == 0 ? PAYMENT_REFUND :
	    op != NULL && strcmp(op, "Payment") != 0 ? PAYMENT_OTHER :
	    PAYMENT_CHARGE;
	if (status == NULL)
		t->state = jstr(o, "Reason") != NULL ||
		    (json_is_integer(json_object_get(o, "ReasonCode")) &&
		    json_integer_value(json_object_get(o, "ReasonCode")) !=
		    0) ? PAYMENT_FAILED : t->kind == PAYMENT_REFUND ?
		    PAYMENT_SUCCEEDED : PAYMENT_PENDING;
	else if (strcmp(status, "Completed") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (strcmp(status, "Authorized") == 0)
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "AwaitingAuthentication") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	t->order_ref = payment_ref_clean(jstr(o, "InvoiceId"), r->refbuf,
	    sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(jstr(o, "Description"), r->altbuf,
	    sizeof(r->altbuf));
	t->parent = jid(o, "PaymentTransactionId", r->parentbuf,
	    sizeof(r->parentbuf));
	t->email = jstr(o, "Email");
	set_country(t->card_country, jstr(o, "IssuerBankCountry"));
	set_country(t->ip_country, jstr(o, "IpCountry"));
	if (jstr(o, "CardFirstSix") != NULL && jstr(o, "CardLastFour")) {
		snprintf(r->cardbuf, sizeof(r->cardbuf), "%s*%s",
		    jstr(o, "CardFirstSix"), jstr(o, "CardLastFour"));
		t->card = r->cardbuf;
	}
	if (json_is_true(json_object_get(o, "Refunded")) &&
	    t->kind == PAYMENT_CHARGE)
		t->refunded = t->amount;
	return 0;
}

/* Stripe objects that are about something else than money moving for an
 * order: a webhook log holds them too, and they are skipped. */
static int
stripe_other(const char *type)
{
	return strcmp(type, "charge") != 0 && strcmp(type, "refund") != 0 &&
	    strcmp(type, "payment_intent") != 0 &&
	    strcmp(type, "balance_transaction") != 0;
}

/* One JSON object into t: 1 done, 0 skipped, -1 a problem. */
static int
json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct problem *pb)
{
	const char *type = jstr(o, "object"), *p;
	int rc;

	if (!json_is_object(o))
		return fail(pb, "bad_payment", "not a JSON object");
	if (hint != HINT_NONE) {
		p = "paypal";
		rc = paypal_resource(r, o, hint, t, pb);
	} else if (jobj(o, "transaction_info") != NULL) {
		p = "paypal";
		rc = paypal_search(r, o, t, pb);
	} else if (json_object_get(o, "TransactionId") != NULL) {
		p = "cloudpayments";
		rc = cloudpayments_object(r, o, t, pb);
	} else if (type != NULL) {
		if (stripe_other(type))
			return 0;
		p = "stripe";
		rc = stripe_object(r, o, t, pb);
	} else if (jobj(o, "amount") != NULL && jstr(o, "status") != NULL) {
		p = "yookassa";
		rc = yookassa_object(r, o, t, pb);
	} else
		return fail(pb, "bad_payment", "not a transaction of Stripe, "
		    "YooKassa, PayPal or CloudPayments");
	if (r->provider != NULL && strcmp(r->provider, p) != 0)
		return fail(pb, "bad_payment", "a %s transaction, not %s", p,
		    r->provider);
	return rc == -1 ? -1 : 1;
}

/* Put the transactions that v holds on the queue. */
static void
expand(struct payment_reader *r, json_t *v, int hint)
{
	json_t *elem, *inner;
	const char *s;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, elem)
			expand(r, elem, hint);
		return;
	}
	if (json_is_object(v)) {
		s = jstr(v, "object");
		if (s != NULL && strcmp(s, "list") == 0 &&
		    json_is_array(inner = json_object_get(v, "data"))) {
			expand(r, inner, hint);
			return;
		}
		if (s != NULL && strcmp(s, "event") == 0 &&
		    (inner = jobj(jobj(v, "data"), "object")) != NULL) {
			expand(r, inner, hint);
			return;
		}
		if ((s = jstr(v, "type")) != NULL &&
		    strcmp(s, "notification") == 0 &&
		    (inner = jobj(v, "object")) != NULL) {
			expand(r, inner, hint);
			return;
		}
		if ((s = jstr(v, "event_type")) != NULL &&
		    (inner = jobj(v, "resource")) != NULL) {
			if (strstr(s, "PAYMENT.CAPTURE.") == s)
				hint = strcmp(s, "PAYMENT.CAPTURE.REFUNDED") ==
				    0 || strcmp(s, "PAYMENT.CAPTURE.REVERSED")
				    == 0 ? HINT_PAYPAL_REFUND :
				    HINT_PAYPAL_CAPTURE;
			else if (strstr(s, "PAYMENT.AUTHORIZATION.") == s)
				hint = HINT_PAYPAL_AUTH;
			else
				return;		/* other events */
			expand(r, inner, hint);
			return;
		}
		if (json_is_array(inner = json_object_get(v,
		    "transaction_details")) ||
		    ((inner = json_object_get(v, "Model")) != NULL &&
		    (json_is_array(inner) || json_is_object(inner))) ||
		    (json_is_array(inner = json_object_get(v, "items")) &&
		    json_object_get(v, "id") == NULL)) {
			expand(r, inner, hint);
			return;
		}
	}
	if (r->nqueue == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 16;
		r->queue = xrealloc(r->queue, r->qcap * sizeof(*r->queue));
	}
	r->queue[r->nqueue].obj = v;
	r->queue[r->nqueue++].hint = hint;
}

static void
reject_value(struct payment_reader *r, struct reject_stream *rejects,
    const json_t *v, unsigned long line, const struct problem *pb)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	reject_line(rejects, r->path, line, buf, len, pb->code, pb->msg);
	free(buf);
}

static int
all_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

/* Parse text (its reals quoted first) as one value.  With
 * JSON_DISABLE_EOF_CHECK in flags, *trailing tells whether more than
 * white space follows it. */
static json_t *
load_exact(const char *text, size_t len, json_error_t *error, int *trailing,
    int flags)
{
	char *q;
	size_t qlen;
	json_t *v;

	q = payment_quote_reals(text, len, &qlen);
	v = json_loadb(q, qlen, JSON_REJECT_DUPLICATES | flags, error);
	if (v == NULL && json_error_code(error) == json_error_out_of_memory)
		xnomem();
	*trailing = v != NULL && (flags & JSON_DISABLE_EOF_CHECK) &&
	    error->position < (int)qlen && !all_space(q + error->position);
	free(q);
	return v;
}

/* Read the next line (or pretty-printed document) and queue what it holds;
 * 0 at the end. */
static int
json_fill(struct payment_reader *r, struct reject_stream *rejects)
{
	json_error_t error;
	json_t *v;
	ssize_t n;
	size_t dlen = 0;
	unsigned long start;
	int trailing;
	char msg[256], *s;

	for (;;) {
		errno = 0;
		if ((n = getline(&r->line, &r->cap, r->fp)) == -1) {
			if (errno == ENOMEM)
				xnomem();
			if (ferror(r->fp))
				r->status = EX_IOERR;
			return 0;
		}
		r->lineno++;
		s = r->line;
		if (r->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		if (all_space(s))
			continue;
		start = r->lineno;
		s = trim(s);
		if (strcmp(s, "{") == 0 || strcmp(s, "[") == 0) {
			/* a pretty-printed document: read to its end */
			free(r->doc);
			r->doc = xstrdup(s);
			dlen = strlen(s);
			for (;;) {
				errno = 0;
				if ((n = getline(&r->line, &r->cap,
				    r->fp)) == -1) {
					if (errno == ENOMEM)
						xnomem();
					break;
				}
				r->lineno++;
				r->doc = xrealloc(r->doc, dlen + n + 2);
				r->doc[dlen++] = '\n';
				memcpy(r->doc + dlen, r->line, n + 1);
				dlen += n;
				if (r->line[0] != '}' && r->line[0] != ']')
					continue;
				v = load_exact(r->doc, dlen, &error,
				    &trailing, JSON_DISABLE_EOF_CHECK);
				json_decref(v);
				if (v == NULL && json_error_code(&error) ==
				    json_error_premature_end_of_input)
					continue;
				break;
			}
			/* the whole of it, or a clear message of why not */
			v = load_exact(r->doc, dlen, &error, &trailing, 0);
			s = r->doc;
			n = dlen;
		} else
			v = load_exact(s, n = strlen(s), &error, &trailing, 0);
		if (v == NULL) {
			snprintf(msg, sizeof(msg), "not JSON: %s at line %d",
			    error.text, error.line + (int)start - 1);
			reject_line(rejects, r->path, start, s, n, "bad_json",
			    msg);
			continue;
		}
		json_decref(r->root);
		r->root = v;
		r->nqueue = r->qnext = 0;
		r->qline = start;
		expand(r, v, HINT_NONE);
		if (r->nqueue > 0)
			return 1;
	}
}

/* CSV rows. */

static const char *
field(struct payment_reader *r, struct csvread_row *row, enum column c)
{
	const char *s;

	if (r->col[c] < 0 || (size_t)r->col[c] >= row->nfields)
		return NULL;
	s = row->fields[r->col[c]];
	while (*s == ' ' || *s == '\t')
		s++;
	return *s != '\0' ? s : NULL;
}

static const char *
row_text(struct payment_reader *r, struct csvread_row *row, size_t *lenp)
{
	size_t i, len = 0, need = 1;

	for (i = 0; i < row->nfields; i++)
		need += row->lens[i] + 1;
	if (need > r->rowcap) {
		r->rowcap = need;
		r->rowtext = xrealloc(r->rowtext, need);
	}
	for (i = 0; i < row->nfields; i++) {
		if (i > 0)
			r->rowtext[len++] = r->delim ? r->delim : ',';
		memcpy(r->rowtext + len, row->fields[i], row->lens[i]);
		len += row->lens[i];
	}
	r->rowtext[len] = '\0';
	*lenp = len;
	return r->rowtext;
}

static int
contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

static int
stripe_balance_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct problem *pb)
{
	const char *cat = field(r, row, C_CATEGORY), *src, *chg;
	int exponent;

	t->provider = "stripe";
	t->id = field(r, row, C_ID);
	src = field(r, row, C_SOURCE);
	chg = field(r, row, C_CHARGE);
	if (t->id == NULL)
		return fail(pb, "bad_payment", "balance_transaction_id is "
		    "empty");
	if (set_currency(t, field(r, row, C_CURRENCY), pb, &exponent) == -1 ||
	    parse_major(field(r, row, C_GROSS), exponent, &t->amount, pb,
	    "gross") == -1)
		return -1;
	if (field(r, row, C_FEE) != NULL && parse_major(field(r, row, C_FEE),
	    exponent, &t->fee, pb, "fee") == -1)
		return -1;
	if (time_of(field(r, row, C_CREATED), &t->created, pb,
	    "created_utc") == -1)
		return -1;
	if (cat == NULL)
		cat = "";
	t->state = PAYMENT_SUCCEEDED;
	if (strcmp(cat, "charge") == 0) {
		t->kind = PAYMENT_CHARGE;
		/* the charge's own id, when the report has it, is the one
		 * its API object and events carry */
		if (chg != NULL)
			t->id = chg;
		else if (src != NULL)
			t->id = src;
		t->order_ref = payment_ref_clean(field(r, row, C_ORDER),
		    r->refbuf, sizeof(r->refbuf));
	} else if (strcmp(cat, "refund") == 0) {
		t->kind = PAYMENT_REFUND;
		if (src != NULL)
			t->id = src;
		t->parent = chg;
		t->order_ref = payment_ref_clean(field(r, row,
		    C_REFUND_ORDER), r->refbuf, sizeof(r->refbuf));
		if (t->order_ref == NULL)
			t->order_ref = payment_ref_clean(field(r, row,
			    C_ORDER), r->refbuf, sizeof(r->refbuf));
	} else
		t->kind = PAYMENT_OTHER;
	t->alt_ref = payment_ref_find(field(r, row, C_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->intent = field(r, row, C_INTENT);
	t->email = field(r, row, C_EMAIL);
	set_country(t->card_country, field(r, row, C_CARD_COUNTRY));
	/* a refund's gross is negative */
	if (magnitude(&t->amount, t, exponent, pb, "gross") == -1 ||
	    magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	return 0;
}

static int
stripe_payments_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct problem *pb)
{
	const char *status = field(r, row, C_STATUS);
	const char *captured = field(r, row, C_CAPTURED);
	int exponent;

	t->provider = "stripe";
	if ((t->id = field(r, row, C_ID)) == NULL)
		return fail(pb, "bad_payment", "id is empty");
	if (set_currency(t, field(r, row, C_CURRENCY), pb, &exponent) == -1 ||
	    parse_major(field(r, row, C_AMOUNT), exponent, &t->amount, pb,
	    "Amount") == -1)
		return -1;
	if (field(r, row, C_REFUNDED) != NULL && parse_major(field(r, row,
	    C_REFUNDED), exponent, &t->refunded, pb, "Amount Refunded") == -1)
		return -1;
	if (field(r, row, C_FEE) != NULL && parse_major(field(r, row, C_FEE),
	    exponent, &t->fee, pb, "Fee") == -1)
		return -1;
	if (time_of(field(r, row, C_CREATED), &t->created, pb,
	    "Created date (UTC)") == -1)
		return -1;
	t->kind = PAYMENT_CHARGE;
	if (status == NULL)
		status = "Paid";
	if (strcasecmp(status, "Failed") == 0 ||
	    strcasecmp(status, "Canceled") == 0 ||
	    strcasecmp(status, "Blocked") == 0)
		t->state = PAYMENT_FAILED;
	else if (strcasecmp(status, "Uncaptured") == 0 ||
	    (captured != NULL && strcasecmp(captured, "false") == 0))
		t->state = PAYMENT_AUTHORIZED;
	else if (strcasecmp(status, "Pending") == 0 ||
	    strcasecmp(status, "Incomplete") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_SUCCEEDED;	/* Paid, Refunded, ... */
	t->order_ref = payment_ref_clean(field(r, row, C_ORDER), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(field(r, row, C_INVOICE),
		    r->refbuf, sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(field(r, row, C_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->intent = field(r, row, C_INTENT);
	t->email = field(r, row, C_EMAIL);
	t->card = field(r, row, C_CARD);
	set_country(t->card_country, field(r, row, C_CARD_COUNTRY));
	return 0;
}

static int
paypal_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct problem *pb)
{
	const char *type = field(r, row, C_TYPE), *status;
	int exponent;
	int64_t gross;

	t->provider = "paypal";
	if ((t->id = field(r, row, C_ID)) == NULL)
		return fail(pb, "bad_payment", "Transaction ID is empty");
	if (set_currency(t, field(r, row, C_CURRENCY), pb, &exponent) == -1 ||
	    parse_major(field(r, row, C_GROSS), exponent, &gross, pb,
	    "Gross") == -1)
		return -1;
	if (field(r, row, C_FEE) != NULL && parse_major(field(r, row, C_FEE),
	    exponent, &t->fee, pb, "Fee") == -1)
		return -1;
	/* PayPal writes fees negative; a refund's positive fee is one it
	 * gave back, no cost */
	if (t->fee > 0)
		t->fee = 0;
	if (magnitude(&t->fee, t, exponent, pb, "Fee") == -1)
		return -1;
	if (date_time_zone(field(r, row, C_DATE), field(r, row, C_TIME),
	    field(r, row, C_TZ), &t->created) == -1)
		return fail(pb, "bad_time", "Date '%.20s' Time '%.20s' is not "
		    "a time", field(r, row, C_DATE) ? field(r, row, C_DATE) :
		    "", field(r, row, C_TIME) ? field(r, row, C_TIME) : "");
	if (type == NULL)
		type = "";
	t->amount = gross;
	if (magnitude(&t->amount, t, exponent, pb, "Gross") == -1)
		return -1;
	if (contains(type, "refund") || contains(type, "reversal") ||
	    contains(type, "chargeback") || contains(type, "rückzahlung") ||
	    contains(type, "erstattung"))
		t->kind = gross < 0 ? PAYMENT_REFUND : PAYMENT_OTHER;
	else if (contains(type, "authori") || contains(type, "autoris"))
		t->kind = PAYMENT_CHARGE;
	else if (contains(type, "deposit") || contains(type, "withdraw") ||
	    contains(type, "transfer") || contains(type, "conversion") ||
	    contains(type, "hold") || contains(type, "reserve") ||
	    contains(type, "fee") || contains(type, "payout") ||
	    contains(type, "bankgutschrift") || contains(type, "umrechnung"))
		t->kind = PAYMENT_OTHER;
	else
		t->kind = gross > 0 ? PAYMENT_CHARGE : PAYMENT_OTHER;
	status = field(r, row, C_STATUS);
	if (status == NULL || strcasecmp(status, "Completed") == 0 ||
	    strcasecmp(status, "Abgeschlossen") == 0 ||
	    contains(status, "refunded") || contains(status, "reversed") ||
	    contains(status, "erstattet"))
		t->state = PAYMENT_SUCCEEDED;
	else if (strcasecmp(status, "Pending") == 0 ||
	    strcasecmp(status, "Ausstehend") == 0 ||
	    strcasecmp(status, "Unclaimed") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	if (contains(type, "authori") || contains(type, "autoris"))
		t->state = t->state == PAYMENT_FAILED || contains(type, "void") ?
		    PAYMENT_FAILED : PAYMENT_AUTHORIZED;
	t->order_ref = payment_ref_clean(field(r, row, C_INVOICE), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(field(r, row, C_CUSTOM),
		    r->refbuf, sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(field(r, row, C_TITLE), r->altbuf,
	    sizeof(r->altbuf));
	t->parent = field(r, row, C_PARENT);
	t->email = field(r, row, C_EMAIL);
	set_country(t->card_country, field(r, row, C_CARD_COUNTRY));
	return 0;
}


static int
generic_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct problem *pb)
{
	const struct payment_map *m = r->map;
	const char *type = field(r, row, C_TYPE), *status, *cur;
	const char *amount = field(r, row, C_AMOUNT);
	int exponent;
	int64_t v;

	t->provider = m->provider;
	if ((t->id = field(r, row, C_ID)) == NULL)
		return fail(pb, "bad_payment", "the id column '%s' is empty",
		    m->cols[C_ID]);
	cur = r->col[C_CURRENCY] >= 0 ? field(r, row, C_CURRENCY) :
	    m->currency;
	if (set_currency(t, cur, pb, &exponent) == -1)
		return -1;
	if (m->minor) {
		if (parse_minor(amount, &t->amount, pb, "amount") == -1)
			return -1;
		if (field(r, row, C_FEE) != NULL && parse_minor(field(r, row,
		    C_FEE), &t->fee, pb, "fee") == -1)
			return -1;
		if (field(r, row, C_REFUNDED) != NULL && parse_minor(field(r,
		    row, C_REFUNDED), &t->refunded, pb, "refunded") == -1)
			return -1;
	} else {
		if (parse_major(amount, exponent, &t->amount, pb,
		    "amount") == -1)
			return -1;
		if (field(r, row, C_FEE) != NULL && parse_major(field(r, row,
		    C_FEE), exponent, &t->fee, pb, "fee") == -1)
			return -1;
		if (field(r, row, C_REFUNDED) != NULL && parse_major(field(r,
		    row, C_REFUNDED), exponent, &t->refunded, pb,
		    "refunded") == -1)
			return -1;
	}
	if (magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	if ((cur = field(r, row, C_CREATED)) != NULL &&
	    export_time(cur, m->zone, &t->created) == -1)
		return fail(pb, "bad_time", "'%.40s' is not a time", cur);
	v = t->amount;
	if (in_list(m->refund_types, type) || (type == NULL && v < 0))
		t->kind = PAYMENT_REFUND;
	else if (in_list(m->other_types, type) || (m->charge_types != NULL &&
	    !in_list(m->charge_types, type)))
		t->kind = PAYMENT_OTHER;
	else
		t->kind = PAYMENT_CHARGE;
	if (magnitude(&t->amount, t, exponent, pb, "amount") == -1)
		return -1;
	status = field(r, row, C_STATUS);
	if (in_list(m->failed, status))
		t->state = PAYMENT_FAILED;
	else if (in_list(m->pending, status))
		t->state = PAYMENT_PENDING;
	else if (in_list(m->authorized, status))
		t->state = PAYMENT_AUTHORIZED;
	else
		t->state = PAYMENT_SUCCEEDED;
	t->order_ref = payment_ref_clean(field(r, row, C_ORDER), r->refbuf,
	    sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(field(r, row, C_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->parent = field(r, row, C_PARENT);
	t->email = field(r, row, C_EMAIL);
	t->card = field(r, row, C_CARD);
	set_country(t->card_country, field(r, row, C_CARD_COUNTRY));
	set_country(t->ip_country, field(r, row, C_IP_COUNTRY));
	return 0;
}

/* Every format gives a positive amount (the store holds no other): one
 * that is still negative is a provider's that has no sign for it. */
static int
positive(const struct payment_txn *t, struct problem *pb)
{
	const struct money_currency *c = money_currency(t->currency);
	char buf[40];

	if (t->amount >= 0)
		return 0;
	return fail(pb, "bad_amount", "amount %s %s is negative",
	    money_format(t->amount, c != NULL ? c->exponent : 2, buf,
	    sizeof(buf)), t->currency);
}

int
payment_next(struct payment_reader *r, struct payment_txn *t,
    struct reject_stream *rejects)
{
	struct csvread_row *row;
	struct problem pb;
	const char *text;
	size_t len;
	int rc;

	for (;;) {
		memset(t, 0, sizeof(*t));
		pb.code = "bad_payment";
		pb.msg[0] = '\0';
		if (r->format == FMT_JSON) {
			struct payment_queued *q;

			if (r->fp == NULL)
				return 0;
			if (r->qnext == r->nqueue && !json_fill(r, rejects))
				return 0;
			q = &r->queue[r->qnext++];
			t->line = r->qline;
			rc = json_txn(r, q->obj, q->hint, t, &pb);
			if (rc == 1 && (rc = positive(t, &pb)) == 0)
				rc = 1;
			if (rc == 1)
				break;
			if (rc == -1)
				reject_value(r, rejects, q->obj, r->qline, &pb);
			continue;
		}
		if ((row = csvread_next(&r->csv)) == NULL) {
			if (r->csv.error)
				r->status = EX_IOERR;
			return 0;
		}
		t->line = row->line;
		switch (r->format) {
		case FMT_STRIPE_BALANCE:
			rc = stripe_balance_row(r, row, t, &pb);
			break;
		case FMT_STRIPE_PAYMENTS:
			rc = stripe_payments_row(r, row, t, &pb);
			break;
		case FMT_PAYPAL_CSV:
			rc = paypal_row(r, row, t, &pb);
			break;
		default:
			rc = generic_row(r, row, t, &pb);
			break;
		}
		if (rc == 0 && (rc = positive(t, &pb)) == 0)
			break;
		r->delim = r->format == FMT_GENERIC ? r->map->delim : ',';
		text = row_text(r, row, &len);
		reject_line(rejects, r->path, row->line, text, len, pb.code,
		    pb.msg);
	}
	r->nread++;
	return 1;
}
