/* layout.c: which layout an export's header fits, and a row of it given
 * to its order through the layout's map. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "charset.h"
#include "csvread.h"
#include "import.h"
#include "jsonl.h"
#include "xalloc.h"

/* How far down the header may be: exports put a title or a blank line
 * or two above it. */
#define HEADER_ROWS	30

unsigned long
import_find_header(FILE *fp, const char *name, char delim, struct charset *cs,
    struct import_layouts *lc)
{
	struct csvread reader;
	struct csvread_row *raw;
	struct import_row row = { 0 };
	char missing[1024];
	unsigned long n = 0, found = 0;
	size_t i, nonempty, k;
	int m;

	lc->nmissing = -1;
	rewind(fp);
	csvread_init(&reader, fp, name, delim);
	while (found == 0 && n < HEADER_ROWS &&
	    (raw = csvread_next(&reader)) != NULL) {
		n++;
		import_row_decode(&row, raw, cs);
		for (i = nonempty = 0; i < row.nfields; i++)
			if (row.fields[i][0] != '\0')
				nonempty++;
		if (nonempty < 2)
			continue;
		for (k = 0; k < lc->nmaps; k++) {
			m = import_map_bind(&lc->maps[k], row.fields,
			    row.nfields, missing, sizeof(missing));
			if (m == 0) {
				lc->chosen = &lc->maps[k];
				found = n;
				break;
			}
			if (lc->nmissing < 0 || m < lc->nmissing) {
				lc->nmissing = m;
				snprintf(lc->closest, sizeof(lc->closest),
				    "%s", lc->maps[k].source);
				snprintf(lc->missing, sizeof(lc->missing),
				    "%s", missing);
			}
		}
	}
	csvread_release(&reader);
	import_row_release(&row);
	rewind(fp);
	return found;
}

void
import_layouts_load(struct import_layouts *lc, const struct import_map *user,
    const char *format)
{
	const char *text;
	char errbuf[256];
	size_t i;

	memset(lc, 0, sizeof(*lc));
	if (user != NULL) {
		lc->maps[0] = *user;	/* a shallow copy: not freed */
		lc->maps[0].used = NULL;
		lc->nmaps = 1;
		lc->user = 1;
		return;
	}
	for (i = 0; (text = import_builtin(i)) != NULL; i++) {
		if (import_map_parse(&lc->maps[lc->nmaps], text, "builtin",
		    errbuf, sizeof(errbuf)) == -1)
			errx(EX_SOFTWARE, "%s", errbuf);
		if (format != NULL &&
		    strcmp(lc->maps[lc->nmaps].source, format) != 0) {
			import_map_release(&lc->maps[lc->nmaps]);
			continue;
		}
		lc->nmaps++;
	}
}

/* Add a layout's about to the format name in list, a new entry when it
 * is not there yet. */
static void
format_add(struct import_format *list, size_t *n, const char *name,
    const char *about)
{
	struct import_format *f;
	size_t i, len;

	for (i = 0; i < *n && strcmp(list[i].name, name) != 0; i++)
		;
	f = &list[i];
	if (i == *n) {
		(*n)++;
		snprintf(f->name, sizeof(f->name), "%s", name);
		f->about[0] = '\0';
	}
	len = strlen(f->about);
	snprintf(f->about + len, sizeof(f->about) - len, "%s%s",
	    len > 0 && *about != '\0' ? "; " : "", about);
}

struct import_format *
import_formats(size_t *n)
{
	struct import_format *list;
	struct import_map map;
	const char *text;
	char errbuf[256];
	size_t i, max;
	int k;

	for (max = 2; import_builtin(max - 2) != NULL; max++)
		;
	max += IMPORT_WB_MARKET + 1;
	list = xcalloc(max, sizeof(*list));
	*n = 0;
	for (i = 0; (text = import_builtin(i)) != NULL; i++) {
		memset(&map, 0, sizeof(map));
		if (import_map_parse(&map, text, "builtin", errbuf,
		    sizeof(errbuf)) == -1)
			errx(EX_SOFTWARE, "%s", errbuf);
		format_add(list, n, map.source, map.about);
		import_map_release(&map);
	}
	for (k = IMPORT_WOOCOMMERCE; k <= IMPORT_WB_MARKET; k++)
		format_add(list, n, import_json_format(k),
		    import_json_about(k));
	format_add(list, n, "generic", "any CSV, with a --map file naming "
	    "its columns");
	return list;
}

void
import_layouts_release(struct import_layouts *lc)
{
	size_t i;

	if (lc->user) {
		free(lc->maps[0].used);
		return;
	}
	for (i = 0; i < lc->nmaps; i++)
		import_map_release(&lc->maps[i]);
}

void
import_apply_row(struct import_order *o, const struct import_map *map,
    struct import_row *row, char *const *header, unsigned long line)
{
	const struct import_rule *rule;
	struct import_item *it = NULL;
	const char *val;
	json_t *old;
	size_t i;
	int has_item = 0, named = 0;

	for (i = 0; i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->field != IMPORT_ITEM_SKU &&
		    rule->field != IMPORT_ITEM_NAME)
			continue;
		if (rule->col >= 0 || rule->op == IMPORT_CONST)
			named = 1;
		if (rule->col >= 0 && (size_t)rule->col < row->nfields &&
		    row->fields[rule->col][0] != '\0')
			has_item = 1;
	}
	for (i = 0; !named && i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->field >= IMPORT_ITEM_ID &&
		    rule->field < IMPORT_ITEM_OPTION && rule->col >= 0 &&
		    (size_t)rule->col < row->nfields &&
		    row->fields[rule->col][0] != '\0')
			has_item = 1;
	}
	if (has_item)
		it = import_item_add(o, line);
	for (i = 0; i < map->nrules; i++) {
		rule = &map->rules[i];
		if (rule->op == IMPORT_CONST)
			val = rule->column;
		else if (rule->col >= 0 && (size_t)rule->col < row->nfields)
			val = row->fields[rule->col];
		else
			continue;
		if (*val == '\0')
			continue;
		if (rule->field < IMPORT_NORDER)
			import_order_set(o, rule->field, rule->op, val, line);
		else if (rule->field == IMPORT_ITEM_OPTION) {
			if (it != NULL)
				import_item_option(it, rule->name, val);
		} else if (rule->field == IMPORT_ITEM_EXTRA) {
			if (it != NULL)
				import_item_extra(it, rule->name,
				    jsonl_string_lossy(val, strlen(val)));
		} else if (rule->field == IMPORT_EXTRA) {
			if (o->extra == NULL ||
			    json_object_get(o->extra, rule->name) == NULL)
				import_order_extra(o, rule->name,
				    jsonl_string_lossy(val, strlen(val)));
		} else if (rule->field < IMPORT_ITEM_OPTION) {
			if (it != NULL)
				import_item_set(it, rule->field, val, line);
		}
	}
	/* The columns no rule names: under extra, the order's first value,
	 * an item's own when it differs. */
	for (i = 0; i < row->nfields && i < (size_t)map->ncolumns; i++) {
		if (map->used[i] || row->fields[i][0] == '\0' ||
		    header[i][0] == '\0')
			continue;
		old = o->extra ? json_object_get(o->extra, header[i]) : NULL;
		if (old == NULL)
			import_order_extra(o, header[i],
			    json_stringn_nocheck(row->fields[i],
			    strlen(row->fields[i])));
		else if (it != NULL && strcmp(json_string_value(old),
		    row->fields[i]) != 0)
			import_item_extra(it, header[i],
			    json_stringn_nocheck(row->fields[i],
			    strlen(row->fields[i])));
	}
}

