/* contact_test.c: unit tests of lib/contact.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "unit.h"

static void
test_email(void)
{
	static const struct {
		const char		*in;
		enum email_result	 want;
		const char		*norm;		/* NULL: not checked */
		const char		*suggest;	/* for EMAIL_TYPO */
	} cases[] = {
		{ "user@example.com", EMAIL_OK, "user@example.com", NULL },
		{ "  User@Example.COM\t", EMAIL_OK, "User@example.com", NULL },
		{ "first.last+tag@mail.example.org", EMAIL_OK,
		  "first.last+tag@mail.example.org", NULL },
		{ "x@\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
		  "\xd1\x80\xd1\x84", EMAIL_OK, NULL, NULL },	/* пример.рф */
		{ "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd@example.com", EMAIL_OK,
		  NULL, NULL },					/* иван@ */
		{ "x@xn--e1afmkfd.xn--p1ai", EMAIL_OK, NULL, NULL },
		{ "", EMAIL_EMPTY, NULL, NULL },
		{ " \t ", EMAIL_EMPTY, NULL, NULL },
		{ "a b@example.com", EMAIL_SPACE, NULL, NULL },
		{ "userexample.com", EMAIL_NO_AT, NULL, NULL },
		{ "a@b@example.com", EMAIL_MANY_AT, NULL, NULL },
		{ "@example.com", EMAIL_LOCAL, NULL, NULL },
		{ ".a@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "a.@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "a..b@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "a(b)@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "\"a\"@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "\xff@example.com", EMAIL_LOCAL, NULL, NULL },
		{ "a@", EMAIL_DOMAIN, NULL, NULL },
		{ "a@-example.com", EMAIL_DOMAIN, NULL, NULL },
		{ "a@example-.com", EMAIL_DOMAIN, NULL, NULL },
		{ "a@exa_mple.com", EMAIL_DOMAIN, NULL, NULL },
		{ "a@example..com", EMAIL_DOMAIN, NULL, NULL },
		{ "a@[192.0.2.1]", EMAIL_DOMAIN, NULL, NULL },
		{ "a@example", EMAIL_TLD, NULL, NULL },
		{ "a@example.c", EMAIL_TLD, NULL, NULL },
		{ "a@example.123", EMAIL_TLD, NULL, NULL },
		{ "a@example.com.", EMAIL_TLD, NULL, NULL },
		{ "ivan@gmial.com", EMAIL_TYPO, "ivan@gmial.com",
		  "ivan@gmail.com" },
		{ "ivan@gmail.con", EMAIL_TYPO, NULL, "ivan@gmail.com" },
		{ "ivan@gmail.co", EMAIL_TYPO, NULL, "ivan@gmail.com" },
		{ "ivan@yahoo.cm", EMAIL_TYPO, NULL, "ivan@yahoo.com" },
		{ "ivan@outlook.om", EMAIL_TYPO, NULL, "ivan@outlook.com" },
		{ "ivan@protonmail.ch", EMAIL_OK, NULL, NULL },
		{ "ivan@yahoo.co.in", EMAIL_OK, NULL, NULL },
		{ "ivan@yahoo.co.nz", EMAIL_OK, NULL, NULL },
		{ "ivan@wanadoo.es", EMAIL_OK, NULL, NULL },
		{ "ivan@outlook.cz", EMAIL_OK, NULL, NULL },
		{ "ivan@yandex.ry", EMAIL_TYPO, NULL, "ivan@yandex.ru" },
		{ "ivan@mail.ry", EMAIL_TYPO, NULL, "ivan@mail.ru" },
		{ "Ivan@GMIAL.COM", EMAIL_TYPO, "Ivan@gmial.com",
		  "Ivan@gmail.com" },
		{ "ivan@gmail.com", EMAIL_OK, NULL, NULL },
		{ "ivan@yandex.by", EMAIL_OK, NULL, NULL },
		{ "ivan@mail.com", EMAIL_OK, NULL, NULL },
		{ "ivan@ya.ru", EMAIL_OK, NULL, NULL },
		{ "ivan@yahoo.co.jp", EMAIL_OK, NULL, NULL },
		{ "ivan@hotmail.ca", EMAIL_OK, NULL, NULL },
	};
	char suggest[300], what[160];
	size_t i;
	char *norm;
	enum email_result r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "email_check(\"%s\")", cases[i].in);
		norm = NULL;
		strcpy(suggest, "untouched");
		r = email_check(cases[i].in, &norm, suggest, sizeof(suggest));
		expect_int(what, r, cases[i].want);
		if (r == EMAIL_EMPTY)
			expect_true("no norm when empty", norm == NULL);
		else
			expect_true("a norm unless empty", norm != NULL);
		if (cases[i].norm != NULL && norm != NULL)
			expect_str(what, norm, cases[i].norm);
		if (cases[i].suggest != NULL && r == EMAIL_TYPO)
			expect_str(what, suggest, cases[i].suggest);
		free(norm);
	}
}

