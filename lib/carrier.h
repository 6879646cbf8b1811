/* carrier.h: parcels at their carriers: one interface over the adapters in
 * lib/carrier/, one status vocabulary, the names shops give carriers. */
#ifndef CARRIER_H
#define CARRIER_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

struct conf;
struct http;
struct http_request;
struct http_service;
struct parcel;
struct tracking_db;

/* The vocabulary every carrier's codes are mapped onto (track-poll(1)). */
enum carrier_status {
	CARRIER_NONE,			/* nothing known yet: not a status */
	CARRIER_PRE_TRANSIT,
	CARRIER_IN_TRANSIT,
	CARRIER_OUT_FOR_DELIVERY,
	CARRIER_AVAILABLE_FOR_PICKUP,
	CARRIER_DELIVERED,
	CARRIER_FAILED_ATTEMPT,
	CARRIER_RETURN_TO_SENDER,
	CARRIER_EXCEPTION,
	CARRIER_CANCELLED,
	CARRIER_UNKNOWN			/* a code no table knows */
};

/* "in_transit", ...; NULL for CARRIER_NONE. */
const char	*carrier_status_name(enum carrier_status);

/* The status named s, CARRIER_NONE for no such name. */
enum carrier_status carrier_status_parse(const char *s);

/* Whether the parcel's journey is over: delivered, returned, cancelled. */
int		 carrier_status_final(enum carrier_status);

/* A carrier's code and the status it means: an adapter's table. */
struct carrier_code {
	const char		*code;
	enum carrier_status	 status;
};

/* The status of code in table[0..n-1] (exact match), CARRIER_UNKNOWN when
 * absent: an unknown code is kept, never a failure. */
enum carrier_status carrier_map(const struct carrier_code *table, size_t n,
		    const char *code);

/* One event of a parcel, as its carrier tells it. */
struct carrier_event {
	int64_t			 at;		/* epoch seconds */
	int			 offset;	/* minutes east of UTC */
	int			 has_time;
	enum carrier_status	 status;
	char			*code, *text;	/* the carrier's own */
	char			*location, *message;
};

enum carrier_outcome {
	CARRIER_PENDING,
	CARRIER_TRACKED,	/* events and now are what the carrier says */
	CARRIER_REJECTED,	/* error_code and error: a reject */
	CARRIER_DOWN		/* the carrier did not answer: poll again */
};

/* A parcel to track, and what came back. */
struct carrier_parcel {
	const char		*number;	/* borrowed */
	const char		*phone;		/* borrowed; may be NULL */
	const char		*name;		/* its carrier's canonical name:
						 * aggregators track others */
	enum carrier_outcome	 outcome;
	struct carrier_event	*events;	/* oldest first */
	size_t			 nevents, capevents;
	struct carrier_event	 now;		/* the current status */
	char			*order_id;	/* a webhook's, when it names one */
	char			*error_code, *error;
	void			*owner;		/* the caller's */
};

/* A carrier as a run uses it. */
struct carrier {
	const struct carrier_ops *ops;
	const struct conf	*conf;
	struct http		*http;
	struct http_service	*svc;
	struct tracking_db	*db;		/* for tokens; may be NULL */
	char			*url;		/* base URL, no trailing '/' */
	char			 keyname[64];	/* [carrier "NAME"] */
	int64_t			 now;
	void			*state;		/* the adapter's */
	int			 refused;	/* our credentials, refused */
	char			 refusal[400];
	int			 dry_run;	/* print requests, send none */
	void			*dry_out;	/* FILE * they go to */
};

/* What a pushed webhook says: the carrier of the parcel (an aggregator's
 * body names it) and the parcel, outcome CARRIER_TRACKED. */
struct carrier_push {
	char			*carrier;
	char			*number;
	struct carrier_parcel	 parcel;
};

