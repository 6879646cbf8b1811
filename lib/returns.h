/* returns.h: return-open's rules: the policy, the dates it counts, the
 * decision on a request and the refund owed, as pure functions. */
#ifndef RETURNS_H
#define RETURNS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct conf;

/* Why an item comes back.  The first two are the customer's choice, the
 * others the shop's fault (returns_fault()). */
enum returns_reason {
	RETURNS_CHANGED_MIND,
	RETURNS_WRONG_SIZE,
	RETURNS_DEFECTIVE,
	RETURNS_DAMAGED_IN_TRANSIT,
	RETURNS_WRONG_ITEM,
	RETURNS_NOT_AS_DESCRIBED,
	RETURNS_NREASONS
};

/* The state the goods are in, best first. */
enum returns_condition {
	RETURNS_UNUSED_WITH_TAGS,
	RETURNS_UNUSED,
	RETURNS_USED,
	RETURNS_DAMAGED,
	RETURNS_NCONDITIONS
};

enum returns_refund_shipping { RETURNS_SHIP_ALWAYS, RETURNS_SHIP_FAULT,
	RETURNS_SHIP_NEVER };
enum returns_payer { RETURNS_PAYER_SHOP, RETURNS_PAYER_CUSTOMER,
	RETURNS_PAYER_SHOP_IF_FAULT };

/* The words of the enums as requests and the policy write them: the index,
 * or -1 when s is none of them. */
int	 returns_reason_parse(const char *s);
int	 returns_condition_parse(const char *s);
const char *returns_reason_name(enum returns_reason);
const char *returns_condition_name(enum returns_condition);

/* 1 when the reason is the shop's fault (a defect, damage in transit, a
 * wrong item, one not as described), else 0. */
int	 returns_fault(enum returns_reason);

/*
 * The policy.  Periods are in days (window_months, when not 0, is in
 * calendar months instead of window_days); holidays are day numbers
 * (days since 1970-01-01, rfc3339_days()), sorted.  legal_window_days is
 * the law's own window for a change of mind (0: no law known), beyond
 * which a restocking fee may apply.  The strings are the policy's own.
 */
struct returns_policy {
	char		 country[3];
	int		 window_days, window_months;
	int		 legal_window_days, legal_window_months;
	int		 defect_days;
	int		 refund_days;
	int		 refund_from_receipt;	/* else from the request */
	char		**final_sale;		/* globs, "category:NAME" */
	size_t		 nfinal_sale;
	unsigned	 conditions;		/* 1 << condition, accepted for a
						 * change of mind */
	unsigned	 photos_for;		/* 1 << reason */
	enum returns_refund_shipping refund_shipping;
	int		 restocking_percent;	/* 0 to 100 */
	enum returns_payer return_shipping;
	int		 value_loss_review;	/* goods back worse than sent: a
						 * person sets the lost value
						 * (EU art. 14(2)); else the
						 * refund stays whole */
	int64_t		*holidays;
	size_t		 nholidays;
};

/* The law's defaults for country ("RU", "EU" or an EU member, "UA";
 * another or NULL: the EU's), terms_in_writing as [returns]
 * terms_in_writing says (RU, UA: without it the window is 3 months or 90
 * days). */
void	 returns_policy_defaults(struct returns_policy *, const char *country,
	    int terms_in_writing);

/* The policy of [returns] in conf over the defaults of [shop] country (in
 * policy_conf when not NULL, else conf).  A value that cannot be read
 * exits 78 naming the key. */
void	 returns_policy_load(struct returns_policy *, const struct conf *conf,
	    const struct conf *policy_conf);

void	 returns_policy_release(struct returns_policy *);

/* Whether the day (a day number) is a Saturday, a Sunday or a holiday. */
int	 returns_day_off(const struct returns_policy *, int64_t day);

/* The day a period of n days from day ends: day + n, moved on to the
 * next working day when it falls on a day off. */
int64_t	 returns_period_end(const struct returns_policy *, int64_t day,
	    int n);

