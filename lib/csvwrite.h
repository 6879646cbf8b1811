/* csvwrite.h: CSV fields out as RFC 4180 quotes them, with the formula
 * guard a spreadsheet needs. */
#ifndef CSVWRITE_H
#define CSVWRITE_H

#include <stddef.h>

struct csvwrite {
	char		 delimiter;	/* ',', ';' or '\t' */
	int		 crlf;		/* lines end in CRLF, not LF */
	int		 guard;		/* csvwrite_guarded() fields get a ' */
};

/* Whether a spreadsheet could take the field s[0..n-1] for a formula: it
 * begins with '=', '+', '-', '@', a tab or a carriage return (OWASP's list
 * for CSV injection), and is not a number ("-12.50", "+79161234567",
 * "1,5", "2e3": a spreadsheet reads those as numbers, so nothing is
 * hidden in them). */
int	 csvwrite_guarded(const char *s, size_t n);

/* Append the field s[0..n-1] (any bytes) to the growing buffer *bufp of
 * capacity *capp at offset *lenp (the caller's, NULL, 0, 0 to start, grown
 * with xrealloc()): after a ' when the guard is on and csvwrite_guarded(),
 * in double quotes, quotes doubled, when it holds the delimiter, a quote,
 * a CR or an LF; as it is otherwise.  No delimiter is written. */
void	 csvwrite_field(const struct csvwrite *, char **bufp, size_t *capp,
	    size_t *lenp, const char *s, size_t n);

/* Append the delimiter, or the line end, to the buffer. */
void	 csvwrite_delimiter(const struct csvwrite *, char **bufp,
	    size_t *capp, size_t *lenp);
void	 csvwrite_end(const struct csvwrite *, char **bufp, size_t *capp,
	    size_t *lenp);

#endif
