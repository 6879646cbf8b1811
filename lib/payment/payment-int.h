/* payment-int.h: what the files of lib/payment/ share beyond payment.h:
 * the reader, the columns of CSV reports, the table of functions each
 * provider fills, and the readers of amounts, ids and times they use. */
#ifndef PAYMENT_INT_H
#define PAYMENT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "csvread.h"
#include "payment.h"

/* Columns a CSV report may have; the reader's col[] holds the index of
 * each one in the header, or -1. */
enum payment_column {
	PAYCOL_ID, PAYCOL_SOURCE, PAYCOL_CHARGE, PAYCOL_CREATED,
	PAYCOL_CURRENCY, PAYCOL_GROSS, PAYCOL_FEE, PAYCOL_CATEGORY,
	PAYCOL_DESC, PAYCOL_ORDER, PAYCOL_REFUND_ORDER, PAYCOL_INTENT,
	PAYCOL_EMAIL, PAYCOL_CARD_COUNTRY, PAYCOL_CARD, PAYCOL_REFUNDED,
	PAYCOL_CAPTURED, PAYCOL_STATUS, PAYCOL_TYPE, PAYCOL_DATE, PAYCOL_TIME,
	PAYCOL_TZ, PAYCOL_INVOICE, PAYCOL_CUSTOM, PAYCOL_PARENT, PAYCOL_TITLE,
	PAYCOL_IP_COUNTRY, PAYCOL_AMOUNT, PAYCOL_N
};

/* What a wrapper tells of the object it holds: PayPal's webhook events
 * name the kind of the resource in them. */
enum payment_hint {
	PAYMENT_HINT_NONE,
	PAYMENT_HINT_PAYPAL_CAPTURE,
	PAYMENT_HINT_PAYPAL_AUTH,
	PAYMENT_HINT_PAYPAL_REFUND
};

/* Why a row or an object is no transaction: a reject's code and message. */
struct payment_problem {
	const char	*code;
	char		 msg[256];
};

struct payment_reader;

/* A row of a marketplace's payout report that writes an order's payment
 * as several rows (Amazon's settlement report: one row for the price, one
 * for each fee): its share of one transaction, which gather.c sums per
 * kind, group and order into one. */
struct payment_part {
	enum payment_kind kind;		/* the sale's (charge) or a refund */
	const char	*group;		/* the report's batch: a settlement */
	const char	*order;		/* the order id the report writes */
	int64_t		 gross;		/* signed: + the buyer paid, - back */
	int64_t		 fee;		/* signed: - kept by the channel, +
					 * given back */
	char		 currency[4];
	int64_t		 created;	/* seconds since the epoch, or 0 */
};

/* A CSV report of a provider's, told by its header. */
struct payment_layout {
	const struct payment_ops *provider;
	/* The lower-case header names of each column, '|' between aliases
	 * (PayPal's German download among them); NULL: none. */
	const char *const	*cols;
	/* 1 when the header of n fields is this report's. */
	int	 (*is)(char *const *fields, size_t n);
	/* A row into t: 0, or -1 with the problem in pb. */
	int	 (*row)(struct payment_reader *, struct csvread_row *,
		    struct payment_txn *t, struct payment_problem *pb);
	/* Instead of row, for a report of several rows a transaction: a
	 * row into pt: 0, PAYMENT_SKIP for a row that is no order's money
	 * (a summary, a subscription fee), or -1 with the problem in pb. */
	int	 (*part)(struct payment_reader *, struct csvread_row *,
		    struct payment_part *pt, struct payment_problem *pb);
};

/*
 * A provider: one file of lib/payment/ fills it, and payment.c lists it
 * in payment_adapters[].  json_is tells whether a JSON object (with the
 * hint of what wraps it) is one of the provider's, in the order of the
 * list; json_txn reads it into t: 0, PAYMENT_SKIP for an object that
 * moves no money for an order, or -1 with the problem in pb.  layouts are
 * its CSV reports, NULL-terminated, or NULL.
 */
#define PAYMENT_SKIP	1

struct payment_ops {
	const char	*name;		/* as payment_txn.provider and
					 * --provider name it: "paypal" */
	const char	*title;		/* in messages: "PayPal" */
	int		 (*json_is)(const json_t *o, int hint);
	int		 (*json_txn)(struct payment_reader *,
			    const json_t *o, int hint, struct payment_txn *t,
			    struct payment_problem *pb);
	const struct payment_layout *const *layouts;
};

