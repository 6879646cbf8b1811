/* record.c: an assembled order checked and written as a record. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "countryname.h"
#include "import.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "utf8.h"
#include "xalloc.h"

/* The currency a value's sign names, "" when none. */
static void
amount_code(const struct import_value *v, char decimal, char *code)
{
	int64_t minor;

	code[0] = '\0';
	if (v->text != NULL)
		(void)money_parse_marked(v->text, 0, decimal, &minor, code);
}

struct money_ctx {
	struct import_order		*o;
	const struct money_currency	*cur;
	char				 decimal;
};

/* The path of field name of item (-1: of the order) in buf. */
static const char *
field_path(char *buf, size_t len, long item, const char *name)
{
	if (item >= 0)
		snprintf(buf, len, "items[%ld].%s", item, name);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/* Read the amount of v into *out; problems go to the order's errors,
 * for field name of item (-1: of the order). */
static int
amount(struct money_ctx *mc, const struct import_value *v, long item,
    const char *name, int64_t *out)
{
	char code[4], f[64];
	int64_t minor;
	int r;

	r = money_parse_marked(v->text, mc->cur != NULL ? mc->cur->exponent :
	    0, mc->decimal, &minor, code);
	if (r == MONEY_EMARK) {
		import_order_error(mc->o, "bad_amount",
		    field_path(f, sizeof(f), item, name),
		    "line %lu: '%s' is not an amount", v->line, v->text);
		return -1;
	}
	if (mc->cur == NULL)
		return -1;
	if (code[0] != '\0' && strcmp(code, mc->cur->code) != 0) {
		import_order_error(mc->o, "currency_mismatch",
		    field_path(f, sizeof(f), item, name),
		    "line %lu: '%s' is in %s, but the order is in %s", v->line,
		    v->text, code, mc->cur->code);
		return -1;
	}
	switch (r) {
	case MONEY_OK:
		*out = minor;
		return 0;
	case MONEY_EPREC:
		import_order_error(mc->o, "bad_precision",
		    field_path(f, sizeof(f), item, name),
		    "line %lu: '%s' has more decimals than %s has (%d)",
		    v->line, v->text, mc->cur->code, mc->cur->exponent);
		return -1;
	case MONEY_ERANGE:
		import_order_error(mc->o, "bad_amount",
		    field_path(f, sizeof(f), item, name),
		    "line %lu: '%s' is too large", v->line, v->text);
		return -1;
	default:
		import_order_error(mc->o, "bad_amount",
		    field_path(f, sizeof(f), item, name),
		    "line %lu: '%s' is not an amount", v->line, v->text);
		return -1;
	}
}

/* More than any order line holds: a quantity beyond it is a mistake (a
 * price or an EAN in the wrong column), not a count.  order-validate's
 * --max-qty (1000 by default) sets the shop's own limit. */
#define MAX_QTY		1000000

/* What parse_qty() found. */
enum { QTY_OK, QTY_BAD, QTY_AMBIGUOUS, QTY_HUGE };

/* "1,000" or "1.000" as money_parse() reads it without a decimal
 * separator named: one separator, then three digits, which group
 * thousands if the separator is not the decimal one. */
static int
lone_thousands(const char *s)
{
	size_t n;

	s += strspn(s, " \t+-");
	n = strspn(s, "0123456789");
	if (n < 1 || n > 3 || *s == '0' || (s[n] != '.' && s[n] != ','))
		return 0;
	s += n + 1;
	if (strspn(s, "0123456789") != 3)
		return 0;
	s += 3;
	return s[strspn(s, " \t")] == '\0';
}

/* A count of units: "2", "+2", "2.0", and with the separators the
 * format's amounts have (decimal, then the one that groups thousands):
 * "1,000" is a thousand where the decimal separator is a point and one
 * where it is a comma.  Where the format names none, "1,000" could be
 * either and is QTY_AMBIGUOUS; "2.00" and "1.000.000" are not.  A sign
 * is read: the caller says what a count below 1 is. */
static int
parse_qty(const char *s, char decimal, int64_t *qty)
{
	const char *p = s;
	char code[4];
	int64_t v = 0;
	int n, huge = 0, r;

	/* The common case: digits alone. */
	p += strspn(p, " \t");
	if (*p == '+')
		p++;
	for (n = 0; isdigit((unsigned char)*p); p++, n++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			huge = 1;
		else if (!huge)
			v = v * 10 + (*p - '0');
	}
	if (n > 0 && p[strspn(p, " \t")] == '\0') {
		if (huge)
			return QTY_HUGE;
		*qty = v;
		return QTY_OK;
	}
	r = money_parse_marked(s, 0, decimal, &v, code);
	if (r == MONEY_EMARK || code[0] != '\0')
		return QTY_BAD;
	if (decimal != '.' && decimal != ',' && lone_thousands(s))
		return QTY_AMBIGUOUS;
	switch (r) {
	case MONEY_OK:
		*qty = v;
		return QTY_OK;
	case MONEY_ERANGE:
		return QTY_HUGE;
	default:
		return QTY_BAD;		/* a fraction, or no number */
	}
}

/* Whether the item's line, or its order, is cancelled: Amazon writes a
 * quantity of 0 there. */
static int
cancelled(const struct import_order *o, const struct import_item *it)
{
	static const char *const words[] = { "cancel", "storn", "отмен",
	    "скасов" };
	const char *texts[2];
	char *lower;
	size_t i, j;
	int found = 0;

	if (o->v[IMPORT_CANCELLED_AT].text != NULL)
		return 1;
	texts[0] = it->v[IMPORT_ITEM_STATUS - IMPORT_ITEM_ID].text;
	texts[1] = o->v[IMPORT_STATUS_ORDER].text;
	for (i = 0; i < 2 && !found; i++) {
		if (texts[i] == NULL)
			continue;
		lower = utf8_lower(texts[i]);
		for (j = 0; j < sizeof(words) / sizeof(words[0]); j++)
			if (strstr(lower, words[j]) != NULL)
				found = 1;
		free(lower);
	}
	return found;
}

/* Does the lower-case text hold word: as a whole word when it is short,
 * anywhere when it is long enough not to hide in other words. */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	if (n > 4)
		return strstr(text, word) != NULL;
	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
		p++;
	}
	return 0;
}

