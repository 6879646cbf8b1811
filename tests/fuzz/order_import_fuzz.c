/* order_import_fuzz.c: order-import, the whole program, on one input.
 *
 * Input: one option byte, then the export.  Bits 0-3 of the byte choose
 * --format: 0 and 10-15 auto, 1 shopify, 2 amazon, 3 etsy, 4 ebay, 5
 * woocommerce, 6 ozon, 7 yandex-market, 8 wildberries, 9 generic with the
 * --map before a "%%" line of the input.  Bits 4-6 choose --encoding:
 * auto, utf-8, cp1251, cp1252, cp932 (5-7 auto).  Bit 7 adds --strict,
 * --stats and the defaults --currency RUB --country RU --tz +03:00
 * --ship courier (--strict and --stats alone with a map).  Checked: the
 * run ends with 0, 65 or (a bad map) 78, and the records and rejects it
 * writes are JSON objects, one a line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fuzz.h"
#include "program.h"

int	 order_import_main(int, char **);

static struct fuzz_file input, mapfile, outfile, rejfile;

static const char *const formats[16] = {
	NULL, "shopify", "amazon", "etsy", "ebay", "woocommerce", "ozon",
	"yandex-market", "wildberries", "generic",
};

static const char *const encodings[8] = {
	NULL, "utf-8", "cp1251", "cp1252", "cp932",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	const uint8_t *maptext, *text;
	size_t maplen, len;
	const char *format, *encoding;
	char *argv[32];
	FILE *out;
	int argc = 0, status, map;

	if (size < 1)
		return 0;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	format = formats[data[0] & 15];
	encoding = encodings[(data[0] >> 4) & 7];
	text = data + 1;
	len = size - 1;
	map = format != NULL && strcmp(format, "generic") == 0;
	if (map && !fuzz_split(text, len, &maptext, &maplen, &text, &len))
		return 0;

	argv[argc++] = "order-import";
	if (format != NULL) {
		argv[argc++] = "--format";
		argv[argc++] = (char *)format;
	}
	if (map) {
		argv[argc++] = "--map";
		argv[argc++] = (char *)fuzz_file_set(&mapfile, maptext,
		    maplen);
	}
	if (encoding != NULL) {
		argv[argc++] = "--encoding";
		argv[argc++] = (char *)encoding;
	}
	if (data[0] & 0x80) {
		argv[argc++] = "--strict";
		argv[argc++] = "--stats";
	}
	if (data[0] & 0x80 && !map) {
		argv[argc++] = "--currency=RUB";
		argv[argc++] = "--country=RU";
		argv[argc++] = "--tz=+03:00";
		argv[argc++] = "--ship=courier";
	}
	argv[argc++] = "--rejects";
	argv[argc++] = (char *)fuzz_file_set(&rejfile, "", 0);
	argv[argc++] = (char *)fuzz_file_set(&input, text, len);
	argv[argc] = NULL;

	fuzz_file_set(&outfile, "", 0);
	if ((out = fopen(outfile.path, "w")) == NULL)
		abort();
	status = program_run(order_import_main, argc, argv, out, devnull);
	fclose(out);
	fuzz_check(status == EX_OK || status == EX_DATAERR ||
	    (map && status == EX_CONFIG), "order-import: an exit status "
	    "other than 0, 65 or (a bad map) 78");
	fuzz_check_jsonl(&outfile, 0);
	fuzz_check_jsonl(&rejfile, 1);
	return 0;
}
