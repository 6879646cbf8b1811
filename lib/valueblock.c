/* valueblock.c: jansson's values from free lists by size.  A record is
 * built and freed value by value: hundreds of small blocks per order, more
 * than malloc(3)'s per-thread cache keeps, so each went through malloc's
 * slow path.  Freed blocks of up to 256 bytes wait here, by size, for the
 * next record.  Each block is still its own malloc(3) block, so a value
 * that lives long (an order held while its rows are apart) pins nothing
 * else, and memory stays flat: carving values from 256 KiB blocks, as
 * this file did before, kept a block for each such value and took a
 * re-sorted 1,000,000-row export to 445 MB.  ASan builds keep plain
 * malloc, to see every value; so do builds with -DVALUE_BLOCKS=0, for
 * valgrind. */
#include <stddef.h>
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

#define CLASSES		16	/* blocks of 16, 32, ..., 256 bytes */
#define KEEP		1024	/* free blocks kept per class */

/* What precedes each value: its class, aligned as malloc(3) aligns. */
union value_head {
	size_t		 cls;	/* 1..CLASSES; 0: any size */
	max_align_t	 align;
};

static struct {
	union value_head *free;
	size_t		 n;
} classes[CLASSES];

static void *
value_alloc(size_t size)
{
	size_t cls = size <= CLASSES * 16 ? (size + 15) / 16 : 0;
	union value_head *h;

	if (cls > 0 && (h = classes[cls - 1].free) != NULL) {
		classes[cls - 1].free = *(union value_head **)(h + 1);
		classes[cls - 1].n--;
		return h + 1;
	}
	if ((h = malloc(sizeof(*h) + (cls > 0 ? cls * 16 : size))) == NULL)
		return NULL;
	h->cls = cls;
	return h + 1;
}

static void
value_free(void *p)
{
	union value_head *h;

	if (p == NULL)
		return;
	h = (union value_head *)p - 1;
	if (h->cls > 0 && classes[h->cls - 1].n < KEEP) {
		*(union value_head **)p = classes[h->cls - 1].free;
		classes[h->cls - 1].free = h;
		classes[h->cls - 1].n++;
		return;
	}
	free(h);
}

void
valueblock_release(void)
{
	union value_head *h;
	size_t i;

	for (i = 0; i < CLASSES; i++) {
		while ((h = classes[i].free) != NULL) {
			classes[i].free = *(union value_head **)(h + 1);
			free(h);
		}
		classes[i].n = 0;
	}
}

void
valueblock_install(void)
{
	if (VALUE_BLOCKS)
		json_set_alloc_funcs(value_alloc, value_free);
}
