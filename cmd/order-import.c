/* order-import: turn shop and marketplace exports (Shopify, Amazon, Etsy,
 * eBay, WooCommerce, Ozon, Yandex Market, Wildberries, any CSV with a map)
 * into order records. */
#include <ctype.h>
#include <err.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "cli.h"
#include "conf.h"
#include "country.h"
#include "datadir.h"
#include "exporttime.h"
#include "import.h"
#include "jsonl.h"
#include "jsonx.h"
#include "mapfile.h"
#include "money.h"
#include "profile.h"
#include "progress.h"
#include "reject.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-import [--format NAME|auto] [--map FILE] [--config FILE]\n"
    "                    [--encoding auto|utf-8|cp1251|cp1252|cp932|...]\n"
    "                    [--delimiter C] [--tz ZONE] [--currency CODE]\n"
    "                    [--country CC] [--ship-method courier|post|pickup]\n"
    "                    [--rejects FILE] [--strict] [--stats[=json|FILE]]\n"
    "                    [--progress | --no-progress] [--list-formats]\n"
    "                    [FILE ...]\n";

#define OPT_CONFIG	'F'
#define OPT_COUNTRY	'C'
#define OPT_CURRENCY	'c'
#define OPT_DELIMITER	'd'
#define OPT_ENCODING	'e'
#define OPT_FORMAT	'f'
#define OPT_LIST	'l'
#define OPT_MAP		'm'
#define OPT_SHIP	's'
#define OPT_TZ		'z'

static const struct option longopts[] = {
	{ "config",	  required_argument, NULL, OPT_CONFIG },
	{ "country",	  required_argument, NULL, OPT_COUNTRY },
	{ "currency",	  required_argument, NULL, OPT_CURRENCY },
	{ "delimiter",	  required_argument, NULL, OPT_DELIMITER },
	{ "encoding",	  required_argument, NULL, OPT_ENCODING },
	{ "format",	  required_argument, NULL, OPT_FORMAT },
	CLI_OPT_HELP,
	{ "list-formats", no_argument,	     NULL, OPT_LIST },
	{ "map",	  required_argument, NULL, OPT_MAP },
	CLI_OPT_NO_PROGRESS,
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	{ "ship-method",  required_argument, NULL, OPT_SHIP },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "tz",		  required_argument, NULL, OPT_TZ },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--config FILE", "the configuration: source profiles (orderkit.conf(5))" },
	{ "--country CC", "the country of addresses that name none" },
	{ "--currency CODE", "the currency of orders whose file names none" },
	{ "--delimiter C", "the field delimiter of CSV files" },
	{ "--encoding NAME", "the encoding of CSV files (default: auto)" },
	{ "--format NAME", "read every file as this format (default: auto)" },
	CLI_ITEM_HELP,
	{ "--list-formats", "print the formats and exit" },
	{ "--map FILE", "read CSV files through this map" },
	CLI_ITEM_NO_PROGRESS,
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	{ "--ship-method M",
	    "courier, post or pickup, where the source says none" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	{ "--tz ZONE", "the zone of times without an offset" },
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 70, 71, 73, 74, 78, -1 };
static const struct cli_help help_text = {
	"Turn shop and marketplace exports into order records.",
	help_options, help_exits, "order-import(1)"
};

struct options {
	const char	*format;	/* NULL: auto */
	const char	*map_path;
	char		*map_found;	/* map_path, found by name */
	struct import_map user_map;
	int		 has_map;
	const char	*encoding;	/* NULL: auto */
	char		 delimiter;	/* 0: sniffed */
	int		 tz, has_tz;
	const char	*currency;
	const char	*country;
	const char	*ship_method;
};

struct totals {
	unsigned long	 rows;		/* data rows read */
	unsigned long	 written, rejected;	/* orders */
	unsigned long	 rows_written, rows_rejected;
	unsigned long	 skipped;	/* footer lines */
};

/* ---- the run over one input ---- */

