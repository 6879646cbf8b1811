/* jsonl.h: JSON Lines in (records from operands or stdin) and out. */
#ifndef JSONL_H
#define JSONL_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct jsonl_reader {
	char		**paths;	/* operands; none: standard input */
	int		  npaths;
	int		  next;		/* next operand to open */
	FILE		 *fp;		/* current input, NULL between files */
	const char	 *name;		/* its name for messages, "<stdin>" */
	char		 *buf;		/* what was read of it: the current
					 * line, NUL-terminated, and after it
					 * buf[start..end), not yet read */
	size_t		  cap, start, end;
	size_t		  scan;		/* no '\n' in buf[start..scan) */
	int		  eof;		/* the current input has no more */
	int		  read_errno;	/* a read failed: its errno */
	size_t		  len;		/* the line's length, without \r\n */
	unsigned long	  lineno;	/* line number within the current file */
	long long	  origin;	/* the file's offset when it was opened;
					 * -1: not a regular file */
	long long	  nread;	/* bytes read from it */
	long long	  offset;	/* of the line jsonl_line() gave, in a
					 * regular file (a line to read again
					 * later), or -1 */
	unsigned long	  nlines;	/* non-blank lines read in all files */
	unsigned long	  nblank;	/* blank lines skipped */
	int		  status;	/* 0, EX_NOINPUT or EX_IOERR */
	int		  lang;		/* of reject_read()'s bad_json
					 * messages: an enum msg_lang,
					 * msg_lang_env()'s by default */
};

/* Prepare to read the operands argv[0..argc-1] in turn ("-" is standard
 * input); with argc 0, standard input.  Nothing is opened yet, so an
 * unreadable operand is reported when it is reached. */
void	 jsonl_open(struct jsonl_reader *, int argc, char **argv);

/* The next non-blank line of input, without its line end (CRLF and a UTF-8
 * BOM are taken off), counted by progress(); its length in *lenp, and where it lies in a regular
 * file in offset.  The line belongs to the reader and lives until the next
 * call.  NULL at the end of the last operand.  An
 * operand that cannot be opened or read is warned about, remembered in
 * status, and skipped. */
char	*jsonl_line(struct jsonl_reader *, size_t *lenp);

/* Whether the next jsonl_line() or reject_read() returns without waiting
 * for its input: a whole line has been read ahead, or the input has one to
 * give now (poll(2)), or it is at its end, or the next operand is to be
 * opened.  It may read ahead what the input gives at once.  For a program
 * that takes its input in batches: the batch goes when the input pauses,
 * rather than wait for it to fill. */
int	 jsonl_ready(struct jsonl_reader *);

/* jsonl_ready(), but waiting up to ms milliseconds (0: not at all) for a
 * whole line, or the end, to come: 1 when it came, 0 when the input said
 * nothing more for ms. */
int	 jsonl_wait(struct jsonl_reader *, int ms);

/* Whether the line text[0..len-1] (not a JSON object) looks like a row of
 * a CSV or TSV export: it does not start with '{', '[' or '"' and holds a
 * ',', ';' or tab.  For the message a program gives when fed an export
 * that order-import should have read. */
int	 jsonl_csv_like(const char *text, size_t len);

/* The name of the current input as rejects give it ("file"): NULL when
 * there is only one. */
const char *jsonl_input_name(const struct jsonl_reader *);

/* Look for the member key at the top of the JSON object text[0..len-1]
 * without parsing the rest: 1, with its value's bytes between the quotes
 * in *value and *vlen, when it is a string without escapes; 0 when the
 * object has no such member at the top or its value is not a string; -1
 * when a scan cannot tell (an escape in a key or in the value, a text
 * that is not an object or is cut short): jsonl_parse() it then.  The
 * first of two members of one name counts, and the text is not checked
 * beyond what the scan needs: it may still be no JSON. */
int	 jsonl_peek(const char *text, size_t len, const char *key,
	    const char **value, size_t *vlen);

/* Parse buf[0..len-1] as one JSON text (RFC 8259) as json_loadb() does with
 * the same flags (JSON_DECODE_ANY: any value, not only an object or an
 * array; JSON_REJECT_DUPLICATES: a key given twice is an error, else the
 * last one counts; no other flag is read): a new reference, or NULL with
 * error (when not NULL) set as jansson sets it: text ("invalid token near
 * 'x'"), line and column (characters, from 1).  UTF-8 is checked;
 * "\u0000" and nesting deeper than 2048 are errors.  A number written as
 * an integer that fits in int64 becomes a json_integer; any other (a
 * fraction, an exponent, -0, an integer beyond int64) becomes a json_real
 * whose text is kept, so that jsonl_encode() writes it back as it was.
 * Out of memory exits 71. */
