/* order-export: order records to CSV for a spreadsheet or a CRM, a row per
 * order or per item, amounts as decimals by the currency's exponent. */
#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "cli.h"
#include "conf.h"
#include "csvwrite.h"
#include "jsonl.h"
#include "money.h"
#include "progress.h"
#include "reject.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-export [--columns LIST] [--config FILE] [--crlf]\n"
    "                    [--decimal .|,] [--delimiter c|tab] [--excel]\n"
    "                    [--no-guard] [--no-header] [--per order|item]\n"
    "                    [--rejects FILE] [--progress | --no-progress]\n"
    "                    [--stats[=json|FILE]] [--strict] [FILE ...]\n";

#define OPT_COLUMNS	'c'
#define OPT_CONFIG	'f'
#define OPT_CRLF	'C'
#define OPT_DECIMAL	'd'
#define OPT_DELIMITER	'D'
#define OPT_EXCEL	'x'
#define OPT_NO_GUARD	'G'
#define OPT_NO_HEADER	'H'
#define OPT_PER		'p'

static const struct option longopts[] = {
	{ "columns",	required_argument, NULL, OPT_COLUMNS },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "crlf",	no_argument,	   NULL, OPT_CRLF },
	{ "decimal",	required_argument, NULL, OPT_DECIMAL },
	{ "delimiter",	required_argument, NULL, OPT_DELIMITER },
	{ "excel",	no_argument,	   NULL, OPT_EXCEL },
	CLI_OPT_HELP,
	{ "no-guard",	no_argument,	   NULL, OPT_NO_GUARD },
	{ "no-header",	no_argument,	   NULL, OPT_NO_HEADER },
	CLI_OPT_NO_PROGRESS,
	{ "per",	required_argument, NULL, OPT_PER },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--columns LIST", "the columns and their headings (see the page)" },
	{ "--config FILE",
	    "the configuration: [shop] lang for --excel (orderkit.conf(5))" },
	{ "--crlf", "end lines in CRLF" },
	{ "--decimal .|,", "the decimal separator of amounts" },
	{ "--delimiter c|tab", "the field delimiter (default: a comma)" },
	{ "--excel",
	    "for a spreadsheet: BOM, CRLF, the locale's decimal comma" },
	CLI_ITEM_HELP,
	{ "--no-guard", "do not guard fields that start with = + - @" },
	{ "--no-header", "write no header line" },
	CLI_ITEM_NO_PROGRESS,
	{ "--per order|item", "a row per order (the default) or per item" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 71, 73, 74, 78, -1 };
static const struct cli_help help_text = {
	"Write order records as CSV for a spreadsheet or a CRM.",
	help_options, help_exits, "order-export(1)"
};

/* The columns without --columns: the order's, then with --per item the
 * item's.  What order-import's scripts/maps/orderkit.map reads back. */
static const char *const order_columns[] = {
	"id", "created_at", "status", "currency", "customer.name",
	"customer.email", "customer.phone", "shipping.method",
	"shipping.carrier", "shipping.pickup_point",
	"shipping.address.country", "shipping.address.region",
	"shipping.address.city", "shipping.address.postal_code",
	"shipping.address.line1", "shipping.address.line2", "payment.method",
	"payment.provider", "payment.status", "totals.subtotal",
	"totals.shipping", "totals.discount", "totals.tax",
	"totals.tax_included", "totals.total", NULL
};
static const char *const item_columns[] = {
	"items.sku", "items.name", "items.variant", "items.qty",
	"items.unit_price", "items.discount", NULL
};

/* Amounts in minor units, written as decimals: a key under "totals", and
 * these keys of an item and of "payment". */
static const char *const item_money[] = {
	"unit_price", "line_total", "discount", "tax", NULL
};
static const char *const payment_money[] = {
	"paid", "refunded", "fees", NULL
};

#define MAXSTEPS	32

