/* allow.c: waivers (allow.h): errors a shop accepts, kept as warnings. */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "allow.h"
#include "jsonx.h"
#include "profile.h"
#include "xalloc.h"

void
allow_init(struct allow *a)
{
	a->codes = NULL;
	a->ncodes = 0;
}

static int
is_code(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
			return 0;
	return 1;
}

/* s[0..*len-1] without the blanks around it. */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

static int
listed(const struct allow *a, const char *code, size_t len)
{
	size_t i;

	for (i = 0; i < a->ncodes; i++)
		if (strncmp(a->codes[i], code, len) == 0 &&
		    a->codes[i][len] == '\0')
			return 1;
	return 0;
}

int
allow_parse(struct allow *a, const char *arg)
{
	const char *s, *end, *code;
	size_t len, n = 0;

	/* Check it all first: a bad list adds nothing. */
	for (s = arg; ; s = end + 1) {
		end = s + strcspn(s, ",");
		len = end - s;
		code = trim(s, &len);
		if (len > 0 && !is_code(code, len))
			return -1;
		if (len > 0)
			n++;
		if (*end == '\0')
			break;
	}
	if (n == 0)
		return -1;
	a->codes = xrealloc(a->codes, (a->ncodes + n) * sizeof(*a->codes));
	for (s = arg; ; s = end + 1) {
		end = s + strcspn(s, ",");
		len = end - s;
		code = trim(s, &len);
		if (len > 0 && !listed(a, code, len))
			a->codes[a->ncodes++] = xstrndup(code, len);
		if (*end == '\0')
			break;
	}
	return 0;
}

int
allow_has(const struct allow *a, const struct profile *p, const char *code)
{
	size_t i;

	if (code == NULL)
		return 0;
	for (i = 0; a != NULL && i < a->ncodes; i++)
		if (strcmp(a->codes[i], code) == 0)
			return 1;
	return p != NULL && profile_allows(p, code);
}

size_t
allow_apply(const struct allow *a, const struct profile *p, json_t *record,
    json_t *errors)
{
	json_t *warnings, *e;
	size_t i, moved = 0;

	if ((a == NULL || a->ncodes == 0) && p == NULL)
		return 0;
	warnings = json_object_get(record, "warnings");
	for (i = 0; i < json_array_size(errors); ) {
		e = json_array_get(errors, i);
		if (!allow_has(a, p, json_string_value(json_object_get(e,
		    "code")))) {
			i++;
			continue;
		}
		if (!json_is_array(warnings)) {
			jsonx_set_new(record, "warnings", json_array());
			warnings = json_object_get(record, "warnings");
		}
		if (json_array_append(warnings, e) == -1 ||
		    json_array_remove(errors, i) == -1)
			errx(EX_OSERR, "out of memory");
		moved++;
	}
	return moved;
}

void
allow_release(struct allow *a)
{
	size_t i;

	for (i = 0; i < a->ncodes; i++)
		free(a->codes[i]);
	free(a->codes);
	allow_init(a);
}
