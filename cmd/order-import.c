/* order-import: turn shop and marketplace exports (Shopify, Amazon, Etsy,
 * eBay, WooCommerce, Ozon, Yandex Market, Wildberries, any CSV with a map)
 * into order records. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sysexits.h>

#include <jansson.h>

#include "charset.h"
#include "cli.h"
#include "csvread.h"
#include "exporttime.h"
#include "fileio.h"
#include "import.h"
#include "jsonl.h"
#include "money.h"
#include "reject.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-import [--format NAME|auto] [--map FILE]\n"
    "                    [--encoding auto|utf-8|cp1251|cp1252|cp932|...]\n"
    "                    [--delimiter C] [--tz ZONE] [--currency CODE]\n"
    "                    [--country CC] [--ship-method courier|post|pickup]\n"
    "                    [--rejects FILE] [--strict] [--stats]\n"
    "                    [--list-formats] [FILE ...]\n";

#define OPT_COUNTRY	'C'
#define OPT_CURRENCY	'c'
#define OPT_DELIMITER	'd'
#define OPT_ENCODING	'e'
#define OPT_FORMAT	'f'
#define OPT_LIST	'l'
#define OPT_MAP		'm'
#define OPT_SHIP	's'
#define OPT_TZ		'z'

static const struct option longopts[] = {
	{ "country",	  required_argument, NULL, OPT_COUNTRY },
	{ "currency",	  required_argument, NULL, OPT_CURRENCY },
	{ "delimiter",	  required_argument, NULL, OPT_DELIMITER },
	{ "encoding",	  required_argument, NULL, OPT_ENCODING },
	{ "format",	  required_argument, NULL, OPT_FORMAT },
	CLI_OPT_HELP,
	{ "list-formats", no_argument,	     NULL, OPT_LIST },
	{ "map",	  required_argument, NULL, OPT_MAP },
	CLI_OPT_REJECTS,
	{ "ship-method",  required_argument, NULL, OPT_SHIP },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "tz",		  required_argument, NULL, OPT_TZ },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char	*name;
	const char	*about;
} format_list[] = {
	{ "shopify", "Shopify admin orders_export.csv, one row per line item" },
	{ "amazon", "Amazon Seller Central order reports: All Orders, "
	    "unshipped/new orders (tab-separated), FBA shipments" },
	{ "etsy", "Etsy EtsySoldOrderItems and EtsySoldOrders CSV" },
	{ "ebay", "eBay Seller Hub orders report, English or German "
	    "(also the older Sales History)" },
	{ "woocommerce", "WooCommerce REST API v3 orders: a JSON array or "
	    "JSON lines" },
	{ "ozon", "Ozon Seller API posting/fbs/list: the response or JSON "
	    "lines of postings" },
	{ "yandex-market", "Yandex Market partner API orders: {\"orders\":"
	    "[...]}, {\"order\":{...}} or JSON lines" },
	{ "wildberries", "Wildberries statistics API orders (grouped by "
	    "gNumber) and marketplace API orders" },
	{ "generic", "any CSV, with a --map file naming its columns" },
};

struct options {
	const char	*format;	/* NULL: auto */
	const char	*map_path;
	struct import_map user_map;
	int		 has_map;
	const char	*encoding;	/* NULL: auto */
	char		 delimiter;	/* 0: sniffed */
	int		 tz, has_tz;
	const char	*currency;
	const char	*country;
	const char	*ship_method;
};

struct totals {
	unsigned long	 rows;		/* data rows read */
	unsigned long	 written, rejected;	/* orders */
	unsigned long	 rows_written, rows_rejected;
	unsigned long	 skipped;	/* footer lines */
};

/* ---- memory for jansson ---- */

/* A record is built and freed value by value: hundreds of small blocks per
 * order, more than malloc(3)'s per-thread cache keeps, so each went through
 * malloc's slow path.  Freed blocks of up to 256 bytes wait here, by size,
 * for the next record.  Each block is still its own malloc(3) block, so a
 * value an order keeps while its rows are apart pins nothing else, and
 * memory stays flat.  ASan builds keep plain malloc, to see every value. */
#ifndef IMPORT_POOL
#if defined(__SANITIZE_ADDRESS__)
#define IMPORT_POOL	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMPORT_POOL	0
#endif
#endif
#endif
#ifndef IMPORT_POOL
#define IMPORT_POOL	1
#endif

#define POOL_CLASSES	16	/* blocks of 16, 32, ..., 256 bytes */
#define POOL_KEEP	1024	/* free blocks kept per class */

union pool_head {
	size_t		 cls;	/* 1..POOL_CLASSES; 0: any size */
	max_align_t	 align;
};

static struct {
	union pool_head	*free;
	size_t		 n;
} pool[POOL_CLASSES];

static void *
pool_alloc(size_t size)
{
	size_t cls = size <= POOL_CLASSES * 16 ? (size + 15) / 16 : 0;
	union pool_head *h;

	if (cls > 0 && (h = pool[cls - 1].free) != NULL) {
		pool[cls - 1].free = *(union pool_head **)(h + 1);
		pool[cls - 1].n--;
		return h + 1;
	}
	if ((h = malloc(sizeof(*h) + (cls > 0 ? cls * 16 : size))) == NULL)
		return NULL;
	h->cls = cls;
	return h + 1;
}

static void
pool_free(void *p)
{
	union pool_head *h;

	if (p == NULL)
		return;
	h = (union pool_head *)p - 1;
	if (h->cls > 0 && pool[h->cls - 1].n < POOL_KEEP) {
		*(union pool_head **)p = pool[h->cls - 1].free;
		pool[h->cls - 1].free = h;
		pool[h->cls - 1].n++;
		return;
	}
	free(h);
}

static void
pool_release(void)
{
	union pool_head *h;
	size_t i;

	for (i = 0; i < POOL_CLASSES; i++) {
		while ((h = pool[i].free) != NULL) {
			pool[i].free = *(union pool_head **)(h + 1);
			free(h);
		}
		pool[i].n = 0;
	}
}

/* ---- the current input ---- */

struct input {
	FILE		*fp;
	const char	*name;		/* for messages: the operand */
	char		*sniff;		/* its first bytes */
	size_t		 nsniff;
};

#define SNIFF_SIZE	65536

/* Open path (or standard input for "-"), as a seekable stream: a pipe is
 * copied to a temporary file first, since a CSV is read more than once. */
static int
input_open(struct input *in, const char *path)
{
	struct stat st;
	FILE *fp, *tmp;
	char buf[65536];
	size_t n;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0) {
		fp = stdin;
		in->name = "<stdin>";
	} else if ((fp = fopen(path, "r")) == NULL) {
		warn("cannot open '%s'", path);
		return EX_NOINPUT;
	} else
		in->name = path;
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("cannot read '%s': Is a directory", path);
		if (fp != stdin)
			fclose(fp);
		return EX_NOINPUT;
	}
	if (!S_ISREG(st.st_mode) || fseeko(fp, 0, SEEK_SET) == -1) {
		if ((tmp = tmpfile()) == NULL)
			err(EX_CANTCREAT, "cannot create a temporary file");
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			if (fwrite(buf, 1, n, tmp) != n)
				err(EX_IOERR, "cannot write a temporary file");
		if (ferror(fp)) {
			warn("cannot read '%s'", in->name);
			fclose(tmp);
			if (fp != stdin)
				fclose(fp);
			return EX_IOERR;
		}
		if (fp != stdin)
			fclose(fp);
		fp = tmp;
		rewind(fp);
	}
	in->fp = fp;
	in->sniff = xmalloc(SNIFF_SIZE + 1);
	in->nsniff = fread(in->sniff, 1, SNIFF_SIZE, fp);
	in->sniff[in->nsniff] = '\0';
	if (ferror(fp)) {
		warn("cannot read '%s'", in->name);
		return EX_IOERR;
	}
	rewind(fp);
	return 0;
}

