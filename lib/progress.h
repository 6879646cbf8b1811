/* progress.h: the progress of a long run on standard error. */
#ifndef PROGRESS_H
#define PROGRESS_H

/*
 * "PROG: N read, R/s, K rejects" on standard error, redrawn in place (a
 * carriage return) at most four times a second: when standard error is a
 * terminal and the run has taken a second, or always under --progress
 * (progress_force(1)); never under --no-progress (progress_force(0)).
 * The reading loops count what they read with progress(n) (jsonl_line()
 * does for every program that reads JSON Lines); it looks at the clock
 * only every so many records, about every 50 ms at the rate seen, so that
 * it costs an addition and a comparison per record.  reject_write()
 * counts the rejects in progress_rejects and clears the line before it
 * writes on standard error; cli_finish() ends it.
 */
struct progress_count {
	unsigned long	n;		/* records read */
	unsigned long	next;		/* look at the clock when n reaches
					 * it; ULONG_MAX: never */
};
extern struct progress_count	progress_count;
extern unsigned long		progress_rejects;

/* --progress (on 1) or --no-progress (on 0). */
void	progress_force(int on);

/* progress()'s look at the clock, and the drawing when it is time. */
void	progress_check(void);

/* n more records read. */
static inline void
progress(unsigned long n)
{
	progress_count.n += n;
	if (progress_count.n >= progress_count.next)
		progress_check();
}

/* Take the line off standard error (before other text goes there); the
 * next check draws it again. */
void	progress_clear(void);

/* End the line: drawn one last time with the final counts and a newline,
 * when it was drawn at all (or under --progress); and start again. */
void	progress_end(void);

#endif
