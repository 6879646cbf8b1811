/* russianpost.c: Russian Post's tracking service, single access: the SOAP
 * 1.2 method getOperationHistory, one barcode a call, login and password
 * in the body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "xalloc.h"

/*
 * An operation is a type (OperType) and an attribute (OperAttr) of the
 * service's dictionary; the code kept is "type.attr".  Types whose meaning
 * depends on the attribute are listed with it first; -1 is any attribute.
 */
static const struct {
	int			 type, attr;
	enum carrier_status	 status;
} ops[] = {
	{ 1, -1, CARRIER_IN_TRANSIT },		/* accepted */
	{ 2, 2, CARRIER_RETURN_TO_SENDER },	/* handed to the sender */
	{ 2, 4, CARRIER_RETURN_TO_SENDER },
	{ 2, 7, CARRIER_RETURN_TO_SENDER },
	{ 2, 9, CARRIER_RETURN_TO_SENDER },
	{ 2, -1, CARRIER_DELIVERED },		/* handed over */
	{ 3, -1, CARRIER_RETURN_TO_SENDER },	/* returned */
	{ 4, -1, CARRIER_IN_TRANSIT },		/* forwarded */
	{ 5, -1, CARRIER_EXCEPTION },		/* not delivered: lost, seized */
	{ 6, -1, CARRIER_AVAILABLE_FOR_PICKUP },	/* kept for pick-up */
	{ 7, -1, CARRIER_EXCEPTION },		/* unclaimed, held */
	{ 8, 2, CARRIER_AVAILABLE_FOR_PICKUP },	/* at the delivery office */
	{ 8, 9, CARRIER_AVAILABLE_FOR_PICKUP },	/* in a parcel locker */
	{ 8, 14, CARRIER_AVAILABLE_FOR_PICKUP },
	{ 8, 39, CARRIER_AVAILABLE_FOR_PICKUP },
	{ 8, 15, CARRIER_OUT_FOR_DELIVERY },	/* with the courier */
	{ 8, 18, CARRIER_OUT_FOR_DELIVERY },	/* with the postman */
	{ 8, 22, CARRIER_OUT_FOR_DELIVERY },
	{ 8, -1, CARRIER_IN_TRANSIT },		/* sorting, on its way */
	{ 9, -1, CARRIER_IN_TRANSIT },		/* international import */
	{ 10, -1, CARRIER_IN_TRANSIT },		/* international export */
	{ 11, -1, CARRIER_IN_TRANSIT },		/* at customs */
	{ 12, -1, CARRIER_FAILED_ATTEMPT },
	{ 13, -1, CARRIER_IN_TRANSIT },
	{ 14, -1, CARRIER_IN_TRANSIT },		/* customs clearance */
	{ 15, -1, CARRIER_EXCEPTION },		/* to temporary storage */
	{ 16, -1, CARRIER_EXCEPTION },		/* destroyed */
	{ 17, -1, CARRIER_EXCEPTION },
	{ 18, -1, CARRIER_EXCEPTION },		/* registered lost */
	{ 19, -1, CARRIER_IN_TRANSIT },
	{ 20, -1, CARRIER_PRE_TRANSIT },	/* registered */
	{ 21, -1, CARRIER_DELIVERED },		/* delivered to the box */
	{ 22, -1, CARRIER_FAILED_ATTEMPT },
	{ 23, -1, CARRIER_EXCEPTION },
	{ 24, -1, CARRIER_IN_TRANSIT },
	{ 25, -1, CARRIER_EXCEPTION },		/* opened */
	{ 26, -1, CARRIER_CANCELLED },
	{ 27, -1, CARRIER_PRE_TRANSIT },	/* electronic registration */
	{ 28, -1, CARRIER_PRE_TRANSIT },	/* identifier assigned */
	{ 29, -1, CARRIER_IN_TRANSIT },
	{ 30, -1, CARRIER_IN_TRANSIT },
	{ 31, -1, CARRIER_IN_TRANSIT },
	{ 32, -1, CARRIER_IN_TRANSIT },
	{ 33, -1, CARRIER_IN_TRANSIT },
	{ 34, -1, CARRIER_IN_TRANSIT },
	{ 35, -1, CARRIER_EXCEPTION },		/* courier delivery refused */
	{ 36, -1, CARRIER_IN_TRANSIT },
	{ 37, -1, CARRIER_PRE_TRANSIT },	/* prepared */
	{ 38, -1, CARRIER_EXCEPTION },		/* held for the sender */
	{ 39, -1, CARRIER_IN_TRANSIT },
	{ 40, -1, CARRIER_IN_TRANSIT },
	{ 41, -1, CARRIER_IN_TRANSIT },
	{ 42, -1, CARRIER_FAILED_ATTEMPT },	/* second failed attempt */
	{ 43, -1, CARRIER_AVAILABLE_FOR_PICKUP },	/* may be handed over */
	{ 44, -1, CARRIER_EXCEPTION },		/* refused at acceptance */
	{ 46, -1, CARRIER_CANCELLED },
	{ 47, -1, CARRIER_PRE_TRANSIT },
	{ 48, -1, CARRIER_DELIVERED },		/* partly handed over */
	{ 50, -1, CARRIER_FAILED_ATTEMPT },	/* locker delivery failed */
	{ 51, -1, CARRIER_FAILED_ATTEMPT },	/* pick-up point failed */
};