static int
input_close(struct input *in)
{
	int bad = ferror(in->fp);

	if (bad)
		warn("cannot read '%s'", in->name);
	if (in->fp != stdin)
		fclose(in->fp);
	free(in->sniff);
	in->fp = NULL;
	return bad ? EX_IOERR : 0;
}

/* The first byte of the input that is not white space or a BOM. */
static int
first_byte(const struct input *in)
{
	size_t i = 0;

	if (in->nsniff >= 3 && memcmp(in->sniff, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < in->nsniff; i++)
		if (strchr(" \t\r\n", in->sniff[i]) == NULL)
			return (unsigned char)in->sniff[i];
	return -1;
}

/* The delimiter of the first line with a letter or digit in it: the one of
 * ',', ';' and tab it holds most of outside quotes. */
static char
sniff_delimiter(const struct input *in)
{
	const char *p = in->sniff, *end = in->sniff + in->nsniff;
	int counts[3], text, quoted;

	while (p < end) {
		counts[0] = counts[1] = counts[2] = 0;
		text = quoted = 0;
		for (; p < end && (quoted || *p != '\n'); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (quoted)
				continue;
			else if (*p == ',')
				counts[0]++;
			else if (*p == ';')
				counts[1]++;
			else if (*p == '\t')
				counts[2]++;
			else if ((unsigned char)*p >= 0x80 ||
			    (*p >= '0' && *p <= '9') ||
			    ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
				text = 1;
		}
		p++;
		if (!text)
			continue;
		if (counts[2] > counts[0] && counts[2] >= counts[1])
			return '\t';
		if (counts[1] > counts[0])
			return ';';
		return ',';
	}
	return ',';
}


/* ---- CSV rows ---- */

/* A row's fields decoded to UTF-8 and trimmed. */
struct row {
	char		**fields;
	size_t		 nfields, cap;
	char		*arena;		/* decoded copies */
	size_t		 arenacap;
	int		 bad_encoding;	/* a field was not in the encoding */
};

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

static void
decode_row(struct row *r, struct csvread_row *raw, struct charset *cs)
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

static void
row_release(struct row *r)
{
	free(r->fields);
	free(r->arena);
	memset(r, 0, sizeof(*r));
}

/* Read a row's bytes back from the input for a reject, without moving
 * the stream the rows come from, and decode them. */
struct rawback {
	FILE		*fp;
	struct charset	*cs;
};

static char *
raw_back(void *arg, long long off, size_t len, size_t *lenp)
{
	struct rawback *b = arg;
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

static int
blank_row(const struct csvread_row *raw)
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
static int
footer_row(const struct row *r)
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
	 * the days it covers: "from", a date, "to", a date. */
	p = f + strspn(f, "0123456789");
	if (p == f || last > 4)
		return 0;
	if (*p == '\0')
		return r->nfields > 1 && footer_count_words(r->fields[1]);
	return (*p == ' ' || *p == '\t') && footer_count_words(p);
}

/* ---- grouping: which orders' rows are not adjacent ---- */

/* A row's group key as the pre-pass and the reader thread see it: its
 * bytes as read, before any decoding, hashed; never 0, which is no key. */
static uint64_t
hash_key(const char *s, size_t len)
{
	return strmap_hash(s, len) | 1;
}

/* The keys seen in more than one run of rows, with the row each one's last
 * run ends on.  A fixed Bloom filter finds them in one pass, so memory
 * grows only with orders whose rows are apart; the map of those is keyed
 * by the bytes of the 64-bit hash. */
#define BLOOM_BITS	(1UL << 24)

struct scatter {
	unsigned char	*bloom;
	struct strmap	 last;
};

static void
scatter_init(struct scatter *s)
{
	s->bloom = xcalloc(BLOOM_BITS / 8, 1);
	strmap_init(&s->last);
}

static void
scatter_release(struct scatter *s)
{
	free(s->bloom);
	strmap_release(&s->last);
}

static int
bloom_test_set(struct scatter *s, uint64_t h)
{
	uint64_t bits[3] = { h, h >> 21, (h >> 42) ^ (h * 31) };
	int i, seen = 1;

	for (i = 0; i < 3; i++) {
		uint64_t b = bits[i] & (BLOOM_BITS - 1);

		if (!(s->bloom[b / 8] & (1 << (b % 8)))) {
			seen = 0;
			s->bloom[b / 8] |= 1 << (b % 8);
		}
	}
	return seen;
}

/* The last row of the key hashed h, added (as 0) when add is set; NULL
 * when it is not there. */
static unsigned long *
scatter_slot(struct scatter *s, uint64_t h, int add)
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

struct prepass {
	struct scatter	*scatter;
	struct charset_guess *guess;
	const long	*group_col;
	size_t		 ngroup;
	unsigned long	 header_row;	/* rows up to it are not data */
	unsigned long	 row;		/* rows so far, as csvread counts */
	size_t		 field;		/* fields so far in this row */
	int		 empty;		/* the row is one empty field */
	uint64_t	 key[4];	/* per group column, 0: empty */
	uint64_t	 prev;		/* the previous row's key */
	int		 flagged;	/* the current run is scattered */
	/* the scanner's state, kept from one buffer to the next */
	unsigned char	 delim;
	int		 state, quoted, keep;
	size_t		 spaces;
	char		*text;		/* the kept field's text */
	size_t		 len, cap;
	unsigned char	 stop[256];	/* ends an unquoted field */
};

/* Whether field i of a row is one whose text the pass needs. */
static int
pre_keeps(const struct prepass *p, size_t i)
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
pre_char(struct prepass *p, unsigned char c)
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
pre_field(struct prepass *p)
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
		p->key[i] = len > 0 ? hash_key(f, len) : 0;
	}
	p->field++;
	p->state = PRE_FIELD;
	p->len = p->spaces = 0;
	p->quoted = 0;
	p->keep = pre_keeps(p, p->field);
}

static void
pre_row(struct prepass *p)
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
	if (p->flagged && (last = scatter_slot(p->scatter, h, 1)) != NULL)
		*last = p->row;
}

static void
pre_scan(struct prepass *p, const unsigned char *s, size_t n)
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
pre_finish(struct prepass *p)
{
	if (p->state == PRE_MAYBE_END)
		p->len -= p->spaces + 1;
	if (p->state != PRE_ROW) {
		pre_field(p);
		pre_row(p);
	}
}

static int
prepass(FILE *fp, char delim, struct prepass *p)
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

/* ---- rows read ahead on a second thread ---- */

/* Parsing and decoding the CSV is a third of an import, building and
 * writing the records the rest; with two cores the reader thread does the
 * first while the main thread does the second.  Rows go over in batches
 * through a ring of a few, which the reader refills: memory stays flat,
 * and the rows arrive in their order, so the records do too. */
#define AHEAD_ROWS	128		/* rows per batch */
#define AHEAD_BATCHES	4

/* A row as the import loop needs it: decoded, trimmed, its key found. */
struct ahead_row {
	unsigned long	 n;		/* as csvread_next() counts them */
	unsigned long	 line;
	long long	 off;		/* its bytes in the file */
	size_t		 len;
	size_t		 first, nfields; /* its fields in the batch */
	uint64_t	 hash;		/* of its group key; 0: none */
	long		 keycol;	/* the column of the key */
	int		 blank;		/* no text at all: not decoded */
	int		 bad_encoding;
};

