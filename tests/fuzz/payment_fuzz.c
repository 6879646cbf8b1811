/* payment_fuzz.c: the payment providers' reports, one format at a time.
 *
 * Input: one option byte, then the report.  Byte % 8 chooses the
 * provider as pay-reconcile's --provider does: 0 and 7 none (told from the
 * report), 1 stripe, 2 yookassa, 3 paypal, 4 cloudpayments, 5 generic
 * with the acquiring registry's map (scripts/maps), 6 generic with the map
 * before a "%%" line of the input.  Checked: a file opens or is refused
 * as data (65); every transaction has a provider, an id, a known currency
 * and amounts that are not negative; every reject is one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "money.h"
#include "payment.h"
#include "reject.h"
#include "fuzz.h"

static struct fuzz_file report, mapfile, rejfile;

/* scripts/maps/pay-acquiring-registry.map, without its comments. */
static const char registry_map[] =
    "provider = acquiring\n"
    "delimiter = ;\n"
    "id = Номер операции\n"
    "order = Номер заказа\n"
    "amount = Сумма\n"
    "fee = Комиссия\n"
    "currency = Валюта\n"
    "type = Тип\n"
    "status = Статус\n"
    "created = Дата операции\n"
    "time_zone = +03:00\n"
    "email = Email плательщика\n"
    "charge_types = Оплата\n"
    "refund_types = Возврат\n"
    "failed_statuses = Отклонено, Ошибка\n"
    "pending_statuses = В обработке\n";

static const char *const providers[8] = {
	NULL, "stripe", "yookassa", "paypal", "cloudpayments", "generic",
	"generic", NULL,
};

static void
check_txn(const struct payment_txn *t)
{
	fuzz_check(t->provider != NULL && t->id != NULL,
	    "a transaction without provider or id");
	fuzz_check(money_currency(t->currency) != NULL,
	    "a transaction in no known currency");
	fuzz_check(t->amount >= 0 && t->refunded >= 0 && t->fee >= 0,
	    "a negative amount");
	fuzz_check(t->kind <= PAYMENT_OTHER && t->state <= PAYMENT_FAILED,
	    "an unknown kind or state");
	fuzz_check(strlen(t->card_country) < 3 && strlen(t->ip_country) < 3,
	    "a country too long");
}

static unsigned long
check_rejects(void)
{
	const char *p, *end, *nl;
	char *text;
	size_t len;
	json_t *rej;
	json_error_t error;
	unsigned long n = 0;

	text = fuzz_file_get(&rejfile, &len);
	for (p = text, end = text + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		fuzz_check(nl != NULL, "a reject without a line end");
		rej = json_loadb(p, nl - p, JSON_ALLOW_NUL, &error);
		fuzz_check(json_is_object(rej) &&
		    json_array_size(json_object_get(rej, "errors")) > 0,
		    "a reject that is no JSON object with errors");
		json_decref(rej);
		n++;
	}
	free(text);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payment_reader *r;
	struct payment_txn t;
	struct payment_map *map = NULL;
	struct reject_stream rejects;
	const uint8_t *maptext, *text;
	size_t maplen, len;
	const char *provider;
	char errbuf[512];
	int status, mode;

	if (size < 1)
		return 0;
	mode = data[0] % 8;
	provider = providers[mode];
	text = data + 1;
	len = size - 1;
	if (mode == 5) {
		maptext = (const uint8_t *)registry_map;
		maplen = sizeof(registry_map) - 1;
	} else if (mode == 6 && !fuzz_split(text, len, &maptext, &maplen,
	    &text, &len))
		return 0;
	fuzz_quiet(1);
	if (mode == 5 || mode == 6) {
		map = payment_map_load(fuzz_file_set(&mapfile, maptext,
		    maplen), errbuf, sizeof(errbuf), &status);
		if (map == NULL) {
			fuzz_check(status == EX_CONFIG,
			    "a bad map not refused with 78");
			fuzz_quiet(0);
			return 0;
		}
	}
	reject_open(&rejects, fuzz_file_set(&rejfile, "", 0));
	r = payment_open(fuzz_file_set(&report, text, len), provider, map,
	    &status);
	fuzz_check(r != NULL ? status == 0 : status == EX_DATAERR,
	    "payment_open: neither a reader nor 65");
	if (r != NULL) {
		while (payment_next(r, &t, &rejects))
			check_txn(&t);
		fuzz_check(payment_close(r) == 0, "payment_close failed");
	}
	fuzz_check(reject_close(&rejects) == 0, "reject_close failed");
	fuzz_check(check_rejects() == rejects.count, "rejects miscounted");
	payment_map_free(map);
	fuzz_quiet(0);
	return 0;
}
