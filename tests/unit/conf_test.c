/* conf_test.c: unit tests of lib/conf.h: the syntax, the environment
 * winning over the file, durations and numbers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "unit.h"

static struct conf *
parse(const char *text, char *err, size_t errlen)
{
	return conf_parse("t.conf", text, strlen(text), err, errlen);
}

static void
test_syntax(void)
{
	static const char text[] =
	    "# a comment\n"
	    "; another\n"
	    "\n"
	    "[shop]\n"
	    "\tname = Example Shop  \n"
	    "country=RU ; trailing comment\n"
	    "[Carrier \"cdek\"]\n"
	    "  Client_ID = abc # id\n"
	    "client_secret = \"s3 #;cret\"\n"
	    "url = \"https://api.cdek.ru/v2\"\n"
	    "escaped = a\\\"b\\\\c\n"
	    "empty =\n"
	    "flag\n"
	    "[carrier \"CDEK\"]\n"
	    "client_id = other\n"
	    "[carrier \"with \\\"quote\\\"\"]\n"
	    "key = q\n"
	    "[shop]\r\n"
	    "country = UA\r\n";
	char err[256] = "";
	struct conf *c;

	c = parse(text, err, sizeof(err));
	if (!expect_true("the example parses", c != NULL)) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	expect_str("value with inner spaces, outer trimmed",
	    conf_get(c, "shop", NULL, "name"), "Example Shop");
	expect_str("the last value wins, CRLF taken off",
	    conf_get(c, "shop", NULL, "country"), "UA");
	expect_str("section and key without regard to case",
	    conf_get(c, "CARRIER", "cdek", "CLIENT_id"), "abc");
	expect_str("the name exactly", conf_get(c, "carrier", "CDEK",
	    "client_id"), "other");
	expect_str("quotes keep comment characters",
	    conf_get(c, "carrier", "cdek", "client_secret"), "s3 #;cret");
	expect_str("quotes go", conf_get(c, "carrier", "cdek", "url"),
	    "https://api.cdek.ru/v2");
	expect_str("escapes", conf_get(c, "carrier", "cdek", "escaped"),
	    "a\"b\\c");
	expect_str("empty value", conf_get(c, "carrier", "cdek", "empty"), "");
	expect_str("a key alone is true", conf_get(c, "carrier", "cdek",
	    "flag"), "true");
	expect_str("quoted name with escapes",
	    conf_get(c, "carrier", "with \"quote\"", "key"), "q");
	expect_true("a missing key", conf_get(c, "carrier", "cdek",
	    "missing") == NULL);
	expect_true("a named section is not the plain one",
	    conf_get(c, "carrier", NULL, "client_id") == NULL);
	expect_true("no file path", conf_path(c) == NULL);
	conf_free(c);
}

static void
test_errors(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "key = v\n", "t.conf:1: key 'key' outside a section" },
		{ "[a]\n\n[b\n", "t.conf:3: bad section header: missing ']'" },
		{ "[a \"x]\n", "t.conf:1: bad section header: missing '\"'" },
		{ "[]\n", "t.conf:1: bad section header: no section name" },
		{ "[a] x\n", "t.conf:1: bad section header: text after ']'" },
		{ "[a]\nk v\n", "t.conf:2: expected '=' after key 'k'" },
		{ "[a]\nk = \"open\n", "t.conf:2: missing '\"' in value" },
		{ "[a]\nk = a\\qb\n", "t.conf:2: bad escape in value" },
		{ "[a]\n=v\n", "t.conf:2: a key must start with a letter" },
		{ "[a]\nk = a\\\nb\n", "t.conf:2: line continuation is not "
		    "supported" },
	};
	char err[256], what[64];
	struct conf *c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		c = parse(cases[i].text, err, sizeof(err));
		snprintf(what, sizeof(what), "error case %zu", i);
		expect_true(what, c == NULL);
		expect_str(what, err, cases[i].err);
		conf_free(c);
	}
}

static void
test_environment(void)
{
	char err[256], buf[128];
	struct conf *c;

	expect_str("env name", conf_envname("carrier", "cdek",
	    "client_secret", buf, sizeof(buf)),
	    "ORDERKIT_CARRIER_CDEK_CLIENT_SECRET");
	expect_str("env name, other characters",
	    conf_envname("carrier", "nova-poshta.ua", "key", buf, sizeof(buf)),
	    "ORDERKIT_CARRIER_NOVA_POSHTA_UA_KEY");
	expect_str("env name, no name", conf_envname("http", NULL, "timeout",
	    buf, sizeof(buf)), "ORDERKIT_HTTP_TIMEOUT");
	expect_str("key name", conf_keyname("carrier", "cdek", "client_id",
	    buf, sizeof(buf)), "[carrier \"cdek\"] client_id");

	c = parse("[carrier \"cdek\"]\nclient_id = file\n", err, sizeof(err));
	setenv("ORDERKIT_CARRIER_CDEK_CLIENT_ID", "env", 1);
	setenv("ORDERKIT_CARRIER_CDEK_URL", "http://127.0.0.1:1/", 1);
	expect_str("the environment wins", conf_get(c, "carrier", "cdek",
	    "client_id"), "env");
	expect_str("a key only in the environment", conf_get(c, "carrier",
	    "cdek", "url"), "http://127.0.0.1:1/");
	setenv("ORDERKIT_CARRIER_CDEK_CLIENT_ID", "", 1);
	expect_str("an empty variable does not count", conf_get(c, "carrier",
	    "cdek", "client_id"), "file");
	unsetenv("ORDERKIT_CARRIER_CDEK_CLIENT_ID");
	unsetenv("ORDERKIT_CARRIER_CDEK_URL");
	conf_free(c);
}

static void
test_numbers(void)
{
	char err[256];
	struct conf *c;

	c = parse("[http]\ntimeout = 30\nretries = 2\nbackoff_max = 0.05\n"
	    "[carrier \"dhl\"]\ntimeout = 1.5\n", err, sizeof(err));
	expect_int("own value", conf_millis(c, "carrier", "dhl", "http",
	    "timeout", 9000, 3600000), 1500);
	expect_int("from [http]", conf_millis(c, "carrier", "cdek", "http",
	    "timeout", 9000, 3600000), 30000);
	expect_int("three decimals", conf_millis(c, "carrier", "cdek", "http",
	    "backoff_max", 60000, 3600000), 50);
	expect_int("the default", conf_millis(c, "carrier", "cdek", "http",
	    "missing", 9000, 3600000), 9000);
	expect_int("no fallback", conf_millis(c, "carrier", "cdek", NULL,
	    "timeout", 9000, 3600000), 9000);
	expect_int("long from [http]", conf_long(c, "carrier", "dhl", "http",
	    "retries", 5, 0, 100), 2);
	expect_int("long default", conf_long(c, "carrier", "dhl", "http",
	    "concurrency", 4, 1, 100), 4);
	conf_free(c);
}

static void
note_name(void *arg, const char *name)
{
	char *names = arg;

	strcat(names, name);
	strcat(names, ";");
}

static void
test_booleans_and_names(void)
{
	char err[256], names[128] = "";
	struct conf *c;

	c = parse("[source \"etsy\"]\nhides_contact = Yes\n"
	    "collects_payment = off\nflag\n[shop]\nname = x\n"
	    "[source \"amazon\"]\nx = 1\n[Source \"etsy\"]\ny = 0\n"
	    "[source \"Etsy\"]\nz = no\n", err, sizeof(err));
	expect_int("yes", conf_bool(c, "source", "etsy", "hides_contact", 0),
	    1);
	expect_int("off", conf_bool(c, "source", "etsy", "collects_payment",
	    1), 0);
	expect_int("a key alone", conf_bool(c, "source", "etsy", "flag", 0),
	    1);
	expect_int("1", conf_bool(c, "source", "amazon", "x", 0), 1);
	expect_int("0", conf_bool(c, "source", "etsy", "y", 1), 0);
	expect_int("the default", conf_bool(c, "source", "etsy", "none", 1),
	    1);
	conf_names(c, "SOURCE", note_name, names);
	expect_str("each name once, in order", names, "etsy;amazon;Etsy;");
	conf_free(c);
}

int
main(void)
{
	unsetenv("ORDERKIT_CARRIER_CDEK_CLIENT_ID");
	test_syntax();
	test_errors();
	test_environment();
	test_numbers();
	test_booleans_and_names();
	return unit_summary("conf");
}
