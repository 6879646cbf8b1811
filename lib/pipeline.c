/* pipeline.c: lines read on one thread, made into records on N, written
 * in input order (pipeline.h). */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "jsonl.h"
#include "pipeline.h"
#include "reject.h"
#include "valueblock.h"
#include "xalloc.h"

/* A batch is cut at so many lines or bytes: large enough that taking it
 * costs nothing beside its work, small enough that a few per worker keep
 * memory flat. */
#define BATCH_LINES	256
#define BATCH_BYTES	(256 * 1024)
#define SLOTS_PER_JOB	4

enum { SLOT_FREE, SLOT_READY, SLOT_DONE };

struct pipeline {
	pthread_mutex_t		 lock;
	pthread_cond_t		 ready;		/* a batch to take, or the end */
	pthread_cond_t		 done;		/* a batch done */
	struct pipeline_batch	*slots;
	size_t			 nslots;
	unsigned long		 nread;		/* batches given to workers */
	unsigned long		 ntaken;	/* taken by them */
	unsigned long		 nwritten;	/* written */
	int			 end;		/* no more batches */
	const struct pipeline_ops *ops;
	void			*arg;
};

int
pipeline_jobs(const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < 1 || n > 1024)
		return -1;
	return (int)n;
}

int
pipeline_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 1024 ? 1024 : (int)n;
}

void
pipeline_key(struct pipeline_batch *b, size_t i, const char *key, size_t len)
{
	b->lines[i].key_off = b->keys.len;
	b->lines[i].key_len = len;
	jsonl_out_raw(&b->keys, key, len);
}

static void
lock(struct pipeline *p)
{
	if ((errno = pthread_mutex_lock(&p->lock)) != 0)
		err(EX_SOFTWARE, "pthread_mutex_lock");
}

static void
unlock(struct pipeline *p)
{
	if ((errno = pthread_mutex_unlock(&p->lock)) != 0)
		err(EX_SOFTWARE, "pthread_mutex_unlock");
}

/* Every line of b through line(), noting where what each gave ends. */
static void
work(const struct pipeline_ops *ops, void *state, struct pipeline_batch *b)
{
	struct pipeline_line *l;
	size_t i;

	b->out.len = b->rejects.text.len = b->rejects.codes.len = 0;
	b->keys.len = 0;
	memset(b->counts, 0, sizeof(b->counts));
	for (i = 0; i < b->nlines; i++) {
		l = &b->lines[i];
		l->key_len = 0;
		ops->line(state, b, i);
		l->out_end = b->out.len;
		l->rej_end = b->rejects.text.len;
		l->codes_end = b->rejects.codes.len;
	}
}

static void *
worker(void *arg)
{
	struct pipeline *p = arg;
	struct pipeline_batch *b;
	void *state;

	state = p->ops->start(p->arg);
	for (;;) {
		lock(p);
		while (p->ntaken == p->nread && !p->end)
			pthread_cond_wait(&p->ready, &p->lock);
		if (p->ntaken == p->nread) {
			unlock(p);
			break;
		}
		b = &p->slots[p->ntaken++ % p->nslots];
		unlock(p);
		work(p->ops, state, b);
		lock(p);
		b->state = SLOT_DONE;
		pthread_cond_signal(&p->done);
		unlock(p);
	}
	p->ops->stop(state);
	valueblock_release();
	return NULL;
}

/* Write the output of b's lines [from, to) and their rejects. */
static void
put(FILE *out, struct reject_stream *rs, const struct pipeline_batch *b,
    size_t from, size_t to)
{
	const struct pipeline_line *first, *last;
	size_t o, r, c;

	if (from == to)
		return;
	first = &b->lines[from];
	last = &b->lines[to - 1];
	o = from == 0 ? 0 : first[-1].out_end;
	r = from == 0 ? 0 : first[-1].rej_end;
	c = from == 0 ? 0 : first[-1].codes_end;
	if (last->out_end > o)
		fwrite(b->out.buf + o, 1, last->out_end - o, out);
	reject_batch_put(rs, &b->rejects, r, last->rej_end, c,
	    last->codes_end);
}

