/* layout.c: where everything on a label, a packing slip and a manifest
 * goes, in millimetres, for every backend alike. */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "label.h"
#include "money.h"
#include "utf8.h"
#include "xalloc.h"

#define LINE		1.2	/* line height, of the text size */
#define MIN_SCALE	0.45	/* text is made no smaller than this */
#define MODULE_MIN	0.25	/* mm, a Code 128 module at the least */
#define QUIET		10	/* modules of Code 128 quiet zone a side */

int
label_size_parse(const char *name, double *w, double *h)
{
	static const struct {
		const char	*name;
		double		 w, h;
	} sizes[] = {
		{ "4x6", 101.6, 152.4 }, { "100x150", 100, 150 },
		{ "a6", 105, 148 }, { "a4", 210, 297 },
	};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (strcasecmp(name, sizes[i].name) == 0) {
			*w = sizes[i].w;
			*h = sizes[i].h;
			return 0;
		}
	return -1;
}

void
label_layout_init(struct label_layout *l, double w, double h,
    label_measure_fn measure, void *arg)
{
	memset(l, 0, sizeof(*l));
	l->w = w;
	l->h = h;
	l->npages = 1;
	l->measure = measure;
	l->arg = arg;
}

static void
clear(struct label_layout *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i].text);
	l->n = 0;
	l->npages = 1;
}

void
label_layout_release(struct label_layout *l)
{
	clear(l);
	free(l->items);
	l->items = NULL;
	l->cap = 0;
}

static struct label_item *
add(struct label_layout *l, enum label_item_kind kind, double x, double y,
    double w, double h)
{
	struct label_item *it;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->page = l->npages - 1;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	return it;
}

/* Text at (x, y); its width w when known, else -1 to measure it. */
static void
text_w(struct label_layout *l, double x, double y, double size, int bold,
    const char *s, size_t len, double w)
{
	struct label_item *it = add(l, LABEL_TEXT, x, y, 0, size);
	char *p;

	it->bold = bold;
	it->text = xstrndup(s, len);
	/* A control character is no text a printer or a font draws. */
	for (p = it->text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	it->w = w >= 0 ? w : l->measure(l->arg, it->text, len, size, bold);
}

static void
text_n(struct label_layout *l, double x, double y, double size, int bold,
    const char *s, size_t len)
{
	text_w(l, x, y, size, bold, s, len, -1);
}

static void
rule(struct label_layout *l, double x, double y, double w)
{
	add(l, LABEL_RULE, x, y, w, 0.3);
}

/* The bytes of s[0..len-1] that fit in w at size: at least one
 * character, and whole characters. */
static size_t
fit_chars(struct label_layout *l, const char *s, size_t len, double w,
    double size, int bold)
{
	size_t n = 0, next, k;

	while (n < len) {
		k = utf8_seqlen((const unsigned char *)s + n, len - n);
		next = n + (k ? k : 1);
		if (n > 0 && l->measure(l->arg, s, next, size, bold) > w)
			break;
		n = next;
	}
	return n;
}

/*
 * s wrapped into lines of width w from (x, y); returns the y below.  A line
 * breaks at the last space that fits; a word wider than a line is broken
 * where it must be.  Nothing is cut off.
 */
static double
wrap(struct label_layout *l, double x, double y, double w, double size,
    int bold, const char *s)
{
	size_t len, brk, i, n;

	if (s == NULL || *s == '\0')
		return y;
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0) {
		double full = l->measure(l->arg, s, len, size, bold);

		if (full <= w) {
			text_w(l, x, y, size, bold, s, len, full);
			return y + size * LINE;
		}
		n = fit_chars(l, s, len, w, size, bold);
		brk = 0;
		for (i = n; i > 0; i--)
			if (s[i] == ' ') {
				brk = i;
				break;
			}
		if (brk == 0)
			brk = n;
		text_n(l, x, y, size, bold, s, brk);
		y += size * LINE;
		s += brk;
		len -= brk;
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
	}
	return y;
}

/* a and b joined by sep, either of them NULL or empty: a new string. */
static char *
join(const char *a, const char *sep, const char *b)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	char *s = xmalloc(la + lb + strlen(sep) + 1);

	snprintf(s, la + lb + strlen(sep) + 1, "%s%s%s", la ? a : "",
	    la && lb ? sep : "", lb ? b : "");
	return s;
}

static double
wrap_free(struct label_layout *l, double x, double y, double w, double size,
    int bold, char *s)
{
	y = wrap(l, x, y, w, size, bold, s);
	free(s);
	return y;
}

