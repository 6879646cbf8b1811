/* import_test.c: unit tests of import.h: map files parsed, the built-in
 * layouts bound to a header, zones and times of exports, an order record
 * built from its rows (and rejected), and the JSON exports' kinds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Twice: a header must survive being included again, as another header
 * that needs it will include it. */
#include "import.h"
#include "import.h"
#include "csvread.h"
#include "exporttime.h"
#include "jsonl.h"
#include "unit.h"

/* A map as a shop writes it for order-import --map. */
static const char shop_map[] = "\xef\xbb\xbf# a shop's Excel export\n"
    "source excel\n"
    "delimiter ;\n"
    "encoding cp1251\n"
    "decimal ,\n"
    "date %d.%m.%Y %H:%M\n"
    "date %d.%m.%Y\n"
    "zone +03:00\n"
    "\n"
    "id = Номер заказа\n"
    "created_at = Дата\n"
    "customer.phone = Телефон\n"
    "customer.phone = Мобильный\n"
    "totals.shipping += Доставка\n"
    "items.sku = Артикул\n"
    "items.qty = Кол-во\n"
    "items.unit_price = Цена\n"
    "items.variant.размер = Размер\n"
    "extra.комментарий = Комментарий\n"
    "currency := RUB\n";

/* The rule for field (and name), or NULL. */
static const struct import_rule *
rule_of(const struct import_map *m, int field, const char *name)
{
	size_t i;

	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].field == field && (name == NULL ||
		    (m->rules[i].name != NULL &&
		    strcmp(m->rules[i].name, name) == 0)))
			return &m->rules[i];
	return NULL;
}

/* import_map_parse(): each setting and rule of a map file; the defaults
 * it leaves (layout as source, group by the id column). */
static void
test_map_parse(void)
{
	struct import_map m;
	const struct import_rule *r;
	char err[256] = "";

	expect_int("the shop's map", import_map_parse(&m, shop_map,
	    "shop.map", err, sizeof(err)), 0);
	expect_str("... no error", err, "");
	expect_str("source", m.source, "excel");
	expect_str("layout: the source's", m.layout, "excel");
	expect_int("delimiter", m.delimiter, ';');
	expect_str("encoding", m.encoding, "cp1251");
	expect_int("decimal", m.decimal, ',');
	expect_int("zone", m.zone, 180);
	expect_int("has_zone", m.has_zone, 1);
	expect_int("dates", m.ndates, 2);
	expect_str("first date", m.dates[0], "%d.%m.%Y %H:%M");
	expect_int("group: by the id column", m.ngroup, 1);
	expect_str("... which", m.group[0], "Номер заказа");
	expect_int("rules", m.nrules, 11);
	expect_true("the two phone columns",
	    m.rules[2].field == IMPORT_CUSTOMER_PHONE &&
	    m.rules[3].field == IMPORT_CUSTOMER_PHONE &&
	    strcmp(m.rules[3].column, "Мобильный") == 0);
	r = rule_of(&m, IMPORT_SHIPPING, NULL);
	expect_true("+= adds", r != NULL && r->op == IMPORT_ADD &&
	    strcmp(r->column, "Доставка") == 0);
	r = rule_of(&m, IMPORT_ITEM_OPTION, "размер");
	expect_true("items.variant.NAME", r != NULL && r->op == IMPORT_SET &&
	    strcmp(r->column, "Размер") == 0);
	r = rule_of(&m, IMPORT_EXTRA, "комментарий");
	expect_true("extra.NAME", r != NULL);
	r = rule_of(&m, IMPORT_CURRENCY, NULL);
	expect_true(":= is a constant", r != NULL && r->op == IMPORT_CONST &&
	    strcmp(r->column, "RUB") == 0);
	expect_int("unbound", r != NULL ? r->col : 0, -1);
	import_map_release(&m);

	expect_int("delimiter tab", import_map_parse(&m,
	    "delimiter tab\ngroup N\n", "t.map", err, sizeof(err)), 0);
	expect_int("... is a tab", m.delimiter, '\t');
	expect_str("... source generic", m.source, "generic");
	import_map_release(&m);
	expect_int("delimiter semicolon", import_map_parse(&m,
	    "delimiter semicolon\nid = N\nlayout mine\nabout Mine.\n", "t.map",
	    err, sizeof(err)), 0);
	expect_int("... is ';'", m.delimiter, ';');
	expect_str("layout named", m.layout, "mine");
	expect_str("about", m.about, "Mine.");
	import_map_release(&m);
	expect_str("import_field_name()", import_field_name(IMPORT_ITEM_QTY),
	    "items.qty");
	expect_str("import_field_name() of no field", import_field_name(-1),
	    "?");
}

