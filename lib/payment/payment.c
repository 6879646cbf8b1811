/* payment.c: read Stripe, YooKassa, PayPal, CloudPayments and mapped CSV
 * transactions into struct payment_txn, exactly: the reader, which hands
 * each row or object to its provider's file. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <jansson.h>

#include "arena.h"
#include "csvread.h"
#include "fileio.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"
#include "reject.h"
#include "xalloc.h"

const char *const payment_providers[] = {
	"stripe", "yookassa", "paypal", "cloudpayments", "amazon", "shopify",
	"ebay", "etsy", "generic", NULL
};

int
payment_provider_valid(const char *name)
{
	int i;

	for (i = 0; payment_providers[i] != NULL; i++)
		if (strcmp(name, payment_providers[i]) == 0)
			return 1;
	return 0;
}

const char *
payment_kind_name(enum payment_kind k)
{
	switch (k) {
	case PAYMENT_CHARGE:	return "charge";
	case PAYMENT_REFUND:	return "refund";
	default:		return "other";
	}
}

const char *
payment_state_name(enum payment_state s)
{
	switch (s) {
	case PAYMENT_SUCCEEDED:	return "succeeded";
	case PAYMENT_AUTHORIZED: return "authorized";
	case PAYMENT_PENDING:	return "pending";
	default:		return "failed";
	}
}

int
payment_kind_parse(const char *s, enum payment_kind *k)
{
	if (strcmp(s, "charge") == 0)
		*k = PAYMENT_CHARGE;
	else if (strcmp(s, "refund") == 0)
		*k = PAYMENT_REFUND;
	else if (strcmp(s, "other") == 0)
		*k = PAYMENT_OTHER;
	else
		return -1;
	return 0;
}

int
payment_state_parse(const char *s, enum payment_state *st)
{
	if (strcmp(s, "succeeded") == 0)
		*st = PAYMENT_SUCCEEDED;
	else if (strcmp(s, "authorized") == 0)
		*st = PAYMENT_AUTHORIZED;
	else if (strcmp(s, "pending") == 0)
		*st = PAYMENT_PENDING;
	else if (strcmp(s, "failed") == 0)
		*st = PAYMENT_FAILED;
	else
		return -1;
	return 0;
}

void
payment_txn_keep(struct payment_txn *t, struct arena *a)
{
	t->provider = arena_strdup(a, t->provider);
	t->id = arena_strdup(a, t->id);
	t->parent = arena_strdup(a, t->parent);
	t->order_ref = arena_strdup(a, t->order_ref);
	t->alt_ref = arena_strdup(a, t->alt_ref);
	t->intent = arena_strdup(a, t->intent);
	t->email = arena_strdup(a, t->email);
	t->card = arena_strdup(a, t->card);
}

/* The providers, in the order a JSON object or a CSV header is offered
 * to them: the one that knows it reads it. */
const struct payment_ops *const payment_adapters[] = {
	&payment_paypal_ops, &payment_cloudpayments_ops, &payment_stripe_ops,
	&payment_yookassa_ops, &payment_amazon_ops, &payment_shopify_ops,
	&payment_ebay_ops, &payment_etsy_ops, NULL
};

/* Whether the header field f is name (len bytes), white space and ASCII
 * case aside. */
static int
name_equal(const char *f, const char *name, size_t len)
{
	while (*f == ' ' || *f == '\t')
		f++;
	if (strncasecmp(f, name, len) != 0)
		return 0;
	for (f += len; *f == ' ' || *f == '\t'; f++)
		;
	return *f == '\0';
}

int
payment_header_is(const char *field, const char *name)
{
	return name_equal(field, name, strlen(name));
}

int
payment_header_has(const char *aliases, char *const *fields, size_t n)
{
	const char *p, *e;
	size_t i, len;

	for (p = aliases; p != NULL; p = e ? e + 1 : NULL) {
		e = strchr(p, '|');
		len = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < n; i++)
			if (name_equal(fields[i], p, len))
				return i;
	}
	return -1;
}

/* The report whose header hdr is, its columns found in it; NULL when it
 * is no report known. */
static const struct payment_layout *
find_layout(struct payment_reader *r, struct csvread_row *hdr)
{
	const struct payment_layout *l;
	size_t i, j;
	int c;

	for (i = 0; payment_adapters[i] != NULL; i++) {
		if (payment_adapters[i]->layouts == NULL)
			continue;
		for (j = 0; (l = payment_adapters[i]->layouts[j]) != NULL;
		    j++) {
			if (!l->is(hdr->fields, hdr->nfields))
				continue;
			for (c = 0; c < PAYCOL_N; c++)
				r->col[c] = l->cols[c] != NULL ?
				    payment_header_has(l->cols[c], hdr->fields,
				    hdr->nfields) : -1;
			return l;
		}
	}
	return NULL;
}

/* Rows above a report's header that are looked at for it. */
#define HEADER_SEARCH	16

