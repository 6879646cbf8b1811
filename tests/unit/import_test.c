/* import_test.c: unit tests of lib/import.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Twice: a header must survive being included again, as another header
 * that needs it will include it. */
#include "import.h"
#include "import.h"
#include "unit.h"

static void
test_map_parse(void)
{
	struct import_map map;
	char err[256];

	expect_int("a map parses", import_map_parse(&map,
	    "source excel\ndelimiter ;\nid = Номер\nitems.qty = Кол-во\n",
	    "t.map", err, sizeof(err)), 0);
	expect_str("its source", map.source, "excel");
	expect_int("its delimiter", map.delimiter, ';');
	expect_int("its rules", map.nrules, 2);
	expect_int("the id groups", map.ngroup, 1);
	expect_str("by its column", map.group[0], "Номер");
	import_map_release(&map);
}

int
main(void)
{
	test_map_parse();
	return unit_summary("import");
}
