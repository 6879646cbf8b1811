/* notify.h: messages to customers and staff: events, templates and the
 * channels that carry them (lib/notify/). */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "outbox.h"

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

/* The start of an HTTP channel's send, the same for each: NULL when the
 * channel failed before (m is then ended, to be tried again), else a POST
 * of body (len bytes of type, copied) to url on the service of [section],
 * made on first use and kept in c->state; r->arg is m, r->arg2 c, and done
 * is called with the answer.  The caller adds its headers and sends it. */
struct http_request *notify_http_post(struct notify_channel *,
	    struct notify_msg *m, const char *section, const char *url,
	    const char *type, const char *body, size_t len,
	    void (*done)(struct http_request *));

/* For render: the compact text of body (a new value, taken; NULL: out of
 * memory, exits 71) as a new string, its length in *len. */
char	*notify_json_body(json_t *body, size_t *len);

/* HMAC-SHA256 of data under key as lower-case hex (65 bytes with NUL). */
void	 notify_hmac_hex(const char *key, const void *data, size_t len,
	    char out[65]);

/* SHA-256 of s as lower-case hex. */
void	 notify_sha256_hex(const char *s, char out[65]);

/* The recipient as shown in output: "a***@example.com", "+7916***4567". */
char	*notify_mask(const char *channel, const char *recipient);

/* --- the send window (lib/notify/plan.c, lib/notify/send.c) -------------- */

/*
 * notify-send's engine: the records of a window (up to NOTIFY_WINDOW of
 * them) are planned (their event, language, channels and recipients, each
 * message a job rendered from its templates), sent together (claimed in
 * the outbox, handed to the channels, settled), then given a second pass
 * (an SMS refused falls back to email, a message given up or in doubt is
 * told to the staff).  The program reads the records into lines[] and
 * writes them out with the jobs' outcomes; notify_window_clear() ends the
 * window.
 */
#define NOTIFY_WINDOW		200	/* records whose messages go together */
#define NOTIFY_NCHANNELS	5

/* What became of a message. */
enum notify_fate {
	NOTIFY_FATE_SKIPPED,	/* not sent, and not to be: why says why */
	NOTIFY_FATE_QUEUED,	/* for a later run */
	NOTIFY_FATE_SEND,	/* to claim and send */
	NOTIFY_FATE_BUSY,	/* another process has it */
	NOTIFY_FATE_SENT,
	NOTIFY_FATE_FAILED
};

/* A record of the window. */
struct notify_line {
	json_t		*record;	/* owned */
	json_t		*errors;	/* a reject's, or NULL; owned */
	json_t		*notes;		/* its notifications, owned; NULL:
					 * nothing to say */
	const char	*lang;		/* static */
	int		 rendered, unrendered;
};

/* A message of a line; the window owns it, it owns its strings. */
struct notify_job {
	struct notify_line *line;	/* borrowed from the window */
	char		*key, *event, *channel, *recipient, *masked;
	const char	*lang;		/* static */
	char		 delivery[65];
	char		*subject, *text, *html;
	json_t		*problem;	/* staff events about a message */
	struct notify_channel *ch;	/* the window's */
	struct notify_msg m;
	enum notify_fate fate;
	char		*why;		/* skipped, queued, failed */
	char		*message_id;
	char		*file;		/* --dry-run's */
	int64_t		 retry_at;
	int64_t		 attempt;
	int		 second;	/* of pass 2: a fallback or staff note */
	int		 settle;	/* 0 none, 1 done, 2 retry, 3 give up,
					 * 4 hold */
	struct outbox_item item;
};

/* The caller sets the settings and borrowed pointers (they outlive the
 * window); the window owns its lines' records, its jobs and channels. */
struct notify_window {
	/* Settings, borrowed. */
	const struct conf	*conf;
	struct store		*st;		/* NULL under dry_run */
	struct http		*http;
	struct notify_templates	 tmpl;
	const char		*event_arg, *channel_arg, *lang_arg;
	const char		*dry_run;	/* a directory, or NULL */
	const char		*staff_lang;	/* --lang, else [shop] lang */
	int			 staff_arg;
	int			 quiet_from, quiet_to;	/* minutes; -1: none */
	int64_t			 now;
	int			 offset;
	char			 now_text[40];
	long			 retries;
	struct outbox		 ob;		/* on st */
	/* The window. */
	struct notify_channel	*channels[NOTIFY_NCHANNELS];
	struct notify_line	 lines[NOTIFY_WINDOW];
	size_t			 nlines;
	struct notify_job	**jobs;
	size_t			 njobs, capjobs;
};

/* Plan the messages of line l (jobs appended to the window's): none when
 * there is no event; l->notes an array once there is one. */
void	 notify_plan(struct notify_window *, struct notify_line *l);

/* Claim, send and record the jobs from first on (under dry_run write
 * them to its directory instead); wait for those another process holds. */
void	 notify_send_jobs(struct notify_window *, size_t first);

/* Pass 2 over the jobs before upto: fallbacks and staff alerts, sent. */
void	 notify_second_pass(struct notify_window *, size_t upto);

/* Free the jobs and lines; the window is empty again. */
void	 notify_window_clear(struct notify_window *);

/* Free the channels and the job array (after notify_window_clear()). */
void	 notify_window_free(struct notify_window *);

#endif