struct ahead_batch {
	struct ahead_row rows[AHEAD_ROWS];
	size_t		 nrows;
	char		*text;		/* the fields, each NUL-terminated */
	size_t		 used, cap;
	size_t		*offs;		/* per field: its place in text */
	size_t		 nfields, capfields;
};

struct ahead {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled, emptied;
	struct ahead_batch batch[AHEAD_BATCHES];
	size_t		 head, count;	/* full: head .. head + count - 1 */
	int		 done;		/* no batch will follow */
	/* the reader thread's own */
	struct csvread	 reader;
	struct row	 row;
	struct charset	*cs;
	const struct import_map *map;
	unsigned long	 n;
	int		 error;		/* the reader's, once done */
};

/* The key of a row: the first group column with a value, as its bytes
 * were read (spaces, tabs and a CR around it aside). */
static uint64_t
row_key(const struct import_map *map, const struct csvread_row *raw,
    long *col)
{
	const char *f;
	size_t i, fl;
	long c;

	*col = -1;
	for (i = 0; i < map->ngroup; i++) {
		c = map->group_col[i];
		if (c < 0 || (size_t)c >= raw->nfields)
			continue;
		f = raw->fields[c];
		fl = raw->lens[c];
		while (fl > 0 && (*f == ' ' || *f == '\t')) {
			f++;
			fl--;
		}
		while (fl > 0 && (f[fl - 1] == ' ' || f[fl - 1] == '\t' ||
		    f[fl - 1] == '\r'))
			fl--;
		if (fl > 0) {
			*col = c;
			return hash_key(f, fl);
		}
	}
	return 0;
}

/* Copy the row read last into batch b. */
static void
ahead_add(struct ahead *a, struct ahead_batch *b, struct csvread_row *raw)
{
	struct ahead_row *ar = &b->rows[b->nrows++];
	size_t i, len;

	ar->n = ++a->n;
	ar->line = raw->line;
	ar->off = raw->off;
	ar->len = raw->len;
	ar->first = b->nfields;
	ar->nfields = 0;
	ar->hash = 0;
	ar->keycol = -1;
	ar->bad_encoding = 0;
	if ((ar->blank = blank_row(raw)))
		return;
	decode_row(&a->row, raw, a->cs);
	ar->bad_encoding = a->row.bad_encoding;
	ar->hash = row_key(a->map, raw, &ar->keycol);
	ar->nfields = a->row.nfields;
	if (b->nfields + ar->nfields > b->capfields) {
		b->capfields = (b->nfields + ar->nfields) * 2;
		b->offs = xrealloc(b->offs, b->capfields * sizeof(*b->offs));
	}
	for (i = 0; i < ar->nfields; i++) {
		len = strlen(a->row.fields[i]) + 1;
		if (b->used + len > b->cap) {
			b->cap = (b->used + len) * 2;
			b->text = xrealloc(b->text, b->cap);
		}
		memcpy(b->text + b->used, a->row.fields[i], len);
		b->offs[b->nfields++] = b->used;
		b->used += len;
	}
}

static void *
ahead_run(void *arg)
{
	struct ahead *a = arg;
	struct ahead_batch *b;
	struct csvread_row *raw = NULL;

	do {
		pthread_mutex_lock(&a->lock);
		while (a->count == AHEAD_BATCHES)
			pthread_cond_wait(&a->emptied, &a->lock);
		b = &a->batch[(a->head + a->count) % AHEAD_BATCHES];
		pthread_mutex_unlock(&a->lock);
		b->nrows = b->nfields = b->used = 0;
		while (b->nrows < AHEAD_ROWS &&
		    (raw = csvread_next(&a->reader)) != NULL)
			ahead_add(a, b, raw);
		pthread_mutex_lock(&a->lock);
		if (b->nrows > 0)
			a->count++;
		if (raw == NULL) {
			a->error = a->reader.error;
			a->done = 1;
		}
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->lock);
	} while (raw != NULL);
	return NULL;
}

/* Read the rows of fp on a new thread, decoded through cs, their keys the
 * group columns of map.  Neither may change until ahead_finish(). */
static void
ahead_start(struct ahead *a, FILE *fp, char delim, struct charset *cs,
    const struct import_map *map)
{
	int e;

	memset(a, 0, sizeof(*a));
	csvread_init(&a->reader, fp, NULL, delim);
	a->cs = cs;
	a->map = map;
	if ((e = pthread_mutex_init(&a->lock, NULL)) != 0 ||
	    (e = pthread_cond_init(&a->filled, NULL)) != 0 ||
	    (e = pthread_cond_init(&a->emptied, NULL)) != 0 ||
	    (e = pthread_create(&a->thread, NULL, ahead_run, a)) != 0) {
		errno = e;
		err(EX_OSERR, "cannot start a thread");
	}
}

/* The next full batch, the one before it given back; NULL at the end. */
static struct ahead_batch *
ahead_next(struct ahead *a, struct ahead_batch *prev)
{
	struct ahead_batch *b = NULL;

	pthread_mutex_lock(&a->lock);
	if (prev != NULL) {
		a->head = (a->head + 1) % AHEAD_BATCHES;
		a->count--;
		pthread_cond_signal(&a->emptied);
	}
	while (a->count == 0 && !a->done)
		pthread_cond_wait(&a->filled, &a->lock);
	if (a->count > 0)
		b = &a->batch[a->head];
	pthread_mutex_unlock(&a->lock);
	return b;
}

/* Wait for the reader (at its end) and free all; its read error, or 0. */
static int
ahead_finish(struct ahead *a)
{
	size_t i;
	int e;

	if ((e = pthread_join(a->thread, NULL)) != 0) {
		errno = e;
		err(EX_OSERR, "cannot join a thread");
	}
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->filled);
	pthread_cond_destroy(&a->emptied);
	for (i = 0; i < AHEAD_BATCHES; i++) {
		free(a->batch[i].text);
		free(a->batch[i].offs);
	}
	csvread_release(&a->reader);
	row_release(&a->row);
	return a->error;
}

/* ---- the run over one input ---- */

struct run {
	struct options	*opt;
	struct cli	*cli;
	struct reject_stream *rejects;
	struct totals	*totals;
	struct import_ctx ctx;
	int		 status;
	/* Orders waiting for rows further down.  Each key ever held has a
	 * slot, NULL while its order is not held: a re-sorted export takes
	 * and puts back an order per row, so the key is looked up, not
	 * searched for. */
	struct strmap	 heldkeys;	/* key -> slot */
	struct import_order **held;
	size_t		 nheld, capheld;	/* slots */
	size_t		 holding;	/* slots not NULL */
	char		*buf;		/* a record's text */
	size_t		 cap;
};

static void
emit(struct run *r, struct import_order *o)
{
	json_t *reject;
	size_t len = 0;

	if (import_order_finish(o, &r->buf, &r->cap, &len, &reject) == 0) {
		fwrite(r->buf, 1, len, stdout);
		r->totals->written++;
		r->totals->rows_written += o->nrows;
	} else {
		reject_write(r->rejects, reject, o->errors);
		json_decref(reject);
		r->totals->rejected++;
		r->totals->rows_rejected += o->nrows;
	}
	import_order_free(o);
}

