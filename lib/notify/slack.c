/* slack.c: the Slack channel, for the staff: an incoming webhook's
 * {"text": ...} in mrkdwn. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonx.h"
#include "notify.h"
#include "xalloc.h"

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	json_t *body;
	char *s;

	(void)c;
	if ((body = json_pack("{s:s}", "text", m->text)) == NULL)
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
	char *body;
	size_t len;

	if (c->status != 0) {
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	if (c->state == NULL)
		c->state = notify_http_service(c, "slack");
	body = render(c, m, &len);
	r = http_request_new(c->state, "POST", conf_need(c->conf, "slack",
	    NULL, "webhook_url"));
	http_body(r, "application/json", body, len);
	free(body);
	r->arg = m;
	r->arg2 = c;
	r->done = done;
	http_send(r);
}

const struct notify_channel_ops notify_slack_ops = {
	"slack", NOTIFY_ESC_SLACK, open_, send_, render, NULL
};
