/* charset_test.c: unit tests of lib/charset.h: the guess of --encoding
 * auto. */
#include <stdio.h>
#include <string.h>

#include "charset.h"
#include "unit.h"

/* The verdict on text fed whole, and fed in pieces of every size from 1
 * to 7 bytes, so that sequences are cut between pieces. */
static void
expect_guess(const char *what, const char *text, const char *want)
{
	struct charset_guess g;
	char name[200];
	size_t len = strlen(text), piece, off, n;

	charset_guess_init(&g);
	charset_guess_feed(&g, text, len);
	expect_str(what, charset_guess_result(&g), want);
	for (piece = 1; piece <= 7; piece++) {
		charset_guess_init(&g);
		for (off = 0; off < len; off += n) {
			n = len - off < piece ? len - off : piece;
			charset_guess_feed(&g, text + off, n);
		}
		snprintf(name, sizeof(name), "%s, in pieces of %zu", what,
		    piece);
		expect_str(name, charset_guess_result(&g), want);
	}
}

static void
test_guess(void)
{
	expect_guess("ASCII", "Name,Total\n#1001,19.90\n", "utf-8");
	expect_guess("nothing", "", "utf-8");
	expect_guess("UTF-8 Cyrillic and Latin",
	    "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0,"	/* Москва */
	    "M\xc3\xbcnchen,\xe2\x82\xac 5\n", "utf-8");	/* München, € */
	/* A file in UTF-8 with one broken row: the row is rejected, the
	 * rest imported, not all of it misread as Windows-1251. */
	expect_guess("UTF-8 with one broken row",
	    "Name,City,Item\n"
	    "#1,\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0,Hat\n"
	    "#2,\xd0\xa2\xd0\xb2\xd0\xb5\xd1\x80\xd1\x8c,Cap\n"	/* Тверь */
	    "#3,Berlin,M\xff\xfeug\n", "utf-8");
	expect_guess("UTF-8 with one Windows-1252 word",
	    "#1,K\xc3\xb6ln,Gr\xc3\xb6\xc3\x9f" "e M\n"	/* Köln, Größe */
	    "#2,Paris,Caf\xe9\n", "utf-8");
	expect_guess("a UTF-8 sequence cut by the end: two bad bytes",
	    "Stra\xc3\x9f" "e, Gr\xc3\xb6\xc3\x9f" "e \xe2\x82", "utf-8");
	/* Fed a byte at a time, the lead byte waited for its sequence
	 * and took the ASCII after it as its own: two bad bytes. */
	expect_guess("a three-byte lead before ASCII is one bad byte",
	    "\xe0" "AB\xd0\x96", "utf-8");
	expect_guess("a lone cut sequence",
	    "abc\xe2\x82", "cp1252");
	/* Windows-1251 and -1252 text seldom forms UTF-8 sequences. */
	expect_guess("Windows-1251 Russian",
	    "1001;\xc8\xe2\xe0\xed\xee\xe2 \xcf\xb8\xf2\xf0;"	/* Иванов Пётр */
	    "\xf3\xeb. \xcc\xff\xf1\xed\xe8\xf6\xea\xe0\xff;"	/* ул. Мясницкая */
	    "\xb9 5 \xab\xca\xeb\xe0\xf1\xf1\xe8\xea\xe0\xbb\n",	/* № 5 «Классика» */
	    "cp1251");
	expect_guess("Windows-1251 Ukrainian in capitals",
	    "\xca\xc8\xaf\xc2, \xc2\xd3\xcb. \xd5\xd0\xc5\xd9\xc0\xd2\xc8\xca, "
	    "22; \xb2\xc2\xc0\xcd\xc5\xcd\xca\xce \xaa\xc2\xc3\xc5\xcd; "
	    "\xc7\xc0\xcc\xce\xc2\xcb\xc5\xcd\xcd\xdf \xb9" "17 "
	    "\xab\xd2\xc5\xd0\xcc\xb2\xcd\xce\xc2\xce\xbb\n", "cp1251");
	expect_guess("Windows-1252 German",
	    "302-1\tWollsocken \x84" "Fjord\x93 \x96 grau\tM\xfc" "nchen\t"
	    "Gr\xf6\xdf" "e M\n", "cp1252");
	expect_guess("ASCII and one Windows-1252 letter",
	    "#1,Paris,Caf\xe9\n", "cp1252");
}

int
main(void)
{
	test_guess();
	return unit_summary("charset");
}
