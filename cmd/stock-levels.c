/* stock-levels: print stock as JSON lines, one per SKU and warehouse. */
#include <getopt.h>
#include <stdio.h>
#include <sysexits.h>

#include <jansson.h>

#include "cli.h"
#include "jsonl.h"
#include "stock.h"

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

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	CLI_ITEM_HELP,
	{ "--sku SKU", "only this SKU" },
	CLI_ITEM_VERSION,
	{ "--warehouse ID", "only this warehouse" },
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 66, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Print stock per SKU and warehouse as JSON lines.",
	help_options, help_exits, "stock-levels(1)"
};

/* Write a level; -1 when standard output fails, to stop. */
static int
print_level(void *arg, const struct stock_level *level)
{
	json_t *out = stock_level_json(level);
	int rc;

	(void)arg;
	rc = jsonl_write(stdout, out);
	json_decref(out);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct stock_db db;
	const char *dbarg = NULL, *sku = NULL, *warehouse = NULL;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_DB:
			dbarg = optarg;
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
	stock_open_existing(&db, dbarg);
	stock_levels(&db, sku, warehouse, print_level, NULL);
	stock_close(&db);
	return cli_finish(&cli, status, NULL, NULL);
}
