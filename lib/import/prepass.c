/* prepass.c: the pass over a CSV export before its import that finds the
 * orders whose rows are not adjacent. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "import.h"
#include "strmap.h"
#include "xalloc.h"

uint64_t
import_key_hash(const char *s, size_t len)
{
	return strmap_hash(s, len) | 1;
}

void
import_scatter_init(struct import_scatter *s)
{
	s->bloom = xcalloc(IMPORT_BLOOM_BITS / 8, 1);
	strmap_init(&s->last);
}

void
import_scatter_release(struct import_scatter *s)
{
	free(s->bloom);
	strmap_release(&s->last);
}

static int
bloom_test_set(struct import_scatter *s, uint64_t h)
{
	uint64_t bits[3] = { h, h >> 21, (h >> 42) ^ (h * 31) };
	int i, seen = 1;

	for (i = 0; i < 3; i++) {
		uint64_t b = bits[i] & (IMPORT_BLOOM_BITS - 1);

		if (!(s->bloom[b / 8] & (1 << (b % 8)))) {
			seen = 0;
			s->bloom[b / 8] |= 1 << (b % 8);
		}
	}
	return seen;
}

unsigned long *
import_scatter_slot(struct import_scatter *s, uint64_t h, int add)
{
	if (add)
		return strmap_put(&s->last, (const char *)&h, sizeof(h), NULL);
	return strmap_find(&s->last, (const char *)&h, sizeof(h));
}

/* The pre-pass reads only where rows end and what the group columns hold.
 * libcsv copies every byte of every field and calls back per field, which
 * made this pass cost nearly as much as the import itself; this scanner
 * follows csv_parse(3)'s rules (as the rows are read: no CSV_STRICT,
 * spaces and tabs around unquoted fields trimmed, a tab delimiter not
 * taken for space) and keeps the text of the first and the group columns
 * only, so it finds the same rows and the same keys. */
enum { PRE_ROW, PRE_FIELD, PRE_BEGUN, PRE_MAYBE_END };

/* Whether field i of a row is one whose text the pass needs. */
static int
pre_keeps(const struct import_prepass *p, size_t i)
{
	size_t k;

	if (i == 0)
		return 1;
	for (k = 0; k < p->ngroup && k < 4; k++)
		if (p->group_col[k] == (long)i)
			return 1;
	return 0;
}

static void
pre_char(struct import_prepass *p, unsigned char c)
{
	if (p->keep) {
		if (p->len == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 256;
			p->text = xrealloc(p->text, p->cap);
		}
		p->text[p->len] = c;
	}
	p->len++;
}

static void
pre_field(struct import_prepass *p)
{
	const char *f = p->text;
	size_t i, len;

	if (!p->quoted)
		p->len -= p->spaces;
	len = p->len;
	p->empty = p->field == 0 && p->len == 0;
	for (i = 0; p->keep && i < p->ngroup && i < 4; i++) {
		if (p->group_col[i] != (long)p->field)
			continue;
		while (len > 0 && (*f == ' ' || *f == '\t')) {
			f++;
			len--;
		}
		while (len > 0 && (f[len - 1] == ' ' || f[len - 1] == '\t' ||
		    f[len - 1] == '\r'))
			len--;
		p->key[i] = len > 0 ? import_key_hash(f, len) : 0;
	}
	p->field++;
	p->state = PRE_FIELD;
	p->len = p->spaces = 0;
	p->quoted = 0;
	p->keep = pre_keeps(p, p->field);
}

