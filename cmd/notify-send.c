/* notify-send: tell customers and staff what happened to an order, once,
 * by the channel they use, in their language. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "conf.h"
#include "fileio.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "msg.h"
#include "notify.h"
#include "outbox.h"
#include "reject.h"
#include "rfc3339.h"
#include "store.h"
#include "xalloc.h"

#ifndef ORDERKIT_DATADIR
#define ORDERKIT_DATADIR "/usr/local/share/orderkit"
#endif

static const char usage_text[] =
    "usage: notify-send [--db PATH|URL] [--config FILE] [--templates DIR]\n"
    "                   [--event auto|NAME] [--channel LIST] [--staff]\n"
    "                   [--lang en|ru|uk] [--quiet HH:MM-HH:MM] [--now TIME]\n"
    "                   [--dry-run DIR] [--rejects FILE] [--stats] [--strict]\n"
    "                   [FILE ...]\n";

enum { OPT_CHANNEL = 0x200, OPT_CONFIG, OPT_DB, OPT_DRY_RUN, OPT_EVENT,
    OPT_LANG, OPT_NOW, OPT_QUIET, OPT_STAFF, OPT_TEMPLATES };

static const struct option longopts[] = {
	{ "channel",	required_argument, NULL, OPT_CHANNEL },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	{ "dry-run",	required_argument, NULL, OPT_DRY_RUN },
	{ "event",	required_argument, NULL, OPT_EVENT },
	CLI_OPT_HELP,
	{ "lang",	required_argument, NULL, OPT_LANG },
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "quiet",	required_argument, NULL, OPT_QUIET },
	CLI_OPT_REJECTS,
	{ "staff",	no_argument,	   NULL, OPT_STAFF },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "templates",	required_argument, NULL, OPT_TEMPLATES },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

#define WINDOW		200	/* records whose messages go together */
#define KIND		"notify-send"
#define NCHANNELS	5

/* What became of a message. */
enum fate {
	M_SKIPPED,	/* not sent, and not to be: why says why */
	M_QUEUED,	/* for a later run */
	M_SEND,		/* to claim and send */
	M_BUSY,		/* another process has it */
	M_SENT,
	M_FAILED
};

struct line {
	json_t		*record;	/* owned */
	json_t		*errors;	/* a reject's, or NULL */
	json_t		*notes;		/* its notifications, owned */
	const char	*lang;
	int		 rendered, unrendered;
};

