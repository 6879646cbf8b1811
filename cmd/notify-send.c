/* notify-send: tell customers and staff what happened to an order, once,
 * by the channel they use, in their language. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "msg.h"
#include "notify.h"
#include "outbox.h"
#include "reject.h"
#include "rfc3339.h"
#include "store.h"
#include "xalloc.h"

#ifndef ORDERKIT_DATADIR
#define ORDERKIT_DATADIR "/usr/local/share/orderkit"
#endif

static const char usage_text[] =
    "usage: notify-send [--db PATH|URL] [--config FILE] [--templates DIR]\n"
    "                   [--event auto|NAME] [--channel LIST] [--staff]\n"
    "                   [--lang en|ru|uk] [--quiet HH:MM-HH:MM] [--now TIME]\n"
    "                   [--dry-run DIR] [--progress | --no-progress]\n"
    "                   [--rejects FILE] [--stats[=json|FILE]] [--strict]\n"
    "                   [FILE ...]\n";

enum { OPT_CHANNEL = 0x200, OPT_CONFIG, OPT_DB, OPT_DRY_RUN, OPT_EVENT,
    OPT_LANG, OPT_NOW, OPT_QUIET, OPT_STAFF, OPT_TEMPLATES };

static const struct option longopts[] = {
	{ "channel",	required_argument, NULL, OPT_CHANNEL },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	{ "dry-run",	required_argument, NULL, OPT_DRY_RUN },
	{ "event",	required_argument, NULL, OPT_EVENT },
	CLI_OPT_HELP,
	{ "lang",	required_argument, NULL, OPT_LANG },
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	CLI_OPT_PROGRESS,
	{ "quiet",	required_argument, NULL, OPT_QUIET },
	CLI_OPT_REJECTS,
	{ "staff",	no_argument,	   NULL, OPT_STAFF },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "templates",	required_argument, NULL, OPT_TEMPLATES },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--channel LIST", "the channels, comma-separated, for every record" },
	{ "--config FILE", "the configuration (orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	{ "--dry-run DIR", "render each message into DIR; send nothing" },
	{ "--event auto|NAME", "the event of every record (default: auto)" },
	CLI_ITEM_HELP,
	{ "--lang en|ru|uk", "the language of records without one, and the "
	    "staff's" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339)" },
	CLI_ITEM_PROGRESS,
	{ "--quiet HH:MM-HH:MM", "no SMS between these local times" },
	CLI_ITEM_REJECTS,
	{ "--staff", "send every message to the staff" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	{ "--templates DIR", "templates that override the shipped ones" },
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 69, 70, 71, 73, 74, 75, 78,
    -1 };
static const struct cli_help help_text = {
	"Tell customers and staff what happened to an order, once, in their "
	    "language.",
	help_options, help_exits, "notify-send(1)"
};

/* The run: the window of notify.h and what the program counts. */
struct run {
	struct cli		 cli;
	struct reject_stream	 rejects;
	struct notify_window	 w;
	int			 status, out_failed;
	unsigned long		 nin, nsent, nqueued, nfailed, nskipped;
	unsigned long		 nrejects;
};

/* --- output --------------------------------------------------------------- */

static const char *const fate_names[] = {
	[NOTIFY_FATE_SKIPPED] = "skipped", [NOTIFY_FATE_QUEUED] = "queued",
	[NOTIFY_FATE_SEND] = "skipped", [NOTIFY_FATE_BUSY] = "skipped",
	[NOTIFY_FATE_SENT] = "sent", [NOTIFY_FATE_FAILED] = "failed",
};

static json_t *
note(struct run *r, const struct notify_job *j)
{
	json_t *n;
	char t[40];

	n = json_pack("{s:s,s:s,s:o,s:s}", "event", j->event, "channel",
	    j->channel, "recipient", jsonx_string_or_null(j->masked),
	    "status", fate_names[j->fate]);
	if (n == NULL)
		xnomem();
	if (j->message_id != NULL)
		jsonx_set_new(n, "message_id", json_string(j->message_id));
	if (j->why != NULL)
		jsonx_set_new(n, "reason", json_string(j->why));
	if (j->fate == NOTIFY_FATE_QUEUED && j->retry_at != 0)
		jsonx_set_new(n, "retry_at", json_string(rfc3339_format(
		    j->retry_at, r->w.offset, t, sizeof(t))));
	if (j->file != NULL)
		jsonx_set_new(n, "file", json_string(j->file));
	switch (j->fate) {
	case NOTIFY_FATE_SENT:
		r->nsent++;
		break;
	case NOTIFY_FATE_QUEUED:
		r->nqueued++;
		break;
	case NOTIFY_FATE_FAILED:
		r->nfailed++;
		break;
	default:
		r->nskipped++;
	}
	return n;
}

