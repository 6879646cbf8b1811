/* label-floor.c: the yardstick of bench-label.sh: cairo and zint alone
 * drawing N one-page PDFs of 100 x 150 mm (about 20 lines of text and a
 * Code 128), a file each in DIR or, with -1, all in one file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <zint.h>

#define MM	(72 / 25.4)

static void
page(cairo_t *cr, int i)
{
	struct zint_symbol *sym = ZBarcode_Create();
	struct zint_vector_rect *r;
	char buf[64];
	int k;

	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	for (k = 0; k < 20; k++) {
		cairo_set_font_size(cr, 8 + k % 3 * 4);
		cairo_move_to(cr, 10, 20 + k * 14);
		snprintf(buf, sizeof(buf), "Строка %d заказа %d, Москва", k, i);
		cairo_show_text(cr, buf);
	}
	sym->symbology = BARCODE_CODE128;
	sym->show_hrt = 0;
	snprintf(buf, sizeof(buf), "10000%05d", i);
	ZBarcode_Encode(sym, (unsigned char *)buf, (int)strlen(buf));
	ZBarcode_Buffer_Vector(sym, 0);
	for (r = sym->vector->rectangles; r != NULL; r = r->next)
		cairo_rectangle(cr, 20 + r->x, 330 + r->y, r->width, r->height);
	cairo_fill(cr);
	ZBarcode_Delete(sym);
	cairo_show_page(cr);
}

int
main(int argc, char *argv[])
{
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	char path[4096];
	int one = argc == 4 && strcmp(argv[3], "-1") == 0, i, n;

	if (argc < 3 || (n = atoi(argv[1])) < 1)
		return 64;
	for (i = 0; i < n; i++) {
		if (s == NULL) {
			snprintf(path, sizeof(path), "%s/%d.pdf", argv[2], i);
			s = cairo_pdf_surface_create(path, 100 * MM, 150 * MM);
			cr = cairo_create(s);
		}
		page(cr, i);
		if (!one) {
			cairo_destroy(cr);
			cairo_surface_destroy(s);
			s = NULL;
		}
	}
	if (s != NULL) {
		cairo_destroy(cr);
		cairo_surface_destroy(s);
	}
	return 0;
}