enum carrier_webhook_result {
	CARRIER_PUSH_OK,
	CARRIER_PUSH_IGNORED,	/* authentic, but not about a parcel */
	CARRIER_PUSH_FORGED,	/* signature or token missing or wrong */
	CARRIER_PUSH_BAD	/* authentic, but not the carrier's body */
};

/* --- booking (ship-book(1)) ----------------------------------------------- */

enum carrier_delivery {
	CARRIER_COURIER,		/* to the door */
	CARRIER_POST,			/* by post, to the address */
	CARRIER_PICKUP			/* to a pickup point or branch */
};

/* A party of a booking, with the record's own address names; all
 * borrowed, any may be NULL. */
struct carrier_party {
	const char	*name, *company, *contact, *phone, *email;
	const char	*country, *region, *city, *postal_code, *line1, *line2;
	const char	*pickup_point;	/* the carrier's point, when known */
};

enum carrier_book_outcome {
	CARRIER_BOOK_PENDING,
	CARRIER_BOOK_DONE,		/* tracking_number, carrier_ref, ... */
	CARRIER_BOOK_REFUSED,	/* error_code, error: not booked (or, for a
				 * cancel, not cancelled) */
	CARRIER_BOOK_DOUBT,	/* a call may have been carried out, and no
				 * answer tells: to be looked up */
	CARRIER_BOOK_NOT_FOUND,	/* a lookup: the carrier has no such booking
				 * (or it is cancelled already) */
	CARRIER_BOOK_CANCELLED,	/* a cancel: done */
	CARRIER_BOOK_CANCEL_REQUESTED /* a cancel: asked for, settled later (a
				 * refund) */
};

enum carrier_book_kind {
	CARRIER_KIND_BOOK,
	CARRIER_KIND_RETURN,	/* the customer sends, the shop receives */
	CARRIER_KIND_CANCEL
};

/*
 * A parcel to book, look up or cancel, and what came back.  The caller
 * fills the input (all borrowed, alive until the outcome is in) and calls
 * book(), lookup() or cancel(); the adapter's callbacks end it with
 * carrier_book_end() by the end of http_run(), which calls done.  An
 * outcome left PENDING means the carrier did not answer (down): nothing
 * of it can have been carried out unless sent is set.
 */
struct carrier_booking {
	/* In. */
	enum carrier_book_kind	 kind;
	const struct json_t	*order;		/* the record */
	const struct parcel	*parcel;
	const char		*key;		/* the outbox key: reference
						 * and idempotency key */
	const char		*number;	/* the shop's number of the
						 * parcel (CDEK's "number") */
	const char		*service;	/* NULL: the adapter's choice */
	enum carrier_delivery	 delivery;
	struct carrier_party	 sender, recipient;
	const char		*warehouse;	/* [warehouse "W"] of the shop's
						 * side, NULL: [sender] only */
	int64_t			 cod;		/* to collect; 0: none */
	const char		*currency;	/* of the record's amounts */
	const char		*original;	/* a return: the tracking number
						 * of the parcel sent out */
	const char		*ref;		/* carrier_ref of the booking:
						 * a cancel's, a lookup's hint */
	const char		*ref_number;	/* and its tracking number */
	/* Out. */
	enum carrier_book_outcome outcome;
	int			 sent;		/* a call that changes something
						 * may have reached the carrier */
	char			*tracking_number, *carrier_ref;
	char			*service_used;	/* as the carrier booked it */
	char			*label_url;
	int64_t			 cost;		/* minor units, when has_cost */
	int			 has_cost;
	char			 cost_currency[4];
	char			*progress;	/* an id learnt on the way */
	char			*error_code, *error;
	struct json_t		*extra;		/* other ids: an object, or NULL */
	/* The caller's. */
	void			(*done)(struct carrier_booking *);
	void			(*noted)(struct carrier_booking *);
	void			*owner;
	int			 reads;		/* the adapter's count */
};

