/* mapfile.h: map files, which tell a program the columns of a CSV file it
 * does not know (order-import --map, pay-reconcile --map): one syntax, one
 * reader, the settings the programs share read the same way. */
#ifndef MAPFILE_H
#define MAPFILE_H

#include <stddef.h>

/*
 * A map file is UTF-8 text, one entry a line:
 *
 *	# a comment
 *	key = value		a setting, or a column for a field
 *	key += value		a column added to the field's value
 *	key := value		a constant
 *	key value		a setting as order-import's maps wrote them
 *
 * White space around the key, the operator and the value is no part of
 * them; the value runs to the end of the line, '#' and '=' included.  A
 * key ends at white space or an operator ("id=Name" is "id = Name").  A
 * byte order mark before the first line and CR before LF are ignored.
 * Which keys and operators mean something is the program's to say.
 */

enum mapfile_op {
	MAPFILE_SET,		/* key = value */
	MAPFILE_ADD,		/* key += value */
	MAPFILE_CONST,		/* key := value */
	MAPFILE_BARE		/* key value, or key alone */
};

struct mapfile_entry {
	const char	*key;		/* never empty */
	const char	*value;		/* "" when none */
	enum mapfile_op	 op;
	unsigned long	 line;		/* from 1 */
};

struct mapfile {
	char		*text;		/* a copy, cut into entries */
	char		*next;		/* the line after the last one read */
	unsigned long	 line;
};

/* Start reading the map text (copied; the caller keeps its own). */
void	 mapfile_init(struct mapfile *, const char *text);

/* The next entry into *e, its strings the reader's until
 * mapfile_release(): 1, or 0 after the last line. */
int	 mapfile_next(struct mapfile *, struct mapfile_entry *e);

void	 mapfile_release(struct mapfile *);

/* The whole of the map path names (a file, or a map installed under that
 * name: datadir_find()), NUL-terminated (a NUL byte in it ends
 * the text), new, the caller's to free; or NULL with the message
 * ("cannot open 'PATH': REASON") in msg (of size len) and the exit status
 * in *status: 66 when it cannot be opened or is a directory, 74 when it
 * cannot be read. */
char	*mapfile_read(const char *path, char *msg, size_t len, int *status);

/* The name of an operator as a map writes it: "=", "+=", ":=", "". */
const char *mapfile_op_name(enum mapfile_op);

/*
 * Settings every map reads alike.  mapfile_delimiter() reads the field
 * delimiter value names into *delim: one character but '"', or "tab"
 * ("\t"), "comma", "semicolon"; 0, or -1.  mapfile_is_zone() tells
 * whether key names the zone of times without an offset: "time_zone"
 * (and "zone", order-import's older name); its value is read by
 * exporttime_zone().
 */
int	 mapfile_delimiter(const char *value, char *delim);
int	 mapfile_is_zone(const char *key);

#endif
