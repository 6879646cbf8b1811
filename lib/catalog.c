/* catalog.c: loading the catalog from CSV or JSON lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <jansson.h>

#include "catalog.h"
#include "csvread.h"
#include "fileio.h"
#include "jsonl.h"
#include "money.h"
#include "utf8.h"
#include "xalloc.h"

/* Set the error text; returns EX_DATAERR for "return fail(...)". */
static int
fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return EX_DATAERR;
}

static int
option_index(struct catalog *c, const char *name, int add)
{
	size_t i;

	for (i = 0; i < c->noptnames; i++)
		if (strcmp(c->optnames[i], name) == 0)
			return i;
	if (!add)
		return -1;
	c->optnames = xrealloc(c->optnames,
	    (c->noptnames + 1) * sizeof(*c->optnames));
	c->optnames[c->noptnames] = xstrdup(name);
	return c->noptnames++;
}

int
catalog_option(const struct catalog *c, const char *name)
{
	return option_index((struct catalog *)c, name, 0);
}

/* One row's values, however they were read. */
struct row {
	const char	*sku, *product, *name, *price, *currency, *active;
	const char	*weight, *dims;	/* optional: weight_g, dims_mm */
	const char	*alias;		/* optional: "a|b|c" */
	const char	*category;	/* optional */
	const char	**options;	/* by option index, NULL when absent */
	int		 price_is_int;	/* JSON: price given as an integer */
};

static int
parse_active(const char *s, int *active)
{
	static const char *yes[] = { "1", "true", "yes", "y", "t", "" };
	static const char *no[] = { "0", "false", "no", "n", "f" };
	size_t i;

	if (s == NULL) {
		*active = 1;
		return 0;
	}
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *active = 1, 0;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(s, no[i]) == 0)
			return *active = 0, 0;
	return -1;
}

int
catalog_dims_parse(const char *s, int dims[3])
{
	char *end;
	long v;
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		while (*s == ' ')
			s++;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno != 0 || v < 1 || v > 100000)
			return -1;
		dims[i] = (int)v;
		for (s = end; *s == ' '; s++)
			;
		if (i == 2)
			break;
		if (*s == 'x' || *s == 'X' || *s == '*')
			s++;
		else if (strncmp(s, "\xc3\x97", 2) == 0)	/* U+00D7 */
			s += 2;
		else
			return -1;
	}
	return *s == '\0' ? 0 : -1;
}

/* The optional weight_g and dims_mm of a row into s. */
static int
add_size(struct catalog_sku *s, const struct row *r, const char *where,
    char *err, size_t len)
{
	char *end;
	long long w;

	s->weight_g = -1;
	if (r->weight != NULL && *r->weight != '\0') {
		errno = 0;
		w = strtoll(r->weight, &end, 10);
		if (errno != 0 || *end != '\0' || w < 1 || w > 100000000 ||
		    r->weight[0] < '0' || r->weight[0] > '9')
			return fail(err, len, "%s: weight_g '%s' of sku '%s' is "
			    "not a whole number of grams", where, r->weight,
			    r->sku);
		s->weight_g = w;
	}
	if (r->dims != NULL && *r->dims != '\0') {
		if (catalog_dims_parse(r->dims, s->dims_mm) == -1)
			return fail(err, len, "%s: dims_mm '%s' of sku '%s' is "
			    "not a size in millimetres such as 300x200x100",
			    where, r->dims, r->sku);
		s->has_dims = 1;
	}
	return 0;
}

/* "B00X|1501|Speckled Mug": each value trimmed, empty ones left out. */
static void
add_aliases(struct catalog_sku *s, const char *text)
{
	const char *p, *end;
	size_t n;

	for (p = text; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "|");
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (n = end - p; n > 0 && (p[n - 1] == ' ' ||
		    p[n - 1] == '\t'); n--)
			;
		if (n == 0)
			continue;
		s->aliases = xrealloc(s->aliases,
		    (s->naliases + 1) * sizeof(*s->aliases));
		s->aliases[s->naliases++] = xstrndup(p, n);
	}
}

