/* arena_test.c: unit tests of lib/arena.h. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "unit.h"

static void
test_strings(void)
{
	struct arena a;
	char *p, *q, big[200000];

	arena_init(&a);
	p = arena_strdup(&a, "SHOP-1");
	q = arena_strndup(&a, "a\0b", 3);
	expect_str("a copy", p, "SHOP-1");
	expect_mem("NUL bytes kept", q, 4, "a\0b", 4);
	expect_true("NULL stays NULL", arena_strdup(&a, NULL) == NULL);
	expect_true("strings pack in one block", a.nblocks == 1);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	p = arena_strdup(&a, big);
	expect_int("a string bigger than a block", strlen(p), sizeof(big) - 1);
	expect_str("the earlier copy is intact", q, "a");
	arena_release(&a);
	expect_true("released", a.blocks == NULL && a.nblocks == 0);
	expect_str("usable after release", arena_strdup(&a, "again"), "again");
	arena_release(&a);
}

static void
test_alignment(void)
{
	struct arena a;
	size_t i;
	int bad = 0;

	arena_init(&a);
	for (i = 0; i < 10000; i++) {
		arena_strndup(&a, "abcdefg", i % 7);
		if ((uintptr_t)arena_alloc(&a, 24) % alignof(max_align_t) != 0)
			bad++;
	}
	expect_int("every block of arena_alloc() is aligned", bad, 0);
	arena_release(&a);
}

/* An arena per record takes blocks of the size it asks for, and keeps
 * that size past a release. */
static void
test_block_size(void)
{
	struct arena a;
	char text[99];
	size_t i;

	memset(text, 'x', sizeof(text));
	arena_init(&a);
	a.block = 1000;
	for (i = 0; i < 10; i++)
		arena_strndup(&a, text, sizeof(text));
	expect_int("ten 100-byte strings in 1000-byte blocks", a.nblocks, 1);
	arena_strndup(&a, "x", 1);
	expect_int("the 11th string starts a second block", a.nblocks, 2);
	arena_release(&a);
	expect_int("a released arena keeps its block size", a.block, 1000);
	arena_strdup(&a, "again");
	expect_int("and uses it", a.left, 1000 - 6);
	arena_release(&a);

	arena_init(&a);
	arena_strdup(&a, "x");
	expect_int("0 is 64 KiB", a.left, 65536 - 2);
	arena_release(&a);
}

int
main(void)
{
	test_strings();
	test_alignment();
	test_block_size();
	return unit_summary("arena");
}
