/* rfc3339_fuzz.c: RFC 3339 times, and the providers' looser ones.
 *
 * Input: one option byte, then the text.  Byte % 3 == 0: rfc3339_parse();
 * what it reads, rfc3339_format() writes and it reads back the same.  1:
 * payment_time_parse() reads every RFC 3339 time as rfc3339_parse() does.
 * 2: the 10 bytes after it are an epoch and an offset, which
 * rfc3339_format() writes (years 1 to 9999) so that rfc3339_parse() reads
 * them back. */
#include <stdlib.h>
#include <string.h>

#include "payment.h"
#include "payment/payment-int.h"
#include "rfc3339.h"
#include "fuzz.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, with a day to spare
 * for the offset. */
#define EPOCH_MIN	(-62135596800LL + 86400)
#define EPOCH_MAX	(253402300799LL - 86400)

static void
check_parse(const char *s)
{
	char buf[26];
	int64_t epoch, again;
	int offset, off2;

	if (rfc3339_parse(s, &epoch, &offset) == -1)
		return;
	fuzz_check(offset > -24 * 60 && offset < 24 * 60, "an offset too big");
	memset(buf, 'x', sizeof(buf));
	rfc3339_format(epoch, offset, buf, sizeof(buf));
	fuzz_check(memchr(buf, '\0', sizeof(buf)) != NULL,
	    "rfc3339_format: cut short in 26 bytes");
	fuzz_check(rfc3339_parse(buf, &again, &off2) == 0 && again == epoch &&
	    off2 == offset, "rfc3339_parse: does not read back what "
	    "rfc3339_format wrote");
}

static void
check_payment_time(const char *s)
{
	int64_t epoch, e2;
	int offset;

	if (payment_time_parse(s, &epoch) == -1)
		return;
	if (rfc3339_parse(s, &e2, &offset) == 0)
		fuzz_check(e2 == epoch, "payment_time_parse: another time "
		    "than rfc3339_parse");
}

static void
check_format(const uint8_t *data, size_t size)
{
	char buf[26];
	int64_t epoch, again;
	int16_t off;
	int offset, off2;

	if (size < 10)
		return;
	memcpy(&epoch, data, 8);
	memcpy(&off, data + 8, 2);
	if (epoch < EPOCH_MIN || epoch > EPOCH_MAX)
		epoch = EPOCH_MIN + (int64_t)((uint64_t)epoch %
		    (uint64_t)(EPOCH_MAX - EPOCH_MIN));
	offset = off % (24 * 60);
	rfc3339_format(epoch, offset, buf, sizeof(buf));
	fuzz_check(rfc3339_parse(buf, &again, &off2) == 0 && again == epoch &&
	    off2 == offset, "rfc3339_parse: does not read back what "
	    "rfc3339_format wrote");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if (data[0] % 3 == 2) {
		check_format(data + 1, size - 1);
		return 0;
	}
	s = fuzz_strndup(data + 1, size - 1);
	if (data[0] % 3 == 0)
		check_parse(s);
	else
		check_payment_time(s);
	free(s);
	return 0;
}
