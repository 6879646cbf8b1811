/* send.c: notify-send's sending (notify.h): a window's messages
 * claimed in the outbox, handed to their channels, settled; --dry-run's
 * files; the second pass's fallbacks and staff alerts. */
#include <err.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "conf.h"
#include "fileio.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "notify.h"
#include "outbox.h"
#include "rfc3339.h"
#include "store.h"
#include "xalloc.h"
#include "notify-int.h"

#define KIND	"notify-send"	/* the outbox's kind of entry */

/* --- sending -------------------------------------------------------------- */

static void
sent_cb(struct notify_msg *m)
{
	(void)m;
}

static void
start(struct notify_window *r, struct notify_job *j)
{
	struct notify_msg *m = &j->m;

	memset(m, 0, sizeof(*m));
	m->key = j->key;
	m->delivery = j->delivery;
	m->event = j->event;
	m->recipient = j->recipient;
	m->recipient_name = j->second && j->problem != NULL ? NULL :
	    notify_str(json_object_get(j->line->record, "customer"), "name");
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
outcome(struct notify_window *r, struct notify_job *j)
{
	char t[40];

	switch (j->m.outcome) {
	case NOTIFY_SENT:
		j->fate = NOTIFY_FATE_SENT;
		j->message_id = xstrdup(j->m.id != NULL ? j->m.id :
		    j->delivery);
		j->settle = 1;
		break;
	case NOTIFY_REFUSED:
		notify_job_why(j, NOTIFY_FATE_FAILED, "%s", j->m.error);
		j->settle = 3;
		break;
	case NOTIFY_RETRY:
	case NOTIFY_PENDING:
		if (j->attempt > r->retries) {
			notify_job_why(j, NOTIFY_FATE_FAILED, "gave up after %"
			    PRId64 " tries: %s", j->attempt, j->m.error !=
			    NULL ? j->m.error : "no answer");
			j->settle = 3;
			break;
		}
		j->retry_at = r->now + backoff(j->attempt);
		rfc3339_format(j->retry_at, r->offset, t, sizeof(t));
		notify_job_why(j, NOTIFY_FATE_QUEUED, "%s; tried again from %s",
		    j->m.error != NULL ? j->m.error : "no answer", t);
		j->settle = 2;
		break;
	}
}

/* A stored entry's state for the job. */
static void
take_stored(struct notify_window *r, struct notify_job *j,
    const struct outbox_entry *e)
{
	json_t *res = e->result != NULL ? jsonl_parse(e->result,
	    strlen(e->result), 0, NULL) : NULL;
	const char *error = notify_str(res, "error");
	char t[40];

	switch (e->state) {
	case OUTBOX_DONE:
		j->fate = NOTIFY_FATE_SENT;
		j->message_id = notify_id_text(json_object_get(res,
		    "message_id"));
		break;
	case OUTBOX_FAILED:
		if (notify_str(res, "refused") != NULL)	/* for pass 2 */
			j->m.outcome = NOTIFY_REFUSED;
		if (e->retry_at == INT64_MAX) {
			notify_job_why(j, NOTIFY_FATE_FAILED, "%s",
			    error != NULL ? error : "failed");
			break;
		}
		j->retry_at = e->retry_at;
		rfc3339_format(e->retry_at, r->offset, t, sizeof(t));
		notify_job_why(j, NOTIFY_FATE_QUEUED, "%s; tried again from %s",
		    error != NULL ? error : "failed", t);
		break;
	case OUTBOX_HELD:
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "in_doubt: the outbox "
		    "entry '%s' is held for a person", j->key);
		break;
	case OUTBOX_PENDING:
		notify_job_why(j, NOTIFY_FATE_SKIPPED, "in_progress: another "
		    "process holds the outbox entry '%s'", j->key);
		break;
	}
	json_decref(res);
}

static void
claim(struct notify_window *r, size_t from)
{
	struct outbox_item **items;
	struct notify_job *j;
	char **texts;
	json_t *intent;
	size_t i, n = 0;

	items = xcalloc(r->njobs - from + 1, sizeof(*items));
	texts = xcalloc(r->njobs - from + 1, sizeof(*texts));
	for (i = from; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate != NOTIFY_FATE_SEND)
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
		if (j->fate != NOTIFY_FATE_SEND)
			continue;
		j->attempt = j->item.e.attempts;
		switch (j->item.claim) {
		case OUTBOX_CLAIMED:
			break;
		case OUTBOX_RECLAIMED:
			notify_job_why(j, NOTIFY_FATE_FAILED, "in_doubt: an "
			    "earlier run may have sent it and did not record "
			    "it; the outbox entry '%s' is held for a person",
			    j->key);
			j->settle = 4;
			break;
		case OUTBOX_SETTLED:
		case OUTBOX_HOLD:
		case OUTBOX_WAITING:
			take_stored(r, j, &j->item.e);
			break;
		case OUTBOX_BUSY:
			j->fate = NOTIFY_FATE_BUSY;
			break;
		}
	}
}

