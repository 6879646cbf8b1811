/* contact.h: e-mail addresses and telephone numbers. */
#ifndef CONTACT_H
#define CONTACT_H

#include <stddef.h>

/* Results of email_check(). */
enum email_result {
	EMAIL_OK,
	EMAIL_EMPTY,		/* nothing but white space */
	EMAIL_SPACE,		/* white space inside */
	EMAIL_NO_AT,		/* no '@' */
	EMAIL_MANY_AT,		/* more than one '@' */
	EMAIL_LOCAL,		/* the part before '@' is empty or has a bad
				 * character, dot placement or length */
	EMAIL_DOMAIN,		/* a bad domain label or length */
	EMAIL_TLD,		/* no dot in the domain, or a bad last label */
	EMAIL_LONG,		/* over 254 octets */
	EMAIL_TYPO,		/* well-formed, but a known misspelling of a
				 * common mail domain */
};

/* Check the address in (RFC 5321 dot-atom local part and host name domain,
 * UTF-8 allowed for internationalised addresses; quoted local parts and
 * address literals are not accepted).  Unless the result is EMAIL_EMPTY,
 * *norm is set to a new string, which the caller frees: trimmed, domain
 * lower-cased.  For EMAIL_TYPO, suggest (of size len) gets the address
 * with the domain it was probably meant to be. */
enum email_result email_check(const char *in, char **norm, char *suggest,
	    size_t len);

/* Results of phone_normalize(). */
enum phone_result {
	PHONE_OK,
	PHONE_EMPTY,		/* no digits at all */
	PHONE_CHARS,		/* letters or other characters */
	PHONE_NO_COUNTRY,	/* a national number and no country to read
				 * it in */
	PHONE_SHORT,		/* too few digits for the country */
	PHONE_LONG,		/* too many digits for the country */
	PHONE_PREFIX,		/* a number no phone of the country starts
				 * with */
};

/* Write the E.164 form ("+79161234567") of the number in into out (of
 * size at least 17).  A number without "+" or "00" is read as a national
 * number of country (ISO 3166 alpha-2, may be NULL), trunk prefix and all
 * ("8 (916) 123-45-67" in RU).  Spaces, dots, hyphens, slashes and
 * parentheses are ignored, and so is a "(0)" after the calling code.
 * *region is set to the country the number was checked against ("RU"), or
 * NULL; *nsn_min and *nsn_max to the national number lengths of that
 * country, for messages. */
enum phone_result phone_normalize(const char *in, const char *country,
	    char *out, const char **region, int *nsn_min, int *nsn_max);

#endif