extern const struct payment_ops	payment_paypal_ops;
extern const struct payment_ops	payment_cloudpayments_ops;
extern const struct payment_ops	payment_stripe_ops;
extern const struct payment_ops	payment_yookassa_ops;
extern const struct payment_ops	payment_amazon_ops;
extern const struct payment_ops	payment_shopify_ops;
extern const struct payment_ops	payment_ebay_ops;
extern const struct payment_ops	payment_etsy_ops;

/* The parts of a report read whole and summed (gather.c): the next
 * transaction, as payment_next() returns it; problems with rows go to
 * rejects.  payment_gather_free() frees what the reader holds. */
struct payment_gather;
int	 payment_gather_next(struct payment_reader *, struct payment_txn *,
	    struct reject_stream *rejects);
void	 payment_gather_free(struct payment_gather *);

/* The shop whose orders export a CSV header is ("a Shopify"), or NULL. */
const char *payment_orders_export(char *const *fields, size_t n);

/* The fields of row joined by the file's delimiter, for a reject, in the
 * reader's buffer; its length in *lenp. */
const char *payment_row_text(struct payment_reader *,
	    struct csvread_row *row, size_t *lenp);

/* The providers, NULL-terminated, in the order a JSON object or a CSV
 * header is offered to them. */
extern const struct payment_ops *const payment_adapters[];

/* A mapped CSV file (generic.c): the layout of the map's columns, the
 * field delimiter the map gives, and the columns found in the header hdr:
 * 0, or EX_DATAERR after a warning when it lacks the id, amount or
 * currency the map names. */
extern const struct payment_layout payment_generic_layout;
char	 payment_map_delimiter(const struct payment_map *);
int	 payment_generic_header(struct payment_reader *,
	    struct csvread_row *hdr);

/* Whether the header field is name, or has one of the '|'-separated
 * aliases (its index, else -1): white space around it and ASCII case
 * aside. */
int	 payment_header_is(const char *field, const char *name);
int	 payment_header_has(const char *aliases, char *const *fields,
	    size_t n);

struct payment_queued {
	json_t	*obj;		/* borrowed from root */
	int	 hint;		/* what a wrapper said of it */
};

struct payment_reader {
	FILE		*fp;
	const char	*path;
	const char	*provider;	/* forced by --provider, or NULL */
	const struct payment_map *map;
	const struct payment_layout *layout; /* a CSV report's; NULL: JSON */
	int		 status;	/* 0, EX_IOERR */
	/* CSV */
	struct csvread	 csv;
	int		 have_csv;	/* csv is to be released */
	int		 col[PAYCOL_N];	/* each one's column, or -1 */
	char		 delim;
	/* JSON */
	char		*line;
	size_t		 cap;
	unsigned long	 lineno;
	char		*doc;		/* a pretty-printed document */
	json_t		*root;		/* the value expanded */
	struct payment_queued *queue;
	size_t		 nqueue, qnext, qcap;
	unsigned long	 qline;
	/* the current transaction's own strings */
	char		 idbuf[64], parentbuf[64], refbuf[128];
	char		 altbuf[128], cardbuf[128];
	char		*rowtext;	/* a CSV row, for rejects */
	size_t		 rowcap;
	unsigned long	 nread;		/* transactions returned */
	unsigned long	 norders;	/* JSON objects that are orders */
	struct payment_gather *gather;	/* a report read whole */
	char		 currency[4];	/* a report's, from its summary row */
};

/* JSON lines and documents (objects.c): the next transaction of a JSON
 * file, as payment_next() returns it. */
int	 payment_json_next(struct payment_reader *, struct payment_txn *,
	    struct reject_stream *rejects);

/* Every format gives a positive amount (the store holds no other): 0, or
 * -1 (bad_amount) for one that is still negative, a provider's that has
 * no sign for it. */
int	 payment_positive(const struct payment_txn *,
	    struct payment_problem *pb);

/* What the providers' files read with (fields.c). */