static void
test_email_lengths(void)
{
	char addr[400], *norm;
	char suggest[16];

	/* 64 octets of local part, not 65. */
	memset(addr, 'a', 64);
	strcpy(addr + 64, "@example.com");
	expect_int("a 64-octet local part", email_check(addr, &norm, NULL, 0),
	    EMAIL_OK);
	free(norm);
	memset(addr, 'a', 65);
	strcpy(addr + 65, "@example.com");
	expect_int("a 65-octet local part", email_check(addr, &norm, NULL, 0),
	    EMAIL_LOCAL);
	free(norm);
	/* A 63-octet label, not 64. */
	strcpy(addr, "a@");
	memset(addr + 2, 'b', 63);
	strcpy(addr + 65, ".com");
	expect_int("a 63-octet label", email_check(addr, &norm, NULL, 0),
	    EMAIL_OK);
	free(norm);
	strcpy(addr, "a@");
	memset(addr + 2, 'b', 64);
	strcpy(addr + 66, ".com");
	expect_int("a 64-octet label", email_check(addr, &norm, NULL, 0),
	    EMAIL_DOMAIN);
	free(norm);
	/* 255 octets in all: labels fit, the whole does not. */
	memset(addr, 'a', 64);
	addr[64] = '@';
	memset(addr + 65, 'b', 63);
	addr[128] = '.';
	memset(addr + 129, 'c', 63);
	addr[192] = '.';
	memset(addr + 193, 'd', 58);
	strcpy(addr + 251, ".com");
	expect_int("255 octets", email_check(addr, &norm, NULL, 0), EMAIL_LONG);
	free(norm);
	/* A suggestion that does not fit is left empty. */
	expect_int("a typo with a small buffer", email_check(
	    "someone.long@gmial.com", &norm, suggest, sizeof(suggest)),
	    EMAIL_TYPO);
	expect_str("its suggestion", suggest, "");
	free(norm);
}