struct run {
	struct options	*opt;
	struct cli	*cli;
	struct reject_stream *rejects;
	struct totals	*totals;
	struct import_ctx ctx;
	int		 status;
	struct import_held held;	/* orders whose rows go on below */
	struct profile_set *profiles;	/* [source "NAME"]: tz */
	const char	*layout;	/* of the current CSV input */
	int		 hold_etsy;	/* Etsy's items and orders files may
					 * both be given: merge their records */
	struct import_etsy etsy;	/* their records, held */
	char		*buf;		/* a record's text */
	size_t		 cap;
};

/* Write the Etsy records held, one per order of both files. */
static void
flush_etsy(struct run *r)
{
	size_t merged = import_etsy_flush(&r->etsy, stdout);

	/* Each merged order was counted in both files. */
	r->totals->written -= merged;
	if (r->cli->stats && merged > 0)
		fprintf(stderr, "order-import: %zu Etsy orders merged from "
		    "the items and orders files\n", merged);
}

static void
emit(struct run *r, struct import_order *o)
{
	json_t *reject;
	size_t len = 0;

	if (import_order_finish(o, &r->buf, &r->cap, &len, &reject) == 0) {
		if (r->hold_etsy && r->layout != NULL &&
		    strncmp(r->layout, "etsy-", 5) == 0)
			import_etsy_hold(&r->etsy, r->layout, r->buf, len);
		else
			fwrite(r->buf, 1, len, stdout);
		r->totals->written++;
		r->totals->rows_written += o->nrows;
	} else {
		reject_write(r->rejects, reject, o->errors);
		json_decref(reject);
		r->totals->rejected++;
		r->totals->rows_rejected += o->nrows;
	}
	import_order_free(o);
}

static void
emit_held(void *arg, struct import_order *o)
{
	emit(arg, o);
}
static void
stats_line(const struct run *r, const char *name, const char *format,
    const char *encoding, char delim, const struct totals *t)
{
	if (!r->cli->stats)
		return;
	progress_clear();
	fprintf(stderr, "order-import: '%s': format %s, encoding %s, "
	    "delimiter %s; %lu rows read; %lu orders written (%lu rows), "
	    "%lu orders rejected (%lu rows)", name, format, encoding,
	    delim == '\t' ? "tab" : delim == ',' ? "','" : delim == ';' ?
	    "';'" : delim == 0 ? "none" : "other", t->rows, t->written,
	    t->rows_written, t->rejected, t->rows_rejected);
	if (t->skipped > 0)
		fprintf(stderr, "; %lu footer lines skipped", t->skipped);
	if (r->ctx.zoneless > 0)
		fprintf(stderr, "; %lu times without a zone read as UTC",
		    r->ctx.zoneless);
	fputc('\n', stderr);
}

/* The zone of the source's export times: --tz, else the profile's tz,
 * else none (UTC, with a warning when a time needs it). */
static void
source_zone(struct run *r)
{
	const struct profile *p;
	char key[128];
	int minutes;

	r->ctx.tz = r->opt->tz;
	r->ctx.has_tz = r->opt->has_tz;
	r->ctx.zoneless = 0;
	if (r->opt->has_tz || r->ctx.source == NULL)
		return;
	p = profile_find(r->profiles, r->ctx.source);
	if (p->tz == NULL)
		return;
	if (exporttime_zone(p->tz, &minutes) == -1)
		errx(EX_CONFIG, "%s '%s' is an unknown or daylight-saving "
		    "zone: give +HH:MM", conf_keyname("source", r->ctx.source,
		    "tz", key, sizeof(key)), p->tz);
	r->ctx.tz = minutes;
	r->ctx.has_tz = 1;
}

/* Say once per input that times went in as UTC for want of a zone. */
static void
zoneless_warning(const struct run *r, const char *name)
{
	if (r->ctx.zoneless > 0)
		warnx("'%s': %lu times without a zone read as UTC: give --tz "
		    "or set tz in [source \"%s\"]", name, r->ctx.zoneless,
		    r->ctx.source != NULL ? r->ctx.source : "NAME");
}

