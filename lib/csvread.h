/* csvread.h: CSV rows from a file, one at a time, through libcsv: the one
 * CSV reader of the toolkit. */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <stdio.h>

#include <csv.h>

struct csvread_row {
	char		**fields;	/* NUL-terminated, writable in place */
	size_t		 *lens;		/* their lengths (fields may hold NUL) */
	size_t		  nfields;
	unsigned long	  line;		/* the physical line the row starts on */
	long long	  off;		/* its bytes in the file: from the start */
	size_t		  len;		/* of that line to its terminator */
};

/* A large export has tens of millions of fields: the rows of a 64 KiB
 * chunk share one buffer, reused chunk after chunk, rather than one
 * allocation a field. */
struct csvread {
	FILE		*fp;
	const char	*name;
	struct csv_parser parser;
	char		*text;		/* field bytes, each NUL-terminated */
	size_t		 used, cap;
	size_t		*offs, *lens;	/* per field queued */
	size_t		 nfields, capfields;
	size_t		*rowfirst;	/* per row queued: its first field */
	unsigned long	*rowline;
	long long	*rowoff;
	size_t		*rowlen;
	size_t		 nrows, caprows, next;
	size_t		 curfirst;	/* the first field of the row begun */
	long long	 off;		/* file offset of the chunk */
	long long	 lineend;	/* ... of the end of the line parsed */
	long long	 rowstart;	/* ... where the next row starts */
	unsigned long	 rowstartline;
	unsigned long	 line;		/* newlines seen */
	int		 eof, first;
	int		 error;		/* 0 or EX_IOERR */
	struct csvread_row out;		/* the row last returned */
	size_t		 outcap;
};

/* Start reading fp (named name in messages) with the delimiter delim (',',
 * ';', '\t').  Quotes are read leniently: a stray quote inside an unquoted
 * field is kept as text; spaces and tabs around an unquoted field are not
 * (a tab delimiter aside).  A UTF-8 BOM is dropped. */
void	 csvread_init(struct csvread *, FILE *fp, const char *name, char delim);

/* The next row, or NULL at the end of input or on a read error (error is
 * then set).  Rows that are empty lines are skipped, as is a row of one
 * quoted empty field.  The row and its fields belong to the reader until
 * the next call. */
struct csvread_row *csvread_next(struct csvread *);

/* Free all; fp is the caller's to close. */
void	 csvread_release(struct csvread *);

#endif