/* A step of a path: a key of an object, or (key NULL) an index. */
struct step {
	char		*key;
	size_t		 index;
};

/* A step of where a value is, the key not owned. */
struct place {
	const char	*key;
	size_t		 index;
};

struct column {
	char		*header;
	struct step	*steps;
	size_t		 nsteps;
	int		 of_item;	/* --per item: a key of the row's item */
};

struct growbuf {
	char		*buf;
	size_t		 cap, len;
};

struct exporter {
	struct column	*columns;
	size_t		 ncolumns;
	int		 per_item;
	char		 decimal;	/* of amounts: '.' or ',' */
	struct csvwrite	 csv;
	/* Of the order being written: */
	const struct money_currency *cur;
	const json_t	*cur_bad;	/* a "currency" naming none, or NULL */
	int		 cur_missing;	/* no "currency" at all */
	json_t		*errors;
	struct growbuf	 cell;		/* a value's text */
	struct growbuf	 cells;		/* the order's columns, as CSV */
	size_t		*cell_off, *cell_len;
	struct growbuf	 out;		/* the order's rows */
	/* Where a value is: its keys and indices (a step with key NULL), for
	 * what is money and, made text only for an error, the field.  At
	 * most: "items" and the row's index, each step of a path and an index
	 * for an array met before it, and an index and a key in the value. */
	struct place	 at[2 + 2 * MAXSTEPS + 2];
	size_t		 nat;
	/* Counts. */
	unsigned long	 nrows, norders;
};

