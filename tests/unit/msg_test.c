/* msg_test.c: unit tests of lib/msg.h, and the check that every message
 * table of lib/ and cmd/ gives the Russian and Ukrainian formats the
 * arguments the English one takes. */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "msg.h"
#include "unit.h"

static void
test_lang_parse(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		enum msg_lang	 lang;
	} cases[] = {
		{ "en", 0, MSG_EN }, { "ru", 0, MSG_RU }, { "uk", 0, MSG_UK },
		{ "ua", 0, MSG_UK }, { "", -1, 0 }, { "EN", -1, 0 },
		{ "ru_RU", -1, 0 }, { "de", -1, 0 }, { "r", -1, 0 },
	};
	enum msg_lang lang;
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "msg_lang_parse(\"%s\")",
		    cases[i].s);
		lang = MSG_NLANGS;
		expect_int(what, msg_lang_parse(cases[i].s, &lang), cases[i].rc);
		expect_int(what, lang, cases[i].rc == 0 ? cases[i].lang :
		    MSG_NLANGS);
	}
}

static void
env(const char *lc_all, const char *lc_messages, const char *lang)
{
	static const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *values[] = { lc_all, lc_messages, lang };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (values[i] == NULL)
			unsetenv(names[i]);
		else
			setenv(names[i], values[i], 1);
	}
}

static void
test_lang_env(void)
{
	env(NULL, NULL, NULL);
	expect_int("no locale variables", msg_lang_env(), MSG_EN);
	env(NULL, NULL, "ru_RU.UTF-8");
	expect_int("LANG=ru_RU.UTF-8", msg_lang_env(), MSG_RU);
	env(NULL, NULL, "uk_UA.UTF-8");
	expect_int("LANG=uk_UA.UTF-8", msg_lang_env(), MSG_UK);
	env(NULL, "uk_UA.UTF-8", "ru_RU.UTF-8");
	expect_int("LC_MESSAGES before LANG", msg_lang_env(), MSG_UK);
	env("C", "uk_UA.UTF-8", "ru_RU.UTF-8");
	expect_int("LC_ALL=C before the others", msg_lang_env(), MSG_EN);
	env("", "", "ru_RU.UTF-8");
	expect_int("empty ones are skipped", msg_lang_env(), MSG_RU);
	env(NULL, NULL, "de_DE.UTF-8");
	expect_int("LANG=de_DE.UTF-8", msg_lang_env(), MSG_EN);
	env(NULL, NULL, "C.UTF-8");
	expect_int("LANG=C.UTF-8", msg_lang_env(), MSG_EN);
	env(NULL, NULL, NULL);
}

static void
test_format(void)
{
	static const struct msg table[] = {
		{ "bad_qty", { "qty %d is below 1", "qty %d меньше 1",
		    "qty %d менше 1" } },
		{ "only_en", { "only in English", NULL, NULL } },
		{ "no_uk", { "in English", "по-русски", NULL } },
	};
	size_t n = sizeof(table) / sizeof(table[0]);

	expect_str("bad_qty in en", msg_format(table, n, "bad_qty", MSG_EN),
	    "qty %d is below 1");
	expect_str("bad_qty in ru", msg_format(table, n, "bad_qty", MSG_RU),
	    "qty %d меньше 1");
	expect_str("bad_qty in uk", msg_format(table, n, "bad_qty", MSG_UK),
	    "qty %d менше 1");
	expect_str("only_en in uk", msg_format(table, n, "only_en", MSG_UK),
	    "only in English");
	expect_str("no_uk in ru", msg_format(table, n, "no_uk", MSG_RU),
	    "по-русски");
	expect_str("no_uk in uk", msg_format(table, n, "no_uk", MSG_UK),
	    "in English");
	expect_str("a key not in the table", msg_format(table, n, "missing",
	    MSG_RU), "missing");
	expect_str("an empty table", msg_format(table, 0, "bad_qty", MSG_RU),
	    "bad_qty");
}

