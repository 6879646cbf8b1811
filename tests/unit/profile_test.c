/* profile_test.c: unit tests of lib/profile.h: the built-in defaults of
 * every source order-import writes, [source "NAME"] over them, payment
 * gateways, fulfilment, waivers and option names. */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "conf.h"
#include "profile.h"
#include "unit.h"

static struct conf *
parse(const char *text)
{
	char err[256];
	struct conf *c;

	if ((c = conf_parse("t.conf", text, strlen(text), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return c;
}

static json_t *
record(const char *text)
{
	json_error_t error;
	json_t *v;

	if ((v = json_loads(text, 0, &error)) == NULL) {
		fprintf(stderr, "%s: %s\n", text, error.text);
		exit(1);
	}
	return v;
}

/* The exit status of profile_load() on text in a child, its stderr in
 * *said (the caller frees): -1 when it returned. */
static int
load_status(const char *text, char **said)
{
	struct conf *c = parse(text);
	pid_t pid;
	int status;

	fflush(NULL);
	unit_stderr_begin();
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		profile_free(profile_load(c));
		fflush(NULL);
		_exit(255);
	}
	waitpid(pid, &status, 0);
	*said = unit_stderr_end();
	conf_free(c);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

static void
test_defaults(void)
{
	static const struct {
		const char	*source;
		int		 collects, hides;
	} cases[] = {
		{ "amazon", PROFILE_COLLECTS_YES, 1 },
		{ "ebay", PROFILE_COLLECTS_YES, 1 },
		{ "etsy", PROFILE_COLLECTS_YES, 1 },
		{ "ozon", PROFILE_COLLECTS_YES, 1 },
		{ "wildberries", PROFILE_COLLECTS_YES, 1 },
		{ "yandex-market", PROFILE_COLLECTS_YES, 1 },
		{ "shopify", PROFILE_COLLECTS_GATEWAY, 0 },
		{ "woocommerce", PROFILE_COLLECTS_GATEWAY, 0 },
		{ "generic", PROFILE_COLLECTS_NO, 0 },
		{ "excel", PROFILE_COLLECTS_NO, 0 },
		{ "", PROFILE_COLLECTS_NO, 0 },
	};
	struct profile_set *set = profile_load(NULL);
	const struct profile *p;
	char what[96];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = profile_find(set, cases[i].source);
		snprintf(what, sizeof(what), "%s: source", cases[i].source);
		expect_str(what, p->source, cases[i].source);
		snprintf(what, sizeof(what), "%s: collects_payment",
		    cases[i].source);
		expect_int(what, p->collects_payment, cases[i].collects);
		snprintf(what, sizeof(what), "%s: hides_contact",
		    cases[i].source);
		expect_int(what, p->hides_contact, cases[i].hides);
		snprintf(what, sizeof(what), "%s: no defaults for the rest",
		    cases[i].source);
		expect_true(what, p->ship_method == NULL && p->carrier ==
		    NULL && p->tz == NULL && p->fulfilled_by == PROFILE_SHOP &&
		    !profile_allows(p, "no_contact"));
	}
	expect_true("NULL is the profile of records without a source",
	    profile_find(set, NULL) == profile_find(set, ""));
	expect_true("one profile a source, found again",
	    profile_find(set, "etsy") == profile_find(set, "etsy"));
	profile_free(set);
}

static void
test_config(void)
{
	static const char text[] =
	    "[source \"etsy\"]\n"
	    "ship_method = Post\n"
	    "carrier = usps\n"
	    "tz = -10:00\n"
	    "allow = no_contact, bad_postal_code,,\n"
	    "option_alias = \"size = size (men's) | US shoe size; "
	    "color = colour | pa_color;\"\n"
	    "[source \"amazon\"]\n"
	    "collects_payment = no\n"
	    "hides_contact = off\n"
	    "fulfilled_by = marketplace\n"
	    "[source \"my-shop\"]\n"
	    "collects_payment\n"
	    "[source \"shopify\"]\n"
	    "hides_contact = yes\n";
	struct conf *c = parse(text);
	struct profile_set *set = profile_load(c);
	const struct profile *p;
	char *name;

	p = profile_find(set, "etsy");
	expect_str("etsy: ship_method, lower-cased", p->ship_method, "post");
	expect_str("etsy: carrier", p->carrier, "usps");
	expect_str("etsy: tz", p->tz, "-10:00");
	expect_int("etsy: still collects", p->collects_payment,
	    PROFILE_COLLECTS_YES);
	expect_int("etsy: allows no_contact", profile_allows(p, "no_contact"),
	    1);
	expect_int("etsy: allows bad_postal_code",
	    profile_allows(p, "bad_postal_code"), 1);
	expect_int("etsy: not no_ship_method",
	    profile_allows(p, "no_ship_method"), 0);
	name = profile_option(p, "US Shoe Size");
	expect_str("an alias goes by its name", name, "size");
	free(name);
	name = profile_option(p, "Size (men's)");
	expect_str("the qualifier goes", name, "size");
	free(name);
	name = profile_option(p, "attribute_pa_colour");
	expect_str("a prefixed alias", name, "color");
	free(name);
	name = profile_option(p, "material");
	expect_str("a name without an alias", name, "material");
	free(name);

	p = profile_find(set, "amazon");
	expect_int("amazon: collects_payment = no", p->collects_payment,
	    PROFILE_COLLECTS_NO);
	expect_int("amazon: hides_contact = off", p->hides_contact, 0);
	expect_int("amazon: fulfilled_by", p->fulfilled_by,
	    PROFILE_MARKETPLACE);
	p = profile_find(set, "my-shop");
	expect_int("a key alone is yes", p->collects_payment,
	    PROFILE_COLLECTS_YES);
	p = profile_find(set, "shopify");
	expect_int("shopify: hides_contact = yes", p->hides_contact, 1);
	expect_int("shopify: still by gateway", p->collects_payment,
	    PROFILE_COLLECTS_GATEWAY);
	profile_free(set);
	conf_free(c);
}

static void
test_environment(void)
{
	struct conf *c = parse("[source \"etsy\"]\nship_method = post\n");
	struct profile_set *set;
	const struct profile *p;

	setenv("ORDERKIT_SOURCE_ETSY_SHIP_METHOD", "courier", 1);
	setenv("ORDERKIT_SOURCE_YANDEX_MARKET_HIDES_CONTACT", "no", 1);
	setenv("ORDERKIT_SOURCE_MARKET_X_COLLECTS_PAYMENT", "yes", 1);
	set = profile_load(c);
	expect_str("the environment wins", profile_find(set,
	    "etsy")->ship_method, "courier");
	expect_int("a name with '-' in the environment", profile_find(set,
	    "yandex-market")->hides_contact, 0);
	p = profile_find(set, "market_x");
	expect_int("a source only the environment names",
	    p->collects_payment, PROFILE_COLLECTS_YES);
	unsetenv("ORDERKIT_SOURCE_ETSY_SHIP_METHOD");
	unsetenv("ORDERKIT_SOURCE_YANDEX_MARKET_HIDES_CONTACT");
	unsetenv("ORDERKIT_SOURCE_MARKET_X_COLLECTS_PAYMENT");
	profile_free(set);
	conf_free(c);
}

static void
test_bad_values(void)
{
	static const struct {
		const char *text, *said;
	} cases[] = {
		{ "[source \"etsy\"]\ncollects_payment = maybe\n",
		    "[source \"etsy\"] collects_payment 'maybe' is not yes "
		    "or no" },
		{ "[source \"etsy\"]\nhides_contact = 2\n",
		    "[source \"etsy\"] hides_contact '2' is not yes or no" },
		{ "[source \"etsy\"]\nship_method = boat\n",
		    "[source \"etsy\"] ship_method 'boat' is not courier, "
		    "post or pickup" },
		{ "[source \"x\"]\nfulfilled_by = amazon\n",
		    "[source \"x\"] fulfilled_by 'amazon' is not shop or "
		    "marketplace" },
		{ "[source \"x\"]\nallow = no_contact bad_email\n",
		    "[source \"x\"] allow 'no_contact bad_email' is not a list "
		    "of error codes separated by ','" },
		{ "[source \"x\"]\noption_alias = size\n",
		    "[source \"x\"] option_alias 'size' is not NAME = ALIAS | "
		    "ALIAS; ..." },
		{ "[source \"x\"]\noption_alias = \"size = |\"\n",
		    "[source \"x\"] option_alias 'size = |' is not NAME = "
		    "ALIAS | ALIAS; ..." },
	};
	char what[64], want[256], *said;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "bad value %zu exits 78", i);
		expect_int(what, load_status(cases[i].text, &said), 78);
		snprintf(want, sizeof(want), "profile_test: %s\n",
		    cases[i].said);
		snprintf(what, sizeof(what), "bad value %zu: message", i);
		expect_str(what, said, want);
		free(said);
	}
	expect_int("good values load", load_status("[source \"x\"]\n"
	    "ship_method = pickup\n", &said), -1);
	expect_str("and say nothing", said, "");
	free(said);
}

