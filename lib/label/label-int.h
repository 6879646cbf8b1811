/* label-int.h: what lib/label/'s files share beyond label.h. */
#ifndef LABEL_INT_H
#define LABEL_INT_H

#include <stddef.h>

struct zint_symbol;

/* A symbol of data encoded by zint: a Code 128 (gs1: GS1-128 of AI (00)
 * and the digits data) or a QR code (qr), without human readable text; or
 * NULL with zint's reason in err.  The caller ZBarcode_Delete()s it. */
struct zint_symbol *label_zint(const char *data, int gs1, int qr, char *err,
	    size_t errlen);

#endif
