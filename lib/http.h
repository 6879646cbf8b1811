/* http.h: HTTP calls, many at once over one libcurl multi handle, with the
 * timeouts, retries and limits DESIGN.md asks of every call. */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct curl_slist;

/*
 * A program makes one struct http, a struct http_service per service it
 * calls (a carrier, a provider), and queues requests on the services; then
 * http_run() performs them all concurrently: connections are kept alive
 * and reused, each service has its own limit on requests in flight and
 * per second.  A call that times out, cannot connect, or is answered 5xx,
 * 429 or 408 is tried again after an exponential back-off with jitter, or
 * after the time Retry-After asks for (in seconds or as an HTTP date;
 * never more than backoff_max).  A service that still fails after its
 * retries is down: its other queued requests end at once without being
 * sent.  TLS certificates are verified (ca_file adds a private CA).
 *
 * Secrets (Basic credentials, headers) are never part of a message; a URL
 * must not hold one.
 */

struct http_limits {
	int64_t	 timeout_ms;		/* one call, connect to last byte */
	int64_t	 connect_timeout_ms;
	int64_t	 backoff_max_ms;	/* the longest wait between tries */
	int64_t	 backoff_base_ms;	/* the first wait (before jitter) */
	int	 retries;		/* tries after the first */
	int	 concurrency;		/* requests in flight */
	int64_t	 rate_milli;		/* requests a second x 1000; 0: any */
	size_t	 max_response;		/* bytes of a response body */
	const char *ca_file;		/* borrowed; NULL: the system's CAs */
};

/* The limits of [section "name"] (each key falling back to [http], then
 * to defaults): timeout, retries, backoff_max, concurrency, rate,
 * max_response, ca_file.  Bad values exit 78 (conf.h).  ca_file is
 * borrowed from the configuration. */
void	 http_limits_conf(struct http_limits *, const struct conf *,
	    const char *section, const char *name,
	    const struct http_limits *defaults);

/* The built-in defaults: 30 s, 5 retries, 60 s, 4 at once, no rate. */
extern const struct http_limits http_default_limits;

enum http_result {
	HTTP_PENDING,
	HTTP_OK,		/* an answer: status and body */
	HTTP_DOWN,		/* no usable answer after the retries */
	HTTP_TLS,		/* the certificate did not verify */
	HTTP_CONFIG,		/* a bad URL or ca_file: retrying cannot help */
	HTTP_DOUBT		/* a request sent once: no usable answer, and
				 * the service may have carried it out */
};

/* What a check callback says of an answer. */
enum http_verdict {
	HTTP_DEFAULT,		/* 5xx, 429, 408 are retried, the rest taken */
	HTTP_ACCEPT,		/* take it, whatever its status */
	HTTP_RETRY		/* not what the service speaks: try again */
};

struct http;
struct http_service;

struct http_request {
	/* The caller's. */
	void		(*done)(struct http_request *);
	enum http_verdict (*check)(struct http_request *);
	void		*arg;
	void		*arg2;
	long		 tag;
	int		 once;		/* not to be repeated blindly: see
					 * http_send() */
	/* The outcome, for check and done. */
	enum http_result result;
	long		 status;	/* HTTP status of the answer */
	char		*body;		/* NUL-terminated; done may take it */
	size_t		 len;
	void		*parsed;	/* what check made of body */
	void		(*parsed_free)(void *);
	int		 attempts;
	struct http_service *service;
	/* The layer's. */
	struct http_request *next;
	char		*method, *url, *req_body;
	size_t		 req_len;
	struct curl_slist *headers;
	char		*userpwd;
	void		*easy;
	int64_t		 not_before;
	size_t		 cap;
	int		 too_big;
	char		 errbuf[256];
};

struct http_stats {
	unsigned long	 requests;	/* sent, retries included */
	unsigned long	 retries;
	unsigned long	 connections;	/* opened */
};

