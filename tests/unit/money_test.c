/* money_test.c: unit tests of lib/money.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "unit.h"

struct parse_case {
	const char	*text;
	int		 exponent;
	int		 rc;
	int64_t		 minor;		/* when rc is MONEY_OK */
};

static const struct parse_case parse_cases[] = {
	/* The grouping and decimal conventions of the shops' exports. */
	{ "1 299,50", 2, MONEY_OK, 129950 },
	{ "1,299.50", 2, MONEY_OK, 129950 },
	{ "1.299,50", 2, MONEY_OK, 129950 },
	{ "1'299.50", 2, MONEY_OK, 129950 },
	{ "1\xe2\x80\x99" "299.50", 2, MONEY_OK, 129950 },	/* U+2019 */
	{ "1\xc2\xa0" "299,50", 2, MONEY_OK, 129950 },		/* U+00A0 */
	{ "1\xe2\x80\xaf" "299,50", 2, MONEY_OK, 129950 },	/* U+202F */
	{ "1\xe2\x80\x89" "299,50", 2, MONEY_OK, 129950 },	/* U+2009 */
	{ "1299.5", 2, MONEY_OK, 129950 },
	{ "1299", 2, MONEY_OK, 129900 },
	{ "19.90", 2, MONEY_OK, 1990 },
	{ "19.9", 2, MONEY_OK, 1990 },
	{ "0.01", 2, MONEY_OK, 1 },
	{ "0", 2, MONEY_OK, 0 },
	{ "  19.90\t", 2, MONEY_OK, 1990 },
	{ "\xc2\xa0" "19.90\xe2\x80\xaf", 2, MONEY_OK, 1990 },
	{ "1390.000000", 2, MONEY_OK, 139000 },
	{ "1390.000001", 2, MONEY_EPREC, 0 },
	{ ".5", 2, MONEY_OK, 50 },
	{ ",5", 2, MONEY_OK, 50 },
	{ "-.5", 2, MONEY_OK, -50 },
	{ ".500", 2, MONEY_OK, 50 },
	{ "12.", 2, MONEY_OK, 1200 },
	{ "12,", 2, MONEY_OK, 1200 },
	{ "-5", 2, MONEY_OK, -500 },
	{ "+5", 2, MONEY_OK, 500 },
	{ "\xe2\x88\x92" "5", 2, MONEY_OK, -500 },		/* U+2212 */
	{ "-0", 2, MONEY_OK, 0 },
	{ "-1 299,50", 2, MONEY_OK, -129950 },
	{ "0,500", 2, MONEY_OK, 50 },		/* a leading 0 is no group */
	{ "0.500", 2, MONEY_OK, 50 },
	{ "0,501", 2, MONEY_EPREC, 0 },
	{ "12,34,567.00", 2, MONEY_OK, 123456700 },	/* lakh */
	{ "1,00,000", 2, MONEY_OK, 10000000 },
	{ "1,234,567.89", 2, MONEY_OK, 123456789 },
	{ "1.234.567,89", 2, MONEY_OK, 123456789 },
	{ "1 234 567", 2, MONEY_OK, 123456700 },
	{ "1,299", 2, MONEY_OK, 129900 },	/* one group of three */
	{ "1.299", 2, MONEY_OK, 129900 },
	{ "1,29", 2, MONEY_OK, 129 },
	{ "0.125", 2, MONEY_EPREC, 0 },
	{ "1390.123", 2, MONEY_EPREC, 0 },	/* 4 digits: no group */
	{ "19.999", 2, MONEY_OK, 1999900 },	/* the contract's rule */

	/* JPY: no minor unit. */
	{ "1299", 0, MONEY_OK, 1299 },
	{ "1,299", 0, MONEY_OK, 1299 },
	{ "1 299", 0, MONEY_OK, 1299 },
	{ "1299.00", 0, MONEY_OK, 1299 },
	{ "1299.", 0, MONEY_OK, 1299 },
	{ "1299.5", 0, MONEY_EPREC, 0 },
	{ ".5", 0, MONEY_EPREC, 0 },

	/* KWD: three decimals, so "1,299" is 1.299 KWD. */
	{ "1,299", 3, MONEY_OK, 1299 },
	{ "1.299", 3, MONEY_OK, 1299 },
	{ "1,299.500", 3, MONEY_OK, 1299500 },
	{ "1 299,5", 3, MONEY_OK, 1299500 },
	{ "1,299,000", 3, MONEY_OK, 1299000000 },
	{ "1.5", 3, MONEY_OK, 1500 },
	{ "0.0005", 3, MONEY_EPREC, 0 },
	{ "1,2995", 3, MONEY_EPREC, 0 },
	{ "0.1230", 3, MONEY_OK, 123 },

	/* The edges of int64_t. */
	{ "9223372036854775807", 0, MONEY_OK, INT64_MAX },
	{ "9223372036854775808", 0, MONEY_ERANGE, 0 },
	{ "-9223372036854775808", 0, MONEY_OK, INT64_MIN },
	{ "-9223372036854775809", 0, MONEY_ERANGE, 0 },
	{ "9,223,372,036,854,775,807", 0, MONEY_OK, INT64_MAX },
	{ "9,223,372,036,854,775,808", 0, MONEY_ERANGE, 0 },
	{ "92233720368547758.07", 2, MONEY_OK, INT64_MAX },
	{ "92233720368547758.08", 2, MONEY_ERANGE, 0 },
	{ "-92233720368547758.08", 2, MONEY_OK, INT64_MIN },
	{ "-92233720368547758.09", 2, MONEY_ERANGE, 0 },
	{ "92233720368547759", 2, MONEY_ERANGE, 0 },	/* by the cents */
	{ "9223372036854775.807", 3, MONEY_OK, INT64_MAX },
	{ "99999999999999999999999999", 2, MONEY_ERANGE, 0 },
	{ "-99999999999999999999999999", 2, MONEY_ERANGE, 0 },

	/* Not amounts. */
	{ "", 2, MONEY_ESYNTAX, 0 },
	{ " ", 2, MONEY_ESYNTAX, 0 },
	{ "\xc2\xa0", 2, MONEY_ESYNTAX, 0 },
	{ "-", 2, MONEY_ESYNTAX, 0 },
	{ "+", 2, MONEY_ESYNTAX, 0 },
	{ ".", 2, MONEY_ESYNTAX, 0 },
	{ ",", 2, MONEY_ESYNTAX, 0 },
	{ "abc", 2, MONEY_ESYNTAX, 0 },
	{ "12abc", 2, MONEY_ESYNTAX, 0 },
	{ "12x", 2, MONEY_ESYNTAX, 0 },
	{ "$5", 2, MONEY_ESYNTAX, 0 },
	{ "5 USD", 2, MONEY_ESYNTAX, 0 },
	{ "1e5", 2, MONEY_ESYNTAX, 0 },
	{ "0x10", 2, MONEY_ESYNTAX, 0 },
	{ "--5", 2, MONEY_ESYNTAX, 0 },
	{ "- 5", 2, MONEY_ESYNTAX, 0 },
	{ "1..2", 2, MONEY_ESYNTAX, 0 },
	{ "1,,2", 2, MONEY_ESYNTAX, 0 },
	{ "1.2.3", 2, MONEY_ESYNTAX, 0 },
	{ "1,2,3", 2, MONEY_ESYNTAX, 0 },
	{ "1 2", 2, MONEY_ESYNTAX, 0 },
	{ "1 .5", 2, MONEY_ESYNTAX, 0 },
	{ "1,23.45", 2, MONEY_ESYNTAX, 0 },
	{ "1234,567.89", 2, MONEY_ESYNTAX, 0 },
	{ "1.299.50", 2, MONEY_ESYNTAX, 0 },
	{ "1,299,50", 2, MONEY_ESYNTAX, 0 },
	{ "1.299,50.00", 2, MONEY_ESYNTAX, 0 },
	{ "1 299 ,50", 2, MONEY_ESYNTAX, 0 },
	{ "1\xc2", 2, MONEY_ESYNTAX, 0 },	/* a cut no-break space */
	{ "1\xe2\x80", 2, MONEY_ESYNTAX, 0 },
	{ "\xe2", 2, MONEY_ESYNTAX, 0 },
	{ "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.", 2, MONEY_ESYNTAX, 0 },
	{ "1.000.000.000.000.000.000.000.000.000.000.000.000.000.000.000.000.",
	    2, MONEY_ESYNTAX, 0 },
};

