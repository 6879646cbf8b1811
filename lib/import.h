/* import.h: rows of shop and marketplace exports made into order records:
 * the map that says which column fills which field, the formats built on
 * it, and the order being assembled from its rows. */
#ifndef IMPORT_H
#define IMPORT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "arena.h"
#include "charset.h"
#include "csvread.h"
#include "strmap.h"

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
	IMPORT_SHIPPED_AT,	/* source_status.shipped_at: a time */
	IMPORT_OUTSTANDING,	/* source_status.outstanding: money */
	IMPORT_REFUNDED,	/* source_status.refunded: money */
	IMPORT_FULFILLED_BY,	/* AFN, MFN, ...: "marketplace" or "shop" */
	IMPORT_SUBTOTAL, IMPORT_SHIPPING, IMPORT_DISCOUNT, IMPORT_TAX,
	IMPORT_TOTAL,
	IMPORT_ITEM_ID, IMPORT_ITEM_SKU, IMPORT_ITEM_NAME, IMPORT_ITEM_VARIANT,
	IMPORT_ITEM_QTY, IMPORT_ITEM_PRICE, IMPORT_ITEM_LINE_TOTAL,
	IMPORT_ITEM_DISCOUNT, IMPORT_ITEM_TAX, IMPORT_ITEM_STATUS,
	IMPORT_ITEM_SHIPS,	/* items.requires_shipping: true, false */
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
	unsigned long	 zoneless;	/* times read as UTC for want of a
					 * zone: counted for --stats */
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

/* ---- Etsy's two files (import/merge.c) ---- */

/* Merge the record of an order from Etsy's Sold Orders file (totals with
 * the coupon, the status, the buyer's names) into the record of the same
 * order from its Sold Order Items file (items): orders' totals replace
 * items', and what items lacks (a key, or a member of an object) is
 * copied from orders.  orders stays the caller's. */
void	 import_etsy_merge(json_t *items, const json_t *orders);

/* The records of an Etsy run, held until every file is read.  Zeroed
 * memory is empty. */
struct import_etsy {
	json_t		*items, *orders;	/* arrays, or NULL */
};

/* Hold the record text[0..len-1] (a line import_order_finish() made) of
 * the layout "etsy-items" or "etsy-orders". */
void	 import_etsy_hold(struct import_etsy *, const char *layout,
	    const char *text, size_t len);

/* Write the records held to fp, in the order their files gave them, the
 * items file's first: an order in both files as one record
 * (import_etsy_merge()), the others as they are; then forget them.
 * Returns the number of orders merged. */
size_t	 import_etsy_flush(struct import_etsy *, FILE *fp);

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

/* One line on the export of kind, for --list-formats. */
const char *import_json_about(int kind);

/* Whether an order of kind may be spread over several objects, anywhere
 * in the export, that share its key (Wildberries statistics: one object
 * a position, grouped by gNumber): then it is held until the end. */
int	 import_json_grouped(int kind);

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

/* ---- an export operand (import/input.c) ---- */

#define IMPORT_SNIFF_SIZE	65536

struct import_input {
	FILE		*fp;
	const char	*name;		/* for messages: the operand */
	char		*sniff;		/* its first bytes, NUL-terminated */
	size_t		 nsniff;
};

/* Open path (standard input for "-") as a seekable stream: a pipe is
 * copied to a temporary file first, since a CSV is read more than once.
 * 0, or a message and EX_NOINPUT or EX_IOERR; no temporary file exits
 * 73.  import_input_close() closes it: 0, or EX_IOERR after a message
 * when it could not be read. */
int	 import_input_open(struct import_input *, const char *path);
int	 import_input_close(struct import_input *);

/* The first byte that is not white space or a BOM; -1 for none. */
int	 import_input_first_byte(const struct import_input *);

/* The delimiter of the first line with a letter or digit in it: the one
 * of ',', ';' and tab it holds most of outside quotes. */
char	 import_input_delimiter(const struct import_input *);

/* ---- CSV rows (import/rows.c) ---- */

/* A row's fields decoded to UTF-8 and trimmed.  Zeroed memory is an
 * empty row; import_row_release() frees what it holds. */
struct import_row {
	char		**fields;
	size_t		 nfields, cap;
	char		*arena;		/* decoded copies */
	size_t		 arenacap;
	int		 bad_encoding;	/* a field was not in the encoding */
};

/* Decode raw through cs into r: in place for UTF-8 (a byte that is not
 * UTF-8 becomes '?'), else into r's own copies, trimmed either way. */
void	 import_row_decode(struct import_row *r, struct csvread_row *raw,
	    struct charset *cs);
void	 import_row_release(struct import_row *);

/* Whether raw holds no text at all, white space aside. */
int	 import_row_blank(const struct csvread_row *raw);