static void
test_collects(void)
{
	static const struct {
		const char *source, *order;
		int collected;
	} cases[] = {
		{ "amazon", "{}", 1 },
		{ "etsy", "{\"payment\":{\"method\":\"card\"}}", 1 },
		{ "yandex-market", "{\"payment\":{\"method\":\"cod\","
		    "\"provider\":\"CASH_ON_DELIVERY\"}}", 1 },
		{ "shopify", "{\"payment\":{\"method\":\"card\","
		    "\"provider\":\"Shopify Payments\"}}", 1 },
		{ "shopify", "{\"payment\":{\"provider\":\"shopify_payments\"}}",
		    1 },
		{ "shopify", "{\"payment\":{\"provider\":"
		    "\"Shopify Payments + gift_card\"}}", 1 },
		{ "shopify", "{\"payment\":{\"provider\":\"gift_card\"}}", 1 },
		{ "shopify", "{\"payment\":{\"gateway\":\"SHOPIFY PAYMENTS\","
		    "\"provider\":\"stripe\"}}", 1 },
		{ "shopify", "{\"payment\":{\"provider\":\"manual\","
		    "\"status\":\"paid\"}}", 0 },
		{ "shopify", "{\"payment\":{\"provider\":"
		    "\"Shopify Payments + manual\"}}", 0 },
		{ "shopify", "{\"payment\":{\"provider\":\"paypal\"}}", 0 },
		{ "shopify", "{\"payment\":{\"status\":\"paid\"}}", 0 },
		{ "shopify", "{}", 0 },
		{ "woocommerce", "{\"payment\":{\"provider\":"
		    "\"woocommerce_payments\"}}", 1 },
		{ "woocommerce", "{\"payment\":{\"provider\":"
		    "\"woocommerce_payments_bancontact\"}}", 1 },
		{ "woocommerce", "{\"payment\":{\"provider\":\"bacs\"}}", 0 },
		{ "woocommerce", "{\"payment\":{\"provider\":\"stripe\"}}", 0 },
		{ "woocommerce", "{\"payment\":{\"provider\":\"cod\"}}", 0 },
		{ "generic", "{\"payment\":{\"provider\":\"Shopify Payments\"}}",
		    0 },
		{ "", "{\"payment\":{\"status\":\"paid\"}}", 0 },
		{ "my-shop", "{\"payment\":{\"provider\":\"stripe\"}}", 1 },
		{ "my-shop", "{\"payment\":{\"provider\":\"Bank Deposit\"}}", 0 },
		{ "my-shop", "{\"payment\":{\"provider\":"
		    "\"Cash on Delivery (COD)\"}}", 0 },
	};
	struct conf *c = parse("[source \"my-shop\"]\ncollects_payment = yes\n");
	struct profile_set *set = profile_load(c);
	json_t *order;
	char what[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		order = record(cases[i].order);
		snprintf(what, sizeof(what), "%s %s", cases[i].source,
		    cases[i].order);
		expect_int(what, profile_collects(profile_find(set,
		    cases[i].source), order), cases[i].collected);
		json_decref(order);
	}
	order = record("{\"source\":\"amazon\"}");
	expect_str("profile_of: the record's source",
	    profile_of(set, order)->source, "amazon");
	json_decref(order);
	order = record("{\"source\":7}");
	expect_str("profile_of: a source that is not a text is none",
	    profile_of(set, order)->source, "");
	json_decref(order);
	profile_free(set);
	conf_free(c);
}