static void
test_parse(void)
{
	char what[160];
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		int64_t minor = -42;
		int rc;

		rc = money_parse(c->text, c->exponent, &minor);
		snprintf(what, sizeof(what), "money_parse(\"%s\", %d) result",
		    c->text, c->exponent);
		expect_int(what, rc, c->rc);
		snprintf(what, sizeof(what), "money_parse(\"%s\", %d) amount",
		    c->text, c->exponent);
		expect_int(what, minor, c->rc == MONEY_OK ? c->minor : -42);
	}
}

/* Text handed over as it sits in a record, not as a literal: the parser
 * must not read past its end. */
static void
test_parse_bounds(void)
{
	static const char *texts[] = { "", "1", "1\xc2", "5 ", "12x", "1'" };
	char what[80];
	size_t i, n;
	int64_t minor;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *copy;

		n = strlen(texts[i]);
		if ((copy = malloc(n + 1)) == NULL)
			return;
		memcpy(copy, texts[i], n + 1);
		snprintf(what, sizeof(what), "money_parse(heap \"%s\") runs",
		    texts[i]);
		expect_true(what, money_parse(copy, 2, &minor) <= MONEY_OK);
		free(copy);
	}
}

struct marked_case {
	const char	*text;
	int		 exponent;
	char		 decimal;
	int		 rc;
	int64_t		 minor;		/* when rc is MONEY_OK */
	const char	*code;
};

