/* valueblock.h: the allocator of the toolkit for jansson's values. */
#ifndef VALUEBLOCK_H
#define VALUEBLOCK_H

/* Make jansson take its values from free lists by size (up to 256 bytes;
 * 1024 kept per size) instead of malloc(3) and free(3) for each.  Values
 * may live as long as they like and pin nothing else.  Call before the
 * first jansson value is made; one thread only.  Not in ASan builds or
 * with -DVALUE_BLOCKS=0 (for valgrind), where jansson keeps malloc(3). */
void	valueblock_install(void);

/* Free the blocks the lists keep; at the end of main(). */
void	valueblock_release(void);

#endif