/* Add a data row to the order it belongs to, which becomes *curp: a row
 * of another key emits the order before it, or holds it when its rows go
 * on further down. */
static void
add_row(struct run *r, const struct import_map *map,
    const struct charset *cs, struct import_row *row,
    const struct import_ahead_row *ar,
    char *const *names, size_t ncolumns, struct import_scatter *scatter,
    struct import_order **curp, uint64_t *cur_hp)
{
	struct import_order *cur = *curp;
	const char *key;
	unsigned long *last;
	size_t i;

	if (map->footers && import_row_footer(row)) {
		r->totals->skipped++;
		return;
	}
	r->totals->rows++;
	key = ar->hash != 0 ? row->fields[ar->keycol] : "";
	if (cur == NULL || ar->hash == 0 || ar->hash != *cur_hp ||
	    strcmp(cur->key, key) != 0) {
		if (cur != NULL) {
			last = *cur_hp ?
			    import_scatter_slot(scatter, *cur_hp, 0) : NULL;
			if (last != NULL && *last > ar->n - 1)
				import_held_put(&r->held, cur);
			else
				emit(r, cur);
		}
		cur = ar->hash ? import_held_take(&r->held, key) : NULL;
		if (cur == NULL)
			cur = import_order_new(&r->ctx, key, strlen(key));
		*curp = cur;
		*cur_hp = ar->hash;
	}
	import_order_rowat(cur, ar->line, ar->off, ar->len);
	cur->last = ar->n;
	if (row->bad_encoding)
		import_order_error(cur, "bad_encoding", NULL,
		    "line %lu: text that is not %s (try --encoding)",
		    ar->line, cs->name);
	if (row->nfields < ncolumns)
		import_order_error(cur, "bad_row", NULL, "line %lu: "
		    "%zu fields where the header has %zu (a row cut "
		    "short?)", ar->line, row->nfields, ncolumns);
	else if (row->nfields > ncolumns) {
		for (i = ncolumns; i < row->nfields; i++)
			if (row->fields[i][0] != '\0')
				break;
		if (i < row->nfields)
			import_order_error(cur, "bad_row", NULL,
			    "line %lu: %zu fields where the header "
			    "has %zu", ar->line, row->nfields, ncolumns);
	}
	import_apply_row(cur, map, row, names, ar->line);
}