static int
add_row(struct catalog *c, const struct row *r, const char *where,
    size_t *capp, char *err, size_t len)
{
	const struct money_currency *cur;
	struct catalog_sku *s;
	struct catalog_price p;
	int64_t amount;
	size_t i;
	int rc;

	if (r->sku == NULL || *r->sku == '\0')
		return fail(err, len, "%s: no sku", where);
	if (r->currency == NULL || *r->currency == '\0')
		return fail(err, len, "%s: no currency for sku '%s'", where,
		    r->sku);
	if ((cur = money_currency(r->currency)) == NULL)
		return fail(err, len, "%s: '%s' is not an ISO 4217 currency",
		    where, r->currency);
	if (r->price == NULL || *r->price == '\0')
		return fail(err, len, "%s: no price for sku '%s'", where,
		    r->sku);
	if ((rc = money_parse(r->price, cur->exponent, &amount)) != MONEY_OK)
		return fail(err, len, "%s: price '%s' of sku '%s' is %s", where,
		    r->price, r->sku, rc == MONEY_EPREC ?
		    "more precise than the currency's minor unit" :
		    rc == MONEY_ERANGE ? "too large" : "not an amount");
	if (amount < 0)
		return fail(err, len, "%s: price '%s' of sku '%s' is negative",
		    where, r->price, r->sku);
	memcpy(p.currency, cur->code, 4);
	p.amount = amount;

	/* A further currency of a SKU already read (rows are few per SKU
	 * and sorted later, so look back linearly only for the same sku in
	 * the last rows: catalogs list currencies of a SKU together). */
	for (i = c->nskus; i > 0 && c->nskus - i < 64; i--) {
		s = &c->skus[i - 1];
		if (strcmp(s->sku, r->sku) != 0)
			continue;
		if (catalog_price(s, p.currency) != NULL)
			return fail(err, len, "%s: sku '%s' has a second "
			    "price in %s", where, r->sku, p.currency);
		s->prices = xrealloc(s->prices,
		    (s->nprices + 1) * sizeof(*s->prices));
		s->prices[s->nprices++] = p;
		return 0;
	}
	if (c->nskus == *capp) {
		*capp = *capp ? *capp * 2 : 256;
		c->skus = xrealloc(c->skus, *capp * sizeof(*c->skus));
	}
	s = &c->skus[c->nskus++];
	memset(s, 0, sizeof(*s));
	s->seq = c->nskus - 1;
	s->sku = xstrdup(r->sku);
	s->product = xstrdup(r->product && *r->product ? r->product : r->sku);
	s->name = xstrdup(r->name ? r->name : "");
	if (parse_active(r->active, &s->active) == -1)
		return fail(err, len, "%s: active '%s' of sku '%s' is not "
		    "true or false", where, r->active, r->sku);
	s->options = xcalloc(c->noptnames ? c->noptnames : 1,
	    sizeof(*s->options));
	s->noptions = c->noptnames;
	for (i = 0; i < c->noptnames; i++)
		if (r->options[i] != NULL && *r->options[i] != '\0')
			s->options[i] = xstrdup(r->options[i]);
	s->prices = xmalloc(sizeof(*s->prices));
	s->prices[0] = p;
	s->nprices = 1;
	add_aliases(s, r->alias);
	if (r->category != NULL && *r->category != '\0')
		s->category = xstrdup(r->category);
	return add_size(s, r, where, err, len);
}