static struct import_order *
held_take(struct run *r, const char *key)
{
	struct import_order *o;
	unsigned long *slot;

	if (r->holding == 0 ||
	    (slot = strmap_find(&r->heldkeys, key, strlen(key))) == NULL ||
	    (o = r->held[*slot]) == NULL)
		return NULL;
	r->held[*slot] = NULL;
	r->holding--;
	return o;
}

static void
held_put(struct run *r, struct import_order *o)
{
	unsigned long slot;

	/* A second order of a key already held (orders without an id) gets
	 * a slot of its own, which only held_flush() sees. */
	if (strmap_add(&r->heldkeys, o->key, strlen(o->key), r->nheld,
	    &slot) || r->held[slot] != NULL) {
		if (r->nheld == r->capheld) {
			r->capheld = r->capheld ? r->capheld * 2 : 16;
			r->held = xrealloc(r->held,
			    r->capheld * sizeof(*r->held));
		}
		slot = r->nheld++;
	}
	r->held[slot] = o;
	r->holding++;
}

/* Held orders go out in the order of their last rows; orders that end
 * on the same line (positions of a JSON array on one line) in the order
 * they were first held. */
struct held_order {
	struct import_order *o;
	size_t		 slot;
};

static int
by_last_line(const void *a, const void *b)
{
	const struct held_order *x = a, *y = b;

	if (x->o->last != y->o->last)
		return x->o->last < y->o->last ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static void
held_flush(struct run *r)
{
	struct held_order *list;
	size_t i, n = 0;

	list = xmalloc((r->holding + 1) * sizeof(*list));
	for (i = 0; i < r->nheld; i++)
		if (r->held[i] != NULL) {
			list[n].o = r->held[i];
			list[n++].slot = i;
		}
	if (n > 1)
		qsort(list, n, sizeof(*list), by_last_line);
	for (i = 0; i < n; i++)
		emit(r, list[i].o);
	free(list);
	strmap_release(&r->heldkeys);
	r->nheld = r->holding = 0;
}

/* Find the header in the first rows and the layout it fits.  Returns the
 * header's row number (counted as csvread counts), 0 when none fits. */
#define HEADER_ROWS	30

struct layout_choice {
	struct import_map	 maps[16];
	size_t			 nmaps;
	struct import_map	*chosen;
	char			 closest[64];	/* for the message */
	char			 missing[1024];
	int			 nmissing;
};

static unsigned long
find_header(FILE *fp, const char *name, char delim, struct charset *cs,
    struct layout_choice *lc)
{
	struct csvread reader;
	struct csvread_row *raw;
	struct row row = { 0 };
	char missing[1024];
	unsigned long n = 0, found = 0;
	size_t i, nonempty, k;
	int m;

	lc->nmissing = -1;
	rewind(fp);
	csvread_init(&reader, fp, name, delim);
	while (found == 0 && n < HEADER_ROWS &&
	    (raw = csvread_next(&reader)) != NULL) {
		n++;
		decode_row(&row, raw, cs);
		for (i = nonempty = 0; i < row.nfields; i++)
			if (row.fields[i][0] != '\0')
				nonempty++;
		if (nonempty < 2)
			continue;
		for (k = 0; k < lc->nmaps; k++) {
			m = import_map_bind(&lc->maps[k], row.fields,
			    row.nfields, missing, sizeof(missing));
			if (m == 0) {
				lc->chosen = &lc->maps[k];
				found = n;
				break;
			}
			if (lc->nmissing < 0 || m < lc->nmissing) {
				lc->nmissing = m;
				snprintf(lc->closest, sizeof(lc->closest),
				    "%s", lc->maps[k].source);
				snprintf(lc->missing, sizeof(lc->missing),
				    "%s", missing);
			}
		}
	}
	csvread_release(&reader);
	row_release(&row);
	rewind(fp);
	(void)name;
	return found;
}

static void
load_layouts(struct layout_choice *lc, const struct options *opt)
{
	const char *text;
	char errbuf[256];
	size_t i;

	memset(lc, 0, sizeof(*lc));
	if (opt->has_map) {
		lc->maps[0] = opt->user_map;	/* a shallow copy: not freed */
		lc->maps[0].used = NULL;
		lc->nmaps = 1;
		return;
	}
	for (i = 0; (text = import_builtin(i)) != NULL; i++) {
		if (import_map_parse(&lc->maps[lc->nmaps], text, "builtin",
		    errbuf, sizeof(errbuf)) == -1)
			errx(EX_SOFTWARE, "%s", errbuf);
		if (opt->format != NULL &&
		    strcmp(lc->maps[lc->nmaps].source, opt->format) != 0) {
			import_map_release(&lc->maps[lc->nmaps]);
			continue;
		}
		lc->nmaps++;
	}
}

static void
release_layouts(struct layout_choice *lc, const struct options *opt)
{
	size_t i;

	if (opt->has_map) {
		free(lc->maps[0].used);
		return;
	}
	for (i = 0; i < lc->nmaps; i++)
		import_map_release(&lc->maps[i]);
}

/* Apply the map to one decoded row of order o. */
static void
apply_row(struct import_order *o, const struct import_map *map,
    struct row *row, char *const *header, unsigned long line)
{
	const struct import_rule *rule;
	struct import_item *it = NULL;
	const char *val;
	json_t *old;
	size_t i;
	int has_item = 0, named = 0;

	for (i = 0; i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->field != IMPORT_ITEM_SKU &&
		    rule->field != IMPORT_ITEM_NAME)
			continue;
		if (rule->col >= 0 || rule->op == IMPORT_CONST)
			named = 1;
		if (rule->col >= 0 && (size_t)rule->col < row->nfields &&
		    row->fields[rule->col][0] != '\0')
			has_item = 1;
	}
	for (i = 0; !named && i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->field >= IMPORT_ITEM_ID &&
		    rule->field < IMPORT_ITEM_OPTION && rule->col >= 0 &&
		    (size_t)rule->col < row->nfields &&
		    row->fields[rule->col][0] != '\0')
			has_item = 1;
	}
	if (has_item)
		it = import_item_add(o, line);
	for (i = 0; i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->op == IMPORT_CONST)
			val = rule->column;
		else if (rule->col >= 0 && (size_t)rule->col < row->nfields)
			val = row->fields[rule->col];
		else
			continue;
		if (*val == '\0')
			continue;
		if (rule->field < IMPORT_NORDER)
			import_order_set(o, rule->field, rule->op, val, line);
		else if (rule->field == IMPORT_ITEM_OPTION) {
			if (it != NULL)
				import_item_option(it, rule->name, val);
		} else if (rule->field == IMPORT_ITEM_EXTRA) {
			if (it != NULL)
				import_item_extra(it, rule->name,
				    jsonl_string_lossy(val, strlen(val)));
		} else if (rule->field == IMPORT_EXTRA) {
			if (o->extra == NULL ||
			    json_object_get(o->extra, rule->name) == NULL)
				import_order_extra(o, rule->name,
				    jsonl_string_lossy(val, strlen(val)));
		} else if (rule->field < IMPORT_ITEM_OPTION) {
			if (it != NULL)
				import_item_set(it, rule->field, val, line);
		}
	}
	/* The columns no rule names: under extra, the order's first value,
	 * an item's own when it differs. */
	for (i = 0; i < row->nfields && i < (size_t)map->ncolumns; i++) {
		if (map->used[i] || row->fields[i][0] == '\0' ||
		    header[i][0] == '\0')
			continue;
		old = o->extra ? json_object_get(o->extra, header[i]) : NULL;
		if (old == NULL)
			import_order_extra(o, header[i],
			    json_stringn_nocheck(row->fields[i],
			    strlen(row->fields[i])));
		else if (it != NULL && strcmp(json_string_value(old),
		    row->fields[i]) != 0)
			import_item_extra(it, header[i],
			    json_stringn_nocheck(row->fields[i],
			    strlen(row->fields[i])));
	}
}