static void
test_fulfilled_by(void)
{
	struct conf *c = parse("[source \"amazon\"]\n"
	    "fulfilled_by = marketplace\n");
	struct profile_set *set = profile_load(c);
	const struct profile *amazon = profile_find(set, "amazon");
	const struct profile *etsy = profile_find(set, "etsy");
	json_t *v;

	v = record("{}");
	expect_int("the profile's when the record does not say",
	    profile_fulfilled_by(amazon, v), PROFILE_MARKETPLACE);
	expect_int("shop by default", profile_fulfilled_by(etsy, v),
	    PROFILE_SHOP);
	json_decref(v);
	v = record("{\"fulfilled_by\":\"shop\"}");
	expect_int("the record's own channel wins",
	    profile_fulfilled_by(amazon, v), PROFILE_SHOP);
	json_decref(v);
	v = record("{\"fulfilled_by\":\"Marketplace\"}");
	expect_int("an item the marketplace ships",
	    profile_fulfilled_by(etsy, v), PROFILE_MARKETPLACE);
	json_decref(v);
	v = record("{\"fulfilled_by\":\"AFN\"}");
	expect_int("a word it does not know: the profile's",
	    profile_fulfilled_by(etsy, v), PROFILE_SHOP);
	json_decref(v);
	profile_free(set);
	conf_free(c);
}

static void
test_option_names(void)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "Size", "size" },
		{ "  size (men's) ", "size" },
		{ "Size Type", "size type" },
		{ "size  (US)  type", "size type" },
		{ "pa_color", "color" },
		{ "attribute_pa_color", "color" },
		{ "PA_Color", "color" },
		{ "pa_", "pa_" },
		{ "Цвет", "цвет" },
		{ "(only a qualifier)", "" },
		{ "size ((nested) x)", "size" },
	};
	char *got, what[96];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = profile_option(NULL, cases[i].name);
		snprintf(what, sizeof(what), "option name '%s'", cases[i].name);
		expect_str(what, got, cases[i].want);
		free(got);
	}
}

int
main(void)
{
	test_defaults();
	test_config();
	test_environment();
	test_bad_values();
	test_collects();
	test_fulfilled_by();
	test_option_names();
	unit_cleanup();
	return unit_summary("profile");
}
