/* file.c: the files label-gen makes, whole or not at all: written to a
 * temporary name beside their own and renamed (or, a label of its own,
 * written unnamed and linked), and left alone when they hold the same
 * bytes already. */
#define _GNU_SOURCE		/* O_TMPFILE */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "label.h"
#include "xalloc.h"

int
label_file_open(struct label_file *f, const char *path)
{
	struct stat st;
	int fd = -1;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	/* A device or a pipe (/dev/stdout) is written as it is: renaming a
	 * file over it would replace it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((f->fp = fopen(path, "w")) != NULL)
			return 0;
		warn("cannot open '%s'", path);
		free(f->path);
		f->path = NULL;
		return EX_CANTCREAT;
	}
	f->tmp = xmalloc(strlen(path) + 16);
	snprintf(f->tmp, strlen(path) + 16, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(f->tmp)) == -1 || fchmod(fd, 0644) == -1 ||
	    (f->fp = fdopen(fd, "w+")) == NULL) {
		warn("cannot create '%s'", f->tmp);
		if (fd != -1) {
			close(fd);
			unlink(f->tmp);
		}
		free(f->path);
		free(f->tmp);
		f->path = f->tmp = NULL;
		return EX_CANTCREAT;
	}
	return 0;
}

int
label_file_start(struct label_file *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->in_memory = 1;
	if ((f->fp = open_memstream(&f->mem, &f->memlen)) == NULL)
		xnomem();
	return 0;
}

/* buf[0..len-1] as the new file path, in one write to a file with no name
 * that gets path only when whole, so that nothing shows a part of it and
 * a crash leaves no temporary name behind: 0, or -1 when path is taken,
 * the system makes no such files, or anything failed (the long way then
 * looks, and says what failed). */
static int
put_new(const char *path, const char *buf, size_t len)
{
	char *dir, *slash, proc[40];
	ssize_t n;
	int fd, rc = -1;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0';
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	free(dir);
	if (fd == -1)
		return -1;
	while (len > 0 && ((n = write(fd, buf, len)) > 0 || errno == EINTR))
		if (n > 0)
			buf += n, len -= n;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (len == 0 && linkat(AT_FDCWD, proc, AT_FDCWD, path,
	    AT_SYMLINK_FOLLOW) == 0)
		rc = 0;
	close(fd);
	return rc;
}

/* label_file_start()'s file: its bytes to its path, the short way or the
 * long one. */
static int
close_memory(struct label_file *f, int rc, int e)
{
	struct label_file t;

	if (fclose(f->fp) == EOF)
		xnomem();
	if (rc != 0) {
		errno = e;
		warn("cannot write '%s'", f->path);
	} else if (f->memlen > 0 && put_new(f->path, f->mem,
	    f->memlen) == -1 && (rc = label_file_open(&t, f->path)) == 0) {
		fwrite(f->mem, 1, f->memlen, t.fp);
		rc = label_file_close(&t);
	}
	free(f->mem);
	free(f->path);
	f->mem = f->path = NULL;
	f->memlen = 0;
	f->in_memory = 0;
	f->fp = NULL;
	return rc;
}

/* Whether the file at path holds exactly the bytes of fp (read from its
 * start). */
static int
same_bytes(const char *path, FILE *fp)
{
	FILE *old;
	char a[8192], b[8192];
	size_t na, nb;
	int same = 0;

	if ((old = fopen(path, "r")) == NULL)
		return 0;
	rewind(fp);
	do {
		na = fread(a, 1, sizeof(a), fp);
		nb = fread(b, 1, sizeof(b), old);
		same = na == nb && memcmp(a, b, na) == 0;
	} while (same && na > 0);
	same = same && !ferror(fp) && !ferror(old);
	fclose(old);
	return same;
}

int
label_file_close(struct label_file *f)
{
	int rc = 0, e = 0;

	if (f->path == NULL)
		return 0;
	if (f->pdf != NULL && label_pdf_close(f->pdf) == -1)
		rc = EX_IOERR, e = errno ? errno : EIO;
	f->pdf = NULL;
	if (f->in_memory)
		return close_memory(f, rc, e);
	if (f->tmp == NULL) {
		if (fclose(f->fp) == EOF && rc == 0)
			rc = EX_IOERR, e = errno;
		if (rc != 0) {
			errno = e;
			warn("cannot write '%s'", f->path);
		}
		free(f->path);
		f->path = NULL;
		f->fp = NULL;
		return rc;
	}
	if (rc == 0 && (fflush(f->fp) == EOF || ferror(f->fp)))
		rc = EX_IOERR, e = errno ? errno : EIO;
	if (rc == 0 && (ftell(f->fp) == 0 || same_bytes(f->path, f->fp))) {
		/* Nothing to write, or nothing new. */
		fclose(f->fp);
		unlink(f->tmp);
	} else if (fclose(f->fp) == EOF || rc != 0) {
		if (rc == 0)
			e = errno;
		rc = EX_IOERR;
		unlink(f->tmp);
		errno = e;
		warn("cannot write '%s'", f->path);
	} else if (rename(f->tmp, f->path) == -1) {
		warn("cannot rename '%s' to '%s'", f->tmp, f->path);
		unlink(f->tmp);
		rc = EX_CANTCREAT;
	}
	free(f->path);
	free(f->tmp);
	f->path = f->tmp = NULL;
	f->fp = NULL;
	return rc;
}

void
label_dir_make(const char *dir)
{
	char *p = xstrdup(dir), *s, *probe;
	size_t len = strlen(dir) + 24;
	int fd;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) == -1 && errno != EEXIST)
				err(EX_CANTCREAT, "cannot create '%s'", p);
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	probe = xmalloc(len);
	snprintf(probe, len, "%s/.label-gen-XXXXXX", dir);
	if ((fd = mkstemp(probe)) == -1)
		err(EX_CANTCREAT, "cannot write in '%s'", dir);
	close(fd);
	unlink(probe);
	free(probe);
}
