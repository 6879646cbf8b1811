/* postal_test.c: unit tests of lib/postal.h. */
#include <stdio.h>
#include <string.h>

#include "postal.h"
#include "unit.h"

/* An example not checked. */
static const char SKIP[] = "";

static void
test_check(void)
{
	static const struct {
		const char	*country, *code;
		int		 want;
		const char	*norm;		/* when POSTAL_OK */
		const char	*example;
	} cases[] = {
		{ "RU", "101000", POSTAL_OK, "101000", "101000" },
		{ "RU", " 101000 ", POSTAL_OK, "101000", "101000" },
		{ "RU", "10100", POSTAL_BAD, NULL, "101000" },
		{ "RU", "1010000", POSTAL_BAD, NULL, "101000" },
		{ "RU", "1O1000", POSTAL_BAD, NULL, "101000" },
		{ "RU", "101000!", POSTAL_BAD, NULL, "101000" },
		{ "RU", "", POSTAL_BAD, NULL, "101000" },
		{ "UA", "01001", POSTAL_OK, "01001", "01001" },
		{ "BY", "220030", POSTAL_OK, "220030", "220030" },
		{ "KZ", "050000", POSTAL_OK, "050000", "050000" },
		{ "KZ", "z05t3e6", POSTAL_OK, "Z05T3E6", "050000" },
		{ "DE", "10115", POSTAL_OK, "10115", "10115" },
		{ "DE", "1011", POSTAL_BAD, NULL, "10115" },
		{ "PL", "00950", POSTAL_OK, "00-950", "00-950" },
		{ "PL", "00-950", POSTAL_OK, "00-950", "00-950" },
		{ "PL", "00 950", POSTAL_OK, "00-950", "00-950" },
		{ "PL", "0095", POSTAL_BAD, NULL, "00-950" },
		{ "CZ", "11000", POSTAL_OK, "110 00", "110 00" },
		{ "SE", "111 22", POSTAL_OK, "111 22", "111 22" },
		{ "NL", "1012ab", POSTAL_OK, "1012 AB", "1012 AB" },
		{ "NL", "1012 A", POSTAL_BAD, NULL, "1012 AB" },
		{ "CA", "k1a0b1", POSTAL_OK, "K1A 0B1", "K1A 0B1" },
		{ "CA", "K1A 0B", POSTAL_BAD, NULL, "K1A 0B1" },
		{ "US", "20500", POSTAL_OK, "20500", "20500" },
		{ "US", "20500-1234", POSTAL_OK, "20500-1234", "20500" },
		{ "US", "205001234", POSTAL_OK, "20500-1234", "20500" },
		{ "US", "2050", POSTAL_BAD, NULL, "20500" },
		{ "JP", "1000001", POSTAL_OK, "100-0001", "100-0001" },
		{ "BR", "01310100", POSTAL_OK, "01310-100", "01310-100" },
		{ "PT", "1000-001", POSTAL_OK, "1000-001", "1000-001" },
		{ "AR", "c1425dka", POSTAL_OK, "C1425DKA", "C1425DKA" },
		{ "AR", "1425", POSTAL_OK, "1425", "C1425DKA" },
		{ "LT", "01100", POSTAL_OK, "LT-01100", "LT-01100" },
		{ "LT", "LT-01100", POSTAL_OK, "LT-01100", "LT-01100" },
		{ "LT", "lt01100", POSTAL_OK, "LT-01100", "LT-01100" },
		{ "LT", "LV-01100", POSTAL_BAD, NULL, "LT-01100" },
		{ "LV", "1050", POSTAL_OK, "LV-1050", "LV-1050" },
		{ "MD", "md-2001", POSTAL_OK, "MD-2001", "MD-2001" },
		{ "AZ", "1000", POSTAL_OK, "AZ 1000", "AZ 1000" },
		{ "AZ", "az1000", POSTAL_OK, "AZ 1000", "AZ 1000" },
		{ "AZ", "BZ1000", POSTAL_BAD, NULL, "AZ 1000" },
		{ "AZ", "XZ 1000", POSTAL_BAD, NULL, "AZ 1000" },
		{ "NL", "1012ab", POSTAL_OK, "1012 AB", "1012 AB" },
		{ "KZ", "a15e3c3", POSTAL_OK, "A15E3C3", "050000" },
		{ "GB", "sw1a1aa", POSTAL_OK, "SW1A 1AA", "SW1A 1AA" },
		{ "GB", "SW1A 1AA", POSTAL_OK, "SW1A 1AA", "SW1A 1AA" },
		{ "GB", "M1 1AE", POSTAL_OK, "M1 1AE", "SW1A 1AA" },
		{ "GB", "B33 8TH", POSTAL_OK, "B33 8TH", "SW1A 1AA" },
		{ "GB", "CR2 6XH", POSTAL_OK, "CR2 6XH", "SW1A 1AA" },
		{ "GB", "DN55 1PT", POSTAL_OK, "DN55 1PT", "SW1A 1AA" },
		{ "GB", "W1A 0AX", POSTAL_OK, "W1A 0AX", "SW1A 1AA" },
		{ "GB", "EC1A 1BB", POSTAL_OK, "EC1A 1BB", "SW1A 1AA" },
		{ "GB", "gir 0aa", POSTAL_OK, "GIR 0AA", "SW1A 1AA" },
		{ "GB", "SW1A", POSTAL_BAD, NULL, "SW1A 1AA" },
		{ "GB", "12345", POSTAL_BAD, NULL, "SW1A 1AA" },
		{ "GB", "SW1A 1A1", POSTAL_BAD, NULL, "SW1A 1AA" },
		{ "JE", "je2 3ab", POSTAL_OK, "JE2 3AB", "SW1A 1AA" },
		/* Without a known format: 2 to 10 letters and digits. */
		{ "IE", "d02x285", POSTAL_OK, "D02 X285", "D02 X285" },
		{ "IE", "D6W 1234", POSTAL_OK, "D6W 1234", "D02 X285" },
		{ "XK", "10000", POSTAL_OK, "10000", NULL },
		{ "XK", "1", POSTAL_BAD, NULL, NULL },
		{ "XK", "12345678901", POSTAL_BAD, NULL, NULL },
		{ "XK", "10000?", POSTAL_BAD, NULL, NULL },
		/* Without postal codes. */
		{ "AE", "", POSTAL_NONE, NULL, NULL },
		{ "AE", "12345", POSTAL_NONE, NULL, NULL },
		{ "HK", "999077", POSTAL_NONE, NULL, NULL },
		{ "ZW", "", POSTAL_NONE, NULL, NULL },
		/* Much too long for any country. */
		{ "RU", "1234567890123456789012345678901234567890", POSTAL_BAD,
		  NULL, "101000" },
		{ "XK", "1234567890123456789012345678901234567890", POSTAL_BAD,
		  NULL, NULL },
	};
	char out[32], what[120];
	const char *example;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "postal_check(%s, \"%s\")",
		    cases[i].country, cases[i].code);
		strcpy(out, "untouched");
		example = "untouched";
		rc = postal_check(cases[i].country, cases[i].code, out,
		    sizeof(out), &example);
		expect_int(what, rc, cases[i].want);
		if (rc == POSTAL_OK && cases[i].want == POSTAL_OK)
			expect_str(what, out, cases[i].norm);
		if (cases[i].example == SKIP)
			continue;
		snprintf(what, sizeof(what), "postal_check(%s, \"%s\") example",
		    cases[i].country, cases[i].code);
		expect_str(what, example, cases[i].example);
	}
}