/* What import_map_parse() refuses, with the file and line. */
static void
test_map_errors(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "id = N\nitems.colour = C\n",
		    "bad.map:2: unknown field 'items.colour'" },
		{ "# x\nid =\n", "bad.map:2: no column after 'id'" },
		{ "id = N\ndelimiter ab\n", "bad.map:2: bad delimiter 'ab'" },
		{ "id = N\nzone Mars/Olympus\n",
		    "bad.map:2: unknown zone 'Mars/Olympus' (use +HH:MM)" },
		{ "id = N\nzone Europe/Berlin\n",
		    "bad.map:2: unknown zone 'Europe/Berlin' (use +HH:MM)" },
		{ "id = N\nfrobnicate the rows\n",
		    "bad.map:2: cannot read 'frobnicate the rows'" },
		{ "source x\nitems.sku = SKU\n",
		    "bad.map: no 'id = COLUMN' or 'group = COLUMN' line" },
		{ "id := 1\n",
		    "bad.map: no 'id = COLUMN' or 'group = COLUMN' line" },
	};
	struct import_map m;
	char err[256], what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "bad map %zu", i);
		err[0] = '\0';
		expect_int(what, import_map_parse(&m, cases[i].text,
		    "bad.map", err, sizeof(err)), -1);
		expect_str(what, err, cases[i].err);
	}
}

/* The built-in layouts parse; Shopify's binds to its export's header,
 * whatever the case of the names, and names what a header lacks. */