/* Wait for the oldest batch, write it and free its slot. */
static void
write_oldest(struct pipeline *p, FILE *out, struct reject_stream *rs)
{
	struct pipeline_batch *b = &p->slots[p->nwritten % p->nslots];
	const struct pipeline_line *l;
	size_t i, from = 0;

	lock(p);
	while (b->state != SLOT_DONE)
		pthread_cond_wait(&p->done, &p->lock);
	unlock(p);
	for (i = 0; p->ops->keyed != NULL && i < b->nlines; i++) {
		l = &b->lines[i];
		if (l->key_len == 0)
			continue;
		/* What came before goes first: keyed() may write a reject. */
		put(out, rs, b, from, i);
		from = i;
		if (p->ops->keyed(p->arg, b, i, b->keys.buf + l->key_off,
		    l->key_len)) {
			/* Its rejects, if any, but not its output. */
			reject_batch_put(rs, &b->rejects,
			    i == 0 ? 0 : l[-1].rej_end, l->rej_end,
			    i == 0 ? 0 : l[-1].codes_end, l->codes_end);
			from = i + 1;
		}
	}
	put(out, rs, b, from, b->nlines);
	if (p->ops->done != NULL)
		p->ops->done(p->arg, b);
	b->state = SLOT_FREE;
	p->nwritten++;
}

/* Add the line to b. */
static void
add_line(struct pipeline_batch *b, const struct jsonl_reader *in,
    const char *line, size_t len)
{
	struct pipeline_line *l;

	if (b->nlines == b->linecap) {
		b->linecap = b->linecap ? b->linecap * 2 : BATCH_LINES;
		b->lines = xrealloc(b->lines, b->linecap *
		    sizeof(*b->lines));
	}
	if (b->textcap - b->textlen < len + 1) {
		while (b->textcap - b->textlen < len + 1)
			b->textcap = b->textcap ? b->textcap * 2 :
			    BATCH_BYTES + 4096;
		b->text = xrealloc(b->text, b->textcap);
	}
	l = &b->lines[b->nlines++];
	l->off = b->textlen;
	l->len = len;
	l->lineno = in->lineno;
	l->file = jsonl_input_name(in);
	memcpy(b->text + b->textlen, line, len);
	b->text[b->textlen + len] = '\0';
	b->textlen += len + 1;
}

static void
release(struct pipeline_batch *b)
{
	free(b->text);
	free(b->lines);
	free(b->out.buf);
	free(b->keys.buf);
	reject_batch_release(&b->rejects);
}

void
pipeline_run(struct jsonl_reader *in, int jobs, const struct pipeline_ops *ops,
    void *arg, FILE *out, struct reject_stream *rs)
{
	struct pipeline p;
	struct pipeline_batch *b;
	pthread_t *threads;
	char *line;
	size_t len, i;
	int eof = 0, n;

	memset(&p, 0, sizeof(p));
	p.ops = ops;
	p.arg = arg;
	p.nslots = (size_t)jobs * SLOTS_PER_JOB;
	p.slots = xcalloc(p.nslots, sizeof(*p.slots));
	if (pthread_mutex_init(&p.lock, NULL) != 0 ||
	    pthread_cond_init(&p.ready, NULL) != 0 ||
	    pthread_cond_init(&p.done, NULL) != 0)
		errx(EX_OSERR, "cannot start the workers");
	threads = xcalloc(jobs, sizeof(*threads));
	for (n = 0; n < jobs; n++)
		if ((errno = pthread_create(&threads[n], NULL, worker,
		    &p)) != 0)
			err(EX_OSERR, "cannot start a worker thread");
	while (!eof) {
		if (p.nread - p.nwritten == p.nslots)
			write_oldest(&p, out, rs);
		b = &p.slots[p.nread % p.nslots];
		b->nlines = b->textlen = 0;
		for (;;) {
			if ((line = jsonl_line(in, &len)) == NULL) {
				eof = 1;
				break;
			}
			add_line(b, in, line, len);
			if (b->nlines == BATCH_LINES ||
			    b->textlen >= BATCH_BYTES || !jsonl_ready(in))
				break;
		}
		if (b->nlines == 0)
			break;
		lock(&p);
		b->state = SLOT_READY;
		p.nread++;
		pthread_cond_signal(&p.ready);
		unlock(&p);
		/* The input pauses: out with all it gave before waiting. */
		if (!eof && !jsonl_ready(in)) {
			while (p.nwritten < p.nread)
				write_oldest(&p, out, rs);
			fflush(out);
		}
	}
	while (p.nwritten < p.nread)
		write_oldest(&p, out, rs);
	lock(&p);
	p.end = 1;
	pthread_cond_broadcast(&p.ready);
	unlock(&p);
	for (n = 0; n < jobs; n++)
		pthread_join(threads[n], NULL);
	free(threads);
	for (i = 0; i < p.nslots; i++)
		release(&p.slots[i]);
	free(p.slots);
	pthread_cond_destroy(&p.done);
	pthread_cond_destroy(&p.ready);
	pthread_mutex_destroy(&p.lock);
}
