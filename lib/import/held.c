/* held.c: the orders an import holds while their rows go on further
 * down, each found again by its key. */
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "strmap.h"
#include "xalloc.h"

struct import_order *
import_held_take(struct import_held *h, const char *key)
{
	struct import_order *o;
	unsigned long *slot;

	if (h->holding == 0 ||
	    (slot = strmap_find(&h->keys, key, strlen(key))) == NULL ||
	    (o = h->held[*slot]) == NULL)
		return NULL;
	h->held[*slot] = NULL;
	h->holding--;
	return o;
}

void
import_held_put(struct import_held *h, struct import_order *o)
{
	unsigned long slot;

	/* A second order of a key already held (orders without an id) gets
	 * a slot of its own, which only import_held_flush() sees. */
	if (strmap_add(&h->keys, o->key, strlen(o->key), h->nheld,
	    &slot) || h->held[slot] != NULL) {
		if (h->nheld == h->capheld) {
			h->capheld = h->capheld ? h->capheld * 2 : 16;
			h->held = xrealloc(h->held,
			    h->capheld * sizeof(*h->held));
		}
		slot = h->nheld++;
	}
	h->held[slot] = o;
	h->holding++;
}

/* Held orders go out in the order of their last rows; orders that end
 * on the same line (positions of a JSON array on one line) in the order
 * they were first held. */
struct held_order {
	struct import_order *o;
	size_t		 slot;
};

static int
by_last_line(const void *a, const void *b)
{
	const struct held_order *x = a, *y = b;

	if (x->o->last != y->o->last)
		return x->o->last < y->o->last ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

void
import_held_flush(struct import_held *h,
    void (*emit)(void *, struct import_order *), void *arg)
{
	struct held_order *list;
	size_t i, n = 0;

	list = xmalloc((h->holding + 1) * sizeof(*list));
	for (i = 0; i < h->nheld; i++)
		if (h->held[i] != NULL) {
			list[n].o = h->held[i];
			list[n++].slot = i;
		}
	if (n > 1)
		qsort(list, n, sizeof(*list), by_last_line);
	for (i = 0; i < n; i++)
		emit(arg, list[i].o);
	free(list);
	strmap_release(&h->keys);
	h->nheld = h->holding = 0;
}

void
import_held_release(struct import_held *h)
{
	strmap_release(&h->keys);
	free(h->held);
	memset(h, 0, sizeof(*h));
}