/*
 * An adapter: one file in lib/carrier/ filling this table, one line in the
 * list in lib/carrier/carrier.c.  init() reads its keys (conf_need() exits
 * 78 for a missing one); track() queues the requests for parcels
 * p[0..n-1] (n at most batch) on c->http, and its callbacks settle each
 * parcel (carrier_settle(), carrier_reject(), or left PENDING: then the
 * caller counts it as down) by the end of http_run().  webhook() checks a
 * pushed body's authenticity (headers are in the environment as a CGI
 * program gets them) and parses it.
 */
struct carrier_ops {
	const char	*name;		/* canonical: "cdek" */
	const char	*url;		/* the documented production base URL */
	size_t		 batch;		/* numbers per track() call */
	int64_t		 rate_milli;	/* default calls a second x 1000 */
	void		(*init)(struct carrier *);
	void		(*track)(struct carrier *, struct carrier_parcel **,
			    size_t n);
	enum carrier_webhook_result (*webhook)(struct carrier *,
			    const char *body, size_t len, struct carrier_push *,
			    char *why, size_t whylen);
	void		(*release)(struct carrier *);
	/* Booking; NULL where the carrier's API has none.  book() books a
	 * parcel or a return (kind), cancel() takes a booking back (ref,
	 * ref_number), lookup() tells what the carrier has under key,
	 * number or ref (DONE with its details, NOT_FOUND, CANCELLED or
	 * CANCEL_REQUESTED; DOUBT when it cannot tell), NULL where the
	 * carrier cannot be asked. */
	void		(*book)(struct carrier *, struct carrier_booking *);
	void		(*cancel)(struct carrier *, struct carrier_booking *);
	void		(*lookup)(struct carrier *, struct carrier_booking *);
	/* Before anything is claimed or sent: exit 78 naming a key that b
	 * needs and the configuration lacks. */
	void		(*ready)(struct carrier *, const struct carrier_booking *);
};

/* The adapter named name, or NULL. */
const struct carrier_ops *carrier_adapter(const char *name);

/* The canonical name of a carrier as shops and exports write it ("Nova
 * Poshta", "Нова Пошта", "np" are "novaposhta"; "СДЭК" is "cdek"): the
 * built-in aliases, else the name lower-cased with blanks as '-'.  A new
 * string. */
char		*carrier_canonical(const char *written);

/* AfterShip's slug for a canonical name ("novaposhta": "nova-poshta"), and
 * back. */
const char	*carrier_slug(const char *name);
char		*carrier_from_slug(const char *slug);

/* Set up the adapter for a run: its limits ([carrier "NAME"], then [http],
 * then the adapter's defaults), its service on h, its keys.  Exits 78 for a
 * missing key. */
struct carrier	*carrier_new(const struct carrier_ops *, const struct conf *,
		    struct http *, struct tracking_db *, int64_t now);
void		 carrier_free(struct carrier *);

/* For adapters. */
struct carrier_event *carrier_event_add(struct carrier_parcel *);
void		 carrier_set(char **field, const char *value);
void		 carrier_setn(char **field, const char *value, size_t len);

/* The parcel is tracked: its events are put in time order (stable), and
 * now becomes the latest event, with status top when it is not
 * CARRIER_NONE (a carrier's own current status wins over its last
 * event's).  No events and top CARRIER_NONE: nothing known yet. */
void		 carrier_settle(struct carrier_parcel *,
		    enum carrier_status top);