/* day + months calendar months (the 31st of a shorter month is its last
 * day), moved on as returns_period_end() does. */
int64_t	 returns_period_end_months(const struct returns_policy *,
	    int64_t day, int months);

/* The day number of epoch seconds at offset minutes east of UTC. */
int64_t	 returns_local_day(int64_t epoch, int offset);

/* Write the day number as "2026-11-20" into buf (at least 11 bytes). */
char	*returns_day_format(int64_t day, char *buf, size_t len);

/* Whether sku (of catalog category, NULL: none) is final sale: it matches
 * a glob of final_sale (fnmatch(3)), or "category:NAME" names its
 * category. */
int	 returns_final_sale(const struct returns_policy *, const char *sku,
	    const char *category);

/* --- the decision --------------------------------------------------------- */

/* Codes of a declined item or request; of a request under review. */
enum returns_code {
	RETURNS_OK,
	RETURNS_WINDOW_CLOSED,
	RETURNS_FINAL_SALE,
	RETURNS_CONDITION_NOT_ACCEPTED,
	RETURNS_QTY_EXCEEDS_PURCHASE,
	RETURNS_NOT_IN_ORDER,
	RETURNS_PHOTOS_REQUIRED,	/* review */
	RETURNS_NCODES
};

const char *returns_code_name(enum returns_code);

/* What the decision knows of an item asked back. */
struct returns_item {
	const char		*sku;
	const char		*category;	/* the catalog's, or NULL */
	int64_t			 qty;
	enum returns_reason	 reason;
	enum returns_condition	 condition;
	int64_t			 bought;	/* units of sku in the order */
	int64_t			 returned;	/* already returned or held */
};

/* The request as a whole. */
struct returns_request {
	int64_t		 delivered_day;		/* day number */
	int64_t		 requested_day;		/* in the shop's zone */
	int		 has_photos;
};

/* Decide one item: RETURNS_OK, a code that declines it, or
 * RETURNS_PHOTOS_REQUIRED (it needs a person).  The rules, in order:
 * not_in_order, qty_exceeds_purchase; for the shop's fault the
 * defect_days window (final sale and condition do not count); for a
 * change of mind final_sale, condition_not_accepted, then the window; last
 * photos_required for a reason of photos_for without photos.  The last day
 * of a window counts in the customer's favour. */
enum returns_code returns_decide_item(const struct returns_policy *,
	    const struct returns_request *, const struct returns_item *);

/* The last day of the window for the reason, from the delivery day. */
int64_t	 returns_window_end(const struct returns_policy *, int64_t delivered,
	    enum returns_reason);

/* Whether a restocking fee may apply to a change of mind asked for on
 * requested_day: only beyond the law's own window (never within the legal
 * right), and never for the shop's fault. */
int	 returns_fee_applies(const struct returns_policy *, int64_t delivered,
	    int64_t requested, enum returns_reason);

/* --- the refund ----------------------------------------------------------- */

/* A line of the order: what it cost and how much of it comes back. */
struct returns_line {
	int64_t		 qty;		/* bought */
	int64_t		 unit_price;
	int64_t		 returned;	/* units refunded before */
	int64_t		 back;		/* units coming back now */
	int		 fee;		/* the restocking fee applies */
	int64_t		 paid;		/* out: the line's share of what was
					 * paid, after the discount */
	int64_t		 refund;	/* out: for the units back now */
};

/* The refund of the units back now.  The order's discount is spread over
 * its lines in proportion to their value (qty * unit_price), rounded down,
 * the remainder to the last line; a line's paid share over its units
 * likewise, the remainder to the last unit (the units are refunded in
 * turn, so the last one back gets it).  shipping is added when
 * with_shipping (the policy's refund_shipping allows it) and after this
 * return every unit of the order is back.  The restocking fee is
 * percent of the refund of the lines with fee, rounded half up (once,
 * here), taken off.  The whole is capped at paid - refunded (what was paid
 * and not yet refunded).  Results in lines[i].paid and .refund, the fee in
 * *fee, the shipping refunded in *ship.  Returns the refund, or -1 when a
 * sum overflows or the lines do not add up (a discount above their value,
 * units back beyond those bought). */