/* What the source's words for a delivery mean; the first match wins. */
static const char *const ship_words[][2] = {
	{ "courier", "courier" }, { "pickup", "pickup" },
	{ "pick up", "pickup" }, { "pick-up", "pickup" },
	{ "click and collect", "pickup" }, { "click & collect", "pickup" },
	{ "самовывоз", "pickup" }, { "пвз", "pickup" },
	{ "пункт выдачи", "pickup" }, { "постамат", "pickup" },
	{ "postamat", "pickup" }, { "packstation", "pickup" },
	{ "abholung", "pickup" }, { "in store", "pickup" },
	{ "post", "post" }, { "почт", "post" }, { "пошт", "post" },
	{ "usps", "post" }, { "royal mail", "post" }, { "mail", "post" },
	{ "brief", "post" }, { "курьер", "courier" }, { "кур'єр", "courier" },
	{ "express", "courier" }, { "expedited", "courier" },
	{ "next day", "courier" }, { "same day", "courier" },
	{ "ups", "courier" }, { "fedex", "courier" }, { "dhl", "courier" },
	{ "dpd", "courier" }, { "gls", "courier" }, { "hermes", "courier" },
	{ "сдэк", "courier" }, { "cdek", "courier" }, { "delivery", "courier" },
	{ "доставка", "courier" }, { "pickup", "pickup" },
	{ NULL, NULL }
};

static const char *const pay_words[][2] = {
	{ "cash on delivery", "cod" }, { "cash_on_delivery", "cod" },
	{ "cod", "cod" }, { "наложенн", "cod" }, { "при получении", "cod" },
	{ "накладен", "cod" }, { "nachnahme", "cod" }, { "cash", "cod" },
	{ "installment", "installment" }, { "рассрочк", "installment" },
	{ "розстрочк", "installment" }, { "klarna", "installment" },
	{ "afterpay", "installment" }, { "affirm", "installment" },
	{ "сплит", "installment" }, { "долями", "installment" },
	{ "paypal", "wallet" }, { "wallet", "wallet" }, { "apple pay", "wallet" },
	{ "apple_pay", "wallet" }, { "google pay", "wallet" },
	{ "google_pay", "wallet" }, { "amazon pay", "wallet" },
	{ "yoomoney", "wallet" }, { "юmoney", "wallet" }, { "qiwi", "wallet" },
	{ "кошел", "wallet" }, { "гаманець", "wallet" },
	{ "bank", "bank" }, { "bacs", "bank" }, { "wire", "bank" },
	{ "transfer", "bank" }, { "überweisung", "bank" },
	{ "Überweisung", "bank" }, { "vorkasse", "bank" }, { "invoice", "bank" },
	{ "счет", "bank" }, { "счёт", "bank" }, { "сбп", "bank" },
	{ "sbp", "bank" }, { "cheque", "bank" },
	{ "card", "card" }, { "credit", "card" }, { "debit", "card" },
	{ "visa", "card" }, { "mastercard", "card" }, { "stripe", "card" },
	{ "shopify payments", "card" }, { "shopify_payments", "card" },
	{ "bogus", "card" }, { "online_cc", "card" }, { "cc", "card" },
	{ "карт", "card" }, { "kreditkarte", "card" },
	{ NULL, NULL }
};

static const char *
classify(const char *text, const char *const (*table)[2])
{
	/* Exports repeat the same few words order after order: one entry
	 * per table remembers the last answer. */
	static struct {
		const char *const (*table)[2];
		char		 text[64];
		const char	*word;
	} cache[2];
	char *lower;
	const char *word = NULL;
	int c = table == ship_words ? 0 : 1;

	if (text == NULL)
		return NULL;
	if (cache[c].table == table && strcmp(text, cache[c].text) == 0)
		return cache[c].word;
	lower = utf8_lower(text);
	for (const char *const (*t)[2] = table; (*t)[0] != NULL; t++)
		if (has_word(lower, (*t)[0])) {
			word = (*t)[1];
			break;
		}
	free(lower);
	if (strlen(text) < sizeof(cache[c].text)) {
		cache[c].table = table;
		strcpy(cache[c].text, text);
		cache[c].word = word;
	}
	return word;
}

/* The delivery method a source's text names ("courier", "post",
 * "pickup"), or NULL. */