struct job {
	struct line	*line;
	char		*key, *event, *channel, *recipient, *masked;
	const char	*lang;
	char		 delivery[65];
	char		*subject, *text, *html;
	json_t		*problem;	/* staff events about a message */
	struct notify_channel *ch;
	struct notify_msg m;
	enum fate	 fate;
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

struct run {
	struct cli		 cli;
	struct conf		*conf;
	struct store		*st;
	struct outbox		 ob;
	struct http		*http;
	struct reject_stream	 rejects;
	struct notify_templates	 tmpl;
	struct notify_channel	*channels[NCHANNELS];
	const char		*event_arg, *channel_arg, *lang_arg;
	const char		*dry_run;
	const char		*staff_lang;	/* --lang, else [shop] lang */
	int			 staff_arg;
	int			 quiet_from, quiet_to;	/* minutes; -1: none */
	int64_t			 now;
	int			 offset;
	char			 now_text[40];
	long			 retries;
	struct line		 lines[WINDOW];
	size_t			 nlines;
	struct job		**jobs;
	size_t			 njobs, capjobs;
	int			 status, out_failed;
	unsigned long		 nin, nsent, nqueued, nfailed, nskipped;
	unsigned long		 nrejects;
};

static char *
xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *
str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* A string or integer value as text: a new string, or NULL. */
static char *
id_text(const json_t *v)
{
	if (json_is_string(v) && json_string_length(v) > 0)
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return NULL;
}

/* The order a record is about: its id, else a problem's order_id. */
static char *
order_id(const json_t *rec)
{
	char *id = id_text(json_object_get(rec, "id"));

	return id != NULL ? id : id_text(json_object_get(rec, "order_id"));
}

static void
set_why(struct job *j, enum fate fate, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_why(struct job *j, enum fate fate, const char *fmt, ...)
{
	va_list ap;
	int n;

	j->fate = fate;
	free(j->why);
	j->why = NULL;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	j->why = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(j->why, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

/* --- planning ------------------------------------------------------------- */

static struct notify_channel *
channel(struct run *r, const struct notify_channel_ops *ops)
{
	size_t i;

	for (i = 0; i < NCHANNELS; i++) {
		if (r->channels[i] == NULL) {
			r->channels[i] = notify_channel_new(ops, r->conf,
			    r->http);
			return r->channels[i];
		}
		if (r->channels[i]->ops == ops)
			return r->channels[i];
	}
	errx(EX_SOFTWARE, "too many channels");
}

static struct job *
new_job(struct run *r, struct line *l, const char *event, const char *ch,
    const char *recipient)
{
	struct job *j;
	char *id;

	if (r->njobs == r->capjobs) {
		r->capjobs = r->capjobs ? r->capjobs * 2 : 256;
		r->jobs = xrealloc(r->jobs, r->capjobs * sizeof(*r->jobs));
	}
	j = r->jobs[r->njobs++] = xcalloc(1, sizeof(*j));
	j->line = l;
	j->event = xstrdup(event);
	j->channel = xstrdup(ch);
	j->recipient = recipient != NULL ? xstrdup(recipient) : NULL;
	j->masked = recipient != NULL ? notify_mask(ch, recipient) : NULL;
	id = order_id(l->record);
	if (id != NULL && recipient != NULL) {
		j->key = xprintf("%s:%s:%s:%s", id, event, ch, recipient);
		notify_sha256_hex(j->key, j->delivery);
	}
	free(id);
	j->fate = M_SEND;
	j->lang = l->lang;
	return j;
}

/* The template NAME.LANG, else NAME.en: a new string or NULL. */
static char *
template(struct run *r, const char *name, const char *lang)
{
	char file[256];
	char *t;

	snprintf(file, sizeof(file), "%s.%s", name, lang);
	if ((t = notify_template_read(&r->tmpl, file)) != NULL ||
	    strcmp(lang, "en") == 0)
		return t;
	snprintf(file, sizeof(file), "%s.en", name);
	return notify_template_read(&r->tmpl, file);
}

/* Render one of the job's parts into *out: 0, or -1 after setting why. */
static int
render_part(struct run *r, struct job *j, const char *tmpl,
    enum notify_escape esc, char **out)
{
	struct notify_fields f;
	char *bad;
	int bad_template;

	f.rec = j->line->record;
	f.conf = r->conf;
	f.lang = j->lang;
	f.problem = j->problem;
	if ((*out = notify_render(tmpl, &f, esc, &bad, &bad_template)) !=
	    NULL)
		return 0;
	if (bad_template)
		set_why(j, M_SKIPPED, "bad_template: %s", bad);
	else
		set_why(j, M_SKIPPED, "missing_field: %s", bad);
	if (!j->second && j->line->errors == NULL) {
		if ((j->line->errors = json_array()) == NULL)
			xnomem();
	}
	if (!j->second)
		reject_addf(j->line->errors, bad_template ? "bad_template" :
		    "missing_field", bad_template ? NULL : bad, "the %s "
		    "template of %s cannot be filled: %s %s", j->channel,
		    j->event, bad_template ? "it has" : "no", bad);
	free(bad);
	return -1;
}

/* Fill the job's subject, text and HTML from its templates. */
static void
render(struct run *r, struct job *j)
{
	char name[128], *t, *nl, *body;
	const char *lang = j->lang;

	if (strcmp(j->channel, "webhook") == 0)
		return;
	snprintf(name, sizeof(name), "%s.%s", j->event, j->channel);
	if ((t = template(r, name, lang)) == NULL) {
		set_why(j, M_SKIPPED, "no_template: %s.%s", name, lang);
		return;
	}
	body = t;
	if (strcmp(j->channel, "email") == 0) {
		if (strncmp(t, "Subject:", 8) != 0 || (nl = strchr(t, '\n')) ==
		    NULL) {
			set_why(j, M_SKIPPED, "bad_template: %s.%s lacks its "
			    "Subject: line", name, lang);
			free(t);
			return;
		}
		*nl = '\0';
		body = nl + 1;
		if (*body == '\n')
			body++;
		else if (body[0] == '\r' && body[1] == '\n')
			body += 2;
		if (render_part(r, j, t + 8 + (t[8] == ' '), NOTIFY_ESC_NONE,
		    &j->subject) == -1) {
			free(t);
			return;
		}
	}
	if (render_part(r, j, body, j->ch->ops->esc, &j->text) == -1) {
		free(t);
		return;
	}
	free(t);
	if (strcmp(j->channel, "email") == 0) {
		snprintf(name, sizeof(name), "%s.email.%s.html", j->event,
		    lang);
		if ((t = notify_template_read(&r->tmpl, name)) != NULL) {
			render_part(r, j, t, NOTIFY_ESC_HTML, &j->html);
			free(t);
		}
	}
}

/* Whose address a channel uses. */
static char *
recipient(struct run *r, const struct line *l, const char *ch, int staff)
{
	const json_t *cust = json_object_get(l->record, "customer");
	const char *v;

	if (strcmp(ch, "webhook") == 0)
		return xstrdup("crm");
	if (staff) {
		if (strcmp(ch, "slack") == 0)
			return xstrdup("staff");
		v = strcmp(ch, "email") == 0 ? conf_get(r->conf, "notify",
		    NULL, "staff_email") : strcmp(ch, "telegram") == 0 ?
		    conf_get(r->conf, "telegram", NULL, "staff_chat_id") :
		    strcmp(ch, "sms") == 0 ? conf_get(r->conf, "notify", NULL,
		    "staff_phone") : NULL;
		return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	}
	if (strcmp(ch, "email") == 0)
		return id_text(json_object_get(cust, "email"));
	if (strcmp(ch, "sms") == 0)
		return id_text(json_object_get(cust, "phone"));
	if (strcmp(ch, "telegram") == 0)
		return id_text(json_object_get(cust, "telegram_chat_id"));
	return NULL;
}

/* Minutes since local midnight of now in zone tz ("+03:00", "Z", or a
 * name of the tz database, read through TZ for that one call). */
static int
local_minutes(int64_t now, const char *tz, int fallback_offset)
{
	int64_t e;
	int offset = fallback_offset;
	char probe[64], *old;
	struct tm tm;
	time_t t = (time_t)now;

	if (tz != NULL && (*tz == '+' || *tz == '-' || strcmp(tz, "Z") == 0)) {
		snprintf(probe, sizeof(probe), "2000-01-01T00:00:00%s", tz);
		if (rfc3339_parse(probe, &e, &offset) == -1)
			offset = fallback_offset;
	} else if (tz != NULL && *tz != '\0') {
		old = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
		setenv("TZ", tz, 1);
		tzset();
		if (localtime_r(&t, &tm) != NULL)
			offset = (int)(tm.tm_gmtoff / 60);
		if (old != NULL)
			setenv("TZ", old, 1);
		else
			unsetenv("TZ");
		tzset();
		free(old);
	}
	e = now + (int64_t)offset * 60;
	return (int)(((e % 86400) + 86400) % 86400 / 60);
}

static int
quiet_now(struct run *r, const struct line *l)
{
	const char *tz = str(json_object_get(l->record, "customer"), "tz");
	int m;

	if (r->quiet_from < 0)
		return 0;
	if (tz == NULL)
		tz = conf_get(r->conf, "shop", NULL, "tz");
	m = local_minutes(r->now, tz, r->offset);
	return r->quiet_from <= r->quiet_to ? m >= r->quiet_from &&
	    m < r->quiet_to : m >= r->quiet_from || m < r->quiet_to;
}

/* What a staff message about a record says: {code, message}. */
static json_t *
problem_of(const json_t *rec, const char *event)
{
	const json_t *e = json_array_get(json_object_get(rec, "errors"), 0);
	const char *code = str(e, "code"), *message = str(e, "message");
	const char *status = str(rec, "status");
	json_t *p;
	char *m = NULL;

	if (code == NULL)
		code = str(rec, "code");
	if (code == NULL)
		code = event;
	if (message == NULL)
		message = str(rec, "message");
	if (message == NULL) {
		m = str(rec, "tracking_number") != NULL ? xprintf("%s: parcel "
		    "%s, %s since %s", code, str(rec, "tracking_number"),
		    str(rec, "status") != NULL ? str(rec, "status") : "?",
		    str(rec, "since") != NULL ? str(rec, "since") : "?") :
		    xprintf("%s (status %s)", code, status != NULL ? status :
		    "none");
		message = m;
	}
	p = json_pack("{s:s,s:s}", "code", code, "message", message);
	free(m);
	if (p == NULL)
		xnomem();
	return p;
}

/* A message of the line: the job set up, rendered, ready to send. */
static struct job *
plan_one(struct run *r, struct line *l, const char *event, const char *ch,
    int staff)
{
	const struct notify_channel_ops *ops = notify_channel_ops(ch);
	char *to = recipient(r, l, ch, staff);
	struct job *j = new_job(r, l, event, ch, to);

	free(to);
	j->ch = channel(r, ops);
	if (staff)
		j->problem = problem_of(l->record, event);
	if (j->recipient == NULL) {
		set_why(j, M_SKIPPED, "no_recipient");
		return j;
	}
	if (j->key == NULL) {
		set_why(j, M_SKIPPED, "no_id");
		return j;
	}
	/* An address is never a way into the message's headers. */
	if (strpbrk(j->recipient, " \t\r\n<>\"(),;") != NULL) {
		set_why(j, M_SKIPPED, "bad_recipient");
		return j;
	}
	if (!staff && strcmp(ch, "slack") == 0) {
		set_why(j, M_SKIPPED, "slack_is_for_staff");
		return j;
	}
	render(r, j);
	if (j->fate == M_SKIPPED)
		return j;
	if (strcmp(ch, "sms") == 0 && quiet_now(r, l))
		set_why(j, M_QUEUED, "quiet_hours");
	return j;
}

static void
plan(struct run *r, struct line *l)
{
	const json_t *cust = json_object_get(l->record, "customer");
	const char *event, *list, *v;
	enum msg_lang ml;
	char *copy, *p, *tok;
	size_t first = r->njobs, i;
	int staff = 0, s;

	if (r->event_arg != NULL && strcmp(r->event_arg, "auto") != 0) {
		event = r->event_arg;
		notify_event_known(event, &staff);
	} else
		event = notify_event_auto(l->record, &staff);
	if (r->staff_arg)
		staff = 1;
	if (event == NULL)
		return;
	if ((l->notes = json_array()) == NULL)
		xnomem();
	v = staff ? NULL : str(cust, "lang");
	if (v == NULL || msg_lang_parse(v, &ml) == -1)
		v = r->lang_arg;
	if (v == NULL)
		v = conf_get(r->conf, "shop", NULL, "lang");
	l->lang = v == NULL || msg_lang_parse(v, &ml) == -1 ? "en" :
	    ml == MSG_RU ? "ru" : ml == MSG_UK ? "uk" : "en";
	list = r->channel_arg;
	if (list == NULL && !staff)
		list = str(cust, "notify");
	if (list == NULL)
		list = conf_get(r->conf, "notify", NULL, staff ?
		    "staff_channels" : "channels");
	if (list == NULL)
		list = staff ? "slack" : "email";
	copy = xstrdup(list);
	for (p = copy; (tok = strsep(&p, ",")) != NULL; ) {
		while (*tok == ' ')
			tok++;
		tok[strcspn(tok, " ")] = '\0';
		if (*tok == '\0')
			continue;
		if (notify_channel_ops(tok) == NULL) {
			struct job *j = new_job(r, l, event, tok, NULL);

			set_why(j, M_SKIPPED, "unknown_channel");
			continue;
		}
		plan_one(r, l, event, tok, staff);

	}
	free(copy);
	for (i = first; i < r->njobs; i++) {
		s = r->jobs[i]->why != NULL && (strncmp(r->jobs[i]->why,
		    "missing_field", 13) == 0 || strncmp(r->jobs[i]->why,
		    "bad_template", 12) == 0);
		if (s)
			l->unrendered++;
		else
			l->rendered++;
	}
}

/* --- sending -------------------------------------------------------------- */

static void
sent_cb(struct notify_msg *m)
{
	(void)m;
}

static void
start(struct run *r, struct job *j)
{
	struct notify_msg *m = &j->m;

	memset(m, 0, sizeof(*m));
	m->key = j->key;
	m->delivery = j->delivery;
	m->event = j->event;
	m->recipient = j->recipient;
	m->recipient_name = j->second && j->problem != NULL ? NULL :
	    str(json_object_get(j->line->record, "customer"), "name");
	if (strcmp(j->channel, "email") == 0 && j->problem != NULL)
		m->recipient_name = NULL;
	m->subject = j->subject;
	m->text = j->text;
	m->html = j->html;
	m->order = j->line->record;
	m->now = r->now;
	m->offset = r->offset;
	m->done = sent_cb;
	m->owner = j;
	j->ch->ops->send(j->ch, m);
}

/* Seconds until the next try after the attempt-th failed (1, 2, ...). */
static int64_t
backoff(int64_t attempt)
{
	static const int64_t wait[] = { 300, 1800, 7200, 21600, 86400 };

	return attempt <= 5 ? wait[attempt - 1] : 86400;
}

/* What the send came to, and how the outbox is to take it. */
static void
outcome(struct run *r, struct job *j)
{
	char t[40];

	switch (j->m.outcome) {
	case NOTIFY_SENT:
		j->fate = M_SENT;
		j->message_id = xstrdup(j->m.id != NULL ? j->m.id :
		    j->delivery);
		j->settle = 1;
		break;
	case NOTIFY_REFUSED:
		set_why(j, M_FAILED, "%s", j->m.error);
		j->settle = 3;
		break;
	case NOTIFY_RETRY:
	case NOTIFY_PENDING:
		if (j->attempt > r->retries) {
			set_why(j, M_FAILED, "gave up after %" PRId64
			    " tries: %s", j->attempt, j->m.error != NULL ?
			    j->m.error : "no answer");
			j->settle = 3;
			break;
		}
		j->retry_at = r->now + backoff(j->attempt);
		rfc3339_format(j->retry_at, r->offset, t, sizeof(t));
		set_why(j, M_QUEUED, "%s; tried again from %s",
		    j->m.error != NULL ? j->m.error : "no answer", t);
		j->settle = 2;
		break;
	}
}

/* A stored entry's state for the job. */
static void
take_stored(struct run *r, struct job *j, const struct outbox_entry *e)
{
	json_t *res = e->result != NULL ? jsonl_parse(e->result,
	    strlen(e->result), 0, NULL) : NULL;
	char t[40];

	(void)r;
	switch (e->state) {
	case OUTBOX_DONE:
		j->fate = M_SENT;
		j->message_id = id_text(json_object_get(res, "message_id"));
		break;
	case OUTBOX_FAILED:
		if (str(res, "refused") != NULL)	/* for second_pass() */
			j->m.outcome = NOTIFY_REFUSED;
		if (e->retry_at == INT64_MAX) {
			set_why(j, M_FAILED, "%s", str(res, "error") != NULL ?
			    str(res, "error") : "failed");
			break;
		}
		j->retry_at = e->retry_at;
		rfc3339_format(e->retry_at, r->offset, t, sizeof(t));
		set_why(j, M_QUEUED, "%s; tried again from %s",
		    str(res, "error") != NULL ? str(res, "error") : "failed", t);
		break;
	case OUTBOX_HELD:
		set_why(j, M_SKIPPED, "in_doubt: the outbox entry '%s' is "
		    "held for a person", j->key);
		break;
	case OUTBOX_PENDING:
		set_why(j, M_SKIPPED, "in_progress: another process holds "
		    "the outbox entry '%s'", j->key);
		break;
	}
	json_decref(res);
}

static void
claim(struct run *r, size_t from)
{
	struct outbox_item **items;
	struct job *j;
	char **texts;
	json_t *intent;
	size_t i, n = 0;

	items = xcalloc(r->njobs - from + 1, sizeof(*items));
	texts = xcalloc(r->njobs - from + 1, sizeof(*texts));
	for (i = from; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate != M_SEND)
			continue;
		intent = json_pack("{s:s,s:s,s:s}", "event", j->event,
		    "channel", j->channel, "recipient", j->masked);
		if (intent == NULL)
			xnomem();
		j->item.key = j->key;
		j->item.intent = texts[n] = jsonx_text(intent);
		json_decref(intent);
		items[n++] = &j->item;
	}
	if (n > 0)
		outbox_claim_all(&r->ob, KIND, items, n, (int64_t)time(NULL));
	for (i = 0; i < n; i++) {
		free(texts[i]);
		items[i]->intent = NULL;
	}
	free(texts);
	free(items);
	for (i = from; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate != M_SEND)
			continue;
		j->attempt = j->item.e.attempts;
		switch (j->item.claim) {
		case OUTBOX_CLAIMED:
			break;
		case OUTBOX_RECLAIMED:
			set_why(j, M_FAILED, "in_doubt: an earlier run may "
			    "have sent it and did not record it; the outbox "
			    "entry '%s' is held for a person", j->key);
			j->settle = 4;
			break;
		case OUTBOX_SETTLED:
		case OUTBOX_HOLD:
		case OUTBOX_WAITING:
			take_stored(r, j, &j->item.e);
			break;
		case OUTBOX_BUSY:
			j->fate = M_BUSY;
			break;
		}
	}
}

static void
record(struct run *r, size_t from)
{
	int64_t now = (int64_t)time(NULL);
	struct job *j;
	json_t *res;
	char *text;
	size_t i;
	int ok = 1;

	store_begin(r->st);
	for (i = from; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->settle == 0)
			continue;
		res = j->settle == 1 ? json_pack("{s:s,s:s}", "message_id",
		    j->message_id, "sent_at", r->now_text) : json_pack(
		    "{s:s,s:s?}", "error", j->why != NULL ? j->why : "failed",
		    "refused", j->m.outcome == NOTIFY_REFUSED ? (j->m.refusal !=
		    NULL ? j->m.refusal : "refused") : NULL);
		if (res == NULL)
			xnomem();
		text = jsonx_text(res);
		json_decref(res);
		switch (j->settle) {
		case 1:
			ok = outbox_done(&r->ob, KIND, j->key, j->attempt, text,
			    now);
			break;
		case 2:
			ok = outbox_retry(&r->ob, KIND, j->key, j->attempt,
			    text, j->retry_at, now);
			break;
		case 3:
			ok = outbox_retry(&r->ob, KIND, j->key, j->attempt,
			    text, INT64_MAX, now);
			break;
		case 4:
			ok = outbox_hold(&r->ob, KIND, j->key, j->attempt, text,
			    now);
			break;
		}
		free(text);
		if (!ok)
			warnx("outbox entry '%s' was taken over by another "
			    "process before this one settled it", j->key);
	}
	store_commit(r->st);
}

static void
wait_busy(struct run *r, size_t from)
{
	struct outbox_item **items;
	size_t i, n = 0;

	items = xcalloc(r->njobs - from + 1, sizeof(*items));
	for (i = from; i < r->njobs; i++)
		if (r->jobs[i]->fate == M_BUSY)
			items[n++] = &r->jobs[i]->item;
	if (n > 0)
		outbox_wait(&r->ob, KIND, items, n, (int64_t)time(NULL) +
		    conf_long(r->conf, "notify", NULL, "outbox", "wait", 60, 0,
		    86400));
	free(items);
	for (i = from; i < r->njobs; i++)
		if (r->jobs[i]->fate == M_BUSY)
			take_stored(r, r->jobs[i], &r->jobs[i]->item.e);
}

/* Write the job's message to the --dry-run directory. */
static void
dry_write(struct run *r, struct job *j)
{
	char path[4096], msg[4200], *data, *name, *p;
	const char *ext;
	struct notify_msg m;
	size_t len;
	FILE *fp;

	memset(&m, 0, sizeof(m));
	m.key = j->key;
	m.delivery = j->delivery;
	m.event = j->event;
	m.recipient = j->recipient;
	m.recipient_name = j->problem != NULL ? NULL :
	    str(json_object_get(j->line->record, "customer"), "name");
	m.subject = j->subject;
	m.text = j->text;
	m.html = j->html;
	m.order = j->line->record;
	m.now = r->now;
	m.offset = r->offset;
	if (strcmp(j->channel, "email") == 0) {
		data = j->ch->ops->render(j->ch, &m, &len);
		ext = "eml";
	} else if (strcmp(j->channel, "webhook") == 0) {
		data = j->ch->ops->render(j->ch, &m, &len);
		ext = "json";
	} else {
		data = xstrdup(j->text);
		len = strlen(data);
		ext = "txt";
	}
	name = xstrdup(j->key);
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("@.+-_", *p) != NULL))
			*p = '_';
	snprintf(path, sizeof(path), "%s/%s.%s", r->dry_run, name, ext);
	free(name);
	if ((fp = fileio_write(path, 0, msg, sizeof(msg))) == NULL)
		errx(EX_CANTCREAT, "%s", msg);
	if (fwrite(data, 1, len, fp) != len || fclose(fp) == EOF)
		err(EX_IOERR, "cannot write '%s'", path);
	free(data);
	j->file = xstrdup(path);
	set_why(j, M_SKIPPED, "dry_run");
}

