/* money_fuzz.c: amounts read digit by digit, and the sum and product that
 * report overflow.
 *
 * Input: one option byte, then the text.  Byte & 0x80: the 16 bytes after
 * it are two int64_t, checked with money_add() and money_mul() against
 * 128-bit arithmetic.  Otherwise bits 0-1 choose the exponent (0, 2, 3
 * or 4 decimals) and the text is an amount for money_parse(): what it
 * reads, money_format() writes and money_parse() reads back the same, and
 * space around the text changes nothing.  A text of three letters is also
 * looked up with money_currency(). */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "fuzz.h"

static void
check_helpers(const uint8_t *data, size_t size)
{
	int64_t a, b, r = 12345;
	__int128 wide;

	if (size < 16)
		return;
	memcpy(&a, data, 8);
	memcpy(&b, data + 8, 8);
	wide = (__int128)a + b;
	if (wide > INT64_MAX || wide < INT64_MIN)
		fuzz_check(money_add(a, b, &r) == -1 && r == 12345,
		    "money_add: an overflow not reported, or *sum set");
	else
		fuzz_check(money_add(a, b, &r) == 0 && r == wide,
		    "money_add: a wrong sum");
	r = 12345;
	wide = (__int128)a * b;
	if (wide > INT64_MAX || wide < INT64_MIN)
		fuzz_check(money_mul(a, b, &r) == -1 && r == 12345,
		    "money_mul: an overflow not reported, or *product set");
	else
		fuzz_check(money_mul(a, b, &r) == 0 && r == wide,
		    "money_mul: a wrong product");
}

static void
check_parse(const char *text, int exponent)
{
	const struct money_currency *c;
	char buf[40], *padded;
	int64_t minor = 0, again = 0, spaced = 0;
	size_t len = strlen(text);
	int rc;

	rc = money_parse(text, exponent, &minor);
	fuzz_check(rc == MONEY_OK || rc == MONEY_ESYNTAX || rc == MONEY_EPREC ||
	    rc == MONEY_ERANGE, "money_parse: an unknown result");
	if (rc == MONEY_OK) {
		memset(buf, 'x', sizeof(buf));
		money_format(minor, exponent, buf, sizeof(buf));
		fuzz_check(memchr(buf, '\0', sizeof(buf) - 1) != NULL,
		    "money_format: 40 bytes did not suffice");
		fuzz_check(money_parse(buf, exponent, &again) == MONEY_OK &&
		    again == minor, "money_parse: does not read back "
		    "what money_format wrote");
	}
	padded = malloc(len + 3);
	padded[0] = ' ';
	memcpy(padded + 1, text, len);
	padded[len + 1] = ' ';
	padded[len + 2] = '\0';
	fuzz_check(money_parse(padded, exponent, &spaced) == rc &&
	    (rc != MONEY_OK || spaced == minor),
	    "money_parse: space around an amount changes it");
	free(padded);
	if (len == 3) {
		c = money_currency(text);
		fuzz_check(c == NULL || (strcmp(c->code, text) == 0 ||
		    (strcmp(text, "RUR") == 0 &&
		    strcmp(c->code, "RUB") == 0)),
		    "money_currency: another currency found");
		fuzz_check(c == NULL || c->exponent == 0 ||
		    c->exponent == 2 || c->exponent == 3 || c->exponent == 4,
		    "money_currency: an odd exponent");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int exponents[] = { 0, 2, 3, 4 };
	char *text;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		check_helpers(data + 1, size - 1);
		return 0;
	}
	text = fuzz_strndup(data + 1, size - 1);
	check_parse(text, exponents[data[0] & 3]);
	free(text);
	return 0;
}
