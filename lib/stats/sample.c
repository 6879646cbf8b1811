/* sample.c: exact quantiles by nearest rank, bounded in memory. */
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"

/* xorshift64*: the reservoir's choices, the same in every run. */
static uint64_t
next(struct stats_sample *s)
{
	if (s->rng == 0)
		s->rng = 0x9e3779b97f4a7c15ULL;
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 2685821657736338717ULL;
}

void
stats_sample_add(struct stats_sample *s, int64_t value)
{
	uint64_t j;

	if (s->seen == 0 || value > s->max)
		s->max = value;
	s->seen++;
	s->sorted = 0;
	if (s->n < STATS_SAMPLE_MAX) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			if (s->cap > STATS_SAMPLE_MAX)
				s->cap = STATS_SAMPLE_MAX;
			s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
		}
		s->v[s->n++] = value;
		return;
	}
	j = next(s) % s->seen;
	if (j < STATS_SAMPLE_MAX)
		s->v[j] = value;
}

static int
cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t
stats_sample_rank(struct stats_sample *s, unsigned pct)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	if (pct >= 100)
		return s->max;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp);
		s->sorted = 1;
	}
	rank = ((size_t)pct * s->n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return s->v[rank - 1];
}

int
stats_sample_approx(const struct stats_sample *s)
{
	return s->seen > s->n;
}

void
stats_sample_release(struct stats_sample *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