static void
write_line(struct run *r, struct notify_line *l)
{
	json_t *old;
	size_t i;

	if (l->notes == NULL) {		/* nothing to say: passed on */
		if (jsonl_write(stdout, l->record) == -1)
			r->out_failed = 1;
		return;
	}
	for (i = 0; i < r->w.njobs; i++)
		if (r->w.jobs[i]->line == l)
			jsonx_append_new(l->notes, note(r, r->w.jobs[i]));
	if (l->rendered == 0 && l->unrendered > 0 && l->errors != NULL) {
		reject_write(&r->rejects, l->record, l->errors);
		r->nrejects++;
		return;
	}
	old = json_object_get(l->record, "notifications");
	if (json_is_array(old))
		json_array_extend(old, l->notes);
	else
		jsonx_set_new(l->record, "notifications", json_incref(l->notes));
	if (jsonl_write(stdout, l->record) == -1)
		r->out_failed = 1;
}

static void
process_window(struct run *r)
{
	size_t i, upto;

	for (i = 0; i < r->w.nlines; i++)
		notify_plan(&r->w, &r->w.lines[i]);
	notify_send_jobs(&r->w, 0);
	upto = r->w.njobs;
	if (r->w.dry_run == NULL)
		notify_second_pass(&r->w, upto);
	for (i = 0; i < r->w.nlines && !r->out_failed; i++)
		write_line(r, &r->w.lines[i]);
	if (fflush(stdout) == EOF || ferror(stdout))
		r->out_failed = 1;
	notify_window_clear(&r->w);
}

/* --- the end -------------------------------------------------------------- */

static int
parse_hhmm(const char *s, const char **end)
{
	int h, m;

	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	*end = s + 5;
	return h < 24 ? h * 60 + m : -1;
}

static int
parse_quiet(struct run *r, const char *s)
{
	const char *end;

	if ((r->w.quiet_from = parse_hhmm(s, &end)) < 0 || *end != '-' ||
	    (r->w.quiet_to = parse_hhmm(end + 1, &end)) < 0 || *end != '\0')
		return -1;
	return 0;
}

/* Where templates are: --templates, $ORDERKIT_DATADIR/templates, the
 * installed ones, the checkout's this program was built from.  Those that
 * exist; none at all is a broken installation. */