/* The normalised code fits out or the code is taken for bad, never
 * written past it. */
static void
test_small_out(void)
{
	char out[8];
	const char *example;

	memset(out, '#', sizeof(out));
	expect_int("postal_check(RU, \"101000\") in 7 bytes",
	    postal_check("RU", "101000", out, 7, &example), POSTAL_OK);
	expect_int("... leaves the 8th byte", out[7], '#');
	expect_int("postal_check(RU, \"101000\") in 6 bytes",
	    postal_check("RU", "101000", out, 6, &example), POSTAL_BAD);
	memset(out, '#', sizeof(out));
	expect_int("postal_check(GB, \"SW1A1AA\") in 8 bytes",
	    postal_check("GB", "SW1A1AA", out, 8, &example), POSTAL_BAD);
	expect_int("postal_check(GB, \"GIR0AA\") in 7 bytes",
	    postal_check("GB", "GIR0AA", out, 7, &example), POSTAL_BAD);
	expect_int("postal_check(XK, \"10000\") in 5 bytes",
	    postal_check("XK", "10000", out, 5, &example), POSTAL_BAD);
}

static void
test_none(void)
{
	static const struct {
		const char	*country;
		int		 want;
	} cases[] = {
		{ "AE", 1 }, { "AG", 1 }, { "HK", 1 }, { "QA", 1 },
		{ "ZW", 1 }, { "YE", 1 }, { "JM", 1 }, { "IE", 0 },
		{ "RU", 0 }, { "GB", 0 }, { "US", 0 }, { "", 0 }, { "A", 0 },
		{ "AEA", 0 }, { "E ", 0 }, { " A", 0 }, { "EA", 0 },
		{ "GG", 0 }, { "ae", 0 },
	};
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "postal_none(\"%s\")",
		    cases[i].country);
		expect_int(what, postal_none(cases[i].country), cases[i].want);
	}
}

int
main(void)
{
	test_check();
	test_small_out();
	test_none();
	return unit_summary("postal");
}
