/* order-stats: the KPIs of a shop from the records its steps wrote:
 * orders, revenue, processing and delivery times, payment success,
 * rejects, backorders, delivery cost, returns, problems, customers. */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "conf.h"
#include "exporttime.h"
#include "fileio.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "msg.h"
#include "reject.h"
#include "rfc3339.h"
#include "stats.h"
#include "strmap.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-stats [--by day|week|month] [--group-by FIELD]...\n"
    "                   [--from TIME] [--to TIME] [--tz ZONE] [--now TIME]\n"
    "                   [--lang en|ru|uk] [--costs FILE]\n"
    "                   [--format jsonl|csv|html] [--out FILE] [--config FILE]\n"
    "                   [--progress | --no-progress] [--rejects FILE]\n"
    "                   [--stats[=json|FILE]] [FILE ...]\n";

#define OPT_BY		'b'
#define OPT_CONFIG	'c'
#define OPT_COSTS	'C'
#define OPT_FORMAT	'f'
#define OPT_FROM	'F'
#define OPT_GROUP_BY	'g'
#define OPT_LANG	'l'
#define OPT_NOW		'n'
#define OPT_OUT		'o'
#define OPT_TO		'T'
#define OPT_TZ		'z'

static const struct option longopts[] = {
	{ "by",		required_argument, NULL, OPT_BY },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "costs",	required_argument, NULL, OPT_COSTS },
	{ "format",	required_argument, NULL, OPT_FORMAT },
	{ "from",	required_argument, NULL, OPT_FROM },
	{ "group-by",	required_argument, NULL, OPT_GROUP_BY },
	CLI_OPT_HELP,
	{ "lang",	required_argument, NULL, OPT_LANG },
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "out",	required_argument, NULL, OPT_OUT },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	{ "to",		required_argument, NULL, OPT_TO },
	{ "tz",		required_argument, NULL, OPT_TZ },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

