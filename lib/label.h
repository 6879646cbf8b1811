/* label.h: shipping labels, packing slips and manifests laid out once in
 * millimetres and drawn by a backend: ZPL II for thermal printers, PDF
 * through cairo (lib/label/). */
#ifndef LABEL_H
#define LABEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* A party on a label: strings borrowed (from the record or the
 * configuration), NULL when not known. */
struct label_party {
	const char	*name, *company, *phone;
	const char	*line1, *line2, *city, *postal_code, *region,
			*country;
};

/* What one label carries; all strings borrowed, NULL: not printed. */
struct label {
	struct label_party	 from, to;
	int			 is_return;	/* "RETURN" and rma */
	const char		*rma;
	const char		*pickup_code;	/* replaces to's address lines */
	const char		*pickup_address;
	const char		*delivery;	/* "COURIER", "POST", "PICKUP" */
	const char		*carrier, *service;
	const char		*order;		/* the order number */
	int64_t			 weight_g;	/* -1: unknown */
	int			 n, of;		/* piece n of of */
	const char		*date;		/* ship date, YYYY-MM-DD */
	const char		*cod;		/* "4590.00 RUB" to collect */
	const char		*barcode;	/* Code 128 data (printable
						 * ASCII); for gs1, the digits
						 * after AI (00) */
	int			 gs1;		/* an SSCC as GS1-128 */
	const char		*qr;		/* the tracking URL */
};

/* One line of a packing slip. */
struct label_slip_line {
	const char	*sku, *name, *variant, *where;	/* borrowed */
	int64_t		 qty;
	const char	*amount;	/* "2598.00", NULL: no prices */
};

struct label_slip {
	const char		*shop, *order, *date, *barcode;
	struct label_party	 to;
	const char		*warehouse;
	struct label_slip_line	*lines;
	size_t			 nlines;
	const char		*total;		/* NULL: no prices (a gift) */
	int			 gift;
	char			**owned;	/* label_slip_lines()' strings */
	size_t			 nowned;
};

/*
 * The lines of order's packing slip into sl: one per SKU of items[] (the
 * lines of one SKU, split for exact money, summed into one), its name,
 * variant values ("red / M"), and where the reservation keeps it
 * ("MSK A-12-3": reservation.lines[] warehouse and bin); the amounts in
 * exponent's decimals, and the total, unless the order is a gift
 * ("gift": true) or a sum overflows.  sl->warehouse is the first one
 * named.  The strings are the order's (borrowed) or sl's, freed by
 * label_slip_release() with the lines.
 */
void	 label_slip_lines(struct label_slip *, const json_t *order,
	    int exponent);
void	 label_slip_release(struct label_slip *);

/* One row of a manifest. */
struct label_manifest_row {
	const char	*carrier, *warehouse, *order, *tracking;
	int		 n;
	int64_t		 weight_g;
	int64_t		 cod;		/* minor units to collect, 0: none */
	int		 exponent;	/* of the currency */
	const char	*currency;
	size_t		 seq;		/* the run's order of parcels */
};

/* A page laid out: what a backend draws, in millimetres from the top left
 * corner.  Text lies between y and y + size (its em). */
enum label_item_kind {
	LABEL_TEXT, LABEL_RULE, LABEL_BOX, LABEL_CODE128, LABEL_QR
};

struct label_item {
	enum label_item_kind	 kind;
	int			 page;		/* from 0 */
	double			 x, y, w, h;	/* box; text: h is the size */
	int			 bold;
	int			 inverse;	/* white text on a black box */
	int			 gs1;		/* LABEL_CODE128 as GS1-128 */
	char			*text;		/* owned: text or barcode data */
};

/* The width in millimetres of text[0..len-1] (UTF-8) at size mm. */
typedef double (*label_measure_fn)(void *arg, const char *text, size_t len,
    double size, int bold);

struct label_layout {
	double			 w, h;		/* page size, mm */
	int			 npages;
	struct label_item	*items;
	size_t			 n, cap;
	label_measure_fn	 measure;
	void			*arg;
	int			 overflow;	/* text was made smaller than
						 * the least size to fit */
};

/* The page sizes of --size: "4x6", "100x150", "a6", "a4" into *w, *h
 * (mm): 0, or -1 for another name. */
int	 label_size_parse(const char *name, double *w, double *h);

/* Lay a label, a packing slip, or a manifest's pages out on l, which
 * label_layout_init() prepared with its page size and measure (a
 * backend's).  Long lines are wrapped at spaces, words longer than a line
 * where they must be; when the text does not fit, it is made smaller, and
 * l->overflow set when even the least size does not fit (the caller
 * must not print it: text would run over the barcodes or off the
 * page).  0, or -1 when a
 * barcode cannot be encoded (err says why). */
void	 label_layout_init(struct label_layout *, double w, double h,
	    label_measure_fn, void *arg);
int	 label_layout_label(struct label_layout *, const struct label *,
	    char *err, size_t errlen);
void	 label_layout_slip(struct label_layout *, const struct label_slip *);
void	 label_layout_manifest(struct label_layout *, const char *date,
	    const struct label_manifest_row *rows, size_t n);
void	 label_layout_release(struct label_layout *);

/*
 * The width in modules of data as a Code 128 (gs1: a GS1-128 of AI (00)
 * and the digits data), or the side of a QR code of it (qr), encoded by
 * zint: 0 with *modules set, or -1 with zint's reason in err.
 */
int	 label_barcode_modules(const char *data, int gs1, int qr,
	    int *modules, char *err, size_t errlen);