static enum carrier_status
map(int type, int attr)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].type == type && (ops[i].attr == attr ||
		    ops[i].attr == -1))
			return ops[i].status;
	return CARRIER_UNKNOWN;
}

/* The first element named name (any namespace) under n, depth first. */
static xmlNode *
find(xmlNode *n, const char *name)
{
	xmlNode *c, *f;

	for (c = n != NULL ? n->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, name) == 0)
			return c;
		if ((f = find(c, name)) != NULL)
			return f;
	}
	return NULL;
}

/* The text of the element at path ("A/B") under n, a new string or
 * NULL. */
static char *
text(xmlNode *n, const char *path)
{
	char part[64];
	const char *slash;
	xmlChar *t;
	char *s;
	size_t len;

	while (n != NULL && *path != '\0') {
		slash = strchr(path, '/');
		len = slash != NULL ? (size_t)(slash - path) : strlen(path);
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, path, len);
		part[len] = '\0';
		n = find(n, part);
		path += len + (slash != NULL);
	}
	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = *t != '\0' ? xstrdup((const char *)t) : NULL;
	xmlFree(t);
	return s;
}

static int
number(xmlNode *n, const char *path)
{
	char *s = text(n, path);
	int v = s != NULL ? atoi(s) : -1;

	free(s);
	return v;
}

static void
event(struct carrier_parcel *p, xmlNode *rec)
{
	struct carrier_event *e = carrier_event_add(p);
	char code[32], buf[512], *tname, *aname, *when, *where, *index;
	int type, attr;

	type = number(rec, "OperationParameters/OperType/Id");
	attr = number(rec, "OperationParameters/OperAttr/Id");
	if (attr >= 0)
		snprintf(code, sizeof(code), "%d.%d", type, attr);
	else
		snprintf(code, sizeof(code), "%d", type);
	e->status = map(type, attr);
	carrier_set(&e->code, code);
	tname = text(rec, "OperationParameters/OperType/Name");
	aname = text(rec, "OperationParameters/OperAttr/Name");
	carrier_set(&e->text, aname != NULL ? aname : tname);
	if (tname != NULL && aname != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s", tname, aname);
		carrier_set(&e->message, buf);
	} else
		carrier_set(&e->message, tname != NULL ? tname : aname);
	where = text(rec, "AddressParameters/OperationAddress/Description");
	index = text(rec, "AddressParameters/OperationAddress/Index");
	if (where != NULL && index != NULL) {
		snprintf(buf, sizeof(buf), "%s, %s", where, index);
		carrier_set(&e->location, buf);
	} else
		carrier_set(&e->location, where != NULL ? where : index);
	when = text(rec, "OperationParameters/OperDate");
	e->has_time = carrier_time(when, 180, &e->at, &e->offset) == 0;
	free(tname);
	free(aname);
	free(where);
	free(index);
	free(when);
}

static void
doc_free(void *doc)
{
	xmlFreeDoc(doc);
}

/* A SOAP envelope: taken, faults included (they come with a 500); any
 * other body is not the service's. */
static enum http_verdict
check(struct http_request *r)
{
	xmlDoc *doc;

	if (r->parsed != NULL)
		r->parsed_free(r->parsed);
	r->parsed = NULL;
	doc = xmlReadMemory(r->body, (int)r->len, "rtm34.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL ||
	    strcmp((const char *)xmlDocGetRootElement(doc)->name,
	    "Envelope") != 0) {
		xmlFreeDoc(doc);
		return r->status == 429 || r->status >= 500 ||
		    (r->status >= 200 && r->status < 300) ? HTTP_RETRY :
		    HTTP_DEFAULT;
	}
	r->parsed = doc;
	r->parsed_free = doc_free;
	if (find(xmlDocGetRootElement(doc), "Fault") != NULL)
		return HTTP_ACCEPT;
	return HTTP_DEFAULT;
}