/* Claim, send, record the jobs from first on; wait for those another
 * process holds. */
static void
send_all(struct run *r, size_t first)
{
	struct job *j;
	size_t i;

	if (first == r->njobs)
		return;
	if (r->dry_run != NULL) {
		for (i = first; i < r->njobs; i++)
			if (r->jobs[i]->fate == M_SEND)
				dry_write(r, r->jobs[i]);
		return;
	}
	claim(r, first);
	for (i = first; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate == M_SEND && j->settle == 0)
			start(r, j);
	}
	http_run(r->http);
	for (i = first; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate == M_SEND && j->settle == 0)
			outcome(r, j);
	}
	record(r, first);
	wait_busy(r, first);
}

/* Pass 2: an SMS refused falls back to email; a message given up or in
 * doubt is told to the staff. */
static void
second_pass(struct run *r, size_t upto)
{
	struct job *j, *n;
	const char *list, *email;
	char *copy, *p, *tok, *event, *id;
	size_t i, k, first = r->njobs;
	int have;

	for (i = 0; i < upto; i++) {
		j = r->jobs[i];
		if (j->fate != M_FAILED || j->second)
			continue;
		if (strcmp(j->channel, "sms") == 0 && j->m.outcome ==
		    NOTIFY_REFUSED && (email = str(json_object_get(
		    j->line->record, "customer"), "email")) != NULL) {
			for (k = have = 0; k < r->njobs; k++)
				have |= r->jobs[k]->line == j->line &&
				    strcmp(r->jobs[k]->event, j->event) == 0 &&
				    strcmp(r->jobs[k]->channel, "email") == 0;
			if (!have) {
				n = plan_one(r, j->line, j->event, "email", 0);
				n->second = 1;
			}
			free(j->why);
			j->why = xprintf("%s; sent by email instead",
			    j->m.error != NULL ? j->m.error : "refused");
			continue;
		}
		event = j->settle == 4 ? "notification_in_doubt" :
		    "notification_failed";
		list = conf_get(r->conf, "notify", NULL, "staff_channels");
		copy = xstrdup(list != NULL ? list : "slack");
		for (p = copy; (tok = strsep(&p, ",")) != NULL; ) {
			while (*tok == ' ')
				tok++;
			tok[strcspn(tok, " ")] = '\0';
			if (notify_channel_ops(tok) == NULL)
				continue;
			n = new_job(r, j->line, event, tok, NULL);
			n->second = 1;
			n->ch = channel(r, notify_channel_ops(tok));
			free(n->recipient);
			n->recipient = recipient(r, j->line, tok, 1);
			if (n->recipient == NULL) {
				set_why(n, M_SKIPPED, "no_recipient");
				continue;
			}
			n->masked = notify_mask(tok, n->recipient);
			free(n->key);
			n->key = NULL;
			id = order_id(j->line->record);
			n->key = xprintf("%s:%s.%s.%s:%s:%s", id, event,
			    j->event, j->channel, tok, n->recipient);
			free(id);
			notify_sha256_hex(n->key, n->delivery);
			n->problem = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code",
			    event, "event", j->event, "channel", j->channel,
			    "recipient", j->masked, "message", j->why != NULL ?
			    j->why : "failed");
			if (n->problem == NULL)
				xnomem();
			n->lang = r->staff_lang;
			render(r, n);
		}
		free(copy);
	}
	send_all(r, first);
}

