/* conf.h: the configuration every program reads, orderkit.conf(5). */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>
#include <stdint.h>

/*
 * The file is git-config's INI subset: "[section]" or "[section "name"]",
 * "key = value", "#" and ";" comments, double quotes around values with
 * spaces or comment characters.  Section and key names are matched without
 * regard to case, the quoted name exactly.  The environment wins over the
 * file: ORDERKIT_<SECTION>_<NAME>_<KEY>, upper-cased, every other character
 * as "_" ([carrier "cdek"] client_secret is ORDERKIT_CARRIER_CDEK_CLIENT_SECRET).
 */
struct conf;

/* Load the configuration named by path (--config) when not NULL, else by
 * $ORDERKIT_CONFIG when set and not empty, else
 * $XDG_CONFIG_HOME/orderkit/orderkit.conf, else
 * ~/.config/orderkit/orderkit.conf.  Only the default file may be missing
 * (the keys then come from the environment).  Exits 78 (EX_CONFIG) with a
 * message naming the file, and the line for a syntax error, when it cannot
 * be read or parsed, or when it holds a secret (a key named *key, *secret,
 * *token, password or webhook_url) and can be read by group or others.
 * Never NULL. */
struct conf	*conf_load(const char *path);

/* Parse text[0..len-1] as a file named name (for messages; no permission
 * check).  NULL on a syntax error, with "NAME:LINE: what" in err. */
struct conf	*conf_parse(const char *name, const char *text, size_t len,
		    char *err, size_t errlen);

void		 conf_free(struct conf *);

/* The file read, or NULL when there was none. */
const char	*conf_path(const struct conf *);

/* The value of key in [section] (name NULL) or [section "name"]: the
 * environment's when set, else the last one in the file, else NULL.  Valid
 * until conf_free(). */
const char	*conf_get(const struct conf *, const char *section,
		    const char *name, const char *key);

/* conf_get(), but a missing or empty value exits 78 with a message naming
 * the key, the file and the environment variable that could set it. */
const char	*conf_need(const struct conf *, const char *section,
		    const char *name, const char *key);

/* A duration written in seconds, with up to three decimals ("30", "0.25"),
 * as milliseconds: key in [section "name"], else the same key in
 * [fallback] (NULL: none), else def.  A value that is not such a number,
 * or is above max_ms, exits 78 naming the key. */
int64_t		 conf_millis(const struct conf *, const char *section,
		    const char *name, const char *fallback, const char *key,
		    int64_t def, int64_t max_ms);

/* A whole number within [min, max], looked up as conf_millis() does. */
long		 conf_long(const struct conf *, const char *section,
		    const char *name, const char *fallback, const char *key,
		    long def, long min, long max);

/* A yes or no: "yes", "true", "on", "1" (a key alone on its line is
 * "true") or "no", "false", "off", "0", without regard to case; def when
 * the key is not set.  Another value exits 78 naming the key. */
int		 conf_bool(const struct conf *, const char *section,
		    const char *name, const char *key, int def);

/* Call fn with the name of each [section "name"] in the file, once each,
 * in the order they first appear.  (Names only the environment gives are
 * not listed.) */
void		 conf_names(const struct conf *, const char *section,
		    void (*fn)(void *arg, const char *name), void *arg);

/* Write how key is named in messages, [section "name"] key, into buf. */
char		*conf_keyname(const char *section, const char *name,
		    const char *key, char *buf, size_t len);

/* Write the environment variable for key into buf: ORDERKIT_... */
char		*conf_envname(const char *section, const char *name,
		    const char *key, char *buf, size_t len);

#endif