static void
test_translate(void)
{
	static const struct msg table[] = {
		{ "unpaid", { "no payment for %s", "нет оплаты %s", NULL } },
		{ "pending", { "pending", "в обработке", "в обробці" } },
	};
	size_t n = sizeof(table) / sizeof(table[0]);

	expect_str("by its English text", msg_translate(table, n,
	    "no payment for %s", MSG_RU), "нет оплаты %s");
	expect_str("no Ukrainian: English", msg_translate(table, n,
	    "no payment for %s", MSG_UK), "no payment for %s");
	expect_str("in English", msg_translate(table, n, "pending", MSG_EN),
	    "pending");
	expect_str("a text not in the table", msg_translate(table, n,
	    "no payment", MSG_UK), "no payment");
	expect_str("the reject table has order-reserve's backorder",
	    msg_translate(msg_rejects, msg_nrejects, "SKU '%s': %" PRId64
	    " wanted, %" PRId64 " in stock", MSG_RU), "SKU '%s': нужно %"
	    PRId64 ", в наличии %" PRId64);
}

/*
 * The formats of a message are chosen at run time (msg_format()), so the
 * compiler's printf(3) check cannot see that a translation takes other
 * arguments than the English text, which would read a string where an
 * integer was passed.  These functions read the tables, "struct msg
 * NAME[] = { ... };", from the C sources and compare the conversion
 * specifications of each entry's languages.
 */

struct lexer {
	const char	*p, *end;
	int		 line;
};

/* A growing text: the report of what differs. */
struct text {
	char	*s;
	size_t	 len;
};

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	t->s = realloc(t->s, t->len + n + 1);
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, n + 1, fmt, ap);
	va_end(ap);
	t->len += n;
}

/* Skip white space and comments. */
static void
skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)*lx->p))
			lx->p++;
		else if (lx->p + 1 < lx->end && lx->p[0] == '/' &&
		    lx->p[1] == '*') {
			for (lx->p += 2; lx->p + 1 < lx->end &&
			    !(lx->p[0] == '*' && lx->p[1] == '/'); lx->p++)
				if (*lx->p == '\n')
					lx->line++;
			lx->p += 2;
		} else if (lx->p + 1 < lx->end && lx->p[0] == '/' &&
		    lx->p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else
			break;
	}
}

/* The punctuation c next: 1 and past it, else 0. */
static int
punct(struct lexer *lx, char c)
{
	skip(lx);
	if (lx->p < lx->end && *lx->p == c) {
		lx->p++;
		return 1;
	}
	return 0;
}

/* An <inttypes.h> macro such as PRId64 between literals, as this compiler
 * spells it: its text added to t and 1, or 0 when none is next. */
static int
pri_macro(struct lexer *lx, struct text *t)
{
	static const struct {
		const char	*name, *text;
	} macros[] = {
		{ "PRId64", PRId64 }, { "PRIu64", PRIu64 }, { "PRIx64", PRIx64 },
		{ "PRIdMAX", PRIdMAX }, { "PRIuMAX", PRIuMAX },
		{ "JSON_INTEGER_FORMAT", JSON_INTEGER_FORMAT },
	};
	size_t i, n;

	for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++) {
		n = strlen(macros[i].name);
		if (lx->end - lx->p > (long)n &&
		    strncmp(lx->p, macros[i].name, n) == 0 &&
		    !isalnum((unsigned char)lx->p[n]) && lx->p[n] != '_') {
			lx->p += n;
			text_add(t, "%s", macros[i].text);
			skip(lx);
			return 1;
		}
	}
	return 0;
}

/* One or more adjacent string literals (and PRId64 and the like between
 * them), or NULL: a new string (its
 * escapes read; "" for NULL, *null set), or NULL when neither is next. */
