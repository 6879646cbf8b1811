/* outbox.c: the outbox component of the store: calls recorded before they
 * are made and settled after, with leases for the processes making them. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "outbox.h"
#include "store.h"
#include "xalloc.h"

const struct store_migration store_outbox_migrations[] = {
	{ "outbox", 1,
	    "CREATE TABLE outbox ("
	    " kind TEXT NOT NULL,"
	    " key TEXT NOT NULL,"
	    " state TEXT NOT NULL,"
	    " owner TEXT,"
	    " lease_until BIGINT NOT NULL DEFAULT 0,"
	    " attempts BIGINT NOT NULL DEFAULT 0,"
	    " intent TEXT,"
	    " progress TEXT,"
	    " result TEXT,"
	    " created_at BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL,"
	    " PRIMARY KEY (kind, key));"
	    "CREATE INDEX outbox_state ON outbox (kind, state);",
	    NULL },
	/* notify-send's retries wait for their time (outbox_retry()). */
	{ "outbox", 2,
	    "ALTER TABLE outbox ADD COLUMN retry_at BIGINT NOT NULL DEFAULT 0",
	    NULL },
};

const size_t store_outbox_nmigrations =
    sizeof(store_outbox_migrations) / sizeof(store_outbox_migrations[0]);

static const char *const state_names[] = {
	[OUTBOX_PENDING] = "pending",
	[OUTBOX_DONE] = "done",
	[OUTBOX_FAILED] = "failed",
	[OUTBOX_HELD] = "held",
};

const char *
outbox_state_name(enum outbox_state s)
{
	return state_names[s];
}

int
outbox_state_parse(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(state_names) /
	    sizeof(state_names[0]); i++)
		if (strcmp(s, state_names[i]) == 0)
			return (int)i;
	return -1;
}

#define COLUMNS "state, owner, lease_until, attempts, intent, progress, result,"\
    " retry_at"

void
outbox_init(struct outbox *ob, struct store *st, int64_t lease)
{
	memset(ob, 0, sizeof(*ob));
	ob->st = st;
	ob->lease = lease;
	if (gethostname(ob->host, sizeof(ob->host)) == -1)
		snprintf(ob->host, sizeof(ob->host), "localhost");
	ob->host[sizeof(ob->host) - 1] = '\0';
	ob->host[strcspn(ob->host, " ")] = '\0';
	snprintf(ob->owner, sizeof(ob->owner), "%s %ld", ob->host,
	    (long)getpid());
	ob->ins = store_prepare(st,
	    "INSERT INTO outbox (kind, key, state, owner, lease_until,"
	    " attempts, intent, created_at, updated_at)"
	    " VALUES ($1, $2, 'pending', $3, $4, 1, $5, $6, $6)"
	    " ON CONFLICT (kind, key) DO NOTHING", NULL);
	ob->get = store_prepare(st, "SELECT " COLUMNS " FROM outbox"
	    " WHERE kind = $1 AND key = $2", NULL);
	ob->get_lock = store_prepare(st, "SELECT " COLUMNS " FROM outbox"
	    " WHERE kind = $1 AND key = $2",
	    "SELECT " COLUMNS " FROM outbox"
	    " WHERE kind = $1 AND key = $2 FOR UPDATE");
	/* A new attempt: a failed entry's intent is the new one, a stale
	 * pending entry's stays what was sent. */
	ob->take = store_prepare(st,
	    "UPDATE outbox SET state = 'pending', owner = $3,"
	    " lease_until = $4, attempts = attempts + 1,"
	    " intent = CASE WHEN state = 'failed' THEN $5 ELSE intent END,"
	    " progress = CASE WHEN state = 'failed' THEN NULL"
	    "  ELSE progress END,"
	    " result = NULL, retry_at = 0, updated_at = $6"
	    " WHERE kind = $1 AND key = $2 AND attempts = $7", NULL);
	ob->set = store_prepare(st,
	    "UPDATE outbox SET state = $4, result = $5, owner = NULL,"
	    " lease_until = 0, updated_at = $6"
	    " WHERE kind = $1 AND key = $2 AND attempts = $3"
	    " AND state = 'pending' AND owner = $7", NULL);
	ob->defer = store_prepare(st,
	    "UPDATE outbox SET state = 'failed', result = $4, owner = NULL,"
	    " lease_until = 0, retry_at = $5, updated_at = $6"
	    " WHERE kind = $1 AND key = $2 AND attempts = $3"
	    " AND state = 'pending' AND owner = $7", NULL);
	ob->note = store_prepare(st,
	    "UPDATE outbox SET progress = $4, updated_at = $5"
	    " WHERE kind = $1 AND key = $2 AND attempts = $3"
	    " AND state = 'pending' AND owner = $6", NULL);
}

