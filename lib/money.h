/* money.h: exact amounts in minor units and the ISO 4217 currencies. */
#ifndef MONEY_H
#define MONEY_H

#include <stddef.h>
#include <stdint.h>

struct money_currency {
	char	code[4];	/* "RUB" */
	int	exponent;	/* digits of the minor unit: 2, 0 (JPY), 3 (KWD) */
};

/* Errors of money_parse(). */
#define MONEY_OK	 0
#define MONEY_ESYNTAX	-1	/* not an amount */
#define MONEY_EPREC	-2	/* more decimals than the currency has */
#define MONEY_ERANGE	-3	/* does not fit in int64_t minor units */
#define MONEY_EMARK	-4	/* money_parse_marked(): no number, or text
				 * beside it that is no currency mark */

/* The currency with the upper-case ISO 4217 code, or NULL.  The obsolete
 * "RUR" that Russian marketplaces still send is found as "RUB". */
const struct money_currency *money_currency(const char *code);

/* The same for the code code[0..len-1] with letters in any case ("rub",
 * "Rub"): the one place that upper-cases a currency code. */
const struct money_currency *money_currency_anycase(const char *code,
	    size_t len);

/* Read the decimal amount text (an optional sign; digits grouped by spaces,
 * no-break spaces, apostrophes, commas or dots; a decimal comma or point)
 * into *minor, in units of 10^-exponent, digit by digit, never through
 * floating point.  "1 299,50", "1,299.50", "1.299,50" and "1299.5" with
 * exponent 2 are all 129950.  A lone separator followed by exactly three
 * digits ("1,299") groups thousands unless the currency has three decimals.
 * Decimals beyond the exponent must be zeros ("1390.000000").  Leading and
 * trailing white space is allowed.  Returns MONEY_OK or an error above. */
int	money_parse(const char *text, int exponent, int64_t *minor);

/* Read an amount as people's exports write it, a currency's sign or code
 * beside it ("$1,234.56", "-£3.50", "1 234,56 ₽", "12.00 USD", "USD 12",
 * "€12", "12 руб."), into *minor as money_parse() reads the number, and
 * the ISO 4217 code the mark names ("USD"; "" when there is no mark) into
 * code.  The mark stands on one side of the number (a sign may stand on
 * either side of the mark); a sign that several currencies write ("$")
 * is taken as the one people mean most ("USD").  decimal is the export's
 * decimal separator, ',' or '.', whose other one then groups thousands, or
 * 0 to let money_parse() tell them apart.  Returns MONEY_OK or an error of
 * money_parse(), or MONEY_EMARK when there is no number or the text beside
 * it is no mark known: code is "" then, unless a mark stands alone ("$").
 * Negative amounts in parentheses, "(12.00)", are not read. */
int	money_parse_marked(const char *text, int exponent, char decimal,
	    int64_t *minor, char code[4]);

/* *sum = a + b, *diff = a - b, *product = a * b, *neg = -a: 0, or -1 on
 * overflow (result unset; -INT64_MIN is one). */
int	money_add(int64_t a, int64_t b, int64_t *sum);
int	money_sub(int64_t a, int64_t b, int64_t *diff);
int	money_mul(int64_t a, int64_t b, int64_t *product);
int	money_neg(int64_t a, int64_t *neg);

/* Write amount as a decimal with exponent digits after the point
 * ("-12.50") into buf of size len (40 always suffices); returns buf. */
char	*money_format(int64_t amount, int exponent, char *buf, size_t len);

/* The decimal separator, ',' or '.', of numbers in the locale the
 * environment names for them (LC_ALL, else LC_NUMERIC, else LANG, as
 * setlocale(3) chooses; none: '.').  Read from the name, as glibc's
 * LC_NUMERIC has it, not from the installed locales: the answer is the
 * same on every machine, and a cron job's is the shop's. */
char	 money_locale_decimal(void);

/* The same for a locale or language name ("ru_RU.UTF-8", "de_CH", "fr"),
 * such as a shop's [shop] lang; name is not NULL. */
char	 money_name_decimal(const char *name);

#endif
