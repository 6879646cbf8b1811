/* postal.h: postal codes by country. */
#ifndef POSTAL_H
#define POSTAL_H

#include <stddef.h>

#define POSTAL_OK	0	/* fits; normalised form in out */
#define POSTAL_BAD	1	/* does not fit the country's pattern */
#define POSTAL_NONE	2	/* the country has no postal codes */

/* Check code against the postal code format of country (upper-case ISO
 * 3166 alpha-2).  The code is upper-cased, trimmed and written in the
 * country's usual form into out ("00950" in PL is "00-950", "sw1a1aa" in GB
 * "SW1A 1AA").  *example is set to a valid code of the country, for
 * messages, or NULL.  Countries without a known format take any 2 to 10
 * letters, digits, spaces and hyphens. */
int	 postal_check(const char *country, const char *code, char *out,
	    size_t outlen, const char **example);

/* 1 when the country has no postal codes, so none is asked for. */
int	 postal_none(const char *country);

#endif
