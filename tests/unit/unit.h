/* unit.h: what every unit test shares: expect_...() print what differed
 * and count failures; unit_summary() prints the closing line. */
#ifndef UNIT_H
#define UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

/* Each expect_...() names its case with what, a short description the
 * caller may build with snprintf(3) in a table-driven loop. */
#define expect_int(what, got, want) \
	unit_expect_int(__FILE__, __LINE__, (what), (got), (want))
#define expect_str(what, got, want) \
	unit_expect_str(__FILE__, __LINE__, (what), (got), (want))
#define expect_mem(what, got, gotlen, want, wantlen) \
	unit_expect_mem(__FILE__, __LINE__, (what), (got), (gotlen), \
	    (want), (wantlen))
#define expect_true(what, cond) \
	unit_expect_int(__FILE__, __LINE__, (what), !!(cond), 1)

/* Write s[0..len-1] quoted, with bytes outside printable ASCII as \xNN so
 * that a no-break space or a NUL byte shows. */
static inline void
unit_show(const char *s, size_t len)
{
	size_t i;

	if (s == NULL) {
		fputs("NULL", stderr);
		return;
	}
	putc('"', stderr);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			putc(c, stderr);
	}
	putc('"', stderr);
}

static inline int
unit_expect_int(const char *file, int line, const char *what, intmax_t got,
    intmax_t want)
{
	if (got == want) {
		unit_passed++;
		return 1;
	}
	unit_failed++;
	fprintf(stderr, "%s:%d: %s: got %jd, want %jd\n", file, line, what,
	    got, want);
	return 0;
}

/* NULL equals only NULL. */
static inline int
unit_expect_mem(const char *file, int line, const char *what,
    const char *got, size_t gotlen, const char *want, size_t wantlen)
{
	if ((got == NULL && want == NULL) || (got != NULL && want != NULL &&
	    gotlen == wantlen && memcmp(got, want, gotlen) == 0)) {
		unit_passed++;
		return 1;
	}
	unit_failed++;
	fprintf(stderr, "%s:%d: %s: got ", file, line, what);
	if (got != NULL && want != NULL && (gotlen > 200 || wantlen > 200)) {
		/* Long: show where they part, with a little before. */
		size_t at = 0, from;

		while (at < gotlen && at < wantlen && got[at] == want[at])
			at++;
		from = at > 60 ? at - 60 : 0;
		fprintf(stderr, "%zu bytes, want %zu; from byte %zu got ",
		    gotlen, wantlen, from);
		unit_show(got + from, gotlen - from < 160 ? gotlen - from : 160);
		fputs(", want ", stderr);
		unit_show(want + from,
		    wantlen - from < 160 ? wantlen - from : 160);
		putc('\n', stderr);
		return 0;
	}
	unit_show(got, gotlen);
	fputs(", want ", stderr);
	unit_show(want, wantlen);
	putc('\n', stderr);
	return 0;
}

static inline int
unit_expect_str(const char *file, int line, const char *what,
    const char *got, const char *want)
{
	return unit_expect_mem(file, line, what, got, got ? strlen(got) : 0,
	    want, want ? strlen(want) : 0);
}

/* Print "NAME: P passed, F failed" and return the exit status: 1 on any
 * failure. */
static inline int
unit_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	if (fflush(stdout) == EOF || ferror(stdout))
		return 1;
	return unit_failed > 0;
}

#endif
