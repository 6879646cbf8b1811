/* fileio_test.c: unit tests of lib/fileio.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "unit.h"

static char dir[256];

/* dir/name, in a static buffer. */
static const char *
at(const char *name)
{
	static char path[2][sizeof(dir) + 64];
	static int n;

	n = !n;
	snprintf(path[n], sizeof(path[n]), "%s/%s", dir, name);
	return path[n];
}

/* The text of a file, in a static buffer ("" when it is missing). */
static const char *
text(const char *path)
{
	static char buf[256];
	size_t n = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static void
put(const char *path, const char *s)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL || fputs(s, fp) == EOF ||
	    fclose(fp) == EOF) {
		perror(path);
		exit(1);
	}
}

static void
test_read(void)
{
	char msg[512], want[512];
	FILE *fp;

	put(at("in"), "x\n");
	fp = fileio_read(at("in"), msg, sizeof(msg));
	expect_true("a file opens", fp != NULL);
	if (fp != NULL)
		fclose(fp);
	expect_true("a directory is refused",
	    fileio_read(dir, msg, sizeof(msg)) == NULL);
	expect_int("with EISDIR", errno, EISDIR);
	snprintf(want, sizeof(want), "cannot read '%s': Is a directory", dir);
	expect_str("and says so", msg, want);
	expect_true("a missing file is refused",
	    fileio_read(at("none"), msg, sizeof(msg)) == NULL);
	expect_int("with ENOENT", errno, ENOENT);
	snprintf(want, sizeof(want), "cannot open '%s': No such file or "
	    "directory", at("none"));
	expect_str("and says so", msg, want);
}

static void
test_write(void)
{
	char msg[512], want[512];
	FILE *fp;

	put(at("out"), "old\n");
	if ((fp = fileio_write(at("out"), 1, msg, sizeof(msg))) != NULL) {
		fputs("new\n", fp);
		fclose(fp);
	}
	expect_str("appending keeps what was there", text(at("out")),
	    "old\nnew\n");
	if ((fp = fileio_write(at("out"), 0, msg, sizeof(msg))) != NULL) {
		fputs("report\n", fp);
		fclose(fp);
	}
	expect_str("writing replaces it", text(at("out")), "report\n");
	if ((fp = fileio_write(at("created"), 1, msg, sizeof(msg))) != NULL)
		fclose(fp);
	expect_true("a missing file is created", access(at("created"), F_OK) ==
	    0);

	/* The user's own link is followed, and its target replaced. */
	put(at("target"), "secret\n");
	if (symlink(at("target"), at("mine")) == -1) {
		perror("symlink");
		exit(1);
	}
	if ((fp = fileio_write(at("mine"), 0, msg, sizeof(msg))) != NULL) {
		fputs("mine\n", fp);
		fclose(fp);
	}
	expect_str("the user's link is followed", text(at("target")),
	    "mine\n");

	expect_true("a directory cannot be written",
	    fileio_write(dir, 1, msg, sizeof(msg)) == NULL);
	snprintf(want, sizeof(want), "cannot open '%s': Is a directory", dir);
	expect_str("and says so", msg, want);

	/* Another user's link: only root can make one. */
	if (geteuid() != 0)
		return;
	put(at("target"), "secret\n");
	if (symlink(at("target"), at("theirs")) == -1 ||
	    lchown(at("theirs"), 65534, 65534) == -1 ||
	    symlink(at("nowhere"), at("dangling")) == -1 ||
	    lchown(at("dangling"), 65534, 65534) == -1) {
		perror("symlink");
		exit(1);
	}
	expect_true("another user's link is refused",
	    fileio_write(at("theirs"), 0, msg, sizeof(msg)) == NULL);
	expect_int("with EPERM", errno, EPERM);
	snprintf(want, sizeof(want), "cannot open '%s': a symbolic link that "
	    "another user owns", at("theirs"));
	expect_str("and says so", msg, want);
	expect_str("its target is untouched", text(at("target")),
	    "secret\n");
	expect_true("another user's dangling link is refused",
	    fileio_write(at("dangling"), 1, msg, sizeof(msg)) == NULL);
	expect_true("and creates nothing", access(at("nowhere"), F_OK) == -1);
	if (lchown(at("theirs"), 0, 0) == -1) {
		perror("lchown");
		exit(1);
	}
	fp = fileio_write(at("theirs"), 1, msg, sizeof(msg));
	expect_true("root's link is followed", fp != NULL);
	if (fp != NULL)
		fclose(fp);
}

/* Standard input is refused only when it is a directory. */
static void
test_stdin(void)
{
	char msg[512];
	int saved, fd;

	if ((saved = dup(STDIN_FILENO)) == -1)
		abort();
	put(at("in"), "{}\n");
	if ((fd = open(at("in"), O_RDONLY)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1)
		abort();
	close(fd);
	expect_true("a file", fileio_stdin(msg, sizeof(msg)) == stdin);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1)
		abort();
	close(fd);
	errno = 0;
	expect_true("a directory", fileio_stdin(msg, sizeof(msg)) == NULL);
	expect_int("errno", errno, EISDIR);
	expect_str("its message", msg,
	    "cannot read '<stdin>': Is a directory");
	dup2(saved, STDIN_FILENO);
	close(saved);
}

int
main(void)
{
	static const char *const names[] = { "in", "out", "created", "target",
	    "mine", "theirs", "dangling", "nowhere" };
	size_t i;
	int status;

	snprintf(dir, sizeof(dir), "%s/fileio_test.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_read();
	test_write();
	test_stdin();
	status = unit_summary("fileio");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(at(names[i]));
	rmdir(dir);
	return status;
}
