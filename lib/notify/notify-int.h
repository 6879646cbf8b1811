/* notify-int.h: what plan.c and send.c share beyond notify.h: the
 * window's helpers, each named for its file. */
#ifndef NOTIFY_INT_H
#define NOTIFY_INT_H

#include <jansson.h>

#include "notify.h"

/* --- plan.c -------------------------------------------------------------- */

/* printf into a new string. */
char	*notify_xprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* o's key when a non-empty string (borrowed), else NULL. */
const char *notify_str(const json_t *o, const char *key);

/* A string or integer value as text: a new string, or NULL. */
char	*notify_id_text(const json_t *v);

/* The order a record is about: its id, else a problem's order_id; a new
 * string or NULL. */
char	*notify_order_id(const json_t *rec);

/* Set the job's fate and why (fmt NULL: no why). */
void	 notify_job_why(struct notify_job *, enum notify_fate,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The window's channel of ops, made on first use. */
struct notify_channel *notify_job_channel(struct notify_window *,
	    const struct notify_channel_ops *ops);

/* A new job of line l, appended to the window's. */
struct notify_job *notify_job_new(struct notify_window *,
	    struct notify_line *l, const char *event, const char *ch,
	    const char *recipient);

/* Whose address channel ch uses for the line (staff: the shop's): a new
 * string or NULL. */
char	*notify_recipient(struct notify_window *, const struct notify_line *,
	    const char *ch, int staff);

/* Fill the job's subject, text and HTML from its templates, or skip it. */
void	 notify_job_render(struct notify_window *, struct notify_job *);

/* A message of the line: the job set up, rendered, ready to send. */
struct notify_job *notify_plan_one(struct notify_window *,
	    struct notify_line *l, const char *event, const char *ch,
	    int staff);

#endif
