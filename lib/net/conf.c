/* conf.c: orderkit.conf(5), read once, looked up by section, name and key. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "conf.h"
#include "xalloc.h"

struct conf_entry {
	char		*section;	/* lower-cased */
	char		*name;		/* as written, or NULL */
	char		*key;		/* lower-cased */
	char		*value;
};

struct conf {
	char			*path;
	struct conf_entry	*v;
	size_t			 n, cap;
	int			 secrets;	/* a key holds a secret */
};

/* The parser's position in the text. */
struct lexer {
	const char	*p, *end;
	const char	*name;
	unsigned long	 line;
	char		*err;
	size_t		 errlen;
};

static int
fail(struct lexer *lx, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(lx->err, lx->errlen, "%s:%lu: %s", lx->name, lx->line, what);
	return -1;
}

/* A growing string. */
struct text {
	char	*s;
	size_t	 len, cap;
};

static void
text_putc(struct text *t, char c)
{
	if (t->len + 2 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->s = xrealloc(t->s, t->cap);
	}
	t->s[t->len++] = c;
	t->s[t->len] = '\0';
}

static int
secret_key(const char *key)
{
	/* A Slack webhook's URL is its only credential. */
	static const char *ends[] = { "key", "secret", "token", "password",
	    "webhook_url" };
	size_t i, n = strlen(key), m;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		m = strlen(ends[i]);
		if (n >= m && strcmp(key + n - m, ends[i]) == 0)
			return 1;
	}
	return 0;
}

static void
add(struct conf *c, const char *section, const char *name, const char *key,
    const char *value)
{
	struct conf_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	e = &c->v[c->n++];
	e->section = xstrdup(section);
	e->name = name != NULL ? xstrdup(name) : NULL;
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	if (secret_key(e->key))
		c->secrets = 1;
}

static void
skip_blanks(struct lexer *lx)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
	    *lx->p == '\r'))
		lx->p++;
}

static int
at_line_end(const struct lexer *lx)
{
	return lx->p == lx->end || *lx->p == '\n' || *lx->p == '#' ||
	    *lx->p == ';';
}

static void
skip_line(struct lexer *lx)
{
	while (lx->p < lx->end && *lx->p != '\n')
		lx->p++;
	if (lx->p < lx->end)
		lx->p++;
	lx->line++;
}

/* An escape after a backslash, inside or outside quotes, as git reads
 * them; -1 for one it does not know. */
static int
escape(char c)
{
	switch (c) {
	case '\\': return '\\';
	case '"': return '"';
	case 'n': return '\n';
	case 't': return '\t';
	case 'b': return '\b';
	default: return -1;
	}
}

/* [section] or [section "name"]: into *section (lower-cased) and *name. */
static int
section_header(struct lexer *lx, struct text *section, struct text *name,
    int *has_name)
{
	int c;

	lx->p++;			/* '[' */
	section->len = name->len = 0;
	text_putc(section, '\0');
	section->len = 0;
	*has_name = 0;
	skip_blanks(lx);
	while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) ||
	    *lx->p == '-' || *lx->p == '_' || *lx->p == '.'))
		text_putc(section, tolower((unsigned char)*lx->p++));
	if (section->len == 0)
		return fail(lx, "bad section header: no section name");
	skip_blanks(lx);
	if (lx->p < lx->end && *lx->p == '"') {
		*has_name = 1;
		text_putc(name, '\0');
		name->len = 0;
		for (lx->p++; ; lx->p++) {
			if (lx->p == lx->end || *lx->p == '\n')
				return fail(lx, "bad section header: "
				    "missing '\"'");
			if (*lx->p == '"')
				break;
			if (*lx->p == '\\') {
				if (lx->p + 1 == lx->end ||
				    (c = escape(lx->p[1])) == -1)
					return fail(lx, "bad section header: "
					    "bad escape");
				lx->p++;
				text_putc(name, c);
			} else
				text_putc(name, *lx->p);
		}
		lx->p++;
		skip_blanks(lx);
	}
	if (lx->p == lx->end || *lx->p != ']')
		return fail(lx, "bad section header: missing ']'");
	lx->p++;
	skip_blanks(lx);
	if (!at_line_end(lx))
		return fail(lx, "bad section header: text after ']'");
	return 0;
}

/* The value after '=': quotes join, comments end it, blanks outside quotes
 * at its ends go. */
static int
value(struct lexer *lx, struct text *v)
{
	size_t keep = 0;	/* length up to the last quoted or non-blank */
	int quoted = 0, c;

	text_putc(v, '\0');
	v->len = 0;
	skip_blanks(lx);
	for (; lx->p < lx->end && *lx->p != '\n'; lx->p++) {
		c = *lx->p;
		if (c == '"') {
			quoted = !quoted;
			keep = v->len;
			continue;
		}
		if (!quoted && (c == '#' || c == ';'))
			break;
		if (c == '\\') {
			if (lx->p + 1 < lx->end && lx->p[1] == '\n')
				return fail(lx, "line continuation is not "
				    "supported");
			if (lx->p + 1 == lx->end || (c = escape(lx->p[1])) == -1)
				return fail(lx, "bad escape in value");
			lx->p++;
			text_putc(v, c);
			keep = v->len;
			continue;
		}
		if (c == '\r' && !quoted)
			continue;
		text_putc(v, c);
		if (quoted || (c != ' ' && c != '\t'))
			keep = v->len;
	}
	if (quoted)
		return fail(lx, "missing '\"' in value");
	v->len = keep;
	v->s[keep] = '\0';
	return 0;
}

