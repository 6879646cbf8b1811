/* stock-load: set or adjust on-hand stock per SKU and warehouse from CSV or
 * JSON lines, in one transaction; standard output stays empty. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "catalog.h"
#include "cli.h"
#include "csvread.h"
#include "fileio.h"
#include "jsonl.h"
#include "progress.h"
#include "reject.h"
#include "stock.h"
#include "store.h"
#include "utf8.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: stock-load [--catalog FILE] [--db PATH|URL] [--mode set|add]\n"
    "                  [--progress | --no-progress] [--rejects FILE]\n"
    "                  [--stats[=json|FILE]] [--strict] [--warehouse ID]\n"
    "                  [FILE ...]\n";

#define OPT_CATALOG	'c'
#define OPT_DB		'd'
#define OPT_MODE	'm'
#define OPT_WAREHOUSE	'w'

static const struct option longopts[] = {
	{ "catalog",	required_argument, NULL, OPT_CATALOG },
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	{ "mode",	required_argument, NULL, OPT_MODE },
	CLI_OPT_NO_PROGRESS,
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ "warehouse",	required_argument, NULL, OPT_WAREHOUSE },
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--catalog FILE", "reject SKUs that the catalog lacks" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	CLI_ITEM_HELP,
	{ "--mode set|add", "set the quantities (the default) or add to them" },
	CLI_ITEM_NO_PROGRESS,
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ "--warehouse ID", "the warehouse of rows that name none" },
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 70, 71, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Set or adjust on-hand stock per SKU and warehouse.",
	help_options, help_exits, "stock-load(1)"
};

/* A row that passed the checks, to be loaded. */
struct row {
	char	*sku, *warehouse;
	int64_t	 qty;
	int64_t	 priority;
	int	 has_priority;	/* else leave the warehouse's as it is */
	char	*regions;	/* "A;B" or NULL: leave as it is */
	size_t	 seq;		/* input order, for a stable sort */
	json_t	*source;	/* the row as a record, for a reject */
};

struct loader {
	int		 add;		/* --mode add */
	const char	*warehouse;	/* --warehouse */
	struct catalog	 catalog;
	int		 have_catalog;
	struct reject_stream rejects;
	struct row	*rows;
	size_t		 nrows, cap;
	unsigned long	 nin;
};

/* Text fit for a key: UTF-8, no control characters, 1 to 200 bytes. */
static int
good_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	if (n == 0 || n > 200)
		return 0;
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((k = utf8_seqlen(p, n - (p - (const unsigned char *)s))) ==
		    0)
			return 0;
		p += k;
	}
	return 1;
}

/* A whole number, "+5" and "-3" too; 0 or -1. */
static int
parse_int(const char *s, int64_t *v)
{
	char *end;
	long long n;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (errno != 0 || *end != '\0' || n < -1000000000000LL ||
	    n > 1000000000000LL)
		return -1;
	*v = n;
	return 0;
}

/* Regions "A; B;C" to "A;B;C"; NULL when one is empty or bad. */
static char *
clean_regions(const char *s)
{
	char *out, *copy, *tok, *p, *save = NULL;
	size_t len;

	copy = xstrdup(s);
	out = xcalloc(1, strlen(s) + 1);
	for (tok = strtok_r(copy, ";", &save); tok != NULL;
	    tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		len = strlen(tok);
		while (len > 0 && tok[len - 1] == ' ')
			tok[--len] = '\0';
		if (!good_text(tok)) {
			free(copy);
			free(out);
			return NULL;
		}
		p = out + strlen(out);
		if (p != out)
			*p++ = ';';
		memcpy(p, tok, len + 1);
	}
	free(copy);
	return out;
}

/* Check the fields of one row (any may be NULL: absent) and queue it, or
 * reject source (whose reference is taken). */
