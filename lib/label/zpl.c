/* zpl.c: laid out pages as ZPL II for thermal printers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "label.h"
#include "utf8.h"
#include "xalloc.h"

/* Font 0's characters are about this wide for their height (taken on the
 * wide side, so that lines wrap before the printer's edge). */
#define ZPL_WIDTH	0.6

struct out {
	char	**bufp;
	size_t	 *capp, *lenp;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (*o->lenp + n + 1 > *o->capp) {
		while (*o->lenp + n + 1 > *o->capp)
			*o->capp = *o->capp ? 2 * *o->capp : 4096;
		*o->bufp = xrealloc(*o->bufp, *o->capp);
	}
	memcpy(*o->bufp + *o->lenp, s, n);
	*o->lenp += n;
	(*o->bufp)[*o->lenp] = '\0';
}

static void
putf(struct out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Field data for ^FH: '^', '~', the hex indicator '_' and control
 * characters as _XX, the rest (UTF-8 under ^CI28) as it is. */
static void
put_hex_escaped(struct out *o, const char *s)
{
	const char *p;
	char esc[4];

	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '^' || c == '~' || c == '_' || c < 0x20 ||
		    c == 0x7f) {
			snprintf(esc, sizeof(esc), "_%02X", c);
			put(o, esc, 3);
		} else
			put(o, p, 1);
	}
}

/* Code 128 data with ZPL's invocation codes: the digits of an even count
 * in subset C, anything else in subset B with '>', '^' and '~' as their
 * codes ">0", "><" and ">=".  The modules it takes into *modules. */
static void
put_code128(struct out *o, const char *s, int gs1, int *modules)
{
	size_t len = strlen(s);
	const char *p;

	if (gs1) {
		put(o, ">;>800", 6);
		put(o, s, len);
		*modules = 11 * (int)(len / 2 + 2) + 35;
		return;
	}
	if (len >= 4 && len % 2 == 0 && strspn(s, "0123456789") == len) {
		put(o, ">;", 2);
		put(o, s, len);
		*modules = 11 * (int)(len / 2) + 35;
		return;
	}
	put(o, ">:", 2);
	for (p = s; *p != '\0'; p++)
		if (*p == '>')
			put(o, ">0", 2);
		else if (*p == '^')
			put(o, "><", 2);
		else if (*p == '~')
			put(o, ">=", 2);
		else
			put(o, p, 1);
	*modules = 11 * (int)len + 35;
}

double
label_zpl_measure(void *arg, const char *text, size_t len, double size,
    int bold)
{
	size_t i = 0, n = 0, k;

	(void)arg;
	(void)bold;
	while (i < len) {
		k = utf8_seqlen((const unsigned char *)text + i, len - i);
		i += k ? k : 1;
		n++;
	}
	return n * size * ZPL_WIDTH;
}

static int
dots(double mm, double dpmm)
{
	return (int)(mm * dpmm + 0.5);
}

static void
item(struct out *o, const struct label_item *it, double d)
{
	int x = dots(it->x, d), y = dots(it->y, d), h, m, modules, mark;
	size_t at;

	switch (it->kind) {
	case LABEL_TEXT:
		h = dots(it->h, d);
		putf(o, "^FO%d,%d^A0N,%d,%d%s^FH^FD", x, y, h, h,
		    it->inverse ? "^FR" : "");
		put_hex_escaped(o, it->text);
		put(o, "^FS\n", 4);
		break;
	case LABEL_RULE:
		h = dots(it->h, d) > 0 ? dots(it->h, d) : 1;
		putf(o, "^FO%d,%d^GB%d,%d,%d^FS\n", x, y, dots(it->w, d), h,
		    h);
		break;
	case LABEL_BOX:
		h = dots(it->h, d);
		putf(o, "^FO%d,%d^GB%d,%d,%d^FS\n", x, y, dots(it->w, d), h,
		    h);
		break;
	case LABEL_CODE128:
		/* The module, from the printer's count of modules. */
		putf(o, "^FO%d,%d", x, y);
		at = *o->lenp;
		putf(o, "^BY0^BCN,%d,N,N,N^FD", dots(it->h, d));
		put_code128(o, it->text, it->gs1, &modules);
		put(o, "^FS\n", 4);
		m = dots(it->w, d) / modules;
		mark = m < 1 ? 1 : m > 9 ? 9 : m;
		(*o->bufp)[at + 3] = '0' + mark;
		break;
	case LABEL_QR:
		/* Magnification: the side over modules and quiet zones. */
		if (label_barcode_modules(it->text, 0, 1, &modules, NULL,
		    0) == -1)
			modules = 177;
		m = dots(it->w, d) / (modules + 8);
		m = m < 1 ? 1 : m > 10 ? 10 : m;
		putf(o, "^FO%d,%d^BQN,2,%d^FH^FDMA,", x + 4 * m, y, m);
		put_hex_escaped(o, it->text);
		put(o, "^FS\n", 4);
		break;
	}
}

void
label_zpl(const struct label_layout *l, int dpi, char **bufp, size_t *capp,
    size_t *lenp)
{
	struct out o = { bufp, capp, lenp };
	double d = dpi / 25.4;
	size_t i;
	int page;

	for (page = 0; page < l->npages; page++) {
		putf(&o, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", dots(l->w, d),
		    dots(l->h, d));
		for (i = 0; i < l->n; i++)
			if (l->items[i].page == page)
				item(&o, &l->items[i], d);
		put(&o, "^XZ\n", 4);
	}
}