static char *
literal(struct lexer *lx, int *null)
{
	struct text t = { NULL, 0 };
	char c;
	int n, v;

	*null = 0;
	skip(lx);
	if (lx->end - lx->p >= 4 && strncmp(lx->p, "NULL", 4) == 0) {
		lx->p += 4;
		*null = 1;
		return strdup("");
	}
	text_add(&t, "%s", "");
	while (lx->p < lx->end && (*lx->p == '"' || pri_macro(lx, &t))) {
		if (*lx->p != '"')
			continue;
		for (lx->p++; lx->p < lx->end && *lx->p != '"'; lx->p++) {
			c = *lx->p;
			if (c == '\\' && lx->p + 1 < lx->end) {
				c = *++lx->p;
				switch (c) {
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				case 'r': c = '\r'; break;
				case 'x':
					for (v = 0, n = 0; n < 2 &&
					    isxdigit((unsigned char)lx->p[1]);
					    n++, lx->p++)
						v = v * 16 + (isdigit((unsigned
						    char)lx->p[1]) ? lx->p[1] -
						    '0' : (lx->p[1] | 32) - 'a' +
						    10);
					c = (char)v;
					break;
				default:
					if (c >= '0' && c <= '7') {
						for (v = c - '0', n = 1; n < 3 &&
						    lx->p[1] >= '0' &&
						    lx->p[1] <= '7'; n++)
							v = v * 8 +
							    (*++lx->p - '0');
						c = (char)v;
					}
				}
			}
			text_add(&t, "%c", c);
		}
		lx->p++;
		skip(lx);
	}
	if (t.len == 0 && (lx->p >= lx->end || lx->p[-1] != '"')) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

/*
 * The arguments that the printf(3) format fmt takes, as a text such as
 * "s, d, zu, s": the length modifier and the conversion, with d for i,
 * u for o, x and X, f for the other floating ones, d for a '*' width or
 * precision; flags, widths and precisions do not change an argument.
 * Positional ("%2$s") arguments are put in their place.  NULL, with why
 * in *err, for a specification that is not one.
 */
static char *
arguments(const char *fmt, const char **err)
{
	char *slot[64] = { NULL }, type[8], *out;
	const char *p = fmt, *q;
	struct text t = { NULL, 0 };
	int next = 0, pos, n, i, positional = -1;
	size_t len;

	*err = NULL;
	while ((p = strchr(p, '%')) != NULL) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		pos = -1;
		for (q = p, n = 0; isdigit((unsigned char)*q); q++)
			n = n * 10 + (*q - '0');
		if (q > p && *q == '$') {
			pos = n - 1;
			p = q + 1;
		}
		if (positional == -1)
			positional = pos >= 0;
		else if (positional != (pos >= 0)) {
			*err = "positional and plain arguments mixed";
			break;
		}
		p += strspn(p, "-+ #0'");
		if (*p == '*') {
			if (pos >= 0) {
				*err = "a '*' in a positional specification";
				break;
			}
			slot[next++] = strdup("d");
			p++;
		} else
			p += strspn(p, "0123456789");
		if (*p == '.') {
			p++;
			if (*p == '*') {
				if (pos >= 0) {
					*err = "a '*' in a positional "
					    "specification";
					break;
				}
				slot[next++] = strdup("d");
				p++;
			} else
				p += strspn(p, "0123456789");
		}
		len = 0;
		if (strncmp(p, "hh", 2) == 0 || strncmp(p, "ll", 2) == 0)
			len = 2;
		else if (strchr("hljztL", *p) != NULL && *p != '\0')
			len = 1;
		memcpy(type, p, len);
		p += len;
		if (*p == '\0' || strchr("diouxXeEfFgGaAcspn", *p) == NULL) {
			*err = "a conversion that is not one";
			break;
		}
		type[len] = strchr("di", *p) != NULL ? 'd' :
		    strchr("ouxX", *p) != NULL ? 'u' :
		    strchr("eEfFgGaA", *p) != NULL ? 'f' : *p;
		type[len + 1] = '\0';
		p++;
		i = pos >= 0 ? pos : next++;
		if (i >= 64 || slot[i] != NULL) {
			*err = "an argument used twice, or too many";
			break;
		}
		slot[i] = strdup(type);
	}
	text_add(&t, "%s", "");
	for (i = 0; i < 64; i++) {
		if (slot[i] == NULL) {
			if (*err == NULL && i < next)
				*err = "a positional argument left out";
			continue;
		}
		text_add(&t, "%s%s", t.len > 0 ? ", " : "", slot[i]);
		free(slot[i]);
	}
	if (*err != NULL) {
		free(t.s);
		return NULL;
	}
	out = t.s;
	return out;
}

