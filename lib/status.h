/* status.h: an order's status and the history of when it was reached. */
#ifndef STATUS_H
#define STATUS_H

#include <stdint.h>

#include <jansson.h>

/*
 * Set rec's "status" to status and append {"status": status, "at": AT} to
 * its "status_history" array (made when missing or not an array), AT being
 * the epoch seconds at written in RFC 3339 UTC ("2026-11-20T07:15:00Z"):
 * the run's --now where the program takes one, else the clock.  When the
 * history's last entry already names status, nothing is appended, so that
 * a record run through the same step twice keeps one entry.  Out of memory
 * exits 71.  rec is an object; status is not NULL.
 */
void	 status_move(json_t *rec, const char *status, int64_t at);

#endif
