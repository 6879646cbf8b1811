/* replay.c: a main() for the harnesses without libFuzzer, so that make
 * check (any compiler) runs them on the files and directories named:
 * the regressions and the hand-made corpus.  Prints "NAME: N inputs". */
#define _GNU_SOURCE		/* asprintf(3) */
#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned long ninputs;

static void
replay_file(const char *path)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL)
		err(1, "cannot open '%s'", path);
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				err(1, "out of memory");
		}
		if ((n = fread(buf + len, 1, cap - len, fp)) == 0)
			break;
		len += n;
	}
	if (ferror(fp))
		err(1, "cannot read '%s'", path);
	fclose(fp);
	/* An input of its own size, so that ASan sees a read past it. */
	{
		uint8_t *data = malloc(len ? len : 1);

		if (data == NULL)
			err(1, "out of memory");
		memcpy(data, buf, len);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	free(buf);
	ninputs++;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
replay(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char **names = NULL, *p;
	size_t n = 0, i;

	if (stat(path, &st) == -1)
		err(1, "cannot open '%s'", path);
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	if ((dir = opendir(path)) == NULL)
		err(1, "cannot open '%s'", path);
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    asprintf(&p, "%s/%s", path, de->d_name) == -1)
			err(1, "out of memory");
		names[n++] = p;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		replay(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		replay(argv[i]);
	printf("%s: %lu inputs\n", argv[0], ninputs);
	return fflush(stdout) == EOF;
}
