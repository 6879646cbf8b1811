/* postal.c: postal code patterns, from the postal administrations'
 * published formats (UPU "Postal addressing systems" entries). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "postal.h"

/* In a pattern '9' is a digit, '@' a letter, '*' either, anything else
 * itself ("LT-99999"); '|' separates alternatives, the first being the form
 * written out. */
struct postal_rule {
	char		 cc[3];
	const char	*pattern;
	const char	*example;
};

static const struct postal_rule rules[] = {
	{"AM", "9999", "0010"},
	{"AR", "@9999@@@|9999", "C1425DKA"},
	{"AT", "9999", "1010"},
	{"AU", "9999", "2000"},
	{"AZ", "AZ 9999", "AZ 1000"},
	{"BE", "9999", "1000"},
	{"BG", "9999", "1000"},
	{"BR", "99999-999", "01310-100"},
	{"BY", "999999", "220030"},
	{"CA", "@9@ 9@9", "K1A 0B1"},
	{"CH", "9999", "8001"},
	{"CN", "999999", "100000"},
	{"CY", "9999", "1010"},
	{"CZ", "999 99", "110 00"},
	{"DE", "99999", "10115"},
	{"DK", "9999", "1050"},
	{"EE", "99999", "10111"},
	{"ES", "99999", "28001"},
	{"FI", "99999", "00100"},
	{"FR", "99999", "75001"},
	{"GE", "9999", "0105"},
	{"GR", "999 99", "105 57"},
	{"HR", "99999", "10000"},
	{"HU", "9999", "1011"},
	{"IE", "@99 ****|D6W ****", "D02 X285"},
	{"IL", "9999999", "6100000"},
	{"IN", "999999", "110001"},
	{"IS", "999", "101"},
	{"IT", "99999", "00100"},
	{"JP", "999-9999", "100-0001"},
	{"KG", "999999", "720000"},
	{"KR", "99999", "03187"},
	{"KZ", "999999|@99@9@9", "050000"},
	{"LI", "9999", "9490"},
	{"LT", "LT-99999", "LT-01100"},
	{"LU", "9999", "1009"},
	{"LV", "LV-9999", "LV-1050"},
	{"MD", "MD-9999", "MD-2001"},
	{"MX", "99999", "06000"},
	{"NL", "9999 @@", "1012 AB"},
	{"NO", "9999", "0150"},
	{"NZ", "9999", "6011"},
	{"PL", "99-999", "00-950"},
	{"PT", "9999-999", "1000-001"},
	{"RO", "999999", "010011"},
	{"RS", "99999", "11000"},
	{"RU", "999999", "101000"},
	{"SE", "999 99", "111 22"},
	{"SG", "999999", "018956"},
	{"SI", "9999", "1000"},
	{"SK", "999 99", "811 01"},
	{"TJ", "999999", "734000"},
	{"TM", "999999", "744000"},
	{"TR", "99999", "06100"},
	{"UA", "99999", "01001"},
	{"US", "99999|99999-9999", "20500"},
	{"UZ", "999999", "100000"},
	{"ZA", "9999", "0001"},
};

/* Countries that have no postal codes (addresses there carry none). */
static const char no_codes[] =
    "AE AG AO AW BF BI BJ BO BQ BS BW BZ CD CF CG CI CK CM CW DJ DM ER FJ "
    "GA GD GH GM GQ GY HK HM JM KI KM KN KP LY ML MO MR MW NR NU QA RW SB "
    "SC SL SR ST SX SY TD TF TG TK TL TO TV UG VU YE ZW";

int
postal_none(const char *country)
{
	const char *p;

	if (strlen(country) != 2)
		return 0;
	for (p = no_codes; (p = strstr(p, country)) != NULL; p++)
		if ((p - no_codes) % 3 == 0)
			return 1;
	return 0;
}

static const struct postal_rule *
find_rule(const char *country)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].cc, country) == 0)
			return &rules[i];
	return NULL;
}

static int
fits(char p, char c)
{
	switch (p) {
	case '9': return isdigit((unsigned char)c);
	case '@': return isupper((unsigned char)c);
	case '*': return isdigit((unsigned char)c) || isupper((unsigned char)c);
	default:  return p == c;
	}
}

static int
is_sep(char c)
{
	return c == ' ' || c == '-';
}

/* Match the compacted code (no spaces or hyphens) against one alternative
 * pat[0..plen-1], the literal letters of the pattern included; on success
 * write the pattern's form into out. */