/* The SSCC-18 of (id[0..idlen-1], parcel n) under the GS1 company prefix
 * (digits): extension digit 0, the prefix, a serial reference of the
 * digits left (strmap_hash(), FNV-1a 64, of the id's bytes, a NUL and n in decimal,
 * modulo 10 to the number of digits), the mod-10 check digit; 18 digits
 * and a NUL into sscc.  -1 when prefix is not 6 to 12 digits. */
int	 label_sscc(const char *prefix, const char *id, size_t idlen, int n,
	    char sscc[19]);

/* The GS1 mod-10 check digit of the digits s[0..len-1]. */
int	 label_gs1_check(const char *s, size_t len);

/* id[0..len-1] in the ASCII form its fallback barcode carries: printable
 * ASCII but '%' and space as it is, every other byte as %XX (upper-case
 * hex); a form longer than LABEL_ASCII_MAX characters is '#' and the 16
 * upper-case hex digits of the id's strmap_hash() instead.  A new string,
 * the caller's to free(). */
#define LABEL_ASCII_MAX	20
char	*label_ascii_id(const char *id, size_t len);

/* A file name made from id[0..len-1], safe in a folder: '/', NUL, control
 * characters, bytes that are not UTF-8, and a leading '.' or '-' become
 * '_'; when anything was changed, or the name is longer than 100 bytes
 * (then cut), "-" and 8 hex digits of the id's strmap_hash() follow, so that
 * two ids do not clean to one name.  A new string, the caller's. */
char	*label_safe_name(const char *id, size_t len);

/* Sort rows by carrier, warehouse, then seq: the manifest's order. */
void	 label_manifest_sort(struct label_manifest_row *rows, size_t n);

/* The manifest of rows (sorted) as CSV appended to the growing buffer
 * *buf (capacity *cap, length *len; the caller's, xrealloc()ed): a header
 * "carrier,warehouse,order,parcel,tracking_number,weight_g,cod,currency",
 * a row per parcel (cod in major units, "4590.00"), and after each
 * carrier's rows its totals, "TOTAL" in the order column, the number of
 * parcels in the parcel column: a row per currency collected. */
void	 label_manifest_csv(const struct label_manifest_row *rows, size_t n,
	    char **buf, size_t *cap, size_t *len);

/* A file made whole: written to PATH.tmp-XXXXXX and renamed to path, or
 * left as it is when it holds the same bytes already or nothing was
 * written (an empty batch is no file); a path that is
 * there and no regular file (a device, a pipe) is written to as it is.
 * A small file (a label of its own) is made in memory and written at
 * once when it ends, into an unnamed file (O_TMPFILE) that is linked to
 * its name only when whole: no name to make and rename, no look for an
 * old file unless its name is taken. */
struct label_file {
	char		*path, *tmp;
	FILE		*fp;		/* write here */
	struct label_pdf *pdf;		/* a PDF drawn into fp, closed with
					 * the file; NULL: none */
	int		 pages;		/* the caller's count */
	int		 in_memory;	/* label_file_start()'s */
	char		*mem;		/* its bytes */
	size_t		 memlen;
};

/* Start the file: 0, or 73 (EX_CANTCREAT) after a warning. */
int	 label_file_open(struct label_file *, const char *path);

/* Start a small file, in memory until label_file_close(): 0 (the only
 * failure is memory: exit 71). */
int	 label_file_start(struct label_file *, const char *path);

/* End it (the PDF first): 0, or 74 (EX_IOERR) when it could not be
 * written, 73 when not created or renamed, after a warning; the temporary
 * file is removed then.  A file not open is 0. */
int	 label_file_close(struct label_file *);

/* Make the folder dir and its parents when missing, and see that a file
 * can be made in it; exits 73 with a message when not. */
void	 label_dir_make(const char *dir);

/* The ZPL II of a laid out page at dpi (203 or 300), appended to the
 * growing buffer *bufp (capacity *capp, length *lenp; xrealloc()ed): one
 * ^XA ... ^XZ per page, ^CI28, ^FH on every text field with '^', '~' and
 * '_' as hex escapes. */
void	 label_zpl(const struct label_layout *, int dpi, char **bufp,
	    size_t *capp, size_t *lenp);

/* The width ZPL's font 0 is taken to have (a measure for the layout). */
double	 label_zpl_measure(void *arg, const char *text, size_t len,
	    double size, int bold);

/* A PDF document through cairo, written to fp as it is drawn (one page
 * per laid out page, each of its own size).  date (RFC 3339 or
 * "YYYY-MM-DD") is its creation date, so that the same input gives the
 * same bytes.  NULL when cairo fails to start.  label_pdf_close() ends
 * it: 0, or -1 when cairo or fp failed (errno set when fp did). */
struct label_pdf;
struct label_pdf *label_pdf_open(FILE *fp, const char *date);
void	 label_pdf_pages(struct label_pdf *, const struct label_layout *);
int	 label_pdf_close(struct label_pdf *);

/* Text measured with the PDF's font (arg unused). */
double	 label_pdf_measure(void *arg, const char *text, size_t len,
	    double size, int bold);

/* Release what cairo, fontconfig and zint keep for the program's life,
 * before exit (for valgrind). */
void	 label_pdf_cleanup(void);

/* The path of the longest text of the order a label carries: the one to
 * shorten when the label's text does not fit. */
const char *label_longest_field(const json_t *order);

/* The fields a label cannot do without (a return's: the customer's
 * name), each missing one a missing_field reject added to errors. */
void	 label_check_fields(const json_t *order, int is_return,
	    json_t *errors);

#endif
