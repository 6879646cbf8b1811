/* cli.h: the options every program shares, and how a run ends. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>

/* Option characters of the common long options; programs use other ones. */
#define CLI_HELP	'h'
#define CLI_REJECTS	'r'
#define CLI_STATS	0x101
#define CLI_STRICT	0x102
#define CLI_VERSION	0x103

/* Entries for a program's struct option array (kept sorted by name there). */
#define CLI_OPT_HELP	{ "help", no_argument, NULL, CLI_HELP }
#define CLI_OPT_REJECTS	{ "rejects", required_argument, NULL, CLI_REJECTS }
#define CLI_OPT_STATS	{ "stats", no_argument, NULL, CLI_STATS }
#define CLI_OPT_STRICT	{ "strict", no_argument, NULL, CLI_STRICT }
#define CLI_OPT_VERSION	{ "version", no_argument, NULL, CLI_VERSION }

struct reject_stream;

struct cli {
	const char	*usage;		/* the SYNOPSIS, for --help and errors */
	const char	*rejects_path;	/* --rejects, NULL: standard error */
	int		 strict;	/* --strict: a reject makes the exit 65 */
	int		 stats;		/* --stats: counts on standard error */
	const char	*out_error;	/* standard output failed during the
					 * run: cli_finish()'s message, in
					 * the program's words; NULL: not */
};

/* Handle a common option ch (with its optarg): --help prints the usage on
 * standard output and exits 0, --version the version and exits 0, '?' (a
 * bad option) prints the usage on standard error and exits 64.  Returns 1
 * when ch was one of them, 0 when it is the program's own. */
int	cli_option(struct cli *, int ch, const char *arg);

/* Print the usage on standard error and exit 64, after "PROG: MESSAGE" when
 * fmt is not NULL. */
void	cli_usage_error(const struct cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* The exit status of a run that ended with status (0 or a sysexits code
 * from reading and writing) and nrejects rejects: 65 under --strict when
 * there were rejects and nothing worse happened. */
int	cli_status(const struct cli *, int status, unsigned long nrejects);

/* The worse of two exit statuses, the one a cron job must act on first:
 * 0, then 65 (data), 66 (an input), 75 (retry later), 69 (a service), 78
 * (configuration), 73 (an output not created), 74 (an output cut short);
 * any other code is worse than all of them. */
int	cli_worse(int a, int b);

/*
 * The end of main(), after the inputs are closed, status what the run
 * gave so far (0 or a sysexits code).  In order: under --stats, the line
 * "PROG: " fmt on standard error (fmt NULL: none); rejects closed (NULL:
 * none); standard output flushed and closed, with "cannot write
 * '<stdout>': REASON" when that fails (or out_error, not flushed again,
 * when the program found it failing before).  Returns the exit status:
 * the worse of status and 74 when a write failed, or 65 under --strict
 * when there were rejects (rejects->count) and nothing else went wrong.
 */
int	cli_finish(const struct cli *, int status,
	    struct reject_stream *rejects, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
