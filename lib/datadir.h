/* datadir.h: the files orderkit installs for its users to name (maps, the
 * jq module, the daily job's crontab), found by name. */
#ifndef DATADIR_H
#define DATADIR_H

#include <stddef.h>

/*
 * The share directories, in the order they are searched:
 *
 *	$ORDERKIT_DATADIR	when set and not empty
 *	BIN/../share/orderkit	BIN the directory of the running program,
 *				so that a tree installed with DESTDIR, or
 *				moved, finds its own files
 *	DATADIR			compiled in: $(PREFIX)/share/orderkit
 *
 * datadir_dirs() puts up to max of them in dirs (strings of its own,
 * static, valid until the next call) and returns how many.
 */
size_t	 datadir_dirs(const char *dirs[], size_t max);

/*
 * The file a map option (--map) names: arg itself when it names a file
 * that exists or has a '/' in it; else, for a bare name, kind/arg and then
 * kind/arg.ext (kind "maps", ext ".map") in the first share directory that
 * has it.  A new string, the caller's to free.  When a bare name is found
 * nowhere, NULL with "cannot open 'ARG': no such file, nor one of that
 * name in 'DIR/KIND'" (each directory tried) in msg, of size len: the caller
 * exits 66.
 */
char	*datadir_find(const char *arg, const char *kind, const char *ext,
	    char *msg, size_t len);

#endif
