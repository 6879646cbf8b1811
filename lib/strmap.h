/* strmap.h: the hash map of the toolkit: byte strings to numbers. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/*
 * Open addressing, linear probing, FNV-1a.  Keys are any bytes (NUL
 * included) up to 4 GiB - 1 (longer ones count by their first 4 GiB - 1
 * bytes); the map keeps its own copy of each in an arena, so a million
 * order ids cost two allocations per 64 KiB, not one each.  A value is an
 * unsigned long the caller gives meaning to: a line number, an index + 1
 * into the caller's array, the head of a chain for several values under
 * one key.  Zeroed memory (or strmap_init()) is an empty map;
 * strmap_release() frees it and leaves it empty, ready again.  Out of
 * memory exits 71.
 */
/* 16 bytes a slot: a key's length and hash sit in the arena before its
 * bytes, where a probe that matches the slot's hash has to look anyway. */
struct strmap_slot {
	const char	*key;		/* NULL: empty */
	unsigned long	 value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	struct arena	 keys;
};

/* FNV-1a over 64 bits (offset basis 14695981039346656037, prime
 * 1099511628211): the one string hash of the toolkit. */
uint64_t strmap_hash(const void *p, size_t len);

void	 strmap_init(struct strmap *);

/* Add p[0..len-1] with value.  Returns 1 when it was added, 0 when it was
 * there already: then the value stays, and *old (when not NULL) gets it. */
int	 strmap_add(struct strmap *, const char *p, size_t len,
	    unsigned long value, unsigned long *old);

/* The value under p[0..len-1], which the caller may change; NULL when the
 * key is not there.  Valid until the next strmap_add() or strmap_put(). */
unsigned long *strmap_find(const struct strmap *, const char *p, size_t len);

/* The value under p[0..len-1], added as 0 when it is not there (then
 * *added, when not NULL, is 1, else 0).  Valid as strmap_find()'s. */
unsigned long *strmap_put(struct strmap *, const char *p, size_t len,
	    int *added);

/* The map's copy of a key found through strmap_find() or strmap_put()'s
 * value pointer: NUL-terminated, living as long as the map. */
const char *strmap_key(const struct strmap *, const unsigned long *value);

void	 strmap_release(struct strmap *);

#endif
