/* contact_fuzz.c: e-mail addresses and telephone numbers.
 *
 * Input: one option byte, then the text.  Byte & 1: a telephone number
 * for phone_normalize(), read in the country that bits 1-4 choose (none
 * among them); its E.164 form is '+' and at most 15 digits and reads back
 * as itself.  Otherwise an address for email_check(): its normal form
 * checks the same and is its own normal form, and a suggestion for a
 * typo is no typo itself. */
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "fuzz.h"

static const char *const countries[16] = {
	NULL, "RU", "UA", "DE", "US", "GB", "FR", "KZ", "BY", "IT", "AT",
	"CN", "JP", "FI", "XX", "",
};

static void
check_phone(const char *in, const char *country)
{
	char out[17 + 8], again[17 + 8];
	const char *region, *region2;
	int min, max, min2, max2;
	size_t n, i;
	enum phone_result r;

	memset(out, 'x', sizeof(out));
	r = phone_normalize(in, country, out, &region, &min, &max);
	fuzz_check(r >= PHONE_OK && r <= PHONE_PREFIX,
	    "phone_normalize: an unknown result");
	if (r != PHONE_OK)
		return;
	n = strnlen(out, sizeof(out));
	fuzz_check(n < 17, "phone_normalize: more than 17 bytes written");
	fuzz_check(out[0] == '+' && n >= 2 && n <= 16,
	    "phone_normalize: not '+' and 1 to 15 digits");
	for (i = 1; i < n; i++)
		fuzz_check(out[i] >= '0' && out[i] <= '9',
		    "phone_normalize: not digits after '+'");
	fuzz_check(phone_normalize(out, country, again, &region2, &min2,
	    &max2) == PHONE_OK && strcmp(out, again) == 0,
	    "phone_normalize: its E.164 form does not read back as itself");
}

static void
check_email(const char *in)
{
	char suggest[300], suggest2[300];
	char *norm = NULL, *norm2 = NULL, *norm3 = NULL;
	enum email_result r, r2;

	suggest[0] = '\0';
	r = email_check(in, &norm, suggest, sizeof(suggest));
	fuzz_check(r >= EMAIL_OK && r <= EMAIL_TYPO,
	    "email_check: an unknown result");
	if (r == EMAIL_EMPTY)
		return;
	fuzz_check(norm != NULL, "email_check: no normal form");
	if (r == EMAIL_OK || r == EMAIL_TYPO) {
		r2 = email_check(norm, &norm2, suggest2, sizeof(suggest2));
		fuzz_check(r2 == r && strcmp(norm, norm2) == 0,
		    "email_check: its normal form checks otherwise");
		free(norm2);
	}
	if (r == EMAIL_TYPO && suggest[0] != '\0') {
		fuzz_check(memchr(suggest, '\0', sizeof(suggest)) != NULL,
		    "email_check: a suggestion without its end");
		fuzz_check(email_check(suggest, &norm3, NULL, 0) != EMAIL_TYPO,
		    "email_check: suggests another typo");
		free(norm3);
	}
	free(norm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = fuzz_strndup(data + 1, size - 1);
	if (data[0] & 1)
		check_phone(s, countries[(data[0] >> 1) & 15]);
	else
		check_email(s);
	free(s);
	return 0;
}
