/* telegram.c: the Telegram channel: the Bot API's sendMessage, in
 * Telegram's HTML. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "notify.h"
#include "xalloc.h"

#define TELEGRAM_URL	"https://api.telegram.org"

/* A chat id is a 64-bit integer, or a channel's "@name". */
static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	json_t *chat;
	char *end;
	long long id;

	(void)c;
	id = strtoll(m->recipient, &end, 10);
	chat = *m->recipient != '\0' && *end == '\0' ? json_integer(id) :
	    json_string(m->recipient);
	return notify_json_body(json_pack("{s:o,s:s,s:s,s:b}", "chat_id", chat,
	    "text", m->text, "parse_mode", "HTML", "disable_web_page_preview",
	    1), len);
}

static void
done(struct http_request *r)
{
	notify_http_end(r->arg2, r, r->arg, "result.message_id",
	    "error_code");
}

static void
send_(struct notify_channel *c, struct notify_msg *m)
{
	struct http_request *r;
	const char *base, *token;
	char *body, *url;
	size_t len;

	token = conf_need(c->conf, "telegram", NULL, "token");
	if ((base = conf_get(c->conf, "telegram", NULL, "url")) == NULL)
		base = TELEGRAM_URL;
	url = xmalloc(strlen(base) + strlen(token) + 32);
	sprintf(url, "%s/bot%s/sendMessage", base, token);
	body = render(c, m, &len);
	r = notify_http_post(c, m, "telegram", url, "application/json", body,
	    len, done);
	free(body);
	free(url);
	if (r != NULL)
		http_send(r);
}

const struct notify_channel_ops notify_telegram_ops = {
	"telegram", NOTIFY_ESC_TELEGRAM, NULL, send_, render, NULL
};
