/* manifest.c: the day's handover list as CSV. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "label.h"
#include "money.h"

static int
cmp_rows(const void *a, const void *b)
{
	const struct label_manifest_row *x = a, *y = b;
	int c;

	if ((c = strcmp(x->carrier, y->carrier)) != 0)
		return c;
	if ((c = strcmp(x->warehouse, y->warehouse)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
label_manifest_sort(struct label_manifest_row *rows, size_t n)
{
	qsort(rows, n, sizeof(*rows), cmp_rows);
}

static void
csv_row(const struct csvwrite *cw, char **buf, size_t *cap, size_t *len,
    const char *const *cells, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			csvwrite_delimiter(cw, buf, cap, len);
		csvwrite_field(cw, buf, cap, len, cells[i], strlen(cells[i]));
	}
	csvwrite_end(cw, buf, cap, len);
}

/* A carrier's totals: parcels, grams, and a row per currency collected. */
static void
csv_totals(const struct csvwrite *cw, char **buf, size_t *cap, size_t *len,
    const struct label_manifest_row *rows, size_t n)
{
	char count[24], grams[24], amount[40];
	const char *cells[8];
	int64_t weight = 0, cod;
	size_t i, k;
	int any = 0;

	for (i = 0; i < n; i++)
		weight += rows[i].weight_g > 0 ? rows[i].weight_g : 0;
	snprintf(count, sizeof(count), "%zu", n);
	snprintf(grams, sizeof(grams), "%" PRId64, weight);
	cells[0] = rows[0].carrier, cells[1] = "", cells[2] = "TOTAL";
	cells[3] = count, cells[4] = "", cells[5] = grams;
	for (i = 0; i < n; i++) {
		if (rows[i].cod <= 0)
			continue;
		for (k = 0; k < i; k++)
			if (rows[k].cod > 0 && strcmp(rows[k].currency,
			    rows[i].currency) == 0)
				break;
		if (k < i)
			continue;
		for (cod = 0, k = i; k < n; k++)
			if (rows[k].cod > 0 && strcmp(rows[k].currency,
			    rows[i].currency) == 0)
				money_add(cod, rows[k].cod, &cod);
		cells[6] = money_format(cod, rows[i].exponent, amount,
		    sizeof(amount));
		cells[7] = rows[i].currency;
		csv_row(cw, buf, cap, len, cells, 8);
		any = 1;
	}
	if (!any) {
		cells[6] = cells[7] = "";
		csv_row(cw, buf, cap, len, cells, 8);
	}
}

void
label_manifest_csv(const struct label_manifest_row *rows, size_t n,
    char **buf, size_t *cap, size_t *len)
{
	static const struct csvwrite cw = { ',', 0, 1 };
	const char *cells[8] = { "carrier", "warehouse", "order", "parcel",
	    "tracking_number", "weight_g", "cod", "currency" };
	char num[16], grams[24], amount[40];
	size_t i, start;

	csv_row(&cw, buf, cap, len, cells, 8);
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && strcmp(rows[i].carrier,
		    rows[start].carrier) == 0; i++) {
			const struct label_manifest_row *row = &rows[i];

			snprintf(num, sizeof(num), "%d", row->n);
			snprintf(grams, sizeof(grams), "%" PRId64,
			    row->weight_g);
			cells[0] = row->carrier, cells[1] = row->warehouse;
			cells[2] = row->order, cells[3] = num;
			cells[4] = row->tracking;
			cells[5] = row->weight_g >= 0 ? grams : "";
			cells[6] = row->cod > 0 ? money_format(row->cod,
			    row->exponent, amount, sizeof(amount)) : "";
			cells[7] = row->cod > 0 ? row->currency : "";
			csv_row(&cw, buf, cap, len, cells, 8);
		}
		csv_totals(&cw, buf, cap, len, rows + start, i - start);
	}
}
