/* parcel_test.c: unit tests of lib/parcel.h (and the catalog's weight_g
 * and dims_mm columns it reads). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "conf.h"
#include "jsonl.h"
#include "parcel.h"
#include "unit.h"

static char catalog_path[] = "/tmp/parcel_test.XXXXXX";

static const char catalog_csv[] =
    "sku,product,name,price,currency,weight_g,dims_mm\n"
    "TEE,TEE,T-shirt,10.00,EUR,200,300x200x20\n"
    "MUG,MUG,Mug,8.00,EUR,450,\n"
    "CAP,CAP,Cap,5.00,EUR,,\n";

static json_t *
parse(const char *s)
{
	json_t *v = jsonl_parse(s, strlen(s), 0, NULL);

	if (v == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", s);
		exit(1);
	}
	return v;
}

static char *
text(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	buf = realloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

/* The parcels of order as JSON text, or the errors' codes. */
static char *
compute(const char *order, const struct catalog *cat,
    const struct parcel_defaults *d)
{
	struct parcel *ps;
	json_t *o, *errors, *all, *e;
	size_t n, i;
	char *out;

	o = parse(order);
	errors = json_array();
	all = json_array();
	if (parcel_compute(o, cat, d, &ps, &n, errors) == 0) {
		for (i = 0; i < n; i++)
			json_array_append_new(all, parcel_json(&ps[i]));
		parcel_free(ps, n);
	} else
		json_array_foreach(errors, i, e)
			json_array_append(all, json_object_get(e, "code"));
	out = text(all);
	json_decref(all);
	json_decref(errors);
	json_decref(o);
	return out;
}

static void
expect_parcels(const char *what, const char *order,
    const struct catalog *cat, const struct parcel_defaults *d,
    const char *want)
{
	char *got = compute(order, cat, d);

	expect_str(what, got, want);
	free(got);
}

static void
test_dims(void)
{
	int d[3] = { 0, 0, 0 };

	expect_int("300x200x100", catalog_dims_parse("300x200x100", d), 0);
	expect_int("its height", d[2], 100);
	expect_int("X and blanks", catalog_dims_parse("30 X 20 X 10", d), 0);
	expect_int("the multiplication sign",
	    catalog_dims_parse("30\xc3\x97" "20\xc3\x97" "10", d), 0);
	expect_int("two sides", catalog_dims_parse("30x20", d), -1);
	expect_int("four sides", catalog_dims_parse("3x2x1x1", d), -1);
	expect_int("a zero", catalog_dims_parse("0x20x10", d), -1);
	expect_int("a fraction", catalog_dims_parse("30.5x20x10", d), -1);
	expect_int("a sign", catalog_dims_parse("-30x20x10", d), -1);
}

static void
test_catalog_bad_weight(void)
{
	struct catalog c;
	char err[256], path[] = "/tmp/parcel_test.XXXXXX";
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	fp = fdopen(fd, "w");
	fputs("sku,price,currency,weight_g\nA,1.00,EUR,1.5\n", fp);
	fclose(fp);
	expect_int("a fraction of a gram is a data error",
	    catalog_load(&c, path, err, sizeof(err)), 65);
	expect_true("the message names the column",
	    strstr(err, "weight_g '1.5' of sku 'A'") != NULL);
	fp = fopen(path, "w");
	fputs("{\"sku\":\"A\",\"price\":\"1\",\"currency\":\"EUR\","
	    "\"weight_g\":120,\"dims_mm\":[10,20,30]}\n", fp);
	fclose(fp);
	expect_int("JSON lines with numbers",
	    catalog_load(&c, path, err, sizeof(err)), 0);
	expect_int("its weight", c.skus[0].weight_g, 120);
	expect_int("its size", c.skus[0].has_dims && c.skus[0].dims_mm[2] == 30,
	    1);
	catalog_release(&c);
	unlink(path);
}

