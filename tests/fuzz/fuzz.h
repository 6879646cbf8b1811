/* fuzz.h: what the libFuzzer harnesses share: their entry points, input
 * as a file, and checks that crash the run when a property fails. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called by libFuzzer (or replay.c) once per input; returns 0. */
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A file that holds an input, so that code which opens paths can read it:
 * a memfd(2), rewritten for each input, named by /proc/self/fd. */
struct fuzz_file {
	int	 fd;
	char	 path[32];
};

/* Make f (once; the file lives as long as the process) hold
 * data[0..size-1]; returns its path. */
const char *fuzz_file_set(struct fuzz_file *f, const void *data,
	    size_t size);

/* The whole content of f as a new NUL-terminated buffer, its length in
 * *lenp; the caller frees. */
char	*fuzz_file_get(struct fuzz_file *f, size_t *lenp);

/* Check that f holds JSON lines, each one object, each with a non-empty
 * "errors" array when rejects is 1; returns their number. */
unsigned long fuzz_check_jsonl(struct fuzz_file *f, int rejects);

/* The number of lines of text that a JSON Lines reader takes for records:
 * those with more than spaces and tabs, a CR before the line end and a
 * BOM at the start aside. */
unsigned long fuzz_count_lines(const uint8_t *text, size_t len);

/* A new NUL-terminated copy of data[0..size-1]; the caller frees. */
char	*fuzz_strndup(const void *data, size_t size);

/* Split data[0..size-1] at the first line that is exactly "%%": the part
 * before it in *a (the line end before "%%" included), the part after it
 * in *b.  Returns 1, or 0 (*a empty, *b all) when there is no such line. */
int	 fuzz_split(const uint8_t *data, size_t size, const uint8_t **a,
	    size_t *alen, const uint8_t **b, size_t *blen);

/* Send what the code under test writes on standard error (warnings) to
 * /dev/null while quiet is 1, and back with 0.  The checks below and the
 * sanitizers write to descriptor 2 all the same. */
void	 fuzz_quiet(int quiet);

/* When cond is false, print "fuzz: FILE:LINE: what" and abort(3), so that
 * libFuzzer keeps the input as a crash. */
#define fuzz_check(cond, what) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, (what)))
void	 fuzz_fail(const char *file, int line, const char *what)
	    __attribute__((noreturn));

#endif