/* The parcel is a reject: code, and the carrier's message. */
void		 carrier_reject(struct carrier_parcel *, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void		 carrier_parcel_release(struct carrier_parcel *);
void		 carrier_push_release(struct carrier_push *);

/* A carrier's time: RFC 3339, also with the offset as "+0700", or none
 * (then default_offset, minutes east of UTC, applies, unless it is
 * CARRIER_NO_ZONE: then -1), "T" or a space between date and time.  0, or
 * -1. */
#define CARRIER_NO_ZONE	(-100000)
int		 carrier_time(const char *s, int default_offset, int64_t *epoch,
		    int *offset);

/* The carrier refused the account's credentials (401, 403): the run ends
 * with exit 78 and this message; the parcels stay PENDING. */
void		 carrier_refused(struct carrier *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The string at path ("a.b.c", objects only) in v, or NULL; a number is
 * not a string. */
struct json_t;
const char	*carrier_json_str(const struct json_t *v, const char *path);
const struct json_t *carrier_json_get(const struct json_t *v,
		    const char *path);

/* The value of parameter name in a query string ("a=1&token=x"),
 * percent-decoded: a new string, or NULL when absent. */
char		*carrier_query_param(const char *query, const char *name);

/* Request helpers: the URL of path under c->url (a new string). */
char		*carrier_url(const struct carrier *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Booking helpers (lib/carrier/booking.c).  Send a request, or in a dry
 * run print it instead as {"method","url","body"} with the secrets of its
 * body masked (apiKey, key, client_secret, password, token) and free
 * it. */
void		 carrier_send(struct carrier *, struct http_request *);

/* The booking is over with outcome: calls b->done. */
void		 carrier_book_end(struct carrier_booking *,
		    enum carrier_book_outcome);

/* Refused: a stable code from the carrier's own (bad_phone, bad_address,
 * too_heavy, else fallback) and its message; ends the booking. */
void		 carrier_book_refuse(struct carrier_booking *,
		    const char *fallback, const char *carrier_code,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Note an id learnt on the way (calls b->noted). */
void		 carrier_book_note(struct carrier_booking *, const char *id);

/* Add key: value (copied) to b->extra. */
void		 carrier_book_extra(struct carrier_booking *, const char *key,
		    const char *value);

void		 carrier_booking_release(struct carrier_booking *);

/* The parties of a booking: the shop, from [warehouse "W"] (w NULL:
 * none) key by key, else [sender]; the customer, from the record's
 * customer and shipping sections (borrowed from rec). */
void		 carrier_party_shop(const struct conf *, const char *w,
		    struct carrier_party *);
void		 carrier_party_customer(const struct json_t *rec,
		    struct carrier_party *);

/* Fill b's warehouse and parties for its kind, from the record rec (all
 * borrowed from rec or conf): a parcel (b->parcel) goes from the shop's
 * side of its warehouse to the customer; a return from the customer (at
 * return.pickup_point, when given) to the shop's side of
 * return.warehouse, else of the parcel sent out (shipment.parcels[0]),
 * whose tracking number becomes b->original. */
void		 carrier_booking_parties(struct carrier_booking *b,
		    const struct conf *, const struct json_t *rec);

/* The parcel of a booking done, as shipment.parcels[] holds it: the
 * parcel (parcel_json()), its warehouse, tracking_number, carrier_ref,
 * carrier_ids, carrier_label, cost and cod.  A new reference. */
struct json_t	*carrier_booking_json(const struct carrier_booking *);

/* The service to book with: written (--service, else the record's) when
 * not NULL or empty; else, for a return, [carrier "NAME"] service_return;
 * else service_courier, service_post or service_pickup for the delivery;
 * else service; else NULL (the adapter's choice).  Borrowed from written
 * or the configuration. */
const char	*carrier_service(const struct conf *, const char *name,
		    const char *written, enum carrier_book_kind,
		    enum carrier_delivery);

/* The amount a cash-on-delivery order collects, in minor units: for
 * status "cod", totals.total minus payment.paid (0 when absent); 0 for
 * any other order, or when nothing is left to collect. */
int64_t		 carrier_cod_due(const struct json_t *order);

/* Fetch the label document at b->label_url with c's service and save it
 * as DIR/NAME.EXT (EXT from the URL, else "label"; a '/', a control
 * character or a leading '.' of NAME as '_'), written under a
 * temporary name and renamed: b->label_url becomes the file's path.  A
 * label that cannot be fetched or saved is a warning, and label_url stays
 * the URL.  Either way then(b) is called from http_run(). */
void		 carrier_label_fetch(struct carrier *,
		    struct carrier_booking *b, const char *dir,
		    const char *name, void (*then)(struct carrier_booking *));

/* The shipment section of n >= 1 booking results, each {"carrier",
 * "service", "booked_at", "parcel"} (the parcel as carrier_booking_json()
 * makes it): the first's carrier, service and booked_at, the parcels in
 * turn, and cost, the sum of theirs when all have one in one currency
 * (and it fits in 64 bits).
 * A new reference. */
struct json_t	*carrier_shipment(struct json_t *const *results, size_t n);

/* The result of a booking done, as the outbox keeps it and
 * carrier_shipment() reads it: {"carrier", "service" (the carrier's own
 * name of it, else b->service, else null), "booked_at", "parcel"
 * (carrier_booking_json())}.  A new reference. */
struct json_t	*carrier_booking_result(const struct carrier_booking *b,
		    const char *carrier, const char *booked_at);

/* A record whose parcels shipment.parcels[parcels[i]] were cancelled
 * with results[0..n-1] ({"cancelled_at"} or {"cancel_requested_at"}):
 * each parcel gets its time, the shipment the last one's
 * (cancel_requested_at when any was only requested), the record the
 * status "cancelled". */
void		 carrier_shipment_cancelled(struct json_t *rec,
		    const size_t *parcels, struct json_t *const *results,
		    size_t n);

/* A record whose calls of kind ended with results[0..n-1] (of its parcels
 * parcels[0..n-1]): a booking's shipment (carrier_shipment()) and the
 * status "booked", a return's return.shipment, a cancel's as
 * carrier_shipment_cancelled() says. */
void		 carrier_shipment_set(struct json_t *rec,
		    enum carrier_book_kind kind, const size_t *parcels,
		    struct json_t *const *results, size_t n);

/* The carrier a record names for a booking of kind (borrowed, or NULL):
 * a parcel's shipping.carrier; a return's return.carrier, else
 * shipment.carrier, else shipping.carrier; a cancel's shipment.carrier. */
const char	*carrier_written(const struct json_t *rec,
		    enum carrier_book_kind kind);

/* The delivery a record's shipping.method asks for: "pickup", "post",
 * else courier. */
enum carrier_delivery carrier_delivery_of(const struct json_t *rec);

/* What a return ships, {"items": ...}: return.items when it is an
 * array, else the record's items, else none.  A new reference. */
struct json_t	*carrier_return_goods(const struct json_t *rec);

/* Whether a record is one to book in mode kind: 1 to book; 0 to pass
 * (a return whose shipping the customer pays); -1 after a reject added
 * to errors (not_returnable, not_payable).  A return needs status
 * return_open and a return section; any other booking status paid or
 * cod. */
int		 carrier_bookable(const struct json_t *rec,
		    enum carrier_book_kind kind, struct json_t *errors);

/* When the order was booked: its shipment.booked_at, which a rerun gets
 * from the store, so that its history says the same; else now. */
int64_t		 carrier_booked_at(const struct json_t *rec, int64_t now);

/* The outbox key of parcel i (from 0) of order id: "ID:1", a return's
 * "ID:return:1"; and the shop's number of that parcel, of n: "ID" (a
 * cancel's always), "ID-1", a return's "ID-return" or "ID-return-1".
 * New strings. */
char		*carrier_booking_key(enum carrier_book_kind, const char *id,
		    size_t i);
char		*carrier_booking_number(enum carrier_book_kind,
		    const char *id, size_t i, size_t n);

/* The intent the outbox records before b goes to c: {"carrier",
 * "service", "number"} as JSON text, a new string. */
char		*carrier_booking_intent(const struct carrier *,
		    const struct carrier_booking *b);

/* The value of key for the shop's side of b: [warehouse "W"] key, else
 * [sender] key, else NULL. */
const char	*carrier_shop_conf(const struct carrier *,
		    const struct carrier_booking *, const char *key);

/* amount minor units of currency as an exact JSON number ("1299.50"), or
 * as a string; a new reference.  And back: a JSON number or numeric
 * string of an answer read with carrier_check_exact() into *minor: 0 or
 * -1. */
struct json_t	*carrier_amount_json(int64_t minor, const char *currency);
char		*carrier_amount_text(int64_t minor, const char *currency);
int		 carrier_amount_parse(const struct json_t *, const char *currency,
		    int64_t *minor);

/* A check callback: http_check_json(), but numbers keep their text (for
 * amounts); parsed is a json_t *. */
enum http_verdict carrier_check_exact(struct http_request *);

/* HMAC-SHA256 of data with key into out (32 bytes); lower-case hex and
 * base64 of 32 bytes; a comparison in constant time of two strings. */
void		 carrier_hmac_sha256(const void *key, size_t keylen,
		    const void *data, size_t len, unsigned char out[32]);
void		 carrier_hex(const unsigned char *in, size_t len, char *out);
void		 carrier_base64(const unsigned char in[32], char out[45]);
int		 carrier_equal(const char *a, const char *b);

/* --- the adapters of a run (lib/carrier/list.c) --------------------------- */

/* The adapters a run has set up, each once, when first needed. */
struct carrier_list {
	const struct conf	*conf;
	struct http		*http;
	struct tracking_db	*db;		/* may be NULL */
	int64_t			 now;
	struct carrier		**v;		/* in the order set up */
	size_t			 n;
};

/* An empty list whose adapters carrier_new() sets up with these. */
void		 carrier_list_init(struct carrier_list *, const struct conf *,
		    struct http *, struct tracking_db *, int64_t now);

/* The run's adapter ops, set up the first time it is asked for. */
struct carrier	*carrier_list_get(struct carrier_list *,
		    const struct carrier_ops *);

/* The adapter that tracks the carrier name (canonical): the one
 * [carrier "NAME"] via names (aftership or easypost; another exits 78),
 * else its own, else AfterShip's when [carrier "aftership"] key is set;
 * NULL when none. */
struct carrier	*carrier_list_tracker(struct carrier_list *, const char *name);

/* Warn about each adapter's state at the end of a run (credentials
 * refused, down, TLS, a bad URL) and return the exit status the worst
 * calls for (cli_worse(): 78, 75, 69), or 0.  what says how a carrier's
 * work is done later ("its parcels are polled again next run"). */
int		 carrier_list_report(const struct carrier_list *,
		    const char *what);

/* The adapter that books for the carrier written (NULL or "": the one of
 * [shop] carrier), set up once; NULL when there is none, after a reject
 * added to errors at shipping.carrier: no_carrier, unknown_carrier or
 * no_booking_api. */
struct carrier	*carrier_list_booker(struct carrier_list *, const char *written,
		    struct json_t *errors);

/* carrier_free() each adapter, and the list. */
void		 carrier_list_release(struct carrier_list *);

/* The end of a carrier program's run, before cli_finish(): the adapters'
 * state reported (carrier_list_report(), what as there) and the list
 * released, the input in closed (jsonl_close()), cli's out_error set to
 * out_error when not NULL (standard output failed during the run), the
 * run's HTTP counts put in *hs and cli_count()ed as "requests" and
 * "retries".  Returns the worse of status and what the adapters and the
 * input call for. */
struct cli;
struct jsonl_reader;
int		 carrier_list_finish(struct carrier_list *, int status,
		    const char *what, struct jsonl_reader *in, struct cli *,
		    const char *out_error, struct http_stats *hs);

/* Queue on c->http the requests that track ps[0..n-1] at c: track()
 * calls of c->ops->batch parcels at most. */
void		 carrier_track(struct carrier *c, struct carrier_parcel **ps,
		    size_t n);

#endif
