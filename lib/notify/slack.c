/* slack.c: the Slack channel, for the staff: an incoming webhook's
 * {"text": ...} in mrkdwn. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "notify.h"

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	(void)c;
	return notify_json_body(json_pack("{s:s}", "text", m->text), len);
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
	char *body;
	size_t len;

	body = render(c, m, &len);
	r = notify_http_post(c, m, "slack", conf_need(c->conf, "slack", NULL,
	    "webhook_url"), "application/json", body, len, done);
	free(body);
	if (r != NULL)
		http_send(r);
}

const struct notify_channel_ops notify_slack_ops = {
	"slack", NOTIFY_ESC_SLACK, NULL, send_, render, NULL
};
