/* program.c: exit(3) as a return, so that libFuzzer can call a program's
 * main() again and again.  exit(), err() and the like are wrapped by the
 * linker (--wrap) in the program's and the library's objects; inside
 * program_run() they jump back to it, outside they are themselves. */
#include <err.h>
#include <getopt.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "fuzz.h"
#include "program.h"

void	 __real_exit(int) __attribute__((noreturn));
int	 __real_fclose(FILE *);
void	 __wrap_exit(int) __attribute__((noreturn));
void	 __wrap_err(int, const char *, ...) __attribute__((noreturn));
void	 __wrap_errx(int, const char *, ...) __attribute__((noreturn));
void	 __wrap_verr(int, const char *, va_list) __attribute__((noreturn));
void	 __wrap_verrx(int, const char *, va_list) __attribute__((noreturn));
int	 __wrap_fclose(FILE *);

int program_exited;

static jmp_buf	 *jump;		/* set while a program runs */
static pthread_t  runner;	/* the thread that runs it */
static int	  exit_status;
static FILE	 *kept[2];	/* what the program may not close */

void
__wrap_exit(int status)
{
	if (jump == NULL)
		__real_exit(status);
	if (!pthread_equal(pthread_self(), runner))
		fuzz_fail(__FILE__, __LINE__, "exit from another thread");
	if (status == EX_SOFTWARE)
		fuzz_fail(__FILE__, __LINE__, "exit 70: an internal error");
	exit_status = status;
	longjmp(*jump, 1);
}

/* err(3) and errx(3) with the program's stderr; an internal error's
 * message goes to descriptor 2 as well, to be seen with the crash. */
void
__wrap_verr(int status, const char *fmt, va_list ap)
{
	va_list copy;

	if (status == EX_SOFTWARE && jump != NULL) {
		va_copy(copy, ap);
		vdprintf(2, fmt, copy);
		dprintf(2, "\n");
		va_end(copy);
	}
	vwarn(fmt, ap);
	__wrap_exit(status);
}

void
__wrap_verrx(int status, const char *fmt, va_list ap)
{
	va_list copy;

	if (status == EX_SOFTWARE && jump != NULL) {
		va_copy(copy, ap);
		vdprintf(2, fmt, copy);
		dprintf(2, "\n");
		va_end(copy);
	}
	vwarnx(fmt, ap);
	__wrap_exit(status);
}

void
__wrap_err(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	__wrap_verr(status, fmt, ap);
}

void
__wrap_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	__wrap_verrx(status, fmt, ap);
}

/* The programs end with fclose(stdout); the harness's stream stays open. */
int
__wrap_fclose(FILE *fp)
{
	if (fp != NULL && (fp == kept[0] || fp == kept[1]))
		return fflush(fp) == EOF || ferror(fp) ? EOF : 0;
	return __real_fclose(fp);
}

/* main() with exit() as a return; apart from program_run(), whose locals
 * would be clobbered by longjmp(). */
static int
run_main(int (*mainfn)(int, char **), int argc, char **argv)
{
	jmp_buf here;

	runner = pthread_self();
	program_exited = 0;
	if (setjmp(here) == 0) {
		jump = &here;
		exit_status = mainfn(argc, argv);
	} else
		program_exited = 1;
	jump = NULL;
	return exit_status;
}

int
program_run(int (*mainfn)(int, char **), int argc, char **argv, FILE *out,
    FILE *errout)
{
	FILE *saved_out = stdout, *saved_err = stderr;
	int status, verbose = getenv("FUZZ_VERBOSE") != NULL;

	if (verbose)
		errout = stderr;
	kept[0] = stdout = out;
	kept[1] = stderr = errout;
	optind = 0;			/* glibc: start afresh */
	opterr = 1;
	status = run_main(mainfn, argc, argv);
	kept[0] = kept[1] = NULL;
	fflush(out);
	fflush(errout);
	stdout = saved_out;
	stderr = saved_err;
	if (verbose)
		fprintf(stderr, "%s: exit %d\n", argv[0], status);
	return status;
}
