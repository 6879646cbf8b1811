/* allow.h: waivers: the error codes a shop accepts as warnings
 * (--allow CODE,... and a source profile's allow list). */
#ifndef ALLOW_H
#define ALLOW_H

#include <stddef.h>

#include <jansson.h>

struct profile;

/*
 * A check a shop chooses to waive does not reject the record: its errors
 * move to the record's "warnings", an array of the same shape as "errors"
 * ({code, field, message}), and the record goes on.  A code is waived when
 * the list given by --allow names it, or the profile of the record's
 * source does (profile_allows()).
 */
struct allow {
	char		**codes;	/* owned, each lower case */
	size_t		 ncodes;
};

/* An empty list. */
void	 allow_init(struct allow *);

/* Add the codes of arg, as --allow takes them: "code,code", blanks around
 * a code ignored, --allow given several times adds up.  A code is made of
 * a-z, 0-9 and "_" (the codes the man pages list).  Returns 0, or -1 when
 * arg holds no code or anything else (nothing is added then): the caller
 * reports the usage error. */
int	 allow_parse(struct allow *, const char *arg);

/* Whether code is waived by the list (may be NULL: none) or by p (may be
 * NULL: none). */
int	 allow_has(const struct allow *, const struct profile *p,
	    const char *code);

/*
 * Move every error of errors (an array of {code, field, message}) whose
 * code allow_has() waives to the end of record's "warnings", in their
 * order; the others stay in errors, in theirs.  "warnings" is made when
 * the record has none (or holds no array), and left out when nothing was
 * ever moved.  Returns the number moved.  The caller then tests
 * json_array_size(errors), as before.
 */
size_t	 allow_apply(const struct allow *, const struct profile *p,
	    json_t *record, json_t *errors);

/* Free the codes; the list is empty again. */
void	 allow_release(struct allow *);

#endif
