/* catalog_test.c: unit tests of lib/catalog.h's alias column and
 * catalog_match(): ids, then titles, several SKUs for one alias. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "unit.h"

static const char catalog_csv[] =
    "sku,product,name,price,currency,option.size,alias\n"
    "MUG-S,MUG,Mug,10.00,USD,S, B00MUG | 1501 |Speckled Mug \n"
    "MUG-L,MUG,Mug,12.00,USD,L,B00MUG|1501|Speckled Mug\n"
    "SOAP,SOAP,Soap,9.00,USD,,272091820000||\n"
    "PLAIN,PLAIN,Plain,1.00,USD,,\n";

/* The SKUs found for ids and title, ","-joined, and how. */
static void
match(const struct catalog *c, const char *const *ids, size_t nids,
    const char *title, char *buf, size_t len, int *how)
{
	const struct catalog_sku *found[4];
	size_t n, i, used = 0;

	n = catalog_match(c, ids, nids, title, found, 4, how);
	buf[0] = '\0';
	for (i = 0; i < n && i < 4; i++)
		used += snprintf(buf + used, used < len ? len - used : 0,
		    "%s%s", i > 0 ? "," : "", found[i]->sku);
}

int
main(void)
{
	struct catalog c;
	char err[256], got[128], *path;
	const char *ids[3];
	int how;

	path = unit_file("catalog.csv", catalog_csv, strlen(catalog_csv));
	memset(&c, 0, sizeof(c));
	expect_int("loads", catalog_load(&c, path, err, sizeof(err)), 0);
	expect_int("aliases trimmed, empty ones dropped",
	    (int)catalog_find(&c, "SOAP")->naliases, 1);
	expect_str("trimmed", catalog_find(&c, "MUG-S")->aliases[0],
	    "B00MUG");
	expect_int("no alias column value", (int)catalog_find(&c,
	    "PLAIN")->naliases, 0);

	ids[0] = "PLAIN";
	match(&c, ids, 1, NULL, got, sizeof(got), &how);
	expect_str("by sku", got, "PLAIN");
	expect_str("matched_by sku", catalog_matched_name(how), "sku");

	ids[0] = NULL;
	ids[1] = "272091820000";
	match(&c, ids, 2, "whatever", got, sizeof(got), &how);
	expect_str("by an id", got, "SOAP");
	expect_str("matched_by alias", catalog_matched_name(how), "alias");

	ids[0] = "ETSY-OWN";
	ids[1] = "1501";
	match(&c, ids, 2, NULL, got, sizeof(got), &how);
	expect_str("one alias, two SKUs", got, "MUG-L,MUG-S");

	ids[1] = "150";
	match(&c, ids, 2, NULL, got, sizeof(got), &how);
	expect_str("no prefix match", got, "");

	ids[1] = "b00mug";
	match(&c, ids, 2, NULL, got, sizeof(got), &how);
	expect_str("an id keeps its case", got, "");

	match(&c, ids, 1, "  speckled MUG ", got, sizeof(got), &how);
	expect_str("a title without regard to case", got, "MUG-L,MUG-S");
	expect_str("matched_by title", catalog_matched_name(how), "title");

	ids[0] = " 272091820000 ";
	match(&c, ids, 1, NULL, got, sizeof(got), &how);
	expect_str("an id trimmed", got, "SOAP");

	catalog_release(&c);
	unit_remove(path);
	free(path);
	return unit_summary("catalog");
}
