/* ordercheck.h: the checks of an order's form data: contacts, the shipping
 * address and method, the payment method, the currency and amounts, with
 * their messages in English, Russian and Ukrainian. */
#ifndef ORDERCHECK_H
#define ORDERCHECK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "msg.h"

struct money_currency;

/*
 * A check looks at part of a record and adds what is wrong with it to
 * errors ({code, field, message}, reject.h), all of it, and goes on.  What
 * it would normalise (a phone written as E.164, a country upper-cased) is
 * remembered as a change, made by ordercheck_apply() only if the record
 * passes, so that a reject goes out as it came in.  order-validate runs
 * every check; a program that takes a contact or an address from its
 * input (return-open) runs those it needs.
 */

/* Every message a check gives, by key: printf(3) formats that take the
 * same arguments, in the same order, in each language. */
extern const struct msg		ordercheck_messages[];
extern const size_t		ordercheck_nmessages;

struct ordercheck_change {
	json_t		*object;	/* borrowed: a part of the record */
	const char	*key;
	json_t		*value;		/* new: set when the record passes */
};

struct ordercheck {
	enum msg_lang	 lang;		/* of the messages */
	const char	*country;	/* where an address without one is,
					 * upper-case (--country), or NULL */
	const char	*source;	/* the current record's "source", for
					 * messages that name the fix, or
					 * NULL */
	json_t		*errors;	/* the current record's problems */
	struct ordercheck_change *changes;
	size_t		 nchanges, capchanges;
};

/* Start with no problems and no changes; messages in lang. */
void	 ordercheck_init(struct ordercheck *, enum msg_lang lang);

/* Free the errors and the changes not made. */
void	 ordercheck_release(struct ordercheck *);

/* Add a problem: code and field as in reject_add(), the message the one
 * ordercheck_messages has for key, with the arguments that follow. */
void	 ordercheck_problem(struct ordercheck *, const char *code,
	    const char *field, const char *key, ...);

/* Remember to set object.key to value (a new reference, taken; NULL is
 * out of memory) if the record passes. */
void	 ordercheck_change(struct ordercheck *, json_t *object,
	    const char *key, json_t *value);

/* Make the changes (apply) or drop them, and forget them.  The errors are
 * left as they are: the caller writes and clears them. */
void	 ordercheck_apply(struct ordercheck *, int apply);

/* A short JSON text of value in buf (of size len), for messages. */
const char *ordercheck_show(const json_t *value, char *buf, size_t len);

/* The string at object.key: NULL, and a problem when it is required and
 * missing, null or blank, or when it is there but no string.  path names
 * it in messages ("customer.email"). */
const char *ordercheck_string(struct ordercheck *, const json_t *object,
	    const char *key, const char *path, int required);

/* The object at parent.key: NULL when absent (a problem when required)
 * or when it is no object (a problem). */
json_t	*ordercheck_object(struct ordercheck *, json_t *parent,
	    const char *key, const char *path, int required);

/* The amount at object.key, a whole number of minor units, 0 or more:
 * 0 with *amount set, or -1 after a problem (or silently when absent and
 * not required, *amount then 0). */
int	 ordercheck_amount(struct ordercheck *, const json_t *object,
	    const char *key, const char *path, int required, int64_t *amount);

/* The customer's e-mail and phone: one of them, well formed; a national
 * number is read in country (may be NULL). */
void	 ordercheck_customer(struct ordercheck *, json_t *order,
	    const char *country);

/* The shipping section: its method, and the address (or pickup point)
 * the method needs, with a postal code of its country.  *countryp is set
 * to that country (in cc, of 3 bytes), else the default one, or NULL. */
void	 ordercheck_shipping(struct ordercheck *, json_t *order,
	    const char **countryp, char *cc);

/* The payment section and its method. */
void	 ordercheck_payment(struct ordercheck *, json_t *order);

/* The order's currency, an ISO 4217 code (upper-cased), or NULL. */
const struct money_currency *ordercheck_currency(struct ordercheck *,
	    json_t *order);

/* A "currency" beside amounts (in an item, or totals, named by path) must
 * be the order's, cur; it is upper-cased as the order's is. */
void	 ordercheck_same_currency(struct ordercheck *, json_t *object,
	    const char *path, const struct money_currency *cur);

struct profile;

/*
 * What the export says happened at the source, and what the source's
 * profile p (may be NULL) promises: each hold that applies is a problem.
 * cancelled_at_source (cancelled_at, or a status that says cancelled or
 * voided), refunded_at_source (a status that says refunded, or
 * source_status.refunded above 0), unpaid_at_source (source_status.
 * outstanding above 0, or a status that says pending, unpaid, on-hold,
 * failed), then one of already_fulfilled (source_status.fulfillment or
 * the order status says fulfilled, shipped, completed; a shipped_at; or
 * every line needing shipping is), fulfilled_by_marketplace (every line
 * left to ship is the channel's to ship: profile_fulfilled_by()) and
 * nothing_to_ship (no line needs shipping: requires_shipping false).
 * v->source names the source in the messages.
 */
void	 ordercheck_source(struct ordercheck *, const json_t *order,
	    const struct profile *p);

/* Whether the shop has the item still to ship: it needs shipping
 * (requires_shipping is not false) and its status says it has not gone
 * out or been cancelled. */
int	 ordercheck_ships(const json_t *item);

#endif
