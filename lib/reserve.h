/* reserve.h: which warehouses an order's items are reserved from. */
#ifndef RESERVE_H
#define RESERVE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "stock.h"

/* What an order needs of one SKU, its items added up. */
struct reserve_need {
	const char	*sku;		/* borrowed from the order */
	int64_t		 qty;
	size_t		 item;		/* its first item, for messages */
};

/* An order to reserve, and what reserve_allocate() gave it. */
struct reserve_order {
	struct reserve_need	*needs;		/* the caller's, one per SKU */
	size_t			 nneeds;
	const char		*region;	/* of the shipping address, */
	const char		*country;	/* borrowed; may be NULL */

	struct stock_take	*takes;		/* the lines reserved */
	size_t			 ntakes;
	json_t			*backorder;	/* reserved in part: what is
						 * not, [{"sku","qty"}] */
	json_t			*missing;	/* refused for want of stock:
						 * per SKU, what is missing and
						 * where some is: the order's
						 * "backorder" */
};

/*
 * Reserve the order's needs from the batch's stock.  Warehouses are tried
 * in the order of preference: one that serves the order's region or
 * country (its regions list names either), then the higher priority, then
 * the id.  The first warehouse that has all of the order ships it whole;
 * else, with split, each SKU comes whole from the first warehouse that has
 * it all, or from the warehouses in turn; else, with partial, the
 * warehouse that has the most lines whole ships those, and the rest is
 * backordered.
 *
 * Returns 0 with the takes (and with partial the backorder) set and the
 * rows' available and taken counted, or -1 with the reasons appended to
 * errors (reject_add()): unknown_sku for a SKU no warehouse stocks,
 * backorder for one short of stock, split_needed when only split would
 * ship it; missing is then set, unless a SKU was unknown.  An order
 * that needs nothing (its lines all need no shipping) gets 0 and no
 * takes.
 */
int	 reserve_allocate(struct stock_batch *, struct reserve_order *,
	    int split, int partial, json_t *errors);

/* Free what reserve_allocate() gave (takes, backorder, missing). */
void	 reserve_order_release(struct reserve_order *);

#endif
