/* jsonl_fuzz.c: the JSON Lines reader and writer.
 *
 * Input: one option byte, then the text.  Bits 0-1 of the byte choose the
 * language of bad_json messages (en, ru, uk); bit 2 splits the text at a
 * "%%" line into two operands.  Checked: every non-blank line is either a
 * record or a reject; a record written by jsonl_write() is one line that
 * jsonl_parse() reads back equal and that is written again the same; a
 * reject is one JSON object whose "raw" is the line
 * itself when the line is UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"
#include "reject.h"
#include "utf8.h"
#include "fuzz.h"

static struct fuzz_file files[2], rejfile;

/* Whether s[0..len-1] is UTF-8. */
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

/* Line number line (from 1) of text, as the reader sees it: no line end,
 * no CR before it, no BOM on the first line. */
static const char *
nth_line(const char *text, size_t len, unsigned long line, size_t *lenp)
{
	const char *p = text, *end = text + len, *nl;
	unsigned long i;
	size_t n;

	for (i = 1; i < line && p < end; i++) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			return NULL;
		p = nl + 1;
	}
	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', end - p);
	n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	*lenp = n;
	return p;
}

static void
check_record(json_t *record)
{
	char *text = NULL, *again = NULL;
	size_t size = 0, againsize = 0;
	FILE *fp;
	json_t *back;
	json_error_t error;

	fuzz_check(json_is_object(record), "a record that is no object");
	if ((fp = open_memstream(&text, &size)) == NULL)
		abort();
	fuzz_check(jsonl_write(fp, record) == 0, "jsonl_write failed");
	fclose(fp);
	fuzz_check(size > 0 && text[size - 1] == '\n' &&
	    memchr(text, '\n', size - 1) == NULL, "a record not one line");
	/* Read back as every program reads it: jsonl_parse() keeps numbers
	 * jansson refuses (an integer beyond int64) as their text. */
	back = jsonl_parse(text, size - 1, JSON_REJECT_DUPLICATES, &error);
	fuzz_check(back != NULL, "a record written does not read back");
	fuzz_check(json_equal(back, record), "a record read back differs");
	if ((fp = open_memstream(&again, &againsize)) == NULL)
		abort();
	fuzz_check(jsonl_write(fp, back) == 0, "jsonl_write failed");
	fclose(fp);
	fuzz_check(againsize == size && memcmp(again, text, size) == 0,
	    "a record read back is written otherwise");
	json_decref(back);
	free(again);
	free(text);
}

/* Check each reject line; returns their number. */
static unsigned long
check_rejects(const char *text, size_t len, int nfiles, const char *input,
    size_t inlen)
{
	const char *p = text, *end = text + len, *nl, *raw, *line;
	json_t *rej, *errors;
	json_error_t error;
	size_t linelen;
	unsigned long n = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		fuzz_check(nl != NULL, "a reject without a line end");
		rej = json_loadb(p, nl - p, JSON_ALLOW_NUL, &error);
		fuzz_check(rej != NULL, "a reject that is not JSON");
		errors = json_object_get(rej, "errors");
		fuzz_check(json_is_object(rej) &&
		    json_is_integer(json_object_get(rej, "line")) &&
		    json_is_string(json_object_get(rej, "raw")) &&
		    json_array_size(errors) == 1 &&
		    strcmp(json_string_value(json_object_get(json_array_get(
		    errors, 0), "code")), "bad_json") == 0,
		    "a reject of the wrong shape");
		fuzz_check((json_object_get(rej, "file") != NULL) ==
		    (nfiles > 1), "a reject's file named when not wanted");
		if (nfiles == 1) {
			line = nth_line(input, inlen, json_integer_value(
			    json_object_get(rej, "line")), &linelen);
			fuzz_check(line != NULL, "a reject of no line");
			raw = json_string_value(json_object_get(rej, "raw"));
			if (is_utf8(line, linelen))
				fuzz_check(json_string_length(json_object_get(
				    rej, "raw")) == linelen &&
				    memcmp(raw, line, linelen) == 0,
				    "a reject's raw is not its line");
		}
		json_decref(rej);
		n++;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader r;
	struct reject_stream rejects;
	const uint8_t *part[2];
	size_t partlen[2], rejlen;
	char *paths[2], *rejtext;
	unsigned long nrecords = 0, nrejects;
	json_t *record;
	int nfiles = 1, i;

	if (size < 1)
		return 0;
	if (data[0] & 4 && fuzz_split(data + 1, size - 1, &part[0],
	    &partlen[0], &part[1], &partlen[1]))
		nfiles = 2;
	else {
		part[0] = data + 1;
		partlen[0] = size - 1;
	}
	for (i = 0; i < nfiles; i++)
		paths[i] = (char *)fuzz_file_set(&files[i], part[i],
		    partlen[i]);
	reject_open(&rejects, fuzz_file_set(&rejfile, "", 0));
	jsonl_open(&r, nfiles, paths);
	r.lang = (data[0] & 3) % 3;
	while ((record = reject_read(&rejects, &r)) != NULL) {
		check_record(record);
		json_decref(record);
		nrecords++;
	}
	fuzz_check(jsonl_close(&r) == 0, "jsonl_close failed");
	fuzz_check(reject_close(&rejects) == 0, "reject_close failed");
	rejtext = fuzz_file_get(&rejfile, &rejlen);
	nrejects = check_rejects(rejtext, rejlen, nfiles,
	    (const char *)part[0], partlen[0]);
	free(rejtext);
	fuzz_check(nrejects == rejects.count, "rejects miscounted");
	fuzz_check(nrecords + nrejects == r.nlines,
	    "lines neither records nor rejects");
	return 0;
}