static void
done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel *p = r->arg2;
	xmlNode *root, *fault, *data, *n;
	char *reason;

	if (r->result != HTTP_OK)
		return;
	if (r->parsed == NULL) {
		carrier_reject(p, "carrier_error", "Russian Post: HTTP %ld",
		    r->status);
		return;
	}
	root = xmlDocGetRootElement(r->parsed);
	if ((fault = find(root, "Fault")) != NULL) {
		reason = text(fault, "Reason/Text");
		if (find(fault, "AuthorizationFaultReason") != NULL)
			carrier_refused(c, "Russian Post refused %s login and "
			    "password: %s", c->keyname, reason ? reason : "");
		else if ((n = find(fault, "OperationHistoryFaultReason")) !=
		    NULL) {
			free(reason);
			reason = text(fault, "OperationHistoryFaultReason");
			carrier_reject(p, "unknown_tracking_number", "Russian "
			    "Post: %s", reason ? reason : "not found");
		} else
			carrier_reject(p, "carrier_error", "Russian Post: %s",
			    reason ? reason : "a SOAP fault");
		free(reason);
		return;
	}
	if ((data = find(root, "OperationHistoryData")) == NULL) {
		carrier_reject(p, "carrier_error", "Russian Post answered "
		    "HTTP %ld without OperationHistoryData", r->status);
		return;
	}
	for (n = data->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "historyRecord") == 0)
			event(p, n);
	carrier_settle(p, CARRIER_NONE);	/* no records: nothing yet */
}

/* s with XML's five characters escaped, appended to buf. */
static void
put_escaped(char **buf, size_t *len, size_t *cap, const char *s)
{
	const char *rep;
	size_t n;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: rep = NULL; break;
		}
		n = rep != NULL ? strlen(rep) : 1;
		if (*len + n + 1 > *cap) {
			*cap = (*cap + n) * 2;
			*buf = xrealloc(*buf, *cap);
		}
		memcpy(*buf + *len, rep != NULL ? rep : s, n);
		*len += n;
		(*buf)[*len] = '\0';
	}
}

static void
put(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*cap + n) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static char *
envelope(const char *barcode, const char *login, const char *password)
{
	char *b = NULL;
	size_t len = 0, cap = 0;

	put(&b, &len, &cap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<soap:Envelope"
	    " xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""
	    " xmlns:oper=\"http://russianpost.org/operationhistory\""
	    " xmlns:data=\"http://russianpost.org/operationhistory/data\""
	    " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	    "<soap:Header/><soap:Body><oper:getOperationHistory>"
	    "<data:OperationHistoryRequest><data:Barcode>");
	put_escaped(&b, &len, &cap, barcode);
	put(&b, &len, &cap, "</data:Barcode><data:MessageType>0"
	    "</data:MessageType><data:Language>RUS</data:Language>"
	    "</data:OperationHistoryRequest>"
	    "<data:AuthorizationHeader soapenv:mustUnderstand=\"1\">"
	    "<data:login>");
	put_escaped(&b, &len, &cap, login);
	put(&b, &len, &cap, "</data:login><data:password>");
	put_escaped(&b, &len, &cap, password);
	put(&b, &len, &cap, "</data:password></data:AuthorizationHeader>"
	    "</oper:getOperationHistory></soap:Body></soap:Envelope>");
	return b;
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	const char *login, *password;
	struct http_request *r;
	char *body;
	size_t i;

	login = conf_need(c->conf, "carrier", "russianpost", "login");
	password = conf_need(c->conf, "carrier", "russianpost", "password");
	for (i = 0; i < n; i++) {
		body = envelope(ps[i]->number, login, password);
		r = http_request_new(c->svc, "POST", c->url);
		http_body(r, "application/soap+xml;charset=UTF-8", body,
		    strlen(body));
		r->check = check;
		r->done = done;
		r->arg = c;
		r->arg2 = ps[i];
		http_send(r);
		explicit_bzero(body, strlen(body));
		free(body);
	}
}

const struct carrier_ops carrier_russianpost = {
	.name = "russianpost",
	.url = "https://tracking.russianpost.ru/rtm34",
	.batch = 1,
	.track = track,
};
