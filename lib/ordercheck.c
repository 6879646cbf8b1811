/* ordercheck.c: the checks of an order's form data, and their messages
 * (ordercheck.h); moved from order-validate, which runs them all. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "contact.h"
#include "country.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "msg.h"
#include "ordercheck.h"
#include "postal.h"
#include "profile.h"
#include "reject.h"
#include "utf8.h"
#include "xalloc.h"

/* Every message a customer or operator may read, in the three languages.
 * The arguments are the same, in the same order, in each. */
const struct msg ordercheck_messages[] = {
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
	{ "no_contact_src", { "no e-mail or phone to reach the customer: give one, or set hides_contact = yes in [source \"%s\"] if the channel hides them",
	    "нет ни e-mail, ни телефона покупателя: укажите их или задайте hides_contact = yes в [source \"%s\"], если площадка их скрывает",
	    "немає ні e-mail, ні телефону покупця: вкажіть їх або задайте hides_contact = yes у [source \"%s\"], якщо майданчик їх приховує" } },
	{ "no_ship_method", { "no shipping method: give order-import --ship-method or set ship_method in [source \"%s\"]",
	    "не указан способ доставки: задайте order-import --ship-method или ship_method в [source \"%s\"]",
	    "не вказано спосіб доставки: задайте order-import --ship-method або ship_method у [source \"%s\"]" } },
	{ "no_sku", { "the item has no SKU: give one, or a --catalog whose alias column names the item's id or title",
	    "у товара нет артикула: укажите его или --catalog, где столбец alias называет id или название товара",
	    "товар не має артикула: вкажіть його або --catalog, де стовпець alias називає id чи назву товару" } },
	{ "no_alias", { "the item has no SKU, and no catalog alias is its id or its title '%s': add one to the catalog's alias column",
	    "у товара нет артикула, и ни один alias каталога не совпадает с его id или названием '%s': добавьте его в столбец alias",
	    "товар не має артикула, і жоден alias каталогу не збігається з його id чи назвою '%s': додайте його до стовпця alias" } },
	{ "unknown_sku_alias", { "there is no product with SKU '%s': add it to the catalog, or the marketplace's id to a product's alias column",
	    "товара с артикулом '%s' нет в каталоге: добавьте его или id площадки в столбец alias товара",
	    "товару з артикулом '%s' немає в каталозі: додайте його або id майданчика до стовпця alias товару" } },
	{ "alias_many", { "'%s' is the alias of several SKUs (%s) and the item's options choose none of them",
	    "'%s' — alias нескольких артикулов (%s), и параметры товара не выбирают ни один",
	    "'%s' — alias кількох артикулів (%s), і параметри товару не вибирають жодного" } },
	{ "already_fulfilled", { "%s says the order is already fulfilled (%s): nothing is left to ship",
	    "%s сообщает, что заказ уже выполнен (%s): отправлять нечего",
	    "%s повідомляє, що замовлення вже виконане (%s): надсилати нічого" } },
	{ "fulfilled_by_marketplace", { "%s fulfils this order itself (%s): the shop ships nothing; set fulfilled_by = shop in [source \"%s\"] if it does not",
	    "%s выполняет этот заказ сама (%s): магазину отправлять нечего; задайте fulfilled_by = shop в [source \"%s\"], если это не так",
	    "%s виконує це замовлення сам (%s): магазину надсилати нічого; задайте fulfilled_by = shop у [source \"%s\"], якщо це не так" } },
	{ "refunded_at_source", { "%s says the order was refunded (%s): do not ship it",
	    "%s сообщает, что деньги за заказ возвращены (%s): не отправляйте его",
	    "%s повідомляє, що гроші за замовлення повернено (%s): не надсилайте його" } },
	{ "cancelled_at_source", { "%s says the order was cancelled (%s): do not ship it",
	    "%s сообщает, что заказ отменён (%s): не отправляйте его",
	    "%s повідомляє, що замовлення скасовано (%s): не надсилайте його" } },
	{ "unpaid_at_source", { "%s says the order is not paid (%s): wait for the payment, or give --allow unpaid_at_source",
	    "%s сообщает, что заказ не оплачен (%s): дождитесь оплаты или задайте --allow unpaid_at_source",
	    "%s повідомляє, що замовлення не оплачене (%s): дочекайтеся оплати або задайте --allow unpaid_at_source" } },
	{ "nothing_to_ship", { "no line of the order needs shipping (gift cards, services): nothing to ship",
	    "ни одна позиция заказа не требует доставки (подарочные карты, услуги): отправлять нечего",
	    "жодна позиція замовлення не потребує доставки (подарункові картки, послуги): надсилати нічого" } },
};
const size_t ordercheck_nmessages =
    sizeof(ordercheck_messages) / sizeof(ordercheck_messages[0]);

