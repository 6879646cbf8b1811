/* msg_test.c: unit tests of lib/msg.h. */
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"
#include "unit.h"

static void
test_lang_parse(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		enum msg_lang	 lang;
	} cases[] = {
		{ "en", 0, MSG_EN }, { "ru", 0, MSG_RU }, { "uk", 0, MSG_UK },
		{ "ua", 0, MSG_UK }, { "", -1, 0 }, { "EN", -1, 0 },
		{ "ru_RU", -1, 0 }, { "de", -1, 0 }, { "r", -1, 0 },
	};
	enum msg_lang lang;
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "msg_lang_parse(\"%s\")",
		    cases[i].s);
		lang = MSG_NLANGS;
		expect_int(what, msg_lang_parse(cases[i].s, &lang), cases[i].rc);
		expect_int(what, lang, cases[i].rc == 0 ? cases[i].lang :
		    MSG_NLANGS);
	}
}

static void
env(const char *lc_all, const char *lc_messages, const char *lang)
{
	static const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *values[] = { lc_all, lc_messages, lang };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (values[i] == NULL)
			unsetenv(names[i]);
		else
			setenv(names[i], values[i], 1);
	}
}

static void
test_lang_env(void)
{
	env(NULL, NULL, NULL);
	expect_int("no locale variables", msg_lang_env(), MSG_EN);
	env(NULL, NULL, "ru_RU.UTF-8");
	expect_int("LANG=ru_RU.UTF-8", msg_lang_env(), MSG_RU);
	env(NULL, NULL, "uk_UA.UTF-8");
	expect_int("LANG=uk_UA.UTF-8", msg_lang_env(), MSG_UK);
	env(NULL, "uk_UA.UTF-8", "ru_RU.UTF-8");
	expect_int("LC_MESSAGES before LANG", msg_lang_env(), MSG_UK);
	env("C", "uk_UA.UTF-8", "ru_RU.UTF-8");
	expect_int("LC_ALL=C before the others", msg_lang_env(), MSG_EN);
	env("", "", "ru_RU.UTF-8");
	expect_int("empty ones are skipped", msg_lang_env(), MSG_RU);
	env(NULL, NULL, "de_DE.UTF-8");
	expect_int("LANG=de_DE.UTF-8", msg_lang_env(), MSG_EN);
	env(NULL, NULL, "C.UTF-8");
	expect_int("LANG=C.UTF-8", msg_lang_env(), MSG_EN);
	env(NULL, NULL, NULL);
}

static void
test_format(void)
{
	static const struct msg table[] = {
		{ "bad_qty", { "qty %d is below 1", "qty %d меньше 1",
		    "qty %d менше 1" } },
		{ "only_en", { "only in English", NULL, NULL } },
		{ "no_uk", { "in English", "по-русски", NULL } },
	};
	size_t n = sizeof(table) / sizeof(table[0]);

	expect_str("bad_qty in en", msg_format(table, n, "bad_qty", MSG_EN),
	    "qty %d is below 1");
	expect_str("bad_qty in ru", msg_format(table, n, "bad_qty", MSG_RU),
	    "qty %d меньше 1");
	expect_str("bad_qty in uk", msg_format(table, n, "bad_qty", MSG_UK),
	    "qty %d менше 1");
	expect_str("only_en in uk", msg_format(table, n, "only_en", MSG_UK),
	    "only in English");
	expect_str("no_uk in ru", msg_format(table, n, "no_uk", MSG_RU),
	    "по-русски");
	expect_str("no_uk in uk", msg_format(table, n, "no_uk", MSG_UK),
	    "in English");
	expect_str("a key not in the table", msg_format(table, n, "missing",
	    MSG_RU), "missing");
	expect_str("an empty table", msg_format(table, 0, "bad_qty", MSG_RU),
	    "bad_qty");
}

int
main(void)
{
	test_lang_parse();
	test_lang_env();
	test_format();
	return unit_summary("msg");
}
