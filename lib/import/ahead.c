/* ahead.c: an export's CSV rows read, decoded and keyed on a thread of
 * their own, ahead of the import. */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "charset.h"
#include "csvread.h"
#include "import.h"
#include "xalloc.h"

/* The key of a row: the first group column with a value, as its bytes
 * were read (spaces, tabs and a CR around it aside). */
static uint64_t
row_key(const struct import_map *map, const struct csvread_row *raw,
    long *col)
{
	const char *f;
	size_t i, fl;
	long c;

	*col = -1;
	for (i = 0; i < map->ngroup; i++) {
		c = map->group_col[i];
		if (c < 0 || (size_t)c >= raw->nfields)
			continue;
		f = raw->fields[c];
		fl = raw->lens[c];
		while (fl > 0 && (*f == ' ' || *f == '\t')) {
			f++;
			fl--;
		}
		while (fl > 0 && (f[fl - 1] == ' ' || f[fl - 1] == '\t' ||
		    f[fl - 1] == '\r'))
			fl--;
		if (fl > 0) {
			*col = c;
			return import_key_hash(f, fl);
		}
	}
	return 0;
}

/* Copy the row read last into batch b. */
static void
ahead_add(struct import_ahead *a, struct import_ahead_batch *b,
    struct csvread_row *raw)
{
	struct import_ahead_row *ar = &b->rows[b->nrows++];
	size_t i, len;

	ar->n = ++a->n;
	ar->line = raw->line;
	ar->off = raw->off;
	ar->len = raw->len;
	ar->first = b->nfields;
	ar->nfields = 0;
	ar->hash = 0;
	ar->keycol = -1;
	ar->bad_encoding = 0;
	if ((ar->blank = import_row_blank(raw)))
		return;
	import_row_decode(&a->row, raw, a->cs);
	ar->bad_encoding = a->row.bad_encoding;
	ar->hash = row_key(a->map, raw, &ar->keycol);
	ar->nfields = a->row.nfields;
	if (b->nfields + ar->nfields > b->capfields) {
		b->capfields = (b->nfields + ar->nfields) * 2;
		b->offs = xrealloc(b->offs, b->capfields * sizeof(*b->offs));
	}
	for (i = 0; i < ar->nfields; i++) {
		len = strlen(a->row.fields[i]) + 1;
		if (b->used + len > b->cap) {
			b->cap = (b->used + len) * 2;
			b->text = xrealloc(b->text, b->cap);
		}
		memcpy(b->text + b->used, a->row.fields[i], len);
		b->offs[b->nfields++] = b->used;
		b->used += len;
	}
}

static void *
ahead_run(void *arg)
{
	struct import_ahead *a = arg;
	struct import_ahead_batch *b;
	struct csvread_row *raw = NULL;

	do {
		pthread_mutex_lock(&a->lock);
		while (a->count == IMPORT_AHEAD_BATCHES)
			pthread_cond_wait(&a->emptied, &a->lock);
		b = &a->batch[(a->head + a->count) % IMPORT_AHEAD_BATCHES];
		pthread_mutex_unlock(&a->lock);
		b->nrows = b->nfields = b->used = 0;
		while (b->nrows < IMPORT_AHEAD_ROWS &&
		    (raw = csvread_next(&a->reader)) != NULL)
			ahead_add(a, b, raw);
		pthread_mutex_lock(&a->lock);
		if (b->nrows > 0)
			a->count++;
		if (raw == NULL) {
			a->error = a->reader.error;
			a->done = 1;
		}
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->lock);
	} while (raw != NULL);
	return NULL;
}

/* Read the rows of fp on a new thread, decoded through cs, their keys the
 * group columns of map.  Neither may change until import_ahead_finish(). */
void
import_ahead_start(struct import_ahead *a, FILE *fp, char delim,
    struct charset *cs, const struct import_map *map)
{
	int e;

	memset(a, 0, sizeof(*a));
	csvread_init(&a->reader, fp, NULL, delim);
	a->cs = cs;
	a->map = map;
	if ((e = pthread_mutex_init(&a->lock, NULL)) != 0 ||
	    (e = pthread_cond_init(&a->filled, NULL)) != 0 ||
	    (e = pthread_cond_init(&a->emptied, NULL)) != 0 ||
	    (e = pthread_create(&a->thread, NULL, ahead_run, a)) != 0) {
		errno = e;
		err(EX_OSERR, "cannot start a thread");
	}
}

/* The next full batch, the one before it given back; NULL at the end. */
struct import_ahead_batch *
import_ahead_next(struct import_ahead *a, struct import_ahead_batch *prev)
{
	struct import_ahead_batch *b = NULL;

	pthread_mutex_lock(&a->lock);
	if (prev != NULL) {
		a->head = (a->head + 1) % IMPORT_AHEAD_BATCHES;
		a->count--;
		pthread_cond_signal(&a->emptied);
	}
	while (a->count == 0 && !a->done)
		pthread_cond_wait(&a->filled, &a->lock);
	if (a->count > 0)
		b = &a->batch[a->head];
	pthread_mutex_unlock(&a->lock);
	return b;
}

/* Wait for the reader (at its end) and free all; its read error, or 0. */
int
import_ahead_finish(struct import_ahead *a)
{
	size_t i;
	int e;

	if ((e = pthread_join(a->thread, NULL)) != 0) {
		errno = e;
		err(EX_OSERR, "cannot join a thread");
	}
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->filled);
	pthread_cond_destroy(&a->emptied);
	for (i = 0; i < IMPORT_AHEAD_BATCHES; i++) {
		free(a->batch[i].text);
		free(a->batch[i].offs);
	}
	csvread_release(&a->reader);
	import_row_release(&a->row);
	return a->error;
}

