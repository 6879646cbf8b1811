/* http.c: many HTTP calls at once on one libcurl multi handle, with
 * per-service limits, timeouts, retries with back-off and Retry-After. */
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "conf.h"
#include "http.h"
#include "xalloc.h"

#ifndef ORDERKIT_VERSION
#define ORDERKIT_VERSION "0.0"
#endif

const struct http_limits http_default_limits = {
	.timeout_ms = 30000,
	.connect_timeout_ms = 10000,
	.backoff_max_ms = 60000,
	.backoff_base_ms = 500,
	.retries = 5,
	.concurrency = 4,
	.rate_milli = 0,
	.max_response = 16 << 20,
	.ca_file = NULL,
};

struct http_service {
	struct http		*http;
	struct http_service	*next;
	char			*name, *keyname, *ca_file;
	struct http_limits	 lim;
	struct http_request	*head, *tail;	/* ready, in order */
	struct http_request	*delayed;	/* waiting to be tried again */
	int			 running;
	int64_t			 next_start_us;	/* the rate limit's */
	enum http_result	 state;
	char			 error[512];
};

struct http {
	CURLM			*multi;
	struct http_service	*services;
	CURL			**idle;		/* easy handles to reuse */
	size_t			 nidle, capidle;
	int			 running;
	struct http_stats	 stats;
	unsigned		 seed;
	void			(*hook)(void *);
	void			*hook_arg;
};

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
http_limits_conf(struct http_limits *lim, const struct conf *c,
    const char *section, const char *name, const struct http_limits *def)
{
	int64_t max = INT64_C(86400000);
	const char *ca;

	if (def == NULL)
		def = &http_default_limits;
	*lim = *def;
	lim->timeout_ms = conf_millis(c, section, name, "http", "timeout",
	    def->timeout_ms, max);
	if (lim->timeout_ms == 0)
		lim->timeout_ms = def->timeout_ms;
	lim->connect_timeout_ms = lim->timeout_ms < def->connect_timeout_ms ?
	    lim->timeout_ms : def->connect_timeout_ms;
	lim->backoff_max_ms = conf_millis(c, section, name, "http",
	    "backoff_max", def->backoff_max_ms, max);
	if (lim->backoff_base_ms > lim->backoff_max_ms)
		lim->backoff_base_ms = lim->backoff_max_ms;
	lim->retries = (int)conf_long(c, section, name, "http", "retries",
	    def->retries, 0, 100);
	lim->concurrency = (int)conf_long(c, section, name, "http",
	    "concurrency", def->concurrency, 1, 1000);
	lim->rate_milli = conf_millis(c, section, name, "http", "rate",
	    def->rate_milli, INT64_C(1000000000));
	lim->max_response = (size_t)conf_long(c, section, name, "http",
	    "max_response", (long)def->max_response, 1024, 1L << 30);
	if ((ca = conf_get(c, section, name, "ca_file")) != NULL && *ca != '\0')
		lim->ca_file = ca;
}

int64_t
http_backoff(const struct http_limits *lim, int attempt, int64_t retry_after,
    unsigned jitter)
{
	int64_t d;

	if (retry_after < 0)		/* a date already past */
		return 0;
	if (retry_after > 0) {
		if (retry_after > lim->backoff_max_ms / 1000 + 1)
			return lim->backoff_max_ms;
		d = retry_after * 1000;
		return d < lim->backoff_max_ms ? d : lim->backoff_max_ms;
	}
	d = lim->backoff_base_ms;
	while (--attempt > 0 && d < lim->backoff_max_ms)
		d *= 2;
	if (d > lim->backoff_max_ms)
		d = lim->backoff_max_ms;
	/* "Equal jitter": half the wait is fixed, half is random, so that
	 * many clients failing at once do not come back at once. */
	return d / 2 + (d - d / 2) * (int64_t)(jitter % 1000) / 1000;
}