static const struct marked_case marked_cases[] = {
	/* Signs and codes before or after the number, a sign beside them. */
	{ "$1,234.56", 2, 0, MONEY_OK, 123456, "USD" },
	{ "1 234,56 \xe2\x82\xbd", 2, 0, MONEY_OK, 123456, "RUB" },	/* ₽ */
	{ "1\xc2\xa0" "234,56\xc2\xa0\xe2\x82\xbd", 2, 0, MONEY_OK, 123456,
	    "RUB" },
	{ "\xe2\x82\xac" "12", 2, 0, MONEY_OK, 1200, "EUR" },	/* €12 */
	{ "12,00 \xe2\x82\xac", 2, 0, MONEY_OK, 1200, "EUR" },
	{ "12.00 USD", 2, 0, MONEY_OK, 1200, "USD" },
	{ "USD 12.00", 2, 0, MONEY_OK, 1200, "USD" },
	{ "12.00usd", 2, 0, MONEY_OK, 1200, "USD" },
	{ "12 RUR", 2, 0, MONEY_OK, 1200, "RUB" },
	{ "-\xc2\xa3" "3.50", 2, 0, MONEY_OK, -350, "GBP" },		/* -£3.50 */
	{ "\xc2\xa3-3.50", 2, 0, MONEY_OK, -350, "GBP" },
	{ "-$5", 2, 0, MONEY_OK, -500, "USD" },
	{ "$ -5", 2, 0, MONEY_OK, -500, "USD" },
	{ "\xe2\x88\x92" "12.00 USD", 2, 0, MONEY_OK, -1200, "USD" },
	{ "US $5", 2, 0, MONEY_OK, 500, "USD" },
	{ "CA$5", 2, 0, MONEY_OK, 500, "CAD" },
	{ "EUR \xe2\x82\xac" "3,50", 2, 0, MONEY_OK, 350, "EUR" },
	{ "12 \xd1\x80\xd1\x83\xd0\xb1.", 2, 0, MONEY_OK, 1200, "RUB" }, /* руб. */
	{ "12 \xd1\x80.", 2, 0, MONEY_OK, 1200, "RUB" },		/* р. */
	{ "Rs.12", 2, 0, MONEY_OK, 1200, "INR" },
	{ "Rs. 1,299.00", 2, 0, MONEY_OK, 129900, "INR" },
	{ "Fr. 1'299.50", 2, 0, MONEY_OK, 129950, "CHF" },
	{ "$.50", 2, 0, MONEY_OK, 50, "USD" },
	{ "$12.", 2, 0, MONEY_OK, 1200, "USD" },
	{ "\xc2\xa5" "1299", 0, 0, MONEY_OK, 1299, "JPY" },		/* ¥ */
	{ "1299\xe5\x86\x86", 0, 0, MONEY_OK, 1299, "JPY" },		/* 円 */
	{ "12.50", 2, 0, MONEY_OK, 1250, "" },
	{ "  19.90 ", 2, 0, MONEY_OK, 1990, "" },

	/* The export's decimal separator. */
	{ "1.234,56 \xe2\x82\xac", 2, ',', MONEY_OK, 123456, "EUR" },
	{ "19,905", 3, ',', MONEY_OK, 19905, "" },
	{ "19.905", 2, '.', MONEY_EPREC, 0, "" },	/* not 19905.00 */
	{ "19.905", 2, 0, MONEY_OK, 1990500, "" },
	{ "1,000", 0, '.', MONEY_OK, 1000, "" },
	{ "1,000", 0, ',', MONEY_OK, 1, "" },

	/* What money_parse() says of the number. */
	{ "$1.999", 2, '.', MONEY_EPREC, 0, "USD" },
	{ "$99999999999999999999", 2, 0, MONEY_ERANGE, 0, "USD" },
	{ "$1.2.3", 2, 0, MONEY_ESYNTAX, 0, "USD" },

	/* No number, or beside it no mark known. */
	{ "$", 2, 0, MONEY_EMARK, 0, "USD" },
	{ "", 2, 0, MONEY_EMARK, 0, "" },
	{ " ", 2, 0, MONEY_EMARK, 0, "" },
	{ ",", 2, '.', MONEY_EMARK, 0, "" },
	{ "(12.00)", 2, 0, MONEY_EMARK, 0, "" },
	{ "12.0O", 2, 0, MONEY_EMARK, 0, "" },
	{ "1$2", 2, 0, MONEY_EMARK, 0, "" },
	{ "12 USD 50", 2, 0, MONEY_EMARK, 0, "" },
	{ "$12 USD", 2, 0, MONEY_EMARK, 0, "" },
	{ "$$12", 2, 0, MONEY_EMARK, 0, "" },
	{ "12 XYZ", 2, 0, MONEY_EMARK, 0, "" },
	{ "Apt 3", 2, 0, MONEY_EMARK, 0, "" },
	{ "12 kr", 2, 0, MONEY_EMARK, 0, "" },		/* SEK? NOK? DKK? */
	{ "abc", 2, 0, MONEY_EMARK, 0, "" },
	{ "1000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000"
	  " USD", 2, 0, MONEY_EMARK, 0, "" },
};