struct conf *
conf_parse(const char *name, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct lexer lx = { buf, buf + len, name, 1, err, errlen };
	struct text section = { 0 }, sname = { 0 }, key = { 0 }, val = { 0 };
	struct conf *c;
	int has_section = 0, has_name = 0, rc = 0;

	c = xcalloc(1, sizeof(*c));
	text_putc(&key, '\0');
	while (lx.p < lx.end && rc == 0) {
		skip_blanks(&lx);
		if (at_line_end(&lx)) {
			skip_line(&lx);
			continue;
		}
		if (*lx.p == '[') {
			if ((rc = section_header(&lx, &section, &sname,
			    &has_name)) == 0) {
				has_section = 1;
				skip_line(&lx);
			}
			continue;
		}
		if (!isalpha((unsigned char)*lx.p)) {
			rc = fail(&lx, "a key must start with a letter");
			break;
		}
		key.len = 0;
		while (lx.p < lx.end && (isalnum((unsigned char)*lx.p) ||
		    *lx.p == '-' || *lx.p == '_'))
			text_putc(&key, tolower((unsigned char)*lx.p++));
		if (!has_section) {
			rc = fail(&lx, "key '%s' outside a section", key.s);
			break;
		}
		skip_blanks(&lx);
		if (at_line_end(&lx)) {
			/* git's boolean shorthand: a key alone is true */
			add(c, section.s, has_name ? sname.s : NULL, key.s,
			    "true");
			skip_line(&lx);
			continue;
		}
		if (*lx.p != '=') {
			rc = fail(&lx, "expected '=' after key '%s'", key.s);
			break;
		}
		lx.p++;
		if ((rc = value(&lx, &val)) == 0) {
			add(c, section.s, has_name ? sname.s : NULL, key.s,
			    val.s != NULL ? val.s : "");
			skip_line(&lx);
		}
	}
	free(section.s);
	free(sname.s);
	free(key.s);
	free(val.s);
	if (rc != 0) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* The file to read, and whether it must exist. */
static char *
locate(const char *arg, int *must)
{
	const char *s, *base, *sub;
	size_t n;
	char *path;

	*must = 1;
	if (arg != NULL)
		return xstrdup(arg);
	if ((s = getenv("ORDERKIT_CONFIG")) != NULL && *s != '\0')
		return xstrdup(s);
	*must = 0;
	if ((base = getenv("XDG_CONFIG_HOME")) != NULL && *base == '/')
		sub = "/orderkit/orderkit.conf";
	else if ((base = getenv("HOME")) != NULL && *base == '/')
		sub = "/.config/orderkit/orderkit.conf";
	else
		return NULL;
	n = strlen(base) + strlen(sub) + 1;
	path = xmalloc(n);
	snprintf(path, n, "%s%s", base, sub);
	return path;
}

struct conf *
conf_load(const char *arg)
{
	struct conf *c;
	struct stat sb;
	char *path, *buf = NULL, msg[512];
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, must;

	if ((path = locate(arg, &must)) == NULL)
		return xcalloc(1, sizeof(struct conf));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (!must && errno == ENOENT) {
			free(path);
			return xcalloc(1, sizeof(struct conf));
		}
		err(EX_CONFIG, "cannot open config '%s'", path);
	}
	if (fstat(fd, &sb) == -1)
		err(EX_CONFIG, "cannot read config '%s'", path);
	if (!S_ISREG(sb.st_mode))
		errx(EX_CONFIG, "config '%s' is not a file", path);
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			err(EX_CONFIG, "cannot read config '%s'", path);
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if ((c = conf_parse(path, buf, len, msg, sizeof(msg))) == NULL)
		errx(EX_CONFIG, "%s", msg);
	free(buf);
	if (c->secrets && (sb.st_mode & (S_IRGRP | S_IROTH)) != 0)
		errx(EX_CONFIG, "config '%s' holds secrets but can be read by "
		    "others: chmod 600 '%s'", path, path);
	c->path = path;
	return c;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].name);
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->path);
	free(c);
}

const char *
conf_path(const struct conf *c)
{
	return c->path;
}

static void
env_part(char *buf, size_t len, size_t *at, const char *s)
{
	for (; *s != '\0' && *at + 1 < len; s++)
		buf[(*at)++] = isalnum((unsigned char)*s) ?
		    toupper((unsigned char)*s) : '_';
}