static void
buf_put(struct growbuf *b, const char *s, size_t n)
{
	size_t cap = b->cap < 256 ? 256 : b->cap;

	if (n > SIZE_MAX - b->len)
		xnomem();
	if (b->len + n > b->cap) {
		while (cap < b->len + n) {
			if (cap > SIZE_MAX / 2)
				xnomem();
			cap *= 2;
		}
		b->buf = xrealloc(b->buf, cap);
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static void
buf_puts(struct growbuf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* ---- columns ---- */

/* Cut the next part of *sp at an unescaped stop character (or the end): a
 * new string, its backslash escapes undone when unescape is set.  *sp is
 * left at the stop character, or the end. */
static char *
cut(const char **sp, const char *stops, int unescape)
{
	const char *s = *sp;
	char *out = xmalloc(strlen(s) + 1), *w = out;

	for (; *s != '\0' && strchr(stops, *s) == NULL; s++) {
		if (*s == '\\' && s[1] != '\0') {
			if (!unescape)
				*w++ = *s;
			s++;
		}
		*w++ = *s;
	}
	*w = '\0';
	*sp = s;
	return out;
}

/* Parse the path of a column: keys apart by '.', each followed by any
 * number of [N]. */
static int
parse_path(struct column *c, const char *path)
{
	const char *s = path;
	char *key, *end;
	unsigned long long n;

	c->steps = xcalloc(MAXSTEPS, sizeof(*c->steps));
	for (;;) {
		key = cut(&s, ".[", 1);
		if (*key == '\0' || c->nsteps == MAXSTEPS) {
			free(key);
			return -1;
		}
		c->steps[c->nsteps++].key = key;
		while (*s == '[') {
			if (s[1] < '0' || s[1] > '9' || c->nsteps == MAXSTEPS)
				return -1;
			n = strtoull(s + 1, &end, 10);
			if (*end != ']' || n > SIZE_MAX)
				return -1;
			c->steps[c->nsteps++].index = n;
			s = end + 1;
		}
		if (*s == '\0')
			return 0;
		if (*s != '.')
			return -1;
		s++;
	}
}

static void
column_release(struct column *c)
{
	size_t i;

	for (i = 0; i < c->nsteps; i++)
		free(c->steps[i].key);
	free(c->steps);
	free(c->header);
}

/* Add the columns of list ("PATH[:HEADER],..."); -1 with the bad one in
 * *bad (a new string) when one does not parse. */
static int
add_columns(struct exporter *ex, const char *list, char **bad)
{
	const char *s = list, *start, *p;
	struct column *c;
	char *path;

	for (;;) {
		start = s;
		if (ex->ncolumns >= SIZE_MAX / sizeof(*ex->columns) - 1)
			xnomem();
		ex->columns = xrealloc(ex->columns, (ex->ncolumns + 1) *
		    sizeof(*ex->columns));
		c = &ex->columns[ex->ncolumns++];
		memset(c, 0, sizeof(*c));
		path = cut(&s, ":,", 0);
		if (*s == ':') {
			s++;
			c->header = cut(&s, ",", 1);
			if (*c->header == '\0') {
				free(path);
				goto fail;
			}
		}
		if (parse_path(c, path) == -1) {
			free(path);
			goto fail;
		}
		if (c->header == NULL) {
			p = path;
			c->header = cut(&p, "", 1);
		}
		free(path);
		if (*s == '\0')
			return 0;
		s++;
	}
fail:
	*bad = xstrndup(start, strcspn(start, ","));
	return -1;
}

/* ---- values ---- */

static int
in_list(const char *key, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return 1;
	return 0;
}

/* Whether the value where ex->at leads, its keys without the indices,
 * is an amount. */
static int
is_money(const struct exporter *ex)
{
	const char *keys[2];
	size_t i, n = 0;

	for (i = 0; i < ex->nat; i++)
		if (ex->at[i].key != NULL) {
			if (n == 2)
				return 0;
			keys[n++] = ex->at[i].key;
		}
	if (n != 2)
		return 0;
	if (strcmp(keys[0], "totals") == 0)
		return 1;
	if (strcmp(keys[0], "items") == 0)
		return in_list(keys[1], item_money);
	if (strcmp(keys[0], "payment") == 0)
		return in_list(keys[1], payment_money);
	return 0;
}

/* The path where ex->at leads, as an error's field: "items[0].qty". */
static const char *
field_text(const struct exporter *ex, char *buf, size_t len)
{
	size_t i, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < ex->nat && used < len; i++) {
		if (ex->at[i].key != NULL)
			n = snprintf(buf + used, len - used, "%s%s",
			    used > 0 ? "." : "", ex->at[i].key);
		else
			n = snprintf(buf + used, len - used, "[%zu]",
			    ex->at[i].index);
		if (n < 0)
			break;
		used += n;
	}
	return buf;
}

/* Add an error, once per code and field. */
static void
problem(struct exporter *ex, const char *code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct exporter *ex, const char *code, const char *field,
    const char *fmt, ...)
{
	const json_t *e, *f;
	char message[512];
	va_list ap;
	size_t i;

	json_array_foreach(ex->errors, i, e) {
		f = json_object_get(e, "field");
		if (strcmp(json_string_value(json_object_get(e, "code")),
		    code) == 0 && ((f == NULL && field == NULL) ||
		    (f != NULL && field != NULL &&
		    strcmp(json_string_value(f), field) == 0)))
			return;
	}
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), reject_text(fmt), ap);
	va_end(ap);
	reject_add(ex->errors, code, field, message);
}

/* Step into the key, or the index (key NULL), of the value's path. */
static void
path_push(struct exporter *ex, const char *key, size_t index)
{
	ex->at[ex->nat].key = key;
	ex->at[ex->nat].index = index;
	ex->nat++;
}

static void
path_pop(struct exporter *ex)
{
	ex->nat--;
}

/* A number as text, with the decimal comma when amounts have one. */
static void
put_number(struct exporter *ex, const json_t *v)
{
	char tmp[48], *dot;
	const char *text = jsonl_number_text(v, tmp, sizeof(tmp));
	size_t start = ex->cell.len;

	buf_puts(&ex->cell, text);
	if (ex->decimal == ',' && strpbrk(text, "eE") == NULL &&
	    (dot = memchr(ex->cell.buf + start, '.', ex->cell.len - start)) !=
	    NULL)
		*dot = ',';
}