static void
test_layouts(void)
{
	static char *const shopify[] = { "Name", "Email", "Financial Status",
	    "Created at", "Currency", "Lineitem quantity", "Lineitem name",
	    "Lineitem price", "Lineitem sku", "Shipping Name", "Gift Wrap" };
	static char *const lower[] = { "name", "LINEITEM QUANTITY",
	    " Lineitem name ", "lineitem price" };
	static char *const short_one[] = { "Name", "Lineitem quantity",
	    "Lineitem name" };
	struct import_map m;
	char err[256], missing[256], what[64];
	const char *text;
	size_t i;
	int found = 0;
	char names[256] = "";

	for (i = 0; (text = import_builtin(i)) != NULL; i++) {
		snprintf(what, sizeof(what), "built-in layout %zu", i);
		err[0] = '\0';
		if (!expect_int(what, import_map_parse(&m, text, "builtin",
		    err, sizeof(err)), 0)) {
			fprintf(stderr, "\t%s\n", err);
			continue;
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s ", m.layout);
		expect_true(what, *m.about != '\0');
		if (strcmp(m.layout, "shopify") != 0) {
			import_map_release(&m);
			continue;
		}
		found = 1;
		expect_int("shopify: its header", import_map_bind(&m, shopify,
		    11, missing, sizeof(missing)), 0);
		expect_int("... the group column", m.group_col[0], 0);
		expect_int("... items.qty's column",
		    rule_of(&m, IMPORT_ITEM_QTY, NULL)->col, 5);
		expect_int("... Gift Wrap is no rule's", m.used[10], 0);
		expect_int("... Lineitem price is", m.used[7], 1);
		expect_int("shopify: names in another case", import_map_bind(&m,
		    lower, 4, missing, sizeof(missing)), 0);
		expect_int("shopify: a header short of a column",
		    import_map_bind(&m, short_one, 3, missing,
		    sizeof(missing)), 1);
		expect_str("... names it", missing, "'Lineitem price'");
		import_map_release(&m);
	}
	expect_true("Shopify is built in", found);
	expect_str("the CSV layouts", names,
	    "shopify amazon etsy-items etsy-orders ebay ebay-de orderkit ");
}

/* A --map file's own columns must be in the header, unless another line
 * for the same field names one that is; its group column too. */
static void
test_user_bind(void)
{
	static char *const both[] = { "Номер заказа", "Телефон",
	    "Мобильный", "Артикул" };
	static char *const one_phone[] = { "Номер заказа", "Мобильный",
	    "Артикул", "Кол-во", "Цена", "Дата", "Доставка", "Размер",
	    "Комментарий" };
	static char *const no_id[] = { "Мобильный", "Артикул", "Кол-во",
	    "Цена", "Дата", "Доставка", "Размер", "Комментарий" };
	struct import_map m;
	char err[256], missing[512];

	expect_int("the shop's map", import_map_parse(&m, shop_map,
	    "shop.map", err, sizeof(err)), 0);
	m.user = 1;
	expect_int("a header without six of its columns", import_map_bind(&m,
	    both, 4, missing, sizeof(missing)), 6);
	expect_str("... names them", missing, "'Дата', 'Доставка', 'Кол-во', "
	    "'Цена', 'Размер', 'Комментарий'");
	expect_int("one phone column of two is enough", import_map_bind(&m,
	    one_phone, 9, missing, sizeof(missing)), 0);
	expect_int("no id column", import_map_bind(&m, no_id, 8, missing,
	    sizeof(missing)), 2);
	expect_str("... names it, once for the rule, once for the group",
	    missing, "'Номер заказа', 'Номер заказа'");
	import_map_release(&m);
}

/* exporttime_zone(): offsets and the fixed-offset zone names; none with
 * daylight time. */
static void
test_zones(void)
{
	static const struct {
		const char	*s;
		int		 rc, minutes;
	} cases[] = {
		{ "Z", 0, 0 }, { "UTC", 0, 0 }, { "+03:00", 0, 180 },
		{ "-0500", 0, -300 }, { "+05", 0, 300 }, { "+05:45", 0, 345 },
		{ "Europe/Moscow", 0, 180 }, { "europe/moscow", 0, 180 },
		{ "Europe/Berlin", -1, 0 }, { "+24:00", -1, 0 },
		{ "+03:60", -1, 0 }, { "3", -1, 0 }, { "+3:00", 0, 180 },
		{ "", -1, 0 },
	};
	char what[64];
	size_t i;
	int minutes;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "exporttime_zone(\"%s\")",
		    cases[i].s);
		minutes = -9999;
		if (expect_int(what, exporttime_zone(cases[i].s, &minutes),
		    cases[i].rc) && cases[i].rc == 0)
			expect_int(what, minutes, cases[i].minutes);
	}
}

/* import_time(): the format's patterns first, then the common forms; a
 * time without an offset in the format's zone, else --tz, else UTC. */
