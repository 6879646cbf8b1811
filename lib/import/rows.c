/* rows.c: CSV rows of an export decoded to UTF-8 and trimmed, and what
 * is known of rows before a map applies: blank ones, eBay's footers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "charset.h"
#include "csvread.h"
#include "import.h"
#include "xalloc.h"
#include "utf8.h"

static char *
trim_field(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Make each byte of s that is not part of valid UTF-8 (and each NUL) a
 * '?', so that the text is valid. */
static void
mask_bad_utf8(char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if (s[i] == '\0') {
			s[i++] = '?';
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_seqlen((unsigned char *)s + i, len - i)) == 0)
			s[i++] = '?';
		else
			i += n;
	}
}

void
import_row_decode(struct import_row *r, struct csvread_row *raw,
    struct charset *cs)
{
	const char *d;
	size_t i, n, need = 0;
	size_t *offs;

	r->bad_encoding = 0;
	if (r->cap < raw->nfields) {
		r->cap = raw->nfields;
		r->fields = xrealloc(r->fields, r->cap * sizeof(*r->fields));
	}
	r->nfields = raw->nfields;
	if (cs->utf8) {
		/* The common case: validated in place, no copy. */
		for (i = 0; i < raw->nfields; i++) {
			if (charset_decode(cs, raw->fields[i], raw->lens[i],
			    &n) == NULL || memchr(raw->fields[i], '\0',
			    raw->lens[i]) != NULL) {
				/* The order is rejected; what it holds must
				 * still be UTF-8. */
				r->bad_encoding = 1;
				mask_bad_utf8(raw->fields[i], raw->lens[i]);
			}
			r->fields[i] = trim_field(raw->fields[i]);
		}
		return;
	}
	offs = xmalloc((raw->nfields + 1) * sizeof(*offs));
	for (i = 0; i < raw->nfields; i++) {
		if ((d = charset_decode(cs, raw->fields[i], raw->lens[i],
		    &n)) == NULL || memchr(d, '\0', n) != NULL) {
			/* A NUL byte would cut the field short: no text
			 * holds one, as in UTF-8 above. */
			r->bad_encoding = 1;
			d = "";
			n = 0;
		}
		if (r->arenacap < need + n + 1) {
			r->arenacap = (need + n + 1) * 2;
			r->arena = xrealloc(r->arena, r->arenacap);
		}
		memcpy(r->arena + need, d, n + 1);
		offs[i] = need;
		need += n + 1;
	}
	for (i = 0; i < raw->nfields; i++)
		r->fields[i] = trim_field(r->arena + offs[i]);
	free(offs);
}

void
import_row_release(struct import_row *r)
{
	free(r->fields);
	free(r->arena);
	memset(r, 0, sizeof(*r));
}

char *
import_raw_back(void *arg, long long off, size_t len, size_t *lenp)
{
	struct import_rawback *b = arg;
	const char *d;
	char *buf;
	ssize_t n;
	size_t dlen;

	buf = xmalloc(len + 1);
	if ((n = pread(fileno(b->fp), buf, len, off)) < 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*lenp = n;
	if (!b->cs->utf8 && (d = charset_decode(b->cs, buf, n, &dlen)) !=
	    NULL && d != buf) {
		/* Copied by its length: a NUL byte of the row is text. */
		free(buf);
		buf = xmalloc(dlen + 1);
		memcpy(buf, d, dlen);
		buf[dlen] = '\0';
		*lenp = dlen;
	}
	return buf;
}

int
import_row_blank(const struct csvread_row *raw)
{
	size_t i, j;

	for (i = 0; i < raw->nfields; i++)
		for (j = 0; j < raw->lens[i]; j++)
			if (strchr(" \t\r\n", raw->fields[i][j]) == NULL)
				return 0;
	return 1;
}

/* The words of eBay's "N record(s) downloaded" footer, in English and
 * German, at the start of s (after white space). */
static int
footer_count_words(const char *s)
{
	static const char *const words[] = { "record(s) downloaded",
	    "Datensätze heruntergeladen", "Datensatz heruntergeladen" };
	size_t i;

	s += strspn(s, " \t");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(s, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

/* eBay's footers as it writes them: "3","record(s) downloaded,from",
 * "Mar-01-26","to","Mar-05-26" (or all of it in the first field), "2
 * Datensätze heruntergeladen", and "Seller ID : shop_demo",
 * "Verkäufer-ID: ..." or "Verkäufername: ..." alone on their rows.  Only
 * a row that holds nothing else is one: a title or a buyer's note with
 * these words belongs to an order. */
int
import_row_footer(const struct import_row *r)
{
	const char *f, *p;
	size_t i, nonempty = 0, last = 0;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i][0] != '\0') {
			nonempty++;
			last = i;
		}
	if (nonempty == 0 || (f = r->fields[0])[0] == '\0')
		return 0;
	if (nonempty == 1 && (strncasecmp(f, "Seller ID", 9) == 0 ||
	    strncmp(f, "Verkäufer-ID:", 14) == 0 ||
	    strncmp(f, "Verkäufername:", 15) == 0))
		return 1;
	/* The count, its words in the same field or the next, and at most
	 * the days it covers: "from", a date, "to", a date, each date with
	 * its time in Sales History ("from ,Jan-18-16,16:41:35, to ,..."). */
	p = f + strspn(f, "0123456789");
	if (p == f || last > 8)
		return 0;
	if (*p == '\0')
		return r->nfields > 1 && footer_count_words(r->fields[1]);
	return (*p == ' ' || *p == '\t') && footer_count_words(p);
}