json_t	*jsonl_parse(const char *buf, size_t len, size_t flags,
	    json_error_t *error);

/* A deep copy of value that keeps its numbers' text (json_deep_copy() does
 * not).  New reference. */
json_t	*jsonl_copy(const json_t *value);

/* The text that jsonl_parse() kept for the real v, or NULL (v is not a
 * real or was not parsed: made by a program, its value is its text).  It
 * lives as long as v. */
const char *jsonl_number_raw(const json_t *v);

/* The text of the number v as jsonl_encode() writes it: as it came in for
 * a parsed one, else in buf (len of at least 40).  NULL if v is no number.
 * For messages that quote a number. */
const char *jsonl_number_text(const json_t *v, char *buf, size_t len);

/* Close what is open, free the buffer; return 0, or EX_NOINPUT when an
 * operand could not be opened (or is a directory: fileio_read()), EX_IOERR
 * when one could not be read. */
int	 jsonl_close(struct jsonl_reader *);

/* Write value as one compact line of JSON (object keys in their order,
 * UTF-8 as is, numbers as jsonl_parse() read them) and a newline to fp.
 * Returns 0, or -1 when fp has an error; jsonl_finish() reports it. */
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

/* The size of the buffer jsonl_id_text() writes a number into. */
#define JSONL_ID_BUF	32

/* The text of an id (an order's "id", a parcel's "order_id"): a string as
 * it is (its length in *lenp, NUL bytes and all), an integer in decimal
 * in buf; NULL for anything else (null, a fraction, an object, absent).
 * The one reading of an id as text: each program says which texts it
 * takes (empty ones, ones with NUL bytes). */
const char *jsonl_id_text(const json_t *v, char buf[JSONL_ID_BUF],
	    size_t *lenp);

/* The id's text as jsonl_id_text() reads it, when it is not empty: a new
 * C string (cut at a NUL byte, as C strings are), or NULL.  For the
 * programs that make keys of ids (ship-book, track-poll). */
char	*jsonl_id_strdup(const json_t *v);

/* A record written straight into a growing buffer, member by member, with
 * jsonl_encode()'s escaping and form: building, encoding and freeing a
 * tree per record was half of an import.  Start with the caller's buffer
 * (NULL, 0, 0 or one to append to) and members 0; the buffer stays the
 * caller's, grown with xrealloc().  An object is opened with a mark, and
 * one left without members can be taken back. */
struct jsonl_out {
	char		*buf;
	size_t		 cap, len;
	size_t		 members;	/* so far in the innermost container */
};

struct jsonl_mark {
	size_t		 len;		/* where the member began */
	size_t		 members;	/* of the container around */
};

/* Append the bytes s[0..n-1] as they are. */
void	 jsonl_out_raw(struct jsonl_out *, const char *s, size_t n);

/* The start of a member: the comma before it, and "key": in an object
 * (key NULL: an array's element). */
void	 jsonl_out_key(struct jsonl_out *, const char *key);

/* A member whose value is the string text (UTF-8); none when text is
 * NULL or empty. */
void	 jsonl_out_text(struct jsonl_out *, const char *key, const char *text);

/* A member whose value is the integer v. */
void	 jsonl_out_int(struct jsonl_out *, const char *key, int64_t v);

/* A member whose value is v, as jsonl_encode() writes it. */
void	 jsonl_out_json(struct jsonl_out *, const char *key, const json_t *v);

/* Open an object (open '{') or an array ('[') under key, noting in m
 * where it began. */
void	 jsonl_out_open(struct jsonl_out *, const char *key, char open,
	    struct jsonl_mark *m);

/* Take back all written since m. */
void	 jsonl_out_drop(struct jsonl_out *, const struct jsonl_mark *m);

/* Close what m opened (close: '}' or ']'); one with no members is taken
 * back when drop_empty. */
void	 jsonl_out_close(struct jsonl_out *, const struct jsonl_mark *m,
	    char close, int drop_empty);

/* Flush and close fp; on an error warn "cannot write 'NAME'" and return
 * -1, else 0.  For standard output at the end of main(). */
int	 jsonl_finish(FILE *fp, const char *name);

/* A JSON string of the bytes s[0..len-1], with each byte sequence that is
 * not UTF-8 replaced by U+FFFD: for quoting raw input in rejects.  New
 * reference. */
json_t	*jsonl_string_lossy(const char *s, size_t len);

#endif
