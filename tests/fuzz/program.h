/* program.h: a program's main() run as a function that returns, for the
 * whole-program harnesses.  Link with program.o and
 * -Wl,--wrap=exit,--wrap=err,--wrap=errx,--wrap=verr,--wrap=verrx,
 * --wrap=fclose. */
#ifndef PROGRAM_H
#define PROGRAM_H

#include <stdio.h>

/* Run mainfn(argc, argv) (argv NULL-terminated) with getopt(3) reset and
 * standard output and standard error going to out and errout (which the
 * program's fclose(3) of stdout only flushes).  exit(3) and err(3) inside
 * it return here instead of ending the process; exit(EX_SOFTWARE), an
 * internal error, and exit from another thread abort(3).  Returns the
 * program's exit status.  With FUZZ_VERBOSE in the environment, the
 * program's standard error is not errout but the harness's, and its exit
 * status follows. */
int	 program_run(int (*mainfn)(int, char **), int argc, char **argv,
	    FILE *out, FILE *errout);

/* 1 when the last program_run() ended through exit(3) or err(3). */
extern int program_exited;

#endif
