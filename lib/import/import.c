/* import.c: maps, time, money and the assembly of one order's record. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "charset.h"
#include "countryname.h"
#include "exporttime.h"
#include "import.h"
#include "jsonl.h"
#include "mapfile.h"
#include "money.h"
#include "reject.h"
#include "rfc3339.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const field_names[IMPORT_NFIELDS] = {
	"id", "source_id", "created_at", "paid_at", "cancelled_at", "currency",
	"customer.name", "customer.first_name", "customer.last_name",
	"customer.email", "customer.phone",
	"shipping.name", "shipping.phone", "shipping.method",
	"shipping.service", "shipping.carrier", "shipping.tracking",
	"shipping.pickup_point", "shipping.address.country",
	"shipping.address.region", "shipping.address.city",
	"shipping.address.postal_code", "shipping.address.line1",
	"shipping.address.line2",
	"payment.method", "payment.provider", "payment.transaction_id",
	"payment.status", "source_status.order", "source_status.payment",
	"source_status.fulfillment", "note",
	"source_status.shipped_at", "source_status.outstanding",
	"source_status.refunded", "fulfilled_by",
	"totals.subtotal", "totals.shipping", "totals.discount", "totals.tax",
	"totals.total",
	"items.id", "items.sku", "items.name", "items.variant", "items.qty",
	"items.unit_price", "items.line_total", "items.discount", "items.tax",
	"items.status", "items.requires_shipping",
	"items.variant.", "items.extra.", "extra.", "ignore"
};

const char *
import_field_name(int field)
{
	return field >= 0 && field < IMPORT_NFIELDS ? field_names[field] : "?";
}

static int
is_money_field(int f)
{
	return (f >= IMPORT_SUBTOTAL && f <= IMPORT_TOTAL) ||
	    f == IMPORT_OUTSTANDING || f == IMPORT_REFUNDED ||
	    f == IMPORT_ITEM_PRICE || f == IMPORT_ITEM_LINE_TOTAL ||
	    f == IMPORT_ITEM_DISCOUNT || f == IMPORT_ITEM_TAX;
}

/* ---- maps ---- */

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static void
push(char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

static int
parse_field(const char *s, int *field, char **name)
{
	int f;
	size_t n;

	*name = NULL;
	for (f = 0; f < IMPORT_NFIELDS; f++) {
		n = strlen(field_names[f]);
		if (field_names[f][n - 1] == '.') {
			if (strncmp(s, field_names[f], n) == 0 && s[n] != '\0') {
				*field = f;
				*name = xstrdup(s + n);
				return 0;
			}
		} else if (strcmp(s, field_names[f]) == 0) {
			*field = f;
			return 0;
		}
	}
	return -1;
}

/* The settings a map has beside its fields, and whether each needs a
 * value; written "key = value", or "key value" as maps long were. */
static const struct {
	const char	*key;
	int		 needs_value;
} settings[] = {
	{ "source", 1 }, { "layout", 1 }, { "about", 0 }, { "delimiter", 1 },
	{ "encoding", 1 }, { "decimal", 1 }, { "time_zone", 1 },
	{ "zone", 1 }, { "date", 1 }, { "group", 1 }, { "require", 1 },
	{ "footers", 0 }, { "tax-added-in", 1 },
};

/* The index of key in settings[], or -1. */
static int
setting(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (strcmp(key, settings[i].key) == 0)
			return i;
	return -1;
}

int
import_map_parse(struct import_map *map, const char *text, const char *name,
    char *err, size_t errlen)
{
	struct mapfile mf;
	struct mapfile_entry e;
	struct import_rule *r;
	int field, minutes, set;
	char *optname;
	const char *word, *rest;

	memset(map, 0, sizeof(*map));
	mapfile_init(&mf, text);
	while (mapfile_next(&mf, &e)) {
		word = e.key;
		rest = e.value;
		set = setting(word);
		if (e.op != MAPFILE_BARE && set == -1) {
			if (parse_field(word, &field, &optname) == -1) {
				snprintf(err, errlen, "%s:%lu: unknown field '%s'",
				    name, e.line, word);
				goto fail;
			}
			if (*rest == '\0') {
				snprintf(err, errlen, "%s:%lu: no column after "
				    "'%s'", name, e.line, word);
				free(optname);
				goto fail;
			}
			/* Doubled at each power of two: a map of a million
			 * lines is read in one pass, not copied per line. */
			if ((map->nrules & (map->nrules - 1)) == 0)
				map->rules = xrealloc(map->rules,
				    (map->nrules ? map->nrules * 2 : 1) *
				    sizeof(*map->rules));
			r = &map->rules[map->nrules++];
			r->field = field;
			r->op = e.op == MAPFILE_ADD ? IMPORT_ADD :
			    e.op == MAPFILE_CONST ? IMPORT_CONST : IMPORT_SET;
			r->column = xstrdup(rest);
			r->name = optname;
			r->col = -1;
			continue;
		}
		if (set == -1 || (e.op != MAPFILE_SET &&
		    e.op != MAPFILE_BARE) || (settings[set].needs_value &&
		    *rest == '\0'))
			goto unread;
		if (strcmp(word, "source") == 0) {
			free(map->source);
			map->source = xstrdup(rest);
		} else if (strcmp(word, "layout") == 0) {
			free(map->layout);
			map->layout = xstrdup(rest);
		} else if (strcmp(word, "about") == 0) {
			free(map->about);
			map->about = xstrdup(rest);
		} else if (strcmp(word, "delimiter") == 0) {
			if (mapfile_delimiter(rest, &map->delimiter) == -1) {
				snprintf(err, errlen, "%s:%lu: bad delimiter '%s'",
				    name, e.line, rest);
				goto fail;
			}
		} else if (strcmp(word, "encoding") == 0 && *rest != '\0') {
			struct charset cs;

			if (charset_open(&cs, rest) == -1) {
				snprintf(err, errlen, "%s:%lu: unknown encoding "
				    "'%s'", name, e.line, rest);
				goto fail;
			}
			charset_close(&cs);
			free(map->encoding);
			map->encoding = xstrdup(rest);
		} else if (strcmp(word, "decimal") == 0) {
			if (strcmp(rest, ",") != 0 && strcmp(rest, ".") != 0)
				goto unread;
			map->decimal = rest[0];
		} else if (mapfile_is_zone(word)) {
			if (exporttime_zone(rest, &minutes) == -1) {
				snprintf(err, errlen, "%s:%lu: unknown zone '%s' "
				    "(use +HH:MM)", name, e.line, rest);
				goto fail;
			}
			map->zone = minutes;
			map->has_zone = 1;
		} else if (strcmp(word, "date") == 0) {
			push(&map->dates, &map->ndates, rest);
		} else if (strcmp(word, "group") == 0) {
			push(&map->group, &map->ngroup, rest);
		} else if (strcmp(word, "require") == 0) {
			push(&map->require, &map->nrequire, rest);
		} else if (strcmp(word, "footers") == 0) {
			if (*rest != '\0' && strcmp(rest, "yes") != 0 &&
			    strcmp(rest, "no") != 0)
				goto unread;
			map->footers = strcmp(rest, "no") != 0;
		} else {			/* tax-added-in */
			free(map->tax_added_in);
			map->tax_added_in = xstrdup(rest);
		}
		continue;
unread:
		snprintf(err, errlen, "%s:%lu: cannot read '%s%s%s%s%s'", name,
		    e.line, word, e.op != MAPFILE_BARE ? " " : "",
		    mapfile_op_name(e.op), *rest ? " " : "", rest);
		goto fail;
	}
	mapfile_release(&mf);
	if (map->source == NULL)
		map->source = xstrdup("generic");
	if (map->layout == NULL)
		map->layout = xstrdup(map->source);
	if (map->about == NULL)
		map->about = xstrdup("");
	if (map->ngroup == 0) {
		size_t i;

		for (i = 0; i < map->nrules; i++)
			if (map->rules[i].field == IMPORT_ID &&
			    map->rules[i].op != IMPORT_CONST)
				push(&map->group, &map->ngroup,
				    map->rules[i].column);
	}
	if (map->ngroup == 0) {
		snprintf(err, errlen, "%s: no 'id = COLUMN' or 'group = COLUMN' "
		    "line", name);
		import_map_release(map);
		return -1;
	}
	map->group_col = xcalloc(map->ngroup, sizeof(*map->group_col));
	return 0;
fail:
	mapfile_release(&mf);
	import_map_release(map);
	return -1;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
import_map_release(struct import_map *map)
{
	size_t i;

	free(map->source);
	free(map->layout);
	free(map->about);
	free(map->encoding);
	free(map->tax_added_in);
	free_list(map->dates, map->ndates);
	free_list(map->group, map->ngroup);
	free(map->group_col);
	free_list(map->require, map->nrequire);
	for (i = 0; i < map->nrules; i++) {
		free(map->rules[i].column);
		free(map->rules[i].name);
	}
	free(map->rules);
	free(map->used);
	memset(map, 0, sizeof(*map));
}

/* The header's names by their case keys (utf8_casekey()), each with the
 * index of the first column of that name: bound once, so that a map of
 * many rules takes as long as reading it. */
static long
find_column(const struct strmap *columns, const char *name)
{
	unsigned long *col;
	char *key;

	key = utf8_casekey(name);
	col = strmap_find(columns, key, strlen(key));
	free(key);
	return col != NULL ? (long)*col : -1;
}

/* "FIELD" or "FIELD:NAME", the key of a rule's target in buf. */
static const char *
target_key(char **buf, size_t *cap, int field, const char *name)
{
	size_t need = 16 + (name != NULL ? strlen(name) : 0);

	if (*cap < need) {
		*cap = need * 2;
		*buf = xrealloc(*buf, *cap);
	}
	if (name != NULL)
		snprintf(*buf, *cap, "%d:%s", field, name);
	else
		snprintf(*buf, *cap, "%d", field);
	return *buf;
}

static void
note_missing(char *missing, size_t len, int *nmissing, const char *name)
{
	size_t used = strlen(missing);

	if (used + 1 < len)
		snprintf(missing + used, len - used, "%s'%s'",
		    *nmissing > 0 ? ", " : "", name);
	(*nmissing)++;
}

int
import_map_bind(struct import_map *map, char *const *header, size_t n,
    char *missing, size_t len)
{
	struct strmap columns, bound;
	size_t i, cap = 0;
	int nmissing = 0, found;
	char *alt, *p, *save, *key, *buf = NULL;
	const char *k;

	missing[0] = '\0';
	free(map->used);
	map->used = xcalloc(n + 1, 1);
	map->ncolumns = n;
	strmap_init(&columns);
	for (i = 0; i < n; i++) {
		key = utf8_casekey(header[i]);
		strmap_add(&columns, key, strlen(key), i, NULL);
		free(key);
	}
	for (i = 0; i < map->nrules; i++) {
		struct import_rule *r = &map->rules[i];

		r->col = r->op == IMPORT_CONST ? -1 :
		    find_column(&columns, r->column);
		if (r->col >= 0)
			map->used[r->col] = 1;
	}
	for (i = 0; i < map->ngroup; i++) {
		map->group_col[i] = find_column(&columns, map->group[i]);
		if (map->group_col[i] >= 0)
			map->used[map->group_col[i]] = 1;
	}
	for (i = 0; i < map->nrequire; i++) {
		alt = xstrdup(map->require[i]);
		found = 0;
		for (p = strtok_r(alt, "|", &save); p != NULL;
		    p = strtok_r(NULL, "|", &save))
			if (find_column(&columns, trim(p)) >= 0)
				found = 1;
		free(alt);
		if (!found)
			note_missing(missing, len, &nmissing, map->require[i]);
	}
	strmap_release(&columns);
	if (!map->user)
		return nmissing;
	/* A map file's column must be there, unless another line for the
	 * same field names one that is: the fields (and items.variant.NAME
	 * and the like) that a column fills, looked up, not searched for. */
	strmap_init(&bound);
	for (i = 0; i < map->nrules; i++) {
		const struct import_rule *r = &map->rules[i];

		if (r->col < 0)
			continue;
		k = target_key(&buf, &cap, r->field, NULL);
		strmap_add(&bound, k, strlen(k), 0, NULL);
		if (r->name != NULL) {
			k = target_key(&buf, &cap, r->field, r->name);
			strmap_add(&bound, k, strlen(k), 0, NULL);
		}
	}
	for (i = 0; i < map->nrules; i++) {
		const struct import_rule *r = &map->rules[i];

		if (r->op == IMPORT_CONST || r->col >= 0)
			continue;
		k = target_key(&buf, &cap, r->field, r->name);
		if (strmap_find(&bound, k, strlen(k)) == NULL)
			note_missing(missing, len, &nmissing, r->column);
	}
	strmap_release(&bound);
	free(buf);
	found = 0;
	for (i = 0; i < map->ngroup; i++)
		if (map->group_col[i] >= 0)
			found = 1;
	if (!found)
		note_missing(missing, len, &nmissing, map->group[0]);
	return nmissing;
}

/* ---- the built-in layouts, in the --map file format ---- */

/* order-export's CSV, read back: scripts/maps/orderkit.map, the file
 * installed for --map, built in as it is (the Makefile makes import.o
 * depend on it), with a NUL after it. */
extern const char import_orderkit_map[];
__asm__(".pushsection .rodata\n"
    ".globl import_orderkit_map\n"
    "import_orderkit_map:\n"
    ".incbin \"scripts/maps/orderkit.map\"\n"
    ".byte 0\n"
    ".popsection\n");

static const char *const builtins[] = {
	/* Shopify: Admin > Orders > Export, one row per line item. */
	"source shopify\n"
	"layout shopify\n"
	"decimal .\n"
	"about Shopify admin orders_export.csv (one row per line item)\n"
	"require Name\nrequire Lineitem quantity\nrequire Lineitem name\n"
	"require Lineitem price\n"
	"group Name\n"
	"id = Name\nsource_id = Id\n"
	"created_at = Created at\npaid_at = Paid at\n"
	"cancelled_at = Cancelled at\ncurrency = Currency\n"
	"customer.email = Email\ncustomer.name = Billing Name\n"
	"customer.name = Shipping Name\ncustomer.phone = Phone\n"
	"customer.phone = Billing Phone\ncustomer.phone = Shipping Phone\n"
	"shipping.name = Shipping Name\nshipping.phone = Shipping Phone\n"
	"shipping.address.line1 = Shipping Address1\n"
	"shipping.address.line1 = Shipping Street\n"
	"shipping.address.line2 = Shipping Address2\n"
	"shipping.address.city = Shipping City\n"
	"shipping.address.postal_code = Shipping Zip\n"
	"shipping.address.region = Shipping Province Name\n"
	"shipping.address.region = Shipping Province\n"
	"shipping.address.country = Shipping Country\n"
	"shipping.service = Shipping Method\n"
	"payment.method = Payment Method\n"
	"payment.transaction_id = Payment Reference\n"
	"payment.transaction_id = Payment ID\n"
	"payment.status = Financial Status\n"
	"source_status.payment = Financial Status\n"
	"source_status.fulfillment = Fulfillment Status\n"
	"source_status.outstanding = Outstanding Balance\n"
	"source_status.refunded = Refunded Amount\n"
	"note = Notes\n"
	"totals.subtotal = Subtotal\ntotals.shipping = Shipping\n"
	"totals.tax = Taxes\ntotals.discount = Discount Amount\n"
	"totals.total = Total\n"
	"items.qty = Lineitem quantity\nitems.name = Lineitem name\n"
	"items.unit_price = Lineitem price\nitems.sku = Lineitem sku\n"
	"items.discount = Lineitem discount\n"
	"items.status = Lineitem fulfillment status\n"
	"items.extra.compare_at_price = Lineitem compare at price\n"
	"items.requires_shipping = Lineitem requires shipping\n"
	"items.extra.taxable = Lineitem taxable\n"
	"items.extra.vendor = Vendor\n"
	"shipping.pickup_point = Location\n"
	"date %Y-%m-%d %H:%M:%S %z\ndate %m/%d/%y %H:%M\n"
	"date %m/%d/%Y %H:%M\ndate %m/%d/%y %H:%M:%S\n",

	/* Amazon Seller Central order reports: "All Orders", the
	 * unshipped / new orders report, and FBA shipments. */
	"source amazon\n"
	"layout amazon\n"
	"decimal .\n"
	"about Amazon Seller Central order reports (All Orders, unshipped, "
	"new orders, FBA shipments)\n"
	"require amazon-order-id|order-id\nrequire purchase-date\n"
	"require sku\n"
	"require quantity|quantity-purchased|quantity-shipped\n"
	"group amazon-order-id\ngroup order-id\n"
	"id = amazon-order-id\nid = order-id\n"
	"created_at = purchase-date\npaid_at = payments-date\n"
	"currency = currency\n"
	"customer.email = buyer-email\ncustomer.name = buyer-name\n"
	"customer.name = recipient-name\n"
	"customer.phone = buyer-phone-number\n"
	"customer.phone = ship-phone-number\n"
	"shipping.name = recipient-name\nshipping.phone = ship-phone-number\n"
	"shipping.address.line1 = ship-address-1\n"
	"shipping.address.line2 = ship-address-2\n"
	"shipping.address.line2 += ship-address-3\n"
	"shipping.address.city = ship-city\n"
	"shipping.address.region = ship-state\n"
	"shipping.address.postal_code = ship-postal-code\n"
	"shipping.address.country = ship-country\n"
	"shipping.service = ship-service-level\n"
	"shipping.carrier = carrier\nshipping.tracking = tracking-number\n"
	"source_status.order = order-status\n"
	"fulfilled_by = fulfillment-channel\n"
	"items.id = order-item-id\nitems.id = amazon-order-item-id\n"
	"items.sku = sku\nitems.name = product-name\n"
	"items.qty = quantity-purchased\nitems.qty = quantity\n"
	"items.qty = quantity-shipped\n"
	"items.line_total = item-price\nitems.status = item-status\n"
	"totals.shipping += shipping-price\n"
	"totals.tax += item-tax\ntotals.tax += shipping-tax\n"
	"totals.discount += item-promotion-discount\n"
	"totals.discount += ship-promotion-discount\n"
	"items.extra.asin = asin\n"
	"items.extra.quantity-to-ship = quantity-to-ship\n"
	"tax-added-in USD CAD\n"
	"date %Y-%m-%dT%H:%M:%S%z\ndate %Y-%m-%d %H:%M:%S %z\n",

	/* Etsy: Shop Manager > Settings > Options > Download Data. */
	"source etsy\n"
	"layout etsy-items\n"
	"decimal .\n"
	"about Etsy EtsySoldOrderItems CSV (one row per item)\n"
	"require Order ID\nrequire Item Name\nrequire Quantity\n"
	"require Price\n"
	"group Order ID\nid = Order ID\n"
	"created_at = Sale Date\npaid_at = Date Paid\ncurrency = Currency\n"
	"customer.name = Ship Name\nshipping.name = Ship Name\n"
	"shipping.address.line1 = Ship Address1\n"
	"shipping.address.line2 = Ship Address2\n"
	"shipping.address.city = Ship City\n"
	"shipping.address.region = Ship State\n"
	"shipping.address.postal_code = Ship Zipcode\n"
	"shipping.address.country = Ship Country\n"
	"payment.method = Payment Type\n"
	"totals.shipping = Order Shipping\ntotals.tax = Order Sales Tax\n"
	"items.id = Transaction ID\nitems.sku = SKU\nitems.name = Item Name\n"
	"items.variant = Variations\nitems.qty = Quantity\n"
	"items.unit_price = Price\nitems.discount = Discount Amount\n"
	"ignore = Item Total\n"
	"items.extra.listing_id = Listing ID\n"
	"source_status.shipped_at = Date Shipped\n"
	"date %m/%d/%y\ndate %m/%d/%Y\n",

	"source etsy\n"
	"layout etsy-orders\n"
	"decimal .\n"
	"about Etsy EtsySoldOrders CSV (one row per order, no items)\n"
	"require Order ID\nrequire Order Total\nrequire Number of Items\n"
	"group Order ID\nid = Order ID\n"
	"created_at = Sale Date\ncurrency = Currency\n"
	"customer.name = Full Name\ncustomer.first_name = First Name\n"
	"customer.last_name = Last Name\nshipping.name = Full Name\n"
	"shipping.address.line1 = Street 1\n"
	"shipping.address.line2 = Street 2\n"
	"shipping.address.city = Ship City\n"
	"shipping.address.region = Ship State\n"
	"shipping.address.postal_code = Ship Zipcode\n"
	"shipping.address.country = Ship Country\n"
	"payment.method = Payment Method\n"
	"source_status.order = Status\n"
	"totals.subtotal = Order Value\ntotals.discount = Discount Amount\n"
	"totals.shipping = Shipping\ntotals.tax = Sales Tax\n"
	"totals.total = Order Total\n"
	"source_status.shipped_at = Date Shipped\n"
	"date %m/%d/%y\ndate %m/%d/%Y\n",

	/* eBay Seller Hub > Orders > Download report (English), also the
	 * older Selling Manager "Sales History" file. */
	"source ebay\n"
	"layout ebay\n"
	"decimal .\n"
	"about eBay Seller Hub orders report (English; also the older "
	"Sales History)\n"
	"footers\n"
	"require Sales Record Number\nrequire Quantity\n"
	"require Sold For|Sale Price\nrequire Total Price\n"
	"group Order Number\ngroup Order ID\ngroup Sales Record Number\n"
	"id = Order Number\nid = Order ID\nid = Sales Record Number\n"
	"created_at = Sale Date\npaid_at = Paid On Date\n"
	"customer.name = Buyer Name\ncustomer.name = Buyer Fullname\n"
	"customer.name = Ship To Name\n"
	"customer.email = Buyer Email\n"
	"customer.phone = Buyer Phone Number\ncustomer.phone = Ship To Phone\n"
	"shipping.name = Ship To Name\nshipping.phone = Ship To Phone\n"
	"shipping.address.line1 = Ship To Address 1\n"
	"shipping.address.line1 = Buyer Address 1\n"
	"shipping.address.line2 = Ship To Address 2\n"
	"shipping.address.line2 = Buyer Address 2\n"
	"shipping.address.city = Ship To City\n"
	"shipping.address.city = Buyer City\nshipping.address.city = City\n"
	"shipping.address.region = Ship To State\n"
	"shipping.address.region = Buyer State\n"
	"shipping.address.region = State\n"
	"shipping.address.postal_code = Ship To Zip\n"
	"shipping.address.postal_code = Buyer Zip\n"
	"shipping.address.postal_code = Zip Code\n"
	"shipping.address.country = Ship To Country\n"
	"shipping.address.country = Buyer Country\n"
	"shipping.address.country = Country\n"
	"shipping.service = Shipping Service\n"
	"shipping.tracking = Tracking Number\n"
	"payment.method = Payment Method\n"
	"payment.transaction_id = PayPal Transaction ID\n"
	"items.id = Transaction ID\nitems.sku = Custom Label\n"
	"items.extra.item_number = Item Number\n"
	"items.name = Item Title\nitems.variant = Variation Details\n"
	"items.qty = Quantity\nitems.unit_price = Sold For\n"
	"items.unit_price = Sale Price\n"
	"totals.shipping = Shipping And Handling\n"
	"totals.tax = eBay Collected Tax\ntotals.tax = Seller Collected Tax\n"
	"totals.tax = US Tax\n"
	"totals.total = Total Price\n"
	"source_status.shipped_at = Shipped on Date\n"
	"source_status.shipped_at = Shipped On Date\n"
	"date %b-%d-%y\ndate %b-%d-%Y\ndate %b %d, %Y\ndate %d-%b-%y\n",

	/* eBay.de Seller Hub > Bestellungen > Bericht herunterladen. */
	"source ebay\n"
	"layout ebay-de\n"
	"about eBay Seller Hub orders report in German (';', '116,99 €', "
	"'10-Dez-25')\n"
	"footers\n"
	"decimal ,\n"
	"require Verkaufsprotokollnummer\n"
	"require Anzahl|Stückzahl\n"
	"require Verkauft für|Verkaufspreis|Gesamtbetrag|Gesamtpreis\n"
	"group Bestellnummer\ngroup Verkaufsprotokollnummer\n"
	"id = Bestellnummer\nid = Verkaufsprotokollnummer\n"
	"created_at = Verkauft am\ncreated_at = Verkaufsdatum\n"
	"paid_at = Bezahlt am\npaid_at = Bezahldatum\n"
	"customer.name = Name des Käufers\n"
	"customer.name = Vollständiger Name des Käufers\n"
	"customer.name = Name des Empfängers\n"
	"customer.email = E-Mail des Käufers\n"
	"customer.phone = Telefonnummer des Empfängers\n"
	"customer.phone = Telefon des Empfängers\n"
	"shipping.name = Name des Empfängers\n"
	"shipping.phone = Telefonnummer des Empfängers\n"
	"shipping.address.line1 = Adresse 1 des Empfängers\n"
	"shipping.address.line1 = Empfängeradresse 1\n"
	"shipping.address.line1 = Adresse 1 des Käufers\n"
	"shipping.address.line1 = Käuferadresse 1\n"
	"shipping.address.line2 = Adresse 2 des Empfängers\n"
	"shipping.address.line2 = Empfängeradresse 2\n"
	"shipping.address.line2 = Adresse 2 des Käufers\n"
	"shipping.address.line2 = Käuferadresse 2\n"
	"shipping.address.city = Ort des Empfängers\n"
	"shipping.address.city = Ort des Käufers\n"
	"shipping.address.region = Bundesland des Empfängers\n"
	"shipping.address.region = Bundesland des Käufers\n"
	"shipping.address.region = Staat des Käufers\n"
	"shipping.address.postal_code = PLZ des Empfängers\n"
	"shipping.address.postal_code = Postleitzahl des Empfängers\n"
	"shipping.address.postal_code = PLZ des Käufers\n"
	"shipping.address.postal_code = Postleitzahl des Käufers\n"
	"shipping.address.country = Land des Empfängers\n"
	"shipping.address.country = Land des Käufers\n"
	"shipping.service = Versandservice\n"
	"shipping.tracking = Sendungsnummer\n"
	"payment.method = Zahlungsmethode\n"
	"payment.transaction_id = PayPal Transaktions-ID\n"
	"items.id = Transaktions-ID\nitems.sku = Bestandseinheit\n"
	"items.extra.item_number = Artikelnummer\n"
	"items.sku = Benutzerdefiniertes Label\n"
	"items.name = Angebotstitel\nitems.name = Artikelbezeichnung\n"
	"items.variant = Variantendetails\nitems.variant = Details zur Variante\n"
	"items.qty = Anzahl\nitems.qty = Stückzahl\n"
	"items.unit_price = Verkauft für\nitems.unit_price = Verkaufspreis\n"
	"totals.shipping = Verpackung und Versand\n"
	"totals.tax = Von eBay einbehaltene Steuer\n"
	"totals.total = Gesamtbetrag\ntotals.total = Gesamtpreis\n"
	"source_status.shipped_at = Verschickt am\n"
	"date %d-%b-%y\ndate %d.%m.%Y\ndate %d.%m.%y\ndate %d-%b-%Y\n",
	import_orderkit_map,
	NULL
};

const char *
import_builtin(size_t i)
{
	if (i >= sizeof(builtins) / sizeof(builtins[0]))
		return NULL;
	return builtins[i];
}

/* ---- time ---- */

int
import_time(const struct import_ctx *ctx, const char *s, char *out)
{
	struct exporttime t;

	if (exporttime_parse(s, (const char *const *)ctx->dates, ctx->ndates,
	    &t) == -1)
		return -1;
	if (!t.has_offset && t.has_time && !ctx->has_zone && !ctx->has_tz)
		((struct import_ctx *)ctx)->zoneless++;
	exporttime_format(&t, ctx->has_zone ? ctx->zone : ctx->has_tz ?
	    ctx->tz : 0, out);
	return 0;
}

/* ---- the order ---- */

/* An order's blocks stay small enough for malloc's per-thread cache: larger
 * ones make free() consolidate the heap over and over. */
#define ORDER_BLOCK	1000

struct import_order *
import_order_new(const struct import_ctx *ctx, const char *key, size_t len)
{
	struct import_order *o;

	o = xcalloc(1, sizeof(*o));
	o->texts.block = ORDER_BLOCK;
	o->ctx = ctx;
	o->key = xstrndup(key, len);
	return o;
}

static void
value_set(struct import_order *o, struct import_value *v, const char *text,
    unsigned long line)
{
	v->text = arena_strndup(&o->texts, text, strlen(text));
	v->line = line;
}

void
import_order_free(struct import_order *o)
{
	size_t i;

	if (o == NULL)
		return;
	free(o->key);
	free(o->adds);
	for (i = 0; i < o->nitems; i++) {
		json_decref(o->items[i].variant);
		json_decref(o->items[i].extra);
	}
	free(o->items);
	json_decref(o->extra);
	json_decref(o->errors);
	free(o->raws);
	free(o->offs);
	free(o->lens);
	free(o->lines);
	arena_release(&o->texts);
	free(o);
}

static size_t
add_row(struct import_order *o, unsigned long line)
{
	if (o->nrows == o->caprows) {
		o->caprows = o->caprows ? o->caprows * 2 : 4;
		o->lines = xrealloc(o->lines, o->caprows * sizeof(*o->lines));
		o->raws = xrealloc(o->raws, o->caprows * sizeof(*o->raws));
		o->offs = xrealloc(o->offs, o->caprows * sizeof(*o->offs));
		o->lens = xrealloc(o->lens, o->caprows * sizeof(*o->lens));
	}
	o->lines[o->nrows] = line;
	o->last = line;
	return o->nrows++;
}

void
import_order_row(struct import_order *o, unsigned long line, const char *raw,
    size_t len)
{
	size_t i = add_row(o, line);

	o->raws[i] = arena_strndup(&o->texts, raw, len);
	o->lens[i] = len;
	o->offs[i] = -1;
}

void
import_order_rowat(struct import_order *o, unsigned long line, long long off,
    size_t len)
{
	size_t i = add_row(o, line);

	o->raws[i] = NULL;
	o->offs[i] = off;
	o->lens[i] = len;
}

void
import_order_set(struct import_order *o, int field, int op, const char *text,
    unsigned long line)
{
	struct import_value *v;
	char *joined;
	size_t n;

	if (text == NULL || *text == '\0' || field < 0 ||
	    field >= IMPORT_NORDER)
		return;
	v = &o->v[field];
	if (op != IMPORT_ADD) {
		if (v->text == NULL)
			value_set(o, v, text, line);
		return;
	}
	if (is_money_field(field)) {
		if (o->nadds == o->capadds) {
			o->capadds = o->capadds ? o->capadds * 2 : 8;
			o->adds = xrealloc(o->adds,
			    o->capadds * sizeof(*o->adds));
		}
		o->adds[o->nadds].field = field;
		o->adds[o->nadds].value.text = arena_strdup(&o->texts, text);
		o->adds[o->nadds++].value.line = line;
		return;
	}
	if (v->text == NULL) {
		value_set(o, v, text, line);
	} else if (v->line == line) {
		n = strlen(v->text) + strlen(text) + 3;
		joined = xmalloc(n);
		snprintf(joined, n, "%s, %s", v->text, text);
		v->text = arena_strndup(&o->texts, joined, n - 1);
		free(joined);
	}
}

struct import_item *
import_item_add(struct import_order *o, unsigned long line)
{
	struct import_item *it;

	if (o->nitems == o->capitems) {
		o->capitems = o->capitems ? o->capitems * 2 : 4;
		o->items = xrealloc(o->items, o->capitems * sizeof(*o->items));
	}
	it = &o->items[o->nitems++];
	memset(it, 0, sizeof(*it));
	it->order = o;
	it->line = line;
	return it;
}

void
import_item_set(struct import_item *it, int field, const char *text,
    unsigned long line)
{
	struct import_value *v;

	if (text == NULL || *text == '\0' || field < IMPORT_ITEM_ID ||
	    field >= IMPORT_ITEM_OPTION)
		return;
	v = &it->v[field - IMPORT_ITEM_ID];
	if (v->text == NULL)
		value_set(it->order, v, text, line);
}

void
import_item_option(struct import_item *it, const char *name,
    const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	if (it->variant == NULL && (it->variant = json_object()) == NULL)
		xnomem();
	if (json_object_get(it->variant, name) == NULL &&
	    json_object_set_new(it->variant, name,
	    jsonl_string_lossy(value, strlen(value))) == -1)
		xnomem();
}

static void
extra_set(json_t **objp, const char *key, json_t *value)
{
	if (value == NULL)
		xnomem();
	if (*objp == NULL && (*objp = json_object()) == NULL)
		xnomem();
	if (json_object_set_new(*objp, key, value) == -1)
		xnomem();
}

void
import_order_extra(struct import_order *o, const char *key, json_t *value)
{
	extra_set(&o->extra, key, value);
}

void
import_item_extra(struct import_item *it, const char *key, json_t *value)
{
	extra_set(&it->extra, key, value);
}

void
import_order_error(struct import_order *o, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), reject_text(fmt), ap);
	va_end(ap);
	if (o->errors == NULL && (o->errors = json_array()) == NULL)
		xnomem();
	reject_add(o->errors, code, field, msg);
}

const char *
import_json_text(const json_t *v, char *buf, size_t len)
{
	const char *raw;
	int prec;

	if (v == NULL)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	case JSON_REAL:
		/* The number as the source wrote it (1390.000000, an id of
		 * 20 digits), unless it has an exponent. */
		if ((raw = jsonl_number_raw(v)) != NULL &&
		    strpbrk(raw, "eE") == NULL)
			return raw;
		/* Else the shortest text without an exponent that reads back
		 * as the same double, what the source wrote for any amount of
		 * up to 15 digits (1e2 is "100": %.1g would give "1e+02"). */
		for (prec = 1; prec <= 17; prec++) {
			snprintf(buf, len, "%.*g", prec, json_real_value(v));
			if (strpbrk(buf, "eE") == NULL &&
			    strtod(buf, NULL) == json_real_value(v))
				break;
		}
		if (strpbrk(buf, "eE") != NULL)
			snprintf(buf, len, "%.*f", 6, json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return NULL;
	}
}
