/* order-validate: check orders as a careful operator would, and pass the
 * good ones on with "status": "validated" and normalised fields. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "catalog.h"
#include "cli.h"
#include "contact.h"
#include "country.h"
#include "jsonl.h"
#include "money.h"
#include "msg.h"
#include "postal.h"
#include "reject.h"
#include "rfc3339.h"
#include "strmap.h"
#include "utf8.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-validate [--catalog FILE] [--country CC] [--ignore-price]\n"
    "                      [--lang en|ru|uk] [--max-qty N] [--rejects FILE]\n"
    "                      [--stats] [--strict] [FILE ...]\n";

#define OPT_CATALOG	'c'
#define OPT_COUNTRY	'C'
#define OPT_IGNORE	'i'
#define OPT_LANG	'l'
#define OPT_MAXQTY	'q'

static const struct option longopts[] = {
	{ "catalog",	  required_argument, NULL, OPT_CATALOG },
	{ "country",	  required_argument, NULL, OPT_COUNTRY },
	CLI_OPT_HELP,
	{ "ignore-price", no_argument,	     NULL, OPT_IGNORE },
	{ "lang",	  required_argument, NULL, OPT_LANG },
	{ "max-qty",	  required_argument, NULL, OPT_MAXQTY },
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* Every message a customer or operator may read, in the three languages.
 * The arguments are the same, in the same order, in each. */
