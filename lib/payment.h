/* payment.h: payment providers' transactions, read into one exact form. */
#ifndef PAYMENT_H
#define PAYMENT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
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

/* Read the map file at path (mapfile.h: "key = value" lines).  On error
 * returns NULL with a message in errbuf and the exit status (66 cannot
 * open, 78 bad content) in *status. */
struct payment_map *payment_map_load(const char *path, char *errbuf,
	    size_t errlen, int *status);
void	 payment_map_free(struct payment_map *);

/* A file of transactions being read (lib/payment/ keeps what it holds). */
struct payment_reader;

/* Open path (named so in messages) to read the transactions of provider
 * (NULL: told from each file's header or each object's shape; "generic"
 * needs map).  Returns the reader, or NULL after a warning with the exit
 * status in *status: EX_NOINPUT when the file cannot be opened,
 * EX_DATAERR when it is of no provider known (or not of the one named). */
struct payment_reader *payment_open(const char *path, const char *provider,
	    const struct payment_map *map, int *status);

/* What the CSV file at path is, for a message when it was given where
 * it does not belong: a payment report's provider ("Stripe"), with
 * *orders 0, or a shop's orders export ("a Shopify"), with *orders 1;
 * NULL when neither (or it cannot be opened).  No warning. */
const char *payment_sniff(const char *path, int *orders);

/* The next transaction into *txn: 1, or 0 at the end of the file.  A row
 * or object that is not a transaction it understands, or whose amount,
 * currency or time cannot be read exactly, is written to rejects (codes
 * bad_json, bad_payment, bad_amount, bad_currency, bad_time, and
 * amount_overflow for a negative amount with no positive twin in int64_t
 * or a fee that does not fit) with its line and raw text, and skipped.
 * The amount of a transaction returned is never negative. */
int	 payment_next(struct payment_reader *, struct payment_txn *,
	    struct reject_stream *rejects);

/* Close and free the reader (NULL: nothing); 0, EX_IOERR when the file
 * could not be read, or EX_DATAERR after a warning when it held order
 * records and no transaction (orders given as --payments). */
int	 payment_close(struct payment_reader *);

/* Copy the strings of t into arena (arena.h) and point t at the copies,
 * so that they live as long as the arena, not only until the reader's
 * next call or the store's next row. */
void	 payment_txn_keep(struct payment_txn *t, struct arena *arena);

/* Names for enum values, as written in reports and the store. */
const char *payment_kind_name(enum payment_kind);
const char *payment_state_name(enum payment_state);
int	 payment_kind_parse(const char *, enum payment_kind *);
int	 payment_state_parse(const char *, enum payment_state *);

/* Copy s into buf (of len bytes) as an order id: surrounding space and a
 * leading '#', "No" or U+2116 taken off.  Returns buf, or NULL when
 * nothing is left or it does not fit. */
char	*payment_ref_clean(const char *s, char *buf, size_t len);

#endif
