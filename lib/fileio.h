/* fileio.h: opening the files a program is named, with the checks every
 * program makes. */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Open path for reading, as fopen(path, "r") would ("-" is a file of that
 * name here: standard input is the caller's to handle).  A directory, which
 * fopen(3) opens and whose first read fails, is refused at once, so that it
 * counts as an input that cannot be opened (66), not as a read error (74).
 * Returns the stream, the caller's to fclose(); or NULL, with errno set
 * and the message "cannot open 'PATH': REASON" or "cannot read 'PATH': Is
 * a directory" in msg (of size len), for the caller to print. */
FILE	*fileio_read(const char *path, char *msg, size_t len);

/* Standard input, ready to read; or NULL when it is a directory (a shell's
 * "< dir" opens one), with errno EISDIR and the message "cannot read
 * '<stdin>': Is a directory" in msg: an input that is no file to read,
 * 66 like a directory named as an operand, not a read error. */
FILE	*fileio_stdin(char *msg, size_t len);

/* Open path for writing: appending when append is not 0, else from the
 * start (a regular file is truncated); created 0666 & ~umask when missing.
 * A symbolic link at the end of path is followed only when it belongs to
 * the user running the program or to root, as Linux's
 * fs.protected_symlinks does in sticky directories but everywhere: a link
 * another user planted (in /tmp, say) cannot make a run, a cron job as
 * root above all, write where the link's owner may not.  Returns the
 * stream, the caller's to close; or NULL, with errno set and "cannot open
 * 'PATH': REASON" in msg (of size len), for the caller to print before it
 * exits 73 (EX_CANTCREAT). */
FILE	*fileio_write(const char *path, int append, char *msg, size_t len);

#endif
