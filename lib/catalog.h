/* catalog.h: the shop's catalog of SKUs, their variant options and prices. */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>
#include <stdint.h>

struct catalog_price {
	char		currency[4];
	int64_t		amount;		/* minor units */
};

struct catalog_sku {
	char			*sku;
	char			*product;	/* groups the variants */
	char			*name;
	int			 active;
	size_t			 seq;		/* its place in the file */
	char			**options;	/* values by catalog option index */
	size_t			 noptions;	/* beyond it, and where NULL, the
						 * SKU has no such option */
	struct catalog_price	*prices;
	size_t			 nprices;
	int64_t			 weight_g;	/* of one unit; -1: not given */
	int			 dims_mm[3];	/* of one unit, when has_dims */
	int			 has_dims;
	char			**aliases;	/* the alias column's values,
						 * trimmed: ids, titles */
	size_t			 naliases;
	char			*category;	/* the category column's value,
						 * or NULL */
};

struct catalog {
	struct catalog_sku	*skus;		/* sorted by sku */
	size_t			 nskus;
	char			**optnames;	/* "color", "size", in file order */
	size_t			 noptnames;
};

/* Load the catalog file path: CSV with a header naming at least sku,
 * product, name, price and currency, option.NAME columns for variant
 * options and an optional active column (the delimiter, ',' ';' or tab, is
 * taken from the header); or JSON lines with the same keys and "options" as
 * an object.  Optional weight_g (grams, a whole number) and dims_mm
 * ("300x200x100", or a JSON array of three) columns give one unit's weight
 * and size, for parcels (parcel.h).  An optional alias column holds what
 * marketplaces call the SKU, values separated by '|' (an ASIN, a listing
 * id, an item number, a title): see catalog_match(); in JSON lines, a
 * string of the same form or an array of strings.  An optional category
 * column names the SKU's category (return-open's final_sale
 * "category:NAME").  Prices are decimal amounts as shops write them ("1299.00"),
 * read exactly in the currency's minor units.  A SKU may have one row per
 * currency.  Returns 0; EX_NOINPUT when the file cannot be read and
 * EX_DATAERR when a row is wrong, with the reason in err (of size len). */
int	 catalog_load(struct catalog *, const char *path, char *err,
	    size_t len);

/* How catalog_match() found an item's SKU. */
enum catalog_matched { CATALOG_BY_SKU, CATALOG_BY_ALIAS, CATALOG_BY_TITLE };

/* The matched_by word of how: "sku", "alias", "title". */
const char *catalog_matched_name(int how);

/*
 * The SKUs an item given by a marketplace is: its sku when the catalog has
 * it (CATALOG_BY_SKU, one SKU); else every SKU whose alias equals exactly
 * one of ids (the item's sku, id and the ids under its extra, as text:
 * CATALOG_BY_ALIAS); else every SKU whose alias equals its title (name,
 * NULL for none) without regard to case (CATALOG_BY_TITLE).  An ASIN or a
 * listing id may stand for several variants: the caller chooses among
 * them by the item's options.  Up to max SKUs go to found; returns how
 * many matched (0: none), how in *how.
 */
size_t	 catalog_match(const struct catalog *, const char *const *ids,
	    size_t nids, const char *title, const struct catalog_sku **found,
	    size_t max, int *how);

/* The SKU, or NULL. */
const struct catalog_sku *catalog_find(const struct catalog *,
	    const char *sku);

/* The price of sku in currency, or NULL. */
const struct catalog_price *catalog_price(const struct catalog_sku *,
	    const char *currency);

/* The value of option i of the SKU, or NULL when it has none. */
const char *catalog_sku_option(const struct catalog_sku *, size_t i);

/* The index of option name in optnames, or -1. */
int	 catalog_option(const struct catalog *, const char *name);

/* Read "300x200x100" (millimetres, each 1 to 100000; 'x', 'X', '*' or
 * the multiplication sign between them) into dims: 0, or -1 when s is not
 * such a size. */
int	 catalog_dims_parse(const char *s, int dims[3]);

void	 catalog_release(struct catalog *);

#endif
