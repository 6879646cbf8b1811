/* utf8.h: the few UTF-8 operations the programs need. */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * s does not start one (overlong forms and surrogates are not valid). */
size_t	 utf8_seqlen(const unsigned char *s, size_t n);

/* A new NUL-terminated copy of s[0..len-1] in which every byte that does
 * not start a valid sequence is replaced by U+FFFD; its length in *outlen.
 * NUL bytes are kept.  Caller frees. */
char	*utf8_sanitize(const char *s, size_t len, size_t *outlen);

/* Compare a and b ignoring case in ASCII, Latin-1 and Cyrillic letters and
 * surrounding white space: 0 when equal, as strcmp(3) otherwise. */
int	 utf8_casecmp(const char *a, const char *b);

/* A new string that is the same for two strings exactly when
 * utf8_casecmp() finds them equal, to hash names compared without regard
 * to case.  Caller frees. */
char	*utf8_casekey(const char *s);

/* Copy s into a new string with ASCII and Cyrillic letters lower-cased. */
char	*utf8_lower(const char *s);

#endif
