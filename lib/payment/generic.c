/* generic.c: any CSV of transactions, through a map file that names its
 * columns and words. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "csvread.h"
#include "exporttime.h"
#include "mapfile.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"
#include "xalloc.h"

/* A map's column keys. */
static const struct {
	const char		*key;
	enum payment_column	 col;
} map_keys[] = {
	{ "id", PAYCOL_ID }, { "order", PAYCOL_ORDER },
	{ "amount", PAYCOL_AMOUNT }, { "currency", PAYCOL_CURRENCY },
	{ "fee", PAYCOL_FEE }, { "type", PAYCOL_TYPE },
	{ "status", PAYCOL_STATUS }, { "created", PAYCOL_CREATED },
	{ "parent", PAYCOL_PARENT }, { "email", PAYCOL_EMAIL },
	{ "card_country", PAYCOL_CARD_COUNTRY }, { "card", PAYCOL_CARD },
	{ "ip_country", PAYCOL_IP_COUNTRY }, { "description", PAYCOL_DESC },
	{ "refunded", PAYCOL_REFUNDED },
};

#define NMAPKEYS (sizeof(map_keys) / sizeof(map_keys[0]))

struct payment_map {
	char	*provider;
	char	 delim;
	int	 minor;			/* amounts in minor units */
	char	 currency[4];		/* without a currency column */
	char	*cols[PAYCOL_N];
	char	*refund_types, *charge_types, *other_types;
	char	*pending, *failed, *authorized;
	char	*zone;			/* of times with no offset */
};

static int	generic_row(struct payment_reader *, struct csvread_row *,
		    struct payment_txn *, struct payment_problem *);

const struct payment_layout payment_generic_layout = {
	NULL, NULL, NULL, generic_row, NULL
};

void
payment_map_free(struct payment_map *m)
{
	int i;

	if (m == NULL)
		return;
	free(m->provider);
	for (i = 0; i < PAYCOL_N; i++)
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
			snprintf(errbuf, errlen, "%s:%lu: default_currency "
			    "'%s' is not an ISO 4217 code", path, e->line,
			    e->value);
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
	if (m->cols[PAYCOL_ID] == NULL || m->cols[PAYCOL_AMOUNT] == NULL ||
	    (m->cols[PAYCOL_CURRENCY] == NULL && m->currency[0] == '\0')) {
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

char
payment_map_delimiter(const struct payment_map *m)
{
	return m->delim;
}

/* A map's column names are compared whole (they may hold '|'). */
int
payment_generic_header(struct payment_reader *r, struct csvread_row *hdr)
{
	size_t i;
	int c;

	for (c = 0; c < PAYCOL_N; c++) {
		r->col[c] = -1;
		if (r->map->cols[c] == NULL)
			continue;
		for (i = 0; i < hdr->nfields; i++)
			if (payment_header_is(hdr->fields[i],
			    r->map->cols[c])) {
				r->col[c] = i;
				break;
			}
	}
	if (r->col[PAYCOL_ID] < 0 || r->col[PAYCOL_AMOUNT] < 0 ||
	    (r->col[PAYCOL_CURRENCY] < 0 && r->map->currency[0] == '\0')) {
		warnx("'%s' lacks a column the map names for id, amount or "
		    "currency", r->path);
		return EX_DATAERR;
	}
	return 0;
}

/* The text of column c of the row, in short. */
#define COL(c)	payment_col(r, row, (c))

static int
generic_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct payment_problem *pb)
{
	const struct payment_map *m = r->map;
	const char *type = COL(PAYCOL_TYPE), *status, *cur;
	const char *amount = COL(PAYCOL_AMOUNT);
	int exponent;
	int64_t v;

	t->provider = m->provider;
	if ((t->id = COL(PAYCOL_ID)) == NULL)
		return payment_fail(pb, "bad_payment", "the id column '%s' is "
		    "empty", m->cols[PAYCOL_ID]);
	cur = r->col[PAYCOL_CURRENCY] >= 0 ? COL(PAYCOL_CURRENCY) :
	    m->currency;
	if (payment_set_currency(t, cur, pb, &exponent) == -1)
		return -1;
	if (m->minor) {
		if (payment_parse_minor(amount, &t->amount, pb, "amount") == -1)
			return -1;
		if (COL(PAYCOL_FEE) != NULL && payment_parse_minor(
		    COL(PAYCOL_FEE), &t->fee, pb, "fee") == -1)
			return -1;
		if (COL(PAYCOL_REFUNDED) != NULL && payment_parse_minor(
		    COL(PAYCOL_REFUNDED), &t->refunded, pb, "refunded") == -1)
			return -1;
	} else {
		if (payment_parse_major(amount, exponent, &t->amount, pb,
		    "amount") == -1)
			return -1;
		if (COL(PAYCOL_FEE) != NULL && payment_parse_major(
		    COL(PAYCOL_FEE), exponent, &t->fee, pb, "fee") == -1)
			return -1;
		if (COL(PAYCOL_REFUNDED) != NULL && payment_parse_major(
		    COL(PAYCOL_REFUNDED), exponent, &t->refunded, pb,
		    "refunded") == -1)
			return -1;
	}
	if (payment_magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	if ((cur = COL(PAYCOL_CREATED)) != NULL &&
	    payment_export_time(cur, m->zone, &t->created) == -1)
		return payment_fail(pb, "bad_time", "'%.40s' is not a time",
		    cur);
	v = t->amount;
	if (in_list(m->refund_types, type) || (type == NULL && v < 0))
		t->kind = PAYMENT_REFUND;
	else if (in_list(m->other_types, type) || (m->charge_types != NULL &&
	    !in_list(m->charge_types, type)))
		t->kind = PAYMENT_OTHER;
	else
		t->kind = PAYMENT_CHARGE;
	if (payment_magnitude(&t->amount, t, exponent, pb, "amount") == -1)
		return -1;
	status = COL(PAYCOL_STATUS);
	if (in_list(m->failed, status))
		t->state = PAYMENT_FAILED;
	else if (in_list(m->pending, status))
		t->state = PAYMENT_PENDING;
	else if (in_list(m->authorized, status))
		t->state = PAYMENT_AUTHORIZED;
	else
		t->state = PAYMENT_SUCCEEDED;
	t->order_ref = payment_ref_clean(COL(PAYCOL_ORDER), r->refbuf,
	    sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(COL(PAYCOL_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->parent = COL(PAYCOL_PARENT);
	t->email = COL(PAYCOL_EMAIL);
	t->card = COL(PAYCOL_CARD);
	payment_set_country(t->card_country, COL(PAYCOL_CARD_COUNTRY));
	payment_set_country(t->ip_country, COL(PAYCOL_IP_COUNTRY));
	return 0;
}
