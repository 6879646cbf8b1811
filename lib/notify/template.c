/* template.c: notify-send's templates: finding them, their fields and
 * filters, money for people, escaping for each channel. */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "conf.h"
#include "fileio.h"
#include "jsonl.h"
#include "money.h"
#include "notify.h"
#include "xalloc.h"

char *
notify_template_read(const struct notify_templates *t, const char *name)
{
	char path[4096], msg[4200], *buf = NULL;
	size_t i, len = 0, cap = 0, n;
	FILE *fp;

	for (i = 0; i < t->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", t->dirs[i], name);
		if ((fp = fileio_read(path, msg, sizeof(msg))) == NULL) {
			if (errno == ENOENT)
				continue;
			errx(EX_NOINPUT, "%s", msg);
		}
		for (;;) {
			if (cap - len < 4096)
				buf = xrealloc(buf, cap = cap * 2 + 4096);
			n = fread(buf + len, 1, cap - len - 1, fp);
			len += n;
			if (n == 0)
				break;
		}
		if (ferror(fp))
			err(EX_NOINPUT, "cannot read '%s'", path);
		fclose(fp);
		buf[len] = '\0';
		return buf;
	}
	return NULL;
}

/* --- values --------------------------------------------------------------- */

/* The value at path ("a.b[0].c") in v, or NULL. */
static const json_t *
path_get(const json_t *v, const char *path)
{
	char seg[256];
	const char *p = path, *end;
	char *br, *stop;
	size_t n;
	long idx;

	while (v != NULL && *p != '\0') {
		end = p + strcspn(p, ".");
		n = (size_t)(end - p);
		if (n == 0 || n >= sizeof(seg))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		br = strchr(seg, '[');
		if (br != NULL)
			*br = '\0';
		if (*seg != '\0')
			v = json_object_get(v, seg);
		while (v != NULL && br != NULL) {
			idx = strtol(br + 1, &stop, 10);
			if (*stop != ']' || idx < 0)
				return NULL;
			v = json_array_get(v, (size_t)idx);
			br = stop[1] == '[' ? stop + 1 : NULL;
		}
		p = *end == '.' ? end + 1 : end;
	}
	return v;
}

static char *
value_text(const json_t *v)
{
	char buf[64];
	const char *t;

	if (json_is_string(v))
		return json_string_length(v) > 0 ?
		    xstrdup(json_string_value(v)) : NULL;
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return xstrdup(buf);
	}
	if (json_is_real(v) && (t = jsonl_number_text(v, buf,
	    sizeof(buf))) != NULL)
		return xstrdup(t);
	return NULL;
}

static char *
rec_text(const json_t *rec, const char *path)
{
	return value_text(path_get(rec, path));
}

/* A carrier's tracking link for number: [carrier "NAME"] tracking_url
 * with {number} in it. */
static char *
carrier_link(const struct conf *conf, const char *carrier, const char *number)
{
	const char *tmpl, *at;
	char name[64];
	size_t i;
	char *s;

	if (carrier == NULL || number == NULL)
		return NULL;
	for (i = 0; carrier[i] != '\0' && i + 1 < sizeof(name); i++)
		name[i] = carrier[i] >= 'A' && carrier[i] <= 'Z' ?
		    carrier[i] - 'A' + 'a' : carrier[i];
	name[i] = '\0';
	if ((tmpl = conf_get(conf, "carrier", name, "tracking_url")) == NULL ||
	    (at = strstr(tmpl, "{number}")) == NULL)
		return NULL;
	s = xmalloc(strlen(tmpl) + strlen(number) + 1);
	sprintf(s, "%.*s%s%s", (int)(at - tmpl), tmpl, number,
	    at + strlen("{number}"));
	return s;
}

static char *
first_of(const json_t *rec, const char *const *paths)
{
	char *s;

	for (; *paths != NULL; paths++)
		if ((s = rec_text(rec, *paths)) != NULL)
			return s;
	return NULL;
}

char *
notify_field(const struct notify_fields *f, const char *name)
{
	static const char *const number[] = {
		"shipment.parcels[0].tracking_number", "tracking.tracking_number",
		"tracking.number", "return.shipment.parcels[0].tracking_number",
		NULL };
	static const char *const carrier[] = { "shipment.carrier",
		"tracking.carrier", "shipping.carrier", NULL };
	static const char *const pickup[] = { "tracking.pickup.address",
		"shipping.pickup_address", "shipping.pickup_point", NULL };
	const char *v;
	char *a, *b, *s;

	if (strncmp(name, "order.", 6) == 0)
		name += 6;
	if (strcmp(name, "id") == 0)
		return (s = rec_text(f->rec, "id")) != NULL ? s :
		    rec_text(f->rec, "order_id");
	if (strcmp(name, "shop.name") == 0)
		return (v = conf_get(f->conf, "shop", NULL, "name")) != NULL &&
		    *v != '\0' ? xstrdup(v) : NULL;
	if (strncmp(name, "problem.", 8) == 0)
		return rec_text(f->problem, name + 8);
	if (strcmp(name, "tracking.number") == 0)
		return first_of(f->rec, number);
	if (strcmp(name, "tracking.carrier") == 0)
		return first_of(f->rec, carrier);
	if (strcmp(name, "tracking.url") == 0) {
		if ((s = rec_text(f->rec, "shipment.parcels[0].tracking_url")) !=
		    NULL)
			return s;
		a = first_of(f->rec, carrier);
		b = first_of(f->rec, number);
		s = carrier_link(f->conf, a, b);
		free(a);
		free(b);
		return s;
	}
	if (strcmp(name, "pickup.address") == 0)
		return first_of(f->rec, pickup);
	if (strcmp(name, "pickup.hours") == 0)
		return rec_text(f->rec, "tracking.pickup.hours");
	return rec_text(f->rec, name);
}

