/* csvread.h: CSV rows from a file, one at a time, through libcsv. */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <stdio.h>

#include <csv.h>

struct csvread_row {
	char		**fields;	/* NUL-terminated copies */
	size_t		 *lens;		/* their lengths (fields may hold NUL) */
	size_t		  nfields;
	size_t		  cap;
	unsigned long	  line;		/* physical line the row starts on */
};

struct csvread {
	FILE			*fp;
	const char		*name;
	struct csv_parser	 parser;
	struct csvread_row	*rows;		/* parsed, not yet returned */
	size_t			 nrows, first, caprows;
	struct csvread_row	 cur;		/* the row being parsed */
	struct csvread_row	 out;		/* the row last returned */
	unsigned long		 line;		/* newlines seen so far */
	unsigned long		 nread;		/* rows returned */
	int			 eof;
	int			 error;		/* 0 or EX_IOERR */
};

/* Start reading fp (named name in messages) with the delimiter delim (',',
 * ';', '\t').  Quotes are read leniently: a stray quote inside an unquoted
 * field is kept as text.  A UTF-8 BOM is dropped. */
void	 csvread_init(struct csvread *, FILE *fp, const char *name, char delim);

/* The next row, or NULL at the end of input or on a read error (error is
 * then set).  Rows that are empty lines are skipped.  The row belongs to
 * the reader until the next call. */
struct csvread_row *csvread_next(struct csvread *);

/* Free all; fp is the caller's to close. */
void	 csvread_release(struct csvread *);

#endif
