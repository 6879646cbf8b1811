/* mapfile.c: the lines of map files, read into key, operator and value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "datadir.h"
#include "fileio.h"
#include "mapfile.h"
#include "xalloc.h"

void
mapfile_init(struct mapfile *mf, const char *text)
{
	mf->text = xstrdup(text);
	mf->next = mf->text;
	mf->line = 0;
}

void
mapfile_release(struct mapfile *mf)
{
	free(mf->text);
	memset(mf, 0, sizeof(*mf));
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *
trim(char *s)
{
	char *end;

	while (blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && blank(end[-1]))
		*--end = '\0';
	return s;
}

/* The operator at s and its length, or 0 when there is none. */
static size_t
op_at(const char *s, enum mapfile_op *op)
{
	if (s[0] == '=') {
		*op = MAPFILE_SET;
		return 1;
	}
	if (s[0] == '+' && s[1] == '=') {
		*op = MAPFILE_ADD;
		return 2;
	}
	if (s[0] == ':' && s[1] == '=') {
		*op = MAPFILE_CONST;
		return 2;
	}
	return 0;
}

int
mapfile_next(struct mapfile *mf, struct mapfile_entry *e)
{
	char *line, *p;
	size_t n;

	while ((line = mf->next) != NULL) {
		if ((mf->next = strchr(line, '\n')) != NULL)
			*mf->next++ = '\0';
		mf->line++;
		if (mf->line == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3;
		line = trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		/* the key: up to white space or an operator */
		for (p = line; *p != '\0' && !blank(*p) &&
		    op_at(p, &e->op) == 0; p++)
			continue;
		if (p == line)		/* "= value": no key */
			p += strcspn(p, " \t");
		e->key = line;
		e->line = mf->line;
		while (blank(*p))
			*p++ = '\0';
		if ((n = op_at(p, &e->op)) > 0) {
			memset(p, '\0', n);
			p += n;
		} else
			e->op = MAPFILE_BARE;
		e->value = trim(p);
		return 1;
	}
	return 0;
}

const char *
mapfile_op_name(enum mapfile_op op)
{
	switch (op) {
	case MAPFILE_SET:	return "=";
	case MAPFILE_ADD:	return "+=";
	case MAPFILE_CONST:	return ":=";
	default:		return "";
	}
}

char *
mapfile_read(const char *path, char *msg, size_t len, int *status)
{
	FILE *fp;
	char *text = NULL, *found;
	size_t n, used = 0, cap = 0;

	if ((found = datadir_find(path, "maps", ".map", msg, len)) == NULL) {
		*status = EX_NOINPUT;
		return NULL;
	}
	fp = fileio_read(found, msg, len);
	free(found);
	if (fp == NULL) {
		*status = EX_NOINPUT;
		return NULL;
	}
	for (;;) {
		if (used + 4096 + 1 > cap) {
			cap = (used + 4096 + 1) * 2;
			text = xrealloc(text, cap);
		}
		if ((n = fread(text + used, 1, cap - used - 1, fp)) == 0)
			break;
		used += n;
	}
	if (ferror(fp)) {
		snprintf(msg, len, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(fp);
		free(text);
		*status = EX_IOERR;
		return NULL;
	}
	fclose(fp);
	text[used] = '\0';
	return text;
}

int
mapfile_delimiter(const char *value, char *delim)
{
	if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
		*delim = '\t';
	else if (strcmp(value, "comma") == 0)
		*delim = ',';
	else if (strcmp(value, "semicolon") == 0)
		*delim = ';';
	else if (strlen(value) == 1 && value[0] != '"')
		*delim = value[0];
	else
		return -1;
	return 0;
}

int
mapfile_is_zone(const char *key)
{
	return strcmp(key, "time_zone") == 0 || strcmp(key, "zone") == 0;
}
