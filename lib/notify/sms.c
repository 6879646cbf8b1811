/* sms.c: the SMS channel: Twilio's Messages API when [twilio] has an
 * account, else a generic JSON provider ([sms] url and token). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "notify.h"
#include "xalloc.h"

#define TWILIO_URL	"https://api.twilio.com/2010-04-01"

static int
twilio(const struct notify_channel *c)
{
	const char *sid = conf_get(c->conf, "twilio", NULL, "account_sid");

	return sid != NULL && *sid != '\0';
}

static const char *
sender(const struct notify_channel *c)
{
	const char *from = conf_get(c->conf, twilio(c) ? "twilio" : "sms",
	    NULL, "from");

	return from != NULL ? from : conf_get(c->conf, "shop", NULL, "name");
}

static void
form(char **s, const char *name, const char *value)
{
	char *v = http_escape(value != NULL ? value : "");
	size_t n = *s != NULL ? strlen(*s) : 0;

	*s = xrealloc(*s, n + strlen(name) + strlen(v) + 3);
	sprintf(*s + n, "%s%s=%s", n > 0 ? "&" : "", name, v);
	free(v);
}

/* [sms] body with {{to}}, {{from}}, {{text}} and {{id}} replaced by the
 * values as the insides of JSON strings. */
static char *
body_template(const char *tmpl, struct notify_msg *m, const char *from)
{
	static const char *const names[] = { "{{to}}", "{{from}}", "{{text}}",
	    "{{id}}" };
	const char *values[4], *p = tmpl;
	char *out = NULL, *enc;
	size_t cap = 0, len = 0, ecap, elen, i;

	values[0] = m->recipient;
	values[1] = from != NULL ? from : "";
	values[2] = m->text;
	values[3] = m->delivery;
	while (*p != '\0') {
		for (i = 0; i < 4; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (i == 4) {
			if (len + 2 > cap)
				out = xrealloc(out, cap = cap * 2 + 64);
			out[len++] = *p++;
			continue;
		}
		enc = NULL;
		ecap = elen = 0;
		jsonl_encode_string(&enc, &ecap, &elen, values[i],
		    strlen(values[i]));
		if (len + elen + 1 > cap)
			out = xrealloc(out, cap = (len + elen) * 2 + 64);
		memcpy(out + len, enc + 1, elen - 2);	/* without quotes */
		len += elen - 2;
		free(enc);
		p += strlen(names[i]);
	}
	out = xrealloc(out, len + 1);
	out[len] = '\0';
	return out;
}

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	const char *tmpl = conf_get(c->conf, "sms", NULL, "body");
	char *s = NULL;

	if (twilio(c)) {
		form(&s, "To", m->recipient);
		form(&s, "From", sender(c));
		form(&s, "Body", m->text);
	} else if (tmpl != NULL && *tmpl != '\0') {
		s = body_template(tmpl, m, sender(c));
	} else {
		return notify_json_body(json_pack("{s:s,s:s?,s:s,s:s}", "to",
		    m->recipient, "from", sender(c), "text", m->text, "id",
		    m->delivery), len);
	}
	*len = strlen(s);
	return s;
}

static void
done(struct http_request *r)
{
	struct notify_channel *c = r->arg2;

	if (twilio(c))
		notify_http_end(c, r, r->arg, "sid", "code");
	else
		notify_http_end(c, r, r->arg, "id", "code");
}

static void
send_(struct notify_channel *c, struct notify_msg *m)
{
	struct http_request *r;
	const char *base, *sid, *token;
	char *body, *url;
	size_t len;

	body = render(c, m, &len);
	if (twilio(c)) {
		sid = conf_get(c->conf, "twilio", NULL, "account_sid");
		if ((base = conf_get(c->conf, "twilio", NULL, "url")) == NULL)
			base = TWILIO_URL;
		url = xmalloc(strlen(base) + strlen(sid) + 32);
		sprintf(url, "%s/Accounts/%s/Messages.json", base, sid);
		r = notify_http_post(c, m, "twilio", url,
		    "application/x-www-form-urlencoded", body, len, done);
		free(url);
		if (r != NULL)
			http_basic_auth(r, sid, conf_need(c->conf, "twilio",
			    NULL, "auth_token"));
	} else {
		r = notify_http_post(c, m, "sms", conf_need(c->conf, "sms",
		    NULL, "url"), "application/json", body, len, done);
		token = conf_get(c->conf, "sms", NULL, "token");
		if (r != NULL && token != NULL)
			http_header(r, "Authorization: Bearer %s", token);
		if (r != NULL)
			http_header(r, "Idempotency-Key: %s", m->delivery);
	}
	free(body);
	if (r != NULL)
		http_send(r);
}

const struct notify_channel_ops notify_sms_ops = {
	"sms", NOTIFY_ESC_NONE, NULL, send_, render, NULL
};
