/* label-gen: shipping labels (ZPL or PDF), packing slips and the day's
 * manifest from booked or paid orders, offline. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "jsonl.h"
#include "jsonx.h"
#include "label.h"
#include "money.h"
#include "parcel.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "strmap.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: label-gen [--config FILE] [--format zpl|pdf]\n"
    "                 [--size 4x6|100x150|a6|a4] [--dpi 203|300] [--out DIR]\n"
    "                 [--one-file] [--packing-slip] [--manifest FILE]\n"
    "                 [--catalog FILE] [--now TIME]\n"
    "                 [--progress | --no-progress] [--rejects FILE]\n"
    "                 [--stats[=json|FILE]] [--strict] [FILE ...]\n";

#define OPT_CATALOG	'c'
#define OPT_CONFIG	'C'
#define OPT_DPI		'd'
#define OPT_FORMAT	'f'
#define OPT_MANIFEST	'm'
#define OPT_NOW		'n'
#define OPT_ONE_FILE	'1'
#define OPT_OUT		'o'
#define OPT_SLIP	'p'
#define OPT_SIZE	's'

static const struct option longopts[] = {
	{ "catalog",	  required_argument, NULL, OPT_CATALOG },
	{ "config",	  required_argument, NULL, OPT_CONFIG },
	{ "dpi",	  required_argument, NULL, OPT_DPI },
	{ "format",	  required_argument, NULL, OPT_FORMAT },
	CLI_OPT_HELP,
	{ "manifest",	  required_argument, NULL, OPT_MANIFEST },
	CLI_OPT_NO_PROGRESS,
	{ "now",	  required_argument, NULL, OPT_NOW },
	{ "one-file",	  no_argument,	     NULL, OPT_ONE_FILE },
	{ "out",	  required_argument, NULL, OPT_OUT },
	{ "packing-slip", no_argument,	     NULL, OPT_SLIP },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	{ "size",	  required_argument, NULL, OPT_SIZE },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--catalog FILE", "the catalog CSV: weights of computed parcels" },
	{ "--config FILE", "the sender, warehouses and carriers: "
	    "orderkit.conf(5)" },
	{ "--dpi 203|300", "the thermal printer's resolution (ZPL)" },
	{ "--format zpl|pdf", "labels as ZPL II (thermal printers) or PDF "
	    "(default)" },
	CLI_ITEM_HELP,
	{ "--manifest FILE", "write the day's handover list as CSV to FILE" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339): the ship date" },
	{ "--one-file", "the run's labels in one file, its slips in another" },
	{ "--out DIR", "where the files go (default: labels)" },
	{ "--packing-slip", "a packing slip for each order too" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	{ "--size 4x6|100x150|a6|a4", "the label's size (default: 100x150)" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 70, 71, 73, 74, 78, -1 };
static const struct cli_help help_text = {
	"Make shipping labels, packing slips and the manifest from orders.",
	help_options, help_exits, "label-gen(1)"
};

struct run {
	struct cli		 cli;
	struct conf		*conf;
	struct catalog		 catalog;
	int			 have_catalog;
	struct parcel_defaults	 defaults;
	int			 zpl, dpi, one_file, slips;
	double			 w, h;
	const char		*out, *manifest_path, *gs1_prefix;
	char			 now_date[11];
	int64_t			 now;		/* --now, else the clock */
	struct strmap		 names;		/* file names of the run */
	struct label_file		 batch, slip_batch;
	char			*zbuf;		/* ZPL being made */
	size_t			 zcap, zlen;
	struct label_manifest_row *rows;
	size_t			 nrows, rowcap;
	unsigned long		 nlabels, norders, nout;
	int			 status;	/* 73, 74: stop */
};

/* A parcel as the label needs it; strings borrowed from the record. */
struct pinfo {
	int		 n, of;
	const char	*warehouse, *tracking, *url, *carrier_label;
	int64_t		 weight_g, cod;
};

static char *
xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *
str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	return s != NULL && *s != '\0' ? s : NULL;
}

static const json_t *
path_get(const json_t *v, const char *a, const char *b)
{
	v = json_object_get(v, a);
	return b != NULL ? json_object_get(v, b) : v;
}

