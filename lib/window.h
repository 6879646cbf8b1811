/* window.h: a window of JSON lines read ahead of their turn: taken from a
 * jsonl_reader until a count or a pause, put in time order, and read
 * again from their files a chunk at a time. */
#ifndef WINDOW_H
#define WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct jsonl_reader;

#define WINDOW_UNTIMED	INT64_MAX	/* no time: after all others */

/* A line of the window, until its turn. */
struct window_line {
	const char	*line;		/* its text (the window's: in its arena,
					 * or read again into its chunk by
					 * window_chunk()), or NULL */
	long long	 offset;	/* where it lies in its input */
	size_t		 len;
	unsigned long	 lineno;
	int64_t		 when;		/* its time key in epoch seconds, or
					 * WINDOW_UNTIMED */
	uint32_t	 input;		/* of the window's inputs */
	uint32_t	 seq;		/* its place as read */
};

/* An input of the window's lines. */
struct window_input {
	int		 next;		/* the reader's, for the input */
	int		 fd;		/* the window's own, to read a regular
					 * file's lines again; -1: lines kept */
	const char	*name;		/* borrowed from the reader */
	const char	*file;		/* its name in rejects, or NULL */
};

/*
 * The lines read and not yet taken.  A window reads what it is given
 * before any is taken: the input to its end, or until it pauses for
 * pause_ms (a stream such as tail -f: what came so far goes now, not when
 * the stream ends), or max lines.  A line of a regular file is noted by
 * its place and read again when its turn comes, many to a read: memory a
 * run first touches costs more than reading the page cache again, and a
 * file of a million lines is not held whole.  A line of a pipe is kept.
 * All the window's memory and descriptors are its own.
 */
struct window {
	struct window_line *v;		/* v[0..n): in the order of turns */
	size_t		 n, cap;
	size_t		 max;
	int		 pause_ms;
	const char	*time_key;	/* borrowed; NULL: input order */
	struct window_input *inputs;
	size_t		 ninputs;
	struct arena	 arena;		/* lines kept */
	char		*chunk;		/* lines read again, a chunk's */
	size_t		 chunkcap;
	struct window_line **order;	/* a chunk's lines by place */
	size_t		 ordercap;
};

/* An empty window of at most max lines that waits pause_ms (0: not at
 * all) for more of a pausing input.  time_key names the member (a string
 * at the top of each line's object, an RFC 3339 time) whose time orders
 * the lines, oldest first, those without one last, else as read; NULL:
 * as read. */
void	 window_init(struct window *, size_t max, int pause_ms,
	    const char *time_key);

/* Read the next window from in (after window_clear()), in the order of
 * turns; *eof is set at the end of the input.  Out of descriptors, the
 * window keeps a file's lines as it does a pipe's; another dup(2) failure
 * exits 71. */
void	 window_read(struct window *, struct jsonl_reader *in, int *eof);

/* Make the text of lines v[from..to) ready, to = from + most or n, and
 * return to: lines not kept are read again, in their files' order, near
 * ones in one read.  A file cut short or unreadable since exits 74.  The
 * texts last until the next window_chunk() or window_clear(). */
size_t	 window_chunk(struct window *, size_t from, size_t most);

/* The name of line's input as rejects give it ("file"), or NULL. */
const char *window_file(const struct window *,
	    const struct window_line *line);

/* Close what the window read: it is empty again. */
void	 window_clear(struct window *);

/* window_clear(), and free the window's memory. */
void	 window_release(struct window *);

#endif