static void
put_money(struct exporter *ex, const json_t *v)
{
	char tmp[48], text[48], field[512], *dot;

	if (!json_is_integer(v)) {
		if (json_is_number(v))
			snprintf(text, sizeof(text), "%.40s",
			    jsonl_number_text(v, tmp, sizeof(tmp)));
		else if (json_is_string(v))
			snprintf(text, sizeof(text), "\"%.40s\"",
			    json_string_value(v));
		else
			snprintf(text, sizeof(text), "%s", json_is_true(v) ?
			    "true" : json_is_false(v) ? "false" :
			    json_is_array(v) ? "an array" : "an object");
		field_text(ex, field, sizeof(field));
		problem(ex, "bad_amount", field, "%s is %s, not a whole "
		    "number of minor units", field, text);
		return;
	}
	if (ex->cur == NULL) {
		if (ex->cur_missing)
			problem(ex, "missing_field", "currency", "no currency "
			    "for the amounts");
		else if (json_is_string(ex->cur_bad))
			problem(ex, "bad_currency", "currency", "'%.40s' is "
			    "not an ISO 4217 currency code",
			    json_string_value(ex->cur_bad));
		else
			problem(ex, "bad_currency", "currency", "currency is "
			    "not a string");
		return;
	}
	money_format(json_integer_value(v), ex->cur->exponent, tmp,
	    sizeof(tmp));
	if (ex->decimal == ',' && (dot = strchr(tmp, '.')) != NULL)
		*dot = ',';
	buf_puts(&ex->cell, tmp);
}

static int
scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static void put_value(struct exporter *, const json_t *, int);

/* An object whose members are all scalars as "key: value; key: value";
 * any other as JSON. */
static void
put_object(struct exporter *ex, const json_t *v)
{
	const char *key;
	json_t *member;
	int first = 1;

	json_object_foreach((json_t *)v, key, member)
		if (!scalar(member)) {
			jsonl_encode(&ex->cell.buf, &ex->cell.cap, &ex->cell.len,
			    v);
			return;
		}
	json_object_foreach((json_t *)v, key, member) {
		if (!first)
			buf_put(&ex->cell, "; ", 2);
		first = 0;
		buf_puts(&ex->cell, key);
		buf_put(&ex->cell, ": ", 2);
		path_push(ex, key, 0);
		put_value(ex, member, 1);
		path_pop(ex);
	}
}

/* The value's text.  An array's elements are apart by " | "; within one,
 * an array is JSON. */
