/* profile.c: source profiles (profile.h): the built-in defaults of each
 * channel order-import reads, and [source "NAME"] over them. */
#include <err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <jansson.h>

#include "conf.h"
#include "profile.h"
#include "utf8.h"
#include "xalloc.h"

struct profile_alias {
	char		*name;		/* as profile_option() gives it */
	char		**alts;		/* likewise */
	size_t		 nalts;
};

struct profile_set {
	const struct conf *conf;
	struct conf	*own;		/* an empty one, when given none */
	struct profile	**v;		/* each its own allocation: they are
					 * handed out while the set grows */
	size_t		 n;
	pthread_mutex_t	 lock;		/* profile_find() on several
					 * threads (lib/pipeline.h) */
};

static const char *const shopify_gateways[] = {
	"shopify payments", "shopify_payments", "gift_card", "gift card", NULL
};

/* WooPayments is "woocommerce_payments", and its methods of the split
 * checkout "woocommerce_payments_<method>". */
static const char *const woocommerce_gateways[] = {
	"woocommerce_payments", "woopayments", "woocommerce payments", NULL
};

static const struct {
	const char	*source;
	int		 collects;
	int		 hides_contact;
	const char *const *gateways;
} builtins[] = {
	{ "amazon", PROFILE_COLLECTS_YES, 1, NULL },
	{ "ebay", PROFILE_COLLECTS_YES, 1, NULL },
	{ "etsy", PROFILE_COLLECTS_YES, 1, NULL },
	{ "ozon", PROFILE_COLLECTS_YES, 1, NULL },
	{ "shopify", PROFILE_COLLECTS_GATEWAY, 0, shopify_gateways },
	{ "wildberries", PROFILE_COLLECTS_YES, 1, NULL },
	{ "woocommerce", PROFILE_COLLECTS_GATEWAY, 0, woocommerce_gateways },
	{ "yandex-market", PROFILE_COLLECTS_YES, 1, NULL },
};

/* Payments the shop marked as received by hand, in any channel. */
static const char *const by_hand[] = {
	"manual", "bacs", "cheque", "cash on delivery (cod)", "bank deposit",
	"money order", NULL
};

static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* profile_option() without the aliases. */
static char *
normalize(const char *name)
{
	char *plain, *key, *p;
	const char *s;
	size_t len;
	int depth = 0, blank = 0;

	plain = p = xmalloc(strlen(name) + 1);
	for (s = name; *s != '\0'; s++) {
		if (*s == '(') {
			depth++;
			continue;
		}
		if (*s == ')' && depth > 0) {
			depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			blank = 1;
			continue;
		}
		if (blank && p > plain)
			*p++ = ' ';
		blank = 0;
		*p++ = *s;
	}
	*p = '\0';
	key = utf8_casekey(plain);
	free(plain);
	len = strlen("attribute_pa_");
	if (strncmp(key, "attribute_pa_", len) == 0 && key[len] != '\0')
		memmove(key, key + len, strlen(key + len) + 1);
	else if (strncmp(key, "pa_", 3) == 0 && key[3] != '\0')
		memmove(key, key + 3, strlen(key + 3) + 1);
	return key;
}

static void __attribute__((noreturn))
bad_value(struct profile *p, const char *key, const char *value,
    const char *what)
{
	char kn[160];

	errx(EX_CONFIG, "%s '%s' %s", conf_keyname("source", p->source, key,
	    kn, sizeof(kn)), value, what);
}

/* "a, b": codes as the man pages list them. */
static void
parse_allow(struct profile *p, const char *value)
{
	const char *s, *end;
	char *code;
	size_t i;

	for (s = value; *s != '\0'; s = *end != '\0' ? end + 1 : end) {
		end = s + strcspn(s, ",");
		code = trimmed(s, end - s);
		if (*code == '\0') {
			free(code);
			continue;
		}
		for (i = 0; code[i] != '\0'; i++)
			if (!(code[i] >= 'a' && code[i] <= 'z') &&
			    !(code[i] >= '0' && code[i] <= '9') &&
			    code[i] != '_')
				bad_value(p, "allow", value, "is not a list of "
				    "error codes separated by ','");
		p->allow = xrealloc(p->allow,
		    (p->nallow + 1) * sizeof(*p->allow));
		p->allow[p->nallow++] = code;
	}
}

