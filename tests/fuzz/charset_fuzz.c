/* charset_fuzz.c: decoding to UTF-8, and guessing the encoding.
 *
 * Input: one option byte, then the text.  Bits 0-2 of the byte choose the
 * encoding to decode from; bit 3 whether a NUL follows the text in
 * memory; bits 4-7 the size of the pieces the guesser is fed.  Checked:
 * what charset_decode() returns is UTF-8 of the length it says (the text
 * itself for UTF-8 and ASCII); the guess does not depend on how the text
 * is cut; "utf-8" is guessed when decoding as UTF-8 succeeds, and of text
 * that does not decode only when two thirds of its high bytes do. */
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "utf8.h"
#include "fuzz.h"

static const char *const names[8] = {
	"utf-8", "cp1251", "cp1252", "cp932", "koi8-r", "cp866", "koi8-u",
	"latin1",
};

static int
is_utf8(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seqlen((const unsigned char *)s + i,
		    len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

static int
is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Decode text through cs; returns 1 when it could. */
static int
check_decode(struct charset *cs, const char *text, size_t len)
{
	const char *out;
	size_t outlen = (size_t)-1;

	if ((out = charset_decode(cs, text, len, &outlen)) == NULL)
		return 0;
	fuzz_check(out[outlen] == '\0', "charset_decode: no NUL at its end");
	fuzz_check(is_utf8(out, outlen), "charset_decode: not UTF-8");
	if (cs->utf8 || is_ascii(text, len))
		fuzz_check(outlen == len && memcmp(out, text, len) == 0,
		    "charset_decode: UTF-8 or ASCII changed");
	return 1;
}

static void
guess(struct charset_guess *g, const char *text, size_t len, size_t piece)
{
	size_t off, n;

	charset_guess_init(g);
	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		charset_guess_feed(g, text + off, n);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct charset cs, utf8;
	struct charset_guess whole, cut;
	unsigned long bad;
	char *text;
	size_t len;
	int decoded;

	if (size < 1)
		return 0;
	len = size - 1;
	text = malloc(len + 1);
	memcpy(text, data + 1, len);
	text[len] = data[0] & 8 ? '\0' : 'x';

	fuzz_check(charset_open(&cs, names[data[0] & 7]) == 0,
	    "charset_open failed");
	check_decode(&cs, text, len);
	/* Twice: the buffer is reused. */
	check_decode(&cs, text, len / 2);
	charset_close(&cs);

	fuzz_check(charset_open(&utf8, "utf-8") == 0, "charset_open failed");
	decoded = check_decode(&utf8, text, len);
	charset_close(&utf8);

	guess(&whole, text, len, len > 0 ? len : 1);
	guess(&cut, text, len, 1 + (data[0] >> 4));
	fuzz_check(strcmp(charset_guess_result(&whole),
	    charset_guess_result(&cut)) == 0 && whole.high == cut.high &&
	    whole.paired == cut.paired &&
	    whole.cp1252_punct == cut.cp1252_punct &&
	    whole.nonascii == cut.nonascii,
	    "charset_guess: another verdict when fed in pieces");
	/* Text that decodes is UTF-8; text that does not is called UTF-8
	 * only when two thirds of its high bytes form sequences (a file
	 * with a few broken rows, which are then rejected). */
	bad = whole.utf8_bad + whole.npending;
	if (decoded)
		fuzz_check(strcmp(charset_guess_result(&whole), "utf-8") == 0,
		    "charset_guess: not utf-8 though it decodes");
	else if (strcmp(charset_guess_result(&whole), "utf-8") == 0)
		fuzz_check(bad > 0 && whole.utf8_good >= 2 * bad,
		    "charset_guess: says utf-8 of text mostly not UTF-8");
	free(text);
	return 0;
}
