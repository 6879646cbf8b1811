/* arena.h: memory that lives as long as a run or a table, in big blocks. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

/*
 * Many small things (ids, keys, transaction fields) that are freed all at
 * once cost two allocations per 64 KiB instead of one each.  Zeroed memory
 * (or arena_init()) is an empty arena; arena_release() frees every block
 * and leaves an empty arena, ready again, of the same block size.  Out of
 * memory exits 71.
 */
struct arena {
	char	**blocks;
	size_t	  nblocks;
	char	 *next;		/* free space in the last block */
	size_t	  left;
	size_t	  block;	/* bytes of a block, 0: 64 KiB; an arena
				 * per record (an order being assembled) sets
				 * under 1 KiB, where malloc's per-thread cache
				 * keeps freed blocks for the next record */
};

void	 arena_init(struct arena *);

/* n bytes, aligned for any object, valid until arena_release(). */
void	*arena_alloc(struct arena *, size_t n);

/* n bytes at a multiple of align, a power of two up to max_align_t's. */
void	*arena_alloc_aligned(struct arena *, size_t n, size_t align);

/* A NUL-terminated copy of s[0..n-1] (which may hold NUL bytes), or of the
 * string s; NULL for a NULL s.  Byte-aligned: strings pack densely. */
char	*arena_strndup(struct arena *, const char *s, size_t n);
char	*arena_strdup(struct arena *, const char *s);

void	 arena_release(struct arena *);

#endif