static void
test_phone(void)
{
	static const struct {
		const char		*in, *country;
		enum phone_result	 want;
		const char		*e164;		/* for PHONE_OK */
		const char		*region;
	} cases[] = {
		{ "+7 916 123-45-67", NULL, PHONE_OK, "+79161234567", "RU" },
		{ "+7 (916) 123-45-67", "UA", PHONE_OK, "+79161234567", "RU" },
		{ "8 (916) 123-45-67", "RU", PHONE_OK, "+79161234567", "RU" },
		{ "7 916 123 45 67", "RU", PHONE_OK, "+79161234567", "RU" },
		{ "9161234567", "RU", PHONE_OK, "+79161234567", "RU" },
		{ "+7\xc2\xa0" "916\xc2\xa0" "123\xc2\xa0" "45\xc2\xa0" "67",
		  NULL, PHONE_OK, "+79161234567", "RU" },
		{ "+7.916.123.45.67", NULL, PHONE_OK, "+79161234567", "RU" },
		{ "+7 701 123 4567", NULL, PHONE_OK, "+77011234567", "KZ" },
		{ "+380 67 123 4567", NULL, PHONE_OK, "+380671234567", "UA" },
		{ "067 123 4567", "UA", PHONE_OK, "+380671234567", "UA" },
		{ "+375 29 123 45 67", NULL, PHONE_OK, "+375291234567", "BY" },
		{ "8 029 123 45 67", "BY", PHONE_OK, "+375291234567", "BY" },
		{ "+1 202 555 0123", NULL, PHONE_OK, "+12025550123", "US" },
		{ "(202) 555-0123", "US", PHONE_OK, "+12025550123", "US" },
		{ "0049 30 1234567", NULL, PHONE_OK, "+49301234567", "DE" },
		{ "030 1234567", "DE", PHONE_OK, "+49301234567", "DE" },
		{ "+44 20 7946 0958", NULL, PHONE_OK, "+442079460958", "GB" },
		{ "020 7946 0958", "GB", PHONE_OK, "+442079460958", "GB" },
		{ "+999 1234 5678", NULL, PHONE_OK, "+99912345678", NULL },
		{ "", "RU", PHONE_EMPTY, NULL, NULL },
		{ "+", NULL, PHONE_EMPTY, NULL, NULL },
		{ " - ", "RU", PHONE_EMPTY, NULL, NULL },
		{ "abc", "RU", PHONE_CHARS, NULL, NULL },
		{ "+7 916 123-45-67 ext. 5", NULL, PHONE_CHARS, NULL, NULL },
		{ "++79161234567", NULL, PHONE_CHARS, NULL, NULL },
		{ "7+9161234567", NULL, PHONE_CHARS, NULL, NULL },
		{ "+79161234567\xc2", NULL, PHONE_CHARS, NULL, NULL },
		{ "8 916 123 45 67", NULL, PHONE_NO_COUNTRY, NULL, NULL },
		{ "8 916 123 45 67", "", PHONE_NO_COUNTRY, NULL, NULL },
		{ "+7 916 123", NULL, PHONE_SHORT, NULL, "RU" },
		{ "+7 916 123 45 67 8", NULL, PHONE_LONG, NULL, "RU" },
		{ "+1 202 555", NULL, PHONE_SHORT, NULL, "US" },
		{ "+7 116 123 45 67", NULL, PHONE_PREFIX, NULL, "RU" },
		{ "+0123456789", NULL, PHONE_PREFIX, NULL, NULL },
		{ "+999 1234", NULL, PHONE_SHORT, NULL, NULL },
		{ "+999 1234 5678 9012 3", NULL, PHONE_LONG, NULL, NULL },
		{ "1234567890123456789012345678901234567890", "RU", PHONE_LONG,
		  NULL, NULL },
	};
	char out[17], what[160];
	const char *region;
	size_t i;
	int min, max;
	enum phone_result r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "phone_normalize(\"%s\", %s)",
		    cases[i].in, cases[i].country ? cases[i].country : "NULL");
		strcpy(out, "untouched");
		r = phone_normalize(cases[i].in, cases[i].country, out, &region,
		    &min, &max);
		expect_int(what, r, cases[i].want);
		if (r == PHONE_OK && cases[i].want == PHONE_OK)
			expect_str(what, out, cases[i].e164);
		if (cases[i].want == PHONE_OK || cases[i].region != NULL)
			expect_str(what, region, cases[i].region);
	}
	phone_normalize("+7 916 123", NULL, out, &region, &min, &max);
	expect_int("RU lengths, min", min, 10);
	expect_int("RU lengths, max", max, 10);
}

int
main(void)
{
	test_email();
	test_email_lengths();
	test_phone();
	return unit_summary("contact");
}
