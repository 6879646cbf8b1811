/* strmap.c: an open-addressing hash map of byte strings to numbers. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strmap.h"
#include "xalloc.h"

uint64_t
strmap_hash(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;

	while (len-- > 0) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void
strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

/* FNV-1a's low bits mix poorly for short keys that differ in their last
 * byte; fold the high half in before masking. */
static uint32_t
hash32(const char *p, size_t len)
{
	uint64_t h = strmap_hash(p, len);

	return (uint32_t)(h ^ (h >> 32));
}

/* A key in the arena: its length and hash, then its bytes and a NUL. */
struct head {
	uint32_t	len;
	uint32_t	hash;
};

static const struct head *
head_of(const char *key)
{
	return (const struct head *)(key - sizeof(struct head));
}

static struct strmap_slot *
slot(const struct strmap *m, const char *p, uint32_t len, uint32_t h)
{
	const struct head *k;
	size_t j;

	for (j = h & (m->cap - 1); m->slots[j].key != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		k = head_of(m->slots[j].key);
		if (k->hash == h && k->len == len &&
		    memcmp(m->slots[j].key, p, len) == 0)
			break;
	}
	return &m->slots[j];
}

static void
grow(struct strmap *m)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap, i, j;

	m->cap = oldcap ? oldcap * 2 : 1024;
	if (m->cap > SIZE_MAX / sizeof(*m->slots))
		xnomem();
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = head_of(old[i].key)->hash & (m->cap - 1);
		    m->slots[j].key != NULL; j = (j + 1) & (m->cap - 1))
			;
		m->slots[j] = old[i];
	}
	free(old);
}

/* The arena copy of a key, after its head. */
static const char *
save(struct strmap *m, const char *p, uint32_t len, uint32_t h)
{
	struct head k = { len, h };
	char *at;

	at = arena_alloc_aligned(&m->keys, sizeof(k) + (size_t)len + 1,
	    alignof(struct head));
	memcpy(at, &k, sizeof(k));
	memcpy(at + sizeof(k), p, len);
	at[sizeof(k) + len] = '\0';
	return at + sizeof(k);
}

unsigned long *
strmap_put(struct strmap *m, const char *p, size_t len, int *added)
{
	struct strmap_slot *s;
	uint32_t h;

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	h = hash32(p, len);
	s = slot(m, p, len, h);
	if (added != NULL)
		*added = s->key == NULL;
	if (s->key == NULL) {
		s->key = save(m, p, len, h);
		s->value = 0;
		m->n++;
	}
	return &s->value;
}

int
strmap_add(struct strmap *m, const char *p, size_t len, unsigned long value,
    unsigned long *old)
{
	unsigned long *v;
	int added;

	v = strmap_put(m, p, len, &added);
	if (added)
		*v = value;
	else if (old != NULL)
		*old = *v;
	return added;
}

unsigned long *
strmap_find(const struct strmap *m, const char *p, size_t len)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return NULL;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	s = slot(m, p, len, hash32(p, len));
	return s->key != NULL ? &s->value : NULL;
}

const char *
strmap_key(const struct strmap *m, const unsigned long *value)
{
	(void)m;
	return ((const struct strmap_slot *)((const char *)value -
	    offsetof(struct strmap_slot, value)))->key;
}

void
strmap_release(struct strmap *m)
{
	free(m->slots);
	arena_release(&m->keys);
	memset(m, 0, sizeof(*m));
}