static void
test_times(void)
{
	static char *const dates[] = { "%d.%m.%Y %H:%M", "%d.%m.%Y" };
	struct import_ctx ctx;
	char out[32];

	memset(&ctx, 0, sizeof(ctx));
	ctx.dates = dates;
	ctx.ndates = 2;
	expect_int("a pattern", import_time(&ctx, "02.03.2026 14:05", out),
	    0);
	expect_str("... in UTC", out, "2026-03-02T14:05:00Z");
	ctx.tz = -600;
	ctx.has_tz = 1;
	expect_int("--tz", import_time(&ctx, "02.03.2026", out), 0);
	expect_str("... its offset", out, "2026-03-02T00:00:00-10:00");
	ctx.zone = 180;
	ctx.has_zone = 1;
	expect_int("the format's zone first", import_time(&ctx,
	    "02.03.2026 14:05", out), 0);
	expect_str("... its offset", out, "2026-03-02T14:05:00+03:00");
	expect_int("an offset of its own wins", import_time(&ctx,
	    "2026-03-02T14:05:00+05:30", out), 0);
	expect_str("... kept", out, "2026-03-02T14:05:00+05:30");
	expect_int("31.02 is no date", import_time(&ctx, "31.02.2026", out),
	    -1);
	expect_int("nor is yesterday", import_time(&ctx, "yesterday", out),
	    -1);
}

static const struct import_ctx *
record_ctx(void)
{
	static char *const dates[] = { "%d.%m.%Y %H:%M" };
	static struct import_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.source = "excel";
	ctx.file = "orders.csv";
	ctx.dates = dates;
	ctx.ndates = 1;
	ctx.decimal = ',';
	ctx.zone = 180;
	ctx.has_zone = 1;
	return &ctx;
}

/* An order of two rows, as order-import's reader fills it: one line of
 * JSON with its fields in the record's order, amounts exact, the totals
 * it can tell. */
static void
test_record(void)
{
	struct import_order *o;
	struct import_item *it;
	json_t *reject = NULL;
	char *buf = NULL;
	const char *want;
	size_t cap = 0, len = 0;

	o = import_order_new(record_ctx(), "1001", 4);
	import_order_row(o, 2, "row 2", 5);
	import_order_set(o, IMPORT_ID, IMPORT_SET, "1001", 2);
	import_order_set(o, IMPORT_CREATED_AT, IMPORT_SET, "02.03.2026 14:05",
	    2);
	import_order_set(o, IMPORT_CURRENCY, IMPORT_SET, "RUB", 2);
	import_order_set(o, IMPORT_CUSTOMER_NAME, IMPORT_SET, "Иванов Пётр",
	    2);
	import_order_set(o, IMPORT_CUSTOMER_NAME, IMPORT_SET, "Другой", 3);
	import_order_set(o, IMPORT_NOTE, IMPORT_ADD, "позвонить", 2);
	import_order_set(o, IMPORT_NOTE, IMPORT_ADD, "", 2);
	import_order_set(o, IMPORT_NOTE, IMPORT_ADD, "после 18:00", 2);
	/* a later row repeats the order's fields: not joined */
	import_order_set(o, IMPORT_NOTE, IMPORT_ADD, "позвонить", 3);
	import_order_set(o, IMPORT_COUNTRY, IMPORT_SET, "RU", 2);
	import_order_set(o, IMPORT_SHIPPING, IMPORT_ADD, "300,00", 2);
	import_order_set(o, IMPORT_SHIPPING, IMPORT_ADD, "50", 3);
	it = import_item_add(o, 2);
	import_item_set(it, IMPORT_ITEM_SKU, "TSH-RED-M", 2);
	import_item_set(it, IMPORT_ITEM_QTY, "2", 2);
	import_item_set(it, IMPORT_ITEM_PRICE, "1 299,50", 2);
	import_item_option(it, "размер", "M");
	import_order_row(o, 3, "row 3", 5);
	it = import_item_add(o, 3);
	import_item_set(it, IMPORT_ITEM_SKU, "CAP-BLK", 3);
	import_item_set(it, IMPORT_ITEM_QTY, "1", 3);
	import_item_set(it, IMPORT_ITEM_PRICE, "799", 3);
	import_order_extra(o, "комментарий", json_string("x"));
	expect_int("import_order_finish()", import_order_finish(o, &buf,
	    &cap, &len, &reject), 0);
	expect_true("no reject", reject == NULL);
	/* The record is len bytes, not a string. */
	want = "{\"id\":\"1001\",\"source\":\"excel\",\"created_at\":"
	    "\"2026-03-02T14:05:00+03:00\",\"status\":\"new\",\"currency\":"
	    "\"RUB\",\"customer\":{\"name\":\"Иванов Пётр\"},\"shipping\":"
	    "{\"address\":{\"country\":\"RU\"}},\"items\":[{\"sku\":"
	    "\"TSH-RED-M\",\"variant\":{\"размер\":\"M\"},\"qty\":2,"
	    "\"unit_price\":129950},{\"sku\":\"CAP-BLK\",\"qty\":1,"
	    "\"unit_price\":79900}],\"totals\":{\"subtotal\":339800,"
	    "\"shipping\":35000,\"discount\":0,\"tax\":0,\"total\":374800},"
	    "\"note\":\"позвонить, после 18:00\",\"extra\":{\"комментарий\":"
	    "\"x\"}}\n";
	expect_mem("the record", buf, len, want, strlen(want));
	import_order_free(o);
	free(buf);
}

