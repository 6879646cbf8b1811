/* stock-levels: print stock as JSON lines, one per SKU and warehouse. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "cli.h"
#include "jsonl.h"
#include "store.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: stock-levels [--db PATH|URL] [--sku SKU] [--warehouse ID]\n";

#define OPT_DB		'd'
#define OPT_SKU		's'
#define OPT_WAREHOUSE	'w'

static const struct option longopts[] = {
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	{ "sku",	required_argument, NULL, OPT_SKU },
	CLI_OPT_VERSION,
	{ "warehouse",	required_argument, NULL, OPT_WAREHOUSE },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text };
	struct store *st;
	struct store_stmt *q;
	const char *db = NULL, *sku = NULL, *warehouse = NULL;
	char *where;
	json_t *out;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_DB:
			db = optarg;
			break;
		case OPT_SKU:
			sku = optarg;
			break;
		case OPT_WAREHOUSE:
			warehouse = optarg;
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (optind != argc)
		cli_usage_error(&cli, "no operands are read");
	where = store_locate(db);
	st = store_open(where, store_stock_migrations,
	    store_stock_nmigrations);
	free(where);
	q = store_prepare(st,
	    "SELECT sku, warehouse, on_hand, reserved FROM stock"
	    " WHERE ($1 IS NULL OR sku = $1) AND ($2 IS NULL OR warehouse = $2)"
	    " ORDER BY sku, warehouse",
	    "SELECT sku, warehouse, on_hand, reserved FROM stock"
	    " WHERE ($1::text IS NULL OR sku = $1)"
	    " AND ($2::text IS NULL OR warehouse = $2)"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\"");
	store_query(q, "ss", sku, warehouse);
	while (store_next(q)) {
		out = json_pack("{s:s,s:s,s:I,s:I,s:I}",
		    "sku", store_text(q, 0), "warehouse", store_text(q, 1),
		    "on_hand", (json_int_t)store_int(q, 2),
		    "reserved", (json_int_t)store_int(q, 3),
		    "available", (json_int_t)(store_int(q, 2) -
		    store_int(q, 3)));
		if (out == NULL)
			xnomem();
		if (jsonl_write(stdout, out) == -1) {
			json_decref(out);
			store_done(q);
			break;
		}
		json_decref(out);
	}
	store_close(st);
	if (jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	return status;
}