static void
stats_line(const struct run *r, const char *name, const char *format,
    const char *encoding, char delim, const struct totals *t)
{
	if (!r->cli->stats)
		return;
	fprintf(stderr, "order-import: '%s': format %s, encoding %s, "
	    "delimiter %s; %lu rows read; %lu orders written (%lu rows), "
	    "%lu orders rejected (%lu rows)", name, format, encoding,
	    delim == '\t' ? "tab" : delim == ',' ? "','" : delim == ';' ?
	    "';'" : delim == 0 ? "none" : "other", t->rows, t->written,
	    t->rows_written, t->rejected, t->rows_rejected);
	if (t->skipped > 0)
		fprintf(stderr, "; %lu footer lines skipped", t->skipped);
	fputc('\n', stderr);
}

/* Add a data row to the order it belongs to, which becomes *curp: a row
 * of another key emits the order before it, or holds it when its rows go
 * on further down. */
static void
import_row(struct run *r, const struct import_map *map,
    const struct charset *cs, struct row *row, const struct ahead_row *ar,
    char *const *names, size_t ncolumns, struct scatter *scatter,
    struct import_order **curp, uint64_t *cur_hp)
{
	struct import_order *cur = *curp;
	const char *key;
	unsigned long *last;
	size_t i;

	if (map->footers && footer_row(row)) {
		r->totals->skipped++;
		return;
	}
	r->totals->rows++;
	key = ar->hash != 0 ? row->fields[ar->keycol] : "";
	if (cur == NULL || ar->hash == 0 || ar->hash != *cur_hp ||
	    strcmp(cur->key, key) != 0) {
		if (cur != NULL) {
			last = *cur_hp ? scatter_slot(scatter, *cur_hp, 0) :
			    NULL;
			if (last != NULL && *last > ar->n - 1)
				held_put(r, cur);
			else
				emit(r, cur);
		}
		cur = ar->hash ? held_take(r, key) : NULL;
		if (cur == NULL)
			cur = import_order_new(&r->ctx, key, strlen(key));
		*curp = cur;
		*cur_hp = ar->hash;
	}
	import_order_rowat(cur, ar->line, ar->off, ar->len);
	cur->last = ar->n;
	if (row->bad_encoding)
		import_order_error(cur, "bad_encoding", NULL,
		    "line %lu: text that is not %s (try --encoding)",
		    ar->line, cs->name);
	if (row->nfields < ncolumns)
		import_order_error(cur, "bad_row", NULL, "line %lu: "
		    "%zu fields where the header has %zu (a row cut "
		    "short?)", ar->line, row->nfields, ncolumns);
	else if (row->nfields > ncolumns) {
		for (i = ncolumns; i < row->nfields; i++)
			if (row->fields[i][0] != '\0')
				break;
		if (i < row->nfields)
			import_order_error(cur, "bad_row", NULL,
			    "line %lu: %zu fields where the header "
			    "has %zu", ar->line, row->nfields, ncolumns);
	}
	apply_row(cur, map, row, names, ar->line);
}

static int
import_csv(struct run *r, struct input *in)
{
	struct options *opt = r->opt;
	struct layout_choice lc;
	struct charset cs;
	struct charset_guess guess;
	struct scatter scatter;
	struct prepass pp;
	struct ahead ahead;
	struct ahead_batch *batch;
	const struct ahead_row *ar;
	struct row row = { 0 };		/* a batch's row: its fields */
	struct import_map *map;
	struct import_order *cur = NULL;
	struct totals before = *r->totals, t;
	const char *encoding;
	char **names = NULL;
	struct charset backcs;
	struct rawback back = { in->fp, NULL };
	char delim;
	unsigned long hrow, n;
	size_t i, b, ncolumns = 0;
	uint64_t cur_h = 0;
	int status = 0, tries;

	load_layouts(&lc, opt);
	delim = opt->delimiter ? opt->delimiter :
	    opt->has_map && opt->user_map.delimiter ? opt->user_map.delimiter :
	    sniff_delimiter(in);
	encoding = opt->encoding ? opt->encoding :
	    opt->has_map && opt->user_map.encoding ? opt->user_map.encoding :
	    NULL;
	if (encoding == NULL) {
		charset_guess_init(&guess);
		charset_guess_feed(&guess, in->sniff, in->nsniff);
		encoding = charset_guess_result(&guess);
	}
	scatter_init(&scatter);
	for (tries = 0; ; tries++) {
		if (charset_open(&cs, encoding) == -1) {
			warnx("unknown encoding '%s'", encoding);
			status = EX_USAGE;
			goto out;
		}
		hrow = find_header(in->fp, in->name, delim, &cs, &lc);
		if (hrow == 0) {
			if (first_byte(in) == -1)
				warnx("'%s' is empty: no header line", in->name);
			else if (opt->has_map)
				warnx("'%s' does not fit the map '%s': the "
				    "header lacks %s", in->name, opt->map_path,
				    lc.missing);
			else if (opt->format != NULL)
				warnx("'%s' is no %s export: the header "
				    "lacks %s", in->name, opt->format,
				    lc.missing);
			else if (lc.nmissing >= 0)
				warnx("'%s': no known format fits; the closest "
				    "is %s, whose columns %s are missing",
				    in->name, lc.closest, lc.missing);
			else
				warnx("'%s': no known format fits: no header "
				    "line found", in->name);
			charset_close(&cs);
			status = EX_DATAERR;
			goto out;
		}
		map = lc.chosen;
		memset(&pp, 0, sizeof(pp));
		pp.scatter = &scatter;
		pp.group_col = map->group_col;
		pp.ngroup = map->ngroup;
		pp.header_row = hrow;
		charset_guess_init(&guess);
		pp.guess = opt->encoding || (opt->has_map &&
		    opt->user_map.encoding) ? NULL : &guess;
		if (prepass(in->fp, delim, &pp) == -1) {
			charset_close(&cs);
			status = EX_IOERR;
			goto out;
		}
		if (pp.guess == NULL || tries > 0 ||
		    strcmp(charset_guess_result(&guess), cs.name) == 0)
			break;
		/* The file's later bytes tell another encoding. */
		encoding = charset_guess_result(&guess);
		charset_close(&cs);
		scatter_release(&scatter);
		scatter_init(&scatter);
	}
	r->ctx.source = map->source;
	r->ctx.dates = map->dates;
	r->ctx.ndates = map->ndates;
	r->ctx.decimal = map->decimal;
	r->ctx.zone = map->zone;
	r->ctx.has_zone = map->has_zone;
	r->ctx.tax_added_in = map->tax_added_in;
	r->ctx.raw = raw_back;
	r->ctx.raw_arg = &back;
	r->ctx.no_prices = 1;
	for (i = 0; i < map->nrules; i++)
		if ((map->rules[i].field == IMPORT_ITEM_PRICE ||
		    map->rules[i].field == IMPORT_ITEM_LINE_TOTAL) &&
		    (map->rules[i].col >= 0 || map->rules[i].op == IMPORT_CONST))
			r->ctx.no_prices = 0;

	/* Rejects read their rows back through a charset of their own: the
	 * reader thread's is busy. */
	if (charset_open(&backcs, cs.name) == -1)
		errx(EX_SOFTWARE, "cannot reopen encoding '%s'", cs.name);
	back.cs = &backcs;
	ahead_start(&ahead, in->fp, delim, &cs, map);
	for (batch = NULL; (batch = ahead_next(&ahead, batch)) != NULL; ) {
		for (b = 0; b < batch->nrows; b++) {
			ar = &batch->rows[b];
			n = ar->n;
			if (n < hrow)
				continue;
			if (row.cap < ar->nfields) {
				row.cap = ar->nfields;
				row.fields = xrealloc(row.fields,
				    row.cap * sizeof(*row.fields));
			}
			for (i = 0; i < ar->nfields; i++)
				row.fields[i] = batch->text +
				    batch->offs[ar->first + i];
			row.nfields = ar->nfields;
			row.bad_encoding = ar->bad_encoding;
			if (n == hrow) {
				ncolumns = row.nfields;
				names = xcalloc(ncolumns + 1, sizeof(*names));
				for (i = 0; i < ncolumns; i++)
					names[i] = xstrdup(row.fields[i]);
				continue;
			}
			if (ar->blank)
				continue;
			import_row(r, map, &cs, &row, ar, names, ncolumns,
			    &scatter, &cur, &cur_h);
		}
	}
	if (cur != NULL)
		emit(r, cur);
	held_flush(r);
	if (ahead_finish(&ahead) != 0)
		status = EX_IOERR;
	free(row.fields);
	charset_close(&backcs);
	t = *r->totals;
	t.rows -= before.rows;
	t.written -= before.written;
	t.rejected -= before.rejected;
	t.rows_written -= before.rows_written;
	t.rows_rejected -= before.rows_rejected;
	t.skipped -= before.skipped;
	stats_line(r, in->name, map->layout, cs.name, delim, &t);
	r->ctx.raw = NULL;
	charset_close(&cs);
	if (names != NULL)
		for (i = 0; i < ncolumns; i++)
			free(names[i]);
	free(names);
out:
	scatter_release(&scatter);
	release_layouts(&lc, opt);
	return status;
}

