/* utf8.c: validation, repair and case folding of UTF-8 text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

char *
utf8_sanitize(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out;
	size_t i = 0, o = 0, n;

	if (len > (SIZE_MAX - 1) / 3)
		xnomem();
	out = xmalloc(len * 3 + 1);
	while (i < len) {
		if ((n = utf8_seqlen(p + i, len - i)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* The lower-case code point of the character at *sp, which is advanced.
 * A byte that starts no character is 0x110000 and up, beyond them all:
 * "\xe9" is not "\xc3\xa9" (U+00E9). */
static uint32_t
fold(const unsigned char **sp)
{
	const unsigned char *s = *sp;
	uint32_t c;
	size_t n;

	if ((n = utf8_seqlen(s, strnlen((const char *)s, 4))) <= 1) {
		*sp = s + 1;
		c = s[0];
		if (n == 0)
			return 0x110000 + c;
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	if (n == 2)
		c = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	else if (n == 3)
		c = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		    (s[2] & 0x3f);
	else
		c = (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	*sp = s + n;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)	/* Latin-1 */
		return c + 0x20;
	if (c >= 0x410 && c <= 0x42f)			/* А..Я */
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)			/* Ѐ..Џ, Ё, Є, І, Ї */
		return c + 0x50;
	if (c == 0x490)					/* Ґ */
		return 0x491;
	return c;
}

static const unsigned char *
skip_space(const unsigned char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static size_t
trimmed_len(const unsigned char *s)
{
	size_t n = strlen((const char *)s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

int
utf8_casecmp(const char *a, const char *b)
{
	const unsigned char *p = skip_space((const unsigned char *)a);
	const unsigned char *q = skip_space((const unsigned char *)b);
	const unsigned char *pend = p + trimmed_len(p);
	const unsigned char *qend = q + trimmed_len(q);
	uint32_t c, d;

	while (p < pend && q < qend) {
		c = fold(&p);
		d = fold(&q);
		if (c != d)
			return c < d ? -1 : 1;
	}
	if (p < pend)
		return 1;
	if (q < qend)
		return -1;
	return 0;
}

char *
utf8_casekey(const char *s)
{
	const unsigned char *p = skip_space((const unsigned char *)s);
	const unsigned char *end = p + trimmed_len(p);
	unsigned char *out, *o;
	uint32_t c;

	/* Folding never lengthens a character; a stray byte takes two. */
	out = o = xmalloc((end - p) * 2 + 1);
	while (p < end) {
		c = fold(&p);
		if (c >= 0x110000) {
			*o++ = 0xff;		/* in no UTF-8 character */
			*o++ = c - 0x110000;
		} else if (c < 0x80) {
			*o++ = c;
		} else if (c < 0x800) {
			*o++ = 0xc0 | c >> 6;
			*o++ = 0x80 | (c & 0x3f);
		} else if (c < 0x10000) {
			*o++ = 0xe0 | c >> 12;
			*o++ = 0x80 | (c >> 6 & 0x3f);
			*o++ = 0x80 | (c & 0x3f);
		} else {
			*o++ = 0xf0 | c >> 18;
			*o++ = 0x80 | (c >> 12 & 0x3f);
			*o++ = 0x80 | (c >> 6 & 0x3f);
			*o++ = 0x80 | (c & 0x3f);
		}
	}
	*o = '\0';
	return (char *)out;
}

char *
utf8_lower(const char *s)
{
	unsigned char *out, *o;
	const unsigned char *p = (const unsigned char *)s;

	out = o = (unsigned char *)xstrdup(s);
	while (*p) {
		if (*p >= 'A' && *p <= 'Z') {
			*o++ = *p++ + 32;
		} else if (p[0] == 0xd0 && p[1] >= 0x90 && p[1] <= 0x9f) {
			*o++ = 0xd0;			/* А..П */
			*o++ = p[1] + 0x20;
			p += 2;
		} else if (p[0] == 0xd0 && p[1] >= 0xa0 && p[1] <= 0xaf) {
			*o++ = 0xd1;			/* Р..Я */
			*o++ = p[1] - 0x20;
			p += 2;
		} else if (p[0] == 0xd0 && p[1] >= 0x80 && p[1] <= 0x8f) {
			*o++ = 0xd1;			/* Ѐ..Џ */
			*o++ = p[1] + 0x10;
			p += 2;
		} else if (p[0] == 0xd2 && p[1] == 0x90) {
			*o++ = 0xd2;			/* Ґ */
			*o++ = 0x91;
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return (char *)out;
}
