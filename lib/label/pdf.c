/* pdf.c: laid out pages as PDF through cairo, the barcodes zint's vectors,
 * the text in DejaVu Sans (Cyrillic, Ukrainian and accented Latin). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <zint.h>

#include "label.h"
#include "label-int.h"
#include "xalloc.h"

#define FONT		"DejaVu Sans"
#define MM		(72 / 25.4)	/* points in a millimetre */

struct label_pdf {
	cairo_surface_t	*surface;
	cairo_t		*cr;
	FILE		*fp;
	int		 write_errno;	/* fp failed: its errno */
	int		 pages;
};

/* The two faces, and a context to measure text on, made once. */
static cairo_font_face_t *faces[2];
static cairo_t *measurer;
static int last_bold = -1;
static double last_size = -1;

static void
fonts(void)
{
	cairo_surface_t *s;
	cairo_font_options_t *fo;

	if (measurer != NULL)
		return;
	faces[0] = cairo_toy_font_face_create(FONT, CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	faces[1] = cairo_toy_font_face_create(FONT, CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_BOLD);
	s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	measurer = cairo_create(s);
	cairo_surface_destroy(s);
	/* Metrics as the PDF has them: unhinted. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(measurer, fo);
	cairo_font_options_destroy(fo);
}

double
label_pdf_measure(void *arg, const char *text, size_t len, double size,
    int bold)
{
	cairo_text_extents_t e;
	char buf[256], *s = buf;

	(void)arg;
	fonts();
	if (len >= sizeof(buf))
		s = xmalloc(len + 1);
	memcpy(s, text, len);
	s[len] = '\0';
	/* The scaled font only when it changes: looking it up is most of
	 * the cost of a measure. */
	if (bold != last_bold || size != last_size) {
		cairo_set_font_face(measurer, faces[bold != 0]);
		cairo_set_font_size(measurer, size);
		last_bold = bold;
		last_size = size;
	}
	cairo_text_extents(measurer, s, &e);
	if (s != buf)
		free(s);
	return e.x_advance;
}

static cairo_status_t
write_fp(void *arg, const unsigned char *data, unsigned int len)
{
	struct label_pdf *p = arg;

	if (fwrite(data, 1, len, p->fp) != len) {
		p->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

struct label_pdf *
label_pdf_open(FILE *fp, const char *date)
{
	struct label_pdf *p = xcalloc(1, sizeof(*p));
	char created[32];

	fonts();
	p->fp = fp;
	p->surface = cairo_pdf_surface_create_for_stream(write_fp, p,
	    100 * MM, 150 * MM);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(p->surface);
		free(p);
		return NULL;
	}
	/* cairo 1.16 would write the time of the run otherwise. */
	snprintf(created, sizeof(created), "%.10sT00:00:00Z", date);
	cairo_pdf_surface_set_metadata(p->surface,
	    CAIRO_PDF_METADATA_CREATE_DATE, created);
	cairo_pdf_surface_set_metadata(p->surface,
	    CAIRO_PDF_METADATA_CREATOR, "orderkit label-gen");
	p->cr = cairo_create(p->surface);
	return p;
}

/* zint's symbol drawn into the box (x, y, w, h); a QR code inside its
 * quiet zone of 4 modules. */
static void
draw_symbol(cairo_t *cr, const struct label_item *it)
{
	struct zint_symbol *sym;
	struct zint_vector_rect *r;
	double sx, sy, x = it->x, y = it->y, w = it->w, h = it->h;
	char err[128];

	sym = label_zint(it->text, it->gs1, it->kind == LABEL_QR, err,
	    sizeof(err));
	if (sym == NULL)
		return;		/* the layout checked it */
	if (ZBarcode_Buffer_Vector(sym, 0) < ZINT_ERROR &&
	    sym->vector != NULL) {
		if (it->kind == LABEL_QR) {
			double q = w / (sym->width + 8);

			x += 4 * q, y += 4 * q;
			w -= 8 * q, h -= 8 * q;
		}
		sx = w / sym->vector->width;
		sy = h / sym->vector->height;
		for (r = sym->vector->rectangles; r != NULL; r = r->next)
			cairo_rectangle(cr, x + r->x * sx, y + r->y * sy,
			    r->width * sx, r->height * sy);
		cairo_fill(cr);
	}
	ZBarcode_Delete(sym);
}

static void
draw(cairo_t *cr, const struct label_item *it)
{
	switch (it->kind) {
	case LABEL_TEXT:
		if (it->inverse)
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_font_face(cr, faces[it->bold != 0]);
		cairo_set_font_size(cr, it->h);
		cairo_move_to(cr, it->x, it->y + it->h * 0.8);
		cairo_show_text(cr, it->text);
		cairo_set_source_rgb(cr, 0, 0, 0);
		break;
	case LABEL_RULE:
	case LABEL_BOX:
		cairo_rectangle(cr, it->x, it->y, it->w, it->h);
		cairo_fill(cr);
		break;
	case LABEL_CODE128:
	case LABEL_QR:
		draw_symbol(cr, it);
		break;
	}
}

void
label_pdf_pages(struct label_pdf *p, const struct label_layout *l)
{
	size_t i;
	int page;

	for (page = 0; page < l->npages; page++) {
		cairo_pdf_surface_set_size(p->surface, l->w * MM, l->h * MM);
		cairo_save(p->cr);
		cairo_scale(p->cr, MM, MM);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		for (i = 0; i < l->n; i++)
			if (l->items[i].page == page)
				draw(p->cr, &l->items[i]);
		cairo_restore(p->cr);
		cairo_show_page(p->cr);
		p->pages++;
	}
}

int
label_pdf_close(struct label_pdf *p)
{
	int rc = 0;

	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
		rc = -1;
	cairo_surface_destroy(p->surface);
	if (p->write_errno != 0) {
		errno = p->write_errno;
		rc = -1;
	}
	free(p);
	return rc;
}

void
label_pdf_cleanup(void)
{
	if (measurer != NULL) {
		cairo_destroy(measurer);
		cairo_font_face_destroy(faces[0]);
		cairo_font_face_destroy(faces[1]);
		measurer = NULL;
		last_bold = -1;
	}
	cairo_debug_reset_static_data();
	FcFini();
}