static const struct msg messages[] = {
	{ "missing", { "%s is missing",
	    "не указано %s",
	    "не вказано %s" } },
	{ "not_string", { "%s must be a text string",
	    "%s должно быть строкой",
	    "%s має бути рядком" } },
	{ "not_object", { "%s must be an object",
	    "%s должно быть объектом",
	    "%s має бути об'єктом" } },
	{ "not_array", { "%s must be an array",
	    "%s должно быть массивом",
	    "%s має бути масивом" } },
	{ "not_object_item", { "%s must be an object with sku, qty and unit_price",
	    "%s должна быть объектом с sku, qty и unit_price",
	    "%s має бути об'єктом з sku, qty і unit_price" } },
	{ "no_items", { "the order has no items",
	    "в заказе нет ни одного товара",
	    "у замовленні немає жодного товару" } },
	{ "no_contact", { "no e-mail or phone to reach the customer",
	    "нет ни e-mail, ни телефона покупателя",
	    "немає ні e-mail, ні телефону покупця" } },
	{ "email_space", { "e-mail '%s' contains a space",
	    "в e-mail '%s' есть пробел",
	    "e-mail '%s' містить пробіл" } },
	{ "email_no_at", { "e-mail '%s' has no @",
	    "в e-mail '%s' нет знака @",
	    "e-mail '%s' не містить знака @" } },
	{ "email_many_at", { "e-mail '%s' has more than one @",
	    "в e-mail '%s' больше одного знака @",
	    "e-mail '%s' містить більше одного знака @" } },
	{ "email_local", { "e-mail '%s' has a bad name before the @",
	    "в e-mail '%s' недопустимое имя до знака @",
	    "e-mail '%s' має недопустиме ім'я перед знаком @" } },
	{ "email_domain", { "e-mail '%s' has a bad domain after the @",
	    "в e-mail '%s' недопустимый домен после знака @",
	    "e-mail '%s' має недопустимий домен після знака @" } },
	{ "email_tld", { "e-mail '%s' lacks a top-level domain such as .com or .ru",
	    "в e-mail '%s' нет домена верхнего уровня, например .com или .ru",
	    "e-mail '%s' не має домену верхнього рівня, як-от .com або .ua" } },
	{ "email_long", { "e-mail '%s' is longer than 254 characters",
	    "e-mail '%s' длиннее 254 символов",
	    "e-mail '%s' довший за 254 символи" } },
	{ "email_typo", { "e-mail '%s' looks mistyped: did you mean %s?",
	    "в e-mail '%s', похоже, опечатка: может быть, %s?",
	    "e-mail '%s', схоже, з помилкою: можливо, %s?" } },
	{ "phone_chars", { "phone '%s' may hold only digits, spaces, ( ) - and a leading +",
	    "в телефоне '%s' допустимы только цифры, пробелы, ( ) - и + в начале",
	    "у телефоні '%s' допустимі лише цифри, пробіли, ( ) - і + на початку" } },
	{ "phone_empty", { "phone '%s' has no digits",
	    "в телефоне '%s' нет цифр",
	    "у телефоні '%s' немає цифр" } },
	{ "phone_country", { "phone '%s' has no country code; write it as +CC...",
	    "у телефона '%s' нет кода страны; укажите его в виде +7...",
	    "у телефона '%s' немає коду країни; вкажіть його у вигляді +380..." } },
	{ "phone_short", { "phone '%s' is too short for %s (%s digits after the country code)",
	    "телефон '%s' слишком короткий для %s (%s цифр после кода страны)",
	    "телефон '%s' закороткий для %s (%s цифр після коду країни)" } },
	{ "phone_long", { "phone '%s' is too long for %s (%s digits after the country code)",
	    "телефон '%s' слишком длинный для %s (%s цифр после кода страны)",
	    "телефон '%s' задовгий для %s (%s цифр після коду країни)" } },
	{ "phone_prefix", { "phone '%s' cannot be a number in %s",
	    "телефон '%s' не может быть номером в %s",
	    "телефон '%s' не може бути номером у %s" } },
	{ "bad_country", { "'%s' is not an ISO 3166-1 country code such as RU or DE",
	    "'%s' — не код страны ISO 3166-1, например RU или DE",
	    "'%s' — не код країни ISO 3166-1, як-от UA або DE" } },
	{ "bad_postal_code", { "'%s' is not a postal code of %s (such as %s)",
	    "'%s' — не почтовый индекс страны %s (пример: %s)",
	    "'%s' — не поштовий індекс країни %s (приклад: %s)" } },
	{ "bad_currency", { "'%s' is not an ISO 4217 currency code such as RUB or EUR",
	    "'%s' — не код валюты ISO 4217, например RUB или EUR",
	    "'%s' — не код валюти ISO 4217, як-от UAH або EUR" } },
	{ "bad_shipping_method", { "'%s' is not a shipping method: courier, post or pickup",
	    "'%s' — неизвестный способ доставки: courier, post или pickup",
	    "'%s' — невідомий спосіб доставки: courier, post або pickup" } },
	{ "bad_payment_method", { "'%s' is not a payment method: card, wallet, bank, cod or installment",
	    "'%s' — неизвестный способ оплаты: card, wallet, bank, cod или installment",
	    "'%s' — невідомий спосіб оплати: card, wallet, bank, cod або installment" } },
	{ "bad_qty", { "quantity %s is not a whole number of 1 or more",
	    "количество %s — не целое число от 1",
	    "кількість %s — не ціле число від 1" } },
	{ "qty_too_large", { "quantity %s is over the limit of %lld",
	    "количество %s больше предела %lld",
	    "кількість %s перевищує межу %lld" } },
	{ "bad_amount", { "%s %s is not a whole number of minor units (kopecks, cents)",
	    "%s %s — не целое число в копейках (центах)",
	    "%s %s — не ціле число в копійках (центах)" } },
	{ "negative_amount", { "%s %s is negative",
	    "%s %s отрицательное",
	    "%s %s від'ємне" } },
	{ "unknown_sku", { "there is no product with SKU '%s'",
	    "товара с артикулом '%s' нет в каталоге",
	    "товару з артикулом '%s' немає в каталозі" } },
	{ "inactive_sku", { "%s (SKU '%s') is no longer sold",
	    "%s (артикул '%s') больше не продаётся",
	    "%s (артикул '%s') більше не продається" } },
	{ "variant_no_option", { "%s has no option %s",
	    "у товара %s нет параметра %s",
	    "товар %s не має параметра %s" } },
	{ "variant_none_first", { "no %s %s; %s comes in %s",
	    "нет варианта %s %s; %s бывает: %s",
	    "немає варіанта %s %s; %s буває: %s" } },
	{ "variant_none", { "no %s %s in %s; %s comes in %s",
	    "нет варианта %s %s в %s; %s бывает: %s",
	    "немає варіанта %s %s у %s; %s буває: %s" } },
	{ "variant_other_sku", { "SKU '%s' is %s, not %s; that is SKU '%s'",
	    "артикул '%s' — это %s, а не %s; нужный артикул '%s'",
	    "артикул '%s' — це %s, а не %s; потрібний артикул '%s'" } },
	{ "variant_other_skus", { "SKU '%s' is %s, not %s; that would be one of %s",
	    "артикул '%s' — это %s, а не %s; подходят артикулы: %s",
	    "артикул '%s' — це %s, а не %s; підходять артикули: %s" } },
	{ "price_mismatch", { "price %s %s differs from the catalog price %s %s",
	    "цена %s %s не совпадает с ценой каталога %s %s",
	    "ціна %s %s не збігається з ціною каталогу %s %s" } },
	{ "no_catalog_price", { "the catalog has no price in %s for SKU '%s'",
	    "в каталоге нет цены в %s для артикула '%s'",
	    "у каталозі немає ціни в %s для артикула '%s'" } },
	{ "currency_mismatch", { "%s is in %s, but the order is in %s",
	    "%s указано в %s, а заказ — в %s",
	    "%s вказано в %s, а замовлення — в %s" } },
	{ "subtotal_mismatch", { "subtotal %s is not the sum of the items, %s",
	    "сумма товаров %s не равна их итогу %s",
	    "сума товарів %s не дорівнює їх підсумку %s" } },
	{ "total_mismatch", { "total %s is not subtotal + shipping - discount + tax = %s",
	    "итог %s не равен сумме товаров + доставка - скидка + налог = %s",
	    "підсумок %s не дорівнює сумі товарів + доставка - знижка + податок = %s" } },
	{ "amount_overflow", { "the amounts are too large to add up",
	    "суммы слишком велики для сложения",
	    "суми завеликі для додавання" } },
	{ "duplicate_id", { "order %s was already accepted in this run (input line %lu)",
	    "заказ %s уже принят в этом запуске (строка %lu)",
	    "замовлення %s вже прийняте в цьому запуску (рядок %lu)" } },
	{ "bad_time", { "%s '%s' is not an RFC 3339 time with an offset, such as 2026-11-20T10:15:00+03:00",
	    "%s '%s' — не время RFC 3339 со смещением, например 2026-11-20T10:15:00+03:00",
	    "%s '%s' — не час RFC 3339 зі зміщенням, як-от 2026-11-20T10:15:00+02:00" } },
};

