/* arena.c: memory that lives as long as a run or a table, in big blocks. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

#define BLOCK	65536

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

/* n bytes at an address that is a multiple of align (a power of two). */
static void *
take(struct arena *a, size_t n, size_t align)
{
	size_t pad = (align - ((uintptr_t)a->next & (align - 1))) & (align - 1);
	size_t size, block = a->block != 0 ? a->block : BLOCK;
	char *p;

	if (a->next == NULL || pad > a->left || n > a->left - pad) {
		if (n > SIZE_MAX - align)
			xnomem();
		size = n + align > block ? n + align : block;
		a->blocks = xrealloc(a->blocks, (a->nblocks + 1) *
		    sizeof(*a->blocks));
		a->next = a->blocks[a->nblocks++] = xmalloc(size);
		a->left = size;
		pad = (align - ((uintptr_t)a->next & (align - 1))) &
		    (align - 1);
	}
	p = a->next + pad;
	a->next += pad + n;
	a->left -= pad + n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	return take(a, n, alignof(max_align_t));
}

void *
arena_alloc_aligned(struct arena *a, size_t n, size_t align)
{
	return take(a, n, align);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	if (n < a->left) {		/* the common case: it fits */
		p = a->next;
		a->next += n + 1;
		a->left -= n + 1;
	} else {
		if (n == SIZE_MAX)
			xnomem();
		p = take(a, n + 1, 1);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

void
arena_release(struct arena *a)
{
	size_t i, block = a->block;

	for (i = 0; i < a->nblocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
	a->block = block;
}