struct http *
http_new(void)
{
	static int inited;
	struct http *h;

	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			errx(EX_OSERR, "cannot initialise libcurl");
		inited = 1;
	}
	h = xcalloc(1, sizeof(*h));
	if ((h->multi = curl_multi_init()) == NULL)
		errx(EX_OSERR, "cannot initialise libcurl");
	/* Keep idle connections across a quiet moment (a batch being
	 * written), rather than libcurl's few per transfer in flight. */
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, 256L);
	h->seed = (unsigned)now_us() ^ (unsigned)getpid();
	return h;
}

static void
request_free(struct http_request *r)
{
	if (r->parsed != NULL && r->parsed_free != NULL)
		r->parsed_free(r->parsed);
	curl_slist_free_all(r->headers);
	if (r->userpwd != NULL)
		explicit_bzero(r->userpwd, strlen(r->userpwd));
	free(r->userpwd);
	free(r->method);
	free(r->url);
	free(r->req_body);
	free(r->body);
	free(r);
}

void
http_request_free(struct http_request *r)
{
	request_free(r);
}

static void
free_list(struct http_request *r)
{
	struct http_request *next;

	for (; r != NULL; r = next) {
		next = r->next;
		request_free(r);
	}
}

void
http_free(struct http *h)
{
	struct http_service *s, *next;
	size_t i;

	if (h == NULL)
		return;
	for (s = h->services; s != NULL; s = next) {
		next = s->next;
		free_list(s->head);
		free_list(s->delayed);
		free(s->name);
		free(s->keyname);
		free(s->ca_file);
		free(s);
	}
	for (i = 0; i < h->nidle; i++)
		curl_easy_cleanup(h->idle[i]);
	free(h->idle);
	curl_multi_cleanup(h->multi);
	free(h);
}

struct http_service *
http_service_new(struct http *h, const char *name, const char *keyname,
    const struct http_limits *lim)
{
	struct http_service *s;

	s = xcalloc(1, sizeof(*s));
	s->http = h;
	s->name = xstrdup(name);
	s->keyname = xstrdup(keyname);
	s->lim = *lim;
	if (lim->ca_file != NULL)
		s->lim.ca_file = s->ca_file = xstrdup(lim->ca_file);
	if (s->lim.concurrency < 1)
		s->lim.concurrency = 1;
	s->state = HTTP_OK;
	s->next = h->services;
	h->services = s;
	return s;
}

enum http_result
http_service_state(const struct http_service *s)
{
	return s->state;
}

const char *
http_service_error(const struct http_service *s)
{
	return s->error;
}

const char *
http_service_name(const struct http_service *s)
{
	return s->name;
}

struct http_request *
http_request_new(struct http_service *s, const char *method, const char *url)
{
	struct http_request *r;

	r = xcalloc(1, sizeof(*r));
	r->service = s;
	r->method = xstrdup(method);
	r->url = xstrdup(url);
	return r;
}

void
http_header(struct http_request *r, const char *fmt, ...)
{
	struct curl_slist *l;
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	if ((l = curl_slist_append(r->headers, line)) == NULL)
		xnomem();
	r->headers = l;
	explicit_bzero(line, strlen(line));
	free(line);
}

void
http_body(struct http_request *r, const char *type, const char *body,
    size_t len)
{
	free(r->req_body);
	r->req_body = xmalloc(len + 1);
	memcpy(r->req_body, body, len);
	r->req_body[len] = '\0';
	r->req_len = len;
	if (type != NULL)
		http_header(r, "Content-Type: %s", type);
}

void
http_basic_auth(struct http_request *r, const char *user,
    const char *password)
{
	size_t n = strlen(user) + strlen(password) + 2;

	free(r->userpwd);
	r->userpwd = xmalloc(n);
	snprintf(r->userpwd, n, "%s:%s", user, password);
}

static void
append(struct http_request **head, struct http_request **tail,
    struct http_request *r)
{
	r->next = NULL;
	if (*tail != NULL)
		(*tail)->next = r;
	else
		*head = r;
	*tail = r;
}

void
http_send(struct http_request *r)
{
	struct http_service *s = r->service;

	r->result = HTTP_PENDING;
	append(&s->head, &s->tail, r);
}

