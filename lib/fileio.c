/* fileio.c: opening the files a program is named. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fileio.h"

FILE *
fileio_read(const char *path, char *msg, size_t len)
{
	struct stat sb;
	FILE *fp;
	int saved;

	if ((fp = fopen(path, "r")) == NULL) {
		saved = errno;
		snprintf(msg, len, "cannot open '%s': %s", path,
		    strerror(saved));
		errno = saved;
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(fp);
		snprintf(msg, len, "cannot read '%s': %s", path,
		    strerror(EISDIR));
		errno = EISDIR;
		return NULL;
	}
	return fp;
}