/* [warehouse "w"] key, else [sender] key. */
static const char *
shop_value(const struct run *r, const char *w, const char *key)
{
	const char *s = NULL;

	if (w != NULL)
		s = conf_get(r->conf, "warehouse", w, key);
	if (s == NULL || *s == '\0')
		s = conf_get(r->conf, "sender", NULL, key);
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
party_shop(const struct run *r, const char *w, struct label_party *p)
{
	memset(p, 0, sizeof(*p));
	p->name = shop_value(r, w, "name");
	p->company = shop_value(r, w, "company");
	p->phone = shop_value(r, w, "phone");
	p->line1 = shop_value(r, w, "line1");
	p->line2 = shop_value(r, w, "line2");
	p->city = shop_value(r, w, "city");
	p->postal_code = shop_value(r, w, "postal_code");
	p->region = shop_value(r, w, "region");
	p->country = shop_value(r, w, "country");
	if (p->name == NULL)
		p->name = conf_get(r->conf, "shop", NULL, "name");
}

static void
party_customer(const json_t *order, struct label_party *p)
{
	const json_t *a = path_get(order, "shipping", "address");

	memset(p, 0, sizeof(*p));
	p->name = str(json_object_get(order, "customer"), "name");
	p->phone = str(json_object_get(order, "customer"), "phone");
	p->line1 = str(a, "line1");
	p->line2 = str(a, "line2");
	p->city = str(a, "city");
	p->postal_code = str(a, "postal_code");
	p->region = str(a, "region");
	p->country = str(a, "country");
}

/* "YYYY-MM-DD" of an RFC 3339 time in its own offset, or NULL. */
static const char *
date_of(const char *t, char buf[11])
{
	int64_t epoch;
	int offset;

	if (t == NULL || rfc3339_parse(t, &epoch, &offset) == -1)
		return NULL;
	memcpy(buf, t, 10);
	buf[10] = '\0';
	return buf;
}

/* The amount a cash-on-delivery order collects: total less paid. */
static int64_t
cod_due(const json_t *order)
{
	const char *status = str(order, "status");
	const json_t *total = path_get(order, "totals", "total");
	json_int_t paid = json_integer_value(path_get(order, "payment",
	    "paid"));

	if (status == NULL || strcmp(status, "cod") != 0 ||
	    !json_is_integer(total))
		return 0;
	return json_integer_value(total) > paid && paid >= 0 ?
	    json_integer_value(total) - paid : 0;
}

static int
exponent_of(const json_t *order)
{
	const char *c = str(order, "currency");
	const struct money_currency *m = c ? money_currency(c) : NULL;

	return m != NULL ? m->exponent : 2;
}

/* The parcels of the order (or of its return): shipment.parcels[], else
 * computed.  *pp is the caller's to free(); computed parcels in *computed
 * (parcel_free()). */
static int
parcels_of(struct run *r, const json_t *order, const json_t *shipment,
    int is_return, struct pinfo **pp, size_t *np, struct parcel **computed,
    size_t *ncomputed, json_t *errors)
{
	const json_t *list = json_object_get(shipment, "parcels"), *p;
	struct pinfo *pi;
	size_t i, n = json_array_size(list);

	*computed = NULL;
	*ncomputed = 0;
	if (n == 0) {
		if (is_return) {
			reject_add(errors, "missing_field",
			    "return.shipment.parcels", "a return's label "
			    "needs its booked parcels");
			return -1;
		}
		if (parcel_compute(order, r->have_catalog ? &r->catalog :
		    NULL, &r->defaults, computed, ncomputed, errors) == -1)
			return -1;
		n = *ncomputed;
	}
	pi = *pp = xcalloc(n, sizeof(*pi));
	*np = n;
	for (i = 0; i < n; i++) {
		pi[i].n = (int)i + 1;
		pi[i].of = (int)n;
		pi[i].weight_g = -1;
		if (*computed != NULL) {
			pi[i].warehouse = (*computed)[i].warehouse;
			pi[i].weight_g = (*computed)[i].weight_g;
			continue;
		}
		p = json_array_get(list, i);
		if (json_is_integer(json_object_get(p, "n")))
			pi[i].n = (int)json_integer_value(json_object_get(p,
			    "n"));
		if (json_is_integer(json_object_get(p, "of")))
			pi[i].of = (int)json_integer_value(json_object_get(p,
			    "of"));
		pi[i].warehouse = str(p, "warehouse");
		pi[i].tracking = str(p, "tracking_number");
		pi[i].url = str(p, "tracking_url");
		pi[i].carrier_label = str(p, "carrier_label");
		if (json_is_integer(json_object_get(p, "weight_g")))
			pi[i].weight_g = json_integer_value(
			    json_object_get(p, "weight_g"));
		if (json_is_integer(path_get(p, "cod", "amount")))
			pi[i].cod = json_integer_value(path_get(p, "cod",
			    "amount"));
	}
	if (!is_return && n > 0) {
		int64_t due = cod_due(order), on = 0;

		for (i = 0; i < n; i++)
			on += pi[i].cod;
		if (on == 0)
			pi[0].cod = due;
	}
	return 0;
}

/* The file name under --out for the order's id and what follows it, made
 * safe, and distinct from every other of the run. */
static char *
file_name(struct run *r, const json_t *order, const char *suffix)
{
	char num[JSONL_ID_BUF], *safe, *name;
	const char *id;
	size_t len, k;
	int added, i;

	id = jsonl_id_text(json_object_get(order, "id"), num, &len);
	safe = label_safe_name(id, len);
	k = strlen(safe) + strlen(suffix) + 16;
	name = xmalloc(k);
	snprintf(name, k, "%s%s", safe, suffix);
	for (i = 2; strmap_put(&r->names, name, strlen(name), &added),
	    !added; i++)
		snprintf(name, k, "%s~%d%s", safe, i, suffix);
	free(safe);
	return name;
}

static char *
out_path(const struct run *r, const char *name)
{
	size_t k = strlen(r->out) + strlen(name) + 2;
	char *p = xmalloc(k);

	snprintf(p, k, "%s/%s", r->out, name);
	return p;
}

/* The pages of l into the file f is, or into a file of its own named
 * name: its first page's number (from 1), or 0 when it failed. */
static int
emit(struct run *r, struct label_file *batch, const char *name, const char *date,
    const struct label_layout *l, int pdf)
{
	struct label_file one, *f = batch;
	char *path;
	int first, rc;

	if (batch->path == NULL) {
		path = out_path(r, name);
		f = &one;
		label_file_start(f, path);
		free(path);
	}
	if (pdf && f->pdf == NULL && (f->pdf = label_pdf_open(f->fp,
	    date)) == NULL)
		errx(EX_SOFTWARE, "cairo cannot make a PDF");
	first = f->pages + 1;
	if (pdf)
		label_pdf_pages(f->pdf, l);
	else {
		r->zlen = 0;
		label_zpl(l, r->dpi, &r->zbuf, &r->zcap, &r->zlen);
		fwrite(r->zbuf, 1, r->zlen, f->fp);
	}
	f->pages += l->npages;
	if (f == &one && (rc = label_file_close(f)) != 0) {
		r->status = cli_worse(r->status, rc);
		return 0;
	}
	return first;
}

static char *
suffix(const char *what, int n, const char *ext)
{
	return xprintf("-%s%d.%s", what, n, ext);
}

/* The label of parcel p; 0 or -1 after a reject. */
static int
fill_label(struct run *r, const json_t *order, const json_t *ship,
    const struct pinfo *p, int is_return, struct label *lb, char **owned,
    char *date, json_t *errors, const char *field)
{
	const json_t *sh = json_object_get(order, "shipping");
	const char *method = str(sh, "method"), *t, *idtext;
	char num[JSONL_ID_BUF], *q;
	size_t idlen;

	memset(lb, 0, sizeof(*lb));
	lb->carrier = str(ship, "carrier");
	if (lb->carrier == NULL)
		lb->carrier = str(sh, "carrier");
	if (lb->carrier == NULL)
		lb->carrier = conf_get(r->conf, "shop", NULL, "carrier");
	lb->service = str(ship, "service");
	idtext = jsonl_id_text(json_object_get(order, "id"), num, &idlen);
	lb->order = owned[0] = xstrndup(idtext, idlen);
	lb->weight_g = p->weight_g;
	lb->n = p->n;
	lb->of = p->of;
	if ((lb->date = date_of(str(ship, "booked_at"), date)) == NULL)
		lb->date = r->now_date;
	if (is_return) {
		party_customer(order, &lb->from);
		party_shop(r, p->warehouse ? p->warehouse :
		    str(json_object_get(order, "return"), "warehouse"), &lb->to);
		lb->is_return = 1;
		lb->rma = str(json_object_get(order, "return"), "rma");
		lb->delivery = "RETURN";
	} else {
		party_shop(r, p->warehouse, &lb->from);
		party_customer(order, &lb->to);
		lb->delivery = method == NULL ? "COURIER" :
		    strcmp(method, "post") == 0 ? "POST" :
		    strcmp(method, "pickup") == 0 ? "PICKUP" : "COURIER";
		if (method != NULL && strcmp(method, "pickup") == 0) {
			const json_t *pp = json_object_get(sh, "pickup_point");

			lb->pickup_code = json_is_string(pp) ?
			    json_string_value(pp) : str(pp, "code");
			lb->pickup_address = str(pp, "address");
		}
	}
	if (p->cod > 0) {
		char amount[40];

		money_format(p->cod, exponent_of(order), amount,
		    sizeof(amount));
		lb->cod = owned[1] = xprintf("%s %s", amount,
		    str(order, "currency") ? str(order, "currency") : "");
	}
	if (p->tracking != NULL) {
		for (t = p->tracking; *t > 0x20 && *t < 0x7f; t++)
			;
		if (*t != '\0') {
			reject_addf(errors, "bad_tracking_number", field,
			    "the tracking number '%s' is not printable "
			    "ASCII: no Code 128 carries it", p->tracking);
			return -1;
		}
		lb->barcode = p->tracking;
	} else if (r->gs1_prefix != NULL) {
		lb->barcode = owned[2] = xmalloc(19);
		label_sscc(r->gs1_prefix, idtext, idlen, p->n, owned[2]);
		lb->gs1 = 1;
	} else {
		q = label_ascii_id(idtext, idlen);
		lb->barcode = owned[2] = xprintf("%s/%d", q, p->n);
		free(q);
	}
	if (p->url != NULL)
		lb->qr = p->url;
	else if (p->tracking != NULL && lb->carrier != NULL &&
	    (t = conf_get(r->conf, "carrier", lb->carrier, "tracking_url")) !=
	    NULL && (q = strstr(t, "{number}")) != NULL)
		lb->qr = owned[3] = xprintf("%.*s%s%s", (int)(q - t), t,
		    p->tracking, q + strlen("{number}"));
	return 0;
}

static void
add_row(struct run *r, const json_t *order, const struct label *lb,
    const struct pinfo *p)
{
	struct label_manifest_row *row;

	if (r->nrows == r->rowcap) {
		r->rowcap = r->rowcap ? 2 * r->rowcap : 64;
		r->rows = xrealloc(r->rows, r->rowcap * sizeof(*r->rows));
	}
	row = &r->rows[r->nrows++];
	row->carrier = xstrdup(lb->carrier ? lb->carrier : "");
	row->warehouse = xstrdup(p->warehouse ? p->warehouse : "");
	row->order = xstrdup(lb->order);
	row->tracking = xstrdup(lb->gs1 ? lb->barcode : p->tracking ?
	    p->tracking : "");
	row->n = p->n;
	row->weight_g = p->weight_g;
	row->cod = p->cod;
	row->exponent = exponent_of(order);
	row->seq = r->nrows - 1;
	row->currency = xstrdup(str(order, "currency") ? str(order,
	    "currency") : "");
}

/* The packing slip of the order: its file's path (new), or NULL. */
static char *
packing_slip(struct run *r, const json_t *order, const struct label *lb)
{
	struct label_slip sl;
	struct label_layout l;
	double w, h;
	char *name, *path = NULL;

	memset(&sl, 0, sizeof(sl));
	sl.shop = conf_get(r->conf, "shop", NULL, "name");
	sl.order = lb->order;
	sl.date = lb->date;
	sl.barcode = label_ascii_id(lb->order, strlen(lb->order));
	sl.to = lb->to;
	label_slip_lines(&sl, order, exponent_of(order));
	label_size_parse(r->w >= 200 ? "a4" : "a6", &w, &h);
	label_layout_init(&l, w, h, label_pdf_measure, NULL);
	label_layout_slip(&l, &sl);
	name = file_name(r, order, "-slip.pdf");
	if (emit(r, &r->slip_batch, name, lb->date, &l, 1) > 0)
		path = r->slip_batch.path != NULL ?
		    xstrdup(r->slip_batch.path) : out_path(r, name);
	free(name);
	label_layout_release(&l);
	free((char *)sl.barcode);
	label_slip_release(&sl);
	return path;
}

/* Label the order; 0 when it goes on, -1 when rejected (errors). */
static int
label_order(struct run *r, json_t *order, json_t *errors)
{
	const char *status = str(order, "status");
	json_t *ret = json_object_get(order, "return"), *ship, *sec, *list;
	struct parcel *computed;
	struct pinfo *pi = NULL;
	struct label *lbs;
	struct label_layout *ls;
	size_t np = 0, ncomputed, i, k;
	char *(*owned)[4], (*dates)[11], field[64], err[200], *slip = NULL;
	int is_return = 0, rc = -1, page;

	if (status != NULL && strcmp(status, "return_open") == 0 &&
	    json_is_object(json_object_get(ret, "shipment")))
		is_return = 1;
	else if (status == NULL || (strcmp(status, "booked") != 0 &&
	    strcmp(status, "paid") != 0 && strcmp(status, "cod") != 0)) {
		reject_addf(errors, "not_payable", "status", "status '%s' is "
		    "not booked, paid or cod: an order not paid gets no label",
		    status ? status : "");
		return -1;
	}
	if (jsonl_id_text(json_object_get(order, "id"), field, &i) == NULL) {
		reject_add(errors, "missing_field", "id", "a label needs the "
		    "order's id");
		return -1;
	}
	label_check_fields(order, is_return, errors);
	if (json_array_size(errors) > 0)
		return -1;
	ship = is_return ? json_object_get(ret, "shipment") :
	    json_object_get(order, "shipment");
	if (parcels_of(r, order, ship, is_return, &pi, &np, &computed,
	    &ncomputed, errors) == -1)
		return -1;
	lbs = xcalloc(np, sizeof(*lbs));
	ls = xcalloc(np, sizeof(*ls));
	owned = xcalloc(np, sizeof(*owned));
	dates = xcalloc(np, sizeof(*dates));
	for (i = 0; i < np; i++) {
		snprintf(field, sizeof(field), "%sshipment.parcels[%zu]",
		    is_return ? "return." : "", i);
		if (fill_label(r, order, ship, &pi[i], is_return, &lbs[i],
		    owned[i], dates[i], errors, field) == -1)
			goto done;
		if (r->zpl)
			label_layout_init(&ls[i], r->w, r->h,
			    label_zpl_measure, NULL);
		else
			label_layout_init(&ls[i], r->w, r->h,
			    label_pdf_measure, NULL);
		if (pi[i].carrier_label == NULL &&
		    label_layout_label(&ls[i], &lbs[i], err, sizeof(err)) ==
		    -1) {
			reject_addf(errors, "bad_barcode", field, "%s", err);
			goto done;
		}
		if (ls[i].overflow) {
			const char *at = label_longest_field(order);

			reject_addf(errors, "text_too_long", at, "the text of "
			    "parcel %d's label does not fit above its "
			    "barcodes even at the least size: shorten %s",
			    pi[i].n, at);
			goto done;
		}
	}
	/* All laid out: now the files. */
	if ((list = json_array()) == NULL)
		xnomem();
	for (i = 0; i < np && r->status == 0; i++) {
		char *name = NULL, *path;

		if (pi[i].carrier_label != NULL) {
			jsonx_append_new(list, json_pack("{s:i,s:s,s:i}", "n",
			    pi[i].n, "file", pi[i].carrier_label, "page", 1));
			continue;
		}
		if (r->batch.path == NULL) {
			char *sfx = suffix(is_return ? "return-" : "", pi[i].n,
			    r->zpl ? "zpl" : "pdf");

			name = file_name(r, order, sfx);
			free(sfx);
		}
		page = emit(r, &r->batch, name, lbs[i].date, &ls[i], !r->zpl);
		path = name ? out_path(r, name) : xstrdup(r->batch.path);
		if (page > 0)
			jsonx_append_new(list, json_pack("{s:i,s:s,s:i}", "n",
			    pi[i].n, "file", path, "page", page));
		free(path);
		free(name);
		r->nlabels++;
		if (!is_return)
			add_row(r, order, &lbs[i], &pi[i]);
	}
	if (r->slips && !is_return && np > 0 && r->status == 0)
		slip = packing_slip(r, order, &lbs[0]);
	if (r->status != 0) {
		json_decref(list);
		rc = 0;
		goto done;
	}
	sec = json_pack("{s:s,s:o}", "format", r->zpl ? "zpl" : "pdf",
	    "parcels", list);
	if (sec == NULL)
		xnomem();
	if (slip != NULL)
		jsonx_set_new(sec, "packing_slip", json_string(slip));
	if (is_return)
		jsonx_set_new(ret, "label", sec);
	else {
		jsonx_set_new(order, "label", sec);
		status_move(order, "labelled", r->now);
	}
	rc = 0;
done:
	for (i = 0; i < np; i++) {
		label_layout_release(&ls[i]);
		for (k = 0; k < 4; k++)
			free(owned[i][k]);
	}
	free(slip);
	free(owned);
	free(dates);
	free(ls);
	free(lbs);
	free(pi);
	parcel_free(computed, ncomputed);
	return rc;
}

/* The manifest: CSV at --manifest, and its PDF under --out with --format
 * pdf. */
static void
write_manifest(struct run *r)
{
	struct label_file f;
	struct label_layout l;
	char *buf = NULL, *base, *dot, *name;
	size_t cap = 0, len = 0;
	double w, h;

	label_manifest_sort(r->rows, r->nrows);
	label_manifest_csv(r->rows, r->nrows, &buf, &cap, &len);
	if ((r->status = label_file_open(&f, r->manifest_path)) == 0) {
		fwrite(buf, 1, len, f.fp);
		r->status = label_file_close(&f);
	}
	free(buf);
	if (r->zpl || r->status != 0)
		return;
	base = strrchr(r->manifest_path, '/');
	base = xstrdup(base ? base + 1 : r->manifest_path);
	if ((dot = strrchr(base, '.')) != NULL && dot != base)
		*dot = '\0';
	name = xprintf("%s.pdf", base);
	label_size_parse("a4", &w, &h);
	label_layout_init(&l, w, h, label_pdf_measure, NULL);
	label_layout_manifest(&l, r->now_date, r->rows, r->nrows);
	memset(&f, 0, sizeof(f));
	emit(r, &f, name, r->now_date, &l, 1);
	label_layout_release(&l);
	free(name);
	free(base);
}

static void
start_batch(struct run *r, struct label_file *f, const char *name)
{
	char *path = out_path(r, name);

	if (label_file_open(f, path) != 0)
		exit(EX_CANTCREAT);
	free(path);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct reject_stream rejects;
	const char *config = NULL, *catalog = NULL, *now = NULL, *size = NULL;
	int offset;
	json_t *order, *errors;
	char msg[512];
	int ch, status;
	size_t i;

	/* cairo allocates and frees a few hundred KiB a PDF (zlib's
	 * windows): kept rather than given back with brk(2) each time, which
	 * cost more than drawing the label. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.cli.help = &help_text;
	r.dpi = 203;
	r.out = "labels";
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CATALOG:
			catalog = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_DPI:
			if (strcmp(optarg, "203") != 0 &&
			    strcmp(optarg, "300") != 0)
				cli_usage_error(&r.cli, "--dpi '%s' is not 203 "
				    "or 300", optarg);
			r.dpi = atoi(optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "zpl") != 0 &&
			    strcmp(optarg, "pdf") != 0)
				cli_usage_error(&r.cli, "--format '%s' is not "
				    "zpl or pdf", optarg);
			r.zpl = strcmp(optarg, "zpl") == 0;
			break;
		case OPT_MANIFEST:
			r.manifest_path = optarg;
			break;
		case OPT_NOW:
			now = optarg;
			break;
		case OPT_ONE_FILE:
			r.one_file = 1;
			break;
		case OPT_OUT:
			r.out = optarg;
			break;
		case OPT_SLIP:
			r.slips = 1;
			break;
		case OPT_SIZE:
			size = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	if (label_size_parse(size ? size : "100x150", &r.w, &r.h) == -1)
		cli_usage_error(&r.cli, "--size '%s' is not 4x6, 100x150, a6 "
		    "or a4", size);
	if (now != NULL && date_of(now, r.now_date) == NULL)
		cli_usage_error(&r.cli, "--now '%s' is not an RFC 3339 time",
		    now);
	if (now == NULL || rfc3339_parse(now, &r.now, &offset) == -1)
		r.now = (int64_t)time(NULL);
	if (now == NULL) {
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(r.now_date, sizeof(r.now_date), "%Y-%m-%d", &tm);
	}
	cli_need_input(&r.cli, argc - optind);
	r.conf = conf_load(config);
	r.gs1_prefix = conf_get(r.conf, "shop", NULL, "gs1_prefix");
	if (r.gs1_prefix != NULL && *r.gs1_prefix == '\0')
		r.gs1_prefix = NULL;
	if (r.gs1_prefix != NULL) {
		char probe[19];

		if (label_sscc(r.gs1_prefix, "", 0, 1, probe) == -1)
			errx(EX_CONFIG, "[shop] gs1_prefix '%s' is not 6 to 12 "
			    "digits", r.gs1_prefix);
	}
	parcel_defaults_conf(&r.defaults, r.conf);
	if (catalog != NULL) {
		if ((ch = catalog_load(&r.catalog, catalog, msg,
		    sizeof(msg))) != 0)
			errx(ch, "%s", msg);
		r.have_catalog = 1;
	}
	reject_open(&rejects, r.cli.rejects_path);
	label_dir_make(r.out);
	strmap_init(&r.names);
	if (r.one_file) {
		start_batch(&r, &r.batch, r.zpl ? "labels.zpl" : "labels.pdf");
		if (r.slips)
			start_batch(&r, &r.slip_batch, "packing-slips.pdf");
	}
	if ((errors = json_array()) == NULL)
		xnomem();
	jsonl_open(&in, argc - optind, argv + optind);
	while (r.status == 0 && (order = reject_read(&rejects, &in)) != NULL) {
		r.norders++;
		if (label_order(&r, order, errors) == -1)
			reject_write(&rejects, order, errors);
		else if (r.status == 0) {
			jsonl_write(stdout, order);
			r.nout++;
		}
		json_array_clear(errors);
		json_decref(order);
	}
	json_decref(errors);
	status = jsonl_close(&in);
	r.status = cli_worse(r.status, label_file_close(&r.batch));
	r.status = cli_worse(r.status, label_file_close(&r.slip_batch));
	if (r.manifest_path != NULL && r.status == 0)
		write_manifest(&r);
	status = cli_worse(status, r.status);
	for (i = 0; i < r.nrows; i++) {
		free((char *)r.rows[i].carrier);
		free((char *)r.rows[i].warehouse);
		free((char *)r.rows[i].order);
		free((char *)r.rows[i].tracking);
		free((char *)r.rows[i].currency);
	}
	free(r.rows);
	free(r.zbuf);
	strmap_release(&r.names);
	if (r.have_catalog)
		catalog_release(&r.catalog);
	conf_free(r.conf);
	label_pdf_cleanup();
	cli_count("read", r.norders);
	cli_count("written", r.nout);
	cli_count("labels", r.nlabels);
	return cli_finish(&r.cli, status, &rejects, "%lu read, %lu labels, "
	    "%lu rejected", r.norders, r.nlabels, rejects.count);
}
