/* fileio.c: opening the files a program is named. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

FILE *
fileio_stdin(char *msg, size_t len)
{
	struct stat sb;

	if (fstat(STDIN_FILENO, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(msg, len, "cannot read '<stdin>': %s",
		    strerror(EISDIR));
		errno = EISDIR;
		return NULL;
	}
	return stdin;
}

/* NULL, with errno and msg set from err. */
static FILE *
fail(const char *path, int err, const char *reason, char *msg, size_t len)
{
	snprintf(msg, len, "cannot open '%s': %s", path,
	    reason != NULL ? reason : strerror(err));
	errno = err;
	return NULL;
}

FILE *
fileio_write(const char *path, int append, char *msg, size_t len)
{
	struct stat link, again, sb;
	FILE *fp;
	int flags, fd, saved;

	flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : 0);
	/* Not a link at the end: nothing to decide. */
	if ((fd = open(path, flags | O_NOFOLLOW | (append ? 0 : O_TRUNC),
	    0666)) != -1)
		goto opened;
	/* A link at the end fails with ELOOP, or EACCES in a sticky
	 * directory on some kernels. */
	saved = errno;
	if (lstat(path, &link) == -1 || !S_ISLNK(link.st_mode))
		return fail(path, saved, NULL, msg, len);
	if (link.st_uid != geteuid() && link.st_uid != 0)
		return fail(path, EPERM, "a symbolic link that another user "
		    "owns", msg, len);
	if ((fd = open(path, flags, 0666)) == -1)
		return fail(path, errno, NULL, msg, len);
	/* Still the link that was checked, not one put in its place since;
	 * only then is anything truncated. */
	if (lstat(path, &again) == -1 || again.st_dev != link.st_dev ||
	    again.st_ino != link.st_ino || again.st_uid != link.st_uid) {
		close(fd);
		return fail(path, EPERM, "the symbolic link changed while it "
		    "was opened", msg, len);
	}
	if (!append && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    ftruncate(fd, 0) == -1) {
		saved = errno;
		close(fd);
		return fail(path, saved, NULL, msg, len);
	}
opened:
	if ((fp = fdopen(fd, append ? "a" : "w")) == NULL) {
		saved = errno;
		close(fd);
		return fail(path, saved, NULL, msg, len);
	}
	return fp;
}
