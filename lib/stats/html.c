/* html.c: order-stats' page: SVG charts and tables, in the shop's
 * language, with nothing to fetch. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "money.h"
#include "msg.h"
#include "stats.h"
#include "xalloc.h"

enum text {
	T_TITLE, T_BY, T_ORDERS, T_REVENUE, T_FUNNEL, T_PAID, T_LABELLED,
	T_SHIPPED, T_DELIVERED, T_CARRIERS, T_PAYMENTS, T_RETURNS, T_PERIOD,
	T_STEP, T_VALUE, T_N, T_NONE, T_HOURS, T_NTEXTS
};

static const char *const texts[T_NTEXTS][MSG_NLANGS] = {
	[T_TITLE] = { "Shop KPIs", "Показатели магазина",
	    "Показники магазину" },
	[T_BY] = { "Periods: ", "Периоды: ", "Періоди: " },
	[T_ORDERS] = { "Orders per period", "Заказы по периодам",
	    "Замовлення за періодами" },
	[T_REVENUE] = { "Revenue per period, ", "Выручка по периодам, ",
	    "Виторг за періодами, " },
	[T_FUNNEL] = { "Processing time, median", "Время обработки, медиана",
	    "Час обробки, медіана" },
	[T_PAID] = { "to paid", "до оплаты", "до оплати" },
	[T_LABELLED] = { "to labelled", "до этикетки", "до етикетки" },
	[T_SHIPPED] = { "to shipped", "до отгрузки", "до відвантаження" },
	[T_DELIVERED] = { "shipped to delivered", "от отгрузки до доставки",
	    "від відвантаження до доставки" },
	[T_CARRIERS] = { "Delivery time per carrier, median",
	    "Срок доставки по перевозчикам, медиана",
	    "Термін доставки за перевізниками, медіана" },
	[T_PAYMENTS] = { "Payment success per provider",
	    "Успешные оплаты по платёжным системам",
	    "Успішні оплати за платіжними системами" },
	[T_RETURNS] = { "Return reasons", "Причины возвратов",
	    "Причини повернень" },
	[T_PERIOD] = { "Period", "Период", "Період" },
	[T_STEP] = { "What", "Что", "Що" },
	[T_VALUE] = { "Value", "Значение", "Значення" },
	[T_N] = { "Count", "Число", "Кількість" },
	[T_NONE] = { "no data", "нет данных", "немає даних" },
	[T_HOURS] = { "h", "ч", "год" },
};

static const char *by_texts[][MSG_NLANGS] = {
	{ "days", "дни", "дні" },
	{ "ISO weeks", "недели ISO", "тижні ISO" },
	{ "months", "месяцы", "місяці" },
};

/* A bar of a chart: its label, the value it is drawn by, the text shown
 * and the count behind it. */
struct bar {
	char	*label;
	int64_t	 value;
	char	 text[64];
	int64_t	 n;
};

struct chart {
	struct bar	*bars;
	size_t		 n, cap;
};

static void
put_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':	fputs("&amp;", fp); break;
		case '<':	fputs("&lt;", fp); break;
		case '>':	fputs("&gt;", fp); break;
		case '"':	fputs("&quot;", fp); break;
		default:	putc(*s, fp);
		}
}

static struct bar *
add_bar(struct chart *c, const char *label, int64_t value, int64_t n)
{
	struct bar *b;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->bars = xrealloc(c->bars, c->cap * sizeof(*c->bars));
	}
	b = &c->bars[c->n++];
	b->label = xstrdup(label);
	b->value = value;
	b->n = n;
	b->text[0] = '\0';
	return b;
}

static void
chart_release(struct chart *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->bars[i].label);
	free(c->bars);
	memset(c, 0, sizeof(*c));
}

/* The value of group when it has the one key name, else NULL; the caller
 * free()s it. */
static char *
only_key(const char *group, const char *name)
{
	json_t *g = json_loads(group, 0, NULL);
	const char *v;
	char *s = NULL;

	if (json_object_size(g) == 1 &&
	    (v = json_string_value(json_object_get(g, name))) != NULL)
		s = xstrdup(v);
	json_decref(g);
	return s;
}

static void
hours(int64_t seconds, const char *unit, char *buf, size_t len)
{
	int64_t tenths = (seconds * 10 + 1800) / 3600;

	snprintf(buf, len, "%" PRId64 ".%" PRId64 " %s", tenths / 10,
	    tenths % 10, unit);
}