static const char *const lang_names[MSG_NLANGS] = { "en", "ru", "uk" };

/*
 * Check the tables of the C source text (named file in the report): each
 * entry's formats in every language it has take the English one's
 * arguments.  What differs goes to report, one line each; the tables and
 * entries read are counted in *ntables and *nentries.  A table that cannot
 * be read is reported too.
 */
static void
check_source(const char *file, const char *src, size_t len,
    struct text *report, int *ntables, int *nentries)
{
	struct lexer lx = { src, src + len, 1 };
	const char *hit, *err;
	char *key, *fmt[MSG_NLANGS], *args[MSG_NLANGS];
	int null, i, n, line;

	for (;;) {
		/* "struct msg NAME[] = {" */
		hit = NULL;
		for (; lx.p + 10 < lx.end; lx.p++) {
			if (*lx.p == '\n')
				lx.line++;
			if (strncmp(lx.p, "struct msg", 10) == 0 &&
			    isspace((unsigned char)lx.p[10])) {
				hit = lx.p;
				break;
			}
		}
		if (hit == NULL)
			return;
		lx.p += 10;
		skip(&lx);
		while (lx.p < lx.end && (isalnum((unsigned char)*lx.p) ||
		    *lx.p == '_'))
			lx.p++;
		if (!punct(&lx, '[') || !punct(&lx, ']') || !punct(&lx, '=') ||
		    !punct(&lx, '{'))
			continue;	/* a pointer, a parameter, ... */
		(*ntables)++;
		while (!punct(&lx, '}')) {
			line = lx.line;
			key = NULL;
			n = 0;
			if (!punct(&lx, '{') ||
			    (key = literal(&lx, &null)) == NULL || null ||
			    !punct(&lx, ',') || !punct(&lx, '{')) {
				text_add(report, "%s:%d: a table entry that "
				    "is not { \"key\", { \"en\", ... } }\n",
				    file, line);
				free(key);
				return;
			}
			do {
				if (n == MSG_NLANGS ||
				    (fmt[n] = literal(&lx, &null)) == NULL)
					break;
				if (null) {
					free(fmt[n]);
					fmt[n] = NULL;
				}
				n++;
			} while (punct(&lx, ','));
			if (n == 0 || fmt[0] == NULL || !punct(&lx, '}') ||
			    !punct(&lx, '}')) {
				text_add(report, "%s:%d: '%s': not { \"en\", "
				    "\"ru\", \"uk\" }\n", file, line, key);
				for (i = 0; i < n; i++)
					free(fmt[i]);
				free(key);
				return;
			}
			punct(&lx, ',');
			(*nentries)++;
			for (i = 0; i < n; i++) {
				args[i] = NULL;
				if (fmt[i] == NULL)
					continue;	/* English stands in */
				if ((args[i] = arguments(fmt[i], &err)) ==
				    NULL)
					text_add(report, "%s:%d: '%s' in %s: "
					    "%s\n", file, line, key,
					    lang_names[i], err);
				else if (i > 0 && args[0] != NULL &&
				    strcmp(args[i], args[0]) != 0)
					text_add(report, "%s:%d: '%s' in %s "
					    "takes (%s), in en (%s)\n", file,
					    line, key, lang_names[i], args[i],
					    args[0]);
			}
			for (i = 0; i < n; i++) {
				free(args[i]);
				free(fmt[i]);
			}
			free(key);
		}
		punct(&lx, ';');
	}
}

