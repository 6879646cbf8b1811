/* carrier.c: what the carrier adapters share: the list of adapters, the
 * status vocabulary, carriers' names and aliases, time and HMAC helpers. */
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "rfc3339.h"
#include "utf8.h"
#include "xalloc.h"

extern const struct carrier_ops carrier_aftership, carrier_cdek,
    carrier_dhl, carrier_easypost, carrier_novaposhta, carrier_russianpost;

/* Adding a carrier: its file, and one line here. */
static const struct carrier_ops *const adapters[] = {
	&carrier_aftership,
	&carrier_cdek,
	&carrier_dhl,
	&carrier_easypost,
	&carrier_novaposhta,
	&carrier_russianpost,
};

static const char *const status_names[] = {
	[CARRIER_NONE] = NULL,
	[CARRIER_PRE_TRANSIT] = "pre_transit",
	[CARRIER_IN_TRANSIT] = "in_transit",
	[CARRIER_OUT_FOR_DELIVERY] = "out_for_delivery",
	[CARRIER_AVAILABLE_FOR_PICKUP] = "available_for_pickup",
	[CARRIER_DELIVERED] = "delivered",
	[CARRIER_FAILED_ATTEMPT] = "failed_attempt",
	[CARRIER_RETURN_TO_SENDER] = "return_to_sender",
	[CARRIER_EXCEPTION] = "exception",
	[CARRIER_CANCELLED] = "cancelled",
	[CARRIER_UNKNOWN] = "unknown",
};

/*
 * What shops and marketplace exports write for a carrier, compared after
 * utf8_lower() with blanks, '-', '_' and '.' taken out.  The names
 * AfterShip gives (its slugs) are among them.
 */
static const struct {
	const char	*alias;
	const char	*name;
} aliases[] = {
	{ "novaposhta", "novaposhta" },
	{ "np", "novaposhta" },
	{ "новапошта", "novaposhta" },
	{ "новаяпочта", "novaposhta" },
	{ "novaposhtaua", "novaposhta" },
	{ "cdek", "cdek" },
	{ "sdek", "cdek" },
	{ "сдэк", "cdek" },
	{ "сдек", "cdek" },
	{ "russianpost", "russianpost" },
	{ "pochta", "russianpost" },
	{ "pochtarossii", "russianpost" },
	{ "почтароссии", "russianpost" },
	{ "почтарф", "russianpost" },
	{ "dhl", "dhl" },
	{ "dhlexpress", "dhl" },
	{ "dhlparcel", "dhl" },
	{ "dhlpaket", "dhl" },
	{ "easypost", "easypost" },
	{ "aftership", "aftership" },
};

/* AfterShip's slugs where they differ from the name. */
static const struct {
	const char	*name;
	const char	*slug;
} slugs[] = {
	{ "novaposhta", "nova-poshta" },
	{ "russianpost", "russian-post" },
};

const char *
carrier_status_name(enum carrier_status s)
{
	if ((size_t)s >= sizeof(status_names) / sizeof(status_names[0]))
		return NULL;
	return status_names[s];
}

enum carrier_status
carrier_status_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return CARRIER_NONE;
	for (i = 1; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0)
			return (enum carrier_status)i;
	return CARRIER_NONE;
}

int
carrier_status_final(enum carrier_status s)
{
	return s == CARRIER_DELIVERED || s == CARRIER_RETURN_TO_SENDER ||
	    s == CARRIER_CANCELLED;
}

enum carrier_status
carrier_map(const struct carrier_code *t, size_t n, const char *code)
{
	size_t i;

	if (code == NULL)
		return CARRIER_UNKNOWN;
	for (i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].status;
	return CARRIER_UNKNOWN;
}

const struct carrier_ops *
carrier_adapter(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

/* Lower-cased, without blanks, '-', '_', '.': the key of the alias list. */
static char *
squeeze(const char *s)
{
	char *low, *p, *q;

	low = utf8_lower(s);
	for (p = q = low; *p != '\0'; p++)
		if (*p != ' ' && *p != '\t' && *p != '-' && *p != '_' &&
		    *p != '.')
			*q++ = *p;
	*q = '\0';
	return low;
}

char *
carrier_canonical(const char *written)
{
	char *key, *name, *p;
	const char *s;
	size_t i;

	key = squeeze(written);
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(key, aliases[i].alias) == 0) {
			free(key);
			return xstrdup(aliases[i].name);
		}
	free(key);
	/* Another carrier: its name as AfterShip would write it. */
	for (s = written; *s == ' ' || *s == '\t'; s++)
		;
	name = utf8_lower(s);
	for (p = name + strlen(name); p > name && (p[-1] == ' ' ||
	    p[-1] == '\t'); p--)
		p[-1] = '\0';
	for (p = name; *p != '\0'; p++)
		if (*p == ' ' || *p == '\t' || *p == '_')
			*p = '-';
	return name;
}