void
http_send_later(struct http_request *r, int64_t delay_ms)
{
	struct http_service *s = r->service;

	r->result = HTTP_PENDING;
	r->not_before = now_us() + (delay_ms > 0 ? delay_ms : 0) * 1000;
	r->next = s->delayed;
	s->delayed = r;
}

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct http_request *r = arg;
	size_t len = size * n;

	if (r->len + len > r->service->lim.max_response) {
		r->too_big = 1;
		return 0;
	}
	if (r->len + len + 1 > r->cap) {
		while (r->len + len + 1 > r->cap)
			r->cap = r->cap ? r->cap * 2 : 4096;
		r->body = xrealloc(r->body, r->cap);
	}
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

#define SETOPT(e, opt, val) do {					\
	if (curl_easy_setopt((e), (opt), (val)) != CURLE_OK)		\
		errx(EX_SOFTWARE, "libcurl: cannot set %s", #opt);	\
} while (0)

static void
start(struct http *h, struct http_request *r)
{
	struct http_service *s = r->service;
	CURL *e;

	if (h->nidle > 0) {
		e = h->idle[--h->nidle];
		curl_easy_reset(e);
	} else if ((e = curl_easy_init()) == NULL)
		xnomem();
	r->easy = e;
	r->attempts++;
	r->len = 0;
	r->too_big = 0;
	r->errbuf[0] = '\0';
	if (r->body != NULL)
		r->body[0] = '\0';
	SETOPT(e, CURLOPT_URL, r->url);
	SETOPT(e, CURLOPT_PRIVATE, r);
	SETOPT(e, CURLOPT_WRITEFUNCTION, on_data);
	SETOPT(e, CURLOPT_WRITEDATA, r);
	SETOPT(e, CURLOPT_ERRORBUFFER, r->errbuf);
	SETOPT(e, CURLOPT_NOSIGNAL, 1L);
	SETOPT(e, CURLOPT_TIMEOUT_MS, (long)s->lim.timeout_ms);
	SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, (long)s->lim.connect_timeout_ms);
	SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(e, CURLOPT_USERAGENT, "orderkit/" ORDERKIT_VERSION);
	SETOPT(e, CURLOPT_TCP_KEEPALIVE, 1L);
	SETOPT(e, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->lim.ca_file != NULL)
		SETOPT(e, CURLOPT_CAINFO, s->lim.ca_file);
	if (r->userpwd != NULL) {
		SETOPT(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SETOPT(e, CURLOPT_USERPWD, r->userpwd);
	}
	if (strcmp(r->method, "POST") == 0) {
		SETOPT(e, CURLOPT_POST, 1L);
		SETOPT(e, CURLOPT_POSTFIELDS, r->req_body != NULL ?
		    r->req_body : "");
		SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->req_len);
	} else if (strcmp(r->method, "GET") != 0) {
		SETOPT(e, CURLOPT_CUSTOMREQUEST, r->method);
		if (r->req_body != NULL) {
			SETOPT(e, CURLOPT_POSTFIELDS, r->req_body);
			SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)r->req_len);
		}
	}
	if (r->req_body != NULL && r->attempts == 1) {
		/* No "Expect: 100-continue" round trip before a body. */
		http_header(r, "Expect:");
	}
	if (r->headers != NULL)
		SETOPT(e, CURLOPT_HTTPHEADER, r->headers);
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
		errx(EX_SOFTWARE, "libcurl: cannot add a transfer");
	s->running++;
	h->running++;
	h->stats.requests++;
}

/* The request is over: tell its owner, then free it. */
static void
complete(struct http_request *r, enum http_result result)
{
	r->result = result;
	if (r->done != NULL)
		r->done(r);
	request_free(r);
}

/* The service failed: end what waits for it. */
static void
service_fail(struct http_service *s, enum http_result state)
{
	struct http_request *r;

	s->state = state;
	while ((r = s->head) != NULL) {
		s->head = r->next;
		complete(r, state);
	}
	s->tail = NULL;
	while ((r = s->delayed) != NULL) {
		s->delayed = r->next;
		complete(r, state);
	}
}

