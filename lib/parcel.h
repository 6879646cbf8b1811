/* parcel.h: the parcels an order ships as, computed one way for every
 * program (ship-book first, label-gen after it). */
#ifndef PARCEL_H
#define PARCEL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct catalog;
struct conf;

/* The default parcel of [parcel] weight_g and dims_mm. */
struct parcel_defaults {
	int64_t	 weight_g;		/* -1: none configured */
	int	 dims_mm[3];
	int	 has_dims;
};

/* One line of a parcel: qty units of sku. */
struct parcel_item {
	const char	*sku;		/* borrowed from the order */
	const char	*name;		/* the order item's, or NULL */
	int64_t		 qty;
	int64_t		 unit_price;	/* minor units; 0 when not given */
};

struct parcel {
	int			 n, of;		/* parcel n of of, from 1 */
	const char		*warehouse;	/* borrowed; NULL: none */
	struct parcel_item	*items;
	size_t			 nitems;
	int64_t			 weight_g;
	int			 weight_default; /* [parcel] weight_g taken */
	int			 dims_mm[3];
	int			 has_dims;
	int64_t			 value;		/* sum of unit_price x qty */
};

/* Read [parcel] weight_g and dims_mm of conf (which may be NULL: none).
 * A value that is not a whole number of grams or a size such as
 * 300x200x100 exits 78 (EX_CONFIG) naming the key. */
void	 parcel_defaults_conf(struct parcel_defaults *, const struct conf *);

/*
 * The parcels of order (borrowed; the parcels borrow its strings, so they
 * live no longer than it): one per warehouse of reservation.lines[], in
 * the order the warehouses first appear there, holding that warehouse's
 * lines (a SKU's lines summed); or, when the order has no reservation
 * lines, one parcel of all of items[] (warehouse NULL).  An item's name
 * and unit_price come from the first item of the order with its SKU.
 *
 * A parcel weighs the sum of its items' catalog weight_g x qty; when an
 * item has none (no catalog, a SKU it lacks, or no weight_g), the parcel
 * takes defaults->weight_g as a whole.  Its size is defaults' dims_mm,
 * unless it holds a single unit of one SKU whose dims_mm the catalog
 * gives.  catalog may be NULL.
 *
 * Returns 0 with *parcels (the caller's, for parcel_free()) and *n set, or
 * -1 after appending to errors (reject.h) what is wrong: bad_item (an
 * item without a SKU, a qty that is not a whole number above 0),
 * bad_reservation (a line without a SKU, warehouse or qty), no_items (a
 * parcel of nothing), no_weight (an item without weight and no [parcel]
 * weight_g), too_heavy (a weight or value beyond 64 bits).
 */
int	 parcel_compute(const json_t *order, const struct catalog *,
	    const struct parcel_defaults *, struct parcel **parcels,
	    size_t *n, json_t *errors);

void	 parcel_free(struct parcel *, size_t n);

/* The parcel as shipment.parcels[] holds it: {"n","of","warehouse",
 * "items":[{"sku","qty"}],"weight_g","dims_mm":"300x200x100"} (dims_mm
 * left out when unknown, warehouse null when none).  A new reference. */
json_t	*parcel_json(const struct parcel *);

/* "300x200x100" into buf (at least 24 bytes); returns buf. */
char	*parcel_dims_format(const int dims[3], char *buf, size_t len);

#endif