static const struct cli_item help_options[] = {
	{ "--by day|week|month", "the periods (default: day; weeks are ISO "
	    "weeks)" },
	{ "--config FILE", "the shop's settings ([shop] tz and lang)" },
	{ "--costs FILE", "marketing spend per period, for CAC" },
	{ "--format jsonl|csv|html", "records, rows or a page of charts "
	    "(default: jsonl)" },
	{ "--from TIME", "only what happened at or after TIME (RFC 3339)" },
	{ "--group-by FIELD", "a dimension more, such as source or items.sku" },
	CLI_ITEM_HELP,
	{ "--lang en|ru|uk", "the page's language (default: [shop] lang, "
	    "else en)" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run, for overdue refunds" },
	{ "--out FILE", "write to FILE, not standard output" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	{ "--to TIME", "only what happened before TIME (RFC 3339)" },
	{ "--tz ZONE", "the zone of the periods (default: [shop] tz, else "
	    "UTC)" },
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 73, 74, 78, -1 };
static const struct cli_help help_text = {
	"Compute a shop's KPIs per period from its order records.",
	help_options, help_exits, "order-stats(1)"
};

#define MAX_GROUP_BY	8

enum { FORMAT_JSONL, FORMAT_CSV, FORMAT_HTML };
static const char *const format_names[] = { "jsonl", "csv", "html" };

/* A row of --costs: marketing spend in a period. */
struct cost {
	char		 period[16];
	char		 currency[4];
	int64_t		 amount;	/* minor units */
};

struct run {
	enum stats_by	 by;
	int		 tz;
	int64_t		 from, to, now;
	int		 has_from, has_to;
	struct stats_table t;
	struct strmap	 customers;	/* "period\tgroup\tcustomer": orders */
	struct strmap	 first;		/* customer: index + 1 of first order */
	const char	*fields[MAX_GROUP_BY];
	size_t		 nfields;
	int		 whole;		/* one period, "all": the page's */
	json_t		*problems;	/* track-poll's problem records */
	struct cost	*costs;		/* --costs */
	size_t		 ncosts;
};

/* The label of the period of epoch, or NULL when --from and --to leave it
 * out. */
static const char *
period(const struct run *r, int64_t epoch, char *buf)
{
	if ((r->has_from && epoch < r->from) || (r->has_to && epoch >= r->to))
		return NULL;
	if (r->whole)
		return "all";
	return stats_period(epoch, r->tz, r->by, buf);
}

/* The group text of base (an object) with name: value added, "{}" style
 * compact with sorted keys; the caller free()s it.  name NULL: base. */
static char *
group_with(const json_t *base, const char *name, const char *value,
    const char *name2, const char *value2)
{
	json_t *g = json_copy((json_t *)base);
	char *s;

	if (g == NULL)
		xnomem();
	if (name != NULL)
		jsonx_set_new(g, name, jsonx_string_or_null(value));
	if (name2 != NULL)
		jsonx_set_new(g, name2, jsonx_string_or_null(value2));
	if ((s = json_dumps(g, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		xnomem();
	json_decref(g);
	return s;
}

static struct stats_cell *
cell(struct run *r, const char *p, const json_t *base, const char *name,
    const char *value, const char *kpi, const char *currency,
    enum stats_kind kind)
{
	char *g = group_with(base, name, value, NULL, NULL);
	struct stats_cell *c = stats_cell(&r->t, p, g, kpi, currency, kind);

	free(g);
	return c;
}

static void
count(struct run *r, const char *p, const json_t *base, const char *name,
    const char *value, const char *kpi)
{
	cell(r, p, base, name, value, kpi, NULL, STATS_COUNT)->n++;
}

static void
rate(struct run *r, const char *p, const json_t *base, const char *name,
    const char *value, const char *kpi, int hit)
{
	struct stats_cell *c = cell(r, p, base, name, value, kpi, NULL,
	    STATS_RATE);

	c->den++;
	c->num += hit != 0;
}

/* A duration from start to end, in end's period, by all, by carrier and
 * by carrier and region. */
static void
duration(struct run *r, const json_t *base, const struct stats_order *o,
    const char *kpi, int64_t start, int64_t end)
{
	char buf[16], *g;
	const char *p;

	if (start == 0 || end == 0 || end < start ||
	    (p = period(r, end, buf)) == NULL)
		return;
	stats_sample_add(&cell(r, p, base, NULL, NULL, kpi, NULL,
	    STATS_QUANTILE)->sample, end - start);
	stats_sample_add(&cell(r, p, base, "shipping.carrier", o->carrier, kpi,
	    NULL, STATS_QUANTILE)->sample, end - start);
	g = group_with(base, "shipping.carrier", o->carrier,
	    "shipping.address.region", o->region);
	stats_sample_add(&stats_cell(&r->t, p, g, kpi, NULL,
	    STATS_QUANTILE)->sample, end - start);
	free(g);
}

static int
is(const char *s, const char *t)
{
	return s != NULL && strcmp(s, t) == 0;
}

/* Paid in the sense of revenue: the money is the shop's. */
static int
paid_class(const char *s)
{
	return is(s, "paid") || is(s, "overpaid") || is(s, "duplicate") ||
	    is(s, "marketplace_paid");
}

/* The step of a status, for the reject rate's denominator. */
static const char *
step_of(const char *status)
{
	static const struct { const char *status, *step; } map[] = {
		{ "validated", "order-validate" },
		{ "reserved", "order-reserve" },
		{ "backorder", "order-reserve" },
		{ "paid", "pay-reconcile" }, { "cod", "pay-reconcile" },
		{ "unpaid", "pay-reconcile" }, { "underpaid", "pay-reconcile" },
		{ "overpaid", "pay-reconcile" },
		{ "currency_mismatch", "pay-reconcile" },
		{ "duplicate", "pay-reconcile" }, { "pending", "pay-reconcile" },
		{ "booked", "ship-book" }, { "labelled", "label-gen" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (is(status, map[i].status))
			return map[i].step;
	return NULL;
}

/* The KPIs of order o within the group base. */
static void
order_kpis(struct run *r, const struct stats_order *o, const json_t *base,
    int first)
{
	static const char *const stepnames[] = { "order-validate",
	    "order-reserve", "pay-reconcile", "ship-book", "label-gen" };
	static const enum stats_step stepof[] = { STATS_VALIDATED,
	    STATS_RESERVED, STATS_PAID, STATS_BOOKED, STATS_LABELLED };
	const int64_t *at = o->reached;
	char buf[16], key[512];
	const char *p, *pay = o->paystatus;
	struct stats_cell *c;
	int64_t shipped;
	size_t i, j;
	int passed = 0, seen, rejected, revenue, delivered;
	char *g;

	for (i = 0; i < STATS_NSTEPS; i++)
		passed |= at[i] != 0;
	shipped = at[STATS_SHIPPED];
	duration(r, base, o, "time_to_paid", o->created, at[STATS_PAID]);
	duration(r, base, o, "time_to_labelled", o->created,
	    at[STATS_LABELLED]);
	duration(r, base, o, "time_to_shipped", o->created, shipped);
	duration(r, base, o, "time_to_delivered", shipped,
	    at[STATS_DELIVERED]);
	if (o->return_reason != NULL && o->refunded_at != 0 &&
	    (p = period(r, o->refunded_at, buf)) != NULL)
		stats_sample_add(&cell(r, p, base, NULL, NULL, "refund_time",
		    NULL, STATS_QUANTILE)->sample, o->refunded_at -
		    o->return_opened);
	if (!o->has_created || (p = period(r, o->created, buf)) == NULL)
		return;

	/* rejects, per step, of the orders the step saw */
	for (i = 0; i < sizeof(stepnames) / sizeof(stepnames[0]); i++) {
		rejected = 0;
		for (j = 0; j < o->nrejects; j++)
			if (is(o->rejects[j].step, stepnames[i]))
				rejected = 1;
		seen = rejected || at[stepof[i]] != 0 ||
		    (i == 1 && at[STATS_BACKORDER] != 0) ||
		    (i == 2 && at[STATS_COD] != 0) ||
		    is(step_of(o->status), stepnames[i]);
		if (seen)
			rate(r, p, base, "step", stepnames[i], "reject_rate",
			    rejected);
	}
	for (j = 0; j < o->nrejects; j++) {
		g = group_with(base, "step", o->rejects[j].step, "code",
		    o->rejects[j].code);
		stats_cell(&r->t, p, g, "rejects", NULL, STATS_COUNT)->n++;
		free(g);
	}
	if (!passed)
		return;

	count(r, p, base, NULL, NULL, "orders");
	revenue = (paid_class(pay) || is(pay, "cod") || at[STATS_COD] != 0) &&
	    o->total >= 0 && o->currency != NULL;
	delivered = at[STATS_DELIVERED] != 0;
	if (revenue) {
		stats_cell_add(cell(r, p, base, NULL, NULL, "revenue",
		    o->currency, STATS_SUM), o->total);
		stats_cell_add(cell(r, p, base, NULL, NULL, "aov", o->currency,
		    STATS_AVG), o->total);
	}
	if (o->refunded > 0 && o->currency != NULL)
		stats_cell_add(cell(r, p, base, NULL, NULL, "refunds",
		    o->currency, STATS_SUM), o->refunded);
	rate(r, p, base, NULL, NULL, "conversion_paid", revenue);
	rate(r, p, base, NULL, NULL, "conversion_delivered", delivered);

	/* payments: success by provider and by method, COD's share */
	if (paid_class(pay) || is(pay, "unpaid") || is(pay, "underpaid") ||
	    is(pay, "currency_mismatch")) {
		rate(r, p, base, NULL, NULL, "payment_success", paid_class(pay));
		rate(r, p, base, "payment.provider", o->provider,
		    "payment_success", paid_class(pay));
		rate(r, p, base, "payment.method", o->method,
		    "payment_success", paid_class(pay));
	}
	if (is(pay, "duplicate") || is(pay, "overpaid"))
		count(r, p, base, "payment.provider", o->provider,
		    is(pay, "duplicate") ? "payments_duplicate" :
		    "payments_overpaid");
	rate(r, p, base, NULL, NULL, "cod_share", is(pay, "cod") ||
	    at[STATS_COD] != 0);
	if (at[STATS_RESERVED] != 0 || at[STATS_BACKORDER] != 0)
		rate(r, p, base, NULL, NULL, "backorder_rate",
		    at[STATS_BACKORDER] != 0);
	if (o->cost_currency != NULL)
		stats_cell_add(cell(r, p, base, "shipping.carrier", o->carrier,
		    "delivery_cost", o->cost_currency, STATS_AVG), o->cost);

	/* returns of delivered orders, by SKU and reason */
	if (delivered) {
		rate(r, p, base, NULL, NULL, "return_rate",
		    o->return_reason != NULL);
		for (i = 0; i < o->nskus; i++) {
			for (j = 0; j < i; j++)
				if (is(o->skus[j], o->skus[i]))
					break;
			if (j == i)
				rate(r, p, base, "items.sku", o->skus[i],
				    "return_rate", o->return_reason != NULL);
		}
	}
	if (o->return_reason != NULL) {
		count(r, p, base, "return.reason", o->return_reason,
		    "returns");
		if (o->refund_due != 0 && (o->refunded_at != 0 ?
		    o->refunded_at > o->refund_due : r->now > o->refund_due))
			count(r, p, base, NULL, NULL, "refunds_overdue");
	}
	if (o->failed_notes > 0) {
		c = cell(r, p, base, "code", "failed_notification",
		    "problems", NULL, STATS_COUNT);
		c->n += o->failed_notes;
	}

	/* customers: by e-mail or phone, within the period */
	if (o->customer != NULL) {
		g = group_with(base, NULL, NULL, NULL, NULL);
		snprintf(key, sizeof(key), "%s\t%s\t%s", p, g, o->customer);
		/* 1: a customer of the period; 2: one who came back */
		*strmap_put(&r->customers, key, strlen(key), NULL) |=
		    first ? 1 : 3;
		if (first)
			stats_cell(&r->t, p, g, "new_customers", NULL,
			    STATS_COUNT)->n++;
		free(g);
	}
}

/* Each combination of the --group-by values of o, as a group object, to
 * order_kpis(). */
static void
combos(struct run *r, const struct stats_order *o, json_t *base, size_t k,
    int first)
{
	const json_t *vals, *v;
	size_t i;

	if (k == r->nfields) {
		order_kpis(r, o, base, first);
		return;
	}
	vals = json_array_get(o->dims, k);
	if (json_array_size(vals) == 0) {
		jsonx_set_new(base, r->fields[k], json_null());
		combos(r, o, base, k + 1, first);
	}
	json_array_foreach(vals, i, v) {
		jsonx_set_new(base, r->fields[k], json_incref((json_t *)v));
		combos(r, o, base, k + 1, first);
	}
	json_object_del(base, r->fields[k]);
}

/* A problem record of track-poll: by its code and carrier, in the period
 * of its "since". */
static void
problem(struct run *r, const json_t *rec)
{
	const char *code = json_string_value(json_object_get(rec, "code"));
	const char *since = json_string_value(json_object_get(rec, "since"));
	char buf[16], *g;
	const char *p;
	json_t *empty;
	int64_t t;
	int offset;

	if (code == NULL || since == NULL ||
	    rfc3339_parse(since, &t, &offset) == -1 ||
	    (p = period(r, t, buf)) == NULL)
		return;
	empty = jsonx_object();
	g = group_with(empty, "code", code, "shipping.carrier",
	    json_string_value(json_object_get(rec, "carrier")));
	json_decref(empty);
	stats_cell(&r->t, p, g, "problems", NULL, STATS_COUNT)->n++;
	free(g);
}

/* From the customers of each period: their count, the share of them that
 * had ordered before (or ordered twice), and revenue per customer. */
static void
customer_kpis(struct run *r)
{
	struct stats_cell *c, *k;
	size_t i, n;
	char *key, *group, *cust;
	unsigned long v;

	for (i = 0; i < r->customers.cap; i++) {
		if (r->customers.slots[i].key == NULL)
			continue;
		v = r->customers.slots[i].value;
		key = xstrdup(strmap_key(&r->customers,
		    &r->customers.slots[i].value));
		group = strchr(key, '\t');
		*group++ = '\0';
		cust = strchr(group, '\t');
		*cust = '\0';
		stats_cell(&r->t, key, group, "customers", NULL,
		    STATS_COUNT)->n++;
		c = stats_cell(&r->t, key, group, "repeat_customers", NULL,
		    STATS_RATE);
		c->den++;
		c->num += (v & 2) != 0;
		free(key);
	}
	n = r->t.n;
	for (i = 0; i < n; i++) {
		if (strcmp(r->t.cells[i].kpi, "revenue") != 0)
			continue;
		k = stats_cell(&r->t, r->t.cells[i].period,
		    r->t.cells[i].group, "customers", NULL, STATS_COUNT);
		c = stats_cell(&r->t, r->t.cells[i].period,
		    r->t.cells[i].group, "revenue_per_customer",
		    r->t.cells[i].currency, STATS_AVG);
		c->sum = r->t.cells[i].sum;
		c->overflow = r->t.cells[i].overflow;
		c->n = k->n;
	}
}

/* A JSON string's text. */
static void
put_string(FILE *fp, const char *s)
{
	json_t *j = json_string(s);
	char *t;

	if (j == NULL || (t = json_dumps(j, JSON_ENCODE_ANY)) == NULL)
		xnomem();
	fputs(t, fp);
	free(t);
	json_decref(j);
}

/* A CSV field, quoted when it must be. */
static void
put_field(FILE *fp, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r") != NULL) {
		putc('"', fp);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putc('"', fp);
			putc(*s, fp);
		}
		putc('"', fp);
	} else
		fputs(s, fp);
	putc(last ? '\n' : ',', fp);
}

/* The group of the CSV: "name=value; name=value". */
static char *
group_csv(const char *group)
{
	json_t *g = json_loads(group, 0, NULL), *v;
	const char *k;
	size_t len = 0, cap = 64, n;
	char *s = xmalloc(cap), *vt;

	s[0] = '\0';
	json_object_foreach(g, k, v) {
		/* v is a member's value: never NULL */
		vt = json_typeof(v) == JSON_STRING ?
		    xstrdup(json_string_value(v)) : jsonx_text(v);
		n = strlen(k) + strlen(vt) + 4;
		if (len + n >= cap) {
			cap = (len + n) * 2;
			s = xrealloc(s, cap);
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%s=%s",
		    len > 0 ? "; " : "", k, vt);
		free(vt);
	}
	json_decref(g);
	return s;
}

/* One output record: kpi with value (text) and n, num and den when a
 * rate. */
static void
emit(FILE *fp, int csv, const struct run *r, const struct stats_cell *c,
    const char *kpi, const char *value, int64_t n, int is_rate, int approx)
{
	char num[32], den[32], nt[32], *g;

	snprintf(nt, sizeof(nt), "%" PRId64, n);
	snprintf(num, sizeof(num), "%" PRId64, c->num);
	snprintf(den, sizeof(den), "%" PRId64, c->den);
	if (csv) {
		g = group_csv(c->group);
		put_field(fp, c->period, 0);
		put_field(fp, stats_by_name(r->by), 0);
		put_field(fp, g, 0);
		put_field(fp, kpi, 0);
		put_field(fp, c->currency, 0);
		put_field(fp, value, 0);
		put_field(fp, nt, 0);
		put_field(fp, is_rate ? num : "", 0);
		put_field(fp, is_rate ? den : "", 1);
		free(g);
		return;
	}
	fprintf(fp, "{\"period\":\"%s\",\"by\":\"%s\",\"group\":%s,"
	    "\"kpi\":\"%s\",", c->period, stats_by_name(r->by), c->group, kpi);
	if (*c->currency != '\0') {
		fputs("\"currency\":", fp);
		put_string(fp, c->currency);
		putc(',', fp);
	}
	fprintf(fp, "\"value\":%s,\"n\":%s", value, nt);
	if (is_rate)
		fprintf(fp, ",\"num\":%s,\"den\":%s", num, den);
	if (approx)
		fputs(",\"approx\":true", fp);
	fputs("}\n", fp);
}

/* Does label name a period of --by: 2026-03-30, 2026-W14, 2026-03? */
static int
is_label(const char *s, enum stats_by by)
{
	static const char *const forms[] = { "dddd-dd-dd", "dddd-Wdd",
	    "dddd-dd" };
	const char *f = forms[by];

	for (; *f != '\0'; f++, s++)
		if (*f == 'd' ? *s < '0' || *s > '9' : *s != *f)
			return 0;
	return *s == '\0';
}

/* Read --costs FILE: "period,currency,amount" with a header, the amount
 * in the currency's units ("15000.00").  A line that is none exits 65. */
static void
read_costs(struct run *r, const char *path)
{
	const struct money_currency *cur;
	struct cost *c;
	char *line = NULL, *f[3], *p, msg[1024];
	size_t cap = 0, i;
	unsigned long lineno = 0;
	ssize_t len;
	FILE *fp;

	if ((fp = fileio_read(path, msg, sizeof(msg))) == NULL)
		errx(EX_NOINPUT, "%s", msg);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1 || len == 0)
			continue;
		for (i = 0, p = line; i < 3; i++) {
			f[i] = p;
			if ((p = strchr(p, ',')) != NULL)
				*p++ = '\0';
			else if (i < 2)
				break;
		}
		if (i < 3 || p != NULL)
			errx(EX_DATAERR, "costs '%s' line %lu: not "
			    "period,currency,amount", path, lineno);
		if (!is_label(f[0], r->by))
			errx(EX_DATAERR, "costs '%s' line %lu: '%s' is not a "
			    "period of --by %s", path, lineno, f[0],
			    stats_by_name(r->by));
		if ((cur = money_currency(f[1])) == NULL)
			errx(EX_DATAERR, "costs '%s' line %lu: '%s' is not an "
			    "ISO 4217 currency", path, lineno, f[1]);
		r->costs = xrealloc(r->costs, (r->ncosts + 1) *
		    sizeof(*r->costs));
		c = &r->costs[r->ncosts];
		/* cur is not NULL: errx(3) above does not return */
		// cppcheck-suppress nullPointerRedundantCheck
		if (money_parse(f[2], cur->exponent, &c->amount) != MONEY_OK)
			errx(EX_DATAERR, "costs '%s' line %lu: '%s' is not an "
			    "amount of %s", path, lineno, f[2], cur->code);
		snprintf(c->period, sizeof(c->period), "%s", f[0]);
		memcpy(c->currency, cur->code, sizeof(c->currency));
		r->ncosts++;
	}
	if (ferror(fp))
		err(EX_IOERR, "cannot read '%s'", path);
	free(line);
	fclose(fp);
}

/* Marketing spend and CAC, spend per new customer, in the periods that
 * have orders. */
static void
cost_kpis(struct run *r)
{
	struct stats_cell *c, *nc;
	const char *p;
	size_t i;

	for (i = 0; i < r->ncosts; i++) {
		p = r->whole ? "all" : r->costs[i].period;
		if (stats_find(&r->t, p, "{}", "orders", NULL) == NULL)
			continue;
		nc = stats_find(&r->t, p, "{}", "new_customers", NULL);
		stats_cell_add(stats_cell(&r->t, p, "{}", "marketing_spend",
		    r->costs[i].currency, STATS_SUM), r->costs[i].amount);
		c = stats_cell(&r->t, p, "{}", "cac", r->costs[i].currency,
		    STATS_AVG);
		if (!c->overflow && money_add(c->sum, r->costs[i].amount,
		    &c->sum) == -1)
			c->overflow = 1;
		c->n = nc != NULL ? nc->n : 0;
	}
}

/* The table of r's KPIs from the orders and problems read. */
static void
aggregate(struct run *r, const struct stats_orders *orders)
{
	const struct stats_order *o;
	unsigned long *first;
	const json_t *rec;
	json_t *base;
	size_t i;

	stats_table_init(&r->t);
	strmap_init(&r->customers);
	base = jsonx_object();
	for (i = 0; i < orders->n; i++) {
		o = &orders->v[i];
		first = o->customer != NULL ? strmap_find(&r->first,
		    o->customer, strlen(o->customer)) : NULL;
		combos(r, o, base, 0, first != NULL && *first == i + 1);
	}
	json_decref(base);
	json_array_foreach(r->problems, i, rec)
		problem(r, rec);
	customer_kpis(r);
	cost_kpis(r);
	stats_table_sort(&r->t);
	strmap_release(&r->customers);
}

static void
write_table(FILE *fp, int csv, struct run *r)
{
	static const struct { const char *suffix; unsigned pct; } q[] = {
		{ "_p50", 50 }, { "_p90", 90 }, { "_max", 100 },
	};
	struct stats_cell *c;
	char value[48], kpi[80];
	size_t i, j;

	if (csv)
		fputs("period,by,group,kpi,currency,value,n,num,den\n", fp);
	for (i = 0; i < r->t.n; i++) {
		c = &r->t.cells[i];
		switch (c->kind) {
		case STATS_COUNT:
			snprintf(value, sizeof(value), "%" PRId64, c->n);
			emit(fp, csv, r, c, c->kpi, value, c->n, 0, 0);
			break;
		case STATS_SUM:
		case STATS_AVG:
			if (c->overflow || (c->kind == STATS_AVG && c->n == 0))
				strcpy(value, "null");
			else
				snprintf(value, sizeof(value), "%" PRId64,
				    c->kind == STATS_SUM ? c->sum :
				    stats_div(c->sum, c->n));
			emit(fp, csv, r, c, c->kpi, value, c->n, 0, 0);
			break;
		case STATS_RATE:
			emit(fp, csv, r, c, c->kpi, stats_percent(c->num,
			    c->den, value), c->den, 1, 0);
			break;
		case STATS_QUANTILE:
			for (j = 0; j < sizeof(q) / sizeof(q[0]); j++) {
				snprintf(kpi, sizeof(kpi), "%s%s", c->kpi,
				    q[j].suffix);
				snprintf(value, sizeof(value), "%" PRId64,
				    stats_sample_rank(&c->sample, q[j].pct));
				emit(fp, csv, r, c, kpi, value,
				    (int64_t)c->sample.seen, 0,
				    q[j].pct < 100 &&
				    stats_sample_approx(&c->sample));
			}
			break;
		}
	}
}

static void
parse_time(struct cli *cli, const char *opt, const char *arg, int64_t *t)
{
	int offset;

	if (rfc3339_parse(arg, t, &offset) == -1)
		cli_usage_error(cli, "%s '%s' is not an RFC 3339 time", opt,
		    arg);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct run r;
	struct stats_orders orders;
	struct reject_stream rejects;
	struct jsonl_reader in;
	struct conf *conf;
	const char *config = NULL, *costs = NULL, *out = NULL, *tz = NULL, *s;
	const struct stats_order *o;
	unsigned long *first;
	struct stats_table per;
	json_t *rec;
	FILE *fp = stdout;
	char msg[1024];
	enum msg_lang lang = MSG_EN;
	int ch, format = FORMAT_JSONL, status, nread = 0, have_lang = 0;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_BY:
			if (stats_by_parse(optarg, &r.by) == -1)
				cli_usage_error(&cli, "--by '%s' is not day, "
				    "week or month", optarg);
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_COSTS:
			costs = optarg;
			break;
		case OPT_FORMAT:
			for (format = 0; format < 3; format++)
				if (strcmp(optarg, format_names[format]) == 0)
					break;
			if (format == 3)
				cli_usage_error(&cli, "--format '%s' is not "
				    "jsonl, csv or html", optarg);
			break;
		case OPT_LANG:
			if (msg_lang_parse(optarg, &lang) == -1)
				cli_usage_error(&cli, "--lang '%s' is not en, "
				    "ru or uk", optarg);
			have_lang = 1;
			break;
		case OPT_FROM:
			parse_time(&cli, "--from", optarg, &r.from);
			r.has_from = 1;
			break;
		case OPT_GROUP_BY:
			if (r.nfields == MAX_GROUP_BY)
				cli_usage_error(&cli, "more than %d "
				    "--group-by", MAX_GROUP_BY);
			r.fields[r.nfields++] = optarg;
			break;
		case OPT_NOW:
			parse_time(&cli, "--now", optarg, &r.now);
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_TO:
			parse_time(&cli, "--to", optarg, &r.to);
			r.has_to = 1;
			break;
		case OPT_TZ:
			tz = optarg;
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	conf = conf_load(config);
	if (tz == NULL && (s = conf_get(conf, "shop", NULL, "tz")) != NULL &&
	    exporttime_zone(s, &r.tz) == -1)
		errx(EX_CONFIG, "[shop] tz '%s' is an unknown or "
		    "daylight-saving zone: give +HH:MM", s);
	if (!have_lang && (s = conf_get(conf, "shop", NULL, "lang")) !=
	    NULL && msg_lang_parse(s, &lang) == -1)
		errx(EX_CONFIG, "[shop] lang '%s' is not en, ru or uk", s);
	conf_free(conf);
	if (tz != NULL && exporttime_zone(tz, &r.tz) == -1)
		cli_usage_error(&cli, "unknown or daylight-saving zone '%s': "
		    "give +HH:MM", tz);
	cli_need_input(&cli, argc - optind);
	if (costs != NULL)
		read_costs(&r, costs);
	reject_open(&rejects, cli.rejects_path);
	if (out != NULL && (fp = fileio_write(out, 0, msg, sizeof(msg))) ==
	    NULL)
		errx(EX_CANTCREAT, "%s", msg);

	strmap_init(&r.first);
	r.problems = json_array();
	stats_orders_init(&orders, r.fields, r.nfields);
	jsonl_open(&in, argc - optind, argv + optind);
	while ((rec = reject_read(&rejects, &in)) != NULL) {
		nread++;
		if (is(json_string_value(json_object_get(rec, "type")),
		    "problem"))
			jsonx_append_new(r.problems, json_incref(rec));
		else
			stats_orders_merge(&orders, rec);
		json_decref(rec);
	}
	status = jsonl_close(&in);

	/* each customer's first order, for new customers */
	for (i = 0; i < orders.n; i++) {
		o = &orders.v[i];
		if (o->customer == NULL || !o->has_created)
			continue;
		first = strmap_put(&r.first, o->customer, strlen(o->customer),
		    NULL);
		if (*first == 0 || o->created < orders.v[*first - 1].created)
			*first = i + 1;
	}
	if (format == FORMAT_HTML) {
		/* the page is of the whole shop: no --group-by */
		r.nfields = 0;
		aggregate(&r, &orders);
		per = r.t;
		r.whole = 1;
		aggregate(&r, &orders);
		stats_html(fp, &per, &r.t, r.by, lang);
		stats_table_release(&per);
	} else {
		aggregate(&r, &orders);
		write_table(fp, format == FORMAT_CSV, &r);
	}

	cli_count("read", nread);
	cli_count("orders", (long long)orders.n);
	cli_count("records", (long long)r.t.n);
	stats_orders_release(&orders);
	stats_table_release(&r.t);
	strmap_release(&r.first);
	json_decref(r.problems);
	free(r.costs);
	if (out != NULL && jsonl_finish(fp, out) == -1)
		status = cli_worse(status, EX_IOERR);
	return cli_finish(&cli, status, &rejects, "%d records read", nread);
}