/* Whether r is one of eBay's footers ("3 record(s) downloaded", "Seller
 * ID: shop"), which an export whose map says "footers" ends with. */
int	 import_row_footer(const struct import_row *r);

/* A row's bytes read back from fp at off for a reject, decoded through
 * cs: import_ctx's raw(), with a struct import_rawback as its arg. */
struct import_rawback {
	FILE		*fp;
	struct charset	*cs;
};

char	*import_raw_back(void *arg, long long off, size_t len, size_t *lenp);

/* ---- the pass before the rows (import/prepass.c) ---- */

/* A row's group key hashed (strmap_hash()) as its bytes were read: never
 * 0, which is no key. */
uint64_t import_key_hash(const char *s, size_t len);

/* The keys seen in more than one run of rows, with the row each one's last
 * run ends on.  A fixed Bloom filter finds them in one pass, so memory
 * grows only with orders whose rows are apart; the map of those is keyed
 * by the bytes of the 64-bit hash. */
#define IMPORT_BLOOM_BITS	(1UL << 24)

struct import_scatter {
	unsigned char	*bloom;
	struct strmap	 last;
};

void	 import_scatter_init(struct import_scatter *);
void	 import_scatter_release(struct import_scatter *);

/* The last row of the key hashed h, added (as 0) when add is set; NULL
 * when it is not there. */
unsigned long *import_scatter_slot(struct import_scatter *, uint64_t h,
	    int add);

/* The pre-pass reads only where rows end and what the group columns hold,
 * with a scanner that follows csv_parse(3)'s rules as csvread reads rows
 * (see prepass.c): libcsv copies every byte of every field and calls back
 * per field, which made this pass cost nearly as much as the import.
 * The caller sets the first five members and zeroes the rest. */
struct import_prepass {
	struct import_scatter *scatter;	/* filled */
	struct charset_guess *guess;	/* fed every byte, or NULL */
	const long	*group_col;	/* the map's group columns */
	size_t		 ngroup;
	unsigned long	 header_row;	/* rows up to it are not data */
	/* its own */
	unsigned long	 row;		/* rows so far, as csvread counts */
	size_t		 field;		/* fields so far in this row */
	int		 empty;		/* the row is one empty field */
	uint64_t	 key[4];	/* per group column, 0: empty */
	uint64_t	 prev;		/* the previous row's key */
	int		 flagged;	/* the current run is scattered */
	unsigned char	 delim;
	int		 state, quoted, keep;
	size_t		 spaces;
	char		*text;		/* the kept field's text */
	size_t		 len, cap;
	unsigned char	 stop[256];	/* ends an unquoted field */
};

/* Read fp from its start with the delimiter delim; rewound after.  0, or
 * -1 on a read error. */
int	 import_prepass(FILE *fp, char delim, struct import_prepass *);

/* ---- rows read ahead on a second thread (import/ahead.c) ---- */

/* Parsing and decoding the CSV is a third of an import, building and
 * writing the records the rest; with two cores the reader thread does the
 * first while the main thread does the second.  Rows go over in batches
 * through a ring of a few, which the reader refills: memory stays flat,
 * and the rows arrive in their order, so the records do too. */
#define IMPORT_AHEAD_ROWS	128		/* rows per batch */
#define IMPORT_AHEAD_BATCHES	4

/* A row as the import loop needs it: decoded, trimmed, its key found. */
struct import_ahead_row {
	unsigned long	 n;		/* as csvread_next() counts them */
	unsigned long	 line;
	long long	 off;		/* its bytes in the file */
	size_t		 len;
	size_t		 first, nfields; /* its fields in the batch */
	uint64_t	 hash;		/* of its group key; 0: none */
	long		 keycol;	/* the column of the key */
	int		 blank;		/* no text at all: not decoded */
	int		 bad_encoding;
};

struct import_ahead_batch {
	struct import_ahead_row rows[IMPORT_AHEAD_ROWS];
	size_t		 nrows;
	char		*text;		/* the fields, each NUL-terminated */
	size_t		 used, cap;
	size_t		*offs;		/* per field: its place in text */
	size_t		 nfields, capfields;
};

struct import_ahead {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled, emptied;
	struct import_ahead_batch batch[IMPORT_AHEAD_BATCHES];
	size_t		 head, count;	/* full: head .. head + count - 1 */
	int		 done;		/* no batch will follow */
	/* the reader thread's own */
	struct csvread	 reader;
	struct import_row row;
	struct charset	*cs;
	const struct import_map *map;
	unsigned long	 n;
	int		 error;		/* the reader's, once done */
};

/* Read the rows of fp on a new thread, decoded through cs, their keys the
 * group columns of map.  Neither may change until import_ahead_finish().
 * No thread exits 71. */