/* A new set of services on one multi handle.  Exits 71 when libcurl
 * cannot be initialised. */
struct http	*http_new(void);

/* Free the services, requests left and handles. */
void		 http_free(struct http *);

/* A service: name for messages ("cdek"), keyname the configuration section
 * that sets it ("[carrier \"cdek\"]") for messages that name a key.  Owned
 * by h. */
struct http_service *http_service_new(struct http *h, const char *name,
		    const char *keyname, const struct http_limits *);

/* HTTP_OK while the service works, else how it failed, and a message
 * (without secrets) saying why. */
enum http_result http_service_state(const struct http_service *);
const char	*http_service_error(const struct http_service *);
const char	*http_service_name(const struct http_service *);

/* A new request for the service: method "GET", "POST", ...; url is
 * copied.  Give it headers and a body, set done (and check), then send. */
struct http_request *http_request_new(struct http_service *,
		    const char *method, const char *url);

/* Free a request that is not to be sent after all. */
void		 http_request_free(struct http_request *);

/* Add a header line "Name: value" (copied). */
void		 http_header(struct http_request *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The request's body (copied) and its Content-Type. */
void		 http_body(struct http_request *, const char *type,
		    const char *body, size_t len);

/* HTTP Basic authentication (copied; never shown). */
void		 http_basic_auth(struct http_request *, const char *user,
		    const char *password);

/* Queue the request.  Its done callback is called once, from
 * http_run(), with result set; the request is freed when done returns.
 * done may queue new requests.
 *
 * A request with once set (a booking, a payment: a call that changes
 * something and is not idempotent) is tried again only when it cannot
 * have been carried out: it could not connect, nothing of it was sent, or
 * the answer was 429 or 408.  After a 5xx, an answer check() retries, a
 * timeout or a connection lost once something was sent, it ends at once
 * with HTTP_DOUBT (status and body as they came, when an answer came):
 * whether the service did it is for the caller to find out. */
void		 http_send(struct http_request *);

/* http_send() the request, to start no sooner than delay_ms from now (a
 * service read again until it has an answer ready). */
void		 http_send_later(struct http_request *, int64_t delay_ms);

/* Perform what is queued, and what done callbacks queue, until nothing
 * is left. */
void		 http_run(struct http *);

/* Have http_run() call fn(arg) after each round of transfers (at least
 * once a second while it waits), so that the caller can use the answers
 * while the other calls are in flight; NULL: none. */
void		 http_set_hook(struct http *, void (*fn)(void *), void *arg);

void		 http_stats(const struct http *, struct http_stats *);

/* The wait before try number attempt + 1 (attempt >= 1) after a failure,
 * retry_after the value of Retry-After in seconds (0: none; negative: a
 * date in the past) and jitter a number in [0, 1000): for tests. */
int64_t		 http_backoff(const struct http_limits *, int attempt,
		    int64_t retry_after, unsigned jitter);

/* s with every byte but A-Z a-z 0-9 - . _ ~ written as %XX, for a URL.
 * Caller frees. */
char		*http_escape(const char *s);

/* check callbacks: a body that is a JSON object or array goes to parsed
 * (a json_t *); a 2xx answer whose body is not one is retried. */
enum http_verdict http_check_json(struct http_request *);

/* http_check_json() for a body the caller's check parsed itself (with
 * other flags, or jsonl_parse() to keep numbers' text): v is that value
 * (a new reference, handed over), NULL when the body is no JSON. */
struct json_t;
enum http_verdict http_check_parsed(struct http_request *, struct json_t *v);

/* The body of a webhook, read as a CGI program gets it (lib/net/cgi.c):
 * CONTENT_LENGTH bytes of standard input, else all of it, NUL-terminated
 * (its length, without the NUL, in *lenp).  A CONTENT_LENGTH that is not
 * a number, or a body over 64 MiB, exits 65; a read error exits 74. */
char		*http_cgi_body(size_t *lenp);

#endif
