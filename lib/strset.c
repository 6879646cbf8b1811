/* strset.c: an open-addressing hash set whose strings live in big blocks,
 * so that a million order ids cost two allocations per 64 KiB, not one
 * each. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "xalloc.h"

#define BLOCK	65536

void
strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
}

/* FNV-1a, 64 bits: ids are short, and the table is ours alone. */
static uint64_t
hash(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	while (len-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

/* Strings are stored as a 4-byte length and the bytes. */
static char *
store(struct strset *s, const char *p, size_t len)
{
	char *at;
	uint32_t n = len;
	size_t need = len + sizeof(n);

	if (need > s->arena_left) {
		size_t size = need > BLOCK ? need : BLOCK;

		s->blocks = xrealloc(s->blocks,
		    (s->nblocks + 1) * sizeof(*s->blocks));
		s->arena = s->blocks[s->nblocks++] = xmalloc(size);
		s->arena_left = size;
	}
	at = s->arena;
	memcpy(at, &n, sizeof(n));
	memcpy(at + sizeof(n), p, len);
	s->arena += need;
	s->arena_left -= need;
	return at;
}

static int
equal(const char *stored, const char *p, size_t len)
{
	uint32_t n;

	memcpy(&n, stored, sizeof(n));
	return n == len && memcmp(stored + sizeof(n), p, len) == 0;
}

static void
grow(struct strset *s)
{
	char **old = s->slots;
	unsigned long *oldv = s->values;
	size_t oldcap = s->cap, i, j;
	uint32_t n;

	s->cap = oldcap ? oldcap * 2 : 1024;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	s->values = xmalloc(s->cap * sizeof(*s->values));
	for (i = 0; i < oldcap; i++) {
		if (old[i] == NULL)
			continue;
		memcpy(&n, old[i], sizeof(n));
		j = hash(old[i] + sizeof(n), n) & (s->cap - 1);
		while (s->slots[j] != NULL)
			j = (j + 1) & (s->cap - 1);
		s->slots[j] = old[i];
		s->values[j] = oldv[i];
	}
	free(old);
	free(oldv);
}

int
strset_add(struct strset *s, const char *p, size_t len, unsigned long value,
    unsigned long *old)
{
	size_t j;

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	j = hash(p, len) & (s->cap - 1);
	while (s->slots[j] != NULL) {
		if (equal(s->slots[j], p, len)) {
			if (old != NULL)
				*old = s->values[j];
			return 0;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->slots[j] = store(s, p, len);
	s->values[j] = value;
	s->n++;
	return 1;
}

unsigned long *
strset_find(const struct strset *s, const char *p, size_t len)
{
	size_t j;

	if (s->cap == 0)
		return NULL;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	for (j = hash(p, len) & (s->cap - 1); s->slots[j] != NULL;
	    j = (j + 1) & (s->cap - 1))
		if (equal(s->slots[j], p, len))
			return &s->values[j];
	return NULL;
}

void
strset_release(struct strset *s)
{
	size_t i;

	for (i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->slots);
	free(s->values);
	memset(s, 0, sizeof(*s));
}