/* An order with a bad quantity, a bad price and an error of the reader's
 * is a reject: every problem, and the rows it came from. */
static void
test_reject(void)
{
	struct import_order *o;
	struct import_item *it;
	json_t *reject = NULL;
	char *buf = NULL, *text;
	size_t cap = 0, len = 0, tlen = 0, tcap = 0;

	o = import_order_new(record_ctx(), "1002", 4);
	import_order_row(o, 5, "1002;x;two", 10);
	import_order_set(o, IMPORT_ID, IMPORT_SET, "1002", 5);
	import_order_set(o, IMPORT_CURRENCY, IMPORT_SET, "RUB", 5);
	import_order_set(o, IMPORT_CREATED_AT, IMPORT_SET, "02.03.2026", 5);
	it = import_item_add(o, 5);
	import_item_set(it, IMPORT_ITEM_SKU, "A", 5);
	import_item_set(it, IMPORT_ITEM_QTY, "two", 5);
	import_item_set(it, IMPORT_ITEM_PRICE, "1.299,5x", 5);
	import_order_error(o, "bad_row", NULL, "row %d is short", 5);
	len = 3;
	expect_int("import_order_finish() of a bad order",
	    import_order_finish(o, &buf, &cap, &len, &reject), -1);
	expect_int("... the buffer as it was", len, 3);
	expect_true("... a reject", reject != NULL);
	text = NULL;
	jsonl_encode(&text, &tcap, &tlen, reject);
	text = realloc(text, tlen + 1);
	text[tlen] = '\0';
	expect_str("the reject: the order's id and rows", text,
	    "{\"source\":\"excel\",\"file\":\"orders.csv\",\"id\":\"1002\","
	    "\"rows\":[{\"line\":5,\"raw\":\"1002;x;two\"}]}");
	free(text);
	text = NULL;
	tlen = tcap = 0;
	jsonl_encode(&text, &tcap, &tlen, o->errors);
	text = realloc(text, tlen + 1);
	text[tlen] = '\0';
	expect_str("its errors, which the caller writes with it", text,
	    "[{\"code\":\"bad_row\",\"message\":\"row 5 is short\"},"
	    "{\"code\":\"bad_qty\",\"field\":\"items[0].qty\",\"message\":"
	    "\"line 5: quantity 'two' is not a whole number\"},"
	    "{\"code\":\"bad_amount\",\"field\":\"items[0].unit_price\","
	    "\"message\":\"line 5: '1.299,5x' is not an amount\"}]");
	free(text);
	json_decref(reject);
	import_order_free(o);
	free(buf);
}

/* The JSON exports: which platform an object is, what wraps orders, the
 * text of scalars. */