/* A file's text, or NULL. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE *fp;
	char *s;
	long n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) == -1 ||
	    fseek(fp, 0, SEEK_SET) == -1 || (s = malloc(n + 1)) == NULL ||
	    fread(s, 1, n, fp) != (size_t)n) {
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	s[n] = '\0';
	*lenp = n;
	return s;
}

/* Check the .c files of dir (and, with depth, of its subdirectories). */
static void
check_dir(const char *dir, int depth, struct text *report, int *nfiles,
    int *ntables, int *nentries)
{
	struct dirent *e;
	struct stat sb;
	DIR *d;
	char path[1024], *src;
	size_t len, n;

	if ((d = opendir(dir)) == NULL) {
		text_add(report, "%s: cannot open the directory\n", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || snprintf(path, sizeof(path), "%s/%s",
		    dir, e->d_name) >= (int)sizeof(path) ||
		    stat(path, &sb) == -1)
			continue;
		n = strlen(e->d_name);
		if (S_ISDIR(sb.st_mode) && depth > 0)
			check_dir(path, depth - 1, report, nfiles, ntables,
			    nentries);
		else if (S_ISREG(sb.st_mode) && n > 2 &&
		    strcmp(e->d_name + n - 2, ".c") == 0 &&
		    (src = slurp(path, &len)) != NULL) {
			(*nfiles)++;
			check_source(path, src, len, report, ntables,
			    nentries);
			free(src);
		}
	}
	closedir(d);
}

/* Add to seen (a text of lines) every string literal of src, adjacent ones
 * joined, that is not in a comment or a character constant. */
static void
collect_literals(const char *src, size_t len, struct text *seen)
{
	struct lexer lx = { src, src + len, 1 };
	char *s;
	int null;

	while (lx.p < lx.end) {
		skip(&lx);
		if (lx.p >= lx.end)
			break;
		if (*lx.p == '\'') {
			for (lx.p++; lx.p < lx.end && *lx.p != '\''; lx.p++)
				if (*lx.p == '\\')
					lx.p++;
			lx.p++;
		} else if (*lx.p == '"') {
			if ((s = literal(&lx, &null)) != NULL) {
				text_add(seen, "%s\n", s);
				free(s);
			}
		} else
			lx.p++;
	}
}

/* Each English text of msg_rejects is a message or format that the code
 * passes to reject_add() and the like, as a literal somewhere in lib/ or
 * cmd/ (msgtab.c aside): a text that drifted from its call would leave the
 * message English in every language, unnoticed. */
static void
test_rejects_used(void)
{
	static const char *dirs[] = { "lib", "lib/import", "lib/payment",
	    "lib/carrier", "lib/store", "lib/net", "cmd" };
	struct text seen = { NULL, 0 }, missing = { NULL, 0 };
	struct dirent *e;
	const char *top = getenv("ORDERKIT_SRC");
	char path[1024], *src, want[1024];
	size_t i, len, n;
	DIR *d;

	if (top == NULL || *top == '\0')
		top = ".";
	text_add(&seen, "\n");
	text_add(&missing, "%s", "");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", top, dirs[i]);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			n = strlen(e->d_name);
			if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0 ||
			    strcmp(e->d_name, "msgtab.c") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", top, dirs[i],
			    e->d_name);
			if ((src = slurp(path, &len)) != NULL) {
				collect_literals(src, len, &seen);
				free(src);
			}
		}
		closedir(d);
	}
	for (i = 0; i < msg_nrejects; i++) {
		snprintf(want, sizeof(want), "\n%s\n",
		    msg_rejects[i].text[MSG_EN]);
		if (strstr(seen.s, want) == NULL)
			text_add(&missing, "%s: '%s'\n", msg_rejects[i].key,
			    msg_rejects[i].text[MSG_EN]);
	}
	expect_str("msg_rejects texts the code does not write", missing.s,
	    "");
	free(seen.s);
	free(missing.s);
}