static const char *
ship_method(const char *text)
{
	if (text == NULL)
		return NULL;
	if (strcasecmp(text, "courier") == 0 || strcasecmp(text, "post") == 0 ||
	    strcasecmp(text, "pickup") == 0)
		return strcasecmp(text, "post") == 0 ? "post" :
		    strcasecmp(text, "pickup") == 0 ? "pickup" : "courier";
	return classify(text, ship_words);
}

static const char *
pay_method(const char *text)
{
	static const char *const words[] = { "card", "wallet", "bank", "cod",
	    "installment" };
	size_t i;

	if (text == NULL)
		return NULL;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i]) == 0)
			return words[i];
	return classify(text, pay_words);
}

/* Text of the order: valid UTF-8 already (decoded and checked on the way
 * in), so not checked again. */
static void
put_text(json_t *obj, const char *key, const char *text)
{
	if (text != NULL && *text != '\0')
		jsonx_set_new(obj, key, json_stringn_nocheck(text,
		    strlen(text)));
}

/* Text without the apostrophe Excel's users type to keep zeros. */
static const char *
unquote(const char *s)
{
	if (s != NULL && *s == '\'')
		s++;
	return s;
}

/* "Color:Gray,Size:M", "[Size Type:Regular,Size (Men's):M]", "Color =
 * red; Size = M": options with lower-case names.  A part without a colon
 * belongs to the value before it. */
static json_t *
parse_variant(const char *text)
{
	json_t *v, *old;
	char *copy, *p, *part, *sep, *name, *value, *joined, *lname;
	size_t n;
	char *save = NULL;

	if ((v = json_object()) == NULL)
		xnomem();
	copy = xstrdup(text);
	p = copy;
	while (*p == ' ')
		p++;
	if (*p == '[' && p[strlen(p) - 1] == ']') {
		p[strlen(p) - 1] = '\0';
		p++;
	}
	lname = NULL;
	for (part = strtok_r(p, ",;|\n", &save); part != NULL;
	    part = strtok_r(NULL, ",;|\n", &save)) {
		sep = strpbrk(part, ":=");
		if (sep == NULL) {
			if (lname != NULL &&
			    (old = json_object_get(v, lname)) != NULL) {
				while (*part == ' ')
					part++;
				n = json_string_length(old) + strlen(part) + 3;
				joined = xmalloc(n);
				snprintf(joined, n, "%s, %s",
				    json_string_value(old), part);
				jsonx_set_new(v, lname,
				    jsonl_string_lossy(joined, strlen(joined)));
				free(joined);
			}
			continue;
		}
		*sep = '\0';
		name = part;
		value = sep + 1;
		while (*name == ' ')
			name++;
		for (n = strlen(name); n > 0 && name[n - 1] == ' '; n--)
			name[n - 1] = '\0';
		while (*value == ' ')
			value++;
		for (n = strlen(value); n > 0 && value[n - 1] == ' '; n--)
			value[n - 1] = '\0';
		if (*name == '\0')
			continue;
		free(lname);
		lname = utf8_lower(name);
		jsonx_set_new(v, lname, jsonl_string_lossy(value,
		    strlen(value)));
	}
	free(lname);
	free(copy);
	if (json_object_size(v) == 0)
		jsonx_set_new(v, "title", jsonl_string_lossy(text,
		    strlen(text)));
	return v;
}

