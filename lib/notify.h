/* notify.h: messages to customers and staff: events, templates and the
 * channels that carry them (lib/notify/). */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct conf;
struct http;

/* --- events (lib/notify/event.c) ----------------------------------------- */

/* Every event a template may be written for, customer's first; staff's
 * have notify_event_staff() 1.  NULL-terminated. */
extern const char *const notify_events[];

/* Whether name is an event (1), and a staff one (*staff). */
int	 notify_event_known(const char *name, int *staff);

/* The event --event auto picks for rec: the return and refund state
 * first, then tracking.status, then status; a {"type":"problem"} record's
 * code, a reject's first error code (one that is no staff event is
 * "rejected").  NULL: nothing to say.  *staff says whose it is. */
const char *notify_event_auto(const json_t *rec, int *staff);

/* --- templates (lib/notify/template.c) ----------------------------------- */

enum notify_escape {
	NOTIFY_ESC_NONE,	/* SMS, the text part of an email */
	NOTIFY_ESC_HTML,	/* HTML: & < > " ' */
	NOTIFY_ESC_TELEGRAM,	/* Telegram's HTML: & < > */
	NOTIFY_ESC_SLACK	/* Slack's mrkdwn: & < > */
};

/* Where templates are looked for, first first: a file found in an earlier
 * directory overrides the later ones' of the same name. */
struct notify_templates {
	const char	*dirs[4];	/* borrowed */
	size_t		 n;
};

/* The text of the template file NAME (e.g. "shipped.email.ru"): a new
 * string, or NULL when no directory has it.  A file that exists but
 * cannot be read exits 66 naming it. */
char	*notify_template_read(const struct notify_templates *,
	    const char *name);

/* What a template may name besides the record's paths. */
struct notify_fields {
	const json_t		*rec;		/* the order (or problem) */
	const struct conf	*conf;
	const char		*lang;		/* "en", "ru", "uk" */
	const json_t		*problem;	/* {code, message, event,
						 * channel, recipient} or
						 * NULL */
};

/*
 * Render tmpl with fields: each {{ NAME }} or {{ NAME | money }} replaced
 * by the field's value escaped for esc.  A new string; or NULL with *bad a
 * new string naming the field that is missing (absent, null or empty) or
 * the fault of the template ("unclosed {{").  *bad_template says which.
 */
char	*notify_render(const char *tmpl, const struct notify_fields *,
	    enum notify_escape esc, char **bad, int *bad_template);

/* The value of field NAME (a computed one, else a record path such as
 * "order.totals.total", "items[0].sku"): a new string, or NULL. */
char	*notify_field(const struct notify_fields *, const char *name);

/* amount (minor units of currency) for people of lang: "2,899.00 USD",
 * "2 899,00 ₽" (no-break spaces), into buf of len (64 suffices). */
char	*notify_money(int64_t amount, const char *currency, const char *lang,
	    char *buf, size_t len);

/* s escaped for esc: a new string. */
char	*notify_escape(const char *s, enum notify_escape esc);

/* --- messages ------------------------------------------------------------ */

enum notify_outcome {
	NOTIFY_PENDING,
	NOTIFY_SENT,		/* id is the service's message id */
	NOTIFY_RETRY,		/* not sent: try again on a later run */
	NOTIFY_REFUSED		/* the service refused it: never again */
};

/* One message: what the channel sends and, after, what became of it. */
struct notify_msg {
	/* In: all borrowed, living until done. */
	const char	*key;		/* the outbox key */
	const char	*delivery;	/* hex SHA-256 of key */
	const char	*event;
	const char	*recipient;	/* address, phone, chat id */
	const char	*recipient_name; /* NULL: none */
	const char	*subject;	/* email */
	const char	*text;
	const char	*html;		/* email's HTML twin, NULL: none */
	const json_t	*order;		/* the webhook's */
	int64_t		 now;		/* --now: the email's Date */
	int		 offset;	/* its offset, minutes east */
	void		(*done)(struct notify_msg *);
	void		*owner;
	/* Out. */
	enum notify_outcome outcome;
	char		*id;		/* the service's message id */
	char		*error;		/* why not sent */
	char		*refusal;	/* the service's code of a refusal */
};

/* Free what a channel put into msg (id, error, refusal). */
void	 notify_msg_release(struct notify_msg *);

/* --- channels (lib/notify/NAME.c) ----------------------------------------- */

struct notify_channel;

struct notify_channel_ops {
	const char	*name;		/* "email", "sms", ... */
	enum notify_escape esc;		/* of its text */
	/* Check the configuration the channel needs (exit 78 naming a
	 * missing key) and set up; NULL: nothing to set up. */
	void		(*open)(struct notify_channel *);
	/* Start sending m: m->done is called once, from here or from
	 * http_run() (HTTP channels). */
	void		(*send)(struct notify_channel *, struct notify_msg *m);
	/* The message's bytes as the service gets them, for --dry-run: a
	 * new string, its length in *len. */
	char		*(*render)(struct notify_channel *, struct notify_msg *m,
			    size_t *len);
	void		(*close)(struct notify_channel *);
};

struct notify_channel {
	const struct notify_channel_ops *ops;
	const struct conf	*conf;
	struct http		*http;
	void			*state;		/* the adapter's */
	int			 status;	/* 0, or the exit status its
						 * failure calls for */
	char			 error[512];	/* and why */
};

/* The adapter of a channel name, or NULL. */
const struct notify_channel_ops *notify_channel_ops(const char *name);

/* A channel on http (HTTP channels queue their requests there). */
struct notify_channel *notify_channel_new(const struct notify_channel_ops *,
	    const struct conf *, struct http *);
void	 notify_channel_free(struct notify_channel *);

/* The channel failed for the rest of the run (a server down, TLS that
 * does not verify, credentials refused): remember the first such failure
 * as the channel's status and error. */
void	 notify_channel_fail(struct notify_channel *, int status,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The message ended as outcome (error's printf format may be NULL):
 * sets it and calls m->done. */
void	 notify_msg_end(struct notify_msg *, enum notify_outcome,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* For HTTP channels: a service for [section] (its limits, as http.h reads
 * them) on c->http, and the end of a message's request r: a 2xx answer
 * is sent (the id at id_path of a JSON answer, else the delivery id), a
 * 401 or 403 fails the channel (78), another 4xx is a refusal (its code at
 * code_path), what is down or in doubt is to be tried again later. */
struct http_service *notify_http_service(struct notify_channel *,
	    const char *section);
struct http_request;
void	 notify_http_end(struct notify_channel *, struct http_request *r,
	    struct notify_msg *m, const char *id_path, const char *code_path);

/* HMAC-SHA256 of data under key as lower-case hex (65 bytes with NUL). */
void	 notify_hmac_hex(const char *key, const void *data, size_t len,
	    char out[65]);

/* SHA-256 of s as lower-case hex. */
void	 notify_sha256_hex(const char *s, char out[65]);

/* The recipient as shown in output: "a***@example.com", "+7916***4567". */
char	*notify_mask(const char *channel, const char *recipient);

#endif
