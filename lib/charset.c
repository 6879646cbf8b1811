/* charset.c: decoding input text to UTF-8 through iconv(3). */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "utf8.h"
#include "xalloc.h"

static const struct {
	const char	*alias;
	const char	*name;		/* ours */
	const char	*iconv;		/* glibc's */
} aliases[] = {
	{ "utf-8", "utf-8", NULL },
	{ "utf8", "utf-8", NULL },
	{ "cp1251", "cp1251", "CP1251" },
	{ "windows-1251", "cp1251", "CP1251" },
	{ "win1251", "cp1251", "CP1251" },
	{ "cp1252", "cp1252", "CP1252" },
	{ "windows-1252", "cp1252", "CP1252" },
	{ "latin1", "cp1252", "CP1252" },
	{ "iso-8859-1", "cp1252", "CP1252" },
	{ "cp932", "cp932", "CP932" },
	{ "shift_jis", "cp932", "CP932" },
	{ "sjis", "cp932", "CP932" },
	{ "windows-31j", "cp932", "CP932" },
	{ "koi8-r", "koi8-r", "KOI8-R" },
	{ "koi8-u", "koi8-u", "KOI8-U" },
	{ "cp866", "cp866", "CP866" },
};

int
charset_open(struct charset *cs, const char *name)
{
	const char *ours = name, *theirs = name;
	iconv_t cd;
	size_t i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0) {
			ours = aliases[i].name;
			theirs = aliases[i].iconv;
			break;
		}
	if (strlen(ours) >= sizeof(cs->name))
		return -1;
	strcpy(cs->name, ours);
	if (theirs == NULL) {
		cs->utf8 = 1;
		return 0;
	}
	if ((cd = iconv_open("UTF-8", theirs)) == (iconv_t)-1)
		return -1;
	cs->cd = cd;
	return 0;
}

static int
ascii(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			return 0;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] & 0x80)
			return 0;
	return 1;
}

static int
valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_seqlen(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

const char *
charset_decode(struct charset *cs, const char *s, size_t len, size_t *outlen)
{
	char *in, *out;
	size_t inleft, outleft, need;

	*outlen = len;
	if (ascii(s, len) || cs->utf8) {
		if (cs->utf8 && !valid_utf8(s, len))
			return NULL;
		if (s[len] == '\0')
			return s;
		if (cs->cap < len + 1) {
			cs->cap = len + 1;
			cs->buf = xrealloc(cs->buf, cs->cap);
		}
		memcpy(cs->buf, s, len);
		cs->buf[len] = '\0';
		return cs->buf;
	}
	need = len * 4 + 1;		/* a byte is at most 3 bytes of UTF-8 */
	if (cs->cap < need) {
		cs->cap = need;
		cs->buf = xrealloc(cs->buf, cs->cap);
	}
	iconv(cs->cd, NULL, NULL, NULL, NULL);
	in = (char *)s;
	inleft = len;
	out = cs->buf;
	outleft = cs->cap - 1;
	if (iconv(cs->cd, &in, &inleft, &out, &outleft) == (size_t)-1)
		return NULL;
	*out = '\0';
	*outlen = out - cs->buf;
	return cs->buf;
}

void
charset_close(struct charset *cs)
{
	if (cs->cd != NULL)
		iconv_close(cs->cd);
	free(cs->buf);
	memset(cs, 0, sizeof(*cs));
}

void
charset_guess_init(struct charset_guess *g)
{
	memset(g, 0, sizeof(*g));
}

/* The length a UTF-8 sequence starting with byte c claims; 0 if none. */
static size_t
lead_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Whether s[0..n-1], shorter than the sequence its lead byte starts, is
 * its beginning: continuation bytes after the lead. */
static int
valid_prefix(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

static void
check_utf8(struct charset_guess *g, const unsigned char *p, size_t len)
{
	unsigned char tmp[8];
	size_t i = 0, n, want, take;

	if (g->npending > 0) {
		want = lead_len(g->pending[0]);
		take = want - g->npending;
		if (take > len)
			take = len;
		memcpy(tmp, g->pending, g->npending);
		memcpy(tmp + g->npending, p, take);
		/* Still short, and still continuation bytes: wait for more. */
		if (g->npending + take < want &&
		    valid_prefix(tmp, g->npending + take)) {
			memcpy(g->pending, tmp, g->npending + take);
			g->npending += take;
			return;
		}
		if (g->npending + take == want &&
		    utf8_seqlen(tmp, want) == want) {
			g->utf8_good += want;
			i = take;
		} else	/* the lead and its continuation bytes: none fits */
			g->utf8_bad += g->npending;
		g->npending = 0;
	}
	while (i < len) {
		if (p[i] < 0x80) {
			uint64_t w;

			i++;
			while (i + 8 <= len) {
				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			continue;
		}
		if ((n = utf8_seqlen(p + i, len - i)) > 0) {
			g->utf8_good += n;
			i += n;
			continue;
		}
		want = lead_len(p[i]);
		if (want > 0 && len - i < want &&
		    utf8_seqlen(p + i, len - i) == 0 &&
		    valid_prefix(p + i, len - i)) {
			/* Possibly cut by the piece's end: decide later. */
			memcpy(g->pending, p + i, len - i);
			g->npending = len - i;
			return;
		}
		g->utf8_bad++;
		i++;
	}
}

void
charset_guess_feed(struct charset_guess *g, const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;

	check_utf8(g, p, len);
	for (i = 0; i < len; i++) {
		/* Most bytes are ASCII: skip them eight at a time. */
		while (i + 8 <= len && !g->last_high) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (p[i] >= 0xc0) {
			g->high++;
			g->nonascii = 1;
			if (g->last_high)
				g->paired += 2;
			g->last_high = 1;
			continue;
		}
		g->last_high = 0;
		if (p[i] >= 0x80) {
			g->nonascii = 1;
			if (p[i] == 0x80 || p[i] == 0x92 || p[i] == 0x93 ||
			    p[i] == 0x94 || p[i] == 0x96 || p[i] == 0x97)
				g->cp1252_punct++;
		}
	}
}

const char *
charset_guess_result(const struct charset_guess *g)
{
	/* A sequence cut by the end of the input is bad bytes. */
	unsigned long bad = g->utf8_bad + g->npending;

	if (bad == 0 || g->utf8_good >= 2 * bad)
		return "utf-8";
	/* paired counts a byte twice when it has neighbours on both sides,
	 * so compare with the number of high bytes. */
	if (g->high > 0 && g->paired >= g->high)
		return "cp1251";
	return "cp1252";
}
