/* countryname.h: country names in English, German, Russian and Ukrainian,
 * and ISO codes, to ISO 3166-1 alpha-2. */
#ifndef COUNTRYNAME_H
#define COUNTRYNAME_H

/* The alpha-2 code (static storage) of the country called name: an alpha-2
 * or common alpha-3 code in any case ("de", "DEU"), the English short name
 * of lib/country.h or a common variant ("United States", "USA", "UK"), or
 * a German, Russian or Ukrainian name ("Deutschland", "Россия",
 * "Україна").  Case and surrounding white space do not matter.  NULL when
 * the name is unknown. */
const char	*countryname_code(const char *name);

#endif
