/* cli.c: common options. */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cli.h"

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