struct change {
	json_t		*object;	/* borrowed: a part of the record */
	const char	*key;
	json_t		*value;		/* new: set when the order passes */
};

struct validator {
	struct catalog	 catalog;
	int		 have_catalog;
	const char	*country;	/* --country, upper-case */
	enum msg_lang	 lang;
	long long	 max_qty;
	int		 ignore_price;
	struct strmap	 ids;		/* ids accepted so far */
	json_t		*errors;	/* the current order's problems */
	struct change	*changes;	/* normalisations, applied if valid */
	size_t		 nchanges, capchanges;
};

static void
problem(struct validator *v, const char *code, const char *field,
    const char *key, ...)
{
	const char *fmt;
	char msg[1024];
	va_list ap;

	fmt = msg_format(messages, sizeof(messages) / sizeof(messages[0]), key,
	    v->lang);
	va_start(ap, key);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reject_add(v->errors, code, field, msg);
}

/* Remember to set object.key to value (a new reference) if the order is
 * valid. */
static void
change(struct validator *v, json_t *object, const char *key, json_t *value)
{
	if (value == NULL)
		xnomem();
	if (v->nchanges == v->capchanges) {
		v->capchanges = v->capchanges ? v->capchanges * 2 : 8;
		v->changes = xrealloc(v->changes,
		    v->capchanges * sizeof(*v->changes));
	}
	v->changes[v->nchanges].object = object;
	v->changes[v->nchanges].key = key;
	v->changes[v->nchanges++].value = value;
}

static void
apply_changes(struct validator *v, int apply)
{
	size_t i;

	for (i = 0; i < v->nchanges; i++) {
		if (apply) {
			if (json_object_set_new(v->changes[i].object,
			    v->changes[i].key, v->changes[i].value) == -1)
				xnomem();
		} else
			json_decref(v->changes[i].value);
	}
	v->nchanges = 0;
}

