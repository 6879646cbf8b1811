/* list.c: the carrier adapters of a run, and which one tracks a carrier. */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "carrier.h"
#include "cli.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "reject.h"
#include "xalloc.h"

void
carrier_list_init(struct carrier_list *l, const struct conf *conf,
    struct http *h, struct tracking_db *db, int64_t now)
{
	memset(l, 0, sizeof(*l));
	l->conf = conf;
	l->http = h;
	l->db = db;
	l->now = now;
}

struct carrier *
carrier_list_get(struct carrier_list *l, const struct carrier_ops *ops)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i]->ops == ops)
			return l->v[i];
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n] = carrier_new(ops, l->conf, l->http, l->db, l->now);
	return l->v[l->n++];
}

struct carrier *
carrier_list_booker(struct carrier_list *l, const char *written,
    json_t *errors)
{
	const struct carrier_ops *ops;
	struct carrier *c = NULL;
	char *name;

	if (written == NULL || *written == '\0')
		written = conf_get(l->conf, "shop", NULL, "carrier");
	if (written == NULL || *written == '\0') {
		reject_addf(errors, "no_carrier", "shipping.carrier",
		    "no carrier: not in the record, not given with "
		    "--carrier, no [shop] carrier");
		return NULL;
	}
	name = carrier_canonical(written);
	ops = carrier_adapter(name);
	if (ops == NULL)
		reject_addf(errors, "unknown_carrier", "shipping.carrier",
		    "no adapter for carrier '%s'", name);
	else if (ops->book == NULL)
		reject_addf(errors, "no_booking_api", "shipping.carrier",
		    "carrier '%s' has no booking in its API; book it by hand",
		    name);
	else
		c = carrier_list_get(l, ops);
	free(name);
	return c;
}

/* A carrier that tracks parcels of others. */
static int
aggregator(const char *name)
{
	return strcmp(name, "aftership") == 0 ||
	    strcmp(name, "easypost") == 0;
}

struct carrier *
carrier_list_tracker(struct carrier_list *l, const char *name)
{
	const struct carrier_ops *ops;
	const char *via;
	char kn[128];

	via = conf_get(l->conf, "carrier", name, "via");
	if (via != NULL && *via != '\0') {
		if (!aggregator(via) || (ops = carrier_adapter(via)) == NULL)
			errx(EX_CONFIG, "%s '%s' is neither aftership nor "
			    "easypost", conf_keyname("carrier", name, "via",
			    kn, sizeof(kn)), via);
		return carrier_list_get(l, ops);
	}
	if ((ops = carrier_adapter(name)) != NULL)
		return carrier_list_get(l, ops);
	if (conf_get(l->conf, "carrier", "aftership", "key") != NULL &&
	    (ops = carrier_adapter("aftership")) != NULL)
		return carrier_list_get(l, ops);
	return NULL;
}

/* What carrier_list_report() says of one adapter: its status. */
static int
report(const struct carrier *c, const char *what)
{
	int status = 0;

	if (c->refused) {
		warnx("%s", c->refusal);
		status = EX_CONFIG;
	}
	switch (http_service_state(c->svc)) {
	case HTTP_DOWN:
		warnx("carrier '%s' did not answer: %s; %s", c->ops->name,
		    http_service_error(c->svc), what);
		return cli_worse(status, EX_TEMPFAIL);
	case HTTP_TLS:
		warnx("%s", http_service_error(c->svc));
		return cli_worse(status, EX_UNAVAILABLE);
	case HTTP_CONFIG:
		warnx("%s", http_service_error(c->svc));
		return EX_CONFIG;
	default:
		return status;
	}
}

int
carrier_list_report(const struct carrier_list *l, const char *what)
{
	int status = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		status = cli_worse(status, report(l->v[i], what));
	return status;
}

void
carrier_list_release(struct carrier_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		carrier_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
carrier_list_finish(struct carrier_list *l, int status, const char *what,
    struct jsonl_reader *in, struct cli *cli, const char *out_error,
    struct http_stats *hs)
{
	status = cli_worse(status, carrier_list_report(l, what));
	carrier_list_release(l);
	status = cli_worse(status, jsonl_close(in));
	if (out_error != NULL)
		cli->out_error = out_error;
	http_stats(l->http, hs);
	cli_count("requests", hs->requests);
	cli_count("retries", hs->retries);
	return status;
}

void
carrier_track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	size_t size = c->ops->batch > 0 ? c->ops->batch : 1, k;

	for (; n > 0; ps += k, n -= k) {
		k = n < size ? n : size;
		c->ops->track(c, ps, k);
	}
}
