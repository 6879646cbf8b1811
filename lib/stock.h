/* stock.h: the stock component of the store: warehouses, stock per SKU and
 * warehouse, reservations; all the SQL stock-load, order-reserve and
 * stock-levels run on them. */
#ifndef STOCK_H
#define STOCK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct store;
struct store_stmt;

/*
 * The lock order.  A transaction that changes stock takes its locks in one
 * order, the same in every program, so that two processes cannot deadlock
 * on PostgreSQL (SQLite's BEGIN IMMEDIATE lets one writer in at a time):
 *
 *	1. the order ids of a batch (advisory locks);
 *	2. reservations, by order_id, then source;
 *	3. warehouses, by id;
 *	4. stock, by sku, then warehouse;
 *
 * each sorted by its key, texts compared bytewise (strcmp(3), COLLATE
 * "C").  A new reservation is inserted after its stock is locked, and only
 * under its id's lock.  The functions that take a list sort it; those that
 * take one row say so, and their caller calls them in this order.
 *
 * Every function but stock_open(), stock_close() and stock_levels() runs
 * in the caller's transaction (store_begin() on db.st).  The store's own
 * failures exit as store.h says; a row that breaks a rule the schema
 * checks and the caller could not have known of exits 70 (a bug).
 */

struct stock_db {
	struct store		*st;
	struct store_stmt	*idlock, *rows, *warehouses, *found;
	struct store_stmt	*found_lock, *expired, *lines;
	struct store_stmt	*add_res, *add_line, *reserve, *commit;
	struct store_stmt	*set_state;
	struct store_stmt	*put_warehouse, *set, *add, *sub, *level;
	struct store_stmt	*levels;
};

/* Open the store named by dbarg (see store_locate()) with the stock schema
 * brought up to date, and prepare the statements.  Exits as store_open()
 * does on failure. */
void	 stock_open(struct stock_db *, const char *dbarg);

/* stock_open() for a program that only reads: no store is created;
 * where none is, exit 66 (store_open_existing()). */
void	 stock_open_existing(struct stock_db *, const char *dbarg);

/* Prepare the statements on st, a store opened by its caller with
 * store_stock_migrations among its own (return-open's receipts move stock
 * in the transaction that records them).  The store stays the caller's:
 * no stock_close(). */
void	 stock_attach(struct stock_db *, struct store *st);

/* Close the store; an open transaction is rolled back. */
void	 stock_close(struct stock_db *);

/* --- levels: stock-load, stock-levels ------------------------------------- */

struct stock_level {
	const char	*sku, *warehouse;
	int64_t		 on_hand;	/* on the shelf */
	int64_t		 reserved;	/* of it, held by orders */
};

/* Create warehouse id, or update it: its priority (NULL: keep, or 0 for a
 * new one) and its regions ("A;B", NULL: keep, or none).  One row: call in
 * the order of ids, before any stock.  Returns 0, or -1 on a constraint
 * violation (store_error()). */
int	 stock_warehouse_put(struct stock_db *, const char *id,
	    const int64_t *priority, const char *regions);

/* Set the stock of sku in warehouse (which must exist) to on_hand units,
 * or add qty (below 0: take away) to what is on hand; one row, called in
 * the order of (sku, warehouse).  Returns 1 when done; 0 when refused, as
 * it would leave fewer on hand than are reserved (or, adding, fewer than
 * none); -1 on another constraint violation (store_error()). */
long	 stock_set(struct stock_db *, const char *sku, const char *warehouse,
	    int64_t on_hand);
long	 stock_add(struct stock_db *, const char *sku, const char *warehouse,
	    int64_t qty);

/* The stock of sku in warehouse into *level (whose texts are the
 * caller's): 1, or 0 when there is none. */
int	 stock_level(struct stock_db *, const char *sku,
	    const char *warehouse, struct stock_level *level);

/* Call fn with each stock row (of sku and of warehouse when they are not
 * NULL), sorted by sku and warehouse; the level lives until fn returns.
 * fn returns 0, or -1 to stop.  Outside a transaction: it only reads. */
void	 stock_levels(struct stock_db *, const char *sku,
	    const char *warehouse,
	    int (*fn)(void *arg, const struct stock_level *), void *arg);

/* {"sku", "warehouse", "on_hand", "reserved", "available"}: a level as the
 * programs write it.  A new reference. */
