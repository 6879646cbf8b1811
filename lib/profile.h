/* profile.h: what a sales channel guarantees, by the record's "source":
 * built-in defaults, and [source "NAME"] in orderkit.conf(5). */
#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>

#include <jansson.h>

struct conf;

/*
 * A profile says what the programs may take for granted about the records
 * of one source (the "source" order-import writes: "amazon", "etsy", ...):
 * whether the channel collected the money, whether it hides the buyers'
 * contacts, how its orders ship, the zone of its export times, which
 * checks the shop waives for it and how it spells option names.  Every key
 * of [source "NAME"] (orderkit.conf(5)) overrides the built-in default:
 *
 *	amazon, ebay, etsy, ozon,	collects_payment yes, hides_contact yes
 *	wildberries, yandex-market
 *	shopify, woocommerce		collects_payment by gateway (see
 *					profile_collects()), hides_contact no
 *	any other source, and none	collects_payment no, hides_contact no
 *
 * The other keys default to none for every source: no ship_method,
 * carrier, tz, allow or option_alias, and fulfilled_by shop.  A source
 * neither built in nor configured promises nothing, as records without a
 * source do.
 */

enum profile_collects {
	PROFILE_COLLECTS_NO,		/* a provider's report proves it */
	PROFILE_COLLECTS_YES,		/* the channel took every payment */
	PROFILE_COLLECTS_GATEWAY	/* the platform's own gateway did */
};

enum profile_fulfiller {
	PROFILE_SHOP,			/* the shop ships */
	PROFILE_MARKETPLACE		/* the channel ships (Amazon FBA) */
};

/* One source's profile.  Read its fields; the texts live as long as the
 * set that gave it. */
struct profile {
	const char	*source;	/* as in the records; "" for none */
	int		 collects_payment; /* enum profile_collects */
	int		 hides_contact;	/* 1: a missing contact is expected */
	const char	*ship_method;	/* courier, post or pickup; or NULL */
	const char	*carrier;	/* or NULL */
	int		 fulfilled_by;	/* enum profile_fulfiller */
	const char	*tz;		/* as order-import --tz takes it
					 * (checked there), or NULL */
	/* Private: use profile_allows() and profile_option(). */
	char		**allow;
	size_t		 nallow;
	struct profile_alias *aliases;
	size_t		 naliases;
	const char *const *gateways;	/* the platform's own, lower case */
};

struct profile_set;

/* The profiles of the built-in sources and of every [source "NAME"] of
 * conf (NULL: none; the environment still counts, see orderkit.conf(5)),
 * which must outlive the set.
 * A bad value exits 78 (EX_CONFIG) with a message naming the key, before
 * the first record is read.  Never NULL; profile_free() frees it. */
struct profile_set *profile_load(const struct conf *conf);

void	 profile_free(struct profile_set *);

/* The profile of source (NULL or "": records without one).  A source that
 * the set does not know yet is read from the environment when it is first
 * asked for (a bad value there exits 78 then).  Never NULL.  Any thread
 * may ask: the set has a lock. */
const struct profile *profile_find(struct profile_set *, const char *source);

/* The profile of order's "source" (one that is not a text counts as
 * none). */
const struct profile *profile_of(struct profile_set *, const json_t *order);

/*
 * Whether the channel collected the payment of order, so that the shop
 * has the money without a provider's report of its own.  The gateway is
 * the order's payment.gateway, else payment.provider, as order-import
 * writes it ("Shopify Payments", "manual", "bacs"); a "+" or "," separates
 * several.  A payment the shop marked by hand (manual, bacs, cheque,
 * Shopify's "Cash on Delivery (COD)", "Bank Deposit", "Money Order") was
 * never collected: only a report proves it.  Otherwise collects_payment
 * yes is 1 and no is 0; by gateway, 1 when a gateway is the platform's own
 * (Shopify: "Shopify Payments", shopify_payments, gift_card; WooCommerce:
 * woocommerce_payments and its woocommerce_payments_* methods,
 * WooPayments).  Gateways compare without regard to case.
 */
int	 profile_collects(const struct profile *, const json_t *order);

/* Who ships what: where's "fulfilled_by" ("shop" or "marketplace"; where
 * is the order or one of its items) when it says, else the profile's
 * fulfilled_by.  A record's own channel wins: one Amazon seller ships
 * some orders itself and has Amazon ship others. */
int	 profile_fulfilled_by(const struct profile *, const json_t *where);

/* Whether the profile's allow list names code (an error code the shop
 * waives as a warning for this source). */
int	 profile_allows(const struct profile *, const char *code);

/*
 * The name an item option or a catalog column goes by, for comparing them:
 * name trimmed and folded to lower case (utf8_casekey()), without a
 * parenthesised qualifier ("Size (men's)": "size") and without
 * WooCommerce's "attribute_pa_" or "pa_" prefix ("pa_color": "color"),
 * blanks run together; then, when p is not NULL and its option_alias lists
 * that name, the alias's own name ("size = size (men's) | us shoe size":
 * "US Shoe Size" goes by "size").  A new string, the caller's to free.
 */
char	*profile_option(const struct profile *p, const char *name);

#endif
