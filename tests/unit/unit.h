/* unit.h: what every unit test shares: expect_...() print what differed
 * and count failures; unit_summary() prints the closing line. */
#ifndef UNIT_H
#define UNIT_H

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Files: unit_dir() makes, on first use, a directory of the test's own
 * under $TMPDIR (else /tmp); unit_path() names a file in it, unit_file()
 * writes one; unit_cleanup() removes the directory and all in it.
 */
static char unit_dirbuf[512];

static inline const char *
unit_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (unit_dirbuf[0] != '\0')
		return unit_dirbuf;
	snprintf(unit_dirbuf, sizeof(unit_dirbuf), "%s/unit.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(unit_dirbuf) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	return unit_dirbuf;
}

/* The path of name in unit_dir(): a new string, the caller's to free. */
static inline char *
unit_path(const char *name)
{
	size_t n = strlen(unit_dir()) + strlen(name) + 2;
	char *path = malloc(n);

	if (path == NULL) {
		perror("malloc");
		exit(1);
	}
	snprintf(path, n, "%s/%s", unit_dir(), name);
	return path;
}

/* Write text[0..len-1] (any bytes) to name in unit_dir(); its path, as
 * unit_path() gives it. */
static inline char *
unit_file(const char *name, const char *text, size_t len)
{
	char *path = unit_path(name);
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(text, 1, len, fp) != len || fclose(fp) == EOF) {
		perror(path);
		exit(1);
	}
	return path;
}

/* rm -r path, without following symbolic links. */
static inline void
unit_remove(const char *path)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	char sub[1024];

	if (lstat(path, &sb) == -1)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", path,
			    e->d_name) < (int)sizeof(sub))
				unit_remove(sub);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static inline void
unit_cleanup(void)
{
	if (unit_dirbuf[0] != '\0')
		unit_remove(unit_dirbuf);
	unit_dirbuf[0] = '\0';
}

/*
 * Standard error: between unit_stderr_begin() and unit_stderr_end() it goes
 * to a file, whose text unit_stderr_end() returns (a new string, the
 * caller's to free), so that a test can check a warning and keep the
 * output of make check clean.
 */
static int unit_saved_stderr = -1;

static inline void
unit_stderr_begin(void)
{
	char *path = unit_path("stderr");
	int fd;

	fflush(stderr);
	if ((unit_saved_stderr = dup(STDERR_FILENO)) == -1 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1) {
		perror(path);
		exit(1);
	}
	close(fd);
	free(path);
}

static inline char *
unit_stderr_end(void)
{
	char *path = unit_path("stderr"), *text;
	FILE *fp;
	long n;

	fflush(stderr);
	dup2(unit_saved_stderr, STDERR_FILENO);
	close(unit_saved_stderr);
	unit_saved_stderr = -1;
	if ((fp = fopen(path, "r")) == NULL || fseek(fp, 0, SEEK_END) == -1 ||
	    (n = ftell(fp)) == -1 || fseek(fp, 0, SEEK_SET) == -1 ||
	    (text = malloc(n + 1)) == NULL ||
	    fread(text, 1, n, fp) != (size_t)n) {
		perror(path);
		exit(1);
	}
	text[n] = '\0';
	fclose(fp);
	unlink(path);
	free(path);
	return text;
}

#endif