/* ---- JSON ---- */

/* The next top-level JSON value of fp: the elements of a top-level array,
 * or the values one after another (JSON lines).  Its text in *bufp (of
 * *capp bytes), its length in *lenp, its first line in *linep; 0 at the
 * end. */
struct jsonsplit {
	FILE		*fp;
	unsigned long	 line;		/* lines seen */
	int		 in_array;
	int		 started;	/* past a BOM */
	int		 lines;		/* JSON lines: -1 not known yet */
	int		 cut;		/* the value ended with the input */
};

static int
json_next(struct jsonsplit *js, char **bufp, size_t *capp, size_t *lenp,
    unsigned long *linep)
{
	size_t len = 0;
	int c, depth = 0, in_string = 0, escape = 0, scalar = 0, newline = 0;

	if (!js->started) {
		js->started = 1;
		if ((c = getc(js->fp)) == 0xef) {
			if (getc(js->fp) != 0xbb || getc(js->fp) != 0xbf)
				rewind(js->fp);
		} else if (c != EOF)
			ungetc(c, js->fp);
	}
	for (;;) {
		if ((c = getc(js->fp)) == EOF)
			break;
		if (c == '\n')
			js->line++;
		if (len == 0 && depth == 0 && !scalar) {
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
			    (js->in_array && c == ','))
				continue;
			if (c == '[' && !js->in_array) {
				js->in_array = 1;
				continue;
			}
			if (c == ']' && js->in_array) {
				js->in_array = 0;
				continue;
			}
			*linep = js->line + 1 - (c == '\n');
			if (c != '{' && c != '[')
				scalar = 1;
		}
		if (len + 2 > *capp) {
			*capp = *capp ? *capp * 2 : 4096;
			*bufp = xrealloc(*bufp, *capp);
		}
		if (scalar && !in_string && (c == '\n' || (js->in_array &&
		    (c == ',' || c == ']')))) {
			if (c == ']')
				js->in_array = 0;
			break;
		}
		if (c == '\n') {
			/* In JSON lines a line is a value, whole or not: a
			 * broken one must not swallow the lines after it. */
			if (js->lines == 1 && !js->in_array)
				break;
			newline = 1;
		}
		(*bufp)[len++] = c;
		if (in_string) {
			if (escape)
				escape = 0;
			else if (c == '\\')
				escape = 1;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0 && !scalar)
			break;
	}
	if (len == 0)
		return 0;
	js->cut = c == EOF && !scalar && (depth > 0 || in_string);
	if (js->lines == -1 && !js->in_array)
		js->lines = !newline;
	(*bufp)[len] = '\0';
	*lenp = len;
	return 1;
}

/* The part of a value cut short that json_mend() took off. */
struct jsoncut {
	char		*text;		/* NULL: none */
	size_t		 len;
	unsigned long	 line;		/* where it starts */
	unsigned long	 endline;	/* where the input ends */
	long long	 end;		/* ... its byte offset */
	size_t		 kept;		/* whole values before it */
};

/* Whether an array under the keys key[0..n-1] (each an object's member)
 * holds the orders of an API response, as import_json_unwrap() finds
 * them. */
static int
json_orders_path(const char (*key)[16], size_t n)
{
	if (n == 1)
		return strcmp(key[0], "result") == 0 ||
		    strcmp(key[0], "postings") == 0 ||
		    strcmp(key[0], "orders") == 0;
	return n == 2 && strcmp(key[0], "result") == 0 &&
	    (strcmp(key[1], "postings") == 0 || strcmp(key[1], "orders") == 0);
}

/* A response cut short ({"result":{"postings":[{...},{...},{"posting_nu)
 * loses only the order it was cut in: the text up to the last whole
 * value of its orders array, closed, replaces it in *bufp, and the rest
 * goes to cut (its end left to the caller).  Nothing changes (cut->text
 * NULL) when the cut is not inside or after such an array. */
#define JSON_MEND_DEPTH	64

static void
json_mend(char **bufp, size_t *capp, size_t *lenp, unsigned long line,
    struct jsoncut *cut)
{
	char *buf = *bufp, open[JSON_MEND_DEPTH];
	char key[JSON_MEND_DEPTH][16];	/* each object's latest key */
	size_t len = *lenp, i, k, depth = 0, list = 0, keep = 0, start = 0;
	size_t kstart = 0, kept = 0;
	unsigned long l = line;
	int in_string = 0, escape = 0, want_key = 0, is_key = 0, closed = 0;
	char c;