static int
match_alt(const char *pat, size_t plen, const char *code, char *out,
    size_t outlen)
{
	size_t i, j = 0, o = 0;

	if (plen + 1 > outlen)
		return 0;
	for (i = 0; i < plen; i++) {
		if (is_sep(pat[i])) {
			out[o++] = pat[i];
			continue;
		}
		if (code[j] == '\0' || !fits(pat[i], code[j]))
			return 0;
		out[o++] = code[j++];
	}
	if (code[j] != '\0')
		return 0;
	out[o] = '\0';
	return 1;
}

/* GB and the Crown dependencies: outward code (A9, A99, AA9, AA99, A9A,
 * AA9A), a space, inward code (9AA).  Royal Mail never uses Q, V or X
 * first, I, J or Z second, nor C, I, K, M, O or V in the inward code. */
static int
check_gb(const char *code, char *out, size_t outlen)
{
	static const char *outward[] = {
		"@9", "@99", "@@9", "@@99", "@9@", "@@9@"
	};
	size_t n = strlen(code), i, k;

	if (strcmp(code, "GIR0AA") == 0) {
		strncpy(out, "GIR 0AA", outlen);
		return outlen > 7;
	}
	if (n < 5 || n > 7 || n + 2 > outlen || !isdigit((unsigned char)code[n - 3]) ||
	    !isupper((unsigned char)code[n - 2]) || !isupper((unsigned char)code[n - 1]))
		return 0;
	if (strchr("QVX", code[0]) != NULL ||
	    (isupper((unsigned char)code[1]) && strchr("IJZ", code[1]) != NULL) ||
	    strchr("CIKMOV", code[n - 2]) != NULL ||
	    strchr("CIKMOV", code[n - 1]) != NULL)
		return 0;
	for (i = 0; i < sizeof(outward) / sizeof(outward[0]); i++) {
		if (strlen(outward[i]) != n - 3)
			continue;
		for (k = 0; k < n - 3 && fits(outward[i][k], code[k]); k++)
			;
		if (k == n - 3) {
			memcpy(out, code, n - 3);
			out[n - 3] = ' ';
			memcpy(out + n - 2, code + n - 3, 4);
			return 1;
		}
	}
	return 0;
}

int
postal_check(const char *country, const char *code, char *out, size_t outlen,
    const char **example)
{
	const struct postal_rule *rule;
	const char *alt, *bar;
	char compact[32];
	size_t n = 0;

	*example = NULL;
	if (postal_none(country))
		return POSTAL_NONE;
	if ((rule = find_rule(country)) != NULL)
		*example = rule->example;
	else if (strcmp(country, "GB") == 0 || strcmp(country, "GG") == 0 ||
	    strcmp(country, "JE") == 0 || strcmp(country, "IM") == 0)
		*example = "SW1A 1AA";
	/* Upper-case, drop spaces and hyphens: "sw1a 1aa" is "SW1A1AA". */
	for (; *code != '\0'; code++) {
		if (is_sep(*code) || *code == '\t')
			continue;
		if (n + 1 >= sizeof(compact) ||
		    !isalnum((unsigned char)*code))
			return POSTAL_BAD;
		compact[n++] = toupper((unsigned char)*code);
	}
	compact[n] = '\0';
	if (strcmp(country, "GB") == 0 || strcmp(country, "GG") == 0 ||
	    strcmp(country, "JE") == 0 || strcmp(country, "IM") == 0)
		return check_gb(compact, out, outlen) ? POSTAL_OK : POSTAL_BAD;
	if (rule == NULL) {
		if (n < 2 || n > 10 || n + 1 > outlen)
			return POSTAL_BAD;
		memcpy(out, compact, n + 1);
		return POSTAL_OK;
	}
	/* Canada Post leaves out D, F, I, O, Q and U, and W and Z first. */
	if (strcmp(country, "CA") == 0 && (strpbrk(compact, "DFIOQU") != NULL ||
	    compact[0] == 'W' || compact[0] == 'Z'))
		return POSTAL_BAD;
	for (alt = rule->pattern; ; alt = bar + 1) {
		bar = strchr(alt, '|');
		if (match_alt(alt, bar ? (size_t)(bar - alt) : strlen(alt),
		    compact, out, outlen))
			return POSTAL_OK;
		if (bar == NULL)
			break;
	}
	/* "01100" for "LT-01100": the country prefix may be left off. */
	if (strncmp(rule->pattern, country, 2) == 0 && strlen(rule->pattern) > 3 &&
	    n + 3 < sizeof(compact)) {
		char prefixed[32];

		memcpy(prefixed, country, 2);
		memcpy(prefixed + 2, compact, n + 1);
		if (match_alt(rule->pattern, strlen(rule->pattern), prefixed,
		    out, outlen))
			return POSTAL_OK;
	}
	return POSTAL_BAD;
}
