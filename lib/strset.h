/* strset.h: a set of strings, for "seen before" checks over a whole run. */
#ifndef STRSET_H
#define STRSET_H

#include <stddef.h>

struct strset {
	char		**slots;	/* open addressing; NULL is empty */
	unsigned long	 *values;	/* a number kept with each string */
	size_t		  cap;		/* a power of two */
	size_t		  n;
	char		 *arena;	/* strings are packed in blocks */
	size_t		  arena_left;
	char		**blocks;
	size_t		  nblocks;
};

void	strset_init(struct strset *);

/* Add p[0..len-1] with value.  Returns 1 when it was added, 0 when it was
 * already there; then *old (when not NULL) gets the value it was added
 * with. */
int	strset_add(struct strset *, const char *p, size_t len,
	    unsigned long value, unsigned long *old);

/* The value p[0..len-1] was added with, to read or change in place (it
 * lives until the next strset_add() or strset_release()), or NULL when
 * the string is not in the set: a map from strings to numbers. */
unsigned long *strset_find(const struct strset *, const char *p,
	    size_t len);

void	strset_release(struct strset *);

#endif
