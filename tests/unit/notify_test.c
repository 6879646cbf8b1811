/* notify_test.c: unit tests of lib/notify.h: money for people, escaping,
 * rendering, masks, events. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "notify.h"
#include "unit.h"

#define NB	"\xc2\xa0"

static void
test_money(void)
{
	char buf[96];

	expect_str("en", notify_money(289900, "USD", "en", buf, sizeof(buf)),
	    "2,899.00 USD");
	expect_str("ru RUB", notify_money(289900, "RUB", "ru", buf,
	    sizeof(buf)), "2" NB "899,00" NB "\xe2\x82\xbd");
	expect_str("uk UAH", notify_money(100, "UAH", "uk", buf, sizeof(buf)),
	    "1,00" NB "\xe2\x82\xb4");
	expect_str("ru EUR", notify_money(-123456789, "EUR", "ru", buf,
	    sizeof(buf)), "-1" NB "234" NB "567,89" NB "EUR");
	expect_str("JPY has no decimals", notify_money(1500000, "JPY", "en",
	    buf, sizeof(buf)), "1,500,000 JPY");
	expect_str("KWD has three", notify_money(3755, "KWD", "en", buf,
	    sizeof(buf)), "3.755 KWD");
	expect_str("under a thousand", notify_money(5, "EUR", "en", buf,
	    sizeof(buf)), "0.05 EUR");
}

static void
test_escape(void)
{
	char *s;

	s = notify_escape("a & <b> \"c\" 'd'", NOTIFY_ESC_HTML);
	expect_str("HTML", s, "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;");
	free(s);
	s = notify_escape("a & <b> \"c\"", NOTIFY_ESC_TELEGRAM);
	expect_str("Telegram", s, "a &amp; &lt;b&gt; \"c\"");
	free(s);
	s = notify_escape("<!channel> & *x*", NOTIFY_ESC_SLACK);
	expect_str("Slack", s, "&lt;!channel&gt; &amp; *x*");
	free(s);
	s = notify_escape("a & <b>", NOTIFY_ESC_NONE);
	expect_str("none", s, "a & <b>");
	free(s);
}

static void
test_render(void)
{
	const char conf_text[] = "[shop]\nname = Shop\n"
	    "[carrier \"cdek\"]\ntracking_url = https://t.example/{number}\n";
	char err[200], *bad, *s;
	struct notify_fields f;
	struct conf *c;
	json_t *rec;
	int bad_template;

	c = conf_parse("t.conf", conf_text, sizeof(conf_text) - 1, err,
	    sizeof(err));
	rec = json_loads("{\"id\":\"S-1\",\"currency\":\"USD\","
	    "\"customer\":{\"name\":\"A<B\"},\"totals\":{\"total\":1250},"
	    "\"items\":[{\"sku\":\"X\"}],\"shipment\":{\"carrier\":\"CDEK\","
	    "\"parcels\":[{\"tracking_number\":\"123\"}]}}", 0, NULL);
	f.rec = rec;
	f.conf = c;
	f.lang = "en";
	f.problem = NULL;
	s = notify_render("{{order.id}}/{{ id }}: {{ totals.total | money }} "
	    "{{items[0].sku}} {{shop.name}} {{tracking.url}} {{customer.name}}",
	    &f, NOTIFY_ESC_HTML, &bad, &bad_template);
	expect_str("fields", s,
	    "S-1/S-1: 12.50 USD X Shop https://t.example/123 A&lt;B");
	free(s);
	s = notify_render("{{ return.rma }}", &f, NOTIFY_ESC_NONE, &bad,
	    &bad_template);
	expect_true("missing: no text", s == NULL);
	expect_str("missing: named", bad, "return.rma");
	expect_int("missing: not the template's fault", bad_template, 0);
	free(bad);
	s = notify_render("{{ id | shout }}", &f, NOTIFY_ESC_NONE, &bad,
	    &bad_template);
	expect_true("unknown filter", s == NULL && bad_template == 1);
	free(bad);
	s = notify_render("a {{ id", &f, NOTIFY_ESC_NONE, &bad, &bad_template);
	expect_true("unclosed", s == NULL && bad_template == 1);
	free(bad);
	s = notify_render("{{ customer.name | money }}", &f, NOTIFY_ESC_NONE,
	    &bad, &bad_template);
	expect_true("money of a name", s == NULL && bad_template == 0);
	free(bad);
	json_decref(rec);
	conf_free(c);
}

static void
test_mask_and_events(void)
{
	json_t *rec;
	char *s;
	int staff;

	s = notify_mask("email", "anna@example.ru");
	expect_str("email", s, "a***@example.ru");
	free(s);
	s = notify_mask("sms", "+79161234567");
	expect_str("phone", s, "+7916***4567");
	free(s);
	s = notify_mask("slack", "staff");
	expect_str("slack", s, "staff");
	free(s);

	rec = json_loads("{\"status\":\"return_open\",\"tracking\":"
	    "{\"status\":\"delivered\"}}", 0, NULL);
	expect_str("the return first", notify_event_auto(rec, &staff),
	    "return_opened");
	json_decref(rec);
	rec = json_loads("{\"status\":\"shipped\",\"tracking\":"
	    "{\"status\":\"available_for_pickup\"}}", 0, NULL);
	expect_str("tracking before status", notify_event_auto(rec, &staff),
	    "ready_for_pickup");
	expect_int("a customer's", staff, 0);
	json_decref(rec);
	rec = json_loads("{\"status\":\"paid\",\"errors\":[{\"code\":"
	    "\"underpaid\"}]}", 0, NULL);
	expect_str("a reject's code", notify_event_auto(rec, &staff),
	    "underpaid");
	expect_int("the staff's", staff, 1);
	json_decref(rec);
	rec = json_loads("{\"errors\":[{\"code\":\"bad_qty\"}]}", 0, NULL);
	expect_str("another code", notify_event_auto(rec, &staff),
	    "rejected");
	json_decref(rec);
	rec = json_loads("{\"status\":\"new\"}", 0, NULL);
	expect_true("nothing to say", notify_event_auto(rec, &staff) == NULL);
	json_decref(rec);
}

int
main(void)
{
	test_money();
	test_escape();
	test_render();
	test_mask_and_events();
	return unit_summary("notify");
}