static char
sniff_delim(const char *line)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (; *line && *line != '\n'; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (!quoted && *line == ',')
			comma++;
		else if (!quoted && *line == ';')
			semi++;
		else if (!quoted && *line == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

static int
load_csv(struct catalog *c, FILE *fp, const char *path, const char *first,
    char *err, size_t len)
{
	struct csvread in;
	struct csvread_row *row;
	struct row r;
	int col_sku = -1, col_product = -1, col_name = -1, col_price = -1;
	int col_currency = -1, col_active = -1, *optcol = NULL;
	int col_weight = -1, col_dims = -1, col_alias = -1;
	int col_category = -1;
	size_t i, cap = 0;
	int rc = 0, nopt = 0;
	char where[64];

	csvread_init(&in, fp, path, sniff_delim(first));
	if ((row = csvread_next(&in)) == NULL) {
		csvread_release(&in);
		return fail(err, len, "%s: empty, no header", path);
	}
	optcol = xcalloc(row->nfields, sizeof(*optcol));
	for (i = 0; i < row->nfields; i++) {
		const char *h = row->fields[i];

		while (*h == ' ')
			h++;
		if (strcasecmp(h, "sku") == 0)
			col_sku = i;
		else if (strcasecmp(h, "product") == 0)
			col_product = i;
		else if (strcasecmp(h, "name") == 0)
			col_name = i;
		else if (strcasecmp(h, "price") == 0)
			col_price = i;
		else if (strcasecmp(h, "currency") == 0)
			col_currency = i;
		else if (strcasecmp(h, "active") == 0)
			col_active = i;
		else if (strcasecmp(h, "weight_g") == 0)
			col_weight = i;
		else if (strcasecmp(h, "dims_mm") == 0)
			col_dims = i;
		else if (strcasecmp(h, "alias") == 0)
			col_alias = i;
		else if (strcasecmp(h, "category") == 0)
			col_category = i;
		else if (strncasecmp(h, "option.", 7) == 0 && h[7] != '\0') {
			optcol[nopt++] = i;
			option_index(c, h + 7, 1);
		}
	}
	if (col_sku < 0 || col_price < 0 || col_currency < 0) {
		rc = fail(err, len, "%s: the header has no '%s' column", path,
		    col_sku < 0 ? "sku" : col_price < 0 ? "price" : "currency");
		goto out;
	}
	r.options = xcalloc(nopt ? nopt : 1, sizeof(*r.options));
	while ((row = csvread_next(&in)) != NULL) {
#define FIELD(col) ((col) >= 0 && (size_t)(col) < row->nfields ? \
	    row->fields[col] : NULL)
		r.sku = FIELD(col_sku);
		r.product = FIELD(col_product);
		r.name = FIELD(col_name);
		r.price = FIELD(col_price);
		r.currency = FIELD(col_currency);
		r.active = FIELD(col_active);
		r.weight = FIELD(col_weight);
		r.dims = FIELD(col_dims);
		r.alias = FIELD(col_alias);
		r.category = FIELD(col_category);
		for (i = 0; i < (size_t)nopt; i++)
			r.options[i] = FIELD(optcol[i]);
#undef FIELD
		snprintf(where, sizeof(where), "line %lu", row->line);
		{
			char full[sizeof(where) + 256];

			snprintf(full, sizeof(full), "%.200s: %s", path, where);
			if ((rc = add_row(c, &r, full, &cap, err, len)) != 0)
				break;
		}
	}
	free(r.options);
	if (rc == 0 && in.error) {
		rc = fail(err, len, "%s: %s", path, strerror(EIO));
		rc = EX_NOINPUT;
	}
out:
	free(optcol);
	csvread_release(&in);
	return rc;
}

static int
load_jsonl(struct catalog *c, FILE *fp, const char *path, char *err,
    size_t len)
{
	char *line = NULL, where[300], pricebuf[32], weightbuf[32];
	char dimsbuf[64], *aliasbuf;
	size_t cap = 0, linecap = 0, i;
	ssize_t n;
	unsigned long lineno = 0;
	json_error_t jerr;
	json_t *o, *opts, *v;
	const char *key, *raw;
	struct row r;
	int rc = 0;

	while ((n = getline(&line, &linecap, fp)) != -1) {
		lineno++;
		snprintf(where, sizeof(where), "%.200s: line %lu", path, lineno);
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		if ((o = jsonl_parse(line, n, 0, &jerr)) == NULL ||
		    !json_is_object(o)) {
			json_decref(o);
			rc = fail(err, len, "%s: not a JSON object", where);
			break;
		}
		opts = json_object_get(o, "options");
		json_object_foreach(opts, key, v)
			option_index(c, key, 1);
		memset(&r, 0, sizeof(r));
		r.options = xcalloc(c->noptnames ? c->noptnames : 1,
		    sizeof(*r.options));
		for (i = 0; i < c->noptnames; i++)
			r.options[i] = json_string_value(
			    json_object_get(opts, c->optnames[i]));
		r.sku = json_string_value(json_object_get(o, "sku"));
		r.product = json_string_value(json_object_get(o, "product"));
		r.name = json_string_value(json_object_get(o, "name"));
		r.currency = json_string_value(json_object_get(o, "currency"));
		v = json_object_get(o, "price");
		if (json_is_integer(v)) {
			snprintf(pricebuf, sizeof(pricebuf), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			r.price = pricebuf;
		} else if ((raw = jsonl_number_raw(v)) != NULL &&
		    strpbrk(raw, ".eE") == NULL)
			r.price = raw;	/* beyond 64 bits: add_row() says so */
		else if (json_is_real(v)) {
			free(r.options);
			json_decref(o);
			rc = fail(err, len, "%s: write the price as a string "
			    "(\"1299.00\"), not a JSON fraction", where);
			break;
		} else
			r.price = json_string_value(v);
		v = json_object_get(o, "weight_g");
		if (json_is_integer(v)) {
			snprintf(weightbuf, sizeof(weightbuf), "%"
			    JSON_INTEGER_FORMAT, json_integer_value(v));
			r.weight = weightbuf;
		} else
			r.weight = v != NULL && !json_is_null(v) &&
			    !json_is_string(v) ? "?" : json_string_value(v);
		v = json_object_get(o, "dims_mm");
		if (json_is_array(v) && json_array_size(v) == 3 &&
		    json_is_integer(json_array_get(v, 0)) &&
		    json_is_integer(json_array_get(v, 1)) &&
		    json_is_integer(json_array_get(v, 2))) {
			snprintf(dimsbuf, sizeof(dimsbuf), "%" JSON_INTEGER_FORMAT
			    "x%" JSON_INTEGER_FORMAT "x%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_array_get(v, 0)),
			    json_integer_value(json_array_get(v, 1)),
			    json_integer_value(json_array_get(v, 2)));
			r.dims = dimsbuf;
		} else
			r.dims = v != NULL && !json_is_null(v) &&
			    !json_is_string(v) ? "?" : json_string_value(v);
		v = json_object_get(o, "alias");
		aliasbuf = NULL;
		if (json_is_array(v)) {
			size_t k, used = 0, need;
			json_t *a;

			json_array_foreach(v, k, a) {
				if (!json_is_string(a))
					continue;
				need = used + json_string_length(a) + 2;
				aliasbuf = xrealloc(aliasbuf, need);
				if (used > 0)
					aliasbuf[used++] = '|';
				memcpy(aliasbuf + used, json_string_value(a),
				    json_string_length(a));
				used += json_string_length(a);
				aliasbuf[used] = '\0';
			}
			r.alias = aliasbuf;
		} else
			r.alias = json_string_value(v);
		r.category = json_string_value(json_object_get(o, "category"));
		v = json_object_get(o, "active");
		r.active = v == NULL || json_is_true(v) ? NULL :
		    json_is_false(v) ? "false" :
		    json_is_string(v) ? json_string_value(v) : "?";
		rc = add_row(c, &r, where, &cap, err, len);
		free(aliasbuf);
		free(r.options);
		json_decref(o);
		if (rc != 0)
			break;
	}
	free(line);
	return rc;
}

static int
cmp_sku(const void *a, const void *b)
{
	return strcmp(((const struct catalog_sku *)a)->sku,
	    ((const struct catalog_sku *)b)->sku);
}

int
catalog_load(struct catalog *c, const char *path, char *err, size_t len)
{
	FILE *fp;
	char first[4096];
	const char *p;
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((fp = fileio_read(path, err, len)) == NULL)
		return EX_NOINPUT;
	if (fgets(first, sizeof(first), fp) == NULL)
		first[0] = '\0';
	rewind(fp);
	p = first;
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p += strspn(p, " \t\r\n");
	if (*p == '{')
		rc = load_jsonl(c, fp, path, err, len);
	else
		rc = load_csv(c, fp, path, first, err, len);
	fclose(fp);
	if (rc == 0 && c->nskus > 1) {	/* none: skus is NULL */
		qsort(c->skus, c->nskus, sizeof(*c->skus), cmp_sku);
		for (i = 1; i < c->nskus && rc == 0; i++)
			if (strcmp(c->skus[i].sku, c->skus[i - 1].sku) == 0)
				rc = fail(err, len, "%s: sku '%s' is listed "
				    "twice with other rows between", path,
				    c->skus[i].sku);
	}
	if (rc != 0)
		catalog_release(c);	/* a failed load leaves nothing */
	return rc;
}

const struct catalog_sku *
catalog_find(const struct catalog *c, const char *sku)
{
	struct catalog_sku key = { .sku = (char *)sku };

	if (c->nskus == 0)		/* skus is NULL */
		return NULL;
	return bsearch(&key, c->skus, c->nskus, sizeof(*c->skus), cmp_sku);
}

const char *
catalog_matched_name(int how)
{
	return how == CATALOG_BY_ALIAS ? "alias" : how == CATALOG_BY_TITLE ?
	    "title" : "sku";
}

/* s without the blanks around it, in buf when it had any. */
static const char *
trimmed(const char *s, char *buf, size_t len)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (s[n] == '\0')
		return s;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

size_t
catalog_match(const struct catalog *c, const char *const *ids, size_t nids,
    const char *title, const struct catalog_sku **found, size_t max, int *how)
{
	const struct catalog_sku *s;
	char buf[512];
	const char *t;
	size_t i, j, k, n = 0;

	*how = CATALOG_BY_SKU;
	if (nids > 0 && ids[0] != NULL && (s = catalog_find(c, ids[0])) !=
	    NULL) {
		if (max > 0)
			found[0] = s;
		return 1;
	}
	/* Catalogs are small beside the orders, and this runs only for
	 * items without a known SKU: a scan is enough. */
	*how = CATALOG_BY_ALIAS;
	for (i = 0; i < c->nskus; i++) {
		s = &c->skus[i];
		for (j = 0; j < s->naliases; j++) {
			for (k = 0; k < nids; k++)
				if (ids[k] != NULL && strcmp(trimmed(ids[k],
				    buf, sizeof(buf)), s->aliases[j]) == 0)
					break;
			if (k < nids) {
				if (n < max)
					found[n] = s;
				n++;
				break;
			}
		}
	}
	if (n > 0 || title == NULL)
		return n;
	*how = CATALOG_BY_TITLE;
	t = trimmed(title, buf, sizeof(buf));
	for (i = 0; i < c->nskus; i++) {
		s = &c->skus[i];
		for (j = 0; j < s->naliases; j++)
			if (utf8_casecmp(t, s->aliases[j]) == 0) {
				if (n < max)
					found[n] = s;
				n++;
				break;
			}
	}
	return n;
}

const char *
catalog_sku_option(const struct catalog_sku *s, size_t i)
{
	return i < s->noptions ? s->options[i] : NULL;
}

const struct catalog_price *
catalog_price(const struct catalog_sku *s, const char *currency)
{
	size_t i;

	for (i = 0; i < s->nprices; i++)
		if (strcmp(s->prices[i].currency, currency) == 0)
			return &s->prices[i];
	return NULL;
}

void
catalog_release(struct catalog *c)
{
	size_t i, j;

	for (i = 0; i < c->nskus; i++) {
		free(c->skus[i].sku);
		free(c->skus[i].product);
		free(c->skus[i].name);
		for (j = 0; j < c->skus[i].noptions; j++)
			free(c->skus[i].options[j]);
		free(c->skus[i].options);
		free(c->skus[i].prices);
		for (j = 0; j < c->skus[i].naliases; j++)
			free(c->skus[i].aliases[j]);
		free(c->skus[i].aliases);
		free(c->skus[i].category);
	}
	free(c->skus);
	for (i = 0; i < c->noptnames; i++)
		free(c->optnames[i]);
	free(c->optnames);
	memset(c, 0, sizeof(*c));
}
