/* email.c: the email channel: an RFC 5322 message (quoted-printable
 * UTF-8, an HTML alternative, RFC 2047 words) sent by SMTP through
 * libcurl, one connection for all of a run's messages. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <curl/curl.h>

#include "conf.h"
#include "notify.h"
#include "rfc3339.h"
#include "utf8.h"
#include "xalloc.h"

enum tls { TLS_STARTTLS, TLS_IMPLICIT, TLS_NONE };

struct smtp {
	CURL		*e;
	const char	*url, *user, *password, *from, *from_name;
	const char	*reply_to, *unsubscribe, *ca_file;
	enum tls	 tls;
	long		 timeout_ms;
	char		 domain[256];
	/* the message being sent */
	const char	*data;
	size_t		 len, off;
};

struct buf {
	char	*s;
	size_t	 len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
base64(struct buf *b, const unsigned char *in, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		q[0] = a[v >> 18 & 63];
		q[1] = a[v >> 12 & 63];
		q[2] = i + 1 < n ? a[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? a[v & 63] : '=';
		put(b, q, 4);
	}
}

static int
plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* s as RFC 2047 encoded words of whole UTF-8 characters, folded between
 * them; as it is when it is printable ASCII (quoted when a phrase). */
static void
header_text(struct buf *b, const char *s, int phrase)
{
	size_t n = strlen(s), i = 0, chunk, l;

	if (plain_ascii(s)) {
		if (phrase && strpbrk(s, "()<>[]:;@\\,.\"") != NULL) {
			puts_(b, "\"");
			for (; *s != '\0'; s++) {
				if (*s == '"' || *s == '\\')
					puts_(b, "\\");
				put(b, s, 1);
			}
			puts_(b, "\"");
		} else
			puts_(b, s);
		return;
	}
	while (i < n) {
		for (chunk = 0; i + chunk < n; chunk += l) {
			l = utf8_seqlen((const unsigned char *)s + i + chunk,
			    n - i - chunk);
			if (l == 0)
				l = 1;
			if (chunk + l > 45)
				break;
		}
		if (i > 0)
			puts_(b, "\r\n ");
		puts_(b, "=?UTF-8?B?");
		base64(b, (const unsigned char *)s + i, chunk);
		puts_(b, "?=");
		i += chunk;
	}
}

/* text as quoted-printable with CRLF line ends; a line starting with a
 * dot stays as it is (SMTP's dot-stuffing is libcurl's). */
static void
qp(struct buf *b, const char *text)
{
	static const char hexd[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	char enc[4];
	size_t col = 0, n;
	int last;

	for (; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n') {
			puts_(b, "\r\n");
			col = 0;
			continue;
		}
		last = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' &&
		    p[2] == '\n');
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !last)) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hexd[*p >> 4];
			enc[2] = hexd[*p & 15];
			n = 3;
		}
		if (col + n > 75) {
			puts_(b, "=\r\n");
			col = 0;
		}
		put(b, enc, n);
		col += n;
	}
	if (col > 0)
		puts_(b, "\r\n");
}

