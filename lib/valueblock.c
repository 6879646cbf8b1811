/* valueblock.c: jansson's values carved from blocks.  The values of a
 * record (or a batch of them) are made together and freed together, so
 * malloc(3) and free(3) for each one took a third of a run; a block is
 * given back when the last value in it is freed, whatever the order.  A
 * value keeps its block's address just before it.
 *
 * Blocks of 64 KiB: the values of a record lie together, which made
 * order-reserve and pay-reconcile 2.5 and 1.5 times as fast as free lists
 * by size did (those hand a record's values out of blocks all over the
 * heap); and a value that outlives its neighbours (an order order-import
 * holds while its rows are apart) keeps 64 KiB, not 256: a shuffled
 * 200,000-row Shopify export peaks at 30 MB, against 88 MB with 256 KiB
 * blocks and 8 MB with free lists.  ASan builds use malloc,
 * so that it sees each value; so do builds with -DVALUE_BLOCKS=0, for
 * valgrind. */
#include <stdlib.h>

#include <jansson.h>

#include "valueblock.h"

#ifndef VALUE_BLOCKS		/* -DVALUE_BLOCKS=0 for valgrind */
#if defined(__SANITIZE_ADDRESS__)
#define VALUE_BLOCKS	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VALUE_BLOCKS	0
#endif
#endif
#endif
#ifndef VALUE_BLOCKS
#define VALUE_BLOCKS	1
#endif

#define BLOCK_SIZE	(64 * 1024)
#define BLOCK_BIG	(4 * 1024)	/* a bigger value is malloc'd alone */

struct block {
	struct block	*next;		/* the spare blocks' list */
	size_t		 used;		/* bytes, this header included */
	size_t		 live;		/* values not yet freed */
};

/* What precedes each value: 16 bytes, so values stay aligned as
 * malloc(3) aligns them. */
struct value_head {
	struct block	*block;		/* NULL: malloc'd alone */
	size_t		 pad;
};

#define BLOCK_START	((sizeof(struct block) + 15) & ~(size_t)15)

/* Each thread's own (lib/pipeline.c's workers): a value is made and
 * freed on one thread, so its block needs no lock. */
static _Thread_local struct block *block_now, *block_spares;

static void *
value_alloc(size_t n)
{
	struct value_head *h;
	struct block *b;

	n = (sizeof(*h) + n + 15) & ~(size_t)15;
	if (n > BLOCK_BIG) {
		if ((h = malloc(n)) == NULL)
			return NULL;
		h->block = NULL;
		return h + 1;
	}
	if (block_now == NULL || block_now->used + n > BLOCK_SIZE) {
		if ((b = block_spares) != NULL)
			block_spares = b->next;
		else if ((b = malloc(BLOCK_SIZE)) == NULL)
			return NULL;
		b->used = BLOCK_START;
		b->live = 0;
		/* The block left behind goes when its last value does. */
		if (block_now != NULL && block_now->live == 0) {
			block_now->next = block_spares;
			block_spares = block_now;
		}
		block_now = b;
	}
	h = (struct value_head *)((char *)block_now + block_now->used);
	block_now->used += n;
	block_now->live++;
	h->block = block_now;
	return h + 1;
}

static void
value_free(void *p)
{
	struct value_head *h;
	struct block *b;

	if (p == NULL)
		return;
	h = (struct value_head *)p - 1;
	if ((b = h->block) == NULL) {
		free(h);
		return;
	}
	if (--b->live > 0)
		return;
	if (b == block_now)
		b->used = BLOCK_START;
	else {
		b->next = block_spares;
		block_spares = b;
	}
}

void
valueblock_release(void)
{
	struct block *b;

	while ((b = block_spares) != NULL) {
		block_spares = b->next;
		free(b);
	}
	if (block_now != NULL && block_now->live == 0) {
		free(block_now);
		block_now = NULL;
	}
}


void
valueblock_install(void)
{
	if (VALUE_BLOCKS)
		json_set_alloc_funcs(value_alloc, value_free);
}