/* A barcode of data at (x, y), at most w wide: its bars h high, the text
 * below.  Returns the width used, or -1 when it cannot be drawn so. */
static double
barcode(struct label_layout *l, double x, double y, double w, double h,
    double tsize, const char *data, int gs1, char *err, size_t errlen)
{
	struct label_item *it;
	double module, bw;
	int modules;
	char human[40];

	if (label_barcode_modules(data, gs1, 0, &modules, err, errlen) == -1)
		return -1;
	module = w / (modules + 2 * QUIET);
	if (module < MODULE_MIN) {
		snprintf(err, errlen, "'%s' needs %d modules, more than "
		    "%.0f mm holds", data, modules, w);
		return -1;
	}
	if (module > 0.5)
		module = 0.5;
	bw = modules * module;
	it = add(l, LABEL_CODE128, x + QUIET * module, y, bw, h);
	it->gs1 = gs1;
	it->text = xstrdup(data);
	if (gs1) {
		snprintf(human, sizeof(human), "(00) %s", data);
		data = human;
	}
	text_n(l, x + QUIET * module + (bw - l->measure(l->arg, data,
	    strlen(data), tsize, 0)) / 2, y + h + 0.8, tsize, 0, data,
	    strlen(data));
	return bw + 2 * QUIET * module;
}

static double
max2(double a, double b)
{
	return a > b ? a : b;
}