static void
test_compute(const struct catalog *cat)
{
	struct parcel_defaults d = { .weight_g = 1000, .dims_mm = { 400, 300,
	    200 }, .has_dims = 1 };
	struct parcel_defaults none = { .weight_g = -1 };

	expect_parcels("no reservation: one parcel of every item",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":2},{\"sku\":\"MUG\","
	    "\"qty\":1}]}", cat, &d,
	    "[{\"n\":1,\"of\":1,\"warehouse\":null,\"items\":[{\"sku\":\"TEE\","
	    "\"qty\":2},{\"sku\":\"MUG\",\"qty\":1}],\"weight_g\":850,"
	    "\"dims_mm\":\"400x300x200\"}]");
	expect_parcels("a parcel per warehouse, in the order they appear",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":3},{\"sku\":\"MUG\","
	    "\"qty\":1}],\"reservation\":{\"lines\":["
	    "{\"sku\":\"TEE\",\"warehouse\":\"SPB\",\"qty\":1},"
	    "{\"sku\":\"MUG\",\"warehouse\":\"MSK\",\"qty\":1},"
	    "{\"sku\":\"TEE\",\"warehouse\":\"MSK\",\"qty\":1},"
	    "{\"sku\":\"TEE\",\"warehouse\":\"MSK\",\"qty\":1}]}}", cat, &d,
	    "[{\"n\":1,\"of\":2,\"warehouse\":\"SPB\",\"items\":[{\"sku\":"
	    "\"TEE\",\"qty\":1}],\"weight_g\":200,\"dims_mm\":\"300x200x20\"},"
	    "{\"n\":2,\"of\":2,\"warehouse\":\"MSK\",\"items\":[{\"sku\":"
	    "\"MUG\",\"qty\":1},{\"sku\":\"TEE\",\"qty\":2}],\"weight_g\":850,"
	    "\"dims_mm\":\"400x300x200\"}]");
	expect_parcels("an item without weight: the default parcel's, whole",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":1},{\"sku\":\"CAP\","
	    "\"qty\":1}]}", cat, &d,
	    "[{\"n\":1,\"of\":1,\"warehouse\":null,\"items\":[{\"sku\":\"TEE\","
	    "\"qty\":1},{\"sku\":\"CAP\",\"qty\":1}],\"weight_g\":1000,"
	    "\"dims_mm\":\"400x300x200\"}]");
	expect_parcels("no catalog: the default parcel",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":1}]}", NULL, &d,
	    "[{\"n\":1,\"of\":1,\"warehouse\":null,\"items\":[{\"sku\":\"TEE\","
	    "\"qty\":1}],\"weight_g\":1000,\"dims_mm\":\"400x300x200\"}]");
	expect_parcels("no weight anywhere is no_weight",
	    "{\"items\":[{\"sku\":\"CAP\",\"qty\":1}]}", cat, &none,
	    "[\"no_weight\"]");
	expect_parcels("one unit with catalog dims, no default: its size",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":1}]}", cat, &none,
	    "[{\"n\":1,\"of\":1,\"warehouse\":null,\"items\":[{\"sku\":\"TEE\","
	    "\"qty\":1}],\"weight_g\":200,\"dims_mm\":\"300x200x20\"}]");
	expect_parcels("two units, no default size: none",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":2}]}", cat, &none,
	    "[{\"n\":1,\"of\":1,\"warehouse\":null,\"items\":[{\"sku\":\"TEE\","
	    "\"qty\":2}],\"weight_g\":400}]");
	expect_parcels("a qty of 0 is bad_item",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":0}]}", cat, &d,
	    "[\"bad_item\"]");
	expect_parcels("no items is no_items", "{\"items\":[]}", cat, &d,
	    "[\"no_items\"]");
	expect_parcels("a reservation line without warehouse",
	    "{\"items\":[{\"sku\":\"TEE\",\"qty\":1}],\"reservation\":"
	    "{\"lines\":[{\"sku\":\"TEE\",\"qty\":1}]}}", cat, &d,
	    "[\"bad_reservation\"]");
	expect_parcels("a weight beyond 64 bits is too_heavy",
	    "{\"items\":[{\"sku\":\"MUG\",\"qty\":9223372036854775807}]}",
	    cat, &d, "[\"too_heavy\"]");
}

static void
test_value(const struct catalog *cat)
{
	struct parcel_defaults d = { .weight_g = 1000 };
	struct parcel *ps;
	json_t *o, *errors = json_array();
	size_t n;

	o = parse("{\"items\":[{\"sku\":\"TEE\",\"name\":\"T-shirt\","
	    "\"qty\":2,\"unit_price\":1000},{\"sku\":\"MUG\",\"qty\":1,"
	    "\"unit_price\":800}]}");
	expect_int("computes", parcel_compute(o, cat, &d, &ps, &n, errors), 0);
	expect_int("value is the items' prices x qty", ps[0].value, 2800);
	expect_str("an item's name", ps[0].items[0].name, "T-shirt");
	expect_int("its unit price", ps[0].items[0].unit_price, 1000);
	expect_int("weight from the catalog", ps[0].weight_default, 0);
	parcel_free(ps, n);
	json_decref(o);
	json_decref(errors);
}

static void
test_defaults(void)
{
	struct parcel_defaults d;
	struct conf *c;
	char err[200];
	const char cfg[] = "[parcel]\nweight_g = 500\ndims_mm = 300x200x100\n";

	c = conf_parse("t.conf", cfg, strlen(cfg), err, sizeof(err));
	parcel_defaults_conf(&d, c);
	expect_int("weight_g", d.weight_g, 500);
	expect_int("dims_mm", d.has_dims && d.dims_mm[0] == 300, 1);
	conf_free(c);
	parcel_defaults_conf(&d, NULL);
	expect_int("no config: no weight", d.weight_g, -1);
	expect_int("no config: no size", d.has_dims, 0);
}

int
main(void)
{
	struct catalog cat;
	char err[256];
	FILE *fp;
	int fd;

	fd = mkstemp(catalog_path);
	fp = fdopen(fd, "w");
	fputs(catalog_csv, fp);
	fclose(fp);
	if (catalog_load(&cat, catalog_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "parcel_test: %s\n", err);
		return 1;
	}
	unlink(catalog_path);
	test_dims();
	test_catalog_bad_weight();
	test_compute(&cat);
	test_value(&cat);
	test_defaults();
	catalog_release(&cat);
	return unit_summary("parcel");
}
