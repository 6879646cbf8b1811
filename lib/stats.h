/* stats.h: order-stats' arithmetic: periods, exact quantiles, rates, the
 * table of KPI cells and the facts of an order merged from its lines. */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "arena.h"
#include "strmap.h"

enum stats_by { STATS_DAY, STATS_WEEK, STATS_MONTH };

/* The label of the period holding epoch, in the zone tz (minutes east of
 * UTC), into buf of at least 16 bytes: "2026-03-30" (a day), "2026-W14"
 * (an ISO 8601 week, Monday to Sunday, of the ISO week-numbering year),
 * "2026-03" (a month).  Labels of one kind sort as their periods do.
 * Returns buf. */
char	*stats_period(int64_t epoch, int tz, enum stats_by, char *buf);

/* "enum stats_by" by name: 0 with *by set, -1 for another name. */
int	 stats_by_parse(const char *name, enum stats_by *by);
const char *stats_by_name(enum stats_by);

/*
 * The values of one quantile: kept exactly up to STATS_SAMPLE_MAX values
 * (8 bytes each, so at most 80 MB a group and KPI); beyond that a uniform
 * reservoir of STATS_SAMPLE_MAX of them (a fixed seed: two runs agree),
 * whose nearest rank is off by about 1 / sqrt(STATS_SAMPLE_MAX) of the
 * count, 0.03%; approx is then 1.  Zeroed memory is empty.
 */
#define STATS_SAMPLE_MAX	10000000
struct stats_sample {
	int64_t		*v;
	size_t		 n, cap;
	uint64_t	 seen;		/* values added */
	uint64_t	 rng;
	int		 sorted;
	int64_t		 max;
};
void	 stats_sample_add(struct stats_sample *, int64_t value);
/* The nearest-rank pct-th percentile (1..100): the value at rank
 * ceil(pct / 100 * n) of the sorted values; 0 when there are none. */
int64_t	 stats_sample_rank(struct stats_sample *, unsigned pct);
int	 stats_sample_approx(const struct stats_sample *);
void	 stats_sample_release(struct stats_sample *);

/* num / den as a percentage with two decimals, rounded half up, from the
 * integers alone ("66.67", "100.00"), into buf of at least 32 bytes; "0.00"
 * when den is 0.  Returns buf. */
char	*stats_percent(int64_t num, int64_t den, char *buf);

/* num / den rounded half up, for averages of minor units; 0 when den is
 * 0. */
int64_t	 stats_div(int64_t num, int64_t den);

/*
 * The table: one cell per period, group, KPI and currency.  A group is the
 * compact JSON text of an object of the dimensions ("{}" for all orders).
 * Out of memory exits 71; a sum beyond int64 is reported by the cell's
 * overflow flag, never wrapped.
 */
enum stats_kind {
	STATS_COUNT,		/* n */
	STATS_SUM,		/* sum of minor units, n summed */
	STATS_AVG,		/* sum / n */
	STATS_RATE,		/* num of den, as a percentage */
	STATS_QUANTILE		/* the sample's p50, p90, max */
};
struct stats_cell {
	const char	*period, *group, *kpi, *currency; /* "" none */
	enum stats_kind	 kind;
	int64_t		 sum, n, num, den;
	int		 overflow;
	struct stats_sample sample;
};
struct stats_table {
	struct strmap	 index;
	struct stats_cell *cells;
	size_t		 n, cap;
	struct arena	 text;
};
void	 stats_table_init(struct stats_table *);
/* The cell of the four names (currency NULL: none), made with kind. */
struct stats_cell *stats_cell(struct stats_table *, const char *period,
	    const char *group, const char *kpi, const char *currency,
	    enum stats_kind);
/* The cell of the four names, or NULL when there is none: made by
 * nothing. */
struct stats_cell *stats_find(const struct stats_table *, const char *period,
	    const char *group, const char *kpi, const char *currency);
/* The cells sorted by period, KPI, group, currency (after which neither
 * stats_cell() nor stats_find() may be called). */
void	 stats_table_sort(struct stats_table *);
void	 stats_table_release(struct stats_table *);

/* Add value to a STATS_SUM or STATS_AVG cell. */
void	 stats_cell_add(struct stats_cell *, int64_t value);

/*
 * An order's facts, merged from every line that names it (by "source" and
 * "id"): the first time each status was reached (its status_history
 * entries, whatever the order of the lines), and the other facts from the
 * line with the latest history entry (by "at"), a line with an older one
 * filling only what is still unknown.  Strings live as long as the
 * struct stats_orders.
 */
enum stats_step {
	STATS_VALIDATED, STATS_RESERVED, STATS_BACKORDER, STATS_PAID,
	STATS_COD, STATS_BOOKED, STATS_LABELLED, STATS_SHIPPED,
	STATS_DELIVERED, STATS_NSTEPS
};
struct stats_reject {
	const char	*step, *code;
};
struct stats_order {
	const char	*id;
	int64_t		 created;	/* created_at, when has_created */
	int		 has_created;
	int64_t		 reached[STATS_NSTEPS];	/* first "at", 0: never */
	int64_t		 latest;	/* the latest "at" of any line */
	const char	*status;	/* that entry's status */
	const char	*currency, *provider, *method, *paystatus;
	int64_t		 total, refunded;	/* -1: unknown */
	const char	*carrier, *region, *customer;
	int64_t		 cost;			/* shipment.cost.amount */
	const char	*cost_currency;		/* NULL: no cost */
	const char	*return_reason;		/* NULL: no return */
	int64_t		 return_opened, refund_due, refunded_at; /* 0 */
	const char	**skus;
	size_t		 nskus;
	struct stats_reject *rejects;
	size_t		 nrejects;
	int		 failed_notes;	/* notifications that failed */
	json_t		*dims;		/* per --group-by field, an array of
					 * its values' texts */
};
struct stats_orders {
	struct strmap	 index, strings;
	struct stats_order *v;
	size_t		 n, cap;
	struct arena	 mem;
	const char *const *fields;	/* --group-by */
	size_t		 nfields;
};
void	 stats_orders_init(struct stats_orders *, const char *const *fields,
	    size_t nfields);
/* Merge rec, an order record or a reject of one; 0, or -1 when rec names
 * no order (no "id"). */
int	 stats_orders_merge(struct stats_orders *, const json_t *rec);
/* The values of path ("items.sku", through arrays) in rec, appended to the
 * array out as strings (numbers and booleans as their JSON text). */
void	 stats_values(const json_t *rec, const char *path, json_t *out);
void	 stats_orders_release(struct stats_orders *);


/*
 * The page of --format html: one self-contained HTML document (no script,
 * no link, fonts from the system) in lang (enum msg_lang) with SVG charts
 * and, beside each, a table of its numbers: orders and revenue per period
 * (from per, by period), the processing-time funnel, delivery time per
 * carrier, payment success per provider and return reasons (from whole,
 * the same KPIs over the whole range in one period).  Both tables sorted.
 */
void	 stats_html(FILE *fp, struct stats_table *per,
	    struct stats_table *whole, enum stats_by by, int lang);

#endif
