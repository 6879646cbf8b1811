/* strmap_test.c: unit tests of lib/strmap.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "unit.h"

static int
add(struct strmap *s, const char *str, unsigned long value,
    unsigned long *old)
{
	return strmap_add(s, str, strlen(str), value, old);
}

static void
test_basics(void)
{
	struct strmap s;
	unsigned long old;

	strmap_init(&s);
	expect_int("first SHOP-1 is added", add(&s, "SHOP-1", 1, NULL), 1);
	expect_int("SHOP-2 is added", add(&s, "SHOP-2", 2, NULL), 1);
	old = 99;
	expect_int("SHOP-1 again is a duplicate", add(&s, "SHOP-1", 7, &old),
	    0);
	expect_int("the duplicate gives the first value", old, 1);
	old = 99;
	expect_int("SHOP-2 again", add(&s, "SHOP-2", 8, &old), 0);
	expect_int("SHOP-2 keeps its value", old, 2);
	expect_int("a duplicate with old NULL", add(&s, "SHOP-1", 9, NULL), 0);
	old = 99;
	add(&s, "SHOP-1", 10, &old);
	expect_int("a duplicate does not replace the value", old, 1);
	expect_int("a prefix is another string", add(&s, "SHOP-", 3, NULL), 1);
	expect_int("a longer one too", add(&s, "SHOP-10", 4, NULL), 1);
	expect_int("case matters", add(&s, "shop-1", 5, NULL), 1);
	expect_int("the empty string is added", add(&s, "", 6, NULL), 1);
	old = 99;
	expect_int("the empty string again", add(&s, "", 0, &old), 0);
	expect_int("the empty string's value", old, 6);
	expect_int("ULONG_MAX is kept", add(&s, "max", ULONG_MAX, NULL), 1);
	add(&s, "max", 0, &old);
	expect_int("ULONG_MAX comes back", old == ULONG_MAX, 1);
	expect_int("the count", s.n, 7);
	/* Only len bytes count. */
	expect_int("SHOP-1 by length", strmap_add(&s, "SHOP-1xyz", 6, 0,
	    &old), 0);
	expect_int("SHOP-1 by length, value", old, 1);
	strmap_release(&s);

	/* A released set is an empty one, ready again. */
	expect_int("released: no slots", s.slots == NULL && s.n == 0, 1);
	expect_int("after release SHOP-1 is new", add(&s, "SHOP-1", 11, NULL),
	    1);
	old = 0;
	add(&s, "SHOP-1", 12, &old);
	expect_int("after release, its new value", old, 11);
	strmap_release(&s);
}

static void
test_nul_bytes(void)
{
	struct strmap s;
	unsigned long old = 0;

	strmap_init(&s);
	expect_int("\"a\\0b\" is added", strmap_add(&s, "a\0b", 3, 1, NULL), 1);
	expect_int("\"a\\0c\" is another", strmap_add(&s, "a\0c", 3, 2, NULL),
	    1);
	expect_int("\"a\" is another", strmap_add(&s, "a", 1, 3, NULL), 1);
	expect_int("\"a\\0\" is another", strmap_add(&s, "a\0", 2, 4, NULL), 1);
	expect_int("\"\\0\" is another", strmap_add(&s, "\0", 1, 5, NULL), 1);
	expect_int("\"\\0\\0\" is another", strmap_add(&s, "\0\0", 2, 6, NULL),
	    1);
	expect_int("\"a\\0b\" again", strmap_add(&s, "a\0b", 3, 9, &old), 0);
	expect_int("\"a\\0b\" value", old, 1);
	expect_int("\"\\0\\0\" again", strmap_add(&s, "\0\0", 2, 9, &old), 0);
	expect_int("\"\\0\\0\" value", old, 6);
	expect_int("\"a\\0\" again", strmap_add(&s, "a\0", 2, 9, &old), 0);
	expect_int("\"a\\0\" value", old, 4);
	expect_int("six strings", s.n, 6);
	strmap_release(&s);
}

/* Far past the first table and the first 64 KiB block: every string is
 * found again with its own value, and none is taken for another. */
