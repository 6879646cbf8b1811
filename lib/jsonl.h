/* jsonl.h: JSON Lines in (records from operands or stdin) and out. */
#ifndef JSONL_H
#define JSONL_H

#include <stdio.h>

#include <jansson.h>

struct reject_stream;

struct jsonl_reader {
	char		**paths;	/* operands; none: standard input */
	int		  npaths;
	int		  next;		/* next operand to open */
	FILE		 *fp;		/* current input, NULL between files */
	const char	 *name;		/* its name for messages, "<stdin>" */
	char		 *buf;		/* the current line, NUL-terminated */
	size_t		  cap;
	size_t		  len;		/* its length, without \r\n */
	unsigned long	  lineno;	/* line number within the current file */
	unsigned long	  nlines;	/* non-blank lines read in all files */
	unsigned long	  nblank;	/* blank lines skipped */
	int		  status;	/* 0, EX_NOINPUT or EX_IOERR */
	int		  lang;		/* of bad_json messages: an enum
					 * msg_lang, English (0) by default */
};

/* Prepare to read the operands argv[0..argc-1] in turn ("-" is standard
 * input); with argc 0, standard input.  Nothing is opened yet, so an
 * unreadable operand is reported when it is reached. */
void	 jsonl_open(struct jsonl_reader *, int argc, char **argv);

/* The next non-blank line of input, without its line end (CRLF and a UTF-8
 * BOM are taken off); its length in *lenp.  The line belongs to the reader
 * and lives until the next call.  NULL at the end of the last operand.  An
 * operand that cannot be opened or read is warned about, remembered in
 * status, and skipped. */
char	*jsonl_line(struct jsonl_reader *, size_t *lenp);

/* The next record: a new reference to a JSON object, which the caller
 * json_decref()s.  A line that is not a JSON object is written to rejects as
 * {"line":N,"raw":"...","errors":[{"code":"bad_json",...}]} and skipped.
 * NULL at the end of input. */
json_t	*jsonl_read(struct jsonl_reader *, struct reject_stream *);

/* Close what is open, free the buffer; return 0, or EX_NOINPUT when an
 * operand could not be opened (or is a directory: fileio_read()), EX_IOERR
 * when one could not be read. */
int	 jsonl_close(struct jsonl_reader *);

/* Write value as one compact line of JSON (object keys in their order,
 * UTF-8 as is) and a newline to fp.  Returns 0, or -1 when fp has an error;
 * jsonl_finish() reports it. */
int	 jsonl_write(FILE *fp, const json_t *value);

/* Append the compact JSON text of value, without newline, to the growing
 * buffer *bufp of capacity *capp at offset *lenp.  The buffer is the
 * caller's (NULL, 0, 0 to start), grown with xrealloc(). */
void	 jsonl_encode(char **bufp, size_t *capp, size_t *lenp,
	    const json_t *value);

/* Append s[0..n-1] (UTF-8; any bytes are kept as they are but for the
 * escapes JSON needs: '"', '\\' and controls) as a JSON string to the buffer,
 * as jsonl_encode() does. */
void	 jsonl_encode_string(char **bufp, size_t *capp, size_t *lenp,
	    const char *s, size_t n);

/* Flush and close fp; on an error warn "cannot write 'NAME'" and return
 * -1, else 0.  For standard output at the end of main(). */
int	 jsonl_finish(FILE *fp, const char *name);

/* A JSON string of the bytes s[0..len-1], with each byte sequence that is
 * not UTF-8 replaced by U+FFFD: for quoting raw input in rejects.  New
 * reference. */
json_t	*jsonl_string_lossy(const char *s, size_t len);

#endif
