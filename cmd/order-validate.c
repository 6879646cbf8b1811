/* order-validate: check orders as a careful operator would, and pass the
 * good ones on with "status": "validated" and normalised fields. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "allow.h"
#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "country.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "msg.h"
#include "ordercheck.h"
#include "pipeline.h"
#include "profile.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "strmap.h"
#include "utf8.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-validate [--allow CODE,...] [--catalog FILE] [--config FILE]\n"
    "                      [--country CC] [--ignore-price] [--jobs N]\n"
    "                      [--lang en|ru|uk] [--max-qty N] [--now TIME]\n"
    "                      [--progress | --no-progress]\n"
    "                      [--rejects FILE] [--stats[=json|FILE]] [--strict]\n"
    "                      [FILE ...]\n";

#define OPT_ALLOW	'a'
#define OPT_CATALOG	'c'
#define OPT_CONFIG	'f'
#define OPT_COUNTRY	'C'
#define OPT_IGNORE	'i'
#define OPT_JOBS	'j'
#define OPT_LANG	'l'
#define OPT_MAXQTY	'q'
#define OPT_NOW		'n'

static const struct option longopts[] = {
	{ "allow",	  required_argument, NULL, OPT_ALLOW },
	{ "catalog",	  required_argument, NULL, OPT_CATALOG },
	{ "config",	  required_argument, NULL, OPT_CONFIG },
	{ "country",	  required_argument, NULL, OPT_COUNTRY },
	CLI_OPT_HELP,
	{ "ignore-price", no_argument,	     NULL, OPT_IGNORE },
	{ "jobs",	  required_argument, NULL, OPT_JOBS },
	{ "lang",	  required_argument, NULL, OPT_LANG },
	{ "max-qty",	  required_argument, NULL, OPT_MAXQTY },
	CLI_OPT_NO_PROGRESS,
	{ "now",	  required_argument, NULL, OPT_NOW },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--allow CODE,...", "pass an order with these errors, as warnings" },
	{ "--catalog FILE", "check the items against the catalog in FILE" },
	{ "--config FILE", "the configuration: source profiles (orderkit.conf(5))" },
	{ "--country CC", "the country of national phones and of addresses" },
	CLI_ITEM_HELP,
	{ "--ignore-price", "do not compare prices with the catalog" },
	{ "--jobs N", "check on N threads (default: one per processor)" },
	{ "--lang en|ru|uk", "the language of messages" },
	{ "--max-qty N", "the largest quantity of one item (default: 1000)" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339): status_history's" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 71, 73, 74, 78, -1 };
static const struct cli_help help_text = {
	"Check orders as a careful operator would: contacts, address, "
	    "items, sums.",
	help_options, help_exits, "order-validate(1)"
};

struct validator {
	struct ordercheck oc;		/* problems, normalisations, --country,
					 * --lang */
	struct catalog	 catalog;
	int		 have_catalog;
	long long	 max_qty;
	int		 ignore_price;
	struct strmap	 ids;		/* (source, id) accepted so far */
	struct allow	 allow;		/* --allow */
	struct profile_set *profiles;
	const struct profile *profile;	/* the current record's source's */
	int64_t		 now;		/* --now, else the clock at the start */
};

static void
check_id(struct validator *v, json_t *order)
{
	json_t *id = json_object_get(order, "id");
	char buf[32];

	if (json_is_integer(id)) {
		/* A number the platform gave: kept as the string it is. */
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		ordercheck_change(&v->oc, order, "id", json_string(buf));
		return;
	}
	ordercheck_string(&v->oc, order, "id", "id", 1);
}

/* The variant's value of option name as text (numbers too: shoe size 42),
 * or NULL. */