static void
date(struct buf *b, int64_t now, int offset)
{
	static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
	    "Tue", "Wed" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char t[40], out[64];
	int y, m, d, hh, mm, ss, a = offset < 0 ? -offset : offset;
	int64_t local = now + (int64_t)offset * 60, days;

	rfc3339_format(now, offset, t, sizeof(t));
	sscanf(t, "%d-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mm, &ss);
	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	snprintf(out, sizeof(out), "%s, %d %s %d %02d:%02d:%02d %c%02d%02d",
	    wd[((days % 7) + 7) % 7], d, mon[m - 1], y, hh, mm, ss,
	    offset < 0 ? '-' : '+', a / 60, a % 60);
	puts_(b, out);
}

static void
address(struct buf *b, const char *name, const char *addr)
{
	if (name != NULL && *name != '\0') {
		header_text(b, name, 1);
		puts_(b, " <");
		puts_(b, addr);
		puts_(b, ">");
	} else
		puts_(b, addr);
}

static char *
render(struct notify_channel *c, struct notify_msg *m, size_t *len)
{
	struct smtp *s = c->state;
	struct buf b = { NULL, 0, 0 };
	char boundary[64];

	puts_(&b, "Date: ");
	date(&b, m->now, m->offset);
	puts_(&b, "\r\nFrom: ");
	address(&b, s->from_name, s->from);
	puts_(&b, "\r\nTo: ");
	address(&b, m->recipient_name, m->recipient);
	if (s->reply_to != NULL) {
		puts_(&b, "\r\nReply-To: ");
		puts_(&b, s->reply_to);
	}
	puts_(&b, "\r\nSubject: ");
	header_text(&b, m->subject != NULL ? m->subject : "", 0);
	puts_(&b, "\r\nMessage-ID: <");
	put(&b, m->delivery, 32);
	puts_(&b, "@");
	puts_(&b, s->domain);
	puts_(&b, ">\r\nAuto-Submitted: auto-generated\r\n");
	if (s->unsubscribe != NULL) {
		puts_(&b, "List-Unsubscribe: <");
		puts_(&b, s->unsubscribe);
		puts_(&b, ">\r\n");
	}
	puts_(&b, "MIME-Version: 1.0\r\n");
	if (m->html != NULL) {
		snprintf(boundary, sizeof(boundary), "=_orderkit_%.16s",
		    m->delivery);
		puts_(&b, "Content-Type: multipart/alternative;\r\n"
		    " boundary=\"");
		puts_(&b, boundary);
		puts_(&b, "\"\r\n\r\n--");
		puts_(&b, boundary);
		puts_(&b, "\r\n");
	}
	puts_(&b, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	qp(&b, m->text);
	if (m->html != NULL) {
		puts_(&b, "--");
		puts_(&b, boundary);
		puts_(&b, "\r\nContent-Type: text/html; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		qp(&b, m->html);
		puts_(&b, "--");
		puts_(&b, boundary);
		puts_(&b, "--\r\n");
	}
	*len = b.len;
	return b.s;
}

static size_t
on_read(char *out, size_t size, size_t n, void *arg)
{
	struct smtp *s = arg;
	size_t k = size * n;

	if (k > s->len - s->off)
		k = s->len - s->off;
	memcpy(out, s->data + s->off, k);
	s->off += k;
	return k;
}

#define SETOPT(e, opt, val) do {					\
	if (curl_easy_setopt((e), (opt), (val)) != CURLE_OK)		\
		errx(EX_SOFTWARE, "libcurl: cannot set %s", #opt);	\
} while (0)

static void
open_(struct notify_channel *c)
{
	struct smtp *s = xcalloc(1, sizeof(*s));
	const char *tls, *at;

	c->state = s;
	s->url = conf_get(c->conf, "smtp", NULL, "url");
	s->from = conf_get(c->conf, "smtp", NULL, "from");
	if (s->from == NULL)
		s->from = conf_get(c->conf, "sender", NULL, "email");
	s->from_name = conf_get(c->conf, "smtp", NULL, "from_name");
	if (s->from_name == NULL)
		s->from_name = conf_get(c->conf, "shop", NULL, "name");
	s->reply_to = conf_get(c->conf, "smtp", NULL, "reply_to");
	s->unsubscribe = conf_get(c->conf, "smtp", NULL, "list_unsubscribe");
	s->user = conf_get(c->conf, "smtp", NULL, "user");
	s->password = conf_get(c->conf, "smtp", NULL, "password");
	s->ca_file = conf_get(c->conf, "smtp", NULL, "ca_file");
	s->timeout_ms = (long)conf_millis(c->conf, "smtp", NULL, "http",
	    "timeout", 30000, 600000);
	if (s->from == NULL)
		s->from = "orderkit@localhost";
	at = strrchr(s->from, '@');
	snprintf(s->domain, sizeof(s->domain), "%s", at != NULL ? at + 1 :
	    "localhost");
	tls = conf_get(c->conf, "smtp", NULL, "tls");
	if (s->url != NULL && strncmp(s->url, "smtps://", 8) == 0)
		s->tls = TLS_IMPLICIT;
	if (tls == NULL || *tls == '\0')
		;
	else if (strcmp(tls, "starttls") == 0 && s->tls != TLS_IMPLICIT)
		s->tls = TLS_STARTTLS;
	else if (strcmp(tls, "implicit") == 0 && s->tls == TLS_IMPLICIT)
		;
	else if (strcmp(tls, "none") == 0 && s->tls != TLS_IMPLICIT)
		s->tls = TLS_NONE;
	else
		errx(EX_CONFIG, "[smtp] tls '%s' does not fit url '%s': "
		    "starttls or none with smtp://, implicit with smtps://",
		    tls, s->url != NULL ? s->url : "");
}

/* What sending needs, asked for only when a message is to be sent (a
 * --dry-run needs no server). */
static int
ready(struct notify_channel *c)
{
	struct smtp *s = c->state;

	if (s->e != NULL)
		return 1;
	conf_need(c->conf, "smtp", NULL, "url");
	if (conf_get(c->conf, "sender", NULL, "email") == NULL)
		conf_need(c->conf, "smtp", NULL, "from");
	if (strncmp(s->url, "smtp://", 7) != 0 &&
	    strncmp(s->url, "smtps://", 8) != 0)
		errx(EX_CONFIG, "[smtp] url '%s' is neither smtp:// nor "
		    "smtps://", s->url);
	if ((s->e = curl_easy_init()) == NULL)
		errx(EX_OSERR, "out of memory");
	return 1;
}

static void
send_(struct notify_channel *c, struct notify_msg *m)
{
	struct smtp *s = c->state;
	struct curl_slist *rcpt;
	char from[320], to[320], errbuf[CURL_ERROR_SIZE];
	long code = 0;
	CURLcode rc;
	char *data;
	size_t len;

	if (c->status != 0) {
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	ready(c);
	data = render(c, m, &len);
	snprintf(from, sizeof(from), "<%s>", s->from);
	snprintf(to, sizeof(to), "<%s>", m->recipient);
	if ((rcpt = curl_slist_append(NULL, to)) == NULL)
		errx(EX_OSERR, "out of memory");
	s->data = data;
	s->len = len;
	s->off = 0;
	errbuf[0] = '\0';
	SETOPT(s->e, CURLOPT_URL, s->url);
	SETOPT(s->e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SETOPT(s->e, CURLOPT_MAIL_FROM, from);
	SETOPT(s->e, CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(s->e, CURLOPT_UPLOAD, 1L);
	SETOPT(s->e, CURLOPT_READFUNCTION, on_read);
	SETOPT(s->e, CURLOPT_READDATA, s);
	SETOPT(s->e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	SETOPT(s->e, CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(s->e, CURLOPT_NOSIGNAL, 1L);
	SETOPT(s->e, CURLOPT_TIMEOUT_MS, s->timeout_ms);
	SETOPT(s->e, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(s->e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file != NULL)
		SETOPT(s->e, CURLOPT_CAINFO, s->ca_file);
	SETOPT(s->e, CURLOPT_USE_SSL, s->tls == TLS_NONE ? (long)CURLUSESSL_NONE :
	    (long)CURLUSESSL_ALL);
	if (s->user != NULL && s->password != NULL) {
		SETOPT(s->e, CURLOPT_USERNAME, s->user);
		SETOPT(s->e, CURLOPT_PASSWORD, s->password);
	}
	rc = curl_easy_perform(s->e);
	curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	SETOPT(s->e, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	free(data);
	if (rc == CURLE_OK) {
		m->id = xmalloc(strlen(s->domain) + 40);
		sprintf(m->id, "<%.32s@%s>", m->delivery, s->domain);
		notify_msg_end(m, NOTIFY_SENT, NULL);
		return;
	}
	if (rc == CURLE_USE_SSL_FAILED) {
		notify_channel_fail(c, EX_UNAVAILABLE, "SMTP server '%s' does "
		    "not offer STARTTLS, which [smtp] tls = starttls requires",
		    s->url);
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	if (rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CONNECT_ERROR) {
		notify_channel_fail(c, EX_UNAVAILABLE, "cannot verify the TLS "
		    "certificate of '%s': %s; a private CA goes in [smtp] "
		    "ca_file", s->url, errbuf[0] ? errbuf :
		    curl_easy_strerror(rc));
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	if (rc == CURLE_LOGIN_DENIED) {
		notify_channel_fail(c, EX_CONFIG, "SMTP server '%s' refused "
		    "[smtp] user and password", s->url);
		notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
		return;
	}
	if (code >= 500 && code < 600) {
		m->refusal = xmalloc(16);
		snprintf(m->refusal, 16, "%ld", code);
		notify_msg_end(m, NOTIFY_REFUSED, "SMTP %ld: %s", code,
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return;
	}
	if (code >= 400 && code < 500) {
		notify_msg_end(m, NOTIFY_RETRY, "SMTP %ld: %s", code,
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return;
	}
	notify_channel_fail(c, EX_TEMPFAIL, "SMTP server '%s': %s", s->url,
	    errbuf[0] ? errbuf : curl_easy_strerror(rc));
	notify_msg_end(m, NOTIFY_RETRY, "%s", c->error);
}

static void
close_(struct notify_channel *c)
{
	struct smtp *s = c->state;

	if (s->e != NULL)
		curl_easy_cleanup(s->e);
	free(s);
}

const struct notify_channel_ops notify_email_ops = {
	"email", NOTIFY_ESC_NONE, open_, send_, render, close_
};
