/* reserve_test.c: unit tests of lib/reserve.h: the warehouses an order's
 * items are reserved from, in a batch's stock made here, no store. */
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "jsonl.h"
#include "reserve.h"
#include "stock.h"
#include "unit.h"

/* The stock of tests/fixtures/order-reserve/stock.csv, as a batch reads
 * it: rows sorted by sku and warehouse. */
static void
make_batch(struct stock_batch *b)
{
	static const struct {
		const char	*sku, *warehouse;
		int64_t		 qty;
	} rows[] = {
		{ "CAP-BLACK", "SPB", 4 },
		{ "MUG-WHITE", "MSK", 2 },
		{ "MUG-WHITE", "SPB", 0 },
		{ "TSHIRT-RED-M", "EKB", 10 },
		{ "TSHIRT-RED-M", "MSK", 5 },
		{ "TSHIRT-RED-M", "SPB", 3 },
	};
	static const struct {
		const char	*id, *regions;
		int64_t		 priority;
	} whs[] = {
		{ "EKB", "", 5 },
		{ "MSK", "RU-MOW;Москва", 10 },
		{ "SPB", "RU-SPE;Санкт-Петербург", 20 },
	};
	size_t i;

	memset(b, 0, sizeof(*b));
	b->nrows = sizeof(rows) / sizeof(rows[0]);
	b->rows = calloc(b->nrows, sizeof(*b->rows));
	for (i = 0; i < b->nrows; i++) {
		b->rows[i].sku = strdup(rows[i].sku);
		b->rows[i].warehouse = strdup(rows[i].warehouse);
		b->rows[i].available = rows[i].qty;
	}
	b->nwarehouses = sizeof(whs) / sizeof(whs[0]);
	b->warehouses = calloc(b->nwarehouses, sizeof(*b->warehouses));
	for (i = 0; i < b->nwarehouses; i++) {
		b->warehouses[i].id = strdup(whs[i].id);
		b->warehouses[i].regions = strdup(whs[i].regions);
		b->warehouses[i].priority = whs[i].priority;
	}
}

/* The compact JSON of v, or "null"; the caller frees it. */
static char *
text(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	if (v == NULL)
		return strdup("null");
	jsonl_encode(&buf, &cap, &len, v);
	buf = realloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

/* "SKU@WH:QTY SKU@WH:QTY" of the takes, in their order. */
static void
takes_text(const struct reserve_order *o, char *buf, size_t len)
{
	size_t k, n = 0;

	buf[0] = '\0';
	for (k = 0; k < o->ntakes && n < len; k++)
		n += snprintf(buf + n, len - n, "%s%s@%s:%lld", k > 0 ? " " : "",
		    o->takes[k].row->sku, o->takes[k].row->warehouse,
		    (long long)o->takes[k].qty);
}

/* The codes of the errors, joined by spaces. */
static void
codes_text(const json_t *errors, char *buf, size_t len)
{
	const json_t *e;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(errors, i, e)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    i > 0 ? " " : "",
		    json_string_value(json_object_get(e, "code")));
}

struct expect {
	const char	*what;
	struct reserve_need needs[3];	/* up to an empty sku */
	const char	*region;
	int		 split, partial;
	int		 rc;
	const char	*takes;		/* takes_text() */
	const char	*codes;		/* codes_text() */
	const char	*backorder;	/* text(), "null" for none */
	const char	*missing;
};

