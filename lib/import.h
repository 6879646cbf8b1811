/* import.h: rows of shop and marketplace exports made into order records:
 * the map that says which column fills which field, the formats built on
 * it, and the order being assembled from its rows. */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

/* The fields a map can fill.  Order fields come first, then item fields
 * from IMPORT_ITEM_ID on. */
enum import_field {
	IMPORT_ID, IMPORT_SOURCE_ID, IMPORT_CREATED_AT, IMPORT_PAID_AT,
	IMPORT_CANCELLED_AT, IMPORT_CURRENCY,
	IMPORT_CUSTOMER_NAME, IMPORT_CUSTOMER_FIRST, IMPORT_CUSTOMER_LAST,
	IMPORT_CUSTOMER_EMAIL, IMPORT_CUSTOMER_PHONE,
	IMPORT_SHIP_NAME, IMPORT_SHIP_PHONE, IMPORT_SHIP_METHOD,
	IMPORT_SHIP_SERVICE, IMPORT_SHIP_CARRIER, IMPORT_SHIP_TRACKING,
	IMPORT_PICKUP_POINT, IMPORT_COUNTRY, IMPORT_REGION, IMPORT_CITY,
	IMPORT_POSTAL_CODE, IMPORT_LINE1, IMPORT_LINE2,
	IMPORT_PAY_METHOD, IMPORT_PAY_PROVIDER, IMPORT_PAY_TXN,
	IMPORT_PAY_STATUS, IMPORT_STATUS_ORDER, IMPORT_STATUS_PAYMENT,
	IMPORT_STATUS_FULFILLMENT, IMPORT_NOTE,
	IMPORT_SUBTOTAL, IMPORT_SHIPPING, IMPORT_DISCOUNT, IMPORT_TAX,
	IMPORT_TOTAL,
	IMPORT_ITEM_ID, IMPORT_ITEM_SKU, IMPORT_ITEM_NAME, IMPORT_ITEM_VARIANT,
	IMPORT_ITEM_QTY, IMPORT_ITEM_PRICE, IMPORT_ITEM_LINE_TOTAL,
	IMPORT_ITEM_DISCOUNT, IMPORT_ITEM_TAX, IMPORT_ITEM_STATUS,
	IMPORT_ITEM_OPTION,	/* items.variant.NAME */
	IMPORT_ITEM_EXTRA,	/* items.extra.NAME */
	IMPORT_EXTRA,		/* extra.NAME */
	IMPORT_IGNORE,		/* a column left out of extra */
	IMPORT_NFIELDS
};
#define IMPORT_NORDER	IMPORT_ITEM_ID
#define IMPORT_NITEM	(IMPORT_ITEM_OPTION - IMPORT_ITEM_ID)

/* The name of a field in maps and messages ("items.qty"). */
const char	*import_field_name(int field);

enum import_op {
	IMPORT_SET,		/* FIELD = COLUMN: the first value given */
	IMPORT_ADD,		/* FIELD += COLUMN: summed (money), joined (text) */
	IMPORT_CONST		/* FIELD := VALUE */
};

struct import_rule {
	int		 field;		/* enum import_field */
	int		 op;		/* enum import_op */
	char		*column;	/* the column, or the constant */
	char		*name;		/* items.variant.NAME, extra.NAME */
	long		 col;		/* its index in the header; -1: absent */
};

struct import_map {
	char		*source;	/* "source" of the records: "shopify" */
	char		*layout;	/* which export: "shopify", "etsy-orders" */
	char		*about;		/* one line for --list-formats */
	char		 delimiter;	/* 0: sniffed */
	char		*encoding;	/* NULL: --encoding */
	char		 decimal;	/* ',' or '.'; 0: either */
	int		 zone;		/* minutes east of UTC, when has_zone */
	int		 has_zone;
	int		 user;		/* a --map file: named columns must exist */
	int		 footers;	/* skip "N record(s) downloaded" lines */
	char		*tax_added_in;	/* currencies whose prices exclude tax */
	char		**dates;	/* date patterns, strptime-like */
	size_t		 ndates;
	char		**group;	/* columns that make rows one order */
	long		*group_col;
	size_t		 ngroup;
	char		**require;	/* columns ("A|B": one of) the header needs */
	size_t		 nrequire;
	struct import_rule *rules;
	size_t		 nrules;
	long		 ncolumns;	/* the bound header's width */
	char		*used;		/* per column: named by a rule */
};

/* Read a map from text (the --map file format of order-import(1)) into
 * map; name is the file's name for messages.  Returns 0, or -1 with a
 * message "NAME:LINE: ..." in err. */
int	 import_map_parse(struct import_map *, const char *text,
	    const char *name, char *err, size_t errlen);
void	 import_map_release(struct import_map *);

/* The built-in CSV layouts: the map text of layout i, NULL past the last. */
const char *import_builtin(size_t i);

/* Bind the map to a header of n names (trimmed, compared without regard
 * to case).  Returns the number of required columns the header lacks;
 * their names, ", "-separated and quoted, go to missing (of size len). */
int	 import_map_bind(struct import_map *, char *const *header, size_t n,
	    char *missing, size_t len);

/* Settings of one run that the records depend on. */
struct import_ctx {
	const char	*source;	/* the records' "source" */
	const char	*file;		/* the input's name, for rejects */
	const char	*currency;	/* --currency, or NULL */
	const char	*country;	/* --country, or NULL */
	const char	*ship_method;	/* --ship-method, or NULL */
	int		 tz, has_tz;	/* --tz, minutes east of UTC */
	int		 zone, has_zone; /* the format's documented zone */
	char		*const *dates;	/* the format's date patterns */
	size_t		 ndates;
	char		 decimal;	/* the format's decimal separator */
	/* The text of a row noted by offset (import_order_rowat()), for a
	 * reject: a new string the caller frees, its length in *lenp. */
	char		*(*raw)(void *arg, long long off, size_t len,
			    size_t *lenp);
	void		*raw_arg;
	int		 no_prices;	/* the file has no price column at all */
	const char	*tax_added_in;	/* "USD CAD": tax is on top of prices
					 * only in these; NULL: see totals */
};