static void
test_growth(void)
{
	enum { N = 300000 };
	struct strmap s;
	char id[32], what[64];
	unsigned long i, old;
	int bad = 0;

	strmap_init(&s);
	for (i = 0; i < N && bad < 5; i++) {
		snprintf(id, sizeof(id), "ORDER-%lu", i);
		if (add(&s, id, i * 3, NULL) != 1) {
			snprintf(what, sizeof(what), "add %s", id);
			expect_int(what, 0, 1);
			bad++;
		}
	}
	expect_int("grown count", s.n, N);
	expect_int("capacity is a power of two", (s.cap & (s.cap - 1)) == 0, 1);
	expect_int("at most half full", s.n * 2 <= s.cap, 1);
	for (i = 0; i < N && bad < 5; i++) {
		snprintf(id, sizeof(id), "ORDER-%lu", i);
		old = 0;
		if (add(&s, id, 0, &old) != 0 || old != i * 3) {
			snprintf(what, sizeof(what), "%s again, its value", id);
			expect_int(what, old, i * 3);
			bad++;
		}
	}
	expect_int("count after the duplicates", s.n, N);
	expect_int("all found with their values", bad, 0);
	strmap_release(&s);
}

/* A string longer than a block gets a block of its own. */
static void
test_long_strings(void)
{
	struct strmap s;
	size_t len = 200000;
	char *big = malloc(len);
	unsigned long old = 0;

	if (big == NULL)
		return;
	memset(big, 'x', len);
	strmap_init(&s);
	expect_int("a short one first", add(&s, "short", 1, NULL), 1);
	expect_int("a 200000-byte string",
	    strmap_add(&s, big, len, 2, NULL), 1);
	expect_int("one byte shorter is another",
	    strmap_add(&s, big, len - 1, 3, NULL), 1);
	expect_int("the 200000-byte string again",
	    strmap_add(&s, big, len, 0, &old), 0);
	expect_int("its value", old, 2);
	expect_int("the short one still there", add(&s, "short", 0, &old), 0);
	expect_int("its value", old, 1);
	expect_int("after the big ones", add(&s, "after", 4, NULL), 1);
	strmap_release(&s);
	free(big);
}

/* strmap_find() looks up without adding, and its value can be changed. */
static void
test_find(void)
{
	struct strmap s;
	unsigned long *v, old = 0;

	strmap_init(&s);
	expect_int("nothing in an empty set",
	    strmap_find(&s, "SHOP-1", 6) == NULL, 1);
	add(&s, "SHOP-1", 1, NULL);
	add(&s, "SHOP-2", 2, NULL);
	v = strmap_find(&s, "SHOP-1", 6);
	expect_int("SHOP-1 is found", v != NULL, 1);
	expect_int("with its value", v != NULL ? *v : 0, 1);
	expect_int("SHOP-3 is not", strmap_find(&s, "SHOP-3", 6) == NULL, 1);
	expect_int("looking did not add it", s.n, 2);
	expect_int("a prefix is not found", strmap_find(&s, "SHOP-", 5) == NULL,
	    1);
	if (v != NULL)
		*v = 42;
	add(&s, "SHOP-1", 0, &old);
	expect_int("a value changed through the pointer", old, 42);
	add(&s, "a", 3, NULL);
	expect_int("\"a\\0b\" is not \"a\"",
	    strmap_find(&s, "a\0b", 3) == NULL, 1);
	strmap_release(&s);
	expect_int("nothing after release",
	    strmap_find(&s, "SHOP-1", 6) == NULL, 1);
}

/* strmap_put() adds a key once, strmap_key() gives the map's copy back,
 * and the hash is FNV-1a's published 64-bit function. */
static void
test_put_key_hash(void)
{
	struct strmap s;
	unsigned long *v, *w;
	int added;

	strmap_init(&s);
	v = strmap_put(&s, "W1\0x", 4, &added);
	expect_int("put adds", added, 1);
	expect_int("with value 0", *v, 0);
	*v = 7;
	w = strmap_put(&s, "W1\0x", 4, &added);
	expect_int("put again finds", added, 0);
	expect_int("the value set through the first pointer", *w, 7);
	expect_mem("the map's copy of the key", strmap_key(&s, w), 4,
	    "W1\0x", 4);
	expect_int("NUL-terminated", strmap_key(&s, w)[4], 0);
	strmap_release(&s);
	/* Test vectors of the FNV reference (isthe.com/chongo/tech/comp/fnv). */
	expect_true("FNV-1a of \"\"", strmap_hash("", 0) ==
	    UINT64_C(0xcbf29ce484222325));
	expect_true("FNV-1a of \"a\"", strmap_hash("a", 1) ==
	    UINT64_C(0xaf63dc4c8601ec8c));
	expect_true("FNV-1a of \"foobar\"", strmap_hash("foobar", 6) ==
	    UINT64_C(0x85944171f73967e8));
}

int
main(void)
{
	test_basics();
	test_nul_bytes();
	test_growth();
	test_long_strings();
	test_find();
	test_put_key_hash();
	return unit_summary("strmap");
}