void
outbox_entry_release(struct outbox_entry *e)
{
	free(e->owner);
	free(e->intent);
	free(e->progress);
	free(e->result);
	memset(e, 0, sizeof(*e));
}

static char *
dup_text(struct store_stmt *q, int col)
{
	const char *s = store_text(q, col);

	return s != NULL ? xstrdup(s) : NULL;
}

static void
read_row(struct store_stmt *q, struct outbox_entry *e)
{
	int s = outbox_state_parse(store_text(q, 0));

	outbox_entry_release(e);
	e->state = s >= 0 ? (enum outbox_state)s : OUTBOX_HELD;
	e->owner = dup_text(q, 1);
	e->lease_until = store_int(q, 2);
	e->attempts = store_int(q, 3);
	e->intent = dup_text(q, 4);
	e->progress = dup_text(q, 5);
	e->result = dup_text(q, 6);
	e->retry_at = store_int(q, 7);
}

static int
read_entry(struct store_stmt *q, const char *kind, const char *key,
    struct outbox_entry *e)
{
	int found = 0;

	store_query(q, "ss", kind, key);
	while (store_next(q)) {
		read_row(q, e);
		found = 1;
	}
	return found;
}

int
outbox_get(struct outbox *ob, const char *kind, const char *key,
    struct outbox_entry *e)
{
	return read_entry(ob->get, kind, key, e);
}

/*
 * Whether the owner of a pending entry may still be making its call: its
 * lease runs, and, when it is a process of this host, it exists.  A
 * process of another host is taken at its lease's word.
 */