int64_t	 returns_refund(struct returns_line *lines, size_t n,
	    int64_t discount, int64_t shipping, int with_shipping, int percent,
	    int64_t paid, int64_t refunded, int64_t *fee, int64_t *ship);

/* percent of amount, rounded half up (amount >= 0). */
int64_t	 returns_percent(int64_t amount, int percent);

/* --- records ---------------------------------------------------------------- */

/* Check the form of a request ({order_id, requested_at, items: [{sku, qty,
 * reason, condition}]}) or of a receipt ({rma, received_at, items: [{sku,
 * qty, condition}]}), appending to errors (codes missing_field, bad_time,
 * bad_qty, bad_reason, bad_condition): 0 when it has none, else -1. */
int	 returns_check_request(const json_t *req, json_t *errors);
int	 returns_check_receipt(const json_t *line, json_t *errors);

/* The units of each SKU an order's returns hold: approved, and held
 * (approved or under review).  Zeroed memory is empty; the SKUs are
 * copies. */
struct returns_count {
	char		*sku;
	int64_t		 approved, held;
};
struct returns_counts {
	struct returns_count *v;
	size_t		 n;
};
void	 returns_counts_add(struct returns_counts *, const char *sku,
	    const char *decision, int64_t qty);
void	 returns_counts_get(const struct returns_counts *, const char *sku,
	    int64_t *approved, int64_t *held);
void	 returns_counts_release(struct returns_counts *);

/* Units of sku in the order's items. */
int64_t	 returns_bought(const json_t *order, const char *sku);

/* The warehouse that shipped sku: its reservation line's, else a
 * parcel's; NULL.  Borrowed from order. */
const char *returns_warehouse(const json_t *order, const char *sku);

/* The refund of items (a request's items that stand, each {sku, qty,
 * reason}) of order (its items[].qty and unit_price, totals.discount,
 * shipping and total) by returns_refund(), with the units counts has
 * approved before and refunded (what earlier returns refund): each item
 * gets its "refund"; the fee and the shipping refunded in *fee and *ship.
 * A fee applies to the items returns_fee_applies() says, between the
 * delivered and requested days; the shipping as the policy's
 * refund_shipping says, fault when an item is the shop's fault. */
int64_t	 returns_order_refund(const struct returns_policy *,
	    const json_t *order, json_t *items,
	    const struct returns_counts *counts, int64_t refunded,
	    int64_t delivered, int64_t requested, int fault, int64_t *fee,
	    int64_t *ship);

/* The refund of the return section ret once its goods came: received is
 * {SKU: units received in all}, came the receipt's items.  Each item's
 * refund becomes the share of its units that came (rounded down), the
 * shipping refund goes when not all came; goods the customer chose to
 * return that came worse than declared append value_loss_review to review
 * where the policy's law lets the shop charge the lost value.  Returns the
 * new amount (never below 0); ret's items are updated. */
int64_t	 returns_receipt_refund(const struct returns_policy *, json_t *ret,
	    const json_t *received, const json_t *came, json_t *review);

/* The identity of a request of order_id: its request_id, else its
 * requested_at and items with their quantities, sorted (the same order,
 * items, quantities and time are the same request).  A new string. */
char	*returns_request_key(const char *order_id, const json_t *req);

/* The RMA of the request key: "RMA-" order_id "-" and 8 hex digits of
 * its hash; the request_id written: the request's, else "req-" and 16
 * hex digits of the key's hash.  New strings, the same on every run. */
char	*returns_rma(const char *order_id, const char *key);
char	*returns_request_id(const json_t *req, const char *key);

/* Minutes east of UTC at epoch of the zone tz: an offset ("+03:00", "Z")
 * or, NULL or empty, UTC; a zone name is read through the TZ the caller
 * set (setenv(3), tzset(3)) once for the run.  0, or -1 for an offset
 * that cannot be read. */
int	 returns_tz_offset(const char *tz, int64_t epoch, int *offset);

#endif
