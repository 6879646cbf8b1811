/* pipeline.h: a record-at-a-time program on every core, its output in
 * input order. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>

#include "jsonl.h"
#include "reject.h"

/*
 * The thread that calls pipeline_run() reads the input with jsonl_line()
 * (the one reader: progress, line numbers, blank lines, unreadable
 * operands as a lone thread has them) and cuts it into batches of lines;
 * N workers each take a batch and turn every line into its output (a
 * record for standard output) and its rejects, in buffers of the batch;
 * the calling thread writes the batches in input order, so that both
 * streams are byte for byte what one thread writes.  At most a few
 * batches per worker are read ahead, so memory does not grow with the
 * input.  A batch is cut short when the input pauses, and all that was
 * read is written before the reader waits for more.
 *
 * What is not one line's alone (order-validate's duplicate ids) is done
 * in order on the calling thread: a worker leaves a key for a line, and
 * the keyed() callback decides, in input order, whether the line's output
 * stands.
 *
 * A worker must not exit(3) but for out of memory (71): the streams are
 * the calling thread's.  Values it makes with jansson it frees itself
 * (lib/valueblock.h keeps blocks per thread).
 */

/* A line of a batch, and where what it gave ends in the batch's
 * buffers. */
struct pipeline_line {
	size_t		 off, len;	/* its text in the batch's text */
	unsigned long	 lineno;	/* in its input */
	const char	*file;		/* jsonl_input_name() */
	size_t		 out_end;	/* its output ends at out.len */
	size_t		 rej_end, codes_end; /* its rejects end there */
	size_t		 key_off, key_len; /* its key in keys; len 0: none */
};

struct pipeline_batch {
	char		*text;		/* the lines, each NUL-terminated */
	size_t		 textcap, textlen;
	struct pipeline_line *lines;
	size_t		 nlines, linecap;
	struct jsonl_out out;		/* what goes to standard output */
	struct reject_batch rejects;
	struct jsonl_out keys;		/* the lines' keys, for keyed() */
	unsigned long	 counts[4];	/* the program's, summed by it in
					 * done() */
	int		 state;
};

struct pipeline_ops {
	/* On each worker as it starts: its own state (a copy of what the
	 * program's checks change). */
	void	*(*start)(void *arg);
	/* Line i of b (b->lines[i], its text at b->text + off): append its
	 * output to b->out, its rejects with reject_batch_add(), and a key
	 * with pipeline_key(). */
	void	 (*line)(void *worker, struct pipeline_batch *b, size_t i);
	/* On each worker as it ends: free its state. */
	void	 (*stop)(void *worker);
	/* In input order, on the calling thread, before line i's output is
	 * written: 1 to drop it (keyed() wrote a reject of its own
	 * instead), 0 to keep it.  NULL: keys are not used. */
	int	 (*keyed)(void *arg, struct pipeline_batch *b, size_t i,
		    const char *key, size_t len);
	/* In input order, on the calling thread, after the batch is
	 * written. */
	void	 (*done)(void *arg, struct pipeline_batch *b);
};

/* The number of --jobs N: 1 to 1024, or -1. */
int	 pipeline_jobs(const char *arg);

/* The number of workers without --jobs: the online processors. */
int	 pipeline_default_jobs(void);

/* Set the key of line i of b (a worker, in line()). */
void	 pipeline_key(struct pipeline_batch *b, size_t i, const char *key,
	    size_t len);

/* Run the lines of in through jobs workers (2 or more); the outputs to
 * out, the rejects to rs.  Returns when the input has ended and every
 * worker has, out neither flushed nor closed.  Exits 71 when a thread
 * cannot be started. */
void	 pipeline_run(struct jsonl_reader *in, int jobs,
	    const struct pipeline_ops *ops, void *arg, FILE *out,
	    struct reject_stream *rs);

#endif