/* Set pb's code and message (printf-like); returns -1. */
int	 payment_fail(struct payment_problem *pb, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* s without the spaces and tabs around it (and CR and LF after it), in
 * place. */
char	*payment_trim(char *s);

/* The currency code (any case) into t and its exponent into *exponent:
 * 0, or -1 (bad_currency). */
int	 payment_set_currency(struct payment_txn *t, const char *code,
	    struct payment_problem *pb, int *exponent);

/* *v made positive (exports write refunds and fees negative): 0, or -1
 * (amount_overflow) for the lowest int64_t, which has no positive twin.
 * what names the amount in the message. */
int	 payment_magnitude(int64_t *v, const struct payment_txn *t,
	    int exponent, struct payment_problem *pb, const char *what);

/* Amounts as text: as people's exports write them, with a currency's
 * mark and grouping (payment_parse_major(), signed); as APIs write them,
 * "-12.50" and never grouped (payment_parse_decimal()); whole minor units
 * (payment_parse_minor()).  0, or -1 (bad_amount). */
int	 payment_parse_major(const char *text, int exponent, int64_t *minor,
	    struct payment_problem *pb, const char *what);
int	 payment_parse_decimal(const char *text, int exponent,
	    int64_t *minor, struct payment_problem *pb, const char *what);
int	 payment_parse_minor(const char *text, int64_t *out,
	    struct payment_problem *pb, const char *what);

/* A JSON amount: integer minor units when minor, else integer or decimal
 * text in major units (reals were quoted on reading); 0 or -1.
 * payment_opt_minor() leaves *out when v is NULL or null. */
int	 payment_json_amount(const json_t *v, int minor, int exponent,
	    int64_t *out, struct payment_problem *pb, const char *what);
int	 payment_opt_minor(const json_t *v, int64_t *out,
	    struct payment_problem *pb, const char *what);

/* o's key: a non-empty string, or NULL; a string or an integer id as
 * text in buf (of len bytes), or NULL; an object, or NULL. */
const char *payment_jstr(const json_t *o, const char *key);
const char *payment_jid(const json_t *o, const char *key, char *buf,
	    size_t len);
json_t	*payment_jobj(const json_t *o, const char *key);

/* dst, a country code, from s when s is two letters (upper-cased). */
void	 payment_set_country(char dst[3], const char *s);

/* The order id of a metadata object, cleaned into r->refbuf; or NULL. */
const char *payment_meta_order(struct payment_reader *, const json_t *meta);

/* A provider's time s into *epoch: epoch seconds, or a date and a time of
 * day in the common forms of exporttime.h (RFC 3339, "+hhmm" offsets,
 * "YYYY-MM-DD HH:MM[:SS]"), in UTC when it names no zone.  0 or -1. */
int	 payment_time_parse(const char *s, int64_t *epoch);

/* A provider's time s (NULL: none, *epoch left) into *epoch: epoch
 * seconds, or a date and time in the common forms, UTC when it names no
 * zone; 0, or -1 (bad_time). */
int	 payment_time_of(const char *s, int64_t *epoch,
	    struct payment_problem *pb, const char *what);

/* An export's time text in PayPal's forms or the common ones, in zone
 * (UTC when NULL or unknown) unless it names its own; 0 or -1.
 * payment_date_time_zone() joins PayPal's date, time and zone columns. */
int	 payment_export_time(const char *text, const char *zone,
	    int64_t *epoch);
int	 payment_date_time_zone(const char *date, const char *time,
	    const char *tz, int64_t *epoch);

/* The text of column c of row (spaces before it skipped), NULL when it is
 * empty or the header has no such column. */
const char *payment_col(struct payment_reader *, struct csvread_row *,
	    enum payment_column c);

/* Whether word is in s, ASCII case ignored. */
int	 payment_contains(const char *s, const char *word);

/* The order id that a free text names ("Order #SHOP-1001", "Заказ №72",
 * "Payment for order 1001"), into buf; NULL when it names none. */
char	*payment_ref_find(const char *text, char *buf, size_t len);

/* A copy of the JSON text s[0..len-1] in which every number with a
 * fraction or an exponent, or too long for int64_t, is a string, so that
 * jansson never turns an amount into a double.  New, caller frees; its
 * length in *outlen. */
char	*payment_quote_reals(const char *s, size_t len, size_t *outlen);

#endif
