/* reject.h: the reject stream and the error records in it. */
#ifndef REJECT_H
#define REJECT_H

#include <stdio.h>

#include <jansson.h>

#include "jsonl.h"

struct reject_stream {
	FILE		*fp;		/* the file, or stderr */
	const char	*path;		/* its name for messages */
	unsigned long	 count;		/* records written */
	int		 human;		/* a line for a person, not JSON */
	json_t		*codes;		/* {CODE: errors with it, ...} */
};

/* Open path for appending (created 0666 & ~umask; a symbolic link only as
 * fileio_write() allows), or use standard error when path is NULL.  A file
 * that cannot be opened is fatal: message and exit 73 (EX_CANTCREAT),
 * before any record is read.  On standard error when it is a terminal, a
 * reject is one line for a person, "ID: CODE: MESSAGE; CODE: MESSAGE"
 * (the record's id, else its line), rather than the JSON record; JSON
 * whenever standard error is redirected. */
void	 reject_open(struct reject_stream *, const char *path);

/* The language of reject_add() and reject_addf() messages: msg_lang_env()
 * until a program sets another (order-validate --lang). */
void	 reject_set_lang(int lang);

/* Append {"code":code,"field":field,"message":message} to the array errors.
 * field may be NULL (the record as a whole): the key is then left out.
 * A message that lib/msg.h's msg_rejects table has in English is given in
 * the reject language (reject_set_lang()). */
void	 reject_add(json_t *errors, const char *code, const char *field,
	    const char *message);

/* The English text (a message or a printf(3) format) in the reject
 * language, for a program that formats its messages itself before
 * reject_add(). */
const char *reject_text(const char *english);

/* reject_add() with a printf(3) message; the format is translated (the
 * table's formats take the English one's arguments) before it is used. */
void	 reject_addf(json_t *errors, const char *code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Write record with its "errors" set to errors (record is changed: it gets
 * a new reference to errors) to the stream. */
void	 reject_write(struct reject_stream *, json_t *record, json_t *errors);

/* Write a reject for a line that is no record: {"line":N,"raw":"...",
 * "errors":[{"code":code,"message":message}]}, with "file" when file is
 * not NULL.  raw may hold any bytes. */
void	 reject_line(struct reject_stream *, const char *file,
	    unsigned long line, const char *raw, size_t len, const char *code,
	    const char *message);

/* The next record of in (read with jsonl_line() and jsonl_parse()): a new
 * reference to a JSON object, which the caller json_decref()s.  A line
 * that is not a JSON object is written to the stream as
 * {"line":N,"raw":"...","errors":[{"code":"bad_json",...}]} (with "file"
 * when in reads several operands), in in's language, and skipped.  NULL
 * at the end of input. */
json_t	*reject_read(struct reject_stream *, struct jsonl_reader *in);

/* The record of line[0..len-1], line lineno of the input named file
 * (jsonl_input_name()), a line jsonl_line() gave and the caller kept:
 * made as reject_read() makes it, a new reference to a JSON object, or
 * NULL after writing the bad_json reject.  For a program that reads lines
 * now and makes their records later. */
json_t	*reject_record(struct reject_stream *, const struct jsonl_reader *in,
	    const char *file, unsigned long lineno, const char *line,
	    size_t len);

/* Rejects made on a worker thread (lib/pipeline.h) and written later, in
 * input order, by the thread that owns the stream: the text
 * reject_write() would write, and per reject its errors' codes, each
 * ended by a NUL byte, and a '\n' (for the --stats counts).  Start
 * zeroed; grown with xrealloc(). */
struct reject_batch {
	struct jsonl_out text;
	struct jsonl_out codes;
};

/* reject_write() into rb rather than the stream: rs is only read (its
 * form, JSON or a person's line), so that any thread may call it. */
void	 reject_batch_add(const struct reject_stream *, struct reject_batch *,
	    json_t *record, json_t *errors);

/* reject_record() into rb, rs only read. */
json_t	*reject_batch_record(const struct reject_stream *,
	    struct reject_batch *, const struct jsonl_reader *in,
	    const char *file, unsigned long lineno, const char *line,
	    size_t len);

/* Write rb's text[from..to) to the stream and count the rejects and the
 * codes of codes[cfrom..cto), as reject_write() does: offsets that
 * reject_batch_add() left between rejects. */
void	 reject_batch_put(struct reject_stream *, const struct reject_batch *,
	    size_t from, size_t to, size_t cfrom, size_t cto);

/* Free rb's buffers; it is zeroed, to use again. */
void	 reject_batch_release(struct reject_batch *);

/* Close the stream (or flush stderr) and free its counts.  Returns 0, or
 * -1 after warning "cannot write 'PATH'". */
int	 reject_close(struct reject_stream *);

#endif
