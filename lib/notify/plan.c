/* plan.c: notify-send's planning (notify.h): each record's event,
 * language, channels and recipients, its messages rendered from the
 * templates, quiet hours. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <err.h>

#include <jansson.h>

#include "conf.h"
#include "msg.h"
#include "notify.h"
#include "reject.h"
#include "rfc3339.h"
#include "xalloc.h"
#include "notify-int.h"

char *
notify_xprintf(const char *fmt, ...)
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

const char *
notify_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* A string or integer value as text: a new string, or NULL. */
char *
notify_id_text(const json_t *v)
{
	if (json_is_string(v) && json_string_length(v) > 0)
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return notify_xprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	return NULL;
}

/* The order a record is about: its id, else a problem's order_id. */
char *
notify_order_id(const json_t *rec)
{
	char *id = notify_id_text(json_object_get(rec, "id"));

	return id != NULL ? id : notify_id_text(json_object_get(rec,
	    "order_id"));
}

void
notify_job_why(struct notify_job *j, enum notify_fate fate, const char *fmt,
    ...)
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

struct notify_channel *
notify_job_channel(struct notify_window *r,
    const struct notify_channel_ops *ops)
{
	size_t i;

	for (i = 0; i < NOTIFY_NCHANNELS; i++) {
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

struct notify_job *
notify_job_new(struct notify_window *r, struct notify_line *l,
    const char *event, const char *ch, const char *recipient)
{
	struct notify_job *j;
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
	id = notify_order_id(l->record);
	if (id != NULL && recipient != NULL) {
		j->key = notify_xprintf("%s:%s:%s:%s", id, event, ch,
		    recipient);
		notify_sha256_hex(j->key, j->delivery);
	}
	free(id);
	j->fate = NOTIFY_FATE_SEND;
	j->lang = l->lang;
	return j;
}

/* The template NAME.LANG, else NAME.en: a new string or NULL. */
static char *
template(struct notify_window *r, const char *name, const char *lang)
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
render_part(struct notify_window *r, struct notify_job *j, const char *tmpl,
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
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "bad_template: %s", bad);
	else
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "missing_field: %s",
		    bad);
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
void
notify_job_render(struct notify_window *r, struct notify_job *j)
{
	char name[128], *t, *nl, *body;
	const char *lang = j->lang;

	if (strcmp(j->channel, "webhook") == 0)
		return;
	snprintf(name, sizeof(name), "%s.%s", j->event, j->channel);
	if ((t = template(r, name, lang)) == NULL) {
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "no_template: %s.%s",
		    name, lang);
		return;
	}
	body = t;
	if (strcmp(j->channel, "email") == 0) {
		if (strncmp(t, "Subject:", 8) != 0 || (nl = strchr(t, '\n')) ==
		    NULL) {
			notify_job_why(j, NOTIFY_FATE_SKIPPED, "bad_template: "
			    "%s.%s lacks its Subject: line", name, lang);
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
char *
notify_recipient(struct notify_window *r, const struct notify_line *l,
    const char *ch, int staff)
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
		return notify_id_text(json_object_get(cust, "email"));
	if (strcmp(ch, "sms") == 0)
		return notify_id_text(json_object_get(cust, "phone"));
	if (strcmp(ch, "telegram") == 0)
		return notify_id_text(json_object_get(cust,
		    "telegram_chat_id"));
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
quiet_now(struct notify_window *r, const struct notify_line *l)
{
	const char *tz = notify_str(json_object_get(l->record, "customer"),
	    "tz");
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
	const char *code = notify_str(e, "code");
	const char *message = notify_str(e, "message");
	const char *status = notify_str(rec, "status");
	const char *number = notify_str(rec, "tracking_number");
	const char *since = notify_str(rec, "since");
	json_t *p;
	char *m = NULL;

	if (code == NULL)
		code = notify_str(rec, "code");
	if (code == NULL)
		code = event;
	if (message == NULL)
		message = notify_str(rec, "message");
	if (message == NULL) {
		m = number != NULL ? notify_xprintf("%s: parcel %s, %s since "
		    "%s", code, number, status != NULL ? status : "?",
		    since != NULL ? since : "?") : notify_xprintf("%s (status "
		    "%s)", code, status != NULL ? status : "none");
		message = m;
	}
	p = json_pack("{s:s,s:s}", "code", code, "message", message);
	free(m);
	if (p == NULL)
		xnomem();
	return p;
}

/* A message of the line: the job set up, rendered, ready to send. */
struct notify_job *
notify_plan_one(struct notify_window *r, struct notify_line *l,
    const char *event, const char *ch, int staff)
{
	const struct notify_channel_ops *ops = notify_channel_ops(ch);
	char *to = notify_recipient(r, l, ch, staff);
	struct notify_job *j = notify_job_new(r, l, event, ch, to);

	free(to);
	j->ch = notify_job_channel(r, ops);
	if (staff)
		j->problem = problem_of(l->record, event);
	if (j->recipient == NULL) {
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "no_recipient");
		return j;
	}
	if (j->key == NULL) {
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "no_id");
		return j;
	}
	/* An address is never a way into the message's headers. */
	if (strpbrk(j->recipient, " \t\r\n<>\"(),;") != NULL) {
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "bad_recipient");
		return j;
	}
	if (!staff && strcmp(ch, "slack") == 0) {
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "slack_is_for_staff");
		return j;
	}
	notify_job_render(r, j);
	if (j->fate == NOTIFY_FATE_SKIPPED)
		return j;
	if (strcmp(ch, "sms") == 0 && quiet_now(r, l))
		notify_job_why(j, NOTIFY_FATE_QUEUED, "quiet_hours");
	return j;
}

void
notify_plan(struct notify_window *r, struct notify_line *l)
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
	v = staff ? NULL : notify_str(cust, "lang");
	if (v == NULL || msg_lang_parse(v, &ml) == -1)
		v = r->lang_arg;
	if (v == NULL)
		v = conf_get(r->conf, "shop", NULL, "lang");
	l->lang = v == NULL || msg_lang_parse(v, &ml) == -1 ? "en" :
	    ml == MSG_RU ? "ru" : ml == MSG_UK ? "uk" : "en";
	list = r->channel_arg;
	if (list == NULL && !staff)
		list = notify_str(cust, "notify");
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
			struct notify_job *j = notify_job_new(r, l, event, tok,
			    NULL);

			notify_job_why(j, NOTIFY_FATE_SKIPPED,
			    "unknown_channel");
			continue;
		}
		notify_plan_one(r, l, event, tok, staff);

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