static void
check(const struct expect *x)
{
	struct stock_batch b;
	struct reserve_order o;
	json_t *errors;
	char what[256], buf[512], *t;
	size_t n;

	make_batch(&b);
	memset(&o, 0, sizeof(o));
	for (n = 0; n < 3 && x->needs[n].sku != NULL; n++)
		continue;
	o.needs = (struct reserve_need *)x->needs;
	o.nneeds = n;
	o.region = x->region;
	o.country = "RU";
	errors = json_array();
	snprintf(what, sizeof(what), "%s: result", x->what);
	expect_int(what, reserve_allocate(&b, &o, x->split, x->partial,
	    errors), x->rc);
	snprintf(what, sizeof(what), "%s: takes", x->what);
	takes_text(&o, buf, sizeof(buf));
	expect_str(what, buf, x->takes);
	snprintf(what, sizeof(what), "%s: errors", x->what);
	codes_text(errors, buf, sizeof(buf));
	expect_str(what, buf, x->codes);
	snprintf(what, sizeof(what), "%s: backorder", x->what);
	expect_str(what, t = text(o.backorder), x->backorder);
	free(t);
	snprintf(what, sizeof(what), "%s: missing", x->what);
	expect_str(what, t = text(o.missing), x->missing);
	free(t);
	reserve_order_release(&o);
	json_decref(errors);
	stock_batch_release(&b);
}

