/* returnsdue.h: the refunds of open returns that are due and that no
 * refund pay-reconcile saw has paid (return-open --overdue). */
#ifndef RETURNSDUE_H
#define RETURNSDUE_H

#include <stdint.h>

#include "returnstore.h"

/* A refund owed: the return's RMA, its order, what and when. */
struct returns_owed {
	const char	*rma, *order_id, *currency, *due_by;
	int64_t		 amount;
};

/* Call fn with each return of rs whose refund is owed
 * (returnstore_open_refunds()) and due by the day horizon (a day number,
 * rfc3339_days()), less those the successful refunds stored in the
 * payments component of the store db pay: the refunds seen for an order
 * pay its returns, earliest due first.  The strings live until fn
 * returns. */
void	 returns_overdue(struct returnstore *rs, const char *db,
	    int64_t horizon, void (*fn)(void *arg,
	    const struct returns_owed *), void *arg);

#endif
