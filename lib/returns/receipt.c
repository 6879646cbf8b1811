/* receipt.c: the units a return announced against those that came back,
 * for return-open --receive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonx.h"
#include "returnsrecv.h"
#include "xalloc.h"

void
returns_announced_add(void *arg, const char *sku, int64_t qty,
    int64_t received)
{
	struct returns_announced_list *l = arg;

	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].sku = xstrdup(sku);
	l->v[l->n].qty = qty;
	l->v[l->n].received = received;
	l->v[l->n++].got = 0;
}

int
returns_announced_take(struct returns_announced_list *l, const char *sku,
    int64_t qty)
{
	struct returns_announced *a = NULL;
	size_t i;

	for (i = 0; sku != NULL && i < l->n && a == NULL; i++)
		if (strcmp(l->v[i].sku, sku) == 0)
			a = &l->v[i];
	if (a == NULL || a->got + qty > a->qty - a->received)
		return -1;
	a->got += qty;
	return 0;
}

json_t *
returns_announced_received(const struct returns_announced_list *l)
{
	json_t *received;
	size_t i;

	if ((received = json_object()) == NULL)
		xnomem();
	for (i = 0; i < l->n; i++)
		jsonx_set_new(received, l->v[i].sku,
		    json_integer(l->v[i].received + l->v[i].got));
	return received;
}

void
returns_announced_release(struct returns_announced_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].sku);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
