/* barcode.c: barcodes through zint, SSCCs, and the ASCII forms of ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zint.h>

#include "label.h"
#include "label-int.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

struct zint_symbol *
label_zint(const char *data, int gs1, int qr, char *err, size_t errlen)
{
	struct zint_symbol *sym;
	char buf[64];
	int rc;

	if ((sym = ZBarcode_Create()) == NULL)
		xnomem();
	sym->show_hrt = 0;
	sym->warn_level = WARN_FAIL_ALL;
	if (qr) {
		sym->symbology = BARCODE_QRCODE;
		sym->input_mode = UNICODE_MODE;
		sym->option_1 = 2;	/* error correction M */
	} else if (gs1) {
		sym->symbology = BARCODE_GS1_128;
		sym->input_mode = GS1_MODE;
		snprintf(buf, sizeof(buf), "[00]%s", data);
		data = buf;
	} else
		sym->symbology = BARCODE_CODE128;
	rc = ZBarcode_Encode(sym, (const unsigned char *)data,
	    (int)strlen(data));
	if (rc >= ZINT_ERROR) {
		snprintf(err, errlen, "%s", sym->errtxt);
		ZBarcode_Delete(sym);
		return NULL;
	}
	return sym;
}

int
label_barcode_modules(const char *data, int gs1, int qr, int *modules,
    char *err, size_t errlen)
{
	struct zint_symbol *sym;

	if ((sym = label_zint(data, gs1, qr, err, errlen)) == NULL)
		return -1;
	*modules = sym->width;
	ZBarcode_Delete(sym);
	return 0;
}

int
label_gs1_check(const char *s, size_t len)
{
	size_t i;
	int sum = 0;

	/* From the right: weights 3, 1, 3, ... */
	for (i = 0; i < len; i++)
		sum += (s[len - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

int
label_sscc(const char *prefix, const char *id, size_t idlen, int n,
    char sscc[19])
{
	unsigned long long h, mod = 1;
	size_t plen = strlen(prefix), k, i;
	char *key;

	if (plen < 6 || plen > 12 || strspn(prefix, "0123456789") != plen)
		return -1;
	for (i = 0; i < 16 - plen; i++)
		mod *= 10;
	/* The id's bytes, a NUL, n in decimal. */
	key = xmalloc(idlen + 16);
	memcpy(key, id, idlen);
	key[idlen] = '\0';
	k = (size_t)snprintf(key + idlen + 1, 15, "%d", n);
	h = strmap_hash(key, idlen + 1 + k);
	free(key);
	k = 16 - plen;
	h %= mod;
	sscc[0] = '0';
	memcpy(sscc + 1, prefix, plen);
	for (i = 0; i < k; i++, h /= 10)
		sscc[16 - i] = '0' + (int)(h % 10);
	sscc[17] = '0' + label_gs1_check(sscc, 17);
	sscc[18] = '\0';
	return 0;
}

char *
label_ascii_id(const char *id, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(3 * len + 20), *p = out;
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)id[i];
		if (c > 0x20 && c < 0x7f && c != '%')
			*p++ = c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	if (p - out > LABEL_ASCII_MAX)
		snprintf(out, 3 * len + 20, "#%016llX",
		    (unsigned long long)strmap_hash(id, len));
	return out;
}

#define NAME_MAX_BYTES	100

char *
label_safe_name(const char *id, size_t len)
{
	char *out = xmalloc(len + 16);
	size_t i = 0, o = 0, n;
	int changed = len == 0;

	while (i < len && o < NAME_MAX_BYTES) {
		unsigned char c = (unsigned char)id[i];

		n = utf8_seqlen((const unsigned char *)id + i, len - i);
		if (n > 1) {
			if (o + n > NAME_MAX_BYTES)
				break;
			memcpy(out + o, id + i, n);
			o += n;
			i += n;
			continue;
		}
		if (n == 0 || c < 0x20 || c == 0x7f || c == '/' ||
		    (o == 0 && (c == '.' || c == '-'))) {
			out[o++] = '_';
			changed = 1;
		} else
			out[o++] = c;
		i++;
	}
	if (i < len)
		changed = 1;
	if (changed)
		o += snprintf(out + o, 10, "-%08llx",
		    (unsigned long long)strmap_hash(id, len) & 0xffffffffULL);
	out[o] = '\0';
	return out;
}
