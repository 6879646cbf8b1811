/* objects.c: payment transactions in JSON: one object a line, or
 * documents pretty-printed over many; lists, events and notifications
 * unwrapped; every number read exactly. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "jsonl.h"
#include "payment.h"
#include "payment-int.h"
#include "reject.h"
#include "xalloc.h"

char *
payment_quote_reals(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len * 2 + 3);
	size_t i = 0, o = 0, start;
	int real, instr = 0;

	while (i < len) {
		char c = s[i];

		if (instr) {
			out[o++] = c;
			if (c == '\\' && i + 1 < len)
				out[o++] = s[++i];
			else if (c == '"')
				instr = 0;
			i++;
			continue;
		}
		if (c == '"') {
			instr = 1;
			out[o++] = c;
			i++;
			continue;
		}
		if (c != '-' && !(c >= '0' && c <= '9')) {
			out[o++] = c;
			i++;
			continue;
		}
		start = i;
		real = 0;
		while (i < len && (isdigit((unsigned char)s[i]) ||
		    s[i] == '-' || s[i] == '+' || s[i] == '.' ||
		    s[i] == 'e' || s[i] == 'E')) {
			if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
				real = 1;
			i++;
		}
		if (i - start > 18)
			real = 1;
		if (real)
			out[o++] = '"';
		memcpy(out + o, s + start, i - start);
		o += i - start;
		if (real)
			out[o++] = '"';
		/* at most one quote pair per two input bytes: within bounds */
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* One JSON object into t, by the first provider that knows it: 1 done,
 * 0 skipped, -1 a problem. */
static int
json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	const struct payment_ops *p;
	size_t i;
	int rc;

	if (!json_is_object(o))
		return payment_fail(pb, "bad_payment", "not a JSON object");
	for (i = 0; (p = payment_adapters[i]) != NULL; i++)
		if (p->json_is != NULL && p->json_is(o, hint))
			break;
	if (p == NULL && json_object_get(o, "items") != NULL &&
	    json_object_get(o, "totals") != NULL) {
		r->norders++;
		return payment_fail(pb, "bad_payment", "an order, not a "
		    "transaction: orders are pay-reconcile's operands");
	}
	if (p == NULL)
		return payment_fail(pb, "bad_payment", "not a transaction of "
		    "Stripe, YooKassa, PayPal or CloudPayments");
	if ((rc = p->json_txn(r, o, hint, t, pb)) == PAYMENT_SKIP)
		return 0;
	if (r->provider != NULL && strcmp(r->provider, p->name) != 0)
		return payment_fail(pb, "bad_payment", "a %s transaction, not "
		    "%s", p->name, r->provider);
	return rc == -1 ? -1 : 1;
}

/* Put the transactions that v holds on the queue. */
static void
expand(struct payment_reader *r, json_t *v, int hint)
{
	json_t *elem, *inner;
	const char *s;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, elem)
			expand(r, elem, hint);
		return;
	}
	if (json_is_object(v)) {
		s = payment_jstr(v, "object");
		if (s != NULL && strcmp(s, "list") == 0 &&
		    json_is_array(inner = json_object_get(v, "data"))) {
			expand(r, inner, hint);
			return;
		}
		if (s != NULL && strcmp(s, "event") == 0 &&
		    (inner = payment_jobj(payment_jobj(v, "data"),
		    "object")) != NULL) {
			expand(r, inner, hint);
			return;
		}
		if ((s = payment_jstr(v, "type")) != NULL &&
		    strcmp(s, "notification") == 0 &&
		    (inner = payment_jobj(v, "object")) != NULL) {
			expand(r, inner, hint);
			return;
		}
		if ((s = payment_jstr(v, "event_type")) != NULL &&
		    (inner = payment_jobj(v, "resource")) != NULL) {
			if (strstr(s, "PAYMENT.CAPTURE.") == s)
				hint = strcmp(s, "PAYMENT.CAPTURE.REFUNDED") ==
				    0 || strcmp(s, "PAYMENT.CAPTURE.REVERSED")
				    == 0 ? PAYMENT_HINT_PAYPAL_REFUND :
				    PAYMENT_HINT_PAYPAL_CAPTURE;
			else if (strstr(s, "PAYMENT.AUTHORIZATION.") == s)
				hint = PAYMENT_HINT_PAYPAL_AUTH;
			else
				return;		/* other events */
			expand(r, inner, hint);
			return;
		}
		if (json_is_array(inner = json_object_get(v,
		    "transaction_details")) ||
		    ((inner = json_object_get(v, "Model")) != NULL &&
		    (json_is_array(inner) || json_is_object(inner))) ||
		    (json_is_array(inner = json_object_get(v, "items")) &&
		    json_object_get(v, "id") == NULL)) {
			expand(r, inner, hint);
			return;
		}
	}
	if (r->nqueue == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 16;
		r->queue = xrealloc(r->queue, r->qcap * sizeof(*r->queue));
	}
	r->queue[r->nqueue].obj = v;
	r->queue[r->nqueue++].hint = hint;
}

