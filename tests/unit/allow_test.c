/* allow_test.c: unit tests of lib/allow.h: --allow lists, and errors
 * moved to warnings by the list and by a source profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "allow.h"
#include "conf.h"
#include "profile.h"
#include "reject.h"
#include "unit.h"

static char *
dump(const json_t *v)
{
	return v == NULL ? NULL : json_dumps(v, JSON_COMPACT);
}

static void
expect_json(const char *what, const json_t *got, const char *want)
{
	char *s = dump(got);

	expect_str(what, s, want);
	free(s);
}

static void
test_parse(void)
{
	struct allow a;

	allow_init(&a);
	expect_int("one code", allow_parse(&a, "no_contact"), 0);
	expect_int("two codes, blanks", allow_parse(&a,
	    " unknown_sku , no_ship_method,"), 0);
	expect_int("a repeat adds nothing", allow_parse(&a, "no_contact"), 0);
	expect_int("three codes kept", (int)a.ncodes, 3);
	expect_true("listed", allow_has(&a, NULL, "no_ship_method"));
	expect_true("not listed", !allow_has(&a, NULL, "bad_qty"));
	expect_true("NULL code", !allow_has(&a, NULL, NULL));
	expect_true("no prefix match", !allow_has(&a, NULL, "no_"));
	expect_int("upper case is refused", allow_parse(&a, "NO_CONTACT"),
	    -1);
	expect_int("a bad code refuses the list",
	    allow_parse(&a, "bad_qty,no contact"), -1);
	expect_true("nothing added from a bad list",
	    !allow_has(&a, NULL, "bad_qty"));
	expect_int("empty", allow_parse(&a, ""), -1);
	expect_int("commas only", allow_parse(&a, " , ,"), -1);
	expect_int("still three", (int)a.ncodes, 3);
	allow_release(&a);
	expect_int("released", (int)a.ncodes, 0);
	expect_true("nothing after release", !allow_has(&a, NULL,
	    "no_contact"));
	allow_release(&a);
}

static void
test_apply(void)
{
	struct allow a;
	json_t *rec, *errors;

	allow_init(&a);
	rec = json_object();
	errors = json_array();
	reject_add(errors, "no_contact", "customer", "no contact");
	reject_add(errors, "bad_qty", "items[0].qty", "qty below 1");
	reject_add(errors, "no_contact", "customer.email", "again");
	expect_int("nothing waived: nothing moved",
	    (int)allow_apply(&a, NULL, rec, errors), 0);
	expect_true("no warnings key", json_object_get(rec, "warnings") ==
	    NULL);
	allow_parse(&a, "no_contact");
	expect_int("two moved", (int)allow_apply(&a, NULL, rec, errors), 2);
	expect_json("errors left", errors, "[{\"code\":\"bad_qty\","
	    "\"field\":\"items[0].qty\",\"message\":\"qty below 1\"}]");
	expect_json("warnings, in order", json_object_get(rec, "warnings"),
	    "[{\"code\":\"no_contact\",\"field\":\"customer\","
	    "\"message\":\"no contact\"},{\"code\":\"no_contact\","
	    "\"field\":\"customer.email\",\"message\":\"again\"}]");
	json_decref(errors);
	json_decref(rec);

	/* An earlier step's warnings stay, the new ones come after. */
	rec = json_loads("{\"warnings\":[{\"code\":\"tz_assumed\"}]}", 0,
	    NULL);
	errors = json_array();
	reject_add(errors, "no_contact", NULL, "none");
	expect_int("one moved", (int)allow_apply(&a, NULL, rec, errors), 1);
	expect_json("appended", json_object_get(rec, "warnings"),
	    "[{\"code\":\"tz_assumed\"},{\"code\":\"no_contact\","
	    "\"message\":\"none\"}]");
	expect_int("errors empty", (int)json_array_size(errors), 0);
	json_decref(errors);
	json_decref(rec);

	/* A "warnings" that is no array is replaced. */
	rec = json_loads("{\"warnings\":\"x\"}", 0, NULL);
	errors = json_array();
	reject_add(errors, "no_contact", NULL, "none");
	allow_apply(&a, NULL, rec, errors);
	expect_json("replaced", json_object_get(rec, "warnings"),
	    "[{\"code\":\"no_contact\",\"message\":\"none\"}]");
	json_decref(errors);
	json_decref(rec);
	allow_release(&a);
}

static void
test_profile(void)
{
	const char *text = "[source \"etsy\"]\nallow = unknown_sku, "
	    "no_ship_method\n";
	char err[256];
	struct conf *c;
	struct profile_set *set;
	const struct profile *etsy, *shopify;
	struct allow a;
	json_t *rec, *errors;

	if ((c = conf_parse("t.conf", text, strlen(text), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	set = profile_load(c);
	etsy = profile_find(set, "etsy");
	shopify = profile_find(set, "shopify");
	allow_init(&a);
	allow_parse(&a, "bad_phone");
	expect_true("the profile's code", allow_has(&a, etsy, "unknown_sku"));
	expect_true("the list's code", allow_has(&a, etsy, "bad_phone"));
	expect_true("another source's", !allow_has(&a, shopify,
	    "unknown_sku"));
	expect_true("no list, the profile", allow_has(NULL, etsy,
	    "no_ship_method"));

	rec = json_object();
	errors = json_array();
	reject_add(errors, "unknown_sku", "items[0].sku", "a");
	reject_add(errors, "bad_phone", "customer.phone", "b");
	reject_add(errors, "bad_qty", "items[0].qty", "c");
	expect_int("profile and list", (int)allow_apply(&a, etsy, rec,
	    errors), 2);
	expect_json("left", errors, "[{\"code\":\"bad_qty\",\"field\":"
	    "\"items[0].qty\",\"message\":\"c\"}]");
	json_decref(errors);
	json_decref(rec);

	rec = json_object();
	errors = json_array();
	reject_add(errors, "unknown_sku", "items[0].sku", "a");
	expect_int("profile alone, list NULL", (int)allow_apply(NULL, etsy,
	    rec, errors), 1);
	json_decref(errors);
	json_decref(rec);

	allow_release(&a);
	profile_free(set);
	conf_free(c);
}

int
main(void)
{
	test_parse();
	test_apply();
	test_profile();
	return unit_summary("allow");
}