const char *
carrier_slug(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(slugs) / sizeof(slugs[0]); i++)
		if (strcmp(slugs[i].name, name) == 0)
			return slugs[i].slug;
	return name;
}

char *
carrier_from_slug(const char *slug)
{
	return carrier_canonical(slug);
}

struct carrier *
carrier_new(const struct carrier_ops *ops, const struct conf *conf,
    struct http *h, struct tracking_db *db, int64_t now)
{
	struct http_limits def, lim;
	struct carrier *c;
	const char *url;
	size_t n;

	c = xcalloc(1, sizeof(*c));
	c->ops = ops;
	c->conf = conf;
	c->http = h;
	c->db = db;
	c->now = now;
	conf_keyname("carrier", ops->name, "", c->keyname, sizeof(c->keyname));
	c->keyname[strlen(c->keyname) - 1] = '\0';	/* the blank */
	url = conf_get(conf, "carrier", ops->name, "url");
	if (url == NULL || *url == '\0')
		url = ops->url;
	c->url = xstrdup(url);
	for (n = strlen(c->url); n > 0 && c->url[n - 1] == '/'; n--)
		c->url[n - 1] = '\0';
	def = http_default_limits;
	def.rate_milli = ops->rate_milli;
	http_limits_conf(&lim, conf, "carrier", ops->name, &def);
	c->svc = http_service_new(h, ops->name, c->keyname, &lim);
	if (ops->init != NULL)
		ops->init(c);
	return c;
}

void
carrier_free(struct carrier *c)
{
	if (c == NULL)
		return;
	if (c->ops->release != NULL)
		c->ops->release(c);
	free(c->url);
	free(c);
}

struct carrier_event *
carrier_event_add(struct carrier_parcel *p)
{
	struct carrier_event *e;

	if (p->nevents == p->capevents) {
		p->capevents = p->capevents ? p->capevents * 2 : 8;
		p->events = xrealloc(p->events,
		    p->capevents * sizeof(*p->events));
	}
	e = &p->events[p->nevents++];
	memset(e, 0, sizeof(*e));
	return e;
}

void
carrier_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL && *value != '\0' ? xstrdup(value) : NULL;
}

void
carrier_setn(char **field, const char *value, size_t len)
{
	free(*field);
	*field = len > 0 ? xstrndup(value, len) : NULL;
}

static void
event_release(struct carrier_event *e)
{
	free(e->code);
	free(e->text);
	free(e->location);
	free(e->message);
	memset(e, 0, sizeof(*e));
}

static void
event_copy(struct carrier_event *to, const struct carrier_event *from)
{
	event_release(to);
	*to = *from;
	to->code = from->code != NULL ? xstrdup(from->code) : NULL;
	to->text = from->text != NULL ? xstrdup(from->text) : NULL;
	to->location = from->location != NULL ? xstrdup(from->location) :
	    NULL;
	to->message = from->message != NULL ? xstrdup(from->message) : NULL;
}

void
carrier_settle(struct carrier_parcel *p, enum carrier_status top)
{
	struct carrier_event tmp;
	size_t i, j;

	/* Insertion sort: stable, and the lists are short and nearly in
	 * order already (or in reverse, then reversed first). */
	if (p->nevents > 1 && p->events[0].has_time &&
	    p->events[p->nevents - 1].has_time &&
	    p->events[0].at > p->events[p->nevents - 1].at)
		for (i = 0, j = p->nevents - 1; i < j; i++, j--) {
			tmp = p->events[i];
			p->events[i] = p->events[j];
			p->events[j] = tmp;
		}
	for (i = 1; i < p->nevents; i++) {
		tmp = p->events[i];
		for (j = i; j > 0 && tmp.has_time && p->events[j - 1].has_time &&
		    p->events[j - 1].at > tmp.at; j--)
			p->events[j] = p->events[j - 1];
		p->events[j] = tmp;
	}
	if (p->nevents > 0)
		event_copy(&p->now, &p->events[p->nevents - 1]);
	if (top != CARRIER_NONE)
		p->now.status = top;
	p->outcome = CARRIER_TRACKED;
}

