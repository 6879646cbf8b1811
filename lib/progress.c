/* progress.c: the progress of a long run on standard error. */
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

extern char *program_invocation_short_name;

/*
 * Progress.  The count is looked at every "step" records, a step that
 * grows or shrinks so that the clock is read about every 50 ms whatever
 * the rate: a fast reader does not pay for the clock, a slow one (a
 * carrier answering) still shows its progress.
 */
struct progress_count progress_count = { 0, 0 };
unsigned long progress_rejects;

/* --progress, --no-progress: 1, 0; -1: on a terminal. */
static int progress_mode = -1;

void
progress_force(int on)
{
	progress_mode = on;
}


static struct {
	int		 state;		/* 0 undecided, 1 on, -1 off */
	long long	 start, last;	/* ns: first check, last drawing */
	unsigned long	 step;
	size_t		 width;		/* of the line drawn; 0: none */
	int		 drawn;		/* ever */
} state;

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
progress_draw(long long now, const char *end)
{
	char line[160];
	long long ms = (now - state.start) / 1000000;
	unsigned long long rate;
	int n;

	rate = ms > 0 ? (unsigned long long)progress_count.n * 1000 /
	    (unsigned long long)ms : 0;
	n = snprintf(line, sizeof(line), "%s: %lu read, %llu/s, %lu rejects",
	    program_invocation_short_name, progress_count.n, rate,
	    progress_rejects);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* Spaces over what the last line had beyond this one: no escape
	 * sequences, so a log under --progress stays plain text. */
	fprintf(stderr, "\r%s%*s%s", line, state.width > (size_t)n ?
	    (int)(state.width - n) : 0, "", end);
	state.width = *end == '\n' ? 0 : (size_t)n;
	state.drawn = 1;
	state.last = now;
}

void
progress_check(void)
{
	long long now;
	unsigned long per50;

	if (state.state == 0) {
		state.state = progress_mode == 1 || (progress_mode == -1 &&
		    isatty(STDERR_FILENO)) ? 1 : -1;
		if (state.state == -1) {
			progress_count.next = ULONG_MAX;
			return;
		}
		state.start = state.last = now_ns();
		state.step = 1;
		progress_count.next = progress_count.n + 1;
		return;
	}
	if (state.state != 1)
		return;
	now = now_ns();
	/* About every 50 ms from here on, at the rate seen so far. */
	per50 = now > state.start ? (unsigned long)(
	    (unsigned long long)progress_count.n * 50000000ULL /
	    (unsigned long long)(now - state.start)) : 1;
	state.step = per50 < 1 ? 1 : per50 > 65536 ? 65536 : per50;
	progress_count.next = progress_count.n + state.step;
	/* A short run shows nothing until its end: a second before the
	 * first drawing (a quarter of one under --progress), a quarter of
	 * one between two. */
	if (now - state.start < (progress_mode == 1 ? 250000000LL :
	    1000000000LL) || now - state.last < 250000000LL)
		return;
	progress_draw(now, "");
}

void
progress_clear(void)
{
	if (state.width == 0)
		return;
	fprintf(stderr, "\r%*s\r", (int)state.width, "");
	state.width = 0;
}

void
progress_end(void)
{
	if (state.state == 1 && (state.drawn || progress_mode == 1))
		progress_draw(now_ns(), "\n");
	state.state = 0;
	state.drawn = 0;
	state.width = 0;
	progress_count.n = 0;
	progress_count.next = 0;
}