static void
test_json(void)
{
	static const char doc[] = "[\"a\",42,1390.000000,1.25e2,true,null,{},"
	    "1e2,1e-4]";
	json_t *v, *inner;
	char buf[64];

	v = json_pack("{s:i,s:[]}", "number", 1, "line_items");
	expect_int("WooCommerce", import_json_kind(v), IMPORT_WOOCOMMERCE);
	expect_str("... its name", import_json_format(IMPORT_WOOCOMMERCE),
	    "woocommerce");
	json_decref(v);
	v = json_pack("{s:s,s:[]}", "posting_number", "1-1", "products");
	expect_int("Ozon", import_json_kind(v), IMPORT_OZON);
	json_decref(v);
	v = json_pack("{s:s}", "id", "x");
	expect_int("an object of no platform", import_json_kind(v),
	    IMPORT_JSON_NONE);
	json_decref(v);
	v = json_pack("{s:{s:[{s:s}]}}", "result", "postings",
	    "posting_number", "1-1");
	inner = import_json_unwrap(v);
	expect_true("Ozon's response unwrapped to its postings",
	    json_is_array(inner) && json_array_size(inner) == 1);
	json_decref(v);
	v = json_pack("{s:s}", "id", "x");
	expect_true("no wrapper", import_json_unwrap(v) == NULL);
	json_decref(v);
	v = jsonl_parse(doc, sizeof(doc) - 1, JSON_DECODE_ANY, NULL);
	expect_str("a string's text", import_json_text(json_array_get(v, 0),
	    buf, sizeof(buf)), "a");
	expect_str("an integer's", import_json_text(json_array_get(v, 1),
	    buf, sizeof(buf)), "42");
	expect_str("a real's, as written", import_json_text(
	    json_array_get(v, 2), buf, sizeof(buf)), "1390.000000");
	expect_str("an exponent's, as a decimal", import_json_text(
	    json_array_get(v, 3), buf, sizeof(buf)), "125");
	expect_str("1e2's, the shortest decimal", import_json_text(
	    json_array_get(v, 7), buf, sizeof(buf)), "100");
	expect_str("1e-4's", import_json_text(json_array_get(v, 8), buf,
	    sizeof(buf)), "0.0001");
	expect_str("true's", import_json_text(json_array_get(v, 4), buf,
	    sizeof(buf)), "true");
	expect_true("null has none", import_json_text(json_array_get(v, 5),
	    buf, sizeof(buf)) == NULL);
	expect_true("an object has none", import_json_text(
	    json_array_get(v, 6), buf, sizeof(buf)) == NULL);
	json_decref(v);
}

static FILE *
file_of(const char *in, size_t len)
{
	FILE *fp;

	if ((fp = tmpfile()) == NULL || fwrite(in, 1, len, fp) != len ||
	    fflush(fp) == EOF) {
		perror("tmpfile");
		exit(2);
	}
	rewind(fp);
	return fp;
}

/* The scattered keys of in (those whose rows come in more than one run,
 * rows without a key aside) with the last row of each, as csvread_next()
 * counts rows and the reader thread keys them ("ROW ROW "), against what
 * the pre-pass's scanner notes (import_scatter_slot()). */
