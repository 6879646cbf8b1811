/* valueblock.h: the allocator of the toolkit for jansson's values. */
#ifndef VALUEBLOCK_H
#define VALUEBLOCK_H

/* Make jansson allocate its values from 64 KiB blocks, each reused once
 * all of its values are freed, instead of malloc(3) for each.  Values may
 * live as long as they like: one that lives long only keeps its block.
 * Call before the first jansson value is made.  Each thread has its own
 * blocks: a value is freed on the thread that made it.  Not in
 * ASan builds or with -DVALUE_BLOCKS=0 (for valgrind), where jansson keeps
 * malloc(3). */
void	valueblock_install(void);

/* Free the calling thread's blocks no value uses any more; at the end of
 * main(), and of a thread that made values. */
void	valueblock_release(void);

#endif
