/* window_test.c: unit tests of lib/window.h: lines of a file in the order
 * of their times, read again a chunk at a time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonl.h"
#include "window.h"
#include "unit.h"

static const char lines[] =
    "{\"id\":\"A\",\"created_at\":\"2026-11-20T12:30:00+03:00\"}\n"
    "{\"id\":\"B\"}\n"
    "{\"id\":\"C\",\"created_at\":\"2026-11-20T08:00:00Z\"}\n"
    "{\"id\":\"D\",\"created_at\":\"2026-11-20T\\u0030\\u0039:00:00Z\"}\n"
    "not json\n";

/* A regular file: its lines are read again, oldest first (an escaped
 * time parsed in full), the untimed ones last in input order. */
static void
test_file_in_time_order(void)
{
	char path[] = "/tmp/window_testXXXXXX", *argv[1];
	struct jsonl_reader in;
	struct window w;
	size_t to;
	int fd, eof = 0;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, lines, sizeof(lines) - 1) != sizeof(lines) - 1)
		abort();
	close(fd);
	argv[0] = path;
	jsonl_open(&in, 1, argv);
	window_init(&w, 100, 0, "created_at");
	window_read(&w, &in, &eof);
	expect_int("all lines read", (int)w.n, 5);
	expect_int("to the end", eof, 1);
	expect_true("a file's lines are not kept", w.v[0].line == NULL);
	to = window_chunk(&w, 0, 2);
	expect_int("a chunk of 2", (int)to, 2);
	expect_mem("oldest first", w.v[0].line, w.v[0].len,
	    "{\"id\":\"C\",\"created_at\":\"2026-11-20T08:00:00Z\"}", 46);
	expect_int("its line number", (int)w.v[0].lineno, 3);
	expect_true("an escaped time, parsed", w.v[1].len > 10 &&
	    memcmp(w.v[1].line, "{\"id\":\"D\"", 9) == 0);
	to = window_chunk(&w, to, 10);
	expect_int("the rest", (int)to, 5);
	expect_mem("then A", w.v[2].line, 9, "{\"id\":\"A\"", 9);
	expect_mem("untimed after, as read", w.v[3].line, w.v[3].len,
	    "{\"id\":\"B\"}", 10);
	expect_mem("no JSON last", w.v[4].line, w.v[4].len, "not json", 8);
	expect_true("one input, no file name", window_file(&w, &w.v[0]) ==
	    NULL);
	window_release(&w);
	jsonl_close(&in);
	unlink(path);
}

/* Without a time key, lines stay as read, max to a window. */
static void
test_input_order(void)
{
	char path[] = "/tmp/window_testXXXXXX", *argv[1];
	struct jsonl_reader in;
	struct window w;
	int fd, eof = 0;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, lines, sizeof(lines) - 1) != sizeof(lines) - 1)
		abort();
	close(fd);
	argv[0] = path;
	jsonl_open(&in, 1, argv);
	window_init(&w, 3, 0, NULL);
	window_read(&w, &in, &eof);
	expect_int("max lines", (int)w.n, 3);
	expect_int("not at the end", eof, 0);
	window_chunk(&w, 0, 3);
	expect_mem("as read", w.v[0].line, 9, "{\"id\":\"A\"", 9);
	window_clear(&w);
	window_read(&w, &in, &eof);
	expect_int("the rest", (int)w.n, 2);
	expect_int("at the end", eof, 1);
	window_chunk(&w, 0, 3);
	expect_mem("the next window", w.v[0].line, 9, "{\"id\":\"D\"", 9);
	window_release(&w);
	jsonl_close(&in);
	unlink(path);
}

int
main(void)
{
	test_file_in_time_order();
	test_input_order();
	return unit_summary("window");
}