/* Read the time s through the format's patterns, then the common forms
 * (exporttime_parse()), into RFC 3339 in out (of at least 32 bytes).  A
 * time without an offset is in the zone of zone/has_zone, then tz/has_tz,
 * then UTC.  0, or -1. */
int	 import_time(const struct import_ctx *, const char *s, char *out);

struct import_value {
	char		*text;		/* NULL: not given */
	unsigned long	 line;
};

struct import_order;

struct import_item {
	struct import_order *order;	/* whose arena holds the texts */
	struct import_value v[IMPORT_NITEM];
	json_t		*variant;	/* items.variant.NAME values, or NULL */
	json_t		*extra;		/* or NULL */
	unsigned long	 line;
};

struct import_add {
	int		 field;
	struct import_value value;
};

/* An order being assembled from its rows. */
struct import_order {
	struct arena	 texts;		/* its values' texts, freed together:
					 * an export has tens of fields a row,
					 * and one allocation each would cost
					 * more than reading them */
	char		*key;		/* what groups its rows */
	const struct import_ctx *ctx;
	struct import_value v[IMPORT_NORDER];
	struct import_add *adds;	/* FIELD += values */
	size_t		 nadds, capadds;
	struct import_item *items;
	size_t		 nitems, capitems;
	json_t		*extra;		/* or NULL */
	json_t		*errors;	/* or NULL */
	unsigned long	*lines;		/* its rows' lines, and their text */
	char		**raws;		/* NULL: at offs in the input */
	long long	*offs;
	size_t		*lens;
	size_t		 nrows, caprows;
	unsigned long	 last;		/* the last row's line */
	struct import_order *next;	/* for the caller's tables */
};

/* A new order for rows grouped by key[0..len-1]; freed by
 * import_order_free(). */
struct import_order *import_order_new(const struct import_ctx *,
	    const char *key, size_t len);
void	 import_order_free(struct import_order *);

/* Note a source row (line, raw text: any bytes) as part of the order. */
void	 import_order_row(struct import_order *, unsigned long line,
	    const char *raw, size_t len);

/* The same for a row that is len bytes at off in the input, read back
 * through ctx->raw only if the order is rejected. */
void	 import_order_rowat(struct import_order *, unsigned long line,
	    long long off, size_t len);

/* Give an order field a value (copied): IMPORT_SET keeps the first one,
 * IMPORT_ADD sums money and joins text with ", ".  Empty text is none. */
void	 import_order_set(struct import_order *, int field, int op,
	    const char *text, unsigned long line);

/* A new item of the order, and its fields. */
struct import_item *import_item_add(struct import_order *, unsigned long line);
void	 import_item_set(struct import_item *, int field, const char *text,
	    unsigned long line);
void	 import_item_option(struct import_item *, const char *name,
	    const char *value);

/* Keep value (a new reference, taken) under key in the order's or the
 * item's "extra". */
void	 import_order_extra(struct import_order *, const char *key,
	    json_t *value);
void	 import_item_extra(struct import_item *, const char *key,
	    json_t *value);

/* A problem that makes the order a reject. */
void	 import_order_error(struct import_order *, const char *code,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Append the order's record, one line of compact JSON and its newline, to
 * the growing buffer *bufp of capacity *capp at offset *lenp (the caller's,
 * NULL, 0, 0 to start, grown with xrealloc()), and return 0.  When the
 * order has problems, return -1 with *lenp as it was and *reject the reject
 * record (new reference, with its "errors") to write.  The order itself is
 * left to import_order_free(). */
int	 import_order_finish(struct import_order *, char **bufp, size_t *capp,
	    size_t *lenp, json_t **reject);

/* The text of a JSON scalar for import_order_set(): a string as it is, an
 * integer in decimal, any other number as the source wrote it (1390.000000,
 * an id beyond 64 bits) or, with an exponent, as the shortest decimal that
 * reads back as the same double, true/false.  NULL for null, absent
 * values, objects and arrays.  The text lives in buf (of len bytes) or in
 * the value. */
const char *import_json_text(const json_t *, char *buf, size_t len);

/* ---- JSON exports (import/json.c) ---- */

enum import_json_kind {
	IMPORT_JSON_NONE = -1,
	IMPORT_WOOCOMMERCE, IMPORT_OZON, IMPORT_YANDEX, IMPORT_WB_STATS,
	IMPORT_WB_MARKET
};

/* Which platform's order object v looks like, or IMPORT_JSON_NONE. */
int	 import_json_kind(const json_t *v);

/* The format name of kind ("woocommerce", "ozon", "yandex-market",
 * "wildberries"). */
const char *import_json_format(int kind);

/* When v is an API response that wraps orders ({"result":{"postings":
 * [...]}}, {"orders":[...]}, {"order":{...}}), the array or object of
 * orders in it (borrowed); else NULL. */
json_t	*import_json_unwrap(json_t *v);

/* The key that groups objects of kind into one order (Wildberries
 * statistics: gNumber; the others: the order's own id), in buf. */
const char *import_json_key(int kind, const json_t *v, char *buf,
	    size_t len);

/* Fill order o from the object v of kind that starts on line. */
void	 import_json_order(struct import_order *o, int kind, const json_t *v,
	    unsigned long line);

/* The zone and date patterns the JSON format documents, set in ctx. */
void	 import_json_ctx(int kind, struct import_ctx *ctx);

#endif