/* "size = size (men's) | us shoe size; color = colour | pa_color". */
static void
parse_aliases(struct profile *p, const char *value)
{
	struct profile_alias *a;
	const char *s, *end, *eq, *alt, *altend;
	char *text;

	for (s = value; *s != '\0'; s = *end != '\0' ? end + 1 : end) {
		end = s + strcspn(s, ";");
		text = trimmed(s, end - s);
		if (*text == '\0') {
			free(text);
			continue;
		}
		free(text);
		if ((eq = memchr(s, '=', end - s)) == NULL)
			bad_value(p, "option_alias", value, "is not NAME = "
			    "ALIAS | ALIAS; ...");
		p->aliases = xrealloc(p->aliases,
		    (p->naliases + 1) * sizeof(*p->aliases));
		a = &p->aliases[p->naliases++];
		memset(a, 0, sizeof(*a));
		text = trimmed(s, eq - s);
		a->name = normalize(text);
		free(text);
		for (alt = eq + 1; alt < end; alt = altend + 1) {
			if ((altend = memchr(alt, '|', end - alt)) == NULL)
				altend = end;
			text = trimmed(alt, altend - alt);
			if (*text != '\0') {
				a->alts = xrealloc(a->alts,
				    (a->nalts + 1) * sizeof(*a->alts));
				a->alts[a->nalts++] = normalize(text);
			}
			free(text);
		}
		if (*a->name == '\0' || a->nalts == 0)
			bad_value(p, "option_alias", value, "is not NAME = "
			    "ALIAS | ALIAS; ...");
	}
}

/* A text value of [source "NAME"], or NULL; empty counts as not set. */
static const char *
get(const struct profile_set *set, const struct profile *p, const char *key)
{
	const char *v;

	if (*p->source == '\0')
		return NULL;
	v = conf_get(set->conf, "source", p->source, key);
	return v != NULL && *v != '\0' ? v : NULL;
}

static struct profile *
make_profile(struct profile_set *set, const char *source)
{
	struct profile *p;
	const char *v;
	size_t i;

	p = xcalloc(1, sizeof(*p));
	p->source = xstrdup(source);
	p->collects_payment = PROFILE_COLLECTS_NO;
	p->fulfilled_by = PROFILE_SHOP;
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].source, source) == 0) {
			p->collects_payment = builtins[i].collects;
			p->hides_contact = builtins[i].hides_contact;
			p->gateways = builtins[i].gateways;
		}
	if (*source == '\0')
		return p;
	if (get(set, p, "collects_payment") != NULL)
		p->collects_payment = conf_bool(set->conf, "source", source,
		    "collects_payment", 0) ? PROFILE_COLLECTS_YES :
		    PROFILE_COLLECTS_NO;
	if (get(set, p, "hides_contact") != NULL)
		p->hides_contact = conf_bool(set->conf, "source", source,
		    "hides_contact", 0);
	if ((v = get(set, p, "ship_method")) != NULL) {
		if (strcasecmp(v, "courier") != 0 &&
		    strcasecmp(v, "post") != 0 && strcasecmp(v, "pickup") != 0)
			bad_value(p, "ship_method", v, "is not courier, post "
			    "or pickup");
		p->ship_method = utf8_lower(v);
	}
	if ((v = get(set, p, "carrier")) != NULL)
		p->carrier = xstrdup(v);
	if ((v = get(set, p, "fulfilled_by")) != NULL) {
		if (strcasecmp(v, "marketplace") == 0)
			p->fulfilled_by = PROFILE_MARKETPLACE;
		else if (strcasecmp(v, "shop") != 0)
			bad_value(p, "fulfilled_by", v, "is not shop or "
			    "marketplace");
	}
	if ((v = get(set, p, "tz")) != NULL)
		p->tz = xstrdup(v);
	if ((v = get(set, p, "allow")) != NULL)
		parse_allow(p, v);
	if ((v = get(set, p, "option_alias")) != NULL)
		parse_aliases(p, v);
	return p;
}

static void
free_profile(struct profile *p)
{
	size_t i, k;

	for (i = 0; i < p->nallow; i++)
		free(p->allow[i]);
	for (i = 0; i < p->naliases; i++) {
		for (k = 0; k < p->aliases[i].nalts; k++)
			free(p->aliases[i].alts[k]);
		free(p->aliases[i].alts);
		free(p->aliases[i].name);
	}
	free(p->allow);
	free(p->aliases);
	free((char *)p->source);
	free((char *)p->ship_method);
	free((char *)p->carrier);
	free((char *)p->tz);
	free(p);
}

