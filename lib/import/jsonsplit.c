/* jsonsplit.c: a JSON export split into its orders' texts before they are
 * parsed, and a response cut short mended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "xalloc.h"

/* The next top-level JSON value of fp: the elements of a top-level array,
 * or the values one after another (JSON lines).  Its text in *bufp (of
 * *capp bytes), its length in *lenp, its first line in *linep; 0 at the
 * end. */
int
import_json_next(struct import_jsonsplit *js, char **bufp, size_t *capp,
    size_t *lenp, unsigned long *linep)
{
	size_t len = 0;
	int c, depth = 0, in_string = 0, escape = 0, scalar = 0, newline = 0;

	if (!js->started) {
		js->started = 1;
		if ((c = getc(js->fp)) == 0xef) {
			if (getc(js->fp) != 0xbb || getc(js->fp) != 0xbf)
				rewind(js->fp);
		} else if (c != EOF)
			ungetc(c, js->fp);
	}
	for (;;) {
		if ((c = getc(js->fp)) == EOF)
			break;
		if (c == '\n')
			js->line++;
		if (len == 0 && depth == 0 && !scalar) {
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
			    (js->in_array && c == ','))
				continue;
			if (c == '[' && !js->in_array) {
				js->in_array = 1;
				continue;
			}
			if (c == ']' && js->in_array) {
				js->in_array = 0;
				continue;
			}
			*linep = js->line + 1 - (c == '\n');
			if (c != '{' && c != '[')
				scalar = 1;
		}
		if (len + 2 > *capp) {
			*capp = *capp ? *capp * 2 : 4096;
			*bufp = xrealloc(*bufp, *capp);
		}
		if (scalar && !in_string && (c == '\n' || (js->in_array &&
		    (c == ',' || c == ']')))) {
			if (c == ']')
				js->in_array = 0;
			break;
		}
		if (c == '\n') {
			/* In JSON lines a line is a value, whole or not: a
			 * broken one must not swallow the lines after it. */
			if (js->lines == 1 && !js->in_array)
				break;
			newline = 1;
		}
		(*bufp)[len++] = c;
		if (in_string) {
			if (escape)
				escape = 0;
			else if (c == '\\')
				escape = 1;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0 && !scalar)
			break;
	}
	if (len == 0)
		return 0;
	js->cut = c == EOF && !scalar && (depth > 0 || in_string);
	if (js->lines == -1 && !js->in_array)
		js->lines = !newline;
	(*bufp)[len] = '\0';
	*lenp = len;
	return 1;
}

/* Whether an array under the keys key[0..n-1] (each an object's member)
 * holds the orders of an API response, as import_json_unwrap() finds
 * them. */
static int
json_orders_path(const char (*key)[16], size_t n)
{
	if (n == 1)
		return strcmp(key[0], "result") == 0 ||
		    strcmp(key[0], "postings") == 0 ||
		    strcmp(key[0], "orders") == 0;
	return n == 2 && strcmp(key[0], "result") == 0 &&
	    (strcmp(key[1], "postings") == 0 || strcmp(key[1], "orders") == 0);
}

/* A response cut short ({"result":{"postings":[{...},{...},{"posting_nu)
 * loses only the order it was cut in: the text up to the last whole
 * value of its orders array, closed, replaces it in *bufp, and the rest
 * goes to cut (its end left to the caller).  Nothing changes (cut->text
 * NULL) when the cut is not inside or after such an array. */
#define IMPORT_JSON_MEND_DEPTH	64

void
import_json_mend(char **bufp, size_t *capp, size_t *lenp, unsigned long line,
    struct import_jsoncut *cut)
{
	char *buf = *bufp, open[IMPORT_JSON_MEND_DEPTH];
	char key[IMPORT_JSON_MEND_DEPTH][16];	/* each object's latest key */
	size_t len = *lenp, i, k, depth = 0, list = 0, keep = 0, start = 0;
	size_t kstart = 0, kept = 0;
	unsigned long l = line;
	int in_string = 0, escape = 0, want_key = 0, is_key = 0, closed = 0;
	char c;

	memset(cut, 0, sizeof(*cut));
	for (i = 0; i < len; i++) {
		c = buf[i];
		if (c == '\n')
			l++;
		if (in_string) {
			if (escape)
				escape = 0;
			else if (c == '\\')
				escape = 1;
			else if (c == '"') {
				in_string = 0;
				if (is_key)
					snprintf(key[depth - 1], sizeof(key[0]),
					    "%.*s", (int)(i - kstart),
					    buf + kstart);
			}
			continue;
		}
		if (list > 0 && !closed && depth == list && start == 0 &&
		    c != '\0' && strchr(" \t\r\n,]", c) == NULL)
			start = i;		/* a value of the list begins */
		switch (c) {
		case '"':
			in_string = 1;
			is_key = want_key && depth > 0;
			kstart = i + 1;
			break;
		case '{':
		case '[':
			if (depth == IMPORT_JSON_MEND_DEPTH)
				return;
			if (c == '[' && list == 0 &&
			    json_orders_path((const char (*)[16])key, depth)) {
				for (k = 0; k < depth && open[k] == '{'; k++)
					;
				list = k == depth ? depth + 1 : 0;
				keep = i + 1;
			}
			open[depth] = c;
			key[depth][0] = '\0';
			depth++;
			want_key = c == '{';
			break;
		case '}':
		case ']':
			if (depth == 0)
				return;
			if (depth == list && !closed) {
				if (start > 0)
					kept++;	/* a scalar before the end */
				keep = i + 1;
				closed = 1;
			}
			depth--;
			want_key = 0;
			if (depth == list && !closed) {
				keep = i + 1;	/* a whole value */
				kept++;
				start = 0;
			}
			break;
		case ',':
			if (depth == list && !closed && start > 0) {
				keep = i;	/* a whole scalar */
				kept++;
				start = 0;
			}
			want_key = depth > 0 && open[depth - 1] == '{';
			break;
		case ':':
			want_key = 0;
			break;
		}
	}
	if (list == 0 || depth == 0)
		return;
	/* What follows the last whole value: the value cut short. */
	for (i = keep; i < len && buf[i] != '\0' &&
	    strchr(" \t\r\n,", buf[i]) != NULL; i++)
		;
	cut->line = line;
	for (start = 0; start < i; start++)
		if (buf[start] == '\n')
			cut->line++;
	cut->endline = l;
	cut->kept = kept;
	cut->len = len - i;
	cut->text = xmalloc(cut->len + 1);
	memcpy(cut->text, buf + i, cut->len);
	cut->text[cut->len] = '\0';
	/* The whole values, then the list closed and the objects around
	 * it. */
	len = keep;
	if (len + list + 2 > *capp) {
		*capp = len + list + 2;
		*bufp = buf = xrealloc(buf, *capp);
	}
	if (!closed)
		buf[len++] = ']';
	for (i = list - 1; i > 0; i--)
		buf[len++] = '}';
	buf[len] = '\0';
	*lenp = len;
}

