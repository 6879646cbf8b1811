/* datadir.c: files installed under the share directory, found by name. */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "xalloc.h"

#ifndef ORDERKIT_DATADIR
#define ORDERKIT_DATADIR "/usr/local/share/orderkit"
#endif

size_t
datadir_dirs(const char *dirs[], size_t max)
{
	static char env[PATH_MAX], rel[PATH_MAX];
	const char *s;
	char *slash;
	ssize_t n;
	size_t count = 0;

	if (count < max && (s = getenv("ORDERKIT_DATADIR")) != NULL &&
	    *s != '\0' && strlen(s) < sizeof(env)) {
		memcpy(env, s, strlen(s) + 1);
		dirs[count++] = env;
	}
	n = readlink("/proc/self/exe", rel, sizeof(rel) - 1);
	if (count < max && n > 0 && (size_t)n < sizeof(rel) - 32) {
		rel[n] = '\0';
		if ((slash = strrchr(rel, '/')) != NULL) {
			strcpy(slash, "/../share/orderkit");
			dirs[count++] = rel;
		}
	}
	if (count < max)
		dirs[count++] = ORDERKIT_DATADIR;
	return count;
}

/* Whether path names something that exists and is not a directory. */
static int
is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

char *
datadir_find(const char *arg, const char *kind, const char *ext, char *msg,
    size_t len)
{
	const char *dirs[3];
	char *path;
	size_t n, i, used, size;
	int k;

	if (strchr(arg, '/') != NULL || is_file(arg) || *arg == '\0')
		return xstrdup(arg);
	n = datadir_dirs(dirs, 3);
	for (i = 0; i < n; i++)
		for (k = 0; k < 2; k++) {
			size = strlen(dirs[i]) + strlen(kind) +
			    strlen(arg) + strlen(ext) + 3;
			path = xmalloc(size);
			snprintf(path, size, "%s/%s/%s%s", dirs[i], kind, arg,
			    k == 0 ? "" : ext);
			if (is_file(path))
				return path;
			free(path);
		}
	snprintf(msg, len, "cannot open '%s': no such file, nor one of "
	    "that name in", arg);
	for (i = 0; i < n; i++) {
		used = strlen(msg);
		snprintf(msg + used, len - used, "%s '%s/%s'",
		    i == 0 ? "" : i + 1 < n ? "," : " or", dirs[i], kind);
	}
	return NULL;
}