static int
import_csv(struct run *r, struct import_input *in)
{
	struct options *opt = r->opt;
	struct import_layouts lc;
	struct charset cs;
	struct charset_guess guess;
	struct import_scatter scatter;
	struct import_prepass pp;
	struct import_ahead ahead;
	struct import_ahead_batch *batch;
	const struct import_ahead_row *ar;
	struct import_row row = { 0 };		/* a batch's row: its fields */
	struct import_map *map;
	struct import_order *cur = NULL;
	struct totals before = *r->totals, t;
	const char *encoding;
	char **names = NULL;
	struct charset backcs;
	struct import_rawback back = { in->fp, NULL };
	char delim;
	unsigned long hrow, n;
	size_t i, b, ncolumns = 0;
	uint64_t cur_h = 0;
	int status = 0, tries;

	import_layouts_load(&lc, opt->has_map ? &opt->user_map : NULL,
	    opt->format);
	delim = opt->delimiter ? opt->delimiter :
	    opt->has_map && opt->user_map.delimiter ? opt->user_map.delimiter :
	    import_input_delimiter(in);
	encoding = opt->encoding ? opt->encoding :
	    opt->has_map && opt->user_map.encoding ? opt->user_map.encoding :
	    NULL;
	if (encoding == NULL) {
		charset_guess_init(&guess);
		charset_guess_feed(&guess, in->sniff, in->nsniff);
		encoding = charset_guess_result(&guess);
	}
	import_scatter_init(&scatter);
	for (tries = 0; ; tries++) {
		if (charset_open(&cs, encoding) == -1) {
			warnx("unknown encoding '%s'", encoding);
			status = EX_USAGE;
			goto out;
		}
		hrow = import_find_header(in->fp, in->name, delim, &cs, &lc);
		if (hrow == 0) {
			if (import_input_first_byte(in) == -1)
				warnx("'%s' is empty: no header line", in->name);
			else if (opt->has_map)
				warnx("'%s' does not fit the map '%s': the "
				    "header lacks %s", in->name, opt->map_path,
				    lc.missing);
			else if (opt->format != NULL)
				warnx("'%s' is no %s export: the header "
				    "lacks %s", in->name, opt->format,
				    lc.missing);
			else if (lc.nmissing >= 0)
				warnx("'%s': no known format fits; the closest "
				    "is %s, whose columns %s are missing",
				    in->name, lc.closest, lc.missing);
			else
				warnx("'%s': no known format fits: no header "
				    "line found", in->name);
			charset_close(&cs);
			status = EX_DATAERR;
			goto out;
		}
		map = lc.chosen;
		memset(&pp, 0, sizeof(pp));
		pp.scatter = &scatter;
		pp.group_col = map->group_col;
		pp.ngroup = map->ngroup;
		pp.header_row = hrow;
		charset_guess_init(&guess);
		pp.guess = opt->encoding || (opt->has_map &&
		    opt->user_map.encoding) ? NULL : &guess;
		if (import_prepass(in->fp, delim, &pp) == -1) {
			charset_close(&cs);
			status = EX_IOERR;
			goto out;
		}
		if (pp.guess == NULL || tries > 0 ||
		    strcmp(charset_guess_result(&guess), cs.name) == 0)
			break;
		/* The file's later bytes tell another encoding. */
		encoding = charset_guess_result(&guess);
		charset_close(&cs);
		import_scatter_release(&scatter);
		import_scatter_init(&scatter);
	}
	r->ctx.source = map->source;
	r->layout = map->layout;
	source_zone(r);
	r->ctx.dates = map->dates;
	r->ctx.ndates = map->ndates;
	r->ctx.decimal = map->decimal;
	r->ctx.zone = map->zone;
	r->ctx.has_zone = map->has_zone;
	r->ctx.tax_added_in = map->tax_added_in;
	r->ctx.raw = import_raw_back;
	r->ctx.raw_arg = &back;
	r->ctx.no_prices = 1;
	for (i = 0; i < map->nrules; i++)
		if ((map->rules[i].field == IMPORT_ITEM_PRICE ||
		    map->rules[i].field == IMPORT_ITEM_LINE_TOTAL) &&
		    (map->rules[i].col >= 0 || map->rules[i].op == IMPORT_CONST))
			r->ctx.no_prices = 0;

	/* Rejects read their rows back through a charset of their own: the
	 * reader thread's is busy. */
	if (charset_open(&backcs, cs.name) == -1)
		errx(EX_SOFTWARE, "cannot reopen encoding '%s'", cs.name);
	back.cs = &backcs;
	import_ahead_start(&ahead, in->fp, delim, &cs, map);
	batch = NULL;
	while ((batch = import_ahead_next(&ahead, batch)) != NULL) {
		progress(batch->nrows);
		for (b = 0; b < batch->nrows; b++) {
			ar = &batch->rows[b];
			n = ar->n;
			if (n < hrow)
				continue;
			if (row.cap < ar->nfields) {
				row.cap = ar->nfields;
				row.fields = xrealloc(row.fields,
				    row.cap * sizeof(*row.fields));
			}
			for (i = 0; i < ar->nfields; i++)
				row.fields[i] = batch->text +
				    batch->offs[ar->first + i];
			row.nfields = ar->nfields;
			row.bad_encoding = ar->bad_encoding;
			if (n == hrow) {
				ncolumns = row.nfields;
				names = xcalloc(ncolumns + 1, sizeof(*names));
				for (i = 0; i < ncolumns; i++)
					names[i] = xstrdup(row.fields[i]);
				continue;
			}
			if (ar->blank)
				continue;
			add_row(r, map, &cs, &row, ar, names, ncolumns,
			    &scatter, &cur, &cur_h);
		}
	}
	if (cur != NULL)
		emit(r, cur);
	import_held_flush(&r->held, emit_held, r);
	if (import_ahead_finish(&ahead) != 0)
		status = EX_IOERR;
	free(row.fields);
	charset_close(&backcs);
	t = *r->totals;
	t.rows -= before.rows;
	t.written -= before.written;
	t.rejected -= before.rejected;
	t.rows_written -= before.rows_written;
	t.rows_rejected -= before.rows_rejected;
	t.skipped -= before.skipped;
	stats_line(r, in->name, map->layout, cs.name, delim, &t);
	zoneless_warning(r, in->name);
	r->ctx.raw = NULL;
	charset_close(&cs);
	if (names != NULL)
		for (i = 0; i < ncolumns; i++)
			free(names[i]);
	free(names);
out:
	import_scatter_release(&scatter);
	import_layouts_release(&lc);
	return status;
}

