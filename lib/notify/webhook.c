/* webhook.c: the webhook channel: the event and the order as JSON,
 * POSTed to a CRM, signed with HMAC-SHA256 of the body. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "notify.h"
#include "xalloc.h"

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	json_t *body;
	char *s;

	(void)c;
	body = json_pack("{s:s,s:O}", "event", m->event, "order",
	    (json_t *)m->order);
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
	notify_http_end(r->arg2, r, r->arg, NULL, NULL);
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
	const char *url, *secret;
	char sig[65], *body;
	size_t len;

	if (c->status != 0) {
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	url = conf_need(c->conf, "webhook", NULL, "url");
	secret = conf_need(c->conf, "webhook", NULL, "secret");
	if (c->state == NULL)
		c->state = notify_http_service(c, "webhook");
	body = render(c, m, &len);
	notify_hmac_hex(secret, body, len, sig);
	r = http_request_new(c->state, "POST", url);
	http_body(r, "application/json", body, len);
	http_header(r, "X-Orderkit-Signature: sha256=%s", sig);
	http_header(r, "X-Orderkit-Delivery: %s", m->delivery);
	http_header(r, "X-Orderkit-Event: %s", m->event);
	free(body);
	r->arg = m;
	r->arg2 = c;
	r->done = done;
	http_send(r);
}

const struct notify_channel_ops notify_webhook_ops = {
	"webhook", NOTIFY_ESC_NONE, open_, send_, render, NULL
};