json_t	*stock_level_json(const struct stock_level *);

/* --- reservations: order-reserve ------------------------------------------ */

/* A SKU's stock in a warehouse, as a batch read (and locked) it. */
struct stock_row {
	char		*sku, *warehouse;
	int64_t		 available;	/* on hand less reserved, less taken */
	int64_t		 taken;		/* by the batch, not yet saved */
};

struct stock_warehouse {
	char		*id;
	int64_t		 priority;	/* the higher, the more preferred */
	char		*regions;	/* "A;B": regions or countries served */
};

/* A reservation as stored.  An order is known by its source and id (two
 * channels may both have a #1001); "" is the source of records without
 * one. */
struct stock_reservation {
	char		*order_id;
	char		*source;
	char		*state;		/* active, released, committed or
					 * expired */
	char		*items;		/* "SKU\tQTY\n" lines, sorted: what the
					 * order was reserved with; NULL from
					 * stock_batch_expired() */
	char		*section;	/* the reservation section, JSON */
	char		*record;	/* the order as written, when it had a
					 * time to live and came from
					 * stock_batch_expired(); else NULL */
};

/* qty of a row, as a line of a reservation. */
struct stock_take {
	struct stock_row *row;
	int64_t		 qty;
};

/* What a transaction read, owned by the batch: rows sorted by sku and
 * warehouse, warehouses as stored, reservations sorted by order_id and
 * source. */
struct stock_batch {
	struct stock_row	*rows;
	size_t			 nrows;
	struct stock_warehouse	*warehouses;
	size_t			 nwarehouses;
	struct stock_reservation *found;
	size_t			 nfound;
};

/* For reserving: lock the n ids (PostgreSQL: advisory locks, so that two
 * runs reserving one new order take turns), read and lock the stock rows
 * of the nskus skus, read the warehouses and the reservations the n
 * orders (sources[i], ids[i]) have (a NULL source is "").  The lists may
 * be in any order and hold an order or a SKU twice. */
void	 stock_batch_load(struct stock_db *, struct stock_batch *,
	    const char *const *sources, const char *const *ids, size_t n,
	    const char *const *skus, size_t nskus);

/* The row of sku in warehouse, or NULL. */
struct stock_row *stock_batch_row(const struct stock_batch *,
	    const char *sku, const char *warehouse);

/* Whether sku has a row in any warehouse (0 on hand counts). */
int	 stock_batch_stocked(const struct stock_batch *, const char *sku);

/* The reservation of order_id from source (NULL: "") the batch read, or
 * NULL. */
struct stock_reservation *stock_batch_reservation(const struct stock_batch *,
	    const char *source, const char *order_id);

/* Record the new, active reservation of order_id from source (NULL: ""):
 * items and section as in struct stock_reservation, record (or NULL) the
 * order as written, to be written out again when it expires at expires_at
 * (0: never), and the n lines it takes.  The rows' available and taken are
 * the caller's to count; stock_batch_save() writes them. */
void	 stock_reservation_add(struct stock_db *, const char *source,
	    const char *order_id, const char *items, const char *section,
	    const char *record, int64_t created_at, int64_t expires_at,
	    const struct stock_take *takes, size_t n);

/* Reserve what the batch's rows have taken, in key order. */
void	 stock_batch_save(struct stock_db *, struct stock_batch *);

/* For closing: read and lock the reservations of the n orders (sources[i],
 * ids[i]) into the batch (on PostgreSQL those of other sources with the
 * same ids are locked too). */
void	 stock_batch_lock_reservations(struct stock_db *,
	    struct stock_batch *, const char *const *sources,
	    const char *const *ids, size_t n);

/* Read and lock into the batch up to limit active reservations whose time
 * ran out by now, in the order of their ids and sources; their number. */
size_t	 stock_batch_expired(struct stock_db *, struct stock_batch *,
	    int64_t now, size_t limit);

/* Close the batch's active reservations: state becomes state ("released",
 * "committed", "expired") at now, in the store and in the batch, and their
 * stock is given back in key order: less reserved, and with commit less on
 * hand too (it has shipped). */
void	 stock_batch_close(struct stock_db *, struct stock_batch *,
	    const char *state, int commit, int64_t now);

/* Free what the batch holds; it is empty again. */
void	 stock_batch_release(struct stock_batch *);

#endif