/* The label at scale s of its text; the y where the text ended. */
static int
label_at(struct label_layout *l, const struct label *lb, double s,
    double *text_end, double *band_top, char *err, size_t errlen)
{
	const struct label_party *f = &lb->from, *t = &lb->to;
	double m = 3, u = l->w / 100, W = l->w - 2 * m, y = m, yl, yr;
	double band, qside = 0, bw;
	char buf[64];
	struct label_item *it;

	if (lb->is_return) {
		it = add(l, LABEL_BOX, m, y, W, 9 * u * s);
		(void)it;
		snprintf(buf, sizeof(buf), "RETURN");
		it = add(l, LABEL_TEXT, m + 2 * u, y + 1.5 * u * s, 0,
		    6 * u * s);
		it->text = xstrdup(buf);
		it->bold = it->inverse = 1;
		it->w = l->measure(l->arg, buf, strlen(buf), 6 * u * s, 1);
		if (lb->rma != NULL) {
			char *r = join("RMA", " ", lb->rma);
			double x = m + 4 * u + it->w;

			it = add(l, LABEL_TEXT, x, y + 2.5 * u * s, 0,
			    4.5 * u * s);
			it->text = r;
			it->bold = it->inverse = 1;
			it->w = l->measure(l->arg, r, strlen(r), 4.5 * u * s,
			    1);
			if (x + it->w > l->w - m)
				return *text_end = l->h, 0;
		}
		y += 10 * u * s;
	}
	/* FROM on the left, carrier and delivery on the right. */
	yl = wrap(l, m, y, W * 0.6, 2.4 * u * s, 1, "FROM");
	yl = wrap(l, m, yl, W * 0.6, 2.8 * u * s, 1, f->name);
	yl = wrap(l, m, yl, W * 0.6, 2.8 * u * s, 0, f->company);
	yl = wrap(l, m, yl, W * 0.6, 2.8 * u * s, 0, f->line1);
	yl = wrap(l, m, yl, W * 0.6, 2.8 * u * s, 0, f->line2);
	yl = wrap_free(l, m, yl, W * 0.6, 2.8 * u * s, 0,
	    join(f->postal_code, " ", f->city));
	yl = wrap_free(l, m, yl, W * 0.6, 2.8 * u * s, 0,
	    join(f->region, ", ", f->country));
	yl = wrap(l, m, yl, W * 0.6, 2.8 * u * s, 0, f->phone);
	yr = wrap(l, m + W * 0.63, y, W * 0.37, 5 * u * s, 1, lb->carrier);
	yr = wrap(l, m + W * 0.63, yr, W * 0.37, 4 * u * s, 1, lb->delivery);
	yr = wrap(l, m + W * 0.63, yr, W * 0.37, 2.8 * u * s, 0, lb->service);
	y = max2(yl, yr) + 1.5 * u * s;
	rule(l, m, y, W);
	y += 1.5 * u * s;

	/* SHIP TO, the largest type. */
	y = wrap(l, m, y, W, 2.6 * u * s, 1, "SHIP TO");
	y = wrap(l, m, y, W, 6 * u * s, 1, t->name);
	y = wrap(l, m, y, W, 4 * u * s, 0, t->company);
	y = wrap(l, m, y, W, 4 * u * s, 0, t->phone);
	if (lb->pickup_code != NULL) {
		y = wrap_free(l, m, y, W, 5 * u * s, 1,
		    join("PICKUP POINT", " ", lb->pickup_code));
		y = wrap(l, m, y, W, 4 * u * s, 0, lb->pickup_address);
	} else {
		y = wrap(l, m, y, W, 4.5 * u * s, 0, t->line1);
		y = wrap(l, m, y, W, 4.5 * u * s, 0, t->line2);
	}
	y = wrap_free(l, m, y, W, 5.5 * u * s, 1,
	    join(t->postal_code, " ", t->city));
	y = wrap_free(l, m, y, W, 4.5 * u * s, 0,
	    join(t->region, ", ", t->country));
	y += 1 * u * s;
	rule(l, m, y, W);
	y += 1.5 * u * s;

	/* The parcel: order, weight, date on the left, n OF N right. */
	yl = wrap_free(l, m, y, W * 0.62, 3.2 * u * s, 0,
	    join("ORDER", " ", lb->order));
	if (lb->weight_g >= 0) {
		snprintf(buf, sizeof(buf), "WEIGHT %" PRId64 ".%03" PRId64
		    " KG", lb->weight_g / 1000, lb->weight_g % 1000);
		yl = wrap(l, m, yl, W * 0.62, 3.2 * u * s, 0, buf);
	}
	yl = wrap_free(l, m, yl, W * 0.62, 3.2 * u * s, 0,
	    join("SHIP DATE", " ", lb->date));
	snprintf(buf, sizeof(buf), "%d OF %d", lb->n, lb->of);
	yr = wrap(l, m + W * 0.64, y, W * 0.36, 7 * u * s, 1, buf);
	y = max2(yl, yr);
	if (lb->cod != NULL) {
		y += 1 * u * s;
		y = wrap(l, m, y, W, 3 * u * s, 1, "CASH ON DELIVERY, COLLECT");
		y = wrap(l, m, y, W, 7 * u * s, 1, lb->cod);
	}
	*text_end = y;

	/* The band of codes at the bottom, its size not scaled. */
	band = 20 * u;
	if (lb->qr != NULL) {
		int side;

		if (label_barcode_modules(lb->qr, 0, 1, &side, err,
		    errlen) == -1)
			return -1;
		qside = 26 * u;
		if (qside / (side + 8) < MODULE_MIN)
			qside = MODULE_MIN * (side + 8);
		if (qside > W * 0.45) {
			snprintf(err, errlen, "the tracking URL is too long "
			    "for a QR code on the label");
			return -1;
		}
		band = max2(band, qside);
		it = add(l, LABEL_QR, l->w - m - qside, l->h - m - qside,
		    qside, qside);
		it->text = xstrdup(lb->qr);
	}
	*band_top = l->h - m - band;
	bw = barcode(l, m, *band_top + 1 * u, W - qside - (qside ? 2 : 0),
	    15 * u, 3.4 * u, lb->barcode, lb->gs1, err, errlen);
	if (bw < 0)
		return -1;
	rule(l, m, *band_top - 1 * u, W);
	return 0;
}

int
label_layout_label(struct label_layout *l, const struct label *lb, char *err,
    size_t errlen)
{
	double s, end = 0, top = 0;

	l->overflow = 0;
	for (s = 1; ; s *= 0.85) {
		clear(l);
		if (label_at(l, lb, s, &end, &top, err, errlen) == -1) {
			clear(l);
			return -1;
		}
		if (end <= top - 2)
			return 0;
		if (s * 0.85 < MIN_SCALE) {
			l->overflow = 1;
			return 0;
		}
	}
}

/* Text that flows down pages: a new page when the next line does not fit. */
struct flow {
	struct label_layout	*l;
	double			 top, bottom, y;
};

static void
need(struct flow *f, double h)
{
	if (f->y + h > f->bottom) {
		f->l->npages++;
		f->y = f->top;
	}
}

/* Cells of a row at xs[] of widths ws[]: each wrapped in its column, the
 * row's height that of the tallest.  A row that does not fit starts a
 * page. */