void
carrier_reject(struct carrier_parcel *p, const char *code, const char *fmt,
    ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	carrier_set(&p->error_code, code);
	carrier_set(&p->error, msg);
	p->outcome = CARRIER_REJECTED;
}

void
carrier_parcel_release(struct carrier_parcel *p)
{
	size_t i;

	for (i = 0; i < p->nevents; i++)
		event_release(&p->events[i]);
	free(p->events);
	event_release(&p->now);
	free(p->order_id);
	free(p->error_code);
	free(p->error);
	p->events = NULL;
	p->nevents = p->capevents = 0;
	p->order_id = p->error_code = p->error = NULL;
	p->outcome = CARRIER_PENDING;
}

void
carrier_push_release(struct carrier_push *w)
{
	carrier_parcel_release(&w->parcel);
	free(w->carrier);
	free(w->number);
	memset(w, 0, sizeof(*w));
}

int
carrier_time(const char *s, int default_offset, int64_t *epoch, int *offset)
{
	char buf[64];
	size_t n;
	int a;

	if (s == NULL || (n = strlen(s)) < 19 || n > 40)
		return -1;
	memcpy(buf, s, n + 1);
	/* "+0700" at the end: "+07:00". */
	if (n >= 24 && (buf[n - 5] == '+' || buf[n - 5] == '-') &&
	    buf[n - 3] != ':') {
		memmove(buf + n - 1, buf + n - 2, 3);
		buf[n - 2] = ':';
		n++;
	}
	if (rfc3339_parse(buf, epoch, offset) == 0)
		return 0;
	/* No offset: the carrier's zone, given. */
	if (default_offset == CARRIER_NO_ZONE)
		return -1;
	if (n > 19) {
		for (a = 19; buf[a] == '.' || (buf[a] >= '0' && buf[a] <= '9');
		    a++)
			;
		if (buf[a] != '\0')
			return -1;
	}
	a = default_offset < 0 ? -default_offset : default_offset;
	snprintf(buf + n, sizeof(buf) - n, "%c%02d:%02d",
	    default_offset < 0 ? '-' : '+', a / 60, a % 60);
	return rfc3339_parse(buf, epoch, offset);
}

void
carrier_refused(struct carrier *c, const char *fmt, ...)
{
	va_list ap;

	if (c->refused)
		return;
	va_start(ap, fmt);
	vsnprintf(c->refusal, sizeof(c->refusal), fmt, ap);
	va_end(ap);
	c->refused = 1;
}

const json_t *
carrier_json_get(const json_t *v, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (v != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot != NULL);
	}
	return v;
}

const char *
carrier_json_str(const json_t *v, const char *path)
{
	return json_string_value(carrier_json_get(v, path));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
carrier_query_param(const char *q, const char *name)
{
	size_t n = strlen(name), len;
	const char *end;
	char *v, *o;

	if (q == NULL)
		return NULL;
	for (; *q != '\0'; q = *end == '&' ? end + 1 : end) {
		end = q + strcspn(q, "&");
		if (strncmp(q, name, n) != 0 || q[n] != '=')
			continue;
		q += n + 1;
		len = end - q;
		v = o = xmalloc(len + 1);
		for (; q < end; q++) {
			if (*q == '+')
				*o++ = ' ';
			else if (*q == '%' && q + 2 < end &&
			    hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
				*o++ = (char)(hexval(q[1]) << 4 | hexval(q[2]));
				q += 2;
			} else
				*o++ = *q;
		}
		*o = '\0';
		return v;
	}
	return NULL;
}

char *
carrier_url(const struct carrier *c, const char *fmt, ...)
{
	va_list ap;
	char *path, *url;

	va_start(ap, fmt);
	path = xvasprintf(fmt, ap);
	va_end(ap);
	url = xasprintf("%s%s", c->url, path);
	free(path);
	return url;
}

void
carrier_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[32])
{
	unsigned int n = 32;

	if (HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) == NULL)
		errx(EX_SOFTWARE, "HMAC-SHA256 failed");
}

void
carrier_hex(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void
carrier_base64(const unsigned char in[32], char out[45])
{
	EVP_EncodeBlock((unsigned char *)out, in, 32);
}

int
carrier_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}