static void
locate_templates(struct run *r, const char *arg)
{
	static char env[PATH_MAX + 16];
	static const char *const builtin[] = {
		ORDERKIT_DATADIR "/templates",
#ifdef ORDERKIT_SRCDIR
		ORDERKIT_SRCDIR "/templates",
#endif
	};
	const char *d;
	struct stat sb;
	size_t i;

	if (arg != NULL) {
		if (stat(arg, &sb) == -1)
			err(EX_NOINPUT, "cannot open '%s'", arg);
		if (!S_ISDIR(sb.st_mode))
			errx(EX_NOINPUT, "cannot read '%s': Not a directory",
			    arg);
		r->w.tmpl.dirs[r->w.tmpl.n++] = arg;
	}
	if ((d = getenv("ORDERKIT_DATADIR")) != NULL && *d != '\0') {
		snprintf(env, sizeof(env), "%s/templates", d);
		if (stat(env, &sb) == 0 && S_ISDIR(sb.st_mode))
			r->w.tmpl.dirs[r->w.tmpl.n++] = env;
	}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (stat(builtin[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			r->w.tmpl.dirs[r->w.tmpl.n++] = builtin[i];
	if (r->w.tmpl.n == 0)
		errx(EX_CONFIG, "no templates: neither '%s' nor "
		    "$ORDERKIT_DATADIR/templates exists", builtin[0]);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct http_stats hs;
	struct conf *conf;
	const char *config_arg = NULL, *db_arg = NULL, *templates_arg = NULL;
	const char *v;
	char *where, *copy, *p, *tok;
	enum msg_lang ml;
	json_t *rec;
	int ch, status, staff;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.cli.help = &help_text;
	r.w.now = (int64_t)time(NULL);
	r.w.quiet_from = r.w.quiet_to = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CHANNEL:
			copy = xstrdup(optarg);
			for (p = copy; (tok = strsep(&p, ",")) != NULL; )
				if (*tok != '\0' &&
				    notify_channel_ops(tok) == NULL)
					cli_usage_error(&r.cli, "--channel "
					    "'%s': no such channel (email, sms, "
					    "telegram, slack, webhook)", tok);
			free(copy);
			r.w.channel_arg = optarg;
			break;
		case OPT_CONFIG:
			config_arg = optarg;
			break;
		case OPT_DB:
			db_arg = optarg;
			break;
		case OPT_DRY_RUN:
			r.w.dry_run = optarg;
			break;
		case OPT_EVENT:
			if (strcmp(optarg, "auto") != 0 &&
			    !notify_event_known(optarg, &staff))
				cli_usage_error(&r.cli, "--event '%s': no such "
				    "event", optarg);
			r.w.event_arg = optarg;
			break;
		case OPT_LANG:
			if (msg_lang_parse(optarg, &ml) == -1)
				cli_usage_error(&r.cli, "--lang '%s': not en, "
				    "ru or uk", optarg);
			r.w.lang_arg = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.w.now, &r.w.offset) == -1)
				cli_usage_error(&r.cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_QUIET:
			if (parse_quiet(&r, optarg) == -1)
				cli_usage_error(&r.cli, "--quiet '%s' is not "
				    "HH:MM-HH:MM", optarg);
			break;
		case OPT_STAFF:
			r.w.staff_arg = 1;
			break;
		case OPT_TEMPLATES:
			templates_arg = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	cli_need_input(&r.cli, argc - optind);
	rfc3339_format(r.w.now, r.w.offset, r.w.now_text,
	    sizeof(r.w.now_text));
	r.w.conf = conf = conf_load(config_arg);
	if (r.w.quiet_from < 0 && (v = conf_get(conf, "notify", NULL,
	    "quiet")) != NULL && *v != '\0' && parse_quiet(&r, v) == -1)
		errx(EX_CONFIG, "[notify] quiet '%s' is not HH:MM-HH:MM", v);
	r.w.retries = conf_long(conf, "notify", NULL, NULL, "retries", 5, 0,
	    100);
	v = r.w.lang_arg != NULL ? r.w.lang_arg : conf_get(conf, "shop", NULL,
	    "lang");
	r.w.staff_lang = v == NULL || msg_lang_parse(v, &ml) == -1 ? "en" :
	    ml == MSG_RU ? "ru" : ml == MSG_UK ? "uk" : "en";
	locate_templates(&r, templates_arg);
	if (r.w.dry_run != NULL && mkdir(r.w.dry_run, 0777) == -1 &&
	    errno != EEXIST)
		err(EX_CANTCREAT, "cannot create '%s'", r.w.dry_run);
	reject_open(&r.rejects, r.cli.rejects_path);
	if (r.w.dry_run == NULL) {
		where = store_locate(db_arg);
		r.w.st = store_open(where, store_outbox_migrations,
		    store_outbox_nmigrations);
		free(where);
		outbox_init(&r.w.ob, r.w.st, conf_long(conf, "notify", NULL,
		    NULL, "lease", 600, 1, 86400 * 7));
		r.w.ob.clock = r.w.now;
	}
	r.w.http = http_new();
	jsonl_open(&in, argc - optind, argv + optind);
	while (!r.out_failed && (rec = reject_read(&r.rejects, &in)) != NULL) {
		r.nin++;
		memset(&r.w.lines[r.w.nlines], 0, sizeof(r.w.lines[0]));
		r.w.lines[r.w.nlines++].record = rec;
		if (r.w.nlines == NOTIFY_WINDOW)
			process_window(&r);
	}
	if (r.w.nlines > 0 && !r.out_failed)
		process_window(&r);
	notify_window_clear(&r.w);
	r.nrejects += in.nlines - r.nin;	/* bad_json lines */
	for (i = 0; i < NOTIFY_NCHANNELS && r.w.channels[i] != NULL; i++)
		if (r.w.channels[i]->status != 0) {
			warnx("%s: %s; its messages are sent next run",
			    r.w.channels[i]->ops->name, r.w.channels[i]->error);
			r.status = cli_worse(r.status, r.w.channels[i]->status);
		}
	r.status = cli_worse(r.status, jsonl_close(&in));
	if (r.out_failed)
		r.cli.out_error = "cannot write '<stdout>'; what was sent is "
		    "not sent again";
	http_stats(r.w.http, &hs);
	cli_count("in", r.nin);
	cli_count("sent", r.nsent);
	cli_count("queued", r.nqueued);
	cli_count("failed", r.nfailed);
	cli_count("skipped", r.nskipped);
	cli_count("requests", hs.requests);
	cli_count("retries", hs.retries);
	cli_count("connections", hs.connections);
	status = cli_finish(&r.cli, r.status, &r.rejects, "%lu in, %lu sent, "
	    "%lu queued, %lu failed, %lu skipped, %lu rejected", r.nin,
	    r.nsent, r.nqueued, r.nfailed, r.nskipped, r.nrejects);
	notify_window_free(&r.w);
	http_free(r.w.http);
	if (r.w.st != NULL)
		store_close(r.w.st);
	conf_free(conf);
	return status;
}
