/* payment.h: payment providers' transactions, read into one exact form. */
#ifndef PAYMENT_H
#define PAYMENT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "csvread.h"

struct reject_stream;

enum payment_kind {
	PAYMENT_CHARGE,		/* money taken from a customer, or to be */
	PAYMENT_REFUND,		/* money given back to a customer */
	PAYMENT_OTHER		/* fees, payouts, transfers, funding: no order's */
};

enum payment_state {
	PAYMENT_SUCCEEDED,	/* captured; a refund done */
	PAYMENT_AUTHORIZED,	/* authorised, waiting for capture */
	PAYMENT_PENDING,	/* started, not yet authorised or settled */
	PAYMENT_FAILED		/* declined, cancelled, voided */
};

/* One transaction as a provider reported it.  Amounts are positive, in the
 * currency's minor units, read digit by digit from decimal text or taken
 * from integer minor units: never through floating point.  The strings
 * belong to the reader and live until its next payment_next() call; any
 * of them but provider and id may be NULL. */
struct payment_txn {
	const char		*provider;	/* "stripe", "yookassa", ... */
	const char		*id;		/* the provider's transaction id */
	const char		*parent;	/* a refund's charge id */
	const char		*order_ref;	/* order id from metadata, invoice */
	const char		*alt_ref;	/* order id found in a description */
	const char		*intent;	/* payment intent / order id of the
						 * provider, matched against the
						 * order's payment.transaction_id */
	const char		*email;		/* the payer's */
	const char		*card;		/* card fingerprint or bin*last4 */
	char			 card_country[3]; /* issuer or billing, or "" */
	char			 ip_country[3];	/* the payer's IP's, or "" */
	char			 currency[4];	/* ISO 4217, upper case */
	enum payment_kind	 kind;
	enum payment_state	 state;
	int64_t			 amount;	/* captured, authorised, refunded */
	int64_t			 refunded;	/* as the charge itself reports */
	int64_t			 fee;		/* the provider's fee */
	int64_t			 created;	/* seconds since the epoch, or 0 */
	int			 risky;		/* the provider flags it */
	unsigned long		 line;		/* line of the file it came from */
};

/* A mapping of a generic CSV file's columns, from a map file. */
struct payment_map;

/* The providers: NULL-terminated, for messages and the man page. */
extern const char *const payment_providers[];

/* 1 when name is one of payment_providers (or "generic"), else 0. */
int	 payment_provider_valid(const char *name);

/* Read the map file at path: "key = value" lines, '#' comments.  On error
 * returns NULL with a message in errbuf and the exit status (66 cannot
 * open, 78 bad content) in *status. */
struct payment_map *payment_map_load(const char *path, char *errbuf,
	    size_t errlen, int *status);
void	 payment_map_free(struct payment_map *);

struct payment_queued {
	json_t	*obj;		/* borrowed from root */
	int	 hint;		/* what a wrapper said of it */
};

struct payment_reader {
	FILE			*fp;
	const char		*path;
	const char		*provider;	/* forced by --provider, or NULL */
	const struct payment_map *map;
	int			 format;	/* see payment.c */
	int			 status;	/* 0, EX_IOERR */
	/* CSV */
	struct csvread		 csv;
	int			 have_csv;	/* csv is to be released */
	int			 col[40];	/* column of each field, or -1 */
	char			 delim;
	/* JSON */
	char			*line;
	size_t			 cap;
	unsigned long		 lineno;
	char			*doc;		/* a whole document, pretty-printed */
	json_t			*root;		/* the value being expanded */
	struct payment_queued	*queue;
	size_t			 nqueue, qnext, qcap;
	unsigned long		 qline;
	/* the current transaction's own strings */
	char			 idbuf[64], parentbuf[64], refbuf[128];
	char			 altbuf[128], cardbuf[128], intentbuf[64];
	char			*rowtext;	/* a CSV row, for rejects */
	size_t			 rowcap;
	unsigned long		 nread;		/* transactions returned */
};

/* Open path (named so in messages) to read the transactions of provider
 * (NULL: told from each file's header or each object's shape; "generic"
 * needs map).  Returns 0, or EX_NOINPUT after a warning when the file
 * cannot be opened, or EX_DATAERR after a warning when it is of no
 * provider known (or not of the one named); after a refusal there is
 * nothing to payment_close(). */
int	 payment_open(struct payment_reader *, const char *path,
	    const char *provider, const struct payment_map *map);

/* The next transaction into *txn: 1, or 0 at the end of the file.  A row
 * or object that is not a transaction it understands, or whose amount,
 * currency or time cannot be read exactly, is written to rejects (codes
 * bad_json, bad_payment, bad_amount, bad_currency, bad_time, and
 * amount_overflow for a negative amount with no positive twin in int64_t
 * or a fee that does not fit) with its line and raw text, and skipped.
 * The amount of a transaction returned is never negative. */
int	 payment_next(struct payment_reader *, struct payment_txn *,
	    struct reject_stream *rejects);

/* Close and free; 0, or EX_IOERR when the file could not be read. */
int	 payment_close(struct payment_reader *);

/* Names for enum values, as written in reports and the store. */
const char *payment_kind_name(enum payment_kind);
const char *payment_state_name(enum payment_state);
int	 payment_kind_parse(const char *, enum payment_kind *);
int	 payment_state_parse(const char *, enum payment_state *);

/* Copy s into buf (of len bytes) as an order id: surrounding space and a
 * leading '#', "No" or U+2116 taken off.  Returns buf, or NULL when
 * nothing is left or it does not fit. */
char	*payment_ref_clean(const char *s, char *buf, size_t len);

/* The order id that a free text names ("Order #SHOP-1001", "Заказ №72",
 * "Payment for order 1001"), into buf; NULL when it names none. */
char	*payment_ref_find(const char *text, char *buf, size_t len);

/* A copy of the JSON text s[0..len-1] in which every number with a
 * fraction or an exponent, or too long for int64_t, is a string, so that
 * jansson never turns an amount into a double.  New, caller frees; its
 * length in *outlen. */
char	*payment_quote_reals(const char *s, size_t len, size_t *outlen);

/* A provider's time: epoch seconds, or a date and a time of day in the
 * common forms of exporttime.h (RFC 3339, "+hhmm" offsets, "YYYY-MM-DD
 * HH:MM[:SS]"), in UTC when it names no zone.  0 or -1. */
int	 payment_time_parse(const char *s, int64_t *epoch);

#endif