/* Draw c as horizontal bars under title, and its numbers in a table. */
static void
draw(FILE *fp, const char *title, const char *head, const struct chart *c,
    int lang)
{
	int64_t max = 1;
	size_t i;
	int h = 20 + 24 * (int)(c->n > 0 ? c->n : 1), w;

	fputs("<section>\n<h2>", fp);
	put_text(fp, title);
	fputs("</h2>\n<div class=\"row\">\n", fp);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" "
	    "height=\"%d\" viewBox=\"0 0 560 %d\" role=\"img\">\n<title>", h, h);
	put_text(fp, title);
	fputs("</title>\n", fp);
	for (i = 0; i < c->n; i++)
		if (c->bars[i].value > max)
			max = c->bars[i].value;
	if (c->n == 0) {
		fputs("<text x=\"0\" y=\"24\">", fp);
		put_text(fp, texts[T_NONE][lang]);
		fputs("</text>\n", fp);
	}
	for (i = 0; i < c->n; i++) {
		w = c->bars[i].value <= 0 ? 0 :
		    (int)(c->bars[i].value * 240 / max);
		fprintf(fp, "<text x=\"0\" y=\"%zu\">", 24 + 24 * i);
		put_text(fp, c->bars[i].label);
		fprintf(fp, "</text><rect x=\"180\" y=\"%zu\" width=\"%d\" "
		    "height=\"16\" class=\"b%zu\"/><text x=\"%d\" y=\"%zu\">",
		    10 + 24 * i, w, i % 4, 186 + w, 24 + 24 * i);
		put_text(fp, c->bars[i].text);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n<table>\n<tr><th>", fp);
	put_text(fp, head);
	fputs("</th><th>", fp);
	put_text(fp, texts[T_VALUE][lang]);
	fputs("</th><th>", fp);
	put_text(fp, texts[T_N][lang]);
	fputs("</th></tr>\n", fp);
	for (i = 0; i < c->n; i++) {
		fputs("<tr><td>", fp);
		put_text(fp, c->bars[i].label);
		fputs("</td><td>", fp);
		put_text(fp, c->bars[i].text);
		fprintf(fp, "</td><td>%" PRId64 "</td></tr>\n", c->bars[i].n);
	}
	fputs("</table>\n</div>\n</section>\n", fp);
}

static const struct stats_cell *
find(const struct stats_table *t, const char *kpi, const char *group)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->cells[i].kpi, kpi) == 0 &&
		    strcmp(t->cells[i].group, group) == 0)
			return &t->cells[i];
	return NULL;
}

/* Orders, and revenue in each currency, per period. */
static void
per_period(FILE *fp, const struct stats_table *per, int lang)
{
	const struct money_currency *cur;
	struct chart c = { 0 };
	struct bar *b;
	char amount[48], title[128], **seen = NULL;
	size_t i, j, nseen = 0;

	for (i = 0; i < per->n; i++) {
		if (strcmp(per->cells[i].kpi, "orders") != 0 ||
		    strcmp(per->cells[i].group, "{}") != 0)
			continue;
		b = add_bar(&c, per->cells[i].period, per->cells[i].n,
		    per->cells[i].n);
		snprintf(b->text, sizeof(b->text), "%" PRId64,
		    per->cells[i].n);
	}
	draw(fp, texts[T_ORDERS][lang], texts[T_PERIOD][lang], &c, lang);
	chart_release(&c);
	for (i = 0; i < per->n; i++) {
		if (strcmp(per->cells[i].kpi, "revenue") != 0 ||
		    strcmp(per->cells[i].group, "{}") != 0)
			continue;
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], per->cells[i].currency) == 0)
				break;
		if (j < nseen)
			continue;
		seen = xrealloc(seen, (nseen + 1) * sizeof(*seen));
		seen[nseen++] = xstrdup(per->cells[i].currency);
	}
	for (j = 0; j < nseen; j++) {
		cur = money_currency(seen[j]);
		for (i = 0; i < per->n; i++) {
			if (strcmp(per->cells[i].kpi, "revenue") != 0 ||
			    strcmp(per->cells[i].group, "{}") != 0 ||
			    strcmp(per->cells[i].currency, seen[j]) != 0 ||
			    per->cells[i].overflow)
				continue;
			b = add_bar(&c, per->cells[i].period,
			    per->cells[i].sum, per->cells[i].n);
			snprintf(b->text, sizeof(b->text), "%s %s",
			    money_format(per->cells[i].sum, cur != NULL ?
			    cur->exponent : 2, amount, sizeof(amount)),
			    seen[j]);
		}
		snprintf(title, sizeof(title), "%s%s", texts[T_REVENUE][lang],
		    seen[j]);
		draw(fp, title, texts[T_PERIOD][lang], &c, lang);
		chart_release(&c);
		free(seen[j]);
	}
	free(seen);
}

