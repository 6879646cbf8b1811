/* fuzz.c: input files and checks for the harnesses. */
#define _GNU_SOURCE		/* memfd_create(2) */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"
#include "jsonl.h"

const char *
fuzz_file_set(struct fuzz_file *f, const void *data, size_t size)
{
	const char *p = data;
	ssize_t n;

	if (f->path[0] == '\0') {
		if ((f->fd = memfd_create("fuzz", 0)) == -1)
			err(1, "memfd_create");
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) == -1)
		err(1, "ftruncate");
	while (size > 0) {
		if ((n = pwrite(f->fd, p, size, p - (const char *)data)) <= 0)
			err(1, "pwrite");
		p += n;
		size -= n;
	}
	return f->path;
}

char *
fuzz_file_get(struct fuzz_file *f, size_t *lenp)
{
	char *buf;
	off_t end;
	ssize_t n;
	size_t len = 0;

	if ((end = lseek(f->fd, 0, SEEK_END)) == -1)
		err(1, "lseek");
	if ((buf = malloc(end + 1)) == NULL)
		err(1, "malloc");
	while (len < (size_t)end) {
		if ((n = pread(f->fd, buf + len, end - len, len)) <= 0)
			err(1, "pread");
		len += n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

unsigned long
fuzz_check_jsonl(struct fuzz_file *f, int rejects)
{
	const char *p, *end, *nl;
	char *text;
	size_t len;
	json_t *v, *errors;
	json_error_t error;
	unsigned long n = 0;

	text = fuzz_file_get(f, &len);
	for (p = text, end = text + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		fuzz_check(nl != NULL, "a JSON line without its line end");
		/* jansson refuses an integer beyond int64, which the
		 * programs keep as written; jsonl_parse() refuses \u0000,
		 * which a reject's raw may hold: JSON if either reads it. */
		v = json_loadb(p, nl - p, JSON_ALLOW_NUL, &error);
		if (v == NULL)
			v = jsonl_parse(p, nl - p, 0, &error);
		fuzz_check(v != NULL, "a line that is not JSON");
		fuzz_check(json_is_object(v), "a line that is no JSON object");
		errors = json_object_get(v, "errors");
		if (rejects)
			fuzz_check(json_array_size(errors) > 0,
			    "a reject without errors");
		json_decref(v);
		n++;
	}
	free(text);
	return n;
}

unsigned long
fuzz_count_lines(const uint8_t *text, size_t len)
{
	const uint8_t *p = text, *end = text + len, *nl;
	unsigned long n = 0;
	size_t i, ll;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		ll = nl - p;
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		for (i = 0; i < ll && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		n += i < ll;
	}
	return n;
}

char *
fuzz_strndup(const void *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		err(1, "malloc");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int
fuzz_split(const uint8_t *data, size_t size, const uint8_t **a,
    size_t *alen, const uint8_t **b, size_t *blen)
{
	size_t i;

	for (i = 0; i + 2 <= size; i++) {
		if ((i == 0 || data[i - 1] == '\n') &&
		    memcmp(data + i, "%%", 2) == 0 &&
		    (i + 2 == size || data[i + 2] == '\n')) {
			*a = data;
			*alen = i;
			*b = data + i + 2 + (i + 2 < size);
			*blen = size - (*b - data);
			return 1;
		}
	}
	*a = data;
	*alen = 0;
	*b = data;
	*blen = size;
	return 0;
}

void
fuzz_quiet(int quiet)
{
	static FILE *devnull, *saved;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		err(1, "/dev/null");
	if (quiet && saved == NULL) {
		saved = stderr;
		stderr = devnull;
	} else if (!quiet && saved != NULL) {
		stderr = saved;
		saved = NULL;
	}
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	/* Straight to descriptor 2: a program harness may have stderr
	 * pointed elsewhere. */
	dprintf(2, "fuzz: %s:%d: %s\n", file, line, what);
	abort();
}