/* ---- JSON ---- */
static void
json_object_to_order(struct run *r, const json_t *v, int kind,
    unsigned long line, const char *raw, size_t rawlen)
{
	struct import_order *o;
	char keybuf[64];
	const char *key;

	key = import_json_key(kind, v, keybuf, sizeof(keybuf));
	if (key == NULL)
		key = "";
	r->totals->rows++;
	if (import_json_grouped(kind) && *key != '\0' &&
	    (o = import_held_take(&r->held, key)) != NULL) {
		/* positions of one order: held until the end */
	} else
		o = import_order_new(&r->ctx, key, strlen(key));
	import_order_row(o, line, raw, rawlen);
	o->last = line;
	import_json_order(o, kind, v, line);
	if (import_json_grouped(kind))
		import_held_put(&r->held, o);
	else
		emit(r, o);
}

static int
json_format_kind(const char *format)
{
	int k;

	for (k = IMPORT_WOOCOMMERCE; k <= IMPORT_WB_MARKET; k++)
		if (strcmp(import_json_format(k), format) == 0)
			return k;
	return IMPORT_JSON_NONE;
}

static void
json_reject(struct run *r, unsigned long line, const char *raw, size_t len,
    const char *code, const char *message)
{
	reject_line(r->rejects, r->ctx.file, line, raw, len, code, message);
	r->totals->rows++;
	r->totals->rejected++;
	r->totals->rows_rejected++;
}

/* The reject for the part of a value import_json_mend() took off. */
static void
json_cut_reject(struct run *r, struct import_jsoncut *cut)
{
	char msg[256];

	if (cut->text == NULL)
		return;
	snprintf(msg, sizeof(msg), "cut short: the input ends at line %lu, "
	    "byte %lld, inside this value; the %zu whole values before it "
	    "are kept", cut->endline, cut->end, cut->kept);
	json_reject(r, cut->line, cut->text, cut->len, "bad_json", msg);
	free(cut->text);
	cut->text = NULL;
}