/* A short JSON text of value for messages. */
static const char *
show(const json_t *value, char *buf, size_t len)
{
	char *text = NULL;
	size_t cap = 0, n = 0;

	jsonl_encode(&text, &cap, &n, value);
	if (n >= len) {
		n = len - 4;
		memcpy(text + n, "...", 3);
		n += 3;
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	free(text);
	return buf;
}

/* The string at object.key: NULL and a problem when it is required and
 * missing, null or empty, or when it is there but no string. */
static const char *
get_string(struct validator *v, const json_t *object, const char *key,
    const char *path, int required)
{
	const json_t *value = json_object_get(object, key);
	const char *s;

	if (value == NULL || json_is_null(value)) {
		if (required)
			problem(v, "missing_field", path, "missing", path);
		return NULL;
	}
	if (!json_is_string(value)) {
		problem(v, "bad_type", path, "not_string", path);
		return NULL;
	}
	s = json_string_value(value);
	if (s[strspn(s, " \t")] == '\0') {
		if (required)
			problem(v, "missing_field", path, "missing", path);
		return NULL;
	}
	return s;
}

/* The object at parent.key, NULL (and a problem when required) if absent. */
static json_t *
get_object(struct validator *v, json_t *parent, const char *key,
    const char *path, int required)
{
	json_t *value = json_object_get(parent, key);

	if (value == NULL || json_is_null(value)) {
		if (required)
			problem(v, "missing_field", path, "missing", path);
		return NULL;
	}
	if (!json_is_object(value)) {
		problem(v, "bad_type", path, "not_object", path);
		return NULL;
	}
	return value;
}

static void
check_id(struct validator *v, json_t *order)
{
	json_t *id = json_object_get(order, "id");
	char buf[32];

	if (json_is_integer(id)) {
		/* A number the platform gave: kept as the string it is. */
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		change(v, order, "id", json_string(buf));
		return;
	}
	get_string(v, order, "id", "id", 1);
}

static void
check_email(struct validator *v, json_t *customer, const char *email)
{
	static const char *keys[] = {
		[EMAIL_SPACE] = "email_space", [EMAIL_NO_AT] = "email_no_at",
		[EMAIL_MANY_AT] = "email_many_at", [EMAIL_LOCAL] = "email_local",
		[EMAIL_DOMAIN] = "email_domain", [EMAIL_TLD] = "email_tld",
		[EMAIL_LONG] = "email_long",
	};
	enum email_result r;
	char *norm = NULL, suggest[320];

	r = email_check(email, &norm, suggest, sizeof(suggest));
	if (r == EMAIL_OK) {
		if (strcmp(norm, email) != 0)
			change(v, customer, "email", json_string(norm));
	} else if (r == EMAIL_TYPO)
		problem(v, "email_typo", "customer.email", "email_typo", email,
		    suggest);
	else if (r != EMAIL_EMPTY)
		problem(v, "bad_email", "customer.email", keys[r], email);
	free(norm);
}

static void
check_phone(struct validator *v, json_t *customer, const char *phone,
    const char *country)
{
	const struct country *c;
	const char *region;
	char e164[40], range[32];
	int min, max;
	enum phone_result r;

	switch ((r = phone_normalize(phone, country, e164, &region, &min,
	    &max))) {
	case PHONE_OK:
		if (strcmp(e164, phone) != 0)
			change(v, customer, "phone", json_string(e164));
		break;
	case PHONE_EMPTY:
		problem(v, "bad_phone", "customer.phone", "phone_empty", phone);
		break;
	case PHONE_CHARS:
		problem(v, "bad_phone", "customer.phone", "phone_chars", phone);
		break;
	case PHONE_NO_COUNTRY:
		problem(v, "bad_phone", "customer.phone", "phone_country",
		    phone);
		break;
	case PHONE_SHORT:
	case PHONE_LONG:
		if (region == NULL) {	/* no plan: E.164's own bounds */
			region = "E.164";
			min = 7;
			max = 14;
		}
		if (min == max)
			snprintf(range, sizeof(range), "%d", min);
		else
			snprintf(range, sizeof(range), "%d–%d", min, max);
		problem(v, "bad_phone", "customer.phone", r == PHONE_SHORT ?
		    "phone_short" : "phone_long", phone, region, range);
		break;
	case PHONE_PREFIX:
		c = region ? country_find(region) : NULL;
		problem(v, "bad_phone", "customer.phone", "phone_prefix", phone,
		    c ? c->name : "any country");
		break;
	}
}

static void
check_customer(struct validator *v, json_t *order, const char *country)
{
	json_t *customer;
	const char *email, *phone;
	size_t before;

	customer = json_object_get(order, "customer");
	if (customer == NULL || json_is_null(customer)) {
		problem(v, "no_contact", "customer", "no_contact");
		return;
	}
	if ((customer = get_object(v, order, "customer", "customer", 0)) ==
	    NULL)
		return;
	before = json_array_size(v->errors);
	email = get_string(v, customer, "email", "customer.email", 0);
	phone = get_string(v, customer, "phone", "customer.phone", 0);
	if (email == NULL && phone == NULL) {
		/* Unless a bad_type already said what is wrong with them. */
		if (json_array_size(v->errors) == before)
			problem(v, "no_contact", "customer", "no_contact");
		return;
	}
	if (email != NULL)
		check_email(v, customer, email);
	if (phone != NULL)
		check_phone(v, customer, phone, country);
}

/* The address's country, upper-cased and checked, or --country when the
 * address has none; NULL when there is none. */
static const char *
address_country(struct validator *v, json_t *address, char *cc)
{
	const char *s;
	size_t i;

	if (address == NULL ||
	    (s = get_string(v, address, "country", "shipping.address.country",
	    0)) == NULL)
		return v->country;
	for (i = 0; i < 2 && s[i] != '\0'; i++)
		cc[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i];
	cc[i] = '\0';
	if (strlen(s) != 2 || country_find(cc) == NULL) {
		problem(v, "bad_country", "shipping.address.country",
		    "bad_country", s);
		return NULL;
	}
	if (strcmp(cc, s) != 0)
		change(v, address, "country", json_string(cc));
	return cc;
}

static void
check_address(struct validator *v, json_t *shipping, json_t *address,
    const char *method, const char *country)
{
	int needs = strcmp(method, "courier") == 0 ||
	    strcmp(method, "post") == 0;
	const char *postal, *example;
	char norm[32];

	if (!needs) {
		/* pickup: the point is the address. */
		json_t *point = json_object_get(shipping, "pickup_point");

		if (point == NULL || json_is_null(point) ||
		    (json_is_string(point) &&
		    json_string_value(point)[strspn(json_string_value(point),
		    " ")] == '\0'))
			problem(v, "missing_field", "shipping.pickup_point",
			    "missing", "shipping.pickup_point");
		else if (!json_is_string(point) && !json_is_object(point))
			problem(v, "bad_type", "shipping.pickup_point",
			    "not_string", "shipping.pickup_point");
		else if (json_is_object(point) &&
		    json_object_size(point) == 0)
			problem(v, "missing_field", "shipping.pickup_point",
			    "missing", "shipping.pickup_point");
		return;
	}
	if (address == NULL) {
		if (json_object_get(shipping, "address") == NULL ||
		    json_is_null(json_object_get(shipping, "address")))
			problem(v, "missing_field", "shipping.address",
			    "missing", "shipping.address");
		return;
	}
	if (country == NULL && json_object_get(address, "country") == NULL)
		problem(v, "missing_field", "shipping.address.country",
		    "missing", "shipping.address.country");
	else if (country != NULL && json_object_get(address, "country") == NULL)
		change(v, address, "country", json_string(country));
	get_string(v, address, "city", "shipping.address.city", 1);
	get_string(v, address, "line1", "shipping.address.line1", 1);
	postal = get_string(v, address, "postal_code",
	    "shipping.address.postal_code",
	    country == NULL || !postal_none(country));
	if (postal == NULL || country == NULL)
		return;
	switch (postal_check(country, postal, norm, sizeof(norm), &example)) {
	case POSTAL_OK:
		if (strcmp(norm, postal) != 0)
			change(v, address, "postal_code", json_string(norm));
		break;
	case POSTAL_BAD:
		problem(v, "bad_postal_code", "shipping.address.postal_code",
		    "bad_postal_code", postal, country,
		    example ? example : "-");
		break;
	case POSTAL_NONE:
		break;
	}
}

/* Lower-case s into buf (of size len) and find it in the NULL-terminated
 * list; the normalised word or NULL. */
static const char *
one_of(const char *s, const char *const *list, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	buf[i] = '\0';
	for (; *list != NULL; list++)
		if (strcmp(buf, *list) == 0)
			return *list;
	return NULL;
}

static void
check_shipping(struct validator *v, json_t *order, const char **countryp,
    char *cc)
{
	static const char *const methods[] = {
		"courier", "post", "pickup", NULL
	};
	json_t *shipping, *address;
	const char *method, *word;
	char buf[16];

	*countryp = v->country;
	if ((shipping = get_object(v, order, "shipping", "shipping", 1)) ==
	    NULL) {
		return;
	}
	address = get_object(v, shipping, "address", "shipping.address", 0);
	*countryp = address_country(v, address, cc);
	if ((method = get_string(v, shipping, "method", "shipping.method",
	    1)) == NULL)
		return;
	if ((word = one_of(method, methods, buf, sizeof(buf))) == NULL) {
		problem(v, "bad_shipping_method", "shipping.method",
		    "bad_shipping_method", method);
		return;
	}
	if (strcmp(word, method) != 0)
		change(v, shipping, "method", json_string(word));
	check_address(v, shipping, address, word, *countryp);
}

static void
check_payment(struct validator *v, json_t *order)
{
	static const char *const methods[] = {
		"card", "wallet", "bank", "cod", "installment", NULL
	};
	json_t *payment, *status;
	const char *method, *word;
	char buf[16];
	int paid;

	if ((payment = get_object(v, order, "payment", "payment", 1)) == NULL)
		return;
	/* A marketplace that collected the money names no method: an order
	 * already paid needs none. */
	status = json_object_get(payment, "status");
	paid = json_is_string(status) &&
	    strcmp(json_string_value(status), "paid") == 0;
	if ((method = get_string(v, payment, "method", "payment.method",
	    !paid)) == NULL)
		return;
	if ((word = one_of(method, methods, buf, sizeof(buf))) == NULL)
		problem(v, "bad_payment_method", "payment.method",
		    "bad_payment_method", method);
	else if (strcmp(word, method) != 0)
		change(v, payment, "method", json_string(word));
}

/* The order's currency, or NULL. */
static const struct money_currency *
check_currency(struct validator *v, json_t *order)
{
	const struct money_currency *cur;
	const char *code;

	if ((code = get_string(v, order, "currency", "currency", 1)) == NULL)
		return NULL;
	if ((cur = money_currency_anycase(code, strlen(code))) == NULL) {
		problem(v, "bad_currency", "currency", "bad_currency", code);
		return NULL;
	}
	if (strcmp(cur->code, code) != 0)
		change(v, order, "currency", json_string(cur->code));
	return cur;
}

/* A "currency" beside amounts (in an item or totals) must be the order's;
 * it is upper-cased as the order's is. */
static void
check_same_currency(struct validator *v, json_t *object, const char *path,
    const struct money_currency *cur)
{
	const json_t *c = json_object_get(object, "currency");
	const struct money_currency *other;
	const char *code;
	char field[64];

	if (c == NULL || cur == NULL || !json_is_string(c))
		return;
	code = json_string_value(c);
	other = money_currency_anycase(code, strlen(code));
	if (other == NULL || strcmp(other->code, cur->code) != 0) {
		snprintf(field, sizeof(field), "%s.currency", path);
		problem(v, "currency_mismatch", field, "currency_mismatch",
		    path, code, cur->code);
	} else if (strcmp(other->code, code) != 0)
		change(v, object, "currency", json_string(other->code));
}

/* An amount at object.key: 0 and *amount set, or -1 after a problem (or
 * silently when absent and not required, *amount then 0). */
static int
get_amount(struct validator *v, const json_t *object, const char *key,
    const char *path, int required, int64_t *amount)
{
	const json_t *value = json_object_get(object, key);
	char buf[64];

	*amount = 0;
	if (value == NULL || json_is_null(value)) {
		if (required)
			problem(v, "missing_field", path, "missing", path);
		return required ? -1 : 0;
	}
	if (!json_is_integer(value)) {
		problem(v, "bad_amount", path, "bad_amount", path,
		    show(value, buf, sizeof(buf)));
		return -1;
	}
	*amount = json_integer_value(value);
	if (*amount < 0) {
		problem(v, "negative_amount", path, "negative_amount", path,
		    show(value, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}

/* The variant's value of option name as text (numbers too: shoe size 42),
 * or NULL. */
static const char *
variant_text(const json_t *value, char *buf, size_t len)
{
	if (json_is_string(value))
		return json_string_value(value);
	if (json_is_integer(value)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(value));
		return buf;
	}
	return NULL;
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct catalog_sku *x = *(const struct catalog_sku *const *)a;
	const struct catalog_sku *y = *(const struct catalog_sku *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Append s to the comma-separated list buf unless it is there already. */
static void
list_add(char *buf, size_t len, const char *s)
{
	const char *p;
	size_t n = strlen(s), used = strlen(buf);

	for (p = buf; (p = strstr(p, s)) != NULL; p += n)
		if ((p == buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (used + n + 3 >= len)
		return;
	if (used > 0)
		strcat(buf, ", ");
	strcat(buf, s);
}

/* The item's variant names a combination the SKU does not have: say what
 * the product does come in, narrowing option by option in catalog order. */
static void
explain_variant(struct validator *v, const struct catalog_sku *sku,
    const json_t *variant, const char *path)
{
	const struct catalog *c = &v->catalog;
	const struct catalog_sku **set;
	size_t nset = 0, i, k, o;
	char field[96], prefix[256] = "", values[512], want[256] = "";
	char num[32], have[256] = "";
	const char *val;
	int opt, narrowed = 0;

	set = xmalloc((c->nskus ? c->nskus : 1) * sizeof(*set));
	for (i = 0; i < c->nskus; i++)
		if (strcmp(c->skus[i].product, sku->product) == 0)
			set[nset++] = &c->skus[i];
	qsort(set, nset, sizeof(*set), cmp_seq);
	for (o = 0; o < c->noptnames; o++) {
		const json_t *jv = json_object_get(variant, c->optnames[o]);
		size_t kept = 0;

		if ((val = variant_text(jv, num, sizeof(num))) == NULL)
			continue;
		opt = o;
		values[0] = '\0';
		for (k = 0; k < nset; k++) {
			const char *have_val = catalog_sku_option(set[k], opt);

			if (have_val == NULL)
				continue;
			list_add(values, sizeof(values), have_val);
			if (utf8_casecmp(have_val, val) == 0)
				set[kept++] = set[k];
		}
		snprintf(field, sizeof(field), "%s.variant.%s", path,
		    c->optnames[o]);
		if (kept == 0) {
			if (values[0] == '\0')
				problem(v, "unknown_variant", field,
				    "variant_no_option", sku->name[0] ?
				    sku->name : sku->product, c->optnames[o]);
			else if (!narrowed)
				problem(v, "unknown_variant", field,
				    "variant_none_first", c->optnames[o], val,
				    sku->name[0] ? sku->name : sku->product,
				    values);
			else
				problem(v, "unknown_variant", field,
				    "variant_none", c->optnames[o], val, prefix,
				    prefix, values);
			free(set);
			return;
		}
		nset = kept;
		narrowed = 1;
		if (prefix[0] != '\0')
			strncat(prefix, " ", sizeof(prefix) - strlen(prefix) - 1);
		strncat(prefix, val, sizeof(prefix) - strlen(prefix) - 1);
	}
	/* The combination exists, as another SKU. */
	for (o = 0; o < c->noptnames; o++) {
		const char *s = catalog_sku_option(sku, o);
		const json_t *jv = json_object_get(variant, c->optnames[o]);

		if (s != NULL) {
			if (have[0] != '\0')
				strncat(have, " ", sizeof(have) - strlen(have) - 1);
			strncat(have, s, sizeof(have) - strlen(have) - 1);
		}
		if ((val = variant_text(jv, num, sizeof(num))) != NULL) {
			if (want[0] != '\0')
				strncat(want, " ", sizeof(want) - strlen(want) - 1);
			strncat(want, val, sizeof(want) - strlen(want) - 1);
		}
	}
	snprintf(field, sizeof(field), "%s.variant", path);
	if (nset > 1) {
		/* A partial variant ("blue") fits several SKUs: name them all
		 * rather than pick one. */
		values[0] = '\0';
		for (k = 0; k < nset; k++)
			list_add(values, sizeof(values), set[k]->sku);
		problem(v, "variant_mismatch", field, "variant_other_skus",
		    sku->sku, have, want, values);
	} else
		problem(v, "variant_mismatch", field, "variant_other_sku",
		    sku->sku, have, want, nset > 0 ? set[0]->sku : "?");
	free(set);
}

static void
check_catalog_item(struct validator *v, const json_t *item, const char *path,
    const struct money_currency *cur, int64_t unit_price, int price_ok)
{
	const struct catalog_sku *sku;
	const struct catalog_price *price;
	const json_t *variant, *value;
	const char *code, *name, *want, *have;
	char field[96], a[48], b[48], num[32];
	int opt, bad = 0;

	snprintf(field, sizeof(field), "%s.sku", path);
	if ((code = get_string(v, item, "sku", field, 1)) == NULL)
		return;
	if ((sku = catalog_find(&v->catalog, code)) == NULL) {
		problem(v, "unknown_sku", field, "unknown_sku", code);
		return;
	}
	if (!sku->active)
		problem(v, "inactive_sku", field, "inactive_sku",
		    sku->name[0] ? sku->name : sku->product, code);
	variant = json_object_get(item, "variant");
	if (json_is_object(variant)) {
		json_object_foreach((json_t *)variant, name, value) {
			snprintf(field, sizeof(field), "%s.variant.%s", path,
			    name);
			if ((opt = catalog_option(&v->catalog, name)) < 0) {
				problem(v, "unknown_variant", field,
				    "variant_no_option", sku->name[0] ?
				    sku->name : sku->product, name);
				bad = -1;
				continue;
			}
			want = variant_text(value, num, sizeof(num));
			have = catalog_sku_option(sku, opt);
			if (want == NULL || have == NULL ||
			    utf8_casecmp(want, have) != 0)
				bad = bad == 0 ? 1 : bad;
		}
		if (bad == 1)
			explain_variant(v, sku, variant, path);
	} else if (variant != NULL && !json_is_null(variant)) {
		snprintf(field, sizeof(field), "%s.variant", path);
		problem(v, "bad_type", field, "not_object", field);
	}
	if (v->ignore_price || cur == NULL || !price_ok)
		return;
	snprintf(field, sizeof(field), "%s.unit_price", path);
	if ((price = catalog_price(sku, cur->code)) == NULL) {
		problem(v, "no_catalog_price", field, "no_catalog_price",
		    cur->code, code);
		return;
	}
	if (price->amount != unit_price)
		problem(v, "price_mismatch", field, "price_mismatch",
		    money_format(unit_price, cur->exponent, a, sizeof(a)),
		    cur->code, money_format(price->amount, cur->exponent, b,
		    sizeof(b)), cur->code);
}

/* Check the items; their sum in *subtotal, -1 when it cannot be known. */
static int
check_items(struct validator *v, json_t *order,
    const struct money_currency *cur, int64_t *subtotal)
{
	json_t *items, *item, *qty;
	char path[48], field[64], skufield[64], buf[64];
	size_t i;
	int64_t price, line;
	int known = 0, price_ok;

	*subtotal = 0;
	items = json_object_get(order, "items");
	if (items == NULL || json_is_null(items)) {
		problem(v, "missing_field", "items", "missing", "items");
		return -1;
	}
	if (!json_is_array(items)) {
		problem(v, "bad_type", "items", "not_array", "items");
		return -1;
	}
	if (json_array_size(items) == 0) {
		problem(v, "no_items", "items", "no_items");
		return -1;
	}
	json_array_foreach(items, i, item) {
		snprintf(path, sizeof(path), "items[%zu]", i);
		if (!json_is_object(item)) {
			problem(v, "bad_type", path, "not_object_item", path);
			known = -1;
			continue;
		}
		snprintf(field, sizeof(field), "%s.qty", path);
		qty = json_object_get(item, "qty");
		if (qty == NULL || json_is_null(qty)) {
			problem(v, "missing_field", field, "missing", field);
			known = -1;
		} else if (!json_is_integer(qty) ||
		    json_integer_value(qty) < 1) {
			problem(v, "bad_qty", field, "bad_qty",
			    show(qty, buf, sizeof(buf)));
			known = -1;
		} else if (json_integer_value(qty) > v->max_qty) {
			problem(v, "qty_too_large", field, "qty_too_large",
			    show(qty, buf, sizeof(buf)), v->max_qty);
			known = -1;
		}
		snprintf(field, sizeof(field), "%s.unit_price", path);
		price_ok = get_amount(v, item, "unit_price", field, 1,
		    &price) == 0;
		if (!price_ok)
			known = -1;
		check_same_currency(v, item, path, cur);
		if (v->have_catalog)
			check_catalog_item(v, item, path, cur, price, price_ok);
		else {
			/* Without a catalog to find it in, the SKU must still
			 * be one: order-reserve takes stock by it. */
			snprintf(skufield, sizeof(skufield), "%s.sku", path);
			get_string(v, item, "sku", skufield, 1);
		}
		if (known == 0 &&
		    (money_mul(price, json_integer_value(qty), &line) == -1 ||
		    money_add(*subtotal, line, subtotal) == -1)) {
			problem(v, "amount_overflow", field, "amount_overflow");
			known = -1;
		}
	}
	return known;
}

static void
check_totals(struct validator *v, json_t *order,
    const struct money_currency *cur, int64_t items_sum, int items_known)
{
	json_t *totals;
	int64_t subtotal, shipping, discount, tax, total, want;
	int ok = 0, have_subtotal;
	char a[48], b[48];
	int exp = cur ? cur->exponent : 2;

	if ((totals = get_object(v, order, "totals", "totals", 1)) == NULL)
		return;
	check_same_currency(v, totals, "totals", cur);
	have_subtotal = json_object_get(totals, "subtotal") != NULL &&
	    !json_is_null(json_object_get(totals, "subtotal"));
	ok |= get_amount(v, totals, "subtotal", "totals.subtotal", 0,
	    &subtotal);
	ok |= get_amount(v, totals, "shipping", "totals.shipping", 0,
	    &shipping);
	ok |= get_amount(v, totals, "discount", "totals.discount", 0,
	    &discount);
	ok |= get_amount(v, totals, "tax", "totals.tax", 0, &tax);
	ok |= get_amount(v, totals, "total", "totals.total", 1, &total);
	if (items_known == 0) {
		if (!have_subtotal) {
			/* Left out: it is the items' sum, filled in. */
			change(v, totals, "subtotal", json_integer(items_sum));
			subtotal = items_sum;
		} else if (json_is_integer(json_object_get(totals,
		    "subtotal")) && subtotal >= 0 && subtotal != items_sum)
			problem(v, "subtotal_mismatch", "totals.subtotal",
			    "subtotal_mismatch",
			    money_format(subtotal, exp, a, sizeof(a)),
			    money_format(items_sum, exp, b, sizeof(b)));
	}
	if (ok != 0 || (!have_subtotal && items_known != 0))
		return;
	if (money_add(subtotal, shipping, &want) == -1 ||
	    money_add(want, -discount, &want) == -1 ||
	    money_add(want, tax, &want) == -1) {
		problem(v, "amount_overflow", "totals.total",
		    "amount_overflow");
		return;
	}
	if (want < 0)
		problem(v, "negative_amount", "totals.total",
		    "negative_amount", "subtotal + shipping - discount + tax",
		    money_format(want, exp, a, sizeof(a)));
	else if (want != total)
		problem(v, "total_mismatch", "totals.total", "total_mismatch",
		    money_format(total, exp, a, sizeof(a)),
		    money_format(want, exp, b, sizeof(b)));
}

static void
check_time(struct validator *v, json_t *order, const char *key)
{
	const char *s;
	int64_t epoch;
	int offset;

	if ((s = get_string(v, order, key, key, 0)) == NULL)
		return;
	if (rfc3339_parse(s, &epoch, &offset) == -1)
		problem(v, "bad_time", key, "bad_time", key, s);
}

static void
validate_order(struct validator *v, json_t *order)
{
	const struct money_currency *cur;
	const char *country;
	char cc[3];
	int64_t items_sum;
	int known;

	check_id(v, order);
	check_time(v, order, "created_at");
	cur = check_currency(v, order);
	check_shipping(v, order, &country, cc);
	/* A pickup order may carry no address: a national phone number is
	 * then read in the country of the order's currency, when only one
	 * country uses it (RUB, UAH, PLN; not EUR or USD). */
	if (country == NULL && cur != NULL)
		country = country_of_currency(cur->code);
	check_customer(v, order, country);
	check_payment(v, order);
	known = check_items(v, order, cur, &items_sum);
	check_totals(v, order, cur, items_sum, known);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text };
	struct validator v;
	struct jsonl_reader in;
	struct reject_stream rejects;
	const char *catalog_path = NULL, *key;
	char errbuf[512], idbuf[JSONL_ID_BUF], country[3] = "", *end;
	unsigned long nout = 0, first;
	json_t *order;
	size_t keylen;
	int ch, status;

	valueblock_install();
	memset(&v, 0, sizeof(v));
	v.lang = msg_lang_env();
	v.max_qty = 1000;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CATALOG:
			catalog_path = optarg;
			break;
		case OPT_COUNTRY:
			if (strlen(optarg) == 2) {
				country[0] = toupper((unsigned char)optarg[0]);
				country[1] = toupper((unsigned char)optarg[1]);
				country[2] = '\0';
			}
			if (strlen(optarg) != 2 || country_find(country) == NULL)
				cli_usage_error(&cli, "--country '%s' is not an "
				    "ISO 3166-1 alpha-2 code", optarg);
			v.country = country;
			break;
		case OPT_IGNORE:
			v.ignore_price = 1;
			break;
		case OPT_LANG:
			if (msg_lang_parse(optarg, &v.lang) == -1)
				cli_usage_error(&cli, "--lang '%s' is not en, "
				    "ru or uk", optarg);
			break;
		case OPT_MAXQTY:
			errno = 0;
			v.max_qty = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v.max_qty < 1)
				cli_usage_error(&cli, "--max-qty '%s' is not a "
				    "whole number of 1 or more", optarg);
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (catalog_path != NULL) {
		if ((status = catalog_load(&v.catalog, catalog_path, errbuf,
		    sizeof(errbuf))) != 0)
			errx(status, "%s", errbuf);
		v.have_catalog = 1;
	}
	reject_open(&rejects, cli.rejects_path);
	jsonl_open(&in, argc - optind, argv + optind);
	in.lang = v.lang;
	if ((v.errors = json_array()) == NULL)
		xnomem();
	strmap_init(&v.ids);
	while ((order = reject_read(&rejects, &in)) != NULL) {
		validate_order(&v, order);
		key = jsonl_id_text(json_object_get(order, "id"), idbuf,
		    &keylen);
		if (json_array_size(v.errors) == 0 && key != NULL &&
		    !strmap_add(&v.ids, key, keylen, in.lineno, &first)) {
			char idtext[64];

			snprintf(idtext, sizeof(idtext), "%.60s", key);
			problem(&v, "duplicate_id", "id", "duplicate_id",
			    idtext, first);
		}
		if (json_array_size(v.errors) == 0) {
			apply_changes(&v, 1);
			if (json_object_set_new(order, "status",
			    json_string("validated")) == -1)
				xnomem();
			jsonl_write(stdout, order);
			nout++;
		} else {
			apply_changes(&v, 0);
			reject_write(&rejects, order, v.errors);
			json_array_clear(v.errors);
		}
		json_decref(order);
	}
	json_decref(v.errors);
	free(v.changes);
	strmap_release(&v.ids);
	if (v.have_catalog)
		catalog_release(&v.catalog);
	valueblock_release();
	status = jsonl_close(&in);
	if (cli.stats)
		fprintf(stderr, "order-validate: %lu read, %lu valid, %lu "
		    "rejected\n", in.nlines, nout, rejects.count);
	if (reject_close(&rejects) == -1 && status == 0)
		status = EX_IOERR;
	if (jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	return cli_status(&cli, status, rejects.count);
}
