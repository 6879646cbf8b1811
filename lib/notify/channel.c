/* channel.c: what notify-send's channels share: the list of adapters,
 * a message's end, hashes and masks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <sysexits.h>

#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "notify.h"
#include "xalloc.h"

extern const struct notify_channel_ops notify_email_ops;
extern const struct notify_channel_ops notify_sms_ops;
extern const struct notify_channel_ops notify_telegram_ops;
extern const struct notify_channel_ops notify_slack_ops;
extern const struct notify_channel_ops notify_webhook_ops;

static const struct notify_channel_ops *const adapters[] = {
	&notify_email_ops,
	&notify_sms_ops,
	&notify_telegram_ops,
	&notify_slack_ops,
	&notify_webhook_ops,
};

const struct notify_channel_ops *
notify_channel_ops(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

struct notify_channel *
notify_channel_new(const struct notify_channel_ops *ops,
    const struct conf *conf, struct http *http)
{
	struct notify_channel *c = xcalloc(1, sizeof(*c));

	c->ops = ops;
	c->conf = conf;
	c->http = http;
	if (ops->open != NULL)
		ops->open(c);
	return c;
}

void
notify_channel_free(struct notify_channel *c)
{
	if (c == NULL)
		return;
	if (c->ops->close != NULL)
		c->ops->close(c);
	free(c);
}

void
notify_channel_fail(struct notify_channel *c, int status, const char *fmt,
    ...)
{
	va_list ap;

	if (c->status != 0)
		return;
	c->status = status;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
}

void
notify_msg_end(struct notify_msg *m, enum notify_outcome outcome,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	m->outcome = outcome;
	if (fmt != NULL) {
		free(m->error);
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		m->error = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(m->error, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (m->done != NULL)
		m->done(m);
}

void
notify_msg_release(struct notify_msg *m)
{
	free(m->id);
	free(m->error);
	free(m->refusal);
	m->id = m->error = m->refusal = NULL;
}

static void
hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
notify_hmac_hex(const char *key, const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha256(), key, (int)strlen(key), data, len, md, &n);
	hex(md, 32, out);
}

void
notify_sha256_hex(const char *s, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	hex(md, sizeof(md), out);
}

char *
notify_mask(const char *channel, const char *r)
{
	size_t n = strlen(r), keep;
	const char *at;
	char *s;

	if (strcmp(channel, "email") == 0 && (at = strchr(r, '@')) != NULL) {
		s = xmalloc(n + 4);
		snprintf(s, n + 4, "%.1s***%s", r, at);
		return s;
	}
	if (strcmp(channel, "sms") != 0 && strcmp(channel, "telegram") != 0)
		return xstrdup(r);
	keep = n >= 10 ? 4 : n >= 5 ? 2 : 0;
	s = xmalloc(n + 4);
	snprintf(s, n + 4, "%.*s***%s", (int)(keep + (keep == 4)), r,
	    r + n - keep);
	return s;
}

struct http_service *
notify_http_service(struct notify_channel *c, const char *section)
{
	struct http_limits lim;
	char keyname[64];

	http_limits_conf(&lim, c->conf, section, NULL, &http_default_limits);
	snprintf(keyname, sizeof(keyname), "[%s]", section);
	return http_service_new(c->http, c->ops->name, keyname, &lim);
}

/* The text of a number or string at path (dots, objects only), or NULL. */
static char *
json_text(const json_t *v, const char *path)
{
	char seg[64], buf[64];
	const char *p = path, *end;
	size_t n;

	while (v != NULL && *p != '\0') {
		end = p + strcspn(p, ".");
		n = (size_t)(end - p) < sizeof(seg) ? (size_t)(end - p) :
		    sizeof(seg) - 1;
		memcpy(seg, p, n);
		seg[n] = '\0';
		v = json_object_get(v, seg);
		p = *end == '.' ? end + 1 : end;
	}
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v) || json_is_real(v))
		return xstrdup(jsonl_number_text(v, buf, sizeof(buf)));
	return NULL;
}

void
notify_http_end(struct notify_channel *c, struct http_request *r,
    struct notify_msg *m, const char *id_path, const char *code_path)
{
	const char *svc = http_service_error(r->service);
	json_t *ans = NULL;

	switch (r->result) {
	case HTTP_OK:
		break;
	/* The layer's words name the URL, which holds a Slack webhook's
	 * secret and a Telegram bot's token: ours name the key. */
	case HTTP_TLS:
		notify_channel_fail(c, EX_UNAVAILABLE, "cannot verify the TLS "
		    "certificate of %s's server; a private CA goes in its "
		    "ca_file", c->ops->name);
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	case HTTP_CONFIG:
		notify_channel_fail(c, EX_CONFIG, "%s's url or ca_file cannot "
		    "be used", c->ops->name);
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	default:
		notify_channel_fail(c, EX_TEMPFAIL, "%s is down: %s",
		    c->ops->name, svc);
		notify_msg_end(m, NOTIFY_RETRY, "%s did not answer: %s",
		    c->ops->name, svc);
		return;
	}
	if (r->body != NULL && r->len > 0)
		ans = jsonl_parse(r->body, r->len, 0, NULL);
	if (r->status >= 200 && r->status < 300) {
		m->id = id_path != NULL ? json_text(ans, id_path) : NULL;
		if (m->id == NULL)
			m->id = xstrdup(m->delivery);
		json_decref(ans);
		notify_msg_end(m, NOTIFY_SENT, NULL);
		return;
	}
	if (r->status == 401 || r->status == 403) {
		notify_channel_fail(c, EX_CONFIG, "%s refused the credentials "
		    "in [%s] (HTTP %ld)", c->ops->name, c->ops->name,
		    r->status);
		json_decref(ans);
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	if (r->status >= 400 && r->status < 500) {
		m->refusal = code_path != NULL ? json_text(ans, code_path) :
		    NULL;
		if (m->refusal == NULL) {
			m->refusal = xmalloc(16);
			snprintf(m->refusal, 16, "%ld", r->status);
		}
		json_decref(ans);
		notify_msg_end(m, NOTIFY_REFUSED, "%s refused the message: "
		    "HTTP %ld, code %s", c->ops->name, r->status, m->refusal);
		return;
	}
	json_decref(ans);
	notify_msg_end(m, NOTIFY_RETRY, "%s answered HTTP %ld", c->ops->name,
	    r->status);
}

struct http_request *
notify_http_post(struct notify_channel *c, struct notify_msg *m,
    const char *section, const char *url, const char *type, const char *body,
    size_t len, void (*done)(struct http_request *))
{
	struct http_request *r;

	if (c->status != 0) {
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return NULL;
	}
	if (c->state == NULL)
		c->state = notify_http_service(c, section);
	r = http_request_new(c->state, "POST", url);
	http_body(r, type, body, len);
	r->arg = m;
	r->arg2 = c;
	r->done = done;
	return r;
}

char *
notify_json_body(json_t *body, size_t *len)
{
	char *s;

	if (body == NULL)
		xnomem();
	s = jsonx_text(body);
	json_decref(body);
	*len = strlen(s);
	return s;
}
