/* country.h: ISO 3166-1 alpha-2 country codes. */
#ifndef COUNTRY_H
#define COUNTRY_H

struct country {
	char		 code[3];	/* "RU" */
	const char	*name;		/* English short name */
};

/* The country with the upper-case alpha-2 code, or NULL. */
const struct country *country_find(const char *code);

#endif
