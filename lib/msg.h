/* msg.h: messages for people in English, Russian and Ukrainian. */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>

enum msg_lang { MSG_EN, MSG_RU, MSG_UK, MSG_NLANGS };

/* A message in each language: printf(3) formats that take the same
 * arguments in the same order. */
struct msg {
	const char	*key;
	const char	*text[MSG_NLANGS];
};

/* The language named by s ("en", "ru", "uk"; "ua" is taken for "uk"):
 * 0, or -1 when there is no such language. */
int		 msg_lang_parse(const char *s, enum msg_lang *);

/* The language of the environment: the first of LC_ALL, LC_MESSAGES and
 * LANG that is set and not empty, when it starts with "ru" or "uk";
 * English otherwise. */
enum msg_lang	 msg_lang_env(void);

/* The format for key in lang from table (of n entries, in any order); the
 * English one when lang has none; the key itself when the table lacks it. */
const char	*msg_format(const struct msg *table, size_t n, const char *key,
		    enum msg_lang lang);

/* The format in lang of the entry of table whose English text is english
 * (a reject message as the code writes it: its printf(3) format, or the
 * whole message); english itself when the table lacks it or has no such
 * language. */
const char	*msg_translate(const struct msg *table, size_t n,
		    const char *english, enum msg_lang lang);

/* The reject messages of the programs and lib/ (lib/msgtab.c), keyed by
 * reject code; reject_add() and reject_addf() look them up by their
 * English text. */
extern const struct msg	msg_rejects[];
extern const size_t	msg_nrejects;

#endif
