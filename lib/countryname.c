/* countryname.c: names of countries to their ISO 3166-1 alpha-2 codes. */
#include <stddef.h>
#include <string.h>

#include "country.h"
#include "countryname.h"
#include "utf8.h"

/* Names that are not the English short names of lib/country.c: variants,
 * alpha-3 codes, and the German, Russian and Ukrainian names of the
 * countries a shop in Europe or the CIS ships to most. */
static const struct {
	const char	*name;
	const char	*code;
} names[] = {
	/* English variants and alpha-3 codes */
	{ "USA", "US" }, { "U.S.A.", "US" }, { "U.S.", "US" },
	{ "United States of America", "US" },
	{ "United States", "US" }, { "America", "US" },
	{ "UK", "GB" }, { "U.K.", "GB" }, { "Great Britain", "GB" },
	{ "Britain", "GB" }, { "England", "GB" }, { "Scotland", "GB" },
	{ "Wales", "GB" }, { "Northern Ireland", "GB" }, { "GBR", "GB" },
	{ "United Kingdom", "GB" },
	{ "Russia", "RU" }, { "Russian Federation", "RU" }, { "RUS", "RU" },
	{ "DEU", "DE" }, { "FRA", "FR" }, { "ITA", "IT" }, { "ESP", "ES" },
	{ "CAN", "CA" }, { "AUS", "AU" }, { "JPN", "JP" }, { "CHN", "CN" },
	{ "UKR", "UA" }, { "BLR", "BY" }, { "KAZ", "KZ" }, { "POL", "PL" },
	{ "NLD", "NL" }, { "AUT", "AT" }, { "CHE", "CH" }, { "SWE", "SE" },
	{ "BRA", "BR" }, { "IND", "IN" }, { "MEX", "MX" }, { "IRL", "IE" },
	{ "South Korea", "KR" }, { "Korea", "KR" }, { "North Korea", "KP" },
	{ "Vietnam", "VN" }, { "Viet Nam", "VN" }, { "Czech Republic", "CZ" },
	{ "Czechia", "CZ" }, { "Moldova", "MD" }, { "Iran", "IR" },
	{ "Syria", "SY" }, { "Laos", "LA" }, { "Taiwan", "TW" },
	{ "Bolivia", "BO" }, { "Venezuela", "VE" }, { "Tanzania", "TZ" },
	{ "Ivory Coast", "CI" }, { "Côte d'Ivoire", "CI" },
	{ "Macedonia", "MK" }, { "North Macedonia", "MK" },
	{ "Holland", "NL" }, { "The Netherlands", "NL" },
	{ "Turkey", "TR" }, { "Türkiye", "TR" }, { "Brunei", "BN" },
	{ "Hong Kong", "HK" }, { "Macau", "MO" }, { "Macao", "MO" },
	{ "Palestine", "PS" }, { "Vatican", "VA" }, { "Kosovo", "XK" },
	{ "UAE", "AE" }, { "Cape Verde", "CV" }, { "Swaziland", "SZ" },
	{ "Burma", "MM" }, { "Congo, DR", "CD" }, { "DR Congo", "CD" },
	{ "Micronesia", "FM" }, { "Puerto Rico", "PR" },
	/* German */
	{ "Deutschland", "DE" }, { "Österreich", "AT" }, { "Schweiz", "CH" },
	{ "Frankreich", "FR" }, { "Italien", "IT" }, { "Spanien", "ES" },
	{ "Niederlande", "NL" }, { "Belgien", "BE" }, { "Luxemburg", "LU" },
	{ "Dänemark", "DK" }, { "Schweden", "SE" }, { "Norwegen", "NO" },
	{ "Finnland", "FI" }, { "Polen", "PL" }, { "Tschechien", "CZ" },
	{ "Tschechische Republik", "CZ" }, { "Slowakei", "SK" },
	{ "Ungarn", "HU" }, { "Rumänien", "RO" }, { "Bulgarien", "BG" },
	{ "Griechenland", "GR" }, { "Kroatien", "HR" }, { "Slowenien", "SI" },
	{ "Irland", "IE" }, { "Vereinigtes Königreich", "GB" },
	{ "Großbritannien", "GB" }, { "Grossbritannien", "GB" },
	{ "Vereinigte Staaten", "US" }, { "Vereinigte Staaten von Amerika", "US" },
	{ "Kanada", "CA" }, { "Australien", "AU" }, { "Russland", "RU" },
	{ "Russische Föderation", "RU" }, { "Weißrussland", "BY" },
	{ "Belarus", "BY" }, { "Litauen", "LT" }, { "Lettland", "LV" },
	{ "Estland", "EE" }, { "Türkei", "TR" }, { "Japan", "JP" },
	{ "Kasachstan", "KZ" }, { "Portugal", "PT" }, { "Zypern", "CY" },
	{ "Malta", "MT" }, { "Island", "IS" }, { "Liechtenstein", "LI" },
	{ "Serbien", "RS" }, { "Mexiko", "MX" }, { "Brasilien", "BR" },
	/* Russian */
	{ "Россия", "RU" }, { "Российская Федерация", "RU" }, { "РФ", "RU" },
	{ "Украина", "UA" }, { "Беларусь", "BY" }, { "Белоруссия", "BY" },
	{ "Республика Беларусь", "BY" }, { "Казахстан", "KZ" },
	{ "Республика Казахстан", "KZ" }, { "Киргизия", "KG" },
	{ "Кыргызстан", "KG" }, { "Узбекистан", "UZ" }, { "Таджикистан", "TJ" },
	{ "Туркменистан", "TM" }, { "Армения", "AM" }, { "Азербайджан", "AZ" },
	{ "Грузия", "GE" }, { "Молдова", "MD" }, { "Молдавия", "MD" },
	{ "Латвия", "LV" }, { "Литва", "LT" }, { "Эстония", "EE" },
	{ "Германия", "DE" }, { "Франция", "FR" }, { "Италия", "IT" },
	{ "Испания", "ES" }, { "Польша", "PL" }, { "Чехия", "CZ" },
	{ "Финляндия", "FI" }, { "Израиль", "IL" }, { "Турция", "TR" },
	{ "Китай", "CN" }, { "Монголия", "MN" }, { "США", "US" },
	{ "Соединённые Штаты", "US" }, { "Соединенные Штаты", "US" },
	{ "Великобритания", "GB" }, { "Соединённое Королевство", "GB" },
	{ "Австрия", "AT" }, { "Швейцария", "CH" }, { "Нидерланды", "NL" },
	{ "Бельгия", "BE" }, { "Швеция", "SE" }, { "Норвегия", "NO" },
	{ "Дания", "DK" }, { "Сербия", "RS" }, { "Болгария", "BG" },
	{ "Румыния", "RO" }, { "Венгрия", "HU" }, { "Греция", "GR" },
	{ "Кипр", "CY" }, { "ОАЭ", "AE" }, { "Япония", "JP" },
	{ "Канада", "CA" }, { "Абхазия", "GE" },
	/* Ukrainian */
	{ "Україна", "UA" }, { "Росія", "RU" }, { "Російська Федерація", "RU" },
	{ "Білорусь", "BY" }, { "Польща", "PL" }, { "Німеччина", "DE" },
	{ "Франція", "FR" }, { "Італія", "IT" }, { "Іспанія", "ES" },
	{ "Чехія", "CZ" }, { "Словаччина", "SK" }, { "Угорщина", "HU" },
	{ "Румунія", "RO" }, { "Молдова", "MD" }, { "Литва", "LT" },
	{ "Латвія", "LV" }, { "Естонія", "EE" }, { "Велика Британія", "GB" },
	{ "Сполучене Королівство", "GB" }, { "США", "US" },
	{ "Сполучені Штати", "US" }, { "Сполучені Штати Америки", "US" },
	{ "Канада", "CA" }, { "Казахстан", "KZ" }, { "Грузія", "GE" },
	{ "Туреччина", "TR" }, { "Австрія", "AT" }, { "Швейцарія", "CH" },
	{ "Нідерланди", "NL" }, { "Бельгія", "BE" }, { "Швеція", "SE" },
	{ "Норвегія", "NO" }, { "Данія", "DK" }, { "Фінляндія", "FI" },
	{ "Ізраїль", "IL" }, { "Китай", "CN" }, { "Японія", "JP" },
	{ "Болгарія", "BG" }, { "Греція", "GR" }, { "Португалія", "PT" },
	{ "Ірландія", "IE" }, { "Вірменія", "AM" }, { "Азербайджан", "AZ" },
};

const char *
countryname_code(const char *name)
{
	static char code[3];
	const struct country *c;
	const char *p = name;
	size_t i, len;
	char cc[3];
	int a, b;

	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len == 2) {
		cc[0] = p[0] >= 'a' && p[0] <= 'z' ? p[0] - 32 : p[0];
		cc[1] = p[1] >= 'a' && p[1] <= 'z' ? p[1] - 32 : p[1];
		cc[2] = '\0';
		if ((c = country_find(cc)) != NULL) {
			memcpy(code, c->code, 3);
			return code;
		}
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (utf8_casecmp(name, names[i].name) == 0)
			return names[i].code;
	/* The English short names: lib/country.h finds by code only. */
	for (a = 'A'; a <= 'Z'; a++)
		for (b = 'A'; b <= 'Z'; b++) {
			cc[0] = a;
			cc[1] = b;
			cc[2] = '\0';
			if ((c = country_find(cc)) != NULL &&
			    utf8_casecmp(name, c->name) == 0) {
				memcpy(code, c->code, 3);
				return code;
			}
		}
	return NULL;
}