/* --- output --------------------------------------------------------------- */

static const char *const fate_names[] = {
	[M_SKIPPED] = "skipped", [M_QUEUED] = "queued", [M_SEND] = "skipped",
	[M_BUSY] = "skipped", [M_SENT] = "sent", [M_FAILED] = "failed",
};

static json_t *
note(struct run *r, const struct job *j)
{
	json_t *n;
	char t[40];

	n = json_pack("{s:s,s:s,s:o,s:s}", "event", j->event, "channel",
	    j->channel, "recipient", jsonx_string_or_null(j->masked),
	    "status", fate_names[j->fate]);
	if (n == NULL)
		xnomem();
	if (j->message_id != NULL)
		jsonx_set_new(n, "message_id", json_string(j->message_id));
	if (j->why != NULL)
		jsonx_set_new(n, "reason", json_string(j->why));
	if (j->fate == M_QUEUED && j->retry_at != 0)
		jsonx_set_new(n, "retry_at", json_string(rfc3339_format(
		    j->retry_at, r->offset, t, sizeof(t))));
	if (j->file != NULL)
		jsonx_set_new(n, "file", json_string(j->file));
	switch (j->fate) {
	case M_SENT:
		r->nsent++;
		break;
	case M_QUEUED:
		r->nqueued++;
		break;
	case M_FAILED:
		r->nfailed++;
		break;
	default:
		r->nskipped++;
	}
	return n;
}

