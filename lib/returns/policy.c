/* policy.c: the returns policy: the law's defaults, [returns] read over
 * them, and the calendar its periods are counted on. */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <err.h>

#include "conf.h"
#include "returns.h"
#include "rfc3339.h"
#include "xalloc.h"

static const char *const reason_names[RETURNS_NREASONS] = {
	"changed_mind", "wrong_size", "defective", "damaged_in_transit",
	"wrong_item", "not_as_described"
};

static const char *const condition_names[RETURNS_NCONDITIONS] = {
	"unused_with_tags", "unused", "used", "damaged"
};

static int
lookup(const char *const *names, int n, const char *s, size_t len)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0)
			return i;
	return -1;
}

int
returns_reason_parse(const char *s)
{
	return lookup(reason_names, RETURNS_NREASONS, s, s ? strlen(s) : 0);
}

int
returns_condition_parse(const char *s)
{
	return lookup(condition_names, RETURNS_NCONDITIONS, s,
	    s ? strlen(s) : 0);
}

const char *
returns_reason_name(enum returns_reason r)
{
	return reason_names[r];
}

const char *
returns_condition_name(enum returns_condition c)
{
	return condition_names[c];
}

int
returns_fault(enum returns_reason r)
{
	return r != RETURNS_CHANGED_MIND && r != RETURNS_WRONG_SIZE;
}

void
returns_policy_defaults(struct returns_policy *p, const char *country,
    int terms_in_writing)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->country, sizeof(p->country), "EU");
	if (country != NULL && (strcmp(country, "RU") == 0 ||
	    strcmp(country, "UA") == 0))
		snprintf(p->country, sizeof(p->country), "%s", country);
	/* Two years for a defect: the legal guarantee of each (RU ZoZPP
	 * art. 19, UA art. 8, Directive 2019/771 art. 10). */
	p->defect_days = 730;
	p->refund_shipping = RETURNS_SHIP_ALWAYS;
	p->return_shipping = RETURNS_PAYER_SHOP_IF_FAULT;
	p->photos_for = 1u << RETURNS_DAMAGED_IN_TRANSIT;
	if (strcmp(p->country, "RU") == 0) {
		/* ZoZPP art. 26.1: 7 days, 3 months without written terms;
		 * the goods keep their look and properties; the sum paid
		 * back within 10 days of the demand. */
		if (terms_in_writing)
			p->window_days = 7;
		else
			p->window_months = 3;
		p->refund_days = 10;
		p->conditions = 1u << RETURNS_UNUSED_WITH_TAGS |
		    1u << RETURNS_UNUSED;
	} else if (strcmp(p->country, "UA") == 0) {
		/* Law 1023-XII art. 13: 14 days (90 without the
		 * information confirmed); the money back within 30 days
		 * of the goods' return. */
		p->window_days = terms_in_writing ? 14 : 90;
		p->refund_days = 30;
		p->refund_from_receipt = 1;
		p->conditions = 1u << RETURNS_UNUSED_WITH_TAGS |
		    1u << RETURNS_UNUSED;
	} else {
		/* Directive 2011/83/EU arts. 9, 13, 14: 14 days, refund
		 * within 14 days with the standard delivery, any
		 * condition (it only lessens the value). */
		p->window_days = 14;
		p->refund_days = 14;
		p->conditions = (1u << RETURNS_NCONDITIONS) - 1;
		p->value_loss_review = 1;
	}
	p->legal_window_days = p->window_days;
	p->legal_window_months = p->window_months;
}

void
returns_policy_release(struct returns_policy *p)
{
	size_t i;

	for (i = 0; i < p->nfinal_sale; i++)
		free(p->final_sale[i]);
	free(p->final_sale);
	free(p->holidays);
	p->final_sale = NULL;
	p->holidays = NULL;
	p->nfinal_sale = p->nholidays = 0;
}

static void __attribute__((noreturn))
bad_key(const char *key, const char *value, const char *what)
{
	errx(EX_CONFIG, "[returns] %s '%s' is not %s", key, value, what);
}

/* Call fn with each comma-separated word of s, trimmed. */
static void
each_word(const char *s, void (*fn)(void *, const char *, size_t), void *arg)
{
	const char *e;
	size_t len;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		e = s + strcspn(s, ",");
		len = (size_t)(e - s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		fn(arg, s, len);
		s = e;
	}
}

struct words {
	const char	*key, *value;
	const char *const *names;
	int		 n;
	unsigned	 set;
};

static void
add_bit(void *arg, const char *s, size_t len)
{
	struct words *w = arg;
	int i;

	if ((i = lookup(w->names, w->n, s, len)) == -1)
		bad_key(w->key, w->value, "a list of known words");
	w->set |= 1u << i;
}

static unsigned
word_set(const char *key, const char *value, const char *const *names,
    int n)
{
	struct words w = { key, value, names, n, 0 };

	each_word(value, add_bit, &w);
	return w.set;
}

static void
add_glob(void *arg, const char *s, size_t len)
{
	struct returns_policy *p = arg;

	p->final_sale = xrealloc(p->final_sale, (p->nfinal_sale + 1) *
	    sizeof(*p->final_sale));
	p->final_sale[p->nfinal_sale++] = xstrndup(s, len);
}

struct days {
	struct returns_policy	*p;
	const char		*value;
};

static void
add_holiday(void *arg, const char *s, size_t len)
{
	struct days *d = arg;
	int y, m, day, n;
	char buf[16];

	if (len >= sizeof(buf))
		bad_key("holidays", d->value, "a list of YYYY-MM-DD dates");
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &day, &n) != 3 ||
	    (size_t)n != len || m < 1 || m > 12 || day < 1 || day > 31)
		bad_key("holidays", d->value, "a list of YYYY-MM-DD dates");
	d->p->holidays = xrealloc(d->p->holidays, (d->p->nholidays + 1) *
	    sizeof(*d->p->holidays));
	d->p->holidays[d->p->nholidays++] = rfc3339_days(y, m, day);
}

