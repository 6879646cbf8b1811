/* cgi.c: the request a program run as a CGI script is given. */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "http.h"
#include "xalloc.h"

char *
http_cgi_body(size_t *lenp)
{
	const char *cl = getenv("CONTENT_LENGTH");
	size_t want = SIZE_MAX, len = 0, cap = 0;
	char *buf = NULL, *end;
	size_t n;

	if (cl != NULL && *cl != '\0') {
		errno = 0;
		want = strtoul(cl, &end, 10);
		if (errno != 0 || *end != '\0')
			errx(EX_DATAERR, "CONTENT_LENGTH '%s' is not a number",
			    cl);
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (64u << 20))
				errx(EX_DATAERR, "webhook body larger than "
				    "64 MiB");
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, want - len < cap - len - 1 ?
		    want - len : cap - len - 1, stdin);
		len += n;
		if (n == 0 || len == want)
			break;
	}
	if (ferror(stdin))
		err(EX_IOERR, "cannot read the webhook body");
	buf[len] = '\0';
	*lenp = len;
	return buf;
}