static int
import_json(struct run *r, struct import_input *in)
{
	struct import_jsonsplit js = { in->fp, 0, 0, 0, -1, 0 };
	struct import_jsoncut cut;
	struct totals before = *r->totals, t;
	json_error_t error;
	json_t *v, *list, *elem;
	char *buf = NULL, *etext = NULL, msg[256];
	size_t cap = 0, len, i, ecap = 0, elen;
	unsigned long line = 0;
	int kind = IMPORT_JSON_NONE, k, want = IMPORT_JSON_NONE, status = 0;
	int seen = 0;

	if (r->opt->format != NULL)
		want = json_format_kind(r->opt->format);
	while (import_json_next(&js, &buf, &cap, &len, &line)) {
		cut.text = NULL;
		if (js.cut) {
			import_json_mend(&buf, &cap, &len, line, &cut);
			cut.end = ftello(in->fp);
		}
		if ((v = jsonl_parse(buf, len, JSON_DECODE_ANY, &error)) == NULL) {
			snprintf(msg, sizeof(msg), "not JSON: %s", error.text);
			json_reject(r, line, buf, len, "bad_json", msg);
			json_cut_reject(r, &cut);
			continue;
		}
		list = import_json_unwrap(v);
		if (list == NULL)
			list = v;
		for (i = 0; i < (json_is_array(list) ? json_array_size(list) :
		    1); i++) {
			elem = json_is_array(list) ? json_array_get(list, i) :
			    list;
			k = import_json_kind(elem);
			if (kind == IMPORT_JSON_NONE && k != IMPORT_JSON_NONE &&
			    (want == IMPORT_JSON_NONE ||
			    strcmp(import_json_format(k),
			    import_json_format(want)) == 0)) {
				kind = k;
				import_json_ctx(kind, &r->ctx);
				source_zone(r);
			}
			seen++;
			if (k == IMPORT_JSON_NONE || kind == IMPORT_JSON_NONE ||
			    strcmp(import_json_format(k),
			    import_json_format(kind)) != 0) {
				snprintf(msg, sizeof(msg), "not %s %s order",
				    kind == IMPORT_JSON_NONE && want ==
				    IMPORT_JSON_NONE ? "any known" :
				    import_json_format(kind !=
				    IMPORT_JSON_NONE ? kind : want),
				    "JSON");
				if (json_is_array(list)) {
					elen = 0;
					jsonl_encode(&etext, &ecap, &elen,
					    elem);
					json_reject(r, line, etext, elen,
					    "unknown_object", msg);
				} else
					json_reject(r, line, buf, len,
					    "unknown_object", msg);
				continue;
			}
			if (json_is_array(list)) {
				elen = 0;
				jsonl_encode(&etext, &ecap, &elen, elem);
				json_object_to_order(r, elem, kind, line,
				    etext, elen);
			} else
				json_object_to_order(r, elem, kind, line, buf,
				    len);
		}
		json_decref(v);
		json_cut_reject(r, &cut);
	}
	import_held_flush(&r->held, emit_held, r);
	free(buf);
	free(etext);
	if (seen > 0 && kind == IMPORT_JSON_NONE) {
		if (want != IMPORT_JSON_NONE)
			warnx("'%s' is no %s export: no object has its "
			    "keys", in->name, r->opt->format);
		else
			warnx("'%s': no known format fits: the JSON holds no "
			    "WooCommerce (line_items, number), Ozon "
			    "(posting_number), Yandex Market (items, "
			    "itemsTotal) or Wildberries (gNumber, rid) order",
			    in->name);
		status = EX_DATAERR;
	}
	t = *r->totals;
	t.rows -= before.rows;
	t.written -= before.written;
	t.rejected -= before.rejected;
	t.rows_written -= before.rows_written;
	t.rows_rejected -= before.rows_rejected;
	t.skipped = 0;
	stats_line(r, in->name, kind == IMPORT_JSON_NONE ? "none" :
	    import_json_format(kind), "utf-8", 0, &t);
	zoneless_warning(r, in->name);
	return status;
}

/* ---- main ---- */

