/* country.h: ISO 3166-1 alpha-2 country codes. */
#ifndef COUNTRY_H
#define COUNTRY_H

struct country {
	char		 code[3];	/* "RU" */
	const char	*name;		/* English short name */
};

/* The country with the upper-case alpha-2 code, or NULL. */
const struct country *country_find(const char *code);

/* The country whose own currency code is the upper-case ISO 4217 code
 * (RUB: RU, UAH: UA), or NULL for a currency several countries use as
 * their own (EUR, USD, XOF) or that this table lacks. */
const char *country_of_currency(const char *code);

#endif
