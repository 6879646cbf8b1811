/* cli_test.c: unit tests of lib/cli.h: the worse exit status, and how
 * cli_finish() ends a run (in a child, whose streams it closes). */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "reject.h"
#include "unit.h"

static void
test_worse(void)
{
	static const struct {
		int a, b, want;
	} cases[] = {
		{ 0, 0, 0 },
		{ 0, EX_DATAERR, EX_DATAERR },
		{ EX_NOINPUT, EX_DATAERR, EX_NOINPUT },
		{ EX_NOINPUT, EX_TEMPFAIL, EX_TEMPFAIL },
		{ EX_UNAVAILABLE, EX_TEMPFAIL, EX_UNAVAILABLE },
		{ EX_UNAVAILABLE, EX_CONFIG, EX_CONFIG },
		{ EX_CANTCREAT, EX_CONFIG, EX_CANTCREAT },
		{ EX_NOINPUT, EX_IOERR, EX_IOERR },
		{ EX_IOERR, EX_NOINPUT, EX_IOERR },
		{ EX_IOERR, EX_SOFTWARE, EX_SOFTWARE },	/* not ranked: worst */
		{ EX_OSERR, 0, EX_OSERR },
	};
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "cli_worse(%d, %d)", cases[i].a,
		    cases[i].b);
		expect_int(what, cli_worse(cases[i].a, cases[i].b),
		    cases[i].want);
	}
}

struct run {
	int		 status;	/* given to cli_finish() */
	int		 strict, stats;
	const char	*out_error;
	const char	*stdout_path;	/* the child's standard output */
	const char	*rejects_path;	/* NULL: no reject stream */
	int		 nrejects;
};

/* cli_finish() in a child as r says: its exit status, and its standard
 * error in err (of size len). */
static int
finish(const struct run *r, char *err, size_t len)
{
	struct cli cli = { .usage = "usage: t\n" };
	struct reject_stream rs;
	int fds[2], status, fd, i;
	ssize_t n;
	size_t got = 0;
	pid_t pid;
	json_t *rec, *errors;

	if (pipe(fds) == -1 || (pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		if ((fd = open(r->stdout_path, O_WRONLY)) == -1)
			_exit(99);
		dup2(fd, STDOUT_FILENO);
		cli.strict = r->strict;
		cli.stats = r->stats;
		cli.out_error = r->out_error;
		if (r->rejects_path != NULL) {
			reject_open(&rs, r->rejects_path);
			rec = json_object();
			errors = json_array();
			reject_add(errors, "bad_qty", "qty", "qty below 1");
			for (i = 0; i < r->nrejects; i++)
				reject_write(&rs, rec, errors);
			json_decref(rec);
			json_decref(errors);
		}
		printf("{\"a\":1}\n");
		_exit(cli_finish(&cli, r->status,
		    r->rejects_path != NULL ? &rs : NULL, "%d in, %s", 3,
		    "done"));
	}
	close(fds[1]);
	while (got + 1 < len && (n = read(fds[0], err + got,
	    len - 1 - got)) > 0)
		got += n;
	err[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
test_finish(void)
{
	char err[1024];
	struct run r;

	memset(&r, 0, sizeof(r));
	r.stdout_path = "/dev/null";
	expect_int("all well", finish(&r, err, sizeof(err)), 0);
	expect_str("all well: nothing said", err, "");

	r.stats = 1;
	expect_int("--stats", finish(&r, err, sizeof(err)), 0);
	expect_str("--stats: the line", err, "cli_test: 3 in, done\n");
	r.stats = 0;

	r.status = EX_NOINPUT;
	expect_int("a status is kept", finish(&r, err, sizeof(err)),
	    EX_NOINPUT);

	r.stdout_path = "/dev/full";
	expect_int("a full disk is worse than 66",
	    finish(&r, err, sizeof(err)), EX_IOERR);
	expect_str("a full disk: said", err,
	    "cli_test: cannot write '<stdout>': No space left on device\n");
	r.status = 0;

	r.out_error = "cannot write '<stdout>'; all again next run";
	r.stdout_path = "/dev/null";
	expect_int("out_error is 74", finish(&r, err, sizeof(err)), EX_IOERR);
	expect_str("out_error: said in its words", err,
	    "cli_test: cannot write '<stdout>'; all again next run\n");
	r.out_error = NULL;

	r.rejects_path = "/dev/null";
	r.nrejects = 2;
	expect_int("rejects without --strict", finish(&r, err, sizeof(err)),
	    0);
	r.strict = 1;
	expect_int("rejects under --strict", finish(&r, err, sizeof(err)),
	    EX_DATAERR);
	r.status = EX_NOINPUT;
	expect_int("--strict: 66 is worse", finish(&r, err, sizeof(err)),
	    EX_NOINPUT);
	r.nrejects = 0;
	r.status = 0;
	expect_int("--strict without rejects", finish(&r, err, sizeof(err)),
	    0);

	r.strict = 0;
	r.nrejects = 1;
	r.rejects_path = "/dev/full";
	r.status = EX_NOINPUT;
	expect_int("a rejects file cut short is worse than 66",
	    finish(&r, err, sizeof(err)), EX_IOERR);
	expect_str("rejects cut short: said", err,
	    "cli_test: cannot write '/dev/full': No space left on device\n");
}

int
main(void)
{
	test_worse();
	test_finish();
	return unit_summary("cli");
}
