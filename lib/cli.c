/* cli.c: common options, and how a run ends. */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cli.h"
#include "jsonl.h"
#include "reject.h"

#ifndef ORDERKIT_VERSION
#define ORDERKIT_VERSION "0.0"
#endif

extern char *program_invocation_short_name;

int
cli_option(struct cli *cli, int ch, const char *arg)
{
	switch (ch) {
	case CLI_HELP:
		fputs(cli->usage, stdout);
		exit(fflush(stdout) == EOF ? EX_IOERR : EX_OK);
	case CLI_VERSION:
		printf("%s (orderkit) %s\n", program_invocation_short_name,
		    ORDERKIT_VERSION);
		exit(fflush(stdout) == EOF ? EX_IOERR : EX_OK);
	case CLI_REJECTS:
		cli->rejects_path = arg;
		return 1;
	case CLI_STATS:
		cli->stats = 1;
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
