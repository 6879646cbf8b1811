/* returnsrecv.h: what a return announced and what of it came back
 * (return-open --receive). */
#ifndef RETURNSRECV_H
#define RETURNSRECV_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* An SKU of a return: the units announced, received by earlier receipts,
 * and got by the receipt at hand. */
struct returns_announced {
	char		*sku;
	int64_t		 qty, received, got;
};

struct returns_announced_list {
	struct returns_announced *v;
	size_t		 n;
};

/* Append an SKU with its units announced and received before; the
 * signature of returnstore_items()'s fn, arg the list. */
void	 returns_announced_add(void *list, const char *sku, int64_t qty,
	    int64_t received);

/* Count qty units of sku as got: 0, or -1 (nothing counted) when the
 * return did not announce sku or not that many units are left of it. */
int	 returns_announced_take(struct returns_announced_list *,
	    const char *sku, int64_t qty);

/* {SKU: units received in all, this receipt's too}: a new object. */
json_t	*returns_announced_received(const struct returns_announced_list *);

void	 returns_announced_release(struct returns_announced_list *);

#endif
