/* charset.h: input text in UTF-8, Windows-1251, Windows-1252, CP932 and
 * what else iconv(3) knows, turned into UTF-8; and telling them apart. */
#ifndef CHARSET_H
#define CHARSET_H

#include <stddef.h>

struct charset {
	char	 name[32];	/* canonical: "utf-8", "cp1251", ... */
	int	 utf8;		/* 1: no conversion, only validation */
	void	*cd;		/* iconv_t when not UTF-8 */
	char	*buf;		/* the last conversion's result */
	size_t	 cap;
};

/* Open the conversion from the encoding named name ("utf-8", "utf8",
 * "cp1251", "windows-1251", "cp1252", "latin1", "cp932", "sjis" or any
 * name iconv_open(3) accepts) to UTF-8.  Returns 0, or -1 when the name is
 * unknown. */
int	 charset_open(struct charset *, const char *name);

/* Convert s[0..len-1] to UTF-8: a NUL-terminated string that belongs to cs
 * and lives until the next call; its length in *outlen.  ASCII text and
 * valid UTF-8 (for "utf-8") come back as s itself when s[len] is a NUL.
 * Returns NULL when s is not valid text in the encoding. */
const char *charset_decode(struct charset *, const char *s, size_t len,
	    size_t *outlen);

void	 charset_close(struct charset *);

/* Evidence for --encoding auto, fed with the whole input in pieces. */
struct charset_guess {
	unsigned long	 utf8_good;	/* bytes of valid UTF-8 sequences */
	unsigned long	 utf8_bad;	/* bytes above 0x7F in none */
	unsigned char	 pending[4];	/* a sequence cut by the piece's end */
	size_t		 npending;
	unsigned long	 high;		/* bytes 0xC0-0xFF */
	unsigned long	 paired;	/* such bytes next to another one */
	unsigned long	 cp1252_punct;	/* 0x80-0x9F bytes common in 1252 */
	int		 last_high;	/* the previous byte was 0xC0-0xFF */
	int		 nonascii;	/* any byte above 0x7F */
};

void	 charset_guess_init(struct charset_guess *);
void	 charset_guess_feed(struct charset_guess *, const char *buf,
	    size_t len);

/* The verdict: "utf-8" when at least two thirds of the bytes above 0x7F
 * form UTF-8 sequences (ASCII alone is UTF-8): text in UTF-8 with a few
 * broken rows, which are then rejected, rather than all of it misread.
 * Text in Windows-1251 or -1252 seldom forms a sequence: its letters
 * stand next to other letters or ASCII, seldom before the bytes
 * 0x80-0xBF a sequence goes on with.  Otherwise "cp1251" when most bytes
 * 0xC0-0xFF stand next to another such byte, as in Cyrillic words, and
 * "cp1252" (Western European text, where accented letters stand alone
 * between ASCII ones) when not. */
const char *charset_guess_result(const struct charset_guess *);

#endif