static void
take_row(struct loader *ld, json_t *source, const char *sku,
    const char *warehouse, const char *qty, const char *priority,
    const char *regions)
{
	json_t *errors;
	struct row r;
	int64_t v;

	memset(&r, 0, sizeof(r));
	if ((errors = json_array()) == NULL)
		xnomem();
	if (sku == NULL || *sku == '\0')
		reject_add(errors, "missing_field", "sku", "no sku");
	else if (!good_text(sku))
		reject_add(errors, "bad_sku", "sku", "sku must be 1 to 200 "
		    "bytes of UTF-8 text without control characters");
	else if (ld->have_catalog && catalog_find(&ld->catalog, sku) == NULL)
		reject_addf(errors, "unknown_sku", "sku",
		    "there is no product with SKU '%s' in the catalog", sku);
	if (warehouse == NULL || *warehouse == '\0')
		warehouse = ld->warehouse;
	if (warehouse == NULL)
		reject_add(errors, "missing_field", "warehouse", "no warehouse "
		    "(give a warehouse column or --warehouse)");
	else if (!good_text(warehouse))
		reject_add(errors, "bad_warehouse", "warehouse", "warehouse "
		    "must be 1 to 200 bytes of UTF-8 text without control "
		    "characters");
	if (qty == NULL || *qty == '\0')
		reject_add(errors, "missing_field", "qty", "no qty");
	else if (parse_int(qty, &v) == -1)
		reject_addf(errors, "bad_qty", "qty", "qty '%s' is not a whole "
		    "number", qty);
	else if (v < 0 && !ld->add)
		reject_addf(errors, "negative_qty", "qty", "qty %" PRId64
		    " is below zero", v);
	else
		r.qty = v;
	if (priority != NULL && *priority != '\0' &&
	    parse_int(priority, &v) == -1)
		reject_addf(errors, "bad_priority", "priority", "priority '%s' "
		    "is not a whole number", priority);
	if (regions != NULL && *regions != '\0' &&
	    (r.regions = clean_regions(regions)) == NULL)
		reject_add(errors, "bad_regions", "regions", "regions must be "
		    "texts separated by ';'");
	if (json_array_size(errors) > 0) {
		reject_write(&ld->rejects, source, errors);
		json_decref(errors);
		json_decref(source);
		free(r.regions);
		return;
	}
	json_decref(errors);
	r.sku = xstrdup(sku);
	r.warehouse = xstrdup(warehouse);
	if (priority != NULL && *priority != '\0') {
		r.priority = v;
		r.has_priority = 1;
	}
	r.seq = ld->nrows;
	r.source = source;
	if (ld->nrows == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 64;
		ld->rows = xrealloc(ld->rows, ld->cap * sizeof(*ld->rows));
	}
	ld->rows[ld->nrows++] = r;
}

/* A JSON field as text: strings as they are, integers in decimal (those
 * beyond 64 bits as written, for the field's own range check). */
static const char *
field_text(const json_t *rec, const char *key, char *buf, size_t len,
    json_t *errors)
{
	const json_t *v = json_object_get(rec, key);
	const json_t *e;
	const char *raw;
	size_t i;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	if ((raw = jsonl_number_raw(v)) != NULL &&
	    strpbrk(raw, ".eE") == NULL)
		return raw;
	/* 2.5 is a number, just not a whole one: the field's own code. */
	if (json_is_real(v) && (strcmp(key, "qty") == 0 ||
	    strcmp(key, "priority") == 0)) {
		reject_addf(errors, strcmp(key, "qty") == 0 ? "bad_qty" :
		    "bad_priority", key, "%s %s is not a whole number", key,
		    jsonl_number_text(v, buf, len));
		return "";
	}
	if (json_is_array(v) && strcmp(key, "regions") == 0) {
		buf[0] = '\0';
		json_array_foreach(v, i, e) {
			if (!json_is_string(e) || strchr(json_string_value(e),
			    ';') != NULL || strlen(buf) +
			    json_string_length(e) + 2 > len)
				break;
			if (i > 0)
				strcat(buf, ";");
			strcat(buf, json_string_value(e));
		}
		if (i == json_array_size(v))
			return buf;
	}
	reject_addf(errors, "bad_field", key, "%s has the wrong type", key);
	return "";
}