/* --- money ---------------------------------------------------------------- */

char *
notify_money(int64_t amount, const char *currency, const char *lang,
    char *buf, size_t len)
{
	const struct money_currency *c = money_currency(currency);
	int exponent = c != NULL ? c->exponent : 2;
	int latin = strcmp(lang, "ru") != 0 && strcmp(lang, "uk") != 0;
	const char *group = latin ? "," : "\xc2\xa0", *point = latin ? "." :
	    ",", *sign, *unit = currency;
	char num[48], out[96];
	const char *digits, *frac;
	size_t nint, i, o = 0;

	money_format(amount, exponent, num, sizeof(num));
	sign = num[0] == '-' ? "-" : "";
	digits = num + (num[0] == '-');
	frac = strchr(digits, '.');
	nint = frac != NULL ? (size_t)(frac - digits) : strlen(digits);
	for (i = 0; i < nint; i++) {
		if (i > 0 && (nint - i) % 3 == 0)
			o += snprintf(out + o, sizeof(out) - o, "%s", group);
		out[o++] = digits[i];
	}
	out[o] = '\0';
	if (!latin && strcmp(currency, "RUB") == 0)
		unit = "\xe2\x82\xbd";
	else if (!latin && strcmp(currency, "UAH") == 0)
		unit = "\xe2\x82\xb4";
	snprintf(buf, len, "%s%s%s%s%s%s", sign, out, frac != NULL ? point :
	    "", frac != NULL ? frac + 1 : "", latin ? " " : "\xc2\xa0", unit);
	return buf;
}

/* --- escaping ------------------------------------------------------------- */

char *
notify_escape(const char *s, enum notify_escape esc)
{
	size_t n = strlen(s), o = 0;
	const char *rep;
	char *out;

	out = xmalloc(6 * n + 1);
	for (; *s != '\0'; s++) {
		rep = NULL;
		if (esc != NOTIFY_ESC_NONE) {
			if (*s == '&')
				rep = "&amp;";
			else if (*s == '<')
				rep = "&lt;";
			else if (*s == '>')
				rep = "&gt;";
			else if (esc == NOTIFY_ESC_HTML && *s == '"')
				rep = "&quot;";
			else if (esc == NOTIFY_ESC_HTML && *s == '\'')
				rep = "&#39;";
		}
		if (rep != NULL) {
			memcpy(out + o, rep, strlen(rep));
			o += strlen(rep);
		} else
			out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* --- rendering ------------------------------------------------------------ */

struct buf {
	char	*s;
	size_t	 len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* The value of one {{ ... }}: a new string, or NULL with *bad set. */
static char *
expand(const struct notify_fields *f, char *expr, char **bad,
    int *bad_template)
{
	char *bar = strchr(expr, '|'), *name, *filter = NULL, *v, *cur, *end;
	char buf[96];
	int64_t amount;

	if (bar != NULL) {
		*bar = '\0';
		filter = trim(bar + 1);
	}
	name = trim(expr);
	if (filter != NULL && strcmp(filter, "money") != 0) {
		*bad = xstrdup(filter);
		*bad_template = 1;
		return NULL;
	}
	if ((v = notify_field(f, name)) == NULL) {
		*bad = xstrdup(name);
		return NULL;
	}
	if (filter == NULL)
		return v;
	errno = 0;
	amount = strtoimax(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v) {
		free(v);
		*bad = xstrdup(name);
		return NULL;
	}
	free(v);
	if ((cur = notify_field(f, "currency")) == NULL) {
		*bad = xstrdup("currency");
		return NULL;
	}
	notify_money(amount, cur, f->lang, buf, sizeof(buf));
	free(cur);
	return xstrdup(buf);
}

char *
notify_render(const char *tmpl, const struct notify_fields *f,
    enum notify_escape esc, char **bad, int *bad_template)
{
	struct buf b = { NULL, 0, 0 };
	const char *p = tmpl, *open, *close;
	char *expr, *v, *e;

	*bad = NULL;
	*bad_template = 0;
	put(&b, "", 0);
	while ((open = strstr(p, "{{")) != NULL) {
		put(&b, p, (size_t)(open - p));
		if ((close = strstr(open + 2, "}}")) == NULL ||
		    memchr(open + 2, '\n', (size_t)(close - open - 2)) != NULL) {
			*bad = xstrdup("unclosed {{");
			*bad_template = 1;
			free(b.s);
			return NULL;
		}
		expr = xstrndup(open + 2, (size_t)(close - open - 2));
		v = expand(f, expr, bad, bad_template);
		free(expr);
		if (v == NULL) {
			free(b.s);
			return NULL;
		}
		e = notify_escape(v, esc);
		put(&b, e, strlen(e));
		free(e);
		free(v);
		p = close + 2;
	}
	put(&b, p, strlen(p));
	return b.s;
}