static void
expect_prepass(const char *what, const char *in, size_t len, char delim,
    long col)
{
	struct import_prepass p;
	struct import_scatter sc;
	struct csvread r;
	struct csvread_row *raw;
	char want[1024] = "", got[1024] = "";
	unsigned long *last;
	uint64_t keys[64], prev = 0;
	size_t n = 0, runs[64], lastrow[64], i, j, fl;
	const char *f;
	FILE *fp = file_of(in, len);

	csvread_init(&r, fp, "t.csv", delim);
	while ((raw = csvread_next(&r)) != NULL && n < 64) {
		keys[n] = 0;
		if ((size_t)col < raw->nfields) {
			f = raw->fields[col];
			fl = raw->lens[col];
			while (fl > 0 && (*f == ' ' || *f == '\t')) {
				f++;
				fl--;
			}
			while (fl > 0 && (f[fl - 1] == ' ' ||
			    f[fl - 1] == '\t' || f[fl - 1] == '\r'))
				fl--;
			if (fl > 0)
				keys[n] = import_key_hash(f, fl);
		}
		n++;
	}
	csvread_release(&r);
	for (i = 1; i < n; i++) {		/* row 1, the header, aside */
		runs[i] = lastrow[i] = 0;
		if (keys[i] == 0)
			continue;
		for (j = 1; j < i && keys[j] != keys[i]; j++)
			;
		if (keys[i] != prev)
			runs[j]++;
		lastrow[j] = i + 1;
		prev = keys[i];
	}
	for (i = 1; i < n; i++)
		if (keys[i] != 0 && runs[i] > 1)
			snprintf(want + strlen(want), sizeof(want) -
			    strlen(want), "%zu ", lastrow[i]);
	memset(&p, 0, sizeof(p));
	import_scatter_init(&sc);
	p.scatter = &sc;
	p.group_col = &col;
	p.ngroup = 1;
	p.header_row = 1;
	expect_int(what, import_prepass(fp, delim, &p), 0);
	expect_int(what, p.row, n);
	for (i = 1; i < n; i++) {
		for (j = 1; j < i && keys[j] != keys[i]; j++)
			;
		if (keys[i] != 0 && j == i &&
		    (last = import_scatter_slot(&sc, keys[i], 0)) != NULL)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%lu ", *last);
	}
	expect_str(what, got, want);
	import_scatter_release(&sc);
	fclose(fp);
}

#define PREPASS(what, in, delim, col) \
	expect_prepass(what, in, sizeof(in) - 1, delim, col)

/* The pre-pass's scanner stands in for csvread, which costs 13% of an
 * import more: it must count the rows and find the keys csvread does. */
static void
test_prepass(void)
{
	PREPASS("adjacent rows", "id,x\na,1\na,2\nb,3\n", ',', 0);
	PREPASS("rows apart", "id,x\na,1\nb,2\na,3\nb,4\nc,5\n", ',', 0);
	PREPASS("a key in a later column", "x,id\n1,a\n2,b\n3,a\n", ',', 1);
	PREPASS("empty lines and spaces", "id,x\n\na,1\n   \nb,2\n\n a ,3\n",
	    ',', 0);
	PREPASS("a quoted key over lines", "id,x\n\"a\nb\",1\nc,2\n"
	    "\"a\nb\",3\n", ',', 0);
	PREPASS("quotes inside a key", "id,x\n\"a\"\"b\",1\nc,2\na\"b,3\n"
	    "\"a\"\"b\",4\n", ',', 0);
	PREPASS("a stray quote", "id,x\nab\"c,1\nd,2\nab\"c,3\n", ',', 0);
	PREPASS("CRLF and a BOM", "\xef\xbb\xbfid,x\r\na,1\r\nb,2\r\n"
	    "a,3\r\n", ',', 0);
	PREPASS("tabs", "id\tx\na\t1\nb\t2\na\t3\n", '\t', 0);
	PREPASS("semicolons and a quoted delimiter", "id;x\n\"a;1\";1\n"
	    "b;2\n\"a;1\";3\n", ';', 0);
	PREPASS("a row of one empty quoted field", "id,x\na,1\n\"\"\nb,2\n"
	    "a,3\n", ',', 0);
	PREPASS("empty keys", "id,x\n,1\na,2\n,3\na,4\n", ',', 0);
	PREPASS("no final newline", "id,x\na,1\nb,2\na,3", ',', 0);
	PREPASS("spaces after a closing quote", "id,x\n\"a\"  ,1\nb,2\n"
	    "a,3\n", ',', 0);
	PREPASS("a short row", "id,x,y\na\nb,2,3\na,4,5\n", ',', 0);
}

int
main(void)
{
	test_map_parse();
	test_map_errors();
	test_layouts();
	test_user_bind();
	test_zones();
	test_times();
	test_record();
	test_reject();
	test_json();
	test_prepass();
	return unit_summary("import");
}
