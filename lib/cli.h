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
#define CLI_PROGRESS	0x104
#define CLI_NO_PROGRESS	0x105

/* Entries for a program's struct option array (kept sorted by name there). */
#define CLI_OPT_HELP	{ "help", no_argument, NULL, CLI_HELP }
#define CLI_OPT_REJECTS	{ "rejects", required_argument, NULL, CLI_REJECTS }
#define CLI_OPT_STATS	{ "stats", optional_argument, NULL, CLI_STATS }
#define CLI_OPT_STRICT	{ "strict", no_argument, NULL, CLI_STRICT }
#define CLI_OPT_VERSION	{ "version", no_argument, NULL, CLI_VERSION }
#define CLI_OPT_PROGRESS { "progress", no_argument, NULL, CLI_PROGRESS }
#define CLI_OPT_NO_PROGRESS \
			{ "no-progress", no_argument, NULL, CLI_NO_PROGRESS }

/* One line of --help: an option as the SYNOPSIS writes it ("--db PATH|URL")
 * or an exit status ("75"), and what it does, a line of text. */
struct cli_item {
	const char	*name;
	const char	*text;
};

/* The lines of the common options, for a program's list of its options. */
#define CLI_ITEM_HELP	{ "--help", "print this help and exit" }
#define CLI_ITEM_REJECTS { "--rejects FILE", \
			"append rejects to FILE (default: standard error)" }
#define CLI_ITEM_STATS	{ "--stats[=json|FILE]", \
			"the counts on standard error: prose, json, or JSON " \
			"to FILE" }
#define CLI_ITEM_STRICT	{ "--strict", "exit 65 when a record was rejected" }
#define CLI_ITEM_PROGRESS { "--progress", \
			"show progress on standard error, even off a terminal" }
#define CLI_ITEM_NO_PROGRESS { "--no-progress", \
			"show no progress, even on a terminal" }
#define CLI_ITEM_VERSION { "--version", "print the version and exit" }

/* What --help says besides the usage: each program gives its texts, the
 * layout is cli_option()'s. */
struct cli_help {
	const char		*purpose;	/* one line: what the program
						 * does */
	const struct cli_item	*options;	/* ends with { NULL, NULL } */
	const int		*exits;		/* the exit statuses it uses,
						 * ending with -1; their
						 * meanings are orderkit(7)'s */
	const char		*page;		/* "order-validate(1)" */
};

struct reject_stream;

struct cli {
	const char	*usage;		/* the SYNOPSIS, for --help and errors */
	const struct cli_help *help;	/* for --help; NULL: the usage alone */
	const char	*rejects_path;	/* --rejects, NULL: standard error */
	int		 strict;	/* --strict: a reject makes the exit 65 */
	int		 stats;		/* --stats: counts on standard error */
	int		 stats_json;	/* --stats=json or --stats=FILE */
	const char	*stats_path;	/* --stats=FILE, NULL: standard error */
	const char	*out_error;	/* standard output failed during the
					 * run: cli_finish()'s message, in
					 * the program's words; NULL: not */
};

/* Handle a common option ch (with its optarg): --help prints the usage and
 * the help (purpose, options, exit statuses, the page) on standard output
 * and exits 0, --version the version and exits 0, '?' (a bad option)
 * prints the usage on standard error and exits 64; --stats takes "json"
 * or a FILE (not the --rejects one: 64), --progress and --no-progress set
 * what cli_progress() does.  Returns 1 when ch was one of them, 0 when it
 * is the program's own. */
int	cli_option(struct cli *, int ch, const char *arg);

/* Print the usage on standard error and exit 64, after "PROG: MESSAGE" when
 * fmt is not NULL. */
void	cli_usage_error(const struct cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* For a program that reads records from its operands or standard input:
 * with no operand (noperands 0) and standard input a terminal, where a
 * person would wait for nothing, a one-line message, the usage on standard
 * error and exit 64. */
void	cli_need_input(const struct cli *, int noperands);

/* A count for --stats=json, by name ("read", "valid", "backorder"): set,
 * or added to with cli_count_add(). */
void	cli_count(const char *name, long long n);
void	cli_count_add(const char *name, long long n);

/* Under --stats=json or --stats=FILE, the JSON object cli_finish()
 * describes, for a program that ends its run itself; rejects may be NULL.
 * The cli_count()s are forgotten.  Returns 0, or 73 (the file cannot be
 * created) or 74 (not written) after a message. */
int	cli_stats_json(const struct cli *, const struct reject_stream *);

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
 * gave so far (0 or a sysexits code).  In order: the progress line ended;
 * under --stats, the line "PROG: " fmt on standard error (fmt NULL: none),
 * or under --stats=json or --stats=FILE one JSON object on standard error
 * or in FILE: {"program":PROG, the cli_count()s, "rejects":N,
 * "codes":{CODE:N,...}} (the reject codes, each record's codes counted
 * once per error); rejects closed (NULL:
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