static int
import_file(struct run *r, const char *path)
{
	struct import_input in;
	struct totals t;
	int status, fb, json_format;

	if ((status = import_input_open(&in, path)) != 0)
		return status;
	r->ctx.file = in.name;
	r->ctx.source = NULL;
	r->layout = NULL;
	r->ctx.dates = NULL;
	r->ctx.ndates = 0;
	r->ctx.decimal = 0;
	r->ctx.has_zone = 0;
	r->ctx.no_prices = 0;
	r->ctx.tax_added_in = NULL;
	fb = import_input_first_byte(&in);
	json_format = r->opt->format != NULL &&
	    json_format_kind(r->opt->format) != IMPORT_JSON_NONE;
	if (fb == -1 && in.nsniff < IMPORT_SNIFF_SIZE) {
		/* No export, no rows: nothing to do, as for every program
		 * given no records; not a reject, so not for --strict. */
		warnx("'%s' is empty: nothing to import", in.name);
		memset(&t, 0, sizeof(t));
		stats_line(r, in.name, "none", "utf-8", 0, &t);
	} else if (json_format && fb != '{' && fb != '[') {
		warnx("'%s' is no %s export: it is not JSON", in.name,
		    r->opt->format);
		status = EX_DATAERR;
	} else if (!r->opt->has_map && (fb == '{' || fb == '[') &&
	    (r->opt->format == NULL || json_format))
		status = import_json(r, &in);
	else
		status = import_csv(r, &in);
	if (import_input_close(&in) != 0 && status == 0)
		status = EX_IOERR;
	return status;
}

static void
list_formats(void)
{
	struct import_format *list;
	size_t i, n;

	list = import_formats(&n);
	for (i = 0; i < n; i++)
		printf("%-14s %s\n", list[i].name, list[i].about);
	free(list);
}

static int
known_format(const char *name)
{
	struct import_format *list;
	size_t i, n;
	int found = 0;

	list = import_formats(&n);
	for (i = 0; i < n && !found; i++)
		found = strcmp(list[i].name, name) == 0;
	free(list);
	return found;
}

