/* webhook.c: the webhook channel: the event and the order as JSON,
 * POSTed to a CRM, signed with HMAC-SHA256 of the body. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "notify.h"

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	(void)c;
	return notify_json_body(json_pack("{s:s,s:O}", "event", m->event,
	    "order", (json_t *)m->order), len);
}

static void
done(struct http_request *r)
{
	notify_http_end(r->arg2, r, r->arg, NULL, NULL);
}

static void
send_(struct notify_channel *c, struct notify_msg *m)
{
	struct http_request *r;
	const char *url, *secret;
	char sig[65], *body;
	size_t len;

	url = conf_need(c->conf, "webhook", NULL, "url");
	secret = conf_need(c->conf, "webhook", NULL, "secret");
	body = render(c, m, &len);
	r = notify_http_post(c, m, "webhook", url, "application/json", body,
	    len, done);
	if (r != NULL) {
		notify_hmac_hex(secret, body, len, sig);
		http_header(r, "X-Orderkit-Signature: sha256=%s", sig);
		http_header(r, "X-Orderkit-Delivery: %s", m->delivery);
		http_header(r, "X-Orderkit-Event: %s", m->event);
		http_send(r);
	}
	free(body);
}

const struct notify_channel_ops notify_webhook_ops = {
	"webhook", NOTIFY_ESC_NONE, NULL, send_, render, NULL
};