static void
put_value(struct exporter *ex, const json_t *v, int nested)
{
	json_t *e;
	size_t i;

	if (is_money(ex) && !json_is_null(v)) {
		put_money(ex, v);
		return;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_put(&ex->cell, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		put_number(ex, v);
		break;
	case JSON_TRUE:
		buf_puts(&ex->cell, "true");
		break;
	case JSON_FALSE:
		buf_puts(&ex->cell, "false");
		break;
	case JSON_OBJECT:
		put_object(ex, v);
		break;
	case JSON_ARRAY:
		if (nested) {
			jsonl_encode(&ex->cell.buf, &ex->cell.cap, &ex->cell.len,
			    v);
			break;
		}
		json_array_foreach(v, i, e) {
			if (i > 0)
				buf_put(&ex->cell, " | ", 3);
			path_push(ex, NULL, i);
			put_value(ex, e, 1);
			path_pop(ex);
		}
		break;
	case JSON_NULL:
		break;
	}
}

/* Follow the steps from v and put what they lead to.  An array met where
 * a key is next is gone through element by element, the texts apart by
 * " | ". */
static void
walk(struct exporter *ex, const json_t *v, const struct step *steps,
    size_t nsteps)
{
	const json_t *next;
	json_t *e;
	size_t i;

	if (v == NULL)
		return;
	if (nsteps == 0) {
		put_value(ex, v, 0);
		return;
	}
	if (json_is_array(v) && steps[0].key != NULL) {
		json_array_foreach(v, i, e) {
			if (i > 0)
				buf_put(&ex->cell, " | ", 3);
			path_push(ex, NULL, i);
			walk(ex, e, steps, nsteps);
			path_pop(ex);
		}
		return;
	}
	if (steps[0].key == NULL)
		next = json_array_get(v, steps[0].index);
	else
		next = json_object_get(v, steps[0].key);
	if (next == NULL)
		return;
	path_push(ex, steps[0].key, steps[0].index);
	walk(ex, next, steps + 1, nsteps - 1);
	path_pop(ex);
}

/* Put column c's CSV field into b: from the order, or from item i. */
static void
put_column(struct exporter *ex, const struct column *c, const json_t *order,
    const json_t *item, size_t i, struct growbuf *b)
{
	ex->cell.len = 0;
	ex->nat = 0;
	if (c->of_item) {
		if (item != NULL) {
			path_push(ex, "items", 0);
			path_push(ex, NULL, i);
			walk(ex, item, c->steps + 1, c->nsteps - 1);
		}
	} else
		walk(ex, order, c->steps, c->nsteps);
	csvwrite_field(&ex->csv, &b->buf, &b->cap, &b->len, ex->cell.buf,
	    ex->cell.len);
}

/* ---- orders ---- */

/* What makes a record an order to export: an id, items to make rows of
 * with --per item, and a known currency where there are amounts (checked
 * by put_money() as they are met). */
static const json_t *
check_order(struct exporter *ex, const json_t *order)
{
	const json_t *id = json_object_get(order, "id");
	const json_t *currency = json_object_get(order, "currency");
	const json_t *items, *item;
	size_t i;
	char field[32];

	if (id == NULL || json_is_null(id) ||
	    (json_is_string(id) && json_string_length(id) == 0))
		problem(ex, "missing_field", "id", "no order id");
	else if (!json_is_string(id) && !json_is_integer(id))
		problem(ex, "bad_type", "id", "id is neither a string nor a "
		    "whole number");
	ex->cur = NULL;
	ex->cur_bad = NULL;
	ex->cur_missing = 0;
	if (currency == NULL || json_is_null(currency) ||
	    (json_is_string(currency) && json_string_length(currency) == 0))
		ex->cur_missing = 1;
	else if (!json_is_string(currency) ||
	    (ex->cur = money_currency(json_string_value(currency))) == NULL)
		ex->cur_bad = currency;
	if (!ex->per_item)
		return NULL;
	items = json_object_get(order, "items");
	if (items == NULL || json_is_null(items))
		return NULL;
	if (!json_is_array(items)) {
		problem(ex, "bad_type", "items", "items is not an array");
		return NULL;
	}
	json_array_foreach(items, i, item)
		if (!json_is_object(item)) {
			snprintf(field, sizeof(field), "items[%zu]", i);
			problem(ex, "bad_type", field, "%s is not an object",
			    field);
		}
	return items;
}

/* The order's rows into ex->out, or a reject; 0, or -1 when standard
 * output fails. */
static int
export_order(struct exporter *ex, json_t *order, struct reject_stream *rej)
{
	const struct column *c;
	const json_t *items, *item;
	size_t i, k, nitems, nrows;

	ex->out.len = 0;
	ex->cells.len = 0;
	items = check_order(ex, order);
	/* The order's own columns once, whatever the number of rows. */
	for (k = 0; k < ex->ncolumns; k++) {
		c = &ex->columns[k];
		ex->cell_off[k] = ex->cells.len;
		if (!c->of_item)
			put_column(ex, c, order, NULL, 0, &ex->cells);
		ex->cell_len[k] = ex->cells.len - ex->cell_off[k];
	}
	nitems = items != NULL ? json_array_size(items) : 0;
	nrows = nitems > 0 ? nitems : 1;
	for (i = 0; i < nrows; i++) {
		item = i < nitems ? json_array_get(items, i) : NULL;
		for (k = 0; k < ex->ncolumns; k++) {
			c = &ex->columns[k];
			if (k > 0)
				csvwrite_delimiter(&ex->csv, &ex->out.buf,
				    &ex->out.cap, &ex->out.len);
			if (c->of_item)
				put_column(ex, c, order, item, i, &ex->out);
			else
				buf_put(&ex->out, ex->cells.buf +
				    ex->cell_off[k], ex->cell_len[k]);
		}
		csvwrite_end(&ex->csv, &ex->out.buf, &ex->out.cap,
		    &ex->out.len);
	}
	if (json_array_size(ex->errors) > 0) {
		reject_write(rej, order, ex->errors);
		json_array_clear(ex->errors);
		return 0;
	}
	ex->nrows += nrows;
	ex->norders++;
	return fwrite(ex->out.buf, 1, ex->out.len, stdout) == ex->out.len ?
	    0 : -1;
}

static int
write_header(struct exporter *ex, int bom)
{
	size_t k;

	ex->out.len = 0;
	if (bom)
		buf_put(&ex->out, "\xef\xbb\xbf", 3);
	for (k = 0; k < ex->ncolumns; k++) {
		if (k > 0)
			csvwrite_delimiter(&ex->csv, &ex->out.buf, &ex->out.cap,
			    &ex->out.len);
		csvwrite_field(&ex->csv, &ex->out.buf, &ex->out.cap,
		    &ex->out.len, ex->columns[k].header,
		    strlen(ex->columns[k].header));
	}
	csvwrite_end(&ex->csv, &ex->out.buf, &ex->out.cap, &ex->out.len);
	return fwrite(ex->out.buf, 1, ex->out.len, stdout) == ex->out.len ?
	    0 : -1;
}

/* Whether text names a language as [shop] lang may: two or three
 * lower-case letters, then perhaps "_" and a place of two upper-case
 * letters ("ru", "de_CH"). */
static int
is_lang(const char *text)
{
	size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyz");

	if (n < 2 || n > 3)
		return 0;
	if (text[n] == '\0')
		return 1;
	return text[n] == '_' && strspn(text + n + 1,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2 && text[n + 3] == '\0';
}

/* Whether --excel writes a decimal comma: by the shop's language when the
 * configuration sets [shop] lang (so that a cron job writes what the
 * shop's spreadsheets read), else by the environment's locale. */
static int
excel_comma(const struct conf *conf)
{
	const char *lang = conf_get(conf, "shop", NULL, "lang");
	char key[64];

	if (lang == NULL || *lang == '\0')
		return money_locale_decimal() == ',';
	if (!is_lang(lang))
		errx(EX_CONFIG, "%s '%s' is not a language such as ru or "
		    "de_CH", conf_keyname("shop", NULL, "lang", key,
		    sizeof(key)), lang);
	return money_name_decimal(lang) == ',';
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct exporter ex;
	struct jsonl_reader in;
	struct reject_stream rejects;
	struct conf *conf;
	json_t *order;
	const char *config_path = NULL;
	char *bad;
	const char *const *defaults;
	int ch, rc, status = 0, excel = 0, header = 1, crlf = 0;
	char delimiter = 0, decimal = 0;
	size_t k;

	valueblock_install();
	memset(&ex, 0, sizeof(ex));
	ex.csv.guard = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_COLUMNS:
			if (add_columns(&ex, optarg, &bad) == -1)
				cli_usage_error(&cli, "--columns: cannot read "
				    "'%s' as PATH or PATH:HEADER", bad);
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_CRLF:
			crlf = 1;
			break;
		case OPT_DECIMAL:
			if (strcmp(optarg, ".") != 0 && strcmp(optarg, ",") != 0)
				cli_usage_error(&cli, "--decimal '%s' is not "
				    "'.' or ','", optarg);
			decimal = optarg[0];
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, "tab") == 0)
				delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"' &&
			    optarg[0] != '\r' && optarg[0] != '\n')
				delimiter = optarg[0];
			else
				cli_usage_error(&cli, "--delimiter '%s' is not "
				    "one character or 'tab'", optarg);
			break;
		case OPT_EXCEL:
			excel = 1;
			break;
		case OPT_NO_GUARD:
			ex.csv.guard = 0;
			break;
		case OPT_NO_HEADER:
			header = 0;
			break;
		case OPT_PER:
			if (strcmp(optarg, "order") == 0)
				ex.per_item = 0;
			else if (strcmp(optarg, "item") == 0)
				ex.per_item = 1;
			else
				cli_usage_error(&cli, "--per '%s' is not order "
				    "or item", optarg);
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (ex.columns == NULL) {
		for (defaults = order_columns; *defaults != NULL; defaults++)
			if (add_columns(&ex, *defaults, &bad) == -1)
				errx(EX_SOFTWARE, "bad default column '%s'",
				    bad);
		for (defaults = item_columns; ex.per_item &&
		    *defaults != NULL; defaults++)
			if (add_columns(&ex, *defaults, &bad) == -1)
				errx(EX_SOFTWARE, "bad default column '%s'",
				    bad);
	}
	for (k = 0; k < ex.ncolumns; k++) {
		struct column *c = &ex.columns[k];

		c->of_item = ex.per_item && c->steps[0].key != NULL &&
		    strcmp(c->steps[0].key, "items") == 0 &&
		    (c->nsteps == 1 || c->steps[1].key != NULL);
	}
	conf = conf_load(config_path);			/* exits 78 */
	if (decimal == 0)
		decimal = excel && excel_comma(conf) ? ',' : '.';
	conf_free(conf);
	if (delimiter == 0)
		delimiter = decimal == ',' ? ';' : ',';
	if (decimal == delimiter)
		cli_usage_error(&cli, "the decimal separator and the delimiter "
		    "are both '%c'", decimal);
	ex.decimal = decimal;
	ex.csv.delimiter = delimiter;
	ex.csv.crlf = crlf || excel;
	ex.cell_off = xcalloc(ex.ncolumns, sizeof(*ex.cell_off));
	ex.cell_len = xcalloc(ex.ncolumns, sizeof(*ex.cell_len));
	if ((ex.errors = json_array()) == NULL)
		xnomem();

	cli_need_input(&cli, argc - optind);
	reject_open(&rejects, cli.rejects_path);
	jsonl_open(&in, argc - optind, argv + optind);
	if (header && write_header(&ex, excel) == -1)
		status = EX_IOERR;
	while (status == 0 && (order = reject_read(&rejects, &in)) != NULL) {
		if (export_order(&ex, order, &rejects) == -1)
			status = EX_IOERR;
		json_decref(order);
	}
	if ((rc = jsonl_close(&in)) != 0 && status == 0)
		status = rc;
	progress_end();
	if (cli.stats)
		fprintf(stderr, "order-export: %lu read, %lu orders in %lu "
		    "rows, %lu rejected\n", in.nlines, ex.norders, ex.nrows,
		    rejects.count);
	cli_count("read", in.nlines);
	cli_count("orders", ex.norders);
	cli_count("rows", ex.nrows);
	if ((rc = cli_stats_json(&cli, &rejects)) != 0 && status == 0)
		status = rc;
	if (reject_close(&rejects) == -1 && status == 0)
		status = EX_IOERR;
	if (jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	json_decref(ex.errors);
	for (k = 0; k < ex.ncolumns; k++)
		column_release(&ex.columns[k]);
	free(ex.columns);
	free(ex.cell_off);
	free(ex.cell_len);
	free(ex.cell.buf);
	free(ex.cells.buf);
	free(ex.out.buf);
	valueblock_release();
	return cli_status(&cli, status, rejects.count);
}