static void
test_parse_marked(void)
{
	char what[200], code[4];
	size_t i;

	for (i = 0; i < sizeof(marked_cases) / sizeof(marked_cases[0]); i++) {
		const struct marked_case *c = &marked_cases[i];
		int64_t minor = -42;
		int rc;

		memcpy(code, "???", 4);
		rc = money_parse_marked(c->text, c->exponent, c->decimal,
		    &minor, code);
		snprintf(what, sizeof(what), "money_parse_marked(\"%.60s\", "
		    "%d, '%c') result", c->text, c->exponent,
		    c->decimal ? c->decimal : '0');
		expect_int(what, rc, c->rc);
		snprintf(what, sizeof(what), "money_parse_marked(\"%.60s\", "
		    "%d, '%c') amount", c->text, c->exponent,
		    c->decimal ? c->decimal : '0');
		expect_int(what, minor, c->rc == MONEY_OK ? c->minor : -42);
		snprintf(what, sizeof(what), "money_parse_marked(\"%.60s\", "
		    "%d, '%c') code", c->text, c->exponent,
		    c->decimal ? c->decimal : '0');
		expect_str(what, code, c->code);
	}
}

static void
test_currency(void)
{
	static const struct {
		const char	*code;
		int		 exponent;
	} known[] = {
		{ "AED", 2 }, { "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 },
		{ "CLP", 0 }, { "EUR", 2 }, { "GBP", 2 }, { "IQD", 3 },
		{ "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 }, { "KRW", 0 },
		{ "KWD", 3 }, { "KZT", 2 }, { "LYD", 3 }, { "OMR", 3 },
		{ "RUB", 2 }, { "TND", 3 }, { "UAH", 2 }, { "USD", 2 },
		{ "UYW", 4 }, { "VND", 0 }, { "XAF", 0 }, { "XOF", 0 },
		{ "XPF", 0 }, { "ZWL", 2 }, { "BYN", 2 }, { "CNY", 2 },
	};
	static const char *unknown[] = {
		"XXX", "ZZZ", "AAA", "", "RU", "RUBL", "rub", "Rub", "rur",
		"BYR", "EURO",
	};
	const struct money_currency *cur;
	char what[80];
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		cur = money_currency(known[i].code);
		snprintf(what, sizeof(what), "money_currency(\"%s\") found",
		    known[i].code);
		if (!expect_true(what, cur != NULL))
			continue;
		snprintf(what, sizeof(what), "money_currency(\"%s\") code",
		    known[i].code);
		expect_str(what, cur->code, known[i].code);
		snprintf(what, sizeof(what), "money_currency(\"%s\") exponent",
		    known[i].code);
		expect_int(what, cur->exponent, known[i].exponent);
	}
	cur = money_currency("RUR");
	if (expect_true("money_currency(\"RUR\") found", cur != NULL))
		expect_str("money_currency(\"RUR\") code", cur->code, "RUB");
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		snprintf(what, sizeof(what), "money_currency(\"%s\") is NULL",
		    unknown[i]);
		expect_true(what, money_currency(unknown[i]) == NULL);
	}
}