static void
load_named(void *arg, const char *name)
{
	profile_find(arg, name);
}

struct profile_set *
profile_load(const struct conf *conf)
{
	struct profile_set *set;
	char err[128];
	size_t i;

	set = xcalloc(1, sizeof(*set));
	if (pthread_mutex_init(&set->lock, NULL) != 0)
		errx(EX_OSERR, "cannot make a lock");
	if (conf == NULL) {
		if ((set->own = conf_parse("<none>", "", 0, err,
		    sizeof(err))) == NULL)
			errx(EX_SOFTWARE, "%s", err);
		conf = set->own;
	}
	set->conf = conf;
	profile_find(set, "");
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		profile_find(set, builtins[i].source);
	conf_names(conf, "source", load_named, set);
	return set;
}

void
profile_free(struct profile_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		free_profile(set->v[i]);
	free(set->v);
	conf_free(set->own);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

const struct profile *
profile_find(struct profile_set *set, const char *source)
{
	const struct profile *p;
	size_t i;

	if (source == NULL)
		source = "";
	/* The set grows when a source is first seen, whichever thread
	 * sees it; a profile, once made, stays where it is. */
	pthread_mutex_lock(&set->lock);
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->source, source) == 0) {
			p = set->v[i];
			pthread_mutex_unlock(&set->lock);
			return p;
		}
	set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
	set->v[set->n] = make_profile(set, source);
	p = set->v[set->n++];
	pthread_mutex_unlock(&set->lock);
	return p;
}

const struct profile *
profile_of(struct profile_set *set, const json_t *order)
{
	const json_t *source = json_object_get(order, "source");

	if (!json_is_string(source) ||
	    strlen(json_string_value(source)) != json_string_length(source))
		return profile_find(set, "");
	return profile_find(set, json_string_value(source));
}

/* Whether text[0..len-1] is one of list: equal without regard to case,
 * or (prefix) the name followed by '_' and more. */
static int
listed(const char *text, size_t len, const char *const *list, int prefix)
{
	size_t n;

	for (; list != NULL && *list != NULL; list++) {
		n = strlen(*list);
		if (len == n && strncasecmp(text, *list, n) == 0)
			return 1;
		if (prefix && len > n + 1 && strncasecmp(text, *list, n) == 0 &&
		    text[n] == '_')
			return 1;
	}
	return 0;
}

int
profile_collects(const struct profile *p, const json_t *order)
{
	const json_t *payment = json_object_get(order, "payment");
	const char *text, *s, *end;
	size_t len;
	int own = 0;

	if ((text = json_string_value(json_object_get(payment,
	    "gateway"))) == NULL)
		text = json_string_value(json_object_get(payment, "provider"));
	for (s = text; s != NULL && *s != '\0';
	    s = *end != '\0' ? end + 1 : end) {
		end = s + strcspn(s, "+,");
		len = end - s;
		while (len > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (listed(s, len, by_hand, 0))
			return 0;
		if (listed(s, len, p->gateways, 1))
			own = 1;
	}
	switch (p->collects_payment) {
	case PROFILE_COLLECTS_YES:
		return 1;
	case PROFILE_COLLECTS_GATEWAY:
		return own;
	default:
		return 0;
	}
}

int
profile_fulfilled_by(const struct profile *p, const json_t *where)
{
	const char *v;

	v = json_string_value(json_object_get(where, "fulfilled_by"));
	if (v != NULL && strcasecmp(v, "marketplace") == 0)
		return PROFILE_MARKETPLACE;
	if (v != NULL && strcasecmp(v, "shop") == 0)
		return PROFILE_SHOP;
	return p->fulfilled_by;
}

int
profile_allows(const struct profile *p, const char *code)
{
	size_t i;

	for (i = 0; i < p->nallow; i++)
		if (strcmp(p->allow[i], code) == 0)
			return 1;
	return 0;
}

char *
profile_option(const struct profile *p, const char *name)
{
	char *key;
	size_t i, k;

	key = normalize(name);
	for (i = 0; p != NULL && i < p->naliases; i++)
		for (k = 0; k < p->aliases[i].nalts; k++)
			if (strcmp(p->aliases[i].alts[k], key) == 0) {
				free(key);
				return xstrdup(p->aliases[i].name);
			}
	return key;
}