static void
reject_value(struct payment_reader *r, struct reject_stream *rejects,
    const json_t *v, unsigned long line, const struct payment_problem *pb)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	reject_line(rejects, r->path, line, buf, len, pb->code, pb->msg);
	free(buf);
}

static int
all_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

/* Parse text (its reals quoted first) as one value.  With
 * JSON_DISABLE_EOF_CHECK in flags, *trailing tells whether more than
 * white space follows it. */
static json_t *
load_exact(const char *text, size_t len, json_error_t *error, int *trailing,
    int flags)
{
	char *q;
	size_t qlen;
	json_t *v;

	q = payment_quote_reals(text, len, &qlen);
	v = json_loadb(q, qlen, JSON_REJECT_DUPLICATES | flags, error);
	if (v == NULL && json_error_code(error) == json_error_out_of_memory)
		xnomem();
	*trailing = v != NULL && (flags & JSON_DISABLE_EOF_CHECK) &&
	    error->position < (int)qlen && !all_space(q + error->position);
	free(q);
	return v;
}

/* Read the next line (or pretty-printed document) and queue what it holds;
 * 0 at the end. */
static int
json_fill(struct payment_reader *r, struct reject_stream *rejects)
{
	json_error_t error;
	json_t *v;
	ssize_t n;
	size_t dlen = 0;
	unsigned long start;
	int trailing;
	char msg[256], *s;
	const char *nul;

	for (;;) {
		errno = 0;
		if ((n = getline(&r->line, &r->cap, r->fp)) == -1) {
			if (errno == ENOMEM)
				xnomem();
			if (ferror(r->fp))
				r->status = EX_IOERR;
			return 0;
		}
		r->lineno++;
		s = r->line;
		if (r->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		/* Read as a C string, the line would end at the NUL (and a
		 * line of one NUL would be blank): reject all of it. */
		if ((nul = memchr(s, '\0', n)) != NULL) {
			snprintf(msg, sizeof(msg),
			    reject_text("not JSON: a NUL byte at column %zu"),
			    (size_t)(nul - s) + 1);
			reject_line(rejects, r->path, r->lineno, s, n,
			    "bad_json", msg);
			continue;
		}
		if (all_space(s))
			continue;
		start = r->lineno;
		s = payment_trim(s);
		if (strcmp(s, "{") == 0 || strcmp(s, "[") == 0) {
			/* a pretty-printed document: read to its end */
			free(r->doc);
			r->doc = xstrdup(s);
			dlen = strlen(s);
			for (;;) {
				errno = 0;
				if ((n = getline(&r->line, &r->cap,
				    r->fp)) == -1) {
					if (errno == ENOMEM)
						xnomem();
					break;
				}
				r->lineno++;
				r->doc = xrealloc(r->doc, dlen + n + 2);
				r->doc[dlen++] = '\n';
				memcpy(r->doc + dlen, r->line, n + 1);
				dlen += n;
				if (r->line[0] != '}' && r->line[0] != ']')
					continue;
				v = load_exact(r->doc, dlen, &error,
				    &trailing, JSON_DISABLE_EOF_CHECK);
				json_decref(v);
				if (v == NULL && json_error_code(&error) ==
				    json_error_premature_end_of_input)
					continue;
				break;
			}
			/* the whole of it, or a clear message of why not */
			v = load_exact(r->doc, dlen, &error, &trailing, 0);
			s = r->doc;
			n = dlen;
		} else
			v = load_exact(s, n = strlen(s), &error, &trailing, 0);
		if (v == NULL) {
			snprintf(msg, sizeof(msg), reject_text("not JSON: %s "
			    "at line %d"), error.text, error.line + (int)start -
			    1);
			reject_line(rejects, r->path, start, s, n, "bad_json",
			    msg);
			continue;
		}
		json_decref(r->root);
		r->root = v;
		r->nqueue = r->qnext = 0;
		r->qline = start;
		expand(r, v, PAYMENT_HINT_NONE);
		if (r->nqueue > 0)
			return 1;
	}
}

int
payment_json_next(struct payment_reader *r, struct payment_txn *t,
    struct reject_stream *rejects)
{
	struct payment_problem pb;
	struct payment_queued *q;
	int rc;

	for (;;) {
		memset(t, 0, sizeof(*t));
		pb.code = "bad_payment";
		pb.msg[0] = '\0';
		if (r->fp == NULL)
			return 0;
		if (r->qnext == r->nqueue && !json_fill(r, rejects))
			return 0;
		q = &r->queue[r->qnext++];
		t->line = r->qline;
		rc = json_txn(r, q->obj, q->hint, t, &pb);
		if (rc == 1 && payment_positive(t, &pb) == 0)
			return 1;
		if (rc != 0)
			reject_value(r, rejects, q->obj, r->qline, &pb);
	}
}