void
ordercheck_init(struct ordercheck *v, enum msg_lang lang)
{
	memset(v, 0, sizeof(*v));
	v->lang = lang;
	if ((v->errors = json_array()) == NULL)
		xnomem();
}

void
ordercheck_release(struct ordercheck *v)
{
	ordercheck_apply(v, 0);
	json_decref(v->errors);
	free(v->changes);
	v->errors = NULL;
	v->changes = NULL;
	v->capchanges = 0;
}

void
ordercheck_problem(struct ordercheck *v, const char *code, const char *field,
    const char *key, ...)
{
	const char *fmt;
	char msg[1024];
	va_list ap;

	fmt = msg_format(ordercheck_messages, ordercheck_nmessages, key,
	    v->lang);
	va_start(ap, key);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reject_add(v->errors, code, field, msg);
}

/* Remember to set object.key to value (a new reference) if the order is
 * valid. */
void
ordercheck_change(struct ordercheck *v, json_t *object, const char *key,
    json_t *value)
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

void
ordercheck_apply(struct ordercheck *v, int apply)
{
	size_t i;

	for (i = 0; i < v->nchanges; i++) {
		if (apply)
			jsonx_set_new(v->changes[i].object, v->changes[i].key,
			    v->changes[i].value);
		else
			json_decref(v->changes[i].value);
	}
	v->nchanges = 0;
}

/* A short JSON text of value for messages. */
const char *
ordercheck_show(const json_t *value, char *buf, size_t len)
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
const char *
ordercheck_string(struct ordercheck *v, const json_t *object, const char *key,
    const char *path, int required)
{
	const json_t *value = json_object_get(object, key);
	const char *s;

	if (value == NULL || json_is_null(value)) {
		if (required)
			ordercheck_problem(v, "missing_field", path, "missing",
			    path);
		return NULL;
	}
	if (!json_is_string(value)) {
		ordercheck_problem(v, "bad_type", path, "not_string", path);
		return NULL;
	}
	s = json_string_value(value);
	if (s[strspn(s, " \t")] == '\0') {
		if (required)
			ordercheck_problem(v, "missing_field", path, "missing",
			    path);
		return NULL;
	}
	return s;
}

/* The object at parent.key, NULL (and a problem when required) if absent. */
json_t *
ordercheck_object(struct ordercheck *v, json_t *parent, const char *key,
    const char *path, int required)
{
	json_t *value = json_object_get(parent, key);

	if (value == NULL || json_is_null(value)) {
		if (required)
			ordercheck_problem(v, "missing_field", path, "missing",
			    path);
		return NULL;
	}
	if (!json_is_object(value)) {
		ordercheck_problem(v, "bad_type", path, "not_object", path);
		return NULL;
	}
	return value;
}

static void
check_email(struct ordercheck *v, json_t *customer, const char *email)
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
			ordercheck_change(v, customer, "email",
			    json_string(norm));
	} else if (r == EMAIL_TYPO)
		ordercheck_problem(v, "email_typo", "customer.email",
		    "email_typo", email, suggest);
	else if (r != EMAIL_EMPTY)
		ordercheck_problem(v, "bad_email", "customer.email", keys[r],
		    email);
	free(norm);
}

static void
check_phone(struct ordercheck *v, json_t *customer, const char *phone,
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
			ordercheck_change(v, customer, "phone",
			    json_string(e164));
		break;
	case PHONE_EMPTY:
		ordercheck_problem(v, "bad_phone", "customer.phone",
		    "phone_empty", phone);
		break;
	case PHONE_CHARS:
		ordercheck_problem(v, "bad_phone", "customer.phone",
		    "phone_chars", phone);
		break;
	case PHONE_NO_COUNTRY:
		ordercheck_problem(v, "bad_phone", "customer.phone",
		    "phone_country", phone);
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
		ordercheck_problem(v, "bad_phone", "customer.phone",
		    r == PHONE_SHORT ? "phone_short" : "phone_long", phone,
		    region, range);
		break;
	case PHONE_PREFIX:
		c = region ? country_find(region) : NULL;
		ordercheck_problem(v, "bad_phone", "customer.phone",
		    "phone_prefix", phone, c ? c->name : "any country");
		break;
	}
}

static void
no_contact(struct ordercheck *v)
{
	if (v->source != NULL)
		ordercheck_problem(v, "no_contact", "customer",
		    "no_contact_src", v->source);
	else
		ordercheck_problem(v, "no_contact", "customer", "no_contact");
}