static int
cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *
get(const struct conf *c, const struct conf *pc, const char *key)
{
	const char *v = NULL;

	if (pc != NULL)
		v = conf_get(pc, "returns", NULL, key);
	if (v == NULL && c != NULL)
		v = conf_get(c, "returns", NULL, key);
	return v;
}

static int
number(const struct conf *c, const struct conf *pc, const char *key,
    int def, int max)
{
	const char *v = get(c, pc, key);
	char *end;
	long n;

	if (v == NULL)
		return def;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || n < 0 || n > max)
		bad_key(key, v, "a whole number in range");
	return (int)n;
}

void
returns_policy_load(struct returns_policy *p, const struct conf *conf,
    const struct conf *policy_conf)
{
	const struct conf *pc = policy_conf;
	const char *country = NULL, *v;
	static const char *const from[] = { "request", "receipt" };
	static const char *const ship[] = { "always", "fault", "never" };
	static const char *const payer[] = { "shop", "customer",
	    "shop_if_fault" };
	struct days d;
	int writing = 1, i;

	if (pc != NULL)
		country = conf_get(pc, "shop", NULL, "country");
	if (country == NULL && conf != NULL)
		country = conf_get(conf, "shop", NULL, "country");
	if ((v = get(conf, pc, "terms_in_writing")) != NULL)
		writing = conf_bool(pc != NULL && conf_get(pc, "returns", NULL,
		    "terms_in_writing") != NULL ? pc : conf, "returns", NULL,
		    "terms_in_writing", 1);
	returns_policy_defaults(p, country, writing);
	if (get(conf, pc, "window_days") != NULL) {
		p->window_days = number(conf, pc, "window_days", 0, 3650);
		p->window_months = 0;
	}
	p->defect_days = number(conf, pc, "defect_days", p->defect_days, 36500);
	p->refund_days = number(conf, pc, "refund_days", p->refund_days, 3650);
	p->restocking_percent = number(conf, pc, "restocking_fee_percent", 0,
	    100);
	if ((v = get(conf, pc, "refund_from")) != NULL) {
		if ((i = lookup(from, 2, v, strlen(v))) == -1)
			bad_key("refund_from", v, "request or receipt");
		p->refund_from_receipt = i;
	}
	if ((v = get(conf, pc, "refund_shipping")) != NULL) {
		if ((i = lookup(ship, 3, v, strlen(v))) == -1)
			bad_key("refund_shipping", v, "always, fault or never");
		p->refund_shipping = (enum returns_refund_shipping)i;
	}
	if ((v = get(conf, pc, "return_shipping")) != NULL) {
		if ((i = lookup(payer, 3, v, strlen(v))) == -1)
			bad_key("return_shipping", v, "shop, customer or "
			    "shop_if_fault");
		p->return_shipping = (enum returns_payer)i;
	}
	if ((v = get(conf, pc, "conditions")) != NULL)
		p->conditions = word_set("conditions", v, condition_names,
		    RETURNS_NCONDITIONS);
	if ((v = get(conf, pc, "photos_required_for")) != NULL)
		p->photos_for = word_set("photos_required_for", v,
		    reason_names, RETURNS_NREASONS);
	if ((v = get(conf, pc, "final_sale")) != NULL)
		each_word(v, add_glob, p);
	if ((v = get(conf, pc, "holidays")) != NULL) {
		d.p = p;
		d.value = v;
		each_word(v, add_holiday, &d);
		if (p->nholidays > 1)
			qsort(p->holidays, p->nholidays, sizeof(*p->holidays),
			    cmp_day);
	}
}

int
returns_day_off(const struct returns_policy *p, int64_t day)
{
	/* 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on a Sunday. */
	int64_t wd = ((day + 4) % 7 + 7) % 7;

	if (wd == 0 || wd == 6)
		return 1;
	return p->nholidays > 0 && bsearch(&day, p->holidays, p->nholidays,
	    sizeof(*p->holidays), cmp_day) != NULL;
}

static int64_t
next_working(const struct returns_policy *p, int64_t day)
{
	while (returns_day_off(p, day))
		day++;
	return day;
}

int64_t
returns_period_end(const struct returns_policy *p, int64_t day, int n)
{
	return next_working(p, day + n);
}

/* The civil date of a day number (H. Hinnant's days_from_civil,
 * inverted). */
static void
civil(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t
returns_period_end_months(const struct returns_policy *p, int64_t day,
    int months)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t y;
	int m, d, last;

	civil(day, &y, &m, &d);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	last = mdays[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
	if (d > last)
		d = last;
	return next_working(p, rfc3339_days(y, m, d));
}

int64_t
returns_local_day(int64_t epoch, int offset)
{
	int64_t s = epoch + (int64_t)offset * 60;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

char *
returns_day_format(int64_t day, char *buf, size_t len)
{
	int64_t y;
	int m, d;

	civil(day, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02d-%02d", (long long)y, m, d);
	return buf;
}

int
returns_final_sale(const struct returns_policy *p, const char *sku,
    const char *category)
{
	size_t i;
	const char *g;

	for (i = 0; i < p->nfinal_sale; i++) {
		g = p->final_sale[i];
		if (strncmp(g, "category:", 9) == 0) {
			if (category != NULL && strcmp(g + 9, category) == 0)
				return 1;
		} else if (sku != NULL && fnmatch(g, sku, 0) == 0)
			return 1;
	}
	return 0;
}