static void
load_jsonl(struct loader *ld, const char *name, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *s[5];
	static const char *const keys[5] = { "sku", "warehouse", "qty",
	    "priority", "regions" };
	char bufs[5][1024];
	json_error_t error;
	json_t *rec, *errors;
	unsigned long lineno = 0;
	size_t n, i;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		lineno++;
		n = nl - p;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		if (strspn(p, " \t") >= n)
			continue;
		ld->nin++;
		rec = jsonl_parse(p, n, JSON_REJECT_DUPLICATES, &error);
		if (rec == NULL || !json_is_object(rec)) {
			reject_line(&ld->rejects, name, lineno, p, n, "bad_json",
			    rec == NULL ? error.text : "not a JSON object");
			json_decref(rec);
			continue;
		}
		/* Where the row was and what it said, as a CSV row's reject
		 * has them. */
		if (json_object_set_new(rec, "file",
		    jsonl_string_lossy(name, strlen(name))) == -1 ||
		    json_object_set_new(rec, "line", json_integer(lineno)) ==
		    -1 || json_object_set_new(rec, "raw",
		    jsonl_string_lossy(p, n)) == -1 ||
		    (errors = json_array()) == NULL)
			xnomem();
		for (i = 0; i < 5; i++)
			s[i] = field_text(rec, keys[i], bufs[i],
			    sizeof(bufs[i]), errors);
		if (json_array_size(errors) > 0) {
			reject_write(&ld->rejects, rec, errors);
			json_decref(rec);
		} else
			take_row(ld, rec, s[0], s[1], s[2], s[3], s[4]);
		json_decref(errors);
	}
}

