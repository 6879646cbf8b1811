/* xalloc.h: allocation that exits 71 (EX_OSERR) instead of returning NULL. */
#ifndef XALLOC_H
#define XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Like malloc(3), realloc(3), calloc(3), strdup(3), strndup(3), but never
 * return NULL: out of memory prints "PROG: out of memory" and exits 71. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/* The text of fmt with its arguments, as asprintf(3) makes it: a new
 * string, the caller's to free().  xvasprintf() leaves ap to the caller
 * (va_end), as vsnprintf(3) does. */
char	*xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));

/* Exit 71 with "out of memory": for library calls (jansson) that failed. */
void	 xnomem(void) __attribute__((noreturn));

#endif
