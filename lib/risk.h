/* risk.h: a fraud risk score for an order, from what it and its payment
 * transactions say and from the orders before it in the run. */
#ifndef RISK_H
#define RISK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "strmap.h"

struct payment_txn;

/*
 * The signals and their weights (the score is their sum, at most 100):
 *
 *	card_country_mismatch	40  a charge's card is of another country
 *				    than the shipping address
 *	ip_country_mismatch	20  so is the payer's IP address
 *	email_velocity		25  the customer's e-mail address (case
 *				    ignored) is in 3 orders within 24 hours
 *	phone_velocity		20  so is the phone number
 *	card_velocity		30  so is the card (the first charge's)
 *	high_amount		25  the total is over five times the mean of
 *				    the orders before it in its currency,
 *				    once there have been 20
 *	failed_attempts		20  two or more charges failed
 *	payer_email_mismatch	10  the payer's address is not the customer's
 *	provider_risk		30  the provider flags a charge
 *
 * The velocities and the means are of the orders assessed before, in the
 * order they were: a struct risk keeps them.  Zeroed memory is a new
 * one; risk_release() frees it and leaves it new.
 */
struct risk {
	struct strmap	 velocity;	/* "e:email", "p:phone", "c:card": its
					 * ring of times */
	struct risk_ring *rings;
	size_t		 nrings, caprings;
	struct risk_mean *means;	/* per currency */
	size_t		 nmeans;
};

/* Assess order (its shipping country, customer e-mail and phone,
 * created_at), of total in currency's minor units, paid by the n
 * transactions txns (charges, refunds and others; only the charges
 * count).  Returns the order's "risk" section, {"score": N, "reasons":
 * [codes in the order above]}, a new reference; the score in *score. */
json_t	*risk_assess(struct risk *, const json_t *order,
	    const char *currency, int64_t total,
	    const struct payment_txn *const *txns, size_t n, int *score);

void	 risk_release(struct risk *);

#endif
