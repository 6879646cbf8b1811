/* msg.c: choosing the language of messages. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"

int
msg_lang_parse(const char *s, enum msg_lang *lang)
{
	if (strcmp(s, "en") == 0)
		*lang = MSG_EN;
	else if (strcmp(s, "ru") == 0)
		*lang = MSG_RU;
	else if (strcmp(s, "uk") == 0 || strcmp(s, "ua") == 0)
		*lang = MSG_UK;
	else
		return -1;
	return 0;
}

enum msg_lang
msg_lang_env(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i])) == NULL || *v == '\0')
			continue;
		if (strncmp(v, "ru", 2) == 0)
			return MSG_RU;
		if (strncmp(v, "uk", 2) == 0)
			return MSG_UK;
		return MSG_EN;
	}
	return MSG_EN;
}

const char *
msg_format(const struct msg *table, size_t n, const char *key,
    enum msg_lang lang)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(table[i].key, key) != 0)
			continue;
		if (table[i].text[lang] != NULL)
			return table[i].text[lang];
		return table[i].text[MSG_EN];
	}
	return key;
}

const char *
msg_translate(const struct msg *table, size_t n, const char *english,
    enum msg_lang lang)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(table[i].text[MSG_EN], english) == 0)
			return table[i].text[lang] != NULL ?
			    table[i].text[lang] : english;
	return english;
}
