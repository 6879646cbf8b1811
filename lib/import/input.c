/* input.c: an export operand opened for import, seekable, its first bytes
 * at hand for sniffing. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "import.h"
#include "xalloc.h"
/* Where temporary files go: $TMPDIR, as mktemp(1) and sort(1) use it, or
 * /tmp (tmpfile(3) takes no notice of TMPDIR). */
static const char *
temp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

/* A temporary file open for update, already unlinked; NULL with errno. */
static FILE *
temp_file(void)
{
	FILE *fp;
	char *path;
	size_t size;
	int fd;

	size = strlen(temp_dir()) + sizeof("/order-import.XXXXXX");
	path = xmalloc(size);
	snprintf(path, size, "%s/order-import.XXXXXX", temp_dir());
	if ((fd = mkstemp(path)) == -1) {
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	if ((fp = fdopen(fd, "w+")) == NULL)
		close(fd);
	return fp;
}

/* Open path (or standard input for "-"), as a seekable stream: a pipe is
 * copied to a temporary file first, since a CSV is read more than once. */
int
import_input_open(struct import_input *in, const char *path)
{
	struct stat st;
	FILE *fp, *tmp;
	char buf[65536];
	size_t n;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0) {
		fp = stdin;
		in->name = "<stdin>";
	} else if ((fp = fopen(path, "r")) == NULL) {
		warn("cannot open '%s'", path);
		return EX_NOINPUT;
	} else
		in->name = path;
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("cannot read '%s': Is a directory", path);
		if (fp != stdin)
			fclose(fp);
		return EX_NOINPUT;
	}
	if (!S_ISREG(st.st_mode) || fseeko(fp, 0, SEEK_SET) == -1) {
		if ((tmp = temp_file()) == NULL)
			err(EX_CANTCREAT, "cannot create a temporary file in "
			    "'%s'", temp_dir());
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			if (fwrite(buf, 1, n, tmp) != n)
				err(EX_IOERR, "cannot write a temporary file");
		if (ferror(fp)) {
			warn("cannot read '%s'", in->name);
			fclose(tmp);
			if (fp != stdin)
				fclose(fp);
			return EX_IOERR;
		}
		if (fp != stdin)
			fclose(fp);
		fp = tmp;
		rewind(fp);
	}
	in->fp = fp;
	in->sniff = xmalloc(IMPORT_SNIFF_SIZE + 1);
	in->nsniff = fread(in->sniff, 1, IMPORT_SNIFF_SIZE, fp);
	in->sniff[in->nsniff] = '\0';
	if (ferror(fp)) {
		warn("cannot read '%s'", in->name);
		return EX_IOERR;
	}
	rewind(fp);
	return 0;
}

int
import_input_close(struct import_input *in)
{
	int bad = ferror(in->fp);

	if (bad)
		warn("cannot read '%s'", in->name);
	if (in->fp != stdin)
		fclose(in->fp);
	free(in->sniff);
	in->fp = NULL;
	return bad ? EX_IOERR : 0;
}

/* The first byte of the input that is not white space or a BOM. */
int
import_input_first_byte(const struct import_input *in)
{
	size_t i = 0;

	if (in->nsniff >= 3 && memcmp(in->sniff, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < in->nsniff; i++)
		if (strchr(" \t\r\n", in->sniff[i]) == NULL)
			return (unsigned char)in->sniff[i];
	return -1;
}

/* The delimiter of the first line with a letter or digit in it: the one of
 * ',', ';' and tab it holds most of outside quotes. */
char
import_input_delimiter(const struct import_input *in)
{
	const char *p = in->sniff, *end = in->sniff + in->nsniff;
	int counts[3], text, quoted;

	while (p < end) {
		counts[0] = counts[1] = counts[2] = 0;
		text = quoted = 0;
		for (; p < end && (quoted || *p != '\n'); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (quoted)
				continue;
			else if (*p == ',')
				counts[0]++;
			else if (*p == ';')
				counts[1]++;
			else if (*p == '\t')
				counts[2]++;
			else if ((unsigned char)*p >= 0x80 ||
			    (*p >= '0' && *p <= '9') ||
			    ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
				text = 1;
		}
		p++;
		if (!text)
			continue;
		if (counts[2] > counts[0] && counts[2] >= counts[1])
			return '\t';
		if (counts[1] > counts[0])
			return ';';
		return ',';
	}
	return ',';
}


