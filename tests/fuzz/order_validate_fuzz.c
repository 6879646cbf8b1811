/* order_validate_fuzz.c: order-validate, the whole program, on one input.
 *
 * Input: one option byte, then the orders.  Bit 0 of the byte: a
 * --catalog before a "%%" line of the input; bits 1-2 --lang en, ru, uk
 * (3: none); bit 3 --ignore-price; bit 4 --country RU; bit 5 --max-qty 5;
 * bit 6 --strict; bit 7 --stats.  Checked: the run ends with 0 or 65;
 * every line of input with more than white space comes out once, as a
 * record or as a reject, each a JSON object on a line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fuzz.h"
#include "program.h"

int	 order_validate_main(int, char **);

static struct fuzz_file input, catfile, outfile, rejfile;

static const char *const langs[4] = { "en", "ru", "uk", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	const uint8_t *cattext, *text;
	size_t catlen, len;
	char *argv[32];
	FILE *out;
	unsigned long nout, nrej;
	int argc = 0, status, catalog;

	if (size < 1)
		return 0;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	text = data + 1;
	len = size - 1;
	catalog = data[0] & 1;
	if (catalog && !fuzz_split(text, len, &cattext, &catlen, &text, &len))
		return 0;

	argv[argc++] = "order-validate";
	if (catalog) {
		argv[argc++] = "--catalog";
		argv[argc++] = (char *)fuzz_file_set(&catfile, cattext,
		    catlen);
	}
	if (langs[(data[0] >> 1) & 3] != NULL) {
		argv[argc++] = "--lang";
		argv[argc++] = (char *)langs[(data[0] >> 1) & 3];
	}
	if (data[0] & 8)
		argv[argc++] = "--ignore-price";
	if (data[0] & 16)
		argv[argc++] = "--country=RU";
	if (data[0] & 32)
		argv[argc++] = "--max-qty=5";
	if (data[0] & 64)
		argv[argc++] = "--strict";
	if (data[0] & 128)
		argv[argc++] = "--stats";
	argv[argc++] = "--rejects";
	argv[argc++] = (char *)fuzz_file_set(&rejfile, "", 0);
	argv[argc++] = (char *)fuzz_file_set(&input, text, len);
	argv[argc] = NULL;

	fuzz_file_set(&outfile, "", 0);
	if ((out = fopen(outfile.path, "w")) == NULL)
		abort();
	status = program_run(order_validate_main, argc, argv, out, devnull);
	fclose(out);
	fuzz_check(status == EX_OK || status == EX_DATAERR,
	    "order-validate: an exit status other than 0 or 65");
	nout = fuzz_check_jsonl(&outfile, 0);
	nrej = fuzz_check_jsonl(&rejfile, 1);
	if (!program_exited)
		fuzz_check(nout + nrej == fuzz_count_lines(text, len),
		    "order-validate: lines in are not records out plus "
		    "rejects");
	return 0;
}