static void
pre_row(struct import_prepass *p)
{
	unsigned long *last;
	uint64_t h = 0;
	size_t i;

	p->state = PRE_ROW;
	p->len = p->spaces = 0;
	p->quoted = 0;
	p->keep = 1;
	if (p->field == 1 && p->empty) {
		p->field = 0;
		return;
	}
	p->row++;
	for (i = 0; i < p->ngroup && i < 4 && h == 0; i++)
		h = p->key[i];
	memset(p->key, 0, sizeof(p->key));
	p->field = 0;
	if (p->row <= p->header_row || h == 0)
		return;
	if (h != p->prev) {
		p->prev = h;
		p->flagged = bloom_test_set(p->scatter, h);
	}
	if (p->flagged &&
	    (last = import_scatter_slot(p->scatter, h, 1)) != NULL)
		*last = p->row;
}

static void
pre_scan(struct import_prepass *p, const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n, *q;
	unsigned char c;

	while (s < end) {
		switch (p->state) {
		case PRE_ROW:
		case PRE_FIELD:
			c = *s++;
			if ((c == ' ' || c == '\t') && c != p->delim)
				continue;
			if (c == '\r' || c == '\n') {
				if (p->state == PRE_FIELD) {
					pre_field(p);
					pre_row(p);
				}
			} else if (c == p->delim)
				pre_field(p);
			else if (c == '"') {
				p->state = PRE_BEGUN;
				p->quoted = 1;
			} else {
				p->state = PRE_BEGUN;
				p->quoted = 0;
				pre_char(p, c);
			}
			break;
		case PRE_BEGUN:
			if (p->quoted) {
				/* Only a quote ends what a quote began. */
				if (!p->keep) {
					if ((q = memchr(s, '"', end - s)) ==
					    NULL) {
						s = end;
						break;
					}
					s = q;
				}
				c = *s++;
				pre_char(p, c);
				if (c == '"')
					p->state = PRE_MAYBE_END;
				else if (c != p->delim && c != '\r' &&
				    c != '\n')
					p->spaces = 0;
				break;
			}
			if (!p->keep) {
				while (s < end && !p->stop[*s])
					s++;
				if (s == end)
					break;
			}
			c = *s++;
			if (c == p->delim)
				pre_field(p);
			else if (c == '\r' || c == '\n') {
				pre_field(p);
				pre_row(p);
			} else {
				pre_char(p, c);
				if (c == ' ' || c == '\t')
					p->spaces++;
				else
					p->spaces = 0;
			}
			break;
		case PRE_MAYBE_END:
			c = *s++;
			if (c == p->delim || c == '\r' || c == '\n') {
				p->len -= p->spaces + 1;
				pre_field(p);
				if (c != p->delim)
					pre_row(p);
			} else if (c == ' ' || c == '\t') {
				pre_char(p, c);
				p->spaces++;
			} else if (c == '"') {
				if (p->spaces) {
					p->spaces = 0;
					pre_char(p, c);
				} else
					p->state = PRE_BEGUN;
			} else {
				p->state = PRE_BEGUN;
				p->spaces = 0;
				pre_char(p, c);
			}
			break;
		}
	}
}

/* csv_fini(3): a last row without its newline. */
static void
pre_finish(struct import_prepass *p)
{
	if (p->state == PRE_MAYBE_END)
		p->len -= p->spaces + 1;
	if (p->state != PRE_ROW) {
		pre_field(p);
		pre_row(p);
	}
}

int
import_prepass(FILE *fp, char delim, struct import_prepass *p)
{
	char buf[65536];
	size_t n, off;
	int first = 1;

	rewind(fp);
	p->delim = (unsigned char)delim;
	p->state = PRE_ROW;
	p->keep = 1;
	memset(p->stop, 0, sizeof(p->stop));
	p->stop[(unsigned char)delim] = p->stop['\r'] = p->stop['\n'] = 1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		off = first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ?
		    3 : 0;
		first = 0;
		if (p->guess != NULL)
			charset_guess_feed(p->guess, buf + off, n - off);
		pre_scan(p, (unsigned char *)buf + off, n - off);
	}
	pre_finish(p);
	free(p->text);
	p->text = NULL;
	p->cap = 0;
	rewind(fp);
	return ferror(fp) ? -1 : 0;
}