	memset(cut, 0, sizeof(*cut));
	for (i = 0; i < len; i++) {
		c = buf[i];
		if (c == '\n')
			l++;
		if (in_string) {
			if (escape)
				escape = 0;
			else if (c == '\\')
				escape = 1;
			else if (c == '"') {
				in_string = 0;
				if (is_key)
					snprintf(key[depth - 1], sizeof(key[0]),
					    "%.*s", (int)(i - kstart),
					    buf + kstart);
			}
			continue;
		}
		if (list > 0 && !closed && depth == list && start == 0 &&
		    c != '\0' && strchr(" \t\r\n,]", c) == NULL)
			start = i;		/* a value of the list begins */
		switch (c) {
		case '"':
			in_string = 1;
			is_key = want_key && depth > 0;
			kstart = i + 1;
			break;
		case '{':
		case '[':
			if (depth == JSON_MEND_DEPTH)
				return;
			if (c == '[' && list == 0 &&
			    json_orders_path((const char (*)[16])key, depth)) {
				for (k = 0; k < depth && open[k] == '{'; k++)
					;
				list = k == depth ? depth + 1 : 0;
				keep = i + 1;
			}
			open[depth] = c;
			key[depth][0] = '\0';
			depth++;
			want_key = c == '{';
			break;
		case '}':
		case ']':
			if (depth == 0)
				return;
			if (depth == list && !closed) {
				if (start > 0)
					kept++;	/* a scalar before the end */
				keep = i + 1;
				closed = 1;
			}
			depth--;
			want_key = 0;
			if (depth == list && !closed) {
				keep = i + 1;	/* a whole value */
				kept++;
				start = 0;
			}
			break;
		case ',':
			if (depth == list && !closed && start > 0) {
				keep = i;	/* a whole scalar */
				kept++;
				start = 0;
			}
			want_key = depth > 0 && open[depth - 1] == '{';
			break;
		case ':':
			want_key = 0;
			break;
		}
	}
	if (list == 0 || depth == 0)
		return;
	/* What follows the last whole value: the value cut short. */
	for (i = keep; i < len && buf[i] != '\0' &&
	    strchr(" \t\r\n,", buf[i]) != NULL; i++)
		;
	cut->line = line;
	for (start = 0; start < i; start++)
		if (buf[start] == '\n')
			cut->line++;
	cut->endline = l;
	cut->kept = kept;
	cut->len = len - i;
	cut->text = xmalloc(cut->len + 1);
	memcpy(cut->text, buf + i, cut->len);
	cut->text[cut->len] = '\0';
	/* The whole values, then the list closed and the objects around
	 * it. */
	len = keep;
	if (len + list + 2 > *capp) {
		*capp = len + list + 2;
		*bufp = buf = xrealloc(buf, *capp);
	}
	if (!closed)
		buf[len++] = ']';
	for (i = list - 1; i > 0; i--)
		buf[len++] = '}';
	buf[len] = '\0';
	*lenp = len;
}

static void
json_object_to_order(struct run *r, const json_t *v, int kind,
    unsigned long line, const char *raw, size_t rawlen)
{
	struct import_order *o;
	char keybuf[64];
	const char *key;

	key = import_json_key(kind, v, keybuf, sizeof(keybuf));
	if (key == NULL)
		key = "";
	r->totals->rows++;
	if (kind == IMPORT_WB_STATS && *key != '\0' &&
	    (o = held_take(r, key)) != NULL) {
		/* positions of one order: held until the end */
	} else
		o = import_order_new(&r->ctx, key, strlen(key));
	import_order_row(o, line, raw, rawlen);
	o->last = line;
	import_json_order(o, kind, v, line);
	if (kind == IMPORT_WB_STATS)
		held_put(r, o);
	else
		emit(r, o);
}

static int
json_format_kind(const char *format)
{
	int k;

	for (k = IMPORT_WOOCOMMERCE; k <= IMPORT_WB_MARKET; k++)
		if (strcmp(import_json_format(k), format) == 0)
			return k;
	return IMPORT_JSON_NONE;
}

static void
json_reject(struct run *r, unsigned long line, const char *raw, size_t len,
    const char *code, const char *message)
{
	reject_line(r->rejects, r->ctx.file, line, raw, len, code, message);
	r->totals->rows++;
	r->totals->rejected++;
	r->totals->rows_rejected++;
}

/* The reject for the part of a value json_mend() took off. */
static void
json_cut_reject(struct run *r, struct jsoncut *cut)
{
	char msg[256];

	if (cut->text == NULL)
		return;
	snprintf(msg, sizeof(msg), "cut short: the input ends at line %lu, "
	    "byte %lld, inside this value; the %zu whole values before it "
	    "are kept", cut->endline, cut->end, cut->kept);
	json_reject(r, cut->line, cut->text, cut->len, "bad_json", msg);
	free(cut->text);
	cut->text = NULL;
}

static int
import_json(struct run *r, struct input *in)
{
	struct jsonsplit js = { in->fp, 0, 0, 0, -1, 0 };
	struct jsoncut cut;
	struct totals before = *r->totals, t;
	json_error_t error;
	json_t *v, *list, *elem;
	char *buf = NULL, *etext = NULL, msg[256];
	size_t cap = 0, len, i, ecap = 0, elen;
	unsigned long line = 0;
	int kind = IMPORT_JSON_NONE, k, want = IMPORT_JSON_NONE, status = 0;
	int seen = 0;

	if (r->opt->format != NULL)
		want = json_format_kind(r->opt->format);
	while (json_next(&js, &buf, &cap, &len, &line)) {
		cut.text = NULL;
		if (js.cut) {
			json_mend(&buf, &cap, &len, line, &cut);
			cut.end = ftello(in->fp);
		}
		if ((v = jsonl_parse(buf, len, JSON_DECODE_ANY, &error)) == NULL) {
			snprintf(msg, sizeof(msg), "not JSON: %s", error.text);
			json_reject(r, line, buf, len, "bad_json", msg);
			json_cut_reject(r, &cut);
			continue;
		}
		list = import_json_unwrap(v);
		if (list == NULL)
			list = v;
		for (i = 0; i < (json_is_array(list) ? json_array_size(list) :
		    1); i++) {
			elem = json_is_array(list) ? json_array_get(list, i) :
			    list;
			k = import_json_kind(elem);
			if (kind == IMPORT_JSON_NONE && k != IMPORT_JSON_NONE &&
			    (want == IMPORT_JSON_NONE ||
			    strcmp(import_json_format(k),
			    import_json_format(want)) == 0)) {
				kind = k;
				import_json_ctx(kind, &r->ctx);
			}
			seen++;
			if (k == IMPORT_JSON_NONE || kind == IMPORT_JSON_NONE ||
			    strcmp(import_json_format(k),
			    import_json_format(kind)) != 0) {
				snprintf(msg, sizeof(msg), "not %s %s order",
				    kind == IMPORT_JSON_NONE && want ==
				    IMPORT_JSON_NONE ? "any known" :
				    import_json_format(kind !=
				    IMPORT_JSON_NONE ? kind : want),
				    "JSON");
				if (json_is_array(list)) {
					elen = 0;
					jsonl_encode(&etext, &ecap, &elen,
					    elem);
					json_reject(r, line, etext, elen,
					    "unknown_object", msg);
				} else
					json_reject(r, line, buf, len,
					    "unknown_object", msg);
				continue;
			}
			if (json_is_array(list)) {
				elen = 0;
				jsonl_encode(&etext, &ecap, &elen, elem);
				json_object_to_order(r, elem, kind, line,
				    etext, elen);
			} else
				json_object_to_order(r, elem, kind, line, buf,
				    len);
		}
		json_decref(v);
		json_cut_reject(r, &cut);
	}
	held_flush(r);
	free(buf);
	free(etext);
	if (seen > 0 && kind == IMPORT_JSON_NONE) {
		if (want != IMPORT_JSON_NONE)
			warnx("'%s' is no %s export: no object has its "
			    "keys", in->name, r->opt->format);
		else
			warnx("'%s': no known format fits: the JSON holds no "
			    "WooCommerce (line_items, number), Ozon "
			    "(posting_number), Yandex Market (items, "
			    "itemsTotal) or Wildberries (gNumber, rid) order",
			    in->name);
		status = EX_DATAERR;
	}
	t = *r->totals;
	t.rows -= before.rows;
	t.written -= before.written;
	t.rejected -= before.rejected;
	t.rows_written -= before.rows_written;
	t.rows_rejected -= before.rows_rejected;
	t.skipped = 0;
	stats_line(r, in->name, kind == IMPORT_JSON_NONE ? "none" :
	    import_json_format(kind), "utf-8", 0, &t);
	return status;
}