/* Every table of lib/ and cmd/ (under $ORDERKIT_SRC, else the directory
 * make check runs in): no translation takes other arguments. */
static void
test_tables(void)
{
	struct text report = { NULL, 0 };
	const char *top = getenv("ORDERKIT_SRC");
	char dir[1024];
	int nfiles = 0, ntables = 0, nentries = 0;

	if (top == NULL || *top == '\0')
		top = ".";
	text_add(&report, "%s", "");
	snprintf(dir, sizeof(dir), "%s/lib", top);
	check_dir(dir, 1, &report, &nfiles, &ntables, &nentries);
	snprintf(dir, sizeof(dir), "%s/cmd", top);
	check_dir(dir, 0, &report, &nfiles, &ntables, &nentries);
	expect_str("the translations of lib/ and cmd/", report.s, "");
	/* Not a check of nothing: jsonl.c's and order-validate.c's tables
	 * are there (and more as programs come). */
	expect_true("the sources were read", nfiles >= 20);
	expect_true("three tables or more", ntables >= 3);
	expect_true("fifty entries or more", nentries >= 50);
	free(report.s);
}

/* The check fails on what it is for: a copy of a table with its
 * translations broken in each way, beside entries that are right. */
static void
test_broken_table(void)
{
	static const char src[] =
	    "/* a copy, broken */\n"
	    "static const struct msg *pointer;\n"
	    "static const struct msg broken[] = {\n"
	    "\t{ \"same\", { \"%s has %d of %zu\", \"%s: %i из %zu\",\n"
	    "\t    \"%-10s має %5d з %zu\" } },\n"
	    "\t{ \"swapped\", { \"qty %d of '%s'\", \"'%s': %d\",\n"
	    "\t    \"qty %d of '%s'\" } },\n"
	    "\t{ \"wider\", { \"line %lu\", \"строка %d\", \"рядок %lu\" } },\n"
	    "\t{ \"fewer\", { \"%s %s\", \"%s\", NULL } },\n"
	    "\t{ \"more\", { \"total\", \"итог %s\", \"підсумок\" } },\n"
	    "\t{ \"star\", { \"%.*s\", \"%s\", \"%.*s\" } },\n"
	    "\t{ \"percent\", { \"100%% of %s\", \"100%% %s\",\n"
	    "\t    \"100%%%s\" } },\n"
	    "\t{ \"positional\", { \"%s of %d\", \"%2$d: %1$s\",\n"
	    "\t    \"%2$d %2$d\" } },\n"
	    "\t{ \"bad\", { \"%s\", \"%y\", \"%\" } },\n"
	    "\t{ \"en_only\", { \"%s\", NULL, NULL } },\n"
	    "};\n";
	struct text report = { NULL, 0 };
	int ntables = 0, nentries = 0;

	text_add(&report, "%s", "");
	check_source("broken.c", src, sizeof(src) - 1, &report, &ntables,
	    &nentries);
	expect_int("the broken copy: one table", ntables, 1);
	expect_int("... ten entries", nentries, 10);
	expect_str("... each fault found", report.s,
	    "broken.c:6: 'swapped' in ru takes (s, d), in en (d, s)\n"
	    "broken.c:8: 'wider' in ru takes (d), in en (lu)\n"
	    "broken.c:9: 'fewer' in ru takes (s), in en (s, s)\n"
	    "broken.c:10: 'more' in ru takes (s), in en ()\n"
	    "broken.c:11: 'star' in ru takes (s), in en (d, s)\n"
	    "broken.c:14: 'positional' in uk: an argument used twice, or "
	    "too many\n"
	    "broken.c:16: 'bad' in ru: a conversion that is not one\n"
	    "broken.c:16: 'bad' in uk: a conversion that is not one\n");
	free(report.s);
}

int
main(void)
{
	test_lang_parse();
	test_lang_env();
	test_format();
	test_translate();
	test_rejects_used();
	test_tables();
	test_broken_table();
	return unit_summary("msg");
}
