/* jsonx_test.c: unit tests of lib/jsonx.h. */
#include <stdlib.h>

#include <jansson.h>

#include "jsonx.h"
#include "unit.h"

static void
test_set_and_append(void)
{
	json_t *o, *a;
	char *text;

	if ((o = json_object()) == NULL || (a = json_array()) == NULL)
		abort();
	jsonx_set_new(o, "id", json_string("SHOP-1"));
	jsonx_set_new(o, "qty", json_integer(2));
	jsonx_set_new(o, "id", json_string("SHOP-2"));	/* replaces */
	jsonx_append_new(a, json_string("a"));
	jsonx_append_new(a, jsonx_string_or_null(NULL));
	jsonx_append_new(a, jsonx_string_or_null("b"));
	jsonx_set_new(o, "list", a);
	text = jsonx_text(o);
	expect_str("object built", text,
	    "{\"id\":\"SHOP-2\",\"qty\":2,\"list\":[\"a\",null,\"b\"]}");
	free(text);
	json_decref(o);
}

static void
test_text(void)
{
	json_t *v;
	char *text;

	/* As jsonl_write() writes it: UTF-8 kept, no newline. */
	if ((v = json_pack("{s:s,s:[]}", "city", "Москва", "e")) == NULL)
		abort();
	text = jsonx_text(v);
	expect_str("compact, UTF-8 as is", text,
	    "{\"city\":\"Москва\",\"e\":[]}");
	free(text);
	json_decref(v);
	if ((v = json_array()) == NULL)
		abort();
	text = jsonx_text(v);
	expect_str("an empty array", text, "[]");
	free(text);
	json_decref(v);
}

/* jsonx_set_text(): only a text with something in it is set. */
static void
test_set_text(void)
{
	json_t *o = jsonx_object();
	char *text;

	jsonx_set_text(o, "city", "Moscow");
	jsonx_set_text(o, "line2", "");
	jsonx_set_text(o, "region", NULL);
	text = jsonx_text(o);
	expect_str("empty and NULL left out", text, "{\"city\":\"Moscow\"}");
	free(text);
	json_decref(o);
}

int
main(void)
{
	test_set_and_append();
	test_set_text();
	test_text();
	return unit_summary("jsonx");
}
