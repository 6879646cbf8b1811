/* stock.c: the stock component's schema: warehouses, stock levels and
 * reservations, for stock-load, order-reserve and stock-levels. */
#include <stddef.h>

#include "store.h"

/*
 * on_hand is what is on the shelf, reserved what orders hold of it; the
 * checks keep reserved within on_hand whatever a program does, so stock is
 * never oversold even by a bug.  A reservation keeps the order's items
 * ("SKU\tQTY\n" lines, sorted) to tell a changed order from a repeated one,
 * the reservation section it was given, and (with a time to live) the order
 * itself, for --expire to write out.
 */
const struct store_migration store_stock_migrations[] = {
	{ "stock", 1,
	    "CREATE TABLE warehouses ("
	    " id TEXT PRIMARY KEY,"
	    " priority BIGINT NOT NULL DEFAULT 0,"
	    " regions TEXT NOT NULL DEFAULT '');"
	    "CREATE TABLE stock ("
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT NOT NULL REFERENCES warehouses (id),"
	    " on_hand BIGINT NOT NULL CHECK (on_hand >= 0),"
	    " reserved BIGINT NOT NULL DEFAULT 0"
	    "  CHECK (reserved >= 0 AND reserved <= on_hand),"
	    " PRIMARY KEY (sku, warehouse));"
	    "CREATE TABLE reservations ("
	    " order_id TEXT PRIMARY KEY,"
	    " state TEXT NOT NULL CHECK (state IN"
	    "  ('active', 'released', 'committed', 'expired')),"
	    " items TEXT NOT NULL,"
	    " section TEXT NOT NULL,"
	    " record TEXT,"
	    " created_at BIGINT NOT NULL,"
	    " expires_at BIGINT,"
	    " closed_at BIGINT);"
	    "CREATE INDEX reservations_expiry ON reservations (expires_at)"
	    " WHERE state = 'active';"
	    "CREATE TABLE reservation_lines ("
	    " order_id TEXT NOT NULL REFERENCES reservations (order_id),"
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT NOT NULL,"
	    " qty BIGINT NOT NULL CHECK (qty > 0),"
	    " PRIMARY KEY (order_id, sku, warehouse));",
	    NULL },
};

const size_t store_stock_nmigrations =
    sizeof(store_stock_migrations) / sizeof(store_stock_migrations[0]);