/* A code in any case of its letters, and nothing else, is a currency. */
static void
test_currency_anycase(void)
{
	static const char *const found[] = { "rub", "Rub", "RUB", "eur",
	    "jPy", "rur" };
	static const char *const want[] = { "RUB", "RUB", "RUB", "EUR", "JPY",
	    "RUB" };
	static const char *const unknown[] = { "", "ru", "rubl", "r b", "xxx",
	    "1UB", "RUB ", "\xd0\xa0UB" };
	const struct money_currency *cur;
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
		cur = money_currency_anycase(found[i], strlen(found[i]));
		snprintf(what, sizeof(what), "money_currency_anycase(\"%s\")",
		    found[i]);
		if (expect_true(what, cur != NULL))
			expect_str(what, cur->code, want[i]);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		snprintf(what, sizeof(what),
		    "money_currency_anycase(\"%s\") is NULL", unknown[i]);
		expect_true(what, money_currency_anycase(unknown[i],
		    strlen(unknown[i])) == NULL);
	}
	expect_true("a length that stops short", money_currency_anycase("eurx",
	    3) != NULL);
}

static void
test_arithmetic(void)
{
	int64_t r;

	r = 0;
	expect_int("money_add(129900, 30000)", money_add(129900, 30000, &r), 0);
	expect_int("money_add(129900, 30000) sum", r, 159900);
	expect_int("money_add(-5, 3)", money_add(-5, 3, &r), 0);
	expect_int("money_add(-5, 3) sum", r, -2);
	expect_int("money_add(INT64_MAX, 0)", money_add(INT64_MAX, 0, &r), 0);
	expect_int("money_add(INT64_MAX, 0) sum", r, INT64_MAX);
	expect_int("money_add(INT64_MAX, INT64_MIN)",
	    money_add(INT64_MAX, INT64_MIN, &r), 0);
	expect_int("money_add(INT64_MAX, INT64_MIN) sum", r, -1);

	r = 7;
	expect_int("money_add(INT64_MAX, 1)", money_add(INT64_MAX, 1, &r), -1);
	expect_int("money_add(INT64_MAX, 1) leaves the sum", r, 7);
	expect_int("money_add(INT64_MIN, -1)",
	    money_add(INT64_MIN, -1, &r), -1);
	expect_int("money_add(INT64_MIN, INT64_MIN)",
	    money_add(INT64_MIN, INT64_MIN, &r), -1);
	expect_int("money_add(INT64_MIN, -1) leaves the sum", r, 7);

	expect_int("money_mul(129900, 2)", money_mul(129900, 2, &r), 0);
	expect_int("money_mul(129900, 2) product", r, 259800);
	expect_int("money_mul(-1, INT64_MAX)", money_mul(-1, INT64_MAX, &r), 0);
	expect_int("money_mul(-1, INT64_MAX) product", r, -INT64_MAX);
	expect_int("money_mul(0, INT64_MIN)", money_mul(0, INT64_MIN, &r), 0);
	expect_int("money_mul(0, INT64_MIN) product", r, 0);

	r = 7;
	expect_int("money_mul(INT64_MAX, 2)", money_mul(INT64_MAX, 2, &r), -1);
	expect_int("money_mul(INT64_MIN, -1)",
	    money_mul(INT64_MIN, -1, &r), -1);
	expect_int("money_mul(4294967296, 4294967296)",
	    money_mul(4294967296LL, 4294967296LL, &r), -1);
	expect_int("money_mul(922337203685477581, 10)",
	    money_mul(922337203685477581LL, 10, &r), -1);
	expect_int("money_mul(...) overflow leaves the product", r, 7);

	expect_int("money_sub(5, 7)", money_sub(5, 7, &r), 0);
	expect_int("money_sub(5, 7) difference", r, -2);
	expect_int("money_sub(-1, INT64_MAX)", money_sub(-1, INT64_MAX, &r), 0);
	expect_int("money_sub(-1, INT64_MAX) difference", r, INT64_MIN);
	expect_int("money_neg(INT64_MAX)", money_neg(INT64_MAX, &r), 0);
	expect_int("money_neg(INT64_MAX) result", r, -INT64_MAX);
	expect_int("money_neg(-1299)", money_neg(-1299, &r), 0);
	expect_int("money_neg(-1299) result", r, 1299);

	r = 7;
	expect_int("money_sub(INT64_MIN, 1)", money_sub(INT64_MIN, 1, &r), -1);
	expect_int("money_sub(0, INT64_MIN)", money_sub(0, INT64_MIN, &r), -1);
	expect_int("money_sub(INT64_MAX, -1)", money_sub(INT64_MAX, -1, &r),
	    -1);
	expect_int("money_neg(INT64_MIN)", money_neg(INT64_MIN, &r), -1);
	expect_int("money_sub(...) overflow leaves the difference", r, 7);
}