/* The median of each step over the whole range. */
static void
funnel(FILE *fp, struct stats_table *whole, int lang)
{
	static const struct { const char *kpi; enum text label; } steps[] = {
		{ "time_to_paid", T_PAID }, { "time_to_labelled", T_LABELLED },
		{ "time_to_shipped", T_SHIPPED },
		{ "time_to_delivered", T_DELIVERED },
	};
	struct stats_cell *cell;
	struct chart c = { 0 };
	struct bar *b;
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((cell = (struct stats_cell *)find(whole, steps[i].kpi,
		    "{}")) == NULL)
			continue;
		v = stats_sample_rank(&cell->sample, 50);
		b = add_bar(&c, texts[steps[i].label][lang], v,
		    (int64_t)cell->sample.seen);
		hours(v, texts[T_HOURS][lang], b->text, sizeof(b->text));
	}
	draw(fp, texts[T_FUNNEL][lang], texts[T_STEP][lang], &c, lang);
	chart_release(&c);
}

/* One bar per value of the dimension name in the KPI's cells. */
static void
by_dimension(FILE *fp, struct stats_table *whole, const char *kpi,
    const char *name, enum text title, enum text head, int lang)
{
	struct stats_cell *cell;
	struct chart c = { 0 };
	struct bar *b;
	char *label;
	size_t i;

	for (i = 0; i < whole->n; i++) {
		cell = &whole->cells[i];
		if (strcmp(cell->kpi, kpi) != 0 ||
		    (label = only_key(cell->group, name)) == NULL)
			continue;
		switch (cell->kind) {
		case STATS_QUANTILE:
			b = add_bar(&c, label, stats_sample_rank(&cell->sample,
			    50), (int64_t)cell->sample.seen);
			hours(b->value, texts[T_HOURS][lang], b->text,
			    sizeof(b->text));
			break;
		case STATS_RATE:
			b = add_bar(&c, label, cell->den > 0 ?
			    cell->num * 10000 / cell->den : 0, cell->den);
			stats_percent(cell->num, cell->den, b->text);
			strcat(b->text, "%");
			break;
		default:
			b = add_bar(&c, label, cell->n, cell->n);
			snprintf(b->text, sizeof(b->text), "%" PRId64,
			    cell->n);
			break;
		}
		free(label);
	}
	draw(fp, texts[title][lang], texts[head][lang], &c, lang);
	chart_release(&c);
}

void
stats_html(FILE *fp, struct stats_table *per, struct stats_table *whole,
    enum stats_by by, int lang)
{
	static const char *const lang_codes[] = { "en", "ru", "uk" };
	const char *first = per->n > 0 ? per->cells[0].period : "";
	const char *last = per->n > 0 ? per->cells[per->n - 1].period : "";

	if (lang < 0 || lang >= MSG_NLANGS)
		lang = MSG_EN;
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", lang_codes[lang]);
	put_text(fp, texts[T_TITLE][lang]);
	fputs("</title>\n<style>\n"
	    "body { font-family: \"DejaVu Sans\", sans-serif; margin: 24px; "
	    "color: #222; background: #fff; }\n"
	    "h1 { font-size: 22px; } h2 { font-size: 17px; }\n"
	    ".row { display: flex; gap: 24px; align-items: flex-start; }\n"
	    "svg text { font-size: 12px; fill: #222; }\n"
	    ".b0 { fill: #2b6cb0; } .b1 { fill: #2f855a; } "
	    ".b2 { fill: #c05621; } .b3 { fill: #6b46c1; }\n"
	    "table { border-collapse: collapse; font-size: 13px; }\n"
	    "th, td { border: 1px solid #bbb; padding: 2px 8px; "
	    "text-align: left; }\n"
	    "</style>\n</head>\n<body>\n<h1>", fp);
	put_text(fp, texts[T_TITLE][lang]);
	fputs("</h1>\n<p>", fp);
	put_text(fp, texts[T_BY][lang]);
	put_text(fp, by_texts[by][lang]);
	if (*first != '\0') {
		fputs(", ", fp);
		put_text(fp, first);
		fputs(" – ", fp);
		put_text(fp, last);
	}
	fputs("</p>\n", fp);
	per_period(fp, per, lang);
	funnel(fp, whole, lang);
	by_dimension(fp, whole, "time_to_delivered", "shipping.carrier",
	    T_CARRIERS, T_STEP, lang);
	by_dimension(fp, whole, "payment_success", "payment.provider",
	    T_PAYMENTS, T_STEP, lang);
	by_dimension(fp, whole, "returns", "return.reason", T_RETURNS, T_STEP,
	    lang);
	fputs("</body>\n</html>\n", fp);
}