static const struct expect cases[] = {
		{ "one warehouse with all of it beats a higher priority",
		    { { "MUG-WHITE", 1, 0 }, { "TSHIRT-RED-M", 2, 1 } },
		    NULL, 0, 0, 0,
		    "MUG-WHITE@MSK:1 TSHIRT-RED-M@MSK:2", "", "null",
		    "null" },
		{ "the highest priority when none serves the region",
		    { { "TSHIRT-RED-M", 2, 0 } }, "RU-KDA", 0, 0, 0,
		    "TSHIRT-RED-M@SPB:2", "", "null", "null" },
		{ "the warehouse serving the region first",
		    { { "TSHIRT-RED-M", 2, 0 } }, "RU-MOW", 0, 0, 0,
		    "TSHIRT-RED-M@MSK:2", "", "null", "null" },
		{ "in several warehouses, without split: split_needed",
		    { { "CAP-BLACK", 1, 0 }, { "MUG-WHITE", 2, 1 } },
		    NULL, 0, 0, -1, "", "split_needed", "null",
		    "[{\"sku\":\"CAP-BLACK\",\"qty\":1,\"missing\":0,"
		    "\"available\":[{\"warehouse\":\"SPB\",\"qty\":4}]},"
		    "{\"sku\":\"MUG-WHITE\",\"qty\":2,\"missing\":0,"
		    "\"available\":[{\"warehouse\":\"MSK\",\"qty\":2}]}]" },
		{ "in several warehouses, with split",
		    { { "CAP-BLACK", 1, 0 }, { "MUG-WHITE", 2, 1 } },
		    NULL, 1, 0, 0, "CAP-BLACK@SPB:1 MUG-WHITE@MSK:2", "",
		    "null", "null" },
		{ "one SKU from two warehouses, with split",
		    { { "TSHIRT-RED-M", 16, 0 } }, NULL, 1, 0, 0,
		    "TSHIRT-RED-M@SPB:3 TSHIRT-RED-M@MSK:5 "
		    "TSHIRT-RED-M@EKB:8", "", "null", "null" },
		{ "partial: the warehouse with the most lines whole",
		    { { "MUG-WHITE", 5, 0 }, { "TSHIRT-RED-M", 1, 1 } },
		    NULL, 0, 1, 0, "TSHIRT-RED-M@SPB:1", "",
		    "[{\"sku\":\"MUG-WHITE\",\"qty\":5}]", "null" },
		{ "partial with split: what there is, wherever it is",
		    { { "MUG-WHITE", 5, 0 }, { "CAP-BLACK", 1, 1 } },
		    NULL, 1, 1, 0, "MUG-WHITE@MSK:2 CAP-BLACK@SPB:1", "",
		    "[{\"sku\":\"MUG-WHITE\",\"qty\":3}]", "null" },
		{ "too few anywhere: backorder, and where some is",
		    { { "TSHIRT-RED-M", 20, 2 } }, NULL, 0, 0, -1, "",
		    "backorder", "null",
		    "[{\"sku\":\"TSHIRT-RED-M\",\"qty\":20,\"missing\":2,"
		    "\"available\":[{\"warehouse\":\"SPB\",\"qty\":3},"
		    "{\"warehouse\":\"MSK\",\"qty\":5},"
		    "{\"warehouse\":\"EKB\",\"qty\":10}]}]" },
		{ "an unknown SKU takes nothing, and no backorder",
		    { { "NOPE", 1, 0 }, { "MUG-WHITE", 1, 1 } }, NULL, 1, 1,
		    -1, "", "unknown_sku", "null", "null" },
		{ "short, in a warehouse at 0 too: backorder, not unknown",
		    { { "MUG-WHITE", 3, 0 } }, "RU-SPE", 1, 0, -1, "",
		    "backorder", "null",
		    "[{\"sku\":\"MUG-WHITE\",\"qty\":3,\"missing\":1,"
		    "\"available\":[{\"warehouse\":\"MSK\",\"qty\":2}]}]" },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void
test_allocation(void)
{
	size_t i;

	for (i = 0; i < NCASES; i++)
		check(&cases[i]);
}

/* jansson's allocator, failing its fail_at'th call (0: none). */
static long	fail_at, nallocs;

static void *
failing_malloc(size_t n)
{
	if (++nallocs == fail_at)
		return NULL;
	return malloc(n);
}

/* Each case again with one of its jansson allocations failing, each in
 * turn: the run exits 71 ("out of memory") or gives the whole result,
 * never a part of it as if it were all. */
static void
test_out_of_memory(void)
{
	char what[256];
	long total, n;
	size_t i;
	pid_t pid;
	int status;

	json_set_alloc_funcs(failing_malloc, free);
	for (i = 0; i < NCASES; i++) {
		fail_at = nallocs = 0;
		check(&cases[i]);
		total = nallocs;
		for (n = 1; n <= total; n++) {
			fflush(NULL);
			if ((pid = fork()) == -1) {
				perror("fork");
				exit(1);
			}
			if (pid == 0) {
				if (freopen("/dev/null", "w", stderr) == NULL)
					_exit(2);
				fail_at = n;
				nallocs = unit_failed = 0;
				check(&cases[i]);
				_exit(unit_failed > 0);
			}
			waitpid(pid, &status, 0);
			snprintf(what, sizeof(what), "%s, allocation %ld of %ld "
			    "failing: exit 0 or 71", cases[i].what, n, total);
			if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 &&
			    WEXITSTATUS(status) != 71))
				expect_int(what, WIFEXITED(status) ?
				    WEXITSTATUS(status) : 128 + WTERMSIG(status),
				    71);
			else
				unit_passed++;
		}
	}
	json_set_alloc_funcs(malloc, free);
}

/* What is taken is counted in the rows, so that the next order of the
 * batch sees what is left. */
static void
test_counted(void)
{
	struct stock_batch b;
	struct reserve_order o;
	struct reserve_need need = { "MUG-WHITE", 2, 0 };
	struct stock_row *row;
	json_t *errors = json_array();
	char buf[256];

	make_batch(&b);
	memset(&o, 0, sizeof(o));
	o.needs = &need;
	o.nneeds = 1;
	expect_int("two mugs", reserve_allocate(&b, &o, 0, 0, errors), 0);
	row = stock_batch_row(&b, "MUG-WHITE", "MSK");
	expect_int("none left", row->available, 0);
	expect_int("two taken", row->taken, 2);
	reserve_order_release(&o);
	need.qty = 1;
	expect_int("then one more", reserve_allocate(&b, &o, 1, 0, errors),
	    -1);
	codes_text(errors, buf, sizeof(buf));
	expect_str("is a backorder", buf, "backorder");
	reserve_order_release(&o);
	json_decref(errors);
	stock_batch_release(&b);
}

int
main(void)
{
	test_allocation();
	test_counted();
	test_out_of_memory();
	return unit_summary("reserve");
}