static void
fail(struct http_request *r, enum http_result state, const char *fmt, ...)
{
	struct http_service *s = r->service;
	va_list ap;

	if (s->state == HTTP_OK) {
		va_start(ap, fmt);
		vsnprintf(s->error, sizeof(s->error), fmt, ap);
		va_end(ap);
	}
	complete(r, state);
	if (s->state == HTTP_OK)
		service_fail(s, state);
}

/* Try again later, or give the service up. */
static void
again(struct http *h, struct http_request *r, const char *why,
    int64_t retry_after)
{
	struct http_service *s = r->service;

	if (r->attempts > s->lim.retries || s->state != HTTP_OK) {
		fail(r, HTTP_DOWN, "%s, %d %s", why, r->attempts,
		    r->attempts == 1 ? "try" : "tries");
		return;
	}
	h->stats.retries++;
	r->not_before = now_us() + 1000 * http_backoff(&s->lim, r->attempts,
	    retry_after, (unsigned)rand_r(&h->seed));
	if (r->parsed != NULL && r->parsed_free != NULL)
		r->parsed_free(r->parsed);
	r->parsed = NULL;
	r->next = s->delayed;
	s->delayed = r;
}

static int
tls_failure(CURLcode rc)
{
	return rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_ISSUER_ERROR ||
	    rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

static void
finish(struct http *h, CURL *e, CURLcode rc)
{
	struct http_request *r;
	struct http_service *s;
	enum http_verdict v;
	curl_off_t retry_after = 0;
	long connects = 0, sent = 0;
	char why[320];
	char *url;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	s = r->service;
	curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
	h->stats.connections += connects;
	r->status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &sent);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after);
	curl_multi_remove_handle(h->multi, e);
	r->easy = NULL;
	if (h->nidle == h->capidle) {
		h->capidle = h->capidle ? h->capidle * 2 : 16;
		h->idle = xrealloc(h->idle, h->capidle * sizeof(*h->idle));
	}
	h->idle[h->nidle++] = e;
	s->running--;
	h->running--;
	if (r->body == NULL) {
		r->body = xmalloc(1);
		r->body[0] = '\0';
		r->cap = 1;
	}
	url = r->url;
	if (rc == CURLE_OK) {
		v = r->check != NULL ? r->check(r) : HTTP_DEFAULT;
		if (v == HTTP_DEFAULT)
			v = r->status >= 500 || r->status == 429 ||
			    r->status == 408 ? HTTP_RETRY : HTTP_ACCEPT;
		if (v == HTTP_ACCEPT) {
			complete(r, HTTP_OK);
			return;
		}
		if (r->once && r->status != 429 && r->status != 408) {
			complete(r, HTTP_DOUBT);
			return;
		}
		if (r->status >= 200 && r->status < 300)
			snprintf(why, sizeof(why), "HTTP %ld with a body that "
			    "is not what the service sends", r->status);
		else
			snprintf(why, sizeof(why), "HTTP %ld", r->status);
		/* A negative Retry-After is a date already past: clamp. */
		again(h, r, why, retry_after < 0 ? -1 : (int64_t)retry_after);
		return;
	}
	if (tls_failure(rc)) {
		fail(r, HTTP_TLS, "cannot verify the TLS certificate of '%s': "
		    "%s; a private CA goes in %s ca_file", url,
		    r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc),
		    s->keyname);
		return;
	}
	if (rc == CURLE_SSL_CACERT_BADFILE) {
		fail(r, HTTP_CONFIG, "cannot use %s ca_file '%s': %s",
		    s->keyname, s->lim.ca_file != NULL ? s->lim.ca_file : "",
		    r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
		return;
	}
	if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
		fail(r, HTTP_CONFIG, "bad %s url '%s': %s", s->keyname, url,
		    curl_easy_strerror(rc));
		return;
	}
	if (rc == CURLE_WRITE_ERROR && r->too_big) {
		fail(r, HTTP_DOWN, "an answer from '%s' larger than %zu bytes",
		    url, s->lim.max_response);
		return;
	}
	snprintf(why, sizeof(why), "%s",
	    r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	/* Sent, perhaps carried out, no answer: not to be sent again. */
	if (r->once && sent > 0 && rc != CURLE_COULDNT_CONNECT &&
	    rc != CURLE_COULDNT_RESOLVE_HOST &&
	    rc != CURLE_COULDNT_RESOLVE_PROXY) {
		snprintf(r->errbuf, sizeof(r->errbuf), "%.200s", why);
		complete(r, HTTP_DOUBT);
		return;
	}
	again(h, r, why, 0);
}