static void
write_line(struct run *r, struct line *l)
{
	json_t *old;
	size_t i;

	if (l->notes == NULL) {		/* nothing to say: passed on */
		if (jsonl_write(stdout, l->record) == -1)
			r->out_failed = 1;
		return;
	}
	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i]->line == l)
			jsonx_append_new(l->notes, note(r, r->jobs[i]));
	if (l->rendered == 0 && l->unrendered > 0 && l->errors != NULL) {
		reject_write(&r->rejects, l->record, l->errors);
		r->nrejects++;
		return;
	}
	old = json_object_get(l->record, "notifications");
	if (json_is_array(old))
		json_array_extend(old, l->notes);
	else
		jsonx_set_new(l->record, "notifications", json_incref(l->notes));
	if (jsonl_write(stdout, l->record) == -1)
		r->out_failed = 1;
}

static void
free_window(struct run *r)
{
	struct job *j;
	size_t i;

	for (i = 0; i < r->njobs; i++) {
		j = r->jobs[i];
		free(j->key);
		free(j->event);
		free(j->channel);
		free(j->recipient);
		free(j->masked);
		free(j->subject);
		free(j->text);
		free(j->html);
		free(j->why);
		free(j->message_id);
		free(j->file);
		json_decref(j->problem);
		notify_msg_release(&j->m);
		outbox_entry_release(&j->item.e);
		free(j);
	}
	for (i = 0; i < r->nlines; i++) {
		json_decref(r->lines[i].record);
		json_decref(r->lines[i].errors);
		json_decref(r->lines[i].notes);
	}
	r->njobs = r->nlines = 0;
}

