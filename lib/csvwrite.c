/* csvwrite.c: CSV fields, quoted as RFC 4180 says, formulas guarded. */
#include <stdint.h>
#include <string.h>

#include "csvwrite.h"
#include "xalloc.h"

static void
grow(char **bufp, size_t *capp, size_t len, size_t need)
{
	size_t cap = *capp < 256 ? 256 : *capp;

	if (need > SIZE_MAX - len)
		xnomem();
	if (len + need <= *capp)
		return;
	while (cap < len + need) {
		if (cap > SIZE_MAX / 2)
			xnomem();
		cap *= 2;
	}
	*bufp = xrealloc(*bufp, cap);
	*capp = cap;
}

static size_t
digits(const char *s, size_t i, size_t n)
{
	size_t start = i;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i - start;
}

/* [+-]digits[(.|,)digits][(e|E)[+-]digits], the whole of s[0..n-1]. */
static int
number(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if ((d = digits(s, i, n)) == 0)
		return 0;
	i += d;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		if ((d = digits(s, ++i, n)) == 0)
			return 0;
		i += d;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if ((d = digits(s, i, n)) == 0)
			return 0;
		i += d;
	}
	return i == n;
}

int
csvwrite_guarded(const char *s, size_t n)
{
	if (n == 0 || memchr("=+-@\t\r", s[0], 6) == NULL)
		return 0;
	return !number(s, n);
}

void
csvwrite_field(const struct csvwrite *cw, char **bufp, size_t *capp,
    size_t *lenp, const char *s, size_t n)
{
	const char *p, *end = s + n, *q;
	size_t len = *lenp, i;
	int quote = 0, guard;

	guard = cw->guard && csvwrite_guarded(s, n);
	for (i = 0; i < n; i++)
		if (s[i] == cw->delimiter || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n') {
			quote = 1;
			break;
		}
	if (!quote) {
		grow(bufp, capp, len, n + 1);
		if (guard)
			(*bufp)[len++] = '\'';
		if (n > 0)	/* an empty field may come as NULL */
			memcpy(*bufp + len, s, n);
		*lenp = len + n;
		return;
	}
	/* At worst every byte a doubled quote, and the quotes around. */
	if (n > (SIZE_MAX - 3) / 2)
		xnomem();
	grow(bufp, capp, len, 2 * n + 3);
	(*bufp)[len++] = '"';
	if (guard)
		(*bufp)[len++] = '\'';
	for (p = s; p < end; p = q + 1) {
		if ((q = memchr(p, '"', end - p)) == NULL) {
			memcpy(*bufp + len, p, end - p);
			len += end - p;
			break;
		}
		memcpy(*bufp + len, p, q - p + 1);
		len += q - p + 1;
		(*bufp)[len++] = '"';
	}
	(*bufp)[len++] = '"';
	*lenp = len;
}

void
csvwrite_delimiter(const struct csvwrite *cw, char **bufp, size_t *capp,
    size_t *lenp)
{
	grow(bufp, capp, *lenp, 1);
	(*bufp)[(*lenp)++] = cw->delimiter;
}

void
csvwrite_end(const struct csvwrite *cw, char **bufp, size_t *capp,
    size_t *lenp)
{
	grow(bufp, capp, *lenp, 2);
	if (cw->crlf)
		(*bufp)[(*lenp)++] = '\r';
	(*bufp)[(*lenp)++] = '\n';
}