static char
sniff_delim(const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - data) : len, i;
	int comma = 0, semi = 0, tab = 0;

	for (i = 0; i < n; i++) {
		comma += data[i] == ',';
		semi += data[i] == ';';
		tab += data[i] == '\t';
	}
	if (tab > comma && tab > semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/* The row as it was, fields joined again, for a reject. */
static json_t *
csv_source(const struct csvread_row *row, char delim, const char *name)
{
	char *raw = NULL;
	size_t cap = 0, len = 0, i, k;
	json_t *rec;

	for (i = 0; i < row->nfields; i++) {
		raw = xrealloc(raw, cap += row->lens[i] * 2 + 4);
		if (i > 0)
			raw[len++] = delim;
		if (memchr(row->fields[i], delim, row->lens[i]) != NULL ||
		    memchr(row->fields[i], '"', row->lens[i]) != NULL) {
			raw[len++] = '"';
			for (k = 0; k < row->lens[i]; k++) {
				if (row->fields[i][k] == '"')
					raw[len++] = '"';
				raw[len++] = row->fields[i][k];
			}
			raw[len++] = '"';
		} else {
			memcpy(raw + len, row->fields[i], row->lens[i]);
			len += row->lens[i];
		}
	}
	rec = json_object();
	if (rec == NULL || json_object_set_new(rec, "file",
	    jsonl_string_lossy(name, strlen(name))) == -1 ||
	    json_object_set_new(rec, "line", json_integer(row->line)) == -1 ||
	    json_object_set_new(rec, "raw", jsonl_string_lossy(raw ? raw : "",
	    len)) == -1)
		xnomem();
	free(raw);
	return rec;
}

static void
load_csv(struct loader *ld, const char *name, const char *data, size_t len)
{
	static const char *const names[5] = { "sku", "warehouse", "qty",
	    "priority", "regions" };
	struct csvread in;
	struct csvread_row *row;
	const char *s[5];
	json_t *src, *errors;
	int col[5], ok;
	size_t i, k;
	char delim;
	FILE *fp;

	delim = sniff_delim(data, len);
	if ((fp = fmemopen((void *)data, len, "r")) == NULL)
		err(EX_OSERR, "fmemopen");
	csvread_init(&in, fp, name, delim);
	if ((row = csvread_next(&in)) == NULL) {
		csvread_release(&in);
		fclose(fp);
		return;
	}
	for (i = 0; i < 5; i++) {
		col[i] = -1;
		for (k = 0; k < row->nfields; k++)
			if (utf8_casecmp(row->fields[k], names[i]) == 0)
				col[i] = (int)k;
	}
	if (col[0] == -1 || col[2] == -1 ||
	    (col[1] == -1 && ld->warehouse == NULL)) {
		ld->nin++;	/* a header is a row read only when rejected */
		if ((errors = json_array()) == NULL)
			xnomem();
		reject_add(errors, "bad_header", NULL, "the first row must name "
		    "the columns: sku, warehouse (unless --warehouse is given) "
		    "and qty; priority and regions are optional");
		src = csv_source(row, delim, name);
		reject_write(&ld->rejects, src, errors);
		json_decref(src);
		json_decref(errors);
		/* Count the rows not read, so lines in = out + rejects. */
		while ((row = csvread_next(&in)) != NULL) {
			ld->nin++;
			if ((errors = json_array()) == NULL)
				xnomem();
			reject_add(errors, "bad_header", NULL,
			    "the file has no usable header");
			src = csv_source(row, delim, name);
			reject_write(&ld->rejects, src, errors);
			json_decref(src);
			json_decref(errors);
		}
		csvread_release(&in);
		fclose(fp);
		return;
	}
	while ((row = csvread_next(&in)) != NULL) {
		ld->nin++;
		progress(1);
		ok = 1;
		for (i = 0; i < 5; i++) {
			s[i] = col[i] >= 0 && (size_t)col[i] < row->nfields ?
			    row->fields[col[i]] : NULL;
			if (s[i] != NULL && strlen(s[i]) !=
			    row->lens[col[i]])
				ok = 0;
		}
		src = csv_source(row, delim, name);
		if (!ok) {
			if ((errors = json_array()) == NULL)
				xnomem();
			reject_add(errors, "bad_csv", NULL,
			    "the row holds a NUL byte");
			reject_write(&ld->rejects, src, errors);
			json_decref(src);
			json_decref(errors);
			continue;
		}
		take_row(ld, src, s[0], s[1], s[2], s[3], s[4]);
	}
	csvread_release(&in);
	fclose(fp);
}

/* Read the whole of path ("-": standard input, called name); NULL after a
 * warning when it cannot be, with *status EX_NOINPUT when it cannot be
 * opened or is a directory (standard input too) and EX_IOERR when a read
 * fails, as lib/jsonl.c does. */
static char *
slurp(const char *path, const char *name, size_t *lenp, int *status)
{
	FILE *fp;
	char *buf, msg[1024];
	size_t cap = 65536, len = 0, n;

	if ((fp = strcmp(path, "-") == 0 ? fileio_stdin(msg, sizeof(msg)) :
	    fileio_read(path, msg, sizeof(msg))) == NULL) {
		warnx("%s", msg);
		*status = EX_NOINPUT;
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		if (cap - len < 65536)
			buf = xrealloc(buf, cap *= 2);
		if ((n = fread(buf + len, 1, cap - len - 1, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp)) {
		warn("cannot read '%s'", name);
		if (fp != stdin)
			fclose(fp);
		free(buf);
		*status = EX_IOERR;
		return NULL;
	}
	if (fp != stdin)
		fclose(fp);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Load the rows of path; 0, or the exit status slurp() gave. */
static int
load_file(struct loader *ld, const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	char *data;
	size_t len, i;
	int status;

	if ((data = slurp(path, name, &len, &status)) == NULL)
		return status;
	i = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	i += strspn(data + i, " \t\r\n");
	if (i < len && (data[i] == '{' || data[i] == '['))
		load_jsonl(ld, name, data, len);
	else if (len > 0)
		load_csv(ld, name, data, len);
	free(data);
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	if ((c = strcmp(x->sku, y->sku)) != 0)
		return c;
	if ((c = strcmp(x->warehouse, y->warehouse)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
warehouse_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	if ((c = strcmp(x->warehouse, y->warehouse)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Create or update each warehouse the rows name, once, in key order: on
 * PostgreSQL an upsert locks the row, and two runs naming the warehouses
 * in other orders deadlocked.  The last priority and region list in the
 * input win, as upserts in input order would have left them. */
static void
load_warehouses(struct loader *ld, struct stock_db *db)
{
	const int64_t *priority;
	const char *regions;
	size_t k, end;

	qsort(ld->rows, ld->nrows, sizeof(*ld->rows), warehouse_cmp);
	for (k = 0; k < ld->nrows; k = end) {
		priority = NULL;
		regions = NULL;
		for (end = k; end < ld->nrows && strcmp(ld->rows[end].warehouse,
		    ld->rows[k].warehouse) == 0; end++) {
			if (ld->rows[end].has_priority)
				priority = &ld->rows[end].priority;
			if (ld->rows[end].regions != NULL)
				regions = ld->rows[end].regions;
		}
		if (stock_warehouse_put(db, ld->rows[k].warehouse, priority,
		    regions) == -1)
			errx(EX_SOFTWARE, "cannot add warehouse '%s': %s",
			    ld->rows[k].warehouse, store_error(db->st));
	}
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct loader ld;
	struct stock_db db;
	struct stock_level level;
	const char *dbarg = NULL, *catalog_path = NULL;
	char errbuf[512];
	json_t *errors;
	unsigned long nout = 0;
	struct row *r;
	long changed;
	int ch, status = 0, file_status, i;
	size_t k;

	memset(&ld, 0, sizeof(ld));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CATALOG:
			catalog_path = optarg;
			break;
		case OPT_DB:
			dbarg = optarg;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "set") == 0)
				ld.add = 0;
			else if (strcmp(optarg, "add") == 0)
				ld.add = 1;
			else
				cli_usage_error(&cli, "--mode '%s' is not set "
				    "or add", optarg);
			break;
		case OPT_WAREHOUSE:
			if (!good_text(optarg))
				cli_usage_error(&cli, "--warehouse '%s' is not "
				    "a warehouse id", optarg);
			ld.warehouse = optarg;
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (catalog_path != NULL) {
		if ((status = catalog_load(&ld.catalog, catalog_path, errbuf,
		    sizeof(errbuf))) != 0)
			errx(status, "%s", errbuf);
		ld.have_catalog = 1;
	}
	cli_need_input(&cli, argc - optind);
	reject_open(&ld.rejects, cli.rejects_path);
	stock_open(&db, dbarg);

	if (optind == argc)
		status = load_file(&ld, "-");
	for (i = optind; i < argc; i++)
		if ((file_status = load_file(&ld, argv[i])) != 0 &&
		    status == 0)
			status = file_status;

	if ((errors = json_array()) == NULL)
		xnomem();
	store_begin(db.st);
	/* Rows are locked in the one order stock.h gives, warehouses before
	 * stock, each sorted by key: two programs at once cannot deadlock on
	 * PostgreSQL. */
	if (ld.nrows > 0) {
		load_warehouses(&ld, &db);
		qsort(ld.rows, ld.nrows, sizeof(*ld.rows), row_cmp);
	}
	for (k = 0; k < ld.nrows; k++) {
		r = &ld.rows[k];
		if (ld.add)
			changed = stock_add(&db, r->sku, r->warehouse, r->qty);
		else
			changed = stock_set(&db, r->sku, r->warehouse, r->qty);
		if (changed == -1)
			errx(EX_SOFTWARE, "cannot load '%s': %s", r->sku,
			    store_error(db.st));
		if (changed == 0) {
			int64_t on_hand = 0, reserved = 0;

			if (stock_level(&db, r->sku, r->warehouse, &level)) {
				on_hand = level.on_hand;
				reserved = level.reserved;
			}
			if (ld.add && on_hand + r->qty < 0)
				reject_addf(errors, "below_zero", "qty",
				    "%" PRId64 " would leave %" PRId64 " on "
				    "hand of '%s' in '%s'", r->qty,
				    on_hand + r->qty, r->sku, r->warehouse);
			else
				reject_addf(errors, "below_reserved", "qty",
				    "%" PRId64 " on hand of '%s' in '%s' would "
				    "be fewer than the %" PRId64 " reserved; "
				    "release or commit reservations first",
				    ld.add ? on_hand + r->qty : r->qty,
				    r->sku, r->warehouse, reserved);
			reject_write(&ld.rejects, r->source, errors);
			json_array_clear(errors);
			json_decref(r->source);
			r->source = NULL;
		}
	}
	store_commit(db.st);
	json_decref(errors);

	/* Nothing on standard output: a level per row flooded a terminal
	 * and a cron mail; stock-levels shows them, --stats the counts. */
	for (k = 0; k < ld.nrows; k++) {
		r = &ld.rows[k];
		if (r->source != NULL)
			nout++;
		json_decref(r->source);
		free(r->sku);
		free(r->warehouse);
		free(r->regions);
	}
	free(ld.rows);
	stock_close(&db);
	if (ld.have_catalog)
		catalog_release(&ld.catalog);
	cli_count("read", ld.nin);
	cli_count("loaded", nout);
	return cli_finish(&cli, status, &ld.rejects, "%lu read, %lu loaded, "
	    "%lu rejected", ld.nin, nout, ld.rejects.count);
}
