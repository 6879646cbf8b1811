/* telegram.c: the Telegram channel: the Bot API's sendMessage, in
 * Telegram's HTML. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonx.h"
#include "notify.h"
#include "xalloc.h"

#define TELEGRAM_URL	"https://api.telegram.org"

/* A chat id is a 64-bit integer, or a channel's "@name". */
static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	json_t *body, *chat;
	char *end, *s;
	long long id;

	(void)c;
	id = strtoll(m->recipient, &end, 10);
	chat = *m->recipient != '\0' && *end == '\0' ? json_integer(id) :
	    json_string(m->recipient);
	body = json_pack("{s:o,s:s,s:s,s:b}", "chat_id", chat, "text", m->text,
	    "parse_mode", "HTML", "disable_web_page_preview", 1);
	if (body == NULL)
		xnomem();
	s = jsonx_text(body);
	json_decref(body);
	*len = strlen(s);
	return s;
}

static void
done(struct http_request *r)
{
	notify_http_end(r->arg2, r, r->arg, "result.message_id",
	    "error_code");
}

static void
open_(struct notify_channel *c)
{
	c->state = NULL;
}

static void
send_(struct notify_channel *c, struct notify_msg *m)
{
	struct http_request *r;
	const char *base, *token;
	char *body, *url;
	size_t len;

	if (c->status != 0) {
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	token = conf_need(c->conf, "telegram", NULL, "token");
	if ((base = conf_get(c->conf, "telegram", NULL, "url")) == NULL)
		base = TELEGRAM_URL;
	if (c->state == NULL)
		c->state = notify_http_service(c, "telegram");
	url = xmalloc(strlen(base) + strlen(token) + 32);
	sprintf(url, "%s/bot%s/sendMessage", base, token);
	body = render(c, m, &len);
	r = http_request_new(c->state, "POST", url);
	http_body(r, "application/json", body, len);
	free(body);
	free(url);
	r->arg = m;
	r->arg2 = c;
	r->done = done;
	http_send(r);
}

const struct notify_channel_ops notify_telegram_ops = {
	"telegram", NOTIFY_ESC_TELEGRAM, open_, send_, render, NULL
};