static void
process_window(struct run *r)
{
	size_t i, upto;

	for (i = 0; i < r->nlines; i++)
		plan(r, &r->lines[i]);
	send_all(r, 0);
	upto = r->njobs;
	if (r->dry_run == NULL)
		second_pass(r, upto);
	for (i = 0; i < r->nlines && !r->out_failed; i++)
		write_line(r, &r->lines[i]);
	if (fflush(stdout) == EOF || ferror(stdout))
		r->out_failed = 1;
	free_window(r);
}

/* --- the end -------------------------------------------------------------- */

static int
parse_hhmm(const char *s, const char **end)
{
	int h, m;

	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	*end = s + 5;
	return h < 24 ? h * 60 + m : -1;
}

static int
parse_quiet(struct run *r, const char *s)
{
	const char *end;

	if ((r->quiet_from = parse_hhmm(s, &end)) < 0 || *end != '-' ||
	    (r->quiet_to = parse_hhmm(end + 1, &end)) < 0 || *end != '\0')
		return -1;
	return 0;
}

/* Where templates are: --templates, $ORDERKIT_DATADIR/templates, the
 * installed ones, the checkout's this program was built from.  Those that
 * exist; none at all is a broken installation. */
static void
locate_templates(struct run *r, const char *arg)
{
	static char env[PATH_MAX + 16];
	static const char *const builtin[] = {
		ORDERKIT_DATADIR "/templates",
#ifdef ORDERKIT_SRCDIR
		ORDERKIT_SRCDIR "/templates",
#endif
	};
	const char *d;
	struct stat sb;
	size_t i;

	if (arg != NULL) {
		if (stat(arg, &sb) == -1)
			err(EX_NOINPUT, "cannot open '%s'", arg);
		if (!S_ISDIR(sb.st_mode))
			errx(EX_NOINPUT, "cannot read '%s': Not a directory",
			    arg);
		r->tmpl.dirs[r->tmpl.n++] = arg;
	}
	if ((d = getenv("ORDERKIT_DATADIR")) != NULL && *d != '\0') {
		snprintf(env, sizeof(env), "%s/templates", d);
		if (stat(env, &sb) == 0 && S_ISDIR(sb.st_mode))
			r->tmpl.dirs[r->tmpl.n++] = env;
	}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (stat(builtin[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			r->tmpl.dirs[r->tmpl.n++] = builtin[i];
	if (r->tmpl.n == 0)
		errx(EX_CONFIG, "no templates: neither '%s' nor "
		    "$ORDERKIT_DATADIR/templates exists", builtin[0]);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct http_stats hs;
	const char *config_arg = NULL, *db_arg = NULL, *templates_arg = NULL;
	const char *v;
	char *where, *copy, *p, *tok;
	enum msg_lang ml;
	json_t *rec;
	int ch, status, staff;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.now = (int64_t)time(NULL);
	r.quiet_from = r.quiet_to = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CHANNEL:
			copy = xstrdup(optarg);
			for (p = copy; (tok = strsep(&p, ",")) != NULL; )
				if (*tok != '\0' &&
				    notify_channel_ops(tok) == NULL)
					cli_usage_error(&r.cli, "--channel "
					    "'%s': no such channel (email, sms, "
					    "telegram, slack, webhook)", tok);
			free(copy);
			r.channel_arg = optarg;
			break;
		case OPT_CONFIG:
			config_arg = optarg;
			break;
		case OPT_DB:
			db_arg = optarg;
			break;
		case OPT_DRY_RUN:
			r.dry_run = optarg;
			break;
		case OPT_EVENT:
			if (strcmp(optarg, "auto") != 0 &&
			    !notify_event_known(optarg, &staff))
				cli_usage_error(&r.cli, "--event '%s': no such "
				    "event", optarg);
			r.event_arg = optarg;
			break;
		case OPT_LANG:
			if (msg_lang_parse(optarg, &ml) == -1)
				cli_usage_error(&r.cli, "--lang '%s': not en, "
				    "ru or uk", optarg);
			r.lang_arg = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.now, &r.offset) == -1)
				cli_usage_error(&r.cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_QUIET:
			if (parse_quiet(&r, optarg) == -1)
				cli_usage_error(&r.cli, "--quiet '%s' is not "
				    "HH:MM-HH:MM", optarg);
			break;
		case OPT_STAFF:
			r.staff_arg = 1;
			break;
		case OPT_TEMPLATES:
			templates_arg = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	rfc3339_format(r.now, r.offset, r.now_text, sizeof(r.now_text));
	r.conf = conf_load(config_arg);
	if (r.quiet_from < 0 && (v = conf_get(r.conf, "notify", NULL,
	    "quiet")) != NULL && *v != '\0' && parse_quiet(&r, v) == -1)
		errx(EX_CONFIG, "[notify] quiet '%s' is not HH:MM-HH:MM", v);
	r.retries = conf_long(r.conf, "notify", NULL, NULL, "retries", 5, 0,
	    100);
	v = r.lang_arg != NULL ? r.lang_arg : conf_get(r.conf, "shop", NULL,
	    "lang");
	r.staff_lang = v == NULL || msg_lang_parse(v, &ml) == -1 ? "en" :
	    ml == MSG_RU ? "ru" : ml == MSG_UK ? "uk" : "en";
	locate_templates(&r, templates_arg);
	if (r.dry_run != NULL && mkdir(r.dry_run, 0777) == -1 &&
	    errno != EEXIST)
		err(EX_CANTCREAT, "cannot create '%s'", r.dry_run);
	reject_open(&r.rejects, r.cli.rejects_path);
	if (r.dry_run == NULL) {
		where = store_locate(db_arg);
		r.st = store_open(where, store_outbox_migrations,
		    store_outbox_nmigrations);
		free(where);
		outbox_init(&r.ob, r.st, conf_long(r.conf, "notify", NULL,
		    NULL, "lease", 600, 1, 86400 * 7));
		r.ob.clock = r.now;
	}
	r.http = http_new();
	jsonl_open(&in, argc - optind, argv + optind);
	while (!r.out_failed && (rec = reject_read(&r.rejects, &in)) != NULL) {
		r.nin++;
		memset(&r.lines[r.nlines], 0, sizeof(r.lines[0]));
		r.lines[r.nlines++].record = rec;
		if (r.nlines == WINDOW)
			process_window(&r);
	}
	if (r.nlines > 0 && !r.out_failed)
		process_window(&r);
	free_window(&r);
	r.nrejects += in.nlines - r.nin;	/* bad_json lines */
	for (i = 0; i < NCHANNELS && r.channels[i] != NULL; i++)
		if (r.channels[i]->status != 0) {
			warnx("%s: %s; its messages are sent next run",
			    r.channels[i]->ops->name, r.channels[i]->error);
			r.status = cli_worse(r.status, r.channels[i]->status);
		}
	r.status = cli_worse(r.status, jsonl_close(&in));
	if (r.out_failed)
		r.cli.out_error = "cannot write '<stdout>'; what was sent is "
		    "not sent again";
	http_stats(r.http, &hs);
	status = cli_finish(&r.cli, r.status, &r.rejects, "%lu in, %lu sent, "
	    "%lu queued, %lu failed, %lu skipped, %lu rejected", r.nin,
	    r.nsent, r.nqueued, r.nfailed, r.nskipped, r.nrejects);
	for (i = 0; i < NCHANNELS; i++)
		notify_channel_free(r.channels[i]);
	http_free(r.http);
	if (r.st != NULL)
		store_close(r.st);
	conf_free(r.conf);
	free(r.jobs);
	return status;
}