static void
row(struct flow *f, int ncols, const double *xs, const double *ws,
    const char *const *cells, double size, int bold)
{
	struct label_layout *l = f->l;
	size_t start = l->n, i;
	double y0 = f->y, y, low = y0;
	int c, page = l->npages;

	for (c = 0; c < ncols; c++) {
		y = wrap(l, xs[c], y0, ws[c], size, bold, cells[c]);
		low = max2(low, y);
	}
	if (low > f->bottom && y0 > f->top) {
		/* Move the row to a new page. */
		l->npages = page + 1;
		for (i = start; i < l->n; i++) {
			l->items[i].page = page;
			l->items[i].y += f->top - y0;
		}
		low += f->top - y0;
	}
	f->y = low + size * 0.3;
}

void
label_layout_slip(struct label_layout *l, const struct label_slip *sl)
{
	double u = (l->w < 150 ? l->w : 150) / 105, m = 5 * u, W = l->w - 2 * m;
	double xs[4], ws[4], y, yr, bw;
	const char *cells[4];
	struct flow f;
	char err[128], qty[24];
	size_t i;

	clear(l);
	y = wrap(l, m, m, W * 0.5, 5 * u, 1, "PACKING SLIP");
	y = wrap(l, m, y, W * 0.5, 3 * u, 0, sl->shop);
	y = wrap_free(l, m, y, W * 0.5, 4 * u, 1, join("ORDER", " ",
	    sl->order));
	y = wrap(l, m, y, W * 0.5, 3 * u, 0, sl->date);
	bw = barcode(l, m + W * 0.52, m, W * 0.48, 10 * u, 2.4 * u,
	    sl->barcode, 0, err, sizeof(err));
	yr = bw < 0 ? m : m + 10 * u + 4 * u;
	y = max2(y, yr) + 2 * u;
	if (bw < 0) {
		/* Too wide beside the heading (an id of 20 characters, or
		 * the ASCII form of one that is not ASCII): a row of its own
		 * across the page, which holds the LABEL_ASCII_MAX
		 * characters of any form at 0.25 mm a module even on A6. */
		if (barcode(l, m, y, W, 10 * u, 2.4 * u, sl->barcode, 0, err,
		    sizeof(err)) < 0)
			errx(EX_SOFTWARE, "the packing slip of '%s': %s",
			    sl->order, err);
		y += 10 * u + 4 * u + 2 * u;
	}
	y = wrap(l, m, y, W, 2.4 * u, 1, "SHIP TO");
	y = wrap(l, m, y, W, 3.6 * u, 1, sl->to.name);
	y = wrap_free(l, m, y, W, 3 * u, 0, join(sl->to.postal_code, " ",
	    sl->to.city));
	if (sl->warehouse != NULL)
		y = wrap_free(l, m, y, W, 3 * u, 0, join("WAREHOUSE", " ",
		    sl->warehouse));
	if (sl->gift)
		y = wrap(l, m, y, W, 3 * u, 1, "GIFT: NO PRICES");
	y += 2 * u;
	rule(l, m, y, W);
	y += 1.5 * u;

	xs[0] = m, ws[0] = W * 0.28;
	xs[1] = m + W * 0.30, ws[1] = W * 0.40;
	xs[2] = m + W * 0.72, ws[2] = W * 0.08;
	xs[3] = m + W * 0.82, ws[3] = W * 0.18;
	f.l = l;
	f.top = m;
	f.bottom = l->h - m;
	f.y = y;
	cells[0] = "SKU", cells[1] = "ITEM", cells[2] = "QTY";
	cells[3] = sl->gift ? NULL : "AMOUNT";
	row(&f, 4, xs, ws, cells, 2.6 * u, 1);
	for (i = 0; i < sl->nlines; i++) {
		const struct label_slip_line *ln = &sl->lines[i];
		char *item;

		snprintf(qty, sizeof(qty), "%" PRId64, ln->qty);
		item = join(ln->name, " ", ln->variant);
		if (ln->where != NULL) {
			char *t = join(item, " @ ", ln->where);

			free(item);
			item = t;
		}
		cells[0] = ln->sku, cells[1] = item, cells[2] = qty;
		cells[3] = sl->gift ? NULL : ln->amount;
		row(&f, 4, xs, ws, cells, 2.8 * u, 0);
		free(item);
	}
	if (!sl->gift && sl->total != NULL) {
		need(&f, 4 * u);
		rule(l, m, f.y, W);
		f.y += 1 * u;
		cells[0] = NULL, cells[1] = "TOTAL", cells[2] = NULL;
		cells[3] = sl->total;
		row(&f, 4, xs, ws, cells, 2.8 * u, 1);
	}
}

