/* msgtab.c: the reject messages of the programs and lib/ in Russian and
 * Ukrainian, found by their English text (msg_translate()); the codes stay
 * as they are in every language.  Each text must equal, byte for byte,
 * the format or the message the code passes to reject_add() or
 * reject_addf(): a text that differs is left in English. */
#include <inttypes.h>
#include <stddef.h>

#include "msg.h"

const struct msg msg_rejects[] = {
	/* order-reserve */
	{ "bad_id", { "the order has no id (a text or a whole number)",
	    "у заказа нет id (текста или целого числа)",
	    "у замовлення немає id (тексту або цілого числа)" } },
	{ "bad_source", { "the order's source is not a text",
	    "source заказа не текст",
	    "source замовлення не текст" } },
	{ "no_items", { "the order has no items",
	    "в заказе нет ни одного товара",
	    "у замовленні немає жодного товару" } },
	{ "bad_sku", { "the item has no sku",
	    "у товара нет sku",
	    "у товару немає sku" } },
	{ "bad_qty", { "qty is not a whole number from 1 to 1000000000",
	    "qty не целое число от 1 до 1000000000",
	    "qty не ціле число від 1 до 1000000000" } },
	{ "order_changed", { "order %s was reserved with other items, and "
	    "its reservation stands as it was",
	    "заказ %s был зарезервирован с другими товарами, и его резерв "
	    "остаётся прежним",
	    "замовлення %s було зарезервовано з іншими товарами, і його "
	    "резерв лишається як був" } },
	{ "reservation_closed", { "the reservation of order %s was %s",
	    "резерв заказа %s уже в состоянии %s",
	    "резерв замовлення %s уже в стані %s" } },
	{ "not_reserved", { "order %s has no reservation",
	    "у заказа %s нет резерва",
	    "у замовлення %s немає резерву" } },
	{ "already_committed", { "order %s has shipped: its stock is gone",
	    "заказ %s отгружен: его товар уже списан",
	    "замовлення %s відвантажено: його товар уже списано" } },
	/* lib/reserve.c */
	{ "backorder", { "SKU '%s': %" PRId64 " wanted, %" PRId64 " in stock",
	    "SKU '%s': нужно %" PRId64 ", в наличии %" PRId64,
	    "SKU '%s': потрібно %" PRId64 ", у наявності %" PRId64 } },
	{ "split_needed", { "no one warehouse has all the items; --split "
	    "would ship them in several parcels",
	    "ни на одном складе нет всех товаров; с --split они уйдут "
	    "несколькими посылками",
	    "жоден склад не має всіх товарів; з --split вони підуть "
	    "кількома посилками" } },
	{ "unknown_sku", { "SKU '%s' is not stocked in any warehouse",
	    "SKU '%s' нет ни на одном складе",
	    "SKU '%s' немає на жодному складі" } },
	/* pay-reconcile */
	{ "amount_overflow", { "the %s add up to more than %s %s, the most "
	    "an amount can be",
	    "%s в сумме больше %s %s, наибольшей возможной суммы",
	    "%s разом більше за %s %s, найбільшу можливу суму" } },
	{ "missing_field", { "the order has no id",
	    "у заказа нет id",
	    "у замовлення немає id" } },
	{ "bad_amount", { "totals.total must be a whole number of minor "
	    "units",
	    "totals.total должно быть целым числом в копейках (центах)",
	    "totals.total має бути цілим числом у копійках (центах)" } },
	{ "bad_currency", { "the order's currency is not an ISO 4217 code",
	    "валюта заказа не код ISO 4217",
	    "валюта замовлення не код ISO 4217" } },
	{ "unpaid", { "no payment was captured for %s %s",
	    "оплата %s %s не поступила",
	    "оплата %s %s не надійшла" } },
	{ "pending", { "the payment is authorised or in progress, not "
	    "captured",
	    "платёж авторизован или в обработке, но не списан",
	    "платіж авторизовано або він в обробці, але не списаний" } },
	{ "underpaid", { "paid %s of %s %s",
	    "оплачено %s из %s %s",
	    "сплачено %s з %s %s" } },
	{ "overpaid", { "paid %s for %s %s",
	    "оплачено %s за %s %s",
	    "сплачено %s за %s %s" } },
	{ "duplicate", { "captured %u times, %s for %s %s",
	    "списано %u раз(а), %s за %s %s",
	    "списано %u раз(и), %s за %s %s" } },
	{ "currency_mismatch", { "a payment is in another currency than the "
	    "order's %s",
	    "платёж в другой валюте, чем заказ (%s)",
	    "платіж в іншій валюті, ніж замовлення (%s)" } },
	{ "refunded", { "all that was paid was refunded",
	    "всё оплаченное возвращено",
	    "усе сплачене повернуто" } },
	{ "partially_refunded", { "%s of %s %s kept after refunds",
	    "после возвратов осталось %s из %s %s",
	    "після повернень лишилося %s з %s %s" } },
	{ "transaction_taken", { "transaction '%s' belongs to order '%s', %s",
	    "транзакция '%s' относится к заказу '%s', %s",
	    "транзакція '%s' належить замовленню '%s', %s" } },
	{ "transaction_taken", { "which the provider names",
	    "который указал провайдер",
	    "яке вказав провайдер" } },
	{ "transaction_taken", { "which claimed it first",
	    "который заявил её первым",
	    "яке заявило її першим" } },
	{ "risk_hold", { "risk score %d is at or above --hold-risk %ld: check "
	    "the order by hand",
	    "оценка риска %d не ниже --hold-risk %ld: проверьте заказ "
	    "вручную",
	    "оцінка ризику %d не нижча за --hold-risk %ld: перевірте "
	    "замовлення вручну" } },
	/* stock-load */
	{ "missing_field", { "no sku", "нет sku", "немає sku" } },
	{ "bad_sku", { "sku must be 1 to 200 bytes of UTF-8 text without "
	    "control characters",
	    "sku должен быть текстом UTF-8 от 1 до 200 байт без управляющих "
	    "символов",
	    "sku має бути текстом UTF-8 від 1 до 200 байтів без керівних "
	    "символів" } },
	{ "unknown_sku", { "there is no product with SKU '%s' in the catalog",
	    "в каталоге нет товара с SKU '%s'",
	    "у каталозі немає товару з SKU '%s'" } },
	{ "missing_field", { "no warehouse (give a warehouse column or "
	    "--warehouse)",
	    "нет склада (нужен столбец warehouse или --warehouse)",
	    "немає складу (потрібен стовпець warehouse або --warehouse)" } },
	{ "bad_warehouse", { "warehouse must be 1 to 200 bytes of UTF-8 text "
	    "without control characters",
	    "warehouse должен быть текстом UTF-8 от 1 до 200 байт без "
	    "управляющих символов",
	    "warehouse має бути текстом UTF-8 від 1 до 200 байтів без "
	    "керівних символів" } },
	{ "missing_field", { "no qty", "нет qty", "немає qty" } },
	{ "bad_qty", { "qty '%s' is not a whole number",
	    "qty '%s' не целое число",
	    "qty '%s' не ціле число" } },
	{ "negative_qty", { "qty %" PRId64 " is below zero",
	    "qty %" PRId64 " меньше нуля",
	    "qty %" PRId64 " менше нуля" } },
	{ "bad_priority", { "priority '%s' is not a whole number",
	    "priority '%s' не целое число",
	    "priority '%s' не ціле число" } },
	{ "bad_regions", { "regions must be texts separated by ';'",
	    "regions должны быть текстами через ';'",
	    "regions мають бути текстами через ';'" } },
	{ "bad_qty", { "%s %s is not a whole number",
	    "%s %s не целое число",
	    "%s %s не ціле число" } },
	{ "bad_field", { "%s has the wrong type",
	    "у %s неверный тип",
	    "%s має неправильний тип" } },
	{ "bad_header", { "the first row must name the columns: sku, "
	    "warehouse (unless --warehouse is given) and qty; priority and "
	    "regions are optional",
	    "первая строка должна называть столбцы: sku, warehouse (если не "
	    "задан --warehouse) и qty; priority и regions необязательны",
	    "перший рядок має називати стовпці: sku, warehouse (якщо не "
	    "задано --warehouse) і qty; priority і regions необов'язкові" } },
	{ "bad_header", { "the file has no usable header",
	    "в файле нет пригодного заголовка",
	    "у файлі немає придатного заголовка" } },
	{ "bad_csv", { "the row holds a NUL byte",
	    "в строке есть байт NUL",
	    "у рядку є байт NUL" } },
	{ "below_zero", { "%" PRId64 " would leave %" PRId64 " on hand of '%s' "
	    "in '%s'",
	    "%" PRId64 " оставит %" PRId64 " в наличии '%s' на складе '%s'",
	    "%" PRId64 " залишить %" PRId64 " у наявності '%s' на складі "
	    "'%s'" } },
	{ "below_reserved", { "%" PRId64 " on hand of '%s' in '%s' would be "
	    "fewer than the %" PRId64 " reserved; release or commit "
	    "reservations first",
	    "%" PRId64 " в наличии '%s' на складе '%s' будет меньше, чем "
	    "%" PRId64 " в резерве; сначала снимите или спишите резервы",
	    "%" PRId64 " у наявності '%s' на складі '%s' буде менше, ніж "
	    "%" PRId64 " у резерві; спершу зніміть або спишіть резерви" } },
	/* lib/parcel.c (ship-book) */
	{ "too_heavy", { "parcel %d of %d: its weight or value does not fit "
	    "in 64 bits",
	    "посылка %d из %d: её вес или ценность не умещается в 64 бита",
	    "посилка %d з %d: її вага або цінність не вміщується в 64 "
	    "біти" } },
	{ "no_weight", { "no weight_g for sku '%s' in the catalog, and no "
	    "[parcel] weight_g for the parcel",
	    "в каталоге нет weight_g для sku '%s', и нет [parcel] weight_g "
	    "для посылки",
	    "у каталозі немає weight_g для sku '%s', і немає [parcel] "
	    "weight_g для посилки" } },
	{ "bad_reservation", { "a reservation line needs a sku, a warehouse "
	    "and a qty above 0",
	    "строке резерва нужны sku, склад и qty больше 0",
	    "рядку резерву потрібні sku, склад і qty більше 0" } },
	{ "bad_item", { "an item without a sku cannot be packed",
	    "товар без sku нельзя упаковать",
	    "товар без sku не можна запакувати" } },
	{ "bad_item", { "qty is not a whole number above 0",
	    "qty не целое число больше 0",
	    "qty не ціле число більше 0" } },
	{ "no_items", { "the order has no items to ship",
	    "в заказе нет товаров для отправки",
	    "у замовленні немає товарів для відправлення" } },
	/* ship-book */
	{ "carrier_error", { "parcel %zu (%s): %s",
	    "посылка %zu (%s): %s",
	    "посилка %zu (%s): %s" } },
};

const size_t msg_nrejects = sizeof(msg_rejects) / sizeof(msg_rejects[0]);
