/* cli.c: common options, --help, progress, and how a run ends. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "fileio.h"
#include "jsonl.h"
#include "progress.h"
#include "reject.h"
#include "xalloc.h"

#ifndef ORDERKIT_VERSION
#define ORDERKIT_VERSION "0.0"
#endif

extern char *program_invocation_short_name;

/* What each exit status means, in every program (orderkit(7)). */
static const struct {
	int		 status;
	const char	*text;
} exit_texts[] = {
	{ EX_OK, "the run completed (rejects are data, not failures)" },
	{ EX_USAGE, "usage: a bad option or operand" },
	{ EX_DATAERR, "a record was rejected, under --strict" },
	{ EX_NOINPUT, "an input cannot be opened" },
	{ EX_UNAVAILABLE, "a service is unavailable" },
	{ EX_SOFTWARE, "an internal error" },
	{ EX_OSERR, "the system failed (out of memory)" },
	{ EX_CANTCREAT, "an output cannot be created" },
	{ EX_IOERR, "an input or output failed midway" },
	{ EX_TEMPFAIL, "try again later (the store locked, a service down)" },
	{ EX_NOPERM, "not allowed (a signature that does not verify)" },
	{ EX_CONFIG, "a configuration error" },
};

/* The --help text: usage, purpose, options, exit statuses, the page. */
static void
print_help(const struct cli *cli, FILE *fp)
{
	const struct cli_help *h = cli->help;
	const struct cli_item *o;
	const int *e;
	size_t i, w = 0;

	fputs(cli->usage, fp);
	if (h == NULL)
		return;
	fprintf(fp, "\n%s\n\nOptions:\n", h->purpose);
	for (o = h->options; o->name != NULL; o++)
		if (strlen(o->name) > w)
			w = strlen(o->name);
	for (o = h->options; o->name != NULL; o++)
		fprintf(fp, "  %-*s  %s\n", (int)w, o->name, o->text);
	fputs("\nExit status:\n", fp);
	for (e = h->exits; *e != -1; e++)
		for (i = 0; i < sizeof(exit_texts) / sizeof(exit_texts[0]); i++)
			if (exit_texts[i].status == *e)
				fprintf(fp, "  %-3d %s\n", *e,
				    exit_texts[i].text);
	fprintf(fp, "\nSee %s.\n", h->page);
}

/* The --stats=json counts, in the order they were set. */
static json_t *counts;

int
cli_option(struct cli *cli, int ch, const char *arg)
{
	switch (ch) {
	case CLI_HELP:
		print_help(cli, stdout);
		exit(fflush(stdout) == EOF ? EX_IOERR : EX_OK);
	case CLI_VERSION:
		printf("%s (orderkit) %s\n", program_invocation_short_name,
		    ORDERKIT_VERSION);
		exit(fflush(stdout) == EOF ? EX_IOERR : EX_OK);
	case CLI_REJECTS:
		cli->rejects_path = arg;
		break;
	case CLI_STATS:
		cli->stats = arg == NULL;
		cli->stats_json = arg != NULL;
		if (arg != NULL && *arg == '\0')
			cli_usage_error(cli, "--stats= names no file");
		cli->stats_path = arg == NULL || strcmp(arg, "json") == 0 ?
		    NULL : arg;
		break;
	case CLI_PROGRESS:
		progress_force(1);
		return 1;
	case CLI_NO_PROGRESS:
		progress_force(0);
		return 1;
	case CLI_STRICT:
		cli->strict = 1;
		return 1;
	case '?':
	case ':':
		fputs(cli->usage, stderr);
		exit(EX_USAGE);
	default:
		return 0;
	}
	if (cli->stats_path != NULL && cli->rejects_path != NULL &&
	    strcmp(cli->stats_path, cli->rejects_path) == 0)
		cli_usage_error(cli, "--stats and --rejects name the same "
		    "file '%s'", cli->stats_path);
	return 1;
}

void
cli_need_input(const struct cli *cli, int noperands)
{
	if (noperands > 0 || !isatty(STDIN_FILENO))
		return;
	cli_usage_error(cli, "no input: name a FILE or pipe records in "
	    "(--help says more)");
}

void
cli_count(const char *name, long long n)
{
	if (counts == NULL && (counts = json_object()) == NULL)
		xnomem();
	if (json_object_set_new(counts, name, json_integer(n)) == -1)
		xnomem();
}

void
cli_count_add(const char *name, long long n)
{
	json_t *v;

	if (counts != NULL && (v = json_object_get(counts, name)) != NULL)
		n += json_integer_value(v);
	cli_count(name, n);
}

int
cli_stats_json(const struct cli *cli, const struct reject_stream *rejects)
{
	json_t *o;
	FILE *fp = stderr;
	char msg[1024];
	int rc = 0;

	if (!cli->stats_json) {
		json_decref(counts);
		counts = NULL;
		return 0;
	}
	if ((o = json_object()) == NULL ||
	    json_object_set_new(o, "program",
	    json_string(program_invocation_short_name)) == -1 ||
	    (counts != NULL && json_object_update(o, counts) == -1) ||
	    (rejects != NULL && (json_object_set_new(o, "rejects",
	    json_integer(rejects->count)) == -1 ||
	    json_object_set_new(o, "codes", rejects->codes != NULL ?
	    json_deep_copy(rejects->codes) : json_object()) == -1)))
		xnomem();
	if (cli->stats_path != NULL &&
	    (fp = fileio_write(cli->stats_path, 0, msg, sizeof(msg))) ==
	    NULL) {
		warnx("%s", msg);
		json_decref(o);
		return EX_CANTCREAT;
	}
	jsonl_write(fp, o);
	if (fp != stderr && jsonl_finish(fp, cli->stats_path) == -1)
		rc = EX_IOERR;
	json_decref(o);
	json_decref(counts);
	counts = NULL;
	return rc;
}

void
cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarnx(fmt, ap);
		va_end(ap);
	}
	fputs(cli->usage, stderr);
	exit(EX_USAGE);
}

int
cli_status(const struct cli *cli, int status, unsigned long nrejects)
{
	if (status == 0 && cli->strict && nrejects > 0)
		return EX_DATAERR;
	return status;
}

int
cli_worse(int a, int b)
{
	static const int rank[] = { EX_OK, EX_DATAERR, EX_NOINPUT,
	    EX_TEMPFAIL, EX_UNAVAILABLE, EX_CONFIG, EX_CANTCREAT, EX_IOERR };
	size_t i, ra = sizeof(rank) / sizeof(rank[0]), rb = ra;

	for (i = 0; i < sizeof(rank) / sizeof(rank[0]); i++) {
		if (rank[i] == a)
			ra = i;
		if (rank[i] == b)
			rb = i;
	}
	return rb > ra ? b : a;
}

int
cli_finish(const struct cli *cli, int status, struct reject_stream *rejects,
    const char *fmt, ...)
{
	va_list ap;

	progress_end();
	status = cli_worse(status, cli_stats_json(cli, rejects));
	if (cli->stats && fmt != NULL) {
		fprintf(stderr, "%s: ", program_invocation_short_name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		putc('\n', stderr);
	}
	if (rejects != NULL && reject_close(rejects) == -1)
		status = cli_worse(status, EX_IOERR);
	if (cli->out_error != NULL) {
		warnx("%s", cli->out_error);
		status = cli_worse(status, EX_IOERR);
	} else if (jsonl_finish(stdout, "<stdout>") == -1)
		status = cli_worse(status, EX_IOERR);
	return cli_status(cli, status, rejects != NULL ? rejects->count : 0);
}
