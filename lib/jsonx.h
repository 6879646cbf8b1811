/* jsonx.h: the jansson calls a program makes to build its output, made
 * unable to fail: out of memory exits 71, as xalloc.h's calls do. */
#ifndef JSONX_H
#define JSONX_H

#include <jansson.h>

/*
 * json_object_set_new(obj, key, value), exiting 71 with "out of memory"
 * when it fails: value NULL (the constructor in the call ran out of
 * memory) or no memory for the key.  value is handed over, as to
 * json_object_set_new(), so that
 *	jsonx_set_new(order, "status", json_string("validated"));
 * is one call with nothing to check.  obj is an object and key UTF-8: the
 * caller's to know.
 */
void	 jsonx_set_new(json_t *obj, const char *key, json_t *value);

/* jsonx_set_new(obj, key, json_string(text)) when text is neither NULL
 * nor empty; else nothing: the optional members of a request's body. */
void	 jsonx_set_text(json_t *obj, const char *key, const char *text);

/* A new empty object, never NULL. */
json_t	*jsonx_object(void);

/* json_array_append_new(array, value), likewise; value handed over. */
void	 jsonx_append_new(json_t *array, json_t *value);

/* A new JSON string of s (UTF-8), or JSON null when s is NULL: a new
 * reference, never NULL. */
json_t	*jsonx_string_or_null(const char *s);

/* The compact text of value, as jsonl_write() writes it but without the
 * newline: a new NUL-terminated string, the caller's to free(). */
char	*jsonx_text(const json_t *value);

#endif
