/* http_test.c: unit tests of lib/http.h that need no network: the
 * back-off and Retry-After arithmetic, URL escapes, the JSON check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "unit.h"

static void
test_backoff(void)
{
	struct http_limits lim = http_default_limits;

	expect_int("first wait, least jitter", http_backoff(&lim, 1, 0, 0),
	    250);
	expect_int("first wait, most jitter", http_backoff(&lim, 1, 0, 999),
	    499);
	expect_int("third wait doubles twice", http_backoff(&lim, 3, 0, 0),
	    1000);
	expect_int("jitter stays below 1000", http_backoff(&lim, 1, 0, 1999),
	    499);
	expect_int("the wait stops at backoff_max",
	    http_backoff(&lim, 30, 0, 0), 30000);
	expect_int("Retry-After in seconds", http_backoff(&lim, 1, 3, 500),
	    3000);
	expect_int("Retry-After is capped", http_backoff(&lim, 1, 120, 0),
	    60000);
	expect_int("a huge Retry-After is capped",
	    http_backoff(&lim, 1, INT64_C(9000000000000), 0), 60000);
	expect_int("a date in the past: at once",
	    http_backoff(&lim, 2, -86400, 0), 0);
	lim.backoff_max_ms = 50;
	expect_int("a small backoff_max wins over the base",
	    http_backoff(&lim, 1, 0, 0), 25);
	expect_int("and over Retry-After", http_backoff(&lim, 1, 1, 0), 50);
}

static void
test_escape(void)
{
	char *s;

	s = http_escape("AZaz09-._~");
	expect_str("unreserved stay", s, "AZaz09-._~");
	free(s);
	s = http_escape("a b&c=d/é");
	expect_str("the rest is %XX", s, "a%20b%26c%3Dd%2F%C3%A9");
	free(s);
}

static void
test_check_json(void)
{
	struct http_request r;
	char ok[] = "{\"a\":1}", html[] = "<html>503</html>", num[] = "42";

	memset(&r, 0, sizeof(r));
	r.status = 200;
	r.body = ok;
	r.len = strlen(ok);
	expect_int("an object is taken", http_check_json(&r), HTTP_DEFAULT);
	expect_true("and parsed", r.parsed != NULL);
	r.body = html;
	r.len = strlen(html);
	expect_int("HTML with 200 is retried", http_check_json(&r),
	    HTTP_RETRY);
	expect_true("nothing parsed", r.parsed == NULL);
	r.body = num;
	r.len = strlen(num);
	expect_int("a bare number with 200 is retried", http_check_json(&r),
	    HTTP_RETRY);
	r.status = 404;
	r.body = html;
	r.len = strlen(html);
	expect_int("HTML with 404 is the caller's", http_check_json(&r),
	    HTTP_DEFAULT);
	/* The caller's own parse, handed over: the same rules. */
	r.status = 200;
	expect_int("a value parsed elsewhere is taken",
	    http_check_parsed(&r, json_pack("[i]", 1)), HTTP_DEFAULT);
	expect_true("and kept", json_is_array((json_t *)r.parsed));
	expect_int("a bare string parsed elsewhere is retried",
	    http_check_parsed(&r, json_string("x")), HTTP_RETRY);
	expect_true("and dropped", r.parsed == NULL);
	expect_int("no JSON at all is retried", http_check_parsed(&r, NULL),
	    HTTP_RETRY);
	if (r.parsed != NULL)
		r.parsed_free(r.parsed);
}

int
main(void)
{
	test_backoff();
	test_escape();
	test_check_json();
	return unit_summary("http");
}