char *
conf_envname(const char *section, const char *name, const char *key,
    char *buf, size_t len)
{
	size_t at = 0;

	env_part(buf, len, &at, "ORDERKIT_");
	env_part(buf, len, &at, section);
	if (name != NULL) {
		env_part(buf, len, &at, "_");
		env_part(buf, len, &at, name);
	}
	env_part(buf, len, &at, "_");
	env_part(buf, len, &at, key);
	buf[at] = '\0';
	return buf;
}

char *
conf_keyname(const char *section, const char *name, const char *key,
    char *buf, size_t len)
{
	if (name != NULL)
		snprintf(buf, len, "[%s \"%s\"] %s", section, name, key);
	else
		snprintf(buf, len, "[%s] %s", section, key);
	return buf;
}

const char *
conf_get(const struct conf *c, const char *section, const char *name,
    const char *key)
{
	const struct conf_entry *e;
	const char *v;
	char env[256];
	size_t i;

	v = getenv(conf_envname(section, name, key, env, sizeof(env)));
	if (v != NULL && *v != '\0')
		return v;
	for (i = c->n; i > 0; i--) {
		e = &c->v[i - 1];
		if (strcasecmp(e->section, section) != 0 ||
		    strcasecmp(e->key, key) != 0)
			continue;
		if ((name == NULL) != (e->name == NULL) ||
		    (name != NULL && strcmp(name, e->name) != 0))
			continue;
		return e->value;
	}
	return NULL;
}

const char *
conf_need(const struct conf *c, const char *section, const char *name,
    const char *key)
{
	const char *v;
	char kn[160], env[256];

	if ((v = conf_get(c, section, name, key)) != NULL && *v != '\0')
		return v;
	conf_keyname(section, name, key, kn, sizeof(kn));
	conf_envname(section, name, key, env, sizeof(env));
	if (c->path != NULL)
		errx(EX_CONFIG, "missing %s in config '%s' (or %s in the "
		    "environment)", kn, c->path, env);
	errx(EX_CONFIG, "missing %s: no config file, and %s is not set", kn,
	    env);
}

/* The value of key in [section "name"], else in [fallback]; the name of
 * the key found (or looked for first) in kn. */
static const char *
lookup(const struct conf *c, const char *section, const char *name,
    const char *fallback, const char *key, char *kn, size_t knlen)
{
	const char *v;

	conf_keyname(section, name, key, kn, knlen);
	if ((v = conf_get(c, section, name, key)) != NULL)
		return v;
	if (fallback != NULL && (v = conf_get(c, fallback, NULL, key)) !=
	    NULL) {
		conf_keyname(fallback, NULL, key, kn, knlen);
		return v;
	}
	return NULL;
}

int64_t
conf_millis(const struct conf *c, const char *section, const char *name,
    const char *fallback, const char *key, int64_t def, int64_t max_ms)
{
	const char *v, *p;
	char kn[160];
	int64_t ms = 0;
	int frac = -1;

	if ((v = lookup(c, section, name, fallback, key, kn, sizeof(kn))) ==
	    NULL)
		return def;
	for (p = v; *p != '\0'; p++) {
		if (*p == '.' && frac == -1 && p != v) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p) || frac == 3 ||
		    ms > 1000000000000000LL)
			errx(EX_CONFIG, "%s '%s' is not a number of seconds "
			    "(up to three decimals)", kn, v);
		ms = ms * 10 + (*p - '0');
		if (frac >= 0)
			frac++;
	}
	if (p == v || frac == 0)
		errx(EX_CONFIG, "%s '%s' is not a number of seconds", kn, v);
	for (frac = frac < 0 ? 0 : frac; frac < 3; frac++)
		ms *= 10;
	if (ms > max_ms)
		errx(EX_CONFIG, "%s '%s' is more than %lld seconds", kn, v,
		    (long long)(max_ms / 1000));
	return ms;
}

long
conf_long(const struct conf *c, const char *section, const char *name,
    const char *fallback, const char *key, long def, long min, long max)
{
	const char *v;
	char kn[160], *end;
	long n;

	if ((v = lookup(c, section, name, fallback, key, kn, sizeof(kn))) ==
	    NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		errx(EX_CONFIG, "%s '%s' is not a whole number from %ld to %ld",
		    kn, v, min, max);
	return n;
}

void
conf_names(const struct conf *c, const char *section,
    void (*fn)(void *, const char *), void *arg)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].name == NULL ||
		    strcasecmp(c->v[i].section, section) != 0)
			continue;
		for (j = 0; j < i; j++)
			if (c->v[j].name != NULL &&
			    strcasecmp(c->v[j].section, section) == 0 &&
			    strcmp(c->v[j].name, c->v[i].name) == 0)
				break;
		if (j == i)
			fn(arg, c->v[i].name);
	}
}

int
conf_bool(const struct conf *c, const char *section, const char *name,
    const char *key, int def)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	const char *v;
	char kn[160];
	size_t i;

	if ((v = conf_get(c, section, name, key)) == NULL)
		return def;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	errx(EX_CONFIG, "%s '%s' is not yes or no",
	    conf_keyname(section, name, key, kn, sizeof(kn)), v);
}