void
ordercheck_customer(struct ordercheck *v, json_t *order, const char *country)
{
	json_t *customer;
	const char *email, *phone;
	size_t before;

	customer = json_object_get(order, "customer");
	if (customer == NULL || json_is_null(customer)) {
		no_contact(v);
		return;
	}
	if ((customer = ordercheck_object(v, order, "customer", "customer",
	    0)) == NULL)
		return;
	before = json_array_size(v->errors);
	email = ordercheck_string(v, customer, "email", "customer.email", 0);
	phone = ordercheck_string(v, customer, "phone", "customer.phone", 0);
	if (email == NULL && phone == NULL) {
		/* Unless a bad_type already said what is wrong with them. */
		if (json_array_size(v->errors) == before)
			no_contact(v);
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
address_country(struct ordercheck *v, json_t *address, char *cc)
{
	const char *s;
	size_t i;

	if (address == NULL ||
	    (s = ordercheck_string(v, address, "country",
	    "shipping.address.country", 0)) == NULL)
		return v->country;
	for (i = 0; i < 2 && s[i] != '\0'; i++)
		cc[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i];
	cc[i] = '\0';
	if (strlen(s) != 2 || country_find(cc) == NULL) {
		ordercheck_problem(v, "bad_country", "shipping.address.country",
		    "bad_country", s);
		return NULL;
	}
	if (strcmp(cc, s) != 0)
		ordercheck_change(v, address, "country", json_string(cc));
	return cc;
}

static void
check_address(struct ordercheck *v, json_t *shipping, json_t *address,
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
			ordercheck_problem(v, "missing_field",
			    "shipping.pickup_point", "missing",
			    "shipping.pickup_point");
		else if (!json_is_string(point) && !json_is_object(point))
			ordercheck_problem(v, "bad_type",
			    "shipping.pickup_point", "not_string",
			    "shipping.pickup_point");
		else if (json_is_object(point) &&
		    json_object_size(point) == 0)
			ordercheck_problem(v, "missing_field",
			    "shipping.pickup_point", "missing",
			    "shipping.pickup_point");
		return;
	}
	if (address == NULL) {
		if (json_object_get(shipping, "address") == NULL ||
		    json_is_null(json_object_get(shipping, "address")))
			ordercheck_problem(v, "missing_field",
			    "shipping.address", "missing", "shipping.address");
		return;
	}
	if (country == NULL && json_object_get(address, "country") == NULL)
		ordercheck_problem(v, "missing_field",
		    "shipping.address.country", "missing",
		    "shipping.address.country");
	else if (country != NULL && json_object_get(address, "country") == NULL)
		ordercheck_change(v, address, "country", json_string(country));
	ordercheck_string(v, address, "city", "shipping.address.city", 1);
	ordercheck_string(v, address, "line1", "shipping.address.line1", 1);
	postal = ordercheck_string(v, address, "postal_code",
	    "shipping.address.postal_code",
	    country == NULL || !postal_none(country));
	if (postal == NULL || country == NULL)
		return;
	switch (postal_check(country, postal, norm, sizeof(norm), &example)) {
	case POSTAL_OK:
		if (strcmp(norm, postal) != 0)
			ordercheck_change(v, address, "postal_code",
			    json_string(norm));
		break;
	case POSTAL_BAD:
		ordercheck_problem(v, "bad_postal_code",
		    "shipping.address.postal_code", "bad_postal_code", postal,
		    country, example ? example : "-");
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

void
ordercheck_shipping(struct ordercheck *v, json_t *order, const char **countryp,
    char *cc)
{
	static const char *const methods[] = {
		"courier", "post", "pickup", NULL
	};
	json_t *shipping, *address;
	const char *method, *word;
	char buf[16];

	*countryp = v->country;
	if ((shipping = ordercheck_object(v, order, "shipping", "shipping",
	    1)) == NULL) {
		return;
	}
	address = ordercheck_object(v, shipping, "address", "shipping.address",
	    0);
	*countryp = address_country(v, address, cc);
	method = ordercheck_string(v, shipping, "method", "shipping.method", 0);
	if (method == NULL) {
		if (json_object_get(shipping, "method") == NULL ||
		    json_is_null(json_object_get(shipping, "method")) ||
		    json_is_string(json_object_get(shipping, "method")))
			ordercheck_problem(v, "missing_field",
			    "shipping.method", "no_ship_method",
			    v->source != NULL ? v->source : "NAME");
		return;
	}
	if ((word = one_of(method, methods, buf, sizeof(buf))) == NULL) {
		ordercheck_problem(v, "bad_shipping_method", "shipping.method",
		    "bad_shipping_method", method);
		return;
	}
	if (strcmp(word, method) != 0)
		ordercheck_change(v, shipping, "method", json_string(word));
	check_address(v, shipping, address, word, *countryp);
}

void
ordercheck_payment(struct ordercheck *v, json_t *order)
{
	static const char *const methods[] = {
		"card", "wallet", "bank", "cod", "installment", NULL
	};
	json_t *payment, *status;
	const char *method, *word;
	char buf[16];
	int paid;

	if ((payment = ordercheck_object(v, order, "payment", "payment",
	    1)) == NULL)
		return;
	/* A marketplace that collected the money names no method: an order
	 * already paid needs none. */
	status = json_object_get(payment, "status");
	paid = json_is_string(status) &&
	    strcmp(json_string_value(status), "paid") == 0;
	if ((method = ordercheck_string(v, payment, "method", "payment.method",
	    !paid)) == NULL)
		return;
	if ((word = one_of(method, methods, buf, sizeof(buf))) == NULL)
		ordercheck_problem(v, "bad_payment_method", "payment.method",
		    "bad_payment_method", method);
	else if (strcmp(word, method) != 0)
		ordercheck_change(v, payment, "method", json_string(word));
}

/* The order's currency, or NULL. */
const struct money_currency *
ordercheck_currency(struct ordercheck *v, json_t *order)
{
	const struct money_currency *cur;
	const char *code;

	if ((code = ordercheck_string(v, order, "currency", "currency",
	    1)) == NULL)
		return NULL;
	if ((cur = money_currency_anycase(code, strlen(code))) == NULL) {
		ordercheck_problem(v, "bad_currency", "currency",
		    "bad_currency", code);
		return NULL;
	}
	if (strcmp(cur->code, code) != 0)
		ordercheck_change(v, order, "currency", json_string(cur->code));
	return cur;
}

/* A "currency" beside amounts (in an item or totals) must be the order's;
 * it is upper-cased as the order's is. */
void
ordercheck_same_currency(struct ordercheck *v, json_t *object, const char *path,
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
		ordercheck_problem(v, "currency_mismatch", field,
		    "currency_mismatch", path, code, cur->code);
	} else if (strcmp(other->code, code) != 0)
		ordercheck_change(v, object, "currency",
		    json_string(other->code));
}

/* An amount at object.key: 0 and *amount set, or -1 after a problem (or
 * silently when absent and not required, *amount then 0). */
int
ordercheck_amount(struct ordercheck *v, const json_t *object, const char *key,
    const char *path, int required, int64_t *amount)
{
	const json_t *value = json_object_get(object, key);
	char buf[64];

	*amount = 0;
	if (value == NULL || json_is_null(value)) {
		if (required)
			ordercheck_problem(v, "missing_field", path, "missing",
			    path);
		return required ? -1 : 0;
	}
	if (!json_is_integer(value)) {
		ordercheck_problem(v, "bad_amount", path, "bad_amount", path,
		    ordercheck_show(value, buf, sizeof(buf)));
		return -1;
	}
	*amount = json_integer_value(value);
	if (*amount < 0) {
		ordercheck_problem(v, "negative_amount", path,
		    "negative_amount", path, ordercheck_show(value, buf,
		    sizeof(buf)));
		return -1;
	}
	return 0;
}

/* ---- the state at the source ---- */

/* Whether the lower-case text holds one of words. */
static int
says(const char *lower, const char *const *words)
{
	for (; lower != NULL && *words != NULL; words++)
		if (strstr(lower, *words) != NULL)
			return 1;
	return 0;
}

static const char *const done_words[] = { "fulfilled", "shipped",
	"delivered", "complete", "picked up", NULL };
static const char *const cancel_words[] = { "cancel", "void", "restocked",
	"declined", NULL };
static const char *const refund_words[] = { "refund", NULL };
static const char *const unpaid_words[] = { "pending", "unpaid",
	"on-hold", "on hold", "failed", "expired", "partially_paid",
	"partially paid", "awaiting payment", "awaiting_payment", NULL };

/* A line whose own status says it went out already (or never will). */
static int
line_done(const json_t *item)
{
	char *st;
	int r;

	if (!json_is_string(json_object_get(item, "status")))
		return 0;
	st = utf8_lower(json_string_value(json_object_get(item, "status")));
	r = strncmp(st, "un", 2) != 0 && strstr(st, "partial") == NULL &&
	    (says(st, done_words) || says(st, cancel_words));
	free(st);
	return r;
}

/* source_status.KEY lower-cased in buf, or NULL. */
static char *
status_word(const json_t *ss, const char *key)
{
	const json_t *s = json_object_get(ss, key);

	return json_is_string(s) ? utf8_lower(json_string_value(s)) : NULL;
}

void
ordercheck_source(struct ordercheck *v, const json_t *order,
    const struct profile *p)
{
	const json_t *ss, *items, *item, *rs, *amount;
	const char *src = v->source != NULL ? v->source : "the source";
	char *ost, *pst, *fst, what[160];
	size_t i, to_ship = 0, done = 0, no_ship = 0, by_market = 0;

	ss = json_object_get(order, "source_status");
	ost = status_word(ss, "order");
	pst = status_word(ss, "payment");
	fst = status_word(ss, "fulfillment");

	if (json_is_string(json_object_get(order, "cancelled_at")) ||
	    says(ost, cancel_words) || says(pst, cancel_words)) {
		snprintf(what, sizeof(what), "%s", json_is_string(
		    json_object_get(order, "cancelled_at")) ? "cancelled at "
		    "the source" : says(ost, cancel_words) ? ost : pst);
		ordercheck_problem(v, "cancelled_at_source", "source_status",
		    "cancelled_at_source", src, what);
	}
	amount = json_object_get(ss, "refunded");
	if (says(ost, refund_words) || says(pst, refund_words) ||
	    (json_is_integer(amount) && json_integer_value(amount) > 0)) {
		snprintf(what, sizeof(what), "%s", says(pst, refund_words) ?
		    pst : says(ost, refund_words) ? ost : "a refund is "
		    "recorded");
		ordercheck_problem(v, "refunded_at_source", "source_status",
		    "refunded_at_source", src, what);
	}
	amount = json_object_get(ss, "outstanding");
	if ((json_is_integer(amount) && json_integer_value(amount) > 0) ||
	    says(pst, unpaid_words) || (says(ost, unpaid_words) &&
	    !says(ost, cancel_words))) {
		if (json_is_integer(amount) && json_integer_value(amount) > 0)
			snprintf(what, sizeof(what), "%" JSON_INTEGER_FORMAT
			    " in minor units still outstanding",
			    json_integer_value(amount));
		else
			snprintf(what, sizeof(what), "%s",
			    says(pst, unpaid_words) ? pst : ost);
		ordercheck_problem(v, "unpaid_at_source", "source_status",
		    "unpaid_at_source", src, what);
	}

	/* What is left to ship: lines that need shipping and have not
	 * gone out, unless the channel ships them. */
	items = json_object_get(order, "items");
	json_array_foreach(items, i, item) {
		rs = json_object_get(item, "requires_shipping");
		if (json_is_false(rs)) {
			no_ship++;
			continue;
		}
		if (line_done(item)) {
			done++;
			continue;
		}
		if (p != NULL && profile_fulfilled_by(p,
		    json_is_string(json_object_get(item, "fulfilled_by")) ?
		    item : order) == PROFILE_MARKETPLACE)
			by_market++;
		to_ship++;
	}
	if ((fst != NULL && strncmp(fst, "un", 2) != 0 &&
	    strstr(fst, "partial") == NULL && says(fst, done_words)) ||
	    json_is_string(json_object_get(ss, "shipped_at")) ||
	    (says(ost, done_words) && strncmp(ost, "un", 2) != 0) ||
	    (to_ship == 0 && done > 0)) {
		if (fst != NULL && says(fst, done_words))
			snprintf(what, sizeof(what), "%s", fst);
		else if (json_is_string(json_object_get(ss, "shipped_at")))
			snprintf(what, sizeof(what), "shipped %s",
			    json_string_value(json_object_get(ss,
			    "shipped_at")));
		else if (says(ost, done_words))
			snprintf(what, sizeof(what), "%s", ost);
		else
			snprintf(what, sizeof(what), "every line fulfilled");
		ordercheck_problem(v, "already_fulfilled", "source_status",
		    "already_fulfilled", src, what);
	} else if (to_ship > 0 && by_market == to_ship)
		ordercheck_problem(v, "fulfilled_by_marketplace",
		    "fulfilled_by", "fulfilled_by_marketplace", src,
		    json_is_string(json_object_get(order, "fulfilled_by")) ?
		    "fulfilled_by marketplace" : "the source's profile",
		    v->source != NULL ? v->source : "NAME");
	else if (to_ship == 0 && no_ship > 0)
		ordercheck_problem(v, "nothing_to_ship", "items",
		    "nothing_to_ship");
	free(ost);
	free(pst);
	free(fst);
}

int
ordercheck_ships(const json_t *item)
{
	return !json_is_false(json_object_get(item, "requires_shipping")) &&
	    !line_done(item);
}