static void
record(struct notify_window *r, size_t from)
{
	int64_t now = (int64_t)time(NULL);
	struct notify_job *j;
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
wait_busy(struct notify_window *r, size_t from)
{
	struct outbox_item **items;
	size_t i, n = 0;

	items = xcalloc(r->njobs - from + 1, sizeof(*items));
	for (i = from; i < r->njobs; i++)
		if (r->jobs[i]->fate == NOTIFY_FATE_BUSY)
			items[n++] = &r->jobs[i]->item;
	if (n > 0)
		outbox_wait(&r->ob, KIND, items, n, (int64_t)time(NULL) +
		    conf_long(r->conf, "notify", NULL, "outbox", "wait", 60, 0,
		    86400));
	free(items);
	for (i = from; i < r->njobs; i++)
		if (r->jobs[i]->fate == NOTIFY_FATE_BUSY)
			take_stored(r, r->jobs[i], &r->jobs[i]->item.e);
}

/* Write the job's message to the --dry-run directory. */
static void
dry_write(struct notify_window *r, struct notify_job *j)
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
	    notify_str(json_object_get(j->line->record, "customer"), "name");
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
	notify_job_why(j, NOTIFY_FATE_SKIPPED, "dry_run");
}

/* Claim, send, record the jobs from first on; wait for those another
 * process holds. */
void
notify_send_jobs(struct notify_window *r, size_t first)
{
	struct notify_job *j;
	size_t i;

	if (first == r->njobs)
		return;
	if (r->dry_run != NULL) {
		for (i = first; i < r->njobs; i++)
			if (r->jobs[i]->fate == NOTIFY_FATE_SEND)
				dry_write(r, r->jobs[i]);
		return;
	}
	claim(r, first);
	for (i = first; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate == NOTIFY_FATE_SEND && j->settle == 0)
			start(r, j);
	}
	http_run(r->http);
	for (i = first; i < r->njobs; i++) {
		j = r->jobs[i];
		if (j->fate == NOTIFY_FATE_SEND && j->settle == 0)
			outcome(r, j);
	}
	record(r, first);
	wait_busy(r, first);
}

/* Pass 2: an SMS refused falls back to email; a message given up or in
 * doubt is told to the staff. */
void
notify_second_pass(struct notify_window *r, size_t upto)
{
	struct notify_job *j, *n;
	const char *list, *email;
	char *copy, *p, *tok, *event, *id;
	size_t i, k, first = r->njobs;
	int have;

	for (i = 0; i < upto; i++) {
		j = r->jobs[i];
		if (j->fate != NOTIFY_FATE_FAILED || j->second)
			continue;
		if (strcmp(j->channel, "sms") == 0 && j->m.outcome ==
		    NOTIFY_REFUSED && (email = notify_str(json_object_get(
		    j->line->record, "customer"), "email")) != NULL) {
			for (k = have = 0; k < r->njobs; k++)
				have |= r->jobs[k]->line == j->line &&
				    strcmp(r->jobs[k]->event, j->event) == 0 &&
				    strcmp(r->jobs[k]->channel, "email") == 0;
			if (!have) {
				n = notify_plan_one(r, j->line, j->event,
				    "email", 0);
				n->second = 1;
			}
			free(j->why);
			j->why = notify_xprintf("%s; sent by email instead",
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
			n = notify_job_new(r, j->line, event, tok, NULL);
			n->second = 1;
			n->ch = notify_job_channel(r, notify_channel_ops(tok));
			free(n->recipient);
			n->recipient = notify_recipient(r, j->line, tok, 1);
			if (n->recipient == NULL) {
				notify_job_why(n, NOTIFY_FATE_SKIPPED,
				    "no_recipient");
				continue;
			}
			n->masked = notify_mask(tok, n->recipient);
			free(n->key);
			n->key = NULL;
			id = notify_order_id(j->line->record);
			n->key = notify_xprintf("%s:%s.%s.%s:%s:%s", id, event,
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
			notify_job_render(r, n);
		}
		free(copy);
	}
	notify_send_jobs(r, first);
}
void
notify_window_clear(struct notify_window *r)
{
	struct notify_job *j;
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

void
notify_window_free(struct notify_window *r)
{
	size_t i;

	for (i = 0; i < NOTIFY_NCHANNELS; i++)
		notify_channel_free(r->channels[i]);
	free(r->jobs);
	r->jobs = NULL;
	r->capjobs = 0;
}