void	 import_ahead_start(struct import_ahead *, FILE *fp, char delim,
	    struct charset *cs, const struct import_map *map);

/* The next full batch, the one before it (or NULL) given back; NULL at
 * the end. */
struct import_ahead_batch *import_ahead_next(struct import_ahead *,
	    struct import_ahead_batch *prev);

/* Wait for the reader (at its end) and free all; its read error, or 0. */
int	 import_ahead_finish(struct import_ahead *);

/* ---- layouts (import/layout.c) ---- */

/* The layouts an export may have, and the one its header fits. */
struct import_layouts {
	struct import_map maps[16];
	size_t		 nmaps;
	int		 user;		/* maps[0] is the caller's */
	struct import_map *chosen;
	char		 closest[64];	/* for the message */
	char		 missing[1024];
	int		 nmissing;	/* -1: no header was tried */
};

/* The built-in layouts (those of format when not NULL), or the caller's
 * map user alone, which stays the caller's. */
void	 import_layouts_load(struct import_layouts *,
	    const struct import_map *user, const char *format);
void	 import_layouts_release(struct import_layouts *);

/* A format order-import reads: the source of built-in maps, a JSON
 * export, or "generic"; what it reads, one line. */
struct import_format {
	char		 name[32];
	char		 about[512];
};

/* The formats, in the order --list-formats shows them: the sources of the
 * built-in maps (their layouts' abouts joined by "; "), the JSON formats
 * alike, then "generic".  A new array of *n formats for free(3). */
struct import_format *import_formats(size_t *n);

/* Find the header among the first rows of fp, read with delim through cs,
 * and the layout it fits (chosen, bound to it).  The header's row number
 * (as csvread_next() counts), or 0 when no layout fits: then closest,
 * missing and nmissing tell the nearest.  fp is rewound. */
unsigned long import_find_header(FILE *fp, const char *name, char delim,
	    struct charset *cs, struct import_layouts *);

/* Give the decoded row of the export whose header is header (the bound
 * map's) to order o: an item when the row holds one, order fields, extra
 * values for columns no rule names. */
void	 import_apply_row(struct import_order *o, const struct import_map *,
	    struct import_row *row, char *const *header, unsigned long line);

/* ---- orders held (import/held.c) ---- */

/* Orders waiting for rows further down.  Each key ever held has a slot,
 * NULL while its order is not held: a re-sorted export takes and puts back
 * an order per row, so the key is looked up, not searched for.  Zeroed
 * memory is empty; import_held_release() frees the table, not orders. */
struct import_held {
	struct strmap	 keys;		/* key -> slot */
	struct import_order **held;
	size_t		 nheld, capheld;	/* slots */
	size_t		 holding;	/* slots not NULL */
};

/* The order held under key, no longer held; NULL for none. */
struct import_order *import_held_take(struct import_held *, const char *key);

/* Hold o (taken) under its key. */
void	 import_held_put(struct import_held *, struct import_order *o);

/* Give every held order to emit(arg, order), which takes it, in the order
 * of their last rows, and forget the keys. */
void	 import_held_flush(struct import_held *,
	    void (*emit)(void *, struct import_order *), void *arg);
void	 import_held_release(struct import_held *);

/* ---- JSON texts (import/jsonsplit.c) ---- */

/* The values of a JSON export one by one: the elements of a top-level
 * array, or the values one after another (JSON lines).  Set fp, line 0,
 * lines -1, the rest 0. */
struct import_jsonsplit {
	FILE		*fp;
	unsigned long	 line;		/* lines seen */
	int		 in_array;
	int		 started;	/* past a BOM */
	int		 lines;		/* JSON lines: -1 not known yet */
	int		 cut;		/* the value ended with the input */
};

/* The next value's text in *bufp (of *capp bytes, grown), its length in
 * *lenp, its first line in *linep: 1, or 0 at the end. */
int	 import_json_next(struct import_jsonsplit *, char **bufp,
	    size_t *capp, size_t *lenp, unsigned long *linep);

/* The part of a value cut short that import_json_mend() took off. */
struct import_jsoncut {
	char		*text;		/* NULL: none; else the caller's */
	size_t		 len;
	unsigned long	 line;		/* where it starts */
	unsigned long	 endline;	/* where the input ends */
	long long	 end;		/* ... its byte offset */
	size_t		 kept;		/* whole values before it */
};

/* A response cut short ({"result":{"postings":[{...},{...},{"posting_nu)
 * loses only the order it was cut in: the text up to the last whole
 * value of its orders array, closed, replaces it in *bufp, and the rest
 * goes to cut (its end left to the caller).  Nothing changes (cut->text
 * NULL) when the cut is not inside or after such an array. */
void	 import_json_mend(char **bufp, size_t *capp, size_t *lenp,
	    unsigned long line, struct import_jsoncut *cut);

#endif