/* The delimiter of a CSV file: a tab when its first line has more tabs
 * than commas, else a comma.  Read from the start again after. */
static char
sniff_delim(struct payment_reader *r)
{
	size_t tabs = 0, commas = 0;
	int c;

	if (r->fp == stdin)
		return ',';
	while ((c = getc(r->fp)) != EOF && c != '\n') {
		tabs += c == '\t';
		commas += c == ',';
	}
	rewind(r->fp);
	return tabs > commas ? '\t' : ',';
}

/* The shop or marketplace whose orders export a header is ("a Shopify"),
 * or NULL: a file given as --payments that should have gone to
 * order-import. */
const char *
payment_orders_export(char *const *fields, size_t n)
{
	if (payment_header_has("lineitem name", fields, n) >= 0)
		return "a Shopify";
	if (payment_header_has("amazon-order-id", fields, n) >= 0)
		return "an Amazon";
	if (payment_header_has("sale date", fields, n) >= 0 &&
	    payment_header_has("order id", fields, n) >= 0)
		return "an Etsy";
	if (payment_header_has("sales record number", fields, n) >= 0)
		return "an eBay";
	if (payment_header_has("order number", fields, n) >= 0 &&
	    payment_header_has("shipping method title|item name|"
	    "billing first name", fields, n) >= 0)
		return "a WooCommerce";
	return NULL;
}

/* Tell the format of the file r has open from its first bytes and, for a
 * CSV file, its header: 0, or EX_DATAERR after a warning. */
