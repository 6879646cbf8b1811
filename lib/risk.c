/* risk.c: the risk score of orders, signal by signal (risk.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "payment.h"
#include "rfc3339.h"
#include "risk.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

enum signal {
	SIG_CARD_COUNTRY, SIG_IP_COUNTRY, SIG_EMAIL_VELOCITY,
	SIG_PHONE_VELOCITY, SIG_CARD_VELOCITY, SIG_HIGH_AMOUNT,
	SIG_FAILED_ATTEMPTS, SIG_PAYER_EMAIL, SIG_PROVIDER, NSIGNALS
};

static const struct {
	const char	*code;
	int		 weight;
} signals[NSIGNALS] = {
	{ "card_country_mismatch", 40 },
	{ "ip_country_mismatch", 20 },
	{ "email_velocity", 25 },
	{ "phone_velocity", 20 },
	{ "card_velocity", 30 },
	{ "high_amount", 25 },
	{ "failed_attempts", 20 },
	{ "payer_email_mismatch", 10 },
	{ "provider_risk", 30 },
};

#define VELOCITY_WINDOW	(24 * 3600)	/* seconds */
#define VELOCITY_COUNT	3		/* orders in the window */
#define RING		4		/* times kept per key */
#define HIGH_FACTOR	5		/* times the mean so far */
#define HIGH_MIN_ORDERS	20		/* before the mean means anything */

struct risk_ring {
	int64_t	 t[RING];
	int	 n;
};

/* The totals so far in a currency: their sum in 128 bits, which a
 * billion of the largest amounts do not fill. */
struct risk_mean {
	char	 currency[4];
	__int128 sum;
	unsigned long n;
};

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* The orders of key (prefix, and value lower-cased) in the window before
 * t, this one added. */
static int
velocity(struct risk *rk, const char *prefix, const char *value, int64_t t)
{
	char buf[512], *lower;
	struct risk_ring *ring;
	unsigned long *p;
	int i, n = 1, added;

	if (value == NULL || *value == '\0')
		return 0;
	lower = utf8_lower(value);
	snprintf(buf, sizeof(buf), "%s:%s", prefix, lower);
	free(lower);
	p = strmap_put(&rk->velocity, buf, strlen(buf), &added);
	if (added) {
		if (rk->nrings == rk->caprings) {
			rk->caprings = rk->caprings ? rk->caprings * 2 : 1024;
			rk->rings = xrealloc(rk->rings, rk->caprings *
			    sizeof(*rk->rings));
		}
		memset(&rk->rings[rk->nrings], 0, sizeof(*rk->rings));
		*p = rk->nrings++;
	}
	ring = &rk->rings[*p];
	for (i = 0; i < ring->n && i < RING; i++)
		if (ring->t[i] <= t && t - ring->t[i] < VELOCITY_WINDOW)
			n++;
	ring->t[ring->n++ % RING] = t;
	return n;
}

/* Whether total is far above the mean of currency's totals so far; it
 * then counts in the mean. */
static int
high_amount(struct risk *rk, const char *currency, int64_t total)
{
	struct risk_mean *m = NULL;
	size_t i;
	int high = 0;

	for (i = 0; i < rk->nmeans; i++)
		if (strcmp(rk->means[i].currency, currency) == 0)
			m = &rk->means[i];
	if (m == NULL) {
		rk->means = xrealloc(rk->means, (rk->nmeans + 1) *
		    sizeof(*rk->means));
		m = &rk->means[rk->nmeans++];
		memset(m, 0, sizeof(*m));
		memcpy(m->currency, currency, 4);
	}
	/* total > HIGH_FACTOR * sum / n, in integers of 128 bits: an
	 * amount whose product with n does not fit in 64 is far above */
	if (m->n >= HIGH_MIN_ORDERS &&
	    (__int128)total * m->n / HIGH_FACTOR > m->sum)
		high = 1;
	m->sum += total;
	m->n++;
	return high;
}

/* The signals the order's charges raise into on[]. */
static void
charge_signals(const json_t *order, const struct payment_txn *const *txns,
    size_t n, int on[NSIGNALS])
{
	const json_t *customer = json_object_get(order, "customer");
	const char *country, *email;
	const struct payment_txn *x;
	unsigned nfailed = 0;
	size_t k;

	country = jstr(json_object_get(json_object_get(order, "shipping"),
	    "address"), "country");
	email = jstr(customer, "email");
	for (k = 0; k < n; k++) {
		x = txns[k];
		if (x->kind != PAYMENT_CHARGE)
			continue;
		if (x->state == PAYMENT_FAILED)
			nfailed++;
		if (country != NULL && x->card_country[0] != '\0' &&
		    strcmp(x->card_country, country) != 0)
			on[SIG_CARD_COUNTRY] = 1;
		if (country != NULL && x->ip_country[0] != '\0' &&
		    strcmp(x->ip_country, country) != 0)
			on[SIG_IP_COUNTRY] = 1;
		if (email != NULL && x->email != NULL &&
		    utf8_casecmp(email, x->email) != 0)
			on[SIG_PAYER_EMAIL] = 1;
		if (x->risky)
			on[SIG_PROVIDER] = 1;
	}
	on[SIG_FAILED_ATTEMPTS] = nfailed >= 2;
}

json_t *
risk_assess(struct risk *rk, const json_t *order, const char *currency,
    int64_t total, const struct payment_txn *const *txns, size_t n,
    int *scorep)
{
	const json_t *customer = json_object_get(order, "customer");
	const char *created;
	int on[NSIGNALS] = { 0 }, offset, i, score = 0;
	int64_t t = 0;
	size_t k;
	json_t *reasons, *risk;

	charge_signals(order, txns, n, on);
	created = jstr(order, "created_at");
	if (created != NULL && rfc3339_parse(created, &t, &offset) == 0) {
		on[SIG_EMAIL_VELOCITY] = velocity(rk, "e", jstr(customer,
		    "email"), t) >= VELOCITY_COUNT;
		on[SIG_PHONE_VELOCITY] = velocity(rk, "p", jstr(customer,
		    "phone"), t) >= VELOCITY_COUNT;
		for (k = 0; k < n; k++)
			if (txns[k]->kind == PAYMENT_CHARGE &&
			    txns[k]->card != NULL) {
				on[SIG_CARD_VELOCITY] = velocity(rk, "c",
				    txns[k]->card, t) >= VELOCITY_COUNT;
				break;
			}
	}
	on[SIG_HIGH_AMOUNT] = high_amount(rk, currency, total);
	if ((reasons = json_array()) == NULL)
		xnomem();
	for (i = 0; i < NSIGNALS; i++)
		if (on[i]) {
			score += signals[i].weight;
			if (json_array_append_new(reasons,
			    json_string(signals[i].code)) == -1)
				xnomem();
		}
	if (score > 100)
		score = 100;
	*scorep = score;
	if ((risk = json_pack("{s:i, s:o}", "score", score, "reasons",
	    reasons)) == NULL)
		xnomem();
	return risk;
}

void
risk_release(struct risk *rk)
{
	strmap_release(&rk->velocity);
	free(rk->rings);
	free(rk->means);
	memset(rk, 0, sizeof(*rk));
}