static void
test_format(void)
{
	static const struct {
		int64_t		 amount;
		int		 exponent;
		const char	*want;
	} cases[] = {
		{ 129950, 2, "1299.50" },
		{ -1250, 2, "-12.50" },
		{ -5, 2, "-0.05" },
		{ 5, 2, "0.05" },
		{ 0, 2, "0.00" },
		{ 1299, 0, "1299" },
		{ -1299, 0, "-1299" },
		{ 0, 0, "0" },
		{ 1299, 3, "1.299" },
		{ -1, 3, "-0.001" },
		{ -1299500, 3, "-1299.500" },
		{ 12345, 4, "1.2345" },
		{ INT64_MAX, 2, "92233720368547758.07" },
		{ INT64_MIN, 2, "-92233720368547758.08" },
		{ INT64_MAX, 0, "9223372036854775807" },
		{ INT64_MIN, 0, "-9223372036854775808" },
		{ INT64_MIN, 3, "-9223372036854775.808" },
	};
	char buf[40], what[80];
	size_t i;
	int64_t back;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "money_format(%jd, %d)",
		    (intmax_t)cases[i].amount, cases[i].exponent);
		expect_str(what, money_format(cases[i].amount,
		    cases[i].exponent, buf, sizeof(buf)), cases[i].want);
		/* What is written reads back as the same amount. */
		snprintf(what, sizeof(what), "money_parse(money_format(%jd, %d))",
		    (intmax_t)cases[i].amount, cases[i].exponent);
		back = 0;
		expect_int(what, money_parse(buf, cases[i].exponent, &back),
		    MONEY_OK);
		expect_int(what, back, cases[i].amount);
	}
}

static void
test_locale_decimal(void)
{
	static const struct {
		const char *lc_all, *lc_numeric, *lang;
		char want;
	} cases[] = {
		{ NULL, NULL, NULL, '.' },
		{ "", "", "", '.' },
		{ "C", NULL, NULL, '.' },
		{ "ru_RU.UTF-8", NULL, NULL, ',' },
		{ NULL, "uk_UA.UTF-8", "en_US.UTF-8", ',' },
		{ NULL, NULL, "de_DE@euro", ',' },
		{ "de_CH.UTF-8", NULL, NULL, '.' },	/* a place that differs */
		{ "en_DK.UTF-8", NULL, NULL, ',' },
		{ "en_US.UTF-8", "ru_RU.UTF-8", NULL, '.' },	/* LC_ALL first */
		{ "", "fr_FR", NULL, ',' },
		{ "toolonglanguage_XX", NULL, NULL, '.' },
	};
	char what[120];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsetenv("LC_ALL");
		unsetenv("LC_NUMERIC");
		unsetenv("LANG");
		if (cases[i].lc_all != NULL)
			setenv("LC_ALL", cases[i].lc_all, 1);
		if (cases[i].lc_numeric != NULL)
			setenv("LC_NUMERIC", cases[i].lc_numeric, 1);
		if (cases[i].lang != NULL)
			setenv("LANG", cases[i].lang, 1);
		snprintf(what, sizeof(what), "money_locale_decimal() under "
		    "LC_ALL=%s LC_NUMERIC=%s LANG=%s",
		    cases[i].lc_all ? cases[i].lc_all : "(unset)",
		    cases[i].lc_numeric ? cases[i].lc_numeric : "(unset)",
		    cases[i].lang ? cases[i].lang : "(unset)");
		expect_int(what, money_locale_decimal(), cases[i].want);
	}
}

int
main(void)
{
	test_parse();
	test_parse_bounds();
	test_parse_marked();
	test_currency();
	test_currency_anycase();
	test_arithmetic();
	test_format();
	test_locale_decimal();
	return unit_summary("money");
}