/* ---- main ---- */

static int
import_file(struct run *r, const char *path)
{
	struct input in;
	struct totals t;
	int status, fb, json_format;

	if ((status = input_open(&in, path)) != 0)
		return status;
	r->ctx.file = in.name;
	r->ctx.source = NULL;
	r->ctx.dates = NULL;
	r->ctx.ndates = 0;
	r->ctx.decimal = 0;
	r->ctx.has_zone = 0;
	r->ctx.no_prices = 0;
	r->ctx.tax_added_in = NULL;
	fb = first_byte(&in);
	json_format = r->opt->format != NULL &&
	    json_format_kind(r->opt->format) != IMPORT_JSON_NONE;
	if (fb == -1 && in.nsniff < SNIFF_SIZE) {
		/* No export, no rows: nothing to do, as for every program
		 * given no records; not a reject, so not for --strict. */
		warnx("'%s' is empty: nothing to import", in.name);
		memset(&t, 0, sizeof(t));
		stats_line(r, in.name, "none", "utf-8", 0, &t);
	} else if (json_format && fb != '{' && fb != '[') {
		warnx("'%s' is no %s export: it is not JSON", in.name,
		    r->opt->format);
		status = EX_DATAERR;
	} else if (!r->opt->has_map && (fb == '{' || fb == '[') &&
	    (r->opt->format == NULL || json_format))
		status = import_json(r, &in);
	else
		status = import_csv(r, &in);
	if (input_close(&in) != 0 && status == 0)
		status = EX_IOERR;
	return status;
}

static void
list_formats(void)
{
	size_t i;

	for (i = 0; i < sizeof(format_list) / sizeof(format_list[0]); i++)
		printf("%-14s %s\n", format_list[i].name, format_list[i].about);
}

static int
known_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(format_list) / sizeof(format_list[0]); i++)
		if (strcmp(format_list[i].name, name) == 0)
			return 1;
	return 0;
}

static void
read_map(struct options *opt, const struct cli *cli)
{
	FILE *fp;
	char *text = NULL, errbuf[512];
	size_t cap = 0, len = 0, n;

	if ((fp = fileio_read(opt->map_path, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_NOINPUT, "%s", errbuf);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			text = xrealloc(text, cap);
		}
		if ((n = fread(text + len, 1, cap - len - 1, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp))
		err(EX_IOERR, "cannot read '%s'", opt->map_path);
	fclose(fp);
	text[len] = '\0';
	if (import_map_parse(&opt->user_map, text, opt->map_path, errbuf,
	    sizeof(errbuf)) == -1) {
		free(text);
		warnx("%s", errbuf);
		(void)cli;
		exit(EX_CONFIG);
	}
	free(text);
	opt->user_map.user = 1;
	opt->has_map = 1;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { usage_text, NULL, 0, 0 };
	struct options opt;
	struct reject_stream rejects;
	struct totals totals;
	struct run run;
	int ch, i, status = 0, s, list = 0, minutes;
	char up[4];

	if (IMPORT_POOL)
		json_set_alloc_funcs(pool_alloc, pool_free);
	memset(&opt, 0, sizeof(opt));
	memset(&totals, 0, sizeof(totals));
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_COUNTRY:
			if (strlen(optarg) != 2)
				cli_usage_error(&cli, "'%s' is not a country "
				    "code such as RU or DE", optarg);
			up[0] = optarg[0] & ~32;
			up[1] = optarg[1] & ~32;
			up[2] = '\0';
			opt.country = xstrdup(up);
			break;
		case OPT_CURRENCY:
			for (i = 0; i < 3 && optarg[i] != '\0'; i++)
				up[i] = optarg[i] & ~32;
			up[i] = '\0';
			if (strlen(optarg) != 3 || money_currency(up) == NULL)
				cli_usage_error(&cli, "'%s' is not an ISO 4217 "
				    "currency code", optarg);
			opt.currency = money_currency(up)->code;
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, "tab") == 0 ||
			    strcmp(optarg, "\\t") == 0)
				opt.delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"')
				opt.delimiter = optarg[0];
			else
				cli_usage_error(&cli, "'%s' is not a delimiter: "
				    "give one character or 'tab'", optarg);
			break;
		case OPT_ENCODING:
			opt.encoding = strcmp(optarg, "auto") == 0 ? NULL :
			    optarg;
			if (opt.encoding != NULL) {
				struct charset cs;

				if (charset_open(&cs, optarg) == -1)
					cli_usage_error(&cli, "unknown encoding "
					    "'%s'", optarg);
				charset_close(&cs);
			}
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "auto") == 0) {
				opt.format = NULL;
				break;
			}
			if (!known_format(optarg))
				cli_usage_error(&cli, "unknown format '%s' "
				    "(see --list-formats)", optarg);
			opt.format = optarg;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_MAP:
			opt.map_path = optarg;
			break;
		case OPT_SHIP:
			if (strcmp(optarg, "courier") != 0 &&
			    strcmp(optarg, "post") != 0 &&
			    strcmp(optarg, "pickup") != 0)
				cli_usage_error(&cli, "'%s' is not a shipping "
				    "method: courier, post or pickup", optarg);
			opt.ship_method = optarg;
			break;
		case OPT_TZ:
			if (exporttime_zone(optarg, &minutes) == -1)
				cli_usage_error(&cli, "unknown or daylight-saving "
				    "zone '%s': give +HH:MM", optarg);
			opt.tz = minutes;
			opt.has_tz = 1;
			break;
		default:
			cli_option(&cli, '?', NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (list) {
		list_formats();
		return jsonl_finish(stdout, "<stdout>") == -1 ? EX_IOERR : EX_OK;
	}
	if (opt.format != NULL && strcmp(opt.format, "generic") == 0) {
		if (opt.map_path == NULL)
			cli_usage_error(&cli, "the generic format needs --map");
		opt.format = NULL;
	}
	if (opt.map_path != NULL) {
		if (opt.format != NULL)
			cli_usage_error(&cli, "--map is for the generic "
			    "format, not '%s'", opt.format);
		read_map(&opt, &cli);
	}
	reject_open(&rejects, cli.rejects_path);
	memset(&run, 0, sizeof(run));
	run.opt = &opt;
	run.cli = &cli;
	run.rejects = &rejects;
	run.totals = &totals;
	run.ctx.currency = opt.currency;
	run.ctx.country = opt.country;
	run.ctx.ship_method = opt.ship_method;
	run.ctx.tz = opt.tz;
	run.ctx.has_tz = opt.has_tz;
	if (argc == 0)
		status = import_file(&run, "-");
	for (i = 0; i < argc; i++) {
		s = import_file(&run, argv[i]);
		if (s != 0 && (status == 0 || status == EX_DATAERR))
			status = s;
	}
	if (cli.stats && argc > 1)
		fprintf(stderr, "order-import: all: %lu rows read; %lu orders "
		    "written (%lu rows), %lu orders rejected (%lu rows)\n",
		    totals.rows, totals.written, totals.rows_written,
		    totals.rejected, totals.rows_rejected);
	free(run.held);
	free(run.buf);
	if (opt.has_map)
		import_map_release(&opt.user_map);
	free((char *)opt.country);
	if (reject_close(&rejects) == -1 ||
	    jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	pool_release();
	return cli_status(&cli, status, totals.rejected);
}
