/* xalloc.h: allocation that exits 71 (EX_OSERR) instead of returning NULL. */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

/* Like malloc(3), realloc(3), calloc(3), strdup(3), strndup(3), but never
 * return NULL: out of memory prints "PROG: out of memory" and exits 71. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/* Exit 71 with "out of memory": for library calls (jansson) that failed. */
void	 xnomem(void) __attribute__((noreturn));

#endif