/* Start what may start; the time of the next thing to wake for. */
static int64_t
start_ready(struct http *h, int *pending)
{
	struct http_service *s;
	struct http_request *r, **pp;
	int64_t now = now_us(), wake = INT64_MAX, interval;

	*pending = 0;
	for (s = h->services; s != NULL; s = s->next) {
		/* Those whose wait is over rejoin the queue. */
		for (pp = &s->delayed; (r = *pp) != NULL; ) {
			if (r->not_before <= now) {
				*pp = r->next;
				append(&s->head, &s->tail, r);
				continue;
			}
			if (r->not_before < wake)
				wake = r->not_before;
			*pending = 1;
			pp = &r->next;
		}
		if (s->state != HTTP_OK && s->head != NULL) {
			service_fail(s, s->state);
			continue;
		}
		interval = s->lim.rate_milli > 0 ?
		    INT64_C(1000000000) / s->lim.rate_milli : 0;
		while (s->head != NULL && s->running < s->lim.concurrency) {
			if (interval > 0 && now < s->next_start_us) {
				if (s->next_start_us < wake)
					wake = s->next_start_us;
				break;
			}
			r = s->head;
			if ((s->head = r->next) == NULL)
				s->tail = NULL;
			start(h, r);
			if (interval > 0)
				s->next_start_us = (s->next_start_us > now ?
				    s->next_start_us : now) + interval;
		}
		if (s->head != NULL)
			*pending = 1;
	}
	return wake;
}

void
http_run(struct http *h)
{
	CURLMsg *msg;
	int64_t wake, now, wait_ms;
	int still, pending, finished, left;

	for (;;) {
		wake = start_ready(h, &pending);
		if (h->running == 0 && !pending)
			break;
		curl_multi_perform(h->multi, &still);
		finished = 0;
		while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			finish(h, msg->easy_handle, msg->data.result);
			finished = 1;
		}
		if (finished)
			continue;
		/* The new calls are out: the caller's turn, then a wait. */
		if (h->hook != NULL)
			h->hook(h->hook_arg);
		now = now_us();
		wait_ms = wake == INT64_MAX ? 1000 : (wake - now + 999) / 1000;
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (wait_ms < 0)
			wait_ms = 0;
		curl_multi_poll(h->multi, NULL, 0, (int)wait_ms, NULL);
	}
}

void
http_set_hook(struct http *h, void (*fn)(void *), void *arg)
{
	h->hook = fn;
	h->hook_arg = arg;
}

void
http_stats(const struct http *h, struct http_stats *st)
{
	*st = h->stats;
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out, *p;

	out = p = xmalloc(strlen(s) * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char c = *s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			*p++ = c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

static void
json_free(void *p)
{
	json_decref(p);
}

enum http_verdict
http_check_json(struct http_request *r)
{
	return http_check_parsed(r, json_loadb(r->body, r->len, 0, NULL));
}

enum http_verdict
http_check_parsed(struct http_request *r, json_t *v)
{
	if (v != NULL && !json_is_object(v) && !json_is_array(v)) {
		json_decref(v);
		v = NULL;
	}
	if (r->parsed != NULL && r->parsed_free != NULL)
		r->parsed_free(r->parsed);
	r->parsed = v;
	r->parsed_free = json_free;
	if (v == NULL && r->status >= 200 && r->status < 300)
		return HTTP_RETRY;
	return HTTP_DEFAULT;
}