static void
read_map(struct options *opt, const struct cli *cli)
{
	char *text, errbuf[512];
	int status;

	/* A map installed under the name given: its path in the messages. */
	if ((opt->map_found = datadir_find(opt->map_path, "maps", ".map",
	    errbuf, sizeof(errbuf))) == NULL)
		errx(EX_NOINPUT, "%s", errbuf);
	opt->map_path = opt->map_found;
	/* On the way out the path found goes too: the fuzzer runs main()
	 * again after exit(3). */
	if ((text = mapfile_read(opt->map_path, errbuf, sizeof(errbuf),
	    &status)) == NULL) {
		free(opt->map_found);
		errx(status, "%s", errbuf);
	}
	if (import_map_parse(&opt->user_map, text, opt->map_path, errbuf,
	    sizeof(errbuf)) == -1) {
		free(text);
		free(opt->map_found);
		warnx("%s", errbuf);
		(void)cli;
		exit(EX_CONFIG);
	}
	free(text);
	opt->user_map.user = 1;
	opt->has_map = 1;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct options opt;
	struct reject_stream rejects;
	struct totals totals;
	struct run run;
	const struct money_currency *cur;
	const char *config_path = NULL;
	struct conf *conf;
	int ch, i, status = 0, s, list = 0, minutes;
	char up[4];

	valueblock_install();
	memset(&opt, 0, sizeof(opt));
	memset(&totals, 0, sizeof(totals));
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_COUNTRY:
			if (strlen(optarg) == 2) {
				up[0] = toupper((unsigned char)optarg[0]);
				up[1] = toupper((unsigned char)optarg[1]);
				up[2] = '\0';
			}
			if (strlen(optarg) != 2 || country_find(up) == NULL)
				cli_usage_error(&cli, "'%s' is not an ISO 3166-1 "
				    "alpha-2 country code such as RU or DE",
				    optarg);
			opt.country = xstrdup(up);
			break;
		case OPT_CURRENCY:
			if ((cur = money_currency_anycase(optarg,
			    strlen(optarg))) == NULL)
				cli_usage_error(&cli, "'%s' is not an ISO 4217 "
				    "currency code", optarg);
			opt.currency = cur->code;
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, "tab") == 0 ||
			    strcmp(optarg, "\\t") == 0)
				opt.delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"')
				opt.delimiter = optarg[0];
			else
				cli_usage_error(&cli, "'%s' is not a delimiter: "
				    "give one character or 'tab'", optarg);
			break;
		case OPT_ENCODING:
			opt.encoding = strcmp(optarg, "auto") == 0 ? NULL :
			    optarg;
			if (opt.encoding != NULL) {
				struct charset cs;

				if (charset_open(&cs, optarg) == -1)
					cli_usage_error(&cli, "unknown encoding "
					    "'%s'", optarg);
				charset_close(&cs);
			}
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "auto") == 0) {
				opt.format = NULL;
				break;
			}
			if (!known_format(optarg))
				cli_usage_error(&cli, "unknown format '%s' "
				    "(see --list-formats)", optarg);
			opt.format = optarg;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_MAP:
			opt.map_path = optarg;
			break;
		case OPT_SHIP:
			if (strcmp(optarg, "courier") != 0 &&
			    strcmp(optarg, "post") != 0 &&
			    strcmp(optarg, "pickup") != 0)
				cli_usage_error(&cli, "'%s' is not a shipping "
				    "method: courier, post or pickup", optarg);
			opt.ship_method = optarg;
			break;
		case OPT_TZ:
			if (exporttime_zone(optarg, &minutes) == -1)
				cli_usage_error(&cli, "unknown or daylight-saving "
				    "zone '%s': give +HH:MM", optarg);
			opt.tz = minutes;
			opt.has_tz = 1;
			break;
		default:
			cli_option(&cli, '?', NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (list) {
		list_formats();
		return jsonl_finish(stdout, "<stdout>") == -1 ? EX_IOERR : EX_OK;
	}
	cli_need_input(&cli, argc);
	if (opt.format != NULL && strcmp(opt.format, "generic") == 0) {
		if (opt.map_path == NULL)
			cli_usage_error(&cli, "the generic format needs --map");
		opt.format = NULL;
	}
	if (opt.map_path != NULL) {
		if (opt.format != NULL)
			cli_usage_error(&cli, "--map is for the generic "
			    "format, not '%s'", opt.format);
		read_map(&opt, &cli);
	}
	conf = conf_load(config_path);			/* exits 78 */
	reject_open(&rejects, cli.rejects_path);
	memset(&run, 0, sizeof(run));
	run.profiles = profile_load(conf);
	run.opt = &opt;
	run.cli = &cli;
	run.rejects = &rejects;
	run.totals = &totals;
	run.ctx.currency = opt.currency;
	run.ctx.country = opt.country;
	run.ctx.ship_method = opt.ship_method;
	run.ctx.tz = opt.tz;
	run.ctx.has_tz = opt.has_tz;
	run.hold_etsy = argc > 1 && (opt.format == NULL ||
	    strcmp(opt.format, "etsy") == 0);
	if (argc == 0)
		status = import_file(&run, "-");
	for (i = 0; i < argc; i++) {
		s = import_file(&run, argv[i]);
		if (s != 0 && (status == 0 || status == EX_DATAERR))
			status = s;
	}
	flush_etsy(&run);
	if (cli.stats && argc > 1)
		fprintf(stderr, "order-import: all: %lu rows read; %lu orders "
		    "written (%lu rows), %lu orders rejected (%lu rows)\n",
		    totals.rows, totals.written, totals.rows_written,
		    totals.rejected, totals.rows_rejected);
	import_held_release(&run.held);
	profile_free(run.profiles);
	conf_free(conf);
	free(run.buf);
	if (opt.has_map)
		import_map_release(&opt.user_map);
	free(opt.map_found);
	free((char *)opt.country);
	valueblock_release();
	cli_count("rows", totals.rows);
	cli_count("written", totals.written);
	cli_count("rows_written", totals.rows_written);
	cli_count("rejected", totals.rejected);
	cli_count("rows_rejected", totals.rows_rejected);
	return cli_finish(&cli, status, &rejects, NULL);
}