/* One group's totals: parcels, weight, and cash on delivery per currency. */
static void
group_totals(struct flow *f, double m, double u, double W,
    const struct label_manifest_row *rows, size_t n)
{
	char buf[200], amount[40];
	int64_t weight = 0, cod[4] = { 0 };
	const char *cur[4] = { NULL };
	int exp[4] = { 0 }, k, ncur = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		weight += rows[i].weight_g > 0 ? rows[i].weight_g : 0;
		if (rows[i].cod <= 0)
			continue;
		for (k = 0; k < ncur; k++)
			if (strcmp(cur[k], rows[i].currency) == 0)
				break;
		if (k == ncur && ncur < 4) {
			cur[ncur] = rows[i].currency;
			exp[ncur++] = rows[i].exponent;
		}
		if (k < ncur)
			cod[k] += rows[i].cod;
	}
	snprintf(buf, sizeof(buf), "TOTAL: %zu PARCELS, %" PRId64 ".%03"
	    PRId64 " KG", n, weight / 1000, weight % 1000);
	need(f, 4 * u);
	f->y = wrap(f->l, m, f->y, W, 3 * u, 1, buf);
	for (k = 0; k < ncur; k++) {
		snprintf(buf, sizeof(buf), "CASH ON DELIVERY: %s %s",
		    money_format(cod[k], exp[k], amount, sizeof(amount)),
		    cur[k]);
		need(f, 4 * u);
		f->y = wrap(f->l, m, f->y, W, 3 * u, 1, buf);
	}
}

void
label_layout_manifest(struct label_layout *l, const char *date,
    const struct label_manifest_row *rows, size_t n)
{
	double u = 1.4, m = 12, W = l->w - 2 * m;
	double xs[5] = { m, m + W * 0.28, m + W * 0.36, m + W * 0.68,
	    m + W * 0.82 };
	double ws[5] = { W * 0.27, W * 0.07, W * 0.31, W * 0.13, W * 0.18 };
	const char *cells[5];
	char nbuf[16], wbuf[32], cbuf[40], *title;
	struct flow f;
	size_t i, start;

	clear(l);
	f.l = l;
	f.top = m;
	f.bottom = l->h - m;
	f.y = m;
	title = join("MANIFEST", " ", date);
	f.y = wrap_free(l, m, f.y, W, 5 * u, 1, title) + 2 * u;
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && strcmp(rows[i].carrier,
		    rows[start].carrier) == 0 && strcmp(rows[i].warehouse,
		    rows[start].warehouse) == 0; i++)
			;
		need(&f, 16 * u);
		title = join(rows[start].carrier, ", WAREHOUSE ",
		    rows[start].warehouse);
		f.y = wrap_free(l, m, f.y, W, 4 * u, 1, title);
		cells[0] = "ORDER", cells[1] = "N", cells[2] = "TRACKING";
		cells[3] = "KG", cells[4] = "COD";
		row(&f, 5, xs, ws, cells, 2.6 * u, 1);
		for (size_t k = start; k < i; k++) {
			const struct label_manifest_row *r = &rows[k];

			snprintf(nbuf, sizeof(nbuf), "%d", r->n);
			snprintf(wbuf, sizeof(wbuf), "%" PRId64 ".%03" PRId64,
			    r->weight_g / 1000, r->weight_g % 1000);
			if (r->cod > 0) {
				money_format(r->cod, r->exponent, cbuf,
				    sizeof(cbuf));
				strncat(cbuf, " ", sizeof(cbuf) - strlen(cbuf)
				    - 1);
				strncat(cbuf, r->currency, sizeof(cbuf) -
				    strlen(cbuf) - 1);
			}
			cells[0] = r->order, cells[1] = nbuf;
			cells[2] = r->tracking, cells[3] = wbuf;
			cells[4] = r->cod > 0 ? cbuf : NULL;
			row(&f, 5, xs, ws, cells, 2.6 * u, 0);
		}
		group_totals(&f, m, u, W, rows + start, i - start);
		need(&f, 14 * u);
		f.y += 8 * u;
		rule(l, m, f.y, W * 0.45);
		rule(l, m + W * 0.55, f.y, W * 0.45);
		f.y += 1 * u;
		wrap(l, m, f.y, W * 0.45, 2.4 * u, 0,
		    "HANDED OVER (SHOP): NAME, SIGNATURE");
		f.y = wrap(l, m + W * 0.55, f.y, W * 0.45, 2.4 * u, 0,
		    "RECEIVED (CARRIER): NAME, SIGNATURE, TIME");
		f.y += 6 * u;
	}
}