static const char *
variant_text(const json_t *value, char *buf, size_t len)
{
	if (json_is_string(value))
		return json_string_value(value);
	if (json_is_integer(value)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(value));
		return buf;
	}
	return NULL;
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct catalog_sku *x = *(const struct catalog_sku *const *)a;
	const struct catalog_sku *y = *(const struct catalog_sku *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Append s to the comma-separated list buf unless it is there already. */
static void
list_add(char *buf, size_t len, const char *s)
{
	const char *p;
	size_t n = strlen(s), used = strlen(buf);

	for (p = buf; (p = strstr(p, s)) != NULL; p += n)
		if ((p == buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (used + n + 3 >= len)
		return;
	if (used > 0)
		strcat(buf, ", ");
	strcat(buf, s);
}

/* The item's variant names a combination the SKU does not have: say what
 * the product does come in, narrowing option by option in catalog order. */
static void
explain_variant(struct validator *v, const struct catalog_sku *sku,
    const json_t *variant, const char *path)
{
	const struct catalog *c = &v->catalog;
	const struct catalog_sku **set;
	size_t nset = 0, i, k, o;
	char field[96], prefix[256] = "", values[512], want[256] = "";
	char num[32], have[256] = "";
	const char *val;
	int opt, narrowed = 0;

	set = xmalloc((c->nskus ? c->nskus : 1) * sizeof(*set));
	for (i = 0; i < c->nskus; i++)
		if (strcmp(c->skus[i].product, sku->product) == 0)
			set[nset++] = &c->skus[i];
	qsort(set, nset, sizeof(*set), cmp_seq);
	for (o = 0; o < c->noptnames; o++) {
		const json_t *jv = json_object_get(variant, c->optnames[o]);
		size_t kept = 0;

		if ((val = variant_text(jv, num, sizeof(num))) == NULL)
			continue;
		opt = o;
		values[0] = '\0';
		for (k = 0; k < nset; k++) {
			const char *have_val = catalog_sku_option(set[k], opt);

			if (have_val == NULL)
				continue;
			list_add(values, sizeof(values), have_val);
			if (utf8_casecmp(have_val, val) == 0)
				set[kept++] = set[k];
		}
		snprintf(field, sizeof(field), "%s.variant.%s", path,
		    c->optnames[o]);
		if (kept == 0) {
			if (values[0] == '\0')
				ordercheck_problem(&v->oc, "unknown_variant",
				    field, "variant_no_option",
				    sku->name[0] ? sku->name : sku->product,
				    c->optnames[o]);
			else if (!narrowed)
				ordercheck_problem(&v->oc, "unknown_variant",
				    field, "variant_none_first", c->optnames[o],
				    val,
				    sku->name[0] ? sku->name : sku->product,
				    values);
			else
				ordercheck_problem(&v->oc, "unknown_variant",
				    field, "variant_none", c->optnames[o], val,
				    prefix, prefix, values);
			free(set);
			return;
		}
		nset = kept;
		narrowed = 1;
		if (prefix[0] != '\0')
			strncat(prefix, " ", sizeof(prefix) - strlen(prefix) - 1);
		strncat(prefix, val, sizeof(prefix) - strlen(prefix) - 1);
	}
	/* The combination exists, as another SKU. */
	for (o = 0; o < c->noptnames; o++) {
		const char *s = catalog_sku_option(sku, o);
		const json_t *jv = json_object_get(variant, c->optnames[o]);

		if (s != NULL) {
			if (have[0] != '\0')
				strncat(have, " ", sizeof(have) - strlen(have) - 1);
			strncat(have, s, sizeof(have) - strlen(have) - 1);
		}
		if ((val = variant_text(jv, num, sizeof(num))) != NULL) {
			if (want[0] != '\0')
				strncat(want, " ", sizeof(want) - strlen(want) - 1);
			strncat(want, val, sizeof(want) - strlen(want) - 1);
		}
	}
	snprintf(field, sizeof(field), "%s.variant", path);
	if (nset > 1) {
		/* A partial variant ("blue") fits several SKUs: name them all
		 * rather than pick one. */
		values[0] = '\0';
		for (k = 0; k < nset; k++)
			list_add(values, sizeof(values), set[k]->sku);
		ordercheck_problem(&v->oc, "variant_mismatch", field,
		    "variant_other_skus", sku->sku, have, want, values);
	} else
		ordercheck_problem(&v->oc, "variant_mismatch", field,
		    "variant_other_sku", sku->sku, have, want,
		    nset > 0 ? set[0]->sku : "?");
	free(set);
}

/* The item's variant with each option under the catalog's name for it,
 * names compared as marketplaces spell them (profile_option()): a new
 * object; an option the catalog lacks keeps its own name. */
static json_t *
catalog_variant(struct validator *v, const json_t *variant)
{
	const struct catalog *c = &v->catalog;
	const char *name;
	json_t *value, *norm;
	char *key, *opt;
	size_t o;

	if ((norm = json_object()) == NULL)
		xnomem();
	json_object_foreach((json_t *)variant, name, value) {
		if (catalog_option(c, name) >= 0) {
			/* The catalog's own name: the common case. */
			jsonx_set_new(norm, name, json_incref(value));
			continue;
		}
		key = profile_option(v->profile, name);
		for (o = 0; o < c->noptnames; o++) {
			opt = profile_option(v->profile, c->optnames[o]);
			if (strcmp(opt, key) == 0) {
				free(opt);
				break;
			}
			free(opt);
		}
		jsonx_set_new(norm, o < c->noptnames ? c->optnames[o] : name,
		    json_incref(value));
		free(key);
	}
	return norm;
}

/* Whether every option of the (normalised) variant is the SKU's. */
static int
variant_fits(struct validator *v, const struct catalog_sku *sku,
    const json_t *variant)
{
	const char *name, *want, *have;
	json_t *value;
	char num[32];
	int opt;

	json_object_foreach((json_t *)variant, name, value) {
		if ((opt = catalog_option(&v->catalog, name)) < 0 ||
		    (want = variant_text(value, num, sizeof(num))) == NULL ||
		    (have = catalog_sku_option(sku, opt)) == NULL ||
		    utf8_casecmp(want, have) != 0)
			return 0;
	}
	return 1;
}

#define MAX_IDS		16

/* The catalog's SKU for the item: by its sku, else by an alias that is
 * one of its ids or its title; written into the item (with matched_by)
 * if the record passes.  NULL after a problem. */
static const struct catalog_sku *
find_sku(struct validator *v, json_t *item, const json_t *variant,
    const char *path)
{
	const struct catalog_sku *found[8], *pick = NULL;
	const char *ids[MAX_IDS], *skutext, *key, *title;
	char bufs[MAX_IDS][32], field[96], list[256] = "";
	const json_t *x;
	json_t *value;
	size_t nids = 0, n, i, fits = 0;
	int how;

	snprintf(field, sizeof(field), "%s.sku", path);
	x = json_object_get(item, "sku");
	if (x != NULL && !json_is_null(x) && !json_is_string(x)) {
		ordercheck_problem(&v->oc, "bad_type", field, "not_string",
		    field);
		return NULL;
	}
	skutext = json_string_value(x);
	if (skutext != NULL && skutext[strspn(skutext, " \t")] == '\0')
		skutext = NULL;
	ids[nids++] = skutext;
	if ((ids[nids] = variant_text(json_object_get(item, "id"),
	    bufs[nids], sizeof(bufs[nids]))) != NULL)
		nids++;
	json_object_foreach(json_object_get(item, "extra"), key, value)
		if (nids < MAX_IDS && (ids[nids] = variant_text(value,
		    bufs[nids], sizeof(bufs[nids]))) != NULL)
			nids++;
	title = json_string_value(json_object_get(item, "name"));
	n = catalog_match(&v->catalog, ids, nids, title, found, 8, &how);
	if (n == 0) {
		if (skutext != NULL)
			ordercheck_problem(&v->oc, "unknown_sku", field,
			    "unknown_sku_alias", skutext);
		else
			ordercheck_problem(&v->oc, "missing_field", field,
			    "no_alias", title != NULL ? title : "");
		return NULL;
	}
	for (i = 0; i < n && i < 8; i++) {
		list_add(list, sizeof(list), found[i]->sku);
		if (variant_fits(v, found[i], variant)) {
			pick = found[i];
			fits++;
		}
	}
	if (n == 1)
		pick = found[0];
	else if (fits != 1) {
		snprintf(field, sizeof(field), "%s.variant", path);
		ordercheck_problem(&v->oc, "unknown_variant", field,
		    "alias_many", how == CATALOG_BY_TITLE && title != NULL ?
		    title : skutext != NULL ? skutext : ids[1] ? ids[1] : "",
		    list);
		return NULL;
	}
	if (skutext == NULL || strcmp(skutext, pick->sku) != 0)
		ordercheck_change(&v->oc, item, "sku", json_string(pick->sku));
	ordercheck_change(&v->oc, item, "matched_by",
	    json_string(catalog_matched_name(how)));
	return pick;
}

static void
check_catalog_item(struct validator *v, json_t *item, const char *path,
    const struct money_currency *cur, int64_t unit_price, int price_ok)
{
	const struct catalog_sku *sku;
	const struct catalog_price *price;
	const json_t *value;
	json_t *variant = NULL;
	const char *name, *want, *have;
	char field[96], a[48], b[48], num[32];
	int64_t qty, line, diff;
	int opt, bad = 0;

	if (json_is_object(json_object_get(item, "variant")))
		variant = catalog_variant(v, json_object_get(item, "variant"));
	if ((sku = find_sku(v, item, variant, path)) == NULL) {
		json_decref(variant);
		return;
	}
	snprintf(field, sizeof(field), "%s.sku", path);
	if (!sku->active)
		ordercheck_problem(&v->oc, "inactive_sku", field,
		    "inactive_sku", sku->name[0] ? sku->name : sku->product,
		    sku->sku);
	if (variant != NULL) {
		json_object_foreach(variant, name, value) {
			snprintf(field, sizeof(field), "%s.variant.%s", path,
			    name);
			if ((opt = catalog_option(&v->catalog, name)) < 0) {
				ordercheck_problem(&v->oc, "unknown_variant",
				    field, "variant_no_option",
				    sku->name[0] ? sku->name : sku->product,
				    name);
				bad = -1;
				continue;
			}
			want = variant_text(value, num, sizeof(num));
			have = catalog_sku_option(sku, opt);
			if (want == NULL || have == NULL ||
			    utf8_casecmp(want, have) != 0)
				bad = bad == 0 ? 1 : bad;
		}
		if (bad == 1)
			explain_variant(v, sku, variant, path);
	} else if (json_object_get(item, "variant") != NULL &&
	    !json_is_null(json_object_get(item, "variant"))) {
		snprintf(field, sizeof(field), "%s.variant", path);
		ordercheck_problem(&v->oc, "bad_type", field, "not_object",
		    field);
	}
	json_decref(variant);
	if (v->ignore_price || cur == NULL || !price_ok)
		return;
	snprintf(field, sizeof(field), "%s.unit_price", path);
	if ((price = catalog_price(sku, cur->code)) == NULL) {
		ordercheck_problem(&v->oc, "no_catalog_price", field,
		    "no_catalog_price", cur->code, sku->sku);
		return;
	}
	/* A line order-import split for exact money (1.29 for 2: 0.64 and
	 * 0.65, each with the line_total it came from) is within one minor
	 * unit per unit of the catalog's price. */
	qty = json_integer_value(json_object_get(item, "qty"));
	diff = unit_price - price->amount;
	if (diff != 0 && (diff == 1 || diff == -1) && qty > 0 &&
	    json_is_integer(json_object_get(item, "line_total")) &&
	    (money_mul(unit_price, qty, &line) == -1 || line !=
	    json_integer_value(json_object_get(item, "line_total"))))
		return;
	if (diff != 0)
		ordercheck_problem(&v->oc, "price_mismatch", field,
		    "price_mismatch",
		    money_format(unit_price, cur->exponent, a, sizeof(a)),
		    cur->code, money_format(price->amount, cur->exponent, b,
		    sizeof(b)), cur->code);
}

/* Check the items; their sum in *subtotal, -1 when it cannot be known. */
static int
check_items(struct validator *v, json_t *order,
    const struct money_currency *cur, int64_t *subtotal)
{
	json_t *items, *item, *qty;
	char path[48], field[64], skufield[64], buf[64];
	size_t i;
	int64_t price, line;
	int known = 0, price_ok;

	*subtotal = 0;
	items = json_object_get(order, "items");
	if (items == NULL || json_is_null(items)) {
		ordercheck_problem(&v->oc, "missing_field", "items", "missing",
		    "items");
		return -1;
	}
	if (!json_is_array(items)) {
		ordercheck_problem(&v->oc, "bad_type", "items", "not_array",
		    "items");
		return -1;
	}
	if (json_array_size(items) == 0) {
		ordercheck_problem(&v->oc, "no_items", "items", "no_items");
		return -1;
	}
	json_array_foreach(items, i, item) {
		snprintf(path, sizeof(path), "items[%zu]", i);
		if (!json_is_object(item)) {
			ordercheck_problem(&v->oc, "bad_type", path,
			    "not_object_item", path);
			known = -1;
			continue;
		}
		snprintf(field, sizeof(field), "%s.qty", path);
		qty = json_object_get(item, "qty");
		if (qty == NULL || json_is_null(qty)) {
			ordercheck_problem(&v->oc, "missing_field", field,
			    "missing", field);
			known = -1;
		} else if (!json_is_integer(qty) ||
		    json_integer_value(qty) < 1) {
			ordercheck_problem(&v->oc, "bad_qty", field, "bad_qty",
			    ordercheck_show(qty, buf, sizeof(buf)));
			known = -1;
		} else if (json_integer_value(qty) > v->max_qty) {
			ordercheck_problem(&v->oc, "qty_too_large", field,
			    "qty_too_large",
			    ordercheck_show(qty, buf, sizeof(buf)), v->max_qty);
			known = -1;
		}
		snprintf(field, sizeof(field), "%s.unit_price", path);
		price_ok = ordercheck_amount(&v->oc, item, "unit_price", field,
		    1, &price) == 0;
		if (!price_ok)
			known = -1;
		ordercheck_same_currency(&v->oc, item, path, cur);
		if (!ordercheck_ships(item))
			;	/* a gift card, a line gone out: no stock */
		else if (v->have_catalog)
			check_catalog_item(v, item, path, cur, price, price_ok);
		else {
			/* Without a catalog to find it in, the SKU must still
			 * be one: order-reserve takes stock by it. */
			snprintf(skufield, sizeof(skufield), "%s.sku", path);
			if (json_object_get(item, "sku") == NULL ||
			    json_is_null(json_object_get(item, "sku")) ||
			    (json_is_string(json_object_get(item, "sku")) &&
			    !ordercheck_string(&v->oc, item, "sku", skufield,
			    0)))
				ordercheck_problem(&v->oc, "missing_field",
				    skufield, "no_sku");
			else
				ordercheck_string(&v->oc, item, "sku",
				    skufield, 1);
		}
		if (known == 0 &&
		    (money_mul(price, json_integer_value(qty), &line) == -1 ||
		    money_add(*subtotal, line, subtotal) == -1)) {
			ordercheck_problem(&v->oc, "amount_overflow", field,
			    "amount_overflow");
			known = -1;
		}
	}
	return known;
}

static void
check_totals(struct validator *v, json_t *order,
    const struct money_currency *cur, int64_t items_sum, int items_known)
{
	json_t *totals;
	int64_t subtotal, shipping, discount, tax, total, want;
	int ok = 0, have_subtotal;
	char a[48], b[48];
	int exp = cur ? cur->exponent : 2;

	if ((totals = ordercheck_object(&v->oc, order, "totals", "totals",
	    1)) == NULL)
		return;
	ordercheck_same_currency(&v->oc, totals, "totals", cur);
	have_subtotal = json_object_get(totals, "subtotal") != NULL &&
	    !json_is_null(json_object_get(totals, "subtotal"));
	ok |= ordercheck_amount(&v->oc, totals, "subtotal", "totals.subtotal",
	    0, &subtotal);
	ok |= ordercheck_amount(&v->oc, totals, "shipping", "totals.shipping",
	    0, &shipping);
	ok |= ordercheck_amount(&v->oc, totals, "discount", "totals.discount",
	    0, &discount);
	ok |= ordercheck_amount(&v->oc, totals, "tax", "totals.tax", 0, &tax);
	ok |= ordercheck_amount(&v->oc, totals, "total", "totals.total", 1,
	    &total);
	if (items_known == 0) {
		if (!have_subtotal) {
			/* Left out: it is the items' sum, filled in. */
			ordercheck_change(&v->oc, totals, "subtotal",
			    json_integer(items_sum));
			subtotal = items_sum;
		} else if (json_is_integer(json_object_get(totals,
		    "subtotal")) && subtotal >= 0 && subtotal != items_sum)
			ordercheck_problem(&v->oc, "subtotal_mismatch",
			    "totals.subtotal", "subtotal_mismatch",
			    money_format(subtotal, exp, a, sizeof(a)),
			    money_format(items_sum, exp, b, sizeof(b)));
	}
	if (ok != 0 || (!have_subtotal && items_known != 0))
		return;
	if (money_add(subtotal, shipping, &want) == -1 ||
	    money_add(want, -discount, &want) == -1 ||
	    money_add(want, tax, &want) == -1) {
		ordercheck_problem(&v->oc, "amount_overflow", "totals.total",
		    "amount_overflow");
		return;
	}
	if (want < 0)
		ordercheck_problem(&v->oc, "negative_amount", "totals.total",
		    "negative_amount", "subtotal + shipping - discount + tax",
		    money_format(want, exp, a, sizeof(a)));
	else if (want != total)
		ordercheck_problem(&v->oc, "total_mismatch", "totals.total",
		    "total_mismatch", money_format(total, exp, a, sizeof(a)),
		    money_format(want, exp, b, sizeof(b)));
}

static void
check_time(struct validator *v, json_t *order, const char *key)
{
	const char *s;
	int64_t epoch;
	int offset;

	if ((s = ordercheck_string(&v->oc, order, key, key, 0)) == NULL)
		return;
	if (rfc3339_parse(s, &epoch, &offset) == -1)
		ordercheck_problem(&v->oc, "bad_time", key, "bad_time", key, s);
}

/* Where the source hides buyers' contacts, none is expected, and one that
 * is there but malformed is a warning: the errors from index from on. */
static void
soften_contact(struct validator *v, json_t *order, size_t from)
{
	json_t *e, *warnings;
	const char *code;

	while (from < json_array_size(v->oc.errors)) {
		e = json_array_get(v->oc.errors, from);
		code = json_string_value(json_object_get(e, "code"));
		if (code == NULL || (strcmp(code, "no_contact") != 0 &&
		    strcmp(code, "bad_email") != 0 &&
		    strcmp(code, "email_typo") != 0 &&
		    strcmp(code, "bad_phone") != 0)) {
			from++;
			continue;
		}
		if (strcmp(code, "no_contact") != 0) {
			if (!json_is_array(json_object_get(order, "warnings")))
				jsonx_set_new(order, "warnings", json_array());
			warnings = json_object_get(order, "warnings");
			jsonx_append_new(warnings, json_incref(e));
		}
		if (json_array_remove(v->oc.errors, from) == -1)
			xnomem();
	}
}

/* Fill shipping.KEY from the profile when the record has none: set now
 * (the checks read it), taken out again by unset_default() if the record
 * is rejected.  1 when it was set. */
static int
set_default(json_t *order, const char *key, const char *value)
{
	json_t *shipping = json_object_get(order, "shipping");

	if (value == NULL || !json_is_object(shipping) ||
	    (json_object_get(shipping, key) != NULL &&
	    !json_is_null(json_object_get(shipping, key))))
		return 0;
	jsonx_set_new(shipping, key, json_string(value));
	return 1;
}

static void
unset_default(json_t *order, const char *key, int was_set)
{
	if (was_set)
		json_object_del(json_object_get(order, "shipping"), key);
}

/* 1 when the record passes. */
static int
validate_order(struct validator *v, json_t *order)
{
	const struct money_currency *cur;
	const struct profile *p;
	const char *country;
	char cc[3];
	int64_t items_sum;
	size_t before;
	int known, set_method, set_carrier;

	p = v->profile = profile_of(v->profiles, order);
	v->oc.source = p->source[0] != '\0' ? p->source : NULL;
	/* What the export says happened decides first: an order the shop
	 * has nothing more to do for is held for that alone. */
	ordercheck_source(&v->oc, order, p);
	allow_apply(&v->allow, p, order, v->oc.errors);
	if (json_array_size(v->oc.errors) > 0)
		return 0;
	/* An order the marketplace ships needs nothing of the shop. */
	set_method = set_default(order, "method", p->ship_method);
	set_carrier = set_default(order, "carrier", p->carrier);
	check_id(v, order);
	check_time(v, order, "created_at");
	cur = ordercheck_currency(&v->oc, order);
	ordercheck_shipping(&v->oc, order, &country, cc);
	/* A pickup order may carry no address: a national phone number is
	 * then read in the country of the order's currency, when only one
	 * country uses it (RUB, UAH, PLN; not EUR or USD). */
	if (country == NULL && cur != NULL)
		country = country_of_currency(cur->code);
	before = json_array_size(v->oc.errors);
	ordercheck_customer(&v->oc, order, country);
	if (p->hides_contact)
		soften_contact(v, order, before);
	ordercheck_payment(&v->oc, order);
	known = check_items(v, order, cur, &items_sum);
	check_totals(v, order, cur, items_sum, known);
	allow_apply(&v->allow, p, order, v->oc.errors);
	if (json_array_size(v->oc.errors) == 0)
		return 1;
	unset_default(order, "method", set_method);
	unset_default(order, "carrier", set_carrier);
	return 0;
}

/* The key of the duplicate check, "SOURCE\037ID", of a record that
 * passed: a new string, its length in *lenp; NULL when it has no id. */
static char *
dup_key(const json_t *order, size_t *lenp)
{
	const char *key, *src;
	char idbuf[JSONL_ID_BUF], *dupkey;
	size_t keylen, srclen;

	key = jsonl_id_text(json_object_get(order, "id"), idbuf, &keylen);
	if (key == NULL)
		return NULL;
	/* Two channels, or two stores, may both have a #1001. */
	src = json_string_value(json_object_get(order, "source"));
	srclen = src != NULL ? strlen(src) : 0;
	dupkey = xmalloc(srclen + 1 + keylen);
	memcpy(dupkey, src != NULL ? src : "", srclen);
	dupkey[srclen] = '\037';
	memcpy(dupkey + srclen + 1, key, keylen);
	*lenp = srclen + 1 + keylen;
	return dupkey;
}

/* The record's id was first seen on line first: the problem. */
static void
duplicate(struct validator *v, const json_t *order, unsigned long first)
{
	char idbuf[JSONL_ID_BUF], idtext[64];
	const char *key;
	size_t keylen;

	key = jsonl_id_text(json_object_get(order, "id"), idbuf, &keylen);
	snprintf(idtext, sizeof(idtext), "%.60s", key);
	ordercheck_problem(&v->oc, "duplicate_id", "id", "duplicate_id",
	    idtext, first);
}

/* --jobs: the run as the workers and the writer share it. */
struct run {
	struct validator	*v;		/* the writer's */
	struct validator	 proto;		/* the workers' start: a copy
					 * made before any runs */
	struct reject_stream	*rejects;
	const struct jsonl_reader *in;
	unsigned long		 counts[3];	/* the batches' summed */
};

enum { COUNT_RECORDS, COUNT_OUT, COUNT_CSV };

struct worker {
	struct validator	 v;		/* its own problems, changes */
	const struct run	*run;
};

static void *
worker_start(void *arg)
{
	const struct run *r = arg;
	struct worker *w = xmalloc(sizeof(*w));

	/* The catalog, profiles and --allow are shared, only read; the
	 * problems and changes are the worker's. */
	w->v = r->proto;
	w->run = r;
	memset(&w->v.ids, 0, sizeof(w->v.ids));
	ordercheck_init(&w->v.oc, r->proto.oc.lang);
	w->v.oc.country = r->proto.oc.country;
	return w;
}

static void
worker_stop(void *state)
{
	struct worker *w = state;

	ordercheck_release(&w->v.oc);
	free(w);
}

/* A line on a worker: what the loop of main() does, but for the
 * duplicate check, which keyed() makes in input order. */
static void
worker_line(void *state, struct pipeline_batch *b, size_t i)
{
	struct worker *wk = state;
	struct validator *w = &wk->v;
	const struct run *r = wk->run;
	const struct pipeline_line *l = &b->lines[i];
	const char *line = b->text + l->off;
	json_t *order;
	char *key;
	size_t keylen;

	if ((order = reject_batch_record(r->rejects, &b->rejects,
	    r->in, l->file, l->lineno, line, l->len)) == NULL) {
		b->counts[COUNT_CSV] |= jsonl_csv_like(line, l->len);
		return;
	}
	b->counts[COUNT_RECORDS]++;
	if (validate_order(w, order)) {
		if ((key = dup_key(order, &keylen)) != NULL) {
			pipeline_key(b, i, key, keylen);
			free(key);
		}
		ordercheck_apply(&w->oc, 1);
		status_move(order, "validated", r->proto.now);
		jsonl_encode(&b->out.buf, &b->out.cap, &b->out.len, order);
		jsonl_out_raw(&b->out, "\n", 1);
		b->counts[COUNT_OUT]++;
	} else {
		ordercheck_apply(&w->oc, 0);
		reject_batch_add(r->rejects, &b->rejects, order,
		    w->oc.errors);
		json_array_clear(w->oc.errors);
	}
	json_decref(order);
}

/* In input order: a duplicate is checked again here, as one thread
 * checks it, to reject it as one thread does. */
static int
keyed(void *arg, struct pipeline_batch *b, size_t i, const char *key,
    size_t len)
{
	struct run *r = arg;
	const struct pipeline_line *l = &b->lines[i];
	unsigned long first;
	json_t *order;

	if (strmap_add(&r->v->ids, key, len, l->lineno, &first))
		return 0;
	order = reject_record(r->rejects, r->in, l->file, l->lineno,
	    b->text + l->off, l->len);
	if (order == NULL || !validate_order(r->v, order))
		errx(EX_SOFTWARE, "line %lu: a record checked twice differs",
		    l->lineno);
	duplicate(r->v, order, first);
	ordercheck_apply(&r->v->oc, 0);
	reject_write(r->rejects, order, r->v->oc.errors);
	json_array_clear(r->v->oc.errors);
	json_decref(order);
	b->counts[COUNT_OUT]--;
	return 1;
}

static void
batch_done(void *arg, struct pipeline_batch *b)
{
	struct run *r = arg;

	r->counts[COUNT_RECORDS] += b->counts[COUNT_RECORDS];
	r->counts[COUNT_OUT] += b->counts[COUNT_OUT];
	r->counts[COUNT_CSV] |= b->counts[COUNT_CSV];
}

static const struct pipeline_ops validate_ops = {
	worker_start, worker_line, worker_stop, keyed, batch_done
};

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct validator v;
	struct jsonl_reader in;
	struct reject_stream rejects;
	struct run run;
	const char *catalog_path = NULL, *config_path = NULL;
	char errbuf[512], country[3] = "", *end, *line, *dupkey;
	unsigned long nout = 0, nrecords = 0, first;
	struct conf *conf;
	size_t len, keylen;
	int csv_like = 0, ok, jobs = pipeline_default_jobs();
	json_t *order;
	enum msg_lang lang = msg_lang_env();
	int ch, status, offset, now_given = 0;

	valueblock_install();
	memset(&v, 0, sizeof(v));
	v.max_qty = 1000;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_ALLOW:
			if (allow_parse(&v.allow, optarg) == -1)
				cli_usage_error(&cli, "--allow '%s' is not a "
				    "list of error codes separated by ','",
				    optarg);
			break;
		case OPT_CATALOG:
			catalog_path = optarg;
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_COUNTRY:
			if (strlen(optarg) == 2) {
				country[0] = toupper((unsigned char)optarg[0]);
				country[1] = toupper((unsigned char)optarg[1]);
				country[2] = '\0';
			}
			if (strlen(optarg) != 2 || country_find(country) == NULL)
				cli_usage_error(&cli, "--country '%s' is not an "
				    "ISO 3166-1 alpha-2 code", optarg);
			break;
		case OPT_IGNORE:
			v.ignore_price = 1;
			break;
		case OPT_JOBS:
			if ((jobs = pipeline_jobs(optarg)) == -1)
				cli_usage_error(&cli, "--jobs '%s' is not a "
				    "number from 1 to 1024", optarg);
			break;
		case OPT_LANG:
			if (msg_lang_parse(optarg, &lang) == -1)
				cli_usage_error(&cli, "--lang '%s' is not en, "
				    "ru or uk", optarg);
			break;
		case OPT_MAXQTY:
			errno = 0;
			v.max_qty = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v.max_qty < 1)
				cli_usage_error(&cli, "--max-qty '%s' is not a "
				    "whole number of 1 or more", optarg);
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &v.now, &offset) == -1)
				cli_usage_error(&cli, "--now '%s' is not an RFC "
				    "3339 time with an offset", optarg);
			now_given = 1;
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (!now_given)
		v.now = (int64_t)time(NULL);
	if (catalog_path != NULL) {
		if ((status = catalog_load(&v.catalog, catalog_path, errbuf,
		    sizeof(errbuf))) != 0)
			errx(status, "%s", errbuf);
		v.have_catalog = 1;
	}
	conf = conf_load(config_path);			/* exits 78 */
	v.profiles = profile_load(conf);
	reject_open(&rejects, cli.rejects_path);
	/* After everything that may exit early: nothing to free there. */
	ordercheck_init(&v.oc, lang);
	reject_set_lang(lang);
	if (country[0] != '\0')
		v.oc.country = country;
	cli_need_input(&cli, argc - optind);
	jsonl_open(&in, argc - optind, argv + optind);
	in.lang = v.oc.lang;
	strmap_init(&v.ids);
	if (jobs > 1) {
		memset(&run, 0, sizeof(run));
		run.v = &v;
		run.proto = v;
		run.rejects = &rejects;
		run.in = &in;
		pipeline_run(&in, jobs, &validate_ops, &run, stdout, &rejects);
		nrecords = run.counts[COUNT_RECORDS];
		nout = run.counts[COUNT_OUT];
		csv_like = run.counts[COUNT_CSV];
	}
	while (jobs == 1 && (line = jsonl_line(&in, &len)) != NULL) {
		if ((order = reject_record(&rejects, &in,
		    jsonl_input_name(&in), in.lineno, line, len)) == NULL) {
			csv_like |= jsonl_csv_like(line, len);
			continue;
		}
		nrecords++;
		ok = validate_order(&v, order);
		if (ok && (dupkey = dup_key(order, &keylen)) != NULL) {
			if (!strmap_add(&v.ids, dupkey, keylen, in.lineno,
			    &first)) {
				duplicate(&v, order, first);
				ok = 0;
			}
			free(dupkey);
		}
		if (ok) {
			ordercheck_apply(&v.oc, 1);
			status_move(order, "validated", v.now);
			jsonl_write(stdout, order);
			nout++;
		} else {
			ordercheck_apply(&v.oc, 0);
			reject_write(&rejects, order, v.oc.errors);
			json_array_clear(v.oc.errors);
		}
		json_decref(order);
	}
	ordercheck_release(&v.oc);
	strmap_release(&v.ids);
	allow_release(&v.allow);
	profile_free(v.profiles);
	conf_free(conf);
	if (v.have_catalog)
		catalog_release(&v.catalog);
	valueblock_release();
	status = jsonl_close(&in);
	if (nrecords == 0 && csv_like) {
		warnx("no line of the input is an order record; this looks "
		    "like a CSV export: run order-import first");
		status = cli_worse(status, EX_DATAERR);
	}
	cli_count("read", in.nlines);
	cli_count("valid", nout);
	return cli_finish(&cli, status, &rejects, "%lu read, %lu valid, "
	    "%lu rejected", in.nlines, nout, rejects.count);
}
