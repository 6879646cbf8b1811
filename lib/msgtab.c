/* msgtab.c: the reject messages of the programs and lib/ in Russian and
 * Ukrainian, found by their English text (msg_translate()); the codes stay
 * as they are in every language.  Each text must equal, byte for byte,
 * the format or the message the code passes to reject_add() or
 * reject_addf(): a text that differs is left in English. */
#include <inttypes.h>
#include <stddef.h>

#include <jansson.h>

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
	{ "transaction_taken", { "transaction '%s' belongs to order '%s'%s%s, "
	    "%s",
	    "транзакция '%s' относится к заказу '%s'%s%s, %s",
	    "транзакція '%s' належить замовленню '%s'%s%s, %s" } },
	{ "transaction_taken", { " from ", " из ", " з " } },
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
	/* pay-reconcile's payment reports, lib/payment/ */
	{ "bad_payment", { "a CloudPayments object without TransactionId",
	    "объект CloudPayments без TransactionId",
	    "об'єкт CloudPayments без TransactionId" } },
	{ "bad_currency", { "the currency is missing",
	    "не указана валюта",
	    "не вказано валюту" } },
	{ "bad_currency", { "'%.40s' is not an ISO 4217 currency code",
	    "'%.40s' не код валюты ISO 4217",
	    "'%.40s' не код валюти ISO 4217" } },
	{ "amount_overflow", { "%s %s %s has no positive amount that fits",
	    "%s %s %s: нет положительной суммы, которая уместится",
	    "%s %s %s: немає додатної суми, що вміститься" } },
	{ "bad_amount", { "the %s is missing",
	    "не указано %s",
	    "не вказано %s" } },
	{ "bad_amount", { "%s '%.40s' is too long",
	    "%s '%.40s' слишком длинное",
	    "%s '%.40s' задовге" } },
	{ "bad_amount", { "%s '%.40s' has more decimals than the currency",
	    "в %s '%.40s' больше знаков после запятой, чем у валюты",
	    "у %s '%.40s' більше знаків після коми, ніж у валюти" } },
	{ "bad_amount", { "%s '%.40s' is too large",
	    "%s '%.40s' слишком велико",
	    "%s '%.40s' завелике" } },
	{ "bad_amount", { "%s '%.40s' is not an amount",
	    "%s '%.40s' не сумма",
	    "%s '%.40s' не сума" } },
	{ "bad_amount", { "%s '%.40s' is not a whole number of minor units",
	    "%s '%.40s' не целое число копеек (центов)",
	    "%s '%.40s' не ціле число копійок (центів)" } },
	{ "bad_amount", { "%s is too large",
	    "%s слишком велико",
	    "%s завелике" } },
	{ "bad_amount", { "the %s is not a number",
	    "%s не число",
	    "%s не число" } },
	{ "bad_time", { "%s '%.40s' is not a time",
	    "%s '%.40s' не время",
	    "%s '%.40s' не час" } },
	{ "bad_payment", { "the id column '%s' is empty",
	    "столбец id '%s' пуст",
	    "стовпець id '%s' порожній" } },
	{ "bad_time", { "'%.40s' is not a time",
	    "'%.40s' не время",
	    "'%.40s' не час" } },
	{ "bad_payment", { "not a JSON object",
	    "не объект JSON",
	    "не об'єкт JSON" } },
	{ "bad_payment", { "not a transaction of Stripe, YooKassa, PayPal or "
	    "CloudPayments",
	    "не транзакция Stripe, YooKassa, PayPal или CloudPayments",
	    "не транзакція Stripe, YooKassa, PayPal або CloudPayments" } },
	{ "bad_payment", { "a %s transaction, not %s",
	    "транзакция %s, а не %s",
	    "транзакція %s, а не %s" } },
	{ "bad_amount", { "the amount refunded is negative",
	    "сумма возврата отрицательна",
	    "сума повернення від'ємна" } },
	{ "bad_amount", { "the fee is negative",
	    "комиссия отрицательна",
	    "комісія від'ємна" } },
	{ "bad_amount", { "amount %s %s is negative",
	    "сумма %s %s отрицательна",
	    "сума %s %s від'ємна" } },
	{ "bad_payment", { "a PayPal transaction without transaction_id",
	    "транзакция PayPal без transaction_id",
	    "транзакція PayPal без transaction_id" } },
	{ "bad_payment", { "a PayPal resource without an id",
	    "ресурс PayPal без id",
	    "ресурс PayPal без id" } },
	{ "bad_payment", { "Transaction ID is empty",
	    "Transaction ID пуст",
	    "Transaction ID порожній" } },
	{ "bad_time", { "Date '%.20s' Time '%.20s' is not a time",
	    "Date '%.20s' Time '%.20s' не время",
	    "Date '%.20s' Time '%.20s' не час" } },
	{ "bad_payment", { "a Stripe %s without an id",
	    "%s Stripe без id",
	    "%s Stripe без id" } },
	{ "bad_payment", { "balance_transaction_id is empty",
	    "balance_transaction_id пуст",
	    "balance_transaction_id порожній" } },
	{ "bad_payment", { "id is empty",
	    "id пуст",
	    "id порожній" } },
	{ "amount_overflow", { "the fee, amount less income_amount, does not "
	    "fit",
	    "комиссия (amount минус income_amount) не умещается",
	    "комісія (amount мінус income_amount) не вміщується" } },
	{ "bad_payment", { "a YooKassa object without an id",
	    "объект YooKassa без id",
	    "об'єкт YooKassa без id" } },
	{ "bad_json", { "not JSON: a NUL byte at column %zu",
	    "не JSON: байт NUL в столбце %zu",
	    "не JSON: байт NUL у стовпці %zu" } },
	{ "bad_json", { "not JSON: %s at line %d",
	    "не JSON: %s (строка %d)",
	    "не JSON: %s (рядок %d)" } },
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
	/* order-import, lib/import/ */
	{ "bad_encoding", { "line %lu: text that is not %s (try --encoding)",
	    "строка %lu: текст не в кодировке %s (попробуйте --encoding)",
	    "рядок %lu: текст не в кодуванні %s (спробуйте --encoding)" } },
	{ "bad_row", { "line %lu: %zu fields where the header has %zu (a row "
	    "cut short?)",
	    "строка %lu: %zu полей, а в заголовке %zu (строка обрезана?)",
	    "рядок %lu: %zu полів, а в заголовку %zu (рядок обрізано?)" } },
	{ "bad_row", { "line %lu: %zu fields where the header has %zu",
	    "строка %lu: %zu полей, а в заголовке %zu",
	    "рядок %lu: %zu полів, а в заголовку %zu" } },
	{ "bad_currency", { "line %lu: currencyCode %" JSON_INTEGER_FORMAT
	    " is not one this program knows",
	    "строка %lu: currencyCode %" JSON_INTEGER_FORMAT " этой программе "
	    "неизвестен",
	    "рядок %lu: currencyCode %" JSON_INTEGER_FORMAT " цій програмі "
	    "невідомий" } },
	{ "bad_amount", { "line %lu: '%s' is not an amount",
	    "строка %lu: '%s' не сумма",
	    "рядок %lu: '%s' не сума" } },
	{ "currency_mismatch", { "line %lu: '%s' is in %s, but the order is "
	    "in %s",
	    "строка %lu: '%s' в %s, а заказ в %s",
	    "рядок %lu: '%s' у %s, а замовлення у %s" } },
	{ "bad_precision", { "line %lu: '%s' has more decimals than %s has "
	    "(%d)",
	    "строка %lu: в '%s' больше знаков после запятой, чем у %s (%d)",
	    "рядок %lu: у '%s' більше знаків після коми, ніж у %s (%d)" } },
	{ "bad_amount", { "line %lu: '%s' is too large",
	    "строка %lu: '%s' слишком велико",
	    "рядок %lu: '%s' завелике" } },
	{ "bad_currency", { "line %lu: '%s' is not an ISO 4217 currency code",
	    "строка %lu: '%s' не код валюты ISO 4217",
	    "рядок %lu: '%s' не код валюти ISO 4217" } },
	{ "no_currency", { "the order names no currency and has no currency "
	    "sign; give --currency",
	    "в заказе нет ни валюты, ни знака валюты; укажите --currency",
	    "у замовленні немає ні валюти, ні знака валюти; вкажіть "
	    "--currency" } },
	{ "bad_qty", { "line %lu: no quantity",
	    "строка %lu: нет количества",
	    "рядок %lu: немає кількості" } },
	{ "qty_too_large", { "line %lu: quantity '%s' is over %d, more than "
	    "any order holds",
	    "строка %lu: количество '%s' больше %d, больше, чем бывает в "
	    "заказе",
	    "рядок %lu: кількість '%s' більша за %d, більше, ніж буває в "
	    "замовленні" } },
	{ "bad_qty", { "line %lu: quantity '%s' is below 1",
	    "строка %lu: количество '%s' меньше 1",
	    "рядок %lu: кількість '%s' менша за 1" } },
	{ "qty_too_large", { "line %lu: quantity '%s' is too large to be a "
	    "number",
	    "строка %lu: количество '%s' слишком велико для числа",
	    "рядок %lu: кількість '%s' завелика для числа" } },
	{ "ambiguous_qty", { "line %lu: quantity '%s' reads as thousands or "
	    "as a fraction: the map names no decimal separator (add a "
	    "'decimal' line)",
	    "строка %lu: количество '%s' читается и как тысячи, и как дробь: "
	    "в карте не задан десятичный разделитель (добавьте строку "
	    "'decimal')",
	    "рядок %lu: кількість '%s' читається і як тисячі, і як дріб: у "
	    "мапі не задано десятковий роздільник (додайте рядок "
	    "'decimal')" } },
	{ "bad_qty", { "line %lu: quantity '%s' is not a whole number",
	    "строка %lu: количество '%s' не целое число",
	    "рядок %lu: кількість '%s' не ціле число" } },
	{ "bad_amount", { "line %lu: unit price '%s' is negative (a discount "
	    "goes in its own column)",
	    "строка %lu: цена '%s' отрицательна (скидка идёт в свой столбец)",
	    "рядок %lu: ціна '%s' від'ємна (знижка йде у свій стовпець)" } },
	{ "bad_amount", { "line %lu: line total '%s' for a quantity of 0",
	    "строка %lu: сумма строки '%s' при количестве 0",
	    "рядок %lu: сума рядка '%s' при кількості 0" } },
	{ "bad_amount", { "line %lu: line total '%s' is negative",
	    "строка %lu: сумма строки '%s' отрицательна",
	    "рядок %lu: сума рядка '%s' від'ємна" } },
	{ "bad_amount", { "line %lu: no price",
	    "строка %lu: нет цены",
	    "рядок %lu: немає ціни" } },
	{ "amount_overflow", { "the amounts are too large to add up",
	    "суммы слишком велики, чтобы их сложить",
	    "суми завеликі, щоб їх додати" } },
	{ "missing_id", { "line %lu: no order number",
	    "строка %lu: нет номера заказа",
	    "рядок %lu: немає номера замовлення" } },
	{ "bad_date", { "line %lu: '%s' is a date in no known form",
	    "строка %lu: '%s' дата в неизвестном виде",
	    "рядок %lu: '%s' дата в невідомому вигляді" } },
	{ "bad_country", { "line %lu: '%s' is no country this program knows; "
	    "give an ISO code",
	    "строка %lu: '%s' страна, которой программа не знает; укажите "
	    "код ISO",
	    "рядок %lu: '%s' країна, якої програма не знає; вкажіть код "
	    "ISO" } },
	/* ship-book */
	{ "no_carrier", { "no carrier: not in the record, not given with "
	    "--carrier, no [shop] carrier",
	    "нет перевозчика: ни в записи, ни в --carrier, ни в [shop] "
	    "carrier",
	    "немає перевізника: ні в записі, ні в --carrier, ні в [shop] "
	    "carrier" } },
	{ "unknown_carrier", { "no adapter for carrier '%s'",
	    "нет адаптера для перевозчика '%s'",
	    "немає адаптера для перевізника '%s'" } },
	{ "no_booking_api", { "carrier '%s' has no booking in its API; book it "
	    "by hand",
	    "у перевозчика '%s' нет оформления в API; оформите вручную",
	    "у перевізника '%s' немає оформлення в API; оформіть вручну" } },
	{ "no_id", { "a record without an id cannot be booked once",
	    "запись без id нельзя оформить ровно один раз",
	    "запис без id не можна оформити рівно один раз" } },
	{ "not_returnable", { "only records with status return_open and a "
	    "return section are booked with --return",
	    "с --return оформляются только записи со статусом return_open и "
	    "разделом return",
	    "з --return оформлюються лише записи зі статусом return_open і "
	    "розділом return" } },
	{ "not_payable", { "status '%s' is neither paid nor cod: only paid and "
	    "cash-on-delivery orders are booked",
	    "статус '%s' ни paid, ни cod: оформляются только оплаченные "
	    "заказы и заказы с наложенным платежом",
	    "статус '%s' ні paid, ні cod: оформлюються лише сплачені "
	    "замовлення і замовлення з накладеним платежем" } },
	{ "no_pickup_point", { "delivery to a pickup point without the point",
	    "доставка в пункт выдачи без пункта",
	    "доставка до пункту видачі без пункту" } },
	{ "not_booked", { "no booked parcels to cancel",
	    "нет оформленных посылок для отмены",
	    "немає оформлених посилок для скасування" } },
	{ "not_booked", { "parcel %zu has no carrier_ref",
	    "у посылки %zu нет carrier_ref",
	    "у посилки %zu немає carrier_ref" } },
	/* track-poll */
	{ "no_tracking_number", { "no tracking number to follow",
	    "нет трек-номера для отслеживания",
	    "немає трек-номера для відстеження" } },
	{ "too_many_parcels", { "more parcels than one run polls together",
	    "посылок больше, чем один запуск опрашивает за раз",
	    "посилок більше, ніж один запуск опитує за раз" } },
	/* order-export */
	{ "bad_amount", { "%s is %s, not a whole number of minor units",
	    "%s равно %s, а не целому числу копеек (центов)",
	    "%s дорівнює %s, а не цілому числу копійок (центів)" } },
	{ "missing_field", { "no currency for the amounts",
	    "нет валюты для сумм",
	    "немає валюти для сум" } },
	{ "bad_currency", { "'%.40s' is not an ISO 4217 currency code",
	    "'%.40s' не код валюты ISO 4217",
	    "'%.40s' не код валюти ISO 4217" } },
	{ "bad_currency", { "currency is not a string",
	    "currency не строка",
	    "currency не рядок" } },
	{ "missing_field", { "no order id",
	    "нет id заказа",
	    "немає id замовлення" } },
	{ "bad_type", { "id is neither a string nor a whole number",
	    "id ни строка, ни целое число",
	    "id ні рядок, ні ціле число" } },
	{ "bad_type", { "items is not an array",
	    "items не массив",
	    "items не масив" } },
	{ "bad_type", { "%s is not an object",
	    "%s не объект",
	    "%s не об'єкт" } },
	{ "carrier_error", { "parcel %zu (%s): %s",
	    "посылка %zu (%s): %s",
	    "посилка %zu (%s): %s" } },
};

const size_t msg_nrejects = sizeof(msg_rejects) / sizeof(msg_rejects[0]);