/* "5.27763E+12": a long number after Excel rounded it. */
static int
excel_number(const char *s)
{
	if (s == NULL || !isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s) || *s == '.' || *s == ',')
		s++;
	if (*s != 'E' && *s != 'e')
		return 0;
	s++;
	if (*s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

static json_t *
reject_record(struct import_order *o)
{
	json_t *rec, *rows, *row;
	const char *id = o->v[IMPORT_ID].text ? o->v[IMPORT_ID].text : o->key;
	char *text;
	size_t i, len;

	if ((rec = json_object()) == NULL || (rows = json_array()) == NULL)
		xnomem();
	put_text(rec, "source", o->ctx->source);
	put_text(rec, "file", o->ctx->file);
	put_text(rec, "id", id);
	for (i = 0; i < o->nrows; i++) {
		if ((row = json_object()) == NULL)
			xnomem();
		jsonx_set_new(row, "line", json_integer(o->lines[i]));
		if (o->raws[i] != NULL)
			jsonx_set_new(row, "raw",
			    jsonl_string_lossy(o->raws[i], o->lens[i]));
		else if (o->ctx->raw != NULL && (text = o->ctx->raw(
		    o->ctx->raw_arg, o->offs[i], o->lens[i], &len)) != NULL) {
			jsonx_set_new(row, "raw",
			    jsonl_string_lossy(text, len));
			free(text);
		}
		if (json_array_append_new(rows, row) == -1)
			xnomem();
	}
	jsonx_set_new(rec, "rows", rows);
	return rec;
}

/* The order's currency, from its currency field, a sign beside its
 * amounts, or --currency. */
static const struct money_currency *
order_currency(struct import_order *o, char decimal)
{
	const struct money_currency *cur;
	const struct import_value *v = &o->v[IMPORT_CURRENCY];
	char code[4];
	int64_t minor;
	size_t i, j;

	if (v->text != NULL) {
		for (i = strlen(v->text); i > 0 && v->text[i - 1] == ' '; i--)
			;
		if ((cur = money_currency_anycase(v->text, i)) != NULL)
			return cur;
		(void)money_parse_marked(v->text, 0, 0, &minor, code);
		if (code[0] != '\0')
			return money_currency(code);
		import_order_error(o, "bad_currency", "currency",
		    "line %lu: '%s' is not an ISO 4217 currency code", v->line,
		    v->text);
		return NULL;
	}
	for (i = IMPORT_SUBTOTAL; i <= IMPORT_TOTAL; i++) {
		amount_code(&o->v[i], decimal, code);
		if (code[0] != '\0')
			return money_currency(code);
	}
	for (i = 0; i < o->nadds; i++) {
		amount_code(&o->adds[i].value, decimal, code);
		if (code[0] != '\0')
			return money_currency(code);
	}
	for (i = 0; i < o->nitems; i++)
		for (j = IMPORT_ITEM_PRICE; j <= IMPORT_ITEM_TAX; j++) {
			amount_code(&o->items[i].v[j - IMPORT_ITEM_ID],
			    decimal, code);
			if (code[0] != '\0')
				return money_currency(code);
		}
	if (o->ctx->currency != NULL)
		return money_currency(o->ctx->currency);
	if (o->ctx->no_prices)
		return NULL;
	import_order_error(o, "no_currency", "currency", "the order names "
	    "no currency and has no currency sign; give --currency");
	return NULL;
}

/* The value of item field f. */
#define IV(it, f)	(&(it)->v[(f) - IMPORT_ITEM_ID])

/* What an item's record holds, worked out before it is written: it may be
 * written twice. */
struct item_values {
	const json_t	*variant;	/* or NULL */
	int		 has_qty, has_price, has_discount, has_tax;
	int		 has_line_total;
	int64_t		 qty, price, discount, tax, line_total;
};

/* "TRUE", "yes", "1": 1; "false", "no", "0": 0; else -1. */
static int
yes_no(const char *s)
{
	static const char *const yes[] = { "true", "yes", "y", "1", NULL };
	static const char *const no[] = { "false", "no", "n", "0", NULL };
	size_t i;

	for (i = 0; s != NULL && yes[i] != NULL; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Who fulfils the order, from a channel's word for it: Amazon's AFN
 * (its own warehouses) and MFN (the merchant's). */
static const char *
fulfiller(const char *s)
{
	static const char *const market[] = { "afn", "amazon", "fba",
	    "marketplace", "fbo", "fbs", "fbw", NULL };
	static const char *const shop[] = { "mfn", "merchant", "seller",
	    "shop", "rfbs", "dbs", NULL };
	size_t i;

	for (i = 0; s != NULL && shop[i] != NULL; i++)
		if (strcasecmp(s, shop[i]) == 0)
			return "shop";
	for (i = 0; s != NULL && market[i] != NULL; i++)
		if (strcasecmp(s, market[i]) == 0)
			return "marketplace";
	return NULL;
}

static void
write_item(struct jsonl_out *w, const struct import_item *it,
    const struct item_values *iv)
{
	struct jsonl_mark m;

	jsonl_out_open(w, NULL, '{', &m);
	jsonl_out_text(w, "id", IV(it, IMPORT_ITEM_ID)->text);
	jsonl_out_text(w, "sku", IV(it, IMPORT_ITEM_SKU)->text);
	jsonl_out_text(w, "name", IV(it, IMPORT_ITEM_NAME)->text);
	if (iv->variant != NULL)
		jsonl_out_json(w, "variant", iv->variant);
	if (iv->has_qty)
		jsonl_out_int(w, "qty", iv->qty);
	if (iv->has_price)
		jsonl_out_int(w, "unit_price", iv->price);
	if (iv->has_discount)
		jsonl_out_int(w, "discount", iv->discount);
	if (iv->has_tax)
		jsonl_out_int(w, "tax", iv->tax);
	jsonl_out_text(w, "status", IV(it, IMPORT_ITEM_STATUS)->text);
	switch (yes_no(IV(it, IMPORT_ITEM_SHIPS)->text)) {
	case 1:
		jsonl_out_key(w, "requires_shipping");
		jsonl_out_raw(w, "true", 4);
		break;
	case 0:
		jsonl_out_key(w, "requires_shipping");
		jsonl_out_raw(w, "false", 5);
		break;
	}
	if (it->extra != NULL)
		jsonl_out_json(w, "extra", it->extra);
	if (iv->has_line_total)
		jsonl_out_int(w, "line_total", iv->line_total);
	jsonl_out_close(w, &m, '}', 0);
}

/* The sum of the items' discounts, as the items are written: 0 once it
 * would overflow. */
struct discount_sum {
	int64_t		 sum;
	int		 overflow;
};

static void
discount_add(struct discount_sum *ds, const struct item_values *iv)
{
	if (iv->has_discount && !ds->overflow &&
	    money_add(ds->sum, iv->discount, &ds->sum) == -1)
		ds->overflow = 1;
}

/* Write the item i: one, or two when a line total does not split into
 * equal unit prices (1.29 for 2: one at 0.65, one at 0.64), so that the
 * quantity and the money both stay exact. */
static void
make_item(struct money_ctx *mc, struct import_item *it, size_t i,
    int64_t *line_sum, struct discount_sum *ds, struct jsonl_out *w)
{
	struct import_order *o = mc->o;
	struct item_values iv;
	json_t *variant = NULL;
	char field[48];
	int64_t qty = -1, price = 0, total, discount, tax, rest = 0;
	int ok = 1, has_price = 0;

	memset(&iv, 0, sizeof(iv));
	if (IV(it, IMPORT_ITEM_VARIANT)->text != NULL)
		iv.variant = variant =
		    parse_variant(IV(it, IMPORT_ITEM_VARIANT)->text);
	else
		iv.variant = it->variant;
	if (IV(it, IMPORT_ITEM_QTY)->text == NULL) {
		import_order_error(o, "bad_qty", field_path(field,
		    sizeof(field), i, "qty"), "line %lu: no quantity",
		    it->line);
		ok = 0;
	} else switch (parse_qty(IV(it, IMPORT_ITEM_QTY)->text,
	    o->ctx->decimal, &qty)) {
	case QTY_OK:
		if (qty > MAX_QTY) {
			import_order_error(o, "qty_too_large", field_path(field,
			    sizeof(field), i, "qty"), "line %lu: quantity '%s' "
			    "is over %d, more than any order holds",
			    IV(it, IMPORT_ITEM_QTY)->line,
			    IV(it, IMPORT_ITEM_QTY)->text, MAX_QTY);
			qty = -1;
			ok = 0;
		} else if (qty < 0 || (qty == 0 && !cancelled(o, it))) {
			import_order_error(o, "bad_qty", field_path(field,
			    sizeof(field), i, "qty"), "line %lu: quantity '%s' "
			    "is below 1", IV(it, IMPORT_ITEM_QTY)->line,
			    IV(it, IMPORT_ITEM_QTY)->text);
			qty = -1;
			ok = 0;
		} else {
			iv.has_qty = 1;
			iv.qty = qty;
		}
		break;
	case QTY_HUGE:
		import_order_error(o, "qty_too_large", field_path(field,
		    sizeof(field), i, "qty"), "line %lu: quantity '%s' is too "
		    "large to be a number", IV(it, IMPORT_ITEM_QTY)->line,
		    IV(it, IMPORT_ITEM_QTY)->text);
		qty = -1;
		ok = 0;
		break;
	case QTY_AMBIGUOUS:
		import_order_error(o, "ambiguous_qty", field_path(field,
		    sizeof(field), i, "qty"), "line %lu: quantity '%s' reads "
		    "as thousands or as a fraction: the map names no decimal "
		    "separator (add a 'decimal' line)",
		    IV(it, IMPORT_ITEM_QTY)->line, IV(it, IMPORT_ITEM_QTY)->text);
		qty = -1;
		ok = 0;
		break;
	default:
		import_order_error(o, "bad_qty", field_path(field,
		    sizeof(field), i, "qty"), "line %lu: quantity "
		    "'%s' is not a whole number", IV(it, IMPORT_ITEM_QTY)->line,
		    IV(it, IMPORT_ITEM_QTY)->text);
		qty = -1;
		ok = 0;
		break;
	}
	if (IV(it, IMPORT_ITEM_PRICE)->text != NULL) {
		if (amount(mc, IV(it, IMPORT_ITEM_PRICE), i, "unit_price",
		    &price) == -1)
			ok = 0;
		else if (price < 0) {
			/* No format writes a discount as a negative price:
			 * each has a column for it. */
			import_order_error(o, "bad_amount", field_path(field,
			    sizeof(field), i, "unit_price"), "line %lu: "
			    "unit price '%s' is negative (a discount goes in "
			    "its own column)", IV(it, IMPORT_ITEM_PRICE)->line,
			    IV(it, IMPORT_ITEM_PRICE)->text);
			ok = 0;
		} else
			has_price = 1;
	} else if (IV(it, IMPORT_ITEM_LINE_TOTAL)->text != NULL) {
		if (amount(mc, IV(it, IMPORT_ITEM_LINE_TOTAL), i, "unit_price",
		    &total) == -1)
			ok = 0;
		else if (qty == 0 && total != 0) {
			import_order_error(o, "bad_amount", field_path(field,
			    sizeof(field), i, "unit_price"), "line %lu: "
			    "line total '%s' for a quantity of 0",
			    IV(it, IMPORT_ITEM_LINE_TOTAL)->line,
			    IV(it, IMPORT_ITEM_LINE_TOTAL)->text);
			ok = 0;
		} else if (total < 0) {
			import_order_error(o, "bad_amount", field_path(field,
			    sizeof(field), i, "unit_price"), "line %lu: "
			    "line total '%s' is negative",
			    IV(it, IMPORT_ITEM_LINE_TOTAL)->line,
			    IV(it, IMPORT_ITEM_LINE_TOTAL)->text);
			ok = 0;
		} else if (qty >= 0) {
			price = qty > 0 ? total / qty : 0;
			rest = qty > 0 ? total % qty : 0;
			has_price = 1;
		}
	} else if (qty == 0) {
		has_price = 1;		/* a cancelled line: nothing to pay */
	} else if (o->ctx->no_prices) {
		;			/* a report without prices */
	} else {
		import_order_error(o, "bad_amount", field_path(field,
		    sizeof(field), i, "unit_price"), "line %lu: no price",
		    it->line);
		ok = 0;
	}
	iv.has_price = has_price;
	iv.price = price;
	if (IV(it, IMPORT_ITEM_DISCOUNT)->text != NULL) {
		if (amount(mc, IV(it, IMPORT_ITEM_DISCOUNT), i, "discount",
		    &discount) == 0) {
			iv.has_discount = 1;
			iv.discount = discount < 0 ? -discount : discount;
		} else
			ok = 0;
	}
	if (IV(it, IMPORT_ITEM_TAX)->text != NULL) {
		if (amount(mc, IV(it, IMPORT_ITEM_TAX), i, "tax", &tax) == 0) {
			iv.has_tax = 1;
			iv.tax = tax;
		} else
			ok = 0;
	}
	if (ok && has_price && qty >= 0 &&
	    (money_mul(price, qty, &total) == -1 ||
	    money_add(total, rest, &total) == -1 ||
	    money_add(*line_sum, total, line_sum) == -1)) {
		import_order_error(o, "amount_overflow", field_path(field,
		    sizeof(field), i, "unit_price"),
		    "the amounts are too large to add up");
		ok = 0;
	}
	if (!ok)
		*line_sum = INT64_MIN;
	if (ok && rest > 0) {
		/* rest units one minor unit dearer: a second item. */
		iv.has_line_total = 1;
		iv.line_total = price * qty + rest;
		iv.qty = qty - rest;
		write_item(w, it, &iv);
		discount_add(ds, &iv);
		iv.qty = rest;
		iv.price = price + 1;
	}
	write_item(w, it, &iv);
	discount_add(ds, &iv);
	json_decref(variant);
}

/* An order total from its field or the sum of its += values; 0 when
 * absent (*has 0), -1 after an error. */
static int
order_amount(struct money_ctx *mc, int f, int64_t *out, int *has)
{
	struct import_order *o = mc->o;
	int64_t v;
	size_t i;
	int bad = 0;

	*out = 0;
	*has = 0;
	if (o->v[f].text != NULL) {
		*has = 1;
		return amount(mc, &o->v[f], -1, import_field_name(f), out);
	}
	for (i = 0; i < o->nadds; i++) {
		if (o->adds[i].field != f)
			continue;
		if (amount(mc, &o->adds[i].value, -1, import_field_name(f),
		    &v) == -1) {
			bad = 1;
			continue;
		}
		if (f == IMPORT_DISCOUNT && v < 0)
			v = -v;
		if (money_add(*out, v, out) == -1) {
			import_order_error(o, "amount_overflow",
			    import_field_name(f),
			    "the amounts are too large to add up");
			return -1;
		}
		*has = 1;
	}
	return bad ? -1 : 0;
}

/* Write the order's totals; nothing when an amount is bad. */
static void
make_totals(struct money_ctx *mc, int64_t items_sum, size_t nitems,
    int64_t items_discount, struct jsonl_out *w)
{
	struct jsonl_mark m;
	int64_t sub, ship, disc, tax, total, want, net;
	int hsub, hship, hdisc, htax, htotal, bad = 0;

	bad |= order_amount(mc, IMPORT_SUBTOTAL, &sub, &hsub);
	bad |= order_amount(mc, IMPORT_SHIPPING, &ship, &hship);
	bad |= order_amount(mc, IMPORT_DISCOUNT, &disc, &hdisc);
	bad |= order_amount(mc, IMPORT_TAX, &tax, &htax);
	bad |= order_amount(mc, IMPORT_TOTAL, &total, &htotal);
	if (bad || items_sum == INT64_MIN)
		return;
	if (disc < 0)
		disc = -disc;
	if (!hdisc && items_discount > 0) {
		disc = items_discount;	/* only the lines name discounts */
		hdisc = 1;
	}
	if (!hsub && nitems > 0) {
		sub = items_sum;
		hsub = 1;
	} else if (hsub && nitems > 0 && sub != items_sum &&
	    money_add(items_sum, -disc, &net) == 0 && net == sub)
		sub = items_sum;	/* a subtotal net of the discount */
	jsonl_out_open(w, "totals", '{', &m);
	if (hsub)
		jsonl_out_int(w, "subtotal", sub);
	jsonl_out_int(w, "shipping", ship);
	jsonl_out_int(w, "discount", disc);
	if (money_add(sub, ship, &want) == -1 ||
	    money_add(want, -disc, &want) == -1) {
		import_order_error(mc->o, "amount_overflow", "totals",
		    "the amounts are too large to add up");
		jsonl_out_drop(w, &m);
		return;
	}
	if (!htotal && htax && tax != 0 && mc->o->ctx->tax_added_in != NULL &&
	    strstr(mc->o->ctx->tax_added_in, mc->cur->code) == NULL) {
		/* Marketplaces outside North America show prices with VAT. */
		jsonl_out_int(w, "tax", 0);
		jsonl_out_int(w, "tax_included", tax);
		total = want;
	} else if (htotal && htax && tax != 0 && want == total) {
		/* Prices that include the tax: it is part of the total. */
		jsonl_out_int(w, "tax", 0);
		jsonl_out_int(w, "tax_included", tax);
	} else {
		jsonl_out_int(w, "tax", tax);
		if (!htotal && money_add(want, tax, &total) == -1) {
			import_order_error(mc->o, "amount_overflow", "totals",
			    "the amounts are too large to add up");
			jsonl_out_drop(w, &m);
			return;
		}
	}
	jsonl_out_int(w, "total", total);
	jsonl_out_close(w, &m, '}', 0);
}

/* What the export says happened already: when it shipped, the balance
 * still owed, what was refunded (a non-zero amount only). */
static void
source_state(struct money_ctx *mc, struct jsonl_out *w)
{
	struct import_order *o = mc->o;
	const struct import_value *v = o->v;
	char when[32];
	int64_t sum;
	int f, has;

	if (v[IMPORT_SHIPPED_AT].text != NULL) {
		if (import_time(o->ctx, v[IMPORT_SHIPPED_AT].text, when) == -1)
			import_order_error(o, "bad_date",
			    "source_status.shipped_at", "line %lu: '%s' is a "
			    "date in no known form", v[IMPORT_SHIPPED_AT].line,
			    v[IMPORT_SHIPPED_AT].text);
		else
			jsonl_out_text(w, "shipped_at", when);
	}
	for (f = IMPORT_OUTSTANDING; f <= IMPORT_REFUNDED; f++) {
		if (mc->cur == NULL || order_amount(mc, f, &sum, &has) == -1 ||
		    !has)
			continue;
		if (sum < 0)
			sum = -sum;	/* WooCommerce: "-10.00" */
		if (sum != 0)
			jsonl_out_int(w, f == IMPORT_OUTSTANDING ?
			    "outstanding" : "refunded", sum);
	}
}

int
import_order_finish(struct import_order *o, char **bufp, size_t *capp,
    size_t *lenp, json_t **reject)
{
	const struct import_ctx *ctx = o->ctx;
	struct money_ctx mc;
	struct jsonl_out w = { *bufp, *capp, *lenp, 0 };
	struct jsonl_mark top, customer, shipping, address, payment, items;
	struct jsonl_mark status;
	struct discount_sum ds = { 0, 0 };
	const struct import_value *v = o->v;
	const char *method, *text, *cc = NULL;
	char when[IMPORT_CANCELLED_AT + 1][32], name[512];
	int timed[IMPORT_CANCELLED_AT + 1] = { 0 };
	int64_t items_sum = 0;
	size_t i, start = *lenp;
	int f;

	*reject = NULL;
	mc.o = o;
	mc.decimal = ctx->decimal;
	if (v[IMPORT_ID].text == NULL)
		import_order_error(o, "missing_id", "id", "line %lu: no order "
		    "number", o->nrows > 0 ? o->lines[0] : 0UL);
	mc.cur = order_currency(o, ctx->decimal);
	jsonl_out_open(&w, NULL, '{', &top);
	jsonl_out_text(&w, "id", v[IMPORT_ID].text);
	jsonl_out_text(&w, "source", ctx->source);
	if (excel_number(v[IMPORT_SOURCE_ID].text))
		/* Excel made "5277630000000" of the id: no longer one. */
		import_order_extra(o, "source_id",
		    json_string(v[IMPORT_SOURCE_ID].text));
	else
		jsonl_out_text(&w, "source_id", v[IMPORT_SOURCE_ID].text);
	/* Each time read once: a payment's is often the order's. */
	for (f = IMPORT_CREATED_AT; f <= IMPORT_CANCELLED_AT; f++) {
		if (v[f].text == NULL)
			continue;
		if (f > IMPORT_CREATED_AT && timed[IMPORT_CREATED_AT] &&
		    strcmp(v[f].text, v[IMPORT_CREATED_AT].text) == 0) {
			memcpy(when[f], when[IMPORT_CREATED_AT],
			    sizeof(when[f]));
			timed[f] = 1;
		} else if (import_time(ctx, v[f].text, when[f]) == -1)
			import_order_error(o, "bad_date", import_field_name(f),
			    "line %lu: '%s' is a date in no known form",
			    v[f].line, v[f].text);
		else
			timed[f] = 1;
		if (timed[f] && f == IMPORT_CREATED_AT)
			jsonl_out_text(&w, "created_at", when[f]);
	}
	jsonl_out_text(&w, "status", "new");
	if (mc.cur != NULL)
		jsonl_out_text(&w, "currency", mc.cur->code);

	jsonl_out_open(&w, "customer", '{', &customer);
	text = v[IMPORT_CUSTOMER_NAME].text;
	if (text == NULL && (v[IMPORT_CUSTOMER_FIRST].text != NULL ||
	    v[IMPORT_CUSTOMER_LAST].text != NULL)) {
		snprintf(name, sizeof(name), "%s%s%s",
		    v[IMPORT_CUSTOMER_FIRST].text ?
		    v[IMPORT_CUSTOMER_FIRST].text : "",
		    v[IMPORT_CUSTOMER_FIRST].text &&
		    v[IMPORT_CUSTOMER_LAST].text ? " " : "",
		    v[IMPORT_CUSTOMER_LAST].text ?
		    v[IMPORT_CUSTOMER_LAST].text : "");
		text = name;
	}
	jsonl_out_text(&w, "name", text);
	jsonl_out_text(&w, "email", v[IMPORT_CUSTOMER_EMAIL].text);
	jsonl_out_text(&w, "phone", unquote(v[IMPORT_CUSTOMER_PHONE].text ?
	    v[IMPORT_CUSTOMER_PHONE].text : v[IMPORT_SHIP_PHONE].text));
	jsonl_out_close(&w, &customer, '}', 1);

	jsonl_out_open(&w, "shipping", '{', &shipping);
	method = ship_method(v[IMPORT_SHIP_METHOD].text);
	if (method == NULL)
		method = ship_method(v[IMPORT_SHIP_SERVICE].text);
	if (method == NULL && v[IMPORT_PICKUP_POINT].text != NULL)
		method = "pickup";
	if (method == NULL)
		method = ctx->ship_method;
	jsonl_out_text(&w, "method", method);
	jsonl_out_text(&w, "service", v[IMPORT_SHIP_SERVICE].text ?
	    v[IMPORT_SHIP_SERVICE].text : (v[IMPORT_SHIP_METHOD].text &&
	    ship_method(v[IMPORT_SHIP_METHOD].text) != NULL &&
	    strcasecmp(v[IMPORT_SHIP_METHOD].text, method) != 0 ?
	    v[IMPORT_SHIP_METHOD].text : NULL));
	jsonl_out_text(&w, "carrier", v[IMPORT_SHIP_CARRIER].text);
	jsonl_out_text(&w, "tracking", v[IMPORT_SHIP_TRACKING].text);
	jsonl_out_text(&w, "pickup_point", v[IMPORT_PICKUP_POINT].text);
	jsonl_out_text(&w, "name", v[IMPORT_SHIP_NAME].text);
	jsonl_out_text(&w, "phone", unquote(v[IMPORT_SHIP_PHONE].text));
	if (v[IMPORT_COUNTRY].text != NULL) {
		if ((cc = countryname_code(v[IMPORT_COUNTRY].text)) == NULL)
			import_order_error(o, "bad_country",
			    "shipping.address.country", "line %lu: '%s' is "
			    "no country this program knows; give an ISO code",
			    v[IMPORT_COUNTRY].line, v[IMPORT_COUNTRY].text);
	} else
		cc = ctx->country;
	jsonl_out_open(&w, "address", '{', &address);
	jsonl_out_text(&w, "country", cc);
	jsonl_out_text(&w, "region", v[IMPORT_REGION].text);
	jsonl_out_text(&w, "city", v[IMPORT_CITY].text);
	jsonl_out_text(&w, "postal_code", unquote(v[IMPORT_POSTAL_CODE].text));
	jsonl_out_text(&w, "line1", v[IMPORT_LINE1].text);
	jsonl_out_text(&w, "line2", v[IMPORT_LINE2].text);
	if (w.members == 1 && v[IMPORT_COUNTRY].text == NULL)
		jsonl_out_drop(&w, &address);		/* --country alone */
	else
		jsonl_out_close(&w, &address, '}', 1);
	jsonl_out_close(&w, &shipping, '}', 1);

	jsonl_out_open(&w, "payment", '{', &payment);
	method = pay_method(v[IMPORT_PAY_METHOD].text);
	jsonl_out_text(&w, "method", method);
	text = v[IMPORT_PAY_PROVIDER].text;
	if (text == NULL && v[IMPORT_PAY_METHOD].text != NULL &&
	    (method == NULL ||
	    strcasecmp(method, v[IMPORT_PAY_METHOD].text) != 0))
		text = v[IMPORT_PAY_METHOD].text;
	jsonl_out_text(&w, "provider", text);
	jsonl_out_text(&w, "transaction_id", v[IMPORT_PAY_TXN].text);
	jsonl_out_text(&w, "status", v[IMPORT_PAY_STATUS].text);
	if (timed[IMPORT_PAID_AT]) {
		jsonl_out_text(&w, "paid_at", when[IMPORT_PAID_AT]);
		/* A marketplace that gives a payment date has collected
		 * the money; it says so in no other column. */
		if (v[IMPORT_PAY_STATUS].text == NULL)
			jsonl_out_text(&w, "status", "paid");
	}
	jsonl_out_close(&w, &payment, '}', 1);

	jsonl_out_open(&w, "items", '[', &items);
	for (i = 0; i < o->nitems; i++)
		make_item(&mc, &o->items[i], i, &items_sum, &ds, &w);
	jsonl_out_close(&w, &items, ']', 0);
	if (mc.cur != NULL)
		make_totals(&mc, items_sum, o->nitems,
		    ds.overflow ? 0 : ds.sum, &w);

	jsonl_out_open(&w, "source_status", '{', &status);
	jsonl_out_text(&w, "order", v[IMPORT_STATUS_ORDER].text);
	jsonl_out_text(&w, "payment", v[IMPORT_STATUS_PAYMENT].text);
	jsonl_out_text(&w, "fulfillment", v[IMPORT_STATUS_FULFILLMENT].text);
	source_state(&mc, &w);
	jsonl_out_close(&w, &status, '}', 1);
	jsonl_out_text(&w, "fulfilled_by",
	    fulfiller(v[IMPORT_FULFILLED_BY].text));
	if (timed[IMPORT_CANCELLED_AT])
		jsonl_out_text(&w, "cancelled_at", when[IMPORT_CANCELLED_AT]);
	jsonl_out_text(&w, "note", v[IMPORT_NOTE].text);
	if (o->extra != NULL)
		jsonl_out_json(&w, "extra", o->extra);
	jsonl_out_close(&w, &top, '}', 0);
	jsonl_out_raw(&w, "\n", 1);

	*bufp = w.buf;
	*capp = w.cap;
	if (o->errors != NULL && json_array_size(o->errors) > 0) {
		*lenp = start;
		*reject = reject_record(o);
		return -1;
	}
	*lenp = w.len;
	return 0;
}
