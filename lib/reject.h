/* reject.h: the reject stream and the error records in it. */
#ifndef REJECT_H
#define REJECT_H

#include <stdio.h>

#include <jansson.h>

struct jsonl_reader;

struct reject_stream {
	FILE		*fp;		/* the file, or stderr */
	const char	*path;		/* its name for messages */
	unsigned long	 count;		/* records written */
};

/* Open path for appending (created 0666 & ~umask; a symbolic link only as
 * fileio_write() allows), or use standard error when path is NULL.  A file
 * that cannot be opened is fatal: message and exit 73 (EX_CANTCREAT),
 * before any record is read. */
void	 reject_open(struct reject_stream *, const char *path);

/* Append {"code":code,"field":field,"message":message} to the array errors.
 * field may be NULL (the record as a whole): the key is then left out. */
void	 reject_add(json_t *errors, const char *code, const char *field,
	    const char *message);

/* reject_add() with a printf(3) message. */
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

/* Close the stream (or flush stderr).  Returns 0, or -1 after warning
 * "cannot write 'PATH'". */
int	 reject_close(struct reject_stream *);

#endif