static int
open_format(struct payment_reader *r)
{
	const struct payment_layout *l;
	struct csvread_row *hdr;
	const char *export = NULL;
	int c, generic, above;

	/* JSON starts with '{' or '[' after white space and a BOM */
	for (;;) {
		c = getc(r->fp);
		if (c == 0xef) {
			if (getc(r->fp) == 0xbb && getc(r->fp) == 0xbf)
				continue;
			break;
		}
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	/* Read again from the start, so that lines keep their numbers. */
	if (r->fp != stdin)
		rewind(r->fp);
	else if (c != EOF)
		ungetc(c, r->fp);
	generic = r->provider != NULL && strcmp(r->provider, "generic") == 0;
	if (!generic && (c == '{' || c == '[' || c == EOF))
		return 0;
	/* A CSV file: the header names it.  Amazon's settlement report is
	 * tab-separated; eBay's has lines about the report above it. */
	r->delim = generic ? payment_map_delimiter(r->map) : sniff_delim(r);
	csvread_init(&r->csv, r->fp, r->path, r->delim);
	r->have_csv = 1;
	if ((hdr = csvread_next(&r->csv)) == NULL)
		return 0;			/* nothing in it: JSON */
	if (generic) {
		r->layout = &payment_generic_layout;
		return payment_generic_header(r, hdr);
	}
	for (above = 0; (r->layout = l = find_layout(r, hdr)) == NULL &&
	    above < HEADER_SEARCH; above++) {
		if (above == 0)
			export = payment_orders_export(hdr->fields,
			    hdr->nfields);
		if ((hdr = csvread_next(&r->csv)) == NULL)
			break;
	}
	if (l == NULL) {
		if (export != NULL)
			warnx("'%s' looks like %s orders export, not a "
			    "payment report: run order-import on it and give "
			    "its records as operands", r->path, export);
		else
			warnx("'%s' is no payment report known (Stripe "
			    "balance or payments, PayPal activity, Amazon "
			    "settlement, Shopify Payments, eBay or Etsy "
			    "payments); name a map with --map", r->path);
		return EX_DATAERR;
	}
	if (r->provider != NULL && strcmp(r->provider, l->provider->name) !=
	    0) {
		warnx("'%s' is a %s report, not %s", r->path,
		    l->provider->title, r->provider);
		return EX_DATAERR;
	}
	if (r->col[PAYCOL_ID] < 0 || r->col[PAYCOL_CURRENCY] < 0 ||
	    (r->col[PAYCOL_GROSS] < 0 && r->col[PAYCOL_AMOUNT] < 0)) {
		warnx("'%s' lacks the id, currency or amount column", r->path);
		return EX_DATAERR;
	}
	return 0;
}

const char *
payment_sniff(const char *path, int *orders)
{
	struct payment_reader r;
	struct csvread_row *row;
	const struct payment_layout *l;
	const char *what = NULL;
	char msg[1024];
	size_t i, j;
	int above;

	*orders = 0;
	memset(&r, 0, sizeof(r));
	r.path = path;
	if (strcmp(path, "-") == 0 ||
	    (r.fp = fileio_read(path, msg, sizeof(msg))) == NULL)
		return NULL;
	r.delim = sniff_delim(&r);
	csvread_init(&r.csv, r.fp, path, r.delim);
	for (above = 0; what == NULL && above <= HEADER_SEARCH &&
	    (row = csvread_next(&r.csv)) != NULL; above++) {
		if (row->nfields < 2)
			continue;
		if ((what = payment_orders_export(row->fields,
		    row->nfields)) != NULL) {
			*orders = 1;
			break;
		}
		for (i = 0; what == NULL && payment_adapters[i] != NULL; i++)
			for (j = 0; payment_adapters[i]->layouts != NULL &&
			    (l = payment_adapters[i]->layouts[j]) != NULL; j++)
				if (l->is(row->fields, row->nfields)) {
					what = l->provider->title;
					break;
				}
	}
	csvread_release(&r.csv);
	fclose(r.fp);
	return what;
}

struct payment_reader *
payment_open(const char *path, const char *provider,
    const struct payment_map *map, int *status)
{
	struct payment_reader *r;
	char msg[1024];

	r = xcalloc(1, sizeof(*r));
	r->path = path;
	r->provider = provider;
	r->map = map;
	if (strcmp(path, "-") == 0)
		r->fp = stdin;
	else if ((r->fp = fileio_read(path, msg, sizeof(msg))) == NULL) {
		warnx("%s", msg);
		free(r);
		*status = EX_NOINPUT;
		return NULL;
	}
	if ((*status = open_format(r)) != 0) {
		payment_close(r);
		return NULL;
	}
	return r;
}

int
payment_close(struct payment_reader *r)
{
	int status;

	if (r == NULL)
		return 0;
	status = r->status;
	if (r->nread == 0 && r->norders > 0) {
		warnx("'%s' holds orders, not payment transactions: give "
		    "orders as operands and the provider's report as "
		    "--payments", r->path);
		status = EX_DATAERR;
	}
	if (r->fp != NULL && ferror(r->fp)) {
		warn("cannot read '%s'", r->path);
		status = EX_IOERR;
	}
	if (r->have_csv)
		csvread_release(&r->csv);
	if (r->fp != NULL && r->fp != stdin)
		fclose(r->fp);
	free(r->line);
	free(r->doc);
	free(r->queue);
	free(r->rowtext);
	json_decref(r->root);
	payment_gather_free(r->gather);
	free(r);
	return status;
}

const char *
payment_col(struct payment_reader *r, struct csvread_row *row,
    enum payment_column c)
{
	const char *s;

	if (r->col[c] < 0 || (size_t)r->col[c] >= row->nfields)
		return NULL;
	s = row->fields[r->col[c]];
	while (*s == ' ' || *s == '\t')
		s++;
	return *s != '\0' ? s : NULL;
}

/* The fields of row joined by the file's delimiter, for a reject. */
const char *
payment_row_text(struct payment_reader *r, struct csvread_row *row,
    size_t *lenp)
{
	size_t i, len = 0, need = 1;

	for (i = 0; i < row->nfields; i++)
		need += row->lens[i] + 1;
	if (need > r->rowcap) {
		r->rowcap = need;
		r->rowtext = xrealloc(r->rowtext, need);
	}
	for (i = 0; i < row->nfields; i++) {
		if (i > 0)
			r->rowtext[len++] = r->delim ? r->delim : ',';
		memcpy(r->rowtext + len, row->fields[i], row->lens[i]);
		len += row->lens[i];
	}
	r->rowtext[len] = '\0';
	*lenp = len;
	return r->rowtext;
}

int
payment_positive(const struct payment_txn *t, struct payment_problem *pb)
{
	const struct money_currency *c = money_currency(t->currency);
	char buf[40];

	if (t->refunded < 0)
		return payment_fail(pb, "bad_amount", "the amount refunded is "
		    "negative");
	if (t->fee < 0)
		return payment_fail(pb, "bad_amount", "the fee is negative");
	if (t->amount >= 0)
		return 0;
	return payment_fail(pb, "bad_amount", "amount %s %s is negative",
	    money_format(t->amount, c != NULL ? c->exponent : 2, buf,
	    sizeof(buf)), t->currency);
}

int
payment_next(struct payment_reader *r, struct payment_txn *t,
    struct reject_stream *rejects)
{
	struct csvread_row *row;
	struct payment_problem pb;
	const char *text;
	size_t len;

	if (r->layout == NULL || r->layout->part != NULL) {
		if (r->layout == NULL ? !payment_json_next(r, t, rejects) :
		    !payment_gather_next(r, t, rejects))
			return 0;
		r->nread++;
		return 1;
	}
	for (;;) {
		memset(t, 0, sizeof(*t));
		pb.code = "bad_payment";
		pb.msg[0] = '\0';
		if ((row = csvread_next(&r->csv)) == NULL) {
			if (r->csv.error)
				r->status = EX_IOERR;
			return 0;
		}
		t->line = row->line;
		if (r->layout->row(r, row, t, &pb) == 0 &&
		    payment_positive(t, &pb) == 0)
			break;
		text = payment_row_text(r, row, &len);
		reject_line(rejects, r->path, row->line, text, len, pb.code,
		    pb.msg);
	}
	r->nread++;
	return 1;
}