static int
owner_live(const struct outbox *ob, const struct outbox_entry *e,
    int64_t now)
{
	const char *sp;
	char *end;
	long pid;

	if (e->owner == NULL || e->lease_until <= now)
		return 0;
	if ((sp = strrchr(e->owner, ' ')) == NULL)
		return 1;
	if ((size_t)(sp - e->owner) != strlen(ob->host) ||
	    strncmp(e->owner, ob->host, sp - e->owner) != 0)
		return 1;
	errno = 0;
	pid = strtol(sp + 1, &end, 10);
	if (errno != 0 || *end != '\0' || pid <= 0)
		return 1;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

enum outbox_claim
outbox_claim(struct outbox *ob, const char *kind, const char *key,
    const char *intent, int64_t now, struct outbox_entry *e)
{
	int was_failed;

	outbox_entry_release(e);
	if (store_exec(ob->ins, "sssisi", kind, key, ob->owner,
	    now + ob->lease, intent, now) == 1) {
		e->state = OUTBOX_PENDING;
		e->owner = xstrdup(ob->owner);
		e->lease_until = now + ob->lease;
		e->attempts = 1;
		e->intent = intent != NULL ? xstrdup(intent) : NULL;
		return OUTBOX_CLAIMED;
	}
	if (!read_entry(ob->get_lock, kind, key, e))
		return OUTBOX_BUSY;	/* deleted meanwhile: next run */
	switch (e->state) {
	case OUTBOX_DONE:
		return OUTBOX_SETTLED;
	case OUTBOX_HELD:
		return OUTBOX_HOLD;
	case OUTBOX_PENDING:
		if (e->owner != NULL && strcmp(e->owner, ob->owner) == 0)
			return OUTBOX_BUSY;
		if (owner_live(ob, e, now))
			return OUTBOX_BUSY;
		break;
	case OUTBOX_FAILED:
		if (ob->clock != 0 && e->retry_at > ob->clock)
			return OUTBOX_WAITING;
		break;
	}
	was_failed = e->state == OUTBOX_FAILED;
	if (store_exec(ob->take, "sssisii", kind, key, ob->owner,
	    now + ob->lease, intent, now, e->attempts) != 1)
		return OUTBOX_BUSY;
	read_entry(ob->get, kind, key, e);
	return was_failed ? OUTBOX_CLAIMED : OUTBOX_RECLAIMED;
}

int
outbox_progress(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, const char *progress, int64_t now)
{
	return store_exec(ob->note, "ssisis", kind, key, attempt, progress,
	    now, ob->owner) == 1;
}

static int
settle(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, enum outbox_state to, const char *result, int64_t now)
{
	return store_exec(ob->set, "ssissis", kind, key, attempt,
	    state_names[to], result, now, ob->owner) == 1;
}

int
outbox_done(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, const char *result, int64_t now)
{
	return settle(ob, kind, key, attempt, OUTBOX_DONE, result, now);
}

int
outbox_fail(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, const char *result, int64_t now)
{
	return settle(ob, kind, key, attempt, OUTBOX_FAILED, result, now);
}

int
outbox_hold(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, const char *result, int64_t now)
{
	return settle(ob, kind, key, attempt, OUTBOX_HELD, result, now);
}

int
outbox_retry(struct outbox *ob, const char *kind, const char *key,
    int64_t attempt, const char *result, int64_t retry_at, int64_t now)
{
	return store_exec(ob->defer, "ssisiis", kind, key, attempt, result,
	    retry_at, now, ob->owner) == 1;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp((*(struct outbox_item *const *)a)->key,
	    (*(struct outbox_item *const *)b)->key);
}

void
outbox_claim_all(struct outbox *ob, const char *kind,
    struct outbox_item **items, size_t n, int64_t now)
{
	struct outbox_item **v;
	size_t i;

	v = xcalloc(n + 1, sizeof(*v));
	memcpy(v, items, n * sizeof(*v));
	qsort(v, n, sizeof(*v), by_key);
	store_begin(ob->st);
	for (i = 0; i < n; i++)
		v[i]->claim = outbox_claim(ob, kind, v[i]->key, v[i]->intent,
		    now, &v[i]->e);
	store_commit(ob->st);
	free(v);
}

size_t
outbox_wait(struct outbox *ob, const char *kind, struct outbox_item **items,
    size_t n, int64_t deadline)
{
	const struct timespec pause = { 0, 100 * 1000 * 1000 };
	struct outbox_entry *e;
	char *open;
	size_t i, busy;

	open = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++)
		open[i] = items[i]->claim == OUTBOX_BUSY;
	for (;;) {
		for (i = busy = 0; i < n; i++) {
			if (!open[i])
				continue;
			e = &items[i]->e;
			if (!outbox_get(ob, kind, items[i]->key, e)) {
				outbox_entry_release(e);
				open[i] = 0;
			} else if (e->state == OUTBOX_PENDING &&
			    (e->owner == NULL ||
			    strcmp(e->owner, ob->owner) != 0))
				busy++;
			else
				open[i] = 0;
		}
		if (busy == 0 || (int64_t)time(NULL) >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	for (i = busy = 0; i < n; i++)
		busy += items[i]->claim == OUTBOX_BUSY &&
		    items[i]->e.state == OUTBOX_PENDING;
	free(open);
	return busy;
}
